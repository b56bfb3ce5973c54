//! Customers: a searchable, sortable list, and each customer with the reason every
//! usage line and workload counts or not; identities and their PAL links are editable.

use crate::attribution::explain::{products_of, scope_name, sentence};
use crate::attribution::{Prepared, summaries_of};
use crate::model::{Association, Customer, LinkTenant, PalLink, PartnerId, money};
use crate::ui::components::{ConfirmDialog, JsonEditor, Problems};
use crate::ui::form::{AddRecord, RecordActions, RecordForm};
use crate::ui::pages::dashboard::capitalise;
use crate::ui::pages::editors;
use crate::ui::route::Route;
use crate::ui::state::{Undo, use_app};
use leptos::prelude::*;

/// The list shows this many customers, and this many more at each "Show more": a partner
/// with thousands finds one by searching, and the page does not draw them all at once.
const LISTED: usize = 100;

/// A customer of the list, found and sorted.
#[derive(Clone, PartialEq)]
struct Row {
    customer: usize,
    credited: f64,
    findings: usize,
    associations: Vec<Association>,
}

#[derive(Clone, Copy, PartialEq)]
enum SortBy {
    Name,
    Credited,
    Findings,
}

#[component]
pub fn CustomerList() -> impl IntoView {
    let app = use_app();
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(SortBy::Name);
    let shown = RwSignal::new(LISTED);
    // Every customer that matches the search, sorted, without a string built: the list draws
    // the first `shown` of them, and only those are put in words.
    let rows = Memo::new(move |_| {
        let q = query.get().to_lowercase();
        let by = sort.get();
        // Findings per customer, counted once.
        let findings: std::collections::HashMap<String, usize> = app.findings.with(|all| {
            let mut n = std::collections::HashMap::new();
            for c in all.iter().filter_map(|f| f.customer.as_deref()) {
                *n.entry(c.to_owned()).or_insert(0) += 1;
            }
            n
        });
        app.with_attributed(|ws, _, _, att| {
            let matches = |c: &Customer| {
                q.is_empty()
                    || c.name.to_lowercase().contains(&q)
                    || c.id.as_str().contains(&q)
                    || c.tenant_id.to_string().contains(&q)
            };
            let mut rows: Vec<Row> = summaries_of(ws, att, ws.as_of)
                .into_iter()
                .filter(|s| matches(&ws.customers[s.customer]))
                .map(|s| Row {
                    findings: findings
                        .get(ws.customers[s.customer].id.as_str())
                        .copied()
                        .unwrap_or(0),
                    customer: s.customer,
                    credited: s.credited_acr,
                    associations: s.associations,
                })
                .collect();
            let name = |r: &Row| ws.customers[r.customer].name.as_str();
            match by {
                SortBy::Name => rows.sort_by(|a, b| name(a).cmp(name(b))),
                SortBy::Credited => rows.sort_by(|a, b| b.credited.total_cmp(&a.credited)),
                SortBy::Findings => {
                    rows.sort_by(|a, b| b.findings.cmp(&a.findings).then(name(a).cmp(name(b))))
                }
            }
            rows
        })
        .unwrap_or_default()
    });
    // The rows drawn, in words.
    let listed = move || {
        let k = shown.get();
        app.workspace.with(|ws| {
            let Some(rules) = crate::rules::rule_set(&ws.rules) else {
                return Vec::new();
            };
            rows.with(|all| {
                all.iter()
                    .take(k)
                    .filter_map(|r| {
                        let c = ws.customers.get(r.customer)?;
                        let assoc = r
                            .associations
                            .iter()
                            .map(|a| a.label())
                            .collect::<Vec<_>>()
                            .join(", ");
                        Some((
                            c.id.to_string(),
                            c.name.clone(),
                            c.tenant_id.to_string(),
                            products_of(c, rules).join(", "),
                            assoc,
                            r.credited,
                            r.findings,
                        ))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let header = move |label: &'static str, by: SortBy, class: &'static str| {
        view! {
            <th class=class aria-sort=move || if sort.get() == by { "descending" } else { "none" }>
                <button class="sort" on:click=move |_| sort.set(by)>{label}</button>
            </th>
        }
    };
    view! {
        <section class="page">
            <h1>"Customers"</h1>
            <p class="lead">{move || app.workspace.with(|w| format!("{} customers · credited in {}", w.customers.len(), w.as_of))}</p>
            <div class="list-tools">
                <input type="search" class="search" placeholder="Search by name, id or tenant" aria-label="Search customers"
                    on:input=move |ev| { query.set(event_target_value(&ev)); shown.set(LISTED); }/>
                <NewCustomer/>
            </div>
            <table class="table customers">
                <thead><tr>
                    {header("Customer", SortBy::Name, "")}
                    <th>"Tenant"</th><th>"Products"</th><th>"Associations"</th>
                    {header("Credited ACR", SortBy::Credited, "num")}
                    {header("Findings", SortBy::Findings, "num")}
                </tr></thead>
                <tbody>
                    <For each=listed key=|r| (r.0.clone(), r.4.clone(), r.5.to_bits(), r.6) let((id, name, tenant, products, assoc, credited, n))>
                        <tr>
                            <td><a href=Route::Customer(id).href()>{name}</a></td>
                            <td class="mono small">{tenant}</td>
                            <td>{products}</td>
                            <td>{if assoc.is_empty() { view! { <span class="badge bad">"none"</span> }.into_any() } else { view! { <span>{assoc}</span> }.into_any() }}</td>
                            <td class="num">{money(credited)}</td>
                            <td class="num">{if n > 0 { view! { <span class="badge warn">{n}</span> }.into_any() } else { view! { <span class="muted">"0"</span> }.into_any() }}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            {move || {
                let (n, k) = (rows.with(Vec::len), shown.get());
                (n > k).then(|| view! {
                    <p class="list-more">
                        <span class="muted">{format!("Showing {k} of {n} customers: search to find one, or")}</span>
                        <button class="button small" on:click=move |_| shown.update(|s| *s += LISTED)>{format!("Show {} more", (n - k).min(LISTED))}</button>
                    </p>
                })
            }}
        </section>
    }
}

#[component]
pub fn CustomerPage(id: String) -> impl IntoView {
    let app = use_app();
    let lookup = id.clone();
    let exists = move || app.workspace.with(|w| w.customer(&lookup).is_some());
    move || {
        if exists() {
            view! { <CustomerDetail id=id.clone()/> }.into_any()
        } else {
            view! {
                <section class="page">
                    <h1>"No such customer"</h1>
                    <p>"There is no customer with id " <code>{id.clone()}</code> " in this workspace. "
                        <a href=Route::Customers.href()>"All customers"</a></p>
                </section>
            }
            .into_any()
        }
    }
}

/// One explained item: a label, whether it counts, and every decision in words.
#[derive(Clone, PartialEq)]
struct Explained {
    label: String,
    detail: String,
    credited: bool,
    reasons: Vec<(bool, String)>,
}

/// Every usage line, workload and Power Platform resource of a customer, explained.
#[derive(Clone, PartialEq, Default)]
struct CustomerExplained {
    usage: Vec<Explained>,
    workloads: Vec<Explained>,
    resources: Vec<Explained>,
}

fn explain_customer(
    ws: &crate::model::Workspace,
    rules: &crate::rules::RuleSet,
    p: &Prepared,
    ci: usize,
) -> CustomerExplained {
    let c = &ws.customers[ci];
    let m = ws.as_of;
    let words = |ds: Vec<crate::attribution::Decision>| -> (bool, Vec<(bool, String)>) {
        (
            ds.iter().any(|d| d.credited),
            ds.iter()
                .map(|d| (d.credited, sentence(d, ws, c)))
                .collect(),
        )
    };
    let usage = c
        .usage
        .iter()
        .enumerate()
        .map(|(li, u)| {
            let (credited, reasons) = words(p.explain_line(ci, li, m));
            Explained {
                label: u.service.clone(),
                detail: format!(
                    "{} · {} in {m}",
                    scope_name(c, &u.scope),
                    money(u.acr.get(m))
                ),
                credited,
                reasons,
            }
        })
        .collect();
    let workloads = c
        .workloads
        .iter()
        .enumerate()
        .map(|(wi, w)| {
            let (credited, reasons) = words(p.explain_workload(ci, wi, m));
            let name = rules
                .workload(&w.workload)
                .map_or_else(|| w.workload.clone(), |i| i.name.clone());
            Explained {
                label: name,
                detail: format!(
                    "{} paid seats · {} active in {m}",
                    w.paid_seats.get(m),
                    w.active_users.get(m)
                ),
                credited,
                reasons,
            }
        })
        .collect();
    let resources = c
        .power_platform
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let (credited, reasons) = words(p.explain_resource(ci, ri, m));
            Explained {
                label: r.id.to_string(),
                detail: format!(
                    "{} · {} active users in {m}",
                    crate::ui::form::words(r.kind.as_str()),
                    r.active_users.get(m)
                ),
                credited,
                reasons,
            }
        })
        .collect();
    CustomerExplained {
        usage,
        workloads,
        resources,
    }
}

#[component]
fn CustomerDetail(id: String) -> impl IntoView {
    let app = use_app();
    let cid = id.clone();
    let index = Memo::new(move |_| {
        app.workspace
            .with(|w| w.customers.iter().position(|c| c.id.as_str() == cid))
    });
    let explained = Memo::new(move |_| {
        index
            .get()
            .and_then(|ci| {
                app.with_attributed(|ws, rules, prepared, _| {
                    explain_customer(ws, rules, prepared, ci)
                })
            })
            .unwrap_or_default()
    });
    let customer = Memo::new(move |_| {
        index
            .get()
            .and_then(|ci| app.workspace.with(|w| w.customers.get(ci).cloned()))
    });
    let confirm_delete = RwSignal::new(false);
    let edit_details = RwSignal::new(false);
    let del_id = id.clone();
    let findings_id = id.clone();
    let findings = move || {
        app.findings.with(|f| {
            f.iter()
                .filter(|x| x.customer.as_deref() == Some(findings_id.as_str()))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="page customer-page">
            <p class="crumbs"><a href=Route::Customers.href()>"Customers"</a></p>
            {move || customer.get().map(|c| view! {
                <div class="page-head">
                    <div>
                        <h1>{c.name.clone()}</h1>
                        <p class="lead">
                            <span class="mono">{c.tenant_id.to_string()}</span>
                            {format!(" · {} · {} cloud", if c.segment == crate::model::Segment::Smb { "SMB" } else { "Enterprise" }, c.cloud)}
                        </p>
                    </div>
                    <div class="actions">
                        <button class="button" aria-expanded=move || edit_details.get().to_string() on:click=move |_| edit_details.update(|o| *o = !*o)>"Edit details"</button>
                        <button class="button danger" on:click=move |_| confirm_delete.set(true)>"Delete customer…"</button>
                    </div>
                </div>
            })}
            {move || customer.get().map(|c| app.workspace.with(|w| {
                let rows = crate::import::provenance(w, &c);
                (!rows.is_empty()).then(|| view! {
                    <details class="provenance card">
                        <summary>"Where this customer's data came from"</summary>
                        <ul>{rows.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </details>
                })
            }))}
            {move || customer.get().and_then(|c| app.workspace.with(|w| {
                // The SMB carry-over rule: SMB-sized a year ago keeps the SMB path.
                let rules = crate::rules::rule_set(&w.rules)?;
                let carried = crate::scoring::carried_over(rules, &c, w.as_of);
                (!carried.is_empty()).then(|| view! {
                    <p class="notice info carry-over">
                        {carried.into_iter().map(|(d, t)| format!("Counted as {} for {d}: it was {} a year ago. ", capitalise(&t), capitalise(&t))).collect::<String>()}
                        <a href=Route::Rules.href()>"The carry-over rule"</a>
                    </p>
                })
            }))}
            {move || edit_details.get().then(|| {
                let index = index.get_untracked().unwrap_or_default();
                let initial = customer.get_untracked().map(|c| crate::ui::form::as_value(&c)).unwrap_or_default();
                view! { <RecordForm records=editors::customers() fields=editors::customer_fields() index=Some(index) initial=initial on_close=Callback::new(move |()| edit_details.set(false))/> }
            })}
            {move || {
                let f = findings();
                (!f.is_empty()).then(|| view! {
                    <div class="notice warning">
                        <strong>{format!("{} finding{} for this customer", f.len(), if f.len() == 1 { "" } else { "s" })}</strong>
                        <ul>{f.into_iter().map(|x| view! { <li>{x.message} " — " <em>{x.fix.summary}</em></li> }).collect_view()}</ul>
                        <a href=Route::Findings.href()>"Commands and emails to fix them →"</a>
                    </div>
                })
            }}
            <h2>"Azure consumption"</h2>
            <ExplainedList items=Signal::derive(move || explained.get().usage) empty="No Azure consumption recorded."
                form=Signal::derive(move || customer.get().map(|c| app.workspace.with(|w| editors::usage(w, &c))))
                add_label="Add a usage line"/>
            <h2>"Microsoft 365, Dynamics 365 and Power Platform"</h2>
            <ExplainedList items=Signal::derive(move || explained.get().workloads) empty="No workloads recorded."
                form=Signal::derive(move || customer.get().map(|c| app.workspace.with(|w| editors::workload(&c, crate::rules::rule_set(&w.rules)))))
                add_label="Add a workload"/>
            <h2>"Power Platform resources"</h2>
            <ExplainedList items=Signal::derive(move || explained.get().resources) empty="No Power Platform resources recorded."
                form=Signal::derive(move || customer.get().map(|c| editors::power_platform(&c)))
                add_label="Add a Power Platform resource"/>
            <h2>"Identities and PAL links"</h2>
            {move || customer.get().map(|c| view! { <Identities c=c/> })}
            <h2>"Subscriptions"</h2>
            {move || customer.get().map(|c| view! { <Subscriptions c=c/> })}
            <h2>"CPOR claims"</h2>
            {move || customer.get().map(|c| view! { <Claims c=c/> })}
            <h2>"All records as JSON"</h2>
            <JsonEditor
                label="Edit this customer's records (subscriptions, usage, workloads, identities, claims…) as JSON".into()
                initial=Signal::derive(move || customer.get().map(|c| crate::model::pretty::to_string_pretty(&c).unwrap_or_default()).unwrap_or_default())
                save=std::sync::Arc::new(move |text: String| {
                    let Some(ci) = index.get_untracked() else { return Ok(()) };
                    let c: Customer = crate::validate::decode_record(&text, &format!("customers[{ci}]"))?;
                    let name = c.name.clone();
                    app.apply(&format!("edit {name}"), |w| {
                        if let Some(slot) = w.customers.get_mut(ci) {
                            *slot = c;
                        }
                    })
                })
            />
            <ConfirmDialog
                open=confirm_delete
                title="Delete this customer?".into()
                message="The customer and everything recorded about it leave this workspace. You can undo this right after.".into()
                confirm_label="Delete customer".into()
                on_confirm=move || {
                    let id = del_id.clone();
                    let name = app.workspace.with(|w| w.customer(&id).map(|c| c.name.clone()).unwrap_or_default());
                    if app.apply(&format!("delete {name}"), |w| w.customers.retain(|c| c.id.as_str() != id)).is_ok() {
                        app.notify(format!("Deleted {name}."), Some(Undo::Edit));
                        let _ = window().location().set_hash(&Route::Customers.href());
                    }
                }
            />
        </section>
    }
}

#[component]
fn ExplainedList(
    items: Signal<Vec<Explained>>,
    empty: &'static str,
    form: Signal<Option<editors::Form>>,
    add_label: &'static str,
) -> impl IntoView {
    let list = move || {
        let list = items.get();
        if list.is_empty() {
            return view! { <p class="muted">{empty}</p> }.into_any();
        }
        let form = form.get();
        view! {
            <ul class="explained">
                {list.into_iter().enumerate().map(|(i, e)| view! {
                    <li class:credited=e.credited>
                        <div class="explained-head">
                            <span class=if e.credited { "badge ok" } else { "badge bad" }>{if e.credited { "counted" } else { "not counted" }}</span>
                            <strong>{e.label}</strong>
                            <span class="muted">{e.detail}</span>
                        </div>
                        <ul class="reasons">
                            {e.reasons.into_iter().map(|(ok, text)| view! { <li class:ok=ok>{text}</li> }).collect_view()}
                        </ul>
                        {form.clone().map(|f| view! { <RecordActions records=f.records fields=f.fields index=i/> })}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        {move || form.get().map(|f| view! { <AddRecord records=f.records fields=f.fields template=f.template label=add_label/> })}
    }
}

#[component]
fn Identities(c: Customer) -> impl IntoView {
    let app = use_app();
    let customer_id = c.id.to_string();
    let partners = app.workspace.with(|w| {
        let mut v: Vec<(String, String)> = w
            .partner
            .locations
            .iter()
            .map(|l| (l.id.to_string(), format!("{} ({})", l.name, l.id)))
            .collect();
        if let Some(g) = &w.partner.global_id {
            v.push((
                g.to_string(),
                format!("{} global ID ({g}) — not recognised", w.partner.name),
            ));
        }
        v.extend(
            w.other_partners
                .iter()
                .map(|p| (p.id.to_string(), format!("{} ({})", p.name, p.id))),
        );
        v
    });
    let form = app.workspace.with(|w| editors::identity(w, &c));
    let add = form.clone();
    let problems = RwSignal::new(Vec::new());
    view! {
        {c.identities.is_empty().then(|| view! { <p class="muted">"No identities recorded. Add the accounts your team uses in this tenant to see what PAL credits."</p> })}
        <Problems problems=problems/>
        <div class="identity-list">
            {c.identities.iter().enumerate().map(|(ii, idn)| {
                let roles = idn.roles.iter().map(|r| format!("{}{} on {}", r.role, if r.eligible_only { " (eligible only)" } else { "" }, scope_name(&c, &r.scope))).collect::<Vec<_>>();
                let state = format!("{:?}", idn.state).to_lowercase();
                view! {
                    <div class="card identity" data-identity=idn.id.to_string()>
                        <div class="identity-head">
                            <strong>{idn.name.clone()}</strong>
                            <span class="muted">{format!(" · {} · {state}", idn.kind.as_str().replace('_', " "))}</span>
                            {idn.admin_agents.then(|| view! { <span class="badge warn">"Admin Agents"</span> })}
                        </div>
                        <p class="small">{if roles.is_empty() { "No Azure role".to_owned() } else { roles.join("; ") }}</p>
                        {idn.pal.iter().enumerate().map(|(li, link)| view! {
                            <PalLinkEditor customer=customer_id.clone() identity=ii link_index=li link=link.clone() partners=partners.clone() problems=problems/>
                        }).collect_view()}
                        {idn.pal.is_empty().then(|| {
                            let cid = customer_id.clone();
                            view! {
                                <button class="button small" on:click=move |_| {
                                    let cid = cid.clone();
                                    let result = app.apply("add a PAL link", |w| {
                                        let as_of = w.as_of;
                                        let loc = w.partner.locations.first().map(|l| l.id.clone());
                                        if let (Some(c), Some(loc)) = (w.customers.iter_mut().find(|c| c.id.as_str() == cid), loc) {
                                            c.identities[ii].pal.push(PalLink { partner_id: loc, from: as_of.first_day(), to: None, tenant: LinkTenant::Customer, source: None });
                                        }
                                    });
                                    problems.set(result.err().unwrap_or_default());
                                }>"Add a PAL link"</button>
                            }
                        })}
                        <RecordActions records=form.records.clone() fields=form.fields.clone() index=ii/>
                    </div>
                }
            }).collect_view()}
        </div>
        <AddRecord records=add.records fields=add.fields template=add.template label="Add an identity"/>
    }
}

#[component]
fn PalLinkEditor(
    customer: String,
    identity: usize,
    link_index: usize,
    link: PalLink,
    partners: Vec<(String, String)>,
    problems: RwSignal<Vec<crate::model::Diagnostic>>,
) -> impl IntoView {
    let app = use_app();
    let current = link.partner_id.to_string();
    let edit = move |label: &str, f: Box<dyn FnOnce(&mut PalLink)>| {
        let cid = customer.clone();
        let result = app.apply(label, |w| {
            if let Some(l) = w
                .customers
                .iter_mut()
                .find(|c| c.id.as_str() == cid)
                .and_then(|c| c.identities.get_mut(identity))
                .and_then(|i| i.pal.get_mut(link_index))
            {
                f(l);
            }
        });
        problems.set(result.err().unwrap_or_default());
    };
    let edit2 = edit.clone();
    view! {
        <div class="pal-link">
            <label>"PAL partner ID"
                <select aria-label="PAL partner ID" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(id) = PartnerId::parse(&v) {
                        edit("change the PAL partner ID", Box::new(move |l| l.partner_id = id));
                    }
                }>
                    {partners.into_iter().map(|(id, label)| {
                        let selected = id == current;
                        view! { <option value=id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Linked in"
                <select aria-label="Linked in" on:change=move |ev| {
                    let tenant = if event_target_value(&ev) == "home" { LinkTenant::Home } else { LinkTenant::Customer };
                    edit2("change where the link was made", Box::new(move |l| l.tenant = tenant));
                }>
                    <option value="customer" selected=link.tenant == LinkTenant::Customer>"the customer's tenant"</option>
                    <option value="home" selected=link.tenant == LinkTenant::Home>"our own tenant"</option>
                </select>
            </label>
            <span class="muted small">{format!("since {}", link.from)}</span>
        </div>
    }
}

#[component]
fn Subscriptions(c: Customer) -> impl IntoView {
    let app = use_app();
    let form = app.workspace.with(|w| editors::subscription(w, &c));
    let add = form.clone();
    let name = move |id: &PartnerId| app.workspace.with(|w| w.partner_name(id));
    view! {
        {if c.subscriptions.is_empty() {
            view! { <p class="muted">"No subscriptions recorded."</p> }.into_any()
        } else { view! {
        <table class="table subscriptions">
            <thead><tr><th>"Subscription"</th><th>"Product"</th><th>"Offer"</th><th>"CSP"</th><th>"DPOR history"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
            <tbody>
                {c.subscriptions.iter().enumerate().map(|(i, s)| view! {
                    <tr>
                        <td>{s.name.clone()}<br/><span class="mono small muted">{s.id.to_string()}</span></td>
                        <td>{s.product.label()}</td>
                        <td>{s.offer.as_str().replace('_', " ")}{s.moved_to_azure_plan.map(|d| format!(" (moved to the Azure plan {d})"))}
                            {s.offer_assumed.then(|| view! { <br/><span class="badge warn" title="The imported files do not say this subscription's offer: it is scored as this until you check it">"assumed: review"</span> })}</td>
                        <td>{s.csp.as_ref().map(|x| format!("tier {} · {}", x.tier.number(), name(&x.partner_id))).unwrap_or_else(|| "—".into())}</td>
                        <td>{if s.dpor.is_empty() { "—".to_owned() } else {
                            s.dpor.iter().map(|d| format!("{} from {}{}", name(&d.partner_id), d.from, d.to.map(|t| format!(" to {t}")).unwrap_or_default())).collect::<Vec<_>>().join("; ")
                        }}</td>
                        <td class="row-actions"><RecordActions records=form.records.clone() fields=form.fields.clone() index=i dialog=true/></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        }.into_any() }}
        <AddRecord records=add.records fields=add.fields template=add.template label="Add a subscription"/>
    }
}

/// A small form for a new customer; everything else is added on its page.
#[component]
fn NewCustomer() -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let tenant = RwSignal::new(String::new());
    let segment = RwSignal::new("enterprise".to_owned());
    let problems = RwSignal::new(Vec::new());
    let create = move |_| {
        let (n, t) = (name.get_untracked(), tenant.get_untracked());
        let value = serde_json::json!({ "id": crate::model::slug(&n), "name": n, "tenant_id": t.trim(), "segment": segment.get_untracked(), "cloud": "public" });
        let at = app
            .workspace
            .with_untracked(|w| format!("customers[{}]", w.customers.len()));
        let result =
            crate::validate::decode_record::<Customer>(&value.to_string(), &at).and_then(|c| {
                let id = c.id.to_string();
                app.apply(&format!("add {}", c.name), |w| w.customers.push(c))
                    .map(|()| id)
            });
        match result {
            Ok(id) => {
                open.set(false);
                problems.set(Vec::new());
                let _ = window().location().set_hash(&Route::Customer(id).href());
            }
            Err(p) => problems.set(p),
        }
    };
    view! {
        <button class="button" on:click=move |_| open.update(|o| *o = !*o)>"Add a customer"</button>
        <Show when=move || open.get()>
            <div class="card new-record">
                <label>"Name" <input type="text" aria-label="Customer name" on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label>"Tenant ID" <input type="text" aria-label="Tenant ID" placeholder="00000000-0000-0000-0000-000000000000" on:input=move |ev| tenant.set(event_target_value(&ev))/></label>
                <label>"Segment"
                    <select aria-label="Segment" on:change=move |ev| segment.set(event_target_value(&ev))>
                        <option value="enterprise">"Enterprise"</option>
                        <option value="smb">"SMB"</option>
                    </select>
                </label>
                <button class="button primary" on:click=create>"Create"</button>
                <Problems problems=problems/>
            </div>
        </Show>
    }
}

/// The claims on this customer (ours and other partners'), with their status history and
/// a form to record the next status change.
#[component]
fn Claims(c: Customer) -> impl IntoView {
    use crate::model::{ClaimEvent, ClaimStatus, Date};
    let app = use_app();
    let form = app.workspace.with(|w| editors::claim(w, &c));
    let add = form.clone();
    let customer_id = c.id.to_string();
    view! {
        {c.cpor.is_empty().then(|| view! { <p class="muted">"No claims recorded."</p> })}
        <div class="claims">
            {c.cpor.iter().enumerate().map(|(ki, k)| {
                let partner = app.workspace.with(|w| w.partner_name(&k.partner_id));
                let ours = app.workspace.with(|w| w.is_our_location(&k.partner_id));
                let covers = if k.workloads.is_empty() { k.subscription.as_ref().map(|s| s.to_string()).unwrap_or_default() } else { k.workloads.join(", ") };
                let history = k.history.iter().map(|e| format!("{} {}", e.status.as_str().replace('_', " "), e.on)).collect::<Vec<_>>().join(" → ");
                let status = RwSignal::new(String::new());
                let on = RwSignal::new(String::new());
                let problems = RwSignal::new(Vec::new());
                let (cid, kid) = (customer_id.clone(), k.id.to_string());
                let label = format!("status for claim {}", k.id);
                let add = move |_| {
                    let (Some(st), Some(day)) = (ClaimStatus::parse(&status.get_untracked()), Date::parse(&on.get_untracked())) else {
                        problems.set(vec![crate::model::Diagnostic { severity: crate::model::Severity::Error, path: String::new(), message: "choose a status and its date".into() }]);
                        return;
                    };
                    let (cid, kid) = (cid.clone(), kid.clone());
                    let result = app.apply(&format!("record {} on claim {kid}", st.as_str().replace('_', " ")), |w| {
                        if let Some(k) = w.customers.iter_mut().find(|c| c.id.as_str() == cid).and_then(|c| c.cpor.iter_mut().find(|k| k.id.as_str() == kid)) {
                            k.history.push(ClaimEvent { status: st, on: day });
                        }
                    });
                    problems.set(result.err().unwrap_or_default());
                };
                view! {
                    <div class="card claim-detail" class:theirs=!ours data-claim=k.id.to_string()>
                        <div><strong>{k.id.to_string()}</strong> <span class="muted">{format!(" · {partner} · {} · {covers}", k.area.as_str().replace('_', " "))}</span></div>
                        <div class="small">{history}</div>
                        {(!k.poe.is_empty()).then(|| view! { <div class="small muted">{format!("Proof of execution: {}", k.poe.join("; "))}</div> })}
                        {ours.then(|| view! {
                            <div class="add-cert">
                                <select aria-label=format!("New {label}") on:change=move |ev| status.set(event_target_value(&ev))>
                                    <option value="">"Record a status change…"</option>
                                    {ClaimStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.as_str().replace('_', " ")}</option> }).collect_view()}
                                </select>
                                <input type="date" aria-label=format!("Date of the {label}") on:change=move |ev| on.set(event_target_value(&ev))/>
                                <button class="button small primary" on:click=add>"Record"</button>
                            </div>
                        })}
                        <Problems problems=problems/>
                        <RecordActions records=form.records.clone() fields=form.fields.clone() index=ki/>
                    </div>
                }
            }).collect_view()}
        </div>
        <AddRecord records=add.records fields=add.fields template=add.template label="Add a claim"/>
    }
}
