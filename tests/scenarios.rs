//! Hand-checked scenarios (`tests/scenarios/*.json`): for every designation and track,
//! each metric's value and points as worked out by hand (the arithmetic is in the comments).
//! M = 2026-10, M-12 = 2025-10.

use pcs_workbench::model::Workspace;
use pcs_workbench::scoring::{DesignationScore, evaluate};
use pcs_workbench::validate::{ReadOptions, read_workspace};

fn load(name: &str, rules: &str) -> Vec<DesignationScore> {
    let path = format!("{}/tests/scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let mut ws: Workspace = read_workspace(
        &std::fs::read(path).expect("scenario"),
        ReadOptions::default(),
    )
    .workspace()
    .expect("valid scenario");
    ws.rules = rules.to_owned();
    evaluate(&ws, pcs_workbench::rules::rule_set(rules).expect("rules")).designations
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// (metric, value, points) of a designation's track in the evaluated month.
fn track(ds: &[DesignationScore], designation: &str, track: &str) -> Vec<(String, f64, f64)> {
    let d = ds
        .iter()
        .find(|d| d.id == designation)
        .expect("designation");
    let t = d.tracks.iter().find(|t| t.track == track).expect("track");
    t.months
        .last()
        .expect("month")
        .metrics
        .iter()
        .map(|m| (m.id.clone(), round2(m.value), round2(m.points)))
        .collect()
}

fn expect(rows: &[(&str, f64, f64)]) -> Vec<(String, f64, f64)> {
    rows.iter()
        .map(|(m, v, p)| ((*m).to_owned(), *v, *p))
        .collect()
}

fn counting(ds: &[DesignationScore], designation: &str) -> (Option<String>, f64) {
    let d = ds
        .iter()
        .find(|d| d.id == designation)
        .expect("designation");
    (d.track.clone(), round2(d.score))
}

// Azure. Credited ACR: alpha (DPOR from 2026-01) 1,500 now, nothing at M-12; beta (CSP)
// 1,200 now and 1,100 then; gamma (PAL) 600 now, 300 then.
// Net adds ≥ $1,000 (Enterprise): {alpha, beta} − {beta} = 1 → 10.
// Net adds ≥ $500 (SMB): {alpha, beta, gamma} − {beta} = 2 → 20.
// Growth: (3,300 − 1,400) / 1,400 = 135.71 % → 20. Deployments: SQL, App Service,
// Storage (VMs excluded) = 3 → 6. Associated customers: 2 of 3 SMB (67 % < 80 %) → Enterprise.
#[test]
fn azure_designations_both_tracks() {
    let ds = load("azure-2026", "2026-11");
    let ug = ("usage_growth", 135.71, 20.0);
    let dep = ("deployments", 3.0, 6.0);
    // Administrators p1, p2 (≥ 2); Network Engineer p1 → 4. SMB: admin step 4 (cap) + 4.
    // Architect p3 only: Enterprise advanced fails (needs 2); SMB 4 + AVD p3 4.
    assert_eq!(
        track(&ds, "infrastructure_azure", "enterprise"),
        expect(&[
            ("net_customer_adds", 1.0, 10.0),
            ("intermediate_certifications", 1.0, 4.0),
            ("advanced_certifications", 0.0, 0.0),
            ug,
            dep
        ])
    );
    assert_eq!(
        track(&ds, "infrastructure_azure", "smb"),
        expect(&[
            ("net_customer_adds", 2.0, 20.0),
            ("intermediate_certifications", 1.0, 8.0),
            ("advanced_certifications", 1.0, 8.0),
            ug,
            dep
        ])
    );
    // D&AI: architect step needs 2 (Enterprise) → 0; SMB: architect 4 + admin 4, nobody scoring.
    assert_eq!(
        track(&ds, "data_ai_azure", "enterprise"),
        expect(&[
            ("net_customer_adds", 1.0, 10.0),
            ("intermediate_certifications", 0.0, 0.0),
            ug,
            dep
        ])
    );
    assert_eq!(
        track(&ds, "data_ai_azure", "smb"),
        expect(&[
            ("net_customer_adds", 2.0, 20.0),
            ("intermediate_certifications", 0.0, 8.0),
            ug,
            dep
        ])
    );
    // Digital & App Innovation: no developer or DevOps certification.
    assert_eq!(
        track(&ds, "digital_app_innovation_azure", "enterprise"),
        expect(&[
            ("net_customer_adds", 1.0, 10.0),
            ("intermediate_certifications", 0.0, 0.0),
            ("advanced_certifications", 0.0, 0.0),
            ug,
            dep
        ])
    );
    assert_eq!(
        track(&ds, "digital_app_innovation_azure", "smb"),
        expect(&[
            ("net_customer_adds", 2.0, 20.0),
            ("intermediate_certifications", 0.0, 4.0),
            ("advanced_certifications", 0.0, 4.0),
            ug,
            dep
        ])
    );
    assert_eq!(
        counting(&ds, "infrastructure_azure"),
        (Some("enterprise".into()), 40.0)
    );
}

// Modern Work. delta: Enterprise path (500 seats), CPOR approved 2025-11-05 on Teams.
// epsilon: Enterprise path (400 seats), DPOR from 2026-04-01. zeta: SMB path (100 seats), our CSP.
#[test]
fn modern_work_both_paths() {
    let ds = load("modern-work-2026", "2026-11");
    // Enterprise. Net adds, every association type of the path together (mid-2026): CPOR
    // {delta} and DPOR {epsilon} − {} = 2 → 2 × 4 = 8.
    // Usage: CPOR from the claim month 2025-11: 400 − 150 = 250 → 30 × 250 / 1,000 = 7.5;
    //        DPOR from 2026-04: 300 − 200 = 100 → 0.75; best CPOR.
    // Deployments: delta 400/500 = 80 % (30 % when claimed, so it counts) → 1 − 0 → 25 / 5 = 5;
    //        epsilon was already 50 % when associated → excluded.
    // Skilling: Teams Admin + Endpoint Admin = 2 × 2.5; Enterprise Admin Expert 1 × 7.5.
    assert_eq!(
        track(&ds, "modern_work", "enterprise"),
        expect(&[
            ("net_customer_adds", 2.0, 8.0),
            ("intermediate_certifications", 2.0, 5.0),
            ("advanced_certifications", 1.0, 7.5),
            ("usage_growth", 250.0, 7.5),
            ("deployments", 1.0, 5.0),
        ])
    );
    // SMB. Net adds: zeta associated both then and now → 0. Usage: CSP 80 − 30 = 50 →
    // 30 × 50 / 2,000 = 0.75. Deployments: 80 % now, 30 % then → 1 → 25 / 10 = 2.5.
    // Skilling: 2 × 5 = 10 (max 10); 1 × 15 = 15.
    assert_eq!(
        track(&ds, "modern_work", "smb"),
        expect(&[
            ("net_customer_adds", 0.0, 0.0),
            ("intermediate_certifications", 2.0, 10.0),
            ("advanced_certifications", 1.0, 15.0),
            ("usage_growth", 50.0, 0.75),
            ("deployments", 1.0, 2.5),
        ])
    );
    // Best of: Enterprise 33 > SMB 28.25 (neither qualifies: the higher total counts).
    assert_eq!(
        counting(&ds, "modern_work"),
        (Some("enterprise".into()), 33.0)
    );
    let d = ds.iter().find(|d| d.id == "modern_work").expect("mw");
    let ug = d
        .metrics()
        .iter()
        .find(|m| m.id == "usage_growth")
        .expect("ug");
    assert_eq!(
        ug.association,
        Some(pcs_workbench::attribution::Association::Cpor)
    );
}

// Security. eta (PAL): Sentinel $1,000 a month 2025-11..2026-10 (TTM $12,000) plus Key Vault
// $100 now, $50 at M-12 (TTM then $50). theta: 400 Defender for Endpoint seats, CPOR approved
// 2026-02, 300 active now (100 then, before the claim).
#[test]
fn security_2026_both_tracks() {
    let ds = load("security", "2026-11");
    // Mid-2026 rules: Azure and Microsoft 365 are counted separately and added; tenants are
    // sized for each path (with the SMB carry-over); step 2 is Security Operations Analyst only.
    // Enterprise. Net adds: Azure eta ($12,100 ≥ $600 TTM; $50 a year ago) 1 − 0, plus
    // Microsoft 365 theta (400 > 300 seats, CPOR since 2026-02) 1 − 0 = 2 → 2 × 2 = 4.
    // Skilling: 2 Security Engineers, but only 1 Security Operations Analyst at step 2 (the M365
    // Security Administrator no longer counts) → step 2 not met → 0.
    // Usage growth: Azure tenants above $12,000 TTM: eta now ($1,100), none a year ago ($50 TTM)
    // → 1,100 / 1,250 = 0.88; M365 tenants above 300 seats: theta 300 − 0 → 300 / 125 = 2.4 → 3.28.
    // Deployments: eta ($12,100 > $12,000) + theta (75 % ≥ 15 %) = 2 → 20 × 2 / 6 = 6.67.
    assert_eq!(
        track(&ds, "security", "enterprise"),
        expect(&[
            ("net_customer_adds", 2.0, 4.0),
            ("intermediate_certifications", 0.0, 0.0),
            ("usage_growth", 3.28, 3.28),
            ("deployments", 2.0, 6.67),
        ])
    );
    // SMB. Net adds: Azure eta ($600 on both paths) 1; theta's 400 seats are above 300 (and were
    // a year ago: no carry-over) → 1 → 4. Skilling: 4 + 4 + 2 × 8 = 24.
    // Usage growth: Azure tenants at most $12,000 TTM: eta was ($50) a year ago and has outgrown
    // the SMB size since, so it stays on the SMB path (carry-over): $1,100 − $50 = 1,050 / 750 =
    // 1.4; no M365 tenant has 5–300 seats → 1.4. Deployments: eta above $12,000 and below $750 a
    // year ago (no carry-over); theta above 300 → 0.
    assert_eq!(
        track(&ds, "security", "smb"),
        expect(&[
            ("net_customer_adds", 1.0, 4.0),
            ("intermediate_certifications", 2.0, 24.0),
            ("usage_growth", 1.4, 1.4),
            ("deployments", 0.0, 0.0),
        ])
    );
    // Neither path qualifies: the higher total counts, SMB 29.4 > Enterprise 13.95.
    assert_eq!(counting(&ds, "security"), (Some("smb".into()), 29.4));
}

#[test]
fn security_2023_one_track() {
    let ds = load("security", "2023-10");
    // Net adds: eta ($12,100 ≥ $100) + theta (≥ 25 seats) = 2 → 2 × 2 = 4. Skilling: one
    // person per prerequisite suffices; the 2023 list includes SecOps: r3, r5, r6 → 3 × 40/6 = 20.
    assert_eq!(
        track(&ds, "security", "none"),
        expect(&[
            ("net_customer_adds", 2.0, 4.0),
            ("intermediate_certifications", 3.0, 20.0),
            ("usage_growth", 3.24, 3.24),
            ("deployments", 2.0, 6.67),
        ])
    );
    assert_eq!(counting(&ds, "security"), (None, 33.91));
}

// Business Applications. iota: Sales by DPOR since 2025-01, 300 users (200 then), revenue
// $8,000 ($6,000 then). kappa: Finance by a usage-recognition claim approved 2025-06, 200
// users (150). lambda: a Power App owned by our PAL-linked maker since 2026-03, 80 users.
#[test]
fn business_applications_both_tracks() {
    let ds = load("business-applications-2026", "2026-11");
    // Track: only 1 pair above $5,000 in both M-1 and M-13 (< 5) → SMB.
    // Net adds (≥ $250; CPOR influenced/build intent, CSP or DPOR): iota now and then → 0.
    // MCV now: 300 × 200 + 200 × 100 + 80 × 200 = 96,000; then 40,000 + 15,000 = 55,000
    // (lambda not yet linked) → 74.55 % → 30. Deployments (SMB ≥ 5,000): 3 − 2 = 1 → 4.
    // Skilling SMB: 1 × 4 (the mid-2026 list no longer has the Sales functional consultant,
    // n1's certification; n2's Power Platform Functional Consultant counts until 2027-08-31);
    // 1 × 7.5 (n3's Power Platform Solution Architect counts until 2027-06-30).
    assert_eq!(
        track(&ds, "business_applications", "smb"),
        expect(&[
            ("net_customer_adds", 0.0, 0.0),
            ("intermediate_certifications", 1.0, 4.0),
            ("advanced_certifications", 1.0, 7.5),
            ("usage_growth", 74.55, 30.0),
            ("deployments", 1.0, 4.0),
        ])
    );
    // Enterprise (computed, not counting): baseline 55,000 ≥ 50,000; deployments ≥ 10,000:
    // now iota, kappa, lambda; then iota only (kappa 15,000 ≥ 10,000 too) → 3 − 2 = 1.
    assert_eq!(
        track(&ds, "business_applications", "enterprise"),
        expect(&[
            ("net_customer_adds", 0.0, 0.0),
            ("intermediate_certifications", 1.0, 1.0),
            ("advanced_certifications", 1.0, 2.14),
            ("usage_growth", 74.55, 30.0),
            ("deployments", 1.0, 4.0),
        ])
    );
    assert_eq!(
        counting(&ds, "business_applications"),
        (Some("smb".into()), 45.5)
    );
}

// The same scenarios under the 2023-10 rules.
#[test]
fn azure_designations_2023_single_track() {
    let ds = load("azure-2026", "2023-10");
    let ug = ("usage_growth", 135.71, 20.0);
    let dep = ("deployments", 3.0, 6.0);
    // One track with the Enterprise numbers: $1,000 for an eligible customer; prerequisite
    // steps need 2 people and earn nothing (p3 is the only architect).
    assert_eq!(
        track(&ds, "infrastructure_azure", "none"),
        expect(&[
            ("net_customer_adds", 1.0, 10.0),
            ("intermediate_certifications", 1.0, 4.0),
            ("advanced_certifications", 0.0, 0.0),
            ug,
            dep
        ])
    );
    assert_eq!(
        track(&ds, "data_ai_azure", "none"),
        expect(&[
            ("net_customer_adds", 1.0, 10.0),
            ("intermediate_certifications", 0.0, 0.0),
            ug,
            dep
        ])
    );
    assert_eq!(
        track(&ds, "digital_app_innovation_azure", "none"),
        expect(&[
            ("net_customer_adds", 1.0, 10.0),
            ("intermediate_certifications", 0.0, 0.0),
            ("advanced_certifications", 0.0, 0.0),
            ug,
            dep
        ])
    );
    assert_eq!(counting(&ds, "infrastructure_azure"), (None, 40.0));
}

#[test]
fn modern_work_and_business_applications_2023() {
    // Modern Work 2023: net customer adds are best of per association type (CPOR {delta} 1,
    // DPOR {epsilon} 1 → 1 → 4), not counted together as in 2026-11; the rest is the same.
    let mw23 = track(
        &load("modern-work-2026", "2023-10"),
        "modern_work",
        "enterprise",
    );
    let mw26 = track(
        &load("modern-work-2026", "2026-11"),
        "modern_work",
        "enterprise",
    );
    assert_eq!(mw23[0], ("net_customer_adds".into(), 1.0, 4.0));
    assert_eq!(mw26[0], ("net_customer_adds".into(), 2.0, 8.0));
    assert_eq!(mw23[1..], mw26[1..]);
    assert_eq!(
        track(&load("modern-work-2026", "2023-10"), "modern_work", "smb"),
        track(&load("modern-work-2026", "2026-11"), "modern_work", "smb")
    );
    // Business Applications: CSP does not count for usage in 2023, but this scenario uses
    // DPOR, CPOR and PAL only, so the SMB track scores the same 49.5.
    let ds = load("business-applications-2026", "2023-10");
    assert_eq!(
        counting(&ds, "business_applications"),
        (Some("smb".into()), 49.5)
    );
}
