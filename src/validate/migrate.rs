//! Format versions: every older file is upgraded step by step to the current version
//! before decoding, so a version-1 file imports unchanged in meaning forever.

use crate::model::json::{Diagnostic, Severity};
use crate::model::workspace::CURRENT_VERSION;
use serde_json::Value;

/// One upgrade step: rewrites a file of version `from` into version `from + 1`.
pub struct Step {
    pub from: u32,
    pub apply: fn(Value) -> Value,
}

/// The steps of the shipped format history.
pub const STEPS: &[Step] = &[Step {
    from: 1,
    apply: v1_to_v2,
}];

/// Version 2 only adds optional fields (provenance, reported attribution, matching keys), so
/// a version-1 file means the same as version 2 as it stands.
fn v1_to_v2(value: Value) -> Value {
    value
}

/// Upgrade `value` to [`CURRENT_VERSION`] with the shipped steps.
pub fn to_current(value: Value) -> Result<Value, Diagnostic> {
    upgrade(value, CURRENT_VERSION, STEPS)
}

/// Upgrade `value` to version `target` with `steps`.
pub fn upgrade(mut value: Value, target: u32, steps: &[Step]) -> Result<Value, Diagnostic> {
    let err = |path: &str, message: String| Diagnostic {
        severity: Severity::Error,
        path: path.into(),
        message,
    };
    if !value.is_object() {
        return Err(err("", "expected a workspace (a JSON object)".into()));
    }
    let Some(mut version) = value.get("version").and_then(Value::as_u64) else {
        return Err(err(
            "version",
            "\"version\" is required and must be a whole number (1 or 2 for this format)".into(),
        ));
    };
    if version > u64::from(target) {
        return Err(err(
            "version",
            format!(
                "this file is format version {version}, newer than this app reads ({target}); update PCS Workbench"
            ),
        ));
    }
    if version == 0 {
        return Err(err(
            "version",
            "format version 0 does not exist; the first version is 1".into(),
        ));
    }
    while version < u64::from(target) {
        let Some(step) = steps.iter().find(|s| u64::from(s.from) == version) else {
            return Err(err(
                "version",
                format!("no upgrade from format version {version}"),
            ));
        };
        value = (step.apply)(value);
        version += 1;
        if let Some(obj) = value.as_object_mut() {
            obj.insert("version".into(), Value::from(version));
        }
    }
    Ok(value)
}
