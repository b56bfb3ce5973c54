//! The path to 70: for a designation that does not qualify in the evaluated month, a short
//! ordered list of concrete actions whose combined effect reaches 70 points with every
//! metric above zero — or the best reachable score and why it stops there.
//!
//! Every gain is measured by applying the action to a copy of the workspace and scoring
//! it again, never estimated. Fixes for findings come first when they are enough: their
//! points are already earned and only unrecognised, and their effort is lowest.

use crate::findings::{Finding, findings};
use crate::model::*;
use crate::rules::RuleSet;
use crate::rules::scoring::{Calc, DesignationRules};
use crate::scoring::{DesignationScore, evaluate};
use serde::Serialize;

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
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedAction {
    /// The effort key (`fix_pal_link`, `certify_person`, …).
    pub kind: &'static str,
    pub title: String,
    /// The finding this fixes, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<&'static str>,
    pub effort: f64,
    /// Points gained, measured by re-scoring after the previous actions.
    pub gain: f64,
    pub score_after: f64,
    pub edit: Edit,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub designation: String,
    pub name: String,
    pub month: Month,
    pub start: f64,
    pub reached: f64,
    pub qualified: bool,
    pub actions: Vec<PlannedAction>,
    /// Why the plan stops short, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stops_because: Option<String>,
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
                scope: format!("/subscriptions/{sub}"),
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
                    scope: format!("/subscriptions/{sub}"),
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

/// Candidate actions: fixes for findings, then certifications, usage and customers.
/// A candidate action: effort kind, title, the finding it fixes, and the edit.
type Candidate = (&'static str, String, Option<&'static str>, Edit);

fn candidates(
    ws: &Workspace,
    rules: &RuleSet,
    d: &DesignationScore,
    today: Date,
) -> Vec<Candidate> {
    let mut out = finding_fixes(ws, rules, today);
    out.extend(growth_actions(ws, rules, d));
    out
}

/// The findings that have an automatic fix, as actions.
fn finding_fixes(ws: &Workspace, rules: &RuleSet, today: Date) -> Vec<Candidate> {
    let mut out = Vec::new();
    let location = ws.partner.locations.first().map(|l| l.id.clone());
    let found: Vec<Finding> = findings(ws, rules, today);
    for f in &found {
        let customer = f.customer.clone().unwrap_or_default();
        let cname = ws
            .customer(&customer)
            .map_or_else(|| customer.clone(), |c| c.name.clone());
        let identity_name = |id: &str| {
            ws.customer(&customer)
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
                    let sub = ws
                        .customer(&customer)
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
            "customer.no_linked_identity" => ws
                .customer(&customer)
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
            out.push((kind, title, Some(f.code), edit));
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
                        out.push((
                            "certify_person",
                            title,
                            None,
                            Edit::AddCertifiedPeople { certs },
                        ));
                    }
                    for step in steps {
                        if let Some(cert) = step.certifications.first() {
                            let title = format!(
                                "Certify one more person as {} ({})",
                                rules.certification_name(cert),
                                crate::scoring::metric_label(&metric.id).to_lowercase()
                            );
                            if !out.iter().any(|(_, t, _, _)| t == &title) {
                                out.push((
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
    out.push((
        "grow_usage",
        format!("Grow associated usage by {step} % in {}", ws.as_of),
        None,
        Edit::GrowUsage {
            designation: d.id.clone(),
        },
    ));
    out.push((
        "win_customer",
        "Win one more customer that counts (just above the thresholds)".into(),
        None,
        Edit::AddCustomer {
            designation: d.id.clone(),
        },
    ));
    out
}

fn score_of(ws: &Workspace, rules: &RuleSet, id: &str) -> Option<DesignationScore> {
    crate::scoring::evaluate_designation(ws, rules, id)
}

fn qualifies(d: &DesignationScore, m: Month) -> bool {
    d.month(m).is_some_and(|x| x.qualified)
}

/// Plan the path to 70 for designation `id`, judged in the workspace's `as_of` month.
pub fn plan(ws: &Workspace, rules: &RuleSet, id: &str, today: Date) -> Option<Plan> {
    let m = ws.as_of;
    let mut current = ws.clone();
    let mut score = score_of(&current, rules, id)?;
    let start = score.score;
    let mut actions: Vec<PlannedAction> = Vec::new();
    let max = rules.planner.max_actions.value as usize;
    let mut stops_because = None;
    while !qualifies(&score, m) {
        if actions.len() >= max {
            stops_because = Some(format!("stopped after {max} actions"));
            break;
        }
        let zero_before = score.metrics().iter().filter(|x| x.points <= 0.0).count();
        let mut best: Option<(f64, PlannedAction, Workspace, DesignationScore)> = None;
        for (kind, title, finding, edit) in candidates(&current, rules, &score, today) {
            let mut next = current.clone();
            apply(&mut next, rules, &edit);
            let Some(after) = score_of(&next, rules, id) else {
                continue;
            };
            // A metric brought above zero matters even when the total barely moves.
            let zero_after = after.metrics().iter().filter(|x| x.points <= 0.0).count();
            let gain = after.score - score.score;
            if gain <= 1e-9 && zero_after >= zero_before {
                continue;
            }
            let people = match &edit {
                Edit::AddCertifiedPeople { certs } => certs.len() as f64,
                _ => 1.0,
            };
            let effort = rules.planner.effort(kind) * people;
            let lifted = zero_before.saturating_sub(zero_after) as f64;
            let value = (gain + rules.planner.zero_metric_bonus.value * lifted) / effort;
            if best.as_ref().is_none_or(|(v, a, _, _)| {
                value > *v + 1e-9 || ((value - *v).abs() <= 1e-9 && gain > a.gain)
            }) {
                let action = PlannedAction {
                    kind,
                    title,
                    finding,
                    effort,
                    gain,
                    score_after: after.score,
                    edit,
                };
                best = Some((value, action, next, after));
            }
        }
        match best {
            Some((_, action, next, after)) => {
                actions.push(action);
                current = next;
                score = after;
            }
            None => {
                stops_because = Some("no further action adds points".into());
                break;
            }
        }
    }
    Some(Plan {
        designation: id.to_owned(),
        name: score.name.clone(),
        month: m,
        start,
        reached: score.score,
        qualified: qualifies(&score, m),
        actions,
        stops_because,
    })
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

/// Apply each fixable finding alone and score again: the points each fix recovers.
pub fn fix_gains(ws: &Workspace, rules: &RuleSet, today: Date) -> Vec<FixGain> {
    let before = evaluate(ws, rules);
    let mut out: Vec<FixGain> = fix_candidates(ws, rules, today)
        .iter()
        .filter_map(|c| fix_gain(ws, rules, &before, c))
        .collect();
    sort_fix_gains(&mut out);
    out
}

/// A fix that can be measured: one finding's automatic fix.
#[derive(Debug, Clone)]
pub struct FixCandidate {
    title: String,
    finding: Option<&'static str>,
    edit: Edit,
}

/// The findings with an automatic fix, most severe first (what [`fix_gain`] measures, one
/// at a time, so the app can spread the work over several frames).
pub fn fix_candidates(ws: &Workspace, rules: &RuleSet, today: Date) -> Vec<FixCandidate> {
    finding_fixes(ws, rules, today)
        .into_iter()
        .map(|(_, title, finding, edit)| FixCandidate {
            title,
            finding,
            edit,
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
    let customer = match &c.edit {
        Edit::SetPalPartner { customer, .. }
        | Edit::SetPalTenant { customer, .. }
        | Edit::AddPalLink { customer, .. }
        | Edit::ActivateRoles { customer, .. }
        | Edit::SetDpor { customer, .. }
        | Edit::ApproveClaim { customer, .. } => Some(customer.clone()),
        _ => None,
    };
    (!gains.is_empty()).then(|| FixGain {
        finding: c.finding.unwrap_or_default(),
        title: c.title.clone(),
        customer,
        gains,
    })
}

/// Largest total gain first.
pub fn sort_fix_gains(list: &mut [FixGain]) {
    let total = |f: &FixGain| f.gains.iter().map(|(_, g)| g).sum::<f64>();
    list.sort_by(|a, b| total(b).total_cmp(&total(a)));
}
