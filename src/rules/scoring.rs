//! The scoring part of a rule set: designations, tracks, metrics and how each is measured.

use super::Sourced;
use crate::attribution::Association;
use crate::json_record;
use crate::model::ClaimRole;
use crate::model::json::{Cx, FromJson, kind_of};
use serde_json::Value;

impl FromJson for Association {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let parsed = v.as_str().and_then(Association::parse);
        if parsed.is_none() {
            cx.error(format!(
                "expected an association type (csp_t1, csp_t2, dpor, pal, cpor), found {}",
                kind_of(v)
            ));
        }
        parsed
    }
}

json_record! {
    pub struct ScoringRules as "the scoring rules" {
        pub security_services: Sourced<Vec<String>>,
        pub window_months: Sourced<u32>,
        pub qualifying_score: Sourced<f64>,
        /// Product choices where Microsoft publishes no rule: shown as such.
        pub assumptions: Vec<Assumption>,
        pub designations: Vec<DesignationRules>,
    }
}

json_record! {
    pub struct Assumption as "an assumption" {
        pub id: String,
        pub text: String,
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
                let o = cx.object(v, "a track rule", &["kind", "min_pairs", "min_revenue"])?;
                let min_pairs = cx.field(o, "min_pairs");
                let min_revenue = cx.field(o, "min_revenue");
                Some(TrackRule::RevenuePairs {
                    min_pairs: min_pairs?,
                    min_revenue: min_revenue?,
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
        pub metrics: Vec<MetricRules>,
    }
}

json_record! {
    pub struct SeatRange as "a seat range" {
        pub min: Sourced<f64>,
        pub max: Option<Sourced<f64>>,
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
    },
    SecurityDeployments {
        azure_associations: Vec<Association>,
        m365_associations: Vec<Association>,
        workloads: Vec<String>,
        min_security_acr_ttm: Sourced<f64>,
        max_security_acr_ttm: Option<Sourced<f64>>,
        min_seats: Sourced<f64>,
        min_active_share: Sourced<f64>,
        full: Sourced<f64>,
    },
    SecurityUsageGrowth {
        azure_associations: Vec<Association>,
        m365_associations: Vec<Association>,
        workloads: Vec<String>,
        dollars_per_point: Sourced<f64>,
        users_per_point: Sourced<f64>,
    },
    BusinessApplicationsNetCustomerAdds {
        associations: Vec<Association>,
        claim_roles: Vec<ClaimRole>,
        min_revenue: Sourced<f64>,
        full: Sourced<f64>,
    },
    BusinessApplicationsUsageGrowth {
        associations: Vec<Association>,
        claim_roles: Vec<ClaimRole>,
        pal_workloads: Vec<String>,
        cpor_excluded_workloads: Vec<String>,
        min_baseline_mcv: Sourced<f64>,
        full_percent: Sourced<f64>,
    },
    BusinessApplicationsDeployments {
        associations: Vec<Association>,
        claim_roles: Vec<ClaimRole>,
        pal_workloads: Vec<String>,
        cpor_excluded_workloads: Vec<String>,
        min_mcv: Sourced<f64>,
        full: Sourced<f64>,
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
                    full
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
                    min_active_share,
                    full
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
                    users_per_point
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
                        full
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
                    full_percent
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
                    full
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
