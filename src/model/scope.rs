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

/// Where a segment sits in a scope's path (start, end).
type Span = (usize, usize);

/// The parts of a scope found in one pass over its text, before any copy: the path
/// without the outer slashes (as written), its kind and where its second and fourth
/// segments sit.
fn parts(s: &str) -> Option<(&str, ScopeKind, Span, Span)> {
    let rest = s.strip_prefix('/')?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Some((rest, ScopeKind::Tenant, (0, 0), (0, 0)));
    }
    // One pass over the bytes ('/' is ASCII, so every cut is a character boundary): every
    // segment non-empty and untrimmed, where the first five sit kept. The slashes are found
    // by `memchr`, many bytes at a time: a byte-by-byte scan was most of the instructions of
    // reading a scope, which attribution does for every usage line.
    let bytes = rest.as_bytes();
    let mut spans = [(0, 0); 5];
    let mut count = 0;
    let mut at = 0;
    for end in memchr::memchr_iter(b'/', bytes).chain(std::iter::once(bytes.len())) {
        if end == at || edge_is_space(&rest[at..end]) {
            return None;
        }
        if let Some(span) = spans.get_mut(count) {
            *span = (at, end);
        }
        count += 1;
        at = end + 1;
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
    Some((rest, kind, spans[1], spans[3]))
}

/// Whether a non-empty segment starts or ends with white space (`seg.trim() != seg`,
/// without the scan; a character is decoded only where an end is not ASCII).
fn edge_is_space(seg: &str) -> bool {
    let b = seg.as_bytes();
    // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed, return, space.
    let ascii_space = |c: u8| matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
    let space = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let (first, last) = (b[0], b[b.len() - 1]);
    (if first < 0x80 {
        ascii_space(first)
    } else {
        space(seg.chars().next())
    }) || (if last < 0x80 {
        ascii_space(last)
    } else {
        space(seg.chars().next_back())
    })
}

/// Whether a role on a scope of `kind` at `outer` covers the scope at `inner`: whole path
/// segments, without case.
fn path_covers(outer: &str, kind: ScopeKind, inner: &str) -> bool {
    if kind == ScopeKind::Tenant {
        return true;
    }
    let (outer, inner) = (outer.as_bytes(), inner.as_bytes());
    let n = outer.len();
    // The cheap tests first: most roles checked against a line cover it not, and fail on
    // where their path ends (a segment boundary in the line, the same last byte).
    inner.len() >= n
        && (inner.len() == n || inner[n] == b'/')
        && (n == 0 || inner[n - 1].eq_ignore_ascii_case(&outer[n - 1]))
        && inner[..n].eq_ignore_ascii_case(outer)
}

/// A scope read in place, as written (no copy): what attribution reads of every usage
/// line — its subscription, and which role scopes cover it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeRef<'a> {
    path: &'a str,
    kind: ScopeKind,
    second: (usize, usize),
    /// The subscription GUID's number ([`crate::model::Guid::number`]); none at the tenant
    /// or a management group.
    subscription: Option<u128>,
}

impl<'a> ScopeRef<'a> {
    pub fn parse(s: &'a str) -> Option<ScopeRef<'a>> {
        let (path, kind, second, _) = parts(s)?;
        let subscription = match kind {
            ScopeKind::Tenant => None,
            _ => path
                .get(second.0..second.1)
                .and_then(crate::model::Guid::number_of),
        };
        Some(ScopeRef {
            path,
            kind,
            second,
            subscription,
        })
    }

    /// [`AzureScope::covers`] for two scopes read in place (the comparison is without case
    /// on both sides, so neither needs a lower-cased copy).
    pub fn covers(&self, inner: &ScopeRef) -> bool {
        match (self.subscription, inner.subscription) {
            // Both in a subscription (`subscriptions/<guid>…`): the same one exactly when
            // the GUIDs' numbers are equal, and the paths then agree, without case, up to its
            // end; only what follows is compared. Most roles checked against a line sit in
            // another subscription of the customer, or in another resource group of this one.
            (Some(a), Some(b)) => {
                a == b
                    && path_covers(
                        &self.path[self.second.1..],
                        self.kind,
                        &inner.path[inner.second.1..],
                    )
            }
            _ => path_covers(self.path, self.kind, inner.path),
        }
    }

    /// The subscription GUID the scope sits in, if any, as written.
    pub fn subscription(&self) -> Option<&'a str> {
        match self.kind {
            ScopeKind::Tenant => None,
            _ => self.path.get(self.second.0..self.second.1),
        }
    }
}

/// A usage line's scope as written, read once when the line is made: attribution reads
/// every line's subscription and which role scopes cover it at each evaluation, and each
/// read of the text there was a trip to memory (the lines' strings lie apart); the parts
/// found are kept beside the text, which stays as written (what is saved, shown and edited).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Scope {
    text: String,
    read: Option<ReadScope>,
}

