//! Workshop scenarios: a small workspace, a story, and exercises whose answers the engine
//! computes from a query, never typed in. The author's stated answer is checked against
//! the engine when the scenario is read (and by the tests for the shipped library).

use crate::attribution::explain::sentence;
use crate::attribution::{Association, Decision, Prepared, Viewpoint};
use crate::json_record;
use crate::model::json::{Cx, FromJson};
use crate::model::{Diagnostic, Id, PartnerId, Severity, Workspace};
use crate::planner::Edit;
use crate::rules::{RuleSet, rule_set};
use crate::scoring::{evaluate_for, metric_label};
use serde_json::Value;

/// The `format` marker of a scenario file.
pub const SCENARIO_FORMAT: &str = "pcs-workbench/scenario";

json_record! {
    /// A workshop scenario: everything a facilitator projects and attendees work through.
    pub struct Scenario as "a scenario" {
        pub format: String,
        pub version: u32,
        pub id: Id,
        pub title: String,
        pub narrative: String,
        pub goals: Vec<String>,
        pub workspace: Workspace,
        pub exercises: Vec<Exercise>,
    }
}

json_record! {
    /// A question: multiple choice when `choices` is given, else a number.
    pub struct Exercise as "an exercise" {
        pub id: Id,
        pub prompt: String,
        pub choices: Vec<String>,
        pub query: Query,
        /// The answer the author states; it must equal the engine's.
        pub answer: Value,
        /// How far a numeric answer may be off (default 0.01).
        pub tolerance: Option<f64>,
        /// The author's notes for the facilitator.
        pub notes: Option<String>,
    }
}

json_record! {
    /// What the engine is asked. `kind` is one of: `credited_by` (a usage line, workload or
    /// Power Platform resource: which associations credit it), `score`, `metric_points`,
    /// `track`, `qualified`, `score_delta` (points gained by `edit`), `finding` (is there a
    /// finding with `code`). `partner` asks from another partner's point of view.
    pub struct Query as "a query" {
        pub kind: String,
        pub customer: Option<String>,
        pub line: Option<u32>,
        pub workload: Option<u32>,
        pub resource: Option<u32>,
        pub designation: Option<String>,
        pub metric: Option<String>,
        pub partner: Option<PartnerId>,
        pub code: Option<String>,
        pub edit: Option<Value>,
    }
}

/// The engine's answer and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub value: AnswerValue,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    Text(String),
    Number(f64),
}

impl std::fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerValue::Text(t) => f.write_str(t),
            AnswerValue::Number(n) => write!(f, "{}", (n * 100.0).round() / 100.0),
        }
    }
}

