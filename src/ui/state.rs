//! The app's state: one workspace signal, saved automatically (debounced) to the
//! browser's storage. Engine results are derived from the signal, never stored.

use super::browser::Backend;
use crate::model::{Diagnostic, Workspace};
use crate::store::{Loaded, SlotInfo, Store};
use crate::validate::ReadOptions;
use leptos::prelude::*;
use std::time::Duration;

/// Edits are saved this long after the last one.
const SAVE_DELAY: Duration = Duration::from_millis(300);
/// A save writes this many customers between two frames (about 20 ms on the
/// 500-customer workspace in Chromium): a large workspace saves without freezing the page.
const CUSTOMERS_PER_SAVE_STEP: usize = 40;

/// Bytes of a workspace's text copied per task into the array handed to the engine worker.
const BYTES_PER_COPY_STEP: usize = 8 << 20;

/// Where the current workspace stands with respect to storage.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    Saved,
    Pending,
    /// The last save failed; the in-memory data and the previous save are intact.
    Failed(String),
    /// The browser does not let the site store anything: work stays in this tab.
    MemoryOnly,
    /// Nothing stored on purpose (the demo did not arrive at a first start: the empty
    /// workspace shown instead is stored at its first change, and the next start tries the
    /// demo again).
    NotYet,
}

/// Stored data that no longer reads as a workspace: shown instead of the app, never overwritten.
#[derive(Clone, Debug)]
pub struct Recovery {
    pub slot: String,
    pub raw: String,
    pub problems: Vec<Diagnostic>,
}

/// How to take back the last destructive action.
#[derive(Clone, Debug)]
pub enum Undo {
    /// Put `previous` back into `slot` and open it.
    Restore {
        slot: String,
        previous: Box<Workspace>,
    },
    /// Take back the last edit.
    Edit,
}

#[derive(Clone, Debug)]
pub struct Toast {
    pub message: String,
    pub undo: Option<Undo>,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub workspace: RwSignal<Workspace>,
    /// The score of every designation, recomputed when the workspace changes.
    pub evaluation: Memo<Option<crate::scoring::Evaluation>>,
    /// The health findings, recomputed when the workspace changes.
    pub findings: Memo<Vec<crate::findings::Finding>>,
    pub slot: RwSignal<String>,
    pub slots: RwSignal<Vec<SlotInfo>>,
    pub save_state: RwSignal<SaveState>,
    pub used_bytes: RwSignal<usize>,
    pub recovery: RwSignal<Option<Recovery>>,
    pub toast: RwSignal<Option<Toast>>,
    /// Points each fixable finding would recover, per designation (computed after edits settle).
    pub fix_gains: RwSignal<Vec<crate::planner::FixGain>>,
    /// Another tab saved this workspace: autosave pauses until the user chooses.
    pub external_change: RwSignal<bool>,
    /// Edits that can be undone, latest last: what they did and the workspace before.
    pub history: RwSignal<Vec<(String, Workspace)>>,
    /// Hypothetical changes over this workspace, kept with it, never mixed into it.
    pub whatif: RwSignal<crate::whatif::WhatIf>,
    /// Today in the browser, read once at start: deadlines and expiry are judged on it.
    pub today: Option<crate::model::Date>,
    /// Paths to 70 asked for on this workspace, by designation: planned in the engine
    /// worker, so they keep going (and are kept) while the user looks elsewhere.
    pub plans: RwSignal<std::collections::HashMap<String, PlanRun>>,
    /// Bumped by every workspace change: answers for an older workspace are dropped.
    plan_round: StoredValue<u32>,
    store: StoredValue<Store<Backend>, LocalStorage>,
    pending: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// The dashboard evaluation's rescorer, kept on the current workspace once
    /// [`AppState::evaluation`] is up to date: fix gains are measured with it.
    rescorer: StoredValue<Option<crate::scoring::Rescorer<'static>>, LocalStorage>,
    /// The rescorer is kept on the open workspace as it was when [`AppState::evaluation`]
    /// last ran: once that memo is read (up to date), what reads the rescorer takes every
    /// customer from it without comparing them.
    on_workspace: StoredValue<bool>,
    /// Bumped after every workspace change (by an effect): a rule-set switch prepared while
    /// the workspace was edited keeps the edit.
    changes: StoredValue<u64>,
    /// A newly opened workspace (or a new rule set) being prepared for scoring, a few
    /// customers per task, then scored a designation per task. The page shows the previous
    /// workspace meanwhile.
    pub preparing: RwSignal<Option<Preparing>>,
    /// The evaluation and findings of the workspace being switched to, scored in steps
    /// before the switch: the memos take them instead of scoring it again, in the switch's
    /// task (and it is emptied then).
    settled: StoredValue<Option<Settled>, LocalStorage>,
    /// Bumped by every preparation started: an older one still under way stops.
    prepare_round: StoredValue<u64>,
    /// The stored workspace being opened at start, a slice per task (its name and how far
    /// it is): the page says so instead of showing a placeholder.
    pub opening: RwSignal<Option<(String, f64)>>,
    /// The next workspace change is the stored workspace itself, opened: not saved again.
    skip_save: StoredValue<bool>,
    /// Bumped by every save asked for: a save in steps that finds another number has been
    /// overtaken and stops. `saving` is on while one is under way.
    save_round: StoredValue<u64>,
    saving: StoredValue<bool>,
}

pub const DEMO_SLOT: &str = "demo";

/// How far the preparation of a workspace for scoring is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preparing {
    pub customers: usize,
    /// From 0 to 1: its customers prepared, then its designations scored and its findings
    /// found.
    pub done: f64,
}

impl Preparing {
    /// The share of the preparation that prepares customers (the rest scores them).
    const CUSTOMERS_SHARE: f64 = 0.85;

    fn customers((done, all): (usize, usize)) -> Preparing {
        Preparing {
            customers: all,
            done: Self::CUSTOMERS_SHARE * done as f64 / all.max(1) as f64,
        }
    }

    fn settling(customers: usize, (done, all): (usize, usize)) -> Preparing {
        let share = 1.0 - Self::CUSTOMERS_SHARE;
        Preparing {
            customers,
            done: Self::CUSTOMERS_SHARE + share * done as f64 / all.max(1) as f64,
        }
    }
}

/// What [`AppState::settled`] holds until the memos take it.
#[derive(Default)]
struct Settled {
    evaluation: Option<crate::scoring::Evaluation>,
    findings: Option<Vec<crate::findings::Finding>>,
}

/// Customers prepared per task when a workspace is opened or scored under another rule
/// set (~5 ms for 50 customers of the generated partner in Chromium); a workspace this size
/// or smaller is prepared at once.
const PREPARE_STEP: usize = 50;

/// Customers copied per task once a workspace is prepared (the page's copy, the prepared
/// one kept by the rescorer): a copy of 5,000 took 186 ms in one task.
const COPY_STEP: usize = 500;