/// Where [`parts`] found a scope's parts in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ReadScope {
    kind: ScopeKind,
    /// The path without the outer slashes, in the text.
    path: (u32, u32),
    /// The second segment, in the path.
    second: (u32, u32),
    /// The subscription's GUID as a number ([`crate::model::Guid::number_of`]), halves high
    /// first; none for a tenant-wide scope.
    subscription: Option<[u64; 2]>,
}

impl Scope {
    pub fn new(text: impl Into<String>) -> Scope {
        let text = text.into();
        let read = u32::try_from(text.len()).ok().and_then(|_| {
            let (path, kind, second, _) = parts(&text)?;
            let start = path.as_ptr() as usize - text.as_ptr() as usize;
            let at = |x: usize| x as u32;
            let subscription = match kind {
                ScopeKind::Tenant => None,
                _ => path
                    .get(second.0..second.1)
                    .and_then(crate::model::Guid::number_of)
                    .map(|n| [(n >> 64) as u64, n as u64]),
            };
            Some(ReadScope {
                kind,
                path: (at(start), at(start + path.len())),
                second: (at(second.0), at(second.1)),
                subscription,
            })
        });
        Scope { text, read }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The scope's parts, when it is a valid Azure scope ([`ScopeRef::parse`] of the text,
    /// without reading it again).
    pub fn parts(&self) -> Option<ScopeRef<'_>> {
        let r = self.read?;
        Some(ScopeRef {
            path: self.text.get(r.path.0 as usize..r.path.1 as usize)?,
            kind: r.kind,
            second: (r.second.0 as usize, r.second.1 as usize),
            subscription: self.subscription_number(),
        })
    }

    /// The subscription GUID the scope sits in, as a number ([`crate::model::Guid::number`]):
    /// what attribution compares with the customer's subscriptions, without the text.
    pub fn subscription_number(&self) -> Option<u128> {
        let [high, low] = self.read?.subscription?;
        Some(u128::from(high) << 64 | u128::from(low))
    }
}

impl std::ops::Deref for Scope {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for Scope {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl From<String> for Scope {
    fn from(text: String) -> Scope {
        Scope::new(text)
    }
}

impl From<&str> for Scope {
    fn from(text: &str) -> Scope {
        Scope::new(text)
    }
}

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text, f)
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(d).map(Scope::new)
    }
}

impl super::json::FromJson for Scope {
    fn from_json(v: &serde_json::Value, cx: &mut super::json::Cx) -> Option<Self> {
        String::from_json(v, cx).map(Scope::new)
    }
}

