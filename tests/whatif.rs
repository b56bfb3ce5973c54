//! The what-if layer: changes over the real workspace, toggled, compared and stored.

use pcs_workbench::attribution::customer_summaries;
use pcs_workbench::data::demo;
use pcs_workbench::model::PartnerId;
use pcs_workbench::planner::Edit;
use pcs_workbench::rules::{RuleSet, rule_set};
use pcs_workbench::scoring::evaluate;
use pcs_workbench::whatif::{Delta, WhatIf, compare};

fn rules() -> &'static RuleSet {
    rule_set("2026-11").expect("rule set")
}

fn pal_fix() -> Edit {
    Edit::SetPalPartner {
        customer: "litware".into(),
        identity: "sam-litware".into(),
        partner: PartnerId::parse("4977985").expect("id"),
    }
}

fn deltas(w: &WhatIf) -> Vec<Delta> {
    let ws = demo();
    compare(
        &evaluate(&ws, rules()),
        &evaluate(&w.overlay(&ws, rules()), rules()),
    )
}

fn delta<'a>(list: &'a [Delta], id: &str) -> &'a Delta {
    list.iter()
        .find(|d| d.designation == id)
        .expect("designation")
}

#[test]
fn the_overlay_never_touches_the_real_workspace_and_toggles_off() {
    let ws = demo();
    let copy = ws.clone();
    let mut w = WhatIf::default();
    let id = w.add("Fix Sam's PAL link".into(), pal_fix());
    let simulated = w.overlay(&ws, rules());
    assert_eq!(ws, copy, "the real workspace is unchanged");
    assert_ne!(simulated, ws);

    let d = deltas(&w);
    let infra = delta(&d, "infrastructure_azure");
    assert_eq!((infra.before, infra.after), (66.0, 76.0));
    assert!(infra.qualified_after);
    let dai = delta(&d, "digital_app_innovation_azure");
    assert_eq!((dai.before, dai.after), (62.0, 72.0));
    // The metrics say where the points come from, and nothing else moves.
    let moved: Vec<&str> = infra
        .metrics
        .iter()
        .filter(|m| m.after != m.before)
        .map(|m| m.id.as_str())
        .collect();
    assert!(!moved.is_empty());
    assert!(!moved.iter().any(|m| m.contains("certifications")));
    assert_eq!(delta(&d, "modern_work").change(), 0.0);

    w.toggle(id);
    assert_eq!(
        w.overlay(&ws, rules()),
        ws,
        "switched off, it changes nothing"
    );
    assert!(deltas(&w).iter().all(|d| d.change() == 0.0));
}

#[test]
fn a_certified_person_and_a_new_customer_add_their_points() {
    let mut w = WhatIf::default();
    w.add(
        "Grace earns Azure Data Scientist Associate".into(),
        Edit::CertifyPerson {
            person: "grace".into(),
            cert: "azure-data-scientist-associate".into(),
        },
    );
    let d = deltas(&w);
    let data = delta(&d, "data_ai_azure");
    assert_eq!((data.before, data.after), (58.0, 62.0));

    let mut w = WhatIf::default();
    w.add(
        "Northwind, $5,000 a month".into(),
        Edit::NewCustomer {
            name: "Northwind".into(),
            designation: "infrastructure_azure".into(),
            size: 5000.0,
        },
    );
    let ws = demo();
    let sim = w.overlay(&ws, rules());
    let added = sim.customers.last().expect("a customer");
    assert_eq!(added.name, "Northwind");
    assert_eq!(added.usage[0].acr.get(ws.as_of), 5000.0);
    let infra = delta(&deltas(&w), "infrastructure_azure").clone();
    let adds = |m: &[pcs_workbench::whatif::MetricDelta]| {
        m.iter()
            .find(|x| x.id == "net_customer_adds")
            .map(|x| x.after - x.before)
    };
    assert!(adds(&infra.metrics).is_some_and(|g| g > 0.0), "{infra:?}");
}

