//! Reading a workspace file: size limit, JSON syntax, format version and migrations,
//! strict decoding, then the checks that span records (references, duplicates,
//! overlaps, order). Every problem comes back with its JSON path.

pub mod migrate;
pub use crate::model::scope;

use crate::model::json::{Cx, Diagnostic, FromJson, Severity, suggest};
use crate::model::workspace::{CURRENT_VERSION, Customer, Offer, WORKSPACE_FORMAT, Workspace};
use crate::model::{Date, Guid, Month};
use crate::rules::Catalogue;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Files larger than this are refused before parsing. A 5,000-customer workspace with
/// 24 months of series is ~85 MB written compactly (~150 MB indented).
pub const MAX_FILE_BYTES: usize = 128 * 1024 * 1024;

/// What importing a file gives: the workspace and its warnings, or every error found.
#[derive(Debug)]
pub enum Import {
    Loaded {
        workspace: Box<Workspace>,
        warnings: Vec<Diagnostic>,
    },
    Rejected {
        diagnostics: Vec<Diagnostic>,
    },
}

impl Import {
    pub fn workspace(self) -> Option<Workspace> {
        match self {
            Import::Loaded { workspace, .. } => Some(*workspace),
            Import::Rejected { .. } => None,
        }
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Import::Loaded { warnings, .. } => warnings,
            Import::Rejected { diagnostics } => diagnostics,
        }
    }
}

/// Options for reading a file.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Today's date, for "in the future" warnings; none skips them.
    pub today: Option<Date>,
}

fn reject(path: &str, message: String) -> Import {
    Import::Rejected {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            path: path.to_owned(),
            message,
        }],
    }
}

/// Read a workspace from the bytes of a file. Never panics, whatever the bytes.
///
/// In one go, a valid file of the current version decodes in one pass straight from the
/// whole text (no copy of it, no search for its customers as [`Reading`] needs to take it
/// in steps); anything else is read through the JSON tree, which finds every problem with
/// its path. All three ways give the same result (`tests/fuzz.rs`).
pub fn read_workspace(bytes: &[u8], opts: ReadOptions) -> Import {
    let text = match text_of(bytes) {
        Ok(text) => text,
        Err(refused) => return refused,
    };
    match serde_json::from_str::<Workspace>(text) {
        Ok(ws) if ws.version == CURRENT_VERSION => checked(ws, Cx::default(), opts),
        _ => match Reading::from_text(text, opts) {
            Ok(reading) => reading.finish(),
            Err(refused) => refused,
        },
    }
}

/// [`read_workspace`] through the JSON tree alone, never in one pass: the reference the
/// one-pass decoder is tested against (`tests/fuzz.rs`).
pub fn read_workspace_tree(bytes: &[u8], opts: ReadOptions) -> Import {
    match Reading::through_tree(bytes, opts) {
        Ok(reading) => reading.finish(),
        Err(refused) => refused,
    }
}

/// The text of a file within the size limit, without a byte-order mark.
fn text_of(bytes: &[u8]) -> Result<&str, Import> {
    within_size(bytes)?;
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Err(e) => Err(not_utf8(&e)),
    }
}

