//! The 2026-11 rule set as Microsoft published it in mid-2026 (`pcs-rules.md`, "2026-11
//! brought up to Microsoft's mid-2026 pages"): one test per rule, each on a small workspace,
//! named after the rule; then the four pages' worked examples, with the numbers read from the
//! rule data. Where a page's own example is inconsistent, the comment says which reading the
//! test takes.

use pcs_workbench::attribution::{Association, Prepared, Rule, Viewpoint};
use pcs_workbench::model::{Month, Workspace};
use pcs_workbench::rules::RuleSet;
use pcs_workbench::rules::scoring::{Calc, SkillStep};
use pcs_workbench::scoring::{
    DesignationScore, TrackMonth, evaluate, path_order, points, skilling,
};
use pcs_workbench::validate::{Import, ReadOptions, read_workspace_value};
use serde_json::{Value, json};

const LOC: &str = "4977985";

fn rules(id: &str) -> &'static RuleSet {
    pcs_workbench::rules::rule_set(id).expect("rule set")
}

fn month(m: &str) -> Month {
    Month::parse(m).expect("month")
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// A workspace of `customers` and `people` under `rules`, as of 2026-10.
fn workspace(rules: &str, customers: Vec<Value>, people: Vec<Value>) -> Workspace {
    let v = json!({
        "format": "pcs-workbench/workspace", "version": 2, "name": "rules", "as_of": "2026-10", "rules": rules,
        "partner": { "name": "Contoso", "global_id": "4977984", "locations": [{ "id": LOC, "name": "Contoso UK" }] },
        "other_partners": [{ "id": "5550001", "name": "Northwind" }],
        "people": people, "customers": customers,
    });
    match read_workspace_value(v, ReadOptions::default()) {
        Import::Loaded { workspace, .. } => *workspace,
        Import::Rejected { diagnostics } => panic!("{diagnostics:#?}"),
    }
}

fn guid(n: u32, tag: u32) -> String {
    format!("{tag:08x}-0000-4000-8000-{n:012}")
}

/// Every month from 2024-11 to 2026-10 with `f(month index)`; 0 values left out.
fn series(f: impl Fn(i32) -> f64) -> Value {
    let start = month("2024-11");
    let mut out = serde_json::Map::new();
    for i in 0..24 {
        let v = f(i);
        if v != 0.0 {
            out.insert(start.plus(i).to_string(), json!(v));
        }
    }
    Value::Object(out)
}

/// Month index of `m` in the 24 months of `series` (M = 23, M-12 = 11).
const M: i32 = 23;
const M12: i32 = 11;

/// An Azure customer whose one subscription is credited by `how` (`csp_t1`, `csp_t2`,
/// `dpor`, `pal`, or `sponsored_pal` / `sponsored_dpor`), with usage lines `(service, acr)`.
fn azure_customer(n: u32, segment: &str, how: &str, usage: Vec<(&str, Value)>) -> Value {
    let sub = guid(n, 0x5000_0000);
    let offer = match how {
        "csp_t1" | "csp_t2" => "csp",
        "dpor" => "enterprise_agreement",
        h if h.starts_with("sponsored") => "sponsored",
        _ => "azure_plan",
    };
    let csp = match how {
        "csp_t1" => json!({ "tier": 1, "partner_id": LOC }),
        "csp_t2" => json!({ "tier": 2, "partner_id": LOC, "reseller_id": "6660001" }),
        _ => Value::Null,
    };
    let dpor = if how.ends_with("dpor") {
        json!([{ "partner_id": LOC, "from": "2023-01-01" }])
    } else {
        json!([])
    };
    let identities = if how.ends_with("pal") {
        json!([{ "id": format!("ops-{n}"), "kind": "guest_user", "name": "ops@contoso.example", "state": "active",
                 "roles": [{ "role": "Contributor", "scope": format!("/subscriptions/{sub}"), "from": "2023-01-01" }],
                 "pal": [{ "partner_id": LOC, "from": "2023-01-01", "tenant": "customer" }] }])
    } else {
        json!([])
    };
    json!({
        "id": format!("c{n}"), "name": format!("Customer {n}"), "tenant_id": guid(n, 0x1000_0000), "segment": segment, "cloud": "public",
        "subscriptions": [{ "id": sub, "name": "Production", "product": "azure", "offer": offer, "status": "active", "csp": csp, "dpor": dpor }],
        "usage": usage.into_iter().map(|(s, acr)| json!({ "scope": format!("/subscriptions/{sub}"), "service": s, "acr": acr })).collect::<Vec<_>>(),
        "identities": identities,
    })
}

/// A Microsoft 365 customer with `workloads` (id, paid seats series, active series), credited
/// by an approved CPOR claim since `claimed`, or by CSP when `csp` is a tier.
fn m365_customer(
    n: u32,
    workloads: Vec<(&str, Value, Value)>,
    claimed: Option<&str>,
    csp: Option<u8>,
) -> Value {
    let sub = guid(n, 0x6000_0000);
    let ids: Vec<&str> = workloads.iter().map(|w| w.0).collect();
    let subscriptions = match csp {
        Some(t) => {
            json!([{ "id": sub, "name": "M365", "product": "m365", "offer": "csp", "status": "active",
                             "csp": if t == 1 { json!({ "tier": 1, "partner_id": LOC }) } else { json!({ "tier": 2, "partner_id": LOC, "reseller_id": "6660001" }) } }])
        }
        None => json!([]),
    };
    let cpor = match claimed {
        Some(on) => {
            json!([{ "id": format!("claim-{n}"), "partner_id": LOC, "area": "modern_work_security", "role": "use_or_consume",
                             "workloads": ids, "history": [{ "status": "approved", "on": on }] }])
        }
        None => json!([]),
    };
    json!({
        "id": format!("m{n}"), "name": format!("Tenant {n}"), "tenant_id": guid(n, 0x2000_0000), "segment": "enterprise", "cloud": "public",
        "subscriptions": subscriptions,
        "workloads": workloads.into_iter().map(|(w, paid, active)| json!({
            "workload": w, "subscription": csp.map(|_| sub.clone()), "paid_seats": paid, "active_users": active })).collect::<Vec<_>>(),
        "cpor": cpor,
    })
}

fn person(id: &str, certs: &[&str]) -> Value {
    json!({ "id": id, "name": id, "linked": true,
            "certifications": certs.iter().map(|c| json!({ "cert": c, "earned": "2025-01-01" })).collect::<Vec<_>>() })
}

fn designation<'a>(ds: &'a [DesignationScore], id: &str) -> &'a DesignationScore {
    ds.iter().find(|d| d.id == id).expect("designation")
}

