//! The Partner Capability Score: Microsoft's worked examples (numbers read from the rule
//! sets, so the data is what is tested), hand-checked demo numbers, the differences
//! between rule sets, and the golden report of the demo.

use pcs_workbench::attribution::Association;
use pcs_workbench::model::{Month, Workspace};
use pcs_workbench::rules::RuleSet;
use pcs_workbench::rules::scoring::{Calc, SkillStep};
use pcs_workbench::scoring::{evaluate, points, skilling};
use pcs_workbench::validate::{Import, ReadOptions, read_workspace_value};
use serde_json::{Value, json};

fn rules(id: &str) -> &'static RuleSet {
    pcs_workbench::rules::rule_set(id).expect("rule set")
}

fn calc<'a>(rs: &'a RuleSet, designation: &str, track: &str, metric: &str) -> (&'a Calc, f64) {
    let d = rs.designation(designation).expect("designation");
    let t = d.tracks.iter().find(|t| t.track == track).expect("track");
    let m = t.metrics.iter().find(|m| m.id == metric).expect("metric");
    (&m.calc, m.max.value)
}

fn steps<'a>(
    rs: &'a RuleSet,
    designation: &str,
    track: &str,
    metric: &str,
) -> (&'a [SkillStep], f64) {
    match calc(rs, designation, track, metric) {
        (Calc::Skilling { steps }, max) => (steps, max),
        _ => panic!("not a skilling metric"),
    }
}

fn demo() -> Workspace {
    pcs_workbench::data::demo()
}

/// A workspace whose people hold the given certifications (linked, earned 2025-01-01).
fn with_people(people: &[(&str, &[&str])]) -> Workspace {
    let people: Vec<Value> = people
        .iter()
        .map(|(id, certs)| {
            json!({ "id": id, "name": id, "linked": true,
                    "certifications": certs.iter().map(|c| json!({ "cert": c, "earned": "2025-01-01" })).collect::<Vec<_>>() })
        })
        .collect();
    let v = json!({
        "format": "pcs-workbench/workspace", "version": 1, "name": "people", "as_of": "2026-10", "rules": "2026-11",
        "partner": { "name": "P", "global_id": "1000", "locations": [{ "id": "1001", "name": "P" }] },
        "people": people,
    });
    match read_workspace_value(v, ReadOptions::default()) {
        Import::Loaded { workspace, .. } => *workspace,
        Import::Rejected { diagnostics } => panic!("{diagnostics:#?}"),
    }
}

const ARCH: &str = "azure-solutions-architect-expert";
const ADMIN: &str = "azure-administrator-associate";
const SCIENTIST: &str = "azure-data-scientist-associate";
const AI: &str = "azure-ai-engineer-associate";

