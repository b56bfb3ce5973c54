//! The path to 70: replaying a plan reproduces every stated gain and qualifies; fixes for
//! findings come first when they are enough.

use pcs_workbench::model::{Date, Workspace};
use pcs_workbench::planner::{Edit, apply, lost_customers, plan};
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
    assert_eq!(
        (a.kind.as_str(), a.finding.as_deref()),
        ("fix_pal_link", Some("pal.global_id"))
    );
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
fn a_plan_that_cannot_get_there_says_what_blocks_it() {
    // No Dynamics 365 customer a year ago: usage growth has no baseline to grow from, so
    // the plan reaches 70 points and still names the metric that keeps it from qualifying.
    let ws = scenario("modern-work-2026");
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let p = plan(&ws, rules, "business_applications", today()).expect("plan");
    assert!(!p.qualified);
    assert!(p.reached >= 70.0, "{p:#?}");
    assert_eq!(p.blocked_by, ["usage_growth"]);
    let why = p.stops_because.as_deref().expect("a reason");
    assert!(why.contains("Usage growth earns 0.00 points"), "{why}");
    assert!(
        why.contains("baseline MCV in M-12 of at least 25000"),
        "{why}"
    );
    assert!(!why.contains("no further action adds points"), "{why}");
}

fn metric(ws: &Workspace, id: &str, metric: &str) -> (f64, f64) {
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let d = pcs_workbench::scoring::evaluate_designation(ws, rules, id).expect("designation");
    let x = d.metrics().iter().find(|x| x.id == metric).expect("metric");
    (x.value, x.points)
}

#[test]
fn a_partner_that_lost_customers_gets_a_bundle_that_earns_the_first_point() {
    // The partner: 50 generated customers, net customer adds -6 in Data & AI.
    let ws = pcs_workbench::generate::generate(50, 1);
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    assert_eq!(
        metric(&ws, "data_ai_azure", "net_customer_adds"),
        (-6.0, 0.0)
    );
    let lost = lost_customers(&ws, rules, "data_ai_azure");
    assert_eq!(lost.len(), 6, "{lost:#?}");
    // Each one counted a year ago and does not now, by the engine's own evaluation.
    let mut past = ws.clone();
    past.as_of = ws.as_of.plus(-12);
    let then = |ws: &Workspace| {
        let d = pcs_workbench::scoring::evaluate_designation(ws, rules, "data_ai_azure")
            .expect("designation");
        pcs_workbench::scoring::contributor_customers(
            d.metrics()
                .iter()
                .find(|x| x.id == "net_customer_adds")
                .expect("metric"),
        )
    };
    let (before, now) = (then(&past), then(&ws));
    for l in &lost {
        assert!(
            before.contains(&l.customer) && !now.contains(&l.customer),
            "{l:?}"
        );
        assert!(l.value >= 1000.0, "{l:?}");
        assert!(!l.reason.is_empty());
    }
    assert!(lost.iter().any(|l| l.reason.contains("DPOR")), "{lost:#?}");

    let p = plan(&ws, rules, "data_ai_azure", today()).expect("plan");
    let bundle = p
        .actions
        .iter()
        .find(|a| matches!(a.edit, Edit::Several { .. }))
        .expect("a bundle");
    // The six lost customers first (cheaper than new ones), then the one new customer the
    // first point still needs: -6 + 6 + 1 = 1.
    let Edit::Several { edits } = &bundle.edit else {
        unreachable!()
    };
    let new = edits
        .iter()
        .filter(|e| matches!(e, Edit::AddCustomer { .. }))
        .count();
    assert_eq!((edits.len(), new), (7, 1), "{bundle:#?}");
    assert!(bundle.title.contains("-6 → 1"), "{}", bundle.title);
    for l in &lost {
        assert!(
            bundle.steps.iter().any(|s| s.starts_with(&l.name)),
            "{} missing from {:#?}",
            l.name,
            bundle.steps
        );
    }
    // The bundle's gain is what applying all of it measures (replay checks every action).
    let mut alone = ws.clone();
    for a in p.actions.iter().take_while(|a| !std::ptr::eq(*a, bundle)) {
        apply(&mut alone, rules, &a.edit);
    }
    let before = score(&alone, "data_ai_azure").0;
    apply(&mut alone, rules, &bundle.edit);
    assert!((score(&alone, "data_ai_azure").0 - before - bundle.gain).abs() < 1e-9);
    assert!(metric(&alone, "data_ai_azure", "net_customer_adds").1 >= 1.0);
    replay_qualifies(&ws, "data_ai_azure");
}

