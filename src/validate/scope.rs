//! Azure resource scopes and which role assignment covers which resource.

/// How to write a scope, for error messages.
pub const SCOPE_HELP: &str = "expected an Azure scope such as /subscriptions/<subscription id>/resourceGroups/<group>, \
/subscriptions/<subscription id>, or /providers/Microsoft.Management/managementGroups/<group>";

/// A parsed Azure scope: its path without the outer slashes, lower-cased for comparison
/// (one string; the segments are read off it where needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzureScope {
    path: String,
    kind: ScopeKind,
    /// Where the second and fourth segments (the subscription, the resource group) sit in
    /// `path`, found while parsing: read for every usage line.
    second: (usize, usize),
    fourth: (usize, usize),
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
                path: String::new(),
                kind: ScopeKind::Tenant,
                second: (0, 0),
                fourth: (0, 0),
            });
        }
        // One pass: every segment non-empty and untrimmed, where the first five sit kept.
        let mut spans = [(0, 0); 5];
        let mut count = 0;
        let mut at = 0;
        for seg in rest.split('/') {
            // Untrimmed: neither end is white space (`seg.trim() != seg`, without the scan).
            let untrimmed = |c: Option<char>| c.is_some_and(char::is_whitespace);
            if seg.is_empty() || untrimmed(seg.chars().next()) || untrimmed(seg.chars().next_back())
            {
                return None;
            }
            if let Some(span) = spans.get_mut(count) {
                *span = (at, at + seg.len());
            }
            at += seg.len() + 1;
            count += 1;
        }
        let [a, b, c, _, e] = spans.map(|(x, y)| &rest[x..y]);
        let is = |x: &str, lower: &str| x.eq_ignore_ascii_case(lower);
        let guid = || crate::model::Guid::is_valid(b);
        let kind = if count == 4
            && is(a, "providers")
            && is(b, "microsoft.management")
            && is(c, "managementgroups")
        {
            ScopeKind::Tenant
        } else if !is(a, "subscriptions") || !guid() {
            return None;
        } else if count == 2 {
            ScopeKind::Subscription
        } else if !is(c, "resourcegroups") {
            return None;
        } else if count == 4 {
            ScopeKind::ResourceGroup
        } else if count >= 8 && is(e, "providers") {
            ScopeKind::Resource
        } else {
            return None;
        };
        Some(AzureScope {
            path: rest.to_ascii_lowercase(),
            kind,
            second: spans[1],
            fourth: spans[3],
        })
    }

    pub fn kind(&self) -> ScopeKind {
        self.kind
    }

    fn span(&self, (a, b): (usize, usize)) -> Option<&str> {
        self.path.get(a..b)
    }

    /// The subscription GUID (lower case) the scope sits in, if any.
    pub fn subscription(&self) -> Option<&str> {
        match self.kind {
            ScopeKind::Tenant => None,
            _ => self.span(self.second),
        }
    }

    /// The resource group name (lower case), if the scope is in one.
    pub fn resource_group(&self) -> Option<&str> {
        match self.kind {
            ScopeKind::ResourceGroup | ScopeKind::Resource => self.span(self.fourth),
            _ => None,
        }
    }

    /// Whether a role on `self` covers `inner`: whole path segments, without case, so
    /// `rg-app` covers `rg-app/providers/...` but not `rg-app2`.
    pub fn covers(&self, inner: &AzureScope) -> bool {
        if self.kind == ScopeKind::Tenant {
            return true;
        }
        inner.path.starts_with(&self.path)
            && (inner.path.len() == self.path.len()
                || inner.path.as_bytes()[self.path.len()] == b'/')
    }

    /// The short name people use: the resource group, the resource, or the subscription.
    pub fn short_name(&self) -> String {
        let last = self.path.rsplit('/').next().unwrap_or_default();
        match self.kind {
            ScopeKind::Tenant if self.path.is_empty() => "tenant root".into(),
            ScopeKind::Subscription => format!("subscription {last}"),
            ScopeKind::ResourceGroup | ScopeKind::Tenant | ScopeKind::Resource => last.to_owned(),
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
    fn the_subscription_and_resource_group_are_read_off_the_scope() {
        let r = sc(&format!(
            "{SUB}/resourceGroups/RG-App/providers/Microsoft.Sql/servers/s1/"
        ));
        assert_eq!(r.subscription(), Some(&SUB["/subscriptions/".len()..]));
        assert_eq!(r.resource_group(), Some("rg-app"));
        assert_eq!(sc(SUB).resource_group(), None);
        let mg = sc("/providers/Microsoft.Management/managementGroups/root");
        assert_eq!(
            (mg.subscription(), mg.short_name()),
            (None, "root".to_owned())
        );
    }

    #[test]
    fn rejects_malformed_scopes() {
        for bad in [
            "subscriptions/x",
            "/subscriptions/not-a-guid",
            "/subscriptions//x",
            "/foo/bar",
            "",
            "/subscriptions/7c6e1f0a-1111-4222-8333-944455556666/resourceGroups/ rg",
            "/subscriptions/7c6e1f0a-1111-4222-8333-944455556666/resourceGroups/rg\u{a0}",
        ] {
            assert!(AzureScope::parse(bad).is_none(), "{bad}");
        }
        let spaced = "/subscriptions/7c6e1f0a-1111-4222-8333-944455556666/resourceGroups/r g";
        assert!(
            AzureScope::parse(spaced).is_some(),
            "a space inside a name is fine"
        );
    }
}
