//! Security: an Azure side (security services' ACR) and a Microsoft 365 side (security
//! workloads' seats), computed separately and added where the rules say so; tenants sized
//! for the path, with the SMB carry-over.

use super::{Contributor, Parts, Scorer, Unit, points};
use crate::attribution::{Association, Credits};
use crate::model::*;
use crate::rules::Sourced;
use crate::rules::scoring::{Calc, TrackRules};

/// A closed range `[min, max]` of a size (dollars, seats); no max is open-ended.
#[derive(Clone, Copy)]
struct Range {
    min: f64,
    max: Option<f64>,
}

impl Range {
    fn of(min: &Sourced<f64>, max: &Option<Sourced<f64>>) -> Range {
        Range {
            min: min.value,
            max: max.as_ref().map(|x| x.value),
        }
    }

    fn open(min: &Option<Sourced<f64>>, max: &Option<Sourced<f64>>) -> Range {
        Range {
            min: min.as_ref().map_or(f64::MIN, |x| x.value),
            max: max.as_ref().map(|x| x.value),
        }
    }

    fn contains(self, v: f64) -> bool {
        v >= self.min && self.max.is_none_or(|m| v <= m)
    }

    fn above(self, v: f64) -> bool {
        self.max.is_some_and(|m| v > m)
    }
}

