//! Modern Work: tenant paths by paid seats (with the SMB carry-over), net customer adds,
//! usage growth and deployments, each best-of per association option where the rules say so.

use super::workloads::Listed;
use super::{Contributor, Parts, Scorer, Unit, points};
use crate::attribution::{Association, Credits};
use crate::model::*;
use crate::rules::scoring::{PerAssociation, SeatRange, TrackRules};
use std::rc::Rc;

impl Scorer<'_> {
    /// Qualifying tenants (on the path, a listed workload credited) now, net of a year ago,
    /// computed per association type; the option with most points counts (2023-10).
    pub(super) fn modern_work_net_customer_adds(
        &self,
        max: f64,
        t: &TrackRules,
        m: Month,
        workloads: &[String],
        thresholds: &[PerAssociation],
    ) -> Parts {
        self.best_per_association(max, thresholds, |assocs| {
            self.net_tenants(t, m, workloads, assocs)
        })
    }

    /// Net customer adds over every association type of the path together (2026-11).
    pub(super) fn modern_work_net_customer_adds_combined(
        &self,
        max: f64,
        t: &TrackRules,
        m: Month,
        workloads: &[String],
        associations: &[Association],
        full: f64,
    ) -> Parts {
        let (net, c) = self.net_tenants(t, m, workloads, associations);
        (net, points(max, net, full), None, c)
    }

    fn net_tenants(
        &self,
        t: &TrackRules,
        m: Month,
        workloads: &[String],
        assocs: &[Association],
    ) -> (f64, Vec<Contributor>) {
        let listed = self.wl.listed(workloads);
        let qualifying = |mm: Month| -> Vec<usize> {
            let on_path = self.on_path_all(t, &listed, mm);
            (0..self.ws.customers.len())
                .filter(|&ci| on_path[ci] && self.any_workload_credited(ci, &listed, mm, assocs))
                .collect()
        };
        let now = qualifying(m);
        let net = now.len() as f64 - qualifying(m.plus(-12)).len() as f64;
        let c = self.listing(m, &now, |&ci| {
            let by = assocs
                .iter()
                .copied()
                .find(|a| self.any_workload_credited(ci, &listed, m, &[*a]));
            self.customer_contributor(ci, "Microsoft 365 tenant", 1.0, by)
        });
        (net, c)
    }

    /// Growth of active users on associated workloads, counted from the association month.
    pub(super) fn modern_work_usage_growth(
        &self,
        max: f64,
        t: &TrackRules,
        m: Month,
        workloads: &[String],
        thresholds: &[PerAssociation],
    ) -> Parts {
        let listed = self.wl.listed(workloads);
        self.best_per_association(max, thresholds, |assocs| {
            let mut growth = 0.0;
            let mut contributors = Vec::new();
            let on_path = self.on_path_all(t, &listed, m);
            for (ci, c) in self.ws.customers.iter().enumerate() {
                if !on_path[ci] {
                    continue;
                }
                for (wi, w) in c.workloads.iter().enumerate() {
                    if !listed[self.wl.at(ci, wi)]
                        || !self.workload_credits(ci, wi, m).any_of(assocs)
                    {
                        continue;
                    }
                    // Counted from the association month: before it, the baseline is its value then.
                    let start = self.association_start(ci, wi, m, assocs);
                    let g =
                        self.wl.active(self.ws, ci, wi, m) - self.wl.active(self.ws, ci, wi, start);
                    growth += g;
                    if !self.lists(m) {
                        continue;
                    }
                    contributors.push(Contributor {
                        customer: Some(c.id.as_str().to_owned()),
                        item: w.workload.clone(),
                        value: g,
                        unit: Unit::Users,
                        association: Some(assocs[0]),
                    });
                }
            }
            (growth, contributors)
        })
    }

    /// Net new tenants with at least `active_share` of their paid seats active.
    pub(super) fn modern_work_deployments(
        &self,
        max: f64,
        t: &TrackRules,
        m: Month,
        workloads: &[String],
        active_share: f64,
        thresholds: &[PerAssociation],
    ) -> Parts {
        let listed = self.wl.listed(workloads);
        self.best_per_association(max, thresholds, |assocs| {
            let deployed = |ci: usize, mm: Month| -> bool {
                let (mut paid, mut active) = (0.0, 0.0);
                for wi in 0..self.workload_count(ci) {
                    if listed[self.wl.at(ci, wi)]
                        && self.workload_credits(ci, wi, mm).any_of(assocs)
                    {
                        paid += self.wl.paid(self.ws, ci, wi, mm);
                        active += self.wl.active(self.ws, ci, wi, mm);
                    }
                }
                paid > 0.0 && active / paid >= active_share
            };
            let count = |mm: Month, exclude_new: bool| -> Vec<usize> {
                let on_path = self.on_path_all(t, &listed, mm);
                (0..self.ws.customers.len())
                    .filter(|&ci| on_path[ci] && deployed(ci, mm))
                    .filter(|&ci| {
                        // Tenants associated in the last 12 months that were already deployed then do not count.
                        !exclude_new || {
                            let start = (0..self.workload_count(ci))
                                .filter(|&wi| self.workload_credits(ci, wi, mm).any_of(assocs))
                                .map(|wi| self.association_start(ci, wi, mm, assocs))
                                .min();
                            !start.is_some_and(|s| s > mm.plus(-12) && deployed(ci, s))
                        }
                    })
                    .collect()
            };
            let now = count(m, true);
            let net = now.len() as f64 - count(m.plus(-12), false).len() as f64;
            let c = self.listing(m, &now, |&ci| {
                self.customer_contributor(ci, "deployed tenant", 1.0, Some(assocs[0]))
            });
            (net, c)
        })
    }

    /// Compute a metric per association option; the one with most points counts.
    pub(super) fn best_per_association(
        &self,
        max: f64,
        thresholds: &[PerAssociation],
        f: impl Fn(&[Association]) -> (f64, Vec<Contributor>),
    ) -> Parts {
        let mut best: Option<Parts> = None;
        for th in thresholds {
            let (value, contributors) = f(&th.associations);
            let p = points(max, value, th.full.value);
            if best
                .as_ref()
                .is_none_or(|(bv, bp, _, _)| p > *bp || (p == *bp && value > *bv))
            {
                best = Some((value, p, th.associations.first().copied(), contributors));
            }
        }
        best.unwrap_or((0.0, 0.0, None, Vec::new()))
    }

    /// A listed workload of the customer is credited in `m` by one of `assocs`.
    pub(super) fn any_workload_credited(
        &self,
        ci: usize,
        listed: &[bool],
        m: Month,
        assocs: &[Association],
    ) -> bool {
        let Some(slot) = self.att.slot(m) else {
            return false;
        };
        let may_credit = Credits::of(assocs);
        (0..self.workload_count(ci)).any(|wi| {
            let flat = self.wl.at(ci, wi);
            listed[flat] && self.wc.at(flat, slot).meets(may_credit)
        })
    }

    /// [`Scorer::on_path`] for every customer, taken once per evaluation for each track,
    /// workload list and month (each metric of the track and each association option
    /// asks again). The metrics ask for each scored month, some also for the month a year
    /// before each: the first request for a track and list in one of those two sets takes
    /// the whole set in one pass over the customers (each customer's listed workloads found
    /// once, their rows read while in cache); another month is taken on its own.
    pub(super) fn on_path_all(&self, t: &TrackRules, listed: &Listed, m: Month) -> Rc<Vec<bool>> {
        let key = |mm: Month| {
            (
                std::ptr::from_ref(t) as usize,
                Rc::as_ptr(listed) as usize,
                mm,
            )
        };
        let known = |mm: Month| {
            let paths = self.paths.borrow();
            paths
                .iter()
                .find(|(k, _)| *k == key(mm))
                .map(|(_, p)| Rc::clone(p))
        };
        if let Some(p) = known(m) {
            return p;
        }
        let set: Vec<Month> = [0, -12]
            .into_iter()
            .map(|back| self.window.iter().map(|w| w.plus(back)).collect::<Vec<_>>())
            .find(|set| set.contains(&m))
            .unwrap_or_else(|| vec![m]);
        let months: Vec<Month> = set.into_iter().filter(|&mm| known(mm).is_none()).collect();
        let n = self.ws.customers.len();
        let mut on: Vec<Vec<bool>> = vec![Vec::with_capacity(n); months.len()];
        let mut workloads: Vec<usize> = Vec::new();
        for ci in 0..n {
            if t.tenant_seats.is_some() {
                workloads.clear();
                let count = self.workload_count(ci);
                workloads.extend((0..count).filter(|&wi| listed[self.wl.at(ci, wi)]));
            }
            for (row, &mm) in on.iter_mut().zip(&months) {
                row.push(self.on_path(t, ci, &workloads, mm));
            }
        }
        let mut paths = self.paths.borrow_mut();
        let mut asked = None;
        for (row, mm) in on.into_iter().zip(months) {
            let p = Rc::new(row);
            if mm == m {
                asked = Some(Rc::clone(&p));
            }
            paths.push((key(mm), p));
        }
        asked.unwrap_or_default()
    }

    /// Is the tenant on this track's path in `m`? By any of its listed `workloads`' paid
    /// seats (or the largest, as the 2023 rules say), and on a path with carry-over also when
    /// it was sized for it `carry_over_months` ago and has outgrown it since.
    fn on_path(&self, t: &TrackRules, ci: usize, workloads: &[usize], m: Month) -> bool {
        let Some(range) = &t.tenant_seats else {
            return true;
        };
        // The listed workloads' paid seats in a month (read from the dense rows).
        let seats = |mm: Month| {
            workloads
                .iter()
                .map(move |&wi| self.wl.paid(self.ws, ci, wi, mm))
        };
        if seats_sized(range, seats(m)) {
            return true;
        }
        t.carry_over_months.as_ref().is_some_and(|k| {
            seats_sized(range, seats(m.plus(-(k.value as i32)))) && seats_outgrown(range, seats(m))
        })
    }

    /// The first month of the unbroken run of credit (by `assocs`) ending at `m`, at most 12 back.
    pub(super) fn association_start(
        &self,
        ci: usize,
        wi: usize,
        m: Month,
        assocs: &[Association],
    ) -> Month {
        let mut start = m;
        while start > m.plus(-12) && self.workload_credits(ci, wi, start.plus(-1)).any_of(assocs) {
            start = start.plus(-1);
        }
        start
    }
}

