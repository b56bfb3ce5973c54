//! The score report: the JSON document `pcs score` prints and the app shows, exactly as
//! `workspace-format.md` fixes it. Points and scores carry two decimals.

use super::Evaluation;
use crate::findings::Finding;
use serde_json::{Value, json};

/// A number with two decimals, written without a trailing `.0` when whole.
fn two(v: f64) -> Value {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 && r.abs() < 9.0e15 {
        json!(r as i64)
    } else {
        json!(r)
    }
}

/// The report for an evaluation and its findings.
pub fn score_report(eval: &Evaluation, findings: &[Finding]) -> Value {
    let designations: Vec<Value> = eval
        .designations
        .iter()
        .map(|d| {
            let metrics: Vec<Value> = d
                .metrics()
                .iter()
                .map(|m| json!({ "id": m.id, "value": two(m.value), "points": two(m.points), "max": two(m.max) }))
                .collect();
            let months: Vec<Value> = d
                .counting
                .iter()
                .filter_map(|(m, _)| d.month(*m))
                .map(|tm| json!({ "month": tm.month.to_string(), "score": two(tm.total), "qualified": tm.qualified }))
                .collect();
            json!({
                "id": d.id,
                "qualified": d.qualified,
                "best_month": d.best_month.map(|m| m.to_string()),
                "score": two(d.score),
                "track": d.track,
                "metrics": metrics,
                "months": months,
            })
        })
        .collect();
    json!({
        "as_of": eval.as_of.to_string(),
        "rules": eval.rules,
        "designations": designations,
        "findings": findings.iter().map(Finding::report).collect::<Vec<_>>(),
    })
}
