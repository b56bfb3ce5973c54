//! Name tables for the importers: how Partner Center and Azure spell workloads,
//! certifications, attribution types, segments, subscription states and role definitions,
//! mapped to the workspace's ids. A name not in a table is never guessed.

use super::Sourced;
use crate::json_record;
use crate::model::json::{Cx, Diagnostic, FromJson};
use crate::model::{Segment, SubscriptionStatus};
use std::collections::HashMap;
use std::sync::OnceLock;

const NAMES_FILE: &str = include_str!("data/names.json");

/// What an attribution label in a Partner Center file means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelMeaning {
    /// CSP, tier decided by the row's sales channel.
    Csp,
    CspT1,
    CspT2,
    Dpor,
    Pal,
    Cpor,
    /// Tracked templates (CUA), marketplace: recognised by Microsoft, not a PCS association.
    NotAnAssociation,
}

impl FromJson for LabelMeaning {
    fn from_json(v: &serde_json::Value, cx: &mut Cx) -> Option<Self> {
        let m = match v.as_str().unwrap_or_default() {
            "csp" => LabelMeaning::Csp,
            "csp_t1" => LabelMeaning::CspT1,
            "csp_t2" => LabelMeaning::CspT2,
            "dpor" => LabelMeaning::Dpor,
            "pal" => LabelMeaning::Pal,
            "cpor" => LabelMeaning::Cpor,
            "not_an_association" => LabelMeaning::NotAnAssociation,
            other => {
                cx.error(format!("unknown attribution meaning \"{other}\""));
                return None;
            }
        };
        Some(m)
    }
}

json_record! {
    pub struct LabelEntry as "an attribution label" { pub name: String, pub association: LabelMeaning }
}
json_record! {
    pub struct ChannelEntry as "a sales channel" { pub name: String, pub tier: u32 }
}
json_record! {
    pub struct SegmentEntry as "a segment name" { pub name: String, pub segment: Segment }
}
json_record! {
    pub struct StateEntry as "a subscription state" { pub name: String, pub status: SubscriptionStatus }
}
json_record! {
    pub struct IdEntry as "a name" { pub name: String, pub id: String }
}
json_record! {
    pub struct RoleEntry as "a role definition" { pub id: String, pub name: String }
}
/// One table: its entries and where they come from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Table<T> {
    pub source: String,
    pub entries: Vec<T>,
}

impl<T: FromJson> FromJson for Table<T> {
    fn from_json(v: &serde_json::Value, cx: &mut Cx) -> Option<Self> {
        let obj = cx.object(v, "a name table", &["source", "entries"])?;
        let source = cx.field::<String>(obj, "source");
        let entries = cx.field::<Vec<T>>(obj, "entries");
        if source.as_ref().is_some_and(|s| s.trim().is_empty()) {
            cx.at_key("source", |cx| cx.error("every table needs a source note"));
        }
        Some(Table {
            source: source?,
            entries: entries?,
        })
    }
}

json_record! {
    /// The file `src/rules/data/names.json`.
    pub struct NameTables as "the name tables" {
        pub format: String,
        pub source: String,
        pub attribution_labels: Table<LabelEntry>,
        pub sales_channels: Table<ChannelEntry>,
        pub segments: Table<SegmentEntry>,
        pub subscription_states: Table<StateEntry>,
        pub workloads: Table<IdEntry>,
        pub certifications: Table<IdEntry>,
        pub certification_training_types: Sourced<Vec<String>>,
        pub role_definitions: Table<RoleEntry>,
    }
}

/// Names compare without case, surrounding spaces or doubled spaces.
pub fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The tables indexed for lookups.
pub struct Names {
    pub tables: NameTables,
    labels: HashMap<String, LabelMeaning>,
    channels: HashMap<String, u32>,
    segments: HashMap<String, Segment>,
    states: HashMap<String, SubscriptionStatus>,
    workloads: HashMap<String, String>,
    certifications: HashMap<String, String>,
    roles: HashMap<String, String>,
}

impl Names {
    fn index(tables: NameTables) -> Names {
        fn map<T, V>(entries: &[T], f: impl Fn(&T) -> (String, V)) -> HashMap<String, V> {
            entries
                .iter()
                .map(|e| {
                    let (k, v) = f(e);
                    (normalise(&k), v)
                })
                .collect()
        }
        let mut certifications = map(&tables.certifications.entries, |e| {
            (e.name.clone(), e.id.clone())
        });
        // The catalogue's own names read too ("Azure Administrator Associate").
        for rs in super::RULE_SET_IDS
            .iter()
            .filter_map(|id| super::rule_set(id))
        {
            for c in &rs.certifications {
                certifications
                    .entry(normalise(&c.name))
                    .or_insert_with(|| c.id.clone());
            }
        }
        Names {
            labels: map(&tables.attribution_labels.entries, |e| {
                (e.name.clone(), e.association)
            }),
            channels: map(&tables.sales_channels.entries, |e| (e.name.clone(), e.tier)),
            segments: map(&tables.segments.entries, |e| (e.name.clone(), e.segment)),
            states: map(&tables.subscription_states.entries, |e| {
                (e.name.clone(), e.status)
            }),
            workloads: map(&tables.workloads.entries, |e| {
                (e.name.clone(), e.id.clone())
            }),
            certifications,
            roles: tables
                .role_definitions
                .entries
                .iter()
                .map(|e| (e.id.to_ascii_lowercase(), e.name.clone()))
                .collect(),
            tables,
        }
    }

