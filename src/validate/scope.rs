//! Azure resource scopes and which role assignment covers which resource.

/// How to write a scope, for error messages.
pub const SCOPE_HELP: &str = "expected an Azure scope such as /subscriptions/<subscription id>/resourceGroups/<group>, \
/subscriptions/<subscription id>, or /providers/Microsoft.Management/managementGroups/<group>";

/// A parsed Azure scope: its path segments, lower-cased for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzureScope {
    segments: Vec<String>,
    kind: ScopeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// `/` or a management group: covers every subscription of the customer (we do not
    /// model the management group tree, so a group is taken to hold them all).
    Tenant,
    Subscription,
    ResourceGroup,
    Resource,
}

impl AzureScope {
    pub fn parse(s: &str) -> Option<AzureScope> {
        let rest = s.strip_prefix('/')?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty() {
            return Some(AzureScope {
                segments: Vec::new(),
                kind: ScopeKind::Tenant,
            });
        }
        let segments: Vec<String> = rest.split('/').map(str::to_ascii_lowercase).collect();
        if segments.iter().any(|x| x.is_empty() || x.trim() != x) {
            return None;
        }
        let kind = match segments.as_slice() {
            [p, ns, mg, _name]
                if p == "providers" && ns == "microsoft.management" && mg == "managementgroups" =>
            {
                ScopeKind::Tenant
            }
            [s, id] if s == "subscriptions" && crate::model::Guid::parse(id).is_some() => {
                ScopeKind::Subscription
            }
            [s, id, rg, _]
                if s == "subscriptions"
                    && crate::model::Guid::parse(id).is_some()
                    && rg == "resourcegroups" =>
            {
                ScopeKind::ResourceGroup
            }
            [s, id, rg, _, p, _ns, _ty, _name, ..]
                if s == "subscriptions"
                    && crate::model::Guid::parse(id).is_some()
                    && rg == "resourcegroups"
                    && p == "providers" =>
            {
                ScopeKind::Resource
            }
            _ => return None,
        };
        Some(AzureScope { segments, kind })
    }

    pub fn kind(&self) -> ScopeKind {
        self.kind
    }

    /// The subscription GUID (lower case) the scope sits in, if any.
    pub fn subscription(&self) -> Option<&str> {
        match self.kind {
            ScopeKind::Tenant => None,
            _ => self.segments.get(1).map(String::as_str),
        }
    }

    /// The resource group name (lower case), if the scope is in one.
    pub fn resource_group(&self) -> Option<&str> {
        match self.kind {
            ScopeKind::ResourceGroup | ScopeKind::Resource => {
                self.segments.get(3).map(String::as_str)
            }
            _ => None,
        }
    }

    /// Whether a role on `self` covers `inner`: whole path segments, without case, so
    /// `rg-app` covers `rg-app/providers/...` but not `rg-app2`.
    pub fn covers(&self, inner: &AzureScope) -> bool {
        if self.kind == ScopeKind::Tenant {
            return true;
        }
        inner.segments.len() >= self.segments.len()
            && inner.segments[..self.segments.len()] == self.segments[..]
    }

    /// The short name people use: the resource group, the resource, or the subscription.
    pub fn short_name(&self) -> String {
        match self.kind {
            ScopeKind::Tenant => self
                .segments
                .last()
                .cloned()
                .unwrap_or_else(|| "tenant root".into()),
            ScopeKind::Subscription => format!("subscription {}", &self.segments[1]),
            ScopeKind::ResourceGroup => self.segments[3].clone(),
            ScopeKind::Resource => self.segments.last().cloned().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const SUB: &str = "/subscriptions/2b1d0c9e-aaaa-4bbb-8ccc-dddddddddddd";

    fn sc(s: &str) -> AzureScope {
        AzureScope::parse(s).unwrap_or_else(|| panic!("parse {s}"))
    }

    #[test]
    fn resource_group_prefix_respects_segments() {
        let role = sc(&format!("{SUB}/resourceGroups/rg-app"));
        assert!(role.covers(&sc(&format!("{SUB}/resourceGroups/rg-app"))));
        assert!(role.covers(&sc(&format!(
            "{SUB}/resourceGroups/RG-APP/providers/Microsoft.Sql/servers/s1"
        ))));
        assert!(!role.covers(&sc(&format!("{SUB}/resourceGroups/rg-app2"))));
        assert!(!role.covers(&sc(SUB)));
    }

    #[test]
    fn subscription_and_management_group_cover_below() {
        assert!(sc(SUB).covers(&sc(&format!("{SUB}/resourceGroups/x"))));
        let mg = sc("/providers/Microsoft.Management/managementGroups/root");
        assert_eq!(mg.kind(), ScopeKind::Tenant);
        assert!(mg.covers(&sc(SUB)));
    }

    #[test]
    fn rejects_malformed_scopes() {
        for bad in [
            "subscriptions/x",
            "/subscriptions/not-a-guid",
            "/subscriptions//x",
            "/foo/bar",
            "",
        ] {
            assert!(AzureScope::parse(bad).is_none(), "{bad}");
        }
    }
}
