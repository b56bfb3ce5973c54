//! The rule sets as readable tables: eligibility, thresholds and points with their source
//! notes, skilling steps, the product's assumptions, and what changed between rule sets.

use crate::attribution::Association;
use crate::rules::changelog::{RuleSetChange, changelog, metric_changes};
use crate::rules::scoring::list_head;
use crate::rules::{RULE_SET_IDS, RuleSet, rule_set};
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
                let cert = |c: &str| rs.catalogue_name(c);
                let n_assumptions = rs.scoring.assumptions.len();
                view! {
                    <p class="muted">{rs.title.clone()} " — " {rs.source.clone()}</p>
                    <nav class="page-toc" aria-label="On this page">
                        <span class="muted">"On this page:"</span>
                        <JumpTo target="matrix" label="Which association counts".to_owned()/>
                        <JumpTo target="designation-rules" label="Each designation's rules".to_owned()/>
                        <JumpTo target="assumptions" label=format!("Assumptions ({n_assumptions})")/>
                        <JumpTo target="what-changed" label="What changed".to_owned()/>
                    </nav>
                    <h2 id="matrix">"Which association counts for what"</h2>
                    <table class="table matrix">
                        <thead><tr><th>"Designation"</th><th>"Track"</th><th>"Metric"</th>
                            {Association::ALL.iter().map(|a| view! { <th class="center">{a.label()}</th> }).collect_view()}</tr></thead>
                        {rs.scoring.designations.iter().map(|d| {
                                // Every track's metrics that an association credits, the designation
                                // and track cells spanning their rows.
                                let rows: Vec<(usize, &crate::rules::scoring::TrackRules, &crate::rules::scoring::MetricRules)> = d
                                    .tracks
                                    .iter()
                                    .enumerate()
                                    .flat_map(|(ti, t)| t.metrics.iter().filter(|m| !m.calc.associations().is_empty()).map(move |m| (ti, t, m)))
                                    .collect();
                                let n = rows.len();
                                let per_track = |ti: usize| rows.iter().filter(|(i, _, _)| *i == ti).count();
                                let name = d.name.clone();
                                let designation_id = d.id.clone();
                                let body = rows.iter().enumerate().map(|(i, (ti, t, m))| {
                                    let first_of_track = i == 0 || rows[i - 1].0 != *ti;
                                    let on = m.calc.associations();
                                    let track = if t.track == "none" { "—".to_owned() } else { capitalise(&t.track) };
                                    view! {
                                        <tr data-designation=designation_id.clone() data-track=t.track.clone() class:track-start=first_of_track>
                                            {(i == 0).then(|| view! { <th scope="rowgroup" rowspan=n class="designation-cell">{name.clone()}</th> })}
                                            {first_of_track.then(|| view! { <td rowspan=per_track(*ti) class="track-cell">{track}</td> })}
                                            <td>{metric_label(&m.id).to_owned()}</td>
                                            {Association::ALL.iter().map(|a| {
                                                let yes = on.contains(a);
                                                view! { <td class="center" class:yes=yes>{if yes { "✓" } else { "" }}</td> }
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect::<Vec<_>>();
                                view! { <tbody>{body}</tbody> }
                            }).collect_view()}
                    </table>
                    <p class="muted small" id="designation-rules">"Each track as the rule set defines it: a customer counts on the path its size puts it on (Modern Work and Security size tenants per path)."</p>
                    {rs.scoring.designations.iter().map(|d| view! {
                        <h2>{d.name.clone()}</h2>
                        {d.tracks.iter().map(|t| view! {
                            {(t.track != "none").then(|| view! { <h3>{format!("{} track", capitalise(&t.track))}</h3> })}
                            <table class="table rules">
                                <thead><tr><th>"Metric"</th><th class="num">"Max"</th><th>"Rule"</th><th>"Value"</th><th>"Source"</th></tr></thead>
                                <tbody>
                                    {
                                        let path = t.parameters();
                                        let n = path.len();
                                        path.into_iter().enumerate().map(move |(i, p)| view! {
                                            <tr class="path-rule">
                                                {(i == 0).then(|| view! { <td rowspan=n>"Path"</td><td class="num" rowspan=n>"—"</td> })}
                                                <td>{p.name}</td><td>{p.value}</td>
                                                <td class="muted small">{p.source}</td>
                                            </tr>
                                        }).collect_view()
                                    }
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
                    <Assumptions rs=rs/>
                }
            })}
            <div id="what-changed">
                {RULE_SET_IDS.windows(2).rev().filter_map(|w| Some((rule_set(w[0])?, rule_set(w[1])?))).map(|(a, b)| view! { <WhatChanged a=a b=b/> }).collect_view()}
            </div>
        </section>
    }
}

/// The product's choices where Microsoft's pages are silent or ambiguous, one sentence each,
/// the ones for every designation first.
#[component]
fn Assumptions(rs: &'static RuleSet) -> impl IntoView {
    let mut groups = vec![("Every designation".to_owned(), rs.assumptions_for(None))];
    for d in &rs.scoring.designations {
        let own = rs.assumptions_for(Some(&d.id));
        if !own.is_empty() {
            groups.push((d.name.clone(), own));
        }
    }
    view! {
        <h2 id="assumptions">"Assumptions"</h2>
        <p class="muted">"Where the pages leave a choice open, this product made one. Each is applied the same way everywhere the score is explained."</p>
        <div class="assumption-groups">
            {groups.into_iter().filter(|(_, a)| !a.is_empty()).map(|(title, list)| view! {
                <div class="card assumption-group">
                    <h3>{title}</h3>
                    <ul class="assumption-list">
                        {list.into_iter().map(|a| view! { <li data-assumption=a.id.clone()>{a.text.clone()}</li> }).collect_view()}
                    </ul>
                </div>
            }).collect_view()}
        </div>
    }
}

/// Every difference between two shipped rule sets, generated from their data.
#[component]
fn WhatChanged(a: &'static RuleSet, b: &'static RuleSet) -> impl IntoView {
    let general = changelog(a, b);
    let metrics = metric_changes(a, b);
    let mut areas: Vec<(&'static str, Vec<RuleSetChange>)> = Vec::new();
    for c in general.iter().cloned() {
        match areas.iter_mut().find(|(area, _)| *area == c.area) {
            Some((_, v)) => v.push(c),
            None => areas.push((c.area, vec![c])),
        }
    }
    let mut by_designation: Vec<(String, Vec<crate::rules::changelog::MetricChange>)> = Vec::new();
    for m in metrics.iter().cloned() {
        match by_designation
            .iter_mut()
            .find(|(d, _)| *d == m.change.designation)
        {
            Some((_, v)) => v.push(m),
            None => by_designation.push((m.change.designation.clone(), vec![m])),
        }
    }
    let title = format!("What changed from {} to {}", a.id, b.id);
    let heading = format!("changes-{}-{}", a.id, b.id);
    let labelled_by = heading.clone();
    let summary = format!(
        "{} scoring rules and {} catalogue entries differ. This list is generated from the two rule sets' data, so it is complete and never out of date.",
        metrics.len(),
        general.len()
    );
    view! {
        <section class="what-changed" data-from=a.id.clone() data-to=b.id.clone() aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <p class="muted">{summary}</p>
            <h3>"Qualification, offers and catalogues"</h3>
            <div class="change-areas">
                {areas.into_iter().map(|(area, list)| view! { <ChangeArea area=area list=list/> }).collect_view()}
            </div>
            <h3>"Scoring rules, designation by designation"</h3>
            {by_designation.into_iter().map(|(designation, list)| {
                let mut metric_names: Vec<String> = Vec::new();
                for m in &list {
                    let l = metric_label(&m.change.metric).to_lowercase();
                    if !metric_names.contains(&l) {
                        metric_names.push(l);
                    }
                }
                let n = list.len();
                let key = designation.clone();
                view! {
                    <details class="card change-designation" data-designation=key>
                        <summary>
                            <strong>{designation}</strong>
                            <span class="muted">{format!(" · {n} change{} · {}", if n == 1 { "" } else { "s" }, metric_names.join(", "))}</span>
                        </summary>
                        <table class="table changelog">
                            <thead><tr><th>"Metric"</th><th>"Rule"</th><th>"Track"</th><th>{a.id.clone()}</th><th>{b.id.clone()}</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|m| view! { <MetricChangeRow m=m/> }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                }
            }).collect_view()}
        </section>
    }
}

/// One area of the rule set's own lists: what joined, what left, what changed.
#[component]
fn ChangeArea(area: &'static str, list: Vec<RuleSetChange>) -> impl IntoView {
    // A detail every added item shares ("new in the catalogue") is said once, in the heading.
    let added_details: Vec<&Option<String>> = list
        .iter()
        .filter(|c| c.before.is_none())
        .map(|c| &c.after)
        .collect();
    let shared = added_details
        .first()
        .filter(|f| added_details.len() > 1 && added_details.iter().all(|d| d == *f))
        .and_then(|d| (*d).clone());
    let n = list.len();
    view! {
        <div class="card change-area" data-area=area>
            <h4>{capitalise(area)} <span class="count">{n}</span></h4>
            <ul class="change-list">
                {list.into_iter().map(|c| {
                    let (class, marker, detail) = match (&c.before, &c.after) {
                        (None, after) => ("added", "+", after.clone().filter(|a| shared.as_ref() != Some(a))),
                        (before, None) => ("removed", "−", before.clone()),
                        (Some(before), Some(after)) if *after == c.item => ("changed", "→", Some(format!("was {before}"))),
                        (Some(before), Some(after)) => ("changed", "→", Some(format!("{before} → {after}"))),
                    };
                    view! {
                        <li class=format!("chg {class}")>
                            <span class="marker" aria-hidden="true">{marker}</span>
                            <span class="item">{c.item.clone()}</span>
                            {detail.map(|d| view! { <span class="detail">{d}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {shared.map(|s| view! { <p class="muted small">{format!("Added items: {s}.")}</p> })}
        </div>
    }
}

/// A metric rule's change: a list shows what joined and left it, a number its two values.
#[component]
fn MetricChangeRow(m: crate::rules::changelog::MetricChange) -> impl IntoView {
    let c = m.change;
    let tracks = m
        .tracks
        .iter()
        .filter(|t| *t != "none")
        .map(|t| capitalise(t))
        .collect::<Vec<_>>()
        .join(", ");
    let is_list = !c.added.is_empty() || !c.removed.is_empty();
    let cell = |value: Option<String>,
                items: Vec<String>,
                class: &'static str,
                other: Option<&str>| {
        if !is_list {
            return view! { <td class=class>{value.unwrap_or_else(|| "—".into())}</td> }.into_any();
        }
        let full = value.clone().unwrap_or_default();
        // The words before the list ("at least 2 people holding") only when they changed.
        let head = value
            .as_deref()
            .and_then(list_head)
            .filter(|h| Some(*h) != other.and_then(list_head))
            .map(str::to_owned);
        let sign = if class == "before" { "−" } else { "+" };
        view! {
            <td class=class title=full>
                {head.map(|h| view! { <div class="head">{h}</div> })}
                <ul class="items">
                    {items.into_iter().map(|i| view! { <li><span aria-hidden="true">{sign}" "</span>{i}</li> }).collect_view()}
                </ul>
            </td>
        }.into_any()
    };
    let before = cell(
        c.before.clone(),
        c.removed.clone(),
        "before",
        c.after.as_deref(),
    );
    let after = cell(
        c.after.clone(),
        c.added.clone(),
        "after",
        c.before.as_deref(),
    );
    view! {
        <tr class:list=is_list>
            <td>{metric_label(&c.metric).to_owned()}</td>
            <td>{c.parameter.clone()}</td>
            <td class="muted">{tracks}</td>
            {before}
            {after}
        </tr>
    }
}

/// A button that scrolls to a section of this page (links would change the route).
#[component]
fn JumpTo(target: &'static str, label: String) -> impl IntoView {
    view! {
        <button class="link-button" on:click=move |_| {
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(target)) {
                el.scroll_into_view();
            }
        }>{label}</button>
    }
}
