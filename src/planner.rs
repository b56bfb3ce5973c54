//! The path to 70: for a designation that does not qualify in the evaluated month, a short
//! ordered list of concrete actions whose combined effect reaches 70 points with every
//! metric above zero — or the best reachable score and why it stops there.
//!
//! Every gain is measured by applying the action to a copy of the workspace and scoring
//! it again, never estimated. Fixes for findings come first when they are enough: their
//! points are already earned and only unrecognised, and their effort is lowest.

use crate::attribution::Association;
use crate::findings::{Finding, findings};
use crate::model::*;
use crate::rules::RuleSet;
use crate::rules::scoring::{Calc, DesignationRules, Measure, SkillStep};
use crate::scoring::Rescorer;
use crate::scoring::{DesignationScore, MetricScore, Unit, contributor_customers, evaluate};
use serde::Serialize;
use std::collections::BTreeSet;

/// A change the planner can make to a workspace (a what-if).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum Edit {
    SetPalPartner {
        customer: String,
        identity: String,
        partner: PartnerId,
    },
    SetPalTenant {
        customer: String,
        identity: String,
    },
    AddPalLink {
        customer: String,
        identity: String,
    },
    ActivateRoles {
        customer: String,
        identity: String,
    },
    SetDpor {
        customer: String,
        subscription: Guid,
    },
    ApproveClaim {
        customer: String,
        claim: String,
    },
    LinkPerson {
        person: String,
    },
    RenewCertification {
        person: String,
        cert: String,
    },
    AddCertifiedPerson {
        cert: String,
    },
    /// Several people at once: completing prerequisite steps earns nothing alone.
    AddCertifiedPeople {
        certs: Vec<String>,
    },
    AddCustomer {
        designation: String,
    },
    GrowUsage {
        designation: String,
    },
    /// A new customer named `name` that would count for `designation`, at `size` a month:
    /// ACR in USD for Azure and Security, paid seats for Modern Work, revenue for Business
    /// Applications.
    NewCustomer {
        name: String,
        designation: String,
        size: f64,
    },
    /// The customer's consumption (Azure ACR, and active users of its workloads) in the
    /// evaluated month grows by `percent`.
    GrowCustomer {
        customer: String,
        percent: f64,
    },
    /// An existing person earns a certification at the start of the evaluated month.
    CertifyPerson {
        person: String,
        cert: String,
    },
    /// A lost customer's consumption comes back: each of the last twelve months gets at
    /// least what it had a year earlier (usage lines and workloads).
    RecoverCustomer {
        customer: String,
    },
    /// Several changes together: a bundle that earns a point only as a whole.
    Several {
        edits: Vec<Edit>,
    },
}

impl Edit {
    /// The customer the edit changes, when it changes one existing customer.
    pub fn customer(&self) -> Option<&str> {
        match self {
            Edit::SetPalPartner { customer, .. }
            | Edit::SetPalTenant { customer, .. }
            | Edit::AddPalLink { customer, .. }
            | Edit::ActivateRoles { customer, .. }
            | Edit::SetDpor { customer, .. }
            | Edit::ApproveClaim { customer, .. }
            | Edit::GrowCustomer { customer, .. }
            | Edit::RecoverCustomer { customer } => Some(customer),
            _ => None,
        }
    }

    /// The existing customers (by id) the edit may change; none when it may change any
    /// of them. People edits and new customers change no existing one.
    pub fn touches(&self) -> Option<Vec<&str>> {
        match self {
            Edit::Several { edits } => {
                let mut out = Vec::new();
                for e in edits {
                    out.extend(e.touches()?);
                }
                Some(out)
            }
            Edit::GrowUsage { .. } => None,
            e => Some(e.customer().into_iter().collect()),
        }
    }

