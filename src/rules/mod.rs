//! Rule sets: every threshold, point value, catalogue and list, as data files embedded
//! at build time and loaded through the same strict decoding as workspaces.

pub mod changelog;
pub mod names;
pub mod scoring;

use crate::json_record;
use crate::model::json::{Cx, Diagnostic, FromJson, suggest};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The built-in rule sets, oldest first.
pub const RULE_SET_IDS: &[&str] = &["2023-10", "2026-11"];

/// The month the newest rule set starts: its id (every id is a month, a test checks).
pub fn newest_rules_month() -> crate::model::Month {
    RULE_SET_IDS
        .last()
        .and_then(|id| crate::model::Month::parse(id))
        .expect("rule set ids are months")
}

const RULE_SET_FILES: &[(&str, &str)] = &[
    ("2023-10", include_str!("data/2023-10.json")),
    ("2026-11", include_str!("data/2026-11.json")),
];

json_record! {
    /// One versioned rule set.
    pub struct RuleSet as "a rule set" {
        pub format: String,
        pub id: String,
        pub title: String,
        /// Where the numbers come from.
        pub source: String,
        pub certifications: Vec<CertificationInfo>,
        /// Certifications that stopped counting, and when.
        pub retired_certifications: Vec<RetiredCertification>,
        pub workloads: Vec<WorkloadInfo>,
        pub attribution: AttributionRules,
        pub scoring: scoring::ScoringRules,
        pub planner: PlannerRules,
    }
}

json_record! {
    /// How the path-to-70 planner weighs actions.
    pub struct PlannerRules as "the planner rules" {
        pub efforts: Vec<ActionEffort>,
        pub max_actions: Sourced<u32>,
        pub usage_growth_step: Sourced<f64>,
        pub certification_renewal_days: Sourced<u32>,
        /// Extra weight for lifting a metric above zero.
        pub zero_metric_bonus: Sourced<f64>,
    }
}

json_record! {
    pub struct ActionEffort as "an action effort" {
        pub action: String,
        pub effort: Sourced<f64>,
    }
}

impl PlannerRules {
    /// The effort of an action kind (1 when the rule set does not say).
    pub fn effort(&self, action: &str) -> f64 {
        self.efforts
            .iter()
            .find(|e| e.action == action)
            .map_or(1.0, |e| e.effort.value)
    }
}

json_record! {
    /// What decides whether a partner is recognised at all, before any scoring.
    pub struct AttributionRules as "the attribution rules" {
        pub excluded_offers: Sourced<Vec<crate::model::Offer>>,
        pub excluded_clouds: Sourced<Vec<crate::model::Cloud>>,
        /// Role names ending with one of these words are read-only: no partner earned credit.
        pub pec_ineligible_role_suffixes: Sourced<Vec<String>>,
        pub cpor_review_start_business_days: Sourced<u32>,
        pub cpor_review_business_days: Sourced<u32>,
        pub cpor_partner_action_business_days: Sourced<u32>,
        /// A deadline this close is an error rather than a warning.
        pub cpor_deadline_near_business_days: Sourced<u32>,
        pub cpor_dispute_days: Sourced<u32>,
        pub ba_provisioning_days: Sourced<u32>,
        pub certification_expiry_warning_days: Sourced<u32>,
        /// Certifications that expired within this many days are still reported.
        pub certification_expired_report_days: Sourced<u32>,
        /// Offers on which PAL is not recognised (CSP and DPOR on them still count).
        pub pal_excluded_offers: Sourced<Vec<crate::model::Offer>>,
        /// Warn this many days before a retired certification stops counting.
        pub certification_retirement_warning_days: Sourced<u32>,
        /// A new association shows in Partner Center's downloads after about this many days
        /// (reconciliation: younger ones are pending, not missing).
        pub reported_data_lag_days: Sourced<u32>,
        /// Partner Center's Azure usage download shows one association a row: the first of
        /// these that credits it.
        pub reported_precedence: Sourced<Vec<crate::model::Association>>,
    }
}

/// A value with a note on where it comes from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

impl<T: FromJson> FromJson for Sourced<T> {
    fn from_json(v: &serde_json::Value, cx: &mut Cx) -> Option<Self> {
        let obj = cx.object(v, "a value with its source", &["value", "source"])?;
        let value = cx.field::<T>(obj, "value");
        let source = cx.field::<String>(obj, "source");
        if let Some(s) = &source
            && s.trim().is_empty()
        {
            cx.at_key("source", |cx| cx.error("every number needs a source note"));
        }
        Some(Sourced {
            value: value?,
            source: source?,
        })
    }
}

impl WorkloadInfo {
    pub fn is(&self, family: &str) -> bool {
        self.families.iter().any(|f| f == family)
    }
}

impl RuleSet {
    pub fn designation(&self, id: &str) -> Option<&scoring::DesignationRules> {
        self.scoring.designations.iter().find(|d| d.id == id)
    }

