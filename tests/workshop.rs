//! The workshop library: every shipped scenario validates, and every exercise's answer as
//! its author states it equals the one the engine computes.

use pcs_workbench::workshop::{
    AnswerValue, LIBRARY, LIBRARY_FILES, Scenario, library, read_library, read_scenario,
    shipped_file_url,
};

#[test]
fn every_shipped_scenario_validates_and_its_stated_answers_match_the_engine() {
    assert!(LIBRARY.len() >= 10);
    for text in LIBRARY {
        if let Err(problems) = read_scenario(text) {
            panic!(
                "{}",
                problems
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
    let all = library();
    assert_eq!(all.len(), LIBRARY.len());
    let mut ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "scenario ids are unique");
    assert!(
        all.iter()
            .all(|s| !s.exercises.is_empty() && !s.goals.is_empty())
    );
}

/// The app fetches the shipped scenarios by name from the folder Trunk copies next to the
/// page: the names, the folder's files and the copy must agree, or the workshop would show
/// fewer scenarios in the browser than the host tests check.
#[test]
fn the_app_finds_every_shipped_scenario_where_the_page_copies_them() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/data/scenarios");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("the scenario folder")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".json"))
                .map(str::to_owned)
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = LIBRARY_FILES.iter().map(|n| n.to_string()).collect();
    listed.sort();
    assert_eq!(
        listed, on_disk,
        "LIBRARY_FILES lists every file of src/data/scenarios"
    );
    assert_eq!(LIBRARY.len(), LIBRARY_FILES.len());
    let html = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index.html"),
    )
    .expect("index.html");
    assert!(
        html.contains(r#"<link data-trunk rel="copy-dir" href="src/data/scenarios">"#),
        "index.html copies the scenario folder into dist/scenarios"
    );
    assert_eq!(
        shipped_file_url("pal-global-id"),
        "scenarios/pal-global-id.json"
    );
    // The texts the app fetches read to the same scenarios, in the same order.
    let fetched = read_library(LIBRARY.iter().copied());
    let ids: Vec<&str> = fetched.iter().map(|s| s.id.as_str()).collect();
    let expected: Vec<String> = library().iter().map(|s| s.id.to_string()).collect();
    assert_eq!(ids, expected);
    // A file that did not arrive whole is left out, the others kept.
    let first = LIBRARY[0];
    let half = (0..=first.len() / 2)
        .rev()
        .find(|&i| first.is_char_boundary(i))
        .unwrap_or(0);
    let cut = &first[..half];
    let partial = read_library([cut, LIBRARY[1]]);
    assert_eq!(partial.len(), 1);
    assert_eq!(partial[0].id.as_str(), expected[1]);
}

#[test]
fn a_narrative_that_disagrees_with_the_engine_is_refused_with_the_path() {
    let s = library()
        .into_iter()
        .find(|s| s.id.as_str() == "pal-global-id")
        .expect("scenario");
    let text = s.to_json().replacen("\"answer\": 16", "\"answer\": 10", 1);
    let problems = read_scenario(&text).expect_err("refused");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path, "exercises[2].answer");
    assert!(
        problems[0].message.contains("engine computes 16"),
        "{}",
        problems[0].message
    );

    let text = s
        .to_json()
        .replacen("\"kind\": \"score_delta\"", "\"kind\": \"score_dleta\"", 1);
    let problems = read_scenario(&text).expect_err("refused");
    assert_eq!(problems[0].path, "exercises[2].query");

    // The workspace inside is checked as strictly as an import.
    let text = s
        .to_json()
        .replacen("\"as_of\": \"2026-10\"", "\"as_of\": \"2026-13\"", 1);
    let problems = read_scenario(&text).expect_err("refused");
    assert_eq!(problems[0].path, "workspace.as_of");
    assert!(read_scenario("{").is_err());
}

#[test]
fn answers_are_checked_as_people_type_them_and_explained_by_the_engine() {
    let s = library()
        .into_iter()
        .find(|s| s.id.as_str() == "pal-global-id")
        .expect("scenario");
    let credit = &s.exercises[0];
    let a = s.answer(&credit.query).expect("answer");
    assert_eq!(a.value, AnswerValue::Text("none".into()));
    assert!(Scenario::is_correct(credit, &a.value, " None "));
    assert!(!Scenario::is_correct(credit, &a.value, "PAL"));
    assert!(
        a.explanation
            .iter()
            .any(|e| e.contains("linked with the global ID")),
        "{:?}",
        a.explanation
    );

    let gain = &s.exercises[2];
    let a = s.answer(&gain.query).expect("answer");
    assert_eq!(a.value, AnswerValue::Number(16.0));
    assert!(Scenario::is_correct(gain, &a.value, "16.00"));
    assert!(!Scenario::is_correct(gain, &a.value, "15.9"));
    assert!(!Scenario::is_correct(gain, &a.value, "sixteen"));
    assert_eq!(a.explanation.len(), 2);
}

#[test]
fn a_scenario_file_round_trips() {
    for s in library() {
        assert_eq!(read_scenario(&s.to_json()).expect("reads back"), s);
    }
}
