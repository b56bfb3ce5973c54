//! Named workspaces kept in a key-value store (the browser's localStorage in the app,
//! memory in tests). Plain Rust, so every failure path is tested on the host.
//!
//! Keys: `pcs.index` lists the slots, `pcs.ws.<slot>` holds a workspace as compact JSON,
//! `pcs.backup.<slot>` the version before the last replace or delete (for undo),
//! `pcs.active` the open slot. A failed write leaves the previous value in place.

use crate::model::{Diagnostic, Workspace};
use crate::validate::{Import, ReadOptions, Reading, Starting, read_workspace};
use serde::{Deserialize, Serialize};

/// Why a write failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's storage quota is full.
    QuotaExceeded,
    /// Storage is disabled or unavailable (private mode, blocked by settings).
    Unavailable,
    /// The workspace alone needs more than browsers allow a site: at least `bytes` as stored.
    TooLarge {
        bytes: usize,
        budget: usize,
    },
    Other(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::QuotaExceeded => f.write_str("the browser's storage for this site is full"),
            StoreError::Unavailable => f.write_str(
                "this browser does not let the site store data (private mode or a setting)",
            ),
            StoreError::TooLarge { bytes, budget } => write!(
                f,
                "this workspace needs at least {:.1} MB of browser storage, more than browsers allow a site (about {:.0} MB); it stays open in this tab",
                *bytes as f64 / 1048576.0,
                *budget as f64 / 1048576.0
            ),
            StoreError::Other(e) => write!(f, "the browser refused to save: {e}"),
        }
    }
}

/// A string key-value store.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    /// Bytes used by this app's keys (UTF-16 code units × 2, as browsers count).
    fn used_bytes(&self) -> usize;
}

/// One entry of the workspace list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotInfo {
    pub slot: String,
    pub name: String,
    pub customers: usize,
    /// Storage the workspace takes, in bytes as browsers count them (UTF-16).
    pub bytes: usize,
}

/// What loading a slot found.
#[derive(Debug)]
pub enum Loaded {
    Workspace(Box<Workspace>),
    Missing,
    /// The stored text no longer reads as a workspace: offered for download, never discarded silently.
    Corrupt {
        raw: String,
        problems: Vec<Diagnostic>,
    },
}

const INDEX: &str = "pcs.index";
const ACTIVE: &str = "pcs.active";

fn body_key(slot: &str) -> String {
    format!("pcs.ws.{slot}")
}

fn backup_key(slot: &str) -> String {
    format!("pcs.backup.{slot}")
}

fn whatif_key(slot: &str) -> String {
    format!("pcs.whatif.{slot}")
}

/// What a site may keep in localStorage in current browsers (about 5 M characters, i.e.
/// 10 MB counted as UTF-16, as this store counts), for the whole site: a workspace needing
/// more is not even tried.
pub const STORAGE_BUDGET: usize = 10 * 1024 * 1024;

/// The workspaces in a store.
pub struct Store<K: KeyValue> {
    kv: K,
    budget: usize,
}

impl<K: KeyValue> Store<K> {
    pub fn new(kv: K) -> Self {
        Store {
            kv,
            budget: STORAGE_BUDGET,
        }
    }

    /// A store that refuses bodies over `budget` bytes (as stored, UTF-16).
    pub fn with_budget(kv: K, budget: usize) -> Self {
        Store { kv, budget }
    }

    pub fn backend(&self) -> &K {
        &self.kv
    }

    pub fn backend_mut(&mut self) -> &mut K {
        &mut self.kv
    }