    /// Whether a certification still counts on `day` (a retired one counts until its
    /// `counts_until`: in 2026-11, a year after it retired).
    pub fn certification_counts_on(&self, id: &str, day: crate::model::Date) -> bool {
        self.retirement(id)
            .is_none_or(|r| day <= r.last_counting_day())
    }

    /// Where a certification stands against its retirement on `today`, if it retires.
    pub fn retirement_status(
        &self,
        id: &str,
        today: crate::model::Date,
    ) -> Option<RetirementStatus> {
        let r = self.retirement(id)?;
        let until = r.last_counting_day();
        let warn = i64::from(self.attribution.certification_retirement_warning_days.value);
        let stage = if today > until {
            RetirementStage::Ended
        } else if until <= today.plus_days(warn) {
            RetirementStage::Ending
        } else {
            RetirementStage::Counting
        };
        Some(RetirementStatus {
            retires: r.on,
            counts_until: until,
            stage,
        })
    }

    /// The retirement of a certification, if it retires.
    pub fn retirement(&self, id: &str) -> Option<&RetiredCertification> {
        self.retired_certifications.iter().find(|r| r.id == id)
    }

    /// The assumptions that concern a designation (none: the whole rule set).
    pub fn assumptions_for(&self, designation: Option<&str>) -> Vec<&scoring::Assumption> {
        self.scoring
            .assumptions
            .iter()
            .filter(|a| a.designation.as_deref() == designation)
            .collect()
    }

    pub fn workload(&self, id: &str) -> Option<&WorkloadInfo> {
        self.workloads.iter().find(|w| w.id == id)
    }

    /// Every certification of the catalogue as (id, name), for pickers.
    pub fn certification_choices(&self) -> Vec<(String, String)> {
        self.certifications
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect()
    }

    pub fn certification_name(&self, id: &str) -> String {
        self.certifications
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_owned(), |c| c.name.clone())
    }

    /// The display name of a catalogue id: a certification's or a workload's name, else the id.
    pub fn catalogue_name(&self, id: &str) -> String {
        match self.workload(id) {
            Some(w) => w.name.clone(),
            None => self.certification_name(id),
        }
    }
}

json_record! {
    pub struct CertificationInfo as "a certification" {
        pub id: String,
        pub name: String,
    }
}

json_record! {
    pub struct RetiredCertification as "a retired certification" {
        pub id: String,
        /// The day Microsoft retires it.
        pub on: crate::model::Date,
        /// The last day it counts for the score (none: the day it retires).
        pub counts_until: Option<crate::model::Date>,
        pub source: String,
    }
}

/// A certification against its retirement: still counting, counting for less than the
/// warning period, or no longer counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetirementStage {
    Counting,
    Ending,
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetirementStatus {
    pub retires: crate::model::Date,
    pub counts_until: crate::model::Date,
    pub stage: RetirementStage,
}

impl RetirementStatus {
    /// `retires on 2026-06-30, counts until 2027-06-30`.
    pub fn describe(&self) -> String {
        match self.stage {
            RetirementStage::Ended => format!(
                "retired on {}; no longer counts since {}",
                self.retires,
                self.counts_until.plus_days(1)
            ),
            _ if self.retires == self.counts_until => format!("retires on {}", self.retires),
            _ => format!(
                "retires on {}, counts until {}",
                self.retires, self.counts_until
            ),
        }
    }
}

impl RetiredCertification {
    pub fn last_counting_day(&self) -> crate::model::Date {
        self.counts_until.unwrap_or(self.on)
    }
}

json_record! {
    pub struct WorkloadInfo as "a workload" {
        pub id: String,
        pub name: String,
        /// `m365`, `security`, `dynamics365`, `power_platform`.
        pub families: Vec<String>,
    }
}

/// Parse and check a rule-set file.
pub fn parse_rule_set(text: &str) -> Result<RuleSet, Vec<Diagnostic>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        vec![Diagnostic {
            severity: crate::model::json::Severity::Error,
            path: String::new(),
            message: crate::validate::json_syntax_message(&e),
        }]
    })?;
    let mut cx = Cx::default();
    let rs = RuleSet::from_json(&value, &mut cx);
    if let Some(rs) = &rs {
        if rs.format != "pcs-workbench/rules" {
            cx.at_key("format", |cx| cx.error("expected \"pcs-workbench/rules\""));
        }
        let mut seen = HashSet::new();
        for (i, c) in rs.certifications.iter().enumerate() {
            if !seen.insert(c.id.as_str()) {
                cx.at_key("certifications", |cx| {
                    cx.at_index(i, |cx| cx.error(format!("duplicate id {}", c.id)))
                });
            }
        }
        let mut seen = HashSet::new();
        for (i, w) in rs.workloads.iter().enumerate() {
            if !seen.insert(w.id.as_str()) {
                cx.at_key("workloads", |cx| {
                    cx.at_index(i, |cx| cx.error(format!("duplicate id {}", w.id)))
                });
            }
        }
    }
    match rs {
        Some(rs) if !cx.has_errors() => Ok(rs),
        _ => Err(cx.finish()),
    }
}

