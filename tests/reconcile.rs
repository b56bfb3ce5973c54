//! Reconciliation: Partner Center's reported attribution against the tenant inventory.
//! Each class on a small workspace built from the import fixtures (reported data from the
//! Azure usage download, inventory from the collector bundle), then changed the way a real
//! partner's data goes wrong.

use pcs_workbench::attribution::{Association, Rule};
use pcs_workbench::import::{self, MergeOptions, ReadOptions};
use pcs_workbench::model::{CspTier, Date, IdentityState, Month, Offer, PartnerId, Workspace};
use pcs_workbench::reconcile::{Class, Reconciliation, Row, reconcile};

const LOCATION: &str = "4977985";
const PGA: &str = "4977984";

fn day(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn month(s: &str) -> Month {
    Month::parse(s).expect("month")
}

fn path(rel: &str) -> String {
    format!("{}/tests/data/import/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// The fixture set imported on `imported` (the day the downloads were taken).
fn fixtures_imported_on(imported: &str) -> Workspace {
    let files: Vec<_> = [
        "azure-usage.csv",
        "tenant-inventory.json",
        "license-usage.csv",
        "cpor-m365-usage.csv",
        "customers-revenue.csv",
        "trainings.csv",
        "cost-export.csv",
    ]
    .iter()
    .map(|f| {
        let bytes = std::fs::read(path(f)).expect("fixture");
        import::read(f, bytes, &ReadOptions::default()).unwrap_or_else(|r| panic!("{r}"))
    })
    .collect();
    let opts = MergeOptions {
        today: Some(day(imported)),
        ..Default::default()
    };
    let plan = import::plan(
        &import::empty_workspace("Contoso Cloud", month("2026-10")),
        &files,
        &opts,
    );
    assert!(plan.problems.is_empty(), "{:#?}", plan.problems);
    plan.merged
}

fn fixtures() -> Workspace {
    fixtures_imported_on("2026-11-20")
}

/// Only these customers (a partner with fewer customers, so points are not all maxed).
/// Four customers of the fixtures: few enough that points are not all maxed.
const FEWER: [&str; 4] = [
    "fabrikam-ltd",
    "tailspin-toys",
    "wingtip-toys",
    "litware-inc",
];

fn only(mut ws: Workspace, ids: &[&str]) -> Workspace {
    ws.customers.retain(|c| ids.contains(&c.id.as_str()));
    ws
}

fn run(ws: &Workspace) -> Reconciliation {
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    reconcile(ws, rules, month("2026-10"), day("2026-11-22"))
}

fn row<'a>(r: &'a Reconciliation, customer: &str) -> &'a Row {
    r.rows
        .iter()
        .find(|x| x.customer == customer)
        .unwrap_or_else(|| panic!("no row for {customer}: {:#?}", r.rows))
}

fn customer_mut<'a>(ws: &'a mut Workspace, id: &str) -> &'a mut pcs_workbench::model::Customer {
    ws.customers
        .iter_mut()
        .find(|c| c.id.as_str() == id)
        .expect("customer")
}

/// Partner Center stops reporting the customer's subscription from `from` on (it no longer
/// credits it), as the download would show.
fn not_reported_from(ws: &mut Workspace, id: &str, from: &str) {
    let from = month(from);
    let c = customer_mut(ws, id);
    c.reported.retain(|r| r.from < from);
    for r in &mut c.reported {
        if r.to >= from {
            r.to = from.plus(-1);
        }
    }
}

/// What the designations gain, measured independently: the inventory fixed, re-evaluated.
/// These customers' identities disabled in October, and Partner Center no longer
/// crediting them from October (September still counted, on both sides).
fn lost_in_october(ws: &mut Workspace, ids: &[&str]) {
    for id in ids {
        let c = customer_mut(ws, id);
        for i in &mut c.identities {
            i.state = IdentityState::Disabled;
            i.state_since = Some(day("2026-10-15"));
        }
        not_reported_from(ws, id, "2026-10");
    }
}

