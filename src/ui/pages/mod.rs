pub mod associations;
pub mod customers;
pub mod dashboard;
pub mod data;
pub mod designation;
pub mod editors;
pub mod findings;
pub mod import;
pub mod reconcile;
pub mod recovery;
pub mod rules;
pub mod skilling;
pub mod whatif;
pub mod workshop;

use leptos::prelude::*;

#[component]
pub fn NotFound(path: String) -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no page at " <code>"#/" {path}</code> ". "<a href="#/">"Go to the dashboard"</a></p>
        </section>
    }
}
