//! Partner Center Insights downloads (CSV): Azure usage (A1), Office 365 license usage and
//! CPOR-M365 usage (A2), customers and revenue (A3), trainings and certifications (A4).

use super::facts::{ClaimFacts, FileFacts, PersonFacts, RowProblem, UsageFacts};
use super::table::{Column, Row, opt, req};
use crate::model::*;
use crate::rules::names::{LabelMeaning, Names};
use std::collections::{BTreeMap, HashMap};

pub const AZURE_USAGE: &[Column] = &[
    req("month", &["Month"]),
    req("tenant", &["CustomerTenantId", "CustomerTenantID"]),
    opt("customer", &["CustomerName"]),
    opt("segment", &["CustomerSegment"]),
    req("subscription", &["SubscriptionId", "SubscriptionID"]),
    opt("sub_start", &["SubscriptionStartDate"]),
    opt("sub_state", &["SubscriptionState"]),
    req("service", &["ServiceLevel2", "Service Level 2"]),
    opt("mpn", &["MPNID", "MpnId", "PartnerID"]),
    opt("pga", &["PGAMpnID", "PGAMpnId", "PGAPartnerID"]),
    opt("attribution", &["PartnerAttributionType"]),
    opt("association", &["AssociationType"]),
    opt("admin", &["AdminType"]),
    opt("channel", &["SalesChannel"]),
    opt("reseller", &["ResellerID", "ResellerId"]),
    opt("duplicate", &["IsACRDuplicateAtPGALevel"]),
    req("acr", &["ACR_USD", "ACRUSD", "ACR"]),
];

pub const LICENSE_USAGE: &[Column] = &[
    req("tenant", &["CustomerTenantId"]),
    opt("tpid", &["CustomerTpid"]),
    req("workload", &["WorkloadName"]),
    req("month", &["Month"]),
    req("paid", &["PaidAvailableUnits"]),
    req("active", &["MonthlyActiveUsers"]),
    opt("mpn", &["PartnerID", "MPNId"]),
    opt("attribution", &["PartnerAttributionType"]),
    opt("duplicate", &["IsDuplicateRowForPGA"]),
];

pub const CPOR_M365_USAGE: &[Column] = &[
    req("tenant", &["CustomerTenantId"]),
    opt("customer", &["CustomerName"]),
    req("workload", &["WorkloadName"]),
    req("active", &["MonthlyActiveUsers"]),
    req("paid", &["PaidAvailableUnits"]),
    req("claim", &["ClaimId", "ClaimID"]),
    opt("mpn", &["MpnId", "MPNID", "PartnerID"]),
    req("associated", &["DateAssociated"]),
    opt("attribution", &["PartnerAttributionType"]),
    req("month", &["Date", "Month"]),
];

pub const CUSTOMERS_REVENUE: &[Column] = &[
    opt("pga", &["PGAMpnID", "PGAMpnId"]),
    opt("customer", &["CustomerName"]),
    req("tenant", &["CustomerTenantId"]),
    req("product", &["Product"]),
    opt("sku", &["SKU"]),
    req("month", &["Month"]),
    opt("mpn", &["MPNId", "MPNID"]),
    opt("attribution", &["PartnerAttributionType"]),
    opt("channel", &["SalesChannel"]),
    opt("duplicate", &["IsDuplicateRowForPGA"]),
    opt("seats", &["AvailableSeats"]),
    req("billed", &["BilledRevenueUSD"]),
    opt("azure", &["AzureConsumedRevenueUSD"]),
    opt("cpor_revenue", &["CPORRevenue"]),
    opt("cpor_seats", &["CPORPaidSeats"]),
    opt("cpor_active", &["CPORActiveUsers"]),
];

pub const TRAININGS: &[Column] = &[
    opt("activity", &["TrainingActivityId"]),
    req("title", &["TrainingTitle"]),
    req("type", &["TrainingType"]),
    opt("first", &["IndividualFirstName"]),
    opt("last", &["IndividualLastName"]),
    opt("email", &["Email"]),
    opt("corp_email", &["CorpEmail"]),
    req("completed", &["TrainingCompletionDate"]),
    opt("expires", &["ExpirationDate"]),
    opt("status", &["ActivationStatus"]),
    opt("mpn", &["MpnId", "MPNID"]),
];

