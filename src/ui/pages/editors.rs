//! The fields of each record's form, and where each list of records sits.
//!
//! Choices come from the workspace (partner IDs, people, scopes) and the rule set's
//! catalogues (workloads); the rules themselves stay in the engine.

use crate::model::{
    ClaimArea, ClaimRole, ClaimStatus, Cloud, Customer, DeployVia, IdentityKind, IdentityState,
    LinkTenant, Offer, PowerPlatformKind, Product, Segment, SubscriptionStatus, Workspace,
};
use crate::ui::form::{Field, Records, words};
use serde_json::{Value, json};
use std::sync::Arc;

/// Every partner ID the workspace names: our locations, our global ID (marked as not
/// earning credit) and other partners.
fn partners(w: &Workspace) -> Vec<(Value, String)> {
    let mut v: Vec<(Value, String)> = w
        .partner
        .locations
        .iter()
        .map(|l| (Value::from(l.id.as_str()), format!("{} ({})", l.name, l.id)))
        .collect();
    if let Some(g) = &w.partner.global_id {
        v.push((
            Value::from(g.as_str()),
            format!("{} global ID ({g}) — earns no credit", w.partner.name),
        ));
    }
    v.extend(
        w.other_partners
            .iter()
            .map(|p| (Value::from(p.id.as_str()), format!("{} ({})", p.name, p.id))),
    );
    v
}

/// The scopes people pick from: the tenant root, each subscription and the resource
/// groups already used in this customer.
fn scopes(c: &Customer) -> Vec<String> {
    let mut v = vec!["/".to_owned()];
    v.extend(
        c.subscriptions
            .iter()
            .map(|s| format!("/subscriptions/{}", s.id)),
    );
    v.extend(c.usage.iter().map(|u| u.scope.to_string()));
    v.extend(
        c.identities
            .iter()
            .flat_map(|i| i.roles.iter().map(|r| r.scope.to_string())),
    );
    v.sort();
    v.dedup();
    v
}

fn subscriptions(c: &Customer) -> Vec<(Value, String)> {
    c.subscriptions
        .iter()
        .map(|s| (Value::from(s.id.as_str()), format!("{} ({})", s.name, s.id)))
        .collect()
}

fn identities(c: &Customer) -> Vec<String> {
    c.identities.iter().map(|i| i.id.to_string()).collect()
}

#[derive(Clone)]
pub struct Form {
    pub records: Records,
    pub fields: Arc<Vec<Field>>,
    pub template: Value,
}

pub fn subscription(w: &Workspace, c: &Customer) -> Form {
    let partner_choices = partners(w);
    Form {
        records: Records::of_customer(
            c.id.as_str(),
            "subscriptions",
            "subscription",
            |c| &c.subscriptions,
            |c| &mut c.subscriptions,
        ),
        fields: Arc::new(vec![
            Field::guid("id", "Subscription ID"),
            Field::text("name", "Name"),
            Field::choice_of(
                "product",
                "Product",
                Product::ALL,
                |p| p.label().to_owned(),
                Product::as_str,
            ),
            Field::choice_of(
                "offer",
                "Offer",
                Offer::ALL,
                |o| words(o.as_str()),
                Offer::as_str,
            ),
            Field::flag(
                "offer_assumed",
                "Offer assumed by an import (untick once you have checked it)",
            ),
            Field::choice_of(
                "status",
                "Status",
                SubscriptionStatus::ALL,
                |s| words(s.as_str()),
                SubscriptionStatus::as_str,
            ),
            Field::date("created", "Created").optional(),
            Field::date("moved_to_azure_plan", "Moved to the Azure plan").optional(),
            Field::choice("csp.partner_id", "CSP partner", partner_choices.clone()).optional(),
            Field::choice(
                "csp.tier",
                "CSP tier",
                vec![
                    (json!(1), "Tier 1 (direct bill)".into()),
                    (json!(2), "Tier 2 (indirect provider)".into()),
                ],
            )
            .optional(),
            Field::choice("csp.reseller_id", "CSP reseller", partner_choices.clone()).optional(),
            Field::rows(
                "dpor",
                "Digital Partner of Record history",
                vec![
                    Field::choice("partner_id", "Partner", partner_choices),
                    Field::date("from", "From"),
                    Field::date("to", "Until").optional(),
                ],
                json!({ "from": w.as_of.first_day() }),
                "Add a DPOR period",
            ),
        ]),
        template: json!({ "product": "azure", "offer": "azure_plan", "status": "active" }),
    }
}

