//! Health findings: broken or missing associations, claims that need action, CUA and
//! certification problems, each with the exact fix (commands with the customer's tenant
//! and our location filled in, the DPOR link and request email, CUA snippets, Partner
//! Center paths and deadlines in business days).

use crate::attribution::{Association, Credits, Prepared, Rule, Viewpoint, Whose};
use crate::model::*;
use crate::rules::RuleSet;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    Error,
    Warning,
    Info,
}

impl FindingSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingSeverity::Error => "error",
            FindingSeverity::Warning => "warning",
            FindingSeverity::Info => "info",
        }
    }
}

/// A command the partner runs (the app never runs it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Command {
    /// `Azure CLI`, `PowerShell`.
    pub shell: &'static str,
    pub text: String,
}

/// Everything needed to fix a finding.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Fix {
    /// What to do, in one or two sentences.
    pub summary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<Command>,
    /// A link to send or open (the DPOR blade, pre-filled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// A short email to the customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A template snippet (CUA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// Where to click in Partner Center.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portal_path: Option<String>,
    /// When it must be done by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
}

/// One health problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable id such as `pal.global_id`.
    pub code: &'static str,
    pub severity: FindingSeverity,
    /// Customer id, or none for partner-level findings (people, CUA GUIDs).
    pub customer: Option<String>,
    /// The identity, subscription, claim, person or GUID concerned.
    pub subject: String,
    pub message: String,
    pub fix: Fix,
    /// The association this is about (for filtering), if any.
    pub mechanism: Option<Association>,
}

/// The finding as the score report writes it (`fix` is the summary).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportFinding<'a> {
    pub code: &'a str,
    pub severity: FindingSeverity,
    pub customer: Option<&'a str>,
    pub subject: &'a str,
    pub message: &'a str,
    pub fix: &'a str,
}

impl Finding {
    pub fn report(&self) -> ReportFinding<'_> {
        ReportFinding {
            code: self.code,
            severity: self.severity,
            customer: self.customer.as_deref(),
            subject: &self.subject,
            message: &self.message,
            fix: &self.fix.summary,
        }
    }
}

/// The DPOR blade, pre-filled with the subscription and our partner ID.
pub fn dpor_link(subscription: &Guid, partner: &PartnerId) -> String {
    format!(
        "https://portal.azure.com/#blade/Microsoft_Azure_Billing/PartnerInformationBlade/subscriptionId/{subscription}/partnerId/{partner}"
    )
}

/// Free text (an identity's name) made safe for a shell comment line: only letters,
/// digits and `@._-` are kept, so no quote, `$(…)`, `;` or newline reaches a terminal.
pub fn shell_comment(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `az` and PowerShell commands that link our location ID while signed in to `tenant`.
/// Both arguments are validated GUIDs and digits, so nothing needs escaping.
pub fn pal_link_commands(tenant: &Guid, partner: &PartnerId, update: bool) -> Vec<Command> {
    let (az, ps) = if update {
        ("update", "Update")
    } else {
        ("create", "New")
    };
    vec![
        Command {
            shell: "Azure CLI",
            text: format!(
                "az login --tenant {tenant}\naz managementpartner {az} --partner-id {partner}"
            ),
        },
        Command {
            shell: "PowerShell",
            text: format!(
                "Connect-AzAccount -Tenant {tenant}\n{ps}-AzManagementPartner -PartnerId {partner}"
            ),
        },
    ]
}

fn dpor_email(s: &Subscription, partner_name: &str, partner: &PartnerId) -> String {
    format!(
        "Subject: Partner of record for {sub}\n\nHello,\n\nTo recognise the work {partner_name} does on your Azure subscription \
         \"{sub}\" ({id}), could a subscription owner set us as Digital Partner of Record? It takes a minute and changes \
         nothing in billing or access:\n\n{link}\n\n(Azure portal → Subscriptions → {sub} → Partner information → Partner ID {partner}.)\n\n\
         Thank you,\n{partner_name}",
        sub = s.name,
        id = s.id,
        link = dpor_link(&s.id, partner),
        partner_name = partner_name,
    )
}

struct Ctx<'a> {
    ws: &'a Workspace,
    rules: &'a RuleSet,
    today: Date,
    /// The location to use in fixes (the first).
    location: PartnerId,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: &'static str,
        severity: FindingSeverity,
        customer: Option<&Customer>,
        subject: impl Into<String>,
        mechanism: Option<Association>,
        message: String,
        fix: Fix,
    ) {
        self.out.push(Finding {
            code,
            severity,
            customer: customer.map(|c| c.id.as_str().to_owned()),
            subject: subject.into(),
            message,
            fix,
            mechanism,
        });
    }
}

