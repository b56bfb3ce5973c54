//! What a file says, in the workspace's vocabulary and keyed by ids only (tenant,
//! subscription, object id, e-mail): the readers produce these, the merge consumes them.

use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// A row, or a value in it, that was refused: where it is and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    /// 1-based line in the file (0 when the position is unknown; JSON files use `column` none).
    pub line: u64,
    /// 1-based column.
    pub column: Option<usize>,
    /// The column's header as the file writes it.
    pub header: Option<String>,
    pub message: String,
}

impl RowProblem {
    /// `line 12, column 4 (ACR_USD): "abc" is not a number`
    pub fn describe(&self) -> String {
        let mut at = if self.line > 0 {
            format!("line {}", self.line)
        } else {
            String::new()
        };
        if let Some(c) = self.column {
            if !at.is_empty() {
                at.push_str(", ");
            }
            at.push_str(&format!("column {c}"));
            if let Some(h) = &self.header {
                at.push_str(&format!(" ({h})"));
            }
        }
        if at.is_empty() {
            self.message.clone()
        } else {
            format!("{at}: {}", self.message)
        }
    }
}

/// A name the tables do not know: listed, kept out of scoring, never guessed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownName {
    /// `workload`, `certification`, `attribution type`, `segment`, …
    pub table: &'static str,
    pub name: String,
    pub rows: usize,
    /// The first line it appears on.
    pub line: u64,
}

/// Rows read but deliberately left out, by reason.
pub type Skipped = BTreeMap<&'static str, usize>;

/// Everything one file says.
#[derive(Debug, Clone, PartialEq)]
pub struct FileFacts {
    pub file: String,
    pub kind: ImportKind,
    /// Data rows (CSV) or records (JSON) read.
    pub rows: usize,
    pub partner: PartnerFacts,
    /// By lower-case tenant id.
    pub tenants: BTreeMap<String, TenantFacts>,
    /// By lower-case e-mail.
    pub people: BTreeMap<String, PersonFacts>,
    /// Consumption known only by subscription (a Cost Management export): placed at merge
    /// time in the customer that holds the subscription, or listed as matching nothing.
    pub loose_usage: Vec<UsageFacts>,
    /// Role assignments known only by scope (a role list without its `az account show`).
    pub loose_identities: Vec<IdentityFacts>,
    pub skipped: Skipped,
    pub unknown: Vec<UnknownName>,
    pub refused: Vec<RowProblem>,
    /// Refused rows in all (the list keeps the first ones).
    pub refused_count: usize,
    /// The months the file covers.
    pub months: Option<(Month, Month)>,
    /// Notes for the summary ("offer unknown for 3 subscriptions: scored as Azure plan").
    pub notes: Vec<String>,
}

/// At most this many refused rows are listed; the count stays exact.
pub const MAX_LISTED_PROBLEMS: usize = 200;

impl FileFacts {
    pub fn new(file: &str, kind: ImportKind) -> FileFacts {
        FileFacts {
            file: file.to_owned(),
            kind,
            rows: 0,
            partner: PartnerFacts::default(),
            tenants: BTreeMap::new(),
            people: BTreeMap::new(),
            loose_usage: Vec::new(),
            loose_identities: Vec::new(),
            skipped: Skipped::new(),
            unknown: Vec::new(),
            refused: Vec::new(),
            refused_count: 0,
            months: None,
            notes: Vec::new(),
        }
    }

    pub fn refuse(&mut self, p: RowProblem) {
        self.refused_count += 1;
        if self.refused.len() < MAX_LISTED_PROBLEMS {
            self.refused.push(p);
        }
    }

    pub fn skip(&mut self, reason: &'static str) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    pub fn unknown_name(&mut self, table: &'static str, name: &str, line: u64) {
        match self
            .unknown
            .iter_mut()
            .find(|u| u.table == table && u.name == name)
        {
            Some(u) => u.rows += 1,
            None => self.unknown.push(UnknownName {
                table,
                name: name.to_owned(),
                rows: 1,
                line,
            }),
        }
    }

    pub fn saw_month(&mut self, m: Month) {
        self.months = Some(match self.months {
            None => (m, m),
            Some((a, b)) => (a.min(m), b.max(m)),
        });
    }

    /// The facts of a tenant, created on first use.
    pub fn tenant(&mut self, id: &Guid) -> &mut TenantFacts {
        self.tenants
            .entry(id.key())
            .or_insert_with(|| TenantFacts::new(id.clone()))
    }
}

/// The partner's own IDs as the files show them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartnerFacts {
    /// PGA IDs (normally one).
    pub global_ids: BTreeMap<PartnerId, usize>,
    /// Location IDs credited or claiming in the files.
    pub locations: BTreeMap<PartnerId, usize>,
    /// The partner's own tenants (where its people sign in from).
    pub home_tenants: Vec<Guid>,
}