/// Customers read per task: a stored workspace opening at start, a file being imported.
pub(crate) const READ_STEP: usize = 100;

/// At most this many fixes are measured for the dashboard's "top fixes" (most severe
/// first): each costs a full evaluation.
const MAX_MEASURED_FIXES: usize = 40;

/// The fix being measured: the candidate, the next designation to measure it on, and its
/// gains so far.
type Measuring = (crate::planner::FixCandidate, usize, Vec<(String, f64)>);

/// Measure the next fix on the next designation, then yield to the browser before the
/// following one.
fn measure_fixes(
    state: AppState,
    round: StoredValue<u64, LocalStorage>,
    this: u64,
    mut todo: Vec<crate::planner::FixCandidate>,
    before: crate::scoring::Evaluation,
    mut done: Vec<crate::planner::FixGain>,
    current: Option<Measuring>,
) {
    if round.get_value() != this {
        return;
    }
    let (fix, at, mut gains) = match current {
        Some(c) => c,
        None => match todo.pop() {
            Some(fix) => (fix, 0, Vec::new()),
            None => {
                crate::planner::sort_fix_gains(&mut done);
                state.fix_gains.set(done);
                return;
            }
        },
    };
    // One designation per task. The rescorer keeps the current workspace once the
    // evaluation is up to date; the fix is applied to the workspace in place and undone,
    // without telling anyone (nothing changes).
    let next = match before.designations.get(at) {
        Some(d) => {
            state.evaluation.with_untracked(|_| ());
            let gain = state.rescorer.with_value(|kept| {
                let rescorer = kept.as_ref()?;
                state
                    .workspace
                    .try_update_untracked(|ws| {
                        let rules = crate::rules::rule_set(&ws.rules)?;
                        crate::planner::fix_designation_gain(ws, rescorer, rules, d, &fix)
                    })
                    .flatten()
            });
            gains.extend(gain);
            Some((fix, at + 1, gains))
        }
        None => {
            done.extend(crate::planner::gain_of(&fix, gains));
            None
        }
    };
    set_timeout(
        move || measure_fixes(state, round, this, todo, before, done, next),
        Duration::ZERO,
    );
}

/// What the page holds while a workspace named `name` opens in steps (the page shows
/// the opening screen instead of it).
fn placeholder(name: &str, today: Option<crate::model::Date>) -> Workspace {
    // Without a date from the browser: the month the newest rule set starts.
    let month = today
        .map(|d| d.month())
        .unwrap_or_else(crate::rules::newest_rules_month);
    crate::import::empty_workspace(name, month)
}

thread_local! {
    /// The demo's text once fetched: opening it again (a reset, a new workspace from it)
    /// does not fetch it again.
    static DEMO_TEXT: std::cell::RefCell<Option<std::rc::Rc<str>>> = const { std::cell::RefCell::new(None) };
}

/// The validator's errors in an edited workspace, if any (warnings do not stop an edit).
fn check_edit(next: &Workspace) -> Result<(), Vec<Diagnostic>> {
    let problems: Vec<Diagnostic> = crate::validate::check(next, ReadOptions::default())
        .into_iter()
        .filter(|d| d.severity == crate::model::Severity::Error)
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Drop `value` in a task of its own: freeing a large workspace (or the rescorer kept on
/// one) takes a while, and the task that replaced it has just scored and drawn the new one.
fn drop_later<T: 'static>(value: T) {
    set_timeout(move || drop(value), Duration::ZERO);
}

/// One path to 70 being planned or planned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanRun {
    pub busy: bool,
    pub progress: Option<crate::planner::PlanProgress>,
    pub plan: Option<crate::planner::Plan>,
    pub failed: Option<String>,
}

impl AppState {
    /// Forget every plan: the workspace changed.
    pub fn forget_plans(self) {
        self.plan_round.update_value(|r| *r += 1);
        if self.plans.with_untracked(|p| !p.is_empty()) {
            self.plans.set(std::collections::HashMap::new());
        }
    }

    /// Plan the path to 70 for designation `id` in the engine worker (on the page when no
    /// worker can start), reporting into [`AppState::plans`].
    pub fn start_plan(self, id: String) {
        use crate::jobs::{Answer, Job};
        let round = self.plan_round.get_value();
        // Only answers for this workspace (and the app still open) are kept.
        let key = id.clone();
        let update = move |f: &dyn Fn(&mut PlanRun)| {
            if self.plan_round.try_get_value() == Some(round) {
                self.plans.update(|p| f(p.entry(key.clone()).or_default()));
            }
        };
        self.plans.update(|p| {
            p.insert(
                id.clone(),
                PlanRun {
                    busy: true,
                    ..PlanRun::default()
                },
            );
        });
        let today = self.workspace.with_untracked(|ws| ws.judged_on(self.today));
        let job = crate::jobs::job_text(&Job::Plan {
            designation: id.clone(),
            today: today.to_string(),
        });
        // On the page itself when no worker runs it (after letting "Planning…" paint).
        let on_page = {
            let (id, update) = (id.clone(), update.clone());
            move || {
                let (id, update) = (id.clone(), update.clone());
                set_timeout(
                    move || {
                        let plan = self.workspace.with_untracked(|ws| {
                            let rules = crate::rules::rule_set(&ws.rules)?;
                            crate::planner::plan(ws, rules, &id, ws.judged_on(self.today))
                        });
                        update(&|r| {
                            r.plan = plan.clone();
                            r.busy = false;
                        });
                    },
                    Duration::from_millis(30),
                );
            }
        };
        let fallback = on_page.clone();
        // The workspace goes to the worker as its JSON, written a few customers per task.
        self.workspace_bytes_in_steps(
            round,
            Box::new(move |bytes| {
                let sent = super::worker::submit_bytes(job, bytes, move |answer| match answer {
                    Some(Answer::Progress(p)) => update(&|r| r.progress = Some(p)),
                    Some(Answer::Plan(plan)) => update(&|r| {
                        r.plan = plan.clone();
                        r.busy = false;
                    }),
                    Some(Answer::Error(e)) => update(&|r| {
                        r.failed = Some(e.clone());
                        r.busy = false;
                    }),
                    Some(Answer::Bench(_)) => update(&|r| {
                        r.failed = Some("the engine worker answered with something else".into());
                        r.busy = false;
                    }),
                    None => fallback(),
                });
                if !sent {
                    on_page();
                }
            }),
        );
    }

