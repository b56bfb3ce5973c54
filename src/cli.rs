//! The `pcs` command line, as a function from arguments to output so tests can drive it.

use crate::model::{Date, Workspace};
use crate::validate::{Import, ReadOptions, read_workspace};
use crate::version::VERSION;
use std::fmt::Write as _;

/// Exit codes: 0 fine, 1 the data is invalid, 2 usage or I/O error.
pub const EXIT_OK: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// What a command printed and how it ended.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

impl Output {
    fn usage(message: impl Into<String>) -> Output {
        Output {
            stderr: format!("pcs: {}\nRun `pcs help` for usage.\n", message.into()),
            code: EXIT_USAGE,
            ..Default::default()
        }
    }
}

/// Where the command line reads files and the date from (tests substitute their own).
pub trait Environment {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
    fn today(&self) -> Option<Date>;
    /// Replace the file at `path` with `text` (whole or not at all).
    fn write(&self, path: &str, _text: &str) -> std::io::Result<()> {
        Err(std::io::Error::other(format!("cannot write {path} here")))
    }
}

/// The real machine.
pub struct Host;

impl Environment for Host {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        if path == "-" {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
            return Ok(buf);
        }
        std::fs::read(path)
    }

    fn today(&self) -> Option<Date> {
        let now = chrono::Local::now().date_naive();
        Date::parse(&now.format("%Y-%m-%d").to_string())
    }

    /// Written beside the target, then renamed over it: a failed write leaves the old file.
    fn write(&self, path: &str, text: &str) -> std::io::Result<()> {
        let tmp = format!("{path}.pcs-tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

pub const HELP: &str = "\
pcs — Partner Capability Score workbench (command line)

Usage:
  pcs validate FILE        check a workspace file; prints OK and a summary, or every problem
  pcs score FILE [--rules ID]
                           the score report (JSON): every designation, metric and month, and the findings
  pcs plan FILE [--designation ID] [--json]
                           the shortest path to 70 points for each designation that does not qualify
  pcs generate --customers N [--seed S] [--compact | --azure-usage]
                           a deterministic synthetic workspace (JSON on standard output;
                           --compact: without indentation, as tools export it; --azure-usage:
                           the Partner Center Azure usage download (A1 CSV) it would give)
  pcs bench FILE [--runs N] [--skip STEP,...]
                           timings of each engine step (JSON: median, min, max in milliseconds),
                           and each as a multiple of its floor; steps: floor_parse, floor_sum,
                           parse, validate, attribution_one_month, full_evaluation, findings,
                           planner, reconcile_summary, reconcile_rows, serialise
  pcs explain FILE [--customer ID] [--month YYYY-MM] [--json]
                           who is credited for each usage line and workload, and why not
  pcs scenario FILE        check a workshop scenario: its workspace, and each exercise's
                           stated answer against the one the engine computes
  pcs import WORKSPACE FILE... [--apply] [--take KEY,...] [--rate CUR=USD] [--json]
                           what importing Partner Center downloads, tenant inventory files
                           or Cost Management exports would change (each file's kind is
                           recognised); --apply writes the merged workspace back to WORKSPACE;
                           --take KEY takes the file's value for that conflict
  pcs import --new FILE... [--name NAME] [--as-of YYYY-MM] [--rate CUR=USD]
                           a new workspace from the files alone, on standard output
  pcs reconcile WORKSPACE [--month YYYY-MM] [--json]
                           what Partner Center credits (its Azure usage download, imported)
                           against what your tenant inventory explains, subscription by
                           subscription, with the reason, the fix and the points at stake
  pcs help                 this text
  pcs --version            the version

FILE may be - for standard input.
Exit codes: 0 valid, 1 invalid data, 2 usage or I/O error.
";

/// Run the command line with `args` (without the program name).
pub fn run(args: &[String], env: &dyn Environment) -> Output {
    let Some((cmd, rest)) = args.split_first() else {
        return Output {
            stdout: HELP.into(),
            ..Default::default()
        };
    };
    match cmd.as_str() {
        "help" | "--help" | "-h" => Output {
            stdout: HELP.into(),
            ..Default::default()
        },
        "--version" | "-V" | "version" => Output {
            stdout: format!("pcs {VERSION}\n"),
            ..Default::default()
        },
        "validate" => validate(rest, env),
        "scenario" => scenario(rest, env),
        "explain" => explain(rest, env),
        "score" => score(rest, env),
        "plan" => plan(rest, env),
        "generate" => generate(rest),
        "bench" => bench(rest, env),
        "import" => import(rest, env),
        "reconcile" => reconcile(rest, env),
        other => Output::usage(format!("unknown command \"{other}\"")),
    }
}

/// A workspace read from a file: its bytes, the workspace and its warnings.
struct Loaded {
    bytes: Vec<u8>,
    ws: Workspace,
    warnings: Vec<crate::model::Diagnostic>,
}

/// [`load`], and the built-in rule set the workspace names.
fn load_with_rules(
    args: &[String],
    env: &dyn Environment,
) -> Result<(Workspace, &'static crate::rules::RuleSet), Output> {
    let ws = load(args, env)?.ws;
    match crate::rules::rule_set(&ws.rules) {
        Some(rules) => Ok((ws, rules)),
        None => Err(Output::usage(format!("unknown rule set {}", ws.rules))),
    }
}

/// The `--month YYYY-MM` option, or `default` without it.
fn month_option(
    opts: &Options,
    default: crate::model::Month,
) -> Result<crate::model::Month, Output> {
    match opts.value("--month") {
        Some(m) => crate::model::Month::parse(m)
            .ok_or_else(|| Output::usage(format!("--month expects YYYY-MM, got \"{m}\""))),
        None => Ok(default),
    }
}

/// Read and validate the workspace at the single path in `args`.
fn load(args: &[String], env: &dyn Environment) -> Result<Loaded, Output> {
    let [path] = args else {
        return Err(Output::usage("expected exactly one FILE"));
    };
    let bytes = env.read(path).map_err(|e| Output {
        stderr: format!("pcs: cannot read {path}: {e}\n"),
        code: EXIT_USAGE,
        ..Default::default()
    })?;
    match read_workspace(&bytes, ReadOptions { today: env.today() }) {
        Import::Loaded {
            workspace,
            warnings,
        } => Ok(Loaded {
            bytes,
            ws: *workspace,
            warnings,
        }),
        Import::Rejected { diagnostics } => {
            let mut err = String::new();
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == crate::model::Severity::Error)
                .count();
            let noun = if errors == 1 { "problem" } else { "problems" };
            let _ = writeln!(err, "{path}: {errors} {noun} found; nothing was loaded");
            for d in &diagnostics {
                let _ = writeln!(err, "  {d}");
            }
            Err(Output {
                stderr: err,
                code: EXIT_INVALID,
                ..Default::default()
            })
        }
    }
}

fn validate(args: &[String], env: &dyn Environment) -> Output {
    let loaded = match load(args, env) {
        Ok(x) => x,
        Err(out) => return out,
    };
    let mut out = String::new();
    let _ = writeln!(out, "OK {}", summary(&loaded.ws));
    for d in &loaded.warnings {
        let _ = writeln!(out, "  {d}");
    }
    Output {
        stdout: out,
        ..Default::default()
    }
}

/// Check a workshop scenario: its workspace, and each exercise's stated answer against the engine.
fn scenario(args: &[String], env: &dyn Environment) -> Output {
    let [path] = args else {
        return Output::usage("expected exactly one FILE");
    };
    let bytes = match env.read(path) {
        Ok(b) => b,
        Err(e) => {
            return Output {
                stderr: format!("pcs: cannot read {path}: {e}\n"),
                code: EXIT_USAGE,
                ..Default::default()
            };
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    match crate::workshop::read_scenario(&text) {
        Ok(s) => {
            let mut out = format!("OK \"{}\": {} exercises\n", s.title, s.exercises.len());
            for ex in &s.exercises {
                if let Ok(a) = s.answer(&ex.query) {
                    let _ = writeln!(out, "  {}: {}", ex.id, a.value);
                }
            }
            Output {
                stdout: out,
                ..Default::default()
            }
        }
        Err(problems) => {
            let mut err = format!("{path}: {} problems found\n", problems.len());
            for d in &problems {
                let _ = writeln!(err, "  {d}");
            }
            Output {
                stderr: err,
                code: EXIT_INVALID,
                ..Default::default()
            }
        }
    }
}

/// One line: the name, month, rule set and counts, e.g. `"Contoso" (as of 2026-10, rules 2026-11): 15 customers, …`.
pub fn summary(ws: &Workspace) -> String {
    format!(
        "\"{}\" (as of {}, rules {}): {}",
        ws.name,
        ws.as_of,
        ws.rules,
        ws.counts()
    )
}

/// Options after a FILE: `--name value` pairs and bare `--flag`s.
struct Options {
    file: Vec<String>,
    values: Vec<(String, String)>,
    flags: Vec<String>,
}

impl Options {
    fn parse(args: &[String], with_value: &[&str], flags: &[&str]) -> Result<Options, Output> {
        let mut o = Options {
            file: Vec::new(),
            values: Vec::new(),
            flags: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if with_value.contains(&a.as_str()) {
                let Some(v) = it.next() else {
                    return Err(Output::usage(format!("{a} needs a value")));
                };
                o.values.push((a.clone(), v.clone()));
            } else if flags.contains(&a.as_str()) {
                o.flags.push(a.clone());
            } else if a.starts_with("--") {
                return Err(Output::usage(format!("unknown option {a}")));
            } else {
                o.file.push(a.clone());
            }
        }
        Ok(o)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}

fn reconcile(args: &[String], env: &dyn Environment) -> Output {
    let opts = match Options::parse(args, &["--month"], &["--json"]) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let (ws, rules) = match load_with_rules(&opts.file, env) {
        Ok(x) => x,
        Err(out) => return out,
    };
    let month = match month_option(
        &opts,
        crate::reconcile::default_month(&ws).unwrap_or(ws.as_of),
    ) {
        Ok(m) => m,
        Err(out) => return out,
    };
    let today = ws.judged_on(env.today());
    let r = crate::reconcile::reconcile(&ws, rules, month, today);
    let stdout = if opts.flag("--json") {
        let mut text = crate::model::pretty::to_string_pretty(&crate::reconcile::to_json(&r))
            .unwrap_or_default();
        text.push('\n');
        text
    } else {
        crate::reconcile::to_text(&r)
    };
    Output {
        stdout,
        ..Default::default()
    }
}

fn explain(args: &[String], env: &dyn Environment) -> Output {
    use crate::attribution::{Prepared, Viewpoint, explain::sentence};
    let opts = match Options::parse(args, &["--customer", "--month"], &["--json"]) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let (ws, rules) = match load_with_rules(&opts.file, env) {
        Ok(x) => x,
        Err(out) => return out,
    };
    let month = match month_option(&opts, ws.as_of) {
        Ok(m) => m,
        Err(out) => return out,
    };
    if let Some(id) = opts.value("--customer")
        && ws.customer(id).is_none()
    {
        return Output::usage(format!("no customer with id \"{id}\""));
    }
    let prepared = Prepared::new(&ws, rules, Viewpoint::of_workspace(&ws));
    let mut out = String::new();
    let mut json = Vec::new();
    for (ci, c) in ws.customers.iter().enumerate() {
        if opts
            .value("--customer")
            .is_some_and(|id| id != c.id.as_str())
        {
            continue;
        }
        let _ = writeln!(out, "{} ({}) — {}", c.name, c.id, month);
        let mut items = Vec::new();
        for (li, u) in c.usage.iter().enumerate() {
            let decisions = prepared.explain_line(ci, li, month);
            let label = format!(
                "{} on {} — {} in {month}",
                u.service,
                crate::attribution::explain::scope_name(c, &u.scope),
                crate::model::money(u.acr.get(month))
            );
            items.push(("usage", li, label, decisions));
        }
        for (wi, w) in c.workloads.iter().enumerate() {
            let decisions = prepared.explain_workload(ci, wi, month);
            let label = format!(
                "{} — {} paid seats, {} active users",
                w.workload,
                w.paid_seats.get(month),
                w.active_users.get(month)
            );
            items.push(("workload", wi, label, decisions));
        }
        for (label_kind, index, label, decisions) in items {
            let credited = decisions.iter().any(|d| d.credited);
            let pec = match (label_kind, prepared.pec_eligible(ci, &decisions)) {
                ("usage", Some(true)) => " [PEC eligible]",
                ("usage", Some(false)) => " [no PEC: read-only role]",
                _ => "",
            };
            let _ = writeln!(out, "  {} {label}{pec}", if credited { "✓" } else { "✗" });
            for d in &decisions {
                let _ = writeln!(
                    out,
                    "      {} {}",
                    if d.credited { "+" } else { "-" },
                    sentence(d, &ws, c)
                );
            }
            json.push(serde_json::json!({
                "customer": c.id.as_str(), "kind": label_kind, "index": index, "label": label,
                "credited": credited,
                "decisions": decisions.iter().map(|d| {
                    let mut v = serde_json::to_value(d).unwrap_or_default();
                    v["text"] = sentence(d, &ws, c).into();
                    v
                }).collect::<Vec<_>>(),
            }));
        }
    }
    let today = ws.judged_on(env.today());
    let found: Vec<crate::findings::Finding> = crate::findings::findings(&ws, rules, today)
        .into_iter()
        .filter(|f| {
            opts.value("--customer")
                .is_none_or(|id| f.customer.as_deref() == Some(id))
        })
        .collect();
    let cua = crate::attribution::cua::ledger(&ws, month);
    if !cua.deployments.is_empty() && opts.value("--customer").is_none() {
        let _ = writeln!(
            out,
            "\nCustomer usage attribution (CUA, not part of the score):"
        );
        for d in &cua.deployments {
            let outcome = match d.outcome {
                crate::attribution::cua::CuaOutcome::Attributed => "attributed",
                crate::attribution::cua::CuaOutcome::Unregistered => {
                    "not attributed: GUID not registered"
                }
                crate::attribution::cua::CuaOutcome::RegisteredAfterDeployment => {
                    "not attributed: registered after the deployment"
                }
                crate::attribution::cua::CuaOutcome::NestedTemplateOnly => {
                    "not attributed: only in a nested template"
                }
            };
            let _ = writeln!(
                out,
                "  {} — {} in {}, deployed {} via {}: {} in {month}, {outcome}",
                d.guid,
                d.service,
                d.customer,
                d.deployed,
                d.via,
                crate::model::money(d.acr_month)
            );
        }
    }
    let _ = writeln!(out, "\nFindings ({}):", found.len());
    for f in &found {
        let _ = writeln!(
            out,
            "  [{}] {} {}: {}",
            f.severity.as_str(),
            f.code,
            f.customer.as_deref().unwrap_or("-"),
            f.message
        );
        let _ = writeln!(out, "      fix: {}", f.fix.summary);
    }
    if opts.flag("--json") {
        let doc = serde_json::json!({ "month": month.to_string(), "items": json, "findings": found, "cua": cua });
        return Output {
            stdout: format!(
                "{}\n",
                crate::model::pretty::to_string_pretty(&doc).unwrap_or_default()
            ),
            ..Default::default()
        };
    }
    Output {
        stdout: out,
        ..Default::default()
    }
}

fn score(args: &[String], env: &dyn Environment) -> Output {
    let opts = match Options::parse(args, &["--rules"], &[]) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut ws = match load(&opts.file, env) {
        Ok(x) => x.ws,
        Err(out) => return out,
    };
    if let Some(id) = opts.value("--rules") {
        ws.rules = id.to_owned();
    }
    let Some(rules) = crate::rules::rule_set(&ws.rules) else {
        let known = crate::rules::RULE_SET_IDS.join(", ");
        return Output::usage(format!("unknown rule set \"{}\"; known: {known}", ws.rules));
    };
    let today = ws.judged_on(env.today());
    let eval = crate::scoring::evaluate(&ws, rules);
    let found = crate::findings::findings(&ws, rules, today);
    let report = crate::scoring::report::score_report(&eval, &found);
    Output {
        stdout: format!(
            "{}\n",
            crate::model::pretty::to_string_pretty(&report).unwrap_or_default()
        ),
        ..Default::default()
    }
}

fn plan(args: &[String], env: &dyn Environment) -> Output {
    let opts = match Options::parse(args, &["--designation"], &["--json"]) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let (ws, rules) = match load_with_rules(&opts.file, env) {
        Ok(x) => x,
        Err(out) => return out,
    };
    let ids: Vec<String> = match opts.value("--designation") {
        Some(id) if rules.designation(id).is_some() => vec![id.to_owned()],
        Some(id) => {
            let known: Vec<&str> = rules
                .scoring
                .designations
                .iter()
                .map(|d| d.id.as_str())
                .collect();
            return Output::usage(format!(
                "unknown designation \"{id}\"; known: {}",
                known.join(", ")
            ));
        }
        None => rules
            .scoring
            .designations
            .iter()
            .map(|d| d.id.clone())
            .collect(),
    };
    let today = ws.judged_on(env.today());
    let plans: Vec<crate::planner::Plan> = ids
        .iter()
        .filter_map(|id| crate::planner::plan(&ws, rules, id, today))
        .collect();
    if opts.flag("--json") {
        return Output {
            stdout: format!(
                "{}\n",
                crate::model::pretty::to_string_pretty(&plans).unwrap_or_default()
            ),
            ..Default::default()
        };
    }
    let mut out = String::new();
    for p in &plans {
        if p.actions.is_empty() && p.qualified {
            let _ = writeln!(
                out,
                "{}: qualifies in {} with {:.2} points; nothing to do",
                p.name, p.month, p.start
            );
            continue;
        }
        let _ = writeln!(
            out,
            "{}: {:.2} → {:.2} points in {}{}",
            p.name,
            p.start,
            p.reached,
            p.month,
            if p.qualified { " (qualifies)" } else { "" }
        );
        for (i, a) in p.actions.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} — +{:.2} points (effort {}){}",
                i + 1,
                a.title,
                a.gain,
                a.effort,
                a.finding
                    .as_ref()
                    .map(|f| format!(" [fixes {f}]"))
                    .unwrap_or_default()
            );
            for step in &a.steps {
                let _ = writeln!(out, "     - {step}");
            }
        }
        if let Some(why) = &p.stops_because {
            let _ = writeln!(out, "  stops at {:.2}: {why}", p.reached);
        }
    }
    Output {
        stdout: out,
        ..Default::default()
    }
}

fn generate(args: &[String]) -> Output {
    let opts = match Options::parse(
        args,
        &["--customers", "--seed"],
        &["--compact", "--azure-usage"],
    ) {
        Ok(o) => o,
        Err(out) => return out,
    };
    if !opts.file.is_empty() {
        return Output::usage("generate takes no FILE; redirect its output");
    }
    let number = |name: &str, default: u64| -> Result<u64, Output> {
        match opts.value(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| Output::usage(format!("{name} expects a whole number, got \"{v}\""))),
        }
    };
    let (customers, seed) = match (number("--customers", 50), number("--seed", 1)) {
        (Ok(c), Ok(s)) => (c, s),
        (Err(out), _) | (_, Err(out)) => return out,
    };
    if customers == 0 || customers > 100_000 {
        return Output::usage("--customers must be between 1 and 100000");
    }
    let ws = crate::generate::generate(customers as usize, seed);
    let stdout = if opts.flag("--azure-usage") {
        crate::generate::azure_usage_csv(&ws)
    } else if opts.flag("--compact") {
        serde_json::to_string(&ws).unwrap_or_default() + "\n"
    } else {
        ws.to_json()
    };
    Output {
        stdout,
        ..Default::default()
    }
}

