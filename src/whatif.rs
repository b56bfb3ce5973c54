//! What-if: hypothetical changes layered over the real workspace, never mixed into it.
//!
//! The layer is a list of changes (each a planner [`Edit`]) that can be switched on and
//! off. The simulated workspace is a copy with the switched-on changes applied in order;
//! the comparison scores both and reports every designation's and metric's delta.

use crate::model::{Diagnostic, Severity, Workspace};
use crate::planner::{Edit, apply};
use crate::rules::RuleSet;
use crate::scoring::{Evaluation, metric_label};
use serde::{Deserialize, Serialize};

/// The marker of a stored or exported what-if layer.
pub const WHATIF_FORMAT: &str = "pcs-workbench/what-if";

/// One hypothetical change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub id: u32,
    pub enabled: bool,
    /// What the change does, in words (shown in the list).
    pub label: String,
    pub edit: Edit,
}

/// The what-if layer of one workspace.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WhatIf {
    pub changes: Vec<Change>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    version: u32,
    changes: Vec<Change>,
}

impl WhatIf {
    /// Add a change (switched on) and return its id.
    pub fn add(&mut self, label: String, edit: Edit) -> u32 {
        let id = self.changes.iter().map(|c| c.id).max().map_or(1, |m| m + 1);
        self.changes.push(Change {
            id,
            enabled: true,
            label,
            edit,
        });
        id
    }

    pub fn toggle(&mut self, id: u32) {
        if let Some(c) = self.changes.iter_mut().find(|c| c.id == id) {
            c.enabled = !c.enabled;
        }
    }

    pub fn remove(&mut self, id: u32) {
        self.changes.retain(|c| c.id != id);
    }

    pub fn enabled(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.enabled)
    }

    /// The real workspace with the switched-on changes applied, in order.
    pub fn overlay(&self, ws: &Workspace, rules: &RuleSet) -> Workspace {
        let mut out = ws.clone();
        self.apply_to(&mut out, rules);
        out
    }

    /// Apply the switched-on changes, in order, to `ws` itself (making them real).
    pub fn apply_to(&self, ws: &mut Workspace, rules: &RuleSet) {
        for c in self.enabled() {
            apply(ws, rules, &c.edit);
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&Stored {
            format: WHATIF_FORMAT.into(),
            version: 1,
            changes: self.changes.clone(),
        })
        .unwrap_or_default()
    }

    /// Read a stored layer; anything unreadable is reported, never half-applied.
    pub fn from_json(text: &str) -> Result<WhatIf, Diagnostic> {
        let problem = |message: String| Diagnostic {
            severity: Severity::Error,
            path: String::new(),
            message,
        };
        let stored: Stored =
            serde_json::from_str(text).map_err(|e| problem(format!("not a what-if layer: {e}")))?;
        if stored.format != WHATIF_FORMAT || stored.version != 1 {
            return Err(problem(format!(
                "expected format \"{WHATIF_FORMAT}\" version 1, found \"{}\" version {}",
                stored.format, stored.version
            )));
        }
        Ok(WhatIf {
            changes: stored.changes,
        })
    }
}

/// A metric before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricDelta {
    pub id: String,
    pub label: String,
    pub max: f64,
    pub before: f64,
    pub after: f64,
}

/// A designation before and after, in the evaluated month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    pub designation: String,
    pub name: String,
    pub before: f64,
    pub after: f64,
    pub qualified_before: bool,
    pub qualified_after: bool,
    pub track_before: Option<String>,
    pub track_after: Option<String>,
    pub metrics: Vec<MetricDelta>,
}

impl Delta {
    pub fn change(&self) -> f64 {
        self.after - self.before
    }
}

/// Designation by designation, metric by metric: what the what-if changes. Metrics are
/// those of the counting track after the change (matched by id before it).
pub fn compare(before: &Evaluation, after: &Evaluation) -> Vec<Delta> {
    after
        .designations
        .iter()
        .filter_map(|a| {
            let b = before.designations.iter().find(|b| b.id == a.id)?;
            let metrics = a
                .metrics()
                .iter()
                .map(|m| MetricDelta {
                    id: m.id.clone(),
                    label: metric_label(&m.id).to_owned(),
                    max: m.max,
                    before: b
                        .metrics()
                        .iter()
                        .find(|x| x.id == m.id)
                        .map_or(0.0, |x| x.points),
                    after: m.points,
                })
                .collect();
            Some(Delta {
                designation: a.id.clone(),
                name: a.name.clone(),
                before: b.score,
                after: a.score,
                qualified_before: b.qualified,
                qualified_after: a.qualified,
                track_before: b.track.clone(),
                track_after: a.track.clone(),
                metrics,
            })
        })
        .collect()
}

