//! Bringing a partner's own data in: Partner Center downloads (CSV), the tenant inventory
//! (Azure CLI / PowerShell JSON and the collector's bundle) and Cost Management exports are
//! recognised by their shape, read into facts keyed by ids ([`facts`]), then merged into a
//! workspace through a preview ([`merge::plan`]). Nothing is guessed: unknown names are
//! listed, refused rows name their file, line and column, and the workspace is untouched
//! until the plan is applied.

pub mod cost;
pub mod facts;
pub mod merge;
pub mod partner_center;
pub mod table;
pub mod tenant;

use crate::model::{ImportKind, Severity};
use crate::rules::names::{Names, names};
use facts::{FileFacts, RowProblem};
use std::collections::BTreeMap;
use table::{Column, ColumnMap, CsvSource, NotCsv};

pub use merge::{MergeOptions, Plan, Planning, empty_workspace, latest_complete_month, plan};

/// Files larger than this are refused before reading (a large partner's Azure usage
/// download: a few million rows at ~200 bytes each).
pub const MAX_IMPORT_BYTES: usize = 512 * 1024 * 1024;

/// Rows read per step when the app reads a file in steps.
pub const ROWS_PER_STEP: usize = 5_000;

/// Choices for reading.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// US dollars per unit of a billing currency (Cost Management exports), by code.
    pub usd_rates: BTreeMap<String, f64>,
}

/// A file that is not one PCS Workbench reads, in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// A file read: its facts and, for the inventory, which identities are the partner's.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub facts: FileFacts,
    pub ours: tenant::Ours,
}

/// The CSV kinds, in the order they are tried (the more specific first).
const CSV_KINDS: &[(ImportKind, &[Column])] = &[
    (ImportKind::AzureUsage, partner_center::AZURE_USAGE),
    (ImportKind::CporM365Usage, partner_center::CPOR_M365_USAGE),
    (ImportKind::LicenseUsage, partner_center::LICENSE_USAGE),
    (
        ImportKind::CustomersRevenue,
        partner_center::CUSTOMERS_REVENUE,
    ),
    (ImportKind::Trainings, partner_center::TRAININGS),
    (ImportKind::CostExport, cost::COST_EXPORT),
];

/// Every kind, for "expected one of …".
pub fn expected_kinds() -> String {
    ImportKind::ALL
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("; ")
}

enum CsvReader {
    AzureUsage(partner_center::AzureUsage),
    LicenseUsage,
    CporM365Usage,
    CustomersRevenue,
    Trainings,
    Cost(cost::CostExport),
}

/// A file being read, a step at a time for a large CSV so the page can show progress.
pub struct FileReading {
    state: State,
}

struct CsvState {
    source: CsvSource,
    map: ColumnMap,
    reader: CsvReader,
    facts: FileFacts,
}

enum State {
    Csv(Box<CsvState>),
    Done(Box<ReadFile>),
}

fn refuse(file: &str, message: impl Into<String>) -> Refusal {
    Refusal {
        file: file.to_owned(),
        message: message.into(),
    }
}

