//! Skilling: certified people, counted step by step (required steps, then the scoring one).

use super::{Contributor, Unit};
use crate::model::*;
use crate::rules::RuleSet;
use crate::rules::scoring::SkillStep;
use serde::Serialize;
use std::collections::BTreeMap;

/// Skilling: the required steps, then the scoring step; a person may count in several.
/// Returns (people at the scoring step, points before the metric's cap, the people).
pub fn skilling(
    ws: &Workspace,
    rules: &RuleSet,
    steps: &[SkillStep],
    m: Month,
) -> (f64, f64, Vec<Contributor>) {
    skilling_listing(ws, rules, steps, m, true)
}

/// [`skilling`], listing the people only when `list` (the same count and points either way).
pub(super) fn skilling_listing(
    ws: &Workspace,
    rules: &RuleSet,
    steps: &[SkillStep],
    m: Month,
    list: bool,
) -> (f64, f64, Vec<Contributor>) {
    let day = m.last_day();
    // Keyed by name then id: listed by name, and two people who share a name both count.
    // (Borrowed: the planner scores skilling for every candidate it measures.)
    let holders = |step: &SkillStep| -> BTreeMap<(&str, &str), &str> {
        let mut people = BTreeMap::new();
        for p in &ws.people {
            if let Some(cert) = holds(p, rules, step, day) {
                people
                    .entry((p.name.as_str(), p.id.as_str()))
                    .or_insert(cert);
            }
        }
        people
    };
    // Required steps first: each met one earns its points on its own (SMB paths, capped;
    // Enterprise steps earn none); the scoring step counts only when every one is met.
    let mut pts = 0.0;
    let mut all_met = true;
    for step in steps.iter().filter(|s| !s.scoring) {
        let n = holders(step).len() as f64;
        if n < f64::from(step.min_people.value) {
            all_met = false;
            continue;
        }
        let earned = n * step.points_per_person.value;
        pts += step.cap.as_ref().map_or(earned, |c| earned.min(c.value));
    }
    let Some(step) = steps.iter().find(|s| s.scoring) else {
        return (0.0, pts, Vec::new());
    };
    if !all_met {
        return (0.0, pts, Vec::new());
    }
    let people = holders(step);
    let n = people.len() as f64;
    if !list {
        return (n, pts + n * step.points_per_person.value, Vec::new());
    }
    let contributors = people
        .into_iter()
        .map(|((name, _), cert)| Contributor {
            customer: None,
            item: format!("{name}: {}", rules.certification_name(cert)),
            value: step.points_per_person.value,
            unit: Unit::Points,
            association: None,
        })
        .collect();
    (n, pts + n * step.points_per_person.value, contributors)
}

/// The certification that makes `p` a holder of `step` on `day`, if one does: their first
/// that is active that day, one of the step's and still counting. People not linked to the
/// partner hold none. Who holds a step is decided person by person.
pub fn holds<'p>(p: &'p Person, rules: &RuleSet, step: &SkillStep, day: Date) -> Option<&'p str> {
    if !p.linked {
        return None;
    }
    p.certifications
        .iter()
        .find(|c| {
            c.earned <= day
                && c.expires.is_none_or(|e| day < e)
                && step.certifications.contains(&c.cert)
                && rules.certification_counts_on(&c.cert, day)
        })
        .map(|c| c.cert.as_str())
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
                .filter(|p| holds(p, rules, step, day).is_some())
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