impl Scenario {
    fn rules(&self) -> Result<&'static RuleSet, String> {
        rule_set(&self.workspace.rules)
            .ok_or_else(|| format!("unknown rule set {}", self.workspace.rules))
    }

    /// Compute an exercise's answer from the engine.
    pub fn answer(&self, q: &Query) -> Result<Answer, String> {
        let ws = &self.workspace;
        let rules = self.rules()?;
        let view = match &q.partner {
            Some(p) => Viewpoint::of_partner(ws, p),
            None => Viewpoint::of_workspace(ws),
        };
        let need = |v: &Option<String>, what: &str| {
            v.clone()
                .ok_or_else(|| format!("a \"{}\" query needs \"{what}\"", q.kind))
        };
        let text = |s: &str| AnswerValue::Text(s.to_owned());
        match q.kind.as_str() {
            "credited_by" => {
                let cid = need(&q.customer, "customer")?;
                let ci = ws
                    .customers
                    .iter()
                    .position(|c| c.id.as_str() == cid)
                    .ok_or_else(|| format!("no customer \"{cid}\""))?;
                let c = &ws.customers[ci];
                let p = Prepared::new(ws, rules, view);
                let at =
                    |n: Option<u32>, len: usize, what: &str| -> Result<Option<usize>, String> {
                        match n {
                            Some(i) if (i as usize) < len => Ok(Some(i as usize)),
                            Some(i) => Err(format!("{cid} has no {what} {i}")),
                            None => Ok(None),
                        }
                    };
                let decisions: Vec<Decision> =
                    if let Some(li) = at(q.line, c.usage.len(), "usage line")? {
                        p.explain_line(ci, li, ws.as_of)
                    } else if let Some(wi) = at(q.workload, c.workloads.len(), "workload")? {
                        p.explain_workload(ci, wi, ws.as_of)
                    } else if let Some(ri) = at(q.resource, c.power_platform.len(), "resource")? {
                        p.explain_resource(ci, ri, ws.as_of)
                    } else {
                        return Err(
                            "a \"credited_by\" query needs \"line\", \"workload\" or \"resource\""
                                .into(),
                        );
                    };
                let credited: Vec<Association> = Association::ALL
                    .into_iter()
                    .filter(|a| decisions.iter().any(|d| d.credited && d.association == *a))
                    .collect();
                let value = if credited.is_empty() {
                    "none".to_owned()
                } else {
                    credited
                        .iter()
                        .map(|a| a.label())
                        .collect::<Vec<_>>()
                        .join(" and ")
                };
                Ok(Answer {
                    value: AnswerValue::Text(value),
                    explanation: decisions.iter().map(|d| sentence(d, ws, c)).collect(),
                })
            }
            "score" | "metric_points" | "track" | "qualified" => {
                let id = need(&q.designation, "designation")?;
                let eval = evaluate_for(ws, rules, view);
                let d = eval
                    .designations
                    .iter()
                    .find(|d| d.id == id)
                    .ok_or_else(|| format!("no designation \"{id}\""))?;
                let lines: Vec<String> = d
                    .metrics()
                    .iter()
                    .map(|m| {
                        format!(
                            "{}: {:.2} of {:.0} points",
                            metric_label(&m.id),
                            m.points,
                            m.max
                        )
                    })
                    .collect();
                let value = match q.kind.as_str() {
                    "score" => AnswerValue::Number(d.score),
                    "track" => text(d.track.as_deref().unwrap_or("none")),
                    "qualified" => text(if d.qualified { "yes" } else { "no" }),
                    _ => {
                        let mid = need(&q.metric, "metric")?;
                        let m = d
                            .metrics()
                            .iter()
                            .find(|m| m.id == mid)
                            .ok_or_else(|| format!("{id} has no metric \"{mid}\""))?;
                        AnswerValue::Number(m.points)
                    }
                };
                let mut explanation = vec![format!(
                    "{}: {:.2} points in {}{}",
                    d.name,
                    d.score,
                    ws.as_of,
                    d.track
                        .as_ref()
                        .map(|t| format!(", {t} track"))
                        .unwrap_or_default()
                )];
                explanation.extend(lines);
                Ok(Answer { value, explanation })
            }
            "score_delta" => {
                let id = need(&q.designation, "designation")?;
                let edit_value = q
                    .edit
                    .clone()
                    .ok_or_else(|| "a \"score_delta\" query needs \"edit\"".to_owned())?;
                let edit: Edit = serde_json::from_value(edit_value)
                    .map_err(|e| format!("\"edit\" is not a change: {e}"))?;
                let score = |w: &Workspace| {
                    crate::scoring::evaluate_designation(w, rules, &id)
                        .map(|d| d.score)
                        .ok_or_else(|| format!("no designation \"{id}\""))
                };
                let before = score(ws)?;
                let mut next = ws.clone();
                crate::planner::apply(&mut next, rules, &edit);
                let after = score(&next)?;
                Ok(Answer {
                    value: AnswerValue::Number(after - before),
                    explanation: vec![
                        crate::whatif::describe(ws, rules, &edit),
                        format!("{before:.2} points before, {after:.2} after"),
                    ],
                })
            }
            "finding" => {
                let code = need(&q.code, "code")?;
                let found: Vec<_> = crate::findings::findings(ws, rules, ws.as_of.last_day())
                    .into_iter()
                    .filter(|f| f.code == code)
                    .filter(|f| q.customer.is_none() || f.customer == q.customer)
                    .collect();
                Ok(Answer {
                    value: text(if found.is_empty() { "no" } else { "yes" }),
                    explanation: found
                        .iter()
                        .map(|f| format!("{} — fix: {}", f.message, f.fix.summary))
                        .collect(),
                })
            }
            "reconcile_class" | "reconcile_points" => {
                let cid = need(&q.customer, "customer")?;
                if ws.customer(&cid).is_none() {
                    return Err(format!("no customer \"{cid}\""));
                }
                let r = crate::reconcile::reconcile(ws, rules, ws.as_of, ws.as_of.last_day());
                // The customer's most telling subscription: the first by class importance.
                let row = r
                    .rows
                    .iter()
                    .filter(|x| x.customer == cid)
                    .min_by_key(|x| x.class)
                    .ok_or_else(|| {
                        format!(
                            "no reconciliation row for \"{cid}\" in {} (no Partner Center attribution and no credit)",
                            ws.as_of
                        )
                    })?;
                let mut explanation = vec![format!(
                    "Partner Center reports {}; the tenants explain {}",
                    labels_or_none(&row.reported),
                    labels_or_none(&row.computed)
                )];
                explanation.push(row.message.clone());
                if let Some(f) = &row.fix {
                    explanation.push(format!("Fix: {}", f.summary));
                }
                let value = if q.kind == "reconcile_class" {
                    text(row.class.label())
                } else {
                    let p = row.points_at_stake.ok_or_else(|| {
                        format!(
                            "{cid}'s ACR in {} is unknown: no points at stake to state",
                            ws.as_of
                        )
                    })?;
                    explanation.extend(
                        row.at_stake
                            .iter()
                            .map(|g| format!("{}: +{:.2} points", g.name, g.points)),
                    );
                    AnswerValue::Number(p)
                };
                Ok(Answer { value, explanation })
            }
            other => Err(format!(
                "unknown query kind \"{other}\"; expected credited_by, score, metric_points, track, qualified, score_delta, finding, reconcile_class or reconcile_points"
            )),
        }
    }

    /// Whether `given` (as typed or chosen) is right.
    pub fn is_correct(ex: &Exercise, answer: &AnswerValue, given: &str) -> bool {
        match answer {
            AnswerValue::Text(t) => given.trim().eq_ignore_ascii_case(t.trim()),
            AnswerValue::Number(n) => given
                .trim()
                .replace([',', '$'], "")
                .parse::<f64>()
                .is_ok_and(|g| (g - n).abs() <= ex.tolerance.unwrap_or(0.01) + 1e-9),
        }
    }

    /// The author's stated answer as it would be typed.
    fn stated(ex: &Exercise) -> String {
        match &ex.answer {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

fn labels_or_none(list: &[Association]) -> String {
    if list.is_empty() {
        "no association".into()
    } else {
        list.iter()
            .map(|a| a.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Read a scenario: the file's shape, its workspace (as strictly as an import) and every
/// exercise, whose computed answer must equal the answer its author states.
pub fn read_scenario(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let error = |path: String, message: String| Diagnostic {
        severity: Severity::Error,
        path,
        message,
    };
    let mut value: Value = serde_json::from_str(text).map_err(|e| {
        vec![error(
            String::new(),
            crate::validate::json_syntax_message(&e),
        )]
    })?;
    // The embedded workspace is upgraded like any workspace file before it is decoded.
    if let Some(ws) = value.get_mut("workspace").filter(|w| w.is_object()) {
        let upgraded = crate::validate::migrate::to_current(ws.take()).map_err(|d| {
            vec![Diagnostic {
                path: format!("workspace.{}", d.path),
                ..d
            }]
        })?;
        *ws = upgraded;
    }
    let mut cx = Cx::default();
    let scenario = Scenario::from_json(&value, &mut cx);
    let mut problems: Vec<Diagnostic> = cx
        .finish()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let Some(s) = scenario.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    if s.format != SCENARIO_FORMAT || s.version != 1 {
        problems.push(error(
            "format".into(),
            format!(
                "expected \"{SCENARIO_FORMAT}\" version 1, found \"{}\" version {}",
                s.format, s.version
            ),
        ));
    }
    problems.extend(
        crate::validate::check(&s.workspace, crate::validate::ReadOptions::default())
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| Diagnostic {
                path: format!("workspace.{}", d.path),
                ..d
            }),
    );
    if !problems.is_empty() {
        return Err(problems);
    }
    for (i, ex) in s.exercises.iter().enumerate() {
        match s.answer(&ex.query) {
            Err(why) => problems.push(error(format!("exercises[{i}].query"), why)),
            Ok(a) => {
                if !ex.choices.is_empty()
                    && !ex
                        .choices
                        .iter()
                        .any(|c| Scenario::is_correct(ex, &a.value, c))
                {
                    problems.push(error(
                        format!("exercises[{i}].choices"),
                        format!(
                            "the engine's answer \"{}\" is not among the choices",
                            a.value
                        ),
                    ));
                }
                if !Scenario::is_correct(ex, &a.value, &Scenario::stated(ex)) {
                    problems.push(error(
                        format!("exercises[{i}].answer"),
                        format!(
                            "the author states {} but the engine computes {}",
                            Scenario::stated(ex),
                            a.value
                        ),
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(s)
    } else {
        Err(problems)
    }
}

/// The scenarios shipped with the app, read and checked once (reading one scores its
/// workspace for every exercise). Host only: the app fetches the files named in [`LIBRARY_FILES`].
#[cfg(not(target_arch = "wasm32"))]
pub fn library() -> Vec<Scenario> {
    static READ: std::sync::OnceLock<Vec<Scenario>> = std::sync::OnceLock::new();
    READ.get_or_init(|| read_library(LIBRARY.iter().copied()))
        .clone()
}

/// The scenarios of these files, in their order; a file that does not read is left out
/// (the shipped ones always read: the host tests check them).
pub fn read_library<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Scenario> {
    texts
        .into_iter()
        .filter_map(|text| read_scenario(text).ok())
        .collect()
}

/// The shipped scenarios' files, `src/data/scenarios/<name>.json`: their names in teaching
/// order ([`LIBRARY_FILES`]) and, on the host, their texts ([`LIBRARY`]). The app fetches
/// them from `scenarios/<name>.json` next to the page (Trunk copies the folder) when the
/// workshop first opens, so the page's first load does not carry them.
macro_rules! shipped_scenarios {
    ($($name:literal),* $(,)?) => {
        /// The shipped scenario files' names, in teaching order.
        pub const LIBRARY_FILES: &[&str] = &[$($name),*];

        /// The shipped scenario files, in teaching order (host only).
        #[cfg(not(target_arch = "wasm32"))]
        pub const LIBRARY: &[&str] = &[$(include_str!(concat!("data/scenarios/", $name, ".json"))),*];
    };
}

shipped_scenarios![
    "pal-global-id",
    "two-partners-one-subscription",
    "reader-only-identity",
    "ea-moved-to-azure-plan",
    "csp-through-a-distributor",
    "competing-cpor-claims",
    "cua-registered-late",
    "trial-subscription",
    "modern-work-enterprise-or-smb",
    "skilling-steps",
    "power-platform-ownership",
    "no-linked-identity",
    "no-pal-credit-in-partner-center",
    "competitor-dpor",
];

/// Where the app finds a shipped scenario file, relative to the page.
pub fn shipped_file_url(name: &str) -> String {
    format!("scenarios/{name}.json")
}

impl Scenario {
    /// The scenario as a file (pretty JSON, like a workspace).
    pub fn to_json(&self) -> String {
        let mut out = crate::model::pretty::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }
}
