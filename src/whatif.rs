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
        for c in self.enabled() {
            apply(&mut out, rules, &c.edit);
        }
        out
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
        let stored: Stored = serde_json::from_str(text)
            .map_err(|e| problem(format!("not a what-if layer: {e}")))?;
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
