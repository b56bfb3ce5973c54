//! Credited ACR summed once per evaluation, per customer and month, grouped by the credits
//! that earned it (and by service for the deployments metric).

use crate::attribution::{Association, Attribution, Credits};
use crate::model::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

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
    /// The credited ACR through one set of associations, taken once per evaluation for
    /// each set a metric asks for (the designations share most of them).
    through: RefCell<Vec<((Credits, bool), Rc<Credited>)>>,
    /// Per set of associations, the credited ACR of each service in each month.
    service_months: RefCell<Vec<(Credits, Rc<Vec<f64>>)>>,
}

/// Credited ACR of every customer in every month through one set of associations.
pub(super) struct Credited {
    from: Month,
    months: usize,
    /// `[customer * months + slot]`.
    acr: Vec<f64>,
    /// Running totals per customer: `[customer * (months + 1) + k]` is the sum of its first
    /// `k` months, so a trailing twelve months is one subtraction.
    running: Vec<f64>,
    /// All customers together, per month.
    total: Vec<f64>,
}

impl Credited {
    fn slot(&self, m: Month) -> Option<usize> {
        let slot = m.since(self.from);
        (slot >= 0 && (slot as usize) < self.months).then_some(slot as usize)
    }

    /// A customer's credited ACR in `m` (none outside the attribution's months).
    pub(super) fn get(&self, ci: usize, m: Month) -> f64 {
        self.slot(m).map_or(0.0, |s| self.acr[ci * self.months + s])
    }

    /// A customer's credited ACR over the twelve months ending with `m`.
    pub(super) fn ttm(&self, ci: usize, m: Month) -> f64 {
        // Months before the range count nothing; clip both ends to it.
        let end = (m.since(self.from) + 1).clamp(0, self.months as i32) as usize;
        let start = (m.since(self.from) - 11).clamp(0, self.months as i32) as usize;
        let row = ci * (self.months + 1);
        self.running[row + end] - self.running[row + start]
    }

    /// Every customer's credited ACR in `m`.
    pub(super) fn total(&self, m: Month) -> f64 {
        self.slot(m).map_or(0.0, |s| self.total[s])
    }
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
        let mut spelt: HashMap<&str, usize> = HashMap::new();
        for (ci, c) in ws.customers.iter().enumerate() {
            let line_service: Vec<usize> = c
                .usage
                .iter()
                .map(|u| {
                    // Most lines repeat a spelling already met: found without lower-casing.
                    if let Some(&i) = spelt.get(u.service.as_str()) {
                        return i;
                    }
                    let name = u.service.trim();
                    let i = *index.entry(name.to_lowercase()).or_insert_with(|| {
                        services.push(name.to_owned());
                        security_of.push(is_security(name));
                        services.len() - 1
                    });
                    spelt.insert(u.service.as_str(), i);
                    i
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
            through: RefCell::default(),
            service_months: RefCell::default(),
        }
    }

    /// Credited ACR through any of `assocs` (security services only when `security`), for
    /// every customer and month: summed on the first request, shared after.
    pub(super) fn through(&self, assocs: &[Association], security: bool) -> Rc<Credited> {
        let key = (Credits::of(assocs), security);
        if let Some((_, c)) = self.through.borrow().iter().find(|(k, _)| *k == key) {
            return Rc::clone(c);
        }
        let customers = self.sums.len() / self.months.max(1);
        let mut acr = Vec::with_capacity(self.sums.len());
        let mut running = Vec::with_capacity(customers * (self.months + 1));
        let mut total = vec![0.0; self.months];
        for ci in 0..customers {
            let mut sum = 0.0;
            running.push(0.0);
            for (slot, t) in total.iter_mut().enumerate() {
                let v: f64 = self.sums[ci * self.months + slot]
                    .iter()
                    .filter(|x| x.credits.intersects(key.0))
                    .map(|x| if security { x.security } else { x.all })
                    .sum();
                acr.push(v);
                *t += v;
                sum += v;
                running.push(sum);
            }
        }
        let c = Rc::new(Credited {
            from: self.from,
            months: self.months,
            acr,
            running,
            total,
        });
        self.through.borrow_mut().push((key, Rc::clone(&c)));
        c
    }

    /// Credited ACR of each service in each month through any of `assocs`:
    /// `[slot * services + service]`, summed on the first request.
    pub(super) fn service_months(&self, assocs: &[Association]) -> Rc<Vec<f64>> {
        let mask = Credits::of(assocs);
        if let Some((_, c)) = self
            .service_months
            .borrow()
            .iter()
            .find(|(k, _)| *k == mask)
        {
            return Rc::clone(c);
        }
        let n = self.services.len();
        let mut out = vec![0.0; self.months * n];
        for (i, cell) in self.by_service.iter().enumerate() {
            let slot = i % self.months.max(1);
            for x in cell.iter().filter(|x| x.credits.intersects(mask)) {
                out[slot * n + x.service] += x.acr;
            }
        }
        let c = Rc::new(out);
        self.service_months.borrow_mut().push((mask, Rc::clone(&c)));
        c
    }

    /// The slot of `m` in the attribution's months.
    pub(super) fn month_slot(&self, m: Month) -> Option<usize> {
        let slot = m.since(self.from);
        (slot >= 0 && (slot as usize) < self.months).then_some(slot as usize)
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
        self.through(assocs, security).get(ci, m)
    }
}
