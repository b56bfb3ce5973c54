//! Work the page hands to the engine worker, so that a long computation never holds the page:
//! a job as JSON text with the workspace as its own text, answers as JSON text. Plain Rust,
//! tested on the host; the worker glue (`ui::worker`) only moves the texts.

use crate::model::{Date, Workspace};
use crate::planner::{Plan, PlanProgress};
use crate::rules::RuleSet;
use crate::validate::{ReadOptions, read_workspace};
use serde::{Deserialize, Serialize};

/// What the page asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum Job {
    /// The path to 70 for one designation, judged on `today` (YYYY-MM-DD).
    Plan { designation: String, today: String },
    /// Nothing the user asked for: the engine's hot paths (reading a workspace, scoring it,
    /// planning) run once on a small synthetic partner of `customers`, so that the browser
    /// has compiled them with its optimising tier before the first real job (a fresh worker
    /// runs on baseline code at first, which made the first plan the slowest). The job's
    /// workspace text is not read.
    Warm { customers: u32 },
    /// `pcs bench` on the workspace, in the worker: each engine step timed `runs` times
    /// (`skip` left out), on the engine build the app's long jobs run on.
    Bench {
        runs: u32,
        #[serde(default)]
        skip: Vec<String>,
    },
}

/// What the worker says back: progress while it works, then one result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Progress(PlanProgress),
    /// The plan (none when the designation is not in the workspace's rule set).
    Plan(Option<Plan>),
    /// The benchmark's report (`pcs bench`'s JSON).
    Bench(serde_json::Value),
    /// The job could not run: the workspace or the job did not read.
    Error(String),
}

impl Answer {
    /// Whether this is the job's last answer.
    pub fn is_final(&self) -> bool {
        !matches!(self, Answer::Progress(_))
    }
}

/// Run `job` (JSON text) on `workspace` (a workspace file's text), telling `progress` as it
/// goes; the final answer is returned. `now` (milliseconds) is read by the benchmark only.
pub fn run(
    job: &str,
    workspace: &str,
    progress: &mut dyn FnMut(&Answer),
    now: &dyn Fn() -> f64,
) -> Answer {
    Worker::default().run(job, workspace.to_owned(), progress, now)
}

/// What the worker keeps between jobs: the workspace the last plan read, with its text. The
/// page sends the whole file with every job, and planning one designation after another on
/// the same workspace (each designation page offers it) then reads it once: the next text
/// is compared with the kept one in full, one pass over its bytes, where reading it again
/// decodes and checks every record (a quarter of a second in the worker for a
/// 5,000-customer partner, BENCHMARKS.md).
#[derive(Default)]
pub struct Worker {
    kept: Option<(String, Workspace, &'static RuleSet)>,
    /// How many workspace texts were read (for the tests).
    reads: usize,
}

impl Worker {
    /// [`run`], keeping what it read for the next job.
    pub fn run(
        &mut self,
        job: &str,
        workspace: String,
        progress: &mut dyn FnMut(&Answer),
        now: &dyn Fn() -> f64,
    ) -> Answer {
        let job: Job = match serde_json::from_str(job) {
            Ok(j) => j,
            Err(e) => return Answer::Error(format!("the job did not read: {e}")),
        };
        self.run_job(job, workspace, progress, now)
            .unwrap_or_else(Answer::Error)
    }

    /// The workspace `text` reads as, with its rule set: the kept one when the text is the
    /// kept one's, else read (and kept in its place).
    fn workspace(&mut self, text: String) -> Result<(&Workspace, &'static RuleSet), String> {
        let kept = match self.kept.take() {
            Some(kept) if kept.0 == text => kept,
            old => {
                // Let go first: a large workspace is not held twice while reading.
                drop(old);
                self.reads += 1;
                let (ws, rules) = read(&text)?;
                (text, ws, rules)
            }
        };
        let (_, ws, rules) = self.kept.insert(kept);
        Ok((ws, *rules))
    }

