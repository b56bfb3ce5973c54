//! The customers' workloads laid out once per evaluation for the metrics that read them
//! month after month: paid seats, active users and revenue in dense per-month rows, their
//! credits likewise ([`WorkloadCredits`]), and the rule set's workload lists resolved to one
//! flag per workload.

use crate::attribution::{Attribution, Credits};
use crate::model::*;
use crate::rules::RuleSet;
use crate::rules::scoring::DesignationRules;
use std::cell::RefCell;
use std::rc::Rc;

/// Which workloads (by flat index, [`Workloads::at`]) one list of the rule set names.
pub(super) type Listed = Rc<Vec<bool>>;

pub(super) struct Workloads {
    /// Flat index of each customer's first workload.
    base: Vec<usize>,
    from: Month,
    months: usize,
    /// How many workloads the customers have together.
    total: usize,
    /// `[slot * total + flat]`: month by month, so that a metric's pass over every
    /// customer in one month reads one stretch of memory.
    paid: Vec<f64>,
    active: Vec<f64>,
    revenue: Vec<f64>,
    /// Business Applications workloads (Dynamics 365 or Power Platform by the catalogue).
    pub(super) business: Vec<bool>,
    /// Each workload's id, numbered: `names[kind[flat]]` (a workspace has a few dozen
    /// distinct workload ids over thousands of workloads, so lists are resolved per id).
    kind: Vec<u32>,
    names: Vec<String>,
    /// Lists met so far, by the address and length of the rule set's slice (rules outlive
    /// the evaluation, so an address names one list).
    lists: RefCell<Vec<((usize, usize), Listed)>>,
    /// MCV rate of each workload, per designation (by address, as the lists).
    rates: RefCell<Vec<(usize, Rc<Vec<f64>>)>>,
}

impl Workloads {
    /// Rows covering `from..=to`; a month outside them is read from the series.
    pub(super) fn new(ws: &Workspace, rules: &RuleSet, from: Month, to: Month) -> Workloads {
        let months = Month::range(from, to).count();
        let mut base = Vec::with_capacity(ws.customers.len());
        let total: usize = ws.customers.iter().map(|c| c.workloads.len()).sum();
        let (mut paid, mut active, mut revenue) = (
            vec![0.0; total * months],
            vec![0.0; total * months],
            vec![0.0; total * months],
        );
        let mut flat = 0;
        for c in &ws.customers {
            base.push(flat);
            for w in &c.workloads {
                for (series, row) in [
                    (&w.paid_seats, &mut paid),
                    (&w.active_users, &mut active),
                    (&w.revenue, &mut revenue),
                ] {
                    for (m, v) in series.range(from, to) {
                        row[m.since(from) as usize * total + flat] = v;
                    }
                }
                flat += 1;
            }
        }
        let mut numbered: std::collections::HashMap<&str, u32, crate::attribution::IndexHash> =
            Default::default();
        let mut names: Vec<String> = Vec::new();
        let kind: Vec<u32> = ws
            .customers
            .iter()
            .flat_map(|c| &c.workloads)
            .map(|w| {
                *numbered.entry(w.workload.as_str()).or_insert_with(|| {
                    names.push(w.workload.clone());
                    names.len() as u32 - 1
                })
            })
            .collect();
        let business = per_workload(&kind, &names, |name| {
            rules
                .workload(name)
                .is_some_and(|i| i.is("dynamics365") || i.is("power_platform"))
        });
        Workloads {
            base,
            from,
            months,
            total,
            paid,
            active,
            revenue,
            business,
            kind,
            names,
            lists: RefCell::default(),
            rates: RefCell::default(),
        }
    }

    /// The distinct workload ids, numbered as [`Workloads::kind`] numbers them.
    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    /// The number of the id of the workload at flat index `flat` in [`Workloads::names`].
    pub(super) fn kind(&self, flat: usize) -> usize {
        self.kind[flat] as usize
    }

    /// The flat index of workload `wi` of customer `ci`.
    pub(super) fn at(&self, ci: usize, wi: usize) -> usize {
        self.base[ci] + wi
    }

    /// How many workloads customer `ci` has.
    pub(super) fn count(&self, ci: usize) -> usize {
        self.base.get(ci + 1).copied().unwrap_or(self.total) - self.base[ci]
    }

    fn read(&self, row: &[f64], flat: usize, m: Month, series: impl Fn() -> f64) -> f64 {
        match super::sums::month_slot(self.from, self.months, m) {
            Some(slot) => row[slot * self.total + flat],
            None => series(),
        }
    }

