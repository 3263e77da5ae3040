//! Errors from reading the document into the module's config type: serde's
//! messages turned into words, with the key, what the schema expects there,
//! and a suggestion for a near miss.

use serde_json::Value;

use crate::error::ConfigError;
use crate::path::{KeyPath, Segment};
use crate::position;
use crate::schema::KeySchema;
use crate::suggest::{did_you_mean, nearest, one_of};

use super::outline::{Located, Outline};

/// The key path serde_path_to_error recorded.
fn key_path(path: &serde_path_to_error::Path) -> KeyPath {
    let mut out = KeyPath::root();
    for s in path.iter() {
        match s {
            serde_path_to_error::Segment::Map { key } => out = out.key(key.clone()),
            serde_path_to_error::Segment::Seq { index } => out = out.index(*index),
            serde_path_to_error::Segment::Enum { .. } => {}
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    out
}

/// The path as yaml_serde writes it at the start of its messages.
fn yaml_serde_path(path: &KeyPath) -> String {
    let mut out = String::new();
    for s in &path.0 {
        match s {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The names between backticks in serde's "expected one of `a`, `b`".
fn quoted_names(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// serde's name for what it found, in words, and the value itself when it has one.
fn found_in_words(unexpected: &str) -> (String, Option<String>) {
    let ticked = |s: &str| s.split('`').nth(1).map(str::to_string);
    if let Some(rest) = unexpected.strip_prefix("string ") {
        let raw = rest.trim_matches('"').to_string();
        return (format!("the text {rest}"), Some(raw));
    }
    if unexpected.starts_with("integer ") {
        return (format!("the whole number {}", ticked(unexpected).unwrap_or_default()), ticked(unexpected));
    }
    if unexpected.starts_with("floating point ") {
        return (format!("the number {}", ticked(unexpected).unwrap_or_default()), ticked(unexpected));
    }
    if unexpected.starts_with("boolean ") {
        return (format!("the boolean {}", ticked(unexpected).unwrap_or_default()), ticked(unexpected));
    }
    let words = match unexpected {
        "unit value" => "no value (null)",
        "map" => "a mapping",
        "sequence" => "a list",
        "newtype struct" | "unit struct" | "struct" => "a mapping",
        other => other,
    };
    (words.to_string(), None)
}

/// serde's name for what it expected, in words.
fn expected_in_words(expected: &str) -> String {
    match expected {
        "a boolean" => "a boolean, `true` or `false`".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a string" | "a borrowed string" | "a character" => "text".into(),
        "a sequence" => "a list".into(),
        "a map" => "a mapping".into(),
        other if other.starts_with("struct ") => "a mapping of keys".into(),
        other => other.into(),
    }
}

/// What `name` should have been: one of `known`, and the nearest of them.
fn near_miss(err: ConfigError, name: &str, known: &[&str]) -> ConfigError {
    let err = if known.is_empty() { err.expected("no keys here") } else { err.expected(one_of(known)) };
    match did_you_mean(name, known) {
        Some(best) => err.help(format!("did you mean `{best}`?")),
        None => err,
    }
}

/// Turns a typed-deserialization error into one that names the key, says
/// what the schema expects there, and suggests a fix.
pub(crate) fn error(
    e: serde_path_to_error::Error<yaml_serde::Error>,
    text: &str,
    file: &str,
    outline: &Outline,
    schema: &Value,
) -> ConfigError {
    let path = key_path(e.path());
    let inner = e.into_inner();
    let position = inner.location().map(|l| (l.line(), l.column()));
    let mut message = inner.to_string();
    if let Some((line, column)) = position {
        if let Some(m) = message.strip_suffix(&format!(" at line {line} column {column}")) {
            message = m.to_string();
        }
    }
    let written = position.map(|p| position::rest_of_line(text, p)).unwrap_or_default();
    explain(path, message, position, written, file, &|p| outline.locate(p), schema)
}

/// Turns an error from deserializing a JSON value (a configuration
/// assembled from several sources) into one located by `locate`.
pub(crate) fn value_error(
    e: serde_path_to_error::Error<serde_json::Error>,
    locate: &dyn Fn(&KeyPath) -> (String, Located),
    schema: &Value,
) -> ConfigError {
    let path = key_path(e.path());
    let message = e.into_inner().to_string();
    // An unknown key is written under the path of its parent.
    let (file, at) = locate(&path);
    let position = if at.found == path { at.at } else { None };
    let mut err = explain(path.clone(), message, position, "", &file, &|p| locate(p).1, schema);
    if err.position.is_none() && at.at.is_some() {
        err = err.at(at.at).note(format!("the position is that of `{}`", at.found));
    }
    err
}

fn explain(
    path: KeyPath,
    mut message: String,
    position: Option<(usize, usize)>,
    written: &str,
    file: &str,
    locate: &dyn Fn(&KeyPath) -> Located,
    schema: &Value,
) -> ConfigError {
    // yaml_serde starts with the path; the path may also end at the unknown key.
    for p in [path.clone(), path.parent()] {
        let prefix = format!("{}: ", yaml_serde_path(&p));
        if !p.is_root() {
            if let Some(m) = message.strip_prefix(&prefix) {
                message = m.to_string();
                break;
            }
        }
    }

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let parent =
            if path.0.last() == Some(&Segment::Key(name.to_string())) { path.parent() } else { path.clone() };
        let err =
            ConfigError::new(file, "unknown key").at(position).key(parent.clone().key(name).to_string());
        // serde lists every field the type reads; offer only the keys the schema offers.
        let here = KeySchema::find(schema, &parent);
        let known: Vec<&str> = quoted_names(expected)
            .into_iter()
            .filter(|k| here.as_ref().and_then(|h| h.offers(k)).unwrap_or(true))
            .collect();
        return near_miss(err, name, &known);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let err = ConfigError::new(file, format!("`{name}` is not an accepted value"))
            .at(position)
            .key(path.to_string());
        return near_miss(err, name, &quoted_names(expected));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let at = locate(&path);
        let mut err =
            ConfigError::new(file, "this required key is missing").key(path.clone().key(name).to_string());
        err = match at.at {
            Some(p) if !path.is_root() => {
                err.at(Some(p)).note(format!("the position is that of `{}`", at.found))
            }
            _ => err.note("a missing key has no line of its own"),
        };
        if let Some(d) = KeySchema::find(schema, &path.clone().key(name)).and_then(|s| s.describe()) {
            err = err.expected(d);
        }
        return err;
    }

    let key = (!path.is_root()).then(|| path.to_string());
    let mut err = ConfigError::new(file, message.clone()).at(position);
    if let Some(k) = &key {
        err = err.key(k.clone());
    }
    let kind = ["invalid type: ", "invalid value: "].into_iter().find(|k| message.starts_with(k));
    let Some(kind) = kind else { return err };
    let Some((unexpected, expected)) = message[kind.len()..].split_once(", expected ") else { return err };
    let (found, value) = found_in_words(unexpected);
    let schema_here = KeySchema::find(schema, &path);
    let described = schema_here.as_ref().and_then(|s| s.describe());
    err.problem = if kind == "invalid type: " {
        format!("found {found}")
    } else {
        format!("{found} is not accepted here")
    };
    err = err.expected(described.clone().unwrap_or_else(|| expected_in_words(expected)));

    // A tagged, quoted scalar (`!!bool "true"`) is read as text whatever
    // its tag, so serde's message would contradict itself.
    if written.starts_with("!!") && written.contains(['"', '\'']) {
        let shown = written.split(" #").next().unwrap_or(written).trim_end();
        err.problem = format!("`{shown}` is quoted, so it is read as text whatever its tag");
        return err.help(format!("write the value without tag or quotes: `{}`", value.unwrap_or_default()));
    }

    let accepted = schema_here.as_ref().and_then(|s| s.accepted());
    match (accepted, value.as_deref()) {
        (Some(values), Some(v)) => {
            let numbers: Vec<i128> = values.iter().filter_map(Value::as_i64).map(i128::from).collect();
            let texts: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            if let (false, Ok(n)) = (numbers.is_empty(), v.parse::<i128>()) {
                if let Some(best) = nearest(n, &numbers) {
                    err = err.help(format!("the nearest accepted value is {best}"));
                }
            } else if let Some(best) = did_you_mean(v, &texts) {
                err = err.help(format!("did you mean `{best}`?"));
            }
        }
        _ if expected == "a boolean" => {
            err = err.help(match value.as_deref() {
                Some("true" | "false") => "write `true` or `false` without quotes",
                _ => "write `true` or `false`",
            });
        }
        _ => {}
    }
    if path.is_root() {
        err = err.help("the file must be a YAML mapping of configuration keys");
    }
    err
}
