//! The tenant inventory (JSON): `az account show` (B1), role assignments (B2), the PAL link
//! of the signed-in identity (B3), Lighthouse delegations (B4), PIM eligibility (B5), each
//! alone or in the collector's bundle (B6). Azure CLI and Az PowerShell spellings both read.

use super::facts::{FileFacts, IdentityFacts, PalFacts, RoleFacts, RowProblem};
use super::table::parse_date;
use crate::model::*;
use crate::rules::names::Names;
use serde_json::{Map, Value};

pub const BUNDLE_FORMAT: &str = "pcs-workbench/tenant-inventory";

/// The first of `keys` that `obj` has as text (CLI and PowerShell spell fields differently).
fn text<'v>(obj: &'v Map<String, Value>, keys: &[&str]) -> Option<&'v str> {
    keys.iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn has(obj: &Map<String, Value>, keys: &[&str]) -> bool {
    keys.iter().any(|k| obj.contains_key(*k))
}

const PRINCIPAL_ID: &[&str] = &["principalId", "ObjectId", "PrincipalId"];
const ROLE_NAME: &[&str] = &["roleDefinitionName", "RoleDefinitionName"];
const ROLE_ID: &[&str] = &["roleDefinitionId", "RoleDefinitionId"];
const SCOPE: &[&str] = &["scope", "Scope"];
const PARTNER_ID: &[&str] = &["partnerId", "PartnerId"];
const OBJECT_ID: &[&str] = &["objectId", "ObjectId"];

/// The JSON shapes the importers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Bundle,
    Account,
    RoleAssignments,
    ManagementPartner,
    Lighthouse,
    Pim,
}

impl Shape {
    pub fn kind(self) -> ImportKind {
        match self {
            Shape::Bundle => ImportKind::TenantInventory,
            Shape::Account => ImportKind::Account,
            Shape::RoleAssignments => ImportKind::RoleAssignments,
            Shape::ManagementPartner => ImportKind::ManagementPartner,
            Shape::Lighthouse => ImportKind::Lighthouse,
            Shape::Pim => ImportKind::PimEligibility,
        }
    }
}

fn first_object(v: &Value) -> Option<&Map<String, Value>> {
    match v {
        Value::Array(a) => a.iter().find_map(Value::as_object),
        Value::Object(o) => Some(o),
        _ => None,
    }
}

/// Which of the inventory outputs a JSON value is, if any.
pub fn shape(v: &Value) -> Option<Shape> {
    if v.get("format").and_then(Value::as_str) == Some(BUNDLE_FORMAT) {
        return Some(Shape::Bundle);
    }
    if let Some(values) = v.get("value").filter(|x| x.is_array()) {
        // `az rest` wraps lists in { "value": [...] }.
        let o = first_object(values)?;
        let p = o.get("properties").and_then(Value::as_object).unwrap_or(o);
        if has(p, &["memberType"]) && has(p, &["roleDefinitionId"]) {
            return Some(Shape::Pim);
        }
        if has(p, PARTNER_ID) {
            return Some(Shape::ManagementPartner);
        }
        return None;
    }
    if matches!(v, Value::Array(a) if a.is_empty()) {
        // An empty list is a valid role assignment list (nothing assigned).
        return Some(Shape::RoleAssignments);
    }
    let o = first_object(v)?;
    let props = o.get("properties").and_then(Value::as_object);
    if props.is_some_and(|p| p.contains_key("registrationDefinition")) {
        return Some(Shape::Lighthouse);
    }
    if props.is_some_and(|p| has(p, &["memberType"]) && has(p, &["roleDefinitionId"])) {
        return Some(Shape::Pim);
    }
    if has(o, PRINCIPAL_ID) && (has(o, ROLE_NAME) || has(o, ROLE_ID)) && has(o, SCOPE) {
        return Some(Shape::RoleAssignments);
    }
    let mp = props.unwrap_or(o);
    if has(mp, PARTNER_ID) && has(mp, OBJECT_ID) {
        return Some(Shape::ManagementPartner);
    }
    if has(o, &["tenantId", "TenantId"])
        && has(o, &["id", "Id"])
        && has(o, &["user", "homeTenantId", "Account"])
    {
        return Some(Shape::Account);
    }
    None
}