/// Every finding in the workspace, judged at the `as_of` month for credit and at `today`
/// for deadlines. Sorted by severity, then customer, then code.
pub fn findings(ws: &Workspace, rules: &RuleSet, today: Date) -> Vec<Finding> {
    findings_reusing(ws, rules, today, |_| None)
}

/// [`findings`], taking customer `ci`'s prepared index from `kept(ci)` when it gives one
/// (the app's dashboard evaluation has just prepared them: [`crate::scoring::Rescorer::prep_of`]).
pub fn findings_reusing(
    ws: &Workspace,
    rules: &RuleSet,
    today: Date,
    kept: impl Fn(usize) -> Option<std::rc::Rc<crate::attribution::CustomerPrep>>,
) -> Vec<Finding> {
    let view = Viewpoint::of_workspace(ws);
    // Each customer is prepared, attributed and looked at in turn, while its records are in
    // cache (one pass over a workspace larger than the cache, not three).
    let mut prepared = Prepared::of_customers(ws, rules, view.clone(), Vec::new());
    let Some(mut cx) = Ctx::new(ws, rules, today) else {
        return vec![no_location()];
    };
    while let Some(ci) = prepared.prepare_next(&kept) {
        customer_findings(&mut cx, &prepared, &view, ci);
    }
    cx.finish()
}

/// [`findings`] a few customers at a time, on a workspace whose every customer is prepared
/// (a page finds them in tasks of their own): [`FindingSteps::step`] looks at the next
/// customers, [`FindingSteps::finish`] adds the partner's own findings and sorts. Given the
/// same workspace, rules and day at every call, the findings are those of [`findings`].
#[derive(Debug, Default)]
pub struct FindingSteps {
    next: usize,
    out: Vec<Finding>,
}

impl FindingSteps {
    /// Customers looked at so far.
    pub fn done(&self) -> usize {
        self.next
    }

    /// Look at the next `n` customers of `prepared`'s workspace; true once every one is.
    pub fn step(&mut self, prepared: &Prepared<'_>, today: Date, n: usize) -> bool {
        let ws = prepared.ws;
        let to = self.next.saturating_add(n).min(ws.customers.len());
        if let Some(mut cx) = Ctx::new(ws, prepared.rules, today) {
            cx.out = std::mem::take(&mut self.out);
            for ci in self.next..to {
                customer_findings(&mut cx, prepared, &prepared.view, ci);
            }
            self.out = cx.out;
        }
        self.next = to;
        to == ws.customers.len()
    }

    /// Every finding, sorted; customers not looked at yet are looked at now.
    pub fn finish(mut self, prepared: &Prepared<'_>, today: Date) -> Vec<Finding> {
        while !self.step(prepared, today, usize::MAX) {}
        let Some(mut cx) = Ctx::new(prepared.ws, prepared.rules, today) else {
            return vec![no_location()];
        };
        cx.out = self.out;
        cx.finish()
    }
}

/// The one finding of a workspace without a location ID: every fix names one, and without
/// one nothing can earn credit, so that is the one thing to fix first.
fn no_location() -> Finding {
    Finding {
        code: "partner.no_location",
        severity: FindingSeverity::Error,
        customer: None,
        subject: "partner".into(),
        message: "the workspace has no location (PLA) ID: only location IDs earn credit, so nothing is credited yet".into(),
        fix: Fix {
            summary: "Add your location ID on the Data page (Partner Center → Account settings → Identifiers), or import a Partner Center download, which carries it.".into(),
            portal_path: Some("Partner Center → Account settings → Identifiers".into()),
            ..Fix::default()
        },
        mechanism: None,
    }
}

