//! One focused test per attribution rule, credited and refused side, on small edits of
//! `tests/data/base.json` (Fabrikam: EA subscription S1 with our DPOR, a usage line on
//! rg-data, ada-guest with Contributor on rg-data and a PAL link; a group with ada).

use pcs_workbench::attribution::{Association, Attribution, Credits, Prepared, Rule, Viewpoint};
use pcs_workbench::generate::generate;
use pcs_workbench::model::{Month, PartnerId, Workspace};
use pcs_workbench::validate::{Import, ReadOptions, read_workspace_value};
use serde_json::{Value, json};

const S1: &str = "2b1d0c9e-aaaa-4bbb-8ccc-dddddddddddd";
const S2: &str = "3c2e1d0f-aaaa-4bbb-8ccc-eeeeeeeeeeee";
const OURS: &str = "4977985";
const PGA: &str = "4977984";
const OTHER: &str = "5550001";

fn base() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/base.json");
    serde_json::from_slice(&std::fs::read(path).expect("base.json")).expect("json")
}

fn workspace(edit: impl FnOnce(&mut Value)) -> Workspace {
    let mut v = base();
    edit(&mut v);
    match read_workspace_value(v, ReadOptions::default()) {
        Import::Loaded { workspace, .. } => *workspace,
        Import::Rejected { diagnostics } => {
            panic!("the edited workspace is invalid: {diagnostics:#?}")
        }
    }
}

fn month(s: &str) -> Month {
    Month::parse(s).expect("month")
}

/// (rule, credited) of every decision about Fabrikam's usage line `line` in `m`.
fn line(ws: &Workspace, line: usize, m: &str) -> Vec<(Rule, bool)> {
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let p = Prepared::new(ws, rules, Viewpoint::of_workspace(ws));
    p.explain_line(0, line, month(m))
        .into_iter()
        .map(|d| (d.rule, d.credited))
        .collect()
}

fn workload(ws: &Workspace, w: usize, m: &str) -> Vec<(Rule, bool)> {
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let p = Prepared::new(ws, rules, Viewpoint::of_workspace(ws));
    p.explain_workload(0, w, month(m))
        .into_iter()
        .map(|d| (d.rule, d.credited))
        .collect()
}

fn credited(decisions: &[(Rule, bool)], rule: Rule) -> bool {
    decisions.contains(&(rule, true))
}

fn refused(decisions: &[(Rule, bool)], rule: Rule) -> bool {
    decisions.contains(&(rule, false))
}

fn no_dpor(v: &mut Value) {
    v["customers"][0]["subscriptions"][0]["dpor"] = json!([]);
}

fn ada(v: &mut Value) -> &mut Value {
    &mut v["customers"][0]["identities"][0]
}

fn add_usage(v: &mut Value, scope: &str) {
    v["customers"][0]["usage"]
        .as_array_mut()
        .expect("usage")
        .push(json!({ "scope": scope, "service": "Storage", "acr": { "2026-10": 100 } }));
}

fn make_csp(v: &mut Value, tier: u8, partner: &str, reseller: Option<&str>) {
    let s = &mut v["customers"][0]["subscriptions"][0];
    s["offer"] = "csp".into();
    s["dpor"] = json!([]);
    s["csp"] = json!({ "tier": tier, "partner_id": partner, "reseller_id": reseller });
}

// ---- CSP ----

#[test]
fn csp_direct_bill() {
    let ws = workspace(|v| make_csp(v, 1, OURS, None));
    assert!(credited(&line(&ws, 0, "2026-10"), Rule::CspDirectBill));
}

#[test]
fn csp_indirect_provider_and_reseller() {
    let ws = workspace(|v| make_csp(v, 2, OURS, Some(OTHER)));
    assert!(credited(
        &line(&ws, 0, "2026-10"),
        Rule::CspIndirectProvider
    ));
    let ws = workspace(|v| make_csp(v, 2, OTHER, Some(OURS)));
    let d = line(&ws, 0, "2026-10");
    assert!(credited(&d, Rule::CspIndirectReseller));
}

#[test]
fn csp_other_partner() {
    let ws = workspace(|v| {
        make_csp(v, 1, OTHER, None);
        ada(v)["pal"] = json!([]);
    });
    let d = line(&ws, 0, "2026-10");
    assert!(refused(&d, Rule::CspOtherPartner));
    assert!(!d.iter().any(|(_, c)| *c));
}