    /// The slots, in creation order. A damaged index reads as empty (bodies stay untouched).
    pub fn list(&self) -> Vec<SlotInfo> {
        self.kv
            .get(INDEX)
            .ok()
            .flatten()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn active(&self) -> Option<String> {
        self.kv.get(ACTIVE).ok().flatten()
    }

    pub fn set_active(&mut self, slot: &str) -> Result<(), StoreError> {
        self.kv.set(ACTIVE, slot)
    }

    pub fn load(&self, slot: &str) -> Loaded {
        match self.kv.get(&body_key(slot)).map(|b| b.map(unpack)) {
            Ok(Some(raw)) => match read_workspace(raw.as_bytes(), ReadOptions::default()) {
                Import::Loaded { workspace, .. } => Loaded::Workspace(workspace),
                Import::Rejected { diagnostics } => Loaded::Corrupt {
                    raw,
                    problems: diagnostics,
                },
            },
            Ok(None) | Err(_) => Loaded::Missing,
        }
    }

    /// Open `slot` in steps ([`Opening`]), reading `customers` per step.
    pub fn open_in_steps(&self, slot: &str, customers: usize) -> Opening {
        Opening::new(self.kv.get(&body_key(slot)).ok().flatten(), customers)
    }

    /// The stored text of a slot (for "download what was stored"): the JSON when it can
    /// be unpacked, else exactly what is there.
    pub fn raw(&self, slot: &str) -> Option<String> {
        self.kv.get(&body_key(slot)).ok().flatten().map(unpack)
    }

    /// Save `ws` in `slot` (creating the slot if new). On failure nothing changes:
    /// the previous save of the slot is intact.
    pub fn save(&mut self, slot: &str, ws: &Workspace) -> Result<SlotInfo, StoreError> {
        let mut packing = Packing::new(ws)?;
        packing.step(ws, usize::MAX)?;
        self.commit(slot, ws, packing)
    }

    /// Store what `packing` wrote of `ws` (all of it: [`Packing::step`] said done) in
    /// `slot`, as [`Store::save`] does; on failure nothing changes.
    pub fn commit(
        &mut self,
        slot: &str,
        ws: &Workspace,
        packing: Packing,
    ) -> Result<SlotInfo, StoreError> {
        // Deflated fast first (a save runs on the page's thread after each edit); only a body
        // that would not fit is deflated again as small as it goes, and only when that can
        // bring it under the budget (deflating tens of megabytes again takes seconds).
        let packed = packing.finish()?;
        // Sized before it is encoded: a body refused is never encoded.
        let fast = packed.stored_bytes();
        let body = if fast > self.budget && matches!(packed, Packed::Deflated(_)) {
            let at_least = (fast as f64 / SMALLEST_GAIN) as usize;
            if at_least > self.budget {
                return Err(StoreError::TooLarge {
                    bytes: at_least,
                    budget: self.budget,
                });
            }
            let json = serde_json::to_string(ws).map_err(|e| StoreError::Other(e.to_string()))?;
            pack_at(&json, SMALLEST)
        } else {
            packed.body()
        };
        let bytes = utf16_bytes(&body);
        if bytes > self.budget {
            return Err(StoreError::TooLarge {
                bytes,
                budget: self.budget,
            });
        }
        self.kv.set(&body_key(slot), &body)?;
        let info = SlotInfo {
            slot: slot.to_owned(),
            name: ws.name.clone(),
            customers: ws.customers.len(),
            bytes: utf16_bytes(&body),
        };
        let mut list = self.list();
        match list.iter_mut().find(|s| s.slot == slot) {
            Some(s) => *s = info.clone(),
            None => list.push(info.clone()),
        }
        self.write_index(&list)?;
        Ok(info)
    }

    /// A new slot id, unique in this store, derived from `name`.
    pub fn new_slot_id(&self, name: &str) -> String {
        let base: String = crate::model::slug(name)
            .split('-')
            .take(6)
            .collect::<Vec<_>>()
            .join("-");
        let base = if base.is_empty() {
            "workspace".to_owned()
        } else {
            base
        };
        let taken: Vec<String> = self.list().into_iter().map(|s| s.slot).collect();
        (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                }
            })
            .find(|c| !taken.contains(c))
            .unwrap_or(base)
    }

    /// Keep the slot's current body as its backup (before a replace), so it can be restored.
    pub fn snapshot(&mut self, slot: &str) -> Result<(), StoreError> {
        if let Some(body) = self.kv.get(&body_key(slot)).ok().flatten() {
            self.kv.set(&backup_key(slot), &body)?;
        }
        Ok(())
    }

    /// The backup of a slot, if one was kept.
    pub fn backup(&self, slot: &str) -> Option<Workspace> {
        let raw = unpack(self.kv.get(&backup_key(slot)).ok().flatten()?);
        read_workspace(raw.as_bytes(), ReadOptions::default()).workspace()
    }

    /// A small app record kept beside the workspaces (workshop progress, the slot to go
    /// back to): `name` becomes the key `pcs.app.<name>`.
    pub fn app_value(&self, name: &str) -> Option<String> {
        self.kv.get(&format!("pcs.app.{name}")).ok().flatten()
    }

    pub fn set_app_value(&mut self, name: &str, value: &str) -> Result<(), StoreError> {
        self.kv.set(&format!("pcs.app.{name}"), value)
    }

    /// The what-if layer kept with a slot; an unreadable one reads as empty (it holds
    /// hypotheses only, never the partner's data).
    pub fn load_whatif(&self, slot: &str) -> crate::whatif::WhatIf {
        self.kv
            .get(&whatif_key(slot))
            .ok()
            .flatten()
            .and_then(|t| crate::whatif::WhatIf::from_json(&t).ok())
            .unwrap_or_default()
    }

    /// Keep a slot's what-if layer with it (an empty layer removes the entry).
    pub fn save_whatif(&mut self, slot: &str, w: &crate::whatif::WhatIf) -> Result<(), StoreError> {
        if w.changes.is_empty() {
            self.kv.remove(&whatif_key(slot))
        } else {
            self.kv.set(&whatif_key(slot), &w.to_json())
        }
    }

    /// Delete a slot; its body is kept as the backup until the next delete or replace.
    pub fn delete(&mut self, slot: &str) -> Result<(), StoreError> {
        self.snapshot(slot)?;
        self.kv.remove(&body_key(slot))?;
        self.kv.remove(&whatif_key(slot))?;
        let list: Vec<SlotInfo> = self.list().into_iter().filter(|s| s.slot != slot).collect();
        self.write_index(&list)?;
        if self.active().as_deref() == Some(slot) {
            self.kv.remove(ACTIVE)?;
        }
        Ok(())
    }

    fn write_index(&mut self, list: &[SlotInfo]) -> Result<(), StoreError> {
        let text = serde_json::to_string(list).map_err(|e| StoreError::Other(e.to_string()))?;
        self.kv.set(INDEX, &text)
    }
}

