//! The version 1 workspace: everything a partner enters, as `workspace-format.md` fixes it.

use super::association::Association;
use super::json::{Cx, FromJson, describe};
use super::primitives::{Date, Guid, Id, Month, PartnerId, Series};
use super::scope::Scope;
use crate::{json_enum, json_record};
use serde_json::Value;

/// The `format` marker every workspace file carries.
pub const WORKSPACE_FORMAT: &str = "pcs-workbench/workspace";
/// The newest format version this build reads and the one it writes. Version 2 adds, never
/// changes: import provenance (`imports`, `source` on records), Microsoft's reported
/// attribution (`customers[].reported`), matching keys (`identities[].object_id`,
/// `people[].email`), `subscriptions[].offer_assumed`, and an optional `partner.global_id`.
pub const CURRENT_VERSION: u32 = 2;

/// `skip_serializing_if` for flags that are off by default.
fn is_false(b: &bool) -> bool {
    !*b
}

json_record! {
    /// One partner's self-assessment: the root of the file.
    pub struct Workspace as "a workspace", read in one pass {
        pub format: String,
        pub version: u32,
        pub name: String,
        pub as_of: Month,
        pub rules: String,
        pub partner: Partner,
        pub other_partners: Vec<OtherPartner>,
        pub people: Vec<Person>,
        pub cua_guids: Vec<CuaGuid>,
        pub customers: Vec<Customer>,
        /// The files imported into this workspace (v2): what each record's `source` names.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub imports: Vec<ImportRecord>,
    }
}

json_enum! {
    /// The kinds of file the importers read (`import-formats.md`, sections A, B, C).
    pub enum ImportKind as "import kind" {
        AzureUsage = "pc_azure_usage",
        LicenseUsage = "pc_license_usage",
        CporM365Usage = "pc_cpor_m365_usage",
        CustomersRevenue = "pc_customers_revenue",
        Trainings = "pc_trainings",
        Account = "az_account",
        RoleAssignments = "az_role_assignments",
        ManagementPartner = "az_management_partner",
        Lighthouse = "az_lighthouse",
        PimEligibility = "az_pim_eligibility",
        TenantInventory = "tenant_inventory",
        CostExport = "cost_export",
    }
}

impl ImportKind {
    /// What the file is, in the partner's words.
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::AzureUsage => "Partner Center: Azure usage",
            ImportKind::LicenseUsage => "Partner Center: Office 365 license usage",
            ImportKind::CporM365Usage => "Partner Center: CPOR-M365 usage",
            ImportKind::CustomersRevenue => "Partner Center: Customers and revenue",
            ImportKind::Trainings => "Partner Center: Trainings, exams and certifications",
            ImportKind::Account => "Azure CLI: az account show",
            ImportKind::RoleAssignments => "Azure CLI: az role assignment list",
            ImportKind::ManagementPartner => "Azure CLI: az managementpartner show (PAL)",
            ImportKind::Lighthouse => "Azure CLI: az managedservices assignment list (Lighthouse)",
            ImportKind::PimEligibility => "Azure: PIM role eligibility",
            ImportKind::TenantInventory => "Tenant inventory (PCS Workbench collector)",
            ImportKind::CostExport => "Cost Management export",
        }
    }
}

json_record! {
    /// One imported file: the `source` of the records it brought (v2).
    pub struct ImportRecord as "an import", read in one pass {
        pub id: Id,
        pub kind: ImportKind,
        pub file: String,
        pub imported: Date,
        /// The months the file covers (Partner Center downloads): what the reconciliation
        /// can compare, also for customers the download does not list.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub from: Option<Month>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub to: Option<Month>,
    }
}

json_record! {
    /// The partner organisation whose score is evaluated.
    pub struct Partner as "the partner", read in one pass {
        pub name: String,
        /// The PGA ID: it identifies the organisation but earns no credit. Optional from v2
        /// (a new workspace learns it from the first Partner Center download).
        pub global_id: Option<PartnerId>,
        /// PLA IDs: the only IDs that earn credit.
        pub locations: Vec<Location>,
    }
}

json_record! {
    pub struct Location as "a partner location", read in one pass {
        pub id: PartnerId,
        pub name: String,
        pub country: Option<String>,
    }
}

