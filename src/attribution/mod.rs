//! Attribution: which of a partner's associations credit each Azure usage line and each
//! Microsoft 365 / Dynamics 365 / Power Platform workload, month by month, and why not.
//!
//! One decision procedure serves two callers through a [`Sink`]: the scorer collects
//! only credit bits for many months (fast, no allocation per line), the explainer
//! collects every [`Decision`] with its [`Rule`], subject and dates for one month.

pub mod cua;
pub mod explain;

use crate::model::*;
use crate::rules::RuleSet;
use crate::validate::scope::{AzureScope, ScopeRef};
use serde::Serialize;
use std::collections::HashMap;
use std::rc::Rc;

pub use crate::model::Association;

/// The set of associations (and, for CPOR, the claim roles) that credit an item in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Credits(u16);

impl Credits {
    pub const NONE: Credits = Credits(0);

    pub fn has(self, a: Association) -> bool {
        self.0 & a.bit() != 0
    }

    pub fn any(self) -> bool {
        self.0 & 0b11111 != 0
    }

    /// The credits of exactly the associations in `set`.
    pub fn of(set: &[Association]) -> Credits {
        Credits(set.iter().fold(0, |acc, a| acc | a.bit()))
    }

    /// Shares at least one association with `other`.
    pub fn intersects(self, other: Credits) -> bool {
        self.0 & other.0 & 0b11111 != 0
    }

    /// Credited by at least one of `set`.
    pub fn any_of(self, set: &[Association]) -> bool {
        set.iter().any(|a| self.has(*a))
    }

    /// The credits of any approved CPOR claim in one of `roles`.
    pub fn of_claim_roles(roles: &[ClaimRole]) -> Credits {
        Credits(roles.iter().fold(0, |acc, r| acc | 1 << (8 + *r as u16)))
    }

    /// Both credits together.
    pub fn union(self, other: Credits) -> Credits {
        Credits(self.0 | other.0)
    }

    /// Shares an association or a claim role with `other` (credits built as a mask of what
    /// may credit something: [`Credits::of`], [`Credits::of_claim_roles`]).
    pub fn meets(self, other: Credits) -> bool {
        self.0 & other.0 != 0
    }

    /// Credited by an approved CPOR claim in `role`.
    pub fn has_claim_role(self, role: ClaimRole) -> bool {
        self.0 & (1 << (8 + role as u16)) != 0
    }

    pub fn associations(self) -> impl Iterator<Item = Association> {
        Association::ALL.into_iter().filter(move |a| self.has(*a))
    }

    fn add(&mut self, a: Association) {
        self.0 |= a.bit();
    }

    /// These credits and `a` (the reconciliation adds a credit Microsoft did not report).
    pub fn with(mut self, a: Association) -> Credits {
        self.add(a);
        self
    }

    fn add_claim_role(&mut self, role: ClaimRole) {
        self.0 |= 1 << (8 + role as u16);
    }
}

/// The rule behind every decision. Credits first, then refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    CspDirectBill,
    CspIndirectProvider,
    CspIndirectReseller,
    DporActive,
    PalRoleCoversScope,
    PalGroupRoleCoversScope,
    PalLighthouseDelegation,
    PalResourceOwner,
    CporApproved,

    ExcludedOffer,
    ExcludedCloud,
    CspOtherPartner,
    DporOtherPartner,
    DporGlobalId,
    DporMissing,
    DporEndedByMove,
    PalGlobalId,
    PalWrongTenant,
    PalIdentityDisabled,
    PalIdentityDeleted,
    PalAdminAgents,
    PalClassicAdminOnly,
    PalEligibleOnly,
    PalNoRole,
    PalExcludedOffer,
    PalScopeNotCovered,
    PalRoleNotActive,
    PalLinkNotActive,
    PalEndedByMove,
    PalCountedAsCsp,
    PalNotLinked,
    PalOtherPartnerLater,
    PalOwnerNotLinked,
    CporNotApproved,
    CporGlobalId,
    CporDisassociated,
    CporOnCspSubscription,
    CporNotDynamics,
    CporNoClaim,
}

impl Rule {
    pub fn credits(self) -> bool {
        self <= Rule::CporApproved
    }

    /// A refusal of an association of ours that exists but does not count (wrong ID,
    /// wrong tenant, not approved, ended by a move…), as opposed to one that is missing.
    pub fn is_broken(self) -> bool {
        use Rule::*;
        matches!(
            self,
            DporGlobalId
                | DporEndedByMove
                | PalGlobalId
                | PalWrongTenant
                | PalIdentityDisabled
                | PalIdentityDeleted
                | PalAdminAgents
                | PalClassicAdminOnly
                | PalEligibleOnly
                | PalNoRole
                | PalScopeNotCovered
                | PalRoleNotActive
                | PalLinkNotActive
                | PalEndedByMove
                | CporNotApproved
                | CporGlobalId
                | CporDisassociated
                | CporOnCspSubscription
                | CporNotDynamics
        )
    }

    /// The rule's stable id, as in reports.
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// What a decision is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    Customer,
    Subscription {
        subscription: Guid,
    },
    Identity {
        identity: Id,
        #[serde(skip_serializing_if = "Option::is_none")]
        via_group: Option<Id>,
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        scope: Option<String>,
    },
    Claim {
        claim: Id,
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<ClaimStatus>,
    },
    Resource {
        resource: Id,
        #[serde(skip_serializing_if = "Option::is_none")]
        identity: Option<Id>,
    },
}

/// One association considered for one item in one month: credited or refused, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub association: Association,
    pub rule: Rule,
    pub credited: bool,
    pub subject: Subject,
    /// The partner ID involved (ours, our global ID, or another partner's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner: Option<PartnerId>,
    /// Since when the decision holds (link, DPOR, approval, move or state date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
}

/// Whose point of view: the workspace's partner, or another partner ID in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewpoint {
    pub name: String,
    pub locations: Vec<PartnerId>,
    /// Our PGA ID: recognised for nothing, reported when used by mistake.
    pub global_id: Option<PartnerId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Ours,
    OurGlobalId,
    Other,
}

impl Viewpoint {
    pub fn of_workspace(ws: &Workspace) -> Viewpoint {
        Viewpoint {
            name: ws.partner.name.clone(),
            locations: ws.partner.locations.iter().map(|l| l.id.clone()).collect(),
            global_id: ws.partner.global_id.clone(),
        }
    }

    /// The view of another partner ID found in the file (workshop questions).
    pub fn of_partner(ws: &Workspace, id: &PartnerId) -> Viewpoint {
        if ws.is_our_location(id) || ws.partner.global_id.as_ref() == Some(id) {
            return Viewpoint::of_workspace(ws);
        }
        Viewpoint {
            name: ws.partner_name(id),
            locations: vec![id.clone()],
            global_id: None,
        }
    }