fn built_in() -> &'static [RuleSet] {
    static SETS: OnceLock<Vec<RuleSet>> = OnceLock::new();
    SETS.get_or_init(|| {
        // The files are checked by tests, so a broken one never reaches a user;
        // if one did, it is left out rather than taking the app down.
        RULE_SET_FILES
            .iter()
            .filter_map(|(_, text)| parse_rule_set(text).ok())
            .collect()
    })
}

/// A built-in rule set by id.
pub fn rule_set(id: &str) -> Option<&'static RuleSet> {
    built_in().iter().find(|r| r.id == id)
}

/// Every id any built-in rule set knows (a rule set may add ids; it never renames one).
pub struct Catalogue {
    certifications: Vec<String>,
    workloads: Vec<String>,
}

impl Catalogue {
    pub fn has_certification(&self, id: &str) -> bool {
        self.certifications.iter().any(|c| c == id)
    }

    pub fn has_workload(&self, id: &str) -> bool {
        self.workloads.iter().any(|w| w == id)
    }

    /// `; did you mean "…"?` or empty.
    pub fn suggest_certification(&self, id: &str) -> String {
        hint(suggest(id, self.certifications.iter().map(String::as_str)))
    }

    pub fn suggest_workload(&self, id: &str) -> String {
        hint(suggest(id, self.workloads.iter().map(String::as_str)))
    }
}

fn hint(s: Option<&str>) -> String {
    s.map(|s| format!("; did you mean \"{s}\"?"))
        .unwrap_or_default()
}

/// The union of the built-in catalogues.
pub fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        let mut certifications: Vec<String> = Vec::new();
        let mut workloads: Vec<String> = Vec::new();
        for rs in built_in() {
            for c in &rs.certifications {
                if !certifications.contains(&c.id) {
                    certifications.push(c.id.clone());
                }
            }
            for w in &rs.workloads {
                if !workloads.contains(&w.id) {
                    workloads.push(w.id.clone());
                }
            }
        }
        Catalogue {
            certifications,
            workloads,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_rule_set_loads() {
        for (id, text) in RULE_SET_FILES {
            let rs = parse_rule_set(text).unwrap_or_else(|e| panic!("rule set {id}: {e:?}"));
            assert_eq!(&rs.id, id);
        }
        assert_eq!(built_in().len(), RULE_SET_IDS.len());
        for id in RULE_SET_IDS {
            assert!(crate::model::Month::parse(id).is_some(), "{id} is a month");
        }
        assert_eq!(
            Some(newest_rules_month().to_string().as_str()),
            RULE_SET_IDS.last().copied()
        );
    }

    #[test]
    fn a_broken_rule_file_is_reported_with_its_path() {
        let text = RULE_SET_FILES[0].1.replace("\"families\"", "\"familes\"");
        let err = parse_rule_set(&text).unwrap_err();
        assert_eq!(err[0].path, "workloads[0].familes");
    }

    #[test]
    fn catalogue_is_the_union_of_rule_sets() {
        let cat = catalogue();
        assert!(cat.has_certification("fabric-data-engineer-associate")); // 2026 only
        assert!(cat.has_certification("azure-iot-developer-specialty"));
        assert!(cat.has_workload("power_pages"));
        assert!(!cat.has_workload("minecraft"));
    }

    #[test]
    fn a_retiring_certification_is_warned_about_three_months_before_it_stops_counting() {
        let rs = rule_set("2026-11").expect("2026-11");
        let day = |s: &str| crate::model::Date::parse(s).expect("date");
        let id = "azure-ai-engineer-associate"; // retires 2026-06-30, counts until 2027-06-30
        let at = |d: &str| rs.retirement_status(id, day(d)).expect("retires");
        assert_eq!(at("2026-11-20").stage, RetirementStage::Counting);
        assert_eq!(
            at("2026-11-20").describe(),
            "retires on 2026-06-30, counts until 2027-06-30"
        );
        // 92 days (the rule set's warning period) before the last counting day.
        assert_eq!(at("2027-03-29").stage, RetirementStage::Counting);
        assert_eq!(at("2027-03-30").stage, RetirementStage::Ending);
        assert_eq!(at("2027-06-30").stage, RetirementStage::Ending);
        assert_eq!(at("2027-07-01").stage, RetirementStage::Ended);
        assert_eq!(
            at("2027-07-01").describe(),
            "retired on 2026-06-30; no longer counts since 2027-07-01"
        );
        assert_eq!(
            rs.retirement_status("azure-administrator-associate", day("2027-07-01")),
            None
        );
    }
}
