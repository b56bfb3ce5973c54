use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn Dashboard() -> impl IntoView {
    let app = use_app();
    let summary = move || app.workspace.with(crate::cli::summary);
    view! {
        <section class="page">
            <h1>"Dashboard"</h1>
            <p class="lead">{summary}</p>
        </section>
    }
}