/// A problem at a JSON path (the inventory is JSON: no lines to point at).
fn at(path: String, message: impl Into<String>) -> RowProblem {
    RowProblem {
        line: 0,
        column: None,
        header: Some(path),
        message: message.into(),
    }
}

/// The `az account show` of one tenant: the subscription and who is signed in.
struct Account {
    tenant: Guid,
    home_tenant: Option<Guid>,
    subscription: Option<(Guid, Option<String>)>,
    tenant_name: Option<String>,
    user: Option<(String, String)>,
}

fn read_account(o: &Map<String, Value>) -> Option<Account> {
    let tenant = Guid::parse(text(o, &["tenantId", "TenantId"])?)?;
    let subscription = text(o, &["id", "Id"])
        .and_then(Guid::parse)
        .map(|id| (id, text(o, &["name", "Name"]).map(str::to_owned)));
    let user = o.get("user").and_then(Value::as_object).and_then(|u| {
        Some((
            text(u, &["name"])?.to_owned(),
            text(u, &["type"]).unwrap_or("user").to_owned(),
        ))
    });
    Some(Account {
        tenant,
        home_tenant: text(o, &["homeTenantId", "HomeTenantId"]).and_then(Guid::parse),
        subscription,
        tenant_name: text(o, &["tenantDisplayName", "TenantDisplayName"]).map(str::to_owned),
        user,
    })
}

/// `ada_contoso.example#EXT#@fabrikam.onmicrosoft.com` → `ada@contoso.example`; a member's
/// UPN is its own address.
pub fn home_address(upn: &str) -> Option<String> {
    let upn = upn.trim().to_lowercase();
    if let Some((local, _)) = upn.split_once("#ext#") {
        let (user, domain) = local.rsplit_once('_')?;
        return Some(format!("{user}@{domain}"));
    }
    upn.contains('@').then_some(upn)
}

fn domain(address: &str) -> Option<&str> {
    address.rsplit_once('@').map(|(_, d)| d)
}

/// Why an identity of the inventory belongs in the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The signed-in identity, a Lighthouse delegate, or a guest from the partner's domain.
    Ours,
    /// Kept only if the workspace already knows its object id or its e-mail is a person's.
    IfKnown,
}

/// The inventory's identities, each with why it may be ours.
pub type Ours = std::collections::BTreeMap<(String, String), Claim>;

/// Everything read from one inventory file before it becomes facts.
pub struct Inventory<'n> {
    names: &'n Names,
    pub facts: FileFacts,
    /// (tenant, object id) → why it belongs.
    pub ours: Ours,
    /// Partner domains (of the signed-in accounts).
    domains: Vec<String>,
    /// PAL links read in the partner's own tenants: (home tenant, object id) → link.
    home_links: Vec<(String, String, PalFacts)>,
    /// Lighthouse delegates: (customer tenant, object id, managing tenant).
    delegates: Vec<(String, String, String)>,
}

