//! The workshop library: every shipped scenario validates, and every exercise's answer as
//! its author states it equals the one the engine computes.

use pcs_workbench::workshop::{AnswerValue, LIBRARY, Scenario, library, read_scenario};

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
