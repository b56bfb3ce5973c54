//! The path to 70: replaying a plan reproduces every stated gain and qualifies; fixes for
//! findings come first when they are enough.

use pcs_workbench::model::{Date, Workspace};
use pcs_workbench::planner::{apply, plan};
use pcs_workbench::scoring::evaluate;
use pcs_workbench::validate::{ReadOptions, read_workspace};

fn today() -> Date {
    Date::parse("2026-11-22").expect("date")
}

fn load(bytes: &[u8]) -> Workspace {
    read_workspace(bytes, ReadOptions::default())
        .workspace()
        .expect("valid")
}

fn scenario(name: &str) -> Workspace {
    load(
        &std::fs::read(format!(
            "{}/tests/scenarios/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("scenario"),
    )
}

fn score(ws: &Workspace, id: &str) -> (f64, bool) {
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let e = evaluate(ws, rules);
    let d = e
        .designations
        .iter()
        .find(|d| d.id == id)
        .expect("designation");
    (d.score, d.month(ws.as_of).expect("month").qualified)
}

/// Replay the plan for `id`: each action's gain is the measured change, and the end qualifies.
fn replay_qualifies(ws: &Workspace, id: &str) -> usize {
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let p = plan(ws, rules, id, today()).expect("plan");
    let (start, qualified) = score(ws, id);
    assert!(!qualified, "{id} already qualifies");
    assert_eq!(p.start, start);
    let mut current = ws.clone();
    let mut before = start;
    for a in &p.actions {
        apply(&mut current, rules, &a.edit);
        let (after, _) = score(&current, id);
        assert!(
            (after - before - a.gain).abs() < 1e-9,
            "{id}: \"{}\" claims +{} but measures +{}",
            a.title,
            a.gain,
            after - before
        );
        assert!((after - a.score_after).abs() < 1e-9);
        before = after;
    }
    let (end, qualified) = score(&current, id);
    assert!(
        qualified && end >= 70.0,
        "{id}: the plan ends at {end}, qualified {qualified}: {p:#?}"
    );
    assert!(p.qualified && p.stops_because.is_none());
    p.actions.len()
}

#[test]
fn one_pal_fix_is_preferred_when_it_is_enough() {
    let ws = load(pcs_workbench::data::DEMO_WORKSPACE.as_bytes());
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let p = plan(&ws, rules, "infrastructure_azure", today()).expect("plan");
    assert_eq!(p.actions.len(), 1, "{p:#?}");
    let a = &p.actions[0];
    assert_eq!((a.kind, a.finding), ("fix_pal_link", Some("pal.global_id")));
    assert_eq!(a.gain, 10.0);
    assert_eq!((p.start, p.reached, p.qualified), (66.0, 76.0, true));
}

#[test]
fn replaying_the_demo_plans_qualifies_them() {
    let ws = load(pcs_workbench::data::DEMO_WORKSPACE.as_bytes());
    for id in [
        "data_ai_azure",
        "infrastructure_azure",
        "digital_app_innovation_azure",
        "security",
    ] {
        replay_qualifies(&ws, id);
    }
}

#[test]
fn replaying_the_hand_checked_scenario_plans_qualifies_them() {
    for (name, ids) in [
        (
            "azure-2026",
            &[
                "data_ai_azure",
                "infrastructure_azure",
                "digital_app_innovation_azure",
            ][..],
        ),
        ("modern-work-2026", &["modern_work"][..]),
        ("security", &["security"][..]),
        ("business-applications-2026", &["business_applications"][..]),
    ] {
        let ws = scenario(name);
        for id in ids {
            let n = replay_qualifies(&ws, id);
            assert!(n <= 10, "{name}/{id}: {n} actions");
        }
    }
}

#[test]
fn a_plan_that_cannot_get_there_says_why() {
    let ws = scenario("modern-work-2026");
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let p = plan(&ws, rules, "business_applications", today()).expect("plan");
    assert!(!p.qualified);
    assert!(p.reached < 70.0);
    assert!(p.stops_because.is_some());
}

#[test]
fn a_qualified_designation_needs_no_plan() {
    let mut ws = load(pcs_workbench::data::DEMO_WORKSPACE.as_bytes());
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let first = plan(&ws, rules, "infrastructure_azure", today())
        .expect("plan")
        .actions[0]
        .edit
        .clone();
    apply(&mut ws, rules, &first);
    let p = plan(&ws, rules, "infrastructure_azure", today()).expect("plan");
    assert!(p.actions.is_empty() && p.qualified);
}

#[test]
fn fix_gains_measure_each_finding_alone() {
    let ws = load(pcs_workbench::data::DEMO_WORKSPACE.as_bytes());
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let gains = pcs_workbench::planner::fix_gains(&ws, rules, today());
    let litware = gains
        .iter()
        .find(|g| g.finding == "pal.global_id")
        .expect("the Litware fix");
    let infra = litware
        .gains
        .iter()
        .find(|(d, _)| d == "infrastructure_azure")
        .map(|(_, g)| *g);
    assert_eq!(infra, Some(10.0));
    assert_eq!(litware.customer.as_deref(), Some("litware"));
    // Woodgrove's DPOR request recovers its net customer add too.
    assert!(gains.iter().any(|g| {
        g.finding == "subscription.moved_without_link"
            && g.gains
                .iter()
                .any(|(d, x)| d == "data_ai_azure" && *x > 0.0)
    }));
}
