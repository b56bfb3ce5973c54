//! The three Azure designations' customer metrics (Data & AI, Infrastructure, Digital & App
//! Innovation share them): net customer adds, usage growth, deployments; and the share of
//! SMB customers that picks their track.

use super::sums::Credited;
use super::{Contributor, Parts, Scorer, Unit, points};
use crate::attribution::Association;
use crate::model::*;
use std::collections::BTreeMap;

impl Scorer<'_> {
    /// Eligible customers (credited ACR ≥ `min_acr` in M or M-1) now, net of a year ago.
    pub(super) fn azure_net_customer_adds(
        &self,
        max: f64,
        m: Month,
        associations: &[Association],
        min_acr: f64,
        full: f64,
    ) -> Parts {
        // A customer's ACR when it is eligible in `mm`.
        let eligible = |credited: &Credited, ci: usize, mm: Month| {
            let a = credited.get(ci, mm);
            let b = credited.get(ci, mm.plus(-1));
            (a >= min_acr || b >= min_acr).then_some(a.max(b))
        };
        let count = |mm: Month| {
            let test = ("azure eligible", min_acr.to_bits(), mm);
            let holds = |c: &Credited, ci| eligible(c, ci, mm).is_some();
            self.sums.count(associations, false, test, &holds) as f64
        };
        let net = count(m) - count(m.plus(-12));
        let credited = self.sums.through(associations, false);
        let now = (0..self.ws.customers.len())
            .filter_map(|ci| eligible(&credited, ci, m).map(|acr| (ci, acr)));
        let contributors = self.listing(m, now, |(ci, acr)| {
            self.customer_contributor(ci, "Azure consumption", acr, None)
        });
        (net, points(max, net, full), None, contributors)
    }

    /// Growth of credited ACR, M against M-12, when the TTM reaches `min_ttm_acr`.
    pub(super) fn azure_usage_growth(
        &self,
        max: f64,
        m: Month,
        associations: &[Association],
        min_ttm_acr: f64,
        full_percent: f64,
    ) -> Parts {
        let credited = self.sums.through(associations, false);
        let total = |mm: Month| credited.total(mm);
        let (now, before) = (total(m), total(m.plus(-12)));
        let ttm: f64 = Month::range(m.plus(-11), m).map(total).sum();
        let growth = if before > 0.0 && ttm >= min_ttm_acr {
            (now - before) / before * 100.0
        } else {
            0.0
        };
        let credited = (0..self.ws.customers.len())
            .map(|ci| (ci, credited.get(ci, m)))
            .filter(|&(_, v)| v > 0.0);
        let contributors = self.listing(m, credited, |(ci, v)| {
            self.customer_contributor(ci, "Azure consumption", v, None)
        });
        (
            growth,
            points(max, growth, full_percent),
            None,
            contributors,
        )
    }

    /// Distinct services (Service Level 2, not the excluded ones) with credited ACR in TTM.
    pub(super) fn azure_deployments(
        &self,
        max: f64,
        m: Month,
        associations: &[Association],
        excluded_services: &[String],
        full: f64,
    ) -> Parts {
        // Keyed without case; the first spelling met is shown.
        let names = &self.sums.services;
        let excluded: Vec<bool> = names
            .iter()
            .map(|n| excluded_services.iter().any(|s| s.eq_ignore_ascii_case(n)))
            .collect();
        let ttm = || Month::range(m.plus(-11), m).filter_map(|mm| self.sums.month_slot(mm));
        if !self.lists(m) && self.sums.nonnegative() {
            // No sum below zero: a service's TTM ACR is above zero exactly when one of its
            // monthly sums is, which counts tell without adding any up.
            let counts = self.sums.service_counts(associations);
            let n = (0..names.len())
                .filter(|&s| !excluded[s] && ttm().any(|slot| counts[slot * names.len() + s] > 0))
                .count() as f64;
            return (n, points(max, n, full), None, Vec::new());
        }
        let per_month = self.sums.service_months(associations);
        let mut acr = vec![0.0; names.len()];
        for slot in ttm() {
            let row = &per_month[slot * names.len()..(slot + 1) * names.len()];
            for (s, v) in row.iter().enumerate() {
                if !excluded[s] {
                    acr[s] += v;
                }
            }
        }
        let services: BTreeMap<String, (String, f64)> = acr
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0.0)
            .map(|(i, v)| (names[i].to_lowercase(), (names[i].clone(), *v)))
            .collect();
        let n = services.len() as f64;
        let contributors = services
            .into_values()
            .map(|(s, v)| Contributor {
                customer: None,
                item: s,
                value: v,
                unit: Unit::Usd,
                association: None,
            })
            .collect();
        (n, points(max, n, full), None, contributors)
    }

    /// Share of associated customers (any credit in `m`) that are SMB-segment.
    pub(super) fn smb_share(&self, m: Month) -> f64 {
        let mut total = 0;
        let mut smb = 0;
        for (ci, c) in self.ws.customers.iter().enumerate() {
            if self.associated(ci, m) {
                total += 1;
                if c.segment == Segment::Smb {
                    smb += 1;
                }
            }
        }
        if total == 0 {
            0.0
        } else {
            smb as f64 / total as f64
        }
    }
}
