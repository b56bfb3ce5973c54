//! Reconciliation: what Microsoft credits (the attribution Partner Center's Azure usage
//! download reports) beside what the tenant inventory explains (the engine's own
//! attribution), subscription by subscription, for one month.
//!
//! Each row is classified with the attribution rule that explains it and the fix the
//! findings give for it:
//! - `agree`: both say the same;
//! - `unexplained`: Microsoft credits what the inventory does not explain (it is
//!   incomplete: which tenant to collect, which record to add) — never a score change;
//! - `missing_credit`: Microsoft does not credit what the inventory supports, or nearly
//!   supports (a link made with the PGA ID, a disabled identity, an eligible-only role, a
//!   move to the Azure plan, a sponsored offer…); a link younger than the data is *pending*;
//! - `other_partner`: another partner holds the association;
//! - `tier_mismatch`: the CSP tier differs.
//!
//! The download lists only what Microsoft credits to us: for a subscription it does not
//! credit, the month's ACR comes from other sources (a Cost Management export, the user) or,
//! labelled as such, from the latest month it was credited; where none is known the row says
//! so and its points at stake are unknown. Points at stake are measured by re-scoring
//! Microsoft's reported attribution with the difference resolved.

use crate::attribution::explain::sentence;
use crate::attribution::{
    Association, Attribution, Credits, Decision, Prepared, Rule, Subject, Viewpoint, Whose,
};
use crate::findings::{Command, Finding, Fix, dpor_link, pal_link_commands};
use crate::import::merge::{ReportedMonths, in_month};
use crate::model::{Customer, Date, Guid, ImportKind, Month, PartnerId, Workspace, money};
use crate::rules::RuleSet;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// How a row compares; the order is the order of importance (a row with several
/// differences takes the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    MissingCredit,
    OtherPartner,
    TierMismatch,
    Unexplained,
    Agree,
}

impl Class {
    pub const ALL: [Class; 5] = [
        Class::MissingCredit,
        Class::OtherPartner,
        Class::TierMismatch,
        Class::Unexplained,
        Class::Agree,
    ];

    /// The class's stable id, as in `pcs reconcile --json`.
    pub fn id(self) -> &'static str {
        match self {
            Class::MissingCredit => "missing_credit",
            Class::OtherPartner => "other_partner",
            Class::TierMismatch => "tier_mismatch",
            Class::Unexplained => "unexplained",
            Class::Agree => "agree",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.id() == s)
    }

    /// The class as the page names it.
    pub fn label(self) -> &'static str {
        match self {
            Class::MissingCredit => "Missing credit",
            Class::OtherPartner => "Another partner",
            Class::TierMismatch => "CSP tier differs",
            Class::Unexplained => "Not explained by your tenants",
            Class::Agree => "Agree",
        }
    }
}

/// One difference between the two attributions of a subscription in the month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub class: Class,
    pub association: Association,
    /// The attribution rule behind it.
    pub rule: Rule,
    pub message: String,
    pub fix: Fix,
    /// The partner involved (ours, our PGA ID, another partner).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner: Option<PartnerId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    /// A link or DPOR younger than the data: Partner Center should show it by about then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_until: Option<Date>,
}

/// The gain of one designation if a row's difference were resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignationPoints {
    pub designation: String,
    pub name: String,
    pub points: f64,
}

/// One customer × subscription in the month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub customer: String,
    pub customer_name: String,
    pub tenant_id: Guid,
    pub subscription: Guid,
    pub subscription_name: String,
    pub month: Month,
    /// What Partner Center reports (association types of ours).
    pub reported: Vec<Association>,
    /// The partner IDs Partner Center lists for them.
    pub reported_partners: Vec<PartnerId>,
    /// What the inventory says Partner Center should show (the engine's attribution, one
    /// association a usage line by the rule set's precedence).
    pub computed: Vec<Association>,
    /// Every association the inventory supports (also those Partner Center does not list
    /// beside a preceding one).
    pub supported: Vec<Association>,
    pub class: Class,
    pub rule: Option<Rule>,
    pub message: String,
    pub fix: Option<Fix>,
    /// The subscription's ACR in the month; none when unknown.
    pub acr: Option<f64>,
    /// When the ACR is taken from an earlier month (the latest one Microsoft credited).
    pub acr_from: Option<Month>,
    /// Points the designations together gain if the difference is resolved; none when the
    /// ACR is unknown.
    pub points_at_stake: Option<f64>,
    pub at_stake: Vec<DesignationPoints>,
    pub differences: Vec<Difference>,
}

/// A class's rows, ACR and points at stake.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ClassSummary {
    pub rows: usize,
    pub acr: f64,
    /// What resolving all the class's rows together gives the designations (not the sum
    /// of the rows' points: gains overlap where a metric reaches its maximum).
    pub points_at_stake: f64,
    /// Rows whose ACR (so points at stake) is unknown.
    pub unknown: usize,
}

/// One designation scored on Microsoft's reported attribution and on the inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorePair {
    pub designation: String,
    pub name: String,
    /// "Partner Center should show".
    pub reported: f64,
    /// "Your tenants support".
    pub inventory: f64,
    /// The metrics that read Azure consumption: (id, reported points, inventory points).
    pub metrics: Vec<(String, f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    pub month: Month,
    /// The months Partner Center's reported attribution covers, if any.
    pub covered: Option<(Month, Month)>,
    /// The day the reported data was taken (the latest Azure usage import), or today.
    pub data_date: Date,
    /// Days after which a new association shows in the data (the rule set's).
    pub lag_days: u32,
    pub summary: BTreeMap<Class, ClassSummary>,
    /// Every subscription's row, the most at stake first: by class (missing credit, another
    /// partner, tier mismatch, unexplained, agree), then by ACR (unknown last), then by
    /// customer and subscription name.
    pub rows: Vec<Row>,
    pub scores: Vec<ScorePair>,
    /// Points at stake of each class, its rows resolved together.
    #[serde(skip)]
    class_points: BTreeMap<Class, f64>,
}

impl Reconciliation {
    /// Whether Partner Center's reported attribution covers the month reconciled.
    pub fn month_covered(&self) -> bool {
        self.covered
            .is_some_and(|(from, to)| from <= self.month && self.month <= to)
    }

    pub fn summary_of(&self, class: Class) -> ClassSummary {
        self.summary.get(&class).copied().unwrap_or_default()
    }

    /// Points at stake from missing credit and other partners, summed.
    pub fn points_at_stake(&self) -> f64 {
        self.summary_of(Class::MissingCredit).points_at_stake
            + self.summary_of(Class::OtherPartner).points_at_stake
    }
}

