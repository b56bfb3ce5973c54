//! The scoring part of a rule set: designations, tracks, metrics and how each is measured.

use super::Sourced;
use crate::json_record;
use crate::model::Association;
use crate::model::ClaimRole;
use crate::model::json::{Cx, FromJson};
use serde_json::Value;

json_record! {
    pub struct ScoringRules as "the scoring rules" {
        pub security_services: Sourced<Vec<String>>,
        pub window_months: Sourced<u32>,
        pub qualifying_score: Sourced<f64>,
        /// Every metric needs at least this many points for the designation to qualify.
        pub min_metric_points: Sourced<f64>,
        /// Customer-facing badges over the designations (display only).
        pub badges: Vec<Badge>,
        /// Product choices where Microsoft publishes no rule: shown as such.
        pub assumptions: Vec<Assumption>,
        pub designations: Vec<DesignationRules>,
    }
}

json_record! {
    pub struct Assumption as "an assumption" {
        pub id: String,
        pub text: String,
        /// The designation it concerns (none: every designation).
        pub designation: Option<String>,
    }
}

json_record! {
    /// A customer-facing badge grouping designations (display only).
    pub struct Badge as "a badge" {
        pub id: String,
        pub name: String,
        pub designations: Vec<String>,
        pub source: String,
    }
}

json_record! {
    /// Business Applications: which associations credit which workloads.
    pub struct WorkloadAssociations as "workload associations" {
        pub workloads: Vec<String>,
        pub associations: Vec<Association>,
        pub claim_roles: Vec<ClaimRole>,
        pub source: String,
    }
}

json_record! {
    pub struct DesignationRules as "a designation" {
        pub id: String,
        pub name: String,
        pub track_rule: TrackRule,
        /// Business Applications: monthly consumption value per user of each workload.
        pub mcv_rates: Vec<McvRate>,
        pub tracks: Vec<TrackRules>,
    }
}

json_record! {
    pub struct McvRate as "an MCV rate" {
        pub workload: String,
        pub rate: Sourced<f64>,
    }
}

/// How the counting track is chosen.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TrackRule {
    /// One track only.
    None,
    /// Every track is scored; the better total counts.
    BestOf,
    /// SMB when at least this share of associated customers is SMB-segment.
    SmbCustomerShare { smb_share: Sourced<f64> },
    /// Enterprise when enough (tenant, workload) pairs have revenue above a level in M-1 and M-13.
    RevenuePairs {
        min_pairs: Sourced<u32>,
        min_revenue: Sourced<f64>,
        /// Only Business Applications workloads of associated customers count.
        associated_only: Option<Sourced<bool>>,
    },
}

impl FromJson for TrackRule {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let kind = v.get("kind").and_then(Value::as_str).unwrap_or_default();
        match kind {
            "none" => cx
                .object(v, "a track rule", &["kind"])
                .map(|_| TrackRule::None),
            "best_of" => cx
                .object(v, "a track rule", &["kind"])
                .map(|_| TrackRule::BestOf),
            "smb_customer_share" => {
                let o = cx.object(v, "a track rule", &["kind", "smb_share"])?;
                Some(TrackRule::SmbCustomerShare {
                    smb_share: cx.field(o, "smb_share")?,
                })
            }
            "revenue_pairs" => {
                let o = cx.object(
                    v,
                    "a track rule",
                    &["kind", "min_pairs", "min_revenue", "associated_only"],
                )?;
                let min_pairs = cx.field(o, "min_pairs");
                let min_revenue = cx.field(o, "min_revenue");
                let associated_only = cx.field(o, "associated_only");
                Some(TrackRule::RevenuePairs {
                    min_pairs: min_pairs?,
                    min_revenue: min_revenue?,
                    associated_only: associated_only?,
                })
            }
            other => {
                cx.at_key("kind", |cx| {
                    cx.error(format!("unknown track rule \"{other}\""))
                });
                None
            }
        }
    }
}

json_record! {
    pub struct TrackRules as "a track" {
        /// `none`, `enterprise` or `smb`.
        pub track: String,
        /// Modern Work: the paid seats that put a tenant on this track's path.
        pub tenant_seats: Option<SeatRange>,
        /// A tenant sized for this path this many months ago stays on it (SMB carry-over).
        pub carry_over_months: Option<Sourced<u32>>,
        pub metrics: Vec<MetricRules>,
    }
}

