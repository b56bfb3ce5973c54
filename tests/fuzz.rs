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
            let r = pcs_workbench::reconcile::reconcile(&ws, rules, ws.as_of, ws.as_of.last_day());
            let _ = pcs_workbench::reconcile::to_text(&r);
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

/// The workspaces mutants start from: the demo and a small generated partner.
fn workspace_seeds() -> Vec<Value> {
    [
        pcs_workbench::data::DEMO_WORKSPACE.to_owned(),
        generate(6, 3).to_json(),
    ]
    .iter()
    .map(|t| serde_json::from_str(t).expect("seed"))
    .collect()
}

#[test]
fn mutated_workspaces_never_panic_and_valid_ones_score() {
    let n = cases(150);
    let mut rng = Rng::new(7);
    let seeds = workspace_seeds();
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

/// Cell values that have broken CSV readers and importers elsewhere.
const NASTY_CELLS: &[&str] = &[
    "",
    " ",
    "abc",
    "-1",
    "-0",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "1,234.5",
    "1,23",
    "$-5",
    "9/31/2026",
    "2/29/2025",
    "2026-13-01",
    "0000-00-00",
    "99999-01-01",
    "\"",
    "\"\"",
    "=cmd|' /C calc'!A0",
    "{7c6e1f0a-1111-4222-8333-944455556666}",
    "7C6E1F0A-1111-4222-8333-944455556666",
    "00000000-0000-0000-0000-000000000000",
    "Partner Admin Link (",
    "(PAL)",
    "CSP",
    "Indirect/CSP",
    "DPOR",
    "Teams",
    "Microsoft Certified: ",
    "é🦀\u{202e}",
    "1",
    "0",
    "true",
    "4977984",
    "4977985.0",
    "/subscriptions/x",
    "\r",
    "\n",
    ",,,,",
];

/// A CSV-aware mutation: one cell replaced, a row duplicated, dropped or cut, or the header touched.
fn mutate_csv(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return String::new();
    }
    let at = rng.range(0, lines.len() as u64 - 1) as usize;
    match rng.range(0, 5) {
        0 | 1 => {
            let mut cells: Vec<String> = lines[at].split(',').map(str::to_owned).collect();
            let c = rng.range(0, cells.len() as u64 - 1) as usize;
            cells[c] = (*rng.pick(NASTY_CELLS)).to_owned();
            lines[at] = cells.join(",");
        }
        2 => {
            let row = lines[at].clone();
            lines.insert(at, row);
        }
        3 => {
            lines.remove(at);
        }
        4 => {
            let cut = rng.range(0, lines[at].len() as u64) as usize;
            lines[at] = lines[at].chars().take(cut).collect();
        }
        _ => {
            lines[0] = lines[0].to_uppercase().replace(',', ";");
        }
    }
    lines.join("\r\n")
}

/// Read a candidate import file; when it reads, merge it into an empty workspace and the
/// demo: the merge must always give a valid workspace, which then scores.
fn import_case(name: &str, bytes: Vec<u8>, tally: &mut Tally) {
    use pcs_workbench::import::{self, MergeOptions, ReadOptions as Opts};
    tally.cases += 1;
    let stepped = import::FileReading::start(name, bytes.clone(), &Opts::default()).map(|mut r| {
        // Read as the page does, a few rows a step (and the series after them).
        while !r.step(3) {}
        r.finish()
    });
    let Ok(file) = import::read(name, bytes, &Opts::default()) else {
        assert!(stepped.is_err(), "{name}: refused at once, read in steps");
        tally.refused += 1;
        return;
    };
    match &stepped {
        Ok(s) => assert_eq!(s.facts, file.facts, "{name}: read in steps, not as at once"),
        Err(e) => panic!("{name}: read at once, refused in steps: {e:?}"),
    }
    tally.accepted += 1;
    let opts = MergeOptions {
        today: pcs_workbench::model::Date::parse("2026-11-20"),
        ..Default::default()
    };
    let month = pcs_workbench::model::Month::parse("2026-10").expect("m");
    for base in [
        import::empty_workspace("fuzz", month),
        pcs_workbench::data::demo(),
    ] {
        let plan = import::plan(&base, std::slice::from_ref(&file), &opts);
        assert!(
            plan.problems.is_empty(),
            "{name}: the merge gave an invalid workspace: {:#?}",
            plan.problems
        );
        let _ = import::merge::plan_text(&plan);
        let again = import::plan(&plan.merged, std::slice::from_ref(&file), &opts);
        assert!(
            again.is_noop(),
            "{name}: importing twice changed more: {}",
            again.headline()
        );
        if let Some(rules) = pcs_workbench::rules::rule_set(&plan.merged.rules) {
            let _ = pcs_workbench::scoring::evaluate(&plan.merged, rules);
            let _ = pcs_workbench::findings::findings(&plan.merged, rules, month.last_day());
            // Reported attribution beside the inventory, whatever the files said.
            if let Some(m) = pcs_workbench::reconcile::default_month(&plan.merged) {
                let r =
                    pcs_workbench::reconcile::reconcile(&plan.merged, rules, m, month.last_day());
                let _ = pcs_workbench::reconcile::to_json(&r);
            }
            tally.engine_runs += 1;
        }
    }
}

