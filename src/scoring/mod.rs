//! The Partner Capability Score: per designation, track and month of the window, each
//! metric's measured value and points, with the customers, workloads, services and
//! people that contribute. Every number comes from the rule set.
//!
//! This file holds the evaluation, the choice of the counting track and the rule that
//! qualifies a month; each family of metrics is computed in a module named for it.

mod azure;
mod business_applications;
mod explain;
mod modern_work;
pub mod report;
mod security;
mod skilling;
mod sums;
mod workloads;

use crate::attribution::{
    Association, Attribution, Credits, CustomerCredits, CustomerPrep, Prepared, Viewpoint,
};
use crate::model::*;
use crate::rules::RuleSet;
use crate::rules::scoring::{
    Calc, DesignationRules, MetricRules, SkillStep, TrackRule, TrackRules,
};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use sums::{AcrSums, ServiceIndex};
use workloads::{WorkloadCredits, Workloads};

pub use modern_work::carried_over;
pub use skilling::{StepProgress, holds, skilling, skilling_progress};

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
    /// What counts: listed for the evaluated month only (the last month scored); the other
    /// months of the window carry their value and points.
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

impl Evaluation {
    /// The first designation short of 70 in the window: what the benchmark and the worker's
    /// warm-up plan for.
    pub fn first_short_of_70(&self) -> Option<&DesignationScore> {
        self.designations.iter().find(|d| !d.qualified)
    }
}

/// How partners name a metric.
pub fn metric_label(id: &str) -> &str {
    match id {
        "net_customer_adds" => "Net customer adds",
        "intermediate_certifications" => "Intermediate certifications",
        "advanced_certifications" => "Advanced certifications",
        "usage_growth" => "Usage growth",
        "deployments" => "Deployments",
        "path" => "Path",
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
    evaluate_where(ws, rules, view, |_| true, Detail::Listed)
}

/// One designation only (what the planner re-scores after each candidate action).
pub fn evaluate_designation(ws: &Workspace, rules: &RuleSet, id: &str) -> Option<DesignationScore> {
    evaluate_where(
        ws,
        rules,
        Viewpoint::of_workspace(ws),
        |d| d == id,
        Detail::Listed,
    )
    .designations
    .pop()
}

/// One designation with, for each metric in `as_of`, what could count but does not and
/// the engine's reason ([`MetricScore::excluded`]): explaining takes longer than scoring,
/// so only the designation page asks for it.
pub fn evaluate_explained(ws: &Workspace, rules: &RuleSet, id: &str) -> Option<DesignationScore> {
    evaluate_where(
        ws,
        rules,
        Viewpoint::of_workspace(ws),
        |d| d == id,
        Detail::Explained,
    )
    .designations
    .pop()
}

/// The months of the evaluation window, and the months of attribution it reads: TTM at
/// M-12 of the first window month reaches back 12 + 11 months more.
pub fn window(ws: &Workspace, rules: &RuleSet) -> (Month, Month, Month) {
    let window = rules.scoring.window_months.value.max(1) as i32;
    let first = ws.as_of.plus(-(window - 1));
    (first.plus(-23), first, ws.as_of)
}

/// How much a scoring tells besides each metric's value and points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Detail {
    /// Values and points only: what the planner ranks its candidate actions on (every
    /// value and point as the listed scoring gives them, the contributors left out).
    Bare,
    /// And the evaluated month's contributors: every scoring the app and the command line
    /// show.
    Listed,
    /// And what does not count, with the engine's reason ([`MetricScore::excluded`]).
    Explained,
}

fn evaluate_where(
    ws: &Workspace,
    rules: &RuleSet,
    view: Viewpoint,
    wanted: impl Fn(&str) -> bool,
    detail: Detail,
) -> Evaluation {
    let (reads_from, first, last) = window(ws, rules);
    let (prepared, att) = Prepared::attributed(ws, rules, view, reads_from, last);
    score_attributed(
        &prepared,
        &att,
        &Month::range(first, last).collect::<Vec<_>>(),
        wanted,
        detail,
    )
}

/// A workspace's evaluation kept per customer, so that scoring a workspace that differs
/// from it in a few customers prepares, attributes and sums those customers only (the
/// planner measures hundreds of candidate edits, most of them to one customer). Which
/// customers differ is found by comparing them, position by position, not assumed from the
/// edit; a different partner, month or rule set is scored in full. The scores are the full
/// evaluation's (a property test compares them); a service's name in a contributor keeps
/// the spelling the kept workspace met first.
pub struct Rescorer<'r> {
    rules: &'r RuleSet,
    base: Workspace,
    /// What was built for the kept workspace.
    parts: KeptParts,
    /// Where each of the kept workspace's customers is, by id (taken on first use).
    positions: std::cell::OnceCell<std::collections::HashMap<String, usize>>,
}

