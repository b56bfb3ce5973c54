use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn DataPage() -> impl IntoView {
    let app = use_app();
    view! {
        <section class="page">
            <h1>"Data"</h1>
            <p>"Workspace: " {move || app.workspace.with(|w| w.name.clone())}</p>
        </section>
    }
}