impl Scorer<'_> {
    pub(super) fn security(&self, max: f64, t: &TrackRules, m: Month, calc: &Calc) -> Parts {
        match calc {
            Calc::SecurityNetCustomerAdds {
                azure_associations,
                m365_associations,
                workloads,
                min_security_acr_ttm,
                min_seats,
                max_seats,
                full,
                split_sides,
            } => {
                let acr = self.sums.through(azure_associations, true);
                let azure = |ci: usize, mm: Month| acr.ttm(ci, mm) >= min_security_acr_ttm.value;
                let seats = Range::of(min_seats, max_seats);
                let listed = self.wl.listed(workloads);
                let m365 = |ci: usize, mm: Month| {
                    self.security_workload(t, ci, mm, &listed, m365_associations, seats, None)
                };
                let split = split_sides.as_ref().is_some_and(|x| x.value);
                let (net, c) = self.sides(m, split, azure, m365, "security customer");
                (net, points(max, net, full.value), None, c)
            }
            Calc::SecurityDeployments {
                azure_associations,
                m365_associations,
                workloads,
                min_security_acr_ttm,
                max_security_acr_ttm,
                min_seats,
                max_seats,
                min_active_share,
                full,
                split_sides,
            } => {
                let acr_range = Range::of(min_security_acr_ttm, max_security_acr_ttm);
                let acr = self.sums.through(azure_associations, true);
                let azure = |ci: usize, mm: Month| self.sized(t, mm, acr_range, |x| acr.ttm(ci, x));
                let seats = Range::of(min_seats, max_seats);
                let listed = self.wl.listed(workloads);
                let m365 = |ci: usize, mm: Month| {
                    self.security_workload(
                        t,
                        ci,
                        mm,
                        &listed,
                        m365_associations,
                        seats,
                        Some(min_active_share.value),
                    )
                };
                let split = split_sides.as_ref().is_some_and(|x| x.value);
                let (net, c) = self.sides(m, split, azure, m365, "security deployment");
                (net, points(max, net, full.value), None, c)
            }
            Calc::SecurityUsageGrowth {
                azure_associations,
                m365_associations,
                workloads,
                dollars_per_point,
                users_per_point,
                azure_min_ttm,
                azure_max_ttm,
                min_seats,
                max_seats,
            } => {
                let acr_range = Range::open(azure_min_ttm, azure_max_ttm);
                let seat_range = Range::open(min_seats, max_seats);
                // Security ACR of the tenants sized for the path in that month.
                let credited = self.sums.through(azure_associations, true);
                let acr = |mm: Month| {
                    (0..self.ws.customers.len())
                        .filter(|&ci| self.sized(t, mm, acr_range, |x| credited.ttm(ci, x)))
                        .map(|ci| credited.get(ci, mm))
                        .sum::<f64>()
                };
                // Protected users: active users of credited security workloads of sized tenants.
                let listed = self.wl.listed(workloads);
                let users = |mm: Month| -> f64 {
                    (0..self.ws.customers.len())
                        .filter(|&ci| {
                            self.security_workload(
                                t,
                                ci,
                                mm,
                                &listed,
                                m365_associations,
                                seat_range,
                                None,
                            )
                        })
                        .map(|ci| {
                            (0..self.workload_count(ci))
                                .filter(|&wi| {
                                    listed[self.wl.at(ci, wi)]
                                        && self
                                            .workload_credits(ci, wi, mm)
                                            .any_of(m365_associations)
                                })
                                .map(|wi| self.wl.active(self.ws, ci, wi, mm))
                                .sum::<f64>()
                        })
                        .sum()
                };
                let acr_growth = acr(m) - acr(m.plus(-12));
                let user_growth = users(m) - users(m.plus(-12));
                let value = acr_growth.max(0.0) / dollars_per_point.value
                    + user_growth.max(0.0) / users_per_point.value;
                let c = vec![
                    Contributor {
                        customer: None,
                        item: "security ACR growth".into(),
                        value: acr_growth,
                        unit: Unit::Usd,
                        association: None,
                    },
                    Contributor {
                        customer: None,
                        item: "protected users growth".into(),
                        value: user_growth,
                        unit: Unit::Users,
                        association: None,
                    },
                ];
                (value, value.min(max), None, c)
            }
            _ => (0.0, 0.0, None, Vec::new()),
        }
    }

    /// Net customers of a metric with an Azure and a Microsoft 365 side: added side by side
    /// (`split`: one customer may count on both), or a customer counting once on either.
    fn sides(
        &self,
        m: Month,
        split: bool,
        azure: impl Fn(usize, Month) -> bool,
        m365: impl Fn(usize, Month) -> bool,
        what: &str,
    ) -> (f64, Vec<Contributor>) {
        if !split {
            let (net, now) = self.net_customers(m, |ci, mm| azure(ci, mm) || m365(ci, mm));
            let c = self.listing(m, &now, |&ci| {
                self.customer_contributor(ci, what, 1.0, None)
            });
            return (net, c);
        }
        let (net_azure, on_azure) = self.net_customers(m, &azure);
        let (net_m365, on_m365) = self.net_customers(m, &m365);
        let (on_azure_item, on_m365_item) =
            (format!("{what} (Azure)"), format!("{what} (Microsoft 365)"));
        let sides = on_azure
            .iter()
            .map(|&ci| (ci, &on_azure_item))
            .chain(on_m365.iter().map(|&ci| (ci, &on_m365_item)));
        let c = self.listing(m, sides, |(ci, item)| {
            self.customer_contributor(ci, item, 1.0, None)
        });
        (net_azure + net_m365, c)
    }

    /// A size (`of` a month) in `range` in `m`; on a path with carry-over also when it was in
    /// range a year before and has outgrown it since.
    fn sized(&self, t: &TrackRules, m: Month, range: Range, of: impl Fn(Month) -> f64) -> bool {
        let now = of(m);
        if range.contains(now) {
            return true;
        }
        t.carry_over_months
            .as_ref()
            .is_some_and(|k| range.above(now) && range.contains(of(m.plus(-(k.value as i32)))))
    }

    /// A credited security workload with paid seats in `seats` (and, for deployments, enough
    /// of them active).
    #[allow(clippy::too_many_arguments)]
    fn security_workload(
        &self,
        t: &TrackRules,
        ci: usize,
        m: Month,
        listed: &[bool],
        assocs: &[Association],
        seats: Range,
        active_share: Option<f64>,
    ) -> bool {
        // Read for every customer, metric, track and month: the month's slot and the mask
        // found once.
        let Some(slot) = self.att.slot(m) else {
            return false;
        };
        let may_credit = Credits::of(assocs);
        (0..self.workload_count(ci)).any(|wi| {
            let flat = self.wl.at(ci, wi);
            listed[flat]
                && self.wc.at(flat, slot).meets(may_credit)
                && self.sized(t, m, seats, |x| self.wl.paid(self.ws, ci, wi, x))
                && active_share.is_none_or(|share| {
                    let paid = self.wl.paid(self.ws, ci, wi, m);
                    paid > 0.0 && self.wl.active(self.ws, ci, wi, m) / paid >= share
                })
        })
    }
}