/// The evaluated month of a track.
fn at<'a>(d: &'a DesignationScore, track: &str) -> &'a TrackMonth {
    let t = d.tracks.iter().find(|t| t.track == track).expect("track");
    t.months.last().expect("month")
}

fn metric(tm: &TrackMonth, id: &str) -> (f64, f64) {
    let m = tm.metrics.iter().find(|m| m.id == id).expect("metric");
    (round2(m.value), round2(m.points))
}

fn steps<'a>(
    rs: &'a RuleSet,
    designation: &str,
    track: &str,
    metric: &str,
) -> (&'a [SkillStep], f64) {
    let d = rs.designation(designation).expect("designation");
    let t = d.tracks.iter().find(|t| t.track == track).expect("track");
    let m = t.metrics.iter().find(|m| m.id == metric).expect("metric");
    match &m.calc {
        Calc::Skilling { steps } => (steps, m.max.value),
        _ => panic!("not skilling"),
    }
}

/// (people at the scoring step, points) of a skilling metric for people holding `certs`.
fn skill(
    rs: &RuleSet,
    designation: &str,
    track: &str,
    metric: &str,
    people: &[(&str, &[&str])],
) -> (f64, f64) {
    let ws = workspace(
        rs.id.as_str(),
        vec![],
        people.iter().map(|(id, c)| person(id, c)).collect(),
    );
    let (st, max) = steps(rs, designation, track, metric);
    let (v, p, _) = skilling(&ws, rs, st, month("2026-10"));
    (v, round2(p.min(max)))
}

const ADMIN: &str = "azure-administrator-associate";
const ARCH: &str = "azure-solutions-architect-expert";
const DBA: &str = "azure-database-administrator-associate";

/// D&AI: three customers won this year, one old one; usage growth of `growth_percent`.
fn data_ai_partner(rules_id: &str, growth_percent: f64) -> Workspace {
    let old_now = 100_000.0 * (1.0 + growth_percent / 100.0) - 3_000.0;
    let services = [
        "Azure SQL Database",
        "Storage",
        "Azure Monitor",
        "Key Vault",
        "App Service",
    ];
    let old = azure_customer(
        1,
        "enterprise",
        "csp_t1",
        services
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    *s,
                    series(move |m| {
                        if i == 0 {
                            if m == M {
                                old_now - 400.0
                            } else {
                                100_000.0 - 400.0
                            }
                        } else {
                            100.0
                        }
                    }),
                )
            })
            .collect(),
    );
    let new = |n| {
        azure_customer(
            n,
            "enterprise",
            "csp_t1",
            vec![(
                "Azure SQL Database",
                series(|m| if m == M { 1000.0 } else { 0.0 }),
            )],
        )
    };
    let mut people = vec![
        person("a1", &[ADMIN]),
        person("a2", &[ADMIN]),
        person("s1", &[ARCH]),
        person("s2", &[ARCH]),
    ];
    people.extend((0..8).map(|i| person(&format!("d{i}"), &[DBA])));
    workspace(rules_id, vec![old, new(2), new(3), new(4)], people)
}

// ---- Qualification -----------------------------------------------------------------------

#[test]
fn one_point_in_every_metric_is_needed_not_just_more_than_zero() {
    for rules_id in ["2026-11", "2023-10"] {
        let rs = rules(rules_id);
        assert_eq!(rs.scoring.min_metric_points.value, 1.0, "{rules_id}");
        // 30 (three net adds) + 32 (eight people) + 0.93 (0.93 % growth) + 10 = 72.93: not enough.
        let e = evaluate(&data_ai_partner(rules_id, 0.93), rs);
        let d = designation(&e.designations, "data_ai_azure");
        let tm = d.month(month("2026-10")).expect("month");
        assert_eq!(round2(tm.total), 72.93, "{rules_id}");
        assert_eq!(metric(tm, "usage_growth"), (0.93, 0.93));
        assert!(
            !tm.qualified,
            "{rules_id}: 0.93 points is not 'one or more'"
        );
        // 1 % growth earns the point: 73 qualifies.
        let e = evaluate(&data_ai_partner(rules_id, 1.0), rs);
        let tm = designation(&e.designations, "data_ai_azure")
            .month(month("2026-10"))
            .expect("m")
            .clone();
        assert_eq!((round2(tm.total), tm.qualified), (73.0, true), "{rules_id}");
    }
}

#[test]
fn a_path_that_qualifies_beats_a_higher_total_that_does_not() {
    let path = |total: f64, qualified: bool| TrackMonth {
        month: month("2026-10"),
        total,
        qualified,
        metrics: Vec::new(),
    };
    use std::cmp::Ordering::*;
    assert_eq!(path_order(&path(72.0, true), &path(81.0, false)), Greater);
    assert_eq!(
        path_order(&path(71.0, true), &path(75.0, true)),
        Less,
        "then the higher total"
    );
    assert_eq!(path_order(&path(60.0, false), &path(40.0, false)), Greater);
    let assumption = rules("2026-11").assumptions_for(None);
    assert!(assumption.iter().any(|a| a.id == "path_choice"));
}

// ---- Skilling ----------------------------------------------------------------------------

#[test]
fn data_ai_gates_are_administrator_then_architect() {
    let rs = rules("2026-11");
    for track in ["enterprise", "smb"] {
        let (st, _) = steps(rs, "data_ai_azure", track, "intermediate_certifications");
        assert_eq!(st[0].certifications, [ADMIN], "{track}");
        assert_eq!(st[1].certifications, [ARCH], "{track}");
        assert!(st[2].scoring);
    }
    // The page's Enterprise example 4: one administrator at step 1 → 0 however many architects.
    let one_admin: &[(&str, &[&str])] = &[
        ("A", &[ADMIN]),
        ("B", &[ARCH]),
        ("C", &[ARCH]),
        ("D", &[DBA]),
        ("E", &[DBA]),
    ];
    assert_eq!(
        skill(
            rs,
            "data_ai_azure",
            "enterprise",
            "intermediate_certifications",
            one_admin
        ),
        (0.0, 0.0)
    );
}