impl<'r> Rescorer<'r> {
    pub fn new(ws: &Workspace, rules: &'r RuleSet) -> Rescorer<'r> {
        Warming::new(ws.clone(), rules).finish()
    }

    /// The kept workspace.
    pub fn workspace(&self) -> &Workspace {
        &self.base
    }

    /// Designation `id` of `ws`, as [`evaluate_designation`] scores it.
    pub fn designation(&self, ws: &Workspace, id: &str) -> Option<DesignationScore> {
        self.score(ws, id, &self.same_customers(ws), Detail::Listed)
    }

    /// Designation `id` of `ws`, where `ws` is the kept workspace with only the customers
    /// whose ids are in `changed` changed (and customers added after the kept ones): the
    /// others are taken as they were without comparing them. The planner knows which
    /// customers its edit touches ([`crate::planner::Edit::touches`]).
    pub fn designation_changed(
        &self,
        ws: &Workspace,
        id: &str,
        changed: &[&str],
    ) -> Option<DesignationScore> {
        self.score(ws, id, &self.kept_but(ws, changed), Detail::Listed)
    }

    /// [`Rescorer::designation`] without the contributors (see
    /// [`Rescorer::designation_changed_values`]).
    pub fn designation_values(&self, ws: &Workspace, id: &str) -> Option<DesignationScore> {
        self.score(ws, id, &self.same_customers(ws), Detail::Bare)
    }

    /// [`Rescorer::designation_changed`] without the contributors: every metric's value and
    /// points, each track's totals and the designation's score as that one gives them (a
    /// test compares them), for less work. The planner ranks its candidates on these.
    pub fn designation_changed_values(
        &self,
        ws: &Workspace,
        id: &str,
        changed: &[&str],
    ) -> Option<DesignationScore> {
        self.score(ws, id, &self.kept_but(ws, changed), Detail::Bare)
    }

    /// Which customers of `ws` are the kept workspace's in the same place, but for those in
    /// `changed`: with every kept customer still in place (the contract of
    /// [`Rescorer::designation_changed`]), found without reading the others.
    fn kept_but(&self, ws: &Workspace, changed: &[&str]) -> Vec<bool> {
        let kept = self.base.customers.len();
        if ws.customers.len() < kept {
            // Some were removed: compare where each one is.
            return (0..ws.customers.len())
                .map(|ci| {
                    let c = &ws.customers[ci];
                    self.base.customers.get(ci).is_some_and(|b| b.id == c.id)
                        && !changed.contains(&c.id.as_str())
                })
                .collect();
        }
        let mut out: Vec<bool> = (0..ws.customers.len()).map(|ci| ci < kept).collect();
        for ci in changed.iter().filter_map(|id| self.position(id)) {
            out[ci] = false;
        }
        out
    }

    /// Where customer `id` is in the kept workspace.
    pub fn position(&self, id: &str) -> Option<usize> {
        let positions = self.positions.get_or_init(|| {
            let customers = self.base.customers.iter().enumerate();
            customers
                .map(|(ci, c)| (c.id.as_str().to_owned(), ci))
                .collect()
        });
        positions.get(id).copied()
    }

    fn score(
        &self,
        ws: &Workspace,
        id: &str,
        kept: &[bool],
        detail: Detail,
    ) -> Option<DesignationScore> {
        self.score_with(ws, kept, |d| d == id, false, detail)
            .0
            .designations
            .pop()
    }

    /// `ws` prepared and attributed over the scorer's months (the first month the window
    /// reads to `as_of`: [`window`]), as [`Prepared::new`] and [`Prepared::attribute`] give
    /// them, each customer the kept workspace has as it is taken from it and only the others
    /// prepared and attributed: the customer pages, right after the dashboard's evaluation.
    pub fn attributed<'w>(&'w self, ws: &'w Workspace) -> (Prepared<'w>, Attribution) {
        let kept = if self.comparable(ws) {
            self.same_customers(ws)
        } else {
            vec![false; ws.customers.len()]
        };
        self.attributed_with(ws, &kept)
    }

    /// [`Rescorer::attributed`] on the kept workspace itself: every customer as it was kept,
    /// without comparing any. The app knows when its workspace is the kept one (right after
    /// the evaluation advanced the rescorer to it).
    pub fn attributed_kept(&self) -> (Prepared<'_>, Attribution) {
        self.attributed_with(&self.base, &vec![true; self.base.customers.len()])
    }

    /// [`Rescorer::prep_of`] on the kept workspace itself, without comparing.
    pub fn kept_prep(&self, ci: usize) -> Option<Rc<CustomerPrep>> {
        self.parts.preps.get(ci).map(Rc::clone)
    }

