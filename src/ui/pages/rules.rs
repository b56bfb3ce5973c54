//! The rule sets as readable tables: eligibility, thresholds and points with their source
//! notes, skilling steps, the product's assumptions, and what changed between rule sets.

use crate::attribution::Association;
use crate::rules::scoring::diff;
use crate::rules::{RULE_SET_IDS, rule_set};
use crate::scoring::metric_label;
use crate::ui::pages::dashboard::capitalise;
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn RulesPage() -> impl IntoView {
    let app = use_app();
    let shown = RwSignal::new(app.workspace.with_untracked(|w| w.rules.clone()));
    view! {
        <section class="page rules-page">
            <div class="page-head">
                <div>
                    <h1>"Rules"</h1>
                    <p class="lead">"Every number the score uses, with where it comes from. Items marked assumption are this product's choices where Microsoft publishes no rule."</p>
                </div>
                <label class="rules-month">"Rule set"
                    <select aria-label="Rule set to show" prop:value=move || shown.get() on:change=move |ev| shown.set(event_target_value(&ev))>
                        {RULE_SET_IDS.iter().map(|id| view! { <option value=*id>{*id}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            {move || rule_set(&shown.get()).map(|rs| {
                let cert = |c: &str| rs.certification_name(c);
                view! {
                    <p class="muted">{rs.title.clone()} " — " {rs.source.clone()}</p>
                    <h2>"Which association counts for what"</h2>
                    <table class="table matrix">
                        <thead><tr><th>"Designation"</th><th>"Metric"</th>
                            {Association::ALL.iter().map(|a| view! { <th class="center">{a.label()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rs.scoring.designations.iter().flat_map(|d| {
                                let t = &d.tracks[0];
                                t.metrics.iter().filter(|m| !m.calc.associations().is_empty()).map(|m| {
                                    let on = m.calc.associations();
                                    view! {
                                        <tr><td>{d.name.clone()}</td><td>{metric_label(&m.id).to_owned()}</td>
                                            {Association::ALL.iter().map(|a| {
                                                let yes = on.contains(a);
                                                view! { <td class="center" class:yes=yes>{if yes { "✓" } else { "" }}</td> }
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect::<Vec<_>>()
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p class="muted small">"First track shown; Modern Work's SMB path uses CSP instead of DPOR."</p>
                    {rs.scoring.designations.iter().map(|d| view! {
                        <h2>{d.name.clone()}</h2>
                        {d.tracks.iter().map(|t| view! {
                            {(t.track != "none").then(|| view! { <h3>{format!("{} track", capitalise(&t.track))}</h3> })}
                            <table class="table rules">
                                <thead><tr><th>"Metric"</th><th class="num">"Max"</th><th>"Rule"</th><th>"Value"</th><th>"Source"</th></tr></thead>
                                <tbody>
                                    {t.metrics.iter().flat_map(|m| {
                                        let params = m.calc.parameters(&cert);
                                        let n = params.len();
                                        params.into_iter().enumerate().map(move |(i, p)| view! {
                                            <tr>
                                                {(i == 0).then(|| view! { <td rowspan=n>{metric_label(&m.id).to_owned()}</td><td class="num" rowspan=n>{format!("{:.0}", m.max.value)}</td> })}
                                                <td>{p.name}</td><td>{p.value}</td>
                                                <td class="muted small">{p.source.map(|s| if s.contains("assumption") { view! { <span class="badge warn">"assumption"</span> " " {s} }.into_any() } else { s.into_any() })}</td>
                                            </tr>
                                        }).collect::<Vec<_>>()
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }).collect_view()}
                    }).collect_view()}
                    <h2>"Assumptions"</h2>
                    <ul class="assumptions">
                        {rs.scoring.assumptions.iter().map(|a| view! { <li><span class="badge warn">"assumption"</span> " " {a.text.clone()}</li> }).collect_view()}
                    </ul>
                }
            })}
            <h2>"What changed from 2023-10 to 2026-11"</h2>
            {
                let (a, b) = (rule_set("2023-10"), rule_set("2026-11"));
                a.zip(b).map(|(a, b)| view! {
                    <table class="table diff">
                        <thead><tr><th>"Designation"</th><th>"Track"</th><th>"Metric"</th><th>"Rule"</th><th>"2023-10"</th><th>"2026-11"</th></tr></thead>
                        <tbody>
                            {diff(a, b).into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.designation}</td><td>{capitalise(&c.track)}</td><td>{metric_label(&c.metric).to_owned()}</td>
                                    <td>{c.parameter}</td>
                                    <td class="before">{c.before.unwrap_or_else(|| "—".into())}</td>
                                    <td class="after">{c.after.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })
            }
        </section>
    }
}