/// Paths a customer is on only through the SMB carry-over in `m` ("counted as SMB: it was
/// SMB a year ago"), as `(designation name, track)`, for the customer page.
pub fn carried_over(
    rules: &crate::rules::RuleSet,
    customer: &Customer,
    m: Month,
) -> Vec<(String, String)> {
    use crate::rules::scoring::Calc;
    let mut out = Vec::new();
    for d in &rules.scoring.designations {
        for t in &d.tracks {
            let Some(k) = &t.carry_over_months else {
                continue;
            };
            let before = m.plus(-(k.value as i32));
            // The path's size test: Modern Work's tenant seats, Security's seats per metric.
            let tests: Vec<(SeatRange, &Vec<String>)> = t
                .metrics
                .iter()
                .filter_map(|mr| match &mr.calc {
                    Calc::SecurityNetCustomerAdds {
                        workloads,
                        min_seats,
                        max_seats,
                        ..
                    } => Some((
                        SeatRange {
                            min: min_seats.clone(),
                            max: max_seats.clone(),
                            any_workload: None,
                        },
                        workloads,
                    )),
                    Calc::ModernWorkNetCustomerAdds { workloads, .. }
                    | Calc::ModernWorkNetCustomerAddsCombined { workloads, .. } => {
                        t.tenant_seats.clone().map(|r| (r, workloads))
                    }
                    _ => None,
                })
                .collect();
            let carried = tests.iter().any(|(range, workloads)| {
                !sized(range, customer, workloads, m)
                    && sized(range, customer, workloads, before)
                    && outgrown(range, customer, workloads, m)
            });
            if carried {
                out.push((d.name.clone(), t.track.clone()));
            }
        }
    }
    out
}

