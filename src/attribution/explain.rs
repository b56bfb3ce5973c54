//! Decisions in words: "counted as PAL via ada@contoso.example (Contributor on rg-data) since 2023-06-02".

use super::{Decision, Rule, Subject};
use crate::model::{Customer, Product, Workspace};
use crate::rules::RuleSet;
use crate::validate::scope::AzureScope;

/// The products a customer uses, by name and sorted: those of its subscriptions, and
/// Microsoft 365 when a workload of the Microsoft 365 or security families runs in its
/// tenant without a subscription bought through the partner.
pub fn products_of(c: &Customer, rules: &RuleSet) -> Vec<&'static str> {
    let mut products: Vec<&'static str> =
        c.subscriptions.iter().map(|x| x.product.label()).collect();
    let m365 = Product::M365.label();
    if !products.contains(&m365)
        && c.workloads.iter().any(|w| {
            rules
                .workload(&w.workload)
                .is_some_and(|i| i.is("m365") || i.is("security"))
        })
    {
        products.push(m365);
    }
    products.sort_unstable();
    products.dedup();
    products
}

/// A scope as people name it: the resource group or resource, or the subscription's name.
pub fn scope_name(c: &Customer, scope: &str) -> String {
    let Some(parsed) = AzureScope::parse(scope) else {
        return scope.to_owned();
    };
    match (parsed.kind(), parsed.subscription()) {
        (crate::validate::scope::ScopeKind::Subscription, Some(id)) => c
            .subscriptions
            .iter()
            .find(|s| s.id.as_str().eq_ignore_ascii_case(id))
            .map_or_else(
                || parsed.short_name(),
                |s| format!("subscription {}", s.name),
            ),
        _ => parsed.short_name(),
    }
}

fn identity_name(c: &Customer, id: &str) -> String {
    c.identity(id)
        .map_or_else(|| id.to_owned(), |i| i.name.clone())
}

