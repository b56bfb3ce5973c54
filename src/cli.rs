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
}

pub const HELP: &str = "\
pcs — Partner Capability Score workbench (command line)

Usage:
  pcs validate FILE        check a workspace file; prints OK and a summary, or every problem
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
        other => Output::usage(format!("unknown command \"{other}\"")),
    }
}

/// Read and validate the workspace at the single path in `args`.
fn load(args: &[String], env: &dyn Environment) -> Result<(Workspace, Import), Output> {
    let [path] = args else {
        return Err(Output::usage("expected exactly one FILE"));
    };
    let bytes = env.read(path).map_err(|e| Output {
        stderr: format!("pcs: cannot read {path}: {e}\n"),
        code: EXIT_USAGE,
        ..Default::default()
    })?;
    let import = read_workspace(&bytes, ReadOptions { today: env.today() });
    match &import {
        Import::Loaded { workspace, .. } => Ok(((**workspace).clone(), import)),
        Import::Rejected { diagnostics } => {
            let mut err = String::new();
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == crate::model::Severity::Error)
                .count();
            let noun = if errors == 1 { "problem" } else { "problems" };
            let _ = writeln!(err, "{path}: {errors} {noun} found; nothing was loaded");
            for d in diagnostics {
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
    let (ws, import) = match load(args, env) {
        Ok(x) => x,
        Err(out) => return out,
    };
    let mut out = String::new();
    let _ = writeln!(out, "OK {}", summary(&ws));
    for d in import.diagnostics() {
        let _ = writeln!(out, "  {d}");
    }
    Output {
        stdout: out,
        ..Default::default()
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
