//! The diff of two templates: resources matched by logical ID, renames
//! found, impacts read from the schema facts, replacements followed along
//! references, then everything ranked by danger.

use crate::canon::{key_text, Canon};
use crate::compare::{compare_maps, compare_values, RawChange};
use crate::effect::property_effect;
use crate::model::*;
use crate::names::name_properties;
use crate::path::{display, pointer};
use crate::policy::diff_statements;
use crate::refs::references;
use crate::show::{compact, line_diff, long_text};
use crate::template::{Resource, Template};
use crate::update_policy::governed;
use cfn_template::schema::facts::facts;
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// Compares two templates.
pub fn diff(old: &Template, new: &Template) -> TemplateDiff {
    let renames = find_renames(old, new);
    let renamed_from: HashMap<&String, &String> = renames.iter().map(|(from, to)| (to, from)).collect();
    let mut changes: IndexMap<String, ResourceChange> = IndexMap::new();
    for (id, n) in &new.resources {
        if let Some(o) = old.resources.get(id) {
            if let Some(c) = modified(id, o, n, &renames) {
                changes.insert(id.clone(), c);
            }
        } else if let Some(&old_id) = renamed_from.get(id) {
            changes.insert(id.clone(), renamed(old_id, &old.resources[old_id], id, n, &renames));
        } else {
            changes.insert(id.clone(), added(id, n));
        }
    }
    for (id, o) in &old.resources {
        if !new.resources.contains_key(id) && !renames.contains_key(id) {
            changes.insert(id.clone(), removed(id, o));
        }
    }
    crate::inputs::follow_inputs(&mut changes, old, new);
    crate::follow::propagate(&mut changes, old, new);
    add_loop_notes(&mut changes, old, new);
    let security = crate::security::findings(old, new, &renames);
    let sections = crate::sections::diff_sections(old, new, &renames, &changes);
    let mut resources: Vec<ResourceChange> = changes.into_values().collect();
    let broadened: HashSet<&str> = security
        .iter()
        .filter(|s| s.direction == Direction::Broadens)
        .map(|s| s.logical_id.as_str())
        .collect();
    for r in &mut resources {
        r.properties.sort_by_key(|p| std::cmp::Reverse(p.impact));
        r.rank = rank(r, broadened.contains(r.logical_id.as_str()));
    }
    resources.sort_by_key(|r| r.rank);
    let mut security = security;
    let order: HashMap<&str, usize> =
        resources.iter().enumerate().map(|(i, r)| (r.logical_id.as_str(), i)).collect();
    security.sort_by_key(|s| (s.direction, order.get(s.logical_id.as_str()).copied().unwrap_or(usize::MAX)));
    let summary = summarize(&resources, &security, &sections);
    TemplateDiff { schema_version: SCHEMA_VERSION, summary, resources, security, sections }
}

/// Says of each resource an open `Fn::ForEach` loop makes, or holds in its
/// properties, what was compared.
fn add_loop_notes(changes: &mut IndexMap<String, ResourceChange>, old: &Template, new: &Template) {
    if old.open_loops.is_empty() && new.open_loops.is_empty() {
        return;
    }
    for c in changes.values_mut() {
        let old_id = c.old_logical_id.as_deref().unwrap_or(&c.logical_id);
        let notes: Vec<String> =
            new.loop_notes("Resources", &c.logical_id).chain(old.loop_notes("Resources", old_id)).collect();
        for note in notes {
            if !c.notes.contains(&note) {
                c.notes.push(note);
            }
        }
    }
}

/// Old logical ID to new, for each removed resource that reappears, of the
/// same type and equal properties, under another ID. References to renamed
/// resources count as equal, so a bucket and its policy renamed together
/// are both found.
///
/// Added resources are indexed by their canonical form, so each removed
/// one is matched by one look-up. A removed resource that refers to
/// another is looked up again only when that one is found renamed (its
/// canonical form then reads the new name): every resource is
/// canonicalized once, plus once per reference to a renamed one.
pub(crate) fn find_renames(old: &Template, new: &Template) -> HashMap<String, String> {
    let removed: Vec<&String> = old.resources.keys().filter(|id| !new.resources.contains_key(*id)).collect();
    let added: Vec<&String> = new.resources.keys().filter(|id| !old.resources.contains_key(*id)).collect();
    let mut renames: HashMap<String, String> = HashMap::new();
    if removed.is_empty() || added.is_empty() {
        return renames;
    }
    let form = |r: &Resource, renames: Option<&HashMap<String, String>>| {
        let canonical = Canon::new(facts(&r.type_name), renames)
            .value(&Value::Object(r.properties.clone()), "/properties");
        (r.type_name.clone(), key_text(&canonical))
    };
    // Added resources refer to new IDs, which renames do not change.
    let mut candidates: HashMap<(String, String), VecDeque<&String>> = HashMap::new();
    for a in &added {
        candidates.entry(form(&new.resources[*a], None)).or_default().push_back(a);
    }
    let index: HashMap<&String, usize> = removed.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); removed.len()];
    for (i, r) in removed.iter().enumerate() {
        for reference in references(&Value::Object(old.resources[*r].properties.clone())) {
            if let Some(&t) = index.get(&reference.target) {
                if readers[t].last() != Some(&i) {
                    readers[t].push(i);
                }
            }
        }
    }
    let mut round: Vec<usize> = (0..removed.len()).collect();
    while !round.is_empty() {
        let mut next: BTreeSet<usize> = BTreeSet::new();
        for i in round {
            let r = removed[i];
            if renames.contains_key(r) {
                continue;
            }
            let key = form(&old.resources[r], Some(&renames));
            if let Some(a) = candidates.get_mut(&key).and_then(VecDeque::pop_front) {
                renames.insert(r.clone(), a.clone());
                next.extend(readers[i].iter().filter(|j| !renames.contains_key(removed[**j])));
            }
        }
        round = next.into_iter().collect();
    }
    renames
}

