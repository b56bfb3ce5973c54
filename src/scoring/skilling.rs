//! Skilling: certified people, counted step by step (required steps, then the scoring one).

use super::{Contributor, Unit};
use crate::model::*;
use crate::rules::RuleSet;
use crate::rules::scoring::SkillStep;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Skilling: the required steps, then the scoring step; a person may count in several.
/// Returns (people at the scoring step, points before the metric's cap, the people).
pub fn skilling(
    ws: &Workspace,
    rules: &RuleSet,
    steps: &[SkillStep],
    m: Month,
) -> (f64, f64, Vec<Contributor>) {
    Certified::new(ws, rules).skilling(ws, rules, steps, m, true)
}

/// The people's certifications laid out once for the skilling counts, which ask who holds
/// a step for every step, track and month of every designation (a thousand people, each
/// with a few certifications, over a hundred times an evaluation): each certification id
/// numbered, the day it stops counting read once from the rule set, and the people in the
/// order skilling lists them. Built for one set of people and one rule set.
pub(super) struct Certified {
    /// The people by name then id (the workspace's order among equals): skilling lists them
    /// so, and two people who share both count once.
    order: Vec<u32>,
    /// Whether `order[i]` is the first of its (name, id).
    first_of_name: Vec<bool>,
    /// Each person's certifications in their order, `held[starts[p]..starts[p + 1]]`
    /// (none for a person not linked to the partner: they hold no step).
    starts: Vec<u32>,
    held: Vec<Held>,
    /// The certification ids met, by number.
    certs: Vec<String>,
    /// The last day each counts by the rule set's retirements (none: it does not retire).
    counts_until: Vec<Option<Date>>,
    /// Each step's certifications resolved to one flag per number, by the address and
    /// length of the step's list (rules outlive the evaluation).
    steps: RefCell<Vec<(ListKey, Rc<Vec<bool>>)>>,
}

/// A rule-set list's address and length.
type ListKey = (usize, usize);

#[derive(Clone, Copy)]
struct Held {
    cert: u32,
    earned: Date,
    expires: Option<Date>,
}

impl Certified {
    pub(super) fn new(ws: &Workspace, rules: &RuleSet) -> Certified {
        let mut numbered: HashMap<&str, u32> = HashMap::new();
        let mut certs: Vec<String> = Vec::new();
        let mut starts = Vec::with_capacity(ws.people.len() + 1);
        let mut held = Vec::new();
        starts.push(0);
        for p in &ws.people {
            if p.linked {
                for c in &p.certifications {
                    let cert = *numbered.entry(c.cert.as_str()).or_insert_with(|| {
                        certs.push(c.cert.clone());
                        certs.len() as u32 - 1
                    });
                    held.push(Held {
                        cert,
                        earned: c.earned,
                        expires: c.expires,
                    });
                }
            }
            starts.push(held.len() as u32);
        }
        let counts_until = certs
            .iter()
            .map(|c| rules.retirement(c).map(|r| r.last_counting_day()))
            .collect();
        let key = |i: u32| {
            let p = &ws.people[i as usize];
            (p.name.as_str(), p.id.as_str())
        };
        let mut order: Vec<u32> = (0..ws.people.len() as u32).collect();
        order.sort_by(|&a, &b| key(a).cmp(&key(b)));
        let first_of_name = order
            .iter()
            .enumerate()
            .map(|(i, &p)| i == 0 || key(order[i - 1]) != key(p))
            .collect();
        Certified {
            order,
            first_of_name,
            starts,
            held,
            certs,
            counts_until,
            steps: RefCell::default(),
        }
    }

    /// Which certification numbers `step` names.
    fn of_step(&self, step: &SkillStep) -> Rc<Vec<bool>> {
        let key = (
            step.certifications.as_ptr() as usize,
            step.certifications.len(),
        );
        if let Some((_, s)) = self.steps.borrow().iter().find(|(k, _)| *k == key) {
            return Rc::clone(s);
        }
        let s = Rc::new(
            self.certs
                .iter()
                .map(|c| step.certifications.contains(c))
                .collect::<Vec<_>>(),
        );
        self.steps.borrow_mut().push((key, Rc::clone(&s)));
        s
    }

    /// The number of the certification that makes person `p` a holder of the step whose
    /// certifications `in_step` flags on `day`, as [`holds`] decides it.
    fn holds(&self, p: usize, in_step: &[bool], day: Date) -> Option<u32> {
        let held = &self.held[self.starts[p] as usize..self.starts[p + 1] as usize];
        held.iter()
            .find(|h| {
                h.earned <= day
                    && h.expires.is_none_or(|e| day < e)
                    && in_step[h.cert as usize]
                    && self.counts_until[h.cert as usize].is_none_or(|until| day <= until)
            })
            .map(|h| h.cert)
    }

