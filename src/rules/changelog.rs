//! What changed between two rule sets, generated from their data (never written by hand):
//! the rule set's own lists (qualification, offers, catalogues, retirements, security
//! services, badges) here, and every metric's numbers and lists in [`super::scoring::diff`].

use super::RuleSet;
use serde::Serialize;

/// One difference outside the metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSetChange {
    /// `qualification`, `offers`, `certifications`, `retirements`, `workloads`,
    /// `security services`, `badges`.
    pub area: &'static str,
    pub item: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn change(
    area: &'static str,
    item: impl Into<String>,
    before: Option<String>,
    after: Option<String>,
) -> RuleSetChange {
    RuleSetChange {
        area,
        item: item.into(),
        before,
        after,
    }
}

/// The differences from `a` to `b` outside the metrics, in a stable order.
pub fn changelog(a: &RuleSet, b: &RuleSet) -> Vec<RuleSetChange> {
    let mut out = Vec::new();
    let num = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.2}")
        }
    };
    if a.scoring.min_metric_points.value != b.scoring.min_metric_points.value {
        out.push(change(
            "qualification",
            "points every metric needs",
            Some(num(a.scoring.min_metric_points.value)),
            Some(num(b.scoring.min_metric_points.value)),
        ));
    }
    if a.scoring.qualifying_score.value != b.scoring.qualifying_score.value {
        out.push(change(
            "qualification",
            "total to qualify",
            Some(num(a.scoring.qualifying_score.value)),
            Some(num(b.scoring.qualifying_score.value)),
        ));
    }
    let offers = |o: &[crate::model::Offer]| {
        o.iter()
            .map(|x| x.as_str().replace('_', " "))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (ea, eb) = (
        &a.attribution.excluded_offers.value,
        &b.attribution.excluded_offers.value,
    );
    if ea != eb {
        out.push(change(
            "offers",
            "offers that never count",
            Some(offers(ea)),
            Some(offers(eb)),
        ));
    }
    let (pa, pb) = (
        &a.attribution.pal_excluded_offers.value,
        &b.attribution.pal_excluded_offers.value,
    );
    if pa != pb {
        let show = |o: &[crate::model::Offer]| (!o.is_empty()).then(|| offers(o));
        out.push(change(
            "offers",
            "offers on which PAL is not recognised",
            show(pa),
            show(pb),
        ));
    }
    for c in &b.certifications {
        match a.certifications.iter().find(|x| x.id == c.id) {
            None => out.push(change(
                "certifications",
                c.name.clone(),
                None,
                Some("new in the catalogue".into()),
            )),
            // A rename: listed under its new name, with the old one.
            Some(old) if old.name != c.name => out.push(change(
                "certifications",
                c.name.clone(),
                Some(old.name.clone()),
                Some(c.name.clone()),
            )),
            Some(_) => {}
        }
    }
    for r in &b.retired_certifications {
        let shown = |r: &super::RetiredCertification| {
            if r.last_counting_day() == r.on {
                format!("retired {}", r.on)
            } else {
                format!("retires {}, counts until {}", r.on, r.last_counting_day())
            }
        };
        let before = a.retirement(&r.id).map(shown);
        let after = Some(shown(r));
        if before != after {
            out.push(change(
                "retirements",
                b.certification_name(&r.id),
                before,
                after,
            ));
        }
    }
    for w in &b.workloads {
        if a.workload(&w.id).is_none() {
            out.push(change(
                "workloads",
                w.name.clone(),
                None,
                Some("new in the catalogue".into()),
            ));
        }
    }
    let (sa, sb) = (
        &a.scoring.security_services.value,
        &b.scoring.security_services.value,
    );
    for s in sb
        .iter()
        .filter(|s| !sa.iter().any(|x| x.eq_ignore_ascii_case(s)))
    {
        out.push(change(
            "security services",
            s.clone(),
            None,
            Some("now counts".into()),
        ));
    }
    for s in sa
        .iter()
        .filter(|s| !sb.iter().any(|x| x.eq_ignore_ascii_case(s)))
    {
        out.push(change(
            "security services",
            s.clone(),
            Some("no longer counts".into()),
            None,
        ));
    }
    for badge in &b.scoring.badges {
        if !a.scoring.badges.iter().any(|x| x.id == badge.id) {
            let names: Vec<String> = badge
                .designations
                .iter()
                .filter_map(|d| b.designation(d).map(|x| x.name.clone()))
                .collect();
            out.push(change(
                "badges",
                badge.name.clone(),
                None,
                Some(names.join(", ")),
            ));
        }
    }
    out
}

/// A metric rule that changed the same way on one or more tracks of a designation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricChange {
    /// The tracks it changed on, in the rule set's order (`enterprise`, `smb`; `none`).
    pub tracks: Vec<String>,
    #[serde(flatten)]
    pub change: super::scoring::Change,
}

/// Every metric difference from `a` to `b`, a change repeated on several tracks of a
/// designation listed once with all of them, grouped by designation in `b`'s order.
pub fn metric_changes(a: &RuleSet, b: &RuleSet) -> Vec<MetricChange> {
    let mut out: Vec<MetricChange> = Vec::new();
    for c in super::scoring::diff(a, b) {
        let same = |m: &MetricChange| {
            let x = &m.change;
            x.designation == c.designation
                && x.metric == c.metric
                && x.parameter == c.parameter
                && x.before == c.before
                && x.after == c.after
        };
        match out.iter_mut().find(|m| same(m)) {
            Some(m) => m.tracks.push(c.track.clone()),
            None => out.push(MetricChange {
                tracks: vec![c.track.clone()],
                change: c,
            }),
        }
    }
    // Stable: the designation order of `b`, the path rules, then the metrics in the
    // designation's order, each in first appearance (so Enterprise before SMB).
    let order = |m: &MetricChange| {
        let d = b
            .scoring
            .designations
            .iter()
            .position(|x| x.name == m.change.designation);
        let metric = d
            .and_then(|i| b.scoring.designations[i].tracks.first())
            .and_then(|t| t.metrics.iter().position(|x| x.id == m.change.metric))
            .map_or(0, |i| i + 1);
        (d.unwrap_or(usize::MAX), metric)
    };
    out.sort_by_key(order);
    out
}
