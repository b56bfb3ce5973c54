//! Hash routing (`#/customers/fabrikam`): deep links work on any static host,
//! GitHub Pages sub-paths included, with no server rules.

use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Dashboard,
    Customers,
    Customer(String),
    Designation(String),
    Findings,
    WhatIf,
    Workshop,
    Scenario(String),
    Skilling,
    Associations,
    Reconciliation,
    Rules,
    Data,
    NotFound(String),
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] | ["dashboard"] => Route::Dashboard,
            ["customers"] => Route::Customers,
            ["customers", id] => Route::Customer(decode(id)),
            ["designations", id] => Route::Designation(decode(id)),
            ["findings"] => Route::Findings,
            ["what-if"] => Route::WhatIf,
            ["workshop"] => Route::Workshop,
            ["workshop", id] => Route::Scenario(decode(id)),
            ["skilling"] => Route::Skilling,
            ["rules"] => Route::Rules,
            ["associations"] => Route::Associations,
            ["reconciliation"] => Route::Reconciliation,
            ["data"] => Route::Data,
            _ => Route::NotFound(path.to_owned()),
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Dashboard => "#/".into(),
            Route::Customers => "#/customers".into(),
            Route::Customer(id) => format!("#/customers/{}", encode(id)),
            Route::Designation(id) => format!("#/designations/{}", encode(id)),
            Route::Findings => "#/findings".into(),
            Route::WhatIf => "#/what-if".into(),
            Route::Workshop => "#/workshop".into(),
            Route::Scenario(id) => format!("#/workshop/{}", encode(id)),
            Route::Skilling => "#/skilling".into(),
            Route::Rules => "#/rules".into(),
            Route::Associations => "#/associations".into(),
            Route::Reconciliation => "#/reconciliation".into(),
            Route::Data => "#/data".into(),
            Route::NotFound(p) => format!("#/{p}"),
        }
    }

    /// The navigation section this route belongs to (for the highlighted link).
    pub fn section(&self) -> &'static str {
        match self {
            Route::Dashboard | Route::Designation(_) | Route::NotFound(_) => "dashboard",
            Route::Findings => "findings",
            Route::WhatIf => "what-if",
            Route::Workshop | Route::Scenario(_) => "workshop",
            Route::Skilling => "skilling",
            Route::Rules => "rules",
            Route::Associations => "associations",
            Route::Reconciliation => "reconciliation",
            Route::Customers | Route::Customer(_) => "customers",
            Route::Data => "data",
        }
    }
}

/// Undo [`encode`]; text that is not a valid escape is kept as written.
fn decode(s: &str) -> String {
    percent_decode(s).unwrap_or_else(|| s.to_owned())
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The current route, following `hashchange`.
pub fn use_route() -> ReadSignal<Route> {
    let current = || Route::parse(&window().location().hash().unwrap_or_default());
    let (route, set_route) = signal(current());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(current());
        // A new page starts at the top, like a normal link.
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    on_cleanup(move || handle.remove());
    route
}
