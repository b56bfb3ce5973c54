//! Merging imported facts into a workspace: matched by ids only (tenant, subscription,
//! object id, e-mail), never by names; what is already there is kept unless the user takes
//! the file's value; every record the import brings names its source. One pass computes
//! both the preview (the changes, conflicts and rows that match nothing) and the merged
//! workspace, so applying is exactly what was previewed.

use super::ReadFile;
use super::facts::*;
use super::tenant::Claim;
use crate::model::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the user decided in the preview, and the day of the import.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// The import date written into each import's provenance.
    pub today: Option<Date>,
    /// Conflicts (by key) where the user takes the file's value.
    pub take: BTreeSet<String>,
    /// Keep the workspace's data month even when the files run later (`--as-of`).
    pub keep_as_of: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Add,
    Update,
    /// The file disagrees with what is there: kept unless taken.
    Conflict,
}

/// One change the import makes or proposes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// What it is about: `subscription 2b1d…`, `usage Azure SQL Database at /subscriptions/…`.
    pub what: String,
    /// What changes, in words: `offer enterprise_agreement → csp`.
    pub detail: String,
    /// For conflicts: the key to take the file's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// For conflicts: whether the file's value is taken.
    pub taken: bool,
    pub file: String,
}

/// The changes to one customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerPlan {
    pub customer: String,
    pub name: String,
    pub tenant_id: Guid,
    pub new: bool,
    pub changes: Vec<Change>,
}

/// Something in a file that matches nothing in the workspace or the other files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmatched {
    pub file: String,
    pub what: String,
    pub reason: String,
}

/// What each file was recognised as and what of it was refused, skipped or unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub kind: ImportKind,
    pub label: &'static str,
    pub rows: usize,
    pub months: Option<(Month, Month)>,
    pub refused: Vec<RowProblem>,
    pub refused_count: usize,
    pub skipped: Vec<(String, usize)>,
    pub unknown: Vec<UnknownName>,
    pub notes: Vec<String>,
    /// Identities of the customers' own users and apps left out.
    pub left_out_identities: usize,
}

/// The preview of an import, and the workspace it gives.
#[derive(Debug, Clone)]
pub struct Plan {
    pub files: Vec<FileSummary>,
    /// Changes to the partner, its locations and as_of.
    pub workspace: Vec<Change>,
    pub people: Vec<Change>,
    pub customers: Vec<CustomerPlan>,
    pub unmatched: Vec<Unmatched>,
    /// The workspace after the import, with the conflicts resolved as chosen.
    pub merged: Workspace,
    /// Problems the merged workspace would have (none normally; applying is refused if any).
    pub problems: Vec<Diagnostic>,
}

impl Plan {
    /// Every change, wherever it sits.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.workspace
            .iter()
            .chain(&self.people)
            .chain(self.customers.iter().flat_map(|c| &c.changes))
    }

    /// Additions and updates (conflicts taken count; conflicts kept do not).
    pub fn change_count(&self) -> usize {
        self.changes()
            .filter(|c| c.kind != ChangeKind::Conflict || c.taken)
            .count()
    }

    pub fn conflict_count(&self) -> usize {
        self.changes()
            .filter(|c| c.kind == ChangeKind::Conflict)
            .count()
    }

    /// Nothing would change: the same files imported again, for instance.
    pub fn is_noop(&self) -> bool {
        self.change_count() == 0
    }

    /// `3 customers added, 12 records added, 4 updated, 1 conflict kept`.
    pub fn headline(&self) -> String {
        if self.is_noop() && self.conflict_count() == 0 {
            return "no changes: the workspace already holds everything these files say".into();
        }
        let n = |k: ChangeKind| self.changes().filter(|c| c.kind == k).count();
        let new_customers = self.customers.iter().filter(|c| c.new).count();
        let mut parts = Vec::new();
        if new_customers > 0 {
            parts.push(plural(new_customers, "new customer", "new customers"));
        }
        parts.push(format!(
            "{} added",
            plural(n(ChangeKind::Add), "record", "records")
        ));
        parts.push(format!("{} updated", n(ChangeKind::Update)));
        let conflicts = self.conflict_count();
        if conflicts > 0 {
            let taken = self
                .changes()
                .filter(|c| c.kind == ChangeKind::Conflict && c.taken)
                .count();
            parts.push(format!(
                "{} ({taken} taken from the files)",
                plural(conflicts, "conflict", "conflicts")
            ));
        }
        parts.join(", ")
    }
}

/// Files in the order they merge: what creates customers and subscriptions first, then
/// what refers to them.
fn order(kind: ImportKind) -> u8 {
    match kind {
        ImportKind::AzureUsage => 0,
        ImportKind::CustomersRevenue => 1,
        ImportKind::LicenseUsage => 2,
        ImportKind::CporM365Usage => 3,
        ImportKind::Trainings => 4,
        ImportKind::TenantInventory => 5,
        ImportKind::Account => 6,
        ImportKind::ManagementPartner => 7,
        ImportKind::Lighthouse => 8,
        ImportKind::RoleAssignments => 9,
        ImportKind::PimEligibility => 10,
        ImportKind::CostExport => 11,
    }
}

/// The latest complete month the files cover, as of `today`.
pub fn latest_complete_month(files: &[ReadFile], today: Option<Date>) -> Option<Month> {
    let last = files
        .iter()
        .filter_map(|f| f.facts.months.map(|(_, b)| b))
        .max()?;
    Some(match today {
        Some(t) if last >= t.month() => t.month().plus(-1),
        _ => last,
    })
}

/// A new, empty workspace for files to fill: named, on the current rule set.
pub fn empty_workspace(name: &str, as_of: Month) -> Workspace {
    Workspace {
        format: WORKSPACE_FORMAT.into(),
        version: CURRENT_VERSION,
        name: name.to_owned(),
        as_of,
        rules: crate::rules::RULE_SET_IDS
            .last()
            .copied()
            .unwrap_or_default()
            .to_owned(),
        partner: Partner {
            name: name.to_owned(),
            global_id: None,
            locations: Vec::new(),
        },
        other_partners: Vec::new(),
        people: Vec::new(),
        cua_guids: Vec::new(),
        customers: Vec::new(),
        imports: Vec::new(),
    }
}

/// The preview of importing `files` into `ws`, and the workspace it gives.
pub fn plan(ws: &Workspace, files: &[ReadFile], opts: &MergeOptions) -> Plan {
    Planning::new(ws, std::sync::Arc::new(files.to_vec()), opts.clone()).finish()
}

/// A preview being computed a few tenants at a time, so the app can keep painting on a
/// large import. [`plan`] is this in one go: the same changes in the same order.
pub struct Planning {
    m: Merge,
    files: std::sync::Arc<Vec<ReadFile>>,
    /// File indexes in merge order.
    order: Vec<usize>,
    /// Where the work stands: the file (in `order`), the tenant within it (none: the file
    /// has not started), and the identities left out so far.
    at: usize,
    tenant: Option<usize>,
    /// The current file's tenant keys, in order.
    keys: Vec<String>,
    left_out: usize,
    summaries: BTreeMap<usize, FileSummary>,
    /// Tenants in all and done, for progress.
    total: usize,
    done: usize,
}

