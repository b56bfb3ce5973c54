//! Workshop mode: the scenario library, each scenario's exercises with answers and
//! explanations computed by the engine, attendee progress, and a facilitator view.

use crate::ui::browser::{download, fetch_texts, next_task, read_file};
use crate::ui::route::Route;
use crate::ui::state::{SCENARIO_SLOT, use_app};
use crate::workshop::{Answer, Exercise, LIBRARY_FILES, Scenario, read_scenario, shipped_file_url};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Attendee progress: scenario id → exercise id → answered right.
type Progress = BTreeMap<String, BTreeMap<String, bool>>;

const PROGRESS: &str = "workshop.progress";
const IMPORTED: &str = "workshop.imported";
const FACILITATOR: &str = "workshop.facilitator";

/// The scenarios shipped with the app: files next to the page, fetched the first time the
/// workshop opens (the page's first load does not carry them).
#[derive(Clone, Debug, Default)]
enum Shipped {
    #[default]
    NotAsked,
    Loading,
    /// Read, in teaching order; `problems` names the files that did not arrive or read.
    Ready {
        scenarios: Vec<Scenario>,
        problems: Vec<String>,
    },
}

impl Shipped {
    fn scenarios(&self) -> &[Scenario] {
        match self {
            Shipped::Ready { scenarios, .. } => scenarios,
            _ => &[],
        }
    }

    fn loading(&self) -> bool {
        matches!(self, Shipped::NotAsked | Shipped::Loading)
    }
}

/// Fetch every shipped scenario file at once, then read them one per task (reading one
/// scores its workspace for every exercise).
async fn fetch_shipped() -> Shipped {
    let urls: Vec<String> = LIBRARY_FILES.iter().map(|n| shipped_file_url(n)).collect();
    let texts = fetch_texts(&urls).await;
    let mut scenarios = Vec::with_capacity(texts.len());
    let mut problems = Vec::new();
    for (url, text) in urls.iter().zip(texts) {
        next_task().await;
        match text.map(|t| read_scenario(&t)) {
            Ok(Ok(s)) => scenarios.push(s),
            Ok(Err(diagnostics)) => problems.push(format!(
                "{url} does not read: {}",
                diagnostics
                    .first()
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            )),
            Err(why) => problems.push(why),
        }
    }
    Shipped::Ready {
        scenarios,
        problems,
    }
}

/// The shipped scenarios and those imported in this browser (which replace a shipped
/// one with the same id).
fn scenarios(shipped: &[Scenario], imported: &[String]) -> Vec<Scenario> {
    let mut all = shipped.to_vec();
    for text in imported {
        if let Ok(s) = read_scenario(text) {
            all.retain(|x| x.id != s.id);
            all.push(s);
        }
    }
    all
}

fn read<T: serde::de::DeserializeOwned>(app: &crate::ui::state::AppState, name: &str) -> Option<T> {
    app.app_value(name)
        .and_then(|t| serde_json::from_str(&t).ok())
}

#[derive(Clone, Copy)]
pub struct Workshop {
    shipped: RwSignal<Shipped>,
    progress: RwSignal<Progress>,
    imported: RwSignal<Vec<String>>,
    facilitator: RwSignal<bool>,
}

/// The workshop's state lives as long as the app (created once at start).
fn use_workshop() -> Workshop {
    use_context::<Workshop>().unwrap_or_else(provide_workshop)
}

/// Create the workshop state (progress, imported scenarios, facilitator view), read from
/// and kept in the browser. Called once at the app's root.
pub fn provide_workshop() -> Workshop {
    let app = use_app();
    let w = Workshop {
        shipped: RwSignal::new(Shipped::NotAsked),
        progress: RwSignal::new(read(&app, PROGRESS).unwrap_or_default()),
        imported: RwSignal::new(read(&app, IMPORTED).unwrap_or_default()),
        facilitator: RwSignal::new(read(&app, FACILITATOR).unwrap_or(false)),
    };
    Effect::new(move |_| {
        let text = w
            .progress
            .with(|p| serde_json::to_string(p).unwrap_or_default());
        app.set_app_value(PROGRESS, &text);
    });
    Effect::new(move |_| {
        let text = w
            .imported
            .with(|p| serde_json::to_string(p).unwrap_or_default());
        app.set_app_value(IMPORTED, &text);
    });
    Effect::new(move |_| app.set_app_value(FACILITATOR, &w.facilitator.get().to_string()));
    provide_context(w);
    w
}

impl Workshop {
    /// Fetch the shipped scenarios unless they are here or on their way; `again` fetches
    /// them again (after some did not arrive).
    fn fetch_shipped(self, again: bool) {
        let ask = self.shipped.with_untracked(|s| match s {
            Shipped::NotAsked => true,
            Shipped::Loading => false,
            Shipped::Ready { problems, .. } => again && !problems.is_empty(),
        });
        if ask {
            self.shipped.set(Shipped::Loading);
            leptos::task::spawn_local(async move { self.shipped.set(fetch_shipped().await) });
        }
    }