fn gain(before: &Workspace, after: &Workspace) -> f64 {
    let rules = pcs_workbench::rules::rule_set(&before.rules).expect("rules");
    let score = |ws: &Workspace| -> f64 {
        pcs_workbench::scoring::evaluate(ws, rules)
            .designations
            .iter()
            .map(|d| d.score)
            .sum()
    };
    score(after) - score(before)
}

fn fix_text(r: &Row) -> String {
    let f = r.fix.as_ref().expect("a fix");
    let mut t = f.summary.clone();
    for c in &f.commands {
        t.push('\n');
        t.push_str(&c.text);
    }
    if let Some(l) = &f.link {
        t.push('\n');
        t.push_str(l);
    }
    t
}

#[test]
fn the_fixture_set_reconciles_to_the_hand_counted_figures() {
    let r = run(&fixtures());
    assert_eq!(r.covered, Some((month("2024-11"), month("2026-10"))));
    assert_eq!(r.data_date, day("2026-11-20"));
    // Seven subscriptions Microsoft credits exactly as the inventory explains: Fabrikam
    // (PAL, $2,760), Northwind (CSP direct, $1,450), Adatum (CSP indirect, $2,300), Litware
    // (DPOR, $2,500), Tailspin (PAL, $740), Wingtip (PAL through Lighthouse, $2,700) and
    // Coho (CSP direct, $180): $12,630.
    let agree = r.summary_of(Class::Agree);
    assert_eq!(agree.rows, 7);
    assert!((agree.acr - 12_630.0).abs() < 0.01, "{}", agree.acr);
    // Relecloud: Microsoft credits nothing, the identity is linked with the PGA ID, the
    // month's $1,320.50 is known from the Cost Management export.
    let missing = r.summary_of(Class::MissingCredit);
    assert_eq!(missing.rows, 1);
    assert!((missing.acr - 1_320.5).abs() < 0.01);
    for c in [Class::OtherPartner, Class::TierMismatch, Class::Unexplained] {
        assert_eq!(r.summary_of(c).rows, 0, "{c:?}");
    }
    assert_eq!(r.rows.len(), 8);
    // With ten customers every Azure customer metric is already full: the link is worth
    // nothing this month, and both scores agree.
    assert_eq!(missing.points_at_stake, 0.0);
    for s in &r.scores {
        assert_eq!(s.reported, s.inventory, "{}", s.designation);
    }
    // The most at stake first: the missing credit, then the agreeing rows by ACR.
    let order: Vec<(&str, Option<f64>)> = r
        .rows
        .iter()
        .map(|x| (x.customer_name.as_str(), x.acr))
        .collect();
    assert_eq!(order[0].0, row(&r, "relecloud").customer_name);
    let acrs: Vec<f64> = order[1..].iter().filter_map(|x| x.1).collect();
    assert_eq!(
        acrs,
        [2_760.0, 2_700.0, 2_500.0, 2_300.0, 1_450.0, 740.0, 180.0],
        "{order:?}"
    );
}

#[test]
fn agree_names_the_rule_that_credits() {
    let r = run(&fixtures());
    let fabrikam = row(&r, "fabrikam-ltd");
    assert_eq!(fabrikam.class, Class::Agree);
    assert_eq!(fabrikam.rule, Some(Rule::PalRoleCoversScope));
    assert_eq!(fabrikam.reported, [Association::Pal]);
    assert_eq!(fabrikam.computed, [Association::Pal]);
    assert_eq!(fabrikam.points_at_stake, Some(0.0));
    let wingtip = row(&r, "wingtip-toys");
    assert_eq!(wingtip.rule, Some(Rule::PalLighthouseDelegation));
    assert_eq!(row(&r, "adatum-corporation").computed, [Association::CspT2]);
}