/// Counts a partner ID seen on a row.
fn count(map: &mut BTreeMap<PartnerId, usize>, id: Option<PartnerId>) {
    if let Some(id) = id {
        *map.entry(id).or_default() += 1;
    }
}

/// ACR by month and attribution label, of one (tenant, subscription, service).
type ByMonth = BTreeMap<Month, Vec<(String, f64)>>;

/// The series of an A1 download by (tenant, subscription, service).
type A1Series = ((String, String, String), ByMonth);

/// A1: Microsoft's view of Azure consumption credited to the partner.
#[derive(Default)]
pub struct AzureUsage {
    /// ACR by (tenant, subscription, service, month) and by attribution label: the same
    /// consumption reported under two labels is counted once (the larger).
    acr: HashMap<(String, String, String), ByMonth>,
    /// The service name as first written, by its lower-case key.
    service_names: HashMap<String, String>,
    /// How far the series read are in the facts.
    finishing: Finishing,
}

/// Where [`AzureUsage::finish_step`] is.
#[derive(Default)]
enum Finishing {
    /// Rows still being read.
    #[default]
    Reading,
    /// The series left to put in the facts, and the service-months that summed to a
    /// negative ACR so far.
    Putting(std::vec::IntoIter<A1Series>, usize),
    /// Every series in the facts, the notes added.
    Done,
}

impl AzureUsage {
    pub fn row(&mut self, row: &Row, f: &mut FileFacts, names: &Names) -> Result<(), RowProblem> {
        if row.flag("duplicate")? {
            f.skip("duplicate rows (IsACRDuplicateAtPGALevel = 1)");
            return Ok(());
        }
        let month = row.month("month")?;
        let tenant = row.guid("tenant")?;
        let sub = row.guid("subscription")?;
        let service = row.required("service")?.to_owned();
        let acr = row.number("acr")?;
        let mpn = row.partner_id("mpn")?;
        let pga = row.partner_id("pga")?;
        let created = row.date("sub_start")?;
        let label = row
            .text("attribution")?
            .or(row.text("association")?)
            .map(str::to_owned);
        let channel = row.text("channel")?.map(str::to_owned);
        let reseller = row.partner_id("reseller")?;
        let admin = row.text("admin")?.map(str::to_owned);

        let meaning = match &label {
            None => None,
            Some(l) => {
                let m = names.attribution(l).or_else(|| {
                    row.text("association")
                        .ok()
                        .flatten()
                        .and_then(|a| names.attribution(a))
                });
                if m.is_none() {
                    f.unknown_name("attribution type", l, row.line);
                }
                m
            }
        };
        let association = match meaning {
            Some(LabelMeaning::Csp) => {
                let tier = match &channel {
                    Some(c) => match names.csp_tier(c) {
                        Some(t) => Some(t),
                        None => {
                            f.unknown_name("sales channel", c, row.line);
                            None
                        }
                    },
                    // Without a sales channel, a reseller ID is what makes CSP indirect.
                    None => Some(if reseller.is_some() { 2 } else { 1 }),
                };
                match tier {
                    Some(1) => Some(Association::CspT1),
                    Some(_) => Some(Association::CspT2),
                    None => None,
                }
            }
            Some(LabelMeaning::CspT1) => Some(Association::CspT1),
            Some(LabelMeaning::CspT2) => Some(Association::CspT2),
            Some(LabelMeaning::Dpor) => Some(Association::Dpor),
            Some(LabelMeaning::Pal) => Some(Association::Pal),
            Some(LabelMeaning::Cpor) => Some(Association::Cpor),
            Some(LabelMeaning::NotAnAssociation) => {
                f.skip("rows credited by a tracked template or the marketplace (CUA): ACR kept, not a PCS association");
                None
            }
            None => None,
        };

        f.saw_month(month);
        count(&mut f.partner.locations, mpn.clone());
        count(&mut f.partner.global_ids, pga);
        let state = match row.text("sub_state")? {
            Some(s) => match names.subscription_status(s) {
                Some(st) => Some(st),
                None => {
                    f.unknown_name("subscription state", s, row.line);
                    None
                }
            },
            None => None,
        };
        let segment = match row.text("segment")? {
            Some(s) => match names.segment(s) {
                Some(seg) => Some(seg),
                None => {
                    f.unknown_name("customer segment", s, row.line);
                    None
                }
            },
            None => None,
        };
        let customer = row.text("customer")?.map(str::to_owned);

        let t = f.tenant(&tenant);
        if t.name.is_none() {
            t.name = customer;
        }
        if t.segment.is_none() {
            t.segment = segment;
        }
        let s = t.subscription(&sub);
        s.created = s.created.or(created);
        if state.is_some() {
            s.status = state;
        }
        match association {
            Some(a @ (Association::CspT1 | Association::CspT2)) => {
                if let Some(p) = &mpn {
                    s.offer = Some(Offer::Csp);
                    s.csp = Some(CspRecord {
                        tier: if a == Association::CspT1 {
                            CspTier::Direct
                        } else {
                            CspTier::Indirect
                        },
                        partner_id: p.clone(),
                        reseller_id: if a == Association::CspT2 {
                            reseller.clone()
                        } else {
                            None
                        },
                    });
                }
            }
            Some(Association::Dpor) => {
                if s.offer.is_none() {
                    s.assumed_offer = Offer::EnterpriseAgreement;
                }
                if let Some(p) = &mpn {
                    let from = month.first_day();
                    s.dpor = match s.dpor.take() {
                        Some((q, d)) if &q == p => Some((q, d.min(from))),
                        Some(other) => Some(other),
                        None => Some((p.clone(), from)),
                    };
                }
            }
            _ => {}
        }
        let r = t.reported.entry((sub.key(), month)).or_default();
        if let Some(a) = association {
            r.associations.insert(a);
            if let Some(p) = &mpn {
                r.partners.insert(p.clone());
            }
            if let Some(admin) = admin.filter(|_| a == Association::Pal) {
                r.admin_types.insert(admin);
            }
        }
        let key = service.to_lowercase();
        self.service_names.entry(key.clone()).or_insert(service);
        let label = label.unwrap_or_default().to_lowercase();
        let by_label = self
            .acr
            .entry((tenant.key(), sub.key(), key))
            .or_default()
            .entry(month)
            .or_default();
        match by_label.iter_mut().find(|(l, _)| *l == label) {
            Some((_, v)) => *v += acr,
            None => by_label.push((label, acr)),
        }
        Ok(())
    }

