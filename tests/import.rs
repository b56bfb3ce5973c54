//! Bringing a partner's own data in: the fixture set (the same ten customers across
//! Partner Center's downloads and the tenant inventory) scores like the same data written by
//! hand; re-importing changes nothing; every nasty file gives its expected outcome.

use pcs_workbench::import::merge::ChangeKind;
use pcs_workbench::import::{self, MergeOptions, ReadFile, ReadOptions};
use pcs_workbench::model::*;
use pcs_workbench::scoring::evaluate;
use pcs_workbench::validate::{Import, ReadOptions as WsRead, read_workspace};

const TODAY: &str = "2026-11-20";

fn today() -> Date {
    Date::parse(TODAY).expect("date")
}

fn path(rel: &str) -> String {
    format!("{}/tests/data/import/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> ReadFile {
    let bytes = std::fs::read(path(rel)).expect("fixture");
    let name = rel.rsplit('/').next().unwrap_or(rel);
    import::read(name, bytes, &ReadOptions::default()).unwrap_or_else(|r| panic!("{r}"))
}

fn refused(rel: &str) -> String {
    let bytes = std::fs::read(path(rel)).expect("fixture");
    match import::read(rel, bytes, &ReadOptions::default()) {
        Ok(f) => panic!("{rel} was read as {:?}", f.facts.kind),
        Err(r) => r.message,
    }
}

fn opts() -> MergeOptions {
    MergeOptions {
        today: Some(today()),
        ..Default::default()
    }
}

const FOUR: [&str; 4] = [
    "azure-usage.csv",
    "cpor-m365-usage.csv",
    "trainings.csv",
    "tenant-inventory.json",
];

/// A new workspace built from the four files alone, as `pcs import --new` and the app's
/// "new workspace from files" do.
fn from_files(files: &[ReadFile]) -> Workspace {
    let as_of = import::latest_complete_month(files, Some(today()))
        .unwrap_or_else(|| today().month().plus(-1));
    let empty = import::empty_workspace("Contoso Cloud", as_of);
    let plan = import::plan(&empty, files, &opts());
    assert!(plan.problems.is_empty(), "{:#?}", plan.problems);
    plan.merged
}

fn expected() -> Workspace {
    let bytes = std::fs::read(path("expected.pcs.json")).expect("expected");
    match read_workspace(&bytes, WsRead::default()) {
        Import::Loaded { workspace, .. } => *workspace,
        Import::Rejected { diagnostics } => panic!("{diagnostics:#?}"),
    }
}

/// Every designation's score, qualification, track and metric points, for comparison.
fn scores(ws: &Workspace) -> Vec<String> {
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let e = evaluate(ws, rules);
    e.designations
        .iter()
        .flat_map(|d| {
            let mut v = vec![format!(
                "{} score {:.2} qualified {} track {:?}",
                d.id, d.score, d.qualified, d.track
            )];
            for m in d.metrics() {
                v.push(format!(
                    "{}.{} value {:.2} points {:.2}",
                    d.id, m.id, m.value, m.points
                ));
            }
            for (m, _) in &d.counting {
                let total = d.month(*m).map_or(0.0, |t| t.total);
                v.push(format!("{} {m} {total:.2}", d.id));
            }
            v
        })
        .collect()
}

#[test]
fn the_four_files_score_like_the_same_data_written_by_hand() {
    let files: Vec<ReadFile> = FOUR.iter().map(|f| read(f)).collect();
    let kinds: Vec<ImportKind> = files.iter().map(|f| f.facts.kind).collect();
    assert_eq!(
        kinds,
        [
            ImportKind::AzureUsage,
            ImportKind::CporM365Usage,
            ImportKind::Trainings,
            ImportKind::TenantInventory
        ]
    );
    let ws = from_files(&files);
    let want = expected();
    assert_eq!(ws.as_of, want.as_of);
    assert_eq!(ws.partner.global_id, want.partner.global_id);
    assert_eq!(
        ws.partner
            .locations
            .iter()
            .map(|l| &l.id)
            .collect::<Vec<_>>(),
        want.partner
            .locations
            .iter()
            .map(|l| &l.id)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        ws.customers.len(),
        10,
        "ten customers; the partner's own tenant and the unreadable one are not customers"
    );
    assert_eq!(ws.people.len(), want.people.len());
    assert_eq!(scores(&ws), scores(&want));
    // Something real is scored: not a workspace of zeros.
    let rules = pcs_workbench::rules::rule_set(&ws.rules).expect("rules");
    let e = evaluate(&ws, rules);
    let infra = e
        .designations
        .iter()
        .find(|d| d.id == "infrastructure_azure")
        .expect("infra");
    assert_eq!(
        (infra.score, infra.qualified),
        (72.0, true),
        "three customers won this year, PAL, CSP and DPOR credit"
    );
}

#[test]
fn importing_the_same_files_again_changes_nothing() {
    let files: Vec<ReadFile> = FOUR.iter().map(|f| read(f)).collect();
    let ws = from_files(&files);
    let again = import::plan(&ws, &files, &opts());
    let changes: Vec<String> = again
        .changes()
        .map(|c| format!("{:?} {} {}", c.kind, c.what, c.detail))
        .collect();
    assert!(again.is_noop(), "{changes:#?}");
    assert_eq!(again.conflict_count(), 0);
    assert!(again.headline().starts_with("no changes"));
    assert_eq!(again.merged, ws);
}

#[test]
fn the_preview_lists_additions_per_customer_and_every_record_keeps_its_source() {
    let files: Vec<ReadFile> = FOUR.iter().map(|f| read(f)).collect();
    let empty = import::empty_workspace("Contoso Cloud", Month::parse("2026-10").expect("m"));
    let plan = import::plan(&empty, &files, &opts());
    assert_eq!(plan.customers.len(), 10);
    assert!(plan.customers.iter().all(|c| c.new));
    let fabrikam = plan
        .customers
        .iter()
        .find(|c| c.name == "Fabrikam, Ltd.")
        .expect("fabrikam");
    let whats: Vec<&str> = fabrikam.changes.iter().map(|c| c.what.as_str()).collect();
    assert!(whats.contains(&"customer Fabrikam, Ltd."), "{whats:?}");
    assert!(
        whats
            .iter()
            .any(|w| w.starts_with("usage Azure SQL Database at /subscriptions/50000001")),
        "{whats:?}"
    );
    assert!(
        whats
            .iter()
            .any(|w| w.starts_with("identity ops_contoso.example#EXT#")),
        "{whats:?}"
    );
    assert!(
        plan.customers
            .iter()
            .flat_map(|c| &c.changes)
            .all(|c| c.kind == ChangeKind::Add || c.kind == ChangeKind::Update)
    );
    // The customer's own administrator is not the partner's: left out, and counted.
    let inventory = plan
        .files
        .iter()
        .find(|f| f.kind == ImportKind::TenantInventory)
        .expect("inventory");
    assert_eq!(
        inventory.left_out_identities, 8,
        "each tenant's own administrator"
    );
    assert!(
        plan.unmatched
            .iter()
            .any(|u| u.what == "tenant 10000012-0000-4000-8000-000000000012"
                && u.reason.contains("multi-factor"))
    );

    let ws = plan.merged;
    assert_eq!(ws.imports.len(), 4);
    assert_eq!(
        ws.imports
            .iter()
            .map(|i| (i.kind, i.file.as_str(), i.imported))
            .collect::<Vec<_>>(),
        [
            (ImportKind::AzureUsage, "azure-usage.csv", today()),
            (ImportKind::CporM365Usage, "cpor-m365-usage.csv", today()),
            (ImportKind::Trainings, "trainings.csv", today()),
            (
                ImportKind::TenantInventory,
                "tenant-inventory.json",
                today()
            ),
        ]
    );
    let kind_of = |s: &Option<Id>| s.as_ref().and_then(|s| ws.import(s)).map(|i| i.kind);
    for c in &ws.customers {
        assert!(kind_of(&c.source).is_some(), "{}", c.id);
        for u in &c.usage {
            assert_eq!(kind_of(&u.source), Some(ImportKind::AzureUsage));
        }
        for i in &c.identities {
            assert_eq!(kind_of(&i.source), Some(ImportKind::TenantInventory));
        }
        for w in &c.workloads {
            assert_eq!(kind_of(&w.source), Some(ImportKind::CporM365Usage));
        }
    }
    for p in &ws.people {
        assert_eq!(kind_of(&p.source), Some(ImportKind::Trainings));
    }
    // The file round-trips as version 2.
    let text = ws.to_json();
    assert!(text.contains("\"version\": 2"));
    let back = read_workspace(text.as_bytes(), WsRead::default())
        .workspace()
        .expect("reads back");
    assert_eq!(back, ws);
}

#[test]
fn microsofts_reported_attribution_is_kept_compact_per_subscription() {
    let ws = from_files(&[read("azure-usage.csv")]);
    let fabrikam = ws
        .customers
        .iter()
        .find(|c| c.name == "Fabrikam, Ltd.")
        .expect("fabrikam");
    assert_eq!(fabrikam.reported.len(), 1, "24 equal months are one run");
    let r = &fabrikam.reported[0];
    assert_eq!(
        (r.from.to_string(), r.to.to_string()),
        ("2024-11".into(), "2026-10".into())
    );
    assert_eq!(r.associations, [Association::Pal]);
    assert_eq!(r.partners, [PartnerId::parse("4977985").expect("id")]);
    assert_eq!(r.admin_types, ["Contributor"]);
    let adatum = ws
        .customers
        .iter()
        .find(|c| c.name == "Adatum Corporation")
        .expect("adatum");
    assert_eq!(adatum.reported[0].associations, [Association::CspT2]);
    let sub = &adatum.subscriptions[0];
    assert_eq!(sub.offer, Offer::Csp);
    let csp = sub.csp.as_ref().expect("csp");
    assert_eq!(
        (csp.tier, csp.reseller_id.as_ref().map(|r| r.as_str())),
        (CspTier::Indirect, Some("6660001"))
    );
    let litware = ws
        .customers
        .iter()
        .find(|c| c.name == "Litware Inc")
        .expect("litware");
    let sub = &litware.subscriptions[0];
    assert!(
        sub.offer_assumed,
        "the download does not say the offer of a DPOR subscription"
    );
    assert_eq!(sub.offer, Offer::EnterpriseAgreement);
    assert_eq!(sub.dpor[0].from, Date::parse("2025-11-01").expect("d"));
}

#[test]
fn a_newer_download_updates_its_months_and_typed_values_are_conflicts() {
    let files = [read("azure-usage.csv")];
    let mut ws = from_files(&files);
    // A value the user typed differs from the download: a conflict, kept unless taken.
    let fab = ws
        .customers
        .iter_mut()
        .find(|c| c.name == "Fabrikam, Ltd.")
        .expect("fabrikam");
    let m = Month::parse("2026-10").expect("m");
    fab.usage[0].acr.set(m, 9999.0);
    fab.usage[0].source = None;
    fab.subscriptions[0].name = "Fabrikam prod (typed)".into();
    let plan = import::plan(&ws, &files, &opts());
    let conflicts: Vec<_> = plan
        .changes()
        .filter(|c| c.kind == ChangeKind::Conflict)
        .collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    let key = conflicts[0].key.clone().expect("key");
    assert!(
        conflicts[0].detail.contains("$9,999 → $1,500"),
        "{}",
        conflicts[0].detail
    );
    let kept = &plan
        .merged
        .customers
        .iter()
        .find(|c| c.name == "Fabrikam, Ltd.")
        .expect("f")
        .usage[0];
    assert_eq!(kept.acr.get(m), 9999.0, "kept by default");
    assert!(!plan.is_noop() || plan.conflict_count() == 1);
    let mut take = opts();
    take.take.insert(key);
    let plan = import::plan(&ws, &files, &take);
    let taken = &plan
        .merged
        .customers
        .iter()
        .find(|c| c.name == "Fabrikam, Ltd.")
        .expect("f")
        .usage[0];
    assert_eq!(taken.acr.get(m), 1500.0, "the file's value when taken");
    // The subscription name the user typed is not touched: A1 has no name.
    assert_eq!(
        plan.merged
            .customers
            .iter()
            .find(|c| c.name == "Fabrikam, Ltd.")
            .expect("f")
            .subscriptions[0]
            .name,
        "Fabrikam prod (typed)"
    );
}

#[test]
fn ids_decide_matches_never_names() {
    // The demo's Fabrikam has another tenant id than the fixture's: two customers, not one.
    let demo = pcs_workbench::data::demo();
    let before = demo.customers.len();
    let plan = import::plan(&demo, &[read("azure-usage.csv")], &opts());
    assert_eq!(plan.merged.customers.len(), before + 7);
    assert_eq!(
        plan.merged
            .customers
            .iter()
            .filter(|c| c.name.starts_with("Fabrikam"))
            .count(),
        2
    );
    // People match by e-mail: the same person under another name is one person.
    let mut ws = from_files(&[read("trainings.csv")]);
    ws.people[0].name = "A. Lovelace".into();
    let again = import::plan(&ws, &[read("trainings.csv")], &opts());
    assert!(again.is_noop());
    assert_eq!(again.merged.people.len(), ws.people.len());
}

#[test]
fn trainings_keep_certifications_only_and_list_unknown_titles() {
    let f = read("trainings.csv").facts;
    assert_eq!(f.people.len(), 8);
    let ada = &f.people["ada@contoso.example"];
    assert_eq!(ada.name, "Ada Lovelace");
    assert_eq!(ada.certifications.len(), 4);
    assert_eq!(
        f.skipped
            .get("exams, courses and other trainings (not certifications)"),
        Some(&2)
    );
    assert_eq!(f.unknown.len(), 1);
    assert_eq!(f.unknown[0].table, "certification");
    assert_eq!(
        f.unknown[0].name,
        "Microsoft Certified: Azure Juggler Associate"
    );
    assert_eq!(f.unknown[0].line, 23);
}

#[test]
fn every_nasty_file_gives_its_expected_outcome() {
    // BOM, lower-case reordered headers, aliases, US dates, quoted commas and quotes.
    let f = read("nasty/bom-lowercase-aliases.csv").facts;
    assert_eq!(f.kind, ImportKind::AzureUsage);
    assert_eq!((f.rows, f.refused_count), (72, 0));
    let t = f.tenants.values().next().expect("tenant");
    assert_eq!(t.name.as_deref(), Some("Fabrikam, Ltd. \"Europe\""));
    assert_eq!(t.usage.len(), 3);
    assert_eq!(
        f.months.map(|(a, b)| (a.to_string(), b.to_string())),
        Some(("2024-11".into(), "2026-10".into()))
    );
    assert!(
        f.partner
            .global_ids
            .contains_key(&PartnerId::parse("4977984").expect("id"))
    );

    // Duplicate rows flagged at PGA level are skipped, not summed.
    let f = read("nasty/duplicate-rows.csv").facts;
    assert_eq!(
        f.skipped
            .get("duplicate rows (IsACRDuplicateAtPGALevel = 1)"),
        Some(&24)
    );
    let sql = f
        .tenants
        .values()
        .next()
        .expect("t")
        .usage
        .values()
        .next()
        .expect("u");
    assert_eq!(sql.acr[&Month::parse("2024-11").expect("m")], 800.0);

    // An unknown workload is listed and left out; the known one imports.
    let f = read("nasty/unknown-workload.csv").facts;
    assert_eq!(f.unknown.len(), 1);
    assert_eq!(
        (
            f.unknown[0].table,
            f.unknown[0].name.as_str(),
            f.unknown[0].line
        ),
        ("workload", "Microsoft Kaizala", 2)
    );
    assert_eq!(
        f.tenants
            .values()
            .next()
            .expect("t")
            .workloads
            .keys()
            .collect::<Vec<_>>(),
        ["teams"]
    );

    // An unknown attribution type: listed, its row's ACR kept, no attribution recorded for it.
    let f = read("nasty/unknown-attribution.csv").facts;
    assert_eq!(f.unknown[0].table, "attribution type");
    assert_eq!(f.unknown[0].name, "Partner of the year");
    assert_eq!(f.unknown[0].line, 3);

    // Bad values are refused with line and column; the other rows import.
    let f = read("nasty/bad-values.csv").facts;
    assert_eq!(f.refused_count, 2);
    assert_eq!(
        f.refused.iter().map(|p| p.describe()).collect::<Vec<_>>(),
        [
            "line 3, column 2 (CustomerTenantId): \"not-a-guid\" is not a GUID like 7c6e1f0a-1111-4222-8333-944455556666",
            "line 4, column 17 (ACR_USD): \"twelve\" is not a number",
        ]
    );
    assert_eq!(f.rows, 4);

    // A file cut short: the rows before the cut import, the cut row is refused.
    let f = read("nasty/truncated.csv").facts;
    assert_eq!(f.refused_count, 1);
    let p = &f.refused[0];
    assert!(
        p.message.contains("the row ends after") && p.message.contains("cut short"),
        "{}",
        p.message
    );
    assert_eq!((p.line, p.column), (10, Some(4)), "{p:?}");
    assert_eq!(f.rows, 8);

    // Files of the wrong kind are refused with one sentence.
    let m = refused("nasty/wrong-kind.csv");
    assert!(
        m.starts_with("this looks like a CSV file with the columns ReferralId, CustomerName"),
        "{m}"
    );
    assert!(
        m.contains("expected one of: Partner Center: Azure usage;"),
        "{m}"
    );
    let m = refused("nasty/almost-azure-usage.csv");
    assert_eq!(
        m,
        "this looks like Partner Center: Azure usage but lacks the column ACR_USD"
    );
    let demo = pcs_workbench::data::DEMO_WORKSPACE.as_bytes().to_vec();
    let m = import::read("demo.pcs.json", demo, &ReadOptions::default())
        .expect_err("a workspace")
        .message;
    assert!(m.contains("PCS Workbench workspace file"), "{m}");
    for (bytes, want) in [
        (b"PK\x03\x04rest".to_vec(), "Excel workbook"),
        (Vec::new(), "empty"),
        (b"   \n".to_vec(), "empty"),
        (b"{\"tenants\": [1, 2".to_vec(), "not valid"),
        (vec![0xFF, 0xFE, b'a', 0], "UTF-16"),
        (b"{\"hello\": 1}".to_vec(), "not one of the outputs"),
    ] {
        let m = import::read("x", bytes, &ReadOptions::default())
            .expect_err("refused")
            .message;
        assert!(m.contains(want), "{want}: {m}");
    }
}

#[test]
fn a_cost_export_places_its_consumption_by_subscription() {
    let mut rates = ReadOptions::default();
    let f = import::read(
        "cost.csv",
        std::fs::read(path("cost-export.csv")).expect("f"),
        &rates,
    )
    .expect("read");
    assert_eq!(f.facts.kind, ImportKind::CostExport);
    assert_eq!(f.facts.loose_usage.len(), 2);
    assert_eq!(f.facts.refused_count, 1, "the EUR row needs a rate");
    assert!(f.facts.refused[0].message.contains("give a rate"));
    rates.usd_rates.insert("EUR".into(), 1.1);
    let f = import::read(
        "cost.csv",
        std::fs::read(path("cost-export.csv")).expect("f"),
        &rates,
    )
    .expect("read");
    assert_eq!(f.facts.refused_count, 0);
    let data = f
        .facts
        .loose_usage
        .iter()
        .find(|u| u.service == "SQL Database")
        .expect("sql");
    assert_eq!(data.acr[&Month::parse("2026-10").expect("m")], 610.0);
    assert!(data.scope.ends_with("/resourceGroups/rg-data"));
    // Placed in the customer that holds the subscription (from the inventory), or unmatched.
    let ws = from_files(&[read("tenant-inventory.json"), f.clone()]);
    let rel = ws
        .customers
        .iter()
        .find(|c| c.name == "Relecloud")
        .expect("relecloud");
    assert_eq!(rel.usage.len(), 2);
    let alone = import::plan(
        &import::empty_workspace("x", Month::parse("2026-10").expect("m")),
        &[f],
        &opts(),
    );
    assert_eq!(alone.unmatched.len(), 2);
    assert!(alone.unmatched[0].reason.contains("is in no customer yet"));
}

#[test]
fn customers_and_revenue_give_dynamics_revenue_and_license_usage_gives_seats() {
    let f = read("customers-revenue.csv").facts;
    let t = f.tenants.values().next().expect("alpine");
    assert_eq!(t.name.as_deref(), Some("Alpine Ski House"));
    let bc = &t.workloads["business_central"];
    assert_eq!(bc.revenue[&Month::parse("2026-10").expect("m")], 2400.0);
    assert_eq!(
        f.unknown
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        ["Microsoft 365 E3"]
    );
    let f = read("license-usage.csv").facts;
    assert_eq!(f.kind, ImportKind::LicenseUsage);
    let teams: Vec<_> = f
        .tenants
        .values()
        .filter_map(|t| t.workloads.get("teams"))
        .collect();
    assert_eq!(teams.len(), 2);
}

#[test]
fn a_version_1_file_imports_unchanged_in_meaning() {
    let v1 = std::fs::read(path("expected.pcs.json")).expect("v1");
    let ws = read_workspace(&v1, WsRead::default())
        .workspace()
        .expect("loads");
    assert_eq!(ws.version, 2, "upgraded on reading");
    let text = ws.to_json();
    let back = read_workspace(text.as_bytes(), WsRead::default())
        .workspace()
        .expect("v2 reads");
    assert_eq!(scores(&back), scores(&ws));
    // Written again, nothing new appears: version 2's fields are all optional.
    assert_eq!(back, ws);
    for key in [
        "\"source\"",
        "\"imports\"",
        "\"reported\"",
        "\"offer_assumed\"",
        "\"object_id\"",
        "\"email\"",
    ] {
        assert!(!text.contains(key), "{key} written for a v1 file");
    }
}

#[test]
fn thousands_of_rows_read_in_steps_like_at_once() {
    // 20,000 rows of a synthetic partner (the generator's A1 form).
    let ws = pcs_workbench::generate::generate(100, 3);
    let csv = pcs_workbench::generate::azure_usage_csv(&ws);
    let rows = csv.lines().count() - 1;
    assert!(rows > 15_000, "{rows}");
    let at_once =
        import::read("big.csv", csv.clone().into_bytes(), &ReadOptions::default()).expect("read");
    let mut r = import::FileReading::start("big.csv", csv.into_bytes(), &ReadOptions::default())
        .expect("start");
    let mut steps = 0;
    // Steps taken once every row is read: the series put in the facts, 500 a step.
    let mut finishing = 0;
    while !r.step(500) {
        steps += 1;
        finishing += usize::from(r.progress() >= 1.0);
    }
    assert!(steps >= 30);
    let series: usize = at_once.facts.tenants.values().map(|t| t.usage.len()).sum();
    assert!(series > 1_000, "{series} series");
    assert!(
        finishing >= series / 500,
        "{finishing} steps for {series} series"
    );
    let stepped = r.finish();
    assert_eq!(stepped.facts, at_once.facts);
    assert!(
        !stepped.facts.notes.is_empty(),
        "the notes once: {:?}",
        stepped.facts.notes
    );
    assert_eq!(at_once.facts.rows, rows);
    assert_eq!(at_once.facts.refused_count, 0);
}

/// The command line over files in memory; writes land back in the map.
struct Env {
    files: std::cell::RefCell<std::collections::BTreeMap<String, Vec<u8>>>,
}

impl pcs_workbench::cli::Environment for Env {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        self.files
            .borrow()
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }
    fn today(&self) -> Option<Date> {
        Some(today())
    }
    fn write(&self, path: &str, text: &str) -> std::io::Result<()> {
        self.files
            .borrow_mut()
            .insert(path.to_owned(), text.as_bytes().to_vec());
        Ok(())
    }
}