    pub fn whose(&self, id: &PartnerId) -> Whose {
        if self.locations.contains(id) {
            Whose::Ours
        } else if self.global_id.as_ref() == Some(id) {
            Whose::OurGlobalId
        } else {
            Whose::Other
        }
    }
}

/// Where decisions go: bits for the scorer, full decisions for the explainer.
trait Sink {
    const EXPLAIN: bool;
    fn credit(&mut self, a: Association, d: impl FnOnce() -> Decision);
    fn claim_role(&mut self, role: ClaimRole);
    fn refuse(&mut self, d: impl FnOnce() -> Decision);
}

impl Sink for Credits {
    const EXPLAIN: bool = false;
    fn credit(&mut self, a: Association, _: impl FnOnce() -> Decision) {
        self.add(a);
    }
    fn claim_role(&mut self, role: ClaimRole) {
        self.add_claim_role(role);
    }
    fn refuse(&mut self, _: impl FnOnce() -> Decision) {}
}

impl Sink for Vec<Decision> {
    const EXPLAIN: bool = true;
    fn credit(&mut self, _: Association, d: impl FnOnce() -> Decision) {
        self.push(d());
    }
    fn claim_role(&mut self, _: ClaimRole) {}
    fn refuse(&mut self, d: impl FnOnce() -> Decision) {
        self.push(d());
    }
}

/// A role assignment through which a linked identity can earn PAL credit.
#[derive(Debug)]
struct Grant {
    identity: usize,
    /// The group holding the role, when the role is the group's.
    group: Option<usize>,
    role: usize,
    link: usize,
    /// The role's scope, in the customer's role scopes read for the preparation.
    scope: u32,
}

#[derive(Debug)]
struct SubPrep {
    excluded: Option<Rule>,
    /// PAL is not recognised on the subscription's offer.
    pal_excluded: bool,
    /// Whose the CSP partner is, and whether the reseller (if any) is ours: found once, not
    /// in each month of each line and workload.
    csp: Option<(Whose, bool)>,
    /// Whose each DPOR entry's partner is.
    dpor: Vec<Whose>,
}

#[derive(Debug)]
struct LinePrep {
    sub: Option<usize>,
    /// Where the grants whose role scope covers this line sit in
    /// [`CustomerPrep::covering`] (scope coverage never changes with time).
    covering: (u32, u32),
}

/// A CPOR claim as every month's decision reads it: whose it is and the subscription
/// it names (found once, not in each month).
#[derive(Debug)]
struct ClaimPrep {
    whose: Whose,
    sub: Option<usize>,
}

#[derive(Debug)]
struct WorkloadPrep {
    sub: Option<usize>,
    claims: Vec<usize>,
    resources: Vec<usize>,
}

impl CustomerPrep {
    /// The grants covering a line.
    fn covering_of(&self, lp: &LinePrep) -> &[u32] {
        &self.covering[lp.covering.0 as usize..lp.covering.1 as usize]
    }
}

/// One customer indexed for attribution (it depends on that customer, the rules and the
/// point of view only, so a re-score of a workspace that differs in a few customers keeps
/// the others').
#[derive(Debug)]
pub struct CustomerPrep {
    excluded_cloud: bool,
    subs: Vec<SubPrep>,
    lines: Vec<LinePrep>,
    /// The covering grants of every line, laid end to end (one allocation per customer
    /// instead of one per line).
    covering: Vec<u32>,
    grants: Vec<Grant>,
    /// Groups each identity belongs to.
    groups_of: Vec<Vec<usize>>,
    workloads: Vec<WorkloadPrep>,
    claims: Vec<ClaimPrep>,
}

/// A workspace indexed for attribution from one point of view.
pub struct Prepared<'w> {
    pub ws: &'w Workspace,
    pub rules: &'w RuleSet,
    pub view: Viewpoint,
    customers: Vec<Rc<CustomerPrep>>,
}

/// Credits of every usage line, workload and Power Platform resource, for each month of a range.
#[derive(Debug, Clone)]
pub struct Attribution {
    pub from: Month,
    pub to: Month,
    /// Per customer, shared when a re-score keeps the customer as it was.
    pub customers: Vec<Rc<CustomerCredits>>,
}

#[derive(Debug, Clone, Default)]
pub struct CustomerCredits {
    /// Months per row.
    months: usize,
    /// The row of each usage line in `line_credits`: lines decided alike (same subscription,
    /// same covering grants) share one.
    line_row: Vec<u32>,
    /// `[row * months + m]`: credits of a row in month `from + m`.
    line_credits: Vec<Credits>,
    /// `[workload * months + m]`: each workload's credits in month `from + m`, laid end to
    /// end (the metrics read them for every customer, workload and month of the window).
    workloads: Vec<Credits>,
    /// How many workloads `workloads` holds (kept apart: with no month it holds none).
    workload_count: usize,
    pub resources: Vec<Vec<Credits>>,
    /// Whether any usage line or workload is credited, month by month: taken on first use
    /// (scoring asks it of every customer in every month of the window, and a re-score
    /// keeps the customers it does not change, this with them).
    associated: std::cell::OnceCell<Vec<bool>>,
}

impl CustomerCredits {
    /// Usage line `li`'s credits, month by month from the attribution's first.
    pub fn line(&self, li: usize) -> &[Credits] {
        let at = self.line_row[li] as usize * self.months;
        &self.line_credits[at..at + self.months]
    }

    /// Set usage line `li`'s credits in the month at `slot`, that line only (what the
    /// reconciliation does to re-score Microsoft's reported attribution).
    pub fn set_line(&mut self, li: usize, slot: usize, credits: Credits) {
        self.set_line_slots(li, &[(slot, credits)]);
    }

    /// Line `li`'s credits set in each month slot given.
    pub fn set_line_slots(&mut self, li: usize, slots: &[(usize, Credits)]) {
        let lines = self.line_row.len();
        if self.line_credits.len() != lines * self.months {
            // Rows are shared: give each line its own before changing one.
            let own: Vec<Credits> = (0..lines).flat_map(|l| self.line(l).to_vec()).collect();
            self.line_credits = own;
            self.line_row = (0..lines as u32).collect();
        }
        let row = self.line_row[li] as usize;
        for &(slot, credits) in slots {
            self.line_credits[row * self.months + slot] = credits;
        }
        self.associated = std::cell::OnceCell::new();
    }

    /// Workload `wi`'s credits, month by month from the attribution's first.
    pub fn workload(&self, wi: usize) -> &[Credits] {
        &self.workloads[wi * self.months..(wi + 1) * self.months]
    }

    /// How many workloads the customer has.
    pub fn workload_count(&self) -> usize {
        self.workload_count
    }