    /// Once every row is read: put up to `n` more of the series read in the facts; true
    /// (with the notes added) once all are. A large download's last step is spread this way.
    pub fn finish_step(&mut self, f: &mut FileFacts, n: usize) -> bool {
        if matches!(self.finishing, Finishing::Reading) {
            let series: Vec<A1Series> = std::mem::take(&mut self.acr).into_iter().collect();
            self.finishing = Finishing::Putting(series.into_iter(), 0);
        }
        let Finishing::Putting(series, negative) = &mut self.finishing else {
            return true;
        };
        for ((tenant, sub, service), by_month) in series.take(n) {
            let Some(t) = f.tenants.get_mut(&tenant) else {
                continue;
            };
            let Some(sub_id) = t.subscriptions.get(&sub).map(|s| s.id.clone()) else {
                continue;
            };
            let acr: BTreeMap<Month, f64> = by_month
                .into_iter()
                .map(|(m, by_label)| {
                    let v = by_label.iter().map(|(_, v)| *v).fold(f64::MIN, f64::max);
                    if v < 0.0 {
                        *negative += 1;
                    }
                    (m, v.max(0.0))
                })
                .collect();
            let name = self
                .service_names
                .get(&service)
                .cloned()
                .unwrap_or_default();
            let scope = format!("/subscriptions/{sub_id}");
            t.usage.insert(
                (scope.to_lowercase(), service),
                UsageFacts {
                    subscription: sub_id,
                    scope,
                    service: name,
                    acr,
                },
            );
        }
        if !series.as_slice().is_empty() {
            return false;
        }
        let negative = *negative;
        if negative > 0 {
            f.notes.push(format!("{negative} service-month(s) summed to a negative ACR (credits or refunds) and count as 0"));
        }
        let unknown_offers = f
            .tenants
            .values()
            .flat_map(|t| t.subscriptions.values())
            .filter(|s| s.offer.is_none())
            .count();
        if unknown_offers > 0 {
            f.notes.push(format!(
                "{unknown_offers} subscription(s) are not CSP and the download does not say their offer: they are scored as Azure plan (PAL) or Enterprise Agreement (DPOR) and marked for review"
            ));
        }
        self.finishing = Finishing::Done;
        true
    }

