//! Data: import and export files, the workspaces kept in this browser, storage use.

use crate::model::{Diagnostic, Severity, Workspace};
use crate::ui::browser::{download, read_file_with_progress, workspace_file_name};
use crate::ui::components::{ConfirmDialog, format_bytes};
use crate::ui::state::{SaveState, use_app};
use crate::validate::{Import, ReadOptions, Reading, Starting};
use leptos::prelude::*;
use leptos::web_sys;

#[derive(Clone)]
enum ImportOutcome {
    /// Reading or checking a file: what is happening and how far (None: no measure).
    Working {
        file: String,
        stage: &'static str,
        fraction: Option<f64>,
    },
    Rejected {
        file: String,
        problems: Vec<Diagnostic>,
    },
    Ready {
        file: String,
        /// Shared, not copied, each time the result is drawn (a large workspace takes a
        /// while to copy); copied once when opened.
        workspace: std::sync::Arc<Workspace>,
        warnings: Vec<Diagnostic>,
    },
}

/// Bytes of an import's text looked through per task for its customers (~20 ms for 8 MB
/// in Chromium).
const FIND_STEP: usize = 8 << 20;

/// Find an import's customers in its text a slice per task, showing how far it is, then
/// decode them ([`check_in_steps`]).
fn find_in_steps(mut starting: Starting, file: String, outcome: RwSignal<Option<ImportOutcome>>) {
    if !starting.step(FIND_STEP) {
        outcome.set(Some(ImportOutcome::Working {
            file: file.clone(),
            stage: "Finding the customers in",
            fraction: Some(starting.progress()),
        }));
        return set_timeout(
            move || find_in_steps(starting, file, outcome),
            std::time::Duration::ZERO,
        );
    }
    set_timeout(
        move || match starting.finish() {
            Ok(reading) => check_in_steps(reading, file, outcome),
            Err(refused) => outcome.set(Some(import_outcome(file, refused))),
        },
        std::time::Duration::ZERO,
    );
}

/// Decode an import's customers a step at a time, showing how far it is, then its result.
fn check_in_steps(mut reading: Reading, file: String, outcome: RwSignal<Option<ImportOutcome>>) {
    let done = reading.step(crate::ui::state::READ_STEP);
    let (n, total) = reading.progress();
    if done {
        // The checks across records in a task of their own.
        set_timeout(
            move || outcome.set(Some(import_outcome(file, reading.finish()))),
            std::time::Duration::ZERO,
        );
        return;
    }
    outcome.set(Some(ImportOutcome::Working {
        file: file.clone(),
        stage: "Checking customers in",
        fraction: Some(n as f64 / total.max(1) as f64),
    }));
    set_timeout(
        move || check_in_steps(reading, file, outcome),
        std::time::Duration::ZERO,
    );
}

fn import_outcome(file: String, import: Import) -> ImportOutcome {
    match import {
        Import::Loaded {
            workspace,
            warnings,
        } => ImportOutcome::Ready {
            file,
            workspace: std::sync::Arc::new(*workspace),
            warnings,
        },
        Import::Rejected { diagnostics } => ImportOutcome::Rejected {
            file,
            problems: diagnostics,
        },
    }
}