    /// Whether any usage line or workload is credited in the month at `slot`.
    pub fn associated(&self, slot: usize) -> bool {
        let months = self.associated.get_or_init(|| {
            (0..self.months)
                .map(|s| {
                    (0..self.line_row.len()).any(|li| self.line(li)[s].any())
                        || (0..self.workload_count()).any(|wi| self.workload(wi)[s].any())
                })
                .collect()
        });
        months.get(slot).copied().unwrap_or(false)
    }
}

impl Attribution {
    /// How many months the rows cover (`from..=to`).
    pub fn months(&self) -> usize {
        usize::try_from(self.to.since(self.from) + 1).unwrap_or(0)
    }

    /// The index of month `m` in the per-month rows, if the range covers it.
    pub fn slot(&self, m: Month) -> Option<usize> {
        (m >= self.from && m <= self.to).then(|| m.since(self.from) as usize)
    }

    pub fn line(&self, customer: usize, line: usize, m: Month) -> Credits {
        self.slot(m)
            .map_or(Credits::NONE, |s| self.customers[customer].line(line)[s])
    }

    pub fn workload(&self, customer: usize, workload: usize, m: Month) -> Credits {
        self.slot(m).map_or(Credits::NONE, |s| {
            self.customers[customer].workload(workload)[s]
        })
    }

    pub fn resource(&self, customer: usize, resource: usize, m: Month) -> Credits {
        self.slot(m).map_or(Credits::NONE, |s| {
            self.customers[customer].resources[resource][s]
        })
    }
}

/// A hasher for keys made of our own indexes (a subscription's position, the role grants
/// covering a line): std's SipHash guards against keys chosen to collide, which indexes
/// the engine assigns cannot be, and costs a quarter of deciding the lines.
pub(crate) type IndexHash = std::hash::BuildHasherDefault<IndexHasher>;

#[derive(Default)]
pub(crate) struct IndexHasher(u64);

