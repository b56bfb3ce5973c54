//! "Import from Partner Center or Azure": pick or drop several files, see what each was
//! recognised as, preview every change per customer, take or keep each conflict, apply as
//! one undoable edit. Large files are read a few thousand rows at a time so the page keeps
//! painting. The engine decides everything; this only shows it.

use crate::import::merge::{Change, ChangeKind, CustomerPlan};
use crate::import::{
    self, FileReading, MergeOptions, Plan, Planning, ROWS_PER_STEP, ReadFile, ReadOptions, Refusal,
};
use crate::ui::browser::read_file_with_progress;
use crate::ui::components::Copyable;
use crate::ui::state::{AppState, Undo, use_app};
use leptos::prelude::*;
use leptos::web_sys;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// At most this many customers are listed in the preview; the rest are counted.
const LISTED_CUSTOMERS: usize = 150;

/// Tenants merged per step of the preview: small enough to keep each step short.
const TENANTS_PER_STEP: usize = 40;

#[derive(Clone)]
enum Stage {
    Idle,
    Working { what: String, fraction: Option<f64> },
    Preview(Arc<Preview>),
}

struct Preview {
    files: Vec<ReadFile>,
    refused: Vec<Refusal>,
    plan: Plan,
    take: BTreeSet<String>,
}

/// Read `files` one after the other, each a step at a time, then compute the preview.
fn read_next(
    mut files: Vec<web_sys::File>,
    read: Vec<ReadFile>,
    mut refused: Vec<Refusal>,
    total: usize,
    stage: RwSignal<Stage>,
    finish: Arc<dyn Fn(Vec<ReadFile>, Vec<Refusal>) + Send + Sync>,
) {
    if files.is_empty() {
        finish(read, refused);
        return;
    }
    let file = files.remove(0);
    let name = file.name();
    let n = total - files.len();
    let label = move |what: &str| format!("{what} {name} ({n} of {total})");
    let reading = label("Reading");
    stage.set(Stage::Working {
        what: reading.clone(),
        fraction: Some(0.0),
    });
    let progress_label = reading.clone();
    let name = file.name();
    read_file_with_progress(
        file,
        move |f| {
            stage.set(Stage::Working {
                what: progress_label.clone(),
                fraction: Some(f * 0.2),
            })
        },
        move |bytes| {
            let started = bytes
                .map_err(|message| Refusal {
                    file: name.clone(),
                    message,
                })
                .and_then(|b| FileReading::start(&name, b, &ReadOptions::default()));
            match started {
                Err(r) => {
                    refused.push(r);
                    read_next(files, read, refused, total, stage, finish);
                }
                Ok(reading) => {
                    let what = format!(
                        "Reading {} rows ({}) — {n} of {total}",
                        name,
                        reading.kind().label()
                    );
                    step_file(reading, what, files, read, refused, total, stage, finish);
                }
            }
        },
    );
}

/// Read the next rows of one file, let the page paint, continue.
#[allow(clippy::too_many_arguments)]
fn step_file(
    mut reading: FileReading,
    what: String,
    files: Vec<web_sys::File>,
    mut read: Vec<ReadFile>,
    refused: Vec<Refusal>,
    total: usize,
    stage: RwSignal<Stage>,
    finish: Arc<dyn Fn(Vec<ReadFile>, Vec<Refusal>) + Send + Sync>,
) {
    let done = reading.step(ROWS_PER_STEP);
    if done {
        read.push(reading.finish());
        read_next(files, read, refused, total, stage, finish);
        return;
    }
    stage.set(Stage::Working {
        what: what.clone(),
        fraction: Some(0.2 + 0.8 * reading.progress()),
    });
    set_timeout(
        move || step_file(reading, what, files, read, refused, total, stage, finish),
        Duration::ZERO,
    );
}