#[test]
fn csp_and_pal_on_the_same_scope_count_once_as_csp() {
    let ws = workspace(|v| make_csp(v, 1, OURS, None));
    let d = line(&ws, 0, "2026-10");
    assert!(credited(&d, Rule::CspDirectBill));
    assert!(
        credited(&d, Rule::PalCountedAsCsp),
        "PAL shown as counted once: {d:?}"
    );
    assert!(!credited(&d, Rule::PalRoleCoversScope));
}

// ---- DPOR ----

#[test]
fn dpor_active() {
    let ws = workspace(|v| ada(v)["pal"] = json!([]));
    assert!(credited(&line(&ws, 0, "2026-10"), Rule::DporActive));
    // Before it started: not yet.
    assert!(!credited(&line(&ws, 0, "2023-05"), Rule::DporActive));
}

#[test]
fn dpor_other_partner() {
    let ws = workspace(|v| {
        v["customers"][0]["subscriptions"][0]["dpor"][0]["partner_id"] = OTHER.into()
    });
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::DporOtherPartner));
}

#[test]
fn dpor_global_id() {
    let ws =
        workspace(|v| v["customers"][0]["subscriptions"][0]["dpor"][0]["partner_id"] = PGA.into());
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::DporGlobalId));
}

#[test]
fn dpor_missing() {
    let ws = workspace(no_dpor);
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::DporMissing));
}

#[test]
fn dpor_one_at_a_time_judged_on_the_last_day() {
    // Northwind until 2025-06-30, us from 2025-06-30 (ended = not active on that day).
    let ws = workspace(|v| {
        v["customers"][0]["subscriptions"][0]["dpor"] = json!([
            { "partner_id": OTHER, "from": "2023-01-01", "to": "2025-06-30" },
            { "partner_id": OURS, "from": "2025-06-30", "to": null }
        ]);
    });
    assert!(refused(&line(&ws, 0, "2025-05"), Rule::DporOtherPartner));
    assert!(credited(&line(&ws, 0, "2025-06"), Rule::DporActive));
}

#[test]
fn dpor_ended_by_move_to_azure_plan() {
    let ws = workspace(|v| {
        let s = &mut v["customers"][0]["subscriptions"][0];
        s["moved_to_azure_plan"] = "2026-03-01".into();
        ada(v)["pal"] = json!([]);
    });
    assert!(
        credited(&line(&ws, 0, "2026-02"), Rule::DporActive),
        "EA before the move"
    );
    assert!(refused(&line(&ws, 0, "2026-03"), Rule::DporEndedByMove));
}

// ---- PAL ----

#[test]
fn pal_role_covers_scope() {
    let ws = workspace(no_dpor);
    assert!(credited(&line(&ws, 0, "2026-10"), Rule::PalRoleCoversScope));
}

#[test]
fn pal_scope_is_matched_by_whole_segments_and_without_case() {
    let ws = workspace(|v| {
        no_dpor(v);
        add_usage(v, &format!("/subscriptions/{S1}/resourceGroups/rg-data2"));
        add_usage(
            v,
            &format!(
                "/SUBSCRIPTIONS/{}/resourcegroups/RG-DATA/providers/Microsoft.Sql/servers/db1",
                S1.to_uppercase()
            ),
        );
    });
    assert!(
        refused(&line(&ws, 1, "2026-10"), Rule::PalScopeNotCovered),
        "rg-data does not cover rg-data2"
    );
    assert!(
        credited(&line(&ws, 2, "2026-10"), Rule::PalRoleCoversScope),
        "case-insensitive, resource inside rg"
    );
}

#[test]
fn pal_group_role_for_linked_members() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["roles"] = json!([]);
        v["customers"][0]["identities"][1]["roles"] =
            json!([{ "role": "Contributor", "scope": format!("/subscriptions/{S1}") }]);
    });
    assert!(credited(
        &line(&ws, 0, "2026-10"),
        Rule::PalGroupRoleCoversScope
    ));
    // The group's role does nothing for a member without a link.
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["roles"] = json!([]);
        ada(v)["pal"] = json!([]);
        v["customers"][0]["identities"][1]["roles"] =
            json!([{ "role": "Contributor", "scope": format!("/subscriptions/{S1}") }]);
    });
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::PalNotLinked));
}