    /// The stored workspaces, with the open one as it is now: its name and customers, and
    /// listed before its first save is done (saves run a moment after a change, in steps).
    /// Its size is the one last stored (none yet for a new one).
    pub fn listed_slots(&self) -> Vec<SlotInfo> {
        let open = self.slot.get();
        let (name, customers) = self
            .workspace
            .with(|ws| (ws.name.clone(), ws.customers.len()));
        let mut list = self.slots.get();
        match list.iter_mut().find(|s| s.slot == open) {
            Some(s) => {
                s.name = name;
                s.customers = customers;
            }
            None => list.push(SlotInfo {
                slot: open,
                name,
                customers,
                bytes: 0,
            }),
        }
        list
    }

    /// Designation `id` of the current workspace, explained (the designation page), reusing
    /// what the dashboard's evaluation prepared; tracks the workspace.
    pub fn explained(&self, id: &str) -> Option<crate::scoring::DesignationScore> {
        // The evaluation first: its rescorer then keeps this workspace.
        self.evaluation.with(|_| ());
        self.workspace.with(|ws| {
            let rules = crate::rules::rule_set(&ws.rules)?;
            let current = self.on_workspace.get_value();
            self.rescorer.with_value(|kept| match kept {
                Some(r) if current && std::ptr::eq(r.rules(), rules) => r.explained_kept(id),
                Some(r) => r.explained(ws, rules, id),
                None => crate::scoring::evaluate_explained(ws, rules, id),
            })
        })
    }

    /// The current workspace's JSON as UTF-8 bytes in a JS array (what the engine worker is
    /// handed), written a few customers per task ([`crate::store::WorkspaceText`]) into
    /// pieces, then copied into the array [`BYTES_PER_COPY_STEP`] at a time, then given to
    /// `then`; nothing more once the workspace has changed (the plans' `round`). One growing
    /// text, then one copy, were each a long task on a large workspace (a realloc of tens of
    /// megabytes: 180 ms; the copy out of the page's memory: 220 ms).
    fn workspace_bytes_in_steps(self, round: u32, then: Box<dyn FnOnce(js_sys::Uint8Array)>) {
        fn write(
            state: AppState,
            round: u32,
            mut writer: crate::store::WorkspaceText,
            mut pieces: Vec<String>,
            then: Box<dyn FnOnce(js_sys::Uint8Array)>,
        ) {
            if state.plan_round.try_get_value() != Some(round) {
                return;
            }
            let mut piece = String::new();
            let written = state.workspace.with_untracked(|ws| {
                writer.step(ws, CUSTOMERS_PER_SAVE_STEP, &mut |s| piece.push_str(s))
            });
            match written {
                Ok(false) => {
                    pieces.push(piece);
                    set_timeout(
                        move || write(state, round, writer, pieces, then),
                        Duration::ZERO,
                    );
                }
                Ok(true) => {
                    let _ = writer.finish(&mut |s| piece.push_str(s));
                    pieces.push(piece);
                    start_copy(state, round, pieces, then);
                }
                // Not expected (the round guards against edits): written in one go.
                Err(_) => start_copy(state, round, vec![state.workspace_text()], then),
            }
        }
        // An array the size of all `pieces`, which are then copied into it.
        fn start_copy(
            state: AppState,
            round: u32,
            mut pieces: Vec<String>,
            then: Box<dyn FnOnce(js_sys::Uint8Array)>,
        ) {
            let total = pieces.iter().map(String::len).sum::<usize>();
            let bytes = js_sys::Uint8Array::new_with_length(total as u32);
            pieces.reverse();
            copy(state, round, pieces, bytes, 0, then);
        }
        // `pieces` (the last first) copied into `bytes` from `at` on.
        fn copy(
            state: AppState,
            round: u32,
            mut pieces: Vec<String>,
            bytes: js_sys::Uint8Array,
            mut at: u32,
            then: Box<dyn FnOnce(js_sys::Uint8Array)>,
        ) {
            if state.plan_round.try_get_value() != Some(round) {
                return;
            }
            let mut copied = 0;
            while copied < BYTES_PER_COPY_STEP {
                let Some(piece) = pieces.pop() else {
                    return then(bytes);
                };
                let end = at + piece.len() as u32;
                bytes.subarray(at, end).copy_from(piece.as_bytes());
                copied += piece.len();
                at = end;
            }
            set_timeout(
                move || copy(state, round, pieces, bytes, at, then),
                Duration::ZERO,
            );
        }
        match self
            .workspace
            .with_untracked(crate::store::WorkspaceText::new)
        {
            Ok((writer, head)) => write(self, round, writer, vec![head], then),
            Err(_) => start_copy(self, round, vec![self.workspace_text()], then),
        }
    }

    /// The current workspace's JSON, in one go.
    fn workspace_text(&self) -> String {
        self.workspace
            .with_untracked(|ws| serde_json::to_string(ws).unwrap_or_default())
    }
}

/// Workshop scenarios open in slots named `scenario-<id>`.
pub const SCENARIO_SLOT: &str = "scenario-";