/// An in-memory store with an optional quota, for tests and for running without storage.
#[derive(Debug, Default, Clone)]
pub struct MemoryKv {
    pub entries: std::collections::BTreeMap<String, String>,
    /// Bytes allowed in total (None = unlimited).
    pub quota: Option<usize>,
}

impl KeyValue for MemoryKv {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.entries.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if let Some(q) = self.quota {
            let old = self
                .entries
                .get(key)
                .map_or(0, |v| utf16_bytes(key) + utf16_bytes(v));
            if self.used_bytes() - old + utf16_bytes(key) + utf16_bytes(value) > q {
                return Err(StoreError::QuotaExceeded);
            }
        }
        self.entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.entries.remove(key);
        Ok(())
    }

    fn used_bytes(&self) -> usize {
        self.entries
            .iter()
            .map(|(k, v)| utf16_bytes(k) + utf16_bytes(v))
            .sum()
    }
}

/// Bodies longer than this are stored deflated (a large workspace shrinks about tenfold).
const PACK_OVER: usize = 256 * 1024;
/// Marks a deflated, base64-encoded body.
const PACKED: &str = "pcsz1:";

/// Deflate levels: fast (level 3: on the 500-customer workspace 2.9× faster than the
/// default level 6 natively, 77 ms against 228 ms, for 18 % more bytes), and the smallest,
/// for a body that would not fit otherwise.
const FAST: u8 = 3;
const SMALLEST: u8 = 9;
/// How many times smaller a body deflated at `SMALLEST` can be than at `FAST`, at most: a
/// fast body over the budget by more than this is refused without deflating it again.
/// Measured 1.20-1.22 on the synthetic workspaces of 20 to 5,000 customers (the seventeenth
/// session); taken wider, so that no workspace that would fit is refused.
const SMALLEST_GAIN: f64 = 1.5;

/// The stored form of a workspace's JSON at deflate `level`: as is when small, else
/// deflated and base64 (what [`Packing`] writes in steps, at the fast level).
fn pack_at(json: &str, level: u8) -> String {
    if json.len() <= PACK_OVER {
        return json.to_owned();
    }
    let mut d = Deflater::new(level);
    d.write(json.as_bytes());
    format!("{PACKED}{}", base64(&d.finish()))
}

/// Raw deflate fed in pieces (the same stream `compress_to_vec` writes at once).
struct Deflater {
    compressor: Box<miniz_oxide::deflate::core::CompressorOxide>,
    out: Vec<u8>,
}

impl Deflater {
    fn new(level: u8) -> Deflater {
        use miniz_oxide::deflate::core::{CompressorOxide, create_comp_flags_from_zip_params};
        Deflater {
            compressor: Box::new(CompressorOxide::new(create_comp_flags_from_zip_params(
                level.into(),
                0,
                0,
            ))),
            out: Vec::new(),
        }
    }

    fn write(&mut self, input: &[u8]) {
        self.run(input, miniz_oxide::deflate::core::TDEFLFlush::None);
    }

    fn finish(mut self) -> Vec<u8> {
        self.run(&[], miniz_oxide::deflate::core::TDEFLFlush::Finish);
        self.out
    }

    fn run(&mut self, mut input: &[u8], flush: miniz_oxide::deflate::core::TDEFLFlush) {
        use miniz_oxide::deflate::core::{TDEFLFlush, TDEFLStatus, compress_to_output};
        let finishing = matches!(flush, TDEFLFlush::Finish);
        let Deflater { compressor, out } = self;
        loop {
            let (status, used) = compress_to_output(compressor, input, flush, |bytes| {
                out.extend_from_slice(bytes);
                true
            });
            input = input.get(used..).unwrap_or_default();
            // Okay means "give me more": more input, or (finishing) another round until Done.
            let more =
                status == TDEFLStatus::Okay && (finishing || (used > 0 && !input.is_empty()));
            if !more {
                break;
            }
        }
    }
}

/// A workspace's compact JSON written a few customers at a time — exactly
/// `serde_json::to_string` of it: the shell without customers, split where the customers
/// go, each customer written in between. Every step must see the same workspace (the app
/// starts again after an edit). The save ([`Packing`]) and the engine worker's job are
/// written so, between frames.
pub struct WorkspaceText {
    /// The shell's text after the customers.
    tail: String,
    customers: usize,
    next: usize,
}

impl WorkspaceText {
    /// The writer, and the text up to the first customer.
    pub fn new(ws: &Workspace) -> Result<(WorkspaceText, String), StoreError> {
        let shell = Workspace {
            format: ws.format.clone(),
            version: ws.version,
            name: ws.name.clone(),
            as_of: ws.as_of,
            rules: ws.rules.clone(),
            partner: ws.partner.clone(),
            other_partners: ws.other_partners.clone(),
            people: ws.people.clone(),
            cua_guids: ws.cua_guids.clone(),
            customers: Vec::new(),
            imports: ws.imports.clone(),
        };
        let mut text =
            serde_json::to_string(&shell).map_err(|e| StoreError::Other(e.to_string()))?;
        // Keys are never escaped and a string cannot hold an unescaped quote, so this is the
        // key itself; `customers` is the only array of that name in a workspace's shell.
        const EMPTY: &str = "\"customers\":[]";
        let Some(at) = text.find(EMPTY) else {
            return Err(StoreError::Other(
                "the workspace has no customer list".into(),
            ));
        };
        let tail = text.split_off(at + EMPTY.len() - 1);
        let writer = WorkspaceText {
            tail,
            customers: ws.customers.len(),
            next: 0,
        };
        Ok((writer, text))
    }