#[test]
fn smb_gates_earn_their_points_on_their_own() {
    let rs = rules("2026-11");
    // Only step 2 (an architect) met: its 4 points, nothing from step 3.
    let step2_only: &[(&str, &[&str])] = &[("A", &[ARCH]), ("D", &[DBA]), ("E", &[DBA])];
    assert_eq!(
        skill(
            rs,
            "data_ai_azure",
            "smb",
            "intermediate_certifications",
            step2_only
        ),
        (0.0, 4.0)
    );
    // Step 1 capped at 4 however many people; step 3 needs both gates.
    let both: &[(&str, &[&str])] = &[
        ("A", &[ADMIN]),
        ("B", &[ADMIN]),
        ("C", &[ADMIN]),
        ("S", &[ARCH]),
        ("D", &[DBA]),
    ];
    assert_eq!(
        skill(
            rs,
            "data_ai_azure",
            "smb",
            "intermediate_certifications",
            both
        ),
        (1.0, 12.0)
    );
    // Enterprise gates earn nothing and need two people each.
    assert_eq!(
        skill(
            rs,
            "data_ai_azure",
            "enterprise",
            "intermediate_certifications",
            both
        ),
        (0.0, 0.0)
    );
    assert!(
        rs.assumptions_for(None)
            .iter()
            .any(|a| a.id == "smb_gates_earn_alone")
    );
}

#[test]
fn certification_lists_per_step_are_the_pages_lists() {
    let rs = rules("2026-11");
    let scoring = |d: &str, t: &str, m: &str| -> Vec<String> {
        let (st, _) = steps(rs, d, t, m);
        st.iter()
            .find(|s| s.scoring)
            .expect("scoring")
            .certifications
            .clone()
    };
    let dai = scoring("data_ai_azure", "enterprise", "intermediate_certifications");
    for c in [
        "sql-ai-developer-associate",
        "azure-ai-apps-and-agents-developer-associate",
        "machine-learning-operations-engineer-associate",
        "azure-databricks-data-engineer-associate",
    ] {
        assert!(dai.iter().any(|x| x == c), "{c}");
    }
    assert!(!dai.iter().any(|x| x == "azure-data-engineer-associate"));
    let adv = scoring(
        "digital_app_innovation_azure",
        "enterprise",
        "advanced_certifications",
    );
    for c in [
        "github-actions",
        "github-administration",
        "github-advanced-security",
        "github-copilot",
        "devops-engineer-expert",
    ] {
        assert!(adv.iter().any(|x| x == c), "{c}");
    }
    assert_eq!(
        rs.certification_name("devops-engineer-expert"),
        "Azure DevOps Engineer Expert"
    );
    let (sec, _) = steps(rs, "security", "enterprise", "intermediate_certifications");
    assert_eq!(
        sec[0].certifications,
        [
            "azure-security-engineer-associate",
            "cloud-and-ai-security-engineer-associate"
        ]
    );
    assert_eq!(
        sec[1].certifications,
        ["security-operations-analyst-associate"],
        "no M365 Security Administrator"
    );
    assert!(
        sec[2]
            .certifications
            .contains(&"information-security-administrator-associate".to_owned())
    );
    let mw = scoring("modern_work", "enterprise", "intermediate_certifications");
    assert!(mw.contains(&"copilot-and-agent-administration-fundamentals".to_owned()));
    assert!(
        !mw.contains(&"teams-application-developer-associate".to_owned())
            && !mw.contains(&"messaging-administrator-associate".to_owned())
    );
    assert!(
        scoring("modern_work", "smb", "advanced_certifications")
            .contains(&"teams-meetings-and-meeting-rooms-technical-assessment".to_owned())
    );
    let ba = scoring(
        "business_applications",
        "enterprise",
        "intermediate_certifications",
    );
    assert!(!ba.contains(&"dynamics-365-sales-functional-consultant-associate".to_owned()));
    assert!(
        !ba.contains(&"dynamics-365-customer-insights-functional-consultant-associate".to_owned())
    );
    assert!(
        !ba.contains(&"dynamics-365-business-central-developer-associate".to_owned()),
        "now advanced"
    );
    assert!(ba.contains(&"power-bi-data-analyst-associate".to_owned()));
    let ba_adv = scoring("business_applications", "smb", "advanced_certifications");
    assert!(ba_adv.contains(&"dynamics-365-business-central-developer-associate".to_owned()));
    assert!(ba_adv.contains(&"agentic-ai-business-solutions-architect".to_owned()));
    // People who hold only certifications the pages dropped earn nothing.
    let dropped: &[(&str, &[&str])] =
        &[("A", &["dynamics-365-sales-functional-consultant-associate"])];
    assert_eq!(
        skill(
            rs,
            "business_applications",
            "smb",
            "intermediate_certifications",
            dropped
        ),
        (0.0, 0.0)
    );
    assert_eq!(
        skill(
            rules("2023-10"),
            "business_applications",
            "smb",
            "intermediate_certifications",
            dropped
        )
        .0,
        1.0
    );
}

#[test]
fn a_retired_certification_counts_for_one_year_after_it_retires() {
    let rs = rules("2026-11");
    let ai = rs
        .retirement("azure-ai-engineer-associate")
        .expect("retires");
    assert_eq!(
        (ai.on.to_string(), ai.last_counting_day().to_string()),
        ("2026-06-30".into(), "2027-06-30".into())
    );
    let day = |d: &str| pcs_workbench::model::Date::parse(d).expect("date");
    assert!(rs.certification_counts_on("azure-ai-engineer-associate", day("2027-06-30")));
    assert!(!rs.certification_counts_on("azure-ai-engineer-associate", day("2027-07-01")));
    // Information Protection Administrator retired 2025-05-31: counted until 2026-05-31.
    let ws = workspace(
        "2026-11",
        vec![],
        vec![
            person("a", &["azure-security-engineer-associate"]),
            person("b", &["azure-security-engineer-associate"]),
            person("c", &["security-operations-analyst-associate"]),
            person("d", &["security-operations-analyst-associate"]),
            person(
                "e",
                &["information-protection-and-compliance-administrator-associate"],
            ),
        ],
    );
    let (st, _) = steps(rs, "security", "enterprise", "intermediate_certifications");
    assert_eq!(
        round2(skilling(&ws, rs, st, month("2026-05")).1),
        6.67,
        "still in its year"
    );
    assert_eq!(
        skilling(&ws, rs, st, month("2026-06")).1,
        0.0,
        "no longer counted from 2026-06"
    );
    // A warning three months before a certification stops counting.
    let mut ws = ws;
    ws.people[4].certifications[0].cert = "microsoft-365-enterprise-administrator-expert".into();
    let found = pcs_workbench::findings::findings(&ws, rs, day("2027-09-15"));
    let f = found
        .iter()
        .find(|f| f.code == "cert.retiring")
        .expect("warning");
    assert!(
        f.message.contains("stops counting after 2027-11-30"),
        "{}",
        f.message
    );
    let early = pcs_workbench::findings::findings(&ws, rs, day("2027-06-15"));
    assert!(
        early
            .iter()
            .all(|f| f.code != "cert.retiring" || f.subject != "e"),
        "not yet: more than three months"
    );
    assert!(
        early
            .iter()
            .any(|f| f.code == "cert.retiring" && f.subject == "a"),
        "the Azure Security Engineers' ends 2027-08-31"
    );
}

