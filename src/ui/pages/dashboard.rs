//! Dashboard: one card per designation, the rule set and month, and what needs fixing.

use crate::findings::FindingSeverity;
use crate::scoring::{DesignationScore, metric_label};
use crate::ui::route::Route;
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn Dashboard() -> impl IntoView {
    let app = use_app();
    let evaluation = app.evaluation;
    let qualified = move || {
        evaluation.with(|e| {
            e.as_ref().map_or((0, 0), |e| {
                (
                    e.designations.iter().filter(|d| d.qualified).count(),
                    e.designations.len(),
                )
            })
        })
    };
    let counts = move || {
        app.findings.with(|f| {
            let n = |s: FindingSeverity| f.iter().filter(|x| x.severity == s).count();
            (
                n(FindingSeverity::Error),
                n(FindingSeverity::Warning),
                n(FindingSeverity::Info),
            )
        })
    };
    view! {
        <section class="page dashboard">
            <div class="page-head">
                <div>
                    <h1>"Dashboard"</h1>
                    <p class="lead">
                        {move || { let (q, n) = qualified(); format!("{q} of {n} Solutions Partner designations qualify") }}
                        " · as of " {move || app.workspace.with(|w| w.as_of.to_string())}
                    </p>
                </div>
                <RulesAndMonth/>
            </div>
            <DataDated/>
            <a class="findings-strip" href=Route::Findings.href()>
                {move || {
                    let (e, w, i) = counts();
                    view! {
                        <span class="badge bad">{e} " to fix"</span>
                        <span class="badge warn">{w} " to check"</span>
                        <span class="badge info">{i} " for information"</span>
                        <span class="strip-text">"Broken or missing associations cost points you have already earned. See the findings →"</span>
                    }
                }}
            </a>
            <ReconciliationStrip/>
            {move || {
                let e = evaluation.get()?;
                let badges = app.workspace.with(|w| crate::rules::rule_set(&w.rules).map(|r| r.scoring.badges.clone())).unwrap_or_default();
                if badges.is_empty() {
                    return Some(view! {
                        <div class="grid cards">
                            {e.designations.into_iter().map(|d| view! { <DesignationCard d=d/> }).collect_view()}
                        </div>
                    }.into_any());
                }
                // Microsoft's customer-facing badges over the designations (display only).
                Some(badges.into_iter().map(|b| {
                    let ds: Vec<_> = b.designations.iter().filter_map(|id| e.designations.iter().find(|d| &d.id == id).cloned()).collect();
                    let q = ds.iter().filter(|d| d.qualified).count();
                    let n = ds.len();
                    view! {
                        <section class="badge-group" data-badge=b.id.clone() aria-label=b.name.clone()>
                            <h2 class="badge-title">{b.name.clone()}
                                <span class="badge-count" class:ok={q > 0}>{format!("{q} of {n} qualified")}</span>
                            </h2>
                            <div class="grid cards">
                                {ds.into_iter().map(|d| view! { <DesignationCard d=d/> }).collect_view()}
                            </div>
                        </section>
                    }
                }).collect_view().into_any())
            }}
        </section>
    }
}

/// When the data is older than the day deadlines are judged on, say so: the scores are those
/// of `as_of`, but a claim deadline or an expiry that has passed since shows as a finding.
#[component]
fn DataDated() -> impl IntoView {
    let app = use_app();
    let text = move || {
        let today = app.today?;
        let demo = app.slot.with(|s| s == crate::ui::state::DEMO_SLOT);
        app.workspace.with(|w| {
            let behind = w.months_behind(today);
            (behind > 0).then(|| {
                if demo {
                    format!(
                        "This demo is dated {as_of}: its data runs to {as_of}. Deadlines are judged as of today, {today}, so a claim deadline or a certification date that has passed since then shows as a finding.",
                        as_of = w.as_of
                    )
                } else {
                    format!(
                        "Your data runs to {as_of}, {behind} month{s} before the latest complete month. Scores are those of {as_of}; deadlines are judged as of today, {today}. Import newer Partner Center downloads to bring them up to date.",
                        as_of = w.as_of,
                        s = if behind == 1 { "" } else { "s" }
                    )
                }
            })
        })
    };
    move || text().map(|t| view! { <p class="notice info data-dated" role="note">{t}</p> })
}