/// Customer `ci`'s findings (it is prepared in `prepared`), added to `cx`.
fn customer_findings(cx: &mut Ctx<'_>, prepared: &Prepared<'_>, view: &Viewpoint, ci: usize) {
    let c = &cx.ws.customers[ci];
    // What the findings read of each usage line in the evaluated month: its credits (the
    // attribution's fast path) and what keeps it from counting.
    let credits = prepared.customer_credits(ci, &[cx.ws.as_of]);
    let first = cx.out.len();
    let lines: Vec<LineFacts> = (0..c.usage.len())
        .map(|li| {
            let (sub, excluded) = prepared.line_standing(ci, li);
            LineFacts {
                sub,
                excluded,
                credits: credits.line(li)[0],
            }
        })
        .collect();
    identity_findings(cx, &lines, view, c);
    subscription_findings(cx, &lines, view, c);
    claim_findings(cx, view, c);
    cua_findings(cx, c);
    // A broken or missing PAL link explains uncredited consumption better than a
    // missing DPOR: fixing the link recovers the credit, so say that once.
    let pal_problem = cx.out[first..]
        .iter()
        .any(|f| f.mechanism == Some(Association::Pal) && f.severity != FindingSeverity::Info);
    if pal_problem {
        let mut i = first;
        while i < cx.out.len() {
            if cx.out[i].code == "dpor.missing" {
                cx.out.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

impl<'a> Ctx<'a> {
    /// A context for the workspace's findings; none without a location ID to name in fixes.
    fn new(ws: &'a Workspace, rules: &'a RuleSet, today: Date) -> Option<Ctx<'a>> {
        let location = ws.partner.locations.first()?.id.clone();
        Some(Ctx {
            ws,
            rules,
            today,
            location,
            out: Vec::new(),
        })
    }

    /// The customers' findings with the partner's own, sorted.
    fn finish(mut self) -> Vec<Finding> {
        people_findings(&mut self);
        // Most severe first, then by customer, code and subject (ties in the order found). A
        // finding is a few hundred bytes: their positions are sorted, and each is moved once.
        let found = self.out;
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by(|&a, &b| order_key(&found[a]).cmp(&order_key(&found[b])));
        let mut found: Vec<Option<Finding>> = found.into_iter().map(Some).collect();
        order.iter().filter_map(|&i| found[i].take()).collect()
    }
}

/// What the findings are listed by.
fn order_key(f: &Finding) -> (FindingSeverity, Option<&str>, &str, &str) {
    (f.severity, f.customer.as_deref(), f.code, &f.subject)
}

/// A usage line as the findings see it in the evaluated month.
struct LineFacts {
    /// The subscription (index in the customer's) it runs in.
    sub: Option<usize>,
    /// The cloud or offer rule that keeps it from counting.
    excluded: Option<Rule>,
    credits: Credits,
}

fn identity_findings(cx: &mut Ctx, lines: &[LineFacts], view: &Viewpoint, c: &Customer) {
    let day = cx.ws.as_of.last_day();
    let has_consumption = c.usage.iter().any(|u| u.acr.get(cx.ws.as_of) > 0.0);
    let mut linked_ours = 0;
    for identity in &c.identities {
        let ours: Vec<&PalLink> = identity
            .pal
            .iter()
            .filter(|l| covers(Some(l.from), l.to, day))
            .filter(|l| view.whose(&l.partner_id) != Whose::Other)
            .collect();
        if ours.is_empty() {
            continue;
        }
        let name = identity.name.clone();
        let subject = identity.id.as_str().to_owned();
        if ours
            .iter()
            .any(|l| view.whose(&l.partner_id) == Whose::OurGlobalId)
        {
            cx.push(
                "pal.global_id",
                FindingSeverity::Error,
                Some(c),
                &subject,
                Some(Association::Pal),
                format!("{name} is PAL-linked with the global (PGA) ID {}; Partner Center does not recognise it, so nothing this identity manages is credited", cx.ws.partner.global_id.as_ref().map_or_else(String::new, |g| g.to_string())),
                Fix {
                    summary: format!("Update the link to the location ID {} while signed in as {name} in {}'s tenant.", cx.location, c.name),
                    commands: pal_link_commands(&c.tenant_id, &cx.location, true),
                    ..Fix::default()
                },
            );
            continue;
        }
        if ours.iter().all(|l| l.tenant == LinkTenant::Home)
            && identity.kind != IdentityKind::Lighthouse
        {
            cx.push(
                "pal.wrong_tenant",
                FindingSeverity::Error,
                Some(c),
                &subject,
                Some(Association::Pal),
                format!("{name} was linked while signed in to our own tenant, so the link does not count for {}", c.name),
                Fix {
                    summary: format!("Sign in to {}'s tenant as {name} and link again.", c.name),
                    commands: pal_link_commands(&c.tenant_id, &cx.location, false),
                    ..Fix::default()
                },
            );
            continue;
        }
        if !identity.active_on(day) {
            let (code, state) = if identity.state == IdentityState::Deleted {
                ("pal.identity_deleted", "deleted")
            } else {
                ("pal.identity_disabled", "disabled")
            };
            let since = identity
                .state_since
                .map(|d| format!(" since {d}"))
                .unwrap_or_default();
            cx.push(
                code,
                FindingSeverity::Error,
                Some(c),
                &subject,
                Some(Association::Pal),
                format!("{name} is {state}{since}: its PAL link no longer earns credit"),
                Fix {
                    summary: format!(
                        "Link an active identity that holds the same roles in {}'s tenant.",
                        c.name
                    ),
                    commands: pal_link_commands(&c.tenant_id, &cx.location, false),
                    ..Fix::default()
                },
            );
            continue;
        }
        linked_ours += 1;
        if identity.admin_agents {
            cx.push(
                "pal.admin_agents",
                FindingSeverity::Warning,
                Some(c),
                &subject,
                Some(Association::Pal),
                format!("{name} signs in through the CSP Admin Agents group; PAL does not credit those credentials"),
                Fix {
                    summary: "Use a separate user or service principal that is not in Admin Agents, give it the Azure roles, and link that one.".into(),
                    commands: pal_link_commands(&c.tenant_id, &cx.location, false),
                    ..Fix::default()
                },
            );
        }
        let groups: Vec<&Identity> = c
            .identities
            .iter()
            .filter(|g| g.members.contains(&identity.id))
            .collect();
        let all_roles: Vec<&RoleAssignment> = identity
            .roles
            .iter()
            .chain(groups.iter().flat_map(|g| g.roles.iter()))
            .filter(|r| covers(r.from, r.to, day))
            .collect();
        if all_roles.is_empty()
            && c.usage.iter().any(|u| u.acr.any_nonzero())
            && !identity.admin_agents
        {
            let (code, what) = if identity.classic_admin {
                (
                    "pal.classic_admin",
                    "only a classic co-administrator role, which PAL does not recognise",
                )
            } else {
                ("pal.no_role", "no Azure role, so it earns no Azure credit")
            };
            let has_pp = c
                .power_platform
                .iter()
                .any(|r| r.credited_identities().contains(&identity.id));
            if !has_pp {
                cx.push(
                    code,
                    FindingSeverity::Warning,
                    Some(c),
                    &subject,
                    Some(Association::Pal),
                    format!("{name} is PAL-linked but holds {what}"),
                    Fix {
                        summary: format!("Assign {name} an Azure role (for example Contributor) on the subscriptions or resource groups you manage."),
                        commands: vec![Command {
                            shell: "Azure CLI",
                            text: format!(
                                "# {}\naz role assignment create --assignee <object id> --role Contributor --scope /subscriptions/<subscription id>",
                                shell_comment(&name)
                            ),
                        }],
                        ..Fix::default()
                    },
                );
            }
        } else if !all_roles.is_empty() && all_roles.iter().all(|r| r.eligible_only) {
            cx.push(
                "pal.eligible_only",
                FindingSeverity::Warning,
                Some(c),
                &subject,
                Some(Association::Pal),
                format!("{name}'s roles are only eligible (just-in-time); eligible assignments earn no PAL credit"),
                Fix { summary: "Make at least one assignment active (permanent), or keep it activated.".into(), ..Fix::default() },
            );
        } else if !all_roles.is_empty()
            && all_roles
                .iter()
                .filter(|r| !r.eligible_only)
                .all(|r| !crate::attribution::is_role_pec_eligible(cx.rules, &r.role))
            && identity.kind != IdentityKind::Lighthouse
        {
            cx.push(
                "pal.reader_only",
                FindingSeverity::Info,
                Some(c),
                &subject,
                Some(Association::Pal),
                format!("{name} only holds read-only roles: its consumption is recognised for the designation but earns no partner earned credit (PEC)"),
                Fix { summary: "If you operate these resources, grant a PEC-eligible role such as Contributor; otherwise nothing to do.".into(), ..Fix::default() },
            );
        }
    }

    // Customers with consumption that no identity of ours is linked in.
    let uncredited = c
        .usage
        .iter()
        .zip(lines)
        .any(|(u, l)| u.acr.get(cx.ws.as_of) > 0.0 && l.excluded.is_none() && !l.credits.any());
    let csp_only = c.subscriptions.iter().all(|s| s.csp.is_some());
    if has_consumption
        && linked_ours == 0
        && !csp_only
        && uncredited
        && !c.identities.iter().any(|i| {
            i.pal
                .iter()
                .any(|l| view.whose(&l.partner_id) != Whose::Other)
        })
    {
        let direct = c.subscriptions.iter().find(|s| {
            s.csp.is_none()
                && !cx
                    .rules
                    .attribution
                    .excluded_offers
                    .value
                    .contains(&s.offer)
        });
        cx.push(
            "customer.no_linked_identity",
            FindingSeverity::Warning,
            Some(c),
            c.id.as_str().to_owned(),
            Some(Association::Pal),
            format!("{} has Azure consumption but no identity of ours is PAL-linked in its tenant", c.name),
            Fix {
                summary: format!(
                    "Link the identity your team uses in {}'s tenant to location {} (or ask the customer to set you as partner of record).",
                    c.name, cx.location
                ),
                commands: pal_link_commands(&c.tenant_id, &cx.location, false),
                link: direct.map(|s| dpor_link(&s.id, &cx.location)),
                email: direct.map(|s| dpor_email(s, &cx.ws.partner.name, &cx.location)),
                ..Fix::default()
            },
        );
    } else if has_consumption && linked_ours == 1 && !csp_only {
        cx.push(
            "customer.single_linked_identity",
            FindingSeverity::Info,
            Some(c),
            c.id.as_str().to_owned(),
            Some(Association::Pal),
            format!("only one identity of ours is PAL-linked in {}: if it leaves or is disabled, the credit stops", c.name),
            Fix {
                summary: "Link a second identity (a colleague or a service principal) that holds the same roles.".into(),
                commands: pal_link_commands(&c.tenant_id, &cx.location, false),
                ..Fix::default()
            },
        );
    }
}

fn subscription_findings(cx: &mut Ctx, facts: &[LineFacts], view: &Viewpoint, c: &Customer) {
    let m = cx.ws.as_of;
    let day = m.last_day();
    for (si, s) in c.subscriptions.iter().enumerate() {
        // The subscription's lines with consumption in the month, and that consumption.
        let mut acr = 0.0;
        let lines: Vec<&LineFacts> = c
            .usage
            .iter()
            .zip(facts)
            .filter(|(u, l)| l.sub == Some(si) && u.acr.get(m) > 0.0)
            .map(|(u, l)| {
                acr += u.acr.get(m);
                l
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        let credited = lines.iter().any(|l| l.credits.any());
        let pal_credits = lines.iter().any(|l| l.credits.has(Association::Pal));
        let has = |r: Rule| lines.iter().any(|l| l.excluded == Some(r));
        if has(Rule::ExcludedOffer) {
            cx.push(
                "usage.excluded_offer",
                FindingSeverity::Info,
                Some(c),
                s.id.as_str().to_owned(),
                None,
                format!("{} is a {} subscription: its {} of consumption in {m} never counts", s.name, s.offer, money(acr)),
                Fix { summary: "Nothing to fix; move production workloads to a paid subscription if they run here.".into(), ..Fix::default() },
            );
            continue;
        }
        if has(Rule::ExcludedCloud) {
            cx.push(
                "usage.excluded_cloud",
                FindingSeverity::Info,
                Some(c),
                s.id.as_str().to_owned(),
                None,
                format!(
                    "{} runs in the {} cloud: its consumption is not counted",
                    c.name, c.cloud
                ),
                Fix {
                    summary: "Nothing to fix; this cloud is outside the Partner Capability Score."
                        .into(),
                    ..Fix::default()
                },
            );
            continue;
        }
        if let Some(mv) = s.moved_to_azure_plan
            && day >= mv
            && !credited
        {
            cx.push(
                "subscription.moved_without_link",
                FindingSeverity::Error,
                Some(c),
                s.id.as_str().to_owned(),
                Some(Association::Dpor),
                format!(
                    "{} moved from the Enterprise Agreement to the Azure plan on {mv}; its DPOR and PAL links stopped, losing {} a month of credit",
                    s.name,
                    money(acr)
                ),
                Fix {
                    summary: format!("Ask the customer to set DPOR again on the new subscription, and link your identities again in {}'s tenant.", c.name),
                    commands: pal_link_commands(&c.tenant_id, &cx.location, false),
                    link: Some(dpor_link(&s.id, &cx.location)),
                    email: Some(dpor_email(s, &cx.ws.partner.name, &cx.location)),
                    ..Fix::default()
                },
            );
            continue;
        }
        if s.csp.is_some() {
            continue;
        }
        let other = s
            .dpor
            .iter()
            .find(|d| covers(Some(d.from), d.to, day) && view.whose(&d.partner_id) == Whose::Other);
        if let Some(d) = other {
            cx.push(
                "dpor.other_partner",
                FindingSeverity::Warning,
                Some(c),
                s.id.as_str().to_owned(),
                Some(Association::Dpor),
                format!("{} is partner of record on {} since {}", cx.ws.partner_name(&d.partner_id), s.name, d.from),
                Fix {
                    summary: if pal_credits {
                        "If you now run this subscription, ask the customer to change the partner of record to you; PAL still credits you meanwhile."
                    } else {
                        "If you now run this subscription, ask the customer to change the partner of record to you, or link your identities with PAL: nothing credits you on it meanwhile."
                    }
                    .into(),
                    link: Some(dpor_link(&s.id, &cx.location)),
                    email: Some(dpor_email(s, &cx.ws.partner.name, &cx.location)),
                    ..Fix::default()
                },
            );
        } else if !credited
            && matches!(
                s.offer,
                Offer::EnterpriseAgreement
                    | Offer::PayAsYouGo
                    | Offer::WebDirect
                    | Offer::AzurePlan
                    | Offer::Mpsa
            )
        {
            cx.push(
                "dpor.missing",
                FindingSeverity::Warning,
                Some(c),
                s.id.as_str().to_owned(),
                Some(Association::Dpor),
                format!("{} has {} of consumption in {m} and no association credits it; no partner of record is set", s.name, money(acr)),
                Fix {
                    summary: "Ask a subscription owner to set your location ID as partner of record, or fix the PAL link.".into(),
                    link: Some(dpor_link(&s.id, &cx.location)),
                    email: Some(dpor_email(s, &cx.ws.partner.name, &cx.location)),
                    ..Fix::default()
                },
            );
        }
    }
}

fn claim_findings(cx: &mut Ctx, view: &Viewpoint, c: &Customer) {
    let att = &cx.rules.attribution;
    for claim in &c.cpor {
        if view.whose(&claim.partner_id) == Whose::Other {
            continue;
        }
        let Some(current) = claim.current() else {
            continue;
        };
        let subject = claim.id.as_str().to_owned();
        let path = "Partner Center → Incentives → Customer associations → Claims".to_owned();
        if view.whose(&claim.partner_id) == Whose::OurGlobalId {
            cx.push(
                "cpor.global_id",
                FindingSeverity::Error,
                Some(c),
                &subject,
                Some(Association::Cpor),
                format!(
                    "claim {} was made with the global ID; claims need a location ID",
                    claim.id
                ),
                Fix {
                    summary: format!("Submit a new claim with location ID {}.", cx.location),
                    portal_path: Some(path.clone()),
                    ..Fix::default()
                },
            );
        }
        if claim.area == ClaimArea::BusinessApplications
            && let Some(s) = claim
                .subscription
                .as_ref()
                .and_then(|id| c.subscription(id))
            && (s.offer == Offer::Csp || s.csp.is_some())
        {
            cx.push(
                "cpor.ba_on_csp",
                FindingSeverity::Error,
                Some(c),
                &subject,
                Some(Association::Cpor),
                format!("claim {} is on {}, a CSP-purchased subscription; Business Applications claims on CSP subscriptions are rejected", claim.id, s.name),
                Fix { summary: "Withdraw the claim: CSP already associates you with this subscription.".into(), portal_path: Some(path.clone()), ..Fix::default() },
            );
            continue;
        }
        match current.status {
            ClaimStatus::Draft => cx.push(
                "cpor.draft",
                FindingSeverity::Info,
                Some(c),
                &subject,
                Some(Association::Cpor),
                format!("claim {} is still a draft since {}: it earns nothing until submitted and approved", claim.id, current.on),
                Fix {
                    summary: "Attach the proof of execution (e.g. the signed statement of work) and submit the claim.".into(),
                    portal_path: Some(path.clone()),
                    ..Fix::default()
                },
            ),
            ClaimStatus::PartnerActionRequired => {
                let deadline = current.on.plus_business_days(att.cpor_partner_action_business_days.value);
                let left = business_days_between(cx.today, deadline);
                let severity = if left <= att.cpor_deadline_near_business_days.value {
                    FindingSeverity::Error
                } else {
                    FindingSeverity::Warning
                };
                cx.push(
                    "cpor.partner_action_required",
                    severity,
                    Some(c),
                    &subject,
                    Some(Association::Cpor),
                    if cx.today > deadline {
                        format!(
                            "claim {} needed your action by {deadline} (asked on {}); the deadline has passed, so unless you answered in time Partner Center rejects it",
                            claim.id, current.on
                        )
                    } else {
                        format!(
                            "claim {} needs your action since {}; answer by {deadline} ({left} business day{} left) or it is rejected",
                            claim.id,
                            current.on,
                            if left == 1 { "" } else { "s" }
                        )
                    },
                    Fix {
                        summary: if cx.today > deadline {
                            format!("Open the claim: if it is still open, answer the reviewer's request now; if it was rejected, dispute it once within {} days with the missing proof of execution.", att.cpor_dispute_days.value)
                        } else {
                            "Open the claim, answer the reviewer's request and add any missing proof of execution.".into()
                        },
                        portal_path: Some(path.clone()),
                        deadline: Some(deadline),
                        ..Fix::default()
                    },
                );
            }
            ClaimStatus::Rejected => {
                let until = current.on.plus_days(i64::from(att.cpor_dispute_days.value));
                if cx.today <= until {
                    cx.push(
                        "cpor.dispute_window",
                        FindingSeverity::Warning,
                        Some(c),
                        &subject,
                        Some(Association::Cpor),
                        format!("claim {} was rejected on {}; it can be disputed once, until {until}", claim.id, current.on),
                        Fix {
                            summary: "Dispute with stronger or more recent proof of execution, or accept and file a new claim later.".into(),
                            portal_path: Some(path.clone()),
                            deadline: Some(until),
                            ..Fix::default()
                        },
                    );
                }
            }
            _ => {}
        }
        // Competing claims of other partners on the same workload or subscription.
        for other in c
            .cpor
            .iter()
            .filter(|o| view.whose(&o.partner_id) == Whose::Other && o.area == claim.area)
        {
            let overlap: Vec<&String> = match claim.area {
                ClaimArea::ModernWorkSecurity => claim
                    .workloads
                    .iter()
                    .filter(|w| other.workloads.contains(w))
                    .collect(),
                ClaimArea::BusinessApplications => Vec::new(),
            };
            let same_sub = claim.area == ClaimArea::BusinessApplications
                && claim.subscription.is_some()
                && claim.subscription == other.subscription;
            let live = other.current().is_some_and(|e| {
                !matches!(
                    e.status,
                    ClaimStatus::Rejected | ClaimStatus::RejectedFinal | ClaimStatus::Draft
                )
            });
            if (overlap.is_empty() && !same_sub) || !live {
                continue;
            }
            let what = if same_sub {
                "the same subscription".to_owned()
            } else {
                overlap
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let status = other
                .current()
                .map(|e| e.status.as_str().replace('_', " "))
                .unwrap_or_default();
            cx.push(
                "cpor.competing",
                FindingSeverity::Warning,
                Some(c),
                &subject,
                Some(Association::Cpor),
                format!("{} also claims {what} ({status}, claim {}); one partner per workload is approved, on the quality and recency of proof of execution", cx.ws.partner_name(&other.partner_id), other.id),
                Fix {
                    summary: "Make sure your claim carries recent, customer-signed proof of execution; arbitration decides on it.".into(),
                    portal_path: Some(path.clone()),
                    ..Fix::default()
                },
            );
        }
    }
}

fn cua_findings(cx: &mut Ctx, c: &Customer) {
    for u in &c.usage {
        let Some(dep) = &u.deployed_with else {
            continue;
        };
        let registered = cx.ws.cua_guids.iter().find(|g| g.guid == dep.guid);
        let subject = dep.guid.as_str().to_owned();
        let snippet = cua_snippet(&dep.guid);
        match registered.and_then(|g| g.registered.map(|r| (g, r))) {
            None => cx.push(
                "cua.unregistered",
                FindingSeverity::Error,
                Some(c),
                &subject,
                None,
                format!("{} was deployed with GUID {} on {}, which is not registered in Partner Center: the usage is discarded", u.service, dep.guid, dep.on),
                Fix {
                    summary: "Register the GUID for the offer in Partner Center; only deployments made after registration are attributed.".into(),
                    portal_path: Some("Partner Center → Marketplace offers → your offer → Customer usage attribution (CUA) → Add tracking GUID".into()),
                    snippet: Some(snippet),
                    ..Fix::default()
                },
            ),
            Some((g, reg)) if reg > dep.on => cx.push(
                "cua.registered_late",
                FindingSeverity::Warning,
                Some(c),
                &subject,
                None,
                format!("{} was deployed on {} with GUID {} ({}), registered only on {reg}: nothing attaches retroactively", u.service, dep.on, dep.guid, g.offer),
                Fix {
                    summary: "Redeploy (or deploy new resources) with the registered GUID to attribute future usage.".into(),
                    snippet: Some(snippet),
                    ..Fix::default()
                },
            ),
            Some(_) if dep.via == DeployVia::ArmNested => cx.push(
                "cua.nested_only",
                FindingSeverity::Warning,
                Some(c),
                &subject,
                None,
                format!("{}'s GUID {} is only in a nested or linked template; CUA reads the main template", u.service, dep.guid),
                Fix { summary: "Move the pid-<GUID> deployment resource to the main template.".into(), snippet: Some(snippet), ..Fix::default() },
            ),
            Some(_) => {}
        }
    }
}

/// The CUA tracking snippets for a GUID.
pub fn cua_snippet(guid: &Guid) -> String {
    format!(
        "ARM (main template):\n{{\n  \"type\": \"Microsoft.Resources/deployments\",\n  \"apiVersion\": \"2021-04-01\",\n  \"name\": \"pid-{guid}\",\n  \"properties\": {{ \"mode\": \"Incremental\", \"template\": {{ \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"resources\": [] }} }}\n}}\n\n\
         Bicep:\nresource partnerAttribution 'Microsoft.Resources/deployments@2021-04-01' = {{\n  name: 'pid-{guid}'\n  properties: {{ mode: 'Incremental', template: {{ '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources: [] }} }}\n}}\n\n\
         Terraform (azurerm provider):\nprovider \"azurerm\" {{\n  features {{}}\n  partner_id = \"{guid}\"\n}}"
    )
}

fn people_findings(cx: &mut Ctx) {
    let warn_days = i64::from(cx.rules.attribution.certification_expiry_warning_days.value);
    let report_days = i64::from(cx.rules.attribution.certification_expired_report_days.value);
    for person in &cx.ws.people {
        let active: Vec<&Certification> = person
            .certifications
            .iter()
            .filter(|c| c.earned <= cx.today && c.expires.is_none_or(|e| e > cx.today))
            .collect();
        if !person.linked && !active.is_empty() {
            cx.out.push(Finding {
                code: "cert.not_linked",
                severity: FindingSeverity::Warning,
                customer: None,
                subject: person.id.as_str().to_owned(),
                message: format!("{} holds {} active certification{} that do not count: their Microsoft Learn profile is not linked to your Partner Center account", person.name, active.len(), if active.len() == 1 { "" } else { "s" }),
                fix: Fix {
                    summary: format!("Ask {} to link their Learn profile: Partner Center → Account settings → Users → {} → Associate Microsoft Learn profile (or the invitation in Learn).", person.name, person.name),
                    portal_path: Some("Partner Center → Account settings → Users".into()),
                    ..Fix::default()
                },
                mechanism: None,
            });
        }
        for cert in &person.certifications {
            let name = cx.rules.certification_name(&cert.cert);
            if let Some(r) = cx.rules.retirement_status(&cert.cert, cx.today) {
                use crate::rules::RetirementStage;
                let until = r.counts_until;
                match r.stage {
                    RetirementStage::Ended => {
                        cx.out.push(Finding {
                            code: "cert.retired",
                            severity: FindingSeverity::Info,
                            customer: None,
                            subject: person.id.as_str().to_owned(),
                            message: format!(
                                "{}'s {name} no longer counts for any designation: Microsoft retired it on {} and it counted until {until}",
                                person.name, r.retires
                            ),
                            fix: Fix {
                                summary: "Plan the replacement certification for the same skilling step.".into(),
                                ..Fix::default()
                            },
                            mechanism: None,
                        });
                        continue;
                    }
                    RetirementStage::Ending => cx.out.push(Finding {
                        code: "cert.retiring",
                        severity: FindingSeverity::Warning,
                        customer: None,
                        subject: person.id.as_str().to_owned(),
                        message: format!(
                            "{}'s {name} retired on {} and stops counting after {until}",
                            person.name, r.retires
                        ),
                        fix: Fix {
                            summary: "Earn the certification that replaces it on the same skilling step before then.".into(),
                            deadline: Some(until),
                            ..Fix::default()
                        },
                        mechanism: None,
                    }),
                    RetirementStage::Counting => {}
                }
            }
            match cert.expires {
                Some(exp) if exp <= cx.today && exp > cx.today.plus_days(-report_days) => cx.out.push(Finding {
                    code: "cert.expired",
                    severity: FindingSeverity::Warning,
                    customer: None,
                    subject: person.id.as_str().to_owned(),
                    message: format!("{}'s {name} expired on {exp} and no longer counts", person.name),
                    fix: Fix { summary: "Renew it on Microsoft Learn (free online assessment) to count again.".into(), ..Fix::default() },
                    mechanism: None,
                }),
                Some(exp) if exp > cx.today && exp <= cx.today.plus_days(warn_days) => cx.out.push(Finding {
                    code: "cert.expiring",
                    severity: FindingSeverity::Info,
                    customer: None,
                    subject: person.id.as_str().to_owned(),
                    message: format!("{}'s {name} expires on {exp}", person.name),
                    fix: Fix { summary: "Renew it on Microsoft Learn before it expires (the renewal opens six months before).".into(), deadline: Some(exp), ..Fix::default() },
                    mechanism: None,
                }),
                _ => {}
            }
        }
    }
}

/// Business days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not later.
pub fn business_days_between(from: Date, to: Date) -> u32 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.plus_days(1);
        if d.weekday() < 5 {
            n += 1;
        }
    }
    n
}