impl FileReading {
    /// Recognise the file; read a JSON one entirely, open a CSV one for [`FileReading::step`].
    pub fn start(file: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Result<FileReading, Refusal> {
        if bytes.len() > MAX_IMPORT_BYTES {
            return Err(refuse(
                file,
                format!(
                    "the file is {:.0} MB; PCS Workbench imports files up to {} MB",
                    bytes.len() as f64 / 1e6,
                    MAX_IMPORT_BYTES / (1024 * 1024)
                ),
            ));
        }
        let head = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
        let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if head.starts_with(b"PK\x03\x04") {
            return Err(refuse(
                file,
                "this looks like an Excel workbook; download the report as CSV instead",
            ));
        }
        if head.starts_with(b"%PDF") {
            return Err(refuse(
                file,
                "this is a PDF; PCS Workbench reads the CSV downloads and the JSON the Azure CLI writes",
            ));
        }
        match first {
            None => Err(refuse(file, "the file is empty")),
            Some(b'{' | b'[') => Ok(FileReading {
                state: State::Done(Box::new(read_json(file, head)?)),
            }),
            Some(_) => Self::start_csv(file, bytes, opts),
        }
    }

    fn start_csv(file: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Result<FileReading, Refusal> {
        let source = CsvSource::open(bytes).map_err(|e| match e {
            NotCsv::Empty => refuse(file, "the file is empty"),
            NotCsv::NotText(m) => refuse(file, m),
        })?;
        let mut best: Option<(ImportKind, Vec<&'static str>, usize)> = None;
        for (kind, columns) in CSV_KINDS {
            let (map, missing) = ColumnMap::new(columns, &source.headers);
            let cost_ok = *kind != ImportKind::CostExport
                || ["usd", "cost"].iter().any(|k| {
                    columns.iter().any(|c| {
                        c.key == *k
                            && c.headers.iter().any(|h| {
                                source
                                    .headers
                                    .iter()
                                    .any(|x| table::header_key(x) == table::header_key(h))
                            })
                    })
                });
            if missing.is_empty() && cost_ok {
                let reader = match kind {
                    ImportKind::AzureUsage => CsvReader::AzureUsage(Default::default()),
                    ImportKind::LicenseUsage => CsvReader::LicenseUsage,
                    ImportKind::CporM365Usage => CsvReader::CporM365Usage,
                    ImportKind::CustomersRevenue => CsvReader::CustomersRevenue,
                    ImportKind::Trainings => CsvReader::Trainings,
                    _ => CsvReader::Cost(cost::CostExport::new(opts.usd_rates.clone())),
                };
                return Ok(FileReading {
                    state: State::Csv(Box::new(CsvState {
                        source,
                        map,
                        reader,
                        facts: FileFacts::new(file, *kind),
                    })),
                });
            }
            let required = columns.iter().filter(|c| c.required).count();
            let present = required - missing.len();
            if present * 2 >= required && best.as_ref().is_none_or(|b| present > b.2) {
                best = Some((*kind, missing, present));
            }
        }
        Err(match best {
            Some((kind, missing, _)) => refuse(
                file,
                format!(
                    "this looks like {} but lacks the column{} {}",
                    kind.label(),
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ),
            ),
            None => {
                let shown: Vec<&str> = source.headers.iter().take(6).map(String::as_str).collect();
                let looks = if source.headers.len() <= 1 {
                    "this does not look like a CSV table".to_owned()
                } else {
                    format!(
                        "this looks like a CSV file with the columns {}{}",
                        shown.join(", "),
                        if source.headers.len() > 6 {
                            ", …"
                        } else {
                            ""
                        }
                    )
                };
                refuse(
                    file,
                    format!("{looks}; expected one of: {}", expected_kinds()),
                )
            }
        })
    }

    /// What the file was recognised as.
    pub fn kind(&self) -> ImportKind {
        match &self.state {
            State::Csv(c) => c.facts.kind,
            State::Done(r) => r.facts.kind,
        }
    }

    /// Share of the file read.
    pub fn progress(&self) -> f64 {
        match &self.state {
            State::Csv(c) => c.source.progress(),
            State::Done(_) => 1.0,
        }
    }

    /// Read up to `rows` more rows; true when the file is done.
    pub fn step(&mut self, rows: usize) -> bool {
        let names = names();
        match &mut self.state {
            State::Done(_) => true,
            State::Csv(c) => {
                let CsvState {
                    source,
                    map,
                    reader,
                    facts,
                } = &mut **c;
                let mut problems: Vec<RowProblem> = Vec::new();
                let mut read = 0;
                let done = source.step(
                    rows,
                    map,
                    |row| {
                        read += 1;
                        csv_row(reader, row, facts, names)
                    },
                    |p| problems.push(p),
                );
                facts.rows += read;
                for p in problems {
                    facts.refuse(p);
                }
                // Every row read: the download's series put in the facts, as many a step,
                // from the step after the last rows.
                done && match reader {
                    CsvReader::AzureUsage(r) => read == 0 && r.finish_step(facts, rows),
                    _ => true,
                }
            }
        }
    }

    /// Read what is left and give the facts.
    pub fn finish(mut self) -> ReadFile {
        while !self.step(usize::MAX) {}
        match self.state {
            State::Done(r) => *r,
            State::Csv(c) => {
                let CsvState {
                    reader, mut facts, ..
                } = *c;
                match reader {
                    CsvReader::AzureUsage(r) => r.finish(&mut facts),
                    CsvReader::Cost(r) => r.finish(&mut facts),
                    _ => {}
                }
                ReadFile {
                    facts,
                    ours: tenant::Ours::new(),
                }
            }
        }
    }
}

fn csv_row(
    reader: &mut CsvReader,
    row: &table::Row,
    facts: &mut FileFacts,
    names: &Names,
) -> Result<(), RowProblem> {
    match reader {
        CsvReader::AzureUsage(r) => r.row(row, facts, names),
        CsvReader::LicenseUsage => partner_center::license_usage_row(row, facts, names),
        CsvReader::CporM365Usage => partner_center::cpor_usage_row(row, facts, names),
        CsvReader::CustomersRevenue => partner_center::customers_revenue_row(row, facts, names),
        CsvReader::Trainings => partner_center::trainings_row(row, facts, names),
        CsvReader::Cost(r) => r.row(row, facts),
    }
}

fn read_json(file: &str, bytes: &[u8]) -> Result<ReadFile, Refusal> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        refuse(
            file,
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        refuse(
            file,
            format!(
                "this looks like JSON but is not valid: {}",
                crate::validate::json_syntax_message(&e)
            ),
        )
    })?;
    match value.get("format").and_then(serde_json::Value::as_str) {
        Some(crate::model::WORKSPACE_FORMAT) => {
            return Err(refuse(
                file,
                "this is a PCS Workbench workspace file: open it with \"Import a workspace file\" instead",
            ));
        }
        Some(crate::workshop::SCENARIO_FORMAT) => {
            return Err(refuse(
                file,
                "this is a workshop scenario: import it on the Workshop page",
            ));
        }
        _ => {}
    }
    let Some(shape) = tenant::shape(&value) else {
        return Err(refuse(
            file,
            format!(
                "this JSON is not one of the outputs PCS Workbench reads; expected one of: {}",
                expected_kinds()
            ),
        ));
    };
    let mut inv = tenant::Inventory::new(file, shape.kind(), names());
    inv.read(&value, shape);
    let (facts, ours) = inv.finish();
    Ok(ReadFile { facts, ours })
}

/// Read a whole file at once (the command line; tests).
pub fn read(file: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Result<ReadFile, Refusal> {
    Ok(FileReading::start(file, bytes, opts)?.finish())
}

/// A refused row as a diagnostic line: `file, line 12, column 4 (ACR_USD): …`.
pub fn problem_line(file: &str, p: &RowProblem) -> String {
    format!("{file}, {}", p.describe())
}

/// Whether the merged workspace can be applied.
pub fn applicable(plan: &Plan) -> bool {
    plan.problems.iter().all(|d| d.severity != Severity::Error)
}

/// Where a customer's records came from, one line per import (and one for records typed or
/// edited here): `Partner Center: Azure usage — azure-usage.csv, imported 2026-11-20: the
/// customer, 1 subscription, 3 usage lines`.
pub fn provenance(ws: &crate::model::Workspace, c: &crate::model::Customer) -> Vec<String> {
    use crate::model::Id;
    let mut counts: BTreeMap<Option<Id>, BTreeMap<&'static str, usize>> = BTreeMap::new();
    let mut add = |source: &Option<Id>, what: &'static str| {
        *counts
            .entry(source.clone())
            .or_default()
            .entry(what)
            .or_default() += 1;
    };
    add(&c.source, "the customer");
    c.subscriptions
        .iter()
        .for_each(|s| add(&s.source, "subscriptions"));
    c.usage.iter().for_each(|u| add(&u.source, "usage lines"));
    c.workloads.iter().for_each(|w| add(&w.source, "workloads"));
    for i in &c.identities {
        add(&i.source, "identities");
        i.roles
            .iter()
            .for_each(|r| add(&r.source, "role assignments"));
        i.pal.iter().for_each(|l| add(&l.source, "PAL links"));
    }
    c.cpor.iter().for_each(|k| add(&k.source, "claims"));
    c.reported
        .iter()
        .for_each(|r| add(&r.source, "months of Partner Center attribution"));
    if counts.keys().all(Option::is_none) {
        return Vec::new();
    }
    counts
        .into_iter()
        .map(|(source, what)| {
            let list = what
                .iter()
                .map(|(w, n)| match (*w, n) {
                    ("the customer", _) => "the customer".to_owned(),
                    ("months of Partner Center attribution", _) => {
                        format!(
                            "{n} run{} of Partner Center attribution",
                            if *n == 1 { "" } else { "s" }
                        )
                    }
                    (w, 1) => format!(
                        "1 {}",
                        w.trim_end_matches('s').replace("identitie", "identity")
                    ),
                    (w, n) => format!("{n} {w}"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            match source.as_ref().and_then(|s| ws.import(s)) {
                Some(i) => format!(
                    "{} — {}, imported {}: {list}",
                    i.kind.label(),
                    i.file,
                    i.imported
                ),
                None => format!("Typed or edited in PCS Workbench: {list}"),
            }
        })
        .collect()
}