pub fn usage(w: &Workspace, c: &Customer) -> Form {
    // Every service name used in the workspace, once (a large partner has a few dozen
    // names over a hundred thousand lines: none copied until found unique).
    let used: std::collections::HashSet<&str> = w
        .customers
        .iter()
        .flat_map(|c| c.usage.iter().map(|u| u.service.as_str()))
        .collect();
    let mut services: Vec<String> = used.into_iter().map(str::to_owned).collect();
    services.sort();
    let guids: Vec<String> = w.cua_guids.iter().map(|g| g.guid.to_string()).collect();
    Form {
        records: Records::of_customer(
            c.id.as_str(),
            "usage",
            "usage line",
            |c| &c.usage,
            |c| &mut c.usage,
        ),
        fields: Arc::new(vec![
            Field::text("scope", "Scope")
                .suggest(scopes(c))
                .placeholder("/subscriptions/<id>/resourceGroups/<group>"),
            Field::text("service", "Service").suggest(services),
            Field::date("created", "Resource created").optional(),
            Field::text("deployed_with.guid", "Deployed with CUA GUID")
                .optional()
                .suggest(guids),
            Field::choice_of(
                "deployed_with.via",
                "Deployed via",
                DeployVia::ALL,
                |d| words(d.as_str()),
                DeployVia::as_str,
            )
            .optional(),
            Field::date("deployed_with.on", "Deployed on").optional(),
            Field::series("acr", "Azure consumed revenue per month (USD)"),
        ]),
        template: json!({ "scope": c.subscriptions.first().map(|s| format!("/subscriptions/{}", s.id)).unwrap_or_default(), "acr": {} }),
    }
}