    /// Customers written so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.customers)
    }

    /// Write up to `n` more customers of `ws` to `out`; true when all are written.
    pub fn step(
        &mut self,
        ws: &Workspace,
        n: usize,
        out: &mut dyn FnMut(&str),
    ) -> Result<bool, StoreError> {
        if ws.customers.len() != self.customers {
            return Err(StoreError::Other(
                "the workspace changed while it was written".into(),
            ));
        }
        let to = self.next.saturating_add(n).min(self.customers);
        for i in self.next..to {
            let c = serde_json::to_string(&ws.customers[i])
                .map_err(|e| StoreError::Other(e.to_string()))?;
            if i > 0 {
                out(",");
            }
            out(&c);
        }
        self.next = to;
        Ok(self.next == self.customers)
    }

    /// Write the end of the text, once every customer is written.
    pub fn finish(self, out: &mut dyn FnMut(&str)) -> Result<(), StoreError> {
        if self.next != self.customers {
            return Err(StoreError::Other("the text was not finished".into()));
        }
        out(&self.tail);
        Ok(())
    }
}

/// A save written a few customers at a time ([`WorkspaceText`]), so that the page stays
/// responsive while a large workspace is serialised and deflated (the app steps it between
/// frames and [`Store::commit`]s it; [`Store::save`] is the same in one go).
pub struct Packing {
    text: WorkspaceText,
    body: Body,
}

/// A body being written: the text as is while it is short enough to be stored so, then
/// deflated.
struct Body {
    plain: String,
    deflater: Option<Deflater>,
}

impl Body {
    fn push(&mut self, text: &str) {
        match &mut self.deflater {
            Some(d) => d.write(text.as_bytes()),
            None => {
                self.plain.push_str(text);
                if self.plain.len() > PACK_OVER {
                    let mut d = Deflater::new(FAST);
                    d.write(self.plain.as_bytes());
                    self.plain = String::new();
                    self.deflater = Some(d);
                }
            }
        }
    }
}

impl Packing {
    pub fn new(ws: &Workspace) -> Result<Packing, StoreError> {
        let (text, head) = WorkspaceText::new(ws)?;
        let mut body = Body {
            plain: String::new(),
            deflater: None,
        };
        body.push(&head);
        Ok(Packing { text, body })
    }

    /// Customers written so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        self.text.progress()
    }

    /// Write up to `n` more customers of `ws`; true when all are written.
    pub fn step(&mut self, ws: &Workspace, n: usize) -> Result<bool, StoreError> {
        let Packing { text, body } = self;
        text.step(ws, n, &mut |s| body.push(s))
    }

    /// The body to store: the text as is when short, else deflated (then base64).
    fn finish(self) -> Result<Packed, StoreError> {
        let Packing { text, mut body } = self;
        text.finish(&mut |s| body.push(s))?;
        Ok(match body.deflater {
            Some(d) => Packed::Deflated(d.finish()),
            None => Packed::Plain(body.plain),
        })
    }
}

/// A body to store, before the base64 of a deflated one.
enum Packed {
    Plain(String),
    Deflated(Vec<u8>),
}

impl Packed {
    /// Its size as stored (UTF-16 bytes), without encoding it: base64 writes four ASCII
    /// characters per three bytes.
    fn stored_bytes(&self) -> usize {
        match self {
            Packed::Plain(text) => utf16_bytes(text),
            Packed::Deflated(bytes) => 2 * (PACKED.len() + bytes.len().div_ceil(3) * 4),
        }
    }

    fn body(self) -> String {
        match self {
            Packed::Plain(text) => text,
            Packed::Deflated(bytes) => format!("{PACKED}{}", base64(&bytes)),
        }
    }
}

/// The JSON of a stored body. Anything that does not unpack is returned as stored, so the
/// reader reports it (and the recovery screen can offer it) instead of losing it.
pub fn unpack(body: String) -> String {
    let Some(b64) = body.strip_prefix(PACKED) else {
        return body;
    };
    unbase64(b64)
        .and_then(|bytes| {
            miniz_oxide::inflate::decompress_to_vec_with_limit(
                &bytes,
                crate::validate::MAX_FILE_BYTES,
            )
            .ok()
        })
        .and_then(|json| String::from_utf8(json).ok())
        .unwrap_or(body)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    let sextet = |n: u32, i: u32| B64[(n >> (18 - 6 * i) & 63) as usize];
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
        out.extend_from_slice(&[sextet(n, 0), sextet(n, 1), sextet(n, 2), sextet(n, 3)]);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let n = rest
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i as usize <= rest.len() {
                sextet(n, i)
            } else {
                b'='
            });
        }
    }
    // Only the alphabet's ASCII bytes were written.
    String::from_utf8(out).unwrap_or_default()
}