    fn attributed_with<'w>(
        &'w self,
        ws: &'w Workspace,
        kept: &[bool],
    ) -> (Prepared<'w>, Attribution) {
        let rules = self.rules;
        let prepared = Prepared::reusing(ws, rules, Viewpoint::of_workspace(ws), |ci| {
            kept[ci].then(|| Rc::clone(&self.parts.preps[ci]))
        });
        let (reads_from, _, last) = window(ws, rules);
        let att = prepared.attribute_reusing(reads_from, last, |ci| {
            kept[ci].then(|| Rc::clone(&self.parts.credits[ci]))
        });
        (prepared, att)
    }

    /// The rule set it scores with.
    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// Customer `ci`'s prepared index, when the kept workspace has that same customer for
    /// the same partner, month and rules: [`crate::findings::findings_reusing`] takes it
    /// instead of preparing the customer again.
    pub fn prep_of(&self, ws: &Workspace, rules: &RuleSet, ci: usize) -> Option<Rc<CustomerPrep>> {
        (std::ptr::eq(rules, self.rules)
            && self.base.customers.get(ci) == ws.customers.get(ci)
            && self.comparable(ws))
        .then(|| self.parts.preps.get(ci).map(Rc::clone))
        .flatten()
    }

    /// Every designation of `ws`, as [`evaluate`] scores it.
    pub fn evaluate(&self, ws: &Workspace) -> Evaluation {
        let kept = self.same_customers(ws);
        self.score_with(ws, &kept, |_| true, false, Detail::Listed)
            .0
    }

    /// Designation `id` of `ws` under `rules`, explained, as [`evaluate_explained`] gives it:
    /// the designation page, reusing what the dashboard's evaluation prepared.
    pub fn explained(&self, ws: &Workspace, rules: &RuleSet, id: &str) -> Option<DesignationScore> {
        if !std::ptr::eq(rules, self.rules) {
            return evaluate_explained(ws, rules, id);
        }
        let kept = self.same_customers(ws);
        self.score_with(ws, &kept, |d| d == id, false, Detail::Explained)
            .0
            .designations
            .pop()
    }

    /// [`Rescorer::explained`] on the kept workspace itself, without comparing any customer
    /// (comparing thousands of equal customers costs more than the scoring they save).
    pub fn explained_kept(&self, id: &str) -> Option<DesignationScore> {
        let kept = vec![true; self.base.customers.len()];
        self.score_with(&self.base, &kept, |d| d == id, false, Detail::Explained)
            .0
            .designations
            .pop()
    }

    /// Every designation of `ws`, which then becomes the kept workspace: the app keeps one
    /// across edits, so an edit to one customer re-prepares that customer only.
    pub fn advance(&mut self, ws: &Workspace, rules: &'r RuleSet) -> Evaluation {
        if !std::ptr::eq(rules, self.rules) || !self.comparable(ws) {
            // Built on `ws` itself: nothing to keep afterwards.
            *self = Rescorer::new(ws, rules);
            return self.evaluate(ws);
        }
        let kept = self.same_customers(ws);
        let (evaluation, parts) = self.score_with(ws, &kept, |_| true, true, Detail::Listed);
        if let Some(p) = parts {
            self.parts = p;
            self.keep_workspace(ws, &kept);
        }
        evaluation
    }

    /// Keep `ws` under `rules` instead, without scoring it: the kept workspace with only the customers
    /// whose ids are in `changed` changed (the contract of [`Rescorer::designation_changed`];
    /// none: any may have), so that only those are prepared again. The planner moves its
    /// rescorer on to the workspace after each step it settles on.
    pub fn rebase(&mut self, ws: &Workspace, rules: &'r RuleSet, changed: Option<&[&str]>) {
        if !std::ptr::eq(rules, self.rules) || !self.comparable(ws) {
            *self = Rescorer::new(ws, rules);
            return;
        }
        let kept = match changed {
            Some(changed) => self.kept_but(ws, changed),
            None => self.same_customers(ws),
        };
        let (_, parts) = self.score_with(ws, &kept, |_| false, true, Detail::Bare);
        if let Some(p) = parts {
            self.parts = p;
            self.keep_workspace(ws, &kept);
        }
    }

    /// Make `ws` the kept workspace, copying only the customers that differ (`kept` marks
    /// those that do not): an edit to one customer of a large workspace copies that one.
    fn keep_workspace(&mut self, ws: &Workspace, kept: &[bool]) {
        self.positions = std::cell::OnceCell::new();
        let base = &mut self.base;
        base.customers.truncate(ws.customers.len());
        for (ci, c) in ws.customers.iter().enumerate() {
            match base.customers.get_mut(ci) {
                Some(_) if kept[ci] => {}
                Some(b) => b.clone_from(c),
                None => base.customers.push(c.clone()),
            }
        }
        // Everything else.
        let customers = std::mem::take(&mut base.customers);
        *base = ws.clone_without_customers();
        base.customers = customers;
    }

    fn same_customers(&self, ws: &Workspace) -> Vec<bool> {
        (0..ws.customers.len())
            .map(|ci| self.base.customers.get(ci) == ws.customers.get(ci))
            .collect()
    }

    /// The kept parts describe `ws`'s customers only for the same partner, month and rules.
    fn comparable(&self, ws: &Workspace) -> bool {
        let base = &self.base;
        ws.partner == base.partner && ws.as_of == base.as_of && ws.rules == base.rules
    }

    /// Score `ws` reusing the parts of the customers `kept` marks; with `keep`, also the
    /// parts of every customer of `ws`, to keep as the next base; telling what `detail` says.
    fn score_with(
        &self,
        ws: &Workspace,
        kept: &[bool],
        wanted: impl Fn(&str) -> bool,
        keep: bool,
        detail: Detail,
    ) -> (Evaluation, Option<KeptParts>) {
        let rules = self.rules;
        if !self.comparable(ws) {
            let view = Viewpoint::of_workspace(ws);
            return (evaluate_where(ws, rules, view, wanted, detail), None);
        }
        let prepared = Prepared::reusing(ws, rules, Viewpoint::of_workspace(ws), |ci| {
            kept[ci].then(|| Rc::clone(&self.parts.preps[ci]))
        });
        let (reads_from, first, last) = window(ws, rules);
        let att = prepared.attribute_reusing(reads_from, last, |ci| {
            kept[ci].then(|| Rc::clone(&self.parts.credits[ci]))
        });
        let mut services = self.parts.services.clone();
        let is_security = |s: &str| rules.scoring.is_security_service(s);
        let sums = Rc::new(AcrSums::reusing(
            ws,
            &att,
            &mut services,
            &is_security,
            Some((&self.parts.sums, kept)),
        ));
        let n = ws.customers.len();
        let same_workloads = n == self.base.customers.len()
            && (0..n).all(|ci| {
                kept[ci] || ws.customers[ci].workloads == self.base.customers[ci].workloads
            });
        let workloads = if same_workloads {
            Rc::clone(&self.parts.workloads)
        } else {
            Rc::new(workloads_of(ws, rules, &att))
        };
        let workload_credits = Rc::new(WorkloadCredits::new(
            &att,
            &workloads,
            same_workloads.then_some((&*self.parts.workload_credits, kept)),
        ));
        let skilled = if ws.people == self.base.people {
            Rc::clone(&self.parts.skilled)
        } else {
            Rc::default()
        };
        let parts = keep.then(|| KeptParts {
            preps: (0..n).map(|ci| prepared.customer(ci)).collect(),
            credits: att.customers.clone(),
            sums: Rc::clone(&sums),
            services,
            workloads: Rc::clone(&workloads),
            workload_credits: Rc::clone(&workload_credits),
            skilled: Rc::clone(&skilled),
        });
        let months: Vec<Month> = Month::range(first, last).collect();
        let evaluation = score_summed(
            &prepared,
            &att,
            Rc::clone(&sums),
            (workloads, workload_credits),
            skilled,
            &months,
            wanted,
            detail,
        );
        if keep {
            // Kept as the next base, the sums let go of theirs (what they summed stays).
            sums.detach();
        }
        (evaluation, parts)
    }
}

