//! Health findings: the demo's are exactly the mistakes it was built with; each kind of
//! finding carries the right fix.

use pcs_workbench::findings::{FindingSeverity, business_days_between, findings};
use pcs_workbench::generate::generate;
use pcs_workbench::model::{Date, Workspace};
use pcs_workbench::validate::{Import, ReadOptions, read_workspace_value};
use serde_json::{Value, json};

const TODAY: &str = "2026-11-22";

fn today() -> Date {
    Date::parse(TODAY).expect("date")
}

fn demo() -> Workspace {
    pcs_workbench::data::demo()
}

fn base(edit: impl FnOnce(&mut Value)) -> Workspace {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/base.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(path).expect("base")).expect("json");
    edit(&mut v);
    match read_workspace_value(v, ReadOptions::default()) {
        Import::Loaded { workspace, .. } => *workspace,
        Import::Rejected { diagnostics } => panic!("{diagnostics:#?}"),
    }
}

fn codes(ws: &Workspace) -> Vec<(String, String, String)> {
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    findings(ws, rules, today())
        .into_iter()
        .map(|f| (f.code.to_owned(), f.customer.unwrap_or_default(), f.subject))
        .collect()
}

fn has(ws: &Workspace, code: &str) -> bool {
    codes(ws).iter().any(|(c, _, _)| c == code)
}

