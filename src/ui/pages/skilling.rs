//! Skilling: people, their certifications and link status, and per designation the
//! step progress ("needs 1 more Azure Administrator Associate").

use crate::model::{Certification, Date};
use crate::rules::scoring::Calc;
use crate::scoring::{metric_label, skilling_progress};
use crate::ui::components::Problems;
use crate::ui::pages::dashboard::capitalise;
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn SkillingPage() -> impl IntoView {
    let app = use_app();
    view! {
        <section class="page skilling-page">
            <h1>"Skilling"</h1>
            <p class="lead">"Certifications count when the person's Microsoft Learn profile is linked to your Partner Center account and the certification is active on the month's last day."</p>
            <h2>"Progress by designation"</h2>
            <Progress/>
            <h2>"People"</h2>
            <NewPerson/>
            {move || app.workspace.with(|w| w.people.iter().map(|p| p.id.to_string()).collect::<Vec<_>>()).into_iter()
                .map(|id| view! { <PersonCard id=id/> }).collect_view()}
        </section>
    }
}

#[component]
fn Progress() -> impl IntoView {
    let app = use_app();
    let rows = Memo::new(move |_| {
        app.workspace.with(|ws| {
            let eval = app.evaluation.get();
            let Some(rules) = crate::rules::rule_set(&ws.rules) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for d in &rules.scoring.designations {
                // The counting track in the evaluated month.
                let track = eval
                    .as_ref()
                    .and_then(|e| e.designations.iter().find(|x| x.id == d.id))
                    .and_then(|x| x.track.clone())
                    .unwrap_or_else(|| "none".into());
                let Some(t) = d
                    .tracks
                    .iter()
                    .find(|t| t.track == track)
                    .or(d.tracks.first())
                else {
                    continue;
                };
                for m in &t.metrics {
                    if let Calc::Skilling { steps } = &m.calc {
                        out.push((
                            d.name.clone(),
                            track.clone(),
                            m.id.clone(),
                            skilling_progress(ws, rules, steps, ws.as_of),
                        ));
                    }
                }
            }
            out
        })
    });
    view! {
        <div class="grid progress">
            {move || rows.get().into_iter().map(|(designation, track, metric, steps)| view! {
                <div class="card">
                    <h3>{designation} <span class="muted small">{format!(" · {}{}", metric_label(&metric), if track == "none" { String::new() } else { format!(" · {} track", capitalise(&track)) })}</span></h3>
                    <ol class="steps">
                        {steps.into_iter().map(|s| {
                            let missing = s.missing();
                            let status = if s.scoring {
                                format!("{} × {:.2} points", s.holders.len(), s.points_per_person)
                            } else if missing == 0 { "complete".to_owned() } else { format!("needs {missing} more") };
                            view! {
                                <li class:done=missing == 0 class:scoring=s.scoring>
                                    <div><strong>{if s.scoring { "Scoring step" } else { "Prerequisite" }}</strong>
                                        <span class=if missing == 0 { "badge ok" } else { "badge bad" }>{status}</span></div>
                                    <div class="small muted">{s.certifications.join(" · ")}</div>
                                    <div class="small">{if s.holders.is_empty() { "Nobody yet".to_owned() } else { s.holders.join(", ") }}</div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </div>
            }).collect_view()}
        </div>
    }
}

#[component]
fn PersonCard(id: String) -> impl IntoView {
    let app = use_app();
    let pid = id.clone();
    let person = Memo::new(move |_| app.workspace.with(|w| w.person(&pid).cloned()));
    let problems = RwSignal::new(Vec::new());
    let cert = RwSignal::new(String::new());
    let earned = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let catalogue = move || {
        app.workspace.with(|w| {
            crate::rules::rule_set(&w.rules)
                .map(|r| r.certification_choices())
                .unwrap_or_default()
        })
    };
    let add_id = id.clone();
    let add = move |_| {
        let (c, e, x) = (cert.get(), earned.get(), expires.get());
        let Some(e) = Date::parse(&e) else {
            problems.set(vec![crate::model::Diagnostic {
                severity: crate::model::Severity::Error,
                path: "earned".into(),
                message: "choose the date it was earned".into(),
            }]);
            return;
        };
        let pid = add_id.clone();
        let name = app.workspace.with(|w| {
            crate::rules::rule_set(&w.rules)
                .map(|r| r.certification_name(&c))
                .unwrap_or_else(|| c.clone())
        });
        let result = app.apply(&format!("add {name}"), |w| {
            if let Some(p) = w.people.iter_mut().find(|p| p.id.as_str() == pid) {
                p.certifications.push(Certification {
                    cert: c,
                    earned: e,
                    expires: Date::parse(&x),
                    source: None,
                });
            }
        });
        if result.is_ok() {
            cert.set(String::new());
        }
        problems.set(result.err().unwrap_or_default());
    };
    let link_id = id.clone();
    move || {
        person.get().map(|p| {
        let link_id = link_id.clone();
        let linked = p.linked;
        view! {
            <article class="card person" data-person=p.id.to_string()>
                <div class="person-head">
                    <strong>{p.name.clone()}</strong>
                    {if linked { view! { <span class="badge ok">"Learn profile linked"</span> }.into_any() } else { view! { <span class="badge bad">"Not linked: certifications do not count"</span> }.into_any() }}
                    <label class="toggle">
                        <input type="checkbox" prop:checked=linked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let pid = link_id.clone();
                            let _ = app.apply(if on { "link a Learn profile" } else { "unlink a Learn profile" }, |w| {
                                if let Some(p) = w.people.iter_mut().find(|p| p.id.as_str() == pid) { p.linked = on; }
                            });
                        }/>
                        " linked to Partner Center"
                    </label>
                </div>
                <ul class="certs">
                    {p.certifications.iter().enumerate().map(|(ci, c)| {
                        let name = app.workspace.with(|w| crate::rules::rule_set(&w.rules).map(|r| r.certification_name(&c.cert)).unwrap_or_else(|| c.cert.clone()));
                        let retirement = app.workspace.with(|w| {
                            let today = w.judged_on(app.today);
                            crate::rules::rule_set(&w.rules).and_then(|r| r.retirement_status(&c.cert, today))
                        });
                        let retirement = retirement.map(|r| {
                            use crate::rules::RetirementStage::*;
                            let (class, text) = match r.stage {
                                Ended => ("badge bad", r.describe()),
                                Ending => ("badge warn", format!("{}: plan the replacement", r.describe())),
                                Counting => ("badge info", r.describe()),
                            };
                            view! { " " <span class=format!("{class} retirement")>{text}</span> }
                        });
                        let pid = p.id.to_string();
                        let label = name.clone();
                        view! {
                            <li>
                                <span>{name}</span>
                                <span class="muted small">{format!(" · earned {}{}", c.earned, c.expires.map(|e| format!(", expires {e}")).unwrap_or_default())}</span>
                                {retirement}
                                <button class="icon-button" aria-label=format!("Remove {label}") on:click=move |_| {
                                    let pid = pid.clone();
                                    let _ = app.apply(&format!("remove {label}"), |w| {
                                        if let Some(p) = w.people.iter_mut().find(|p| p.id.as_str() == pid) { p.certifications.remove(ci); }
                                    });
                                }>"×"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="add-cert">
                    <select aria-label=format!("Certification for {}", p.name) prop:value=move || cert.get() on:change=move |ev| cert.set(event_target_value(&ev))>
                        <option value="">"Add a certification…"</option>
                        {catalogue().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                    <label class="small">"earned " <input type="date" aria-label=format!("Earned date for {}", p.name) on:change=move |ev| earned.set(event_target_value(&ev))/></label>
                    <label class="small">"expires " <input type="date" aria-label=format!("Expiry date for {}", p.name) on:change=move |ev| expires.set(event_target_value(&ev))/></label>
                    <button class="button small primary" on:click=add.clone() disabled=move || cert.get().is_empty()>"Add"</button>
                </div>
                <Problems problems=problems/>
            </article>
        }
    })
    }
}

#[component]
fn NewPerson() -> impl IntoView {
    let app = use_app();
    let name = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::new());
    let add = move |_| {
        let n = name.get_untracked();
        let id: String = n
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let value = serde_json::json!({ "id": id, "name": n, "linked": true });
        let at = app
            .workspace
            .with_untracked(|w| format!("people[{}]", w.people.len()));
        let result =
            crate::validate::decode_record::<crate::model::Person>(&value.to_string(), &at)
                .and_then(|p| app.apply(&format!("add {}", p.name), |w| w.people.push(p)));
        if result.is_ok() {
            name.set(String::new());
        }
        problems.set(result.err().unwrap_or_default());
    };
    view! {
        <div class="add-cert new-person">
            <input type="text" placeholder="Full name" aria-label="New person's name" prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <button class="button" on:click=add disabled=move || name.get().trim().is_empty()>"Add a person"</button>
        </div>
        <Problems problems=problems/>
    }
}