fn env() -> Env {
    let mut files = std::collections::BTreeMap::new();
    for f in FOUR
        .iter()
        .chain(&["cost-export.csv", "nasty/wrong-kind.csv"])
    {
        files.insert(f.to_string(), std::fs::read(path(f)).expect("fixture"));
    }
    Env {
        files: std::cell::RefCell::new(files),
    }
}

fn pcs(env: &Env, args: &[&str]) -> pcs_workbench::cli::Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    pcs_workbench::cli::run(&args, env)
}

#[test]
fn pcs_import_new_writes_a_scored_workspace_from_the_files_alone() {
    let env = env();
    let mut args = vec!["import", "--new"];
    args.extend(FOUR);
    args.extend(["--name", "Contoso Cloud"]);
    let out = pcs(&env, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("azure-usage.csv: Partner Center: Azure usage, 282 rows, 2024-11…2026-10"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("10 new customers"), "{}", out.stderr);
    let ws = read_workspace(out.stdout.as_bytes(), WsRead::default())
        .workspace()
        .expect("valid");
    assert_eq!(ws.name, "Contoso Cloud");
    assert_eq!(ws.as_of.to_string(), "2026-10");
    assert_eq!(scores(&ws), scores(&expected()));
    // --as-of overrides the month the files end on.
    let mut args2 = args.clone();
    args2.extend(["--as-of", "2026-09"]);
    let out = pcs(&env, &args2);
    let ws = read_workspace(out.stdout.as_bytes(), WsRead::default())
        .workspace()
        .expect("valid");
    assert_eq!(ws.as_of.to_string(), "2026-09");
}

#[test]
fn pcs_import_previews_applies_once_and_then_has_nothing_to_do() {
    let env = env();
    let mut args = vec!["import", "--new", "azure-usage.csv"];
    let out = pcs(&env, &args);
    env.files
        .borrow_mut()
        .insert("ws.json".into(), out.stdout.into_bytes());
    // Preview (JSON) of adding the other three files: nothing is written.
    args = vec![
        "import",
        "ws.json",
        "cpor-m365-usage.csv",
        "trainings.csv",
        "tenant-inventory.json",
        "--json",
    ];
    let before = env.files.borrow()["ws.json"].clone();
    let out = pcs(&env, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let plan: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(plan["conflicts"], 0);
    assert_eq!(plan["files"].as_array().expect("files").len(), 3);
    assert_eq!(plan["files"][2]["kind"], "tenant_inventory");
    assert_eq!(
        env.files.borrow()["ws.json"],
        before,
        "a preview writes nothing"
    );
    // Applied, the workspace file holds the merge; again, there is nothing to apply.
    args.pop();
    args.push("--apply");
    let out = pcs(&env, &args);
    assert!(
        out.stdout
            .contains("Applied: ws.json now holds the merged workspace."),
        "{}",
        out.stdout
    );
    let ws = read_workspace(&env.files.borrow()["ws.json"], WsRead::default())
        .workspace()
        .expect("valid");
    assert_eq!(ws.imports.len(), 4);
    let out = pcs(&env, &args);
    assert!(
        out.stdout
            .contains("No changes: the workspace already holds everything"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Nothing to apply."));
}

#[test]
fn pcs_import_refuses_files_it_does_not_read_and_asks_for_rates() {
    let env = env();
    let out = pcs(&env, &["import", "--new", "nasty/wrong-kind.csv"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("nasty/wrong-kind.csv: not imported: this looks like a CSV file with the columns ReferralId"), "{}", out.stderr);
    let out = pcs(
        &env,
        &[
            "import",
            "--new",
            "tenant-inventory.json",
            "cost-export.csv",
            "--rate",
            "EUR=1.10",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("give a rate"), "{}", out.stderr);
    let out = pcs(
        &env,
        &[
            "import",
            "--new",
            "tenant-inventory.json",
            "cost-export.csv",
        ],
    );
    assert!(
        out.stderr
            .contains("refused: cost-export.csv, 1 row(s) are in EUR: give a rate"),
        "{}",
        out.stderr
    );
    let out = pcs(
        &env,
        &["import", "--new", "cost-export.csv", "--rate", "euros"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--rate takes CUR=RATE"));
    let out = pcs(&env, &["import", "ws-missing.json", "cost-export.csv"]);
    assert_eq!(out.code, 2);
}

/// Found by the fuzz run: a 100,000-character customer name made the id search loop forever,
/// and one subscription under two tenants put usage in a customer without the subscription.
#[test]
fn hostile_names_and_a_subscription_under_two_tenants_still_merge_into_a_valid_workspace() {
    let header = "Month,CustomerTenantId,CustomerName,SubscriptionId,ServiceLevel2,MPNID,PartnerAttributionType,ACR_USD\n";
    let long = "x".repeat(100_000);
    let csv = format!(
        "{header}2026-10-01,10000001-0000-4000-8000-000000000001,{long},50000001-0000-4000-8000-000000000001,Storage,4977985,PAL,10\n\
         2026-10-01,10000002-0000-4000-8000-000000000002,Other,50000001-0000-4000-8000-000000000001,Storage,4977985,PAL,20\n"
    );
    let f = import::read("a1.csv", csv.into_bytes(), &ReadOptions::default()).expect("reads");
    let plan = import::plan(
        &import::empty_workspace("x", Month::parse("2026-10").expect("m")),
        &[f],
        &opts(),
    );
    assert!(plan.problems.is_empty(), "{:#?}", plan.problems);
    assert!(
        plan.merged
            .customers
            .iter()
            .all(|c| c.id.as_str().len() <= 60)
    );
    assert!(
        plan.unmatched
            .iter()
            .any(|u| u.what.starts_with("subscription 50000001")),
        "{:#?}",
        plan.unmatched
    );
}

/// Found by the import fuzz run: a certification row whose expiry precedes its completion
/// merged into a workspace that no longer validated. The row is now refused, with its place.
#[test]
fn a_training_that_expires_before_it_was_completed_is_refused_with_its_place() {
    let text = std::fs::read_to_string(path("trainings.csv")).expect("fixture");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[1] = lines[1].replace(",2026-03-10,", ",2020-03-10,");
    let bytes = (lines.join("\n") + "\n").into_bytes();
    let f = import::read("trainings.csv", bytes, &ReadOptions::default())
        .unwrap_or_else(|r| panic!("{r}"))
        .facts;
    assert_eq!(f.refused_count, 1);
    assert_eq!(
        f.refused[0].describe(),
        "line 2, column 9 (ExpirationDate): expires 2020-03-10, before it was completed (2024-03-10)"
    );
    // The other rows still import, and the merge gives a valid workspace.
    let ws = import::empty_workspace(
        "t",
        pcs_workbench::model::Month::parse("2026-10").expect("m"),
    );
    let file = import::read(
        "trainings.csv",
        (lines.join("\n") + "\n").into_bytes(),
        &ReadOptions::default(),
    )
    .unwrap_or_else(|r| panic!("{r}"));
    let plan = import::plan(&ws, &[file], &opts());
    assert!(plan.problems.is_empty(), "{:#?}", plan.problems);
    assert_eq!(plan.merged.people.len(), 8);
}