#[test]
fn missing_credit_a_link_made_with_the_pga_id_with_the_findings_fix_and_the_points() {
    let base = only(fixtures(), &["fabrikam-ltd", "relecloud"]);
    let r = run(&base);
    let relecloud = row(&r, "relecloud");
    assert_eq!(relecloud.class, Class::MissingCredit);
    assert_eq!(relecloud.rule, Some(Rule::PalGlobalId));
    assert!(relecloud.reported.is_empty() && relecloud.computed.is_empty());
    let fix = fix_text(relecloud);
    assert!(
        fix.contains("az login --tenant 10000007-0000-4000-8000-000000000007"),
        "{fix}"
    );
    assert!(
        fix.contains(&format!(
            "az managementpartner update --partner-id {LOCATION}"
        )),
        "{fix}"
    );
    assert_eq!(relecloud.acr, Some(1_320.5));
    // The points at stake equal what fixing the link gives, measured on the inventory.
    let mut fixed = base.clone();
    for l in &mut customer_mut(&mut fixed, "relecloud").identities[0].pal {
        l.partner_id = PartnerId::parse(LOCATION).expect("id");
    }
    let expected = gain(&base, &fixed);
    let at_stake = relecloud.points_at_stake.expect("known");
    assert!(expected > 1.0, "the fix is worth points here: {expected}");
    assert!(
        (at_stake - expected).abs() < 0.01,
        "{at_stake} vs {expected}"
    );
    assert_eq!(r.summary_of(Class::MissingCredit).points_at_stake, at_stake);
}

#[test]
fn missing_credit_a_link_younger_than_the_data_is_pending() {
    // Tailspin's service principal linked on 2026-10-20: the engine credits October, the
    // download taken on 2026-11-05 does not show it yet.
    let mut ws = only(
        fixtures_imported_on("2026-11-05"),
        &["fabrikam-ltd", "tailspin-toys"],
    );
    let c = customer_mut(&mut ws, "tailspin-toys");
    c.identities[0].pal[0].from = day("2026-10-20");
    for r in &mut c.identities[0].roles {
        r.from = None;
    }
    not_reported_from(&mut ws, "tailspin-toys", "2026-10");
    let r = run(&ws);
    let t = row(&r, "tailspin-toys");
    assert_eq!(t.class, Class::MissingCredit);
    assert_eq!(t.rule, Some(Rule::PalRoleCoversScope));
    assert_eq!(t.computed, [Association::Pal]);
    assert!(t.reported.is_empty());
    let d = &t.differences[0];
    assert_eq!(d.since, Some(day("2026-10-20")));
    assert_eq!(d.pending_until, Some(day("2026-11-17")));
    assert!(
        t.message.contains("pending until about 2026-11-17"),
        "{}",
        t.message
    );
    assert!(fix_text(t).contains("after 2026-11-17"));
    assert!(t.points_at_stake.is_some_and(|p| p > 0.0), "{t:#?}");

    // Taken after the lag, the same difference is a credit Microsoft does not show: check
    // the link from the customer's tenant.
    let mut late = ws.clone();
    for i in &mut late.imports {
        i.imported = day("2026-11-25");
    }
    let r = run(&late);
    let t = row(&r, "tailspin-toys");
    assert_eq!(t.class, Class::MissingCredit);
    assert_eq!(t.differences[0].pending_until, None);
    let fix = fix_text(t);
    assert!(
        fix.contains("az login --tenant 10000005-0000-4000-8000-000000000005"),
        "{fix}"
    );
    assert!(fix.contains("az managementpartner show"), "{fix}");
    assert!(fix.contains(LOCATION), "{fix}");
}