impl Planning {
    pub fn new(
        ws: &Workspace,
        files: std::sync::Arc<Vec<ReadFile>>,
        opts: MergeOptions,
    ) -> Planning {
        let m = Merge {
            ws: ws.clone(),
            opts,
            workspace: Vec::new(),
            people: Vec::new(),
            customers: BTreeMap::new(),
            unmatched: Vec::new(),
            file: String::new(),
            kind: ImportKind::AzureUsage,
            import: None,
            used: false,
            batch_emails: files
                .iter()
                .flat_map(|f| f.facts.people.keys().cloned())
                .collect(),
            tenant_index: ws
                .customers
                .iter()
                .enumerate()
                .map(|(ci, c)| (c.tenant_id.key(), ci))
                .collect(),
            sub_index: ws
                .customers
                .iter()
                .enumerate()
                .flat_map(|(ci, c)| {
                    c.subscriptions
                        .iter()
                        .enumerate()
                        .map(move |(si, sub)| (sub.id.key(), (ci, si)))
                })
                .collect(),
        };
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by_key(|i| self::order(files[*i].facts.kind));
        let total = files.iter().map(|f| f.facts.tenants.len() + 1).sum();
        Planning {
            m,
            files,
            order,
            at: 0,
            tenant: None,
            keys: Vec::new(),
            left_out: 0,
            summaries: BTreeMap::new(),
            total,
            done: 0,
        }
    }

    /// Share of the work done.
    pub fn progress(&self) -> f64 {
        self.done as f64 / self.total.max(1) as f64
    }

    /// Merge up to `tenants` more tenants; true when every file is merged.
    pub fn step(&mut self, tenants: usize) -> bool {
        let files = self.files.clone();
        let mut budget = tenants.max(1);
        while budget > 0 {
            let Some(&fi) = self.order.get(self.at) else {
                return true;
            };
            let f = &files[fi];
            match self.tenant {
                None => {
                    self.m.begin(f);
                    self.tenant = Some(0);
                    self.keys = f.facts.tenants.keys().cloned().collect();
                    self.left_out = 0;
                }
                Some(t) => match self.keys.get(t).and_then(|k| f.facts.tenants.get(k)) {
                    Some(tf) => {
                        self.left_out += self.m.tenant(tf, &f.ours);
                        self.tenant = Some(t + 1);
                        self.done += 1;
                        budget -= 1;
                    }
                    None => {
                        self.left_out += self.m.end(f);
                        self.summaries.insert(fi, summary(&f.facts, self.left_out));
                        self.done += 1;
                        self.at += 1;
                        self.tenant = None;
                    }
                },
            }
        }
        self.at >= self.order.len()
    }

    /// Merge what is left and give the preview.
    pub fn finish(mut self) -> Plan {
        while !self.step(usize::MAX) {}
        let mut m = self.m;
        if let Some(last) = latest_complete_month(&self.files, m.opts.today)
            && last > m.ws.as_of
            && !m.opts.keep_as_of
        {
            m.workspace.push(Change {
                kind: ChangeKind::Update,
                what: "data month (as of)".into(),
                detail: format!("{} → {last}: the files run to {last}", m.ws.as_of),
                key: None,
                taken: false,
                file: String::new(),
            });
            m.ws.as_of = last;
        }
        let problems: Vec<Diagnostic> =
            crate::validate::check(&m.ws, crate::validate::ReadOptions::default())
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
        let customers = m
            .customers
            .into_values()
            .filter(|c| !c.changes.is_empty())
            .collect();
        Plan {
            files: self.summaries.into_values().collect(),
            workspace: m.workspace,
            people: m.people,
            customers,
            unmatched: m.unmatched,
            merged: m.ws,
            problems,
        }
    }
}

fn summary(f: &FileFacts, left_out: usize) -> FileSummary {
    FileSummary {
        file: f.file.clone(),
        kind: f.kind,
        label: f.kind.label(),
        rows: f.rows,
        months: f.months,
        refused: f.refused.clone(),
        refused_count: f.refused_count,
        skipped: f
            .skipped
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect(),
        unknown: f.unknown.clone(),
        notes: f.notes.clone(),
        left_out_identities: left_out,
    }
}

struct Merge {
    ws: Workspace,
    opts: MergeOptions,
    workspace: Vec<Change>,
    people: Vec<Change>,
    /// By lower-case tenant id.
    customers: BTreeMap<String, CustomerPlan>,
    unmatched: Vec<Unmatched>,
    /// The file being merged, its kind, and its import id (once it changes something).
    file: String,
    kind: ImportKind,
    import: Option<Id>,
    used: bool,
    batch_emails: BTreeSet<String>,
    /// Lower-case tenant id → customer, and subscription id → (customer, subscription).
    tenant_index: HashMap<String, usize>,
    sub_index: HashMap<String, (usize, usize)>,
}

