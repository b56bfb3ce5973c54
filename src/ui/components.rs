//! Small shared pieces: the save indicator, the toast with undo, the confirm dialog.

use super::route::Route;
use super::state::{SaveState, use_app};
use leptos::prelude::*;

/// "Saved" / "Saving…" / a plain failure message, in the top bar.
#[component]
pub fn SaveIndicator() -> impl IntoView {
    let app = use_app();
    move || {
        match app.save_state.get() {
        SaveState::Saved => view! { <span class="save-state ok" role="status">"Saved in this browser"</span> }.into_any(),
        SaveState::Pending => view! { <span class="save-state" role="status">"Saving…"</span> }.into_any(),
        SaveState::NotYet => view! {
            <span class="save-state" role="status" title="Stored in this browser at your first change">"Not stored yet"</span>
        }
        .into_any(),
        SaveState::MemoryOnly => view! {
            <span class="save-state warn" role="status" title="This browser does not let the site store data (private mode or a setting). Export to keep your work.">
                "Not stored: working in memory"
            </span>
        }
        .into_any(),
        SaveState::Failed(why) => view! {
            <span class="save-state bad" role="alert">
                "Not saved: " {why} ". " <a href="#/data">"Export a copy"</a>
            </span>
        }
        .into_any(),
    }
    }
}

/// "Preparing 500 customers… 40 %" while a newly opened workspace (or the workspace under
/// another rule set) is prepared for scoring in steps; the page shows the previous one.
#[component]
pub fn PreparingIndicator() -> impl IntoView {
    let app = use_app();
    move || {
        app.preparing.get().map(|p| {
            let (total, percent) = (p.customers, (p.done * 100.0).floor());
            view! {
                <span class="preparing-state" role="status" title="Attributing every customer's usage and workloads; the scores switch when it is done">
                    {format!("Scoring {total} customers… {percent} %")}
                </span>
            }
        })
    }
}

/// While the stored workspace opens at start: its name and how far it is, read then
/// prepared for scoring (the pages show once it is there).
#[component]
pub fn OpeningScreen() -> impl IntoView {
    let app = use_app();
    let name = move || {
        app.opening
            .with(|o| o.as_ref().map(|(n, _)| n.clone()).unwrap_or_default())
    };
    let (stage, percent) = (
        move || {
            if app.preparing.with(Option::is_some) {
                "Scoring its customers"
            } else {
                "Reading it from this browser"
            }
        },
        move || {
            // Reading is the first 60 % of the bar, scoring the rest.
            let f = match app.preparing.get() {
                Some(p) => 0.6 + 0.4 * p.done,
                None => 0.6 * app.opening.with(|o| o.as_ref().map_or(0.0, |(_, f)| *f)),
            };
            (f * 100.0).round().clamp(0.0, 100.0)
        },
    );
    view! {
        <section class="opening" aria-busy="true" aria-live="polite">
            <h1>"Opening " <q>{name}</q></h1>
            <p class="lead">{stage} "…"</p>
            <progress max="100" value=move || percent().to_string() aria-label="Opening the workspace"></progress>
            <p class="hint">"Everything stays in this browser. Large workspaces take a moment."</p>
        </section>
    }
}

/// The last notice, with "Undo" when the action can be taken back.
#[component]
pub fn ToastArea() -> impl IntoView {
    let app = use_app();
    move || {
        app.toast.get().map(|t| {
            let has_undo = t.undo.is_some();
            view! {
                <div class="toast" role="status">
                    <span>{t.message}</span>
                    <Show when=move || has_undo>
                        <button class="button small" on:click=move |_| app.undo()>"Undo"</button>
                    </Show>
                    <button class="icon-button" aria-label="Dismiss" on:click=move |_| app.toast.set(None)>"×"</button>
                </div>
            }
        })
    }
}

/// A modal question with a confirm and a cancel button. Shown while `open` is true.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    title: String,
    message: String,
    confirm_label: String,
    on_confirm: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let on_confirm = std::sync::Arc::new(on_confirm);
    move || {
        let on_confirm = on_confirm.clone();
        open.get().then(|| {
            view! {
                <div class="modal-backdrop" on:click=move |_| open.set(false)>
                    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title"
                        on:click=|e| e.stop_propagation()>
                        <h2 id="confirm-title">{title.clone()}</h2>
                        <p>{message.clone()}</p>
                        <div class="actions">
                            <button class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                            <button class="button danger" on:click=move |_| { open.set(false); on_confirm(); }>
                                {confirm_label.clone()}
                            </button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}

/// Bytes as "12.3 KB".
pub fn format_bytes(n: usize) -> String {
    match n {
        n if n >= 1024 * 1024 => format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)),
        n if n >= 1024 => format!("{:.1} KB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

/// "Undo <last edit>" in the top bar.
#[component]
pub fn UndoButton() -> impl IntoView {
    let app = use_app();
    move || {
        app.history.with(|h| h.last().map(|(label, _)| label.clone())).map(|label| {
            view! {
                <button class="button small" title=format!("Undo: {label}") on:click=move |_| app.undo_edit()>
                    "Undo"
                </button>
            }
        })
    }
}

/// Validation problems from an edit, shown beside the form.
#[component]
pub fn Problems(problems: RwSignal<Vec<crate::model::Diagnostic>>) -> impl IntoView {
    move || {
        let list = problems.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="notice error" role="alert">
                    <strong>"Not saved:"</strong>
                    <ul>{list.into_iter().map(|d| view! { <li><code>{d.path}</code> " " {d.message}</li> }).collect_view()}</ul>
                </div>
            }
        })
    }
}

/// Light or dark, remembered in this browser; follows the system until chosen.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    use gloo_storage::Storage as _;
    const KEY: &str = "pcs.theme";
    // gloo's storage panics when the browser refuses storage; ask web-sys first.
    let available = || {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .is_some()
    };
    let system_dark = || {
        web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches())
    };
    let saved: Option<String> = if available() {
        gloo_storage::LocalStorage::get(KEY).ok()
    } else {
        None
    };
    let dark = RwSignal::new(saved.map_or_else(system_dark, |t| t == "dark"));
    Effect::new(move |_| {
        let theme = if dark.get() { "dark" } else { "light" };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
    });
    view! {
        <button class="button small" aria-pressed=move || dark.get().to_string()
            title="Switch between light and dark"
            on:click=move |_| {
                dark.update(|d| *d = !*d);
                if available() {
                    let _ = gloo_storage::LocalStorage::set(KEY, if dark.get_untracked() { "dark" } else { "light" });
                }
            }>
            {move || if dark.get() { "Light theme" } else { "Dark theme" }}
        </button>
    }
}