#[test]
fn pal_group_role_shared_by_two_linked_members() {
    // The group's role scopes are read once for both its linked members: the second's
    // link credits through them once the first's has ended, and not before it began.
    let two_members = |bob_from: &str| {
        workspace(|v| {
            no_dpor(v);
            ada(v)["roles"] = json!([]);
            ada(v)["pal"][0]["to"] = "2026-06-30".into();
            let mut bob = ada(v).clone();
            bob["id"] = "bob-guest".into();
            bob["name"] = "bob@contoso.example".into();
            bob["person"] = Value::Null;
            bob["pal"][0]["from"] = bob_from.into();
            bob["pal"][0]["to"] = Value::Null;
            let ids = v["customers"][0]["identities"]
                .as_array_mut()
                .expect("identities");
            ids[1]["roles"] =
                json!([{ "role": "Contributor", "scope": format!("/subscriptions/{S1}") }]);
            ids[1]["members"] = json!(["ada-guest", "bob-guest"]);
            ids.push(bob);
        })
    };
    let ws = two_members("2026-07-01");
    assert!(credited(
        &line(&ws, 0, "2026-10"),
        Rule::PalGroupRoleCoversScope
    ));
    let ws = two_members("2026-11-01");
    assert!(!credited(
        &line(&ws, 0, "2026-10"),
        Rule::PalGroupRoleCoversScope
    ));
}

#[test]
fn pal_lighthouse_linked_in_the_home_tenant() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["kind"] = "lighthouse".into();
        ada(v)["pal"][0]["tenant"] = "home".into();
    });
    assert!(credited(
        &line(&ws, 0, "2026-10"),
        Rule::PalLighthouseDelegation
    ));
}

#[test]
fn pal_wrong_tenant() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["pal"][0]["tenant"] = "home".into();
    });
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::PalWrongTenant));
}

#[test]
fn pal_eligible_only() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["roles"][0]["eligible_only"] = true.into();
    });
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::PalEligibleOnly));
}

#[test]
fn pal_identity_disabled_from_its_date() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["state"] = "disabled".into();
        ada(v)["state_since"] = "2026-07-15".into();
    });
    assert!(credited(&line(&ws, 0, "2026-06"), Rule::PalRoleCoversScope));
    assert!(refused(&line(&ws, 0, "2026-07"), Rule::PalIdentityDisabled));
}

#[test]
fn pal_identity_deleted() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["state"] = "deleted".into();
    });
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::PalIdentityDeleted));
}

#[test]
fn pal_admin_agents() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["admin_agents"] = true.into();
    });
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::PalAdminAgents));
}

#[test]
fn pal_classic_admin_only() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["classic_admin"] = true.into();
        ada(v)["roles"] = json!([]);
    });
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::PalClassicAdminOnly));
    // With an RBAC role as well, the RBAC role counts.
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["classic_admin"] = true.into();
    });
    assert!(credited(&line(&ws, 0, "2026-10"), Rule::PalRoleCoversScope));
}

#[test]
fn pal_no_role() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["roles"] = json!([]);
        v["customers"][0]["identities"][1]["members"] = json!([]);
    });
    assert!(refused(&line(&ws, 0, "2026-10"), Rule::PalNoRole));
}

#[test]
fn pal_global_id() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["pal"][0]["partner_id"] = PGA.into();
    });
    let d = line(&ws, 0, "2026-10");
    assert!(refused(&d, Rule::PalGlobalId));
    assert!(!d.iter().any(|(_, c)| *c));
}

#[test]
fn pal_link_and_role_judged_on_the_last_day() {
    let ws = workspace(|v| {
        no_dpor(v);
        ada(v)["pal"][0]["from"] = "2026-09-30".into();
        ada(v)["roles"][0]["to"] = "2026-11-01".into();
    });
    assert!(refused(&line(&ws, 0, "2026-08"), Rule::PalLinkNotActive));
    assert!(
        credited(&line(&ws, 0, "2026-09"), Rule::PalRoleCoversScope),
        "linked on the last day counts"
    );
    assert!(credited(&line(&ws, 0, "2026-10"), Rule::PalRoleCoversScope));
    assert!(refused(&line(&ws, 0, "2026-11"), Rule::PalRoleNotActive));
}