#[test]
fn missing_credit_a_disabled_identity_an_eligible_role_a_move_and_a_sponsored_offer() {
    let base = only(
        fixtures(),
        &["fabrikam-ltd", "tailspin-toys", "litware-inc"],
    );
    // Fabrikam's guest disabled in September: Microsoft stopped crediting October.
    let mut ws = base.clone();
    let c = customer_mut(&mut ws, "fabrikam-ltd");
    c.identities[0].state = IdentityState::Disabled;
    c.identities[0].state_since = Some(day("2026-09-15"));
    not_reported_from(&mut ws, "fabrikam-ltd", "2026-10");
    let r = run(&ws);
    let f = row(&r, "fabrikam-ltd");
    assert_eq!(
        (f.class, f.rule),
        (Class::MissingCredit, Some(Rule::PalIdentityDisabled))
    );
    assert!(f.message.contains("disabled"), "{}", f.message);
    assert!(fix_text(f).contains("az login --tenant 10000001-0000-4000-8000-000000000001"));
    assert!(f.points_at_stake.is_some_and(|p| p > 0.0));

    // Tailspin's role only eligible (PIM): the findings' fix, no command.
    let mut ws = base.clone();
    for r in &mut customer_mut(&mut ws, "tailspin-toys").identities[0].roles {
        r.eligible_only = true;
    }
    not_reported_from(&mut ws, "tailspin-toys", "2026-10");
    let r = run(&ws);
    let t = row(&r, "tailspin-toys");
    assert_eq!(
        (t.class, t.rule),
        (Class::MissingCredit, Some(Rule::PalEligibleOnly))
    );
    assert!(fix_text(t).contains("active"), "{}", fix_text(t));

    // Litware's EA subscription moved to the Azure plan: its DPOR stopped.
    let mut ws = base.clone();
    customer_mut(&mut ws, "litware-inc").subscriptions[0].moved_to_azure_plan =
        Some(day("2026-09-15"));
    not_reported_from(&mut ws, "litware-inc", "2026-10");
    let r = run(&ws);
    let l = row(&r, "litware-inc");
    assert_eq!(
        (l.class, l.rule),
        (Class::MissingCredit, Some(Rule::DporEndedByMove))
    );
    let fix = fix_text(l);
    assert!(
        fix.contains("subscriptionId/50000004-0000-4000-8000-000000000004"),
        "{fix}"
    );
    assert!(fix.contains(&format!("partnerId/{LOCATION}")), "{fix}");

    // Fabrikam's subscription is sponsored: PAL is not recognised on it (2026-11).
    let mut ws = base.clone();
    customer_mut(&mut ws, "fabrikam-ltd").subscriptions[0].offer = Offer::Sponsored;
    not_reported_from(&mut ws, "fabrikam-ltd", "2026-10");
    let r = run(&ws);
    let f = row(&r, "fabrikam-ltd");
    assert_eq!(
        (f.class, f.rule),
        (Class::MissingCredit, Some(Rule::PalExcludedOffer))
    );
    assert!(fix_text(f).contains("partner of record"));
}

#[test]
fn unexplained_reported_pal_with_no_inventory_of_the_tenant() {
    // Tailspin's identity was never collected: Microsoft credits PAL, nothing explains it.
    let mut ws = only(fixtures(), &["fabrikam-ltd", "tailspin-toys"]);
    customer_mut(&mut ws, "tailspin-toys").identities.clear();
    let r = run(&ws);
    let t = row(&r, "tailspin-toys");
    assert_eq!(t.class, Class::Unexplained);
    assert_eq!(t.rule, Some(Rule::PalNotLinked));
    assert_eq!(t.reported, [Association::Pal]);
    assert!(t.computed.is_empty());
    assert_eq!(t.points_at_stake, Some(0.0), "never a score change");
    assert!(t.message.contains("no inventory"), "{}", t.message);
    let fix = fix_text(t);
    assert!(
        fix.contains("az login --tenant 10000005-0000-4000-8000-000000000005"),
        "{fix}"
    );
    assert!(fix.contains("pcs-collect.sh"), "{fix}");
    // Partner Center's score counts it; the inventory's does not.
    let infra = r
        .scores
        .iter()
        .find(|s| s.designation == "infrastructure_azure")
        .expect("infra");
    assert!(infra.reported > infra.inventory, "{infra:?}");
}