/// What was built for every customer of a scored workspace: a [`Rescorer`] keeps it for its
/// kept workspace, and takes the next one from a re-score ([`Rescorer::advance`]).
struct KeptParts {
    preps: Vec<Rc<CustomerPrep>>,
    credits: Vec<Rc<CustomerCredits>>,
    /// The credited ACR sums, customer by customer and the tables the metrics asked for:
    /// a re-score takes those of the customers it keeps and starts its tables from these.
    sums: Rc<AcrSums>,
    services: ServiceIndex,
    /// The workloads laid out for the metrics: a re-score whose changed customers have the
    /// same workloads (most planner edits: links, claims, people) reads these instead of
    /// laying every customer's out again.
    workloads: Rc<Workloads>,
    /// The workloads' credits laid out along them: a re-score with the same workloads copies
    /// the kept customers' from these.
    workload_credits: Rc<WorkloadCredits>,
    /// Skilling results for the workspace's people.
    skilled: Rc<Skilled>,
}

/// A [`Rescorer`] built a few customers at a time, so that a page can stay responsive
/// while a large workspace is prepared: each [`Warming::step`] prepares and attributes the
/// next customers, [`Warming::finish`] sums them and gives the rescorer, kept on that
/// workspace ([`Rescorer::workspace`]). Built in one step or in many, the rescorer is the same (a test compares them).
pub struct Warming<'r> {
    rules: &'r RuleSet,
    ws: Workspace,
    view: Viewpoint,
    months: Vec<Month>,
    preps: Vec<Rc<CustomerPrep>>,
    credits: Vec<Rc<CustomerCredits>>,
    /// Once [`Warming::sum`] ran: the attribution, its services and its credited ACR sums.
    summed: Option<(Attribution, ServiceIndex, AcrSums)>,
}

impl<'r> Warming<'r> {
    pub fn new(ws: Workspace, rules: &'r RuleSet) -> Warming<'r> {
        let (reads_from, _, last) = window(&ws, rules);
        let n = ws.customers.len();
        Warming {
            rules,
            view: Viewpoint::of_workspace(&ws),
            months: Month::range(reads_from, last).collect(),
            preps: Vec::with_capacity(n),
            credits: Vec::with_capacity(n),
            summed: None,
            ws,
        }
    }

    /// Customers prepared so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.preps.len(), self.ws.customers.len())
    }

