//! The engine's benchmark: each step on one workspace file, timed by a clock the caller
//! provides (`Instant` on the host, `performance.now()` in the browser), so the native and
//! the in-browser figures come from the same code.

use crate::model::{Date, Workspace};
use crate::validate::{ReadOptions, read_workspace};
use serde_json::{Value, json};

/// The steps, in the order they are reported.
pub const STEPS: &[&str] = &[
    "floor_parse",
    "floor_sum",
    "parse",
    "validate",
    "attribution_one_month",
    "full_evaluation",
    "findings",
    "planner",
    "reconcile_summary",
    "reconcile_rows",
    "serialise",
];

/// Time every step but `skip` `runs` times on the file `bytes` (already read as `ws`).
/// `now` returns milliseconds.
pub fn run(
    bytes: &[u8],
    ws: &Workspace,
    runs: usize,
    skip: &[String],
    today: Date,
    now: &dyn Fn() -> f64,
) -> Value {
    let Some(rules) = crate::rules::rule_set(&ws.rules) else {
        return json!({ "error": format!("unknown rule set {}", ws.rules) });
    };
    let time = |step: &str, f: &mut dyn FnMut()| -> Value {
        if skip.iter().any(|s| s == step) {
            return Value::String("skipped".into());
        }
        let ms = (0..runs.max(1))
            .map(|_| {
                let t = now();
                f();
                now() - t
            })
            .collect();
        stats(ms)
    };
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let eval = crate::scoring::evaluate(ws, rules);
    let target = eval
        .first_short_of_70()
        .or(eval.designations.first())
        .map(|d| d.id.clone())
        .unwrap_or_default();
    let counts = ws.counts();
    let roles: usize = ws
        .customers
        .iter()
        .flat_map(|c| &c.identities)
        .map(|i| i.roles.len())
        .sum();
    let view = || crate::attribution::Viewpoint::of_workspace(ws);
    let mut report = json!({
        "runs": runs,
        "size_bytes": bytes.len(),
        "counts": {
            "customers": counts.customers, "usage_lines": counts.usage_lines,
            "identities": counts.identities, "role_assignments": roles,
            "claims": counts.claims, "people": counts.people,
        },
        "steps": {
            // The floors: what the machine needs at the least to read the file (serde_json
            // into `IgnoredAny`) and to look at every number once (every monthly value of
            // every series summed); each step is also reported as a multiple of its floor.
            "floor_parse": time("floor_parse", &mut || { let _ = std::hint::black_box(serde_json::from_slice::<serde::de::IgnoredAny>(bytes)); }),
            "floor_sum": time("floor_sum", &mut || { std::hint::black_box(sum_every_value(ws)); }),
            // `parse`: the reader's first step, the one-pass decode of the text into the model
            // (until 2026-12-01 it timed the JSON tree that step used to build);
            // `validate`: the whole read — decode, migrate, check across records.
            "parse": time("parse", &mut || { let _ = std::hint::black_box(serde_json::from_str::<Workspace>(text)); }),
            "validate": time("validate", &mut || { let _ = std::hint::black_box(read_workspace(bytes, ReadOptions::default())); }),
            "attribution_one_month": time("attribution_one_month", &mut || {
                let month = ws.as_of;
                std::hint::black_box(crate::attribution::Prepared::attributed(ws, rules, view(), month, month));
            }),
            "full_evaluation": time("full_evaluation", &mut || { std::hint::black_box(crate::scoring::evaluate(ws, rules)); }),
            "findings": time("findings", &mut || { std::hint::black_box(crate::findings::findings(ws, rules, today)); }),
            "planner": time("planner", &mut || { std::hint::black_box(crate::planner::plan(ws, rules, &target, today)); }),
            // The dashboard's reconciliation (class totals only) and `pcs reconcile`'s (every row
            // measured); on a workspace without Partner Center data both return at once.
            "reconcile_summary": time("reconcile_summary", &mut || {
                let m = crate::reconcile::default_month(ws).unwrap_or(ws.as_of);
                std::hint::black_box(crate::reconcile::reconcile_with(ws, rules, m, today, &crate::reconcile::RowPoints::None));
            }),
            "reconcile_rows": time("reconcile_rows", &mut || {
                let m = crate::reconcile::default_month(ws).unwrap_or(ws.as_of);
                std::hint::black_box(crate::reconcile::reconcile(ws, rules, m, today));
            }),
            "serialise": time("serialise", &mut || { std::hint::black_box(ws.to_json()); }),
        },
        "planner_designation": target,
    });
    report["multiples_of_floor"] = multiples(&report["steps"]);
    report
}

/// Every monthly value of every series in the workspace, summed: one pass over the numbers
/// the engine reads (the evaluation's floor).
pub fn sum_every_value(ws: &Workspace) -> f64 {
    let sum = |s: &crate::model::Series| s.iter().map(|(_, v)| v).sum::<f64>();
    ws.customers
        .iter()
        .map(|c| {
            c.usage.iter().map(|u| sum(&u.acr)).sum::<f64>()
                + c.workloads
                    .iter()
                    .map(|w| sum(&w.paid_seats) + sum(&w.active_users) + sum(&w.revenue))
                    .sum::<f64>()
        })
        .sum()
}

/// Each step as a multiple of its floor: reading (parse, validate) against `floor_parse`,
/// the engine's steps against `floor_sum`.
pub fn multiples(steps: &Value) -> Value {
    let median = |s: &str| steps[s]["median_ms"].as_f64();
    let mut out = serde_json::Map::new();
    for (step, floor) in [
        ("parse", "floor_parse"),
        ("validate", "floor_parse"),
        ("attribution_one_month", "floor_sum"),
        ("full_evaluation", "floor_sum"),
        ("findings", "floor_sum"),
        ("planner", "floor_sum"),
    ] {
        if let (Some(x), Some(f)) = (median(step), median(floor))
            && f > 0.0
        {
            out.insert(step.to_owned(), json!((x / f * 10.0).round() / 10.0));
        }
    }
    Value::Object(out)
}

/// Median, min and max of some timings, in milliseconds (three decimals).
pub fn stats(mut ms: Vec<f64>) -> Value {
    ms.sort_by(f64::total_cmp);
    let median = ms.get(ms.len() / 2).copied().unwrap_or(0.0);
    let r = |v: f64| (v * 1000.0).round() / 1000.0;
    json!({ "median_ms": r(median), "min_ms": r(ms.first().copied().unwrap_or(0.0)), "max_ms": r(ms.last().copied().unwrap_or(0.0)) })
}
