//! The Partner Capability Score: per designation, track and month of the window, each
//! metric's measured value and points, with the customers, workloads, services and
//! people that contribute. Every number comes from the rule set.

pub mod report;

use crate::attribution::{Association, Attribution, Credits, Prepared, Viewpoint};
use crate::model::*;
use crate::rules::RuleSet;
use crate::rules::scoring::{
    Calc, DesignationRules, MetricRules, PerAssociation, SkillStep, TrackRule, TrackRules,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Something that counts toward a metric (or would, but for the reason given).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contributor {
    /// Customer id, or none for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The workload, service or person.
    pub item: String,
    pub value: f64,
    pub unit: Unit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<Association>,
}

/// What a contributor's value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// US dollars of consumed revenue.
    Usd,
    /// Active users (or their growth).
    Users,
    /// Monthly consumption value.
    Mcv,
    /// Points a person earns.
    Points,
    /// A count (a tenant, a deployment).
    Count,
}

/// One metric in one month on one track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricScore {
    pub id: String,
    pub value: f64,
    pub points: f64,
    pub max: f64,
    /// Modern Work: the association type whose computation counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<Association>,
    pub contributors: Vec<Contributor>,
    /// What could count but does not, with the engine's reason: evaluated month only, and
    /// only from [`evaluate_explained`].
    pub excluded: Vec<Excluded>,
}

/// A customer item or person that does not count toward a metric, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excluded {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    pub item: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackMonth {
    pub month: Month,
    pub total: f64,
    pub qualified: bool,
    pub metrics: Vec<MetricScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackScore {
    /// `none`, `enterprise` or `smb`.
    pub track: String,
    pub months: Vec<TrackMonth>,
}

/// A designation's result over the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignationScore {
    pub id: String,
    pub name: String,
    pub qualified: bool,
    pub best_month: Option<Month>,
    /// Total of the evaluated month on its counting track.
    pub score: f64,
    /// The counting track in the evaluated month (none when the designation has one track).
    pub track: Option<String>,
    /// For each month of the window, the counting track.
    pub counting: Vec<(Month, usize)>,
    pub tracks: Vec<TrackScore>,
}

impl DesignationScore {
    /// The counting track's result in month `m`.
    pub fn month(&self, m: Month) -> Option<&TrackMonth> {
        let (_, t) = self.counting.iter().find(|(mm, _)| *mm == m)?;
        self.tracks[*t].months.iter().find(|x| x.month == m)
    }

    /// The evaluated month's metrics on the counting track.
    pub fn metrics(&self) -> &[MetricScore] {
        self.counting
            .last()
            .and_then(|(m, _)| self.month(*m))
            .map_or(&[], |tm| &tm.metrics)
    }
}

/// The whole evaluation of a workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub as_of: Month,
    pub rules: String,
    pub designations: Vec<DesignationScore>,
}

/// How partners name a metric.
pub fn metric_label(id: &str) -> &str {
    match id {
        "net_customer_adds" => "Net customer adds",
        "intermediate_certifications" => "Intermediate certifications",
        "advanced_certifications" => "Advanced certifications",
        "usage_growth" => "Usage growth",
        "deployments" => "Deployments",
        other => other,
    }
}

/// Points for a measured value: `min(max, max × value / full)`, never negative.
pub fn points(max: f64, value: f64, full: f64) -> f64 {
    if value <= 0.0 || full <= 0.0 {
        0.0
    } else {
        (max * value / full).min(max)
    }
}

/// Evaluate every designation of `rules` for the workspace's partner.
pub fn evaluate(ws: &Workspace, rules: &RuleSet) -> Evaluation {
    evaluate_for(ws, rules, Viewpoint::of_workspace(ws))
}

pub fn evaluate_for(ws: &Workspace, rules: &RuleSet, view: Viewpoint) -> Evaluation {
    evaluate_where(ws, rules, view, |_| true, false)
}

/// One designation only (what the planner re-scores after each candidate action).
pub fn evaluate_designation(ws: &Workspace, rules: &RuleSet, id: &str) -> Option<DesignationScore> {
    evaluate_where(ws, rules, Viewpoint::of_workspace(ws), |d| d == id, false)
        .designations
        .pop()
}

/// One designation with, for each metric in `as_of`, what could count but does not and
/// the engine's reason ([`MetricScore::excluded`]): explaining takes longer than scoring,
/// so only the designation page asks for it.
pub fn evaluate_explained(ws: &Workspace, rules: &RuleSet, id: &str) -> Option<DesignationScore> {
    evaluate_where(ws, rules, Viewpoint::of_workspace(ws), |d| d == id, true)
        .designations
        .pop()
}

