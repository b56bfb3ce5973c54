//! One designation: every metric with its contributors, every track, every month.

use crate::scoring::{DesignationScore, Unit, metric_label};
use crate::ui::pages::dashboard::{ScoreBar, capitalise};
use crate::ui::route::Route;
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn DesignationPage(id: String) -> impl IntoView {
    let app = use_app();
    let lookup = id.clone();
    // This page also lists what does not count and why: one designation, explained.
    let found = Memo::new(move |_| app.explained(&lookup));
    let found = move || found.get();
    move || {
        match found() {
        Some(d) => view! { <DesignationDetail d=d/> }.into_any(),
        None => view! {
            <section class="page">
                <h1>"No such designation"</h1>
                <p>"There is no designation " <code>{id.clone()}</code> ". " <a href=Route::Dashboard.href()>"Back to the dashboard"</a></p>
            </section>
        }
        .into_any(),
    }
    }
}

/// A metric card lists this many contributors, and this many more at each "Show more"
/// (as many "not counted" lines, drawn when that list is opened): a partner with thousands
/// of customers sees its card at once and asks for the rest.
const SHOWN: usize = 25;
const MORE: usize = 200;

#[component]
fn DesignationDetail(d: DesignationScore) -> impl IntoView {
    let app = use_app();
    // Names by customer id, read once for every contributor of every card.
    let names: std::collections::HashMap<String, String> = app.workspace.with_untracked(|w| {
        w.customers
            .iter()
            .map(|c| (c.id.as_str().to_owned(), c.name.clone()))
            .collect()
    });
    let customer_name = move |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let counting = d.track.clone().unwrap_or_else(|| "none".into());
    // How each metric's measured value reads (whole numbers for counts), from the rule set.
    let designation_id = d.id.clone();
    let measure_of = move |track: &str, metric: &str| {
        app.workspace.with_untracked(|w| {
            crate::rules::rule_set(&w.rules)
                .and_then(|r| r.designation(&designation_id))
                .and_then(|dr| dr.tracks.iter().find(|t| t.track == track))
                .and_then(|t| t.metrics.iter().find(|m| m.id == metric))
                .map_or(crate::rules::scoring::Measure::Points, |m| m.calc.measure())
        })
    };
    let months = d.counting.clone();
    view! {
        <section class="page designation-page">
            <p class="crumbs"><a href=Route::Dashboard.href()>"Dashboard"</a></p>
            <div class="page-head">
                <div>
                    <h1>{d.name.clone()}</h1>
                    <p class="lead">
                        {format!("{:.2} of 100 points", d.score)}
                        {d.track.as_ref().map(|t| format!(" on the {} track", capitalise(t)))}
                        {if d.qualified { format!(" · qualified (best month {})", d.best_month.map(|m| m.to_string()).unwrap_or_default()) } else { " · not qualified in the window".to_owned() }}
                    </p>
                </div>
            </div>
            <ScoreBar pct=d.score.clamp(0.0, 100.0)/>
            {(!d.month(app.workspace.with_untracked(|w| w.as_of)).is_some_and(|m| m.qualified)).then(|| view! { <PathTo70 id=d.id.clone()/> })}
            {d.tracks.iter().map(|t| {
                let last = t.months.last().cloned();
                let is_counting = t.track == counting;
                let track_id = t.track.clone();
                let measure_of = measure_of.clone();
                let title = if t.track == "none" { "Metrics".to_owned() } else { format!("{} track{}", capitalise(&t.track), if is_counting { " (counts)" } else { "" }) };
                view! {
                    <h2>{title}</h2>
                    {last.map(|tm| view! {
                        <div class="metric-grid">
                            {tm.metrics.into_iter().map(|m| {
                                let items: Vec<(String, String, String, Option<&'static str>)> = m.contributors.iter().map(|c| (
                                    c.customer.as_deref().map(&customer_name).unwrap_or_default(),
                                    c.item.clone(), format_value(c.value, c.unit), c.association.map(|a| a.label()))).collect();
                                let empty = items.is_empty();
                                let excluded: Vec<(String, String, String)> = m.excluded.iter().map(|e| (
                                    e.customer.as_deref().map(&customer_name).unwrap_or_default(), e.item.clone(), e.reason.clone())).collect();
                                view! {
                                    <div class="card metric-card" class:zero=m.points <= 0.0>
                                        <h3>{metric_label(&m.id).to_owned()}</h3>
                                        <p class="metric-score"><strong>{format!("{:.2}", m.points)}</strong> {format!(" of {:.0} points", m.max)}
                                            <span class="muted">{format!(" · measured {}", measure_of(&track_id, &m.id).show(m.value))}</span>
                                            {m.association.map(|a| view! { <span class="badge info">{format!("best via {}", a.label())}</span> })}
                                        </p>
                                        {if empty {
                                            view! { <p class="muted">"Nothing counts toward this metric yet."</p> }.into_any()
                                        } else {
                                            view! { <Contributors items=items/> }.into_any()
                                        }}
                                        {(!excluded.is_empty()).then(|| view! { <NotCounted lines=excluded/> })}
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    })}
                }
            }).collect_view()}
            <h2>"Window"</h2>
            <table class="table">
                <thead><tr><th>"Month"</th><th>"Counting track"</th><th class="num">"Score"</th><th>"Qualified"</th></tr></thead>
                <tbody>
                    {months.into_iter().filter_map(|(m, t)| d.month(m).map(|tm| (tm.clone(), d.tracks[t].track.clone()))).map(|(tm, track)| view! {
                        <tr>
                            <td>{tm.month.to_string()}</td>
                            <td>{if track == "none" { "—".to_owned() } else { capitalise(&track) }}</td>
                            <td class="num">{format!("{:.2}", tm.total)}</td>
                            <td>{if tm.qualified { view! { <span class="badge ok">"yes"</span> }.into_any() } else { view! { <span class="badge bad">"no"</span> }.into_any() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <DesignationAssumptions id=d.id.clone()/>
        </section>
    }
}

/// A metric's contributors, the first [`SHOWN`] at once and [`MORE`] more at each ask.
#[component]
fn Contributors(items: Vec<(String, String, String, Option<&'static str>)>) -> impl IntoView {
    let n = items.len();
    let shown = RwSignal::new(SHOWN);
    let rows = move || {
        items
            .iter()
            .take(shown.get())
            .map(|(c, item, v, a)| {
                view! {
                    <tr><td>{c.clone()}</td><td>{item.clone()}{a.map(|a| view! { <span class="muted">{format!(" · {a}")}</span> })}</td><td class="num">{v.clone()}</td></tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="table compact">
            <thead><tr><th>"Customer"</th><th>"What"</th><th class="num">"Value"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {move || {
            let k = shown.get().min(n);
            (n > k).then(|| view! {
                <p class="list-more small">
                    <span class="muted">{format!("{k} of {n} contributors")}</span>
                    <button class="button small" on:click=move |_| shown.update(|s| *s = (*s).max(SHOWN) + MORE)>{format!("Show {} more", (n - k).min(MORE))}</button>
                </p>
            })
        }}
    }
}

/// What does not count toward a metric and why, drawn when opened ([`MORE`] at a time).
#[component]
fn NotCounted(lines: Vec<(String, String, String)>) -> impl IntoView {
    let n = lines.len();
    let shown = RwSignal::new(0);
    let items = move || {
        lines
            .iter()
            .take(shown.get())
            .map(|(c, item, why)| {
                view! {
                    <li><strong>{if c.is_empty() { item.clone() } else { format!("{c} · {item}") }}</strong>
                        <span class="muted">{format!(" — {why}")}</span></li>
                }
            })
            .collect_view()
    };
    view! {
        <details class="not-counted" on:toggle=move |_| if shown.get_untracked() == 0 { shown.set(MORE) }>
            <summary>{format!("Not counted ({n})")}</summary>
            <ul>{items}</ul>
            {move || {
                let k = shown.get().min(n);
                (k > 0 && n > k).then(|| view! {
                    <p class="list-more small">
                        <span class="muted">{format!("{k} of {n} shown")}</span>
                        <button class="button small" on:click=move |_| shown.update(|s| *s += MORE)>{format!("Show {} more", (n - k).min(MORE))}</button>
                    </p>
                })
            }}
        </details>
    }
}

/// The choices this product made where Microsoft's pages leave this designation's rules
/// open, one sentence each: its own first, then those that hold for every designation.
#[component]
fn DesignationAssumptions(id: String) -> impl IntoView {
    let app = use_app();
    let (own, general) = app.workspace.with_untracked(|w| {
        crate::rules::rule_set(&w.rules).map_or((Vec::new(), Vec::new()), |r| {
            let texts = |d: Option<&str>| {
                r.assumptions_for(d)
                    .into_iter()
                    .map(|a| a.text.clone())
                    .collect::<Vec<_>>()
            };
            (texts(Some(&id)), texts(None))
        })
    });
    (!own.is_empty() || !general.is_empty()).then(|| {
        let n = general.len();
        let none_own = own.is_empty();
        view! {
            <section class="designation-assumptions" aria-labelledby="designation-assumptions">
                <h2 id="designation-assumptions">"Where the pages leave a choice"</h2>
                {(!own.is_empty()).then(|| view! {
                    <ul class="assumption-list">
                        {own.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                    </ul>
                })}
                {(n > 0).then(|| view! {
                    <details class="not-counted" prop:open=none_own>
                        <summary>{format!("{n} choice{} that hold for every designation", if n == 1 { "" } else { "s" })}</summary>
                        <ul class="assumption-list">
                            {general.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                        </ul>
                    </details>
                })}
                <p class="muted small"><a href=Route::Rules.href()>"All rules and their sources"</a></p>
            </section>
        }
    })
}

fn format_value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Usd => crate::model::money(v),
        Unit::Points => format!("{v:.2} pts"),
        Unit::Users => format!("{v:+.0} users"),
        Unit::Mcv => format!("{v:.0} MCV"),
        Unit::Count => "counted".to_owned(),
    }
}

/// The planner's shortest path to 70, computed when asked (it re-scores many times): in the
/// engine worker, so the page keeps answering while it plans, with the steps settled so far;
/// the plan is kept in the app state, so leaving the page does not lose it.
#[component]
fn PathTo70(id: String) -> impl IntoView {
    let app = use_app();
    let key = id.clone();
    let run_state =
        Memo::new(move |_| app.plans.with(|p| p.get(&key).cloned().unwrap_or_default()));
    let busy = move || run_state.with(|r| r.busy);
    let plan = move || run_state.with(|r| r.plan.clone());
    let run = move |_| app.start_plan(id.clone());
    // The plan runs in the engine worker: it starts loading now, not on the click.
    crate::ui::worker::warm();
    view! {
        <div class="card path">
            <div class="path-head">
                <h2>"Path to 70"</h2>
                <button class="button primary" on:click=run disabled=busy>
                    {move || if busy() { "Planning…" } else { "Plan the shortest path" }}
                </button>
            </div>
            {move || busy().then(|| view! {
                <p class="plan-progress muted small" role="status">
                    {move || match run_state.with(|r| r.progress) {
                        Some(p) => format!("Planning: {} settled, {:.2} points so far…", crate::model::plural(p.steps, "step", "steps"), p.score),
                        None => "Planning: measuring each candidate step…".to_owned(),
                    }}
                </p>
            })}
            {move || run_state.with(|r| r.failed.clone()).map(|e| view! { <p class="plan-stop">{format!("The plan could not be made: {e}.")}</p> })}
            <p class="muted small">"Each step's gain is measured by applying it and scoring again. A metric below one point comes first, since it blocks the designation whatever the total; then the steps that earn most for their effort — fixes for broken associations are the cheapest, and a lost customer is won back before a new one is sought."</p>
            {move || plan().map(|p| view! {
                <ol class="plan">
                    {p.actions.iter().map(|a| {
                        let edit = a.edit.clone();
                        let steps = a.steps.clone();
                        view! {
                            <li>
                                <span class="gain">{format!("+{:.2}", a.gain)}</span>
                                <span class="plan-title">{a.title.clone()}</span>
                                {a.finding.clone().map(|f| view! { <span class="badge warn">{format!("fixes {f}")}</span> })}
                                <span class="muted small">{format!(" effort {}", a.effort)}</span>
                                <button class="button small" on:click=move |_| app.add_whatif(edit.clone())>"Add to what-if"</button>
                                {(!steps.is_empty()).then(|| view! {
                                    <ul class="plan-steps small">
                                        {steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {(!p.actions.is_empty()).then(|| {
                    let edits: Vec<_> = p.actions.iter().map(|a| a.edit.clone()).collect();
                    view! {
                        <button class="button small" on:click=move |_| {
                            for e in &edits { app.add_whatif(e.clone()); }
                            let _ = window().location().set_hash(&Route::WhatIf.href());
                        }>"Add the whole plan to what-if"</button>
                    }
                })}
                <p class="plan-result">
                    {format!("{:.2} → {:.2} points", p.start, p.reached)}
                    {if p.qualified { view! { <span class="badge ok">"qualifies"</span> }.into_any() } else { view! { <span class="badge bad">"does not qualify yet"</span> }.into_any() }}
                </p>
                {p.stops_because.clone().map(|why| view! { <p class="plan-stop">{format!("The plan stops here: {why}.")}</p> })}
            })}
        </div>
    }
}