fn blank(id: &str, kind: ChangeKind, impact: Impact) -> ResourceChange {
    ResourceChange {
        logical_id: id.to_string(),
        old_logical_id: None,
        kind,
        old_type: None,
        new_type: None,
        impact,
        rank: 7,
        orphans: None,
        physical_names: Vec::new(),
        properties: Vec::new(),
        attributes: Vec::new(),
        notes: Vec::new(),
    }
}

/// The change of a resource whose own text is the same, to which changes
/// it follows are added.
pub(crate) fn unchanged(id: &str, o: &Resource, n: &Resource) -> ResourceChange {
    let mut c = blank(id, ChangeKind::Modified, Impact::None);
    c.old_type = Some(o.type_name.clone());
    c.new_type = Some(n.type_name.clone());
    c
}

fn added(id: &str, n: &Resource) -> ResourceChange {
    let mut c = blank(id, ChangeKind::Added, Impact::Create);
    c.new_type = Some(n.type_name.clone());
    c
}

fn removed(id: &str, o: &Resource) -> ResourceChange {
    let mut c = blank(id, ChangeKind::Removed, Impact::Destroy);
    c.old_type = Some(o.type_name.clone());
    c.orphans =
        o.retained_on_delete().map(|p| orphaning("DeletionPolicy", p, "the stack no longer manages it"));
    c
}

fn orphaning(attribute: &str, policy: &str, why: &str) -> Orphaning {
    let consequence = if policy == "Snapshot" {
        format!("{why}: it is deleted after a final snapshot, which stays in the account outside the stack")
    } else {
        format!("{why}: it stays in the account, with its data, outside the stack")
    };
    Orphaning { attribute: attribute.to_string(), policy: policy.to_string(), consequence }
}

fn renamed(
    old_id: &str,
    o: &Resource,
    id: &str,
    n: &Resource,
    renames: &HashMap<String, String>,
) -> ResourceChange {
    let mut c = blank(id, ChangeKind::Renamed, Impact::Replace);
    c.old_logical_id = Some(old_id.to_string());
    c.old_type = Some(o.type_name.clone());
    c.new_type = Some(n.type_name.clone());
    c.attributes = attribute_changes(o, n, renames);
    let cost = match o.retained_on_delete() {
        Some(p) => {
            c.orphans = Some(orphaning("DeletionPolicy", p, &format!("the old `{old_id}` leaves the stack")));
            format!("a new, empty {} is created and the old one is orphaned", n.type_name)
        }
        None => format!("a new {} is created and the old one deleted", n.type_name),
    };
    c.notes.push(format!(
        "logical ID `{old_id}` renamed to `{id}`: {cost}; keeping the logical ID `{old_id}` avoids this"
    ));
    if let Some(f) = facts(&n.type_name) {
        for p in name_properties(f) {
            if let Some(name) = n.properties.get(p) {
                c.notes.push(format!(
                    "the new resource has the same {p} `{}` while the old one still exists: its creation fails",
                    compact(name)
                ));
            }
        }
    }
    c
}