impl AppState {
    /// Open storage and the last workspace (the demo on first start).
    pub fn start() -> AppState {
        let backend = Backend::open();
        let persistent = backend.is_persistent();
        let store = Store::new(backend);
        let mut recovery = None;
        // The workspace opened, and whether it is the stored one (then it is not saved again).
        let mut stored = false;
        // A large stored workspace opens in steps after the first paint (`open_step`).
        let mut opening = None;
        // No workspace to open: the demo is fetched, then opened in steps and stored.
        let mut first_start = false;
        let listed = store.list();
        let today = super::browser::today();
        let active = store.active();
        // The active slot's name when it is large enough to open in steps.
        let large = active.as_deref().and_then(|slot| {
            listed
                .iter()
                .find(|i| i.slot == slot && i.customers > PREPARE_STEP)
                .map(|i| i.name.clone())
        });
        let (slot, ws) = match (active, large) {
            (Some(slot), Some(name)) => {
                opening = Some((name.clone(), store.open_in_steps(&slot, READ_STEP)));
                stored = true;
                (slot, placeholder(&name, today))
            }
            (Some(slot), None) => match store.load(&slot) {
                Loaded::Workspace(ws) => {
                    stored = true;
                    (slot, *ws)
                }
                // Gone meanwhile (another tab deleted it): the demo, as at a first start.
                Loaded::Missing => {
                    first_start = true;
                    (
                        DEMO_SLOT.to_owned(),
                        placeholder(crate::data::DEMO_NAME, today),
                    )
                }
                Loaded::Corrupt { raw, problems } => {
                    recovery = Some(Recovery {
                        slot: slot.clone(),
                        raw,
                        problems,
                    });
                    // Behind the recovery screen, never shown or saved.
                    let behind = placeholder(&slot, today);
                    (slot, behind)
                }
            },
            // A first start: the demo is fetched (it is not part of the page's first load),
            // then read in steps after the first paint like a large stored workspace.
            (None, _) => {
                first_start = true;
                (
                    DEMO_SLOT.to_owned(),
                    placeholder(crate::data::DEMO_NAME, today),
                )
            }
        };
        let workspace = RwSignal::new(ws);
        // Kept across edits: an edit to one customer re-prepares that customer only.
        let rescorer: StoredValue<Option<crate::scoring::Rescorer<'static>>, LocalStorage> =
            StoredValue::new_local(None);
        let settled: StoredValue<Option<Settled>, LocalStorage> = StoredValue::new_local(None);
        let on_workspace = StoredValue::new(false);
        let evaluation = Memo::new(move |_| {
            // Scored in steps before this workspace was switched to (`settle_step`), with
            // the rescorer kept on it.
            let ready = settled.try_update_value(|s| s.as_mut().and_then(|s| s.evaluation.take()));
            if let Some(e) = ready.flatten() {
                workspace.track();
                on_workspace.set_value(true);
                return Some(e);
            }
            workspace.with(|ws| {
                let rules = crate::rules::rule_set(&ws.rules);
                on_workspace.set_value(rules.is_some());
                let rules = rules?;
                rescorer.try_update_value(|kept| match kept {
                    Some(r) => r.advance(ws, rules),
                    None => {
                        let r = crate::scoring::Rescorer::new(ws, rules);
                        let e = r.evaluate(ws);
                        *kept = Some(r);
                        e
                    }
                })
            })
        });
        let findings = Memo::new(move |_| {
            // The evaluation first: its rescorer then keeps this workspace, and the findings
            // take the customers it prepared instead of preparing them again.
            evaluation.with(|_| ());
            let ready = settled.try_update_value(|s| s.as_mut().and_then(|s| s.findings.take()));
            if let Some(found) = ready.flatten() {
                workspace.track();
                return found;
            }
            workspace.with(|ws| {
                let day = ws.judged_on(today);
                let current = on_workspace.get_value();
                crate::rules::rule_set(&ws.rules)
                    .map(|r| {
                        rescorer.with_value(|kept| {
                            crate::findings::findings_reusing(ws, r, day, |ci| match kept {
                                Some(k) if current => k.kept_prep(ci),
                                Some(k) => k.prep_of(ws, r, ci),
                                None => None,
                            })
                        })
                    })
                    .unwrap_or_default()
            })
        });
        let state = AppState {
            workspace,
            evaluation,
            rescorer,
            on_workspace,
            changes: StoredValue::new(0),
            findings,
            slot: RwSignal::new(slot),
            slots: RwSignal::new(listed),
            save_state: RwSignal::new(if persistent {
                SaveState::Saved
            } else {
                SaveState::MemoryOnly
            }),
            used_bytes: RwSignal::new(0),
            recovery: RwSignal::new(recovery),
            toast: RwSignal::new(None),
            fix_gains: RwSignal::new(Vec::new()),
            external_change: RwSignal::new(false),
            history: RwSignal::new(Vec::new()),
            whatif: RwSignal::new(crate::whatif::WhatIf::default()),
            today,
            plans: RwSignal::new(std::collections::HashMap::new()),
            plan_round: StoredValue::new(0),
            store: StoredValue::new_local(store),
            pending: StoredValue::new_local(None),
            save_round: StoredValue::new(0),
            saving: StoredValue::new(false),
            preparing: RwSignal::new(None),
            settled,
            prepare_round: StoredValue::new(0),
            opening: RwSignal::new(match &opening {
                Some((name, o)) => Some((name.clone(), o.fraction())),
                None if first_start => Some((crate::data::DEMO_NAME.to_owned(), 0.0)),
                None => None,
            }),
            skip_save: StoredValue::new(false),
        };
        state.refresh_usage();

        // Another tab saving the same workspace must not be overwritten silently.
        let _ = window_event_listener(leptos::ev::storage, move |e| {
            let ours = format!("pcs.ws.{}", state.slot.get_untracked());
            if e.key().as_deref() == Some(ours.as_str()) {
                state.external_change.set(true);
            }
        });

        // A pending save must not be lost when the tab closes or reloads.
        let flush = move || {
            state.save_if_pending();
        };
        let _ = window_event_listener(leptos::ev::pagehide, move |_| flush());
        let _ = window_event_listener(leptos::ev::beforeunload, move |_| flush());

        // Measure each fix's gain once edits settle, one fix per timer tick so the page stays
        // responsive on a large workspace; a newer edit abandons the round.
        let round = StoredValue::new_local(0u64);
        let gains_timer = StoredValue::new_local(None::<TimeoutHandle>);
        // The workspace the fixes were measured on: another one's (a workspace opened or
        // switched to) are dropped at once, not shown until the new ones are measured; an edit
        // keeps them meanwhile.
        let measured_on = StoredValue::new_local(String::new());
        Effect::new(move |_| {
            state.workspace.track();
            let slot = state.slot.get_untracked();
            if measured_on.with_value(|m| *m != slot) {
                measured_on.set_value(slot);
                if state.fix_gains.with_untracked(|g| !g.is_empty()) {
                    state.fix_gains.set(Vec::new());
                }
            }
            round.update_value(|r| *r += 1);
            if let Some(h) = gains_timer.get_value() {
                h.clear();
            }
            let this = round.get_value();
            let handle = set_timeout_with_handle(
                move || {
                    // Three tasks, each short on a large workspace: the dashboard's
                    // evaluation (kept across edits), its findings and their fixes, then the
                    // fixes measured one per task.
                    let before = state.evaluation.get_untracked();
                    set_timeout(
                        move || {
                            if round.get_value() != this {
                                return;
                            }
                            let list = state.workspace.with_untracked(|ws| {
                                let today = ws.judged_on(state.today);
                                crate::rules::rule_set(&ws.rules).map(|r| {
                                    // The dashboard's findings (found with the same day).
                                    let mut list = state.findings.with_untracked(|found| {
                                        crate::planner::fix_candidates_of(ws, r, today, found)
                                    });
                                    list.truncate(MAX_MEASURED_FIXES);
                                    // Measured from the back: most severe first, ties keep
                                    // that order.
                                    list.reverse();
                                    list
                                })
                            });
                            if let (Some(list), Some(before)) = (list, before) {
                                set_timeout(
                                    move || {
                                        measure_fixes(
                                            state,
                                            round,
                                            this,
                                            list,
                                            before,
                                            Vec::new(),
                                            None,
                                        )
                                    },
                                    Duration::ZERO,
                                );
                            }
                        },
                        Duration::ZERO,
                    );
                },
                Duration::from_millis(250),
            )
            .ok();
            gains_timer.set_value(handle);
        });

        // Counted after every change (a rule-set switch prepared meanwhile keeps an edit).
        Effect::new(move |_| {
            state.workspace.track();
            state.changes.update_value(|c| *c += 1);
        });

        // Each workspace has its own what-if layer.
        Effect::new(move |_| {
            let slot = state.slot.get();
            let layer = state.store.with_value(|s| s.load_whatif(&slot));
            state.whatif.set(layer);
        });

        // Save after every change, debounced; the first run is the load itself.
        Effect::new(move |first: Option<()>| {
            state.workspace.track();
            let opened = state
                .skip_save
                .try_update_value(std::mem::take)
                .unwrap_or(false);
            if first.is_some() && !opened {
                state.schedule_save();
            }
        });
        if let Some((_, opening)) = opening {
            let slot = state.slot.get_untracked();
            set_timeout(
                move || state.open_step(slot, opening, !stored),
                Duration::ZERO,
            );
        }
        if first_start {
            // Stored as it opens (`open_step`): the next start opens it from storage.
            state.open_demo(|state, problem| {
                // An empty workspace instead (not stored: the next start tries again).
                state.skip_save.set_value(true);
                if state.save_state.get_untracked() != SaveState::MemoryOnly {
                    state.save_state.set(SaveState::NotYet);
                }
                let month = state.workspace.with_untracked(|ws| ws.as_of);
                state
                    .workspace
                    .set(crate::import::empty_workspace("My workspace", month));
                state.opening.set(None);
                state.notify(
                    format!(
                        "{problem}. Import your own data, or reload the page to try the demo again."
                    ),
                    None,
                );
            });
        }
        state
    }