json_record! {
    /// A name for another partner's ID.
    pub struct OtherPartner as "another partner", read in one pass {
        pub id: PartnerId,
        pub name: String,
    }
}

json_record! {
    pub struct Person as "a person", read in one pass {
        pub id: Id,
        pub name: String,
        /// The e-mail Partner Center knows the person by: how imports match people (v2).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        /// Their Microsoft Learn profile is linked to our Partner Center account.
        pub linked: bool,
        pub certifications: Vec<Certification>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_record! {
    pub struct Certification as "a certification", read in one pass {
        /// An id from the rule set's certification catalogue.
        pub cert: String,
        pub earned: Date,
        pub expires: Option<Date>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_record! {
    /// A Customer Usage Attribution GUID registered (or not yet) in Partner Center.
    pub struct CuaGuid as "a CUA GUID", read in one pass {
        pub guid: Guid,
        pub offer: String,
        pub channel: Option<String>,
        pub registered: Option<Date>,
    }
}

json_enum! {
    pub enum Segment as "segment" { Enterprise = "enterprise", Smb = "smb" }
}

json_enum! {
    pub enum Cloud as "cloud" { Public = "public", China = "china", Government = "government" }
}

json_record! {
    /// A customer tenant and everything recorded about it.
    pub struct Customer as "a customer", read in one pass {
        pub id: Id,
        pub name: String,
        pub tenant_id: Guid,
        pub segment: Segment,
        pub cloud: Cloud,
        pub subscriptions: Vec<Subscription>,
        pub usage: Vec<UsageLine>,
        pub workloads: Vec<Workload>,
        pub identities: Vec<Identity>,
        pub power_platform: Vec<PowerPlatformResource>,
        pub cpor: Vec<CporClaim>,
        /// Free-form; the only place where any JSON is accepted.
        pub notes: Value,
        /// What Microsoft reported crediting, from Partner Center's Azure usage download (v2).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub reported: Vec<ReportedAttribution>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_record! {
    /// Microsoft's reported attribution of one subscription over a run of months in which it
    /// did not change: the association types, partner IDs and admin types Partner Center
    /// listed (the ACR itself lives in the usage lines).
    pub struct ReportedAttribution as "a reported attribution", read in one pass {
        pub subscription: Guid,
        pub from: Month,
        pub to: Month,
        pub associations: Vec<Association>,
        pub partners: Vec<PartnerId>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub admin_types: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_enum! {
    pub enum Product as "product" {
        Azure = "azure", M365 = "m365", Dynamics365 = "dynamics365", PowerPlatform = "power_platform",
    }
}

impl Product {
    /// The product's name as partners say it.
    pub fn label(self) -> &'static str {
        match self {
            Product::Azure => "Azure",
            Product::M365 => "Microsoft 365",
            Product::Dynamics365 => "Dynamics 365",
            Product::PowerPlatform => "Power Platform",
        }
    }
}

json_enum! {
    pub enum Offer as "offer" {
        AzurePlan = "azure_plan",
        EnterpriseAgreement = "enterprise_agreement",
        PayAsYouGo = "pay_as_you_go",
        WebDirect = "web_direct",
        Csp = "csp",
        CasaEes = "casa_ees",
        Mpsa = "mpsa",
        Trial = "trial",
        Internal = "internal",
        Sponsored = "sponsored",
        Benefit = "benefit",
        Support = "support",
    }
}

json_enum! {
    pub enum SubscriptionStatus as "subscription status" {
        Active = "active", InGrace = "in_grace", Disabled = "disabled",
    }
}

json_record! {
    pub struct Subscription as "a subscription", read in one pass {
        pub id: Guid,
        pub name: String,
        pub product: Product,
        pub offer: Offer,
        pub status: SubscriptionStatus,
        pub created: Option<Date>,
        /// When an EA subscription became an Azure plan subscription.
        pub moved_to_azure_plan: Option<Date>,
        pub csp: Option<CspRecord>,
        pub dpor: Vec<DporRecord>,
        /// The offer was not in the imported files: scored as assumed until the user says (v2).
        #[serde(skip_serializing_if = "is_false")]
        pub offer_assumed: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

/// CSP tier: 1 = direct bill, 2 = indirect provider (with a reseller).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CspTier {
    Direct,
    Indirect,
}

impl CspTier {
    pub fn number(self) -> u8 {
        match self {
            CspTier::Direct => 1,
            CspTier::Indirect => 2,
        }
    }
}

impl serde::Serialize for CspTier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.number())
    }
}

impl<'de> serde::Deserialize<'de> for CspTier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match u64::deserialize(d)? {
            1 => Ok(CspTier::Direct),
            2 => Ok(CspTier::Indirect),
            n => Err(serde::de::Error::custom(format!("CSP tier {n}"))),
        }
    }
}

impl FromJson for CspTier {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        match v.as_u64() {
            Some(1) => Some(CspTier::Direct),
            Some(2) => Some(CspTier::Indirect),
            _ => {
                cx.error(format!("expected CSP tier 1 or 2, found {}", describe(v)));
                None
            }
        }
    }
}

json_record! {
    /// The transacting CSP partner of a subscription.
    pub struct CspRecord as "a CSP record", read in one pass {
        pub tier: CspTier,
        /// Tier 1: the direct-bill partner; tier 2: the indirect provider.
        pub partner_id: PartnerId,
        pub reseller_id: Option<PartnerId>,
    }
}

json_record! {
    /// Digital Partner of Record on a subscription, for an interval.
    pub struct DporRecord as "a DPOR record", read in one pass {
        pub partner_id: PartnerId,
        pub from: Date,
        pub to: Option<Date>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_enum! {
    pub enum DeployVia as "deployment method" {
        ArmMain = "arm_main", ArmNested = "arm_nested", Bicep = "bicep", Terraform = "terraform",
        UserAgent = "user_agent", Marketplace = "marketplace",
    }
}

json_record! {
    /// The CUA GUID a resource was deployed with.
    pub struct Deployment as "a deployment", read in one pass {
        pub guid: Guid,
        pub via: DeployVia,
        pub on: Date,
    }
}

json_record! {
    /// One Azure consumption line: a scope, a service and its monthly consumed revenue.
    pub struct UsageLine as "a usage line", read in one pass {
        pub scope: Scope,
        pub service: String,
        pub created: Option<Date>,
        pub deployed_with: Option<Deployment>,
        pub acr: Series,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_record! {
    /// Microsoft 365, Dynamics 365 or Power Platform usage of one workload in the tenant.
    pub struct Workload as "a workload", read in one pass {
        pub workload: String,
        pub subscription: Option<Guid>,
        pub paid_seats: Series,
        pub active_users: Series,
        pub revenue: Series,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_enum! {
    pub enum IdentityKind as "identity kind" {
        DirectoryUser = "directory_user", GuestUser = "guest_user", ServicePrincipal = "service_principal",
        Group = "group", Lighthouse = "lighthouse",
    }
}

json_enum! {
    pub enum IdentityState as "identity state" { Active = "active", Disabled = "disabled", Deleted = "deleted" }
}

json_record! {
    /// An account a partner uses in the customer's tenant (ours, or another partner's).
    pub struct Identity as "an identity", read in one pass {
        pub id: Id,
        pub kind: IdentityKind,
        pub name: String,
        /// The Entra object id (principal id): how imports match identities (v2).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub object_id: Option<Guid>,
        pub person: Option<Id>,
        pub state: IdentityState,
        /// The state holds from this date; null = always.
        pub state_since: Option<Date>,
        pub admin_agents: bool,
        pub classic_admin: bool,
        /// For groups: member identity ids.
        pub members: Vec<Id>,
        pub roles: Vec<RoleAssignment>,
        pub pal: Vec<PalLink>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_record! {
    /// An Azure role assignment.
    pub struct RoleAssignment as "a role assignment", read in one pass {
        pub role: String,
        pub scope: Scope,
        pub from: Option<Date>,
        pub to: Option<Date>,
        /// A just-in-time eligible assignment, not an active one.
        pub eligible_only: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_enum! {
    pub enum LinkTenant as "link tenant" { Customer = "customer", Home = "home" }
}

json_record! {
    /// A Partner Admin Link on an identity.
    pub struct PalLink as "a PAL link", read in one pass {
        pub partner_id: PartnerId,
        pub from: Date,
        pub to: Option<Date>,
        pub tenant: LinkTenant,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

json_enum! {
    pub enum PowerPlatformKind as "Power Platform kind" {
        PowerApp = "power_app", Flow = "flow", Dataset = "dataset", CustomerInsights = "customer_insights",
    }
}

json_record! {
    /// A Power Platform or Customer Insights resource and who owns it.
    pub struct PowerPlatformResource as "a Power Platform resource", read in one pass {
        pub id: Id,
        pub kind: PowerPlatformKind,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub owners: Vec<Id>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub creator: Option<Id>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub publisher: Option<Id>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub users: Vec<Id>,
        pub active_users: Series,
    }
}

impl PowerPlatformResource {
    /// The identities credited for this resource: owners of apps, the creator of a flow,
    /// the publisher of a dataset, the users of Customer Insights.
    pub fn credited_identities(&self) -> &[Id] {
        match self.kind {
            PowerPlatformKind::PowerApp => &self.owners,
            PowerPlatformKind::Flow => self.creator.as_slice(),
            PowerPlatformKind::Dataset => self.publisher.as_slice(),
            PowerPlatformKind::CustomerInsights => &self.users,
        }
    }
}

json_enum! {
    pub enum ClaimArea as "solution area" {
        ModernWorkSecurity = "modern_work_security", BusinessApplications = "business_applications",
    }
}

json_enum! {
    pub enum ClaimRole as "partner role" {
        UseOrConsume = "use_or_consume", BuildIntent = "build_intent", UsageRecognition = "usage_recognition",
        InfluencedRevenue = "influenced_revenue",
    }
}

json_enum! {
    pub enum ClaimStatus as "claim status" {
        Draft = "draft", Submitted = "submitted", UnderReview = "under_review",
        PartnerActionRequired = "partner_action_required", Approved = "approved", Rejected = "rejected",
        Disputed = "disputed", RejectedFinal = "rejected_final",
    }
}

json_record! {
    pub struct ClaimEvent as "a claim status change", read in one pass {
        pub status: ClaimStatus,
        pub on: Date,
    }
}

json_record! {
    /// A Claiming Partner of Record claim (ours or another partner's) on this customer.
    pub struct CporClaim as "a CPOR claim", read in one pass {
        pub id: Id,
        pub partner_id: PartnerId,
        pub area: ClaimArea,
        pub role: ClaimRole,
        pub workloads: Vec<String>,
        pub subscription: Option<Guid>,
        pub history: Vec<ClaimEvent>,
        pub poe: Vec<String>,
        pub opt_out_incentives: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source: Option<Id>,
    }
}

impl CporClaim {
    /// The claim's status at the end of `day`, if it existed by then.
    pub fn status_on(&self, day: Date) -> Option<ClaimStatus> {
        self.history
            .iter()
            .take_while(|e| e.on <= day)
            .last()
            .map(|e| e.status)
    }

    /// The latest status change.
    pub fn current(&self) -> Option<&ClaimEvent> {
        self.history.last()
    }
}

impl Workspace {
    /// Serialise as the v1 file: pretty JSON, two-space indent, trailing newline.
    pub fn to_json(&self) -> String {
        // Most of a large file is its monthly series, one line of about 30 bytes per month
        // (the indentation included), then a few kilobytes per customer of the rest.
        let months: usize = self
            .customers
            .iter()
            .map(|c| {
                let usage: usize = c.usage.iter().map(|u| u.acr.len()).sum();
                let workloads: usize = c
                    .workloads
                    .iter()
                    .map(|w| w.paid_seats.len() + w.active_users.len() + w.revenue.len())
                    .sum();
                usage + workloads
            })
            .sum();
        let guess = 64 * 1024 + months.saturating_mul(32) + self.customers.len() * 2048;
        let mut out = super::pretty::to_string_pretty_sized(self, guess)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        out.push('\n');
        out
    }

    /// True when `id` is one of our location IDs.
    pub fn is_our_location(&self, id: &PartnerId) -> bool {
        self.partner.locations.iter().any(|l| &l.id == id)
    }

    /// A display name for any partner ID found in the file.
    pub fn partner_name(&self, id: &PartnerId) -> String {
        if let Some(l) = self.partner.locations.iter().find(|l| &l.id == id) {
            return format!("{} ({})", l.name, id);
        }
        if self.partner.global_id.as_ref() == Some(id) {
            return format!("{} global ID ({})", self.partner.name, id);
        }
        match self.other_partners.iter().find(|p| &p.id == id) {
            Some(p) => format!("{} ({})", p.name, id),
            None => format!("partner {id}"),
        }
    }

    /// How much the workspace holds.
    pub fn counts(&self) -> Counts {
        let c = &self.customers;
        Counts {
            customers: c.len(),
            subscriptions: c.iter().map(|c| c.subscriptions.len()).sum(),
            usage_lines: c.iter().map(|c| c.usage.len()).sum(),
            identities: c.iter().map(|c| c.identities.len()).sum(),
            claims: c.iter().map(|c| c.cpor.len()).sum(),
            people: self.people.len(),
        }
    }

    /// A copy of everything but the customers (none): a large workspace's customers are then
    /// copied a slice at a time.
    pub fn clone_without_customers(&self) -> Workspace {
        // Named so that a new field cannot be forgotten.
        let Workspace {
            format,
            version,
            name,
            as_of,
            rules,
            partner,
            other_partners,
            people,
            cua_guids,
            customers: _,
            imports,
        } = self;
        Workspace {
            format: format.clone(),
            version: *version,
            name: name.clone(),
            as_of: *as_of,
            rules: rules.clone(),
            partner: partner.clone(),
            other_partners: other_partners.clone(),
            people: people.clone(),
            cua_guids: cua_guids.clone(),
            customers: Vec::new(),
            imports: imports.clone(),
        }
    }

    /// Copy up to `n` more of `from`'s customers after the ones this copy has (a copy begun
    /// with [`Workspace::clone_without_customers`], a slice per task); true once it has as
    /// many as `from`.
    pub fn copy_customers_from(&mut self, from: &Workspace, n: usize) -> bool {
        let have = self.customers.len();
        let to = have.saturating_add(n).min(from.customers.len());
        self.customers
            .extend_from_slice(from.customers.get(have..to).unwrap_or_default());
        self.customers.len() >= from.customers.len()
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.iter().find(|c| c.id.as_str() == id)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id.as_str() == id)
    }

    /// The import a record's `source` names.
    pub fn import(&self, id: &Id) -> Option<&ImportRecord> {
        self.imports.iter().find(|i| &i.id == id)
    }

    /// The day deadlines and expiry are judged on: `today` when the caller knows it (the
    /// engine never reads the clock), else the last day of the data.
    pub fn judged_on(&self, today: Option<Date>) -> Date {
        today.unwrap_or_else(|| self.as_of.last_day())
    }

    /// Complete months between the data's `as_of` and `today`'s month: 0 when `as_of` is the
    /// latest complete month, more when the data is older than deadlines are judged on.
    pub fn months_behind(&self, today: Date) -> i32 {
        (today.month().since(self.as_of) - 1).max(0)
    }
}

impl Customer {
    pub fn subscription(&self, id: &Guid) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| &s.id == id)
    }

    pub fn identity(&self, id: &str) -> Option<&Identity> {
        self.identities.iter().find(|i| i.id.as_str() == id)
    }
}

impl Identity {
    /// Whether the identity is usable on `day` (not disabled or deleted by then).
    pub fn active_on(&self, day: Date) -> bool {
        match self.state {
            IdentityState::Active => true,
            _ => self.state_since.is_some_and(|since| day < since),
        }
    }
}

/// The sizes of a workspace's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub customers: usize,
    pub subscriptions: usize,
    pub usage_lines: usize,
    pub identities: usize,
    pub claims: usize,
    pub people: usize,
}

impl std::fmt::Display for Counts {
    /// `16 customers, 18 subscriptions, 1 usage line, …`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts = [
            (self.customers, "customer", "customers"),
            (self.subscriptions, "subscription", "subscriptions"),
            (self.usage_lines, "usage line", "usage lines"),
            (self.identities, "identity", "identities"),
            (self.claims, "claim", "claims"),
            (self.people, "person", "people"),
        ];
        let text: Vec<String> = parts
            .iter()
            .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        f.write_str(&text.join(", "))
    }
}

/// True when a record holding from `from` until `to` holds on `day`.
///
/// `to` is the day the record ended, so it no longer holds on it: a DPOR handed from one
/// partner to another on the same day never overlaps. Open ends (none) are unbounded.
pub fn covers(from: Option<Date>, to: Option<Date>, day: Date) -> bool {
    from.is_none_or(|f| f <= day) && to.is_none_or(|t| day < t)
}