/// Every engine step timed on one file (JSON: median, min and max in milliseconds).
fn bench(args: &[String], env: &dyn Environment) -> Output {
    let opts = match Options::parse(args, &["--runs", "--skip"], &[]) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let skip: Vec<String> = opts
        .value("--skip")
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect())
        .unwrap_or_default();
    let runs: usize = opts
        .value("--runs")
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .clamp(1, 100);
    let Loaded { bytes, ws, .. } = match load(&opts.file, env) {
        Ok(x) => x,
        Err(out) => return out,
    };
    let today = ws.judged_on(env.today());
    let start = std::time::Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    let mut report = crate::bench::run(&bytes, &ws, runs, &skip, today, &now);
    report["file"] = serde_json::Value::String(opts.file.first().cloned().unwrap_or_default());
    report["engine"] = serde_json::Value::String("native".into());
    Output {
        stdout: format!(
            "{}\n",
            crate::model::pretty::to_string_pretty(&report).unwrap_or_default()
        ),
        ..Default::default()
    }
}

/// `pcs import`: the preview of an import, applied on request.
fn import(args: &[String], env: &dyn Environment) -> Output {
    use crate::import::{self, MergeOptions, ReadOptions};
    let opts = match Options::parse(
        args,
        &["--name", "--as-of", "--take", "--rate"],
        &["--json", "--apply", "--new"],
    ) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let new = opts.flag("--new");
    let (workspace_path, files) = if new {
        (None, opts.file.as_slice())
    } else {
        match opts.file.split_first() {
            Some((w, rest)) => (Some(w.as_str()), rest),
            None => {
                return Output::usage(
                    "expected WORKSPACE and at least one FILE (or --new FILE...)",
                );
            }
        }
    };
    if files.is_empty() {
        return Output::usage("expected at least one FILE to import");
    }
    let mut read_opts = ReadOptions::default();
    for (k, v) in &opts.values {
        if k != "--rate" {
            continue;
        }
        let parsed = v
            .split_once('=')
            .and_then(|(c, r)| Some((c.trim().to_ascii_uppercase(), r.trim().parse::<f64>().ok()?)))
            .filter(|(c, r)| c.len() == 3 && *r > 0.0 && r.is_finite());
        match parsed {
            Some((c, r)) => {
                read_opts.usd_rates.insert(c, r);
            }
            None => {
                return Output::usage(format!(
                    "--rate takes CUR=RATE (US dollars per unit), e.g. EUR=1.08; found \"{v}\""
                ));
            }
        }
    }
    let mut read = Vec::new();
    let mut refused = String::new();
    for path in files {
        let bytes = match env.read(path) {
            Ok(b) => b,
            Err(e) => {
                return Output {
                    stderr: format!("pcs: cannot read {path}: {e}\n"),
                    code: EXIT_USAGE,
                    ..Default::default()
                };
            }
        };
        let name = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
        match import::read(&name, bytes, &read_opts) {
            Ok(f) => read.push(f),
            Err(r) => {
                let _ = writeln!(refused, "{path}: not imported: {}", r.message);
            }
        }
    }
    if read.is_empty() {
        return Output {
            stderr: refused,
            code: EXIT_INVALID,
            ..Default::default()
        };
    }
    let today = env.today();
    let base = match workspace_path {
        None => {
            let as_of = match opts.value("--as-of") {
                Some(m) => match crate::model::Month::parse(m) {
                    Some(m) => m,
                    None => {
                        return Output::usage(format!(
                            "--as-of takes a month as YYYY-MM, found \"{m}\""
                        ));
                    }
                },
                None => match import::latest_complete_month(&read, today)
                    .or_else(|| today.map(|t| t.month().plus(-1)))
                {
                    Some(m) => m,
                    None => return Output::usage("the files hold no month: give --as-of YYYY-MM"),
                },
            };
            import::empty_workspace(
                opts.value("--name").unwrap_or("My partner organisation"),
                as_of,
            )
        }
        Some(path) => match load(&[path.to_owned()], env) {
            Ok(l) => l.ws,
            Err(out) => return out,
        },
    };
    let take = opts
        .value("--take")
        .map(|t| {
            t.split(',')
                .map(|k| k.trim().to_owned())
                .filter(|k| !k.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let keep_as_of = new && opts.value("--as-of").is_some();
    let plan = import::plan(
        &base,
        &read,
        &MergeOptions {
            today,
            take,
            keep_as_of,
        },
    );
    let mut report = if opts.flag("--json") {
        format!(
            "{}\n",
            crate::model::pretty::to_string_pretty(&import::merge::plan_json(&plan))
                .unwrap_or_default()
        )
    } else {
        import::merge::plan_text(&plan)
    };
    let mut stderr = refused;
    let code = if import::applicable(&plan) {
        EXIT_OK
    } else {
        EXIT_INVALID
    };
    if code != EXIT_OK {
        for d in &plan.problems {
            let _ = writeln!(stderr, "  {d}");
        }
    }
    if new {
        // The workspace goes to standard output; the preview to standard error.
        stderr.push_str(&report);
        return Output {
            stdout: if code == EXIT_OK {
                plan.merged.to_json()
            } else {
                String::new()
            },
            stderr,
            code,
        };
    }
    if opts.flag("--apply") && code == EXIT_OK {
        let path = workspace_path.unwrap_or_default();
        if plan.is_noop() {
            report.push_str("Nothing to apply.\n");
        } else if let Err(e) = env.write(path, &plan.merged.to_json()) {
            return Output {
                stdout: report,
                stderr: format!("pcs: cannot write {path}: {e}; it is unchanged\n"),
                code: EXIT_USAGE,
            };
        } else {
            let _ = writeln!(report, "Applied: {path} now holds the merged workspace.");
        }
    }
    Output {
        stdout: report,
        stderr,
        code,
    }
}