impl IndexHasher {
    fn add(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(4);
        for c in &mut chunks {
            self.add(u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
        }
        for b in chunks.remainder() {
            self.add(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// Power Platform resource kinds and the workload each belongs to.
pub fn resource_workload(kind: PowerPlatformKind) -> &'static str {
    match kind {
        PowerPlatformKind::PowerApp => "power_apps",
        PowerPlatformKind::Flow => "power_automate",
        PowerPlatformKind::Dataset => "power_bi",
        PowerPlatformKind::CustomerInsights => "customer_insights",
    }
}

/// Whether a role earns partner earned credit: read-only roles (by the rule set's suffixes) do not.
pub fn is_role_pec_eligible(rules: &RuleSet, role: &str) -> bool {
    let role = role.trim();
    !rules
        .attribution
        .pec_ineligible_role_suffixes
        .value
        .iter()
        .any(|s| role.ends_with(s.as_str()))
}

impl<'w> Prepared<'w> {
    pub fn new(ws: &'w Workspace, rules: &'w RuleSet, view: Viewpoint) -> Prepared<'w> {
        Prepared::reusing(ws, rules, view, |_| None)
    }

    /// Prepared like [`Prepared::new`], taking customer `ci`'s index from `kept(ci)` when it
    /// gives one (the same customer, rules and point of view).
    pub fn reusing(
        ws: &'w Workspace,
        rules: &'w RuleSet,
        view: Viewpoint,
        kept: impl Fn(usize) -> Option<Rc<CustomerPrep>>,
    ) -> Prepared<'w> {
        let mut prepared =
            Prepared::of_customers(ws, rules, view, Vec::with_capacity(ws.customers.len()));
        while prepared.prepare_next(&kept).is_some() {}
        prepared
    }

    /// Prepared from customer indexes made before, in the workspace's order: the first
    /// `customers.len()` customers only (a preparation in steps attributes those).
    pub fn of_customers(
        ws: &'w Workspace,
        rules: &'w RuleSet,
        view: Viewpoint,
        customers: Vec<Rc<CustomerPrep>>,
    ) -> Prepared<'w> {
        debug_assert!(customers.len() <= ws.customers.len());
        Prepared {
            ws,
            rules,
            view,
            customers,
        }
    }

    /// Prepared and attributed over `from..=to` in one pass, customer by customer: each
    /// customer's credits are decided right after its index is built, while its records are
    /// still in cache (the same [`Prepared`] and [`Attribution`] as [`Prepared::new`] and
    /// [`Prepared::attribute`] give; on a workspace larger than the cache, one pass over the
    /// records instead of two).
    pub fn attributed(
        ws: &'w Workspace,
        rules: &'w RuleSet,
        view: Viewpoint,
        from: Month,
        to: Month,
    ) -> (Prepared<'w>, Attribution) {
        let days = last_days(Month::range(from, to));
        let n = ws.customers.len();
        let mut prepared = Prepared::of_customers(ws, rules, view, Vec::with_capacity(n));
        let mut customers = Vec::with_capacity(n);
        while let Some(ci) = prepared.prepare_next(|_| None) {
            customers.push(Rc::new(prepared.credits_on(ci, &days)));
        }
        let att = Attribution {
            from,
            to,
            customers,
        };
        (prepared, att)
    }

    /// Index the workspace's next customer `ci` (the first not prepared yet), or take
    /// `kept(ci)` as its index when it gives one: its position, none once every customer is
    /// prepared. A pass that reads each customer once prepares it here and goes on with it
    /// ([`Prepared::attributed`], the findings).
    pub fn prepare_next(
        &mut self,
        kept: impl FnOnce(usize) -> Option<Rc<CustomerPrep>>,
    ) -> Option<usize> {
        let ci = self.customers.len();
        let c = self.ws.customers.get(ci)?;
        let prep = kept(ci).unwrap_or_else(|| Rc::new(prepare_customer(c, self.rules, &self.view)));
        self.customers.push(prep);
        Some(ci)
    }

    /// Customer `ci`'s index, to keep for a later re-score.
    pub fn customer(&self, ci: usize) -> Rc<CustomerPrep> {
        Rc::clone(&self.customers[ci])
    }

    /// Credits for every item in every month of `from..=to`.
    pub fn attribute(&self, from: Month, to: Month) -> Attribution {
        self.attribute_reusing(from, to, |_| None)
    }

    /// Credits like [`Prepared::attribute`], taking customer `ci`'s from `kept(ci)` when it
    /// gives them (the same customer, months and point of view).
    pub fn attribute_reusing(
        &self,
        from: Month,
        to: Month,
        kept: impl Fn(usize) -> Option<Rc<CustomerCredits>>,
    ) -> Attribution {
        let days = last_days(Month::range(from, to));
        let customers = (0..self.ws.customers.len())
            .map(|ci| kept(ci).unwrap_or_else(|| Rc::new(self.credits_on(ci, &days))))
            .collect();
        Attribution {
            from,
            to,
            customers,
        }
    }

    /// The credits of customer `ci`'s usage lines, workloads and resources in each of
    /// `months` (they depend on that customer alone).
    pub fn customer_credits(&self, ci: usize, months: &[Month]) -> CustomerCredits {
        self.credits_on(ci, &last_days(months.iter().copied()))
    }

    /// [`Prepared::customer_credits`] on the months' last days (each month is decided on
    /// its last day).
    fn credits_on(&self, ci: usize, days: &[Date]) -> CustomerCredits {
        let c = &self.ws.customers[ci];
        // One row per item, one credit set per month, from one of the decide_* functions.
        let rows = |n: usize, decide: &dyn Fn(usize, Date, &mut Credits)| -> Vec<Vec<Credits>> {
            (0..n)
                .map(|i| {
                    days.iter()
                        .map(|&day| {
                            let mut credits = Credits::NONE;
                            decide(i, day, &mut credits);
                            credits
                        })
                        .collect()
                })
                .collect()
        };
        let (line_row, line_credits) = self.line_rows(ci, days);
        CustomerCredits {
            months: days.len(),
            line_row,
            line_credits,
            workloads: (0..c.workloads.len())
                .flat_map(|wi| {
                    days.iter().map(move |&day| {
                        let mut credits = Credits::NONE;
                        self.decide_workload(ci, wi, day, &mut credits);
                        credits
                    })
                })
                .collect(),
            workload_count: c.workloads.len(),
            resources: rows(c.power_platform.len(), &|ri, day, cr| {
                self.decide_resource(ci, ri, day, cr)
            }),
            associated: std::cell::OnceCell::new(),
        }
    }

    /// The credits of every usage line of a customer, month by month (`days`: each month's
    /// last). A line's credits
    /// depend only on its subscription and the role grants covering its scope, so lines
    /// sharing both (a resource group's resources, most often) are decided once and share
    /// one row: (each line's row, the rows laid end to end).
    fn line_rows(&self, ci: usize, days: &[Date]) -> (Vec<u32>, Vec<Credits>) {
        let (c, cp) = (&self.ws.customers[ci], &self.customers[ci]);
        let mut decided: HashMap<(Option<usize>, &[u32]), u32, IndexHash> = HashMap::default();
        // Lines sharing rows, a customer has few: room for up to eight, so that the rows
        // are not copied as they grow (what is left over stays with the credits).
        let mut rows: Vec<Credits> = Vec::with_capacity(if cp.lines.is_empty() {
            0
        } else {
            days.len() * cp.lines.len().min(8)
        });
        // A subscription's own credits (CSP, DPOR) in each month, and whether the CSP is
        // ours, decided once for all its lines' rows.
        let mut subscriptions: Vec<Option<(Credits, bool)>> =
            vec![None; c.subscriptions.len() * days.len()];
        let line_row = cp
            .lines
            .iter()
            .enumerate()
            .map(|(li, lp)| {
                *decided
                    .entry((lp.sub, cp.covering_of(lp)))
                    .or_insert_with(|| {
                        let row = (rows.len() / days.len().max(1)) as u32;
                        rows.extend(days.iter().enumerate().map(|(di, &day)| {
                            let mut credits = Credits::NONE;
                            self.decide_line_via(ci, li, day, &mut credits, |si, sink| {
                                let (own, csp_ours) = *subscriptions[si * days.len() + di]
                                    .get_or_insert_with(|| {
                                        let mut own = Credits::NONE;
                                        let ours = self.decide_subscription(
                                            c,
                                            &cp.subs[si],
                                            si,
                                            day,
                                            &mut own,
                                        );
                                        (own, ours)
                                    });
                                *sink = sink.union(own);
                                csp_ours
                            });
                            credits
                        }));
                        row
                    })
            })
            .collect();
        (line_row, rows)
    }

    /// The subscription (index) usage line `line` of customer `customer` runs in, and the
    /// rule that keeps it from counting in any month (its cloud or its offer), if one does.
    pub fn line_standing(&self, customer: usize, line: usize) -> (Option<usize>, Option<Rule>) {
        let cp = &self.customers[customer];
        let sub = cp.lines[line].sub;
        let excluded = if cp.excluded_cloud {
            Some(Rule::ExcludedCloud)
        } else {
            sub.and_then(|si| cp.subs[si].excluded)
        };
        (sub, excluded)
    }

    /// Every decision about usage line `line` of customer `customer` in month `m`.
    pub fn explain_line(&self, customer: usize, line: usize, m: Month) -> Vec<Decision> {
        let mut out = Vec::new();
        self.decide_line(customer, line, m.last_day(), &mut out);
        out
    }

    pub fn explain_workload(&self, customer: usize, workload: usize, m: Month) -> Vec<Decision> {
        let mut out = Vec::new();
        self.decide_workload(customer, workload, m.last_day(), &mut out);
        out
    }

    pub fn explain_resource(&self, customer: usize, resource: usize, m: Month) -> Vec<Decision> {
        let mut out = Vec::new();
        self.decide_resource(customer, resource, m.last_day(), &mut out);
        out
    }

    /// Whether a credited PAL line also earns partner earned credit (information only):
    /// the crediting role must not be read-only, or the access is delegated admin.
    pub fn pec_eligible(&self, customer: usize, decisions: &[Decision]) -> Option<bool> {
        let c = &self.ws.customers[customer];
        let pal: Vec<&Decision> = decisions
            .iter()
            .filter(|d| d.credited && d.association == Association::Pal)
            .collect();
        if pal.is_empty() {
            return None;
        }
        Some(pal.iter().any(|d| {
            match &d.subject {
                Subject::Identity {
                    identity,
                    role: Some(role),
                    ..
                } => {
                    is_role_pec_eligible(self.rules, role)
                        || c.identity(identity.as_str())
                            .is_some_and(|i| i.kind == IdentityKind::Lighthouse)
                }
                _ => false,
            }
        }))
    }

    fn excluded<S: Sink>(&self, ci: usize, sub: Option<usize>, sink: &mut S) -> bool {
        let cp = &self.customers[ci];
        if cp.excluded_cloud {
            sink.refuse(|| Decision {
                association: Association::Pal,
                rule: Rule::ExcludedCloud,
                credited: false,
                subject: Subject::Customer,
                partner: None,
                since: None,
            });
            return true;
        }
        if let Some(si) = sub
            && let Some(rule) = cp.subs[si].excluded
        {
            sink.refuse(|| Decision {
                association: Association::Pal,
                rule,
                credited: false,
                subject: Subject::Subscription {
                    subscription: self.ws.customers[ci].subscriptions[si].id.clone(),
                },
                partner: None,
                since: None,
            });
            return true;
        }
        false
    }

    /// CSP and DPOR on a subscription, as of `day`.
    fn decide_subscription<S: Sink>(
        &self,
        c: &Customer,
        sp: &SubPrep,
        si: usize,
        day: Date,
        sink: &mut S,
    ) -> bool {
        let s = &c.subscriptions[si];
        let mut csp_ours = false;
        if let (Some(csp), Some((whose, reseller_ours))) = (&s.csp, sp.csp) {
            let sub = || Subject::Subscription {
                subscription: s.id.clone(),
            };
            let (assoc, provider_rule) = match csp.tier {
                CspTier::Direct => (Association::CspT1, Rule::CspDirectBill),
                CspTier::Indirect => (Association::CspT2, Rule::CspIndirectProvider),
            };
            if whose == Whose::Ours {
                csp_ours = true;
                sink.credit(assoc, || Decision {
                    association: assoc,
                    rule: provider_rule,
                    credited: true,
                    subject: sub(),
                    partner: Some(csp.partner_id.clone()),
                    since: s.created,
                });
            } else if csp.tier == CspTier::Indirect && reseller_ours {
                csp_ours = true;
                sink.credit(Association::CspT2, || Decision {
                    association: Association::CspT2,
                    rule: Rule::CspIndirectReseller,
                    credited: true,
                    subject: sub(),
                    partner: csp.reseller_id.clone(),
                    since: s.created,
                });
            } else {
                sink.refuse(|| Decision {
                    association: assoc,
                    rule: Rule::CspOtherPartner,
                    credited: false,
                    subject: sub(),
                    partner: Some(csp.partner_id.clone()),
                    since: None,
                });
            }
            return csp_ours;
        }
        // DPOR: never on CSP subscriptions; one at a time; stops at an EA → Azure plan move.
        let active = s
            .dpor
            .iter()
            .zip(&sp.dpor)
            .find(|(d, _)| covers(Some(d.from), d.to, day));
        let sub = || Subject::Subscription {
            subscription: s.id.clone(),
        };
        match active {
            Some((d, &whose)) => match whose {
                Whose::Ours
                    if s.moved_to_azure_plan
                        .is_some_and(|mv| d.from < mv && day >= mv) =>
                {
                    sink.refuse(|| Decision {
                        association: Association::Dpor,
                        rule: Rule::DporEndedByMove,
                        credited: false,
                        subject: sub(),
                        partner: Some(d.partner_id.clone()),
                        since: s.moved_to_azure_plan,
                    });
                }
                Whose::Ours => sink.credit(Association::Dpor, || Decision {
                    association: Association::Dpor,
                    rule: Rule::DporActive,
                    credited: true,
                    subject: sub(),
                    partner: Some(d.partner_id.clone()),
                    since: Some(d.from),
                }),
                Whose::OurGlobalId => sink.refuse(|| Decision {
                    association: Association::Dpor,
                    rule: Rule::DporGlobalId,
                    credited: false,
                    subject: sub(),
                    partner: Some(d.partner_id.clone()),
                    since: Some(d.from),
                }),
                Whose::Other => sink.refuse(|| Decision {
                    association: Association::Dpor,
                    rule: Rule::DporOtherPartner,
                    credited: false,
                    subject: sub(),
                    partner: Some(d.partner_id.clone()),
                    since: Some(d.from),
                }),
            },
            None if S::EXPLAIN => {
                let moved = s.moved_to_azure_plan.filter(|mv| {
                    day >= *mv
                        && s.dpor
                            .iter()
                            .zip(&sp.dpor)
                            .any(|(d, &whose)| whose == Whose::Ours && d.from < *mv)
                });
                sink.refuse(|| Decision {
                    association: Association::Dpor,
                    rule: if moved.is_some() {
                        Rule::DporEndedByMove
                    } else {
                        Rule::DporMissing
                    },
                    credited: false,
                    subject: sub(),
                    partner: None,
                    since: moved,
                });
            }
            None => {}
        }
        false
    }

    fn decide_line<S: Sink>(&self, ci: usize, li: usize, day: Date, sink: &mut S) {
        let c = &self.ws.customers[ci];
        self.decide_line_via(ci, li, day, sink, |si, sink| {
            self.decide_subscription(c, &self.customers[ci].subs[si], si, day, sink)
        });
    }

    /// [`Prepared::decide_line`], deciding the line's subscription (CSP, DPOR) through
    /// `subscription`, which the fast path answers once per subscription and month.
    fn decide_line_via<S: Sink>(
        &self,
        ci: usize,
        li: usize,
        day: Date,
        sink: &mut S,
        subscription: impl FnOnce(usize, &mut S) -> bool,
    ) {
        let c = &self.ws.customers[ci];
        let cp = &self.customers[ci];
        let lp = &cp.lines[li];
        if self.excluded(ci, lp.sub, sink) {
            return;
        }
        let Some(si) = lp.sub else { return };
        let csp_ours = subscription(si, sink);
        let moved = c.subscriptions[si].moved_to_azure_plan;
        if cp.subs[si].pal_excluded {
            // PAL is not recognised on this offer (sponsored, 2026): CSP and DPOR still are.
            sink.refuse(|| Decision {
                association: Association::Pal,
                rule: Rule::PalExcludedOffer,
                credited: false,
                subject: Subject::Subscription {
                    subscription: c.subscriptions[si].id.clone(),
                },
                partner: None,
                since: None,
            });
            return;
        }

        // PAL through the role assignments that cover this line.
        let mut pal_credited = false;
        for &g in cp.covering_of(lp) {
            let grant = &cp.grants[g as usize];
            let identity = &c.identities[grant.identity];
            let holder = &c.identities[grant.group.unwrap_or(grant.identity)];
            let role = &holder.roles[grant.role];
            let link = &identity.pal[grant.link];
            let cut_by_move = moved.is_some_and(|mv| link.from < mv && day >= mv);
            let usable = covers(Some(link.from), link.to, day)
                && covers(role.from, role.to, day)
                && identity.active_on(day)
                && grant.group.is_none_or(|gi| c.identities[gi].active_on(day))
                && !cut_by_move;
            if !usable {
                continue;
            }
            pal_credited = true;
            let rule = if grant.group.is_some() {
                Rule::PalGroupRoleCoversScope
            } else if identity.kind == IdentityKind::Lighthouse {
                Rule::PalLighthouseDelegation
            } else {
                Rule::PalRoleCoversScope
            };
            let decision = || Decision {
                association: Association::Pal,
                rule,
                credited: true,
                subject: Subject::Identity {
                    identity: identity.id.clone(),
                    via_group: grant.group.map(|gi| c.identities[gi].id.clone()),
                    role: Some(role.role.clone()),
                    scope: Some(role.scope.to_string()),
                },
                partner: Some(link.partner_id.clone()),
                since: Some(link.from.max(role.from.unwrap_or(link.from))),
            };
            if S::EXPLAIN && csp_ours {
                // Counted once, as CSP: shown, but the PAL bit still lets designations
                // that accept PAL and not CSP count the line.
                let mut d = decision();
                d.rule = Rule::PalCountedAsCsp;
                sink.credit(Association::Pal, || d);
            } else {
                sink.credit(Association::Pal, decision);
            }
            if !S::EXPLAIN {
                break;
            }
        }
        if S::EXPLAIN && !pal_credited {
            self.explain_pal_refusals(c, cp, &c.usage[li], day, moved, sink);
        }
    }

    /// Why no identity earns PAL credit for a line: every linked identity's reason.
    fn explain_pal_refusals<S: Sink>(
        &self,
        c: &Customer,
        cp: &CustomerPrep,
        line: &UsageLine,
        day: Date,
        moved: Option<Date>,
        sink: &mut S,
    ) {
        // Parsed again here (the preparation keeps no copy): explaining is the rare path.
        let Some(line_scope) = &AzureScope::parse(&line.scope) else {
            return;
        };
        let mut any_link = false;
        for (ii, identity) in c.identities.iter().enumerate() {
            for link in &identity.pal {
                let whose = self.view.whose(&link.partner_id);
                if whose == Whose::Other {
                    continue;
                }
                any_link = true;
                let subject =
                    |role: Option<&RoleAssignment>, group: Option<&Identity>| Subject::Identity {
                        identity: identity.id.clone(),
                        via_group: group.map(|g| g.id.clone()),
                        role: role.map(|r| r.role.clone()),
                        scope: role.map(|r| r.scope.to_string()),
                    };
                let refuse =
                    |rule: Rule, role: Option<&RoleAssignment>, since: Option<Date>| Decision {
                        association: Association::Pal,
                        rule,
                        credited: false,
                        subject: subject(role, None),
                        partner: Some(link.partner_id.clone()),
                        since,
                    };
                if whose == Whose::OurGlobalId {
                    sink.refuse(|| refuse(Rule::PalGlobalId, None, Some(link.from)));
                    continue;
                }
                if !covers(Some(link.from), link.to, day) {
                    sink.refuse(|| {
                        refuse(
                            Rule::PalLinkNotActive,
                            None,
                            Some(link.to.unwrap_or(link.from)),
                        )
                    });
                    continue;
                }
                if link.tenant == LinkTenant::Home && identity.kind != IdentityKind::Lighthouse {
                    sink.refuse(|| refuse(Rule::PalWrongTenant, None, Some(link.from)));
                    continue;
                }
                if !identity.active_on(day) {
                    let rule = if identity.state == IdentityState::Deleted {
                        Rule::PalIdentityDeleted
                    } else {
                        Rule::PalIdentityDisabled
                    };
                    sink.refuse(|| refuse(rule, None, identity.state_since));
                    continue;
                }
                if identity.admin_agents {
                    sink.refuse(|| refuse(Rule::PalAdminAgents, None, None));
                    continue;
                }
                if moved.is_some_and(|mv| link.from < mv && day >= mv) {
                    sink.refuse(|| refuse(Rule::PalEndedByMove, None, moved));
                    continue;
                }
                // Roles: the identity's own and its groups'.
                let holders = std::iter::once(ii).chain(cp.groups_of[ii].iter().copied());
                let mut roles: Vec<(&RoleAssignment, Option<&Identity>)> = Vec::new();
                for h in holders {
                    let holder = &c.identities[h];
                    for r in &holder.roles {
                        roles.push((r, (h != ii).then_some(holder)));
                    }
                }
                if roles.is_empty() {
                    let rule = if identity.classic_admin {
                        Rule::PalClassicAdminOnly
                    } else {
                        Rule::PalNoRole
                    };
                    sink.refuse(|| refuse(rule, None, None));
                    continue;
                }
                let covering: Vec<&(&RoleAssignment, Option<&Identity>)> = roles
                    .iter()
                    .filter(|(r, _)| {
                        AzureScope::parse(&r.scope).is_some_and(|s| s.covers(line_scope))
                    })
                    .collect();
                let Some((role, group)) = covering.first() else {
                    let first = roles[0].0;
                    let rule = if identity.classic_admin {
                        Rule::PalClassicAdminOnly
                    } else {
                        Rule::PalScopeNotCovered
                    };
                    sink.refuse(|| refuse(rule, Some(first), None));
                    continue;
                };
                let (rule, since) = if covering.iter().all(|(r, _)| r.eligible_only) {
                    (Rule::PalEligibleOnly, None)
                } else {
                    (Rule::PalRoleNotActive, role.to.or(role.from))
                };
                sink.refuse(|| Decision {
                    association: Association::Pal,
                    rule,
                    credited: false,
                    subject: subject(Some(role), *group),
                    partner: Some(link.partner_id.clone()),
                    since,
                });
            }
        }
        if !any_link {
            sink.refuse(|| Decision {
                association: Association::Pal,
                rule: Rule::PalNotLinked,
                credited: false,
                subject: Subject::Customer,
                partner: None,
                since: None,
            });
        }
    }

    fn decide_workload<S: Sink>(&self, ci: usize, wi: usize, day: Date, sink: &mut S) {
        let c = &self.ws.customers[ci];
        let cp = &self.customers[ci];
        let wp = &cp.workloads[wi];
        if self.excluded(ci, wp.sub, sink) {
            return;
        }
        if let Some(si) = wp.sub {
            self.decide_subscription(c, &cp.subs[si], si, day, sink);
        }
        self.decide_claims(c, cp, wp, day, sink);
        for &ri in &wp.resources {
            self.decide_resource_into(c, ri, day, sink);
        }
    }

    /// CPOR: the claims on this workload, their status on `day`, and exclusivity.
    fn decide_claims<S: Sink>(
        &self,
        c: &Customer,
        cp: &CustomerPrep,
        wp: &WorkloadPrep,
        day: Date,
        sink: &mut S,
    ) {
        // The approved claim that holds the workload: exclusive, the latest approval wins.
        let holder = wp
            .claims
            .iter()
            .filter_map(|&k| {
                let approved_on = approved_since(&c.cpor[k], day)?;
                (cp.claims[k].whose != Whose::OurGlobalId).then_some((approved_on, k))
            })
            .max();
        let mut ours_seen = false;
        for &k in &wp.claims {
            let claim = &c.cpor[k];
            let whose = cp.claims[k].whose;
            if whose == Whose::Other {
                continue;
            }
            ours_seen = true;
            let status = claim.status_on(day);
            let subject = || Subject::Claim {
                claim: claim.id.clone(),
                status,
            };
            let refuse = |rule: Rule, partner: Option<PartnerId>, since: Option<Date>| Decision {
                association: Association::Cpor,
                rule,
                credited: false,
                subject: subject(),
                partner,
                since,
            };
            if whose == Whose::OurGlobalId {
                sink.refuse(|| refuse(Rule::CporGlobalId, Some(claim.partner_id.clone()), None));
                continue;
            }
            if claim.area == ClaimArea::BusinessApplications
                && let Some(sub) = cp.claims[k].sub.map(|si| &c.subscriptions[si])
            {
                if sub.offer == Offer::Csp || sub.csp.is_some() {
                    sink.refuse(|| refuse(Rule::CporOnCspSubscription, None, None));
                    continue;
                }
                if sub.product != Product::Dynamics365 {
                    sink.refuse(|| refuse(Rule::CporNotDynamics, None, None));
                    continue;
                }
            }
            match (status, holder) {
                (Some(ClaimStatus::Approved), Some((_, h))) if h == k => {
                    sink.credit(Association::Cpor, || Decision {
                        association: Association::Cpor,
                        rule: Rule::CporApproved,
                        credited: true,
                        subject: subject(),
                        partner: Some(claim.partner_id.clone()),
                        since: approved_since(claim, day),
                    });
                    sink.claim_role(claim.role);
                }
                (Some(ClaimStatus::Approved), Some((on, h))) => {
                    let other = c.cpor[h].partner_id.clone();
                    sink.refuse(|| refuse(Rule::CporDisassociated, Some(other), Some(on)));
                }
                (_, held) => {
                    // Not approved on the month's last day; name a competitor that holds it.
                    let other = held
                        .map(|(_, h)| c.cpor[h].partner_id.clone())
                        .filter(|p| self.view.whose(p) == Whose::Other);
                    let since = claim
                        .history
                        .iter()
                        .take_while(|e| e.on <= day)
                        .last()
                        .map(|e| e.on);
                    sink.refuse(|| refuse(Rule::CporNotApproved, other, since));
                }
            }
        }
        if S::EXPLAIN && !ours_seen && !wp.claims.is_empty() {
            // Only other partners claim this workload.
            if let Some((on, h)) = holder {
                sink.refuse(|| Decision {
                    association: Association::Cpor,
                    rule: Rule::CporDisassociated,
                    credited: false,
                    subject: Subject::Claim {
                        claim: c.cpor[h].id.clone(),
                        status: Some(ClaimStatus::Approved),
                    },
                    partner: Some(c.cpor[h].partner_id.clone()),
                    since: Some(on),
                });
            }
        } else if S::EXPLAIN && wp.claims.is_empty() {
            sink.refuse(|| Decision {
                association: Association::Cpor,
                rule: Rule::CporNoClaim,
                credited: false,
                subject: Subject::Customer,
                partner: None,
                since: None,
            });
        }
    }

    fn decide_resource<S: Sink>(&self, ci: usize, ri: usize, day: Date, sink: &mut S) {
        let c = &self.ws.customers[ci];
        if self.excluded(ci, None, sink) {
            return;
        }
        self.decide_resource_into(c, ri, day, sink);
    }

    /// Power Platform credit: the PAL-linked identity that owns (creates, publishes, uses)
    /// the resource; when several partners qualify, the latest link wins.
    fn decide_resource_into<S: Sink>(&self, c: &Customer, ri: usize, day: Date, sink: &mut S) {
        let r = &c.power_platform[ri];
        let mut best: Option<(Date, &Identity, &PalLink)> = None;
        let mut global: Option<(&Identity, &PalLink)> = None;
        for id in r.credited_identities() {
            let Some(identity) = c.identity(id.as_str()) else {
                continue;
            };
            if !identity.active_on(day) {
                continue;
            }
            for link in &identity.pal {
                if !covers(Some(link.from), link.to, day) {
                    continue;
                }
                if link.tenant == LinkTenant::Home && identity.kind != IdentityKind::Lighthouse {
                    continue;
                }
                if self.view.global_id.as_ref() == Some(&link.partner_id) {
                    global = Some((identity, link));
                    continue;
                }
                if best.is_none_or(|(d, _, _)| link.from > d) {
                    best = Some((link.from, identity, link));
                }
            }
        }
        let subject = |identity: Option<&Identity>| Subject::Resource {
            resource: r.id.clone(),
            identity: identity.map(|i| i.id.clone()),
        };
        match best {
            Some((from, identity, link)) if self.view.whose(&link.partner_id) == Whose::Ours => {
                sink.credit(Association::Pal, || Decision {
                    association: Association::Pal,
                    rule: Rule::PalResourceOwner,
                    credited: true,
                    subject: subject(Some(identity)),
                    partner: Some(link.partner_id.clone()),
                    since: Some(from),
                });
            }
            Some((from, identity, link)) => sink.refuse(|| Decision {
                association: Association::Pal,
                rule: Rule::PalOtherPartnerLater,
                credited: false,
                subject: subject(Some(identity)),
                partner: Some(link.partner_id.clone()),
                since: Some(from),
            }),
            None => match global {
                Some((identity, link)) => sink.refuse(|| Decision {
                    association: Association::Pal,
                    rule: Rule::PalGlobalId,
                    credited: false,
                    subject: subject(Some(identity)),
                    partner: Some(link.partner_id.clone()),
                    since: Some(link.from),
                }),
                None => sink.refuse(|| Decision {
                    association: Association::Pal,
                    rule: Rule::PalOwnerNotLinked,
                    credited: false,
                    subject: subject(None),
                    partner: None,
                    since: None,
                }),
            },
        }
    }
}

/// Each month's last day, the day its credits are decided on.
fn last_days(months: impl IntoIterator<Item = Month>) -> Vec<Date> {
    months.into_iter().map(|m| m.last_day()).collect()
}

/// The date a claim became approved, if it is approved on `day`.
fn approved_since(claim: &CporClaim, day: Date) -> Option<Date> {
    let mut since = None;
    for e in claim.history.iter().take_while(|e| e.on <= day) {
        since = match (e.status, since) {
            (ClaimStatus::Approved, Some(first)) => Some(first),
            (ClaimStatus::Approved, None) => Some(e.on),
            _ => None,
        };
    }
    since
}

/// One customer indexed for attribution (what [`Prepared::new`] does for each).
pub fn prepare(c: &Customer, rules: &RuleSet, view: &Viewpoint) -> Rc<CustomerPrep> {
    Rc::new(prepare_customer(c, rules, view))
}

fn prepare_customer(c: &Customer, rules: &RuleSet, view: &Viewpoint) -> CustomerPrep {
    let att = &rules.attribution;
    let excluded_cloud = att.excluded_clouds.value.contains(&c.cloud);
    let subs: Vec<SubPrep> = c
        .subscriptions
        .iter()
        .map(|s| SubPrep {
            excluded: att
                .excluded_offers
                .value
                .contains(&s.offer)
                .then_some(Rule::ExcludedOffer),
            pal_excluded: att.pal_excluded_offers.value.contains(&s.offer),
            csp: s.csp.as_ref().map(|csp| {
                let reseller = csp.reseller_id.as_ref();
                (
                    view.whose(&csp.partner_id),
                    reseller.is_some_and(|r| view.whose(r) == Whose::Ours),
                )
            }),
            dpor: s.dpor.iter().map(|d| view.whose(&d.partner_id)).collect(),
        })
        .collect();
    // A subscription's index by its GUID's number (what a usage line's scope keeps, so the
    // line's text is not read). Usage lines come grouped by subscription: the last one
    // found is tried first.
    let subscriptions = &c.subscriptions;
    let last_sub = std::cell::Cell::new(0);
    let sub_numbered = |n: u128| {
        let is = |i: &usize| subscriptions[*i].id.number() == n;
        let last = last_sub.get();
        if last < subscriptions.len() && is(&last) {
            return Some(last);
        }
        let found = (0..subscriptions.len()).find(is)?;
        last_sub.set(found);
        Some(found)
    };

    let mut groups_of: Vec<Vec<usize>> = vec![Vec::new(); c.identities.len()];
    for (gi, g) in c.identities.iter().enumerate() {
        for m in &g.members {
            if let Some(mi) = c.identities.iter().position(|i| &i.id == m) {
                groups_of[mi].push(gi);
            }
        }
    }

    // Grants: (linked identity, link, role it holds directly or through a group). Each
    // holder's role scopes are read once, however many links and members reach them.
    // Sized at the first grant for every role read once (no regrowth: a customer with
    // partner links has a few of each, one without has none).
    let roles: usize = c.identities.iter().map(|i| i.roles.len()).sum();
    let mut scopes: Vec<ScopeRef> = Vec::new();
    // Each holder's roles' scopes (none: eligible only, or unreadable) once read:
    // `role_scopes[at..at + its roles]` from `read_at[holder]`.
    let mut read_at: Vec<Option<u32>> = vec![None; c.identities.len()];
    let mut role_scopes: Vec<Option<u32>> = Vec::new();
    let mut grants = Vec::new();
    for (ii, identity) in c.identities.iter().enumerate() {
        if identity.admin_agents {
            continue;
        }
        for (li, link) in identity.pal.iter().enumerate() {
            if view.whose(&link.partner_id) != Whose::Ours {
                continue;
            }
            if link.tenant == LinkTenant::Home && identity.kind != IdentityKind::Lighthouse {
                continue;
            }
            for holder in std::iter::once(ii).chain(groups_of[ii].iter().copied()) {
                let holder_roles = &c.identities[holder].roles;
                let at = match read_at[holder] {
                    Some(at) => at as usize,
                    None => {
                        if role_scopes.is_empty() {
                            scopes.reserve(roles);
                            role_scopes.reserve(roles);
                        }
                        let at = role_scopes.len();
                        for role in holder_roles {
                            // Read when the role was made, as a usage line's scope is.
                            let scope = (!role.eligible_only)
                                .then(|| role.scope.parts())
                                .flatten()
                                .map(|scope| {
                                    scopes.push(scope);
                                    scopes.len() as u32 - 1
                                });
                            role_scopes.push(scope);
                        }
                        read_at[holder] = Some(at as u32);
                        at
                    }
                };
                for (ri, read) in role_scopes[at..at + holder_roles.len()].iter().enumerate() {
                    if let &Some(scope) = read {
                        if grants.is_empty() {
                            grants.reserve(roles);
                        }
                        grants.push(Grant {
                            identity: ii,
                            group: (holder != ii).then_some(holder),
                            role: ri,
                            link: li,
                            scope,
                        });
                    }
                }
            }
        }
    }

    let mut covering: Vec<u32> =
        Vec::with_capacity(if grants.is_empty() { 0 } else { c.usage.len() });
    let lines = c
        .usage
        .iter()
        .map(|u| {
            // Read when the line was made: the text is not read again here but where a
            // role could cover the line.
            let sub = u.scope.subscription_number().and_then(sub_numbered);
            let start = covering.len() as u32;
            if !grants.is_empty()
                && let Some(s) = u.scope.parts()
            {
                covering.extend(
                    grants
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| scopes[g.scope as usize].covers(&s))
                        .map(|(i, _)| i as u32),
                );
            }
            LinePrep {
                sub,
                covering: (start, covering.len() as u32),
            }
        })
        .collect();

