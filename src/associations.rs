//! Associations at a glance: per customer and mechanism whether it is present, broken or
//! missing; the CPOR claims board with its deadlines; the CUA GUID registry.

use crate::attribution::cua::{CuaOutcome, ledger};
use crate::attribution::{Association, Decision, Prepared, Rule, Viewpoint, Whose};
use crate::findings::business_days_between;
use crate::model::*;
use crate::rules::RuleSet;
use serde::Serialize;

/// The four mechanisms of the matrix (CSP tiers together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    Csp,
    Dpor,
    Pal,
    Cpor,
}

impl Mechanism {
    pub const ALL: [Mechanism; 4] = [
        Mechanism::Csp,
        Mechanism::Dpor,
        Mechanism::Pal,
        Mechanism::Cpor,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Mechanism::Csp => "CSP",
            Mechanism::Dpor => "DPOR",
            Mechanism::Pal => "PAL",
            Mechanism::Cpor => "CPOR",
        }
    }

    fn of(a: Association) -> Mechanism {
        match a {
            Association::CspT1 | Association::CspT2 => Mechanism::Csp,
            Association::Dpor => Mechanism::Dpor,
            Association::Pal => Mechanism::Pal,
            Association::Cpor => Mechanism::Cpor,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MechanismState {
    /// Credits something this month.
    Present,
    /// Ours, but refused (wrong ID, wrong tenant, not approved, ended by a move…).
    Broken,
    /// Not there at all.
    Missing,
}

/// A cell of the matrix: its state and the rule that decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixCell {
    pub mechanism: Mechanism,
    pub state: MechanismState,
    pub rule: Option<Rule>,
    /// The decision behind the state, for explaining it.
    #[serde(skip)]
    pub decision: Option<Decision>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    pub customer: usize,
    pub cells: Vec<MatrixCell>,
}

/// The customers × mechanisms matrix in month `m`.
pub fn matrix(ws: &Workspace, rules: &RuleSet, m: Month) -> Vec<MatrixRow> {
    matrix_of(
        ws,
        &Prepared::new(ws, rules, Viewpoint::of_workspace(ws)),
        m,
    )
}

/// [`matrix`] from the workspace prepared already (the app's kept preparation).
pub fn matrix_of(ws: &Workspace, p: &Prepared, m: Month) -> Vec<MatrixRow> {
    ws.customers
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let mut decisions: Vec<Decision> = Vec::new();
            for li in 0..c.usage.len() {
                decisions.extend(p.explain_line(ci, li, m));
            }
            for wi in 0..c.workloads.len() {
                decisions.extend(p.explain_workload(ci, wi, m));
            }
            let cells = Mechanism::ALL
                .iter()
                .map(|&mech| {
                    let mine: Vec<&Decision> = decisions
                        .iter()
                        .filter(|d| Mechanism::of(d.association) == mech)
                        .collect();
                    let pick = |state, d: Option<&&Decision>| MatrixCell {
                        mechanism: mech,
                        state,
                        rule: d.map(|d| d.rule),
                        decision: d.map(|d| (*d).clone()),
                    };
                    if let Some(d) = mine.iter().find(|d| d.credited) {
                        pick(MechanismState::Present, Some(d))
                    } else if let Some(d) = mine.iter().find(|d| d.rule.is_broken()) {
                        pick(MechanismState::Broken, Some(d))
                    } else {
                        pick(MechanismState::Missing, mine.first())
                    }
                })
                .collect();
            MatrixRow {
                customer: ci,
                cells,
            }
        })
        .collect()
}

/// A claim on the board: where it stands and what comes next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimCard {
    pub customer: String,
    pub claim: String,
    pub partner: PartnerId,
    pub ours: bool,
    pub status: ClaimStatus,
    pub since: Date,
    /// What the next date means ("review starts by", "answer by", "dispute until"…).
    pub next: Option<(String, Date)>,
    /// Business days from today to `next`.
    pub business_days_left: Option<u32>,
    /// `next` has passed.
    pub overdue: bool,
    pub covers: String,
    pub poe: Vec<String>,
}

/// Every claim with its current status and next deadline, as of `today`.
pub fn claims_board(ws: &Workspace, rules: &RuleSet, today: Date) -> Vec<ClaimCard> {
    let view = Viewpoint::of_workspace(ws);
    let att = &rules.attribution;
    let mut out = Vec::new();
    for c in &ws.customers {
        for k in &c.cpor {
            let Some(cur) = k.current() else { continue };
            let next = match cur.status {
                ClaimStatus::Submitted => Some((
                    "review starts by".to_owned(),
                    cur.on
                        .plus_business_days(att.cpor_review_start_business_days.value),
                )),
                ClaimStatus::UnderReview => Some((
                    "review ends by".to_owned(),
                    cur.on
                        .plus_business_days(att.cpor_review_business_days.value),
                )),
                ClaimStatus::PartnerActionRequired => Some((
                    "answer by".to_owned(),
                    cur.on
                        .plus_business_days(att.cpor_partner_action_business_days.value),
                )),
                ClaimStatus::Rejected => Some((
                    "dispute until".to_owned(),
                    cur.on.plus_days(i64::from(att.cpor_dispute_days.value)),
                )),
                _ => None,
            };
            let covers = match k.area {
                ClaimArea::ModernWorkSecurity => k.workloads.join(", "),
                ClaimArea::BusinessApplications => k
                    .subscription
                    .as_ref()
                    .and_then(|s| c.subscription(s))
                    .map_or_else(|| "subscription".to_owned(), |s| s.name.clone()),
            };
            out.push(ClaimCard {
                customer: c.id.to_string(),
                claim: k.id.to_string(),
                partner: k.partner_id.clone(),
                ours: view.whose(&k.partner_id) != Whose::Other,
                status: cur.status,
                since: cur.on,
                business_days_left: next.as_ref().map(|(_, d)| business_days_between(today, *d)),
                overdue: next.as_ref().is_some_and(|(_, d)| *d < today),
                next,
                covers,
                poe: k.poe.clone(),
            });
        }
    }
    out
}