/// The months Partner Center's reported attribution covers in the workspace: those of the
/// Azure usage downloads imported, and of every reported run.
pub fn covered_months(ws: &Workspace) -> Option<(Month, Month)> {
    let runs = ws
        .customers
        .iter()
        .flat_map(|c| &c.reported)
        .map(|r| (r.from, r.to));
    let files = ws
        .imports
        .iter()
        .filter(|i| i.kind == ImportKind::AzureUsage)
        .filter_map(|i| Some((i.from?, i.to?)));
    let all: Vec<(Month, Month)> = runs.chain(files).collect();
    let from = all.iter().map(|r| r.0).min()?;
    let to = all.iter().map(|r| r.1).max()?;
    Some((from, to))
}

/// The month a reconciliation opens on: the workspace's month when the reported data
/// covers it, else the latest month it covers.
pub fn default_month(ws: &Workspace) -> Option<Month> {
    let (from, to) = covered_months(ws)?;
    Some(if ws.as_of >= from && ws.as_of <= to {
        ws.as_of
    } else {
        to
    })
}

/// Which rows get their own points at stake (each costs a re-scoring of the workspace).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RowPoints {
    /// Every row (`pcs reconcile`, tests).
    #[default]
    All,
    /// None: only each class's total (the dashboard).
    None,
    /// Rows with at most this many to measure get theirs; above, none (the page measures
    /// a row when it is opened).
    UpTo(usize),
    /// One customer's subscription.
    Only(String, Guid),
}

/// Reconcile month `month`, judging pending links against the data's date (the latest
/// Azure usage import, else `today`); every row's points at stake measured.
pub fn reconcile(ws: &Workspace, rules: &RuleSet, month: Month, today: Date) -> Reconciliation {
    reconcile_with(ws, rules, month, today, &RowPoints::All)
}

/// [`reconcile`], measuring the points at stake of the rows `points` says.
pub fn reconcile_with(
    ws: &Workspace,
    rules: &RuleSet,
    month: Month,
    today: Date,
    points: &RowPoints,
) -> Reconciliation {
    let mut out = unreconciled(ws, rules, month, today);
    let Some(covered) = out.covered.filter(|_| out.month_covered()) else {
        return out;
    };
    // One copy as of the month and one preparation for both halves.
    let at = as_of(ws, month);
    let prepared = Prepared::new(&at, rules, Viewpoint::of_workspace(&at));
    find_rows(&at, rules, &prepared, today, &mut out);
    add_scores(&at, rules, &prepared, covered, points, &mut out);
    out
}

/// The first half of [`reconcile_with`]: every row and each class's rows and ACR, without
/// the scores and the points at stake ([`score_reconciliation`] adds them; a page runs the
/// two halves in tasks of their own).
pub fn reconcile_rows(
    ws: &Workspace,
    rules: &RuleSet,
    month: Month,
    today: Date,
) -> Reconciliation {
    let mut out = unreconciled(ws, rules, month, today);
    if out.month_covered() {
        let at = as_of(ws, month);
        let prepared = Prepared::new(&at, rules, Viewpoint::of_workspace(&at));
        find_rows(&at, rules, &prepared, today, &mut out);
    }
    out
}

/// The second half of [`reconcile_with`], on the rows [`reconcile_rows`] found in the same
/// workspace: the two scores side by side and the points at stake of the rows `points` says.
pub fn score_reconciliation(
    ws: &Workspace,
    rules: &RuleSet,
    points: &RowPoints,
    out: &mut Reconciliation,
) {
    let Some(covered) = out.covered.filter(|_| out.month_covered()) else {
        return;
    };
    let at = as_of(ws, out.month);
    let prepared = Prepared::new(&at, rules, Viewpoint::of_workspace(&at));
    add_scores(&at, rules, &prepared, covered, points, out);
}

/// The workspace as of the month, so findings and scores speak of it.
fn as_of(ws: &Workspace, month: Month) -> std::borrow::Cow<'_, Workspace> {
    if ws.as_of == month {
        std::borrow::Cow::Borrowed(ws)
    } else {
        let mut at = ws.clone();
        at.as_of = month;
        std::borrow::Cow::Owned(at)
    }
}

/// A reconciliation of `month` with no row yet: what the data covers and when it was taken.
fn unreconciled(ws: &Workspace, rules: &RuleSet, month: Month, today: Date) -> Reconciliation {
    let data_date = ws
        .imports
        .iter()
        .filter(|i| i.kind == ImportKind::AzureUsage)
        .map(|i| i.imported)
        .max()
        .unwrap_or(today);
    Reconciliation {
        month,
        covered: covered_months(ws),
        data_date,
        lag_days: rules.attribution.reported_data_lag_days.value,
        summary: Class::ALL
            .iter()
            .map(|c| (*c, ClassSummary::default()))
            .collect(),
        rows: Vec::new(),
        scores: Vec::new(),
        class_points: BTreeMap::new(),
    }
}

/// Every subscription's row in `at` (the workspace as of the month reconciled), and each
/// class's rows and ACR.
fn find_rows(
    at: &Workspace,
    rules: &RuleSet,
    prepared: &Prepared<'_>,
    today: Date,
    out: &mut Reconciliation,
) {
    let view = Viewpoint::of_workspace(at);
    let cx = Cx {
        ws: at,
        view: &view,
        prepared,
        findings: std::cell::OnceCell::new(),
        rules,
        today,
        month: out.month,
        data_date: out.data_date,
        lag: i64::from(rules.attribution.reported_data_lag_days.value),
        location: at.partner.locations.first().map(|l| l.id.clone()),
        precedence: rules.attribution.reported_precedence.value.clone(),
    };
    let others = other_partner_views(at, rules);
    for (ci, c) in at.customers.iter().enumerate() {
        let reported = ReportedMonths::of(c);
        let lines = subscription_lines(c);
        for si in 0..c.subscriptions.len() {
            let of_subscription = lines
                .get(&c.subscriptions[si].id.number())
                .map_or(&[][..], Vec::as_slice);
            if let Some(row) = cx.row(ci, si, of_subscription, &reported, &others) {
                out.rows.push(row);
            }
        }
    }
    out.rows.sort_by(most_at_stake_first);
    for r in &out.rows {
        let e = out.summary.entry(r.class).or_default();
        e.rows += 1;
        e.acr += r.acr.unwrap_or(0.0);
        if r.acr.is_none() {
            e.unknown += 1;
        }
    }
}

