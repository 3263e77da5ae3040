//! Changes outside `Resources`: parameters, outputs, conditions, mappings,
//! rules and top-level keys such as `Transform`.

use crate::diff::compare_free;
use crate::model::{ChangeKind, Impact, ResourceChange, SectionChange};
use crate::refs::references;
use crate::template::{Template, KEYED_SECTIONS};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::HashMap;

/// The section changes of two templates, in section order.
pub(crate) fn diff_sections(
    old: &Template,
    new: &Template,
    renames: &HashMap<String, String>,
    resources: &IndexMap<String, ResourceChange>,
) -> Vec<SectionChange> {
    let mut out = Vec::new();
    let empty = serde_json::Map::new();
    for section in KEYED_SECTIONS {
        let (a, b) = (old.section(section).unwrap_or(&empty), new.section(section).unwrap_or(&empty));
        for (key, n) in b {
            let o = a.get(key);
            let follows = follows_replacement(section, n, resources);
            let mut c = match o {
                None => entry(section, key, ChangeKind::Added, None, Some(n), Vec::new()),
                Some(o) => {
                    let changes = compare_free(o, n, renames);
                    if changes.is_empty() && follows.is_none() {
                        continue;
                    }
                    entry(section, key, ChangeKind::Modified, Some(o), Some(n), changes)
                }
            };
            c.notes.extend(notes(section, o, Some(n)));
            c.notes.extend(follows);
            c.notes.extend(readers(section, key, resources));
            out.push(c);
        }
        for (key, o) in a {
            if !b.contains_key(key) {
                let mut c = entry(section, key, ChangeKind::Removed, Some(o), None, Vec::new());
                c.notes.extend(notes(section, Some(o), None));
                out.push(c);
            }
        }
    }
    for c in &mut out {
        let Some(key) = &c.key else { continue };
        for note in new.loop_notes(&c.section, key).chain(old.loop_notes(&c.section, key)) {
            if !c.notes.contains(&note) {
                c.notes.push(note);
            }
        }
    }
    let keys: Vec<&String> = new
        .sections
        .keys()
        .chain(old.sections.keys().filter(|k| !new.sections.contains_key(*k)))
        .filter(|k| !KEYED_SECTIONS.contains(&k.as_str()))
        .collect();
    for k in keys {
        let (o, n) = (old.sections.get(k), new.sections.get(k));
        let kind = match (o, n) {
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Removed,
            _ => ChangeKind::Modified,
        };
        let changes = match (o, n) {
            (Some(o), Some(n)) => compare_free(o, n, renames),
            _ => Vec::new(),
        };
        if kind != ChangeKind::Modified || !changes.is_empty() {
            let mut c = SectionChange {
                section: k.clone(),
                key: None,
                kind,
                old: o.cloned(),
                new: n.cloned(),
                changes,
                notes: Vec::new(),
            };
            if k == "Transform" {
                c.notes.push("the macros that expand the template change: the deployed resources may differ from what this diff shows".into());
            }
            out.push(c);
        }
    }
    out
}

fn entry(
    section: &str,
    key: &str,
    kind: ChangeKind,
    old: Option<&Value>,
    new: Option<&Value>,
    changes: Vec<crate::model::PropertyChange>,
) -> SectionChange {
    SectionChange {
        section: section.to_string(),
        key: Some(key.to_string()),
        kind,
        old: old.cloned(),
        new: new.cloned(),
        changes,
        notes: Vec::new(),
    }
}

/// For an output whose value reads a replaced resource: why it changes.
fn follows_replacement(
    section: &str,
    value: &Value,
    resources: &IndexMap<String, ResourceChange>,
) -> Option<String> {
    if section != "Outputs" {
        return None;
    }
    let targets: Vec<String> = references(value.get("Value")?)
        .into_iter()
        .filter(|r| {
            resources.get(&r.target).is_some_and(|c| {
                c.kind != ChangeKind::Added && c.impact >= Impact::MayReplace && c.impact <= Impact::Replace
            })
        })
        .map(|r| r.target)
        .collect();
    let first = targets.first()?;
    let verb = match (&resources[first].old_logical_id, resources[first].impact) {
        (Some(from), _) => format!("is a new resource (renamed from {from})"),
        (None, Impact::Replace) => "is replaced".to_string(),
        _ => "may be replaced".to_string(),
    };
    Some(format!("the value may change because {first} {verb}"))
}

/// For a parameter or mapping followed into resources: which.
fn readers(section: &str, key: &str, resources: &IndexMap<String, ResourceChange>) -> Option<String> {
    let source = format!("{section}.{key}");
    let ids: Vec<String> = resources
        .values()
        .filter(|r| r.properties.iter().any(|p| p.caused_by.as_deref() == Some(source.as_str())))
        .map(|r| format!("`{}`", r.logical_id))
        .collect();
    (!ids.is_empty()).then(|| format!("read by {}", ids.join(", ")))
}

fn export_name(v: Option<&Value>) -> Option<&Value> {
    v?.get("Export")?.get("Name")
}

fn notes(section: &str, old: Option<&Value>, new: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    match section {
        "Outputs" => {
            let (a, b) = (export_name(old), export_name(new));
            if let Some(a) = a.filter(|a| Some(*a) != b) {
                out.push(format!(
                    "export `{}` goes away: CloudFormation refuses the update while another stack imports it",
                    crate::show::compact(a)
                ));
            }
        }
        "Parameters" if old.is_none() && new.is_some_and(|n| n.get("Default").is_none()) => {
            out.push("a new parameter without a Default: every deployment must now pass it".into());
        }
        _ => {}
    }
    out
}