fn evaluate_where(
    ws: &Workspace,
    rules: &RuleSet,
    view: Viewpoint,
    wanted: impl Fn(&str) -> bool,
    explain: bool,
) -> Evaluation {
    let prepared = Prepared::new(ws, rules, view);
    let window = rules.scoring.window_months.value.max(1) as i32;
    let first = ws.as_of.plus(-(window - 1));
    // TTM at M-12 of the first window month reaches back 12 + 11 months more.
    let att = prepared.attribute(first.plus(-23), ws.as_of);
    let sums = AcrSums::new(ws, &att, |service| {
        rules.scoring.is_security_service(service)
    });
    let scorer = Scorer {
        ws,
        rules,
        att: &att,
        prepared: &prepared,
        sums,
        explain,
    };
    let months: Vec<Month> = Month::range(first, ws.as_of).collect();
    let designations = rules
        .scoring
        .designations
        .iter()
        .filter(|d| wanted(&d.id))
        .map(|d| scorer.designation(d, &months))
        .collect();
    Evaluation {
        as_of: ws.as_of,
        rules: rules.id.clone(),
        designations,
    }
}

struct Scorer<'a> {
    ws: &'a Workspace,
    rules: &'a RuleSet,
    att: &'a Attribution,
    prepared: &'a Prepared<'a>,
    sums: AcrSums,
    /// Also list what does not count in `as_of`, and why.
    explain: bool,
}

/// ACR of the lines sharing one set of credits, in one customer and month.
#[derive(Debug, Clone, Copy)]
struct AcrSum {
    credits: Credits,
    all: f64,
    /// Of which on the rule set's security services.
    security: f64,
}

/// Credited ACR per customer and month, grouped by the credits that earned it: every metric
/// reads these few sums instead of walking the usage lines again for each month it looks at.
struct AcrSums {
    from: Month,
    months: usize,
    /// `[customer * months + slot]`.
    sums: Vec<Vec<AcrSum>>,
    /// The same ACR split by service too: `[customer * months + slot]`.
    by_service: Vec<Vec<ServiceSum>>,
    /// Each distinct service (trimmed, first spelling met) by its case-insensitive key.
    services: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct ServiceSum {
    service: usize,
    credits: Credits,
    acr: f64,
}

impl AcrSums {
    fn new(ws: &Workspace, att: &Attribution, is_security: impl Fn(&str) -> bool) -> AcrSums {
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

    fn per_service(&self, ci: usize, m: Month) -> &[ServiceSum] {
        self.slot(ci, m)
            .and_then(|i| self.by_service.get(i))
            .map_or(&[], Vec::as_slice)
    }

    fn get(&self, ci: usize, m: Month) -> &[AcrSum] {
        self.slot(ci, m)
            .and_then(|i| self.sums.get(i))
            .map_or(&[], Vec::as_slice)
    }
}

impl Scorer<'_> {
    fn designation(&self, d: &DesignationRules, months: &[Month]) -> DesignationScore {
        let qualifying = self.rules.scoring.qualifying_score.value;
        let tracks: Vec<TrackScore> = d
            .tracks
            .iter()
            .map(|t| TrackScore {
                track: t.track.clone(),
                months: months
                    .iter()
                    .map(|&m| {
                        let metrics: Vec<MetricScore> = t
                            .metrics
                            .iter()
                            .map(|mr| self.metric(d, t, mr, m))
                            .collect();
                        let total: f64 = metrics.iter().map(|x| x.points).sum();
                        let qualified =
                            total >= qualifying && metrics.iter().all(|x| x.points > 0.0);
                        TrackMonth {
                            month: m,
                            total,
                            qualified,
                            metrics,
                        }
                    })
                    .collect(),
            })
            .collect();
        let counting: Vec<(Month, usize)> = months
            .iter()
            .enumerate()
            .map(|(i, &m)| {
                let t = match &d.track_rule {
                    TrackRule::None => 0,
                    TrackRule::BestOf => (0..tracks.len())
                        .max_by(|&a, &b| {
                            tracks[a].months[i]
                                .total
                                .total_cmp(&tracks[b].months[i].total)
                                .then(b.cmp(&a))
                        })
                        .unwrap_or(0),
                    TrackRule::SmbCustomerShare { smb_share } => {
                        let smb = self.smb_share(m) >= smb_share.value;
                        track_index(d, if smb { "smb" } else { "enterprise" })
                    }
                    TrackRule::RevenuePairs {
                        min_pairs,
                        min_revenue,
                    } => {
                        let pairs = self.revenue_pairs(m, min_revenue.value);
                        track_index(
                            d,
                            if pairs >= min_pairs.value as usize {
                                "enterprise"
                            } else {
                                "smb"
                            },
                        )
                    }
                };
                (m, t)
            })
            .collect();
        let mut best: Option<(Month, f64)> = None;
        for (i, &(m, t)) in counting.iter().enumerate() {
            let tm = &tracks[t].months[i];
            if tm.qualified && best.is_none_or(|(_, s)| tm.total >= s) {
                best = Some((m, tm.total));
            }
        }
        let (last_m, last_t) = counting.last().copied().unwrap_or((self.ws.as_of, 0));
        let score = tracks
            .get(last_t)
            .and_then(|t| t.months.iter().find(|x| x.month == last_m))
            .map_or(0.0, |x| x.total);
        DesignationScore {
            id: d.id.clone(),
            name: d.name.clone(),
            qualified: best.is_some(),
            best_month: best.map(|(m, _)| m),
            score,
            track: tracks
                .get(last_t)
                .map(|t| t.track.clone())
                .filter(|t| t != "none"),
            counting,
            tracks,
        }
    }

