//! Hostile input: structured (JSON-aware) and byte-level mutations of real workspace and
//! scenario files, fed to the importers — and, when a mutant still reads as valid, to the
//! whole engine (scoring, findings, what-if, planner). Nothing may panic or hang: every
//! input ends as a workspace or as problems with paths.
//!
//! The suite runs a few hundred cases; a long run is
//! `PCS_FUZZ_CASES=50000 cargo test --release --test fuzz -- --nocapture`
//! (it prints how many cases ran, how many were accepted and how many were refused).

use pcs_workbench::generate::{Rng, generate};
use pcs_workbench::validate::{Import, MAX_FILE_BYTES, ReadOptions, read_workspace};
use pcs_workbench::whatif::{WhatIf, compare};
use pcs_workbench::workshop::{LIBRARY, read_scenario};
use serde_json::{Value, json};

fn cases(default: usize) -> usize {
    std::env::var("PCS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Values that have broken parsers and scorers elsewhere.
fn nasty(rng: &mut Rng) -> Value {
    let deep = (0..200).fold(json!(0), |v, _| json!([v]));
    let choices = [
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(-0.0),
        json!(1e308),
        json!(-1e308),
        json!(4_294_967_296u64),
        json!(u64::MAX),
        json!(0.1),
        json!(""),
        json!("NaN"),
        json!("Infinity"),
        json!("-0"),
        json!("0000-00"),
        json!("2026-13"),
        json!("9999-12"),
        json!("0001-01"),
        json!("0001-01-01"),
        json!("9999-12-31"),
        json!("2026-02-30"),
        json!("/"),
        json!("/subscriptions//resourceGroups/x"),
        json!("<script>alert(1)</script>"),
        json!("x".repeat(100_000)),
        json!("é🦀\u{0}\u{202e}"),
        json!([]),
        json!({}),
        json!({ "2026-10": 1e308, "2026-11": -5 }),
        deep,
    ];
    choices[rng.range(0, choices.len() as u64 - 1) as usize].clone()
}

/// Every path to a node of `v`.
fn paths(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(Step::Key(k.clone()));
                paths(x, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(Step::Index(i));
                paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn node<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, s| match s {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// One structured mutation: replace a node, drop or rename a key, duplicate or drop an
/// array element, or copy one node over another.
fn mutate(v: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    let target = all[rng.range(0, all.len() as u64 - 1) as usize].clone();
    let donor = all[rng.range(0, all.len() as u64 - 1) as usize].clone();
    let copied = node(v, &donor).map(|x| x.clone());
    let replacement = nasty(rng);
    let Some(n) = node(v, &target) else { return };
    match rng.range(0, 5) {
        0 | 1 => *n = replacement,
        2 => {
            if let Some(m) = n.as_object_mut()
                && let Some(k) = m
                    .keys()
                    .nth(rng.range(0, m.len().max(1) as u64 - 1) as usize)
                    .cloned()
            {
                let x = m.remove(&k);
                if rng.chance(0.5)
                    && let Some(x) = x
                {
                    m.insert(format!("{k}_"), x);
                }
            }
        }
        3 => {
            if let Some(a) = n.as_array_mut()
                && !a.is_empty()
            {
                let i = rng.range(0, a.len() as u64 - 1) as usize;
                if rng.chance(0.5) {
                    let x = a[i].clone();
                    a.push(x);
                } else {
                    a.remove(i);
                }
            }
        }
        _ => {
            if let Some(x) = copied {
                *n = x;
            }
        }
    }
}

/// Byte-level damage: flips, cuts and stray JSON punctuation, invalid UTF-8 included.
fn damage(bytes: &mut Vec<u8>, rng: &mut Rng) {
    for _ in 0..rng.range(1, 6) {
        if bytes.is_empty() {
            return;
        }
        let at = rng.range(0, bytes.len() as u64 - 1) as usize;
        match rng.range(0, 4) {
            0 => bytes[at] = rng.next_u64() as u8,
            1 => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, *rng.pick(b"{}[]\",:0-e.\\\xff\xc3")),
            3 => bytes.truncate(at),
            _ => bytes.splice(at..at, [0xed, 0xa0, 0x80]).for_each(drop),
        }
    }
}

#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    accepted: usize,
    refused: usize,
    engine_runs: usize,
    plans: usize,
}

/// Read a candidate workspace; when it reads, run the engine over it.
fn workspace_case(bytes: &[u8], tally: &mut Tally, plan: bool) {
    tally.cases += 1;
    match read_workspace(bytes, ReadOptions::default()) {
        Import::Loaded { workspace, .. } => {
            tally.accepted += 1;
            let ws = *workspace;
            let Some(rules) = pcs_workbench::rules::rule_set(&ws.rules) else {
                return;
            };
            let before = pcs_workbench::scoring::evaluate(&ws, rules);
            let found = pcs_workbench::findings::findings(&ws, rules, ws.as_of.last_day());
            let _ = pcs_workbench::scoring::report::score_report(&before, &found);
            let mut layer = WhatIf::default();
            if let Some(c) = ws.customers.first() {
                layer.add(
                    "grow".into(),
                    pcs_workbench::planner::Edit::GrowCustomer {
                        customer: c.id.to_string(),
                        percent: 50.0,
                    },
                );
            }
            let after = pcs_workbench::scoring::evaluate(&layer.overlay(&ws, rules), rules);
            let _ = compare(&before, &after);
            tally.engine_runs += 1;
            if plan {
                for d in before.designations.iter().filter(|d| !d.qualified).take(1) {
                    let _ = pcs_workbench::planner::plan(&ws, rules, &d.id, ws.as_of.last_day());
                    tally.plans += 1;
                }
            }
        }
        Import::Rejected { diagnostics } => {
            tally.refused += 1;
            assert!(!diagnostics.is_empty(), "a refusal always says why");
        }
    }
}

#[test]
fn mutated_workspaces_never_panic_and_valid_ones_score() {
    let n = cases(150);
    let mut rng = Rng::new(7);
    let seeds: Vec<Value> = [
        pcs_workbench::data::DEMO_WORKSPACE.to_owned(),
        generate(6, 3).to_json(),
    ]
    .iter()
    .map(|t| serde_json::from_str(t).expect("seed"))
    .collect();
    let mut tally = Tally::default();
    for i in 0..n {
        let mut v = seeds[i % seeds.len()].clone();
        for _ in 0..rng.range(1, 4) {
            mutate(&mut v, &mut rng);
        }
        let mut bytes = serde_json::to_vec(&v).expect("serialises");
        workspace_case(&bytes, &mut tally, i % 40 == 0);
        damage(&mut bytes, &mut rng);
        workspace_case(&bytes, &mut tally, false);
    }
    println!("workspaces: {tally:?}");
    assert_eq!(tally.cases, 2 * n);
    assert!(tally.accepted > 0 && tally.refused > 0, "{tally:?}");
}

#[test]
fn mutated_scenarios_never_panic() {
    let n = cases(60);
    let mut rng = Rng::new(11);
    let seeds: Vec<Value> = LIBRARY
        .iter()
        .map(|t| serde_json::from_str(t).expect("seed"))
        .collect();
    let (mut ok, mut refused) = (0, 0);
    for i in 0..n {
        let mut v = seeds[i % seeds.len()].clone();
        // Aim at the exercises half the time: queries and answers are the new surface.
        for _ in 0..rng.range(1, 3) {
            if rng.chance(0.5)
                && let Some(ex) = v.get_mut("exercises")
            {
                mutate(ex, &mut rng);
            } else {
                mutate(&mut v, &mut rng);
            }
        }
        let mut text = serde_json::to_string(&v).expect("serialises");
        match read_scenario(&text) {
            Ok(s) => {
                ok += 1;
                for ex in &s.exercises {
                    let _ = s.answer(&ex.query);
                }
            }
            Err(p) => {
                refused += 1;
                assert!(!p.is_empty());
            }
        }
        let mut bytes = std::mem::take(&mut text).into_bytes();
        damage(&mut bytes, &mut rng);
        if read_scenario(&String::from_utf8_lossy(&bytes)).is_err() {
            refused += 1;
        }
    }
    println!("scenarios: {n} mutants, {ok} read, {refused} refused");
    assert!(refused > 0);
}

#[test]
fn files_near_and_over_the_size_limit_answer_clearly() {
    // A valid workspace of about 50 MB (a long note) reads; random 50 MB does not, with a
    // syntax error; past the limit the answer is the limit, without reading further.
    let mut v: Value = serde_json::from_str(pcs_workbench::data::DEMO_WORKSPACE).expect("demo");
    v["customers"][0]["notes"] = json!("n".repeat(50 * 1024 * 1024));
    let big = serde_json::to_vec(&v).expect("serialises");
    assert!(big.len() > 50 * 1024 * 1024 && big.len() < MAX_FILE_BYTES);
    assert!(
        read_workspace(&big, ReadOptions::default())
            .workspace()
            .is_some()
    );

    let mut rng = Rng::new(5);
    let noise: Vec<u8> = (0..50 * 1024 * 1024)
        .map(|_| rng.next_u64() as u8)
        .collect();
    let Import::Rejected { diagnostics } = read_workspace(&noise, ReadOptions::default()) else {
        panic!("noise read as a workspace");
    };
    assert!(
        diagnostics[0].message.contains("JSON") || diagnostics[0].message.contains("UTF-8"),
        "{}",
        diagnostics[0].message
    );

    let over = vec![b' '; MAX_FILE_BYTES + 1];
    let Import::Rejected { diagnostics } = read_workspace(&over, ReadOptions::default()) else {
        panic!("over the limit read");
    };
    assert!(
        diagnostics[0].message.contains("MB"),
        "{}",
        diagnostics[0].message
    );
}