/// The order of [`Reconciliation::rows`]: by class, then ACR (the largest first, unknown
/// last), then customer and subscription name.
fn most_at_stake_first(a: &Row, b: &Row) -> std::cmp::Ordering {
    let class = |r: &Row| Class::ALL.iter().position(|c| *c == r.class);
    class(a)
        .cmp(&class(b))
        .then_with(|| match (a.acr, b.acr) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .then_with(|| a.customer_name.cmp(&b.customer_name))
        .then_with(|| a.subscription_name.cmp(&b.subscription_name))
}

/// The two scores side by side and each class's points at stake, on the rows found.
fn add_scores(
    at: &Workspace,
    rules: &RuleSet,
    prepared: &Prepared<'_>,
    covered: (Month, Month),
    points: &RowPoints,
    out: &mut Reconciliation,
) {
    score_rows(at, rules, prepared, out.month, covered, points, out);
    for (class, p) in &out.class_points {
        out.summary.entry(*class).or_default().points_at_stake = *p;
    }
}

/// For every other partner ID linked in a customer's tenant, the attribution from its
/// point of view: whose PAL credits a subscription we are not credited for.
fn other_partner_views<'w>(
    ws: &'w Workspace,
    rules: &'w RuleSet,
) -> Vec<(PartnerId, Prepared<'w>)> {
    let view = Viewpoint::of_workspace(ws);
    let ids: BTreeSet<PartnerId> = ws
        .customers
        .iter()
        .flat_map(|c| &c.identities)
        .flat_map(|i| &i.pal)
        .filter(|l| view.whose(&l.partner_id) == Whose::Other)
        .map(|l| l.partner_id.clone())
        .collect();
    ids.into_iter()
        .map(|id| {
            let p = Prepared::new(ws, rules, Viewpoint::of_partner(ws, &id));
            (id, p)
        })
        .collect()
}

struct Cx<'a> {
    ws: &'a Workspace,
    view: &'a Viewpoint,
    prepared: &'a Prepared<'a>,
    /// The findings of the month, computed the first time a fix is looked up.
    findings: std::cell::OnceCell<Vec<Finding>>,
    rules: &'a RuleSet,
    today: Date,
    month: Month,
    data_date: Date,
    lag: i64,
    location: Option<PartnerId>,
    precedence: Vec<Association>,
}

/// Rules that mean an association of ours exists but does not count: "nearly" credited.
fn nearly(rule: Rule) -> bool {
    rule.is_broken() || rule == Rule::PalExcludedOffer
}

/// Whether a usage line's scope sits in the subscription (its number read with the line).
fn in_subscription(u: &crate::model::UsageLine, sub: &Guid) -> bool {
    u.scope.subscription_number() == Some(sub.number())
}

/// The usage lines of each subscription of a customer (by the subscription's number).
fn subscription_lines(c: &Customer) -> HashMap<u128, Vec<usize>> {
    let mut out: HashMap<u128, Vec<usize>> = HashMap::new();
    for (li, u) in c.usage.iter().enumerate() {
        if let Some(n) = u.scope.subscription_number() {
            out.entry(n).or_default().push(li);
        }
    }
    out
}

