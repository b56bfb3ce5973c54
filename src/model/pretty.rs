//! JSON written with two-space indentation, byte for byte as `serde_json::to_string_pretty`
//! writes it, but each line break and its indentation in one write: serde_json's pretty
//! formatter writes the indentation one level at a time, and a workspace file has millions
//! of lines (every month of every series is one), most of them five or more levels deep.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// A line break and the indentation of the deepest level written in one write; a deeper
/// level (no workspace has one) is written with the rest after it.
const BREAKS: &[u8] = b",\n                                                                ";

/// The formatter: [`serde_json::ser::PrettyFormatter`] with `"  "` as its indentation
/// (numbers, strings and escapes are written by the trait's defaults, as there).
#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// A new line (after a comma unless `first`) indented to the current level.
    fn line<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        let from = usize::from(first);
        let wanted = 2 + 2 * self.level;
        let end = wanted.min(BREAKS.len());
        w.write_all(&BREAKS[from..end])?;
        for _ in end..wanted {
            w.write_all(b" ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as pretty JSON, exactly as `serde_json::to_string_pretty` writes it.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    to_string_pretty_sized(value, 128)
}

/// [`to_string_pretty`] into a buffer of `capacity` bytes to start with (a good guess
/// spares copying a large file each time the buffer grows).
pub fn to_string_pretty_sized<T: Serialize + ?Sized>(
    value: &T,
    capacity: usize,
) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(capacity);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
    value.serialize(&mut ser)?;
    // serde_json writes only valid UTF-8 (strings are &str, escapes ASCII).
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn same(v: &Value) {
        assert_eq!(
            to_string_pretty(v).expect("json"),
            serde_json::to_string_pretty(v).expect("json"),
            "{v}"
        );
    }

    #[test]
    fn it_writes_what_serde_json_pretty_writes() {
        for v in [
            json!(null),
            json!(1.5),
            json!("a \"quoted\" \u{1F600} \n line"),
            json!([]),
            json!({}),
            json!([[], {}, [[]], {"a": {}}]),
            json!({"a": [1, 2, {"b": [null, true, {"c": []}]}], "d": "e", "f": {"g": {"h": 1e300}}}),
        ] {
            same(&v);
        }
        // Deeper than the one-write indentation reaches.
        let mut deep = json!([1, {"k": 2}]);
        for i in 0..80 {
            deep = if i % 2 == 0 {
                json!([deep, i])
            } else {
                json!({"x": deep, "y": []})
            };
        }
        same(&deep);
    }

    #[test]
    fn a_workspace_is_written_as_serde_json_pretty_writes_it() {
        let ws = crate::data::demo();
        assert_eq!(
            to_string_pretty(&ws).expect("json"),
            serde_json::to_string_pretty(&ws).expect("json")
        );
    }
}