fn skill(ws: &Workspace, rs: &RuleSet, designation: &str, track: &str, metric: &str) -> (f64, f64) {
    let (steps, max) = steps(rs, designation, track, metric);
    let (value, pts, _) = skilling(ws, rs, steps, Month::parse("2026-10").expect("m"));
    (value, pts.min(max))
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[test]
fn microsoft_skilling_step_examples_2023_data_ai() {
    let rs = rules("2023-10");
    // A, B at step 1; C, D at step 2; E, F, G at the scoring step → 12.
    let ws = with_people(&[
        ("A", &[ARCH]),
        ("B", &[ARCH]),
        ("C", &[ADMIN]),
        ("D", &[ADMIN]),
        ("E", &[SCIENTIST]),
        ("F", &[SCIENTIST]),
        ("G", &[AI]),
    ]);
    assert_eq!(
        skill(
            &ws,
            rs,
            "data_ai_azure",
            "none",
            "intermediate_certifications"
        ),
        (3.0, 12.0)
    );
    // A and B at all three steps → 8.
    let ws = with_people(&[("A", &[ARCH, ADMIN, SCIENTIST]), ("B", &[ARCH, ADMIN, AI])]);
    assert_eq!(
        skill(
            &ws,
            rs,
            "data_ai_azure",
            "none",
            "intermediate_certifications"
        ),
        (2.0, 8.0)
    );
    // A and B at steps 1 and 3 only → 0.
    let ws = with_people(&[("A", &[ARCH, SCIENTIST]), ("B", &[ARCH, AI])]);
    assert_eq!(
        skill(
            &ws,
            rs,
            "data_ai_azure",
            "none",
            "intermediate_certifications"
        ),
        (0.0, 0.0)
    );
}

#[test]
fn microsoft_skilling_step_examples_2026_smb_data_ai() {
    let rs = rules("2026-11");
    let ws = with_people(&[
        ("A", &[ARCH]),
        ("B", &[ADMIN]),
        ("E", &[SCIENTIST]),
        ("F", &[SCIENTIST]),
        ("G", &[AI]),
    ]);
    assert_eq!(
        skill(
            &ws,
            rs,
            "data_ai_azure",
            "smb",
            "intermediate_certifications"
        ),
        (3.0, 20.0)
    );
    // Step 2 missing: the first step's 4 points are earned anyway.
    let ws = with_people(&[
        ("A", &[ARCH]),
        ("E", &[SCIENTIST]),
        ("F", &[SCIENTIST]),
        ("G", &[AI]),
    ]);
    assert_eq!(
        skill(
            &ws,
            rs,
            "data_ai_azure",
            "smb",
            "intermediate_certifications"
        ),
        (0.0, 4.0)
    );
}

#[test]
fn microsoft_security_skilling_examples() {
    const ENG: &str = "azure-security-engineer-associate";
    const M365SEC: &str = "microsoft-365-security-administrator-associate";
    const CYBER: &str = "cybersecurity-architect-expert";
    const SECOPS: &str = "security-operations-analyst-associate";
    let rs = rules("2023-10");
    for (n, want) in [(1, 6.67), (2, 13.33), (3, 20.0)] {
        let mut people: Vec<(String, Vec<&str>)> =
            vec![("P1".into(), vec![ENG]), ("P2".into(), vec![M365SEC])];
        people.extend((0..n).map(|i| (format!("S{i}"), vec![CYBER])));
        let refs: Vec<(&str, &[&str])> = people
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_slice()))
            .collect();
        let (value, pts) = skill(
            &with_people(&refs),
            rs,
            "security",
            "none",
            "intermediate_certifications",
        );
        assert_eq!((value, round2(pts)), (f64::from(n), want));
    }
    // 2026-11: step 2 is Security Operations Analyst only (the M365 Security Administrator
    // no longer counts).
    let rs = rules("2026-11");
    let smb = with_people(&[
        ("P1", &[ENG]),
        ("P2", &[SECOPS]),
        ("S1", &[CYBER]),
        ("S2", &[CYBER]),
        ("S3", &[CYBER]),
    ]);
    assert_eq!(
        skill(&smb, rs, "security", "smb", "intermediate_certifications"),
        (3.0, 32.0)
    );
    let no_step2 = with_people(&[
        ("P1", &[ENG]),
        ("S1", &[CYBER]),
        ("S2", &[CYBER]),
        ("S3", &[CYBER]),
    ]);
    assert_eq!(
        skill(
            &no_step2,
            rs,
            "security",
            "smb",
            "intermediate_certifications"
        ),
        (0.0, 4.0)
    );
    // 2026 Enterprise: both prerequisites need two people.
    assert_eq!(
        skill(
            &smb,
            rs,
            "security",
            "enterprise",
            "intermediate_certifications"
        ),
        (0.0, 0.0)
    );
}

fn mw_threshold(rs: &RuleSet, track: &str, metric: &str, a: Association) -> f64 {
    let (c, _) = calc(rs, "modern_work", track, metric);
    let thresholds = match c {
        Calc::ModernWorkUsageGrowth { thresholds, .. }
        | Calc::ModernWorkDeployments { thresholds, .. } => thresholds,
        _ => panic!("not a per-association metric"),
    };
    thresholds
        .iter()
        .find(|t| t.associations.contains(&a))
        .expect("threshold")
        .full
        .value
}