// ---- Security ----------------------------------------------------------------------------

fn security(customers: Vec<Value>) -> Vec<DesignationScore> {
    evaluate(&workspace("2026-11", customers, vec![]), rules("2026-11")).designations
}

/// Security ACR: `now` a month in the last year, `before` a month the year before.
fn sentinel(now: f64, before: f64) -> Value {
    series(move |m| {
        if m > M12 {
            now
        } else if m <= M12 && m > M12 - 12 {
            before
        } else {
            0.0
        }
    })
}

#[test]
fn security_counts_the_azure_and_microsoft_365_sides_separately_and_adds_them() {
    // One customer new on both sides: PAL-credited Sentinel ($100 a month, $1,200 TTM ≥ $600)
    // and 400 CPOR-claimed Defender for Endpoint seats (> 300).
    let mut both = azure_customer(
        1,
        "enterprise",
        "pal",
        vec![("Sentinel", sentinel(100.0, 0.0))],
    );
    let m365 = m365_customer(
        1,
        vec![(
            "defender_endpoint",
            series(|m| if m > M12 { 400.0 } else { 0.0 }),
            series(|m| if m > M12 { 100.0 } else { 0.0 }),
        )],
        Some("2025-11-05"),
        None,
    );
    both["workloads"] = m365["workloads"].clone();
    both["cpor"] = m365["cpor"].clone();
    let ds = security(vec![both]);
    let ent = at(designation(&ds, "security"), "enterprise");
    assert_eq!(
        metric(ent, "net_customer_adds"),
        (2.0, 4.0),
        "one customer counts on both sides: 2 × 2"
    );
    let ds23 = evaluate(
        &workspace("2023-10", vec![security_one_customer()], vec![]),
        rules("2023-10"),
    )
    .designations;
    assert_eq!(
        metric(
            at(designation(&ds23, "security"), "none"),
            "net_customer_adds"
        )
        .0,
        1.0,
        "2023: once"
    );
}

fn security_one_customer() -> Value {
    let mut c = azure_customer(
        1,
        "enterprise",
        "pal",
        vec![("Microsoft Sentinel", sentinel(100.0, 0.0))],
    );
    let m365 = m365_customer(
        1,
        vec![(
            "defender_endpoint",
            series(|m| if m > M12 { 400.0 } else { 0.0 }),
            series(|m| if m > M12 { 100.0 } else { 0.0 }),
        )],
        Some("2025-11-05"),
        None,
    );
    c["workloads"] = m365["workloads"].clone();
    c["cpor"] = m365["cpor"].clone();
    c
}

#[test]
fn security_sizes_tenants_per_path_for_deployments_and_usage_growth() {
    // c1: $1,500 a month of Sentinel now (TTM $18,000), none a year before: Enterprise-sized.
    // c2: $500 a month (TTM $6,000): SMB-sized ($750–$12,000).
    let ds = security(vec![
        azure_customer(
            1,
            "enterprise",
            "pal",
            vec![("Sentinel", sentinel(1500.0, 0.0))],
        ),
        azure_customer(
            2,
            "smb",
            "csp_t1",
            vec![("Azure Firewall", sentinel(500.0, 0.0))],
        ),
    ]);
    let d = designation(&ds, "security");
    let (ent, smb) = (at(d, "enterprise"), at(d, "smb"));
    // Deployments: one each side of $12,000 → 3.33 points each path.
    assert_eq!(metric(ent, "deployments"), (1.0, 3.33));
    assert_eq!(metric(smb, "deployments"), (1.0, 3.33));
    // Usage growth: Enterprise counts c1 only, $1,500 / $1,250 = 1.2; SMB counts c2 only,
    // $500 / $750 = 0.67.
    assert_eq!(metric(ent, "usage_growth"), (1.2, 1.2));
    assert_eq!(metric(smb, "usage_growth"), (0.67, 0.67));
    // Net customer adds: $600 TTM on both paths: both customers, each path (2 × 2, 2 × 4).
    assert_eq!(metric(ent, "net_customer_adds"), (2.0, 4.0));
    assert_eq!(metric(smb, "net_customer_adds"), (2.0, 8.0));
}

#[test]
fn security_services_and_workloads_are_the_pages_lists() {
    let rs = rules("2026-11");
    for s in [
        "Sentinel",
        "Microsoft Sentinel",
        "azure front door service",
        "Azure Front Door",
        "Application Gateway",
        "Microsoft Security Copilot",
    ] {
        assert!(rs.scoring.is_security_service(s), "{s}");
    }
    assert!(
        !rs.scoring.is_security_service("Web Application Firewall"),
        "not on the page's list"
    );
    let (c, _) = {
        let d = rs.designation("security").expect("security");
        let m = d.tracks[0]
            .metrics
            .iter()
            .find(|m| m.id == "net_customer_adds")
            .expect("nca");
        (&m.calc, m.max.value)
    };
    let Calc::SecurityNetCustomerAdds { workloads, .. } = c else {
        panic!()
    };
    assert_eq!(
        workloads,
        &[
            "entra_id_p1",
            "defender_office",
            "defender_endpoint",
            "defender_identity",
            "purview_information_protection",
            "intune"
        ]
    );
    assert!(
        rs.workload("defender_endpoint_p1").is_some(),
        "a valid id that never counts"
    );
    // 400 Entra ID P2 seats (no longer listed) add nothing.
    let p2 = m365_customer(
        1,
        vec![(
            "entra_id_p2",
            series(|m| if m > M12 { 400.0 } else { 0.0 }),
            series(|_| 200.0),
        )],
        Some("2025-11-05"),
        None,
    );
    assert_eq!(
        metric(
            at(designation(&security(vec![p2]), "security"), "enterprise"),
            "net_customer_adds"
        )
        .0,
        0.0
    );
}

// ---- SMB carry-over ------------------------------------------------------------------------

