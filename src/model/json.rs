//! Strict decoding from JSON that collects every problem with its JSON path.
//!
//! serde's derive stops at the first error; a partner fixing a file wants all of them,
//! each with a path like `customers[2].subscriptions[0].offer`. So records decode
//! through [`FromJson`], which records problems in a [`Cx`] and keeps going.

use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// How bad a diagnostic is: errors block an import, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a file, at a JSON path, in words a partner understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON path such as `customers[2].subscriptions[0].offer`; empty for the whole file.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(file)"
        } else {
            &self.path
        };
        match self.severity {
            Severity::Error => write!(f, "{path}: {}", self.message),
            Severity::Warning => write!(f, "{path}: warning: {}", self.message),
        }
    }
}

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

/// The decoding context: the current JSON path and the problems found so far.
#[derive(Debug)]
pub struct Cx {
    path: Vec<Segment>,
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    cap: usize,
    truncated: usize,
}

/// At most this many diagnostics are kept; a broken file can have thousands.
pub const DEFAULT_DIAGNOSTIC_CAP: usize = 200;

impl Default for Cx {
    fn default() -> Self {
        Self::new(DEFAULT_DIAGNOSTIC_CAP)
    }
}

impl Cx {
    pub fn new(cap: usize) -> Self {
        Self {
            path: Vec::new(),
            diagnostics: Vec::new(),
            errors: 0,
            cap,
            truncated: 0,
        }
    }

    /// The current path as text.
    pub fn path(&self) -> String {
        render_path(&self.path)
    }

    pub fn error(&mut self, message: impl Into<String>) {
        self.push(Severity::Error, message.into());
    }

    pub fn warning(&mut self, message: impl Into<String>) {
        self.push(Severity::Warning, message.into());
    }

    fn push(&mut self, severity: Severity, message: String) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        if self.diagnostics.len() >= self.cap {
            self.truncated += 1;
            return;
        }
        self.diagnostics.push(Diagnostic {
            severity,
            path: self.path(),
            message,
        });
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// Run `f` with `key` appended to the path.
    pub fn at_key<R>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Segment::Key(key.to_owned()));
        let r = f(self);
        self.path.pop();
        r
    }

    /// Run `f` with `[index]` appended to the path.
    pub fn at_index<R>(&mut self, index: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Segment::Index(index));
        let r = f(self);
        self.path.pop();
        r
    }

    /// The diagnostics, errors first then warnings, each group in file order,
    /// with a closing note when the cap cut the list.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        if self.truncated > 0 {
            let n = self.truncated;
            self.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                path: String::new(),
                message: format!("{n} more problem(s) not listed; fix the ones above first"),
            });
        }
        self.diagnostics.sort_by_key(|d| d.severity);
        self.diagnostics
    }

    /// Expect an object whose keys are all in `fields`; report unknown keys.
    pub fn object<'v>(
        &mut self,
        v: &'v Value,
        what: &str,
        fields: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(obj) = v.as_object() else {
            self.error(format!(
                "expected {what} (a JSON object), found {}",
                kind_of(v)
            ));
            return None;
        };
        for key in obj.keys() {
            if !fields.contains(&key.as_str()) {
                let hint = suggest(key, fields.iter().copied())
                    .map(|s| format!("; did you mean \"{s}\"?"))
                    .unwrap_or_default();
                self.at_key(key, |cx| {
                    cx.error(format!("unknown field \"{key}\" in {what}{hint}"))
                });
            }
        }
        Some(obj)
    }

    /// Decode field `key` of `obj`; a missing key is fine when the type has a default.
    pub fn field<T: FromJson>(&mut self, obj: &Map<String, Value>, key: &str) -> Option<T> {
        match obj.get(key) {
            Some(Value::Null) | None => match T::when_missing() {
                Some(v) => Some(v),
                None => {
                    self.at_key(key, |cx| cx.error(format!("\"{key}\" is required")));
                    None
                }
            },
            Some(v) => self.at_key(key, |cx| T::from_json(v, cx)),
        }
    }
}

fn render_path(path: &[Segment]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Segment::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Segment::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    s
}

/// A short name for a JSON value's kind, for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value that decodes from JSON, recording problems in the context.
pub trait FromJson: Sized {
    /// Decode `v`; on failure record why in `cx` and return `None`.
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self>;

    /// The value of an absent or `null` field, or `None` when the field is required.
    fn when_missing() -> Option<Self> {
        None
    }
}

impl FromJson for String {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                cx.error(format!("expected text, found {}", kind_of(other)));
                None
            }
        }
    }
}