    /// The holders of `step` on `day`, one per (name, id), in listing order: `each` is given
    /// each one's person and certification number; the count is returned.
    fn holders(&self, step: &SkillStep, day: Date, mut each: impl FnMut(usize, u32)) -> usize {
        let in_step = self.of_step(step);
        let mut n = 0;
        let mut counted = false;
        for (&p, &first) in self.order.iter().zip(&self.first_of_name) {
            if first {
                counted = false;
            }
            if counted {
                continue;
            }
            if let Some(cert) = self.holds(p as usize, &in_step, day) {
                counted = true;
                n += 1;
                each(p as usize, cert);
            }
        }
        n
    }

    /// [`skilling`] on these people (`ws`'s, under `rules`), listing them only when `list`
    /// (the same count and points either way).
    pub(super) fn skilling(
        &self,
        ws: &Workspace,
        rules: &RuleSet,
        steps: &[SkillStep],
        m: Month,
        list: bool,
    ) -> (f64, f64, Vec<Contributor>) {
        let day = m.last_day();
        // Required steps first: each met one earns its points on its own (SMB paths, capped;
        // Enterprise steps earn none); the scoring step counts only when every one is met.
        let mut pts = 0.0;
        let mut all_met = true;
        for step in steps.iter().filter(|s| !s.scoring) {
            let n = self.holders(step, day, |_, _| {}) as f64;
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
        let mut contributors = Vec::new();
        let n = self.holders(step, day, |p, cert| {
            if list {
                let name = &ws.people[p].name;
                contributors.push(Contributor {
                    customer: None,
                    item: format!(
                        "{name}: {}",
                        rules.certification_name(&self.certs[cert as usize])
                    ),
                    value: step.points_per_person.value,
                    unit: Unit::Points,
                    association: None,
                });
            }
        }) as f64;
        (n, pts + n * step.points_per_person.value, contributors)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::scoring::Calc;
    use std::collections::BTreeMap;

    /// `Certified` counts and lists the holders [`holds`] finds, one per (name, id), listed
    /// by name then id: for every skilling step of both rule sets, on generated partners
    /// with a person unlinked and two sharing a name, on month ends and on the days around
    /// every date a certification starts or stops counting.
    #[test]
    fn the_laid_out_people_hold_what_holds_decides() {
        let mut compared = 0;
        for seed in [1, 4] {
            let mut ws = crate::generate::generate(40, seed);
            if let [a, b, c, ..] = &mut ws.people[..] {
                b.name.clone_from(&a.name);
                c.linked = false;
            }
            for id in ["2023-10", "2026-11"] {
                let rules = crate::rules::rule_set(id).expect("a built-in rule set");
                let certified = Certified::new(&ws, rules);
                let steps = rules
                    .scoring
                    .designations
                    .iter()
                    .flat_map(|d| &d.tracks)
                    .flat_map(|t| &t.metrics)
                    .filter_map(|m| match &m.calc {
                        Calc::Skilling { steps } => Some(steps),
                        _ => None,
                    })
                    .flatten();
                // Month ends, and the days either side of every date a holding turns on:
                // each certification earned and expiring, each retirement's last day.
                let mut days: Vec<Date> = [0, 7, 30]
                    .into_iter()
                    .map(|back| ws.as_of.plus(-back).last_day())
                    .collect();
                let edges = ws.people.iter().flat_map(|p| &p.certifications);
                let edges = edges.flat_map(|c| [Some(c.earned), c.expires]).flatten();
                let retired = rules.retired_certifications.iter();
                for edge in edges.chain(retired.map(|r| r.last_counting_day())) {
                    days.extend([edge.plus_days(-1), edge, edge.plus_days(1)]);
                }
                for step in steps {
                    for &day in &days {
                        let mut want: BTreeMap<(&str, &str), &str> = BTreeMap::new();
                        for p in &ws.people {
                            if let Some(cert) = holds(p, rules, step, day) {
                                want.entry((p.name.as_str(), p.id.as_str())).or_insert(cert);
                            }
                        }
                        let mut got = Vec::new();
                        let n = certified.holders(step, day, |p, cert| {
                            let p = &ws.people[p];
                            got.push((
                                (p.name.as_str(), p.id.as_str()),
                                certified.certs[cert as usize].as_str(),
                            ));
                        });
                        assert_eq!(n, want.len());
                        assert_eq!(got, want.into_iter().collect::<Vec<_>>());
                        compared += n;
                    }
                }
            }
        }
        assert!(compared > 100, "{compared} holders compared");
    }
}