#[test]
fn the_demo_findings_are_exactly_its_built_in_mistakes() {
    let got = codes(&demo());
    let want: Vec<(String, String, String)> = [
        ("pal.global_id", "litware", "ada-litware"),
        ("pal.global_id", "litware", "sam-litware"),
        (
            "subscription.moved_without_link",
            "woodgrove",
            "3c2e1d0f-aaaa-4bbb-8ccc-00003c2e1d0f",
        ),
        ("cert.expired", "", "kofi"),
        ("cert.not_linked", "", "lena"),
        ("cpor.competing", "alpine", "claim-alpine"),
        (
            "customer.no_linked_identity",
            "fourth-coffee",
            "fourth-coffee",
        ),
        (
            "cua.registered_late",
            "humongous",
            "5d2c9e11-3f4a-4b6c-8d7e-9f0a1b2c3d4e",
        ),
        (
            "dpor.other_partner",
            "proseware",
            "6f5b4a3c-aaaa-4bbb-8ccc-00006f5b4a3c",
        ),
        ("cpor.partner_action_required", "wide-world", "claim-d365"),
        (
            "usage.excluded_offer",
            "gdi",
            "a3f5e4d1-aaaa-4bbb-8ccc-0000a3f5e4d1",
        ),
        ("customer.single_linked_identity", "proseware", "proseware"),
        ("pal.reader_only", "proseware", "monitor-sp"),
    ]
    .iter()
    .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn pal_global_id_fix_updates_the_link_with_tenant_and_location() {
    let ws = demo();
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let f = findings(&ws, rules, today())
        .into_iter()
        .find(|f| f.code == "pal.global_id")
        .expect("finding");
    assert_eq!(f.severity, FindingSeverity::Error);
    assert_eq!(
        f.fix.commands[0].text,
        "az login --tenant af9b4d3d-1111-4222-8333-0000af9b4d3d\naz managementpartner update --partner-id 4977985"
    );
    assert_eq!(
        f.fix.commands[1].text,
        "Connect-AzAccount -Tenant af9b4d3d-1111-4222-8333-0000af9b4d3d\nUpdate-AzManagementPartner -PartnerId 4977985"
    );
}

#[test]
fn moved_subscription_fix_has_the_dpor_link_and_email() {
    let ws = demo();
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let f = findings(&ws, rules, today())
        .into_iter()
        .find(|f| f.code == "subscription.moved_without_link")
        .expect("finding");
    let link = "https://portal.azure.com/#blade/Microsoft_Azure_Billing/PartnerInformationBlade/subscriptionId/3c2e1d0f-aaaa-4bbb-8ccc-00003c2e1d0f/partnerId/4977985";
    assert_eq!(f.fix.link.as_deref(), Some(link));
    let email = f.fix.email.expect("email");
    assert!(
        email.contains(link) && email.contains("Woodgrove Core Banking"),
        "{email}"
    );
    assert!(f.message.contains("$5,614"), "{}", f.message);
}

#[test]
fn partner_action_deadline_counts_business_days() {
    let ws = demo();
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let f = findings(&ws, rules, today())
        .into_iter()
        .find(|f| f.code == "cpor.partner_action_required")
        .expect("finding");
    // 2026-11-10 + 14 business days = 2026-11-30; from Sunday 2026-11-22 that is 6 business days.
    assert_eq!(f.fix.deadline, Date::parse("2026-11-30"));
    assert!(f.message.contains("6 business days left"), "{}", f.message);
    assert_eq!(f.severity, FindingSeverity::Warning);
    let later = findings(&ws, rules, Date::parse("2026-11-25").expect("d"));
    let f = later
        .iter()
        .find(|f| f.code == "cpor.partner_action_required")
        .expect("finding");
    assert_eq!(f.severity, FindingSeverity::Error, "deadline near");
    // Past the deadline the finding says so instead of "0 business days left".
    let overdue = findings(&ws, rules, Date::parse("2026-12-01").expect("d"));
    let f = overdue
        .iter()
        .find(|f| f.code == "cpor.partner_action_required")
        .expect("finding");
    assert_eq!(f.severity, FindingSeverity::Error);
    assert!(
        f.message.contains("needed your action by 2026-11-30")
            && f.message.contains("the deadline has passed"),
        "{}",
        f.message
    );
    assert!(f.fix.summary.contains("dispute it once within 30 days"));
    assert_eq!(
        business_days_between(
            Date::parse("2026-11-20").expect("d"),
            Date::parse("2026-11-23").expect("d")
        ),
        1
    );
}

#[test]
fn pal_identity_findings() {
    let ada = |v: &mut Value, key: &str, val: Value| v["customers"][0]["identities"][0][key] = val;
    assert!(has(
        &base(|v| ada(
            v,
            "pal",
            json!([{ "partner_id": "4977985", "from": "2023-06-02", "tenant": "home" }])
        )),
        "pal.wrong_tenant"
    ));
    assert!(has(
        &base(|v| {
            ada(v, "state", "disabled".into());
            ada(v, "state_since", "2026-01-01".into())
        }),
        "pal.identity_disabled"
    ));
    assert!(has(
        &base(|v| ada(v, "state", "deleted".into())),
        "pal.identity_deleted"
    ));
    assert!(has(
        &base(|v| ada(v, "admin_agents", true.into())),
        "pal.admin_agents"
    ));
    // Without roles (and owning no Power Platform resource, which needs none).
    let roleless = |v: &mut Value| {
        ada(v, "roles", json!([]));
        v["customers"][0]["identities"][1]["members"] = json!([]);
        v["customers"][0]["power_platform"] = json!([]);
    };
    assert!(has(&base(roleless), "pal.no_role"));
    assert!(has(
        &base(|v| {
            roleless(v);
            ada(v, "classic_admin", true.into());
        }),
        "pal.classic_admin"
    ));
    assert!(
        !has(
            &base(|v| {
                ada(v, "roles", json!([]));
                v["customers"][0]["identities"][1]["members"] = json!([]);
            }),
            "pal.no_role"
        ),
        "an app owner needs no role"
    );
    assert!(has(
        &base(|v| v["customers"][0]["identities"][0]["roles"][0]["eligible_only"] = true.into()),
        "pal.eligible_only"
    ));
    assert!(!has(&base(|_| {}), "pal.eligible_only"));
}

#[test]
fn claim_findings() {
    let history = |v: &mut Value, h: Value| v["customers"][0]["cpor"][0]["history"] = h;
    assert!(has(
        &base(|v| history(v, json!([{ "status": "draft", "on": "2026-11-01" }]))),
        "cpor.draft"
    ));
    let rejected = base(|v| {
        history(
            v,
            json!([{ "status": "submitted", "on": "2026-10-01" }, { "status": "rejected", "on": "2026-11-01" }]),
        )
    });
    assert!(has(&rejected, "cpor.dispute_window"));
    let old = base(|v| {
        history(
            v,
            json!([{ "status": "submitted", "on": "2026-08-01" }, { "status": "rejected", "on": "2026-09-01" }]),
        )
    });
    assert!(!has(&old, "cpor.dispute_window"), "the 30 days are over");
    // claim-sales (Business Applications) sits on S2, bought through CSP.
    assert!(has(&base(|_| {}), "cpor.ba_on_csp"));
}

#[test]
fn cua_findings() {
    fn deploy(via: &'static str, on: &'static str) -> impl FnOnce(&mut Value) {
        move |v: &mut Value| {
            v["cua_guids"] = json!([{ "guid": "0f3a8a0e-7b1c-4a52-9a3e-1c2d3e4f5a6b", "offer": "Backup", "registered": "2024-01-01" }]);
            v["customers"][0]["usage"][0]["deployed_with"] =
                json!({ "guid": "0f3a8a0e-7b1c-4a52-9a3e-1c2d3e4f5a6b", "via": via, "on": on });
        }
    }
    assert!(has(
        &base(deploy("arm_nested", "2024-02-01")),
        "cua.nested_only"
    ));
    assert!(has(
        &base(deploy("bicep", "2023-12-01")),
        "cua.registered_late"
    ));
    assert!(!has(
        &base(deploy("bicep", "2024-02-01")),
        "cua.registered_late"
    ));
    let unregistered = base(|v| {
        v["customers"][0]["usage"][0]["deployed_with"] = json!({ "guid": "11111111-2222-4333-8444-555555555555", "via": "terraform", "on": "2024-02-01" });
    });
    assert!(has(&unregistered, "cua.unregistered"));
    let ledger = pcs_workbench::attribution::cua::ledger(
        &base(deploy("bicep", "2024-02-01")),
        pcs_workbench::model::Month::parse("2026-10").expect("m"),
    );
    assert_eq!(ledger.deployments.len(), 1);
    assert_eq!(ledger.attributed(&ledger.deployments[0].guid), 1500.0);
}

#[test]
fn certification_findings() {
    let cert = |v: &mut Value, c: Value| v["people"][0]["certifications"] = json!([c]);
    assert!(has(
        &base(|v| cert(
            v,
            json!({ "cert": "azure-administrator-associate", "earned": "2025-01-01", "expires": "2026-12-15" })
        )),
        "cert.expiring"
    ));
    assert!(has(
        &base(|v| cert(
            v,
            json!({ "cert": "azure-administrator-associate", "earned": "2025-01-01", "expires": "2026-10-15" })
        )),
        "cert.expired"
    ));
    assert!(has(
        &base(|v| cert(
            v,
            json!({ "cert": "azure-iot-developer-specialty", "earned": "2024-01-01", "expires": null })
        )),
        "cert.retired"
    ));
    assert!(has(
        &base(|v| v["people"][0]["linked"] = false.into()),
        "cert.not_linked"
    ));
    assert!(!has(&base(|_| {}), "cert.not_linked"));
}

#[test]
fn excluded_cloud_finding() {
    assert!(has(
        &base(|v| v["customers"][0]["cloud"] = "government".into()),
        "usage.excluded_cloud"
    ));
}

#[test]
fn findings_never_panic_on_generated_workspaces() {
    for seed in 0..20 {
        let ws = generate(30, seed);
        let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
        let f = findings(&ws, rules, today());
        assert!(
            !f.is_empty(),
            "generated workspaces contain mistakes (seed {seed})"
        );
    }
}

#[test]
fn free_text_never_reaches_a_command_unquoted() {
    // An identity named like a shell injection: the command keeps only a sanitised comment.
    let hostile = "x\"; rm -rf ~; echo \"$(id)`id`\nnext";
    let ws = base(|v| {
        let ada = &mut v["customers"][0]["identities"][0];
        ada["name"] = hostile.into();
        ada["roles"] = json!([]);
        v["customers"][0]["identities"][1]["members"] = json!([]);
        v["customers"][0]["power_platform"] = json!([]);
    });
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let found = pcs_workbench::findings::findings(&ws, rules, today());
    let f = found
        .iter()
        .find(|f| f.code == "pal.no_role")
        .expect("finding");
    let text = &f.fix.commands[0].text;
    let first = text.lines().next().expect("comment");
    assert_eq!(first, "# x___rm_-rf____echo____id__id__next");
    assert_eq!(text.lines().count(), 2, "{text}");
    for bad in ["$(", "`", ";", "\"; "] {
        assert!(!text.contains(bad), "{bad} in {text}");
    }
    // Every command in every finding of the demo is built from validated IDs only.
    let demo = demo();
    for f in pcs_workbench::findings::findings(&demo, rules, today()) {
        for c in &f.fix.commands {
            assert!(!c.text.contains("$("), "{}", c.text);
        }
    }
}

#[test]
fn another_partners_dpor_says_whether_pal_still_credits_you() {
    let fix = |ws: &Workspace| {
        let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
        findings(ws, rules, today())
            .into_iter()
            .find(|f| f.code == "dpor.other_partner")
            .expect("the finding")
            .fix
            .summary
    };
    let mut ws = demo();
    assert!(fix(&ws).ends_with("PAL still credits you meanwhile."));
    // Without Proseware's PAL links, nothing credits the partner on that subscription.
    let proseware = ws
        .customers
        .iter_mut()
        .find(|c| c.id.as_str() == "proseware")
        .expect("proseware");
    for i in &mut proseware.identities {
        i.pal.clear();
    }
    let text = fix(&ws);
    assert!(
        text.ends_with("link your identities with PAL: nothing credits you on it meanwhile."),
        "{text}"
    );
}

/// The app finds a large workspace's findings a slice of customers per task
/// (`FindingSteps`): in steps of any size they are the findings found at once, and a
/// workspace without a location ID still gets its one finding.
#[test]
fn findings_in_steps_are_the_findings_found_at_once() {
    use pcs_workbench::attribution::{Prepared, Viewpoint};
    use pcs_workbench::findings::FindingSteps;
    let mut ws = generate(23, 9);
    for rules_id in ["2026-11", "2023-10"] {
        ws.rules = rules_id.into();
        let rules = pcs_workbench::rules::rule_set(rules_id).expect("rules");
        let at_once = findings(&ws, rules, today());
        assert!(at_once.len() > 23, "{} findings", at_once.len());
        let prepared = Prepared::new(&ws, rules, Viewpoint::of_workspace(&ws));
        for size in [1, 4, 7, 23, 100] {
            let mut steps = FindingSteps::default();
            let mut taken = 1;
            while !steps.step(&prepared, today(), size) {
                assert_eq!(steps.done(), size * taken);
                taken += 1;
            }
            assert_eq!(taken, 23_usize.div_ceil(size), "steps of {size}");
            assert_eq!(steps.finish(&prepared, today()), at_once, "steps of {size}");
        }
        // Finished early, it looks at the rest.
        let mut early = FindingSteps::default();
        early.step(&prepared, today(), 5);
        assert_eq!(early.finish(&prepared, today()), at_once);
    }
    let mut unlocated = ws.clone();
    unlocated.partner.locations.clear();
    let rules = pcs_workbench::rules::rule_set(&unlocated.rules).expect("rules");
    let prepared = Prepared::new(&unlocated, rules, Viewpoint::of_workspace(&unlocated));
    let found = FindingSteps::default().finish(&prepared, today());
    assert_eq!(found, findings(&unlocated, rules, today()));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "partner.no_location");
}