    /// Prepare and attribute the next `n` customers; true once every customer is.
    pub fn step(&mut self, n: usize) -> bool {
        let from = self.preps.len();
        let to = from.saturating_add(n).min(self.ws.customers.len());
        for c in &self.ws.customers[from..to] {
            self.preps
                .push(crate::attribution::prepare(c, self.rules, &self.view));
        }
        let prepared =
            Prepared::of_customers(&self.ws, self.rules, self.view.clone(), self.preps.clone());
        for ci in from..to {
            self.credits
                .push(Rc::new(prepared.customer_credits(ci, &self.months)));
        }
        to == self.ws.customers.len()
    }

    /// Sum the credited ACR of every customer (preparing those not prepared yet): about
    /// two thirds of [`Warming::finish`], which a page can run in a task of its own.
    pub fn sum(&mut self) {
        if self.summed.is_none() {
            self.summed = Some(self.summed_now());
        }
    }

    fn summed_now(&mut self) -> (Attribution, ServiceIndex, AcrSums) {
        while !self.step(usize::MAX) {}
        let rules = self.rules;
        let att = Attribution {
            from: self.months.first().copied().unwrap_or(self.ws.as_of),
            to: self.months.last().copied().unwrap_or(self.ws.as_of),
            customers: std::mem::take(&mut self.credits),
        };
        let mut services = ServiceIndex::default();
        let is_security = |s: &str| rules.scoring.is_security_service(s);
        let sums = AcrSums::reusing(&self.ws, &att, &mut services, &is_security, None);
        (att, services, sums)
    }

    /// The rescorer, kept on the workspace. Customers not prepared (or summed) yet are
    /// now.
    pub fn finish(mut self) -> Rescorer<'r> {
        let (att, services, sums) = match self.summed.take() {
            Some(summed) => summed,
            None => self.summed_now(),
        };
        let rules = self.rules;
        let ws = self.ws;
        let workloads = workloads_of(&ws, rules, &att);
        Rescorer {
            rules,
            parts: KeptParts {
                workload_credits: Rc::new(WorkloadCredits::new(&att, &workloads, None)),
                workloads: Rc::new(workloads),
                skilled: Rc::default(),
                sums: Rc::new(sums),
                preps: self.preps,
                credits: att.customers,
                services,
            },
            base: ws,
            positions: std::cell::OnceCell::new(),
        }
    }
}

/// A prepared workspace's evaluation and findings, a piece per [`Settling::step`]: the
/// app scores a workspace it has just prepared in steps ([`Warming`]) one designation per
/// task, then finds what to fix, so that switching to it only renders. What
/// [`Settling::finish`] gives equals [`Rescorer::evaluate`] and
/// [`crate::findings::findings`] on the kept workspace (a test compares them), and the
/// rescorer keeps what the scoring summed, as [`Rescorer::advance`] does.
pub struct Settling<'r> {
    rescorer: Rescorer<'r>,
    today: Date,
    designations: Vec<DesignationScore>,
    /// The findings so far, `findings_step` customers a step.
    finding: crate::findings::FindingSteps,
    findings_step: usize,
    findings: Option<Vec<crate::findings::Finding>>,
}

impl<'r> Settling<'r> {
    /// The kept workspace's, with findings judged on `today`.
    pub fn new(rescorer: Rescorer<'r>, today: Date) -> Settling<'r> {
        Settling {
            rescorer,
            today,
            designations: Vec::new(),
            finding: crate::findings::FindingSteps::default(),
            findings_step: Self::FINDINGS_STEP,
            findings: None,
        }
    }

    /// Find the findings `n` customers a step instead of [`Settling::FINDINGS_STEP`].
    pub fn with_findings_step(mut self, n: usize) -> Settling<'r> {
        self.findings_step = n.max(1);
        self
    }

