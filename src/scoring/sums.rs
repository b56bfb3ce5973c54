//! Credited ACR summed once per evaluation, per customer and month, grouped by the credits
//! that earned it (and by service for the deployments metric).

use crate::attribution::{Association, Attribution, Credits};
use crate::model::*;
use std::collections::BTreeMap;

/// ACR of the lines sharing one set of credits, in one customer and month.
#[derive(Debug, Clone, Copy)]
pub(super) struct AcrSum {
    credits: Credits,
    all: f64,
    /// Of which on the rule set's security services.
    security: f64,
}

/// Credited ACR per customer and month, grouped by the credits that earned it: every metric
/// reads these few sums instead of walking the usage lines again for each month it looks at.
pub(super) struct AcrSums {
    from: Month,
    months: usize,
    /// `[customer * months + slot]`.
    sums: Vec<Vec<AcrSum>>,
    /// The same ACR split by service too: `[customer * months + slot]`.
    by_service: Vec<Vec<ServiceSum>>,
    /// Each distinct service (trimmed, first spelling met) by its case-insensitive key.
    pub(super) services: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct ServiceSum {
    pub(super) service: usize,
    pub(super) credits: Credits,
    pub(super) acr: f64,
}

impl AcrSums {
    pub(super) fn new(
        ws: &Workspace,
        att: &Attribution,
        is_security: impl Fn(&str) -> bool,
    ) -> AcrSums {
        let months = Month::range(att.from, att.to).count();
        let mut sums = Vec::with_capacity(ws.customers.len() * months);
        let mut by_service = Vec::with_capacity(ws.customers.len() * months);
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let mut services: Vec<String> = Vec::new();
        let mut security_of: Vec<bool> = Vec::new();
        for (ci, c) in ws.customers.iter().enumerate() {
            let line_service: Vec<usize> = c
                .usage
                .iter()
                .map(|u| {
                    let name = u.service.trim();
                    *index.entry(name.to_lowercase()).or_insert_with(|| {
                        services.push(name.to_owned());
                        security_of.push(is_security(name));
                        services.len() - 1
                    })
                })
                .collect();
            let mut here: Vec<Vec<AcrSum>> = vec![Vec::new(); months];
            let mut split: Vec<Vec<ServiceSum>> = vec![Vec::new(); months];
            for (li, u) in c.usage.iter().enumerate() {
                let service = line_service[li];
                for (m, v) in u.acr.range(att.from, att.to) {
                    let slot = m.since(att.from) as usize;
                    let credits = att.customers[ci].lines[li][slot];
                    if v == 0.0 || !credits.any() {
                        continue;
                    }
                    let sec = if security_of[service] { v } else { 0.0 };
                    match here[slot].iter_mut().find(|x| x.credits == credits) {
                        Some(x) => {
                            x.all += v;
                            x.security += sec;
                        }
                        None => here[slot].push(AcrSum {
                            credits,
                            all: v,
                            security: sec,
                        }),
                    }
                    match split[slot]
                        .iter_mut()
                        .find(|x| x.credits == credits && x.service == service)
                    {
                        Some(x) => x.acr += v,
                        None => split[slot].push(ServiceSum {
                            service,
                            credits,
                            acr: v,
                        }),
                    }
                }
            }
            sums.extend(here);
            by_service.extend(split);
        }
        AcrSums {
            from: att.from,
            months,
            sums,
            by_service,
            services,
        }
    }

    fn slot(&self, ci: usize, m: Month) -> Option<usize> {
        let slot = m.since(self.from);
        (slot >= 0 && (slot as usize) < self.months).then(|| ci * self.months + slot as usize)
    }

    pub(super) fn per_service(&self, ci: usize, m: Month) -> &[ServiceSum] {
        self.slot(ci, m)
            .and_then(|i| self.by_service.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// Credited ACR of a customer in `m` through any of `assocs` (security services only
    /// when `security`).
    pub(super) fn credited(
        &self,
        ci: usize,
        m: Month,
        assocs: &[Association],
        security: bool,
    ) -> f64 {
        let mask = Credits::of(assocs);
        self.get(ci, m)
            .iter()
            .filter(|x| x.credits.intersects(mask))
            .map(|x| if security { x.security } else { x.all })
            .sum()
    }

    fn get(&self, ci: usize, m: Month) -> &[AcrSum] {
        self.slot(ci, m)
            .and_then(|i| self.sums.get(i))
            .map_or(&[], Vec::as_slice)
    }
}
