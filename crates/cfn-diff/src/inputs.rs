//! Mapping values and parameter defaults followed into the resources that
//! read them (`Fn::FindInMap`, `Ref` and `Fn::Sub` variables): the same
//! text then deploys another value, judged as a change of that property.
//!
//! A mapping value read with literal keys changes for certain; read with
//! keys chosen at deploy time (`!Ref AWS::Region`), it changes for certain
//! when it changes under every key the old mapping has (an AMI map updated
//! for every region), and may otherwise. A parameter's
//! new `Default` reaches the stack only when no value is given at deploy
//! time (and `UsePreviousValue` is not asked for), so what reads it changes
//! "if the stack uses the default": a create-only property may be
//! replaced, no more.

use crate::canon::Canon;
use crate::diff::unchanged;
use crate::effect::property_effect;
use crate::follow::{get, shown_path, within};
use crate::identity::{certainly_changes, Read};
use crate::model::*;
use crate::path::{display, pointer, visit, Seg};
use crate::refs::{references, RefKind};
use crate::show::compact;
use crate::template::Template;
use crate::update_policy::governed;
use cfn_template::schema::facts::facts;
use indexmap::IndexMap;
use serde_json::Value;

/// What changed in the template's inputs.
struct Inputs<'t> {
    /// Parameters whose `Default` changes: name, old and new default.
    defaults: Vec<(&'t str, &'t Value, &'t Value)>,
    /// Mappings that differ: name, old and new.
    mappings: Vec<(&'t str, &'t Value, &'t Value)>,
}

fn changed_inputs<'t>(old: &'t Template, new: &'t Template) -> Inputs<'t> {
    let canon = Canon::plain(None);
    let pairs = |section: &str| -> Vec<(&'t str, &'t Value, &'t Value)> {
        let (Some(a), Some(b)) = (old.section(section), new.section(section)) else { return Vec::new() };
        b.iter()
            .filter_map(|(k, n)| a.get(k).map(|o| (k.as_str(), o, n)))
            .filter(|(_, o, n)| canon.free(o) != canon.free(n))
            .collect()
    };
    let defaults = pairs("Parameters")
        .into_iter()
        .filter_map(|(k, o, n)| Some((k, o.get("Default")?, n.get("Default")?)))
        .filter(|(_, o, n)| canon.free(o) != canon.free(n))
        .collect();
    Inputs { defaults, mappings: pairs("Mappings") }
}

/// Adds, to the resources of both templates, the property changes that
/// follow from changed mapping values and parameter defaults.
pub(crate) fn follow_inputs(changes: &mut IndexMap<String, ResourceChange>, old: &Template, new: &Template) {
    let inputs = changed_inputs(old, new);
    if inputs.defaults.is_empty() && inputs.mappings.is_empty() {
        return;
    }
    for (id, n) in &new.resources {
        let Some(o) = old.resources.get(id).filter(|o| o.type_name == n.type_name) else { continue };
        let props = Value::Object(n.properties.clone());
        let canon = Canon::new(facts(&n.type_name), None);
        let mut found: Vec<(Vec<Seg>, String, Impact, String)> = Vec::new();
        // What a new value at `path` does to the resource, and why.
        let effect = |path: &[Seg]| {
            let ptr = pointer(path);
            let value = get(&n.properties, path);
            governed(o, n, &ptr)
                .unwrap_or_else(|| property_effect(facts(&n.type_name), &n.type_name, &ptr, value, value))
        };
        for r in references(&props) {
            if r.kind == RefKind::DependsOn || r.attribute.is_some() {
                continue;
            }
            let Some((name, was, now)) = inputs.defaults.iter().find(|(p, ..)| *p == r.target) else {
                continue;
            };
            let path = shown_path(&r.path, &canon);
            let source = format!("Parameters.{name}");
            let Some(value) = get(&n.properties, &path) else { continue };
            if found.iter().any(|(p, s, ..)| *p == path && *s == source) {
                continue;
            }
            let certain = certainly_changes(value, &|read| read == Read::Ref(name, None));
            let (impact, why) = effect(&path);
            let outcome = match (certain, impact) {
                (true, Impact::Replace) => "replaced",
                (true, _) => "changes",
                (false, _) => "may change",
            };
            let reason = format!(
                "the Default of parameter {name} changes ({} to {}): {outcome} if the stack uses the default \
                 rather than a value given at deploy time; {why}",
                compact(was),
                compact(now)
            );
            found.push((path, source, impact.min(Impact::MayReplace), reason));
        }
        for (path, args) in find_in_maps(&props) {
            let Some(Value::String(map)) = args.first() else { continue };
            let Some((_, was, now)) = inputs.mappings.iter().find(|(m, ..)| m == map) else { continue };
            let keys = (literal(args.get(1)), literal(args.get(2)));
            let Some(differ) = differing(was, now, keys) else { continue };
            let path = shown_path(&path, &canon);
            let source = format!("Mappings.{map}");
            let Some(value) = get(&n.properties, &path) else { continue };
            if found.iter().any(|(p, s, ..)| *p == path && *s == source) {
                continue;
            }
            let certain = differ != MappingRead::SomeChoice
                && certainly_changes(
                    value,
                    &|read| matches!(read, Read::FindInMap(a) if a == args.as_slice()),
                );
            let (impact, why) = effect(&path);
            let reason = match differ {
                MappingRead::Literal(a, b) => format!(
                    "mapping {map} value {}.{} changes ({} to {})",
                    keys.0.unwrap_or_default(),
                    keys.1.unwrap_or_default(),
                    compact(a),
                    compact(b)
                ),
                MappingRead::EveryChoice => {
                    format!("mapping {map} changes under every key the deploy may choose")
                }
                MappingRead::SomeChoice => {
                    format!("may change: mapping {map} differs under some keys chosen at deploy time")
                }
            };
            let impact = if certain { impact } else { impact.min(Impact::MayReplace) };
            found.push((path, source, impact, format!("{reason}; {why}")));
        }
        if found.is_empty() {
            continue;
        }
        let entry = changes.entry(id.clone()).or_insert_with(|| unchanged(id, o, n));
        if entry.kind != ChangeKind::Modified {
            continue;
        }
        for (path, source, impact, reason) in found {
            let ptr = pointer(&path);
            if entry.properties.iter().any(|p| within(&ptr, &p.pointer) || within(&p.pointer, &ptr)) {
                continue;
            }
            let value = get(&n.properties, &path).cloned();
            entry.properties.push(PropertyChange {
                path: display(&path),
                pointer: ptr,
                old: value.clone(),
                new: value,
                impact,
                reason,
                caused_by: Some(source),
                line_diff: None,
                statements: None,
            });
            entry.impact = entry.impact.max(impact);
        }
    }
}

fn literal(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

/// What a mapping read with these keys (`None` when chosen at deploy time)
/// now reads, against what it read.
#[derive(Debug, PartialEq)]
enum MappingRead<'v> {
    /// Both keys are literal, and the value changes from the first to the second.
    Literal(&'v Value, &'v Value),
    /// Whichever keys the deploy chose, among those the old mapping has, the
    /// value changes.
    EveryChoice,
    /// Some keys the deploy may choose read another value, others the same.
    SomeChoice,
}

/// How a mapping read with these keys changes, or `None` when it cannot.
fn differing<'v>(
    was: &'v Value,
    now: &'v Value,
    keys: (Option<&str>, Option<&str>),
) -> Option<MappingRead<'v>> {
    static NULL: Value = Value::Null;
    let null = &NULL;
    let canon = Canon::plain(None);
    let top = |m: &'v Value| m.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    let firsts: Vec<String> = match keys.0 {
        Some(k) => vec![k.to_string()],
        None => top(was).into_iter().chain(top(now)).collect(),
    };
    let (mut changed, mut kept) = (false, false);
    for first in &firsts {
        let (a, b) = (was.get(first).unwrap_or(null), now.get(first).unwrap_or(null));
        let seconds: Vec<String> = match keys.1 {
            Some(k) => vec![k.to_string()],
            None => top(a).into_iter().chain(top(b)).collect(),
        };
        for second in &seconds {
            let (x, y) = (a.get(second).unwrap_or(null), b.get(second).unwrap_or(null));
            if canon.free(x) != canon.free(y) {
                if keys.0.is_some() && keys.1.is_some() {
                    return Some(MappingRead::Literal(x, y));
                }
                changed = true;
            } else if !x.is_null() {
                // A key the old mapping has, which the deployed stack may have used.
                kept = true;
            }
        }
    }
    match (changed, kept) {
        (false, _) => None,
        (true, false) => Some(MappingRead::EveryChoice),
        (true, true) => Some(MappingRead::SomeChoice),
    }
}

