//! The v1 workspace format: the invalid-file corpus, round trips, migrations, and
//! `pcs validate` on any bytes.

use pcs_workbench::cli::{self, Environment};
use pcs_workbench::generate::{Rng, generate};
use pcs_workbench::model::{Date, Severity, Workspace};
use pcs_workbench::validate::migrate::{Step, upgrade};
use pcs_workbench::validate::{Import, ReadOptions, read_workspace, read_workspace_value};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn data(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(path),
    )
    .expect("test data file")
}

fn load(bytes: &[u8]) -> Workspace {
    match read_workspace(bytes, ReadOptions::default()) {
        Import::Loaded { workspace, .. } => *workspace,
        Import::Rejected { diagnostics } => panic!("rejected: {diagnostics:#?}"),
    }
}

#[derive(serde::Deserialize)]
struct Expected {
    path: String,
    contains: String,
}

#[test]
fn every_invalid_file_is_rejected_at_its_path() {
    let manifest: BTreeMap<String, Expected> =
        serde_json::from_slice(&data("invalid/expected.json")).expect("manifest");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/invalid");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("invalid dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n != "expected.json")
        .collect();
    files.sort();
    assert_eq!(
        files,
        manifest.keys().cloned().collect::<Vec<_>>(),
        "each file has an expectation and back"
    );
    assert!(files.len() >= 30, "the corpus has at least 30 files");

    for (file, want) in &manifest {
        let import = read_workspace(&data(&format!("invalid/{file}")), ReadOptions::default());
        let Import::Rejected { diagnostics } = import else {
            panic!("{file} was accepted")
        };
        let hit = diagnostics.iter().any(|d| {
            d.severity == Severity::Error
                && d.path == want.path
                && d.message.contains(&want.contains)
        });
        assert!(
            hit,
            "{file}: expected an error at `{}` containing {:?}, got {diagnostics:#?}",
            want.path, want.contains
        );
    }
}

#[test]
fn the_base_file_is_valid_and_notes_keep_any_json() {
    let ws = load(&data("base.json"));
    assert_eq!(ws.customers.len(), 2);
    assert_eq!(ws.customers[1].notes["tags"][0], "fsi");
}

#[test]
fn validation_collects_every_problem_not_just_the_first() {
    let mut v: Value = serde_json::from_slice(&data("base.json")).expect("json");
    v["as_of"] = "2026-13".into();
    v["customers"][0]["subscriptions"][0]["offer"] = "ea".into();
    v["customers"][0]["identities"][0]["kind"] = "user".into();
    v["customers"][1]["segment"] = "SMB".into();
    let Import::Rejected { diagnostics } = read_workspace_value(v, ReadOptions::default()) else {
        panic!("accepted")
    };
    let paths: Vec<&str> = diagnostics.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "as_of",
            "customers[0].subscriptions[0].offer",
            "customers[0].identities[0].kind",
            "customers[1].segment"
        ]
    );
}

/// A workspace learns its partner IDs from the first Partner Center download (v2), so one
/// without a location reads, with a warning, and its one finding is to add a location.
#[test]
fn a_workspace_without_locations_reads_and_says_what_to_add() {
    let import = read_workspace(&data("no-locations.json"), ReadOptions::default());
    let Import::Loaded {
        workspace,
        warnings,
    } = import
    else {
        panic!("rejected: {:#?}", import.diagnostics())
    };
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].path, "partner.locations");
    assert!(warnings[0].message.contains("no location (PLA) ID yet"));
    let rules = pcs_workbench::rules::rule_set(&workspace.rules).expect("rules");
    let found = pcs_workbench::findings::findings(&workspace, rules, workspace.as_of.last_day());
    let codes: Vec<&str> = found.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["partner.no_location"]);
    // And a global ID is optional from version 2 on.
    let mut v: Value = serde_json::from_slice(&data("no-locations.json")).expect("json");
    v["version"] = 2.into();
    v["partner"]["global_id"] = Value::Null;
    let ws = read_workspace_value(v, ReadOptions::default())
        .workspace()
        .expect("loads");
    assert_eq!(ws.partner.global_id, None);
}

#[test]
fn warnings_do_not_block_an_import() {
    let mut v: Value = serde_json::from_slice(&data("base.json")).expect("json");
    v["customers"][0]["usage"][0]["acr"] = serde_json::json!({});
    let today = Date::parse("2026-06-15");
    let import = read_workspace_value(v, ReadOptions { today });
    let Import::Loaded { warnings, .. } = import else {
        panic!("rejected")
    };
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "as_of: warning: 2026-10 is in the future; scores for months without data will be low",
            "customers[0].usage[0].acr: warning: no consumption in any month: this line cannot earn credit",
        ]
    );
}