/// One sentence for a decision about an item of customer `c`.
pub fn sentence(d: &Decision, ws: &Workspace, c: &Customer) -> String {
    let partner = d
        .partner
        .as_ref()
        .map(|p| ws.partner_name(p))
        .unwrap_or_default();
    let since = d.since.map(|s| s.to_string()).unwrap_or_default();
    let sub_name = match &d.subject {
        Subject::Subscription { subscription } => c
            .subscription(subscription)
            .map_or_else(|| subscription.to_string(), |s| s.name.clone()),
        _ => String::new(),
    };
    let (who, role_on) = match &d.subject {
        Subject::Identity {
            identity,
            via_group,
            role,
            scope,
        } => {
            let who = identity_name(c, identity.as_str());
            let role_on = match (role, scope) {
                (Some(r), Some(s)) => match via_group {
                    Some(g) => format!(
                        " ({r} on {} through group {})",
                        scope_name(c, s),
                        identity_name(c, g.as_str())
                    ),
                    None => format!(" ({r} on {})", scope_name(c, s)),
                },
                _ => String::new(),
            };
            (who, role_on)
        }
        Subject::Resource { resource, identity } => {
            let who = identity
                .as_ref()
                .map(|i| identity_name(c, i.as_str()))
                .unwrap_or_default();
            (who, format!(" ({resource})"))
        }
        _ => (String::new(), String::new()),
    };
    let claim = match &d.subject {
        Subject::Claim { claim, status } => match status {
            Some(crate::model::ClaimStatus::Approved) => format!("claim {claim}"),
            Some(st) => format!("claim {claim} ({})", st.as_str().replace('_', " ")),
            None => format!("claim {claim} (not yet created)"),
        },
        _ => String::new(),
    };
    let since_txt = if since.is_empty() {
        String::new()
    } else {
        format!(" since {since}")
    };
    match d.rule {
        Rule::CspDirectBill => {
            format!("counted as CSP: {partner} bills {sub_name} directly (tier 1)")
        }
        Rule::CspIndirectProvider => {
            format!("counted as CSP: {partner} is the indirect provider of {sub_name} (tier 2)")
        }
        Rule::CspIndirectReseller => {
            format!("counted as CSP: {partner} is the indirect reseller of {sub_name} (tier 2)")
        }
        Rule::DporActive => {
            format!("counted as DPOR: {partner} is partner of record on {sub_name}{since_txt}")
        }
        Rule::PalRoleCoversScope => format!("counted as PAL via {who}{role_on}{since_txt}"),
        Rule::PalGroupRoleCoversScope => format!("counted as PAL via {who}{role_on}{since_txt}"),
        Rule::PalLighthouseDelegation => {
            format!(
                "counted as PAL via the Azure Lighthouse delegation {who}{role_on}, linked in our own tenant{since_txt}"
            )
        }
        Rule::PalResourceOwner => {
            format!("counted as PAL: {who} owns the resource{role_on} and is linked{since_txt}")
        }
        Rule::CporApproved => format!("counted as CPOR: {claim} approved{since_txt}"),
        Rule::PalCountedAsCsp => {
            format!("PAL via {who}{role_on} also applies; counted once, as CSP")
        }

        Rule::ExcludedOffer => {
            let offer = c
                .subscriptions
                .iter()
                .find(|s| s.name == sub_name)
                .map(|s| s.offer.as_str())
                .unwrap_or("excluded");
            format!(
                "not counted: {sub_name} is a {offer} subscription, which never earns partner credit"
            )
        }
        Rule::ExcludedCloud => format!(
            "not counted: {} is in the {} cloud, which is not counted",
            c.name, c.cloud
        ),
        Rule::CspOtherPartner => format!("not CSP for us: {partner} sells {sub_name}"),
        Rule::DporOtherPartner => {
            format!("not DPOR: {partner} is partner of record on {sub_name}{since_txt}")
        }
        Rule::DporGlobalId => {
            format!(
                "not DPOR: the partner of record on {sub_name} is our global ID {partner}; DPOR needs a location ID"
            )
        }
        Rule::DporMissing => format!("not DPOR: no partner of record is set on {sub_name}"),
        Rule::DporEndedByMove => format!(
            "not DPOR: {sub_name} moved to the Azure plan on {since}; DPOR is not carried over, so it must be set again"
        ),
        Rule::PalGlobalId => format!(
            "not PAL: {who} is linked with the global ID {partner}; Partner Center only recognises location IDs"
        ),
        Rule::PalWrongTenant => {
            format!(
                "not PAL: {who} was linked while signed in to our own tenant, not {}'s",
                c.name
            )
        }
        Rule::PalIdentityDisabled => format!("not PAL: {who} is disabled{since_txt}"),
        Rule::PalIdentityDeleted => format!("not PAL: {who} was deleted{since_txt}"),
        Rule::PalAdminAgents => {
            format!(
                "not PAL: {who} signs in through the CSP Admin Agents group, which PAL does not credit"
            )
        }
        Rule::PalClassicAdminOnly => {
            format!(
                "not PAL: {who} only has a classic (co-)administrator role, which PAL does not recognise"
            )
        }
        Rule::PalEligibleOnly => {
            format!("not PAL: {who}{role_on} is only eligible (just-in-time), not active")
        }
        Rule::PalNoRole => format!("not PAL: {who} is linked but holds no Azure role"),
        Rule::PalExcludedOffer => format!(
            "not PAL: {sub_name} is a sponsored subscription, on which Partner Center does not recognise PAL (CSP and DPOR on it still count)"
        ),
        Rule::PalScopeNotCovered => {
            format!("not PAL: the roles of {who} do not cover this resource{role_on}")
        }
        Rule::PalRoleNotActive => {
            format!("not PAL: the role of {who}{role_on} is not active on the month's last day")
        }
        Rule::PalLinkNotActive => {
            format!("not PAL: the link of {who} is not active on the month's last day")
        }
        Rule::PalEndedByMove => format!(
            "not PAL: {who} was linked before the move to the Azure plan on {since}; the link must be made again"
        ),
        Rule::PalNotLinked => format!(
            "not PAL: no identity of {} is PAL-linked in {}",
            ws.partner.name, c.name
        ),
        Rule::PalOtherPartnerLater => {
            format!(
                "not PAL: {partner} linked {who}{role_on} later{since_txt}; the latest partner wins"
            )
        }
        Rule::PalOwnerNotLinked => {
            format!("not PAL: no owner of the resource{role_on} is PAL-linked")
        }
        Rule::CporNotApproved => {
            let held = if partner.is_empty() {
                String::new()
            } else {
                format!("; {partner} holds the workload")
            };
            format!("not CPOR: {claim} is not approved on the month's last day{held}")
        }
        Rule::CporGlobalId => {
            format!("not CPOR: {claim} was made with the global ID; claims need a location ID")
        }
        Rule::CporDisassociated => {
            format!(
                "not CPOR: {partner}'s claim was approved{since_txt}; a workload has one claiming partner"
            )
        }
        Rule::CporOnCspSubscription => {
            format!(
                "not CPOR: {claim} is on a CSP-purchased subscription, which Business Applications claims cannot use"
            )
        }
        Rule::CporNotDynamics => {
            format!("not CPOR: {claim} names a subscription that is not Dynamics 365")
        }
        Rule::CporNoClaim => "not CPOR: no claim covers this workload".to_owned(),
    }
}