#[test]
fn smb_carry_over_keeps_a_promoted_tenant_on_the_smb_path() {
    // A tenant with 200 Teams seats a year ago and 400 now, CSP since long ago, 50 % active.
    let grown = m365_customer(
        1,
        vec![(
            "teams",
            series(|m| if m > M12 { 400.0 } else { 200.0 }),
            series(|m| if m > M12 { 200.0 } else { 100.0 }),
        )],
        None,
        Some(1),
    );
    let rs = rules("2026-11");
    let ws = workspace("2026-11", vec![grown], vec![]);
    let e = evaluate(&ws, rs);
    let mw = designation(&e.designations, "modern_work");
    // On the SMB path through the carry-over: its usage growth (200 − 100 = 100 users) counts
    // on the CSP option: 30 × 100 / 2,000 = 1.5.
    assert_eq!(metric(at(mw, "smb"), "usage_growth"), (100.0, 1.5));
    let carried = pcs_workbench::scoring::carried_over(rs, &ws.customers[0], month("2026-10"));
    assert!(
        carried.contains(&("Modern Work".to_owned(), "smb".to_owned())),
        "{carried:?}"
    );
    // Under 2023-10 there is no carry-over: 400 seats are off the SMB path.
    let e23 = evaluate(
        &workspace(
            "2023-10",
            vec![m365_customer(
                1,
                vec![(
                    "teams",
                    series(|m| if m > M12 { 400.0 } else { 200.0 }),
                    series(|m| if m > M12 { 200.0 } else { 100.0 }),
                )],
                None,
                Some(1),
            )],
            vec![],
        ),
        rules("2023-10"),
    );
    assert_eq!(
        metric(
            at(designation(&e23.designations, "modern_work"), "smb"),
            "usage_growth"
        ),
        (0.0, 0.0)
    );
}

// ---- Modern Work ---------------------------------------------------------------------------

#[test]
fn modern_work_paths_go_by_any_workload_and_a_tenant_can_be_on_both() {
    // 500 Teams seats and 100 Exchange seats, CPOR-claimed a year and a half ago.
    let t = m365_customer(
        1,
        vec![
            (
                "teams",
                series(|_| 500.0),
                series(|m| if m > M12 { 300.0 } else { 250.0 }),
            ),
            (
                "exchange",
                series(|_| 100.0),
                series(|m| if m > M12 { 80.0 } else { 40.0 }),
            ),
        ],
        Some("2025-04-01"),
        None,
    );
    let e = evaluate(
        &workspace("2026-11", vec![t.clone()], vec![]),
        rules("2026-11"),
    );
    let mw = designation(&e.designations, "modern_work");
    // Enterprise: 300 − 250 + 80 − 40 = 90; SMB (Exchange's 100 seats put it there too): 90.
    assert_eq!(metric(at(mw, "enterprise"), "usage_growth").0, 90.0);
    assert_eq!(metric(at(mw, "smb"), "usage_growth").0, 90.0);
    // 2023: by the largest workload only, so not on the SMB path.
    let e = evaluate(&workspace("2023-10", vec![t], vec![]), rules("2023-10"));
    assert_eq!(
        metric(
            at(designation(&e.designations, "modern_work"), "smb"),
            "usage_growth"
        )
        .0,
        0.0
    );
}

#[test]
fn csp_tier_1_and_tier_2_are_one_modern_work_option() {
    // Two SMB tenants grow by 600 users each, one through CSP Tier 1, one through Tier 2.
    let grow = |n, tier| {
        m365_customer(
            n,
            vec![(
                "teams",
                series(|_| 250.0),
                series(|m| if m > M12 { 700.0 } else { 100.0 }),
            )],
            None,
            Some(tier),
        )
    };
    let e = evaluate(
        &workspace("2026-11", vec![grow(1, 1), grow(2, 2)], vec![]),
        rules("2026-11"),
    );
    // 1,200 together on the CSP option: 30 × 1,200 / 2,000 = 18 (each tier alone would give 9).
    assert_eq!(
        metric(
            at(designation(&e.designations, "modern_work"), "smb"),
            "usage_growth"
        ),
        (1200.0, 18.0)
    );
}

#[test]
fn modern_work_net_customer_adds_count_every_association_type_of_the_path() {
    // Two new SMB tenants (100 seats): one claimed (CPOR), one through CSP.
    let seats = || series(|m| if m > M12 { 100.0 } else { 0.0 });
    let a = m365_customer(
        1,
        vec![("teams", seats(), seats())],
        Some("2025-12-01"),
        None,
    );
    let b = m365_customer(2, vec![("exchange", seats(), seats())], None, Some(1));
    let e = evaluate(&workspace("2026-11", vec![a, b], vec![]), rules("2026-11"));
    assert_eq!(
        metric(
            at(designation(&e.designations, "modern_work"), "smb"),
            "net_customer_adds"
        ),
        (2.0, 4.0),
        "2 × 2 points"
    );
    // OneDrive does not count, Teams Premium not for net adds.
    let rs = rules("2026-11");
    let mw = rs.designation("modern_work").expect("mw");
    let Calc::ModernWorkNetCustomerAddsCombined { workloads, .. } = &mw.tracks[0].metrics[0].calc
    else {
        panic!()
    };
    assert!(
        !workloads.contains(&"onedrive".to_owned())
            && !workloads.contains(&"teams_premium".to_owned())
    );
    let Calc::ModernWorkUsageGrowth { workloads, .. } = &mw.tracks[0]
        .metrics
        .iter()
        .find(|m| m.id == "usage_growth")
        .expect("ug")
        .calc
    else {
        panic!()
    };
    assert!(
        workloads.contains(&"teams_premium".to_owned())
            && !workloads.contains(&"onedrive".to_owned())
    );
}

// ---- Business Applications -----------------------------------------------------------------

/// A Dynamics 365 / Power Platform customer: workloads on a subscription bought `how`.
fn biz_customer(n: u32, how: &str, workloads: Vec<(&str, Value, Value)>) -> Value {
    let sub = guid(n, 0x7000_0000);
    let (offer, csp) = if how == "csp" {
        ("csp", json!({ "tier": 1, "partner_id": LOC }))
    } else {
        ("enterprise_agreement", Value::Null)
    };
    json!({
        "id": format!("b{n}"), "name": format!("Business {n}"), "tenant_id": guid(n, 0x3000_0000), "segment": "enterprise", "cloud": "public",
        "subscriptions": [{ "id": sub, "name": "D365", "product": "dynamics365", "offer": offer, "status": "active", "csp": csp }],
        "workloads": workloads.into_iter().map(|(w, users, revenue)| json!({ "workload": w, "subscription": sub, "active_users": users, "revenue": revenue })).collect::<Vec<_>>(),
    })
}