impl<'n> Inventory<'n> {
    pub fn new(file: &str, kind: ImportKind, names: &'n Names) -> Inventory<'n> {
        Inventory {
            names,
            facts: FileFacts::new(file, kind),
            ours: Ours::new(),
            domains: Vec::new(),
            home_links: Vec::new(),
            delegates: Vec::new(),
        }
    }

    /// Read a value of `shape`.
    pub fn read(&mut self, v: &Value, shape: Shape) {
        match shape {
            Shape::Bundle => self.bundle(v),
            Shape::Account => {
                if let Some(a) = v.as_object().and_then(read_account) {
                    self.account(&a);
                }
            }
            Shape::RoleAssignments => self.role_assignments(v),
            Shape::ManagementPartner => {
                let list: Vec<&Value> = match v.get("value").and_then(Value::as_array) {
                    Some(a) => a.iter().collect(),
                    None => vec![v],
                };
                for item in list {
                    self.management_partner(item, None, "");
                }
            }
            Shape::Lighthouse => self.lighthouse(v, ""),
            Shape::Pim => self.pim(v, None, ""),
        }
    }

    fn bundle(&mut self, v: &Value) {
        let Some(tenants) = v.get("tenants").and_then(Value::as_array) else {
            self.facts
                .refuse(at("tenants".into(), "the bundle has no \"tenants\" list"));
            return;
        };
        // Accounts first: they say which tenants are the partner's own and its domains.
        let accounts: Vec<Option<Account>> = tenants
            .iter()
            .map(|t| {
                t.get("account")
                    .and_then(Value::as_object)
                    .and_then(read_account)
            })
            .collect();
        for a in accounts.iter().flatten() {
            if let Some(h) = &a.home_tenant
                && !self.facts.partner.home_tenants.contains(h)
            {
                self.facts.partner.home_tenants.push(h.clone());
            }
            if let Some((name, _)) = &a.user
                && let Some(d) = home_address(name).as_deref().and_then(domain)
                && !self.domains.iter().any(|x| x == d)
            {
                self.domains.push(d.to_owned());
            }
        }
        for (i, t) in tenants.iter().enumerate() {
            self.facts.rows += 1;
            let path = format!("tenants[{i}]");
            let Some(id) = t
                .get("tenant_id")
                .and_then(Value::as_str)
                .and_then(Guid::parse)
            else {
                self.facts.refuse(at(
                    format!("{path}.tenant_id"),
                    "expected the tenant's GUID",
                ));
                continue;
            };
            let home = self.facts.partner.home_tenants.contains(&id);
            if let Some(err) = t.get("error").and_then(Value::as_str) {
                self.facts.notes.push(format!(
                    "tenant {id} could not be read by the collector: {err}"
                ));
                if !home {
                    self.facts.tenant(&id).error = Some(err.to_owned());
                }
                continue;
            }
            if let Some(a) = &accounts[i]
                && !home
            {
                self.account(a);
            }
            if let Some(subs) = t.get("subscriptions").and_then(Value::as_array)
                && !home
            {
                for s in subs.iter().filter_map(Value::as_object) {
                    if let Some(sid) = text(s, &["id", "subscriptionId"]).and_then(Guid::parse) {
                        let name = text(s, &["name", "displayName"]).map(str::to_owned);
                        let sf = self.facts.tenant(&id).subscription(&sid);
                        if sf.name.is_none() {
                            sf.name = name;
                        }
                    }
                }
            }
            let signed_in = accounts[i].as_ref().and_then(|a| a.user.clone());
            if let Some(mp) = t.get("management_partner").filter(|m| !m.is_null()) {
                // One link, or a `{ "value": [...] }` list of them.
                let links: Vec<&Value> = match mp.get("value").and_then(Value::as_array) {
                    Some(list) => list.iter().collect(),
                    None => vec![mp],
                };
                for link in links {
                    self.management_partner(link, Some(&id), &format!("{path}.management_partner"));
                }
            }
            if home {
                // The partner's own tenant is not a customer: its links serve Lighthouse.
                continue;
            }
            if let Some(ra) = t.get("role_assignments") {
                self.role_assignments_in(
                    ra,
                    &id,
                    &format!("{path}.role_assignments"),
                    signed_in.as_ref(),
                );
            }
            if let Some(lh) = t.get("lighthouse_assignments") {
                self.lighthouse(lh, &format!("{path}.lighthouse_assignments"));
            }
            if let Some(pim) = t.get("pim_eligibility") {
                self.pim(pim, Some(&id), &format!("{path}.pim_eligibility"));
            }
        }
        let home: Vec<String> = self
            .facts
            .partner
            .home_tenants
            .iter()
            .map(Guid::key)
            .collect();
        self.facts.tenants.retain(|k, _| !home.contains(k));
    }

    fn account(&mut self, a: &Account) {
        self.facts.rows += 1;
        if let Some(h) = &a.home_tenant
            && *h != a.tenant
            && !self.facts.partner.home_tenants.contains(h)
        {
            self.facts.partner.home_tenants.push(h.clone());
        }
        let t = self.facts.tenant(&a.tenant);
        if t.name.is_none() {
            t.name = a.tenant_name.clone();
        }
        if let Some((sid, name)) = &a.subscription {
            let s = t.subscription(sid);
            if s.name.is_none() {
                s.name = name.clone();
            }
        }
    }

    fn role_assignments_in(
        &mut self,
        v: &Value,
        tenant: &Guid,
        path: &str,
        signed_in: Option<&(String, String)>,
    ) {
        let list = v.as_array().map(Vec::as_slice).unwrap_or_default();
        for (j, item) in list.iter().enumerate() {
            self.role(item, Some(tenant), &format!("{path}[{j}]"), signed_in, None);
        }
    }

    /// A role assignment list without a tenant (standalone B2): placed by its scopes.
    fn role_assignments(&mut self, v: &Value) {
        let list = v.as_array().map(Vec::as_slice).unwrap_or_default();
        for (j, item) in list.iter().enumerate() {
            self.role(item, None, &format!("[{j}]"), None, None);
        }
    }

    /// One role assignment; `eligible` ones (PIM) carry their own start and end.
    fn role(
        &mut self,
        item: &Value,
        tenant: Option<&Guid>,
        path: &str,
        signed_in: Option<&(String, String)>,
        eligible: Option<(Option<Date>, Option<Date>)>,
    ) {
        self.facts.rows += 1;
        let Some(o) = item.as_object() else {
            self.facts.refuse(at(
                path.to_owned(),
                "expected a role assignment (an object)",
            ));
            return;
        };
        let Some(pid) = text(o, PRINCIPAL_ID).and_then(Guid::parse) else {
            self.facts.refuse(at(
                format!("{path}.principalId"),
                "expected the principal's object id (a GUID)",
            ));
            return;
        };
        let Some(scope) = text(o, SCOPE) else {
            self.facts.refuse(at(
                format!("{path}.scope"),
                "the role assignment has no scope",
            ));
            return;
        };
        if crate::validate::scope::AzureScope::parse(scope).is_none() {
            self.facts.refuse(at(
                format!("{path}.scope"),
                crate::validate::scope::SCOPE_HELP,
            ));
            return;
        }
        let kind_text = text(o, &["principalType", "ObjectType"]).unwrap_or("User");
        let pname = text(
            o,
            &["principalName", "SignInName", "DisplayName", "displayName"],
        )
        .map(str::to_owned);
        let kind = match kind_text.to_ascii_lowercase().as_str() {
            "user"
                if pname
                    .as_deref()
                    .is_some_and(|n| n.to_ascii_lowercase().contains("#ext#")) =>
            {
                IdentityKind::GuestUser
            }
            "user" => IdentityKind::DirectoryUser,
            "serviceprincipal" => IdentityKind::ServicePrincipal,
            "group" | "foreigngroup" => IdentityKind::Group,
            _ => {
                self.facts
                    .skip("role assignments of devices and unknown principal types");
                return;
            }
        };
        let role = match text(o, ROLE_NAME) {
            Some(r) => r.to_owned(),
            None => self.role_name(text(o, ROLE_ID).unwrap_or_default()),
        };
        let (from, to) = match eligible {
            Some(dates) => dates,
            None => (
                text(o, &["createdOn", "CreatedOn"]).and_then(parse_date),
                None,
            ),
        };
        let email = pname.as_deref().and_then(home_address);
        let claim = match (signed_in, &email) {
            (Some((user, _)), Some(e)) if home_address(user).as_deref() == Some(e.as_str()) => {
                Claim::Ours
            }
            (_, Some(e))
                if domain(e).is_some_and(|d| self.domains.iter().any(|x| x == d))
                    && kind == IdentityKind::GuestUser =>
            {
                Claim::Ours
            }
            _ => Claim::IfKnown,
        };
        let facts = RoleFacts {
            role,
            scope: scope.to_owned(),
            from,
            to,
            eligible_only: eligible.is_some(),
        };
        match tenant {
            Some(t) => {
                let key = (t.key(), pid.key());
                let prev = self.ours.get(&key).copied();
                self.ours.insert(
                    key,
                    if prev == Some(Claim::Ours) {
                        Claim::Ours
                    } else {
                        claim
                    },
                );
                let idf = self.facts.tenant(t).identity(&pid);
                idf.kind = kind;
                if idf.name.is_none() {
                    idf.name = pname;
                }
                if idf.email.is_none() {
                    idf.email = email;
                }
                if !idf.roles.contains(&facts) {
                    idf.roles.push(facts);
                }
            }
            None => {
                let mut idf = IdentityFacts::new(pid);
                idf.kind = kind;
                idf.name = pname;
                idf.email = email;
                idf.roles.push(facts);
                self.facts.loose_identities.push(idf);
            }
        }
    }

    fn role_name(&mut self, definition: &str) -> String {
        match self.names.role_name(definition) {
            Some(n) => n.to_owned(),
            None => {
                let guid = definition
                    .rsplit('/')
                    .next()
                    .unwrap_or(definition)
                    .to_owned();
                self.facts.unknown_name("role definition", &guid, 0);
                format!("role definition {guid}")
            }
        }
    }

    /// B3: the PAL link of the identity signed in to `tenant` (or the file's own tenant).
    fn management_partner(&mut self, v: &Value, tenant: Option<&Guid>, path: &str) {
        self.facts.rows += 1;
        let Some(o0) = v.as_object() else {
            return;
        };
        let o = o0
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(o0);
        let Some(partner) =
            text(o, PARTNER_ID).and_then(|p| PartnerId::parse(p.strip_suffix(".0").unwrap_or(p)))
        else {
            self.facts.refuse(at(
                format!("{path}.partnerId"),
                "expected the linked partner ID (digits)",
            ));
            return;
        };
        let Some(object) = text(o, OBJECT_ID).and_then(Guid::parse) else {
            self.facts.refuse(at(
                format!("{path}.objectId"),
                "expected the linked identity's object id (a GUID)",
            ));
            return;
        };
        let Some(tenant) = tenant
            .cloned()
            .or_else(|| text(o, &["tenantId", "TenantId"]).and_then(Guid::parse))
        else {
            self.facts.refuse(at(
                format!("{path}.tenantId"),
                "the link does not say its tenant",
            ));
            return;
        };
        let Some(from) = text(o, &["createdTime", "CreatedTime"]).and_then(parse_date) else {
            self.facts.refuse(at(
                format!("{path}.createdTime"),
                "the link has no creation time",
            ));
            return;
        };
        let deleted =
            text(o, &["state", "State"]).is_some_and(|s| s.eq_ignore_ascii_case("deleted"));
        let to = deleted
            .then(|| text(o, &["updatedTime", "UpdatedTime"]).and_then(parse_date))
            .flatten();
        if self.facts.partner.home_tenants.contains(&tenant) {
            self.home_links.push((
                tenant.key(),
                object.key(),
                PalFacts {
                    partner,
                    from,
                    to,
                    tenant: LinkTenant::Home,
                },
            ));
            return;
        }
        self.ours.insert((tenant.key(), object.key()), Claim::Ours);
        let idf = self.facts.tenant(&tenant).identity(&object);
        let link = PalFacts {
            partner,
            from,
            to,
            tenant: LinkTenant::Customer,
        };
        if !idf.pal.contains(&link) {
            idf.pal.push(link);
        }
    }

    /// B4: Lighthouse delegations: the partner's delegates and their roles in the customer.
    fn lighthouse(&mut self, v: &Value, path: &str) {
        let list: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(o) => match o.get("value").and_then(Value::as_array) {
                Some(a) => a.iter().collect(),
                None => vec![v],
            },
            _ => Vec::new(),
        };
        for (j, item) in list.into_iter().enumerate() {
            self.facts.rows += 1;
            let p = format!("{path}[{j}]");
            let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
            let scope = id
                .split("/providers/Microsoft.ManagedServices")
                .next()
                .unwrap_or_default()
                .to_owned();
            let def = item
                .pointer("/properties/registrationDefinition/properties")
                .and_then(Value::as_object);
            let Some(def) = def else {
                self.facts.refuse(at(format!("{p}.properties"), "expected properties.registrationDefinition.properties (run with --include-definition true)"));
                continue;
            };
            let (Some(customer), Some(manager)) = (
                text(def, &["manageeTenantId"]).and_then(Guid::parse),
                text(def, &["managedByTenantId"]).and_then(Guid::parse),
            ) else {
                self.facts.refuse(at(
                    format!("{p}.properties"),
                    "the delegation does not name the customer and managing tenants",
                ));
                continue;
            };
            if crate::validate::scope::AzureScope::parse(&scope).is_none() {
                self.facts
                    .refuse(at(format!("{p}.id"), crate::validate::scope::SCOPE_HELP));
                continue;
            }
            if !self.facts.partner.home_tenants.contains(&manager) {
                self.facts.partner.home_tenants.push(manager.clone());
            }
            if let Some(sub) = crate::validate::scope_subscription(&scope) {
                self.facts.tenant(&customer).subscription(&sub);
            }
            for (key, eligible) in [("authorizations", false), ("eligibleAuthorizations", true)] {
                let auths = def
                    .get(key)
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                for a in auths.iter().filter_map(Value::as_object) {
                    let Some(pid) = text(a, &["principalId"]).and_then(Guid::parse) else {
                        continue;
                    };
                    let role = self.role_name(text(a, &["roleDefinitionId"]).unwrap_or_default());
                    let name = text(a, &["principalIdDisplayName"]).map(str::to_owned);
                    self.ours.insert((customer.key(), pid.key()), Claim::Ours);
                    self.delegates
                        .push((customer.key(), pid.key(), manager.key()));
                    let idf = self.facts.tenant(&customer).identity(&pid);
                    idf.kind = IdentityKind::Lighthouse;
                    if idf.name.is_none() {
                        idf.name = name;
                    }
                    let facts = RoleFacts {
                        role,
                        scope: scope.clone(),
                        from: None,
                        to: None,
                        eligible_only: eligible,
                    };
                    if !idf.roles.contains(&facts) {
                        idf.roles.push(facts);
                    }
                }
            }
        }
    }