#[test]
fn pal_links_made_before_an_ea_move_stop_at_the_move() {
    let ws = workspace(|v| {
        no_dpor(v);
        v["customers"][0]["subscriptions"][0]["moved_to_azure_plan"] = "2026-03-01".into();
    });
    assert!(credited(&line(&ws, 0, "2026-02"), Rule::PalRoleCoversScope));
    assert!(refused(&line(&ws, 0, "2026-03"), Rule::PalEndedByMove));
    // A new link after the move counts again.
    let ws = workspace(|v| {
        no_dpor(v);
        v["customers"][0]["subscriptions"][0]["moved_to_azure_plan"] = "2026-03-01".into();
        ada(v)["pal"] = json!([
            { "partner_id": OURS, "from": "2023-06-02", "to": "2026-03-01", "tenant": "customer" },
            { "partner_id": OURS, "from": "2026-04-10", "to": null, "tenant": "customer" }
        ]);
    });
    assert!(credited(&line(&ws, 0, "2026-04"), Rule::PalRoleCoversScope));
}

#[test]
fn several_partners_on_one_scope_are_each_recognised() {
    let ws = workspace(|v| {
        no_dpor(v);
        v["customers"][0]["identities"].as_array_mut().expect("ids").push(json!({
            "id": "nw", "kind": "guest_user", "name": "ops@northwind.example", "state": "active",
            "roles": [{ "role": "Owner", "scope": format!("/subscriptions/{S1}") }],
            "pal": [{ "partner_id": OTHER, "from": "2024-01-01", "to": null, "tenant": "customer" }]
        }));
    });
    assert!(
        credited(&line(&ws, 0, "2026-10"), Rule::PalRoleCoversScope),
        "ours still counts"
    );
    let rules = pcs_workbench::rules::rule_set("2026-11").expect("rules");
    let other = PartnerId::parse(OTHER).expect("id");
    let p = Prepared::new(&ws, rules, Viewpoint::of_partner(&ws, &other));
    let d = p.explain_line(0, 0, month("2026-10"));
    assert!(
        d.iter()
            .any(|d| d.credited && d.rule == Rule::PalRoleCoversScope),
        "Northwind too: {d:?}"
    );
}

// ---- Exclusions ----

#[test]
fn excluded_offer() {
    let ws = workspace(|v| {
        let s = &mut v["customers"][0]["subscriptions"][0];
        s["offer"] = "trial".into();
    });
    assert_eq!(line(&ws, 0, "2026-10"), vec![(Rule::ExcludedOffer, false)]);
}

#[test]
fn excluded_cloud() {
    let ws = workspace(|v| v["customers"][0]["cloud"] = "china".into());
    assert_eq!(line(&ws, 0, "2026-10"), vec![(Rule::ExcludedCloud, false)]);
    assert_eq!(
        workload(&ws, 0, "2026-10"),
        vec![(Rule::ExcludedCloud, false)]
    );
}

// ---- CPOR ----

#[test]
fn cpor_approved_on_the_last_day() {
    let ws = workspace(|_| {});
    assert!(
        refused(&workload(&ws, 0, "2025-01"), Rule::CporNotApproved),
        "submitted in January"
    );
    assert!(credited(&workload(&ws, 0, "2025-02"), Rule::CporApproved));
}

#[test]
fn cpor_exclusive_latest_approval_wins() {
    let claim = |partner: &str, approved: &str| {
        json!({ "id": format!("c-{partner}"), "partner_id": partner, "area": "modern_work_security", "role": "use_or_consume",
                "workloads": ["teams"], "history": [{ "status": "approved", "on": approved }] })
    };
    let ws = workspace(|v| {
        v["customers"][0]["cpor"] = json!([claim(OURS, "2025-02-01"), claim(OTHER, "2026-05-10")])
    });
    assert!(credited(&workload(&ws, 0, "2026-04"), Rule::CporApproved));
    assert!(refused(
        &workload(&ws, 0, "2026-05"),
        Rule::CporDisassociated
    ));
}

#[test]
fn cpor_global_id() {
    let ws = workspace(|v| v["customers"][0]["cpor"][0]["partner_id"] = PGA.into());
    assert!(refused(&workload(&ws, 0, "2026-10"), Rule::CporGlobalId));
}

#[test]
fn cpor_business_applications_on_csp_refused() {
    // claim-sales is on S2, a CSP-purchased Dynamics subscription.
    let ws = workspace(|v| {
        v["customers"][0]["cpor"][1]["history"] =
            json!([{ "status": "approved", "on": "2025-03-05" }])
    });
    assert!(refused(
        &workload(&ws, 1, "2026-10"),
        Rule::CporOnCspSubscription
    ));
    let ws = workspace(|v| {
        v["customers"][0]["cpor"][1]["history"] =
            json!([{ "status": "approved", "on": "2025-03-05" }]);
        let s = &mut v["customers"][0]["subscriptions"][1];
        s["offer"] = "enterprise_agreement".into();
        s["csp"] = Value::Null;
    });
    let d = workload(&ws, 1, "2026-10");
    assert!(credited(&d, Rule::CporApproved), "{d:?}");
    assert_eq!(S2.len(), 36);
}