    fn metric(
        &self,
        d: &DesignationRules,
        t: &TrackRules,
        mr: &MetricRules,
        m: Month,
    ) -> MetricScore {
        let max = mr.max.value;
        let (value, pts, association, contributors) = match &mr.calc {
            Calc::AzureNetCustomerAdds {
                associations,
                min_acr,
                full,
            } => {
                let eligible = |mm: Month| -> Vec<(usize, f64)> {
                    (0..self.ws.customers.len())
                        .filter_map(|ci| {
                            let a = self.credited_acr(ci, mm, associations, false);
                            let b = self.credited_acr(ci, mm.plus(-1), associations, false);
                            (a >= min_acr.value || b >= min_acr.value).then_some((ci, a.max(b)))
                        })
                        .collect()
                };
                let now = eligible(m);
                let net = now.len() as f64 - eligible(m.plus(-12)).len() as f64;
                let contributors = now
                    .iter()
                    .map(|&(ci, acr)| self.customer_contributor(ci, "Azure consumption", acr, None))
                    .collect();
                (net, points(max, net, full.value), None, contributors)
            }
            Calc::AzureUsageGrowth {
                associations,
                min_ttm_acr,
                full_percent,
            } => {
                let total = |mm: Month| {
                    (0..self.ws.customers.len())
                        .map(|ci| self.credited_acr(ci, mm, associations, false))
                        .sum::<f64>()
                };
                let (now, before) = (total(m), total(m.plus(-12)));
                let ttm: f64 = Month::range(m.plus(-11), m).map(total).sum();
                let growth = if before > 0.0 && ttm >= min_ttm_acr.value {
                    (now - before) / before * 100.0
                } else {
                    0.0
                };
                let contributors = (0..self.ws.customers.len())
                    .filter_map(|ci| {
                        let v = self.credited_acr(ci, m, associations, false);
                        (v > 0.0)
                            .then(|| self.customer_contributor(ci, "Azure consumption", v, None))
                    })
                    .collect();
                (
                    growth,
                    points(max, growth, full_percent.value),
                    None,
                    contributors,
                )
            }
            Calc::AzureDeployments {
                associations,
                excluded_services,
                full,
            } => {
                // Keyed without case; the first spelling met is shown.
                let mask = Credits::of(associations);
                let names = &self.sums.services;
                let excluded: Vec<bool> = names
                    .iter()
                    .map(|n| {
                        excluded_services
                            .value
                            .iter()
                            .any(|s| s.eq_ignore_ascii_case(n))
                    })
                    .collect();
                let mut acr = vec![0.0; names.len()];
                for ci in 0..self.ws.customers.len() {
                    for mm in Month::range(m.plus(-11), m) {
                        for x in self.sums.per_service(ci, mm) {
                            if x.credits.intersects(mask) && !excluded[x.service] {
                                acr[x.service] += x.acr;
                            }
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
                    .into_iter()
                    .map(|(_, (s, v))| Contributor {
                        customer: None,
                        item: s,
                        value: v,
                        unit: Unit::Usd,
                        association: None,
                    })
                    .collect();
                (n, points(max, n, full.value), None, contributors)
            }
            Calc::Skilling { steps } => {
                let (v, p, c) = skilling(self.ws, self.rules, steps, m);
                (v, p.min(max), None, c)
            }
            Calc::ModernWorkNetCustomerAdds {
                workloads,
                thresholds,
            } => self.best_per_association(max, thresholds, |assocs| {
                let qualifying = |mm: Month| -> Vec<usize> {
                    (0..self.ws.customers.len())
                        .filter(|&ci| {
                            self.on_path(t, ci, workloads, mm)
                                && self.any_workload_credited(ci, workloads, mm, assocs)
                        })
                        .collect()
                };
                let now = qualifying(m);
                let net = now.len() as f64 - qualifying(m.plus(-12)).len() as f64;
                let c = now
                    .iter()
                    .map(|&ci| {
                        self.customer_contributor(ci, "Microsoft 365 tenant", 1.0, Some(assocs[0]))
                    })
                    .collect();
                (net, c)
            }),
            Calc::ModernWorkUsageGrowth {
                workloads,
                thresholds,
            } => self.best_per_association(max, thresholds, |assocs| {
                let mut growth = 0.0;
                let mut contributors = Vec::new();
                for (ci, c) in self.ws.customers.iter().enumerate() {
                    if !self.on_path(t, ci, workloads, m) {
                        continue;
                    }
                    for (wi, w) in c.workloads.iter().enumerate() {
                        if !workloads.contains(&w.workload)
                            || !self.att.workload(ci, wi, m).any_of(assocs)
                        {
                            continue;
                        }
                        // Counted from the association month: before it, the baseline is its value then.
                        let start = self.association_start(ci, wi, m, assocs);
                        let g = w.active_users.get(m) - w.active_users.get(start);
                        growth += g;
                        contributors.push(Contributor {
                            customer: Some(c.id.to_string()),
                            item: w.workload.clone(),
                            value: g,
                            unit: Unit::Users,
                            association: Some(assocs[0]),
                        });
                    }
                }
                (growth, contributors)
            }),
            Calc::ModernWorkDeployments {
                workloads,
                active_share,
                thresholds,
            } => self.best_per_association(max, thresholds, |assocs| {
                let deployed = |ci: usize, mm: Month| -> bool {
                    let c = &self.ws.customers[ci];
                    let (mut paid, mut active) = (0.0, 0.0);
                    for (wi, w) in c.workloads.iter().enumerate() {
                        if workloads.contains(&w.workload)
                            && self.att.workload(ci, wi, mm).any_of(assocs)
                        {
                            paid += w.paid_seats.get(mm);
                            active += w.active_users.get(mm);
                        }
                    }
                    paid > 0.0 && active / paid >= active_share.value
                };
                let count = |mm: Month, exclude_new: bool| -> Vec<usize> {
                    (0..self.ws.customers.len())
                        .filter(|&ci| self.on_path(t, ci, workloads, mm) && deployed(ci, mm))
                        .filter(|&ci| {
                            // Tenants associated in the last 12 months that were already deployed then do not count.
                            !exclude_new || {
                                let start = (0..self.ws.customers[ci].workloads.len())
                                    .filter(|&wi| self.att.workload(ci, wi, mm).any_of(assocs))
                                    .map(|wi| self.association_start(ci, wi, mm, assocs))
                                    .min();
                                !start.is_some_and(|s| s > mm.plus(-12) && deployed(ci, s))
                            }
                        })
                        .collect()
                };
                let now = count(m, true);
                let net = now.len() as f64 - count(m.plus(-12), false).len() as f64;
                let c = now
                    .iter()
                    .map(|&ci| {
                        self.customer_contributor(ci, "deployed tenant", 1.0, Some(assocs[0]))
                    })
                    .collect();
                (net, c)
            }),
            Calc::SecurityNetCustomerAdds {
                azure_associations,
                m365_associations,
                workloads,
                min_security_acr_ttm,
                min_seats,
                max_seats,
                full,
            } => {
                let qualifies = |ci: usize, mm: Month| -> bool {
                    let acr = self.security_acr_ttm(ci, mm, azure_associations);
                    let seats =
                        self.ws.customers[ci]
                            .workloads
                            .iter()
                            .enumerate()
                            .any(|(wi, w)| {
                                let s = w.paid_seats.get(mm);
                                workloads.contains(&w.workload)
                                    && self.att.workload(ci, wi, mm).any_of(m365_associations)
                                    && s >= min_seats.value
                                    && max_seats.as_ref().is_none_or(|x| s <= x.value)
                            });
                    acr >= min_security_acr_ttm.value || seats
                };
                let (net, now) = self.net_customers(m, qualifies);
                let c = now
                    .iter()
                    .map(|&ci| self.customer_contributor(ci, "security customer", 1.0, None))
                    .collect();
                (net, points(max, net, full.value), None, c)
            }
            Calc::SecurityDeployments {
                azure_associations,
                m365_associations,
                workloads,
                min_security_acr_ttm,
                max_security_acr_ttm,
                min_seats,
                min_active_share,
                full,
            } => {
                let deployed = |ci: usize, mm: Month| -> bool {
                    let acr = self.security_acr_ttm(ci, mm, azure_associations);
                    let azure = acr >= min_security_acr_ttm.value
                        && max_security_acr_ttm.as_ref().is_none_or(|x| acr <= x.value);
                    let m365 = self.ws.customers[ci]
                        .workloads
                        .iter()
                        .enumerate()
                        .any(|(wi, w)| {
                            let seats = w.paid_seats.get(mm);
                            workloads.contains(&w.workload)
                                && self.att.workload(ci, wi, mm).any_of(m365_associations)
                                && seats >= min_seats.value
                                && w.active_users.get(mm) / seats >= min_active_share.value
                        });
                    azure || m365
                };
                let (net, now) = self.net_customers(m, deployed);
                let c = now
                    .iter()
                    .map(|&ci| self.customer_contributor(ci, "security deployment", 1.0, None))
                    .collect();
                (net, points(max, net, full.value), None, c)
            }
            Calc::SecurityUsageGrowth {
                azure_associations,
                m365_associations,
                workloads,
                dollars_per_point,
                users_per_point,
            } => {
                let acr = |mm: Month| {
                    (0..self.ws.customers.len())
                        .map(|ci| self.credited_acr(ci, mm, azure_associations, true))
                        .sum::<f64>()
                };
                let users = |mm: Month| -> f64 {
                    self.ws
                        .customers
                        .iter()
                        .enumerate()
                        .map(|(ci, c)| {
                            c.workloads
                                .iter()
                                .enumerate()
                                .filter(|(wi, w)| {
                                    workloads.contains(&w.workload)
                                        && self.att.workload(ci, *wi, mm).any_of(m365_associations)
                                })
                                .map(|(_, w)| w.active_users.get(mm))
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
            Calc::BusinessApplicationsNetCustomerAdds {
                associations,
                claim_roles,
                min_revenue,
                full,
            } => {
                let pairs = |mm: Month| -> Vec<(usize, usize, f64)> {
                    self.biz_pairs(mm, associations, claim_roles, &[], &[])
                        .into_iter()
                        .filter_map(|(ci, wi)| {
                            let r = self.ws.customers[ci].workloads[wi].revenue.get(mm);
                            (r >= min_revenue.value).then_some((ci, wi, r))
                        })
                        .collect()
                };
                let now = pairs(m);
                let net = now.len() as f64 - pairs(m.plus(-12)).len() as f64;
                let c = now
                    .iter()
                    .map(|&(ci, wi, r)| self.workload_contributor(ci, wi, r, Unit::Usd))
                    .collect();
                (net, points(max, net, full.value), None, c)
            }
            Calc::BusinessApplicationsUsageGrowth {
                associations,
                claim_roles,
                pal_workloads,
                cpor_excluded_workloads,
                min_baseline_mcv,
                full_percent,
            } => {
                let total = |mm: Month| -> (f64, Vec<Contributor>) {
                    let mut sum = 0.0;
                    let mut c = Vec::new();
                    for (ci, wi) in self.biz_pairs(
                        mm,
                        associations,
                        claim_roles,
                        pal_workloads,
                        cpor_excluded_workloads,
                    ) {
                        let v = self.mcv(d, ci, wi, mm);
                        sum += v;
                        c.push(self.workload_contributor(ci, wi, v, Unit::Mcv));
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
            } => {
                let deployed = |mm: Month| -> Vec<(usize, usize, f64)> {
                    self.biz_pairs(
                        mm,
                        associations,
                        claim_roles,
                        pal_workloads,
                        cpor_excluded_workloads,
                    )
                    .into_iter()
                    .filter_map(|(ci, wi)| {
                        let v = self.mcv(d, ci, wi, mm);
                        (v >= min_mcv.value).then_some((ci, wi, v))
                    })
                    .collect()
                };
                let now = deployed(m);
                let net = now.len() as f64 - deployed(m.plus(-12)).len() as f64;
                let c = now
                    .iter()
                    .map(|&(ci, wi, v)| self.workload_contributor(ci, wi, v, Unit::Mcv))
                    .collect();
                (net, points(max, net, full.value), None, c)
            }
        };
        let excluded = if self.explain && m == self.ws.as_of {
            self.excluded(&mr.calc, &contributors, m)
        } else {
            Vec::new()
        };
        MetricScore {
            id: mr.id.clone(),
            value,
            points: pts,
            max,
            association,
            contributors,
            excluded,
        }
    }

    /// What could count toward a metric in `m` but does not, with the engine's reason.
    fn excluded(&self, calc: &Calc, contributors: &[Contributor], m: Month) -> Vec<Excluded> {
        use crate::attribution::explain::sentence;
        let counted: std::collections::BTreeSet<&str> = contributors
            .iter()
            .filter_map(|c| c.customer.as_deref())
            .collect();
        let assocs = calc.associations();
        let mut out = Vec::new();
        let refusal = |ds: &[crate::attribution::Decision], c: &Customer| {
            // A broken association of ours explains more than a missing one.
            ds.iter()
                .find(|d| !d.credited && d.rule.is_broken())
                .or_else(|| ds.iter().find(|d| !d.credited))
                .map(|d| sentence(d, self.ws, c))
        };
        let security = matches!(
            calc,
            Calc::SecurityNetCustomerAdds { .. }
                | Calc::SecurityDeployments { .. }
                | Calc::SecurityUsageGrowth { .. }
        );
        let azure = security
            || matches!(
                calc,
                Calc::AzureNetCustomerAdds { .. }
                    | Calc::AzureUsageGrowth { .. }
                    | Calc::AzureDeployments { .. }
            );
        // Security's Azure side counts only the rule set's security services.
        let counts = |service: &str| !security || self.rules.scoring.is_security_service(service);
        if azure {
            for (ci, c) in self.ws.customers.iter().enumerate() {
                if counted.contains(c.id.as_str()) {
                    continue;
                }
                let largest = c
                    .usage
                    .iter()
                    .enumerate()
                    .filter(|(_, u)| u.acr.get(m) > 0.0 && counts(&u.service))
                    .max_by(|a, b| a.1.acr.get(m).total_cmp(&b.1.acr.get(m)));
                let Some((li, u)) = largest else { continue };
                let credited = self.credited_acr(ci, m, &assocs, security);
                let reason = if credited > 0.0 {
                    format!(
                        "credited {} in {m}, below what the metric needs",
                        money(credited)
                    )
                } else {
                    refusal(&self.prepared.explain_line(ci, li, m), c)
                        .unwrap_or_else(|| "not credited".into())
                };
                out.push(Excluded {
                    customer: Some(c.id.to_string()),
                    item: format!("{} ({} in {m})", u.service, money(u.acr.get(m))),
                    reason,
                });
            }
        }
        let workloads: Option<Vec<String>> = match calc {
            Calc::ModernWorkNetCustomerAdds { workloads, .. }
            | Calc::ModernWorkUsageGrowth { workloads, .. }
            | Calc::ModernWorkDeployments { workloads, .. }
            | Calc::SecurityNetCustomerAdds { workloads, .. }
            | Calc::SecurityDeployments { workloads, .. }
            | Calc::SecurityUsageGrowth { workloads, .. } => Some(workloads.clone()),
            Calc::BusinessApplicationsNetCustomerAdds { .. }
            | Calc::BusinessApplicationsUsageGrowth { .. }
            | Calc::BusinessApplicationsDeployments { .. } => Some(
                self.rules
                    .workloads
                    .iter()
                    .filter(|w| w.is("dynamics365") || w.is("power_platform"))
                    .map(|w| w.id.clone())
                    .collect(),
            ),
            _ => None,
        };
        if let Some(list) = workloads {
            for (ci, c) in self.ws.customers.iter().enumerate() {
                for (wi, w) in c.workloads.iter().enumerate() {
                    let used = w.paid_seats.get(m) > 0.0 || w.active_users.get(m) > 0.0;
                    if !list.contains(&w.workload)
                        || !used
                        || self.att.workload(ci, wi, m).any_of(&assocs)
                    {
                        continue;
                    }
                    let reason = refusal(&self.prepared.explain_workload(ci, wi, m), c)
                        .unwrap_or_else(|| "not associated".into());
                    out.push(Excluded {
                        customer: Some(c.id.to_string()),
                        item: w.workload.clone(),
                        reason,
                    });
                }
            }
        }
        if let Calc::Skilling { steps } = calc {
            let day = m.last_day();
            let listed: std::collections::BTreeSet<&String> =
                steps.iter().flat_map(|s| s.certifications.iter()).collect();
            for p in &self.ws.people {
                for c in p.certifications.iter().filter(|c| listed.contains(&c.cert)) {
                    let name = self.rules.certification_name(&c.cert);
                    let reason = if !p.linked {
                        "the Microsoft Learn profile is not linked to Partner Center".to_owned()
                    } else if c.earned > day {
                        format!("earned only on {}", c.earned)
                    } else if let Some(e) = c.expires.filter(|e| *e <= day) {
                        format!("expired on {e}")
                    } else if !self.rules.certification_counts_on(&c.cert, day) {
                        "no longer counts for this designation".to_owned()
                    } else {
                        continue;
                    };
                    out.push(Excluded {
                        customer: None,
                        item: format!("{}: {name}", p.name),
                        reason,
                    });
                }
            }
        }
        out
    }

    /// Modern Work: compute a metric per association type; the one with most points counts.
    fn best_per_association(
        &self,
        max: f64,
        thresholds: &[PerAssociation],
        f: impl Fn(&[Association]) -> (f64, Vec<Contributor>),
    ) -> (f64, f64, Option<Association>, Vec<Contributor>) {
        let mut best: Option<(f64, f64, Option<Association>, Vec<Contributor>)> = None;
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

    /// Credited ACR of a customer in `m` through any of `assocs` (security services only
    /// when `security`), read from the sums taken once per evaluation.
    fn credited_acr(&self, ci: usize, m: Month, assocs: &[Association], security: bool) -> f64 {
        let mask = Credits::of(assocs);
        self.sums
            .get(ci, m)
            .iter()
            .filter(|x| x.credits.intersects(mask))
            .map(|x| if security { x.security } else { x.all })
            .sum()
    }

    fn security_acr_ttm(&self, ci: usize, m: Month, assocs: &[Association]) -> f64 {
        Month::range(m.plus(-11), m)
            .map(|mm| self.credited_acr(ci, mm, assocs, true))
            .sum()
    }

    /// Customers meeting `holds` in `m` (listed) and net of those in `m-12`.
    fn net_customers(&self, m: Month, holds: impl Fn(usize, Month) -> bool) -> (f64, Vec<usize>) {
        let all = 0..self.ws.customers.len();
        let now: Vec<usize> = all.clone().filter(|&ci| holds(ci, m)).collect();
        let before = all.filter(|&ci| holds(ci, m.plus(-12))).count();
        (now.len() as f64 - before as f64, now)
    }

    fn any_workload_credited(
        &self,
        ci: usize,
        workloads: &[String],
        m: Month,
        assocs: &[Association],
    ) -> bool {
        self.ws.customers[ci]
            .workloads
            .iter()
            .enumerate()
            .any(|(wi, w)| {
                workloads.contains(&w.workload) && self.att.workload(ci, wi, m).any_of(assocs)
            })
    }

    /// Modern Work: is the tenant on this track's path (by its largest workload's paid seats)?
    fn on_path(&self, t: &TrackRules, ci: usize, workloads: &[String], m: Month) -> bool {
        let largest = self.ws.customers[ci]
            .workloads
            .iter()
            .filter(|w| workloads.contains(&w.workload))
            .map(|w| w.paid_seats.get(m))
            .fold(0.0, f64::max);
        t.tenant_seats.as_ref().is_none_or(|r| r.contains(largest))
    }

    /// The first month of the unbroken run of credit (by `assocs`) ending at `m`, at most 12 back.
    fn association_start(&self, ci: usize, wi: usize, m: Month, assocs: &[Association]) -> Month {
        let mut start = m;
        while start > m.plus(-12) && self.att.workload(ci, wi, start.plus(-1)).any_of(assocs) {
            start = start.plus(-1);
        }
        start
    }

    /// Business Applications (tenant, workload) pairs associated in `m`.
    fn biz_pairs(
        &self,
        m: Month,
        assocs: &[Association],
        roles: &[ClaimRole],
        pal_workloads: &[String],
        cpor_excluded: &[String],
    ) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (ci, c) in self.ws.customers.iter().enumerate() {
            for (wi, w) in c.workloads.iter().enumerate() {
                let Some(info) = self.rules.workload(&w.workload) else {
                    continue;
                };
                if !(info.is("dynamics365") || info.is("power_platform")) {
                    continue;
                }
                let cr = self.att.workload(ci, wi, m);
                let non_cpor: Vec<Association> = assocs
                    .iter()
                    .copied()
                    .filter(|a| *a != Association::Cpor)
                    .collect();
                let by_claim = assocs.contains(&Association::Cpor)
                    && !cpor_excluded.contains(&w.workload)
                    && roles.iter().any(|r| cr.has_claim_role(*r));
                let by_pal = pal_workloads.contains(&w.workload) && cr.has(Association::Pal);
                if cr.any_of(&non_cpor) || by_claim || by_pal {
                    out.push((ci, wi));
                }
            }
        }
        out
    }

    fn mcv(&self, d: &DesignationRules, ci: usize, wi: usize, m: Month) -> f64 {
        let w = &self.ws.customers[ci].workloads[wi];
        let rate = d
            .mcv_rates
            .iter()
            .find(|r| r.workload == w.workload)
            .map_or(0.0, |r| r.rate.value);
        w.active_users.get(m) * rate
    }

    fn revenue_pairs(&self, m: Month, min: f64) -> usize {
        self.ws
            .customers
            .iter()
            .flat_map(|c| c.workloads.iter())
            .filter(|w| w.revenue.get(m.plus(-1)) > min && w.revenue.get(m.plus(-13)) > min)
            .count()
    }

    /// Share of associated customers (any credit in `m`) that are SMB-segment.
    fn smb_share(&self, m: Month) -> f64 {
        let mut total = 0;
        let mut smb = 0;
        for (ci, c) in self.ws.customers.iter().enumerate() {
            let associated = (0..c.usage.len()).any(|li| self.att.line(ci, li, m).any())
                || (0..c.workloads.len()).any(|wi| self.att.workload(ci, wi, m).any());
            if associated {
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

    fn customer_contributor(
        &self,
        ci: usize,
        item: &str,
        value: f64,
        association: Option<Association>,
    ) -> Contributor {
        let unit = if item == "Azure consumption" {
            Unit::Usd
        } else {
            Unit::Count
        };
        Contributor {
            customer: Some(self.ws.customers[ci].id.to_string()),
            item: item.to_owned(),
            value,
            unit,
            association,
        }
    }

    fn workload_contributor(&self, ci: usize, wi: usize, value: f64, unit: Unit) -> Contributor {
        let c = &self.ws.customers[ci];
        Contributor {
            customer: Some(c.id.to_string()),
            item: c.workloads[wi].workload.clone(),
            value,
            unit,
            association: None,
        }
    }
}

/// Skilling: prerequisite steps in order, then the scoring step; a person may count in several.
/// Returns (people at the scoring step, points before the metric's cap, the people).
pub fn skilling(
    ws: &Workspace,
    rules: &RuleSet,
    steps: &[SkillStep],
    m: Month,
) -> (f64, f64, Vec<Contributor>) {
    let day = m.last_day();
    // Keyed by name then id: listed by name, and two people who share a name both count.
    let holders = |step: &SkillStep| -> BTreeMap<(String, String), String> {
        let mut people = BTreeMap::new();
        for p in ws.people.iter().filter(|p| p.linked) {
            for c in &p.certifications {
                let active = c.earned <= day && c.expires.is_none_or(|e| day < e);
                if active
                    && step.certifications.contains(&c.cert)
                    && rules.certification_counts_on(&c.cert, day)
                {
                    people
                        .entry((p.name.clone(), p.id.to_string()))
                        .or_insert_with(|| c.cert.clone());
                }
            }
        }
        people
    };
    let mut pts = 0.0;
    for step in steps {
        let people = holders(step);
        let n = people.len() as f64;
        if step.scoring {
            let contributors = people
                .into_iter()
                .map(|((name, _), cert)| Contributor {
                    customer: None,
                    item: format!("{name}: {}", rules.certification_name(&cert)),
                    value: step.points_per_person.value,
                    unit: Unit::Points,
                    association: None,
                })
                .collect();
            return (n, pts + n * step.points_per_person.value, contributors);
        }
        if n < f64::from(step.min_people.value) {
            return (0.0, pts, Vec::new());
        }
        let earned = n * step.points_per_person.value;
        pts += step.cap.as_ref().map_or(earned, |c| earned.min(c.value));
    }
    (0.0, pts, Vec::new())
}

fn track_index(d: &DesignationRules, name: &str) -> usize {
    d.tracks.iter().position(|t| t.track == name).unwrap_or(0)
}

/// The distinct ids used in a set of metric contributors (for tests and the UI).
pub fn contributor_customers(m: &MetricScore) -> BTreeSet<String> {
    m.contributors
        .iter()
        .filter_map(|c| c.customer.clone())
        .collect()
}

/// One skilling step as a person sees it: who holds it and how many more are needed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepProgress {
    pub scoring: bool,
    /// Certification names of the step.
    pub certifications: Vec<String>,
    /// People (names) holding one of them, linked and active in the month.
    pub holders: Vec<String>,
    /// People the step needs (prerequisites; 1 for the scoring step).
    pub required: u32,
    pub points_per_person: f64,
}

impl StepProgress {
    pub fn missing(&self) -> u32 {
        self.required.saturating_sub(self.holders.len() as u32)
    }
}

/// The steps of a skilling metric with their holders in month `m`.
pub fn skilling_progress(
    ws: &Workspace,
    rules: &RuleSet,
    steps: &[SkillStep],
    m: Month,
) -> Vec<StepProgress> {
    let day = m.last_day();
    steps
        .iter()
        .map(|step| {
            let holders = ws
                .people
                .iter()
                .filter(|p| p.linked)
                .filter(|p| {
                    p.certifications.iter().any(|c| {
                        c.earned <= day
                            && c.expires.is_none_or(|e| day < e)
                            && step.certifications.contains(&c.cert)
                            && rules.certification_counts_on(&c.cert, day)
                    })
                })
                .map(|p| p.name.clone())
                .collect();
            StepProgress {
                scoring: step.scoring,
                certifications: step
                    .certifications
                    .iter()
                    .map(|c| rules.certification_name(c))
                    .collect(),
                holders,
                required: step.min_people.value,
                points_per_person: step.points_per_person.value,
            }
        })
        .collect()
}