#[test]
fn business_applications_credit_power_platform_and_customer_insights_only_through_pal() {
    // Sales and Power Apps on a DPOR subscription: Sales counts for deployments, Power Apps not.
    let users = || series(|m| if m > M12 { 100.0 } else { 0.0 });
    let c = biz_customer(
        1,
        "dpor",
        vec![
            ("sales", users(), json!({})),
            ("power_apps", users(), json!({})),
        ],
    );
    let mut c = c;
    c["subscriptions"][0]["dpor"] = json!([{ "partner_id": LOC, "from": "2023-01-01" }]);
    let deployed = |rules_id: &str, c: &Value| -> Vec<String> {
        let e = evaluate(
            &workspace(rules_id, vec![c.clone()], vec![]),
            rules(rules_id),
        );
        let smb = at(designation(&e.designations, "business_applications"), "smb");
        let dep = smb
            .metrics
            .iter()
            .find(|m| m.id == "deployments")
            .expect("dep");
        dep.contributors.iter().map(|c| c.item.clone()).collect()
    };
    assert_eq!(
        deployed("2026-11", &c),
        ["sales"],
        "Power Apps through DPOR is not credited"
    );
    // 2023-10 credited Power Platform through DPOR too.
    assert_eq!(deployed("2023-10", &c), ["sales", "power_apps"]);
    // And CSP now credits Dynamics 365 (not Power Platform) for usage and deployments.
    let csp = biz_customer(
        2,
        "csp",
        vec![
            ("sales", users(), json!({})),
            ("power_apps", users(), json!({})),
        ],
    );
    assert_eq!(deployed("2026-11", &csp), ["sales"]);
    assert!(
        deployed("2023-10", &csp).is_empty(),
        "2023: CSP did not count for usage"
    );
}

#[test]
fn the_business_applications_track_counts_only_associated_customers_business_workloads() {
    // Five (tenant, workload) pairs above $5,000 in M-1 and M-13, but on a customer no
    // association credits: SMB, not Enterprise.
    let rev = || series(|_| 6000.0);
    let sub = guid(9, 0x7000_0000);
    let workloads: Vec<Value> = [
        "sales",
        "customer_service",
        "field_service",
        "finance",
        "business_central",
    ]
    .iter()
    .map(|w| json!({ "workload": w, "subscription": sub, "revenue": rev() }))
    .collect();
    let unassociated = json!({
        "id": "u", "name": "Unassociated", "tenant_id": guid(9, 0x3000_0000), "segment": "enterprise", "cloud": "public",
        "subscriptions": [{ "id": sub, "name": "D365", "product": "dynamics365", "offer": "enterprise_agreement", "status": "active",
                            "dpor": [{ "partner_id": "5550001", "from": "2023-01-01" }] }],
        "workloads": workloads,
    });
    let e = evaluate(
        &workspace("2026-11", vec![unassociated.clone()], vec![]),
        rules("2026-11"),
    );
    assert_eq!(
        designation(&e.designations, "business_applications")
            .track
            .as_deref(),
        Some("smb")
    );
    let e = evaluate(
        &workspace("2023-10", vec![unassociated], vec![]),
        rules("2023-10"),
    );
    assert_eq!(
        designation(&e.designations, "business_applications")
            .track
            .as_deref(),
        Some("enterprise"),
        "2023 counted any pair"
    );
}

#[test]
fn mcv_buckets_follow_the_rate_card() {
    let d = rules("2026-11")
        .designation("business_applications")
        .expect("ba");
    let rate = |w: &str| {
        d.mcv_rates
            .iter()
            .find(|r| r.workload == w)
            .map(|r| r.rate.value)
    };
    assert_eq!(
        rate("marketing"),
        None,
        "not in the Customer Engagement bucket: no MCV"
    );
    assert_eq!(
        (
            rate("sales"),
            rate("customer_service"),
            rate("field_service")
        ),
        (Some(200.0), Some(200.0), Some(200.0))
    );
    assert_eq!(
        (
            rate("finance"),
            rate("supply_chain"),
            rate("project_operations"),
            rate("retail")
        ),
        (Some(100.0), Some(100.0), Some(100.0), Some(100.0))
    );
    // The page's example: 10 Business Central users + 50,000 Customer Insights profiles = 20,000 MCV.
    assert_eq!(
        10.0 * rate("business_central").expect("bc")
            + 50_000.0 * rate("customer_insights").expect("ci"),
        20_000.0
    );
    let rs = rules("2026-11");
    assert!(rs.workload("copilot_studio").is_some() && rs.workload("ai_builder").is_some());
}

// ---- Offers ----------------------------------------------------------------------------------

#[test]
fn sponsored_subscriptions_score_through_csp_and_dpor_but_not_pal() {
    let rs = rules("2026-11");
    let offers: Vec<&str> = rs
        .attribution
        .excluded_offers
        .value
        .iter()
        .map(|o| o.as_str())
        .collect();
    assert_eq!(offers, ["trial", "internal", "benefit", "support"]);
    let ws = workspace(
        "2026-11",
        vec![
            azure_customer(
                1,
                "enterprise",
                "sponsored_pal",
                vec![("Storage", series(|_| 2000.0))],
            ),
            azure_customer(
                2,
                "enterprise",
                "sponsored_dpor",
                vec![("Storage", series(|_| 2000.0))],
            ),
        ],
        vec![],
    );
    let p = Prepared::new(&ws, rs, Viewpoint::of_workspace(&ws));
    let pal = p.explain_line(0, 0, month("2026-10"));
    assert!(
        pal.iter()
            .any(|d| d.rule == Rule::PalExcludedOffer && !d.credited),
        "{pal:?}"
    );
    assert!(!pal.iter().any(|d| d.credited));
    let dpor = p.explain_line(1, 0, month("2026-10"));
    assert!(
        dpor.iter().any(|d| d.rule == Rule::DporActive
            && d.credited
            && d.association == Association::Dpor)
    );
    // Under 2023-10 a sponsored subscription counts for nothing.
    let ws23 = Workspace {
        rules: "2023-10".into(),
        ..ws
    };
    let p = Prepared::new(&ws23, rules("2023-10"), Viewpoint::of_workspace(&ws23));
    assert!(
        p.explain_line(1, 0, month("2026-10"))
            .iter()
            .all(|d| !d.credited)
    );
}

// ---- The pages' worked examples --------------------------------------------------------------