    /// Every scenario: the shipped ones (once fetched) and the imported ones.
    fn all(self) -> Vec<Scenario> {
        self.shipped
            .with(|s| self.imported.with(|i| scenarios(s.scenarios(), i)))
    }
}

/// Where the shipped scenarios stand when they are not all here: loading, or the files
/// that did not arrive, with a way to try again.
#[component]
fn ShippedStatus() -> impl IntoView {
    let w = use_workshop();
    move || {
        w.shipped.with(|s| match s {
            Shipped::NotAsked | Shipped::Loading => view! {
                <p class="muted loading-scenarios" role="status">"Loading the workshop's scenarios…"</p>
            }
            .into_any(),
            Shipped::Ready { problems, .. } if !problems.is_empty() => {
                let problems = problems.clone();
                view! {
                    <div class="notice error" role="alert">
                        <strong>"Some scenarios could not be loaded"</strong>
                        <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        <button class="button small" on:click=move |_| w.fetch_shipped(true)>"Try again"</button>
                    </div>
                }
                .into_any()
            }
            Shipped::Ready { .. } => ().into_any(),
        })
    }
}

#[component]
fn FacilitatorToggle() -> impl IntoView {
    let w = use_workshop();
    view! {
        <label class="facilitator-toggle">
            <input type="checkbox" prop:checked=move || w.facilitator.get() on:change=move |ev| w.facilitator.set(event_target_checked(&ev))/>
            " Facilitator view (show answers and explanations)"
        </label>
    }
}

#[component]
pub fn WorkshopPage() -> impl IntoView {
    let w = use_workshop();
    let app = use_app();
    let problems = RwSignal::new(Vec::<crate::model::Diagnostic>::new());
    w.fetch_shipped(false);
    let list = Memo::new(move |_| w.all());
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read_file(file, move |bytes| {
                let text = bytes.map(|b| String::from_utf8_lossy(&b).into_owned());
                match text
                    .map_err(|m| {
                        vec![crate::model::Diagnostic {
                            severity: crate::model::Severity::Error,
                            path: String::new(),
                            message: m,
                        }]
                    })
                    .and_then(|t| read_scenario(&t).map(|s| (s, t)))
                {
                    Ok((s, t)) => {
                        problems.set(Vec::new());
                        w.imported.update(|list| {
                            list.retain(|x| {
                                read_scenario(x).map(|y| y.id != s.id).unwrap_or(false)
                            });
                            list.push(t);
                        });
                        app.notify(format!("Imported the scenario \"{}\".", s.title), None);
                    }
                    Err(p) => problems.set(p),
                }
            });
        }
        input.set_value("");
    };
    view! {
        <section class="page workshop-page">
            <div class="page-head">
                <div>
                    <h1>"Workshop"</h1>
                    <p class="lead">"Small scenarios drawn from real partner situations. Each opens in its own workspace — yours is never touched — and every answer is computed by the same engine as your scores."</p>
                </div>
                <FacilitatorToggle/>
            </div>
            <ShippedStatus/>
            <div class="scenario-grid">
                {move || list.get().into_iter().map(|s| {
                    let id = s.id.to_string();
                    let total = s.exercises.len();
                    let done = w.progress.with(|p| p.get(&id).map_or(0, |x| x.values().filter(|ok| **ok).count()));
                    view! {
                        <a class="card scenario-card" href=Route::Scenario(id.clone()).href() data-scenario=id.clone()>
                            <h2>{s.title.clone()}</h2>
                            <p class="muted">{s.narrative.clone()}</p>
                            <ul class="goals">{s.goals.iter().map(|g| view! { <li>{g.clone()}</li> }).collect_view()}</ul>
                            <div class="progress-line">
                                <progress max=total value=done aria-label=format!("{done} of {total} answered")></progress>
                                <span class="small muted">{format!("{done}/{total} answered")}</span>
                            </div>
                        </a>
                    }
                }).collect_view()}
            </div>
            <h2>"Your own scenarios"</h2>
            <p class="muted">"Facilitators can write scenarios as files: a workspace, a story and exercises whose answers are engine queries. A file is checked like a workspace, and each answer its author states must equal the engine's."</p>
            <label class="button">"Import a scenario file…"
                <input type="file" accept=".json,application/json" class="visually-hidden" on:change=import/>
            </label>
            <crate::ui::components::Problems problems=problems/>
        </section>
    }
}

/// Shown while a scenario's workspace is open: the way back to one's own.
#[component]
pub fn ScenarioBanner() -> impl IntoView {
    let app = use_app();
    move || {
        let slot = app.slot.get();
        slot.strip_prefix(SCENARIO_SLOT).map(|id| {
            let id = id.to_owned();
            view! {
                <div class="notice info scenario-banner" role="status">
                    <span>"You are exploring a workshop scenario. Your own workspace is saved and untouched."</span>
                    <span class="actions">
                        <a class="button small" href=Route::Scenario(id).href()>"Exercises"</a>
                        <button class="button small primary" on:click=move |_| app.leave_scenario()>"Back to my workspace"</button>
                    </span>
                </div>
            }
        })
    }
}