/// What a change does, in words, naming the records it touches.
pub fn describe(ws: &Workspace, rules: &RuleSet, edit: &Edit) -> String {
    let customer = |id: &str| {
        ws.customer(id)
            .map_or_else(|| id.to_owned(), |c| c.name.clone())
    };
    let identity = |c: &str, i: &str| {
        ws.customer(c)
            .and_then(|c| c.identity(i))
            .map_or_else(|| i.to_owned(), |x| x.name.clone())
    };
    let person = |id: &str| {
        ws.person(id)
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    };
    let location = ws
        .partner
        .locations
        .first()
        .map(|l| ws.partner_name(&l.id))
        .unwrap_or_default();
    let designation = |id: &str| {
        rules
            .designation(id)
            .map_or_else(|| id.to_owned(), |d| d.name.clone())
    };
    match edit {
        Edit::SetPalPartner {
            customer: c,
            identity: i,
            partner,
        } => format!(
            "{}: {} re-links PAL to {}",
            customer(c),
            identity(c, i),
            ws.partner_name(partner)
        ),
        Edit::SetPalTenant {
            customer: c,
            identity: i,
        } => format!(
            "{}: {} links PAL in the customer's tenant",
            customer(c),
            identity(c, i)
        ),
        Edit::AddPalLink {
            customer: c,
            identity: i,
        } => format!(
            "{}: {} links PAL to {location}",
            customer(c),
            identity(c, i)
        ),
        Edit::ActivateRoles {
            customer: c,
            identity: i,
        } => format!(
            "{}: {}'s eligible roles are made active",
            customer(c),
            identity(c, i)
        ),
        Edit::SetDpor {
            customer: c,
            subscription,
        } => {
            let name = ws
                .customer(c)
                .and_then(|x| x.subscription(subscription))
                .map_or_else(|| subscription.to_string(), |s| s.name.clone());
            format!(
                "{}: the DPOR request on {name} is accepted ({location})",
                customer(c)
            )
        }
        Edit::ApproveClaim { customer: c, claim } => {
            format!("{}: claim {claim} is approved", customer(c))
        }
        Edit::LinkPerson { person: p } => {
            format!("{} links their Microsoft Learn profile", person(p))
        }
        Edit::RenewCertification { person: p, cert } => {
            format!("{} renews {}", person(p), rules.certification_name(cert))
        }
        Edit::AddCertifiedPerson { cert } => {
            format!("A new person with {}", rules.certification_name(cert))
        }
        Edit::AddCertifiedPeople { certs } => format!(
            "{} new people: {}",
            certs.len(),
            certs
                .iter()
                .map(|c| rules.certification_name(c))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Edit::AddCustomer { designation: d } => {
            format!("A new customer counting for {}", designation(d))
        }
        Edit::GrowUsage { designation: d } => format!(
            "Usage grows {:.0}% across customers ({})",
            rules.planner.usage_growth_step.value * 100.0,
            designation(d)
        ),
        Edit::NewCustomer {
            name,
            designation: d,
            size,
        } => format!(
            "New customer {} for {}: {}",
            name.trim(),
            designation(d),
            crate::planner::size_text(d, *size)
        ),
        Edit::GrowCustomer {
            customer: c,
            percent,
        } => format!(
            "{}: consumption {}{percent}% in {}",
            customer(c),
            if *percent >= 0.0 { "+" } else { "" },
            ws.as_of
        ),
        Edit::CertifyPerson { person: p, cert } => {
            format!("{} earns {}", person(p), rules.certification_name(cert))
        }
        Edit::RecoverCustomer { customer: c } => format!(
            "{}: consumption back to at least its level of a year earlier, month by month",
            customer(c)
        ),
        Edit::Several { edits } => {
            // Repeated parts once, with their count.
            let mut parts: Vec<(String, usize)> = Vec::new();
            for e in edits {
                let text = describe(ws, rules, e);
                match parts.iter_mut().find(|(t, _)| *t == text) {
                    Some((_, n)) => *n += 1,
                    None => parts.push((text, 1)),
                }
            }
            parts
                .into_iter()
                .map(|(t, n)| if n > 1 { format!("{n} × {t}") } else { t })
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}