/// [`text_of`] without copying the bytes.
fn text_of_owned(bytes: Vec<u8>) -> Result<String, Import> {
    within_size(&bytes)?;
    let mut text = String::from_utf8(bytes).map_err(|e| not_utf8(&e.utf8_error()))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

fn within_size(bytes: &[u8]) -> Result<(), Import> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(reject(
            "",
            format!(
                "the file is {:.1} MB; PCS Workbench reads workspaces up to {} MB",
                bytes.len() as f64 / 1e6,
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

fn not_utf8(e: &std::str::Utf8Error) -> Import {
    reject(
        "",
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ),
    )
}

/// A decoded workspace checked across its records: loaded with its warnings, or rejected.
fn checked(ws: Workspace, mut cx: Cx, opts: ReadOptions) -> Import {
    check_workspace(&ws, &mut cx, opts);
    outcome(ws, cx)
}

/// A checked workspace: loaded with its warnings, or rejected when a check found an error.
fn outcome(ws: Workspace, cx: Cx) -> Import {
    let diagnostics = cx.finish();
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Import::Rejected { diagnostics }
    } else {
        Import::Loaded {
            workspace: Box::new(ws),
            warnings: diagnostics,
        }
    }
}

/// A workspace being read a few customers at a time, so the app can show progress and
/// let the page breathe between steps on a large file. [`read_workspace`] is this read
/// in one go: both give the same workspace and the same problems, in the same order.
pub struct Reading {
    state: ReadingState,
    opts: ReadOptions,
}

enum ReadingState {
    /// One pass: the file's customers found in the text ([`SpanScan`]), everything
    /// else decoded, and the customers decoded from their own text a few at a time.
    OnePass {
        text: String,
        shell: Box<Workspace>,
        spans: Vec<(usize, usize)>,
        decoded: Vec<Customer>,
    },
    /// Through the JSON tree, which finds every problem with its path.
    Tree {
        /// Everything but the customers, decoded (None when it has errors).
        rest: Option<Box<Workspace>>,
        customers: Vec<Value>,
        decoded: Vec<Option<Customer>>,
        cx: Cx,
    },
    /// Every customer decoded and the checks across the whole workspace done: each
    /// customer's own checks, a few at a time.
    Checking {
        ws: Box<Workspace>,
        cx: Cx,
        /// The next customer to check.
        next: usize,
    },
    /// Refused before any customer (the JSON syntax, the format version), or with errors
    /// once decoded.
    Refused(Import),
}

impl Reading {
    /// Check the size and the text; then decode all but the customers, in one pass when
    /// the file is valid and of the current version, else through the JSON tree.
    pub fn start(bytes: &[u8], opts: ReadOptions) -> Result<Reading, Import> {
        // The size first: an oversized file is not copied.
        within_size(bytes)?;
        Starting::new(bytes.to_vec(), opts)?.finish()
    }

    /// A one-pass reading of `text` when `spans` found its customers and the rest is a
    /// valid workspace of the current version, else one through the JSON tree.
    fn found(
        text: String,
        spans: Option<CustomerSpans>,
        opts: ReadOptions,
    ) -> Result<Reading, Import> {
        if let Some((open, close, spans)) = spans {
            let shell_text = format!("{}{}", &text[..=open], &text[close..]);
            if let Ok(shell) = serde_json::from_str::<Workspace>(&shell_text)
                && shell.version == CURRENT_VERSION
            {
                return Ok(Reading {
                    state: ReadingState::OnePass {
                        text,
                        shell: Box::new(shell),
                        decoded: Vec::with_capacity(spans.len()),
                        spans,
                    },
                    opts,
                });
            }
        }
        Reading::from_text(&text, opts)
    }

    /// [`Reading::start`] without the one-pass decoder: every file through the JSON tree,
    /// a customer at a time.
    pub fn through_tree(bytes: &[u8], opts: ReadOptions) -> Result<Reading, Import> {
        Reading::from_text(text_of(bytes)?, opts)
    }

    fn from_text(text: &str, opts: ReadOptions) -> Result<Reading, Import> {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return Err(reject("", json_syntax_message(&e))),
        };
        Reading::from_value(value, opts)
    }

    /// [`Reading::start`] from parsed JSON.
    pub fn from_value(value: Value, opts: ReadOptions) -> Result<Reading, Import> {
        let mut value = migrate::to_current(value).map_err(|d| Import::Rejected {
            diagnostics: vec![d],
        })?;
        // The customers are decoded step by step; anything else (not an array) is left
        // for the workspace decoder to report.
        let customers = match value.get_mut("customers") {
            Some(c) if c.is_array() => match c.take() {
                Value::Array(list) => {
                    *c = Value::Array(Vec::new());
                    list
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let mut cx = Cx::default();
        let rest = Workspace::from_json(&value, &mut cx).map(Box::new);
        Ok(Reading {
            state: ReadingState::Tree {
                rest,
                decoded: Vec::with_capacity(customers.len()),
                customers,
                cx,
            },
            opts,
        })
    }

    /// Steps done and in all, counted in customers: each is decoded, then checked.
    pub fn progress(&self) -> (usize, usize) {
        match &self.state {
            ReadingState::OnePass { spans, decoded, .. } => (decoded.len(), 2 * spans.len()),
            ReadingState::Tree {
                customers, decoded, ..
            } => (decoded.len(), 2 * customers.len()),
            ReadingState::Checking { ws, next, .. } => {
                (ws.customers.len() + next, 2 * ws.customers.len())
            }
            ReadingState::Refused(_) => (0, 0),
        }
    }

    /// Decode up to `n` more customers, or once all are, check up to `n` more; true when
    /// all are done.
    pub fn step(&mut self, n: usize) -> bool {
        let decoded = match &mut self.state {
            ReadingState::OnePass {
                text,
                spans,
                decoded,
                ..
            } => {
                let from = decoded.len();
                let to = from.saturating_add(n).min(spans.len());
                for &(a, b) in &spans[from..to] {
                    match serde_json::from_str::<Customer>(&text[a..b]) {
                        Ok(c) => decoded.push(c),
                        // A customer the one-pass decoder refuses: the whole file is read
                        // again through the tree, for every problem with its path.
                        Err(_) => {
                            self.state = match Reading::from_text(text, self.opts) {
                                Ok(tree) => tree.state,
                                Err(refused) => ReadingState::Refused(refused),
                            };
                            return self.step(n);
                        }
                    }
                }
                decoded.len() == spans.len()
            }
            ReadingState::Tree {
                customers,
                decoded,
                cx,
                ..
            } => {
                let from = decoded.len();
                let to = from.saturating_add(n).min(customers.len());
                for (i, v) in customers.iter().enumerate().take(to).skip(from) {
                    let c = cx.at_key("customers", |cx| {
                        cx.at_index(i, |cx| Customer::from_json(v, cx))
                    });
                    decoded.push(c);
                }
                decoded.len() == customers.len()
            }
            ReadingState::Checking { ws, cx, next } => {
                let to = next.saturating_add(n).min(ws.customers.len());
                check_customers(ws, cx, *next..to);
                *next = to;
                return to == ws.customers.len();
            }
            ReadingState::Refused(_) => return true,
        };
        if decoded {
            self.check_next();
        }
        match &self.state {
            ReadingState::Checking { ws, next, .. } => *next == ws.customers.len(),
            ReadingState::Refused(_) => true,
            ReadingState::OnePass { .. } | ReadingState::Tree { .. } => false,
        }
    }

    /// Every customer decoded: the checks across the whole workspace, then each customer's
    /// in the next steps (or refused, when decoding found errors).
    fn check_next(&mut self) {
        let opts = self.opts;
        let checking = |ws: Box<Workspace>, mut cx: Cx| {
            check_shell(&ws, &mut cx, opts);
            ReadingState::Checking { ws, cx, next: 0 }
        };
        let state = std::mem::replace(&mut self.state, ReadingState::Refused(unread()));
        self.state = match state {
            ReadingState::OnePass {
                mut shell, decoded, ..
            } => {
                shell.customers = decoded;
                checking(shell, Cx::default())
            }
            ReadingState::Tree {
                rest, decoded, cx, ..
            } => {
                let all: Option<Vec<Customer>> = decoded.into_iter().collect();
                match (rest, all) {
                    (Some(mut ws), Some(customers)) if !cx.has_errors() => {
                        ws.customers = customers;
                        checking(ws, cx)
                    }
                    _ => ReadingState::Refused(Import::Rejected {
                        diagnostics: cx.finish(),
                    }),
                }
            }
            other => other,
        };
    }

    /// Decode and check what is left, and give the result.
    pub fn finish(mut self) -> Import {
        while !self.step(usize::MAX) {}
        match self.state {
            ReadingState::Checking { ws, cx, .. } => outcome(*ws, cx),
            ReadingState::Refused(refused) => refused,
            // Not left by a step that says all is done.
            ReadingState::OnePass { .. } | ReadingState::Tree { .. } => unread(),
        }
    }
}

/// A reading that did not get to its end (never given: every step ends in a result).
fn unread() -> Import {
    reject("", "the file could not be read to its end".into())
}

/// [`Reading::start`] a slice of the file per step: the app finds the customers of a large
/// file so, the page showing how far it is between steps (one pass over 80 MB is a long
/// task). Taken in steps of any size, the reading is [`Reading::start`]'s (a test compares
/// them).
pub struct Starting {
    text: String,
    scan: SpanScan,
    opts: ReadOptions,
}

impl Starting {
    /// Check the size and the text, keeping the bytes (no copy).
    pub fn new(bytes: Vec<u8>, opts: ReadOptions) -> Result<Starting, Import> {
        Ok(Starting {
            text: text_of_owned(bytes)?,
            scan: SpanScan::default(),
            opts,
        })
    }

    /// Look for the customers in `bytes` more bytes of the text (a string met is read to its
    /// end); true once the whole text is looked through.
    pub fn step(&mut self, bytes: usize) -> bool {
        let until = self.scan.i.saturating_add(bytes);
        self.scan.scan(&self.text, until)
    }

    /// The share of the text looked through, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.scan.done(&self.text) {
            1.0
        } else {
            self.scan.i as f64 / self.text.len().max(1) as f64
        }
    }

    /// The reading, the rest of the text looked through first.
    pub fn finish(mut self) -> Result<Reading, Import> {
        self.scan.scan(&self.text, usize::MAX);
        let spans = std::mem::take(&mut self.scan).found();
        Reading::found(self.text, spans, self.opts)
    }
}

/// The `[` and `]` of a file's customer list, and each customer's text, as byte offsets.
type CustomerSpans = (usize, usize, Vec<(usize, usize)>);

/// The JSON reader refuses nesting past 128; a customer read from its own text sits two
/// levels higher than in the file, so deep files are read whole.
const MAX_SPAN_DEPTH: usize = 100;

/// Where the root object's `customers` array sits in a text: the byte offsets of its `[`
/// and `]`, and each element's span (without the white space around it), found a slice of
/// the text at a time (where the scan is, and what it found so far). None when the text is
/// not shaped so — not one root object, no such array, an empty element, or nesting deep
/// enough to meet the JSON reader's depth limit once taken apart — and the file is then
/// read whole. One pass over the bytes, strings skipped with their escapes.
#[derive(Default)]
struct SpanScan {
    i: usize,
    depth: usize,
    max_depth: usize,
    /// The significant byte before the current one at depth 1 (a key follows `{` or `,`).
    before: u8,
    key_is_customers: bool,
    array: Option<usize>,
    found: Option<CustomerSpans>,
    spans: Vec<(usize, usize)>,
    element: usize,
    /// The text is not shaped so.
    refused: bool,
}

impl SpanScan {
    fn done(&self, text: &str) -> bool {
        self.refused || self.i >= text.len()
    }

    /// The customers' spans, once the whole text is scanned.
    fn found(self) -> Option<CustomerSpans> {
        (!self.refused && self.depth == 0 && self.max_depth <= MAX_SPAN_DEPTH)
            .then_some(self.found?)
    }

    /// Scan on to byte `until` at least; true once the whole text is scanned (or found not
    /// to be shaped so).
    fn scan(&mut self, text: &str, until: usize) -> bool {
        let b = text.as_bytes();
        let until = until.min(b.len());
        let trim = |a: usize, z: usize| {
            let s = &text[a..z];
            let lead = s.len() - s.trim_start_matches([' ', '\t', '\n', '\r']).len();
            let body = s.trim_matches([' ', '\t', '\n', '\r']);
            (a + lead, a + lead + body.len())
        };
        // In locals while the loop runs.
        let (mut i, mut depth, mut before) = (self.i, self.depth, self.before);
        while i < until && !self.refused {
            let c = b[i];
            match c {
                b'"' => {
                    let start = i;
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    if i >= b.len() {
                        self.refused = true;
                        break;
                    }
                    if depth == 1 && matches!(before, b'{' | b',') && self.found.is_none() {
                        self.key_is_customers = &text[start..=i] == "\"customers\"";
                    }
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.max_depth = self.max_depth.max(depth);
                    if c == b'[' && depth == 2 && self.key_is_customers && before == b':' {
                        self.array = Some(i);
                        self.element = i + 1;
                    }
                }
                b'}' | b']' => {
                    if depth == 2
                        && c == b']'
                        && let Some(open) = self.array.take()
                    {
                        let span = trim(self.element, i);
                        if span.0 < span.1 {
                            self.spans.push(span);
                        } else if !self.spans.is_empty() {
                            self.refused = true;
                            break;
                        }
                        self.found = Some((open, i, std::mem::take(&mut self.spans)));
                        self.key_is_customers = false;
                    }
                    let Some(d) = depth.checked_sub(1) else {
                        self.refused = true;
                        break;
                    };
                    depth = d;
                }
                b',' if depth == 2 && self.array.is_some() => {
                    let span = trim(self.element, i);
                    if span.0 == span.1 {
                        self.refused = true;
                        break;
                    }
                    self.spans.push(span);
                    self.element = i + 1;
                }
                _ => {}
            }
            if depth == 1 && !c.is_ascii_whitespace() {
                before = c;
            }
            i += 1;
        }
        (self.i, self.depth, self.before) = (i, depth, before);
        self.done(text)
    }
}

/// [`SpanScan`] over the whole text at once.
#[cfg(test)]
fn customer_spans(text: &str) -> Option<CustomerSpans> {
    let mut scan = SpanScan::default();
    scan.scan(text, usize::MAX);
    scan.found()
}

/// A serde_json syntax error in a partner's words, with line and column.
pub fn json_syntax_message(e: &serde_json::Error) -> String {
    let what = e.to_string();
    // serde_json appends " at line L column C"; say it first instead.
    let bare = what.split(" at line ").next().unwrap_or(&what);
    let kind = if e.is_eof() {
        "the file ends too early"
    } else {
        "this is not valid JSON"
    };
    format!("{kind}: line {}, column {}: {bare}", e.line(), e.column())
}

/// Read a workspace from parsed JSON (the app's storage path skips the text step).
pub fn read_workspace_value(value: Value, opts: ReadOptions) -> Import {
    match Reading::from_value(value, opts) {
        Ok(reading) => reading.finish(),
        Err(refused) => refused,
    }
}

/// Validate a workspace already in memory (after an edit in the app).
pub fn check(ws: &Workspace, opts: ReadOptions) -> Vec<Diagnostic> {
    let mut cx = Cx::default();
    check_workspace(ws, &mut cx, opts);
    cx.finish()
}

fn check_workspace(ws: &Workspace, cx: &mut Cx, opts: ReadOptions) {
    check_shell(ws, cx, opts);
    check_customers(ws, cx, 0..ws.customers.len());
}

/// The checks across the whole workspace: all but each customer's own.
fn check_shell(ws: &Workspace, cx: &mut Cx, opts: ReadOptions) {
    let catalogue = crate::rules::catalogue();
    if ws.format != WORKSPACE_FORMAT {
        cx.at_key("format", |cx| {
            cx.error(format!(
                "this is not a PCS Workbench workspace (expected \"{WORKSPACE_FORMAT}\")"
            ))
        });
    }
    if ws.version != CURRENT_VERSION {
        cx.at_key("version", |cx| {
            cx.error(format!("version {} cannot be read here", ws.version))
        });
    }
    if ws.name.trim().is_empty() {
        cx.at_key("name", |cx| cx.error("give the workspace a name"));
    }
    if crate::rules::rule_set(&ws.rules).is_none() {
        let ids = crate::rules::RULE_SET_IDS;
        let hint = suggest(&ws.rules, ids.iter().copied())
            .map(|s| format!("did you mean \"{s}\"?"))
            .unwrap_or_else(|| format!("known rule sets: {}", ids.join(", ")));
        cx.at_key("rules", |cx| {
            cx.error(format!("unknown rule set \"{}\"; {hint}", ws.rules))
        });
    }
    if let Some(today) = opts.today
        && ws.as_of > today.month()
    {
        cx.at_key("as_of", |cx| {
            cx.warning(format!(
                "{} is in the future; scores for months without data will be low",
                ws.as_of
            ))
        });
    }
    check_partner(ws, cx);
    check_people(ws, cx, catalogue);
    cx.at_key("imports", |cx| {
        for (i, imp) in ws.imports.iter().enumerate() {
            if let (Some(from), Some(to)) = (imp.from, imp.to)
                && from > to
            {
                cx.at_index(i, |cx| {
                    cx.at_key("to", |cx| cx.error(format!("{to} is before {from}")))
                });
            }
        }
    });
    unique(
        cx,
        "cua_guids",
        ws.cua_guids.iter().map(|g| g.guid.key()),
        "GUID",
        "guid",
    );

    unique(
        cx,
        "customers",
        ws.customers.iter().map(|c| c.id.to_string()),
        "customer id",
        "id",
    );
    unique(
        cx,
        "customers",
        ws.customers.iter().map(|c| c.tenant_id.key()),
        "tenant ID",
        "tenant_id",
    );
    let all_subs = ws
        .customers
        .iter()
        .flat_map(|c| c.subscriptions.iter().map(|s| s.id.key()));
    unique(cx, "customers", all_subs, "subscription ID", "");
}

/// Customers `range`'s own checks.
fn check_customers(ws: &Workspace, cx: &mut Cx, range: std::ops::Range<usize>) {
    let catalogue = crate::rules::catalogue();
    let people: HashSet<&str> = ws.people.iter().map(|p| p.id.as_str()).collect();
    cx.at_key("customers", |cx| {
        for (i, c) in ws
            .customers
            .iter()
            .enumerate()
            .take(range.end)
            .skip(range.start)
        {
            cx.at_index(i, |cx| check_customer(ws, c, &people, cx, catalogue));
        }
    });
}

fn check_partner(ws: &Workspace, cx: &mut Cx) {
    cx.at_key("partner", |cx| {
        if ws.partner.locations.is_empty() {
            // A new workspace learns its IDs from the first Partner Center download.
            cx.at_key("locations", |cx| {
                cx.warning("no location (PLA) ID yet: only location IDs earn credit, so nothing is credited until you add one")
            });
        }
        for (i, l) in ws.partner.locations.iter().enumerate() {
            if Some(&l.id) == ws.partner.global_id.as_ref() {
                cx.at_key("locations", |cx| {
                    cx.at_index(i, |cx| {
                        cx.at_key("id", |cx| {
                            cx.error("a location ID cannot be the same as the global (PGA) ID")
                        })
                    })
                });
            }
        }
        unique(
            cx,
            "locations",
            ws.partner.locations.iter().map(|l| l.id.to_string()),
            "location ID",
            "id",
        );
    });
    unique(
        cx,
        "other_partners",
        ws.other_partners.iter().map(|p| p.id.to_string()),
        "partner ID",
        "id",
    );
    cx.at_key("other_partners", |cx| {
        for (i, p) in ws.other_partners.iter().enumerate() {
            if ws.is_our_location(&p.id) || Some(&p.id) == ws.partner.global_id.as_ref() {
                cx.at_index(i, |cx| {
                    cx.at_key("id", |cx| {
                        cx.error(format!("{} is one of our own IDs", p.id))
                    })
                });
            }
        }
    });
}

fn check_people(ws: &Workspace, cx: &mut Cx, catalogue: &Catalogue) {
    unique(
        cx,
        "people",
        ws.people.iter().map(|p| p.id.to_string()),
        "person id",
        "id",
    );
    cx.at_key("people", |cx| {
        for (i, p) in ws.people.iter().enumerate() {
            cx.at_index(i, |cx| {
                cx.at_key("certifications", |cx| {
                    for (j, c) in p.certifications.iter().enumerate() {
                        cx.at_index(j, |cx| {
                            if !catalogue.has_certification(&c.cert) {
                                let hint = catalogue.suggest_certification(&c.cert);
                                cx.at_key("cert", |cx| {
                                    cx.error(format!("unknown certification \"{}\"{hint}", c.cert))
                                });
                            }
                            if let Some(exp) = c.expires
                                && exp < c.earned
                            {
                                cx.at_key("expires", |cx| {
                                    cx.error(format!(
                                        "expires {exp}, before it was earned ({})",
                                        c.earned
                                    ))
                                });
                            }
                        });
                    }
                });
            });
        }
    });
}

/// One customer's own checks; `people` are the workspace's person ids.
fn check_customer(
    ws: &Workspace,
    c: &Customer,
    people: &HashSet<&str>,
    cx: &mut Cx,
    catalogue: &Catalogue,
) {
    // One of the customer's subscriptions, by the numbers their GUIDs keep: equal exactly
    // when the GUIDs are, without case.
    let ours = |n: u128| c.subscriptions.iter().any(|s| s.id.number() == n);
    let our_subscription = |id: &Guid| ours(id.number());
    // Whether a usage or role scope sits in one of the customer's subscriptions, by the
    // number the scope keeps.
    let in_our_subscription =
        |scope: &crate::model::Scope| scope.subscription_number().is_some_and(ours);
    let identities: HashSet<&str> = c.identities.iter().map(|i| i.id.as_str()).collect();

    cx.at_key("reported", |cx| {
        for (i, r) in c.reported.iter().enumerate() {
            cx.at_index(i, |cx| {
                if r.from > r.to {
                    cx.at_key("to", |cx| {
                        cx.error(format!("{} is before {}", r.to, r.from))
                    });
                }
                if !our_subscription(&r.subscription) {
                    cx.at_key("subscription", |cx| {
                        cx.error(format!(
                            "{} is not one of this customer's subscriptions",
                            r.subscription
                        ))
                    });
                }
            });
        }
    });
    cx.at_key("subscriptions", |cx| {
        for (i, s) in c.subscriptions.iter().enumerate() {
            cx.at_index(i, |cx| {
                if s.offer == Offer::Csp && s.csp.is_none() {
                    cx.at_key("csp", |cx| cx.warning("a CSP offer without the transacting partner: CSP credit cannot be judged"));
                }
                if s.csp.is_some() && s.offer != Offer::Csp {
                    cx.at_key("offer", |cx| cx.error(format!("a subscription with a CSP partner must have offer \"csp\", not \"{}\"", s.offer)));
                }
                if let Some(mv) = s.moved_to_azure_plan
                    && s.offer != Offer::EnterpriseAgreement
                    && s.offer != Offer::AzurePlan
                {
                    cx.at_key("moved_to_azure_plan", |cx| {
                        cx.error(format!("only an EA subscription moves to the Azure plan (offer is \"{}\", moved {mv})", s.offer))
                    });
                }
                check_intervals(cx, "dpor", s.dpor.iter().map(|d| (d.from, d.to)), "DPOR records", true);
            });
        }
    });

    cx.at_key("usage", |cx| {
        for (i, u) in c.usage.iter().enumerate() {
            cx.at_index(i, |cx| {
                match u.scope.parts() {
                    Some(sc) => match sc.subscription() {
                        Some(_) if in_our_subscription(&u.scope) => {}
                        Some(sub) => cx.at_key("scope", |cx| {
                            let sub = sub.to_ascii_lowercase();
                            cx.error(format!("subscription {sub} is not one of this customer's subscriptions"))
                        }),
                        None => cx.at_key("scope", |cx| {
                            cx.error("a usage scope must be inside a subscription (/subscriptions/<id>/…)")
                        }),
                    },
                    None => cx.at_key("scope", |cx| cx.error(scope::SCOPE_HELP)),
                }
                if u.service.trim().is_empty() {
                    cx.at_key("service", |cx| cx.error("name the Azure service (Service Level 2), e.g. \"Azure SQL Database\""));
                }
                if !u.acr.any_nonzero() {
                    cx.at_key("acr", |cx| cx.warning("no consumption in any month: this line cannot earn credit"));
                }
                warn_after_as_of(cx, "acr", u.acr.last_month(), ws.as_of);
            });
        }
    });

    cx.at_key("workloads", |cx| {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, w) in c.workloads.iter().enumerate() {
            cx.at_index(i, |cx| {
                if !catalogue.has_workload(&w.workload) {
                    let hint = catalogue.suggest_workload(&w.workload);
                    cx.at_key("workload", |cx| cx.error(format!("unknown workload \"{}\"{hint}", w.workload)));
                } else if let Some(first) = seen.insert(w.workload.as_str(), i) {
                    cx.at_key("workload", |cx| {
                        cx.error(format!("\"{}\" is listed twice (also at workloads[{first}]); one entry per workload", w.workload))
                    });
                }
                if let Some(sub) = &w.subscription
                    && !our_subscription(sub)
                {
                    cx.at_key("subscription", |cx| cx.error(format!("subscription {sub} is not one of this customer's subscriptions")));
                }
            });
        }
    });

    unique(
        cx,
        "identities",
        c.identities.iter().map(|i| i.id.to_string()),
        "identity id",
        "id",
    );
    cx.at_key("identities", |cx| {
        for (i, idn) in c.identities.iter().enumerate() {
            cx.at_index(i, |cx| {
                if let Some(p) = &idn.person
                    && !people.contains(p.as_str())
                {
                    cx.at_key("person", |cx| cx.error(format!("no person with id \"{p}\" in people")));
                }
                if !idn.members.is_empty() && idn.kind != crate::model::IdentityKind::Group {
                    cx.at_key("members", |cx| cx.error("only a group has members"));
                }
                cx.at_key("members", |cx| {
                    for (j, m) in idn.members.iter().enumerate() {
                        if !identities.contains(m.as_str()) {
                            cx.at_index(j, |cx| cx.error(format!("no identity with id \"{m}\" in this customer")));
                        } else if m == &idn.id {
                            cx.at_index(j, |cx| cx.error("a group cannot be its own member"));
                        }
                    }
                });
                cx.at_key("roles", |cx| {
                    for (j, r) in idn.roles.iter().enumerate() {
                        cx.at_index(j, |cx| {
                            match r.scope.parts() {
                                Some(sc) => {
                                    if let Some(sub) = sc.subscription()
                                        && !in_our_subscription(&r.scope)
                                    {
                                        let sub = sub.to_ascii_lowercase();
                                        cx.at_key("scope", |cx| {
                                            cx.error(format!("subscription {sub} is not one of this customer's subscriptions"))
                                        });
                                    }
                                }
                                None => cx.at_key("scope", |cx| cx.error(scope::SCOPE_HELP)),
                            }
                            if r.role.trim().is_empty() {
                                cx.at_key("role", |cx| cx.error("name the Azure role, e.g. \"Contributor\""));
                            }
                            if let (Some(f), Some(t)) = (r.from, r.to)
                                && t < f
                            {
                                cx.at_key("to", |cx| cx.error(format!("ends {t}, before it starts ({f})")));
                            }
                        });
                    }
                });
                check_intervals(cx, "pal", idn.pal.iter().map(|p| (p.from, p.to)), "PAL links", false);
            });
        }
    });

    unique(
        cx,
        "power_platform",
        c.power_platform.iter().map(|p| p.id.to_string()),
        "resource id",
        "id",
    );
    cx.at_key("power_platform", |cx| {
        for (i, r) in c.power_platform.iter().enumerate() {
            cx.at_index(i, |cx| {
                let refs = [("owners", &r.owners), ("users", &r.users)];
                for (key, list) in refs {
                    cx.at_key(key, |cx| {
                        for (j, id) in list.iter().enumerate() {
                            if !identities.contains(id.as_str()) {
                                cx.at_index(j, |cx| {
                                    cx.error(format!(
                                        "no identity with id \"{id}\" in this customer"
                                    ))
                                });
                            }
                        }
                    });
                }
                for (key, one) in [("creator", &r.creator), ("publisher", &r.publisher)] {
                    if let Some(id) = one
                        && !identities.contains(id.as_str())
                    {
                        cx.at_key(key, |cx| {
                            cx.error(format!("no identity with id \"{id}\" in this customer"))
                        });
                    }
                }
                if r.credited_identities().is_empty() {
                    let (key, who) = match r.kind {
                        crate::model::PowerPlatformKind::PowerApp => ("owners", "owner"),
                        crate::model::PowerPlatformKind::Flow => ("creator", "creator"),
                        crate::model::PowerPlatformKind::Dataset => ("publisher", "publisher"),
                        crate::model::PowerPlatformKind::CustomerInsights => ("users", "user"),
                    };
                    cx.at_key(key, |cx| {
                        cx.warning(format!(
                            "no {who} recorded: no partner can be credited for this {}",
                            r.kind
                        ))
                    });
                }
            });
        }
    });

    unique(
        cx,
        "cpor",
        c.cpor.iter().map(|p| p.id.to_string()),
        "claim id",
        "id",
    );
    cx.at_key("cpor", |cx| {
        for (i, claim) in c.cpor.iter().enumerate() {
            cx.at_index(i, |cx| {
                use crate::model::ClaimArea;
                match claim.area {
                    ClaimArea::ModernWorkSecurity if claim.workloads.is_empty() => {
                        cx.at_key("workloads", |cx| cx.error("a Modern Work & Security claim names its workloads"));
                    }
                    ClaimArea::BusinessApplications if claim.subscription.is_none() => {
                        cx.at_key("subscription", |cx| cx.error("a Business Applications claim names its subscription ID"));
                    }
                    _ => {}
                }
                cx.at_key("workloads", |cx| {
                    for (j, w) in claim.workloads.iter().enumerate() {
                        if !catalogue.has_workload(w) {
                            let hint = catalogue.suggest_workload(w);
                            cx.at_index(j, |cx| cx.error(format!("unknown workload \"{w}\"{hint}")));
                        }
                    }
                });
                if let Some(sub) = &claim.subscription
                    && !our_subscription(sub)
                {
                    cx.at_key("subscription", |cx| cx.error(format!("subscription {sub} is not one of this customer's subscriptions")));
                }
                if claim.history.is_empty() {
                    cx.at_key("history", |cx| cx.error("a claim needs at least one status (e.g. draft)"));
                }
                cx.at_key("history", |cx| {
                    for (j, pair) in claim.history.windows(2).enumerate() {
                        if pair[1].on < pair[0].on {
                            cx.at_index(j + 1, |cx| {
                                cx.at_key("on", |cx| {
                                    cx.error(format!(
                                        "{} on {} comes before the previous status ({} on {}); list status changes in date order",
                                        pair[1].status, pair[1].on, pair[0].status, pair[0].on
                                    ))
                                })
                            });
                        }
                    }
                });
            });
        }
    });
}

/// Report duplicate keys in a list at `list`, pointing at the later occurrence.
fn unique(cx: &mut Cx, list: &str, keys: impl Iterator<Item = String>, what: &str, field: &str) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut dups = Vec::new();
    for (i, k) in keys.enumerate() {
        if let Some(first) = seen.insert(k.clone(), i) {
            dups.push((i, first, k));
        }
    }
    if dups.is_empty() {
        return;
    }
    cx.at_key(list, |cx| {
        for (i, first, k) in dups {
            let msg = format!("duplicate {what} \"{k}\" (first used at {list}[{first}])");
            if field.is_empty() {
                cx.error(msg);
            } else {
                cx.at_index(i, |cx| cx.at_key(field, |cx| cx.error(msg)));
            }
        }
    });
}