/// Edit any record as JSON, checked by the same decoder and validator as an import.
/// `save` decodes the text and applies it, or returns every problem with its path.
#[component]
pub fn JsonEditor(
    label: String,
    initial: Signal<String>,
    save: std::sync::Arc<dyn Fn(String) -> Result<(), Vec<crate::model::Diagnostic>> + Send + Sync>,
) -> impl IntoView {
    // The text shown is the record as stored, until the user types: then their edit.
    let edited = RwSignal::new(None::<String>);
    let text = move || edited.get().unwrap_or_else(|| initial.get());
    let problems = RwSignal::new(Vec::new());
    let saved = RwSignal::new(false);
    let aria = format!("{label} (JSON)");
    view! {
        <details class="json-editor">
            <summary>{label}</summary>
            <p class="muted small">"Add, change or remove entries; the file format is in the documentation. Nothing changes unless the whole workspace stays valid."</p>
            <textarea spellcheck="false" aria-label=aria prop:value=text
                on:input=move |ev| { edited.set(Some(event_target_value(&ev))); saved.set(false); }></textarea>
            <div class="actions">
                <button class="button primary" on:click=move |_| {
                    match save(edited.get_untracked().unwrap_or_else(|| initial.get_untracked())) {
                        Ok(()) => { edited.set(None); problems.set(Vec::new()); saved.set(true); }
                        Err(p) => { problems.set(p); saved.set(false); }
                    }
                }>"Save"</button>
                <button class="button" on:click=move |_| { edited.set(None); problems.set(Vec::new()); }>"Revert"</button>
                <Show when=move || saved.get()><span class="badge ok">"Saved"</span></Show>
            </div>
            <Problems problems=problems/>
        </details>
    }
}

/// Shown when another tab changed the open workspace: nothing is overwritten until chosen.
#[component]
pub fn ExternalChangeBanner() -> impl IntoView {
    let app = use_app();
    move || {
        app.external_change.get().then(|| {
            view! {
                <div class="notice warning external" role="alert">
                    <strong>"This workspace was changed in another tab."</strong>
                    " Saving here is paused so neither version is lost."
                    <div class="actions">
                        <button class="button primary" on:click=move |_| app.load_external()>"Load the other tab's version"</button>
                        <button class="button" on:click=move |_| app.keep_mine()>"Keep this version"</button>
                    </div>
                </div>
            }
        })
    }
}

/// A titled block of text to copy (a command, a link, an e-mail).
#[component]
pub fn Copyable(title: String, text: String) -> impl IntoView {
    view! {
        <div class="copyable">
            <div class="copy-head"><span>{title}</span><CopyButton text=text.clone()/></div>
            <pre>{text}</pre>
        </div>
    }
}

#[component]
pub fn CopyButton(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button class="button small" on:click=move |_| {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&text);
            copied.set(true);
            set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
        }>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
    }
}

/// "Planning …" in the top bar while the engine worker plans a path to 70, whichever page is
/// open; it links to the designation.
#[component]
pub fn PlanningIndicator() -> impl IntoView {
    let app = use_app();
    let planning = Memo::new(move |_| {
        app.plans.with(|p| {
            let mut ids: Vec<String> = p
                .iter()
                .filter(|(_, r)| r.busy)
                .map(|(id, _)| id.clone())
                .collect();
            ids.sort();
            ids
        })
    });
    let name = move |id: &str| {
        app.evaluation.with(|e| {
            e.as_ref()
                .and_then(|e| {
                    e.designations
                        .iter()
                        .find(|d| d.id == id)
                        .map(|d| d.name.clone())
                })
                .unwrap_or_else(|| id.to_owned())
        })
    };
    move || {
        planning.with(|ids| ids.first().cloned()).map(|id| {
            let href = Route::Designation(id.clone()).href();
            let more = planning.with(Vec::len).saturating_sub(1);
            view! {
                <a class="planning-state" role="status" href=href>
                    {format!("Planning {}{}…", name(&id), if more > 0 { format!(" and {more} more") } else { String::new() })}
                </a>
            }
        })
    }
}
