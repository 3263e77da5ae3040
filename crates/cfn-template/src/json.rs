//! Pretty JSON whose strings every template reader accepts.
//!
//! serde_json leaves DEL, the C1 controls and U+2028/U+2029 unescaped, which
//! is valid JSON; but cfn-lint (and any tool that reads templates with a YAML
//! 1.1 parser, since JSON is YAML) rejects or folds them. Escaping them costs
//! nothing and keeps the JSON readable by every tool the YAML is.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::yaml::printable;

/// Two-space pretty printing, with the escapes above.
struct Portable(PrettyFormatter<'static>);

impl Formatter for Portable {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        // Most text is printable ASCII, written as it is: serde_json has
        // already split the fragments at the control characters it escapes,
        // so DEL and non-ASCII are all that is left to look for.
        if fragment.is_ascii() && !fragment.as_bytes().contains(&0x7f) {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if printable(c) {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Pretty JSON (two-space indent) with a trailing newline.
pub(crate) fn to_pretty_json<T: Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, Portable(PrettyFormatter::with_indent(b"  ")));
    value.serialize(&mut ser).expect("JSON values always serialize");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_what_yaml_readers_reject_and_keeps_the_rest() {
        let v = json!({"k": "a\u{7f}b\u{85}c\u{2028}d\u{feff}é😀\"\n\u{1}"});
        assert_eq!(
            to_pretty_json(&v),
            "{\n  \"k\": \"a\\u007fb\\u0085c\\u2028d\\ufeffé😀\\\"\\n\\u0001\"\n}\n"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&to_pretty_json(&v)).unwrap(), v);
    }

    #[test]
    fn matches_serde_json_pretty_output_otherwise() {
        let v = json!({"a": [1, {"b": []}, {}], "c": null, "d": "x"});
        assert_eq!(to_pretty_json(&v), serde_json::to_string_pretty(&v).unwrap() + "\n");
    }
}