/// Check each interval's order, and (when `exclusive`) that no two overlap.
fn check_intervals(
    cx: &mut Cx,
    list: &str,
    intervals: impl Iterator<Item = (Date, Option<Date>)>,
    what: &str,
    exclusive: bool,
) {
    let items: Vec<(Date, Option<Date>)> = intervals.collect();
    cx.at_key(list, |cx| {
        for (i, (from, to)) in items.iter().enumerate() {
            if let Some(t) = to
                && t < from
            {
                cx.at_index(i, |cx| cx.at_key("to", |cx| cx.error(format!("ends {t}, before it starts ({from})"))));
            }
        }
        if !exclusive {
            return;
        }
        for i in 0..items.len() {
            for j in 0..i {
                let (a, b) = (items[j], items[i]);
                let overlap = a.0 < b.1.unwrap_or(Date::MAX) && b.0 < a.1.unwrap_or(Date::MAX);
                if overlap {
                    cx.at_index(i, |cx| {
                        cx.error(format!(
                            "overlaps {list}[{j}]: {what} on one subscription cannot overlap (only one partner of record at a time)"
                        ))
                    });
                }
            }
        }
    });
}

fn warn_after_as_of(cx: &mut Cx, key: &str, last: Option<Month>, as_of: Month) {
    if let Some(m) = last
        && m > as_of
    {
        cx.at_key(key, |cx| {
            cx.warning(format!(
                "has data for {m}, after as_of ({as_of}); those months are ignored"
            ))
        });
    }
}