#[test]
fn mutated_import_files_never_panic_and_merge_into_valid_workspaces() {
    let n = cases(120);
    let mut rng = Rng::new(11);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import/");
    let csv: Vec<(&str, String)> = [
        "azure-usage.csv",
        "cpor-m365-usage.csv",
        "license-usage.csv",
        "customers-revenue.csv",
        "trainings.csv",
        "cost-export.csv",
    ]
    .iter()
    .map(|f| {
        (
            *f,
            std::fs::read_to_string(format!("{dir}{f}")).expect("fixture"),
        )
    })
    .collect();
    let bundle: Value = serde_json::from_slice(
        &std::fs::read(format!("{dir}tenant-inventory.json")).expect("bundle"),
    )
    .expect("json");
    let mut tally = Tally::default();
    for i in 0..n {
        let (name, text) = &csv[i % csv.len()];
        let mut t = text.clone();
        for _ in 0..rng.range(1, 4) {
            t = mutate_csv(&t, &mut rng);
        }
        import_case(name, t.clone().into_bytes(), &mut tally);
        let mut bytes = t.into_bytes();
        damage(&mut bytes, &mut rng);
        import_case(name, bytes, &mut tally);

        let mut v = bundle.clone();
        for _ in 0..rng.range(1, 4) {
            mutate(&mut v, &mut rng);
        }
        let mut bytes = serde_json::to_vec(&v).expect("serialises");
        import_case("bundle.json", bytes.clone(), &mut tally);
        damage(&mut bytes, &mut rng);
        import_case("bundle.json", bytes, &mut tally);
    }
    // Random bytes, and every fixture cut at every hundredth byte.
    for _ in 0..n {
        let len = rng.range(0, 400) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        import_case("random.csv", bytes, &mut tally);
    }
    for (name, text) in &csv[..2] {
        for cut in (0..text.len()).step_by(text.len() / 25 + 1) {
            import_case(name, text.as_bytes()[..cut].to_vec(), &mut tally);
        }
    }
    println!("import files: {tally:?}");
    assert!(tally.accepted > n && tally.refused > 0, "{tally:?}");
}

/// The engine worker's messages (`jobs`): a job text and the workspace text it carries,
/// mutated (hostile values in the job, byte damage to either), and answers damaged on their
/// way back. Every job ends as a plan or an error, every answer as an answer; nothing panics.
#[test]
fn mutated_worker_jobs_and_answers_never_panic() {
    use pcs_workbench::jobs::{Answer, Job, answer_text, job_text, read_answer, run};
    let n = cases(60);
    let mut rng = Rng::new(41);
    let workspace = generate(6, 3).to_json();
    let job = job_text(&Job::Plan {
        designation: "security".into(),
        today: "2026-11-22".into(),
    });
    let (mut plans, mut errors) = (0, 0);
    for i in 0..n {
        let mut j: Value = serde_json::from_str(&job).expect("job");
        if i % 2 == 0 {
            mutate(&mut j, &mut rng);
        }
        let mut job_bytes = j.to_string().into_bytes();
        let mut ws_bytes = workspace.clone().into_bytes();
        match i % 4 {
            1 => damage(&mut job_bytes, &mut rng),
            2 => damage(&mut ws_bytes, &mut rng),
            _ => {}
        }
        let job = String::from_utf8_lossy(&job_bytes);
        let ws = String::from_utf8_lossy(&ws_bytes);
        let mut told = Vec::new();
        let answer = run(&job, &ws, &mut |a| told.push(answer_text(a)), &|| 0.0);
        assert!(answer.is_final());
        match &answer {
            Answer::Plan(_) => plans += 1,
            Answer::Error(e) => {
                assert!(!e.is_empty());
                errors += 1;
            }
            // A job damaged into a benchmark: a report, on this clock all zeros.
            Answer::Bench(report) => assert!(report["steps"].is_object(), "{report}"),
            Answer::Progress(_) => unreachable!(),
        }
        // The answer as the page reads it, damaged on the way.
        let mut text = answer_text(&answer).into_bytes();
        damage(&mut text, &mut rng);
        let _ = read_answer(&String::from_utf8_lossy(&text));
        for t in &told {
            assert!(!read_answer(t).is_final());
        }
    }
    println!("worker jobs: {n} cases, {plans} planned, {errors} refused");
    assert!(plans > 0 && errors > 0, "{plans} plans, {errors} errors");
}