json_record! {
    pub struct SeatRange as "a seat range" {
        pub min: Sourced<f64>,
        pub max: Option<Sourced<f64>>,
        /// Any workload in the range puts the tenant on the path (else: the largest one).
        pub any_workload: Option<Sourced<bool>>,
    }
}

impl TrackRules {
    /// The rules that put a customer on this track's path, each with its source note.
    pub fn parameters(&self) -> Vec<Parameter> {
        let mut out = Vec::new();
        if let Some(r) = &self.tenant_seats {
            let range = match &r.max {
                Some(max) => format!("{} to {}", num(r.min.value), num(max.value)),
                None => format!("{} or more", num(r.min.value)),
            };
            let which = if r.any_workload.as_ref().is_some_and(|a| a.value) {
                "any workload"
            } else {
                "the largest workload"
            };
            out.push(Parameter {
                name: "tenant on this path: paid seats of a workload".into(),
                value: format!("{range} ({which})"),
                source: Some(r.min.source.clone()),
            });
        }
        if let Some(k) = &self.carry_over_months {
            out.push(Parameter {
                name: "carry-over: sized for this path this long before still counts".into(),
                value: format!("{} months", k.value),
                source: Some(k.source.clone()),
            });
        }
        out
    }
}

impl ScoringRules {
    /// Whether an Azure service is on the rule set's list of security services.
    pub fn is_security_service(&self, service: &str) -> bool {
        self.security_services
            .value
            .iter()
            .any(|x| x.eq_ignore_ascii_case(service))
    }
}

impl SeatRange {
    pub fn contains(&self, seats: f64) -> bool {
        seats >= self.min.value && self.max.as_ref().is_none_or(|m| seats <= m.value)
    }
}

json_record! {
    pub struct MetricRules as "a metric" {
        /// `net_customer_adds`, `intermediate_certifications`, …
        pub id: String,
        pub max: Sourced<f64>,
        pub calc: Calc,
    }
}

json_record! {
    pub struct SkillStep as "a skilling step" {
        pub certifications: Vec<String>,
        /// The step whose people earn the metric's points (the others are prerequisites).
        pub scoring: bool,
        pub min_people: Sourced<u32>,
        pub points_per_person: Sourced<f64>,
        /// Most points a prerequisite step earns.
        pub cap: Option<Sourced<f64>>,
    }
}

json_record! {
    /// A threshold per association type (Modern Work): the value that earns the maximum.
    pub struct PerAssociation as "a per-association threshold" {
        pub associations: Vec<Association>,
        pub full: Sourced<f64>,
    }
}