#[test]
fn azure_page_examples() {
    let rs = rules("2026-11");
    let d = "data_ai_azure";
    let ent = |p: &[(&str, &[&str])]| skill(rs, d, "enterprise", "intermediate_certifications", p);
    let smb = |p: &[(&str, &[&str])]| skill(rs, d, "smb", "intermediate_certifications", p);
    // Data & AI Enterprise example 1 reads "three people complete step 2, earning 12" and
    // "two complete the Architect certification": read as 2 administrators, 2 architects and
    // 3 people at step 3 → 12.
    assert_eq!(
        ent(&[
            ("A", &[ADMIN]),
            ("B", &[ADMIN]),
            ("C", &[ARCH]),
            ("D", &[ARCH]),
            ("E", &[DBA]),
            ("F", &[DBA]),
            ("G", &[DBA])
        ])
        .1,
        12.0
    );
    // Example 2: the same two at every step → 8. Example 3: no architect → 0.
    assert_eq!(
        ent(&[("A", &[ADMIN, ARCH, DBA]), ("B", &[ADMIN, ARCH, DBA])]).1,
        8.0
    );
    assert_eq!(
        ent(&[
            ("A", &[ADMIN]),
            ("B", &[ADMIN]),
            ("E", &[DBA]),
            ("F", &[DBA])
        ])
        .1,
        0.0
    );
    // SMB examples: 4 + 4 + 3 × 4 = 20; the same two: 4 + 4 + 8 = 16; no architect: 4; none: 0.
    assert_eq!(
        smb(&[
            ("A", &[ADMIN]),
            ("B", &[ADMIN]),
            ("C", &[ARCH]),
            ("D", &[ARCH]),
            ("E", &[DBA]),
            ("F", &[DBA]),
            ("G", &[DBA])
        ])
        .1,
        20.0
    );
    assert_eq!(
        smb(&[("A", &[ADMIN, ARCH, DBA]), ("B", &[ADMIN, ARCH, DBA])]).1,
        16.0
    );
    assert_eq!(
        smb(&[
            ("A", &[ADMIN]),
            ("B", &[ADMIN]),
            ("E", &[DBA]),
            ("F", &[DBA])
        ])
        .1,
        4.0
    );
    assert_eq!(smb(&[("E", &[DBA]), ("F", &[DBA])]).1, 0.0);
    // Digital & App Innovation Enterprise example 1 lists a "step 3" the metric does not have;
    // read as 5 developers after the administrators → 20 (the page's total).
    let dev = "azure-developer-associate";
    let dai = |t: &str, p: &[(&str, &[&str])]| {
        skill(
            rs,
            "digital_app_innovation_azure",
            t,
            "intermediate_certifications",
            p,
        )
        .1
    };
    assert_eq!(
        dai(
            "enterprise",
            &[
                ("A", &[ADMIN]),
                ("B", &[ADMIN]),
                ("C", &[dev]),
                ("D", &[dev]),
                ("E", &[dev]),
                ("F", &[dev]),
                ("G", &[dev])
            ]
        ),
        20.0
    );
    assert_eq!(
        dai(
            "enterprise",
            &[("A", &[ADMIN]), ("C", &[dev]), ("D", &[dev])]
        ),
        0.0
    );
    // SMB: one administrator earns 4, two developers 8 → 12 (examples 1–3); none at step 1 → 0.
    assert_eq!(
        dai("smb", &[("A", &[ADMIN]), ("C", &[dev]), ("D", &[dev])]),
        12.0
    );
    assert_eq!(dai("smb", &[("C", &[dev]), ("D", &[dev])]), 0.0);
    // Infrastructure advanced (architect gate): Enterprise 8, SMB 12.
    let avd = "azure-virtual-desktop-specialty";
    let infra = |t: &str, p: &[(&str, &[&str])]| {
        skill(rs, "infrastructure_azure", t, "advanced_certifications", p).1
    };
    assert_eq!(
        infra(
            "enterprise",
            &[("A", &[ARCH]), ("B", &[ARCH]), ("C", &[avd]), ("D", &[avd])]
        ),
        8.0
    );
    assert_eq!(
        infra("smb", &[("A", &[ARCH]), ("C", &[avd]), ("D", &[avd])]),
        12.0
    );
    // Net customer adds: 10 points each, 30 from three (full read from the data).
    let Calc::AzureNetCustomerAdds { full, min_acr, .. } =
        &rs.designation(d).expect("d").tracks[1].metrics[0].calc
    else {
        panic!()
    };
    assert_eq!(
        (points(30.0, 2.0, full.value), min_acr.value),
        (20.0, 500.0),
        "SMB: $500"
    );
}

#[test]
fn modern_work_page_examples() {
    let rs = rules("2026-11");
    let full = |track: &str, metric: &str, a: Association| -> f64 {
        let d = rs.designation("modern_work").expect("mw");
        let t = d.tracks.iter().find(|t| t.track == track).expect("t");
        match &t.metrics.iter().find(|m| m.id == metric).expect("m").calc {
            Calc::ModernWorkUsageGrowth { thresholds, .. }
            | Calc::ModernWorkDeployments { thresholds, .. } => {
                thresholds
                    .iter()
                    .find(|x| x.associations.contains(&a))
                    .expect("th")
                    .full
                    .value
            }
            _ => panic!(),
        }
    };
    // Enterprise usage: DPOR 2,000 / 4,000 × 30 = 15; CPOR 1,500 / 1,000 × 30 = 45 → 30.
    assert_eq!(
        points(
            30.0,
            2000.0,
            full("enterprise", "usage_growth", Association::Dpor)
        ),
        15.0
    );
    assert_eq!(
        points(
            30.0,
            1500.0,
            full("enterprise", "usage_growth", Association::Cpor)
        ),
        30.0
    );
    // SMB usage: the page labels CPOR growth "1,500" but computes 1,000 / 500 × 30 = 60: read
    // 1,000 → 30 (capped); CSP 1,000 / 2,000 × 30 = 15, the same threshold for Tier 1 and 2.
    assert_eq!(
        points(30.0, 1000.0, full("smb", "usage_growth", Association::Cpor)),
        30.0
    );
    assert_eq!(
        points(
            30.0,
            1000.0,
            full("smb", "usage_growth", Association::CspT2)
        ),
        15.0
    );
    assert_eq!(
        full("smb", "usage_growth", Association::CspT1),
        full("smb", "usage_growth", Association::CspT2)
    );
    // Enterprise deployments: DPOR 4 / 10 × 25 = 10; CPOR 3 / 5 × 25 = 15 → 15.
    assert_eq!(
        points(
            25.0,
            4.0,
            full("enterprise", "deployments", Association::Dpor)
        ),
        10.0
    );
    assert_eq!(
        points(
            25.0,
            3.0,
            full("enterprise", "deployments", Association::Cpor)
        ),
        15.0
    );
    // SMB deployments: the text says 3 from CPOR, the arithmetic 4 / 5 × 25 = 20: read 4 → 20.
    assert_eq!(
        points(25.0, 4.0, full("smb", "deployments", Association::Cpor)),
        20.0
    );
    assert_eq!(
        points(25.0, 4.0, full("smb", "deployments", Association::CspT1)),
        10.0
    );
    // Skilling: 10 points from four (Enterprise) or two (SMB) people; 15 from two or one.
    let mw = |t: &str, m: &str, n: usize, cert: &str| {
        let people: Vec<(String, Vec<&str>)> =
            (0..n).map(|i| (format!("p{i}"), vec![cert])).collect();
        let refs: Vec<(&str, &[&str])> = people
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_slice()))
            .collect();
        skill(rs, "modern_work", t, m, &refs).1
    };
    assert_eq!(
        mw(
            "enterprise",
            "intermediate_certifications",
            4,
            "teams-administrator-associate"
        ),
        10.0
    );
    assert_eq!(
        mw(
            "smb",
            "intermediate_certifications",
            2,
            "copilot-and-agent-administration-fundamentals"
        ),
        10.0
    );
    assert_eq!(
        mw(
            "enterprise",
            "advanced_certifications",
            2,
            "microsoft-365-enterprise-administrator-expert"
        ),
        15.0
    );
    assert_eq!(
        mw(
            "smb",
            "advanced_certifications",
            1,
            "teams-meetings-and-meeting-rooms-technical-assessment"
        ),
        15.0
    );
}