    /// Fetch the demo and open it in steps in the demo's slot, stored as it opens (a first
    /// start); `failed` hears why when it does not arrive.
    fn open_demo(self, failed: impl FnOnce(AppState, String) + 'static) {
        self.demo_text(|state, text| match text {
            Ok(text) => state.open_step(
                DEMO_SLOT.to_owned(),
                crate::store::Opening::of_text(text, READ_STEP),
                true,
            ),
            Err(problem) => failed(state, problem),
        });
    }

    /// The demo's text, fetched the first time it is needed (the page's first load does
    /// not carry it), handed to `then`: at once when it was fetched before.
    fn demo_text(self, then: impl FnOnce(AppState, Result<String, String>) + 'static) {
        if let Some(text) = DEMO_TEXT.with_borrow(Clone::clone) {
            then(self, Ok(text.to_string()));
            return;
        }
        leptos::task::spawn_local(async move {
            let url = crate::data::DEMO_FILE.to_owned();
            let text = super::browser::fetch_texts(std::slice::from_ref(&url))
                .await
                .pop()
                .unwrap_or_else(|| Err(format!("{url} could not be fetched")));
            if let Ok(text) = &text {
                DEMO_TEXT.set(Some(std::rc::Rc::from(text.as_str())));
            }
            then(
                self,
                text.map_err(|why| format!("The demo could not be loaded ({why})")),
            );
        });
    }

    /// The demo, read, handed to `then`; a demo that cannot be fetched or read is said in a
    /// toast and nothing changes.
    pub fn with_demo(self, then: impl FnOnce(AppState, Workspace) + 'static) {
        self.demo_text(move |state, text| {
            match text.and_then(|t| {
                crate::data::read_demo(&t)
                    .map_err(|why| format!("The demo could not be read ({why})"))
            }) {
                Ok(ws) => then(state, ws),
                Err(problem) => state.notify(format!("{problem}. Try again in a moment."), None),
            }
        });
    }

    /// Open the stored workspace (or, at a first start, the demo: then stored, `save`) a
    /// slice per task, prepare it for scoring likewise, then show it (a stored one is not
    /// saved again); a body that no longer reads shows the recovery screen, as at a start
    /// in one go.
    fn open_step(self, slot: String, mut opening: crate::store::Opening, save: bool) {
        if !opening.step() {
            self.opening.update(|o| {
                if let Some((_, f)) = o {
                    *f = opening.fraction()
                }
            });
            set_timeout(move || self.open_step(slot, opening, save), Duration::ZERO);
            return;
        }
        let loaded = opening.finish(|| self.store.with_value(|s| s.raw(&slot)));
        match loaded {
            Loaded::Workspace(ws) => self.switch_when_prepared(*ws, move |state, ws| {
                state.skip_save.set_value(true);
                drop_later(state.swap_workspace(ws));
                state.opening.set(None);
                // The demo at a first start is stored at once, as it opens.
                if save {
                    state.save_now();
                }
            }),
            Loaded::Missing => {
                // Gone meanwhile: the demo, stored as at a first start.
                self.slot.set(DEMO_SLOT.to_owned());
                self.open_demo(|state, problem| {
                    state.opening.set(None);
                    state.notify(problem, None);
                });
            }
            Loaded::Corrupt { raw, problems } => {
                self.skip_save.set_value(true);
                let behind = placeholder(&slot, self.today);
                self.recovery.set(Some(Recovery {
                    slot,
                    raw,
                    problems,
                }));
                drop_later(self.swap_workspace(behind));
                self.opening.set(None);
            }
        }
    }

    fn schedule_save(&self) {
        if let Some(h) = self.pending.get_value() {
            h.clear();
        }
        self.save_round.update_value(|r| *r += 1);
        if self.save_state.get_untracked() != SaveState::MemoryOnly {
            self.save_state.set(SaveState::Pending);
        }
        let state = *self;
        let handle = set_timeout_with_handle(move || state.save_in_steps(), SAVE_DELAY).ok();
        self.pending.set_value(handle);
    }

    /// Save the current workspace now, in one go. Never while a recovery screen is up.
    pub fn save_now(&self) {
        if let Some(h) = self.pending.get_value() {
            h.clear();
            self.pending.set_value(None);
        }
        // A save in steps under way is overtaken by this one.
        self.save_round.update_value(|r| *r += 1);
        self.saving.set_value(false);
        if self.recovery.get_untracked().is_some() || self.external_change.get_untracked() {
            return;
        }
        let slot = self.slot.get_untracked();
        self.store_as(&slot, |s, ws| s.save(&slot, ws));
    }

    /// Save now if an edit is waiting to be saved (before the tab closes, before another
    /// workspace opens); the stored copy is already the current one otherwise.
    pub fn save_if_pending(&self) {
        if self.pending.get_value().is_some() || self.saving.get_value() {
            self.save_now();
        }
    }

    /// The debounced save: the workspace written and deflated a few customers per task
    /// (`store::Packing`), then stored. An edit meanwhile starts it again.
    fn save_in_steps(&self) {
        self.pending.set_value(None);
        if self.recovery.get_untracked().is_some() || self.external_change.get_untracked() {
            return;
        }
        let round = self.save_round.get_value();
        let slot = self.slot.get_untracked();
        match self.workspace.with_untracked(crate::store::Packing::new) {
            Ok(packing) => {
                self.saving.set_value(true);
                self.save_step(round, slot, packing);
            }
            Err(_) => self.save_now(),
        }
    }