#[test]
fn growth_on_one_customer_scales_its_credited_consumption() {
    let ws = demo();
    let mut w = WhatIf::default();
    w.add(
        "Fabrikam +50%".into(),
        Edit::GrowCustomer {
            customer: "fabrikam".into(),
            percent: 50.0,
        },
    );
    let sim = w.overlay(&ws, rules());
    let credited = |ws: &pcs_workbench::model::Workspace| {
        let i = ws
            .customers
            .iter()
            .position(|c| c.id.as_str() == "fabrikam")
            .expect("fabrikam");
        customer_summaries(ws, rules(), ws.as_of)[i].credited_acr
    };
    let (before, after) = (credited(&ws), credited(&sim));
    assert!(before > 0.0);
    assert!((after - before * 1.5).abs() < 2.0, "{before} → {after}");
}

#[test]
fn the_layer_is_stored_and_read_back_and_bad_text_is_refused() {
    let mut w = WhatIf::default();
    w.add("Fix Sam's PAL link".into(), pal_fix());
    let id = w.add(
        "Fabrikam +10%".into(),
        Edit::GrowCustomer {
            customer: "fabrikam".into(),
            percent: 10.0,
        },
    );
    w.toggle(id);
    let text = w.to_json();
    assert!(text.contains("\"format\":\"pcs-workbench/what-if\""));
    assert_eq!(WhatIf::from_json(&text).expect("reads back"), w);
    assert!(WhatIf::from_json("{").is_err());
    assert!(WhatIf::from_json(r#"{"format":"other","version":1,"changes":[]}"#).is_err());
    let bad_partner = text.replace("4977985", "not-an-id");
    let err = WhatIf::from_json(&bad_partner).expect_err("bad id");
    assert!(err.message.contains("not a partner ID"), "{}", err.message);
}

#[test]
fn every_kind_of_change_is_described_and_leaves_a_valid_workspace() {
    use pcs_workbench::validate::{ReadOptions, check};
    let ws = demo();
    let sub = ws.customer("wide-world").expect("wwi").subscriptions[0]
        .id
        .clone();
    let edits = [
        (
            pal_fix(),
            "Litware Inc: sam@contoso.example re-links PAL to Contoso UK (4977985)",
        ),
        (
            Edit::SetDpor {
                customer: "wide-world".into(),
                subscription: sub,
            },
            "Wide World Importers: the DPOR request on WWI Dynamics 365 is accepted (Contoso UK (4977985))",
        ),
        (
            Edit::NewCustomer {
                name: "Northwind".into(),
                designation: "modern_work".into(),
                size: 300.0,
            },
            "New customer Northwind for Modern Work: 300 paid seats",
        ),
        (
            Edit::GrowCustomer {
                customer: "fabrikam".into(),
                percent: 20.0,
            },
            "Fabrikam Ltd: consumption +20% in 2026-10",
        ),
        (
            Edit::CertifyPerson {
                person: "grace".into(),
                cert: "azure-data-scientist-associate".into(),
            },
            "Grace Hopper earns Azure Data Scientist Associate",
        ),
        (
            Edit::ApproveClaim {
                customer: "wide-world".into(),
                claim: "claim-d365".into(),
            },
            "Wide World Importers: claim claim-d365 is approved",
        ),
        (
            Edit::RecoverCustomer {
                customer: "fabrikam".into(),
            },
            "Fabrikam Ltd: consumption back to at least its level of a year earlier, month by month",
        ),
        (
            Edit::Several {
                edits: vec![
                    Edit::AddCustomer {
                        designation: "data_ai_azure".into(),
                    },
                    Edit::RecoverCustomer {
                        customer: "litware".into(),
                    },
                    Edit::AddCustomer {
                        designation: "data_ai_azure".into(),
                    },
                ],
            },
            "2 × A new customer counting for Data & AI (Azure); Litware Inc: consumption back to at least its level of a year earlier, month by month",
        ),
    ];
    let mut w = WhatIf::default();
    for (edit, words) in &edits {
        assert_eq!(pcs_workbench::whatif::describe(&ws, rules(), edit), *words);
        w.add((*words).to_owned(), edit.clone());
    }
    let sim = w.overlay(&ws, rules());
    let errors: Vec<_> = check(&sim, ReadOptions::default())
        .into_iter()
        .filter(|d| d.severity == pcs_workbench::model::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