// ---- Power Platform ----

fn power_app_with_links(links: Value) -> Workspace {
    workspace(|v| {
        v["customers"][0]["workloads"] =
            json!([{ "workload": "power_apps", "active_users": { "2026-10": 50 } }]);
        ada(v)["pal"] = links;
        v["customers"][0]["identities"].as_array_mut().expect("ids").push(json!({
            "id": "nw", "kind": "guest_user", "name": "ops@northwind.example", "state": "active",
            "pal": [{ "partner_id": OTHER, "from": "2025-06-01", "to": null, "tenant": "customer" }]
        }));
        v["customers"][0]["power_platform"][0]["owners"] = json!(["ada-guest", "nw"]);
    })
}

#[test]
fn power_platform_owner_latest_partner_wins() {
    let ws = power_app_with_links(
        json!([{ "partner_id": OURS, "from": "2025-09-01", "to": null, "tenant": "customer" }]),
    );
    assert!(
        credited(&workload(&ws, 0, "2026-10"), Rule::PalResourceOwner),
        "our link is later"
    );
    let ws = power_app_with_links(
        json!([{ "partner_id": OURS, "from": "2024-09-01", "to": null, "tenant": "customer" }]),
    );
    assert!(
        refused(&workload(&ws, 0, "2026-10"), Rule::PalOtherPartnerLater),
        "Northwind's link is later"
    );
    assert!(
        credited(&workload(&ws, 0, "2025-05"), Rule::PalResourceOwner),
        "before Northwind linked"
    );
}

#[test]
fn power_platform_owner_not_linked() {
    let ws = workspace(|v| {
        v["customers"][0]["workloads"] = json!([{ "workload": "power_apps" }]);
        ada(v)["pal"] = json!([]);
    });
    assert!(refused(
        &workload(&ws, 0, "2026-10"),
        Rule::PalOwnerNotLinked
    ));
}

// ---- Fast path = explain path ----

#[test]
fn scoring_credits_equal_explained_credits_on_generated_workspaces() {
    for seed in 0..12 {
        let ws = generate(25, seed);
        let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
        let p = Prepared::new(&ws, rules, Viewpoint::of_workspace(&ws));
        let (from, to) = (ws.as_of.plus(-14), ws.as_of);
        let att = p.attribute(from, to);
        // The evaluation's one pass (each customer prepared, then attributed) gives the same.
        let (_, fused) = Prepared::attributed(&ws, rules, Viewpoint::of_workspace(&ws), from, to);
        for (ci, c) in ws.customers.iter().enumerate() {
            for m in Month::range(from, to) {
                let same = |what: &str, n: usize, get: &dyn Fn(&Attribution, usize) -> Credits| {
                    for i in 0..n {
                        assert_eq!(get(&fused, i), get(&att, i), "seed {seed} {what} {i} {m}");
                    }
                };
                same("line", c.usage.len(), &|a, i| a.line(ci, i, m));
                same("workload", c.workloads.len(), &|a, i| a.workload(ci, i, m));
                same("resource", c.power_platform.len(), &|a, i| {
                    a.resource(ci, i, m)
                });
                for li in 0..c.usage.len() {
                    let explained: Vec<Association> = p
                        .explain_line(ci, li, m)
                        .iter()
                        .filter(|d| d.credited)
                        .map(|d| d.association)
                        .collect();
                    let fast = att.line(ci, li, m);
                    for a in Association::ALL {
                        assert_eq!(
                            fast.has(a),
                            explained.contains(&a),
                            "seed {seed} {} line {li} {m} {a:?}",
                            c.id
                        );
                    }
                }
                for wi in 0..c.workloads.len() {
                    let explained: Vec<Association> = p
                        .explain_workload(ci, wi, m)
                        .iter()
                        .filter(|d| d.credited)
                        .map(|d| d.association)
                        .collect();
                    let fast = att.workload(ci, wi, m);
                    for a in Association::ALL {
                        assert_eq!(
                            fast.has(a),
                            explained.contains(&a),
                            "seed {seed} {} workload {wi} {m} {a:?}",
                            c.id
                        );
                    }
                }
            }
        }
    }
}