/// How a metric is measured.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Calc {
    AzureNetCustomerAdds {
        associations: Vec<Association>,
        min_acr: Sourced<f64>,
        full: Sourced<f64>,
    },
    AzureUsageGrowth {
        associations: Vec<Association>,
        min_ttm_acr: Sourced<f64>,
        full_percent: Sourced<f64>,
    },
    AzureDeployments {
        associations: Vec<Association>,
        excluded_services: Sourced<Vec<String>>,
        full: Sourced<f64>,
    },
    Skilling {
        steps: Vec<SkillStep>,
    },
    ModernWorkNetCustomerAdds {
        workloads: Vec<String>,
        thresholds: Vec<PerAssociation>,
    },
    /// Net customer adds over every association type of the path together.
    ModernWorkNetCustomerAddsCombined {
        workloads: Vec<String>,
        associations: Vec<Association>,
        full: Sourced<f64>,
    },
    ModernWorkUsageGrowth {
        workloads: Vec<String>,
        thresholds: Vec<PerAssociation>,
    },
    ModernWorkDeployments {
        workloads: Vec<String>,
        active_share: Sourced<f64>,
        thresholds: Vec<PerAssociation>,
    },
    SecurityNetCustomerAdds {
        azure_associations: Vec<Association>,
        m365_associations: Vec<Association>,
        workloads: Vec<String>,
        min_security_acr_ttm: Sourced<f64>,
        min_seats: Sourced<f64>,
        max_seats: Option<Sourced<f64>>,
        full: Sourced<f64>,
        /// Azure and Microsoft 365 counted separately and added.
        split_sides: Option<Sourced<bool>>,
    },
    SecurityDeployments {
        azure_associations: Vec<Association>,
        m365_associations: Vec<Association>,
        workloads: Vec<String>,
        min_security_acr_ttm: Sourced<f64>,
        max_security_acr_ttm: Option<Sourced<f64>>,
        min_seats: Sourced<f64>,
        max_seats: Option<Sourced<f64>>,
        min_active_share: Sourced<f64>,
        full: Sourced<f64>,
        split_sides: Option<Sourced<bool>>,
    },
    SecurityUsageGrowth {
        azure_associations: Vec<Association>,
        m365_associations: Vec<Association>,
        workloads: Vec<String>,
        dollars_per_point: Sourced<f64>,
        users_per_point: Sourced<f64>,
        /// Only tenants sized for the path count (security ACR in TTM, paid seats).
        azure_min_ttm: Option<Sourced<f64>>,
        azure_max_ttm: Option<Sourced<f64>>,
        min_seats: Option<Sourced<f64>>,
        max_seats: Option<Sourced<f64>>,
    },
    BusinessApplicationsNetCustomerAdds {
        associations: Vec<Association>,
        claim_roles: Vec<ClaimRole>,
        min_revenue: Sourced<f64>,
        full: Sourced<f64>,
        /// The workloads that count (none: every Dynamics 365 and Power Platform workload).
        workloads: Vec<String>,
    },
    BusinessApplicationsUsageGrowth {
        associations: Vec<Association>,
        claim_roles: Vec<ClaimRole>,
        pal_workloads: Vec<String>,
        cpor_excluded_workloads: Vec<String>,
        min_baseline_mcv: Sourced<f64>,
        full_percent: Sourced<f64>,
        /// When given, which associations credit which workloads (replaces the fields above).
        workload_associations: Vec<WorkloadAssociations>,
    },
    BusinessApplicationsDeployments {
        associations: Vec<Association>,
        claim_roles: Vec<ClaimRole>,
        pal_workloads: Vec<String>,
        cpor_excluded_workloads: Vec<String>,
        min_mcv: Sourced<f64>,
        full: Sourced<f64>,
        workload_associations: Vec<WorkloadAssociations>,
    },
}

/// Decode the fields of a tagged record: `$($name: $ty),*` from object `o`.
macro_rules! tagged {
    ($cx:ident, $v:ident, $variant:ident { $($field:ident),* }) => {{
        let o = $cx.object($v, "a metric calculation", &["kind", $(stringify!($field)),*])?;
        $( let $field = $cx.field(o, stringify!($field)); )*
        Some(Calc::$variant { $($field: $field?),* })
    }};
}

impl FromJson for Calc {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let kind = v.get("kind").and_then(Value::as_str).unwrap_or_default();
        match kind {
            "azure_net_customer_adds" => tagged!(
                cx,
                v,
                AzureNetCustomerAdds {
                    associations,
                    min_acr,
                    full
                }
            ),
            "azure_usage_growth" => tagged!(
                cx,
                v,
                AzureUsageGrowth {
                    associations,
                    min_ttm_acr,
                    full_percent
                }
            ),
            "azure_deployments" => tagged!(
                cx,
                v,
                AzureDeployments {
                    associations,
                    excluded_services,
                    full
                }
            ),
            "skilling" => tagged!(cx, v, Skilling { steps }),
            "modern_work_net_customer_adds" => tagged!(
                cx,
                v,
                ModernWorkNetCustomerAdds {
                    workloads,
                    thresholds
                }
            ),
            "modern_work_net_customer_adds_combined" => tagged!(
                cx,
                v,
                ModernWorkNetCustomerAddsCombined {
                    workloads,
                    associations,
                    full
                }
            ),
            "modern_work_usage_growth" => tagged!(
                cx,
                v,
                ModernWorkUsageGrowth {
                    workloads,
                    thresholds
                }
            ),
            "modern_work_deployments" => tagged!(
                cx,
                v,
                ModernWorkDeployments {
                    workloads,
                    active_share,
                    thresholds
                }
            ),
            "security_net_customer_adds" => tagged!(
                cx,
                v,
                SecurityNetCustomerAdds {
                    azure_associations,
                    m365_associations,
                    workloads,
                    min_security_acr_ttm,
                    min_seats,
                    max_seats,
                    full,
                    split_sides
                }
            ),
            "security_deployments" => tagged!(
                cx,
                v,
                SecurityDeployments {
                    azure_associations,
                    m365_associations,
                    workloads,
                    min_security_acr_ttm,
                    max_security_acr_ttm,
                    min_seats,
                    max_seats,
                    min_active_share,
                    full,
                    split_sides
                }
            ),
            "security_usage_growth" => tagged!(
                cx,
                v,
                SecurityUsageGrowth {
                    azure_associations,
                    m365_associations,
                    workloads,
                    dollars_per_point,
                    users_per_point,
                    azure_min_ttm,
                    azure_max_ttm,
                    min_seats,
                    max_seats
                }
            ),
            "business_applications_net_customer_adds" => {
                tagged!(
                    cx,
                    v,
                    BusinessApplicationsNetCustomerAdds {
                        associations,
                        claim_roles,
                        min_revenue,
                        full,
                        workloads
                    }
                )
            }
            "business_applications_usage_growth" => tagged!(
                cx,
                v,
                BusinessApplicationsUsageGrowth {
                    associations,
                    claim_roles,
                    pal_workloads,
                    cpor_excluded_workloads,
                    min_baseline_mcv,
                    full_percent,
                    workload_associations
                }
            ),
            "business_applications_deployments" => tagged!(
                cx,
                v,
                BusinessApplicationsDeployments {
                    associations,
                    claim_roles,
                    pal_workloads,
                    cpor_excluded_workloads,
                    min_mcv,
                    full,
                    workload_associations
                }
            ),
            other => {
                cx.at_key("kind", |cx| {
                    cx.error(format!("unknown metric calculation \"{other}\""))
                });
                None
            }
        }
    }
}