#[test]
fn microsoft_modern_work_examples() {
    let rs = rules("2026-11");
    let best = |a: f64, b: f64| a.max(b);
    // Enterprise usage growth: DPOR 2,000 → 15, CPOR 1,500 → 30 (cap) ⇒ 30.
    let dpor = points(
        30.0,
        2000.0,
        mw_threshold(rs, "enterprise", "usage_growth", Association::Dpor),
    );
    let cpor = points(
        30.0,
        1500.0,
        mw_threshold(rs, "enterprise", "usage_growth", Association::Cpor),
    );
    assert_eq!((dpor, cpor, best(dpor, cpor)), (15.0, 30.0, 30.0));
    // SMB usage growth: CSP 1,000 → 15, CPOR 1,000 → 30 ⇒ 30.
    let csp = points(
        30.0,
        1000.0,
        mw_threshold(rs, "smb", "usage_growth", Association::CspT1),
    );
    let cpor = points(
        30.0,
        1000.0,
        mw_threshold(rs, "smb", "usage_growth", Association::Cpor),
    );
    assert_eq!((csp, cpor, best(csp, cpor)), (15.0, 30.0, 30.0));
    // Enterprise deployments: DPOR 4 → 10, CPOR 3 → 15 ⇒ 15.
    let dpor = points(
        25.0,
        4.0,
        mw_threshold(rs, "enterprise", "deployments", Association::Dpor),
    );
    let cpor = points(
        25.0,
        3.0,
        mw_threshold(rs, "enterprise", "deployments", Association::Cpor),
    );
    assert_eq!((dpor, cpor, best(dpor, cpor)), (10.0, 15.0, 15.0));
    // SMB deployments: CSP 4 → 10, CPOR 4 → 20 ⇒ 20.
    let csp = points(
        25.0,
        4.0,
        mw_threshold(rs, "smb", "deployments", Association::CspT2),
    );
    let cpor = points(
        25.0,
        4.0,
        mw_threshold(rs, "smb", "deployments", Association::Cpor),
    );
    assert_eq!((csp, cpor, best(csp, cpor)), (10.0, 20.0, 20.0));
}

#[test]
fn microsoft_business_applications_mcv_example() {
    // 10 Business Central users + 50,000 Customer Insights profiles = 20,000 MCV.
    let d = rules("2026-11")
        .designation("business_applications")
        .expect("ba");
    let rate = |w: &str| {
        d.mcv_rates
            .iter()
            .find(|r| r.workload == w)
            .expect("rate")
            .rate
            .value
    };
    assert_eq!(
        10.0 * rate("business_central") + 50_000.0 * rate("customer_insights"),
        20_000.0
    );
}

#[test]
fn seventy_two_points_with_a_zero_metric_is_not_qualified() {
    // With Litware's PAL link fixed (net adds 3 → 30) but without Linus's Azure Virtual
    // Desktop Specialty (and Kofi's SAP specialty, which counted until it expired in August),
    // Infrastructure's advanced metric is 0 all window long: 30 + 12 + 0 + 20 + 10 = 72.
    let mut ws = demo();
    fix_litware(&mut ws);
    for p in &mut ws.people {
        p.certifications.retain(|c| !c.cert.ends_with("-specialty"));
    }
    let eval = evaluate(&ws, rules("2026-11"));
    let infra = eval
        .designations
        .iter()
        .find(|d| d.id == "infrastructure_azure")
        .expect("infra");
    assert_eq!(infra.score, 72.0);
    assert!(
        infra
            .metrics()
            .iter()
            .any(|m| m.id == "advanced_certifications" && m.points == 0.0)
    );
    assert!(!infra.month(ws.as_of).expect("as_of").qualified);
    assert!(!infra.qualified);
    assert_eq!(infra.best_month, None);
}

/// Sam's PAL link at Litware made with the location ID instead of the global ID.
fn fix_litware(ws: &mut Workspace) {
    let c = ws
        .customers
        .iter_mut()
        .find(|c| c.id.as_str() == "litware")
        .expect("litware");
    let sam = c
        .identities
        .iter_mut()
        .find(|i| i.id.as_str() == "sam-litware")
        .expect("sam");
    sam.pal[0].partner_id = pcs_workbench::model::PartnerId::parse("4977985").expect("id");
}