#[test]
fn other_partner_a_competitors_dpor_with_who_and_since() {
    let mut ws = only(fixtures(), &["fabrikam-ltd", "litware-inc"]);
    let other = PartnerId::parse("1234567").expect("id");
    customer_mut(&mut ws, "litware-inc").subscriptions[0].dpor[0].partner_id = other.clone();
    not_reported_from(&mut ws, "litware-inc", "2025-11");
    let r = run(&ws);
    let l = row(&r, "litware-inc");
    assert_eq!(
        (l.class, l.rule),
        (Class::OtherPartner, Some(Rule::DporOtherPartner))
    );
    let d = &l.differences[0];
    assert_eq!(d.partner.as_ref(), Some(&other));
    assert_eq!(d.since, Some(day("2025-11-01")));
    assert!(
        l.message.contains("1234567") && l.message.contains("since 2025-11-01"),
        "{}",
        l.message
    );
    assert!(fix_text(l).contains(&format!("partnerId/{LOCATION}")));
    // What being partner of record would give: measured on the inventory.
    let mut ours = ws.clone();
    customer_mut(&mut ours, "litware-inc").subscriptions[0].dpor[0].partner_id =
        PartnerId::parse(LOCATION).expect("id");
    let expected = gain(&ws, &ours);
    assert!(expected > 1.0);
    assert!((l.points_at_stake.expect("known") - expected).abs() < 0.01);
}

#[test]
fn tier_mismatch_csp_direct_reported_indirect_recorded() {
    let mut ws = only(fixtures(), &["fabrikam-ltd", "northwind-traders"]);
    let csp = customer_mut(&mut ws, "northwind-traders").subscriptions[0]
        .csp
        .as_mut()
        .expect("csp");
    csp.tier = CspTier::Indirect;
    csp.reseller_id = Some(PartnerId::parse("6660001").expect("id"));
    let r = run(&ws);
    let n = row(&r, "northwind-traders");
    assert_eq!(
        (n.class, n.rule),
        (Class::TierMismatch, Some(Rule::CspIndirectProvider))
    );
    assert_eq!(n.reported, [Association::CspT1]);
    assert_eq!(n.computed, [Association::CspT2]);
    assert!(
        n.message.contains("CSP (direct bill)") && n.message.contains("CSP (indirect)"),
        "{}",
        n.message
    );
    assert_eq!(n.points_at_stake, Some(0.0));
}

#[test]
fn a_month_outside_the_download_or_no_download_gives_no_rows() {
    let ws = fixtures();
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let r = reconcile(&ws, rules, month("2024-06"), day("2026-11-22"));
    assert!(r.rows.is_empty());
    assert!(pcs_workbench::reconcile::to_text(&r).contains("outside"));
    let demo = pcs_workbench::data::demo();
    let r = reconcile(&demo, rules, demo.as_of, day("2026-11-22"));
    assert_eq!(r.covered, None);
    assert!(r.rows.is_empty());
    assert!(pcs_workbench::reconcile::to_text(&r).contains("import the Azure usage download"));
}

#[test]
fn the_json_report_follows_its_contract() {
    let mut ws = only(fixtures(), &["fabrikam-ltd", "relecloud"]);
    ws.partner.global_id = PartnerId::parse(PGA);
    let v = pcs_workbench::reconcile::to_json(&run(&ws));
    assert_eq!(v["month"], "2026-10");
    for class in [
        "agree",
        "unexplained",
        "missing_credit",
        "other_partner",
        "tier_mismatch",
    ] {
        let s = &v["summary"][class];
        assert!(
            s["rows"].is_u64() && s["acr"].is_number() && s["points_at_stake"].is_number(),
            "{class}: {s}"
        );
    }
    let rows = v["rows"].as_array().expect("rows");
    let rel = rows
        .iter()
        .find(|r| r["customer"] == "relecloud")
        .expect("relecloud");
    assert_eq!(rel["class"], "missing_credit");
    assert_eq!(rel["rule"], "pal_global_id");
    assert_eq!(rel["tenant_id"], "10000007-0000-4000-8000-000000000007");
    assert_eq!(rel["subscription"], "50000007-0000-4000-8000-000000000007");
    assert_eq!(rel["reported"], serde_json::json!([]));
    assert!(rel["fix"].as_str().is_some_and(|f| f.contains(LOCATION)));
    assert!(rel["points_at_stake"].as_f64().is_some_and(|p| p > 0.0));
    let fab = rows
        .iter()
        .find(|r| r["customer"] == "fabrikam-ltd")
        .expect("fabrikam");
    assert_eq!(fab["reported"], serde_json::json!(["pal"]));
    assert_eq!(fab["computed"], serde_json::json!(["pal"]));
    assert_eq!(fab["class"], "agree");
}