#[component]
pub fn DataPage() -> impl IntoView {
    let app = use_app();
    let outcome = RwSignal::new(None::<ImportOutcome>);
    let confirm_reset = RwSignal::new(false);
    let pending_delete = RwSignal::new(None::<(String, String)>);
    let dragging = RwSignal::new(false);

    let take_file = move |file: web_sys::File| {
        let name = file.name();
        let working = |file: &str, stage, fraction| ImportOutcome::Working {
            file: file.to_owned(),
            stage,
            fraction,
        };
        outcome.set(Some(working(&name, "Reading", Some(0.0))));
        let reading = name.clone();
        let progress = move |f: f64| outcome.set(Some(working(&reading, "Reading", Some(f))));
        read_file_with_progress(file, progress, move |bytes| {
            // Say what comes next and let it paint before parsing starts.
            outcome.set(Some(working(&name, "Checking", None)));
            set_timeout(
                move || {
                    let start = bytes.map_err(|message| Import::Rejected {
                        diagnostics: vec![Diagnostic {
                            severity: Severity::Error,
                            path: String::new(),
                            message,
                        }],
                    });
                    match start.and_then(|b| Starting::new(b, ReadOptions { today: app.today })) {
                        Ok(starting) => find_in_steps(starting, name, outcome),
                        Err(refused) => outcome.set(Some(import_outcome(name, refused))),
                    }
                },
                std::time::Duration::from_millis(40),
            );
        });
    };

    let export = move |_| {
        let (name, text) = app
            .workspace
            .with(|w| (workspace_file_name(&w.name), w.to_json()));
        if let Err(e) = download(&name, "application/json", &text) {
            app.notify(e, None);
        }
    };

    view! {
        <section class="page data-page">
            <h1>"Data"</h1>
            <p class="lead">"Your workspace is kept in this browser only. Bring in your Partner Center downloads and your customers' tenant inventory, export the workspace to share it or keep a copy, or open a workspace file beside it."</p>
            <crate::ui::pages::import::ImportFromFiles/>

            <div class="grid two">
                <div class="card">
                    <h2>"Open workspace"</h2>
                    <p class="ws-title">{move || app.workspace.with(|w| w.name.clone())}</p>
                    <p class="muted ws-summary">
                        "As of " {move || app.workspace.with(|w| w.as_of.to_string())}
                        ", rules " {move || app.workspace.with(|w| w.rules.clone())} ". "
                        {move || app.workspace.with(|w| w.counts().to_string())} "."
                    </p>
                    <div class="actions">
                        <button class="button primary" on:click=export>"Export file"</button>
                        <button class="button danger" on:click=move |_| confirm_reset.set(true)>"Reset to demo…"</button>
                    </div>
                    <StorageUse/>
                </div>

                <div class="card">
                    <h2>"Import a workspace file"</h2>
                    <label
                        class="dropzone"
                        class:dragging=move || dragging.get()
                        on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
                        on:dragleave=move |_| dragging.set(false)
                        on:drop=move |ev: web_sys::DragEvent| {
                            ev.prevent_default();
                            dragging.set(false);
                            if let Some(f) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                                take_file(f);
                            }
                        }
                    >
                        <span class="dropzone-title">"Drop a .pcs.json file here"</span>
                        <span class="muted">"or click to choose one. Nothing changes until the file is checked."</span>
                        <input
                            type="file"
                            accept=".json,application/json"
                            data-testid="import-file"
                            on:change=move |ev| {
                                let input: web_sys::HtmlInputElement = event_target(&ev);
                                if let Some(f) = input.files().and_then(|f| f.get(0)) {
                                    take_file(f);
                                }
                                input.set_value("");
                            }
                        />
                    </label>
                    {move || outcome.get().map(|o| view! { <ImportResult outcome=o clear=move || outcome.set(None)/> })}
                </div>
            </div>

            <crate::ui::pages::import::CollectorHowTo/>

            <h2>"Partner, people and CUA GUIDs"</h2>
            <PartnerEditors/>
            <h2>"Workspaces in this browser"</h2>
            <table class="table">
                <thead><tr><th>"Name"</th><th class="num">"Customers"</th><th class="num">"Size"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    <For each=move || app.listed_slots() key=|s| (s.slot.clone(), s.name.clone(), s.customers, s.bytes) let(info)>
                        {
                            let slot = info.slot.clone();
                            let is_open = { let slot = slot.clone(); move || app.slot.get() == slot };
                            let open_slot = slot.clone();
                            let del = (info.slot.clone(), info.name.clone());
                            view! {
                                <tr class:current=is_open.clone()>
                                    <td>
                                        {info.name.clone()}
                                        <Show when=is_open.clone()><span class="badge info">"open"</span></Show>
                                    </td>
                                    <td class="num">{info.customers}</td>
                                    <td class="num">{if info.bytes == 0 { "not saved yet".to_owned() } else { format_bytes(info.bytes) }}</td>
                                    <td class="row-actions">
                                        <Show when={ let is_open = is_open.clone(); move || !is_open() }>
                                            {
                                                let open_slot = open_slot.clone();
                                                view! { <button class="button small" on:click=move |_| app.open_slot(&open_slot)>"Open"</button> }
                                            }
                                        </Show>
                                        <button class="button small danger"
                                            aria-label=format!("Delete {}", info.name)
                                            on:click=move |_| pending_delete.set(Some(del.clone()))>"Delete…"</button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <p class="actions">
                <button class="button" on:click=move |_| app.add_demo()>"New workspace from the demo"</button>
            </p>

            <ConfirmDialog
                open=confirm_reset
                title="Reset to the demo?".into()
                message="The open workspace will be replaced by the built-in demo. You can undo this right after.".into()
                confirm_label="Reset to demo".into()
                on_confirm=move || app.reset_to_demo()
            />
            {move || pending_delete.get().map(|(slot, name)| {
                let open = RwSignal::new(true);
                Effect::new(move |_| if !open.get() { pending_delete.set(None) });
                view! {
                    <ConfirmDialog
                        open=open
                        title=format!("Delete \"{name}\"?")
                        message="It will be removed from this browser. You can undo this right after.".into()
                        confirm_label="Delete".into()
                        on_confirm=move || app.delete_slot(&slot)
                    />
                }
            })}
        </section>
    }
}

#[component]
fn ImportResult(
    outcome: ImportOutcome,
    clear: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let app = use_app();
    match outcome {
        ImportOutcome::Working {
            file,
            stage,
            fraction,
        } => {
            let label = match fraction {
                Some(f) => format!("{stage} {file}… {:.0}%", f * 100.0),
                None => format!("{stage} {file} against the workspace format…"),
            };
            view! {
                <div class="notice info import-progress" role="status">
                    <span>{label}</span>
                    {match fraction {
                        Some(f) => view! { <progress max="1" value=f aria-label="Import progress"></progress> }.into_any(),
                        None => view! { <progress aria-label="Import progress"></progress> }.into_any(),
                    }}
                </div>
            }
            .into_any()
        }
        ImportOutcome::Rejected { file, problems } => {
            let count = problems
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            view! {
                <div class="notice error import-errors" role="alert">
                    <strong>{format!("{file} was not imported: {count} problem{} found.", if count == 1 { "" } else { "s" })}</strong>
                    " Your workspace is unchanged."
                    <ul>
                        {problems.into_iter().map(|d| view! {
                            <li><code>{if d.path.is_empty() { "(file)".to_owned() } else { d.path }}</code> " " {d.message}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
            .into_any()
        }
        ImportOutcome::Ready {
            file,
            workspace,
            warnings,
        } => {
            let summary = format!(
                "\"{}\", as of {}: {}.",
                workspace.name,
                workspace.as_of,
                workspace.counts()
            );
            // Taken by the button clicked, without copying it once the result is cleared
            // (a copy of 5,000 customers was most of the click's task).
            let read = StoredValue::new_local(Some(workspace));
            let take = move || {
                let arc = read.try_update_value(Option::take).flatten()?;
                clear();
                Some(std::sync::Arc::try_unwrap(arc).unwrap_or_else(|shared| (*shared).clone()))
            };
            view! {
                <div class="notice info import-ready" role="status">
                    <strong>{file} " is a valid workspace."</strong>
                    <p>{summary}</p>
                    {(!warnings.is_empty()).then(|| view! {
                        <ul>{warnings.into_iter().map(|d| view! { <li><code>{d.path}</code> " " {d.message}</li> }).collect_view()}</ul>
                    })}
                    <div class="actions">
                        <button class="button primary" on:click=move |_| {
                            if let Some(ws) = take() {
                                let message = format!("Imported \"{}\".", ws.name);
                                app.replace_current(ws, message);
                            }
                        }>"Replace the open workspace"</button>
                        <button class="button" on:click=move |_| {
                            if let Some(ws) = take() {
                                app.add_workspace(ws);
                            }
                        }>
                            "Open as a new workspace"
                        </button>
                        <button class="button" on:click=move |_| clear()>"Cancel"</button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn StorageUse() -> impl IntoView {
    let app = use_app();
    let pct = move || {
        (app.used_bytes.get() as f64 / crate::store::STORAGE_BUDGET as f64 * 100.0).min(100.0)
    };
    view! {
        <div class="storage-use">
            <div class="meter" role="meter" aria-label="Browser storage used"
                aria-valuemin="0" aria-valuemax="100" aria-valuenow=move || format!("{:.0}", pct())>
                <div class="meter-fill" style=move || format!("width: {:.1}%", pct())></div>
            </div>
            <p class="muted">
                {move || if app.save_state.get() == SaveState::MemoryOnly {
                    "This browser does not let the site store data: your work lives in this tab only. Export it before closing.".to_owned()
                } else {
                    format!("{} stored in this browser, of about {} it allows per site.", format_bytes(app.used_bytes.get()), format_bytes(crate::store::STORAGE_BUDGET))
                }}
            </p>
        </div>
    }
}

/// JSON editors for the workspace-level records.
#[component]
fn PartnerEditors() -> impl IntoView {
    use crate::model::{CuaGuid, OtherPartner, Partner, Person};
    use crate::ui::components::JsonEditor;
    use crate::ui::form::{AddRecord, RecordActions};
    use crate::ui::pages::editors;
    use crate::validate::decode_record;
    use std::sync::Arc;
    let app = use_app();
    let json = |f: fn(&Workspace) -> String| Signal::derive(move || app.workspace.with(f));
    let list = |form: fn() -> editors::Form,
                rows: fn(&Workspace) -> Vec<String>,
                add: &'static str| {
        view! {
            <ul class="record-list">
                {move || app.workspace.with(rows).into_iter().enumerate().map(|(i, text)| {
                    let f = form();
                    view! { <li><span>{text}</span> <RecordActions records=f.records fields=f.fields index=i/></li> }
                }).collect_view()}
            </ul>
            {
                let f = form();
                view! { <AddRecord records=f.records fields=f.fields template=f.template label=add/> }
            }
        }
    };
    view! {
        <h3>"Your locations (PLA IDs: the IDs that earn credit)"</h3>
        {list(editors::location, |w| w.partner.locations.iter().map(|l| format!("{} · {}{}", l.name, l.id, l.country.as_ref().map(|c| format!(" · {c}")).unwrap_or_default())).collect(), "Add a location")}
        <h3>"Other partners you work beside"</h3>
        {list(editors::other_partner, |w| w.other_partners.iter().map(|p| format!("{} · {}", p.name, p.id)).collect(), "Add a partner")}
        <h3>"Everything as JSON"</h3>
        <div class="editors">
            <JsonEditor label="Your organisation: name, global (PGA) ID and location (PLA) IDs".into()
                initial=json(|w| crate::model::pretty::to_string_pretty(&w.partner).unwrap_or_default())
                save=Arc::new(move |t: String| { let p: Partner = decode_record(&t, "partner")?; app.apply("edit the partner", |w| w.partner = p) })/>
            <JsonEditor label="Other partners (names for their IDs)".into()
                initial=json(|w| crate::model::pretty::to_string_pretty(&w.other_partners).unwrap_or_default())
                save=Arc::new(move |t: String| { let p: Vec<OtherPartner> = decode_record(&t, "other_partners")?; app.apply("edit other partners", |w| w.other_partners = p) })/>
            <JsonEditor label="People and their certifications".into()
                initial=json(|w| crate::model::pretty::to_string_pretty(&w.people).unwrap_or_default())
                save=Arc::new(move |t: String| { let p: Vec<Person> = decode_record(&t, "people")?; app.apply("edit people", |w| w.people = p) })/>
            <JsonEditor label="CUA GUIDs".into()
                initial=json(|w| crate::model::pretty::to_string_pretty(&w.cua_guids).unwrap_or_default())
                save=Arc::new(move |t: String| { let g: Vec<CuaGuid> = decode_record(&t, "cua_guids")?; app.apply("edit CUA GUIDs", |w| w.cua_guids = g) })/>
        </div>
    }
}