impl FromJson for bool {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                cx.error(format!("expected true or false, found {}", kind_of(other)));
                None
            }
        }
    }
    fn when_missing() -> Option<Self> {
        Some(false)
    }
}

impl FromJson for u32 {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                cx.error(format!("expected a whole number, found {}", describe(v)));
                None
            }
        }
    }
}

impl FromJson for f64 {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        match v.as_f64() {
            Some(n) if n.is_finite() => Some(n),
            _ => {
                cx.error(format!("expected a number, found {}", describe(v)));
                None
            }
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        if v.is_null() {
            return Some(None);
        }
        T::from_json(v, cx).map(Some)
    }
    fn when_missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let Some(items) = v.as_array() else {
            cx.error(format!("expected a list, found {}", kind_of(v)));
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match cx.at_index(i, |cx| T::from_json(item, cx)) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
    fn when_missing() -> Option<Self> {
        Some(Vec::new())
    }
}

/// Free-form JSON (customer notes): anything goes, kept as written.
impl FromJson for Value {
    fn from_json(v: &Value, _cx: &mut Cx) -> Option<Self> {
        Some(v.clone())
    }
    fn when_missing() -> Option<Self> {
        Some(Value::String(String::new()))
    }
}

/// A value quoted for a message, shortened when long.
pub fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", shorten(s, 60)),
        Value::Number(n) => n.to_string(),
        other => kind_of(other).to_owned(),
    }
}

/// `s` cut to at most `max` characters, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// The closest of `candidates` to `input`, when it is close enough to be a likely typo,
/// an abbreviation (`ea` → `enterprise_agreement`) or a different case.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let needle = input.to_ascii_lowercase().replace(['-', ' '], "_");
    let mut best: Option<(&str, usize)> = None;
    for cand in candidates {
        if cand.eq_ignore_ascii_case(&needle) {
            return Some(cand);
        }
        let initials: String = cand.split('_').filter_map(|w| w.chars().next()).collect();
        if initials.len() > 1 && initials == needle {
            return Some(cand);
        }
        let d = edit_distance(&needle, cand);
        let limit = (cand.len().max(needle.len()) / 3).max(2);
        let prefix = needle.len() >= 3 && cand.starts_with(&needle);
        let d = if prefix { 1 } else { d };
        if d <= limit && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((cand, d));
        }
    }
    best.map(|(c, _)| c)
}

/// Levenshtein distance over bytes (ids are ASCII).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// One-pass decoding: records declared `read in one pass` also implement serde's
/// `Deserialize`, so a valid file decodes straight from its text into the typed model
/// without building a [`Value`] tree first. It accepts a subset of what [`FromJson`]
/// accepts — any doubt (an unknown or repeated field, a missing required one, a value of
/// the wrong kind) is an error — and decodes what it accepts to the same value, so a
/// reader can try it first and, when it fails, read the file again through [`FromJson`]
/// for every problem with its path (`validate::read_workspace`; property-tested in
/// `tests/fuzz.rs`).
pub mod one_pass {
    use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
    use std::fmt;
    use std::marker::PhantomData;

    /// A record's key, matched against its field names without allocating: the static
    /// name of the field, or `None` for a key the record does not have.
    pub struct FieldName(pub &'static [&'static str]);

    impl<'de> DeserializeSeed<'de> for FieldName {
        type Value = Option<&'static str>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for FieldName {
        type Value = Option<&'static str>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a field name")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Ok(self.0.iter().find(|name| **name == s).copied())
        }
    }

    /// A field's value, `None` when the file writes `null` (which [`super::FromJson`]
    /// reads as absent).
    pub struct Nullable<T>(pub Option<T>);

    impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for Nullable<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(PhantomData<T>);
            impl<'de, T: de::Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = Nullable<T>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a value or null")
                }
                fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(Nullable(None))
                }
                fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(Nullable(None))
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    T::deserialize(d).map(|v| Nullable(Some(v)))
                }
            }
            d.deserialize_option(V(PhantomData))
        }
    }

    /// A text value parsed by `parse`, borrowed from the input when it can be.
    pub fn parsed<'de, D: Deserializer<'de>, T>(
        d: D,
        what: &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<T, D::Error> {
        struct V<T> {
            what: &'static str,
            parse: fn(&str) -> Option<T>,
        }
        impl<'de, T> Visitor<'de> for V<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(self.what)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
                (self.parse)(s).ok_or_else(|| E::custom(format!("\"{s}\" is not {}", self.what)))
            }
        }
        d.deserialize_str(V { what, parse })
    }
}