    pub(super) fn paid(&self, ws: &Workspace, ci: usize, wi: usize, m: Month) -> f64 {
        self.read(&self.paid, self.at(ci, wi), m, || {
            ws.customers[ci].workloads[wi].paid_seats.get(m)
        })
    }

    pub(super) fn active(&self, ws: &Workspace, ci: usize, wi: usize, m: Month) -> f64 {
        self.read(&self.active, self.at(ci, wi), m, || {
            ws.customers[ci].workloads[wi].active_users.get(m)
        })
    }

    pub(super) fn revenue(&self, ws: &Workspace, ci: usize, wi: usize, m: Month) -> f64 {
        self.read(&self.revenue, self.at(ci, wi), m, || {
            ws.customers[ci].workloads[wi].revenue.get(m)
        })
    }

    /// Which workloads `list` names (by id, exactly as the rule set spells them).
    pub(super) fn listed(&self, list: &[String]) -> Listed {
        let key = (list.as_ptr() as usize, list.len());
        if let Some((_, l)) = self.lists.borrow().iter().find(|(k, _)| *k == key) {
            return Rc::clone(l);
        }
        let l: Listed = Rc::new(per_workload(&self.kind, &self.names, |n| {
            list.iter().any(|x| x == n)
        }));
        self.lists.borrow_mut().push((key, Rc::clone(&l)));
        l
    }

    /// Each workload's MCV rate in designation `d` (0 when unrated).
    pub(super) fn rates(&self, d: &DesignationRules) -> Rc<Vec<f64>> {
        let key = std::ptr::from_ref(d) as usize;
        if let Some((_, r)) = self.rates.borrow().iter().find(|(k, _)| *k == key) {
            return Rc::clone(r);
        }
        let r = Rc::new(per_workload(&self.kind, &self.names, |name| {
            d.mcv_rates
                .iter()
                .find(|r| r.workload == name)
                .map_or(0.0, |r| r.rate.value)
        }));
        self.rates.borrow_mut().push((key, Rc::clone(&r)));
        r
    }
}

/// Every workload's credits in every month of an attribution, month by month:
/// `[slot * total + flat]` (flat as [`Workloads::at`] numbers them), so that a metric's pass
/// over every customer in one month reads one stretch of memory instead of each customer's
/// own rows.
pub(super) struct WorkloadCredits {
    total: usize,
    months: usize,
    rows: Vec<Credits>,
}

impl WorkloadCredits {
    /// `att`'s workload credits laid out along `wl`'s workloads. With `base` — the table of
    /// a workspace laid out on the same `wl`, over the same months, and which customers
    /// `att` keeps from it unchanged — the kept customers' columns are copied from it and
    /// only the others' read again (a planner's candidate changes one or two customers).
    pub(super) fn new(
        att: &Attribution,
        wl: &Workloads,
        base: Option<(&WorkloadCredits, &[bool])>,
    ) -> WorkloadCredits {
        let total = wl.total;
        let months = att.months();
        let base = base.filter(|(b, _)| b.total == total && b.months == months);
        let mut rows = match base {
            Some((b, _)) => b.rows.clone(),
            None => vec![Credits::NONE; total * months],
        };
        for (ci, c) in att.customers.iter().enumerate() {
            if base.is_some_and(|(_, kept)| kept.get(ci) == Some(&true)) {
                continue;
            }
            for wi in 0..c.workload_count().min(wl.count(ci)) {
                let flat = wl.at(ci, wi);
                for (slot, &credits) in c.workload(wi).iter().take(months).enumerate() {
                    rows[slot * total + flat] = credits;
                }
            }
        }
        WorkloadCredits {
            total,
            months,
            rows,
        }
    }

    /// The credits of the workload at flat index `flat` in the month at `slot` of the
    /// attribution.
    pub(super) fn at(&self, flat: usize, slot: usize) -> Credits {
        self.rows[slot * self.total + flat]
    }
}

/// `of` each workload, by flat index: taken once per distinct id (`names`, numbered by
/// `kind`) and given to every workload of that id.
fn per_workload<T: Copy>(kind: &[u32], names: &[String], of: impl Fn(&str) -> T) -> Vec<T> {
    let per_id: Vec<T> = names.iter().map(|n| of(n)).collect();
    kind.iter().map(|&k| per_id[k as usize]).collect()
}