const INVALID: u8 = 0xff;

/// Each byte's value in [`B64`], or [`INVALID`].
const UNB64: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[B64[i] as usize] = i as u8;
        i += 1;
    }
    t
};

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = UNB64[usize::from(c)];
        if v == INVALID {
            return None;
        }
        let v = u32::from(v);
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    Some(out)
}

/// A stored workspace opened a slice at a time, so that the app's start on a large one
/// keeps the page drawing: the body inflated [`Opening::INFLATE_STEP`] bytes per step,
/// then read a few customers per step ([`Reading`]). [`Store::load`] is this in one go;
/// both give the same (a test compares them on good, packed, damaged and missing bodies).
pub struct Opening {
    stage: OpeningStage,
    /// Customers per reading step.
    customers: usize,
}

enum OpeningStage {
    Missing,
    Inflating {
        body: String,
        packed: Vec<u8>,
        at: usize,
        state: Box<miniz_oxide::inflate::stream::InflateState>,
        json: Vec<u8>,
    },
    Reading {
        reading: Box<Reading>,
    },
    Read(Import),
}

impl Opening {
    /// Inflated bytes per step (~10 ms in Chromium).
    pub const INFLATE_STEP: usize = 4 << 20;

    /// Open a workspace's text (the built-in demo at a first start) in steps.
    pub fn of_text(text: String, customers: usize) -> Opening {
        Opening::new(Some(text), customers)
    }

    /// Start opening `body` (none: the slot is missing), reading `customers` per step.
    fn new(body: Option<String>, customers: usize) -> Opening {
        let stage = match body {
            None => OpeningStage::Missing,
            Some(body) => match body.strip_prefix(PACKED).and_then(unbase64) {
                Some(packed) => OpeningStage::Inflating {
                    body,
                    packed,
                    at: 0,
                    state: miniz_oxide::inflate::stream::InflateState::new_boxed(
                        miniz_oxide::DataFormat::Raw,
                    ),
                    json: Vec::new(),
                },
                // Stored as JSON, or not unpackable: read as it is (as `unpack` gives it).
                None => Opening::reading(body),
            },
        };
        Opening { stage, customers }
    }

    fn reading(text: String) -> OpeningStage {
        // The text kept, not copied.
        match Starting::new(text.into_bytes(), ReadOptions::default()).and_then(Starting::finish) {
            Ok(reading) => OpeningStage::Reading {
                reading: Box::new(reading),
            },
            Err(refused) => OpeningStage::Read(refused),
        }
    }

    /// How far it is: a fraction of the work, roughly (inflating counts for a fifth).
    pub fn fraction(&self) -> f64 {
        match &self.stage {
            OpeningStage::Missing | OpeningStage::Read(_) => 1.0,
            OpeningStage::Inflating { packed, at, .. } => {
                0.2 * *at as f64 / packed.len().max(1) as f64
            }
            OpeningStage::Reading { reading } => {
                let (done, all) = reading.progress();
                0.2 + 0.8 * done as f64 / all.max(1) as f64
            }
        }
    }

    /// One more slice; true once everything is read.
    pub fn step(&mut self) -> bool {
        let stage = std::mem::replace(&mut self.stage, OpeningStage::Missing);
        self.stage = match stage {
            OpeningStage::Inflating {
                body,
                packed,
                mut at,
                mut state,
                mut json,
            } => {
                use miniz_oxide::inflate::stream::inflate;
                use miniz_oxide::{MZFlush, MZStatus};
                let goal = json.len() + Opening::INFLATE_STEP;
                let mut buf = vec![0u8; 64 << 10];
                let mut ended = None;
                while json.len() < goal {
                    let r = inflate(&mut state, &packed[at..], &mut buf, MZFlush::None);
                    at += r.bytes_consumed;
                    json.extend_from_slice(&buf[..r.bytes_written]);
                    match r.status {
                        Ok(MZStatus::StreamEnd) => {
                            ended = Some(true);
                            break;
                        }
                        Ok(_) if r.bytes_consumed + r.bytes_written > 0 => {}
                        // No progress, or damaged: not a packed workspace after all.
                        _ => {
                            ended = Some(false);
                            break;
                        }
                    }
                    if json.len() > crate::validate::MAX_FILE_BYTES {
                        ended = Some(false);
                        break;
                    }
                }
                match ended {
                    None => OpeningStage::Inflating {
                        body,
                        packed,
                        at,
                        state,
                        json,
                    },
                    // Inflated: read the JSON (as `unpack` gives it, the body when not UTF-8).
                    Some(true) => match String::from_utf8(json) {
                        Ok(text) => Opening::reading(text),
                        Err(_) => Opening::reading(body),
                    },
                    Some(false) => Opening::reading(body),
                }
            }
            OpeningStage::Reading { mut reading } => {
                if reading.step(self.customers) {
                    OpeningStage::Read(reading.finish())
                } else {
                    OpeningStage::Reading { reading }
                }
            }
            done => done,
        };
        matches!(self.stage, OpeningStage::Missing | OpeningStage::Read(_))
    }

