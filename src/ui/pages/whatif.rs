//! What-if: hypothetical changes over the real workspace, each switchable, with every
//! designation and metric before and after. Applying makes them real (with undo).

use crate::planner::Edit;
use crate::ui::components::ConfirmDialog;
use crate::ui::route::Route;
use crate::ui::state::use_app;
use crate::whatif::compare;
use leptos::prelude::*;

#[component]
pub fn WhatIfPage() -> impl IntoView {
    let app = use_app();
    let deltas = Memo::new(move |_| {
        let layer = app.whatif.get();
        let before = app.evaluation.get()?;
        app.workspace.with(|ws| {
            let rules = crate::rules::rule_set(&ws.rules)?;
            let after = crate::scoring::evaluate(&layer.overlay(ws, rules), rules);
            Some(compare(&before, &after))
        })
    });
    let confirm_apply = RwSignal::new(false);
    let enabled = move || app.whatif.with(|w| w.enabled().count());
    view! {
        <section class="page whatif-page">
            <h1>"What-if"</h1>
            <p class="lead">"Try changes without touching your data: switch each one on or off and compare every designation now and with the changes. Nothing here is in your workspace until you apply it."</p>
            <div class="whatif-grid">
                <div>
                    <h2>"Changes"</h2>
                    {move || {
                        let list = app.whatif.get().changes;
                        if list.is_empty() {
                            return view! { <p class="muted">"No changes yet. Add one below, or use “Add to what-if” in a designation's path to 70."</p> }.into_any();
                        }
                        view! {
                            <ul class="changes">
                                {list.into_iter().map(|c| {
                                    let id = c.id;
                                    view! {
                                        <li class:off=!c.enabled>
                                            <label class="change-toggle">
                                                <input type="checkbox" prop:checked=c.enabled
                                                    on:change=move |_| app.update_whatif(|w| w.toggle(id))/>
                                                <span>{c.label.clone()}</span>
                                            </label>
                                            <button class="icon-button" aria-label=format!("Remove: {}", c.label)
                                                on:click=move |_| app.update_whatif(|w| w.remove(id))>"×"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                    <NewChange/>
                    <div class="actions">
                        <button class="button primary" disabled=move || enabled() == 0
                            on:click=move |_| confirm_apply.set(true)>
                            {move || format!("Apply {} change{} to my workspace…", enabled(), if enabled() == 1 { "" } else { "s" })}
                        </button>
                        <button class="button" disabled=move || app.whatif.with(|w| w.changes.is_empty())
                            on:click=move |_| app.update_whatif(|w| w.changes.clear())>"Discard all"</button>
                    </div>
                </div>
                <div>
                    <h2>"Now and with the changes"</h2>
                    <table class="table whatif-table">
                        <thead><tr><th>"Designation"</th><th class="num">"Now"</th><th class="num">"With changes"</th><th class="num">"Change"</th></tr></thead>
                        {move || deltas.get().unwrap_or_default().into_iter().map(|d| {
                            let change = d.change();
                            let class = if change > 1e-9 { "num delta up" } else if change < -1e-9 { "num delta down" } else { "num delta" };
                            let badge = |q: bool| if q { view! { <span class="badge ok">"qualified"</span> }.into_any() } else { view! { <span class="badge">"not yet"</span> }.into_any() };
                            view! {
                                <tbody class="designation-delta" data-designation=d.designation.clone()>
                                    <tr class="total">
                                        <th scope="row"><a href=Route::Designation(d.designation.clone()).href()>{d.name.clone()}</a></th>
                                        <td class="num"><span class="before">{format!("{:.2}", d.before)}</span> {badge(d.qualified_before)}</td>
                                        <td class="num"><span class="after">{format!("{:.2}", d.after)}</span> {badge(d.qualified_after)}</td>
                                        <td class=class>{format!("{change:+.2}")}</td>
                                    </tr>
                                    {d.metrics.into_iter().filter(|m| (m.after - m.before).abs() > 1e-9).map(|m| view! {
                                        <tr class="metric">
                                            <td>{m.label}</td>
                                            <td class="num">{format!("{:.2}/{:.0}", m.before, m.max)}</td>
                                            <td class="num">{format!("{:.2}/{:.0}", m.after, m.max)}</td>
                                            <td class="num">{format!("{:+.2}", m.after - m.before)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            }
                        }).collect_view()}
                    </table>
                </div>
            </div>
            <ConfirmDialog
                open=confirm_apply
                title="Apply the switched-on changes?".into()
                message="They become part of your workspace (new customers and people are added with ids starting with “planned-”). You can undo this right after.".into()
                confirm_label="Apply".into()
                on_confirm=move || {
                    if let Err(p) = app.apply_whatif() {
                        app.notify(format!("Not applied: {}", p.first().map(|d| d.message.clone()).unwrap_or_default()), None);
                    }
                }
            />
        </section>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    NewCustomer,
    Grow,
    Pal,
    Dpor,
    Claim,
    Certify,
}

impl Kind {
    const ALL: [(Kind, &'static str, &'static str); 6] = [
        (Kind::NewCustomer, "new-customer", "A new customer"),
        (Kind::Grow, "grow", "Consumption growth on a customer"),
        (Kind::Pal, "pal", "A PAL link on an identity"),
        (Kind::Dpor, "dpor", "A DPOR request accepted"),
        (Kind::Claim, "claim", "A CPOR claim approved"),
        (Kind::Certify, "certify", "A person certified"),
    ];
}

/// The form for one new change: its kind, then the records it is about.
#[component]
fn NewChange() -> impl IntoView {
    let app = use_app();
    let kind = RwSignal::new(Kind::NewCustomer);
    let name = RwSignal::new(String::new());
    let designation = RwSignal::new("infrastructure_azure".to_owned());
    let size = RwSignal::new(String::from("5000"));
    let customer = RwSignal::new(String::new());
    let record = RwSignal::new(String::new());
    let percent = RwSignal::new(String::from("20"));
    let person = RwSignal::new(String::new());
    let cert = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let ws = app.workspace;
    let customers = move || {
        ws.with(|w| {
            w.customers
                .iter()
                .map(|c| (c.id.to_string(), c.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    // The records of the chosen customer that the chosen kind is about.
    let records = move || {
        let cid = customer.get();
        ws.with(|w| {
            let Some(c) = w.customer(&cid) else {
                return Vec::new();
            };
            match kind.get() {
                Kind::Pal => c
                    .identities
                    .iter()
                    .map(|i| (i.id.to_string(), i.name.clone()))
                    .collect(),
                Kind::Dpor => c
                    .subscriptions
                    .iter()
                    .map(|s| (s.id.to_string(), format!("{} ({})", s.name, s.id)))
                    .collect(),
                Kind::Claim => c
                    .cpor
                    .iter()
                    .filter(|k| w.is_our_location(&k.partner_id))
                    .map(|k| {
                        (
                            k.id.to_string(),
                            format!(
                                "{} · {}",
                                k.id,
                                k.current()
                                    .map(|e| e.status.as_str().replace('_', " "))
                                    .unwrap_or_default()
                            ),
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            }
        })
    };
    let designations = move || {
        ws.with(|w| {
            crate::rules::rule_set(&w.rules)
                .map(|r| {
                    r.scoring
                        .designations
                        .iter()
                        .map(|d| (d.id.clone(), d.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let certs = move || {
        ws.with(|w| {
            crate::rules::rule_set(&w.rules)
                .map(|r| r.certification_choices())
                .unwrap_or_default()
        })
    };
    let people = move || {
        ws.with(|w| {
            w.people
                .iter()
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let number = |s: RwSignal<String>| {
        s.get_untracked()
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let need = |v: String, what: &str| {
            if v.is_empty() {
                Err(format!("Choose {what}."))
            } else {
                Ok(v)
            }
        };
        let edit: Result<Edit, String> = match kind.get_untracked() {
            Kind::NewCustomer => {
                let n = name.get_untracked();
                match number(size) {
                    _ if n.trim().is_empty() => Err("Give the customer a name.".into()),
                    Some(v) if v > 0.0 => Ok(Edit::NewCustomer {
                        name: n,
                        designation: designation.get_untracked(),
                        size: v,
                    }),
                    _ => Err("The size must be a number above zero.".into()),
                }
            }
            Kind::Grow => {
                need(customer.get_untracked(), "a customer").and_then(|c| match number(percent) {
                    Some(p) if p > -100.0 => Ok(Edit::GrowCustomer {
                        customer: c,
                        percent: p,
                    }),
                    _ => Err("The growth must be a percentage above -100.".into()),
                })
            }
            Kind::Pal => need(customer.get_untracked(), "a customer").and_then(|c| {
                need(record.get_untracked(), "an identity").map(|i| Edit::AddPalLink {
                    customer: c,
                    identity: i,
                })
            }),
            Kind::Dpor => need(customer.get_untracked(), "a customer").and_then(|c| {
                need(record.get_untracked(), "a subscription")
                    .and_then(|s| {
                        crate::model::Guid::parse(&s)
                            .ok_or_else(|| "Choose a subscription.".to_owned())
                    })
                    .map(|s| Edit::SetDpor {
                        customer: c,
                        subscription: s,
                    })
            }),
            Kind::Claim => need(customer.get_untracked(), "a customer").and_then(|c| {
                need(record.get_untracked(), "a claim").map(|k| Edit::ApproveClaim {
                    customer: c,
                    claim: k,
                })
            }),
            Kind::Certify => need(person.get_untracked(), "a person").and_then(|p| {
                need(cert.get_untracked(), "a certification")
                    .map(|c| Edit::CertifyPerson { person: p, cert: c })
            }),
        };
        match edit {
            Ok(e) => {
                problem.set(None);
                app.add_whatif(e);
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    let options = |list: Vec<(String, String)>, placeholder: &'static str| {
        view! {
            <option value="">{placeholder}</option>
            {list.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
        }
    };
    view! {
        <form class="card new-change" on:submit=add>
            <h3>"Add a change"</h3>
            <label class="field"><span class="field-label">"Kind of change"</span>
                <select aria-label="Kind of change" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some((k, _, _)) = Kind::ALL.iter().find(|(_, id, _)| *id == v) { kind.set(*k); record.set(String::new()); }
                }>
                    {Kind::ALL.iter().map(|(_, id, label)| view! { <option value=*id>{*label}</option> }).collect_view()}
                </select>
            </label>
            {move || match kind.get() {
                Kind::NewCustomer => view! {
                    <label class="field"><span class="field-label">"Customer name"</span>
                        <input type="text" aria-label="Customer name" placeholder="Northwind Traders" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                    <label class="field"><span class="field-label">"Counting for"</span>
                        <select aria-label="Counting for" prop:value=move || designation.get() on:change=move |ev| designation.set(event_target_value(&ev))>
                            {designations().into_iter().map(|(v, l)| view! { <option value=v.clone() selected=v == designation.get_untracked()>{l}</option> }).collect_view()}
                        </select></label>
                    <label class="field"><span class="field-label">{move || crate::planner::size_unit(&designation.get())}</span>
                        <input type="number" min="0" step="any" aria-label="Size" prop:value=move || size.get() on:input=move |ev| size.set(event_target_value(&ev))/></label>
                }.into_any(),
                Kind::Grow => view! {
                    <label class="field"><span class="field-label">"Customer"</span>
                        <select aria-label="Customer" on:change=move |ev| customer.set(event_target_value(&ev))>{options(customers(), "Choose a customer…")}</select></label>
                    <label class="field"><span class="field-label">{move || format!("Growth in {} (%)", ws.with(|w| w.as_of))}</span>
                        <input type="number" step="any" aria-label="Growth (%)" prop:value=move || percent.get() on:input=move |ev| percent.set(event_target_value(&ev))/></label>
                }.into_any(),
                Kind::Pal | Kind::Dpor | Kind::Claim => {
                    let what = match kind.get() { Kind::Pal => "Identity", Kind::Dpor => "Subscription", _ => "Claim" };
                    view! {
                        <label class="field"><span class="field-label">"Customer"</span>
                            <select aria-label="Customer" on:change=move |ev| { customer.set(event_target_value(&ev)); record.set(String::new()); }>{options(customers(), "Choose a customer…")}</select></label>
                        <label class="field"><span class="field-label">{what}</span>
                            <select aria-label=what prop:value=move || record.get() on:change=move |ev| record.set(event_target_value(&ev))>
                                {move || options(records(), "Choose…")}
                            </select></label>
                    }.into_any()
                }
                Kind::Certify => view! {
                    <label class="field"><span class="field-label">"Person"</span>
                        <select aria-label="Person" on:change=move |ev| person.set(event_target_value(&ev))>{options(people(), "Choose a person…")}</select></label>
                    <label class="field"><span class="field-label">"Certification"</span>
                        <select aria-label="Certification" on:change=move |ev| cert.set(event_target_value(&ev))>{options(certs(), "Choose a certification…")}</select></label>
                }.into_any(),
            }}
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <div class="actions"><button type="submit" class="button">"Add to what-if"</button></div>
        </form>
    }
}
