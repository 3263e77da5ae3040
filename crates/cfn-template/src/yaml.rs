//! YAML output with CloudFormation's short-form intrinsic tags.
//!
//! The writer works on the JSON value of the template, so YAML and JSON can
//! only differ in notation: a single-key object `{"Fn::X": arg}` becomes
//! `!X arg`. `Condition` keeps its long form, since a single-key map named
//! `Condition` can also be data. CloudFormation rejects a short-form function
//! whose argument is directly another short-form function (`!Base64 !Sub`),
//! so the outer one keeps its long form there.

use serde_json::{Map, Value};

/// Writes a JSON value as block-style YAML with a trailing newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map_entries(&mut out, m, 0, true),
        other => {
            write_node(&mut out, other, 0);
            out.remove(0);
        }
    }
    out
}

/// The short-form tag of a function, for the functions that have one.
fn short_tag(key: &str) -> Option<&str> {
    const SHORT: [&str; 17] = [
        "And",
        "Base64",
        "Cidr",
        "Equals",
        "FindInMap",
        "GetAZs",
        "GetAtt",
        "If",
        "ImportValue",
        "Join",
        "Length",
        "Not",
        "Or",
        "Select",
        "Split",
        "Sub",
        "ToJsonString",
    ];
    match key {
        "Ref" => Some("Ref"),
        k => k.strip_prefix("Fn::").filter(|name| SHORT.contains(name)),
    }
}

fn as_intrinsic(v: &Value) -> Option<(&str, &Value)> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    let (k, arg) = m.iter().next()?;
    let tag = short_tag(k)?;
    // `!Tag !Other` is not allowed: keep the outer function in long form.
    if as_intrinsic(arg).is_some() {
        return None;
    }
    Some((tag, arg))
}

fn pad(out: &mut String, col: usize) {
    out.extend(std::iter::repeat_n(' ', col));
}

/// Writes a node that follows `key:` or `-`: a space and a scalar, or a
/// newline and a block indented at `col`.
fn write_node(out: &mut String, v: &Value, col: usize) {
    if let Some((tag, arg)) = as_intrinsic(v) {
        out.push_str(" !");
        out.push_str(tag);
        if tag == "GetAtt" {
            // `!GetAtt Id.Attr` splits at the first dot, so the ID must have none.
            if let Some([Value::String(id), Value::String(attr)]) = arg
                .as_array()
                .map(Vec::as_slice)
                .filter(|a| a[0].as_str().is_some_and(|id| !id.contains('.')))
            {
                out.push(' ');
                write_scalar(out, &format!("{id}.{attr}"));
                out.push('\n');
                return;
            }
        }
        return write_node(out, arg, col);
    }
    match v {
        Value::Object(m) if m.is_empty() => out.push_str(" {}\n"),
        Value::Array(a) if a.is_empty() => out.push_str(" []\n"),
        Value::Object(m) => {
            out.push('\n');
            write_map_entries(out, m, col, true);
        }
        Value::Array(items) => {
            out.push('\n');
            for item in items {
                pad(out, col);
                out.push('-');
                write_item(out, item, col + 2);
            }
        }
        Value::String(s) if is_block_candidate(s) => write_block_scalar(out, s, col),
        other => {
            out.push(' ');
            write_plain(out, other);
            out.push('\n');
        }
    }
}

/// Writes a sequence item after its `-`: maps and nested lists start on the
/// dash's line, so `- Key: value` rather than a dangling dash.
fn write_item(out: &mut String, v: &Value, col: usize) {
    if as_intrinsic(v).is_none() {
        match v {
            Value::Object(m) if !m.is_empty() => {
                out.push(' ');
                return write_map_entries(out, m, col, false);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push(' ');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        pad(out, col);
                    }
                    out.push('-');
                    write_item(out, item, col + 2);
                }
                return;
            }
            _ => {}
        }
    }
    write_node(out, v, col);
}

fn write_map_entries(out: &mut String, m: &Map<String, Value>, col: usize, pad_first: bool) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || pad_first {
            pad(out, col);
        }
        let start = out.len();
        write_scalar(out, k);
        // YAML readers take an implicit key of at most 1024 characters; a
        // longer one needs the explicit `? key` form.
        if out.len() - start > 1000 && out[start..].chars().count() > 1000 {
            out.insert_str(start, "? ");
            out.push('\n');
            pad(out, col);
        }
        out.push(':');
        write_node(out, v, col + 2);
    }
}

fn write_plain(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => write_scalar(out, s),
        Value::Null => out.push_str("null"),
        Value::Number(n) if n.is_f64() => out.push_str(&float(&n.to_string())),
        other => out.push_str(&other.to_string()),
    }
}

/// A JSON float as YAML 1.1 reads a float: it needs a `.` in the mantissa
/// and a sign in the exponent, or `1e100` would be read back as a string.
fn float(json: &str) -> String {
    let (mantissa, exponent) = match json.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (json, None),
    };
    let mut out = mantissa.to_string();
    if !out.contains('.') {
        out.push_str(".0");
    }
    if let Some(e) = exponent {
        out.push('e');
        if !e.starts_with(['-', '+']) {
            out.push('+');
        }
        out.push_str(e);
    }
    out
}