impl AzureScope {
    pub fn parse(s: &str) -> Option<AzureScope> {
        let (rest, kind, second, fourth) = parts(s)?;
        Some(AzureScope {
            path: rest.to_ascii_lowercase(),
            kind,
            second,
            fourth,
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
        path_covers(&self.path, self.kind, &inner.path)
    }

    /// [`AzureScope::covers`] for a scope read in place.
    pub fn covers_ref(&self, inner: &ScopeRef) -> bool {
        path_covers(&self.path, self.kind, inner.path)
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

    /// The parse as first written (split on '/', trim compared per segment): the byte-level
    /// pass must agree with it on every kind and span.
    fn reference(s: &str) -> Option<(String, ScopeKind, Span, Span)> {
        let rest = s.strip_prefix('/')?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty() {
            return Some((String::new(), ScopeKind::Tenant, (0, 0), (0, 0)));
        }
        let mut spans = [(0, 0); 5];
        let mut at = 0;
        let segs: Vec<&str> = rest.split('/').collect();
        for (i, seg) in segs.iter().enumerate() {
            if seg.is_empty() || seg.trim() != *seg {
                return None;
            }
            if i < 5 {
                spans[i] = (at, at + seg.len());
            }
            at += seg.len() + 1;
        }
        let seg = |i: usize| segs.get(i).copied().unwrap_or("");
        let lower = |i: usize| seg(i).to_ascii_lowercase();
        let kind = if segs.len() == 4
            && lower(0) == "providers"
            && lower(1) == "microsoft.management"
            && lower(2) == "managementgroups"
        {
            ScopeKind::Tenant
        } else if lower(0) != "subscriptions" || crate::model::Guid::parse(seg(1)).is_none() {
            return None;
        } else if segs.len() == 2 {
            ScopeKind::Subscription
        } else if lower(2) != "resourcegroups" {
            return None;
        } else if segs.len() == 4 {
            ScopeKind::ResourceGroup
        } else if segs.len() >= 8 && lower(4) == "providers" {
            ScopeKind::Resource
        } else {
            return None;
        };
        Some((rest.to_ascii_lowercase(), kind, spans[1], spans[3]))
    }

    #[test]
    fn the_byte_level_parse_reads_what_the_split_parse_reads() {
        let g = "7c6e1f0a-1111-4222-8333-944455556666";
        let mut cases: Vec<String> = vec![
            "/".into(),
            "//".into(),
            "".into(),
            "x".into(),
            format!("/subscriptions/{g}"),
            format!("/SUBSCRIPTIONS/{}/", g.to_uppercase()),
            format!("/subscriptions/{g}//"),
            format!("/subscriptions/{g}/resourceGroups/rg"),
            format!("/subscriptions/{g}/resourcegroups/rg/providers/Microsoft.Sql/servers/s1"),
            format!("/subscriptions/{g}/resourceGroups/rg/providers/a/b"),
            format!("/subscriptions/{g}/resourceGroups/rg/other/a/b/c"),
            "/providers/Microsoft.Management/managementGroups/root".into(),
            "/providers/Microsoft.Management/managementGroups".into(),
            format!("/subscriptions/{g}x"),
        ];
        // Each edge of each segment: ASCII and Unicode white space, non-ASCII letters.
        for edge in [
            "", " ", "\t", "\u{0b}", "\u{0c}", "\r", "\n", "\u{a0}", "\u{2003}", "é", "\u{85}",
            "\u{1c}",
        ] {
            cases.push(format!("/subscriptions/{g}/resourceGroups/{edge}rg"));
            cases.push(format!("/subscriptions/{g}/resourceGroups/rg{edge}"));
            cases.push(format!("/subscriptions/{g}/resourceGroups/r{edge}g/"));
            cases.push(format!("/{edge}subscriptions/{g}"));
        }
        for case in &cases {
            let ours = AzureScope::parse(case).map(|s| (s.path, s.kind, s.second, s.fourth));
            assert_eq!(ours, reference(case), "{case:?}");
            assert_eq!(
                ScopeRef::parse(case).map(|s| s.subscription().map(str::to_ascii_lowercase)),
                AzureScope::parse(case).map(|s| s.subscription().map(str::to_owned)),
                "{case:?}"
            );
            // A usage line's scope keeps what the parse found beside its text.
            let kept = Scope::new(case.as_str());
            assert_eq!(kept.parts(), ScopeRef::parse(case), "{case:?}");
            assert_eq!(kept.as_str(), case);
            assert_eq!(
                kept.subscription_number(),
                ScopeRef::parse(case)
                    .and_then(|s| s.subscription())
                    .map(|g| crate::model::Guid::number_of(g).expect("a GUID")),
                "{case:?}"
            );
        }
    }

    #[test]
    fn a_kept_scope_is_written_and_read_back_as_its_text() {
        let g = "7c6e1f0a-1111-4222-8333-944455556666";
        for text in [
            format!("/subscriptions/{g}/resourceGroups/RG-App/"),
            "not a scope".to_owned(),
            "/".to_owned(),
        ] {
            let kept = Scope::new(text.as_str());
            let json = serde_json::to_string(&kept).expect("written");
            assert_eq!(json, serde_json::to_string(&text).expect("written"));
            let back: Scope = serde_json::from_str(&json).expect("read");
            assert_eq!(back, kept);
            let mut cx = crate::model::json::Cx::default();
            let decoded = <Scope as crate::model::json::FromJson>::from_json(
                &serde_json::Value::String(text.clone()),
                &mut cx,
            );
            assert_eq!(decoded.as_ref().and_then(Scope::parts), kept.parts());
        }
        // The parts point into the kept text, not into the one it was made from.
        let kept = Scope::new(format!("/subscriptions/{g}/resourceGroups/rg"));
        let copy = kept.clone();
        drop(kept);
        assert_eq!(copy.parts().and_then(|p| p.subscription()), Some(g));
    }

    #[test]
    fn a_scope_read_in_place_is_covered_as_its_lower_cased_copy() {
        let g = "7c6e1f0a-1111-4222-8333-944455556666";
        // Another subscription, one digit apart, with the same resource group names: the
        // kept scopes tell subscriptions apart by number and compare only what follows.
        let h = "7c6e1f0a-1111-4222-8333-944455556667";
        let scopes = [
            format!("/subscriptions/{g}"),
            format!("/subscriptions/{}", g.to_uppercase()),
            format!("/subscriptions/{g}/resourceGroups/RG-App"),
            format!("/SUBSCRIPTIONS/{}/resourcegroups/rg-app/", g.to_uppercase()),
            format!("/subscriptions/{g}/resourceGroups/rg-app2"),
            format!("/subscriptions/{g}/resourceGroups/rg-APP/providers/Microsoft.Sql/servers/S1"),
            format!("/subscriptions/{h}"),
            format!("/subscriptions/{h}/resourceGroups/RG-App"),
            format!("/subscriptions/{h}/resourceGroups/rg-app/providers/Microsoft.Sql/servers/S1"),
            "/providers/Microsoft.Management/managementGroups/root".into(),
            "/".into(),
        ];
        for outer in &scopes {
            for inner in &scopes {
                let (o, i) = (sc(outer), sc(inner));
                let r = ScopeRef::parse(inner).expect("valid");
                assert_eq!(o.covers_ref(&r), o.covers(&i), "{outer} over {inner}");
                let kept = Scope::new(outer.as_str());
                let read = kept.parts().expect("valid");
                assert_eq!(read.covers(&r), o.covers(&i), "{outer} over {inner}, kept");
            }
        }
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