    /// [`Worker::run`] on a job that read; a refusal says why (the error answer's text).
    fn run_job(
        &mut self,
        job: Job,
        workspace: String,
        progress: &mut dyn FnMut(&Answer),
        now: &dyn Fn() -> f64,
    ) -> Result<Answer, String> {
        Ok(match job {
            Job::Plan { designation, today } => {
                let (ws, rules) = self.workspace(workspace)?;
                let today = Date::parse(&today)
                    .ok_or_else(|| format!("\"{today}\" is not a date (YYYY-MM-DD)"))?;
                let plan =
                    crate::planner::plan_reporting(ws, rules, &designation, today, &mut |p| {
                        progress(&Answer::Progress(p))
                    });
                Answer::Plan(plan)
            }
            // The warm-up: a synthetic partner written, read, scored and planned for (its
            // first designation short of 70), as a real job would be.
            Job::Warm { customers } => {
                let text = crate::generate::generate(customers.clamp(1, 200) as usize, 1).to_json();
                let (ws, rules) = read(&text)?;
                let eval = crate::scoring::evaluate(&ws, rules);
                let plan = eval
                    .first_short_of_70()
                    .and_then(|d| crate::planner::plan(&ws, rules, &d.id, ws.as_of.last_day()));
                Answer::Plan(plan)
            }
            // The benchmark times the read itself: its workspace is read afresh.
            Job::Bench { runs, skip } => {
                let (ws, _) = read(&workspace)?;
                let today = ws.as_of.last_day();
                let runs = (runs as usize).clamp(1, 100);
                let mut report =
                    crate::bench::run(workspace.as_bytes(), &ws, runs, &skip, today, now);
                report["engine"] =
                    serde_json::Value::String("wasm (Chromium, engine worker)".into());
                Answer::Bench(report)
            }
        })
    }
}

/// A job's workspace text, read, with its rule set.
fn read(text: &str) -> Result<(Workspace, &'static RuleSet), String> {
    let ws = read_workspace(text.as_bytes(), ReadOptions::default())
        .workspace()
        .ok_or("the workspace did not read")?;
    let rules = crate::rules::rule_set(&ws.rules)
        .ok_or_else(|| format!("unknown rule set {}", ws.rules))?;
    Ok((ws, rules))
}

/// A job and its answers as the page and the worker exchange them.
pub fn job_text(job: &Job) -> String {
    serde_json::to_string(job).unwrap_or_default()
}

pub fn answer_text(answer: &Answer) -> String {
    serde_json::to_string(answer).unwrap_or_else(|e| {
        serde_json::to_string(&Answer::Error(e.to_string())).unwrap_or_default()
    })
}

pub fn read_answer(text: &str) -> Answer {
    serde_json::from_str(text).unwrap_or_else(|e| Answer::Error(format!("unreadable answer: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan the worker sends is the plan the engine makes, through the texts both sides
    /// exchange, with progress after each step.
    #[test]
    fn a_plan_job_answers_with_the_engines_plan() {
        let ws = crate::generate::generate(50, 1);
        let rules = crate::rules::rule_set(&ws.rules).expect("rules");
        let today = Date::parse("2026-11-22").expect("date");
        let job = job_text(&Job::Plan {
            designation: "data_ai_azure".into(),
            today: "2026-11-22".into(),
        });
        let mut told = Vec::new();
        let answer = run(
            &job,
            &ws.to_json(),
            &mut |a| told.push(answer_text(a)),
            &|| 0.0,
        );
        let want = crate::planner::plan(&ws, rules, "data_ai_azure", today);
        assert!(
            want.as_ref()
                .is_some_and(|p| p.qualified && !p.actions.is_empty())
        );
        assert_eq!(
            read_answer(&answer_text(&answer)),
            Answer::Plan(want.clone())
        );
        let steps: Vec<Answer> = told.iter().map(|t| read_answer(t)).collect();
        assert!(!steps.is_empty() && steps.iter().all(|a| !a.is_final()));
        let Some(Answer::Progress(last)) = steps.last() else {
            panic!("no progress: {told:?}");
        };
        assert_eq!(Some(last.score), want.map(|p| p.reached));
    }

    /// Plans one after another on the same workspace text read it once; an edited text is
    /// read again, and its plan is the edited workspace's (never the kept one's).
    #[test]
    fn the_worker_reads_a_workspace_once_for_the_plans_on_it() {
        let ws = crate::generate::generate(30, 1);
        let rules = crate::rules::rule_set(&ws.rules).expect("rules");
        let today = Date::parse("2026-11-22").expect("date");
        let eval = crate::scoring::evaluate(&ws, rules);
        let plan_job = |id: &str| {
            job_text(&Job::Plan {
                designation: id.into(),
                today: "2026-11-22".into(),
            })
        };
        let ids: Vec<String> = eval.designations.iter().map(|d| d.id.clone()).collect();
        assert!(ids.len() >= 2);
        let mut worker = Worker::default();
        for id in &ids[..2] {
            let answer = worker.run(&plan_job(id), ws.to_json(), &mut |_| {}, &|| 0.0);
            assert_eq!(
                answer,
                Answer::Plan(crate::planner::plan(&ws, rules, id, today))
            );
        }
        assert_eq!(worker.reads, 1);
        // The same partner, its people's certifications gone: read again, planned as it now is.
        let mut edited = ws.clone();
        for person in &mut edited.people {
            person.certifications.clear();
        }
        let answer = worker.run(&plan_job(&ids[0]), edited.to_json(), &mut |_| {}, &|| 0.0);
        let want = crate::planner::plan(&edited, rules, &ids[0], today);
        assert_ne!(want, crate::planner::plan(&ws, rules, &ids[0], today));
        assert_eq!(answer, Answer::Plan(want));
        assert_eq!(worker.reads, 2);
        // A text that does not read is refused, and nothing stale is kept for the next.
        let bad = worker.run(&plan_job(&ids[0]), "{".into(), &mut |_| {}, &|| 0.0);
        assert!(matches!(bad, Answer::Error(_)), "{bad:?}");
        assert!(worker.kept.is_none());
    }

    /// The worker's benchmark times the steps asked for, on the worker's clock, and leaves
    /// out the skipped ones.
    #[test]
    fn a_bench_job_answers_with_the_timed_steps() {
        let ws = crate::generate::generate(5, 1).to_json();
        let job = r#"{"job": "bench", "runs": 2, "skip": ["planner", "serialise"]}"#;
        let ticks = std::cell::Cell::new(0.0);
        let now = || {
            ticks.set(ticks.get() + 1.5);
            ticks.get()
        };
        let Answer::Bench(report) = run(job, &ws, &mut |_| {}, &now) else {
            panic!("not a bench answer");
        };
        assert_eq!(report["engine"], "wasm (Chromium, engine worker)");
        assert_eq!(report["runs"], 2);
        let steps = &report["steps"];
        // Every timed run reads the clock twice: 1.5 ms a run on this clock.
        assert_eq!(steps["full_evaluation"]["median_ms"], 1.5);
        assert_eq!(steps["planner"], "skipped");
        assert_eq!(steps["serialise"], "skipped");
        assert_eq!(report["counts"]["customers"], 5);
    }

    /// The warm-up plans for its own synthetic partner, whatever workspace text comes with it.
    #[test]
    fn a_warm_up_job_plans_for_a_synthetic_partner() {
        let ws = crate::generate::generate(20, 1);
        let rules = crate::rules::rule_set(&ws.rules).expect("rules");
        let eval = crate::scoring::evaluate(&ws, rules);
        let target = eval.first_short_of_70().expect("a designation short of 70");
        let want = crate::planner::plan(&ws, rules, &target.id, ws.as_of.last_day());
        assert!(want.as_ref().is_some_and(|p| !p.actions.is_empty()));
        let job = job_text(&Job::Warm { customers: 20 });
        assert_eq!(run(&job, "", &mut |_| {}, &|| 0.0), Answer::Plan(want));
    }

    #[test]
    fn a_bad_job_or_workspace_answers_with_an_error() {
        let ws = crate::generate::generate(3, 1).to_json();
        let bad_date = job_text(&Job::Plan {
            designation: "security".into(),
            today: "22/11/2026".into(),
        });
        for (job, workspace, says) in [
            ("{\"job\": \"fly\"}", ws.as_str(), "the job did not read"),
            (bad_date.as_str(), ws.as_str(), "is not a date"),
            (
                bad_date.as_str(),
                "{\"format\": 99}",
                "the workspace did not read",
            ),
        ] {
            match run(job, workspace, &mut |_| {}, &|| 0.0) {
                Answer::Error(e) => assert!(e.contains(says), "{e}"),
                other => panic!("{other:?}"),
            }
        }
    }
}