/// The lower-case subscription GUID of a usage or role scope, when it has one.
pub fn scope_subscription(scope: &str) -> Option<Guid> {
    scope::AzureScope::parse(scope).and_then(|s| s.subscription().and_then(Guid::parse))
}

/// Decode one record (a customer, a person, …) from JSON text typed by a person, with
/// every problem's path prefixed by where the record sits (`customers[3]`).
pub fn decode_record<T: FromJson>(text: &str, at: &str) -> Result<T, Vec<Diagnostic>> {
    let prefix = |d: Diagnostic| {
        let path = match (at.is_empty(), d.path.is_empty()) {
            (true, _) => d.path,
            (false, true) => at.to_owned(),
            (false, false) if d.path.starts_with('[') => format!("{at}{}", d.path),
            (false, false) => format!("{at}.{}", d.path),
        };
        Diagnostic { path, ..d }
    };
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![prefix(Diagnostic {
            severity: Severity::Error,
            path: String::new(),
            message: json_syntax_message(&e),
        })]
    })?;
    let mut cx = Cx::default();
    match T::from_json(&value, &mut cx) {
        Some(v) if !cx.has_errors() => Ok(v),
        _ => Err(cx.finish().into_iter().map(prefix).collect()),
    }
}

#[cfg(test)]
mod record_tests {
    use super::*;
    use crate::model::Person;

