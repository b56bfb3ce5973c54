//! Credited ACR summed once per evaluation, per customer and month, grouped by the credits
//! that earned it (and by service for the deployments metric).

use crate::attribution::{Association, Attribution, Credits, IndexHash};
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
    /// Per customer, shared when a re-score keeps the customer as it was.
    customers: Vec<Rc<CustomerAcr>>,
    /// Each distinct service (trimmed, first spelling met) by its case-insensitive key.
    pub(super) services: Vec<String>,
    /// The credited ACR through one set of associations, taken once per evaluation for
    /// each set a metric asks for (the designations share most of them).
    through: RefCell<Vec<(ThroughKey, Rc<Credited>)>>,
    /// Per set of associations, the credited ACR of each service in each month.
    service_months: RefCell<Vec<(Credits, Rc<Vec<f64>>)>>,
    /// Per set of associations, how many customers' sums of each service in each month are
    /// above zero.
    service_counts: RefCell<Vec<(Credits, Rc<Vec<u32>>)>>,
    /// How many customers meet a test of their credited ACR, by what names the test.
    counts: RefCell<Vec<(CountKey, usize)>>,
    /// The sums of the workspace a re-score starts from, when this one differs from it in a
    /// few customers only: every customer-by-customer table is then that one's with the
    /// `fresh` customers' rows taken again (the totals are still added up customer by
    /// customer, in order, so they are the same numbers a sum from scratch gives).
    base: RefCell<Option<Rc<AcrSums>>>,
    /// The customers whose sums are not the base's (changed, or added after its customers).
    fresh: Vec<usize>,
    /// No sum is below zero (the model's monthly values are 0 or more, which the reader
    /// checks; the counts of [`AcrSums::service_counts`] rely on it).
    nonnegative: bool,
}

/// The associations a credited sum goes through, and whether it is of security services only.
type ThroughKey = (Credits, bool);