/// The rule set and the evaluated month: visible and switchable.
#[component]
fn RulesAndMonth() -> impl IntoView {
    let app = use_app();
    view! {
        <div class="rules-month">
            <label>
                "Rule set"
                <select
                    aria-label="Rule set"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        app.set_rules(v);
                    }
                    prop:value=move || app.workspace.with(|w| w.rules.clone())
                >
                    {crate::rules::RULE_SET_IDS.iter().map(|id| view! { <option value=*id>{*id}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "As of"
                <input
                    type="month"
                    aria-label="As of month"
                    prop:value=move || app.workspace.with(|w| w.as_of.to_string())
                    on:change=move |ev| {
                        if let Some(m) = crate::model::Month::parse(&event_target_value(&ev)) {
                            app.workspace.update(|w| w.as_of = m);
                        }
                    }
                />
            </label>
        </div>
    }
}

#[component]
fn DesignationCard(d: DesignationScore) -> impl IntoView {
    let href = Route::Designation(d.id.clone()).href();
    let pct = d.score.clamp(0.0, 100.0);
    let status = if d.qualified {
        view! { <span class="badge ok">"Qualified"</span> }.into_any()
    } else {
        view! { <span class="badge bad">"Not qualified"</span> }.into_any()
    };
    let sub = match (&d.track, d.best_month) {
        (Some(t), Some(m)) => format!("{} track · best month {m}", capitalise(t)),
        (Some(t), None) => format!("{} track", capitalise(t)),
        (None, Some(m)) => format!("Best month {m}"),
        (None, None) => "No qualifying month in the window".to_owned(),
    };
    let trend: Vec<(String, f64, bool)> = d
        .counting
        .iter()
        .filter_map(|(m, _)| d.month(*m))
        .map(|tm| (tm.month.to_string(), tm.total, tm.qualified))
        .collect();
    let metrics = d.metrics().to_vec();
    view! {
        <article class="card designation" class:qualified=d.qualified data-designation=d.id.clone()>
            <header>
                <h2><a href=href.clone()>{d.name.clone()}</a></h2>
                {status}
            </header>
            <div class="score-line">
                <span class="score">{format!("{:.2}", d.score)}</span>
                <span class="of">" / 100"</span>
            </div>
            <ScoreBar pct=pct/>
            <p class="muted small">{sub}</p>
            <ul class="metrics">
                {metrics.into_iter().map(|m| {
                    let w = if m.max > 0.0 { (m.points / m.max * 100.0).clamp(0.0, 100.0) } else { 0.0 };
                    let zero = m.points <= 0.0;
                    view! {
                        <li class:zero=zero>
                            <span class="metric-name">{metric_label(&m.id).to_owned()}</span>
                            <span class="metric-bar"><span style=format!("width: {w:.1}%")></span></span>
                            <span class="metric-points">{format!("{:.2}", m.points)} <span class="muted">{format!("/{:.0}", m.max)}</span></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Trend points=trend/>
            <TopFixes id=d.id.clone()/>
            <a class="card-link" href=href>"See every metric and contributor →"</a>
        </article>
    }
}

/// A horizontal score bar with the 70-point line.
#[component]
pub fn ScoreBar(pct: f64) -> impl IntoView {
    view! {
        <svg class="score-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img"
            aria-label=format!("{pct:.0} of 100 points; 70 qualify")>
            <rect x="0" y="2" width="100" height="6" rx="3" class="track"/>
            <rect x="0" y="2" width=format!("{pct:.2}") height="6" rx="3" class={if pct >= 70.0 { "fill ok" } else { "fill" }}/>
            <line x1="70" x2="70" y1="0" y2="10" class="threshold"/>
        </svg>
    }
}

/// The six-month window as a small line chart, with the 70 line.
#[component]
fn Trend(points: Vec<(String, f64, bool)>) -> impl IntoView {
    let n = points.len().max(2) as f64;
    // 0 points at y = 40, 100 points at y = 6; the 70 line at y = 16.2.
    let xy = |i: usize, v: f64| {
        (
            14.0 + i as f64 * 272.0 / (n - 1.0),
            40.0 - v.clamp(0.0, 100.0) * 0.34,
        )
    };
    let path: String = points
        .iter()
        .enumerate()
        .map(|(i, (_, v, _))| {
            let (x, y) = xy(i, *v);
            format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" })
        })
        .collect();
    let label = points
        .iter()
        .map(|(m, v, _)| format!("{m}: {v:.1}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <svg class="trend" viewBox="0 0 300 56" role="img" aria-label=format!("Score by month: {label}")>
            <line x1="0" x2="300" y1="16.2" y2="16.2" class="threshold"/>
            <text x="296" y="13" class="axis" text-anchor="end">"70"</text>
            <path d=path class="line"/>
            {points.iter().enumerate().map(|(i, (m, v, q))| {
                let (x, y) = xy(i, *v);
                let short = m.get(5..).unwrap_or(m).to_owned();
                view! {
                    <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="3.2" class={if *q { "dot ok" } else { "dot" }}><title>{format!("{m}: {v:.2}")}</title></circle>
                    <text x=format!("{x:.1}") y="54" class="axis" text-anchor="middle">{short}</text>
                }
            }).collect_view()}
        </svg>
    }
}

/// When Partner Center's attribution is imported: what its differences with the tenants
/// put at stake this month, linking to the reconciliation.
#[component]
fn ReconciliationStrip() -> impl IntoView {
    let app = use_app();
    // Reconciled once the dashboard is drawn and again after each edit, in tasks of its own
    // (the strip comes a moment after the scores), only each class's total measured.
    let state = crate::ui::reconciling::reconciled(
        move || app.workspace.with(crate::reconcile::default_month),
        crate::reconcile::RowPoints::None,
    );
    // The last totals stay while an edit's are measured; none once no data is left.
    let result = Memo::new(move |last: Option<&Option<_>>| {
        state.with(|s| match s {
            crate::ui::reconciling::Reconciling::Scored(r) => {
                let rows = |c| r.summary_of(c).rows;
                Some((
                    r.month,
                    rows(crate::reconcile::Class::MissingCredit),
                    r.points_at_stake(),
                    rows(crate::reconcile::Class::OtherPartner),
                    rows(crate::reconcile::Class::Unexplained),
                ))
            }
            crate::ui::reconciling::Reconciling::NoData => None,
            _ => last.copied().flatten(),
        })
    });
    move || {
        result.get().map(|(m, missing, points, other, unexplained)| view! {
            <a class="card recon-strip" href=Route::Reconciliation.href()>
                <strong>{format!("Partner Center, {m}:")}</strong>
                <span class={if missing > 0 { "badge bad" } else { "badge ok" }}>{format!("{missing} missing credit")}</span>
                {(other > 0).then(|| view! { <span class="badge warn">{format!("{other} with another partner")}</span> })}
                {(unexplained > 0).then(|| view! { <span class="badge info">{format!("{unexplained} not explained by your tenants")}</span> })}
                <span class="strip-text">{format!("{points:.2} points at stake from missing credit. See the reconciliation →")}</span>
            </a>
        })
    }
}

/// A track or word with a capital first letter (`smb` is an acronym).
pub fn capitalise(s: &str) -> String {
    if s == "smb" {
        return "SMB".into();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The fixes that recover the most points for this designation (measured by the engine).
#[component]
fn TopFixes(id: String) -> impl IntoView {
    let app = use_app();
    let fixes = move || {
        app.fix_gains.with(|all| {
            let mut list: Vec<(f64, String)> = all
                .iter()
                .filter_map(|f| {
                    f.gains
                        .iter()
                        .find(|(d, _)| *d == id)
                        .map(|(_, g)| (*g, f.title.clone()))
                })
                .collect();
            list.sort_by(|a, b| b.0.total_cmp(&a.0));
            list.truncate(2);
            list
        })
    };
    move || {
        let list = fixes();
        (!list.is_empty()).then(|| {
            view! {
                <div class="top-fixes">
                    <span class="small muted">"Top fixes"</span>
                    <ul>
                        {list.into_iter().map(|(g, title)| view! {
                            <li><a href=Route::Findings.href()><span class="gain">{format!("+{g:.2}")}</span> {title}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
