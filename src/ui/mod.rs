//! The Leptos app: a thin layer that renders engine results and dispatches edits.

mod browser;
mod components;
mod form;
mod pages;
mod reconciling;
mod route;
mod state;
pub mod worker;

use leptos::prelude::*;
use route::{Route, use_route};
use state::AppState;

/// Mount the app on the page body.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("PCS Workbench crashed: {info}").into());
    }));
    mount_to_body(App);
}

/// `pcs bench` in the browser: read `text` as a workspace and time each engine step.
pub fn bench_json(text: &str, runs: u32, skip: &str) -> String {
    let perf = web_sys::window().and_then(|w| w.performance());
    let now = move || perf.as_ref().map_or(0.0, |p| p.now());
    let skip = skip_list(skip);
    let report = match crate::validate::read_workspace(text.as_bytes(), Default::default()) {
        crate::validate::Import::Loaded { workspace, .. } => {
            let today = workspace.as_of.last_day();
            let mut r = crate::bench::run(
                text.as_bytes(),
                &workspace,
                runs as usize,
                &skip,
                today,
                &now,
            );
            r["engine"] = serde_json::Value::String("wasm (Chromium)".into());
            r
        }
        crate::validate::Import::Rejected { diagnostics } => serde_json::json!({
            "error": diagnostics.first().map(|d| d.to_string()).unwrap_or_default()
        }),
    };
    report.to_string()
}

/// The steps a benchmark leaves out, comma-separated.
fn skip_list(skip: &str) -> Vec<String> {
    skip.split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `pcs bench` in the engine worker, where the app's long jobs run (its own build, optimised
/// for speed): a promise of the report as JSON text, `{"error": …}` when no worker runs.
pub fn bench_in_worker(text: String, runs: u32, skip: &str) -> js_sys::Promise {
    use crate::jobs::{Answer, Job};
    let job = crate::jobs::job_text(&Job::Bench {
        runs,
        skip: skip_list(skip),
    });
    let mut text = Some(text);
    js_sys::Promise::new(&mut |resolve, _reject| {
        let answered = resolve.clone();
        let tell = move |report: serde_json::Value| {
            let _ = answered.call1(&wasm_bindgen::JsValue::NULL, &report.to_string().into());
        };
        let told = tell.clone();
        let sent = worker::submit(
            job.clone(),
            text.take().unwrap_or_default(),
            move |a| match a {
                Some(Answer::Progress(_)) => {}
                Some(Answer::Bench(report)) => told(report),
                Some(Answer::Error(e)) => told(serde_json::json!({ "error": e })),
                Some(Answer::Plan(_)) => {
                    told(serde_json::json!({ "error": "a plan, not a report" }))
                }
                None => told(serde_json::json!({ "error": "the engine worker did not start" })),
            },
        );
        if !sent {
            tell(serde_json::json!({ "error": "no engine worker in this browser" }));
        }
    })
}

#[component]
fn App() -> impl IntoView {
    let state = AppState::start();
    provide_context(state);
    pages::workshop::provide_workshop();
    let route = use_route();
    // Plans belong to the workspace they were made on.
    Effect::new(move |_| {
        state.workspace.track();
        state.forget_plans();
    });
    // Phones: the navigation folds behind a menu button and closes on every navigation.
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        route.track();
        menu_open.set(false);
    });

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <div class="shell">
            <header class="topbar">
                <button class="menu-button" aria-controls="main-nav" aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|o| *o = !*o)>
                    <span aria-hidden="true">"☰"</span><span class="sr-only">"Menu"</span>
                </button>
                <a class="brand" href="#/">
                    <img src="favicon.svg" alt="" width="28" height="28"/>
                    <span>"PCS Workbench"</span>
                </a>
                <Show when=move || state.recovery.with(Option::is_none)>
                <div class="workspace-badge" title="Current workspace">
                    <span class="ws-name">{move || state.workspace.with(|w| w.name.clone())}</span>
                    <span class="ws-meta">
                        {move || if state.opening.with(Option::is_some) {
                            "opening…".to_owned()
                        } else {
                            state.workspace.with(|w| format!("as of {} · rules {}", w.as_of, w.rules))
                        }}
                    </span>
                </div>
                <div class="topbar-actions"><components::PreparingIndicator/><components::PlanningIndicator/><components::UndoButton/><components::SaveIndicator/><components::ThemeToggle/></div>
                </Show>
            </header>
            <nav class="sidenav" id="main-nav" aria-label="Main" class:open=move || menu_open.get()>
                <NavLink route=Route::Dashboard label="Dashboard" current=route/>
                <NavLink route=Route::Customers label="Customers" current=route/>
                <NavLink route=Route::Associations label="Associations" current=route/>
                <NavLink route=Route::Reconciliation label="Reconciliation" current=route/>
                <NavLink route=Route::Skilling label="Skilling" current=route/>
                <NavLink route=Route::Findings label="Findings" current=route/>
                <NavLink route=Route::WhatIf label="What-if" current=route/>
                <NavLink route=Route::Workshop label="Workshop" current=route/>
                <NavLink route=Route::Rules label="Rules" current=route/>
                <NavLink route=Route::Data label="Data" current=route/>
            </nav>
            <main id="main" tabindex="-1">
                <components::ExternalChangeBanner/>
                <pages::workshop::ScenarioBanner/>
                {move || if state.recovery.with(Option::is_some) {
                    pages::recovery::RecoveryScreen().into_any()
                } else if state.opening.with(Option::is_some) {
                    components::OpeningScreen().into_any()
                } else { match route.get() {
                    Route::Dashboard => pages::dashboard::Dashboard().into_any(),
                    Route::Customers => pages::customers::CustomerList().into_any(),
                    Route::Customer(id) => view! { <pages::customers::CustomerPage id=id/> }.into_any(),
                    Route::Designation(id) => view! { <pages::designation::DesignationPage id=id/> }.into_any(),
                    Route::Findings => pages::findings::FindingsPage().into_any(),
                    Route::WhatIf => pages::whatif::WhatIfPage().into_any(),
                    Route::Workshop => pages::workshop::WorkshopPage().into_any(),
                    Route::Scenario(id) => view! { <pages::workshop::ScenarioPage id=id/> }.into_any(),
                    Route::Skilling => pages::skilling::SkillingPage().into_any(),
                    Route::Rules => pages::rules::RulesPage().into_any(),
                    Route::Associations => pages::associations::AssociationsPage().into_any(),
                    Route::Reconciliation => pages::reconcile::ReconcilePage().into_any(),
                    Route::Data => pages::data::DataPage().into_any(),
                    Route::NotFound(path) => view! { <pages::NotFound path=path/> }.into_any(),
                }}}
            </main>
            <components::ToastArea/>
            <footer class="footer">
                "PCS Workbench " {crate::version::VERSION}
                " · runs entirely in your browser: your data never leaves this device"
            </footer>
        </div>
    }
}

#[component]
fn NavLink(route: Route, label: &'static str, current: ReadSignal<Route>) -> impl IntoView {
    let section = route.section();
    let is_current = move || current.with(|r| r.section() == section);
    view! {
        <a
            href=route.href()
            class:active=is_current
            aria-current=move || if is_current() { Some("page") } else { None }
        >
            {label}
        </a>
    }
}