#[test]
fn hand_checked_infrastructure_on_the_demo() {
    let eval = evaluate(&demo(), rules("2026-11"));
    let infra = eval
        .designations
        .iter()
        .find(|d| d.id == "infrastructure_azure")
        .expect("infra");
    let got: Vec<(&str, f64, f64)> = infra
        .metrics()
        .iter()
        .map(|m| (m.id.as_str(), round2(m.value), round2(m.points)))
        .collect();
    assert_eq!(
        got,
        [
            // Relecloud, Trey and Humongous became eligible in the last 12 months; Woodgrove
            // stopped (moved to the Azure plan without a new link); Litware's consumption is not
            // credited (PAL linked with the global ID): 3 − 1 = 2 → 20.
            ("net_customer_adds", 2.0, 20.0),
            // Administrator prerequisite: Ada, Grace, Linus, Sam. Scoring: Grace and Sam
            // (Network Engineer), Linus (Windows Server Hybrid) → 3 × 4.
            ("intermediate_certifications", 3.0, 12.0),
            // Architect prerequisite: Ada, Grace, Mei. Scoring: Linus (AVD); Kofi's SAP expired.
            ("advanced_certifications", 1.0, 4.0),
            // Credited ACR grew by more than 20 % → capped at 20.
            ("usage_growth", 59.33, 20.0),
            // 19 distinct services (VMs excluded) → capped at 10.
            ("deployments", 19.0, 10.0),
        ]
    );
    assert_eq!(infra.score, 66.0);
    assert!(!infra.month(eval.as_of).expect("as_of").qualified);
    // Kofi's SAP specialty (to 2026-08) and more net adds qualified it in the spring.
    assert_eq!(
        (infra.qualified, infra.best_month.map(|m| m.to_string())),
        (true, Some("2026-06".into()))
    );
    assert_eq!(infra.track.as_deref(), Some("enterprise"));
    let dai = eval
        .designations
        .iter()
        .find(|d| d.id == "data_ai_azure")
        .expect("d&ai");
    assert_eq!((dai.score, dai.qualified), (58.0, false));

    // One PAL fix at Litware recovers 10 points: Infrastructure qualifies again in October.
    let mut fixed = demo();
    fix_litware(&mut fixed);
    let eval = evaluate(&fixed, rules("2026-11"));
    let infra = eval
        .designations
        .iter()
        .find(|d| d.id == "infrastructure_azure")
        .expect("infra");
    assert_eq!(infra.score, 76.0);
    assert!(infra.month(eval.as_of).expect("as_of").qualified);
    let contributors = pcs_workbench::scoring::contributor_customers(&infra.metrics()[0]);
    let want: std::collections::BTreeSet<String> = [
        "adventure-works",
        "fabrikam",
        "humongous",
        "proseware",
        "relecloud",
        "tailspin",
        "trey",
        "litware",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(contributors, want);
}

#[test]
fn changing_only_the_rule_set_gives_the_documented_differences() {
    let ws = demo();
    let e23 = evaluate(&ws, rules("2023-10"));
    let e26 = evaluate(&ws, rules("2026-11"));
    let get = |e: &pcs_workbench::scoring::Evaluation, id: &str| {
        e.designations
            .iter()
            .find(|d| d.id == id)
            .cloned()
            .expect("d")
    };
    // 2023 has no tracks for Azure and Security; 2026 scores Enterprise and SMB.
    assert_eq!(get(&e23, "infrastructure_azure").track, None);
    assert_eq!(
        get(&e26, "infrastructure_azure").track.as_deref(),
        Some("enterprise")
    );
    assert_eq!(get(&e23, "security").tracks.len(), 1);
    assert_eq!(get(&e26, "security").tracks.len(), 2);
    // D&AI: Fabric Data Engineer counts from 2026 (Ada); nobody holds a 2023-only scoring cert.
    let people = |e: &pcs_workbench::scoring::Evaluation| -> Vec<String> {
        get(e, "data_ai_azure")
            .metrics()
            .iter()
            .find(|m| m.id == "intermediate_certifications")
            .expect("m")
            .contributors
            .iter()
            .map(|c| c.item.clone())
            .collect()
    };
    assert_eq!(people(&e23), ["Omar Haddad: Azure AI Engineer Associate"]);
    assert_eq!(
        people(&e26),
        [
            "Ada Lovelace: Fabric Data Engineer Associate",
            "Omar Haddad: Azure AI Engineer Associate"
        ]
    );
    // Security: CSP counts for the Azure side only in 2026 (Tailspin, Adventure Works are CSP).
    let sec = |e: &pcs_workbench::scoring::Evaluation| get(e, "security").score;
    assert!(
        sec(&e26) > sec(&e23),
        "2026 {} vs 2023 {}",
        sec(&e26),
        sec(&e23)
    );
}

#[test]
fn the_demo_report_is_pinned() {
    use pcs_workbench::cli::{Environment, run};
    struct Env;
    impl Environment for Env {
        fn read(&self, _: &str) -> std::io::Result<Vec<u8>> {
            Ok(pcs_workbench::data::DEMO_WORKSPACE.as_bytes().to_vec())
        }
        fn today(&self) -> Option<pcs_workbench::model::Date> {
            pcs_workbench::model::Date::parse("2026-11-22")
        }
    }
    let out = run(&["score".to_owned(), "demo.json".to_owned()], &Env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let golden =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/demo-score.json");
    if std::env::var_os("PCS_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().expect("dir")).expect("mkdir");
        std::fs::write(&golden, &out.stdout).expect("write golden");
    }
    let want = std::fs::read_to_string(&golden)
        .expect("tests/golden/demo-score.json (run with PCS_BLESS=1 to create)");
    assert_eq!(
        out.stdout, want,
        "the demo report changed; if intended, run PCS_BLESS=1 cargo test --test scoring"
    );
    // The report has the contract's shape.
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["as_of"], "2026-10");
    assert_eq!(v["designations"].as_array().expect("list").len(), 6);
    assert_eq!(
        v["designations"][1]["months"]
            .as_array()
            .expect("months")
            .len(),
        6
    );
    assert!(v["findings"][0]["fix"].is_string());
}

#[test]
fn the_rule_set_diff_names_what_changed() {
    let changes = pcs_workbench::rules::scoring::diff(rules("2023-10"), rules("2026-11"));
    let find = |designation: &str, track: &str, metric: &str, parameter: &str| {
        changes
            .iter()
            .find(|c| {
                c.designation == designation
                    && c.track == track
                    && c.metric == metric
                    && c.parameter.starts_with(parameter)
            })
            .cloned()
    };
    // 2026 adds tracks, compared with the former single track: the SMB threshold halves.
    let smb = find(
        "Infrastructure (Azure)",
        "smb",
        "net_customer_adds",
        "eligible customer",
    )
    .expect("smb threshold");
    assert_eq!(
        (smb.before.as_deref(), smb.after.as_deref()),
        (Some("$1,000"), Some("$500"))
    );
    assert!(
        find(
            "Infrastructure (Azure)",
            "enterprise",
            "net_customer_adds",
            "eligible customer"
        )
        .is_none(),
        "unchanged"
    );
    assert!(
        changes.len() < 120,
        "only real changes are listed: {}",
        changes.len()
    );
    // A list parameter says what joined and what left it.
    let step3 = find(
        "Data & AI (Azure)",
        "enterprise",
        "intermediate_certifications",
        "step 3",
    )
    .expect("D&AI scoring step");
    assert!(
        step3
            .added
            .contains(&"SQL AI Developer Associate".to_owned()),
        "{step3:?}"
    );
    assert!(
        step3
            .removed
            .contains(&"Azure Data Engineer Associate".to_owned()),
        "{step3:?}"
    );
    // And the rule set's own lists, outside the metrics.
    let log = pcs_workbench::rules::changelog::changelog(rules("2023-10"), rules("2026-11"));
    let has = |area: &str, item: &str| log.iter().any(|c| c.area == area && c.item == item);
    assert!(has("certifications", "GitHub Copilot"), "{log:#?}");
    assert!(has("retirements", "Azure AI Engineer Associate"));
    assert!(has("offers", "offers on which PAL is not recognised"));
    assert!(has("security services", "Application Gateway"));
    assert!(has("badges", "Cloud & AI Platforms"));
    assert!(
        !has("security services", "Key Vault"),
        "unchanged items are not listed"
    );
    // Security: CSP joins the Azure side; the Enterprise prerequisites need two people.
    let sec = find(
        "Security",
        "enterprise",
        "net_customer_adds",
        "Azure associations",
    )
    .expect("security associations");
    assert_eq!(
        sec.after.as_deref(),
        Some("PAL, CSP (direct bill), CSP (indirect)")
    );
    // Identical rules are not listed: Modern Work's Enterprise CPOR usage threshold is 1,000 in both.
    assert!(
        find(
            "Modern Work",
            "enterprise",
            "usage_growth",
            "full points via CPOR"
        )
        .is_none()
    );
}

#[test]
fn each_metric_lists_what_does_not_count_and_why() {
    let ws = demo();
    let explained = |d: &str| {
        pcs_workbench::scoring::evaluate_explained(&ws, rules("2026-11"), d).expect("designation")
    };
    // Plain evaluation (the dashboard, the planner) does not spend time on the reasons.
    let plain = evaluate(&ws, rules("2026-11"));
    assert!(
        plain
            .designations
            .iter()
            .all(|d| d.metrics().iter().all(|m| m.excluded.is_empty()))
    );
    let metric = |d: &str, m: &str| {
        explained(d)
            .metrics()
            .iter()
            .find(|x| x.id == m)
            .cloned()
            .expect("m")
    };
    let nca = metric("infrastructure_azure", "net_customer_adds");
    let reason = |customer: &str| {
        nca.excluded
            .iter()
            .find(|e| e.customer.as_deref() == Some(customer))
            .map(|e| e.reason.clone())
    };
    assert!(
        reason("litware")
            .expect("litware")
            .contains("linked with the global ID"),
        "{:?}",
        reason("litware")
    );
    assert!(
        reason("woodgrove")
            .expect("woodgrove")
            .contains("moved to the Azure plan on 2026-03-01")
    );
    assert!(
        reason("fourth-coffee")
            .expect("fourth coffee")
            .contains("no partner of record")
    );
    assert_eq!(
        reason("fabrikam"),
        None,
        "counted customers are not excluded"
    );
    let advanced = metric("infrastructure_azure", "advanced_certifications");
    assert_eq!(advanced.excluded.len(), 1);
    assert_eq!(
        advanced.excluded[0].item,
        "Kofi Mensah: Azure for SAP Workloads Specialty"
    );
    assert_eq!(advanced.excluded[0].reason, "expired on 2026-08-01");
    // Security's Azure side looks at security services only: Fabrikam's SQL is not listed.
    let sec = metric("security", "net_customer_adds");
    assert!(
        !sec.excluded
            .iter()
            .any(|e| e.customer.as_deref() == Some("fabrikam")),
        "{:?}",
        sec.excluded
    );
    let mw = metric("modern_work", "usage_growth");
    assert!(
        mw.excluded
            .iter()
            .any(|e| e.customer.as_deref() == Some("alpine") && e.reason.contains("not approved")),
        "{:?}",
        mw.excluded
    );
}

#[test]
fn two_people_with_the_same_name_both_count() {
    let mut ws = demo();
    let rules = rules("2026-11");
    let before = evaluate(&ws, rules);
    // A second "Grace Hopper" (another person, another id) with an intermediate certification.
    let mut twin = ws.person("grace").expect("grace").clone();
    twin.id = pcs_workbench::model::Id::new("grace-2").expect("id");
    twin.certifications
        .retain(|c| c.cert == "azure-network-engineer-associate");
    assert_eq!(twin.certifications.len(), 1);
    ws.people.push(twin);
    let after = evaluate(&ws, rules);
    let points = |e: &pcs_workbench::scoring::Evaluation| {
        e.designations
            .iter()
            .find(|d| d.id == "infrastructure_azure")
            .and_then(|d| {
                d.metrics()
                    .iter()
                    .find(|m| m.id == "intermediate_certifications")
                    .cloned()
            })
            .expect("metric")
    };
    let (b, a) = (points(&before), points(&after));
    assert_eq!(
        a.contributors.len(),
        b.contributors.len() + 1,
        "{:?}",
        a.contributors
    );
    assert!(a.value > b.value);
}

#[test]
fn rule_set_changes_are_listed_once_per_designation_with_their_tracks() {
    let changes =
        pcs_workbench::rules::changelog::metric_changes(rules("2023-10"), rules("2026-11"));
    let find = |d: &str, m: &str, p: &str| {
        changes
            .iter()
            .filter(|c| {
                c.change.designation == d && c.change.metric == m && c.change.parameter == p
            })
            .collect::<Vec<_>>()
    };
    // The SMB net-adds threshold moved on the SMB track only.
    let nca = find(
        "Data & AI (Azure)",
        "net_customer_adds",
        "eligible customer: credited ACR in M or M-1 of at least",
    );
    assert_eq!(nca.len(), 1);
    assert_eq!(nca[0].tracks, ["smb"]);
    assert_eq!(nca[0].change.before.as_deref(), Some("$1,000"));
    assert_eq!(nca[0].change.after.as_deref(), Some("$500"));
    // Modern Work's usage workloads changed identically on both tracks: one row, two tracks,
    // and the list difference is named (OneDrive left; the rest only moved).
    let usage = find("Modern Work", "usage_growth", "workloads");
    assert_eq!(usage.len(), 1, "{usage:#?}");
    assert_eq!(usage[0].tracks, ["enterprise", "smb"]);
    assert_eq!(usage[0].change.removed, ["OneDrive"]);
    assert!(usage[0].change.added.is_empty());
    // A rule the new set dropped is listed with no "after": CSP as one Modern Work option
    // replaced the per-association net-adds thresholds.
    let dropped = find("Modern Work", "net_customer_adds", "full points via CPOR");
    // (Enterprise needed 5, SMB 10: two different rows.)
    assert_eq!(dropped.len(), 2, "{dropped:#?}");
    assert!(dropped.iter().all(|c| c.change.after.is_none()));
    assert_eq!(dropped[0].change.before.as_deref(), Some("5"));
    assert_eq!(dropped[1].change.before.as_deref(), Some("10"));
    // Designations come in the new rule set's order.
    let order: Vec<&str> =
        changes
            .iter()
            .map(|c| c.change.designation.as_str())
            .fold(Vec::new(), |mut v, d| {
                if v.last() != Some(&d) {
                    v.push(d);
                }
                v
            });
    assert_eq!(
        order.len(),
        6,
        "each designation appears in one run: {order:?}"
    );
}

#[test]
fn measured_values_read_as_whole_numbers_where_they_count() {
    use pcs_workbench::rules::scoring::Measure;
    let rs = rules("2026-11");
    let calc = |d: &str, m: &str| {
        rs.designation(d).expect("designation").tracks[0]
            .metrics
            .iter()
            .find(|x| x.id == m)
            .expect("metric")
            .calc
            .measure()
    };
    assert_eq!(calc("data_ai_azure", "net_customer_adds"), Measure::Count);
    assert_eq!(
        calc("data_ai_azure", "intermediate_certifications"),
        Measure::Count
    );
    assert_eq!(calc("data_ai_azure", "deployments"), Measure::Count);
    assert_eq!(calc("data_ai_azure", "usage_growth"), Measure::Percent);
    assert_eq!(calc("modern_work", "usage_growth"), Measure::Users);
    assert_eq!(calc("security", "usage_growth"), Measure::Points);
    assert_eq!(Measure::Count.show(2.0), "2");
    assert_eq!(Measure::Count.show(2.5), "2.50");
    assert_eq!(Measure::Percent.show(12.345), "12.3 %");
    assert_eq!(Measure::Users.show(315.0), "315 users");
    assert_eq!(Measure::Points.show(2.281), "2.28");
}

/// The customer pages take the dashboard's kept preparation and credits
/// (`Rescorer::attributed`): what they show — every customer's credited ACR and
/// associations in every month the scorer attributes, and every line's decisions — is what
/// a fresh preparation gives, for the kept workspace and for edits after it (a customer
/// removed, which moves every later one; a line dropped; roles revoked; the partner
/// changed, which keeps nothing).
#[test]
fn the_kept_attribution_equals_a_fresh_one_for_edits_after_it() {
    use pcs_workbench::attribution::{Prepared, Viewpoint, customer_summaries, summaries_of};
    use pcs_workbench::generate::{Rng, generate};
    use pcs_workbench::scoring::{Rescorer, window};
    let mut compared = 0;
    for seed in [2, 9] {
        let ws = generate(25, seed);
        let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
        let rescorer = Rescorer::new(&ws, rules);
        let mut rng = Rng::new(seed);
        for edit in 0..5 {
            let mut next = ws.clone();
            let ci = rng.range(0, next.customers.len() as u64 - 1) as usize;
            match edit {
                1 => {
                    next.customers.remove(ci);
                }
                2 => {
                    let c = next
                        .customers
                        .iter_mut()
                        .find(|c| !c.usage.is_empty())
                        .expect("usage");
                    c.usage.pop();
                }
                3 => next.customers[ci]
                    .identities
                    .iter_mut()
                    .for_each(|i| i.roles.clear()),
                4 => next.partner.name.push_str(" (renamed)"),
                _ => {}
            }
            let (prepared, att) = rescorer.attributed(&next);
            let fresh = Prepared::new(&next, rules, Viewpoint::of_workspace(&next));
            let (from, _, to) = window(&next, rules);
            for m in Month::range(from, to) {
                assert_eq!(
                    summaries_of(&next, &att, m),
                    customer_summaries(&next, rules, m),
                    "seed {seed}, edit {edit}, {m}"
                );
            }
            for (ci, c) in next.customers.iter().enumerate() {
                for li in 0..c.usage.len() {
                    assert_eq!(
                        prepared.explain_line(ci, li, to),
                        fresh.explain_line(ci, li, to),
                        "seed {seed}, edit {edit}, customer {ci}, line {li}"
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 200, "{compared} lines compared");
}