    pub fn attribution(&self, label: &str) -> Option<LabelMeaning> {
        let n = normalise(label);
        self.labels.get(&n).copied().or_else(|| {
            // "Partner Admin Link (PAL)": the parenthesised short form.
            let inner = n.rsplit_once('(')?.1.strip_suffix(')')?;
            self.labels.get(inner.trim()).copied()
        })
    }

    /// CSP tier (1 or 2) of a sales channel.
    pub fn csp_tier(&self, channel: &str) -> Option<u32> {
        self.channels.get(&normalise(channel)).copied()
    }

    pub fn segment(&self, name: &str) -> Option<Segment> {
        self.segments.get(&normalise(name)).copied()
    }

    pub fn subscription_status(&self, name: &str) -> Option<SubscriptionStatus> {
        self.states.get(&normalise(name)).copied()
    }

    pub fn workload(&self, name: &str) -> Option<&str> {
        self.workloads.get(&normalise(name)).map(String::as_str)
    }

    pub fn certification(&self, title: &str) -> Option<&str> {
        self.certifications
            .get(&normalise(title))
            .map(String::as_str)
    }

    pub fn is_certification_type(&self, training_type: &str) -> bool {
        let t = normalise(training_type);
        self.tables
            .certification_training_types
            .value
            .iter()
            .any(|x| normalise(x) == t)
    }

    /// The name of a role definition GUID (a full `/providers/.../roleDefinitions/<guid>` path
    /// or a bare GUID).
    pub fn role_name(&self, definition: &str) -> Option<&str> {
        let guid = definition.rsplit('/').next().unwrap_or(definition);
        self.roles
            .get(&guid.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// Parse and check a name-table file.
pub fn parse_names(text: &str) -> Result<NameTables, Vec<Diagnostic>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        vec![Diagnostic {
            severity: crate::model::Severity::Error,
            path: String::new(),
            message: crate::validate::json_syntax_message(&e),
        }]
    })?;
    let mut cx = Cx::default();
    let tables = NameTables::from_json(&value, &mut cx);
    if let Some(t) = &tables {
        if t.format != "pcs-workbench/names" {
            cx.at_key("format", |cx| cx.error("expected \"pcs-workbench/names\""));
        }
        let catalogue = super::catalogue();
        cx.at_key("workloads", |cx| {
            cx.at_key("entries", |cx| {
                for (i, e) in t.workloads.entries.iter().enumerate() {
                    if !catalogue.has_workload(&e.id) {
                        cx.at_index(i, |cx| cx.error(format!("unknown workload id {}", e.id)));
                    }
                }
            })
        });
        cx.at_key("certifications", |cx| {
            cx.at_key("entries", |cx| {
                for (i, e) in t.certifications.entries.iter().enumerate() {
                    if !catalogue.has_certification(&e.id) {
                        cx.at_index(i, |cx| {
                            cx.error(format!("unknown certification id {}", e.id))
                        });
                    }
                }
            })
        });
        for (i, c) in t.sales_channels.entries.iter().enumerate() {
            if !(1..=2).contains(&c.tier) {
                cx.at_key("sales_channels", |cx| {
                    cx.at_index(i, |cx| cx.error("a CSP tier is 1 or 2"))
                });
            }
        }
    }
    match tables {
        Some(t) if !cx.has_errors() => Ok(t),
        _ => Err(cx.finish()),
    }
}

/// The built-in name tables (checked by the tests; an empty set if they were ever broken,
/// so every name reads as unknown rather than the app failing).
pub fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let tables = parse_names(NAMES_FILE).unwrap_or_else(|_| NameTables {
            format: String::new(),
            source: String::new(),
            attribution_labels: Table::empty(),
            sales_channels: Table::empty(),
            segments: Table::empty(),
            subscription_states: Table::empty(),
            workloads: Table::empty(),
            certifications: Table::empty(),
            certification_training_types: Sourced {
                value: Vec::new(),
                source: String::new(),
            },
            role_definitions: Table::empty(),
        });
        Names::index(tables)
    })
}

impl<T> Table<T> {
    fn empty() -> Table<T> {
        Table {
            source: String::new(),
            entries: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_tables_load() {
        let t = parse_names(NAMES_FILE).unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(!t.workloads.entries.is_empty());
    }

    #[test]
    fn long_and_short_attribution_labels_both_read() {
        let n = names();
        assert_eq!(n.attribution("PAL"), Some(LabelMeaning::Pal));
        assert_eq!(
            n.attribution("Partner Admin Link (PAL)"),
            Some(LabelMeaning::Pal)
        );
        assert_eq!(
            n.attribution(" partner admin  link "),
            Some(LabelMeaning::Pal)
        );
        assert_eq!(
            n.attribution("Something (DPOR)"),
            Some(LabelMeaning::Dpor),
            "the parenthesised short form decides"
        );
        assert_eq!(n.attribution("Partner of the year"), None);
    }

    #[test]
    fn certification_titles_map_to_catalogue_ids() {
        let n = names();
        assert_eq!(
            n.certification("Microsoft Certified: Azure Administrator Associate"),
            Some("azure-administrator-associate")
        );
        assert_eq!(
            n.certification("Microsoft 365 Certified: Enterprise Administrator Expert"),
            Some("microsoft-365-enterprise-administrator-expert")
        );
        assert_eq!(
            n.certification("azure solutions architect expert"),
            Some("azure-solutions-architect-expert")
        );
        assert_eq!(n.certification("Microsoft Certified: Azure Juggler"), None);
        assert_eq!(
            n.role_name("/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C"),
            Some("Contributor")
        );
    }
}