fn modified(
    id: &str,
    o: &Resource,
    n: &Resource,
    renames: &HashMap<String, String>,
) -> Option<ResourceChange> {
    let f = facts(&n.type_name);
    let canon = Canon::new(f, Some(renames));
    let raw = compare_maps(&o.properties, &n.properties, &canon);
    let attributes = attribute_changes(o, n, renames);
    let type_changed = o.type_name != n.type_name;
    if raw.is_empty() && attributes.is_empty() && !type_changed {
        return None;
    }
    let mut c = blank(id, ChangeKind::Modified, Impact::None);
    c.old_type = Some(o.type_name.clone());
    c.new_type = Some(n.type_name.clone());
    c.properties = raw.into_iter().map(|r| property_change(r, o, n, &canon)).collect();
    c.attributes = attributes;
    c.impact = c.properties.iter().map(|p| p.impact).max().unwrap_or(Impact::None);
    if c.attributes.iter().any(|a| a.attribute == "Condition") {
        c.impact = c.impact.max(Impact::Update);
    }
    if type_changed {
        c.kind = ChangeKind::TypeChanged;
        c.impact = Impact::Replace;
        c.notes.push(format!(
            "CloudFormation rejects a type change under the same logical ID ({} to {}): give the new resource a new logical ID",
            o.type_name, n.type_name
        ));
    }
    if let Some(f) = f.filter(|_| !type_changed) {
        for p in name_properties(f) {
            let (a, b) = (o.properties.get(p), n.properties.get(p));
            if canon.free(&a.cloned().unwrap_or(Value::Null))
                != canon.free(&b.cloned().unwrap_or(Value::Null))
            {
                c.physical_names.push(PhysicalName {
                    property: p.to_string(),
                    old: a.cloned(),
                    new: b.cloned(),
                });
            } else if c.impact == Impact::Replace {
                if let Some(name) = b {
                    c.notes.push(format!(
                        "CloudFormation cannot replace a resource with a custom name: change {p} (`{}`) too, or the update fails",
                        compact(name)
                    ));
                }
            }
        }
    }
    if c.impact == Impact::Replace {
        if let Some(p) = n.retained_on_replace() {
            c.orphans = Some(orphaning("UpdateReplacePolicy", p, "the replaced resource leaves the stack"));
        }
    }
    Some(c)
}

fn property_change(raw: RawChange, o: &Resource, n: &Resource, canon: &Canon) -> PropertyChange {
    let ptr = pointer(&raw.path);
    let (impact, reason) = governed(o, n, &ptr).unwrap_or_else(|| {
        property_effect(canon.facts, &n.type_name, &ptr, raw.old.as_ref(), raw.new.as_ref())
    });
    let line_diff = match (raw.old.as_ref().and_then(long_text), raw.new.as_ref().and_then(long_text)) {
        (Some(a), Some(b)) => Some(line_diff(&a, &b)),
        _ => None,
    };
    let statements = canon.policy_at(&ptr).map(|_| {
        let c = |v: &Option<Value>| v.as_ref().map(|v| canon.value(v, &ptr));
        diff_statements(c(&raw.old).as_ref(), c(&raw.new).as_ref())
    });
    PropertyChange {
        path: display(&raw.path),
        pointer: ptr,
        old: raw.old,
        new: raw.new,
        impact,
        reason,
        caused_by: None,
        line_diff,
        statements,
    }
}

fn attribute_changes(o: &Resource, n: &Resource, renames: &HashMap<String, String>) -> Vec<AttributeChange> {
    let canon = Canon::plain(Some(renames));
    let mut out = Vec::new();
    let mut push = |attribute: &str, a: Option<&Value>, b: Option<&Value>, meaning: String| {
        out.push(AttributeChange {
            attribute: attribute.to_string(),
            old: a.cloned(),
            new: b.cloned(),
            meaning,
        });
    };
    let differ = |a: Option<&Value>, b: Option<&Value>| a.map(|v| canon.free(v)) != b.map(|v| canon.free(v));
    let retaining = [
        (
            "DeletionPolicy",
            (o.deletion_policy.as_ref(), n.deletion_policy.as_ref()),
            (o.retained_on_delete(), n.retained_on_delete()),
            ["removing the resource later deletes it and its data", "removing the resource later keeps it"],
            "changes what removing the resource does",
        ),
        (
            "UpdateReplacePolicy",
            (o.update_replace_policy.as_ref(), n.update_replace_policy.as_ref()),
            (o.retained_on_replace(), n.retained_on_replace()),
            ["a replacement deletes the old resource and its data", "a replacement keeps the old resource"],
            "changes what a replacement does to the old resource",
        ),
    ];
    for (attribute, (a, b), kept, [dropped, added], other) in retaining {
        if differ(a, b) {
            let meaning = match kept {
                (Some(p), None) => format!("no longer {p}: {dropped}"),
                (None, Some(p)) => format!("now {p}: {added}"),
                _ => other.to_string(),
            };
            push(attribute, a, b, meaning);
        }
    }
    let set = |r: &Resource| {
        let mut names: Vec<String> =
            r.depends_on_names().into_iter().map(|d| renames.get(&d).cloned().unwrap_or(d)).collect();
        names.sort();
        names.dedup();
        names
    };
    if set(o) != set(n) {
        push(
            "DependsOn",
            o.depends_on.as_ref(),
            n.depends_on.as_ref(),
            "changes the order of creation and deletion only".into(),
        );
    }
    if differ(o.condition.as_ref(), n.condition.as_ref()) {
        push(
            "Condition",
            o.condition.as_ref(),
            n.condition.as_ref(),
            "whether the resource exists now depends on another condition: it may be created or deleted"
                .into(),
        );
    }
    if differ(o.metadata.as_ref(), n.metadata.as_ref()) {
        push(
            "Metadata",
            o.metadata.as_ref(),
            n.metadata.as_ref(),
            "metadata only: the resource is not updated".into(),
        );
    }
    let keys: Vec<&String> = n
        .other_attributes
        .keys()
        .chain(o.other_attributes.keys().filter(|k| !n.other_attributes.contains_key(*k)))
        .collect();
    for k in keys {
        let (a, b) = (o.other_attributes.get(k), n.other_attributes.get(k));
        if differ(a, b) {
            let meaning = match k.as_str() {
                "UpdatePolicy" => "changes how CloudFormation carries out updates of the resource (rolling or replacing instances, in-place upgrades); by itself it updates nothing".to_string(),
                "CreationPolicy" => "changes what CloudFormation waits for when the resource is created or replaced; by itself it updates nothing".to_string(),
                _ => format!("changes how CloudFormation handles the resource ({k})"),
            };
            push(k, a, b, meaning);
        }
    }
    out
}

