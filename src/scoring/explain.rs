//! What could count toward a metric but does not, with the engine's reason: computed only
//! for the designation page, since explaining every refused line costs more than scoring.

use super::{Contributor, Excluded, Scorer};
use crate::model::*;
use crate::rules::scoring::Calc;

impl Scorer<'_> {
    /// What could count toward a metric in `m` but does not, with the engine's reason.
    pub(super) fn excluded(
        &self,
        calc: &Calc,
        contributors: &[Contributor],
        m: Month,
    ) -> Vec<Excluded> {
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
                    customer: Some(c.id.as_str().to_owned()),
                    item: format!("{} ({} in {m})", u.service, money(u.acr.get(m))),
                    reason,
                });
            }
        }
        let workloads: Option<Vec<String>> = match calc {
            Calc::ModernWorkNetCustomerAdds { workloads, .. }
            | Calc::ModernWorkNetCustomerAddsCombined { workloads, .. }
            | Calc::ModernWorkUsageGrowth { workloads, .. }
            | Calc::ModernWorkDeployments { workloads, .. }
            | Calc::SecurityNetCustomerAdds { workloads, .. }
            | Calc::SecurityDeployments { workloads, .. }
            | Calc::SecurityUsageGrowth { workloads, .. } => Some(workloads.clone()),
            Calc::BusinessApplicationsNetCustomerAdds { workloads, .. }
                if !workloads.is_empty() =>
            {
                Some(workloads.clone())
            }
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
                        || self.workload_credits(ci, wi, m).any_of(&assocs)
                    {
                        continue;
                    }
                    let reason = refusal(&self.prepared.explain_workload(ci, wi, m), c)
                        .unwrap_or_else(|| "not associated".into());
                    out.push(Excluded {
                        customer: Some(c.id.as_str().to_owned()),
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
}