    let workloads = c
        .workloads
        .iter()
        .map(|w| {
            let sub = w
                .subscription
                .as_ref()
                .map(Guid::number)
                .and_then(sub_numbered);
            let info = rules.workload(&w.workload);
            let is_dynamics = info.is_some_and(|i| i.is("dynamics365") || i.is("power_platform"));
            let claims = c
                .cpor
                .iter()
                .enumerate()
                .filter(|(_, k)| match k.area {
                    ClaimArea::ModernWorkSecurity => k.workloads.iter().any(|x| x == &w.workload),
                    ClaimArea::BusinessApplications => {
                        is_dynamics && k.subscription.is_some() && k.subscription == w.subscription
                    }
                })
                .map(|(i, _)| i)
                .collect();
            let resources = c
                .power_platform
                .iter()
                .enumerate()
                .filter(|(_, r)| resource_workload(r.kind) == w.workload)
                .map(|(i, _)| i)
                .collect();
            WorkloadPrep {
                sub,
                claims,
                resources,
            }
        })
        .collect();

    let claims = c
        .cpor
        .iter()
        .map(|k| ClaimPrep {
            whose: view.whose(&k.partner_id),
            // The first subscription with that id, as `Customer::subscription` finds it.
            sub: k
                .subscription
                .as_ref()
                .and_then(|id| c.subscriptions.iter().position(|s| &s.id == id)),
        })
        .collect();