#[test]
fn every_azure_designation_of_the_generated_partner_qualifies() {
    let ws = pcs_workbench::generate::generate(50, 1);
    for id in [
        "data_ai_azure",
        "infrastructure_azure",
        "digital_app_innovation_azure",
        "business_applications",
    ] {
        let n = replay_qualifies(&ws, id);
        assert!(n <= 10, "{id}: {n} actions");
    }
}

#[test]
fn recovering_a_lost_customer_is_preferred_over_winning_a_new_one() {
    // The demo with every fixable finding fixed and its Data & AI plan applied (it
    // qualifies), then a loss: one customer that counts now and a year ago sees its
    // consumption fall to $900 a month, below the $1,000 a customer needs.
    let mut ws = load(pcs_workbench::data::DEMO_WORKSPACE.as_bytes());
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let fixes = pcs_workbench::planner::fix_candidates(&ws, rules, today());
    for f in &fixes {
        apply(&mut ws, rules, f.edit());
    }
    for a in plan(&ws, rules, "data_ai_azure", today())
        .expect("plan")
        .actions
    {
        apply(&mut ws, rules, &a.edit);
    }
    assert!(score(&ws, "data_ai_azure").1);
    let m = ws.as_of;
    let base = lost_customers(&ws, rules, "data_ai_azure").len();
    let mut fallen = Vec::new();
    for ci in 0..ws.customers.len() {
        if !score(&ws, "data_ai_azure").1 {
            break;
        }
        let mut trial = ws.clone();
        for x in [m.plus(-1), m] {
            let total: f64 = trial.customers[ci].usage.iter().map(|u| u.acr.get(x)).sum();
            for u in &mut trial.customers[ci].usage {
                let v = u.acr.get(x);
                u.acr.set(x, (v * 900.0 / total.max(900.0)).floor());
            }
        }
        if lost_customers(&trial, rules, "data_ai_azure").len() > base + fallen.len() {
            fallen.push(trial.customers[ci].id.to_string());
            ws = trial;
        }
    }
    assert!(!score(&ws, "data_ai_azure").1, "still qualifies");
    let lost = lost_customers(&ws, rules, "data_ai_azure");
    for id in &fallen {
        let l = lost.iter().find(|l| &l.customer == id).expect("lost");
        assert!(l.reason.contains("below what the metric needs"), "{l:?}");
    }
    let p = plan(&ws, rules, "data_ai_azure", today()).expect("plan");
    assert!(!p.actions.is_empty());
    for a in &p.actions {
        // Recovering costs half of winning a new customer: no new customer is planned.
        assert_eq!(a.kind, "recover_customer", "{p:#?}");
        let Edit::RecoverCustomer { customer } = &a.edit else {
            panic!("{a:#?}")
        };
        assert!(fallen.contains(customer));
        let name = &ws.customer(customer).expect("customer").name;
        assert!(
            a.title.starts_with(&format!("Recover {name}")),
            "{}",
            a.title
        );
        assert!(
            a.steps[0].contains("below what the metric needs"),
            "{:?}",
            a.steps
        );
        assert!(a.effort < rules.planner.effort("win_customer"));
    }
    replay_qualifies(&ws, "data_ai_azure");
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

/// Fixes measured in place (each applied to the workspace, re-scored for the customers it
/// touches with a kept rescorer, undone) measure what applying the fix to a copy and
/// scoring it in full measures, fix by fix, on the demo and on generated partners with many
/// findings; `fix_gains`, which measures so, lists exactly the full re-score's gains.
#[test]
fn fix_gains_in_place_measure_what_a_full_rescore_measures() {
    use pcs_workbench::planner::{
        fix_candidates, fix_gain, fix_gain_kept, fix_gains, sort_fix_gains,
    };
    let mut measured = 0;
    for ws in [
        load(pcs_workbench::data::DEMO_WORKSPACE.as_bytes()),
        pcs_workbench::generate::generate(40, 5),
        pcs_workbench::generate::generate(25, 8),
    ] {
        let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
        let day = ws.as_of.last_day();
        let before = pcs_workbench::scoring::evaluate(&ws, rules);
        // The app's way: its own rescorer and workspace, left exactly as they were.
        let kept = pcs_workbench::scoring::Rescorer::new(&ws, rules);
        let mut app_ws = ws.clone();
        let mut all_full = Vec::new();
        for c in fix_candidates(&ws, rules, day) {
            let in_place = fix_gain_kept(&mut app_ws, &kept, rules, &before, &c);
            assert!(app_ws == ws, "the fix was undone");
            let full = fix_gain(&ws, rules, &before, &c);
            assert_eq!(
                format!("{in_place:?}"),
                format!("{full:?}"),
                "{:?}",
                c.edit()
            );
            measured += usize::from(full.is_some());
            all_full.extend(full);
        }
        sort_fix_gains(&mut all_full);
        assert_eq!(
            format!("{:?}", fix_gains(&ws, rules, day)),
            format!("{all_full:?}")
        );
    }
    assert!(measured > 5, "{measured} fixes gained points");
}

/// The planner's incremental re-score (only the customers an edit changes are prepared,
/// attributed and summed again) gives exactly the full re-score, designation by
/// designation, for random edits: the planner's own (fixes, growth, recoveries, new
/// customers and people, bundles of two) and edits the planner never makes (a customer
/// removed, which moves every later one; a line dropped; the partner's IDs changed). The
/// planner's own path, which trusts each edit to name the customers it changes
/// (`Edit::touches`) instead of comparing them, gives the same scores too.
#[test]
fn the_incremental_rescore_equals_a_full_rescore_for_random_edits() {
    use pcs_workbench::generate::{Rng, generate};
    use pcs_workbench::scoring::Rescorer;
    let mut compared = 0;
    let mut trusted = 0;
    let mut moved = 0;
    for seed in [3, 11] {
        let ws = generate(30, seed);
        let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
        let rescorer = Rescorer::new(&ws, rules);
        let before = evaluate(&ws, rules);
        let mut rng = Rng::new(seed);
        let fixes = pcs_workbench::planner::fix_candidates(&ws, rules, today());
        let ids: Vec<String> = ws.customers.iter().map(|c| c.id.to_string()).collect();
        let designations: Vec<String> = before.designations.iter().map(|d| d.id.clone()).collect();
        let random_edit = |rng: &mut Rng| -> Edit {
            let customer = rng.pick(&ids).clone();
            match rng.range(0, 5) {
                0 if !fixes.is_empty() => rng.pick(&fixes).edit().clone(),
                1 => Edit::GrowCustomer {
                    customer,
                    percent: rng.range(5, 90) as f64,
                },
                2 => Edit::RecoverCustomer { customer },
                3 => Edit::NewCustomer {
                    name: "Planned Ltd".into(),
                    designation: rng.pick(&designations).clone(),
                    size: rng.range(500, 5000) as f64,
                },
                4 => Edit::AddCertifiedPerson {
                    cert: "azure-solutions-architect-expert".into(),
                },
                _ => Edit::AddCustomer {
                    designation: rng.pick(&designations).clone(),
                },
            }
        };
        for round in 0..24 {
            let mut next = ws.clone();
            let mut applied = None;
            match round % 8 {
                // Edits the planner never makes, each scored against the same kept parts.
                6 => {
                    let ci = rng.range(0, next.customers.len() as u64 - 1) as usize;
                    next.customers.remove(ci);
                }
                7 if round == 7 => {
                    let c = &mut next.customers[rng.range(0, 29) as usize];
                    c.usage.pop();
                }
                7 => next.partner.locations.truncate(0),
                _ => {
                    let edit = if round % 3 == 0 {
                        Edit::Several {
                            edits: vec![random_edit(&mut rng), random_edit(&mut rng)],
                        }
                    } else {
                        random_edit(&mut rng)
                    };
                    apply(&mut next, rules, &edit);
                    applied = Some(edit);
                }
            }
            let full = evaluate(&next, rules);
            for d in &full.designations {
                let quick = rescorer.designation(&next, &d.id).expect("designation");
                assert_eq!(&quick, d, "seed {seed}, round {round}: {}", d.id);
                let values = rescorer
                    .designation_values(&next, &d.id)
                    .expect("designation");
                assert_eq!(unlisted(&values), unlisted(d), "seed {seed}, round {round}");
                // The planner's path: trusting the edit to name the customers it changes.
                if let Some(edit) = &applied
                    && let Some(changed) = edit.touches()
                {
                    let told = rescorer
                        .designation_changed(&next, &d.id, &changed)
                        .expect("designation");
                    assert_eq!(&told, d, "seed {seed}, round {round}: {} {edit:?}", d.id);
                    // What the planner ranks on: the same values, points and totals.
                    let values = rescorer
                        .designation_changed_values(&next, &d.id, &changed)
                        .expect("designation");
                    assert_eq!(
                        unlisted(&values),
                        unlisted(d),
                        "seed {seed}, round {round}: {} {edit:?}",
                        d.id
                    );
                    trusted += 1;
                }
                compared += 1;
            }
            assert_eq!(rescorer.evaluate(&next), full, "seed {seed}, round {round}");
            let was = &before.designations;
            moved += full
                .designations
                .iter()
                .zip(was)
                .filter(|(a, b)| a.score != b.score)
                .count();
        }
    }
    assert_eq!(compared, 2 * 24 * 6);
    assert_eq!(trusted, 2 * 18 * 6);
    // The edits move scores: the comparison is not between two unchanged workspaces.
    assert!(moved >= 24, "only {moved} designation scores moved");
}

/// The values-only re-score counts the services with credited ACR without adding their sums
/// up: a service that leaves the workspace (its one line emptied) and one that arrives (a
/// line renamed to it) move the deployments metric exactly as a full evaluation does.
#[test]
fn the_values_rescore_follows_services_that_leave_and_arrive() {
    use pcs_workbench::generate::generate;
    use pcs_workbench::scoring::Rescorer;
    let mut ws = generate(30, 5);
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    // Every customer's first line gets a service of its own.
    for (ci, c) in ws.customers.iter_mut().enumerate() {
        if let Some(u) = c.usage.first_mut() {
            u.service = format!("Service only customer {ci} uses");
        }
    }
    let deployments = |e: &pcs_workbench::scoring::Evaluation| -> Vec<f64> {
        let metrics = e.designations.iter().flat_map(|d| d.metrics());
        metrics
            .filter(|m| m.id == "deployments")
            .map(|m| m.value)
            .collect()
    };
    let rescorer = Rescorer::new(&ws, rules);
    let before = deployments(&evaluate(&ws, rules));
    let (mut left, mut arrived) = (0, 0);
    for ci in 0..ws.customers.len() {
        let id = ws.customers[ci].id.to_string();
        for leaves in [true, false] {
            let mut next = ws.clone();
            // The first line's own service leaves, or the second line's arrives.
            let Some(u) = next.customers[ci].usage.get_mut(usize::from(!leaves)) else {
                continue;
            };
            if leaves {
                let months: Vec<_> = u.acr.iter().map(|(m, _)| m).collect();
                months.into_iter().for_each(|m| u.acr.set(m, 0.0));
            } else {
                u.service = "A service no one used before".into();
            }
            let full = evaluate(&next, rules);
            for d in &full.designations {
                let values = rescorer
                    .designation_changed_values(&next, &d.id, &[id.as_str()])
                    .expect("designation");
                assert_eq!(unlisted(&values), unlisted(d), "customer {ci}: {}", d.id);
            }
            let after = deployments(&full);
            let pairs = || after.iter().zip(&before);
            match leaves {
                true if pairs().any(|(a, b)| a < b) => left += 1,
                false if pairs().any(|(a, b)| a > b) => arrived += 1,
                _ => {}
            }
        }
    }
    // The edits did move the metric, both ways.
    assert!(left >= 3 && arrived >= 1, "{left} left, {arrived} arrived");
}

/// A designation's score with every metric's contributors left out.
fn unlisted(
    d: &pcs_workbench::scoring::DesignationScore,
) -> pcs_workbench::scoring::DesignationScore {
    let mut d = d.clone();
    for t in &mut d.tracks {
        for m in t.months.iter_mut().flat_map(|m| &mut m.metrics) {
            m.contributors.clear();
        }
    }
    d
}

/// The app keeps one rescorer across edits (`Rescorer::advance`), the planner moves its on
/// (`Rescorer::rebase`): along a chain of edits, each applied to the last workspace — a
/// customer's fix, a new customer, a customer removed, the rule set switched and back —
/// every evaluation equals a full one.
#[test]
fn a_rescorer_kept_across_edits_scores_each_workspace_in_full() {
    use pcs_workbench::generate::{Rng, generate};
    use pcs_workbench::rules::rule_set;
    use pcs_workbench::scoring::Rescorer;
    let mut ws = generate(25, 7);
    let rules = rule_set(&ws.rules).expect("rules");
    let mut rescorer = Rescorer::new(&ws, rules);
    // Moved on without scoring (the planner's way), told which customers changed when known.
    let mut rebased = Rescorer::new(&ws, rules);
    let mut rng = Rng::new(7);
    let fixes = pcs_workbench::planner::fix_candidates(&ws, rules, today());
    assert!(fixes.len() > 4);
    for step in 0..12 {
        let mut fixed = None;
        match step {
            4 => {
                let ci = rng.range(0, ws.customers.len() as u64 - 1) as usize;
                ws.customers.remove(ci);
            }
            6 => ws.rules = "2023-10".into(),
            8 => ws.rules = "2026-11".into(),
            9 => apply(
                &mut ws,
                rules,
                &Edit::AddCustomer {
                    designation: "modern_work".into(),
                },
            ),
            _ => {
                let fix = rng.pick(&fixes).edit().clone();
                apply(&mut ws, rules, &fix);
                fixed = Some(fix);
            }
        }
        let rules_now = rule_set(&ws.rules).expect("rules");
        let quick = rescorer.advance(&ws, rules_now);
        let full = evaluate(&ws, rules_now);
        assert_eq!(quick, full, "step {step}");
        let changed = fixed.as_ref().and_then(Edit::touches);
        rebased.rebase(&ws, rules_now, changed.as_deref());
        for d in &full.designations {
            let told = rebased.designation(&ws, &d.id);
            assert_eq!(told.as_ref(), Some(d), "step {step}: rebased, {}", d.id);
        }
        assert!(
            rebased.workspace() == &ws,
            "step {step}: the rebased workspace"
        );
        // It keeps the workspace it scored (copying only the customers an edit changed).
        assert!(
            rescorer.workspace() == &ws,
            "step {step}: the kept workspace"
        );
    }
}

/// The findings taken from a rescorer's prepared customers are the findings prepared
/// afresh: for the workspace the rescorer keeps, for one with a customer edited (that
/// customer prepared again), and for another partner (nothing taken).
#[test]
fn findings_reusing_a_rescorers_customers_are_the_findings() {
    use pcs_workbench::findings::{findings, findings_reusing};
    use pcs_workbench::scoring::Rescorer;
    let ws = pcs_workbench::generate::generate(30, 4);
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let day = ws.as_of.last_day();
    let kept = Rescorer::new(&ws, rules);
    let mut edited = ws.clone();
    let first = edited.customers[0].id.to_string();
    apply(
        &mut edited,
        rules,
        &Edit::GrowCustomer {
            customer: first,
            percent: 80.0,
        },
    );
    edited.customers[1].identities.clear();
    let mut other_partner = ws.clone();
    other_partner.partner.locations.truncate(0);
    let taken = std::cell::Cell::new(0);
    for w in [&ws, &edited, &other_partner] {
        let reused = findings_reusing(w, rules, day, |ci| {
            let p = kept.prep_of(w, rules, ci);
            taken.set(taken.get() + usize::from(p.is_some()));
            p
        });
        assert_eq!(
            format!("{reused:?}"),
            format!("{:?}", findings(w, rules, day))
        );
    }
    assert_eq!(
        taken.get(),
        30 + 28,
        "every customer of the kept workspace, all but two edited"
    );
}

/// The designation page's explained evaluation, reusing a rescorer's parts, is the one
/// prepared afresh: for the kept workspace (compared or not), an edited one, and under other
/// rules.
#[test]
fn an_explained_designation_reusing_a_rescorer_is_the_explained_designation() {
    use pcs_workbench::scoring::{Rescorer, evaluate_explained};
    let ws = pcs_workbench::generate::generate(20, 6);
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let other_rules = pcs_workbench::rules::rule_set("2023-10").expect("2023-10");
    let kept = Rescorer::new(&ws, rules);
    let mut edited = ws.clone();
    edited.customers[2].usage.clear();
    let before = evaluate(&ws, rules);
    let mut explained = 0;
    for d in &before.designations {
        for (w, r) in [(&ws, rules), (&edited, rules), (&ws, other_rules)] {
            let reused = kept.explained(w, r, &d.id);
            if std::ptr::eq(w, &ws) && std::ptr::eq(r, rules) {
                // On the kept workspace, taken without comparing: the same.
                let uncompared = kept.explained_kept(&d.id);
                assert_eq!(format!("{uncompared:?}"), format!("{reused:?}"), "{}", d.id);
            }
            assert_eq!(
                format!("{reused:?}"),
                format!("{:?}", evaluate_explained(w, r, &d.id)),
                "{}",
                d.id
            );
            explained += reused
                .iter()
                .flat_map(|s| s.metrics())
                .filter(|m| !m.excluded.is_empty())
                .count();
        }
    }
    assert!(explained > 0, "some metric says what does not count");
}

/// The app prepares a newly opened workspace a few customers per task (`Warming`): built in
/// steps of any size, the rescorer scores as a full evaluation does, reuses every customer
/// (its findings equal the findings prepared afresh), and advances across an edit; settled a
/// designation per step, it gives the evaluation and the findings.
#[test]
fn a_rescorer_warmed_in_steps_is_the_rescorer_built_at_once() {
    use pcs_workbench::findings::{findings, findings_reusing};
    use pcs_workbench::scoring::{Rescorer, Settling, Warming};
    let ws = pcs_workbench::generate::generate(23, 9);
    for rules_id in ["2026-11", "2023-10"] {
        let mut ws = ws.clone();
        ws.rules = rules_id.into();
        let rules = pcs_workbench::rules::rule_set(rules_id).expect("rules");
        let full = evaluate(&ws, rules);
        let at_once = Rescorer::new(&ws, rules);
        for size in [1, 4, 7, 23, 100] {
            let mut warming = Warming::new(ws.clone(), rules);
            let mut steps = 0;
            while !warming.step(size) {
                steps += 1;
                assert_eq!(warming.progress(), (size * steps, 23));
            }
            assert_eq!(steps, 23_usize.div_ceil(size) - 1, "steps of {size}");
            let mut warmed = warming.finish();
            assert_eq!(warmed.workspace(), &ws);
            // Taken without comparing (the app knows it is the kept workspace): the same.
            let (_, kept) = warmed.attributed_kept();
            let (_, compared) = warmed.attributed(&ws);
            assert_eq!(format!("{kept:?}"), format!("{compared:?}"));
            for ci in 0..ws.customers.len() {
                let (a, b) = (warmed.kept_prep(ci), warmed.prep_of(&ws, rules, ci));
                assert!(a.zip(b).is_some_and(|(a, b)| std::rc::Rc::ptr_eq(&a, &b)));
            }
            assert_eq!(warmed.evaluate(&ws), full, "{rules_id}, steps of {size}");
            assert_eq!(warmed.evaluate(&ws), at_once.evaluate(&ws));
            let day = ws.as_of.last_day();
            let reused = findings_reusing(&ws, rules, day, |ci| {
                let prep = warmed.prep_of(&ws, rules, ci);
                assert!(prep.is_some(), "customer {ci} is kept");
                prep
            });
            assert_eq!(reused, findings(&ws, rules, day));
            // An edit after the warm-up re-scores as in full.
            let mut edited = ws.clone();
            edited.customers[size % 23].usage.clear();
            assert_eq!(warmed.advance(&edited, rules), evaluate(&edited, rules));
        }
        // Settled a designation per step, then its findings: the evaluation and findings of
        // the workspace, and a rescorer that advances across an edit as in full.
        let settling = Settling::new(Rescorer::new(&ws, rules), ws.as_of.last_day());
        let designations = rules.scoring.designations.len();
        assert_eq!(settling.progress(), (0, designations + 1));
        let mut settling = settling;
        let mut steps = 0;
        loop {
            let done = settling.step();
            steps += 1;
            assert_eq!(settling.progress(), (steps, designations + 1));
            if done {
                break;
            }
        }
        assert_eq!(steps, designations + 1);
        let (mut settled, evaluation, found) = settling.finish();
        assert_eq!(evaluation, full, "{rules_id}, settled");
        assert_eq!(found, findings(&ws, rules, ws.as_of.last_day()));
        assert!(
            !found.is_empty(),
            "the generated partner has something to fix"
        );
        let mut edited = ws.clone();
        edited.customers[3].usage.clear();
        assert_eq!(settled.advance(&edited, rules), evaluate(&edited, rules));
        // The findings 5 customers a step: 5 steps after the designations, the same.
        let mut settling =
            Settling::new(Rescorer::new(&ws, rules), ws.as_of.last_day()).with_findings_step(5);
        assert_eq!(settling.progress(), (0, designations + 5));
        let mut steps = 0;
        while !settling.step() {
            steps += 1;
            assert_eq!(settling.progress(), (steps, designations + 5));
        }
        assert_eq!(steps + 1, designations + 5);
        let (_, stepped, found_in_steps) = settling.finish();
        assert_eq!((&stepped, &found_in_steps), (&full, &found));
        // Finished at once, it takes every step.
        let (_, at_once, found_at_once) =
            Settling::new(Rescorer::new(&ws, rules), ws.as_of.last_day()).finish();
        assert_eq!((at_once, found_at_once), (full.clone(), found));
        // Finishing early prepares the rest.
        let mut partial = Warming::new(ws.clone(), rules);
        partial.step(5);
        assert_eq!(partial.finish().evaluate(&ws), full);
        // Summed in a step of its own (the app's task before the rest), or early, the same.
        let mut summed = Warming::new(ws.clone(), rules);
        while !summed.step(7) {}
        summed.sum();
        assert_eq!(summed.finish().evaluate(&ws), full);
        let mut summed_early = Warming::new(ws.clone(), rules);
        summed_early.step(4);
        summed_early.sum();
        assert_eq!(summed_early.progress(), (23, 23));
        let mut warmed = summed_early.finish();
        assert_eq!(warmed.evaluate(&ws), full);
        let mut edited = ws.clone();
        edited.customers[5].usage.clear();
        assert_eq!(warmed.advance(&edited, rules), evaluate(&edited, rules));
    }
}