/// The two readers side by side: the one-pass decoder (`serde` straight into the model) and
/// the path-collecting one (a JSON tree, then `FromJson`).
fn both_readers(bytes: &[u8]) -> (Import, Import, bool) {
    use pcs_workbench::model::workspace::Workspace;
    let one_pass = std::str::from_utf8(bytes)
        .ok()
        .is_some_and(|t| serde_json::from_str::<Workspace>(t).is_ok());
    let reference = pcs_workbench::validate::read_workspace_tree(bytes, ReadOptions::default());
    // The app's reading, a few customers at a time, in one pass when it can.
    let stepped = match pcs_workbench::validate::Reading::start(bytes, ReadOptions::default()) {
        Ok(mut reading) => {
            while !reading.step(2) {}
            reading.finish()
        }
        Err(refused) => refused,
    };
    assert_same_reading(&stepped, &reference, "read in steps");
    // The app's import of a file: its customers found a few bytes per step, then read.
    let step = 1 + bytes.len() % 13;
    let found = match pcs_workbench::validate::Starting::new(bytes.to_vec(), ReadOptions::default())
        .and_then(|mut starting| {
            let mut seen = 0.0;
            while !starting.step(step) {
                let now = starting.progress();
                assert!((seen..1.0).contains(&now), "{seen} then {now}");
                seen = now;
            }
            assert_eq!(starting.progress(), 1.0);
            starting.finish()
        }) {
        Ok(reading) => reading.finish(),
        Err(refused) => refused,
    };
    assert_same_reading(&found, &reference, "found in steps");
    (
        read_workspace(bytes, ReadOptions::default()),
        reference,
        one_pass,
    )
}

fn assert_same_reading(fast: &Import, reference: &Import, what: &str) {
    match (fast, reference) {
        (
            Import::Loaded {
                workspace: a,
                warnings: wa,
            },
            Import::Loaded {
                workspace: b,
                warnings: wb,
            },
        ) => {
            assert!(
                a == b,
                "{what}: the one-pass reader decoded another workspace"
            );
            assert_eq!(wa, wb, "{what}: warnings");
        }
        (Import::Rejected { diagnostics: a }, Import::Rejected { diagnostics: b }) => {
            assert_eq!(a, b, "{what}: problems")
        }
        _ => panic!(
            "{what}: one reader loads, the other refuses: {:?} / {:?}",
            fast.diagnostics(),
            reference.diagnostics()
        ),
    }
}

#[test]
fn the_one_pass_reader_reads_what_the_path_collecting_reader_reads() {
    let n = cases(300);
    let mut rng = Rng::new(11);
    let seeds = workspace_seeds();
    let (mut one_pass, mut mutants_in_one_pass) = (0, 0);
    for i in 0..n {
        let mut v = seeds[i % seeds.len()].clone();
        let mutations = rng.range(0, 2);
        for _ in 0..mutations {
            mutate(&mut v, &mut rng);
        }
        let bytes = serde_json::to_vec(&v).expect("serialises");
        let (fast, reference, took_one_pass) = both_readers(&bytes);
        assert_same_reading(&fast, &reference, &format!("case {i}"));
        one_pass += usize::from(took_one_pass);
        mutants_in_one_pass += usize::from(took_one_pass && mutations > 0);
    }
    println!("one pass: {one_pass} of {n}, {mutants_in_one_pass} of them mutated");
    assert!(
        one_pass > n / 4 && mutants_in_one_pass > 0,
        "{one_pass}, {mutants_in_one_pass}"
    );
}

