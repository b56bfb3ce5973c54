//! Findings: what is broken or missing, and the exact fix, filterable.

use crate::findings::{Finding, FindingSeverity, Fix};
use crate::ui::components::{CopyButton, Copyable};
use crate::ui::route::Route;
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn FindingsPage() -> impl IntoView {
    let app = use_app();
    let severity = RwSignal::new(String::new());
    let customer = RwSignal::new(String::new());
    let mechanism = RwSignal::new(String::new());
    let shown = move || {
        app.findings.with(|all| {
            all.iter()
                .filter(|f| severity.with(|s| s.is_empty() || f.severity.as_str() == s))
                .filter(|f| {
                    customer.with(|c| c.is_empty() || f.customer.as_deref() == Some(c.as_str()))
                })
                .filter(|f| {
                    mechanism.with(|m| {
                        m.is_empty()
                            || f.mechanism.map(|a| a.as_str()) == Some(m.as_str())
                            || (m == "other" && f.mechanism.is_none())
                    })
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let customers = move || {
        app.workspace.with(|w| {
            w.customers
                .iter()
                .map(|c| (c.id.to_string(), c.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="page findings-page">
            <h1>"Findings"</h1>
            <p class="lead">"Broken or missing associations, claims that need action and skilling gaps — each with the exact fix. Commands are for you to run; PCS Workbench never runs anything."</p>
            <div class="filters">
                <label>"Severity"
                    <select on:change=move |ev| severity.set(event_target_value(&ev))>
                        <option value="">"All"</option>
                        <option value="error">"Errors"</option>
                        <option value="warning">"Warnings"</option>
                        <option value="info">"Information"</option>
                    </select>
                </label>
                <label>"Customer"
                    <select on:change=move |ev| customer.set(event_target_value(&ev))>
                        <option value="">"All"</option>
                        {move || customers().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Mechanism"
                    <select on:change=move |ev| mechanism.set(event_target_value(&ev))>
                        <option value="">"All"</option>
                        <option value="pal">"PAL"</option>
                        <option value="dpor">"DPOR"</option>
                        <option value="cpor">"CPOR"</option>
                        <option value="other">"Skilling, CUA, other"</option>
                    </select>
                </label>
                <span class="muted">{move || format!("{} shown", shown().len())}</span>
            </div>
            <div class="finding-list">
                {move || {
                    let list = shown();
                    if list.is_empty() {
                        view! { <p class="empty">"Nothing to fix here."</p> }.into_any()
                    } else {
                        list.into_iter().map(|f| view! { <FindingCard f=f/> }).collect_view().into_any()
                    }
                }}
            </div>
        </section>
    }
}

#[component]
fn FindingCard(f: Finding) -> impl IntoView {
    let app = use_app();
    let (class, label) = match f.severity {
        FindingSeverity::Error => ("bad", "Error"),
        FindingSeverity::Warning => ("warn", "Warning"),
        FindingSeverity::Info => ("info", "Info"),
    };
    let customer = f.customer.clone().map(|id| {
        let name = app.workspace.with(|w| {
            w.customer(&id)
                .map_or_else(|| id.clone(), |c| c.name.clone())
        });
        view! { <a href=Route::Customer(id).href()>{name}</a> }
    });
    view! {
        <article class="card finding" data-code=f.code>
            <header>
                <span class=format!("badge {class}")>{label}</span>
                <code class="code">{f.code}</code>
                {customer}
            </header>
            <p class="message">{f.message.clone()}</p>
            <FixDetails fix=f.fix/>
        </article>
    }
}

/// A fix in full: what to do, the deadline, where to click, and each command, link, e-mail
/// and snippet with a copy button (the findings and the reconciliation show the same).
#[component]
pub fn FixDetails(fix: Fix) -> impl IntoView {
    view! {
        <p class="fix"><strong>"Fix: "</strong>{fix.summary.clone()}</p>
        {fix.deadline.map(|d| view! { <p class="deadline">"Deadline: " <strong>{d.to_string()}</strong></p> })}
        {fix.portal_path.clone().map(|p| view! { <p class="muted">{p}</p> })}
        {fix.commands.iter().map(|c| view! { <Copyable title=c.shell.to_owned() text=c.text.clone()/> }).collect_view()}
        {fix.link.clone().map(|l| {
            let (copy, href) = (l.clone(), l.clone());
            view! {
                <div class="copyable">
                    <div class="copy-head"><span>"DPOR link for the customer"</span><CopyButton text=copy/></div>
                    <a class="mono break" href=href target="_blank" rel="noopener noreferrer">{l}</a>
                </div>
            }
        })}
        {fix.email.clone().map(|e| view! { <Copyable title="Email to the customer".to_owned() text=e/> })}
        {fix.snippet.clone().map(|s| view! { <Copyable title="Template snippet".to_owned() text=s/> })}
    }
}