/// A monthly series as a map, for comparisons.
fn months(s: &Series) -> BTreeMap<Month, f64> {
    s.iter().collect()
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

fn short(g: &Guid) -> &str {
    g.as_str().get(..8).unwrap_or(g.as_str())
}

impl Merge {
    /// Start merging a file: its import id and the partner's IDs.
    fn begin(&mut self, f: &ReadFile) {
        self.file = f.facts.file.clone();
        self.kind = f.facts.kind;
        self.used = false;
        let next = self
            .ws
            .imports
            .iter()
            .filter_map(|i| i.id.as_str().strip_prefix("import-")?.parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        self.import = Id::new(format!("import-{next}"));
        self.partner(&f.facts.partner);
    }

    /// Finish a file (after its tenants): what has no tenant, people, and its import
    /// record if it changed anything; how many identities were left out.
    fn end(&mut self, f: &ReadFile) -> usize {
        let mut left_out = 0;
        for u in &f.facts.loose_usage {
            self.loose_usage(u);
        }
        for i in &f.facts.loose_identities {
            left_out += self.loose_identity(i);
        }
        for p in f.facts.people.values() {
            self.person(p);
        }
        if self.used
            && let Some(id) = self.import.clone()
        {
            self.ws.imports.push(ImportRecord {
                id,
                kind: self.kind,
                file: self.file.clone(),
                imported: self.opts.today.unwrap_or_else(|| self.ws.as_of.last_day()),
                from: f.facts.months.map(|(a, _)| a),
                to: f.facts.months.map(|(_, b)| b),
            });
        }
        left_out
    }

    fn source(&mut self) -> Option<Id> {
        self.used = true;
        self.import.clone()
    }

    fn change(&self, kind: ChangeKind, what: String, detail: String) -> Change {
        Change {
            kind,
            what,
            detail,
            key: None,
            taken: false,
            file: self.file.clone(),
        }
    }

    /// A conflict; true when the user takes the file's value.
    fn conflict(&mut self, to: Target, key: String, what: String, detail: String) -> bool {
        let taken = self.opts.take.contains(&key);
        if taken {
            self.used = true;
        }
        let c = Change {
            kind: ChangeKind::Conflict,
            what,
            detail,
            key: Some(key),
            taken,
            file: self.file.clone(),
        };
        self.push(to, c);
        taken
    }

    fn push(&mut self, to: Target, c: Change) {
        if c.kind != ChangeKind::Conflict {
            self.used = true;
        }
        match to {
            Target::Workspace => self.workspace.push(c),
            Target::People => self.people.push(c),
            Target::Customer(ci) => {
                let cust = &self.ws.customers[ci];
                let key = cust.tenant_id.key();
                let entry = self.customers.entry(key).or_insert_with(|| CustomerPlan {
                    customer: cust.id.to_string(),
                    name: cust.name.clone(),
                    tenant_id: cust.tenant_id.clone(),
                    new: false,
                    changes: Vec::new(),
                });
                entry.changes.push(c);
            }
        }
    }

    fn add(&mut self, to: Target, what: String, detail: String) {
        let c = self.change(ChangeKind::Add, what, detail);
        self.push(to, c);
    }

    fn update(&mut self, to: Target, what: String, detail: String) {
        let c = self.change(ChangeKind::Update, what, detail);
        self.push(to, c);
    }

    fn partner(&mut self, p: &PartnerFacts) {
        let global = p
            .global_ids
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(id, _)| id.clone());
        if let Some(g) = global {
            match self.ws.partner.global_id.clone() {
                None => {
                    self.add(
                        Target::Workspace,
                        "partner global (PGA) ID".into(),
                        format!("{g}, from the file"),
                    );
                    self.ws.partner.global_id = Some(g);
                }
                Some(current) if current != g => {
                    let take = self.conflict(
                        Target::Workspace,
                        "partner:global_id".into(),
                        "partner global (PGA) ID".into(),
                        format!(
                            "workspace {current}, file {g}: is this download another partner's?"
                        ),
                    );
                    if take {
                        self.ws.partner.global_id = Some(g);
                    }
                }
                Some(_) => {}
            }
        }
        for id in p.locations.keys() {
            if self.ws.is_our_location(id) || self.ws.partner.global_id.as_ref() == Some(id) {
                continue;
            }
            self.add(
                Target::Workspace,
                format!("location {id}"),
                "a location ID the file credits or claims with".into(),
            );
            self.ws.partner.locations.push(Location {
                id: id.clone(),
                name: format!("Location {id}"),
                country: None,
            });
        }
    }

    /// The customer of a tenant, created if the file brings something for it.
    fn customer_for(&mut self, t: &TenantFacts) -> usize {
        if let Some(ci) = self.tenant_index.get(&t.tenant.key()) {
            return *ci;
        }
        let name = t
            .name
            .clone()
            .unwrap_or_else(|| format!("Tenant {}", short(&t.tenant)));
        let id = unique_id(
            &slug_or(&name, &format!("tenant-{}", short(&t.tenant))),
            |c| self.ws.customers.iter().any(|x| x.id.as_str() == c),
        );
        let source = self.source();
        self.ws.customers.push(Customer {
            id: id.clone(),
            name: name.clone(),
            tenant_id: t.tenant.clone(),
            segment: t.segment.unwrap_or(Segment::Enterprise),
            cloud: Cloud::Public,
            subscriptions: Vec::new(),
            usage: Vec::new(),
            workloads: Vec::new(),
            identities: Vec::new(),
            power_platform: Vec::new(),
            cpor: Vec::new(),
            notes: serde_json::Value::String(String::new()),
            reported: Vec::new(),
            source,
        });
        let ci = self.ws.customers.len() - 1;
        self.tenant_index.insert(t.tenant.key(), ci);
        let segment_note = if t.segment.is_some() {
            String::new()
        } else {
            "; segment not in the file: enterprise until you say".into()
        };
        self.customers.insert(
            t.tenant.key(),
            CustomerPlan {
                customer: id.to_string(),
                name: name.clone(),
                tenant_id: t.tenant.clone(),
                new: true,
                changes: Vec::new(),
            },
        );
        self.add(
            Target::Customer(ci),
            format!("customer {name}"),
            format!("tenant {}{segment_note}", t.tenant),
        );
        ci
    }

    fn tenant(&mut self, t: &TenantFacts, ours: &super::tenant::Ours) -> usize {
        let exists = self.tenant_index.contains_key(&t.tenant.key());
        let kept: Vec<&IdentityFacts> = t
            .identities
            .values()
            .filter(|i| self.keep_identity(t, i, ours))
            .collect();
        let left_out = t.identities.len() - kept.len();
        let brings = !t.subscriptions.is_empty()
            || !t.usage.is_empty()
            || !t.workloads.is_empty()
            || !t.claims.is_empty()
            || !kept.is_empty();
        if !exists && !brings {
            let why = match &t.error {
                Some(e) => format!("the collector could not read it: {e}"),
                None => "nothing of the partner's was found in it".into(),
            };
            self.unmatched.push(Unmatched {
                file: self.file.clone(),
                what: format!("tenant {}", t.tenant),
                reason: why,
            });
            return left_out;
        }
        let ci = self.customer_for(t);
        self.customer_details(ci, t);
        for s in t.subscriptions.values() {
            self.subscription(ci, s);
        }
        // Role scopes need their subscription in the customer.
        for i in &kept {
            for r in &i.roles {
                if let Some(sub) = crate::validate::scope_subscription(&r.scope) {
                    self.subscription(ci, &SubscriptionFacts::new(sub));
                }
            }
        }
        for u in t.usage.values() {
            // Usage of a subscription the workspace holds under another tenant matches
            // nothing here (the subscription was already listed as unmatched).
            if self
                .find_subscription(&u.subscription)
                .is_some_and(|(c, _)| c == ci)
            {
                self.usage(ci, u);
            }
        }
        self.reported(ci, t);
        for (id, w) in &t.workloads {
            self.workload(ci, id, w);
        }
        for c in t.claims.values() {
            self.claim(ci, c);
        }
        for i in kept {
            self.identity(ci, i);
        }
        left_out
    }

    fn keep_identity(
        &self,
        t: &TenantFacts,
        i: &IdentityFacts,
        ours: &super::tenant::Ours,
    ) -> bool {
        if ours.get(&(t.tenant.key(), i.object_id.key())) == Some(&Claim::Ours) {
            return true;
        }
        if self
            .tenant_index
            .get(&t.tenant.key())
            .map(|ci| &self.ws.customers[*ci])
            .is_some_and(|c| {
                c.identities.iter().any(|x| {
                    x.object_id.as_ref() == Some(&i.object_id)
                        || x.id.as_str().eq_ignore_ascii_case(i.object_id.as_str())
                })
            })
        {
            return true;
        }
        i.email.as_ref().is_some_and(|e| {
            self.batch_emails.contains(e)
                || self.ws.people.iter().any(|p| {
                    p.email
                        .as_deref()
                        .is_some_and(|x| x.eq_ignore_ascii_case(e))
                })
        })
    }

    fn customer_details(&mut self, ci: usize, t: &TenantFacts) {
        let c = &self.ws.customers[ci];
        let tenant = c.tenant_id.key();
        if let Some(name) = &t.name
            && name != &c.name
            && !c.name.starts_with("Tenant ")
        {
            let current = c.name.clone();
            if self.conflict(
                Target::Customer(ci),
                format!("customer:{tenant}:name"),
                "customer name".into(),
                format!("workspace \"{current}\", file \"{name}\""),
            ) {
                self.ws.customers[ci].name = name.clone();
            }
        } else if let Some(name) = &t.name
            && name != &c.name
        {
            let current = c.name.clone();
            self.update(
                Target::Customer(ci),
                "customer name".into(),
                format!("\"{current}\" → \"{name}\""),
            );
            self.ws.customers[ci].name = name.clone();
        }
        let c = &self.ws.customers[ci];
        if let Some(seg) = t.segment
            && seg != c.segment
        {
            let current = c.segment;
            if self.conflict(
                Target::Customer(ci),
                format!("customer:{tenant}:segment"),
                "customer segment".into(),
                format!("workspace {current}, file {seg}"),
            ) {
                self.ws.customers[ci].segment = seg;
            }
        }
    }

    fn subscription(&mut self, ci: usize, s: &SubscriptionFacts) {
        if let Some((other, _)) = self.find_subscription(&s.id)
            && other != ci
        {
            let owner = self.ws.customers[other].name.clone();
            self.unmatched.push(Unmatched {
                file: self.file.clone(),
                what: format!("subscription {}", s.id),
                reason: format!(
                    "the workspace has it under {owner}, another tenant; left as it is"
                ),
            });
            return;
        }
        let tenant = self.ws.customers[ci].tenant_id.key();
        let Some(si) = self.ws.customers[ci]
            .subscriptions
            .iter()
            .position(|x| x.id == s.id)
        else {
            let source = self.source();
            let offer = s.offer.unwrap_or(s.assumed_offer);
            let name = s
                .name
                .clone()
                .unwrap_or_else(|| format!("Subscription {}", short(&s.id)));
            let mut detail = match (&s.csp, s.offer) {
                (Some(c), _) => format!("CSP tier {} through {}", c.tier.number(), c.partner_id),
                (None, Some(o)) => format!("offer {o}"),
                (None, None) => format!("offer not in the file: scored as {offer} until you say"),
            };
            if let Some((p, from)) = &s.dpor {
                detail.push_str(&format!("; DPOR {p} from {from}"));
            }
            let si = self.ws.customers[ci].subscriptions.len();
            self.sub_index.insert(s.id.key(), (ci, si));
            self.ws.customers[ci].subscriptions.push(Subscription {
                id: s.id.clone(),
                name: name.clone(),
                product: s.product,
                offer,
                status: s.status.unwrap_or(SubscriptionStatus::Active),
                created: s.created,
                moved_to_azure_plan: None,
                csp: s.csp.clone(),
                dpor: s
                    .dpor
                    .iter()
                    .map(|(p, from)| DporRecord {
                        partner_id: p.clone(),
                        from: *from,
                        to: None,
                        source: source.clone(),
                    })
                    .collect(),
                offer_assumed: s.offer.is_none(),
                source,
            });
            self.add(Target::Customer(ci), format!("subscription {name}"), detail);
            return;
        };
        let sub_key = s.id.key();
        let what = || format!("subscription {}", short(&s.id));
        let cur = self.ws.customers[ci].subscriptions[si].clone();
        if let Some(name) = &s.name
            && name != &cur.name
        {
            if cur.name.starts_with("Subscription ") {
                self.update(Target::Customer(ci), what(), format!("name \"{name}\""));
                self.ws.customers[ci].subscriptions[si].name = name.clone();
            } else if self.conflict(
                Target::Customer(ci),
                format!("sub:{sub_key}:name"),
                what(),
                format!("name: workspace \"{}\", file \"{name}\"", cur.name),
            ) {
                self.ws.customers[ci].subscriptions[si].name = name.clone();
            }
        }
        if let Some(offer) = s.offer
            && (offer != cur.offer || s.csp != cur.csp)
        {
            let detail = match &s.csp {
                Some(c) => format!("CSP tier {} through {}", c.tier.number(), c.partner_id),
                None => format!("offer {offer}"),
            };
            let apply = if cur.offer_assumed || (cur.offer == Offer::Csp && cur.csp.is_none()) {
                self.update(
                    Target::Customer(ci),
                    what(),
                    format!("{detail} (was {})", cur.offer),
                );
                true
            } else {
                self.conflict(
                    Target::Customer(ci),
                    format!("sub:{sub_key}:offer"),
                    what(),
                    format!("workspace offer {}, file: {detail}", cur.offer),
                )
            };
            if apply {
                let sub = &mut self.ws.customers[ci].subscriptions[si];
                sub.offer = offer;
                sub.offer_assumed = false;
                if offer == Offer::Csp {
                    sub.csp = s.csp.clone();
                    sub.dpor.clear();
                }
            }
        } else if s.offer.is_none()
            && cur.offer_assumed
            && s.assumed_offer != cur.offer
            && cur.dpor.is_empty()
            && s.dpor.is_some()
        {
            // A DPOR row tells more than the first guess: an EA or direct subscription.
            self.update(
                Target::Customer(ci),
                what(),
                format!("offer assumed {} (DPOR reported)", s.assumed_offer),
            );
            self.ws.customers[ci].subscriptions[si].offer = s.assumed_offer;
        }
        if let Some(created) = s.created
            && cur.created != Some(created)
        {
            if cur.created.is_none() {
                self.update(Target::Customer(ci), what(), format!("created {created}"));
                self.ws.customers[ci].subscriptions[si].created = Some(created);
            } else if self.conflict(
                Target::Customer(ci),
                format!("sub:{sub_key}:created"),
                what(),
                format!(
                    "created: workspace {}, file {created}",
                    cur.created.map(|d| d.to_string()).unwrap_or_default()
                ),
            ) {
                self.ws.customers[ci].subscriptions[si].created = Some(created);
            }
        }
        if let Some(st) = s.status
            && st != cur.status
            && self.conflict(
                Target::Customer(ci),
                format!("sub:{sub_key}:status"),
                what(),
                format!("status: workspace {}, file {st}", cur.status),
            )
        {
            self.ws.customers[ci].subscriptions[si].status = st;
        }
        if let Some((p, from)) = &s.dpor {
            self.dpor(ci, si, p, *from, &tenant);
        }
    }

    fn dpor(&mut self, ci: usize, si: usize, p: &PartnerId, from: Date, _tenant: &str) {
        let sub = &self.ws.customers[ci].subscriptions[si];
        if sub.offer == Offer::Csp || sub.csp.is_some() {
            return;
        }
        let ours_since = sub
            .dpor
            .iter()
            .filter(|d| &d.partner_id == p)
            .map(|d| d.from)
            .min();
        let what = format!("DPOR on subscription {}", short(&sub.id));
        let key = format!("dpor:{}", sub.id.key());
        match ours_since {
            Some(since) if since <= from => {}
            Some(since) => {
                if self.conflict(
                    Target::Customer(ci),
                    key,
                    what,
                    format!("workspace: {p} from {since}; Partner Center reports it from {from}"),
                ) && let Some(d) = self.ws.customers[ci].subscriptions[si]
                    .dpor
                    .iter_mut()
                    .find(|d| &d.partner_id == p && d.from == since)
                {
                    d.from = from;
                }
            }
            None => {
                let other = sub
                    .dpor
                    .iter()
                    .find(|d| d.to.is_none_or(|t| t > from))
                    .map(|d| (d.partner_id.clone(), d.from));
                match other {
                    None => {
                        let source = self.source();
                        self.add(
                            Target::Customer(ci),
                            what,
                            format!("{p} from {from}, as Partner Center reports"),
                        );
                        self.ws.customers[ci].subscriptions[si]
                            .dpor
                            .push(DporRecord {
                                partner_id: p.clone(),
                                from,
                                to: None,
                                source,
                            });
                    }
                    Some((q, since)) => {
                        if self.conflict(
                            Target::Customer(ci),
                            key,
                            what,
                            format!("workspace: {q} from {since}; Partner Center credits {p} from {from}"),
                        ) {
                            let source = self.import.clone();
                            let list = &mut self.ws.customers[ci].subscriptions[si].dpor;
                            for d in list.iter_mut() {
                                if d.to.is_none_or(|t| t > from) {
                                    d.to = Some(from.max(d.from));
                                }
                            }
                            list.push(DporRecord {
                                partner_id: p.clone(),
                                from,
                                to: None,
                                source,
                            });
                        }
                    }
                }
            }
        }
    }

    fn find_subscription(&self, id: &Guid) -> Option<(usize, usize)> {
        self.sub_index.get(&id.key()).copied()
    }

    /// The kind of import a record came from.
    fn kind_of(&self, source: &Option<Id>) -> Option<ImportKind> {
        source
            .as_ref()
            .and_then(|s| self.ws.import(s))
            .map(|i| i.kind)
    }

    fn usage(&mut self, ci: usize, u: &UsageFacts) {
        let c = &self.ws.customers[ci];
        let found = c.usage.iter().position(|l| {
            l.scope.eq_ignore_ascii_case(&u.scope) && l.service.eq_ignore_ascii_case(&u.service)
        });
        let what = format!("usage {} at {}", u.service, u.scope);
        match found {
            Some(li) => {
                let line = &c.usage[li];
                let current = months(&line.acr);
                let differs: Vec<Month> = u
                    .acr
                    .iter()
                    .filter(|(m, v)| !same(current.get(m).copied().unwrap_or(0.0), **v))
                    .map(|(m, _)| *m)
                    .collect();
                if differs.is_empty() {
                    return;
                }
                let same_kind = self.kind_of(&line.source) == Some(self.kind);
                let only_new = differs
                    .iter()
                    .all(|m| current.get(m).copied().unwrap_or(0.0) == 0.0);
                let detail = month_detail(&differs, &current, &u.acr, "$");
                let apply = if same_kind || only_new {
                    self.update(Target::Customer(ci), what, detail);
                    true
                } else {
                    let key = format!(
                        "usage:{}:{}:{}",
                        c.tenant_id.key(),
                        u.scope.to_lowercase(),
                        u.service.to_lowercase()
                    );
                    self.conflict(Target::Customer(ci), key, what, detail)
                };
                if apply {
                    let line = &mut self.ws.customers[ci].usage[li];
                    for m in differs {
                        line.acr.set(m, u.acr.get(&m).copied().unwrap_or(0.0));
                    }
                }
            }
            None => {
                let sub = u.subscription.key();
                let elsewhere: Vec<String> = c
                    .usage
                    .iter()
                    .filter(|l| {
                        l.service.eq_ignore_ascii_case(&u.service)
                            && crate::validate::scope_subscription(&l.scope)
                                .is_some_and(|s| s.key() == sub)
                    })
                    .map(|l| l.scope.to_string())
                    .collect();
                let total: f64 = u.acr.values().sum();
                let detail = format!(
                    "{} month(s), {} in all",
                    u.acr.len(),
                    crate::model::money(total)
                );
                let apply = if elsewhere.is_empty() {
                    self.add(Target::Customer(ci), what, detail);
                    true
                } else {
                    let key = format!(
                        "usage:{}:{}:{}",
                        c.tenant_id.key(),
                        u.scope.to_lowercase(),
                        u.service.to_lowercase()
                    );
                    self.conflict(
                        Target::Customer(ci),
                        key,
                        what,
                        format!("{detail}; this service is already recorded at {}: adding it would count it twice", elsewhere.join(", ")),
                    )
                };
                if apply {
                    let source = self.source();
                    self.ws.customers[ci].usage.push(UsageLine {
                        scope: u.scope.clone().into(),
                        service: u.service.clone(),
                        created: None,
                        deployed_with: None,
                        acr: Series::from_pairs(
                            u.acr
                                .iter()
                                .map(|(m, v)| (*m, *v))
                                .filter(|(_, v)| *v != 0.0),
                        ),
                        source,
                    });
                }
            }
        }
    }

    fn loose_usage(&mut self, u: &UsageFacts) {
        match self.find_subscription(&u.subscription) {
            Some((ci, _)) => self.usage(ci, u),
            None => self.unmatched.push(Unmatched {
                file: self.file.clone(),
                what: format!("usage {} at {}", u.service, u.scope),
                reason: format!(
                    "subscription {} is in no customer yet: import the Partner Center download or the tenant inventory that has it first",
                    u.subscription
                ),
            }),
        }
    }

    /// Microsoft's reported attribution: each month the file covers takes the file's word.
    fn reported(&mut self, ci: usize, t: &TenantFacts) {
        if t.reported.is_empty() {
            return;
        }
        let c = &self.ws.customers[ci];
        // Month by month, as stored.
        let mut by_month: BTreeMap<(String, Month), (ReportedFacts, Option<Id>, Guid)> =
            BTreeMap::new();
        for r in &c.reported {
            for m in Month::range(r.from, r.to) {
                by_month.insert(
                    (r.subscription.key(), m),
                    (
                        ReportedFacts {
                            associations: r.associations.iter().copied().collect(),
                            partners: r.partners.iter().cloned().collect(),
                            admin_types: r.admin_types.iter().cloned().collect(),
                        },
                        r.source.clone(),
                        r.subscription.clone(),
                    ),
                );
            }
        }
        let known: BTreeSet<String> = by_month.keys().map(|(s, _)| s.clone()).collect();
        let mut changed: BTreeMap<String, Vec<Month>> = BTreeMap::new();
        let source = self.import.clone();
        for ((sub, m), facts) in &t.reported {
            let Some(id) = t.subscriptions.get(sub).map(|s| s.id.clone()) else {
                continue;
            };
            if self.find_subscription(&id).is_none_or(|(c, _)| c != ci) {
                continue;
            }
            let differs = by_month
                .get(&(sub.clone(), *m))
                .is_none_or(|(f, _, _)| f != facts);
            if differs {
                changed.entry(sub.clone()).or_default().push(*m);
                by_month.insert((sub.clone(), *m), (facts.clone(), source.clone(), id));
            }
        }
        if changed.is_empty() {
            return;
        }
        self.used = true;
        for (sub, ms) in &changed {
            let first = ms.first().copied();
            let last = ms.last().copied();
            let label = t
                .reported
                .get(&(sub.clone(), last.unwrap_or(self.ws.as_of)))
                .map(describe_reported)
                .unwrap_or_default();
            let kind = if known.contains(sub) {
                ChangeKind::Update
            } else {
                ChangeKind::Add
            };
            let c = self.change(
                kind,
                format!(
                    "Partner Center attribution of subscription {}",
                    sub.get(..8).unwrap_or(sub)
                ),
                format!(
                    "{} month(s), {}–{}; latest: {label}",
                    ms.len(),
                    first.map(|m| m.to_string()).unwrap_or_default(),
                    last.map(|m| m.to_string()).unwrap_or_default()
                ),
            );
            self.push(Target::Customer(ci), c);
        }
        self.ws.customers[ci].reported = compress(by_month);
    }

    fn workload(&mut self, ci: usize, id: &str, w: &WorkloadFacts) {
        let c = &self.ws.customers[ci];
        let what = format!("workload {id}");
        match c.workloads.iter().position(|x| x.workload == id) {
            None => {
                let source = self.source();
                let series = |m: &BTreeMap<Month, f64>| {
                    Series::from_pairs(m.iter().map(|(k, v)| (*k, *v)).filter(|(_, v)| *v != 0.0))
                };
                let last = w.paid_seats.keys().chain(w.revenue.keys()).max().copied();
                let detail = match last {
                    Some(m) if !w.revenue.is_empty() => format!(
                        "revenue {} in {m}",
                        crate::model::money(w.revenue.get(&m).copied().unwrap_or(0.0))
                    ),
                    Some(m) => format!(
                        "{} paid seats, {} active in {m}",
                        w.paid_seats.get(&m).copied().unwrap_or(0.0),
                        w.active_users.get(&m).copied().unwrap_or(0.0)
                    ),
                    None => String::new(),
                };
                self.ws.customers[ci].workloads.push(Workload {
                    workload: id.to_owned(),
                    subscription: None,
                    paid_seats: series(&w.paid_seats),
                    active_users: series(&w.active_users),
                    revenue: series(&w.revenue),
                    source,
                });
                self.add(Target::Customer(ci), what, detail);
            }
            Some(wi) => {
                let cur = &c.workloads[wi];
                let same_kind = self.kind_of(&cur.source) == Some(self.kind);
                let mut diffs = Vec::new();
                for (name, file, stored) in [
                    ("paid seats", &w.paid_seats, &cur.paid_seats),
                    ("active users", &w.active_users, &cur.active_users),
                    ("revenue", &w.revenue, &cur.revenue),
                ] {
                    let current = months(stored);
                    let d: Vec<Month> = file
                        .iter()
                        .filter(|(m, v)| !same(current.get(m).copied().unwrap_or(0.0), **v))
                        .map(|(m, _)| *m)
                        .collect();
                    if !d.is_empty() {
                        let only_new = d
                            .iter()
                            .all(|m| current.get(m).copied().unwrap_or(0.0) == 0.0);
                        diffs.push((name, d, only_new, month_detail_plain(file, &current)));
                    }
                }
                if diffs.is_empty() {
                    return;
                }
                let detail = diffs
                    .iter()
                    .map(|(n, d, _, text)| format!("{n}: {} month(s) {text}", d.len()))
                    .collect::<Vec<_>>()
                    .join("; ");
                let apply = if same_kind || diffs.iter().all(|d| d.2) {
                    self.update(Target::Customer(ci), what, detail);
                    true
                } else {
                    let key = format!("workload:{}:{id}", c.tenant_id.key());
                    self.conflict(Target::Customer(ci), key, what, detail)
                };
                if apply {
                    let cur = &mut self.ws.customers[ci].workloads[wi];
                    for (name, file) in [
                        ("paid seats", &w.paid_seats),
                        ("active users", &w.active_users),
                        ("revenue", &w.revenue),
                    ] {
                        let target = match name {
                            "paid seats" => &mut cur.paid_seats,
                            "active users" => &mut cur.active_users,
                            _ => &mut cur.revenue,
                        };
                        for (m, v) in file {
                            target.set(*m, *v);
                        }
                    }
                }
            }
        }
    }

    fn claim(&mut self, ci: usize, k: &ClaimFacts) {
        let Some(id) = Id::new(k.id.clone()) else {
            self.unmatched.push(Unmatched {
                file: self.file.clone(),
                what: format!("claim \"{}\"", k.id),
                reason: "the claim id is not usable as an id".into(),
            });
            return;
        };
        let tenant_key = self.ws.customers[ci].tenant_id.key();
        let workloads: Vec<String> = k.workloads.iter().cloned().collect();
        match self.ws.customers[ci].cpor.iter().position(|x| x.id == id) {
            None => {
                let source = self.source();
                self.ws.customers[ci].cpor.push(CporClaim {
                    id: id.clone(),
                    partner_id: k.partner.clone(),
                    area: ClaimArea::ModernWorkSecurity,
                    role: ClaimRole::UseOrConsume,
                    workloads: workloads.clone(),
                    subscription: None,
                    history: vec![ClaimEvent {
                        status: ClaimStatus::Approved,
                        on: k.approved_on,
                    }],
                    poe: vec!["Associated in Partner Center (CPOR-M365 usage report)".into()],
                    opt_out_incentives: false,
                    source,
                });
                self.add(
                    Target::Customer(ci),
                    format!("CPOR claim {id}"),
                    format!(
                        "approved {} for {} ({})",
                        k.approved_on,
                        workloads.join(", "),
                        k.partner
                    ),
                );
            }
            Some(ki) => {
                let cur = &self.ws.customers[ci].cpor[ki];
                let missing: Vec<String> = workloads
                    .iter()
                    .filter(|w| !cur.workloads.contains(w))
                    .cloned()
                    .collect();
                if !missing.is_empty() {
                    self.update(
                        Target::Customer(ci),
                        format!("CPOR claim {id}"),
                        format!("adds workloads {}", missing.join(", ")),
                    );
                    self.ws.customers[ci].cpor[ki].workloads.extend(missing);
                }
                let cur = &self.ws.customers[ci].cpor[ki];
                if cur.status_on(k.approved_on) != Some(ClaimStatus::Approved)
                    && cur.history.iter().all(|e| e.status != ClaimStatus::Approved)
                    && self.conflict(
                        Target::Customer(ci),
                        format!("claim:{tenant_key}:{id}"),
                        format!("CPOR claim {id}"),
                        format!(
                            "the workspace does not have it approved; Partner Center shows it associated since {}",
                            k.approved_on
                        ),
                    )
                {
                    let claim = &mut self.ws.customers[ci].cpor[ki];
                    let at = claim.history.iter().position(|e| e.on > k.approved_on).unwrap_or(claim.history.len());
                    claim.history.insert(at, ClaimEvent { status: ClaimStatus::Approved, on: k.approved_on });
                }
            }
        }
    }

    fn person_for(&self, email: Option<&String>) -> Option<Id> {
        let e = email?;
        self.ws
            .people
            .iter()
            .find(|p| {
                p.email
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(e))
            })
            .map(|p| p.id.clone())
    }

    fn identity(&mut self, ci: usize, i: &IdentityFacts) {
        // A role on a subscription this customer does not hold (the workspace has it under
        // another tenant) cannot be recorded here: it matches nothing.
        let (fits, strays): (Vec<RoleFacts>, Vec<RoleFacts>) =
            i.roles.iter().cloned().partition(|r| {
                crate::validate::scope_subscription(&r.scope)
                    .is_none_or(|s| self.find_subscription(&s).is_some_and(|(c, _)| c == ci))
            });
        for r in &strays {
            self.unmatched.push(Unmatched {
                file: self.file.clone(),
                what: format!(
                    "role {} of {} on {}",
                    r.role,
                    i.name.as_deref().unwrap_or(i.object_id.as_str()),
                    r.scope
                ),
                reason: "its subscription belongs to another customer in the workspace".into(),
            });
        }
        let owned = IdentityFacts {
            roles: fits,
            ..i.clone()
        };
        let i = &owned;
        let tenant_key = self.ws.customers[ci].tenant_id.key();
        let found = self.ws.customers[ci].identities.iter().position(|x| {
            x.object_id.as_ref() == Some(&i.object_id)
                || x.id.as_str().eq_ignore_ascii_case(i.object_id.as_str())
        });
        let label = i.name.clone().unwrap_or_else(|| i.object_id.to_string());
        let person = self.person_for(i.email.as_ref());
        match found {
            None => {
                let Some(id) = Id::new(i.object_id.as_str()) else {
                    return;
                };
                let source = self.source();
                let roles = i
                    .roles
                    .iter()
                    .map(|r| RoleAssignment {
                        role: r.role.clone(),
                        scope: r.scope.clone().into(),
                        from: r.from,
                        to: r.to,
                        eligible_only: r.eligible_only,
                        source: source.clone(),
                    })
                    .collect::<Vec<_>>();
                let pal = i
                    .pal
                    .iter()
                    .map(|l| PalLink {
                        partner_id: l.partner.clone(),
                        from: l.from,
                        to: l.to,
                        tenant: l.tenant,
                        source: source.clone(),
                    })
                    .collect::<Vec<_>>();
                let detail = format!(
                    "{}; {}; {}",
                    i.kind,
                    plural(roles.len(), "role", "roles"),
                    match pal.first() {
                        Some(l) => format!("PAL {} since {}", l.partner_id, l.from),
                        None => "no PAL link".into(),
                    }
                );
                self.ws.customers[ci].identities.push(Identity {
                    id,
                    kind: i.kind,
                    name: label.clone(),
                    object_id: Some(i.object_id.clone()),
                    person,
                    state: IdentityState::Active,
                    state_since: None,
                    admin_agents: false,
                    classic_admin: false,
                    members: Vec::new(),
                    roles,
                    pal,
                    source,
                });
                self.add(Target::Customer(ci), format!("identity {label}"), detail);
            }
            Some(ii) => {
                let what = format!("identity {}", self.ws.customers[ci].identities[ii].name);
                if self.ws.customers[ci].identities[ii].object_id.is_none() {
                    self.ws.customers[ci].identities[ii].object_id = Some(i.object_id.clone());
                }
                if self.ws.customers[ci].identities[ii].person.is_none()
                    && let Some(p) = person
                {
                    self.update(Target::Customer(ci), what.clone(), format!("is {p}"));
                    self.ws.customers[ci].identities[ii].person = Some(p);
                }
                for r in &i.roles {
                    let cur = &self.ws.customers[ci].identities[ii];
                    let have = cur.roles.iter().any(|x| {
                        x.role.eq_ignore_ascii_case(&r.role)
                            && x.scope.eq_ignore_ascii_case(&r.scope)
                            && x.eligible_only == r.eligible_only
                    });
                    if !have {
                        let source = self.source();
                        self.update(
                            Target::Customer(ci),
                            what.clone(),
                            format!(
                                "{}role {} on {}",
                                if r.eligible_only { "eligible " } else { "" },
                                r.role,
                                r.scope
                            ),
                        );
                        self.ws.customers[ci].identities[ii]
                            .roles
                            .push(RoleAssignment {
                                role: r.role.clone(),
                                scope: r.scope.clone().into(),
                                from: r.from,
                                to: r.to,
                                eligible_only: r.eligible_only,
                                source,
                            });
                    }
                }
                for l in &i.pal {
                    let cur = &self.ws.customers[ci].identities[ii];
                    let have = cur
                        .pal
                        .iter()
                        .any(|x| x.partner_id == l.partner && x.from == l.from);
                    if have {
                        continue;
                    }
                    let open = cur
                        .pal
                        .iter()
                        .find(|x| x.to.is_none())
                        .map(|x| (x.partner_id.clone(), x.from));
                    let apply = match open {
                        Some((p, since)) if p == l.partner => {
                            // The same link, made on another day: the tenant's word is exact.
                            self.conflict(
                                Target::Customer(ci),
                                format!("pal:{tenant_key}:{}", i.object_id.key()),
                                what.clone(),
                                format!(
                                    "PAL {p}: workspace since {since}, tenant since {}",
                                    l.from
                                ),
                            )
                        }
                        Some((p, since)) => self.conflict(
                            Target::Customer(ci),
                            format!("pal:{tenant_key}:{}", i.object_id.key()),
                            what.clone(),
                            format!(
                                "PAL: workspace {p} since {since}, tenant {} since {}",
                                l.partner, l.from
                            ),
                        ),
                        None => {
                            self.update(
                                Target::Customer(ci),
                                what.clone(),
                                format!("PAL {} since {}", l.partner, l.from),
                            );
                            true
                        }
                    };
                    if apply {
                        let source = self.source();
                        let links = &mut self.ws.customers[ci].identities[ii].pal;
                        links.retain(|x| x.to.is_some());
                        links.push(PalLink {
                            partner_id: l.partner.clone(),
                            from: l.from,
                            to: l.to,
                            tenant: l.tenant,
                            source,
                        });
                    }
                }
            }
        }
    }

    /// A role assignment list without its tenant: placed by the subscription in its scope.
    fn loose_identity(&mut self, i: &IdentityFacts) -> usize {
        let mut by_customer: BTreeMap<usize, IdentityFacts> = BTreeMap::new();
        for r in &i.roles {
            let place = crate::validate::scope_subscription(&r.scope)
                .and_then(|s| self.find_subscription(&s));
            match place {
                Some((ci, _)) => by_customer
                    .entry(ci)
                    .or_insert_with(|| IdentityFacts { roles: Vec::new(), ..i.clone() })
                    .roles
                    .push(r.clone()),
                None => self.unmatched.push(Unmatched {
                    file: self.file.clone(),
                    what: format!("role {} of {} on {}", r.role, i.name.as_deref().unwrap_or(i.object_id.as_str()), r.scope),
                    reason: "its subscription is in no customer: import the tenant's az account show (or the collector bundle) with it".into(),
                }),
            }
        }
        let mut left_out = 0;
        for (ci, idf) in by_customer {
            let t = TenantFacts::new(self.ws.customers[ci].tenant_id.clone());
            if self.keep_identity(&t, &idf, &super::tenant::Ours::new()) {
                self.identity(ci, &idf);
            } else {
                left_out += 1;
            }
        }
        left_out
    }

    fn person(&mut self, p: &PersonFacts) {
        let found = self.ws.people.iter().position(|x| {
            x.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&p.email))
        });
        match found {
            None => {
                let source = self.source();
                let local = p.email.split('@').next().unwrap_or_default().to_owned();
                let id = unique_id(&slug_or(&local, "person"), |c| {
                    self.ws.people.iter().any(|x| x.id.as_str() == c)
                });
                let certifications: Vec<Certification> = p
                    .certifications
                    .iter()
                    .map(|(cert, earned, expires)| Certification {
                        cert: cert.clone(),
                        earned: *earned,
                        expires: *expires,
                        source: source.clone(),
                    })
                    .collect();
                let detail = format!(
                    "{}; {}",
                    p.email,
                    plural(certifications.len(), "certification", "certifications")
                );
                self.ws.people.push(Person {
                    id,
                    name: p.name.clone(),
                    email: Some(p.email.clone()),
                    linked: true,
                    certifications,
                    source,
                });
                self.add(Target::People, format!("person {}", p.name), detail);
            }
            Some(pi) => {
                let what = format!("person {}", self.ws.people[pi].name);
                if !self.ws.people[pi].linked {
                    self.update(
                        Target::People,
                        what.clone(),
                        "linked: Partner Center's report lists them".into(),
                    );
                    self.ws.people[pi].linked = true;
                }
                for (cert, earned, expires) in &p.certifications {
                    let cur = &self.ws.people[pi];
                    match cur.certifications.iter().position(|c| &c.cert == cert) {
                        None => {
                            let source = self.source();
                            self.update(
                                Target::People,
                                what.clone(),
                                format!("certification {cert}, earned {earned}"),
                            );
                            self.ws.people[pi].certifications.push(Certification {
                                cert: cert.clone(),
                                earned: *earned,
                                expires: *expires,
                                source,
                            });
                        }
                        Some(k) => {
                            let c = &cur.certifications[k];
                            if c.earned == *earned && c.expires == *expires {
                                continue;
                            }
                            let same_kind = self.kind_of(&c.source) == Some(self.kind);
                            let detail = format!(
                                "{cert}: workspace earned {} expires {}, file earned {earned} expires {}",
                                c.earned,
                                c.expires
                                    .map(|d| d.to_string())
                                    .unwrap_or_else(|| "never".into()),
                                expires
                                    .map(|d| d.to_string())
                                    .unwrap_or_else(|| "never".into())
                            );
                            let apply = if same_kind {
                                self.update(Target::People, what.clone(), detail);
                                true
                            } else {
                                let key = format!("person:{}:cert:{cert}", p.email);
                                self.conflict(Target::People, key, what.clone(), detail)
                            };
                            if apply {
                                let c = &mut self.ws.people[pi].certifications[k];
                                c.earned = *earned;
                                c.expires = *expires;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Workspace,
    People,
    Customer(usize),
}

fn slug_or(name: &str, fallback: &str) -> String {
    let s = crate::model::slug(name);
    if s.is_empty() { fallback.to_owned() } else { s }
}

/// `base`, or `base-2`, `base-3`… whichever is free.
fn unique_id(base: &str, taken: impl Fn(&str) -> bool) -> Id {
    // A long base is cut to 60 characters, so every candidate is a valid id.
    let base: String = base.chars().take(60).collect();
    let base = base.trim_matches('-');
    let base = if base.is_empty() { "record" } else { base };
    let mut n: u64 = 1;
    loop {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            format!("{base}-{n}")
        };
        if !taken(&candidate)
            && let Some(id) = Id::new(candidate)
        {
            return id;
        }
        n += 1;
    }
}

fn describe_reported(f: &ReportedFacts) -> String {
    if f.associations.is_empty() {
        return "no association".into();
    }
    let types: Vec<&str> = f.associations.iter().map(|a| a.label()).collect();
    let partners: Vec<String> = f.partners.iter().map(ToString::to_string).collect();
    format!("{} ({})", types.join(", "), partners.join(", "))
}

/// Months that differ, in words: `2026-09 $1,200 → $1,400, …`.
fn month_detail(
    ms: &[Month],
    current: &BTreeMap<Month, f64>,
    file: &BTreeMap<Month, f64>,
    unit: &str,
) -> String {
    let show: Vec<String> = ms
        .iter()
        .take(3)
        .map(|m| {
            let a = current.get(m).copied().unwrap_or(0.0);
            let b = file.get(m).copied().unwrap_or(0.0);
            if unit == "$" {
                format!(
                    "{m} {} → {}",
                    crate::model::money(a),
                    crate::model::money(b)
                )
            } else {
                format!("{m} {a} → {b}")
            }
        })
        .collect();
    let more = if ms.len() > 3 {
        format!(" and {} more", ms.len() - 3)
    } else {
        String::new()
    };
    format!("{}{more}", show.join(", "))
}

fn month_detail_plain(file: &BTreeMap<Month, f64>, current: &BTreeMap<Month, f64>) -> String {
    let d: Vec<Month> = file
        .iter()
        .filter(|(m, v)| !same(current.get(m).copied().unwrap_or(0.0), **v))
        .map(|(m, _)| *m)
        .collect();
    month_detail(&d, current, file, "")
}

/// Month-by-month attribution back into runs of equal months.
fn compress(
    by_month: BTreeMap<(String, Month), (ReportedFacts, Option<Id>, Guid)>,
) -> Vec<ReportedAttribution> {
    let mut out: Vec<ReportedAttribution> = Vec::new();
    let mut last_key: Option<String> = None;
    for ((sub, m), (f, source, id)) in by_month {
        let associations: Vec<Association> = f.associations.iter().copied().collect();
        let partners: Vec<PartnerId> = f.partners.iter().cloned().collect();
        let admin_types: Vec<String> = f.admin_types.iter().cloned().collect();
        if let Some(prev) = out.last_mut()
            && last_key.as_deref() == Some(sub.as_str())
            && prev.to.plus(1) == m
            && prev.associations == associations
            && prev.partners == partners
            && prev.admin_types == admin_types
            && prev.source == source
        {
            prev.to = m;
            continue;
        }
        last_key = Some(sub);
        out.push(ReportedAttribution {
            subscription: id,
            from: m,
            to: m,
            associations,
            partners,
            admin_types,
            source,
        });
    }
    out
}

/// A customer's reported attribution by subscription, for the reconciliation: what Partner
/// Center reported for a subscription in a month is the last run covering it.
pub struct ReportedMonths<'a> {
    by_subscription: HashMap<u128, Vec<&'a ReportedAttribution>>,
}

impl<'a> ReportedMonths<'a> {
    pub fn of(c: &'a Customer) -> Self {
        let mut by_subscription: HashMap<u128, Vec<&'a ReportedAttribution>> = HashMap::new();
        for r in &c.reported {
            by_subscription
                .entry(r.subscription.number())
                .or_default()
                .push(r);
        }
        ReportedMonths { by_subscription }
    }

    /// Every run reported for the subscription numbered `number` ([`Guid::number`]), in the
    /// order imported.
    pub fn runs(&self, number: u128) -> &[&'a ReportedAttribution] {
        self.by_subscription.get(&number).map_or(&[], Vec::as_slice)
    }

    /// What was reported for the subscription in month `m`, if anything.
    pub fn get(&self, subscription: &Guid, m: Month) -> Option<&'a ReportedAttribution> {
        in_month(self.runs(subscription.number()), m)
    }
}

/// The last of the runs that covers month `m`.
pub fn in_month<'a>(runs: &[&'a ReportedAttribution], m: Month) -> Option<&'a ReportedAttribution> {
    runs.iter()
        .rev()
        .find(|r| r.from <= m && m <= r.to)
        .copied()
}