#[test]
fn security_page_examples() {
    let rs = rules("2026-11");
    const ENG: &str = "cloud-and-ai-security-engineer-associate";
    const OPS: &str = "security-operations-analyst-associate";
    const ARCHITECT: &str = "cybersecurity-architect-expert";
    let ent = |p: &[(&str, &[&str])]| {
        skill(
            rs,
            "security",
            "enterprise",
            "intermediate_certifications",
            p,
        )
        .1
    };
    let smb =
        |p: &[(&str, &[&str])]| skill(rs, "security", "smb", "intermediate_certifications", p).1;
    // Enterprise example 1 says "3 people complete Step 2, earning 20": read as step 3 → 20.
    assert_eq!(
        ent(&[
            ("A", &[ENG]),
            ("B", &[ENG]),
            ("C", &[OPS]),
            ("D", &[OPS]),
            ("E", &[ARCHITECT]),
            ("F", &[ARCHITECT]),
            ("G", &[ARCHITECT])
        ]),
        20.0
    );
    // Example 2: the same two → 13.33 (the page rounds to 13.3). Examples 3 and 4 → 0.
    assert_eq!(
        ent(&[("A", &[ENG, OPS, ARCHITECT]), ("B", &[ENG, OPS, ARCHITECT])]),
        13.33
    );
    assert_eq!(
        ent(&[
            ("A", &[ENG]),
            ("B", &[ENG]),
            ("E", &[ARCHITECT]),
            ("F", &[ARCHITECT])
        ]),
        0.0
    );
    assert_eq!(
        ent(&[
            ("A", &[ENG]),
            ("C", &[OPS]),
            ("D", &[OPS]),
            ("E", &[ARCHITECT]),
            ("F", &[ARCHITECT])
        ]),
        0.0
    );
    // SMB example 1: 4 + 4 + 3 × 8 = 32. Example 2 says "earning eight points" for two people
    // but totals 24: the arithmetic (4 + 4 + 2 × 8) is read. Example 3: 4. Example 4: 0.
    assert_eq!(
        smb(&[
            ("A", &[ENG]),
            ("B", &[ENG]),
            ("C", &[OPS]),
            ("D", &[OPS]),
            ("E", &[ARCHITECT]),
            ("F", &[ARCHITECT]),
            ("G", &[ARCHITECT])
        ]),
        32.0
    );
    assert_eq!(
        smb(&[("A", &[ENG, OPS, ARCHITECT]), ("B", &[ENG, OPS, ARCHITECT])]),
        24.0
    );
    assert_eq!(
        smb(&[
            ("A", &[ENG]),
            ("B", &[ENG]),
            ("E", &[ARCHITECT]),
            ("F", &[ARCHITECT])
        ]),
        4.0
    );
    assert_eq!(smb(&[("E", &[ARCHITECT]), ("F", &[ARCHITECT])]), 0.0);
    // Net customer adds: Enterprise 2 points each (20 from ten), SMB 4 (20 from five);
    // deployments 3.33 each, 20 from six.
    let full = |t: &str, m: &str| -> f64 {
        let d = rs.designation("security").expect("s");
        let tr = d.tracks.iter().find(|x| x.track == t).expect("t");
        match &tr.metrics.iter().find(|x| x.id == m).expect("m").calc {
            Calc::SecurityNetCustomerAdds { full, .. } | Calc::SecurityDeployments { full, .. } => {
                full.value
            }
            _ => panic!(),
        }
    };
    assert_eq!(
        (
            points(20.0, 1.0, full("enterprise", "net_customer_adds")),
            points(20.0, 1.0, full("smb", "net_customer_adds"))
        ),
        (2.0, 4.0)
    );
    assert_eq!(round2(points(20.0, 1.0, full("smb", "deployments"))), 3.33);
}

#[test]
fn business_applications_page_examples() {
    let rs = rules("2026-11");
    let ba = |t: &str, m: &str, n: usize, cert: &str| {
        let people: Vec<(String, Vec<&str>)> =
            (0..n).map(|i| (format!("p{i}"), vec![cert])).collect();
        let refs: Vec<(&str, &[&str])> = people
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_slice()))
            .collect();
        skill(rs, "business_applications", t, m, &refs).1
    };
    // Intermediate: Enterprise one point each (20 from 20), SMB four (20 from five).
    assert_eq!(
        ba(
            "enterprise",
            "intermediate_certifications",
            20,
            "power-bi-data-analyst-associate"
        ),
        20.0
    );
    assert_eq!(
        ba(
            "smb",
            "intermediate_certifications",
            5,
            "intelligent-applications-builder-associate"
        ),
        20.0
    );
    // Advanced: Enterprise 2.14 each ("15 from seven"), SMB 7.5 each (15 from two).
    assert_eq!(
        ba(
            "enterprise",
            "advanced_certifications",
            1,
            "agentic-ai-business-solutions-architect"
        ),
        2.14
    );
    assert_eq!(
        ba(
            "enterprise",
            "advanced_certifications",
            7,
            "agentic-ai-business-solutions-architect"
        ),
        15.0
    );
    assert_eq!(
        ba(
            "smb",
            "advanced_certifications",
            2,
            "dynamics-365-business-central-developer-associate"
        ),
        15.0
    );
}