    fn save_step(self, round: u64, slot: String, mut packing: crate::store::Packing) {
        if self.save_round.get_value() != round {
            return;
        }
        let step = self
            .workspace
            .with_untracked(|ws| packing.step(ws, CUSTOMERS_PER_SAVE_STEP));
        match step {
            Ok(false) => set_timeout(move || self.save_step(round, slot, packing), Duration::ZERO),
            Ok(true) => {
                self.saving.set_value(false);
                self.store_as(&slot, |s, ws| s.commit(&slot, ws, packing));
            }
            // Not expected (each step sees the workspace the save started with): save in one go.
            Err(_) => self.save_now(),
        }
    }

    /// Store the current workspace in `slot` with `write` (a save in one go, or the commit
    /// of one in steps), make it the active slot, and show the outcome.
    fn store_as(
        &self,
        slot: &str,
        write: impl FnOnce(
            &mut Store<Backend>,
            &Workspace,
        ) -> Result<SlotInfo, crate::store::StoreError>,
    ) {
        let result = self.workspace.with_untracked(|ws| {
            self.store.try_update_value(|s| {
                let r = write(s, ws);
                if r.is_ok() {
                    let _ = s.set_active(slot);
                }
                r
            })
        });
        // Its state on screen, the slot list and the storage use.
        match result {
            Some(Ok(_)) if self.save_state.get_untracked() != SaveState::MemoryOnly => {
                self.save_state.set(SaveState::Saved);
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => self.save_state.set(SaveState::Failed(e.to_string())),
            None => {}
        }
        self.slots.set(self.store.with_value(|s| s.list()));
        self.refresh_usage();
    }

    fn refresh_usage(&self) {
        self.used_bytes.set(
            self.store
                .with_value(|s| crate::store::KeyValue::used_bytes(s.backend())),
        );
    }

    /// Switch to `ws` with `switch` once its customers are prepared for scoring. An edit
    /// goes through the kept rescorer, which prepares the customers it changes; another
    /// workspace (opened, imported, under another rule set) is prepared in steps first, the
    /// page showing the progress and staying responsive, so that the switch itself only
    /// scores. A later preparation overtakes this one.
    fn switch_when_prepared(
        self,
        ws: Workspace,
        switch: impl FnOnce(AppState, Workspace) + 'static,
    ) {
        self.prepare_round.update_value(|r| *r += 1);
        let round = self.prepare_round.get_value();
        let Some(rules) = crate::rules::rule_set(&ws.rules) else {
            self.preparing.set(None);
            return switch(self, ws);
        };
        if ws.customers.len() <= PREPARE_STEP {
            self.preparing.set(None);
            return switch(self, ws);
        }
        let warming = crate::scoring::Warming::new(ws, rules);
        self.preparing
            .set(Some(Preparing::customers(warming.progress())));
        self.prepare_step(round, warming, Box::new(switch));
    }

    fn prepare_step(
        self,
        round: u64,
        mut warming: crate::scoring::Warming<'static>,
        switch: Box<dyn FnOnce(AppState, Workspace)>,
    ) {
        if !warming.step(PREPARE_STEP) {
            self.preparing
                .set(Some(Preparing::customers(warming.progress())));
            return self
                .next_prepare_task(round, move || self.prepare_step(round, warming, switch));
        }
        // The sums in this task, the rest of the rescorer in the next; then a designation
        // scored per task and the findings a slice of customers per task (`settle_step`); the
        // page's copy of the workspace a slice per task (a whole copy of a large one is a
        // long task of its own); the switch (which renders) in the next.
        self.next_prepare_task(round, move || {
            warming.sum();
            self.next_prepare_task(round, move || {
                let rescorer = warming.finish();
                let day = rescorer.workspace().judged_on(self.today);
                let settling = crate::scoring::Settling::new(rescorer, day);
                self.next_prepare_task(round, move || self.settle_step(round, settling, switch));
            });
        });
    }

    /// Score the next designation of the prepared workspace (or find its fixes), then copy
    /// it once all are.
    fn settle_step(
        self,
        round: u64,
        mut settling: crate::scoring::Settling<'static>,
        switch: Box<dyn FnOnce(AppState, Workspace)>,
    ) {
        let done = settling.step();
        let customers = settling.rescorer().workspace().customers.len();
        self.preparing
            .set(Some(Preparing::settling(customers, settling.progress())));
        if !done {
            return self
                .next_prepare_task(round, move || self.settle_step(round, settling, switch));
        }
        self.next_prepare_task(round, move || {
            let (rescorer, evaluation, findings) = settling.finish();
            let settled = Settled {
                evaluation: Some(evaluation),
                findings: Some(findings),
            };
            let mut copy = rescorer.workspace().clone_without_customers();
            copy.customers
                .reserve_exact(rescorer.workspace().customers.len());
            self.copy_step(round, (rescorer, settled), copy, switch);
        });
    }

    /// Copy [`COPY_STEP`] more of the prepared workspace's customers, then switch once all
    /// are.
    fn copy_step(
        self,
        round: u64,
        (rescorer, settled): (crate::scoring::Rescorer<'static>, Settled),
        mut copy: Workspace,
        switch: Box<dyn FnOnce(AppState, Workspace)>,
    ) {
        if !copy.copy_customers_from(rescorer.workspace(), COPY_STEP) {
            return self.next_prepare_task(round, move || {
                self.copy_step(round, (rescorer, settled), copy, switch)
            });
        }
        self.next_prepare_task(round, move || {
            // Kept before the switch, in the same task: an edit after it re-prepares only
            // the customers it changes.
            let old = self
                .rescorer
                .try_update_value(|kept| kept.replace(rescorer))
                .flatten();
            // On the workspace once the switch sets it and the evaluation runs.
            self.on_workspace.set_value(false);
            self.preparing.set(None);
            // Taken by the memos at the switch, read here so that nothing else can change
            // the workspace meanwhile (`switch` sets it to the copy), then emptied.
            self.settled.set_value(Some(settled));
            switch(self, copy);
            self.evaluation.with_untracked(|_| ());
            self.findings.with_untracked(|_| ());
            self.settled.set_value(None);
            drop_later(old);
        });
    }

    /// `f` in a task of its own, unless another preparation has started meanwhile.
    fn next_prepare_task(self, round: u64, f: impl FnOnce() + 'static) {
        set_timeout(
            move || {
                if self.prepare_round.get_value() == round {
                    f();
                }
            },
            Duration::ZERO,
        );
    }

    /// Open `ws` and give back the workspace it replaces.
    fn swap_workspace(&self, ws: Workspace) -> Option<Workspace> {
        self.workspace.try_update(|w| std::mem::replace(w, ws))
    }

    /// Score the workspace under another rule set (prepared in steps, as opening one is).
    /// Its copy for the new rules is taken [`COPY_STEP`] customers per task (at once, a
    /// copy of 5,000 was a task of 60-120 ms).
    pub fn set_rules(&self, id: String) {
        if self.workspace.with_untracked(|w| w.rules == id) {
            return;
        }
        self.prepare_round.update_value(|r| *r += 1);
        let round = self.prepare_round.get_value();
        let (mut ws, n) = self
            .workspace
            .with_untracked(|w| (w.clone_without_customers(), w.customers.len()));
        ws.rules = id.clone();
        ws.customers.reserve_exact(n);
        if n > PREPARE_STEP {
            self.preparing.set(Some(Preparing::customers((0, n))));
        }
        let at = self.changes.get_value();
        self.rules_copy_step(round, ws, id, at);
    }

    /// Copy [`COPY_STEP`] more of the open workspace's customers for the rule-set switch to
    /// `id`, then prepare it. Edited meanwhile (`changes` is no longer `at`), the edit is kept:
    /// the switch then sets the rules on the workspace and scores it there.
    fn rules_copy_step(self, round: u64, mut ws: Workspace, id: String, at: u64) {
        let done = self
            .workspace
            .with_untracked(|w| ws.copy_customers_from(w, COPY_STEP));
        if !done {
            return self.next_prepare_task(round, move || self.rules_copy_step(round, ws, id, at));
        }
        // A small workspace at once, as it was.
        let small = ws.customers.len() <= PREPARE_STEP;
        let prepare = move || {
            self.switch_when_prepared(ws, move |state, copy| {
                if state.changes.get_value() == at {
                    // The copy is this workspace under the new rules, as settled.
                    drop_later(state.swap_workspace(copy));
                } else {
                    // Edited meanwhile: the edit is kept and scored at the switch.
                    state.settled.set_value(None);
                    drop_later(copy);
                    state.workspace.update(|w| w.rules = id);
                }
            })
        };
        if small {
            prepare();
        } else {
            self.next_prepare_task(round, prepare);
        }
    }

    /// Open another stored workspace (the current one is saved first).
    pub fn open_slot(&self, slot: &str) {
        self.save_if_pending();
        match self.store.with_value(|s| s.load(slot)) {
            Loaded::Workspace(ws) => {
                let slot = slot.to_owned();
                self.switch_when_prepared(*ws, move |state, ws| {
                    state.history.set(Vec::new());
                    state.slot.set(slot);
                    drop_later(state.swap_workspace(ws));
                });
            }
            Loaded::Missing => self.notify(
                format!("The workspace \"{slot}\" is no longer stored."),
                None,
            ),
            Loaded::Corrupt { raw, problems } => {
                self.slot.set(slot.to_owned());
                self.recovery.set(Some(Recovery {
                    slot: slot.to_owned(),
                    raw,
                    problems,
                }));
            }
        }
    }

    /// Replace the open workspace with `ws`, keeping the old one for undo.
    pub fn replace_current(&self, ws: Workspace, message: String) {
        self.switch_when_prepared(ws, move |state, ws| {
            let slot = state.slot.get_untracked();
            state.store.update_value(|s| {
                let _ = s.snapshot(&slot);
            });
            // Saved by the save-after-change effect, in steps; the previous one kept for undo.
            let Some(previous) = state.swap_workspace(ws) else {
                return;
            };
            state.notify(
                message,
                Some(Undo::Restore {
                    slot,
                    previous: Box::new(previous),
                }),
            );
        });
    }

    /// Keep `ws` as a new workspace and open it.
    pub fn add_workspace(&self, ws: Workspace) {
        self.switch_when_prepared(ws, move |state, ws| {
            state.save_if_pending();
            let slot = state.store.with_value(|s| s.new_slot_id(&ws.name));
            let name = ws.name.clone();
            state.slot.set(slot);
            // Saved by the save-after-change effect, in steps.
            drop_later(state.swap_workspace(ws));
            state.notify(format!("Opened \"{name}\" as a new workspace."), None);
        });
    }

    /// Delete a stored workspace (undoable). Deleting the open one opens another.
    pub fn delete_slot(&self, slot: &str) {
        let Loaded::Workspace(previous) = self.store.with_value(|s| s.load(slot)) else {
            return;
        };
        let name = previous.name.clone();
        let _ = self.store.try_update_value(|s| s.delete(slot));
        if self.slot.get_untracked() == slot {
            let next = self
                .store
                .with_value(|s| s.list().first().map(|i| i.slot.clone()));
            match next {
                Some(next) => self.open_slot(&next),
                None => self.with_demo(|state, demo| {
                    state.slot.set(DEMO_SLOT.to_owned());
                    state.workspace.set(demo);
                    state.save_now();
                }),
            }
        }
        self.slots.set(self.store.with_value(|s| s.list()));
        self.refresh_usage();
        self.notify(
            format!("Deleted \"{name}\"."),
            Some(Undo::Restore {
                slot: slot.to_owned(),
                previous,
            }),
        );
    }

    /// Apply an edit, checked by the same validator as an import: on any error the
    /// workspace is left as it was and the problems are returned.
    pub fn apply(
        &self,
        label: &str,
        f: impl FnOnce(&mut Workspace),
    ) -> Result<(), Vec<Diagnostic>> {
        let (before, next) = self.checked_edit(f)?;
        self.remember(label.to_owned(), before);
        self.workspace.set(next);
        Ok(())
    }

    /// [`AppState::apply`] for an edit that makes a new workspace of many changed customers
    /// (an import merged into the workspace): `next` is prepared and scored in steps first,
    /// as an opened workspace is, then `done` hears whether it was applied. It is not when the
    /// workspace was edited meanwhile: `next` was made from the workspace as it was.
    pub fn apply_prepared(
        &self,
        label: &str,
        next: Workspace,
        done: impl FnOnce(AppState, bool) + 'static,
    ) -> Result<(), Vec<Diagnostic>> {
        check_edit(&next)?;
        let at = self.changes.get_value();
        let label = label.to_owned();
        self.switch_when_prepared(next, move |state, ws| {
            if state.changes.get_value() != at {
                state.settled.set_value(None);
                drop_later(ws);
                return done(state, false);
            }
            // The workspace it replaces is the one kept for undo (unchanged since `next`
            // was made from it).
            match state.swap_workspace(ws) {
                Some(before) => {
                    state.remember(label, before);
                    done(state, true);
                }
                None => done(state, false),
            }
        });
        Ok(())
    }

    /// The open workspace, and it with `f` applied when the validator finds no error in it.
    fn checked_edit(
        &self,
        f: impl FnOnce(&mut Workspace),
    ) -> Result<(Workspace, Workspace), Vec<Diagnostic>> {
        let before = self.workspace.get_untracked();
        let mut next = before.clone();
        f(&mut next);
        check_edit(&next)?;
        Ok((before, next))
    }

    /// Keep `before` for undo, under `label`.
    fn remember(&self, label: String, before: Workspace) {
        self.history.update(|h| {
            h.push((label, before));
            if h.len() > 50 {
                h.remove(0);
            }
        });
    }

    /// A small app record kept in the browser (see [`Store::app_value`]).
    pub fn app_value(&self, name: &str) -> Option<String> {
        self.store.with_value(|s| s.app_value(name))
    }

    pub fn set_app_value(&self, name: &str, value: &str) {
        let _ = self
            .store
            .try_update_value(|s| s.set_app_value(name, value));
    }

    /// Open a workshop scenario's workspace in its own slot (fresh each time); the
    /// partner's own workspace is saved and left untouched, to come back to.
    pub fn open_scenario(&self, id: &str, ws: Workspace) {
        let current = self.slot.get_untracked();
        if !current.starts_with(SCENARIO_SLOT) {
            self.set_app_value("workshop.return", &current);
        }
        self.save_if_pending();
        self.history.set(Vec::new());
        self.slot.set(format!("{SCENARIO_SLOT}{id}"));
        self.workspace.set(ws);
    }

    /// Back to the workspace open before the first scenario.
    pub fn leave_scenario(&self) {
        let back = self
            .app_value("workshop.return")
            .filter(|s| !s.starts_with(SCENARIO_SLOT))
            .unwrap_or_else(|| DEMO_SLOT.to_owned());
        self.open_slot(&back);
    }

    /// Change the what-if layer and keep it with the workspace.
    pub fn update_whatif(&self, f: impl FnOnce(&mut crate::whatif::WhatIf)) {
        self.whatif.update(f);
        let slot = self.slot.get_untracked();
        let layer = self.whatif.get_untracked();
        if let Err(e) = self
            .store
            .try_update_value(|s| s.save_whatif(&slot, &layer))
            .unwrap_or(Ok(()))
        {
            self.notify(
                format!("The what-if changes could not be stored: {e}."),
                None,
            );
        }
    }

    /// Add a hypothetical change (switched on).
    pub fn add_whatif(&self, edit: crate::planner::Edit) {
        let label = self.workspace.with_untracked(|ws| {
            crate::rules::rule_set(&ws.rules)
                .map(|r| crate::whatif::describe(ws, r, &edit))
                .unwrap_or_default()
        });
        self.update_whatif(|w| {
            w.add(label.clone(), edit);
        });
        self.notify(format!("Added to the what-if: {label}."), None);
    }

    /// Make the switched-on changes real (undoable); they leave the what-if list.
    pub fn apply_whatif(&self) -> Result<(), Vec<Diagnostic>> {
        let layer = self.whatif.get_untracked();
        let n = layer.enabled().count();
        self.apply(
            &format!("apply {n} what-if change{}", if n == 1 { "" } else { "s" }),
            |w| {
                if let Some(r) = crate::rules::rule_set(&w.rules) {
                    layer.apply_to(w, r);
                }
            },
        )?;
        self.update_whatif(|w| w.changes.retain(|c| !c.enabled));
        self.notify(
            format!(
                "Applied {n} change{} to your workspace.",
                if n == 1 { "" } else { "s" }
            ),
            Some(Undo::Edit),
        );
        Ok(())
    }

    /// Take back the last edit.
    pub fn undo_edit(&self) {
        let mut last = None;
        self.history.update(|h| last = h.pop());
        if let Some((label, before)) = last {
            self.workspace.set(before);
            self.notify(format!("Undone: {label}."), None);
        }
    }

    /// Take the version another tab saved (this tab's unsaved edits are dropped).
    pub fn load_external(&self) {
        self.external_change.set(false);
        let slot = self.slot.get_untracked();
        if let Loaded::Workspace(ws) = self.store.with_value(|s| s.load(&slot)) {
            self.history.set(Vec::new());
            self.workspace.set(*ws);
            self.save_state.set(SaveState::Saved);
        }
    }

    /// Keep this tab's version and save it over the other tab's.
    pub fn keep_mine(&self) {
        self.external_change.set(false);
        self.save_now();
    }

    pub fn reset_to_demo(&self) {
        self.with_demo(|state, demo| {
            state.replace_current(demo, "The workspace was reset to the demo.".into())
        });
    }

    /// Open a copy of the demo as a new workspace.
    pub fn add_demo(&self) {
        self.with_demo(|state, demo| state.add_workspace(demo));
    }

    /// Leave the recovery screen by starting over from the demo in that slot.
    pub fn recover_with_demo(&self) {
        self.with_demo(|state, demo| {
            state.recovery.set(None);
            state.workspace.set(demo);
            state.save_now();
        });
    }

    pub fn undo(&self) {
        let Some(Toast {
            undo: Some(undo), ..
        }) = self.toast.get_untracked()
        else {
            return;
        };
        self.toast.set(None);
        match undo {
            Undo::Edit => self.undo_edit(),
            Undo::Restore { slot, previous } => {
                self.save_if_pending();
                // Prepared in steps like any workspace opened: it may be a large one.
                self.switch_when_prepared(*previous, move |state, ws| {
                    state.slot.set(slot);
                    drop_later(state.swap_workspace(ws));
                    state.notify("Undone.".into(), None);
                });
            }
        }
    }

    /// `f` on the open workspace prepared and attributed over the scorer's months, taking
    /// what the dashboard's evaluation kept (only the customers changed since are prepared
    /// again): the customer pages explain and sum without preparing every customer. None
    /// without the workspace's rule set. Tracks the workspace.
    pub fn with_attributed<T>(
        &self,
        f: impl FnOnce(
            &Workspace,
            &'static crate::rules::RuleSet,
            &crate::attribution::Prepared,
            &crate::attribution::Attribution,
        ) -> T,
    ) -> Option<T> {
        // The evaluation first (brought up to date): its rescorer then keeps this workspace.
        self.evaluation.with(|_| ());
        self.workspace.with(|ws| {
            let rules = crate::rules::rule_set(&ws.rules)?;
            let current = self.on_workspace.get_value();
            self.rescorer.with_value(|kept| match kept {
                Some(r) if current && std::ptr::eq(r.rules(), rules) => {
                    let (prepared, att) = r.attributed_kept();
                    Some(f(ws, rules, &prepared, &att))
                }
                Some(r) if std::ptr::eq(r.rules(), rules) => {
                    let (prepared, att) = r.attributed(ws);
                    Some(f(ws, rules, &prepared, &att))
                }
                _ => {
                    let view = crate::attribution::Viewpoint::of_workspace(ws);
                    let prepared = crate::attribution::Prepared::new(ws, rules, view);
                    let (from, _, to) = crate::scoring::window(ws, rules);
                    let att = prepared.attribute(from, to);
                    Some(f(ws, rules, &prepared, &att))
                }
            })
        })
    }

    pub fn notify(&self, message: String, undo: Option<Undo>) {
        self.toast.set(Some(Toast { message, undo }));
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