    /// The rescorer, kept on the workspace being settled.
    pub fn rescorer(&self) -> &Rescorer<'r> {
        &self.rescorer
    }

    /// Customers whose findings are found per step, unless told otherwise (about 15 ms for
    /// the generated partner in Chromium).
    pub const FINDINGS_STEP: usize = 1_000;

    /// Steps done, and in all: one per designation of the rule set, then one per
    /// [`Settling::FINDINGS_STEP`] customers (or as told) for the findings, at least one.
    pub fn progress(&self) -> (usize, usize) {
        let designations = self.rescorer.rules.scoring.designations.len();
        let finding = self
            .rescorer
            .base
            .customers
            .len()
            .div_ceil(self.findings_step)
            .max(1);
        let found = if self.findings.is_some() {
            finding
        } else {
            self.finding.done().div_ceil(self.findings_step)
        };
        (self.designations.len() + found, designations + finding)
    }

    /// Score the next designation, or once every one is, find what to fix in the next
    /// customers ([`Settling::FINDINGS_STEP`]); true once all is done.
    pub fn step(&mut self) -> bool {
        let rescorer = &mut self.rescorer;
        let all = &rescorer.rules.scoring.designations;
        if let Some(d) = all.get(self.designations.len()) {
            let kept = vec![true; rescorer.base.customers.len()];
            let id = d.id.as_str();
            let (mut scored, parts) =
                rescorer.score_with(&rescorer.base, &kept, |d| d == id, true, Detail::Listed);
            if let Some(p) = parts {
                rescorer.parts = p;
            }
            self.designations.extend(scored.designations.pop());
        } else if self.findings.is_none() {
            let (ws, rules, preps) = (&rescorer.base, rescorer.rules, &rescorer.parts.preps);
            if preps.len() == ws.customers.len() {
                let view = Viewpoint::of_workspace(ws);
                let prepared = Prepared::of_customers(ws, rules, view, preps.clone());
                if self.finding.step(&prepared, self.today, self.findings_step) {
                    let steps = std::mem::take(&mut self.finding);
                    self.findings = Some(steps.finish(&prepared, self.today));
                }
            } else {
                // Not every customer kept: found at once, preparing the others.
                self.findings = Some(crate::findings::findings_reusing(
                    ws,
                    rules,
                    self.today,
                    |ci| preps.get(ci).map(Rc::clone),
                ));
            }
        }
        let (done, all) = self.progress();
        done == all
    }

    /// The rescorer, the evaluation of its kept workspace and its findings. Steps not taken
    /// yet are taken now.
    pub fn finish(mut self) -> (Rescorer<'r>, Evaluation, Vec<crate::findings::Finding>) {
        while !self.step() {}
        let ws = &self.rescorer.base;
        let evaluation = Evaluation {
            as_of: ws.as_of,
            rules: self.rescorer.rules.id.clone(),
            designations: self.designations,
        };
        (self.rescorer, evaluation, self.findings.unwrap_or_default())
    }
}

/// Score the months `months` on a given attribution (covering [`window`]'s reading range)
/// instead of the one the workspace implies: the reconciliation scores Microsoft's reported
/// attribution this way, and re-scores it with one difference resolved.
pub fn evaluate_attributed(
    prepared: &Prepared,
    att: &Attribution,
    months: &[Month],
    wanted: impl Fn(&str) -> bool,
) -> Evaluation {
    score_attributed(prepared, att, months, wanted, Detail::Listed)
}

fn score_attributed(
    prepared: &Prepared,
    att: &Attribution,
    months: &[Month],
    wanted: impl Fn(&str) -> bool,
    detail: Detail,
) -> Evaluation {
    let rules = prepared.rules;
    let sums = Rc::new(AcrSums::new(prepared.ws, att, |service| {
        rules.scoring.is_security_service(service)
    }));
    let workloads = workloads_of(prepared.ws, rules, att);
    let credits = WorkloadCredits::new(att, &workloads, None);
    score_summed(
        prepared,
        att,
        sums,
        (Rc::new(workloads), Rc::new(credits)),
        Rc::default(),
        months,
        wanted,
        detail,
    )
}

/// The workloads' monthly numbers the metrics read: up to 13 months before the
/// attribution's first month (M-12 of a month, with its own M-1 or carry-over).
fn workloads_of(ws: &Workspace, rules: &RuleSet, att: &Attribution) -> Workloads {
    Workloads::new(ws, rules, att.from.plus(-13), att.to)
}

#[allow(clippy::too_many_arguments)]
fn score_summed(
    prepared: &Prepared,
    att: &Attribution,
    sums: Rc<AcrSums>,
    (wl, wc): (Rc<Workloads>, Rc<WorkloadCredits>),
    skilled: Rc<Skilled>,
    months: &[Month],
    wanted: impl Fn(&str) -> bool,
    detail: Detail,
) -> Evaluation {
    let (ws, rules) = (prepared.ws, prepared.rules);
    let scorer = Scorer {
        ws,
        rules,
        att,
        prepared,
        sums,
        wl,
        wc,
        detail,
        listed: months.last().copied().unwrap_or(ws.as_of),
        window: months.to_vec(),
        paths: RefCell::default(),
        skilled,
        associated: std::cell::OnceCell::new(),
    };
    let designations = rules
        .scoring
        .designations
        .iter()
        .filter(|d| wanted(&d.id))
        .map(|d| scorer.designation(d, &scorer.window))
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
    sums: Rc<AcrSums>,
    /// The workloads' monthly numbers in dense rows, and the rule set's lists resolved.
    wl: Rc<Workloads>,
    /// Their credits month by month ([`Scorer::workload_credits`]).
    wc: Rc<WorkloadCredits>,
    /// What is told besides values and points.
    detail: Detail,
    /// The month whose contributors are listed (the last one scored): every other month
    /// carries its value and points only, which spares a list per customer and month.
    listed: Month,
    /// The months scored ([`Scorer::on_path_all`] takes a path for all of them, and a year
    /// before each, in one pass).
    window: Vec<Month>,
    /// Which customers are on a track's path, by (track, workload list, month): see
    /// [`Scorer::on_path_all`].
    paths: RefCell<Vec<OnPath>>,
    /// Skilling results for these people ([`Scorer::skilling`]), shared by the scorings of
    /// a [`Rescorer`] while the people stay the same.
    skilled: Rc<Skilled>,
    /// Whether each customer is credited in each month, `[slot * customers + customer]`
    /// ([`Scorer::associated`]).
    associated: std::cell::OnceCell<Vec<bool>>,
}