    /// Put every series read in the facts, with the notes.
    pub fn finish(mut self, f: &mut FileFacts) {
        while !self.finish_step(f, usize::MAX) {}
    }
}

/// The series of a workload in a tenant, created on first use.
fn workload<'f>(
    f: &'f mut FileFacts,
    tenant: &Guid,
    id: &str,
) -> &'f mut super::facts::WorkloadFacts {
    f.tenant(tenant).workloads.entry(id.to_owned()).or_default()
}

fn keep_max(series: &mut BTreeMap<Month, f64>, m: Month, v: f64) {
    let e = series.entry(m).or_insert(0.0);
    *e = e.max(v.max(0.0));
}

/// Map a workload name, listing it when unknown.
fn workload_id(row: &Row, f: &mut FileFacts, names: &Names) -> Result<Option<String>, RowProblem> {
    let name = row.required("workload")?;
    match names.workload(name) {
        Some(id) => Ok(Some(id.to_owned())),
        None => {
            f.unknown_name("workload", name, row.line);
            Ok(None)
        }
    }
}

/// A2: Office 365 license usage: paid and active seats per workload and month.
pub fn license_usage_row(row: &Row, f: &mut FileFacts, names: &Names) -> Result<(), RowProblem> {
    if row.flag("duplicate")? {
        f.skip("duplicate rows (IsDuplicateRowForPGA = 1)");
        return Ok(());
    }
    let tenant = row.guid("tenant")?;
    let month = row.month("month")?;
    let paid = row.number("paid")?;
    let active = row.number("active")?;
    let mpn = row.partner_id("mpn")?;
    let Some(id) = workload_id(row, f, names)? else {
        return Ok(());
    };
    if let Some(label) = row.text("attribution")? {
        match names.attribution(label) {
            Some(LabelMeaning::Csp | LabelMeaning::CspT1 | LabelMeaning::CspT2) => {
                f.skip("CSP-attributed workload rows: series kept; link the workload to its CSP subscription on the customer page for CSP credit");
            }
            Some(_) => {}
            None => f.unknown_name("attribution type", label, row.line),
        }
    }
    f.saw_month(month);
    count(&mut f.partner.locations, mpn);
    let w = workload(f, &tenant, &id);
    keep_max(&mut w.paid_seats, month, paid);
    keep_max(&mut w.active_users, month, active);
    Ok(())
}

/// A2: CPOR-M365 usage: seats per claimed workload and the claims known to be approved.
pub fn cpor_usage_row(row: &Row, f: &mut FileFacts, names: &Names) -> Result<(), RowProblem> {
    let tenant = row.guid("tenant")?;
    let month = row.month("month")?;
    let paid = row.number("paid")?;
    let active = row.number("active")?;
    let claim = row.required("claim")?.to_owned();
    let associated = row
        .date("associated")?
        .ok_or_else(|| row.problem("associated", "DateAssociated is empty"))?;
    let mpn = row.partner_id("mpn")?;
    let customer = row.text("customer")?.map(str::to_owned);
    let Some(id) = workload_id(row, f, names)? else {
        return Ok(());
    };
    let Some(partner) = mpn.clone() else {
        return Err(row.problem(
            "mpn",
            "MpnId is empty: a claim needs the claiming partner ID",
        ));
    };
    f.saw_month(month);
    count(&mut f.partner.locations, mpn);
    let t = f.tenant(&tenant);
    if t.name.is_none() {
        t.name = customer;
    }
    let c = t.claims.entry(claim.clone()).or_insert_with(|| ClaimFacts {
        id: claim,
        partner,
        workloads: Default::default(),
        approved_on: associated,
    });
    c.workloads.insert(id.clone());
    c.approved_on = c.approved_on.min(associated);
    let w = workload(f, &tenant, &id);
    keep_max(&mut w.paid_seats, month, paid);
    keep_max(&mut w.active_users, month, active);
    Ok(())
}

