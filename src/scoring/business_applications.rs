//! Business Applications: (tenant, workload) pairs of Dynamics 365 and Power Platform, their
//! revenue (net customer adds, the track) and monthly consumption value (usage growth,
//! deployments), each credited by the associations its workload family allows.

use super::{Parts, Scorer, Unit, points};
use crate::attribution::{Association, Credits};
use crate::model::*;
use crate::rules::scoring::{Calc, DesignationRules, WorkloadAssociations};

/// Who may credit a Business Applications workload.
enum Crediting<'a> {
    /// The 2023 form: these associations and claim roles, PAL for `pal_workloads`, no CPOR
    /// for `cpor_excluded`.
    Mixed {
        associations: &'a [Association],
        roles: &'a [ClaimRole],
        pal_workloads: &'a [String],
        cpor_excluded: &'a [String],
    },
    /// Per workload family, as the 2026 pages list them.
    ByWorkload(&'a [WorkloadAssociations]),
}

impl Scorer<'_> {
    pub(super) fn business_applications(
        &self,
        max: f64,
        d: &DesignationRules,
        m: Month,
        calc: &Calc,
    ) -> Parts {
        match calc {
            Calc::BusinessApplicationsNetCustomerAdds {
                associations,
                claim_roles,
                min_revenue,
                full,
                workloads,
            } => {
                let crediting = Crediting::Mixed {
                    associations,
                    roles: claim_roles,
                    pal_workloads: &[],
                    cpor_excluded: &[],
                };
                let listed = self.wl.listed(workloads);
                let pairs = |mm: Month| -> Vec<(usize, usize, f64)> {
                    self.biz_pairs(mm, &crediting)
                        .into_iter()
                        .filter(|&(ci, wi)| workloads.is_empty() || listed[self.wl.at(ci, wi)])
                        .filter_map(|(ci, wi)| {
                            let r = self.wl.revenue(self.ws, ci, wi, mm);
                            (r >= min_revenue.value).then_some((ci, wi, r))
                        })
                        .collect()
                };
                let now = pairs(m);
                let net = now.len() as f64 - pairs(m.plus(-12)).len() as f64;
                let c = self.listing(m, &now, |&(ci, wi, r)| {
                    self.workload_contributor(ci, wi, r, Unit::Usd)
                });
                (net, points(max, net, full.value), None, c)
            }
            Calc::BusinessApplicationsUsageGrowth {
                associations,
                claim_roles,
                pal_workloads,
                cpor_excluded_workloads,
                min_baseline_mcv,
                full_percent,
                workload_associations,
            } => {
                let crediting = crediting(
                    associations,
                    claim_roles,
                    pal_workloads,
                    cpor_excluded_workloads,
                    workload_associations,
                );
                let rates = self.wl.rates(d);
                let total = |mm: Month| {
                    let mut sum = 0.0;
                    let mut c = Vec::new();
                    for (ci, wi) in self.biz_pairs(mm, &crediting) {
                        let v = self.mcv(&rates, ci, wi, mm);
                        sum += v;
                        if self.lists(mm) {
                            c.push(self.workload_contributor(ci, wi, v, Unit::Mcv));
                        }
                    }
                    (sum, c)
                };
                let (now, contributors) = total(m);
                let (before, _) = total(m.plus(-12));
                let growth = if before >= min_baseline_mcv.value && before > 0.0 {
                    (now - before) / before * 100.0
                } else {
                    0.0
                };
                (
                    growth,
                    points(max, growth, full_percent.value),
                    None,
                    contributors,
                )
            }
            Calc::BusinessApplicationsDeployments {
                associations,
                claim_roles,
                pal_workloads,
                cpor_excluded_workloads,
                min_mcv,
                full,
                workload_associations,
            } => {
                let crediting = crediting(
                    associations,
                    claim_roles,
                    pal_workloads,
                    cpor_excluded_workloads,
                    workload_associations,
                );
                let rates = self.wl.rates(d);
                let deployed = |mm: Month| -> Vec<(usize, usize, f64)> {
                    self.biz_pairs(mm, &crediting)
                        .into_iter()
                        .filter_map(|(ci, wi)| {
                            let v = self.mcv(&rates, ci, wi, mm);
                            (v >= min_mcv.value).then_some((ci, wi, v))
                        })
                        .collect()
                };
                let now = deployed(m);
                let net = now.len() as f64 - deployed(m.plus(-12)).len() as f64;
                let c = self.listing(m, &now, |&(ci, wi, v)| {
                    self.workload_contributor(ci, wi, v, Unit::Mcv)
                });
                (net, points(max, net, full.value), None, c)
            }
            _ => (0.0, 0.0, None, Vec::new()),
        }
    }

    /// Business Applications (tenant, workload) pairs credited in `m`.
    fn biz_pairs(&self, m: Month, crediting: &Crediting) -> Vec<(usize, usize)> {
        let may_credit = self.may_credit(crediting);
        let Some(slot) = self.att.slot(m) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for ci in 0..self.ws.customers.len() {
            for wi in 0..self.workload_count(ci) {
                let flat = self.wl.at(ci, wi);
                if self.wl.business[flat]
                    && self.wc.at(flat, slot).meets(may_credit[self.wl.kind(flat)])
                {
                    out.push((ci, wi));
                }
            }
        }
        out
    }

    /// For each workload id ([`super::workloads::Workloads::names`]), what may credit a
    /// workload of that id: the associations and claim roles `crediting` allows it, as one
    /// mask a workload's credits in a month are met against.
    fn may_credit(&self, crediting: &Crediting) -> Vec<Credits> {
        // The 2023 form: every association but CPOR credits any workload.
        let non_cpor = match crediting {
            Crediting::Mixed { associations, .. } => {
                let all_but: Vec<Association> = associations
                    .iter()
                    .copied()
                    .filter(|a| *a != Association::Cpor)
                    .collect();
                Credits::of(&all_but)
            }
            Crediting::ByWorkload(_) => Credits::NONE,
        };
        self.wl
            .names()
            .iter()
            .map(|name| match crediting {
                Crediting::Mixed {
                    associations,
                    roles,
                    pal_workloads,
                    cpor_excluded,
                } => {
                    let mut mask = non_cpor;
                    if associations.contains(&Association::Cpor) && !cpor_excluded.contains(name) {
                        mask = mask.union(Credits::of_claim_roles(roles));
                    }
                    if pal_workloads.contains(name) {
                        mask = mask.union(Credits::of(&[Association::Pal]));
                    }
                    mask
                }
                Crediting::ByWorkload(rules) => rules
                    .iter()
                    .filter(|r| r.workloads.contains(name))
                    .fold(Credits::NONE, |mask, r| {
                        mask.union(Credits::of(&r.associations))
                            .union(Credits::of_claim_roles(&r.claim_roles))
                    }),
            })
            .collect()
    }

    /// Monthly consumption value: users (profiles) times the workload's rate (0 unrated).
    fn mcv(&self, rates: &[f64], ci: usize, wi: usize, m: Month) -> f64 {
        self.wl.active(self.ws, ci, wi, m) * rates[self.wl.at(ci, wi)]
    }

    /// (tenant, workload) pairs with revenue above `min` in both M-1 and M-13 (the track);
    /// `associated`: only Business Applications workloads of customers credited in M.
    pub(super) fn revenue_pairs(&self, m: Month, min: f64, associated: bool) -> usize {
        let revenue = |ci, wi, mm| self.wl.revenue(self.ws, ci, wi, mm);
        (0..self.ws.customers.len())
            .filter(|&ci| !associated || self.associated(ci, m))
            .flat_map(|ci| (0..self.workload_count(ci)).map(move |wi| (ci, wi)))
            .filter(|&(ci, wi)| !associated || self.wl.business[self.wl.at(ci, wi)])
            .filter(|&(ci, wi)| {
                revenue(ci, wi, m.plus(-1)) > min && revenue(ci, wi, m.plus(-13)) > min
            })
            .count()
    }
}

fn crediting<'a>(
    associations: &'a [Association],
    roles: &'a [ClaimRole],
    pal_workloads: &'a [String],
    cpor_excluded: &'a [String],
    by_workload: &'a [WorkloadAssociations],
) -> Crediting<'a> {
    if by_workload.is_empty() {
        Crediting::Mixed {
            associations,
            roles,
            pal_workloads,
            cpor_excluded,
        }
    } else {
        Crediting::ByWorkload(by_workload)
    }
}