/// One number or list of a metric's rule, for display and comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Parameter {
    pub name: String,
    pub value: String,
    pub source: Option<String>,
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn assoc(list: &[Association]) -> String {
    list.iter()
        .map(|a| a.label())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Calc {
    /// Whether the metric reads Azure consumption (usage lines): the metrics a difference
    /// in Azure attribution can move.
    pub fn reads_azure_usage(&self) -> bool {
        matches!(
            self,
            Calc::AzureNetCustomerAdds { .. }
                | Calc::AzureUsageGrowth { .. }
                | Calc::AzureDeployments { .. }
                | Calc::SecurityNetCustomerAdds { .. }
                | Calc::SecurityDeployments { .. }
                | Calc::SecurityUsageGrowth { .. }
        )
    }

    /// Whether the metric counts customers (net customer adds): its value moves one
    /// customer at a time, and a partner that lost customers sits below zero, where one
    /// more customer earns nothing.
    pub fn counts_customers(&self) -> bool {
        matches!(
            self,
            Calc::AzureNetCustomerAdds { .. }
                | Calc::ModernWorkNetCustomerAdds { .. }
                | Calc::ModernWorkNetCustomerAddsCombined { .. }
                | Calc::SecurityNetCustomerAdds { .. }
                | Calc::BusinessApplicationsNetCustomerAdds { .. }
        )
    }

    /// What makes one customer count toward a net-customer-adds metric, in words.
    pub fn customer_threshold(&self) -> Option<String> {
        use crate::model::money;
        match self {
            Calc::AzureNetCustomerAdds { min_acr, .. } => Some(format!(
                "credited ACR of at least {} in the month or the month before",
                money(min_acr.value)
            )),
            Calc::SecurityNetCustomerAdds {
                min_security_acr_ttm,
                min_seats,
                ..
            } => Some(format!(
                "security ACR of at least {} over twelve months, or {} paid seats",
                money(min_security_acr_ttm.value),
                num(min_seats.value)
            )),
            Calc::BusinessApplicationsNetCustomerAdds { min_revenue, .. } => Some(format!(
                "revenue of at least {} a month",
                money(min_revenue.value)
            )),
            _ => None,
        }
    }

    /// What the metric's measured value counts, for showing it.
    pub fn measure(&self) -> Measure {
        match self {
            Calc::AzureUsageGrowth { .. } | Calc::BusinessApplicationsUsageGrowth { .. } => {
                Measure::Percent
            }
            Calc::ModernWorkUsageGrowth { .. } => Measure::Users,
            // Security's usage growth is measured in points (ACR and protected users per point).
            Calc::SecurityUsageGrowth { .. } => Measure::Points,
            _ => Measure::Count,
        }
    }

    /// Whether the metric reads a usage line of this Azure service: Azure metrics read every
    /// service, Security's only the rule set's security services.
    pub fn reads_service(&self, scoring: &ScoringRules, service: &str) -> bool {
        match self {
            Calc::AzureNetCustomerAdds { .. }
            | Calc::AzureUsageGrowth { .. }
            | Calc::AzureDeployments { .. } => true,
            Calc::SecurityNetCustomerAdds { .. }
            | Calc::SecurityDeployments { .. }
            | Calc::SecurityUsageGrowth { .. } => scoring.is_security_service(service),
            _ => false,
        }
    }

    /// Whether crediting more consumption can only raise the metric (Azure's metrics), so
    /// a metric at its maximum stays there; Security's size ranges have upper bounds.
    pub fn rises_with_credit(&self) -> bool {
        matches!(
            self,
            Calc::AzureNetCustomerAdds { .. }
                | Calc::AzureUsageGrowth { .. }
                | Calc::AzureDeployments { .. }
        )
    }

    /// Every association type that can credit the metric.
    pub fn associations(&self) -> Vec<Association> {
        let mut out: Vec<Association> = match self {
            Calc::AzureNetCustomerAdds { associations, .. }
            | Calc::AzureUsageGrowth { associations, .. }
            | Calc::AzureDeployments { associations, .. }
            | Calc::BusinessApplicationsNetCustomerAdds { associations, .. } => {
                associations.clone()
            }
            Calc::BusinessApplicationsUsageGrowth {
                associations,
                workload_associations,
                ..
            }
            | Calc::BusinessApplicationsDeployments {
                associations,
                workload_associations,
                ..
            } => {
                if workload_associations.is_empty() {
                    let mut a = associations.clone();
                    a.push(Association::Pal);
                    a
                } else {
                    workload_associations
                        .iter()
                        .flat_map(|w| {
                            w.associations
                                .iter()
                                .copied()
                                .chain((!w.claim_roles.is_empty()).then_some(Association::Cpor))
                        })
                        .collect()
                }
            }
            Calc::ModernWorkNetCustomerAdds { thresholds, .. }
            | Calc::ModernWorkUsageGrowth { thresholds, .. }
            | Calc::ModernWorkDeployments { thresholds, .. } => thresholds
                .iter()
                .flat_map(|t| t.associations.clone())
                .collect(),
            Calc::ModernWorkNetCustomerAddsCombined { associations, .. } => associations.clone(),
            Calc::SecurityNetCustomerAdds {
                azure_associations,
                m365_associations,
                ..
            }
            | Calc::SecurityDeployments {
                azure_associations,
                m365_associations,
                ..
            }
            | Calc::SecurityUsageGrowth {
                azure_associations,
                m365_associations,
                ..
            } => azure_associations
                .iter()
                .chain(m365_associations)
                .copied()
                .collect(),
            Calc::Skilling { .. } => Vec::new(),
        };
        out.sort();
        out.dedup();
        out
    }

    /// The rule's numbers and lists, each with its source note; `name` turns a certification
    /// or workload id into its display name.
    pub fn parameters(&self, name: &dyn Fn(&str) -> String) -> Vec<Parameter> {
        let names = |ids: &[String]| ids.iter().map(|c| name(c)).collect::<Vec<_>>().join(", ");
        let p = |name: &str, value: String, source: Option<&String>| Parameter {
            name: name.to_owned(),
            value,
            source: source.cloned(),
        };
        let s = |name: &str, v: &Sourced<f64>, fmt: &dyn Fn(f64) -> String| {
            p(name, fmt(v.value), Some(&v.source))
        };
        let money = |v: f64| crate::model::money(v);
        let plain = |v: f64| num(v);
        let pct = |v: f64| format!("{} %", num(v * 100.0));
        match self {
            Calc::AzureNetCustomerAdds {
                associations,
                min_acr,
                full,
            } => vec![
                p("associations", assoc(associations), None),
                s(
                    "eligible customer: credited ACR in M or M-1 of at least",
                    min_acr,
                    &money,
                ),
                s("net adds for full points", full, &plain),
            ],
            Calc::AzureUsageGrowth {
                associations,
                min_ttm_acr,
                full_percent,
            } => vec![
                p("associations", assoc(associations), None),
                s(
                    "needs trailing-twelve-month credited ACR of",
                    min_ttm_acr,
                    &money,
                ),
                s("growth (%) for full points", full_percent, &plain),
            ],
            Calc::AzureDeployments {
                associations,
                excluded_services,
                full,
            } => vec![
                p("associations", assoc(associations), None),
                p(
                    "services not counted",
                    excluded_services.value.join(", "),
                    Some(&excluded_services.source),
                ),
                s("distinct services for full points", full, &plain),
            ],
            Calc::Skilling { steps } => steps
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    let certs = names(&st.certifications);
                    let what = if st.scoring {
                        format!(
                            "{} points per person holding: {certs}",
                            num(st.points_per_person.value)
                        )
                    } else {
                        let pts = if st.points_per_person.value > 0.0 {
                            format!(
                                " ({} points each, at most {})",
                                num(st.points_per_person.value),
                                st.cap.as_ref().map_or("—".into(), |c| num(c.value))
                            )
                        } else {
                            String::new()
                        };
                        let n = st.min_people.value;
                        let who = if n == 1 { "person" } else { "people" };
                        format!("at least {n} {who}{pts} holding: {certs}")
                    };
                    p(
                        &format!(
                            "step {} ({})",
                            i + 1,
                            if st.scoring {
                                "scoring"
                            } else {
                                "prerequisite"
                            }
                        ),
                        what,
                        Some(&st.points_per_person.source),
                    )
                })
                .collect(),
            Calc::ModernWorkNetCustomerAddsCombined {
                workloads,
                associations,
                full,
            } => vec![
                p("workloads", names(workloads), None),
                p("associations (counted together)", assoc(associations), None),
                s("net adds for full points", full, &plain),
            ],
            Calc::ModernWorkNetCustomerAdds { thresholds, .. }
            | Calc::ModernWorkUsageGrowth { thresholds, .. }
            | Calc::ModernWorkDeployments { thresholds, .. } => {
                let mut v: Vec<Parameter> = thresholds
                    .iter()
                    .map(|t| {
                        p(
                            &format!("full points via {}", assoc(&t.associations)),
                            num(t.full.value),
                            Some(&t.full.source),
                        )
                    })
                    .collect();
                if let Calc::ModernWorkDeployments { active_share, .. } = self {
                    v.push(s(
                        "a deployment: active share of paid seats",
                        active_share,
                        &pct,
                    ));
                }
                if let Calc::ModernWorkUsageGrowth { workloads, .. }
                | Calc::ModernWorkDeployments { workloads, .. }
                | Calc::ModernWorkNetCustomerAdds { workloads, .. } = self
                {
                    v.insert(0, p("workloads", names(workloads), None));
                }
                v
            }
            Calc::SecurityNetCustomerAdds {
                azure_associations,
                m365_associations,
                min_security_acr_ttm,
                min_seats,
                max_seats,
                full,
                split_sides,
                ..
            } => {
                let mut v = vec![
                    p("Azure associations", assoc(azure_associations), None),
                    p("Microsoft 365 associations", assoc(m365_associations), None),
                    s(
                        "customer: security ACR in TTM of at least",
                        min_security_acr_ttm,
                        &money,
                    ),
                    s(
                        "or paid seats of a security workload from",
                        min_seats,
                        &plain,
                    ),
                ];
                if let Some(m) = max_seats {
                    v.push(s("up to", m, &plain));
                }
                v.push(s("net adds for full points", full, &plain));
                if let Some(x) = split_sides.as_ref().filter(|x| x.value) {
                    v.push(p(
                        "Azure and Microsoft 365",
                        "counted separately and added".into(),
                        Some(&x.source),
                    ));
                }
                v
            }
            Calc::SecurityDeployments {
                min_security_acr_ttm,
                max_security_acr_ttm,
                min_seats,
                max_seats,
                min_active_share,
                full,
                split_sides,
                ..
            } => {
                let mut v = vec![s(
                    "deployment: security ACR in TTM of at least",
                    min_security_acr_ttm,
                    &money,
                )];
                if let Some(m) = max_security_acr_ttm {
                    v.push(s("and at most", m, &money));
                }
                v.push(s(
                    "or a security workload with paid seats of at least",
                    min_seats,
                    &plain,
                ));
                if let Some(m) = max_seats {
                    v.push(s("and at most", m, &plain));
                }
                v.push(s("and active share of", min_active_share, &pct));
                v.push(s("net deployments for full points", full, &plain));
                if let Some(x) = split_sides.as_ref().filter(|x| x.value) {
                    v.push(p(
                        "Azure and Microsoft 365",
                        "counted separately and added".into(),
                        Some(&x.source),
                    ));
                }
                v
            }
            Calc::SecurityUsageGrowth {
                dollars_per_point,
                users_per_point,
                azure_min_ttm,
                azure_max_ttm,
                min_seats,
                max_seats,
                ..
            } => {
                let mut v = vec![
                    s(
                        "one point per security ACR growth of",
                        dollars_per_point,
                        &money,
                    ),
                    s(
                        "plus one point per protected users of growth",
                        users_per_point,
                        &plain,
                    ),
                ];
                if let Some(x) = azure_min_ttm {
                    v.push(s("tenants with security ACR in TTM of at least", x, &money));
                }
                if let Some(x) = azure_max_ttm {
                    v.push(s("and at most", x, &money));
                }
                if let Some(x) = min_seats {
                    v.push(s(
                        "tenants with security workload seats of at least",
                        x,
                        &plain,
                    ));
                }
                if let Some(x) = max_seats {
                    v.push(s("and at most", x, &plain));
                }
                v
            }
            Calc::BusinessApplicationsNetCustomerAdds {
                associations,
                claim_roles,
                min_revenue,
                full,
                workloads,
            } => vec![
                p(
                    "workloads",
                    if workloads.is_empty() {
                        "every Dynamics 365 and Power Platform workload".into()
                    } else {
                        names(workloads)
                    },
                    None,
                ),
                p("associations", assoc(associations), None),
                p(
                    "CPOR roles",
                    claim_roles
                        .iter()
                        .map(|r| r.as_str().replace('_', " "))
                        .collect::<Vec<_>>()
                        .join(", "),
                    None,
                ),
                s(
                    "(tenant, workload) revenue a month of at least",
                    min_revenue,
                    &money,
                ),
                s("net adds for full points", full, &plain),
            ],
            Calc::BusinessApplicationsUsageGrowth {
                associations,
                pal_workloads,
                min_baseline_mcv,
                full_percent,
                workload_associations,
                ..
            } => {
                let mut v = crediting(associations, pal_workloads, workload_associations, &names);
                v.push(s(
                    "baseline MCV in M-12 of at least",
                    min_baseline_mcv,
                    &plain,
                ));
                v.push(s("growth (%) for full points", full_percent, &plain));
                v
            }
            Calc::BusinessApplicationsDeployments {
                associations,
                pal_workloads,
                min_mcv,
                full,
                workload_associations,
                ..
            } => {
                let mut v = crediting(associations, pal_workloads, workload_associations, &names);
                v.push(s("deployment: MCV of at least", min_mcv, &plain));
                v.push(s("net deployments for full points", full, &plain));
                v
            }
        }
    }
}