#[test]
fn pcs_reconcile_prints_the_summary_and_the_fixes() {
    use pcs_workbench::cli::{Environment, run};
    let ws = only(fixtures(), &["fabrikam-ltd", "relecloud"]);
    let text = serde_json::to_string(&ws).expect("json");
    struct Env(String);
    impl Environment for Env {
        fn read(&self, _: &str) -> std::io::Result<Vec<u8>> {
            Ok(self.0.clone().into_bytes())
        }
        fn today(&self) -> Option<Date> {
            Date::parse("2026-11-22")
        }
    }
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let out = run(&args(&["reconcile", "ws.json"]), &Env(text.clone()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Reconciliation of 2026-10"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Missing credit"));
    assert!(
        out.stdout
            .contains("az managementpartner update --partner-id 4977985")
    );
    let out = run(
        &args(&["reconcile", "ws.json", "--json", "--month", "2026-09"]),
        &Env(text.clone()),
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["month"], "2026-09");
    let out = run(
        &args(&["reconcile", "ws.json", "--month", "Oct"]),
        &Env(text),
    );
    assert_eq!(out.code, 2);
}

/// Microsoft's reported attribution taken from the engine's own (the synthetic A1 download
/// of a generated partner): every row agrees. Then one PAL link is removed from the
/// inventory: exactly the rows whose subscription it credited change class.
#[test]
fn reported_from_the_engines_own_attribution_agrees_and_one_link_moves_exactly_its_rows() {
    use pcs_workbench::attribution::{Prepared, Viewpoint};
    for seed in [3, 11, 29] {
        let mut ws = pcs_workbench::generate::generate(40, seed);
        let csv = pcs_workbench::generate::azure_usage_csv(&ws);
        let file = import::read("azure-usage.csv", csv.into_bytes(), &ReadOptions::default())
            .unwrap_or_else(|r| panic!("{r}"));
        let opts = MergeOptions {
            today: Some(day("2026-11-20")),
            ..Default::default()
        };
        let merged = import::plan(&ws, &[file], &opts).merged;
        // Only the reported attribution is taken over: the inventory stays the generator's.
        for c in &mut ws.customers {
            if let Some(m) = merged.customers.iter().find(|m| m.tenant_id == c.tenant_id) {
                c.reported = m.reported.clone();
            }
        }
        let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
        let m = ws.as_of;
        let before = reconcile(&ws, rules, m, day("2026-11-22"));
        assert!(
            before.rows.len() > 10,
            "seed {seed}: {} rows",
            before.rows.len()
        );
        // Where either side credits, they agree; the other rows are associations neither
        // credits (the generator's broken links, other partners), the same both ways.
        let odd: Vec<_> = before
            .rows
            .iter()
            .filter(|r| {
                r.class != Class::Agree && !(r.reported.is_empty() && r.computed.is_empty())
            })
            .map(|r| {
                (
                    &r.customer_name,
                    &r.reported,
                    &r.reported_partners,
                    &r.computed,
                    &r.message,
                )
            })
            .collect();
        assert!(odd.is_empty(), "seed {seed}: {odd:#?}");
        let agreeing = before
            .rows
            .iter()
            .filter(|r| r.class == Class::Agree)
            .count();
        assert!(agreeing > 10, "seed {seed}: {agreeing} agree");

        // Remove the first PAL link that credits a reported subscription.
        let credited = |ws: &Workspace| {
            let p = Prepared::new(ws, rules, Viewpoint::of_workspace(ws));
            let att = p.attribute(m, m);
            let mut out = std::collections::BTreeMap::new();
            for (ci, c) in ws.customers.iter().enumerate() {
                for (li, u) in c.usage.iter().enumerate() {
                    let e = out
                        .entry((
                            c.id.to_string(),
                            pcs_workbench::validate::scope_subscription(&u.scope).map(|g| g.key()),
                        ))
                        .or_insert(false);
                    *e |= att.line(ci, li, m).has(Association::Pal);
                }
            }
            out
        };
        let pal_before = credited(&ws);
        let key = |r: &Row| (r.customer.clone(), Some(r.subscription.key()));
        // The first identity whose link alone credits a subscription Partner Center shows as PAL.
        let candidates: Vec<(usize, usize)> = ws
            .customers
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| {
                (0..c.identities.len())
                    .filter(move |ii| !c.identities[*ii].pal.is_empty())
                    .map(move |ii| (ci, ii))
            })
            .collect();
        let (changed, lost) = candidates
            .into_iter()
            .find_map(|(ci, ii)| {
                let mut w = ws.clone();
                w.customers[ci].identities[ii].pal.clear();
                let pal_after = credited(&w);
                let lost: Vec<_> = pal_before
                    .iter()
                    .filter(|(k, was)| **was && !pal_after[*k])
                    .map(|(k, _)| k.clone())
                    // Only where PAL is what Partner Center shows (not behind CSP or DPOR).
                    .filter(|k| {
                        before
                            .rows
                            .iter()
                            .any(|r| &key(r) == k && r.computed == [Association::Pal])
                    })
                    .collect();
                (!lost.is_empty()).then_some((w, lost))
            })
            .expect("a link that alone credits a subscription");
        let after = reconcile(&changed, rules, m, day("2026-11-22"));
        let class_of = |r: &Reconciliation, k: &(String, Option<String>)| {
            r.rows.iter().find(|x| &key(x) == k).map(|x| x.class)
        };
        let moved: Vec<_> = before
            .rows
            .iter()
            .map(key)
            .filter(|k| class_of(&before, k) != class_of(&after, k))
            .collect();
        assert_eq!(moved, lost, "seed {seed}");
        for k in &moved {
            assert_eq!(
                class_of(&after, k),
                Some(Class::Unexplained),
                "seed {seed}: {k:?}"
            );
        }
        assert_eq!(after.rows.len(), before.rows.len());
    }
}