#[test]
fn the_demo_is_valid_without_warnings_and_written_canonically() {
    let bytes = pcs_workbench::data::DEMO_WORKSPACE.as_bytes();
    let import = read_workspace(
        bytes,
        ReadOptions {
            today: Date::parse("2026-11-22"),
        },
    );
    assert!(
        import.diagnostics().is_empty(),
        "{:#?}",
        import.diagnostics()
    );
    let ws = import.workspace().expect("demo loads");
    // Export of the demo is the demo, byte for byte.
    assert_eq!(ws.to_json(), pcs_workbench::data::DEMO_WORKSPACE);
    assert!(ws.customers.len() >= 15 && ws.people.len() >= 12);
    assert_eq!(ws.partner.locations.len(), 2);
}

#[test]
fn export_import_export_is_byte_identical_for_generated_workspaces() {
    for seed in 0..40 {
        let ws = generate(3 + (seed as usize % 17), seed);
        let first = ws.to_json();
        let import = read_workspace(first.as_bytes(), ReadOptions::default());
        if let Import::Rejected { diagnostics } = &import {
            panic!("seed {seed}: a generated workspace must be valid: {diagnostics:#?}");
        }
        let again = import.workspace().expect("loaded");
        assert_eq!(again, ws, "seed {seed}: the same workspace comes back");
        assert_eq!(
            again.to_json(),
            first,
            "seed {seed}: the same bytes come back"
        );
    }
}

#[test]
fn generation_is_deterministic_and_sized() {
    assert_eq!(generate(10, 7).to_json(), generate(10, 7).to_json());
    assert_ne!(generate(10, 7).to_json(), generate(10, 8).to_json());
    let ws = generate(50, 1);
    assert_eq!(ws.customers.len(), 50);
    assert_eq!(ws.people.len(), 10);
}

/// A test-only format version 2 that renames `customers[].cpor` to `claims`.
fn v2_rename_claims(mut v: Value) -> Value {
    if let Some(customers) = v.get_mut("customers").and_then(Value::as_array_mut) {
        for c in customers {
            if let Some(obj) = c.as_object_mut()
                && let Some(claims) = obj.remove("cpor")
            {
                obj.insert("claims".into(), claims);
            }
        }
    }
    v
}

#[test]
fn a_v1_file_still_imports_after_a_v2_change() {
    let v1: Value = serde_json::from_slice(&data("base.json")).expect("json");
    let steps = [Step {
        from: 1,
        apply: v2_rename_claims,
    }];
    let v2 = upgrade(v1.clone(), 2, &steps).expect("upgrades");
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["customers"][0]["claims"], v1["customers"][0]["cpor"]);
    assert!(v2["customers"][0].get("cpor").is_none());
    // A file already at version 2 passes through unchanged; a newer one is refused.
    assert_eq!(upgrade(v2.clone(), 2, &steps).expect("same version"), v2);
    let mut v3 = v2;
    v3["version"] = 3.into();
    let err = upgrade(v3, 2, &steps).expect_err("newer than supported");
    assert_eq!(err.path, "version");
}

struct Fake {
    files: BTreeMap<String, Vec<u8>>,
}

impl Environment for Fake {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "No such file"))
    }
    fn today(&self) -> Option<Date> {
        Date::parse("2026-11-22")
    }
}

fn run(args: &[&str], files: &[(&str, Vec<u8>)]) -> cli::Output {
    let env = Fake {
        files: files
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    };
    cli::run(
        &args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        &env,
    )
}