/// Business Applications: who credits which workloads, as parameters.
fn crediting(
    associations: &[Association],
    pal_workloads: &[String],
    by_workload: &[WorkloadAssociations],
    names: &dyn Fn(&[String]) -> String,
) -> Vec<Parameter> {
    if by_workload.is_empty() {
        return vec![
            Parameter {
                name: "associations (Dynamics 365)".into(),
                value: assoc(associations),
                source: None,
            },
            Parameter {
                name: "PAL workloads".into(),
                value: names(pal_workloads),
                source: None,
            },
        ];
    }
    by_workload
        .iter()
        .map(|w| {
            let mut who = assoc(&w.associations);
            if !w.claim_roles.is_empty() {
                let roles: Vec<String> = w
                    .claim_roles
                    .iter()
                    .map(|r| r.as_str().replace('_', " "))
                    .collect();
                who = format!("{who}, CPOR ({})", roles.join(", "));
            }
            Parameter {
                name: format!("credited for {}", names(&w.workloads)),
                value: who,
                source: Some(w.source.clone()),
            }
        })
        .collect()
}

/// What a metric's measured value counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Customers, deployments, services, people: whole numbers.
    Count,
    /// A growth in per cent.
    Percent,
    /// Active users (their growth).
    Users,
    /// Points computed from amounts.
    Points,
}