/// Skilling for one set of people under one rule set: their certifications laid out once,
/// and the results by the steps' address and length, the month and whether the people are
/// listed.
#[derive(Default)]
struct Skilled {
    people: std::cell::OnceCell<skilling::Certified>,
    results: RefCell<Vec<(SkilledKey, SkilledCount)>>,
}

/// The steps' address and length, the month and whether the people are listed.
type SkilledKey = (usize, usize, Month, bool);

/// People at the scoring step, points before the metric's cap, the people listed.
type SkilledCount = (f64, f64, Vec<Contributor>);

/// A track's and a workload list's addresses and a month, with the customers on that path.
type OnPath = ((usize, usize, Month), Rc<Vec<bool>>);

/// What a metric's computation gives: the measured value, its points, the association type
/// whose option counted (Modern Work), and the contributors.
type Parts = (f64, f64, Option<Association>, Vec<Contributor>);

impl Scorer<'_> {
    /// Whether month `m`'s contributors are listed.
    fn lists(&self, m: Month) -> bool {
        self.detail >= Detail::Listed && m == self.listed
    }

    /// The contributors of month `m`, built only when that month is listed.
    fn listing<T>(
        &self,
        m: Month,
        items: impl IntoIterator<Item = T>,
        f: impl FnMut(T) -> Contributor,
    ) -> Vec<Contributor> {
        if self.lists(m) {
            items.into_iter().map(f).collect()
        } else {
            Vec::new()
        }
    }

    fn designation(&self, d: &DesignationRules, months: &[Month]) -> DesignationScore {
        let qualifying = self.rules.scoring.qualifying_score.value;
        let min_points = self.rules.scoring.min_metric_points.value;
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
                        // "One or more points in each metric": 0.93 is not enough.
                        let qualified =
                            total >= qualifying && metrics.iter().all(|x| x.points >= min_points);
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
            .map(|(i, &m)| (m, self.counting_track(d, &tracks, i, m)))
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

    /// The track that counts in the `i`-th month of the window.
    fn counting_track(
        &self,
        d: &DesignationRules,
        tracks: &[TrackScore],
        i: usize,
        m: Month,
    ) -> usize {
        match &d.track_rule {
            TrackRule::None => 0,
            // Both paths scored: one that qualifies beats one that does not, then the
            // higher total (assumption `path_choice`); ties keep the first path.
            TrackRule::BestOf => (0..tracks.len())
                .max_by(|&a, &b| {
                    path_order(&tracks[a].months[i], &tracks[b].months[i]).then(b.cmp(&a))
                })
                .unwrap_or(0),
            TrackRule::SmbCustomerShare { smb_share } => {
                let smb = self.smb_share(m) >= smb_share.value;
                track_index(d, if smb { "smb" } else { "enterprise" })
            }
            TrackRule::RevenuePairs {
                min_pairs,
                min_revenue,
                associated_only,
            } => {
                let associated = associated_only.as_ref().is_some_and(|x| x.value);
                let pairs = self.revenue_pairs(m, min_revenue.value, associated);
                track_index(
                    d,
                    if pairs >= min_pairs.value as usize {
                        "enterprise"
                    } else {
                        "smb"
                    },
                )
            }
        }
    }

    /// How many workloads customer `ci` has (read off the workloads' layout, next to what
    /// the metrics read of each workload, instead of off the customer's record).
    fn workload_count(&self, ci: usize) -> usize {
        self.wl.count(ci)
    }

    /// Workload `wi` of customer `ci`'s credits in `m` (none outside the attribution's
    /// months), as [`Attribution::workload`] tells them, from the month-by-month table.
    fn workload_credits(&self, ci: usize, wi: usize, m: Month) -> Credits {
        self.att
            .slot(m)
            .map_or(Credits::NONE, |s| self.wc.at(self.wl.at(ci, wi), s))
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
            } => self.azure_net_customer_adds(max, m, associations, min_acr.value, full.value),
            Calc::AzureUsageGrowth {
                associations,
                min_ttm_acr,
                full_percent,
            } => {
                self.azure_usage_growth(max, m, associations, min_ttm_acr.value, full_percent.value)
            }
            Calc::AzureDeployments {
                associations,
                excluded_services,
                full,
            } => self.azure_deployments(max, m, associations, &excluded_services.value, full.value),
            Calc::Skilling { steps } => {
                let (v, p, c) = self.skilling(steps, m);
                (v, p.min(max), None, c)
            }
            Calc::ModernWorkNetCustomerAdds {
                workloads,
                thresholds,
            } => self.modern_work_net_customer_adds(max, t, m, workloads, thresholds),
            Calc::ModernWorkNetCustomerAddsCombined {
                workloads,
                associations,
                full,
            } => self.modern_work_net_customer_adds_combined(
                max,
                t,
                m,
                workloads,
                associations,
                full.value,
            ),
            Calc::ModernWorkUsageGrowth {
                workloads,
                thresholds,
            } => self.modern_work_usage_growth(max, t, m, workloads, thresholds),
            Calc::ModernWorkDeployments {
                workloads,
                active_share,
                thresholds,
            } => self.modern_work_deployments(max, t, m, workloads, active_share.value, thresholds),
            Calc::SecurityNetCustomerAdds { .. }
            | Calc::SecurityDeployments { .. }
            | Calc::SecurityUsageGrowth { .. } => self.security(max, t, m, &mr.calc),
            Calc::BusinessApplicationsNetCustomerAdds { .. }
            | Calc::BusinessApplicationsUsageGrowth { .. }
            | Calc::BusinessApplicationsDeployments { .. } => {
                self.business_applications(max, d, m, &mr.calc)
            }
        };
        let excluded = if self.detail == Detail::Explained && m == self.ws.as_of {
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

    /// [`skilling`] of `steps` in `m`, taken once for the people scored (it reads the people,
    /// the rule set and the month only: the planner's candidates seldom change the people).
    /// Skilling lists its people in every month of the window, except in a bare scoring,
    /// which takes a listed result when there is one and keeps its own apart.
    fn skilling(&self, steps: &[SkillStep], m: Month) -> (f64, f64, Vec<Contributor>) {
        let list = self.detail != Detail::Bare;
        let found = |listed: bool| {
            let key = (steps.as_ptr() as usize, steps.len(), m, listed);
            let cache = self.skilled.results.borrow();
            let r = cache.iter().find(|(k, _)| *k == key)?;
            Some((r.1.0, r.1.1, if list { r.1.2.clone() } else { Vec::new() }))
        };
        if let Some(r) = found(true).or_else(|| found(false).filter(|_| !list)) {
            return r;
        }
        let people = self
            .skilled
            .people
            .get_or_init(|| skilling::Certified::new(self.ws, self.rules));
        let r = people.skilling(self.ws, self.rules, steps, m, list);
        let key = (steps.as_ptr() as usize, steps.len(), m, list);
        self.skilled.results.borrow_mut().push((key, r.clone()));
        r
    }

    /// Whether any association credits the customer in `m`, on a usage line or a workload
    /// (asked of every customer for each designation and month: read from a table laid out
    /// month by month on the first request, not from each customer's own).
    fn associated(&self, ci: usize, m: Month) -> bool {
        let Some(slot) = self.att.slot(m) else {
            return false;
        };
        let n = self.att.customers.len();
        let table = self.associated.get_or_init(|| {
            let months = self.att.months();
            let mut table = vec![false; months * n];
            for (ci, c) in self.att.customers.iter().enumerate() {
                for s in 0..months {
                    table[s * n + ci] = c.associated(s);
                }
            }
            table
        });
        table[slot * n + ci]
    }

    /// Credited ACR of a customer in `m` through any of `assocs` (security services only
    /// when `security`), read from the sums taken once per evaluation.
    fn credited_acr(&self, ci: usize, m: Month, assocs: &[Association], security: bool) -> f64 {
        self.sums.credited(ci, m, assocs, security)
    }

    /// Customers meeting `holds` in `m` (listed) and net of those in `m-12`.
    fn net_customers(&self, m: Month, holds: impl Fn(usize, Month) -> bool) -> (f64, Vec<usize>) {
        let all = 0..self.ws.customers.len();
        let now: Vec<usize> = all.clone().filter(|&ci| holds(ci, m)).collect();
        let before = all.filter(|&ci| holds(ci, m.plus(-12))).count();
        (now.len() as f64 - before as f64, now)
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
            customer: Some(self.ws.customers[ci].id.as_str().to_owned()),
            item: item.to_owned(),
            value,
            unit,
            association,
        }
    }

    fn workload_contributor(&self, ci: usize, wi: usize, value: f64, unit: Unit) -> Contributor {
        let c = &self.ws.customers[ci];
        Contributor {
            customer: Some(c.id.as_str().to_owned()),
            item: c.workloads[wi].workload.clone(),
            value,
            unit,
            association: None,
        }
    }
}

/// Which of two paths counts: one that qualifies beats one that does not, then the higher
/// total (assumption `path_choice`: the pages say only "selects the highest score").
pub fn path_order(x: &TrackMonth, y: &TrackMonth) -> std::cmp::Ordering {
    x.qualified
        .cmp(&y.qualified)
        .then(x.total.total_cmp(&y.total))
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