/// Merge the next tenants of the preview, let the page paint, continue; then show it.
fn plan_in_steps(
    mut planning: Planning,
    files: Arc<Vec<ReadFile>>,
    refused: Vec<Refusal>,
    take: BTreeSet<String>,
    stage: RwSignal<Stage>,
) {
    if !planning.step(TENANTS_PER_STEP) {
        stage.set(Stage::Working {
            what: "Comparing the files with your workspace".into(),
            fraction: Some(planning.progress()),
        });
        set_timeout(
            move || plan_in_steps(planning, files, refused, take, stage),
            Duration::ZERO,
        );
        return;
    }
    let plan = planning.finish();
    set_timeout(
        move || {
            let files = Arc::try_unwrap(files).unwrap_or_else(|shared| (*shared).clone());
            stage.set(Stage::Preview(Arc::new(Preview {
                files,
                refused,
                plan,
                take,
            })));
        },
        Duration::ZERO,
    );
}

#[component]
pub fn ImportFromFiles() -> impl IntoView {
    let app = use_app();
    let stage = RwSignal::new(Stage::Idle);
    let dragging = RwSignal::new(false);

    // The preview is merged a few tenants per step, then shown in a step of its own.
    let preview = move |files: Vec<ReadFile>, refused: Vec<Refusal>, take: BTreeSet<String>| {
        let shared = Arc::new(files);
        let planning = app.workspace.with_untracked(|ws| {
            Planning::new(
                ws,
                shared.clone(),
                MergeOptions {
                    today: app.today,
                    take: take.clone(),
                    keep_as_of: false,
                },
            )
        });
        plan_in_steps(planning, shared, refused, take, stage);
    };
    let finish: Arc<dyn Fn(Vec<ReadFile>, Vec<Refusal>) + Send + Sync> =
        Arc::new(move |files, refused| {
            stage.set(Stage::Working {
                what: "Comparing the files with your workspace…".into(),
                fraction: None,
            });
            set_timeout(
                move || preview(files, refused, BTreeSet::new()),
                Duration::from_millis(20),
            );
        });
    let take_files = move |list: Option<web_sys::FileList>| {
        let Some(list) = list else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        if files.is_empty() {
            return;
        }
        let total = files.len();
        read_next(files, Vec::new(), Vec::new(), total, stage, finish.clone());
    };
    let take_drop = take_files.clone();
    let toggle = move |key: String| {
        if let Stage::Preview(p) = stage.get_untracked() {
            let mut take = p.take.clone();
            if !take.remove(&key) {
                take.insert(key);
            }
            let files = p.files.clone();
            let refused = p.refused.clone();
            preview(files, refused, take);
        }
    };
    let apply = move || {
        let Stage::Preview(p) = stage.get_untracked() else {
            return;
        };
        let merged = p.plan.merged.clone();
        let n = p.files.len();
        let label = format!("import {n} file{}", if n == 1 { "" } else { "s" });
        let headline = p.plan.headline();
        // Prepared and scored in steps (hundreds of new customers at once), then applied.
        let applied = move |app: AppState, applied: bool| {
            if applied {
                app.notify(format!("Imported: {headline}."), Some(Undo::Edit));
            } else {
                app.notify(
                    "Not imported: the workspace changed while the import was being scored. Import the files again.".into(),
                    None,
                );
            }
        };
        match app.apply_prepared(&label, merged, applied) {
            Ok(()) => stage.set(Stage::Idle),
            Err(problems) => app.notify(
                format!(
                    "Not imported: {}",
                    problems.first().map(|d| d.to_string()).unwrap_or_default()
                ),
                None,
            ),
        }
    };

    let new_name = RwSignal::new(String::new());
    let start_empty = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        let name = if name.is_empty() {
            "My partner organisation".to_owned()
        } else {
            name
        };
        let as_of = app.today.map_or_else(
            || app.workspace.with_untracked(|w| w.as_of),
            |t| t.month().plus(-1),
        );
        app.add_workspace(import::empty_workspace(&name, as_of));
        new_name.set(String::new());
        stage.set(Stage::Idle);
    };
    view! {
        <div class="card import-card">
            <h2>"Import from Partner Center or Azure"</h2>
            <p class="muted">
                "Partner Center's Insights downloads (Azure usage, Office 365 license usage, CPOR-M365 usage, customers and revenue, trainings), "
                "the tenant inventory from the collector below or the Azure CLI, and Cost Management exports. "
                "Drop several at once: each is recognised by its columns, and nothing changes until you apply the preview."
            </p>
            <form class="new-workspace" on:submit=start_empty>
                <span class="into">"Into " <strong>{move || app.workspace.with(|w| w.name.clone())}</strong> ", or start from nothing:"</span>
                <input type="text" placeholder="Your organisation" prop:value=move || new_name.get()
                    on:input=move |ev| new_name.set(event_target_value(&ev)) aria-label="Name of the new workspace"/>
                <button class="button" type="submit">"Start an empty workspace"</button>
            </form>
            <label
                class="dropzone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    take_drop(ev.data_transfer().and_then(|d| d.files()));
                }
            >
                <span class="dropzone-title">"Drop CSV and JSON files here"</span>
                <span class="muted">"or click to choose them"</span>
                <input
                    type="file"
                    multiple=true
                    accept=".csv,.json,text/csv,application/json"
                    data-testid="import-data-files"
                    aria-label="Partner Center or Azure files to import"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        take_files(input.files());
                        input.set_value("");
                    }
                />
            </label>
            {move || match stage.get() {
                Stage::Idle => ().into_any(),
                Stage::Working { what, fraction } => view! {
                    <div class="notice info import-progress" role="status">
                        <span>{match fraction { Some(f) => format!("{what}… {:.0}%", f * 100.0), None => what.clone() }}</span>
                        {match fraction {
                            Some(f) => view! { <progress max="1" value=f aria-label="Import progress"></progress> }.into_any(),
                            None => view! { <progress aria-label="Import progress"></progress> }.into_any(),
                        }}
                    </div>
                }.into_any(),
                Stage::Preview(p) => view! {
                    <PreviewView p=p toggle=toggle apply=apply cancel=move || stage.set(Stage::Idle)/>
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn PreviewView(
    p: Arc<Preview>,
    toggle: impl Fn(String) + Copy + Send + Sync + 'static,
    apply: impl Fn() + Copy + Send + Sync + 'static,
    cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let plan = &p.plan;
    let noop = plan.is_noop();
    let blocked = !import::applicable(plan);
    let files = plan
        .files
        .iter()
        .map(|f| {
            let months = f.months.map(|(a, b)| format!(" · {a} to {b}")).unwrap_or_default();
            let details: Vec<String> = f
                .skipped
                .iter()
                .map(|(why, n)| format!("{n} skipped: {why}"))
                .chain(f.unknown.iter().map(|u| {
                    format!(
                        "unknown {} \"{}\" ({} row{}{}): not imported, not scored",
                        u.table,
                        u.name,
                        u.rows,
                        if u.rows == 1 { "" } else { "s" },
                        if u.line > 0 { format!(", line {}", u.line) } else { String::new() }
                    )
                }))
                .chain((f.left_out_identities > 0).then(|| {
                    format!("{} identities of the customers' own users and apps left out", f.left_out_identities)
                }))
                .chain(f.notes.iter().cloned())
                .collect();
            let refused: Vec<String> = f.refused.iter().map(|r| import::problem_line(&f.file, r)).collect();
            let more = f.refused_count.saturating_sub(f.refused.len());
            view! {
                <li class="import-file" data-kind=f.kind.as_str()>
                    <strong>{f.file.clone()}</strong>
                    " — recognised as " <span class="kind">{f.label}</span>
                    <span class="muted">{format!(" · {} rows{months}", crate::model::thousands(f.rows as u64))}</span>
                    {(!details.is_empty()).then(|| view! { <ul class="muted">{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul> })}
                    {(!refused.is_empty()).then(|| view! {
                        <div class="notice warning refused-rows">
                            <strong>{format!("{} row{} refused:", f.refused_count, if f.refused_count == 1 { "" } else { "s" })}</strong>
                            <ul>{refused.into_iter().map(|r| view! { <li><code>{r}</code></li> }).collect_view()}</ul>
                            {(more > 0).then(|| view! { <p>{format!("… and {more} more")}</p> })}
                        </div>
                    })}
                </li>
            }
        })
        .collect_view();
    let refused_files = p
        .refused
        .iter()
        .map(|r| view! { <li class="import-file refused"><strong>{r.file.clone()}</strong> " — not imported: " {r.message.clone()}</li> })
        .collect_view();
    let change_list = |list: &[Change]| {
        list.iter()
            .map(|c| view! { <ChangeRow c=c.clone() toggle=toggle/> })
            .collect_view()
    };
    let workspace = (!plan.workspace.is_empty()).then(|| {
        view! {
            <h4>"Your organisation"</h4>
            <ul class="import-changes">{change_list(&plan.workspace)}</ul>
        }
    });
    let people = (!plan.people.is_empty()).then(|| {
        let n = plan.people.len();
        view! {
            <details class="import-customer people">
                <summary>{format!("People · {n} change{}", if n == 1 { "" } else { "s" })}</summary>
                <ul class="import-changes">{change_list(&plan.people)}</ul>
            </details>
        }
    });
    let customers = plan
        .customers
        .iter()
        .take(LISTED_CUSTOMERS)
        .map(|c| view! { <CustomerChanges c=c.clone() toggle=toggle/> })
        .collect_view();
    let more_customers = plan.customers.len().saturating_sub(LISTED_CUSTOMERS);
    let unmatched = (!plan.unmatched.is_empty()).then(|| view! {
        <h4>"Matching nothing"</h4>
        <ul class="unmatched">
            {plan.unmatched.iter().map(|u| view! { <li><strong>{u.what.clone()}</strong> {format!(" ({}): {}", u.file, u.reason)}</li> }).collect_view()}
        </ul>
    });
    let problems = blocked.then(|| view! {
        <div class="notice error" role="alert">
            <strong>"The merged workspace would not be valid, so it cannot be applied:"</strong>
            <ul>{plan.problems.iter().map(|d| view! { <li><code>{d.path.clone()}</code> " " {d.message.clone()}</li> }).collect_view()}</ul>
        </div>
    });
    view! {
        <div class="import-preview" role="region" aria-label="Import preview">
            <h3>"What the files are"</h3>
            <ul class="import-files">{files}{refused_files}</ul>
            <p class="import-headline" class:noop=noop><strong>{capitalised(&plan.headline())}</strong></p>
            {workspace}
            {people}
            {(!plan.customers.is_empty()).then(|| view! { <h4>"Customers"</h4> })}
            {customers}
            {(more_customers > 0).then(|| view! { <p class="muted">{format!("… and {more_customers} more customers")}</p> })}
            {unmatched}
            {problems}
            <div class="actions">
                <button class="button primary" disabled=noop || blocked on:click=move |_| apply()>
                    {if noop { "Nothing to apply" } else { "Apply the import" }}
                </button>
                <button class="button" on:click=move |_| cancel()>{if noop { "Close" } else { "Cancel" }}</button>
            </div>
        </div>
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[component]
fn CustomerChanges(
    c: CustomerPlan,
    toggle: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let count = |k: ChangeKind| c.changes.iter().filter(|x| x.kind == k).count();
    let (add, upd, conf) = (
        count(ChangeKind::Add),
        count(ChangeKind::Update),
        count(ChangeKind::Conflict),
    );
    let mut parts = Vec::new();
    if add > 0 {
        parts.push(format!("{add} added"));
    }
    if upd > 0 {
        parts.push(format!("{upd} updated"));
    }
    if conf > 0 {
        parts.push(format!(
            "{conf} conflict{}",
            if conf == 1 { "" } else { "s" }
        ));
    }
    let href = crate::ui::route::Route::Customer(c.customer.clone()).href();
    // A customer's changes are drawn when it is opened (a download brings hundreds of
    // customers with dozens of changes each: drawn at once, the preview froze the page).
    let open = RwSignal::new(conf > 0);
    let changes = StoredValue::new(c.changes);
    view! {
        <details class="import-customer" open={conf > 0} data-customer=c.customer.clone()
            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>
                <strong>{c.name.clone()}</strong>
                {c.new.then(|| view! { <span class="badge info">"new"</span> })}
                " " <span class="muted">{parts.join(" · ")}</span>
                {(!c.new).then(|| view! { " " <a href=href>"open"</a> })}
            </summary>
            <ul class="import-changes">
                {move || open.get().then(|| changes.with_value(|all| {
                    all.iter().cloned().map(|ch| view! { <ChangeRow c=ch toggle=toggle/> }).collect_view()
                }))}
            </ul>
        </details>
    }
}

#[component]
fn ChangeRow(c: Change, toggle: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let (mark, class) = match c.kind {
        ChangeKind::Add => ("+", "add"),
        ChangeKind::Update => ("~", "update"),
        ChangeKind::Conflict => ("!", "conflict"),
    };
    let take = c.key.clone().map(|key| {
        let label = format!("Take the file's value for {}", c.what);
        view! {
            <label class="take">
                <input type="checkbox" prop:checked=c.taken aria-label=label on:change=move |_| toggle(key.clone())/>
                " take the file's value"
            </label>
        }
    });
    view! {
        <li class=format!("change {class}")>
            <span class="mark" aria-hidden="true">{mark}</span>
            <span class="what">{c.what.clone()}</span>
            <span class="detail">{c.detail.clone()}</span>
            {take}
        </li>
    }
}

/// The collector: how to run it, with copy buttons; the scripts are served beside the app.
#[component]
pub fn CollectorHowTo() -> impl IntoView {
    let base = window()
        .location()
        .href()
        .ok()
        .map(|h| {
            let h = h.split('#').next().unwrap_or_default().to_owned();
            match h.rfind('/') {
                Some(i) => h[..=i].to_owned(),
                None => h,
            }
        })
        .unwrap_or_default();
    let bash =
        format!("curl -fsSLO {base}pcs-collect.sh && bash pcs-collect.sh -o tenant-inventory.json");
    let pwsh = format!(
        "iwr {base}pcs-collect.ps1 -OutFile pcs-collect.ps1; ./pcs-collect.ps1 -Out tenant-inventory.json"
    );
    view! {
        <div class="card collector">
            <h2>"Collect your customers' tenant inventory"</h2>
            <p class="muted">
                "Sign in with the Azure CLI (" <code>"az login"</code> ") or Az PowerShell (" <code>"Connect-AzAccount"</code> ") as the account you use for customers, then run one of these. "
                "The collector only reads: it lists role assignments, PAL links, Lighthouse delegations and eligible roles in every tenant you can reach, and writes one JSON file. It creates, links and changes nothing. "
                "Import the file here; it never leaves your machine."
            </p>
            <Copyable title="Bash with the Azure CLI".to_owned() text=bash/>
            <Copyable title="PowerShell with Az".to_owned() text=pwsh/>
            <p class="muted">
                "Read them first: " <a href="pcs-collect.sh" download="pcs-collect.sh">"pcs-collect.sh"</a> " · "
                <a href="pcs-collect.ps1" download="pcs-collect.ps1">"pcs-collect.ps1"</a>
            </p>
        </div>
    }
}