/// Declares a record type that decodes strictly from JSON (unknown fields are errors)
/// and serialises with its fields in declaration order.
#[macro_export]
macro_rules! json_record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident as $what:literal, read in one pass {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $crate::json_record! {
            $(#[$meta])*
            pub struct $name as $what {
                $( $(#[$fmeta])* pub $field: $ty ),*
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                const FIELDS: &[&str] = &[$(stringify!($field)),*];
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut __map: A) -> Result<$name, A::Error> {
                        $( let mut $field: Option<Option<$ty>> = None; )*
                        while let Some(__key) = __map.next_key_seed($crate::model::json::one_pass::FieldName(FIELDS))? {
                            match __key {
                                $( Some(stringify!($field)) => {
                                    if $field.is_some() {
                                        return Err(A::Error::duplicate_field(stringify!($field)));
                                    }
                                    $field = Some(__map.next_value::<$crate::model::json::one_pass::Nullable<$ty>>()?.0);
                                } )*
                                _ => return Err(A::Error::custom(concat!("unknown field in ", $what))),
                            }
                        }
                        Ok($name { $( $field: match $field.flatten() {
                            Some(v) => v,
                            None => <$ty as $crate::model::json::FromJson>::when_missing()
                                .ok_or_else(|| A::Error::missing_field(stringify!($field)))?,
                        } ),* })
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident as $what:literal {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty ),*
        }

        impl $crate::model::json::FromJson for $name {
            fn from_json(v: &serde_json::Value, cx: &mut $crate::model::json::Cx) -> Option<Self> {
                let obj = cx.object(v, $what, &[$(stringify!($field)),*])?;
                $( let $field = cx.field::<$ty>(obj, stringify!($field)); )*
                Some(Self { $( $field: $field? ),* })
            }
        }
    };
}

/// Declares a closed set of text values (an enum in the file format), with its JSON
/// spelling, decoding that suggests the closest valid value, and serialisation.
#[macro_export]
macro_rules! json_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),*
        }

        impl $name {
            /// Every value, in the order the format lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value as written in files.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parse the file spelling exactly.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::model::json::one_pass::parsed(d, concat!("a valid ", $what), Self::parse)
            }
        }

        impl $crate::model::json::FromJson for $name {
            fn from_json(v: &serde_json::Value, cx: &mut $crate::model::json::Cx) -> Option<Self> {
                let Some(s) = v.as_str() else {
                    cx.error(format!("expected {} (text), found {}", $what, $crate::model::json::kind_of(v)));
                    return None;
                };
                if let Some(x) = Self::parse(s) {
                    return Some(x);
                }
                let names = Self::ALL.iter().map(|x| x.as_str());
                let hint = match $crate::model::json::suggest(s, names) {
                    Some(best) => format!("; did you mean \"{best}\"?"),
                    None => format!(
                        "; expected one of {}",
                        Self::ALL.iter().map(|x| format!("\"{}\"", x.as_str())).collect::<Vec<_>>().join(", ")
                    ),
                };
                cx.error(format!("unknown {} \"{}\"{}", $what, $crate::model::json::shorten(s, 40), hint));
                None
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_abbreviations_and_case() {
        let offers = [
            "azure_plan",
            "enterprise_agreement",
            "pay_as_you_go",
            "csp",
            "mpsa",
        ];
        assert_eq!(suggest("ea", offers), Some("enterprise_agreement"));
        assert_eq!(suggest("azure_pln", offers), Some("azure_plan"));
        assert_eq!(suggest("CSP", offers), Some("csp"));
        assert_eq!(suggest("pay-as-you-go", offers), Some("pay_as_you_go"));
        assert_eq!(suggest("spaceship", offers), None);
    }

    #[test]
    fn paths_render_like_javascript() {
        let mut cx = Cx::default();
        cx.at_key("customers", |cx| {
            cx.at_index(2, |cx| cx.at_key("offer", |cx| cx.error("bad")))
        });
        let d = cx.finish();
        assert_eq!(d[0].path, "customers[2].offer");
        assert_eq!(d[0].to_string(), "customers[2].offer: bad");
    }

    #[test]
    fn the_cap_keeps_the_count_honest() {
        let mut cx = Cx::new(2);
        for _ in 0..5 {
            cx.error("x");
        }
        assert_eq!(cx.error_count(), 5);
        let d = cx.finish();
        assert_eq!(d.len(), 3);
        assert!(d[2].message.starts_with("3 more problem(s)"));
    }
}