    /// The people the edit changes (by id), when it changes people only: certifications,
    /// Learn profiles, new people (those are added, not named).
    pub fn people(&self) -> Option<Vec<&str>> {
        match self {
            Edit::LinkPerson { person }
            | Edit::RenewCertification { person, .. }
            | Edit::CertifyPerson { person, .. } => Some(vec![person.as_str()]),
            Edit::AddCertifiedPerson { .. } | Edit::AddCertifiedPeople { .. } => Some(Vec::new()),
            Edit::Several { edits } => {
                let mut out = Vec::new();
                for e in edits {
                    out.extend(e.people()?);
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// Whether the edit may change the people (some part of it changes people only).
    pub fn changes_people(&self) -> bool {
        match self {
            Edit::Several { edits } => edits.iter().any(Edit::changes_people),
            e => e.people().is_some(),
        }
    }

    /// The association type an association fix repairs.
    pub fn association(&self) -> Option<Association> {
        match self {
            Edit::SetPalPartner { .. }
            | Edit::SetPalTenant { .. }
            | Edit::AddPalLink { .. }
            | Edit::ActivateRoles { .. } => Some(Association::Pal),
            Edit::SetDpor { .. } => Some(Association::Dpor),
            Edit::ApproveClaim { .. } => Some(Association::Cpor),
            _ => None,
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct PlannedAction {
    /// The effort key (`fix_pal_link`, `certify_person`, …).
    pub kind: String,
    pub title: String,
    /// The finding this fixes, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    pub effort: f64,
    /// Points gained, measured by re-scoring after the previous actions.
    pub gain: f64,
    pub score_after: f64,
    pub edit: Edit,
    /// A bundle's parts (the customers it recovers, why they were lost, the new ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
}

/// A plan; it goes to the page as JSON when the engine worker computes it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Plan {
    pub designation: String,
    pub name: String,
    pub month: Month,
    pub start: f64,
    pub reached: f64,
    pub qualified: bool,
    pub actions: Vec<PlannedAction>,
    /// Why the plan stops short, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stops_because: Option<String>,
    /// The metrics still below the points every metric needs when the plan stops short.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_by: Vec<String>,
}

fn identity_mut<'a>(
    ws: &'a mut Workspace,
    customer: &str,
    identity: &str,
) -> Option<&'a mut Identity> {
    ws.customers
        .iter_mut()
        .find(|c| c.id.as_str() == customer)?
        .identities
        .iter_mut()
        .find(|i| i.id.as_str() == identity)
}

/// Apply an edit to a workspace. Hypothetical records get ids starting with `planned-`.
pub fn apply(ws: &mut Workspace, rules: &RuleSet, edit: &Edit) {
    let m = ws.as_of;
    let location = ws.partner.locations.first().map(|l| l.id.clone());
    let Some(location) = location else { return };
    let customer =
        |ws: &mut Workspace, id: &str| ws.customers.iter().position(|c| c.id.as_str() == id);
    match edit {
        Edit::SetPalPartner {
            customer: c,
            identity,
            partner,
        } => {
            let global = ws.partner.global_id.clone();
            if let Some(i) = identity_mut(ws, c, identity) {
                for l in i
                    .pal
                    .iter_mut()
                    .filter(|l| Some(&l.partner_id) == global.as_ref())
                {
                    l.partner_id = partner.clone();
                }
            }
        }
        Edit::SetPalTenant {
            customer: c,
            identity,
        } => {
            if let Some(i) = identity_mut(ws, c, identity) {
                for l in &mut i.pal {
                    l.tenant = LinkTenant::Customer;
                }
            }
        }
        Edit::AddPalLink {
            customer: c,
            identity,
        } => {
            if let Some(i) = identity_mut(ws, c, identity) {
                i.pal.push(PalLink {
                    source: None,
                    partner_id: location,
                    from: m.first_day(),
                    to: None,
                    tenant: LinkTenant::Customer,
                });
            }
        }
        Edit::ActivateRoles {
            customer: c,
            identity,
        } => {
            if let Some(i) = identity_mut(ws, c, identity) {
                for r in &mut i.roles {
                    r.eligible_only = false;
                }
            }
        }
        Edit::SetDpor {
            customer: c,
            subscription,
        } => {
            if let Some(ci) = customer(ws, c)
                && let Some(s) = ws.customers[ci]
                    .subscriptions
                    .iter_mut()
                    .find(|s| &s.id == subscription)
            {
                let from = m.first_day();
                for d in s.dpor.iter_mut().filter(|d| d.to.is_none_or(|t| t > from)) {
                    d.to = Some(from);
                }
                s.dpor.push(DporRecord {
                    source: None,
                    partner_id: location,
                    from,
                    to: None,
                });
            }
        }
        Edit::ApproveClaim { customer: c, claim } => {
            if let Some(ci) = customer(ws, c)
                && let Some(k) = ws.customers[ci]
                    .cpor
                    .iter_mut()
                    .find(|k| k.id.as_str() == claim)
            {
                let day = m.last_day();
                let at = k.history.iter().take_while(|e| e.on <= day).count();
                k.history.insert(
                    at,
                    ClaimEvent {
                        status: ClaimStatus::Approved,
                        on: day,
                    },
                );
            }
        }
        Edit::LinkPerson { person } => {
            if let Some(p) = ws.people.iter_mut().find(|p| p.id.as_str() == person) {
                p.linked = true;
            }
        }
        Edit::RenewCertification { person, cert } => {
            if let Some(c) = ws
                .people
                .iter_mut()
                .find(|p| p.id.as_str() == person)
                .and_then(|p| p.certifications.iter_mut().find(|c| &c.cert == cert))
            {
                c.expires = Some(
                    m.last_day()
                        .plus_days(i64::from(rules.planner.certification_renewal_days.value)),
                );
            }
        }
        Edit::AddCertifiedPerson { cert } => {
            let n = ws
                .people
                .iter()
                .filter(|p| p.id.as_str().starts_with("planned-"))
                .count()
                + 1;
            let name = rules.certification_name(cert);
            ws.people.push(Person {
                email: None,
                source: None,
                id: Id::new(format!("planned-person-{n}"))
                    .unwrap_or_else(|| unreachable!("a valid id")),
                name: format!("New {name} #{n}"),
                linked: true,
                certifications: vec![Certification {
                    source: None,
                    cert: cert.clone(),
                    earned: m.first_day(),
                    expires: None,
                }],
            });
        }
        Edit::AddCertifiedPeople { certs } => {
            for cert in certs {
                apply(ws, rules, &Edit::AddCertifiedPerson { cert: cert.clone() });
            }
        }
        Edit::AddCustomer { designation } => {
            if let Some(d) = rules.designation(designation) {
                let c = planned_customer(ws, d, location);
                ws.customers.push(c);
            }
        }
        Edit::NewCustomer {
            name,
            designation,
            size,
        } => {
            if let Some(d) = rules.designation(designation) {
                let mut c = planned_customer(ws, d, location);
                c.name = name.trim().to_owned();
                resize(&mut c, family(designation), size.max(0.0), m);
                ws.customers.push(c);
            }
        }
        Edit::GrowCustomer {
            customer: c,
            percent,
        } => {
            let factor = 1.0 + percent / 100.0;
            if let Some(ci) = customer(ws, c) {
                let c = &mut ws.customers[ci];
                for u in &mut c.usage {
                    let v = u.acr.get(m);
                    u.acr.set(m, (v * factor).max(0.0).round());
                }
                for w in &mut c.workloads {
                    let v = w.active_users.get(m);
                    w.active_users.set(m, (v * factor).max(0.0).round());
                }
            }
        }
        Edit::CertifyPerson { person, cert } => {
            if let Some(p) = ws.people.iter_mut().find(|p| p.id.as_str() == person) {
                p.certifications.push(Certification {
                    source: None,
                    cert: cert.clone(),
                    earned: m.first_day(),
                    expires: None,
                });
            }
        }
        Edit::RecoverCustomer { customer: c } => {
            if let Some(ci) = customer(ws, c) {
                restore_consumption(&mut ws.customers[ci], m);
            }
        }
        Edit::Several { edits } => {
            for e in edits {
                apply(ws, rules, e);
            }
        }
        Edit::GrowUsage { designation } => {
            let factor = 1.0 + rules.planner.usage_growth_step.value;
            let family = family(designation);
            for c in &mut ws.customers {
                match family {
                    Family::Azure | Family::Security => {
                        for u in &mut c.usage {
                            let v = u.acr.get(m);
                            u.acr.set(m, (v * factor).round());
                        }
                    }
                    Family::ModernWork | Family::BusinessApplications => {
                        for w in &mut c.workloads {
                            let v = w.active_users.get(m);
                            w.active_users.set(m, (v * factor).round());
                        }
                    }
                }
            }
        }
    }
}

/// Bring a customer's consumption in the twelve months to `m` back to at least what each
/// month had a year earlier; whether anything changed.
fn restore_consumption(c: &mut Customer, m: Month) -> bool {
    let mut changed = false;
    let mut lift = |s: &mut Series| {
        for x in Month::range(m.plus(-11), m) {
            let before = s.get(x.plus(-12));
            if before > s.get(x) {
                s.set(x, before);
                changed = true;
            }
        }
    };
    for u in &mut c.usage {
        lift(&mut u.acr);
    }
    for w in &mut c.workloads {
        lift(&mut w.paid_seats);
        lift(&mut w.active_users);
        lift(&mut w.revenue);
    }
    changed
}

#[derive(Clone, Copy, PartialEq)]
enum Family {
    Azure,
    ModernWork,
    Security,
    BusinessApplications,
}

fn family(designation: &str) -> Family {
    match designation {
        "modern_work" => Family::ModernWork,
        "security" => Family::Security,
        "business_applications" => Family::BusinessApplications,
        _ => Family::Azure,
    }
}

/// What a new customer's size means for a designation: ACR, seats or revenue a month.
pub fn size_unit(designation: &str) -> &'static str {
    match family(designation) {
        Family::Azure | Family::Security => "Azure consumed revenue a month (USD)",
        Family::ModernWork => "Paid seats",
        Family::BusinessApplications => "Revenue a month (USD)",
    }
}

/// `size` in a designation's unit, in words.
pub fn size_text(designation: &str, size: f64) -> String {
    match family(designation) {
        Family::ModernWork => format!("{size:.0} paid seats"),
        _ => format!("{} a month", money(size)),
    }
}

/// Scale a planned customer's main series so the evaluated month holds `size`.
fn resize(c: &mut Customer, family: Family, size: f64, m: Month) {
    let scale = |s: &mut Series, ratio: f64| {
        *s = Series::from_pairs(s.iter().map(|(x, v)| (x, (v * ratio).round())));
    };
    match family {
        Family::Azure | Family::Security => {
            for u in &mut c.usage {
                u.acr = Series::from_pairs(u.acr.iter().map(|(x, _)| (x, size)));
            }
        }
        Family::ModernWork => {
            for w in &mut c.workloads {
                let seats = w.paid_seats.get(m);
                if seats > 0.0 {
                    let ratio = size / seats;
                    scale(&mut w.paid_seats, ratio);
                    scale(&mut w.active_users, ratio);
                }
            }
        }
        Family::BusinessApplications => {
            for w in &mut c.workloads {
                w.revenue = Series::from_pairs(w.revenue.iter().map(|(x, _)| (x, size)));
            }
        }
    }
}

/// A new customer that would count for `d`: just above the thresholds, associated the usual way.
fn planned_customer(ws: &Workspace, d: &DesignationRules, location: PartnerId) -> Customer {
    let m = ws.as_of;
    let n = ws
        .customers
        .iter()
        .filter(|c| c.id.as_str().starts_with("planned-"))
        .count()
        + 1;
    let guid = |kind: u32| {
        Guid::parse(&format!("{kind:08x}-0000-4000-8000-{n:012x}"))
            .unwrap_or_else(|| unreachable!("a valid GUID"))
    };
    let sub = guid(0x9a11_0001);
    let threshold = |pick: &dyn Fn(&Calc) -> Option<f64>| {
        d.tracks
            .iter()
            .flat_map(|t| t.metrics.iter())
            .filter_map(|x| pick(&x.calc))
            .fold(0.0, f64::max)
    };
    let mut usage = Vec::new();
    let mut workloads = Vec::new();
    let mut cpor = Vec::new();
    let mut identities = Vec::new();
    let mut product = Product::Azure;
    let mut dpor = Vec::new();
    match family(&d.id) {
        Family::Azure | Family::Security => {
            let (service, acr) = if family(&d.id) == Family::Security {
                let ttm = threshold(&|c| match c {
                    Calc::SecurityNetCustomerAdds {
                        min_security_acr_ttm,
                        ..
                    } => Some(min_security_acr_ttm.value),
                    _ => None,
                });
                (
                    "Microsoft Sentinel".to_owned(),
                    (ttm / 12.0 * 1.2).ceil().max(10.0),
                )
            } else {
                let min = threshold(&|c| match c {
                    Calc::AzureNetCustomerAdds { min_acr, .. } => Some(min_acr.value),
                    _ => None,
                });
                ("Azure App Service".to_owned(), (min * 1.1).ceil())
            };
            usage.push(UsageLine {
                source: None,
                scope: format!("/subscriptions/{sub}").into(),
                service,
                created: Some(m.plus(-11).first_day()),
                deployed_with: None,
                acr: Series::from_pairs(Month::range(m.plus(-11), m).map(|x| (x, acr))),
            });
            identities.push(Identity {
                object_id: None,
                source: None,
                id: Id::new("planned-ops").unwrap_or_else(|| unreachable!("a valid id")),
                kind: IdentityKind::GuestUser,
                name: "ops@partner.example".into(),
                person: None,
                state: IdentityState::Active,
                state_since: None,
                admin_agents: false,
                classic_admin: false,
                members: Vec::new(),
                roles: vec![RoleAssignment {
                    source: None,
                    role: "Contributor".into(),
                    scope: format!("/subscriptions/{sub}").into(),
                    from: None,
                    to: None,
                    eligible_only: false,
                }],
                pal: vec![PalLink {
                    source: None,
                    partner_id: location.clone(),
                    from: m.plus(-11).first_day(),
                    to: None,
                    tenant: LinkTenant::Customer,
                }],
            });
        }
        Family::ModernWork => {
            product = Product::M365;
            // Claimed six months ago at low adoption that has grown since: a new tenant,
            // a new deployment, and usage growth from the claim month.
            let seats = 400.0;
            workloads.push(Workload {
                source: None,
                workload: "teams".into(),
                subscription: Some(sub.clone()),
                paid_seats: Series::from_pairs(Month::range(m.plus(-6), m).map(|x| (x, seats))),
                active_users: Series::from_pairs(Month::range(m.plus(-6), m).map(|x| {
                    let share = 0.2 + 0.4 * f64::from(x.since(m.plus(-6))) / 6.0;
                    (x, (seats * share).round())
                })),
                revenue: Series::default(),
            });
            cpor.push(CporClaim {
                source: None,
                id: Id::new("planned-claim").unwrap_or_else(|| unreachable!("a valid id")),
                partner_id: location.clone(),
                area: ClaimArea::ModernWorkSecurity,
                role: ClaimRole::UseOrConsume,
                workloads: vec!["teams".into()],
                subscription: None,
                history: vec![ClaimEvent {
                    status: ClaimStatus::Approved,
                    on: m.plus(-6).first_day(),
                }],
                poe: vec!["planned".into()],
                opt_out_incentives: false,
            });
        }
        Family::BusinessApplications => {
            product = Product::Dynamics365;
            let min = threshold(&|c| match c {
                Calc::BusinessApplicationsNetCustomerAdds { min_revenue, .. } => {
                    Some(min_revenue.value)
                }
                _ => None,
            });
            workloads.push(Workload {
                source: None,
                workload: "sales".into(),
                subscription: Some(sub.clone()),
                paid_seats: Series::from_pairs([(m, 60.0)]),
                active_users: Series::from_pairs([(m, 60.0)]),
                revenue: Series::from_pairs([
                    (m.plus(-1), (min * 1.2).ceil()),
                    (m, (min * 1.2).ceil()),
                ]),
            });
            dpor.push(DporRecord {
                source: None,
                partner_id: location.clone(),
                from: m.plus(-1).first_day(),
                to: None,
            });
        }
    }
    Customer {
        reported: Vec::new(),
        source: None,
        id: Id::new(format!("planned-customer-{n}")).unwrap_or_else(|| unreachable!("a valid id")),
        name: format!("New customer #{n}"),
        tenant_id: guid(0x9a11_0002),
        segment: Segment::Enterprise,
        cloud: Cloud::Public,
        subscriptions: vec![Subscription {
            offer_assumed: false,
            source: None,
            id: sub,
            name: "New subscription".into(),
            product,
            offer: if product == Product::Azure {
                Offer::PayAsYouGo
            } else {
                Offer::EnterpriseAgreement
            },
            status: SubscriptionStatus::Active,
            created: Some(m.plus(-12).first_day()),
            moved_to_azure_plan: None,
            csp: None,
            dpor,
        }],
        usage,
        workloads,
        identities,
        power_platform: Vec::new(),
        cpor,
        notes: serde_json::Value::String("planned: a what-if customer".into()),
    }
}

/// A candidate action: its effort kind, title, the finding it fixes, the edit, its effort,
/// and, for a bundle, the parts it is made of.
#[derive(Debug, Clone)]
struct Candidate {
    kind: &'static str,
    title: String,
    finding: Option<&'static str>,
    edit: Edit,
    effort: f64,
    steps: Vec<String>,
}

impl Candidate {
    /// A single action, its effort read from the rule set (per person for several people).
    fn new(
        rules: &RuleSet,
        kind: &'static str,
        title: String,
        finding: Option<&'static str>,
        edit: Edit,
    ) -> Candidate {
        let people = match &edit {
            Edit::AddCertifiedPeople { certs } => certs.len() as f64,
            _ => 1.0,
        };
        Candidate {
            kind,
            title,
            finding,
            effort: rules.planner.effort(kind) * people,
            edit,
            steps: Vec::new(),
        }
    }
}

/// The findings that have an automatic fix, as actions.
#[cfg(test)]
fn finding_fixes(ws: &Workspace, rules: &RuleSet, today: Date) -> Vec<Candidate> {
    finding_fixes_of(ws, rules, today, &findings(ws, rules, today))
}

/// The fixes of findings `found` of `ws` on `today`.
fn finding_fixes_of(
    ws: &Workspace,
    rules: &RuleSet,
    today: Date,
    found: &[Finding],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let location = ws.partner.locations.first().map(|l| l.id.clone());
    // Customers by id, looked up once per finding instead of searched for.
    let by_id: std::collections::HashMap<&str, &Customer> =
        ws.customers.iter().map(|c| (c.id.as_str(), c)).collect();
    for f in found {
        let customer = f.customer.clone().unwrap_or_default();
        let the_customer = by_id.get(customer.as_str()).copied();
        let cname = the_customer.map_or_else(|| customer.clone(), |c| c.name.clone());
        let identity_name = |id: &str| {
            the_customer
                .and_then(|c| c.identity(id))
                .map_or_else(|| id.to_owned(), |i| i.name.clone())
        };
        let edit = match f.code {
            "pal.global_id" => location.clone().map(|loc| {
                (
                    "fix_pal_link",
                    format!(
                        "Link {} at {cname} with location ID {loc} instead of the global ID",
                        identity_name(&f.subject)
                    ),
                    Edit::SetPalPartner {
                        customer: customer.clone(),
                        identity: f.subject.clone(),
                        partner: loc,
                    },
                )
            }),
            "pal.wrong_tenant" => Some((
                "fix_pal_link",
                format!(
                    "Link {} again while signed in to {cname}'s tenant",
                    identity_name(&f.subject)
                ),
                Edit::SetPalTenant {
                    customer: customer.clone(),
                    identity: f.subject.clone(),
                },
            )),
            "pal.eligible_only" => Some((
                "assign_role",
                format!(
                    "Make {}'s role assignments at {cname} active",
                    identity_name(&f.subject)
                ),
                Edit::ActivateRoles {
                    customer: customer.clone(),
                    identity: f.subject.clone(),
                },
            )),
            "subscription.moved_without_link" | "dpor.missing" => {
                Guid::parse(&f.subject).map(|g| {
                    let sub = the_customer
                        .and_then(|c| c.subscription(&g))
                        .map_or_else(|| f.subject.clone(), |s| s.name.clone());
                    (
                        "request_dpor",
                        format!("Ask {cname} to set you as partner of record on {sub}"),
                        Edit::SetDpor {
                            customer: customer.clone(),
                            subscription: g,
                        },
                    )
                })
            }
            "customer.no_linked_identity" => the_customer
                .and_then(|c| c.identities.iter().find(|i| !i.roles.is_empty()))
                .map(|i| {
                    (
                        "add_pal_link",
                        format!("PAL-link {} at {cname}", i.name),
                        Edit::AddPalLink {
                            customer: customer.clone(),
                            identity: i.id.to_string(),
                        },
                    )
                }),
            "cpor.partner_action_required" | "cpor.draft" => Some((
                "get_claim_approved",
                format!("Get claim {} at {cname} approved", f.subject),
                Edit::ApproveClaim {
                    customer: customer.clone(),
                    claim: f.subject.clone(),
                },
            )),
            "cert.not_linked" => {
                let name = ws
                    .person(&f.subject)
                    .map_or_else(|| f.subject.clone(), |p| p.name.clone());
                Some((
                    "link_learn_profile",
                    format!("Ask {name} to link their Microsoft Learn profile"),
                    Edit::LinkPerson {
                        person: f.subject.clone(),
                    },
                ))
            }
            "cert.expired" => ws.person(&f.subject).and_then(|p| {
                p.certifications
                    .iter()
                    .find(|c| c.expires.is_some_and(|e| e <= today))
                    .map(|c| {
                        (
                            "renew_certification",
                            format!("{} renews {}", p.name, rules.certification_name(&c.cert)),
                            Edit::RenewCertification {
                                person: f.subject.clone(),
                                cert: c.cert.clone(),
                            },
                        )
                    })
            }),
            _ => None,
        };
        if let Some((kind, title, edit)) = edit {
            out.push(Candidate::new(rules, kind, title, Some(f.code), edit));
        }
    }
    out
}

/// Certifications, usage growth and new customers for designation `d`.
fn growth_actions(ws: &Workspace, rules: &RuleSet, d: &DesignationScore) -> Vec<Candidate> {
    let mut out = Vec::new();
    // Skilling: one more certified person at each step of the counting track's skilling metrics.
    if let Some(dr) = rules.designation(&d.id) {
        let track = d.track.clone().unwrap_or_else(|| "none".into());
        if let Some(t) = dr
            .tracks
            .iter()
            .find(|t| t.track == track)
            .or(dr.tracks.first())
        {
            for metric in &t.metrics {
                if let Calc::Skilling { steps } = &metric.calc {
                    // Complete the path: the people each prerequisite lacks, and one scorer.
                    let progress = crate::scoring::skilling_progress(ws, rules, steps, ws.as_of);
                    let mut certs = Vec::new();
                    for (step, p) in steps.iter().zip(&progress) {
                        let n = if step.scoring { 1 } else { p.missing() };
                        if let Some(cert) = step.certifications.first() {
                            certs.extend(std::iter::repeat_n(cert.clone(), n as usize));
                        }
                    }
                    let prerequisites_missing = steps
                        .iter()
                        .zip(&progress)
                        .any(|(s, p)| !s.scoring && p.missing() > 0);
                    if prerequisites_missing {
                        let names: Vec<String> =
                            certs.iter().map(|c| rules.certification_name(c)).collect();
                        let title = format!(
                            "Certify {} people to complete the {} path: {}",
                            certs.len(),
                            crate::scoring::metric_label(&metric.id).to_lowercase(),
                            names.join(", ")
                        );
                        out.push(Candidate::new(
                            rules,
                            "certify_person",
                            title,
                            None,
                            Edit::AddCertifiedPeople { certs },
                        ));
                    }
                    for step in steps {
                        if let Some(cert) = step.certifications.first() {
                            let title = format!(
                                "{CERTIFY_ONE} as {} ({})",
                                rules.certification_name(cert),
                                crate::scoring::metric_label(&metric.id).to_lowercase()
                            );
                            if !out.iter().any(|c| c.title == title) {
                                out.push(Candidate::new(
                                    rules,
                                    "certify_person",
                                    title,
                                    None,
                                    Edit::AddCertifiedPerson { cert: cert.clone() },
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    let step = (rules.planner.usage_growth_step.value * 100.0).round();
    out.push(Candidate::new(
        rules,
        "grow_usage",
        format!("Grow associated usage by {step} % in {}", ws.as_of),
        None,
        Edit::GrowUsage {
            designation: d.id.clone(),
        },
    ));
    out.push(Candidate::new(
        rules,
        "win_customer",
        format!("{WIN_ONE} (just above the thresholds)"),
        None,
        Edit::AddCustomer {
            designation: d.id.clone(),
        },
    ));
    out
}

/// What a re-score tells.
#[derive(Clone, Copy)]
enum Told {
    /// Each metric's value and points and the totals: what candidates are ranked on.
    Values,
    /// And the contributors, as the evaluation lists them: the step a plan settles on.
    Listed,
}

/// Designation `id` of `next`, the workspace the rescorer keeps with `edit` applied.
fn rescore(
    rescorer: &Rescorer,
    next: &Workspace,
    id: &str,
    edit: &Edit,
    told: Told,
) -> Option<DesignationScore> {
    match (edit.touches(), told) {
        (Some(changed), Told::Values) => rescorer.designation_changed_values(next, id, &changed),
        (Some(changed), Told::Listed) => rescorer.designation_changed(next, id, &changed),
        (None, Told::Values) => rescorer.designation_values(next, id),
        (None, Told::Listed) => rescorer.designation(next, id),
    }
}

fn score_of(ws: &Workspace, rules: &RuleSet, id: &str) -> Option<DesignationScore> {
    crate::scoring::evaluate_designation(ws, rules, id)
}

fn qualifies(d: &DesignationScore, m: Month) -> bool {
    d.month(m).is_some_and(|x| x.qualified)
}

/// How the planner titles one more of something; repeated steps are merged into one.
const CERTIFY_ONE: &str = "Certify one more person";
const WIN_ONE: &str = "Win one more customer that counts";

/// Search bounds, not scoring rules: the lost customers tried one by one at each step, the
/// most units one bundle holds, and how many times a bundle is resized and measured again.
const SINGLE_RECOVERIES: usize = 5;
const MAX_BUNDLE: usize = 40;
const BUNDLE_TRIES: usize = 6;

/// A customer that counted toward a net-customer-adds metric twelve months before the
/// evaluated month and does not count now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LostCustomer {
    pub customer: String,
    pub name: String,
    /// The metric it counted toward.
    pub metric: String,
    /// The month it counted in: twelve months before the evaluated one.
    pub counted_in: Month,
    /// What it counted with then (credited ACR for Azure), in `unit`.
    pub value: f64,
    pub unit: Unit,
    /// Why it does not count now, in the engine's words.
    pub reason: String,
    /// What makes a customer count toward the metric, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
}

/// The metric rules of designation `id`'s counting track in the evaluated month.
fn counting_metrics<'r>(
    rules: &'r RuleSet,
    id: &str,
    score: &DesignationScore,
) -> &'r [crate::rules::scoring::MetricRules] {
    let t = score.counting.last().map_or(0, |(_, t)| *t);
    rules
        .designation(id)
        .and_then(|d| d.tracks.get(t))
        .map_or(&[], |t| t.metrics.as_slice())
}

/// The customers that counted toward designation `id`'s net customer adds a year before the
/// evaluated month and no longer do, largest first, each with the engine's reason: a broken
/// or missing association, or consumption that fell below what a customer needs.
pub fn lost_customers(ws: &Workspace, rules: &RuleSet, id: &str) -> Vec<LostCustomer> {
    match crate::scoring::evaluate_explained(ws, rules, id) {
        Some(now) => lost_customers_of(ws, rules, id, now),
        None => Vec::new(),
    }
}

/// [`lost_customers`], given designation `id` of `ws` explained.
fn lost_customers_of(
    ws: &Workspace,
    rules: &RuleSet,
    id: &str,
    now: DesignationScore,
) -> Vec<LostCustomer> {
    let counting: Vec<_> = counting_metrics(rules, id, &now)
        .iter()
        .filter(|x| x.calc.counts_customers())
        .collect();
    if counting.is_empty() {
        return Vec::new();
    }
    // The same track, a year earlier: the engine's own rule says who counted then.
    let mut past = ws.clone();
    past.as_of = ws.as_of.plus(-12);
    let Some(then) = score_of(&past, rules, id) else {
        return Vec::new();
    };
    let t = now.counting.last().map_or(0, |(_, t)| *t);
    let then_metrics = then
        .tracks
        .get(t)
        .and_then(|x| x.months.last())
        .map_or(&[][..], |x| x.metrics.as_slice());
    let mut out = Vec::new();
    for rule in counting {
        let (Some(now_m), Some(then_m)) = (
            now.metrics().iter().find(|x| x.id == rule.id),
            then_metrics.iter().find(|x| x.id == rule.id),
        ) else {
            continue;
        };
        let counted = contributor_customers(now_m);
        let mut seen = BTreeSet::new();
        for c in &then_m.contributors {
            let Some(cid) = c.customer.as_deref() else {
                continue;
            };
            if counted.contains(cid) || cid.starts_with("planned-") || !seen.insert(cid) {
                continue;
            }
            let Some(customer) = ws.customer(cid) else {
                continue;
            };
            let reason = now_m
                .excluded
                .iter()
                .find(|e| e.customer.as_deref() == Some(cid))
                .map_or_else(
                    || format!("nothing of theirs counts in {}", ws.as_of),
                    |e| e.reason.clone(),
                );
            out.push(LostCustomer {
                customer: cid.to_owned(),
                name: customer.name.clone(),
                metric: rule.id.clone(),
                counted_in: past.as_of,
                value: c.value,
                unit: c.unit,
                reason,
                needs: rule.calc.customer_threshold(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

/// How to win a lost customer back: the fixes for its findings, and its consumption back
/// to last year's level when it fell.
#[derive(Debug, Clone)]
struct Recovery {
    title: String,
    /// The customer, why it was lost and what it counted with, for a bundle's list.
    step: String,
    finding: Option<&'static str>,
    edit: Edit,
    effort: f64,
}

impl Recovery {
    fn candidate(&self) -> Candidate {
        Candidate {
            kind: "recover_customer",
            title: self.title.clone(),
            finding: self.finding,
            edit: self.edit.clone(),
            effort: self.effort,
            steps: vec![self.step.clone()],
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// The recoveries of `lost` (customers of `ws`), cheapest first; a customer with neither a
/// fix nor consumption to restore has none.
fn recoveries(
    ws: &Workspace,
    rules: &RuleSet,
    calc: Option<&Calc>,
    lost: &[&LostCustomer],
    fixes: &[Candidate],
) -> Vec<Recovery> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for l in lost {
        let Some(customer) = ws.customer(&l.customer) else {
            continue;
        };
        if !seen.insert(l.customer.as_str()) {
            continue;
        }
        let (mut edits, mut parts, mut effort, mut finding) = (Vec::new(), Vec::new(), 0.0, None);
        // The customer's fixes for the associations the metric reads.
        let reads = calc.map(Calc::associations);
        for f in fixes.iter().filter(|f| {
            f.edit.customer() == Some(l.customer.as_str())
                && f.edit
                    .association()
                    .is_none_or(|a| reads.as_ref().is_none_or(|r| r.contains(&a)))
        }) {
            if !edits.contains(&f.edit) {
                edits.push(f.edit.clone());
                parts.push(lower_first(&f.title));
                effort += f.effort;
                finding = finding.or(f.finding);
            }
        }
        // Consumption is brought back when it fell below what a customer needs, or when
        // no fix explains the loss.
        let fell = calc.is_none_or(|c| consumption_fell(customer, c, rules, ws.as_of));
        if (fell || edits.is_empty()) && restore_consumption(&mut customer.clone(), ws.as_of) {
            edits.push(Edit::RecoverCustomer {
                customer: l.customer.clone(),
            });
            parts.push(format!(
                "bring its consumption back to its level of a year earlier ({})",
                l.counted_in
            ));
            effort += rules.planner.effort("recover_customer");
        }
        if edits.is_empty() {
            continue;
        }
        let with = match l.unit {
            Unit::Usd | Unit::Mcv => format!(" with {}", money(l.value)),
            _ => String::new(),
        };
        let parts = parts.join("; ");
        out.push(Recovery {
            title: format!("Recover {}: {parts}", l.name),
            step: format!(
                "{} (counted in {}{with}; now {}): {parts}",
                l.name, l.counted_in, l.reason
            ),
            finding,
            edit: if edits.len() == 1 {
                edits.remove(0)
            } else {
                Edit::Several { edits }
            },
            effort,
        });
    }
    // Stable: the largest lost customer first among equal efforts.
    out.sort_by(|a, b| a.effort.total_cmp(&b.effort));
    out
}

/// Whether a customer's consumption in the evaluated month is below what one customer needs
/// to count toward `calc` (credited or not: an association fix alone would not recover it).
fn consumption_fell(c: &Customer, calc: &Calc, rules: &RuleSet, m: Month) -> bool {
    let acr = |x: Month, security: bool| -> f64 {
        c.usage
            .iter()
            .filter(|u| !security || rules.scoring.is_security_service(&u.service))
            .map(|u| u.acr.get(x))
            .sum()
    };
    match calc {
        Calc::AzureNetCustomerAdds { min_acr, .. } => {
            acr(m, false).max(acr(m.plus(-1), false)) < min_acr.value
        }
        Calc::SecurityNetCustomerAdds {
            min_security_acr_ttm,
            min_seats,
            ..
        } => {
            let ttm: f64 = Month::range(m.plus(-11), m).map(|x| acr(x, true)).sum();
            let seats = c
                .workloads
                .iter()
                .map(|w| w.paid_seats.get(m))
                .fold(0.0, f64::max);
            ttm < min_security_acr_ttm.value && seats < min_seats.value
        }
        Calc::BusinessApplicationsNetCustomerAdds { min_revenue, .. } => {
            c.workloads.iter().map(|w| w.revenue.get(m)).sum::<f64>() < min_revenue.value
        }
        // Modern Work counts active use: fewer active users than a year earlier.
        _ => {
            let users = |x: Month| {
                c.workloads
                    .iter()
                    .map(|w| w.active_users.get(x))
                    .sum::<f64>()
            };
            users(m) < users(m.plus(-12))
        }
    }
}

/// The smallest bundle that earns the first point of a net-customer-adds metric below zero:
/// lost customers recovered (cheapest first), then new customers, measured by applying
/// the whole bundle and scoring again, resized until the metric earns its point.
fn customer_bundle(
    ws: &Workspace,
    rescorer: &Rescorer,
    rules: &RuleSet,
    id: &str,
    metric: &MetricScore,
    needs: Option<String>,
    recs: &[Recovery],
) -> Option<Candidate> {
    let min = rules.scoring.min_metric_points.value;
    let win = rules.planner.effort("win_customer");
    let unit = |i: usize| match recs.get(i) {
        Some(r) => (r.edit.clone(), r.effort),
        None => (
            Edit::AddCustomer {
                designation: id.to_owned(),
            },
            win,
        ),
    };
    let needed = |v: f64| (1.0 - v).ceil().max(1.0) as usize;
    let mut k = needed(metric.value).min(MAX_BUNDLE);
    let mut last = metric.value;
    for _ in 0..BUNDLE_TRIES {
        let edits: Vec<Edit> = (0..k).map(|i| unit(i).0).collect();
        let edit = Edit::Several { edits };
        let mut next = ws.clone();
        apply(&mut next, rules, &edit);
        let after = rescore(rescorer, &next, id, &edit, Told::Values)?;
        let x = after.metrics().iter().find(|x| x.id == metric.id)?;
        if x.points >= min {
            let r = k.min(recs.len());
            let n = k - r;
            let what = match (r, n) {
                (0, n) => format!(
                    "Win {} that count",
                    plural(n, "new customer", "new customers")
                ),
                (r, 0) => format!("Recover {}", plural(r, "lost customer", "lost customers")),
                (r, n) => format!(
                    "Recover {} and win {}",
                    plural(r, "lost customer", "lost customers"),
                    plural(n, "new customer", "new customers")
                ),
            };
            let label = crate::scoring::metric_label(&metric.id).to_lowercase();
            let mut steps: Vec<String> = recs[..r].iter().map(|r| r.step.clone()).collect();
            if n > 0 {
                steps.push(format!(
                    "{} just above the thresholds",
                    plural(n, "new customer", "new customers")
                ));
            }
            if let Some(needs) = needs {
                steps.push(format!("A customer counts with {needs}."));
            }
            return Some(Candidate {
                kind: if n > 0 {
                    "win_customer"
                } else {
                    "recover_customer"
                },
                title: format!(
                    "{what}: {label} {} → {}, the first points it earns",
                    Measure::Count.show(metric.value),
                    Measure::Count.show(x.value)
                ),
                finding: None,
                edit,
                effort: (0..k).map(|i| unit(i).1).sum(),
                steps,
            });
        }
        if x.value <= last + 1e-9 || k >= MAX_BUNDLE {
            return None;
        }
        last = x.value;
        k = (k + needed(x.value)).min(MAX_BUNDLE);
    }
    None
}

/// The metrics below the points every metric needs, and the total against 70, in words.
fn shortfall(score: &DesignationScore, rules: &RuleSet, id: &str) -> (String, Vec<String>) {
    let min = rules.scoring.min_metric_points.value;
    let qualifying = rules.scoring.qualifying_score.value;
    let calcs = counting_metrics(rules, id, score);
    let mut parts = Vec::new();
    let mut blocked = Vec::new();
    for x in score.metrics().iter().filter(|x| x.points < min) {
        let calc = calcs.iter().find(|r| r.id == x.id).map(|r| &r.calc);
        let measured = calc.map_or(Measure::Count, Calc::measure).show(x.value);
        let mut text = format!(
            "{} earns {:.2} points (measured {measured}), below the {} every metric needs",
            crate::scoring::metric_label(&x.id),
            x.points,
            plural(min as usize, "point", "points"),
        );
        if calc.is_some_and(Calc::counts_customers) && x.value < 1.0 {
            text.push_str(&format!(
                ": at least {} that count",
                plural(
                    (1.0 - x.value).ceil() as usize,
                    "more customer",
                    "more customers"
                )
            ));
        } else if let Some(calc) = calc {
            // The rule's numbers, which say what the metric waits for.
            let name = |c: &str| rules.catalogue_name(c);
            let numbers: Vec<String> = calc
                .parameters(&name)
                .into_iter()
                .filter(|p| {
                    p.value.len() <= 40
                        && p.value
                            .starts_with(|c: char| c.is_ascii_digit() || c == '$')
                })
                .map(|p| format!("{} {}", p.name, p.value))
                .collect();
            if !numbers.is_empty() {
                text.push_str(&format!(" (the rule: {})", numbers.join("; ")));
            }
        }
        parts.push(text);
        blocked.push(x.id.clone());
    }
    if score.score < qualifying {
        parts.push(format!(
            "{:.2} of the {} points needed",
            score.score,
            Measure::Count.show(qualifying)
        ));
    }
    (parts.join("; "), blocked)
}

/// A measured candidate: its value per effort, the action, the workspace and score after.
type Measured = (f64, PlannedAction, DesignationScore);

/// Designation `id` once `edit` is applied to `current`, which is left as it was: an edit
/// that changes known customers (or people, or adds customers) is applied in place and
/// undone, sparing a copy of the whole workspace per candidate; any other is measured on a
/// copy.
fn measure(
    current: &mut Workspace,
    rescorer: &Rescorer,
    rules: &RuleSet,
    id: &str,
    edit: &Edit,
    told: Told,
) -> Option<DesignationScore> {
    let Some(undo) = Undo::apply(current, rescorer, rules, edit) else {
        let mut next = current.clone();
        apply(&mut next, rules, edit);
        return rescore(rescorer, &next, id, edit, told);
    };
    let after = rescore(rescorer, current, id, edit, told);
    undo.restore(current);
    after
}

/// What an edit applied in place may change, kept to put back: the customers it touches,
/// the number of customers (new ones are appended) and the people when it may change them.
struct Undo {
    customers: usize,
    changed: Vec<(usize, Customer)>,
    people: Option<Vec<Person>>,
}

impl Undo {
    /// Apply `edit` to `ws` (the workspace `rescorer` keeps, or one that has its customers
    /// in place) in place; none (and nothing applied) when it may change any customer.
    fn apply(
        ws: &mut Workspace,
        rescorer: &Rescorer,
        rules: &RuleSet,
        edit: &Edit,
    ) -> Option<Undo> {
        let mut touched: Vec<usize> = edit
            .touches()?
            .iter()
            .filter_map(|id| position_of(ws, rescorer, id))
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let undo = Undo {
            customers: ws.customers.len(),
            changed: touched
                .into_iter()
                .map(|i| (i, ws.customers[i].clone()))
                .collect(),
            people: edit.changes_people().then(|| ws.people.clone()),
        };
        apply(ws, rules, edit);
        Some(undo)
    }

    fn restore(self, ws: &mut Workspace) {
        ws.customers.truncate(self.customers);
        for (i, c) in self.changed {
            ws.customers[i] = c;
        }
        if let Some(people) = self.people {
            ws.people = people;
        }
    }
}

/// Customer `id`'s position in `ws`: where the rescorer's kept workspace has it when `ws`
/// has it there too (the planner edits that workspace in place and puts it back), else
/// where `ws` has it.
fn position_of(ws: &Workspace, rescorer: &Rescorer, id: &str) -> Option<usize> {
    rescorer
        .position(id)
        .filter(|&ci| ws.customers.get(ci).is_some_and(|c| c.id.as_str() == id))
        .or_else(|| ws.customers.iter().position(|c| c.id.as_str() == id))
}

/// Plan the path to 70 for designation `id`, judged in the workspace's `as_of` month.
///
/// Greedy on measured gain per effort, with two refinements: a metric below one point
/// blocks qualification whatever the total, so an action that lifts one comes first; and
/// a net-customer-adds metric below zero, where one more customer earns nothing, gets a
/// bundle — lost customers recovered, then new ones — sized to earn its first point.
pub fn plan(ws: &Workspace, rules: &RuleSet, id: &str, today: Date) -> Option<Plan> {
    plan_reporting(ws, rules, id, today, &mut |_| {})
}

/// How far a plan has got: told after each step it settles on (the page shows it while
/// the engine worker plans).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct PlanProgress {
    /// Steps settled on so far (a repeated step merged into one action counts each time).
    pub steps: usize,
    /// The designation's score after them.
    pub score: f64,
}

/// [`plan`], telling `progress` after each action it settles on.
pub fn plan_reporting(
    ws: &Workspace,
    rules: &RuleSet,
    id: &str,
    today: Date,
    progress: &mut dyn FnMut(PlanProgress),
) -> Option<Plan> {
    let m = ws.as_of;
    let min = rules.scoring.min_metric_points.value;
    let mut current = ws.clone();
    // Candidates re-score only the customers they change, against a rescorer kept on the
    // workspace as it stands (which also scores the start).
    let mut kept = Some(Rescorer::new(&current, rules));
    let mut score = kept.as_ref()?.designation(&current, id)?;
    let start = score.score;
    let mut actions: Vec<PlannedAction> = Vec::new();
    let max = rules.planner.max_actions.value as usize;
    let mut stops_because = None;
    // Who was lost is read once, from the workspace as it is.
    let mut lost: Option<Vec<LostCustomer>> = None;
    // The last action when it is one more of a repeatable step: its unit edit and count.
    let mut repeat: Option<(Edit, usize, String)> = None;
    let mut steps = 0;
    while !qualifies(&score, m) {
        if actions.len() >= max || steps >= 4 * max {
            let (short, _) = shortfall(&score, rules, id);
            stops_because = Some(format!("stopped after {} actions; {short}", actions.len()));
            break;
        }
        steps += 1;
        let short_before = score.metrics().iter().filter(|x| x.points < min).count();
        let mut rescorer = kept
            .take()
            .unwrap_or_else(|| Rescorer::new(&current, rules));
        let found = crate::findings::findings_reusing(&current, rules, today, |ci| {
            rescorer.prep_of(&current, rules, ci)
        });
        let fixes = finding_fixes_of(&current, rules, today, &found);
        let mut cands = Vec::new();
        let calcs = counting_metrics(rules, id, &score);
        let customer_metrics: Vec<MetricScore> = score
            .metrics()
            .iter()
            .filter(|x| {
                x.points < x.max
                    && calcs
                        .iter()
                        .any(|r| r.id == x.id && r.calc.counts_customers())
            })
            .cloned()
            .collect();
        for metric in &customer_metrics {
            let lost = lost.get_or_insert_with(|| {
                let now = rescorer.explained(ws, rules, id);
                now.map_or_else(Vec::new, |now| lost_customers_of(ws, rules, id, now))
            });
            let counted = contributor_customers(metric);
            let open: Vec<&LostCustomer> = lost
                .iter()
                .filter(|l| l.metric == metric.id && !counted.contains(&l.customer))
                .collect();
            let calc = calcs.iter().find(|r| r.id == metric.id).map(|r| &r.calc);
            let recs = recoveries(&current, rules, calc, &open, &fixes);
            if metric.points < min
                && metric.value < 0.0
                && let Some(b) = customer_bundle(
                    &current,
                    &rescorer,
                    rules,
                    id,
                    metric,
                    calc.and_then(Calc::customer_threshold),
                    &recs,
                )
            {
                cands.push(b);
            }
            cands.extend(recs.iter().take(SINGLE_RECOVERIES).map(Recovery::candidate));
        }
        cands.extend(fixes);
        cands.extend(growth_actions(&current, rules, &score));
        let mut best: Option<Measured> = None;
        let mut best_lift: Option<Measured> = None;
        let mut screen = Screen::new(&current, rules, id);
        for c in cands {
            if screen.changes_nothing(&current, &rescorer, &c.edit) {
                continue;
            }
            let Some(after) = measure(&mut current, &rescorer, rules, id, &c.edit, Told::Values)
            else {
                continue;
            };
            let short_after = after.metrics().iter().filter(|x| x.points < min).count();
            let gain = after.score - score.score;
            if gain <= 1e-9 && short_after >= short_before {
                continue;
            }
            let lifted = short_before.saturating_sub(short_after) as f64;
            let value = (gain + rules.planner.zero_metric_bonus.value * lifted) / c.effort;
            let action = PlannedAction {
                kind: c.kind.to_owned(),
                title: c.title,
                finding: c.finding.map(str::to_owned),
                effort: c.effort,
                gain,
                score_after: after.score,
                edit: c.edit,
                steps: c.steps,
            };
            let slot = if lifted > 0.0 {
                &mut best_lift
            } else {
                &mut best
            };
            if slot.as_ref().is_none_or(|(v, a, _)| {
                value > *v + 1e-9 || ((value - *v).abs() <= 1e-9 && gain > a.gain)
            }) {
                *slot = Some((value, action, after));
            }
        }
        // A metric below one point blocks qualification: lifting it comes first.
        match best_lift.or(best) {
            Some((_, action, values)) => {
                // Ranked on values, the step settled on is scored with its contributors
                // (the next step reads them); the values are the same.
                let after = measure(
                    &mut current,
                    &rescorer,
                    rules,
                    id,
                    &action.edit,
                    Told::Listed,
                )
                .unwrap_or(values);
                apply(&mut current, rules, &action.edit);
                // The next step's rescorer: this one moved on, the step's customers prepared
                // again.
                rescorer.rebase(&current, rules, action.edit.touches().as_deref());
                kept = Some(rescorer);
                progress(PlanProgress {
                    steps,
                    score: after.score,
                });
                let unit = matches!(
                    action.edit,
                    Edit::AddCertifiedPerson { .. } | Edit::AddCustomer { .. }
                );
                match (&mut repeat, actions.last_mut()) {
                    (Some((edit, n, title)), Some(last)) if unit && *edit == action.edit => {
                        *n += 1;
                        merge_repeat(last, &action, edit, *n, title);
                    }
                    _ => {
                        repeat = unit.then(|| (action.edit.clone(), 1, action.title.clone()));
                        actions.push(action);
                    }
                }
                score = after;
            }
            None => {
                let (short, _) = shortfall(&score, rules, id);
                stops_because = Some(if short_before > 0 {
                    format!("{short}; no action found lifts it")
                } else {
                    format!("{short}; no further action adds points")
                });
                break;
            }
        }
    }
    let blocked_by = if qualifies(&score, m) {
        Vec::new()
    } else {
        shortfall(&score, rules, id).1
    };
    Some(Plan {
        designation: id.to_owned(),
        name: score.name.clone(),
        month: m,
        start,
        reached: score.score,
        qualified: qualifies(&score, m),
        actions,
        stops_because,
        blocked_by,
    })
}

/// A quick test before re-scoring the whole workspace: an edit to one customer can move a
/// designation's score only if it moves that customer's own contribution, and scoring the
/// customer alone (the same partner, people and rules) costs a fraction of the whole.
/// Attribution and every metric's per-customer part depend on the customer's records
/// only; an edit that leaves the customer's one-customer score unchanged gains nothing.
/// People reach the score through skilling only, where who holds a step is decided person
/// by person: an edit to people that leaves every person's standing as it is gains nothing.
struct Screen<'a> {
    rules: &'a RuleSet,
    id: &'a str,
    /// The workspace without its customers and people: a customer's edit is screened
    /// without the people, since only skilling reads them and it scores the same before and
    /// after such an edit.
    bare: Workspace,
    /// The designation's skilling steps, of every track.
    steps: Vec<&'a [SkillStep]>,
    /// The last day of each month of the window, when skilling is scored.
    days: Vec<Date>,
    /// Each screened customer's one-customer score before any edit.
    before: std::collections::HashMap<String, Option<DesignationScore>>,
}

impl<'a> Screen<'a> {
    fn new(ws: &Workspace, rules: &'a RuleSet, id: &'a str) -> Screen<'a> {
        // Everything but the customers and people, named so that a new field is not missed.
        let Workspace {
            format,
            version,
            name,
            as_of,
            rules: rule_set,
            partner,
            other_partners,
            people: _,
            cua_guids,
            customers: _,
            imports,
        } = ws;
        let bare = Workspace {
            format: format.clone(),
            version: *version,
            name: name.clone(),
            as_of: *as_of,
            rules: rule_set.clone(),
            partner: partner.clone(),
            other_partners: other_partners.clone(),
            people: Vec::new(),
            cua_guids: cua_guids.clone(),
            customers: Vec::new(),
            imports: imports.clone(),
        };
        let steps = rules
            .designation(id)
            .into_iter()
            .flat_map(|d| &d.tracks)
            .flat_map(|t| &t.metrics)
            .filter_map(|mr| match &mr.calc {
                Calc::Skilling { steps } => Some(steps.as_slice()),
                _ => None,
            })
            .collect();
        let (_, first, last) = crate::scoring::window(ws, rules);
        Screen {
            rules,
            id,
            bare,
            steps,
            days: Month::range(first, last).map(Month::last_day).collect(),
            before: std::collections::HashMap::new(),
        }
    }

    /// The one customer every part of `edit` changes, if there is one.
    fn customer_of(edit: &Edit) -> Option<&str> {
        match edit {
            Edit::Several { edits } => {
                let first = edits.first().and_then(Screen::customer_of)?;
                edits
                    .iter()
                    .all(|e| Screen::customer_of(e) == Some(first))
                    .then_some(first)
            }
            e => e.customer(),
        }
    }

    fn alone(&self, c: &Customer) -> Workspace {
        let mut one = self.bare.clone();
        one.customers.push(c.clone());
        one
    }

    /// A person's standing: the certification they hold each skilling step with, if any, in
    /// each month of the window.
    fn standing<'p>(&self, p: &'p Person) -> Vec<Option<&'p str>> {
        let steps = self.steps.iter().flat_map(|s| s.iter());
        steps
            .flat_map(|step| {
                self.days
                    .iter()
                    .map(move |&day| crate::scoring::holds(p, self.rules, step, day))
            })
            .collect()
    }

    /// Whether a people edit leaves every person's standing as it is: the people it names,
    /// edited apart, stand as they did, and the people it adds hold nothing (false when
    /// unsure).
    fn people_stand(&self, ws: &Workspace, named: &[&str], edit: &Edit) -> bool {
        let mut few = self.bare.clone();
        few.people = ws
            .people
            .iter()
            .filter(|p| named.contains(&p.id.as_str()))
            .cloned()
            .collect();
        let before = few.people.clone();
        apply(&mut few, self.rules, edit);
        let (kept, added) = match few.people.split_at_checked(before.len()) {
            Some(split) => split,
            None => return false,
        };
        kept.iter()
            .zip(&before)
            .all(|(now, was)| self.standing(now) == self.standing(was))
            && added
                .iter()
                .all(|p| self.standing(p).iter().all(Option::is_none))
    }

    /// Whether `edit` leaves its customer's contribution, or the people's, as it is (false
    /// when unsure).
    fn changes_nothing(&mut self, ws: &Workspace, rescorer: &Rescorer, edit: &Edit) -> bool {
        if let Some(named) = edit.people() {
            return self.people_stand(ws, &named, edit);
        }
        let at = Screen::customer_of(edit).and_then(|c| position_of(ws, rescorer, c));
        let Some(c) = at.map(|ci| &ws.customers[ci]) else {
            return false;
        };
        let mut alone = self.alone(c);
        let (rules, id) = (self.rules, self.id);
        let before = self
            .before
            .entry(c.id.to_string())
            .or_insert_with(|| score_of(&alone, rules, id));
        apply(&mut alone, rules, edit);
        score_of(&alone, rules, id) == *before
    }
}

/// Fold one more of a repeated step (`n` in all) into the last action.
fn merge_repeat(
    last: &mut PlannedAction,
    action: &PlannedAction,
    unit: &Edit,
    n: usize,
    title: &str,
) {
    last.gain += action.gain;
    last.effort += action.effort;
    last.score_after = action.score_after;
    last.edit = match unit {
        Edit::AddCertifiedPerson { cert } => Edit::AddCertifiedPeople {
            certs: vec![cert.clone(); n],
        },
        other => Edit::Several {
            edits: vec![other.clone(); n],
        },
    };
    last.title = title
        .replace(CERTIFY_ONE, &format!("Certify {n} more people"))
        .replace(WIN_ONE, &format!("Win {n} more customers that count"));
}

/// What fixing one finding would gain, designation by designation (measured).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixGain {
    pub finding: &'static str,
    pub title: String,
    pub customer: Option<String>,
    /// (designation id, points gained in the evaluated month), only gains above zero.
    pub gains: Vec<(String, f64)>,
}

/// Apply each fixable finding alone and score again: the points each fix recovers. Each
/// fix is applied in place, re-scored for the customers it touches only ([`Rescorer`]) and
/// undone: what [`fix_gain`] measures on a copy scored in full, in a fraction of the time
/// (the test `fix_gains_in_place_measure_what_a_full_rescore_measures` compares the two).
pub fn fix_gains(ws: &Workspace, rules: &RuleSet, today: Date) -> Vec<FixGain> {
    let rescorer = Rescorer::new(ws, rules);
    let before = rescorer.evaluate(ws);
    let mut current = ws.clone();
    let mut out: Vec<FixGain> = fix_candidates(ws, rules, today)
        .iter()
        .filter_map(|c| fix_gain_kept(&mut current, &rescorer, rules, &before, c))
        .collect();
    sort_fix_gains(&mut out);
    out
}

/// The points `c` gains, designation by designation, none when it gains nothing, with the
/// parts kept elsewhere (the app keeps the rescorer of its dashboard): `rescorer` keeps
/// `ws`, whose evaluation is `before`; the fix is applied to `ws` in place and undone, so
/// `ws` is left exactly as it was.
pub fn fix_gain_kept(
    ws: &mut Workspace,
    rescorer: &Rescorer,
    rules: &RuleSet,
    before: &crate::scoring::Evaluation,
    c: &FixCandidate,
) -> Option<FixGain> {
    let gains = before
        .designations
        .iter()
        .filter_map(|d| fix_designation_gain(ws, rescorer, rules, d, c))
        .collect();
    gain_of(c, gains)
}

/// What [`fix_gain_kept`] measures for one designation (`before`, its score): the points
/// `c` gains there, none when it gains nothing. The app measures one designation per task.
pub fn fix_designation_gain(
    ws: &mut Workspace,
    rescorer: &Rescorer,
    rules: &RuleSet,
    before: &DesignationScore,
    c: &FixCandidate,
) -> Option<(String, f64)> {
    let after =
        measure(ws, rescorer, rules, &before.id, &c.edit, Told::Values).map_or(0.0, |a| a.score);
    (after - before.score > 1e-9).then(|| (before.id.clone(), after - before.score))
}

/// The gain of `c` from its gains per designation; none when it gains nothing.
pub fn gain_of(c: &FixCandidate, gains: Vec<(String, f64)>) -> Option<FixGain> {
    let customer = c.edit.customer().map(str::to_owned);
    (!gains.is_empty()).then(|| FixGain {
        finding: c.finding.unwrap_or_default(),
        title: c.title.clone(),
        customer,
        gains,
    })
}

/// A fix that can be measured: one finding's automatic fix.
#[derive(Debug, Clone)]
pub struct FixCandidate {
    title: String,
    finding: Option<&'static str>,
    edit: Edit,
}

impl FixCandidate {
    /// The change that fixes the finding.
    pub fn edit(&self) -> &Edit {
        &self.edit
    }
}

/// The findings with an automatic fix, most severe first (what [`fix_gain`] measures, one
/// at a time, so the app can spread the work over several frames).
pub fn fix_candidates(ws: &Workspace, rules: &RuleSet, today: Date) -> Vec<FixCandidate> {
    fix_candidates_of(ws, rules, today, &findings(ws, rules, today))
}

/// [`fix_candidates`] of the findings of `ws` on `today`, already found (the app keeps the
/// dashboard's).
pub fn fix_candidates_of(
    ws: &Workspace,
    rules: &RuleSet,
    today: Date,
    found: &[Finding],
) -> Vec<FixCandidate> {
    finding_fixes_of(ws, rules, today, found)
        .into_iter()
        .map(|c| FixCandidate {
            title: c.title,
            finding: c.finding,
            edit: c.edit,
        })
        .collect()
}

/// The points one fix gains, designation by designation, against `before` (the workspace's
/// evaluation), measured by applying it and scoring again; none when it gains nothing.
pub fn fix_gain(
    ws: &Workspace,
    rules: &RuleSet,
    before: &crate::scoring::Evaluation,
    c: &FixCandidate,
) -> Option<FixGain> {
    let mut next = ws.clone();
    apply(&mut next, rules, &c.edit);
    let after = evaluate(&next, rules);
    let score = |e: &crate::scoring::Evaluation, id: &str| {
        e.designations
            .iter()
            .find(|d| d.id == id)
            .map_or(0.0, |d| d.score)
    };
    let gains: Vec<(String, f64)> = before
        .designations
        .iter()
        .map(|d| (d.id.clone(), score(&after, &d.id) - d.score))
        .filter(|(_, g)| *g > 1e-9)
        .collect();
    gain_of(c, gains)
}

/// Largest total gain first.
pub fn sort_fix_gains(list: &mut [FixGain]) {
    let total = |f: &FixGain| f.gains.iter().map(|(_, g)| g).sum::<f64>();
    list.sort_by(|a, b| total(b).total_cmp(&total(a)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated partner, its rule set, and the edit of every fix its findings name.
    fn generated_with_fixes(
        customers: usize,
        seed: u64,
    ) -> (Workspace, &'static RuleSet, Vec<Edit>) {
        let ws = crate::generate::generate(customers, seed);
        let rules = crate::rules::rule_set(&ws.rules).expect("rules");
        let edits = finding_fixes(&ws, rules, ws.as_of.last_day())
            .into_iter()
            .map(|c| c.edit)
            .collect();
        (ws, rules, edits)
    }

    /// The screen skips an edit only when re-scoring the whole workspace shows no change:
    /// every finding fix, a consumption recovery and a fall for each customer, and the
    /// people edits, on generated partners, for every designation.
    #[test]
    fn the_screen_never_skips_an_edit_that_moves_the_score() {
        for seed in 1..=2 {
            let (ws, rules, mut edits) = generated_with_fixes(24, seed);
            for c in &ws.customers {
                edits.push(Edit::RecoverCustomer {
                    customer: c.id.to_string(),
                });
                edits.push(Edit::GrowCustomer {
                    customer: c.id.to_string(),
                    percent: -60.0,
                });
            }
            if let Some(p) = ws.people.first() {
                edits.push(Edit::LinkPerson {
                    person: p.id.to_string(),
                });
            }
            let (mut skipped, mut kept) = (0, 0);
            let rescorer = Rescorer::new(&ws, rules);
            for d in &rules.scoring.designations {
                let before = score_of(&ws, rules, &d.id);
                let mut screen = Screen::new(&ws, rules, &d.id);
                for e in &edits {
                    if !screen.changes_nothing(&ws, &rescorer, e) {
                        kept += 1;
                        continue;
                    }
                    skipped += 1;
                    let mut next = ws.clone();
                    apply(&mut next, rules, e);
                    assert_eq!(score_of(&next, rules, &d.id), before, "{}: {e:?}", d.id);
                }
            }
            assert!(skipped > 0 && kept > 0, "{skipped} skipped, {kept} kept");
        }
    }

    /// An edit applied in place and undone leaves the workspace exactly as it was, and in
    /// between it is exactly the workspace a copy with the edit applied would be: for every
    /// kind of edit the planner measures, including bundles and new customers.
    #[test]
    fn an_edit_applied_in_place_is_undone_exactly() {
        let (ws, rules, mut edits) = generated_with_fixes(20, 5);
        let first = ws.customers[0].id.to_string();
        let second = ws.customers[1].id.to_string();
        edits.extend([
            Edit::RecoverCustomer {
                customer: first.clone(),
            },
            Edit::GrowCustomer {
                customer: second.clone(),
                percent: 40.0,
            },
            Edit::AddCustomer {
                designation: "security".into(),
            },
            Edit::NewCustomer {
                name: "Planned Ltd".into(),
                designation: "modern_work".into(),
                size: 400.0,
            },
            Edit::AddCertifiedPerson {
                cert: "azure-solutions-architect-expert".into(),
            },
            Edit::Several {
                edits: vec![
                    Edit::RecoverCustomer { customer: first },
                    Edit::GrowCustomer {
                        customer: second,
                        percent: 10.0,
                    },
                    Edit::AddCustomer {
                        designation: "data_ai_azure".into(),
                    },
                ],
            },
        ]);
        let mut current = ws.clone();
        let rescorer = Rescorer::new(&ws, rules);
        let mut in_place = 0;
        for e in &edits {
            let mut copy = ws.clone();
            apply(&mut copy, rules, e);
            let Some(undo) = Undo::apply(&mut current, &rescorer, rules, e) else {
                continue;
            };
            in_place += 1;
            assert!(current == copy, "applied in place differs: {e:?}");
            undo.restore(&mut current);
            assert!(current == ws, "not undone: {e:?}");
        }
        assert!(in_place >= 10, "{in_place} edits applied in place");
        // The one edit that may change every customer is measured on a copy.
        let grow = Edit::GrowUsage {
            designation: "data_ai_azure".into(),
        };
        assert!(Undo::apply(&mut current, &rescorer, rules, &grow).is_none());
        assert!(current == ws);
    }
}