/// A3: customers and revenue: customers, and revenue of Dynamics 365 and Power Platform
/// products that map to a workload.
pub fn customers_revenue_row(
    row: &Row,
    f: &mut FileFacts,
    names: &Names,
) -> Result<(), RowProblem> {
    if row.flag("duplicate")? {
        f.skip("duplicate rows (IsDuplicateRowForPGA = 1)");
        return Ok(());
    }
    let tenant = row.guid("tenant")?;
    let month = row.month("month")?;
    let billed = row.number("billed")?;
    let seats = row.number("seats")?;
    let product = row.required("product")?.to_owned();
    let customer = row.text("customer")?.map(str::to_owned);
    count(&mut f.partner.locations, row.partner_id("mpn")?);
    count(&mut f.partner.global_ids, row.partner_id("pga")?);
    f.saw_month(month);
    let t = f.tenant(&tenant);
    if t.name.is_none() {
        t.name = customer;
    }
    let Some(id) = names.workload(&product).map(str::to_owned) else {
        f.unknown_name("product", &product, row.line);
        return Ok(());
    };
    let family_ok = crate::rules::RULE_SET_IDS
        .iter()
        .filter_map(|r| crate::rules::rule_set(r))
        .filter_map(|r| r.workload(&id))
        .any(|w| w.is("dynamics365") || w.is("power_platform"));
    if !family_ok {
        f.skip("products that are not Dynamics 365 or Power Platform (their usage comes from the license usage report)");
        return Ok(());
    }
    let w = workload(f, &tenant, &id);
    *w.revenue.entry(month).or_insert(0.0) += billed.max(0.0);
    keep_max(&mut w.paid_seats, month, seats);
    Ok(())
}

/// A4: trainings, exams and certifications: people by e-mail with their certifications.
pub fn trainings_row(row: &Row, f: &mut FileFacts, names: &Names) -> Result<(), RowProblem> {
    let kind = row.required("type")?;
    if !names.is_certification_type(kind) {
        f.skip("exams, courses and other trainings (not certifications)");
        return Ok(());
    }
    let title = row.required("title")?.to_owned();
    let email = match row.text("corp_email")?.or(row.text("email")?) {
        Some(e) if e.contains('@') => e.to_lowercase(),
        Some(e) => {
            let key = if row.text("corp_email")?.is_some() {
                "corp_email"
            } else {
                "email"
            };
            return Err(row.problem(
                key,
                format!(
                    "\"{}\" is not an e-mail address",
                    crate::model::json::shorten(e, 40)
                ),
            ));
        }
        None => {
            return Err(row.problem(
                "email",
                "no e-mail: people are matched by e-mail only, never by name",
            ));
        }
    };
    let earned = row
        .date("completed")?
        .ok_or_else(|| row.problem("completed", "TrainingCompletionDate is empty"))?;
    let expires = row.date("expires")?;
    if let Some(e) = expires.filter(|e| *e < earned) {
        return Err(row.problem(
            "expires",
            format!("expires {e}, before it was completed ({earned})"),
        ));
    }
    count(&mut f.partner.locations, row.partner_id("mpn")?);
    let Some(cert) = names.certification(&title).map(str::to_owned) else {
        f.unknown_name("certification", &title, row.line);
        return Ok(());
    };
    let first = row.text("first")?.unwrap_or_default();
    let last = row.text("last")?.unwrap_or_default();
    let name = format!("{first} {last}").trim().to_owned();
    let p = f
        .people
        .entry(email.clone())
        .or_insert_with(|| PersonFacts {
            name: if name.is_empty() {
                email.split('@').next().unwrap_or_default().to_owned()
            } else {
                name
            },
            email,
            certifications: Vec::new(),
        });
    // One entry per certification: the latest time it was earned.
    match p.certifications.iter_mut().find(|(c, _, _)| *c == cert) {
        Some(existing) if existing.1 < earned => *existing = (cert, earned, expires),
        Some(_) => {}
        None => p.certifications.push((cert, earned, expires)),
    }
    Ok(())
}
