//! Forms for the records of a workspace, described by a list of fields.
//!
//! A form edits the record's JSON and saves it through the same decoder and validator as an
//! import: it can never write what a file could not hold, and every problem it shows comes
//! with the record's path. Fields a form does not show are kept as they are.

use crate::model::json::FromJson;
use crate::model::{Diagnostic, Month, Severity, Workspace};
use crate::ui::state::{AppState, Undo, use_app};
use leptos::prelude::*;
use serde_json::{Map, Value};
use std::sync::Arc;

/// What kind of input a field is.
#[derive(Clone)]
pub enum Kind {
    Text {
        placeholder: &'static str,
        suggestions: Vec<String>,
    },
    Date,
    Number,
    Bool,
    /// A fixed list: the JSON value written and its label.
    Choice(Vec<(Value, String)>),
    /// A list of strings, typed comma-separated.
    Strings,
    /// A monthly series: one number per month of the last year.
    Series,
    /// A list of small records edited as table rows.
    Rows {
        fields: Vec<Field>,
        template: Value,
        add_label: &'static str,
    },
}

/// One input of a form: where its value sits in the record (`csp.tier`), its label and kind.
#[derive(Clone)]
pub struct Field {
    key: &'static str,
    label: String,
    kind: Kind,
    optional: bool,
}

impl Field {
    fn new(key: &'static str, label: &str, kind: Kind) -> Field {
        Field {
            key,
            label: label.to_owned(),
            kind,
            optional: false,
        }
    }

    pub fn text(key: &'static str, label: &str) -> Field {
        Self::new(
            key,
            label,
            Kind::Text {
                placeholder: "",
                suggestions: Vec::new(),
            },
        )
    }

    /// A GUID typed by the user (tenant, subscription, CUA).
    pub fn guid(key: &'static str, label: &str) -> Field {
        Self::text(key, label).placeholder("00000000-0000-0000-0000-000000000000")
    }

    pub fn date(key: &'static str, label: &str) -> Field {
        Self::new(key, label, Kind::Date)
    }

    pub fn flag(key: &'static str, label: &str) -> Field {
        Self::new(key, label, Kind::Bool)
    }

    pub fn strings(key: &'static str, label: &str) -> Field {
        Self::new(key, label, Kind::Strings)
    }

    pub fn series(key: &'static str, label: &str) -> Field {
        Self::new(key, label, Kind::Series)
    }

    pub fn choice(key: &'static str, label: &str, options: Vec<(Value, String)>) -> Field {
        Self::new(key, label, Kind::Choice(options))
    }

    /// A choice among a format enum's values, labelled as people say them.
    pub fn choice_of<E: Copy>(
        key: &'static str,
        label: &str,
        all: &[E],
        name: impl Fn(E) -> String,
        value: impl Fn(E) -> &'static str,
    ) -> Field {
        let options = all
            .iter()
            .map(|e| (Value::from(value(*e)), name(*e)))
            .collect();
        Self::choice(key, label, options)
    }

    pub fn rows(
        key: &'static str,
        label: &str,
        fields: Vec<Field>,
        template: Value,
        add_label: &'static str,
    ) -> Field {
        Self::new(
            key,
            label,
            Kind::Rows {
                fields,
                template,
                add_label,
            },
        )
    }

    /// Blank means "not given": the key is left out of the record.
    pub fn optional(mut self) -> Field {
        self.optional = true;
        self
    }

    pub fn placeholder(mut self, text: &'static str) -> Field {
        if let Kind::Text { placeholder, .. } = &mut self.kind {
            *placeholder = text;
        }
        self
    }

    pub fn suggest(mut self, list: Vec<String>) -> Field {
        if let Kind::Text { suggestions, .. } = &mut self.kind {
            *suggestions = list;
        }
        self
    }
}

