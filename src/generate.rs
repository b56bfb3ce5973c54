//! Deterministic synthetic workspaces (`pcs generate`): valid files with realistic
//! proportions of every mechanism and of the usual mistakes, for tests and benchmarks.
//!
//! Per customer on average: ~20 Azure usage lines, 5 identities with 2 role assignments
//! each, ~2 CPOR claims; one person per five customers.

use crate::model::*;
use serde_json::Value;

/// SplitMix64: tiny, fast and good enough for test data; the same seed gives the same file.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const AS_OF: (i32, u32) = (2026, 10);
const OUR_US: &str = "4977985";
const OUR_IE: &str = "4977986";
const OUR_PGA: &str = "4977984";
const OTHERS: &[(&str, &str)] = &[
    ("5550001", "Northwind Consulting"),
    ("5550002", "Litware Security Partners"),
    ("5550003", "Tailspin Distribution"),
    ("5550004", "Adatum Apps"),
    ("5550005", "Woodgrove Advisory"),
    ("5550006", "Fabrikam Services"),
];
const SERVICES: &[&str] = &[
    "Azure SQL Database",
    "Azure App Service",
    "Azure Kubernetes Service",
    "Virtual Machines",
    "Storage",
    "Azure Cosmos DB",
    "Azure Functions",
    "Azure Monitor",
    "Log Analytics",
    "Azure Virtual Desktop",
    "Azure Synapse Analytics",
    "Azure Machine Learning",
    "Azure AI services",
    "Azure Backup",
    "Microsoft Sentinel",
    "Microsoft Defender for Cloud",
    "Key Vault",
    "Azure Firewall",
    "Azure Database for PostgreSQL",
    "Virtual Machines Licenses",
];
const M365_WORKLOADS: &[&str] = &[
    "exchange",
    "sharepoint",
    "onedrive",
    "teams",
    "m365_apps",
    "intune",
    "entra_id_p1",
    "defender_endpoint",
    "defender_office",
    "copilot",
    "teams_phone",
    "viva",
];
const BIZ_WORKLOADS: &[&str] = &[
    "sales",
    "customer_service",
    "field_service",
    "business_central",
    "finance",
    "power_apps",
    "power_bi",
];
const ROLES: &[&str] = &[
    "Owner",
    "Contributor",
    "Reader",
    "Virtual Machine Contributor",
    "Security Admin",
    "Support Request Contributor",
];
const FIRST: &[&str] = &[
    "Ada", "Grace", "Linus", "Mei", "Omar", "Priya", "Tomás", "Fatima", "Noah", "Lena", "Kofi",
    "Sam",
];
const LAST: &[&str] = &[
    "Lovelace", "Hopper", "Okafor", "Chen", "Haddad", "Raman", "Novak", "Zahra", "Williams",
    "Fischer",
];
const NAMES: &[&str] = &[
    "Fabrikam",
    "Woodgrove",
    "Tailspin",
    "Litware",
    "Proseware",
    "Adventure Works",
    "Wide World",
    "Alpine",
    "Coho",
    "Relecloud",
    "Humongous",
    "Lamna",
    "Trey",
    "Bellows",
    "Fourth Coffee",
    "Margie's Travel",
    "Northridge",
    "Southridge",
    "Blue Yonder",
    "Contoso Pharma",
];
const SUFFIX: &[&str] = &[
    "Ltd", "Inc", "Group", "Holdings", "GmbH", "Labs", "Partners", "Systems",
];

fn guid(kind: u32, n: u64, seed: u64) -> Guid {
    let s = format!(
        "{kind:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (seed & 0xffff),
        (n >> 40) & 0xfff,
        (n >> 28) & 0xfff,
        n & 0xffff_ffff_ffff
    );
    Guid::parse(&s).unwrap_or_else(unreachable_guid)
}

#[cold]
fn unreachable_guid() -> Guid {
    // Every string built above has the 8-4-4-4-12 hex shape; this is never reached.
    Guid::parse("00000000-0000-4000-8000-000000000000").expect("a literal GUID")
}