/// Compares two values outside any resource (an output, a condition).
pub(crate) fn compare_free(
    old: &Value,
    new: &Value,
    renames: &HashMap<String, String>,
) -> Vec<PropertyChange> {
    let canon = Canon::plain(Some(renames));
    let mut raw = Vec::new();
    compare_values(old, new, &canon, &mut Vec::new(), &mut raw);
    raw.into_iter()
        .map(|r| {
            let line_diff = match (r.old.as_ref().and_then(long_text), r.new.as_ref().and_then(long_text)) {
                (Some(a), Some(b)) => Some(line_diff(&a, &b)),
                _ => None,
            };
            PropertyChange {
                path: display(&r.path),
                pointer: pointer(&r.path).trim_start_matches("/properties").to_string(),
                old: r.old,
                new: r.new,
                impact: Impact::None,
                reason: String::new(),
                caused_by: None,
                line_diff,
                statements: None,
            }
        })
        .collect()
}

fn rank(r: &ResourceChange, broadens: bool) -> u8 {
    if r.orphans.is_some() {
        0
    } else if r.impact == Impact::Replace {
        1
    } else if broadens {
        2
    } else {
        match r.impact {
            Impact::MayReplace => 3,
            Impact::Destroy => 4,
            Impact::Update => 5,
            Impact::Create => 6,
            _ => 7,
        }
    }
}

fn summarize(
    resources: &[ResourceChange],
    security: &[SecurityChange],
    sections: &[SectionChange],
) -> Summary {
    let count = |f: &dyn Fn(&ResourceChange) -> bool| resources.iter().filter(|r| f(r)).count();
    let mut s = Summary {
        orphaned: count(&|r| r.orphans.is_some()),
        replaced: count(&|r| r.impact == Impact::Replace && r.kind != ChangeKind::Renamed),
        may_replace: count(&|r| r.impact == Impact::MayReplace),
        updated: count(&|r| r.kind == ChangeKind::Modified && r.impact <= Impact::Update),
        added: count(&|r| r.kind == ChangeKind::Added),
        removed: count(&|r| r.kind == ChangeKind::Removed),
        renamed: count(&|r| r.kind == ChangeKind::Renamed),
        security: security.len(),
        security_broadening: security.iter().filter(|s| s.direction == Direction::Broadens).count(),
        other: sections.len(),
        line: String::new(),
    };
    let mut parts: Vec<String> = [
        (s.orphaned, "orphaned"),
        (s.replaced, "replaced"),
        (s.may_replace, "may be replaced"),
        (s.renamed, "renamed"),
        (s.removed, "removed"),
        (s.updated, "updated"),
        (s.added, "added"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !parts.is_empty() {
        let total = resources.len();
        parts[0] = format!("{total} resource{} changed: {}", if total == 1 { "" } else { "s" }, parts[0]);
    }
    let mut line = parts.join(", ");
    if s.security > 0 {
        let sep = if line.is_empty() { "" } else { "; " };
        line.push_str(&format!(
            "{sep}{} security change{} ({} broadening)",
            s.security,
            if s.security == 1 { "" } else { "s" },
            s.security_broadening
        ));
    }
    if s.other > 0 {
        let sep = if line.is_empty() { "" } else { "; " };
        line.push_str(&format!("{sep}{} other change{}", s.other, if s.other == 1 { "" } else { "s" }));
    }
    if line.is_empty() {
        line = "no differences".to_string();
    }
    s.line = line;
    s
}