/// Every `Fn::FindInMap` in a value, with its path and arguments.
fn find_in_maps(v: &Value) -> Vec<(Vec<Seg>, Vec<Value>)> {
    let mut out = Vec::new();
    visit(v, &mut Vec::new(), &mut |v, path| {
        if let Some(Value::Array(args)) =
            v.as_object().filter(|m| m.len() == 1).and_then(|m| m.get("Fn::FindInMap"))
        {
            out.push((path.to_vec(), args.clone()));
        }
        true
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mapping_reads_differ_by_their_keys() {
        let was = json!({"prod": {"Size": 1, "Name": "a"}, "dev": {"Size": 1}});
        let now = json!({"prod": {"Size": 2, "Name": "a"}, "dev": {"Size": 1}});
        assert_eq!(
            differing(&was, &now, (Some("prod"), Some("Size"))),
            Some(MappingRead::Literal(&json!(1), &json!(2)))
        );
        assert_eq!(differing(&was, &now, (Some("prod"), Some("Name"))), None);
        assert_eq!(differing(&was, &now, (Some("dev"), Some("Size"))), None);
        // prod's size changes, dev's does not: which the stack reads depends on its key.
        assert_eq!(differing(&was, &now, (None, Some("Size"))), Some(MappingRead::SomeChoice));
        assert_eq!(differing(&was, &now, (None, Some("Name"))), None);
        // An AMI map whose every region changes: the value changes whichever region it is.
        let was = json!({"eu-west-1": {"AMI": "ami-1"}, "us-east-1": {"AMI": "ami-2"}});
        let now = json!({"eu-west-1": {"AMI": "ami-3"}, "us-east-1": {"AMI": "ami-4"}, "ap-south-1": {"AMI": "ami-5"}});
        assert_eq!(differing(&was, &now, (None, Some("AMI"))), Some(MappingRead::EveryChoice));
        let found = find_in_maps(&json!({"A": [{"Fn::FindInMap": ["M", "k", "v"]}]}));
        assert_eq!(found[0].0, vec![Seg::Key("A".into()), Seg::Index(0)]);
    }
}