    /// What was found, as [`Store::load`] gives it; what is not read yet is read now.
    /// `raw` gives the stored text again, for a body that does not read as a workspace.
    pub fn finish(mut self, raw: impl FnOnce() -> Option<String>) -> Loaded {
        while !self.step() {}
        match self.stage {
            OpeningStage::Read(Import::Loaded { workspace, .. }) => Loaded::Workspace(workspace),
            OpeningStage::Read(Import::Rejected { diagnostics }) => match raw() {
                Some(raw) => Loaded::Corrupt {
                    raw,
                    problems: diagnostics,
                },
                None => Loaded::Missing,
            },
            _ => Loaded::Missing,
        }
    }
}

/// Bytes a string takes in browser storage (UTF-16).
pub fn utf16_bytes(s: &str) -> usize {
    // A UTF-16 unit per character (every byte but UTF-8 continuation bytes), two for those
    // beyond the basic plane (four-byte sequences): counted over bytes, which vectorises.
    let units: usize = s
        .bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum();
    units * 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::demo;
    use crate::generate::generate;

    /// What a load found, comparable (the workspace, or the raw text and the problems).
    fn seen(l: Loaded) -> String {
        format!("{l:?}")
    }

    #[test]
    fn opening_in_steps_finds_what_loading_finds() {
        let mut store = Store::new(MemoryKv::default());
        // A workspace large enough to be packed and inflated over several steps.
        let big = generate(400, 3);
        store.save("big", &big).expect("saved");
        store.save("demo", &demo()).expect("saved");
        let body = |store: &Store<MemoryKv>, slot: &str| store.kv.entries[&body_key(slot)].clone();
        assert!(body(&store, "big").starts_with(PACKED));
        let json = serde_json::to_string(&demo()).expect("json");
        let packed = body(&store, "big");
        let b64 = packed.strip_prefix(PACKED).expect("packed");
        let bodies: Vec<(&str, String)> = vec![
            ("plain JSON", json.clone()),
            (
                "invalid JSON",
                json.replace("\"customers\"", "\"customer\""),
            ),
            ("not base64", format!("{PACKED}not*base64")),
            ("truncated", format!("{PACKED}{}", &b64[..b64.len() / 2])),
            ("packed text", pack_at("{\"format\": 1}", FAST)),
            (
                "packed non-UTF-8",
                format!(
                    "{PACKED}{}",
                    base64(&miniz_oxide::deflate::compress_to_vec(
                        &[0xff, 0xfe, 0x80],
                        3
                    ))
                ),
            ),
            ("empty", String::new()),
        ];
        for (what, b) in &bodies {
            store.kv.entries.insert(body_key(what), b.clone());
        }
        let mut slots: Vec<&str> = vec!["big", "demo", "missing"];
        slots.extend(bodies.iter().map(|(w, _)| *w));
        let mut inflated_in_steps = false;
        for slot in slots {
            for customers in [1, 37, usize::MAX] {
                let mut opening = store.open_in_steps(slot, customers);
                let mut steps = 0;
                let mut last = opening.fraction();
                while !opening.step() {
                    steps += 1;
                    let now = opening.fraction();
                    assert!(now >= last && now <= 1.0, "{slot}: progress {last} → {now}");
                    last = now;
                }
                if slot == "big" && customers == 37 {
                    // Inflated a slice per step, then 400 customers read in 11 steps and
                    // checked in 11 (the last of which finishes).
                    let inflating = serde_json::to_string(&big)
                        .expect("json")
                        .len()
                        .div_ceil(Opening::INFLATE_STEP);
                    assert_eq!(steps, inflating + 21);
                    inflated_in_steps = inflating > 1;
                }
                let loaded = opening.finish(|| store.raw(slot));
                assert_eq!(
                    seen(loaded),
                    seen(store.load(slot)),
                    "{slot} in steps of {customers}"
                );
            }
        }
        assert!(matches!(store.load("big"), Loaded::Workspace(w) if *w == big));
        assert!(matches!(store.load("truncated"), Loaded::Corrupt { .. }));
        assert!(
            inflated_in_steps,
            "the big body inflates over several steps"
        );
    }

    #[test]
    fn save_list_load_round_trip() {
        let mut store = Store::new(MemoryKv::default());
        let ws = demo();
        let info = store.save("demo", &ws).expect("saved");
        assert_eq!(info.customers, 16);
        store.set_active("demo").expect("active");
        assert_eq!(store.active().as_deref(), Some("demo"));
        assert_eq!(store.list(), vec![info]);
        let Loaded::Workspace(back) = store.load("demo") else {
            panic!("not loaded")
        };
        assert_eq!(*back, ws);
    }

    #[test]
    fn a_failed_save_keeps_the_last_good_one() {
        let mut store = Store::new(MemoryKv::default());
        let small = demo();
        store.save("w", &small).expect("first save fits");
        let used = store.backend().used_bytes();
        store.backend_mut().quota = Some(used + 1000);
        let big = generate(40, 1);
        assert_eq!(store.save("w", &big), Err(StoreError::QuotaExceeded));
        let Loaded::Workspace(back) = store.load("w") else {
            panic!("lost the previous save")
        };
        assert_eq!(back.name, small.name);
        assert_eq!(store.list()[0].customers, 16);
    }

    #[test]
    fn corrupted_data_is_reported_with_the_raw_text() {
        let mut store = Store::new(MemoryKv::default());
        store
            .backend_mut()
            .set(
                "pcs.ws.x",
                "{\"format\": \"pcs-workbench/workspace\", \"version\": 1, ",
            )
            .expect("set");
        let Loaded::Corrupt { raw, problems } = store.load("x") else {
            panic!("should be corrupt")
        };
        assert!(raw.starts_with("{\"format\""));
        assert!(problems[0].message.contains("ends too early"));
        assert!(matches!(store.load("nothing"), Loaded::Missing));
    }

    #[test]
    fn delete_keeps_a_backup_and_slot_ids_stay_unique() {
        let mut store = Store::new(MemoryKv::default());
        let ws = demo();
        assert_eq!(
            store.new_slot_id("Contoso Cloud — FY27!"),
            "contoso-cloud-fy27"
        );
        store.save("contoso-cloud-fy27", &ws).expect("save");
        assert_eq!(
            store.new_slot_id("Contoso Cloud — FY27!"),
            "contoso-cloud-fy27-2"
        );
        store.set_active("contoso-cloud-fy27").expect("active");
        store.delete("contoso-cloud-fy27").expect("delete");
        assert!(store.list().is_empty());
        assert_eq!(store.active(), None);
        assert_eq!(
            store.backup("contoso-cloud-fy27").map(|w| w.name),
            Some(ws.name)
        );
    }

    #[test]
    fn a_what_if_layer_is_kept_with_its_slot_and_goes_with_it() {
        use crate::planner::Edit;
        let mut store = Store::new(MemoryKv::default());
        store.save("a", &demo()).expect("saved");
        assert!(store.load_whatif("a").changes.is_empty());
        let mut w = crate::whatif::WhatIf::default();
        w.add(
            "Fabrikam +10%".into(),
            Edit::GrowCustomer {
                customer: "fabrikam".into(),
                percent: 10.0,
            },
        );
        store.save_whatif("a", &w).expect("saved");
        assert_eq!(store.load_whatif("a"), w);
        assert!(store.load_whatif("b").changes.is_empty());
        store.delete("a").expect("deleted");
        assert!(store.load_whatif("a").changes.is_empty());
    }

    #[test]
    fn large_workspaces_are_stored_packed_and_read_back() {
        let big = crate::generate::generate(60, 2);
        let json = serde_json::to_string(&big).expect("json");
        assert!(json.len() > PACK_OVER);
        let mut store = Store::new(MemoryKv::default());
        let info = store.save("big", &big).expect("saved");
        let stored = store
            .backend()
            .get("pcs.ws.big")
            .expect("get")
            .expect("body");
        assert!(stored.starts_with(PACKED));
        assert!(
            stored.len() * 5 < json.len(),
            "{} vs {}",
            stored.len(),
            json.len()
        );
        assert_eq!(info.bytes, utf16_bytes(&stored));
        match store.load("big") {
            Loaded::Workspace(ws) => assert_eq!(*ws, big),
            _ => panic!("not read back"),
        }
        assert_eq!(store.raw("big").as_deref(), Some(json.as_str()));
        // Small ones stay readable JSON.
        store.save("demo", &demo()).expect("saved");
        assert!(
            store
                .backend()
                .get("pcs.ws.demo")
                .expect("get")
                .expect("body")
                .starts_with('{')
        );
    }

    #[test]
    fn base64_round_trips_and_damaged_packs_are_kept_as_stored() {
        for n in 0..20 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 5) as u8).collect();
            assert_eq!(unbase64(&base64(&bytes)).as_deref(), Some(bytes.as_slice()));
        }
        assert_eq!(base64(b"pcs"), "cGNz");
        assert_eq!(base64(b"pc"), "cGM=");
        assert_eq!(base64(b"p"), "cA==");
        for text in ["", "pcs", "Zoë", "é🦀\u{0}\u{202e}", "日本語", "𝄞x"] {
            assert_eq!(utf16_bytes(text), text.encode_utf16().count() * 2, "{text}");
        }
        // A body's size as stored, told before it is encoded.
        for n in 0..7 {
            let bytes: Vec<u8> = (0..n).map(|i| i * 37).collect();
            let told = Packed::Deflated(bytes.clone()).stored_bytes();
            assert_eq!(
                told,
                utf16_bytes(&Packed::Deflated(bytes).body()),
                "{n} bytes"
            );
        }
        let plain = Packed::Plain("Zoë 🦀".into());
        assert_eq!(plain.stored_bytes(), utf16_bytes("Zoë 🦀"));
        let damaged = format!("{PACKED}not base64 at all!");
        assert_eq!(unpack(damaged.clone()), damaged);
        let mut store = Store::new(MemoryKv::default());
        store.backend_mut().set("pcs.ws.x", &damaged).expect("set");
        assert!(matches!(store.load("x"), Loaded::Corrupt { .. }));
    }

    #[test]
    fn a_workspace_over_the_browser_budget_is_refused_clearly_and_nothing_is_lost() {
        let mut store = Store::with_budget(MemoryKv::default(), 200 * 1024);
        store.save("w", &demo()).expect("the demo fits");
        let big = crate::generate::generate(80, 4);
        let err = store.save("w", &big).expect_err("too large");
        assert!(matches!(err, StoreError::TooLarge { .. }));
        assert!(err.to_string().contains("stays open in this tab"), "{err}");
        match store.load("w") {
            Loaded::Workspace(ws) => assert_eq!(*ws, demo(), "the previous save is intact"),
            _ => panic!("previous save lost"),
        }
    }

    /// A save written a customer at a time stores what a save in one go stores, and reads
    /// back the same; a save that saw another workspace half-way is refused, not stored.
    #[test]
    fn a_save_in_steps_stores_what_a_save_in_one_go_stores() {
        for ws in [demo(), crate::generate::generate(60, 2)] {
            let mut whole = Store::new(MemoryKv::default());
            whole.save("w", &ws).expect("saved");
            let mut packing = Packing::new(&ws).expect("starts");
            let mut steps = 0;
            while !packing.step(&ws, 7).expect("steps") {
                steps += 1;
                assert_eq!(packing.progress().0, 7 * steps);
            }
            assert_eq!(steps, (ws.customers.len() - 1) / 7);
            let mut stepped = Store::new(MemoryKv::default());
            stepped.commit("w", &ws, packing).expect("committed");
            let body = |s: &Store<MemoryKv>| s.backend().get("pcs.ws.w").expect("get");
            assert_eq!(body(&stepped), body(&whole));
            assert_eq!(
                stepped.raw("w").expect("raw"),
                serde_json::to_string(&ws).expect("json")
            );
        }
        // The text alone, as the engine worker's job is written.
        let ws = crate::generate::generate(10, 1);
        let (mut writer, mut text) = WorkspaceText::new(&ws).expect("starts");
        while !writer
            .step(&ws, 4, &mut |s| text.push_str(s))
            .expect("steps")
        {}
        writer.finish(&mut |s| text.push_str(s)).expect("ends");
        assert_eq!(text, serde_json::to_string(&ws).expect("json"));
        let mut packing = Packing::new(&ws).expect("starts");
        packing.step(&ws, 3).expect("steps");
        let mut other = ws.clone();
        other.customers.pop();
        assert!(packing.step(&other, 3).is_err());
        let unfinished = Packing::new(&ws).expect("starts");
        let mut store = Store::new(MemoryKv::default());
        assert!(store.commit("w", &ws, unfinished).is_err());
        assert!(store.list().is_empty(), "nothing stored");
    }

    /// A workspace over 200 KB deflated, and its stored size deflated fast and smallest.
    fn packed_both_ways() -> (Workspace, usize, usize) {
        let big = crate::generate::generate(80, 4);
        let json = serde_json::to_string(&big).expect("json");
        let (fast, small) = (
            utf16_bytes(&pack_at(&json, FAST)),
            utf16_bytes(&pack_at(&json, SMALLEST)),
        );
        (big, fast, small)
    }

    /// A save deflates fast; a workspace that fits only deflated as small as it goes is
    /// still saved (and reads back the same).
    #[test]
    fn a_body_too_large_deflated_fast_is_deflated_smaller() {
        let (big, fast, small) = packed_both_ways();
        assert!(small < fast, "{small} vs {fast}");
        let mut store = Store::with_budget(MemoryKv::default(), (small + fast) / 2);
        let info = store.save("w", &big).expect("fits deflated smaller");
        assert_eq!(info.bytes, small);
        match store.load("w") {
            Loaded::Workspace(ws) => assert_eq!(*ws, big),
            _ => panic!("not read back"),
        }
        let mut roomy = Store::with_budget(MemoryKv::default(), 4 * fast);
        assert_eq!(roomy.save("w", &big).expect("fits").bytes, fast);
    }

    /// A body that deflated fast exceeds the budget by more than the smallest level can
    /// gain is refused at once, with what it needs at least; one within that reach is
    /// deflated again and measured (and refused with its exact size when it still does not
    /// fit).
    #[test]
    fn a_body_far_over_the_budget_is_not_deflated_again() {
        let (big, fast, small) = packed_both_ways();
        // The measured gain is well within the bound the refusal assumes.
        assert!(
            (fast as f64 / small as f64) < SMALLEST_GAIN,
            "{fast} / {small}"
        );
        let far = (fast as f64 / SMALLEST_GAIN) as usize - 1;
        let mut store = Store::with_budget(MemoryKv::default(), far);
        match store.save("w", &big) {
            Err(StoreError::TooLarge { bytes, budget }) => {
                assert_eq!(budget, far);
                assert_eq!(bytes, far + 1, "at least the fast body over the gain");
            }
            other => panic!("refused at once, not {other:?}"),
        }
        let near = small - 1;
        let mut store = Store::with_budget(MemoryKv::default(), near);
        match store.save("w", &big) {
            Err(StoreError::TooLarge { bytes, .. }) => assert_eq!(bytes, small, "measured"),
            other => panic!("refused after deflating again, not {other:?}"),
        }
        assert!(store.list().is_empty(), "nothing stored");
    }
}