/// Paid seats of the listed workloads in `m` put the tenant in `range`.
fn sized(range: &SeatRange, c: &Customer, workloads: &[String], m: Month) -> bool {
    seats_sized(range, listed_seats(c, workloads, m))
}

/// Some listed workload has more paid seats than the range allows (promoted past the path).
fn outgrown(range: &SeatRange, c: &Customer, workloads: &[String], m: Month) -> bool {
    seats_outgrown(range, listed_seats(c, workloads, m))
}

fn listed_seats<'a>(
    c: &'a Customer,
    workloads: &'a [String],
    m: Month,
) -> impl Iterator<Item = f64> + 'a {
    c.workloads
        .iter()
        .filter(|w| workloads.contains(&w.workload))
        .map(move |w| w.paid_seats.get(m))
}

/// The workloads' paid seats `seats` put the tenant in `range`: any of them, or the
/// largest, as the range says.
fn seats_sized(range: &SeatRange, mut seats: impl Iterator<Item = f64>) -> bool {
    if range.any_workload.as_ref().is_some_and(|x| x.value) {
        seats.any(|s| range.contains(s))
    } else {
        range.contains(seats.fold(0.0, f64::max))
    }
}

/// Some of `seats` is above the range (promoted past the path).
fn seats_outgrown(range: &SeatRange, mut seats: impl Iterator<Item = f64>) -> bool {
    range
        .max
        .as_ref()
        .is_some_and(|max| seats.any(|s| s > max.value))
}
