//! Shown instead of the app when the stored workspace no longer reads: never a blank page,
//! never a silent reset.

use crate::ui::browser::download;
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn RecoveryScreen() -> impl IntoView {
    let app = use_app();
    let Some(rec) = app.recovery.get_untracked() else {
        return ().into_any();
    };
    let raw = rec.raw.clone();
    let size = crate::ui::components::format_bytes(rec.raw.len());
    view! {
        <section class="page recovery">
            <h1>"Your saved workspace could not be read"</h1>
            <p class="lead">
                "The data this browser stored for \"" {rec.slot.clone()} "\" is damaged ("{size}"), so PCS Workbench did not open it and has not changed it. "
                "Download the raw text to keep it (it may be repairable by hand), then start again from the demo."
            </p>
            <div class="notice error">
                <strong>"What is wrong"</strong>
                <ul>
                    {rec.problems.iter().take(10).map(|d| view! { <li><code>{if d.path.is_empty() { "(file)".to_owned() } else { d.path.clone() }}</code> " " {d.message.clone()}</li> }).collect_view()}
                </ul>
            </div>
            <div class="actions">
                <button class="button primary" on:click=move |_| {
                    let _ = download("pcs-workbench-recovered.txt", "text/plain", &raw);
                }>"Download the stored text"</button>
                <button class="button danger" on:click=move |_| app.recover_with_demo()>"Start again from the demo"</button>
            </div>
        </section>
    }
    .into_any()
}