/// A class's points at stake are its rows resolved together, measured once: not the sum of
/// the rows' (a metric caps), and the same whether the rows are measured one by one or not.
#[test]
fn a_class_total_is_its_rows_resolved_together() {
    use pcs_workbench::reconcile::{RowPoints, reconcile_with};
    // Three customers Microsoft stopped crediting in October (identities disabled). The
    // points at stake are the month's: history stays as Partner Center reported it.
    let mut ws = only(fixtures(), &FEWER);
    lost_in_october(&mut ws, &["fabrikam-ltd", "tailspin-toys", "wingtip-toys"]);
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let all = reconcile_with(
        &ws,
        rules,
        month("2026-10"),
        day("2026-11-22"),
        &RowPoints::All,
    );
    let missing: Vec<&Row> = all
        .rows
        .iter()
        .filter(|r| r.class == Class::MissingCredit)
        .collect();
    assert_eq!(missing.len(), 3, "{:#?}", all.rows);
    let rows_sum: f64 = missing.iter().filter_map(|r| r.points_at_stake).sum();
    let total = all.summary_of(Class::MissingCredit).points_at_stake;
    // Fixed together, measured on the inventory.
    let mut fixed = ws.clone();
    for id in ["fabrikam-ltd", "tailspin-toys", "wingtip-toys"] {
        for i in &mut customer_mut(&mut fixed, id).identities {
            i.state = IdentityState::Active;
            i.state_since = None;
        }
    }
    let expected = gain(&ws, &fixed);
    assert!(expected > 0.0);
    assert!((total - expected).abs() < 0.01, "{total} vs {expected}");
    assert!(rows_sum > 0.0);
    // Not measured row by row: the same total, rows without points.
    let none = reconcile_with(
        &ws,
        rules,
        month("2026-10"),
        day("2026-11-22"),
        &RowPoints::None,
    );
    assert_eq!(none.summary_of(Class::MissingCredit).points_at_stake, total);
    assert!(
        none.rows
            .iter()
            .filter(|r| r.class == Class::MissingCredit)
            .all(|r| r.points_at_stake.is_none())
    );
    // One row measured alone gives what the full run gave it.
    let first = missing[0];
    let only = reconcile_with(
        &ws,
        rules,
        month("2026-10"),
        day("2026-11-22"),
        &RowPoints::Only(first.customer.clone(), first.subscription.clone()),
    );
    let again = row(&only, &first.customer);
    assert_eq!(again.points_at_stake, first.points_at_stake);
}

