//! Replacements followed along references: a property that reads a
//! replaced resource's `Ref` or attribute gets a new value, which may in
//! turn replace its resource, and so on.
//!
//! The value certainly changes when the replaced resource certainly gets a
//! new physical ID, the reference reads it (`Ref`, `Arn`, an identifier),
//! and the expression around it passes the change on ([`certainly_changes`]);
//! then a create-only property that holds it replaces its resource as
//! surely as an edit would. Otherwise it may change, and the property's
//! resource may be replaced at most (as CloudFormation's change sets say
//! "conditionally").

use crate::canon::Canon;
use crate::diff::unchanged;
use crate::effect::property_effect;
use crate::identity::{certainly_changes, new_identity, reads_identity, Read};
use crate::model::*;
use crate::path::{pointer, Seg};
use crate::refs::{references, RefKind};
use crate::template::Template;
use crate::update_policy::governed;
use cfn_template::schema::facts::facts;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Follows every replacement, rename and possible replacement in `changes`
/// to the resources that read it.
pub(crate) fn propagate(changes: &mut IndexMap<String, ResourceChange>, old: &Template, new: &Template) {
    let mut work: Vec<String> = changes
        .values()
        .filter(|c| matches!(c.kind, ChangeKind::Modified | ChangeKind::TypeChanged | ChangeKind::Renamed))
        .filter(|c| matches!(c.impact, Impact::MayReplace | Impact::Replace))
        .map(|c| c.logical_id.clone())
        .collect();
    // The impact each resource was followed with: followed again when it grows.
    let mut followed: HashMap<String, Impact> = HashMap::new();
    // Who reads whom: target → (reader, where), resources of both templates only.
    let mut readers: HashMap<String, Vec<(String, Vec<Seg>)>> = HashMap::new();
    for (id, r) in new.resources.iter().filter(|(id, _)| old.resources.contains_key(*id)) {
        let canon = Canon::new(facts(&r.type_name), None);
        for reference in references(&Value::Object(r.properties.clone())) {
            if reference.kind == RefKind::DependsOn {
                continue;
            }
            let path = shown_path(&reference.path, &canon);
            let list = readers.entry(reference.target).or_default();
            // A resource's references are read together: only its own
            // entries, at the end of the list, can repeat this one.
            if !list.iter().rev().take_while(|(i, _)| i == id).any(|(_, p)| *p == path) {
                list.push((id.clone(), path));
            }
        }
    }
    while let Some(target) = work.pop() {
        let Some(change) = changes.get(&target) else { continue };
        if followed.get(&target).is_some_and(|i| *i >= change.impact) {
            continue;
        }
        followed.insert(target.clone(), change.impact);
        let target_facts = new.resources.get(&target).and_then(|r| facts(&r.type_name));
        let renewed = change.impact == Impact::Replace
            && new.resources.get(&target).is_some_and(|r| new_identity(change, r, target_facts));
        let verb = match (change.impact, &change.old_logical_id) {
            (_, Some(from)) => format!("is a new resource (renamed from {from})"),
            (Impact::Replace, None) => "is replaced".to_string(),
            _ => "may be replaced".to_string(),
        };
        let reads = |read: Read| match read {
            Read::Ref(id, attribute) => renewed && id == target && reads_identity(target_facts, attribute),
            Read::FindInMap(_) => false,
        };
        for (id, path) in readers.get(&target).map(Vec::as_slice).unwrap_or_default() {
            let (o, n) = (&old.resources[id], &new.resources[id]);
            let entry = changes.entry(id.clone()).or_insert_with(|| unchanged(id, o, n));
            if entry.kind != ChangeKind::Modified {
                continue;
            }
            let ptr = pointer(path);
            let value = get(&n.properties, path);
            let (effect, why) = governed(o, n, &ptr)
                .unwrap_or_else(|| property_effect(facts(&n.type_name), &n.type_name, &ptr, value, value));
            let certain = value.is_some_and(|v| certainly_changes(v, &reads));
            let (impact, reason) = if certain {
                (effect, format!("changes because {target} {verb} (a new physical ID): {why}"))
            } else {
                (effect.min(Impact::MayReplace), format!("may change because {target} {verb}"))
            };
            let change = PropertyChange {
                path: crate::path::display(path),
                pointer: ptr.clone(),
                old: value.cloned(),
                new: value.cloned(),
                impact,
                reason,
                caused_by: Some(target.clone()),
                line_diff: None,
                statements: None,
            };
            // A value already followed from the same resource is judged again
            // when that resource's replacement became certain.
            if let Some(earlier) =
                entry.properties.iter_mut().find(|p| p.pointer == ptr && p.caused_by == change.caused_by)
            {
                if earlier.impact < change.impact || (certain && earlier.reason.starts_with("may")) {
                    *earlier = change;
                }
            } else if !entry.properties.iter().any(|p| within(&ptr, &p.pointer) || within(&p.pointer, &ptr)) {
                entry.properties.push(change);
            }
            entry.impact =
                entry.properties.iter().map(|p| p.impact).max().unwrap_or(Impact::None).max(entry.impact);
            if entry.impact >= Impact::MayReplace && followed.get(id).is_none_or(|i| *i < entry.impact) {
                work.push(id.clone());
            }
        }
    }
}

/// Where a reference is reported: at the policy document or intrinsic
/// function that holds it, not inside their arguments.
pub(crate) fn shown_path(path: &[Seg], canon: &Canon) -> Vec<Seg> {
    for end in 1..=path.len() {
        let prefix = &path[..end];
        if canon.policy_at(&pointer(prefix)).is_some() {
            return prefix.to_vec();
        }
        if let Some(Seg::Key(k)) = path.get(end) {
            if k.starts_with("Fn::") {
                return prefix.to_vec();
            }
        }
    }
    path.to_vec()
}

/// Whether pointer `a` is `b` or lies below it.
pub(crate) fn within(a: &str, b: &str) -> bool {
    a == b || a.strip_prefix(b).is_some_and(|rest| rest.starts_with('/'))
}

pub(crate) fn get<'v>(props: &'v Map<String, Value>, path: &[Seg]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(k) = first else { return None };
    let mut v = props.get(k)?;
    for seg in rest {
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(m)) => m.get(k)?,
            (Seg::Index(i) | Seg::Item { index: i, .. }, Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}