/// A registered (or used) CUA GUID and what its deployments attributed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuidEntry {
    pub guid: Guid,
    pub offer: String,
    pub registered: Option<Date>,
    pub attributed_acr: f64,
    /// (customer, service, deployed on, outcome, ACR in the month).
    pub deployments: Vec<(String, String, Date, CuaOutcome, f64)>,
}

/// The CUA registry: every GUID of the workspace and every GUID met in a deployment.
pub fn cua_registry(ws: &Workspace, m: Month) -> Vec<GuidEntry> {
    let l = ledger(ws, m);
    let mut entries: Vec<GuidEntry> = ws
        .cua_guids
        .iter()
        .map(|g| GuidEntry {
            guid: g.guid.clone(),
            offer: g.offer.clone(),
            registered: g.registered,
            attributed_acr: 0.0,
            deployments: Vec::new(),
        })
        .collect();
    for d in &l.deployments {
        let entry = match entries.iter_mut().position(|e| e.guid == d.guid) {
            Some(i) => &mut entries[i],
            None => {
                entries.push(GuidEntry {
                    guid: d.guid.clone(),
                    offer: "(not registered)".into(),
                    registered: None,
                    attributed_acr: 0.0,
                    deployments: Vec::new(),
                });
                let last = entries.len() - 1;
                &mut entries[last]
            }
        };
        if d.outcome == CuaOutcome::Attributed {
            entry.attributed_acr += d.acr_month;
        }
        entry.deployments.push((
            d.customer.clone(),
            d.service.clone(),
            d.deployed,
            d.outcome,
            d.acr_month,
        ));
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::demo;

    #[test]
    fn the_demo_matrix_shows_present_broken_and_missing() {
        let ws = demo();
        let rules = crate::rules::rule_set(&ws.rules).expect("rules");
        let rows = matrix(&ws, rules, ws.as_of);
        let state = |id: &str, m: Mechanism| {
            let ci = ws
                .customers
                .iter()
                .position(|c| c.id.as_str() == id)
                .expect("customer");
            rows[ci]
                .cells
                .iter()
                .find(|c| c.mechanism == m)
                .map(|c| c.state)
                .expect("cell")
        };
        assert_eq!(state("litware", Mechanism::Pal), MechanismState::Broken);
        assert_eq!(state("woodgrove", Mechanism::Dpor), MechanismState::Broken);
        assert_eq!(state("fabrikam", Mechanism::Dpor), MechanismState::Present);
        assert_eq!(state("fabrikam", Mechanism::Cpor), MechanismState::Present);
        assert_eq!(state("tailspin", Mechanism::Csp), MechanismState::Present);
        assert_eq!(
            state("fourth-coffee", Mechanism::Pal),
            MechanismState::Missing
        );
        assert_eq!(state("alpine", Mechanism::Cpor), MechanismState::Broken);
    }

    #[test]
    fn the_claims_board_counts_business_days() {
        let ws = demo();
        let rules = crate::rules::rule_set(&ws.rules).expect("rules");
        let board = claims_board(&ws, rules, Date::parse("2026-11-22").expect("d"));
        let wwi = board
            .iter()
            .find(|c| c.claim == "claim-d365")
            .expect("claim");
        assert_eq!(wwi.status, ClaimStatus::PartnerActionRequired);
        assert_eq!(
            wwi.next,
            Some((
                "answer by".to_owned(),
                Date::parse("2026-11-30").expect("d")
            ))
        );
        assert_eq!(wwi.business_days_left, Some(6));
        assert!(!wwi.overdue);
        let alpine = board
            .iter()
            .find(|c| c.claim == "claim-alpine")
            .expect("claim");
        assert!(alpine.overdue, "the review was due 2026-09-22");
        let nw = board
            .iter()
            .find(|c| c.claim == "claim-alpine-nw")
            .expect("claim");
        assert!(!nw.ours);
    }

    #[test]
    fn the_cua_registry_sums_what_each_guid_attributed() {
        let ws = demo();
        let reg = cua_registry(&ws, ws.as_of);
        assert_eq!(reg.len(), 2);
        assert!(reg[0].attributed_acr > 0.0);
        assert_eq!(
            reg[1].attributed_acr, 0.0,
            "registered after the deployment"
        );
        assert_eq!(
            reg[1].deployments[0].3,
            CuaOutcome::RegisteredAfterDeployment
        );
    }
}
