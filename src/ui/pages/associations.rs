//! Associations: the customers × mechanisms matrix, the CPOR claims board and the CUA registry.

use crate::associations::{Mechanism, MechanismState, claims_board, cua_registry, matrix_of};
use crate::attribution::cua::CuaOutcome;
use crate::attribution::explain::sentence;
use crate::model::{ClaimStatus, money};
use crate::ui::form::{AddRecord, RecordActions};
use crate::ui::pages::editors;
use crate::ui::route::Route;
use crate::ui::state::use_app;
use leptos::prelude::*;

/// A matrix row ready to show: each cell's state and the sentence that explains it.
#[derive(Clone, PartialEq)]
struct Row {
    id: String,
    name: String,
    cells: Vec<(MechanismState, String)>,
}

/// A claim card ready to show.
#[derive(Clone, PartialEq)]
struct Card {
    customer_id: String,
    customer: String,
    claim: String,
    ours: bool,
    partner: String,
    covers: String,
    next: Option<String>,
}

#[component]
pub fn AssociationsPage() -> impl IntoView {
    let app = use_app();
    let data = Memo::new(move |_| {
        app.with_attributed(|ws, rules, prepared, _| {
            let today = ws.judged_on(app.today);
            let rows: Vec<Row> = matrix_of(ws, prepared, ws.as_of)
                .into_iter()
                .map(|r| {
                    let c = &ws.customers[r.customer];
                    let cells = r
                        .cells
                        .iter()
                        .map(|cell| {
                            (
                                cell.state,
                                cell.decision
                                    .as_ref()
                                    .map(|d| sentence(d, ws, c))
                                    .unwrap_or_else(|| format!("no {}", cell.mechanism.label())),
                            )
                        })
                        .collect();
                    Row {
                        id: c.id.to_string(),
                        name: c.name.clone(),
                        cells,
                    }
                })
                .collect();
            let claims = claims_board(ws, rules, today);
            let board: Vec<(String, Vec<Card>)> = [
                (ClaimStatus::Draft, "Draft"),
                (ClaimStatus::Submitted, "Submitted"),
                (ClaimStatus::UnderReview, "Under review"),
                (
                    ClaimStatus::PartnerActionRequired,
                    "Partner action required",
                ),
                (ClaimStatus::Disputed, "Disputed"),
                (ClaimStatus::Approved, "Approved"),
                (ClaimStatus::Rejected, "Rejected"),
                (ClaimStatus::RejectedFinal, "Rejected (final)"),
            ]
            .into_iter()
            .map(|(status, title)| {
                let cards = claims
                    .iter()
                    .filter(|k| k.status == status)
                    .cloned()
                    .map(|k| {
                        let customer = ws
                            .customer(&k.customer)
                            .map_or_else(|| k.customer.clone(), |c| c.name.clone());
                        let next = k.next.map(|(what, d)| match k.business_days_left {
                            _ if k.overdue => format!("{what} {d}: overdue"),
                            Some(n) if what != "dispute until" => format!(
                                "{what} {d} ({n} business day{} left)",
                                if n == 1 { "" } else { "s" }
                            ),
                            _ => format!("{what} {d}"),
                        });
                        Card {
                            customer_id: k.customer,
                            customer,
                            claim: k.claim,
                            ours: k.ours,
                            partner: ws.partner_name(&k.partner),
                            covers: format!("{} · since {}", k.covers, k.since),
                            next,
                        }
                    })
                    .collect::<Vec<_>>();
                (title.to_owned(), cards)
            })
            .filter(|(_, cards)| !cards.is_empty())
            .collect();
            let registry: Vec<_> = cua_registry(ws, ws.as_of)
                .into_iter()
                .map(|g| (ws.cua_guids.iter().position(|x| x.guid == g.guid), g))
                .collect();
            (rows, board, registry)
        })
    });
    view! {
        <section class="page associations-page">
            <h1>"Associations"</h1>
            <p class="lead">{move || app.workspace.with(|w| format!("How each customer is associated with {} in {}.", w.partner.name, w.as_of))}</p>
            {move || data.get().map(|(rows, board, registry)| view! {
                <h2>"Customers × mechanisms"</h2>
                <div class="legend"><span class="cell present">"present"</span><span class="cell broken">"broken"</span><span class="cell missing">"missing"</span></div>
                <table class="table assoc-matrix">
                    <thead><tr><th>"Customer"</th>{Mechanism::ALL.iter().map(|m| view! { <th class="center">{m.label()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <td><a href=Route::Customer(r.id).href()>{r.name}</a></td>
                                {r.cells.into_iter().map(|(state, why)| {
                                    let (class, label) = match state {
                                        MechanismState::Present => ("cell present", "present"),
                                        MechanismState::Broken => ("cell broken", "broken"),
                                        MechanismState::Missing => ("cell missing", "—"),
                                    };
                                    view! { <td class="center"><span class=class title=why.clone()>{label}</span></td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>"CPOR claims"</h2>
                <div class="board">
                    {board.into_iter().map(|(title, cards)| view! {
                        <div class="column">
                            <h3>{title} <span class="muted">{format!(" {}", cards.len())}</span></h3>
                            {cards.into_iter().map(|k| view! {
                                <div class="card claim" class:theirs=!k.ours>
                                    <div><a href=Route::Customer(k.customer_id).href()>{k.customer}</a></div>
                                    <div class="small">{k.claim} " · " {k.partner}</div>
                                    <div class="small muted">{k.covers}</div>
                                    {k.next.map(|n| view! { <div class="small deadline">{n}</div> })}
                                </div>
                            }).collect_view()}
                        </div>
                    }).collect_view()}
                </div>
                <h2>"CUA GUIDs"</h2>
                <p class="muted">"Customer usage attribution recognises ISV-influenced consumption; it is not part of the Partner Capability Score."</p>
                <table class="table">
                    <thead><tr><th>"GUID"</th><th>"Offer"</th><th>"Registered"</th><th>"Deployments"</th><th class="num">"Attributed this month"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                    <tbody>
                        {registry.into_iter().map(|(index, g)| view! {
                            <tr>
                                <td class="mono small">{g.guid.to_string()}</td>
                                <td>{g.offer}</td>
                                <td>{g.registered.map_or_else(|| "not registered".to_owned(), |d| d.to_string())}</td>
                                <td><ul class="plain">{g.deployments.into_iter().map(|(c, service, on, outcome, acr)| {
                                    let why = match outcome {
                                        CuaOutcome::Attributed => "attributed".to_owned(),
                                        CuaOutcome::Unregistered => "not attributed: GUID not registered".to_owned(),
                                        CuaOutcome::RegisteredAfterDeployment => "not attributed: registered after the deployment".to_owned(),
                                        CuaOutcome::NestedTemplateOnly => "not attributed: only in a nested template".to_owned(),
                                    };
                                    view! { <li>{format!("{service} at {c}, deployed {on} ({}): {why}", money(acr))}</li> }
                                }).collect_view()}</ul></td>
                                <td class="num">{money(g.attributed_acr)}</td>
                                <td class="row-actions">{index.map(|i| {
                                    let f = editors::cua_guid();
                                    view! { <RecordActions records=f.records fields=f.fields index=i dialog=true/> }
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {
                    let f = editors::cua_guid();
                    view! { <AddRecord records=f.records fields=f.fields template=f.template label="Register a CUA GUID"/> }
                }
            })}
        </section>
    }
}
