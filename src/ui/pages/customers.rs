use crate::ui::route::Route;
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn CustomerList() -> impl IntoView {
    let app = use_app();
    let rows = move || {
        app.workspace.with(|w| {
            w.customers
                .iter()
                .map(|c| {
                    (
                        c.id.to_string(),
                        c.name.clone(),
                        c.tenant_id.to_string(),
                        c.segment.as_str(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="page">
            <h1>"Customers"</h1>
            <table class="table">
                <thead><tr><th>"Customer"</th><th>"Tenant"</th><th>"Segment"</th></tr></thead>
                <tbody>
                    <For each=rows key=|r| r.0.clone() let((id, name, tenant, segment))>
                        <tr>
                            <td><a href=Route::Customer(id).href()>{name}</a></td>
                            <td class="mono">{tenant}</td>
                            <td>{segment}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </section>
    }
}

#[component]
pub fn CustomerPage(id: String) -> impl IntoView {
    let app = use_app();
    let found = app.workspace.with(|w| {
        w.customer(&id)
            .map(|c| (c.name.clone(), c.tenant_id.to_string()))
    });
    match found {
        Some((name, tenant)) => view! {
            <section class="page">
                <p class="crumbs"><a href=Route::Customers.href()>"Customers"</a></p>
                <h1>{name}</h1>
                <p>"Tenant " <span class="mono">{tenant}</span></p>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="page">
                <h1>"No such customer"</h1>
                <p>"There is no customer with id " <code>{id}</code> " in this workspace. "
                    <a href=Route::Customers.href()>"All customers"</a></p>
            </section>
        }
        .into_any(),
    }
}