    #[test]
    fn the_customers_are_found_in_the_text_around_strings_and_nesting() {
        let text = r#"{"name": "customers", "customers": [ {"id": "a,]"} ,{"x": [1, {"y": "\"]"}]}], "z": {"customers": [9]}}"#;
        let (open, close, spans) = customer_spans(text).expect("found");
        assert_eq!(&text[open..=open], "[");
        assert_eq!(&text[close..=close], "]");
        let elements: Vec<&str> = spans.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(
            elements,
            [r#"{"id": "a,]"}"#, r#"{"x": [1, {"y": "\"]"}]}"#]
        );
        assert_eq!(
            customer_spans(r#"{"customers": [ ]}"#).map(|f| f.2.len()),
            Some(0)
        );
        for odd in [
            r#"{"customers": [1,]}"#,
            r#"{"customers": [,1]}"#,
            r#"{"customers": {"a": [1]}}"#,
            r#"[{"customers": [1]}]"#,
            r#"{"customers": [1]"#,
            r#"{"customers": ["1]}"#,
            r#"{"other": [1]}"#,
        ] {
            let spans = customer_spans(odd).map(|f| f.2);
            assert!(spans.is_none(), "{odd}: {spans:?}");
        }
        let deep = format!(
            r#"{{"customers": [{}1{}]}}"#,
            "[".repeat(120),
            "]".repeat(120)
        );
        assert!(customer_spans(&deep).is_none(), "deep files are read whole");
    }

    #[test]
    fn a_valid_file_is_read_in_one_pass_a_few_customers_at_a_time() {
        let text = crate::generate::generate(12, 3).to_json();
        let mut reading = Reading::start(text.as_bytes(), ReadOptions::default()).expect("starts");
        assert!(matches!(reading.state, ReadingState::OnePass { .. }));
        assert!(!reading.step(5));
        // Each customer decoded, then checked: 5 of 24 steps.
        assert_eq!(reading.progress(), (5, 24));
        assert!(!reading.step(7));
        assert!(matches!(
            reading.state,
            ReadingState::Checking { next: 0, .. }
        ));
        assert_eq!(reading.progress(), (12, 24));
        assert!(!reading.step(5));
        assert_eq!(reading.progress(), (17, 24));
        assert!(reading.step(7));
        assert!(matches!(reading.finish(), Import::Loaded { .. }));
        // A bad customer sends the whole file through the tree, for the problem's path.
        let bad = text.replacen("\"segment\": \"", "\"segment\": \"x", 1);
        let mut reading = Reading::start(bad.as_bytes(), ReadOptions::default()).expect("starts");
        assert!(matches!(reading.state, ReadingState::OnePass { .. }));
        reading.step(1);
        assert!(matches!(reading.state, ReadingState::Tree { .. }));
        let problems = reading.finish();
        assert_eq!(problems.diagnostics()[0].path, "customers[0].segment");
    }

    #[test]
    fn a_record_decodes_with_paths_relative_to_its_place() {
        let ok: Person = decode_record(
            r#"{"id": "zoe", "name": "Zoë", "linked": true}"#,
            "people[3]",
        )
        .expect("valid");
        assert_eq!(ok.name, "Zoë");
        let err = decode_record::<Person>(r#"{"id": "zoe", "nam": "Zoë"}"#, "people[3]")
            .expect_err("invalid");
        let paths: Vec<&str> = err.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["people[3].nam", "people[3].name"]);
        let syntax = decode_record::<Person>("{", "people[3]").expect_err("syntax");
        assert_eq!(syntax[0].path, "people[3]");
    }
}