/// The preview as JSON (`pcs import --json`): what each file was, every change, conflict
/// (with the key `--take` accepts) and row that matched nothing.
pub fn plan_json(p: &Plan) -> serde_json::Value {
    serde_json::json!({
        "headline": p.headline(),
        "changes": p.change_count(),
        "conflicts": p.conflict_count(),
        "files": p.files,
        "workspace": p.workspace,
        "people": p.people,
        "customers": p.customers,
        "unmatched": p.unmatched,
        "problems": p.problems,
    })
}

/// The preview as text for the terminal.
pub fn plan_text(p: &Plan) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for f in &p.files {
        let months = f
            .months
            .map(|(a, b)| format!(", {a}…{b}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}: {}, {} rows{months}",
            f.file,
            f.label,
            crate::model::thousands(f.rows as u64)
        );
        for (why, n) in &f.skipped {
            let _ = writeln!(out, "  skipped {n}: {why}");
        }
        for u in &f.unknown {
            let at = if u.line > 0 {
                format!(", first on line {}", u.line)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  unknown {} \"{}\" ({} row{}{at}): not imported, not scored",
                u.table,
                u.name,
                u.rows,
                if u.rows == 1 { "" } else { "s" }
            );
        }
        if f.left_out_identities > 0 {
            let _ = writeln!(
                out,
                "  left out {} identities of the customers' own users and apps",
                f.left_out_identities
            );
        }
        for r in &f.refused {
            let _ = writeln!(out, "  refused: {}", super::problem_line(&f.file, r));
        }
        if f.refused_count > f.refused.len() {
            let _ = writeln!(
                out,
                "  … and {} more refused rows",
                f.refused_count - f.refused.len()
            );
        }
        for n in &f.notes {
            let _ = writeln!(out, "  note: {n}");
        }
    }
    let line = |out: &mut String, c: &Change| {
        let mark = match (c.kind, c.taken) {
            (ChangeKind::Add, _) => "+",
            (ChangeKind::Update, _) => "~",
            (ChangeKind::Conflict, true) => "! taken",
            (ChangeKind::Conflict, false) => "! kept",
        };
        let key = c
            .key
            .as_ref()
            .map(|k| format!("  [--take {k}]"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {mark} {}: {}{key}", c.what, c.detail);
    };
    if !p.workspace.is_empty() {
        let _ = writeln!(out, "\nWorkspace");
        for c in &p.workspace {
            line(&mut out, c);
        }
    }
    if !p.people.is_empty() {
        let _ = writeln!(out, "\nPeople");
        for c in &p.people {
            line(&mut out, c);
        }
    }
    for c in &p.customers {
        let _ = writeln!(
            out,
            "\n{}{} ({})",
            c.name,
            if c.new { " (new)" } else { "" },
            c.tenant_id
        );
        for ch in &c.changes {
            line(&mut out, ch);
        }
    }
    if !p.unmatched.is_empty() {
        let _ = writeln!(out, "\nMatching nothing");
        for u in &p.unmatched {
            let _ = writeln!(out, "  {} ({}): {}", u.what, u.file, u.reason);
        }
    }
    let _ = writeln!(out, "\n{}.", capitalise(&p.headline()));
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