/// What Partner Center reported for a subscription in a month is the last run imported that
/// covers the month, found whatever the case of the subscription's GUID.
#[test]
fn the_reported_month_is_the_last_run_covering_it() {
    use pcs_workbench::import::merge::ReportedMonths;
    use pcs_workbench::model::Guid;
    let mut ws = fixtures();
    let c = ws
        .customers
        .iter_mut()
        .find(|c| !c.reported.is_empty())
        .expect("a customer with reported attribution");
    let first = c.reported[0].clone();
    let mut later = first.clone();
    later.from = first.to;
    later.to = first.to.plus(1);
    later.partners = vec![PartnerId::parse("1234567").expect("id")];
    c.reported.push(later.clone());
    let upper = Guid::parse(&first.subscription.to_string().to_uppercase()).expect("guid");
    let other: Vec<_> = c
        .reported
        .iter()
        .filter(|r| r.subscription != first.subscription)
        .cloned()
        .collect();
    let runs = ReportedMonths::of(c);
    assert_eq!(runs.get(&upper, later.to), Some(&later));
    assert_eq!(runs.get(&first.subscription, first.to), Some(&later));
    if first.from < first.to {
        assert_eq!(
            runs.get(&first.subscription, first.from)
                .map(|r| &r.partners),
            Some(&first.partners)
        );
    }
    assert_eq!(runs.get(&upper, later.to.plus(1)), None);
    assert_eq!(runs.get(&upper, first.from.plus(-1)), None);
    for r in other {
        assert_ne!(runs.get(&r.subscription, r.from), None);
    }
}

/// The reconciliation in two halves (the rows, then the scores and points at stake: the
/// dashboard runs them in tasks of their own) is the reconciliation in one, in the month
/// reconciled and in a month of the workspace's own, with each kind of points at stake.
#[test]
fn the_reconciliation_in_two_halves_is_the_reconciliation_in_one() {
    use pcs_workbench::reconcile::{
        RowPoints, reconcile_rows, reconcile_with, score_reconciliation,
    };
    // Fewer customers (points not all maxed), two of them no longer credited in October.
    let mut ws = only(fixtures(), &FEWER);
    lost_in_october(&mut ws, &["fabrikam-ltd", "tailspin-toys"]);
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let today = day("2026-11-22");
    let months = [month("2026-10"), ws.as_of, month("2026-09")];
    let mut scored = 0;
    for m in months {
        for points in [RowPoints::All, RowPoints::None, RowPoints::UpTo(2)] {
            let whole = reconcile_with(&ws, rules, m, today, &points);
            let mut halves = reconcile_rows(&ws, rules, m, today);
            assert!(halves.scores.is_empty());
            score_reconciliation(&ws, rules, &points, &mut halves);
            assert_eq!(halves, whole, "{m} {points:?}");
            scored += usize::from(!whole.scores.is_empty() && whole.points_at_stake() > 0.0);
        }
    }
    assert!(
        scored >= 2,
        "points at stake measured in {scored} of the cases"
    );
}