/// What the files say about one customer tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantFacts {
    pub tenant: Guid,
    pub name: Option<String>,
    pub segment: Option<Segment>,
    /// By lower-case subscription id.
    pub subscriptions: BTreeMap<String, SubscriptionFacts>,
    /// By (lower-case scope, lower-case service).
    pub usage: BTreeMap<(String, String), UsageFacts>,
    /// By (lower-case subscription, month).
    pub reported: BTreeMap<(String, Month), ReportedFacts>,
    /// By workload id.
    pub workloads: BTreeMap<String, WorkloadFacts>,
    /// By claim id.
    pub claims: BTreeMap<String, ClaimFacts>,
    /// By lower-case object id.
    pub identities: BTreeMap<String, IdentityFacts>,
    /// The collector could not read this tenant.
    pub error: Option<String>,
}

impl TenantFacts {
    pub fn new(tenant: Guid) -> TenantFacts {
        TenantFacts {
            tenant,
            name: None,
            segment: None,
            subscriptions: BTreeMap::new(),
            usage: BTreeMap::new(),
            reported: BTreeMap::new(),
            workloads: BTreeMap::new(),
            claims: BTreeMap::new(),
            identities: BTreeMap::new(),
            error: None,
        }
    }

    /// The subscription's facts, created (as an Azure subscription) on first use.
    pub fn subscription(&mut self, id: &Guid) -> &mut SubscriptionFacts {
        self.subscriptions
            .entry(id.key())
            .or_insert_with(|| SubscriptionFacts::new(id.clone()))
    }

    pub fn identity(&mut self, object_id: &Guid) -> &mut IdentityFacts {
        self.identities
            .entry(object_id.key())
            .or_insert_with(|| IdentityFacts::new(object_id.clone()))
    }
}

/// A subscription as the files describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionFacts {
    pub id: Guid,
    pub name: Option<String>,
    pub product: Product,
    /// Known from the file (a CSP row), or none.
    pub offer: Option<Offer>,
    /// What the import scores an unknown offer as, until the user says.
    pub assumed_offer: Offer,
    pub created: Option<Date>,
    pub status: Option<SubscriptionStatus>,
    pub csp: Option<CspRecord>,
    /// DPOR reported for this partner from this date (open-ended).
    pub dpor: Option<(PartnerId, Date)>,
}

impl SubscriptionFacts {
    pub fn new(id: Guid) -> SubscriptionFacts {
        SubscriptionFacts {
            id,
            name: None,
            product: Product::Azure,
            offer: None,
            assumed_offer: Offer::AzurePlan,
            created: None,
            status: None,
            csp: None,
            dpor: None,
        }
    }
}

/// Monthly consumption of one service at one scope.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageFacts {
    pub subscription: Guid,
    pub scope: String,
    pub service: String,
    pub acr: BTreeMap<Month, f64>,
}

/// What Partner Center reported crediting for a subscription in a month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportedFacts {
    pub associations: std::collections::BTreeSet<Association>,
    pub partners: std::collections::BTreeSet<PartnerId>,
    pub admin_types: std::collections::BTreeSet<String>,
}

/// Monthly series of one Microsoft 365 / Dynamics 365 / Power Platform workload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkloadFacts {
    pub paid_seats: BTreeMap<Month, f64>,
    pub active_users: BTreeMap<Month, f64>,
    pub revenue: BTreeMap<Month, f64>,
}

/// A CPOR claim the files show as approved (associated) on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimFacts {
    pub id: String,
    pub partner: PartnerId,
    pub workloads: std::collections::BTreeSet<String>,
    pub approved_on: Date,
}

/// An identity in a tenant, by object id.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityFacts {
    pub object_id: Guid,
    pub kind: IdentityKind,
    pub name: Option<String>,
    /// The person's e-mail, when the identity's name shows it (a user or guest).
    pub email: Option<String>,
    pub roles: Vec<RoleFacts>,
    pub pal: Vec<PalFacts>,
}

impl IdentityFacts {
    pub fn new(object_id: Guid) -> IdentityFacts {
        IdentityFacts {
            object_id,
            kind: IdentityKind::DirectoryUser,
            name: None,
            email: None,
            roles: Vec::new(),
            pal: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleFacts {
    pub role: String,
    pub scope: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub eligible_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PalFacts {
    pub partner: PartnerId,
    pub from: Date,
    pub to: Option<Date>,
    pub tenant: LinkTenant,
}

/// A person from the trainings report.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonFacts {
    pub email: String,
    pub name: String,
    /// (certification id, earned, expires).
    pub certifications: Vec<(String, Date, Option<Date>)>,
}
