//! Reconciliation: what Partner Center credits beside what the tenants explain, for one
//! month — a summary per class, the two scores side by side, and every subscription with
//! its reason, fix and points at stake. The engine classifies; this page only shows.

use crate::model::{Guid, Month, money, thousands};
use crate::reconcile::{Class, Reconciliation, Row};
use crate::ui::pages::findings::FixDetails;
use crate::ui::reconciling::{Reconciling, reconciled};
use crate::ui::route::Route;
use crate::ui::state::use_app;
use leptos::prelude::*;

fn class_style(c: Class) -> &'static str {
    match c {
        Class::MissingCredit => "bad",
        Class::OtherPartner => "warn",
        Class::TierMismatch | Class::Unexplained => "info",
        Class::Agree => "ok",
    }
}

fn associations(list: &[crate::attribution::Association]) -> String {
    if list.is_empty() {
        "—".into()
    } else {
        list.iter()
            .map(|a| a.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Rows whose points at stake are measured before any is opened.
const MEASURED_UP_FRONT: usize = 25;

/// The list draws this many subscriptions, and this many more at each "Show more" (a
/// reseller's download has thousands; each row is a card with its fix).
const LISTED: usize = 100;

#[component]
pub fn ReconcilePage() -> impl IntoView {
    let app = use_app();
    let covered = Memo::new(move |_| app.workspace.with(crate::reconcile::covered_months));
    let month = RwSignal::new(
        app.workspace
            .with_untracked(crate::reconcile::default_month),
    );
    // A new import can change what is covered: keep the month inside it.
    Effect::new(move |_| {
        if let Some((from, to)) = covered.get()
            && month.get_untracked().is_none_or(|m| m < from || m > to)
        {
            month.set(
                app.workspace
                    .with_untracked(crate::reconcile::default_month),
            );
        }
    });
    // Each row's points cost a re-scoring: measured up front for a few rows, else when a
    // row is opened. The rows come first, the scores in a task of their own.
    let state = reconciled(
        move || month.get(),
        crate::reconcile::RowPoints::UpTo(MEASURED_UP_FRONT),
    );
    // Drawn again only when there comes to be (or stops being) something to show: the
    // scores and a new month update the view in place.
    let stage = Memo::new(move |_| {
        state.with(|s| match s {
            Reconciling::Waiting => 0,
            Reconciling::NoData => 1,
            Reconciling::Rows(r) | Reconciling::Scored(r) => 2 + u8::from(r.covered.is_some()),
        })
    });
    let class = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    view! {
        <section class="page reconcile-page">
            <div class="page-head">
                <div>
                    <h1>"Reconciliation"</h1>
                    <p class="lead">"What Partner Center credits beside what your tenants explain, subscription by subscription: why they differ, the fix, and the points at stake."</p>
                </div>
                {move || covered.get().map(|(from, to)| {
                    let months: Vec<Month> = Month::range(from, to).collect();
                    view! {
                        <label class="rules-month">"Month"
                            <select aria-label="Month to reconcile" prop:value=move || month.get().map(|m| m.to_string()).unwrap_or_default()
                                on:change=move |ev| month.set(Month::parse(&event_target_value(&ev)))>
                                {months.into_iter().rev().map(|m| view! { <option value=m.to_string()>{m.to_string()}</option> }).collect_view()}
                            </select>
                        </label>
                    }
                })}
            </div>
            {move || match stage.get() {
                0 => view! { <p class="muted recon-busy" role="status">"Reconciling…"</p> }.into_any(),
                3 => view! { <ReconcileView state=state class=class search=search/> }.into_any(),
                _ => view! { <NoReportedData/> }.into_any(),
            }}
        </section>
    }
}

/// The empty state: what to import for a reconciliation, and where.
#[component]
fn NoReportedData() -> impl IntoView {
    view! {
        <div class="card empty-state">
            <h2>"No Partner Center data yet"</h2>
            <p>"A reconciliation lines up two things: the attribution Microsoft reports in Partner Center's Azure usage download, and the identities, roles and links your tenants show. Import both on the Data page:"</p>
            <ol>
                <li>"Partner Center → Insights → Download reports → Cloud product performance → Azure (the Azure usage CSV);"</li>
                <li>"the tenant inventory the collector script writes (" <code>"pcs-collect.sh"</code> " or " <code>"pcs-collect.ps1"</code> ")."</li>
            </ol>
            <p><a class="button primary" href=Route::Data.href()>"Import files"</a></p>
        </div>
    }
}

/// The reconciliation as it comes: the rows first (points "measuring…"), then the scores.
#[component]
fn ReconcileView(
    state: ReadSignal<Reconciling>,
    class: RwSignal<String>,
    search: RwSignal<String>,
) -> impl IntoView {
    let with_result = move |f: &dyn Fn(&Reconciliation) -> String| {
        state.with(|s| s.result().map(f).unwrap_or_default())
    };
    let scored = Memo::new(move |_| state.with(Reconciling::scored));
    let listed = RwSignal::new(LISTED);
    // The rows of the class and search asked for (indices into the reconciliation's rows).
    let shown = Memo::new(move |_| {
        let wanted = class.get();
        let q = search.get().to_lowercase();
        state.with(|s| {
            let Some(r) = s.result() else {
                return Vec::new();
            };
            r.rows
                .iter()
                .enumerate()
                .filter(|(_, x)| wanted.is_empty() || x.class.id() == wanted)
                .filter(|(_, x)| {
                    q.is_empty()
                        || x.customer_name.to_lowercase().contains(&q)
                        || x.subscription_name.to_lowercase().contains(&q)
                        || x.subscription.as_str().contains(&q)
                        || x.tenant_id.as_str().contains(&q)
                })
                .map(|(i, _)| i)
                .collect::<Vec<usize>>()
        })
    });
    // A new filter starts the list again from the top.
    Effect::new(move |_| {
        class.track();
        search.track();
        listed.set(LISTED);
    });
    let n_rows = move || state.with(|s| s.result().map_or(0, |r| r.rows.len()));
    // The rows drawn, keyed so that the scores arriving do not draw them again.
    let drawn = move || {
        let k = listed.get();
        state.with(|s| {
            let Some(r) = s.result() else {
                return Vec::new();
            };
            shown.with(|ix| {
                ix.iter()
                    .take(k)
                    .map(|&i| r.rows[i].clone())
                    .collect::<Vec<Row>>()
            })
        })
    };
    // A row's points at stake once the scores come (None while they are measured).
    let points_of = move |customer: &str,
                          sub: &Guid|
          -> Option<(Option<f64>, Vec<crate::reconcile::DesignationPoints>)> {
        state.with(|s| match s {
            Reconciling::Scored(r) => r
                .rows
                .iter()
                .find(|x| x.customer == customer && x.subscription == *sub)
                .map(|x| (x.points_at_stake, x.at_stake.clone())),
            _ => None,
        })
    };
    view! {
        <p class="muted">{move || with_result(&|r| {
            let (from, to) = r.covered.unwrap_or((r.month, r.month));
            format!("Partner Center data of {}, covering {from} to {to}. Links and DPOR younger than about {} days before that day are pending, not missing.", r.data_date, r.lag_days)
        })}</p>
        <div class="recon-summary" role="group" aria-label="Summary">
            {Class::ALL.iter().map(|&c| {
                let id = c.id();
                let pressed = move || class.get() == id;
                let summary = move || state.with(|s| s.result().map(|r| r.summary_of(c)).unwrap_or_default());
                view! {
                    <button class=format!("card recon-class {}", class_style(c)) data-class=id aria-pressed=move || pressed().to_string()
                        on:click=move |_| class.update(|x| if x == id { x.clear() } else { *x = id.to_owned() })>
                        <span class="recon-label">{c.label()}</span>
                        {move || {
                            let s = summary();
                            view! {
                                <span class="recon-rows"><strong>{s.rows}</strong>{if s.rows == 1 { " subscription" } else { " subscriptions" }}</span>
                                <span class="recon-acr">{format!("{} ACR", money(s.acr))}</span>
                                {matches!(c, Class::MissingCredit | Class::OtherPartner).then(|| view! {
                                    <span class="recon-points">{if scored.get() { format!("{:.2} points at stake", s.points_at_stake) } else { "Measuring the points at stake…".to_owned() }}
                                        {(s.unknown > 0).then(|| format!(" (+{} unknown)", s.unknown))}
                                    </span>
                                })}
                            }
                        }}
                    </button>
                }
            }).collect_view()}
        </div>
        <h2>{move || with_result(&|r| format!("Scores in {}", r.month))}</h2>
        {move || if scored.get() {
            view! { <ScoresTable state=state/> }.into_any()
        } else {
            view! { <p class="muted recon-busy" role="status">"Scoring both sides…"</p> }.into_any()
        }}
        <p class="muted small">"Partner Center's side scores the attribution it reports for the months the download covers; earlier months, which the metrics also read, use your tenants' attribution."</p>
        <h2>"Subscriptions"</h2>
        <div class="filters">
            <label>"Class"
                <select prop:value=move || class.get() on:change=move |ev| class.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {Class::ALL.iter().map(|c| view! { <option value=c.id()>{c.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Search"
                <input type="search" placeholder="Customer, subscription or tenant" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            </label>
            <span class="muted">{move || {
                let (k, n) = (shown.with(Vec::len), n_rows());
                if class.with(String::is_empty) && search.with(String::is_empty) {
                    format!("{} {}", thousands(n as u64), if n == 1 { "subscription" } else { "subscriptions" })
                } else {
                    format!("{} of {} match", thousands(k as u64), thousands(n as u64))
                }
            }}</span>
        </div>
        <div class="recon-head" aria-hidden="true">
            <span>"Customer · subscription"</span><span>"Partner Center"</span><span>"Your tenants"</span><span>"ACR"</span><span>"At stake"</span>
        </div>
        <div class="recon-rows-list">
            {move || shown.with(Vec::is_empty).then(|| view! { <p class="empty">"No subscription in this class."</p> })}
            <For each=drawn key=|row| (row.customer.clone(), row.subscription.clone(), row.month) let(row)>
                {
                    let (customer, sub) = (row.customer.clone(), row.subscription.clone());
                    let scores = Signal::derive(move || points_of(&customer, &sub));
                    view! { <RowView row=row scores=scores scored=scored/> }
                }
            </For>
        </div>
        {move || {
            let (n, k) = (shown.with(Vec::len), listed.get());
            (n > k).then(|| view! {
                <p class="list-more">
                    <span class="muted">{format!("Showing {} of {}, the most at stake first: filter by class or search to find one, or", thousands(k as u64), thousands(n as u64))}</span>
                    <button class="button small" on:click=move |_| listed.update(|s| *s += LISTED)>{format!("Show {} more", (n - k).min(LISTED))}</button>
                </p>
            })
        }}
    }
}

/// The two scores side by side, per designation.
#[component]
fn ScoresTable(state: ReadSignal<Reconciling>) -> impl IntoView {
    let scores = move || state.with(|s| s.result().map(|r| r.scores.clone()).unwrap_or_default());
    view! {
        <table class="table recon-scores">
            <thead><tr><th>"Designation"</th><th class="num">"Partner Center should show"</th><th class="num">"Your tenants support"</th><th class="num">"Difference"</th></tr></thead>
            <tbody>
                {move || scores().into_iter().map(|s| {
                    let d = s.inventory - s.reported;
                    view! {
                        <tr data-designation=s.designation.clone()>
                            <td><a href=Route::Designation(s.designation.clone()).href()>{s.name.clone()}</a>
                                <div class="muted small">{s.metrics.iter().filter(|(_, a, b)| (a - b).abs() > 0.005).map(|(id, a, b)| format!("{}: {a:.2} → {b:.2}", crate::scoring::metric_label(id))).collect::<Vec<_>>().join(" · ")}</div>
                            </td>
                            <td class="num">{format!("{:.2}", s.reported)}</td>
                            <td class="num">{format!("{:.2}", s.inventory)}</td>
                            <td class="num" class:up={d > 0.005} class:down={d < -0.005}>{if d.abs() < 0.005 { "—".to_owned() } else { format!("{d:+.2}") }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What the scores say a row puts at stake: its points (None: not measured) and the
/// designations they go to.
type Stake = (Option<f64>, Vec<crate::reconcile::DesignationPoints>);

#[component]
fn RowView(row: Row, scores: Signal<Option<Stake>>, scored: Memo<bool>) -> impl IntoView {
    let app = use_app();
    let acr = match (row.acr, row.acr_from) {
        (Some(v), None) => money(v),
        (Some(v), Some(m)) => format!("{} (as in {m})", money(v)),
        (None, _) => "unknown".into(),
    };
    // Points not measured with the scores are measured when the row is opened.
    let opened = RwSignal::new(None::<Stake>);
    let stake = move || opened.get().or_else(|| scores.get());
    let known_acr = row.acr.is_some();
    let (customer, subscription, month) =
        (row.customer.clone(), row.subscription.clone(), row.month);
    let measure = move || {
        let measured = opened.with_untracked(Option::is_some)
            || scores.with_untracked(|s| s.as_ref().is_some_and(|s| s.0.is_some()));
        if !known_acr || measured {
            return;
        }
        let found = app.workspace.with_untracked(|w| {
            let rules = crate::rules::rule_set(&w.rules)?;
            let only = crate::reconcile::RowPoints::Only(customer.clone(), subscription.clone());
            let r =
                crate::reconcile::reconcile_with(w, rules, month, w.judged_on(app.today), &only);
            r.rows
                .into_iter()
                .find(|x| x.customer == customer && x.subscription == subscription)
                .map(|x| (x.points_at_stake, x.at_stake))
        });
        if let Some(m) = found {
            opened.set(Some(m));
        }
    };
    let at_stake = move || match stake() {
        Some((Some(p), _)) if p > 0.005 => format!("+{p:.2}"),
        Some((Some(_), _)) => "—".into(),
        Some((None, _)) if known_acr => "open to measure".into(),
        None if !scored.get() => "…".into(),
        _ => "unknown".into(),
    };
    let more: Vec<crate::reconcile::Difference> = row.differences.iter().skip(1).cloned().collect();
    let gains = move || {
        stake()
            .map(|s| s.1)
            .unwrap_or_default()
            .iter()
            .map(|g| format!("+{:.2} {}", g.points, g.name))
            .collect::<Vec<_>>()
    };
    let style = class_style(row.class);
    view! {
        <details class=format!("card recon-row {style}") data-class=row.class.id() data-customer=row.customer.clone() data-subscription=row.subscription.to_string()
            on:toggle=move |_| measure()>
            <summary>
                <span class="who"><strong>{row.customer_name.clone()}</strong><span class="muted">{format!(" · {}", row.subscription_name)}</span>
                    <span class=format!("badge {style}")>{row.class.label()}</span>
                    {row.differences.first().and_then(|d| d.pending_until).map(|_| view! { <span class="badge info">"pending"</span> })}
                </span>
                <span class="assoc">{associations(&row.reported)}</span>
                <span class="assoc">{associations(&row.computed)}</span>
                <span class="num">{acr}</span>
                <span class="num stake">{at_stake}</span>
            </summary>
            <div class="recon-detail">
                <p class="message">{capitalise_first(&row.message)}</p>
                <p class="muted small">
                    {row.rule.map(|r| format!("Rule: {}", r.code()))}
                    {format!(" · tenant {} · subscription {}", row.tenant_id, row.subscription)}
                </p>
                {move || {
                    let g = gains();
                    (!g.is_empty()).then(|| view! { <p class="gains">{format!("Resolving it gives {}", g.join(", "))}</p> })
                }}
                {row.fix.clone().map(|f| view! { <FixDetails fix=f/> })}
                {(!more.is_empty()).then(|| view! {
                    <div class="more-differences">
                        <h4>"Also"</h4>
                        <ul>{more.into_iter().map(|d| view! { <li><span class=format!("badge {}", class_style(d.class))>{d.class.label()}</span> " " {capitalise_first(&d.message)} " — " <em>{d.fix.summary}</em></li> }).collect_view()}</ul>
                    </div>
                })}
                <p><a href=Route::Customer(row.customer.clone()).href()>{format!("Open {} →", row.customer_name)}</a></p>
            </div>
        </details>
    }
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