impl Measure {
    /// The value as people read it: `2`, `12.5 %`, `315 users`, `2.28`.
    pub fn show(self, v: f64) -> String {
        let whole = |v: f64| {
            if (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            }
        };
        match self {
            Measure::Count => whole(v),
            Measure::Percent => format!("{v:.1} %"),
            Measure::Users => format!("{} users", whole(v)),
            Measure::Points => format!("{v:.2}"),
        }
    }
}

/// A difference between two rule sets, metric by metric.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    pub designation: String,
    pub track: String,
    pub metric: String,
    pub parameter: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// For a list (certifications, workloads, associations): what joined and what left it.
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// The words before a list parameter's items ("at least 2 people holding" of
/// "at least 2 people holding: X, Y"), if it has any.
pub fn list_head(value: &str) -> Option<&str> {
    value.split_once(": ").map(|(head, _)| head)
}

/// A list parameter's items that joined and left it ("a, b, c" against "a, c, d"), when
/// both values are lists; otherwise nothing.
fn list_change(before: Option<&str>, after: &str) -> (Vec<String>, Vec<String>) {
    // "at least 2 people holding: X, Y" → the list after the colon.
    let items = |v: &str| -> Vec<String> {
        let list = v.split_once(": ").map_or(v, |(_, l)| l);
        list.split(", ").map(str::to_owned).collect()
    };
    let Some(before) = before else {
        return (Vec::new(), Vec::new());
    };
    let (a, b) = (items(before), items(after));
    if a.len() < 2 && b.len() < 2 {
        return (Vec::new(), Vec::new());
    }
    let added = b.iter().filter(|x| !a.contains(x)).cloned().collect();
    let removed = a.iter().filter(|x| !b.contains(x)).cloned().collect();
    (added, removed)
}