impl Cx<'_> {
    fn row(
        &self,
        ci: usize,
        si: usize,
        lines: &[usize],
        reported: &ReportedMonths<'_>,
        others: &[(PartnerId, Prepared<'_>)],
    ) -> Option<Row> {
        let c = &self.ws.customers[ci];
        let s = &c.subscriptions[si];
        let m = self.month;
        let mut decisions: Vec<Decision> = Vec::new();
        // What Partner Center would show: one association a line, by precedence.
        let mut shown: BTreeSet<Association> = BTreeSet::new();
        let precedence = &self.precedence;
        for &li in lines {
            let line = self.prepared.explain_line(ci, li, m);
            if let Some(top) = precedence
                .iter()
                .find(|a| line.iter().any(|d| d.credited && d.association == **a))
            {
                shown.insert(*top);
            }
            for d in line {
                if !decisions.contains(&d) {
                    decisions.push(d);
                }
            }
        }
        let excluded = decisions
            .iter()
            .find(|d| matches!(d.rule, Rule::ExcludedOffer | Rule::ExcludedCloud))
            .map(|d| d.rule);
        let csp_credited = decisions.iter().any(|d| {
            d.credited && matches!(d.association, Association::CspT1 | Association::CspT2)
        });
        // Everything the inventory supports (PAL counted as CSP is one CSP attribution).
        let supported: BTreeSet<Association> = decisions
            .iter()
            .filter(|d| d.credited && !(csp_credited && d.rule == Rule::PalCountedAsCsp))
            .map(|d| d.association)
            .collect();
        let computed = shown;
        let run = reported.get(&s.id, m);
        let reported_partners: Vec<PartnerId> = run.map(|r| r.partners.clone()).unwrap_or_default();
        let foreign: Vec<&PartnerId> = reported_partners
            .iter()
            .filter(|p| self.view.whose(p) == Whose::Other)
            .collect();
        let ours_reported = reported_partners.is_empty() || foreign.len() < reported_partners.len();
        let rep: BTreeSet<Association> = match run {
            Some(r) if ours_reported => r.associations.iter().copied().collect(),
            _ => BTreeSet::new(),
        };

        let (acr, acr_from) = self.acr(c, lines);
        let mut diffs: Vec<Difference> = Vec::new();
        if !foreign.is_empty() {
            let assoc = run
                .and_then(|r| r.associations.first().copied())
                .unwrap_or(Association::Pal);
            for p in &foreign {
                diffs.push(Difference {
                    class: Class::OtherPartner,
                    association: assoc,
                    rule: other_rule(assoc),
                    message: format!(
                        "Partner Center lists partner ID {p} for this subscription, which is not one of your locations"
                    ),
                    fix: Fix {
                        summary: format!("If {p} is one of your locations, add it on the Data page; otherwise another partner is credited here."),
                        portal_path: Some("Partner Center → Account settings → Identifiers".into()),
                        ..Fix::default()
                    },
                    partner: Some((*p).clone()),
                    since: None,
                    pending_until: None,
                });
            }
        }
        if let Some(rule) = excluded {
            if rep.is_empty() {
                return None;
            }
            diffs.push(Difference {
                class: Class::Unexplained,
                association: *rep.iter().next()?,
                rule,
                message: format!(
                    "Partner Center credits {}, which the rules exclude ({}): the workspace may record the wrong offer or cloud",
                    s.name,
                    if rule == Rule::ExcludedOffer { format!("{} offer", s.offer) } else { format!("{} cloud", c.cloud) }
                ),
                fix: Fix {
                    summary: format!("Check {}'s offer on the customer page.", s.name),
                    ..Fix::default()
                },
                partner: None,
                since: None,
                pending_until: None,
            });
        } else {
            self.compare(
                c,
                s,
                &decisions,
                &computed,
                &supported,
                &rep,
                &reported_partners,
                &mut diffs,
            );
            // Another partner's PAL on a subscription nobody credits to us.
            if computed.is_empty() && rep.is_empty() {
                for (id, p) in others {
                    let theirs = lines
                        .iter()
                        .flat_map(|&li| p.explain_line(ci, li, m))
                        .find(|d| d.credited && d.association == Association::Pal);
                    if let Some(d) = theirs {
                        let who = identity_of(&d)
                            .and_then(|i| c.identity(i.as_str()))
                            .map(|i| i.name.clone());
                        diffs.push(Difference {
                            class: Class::OtherPartner,
                            association: Association::Pal,
                            rule: Rule::PalRoleCoversScope,
                            message: format!(
                                "{} is credited through PAL{}{}",
                                self.ws.partner_name(id),
                                who.map(|w| format!(" on {w}")).unwrap_or_default(),
                                d.since.map(|s| format!(" since {s}")).unwrap_or_default()
                            ),
                            fix: Fix {
                                summary: "Another partner manages these resources. If your team runs them now, link your own identity with a role on them; the customer decides who is credited.".into(),
                                commands: self.location.as_ref().map(|l| pal_link_commands(&c.tenant_id, l, false)).unwrap_or_default(),
                                ..Fix::default()
                            },
                            partner: Some(id.clone()),
                            since: d.since,
                            pending_until: None,
                        });
                        break;
                    }
                }
            }
        }
        if rep.is_empty() && computed.is_empty() && diffs.is_empty() {
            return None;
        }
        // Nothing at stake and nothing reported: consumption never seen is no row.
        if rep.is_empty() && computed.is_empty() && acr.is_none() {
            return None;
        }
        diffs.sort_by_key(|d| d.class);
        let (class, rule, message, fix) = match diffs.first() {
            Some(d) => (
                d.class,
                Some(d.rule),
                d.message.clone(),
                Some(d.fix.clone()),
            ),
            None => {
                let credit = decisions
                    .iter()
                    .find(|d| d.credited && computed.contains(&d.association));
                (
                    Class::Agree,
                    credit.map(|d| d.rule),
                    {
                        let also: BTreeSet<Association> =
                            supported.difference(&computed).copied().collect();
                        format!(
                            "Partner Center and your tenants agree: {}{}{}",
                            labels(&computed),
                            credit
                                .map(|d| format!(" ({})", sentence(d, self.ws, c)))
                                .unwrap_or_default(),
                            if also.is_empty() {
                                String::new()
                            } else {
                                format!(
                                    "; your tenants also support {}, which Partner Center does not list beside it",
                                    labels(&also)
                                )
                            }
                        )
                    },
                    None,
                )
            }
        };
        Some(Row {
            customer: c.id.to_string(),
            customer_name: c.name.clone(),
            tenant_id: c.tenant_id.clone(),
            subscription: s.id.clone(),
            subscription_name: s.name.clone(),
            month: m,
            reported: rep.into_iter().collect(),
            reported_partners,
            computed: computed.into_iter().collect(),
            supported: supported.into_iter().collect(),
            class,
            rule,
            message,
            fix,
            acr,
            acr_from,
            points_at_stake: None,
            at_stake: Vec::new(),
            differences: diffs,
        })
    }

    /// The subscription's ACR in the month, or the latest earlier month's (the download
    /// lists a subscription only in months Microsoft credits it).
    fn acr(&self, c: &Customer, lines: &[usize]) -> (Option<f64>, Option<Month>) {
        let at = |m: Month| lines.iter().map(|&li| c.usage[li].acr.get(m)).sum::<f64>();
        let now = at(self.month);
        if now > 0.0 {
            return (Some(now), None);
        }
        for back in 1..=12 {
            let m = self.month.plus(-back);
            let v = at(m);
            if v > 0.0 {
                return (Some(v), Some(m));
            }
        }
        (None, None)
    }

    #[allow(clippy::too_many_arguments)]
    fn compare(
        &self,
        c: &Customer,
        s: &crate::model::Subscription,
        decisions: &[Decision],
        computed: &BTreeSet<Association>,
        supported: &BTreeSet<Association>,
        rep: &BTreeSet<Association>,
        reported_partners: &[PartnerId],
        diffs: &mut Vec<Difference>,
    ) {
        let csp = |set: &BTreeSet<Association>| {
            set.iter()
                .copied()
                .find(|a| matches!(a, Association::CspT1 | Association::CspT2))
        };
        let (csp_rep, csp_comp) = (csp(rep), csp(computed));
        let mut handled: BTreeSet<Association> = BTreeSet::new();
        if let (Some(r), Some(k)) = (csp_rep, csp_comp)
            && r != k
        {
            handled.insert(r);
            handled.insert(k);
            let d = decisions.iter().find(|d| d.credited && d.association == k);
            diffs.push(Difference {
                class: Class::TierMismatch,
                association: r,
                rule: d.map_or(Rule::CspDirectBill, |d| d.rule),
                message: format!(
                    "Partner Center reports {} for {}; the workspace records {}",
                    r.label(),
                    s.name,
                    k.label()
                ),
                fix: Fix {
                    summary: format!(
                        "Correct the CSP tier (and reseller) of {} on {}'s page, or import the Partner Center download again: it records the tier it reports.",
                        s.name, c.name
                    ),
                    ..Fix::default()
                },
                partner: reported_partners.first().cloned(),
                since: None,
                pending_until: None,
            });
        }
        // Credited by the inventory, not by Microsoft.
        for a in computed.difference(rep).filter(|a| !handled.contains(a)) {
            let Some(d) = decisions.iter().find(|d| d.credited && d.association == *a) else {
                continue;
            };
            let pending = d
                .since
                .map(|since| since.plus_days(self.lag))
                .filter(|until| *until > self.data_date);
            let how = reason(d, self.ws, c);
            let (message, fix) = match pending {
                Some(until) => (
                    format!(
                        "{how}: Partner Center shows a new {} after about {} days, so it is pending until about {until}",
                        a.label(),
                        self.lag
                    ),
                    Fix {
                        summary: format!(
                            "Nothing to fix yet: check the next download after {until}."
                        ),
                        ..Fix::default()
                    },
                ),
                None => (
                    format!(
                        "your tenants support {} ({how}) but Partner Center does not credit it in {}",
                        a.label(),
                        self.month
                    ),
                    self.verify_fix(c, s, *a),
                ),
            };
            diffs.push(Difference {
                class: Class::MissingCredit,
                association: *a,
                rule: d.rule,
                message,
                fix,
                partner: d.partner.clone(),
                since: d.since,
                pending_until: pending,
            });
        }
        // Reported by Microsoft, not explained by the inventory.
        for a in rep
            .difference(computed)
            .filter(|a| !handled.contains(a) && !supported.contains(a))
        {
            let refusal = decisions
                .iter()
                .find(|d| !d.credited && d.association == *a);
            diffs.push(self.unexplained(c, s, *a, refusal, reported_partners));
        }
        // Neither credits it: an association of ours that nearly counts, or another partner's.
        if !computed.is_empty() || !rep.is_empty() {
            return;
        }
        let mut seen: BTreeSet<Association> = BTreeSet::new();
        for d in decisions.iter().filter(|d| !d.credited) {
            if seen.contains(&d.association) {
                continue;
            }
            if nearly(d.rule) {
                seen.insert(d.association);
                diffs.push(Difference {
                    class: Class::MissingCredit,
                    association: d.association,
                    rule: d.rule,
                    message: format!(
                        "{} does not count: {}",
                        d.association.label(),
                        reason(d, self.ws, c)
                    ),
                    fix: self.fix_for(c, s, d),
                    partner: d.partner.clone(),
                    since: d.since,
                    pending_until: None,
                });
            } else if matches!(d.rule, Rule::DporOtherPartner | Rule::CspOtherPartner) {
                seen.insert(d.association);
                let who = d
                    .partner
                    .as_ref()
                    .map(|p| self.ws.partner_name(p))
                    .unwrap_or_default();
                let fix = self
                    .finding(c, "dpor.other_partner", s.id.as_str())
                    .filter(|_| d.rule == Rule::DporOtherPartner)
                    .unwrap_or_else(|| Fix {
                        summary: format!("{} buys this subscription through another CSP partner; nothing to fix unless it moves to you.", c.name),
                        ..Fix::default()
                    });
                diffs.push(Difference {
                    class: Class::OtherPartner,
                    association: d.association,
                    rule: d.rule,
                    message: format!(
                        "{who} holds {} on {}{}",
                        d.association.label(),
                        s.name,
                        d.since.map(|x| format!(" since {x}")).unwrap_or_default()
                    ),
                    fix,
                    partner: d.partner.clone(),
                    since: d.since,
                    pending_until: None,
                });
            }
        }
    }

    fn unexplained(
        &self,
        c: &Customer,
        s: &crate::model::Subscription,
        a: Association,
        refusal: Option<&Decision>,
        reported_partners: &[PartnerId],
    ) -> Difference {
        let collected = c.identities.iter().any(|i| {
            i.source
                .as_ref()
                .and_then(|src| self.ws.import(src))
                .is_some_and(|imp| {
                    matches!(
                        imp.kind,
                        ImportKind::TenantInventory
                            | ImportKind::RoleAssignments
                            | ImportKind::ManagementPartner
                            | ImportKind::Lighthouse
                            | ImportKind::PimEligibility
                            | ImportKind::Account
                    )
                })
        }) || !c.identities.is_empty();
        let partners = reported_partners
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let (rule, message, fix) = match a {
            Association::Pal => {
                let collect = Fix {
                    summary: format!(
                        "Collect {}'s tenant: sign in with the account your team uses there and run the collector, then import the bundle.",
                        c.name
                    ),
                    commands: vec![Command {
                        shell: "Azure CLI",
                        text: format!(
                            "az login --tenant {}\nbash pcs-collect.sh -o tenant-inventory.json",
                            c.tenant_id
                        ),
                    }],
                    ..Fix::default()
                };
                match refusal {
                    Some(d) if collected => (
                        d.rule,
                        format!(
                            "Partner Center credits PAL ({partners}) although your inventory says {}: it may be older than the download",
                            reason(d, self.ws, c)
                        ),
                        collect,
                    ),
                    _ if collected => (
                        Rule::PalNotLinked,
                        format!(
                            "Partner Center credits PAL ({partners}); none of the identities collected in {} explains it: the credited identity may be one the collector cannot see (another account's link, a service principal)",
                            c.name
                        ),
                        Fix {
                            summary: format!(
                                "Add the identity that is linked (and its role) on {}'s page, or collect the tenant again signed in as that identity.",
                                c.name
                            ),
                            ..collect
                        },
                    ),
                    _ => (
                        Rule::PalNotLinked,
                        format!(
                            "Partner Center credits PAL ({partners}); the workspace has no inventory of {}'s tenant",
                            c.name
                        ),
                        collect,
                    ),
                }
            }
            Association::Dpor => (
                refusal.map_or(Rule::DporMissing, |d| d.rule),
                format!(
                    "Partner Center credits DPOR ({partners}); the workspace has no DPOR of yours on {}",
                    s.name
                ),
                Fix {
                    summary: format!(
                        "Add the DPOR on {}'s page (the Azure usage import adds it from the download).",
                        c.name
                    ),
                    ..Fix::default()
                },
            ),
            _ => (
                refusal.map_or(
                    if a == Association::CspT1 {
                        Rule::CspDirectBill
                    } else {
                        Rule::CspIndirectProvider
                    },
                    |d| d.rule,
                ),
                format!(
                    "Partner Center credits {} ({partners}); the workspace does not record {} as CSP of yours",
                    a.label(),
                    s.name
                ),
                Fix {
                    summary: format!(
                        "Record {}'s CSP tier on {}'s page, or import the Partner Center download again.",
                        s.name, c.name
                    ),
                    ..Fix::default()
                },
            ),
        };
        Difference {
            class: Class::Unexplained,
            association: a,
            rule,
            message,
            fix,
            partner: reported_partners.first().cloned(),
            since: None,
            pending_until: None,
        }
    }

    /// The findings' fix for a finding with this code and subject, if the findings raise it.
    fn finding(&self, c: &Customer, code: &str, subject: &str) -> Option<Fix> {
        self.findings
            .get_or_init(|| crate::findings::findings(self.ws, self.rules, self.today))
            .iter()
            .find(|f| {
                f.code == code
                    && f.customer.as_deref() == Some(c.id.as_str())
                    && f.subject == subject
            })
            .map(|f| f.fix.clone())
    }

    /// The fix for an association that nearly counts: the one the findings give, else one
    /// built from the same parts (tenant, location, subscription).
    fn fix_for(&self, c: &Customer, s: &crate::model::Subscription, d: &Decision) -> Fix {
        let identity = identity_of(d);
        let by_identity = |code: &str| identity.and_then(|i| self.finding(c, code, i.as_str()));
        let found = match d.rule {
            Rule::PalGlobalId => by_identity("pal.global_id"),
            Rule::PalWrongTenant => by_identity("pal.wrong_tenant"),
            Rule::PalIdentityDisabled => by_identity("pal.identity_disabled"),
            Rule::PalIdentityDeleted => by_identity("pal.identity_deleted"),
            Rule::PalAdminAgents => by_identity("pal.admin_agents"),
            Rule::PalClassicAdminOnly => by_identity("pal.classic_admin"),
            Rule::PalNoRole => by_identity("pal.no_role"),
            Rule::PalEligibleOnly => by_identity("pal.eligible_only"),
            Rule::PalEndedByMove | Rule::DporEndedByMove => {
                self.finding(c, "subscription.moved_without_link", s.id.as_str())
            }
            _ => None,
        };
        if let Some(f) = found {
            return f;
        }
        let Some(location) = self.location.clone() else {
            return Fix {
                summary:
                    "Add your location ID on the Data page first: only location IDs earn credit."
                        .into(),
                ..Fix::default()
            };
        };
        let who = identity
            .and_then(|i| c.identity(i.as_str()))
            .map_or_else(|| "the identity".to_owned(), |i| i.name.clone());
        match d.rule {
            Rule::PalScopeNotCovered | Rule::PalRoleNotActive | Rule::PalNoRole => Fix {
                summary: format!(
                    "Give {who} an active Azure role (for example Contributor) on {}.",
                    s.name
                ),
                commands: vec![Command {
                    shell: "Azure CLI",
                    text: format!(
                        "# {}\naz login --tenant {}\naz role assignment create --assignee {} --role Contributor --scope /subscriptions/{}",
                        crate::findings::shell_comment(&who),
                        c.tenant_id,
                        identity
                            .and_then(|i| c.identity(i.as_str()))
                            .and_then(|i| i.object_id.as_ref().map(ToString::to_string))
                            .unwrap_or_else(|| "<object id>".into()),
                        s.id
                    ),
                }],
                ..Fix::default()
            },
            Rule::PalLinkNotActive => Fix {
                summary: format!(
                    "Link {who} again to location {location} in {}'s tenant.",
                    c.name
                ),
                commands: pal_link_commands(&c.tenant_id, &location, false),
                ..Fix::default()
            },
            Rule::PalExcludedOffer => Fix {
                summary: format!(
                    "PAL is not recognised on {} subscriptions; CSP and DPOR are: ask a subscription owner to set location {location} as partner of record.",
                    s.offer
                ),
                link: Some(dpor_link(&s.id, &location)),
                ..Fix::default()
            },
            Rule::DporGlobalId => Fix {
                summary: format!(
                    "Ask a subscription owner to set the location ID {location} as partner of record instead of the global ID."
                ),
                link: Some(dpor_link(&s.id, &location)),
                ..Fix::default()
            },
            _ => Fix {
                summary: format!(
                    "Link an active identity of yours with a role on {} to location {location}.",
                    s.name
                ),
                commands: pal_link_commands(&c.tenant_id, &location, false),
                ..Fix::default()
            },
        }
    }

    /// How to check an association the inventory supports and Microsoft does not show.
    fn verify_fix(&self, c: &Customer, s: &crate::model::Subscription, a: Association) -> Fix {
        let location = self.location.clone();
        match a {
            Association::Pal => Fix {
                summary: format!(
                    "Check the link in {}'s tenant: it must show location {}. If it does, open a Partner Center support request with subscription {}.",
                    c.name,
                    location.as_ref().map_or_else(String::new, ToString::to_string),
                    s.id
                ),
                commands: vec![
                    Command {
                        shell: "Azure CLI",
                        text: format!("az login --tenant {}\naz managementpartner show", c.tenant_id),
                    },
                    Command {
                        shell: "PowerShell",
                        text: format!("Connect-AzAccount -Tenant {}\nGet-AzManagementPartner", c.tenant_id),
                    },
                ],
                ..Fix::default()
            },
            Association::Dpor => Fix {
                summary: "Open the subscription's partner information: it must show your location ID. If it does, open a Partner Center support request.".into(),
                link: location.map(|l| dpor_link(&s.id, &l)),
                ..Fix::default()
            },
            _ => Fix {
                summary: format!(
                    "Check {} in Partner Center → Customers → {}: the subscription must be billed through you.",
                    s.name, c.name
                ),
                portal_path: Some(format!("Partner Center → Customers → {}", c.name)),
                ..Fix::default()
            },
        }
    }
}

/// A decision's reason without its verdict ("not PAL: X is disabled" → "X is disabled"):
/// the row already says which way it went.
fn reason(d: &Decision, ws: &Workspace, c: &Customer) -> String {
    let s = sentence(d, ws, c);
    match s.split_once(": ") {
        Some((verdict, rest))
            if verdict.starts_with("not ") || verdict.starts_with("counted as ") =>
        {
            rest.to_owned()
        }
        _ => s,
    }
}

fn identity_of(d: &Decision) -> Option<&crate::model::Id> {
    match &d.subject {
        Subject::Identity { identity, .. } => Some(identity),
        Subject::Resource { identity, .. } => identity.as_ref(),
        _ => None,
    }
}

fn other_rule(a: Association) -> Rule {
    match a {
        Association::CspT1 | Association::CspT2 => Rule::CspOtherPartner,
        Association::Dpor => Rule::DporOtherPartner,
        _ => Rule::PalOtherPartnerLater,
    }
}

fn labels(set: &BTreeSet<Association>) -> String {
    set.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ")
}

/// The designations whose metrics read Azure consumption (what attribution can move).
fn reads_azure(rules: &RuleSet, id: &str) -> bool {
    rules.designation(id).is_some_and(|d| {
        d.tracks
            .iter()
            .any(|t| t.metrics.iter().any(|m| m.calc.reads_azure_usage()))
    })
}

/// Microsoft's reported attribution as credits: in each covered month, a subscription's
/// lines carry the associations Partner Center reports for it (none when it reports
/// nothing); before the covered months, the inventory's.
fn reported_attribution(
    ws: &Workspace,
    inventory: &Attribution,
    covered: (Month, Month),
) -> Attribution {
    let view = Viewpoint::of_workspace(ws);
    let mut att = inventory.clone();
    let months: Vec<(Month, usize)> = Month::range(covered.0.max(att.from), covered.1.min(att.to))
        .filter_map(|m| Some((m, att.slot(m)?)))
        .collect();
    if months.is_empty() {
        return att;
    }
    for (ci, c) in ws.customers.iter().enumerate() {
        let reported = ReportedMonths::of(c);
        // What Partner Center credits in each month, found once per subscription.
        let mut by_subscription: HashMap<Option<u128>, Vec<(usize, Credits)>> = HashMap::new();
        for (li, u) in c.usage.iter().enumerate() {
            let number = u.scope.subscription_number();
            let slots = by_subscription.entry(number).or_insert_with(|| {
                let runs = number.map_or(&[][..], |n| reported.runs(n));
                months
                    .iter()
                    .map(|&(m, slot)| {
                        let credits = in_month(runs, m)
                            .filter(|r| {
                                r.partners.is_empty()
                                    || r.partners.iter().any(|p| view.whose(p) != Whose::Other)
                            })
                            .map_or(Credits::NONE, |r| Credits::of(&r.associations));
                        (slot, credits)
                    })
                    .collect()
            });
            Rc::make_mut(&mut att.customers[ci]).set_line_slots(li, slots);
        }
    }
    att
}

/// The two scores side by side, and each row's points at stake: Microsoft's reported
/// attribution re-scored with the row's missing associations credited in the month.
fn score_rows(
    ws: &Workspace,
    rules: &RuleSet,
    prepared: &Prepared<'_>,
    m: Month,
    covered: (Month, Month),
    points: &RowPoints,
    out: &mut Reconciliation,
) {
    let wanted = |id: &str| reads_azure(rules, id);
    let view = Viewpoint::of_workspace(ws);
    let (reads_from, _, last) = crate::scoring::window(ws, rules);
    // Side by side, on the workspace as it is.
    let inventory_att = prepared.attribute(reads_from, last);
    let reported_att = reported_attribution(ws, &inventory_att, covered);
    let months = [m];
    let inv = crate::scoring::evaluate_attributed(prepared, &inventory_att, &months, wanted);
    let rep = crate::scoring::evaluate_attributed(prepared, &reported_att, &months, wanted);
    let rep_kept = rep.clone();
    let total = |e: &crate::scoring::Evaluation, id: &str| {
        e.designations
            .iter()
            .find(|d| d.id == id)
            .and_then(|d| d.month(m))
            .map_or(0.0, |tm| tm.total)
    };
    for d in &inv.designations {
        let metric_points = |e: &crate::scoring::Evaluation| -> Vec<(String, f64)> {
            e.designations
                .iter()
                .find(|x| x.id == d.id)
                .and_then(|x| x.month(m))
                .map(|tm| {
                    tm.metrics
                        .iter()
                        .map(|x| (x.id.clone(), x.points))
                        .collect()
                })
                .unwrap_or_default()
        };
        let designation = rules.designation(&d.id);
        let reads = |metric: &str| {
            designation.is_some_and(|dr| {
                dr.tracks.iter().any(|t| {
                    t.metrics
                        .iter()
                        .any(|x| x.id == metric && x.calc.reads_azure_usage())
                })
            })
        };
        let (ri, ii) = (metric_points(&rep), metric_points(&inv));
        out.scores.push(ScorePair {
            designation: d.id.clone(),
            name: d.name.clone(),
            reported: total(&rep, &d.id),
            inventory: total(&inv, &d.id),
            metrics: ii
                .iter()
                .filter(|(id, _)| reads(id))
                .map(|(id, p)| {
                    (
                        id.clone(),
                        ri.iter().find(|(x, _)| x == id).map_or(0.0, |x| x.1),
                        *p,
                    )
                })
                .collect(),
        });
    }

    // Points at stake: rows whose credit is missing or another partner's.
    let at_stake: Vec<usize> = out
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.class, Class::MissingCredit | Class::OtherPartner))
        .map(|(i, _)| i)
        .collect();
    for r in out.rows.iter_mut() {
        if !matches!(r.class, Class::MissingCredit | Class::OtherPartner) {
            r.points_at_stake = Some(0.0);
        }
    }
    if at_stake.is_empty() {
        return;
    }
    // Where the month's ACR is taken from an earlier month, the estimate goes in.
    // (The workspace is copied only when a row's ACR is estimated.)
    let mut est = None;
    let mut estimated = false;
    for &i in &at_stake {
        let r = &out.rows[i];
        let Some(from) = r.acr_from else { continue };
        let Some(c) = est
            .get_or_insert_with(|| ws.clone())
            .customers
            .iter_mut()
            .find(|c| c.id.as_str() == r.customer)
        else {
            continue;
        };
        for u in c.usage.iter_mut() {
            if in_subscription(u, &r.subscription) {
                let v = u.acr.get(from);
                u.acr.set(m, v);
                estimated = true;
            }
        }
    }
    let est_prepared;
    let (p, base_att, base) = if let Some(est) = est.as_ref().filter(|_| estimated) {
        est_prepared = Prepared::new(est, rules, view);
        let inv = est_prepared.attribute(reads_from, last);
        let rep = reported_attribution(est, &inv, covered);
        let base = crate::scoring::evaluate_attributed(&est_prepared, &rep, &months, wanted);
        (&est_prepared, rep, base)
    } else {
        // No estimate: Partner Center's side as scored above.
        (prepared, reported_att, rep_kept)
    };
    let Some(slot) = base_att.slot(m) else { return };
    // A designation whose every metric that credit can raise is already at its maximum on
    // every track gains nothing from more credit: it is not re-scored.
    let saturated = |id: &str| -> bool {
        let (Some(d), Some(score)) = (
            rules.designation(id),
            base.designations.iter().find(|x| x.id == id),
        ) else {
            return false;
        };
        d.tracks.iter().zip(&score.tracks).all(|(tr, ts)| {
            let Some(tm) = ts.months.iter().find(|x| x.month == m) else {
                return false;
            };
            tr.metrics.iter().zip(&tm.metrics).all(|(mr, ms)| {
                !mr.calc.reads_azure_usage()
                    || (mr.calc.rises_with_credit() && ms.points >= mr.max.value - 1e-9)
            })
        })
    };
    let open: Vec<String> = base
        .designations
        .iter()
        .map(|d| d.id.clone())
        .filter(|id| !saturated(id))
        .collect();
    // The designations a row's lines can move: open ones with a metric reading its services.
    let moved_by = |ci: usize, sub: &Guid| -> Vec<String> {
        let services: Vec<&str> = ws.customers[ci]
            .usage
            .iter()
            .filter(|u| in_subscription(u, sub))
            .map(|u| u.service.as_str())
            .collect();
        open.iter()
            .filter(|id| {
                rules.designation(id).is_some_and(|d| {
                    d.tracks.iter().any(|t| {
                        t.metrics.iter().any(|mr| {
                            services
                                .iter()
                                .any(|s| mr.calc.reads_service(&rules.scoring, s))
                        })
                    })
                })
            })
            .cloned()
            .collect()
    };
    let resolve = |att: &mut Attribution, ci: usize, r: &Row| {
        let add: Vec<Association> = r
            .differences
            .iter()
            .filter(|d| matches!(d.class, Class::MissingCredit | Class::OtherPartner))
            .map(|d| d.association)
            .collect();
        for (li, u) in ws.customers[ci].usage.iter().enumerate() {
            if in_subscription(u, &r.subscription) {
                let credits = Rc::make_mut(&mut att.customers[ci]);
                let cell = credits.line(li)[slot];
                credits.set_line(li, slot, add.iter().fold(cell, |acc, a| acc.with(*a)));
            }
        }
    };
    let gains_of = |att: &Attribution, ids: &[String]| -> Vec<DesignationPoints> {
        if ids.is_empty() {
            return Vec::new();
        }
        let after =
            crate::scoring::evaluate_attributed(p, att, &months, |id| ids.iter().any(|x| x == id));
        after
            .designations
            .iter()
            .map(|d| DesignationPoints {
                designation: d.id.clone(),
                name: d.name.clone(),
                points: total(&after, &d.id) - total(&base, &d.id),
            })
            .filter(|g| g.points > 1e-9)
            .collect()
    };
    let index: HashMap<&str, usize> = ws
        .customers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let measured = |r: &Row| match points {
        RowPoints::All => true,
        RowPoints::None => false,
        RowPoints::UpTo(n) => at_stake.len() <= *n,
        RowPoints::Only(c, sub) => r.customer == *c && r.subscription == *sub,
    };
    for i in &at_stake {
        let r = &out.rows[*i];
        if r.acr.is_none() || !measured(r) {
            continue;
        }
        let Some(&ci) = index.get(r.customer.as_str()) else {
            continue;
        };
        let ids = moved_by(ci, &r.subscription);
        let gains = if ids.is_empty() {
            Vec::new()
        } else {
            let mut att = base_att.clone();
            resolve(&mut att, ci, r);
            gains_of(&att, &ids)
        };
        let row = &mut out.rows[*i];
        row.points_at_stake = Some(gains.iter().fold(0.0, |a, g| a + g.points));
        row.at_stake = gains;
    }
    // Each class's rows resolved together: what the class as a whole puts at stake (gains
    // overlap where a metric reaches its maximum, so this is not the rows' sum).
    for class in [Class::MissingCredit, Class::OtherPartner] {
        let mut att = base_att.clone();
        let mut any = false;
        for r in out
            .rows
            .iter()
            .filter(|r| r.class == class && r.acr.is_some())
        {
            if let Some(&ci) = index.get(r.customer.as_str()) {
                resolve(&mut att, ci, r);
                any = true;
            }
        }
        let gain = if any {
            gains_of(&att, &open)
        } else {
            Vec::new()
        };
        out.class_points
            .insert(class, gain.iter().fold(0.0, |a, g| a + g.points));
    }
}