/// A string as a plain scalar where every YAML reader (1.1 and 1.2) reads
/// it back as the same string, otherwise double-quoted.
///
/// Plain scalars here start with a letter or `/` (so never a number, an
/// indicator or a tag), hold no `: ` or ` #` (which would end them), and end
/// in neither a space nor a colon.
fn write_scalar(out: &mut String, s: &str) {
    if is_plain(s) {
        out.push_str(s);
    } else {
        write_quoted(out, s);
    }
}

fn is_plain(s: &str) -> bool {
    // Words YAML 1.1 or 1.2 read as booleans or null, in any case.
    const RESERVED: [&str; 11] = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", ""];
    // Byte tests suffice: a non-ASCII character fails them in any of its bytes.
    let b = s.as_bytes();
    b.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b" _./:@*-,()+=".contains(c))
        && !s.ends_with([':', ' '])
        && !s.contains(": ")
        && !s.contains("  ")
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
}

/// Whether a character may appear unescaped in a YAML document. YAML 1.1
/// readers (PyYAML, which cfn-lint uses) also take U+0085, U+2028 and
/// U+2029 for line breaks, so those are escaped too.
pub(crate) fn printable(c: char) -> bool {
    matches!(c, ' '..='~')
        || (c >= '\u{a0}' && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
}

/// A double-quoted scalar: JSON's escapes plus YAML's `\x`, `\u` and `\U`
/// for everything a reader might take for something else.
fn write_quoted(out: &mut String, s: &str) {
    use std::fmt::Write as _;
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        // Writing to a String cannot fail.
        let _ = match c {
            '"' => out.write_str("\\\""),
            '\\' => out.write_str("\\\\"),
            '\n' => out.write_str("\\n"),
            '\t' => out.write_str("\\t"),
            '\r' => out.write_str("\\r"),
            c if printable(c) => out.write_char(c),
            c if u32::from(c) <= 0xff => write!(out, "\\x{:02X}", u32::from(c)),
            c if u32::from(c) <= 0xffff => write!(out, "\\u{:04X}", u32::from(c)),
            c => write!(out, "\\U{:08X}", u32::from(c)),
        };
    }
    out.push('"');
}

/// Multi-line text reads best as a literal block (`|`): inline code stays
/// reviewable. Text a literal block cannot carry exactly is quoted instead:
/// a leading space or blank first line (the block's indentation would be
/// misread), trailing spaces (editors strip them) and unprintable characters.
fn is_block_candidate(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n', '\t'])
        && s.chars().all(|c| c == '\n' || c == '\t' || printable(c))
        && !s.split('\n').any(|l| l.ends_with([' ', '\t']))
}

fn write_block_scalar(out: &mut String, s: &str, col: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push_str(match trailing {
        0 => " |-\n",
        1 => " |\n",
        _ => " |+\n",
    });
    for line in s.trim_end_matches('\n').split('\n') {
        if !line.is_empty() {
            pad(out, col);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scalar(s: &str) -> String {
        let mut out = String::new();
        write_scalar(&mut out, s);
        out
    }

    #[test]
    fn intrinsics_use_short_tags() {
        let v = json!({"A": {"Ref": "X"}, "B": {"Fn::GetAtt": ["R", "Arn"]}, "C": {"Fn::Sub": "a-${X}"}});
        assert_eq!(to_yaml(&v), "A: !Ref X\nB: !GetAtt R.Arn\nC: !Sub \"a-${X}\"\n");
    }

    #[test]
    fn nested_short_forms_keep_the_outer_long_form() {
        let v = json!({"U": {"Fn::Base64": {"Fn::Sub": "x"}}});
        assert_eq!(to_yaml(&v), "U:\n  Fn::Base64: !Sub x\n");
    }

    #[test]
    fn lists_and_maps_nest_in_block_style() {
        let v = json!({"L": [{"K": "v", "J": [1, 2]}, ["a", {"Ref": "B"}]], "E": [], "M": {}});
        assert_eq!(
            to_yaml(&v),
            "L:\n  - K: v\n    J:\n      - 1\n      - 2\n  - - a\n    - !Ref B\nE: []\nM: {}\n"
        );
    }

    #[test]
    fn tagged_lists_indent_under_the_tag() {
        let v = json!({"J": {"Fn::Join": ["", ["a", {"Ref": "B"}]]}});
        assert_eq!(to_yaml(&v), "J: !Join\n  - \"\"\n  - - a\n    - !Ref B\n");
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in ["true", "No", "2012-10-17", "123", "a: b", "#x", "*", "", "x:"] {
            assert!(scalar(s).starts_with('"'), "{s} should be quoted");
        }
        assert_eq!(scalar("s3:PutObject"), "s3:PutObject");
        assert_eq!(scalar("AWS::Region"), "AWS::Region");
    }

    #[test]
    fn multi_line_text_is_a_literal_block() {
        let v = json!({"Code": "def f():\n    return 1\n"});
        assert_eq!(to_yaml(&v), "Code: |\n  def f():\n      return 1\n");
        let v = json!({"Code": "a\n\nb"});
        assert_eq!(to_yaml(&v), "Code: |-\n  a\n\n  b\n");
    }
}