    /// B5: PIM eligible (just-in-time) assignments: roles that do not count until activated.
    fn pim(&mut self, v: &Value, tenant: Option<&Guid>, path: &str) {
        // A list of instances, `{ "value": [...] }`, or (the collector) a list of those.
        let mut list: Vec<&Value> = Vec::new();
        let mut pending = vec![v];
        while let Some(x) = pending.pop() {
            match x {
                Value::Array(a) => pending.extend(a.iter().rev()),
                Value::Object(o) => match o.get("value").and_then(Value::as_array) {
                    Some(a) => pending.extend(a.iter().rev()),
                    None => list.push(x),
                },
                _ => {}
            }
        }
        for (j, item) in list.into_iter().enumerate() {
            let p = format!("{path}[{j}]");
            let o = item
                .get("properties")
                .and_then(Value::as_object)
                .or_else(|| item.as_object());
            let Some(o) = o else { continue };
            let role = self.role_name(text(o, &["roleDefinitionId"]).unwrap_or_default());
            let mut entry = serde_json::Map::new();
            for (k, val) in o {
                entry.insert(k.clone(), val.clone());
            }
            entry.insert("roleDefinitionName".into(), Value::String(role));
            let start = text(o, &["startDateTime"]).and_then(parse_date);
            let end = text(o, &["endDateTime"]).and_then(parse_date);
            self.role(&Value::Object(entry), tenant, &p, None, Some((start, end)));
        }
    }

    /// Join Lighthouse delegates to the PAL links made in their managing tenant.
    pub fn finish(mut self) -> (FileFacts, Ours) {
        for (customer, object, manager) in &self.delegates {
            let links: Vec<PalFacts> = self
                .home_links
                .iter()
                .filter(|(h, o, _)| h == manager && o == object)
                .map(|(_, _, l)| l.clone())
                .collect();
            if let Some(t) = self.facts.tenants.get_mut(customer)
                && let Some(idf) = t.identities.get_mut(object)
            {
                for l in links {
                    if !idf.pal.contains(&l) {
                        idf.pal.push(l);
                    }
                }
            }
        }
        (self.facts, self.ours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_names_read_as_their_home_address() {
        assert_eq!(
            home_address("Ada_Contoso.Example#EXT#@fabrikam.onmicrosoft.com").as_deref(),
            Some("ada@contoso.example")
        );
        assert_eq!(
            home_address("ops@contoso.example").as_deref(),
            Some("ops@contoso.example")
        );
        assert_eq!(home_address("8c1f0000-app-id"), None);
    }
}
