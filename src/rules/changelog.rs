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
            Some(old) if old.name != c.name => out.push(change(
                "certifications",
                c.id.clone(),
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
                Some(format!("new id {}", w.id)),
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
            Some("counts".into()),
        ));
    }
    for s in sa
        .iter()
        .filter(|s| !sb.iter().any(|x| x.eq_ignore_ascii_case(s)))
    {
        out.push(change(
            "security services",
            s.clone(),
            Some("counted".into()),
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
