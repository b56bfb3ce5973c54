//! The reconciliation of the app's workspace, run off the rendering task: the dashboard's
//! strip and the Reconciliation page both read it. A partner's whole download reconciled
//! and re-scored takes a while, so it runs in two tasks of its own — the rows, then the
//! scores and points at stake — once the page is drawn and again after each change; a
//! result of a workspace (or month) changed meanwhile is dropped.

use crate::model::Month;
use crate::reconcile::{Reconciliation, RowPoints};
use crate::ui::state::use_app;
use leptos::prelude::*;
use std::time::Duration;

/// Where a reconciliation stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Reconciling {
    /// Not run yet.
    Waiting,
    /// No month to reconcile: no Partner Center attribution imported (or no rule set).
    NoData,
    /// The rows and each class's rows and ACR; the scores and points at stake to come.
    Rows(Reconciliation),
    /// Complete, with the points at stake of the rows asked for.
    Scored(Reconciliation),
}

impl Reconciling {
    /// The reconciliation so far, if any.
    pub fn result(&self) -> Option<&Reconciliation> {
        match self {
            Reconciling::Rows(r) | Reconciling::Scored(r) => Some(r),
            Reconciling::Waiting | Reconciling::NoData => None,
        }
    }

    pub fn scored(&self) -> bool {
        matches!(self, Reconciling::Scored(_))
    }
}

/// The app's workspace reconciled in the month `month` reads (tracked), measuring the
/// points at stake of the rows `points` says; run again whenever the workspace or the month
/// changes. Until a new result comes, the last one stays.
pub fn reconciled(
    month: impl Fn() -> Option<Month> + 'static,
    points: RowPoints,
) -> ReadSignal<Reconciling> {
    let app = use_app();
    let state = RwSignal::new(Reconciling::Waiting);
    let runs = StoredValue::new(0u64);
    Effect::new(move |_| {
        app.workspace.track();
        let month = month();
        let run = runs.get_value() + 1;
        runs.set_value(run);
        let current = move || runs.try_get_value() == Some(run);
        let points = points.clone();
        set_timeout(
            move || {
                if !current() {
                    return;
                }
                let rows = app.workspace.with_untracked(|w| {
                    let rules = crate::rules::rule_set(&w.rules)?;
                    let m = month?;
                    Some(crate::reconcile::reconcile_rows(
                        w,
                        rules,
                        m,
                        w.judged_on(app.today),
                    ))
                });
                let Some(mut r) = rows else {
                    state.try_set(Reconciling::NoData);
                    return;
                };
                state.try_set(Reconciling::Rows(r.clone()));
                set_timeout(
                    move || {
                        if !current() {
                            return;
                        }
                        app.workspace.with_untracked(|w| {
                            if let Some(rules) = crate::rules::rule_set(&w.rules) {
                                crate::reconcile::score_reconciliation(w, rules, &points, &mut r);
                            }
                        });
                        state.try_set(Reconciling::Scored(r));
                    },
                    Duration::ZERO,
                );
            },
            Duration::ZERO,
        );
    });
    state.read_only()
}
