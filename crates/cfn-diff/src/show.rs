//! Short, readable text for values: `!Ref Bucket`, `!GetAtt Key.Arn`,
//! `!Sub arn:${AWS::Partition}:s3:::${Bucket}/*`, compact JSON otherwise.

use serde_json::Value;

/// A one-line rendering of a value.
pub(crate) fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) if m.len() == 1 => {
            let (k, arg) = m.iter().next().map(|(k, a)| (k.as_str(), a)).unwrap_or(("", v));
            match (k, arg) {
                ("Ref", Value::String(id)) => format!("!Ref {id}"),
                ("Fn::GetAtt", Value::Array(a)) if a.len() == 2 => {
                    format!("!GetAtt {}.{}", compact(&a[0]), compact(&a[1]))
                }
                ("Fn::GetAtt", Value::String(s)) => format!("!GetAtt {s}"),
                ("Fn::Sub", Value::String(s)) => format!("!Sub {s}"),
                ("Fn::Sub", Value::Array(a))
                    if a.len() == 2 && a[1].as_object().is_some_and(|m| m.is_empty()) =>
                {
                    format!("!Sub {}", compact(&a[0]))
                }
                ("Fn::Join", Value::Array(a)) if a.len() == 2 && a[1].is_array() => {
                    let parts: Vec<String> = a[1].as_array().into_iter().flatten().map(compact).collect();
                    format!("!Join {} [{}]", a[0], parts.join(", "))
                }
                _ => v.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// A value as it reads in a table cell or a line: strings bare, anything
/// else compact; `None` is shown as a dash.
pub(crate) fn cell(v: Option<&Value>) -> String {
    match v {
        None => "(none)".to_string(),
        Some(v) => compact(v),
    }
}

/// Text worth a line diff: a long or multi-line string, alone or as the
/// template of a `Fn::Sub`, or the pieces of a `Fn::Join`.
pub(crate) fn long_text(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Object(m) if m.len() == 1 => match m.iter().next() {
            Some((k, Value::String(s))) if k == "Fn::Sub" => s.clone(),
            Some((k, Value::Array(a))) if k == "Fn::Sub" => a.first()?.as_str()?.to_string(),
            Some((k, Value::Array(a))) if k == "Fn::Join" && a.len() == 2 => {
                let sep = a[0].as_str()?;
                let parts = a[1].as_array()?;
                parts.iter().map(compact).collect::<Vec<_>>().join(sep)
            }
            _ => return None,
        },
        _ => return None,
    };
    (text.contains('\n') || text.chars().count() > 120).then_some(text)
}

/// A unified line diff of two texts, with three lines of context; its
/// cost is bounded ([`crate::seqdiff`]).
pub(crate) fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out = String::new();
    for hunk in similar::group_diff_ops(crate::seqdiff::diff(&a, &b), 3) {
        if hunk.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str("--- old\n+++ new\n");
        }
        out.push_str(&format!("{}\n", similar::udiff::UnifiedHunkHeader::new(&hunk)));
        for op in &hunk {
            let (o, n) = (op.old_range(), op.new_range());
            let mut lines = |tag: char, lines: &[&str]| {
                for line in lines {
                    out.push(tag);
                    out.push_str(line);
                    if !line.ends_with('\n') {
                        out.push_str("\n\\ No newline at end of file\n");
                    }
                }
            };
            match op {
                similar::DiffOp::Equal { .. } => lines(' ', &a[o]),
                _ => {
                    lines('-', &a[o]);
                    lines('+', &b[n]);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intrinsics_read_short() {
        assert_eq!(compact(&json!({"Ref": "B"})), "!Ref B");
        assert_eq!(compact(&json!({"Fn::GetAtt": ["K", "Arn"]})), "!GetAtt K.Arn");
        assert_eq!(compact(&json!({"Fn::Sub": ["${B}/*", {}]})), "!Sub ${B}/*");
        assert_eq!(compact(&json!([1, "a"])), "[1,\"a\"]");
        assert_eq!(compact(&json!({"Fn::Join": ["", [{"Ref": "B"}, "/*"]]})), "!Join \"\" [!Ref B, /*]");
    }

    #[test]
    fn only_long_text_gets_a_line_diff() {
        assert!(long_text(&json!("short")).is_none());
        assert_eq!(
            long_text(&json!({"Fn::Join": ["\n", ["a", {"Ref": "B"}]]})).as_deref(),
            Some("a\n!Ref B")
        );
        let d = line_diff("a\nb\nc\n", "a\nB\nc\n");
        assert!(d.contains("-b\n+B\n"), "{d}");
        // The unified diff as similar writes it, missing newlines included.
        for (a, b) in [
            ("a\nb\nc", "a\nB\nc"),
            ("x\n", "x\ny"),
            ("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\n5\nsix\n7\n8\n9\n0\n"),
        ] {
            let expected = similar::TextDiff::from_lines(a, b)
                .unified_diff()
                .context_radius(3)
                .header("old", "new")
                .to_string();
            assert_eq!(line_diff(a, b), expected);
        }
    }
}