/// The reconciliation as `pcs reconcile --json` writes it (the contract in
/// `docs/reconciliation.md`).
pub fn to_json(r: &Reconciliation) -> serde_json::Value {
    use serde_json::json;
    let round = |v: f64| (v * 100.0).round() / 100.0;
    let summary: serde_json::Map<String, serde_json::Value> = Class::ALL
        .iter()
        .map(|c| {
            let s = r.summary_of(*c);
            (
                c.id().to_owned(),
                json!({ "rows": s.rows, "acr": round(s.acr), "points_at_stake": round(s.points_at_stake), "unknown": s.unknown }),
            )
        })
        .collect();
    let rows: Vec<serde_json::Value> = r
        .rows
        .iter()
        .map(|row| {
            json!({
                "customer": row.customer,
                "customer_name": row.customer_name,
                "tenant_id": row.tenant_id,
                "subscription": row.subscription,
                "subscription_name": row.subscription_name,
                "month": row.month,
                "reported": row.reported,
                "reported_partners": row.reported_partners,
                "computed": row.computed,
                "supported": row.supported,
                "class": row.class,
                "rule": row.rule,
                "message": row.message,
                "fix": row.fix.as_ref().map(|f| f.summary.clone()),
                "commands": row.fix.as_ref().map(|f| f.commands.clone()).unwrap_or_default(),
                "acr": row.acr.map(round),
                "acr_from": row.acr_from,
                "points_at_stake": row.points_at_stake.map(round),
                "at_stake": row.at_stake.iter().map(|g| json!({ "designation": g.designation, "points": round(g.points) })).collect::<Vec<_>>(),
                "differences": row.differences,
            })
        })
        .collect();
    json!({
        "month": r.month,
        "covered": r.covered.map(|(a, b)| json!({ "from": a, "to": b })),
        "data_date": r.data_date,
        "summary": summary,
        "scores": r.scores.iter().map(|s| json!({
            "designation": s.designation,
            "reported": round(s.reported),
            "inventory": round(s.inventory),
            "metrics": s.metrics.iter().map(|(id, a, b)| json!({ "id": id, "reported": round(*a), "inventory": round(*b) })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "rows": rows,
    })
}

/// The reconciliation as text for the terminal.
pub fn to_text(r: &Reconciliation) -> String {
    let mut out = String::new();
    let Some((from, to)) = r.covered else {
        return "No Partner Center attribution in the workspace: import the Azure usage download (Insights → Cloud product performance → Azure) first.\n".into();
    };
    if r.month < from || r.month > to {
        return format!(
            "Partner Center's attribution covers {from} to {to}; {} is outside it.\n",
            r.month
        );
    }
    out.push_str(&format!(
        "Reconciliation of {} (Partner Center data of {}, covering {from} to {to})\n\n",
        r.month, r.data_date
    ));
    for c in Class::ALL {
        let s = r.summary_of(c);
        out.push_str(&format!(
            "  {:<30} {:>4} rows  {:>12} ACR  {:>7.2} points at stake{}\n",
            c.label(),
            s.rows,
            money(s.acr),
            s.points_at_stake,
            if s.unknown > 0 {
                format!(" ({} unknown)", s.unknown)
            } else {
                String::new()
            }
        ));
    }
    out.push_str("\nScores in the month (Partner Center should show → your tenants support):\n");
    for s in &r.scores {
        out.push_str(&format!(
            "  {:<34} {:>6.2} → {:>6.2}\n",
            s.name, s.reported, s.inventory
        ));
    }
    for c in Class::ALL.into_iter().filter(|c| *c != Class::Agree) {
        let rows: Vec<&Row> = r.rows.iter().filter(|x| x.class == c).collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}:\n", c.label()));
        for row in rows {
            out.push_str(&format!(
                "  {} · {} ({})\n    {}\n",
                row.customer_name, row.subscription_name, row.subscription, row.message
            ));
            if let Some(f) = &row.fix {
                out.push_str(&format!("    fix: {}\n", f.summary));
                for cmd in &f.commands {
                    for line in cmd.text.lines() {
                        out.push_str(&format!("      {line}\n"));
                    }
                }
            }
            match row.points_at_stake {
                Some(p) if p > 0.0 => out.push_str(&format!("    at stake: {p:.2} points\n")),
                None => {
                    out.push_str("    at stake: unknown (no ACR known for this subscription)\n")
                }
                _ => {}
            }
        }
    }
    out
}