pub fn workload(c: &Customer, rules: Option<&crate::rules::RuleSet>) -> Form {
    let catalogue: Vec<(Value, String)> = rules
        .map(|r| {
            r.workloads
                .iter()
                .map(|x| (Value::from(x.id.as_str()), x.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    Form {
        records: Records::of_customer(
            c.id.as_str(),
            "workloads",
            "workload",
            |c| &c.workloads,
            |c| &mut c.workloads,
        ),
        fields: Arc::new(vec![
            Field::choice("workload", "Workload", catalogue),
            Field::choice("subscription", "Subscription", subscriptions(c)).optional(),
            Field::series("paid_seats", "Paid seats per month"),
            Field::series("active_users", "Monthly active users"),
            Field::series("revenue", "Revenue per month (USD)"),
        ]),
        template: json!({ "paid_seats": {}, "active_users": {}, "revenue": {} }),
    }
}

pub fn identity(w: &Workspace, c: &Customer) -> Form {
    let people: Vec<(Value, String)> = w
        .people
        .iter()
        .map(|p| (Value::from(p.id.as_str()), p.name.clone()))
        .collect();
    let roles = [
        "Owner",
        "Contributor",
        "Reader",
        "User Access Administrator",
        "Support Request Contributor",
    ]
    .iter()
    .map(|r| (*r).to_owned())
    .collect();
    Form {
        records: Records::of_customer(
            c.id.as_str(),
            "identities",
            "identity",
            |c| &c.identities,
            |c| &mut c.identities,
        ),
        fields: Arc::new(vec![
            Field::text("id", "Identity ID").placeholder("ada-contoso"),
            Field::text("name", "Sign-in name").placeholder("ada@contoso.com"),
            Field::choice_of(
                "kind",
                "Kind",
                IdentityKind::ALL,
                |k| words(k.as_str()),
                IdentityKind::as_str,
            ),
            Field::choice("person", "Person", people).optional(),
            Field::choice_of(
                "state",
                "State",
                IdentityState::ALL,
                |s| words(s.as_str()),
                IdentityState::as_str,
            ),
            Field::date("state_since", "State since").optional(),
            Field::flag("admin_agents", "Member of Admin Agents"),
            Field::flag("classic_admin", "Classic co-administrator"),
            Field::strings("members", "Group members (identity IDs)").optional(),
            Field::rows(
                "roles",
                "Azure role assignments",
                vec![
                    Field::text("role", "Role").suggest(roles),
                    Field::text("scope", "Scope").suggest(scopes(c)),
                    Field::date("from", "From").optional(),
                    Field::date("to", "Until").optional(),
                    Field::flag("eligible_only", "Eligible only"),
                ],
                json!({ "role": "Contributor", "scope": c.subscriptions.first().map(|s| format!("/subscriptions/{}", s.id)).unwrap_or_else(|| "/".into()) }),
                "Add a role",
            ),
            Field::rows(
                "pal",
                "Partner Admin Links",
                vec![
                    Field::choice("partner_id", "Partner ID", partners(w)),
                    Field::date("from", "From"),
                    Field::date("to", "Until").optional(),
                    Field::choice_of(
                        "tenant",
                        "Linked in",
                        LinkTenant::ALL,
                        |t| {
                            if t == LinkTenant::Customer {
                                "The customer's tenant".into()
                            } else {
                                "Our own tenant".into()
                            }
                        },
                        LinkTenant::as_str,
                    ),
                ],
                json!({ "partner_id": w.partner.locations.first().map(|l| l.id.to_string()), "from": w.as_of.first_day(), "tenant": "customer" }),
                "Add a PAL link",
            ),
        ]),
        template: json!({ "kind": "directory_user", "state": "active" }),
    }
}

pub fn claim(w: &Workspace, c: &Customer) -> Form {
    Form {
        records: Records::of_customer(c.id.as_str(), "cpor", "claim", |c| &c.cpor, |c| &mut c.cpor),
        fields: Arc::new(vec![
            Field::text("id", "Claim ID"),
            Field::choice("partner_id", "Claiming partner", partners(w)),
            Field::choice_of(
                "area",
                "Solution area",
                ClaimArea::ALL,
                |a| words(a.as_str()),
                ClaimArea::as_str,
            ),
            Field::choice_of(
                "role",
                "Partner role",
                ClaimRole::ALL,
                |r| words(r.as_str()),
                ClaimRole::as_str,
            ),
            Field::strings("workloads", "Workloads claimed (ids, comma-separated)").optional(),
            Field::choice(
                "subscription",
                "Subscription (Business Applications)",
                subscriptions(c),
            )
            .optional(),
            Field::strings("poe", "Proof of execution (comma-separated)").optional(),
            Field::flag("opt_out_incentives", "Opted out of incentives"),
            Field::rows(
                "history",
                "Status history",
                vec![
                    Field::choice_of(
                        "status",
                        "Status",
                        ClaimStatus::ALL,
                        |s| words(s.as_str()),
                        ClaimStatus::as_str,
                    ),
                    Field::date("on", "On"),
                ],
                json!({ "status": "submitted", "on": w.as_of.first_day() }),
                "Add a status change",
            ),
        ]),
        template: json!({ "partner_id": w.partner.locations.first().map(|l| l.id.to_string()), "area": "modern_work_security", "role": "use_or_consume", "history": [{ "status": "draft", "on": w.as_of.first_day() }] }),
    }
}

pub fn power_platform(c: &Customer) -> Form {
    let ids = identities(c);
    Form {
        records: Records::of_customer(
            c.id.as_str(),
            "power_platform",
            "Power Platform resource",
            |c| &c.power_platform,
            |c| &mut c.power_platform,
        ),
        fields: Arc::new(vec![
            Field::text("id", "Resource ID"),
            Field::choice_of(
                "kind",
                "Kind",
                PowerPlatformKind::ALL,
                |k| words(k.as_str()),
                PowerPlatformKind::as_str,
            ),
            Field::strings("owners", "Owners (identity IDs; apps)").optional(),
            Field::text("creator", "Creator (identity ID; flows)")
                .optional()
                .suggest(ids.clone()),
            Field::text("publisher", "Publisher (identity ID; datasets)")
                .optional()
                .suggest(ids),
            Field::strings("users", "Users (identity IDs; Customer Insights)").optional(),
            Field::series("active_users", "Monthly active users"),
        ]),
        template: json!({ "kind": "power_app", "active_users": {} }),
    }
}

pub fn customer_fields() -> Arc<Vec<Field>> {
    Arc::new(vec![
        Field::text("name", "Name"),
        Field::guid("tenant_id", "Tenant ID"),
        Field::choice_of(
            "segment",
            "Segment",
            Segment::ALL,
            |s| {
                if s == Segment::Smb {
                    "SMB".into()
                } else {
                    "Enterprise".into()
                }
            },
            Segment::as_str,
        ),
        Field::choice_of(
            "cloud",
            "Cloud",
            Cloud::ALL,
            |c| words(c.as_str()),
            Cloud::as_str,
        ),
    ])
}

/// The customers list: the customer page edits its own entry.
pub fn customers() -> Records {
    Records::new(
        "customer",
        |_| Some("customers".into()),
        |w| Some(&w.customers),
        |w| Some(&mut w.customers),
    )
}

pub fn cua_guid() -> Form {
    Form {
        records: Records::new(
            "CUA GUID",
            |_| Some("cua_guids".into()),
            |w| Some(&w.cua_guids),
            |w| Some(&mut w.cua_guids),
        ),
        fields: Arc::new(vec![
            Field::guid("guid", "GUID"),
            Field::text("offer", "Offer or solution"),
            Field::text("channel", "Channel")
                .optional()
                .placeholder("ARM template, Terraform module, …"),
            Field::date("registered", "Registered in Partner Center").optional(),
        ]),
        template: json!({}),
    }
}

pub fn location() -> Form {
    Form {
        records: Records::new(
            "location",
            |_| Some("partner.locations".into()),
            |w| Some(&w.partner.locations),
            |w| Some(&mut w.partner.locations),
        ),
        fields: Arc::new(vec![
            Field::text("id", "Location (PLA) ID"),
            Field::text("name", "Name"),
            Field::text("country", "Country").optional(),
        ]),
        template: json!({}),
    }
}

pub fn other_partner() -> Form {
    Form {
        records: Records::new(
            "partner",
            |_| Some("other_partners".into()),
            |w| Some(&w.other_partners),
            |w| Some(&mut w.other_partners),
        ),
        fields: Arc::new(vec![
            Field::text("id", "Partner ID"),
            Field::text("name", "Name"),
        ]),
        template: json!({}),
    }
}