/// Whether two parameter values say the same thing: equal, or the same list in another
/// order behind the same words ("holding: X, Y" and "holding: Y, X").
fn same_value(before: &str, after: &str) -> bool {
    fn split(v: &str) -> (&str, Vec<&str>) {
        let (head, list) = v.split_once(": ").unwrap_or(("", v));
        let mut items: Vec<&str> = list.split(", ").collect();
        items.sort_unstable();
        (head, items)
    }
    before == after || split(before) == split(after)
}

/// What changed from rule set `a` to rule set `b`: each track's path rules (metric
/// `path`), then each metric's numbers and lists.
pub fn diff(a: &super::RuleSet, b: &super::RuleSet) -> Vec<Change> {
    let mut out = Vec::new();
    let params = |rs: &super::RuleSet, m: &MetricRules| -> Vec<(String, String)> {
        let name = |c: &str| rs.catalogue_name(c);
        let mut v: Vec<(String, String)> = m
            .calc
            .parameters(&name)
            .into_iter()
            .map(|p| (p.name, p.value))
            .collect();
        v.push(("maximum points".into(), num(m.max.value)));
        v
    };
    let path = |t: &TrackRules| -> Vec<(String, String)> {
        t.parameters()
            .into_iter()
            .map(|p| (p.name, p.value))
            .collect()
    };
    for db in &b.scoring.designations {
        let da = a.designation(&db.id);
        for tb in &db.tracks {
            // A designation that gained tracks is compared with its former single track.
            let ta = da.and_then(|d| {
                d.tracks
                    .iter()
                    .find(|t| t.track == tb.track)
                    .or_else(|| (d.tracks.len() == 1).then(|| &d.tracks[0]))
            });
            let mut compare = |metric: &str,
                               before: Vec<(String, String)>,
                               after: Vec<(String, String)>| {
                let change = |parameter: &str, before: Option<String>, after: Option<String>| {
                    let (added, removed) = match &after {
                        Some(v) => list_change(before.as_deref(), v),
                        None => (Vec::new(), Vec::new()),
                    };
                    Change {
                        designation: db.name.clone(),
                        track: tb.track.clone(),
                        metric: metric.to_owned(),
                        parameter: parameter.to_owned(),
                        before,
                        after,
                        added,
                        removed,
                    }
                };
                for (name, value) in &after {
                    let old = before
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone());
                    if !old.as_deref().is_some_and(|o| same_value(o, value)) {
                        out.push(change(name, old, Some(value.clone())));
                    }
                }
                // A rule the new set no longer has (a parameter replaced by another).
                for (name, value) in &before {
                    if !after.iter().any(|(n, _)| n == name) {
                        out.push(change(name, Some(value.clone()), None));
                    }
                }
            };
            compare("path", ta.map(path).unwrap_or_default(), path(tb));
            for mb in &tb.metrics {
                let ma = ta.and_then(|t| t.metrics.iter().find(|m| m.id == mb.id));
                compare(
                    &mb.id,
                    ma.map(|m| params(a, m)).unwrap_or_default(),
                    params(b, mb),
                );
            }
        }
    }
    out
}