fn pid(s: &str) -> PartnerId {
    PartnerId::parse(s).unwrap_or_else(|| PartnerId::parse("1").expect("digits"))
}

fn id(s: impl Into<String>) -> Id {
    Id::new(s).unwrap_or_else(|| Id::new("id").expect("non-empty"))
}

fn month(i: i32) -> Month {
    Month::new(AS_OF.0, AS_OF.1)
        .map(|m| m.plus(i))
        .unwrap_or_else(|| unreachable!("as_of is a valid month"))
}

fn date(m: Month, day: u32) -> Date {
    Date::from_ymd(m.year(), m.month(), day.clamp(1, 28)).unwrap_or(Date::MIN)
}

/// A 24-month series ending at as_of, growing by `growth` over the period, from `start` onwards.
fn series(rng: &mut Rng, base: f64, growth: f64, start: i32) -> Series {
    let mut pairs = Vec::with_capacity(24);
    for i in start.max(-23)..=0 {
        let t = (i + 23) as f64 / 23.0;
        let wobble = 1.0 + (rng.unit() - 0.5) * 0.06;
        let v = (base * (1.0 + growth * t) * wobble).round();
        if v > 0.0 {
            pairs.push((month(i), v));
        }
    }
    Series::from_pairs(pairs)
}

/// A valid synthetic workspace with `customers` customers.
pub fn generate(customers: usize, seed: u64) -> Workspace {
    let mut rng = Rng::new(seed);
    let people_count = (customers / 5).max(8);
    let catalogue: Vec<String> = crate::rules::rule_set("2026-11")
        .map(|r| r.certifications.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();

    let people: Vec<Person> = (0..people_count)
        .map(|i| {
            let certs = (0..rng.range(1, 4))
                .map(|_| {
                    let earned = date(month(-(rng.range(1, 30) as i32)), rng.range(1, 28) as u32);
                    Certification {
                        source: None,
                        cert: rng.pick(&catalogue).clone(),
                        earned,
                        expires: Some(earned.plus_days(if rng.chance(0.1) {
                            200
                        } else {
                            365 * 2
                        })),
                    }
                })
                .collect();
            Person {
                email: None,
                source: None,
                id: id(format!("p{i}")),
                name: format!("{} {} {}", rng.pick(FIRST), rng.pick(LAST), i),
                linked: rng.chance(0.9),
                certifications: certs,
            }
        })
        .collect();

    let mut customer_list = Vec::with_capacity(customers);
    for c in 0..customers {
        customer_list.push(customer(&mut rng, c, seed, people_count));
    }

    Workspace {
        imports: Vec::new(),
        format: WORKSPACE_FORMAT.into(),
        version: CURRENT_VERSION,
        name: format!("Synthetic partner — {customers} customers (seed {seed})"),
        as_of: month(0),
        rules: "2026-11".into(),
        partner: Partner {
            name: "Contoso Cloud (synthetic)".into(),
            global_id: Some(pid(OUR_PGA)),
            locations: vec![
                Location {
                    id: pid(OUR_US),
                    name: "Contoso UK".into(),
                    country: Some("GB".into()),
                },
                Location {
                    id: pid(OUR_IE),
                    name: "Contoso Ireland".into(),
                    country: Some("IE".into()),
                },
            ],
        },
        other_partners: OTHERS
            .iter()
            .map(|(i, n)| OtherPartner {
                id: pid(i),
                name: (*n).into(),
            })
            .collect(),
        people,
        cua_guids: vec![
            CuaGuid {
                guid: guid(0xc0a, 1, seed),
                offer: "Contoso Backup".into(),
                channel: Some("arm".into()),
                registered: Some(date(month(-30), 1)),
            },
            CuaGuid {
                guid: guid(0xc0a, 2, seed),
                offer: "Contoso Insight".into(),
                channel: Some("terraform".into()),
                registered: Some(date(month(-6), 15)),
            },
        ],
        customers: customer_list,
    }
}

fn customer(rng: &mut Rng, c: usize, seed: u64, people: usize) -> Customer {
    let n = c as u64;
    let segment = if rng.chance(0.6) {
        Segment::Smb
    } else {
        Segment::Enterprise
    };
    let size = if segment == Segment::Smb {
        rng.range(10, 280) as f64
    } else {
        rng.range(320, 3000) as f64
    };
    let mut subscriptions = Vec::new();
    let mut usage = Vec::new();
    let mut identities: Vec<Identity> = Vec::new();
    let mut workloads = Vec::new();
    let mut cpor = Vec::new();
    let mut power_platform = Vec::new();
    let our = || pid(if n.is_multiple_of(3) { OUR_IE } else { OUR_US });

    if rng.chance(0.75) {
        for s in 0..rng.range(1, 2) {
            let sub_id = guid(0x5ab, n * 4 + s, seed);
            let kind = rng.range(0, 9);
            let created = date(month(-(rng.range(24, 60) as i32)), 1);
            let (offer, csp, dpor, moved) = match kind {
                0..=2 => {
                    let who = if rng.chance(0.7) {
                        our()
                    } else {
                        pid(rng.pick(OTHERS).0)
                    };
                    (
                        Offer::EnterpriseAgreement,
                        None,
                        vec![DporRecord {
                            source: None,
                            partner_id: who,
                            from: date(month(-20), 1),
                            to: None,
                        }],
                        None,
                    )
                }
                3 => {
                    let mv = date(month(-(rng.range(1, 10) as i32)), 1);
                    (
                        Offer::AzurePlan,
                        None,
                        vec![DporRecord {
                            source: None,
                            partner_id: our(),
                            from: date(month(-30), 1),
                            to: Some(mv),
                        }],
                        Some(mv),
                    )
                }
                4..=5 => {
                    let tier = if rng.chance(0.6) {
                        CspTier::Direct
                    } else {
                        CspTier::Indirect
                    };
                    let rec = match tier {
                        CspTier::Direct => CspRecord {
                            tier,
                            partner_id: our(),
                            reseller_id: None,
                        },
                        CspTier::Indirect => CspRecord {
                            tier,
                            partner_id: pid("5550003"),
                            reseller_id: Some(our()),
                        },
                    };
                    (Offer::Csp, Some(rec), vec![], None)
                }
                6 => (
                    Offer::Csp,
                    Some(CspRecord {
                        tier: CspTier::Direct,
                        partner_id: pid(rng.pick(OTHERS).0),
                        reseller_id: None,
                    }),
                    vec![],
                    None,
                ),
                7 if rng.chance(0.3) => (Offer::Sponsored, None, vec![], None),
                _ => (Offer::PayAsYouGo, None, vec![], None),
            };
            subscriptions.push(Subscription {
                offer_assumed: false,
                source: None,
                id: sub_id.clone(),
                name: format!("Subscription {}", s + 1),
                product: Product::Azure,
                offer,
                status: SubscriptionStatus::Active,
                created: Some(created),
                moved_to_azure_plan: moved,
                csp,
                dpor,
            });
            let lines = rng.range(14, 26);
            for l in 0..lines {
                let rg = format!("rg-{}", l % 4);
                let base = rng.range(20, if segment == Segment::Smb { 400 } else { 2500 }) as f64;
                let start = -(rng.range(6, 23) as i32);
                let deployed_with = rng.chance(0.03).then(|| Deployment {
                    guid: guid(0xc0a, rng.range(1, 3), seed),
                    via: *rng.pick(&[
                        DeployVia::ArmMain,
                        DeployVia::ArmNested,
                        DeployVia::Terraform,
                    ]),
                    on: date(month(start), 5),
                });
                usage.push(UsageLine { source: None,
                    scope: format!("/subscriptions/{sub_id}/resourceGroups/{rg}/providers/Microsoft.Web/sites/app{l}").into(),
                    service: (*rng.pick(SERVICES)).into(),
                    created: Some(date(month(start), 5)),
                    deployed_with,
                    acr: {
                        let growth = rng.unit() * 0.8 - 0.1;
                        series(rng, base, growth, start)
                    },
                });
            }
        }
    }

    let subs: Vec<Guid> = subscriptions.iter().map(|s| s.id.clone()).collect();
    for i in 0..rng.range(4, 8) {
        let kind = match rng.range(0, 9) {
            0 => IdentityKind::ServicePrincipal,
            1 => IdentityKind::Lighthouse,
            2..=5 => IdentityKind::GuestUser,
            _ => IdentityKind::DirectoryUser,
        };
        let ours = rng.chance(0.8);
        let partner = if ours {
            if rng.chance(0.05) {
                pid(OUR_PGA)
            } else {
                our()
            }
        } else {
            pid(rng.pick(OTHERS).0)
        };
        let roles = if subs.is_empty() {
            Vec::new()
        } else {
            (0..rng.range(1, 4))
                .map(|r| RoleAssignment {
                    source: None,
                    role: (*rng.pick(ROLES)).into(),
                    scope: if r == 0 && rng.chance(0.5) {
                        format!("/subscriptions/{}", rng.pick(&subs))
                    } else {
                        format!(
                            "/subscriptions/{}/resourceGroups/rg-{}",
                            rng.pick(&subs),
                            rng.range(0, 4)
                        )
                    }
                    .into(),
                    from: Some(date(month(-24), 1)),
                    to: None,
                    eligible_only: rng.chance(0.05),
                })
                .collect()
        };
        let (state, since) = if rng.chance(0.05) {
            (IdentityState::Disabled, Some(date(month(-3), 1)))
        } else {
            (IdentityState::Active, None)
        };
        let tenant = if kind == IdentityKind::Lighthouse || rng.chance(0.03) {
            LinkTenant::Home
        } else {
            LinkTenant::Customer
        };
        identities.push(Identity {
            object_id: None,
            source: None,
            id: id(format!("i{c}-{i}")),
            kind,
            name: format!("ops{i}@partner{}.example", partner.as_str()),
            person: (ours && rng.chance(0.5))
                .then(|| id(format!("p{}", rng.range(0, people as u64 - 1)))),
            state,
            state_since: since,
            admin_agents: rng.chance(0.04),
            classic_admin: rng.chance(0.02),
            members: Vec::new(),
            roles,
            pal: if rng.chance(0.85) {
                vec![PalLink {
                    source: None,
                    partner_id: partner,
                    from: date(month(-22), 1),
                    to: None,
                    tenant,
                }]
            } else {
                Vec::new()
            },
        });
    }

    if rng.chance(0.6) {
        let m365_sub = guid(0x365, n, seed);
        let csp = rng.chance(0.5);
        subscriptions.push(Subscription {
            offer_assumed: false,
            source: None,
            id: m365_sub.clone(),
            name: "Microsoft 365".into(),
            product: Product::M365,
            offer: if csp {
                Offer::Csp
            } else {
                Offer::EnterpriseAgreement
            },
            status: SubscriptionStatus::Active,
            created: Some(date(month(-40), 1)),
            moved_to_azure_plan: None,
            csp: csp.then(|| CspRecord {
                tier: CspTier::Direct,
                partner_id: our(),
                reseller_id: None,
            }),
            dpor: if !csp && rng.chance(0.4) {
                vec![DporRecord {
                    source: None,
                    partner_id: our(),
                    from: date(month(-18), 1),
                    to: None,
                }]
            } else {
                vec![]
            },
        });
        let count = rng.range(2, 5) as usize;
        let start = rng.range(0, (M365_WORKLOADS.len() - count) as u64) as usize;
        let chosen = &M365_WORKLOADS[start..start + count];
        for w in chosen {
            let growth = rng.unit() * 0.4;
            let seats = series(rng, size, growth, -23);
            let active = Series::from_pairs(seats.iter().map(|(m, v)| {
                (
                    m,
                    (v * (0.3 + 0.6 * ((m.since(month(-23)) as f64) / 23.0))).round(),
                )
            }));
            workloads.push(Workload {
                source: None,
                workload: (*w).into(),
                subscription: Some(m365_sub.clone()),
                paid_seats: seats,
                active_users: active,
                revenue: Series::default(),
            });
        }
        for k in 0..rng.range(2, 4) {
            let ours = k != 1;
            let start = month(-(rng.range(1, 20) as i32));
            let mut history = vec![
                ClaimEvent {
                    status: ClaimStatus::Draft,
                    on: date(start, 2),
                },
                ClaimEvent {
                    status: ClaimStatus::Submitted,
                    on: date(start, 6),
                },
            ];
            match rng.range(0, 5) {
                0 => history.push(ClaimEvent {
                    status: ClaimStatus::PartnerActionRequired,
                    on: date(start, 20),
                }),
                1 => history.push(ClaimEvent {
                    status: ClaimStatus::Rejected,
                    on: date(start, 25),
                }),
                2 => {}
                _ => history.push(ClaimEvent {
                    status: ClaimStatus::Approved,
                    on: date(start, 26),
                }),
            }
            cpor.push(CporClaim {
                source: None,
                id: id(format!("claim-{c}-{k}")),
                partner_id: if ours { our() } else { pid(rng.pick(OTHERS).0) },
                area: ClaimArea::ModernWorkSecurity,
                role: ClaimRole::UseOrConsume,
                workloads: vec![(*rng.pick(chosen)).into()],
                subscription: None,
                history,
                poe: vec![format!("SOW-{c}-{k}")],
                opt_out_incentives: false,
            });
        }
    }

    if rng.chance(0.3) {
        let biz_sub = guid(0xd365, n, seed);
        let csp = rng.chance(0.4);
        subscriptions.push(Subscription {
            offer_assumed: false,
            source: None,
            id: biz_sub.clone(),
            name: "Dynamics 365".into(),
            product: Product::Dynamics365,
            offer: if csp {
                Offer::Csp
            } else {
                Offer::EnterpriseAgreement
            },
            status: SubscriptionStatus::Active,
            created: Some(date(month(-30), 1)),
            moved_to_azure_plan: None,
            csp: csp.then(|| CspRecord {
                tier: CspTier::Direct,
                partner_id: our(),
                reseller_id: None,
            }),
            dpor: Vec::new(),
        });
        let w = *rng.pick(BIZ_WORKLOADS);
        let growth = rng.unit() * 0.6;
        let users = series(rng, (size / 10.0).max(5.0), growth, -23);
        let revenue = Series::from_pairs(users.iter().map(|(m, v)| (m, v * 95.0)));
        workloads.push(Workload {
            source: None,
            workload: w.into(),
            subscription: Some(biz_sub.clone()),
            paid_seats: users.clone(),
            active_users: users.clone(),
            revenue,
        });
        for k in 0..rng.range(1, 2) {
            let start = month(-(rng.range(2, 20) as i32));
            cpor.push(CporClaim {
                source: None,
                id: id(format!("ba-{c}-{k}")),
                partner_id: our(),
                area: ClaimArea::BusinessApplications,
                role: ClaimRole::UsageRecognition,
                workloads: Vec::new(),
                subscription: Some(biz_sub.clone()),
                history: vec![
                    ClaimEvent {
                        status: ClaimStatus::Draft,
                        on: date(start, 1),
                    },
                    ClaimEvent {
                        status: ClaimStatus::Approved,
                        on: date(start, 20),
                    },
                ],
                poe: vec![format!("BA-SOW-{c}-{k}")],
                opt_out_incentives: false,
            });
        }
        if w.starts_with("power_")
            && let Some(owner) = identities.first()
        {
            power_platform.push(PowerPlatformResource {
                id: id(format!("app-{c}")),
                kind: PowerPlatformKind::PowerApp,
                owners: vec![owner.id.clone()],
                creator: None,
                publisher: None,
                users: Vec::new(),
                active_users: users,
            });
        }
    }

    Customer {
        reported: Vec::new(),
        source: None,
        id: id(format!("c{c}")),
        name: format!("{} {} {c}", rng.pick(NAMES), rng.pick(SUFFIX)),
        tenant_id: guid(0x7e4a, n, seed),
        segment,
        cloud: if rng.chance(0.02) {
            Cloud::Government
        } else {
            Cloud::Public
        },
        subscriptions,
        usage,
        workloads,
        identities,
        power_platform,
        cpor,
        notes: Value::String(String::new()),
    }
}

/// The Azure usage download (A1) Partner Center would give for `ws`: one row per
/// subscription, service and month that the engine credits to the partner, attributed as
/// the engine decides (one type a row, by the rule set's `reported_precedence`).
/// Synthetic data for import tests, benchmarks and reconciliation.
pub fn azure_usage_csv(ws: &Workspace) -> String {
    use crate::attribution::{Prepared, Viewpoint};
    use std::collections::BTreeMap;
    let Some(rules) = crate::rules::rule_set(&ws.rules) else {
        return String::new();
    };
    let from = ws.as_of.plus(-23);
    let prepared = Prepared::new(ws, rules, Viewpoint::of_workspace(ws));
    let att = prepared.attribute(from, ws.as_of);
    let location = ws
        .partner
        .locations
        .first()
        .map(|l| l.id.to_string())
        .unwrap_or_default();
    let pga = ws
        .partner
        .global_id
        .as_ref()
        .map(|g| g.to_string())
        .unwrap_or_default();
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "Month",
        "CustomerTenantId",
        "CustomerName",
        "CustomerSegment",
        "SubscriptionId",
        "SubscriptionStartDate",
        "SubscriptionState",
        "ServiceLevel2",
        "MPNID",
        "PGAMpnID",
        "PartnerAttributionType",
        "AssociationType",
        "AdminType",
        "SalesChannel",
        "ResellerID",
        "IsACRDuplicateAtPGALevel",
        "ACR_USD",
    ]);
    for (ci, c) in ws.customers.iter().enumerate() {
        // (subscription, service, month) → (association, ACR)
        let mut rows: BTreeMap<(usize, String, Month), (Association, f64)> = BTreeMap::new();
        for (li, u) in c.usage.iter().enumerate() {
            let Some(si) = crate::validate::scope_subscription(&u.scope)
                .and_then(|s| c.subscriptions.iter().position(|x| x.id == s))
            else {
                continue;
            };
            for m in Month::range(from, ws.as_of) {
                let v = u.acr.get(m);
                let credits = att.line(ci, li, m);
                let shown = rules
                    .attribution
                    .reported_precedence
                    .value
                    .iter()
                    .copied()
                    .find(|a| credits.has(*a));
                if let Some(a) = shown.filter(|_| v > 0.0) {
                    let e = rows.entry((si, u.service.clone(), m)).or_insert((a, 0.0));
                    e.1 += v;
                }
            }
        }
        for ((si, service, m), (a, acr)) in rows {
            let s = &c.subscriptions[si];
            let (label, channel) = match a {
                Association::CspT1 => ("CSP", "Direct/CSP"),
                Association::CspT2 => ("CSP", "Indirect/CSP"),
                Association::Dpor => ("DPOR", "Direct"),
                _ => ("PAL", "Direct"),
            };
            // MPNID is the location credited: the provider when it is us, else us as the
            // indirect reseller.
            let partner = match (a, &s.csp) {
                (Association::CspT1 | Association::CspT2, Some(csp)) => {
                    if ws.is_our_location(&csp.partner_id) {
                        csp.partner_id.to_string()
                    } else {
                        csp.reseller_id
                            .as_ref()
                            .map_or_else(|| location.clone(), ToString::to_string)
                    }
                }
                _ => location.clone(),
            };
            let reseller = s
                .csp
                .as_ref()
                .and_then(|x| x.reseller_id.as_ref())
                .map(|r| r.to_string())
                .unwrap_or_default();
            let _ = out.write_record([
                format!("{m}-01"),
                c.tenant_id.to_string(),
                c.name.clone(),
                if c.segment == Segment::Smb {
                    "SMB".into()
                } else {
                    "Enterprise".into()
                },
                s.id.to_string(),
                s.created.map(|d| d.to_string()).unwrap_or_default(),
                "Active".into(),
                service,
                partner,
                pga.clone(),
                label.into(),
                String::new(),
                if a == Association::Pal {
                    "Contributor".into()
                } else {
                    String::new()
                },
                channel.into(),
                reseller,
                "0".into(),
                format!("{acr:.2}"),
            ]);
        }
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