#[test]
fn what_a_json_tree_hides_is_read_the_same_by_both_readers() {
    // Written as text: repeated keys, nulls, numbers written as floats, a BOM.
    let demo = pcs_workbench::data::DEMO_WORKSPACE;
    let edits: &[(&str, &str)] = &[
        ("\"version\": 2", "\"version\": 2, \"version\": 2"),
        ("\"version\": 2", "\"version\": 2.0"),
        ("\"version\": 2", "\"version\": 1"),
        ("\"tier\": 1", "\"tier\": 1.0"),
        ("\"tier\": 1", "\"tier\": \"1\""),
        ("\"notes\": ", "\"notes\": null, \"x_notes\": "),
        ("\"cpor\": [", "\"cpor\": null, \"cpor\": ["),
        (
            "\"subscriptions\": [",
            "\"identities\": null, \"subscriptions\": [",
        ),
        ("\"linked\": true", "\"linked\": null"),
        ("\"rules\": ", "\"rules\": null, \"name\": "),
        ("\"2026-", "\"2026-05\": 1, \"2026-"),
        ("\"2026-", "\"2026-05\": -0.0, \"2026-"),
        ("\"2026-", "\"2026-05\": 1e400, \"2026-"),
        ("\"created\": \"", "\"created\": null, \"x\": \""),
        // The customers list taken apart in the text: repeated, emptied, escaped, odd.
        ("\"customers\": [", "\"customers\": [], \"customers\": ["),
        (
            "\"customers\": [",
            "\"custom\\u0065rs\": [], \"customers\": [",
        ),
        ("\"customers\": [", "\"customers\": [ , "),
        ("\"customers\": [", "\"customers\": [ 1, "),
        ("\"customers\": [", "\"customers\": [[[[]]], "),
        (
            "\"customers\": [",
            "\"x_customers\": \"customers\", \"customers\": [",
        ),
        ("\"format\"", "\"customers\": [] } { \"format\""),
    ];
    let mut texts = vec![
        format!("\u{feff}{demo}"),
        format!("{demo} x"),
        demo.replacen("\"customers\": [", "\"customers\": [ \"a\\\"]\" ,", 1),
    ];
    for (from, to) in edits {
        assert!(demo.contains(from), "{from}");
        texts.push(demo.replacen(from, to, 1));
    }
    for (i, text) in texts.iter().enumerate() {
        let (fast, reference, _) = both_readers(text.as_bytes());
        assert_same_reading(&fast, &reference, &format!("edit {i}"));
    }
}

/// Stored bodies damaged byte by byte — in the packed text, and in the JSON before packing —
/// open in steps ([`Opening`]) to what loading them in one go finds, and never panic.
#[test]
fn a_damaged_stored_workspace_opens_in_steps_as_it_loads() {
    use pcs_workbench::store::{MemoryKv, Store};
    let n = cases(150);
    let mut rng = Rng::new(23);
    let mut store = Store::new(MemoryKv::default());
    let seeds = [pcs_workbench::data::demo(), generate(30, 5)];
    let mut bodies = Vec::new();
    for (i, ws) in seeds.iter().enumerate() {
        store.save(&format!("seed{i}"), ws).expect("saved");
        bodies.push(store.backend().entries[&format!("pcs.ws.seed{i}")].clone());
        bodies.push(serde_json::to_string(ws).expect("json"));
    }
    let (mut workspaces, mut corrupt) = (0, 0);
    for i in 0..n {
        let mut body = rng.pick(&bodies).clone().into_bytes();
        if body.starts_with(b"pcsz1:") && rng.range(0, 1) == 0 {
            // Damage the JSON inside, then pack it again: inflates, then fails to read.
            let mut json =
                pcs_workbench::store::unpack(String::from_utf8(body).expect("utf-8")).into_bytes();
            damage(&mut json, &mut rng);
            let text = String::from_utf8_lossy(&json).into_owned();
            let mut again = Store::new(MemoryKv::default());
            let ws = read_workspace(text.as_bytes(), ReadOptions::default()).workspace();
            body = match ws {
                Some(ws) => {
                    again.save("x", &ws).expect("saved");
                    again.backend().entries["pcs.ws.x"].clone().into_bytes()
                }
                None => text.into_bytes(),
            };
        } else {
            damage(&mut body, &mut rng);
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        store
            .backend_mut()
            .entries
            .insert("pcs.ws.case".into(), body);
        let mut opening = store.open_in_steps("case", 1 + i % 13);
        while !opening.step() {}
        let opened = format!("{:?}", opening.finish(|| store.raw("case")));
        let loaded = store.load("case");
        match &loaded {
            pcs_workbench::store::Loaded::Workspace(_) => workspaces += 1,
            _ => corrupt += 1,
        }
        assert_eq!(opened, format!("{loaded:?}"), "case {i}");
    }
    println!("opened in steps: {workspaces} workspaces, {corrupt} refused, of {n}");
    assert!(workspaces > 0 && corrupt > n / 4, "{workspaces}, {corrupt}");
}