/// "pay_as_you_go" → "Pay as you go".
pub fn words(id: &str) -> String {
    let text = id.replace('_', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A step into a JSON value.
#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn segs(base: &[Seg], key: &str) -> Vec<Seg> {
    let mut out = base.to_vec();
    out.extend(key.split('.').map(|k| Seg::Key(k.to_owned())));
    out
}

/// `dpor[0].from` as the validator writes paths.
fn path_text(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn get<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, s| match s {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

/// Write `x` at `path` (creating objects on the way); `None` removes the key, and an
/// object left empty by that is removed too (an optional CSP record with no partner).
fn set(v: &mut Value, path: &[Seg], x: Option<Value>) {
    let Some((_, parents)) = path.split_last() else {
        return;
    };
    if let Some((parent_last, _)) = parents.split_last()
        && x.is_none()
    {
        set_in(v, path, None);
        let parent_empty = get(v, parents)
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty);
        if parent_empty && matches!(parent_last, Seg::Key(_)) {
            set(v, parents, None);
        }
        return;
    }
    set_in(v, path, x);
}

/// Whether a problem at `path` belongs to the field at `field` (`dpor[0].from` is under
/// `dpor`, `dpor_x` is not).
fn within(path: &str, field: &str) -> bool {
    path.strip_prefix(field)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

fn set_in(v: &mut Value, path: &[Seg], x: Option<Value>) {
    let mut at = v;
    for (n, s) in path.iter().enumerate() {
        let last = n + 1 == path.len();
        match s {
            Seg::Key(k) => {
                if !at.is_object() {
                    *at = Value::Object(Map::new());
                }
                let Some(obj) = at.as_object_mut() else {
                    return;
                };
                if last {
                    match x {
                        Some(x) => {
                            obj.insert(k.clone(), x);
                        }
                        None => {
                            obj.remove(k);
                        }
                    }
                    return;
                }
                at = obj
                    .entry(k.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
            }
            Seg::Index(i) => {
                let Some(item) = at.get_mut(*i) else {
                    return;
                };
                if last {
                    if let Some(x) = x {
                        *item = x;
                    }
                    return;
                }
                at = item;
            }
        }
    }
}

/// A short name for a record in messages: its name, id, service or role.
fn title(v: &Value) -> String {
    ["name", "id", "service", "workload", "guid", "cert"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map_or_else(String::new, |s| format!(" {s}"))
}

type Fallible = Result<(), Vec<Diagnostic>>;
type ReadFn<R> = Arc<dyn Fn(&Workspace) -> R + Send + Sync>;
type DecodeFn = Arc<dyn Fn(&str, &Value) -> Vec<Diagnostic> + Send + Sync>;
type SaveFn = Arc<dyn Fn(&AppState, Option<usize>, &Value) -> Fallible + Send + Sync>;
type RemoveFn = Arc<dyn Fn(&AppState, usize) -> Fallible + Send + Sync>;

/// Where a list of records sits in the workspace, and how to decode, save and remove one.
#[derive(Clone)]
pub struct Records {
    noun: &'static str,
    at: ReadFn<Option<String>>,
    values: ReadFn<Vec<Value>>,
    decode: DecodeFn,
    save: SaveFn,
    remove: RemoveFn,
}

impl Records {
    /// `at` names the list's JSON path (`customers[3].usage`), `get`/`get_mut` reach it.
    pub fn new<T, G, M>(
        noun: &'static str,
        at: impl Fn(&Workspace) -> Option<String> + Send + Sync + 'static,
        get: G,
        get_mut: M,
    ) -> Records
    where
        T: FromJson + serde::Serialize + 'static,
        G: Fn(&Workspace) -> Option<&Vec<T>> + Send + Sync + 'static,
        M: Fn(&mut Workspace) -> Option<&mut Vec<T>> + Send + Sync + 'static,
    {
        let at = Arc::new(at);
        let get = Arc::new(get);
        let get_mut = Arc::new(get_mut);
        let (at2, put, del) = (at.clone(), get_mut.clone(), get_mut);
        let reach = get.clone();
        let count = move |w: &Workspace| reach(w).map_or(0, Vec::len);
        Records {
            noun,
            at,
            values: Arc::new(move |w| {
                get(w).map_or_else(Vec::new, |list| list.iter().map(|r| as_value(r)).collect())
            }),
            decode: Arc::new(|at, v| {
                crate::validate::decode_record::<T>(&v.to_string(), at)
                    .err()
                    .unwrap_or_default()
            }),
            save: Arc::new(move |app, index, v| {
                let slot = app
                    .workspace
                    .with_untracked(|w| at2(w).map(|list| (list, count(w))))
                    .ok_or_else(|| gone(noun))?;
                let at = format!("{}[{}]", slot.0, index.unwrap_or(slot.1));
                let record: T = crate::validate::decode_record(&v.to_string(), &at)?;
                let verb = if index.is_some() { "edit" } else { "add" };
                app.apply(&format!("{verb} {noun}{}", title(v)), |w| {
                    if let Some(list) = put(w) {
                        match index {
                            Some(i) if i < list.len() => list[i] = record,
                            _ => list.push(record),
                        }
                    }
                })
            }),
            remove: Arc::new(move |app, index| {
                app.apply(&format!("delete {noun}"), |w| {
                    if let Some(list) = del(w)
                        && index < list.len()
                    {
                        list.remove(index);
                    }
                })
            }),
        }
    }

    /// The records of a customer's list (`usage`, `identities`, …), found by customer id.
    pub fn of_customer<T>(
        customer: &str,
        field: &'static str,
        noun: &'static str,
        get: fn(&crate::model::Customer) -> &Vec<T>,
        get_mut: fn(&mut crate::model::Customer) -> &mut Vec<T>,
    ) -> Records
    where
        T: FromJson + serde::Serialize + 'static,
    {
        let (a, b, c) = (
            customer.to_owned(),
            customer.to_owned(),
            customer.to_owned(),
        );
        Records::new(
            noun,
            move |w| {
                w.customers
                    .iter()
                    .position(|x| x.id.as_str() == a)
                    .map(|i| format!("customers[{i}].{field}"))
            },
            move |w| w.customer(&b).map(get),
            move |w| {
                w.customers
                    .iter_mut()
                    .find(|x| x.id.as_str() == c)
                    .map(get_mut)
            },
        )
    }

    fn value(&self, w: &Workspace, index: usize) -> Option<Value> {
        (self.values)(w).into_iter().nth(index)
    }

    fn path(&self, w: &Workspace, index: Option<usize>) -> String {
        let list = (self.at)(w).unwrap_or_default();
        let i = index.unwrap_or_else(|| (self.values)(w).len());
        format!("{list}[{i}]")
    }
}

/// A record as a JSON value, through the compact text writer the store already uses (one
/// serializer instance for every record type keeps the app small).
pub fn as_value<T: serde::Serialize>(record: &T) -> Value {
    serde_json::to_string(record)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

fn gone(noun: &str) -> Vec<Diagnostic> {
    vec![Diagnostic {
        severity: Severity::Error,
        path: String::new(),
        message: format!("the list this {noun} belongs to is no longer in the workspace"),
    }]
}

/// The twelve months ending with the workspace's `as_of`: the series inputs.
fn series_months(as_of: Month) -> Vec<Month> {
    (0..12).rev().map(|n| as_of.plus(-n)).collect()
}

/// The text an input shows for a stored value.
fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Some(Value::Array(items)) => items
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// What a typed text means for `kind`: `None` leaves the key out.
fn typed(kind: &Kind, optional: bool, text: &str) -> Option<Value> {
    let t = text.trim();
    match kind {
        _ if t.is_empty() && optional => None,
        Kind::Number => Some(
            t.parse::<f64>()
                .map_or_else(|_| Value::from(t), Value::from),
        ),
        Kind::Strings => Some(Value::Array(
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Value::from)
                .collect(),
        )),
        Kind::Date if t.is_empty() => None,
        Kind::Text { .. } => Some(Value::from(text)),
        _ => Some(Value::from(t)),
    }
}

/// The form state shared by the inputs.
#[derive(Clone, Copy)]
struct FormCx {
    value: RwSignal<Value>,
    /// Problems with paths relative to the record.
    problems: RwSignal<Vec<Diagnostic>>,
    changed: Callback<()>,
}

impl FormCx {
    fn write(&self, path: &[Seg], x: Option<Value>) {
        self.value.update(|v| set(v, path, x));
        self.changed.run(());
    }

    fn error_for(&self, path: &[Seg]) -> impl Fn() -> Option<String> + use<> {
        let me = path_text(path);
        let problems = self.problems;
        move || {
            problems.with(|list| {
                let hits: Vec<&str> = list
                    .iter()
                    .filter(|d| within(&d.path, &me))
                    .map(|d| d.message.as_str())
                    .collect();
                (!hits.is_empty()).then(|| hits.join("; "))
            })
        }
    }
}

/// One input for `field` at `path`; `aria` names it for assistive technology.
fn input(cx: FormCx, field: &Field, path: Vec<Seg>, aria: String, as_of: Month) -> AnyView {
    let current = {
        let path = path.clone();
        move || cx.value.with(|v| get(v, &path).cloned())
    };
    let invalid = {
        let e = cx.error_for(&path);
        move || e().is_some().then_some("true")
    };
    match &field.kind {
        Kind::Text {
            placeholder,
            suggestions,
        } => {
            let list_id = (!suggestions.is_empty()).then(|| format!("dl-{}", path_text(&path)));
            let (kind, optional, p) = (field.kind.clone(), field.optional, path.clone());
            view! {
                <input type="text" aria-label=aria placeholder=*placeholder list=list_id.clone()
                    aria-invalid=invalid
                    prop:value=move || shown(current().as_ref())
                    on:input=move |ev| cx.write(&p, typed(&kind, optional, &event_target_value(&ev)))/>
                {list_id.map(|id| view! {
                    <datalist id=id>{suggestions.iter().map(|s| view! { <option value=s.clone()/> }).collect_view()}</datalist>
                })}
            }
            .into_any()
        }
        Kind::Number | Kind::Strings | Kind::Date => {
            let ty = match field.kind {
                Kind::Number => "number",
                Kind::Date => "date",
                _ => "text",
            };
            let (kind, optional, p) = (field.kind.clone(), field.optional, path.clone());
            view! {
                <input type=ty step="any" aria-label=aria aria-invalid=invalid
                    prop:value=move || shown(current().as_ref())
                    on:change=move |ev| cx.write(&p, typed(&kind, optional, &event_target_value(&ev)))/>
            }
            .into_any()
        }
        Kind::Bool => {
            let p = path.clone();
            view! {
                <input type="checkbox" aria-label=aria
                    prop:checked=move || current().and_then(|v| v.as_bool()).unwrap_or(false)
                    on:change=move |ev| cx.write(&p, Some(Value::Bool(event_target_checked(&ev))))/>
            }
            .into_any()
        }
        Kind::Choice(options) => {
            let mut options = options.clone();
            if let Some(v) = current()
                && !v.is_null()
                && !options.iter().any(|(o, _)| o == &v)
            {
                options.push((v.clone(), shown(Some(&v))));
            }
            let optional = field.optional;
            let blank = optional || current().is_none();
            let chosen = move || shown(current().as_ref());
            let (p, opts) = (path.clone(), options.clone());
            view! {
                <select aria-label=aria aria-invalid=invalid prop:value=chosen
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        let picked = opts.iter().find(|(v, _)| shown(Some(v)) == text).map(|(v, _)| v.clone());
                        cx.write(&p, picked);
                    }>
                    {blank.then(|| view! { <option value="">"—"</option> })}
                    {options.into_iter().map(|(v, label)| view! { <option value=shown(Some(&v))>{label}</option> }).collect_view()}
                </select>
            }
            .into_any()
        }
        Kind::Series => {
            let cells = series_months(as_of).into_iter().map(|m| {
                let mut p = path.clone();
                p.push(Seg::Key(m.to_string()));
                let shown_p = p.clone();
                let value = move || cx.value.with(|v| shown(get(v, &shown_p)));
                view! {
                    <label class="series-cell">
                        <span>{m.to_string()}</span>
                        <input type="number" step="any" min="0" aria-label=format!("{aria} {m}")
                            prop:value=value
                            on:change=move |ev| {
                                let t = event_target_value(&ev);
                                let x = if t.trim().is_empty() || t.trim() == "0" { None } else { typed(&Kind::Number, false, &t) };
                                cx.write(&p, x);
                            }/>
                    </label>
                }
            }).collect_view();
            view! { <div class="series-grid">{cells}</div> }.into_any()
        }
        Kind::Rows {
            fields,
            template,
            add_label,
        } => rows(cx, fields, template, add_label, path, aria, as_of),
    }
}

fn rows(
    cx: FormCx,
    fields: &[Field],
    template: &Value,
    add_label: &'static str,
    path: Vec<Seg>,
    aria: String,
    as_of: Month,
) -> AnyView {
    let fields = fields.to_vec();
    let count = {
        let path = path.clone();
        move || {
            cx.value
                .with(|v| get(v, &path).and_then(Value::as_array).map_or(0, Vec::len))
        }
    };
    let heads = fields.clone();
    let (add_path, template) = (path.clone(), template.clone());
    view! {
        <div class="rows">
            {move || (count() > 0).then(|| {
                let fields = fields.clone();
                let path = path.clone();
                let aria = aria.clone();
                view! {
                    <table class="table rows-table">
                        <thead><tr>{heads.iter().map(|f| view! { <th>{f.label.clone()}</th> }).collect_view()}<th><span class="sr-only">"Remove"</span></th></tr></thead>
                        <tbody>
                            {(0..count()).map(|i| {
                                let row: Vec<Seg> = path.iter().cloned().chain([Seg::Index(i)]).collect();
                                let remove_path = path.clone();
                                view! {
                                    <tr>
                                        {fields.iter().map(|f| {
                                            let p = segs(&row, f.key);
                                            let err = cx.error_for(&p);
                                            view! { <td>{input(cx, f, p, format!("{} {}", f.label, i + 1), as_of)}<span class="field-error">{err}</span></td> }
                                        }).collect_view()}
                                        <td><button type="button" class="icon-button" aria-label=format!("Remove {aria} {}", i + 1)
                                            on:click=move |_| {
                                                cx.value.update(|v| {
                                                    if let Some(list) = get_array_mut(v, &remove_path) && i < list.len() {
                                                        list.remove(i);
                                                    }
                                                });
                                                cx.changed.run(());
                                            }>"×"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
            <button type="button" class="button small" on:click=move |_| {
                cx.value.update(|v| {
                    if get(v, &add_path).and_then(Value::as_array).is_none() {
                        set(v, &add_path, Some(Value::Array(Vec::new())));
                    }
                    if let Some(list) = get_array_mut(v, &add_path) {
                        list.push(template.clone());
                    }
                });
                cx.changed.run(());
            }>{add_label}</button>
        </div>
    }
    .into_any()
}

fn get_array_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Vec<Value>> {
    path.iter()
        .try_fold(v, |v, s| match s {
            Seg::Key(k) => v.get_mut(k.as_str()),
            Seg::Index(i) => v.get_mut(*i),
        })
        .and_then(Value::as_array_mut)
}

/// A form for one record: `index` None adds a new one made from `initial`.
#[component]
pub fn RecordForm(
    records: Records,
    fields: Arc<Vec<Field>>,
    index: Option<usize>,
    initial: Value,
    on_close: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    let value = RwSignal::new(initial);
    let problems = RwSignal::new(Vec::<Diagnostic>::new());
    let tried = RwSignal::new(false);
    // The record's own path, stripped from problem paths so fields find theirs.
    let here = app.workspace.with_untracked(|w| records.path(w, index));
    let relative = {
        let here = here.clone();
        move |list: Vec<Diagnostic>| -> Vec<Diagnostic> {
            list.into_iter()
                .map(|d| {
                    let path = d
                        .path
                        .strip_prefix(&here)
                        .map(|p| p.trim_start_matches('.').to_owned())
                        .unwrap_or(d.path);
                    Diagnostic { path, ..d }
                })
                .collect()
        }
    };
    let decode = records.decode.clone();
    let relative2 = relative.clone();
    let changed = Callback::new(move |()| {
        if tried.get_untracked() {
            let found = value.with_untracked(|v| decode(&here, v));
            problems.set(relative2(found));
        }
    });
    let cx = FormCx {
        value,
        problems,
        changed,
    };
    let as_of = app.workspace.with_untracked(|w| w.as_of);
    let noun = records.noun;
    let save = records.save.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let result = value.with_untracked(|v| save(&app, index, v));
        match result {
            Ok(()) => {
                problems.set(Vec::new());
                app.notify(
                    format!(
                        "{} {noun}.",
                        if index.is_some() { "Saved" } else { "Added" }
                    ),
                    Some(Undo::Edit),
                );
                on_close.run(());
            }
            Err(list) => problems.set(relative(list)),
        }
    };
    let heading = format!("{} {noun}", if index.is_some() { "Edit" } else { "New" });
    // Problems no field shows (an unknown key, a cross-record rule) are listed on top.
    let keys: Vec<String> = fields.iter().map(|f| f.key.to_owned()).collect();
    let unplaced = move || {
        problems.with(|list| {
            list.iter()
                .filter(|d| !keys.iter().any(|k| within(&d.path, k)))
                .map(|d| {
                    if d.path.is_empty() {
                        d.message.clone()
                    } else {
                        format!("{}: {}", d.path, d.message)
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <h3>{heading}</h3>
            {move || {
                let list = unplaced();
                (!list.is_empty()).then(|| view! {
                    <div class="notice error" role="alert"><ul>{list.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul></div>
                })
            }}
            <div class="form-grid">
                {fields.iter().map(|f| {
                    let path = segs(&[], f.key);
                    let err = cx.error_for(&path);
                    let wide = matches!(f.kind, Kind::Series | Kind::Rows { .. });
                    let control = input(cx, f, path, f.label.clone(), as_of);
                    let label = format!("{}{}", f.label, if f.optional { " (optional)" } else { "" });
                    if wide {
                        view! {
                            <fieldset class="field wide">
                                <legend>{label}</legend>
                                {control}
                                <span class="field-error" role="alert">{err}</span>
                            </fieldset>
                        }
                        .into_any()
                    } else {
                        view! {
                            <label class="field" class:check=matches!(f.kind, Kind::Bool)>
                                <span class="field-label">{label}</span>
                                {control}
                                <span class="field-error" role="alert">{err}</span>
                            </label>
                        }
                        .into_any()
                    }
                }).collect_view()}
            </div>
            <div class="actions">
                <button type="submit" class="button primary">{if index.is_some() { "Save" } else { "Add" }}</button>
                <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// "Edit" and "Delete" for one record of a list, with the form opening in place — or,
/// with `dialog` (records shown as table rows), in a modal dialog over the page.
#[component]
pub fn RecordActions(
    records: Records,
    fields: Arc<Vec<Field>>,
    index: usize,
    #[prop(optional)] dialog: bool,
) -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    let noun = records.noun;
    let (r1, r2) = (records.clone(), records);
    view! {
        <span class="record-actions">
            <button type="button" class="button small" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{format!("Edit {noun}")}</button>
            <button type="button" class="button small danger-text" on:click=move |_| {
                if (r1.remove)(&app, index).is_ok() {
                    app.notify(format!("Deleted {noun}."), Some(Undo::Edit));
                }
            }>{format!("Delete {noun}")}</button>
        </span>
        {move || open.get().then(|| {
            let initial = app.workspace.with_untracked(|w| r2.value(w, index)).unwrap_or(Value::Null);
            let form = view! { <RecordForm records=r2.clone() fields=fields.clone() index=Some(index) initial=initial on_close=Callback::new(move |()| open.set(false))/> };
            if dialog {
                view! {
                    <div class="modal-backdrop" on:click=move |_| open.set(false)>
                        <div class="modal wide" role="dialog" aria-modal="true" aria-label=format!("Edit {noun}")
                            on:click=|e| e.stop_propagation()>{form}</div>
                    </div>
                }
                .into_any()
            } else {
                form.into_any()
            }
        })}
    }
}

/// "Add …" and the form for a new record made from `template`.
#[component]
pub fn AddRecord(
    records: Records,
    fields: Arc<Vec<Field>>,
    template: Value,
    label: &'static str,
) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <div class="add-record">
            <button type="button" class="button" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{label}</button>
            {move || open.get().then(|| view! {
                <RecordForm records=records.clone() fields=fields.clone() index=None initial=template.clone()
                    on_close=Callback::new(move |()| open.set(false))/>
            })}
        </div>
    }
}