/// What names a count of customers ([`AcrSums::count`]): the credited ACR it reads, the
/// test (a name and a threshold's bits) and the month.
pub(super) type CountKey = (ThroughKey, &'static str, u64, Month);

/// One customer's credited ACR, month by month: `sums[starts[slot]..starts[slot + 1]]` by
/// the credits that earned it, `by_service` likewise by credits and service.
#[derive(Debug)]
pub struct CustomerAcr {
    starts: Vec<u32>,
    sums: Vec<AcrSum>,
    service_starts: Vec<u32>,
    by_service: Vec<ServiceSum>,
    /// No monthly value summed here is below zero.
    nonnegative: bool,
}

impl CustomerAcr {
    fn sums(&self, slot: usize) -> &[AcrSum] {
        &self.sums[self.starts[slot] as usize..self.starts[slot + 1] as usize]
    }

    fn by_service(&self, slot: usize) -> &[ServiceSum] {
        &self.by_service[self.service_starts[slot] as usize..self.service_starts[slot + 1] as usize]
    }

    /// Credited ACR in month `slot` through any of `key`'s associations (security services
    /// only when it says so).
    fn through(&self, slot: usize, (credits, security): ThroughKey) -> f64 {
        self.sums(slot)
            .iter()
            .filter(|x| x.credits.intersects(credits))
            .map(|x| if security { x.security } else { x.all })
            .sum()
    }

    /// Count this customer's service sums through any of `mask` into `counts`
    /// (`[slot * services + service]`), adding or taking away one for each.
    fn count_services(&self, mask: Credits, services: usize, counts: &mut [u32], add: bool) {
        for slot in 0..self.starts.len() - 1 {
            for x in self
                .by_service(slot)
                .iter()
                .filter(|x| x.credits.intersects(mask) && x.acr > 0.0)
            {
                let cell = &mut counts[slot * services + x.service];
                *cell = if add { *cell + 1 } else { *cell - 1 };
            }
        }
    }
}

/// The services met so far, numbered in the order met (a re-score keeps the numbers its
/// kept customers' sums use, and numbers new ones after them).
#[derive(Debug, Clone, Default)]
pub struct ServiceIndex {
    /// By case-insensitive key.
    index: BTreeMap<String, usize>,
    /// By spelling as written, so a spelling met before is found without lower-casing
    /// (looked up for every usage line: hashed as the engine's own indexes are).
    spelt: HashMap<String, usize, IndexHash>,
    services: Vec<String>,
    security_of: Vec<bool>,
}

impl ServiceIndex {
    fn of(&mut self, service: &str, is_security: &dyn Fn(&str) -> bool) -> usize {
        if let Some(&i) = self.spelt.get(service) {
            return i;
        }
        let name = service.trim();
        let (services, security_of) = (&mut self.services, &mut self.security_of);
        let i = *self.index.entry(name.to_lowercase()).or_insert_with(|| {
            services.push(name.to_owned());
            security_of.push(is_security(name));
            services.len() - 1
        });
        self.spelt.insert(service.to_owned(), i);
        i
    }
}

/// Credited ACR of every customer in every month through one set of associations.
pub(super) struct Credited {
    from: Month,
    months: usize,
    customers: usize,
    /// `[slot * customers + customer]`: month by month, so that a metric's pass over every
    /// customer in one month reads one stretch of memory.
    acr: Vec<f64>,
    /// Running totals: `[k * customers + customer]` is the sum of the customer's first `k`
    /// months, so a trailing twelve months is one subtraction.
    running: Vec<f64>,
    /// All customers together, per month.
    total: Vec<f64>,
}

/// The position of `m` among `months` months from `from`, if it is one of them.
pub(super) fn month_slot(from: Month, months: usize, m: Month) -> Option<usize> {
    usize::try_from(m.since(from)).ok().filter(|&s| s < months)
}

impl Credited {
    fn slot(&self, m: Month) -> Option<usize> {
        month_slot(self.from, self.months, m)
    }

    /// A customer's credited ACR in `m` (none outside the attribution's months).
    pub(super) fn get(&self, ci: usize, m: Month) -> f64 {
        self.slot(m)
            .map_or(0.0, |s| self.acr[s * self.customers + ci])
    }

    /// A customer's credited ACR over the twelve months ending with `m`.
    pub(super) fn ttm(&self, ci: usize, m: Month) -> f64 {
        // Months before the range count nothing; clip both ends to it.
        let end = (m.since(self.from) + 1).clamp(0, self.months as i32) as usize;
        let start = (m.since(self.from) - 11).clamp(0, self.months as i32) as usize;
        let n = self.customers;
        self.running[end * n + ci] - self.running[start * n + ci]
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
        AcrSums::reusing(ws, att, &mut ServiceIndex::default(), &is_security, None)
    }

    /// The sums like [`AcrSums::new`], taking from `base` — the sums of the same partner,
    /// months and rules, numbered by `index` — the customers `kept` marks as the same.
    pub(super) fn reusing(
        ws: &Workspace,
        att: &Attribution,
        index: &mut ServiceIndex,
        is_security: &dyn Fn(&str) -> bool,
        base: Option<(&Rc<AcrSums>, &[bool])>,
    ) -> AcrSums {
        let months = att.months();
        // A base summed over other months serves no customer (its rows would not line up).
        let base = base.filter(|(b, _)| b.from == att.from && b.months == months);
        let kept = |ci: usize| {
            base.filter(|(_, kept)| kept.get(ci) == Some(&true))
                .and_then(|(b, _)| b.customers.get(ci).map(Rc::clone))
        };
        // Scratch rows, cleared for each customer.
        let mut here: Vec<Vec<AcrSum>> = vec![Vec::new(); months];
        let mut split: Vec<Vec<ServiceSum>> = vec![Vec::new(); months];
        // Where each of the customer's credits (and (service, credits) pairs) has its sum in
        // each month's row of `here` (and `split`).
        let mut kinds: Placed<Credits> = Placed::default();
        let mut pairs: Placed<(usize, Credits)> = Placed::default();
        let customers = ws
            .customers
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                if let Some(k) = kept(ci) {
                    return k;
                }
                let mut nonnegative = true;
                here.iter_mut().for_each(Vec::clear);
                split.iter_mut().for_each(Vec::clear);
                kinds.clear();
                pairs.clear();
                let credited = &att.customers[ci];
                for (li, u) in c.usage.iter().enumerate() {
                    let service = index.of(&u.service, is_security);
                    let security = index.security_of[service];
                    let row = credited.line(li);
                    // A line's credits seldom change from month to month: its pair is looked
                    // up again only when they do.
                    let mut last: Option<(Credits, usize, usize)> = None;
                    for (m, v) in u.acr.range(att.from, att.to) {
                        let slot = m.since(att.from) as usize;
                        let credits = row[slot];
                        if v == 0.0 || !credits.any() {
                            continue;
                        }
                        let (kind, pair) = match last {
                            Some((c, k, p)) if c == credits => (k, p),
                            _ => {
                                let k = kinds.number(credits, months);
                                let p = pairs.number((service, credits), months);
                                last = Some((credits, k, p));
                                (k, p)
                            }
                        };
                        nonnegative &= v >= 0.0;
                        let sec = if security { v } else { 0.0 };
                        match kinds.place(kind, months, slot, here[slot].len()) {
                            None => here[slot].push(AcrSum {
                                credits,
                                all: v,
                                security: sec,
                            }),
                            Some(i) => {
                                let x = &mut here[slot][i];
                                x.all += v;
                                x.security += sec;
                            }
                        }
                        match pairs.place(pair, months, slot, split[slot].len()) {
                            None => split[slot].push(ServiceSum {
                                service,
                                credits,
                                acr: v,
                            }),
                            Some(i) => split[slot][i].acr += v,
                        }
                    }
                }
                Rc::new(CustomerAcr {
                    starts: starts(&here),
                    sums: here.concat(),
                    service_starts: starts(&split),
                    by_service: split.concat(),
                    nonnegative,
                })
            })
            .collect::<Vec<_>>();
        // The base serves when this workspace has all its customers in place and differs
        // from it in a few (a planner's candidate, an edit in the app).
        let base = base.filter(|(b, _)| customers.len() >= b.customers.len());
        let fresh: Vec<usize> = match base {
            Some((b, kept)) => (0..customers.len())
                .filter(|&ci| ci >= b.customers.len() || kept.get(ci) != Some(&true))
                .collect(),
            None => Vec::new(),
        };
        let base = base
            .filter(|_| fresh.len() * 8 <= customers.len())
            .map(|(b, _)| Rc::clone(b));
        let nonnegative = match &base {
            Some(b) => b.nonnegative && fresh.iter().all(|&ci| customers[ci].nonnegative),
            None => customers.iter().all(|c| c.nonnegative),
        };
        AcrSums {
            from: att.from,
            months,
            nonnegative,
            customers,
            services: index.services.clone(),
            through: RefCell::default(),
            service_months: RefCell::default(),
            service_counts: RefCell::default(),
            counts: RefCell::default(),
            base: RefCell::new(base),
            fresh,
        }
    }

    /// Let go of the base (these sums are kept as the next one: a chain of bases would keep
    /// every earlier workspace's sums alive). What is asked after is summed from scratch.
    pub(super) fn detach(&self) {
        self.base.borrow_mut().take();
    }

    fn base(&self) -> Option<Rc<AcrSums>> {
        self.base.borrow().clone()
    }

    /// Credited ACR through any of `assocs` (security services only when `security`), for
    /// every customer and month: summed on the first request, shared after.
    pub(super) fn through(&self, assocs: &[Association], security: bool) -> Rc<Credited> {
        let key = (Credits::of(assocs), security);
        cached(&self.through, key, || {
            let kept = self.base().map(|base| base.through(assocs, security));
            Rc::new(self.credited_table(kept.as_deref(), key))
        })
    }

    /// The credited ACR through `key`'s associations: `kept`'s rows (the base's table) with
    /// the fresh customers' taken again, or every customer's when there is no base; the
    /// monthly totals are added up customer by customer, in order, either way.
    fn credited_table(&self, kept: Option<&Credited>, key: ThroughKey) -> Credited {
        let (customers, months) = (self.customers.len(), self.months);
        // The kept rows, month by month, at this table's width (a re-score may have more
        // customers than its base: theirs are fresh).
        let widened = |rows: &[f64], k: &Credited, slots: usize| {
            let mut out = vec![0.0; slots * customers];
            for slot in 0..slots {
                out[slot * customers..slot * customers + k.customers]
                    .copy_from_slice(&rows[slot * k.customers..(slot + 1) * k.customers]);
            }
            out
        };
        let (mut acr, mut running) = match kept {
            Some(k) if k.customers == customers => (k.acr.clone(), k.running.clone()),
            Some(k) => (
                widened(&k.acr, k, months),
                widened(&k.running, k, months + 1),
            ),
            None => (
                vec![0.0; customers * months],
                vec![0.0; customers * (months + 1)],
            ),
        };
        let mut take = |ci: usize| {
            let c = &self.customers[ci];
            let mut sum = 0.0;
            running[ci] = 0.0;
            for slot in 0..months {
                let v = c.through(slot, key);
                acr[slot * customers + ci] = v;
                sum += v;
                running[(slot + 1) * customers + ci] = sum;
            }
        };
        match kept {
            Some(_) => self.fresh.iter().for_each(|&ci| take(ci)),
            None => (0..customers).for_each(take),
        }
        // Customer by customer, in order, as the sums were always added.
        let mut total: Vec<f64> = acr
            .chunks_exact(customers.max(1))
            .map(|row| row.iter().fold(0.0, |t, v| t + v))
            .collect();
        total.resize(months, 0.0);
        Credited {
            from: self.from,
            months,
            customers,
            acr,
            running,
            total,
        }
    }

    /// How many customers' sums of each service in each month through any of `assocs` are
    /// above zero: `[slot * services + service]`, counted on the first request. With no sum
    /// below zero ([`AcrSums::nonnegative`]), a service's credited ACR over some months is
    /// above zero exactly when one of these counts is, whatever order the sums are added in.
    pub(super) fn service_counts(&self, assocs: &[Association]) -> Rc<Vec<u32>> {
        let mask = Credits::of(assocs);
        cached(&self.service_counts, mask, || {
            Rc::new(self.services_counted(assocs, mask))
        })
    }

    /// [`AcrSums::service_counts`] counted (from the base's when there is one).
    fn services_counted(&self, assocs: &[Association], mask: Credits) -> Vec<u32> {
        let n = self.services.len();
        match self.base() {
            Some(base) => {
                let kept = base.service_counts(assocs);
                let base_n = base.services.len();
                let mut counts = vec![0; self.months * n];
                for slot in 0..self.months {
                    counts[slot * n..slot * n + base_n]
                        .copy_from_slice(&kept[slot * base_n..(slot + 1) * base_n]);
                }
                for &ci in &self.fresh {
                    if let Some(was) = base.customers.get(ci) {
                        was.count_services(mask, n, &mut counts, false);
                    }
                    self.customers[ci].count_services(mask, n, &mut counts, true);
                }
                counts
            }
            None => {
                let mut counts = vec![0; self.months * n];
                for c in &self.customers {
                    c.count_services(mask, n, &mut counts, true);
                }
                counts
            }
        }
    }

    /// How many customers meet `holds` (given the credited ACR through `assocs`, security
    /// services only when `security`, and a customer), counted once per `key`, which must
    /// name `holds`: from the base's count when there is a base, its fresh customers taken
    /// out as they were and put back as they are.
    pub(super) fn count(
        &self,
        assocs: &[Association],
        security: bool,
        (test, threshold, m): (&'static str, u64, Month),
        holds: &dyn Fn(&Credited, usize) -> bool,
    ) -> usize {
        let key = ((Credits::of(assocs), security), test, threshold, m);
        cached(&self.counts, key, || {
            self.counted(assocs, security, (test, threshold, m), holds)
        })
    }

    /// [`AcrSums::count`] counted (from the base's when there is one).
    fn counted(
        &self,
        assocs: &[Association],
        security: bool,
        test: (&'static str, u64, Month),
        holds: &dyn Fn(&Credited, usize) -> bool,
    ) -> usize {
        let credited = self.through(assocs, security);
        match self.base() {
            Some(base) => {
                let was = base.through(assocs, security);
                let kept = base.count(assocs, security, test, holds);
                let gone = self.fresh.iter().filter(|&&ci| ci < base.customers.len());
                let gone = gone.filter(|&&ci| holds(&was, ci)).count();
                let back = self
                    .fresh
                    .iter()
                    .filter(|&&ci| holds(&credited, ci))
                    .count();
                kept - gone + back
            }
            None => (0..self.customers.len())
                .filter(|&ci| holds(&credited, ci))
                .count(),
        }
    }

    /// Whether no sum is below zero (see [`AcrSums::service_counts`]).
    pub(super) fn nonnegative(&self) -> bool {
        self.nonnegative
    }

    /// Credited ACR of each service in each month through any of `assocs`:
    /// `[slot * services + service]`, summed on the first request.
    pub(super) fn service_months(&self, assocs: &[Association]) -> Rc<Vec<f64>> {
        let mask = Credits::of(assocs);
        cached(&self.service_months, mask, || {
            Rc::new(self.sum_services(mask))
        })
    }

    /// [`AcrSums::service_months`] summed customer by customer.
    fn sum_services(&self, mask: Credits) -> Vec<f64> {
        let n = self.services.len();
        let mut out = vec![0.0; self.months * n];
        for c in &self.customers {
            for slot in 0..self.months {
                for x in c
                    .by_service(slot)
                    .iter()
                    .filter(|x| x.credits.intersects(mask))
                {
                    out[slot * n + x.service] += x.acr;
                }
            }
        }
        out
    }

    /// The slot of `m` in the attribution's months.
    pub(super) fn month_slot(&self, m: Month) -> Option<usize> {
        month_slot(self.from, self.months, m)
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

/// What `cache` holds for `key`, made by `make` on the first request (`make` may ask other
/// caches, this one is not borrowed meanwhile).
fn cached<K: PartialEq, T: Clone>(
    cache: &RefCell<Vec<(K, T)>>,
    key: K,
    make: impl FnOnce() -> T,
) -> T {
    if let Some((_, t)) = cache.borrow().iter().find(|(k, _)| *k == key) {
        return t.clone();
    }
    let t = make();
    cache.borrow_mut().push((key, t.clone()));
    t
}

/// One customer's distinct keys, numbered in the order met, and where each key's entry sits
/// in each month's row: the rows keep the order their entries were first met in, and an
/// entry is found without searching its row.
struct Placed<K> {
    keys: Vec<K>,
    /// `[key * months + slot]`: the entry's position in the row, `u32::MAX` until met there.
    at: Vec<u32>,
}

impl<K> Default for Placed<K> {
    fn default() -> Self {
        Placed {
            keys: Vec::new(),
            at: Vec::new(),
        }
    }
}

impl<K: PartialEq> Placed<K> {
    fn clear(&mut self) {
        self.keys.clear();
        self.at.clear();
    }

    /// The number of `key` (a new one when first met).
    fn number(&mut self, key: K, months: usize) -> usize {
        if let Some(k) = self.keys.iter().position(|x| *x == key) {
            return k;
        }
        self.keys.push(key);
        self.at.resize(self.keys.len() * months, u32::MAX);
        self.keys.len() - 1
    }

    /// Where key number `k`'s entry sits in month `slot`'s row; none when it has none yet,
    /// and it is then taken to be pushed at `len`, the row's length.
    fn place(&mut self, k: usize, months: usize, slot: usize, len: usize) -> Option<usize> {
        let cell = &mut self.at[k * months + slot];
        if *cell == u32::MAX {
            *cell = len as u32;
            None
        } else {
            Some(*cell as usize)
        }
    }
}

/// Where each month's entries start in rows laid end to end (and where the last ends).
fn starts<T>(rows: &[Vec<T>]) -> Vec<u32> {
    let mut at = 0;
    let mut out = Vec::with_capacity(rows.len() + 1);
    out.push(0);
    for r in rows {
        at += r.len() as u32;
        out.push(at);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::{Prepared, Viewpoint};

    /// Sums taken from a base summed over other months are the sums from scratch: the
    /// base's customers are not reused (their months would not line up).
    #[test]
    fn a_base_of_other_months_is_not_reused() {
        let ws = crate::data::demo();
        let rules = crate::rules::rule_set(&ws.rules).expect("the demo's rules");
        let p = Prepared::new(&ws, rules, Viewpoint::of_workspace(&ws));
        let is_security = |s: &str| rules.scoring.is_security_service(s);
        let to = ws.as_of;
        let (wide, narrow) = (p.attribute(to.plus(-24), to), p.attribute(to.plus(-12), to));
        let base = Rc::new(AcrSums::new(&ws, &wide, is_security));
        let kept = vec![true; ws.customers.len()];
        let reused = AcrSums::reusing(
            &ws,
            &narrow,
            &mut ServiceIndex::default(),
            &is_security,
            Some((&base, &kept)),
        );
        let fresh = AcrSums::new(&ws, &narrow, is_security);
        let all = Association::ALL;
        let (a, b) = (reused.through(&all, false), fresh.through(&all, false));
        let months: Vec<Month> = Month::range(to.plus(-12), to).collect();
        assert!(
            months.iter().any(|&m| b.total(m) > 0.0),
            "the demo has credited ACR"
        );
        for m in months {
            assert_eq!(a.total(m), b.total(m), "{m}");
        }
        // A `kept` shorter than the customers keeps none of those it does not name.
        let short = AcrSums::reusing(
            &ws,
            &wide,
            &mut ServiceIndex::default(),
            &is_security,
            Some((&base, &kept[..1])),
        );
        let whole = AcrSums::new(&ws, &wide, is_security);
        assert_eq!(
            short.through(&all, false).total(to),
            whole.through(&all, false).total(to)
        );
    }
}