#[test]
fn pcs_validate_exit_codes_and_output() {
    let ok = run(
        &["validate", "demo.json"],
        &[(
            "demo.json",
            pcs_workbench::data::DEMO_WORKSPACE.as_bytes().to_vec(),
        )],
    );
    assert_eq!(ok.code, 0);
    assert_eq!(
        ok.stdout,
        "OK \"Contoso Cloud — demo self-assessment\" (as of 2026-10, rules 2026-11): 16 customers, 18 subscriptions, \
         29 usage lines, 18 identities, 5 claims, 12 people\n"
    );

    let bad = run(
        &["validate", "bad.json"],
        &[("bad.json", data("invalid/unknown-offer.json"))],
    );
    assert_eq!(bad.code, 1);
    assert_eq!(
        bad.stderr,
        "bad.json: 1 problem found; nothing was loaded\n  customers[0].subscriptions[0].offer: unknown offer \"ea\"; did you mean \"enterprise_agreement\"?\n"
    );

    let missing = run(&["validate", "nope.json"], &[]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read nope.json"));
    assert_eq!(run(&["validate"], &[]).code, 2);
    assert_eq!(run(&["frobnicate"], &[]).code, 2);
    assert_eq!(
        run(&["--version"], &[]).stdout,
        format!("pcs {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// `pcs validate` on arbitrary bytes: random noise, every truncation of a valid file,
/// and random byte edits of it. It must answer 0 or 1, never panic. Raise
/// `PCS_FUZZ_CASES` for a longer run.
#[test]
fn pcs_validate_never_panics_on_any_bytes() {
    let cases: usize = std::env::var("PCS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed_file = data("base.json");
    let mut rng = Rng::new(42);
    let check = |bytes: Vec<u8>| {
        let out = run(&["validate", "f"], &[("f", bytes)]);
        assert!(
            out.code <= 1,
            "unexpected exit {}: {}",
            out.code,
            out.stderr
        );
    };
    for cut in (0..seed_file.len()).step_by(7) {
        check(seed_file[..cut].to_vec());
    }
    for _ in 0..cases {
        let mut bytes = seed_file.clone();
        for _ in 0..rng.range(1, 8) {
            if bytes.is_empty() {
                break;
            }
            let at = rng.range(0, bytes.len() as u64 - 1) as usize;
            match rng.range(0, 3) {
                0 => bytes[at] = rng.next_u64() as u8,
                1 => {
                    bytes.remove(at);
                }
                2 => bytes.insert(at, *rng.pick(b"{}[]\",:0-e.\\")),
                _ => bytes.truncate(at),
            }
        }
        check(bytes);
        let noise: Vec<u8> = (0..rng.range(0, 64))
            .map(|_| rng.next_u64() as u8)
            .collect();
        check(noise);
    }
    // Deep nesting and huge numbers.
    check(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes());
    check(b"{\"version\": 1e999999, \"format\": \"pcs-workbench/workspace\"}".to_vec());
    check(
        String::from_utf8_lossy(&seed_file)
            .replace(
                "\"Fabrikam Ltd\"",
                &format!("\"{}\"", "x".repeat(5_000_000)),
            )
            .into_bytes(),
    );
}

#[test]
fn pcs_explain_tells_why_for_one_customer() {
    let demo = pcs_workbench::data::DEMO_WORKSPACE.as_bytes().to_vec();
    let out = run(
        &["explain", "demo.json", "--customer", "litware"],
        &[("demo.json", demo.clone())],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("Litware Inc (litware) — 2026-10\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(
        "  ✗ Azure Synapse Analytics on rg-lake — $2,754 in 2026-10\n      - not DPOR: no partner of record is set on Litware Analytics\n"
    ));
    assert!(out.stdout.contains("- not PAL: sam@contoso.example is linked with the global ID Contoso Cloud global ID (4977984)"));
    assert!(out.stdout.contains("[error] pal.global_id litware:"));

    let json = run(
        &[
            "explain",
            "demo.json",
            "--customer",
            "proseware",
            "--month",
            "2026-09",
            "--json",
        ],
        &[("demo.json", demo.clone())],
    );
    let v: Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["month"], "2026-09");
    let first = &v["items"][0];
    assert_eq!(first["credited"], true);
    assert_eq!(first["decisions"][1]["rule"], "pal_role_covers_scope");
    assert_eq!(first["decisions"][1]["subject"]["role"], "Reader");

    assert_eq!(
        run(
            &["explain", "demo.json", "--customer", "nobody"],
            &[("demo.json", demo.clone())]
        )
        .code,
        2
    );
    assert_eq!(
        run(
            &["explain", "demo.json", "--month", "2026-13"],
            &[("demo.json", demo)]
        )
        .code,
        2
    );
}

#[test]
fn pcs_score_honours_rules_override() {
    let demo = pcs_workbench::data::DEMO_WORKSPACE.as_bytes().to_vec();
    let out = run(
        &["score", "demo.json", "--rules", "2023-10"],
        &[("demo.json", demo.clone())],
    );
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["rules"], "2023-10");
    assert_eq!(v["designations"][1]["track"], Value::Null);
    assert_eq!(
        run(
            &["score", "demo.json", "--rules", "1999-01"],
            &[("demo.json", demo)]
        )
        .code,
        2
    );
}

#[test]
fn pcs_generate_writes_a_valid_deterministic_workspace() {
    let a = run(&["generate", "--customers", "12", "--seed", "4"], &[]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(
        a.stdout,
        run(&["generate", "--customers", "12", "--seed", "4"], &[]).stdout
    );
    let v = run(
        &["validate", "g.json"],
        &[("g.json", a.stdout.into_bytes())],
    );
    assert_eq!(v.code, 0, "{}", v.stderr);
    assert!(v.stdout.contains("12 customers"));
    assert_eq!(run(&["generate", "--customers", "0"], &[]).code, 2);
    assert_eq!(run(&["generate", "--customers", "x"], &[]).code, 2);
}

#[test]
fn pcs_bench_reports_every_step() {
    let out = run(
        &["bench", "demo.json", "--runs", "1"],
        &[(
            "demo.json",
            pcs_workbench::data::DEMO_WORKSPACE.as_bytes().to_vec(),
        )],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    for step in pcs_workbench::bench::STEPS {
        assert!(v["steps"][step]["median_ms"].as_f64().is_some(), "{step}");
    }
    assert_eq!(v["counts"]["customers"], 16);
    // Every step against its floor: reading against serde_json's own pass, the engine's
    // steps against one pass over every monthly value.
    for step in ["parse", "validate", "full_evaluation", "findings"] {
        assert!(
            v["multiples_of_floor"][step]
                .as_f64()
                .is_some_and(|x| x > 0.0),
            "{step}: {}",
            v["multiples_of_floor"]
        );
    }
    let ws = pcs_workbench::data::demo();
    let by_hand: f64 = ws
        .customers
        .iter()
        .flat_map(|c| {
            c.usage
                .iter()
                .map(|u| u.acr.iter().map(|(_, v)| v).sum::<f64>())
        })
        .sum::<f64>()
        + ws.customers
            .iter()
            .flat_map(|c| &c.workloads)
            .flat_map(|w| [&w.paid_seats, &w.active_users, &w.revenue])
            .map(|s| s.iter().map(|(_, v)| v).sum::<f64>())
            .sum::<f64>();
    assert!(by_hand > 0.0);
    assert!((pcs_workbench::bench::sum_every_value(&ws) - by_hand).abs() < 1e-6);
}

/// Reading a few customers at a time (the app's import with progress), in one pass or
/// through the JSON tree, or with its customers first found a slice of the text per step,
/// gives exactly what reading in one go gives: the same workspace, the same problems in the
/// same order.
#[test]
fn reading_step_by_step_equals_reading_at_once() {
    use pcs_workbench::validate::{Import, ReadOptions, Reading, Starting, read_workspace};
    let mut files: Vec<Vec<u8>> = std::fs::read_dir("tests/data/invalid")
        .expect("corpus")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| std::fs::read(e.path()).expect("file"))
        .collect();
    files.push(data("base.json"));
    files.push(generate(30, 9).to_json().into_bytes());
    let outcome = |i: Import| match i {
        Import::Loaded {
            workspace,
            warnings,
        } => (Some(workspace), format!("{warnings:?}")),
        Import::Rejected { diagnostics } => (None, format!("{diagnostics:?}")),
    };
    let mut stepped_some = 0;
    for bytes in &files {
        let at_once = outcome(read_workspace(bytes, ReadOptions::default()));
        for start in [Reading::start, Reading::through_tree] {
            let stepped = match start(bytes, ReadOptions::default()) {
                Ok(mut r) => {
                    let mut steps = 0;
                    while !r.step(7) {
                        steps += 1;
                        let (done, total) = r.progress();
                        assert!(done < total);
                    }
                    stepped_some += usize::from(steps > 0);
                    outcome(r.finish())
                }
                Err(refused) => outcome(refused),
            };
            assert_eq!(stepped, at_once);
        }
        // Its customers found 64 bytes per step first (the app's import of a file).
        let found = match Starting::new(bytes.clone(), ReadOptions::default()) {
            Ok(mut starting) => {
                while !starting.step(64) {}
                match starting.finish() {
                    Ok(r) => outcome(r.finish()),
                    Err(refused) => outcome(refused),
                }
            }
            Err(refused) => outcome(refused),
        };
        assert_eq!(found, at_once);
    }
    assert!(stepped_some > 0, "at least one file took several steps");
}

#[test]
fn a_copy_without_customers_then_its_customers_in_slices_is_the_workspace() {
    let mut ws = generate(23, 7);
    // The imports of a shipped scenario's workspace: every field of the copy holds something.
    let scenario: Value = serde_json::from_slice(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("src/data/scenarios/competitor-dpor.json"),
        )
        .expect("scenario file"),
    )
    .expect("scenario JSON");
    ws.imports = load(scenario["workspace"].to_string().as_bytes()).imports;
    let mut copy = ws.clone_without_customers();
    assert!(copy.customers.is_empty());
    assert!(!copy.imports.is_empty() && !copy.people.is_empty());
    let mut steps = 1;
    while !copy.copy_customers_from(&ws, 5) {
        assert_eq!(copy.customers.len(), 5 * steps);
        steps += 1;
    }
    assert_eq!(steps, ws.customers.len().div_ceil(5));
    assert!(copy == ws, "the copy differs from the workspace");
}