    CustomerPrep {
        excluded_cloud,
        subs,
        lines,
        covering,
        grants,
        groups_of,
        workloads,
        claims,
    }
}

/// One customer at a glance in a month: what is consumed, what is credited, and by what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerSummary {
    pub customer: usize,
    pub total_acr: f64,
    pub credited_acr: f64,
    /// Associations crediting any usage line or workload.
    pub associations: Vec<Association>,
}

/// A summary of every customer in month `m`.
pub fn customer_summaries(ws: &Workspace, rules: &RuleSet, m: Month) -> Vec<CustomerSummary> {
    let (_, att) = Prepared::attributed(ws, rules, Viewpoint::of_workspace(ws), m, m);
    summaries_of(ws, &att, m)
}

/// [`customer_summaries`] from an attribution already made whose months cover `m` (a
/// month it does not cover credits nothing).
pub fn summaries_of(ws: &Workspace, att: &Attribution, m: Month) -> Vec<CustomerSummary> {
    ws.customers
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let mut credits = Credits::NONE;
            let (mut total_acr, mut credited_acr) = (0.0, 0.0);
            for (li, u) in c.usage.iter().enumerate() {
                let acr = u.acr.get(m);
                total_acr += acr;
                let cr = att.line(ci, li, m);
                if cr.any() {
                    credited_acr += acr;
                }
                credits.0 |= cr.0;
            }
            for wi in 0..c.workloads.len() {
                credits.0 |= att.workload(ci, wi, m).0;
            }
            CustomerSummary {
                customer: ci,
                total_acr,
                credited_acr,
                associations: credits.associations().collect(),
            }
        })
        .collect()
}