#[component]
pub fn ScenarioPage(id: String) -> impl IntoView {
    let w = use_workshop();
    let app = use_app();
    let lookup = id.clone();
    w.fetch_shipped(false);
    let scenario = Memo::new(move |_| w.all().into_iter().find(|s| s.id.as_str() == lookup));
    move || {
        let Some(s) = scenario.get() else {
            if w.shipped.with(Shipped::loading) {
                return view! {
                    <section class="page">
                        <p class="crumbs"><a href=Route::Workshop.href()>"Workshop"</a></p>
                        <p class="muted loading-scenarios" role="status">"Loading the scenario…"</p>
                    </section>
                }
                .into_any();
            }
            return view! {
                <section class="page">
                    <h1>"No such scenario"</h1>
                    <p>"There is no scenario " <code>{id.clone()}</code> ". " <a href=Route::Workshop.href()>"All scenarios"</a></p>
                    <ShippedStatus/>
                </section>
            }
            .into_any();
        };
        let explore = s.clone();
        let export = s.clone();
        view! {
            <section class="page scenario-page">
                <p class="crumbs"><a href=Route::Workshop.href()>"Workshop"</a></p>
                <div class="page-head">
                    <h1>{s.title.clone()}</h1>
                    <FacilitatorToggle/>
                </div>
                <p class="narrative">{s.narrative.clone()}</p>
                <h2>"Learning goals"</h2>
                <ul class="goals">{s.goals.iter().map(|g| view! { <li>{g.clone()}</li> }).collect_view()}</ul>
                <div class="actions">
                    <button class="button primary" on:click=move |_| {
                        app.open_scenario(explore.id.as_str(), explore.workspace.clone());
                        let _ = window().location().set_hash(&Route::Dashboard.href());
                    }>"Explore this scenario's workspace"</button>
                    <button class="button" on:click=move |_| {
                        let _ = download(&format!("{}.scenario.json", export.id), "application/json", &export.to_json());
                    }>"Export the scenario file"</button>
                </div>
                <h2>"Exercises"</h2>
                <ol class="exercises">
                    {s.exercises.iter().map(|ex| {
                        let answer = s.answer(&ex.query).ok();
                        view! { <ExerciseCard scenario=s.id.to_string() ex=ex.clone() answer=answer/> }
                    }).collect_view()}
                </ol>
            </section>
        }
        .into_any()
    }
}

#[component]
fn ExerciseCard(scenario: String, ex: Exercise, answer: Option<Answer>) -> impl IntoView {
    let w = use_workshop();
    let given = RwSignal::new(String::new());
    // None: not answered in this visit; Some(right).
    let verdict = RwSignal::new(None::<bool>);
    let exid = ex.id.to_string();
    let key = (scenario.clone(), exid.clone());
    let check_answer = answer.clone();
    let check_ex = ex.clone();
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(a) = &check_answer else { return };
        let right = Scenario::is_correct(&check_ex, &a.value, &given.get_untracked());
        verdict.set(Some(right));
        let (sid, eid) = key.clone();
        w.progress.update(|p| {
            let entry = p.entry(sid).or_default().entry(eid).or_insert(false);
            *entry = *entry || right;
        });
    };
    let name = format!("answer-{scenario}-{exid}");
    let explanation = answer
        .as_ref()
        .map(|a| a.explanation.clone())
        .unwrap_or_default();
    let shown_answer = answer
        .as_ref()
        .map(|a| a.value.to_string())
        .unwrap_or_default();
    let notes = ex.notes.clone();
    let expl = explanation.clone();
    view! {
        <li class="card exercise" data-exercise=exid.clone()>
            <form on:submit=check>
                <p class="prompt">{ex.prompt.clone()}</p>
                {if ex.choices.is_empty() {
                    view! {
                        <input type="text" inputmode="decimal" aria-label=format!("Answer: {}", ex.prompt) placeholder="A number"
                            on:input=move |e| { given.set(event_target_value(&e)); verdict.set(None); }/>
                    }.into_any()
                } else {
                    view! {
                        <div class="choices" role="radiogroup" aria-label=ex.prompt.clone()>
                            {ex.choices.iter().map(|c| {
                                let value = c.clone();
                                view! {
                                    <label class="choice">
                                        <input type="radio" name=name.clone() value=c.clone()
                                            on:change=move |_| { given.set(value.clone()); verdict.set(None); }/>
                                        {c.clone()}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                    }.into_any()
                }}
                <button type="submit" class="button small primary">"Check"</button>
            </form>
            {move || verdict.get().map(|right| {
                let expl = expl.clone();
                view! {
                    <div class=if right { "feedback right" } else { "feedback wrong" } role="status">
                        <strong>{if right { "Right." } else { "Not quite — look at what the engine found:" }}</strong>
                        <ul>{expl.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    </div>
                }
            })}
            <Show when=move || w.facilitator.get()>
                <div class="facilitator">
                    <p><strong>"Answer: "</strong>{shown_answer.clone()}</p>
                    <ul>{explanation.clone().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    {notes.clone().map(|n| view! { <p class="muted"><em>{n}</em></p> })}
                </div>
            </Show>
        </li>
    }
}
