//! Walks two values side by side and names the smallest parts that differ.
//!
//! Mappings are compared key by key, unordered lists as multisets (items
//! paired by what identifies them, such as a tag's `Key`), ordered lists by
//! a sequence diff of bounded cost. Policy documents and intrinsic functions are compared
//! whole: a document's statements are listed by [`crate::policy`].

use crate::canon::{key_text, Canon};
use crate::path::{pointer, Seg};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// One difference between two values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawChange {
    /// Where, under `Properties` (or the compared value).
    pub path: Vec<Seg>,
    /// The old value, if there was one.
    pub old: Option<Value>,
    /// The new value, if there is one.
    pub new: Option<Value>,
}

/// Keys that identify an item of a list, in the order they are tried.
const ITEM_IDS: [&str; 9] =
    ["Key", "Name", "Id", "Sid", "PolicyName", "Field", "AttributeName", "DeviceName", "Type"];

/// Compares two property mappings.
pub(crate) fn compare_maps(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    canon: &Canon,
) -> Vec<RawChange> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    maps(old, new, None, canon, &mut path, &mut out);
    out
}

/// Compares two values at a path.
pub(crate) fn compare_values(
    old: &Value,
    new: &Value,
    canon: &Canon,
    path: &mut Vec<Seg>,
    out: &mut Vec<RawChange>,
) {
    let ptr = pointer(path);
    let (ca, cb) = (canon.value(old, &ptr), canon.value(new, &ptr));
    walk(old, new, &ca, &cb, canon, path, out);
}

/// Compares two values whose canonical forms are `ca` and `cb`: the
/// canonical form of a mapping holds its members' canonical forms, and that
/// of an ordered list its items', so each is computed once.
fn walk(
    old: &Value,
    new: &Value,
    ca: &Value,
    cb: &Value,
    canon: &Canon,
    path: &mut Vec<Seg>,
    out: &mut Vec<RawChange>,
) {
    if ca == cb {
        return;
    }
    let ptr = pointer(path);
    if canon.policy_at(&ptr).is_some() {
        return whole(path, Some(old), Some(new), out);
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) if !is_intrinsic(a) && !is_intrinsic(b) => {
            maps(a, b, ca.as_object().zip(cb.as_object()), canon, path, out)
        }
        (Value::Array(a), Value::Array(b)) if canon.is_unordered(&ptr) => unordered(a, b, canon, path, out),
        (Value::Array(a), Value::Array(b)) => match (ca.as_array(), cb.as_array()) {
            (Some(ca), Some(cb)) if ca.len() == a.len() && cb.len() == b.len() => {
                ordered(a, b, ca, cb, canon, path, out)
            }
            _ => whole(path, Some(old), Some(new), out),
        },
        _ => whole(path, Some(old), Some(new), out),
    }
}

fn whole(path: &[Seg], old: Option<&Value>, new: Option<&Value>, out: &mut Vec<RawChange>) {
    out.push(RawChange { path: path.to_vec(), old: old.cloned(), new: new.cloned() });
}

pub(crate) fn is_intrinsic(m: &Map<String, Value>) -> bool {
    m.len() == 1 && m.keys().next().is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
}

/// The canonical forms of two mappings, when already computed.
type MapPair<'a> = (&'a Map<String, Value>, &'a Map<String, Value>);

fn maps(
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    canonical: Option<MapPair>,
    canon: &Canon,
    path: &mut Vec<Seg>,
    out: &mut Vec<RawChange>,
) {
    for (k, new) in b {
        path.push(Seg::Key(k.clone()));
        match (a.get(k), canonical.and_then(|(ca, cb)| ca.get(k).zip(cb.get(k)))) {
            (Some(old), Some((ca, cb))) => walk(old, new, ca, cb, canon, path, out),
            (Some(old), None) => compare_values(old, new, canon, path, out),
            (None, _) => whole(path, None, Some(new), out),
        }
        path.pop();
    }
    for (k, old) in a {
        if !b.contains_key(k) {
            path.push(Seg::Key(k.clone()));
            whole(path, Some(old), None, out);
            path.pop();
        }
    }
}

/// What names an item of an unordered list: a scalar names itself, a
/// mapping its identifying key (`Key=env`).
pub(crate) fn item_label(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
        Value::Object(m) if !is_intrinsic(m) => ITEM_IDS.iter().find_map(|k| match m.get(*k) {
            Some(Value::String(s)) => Some(format!("{k}={s}")),
            Some(n @ Value::Number(_)) => Some(format!("{k}={n}")),
            _ => None,
        }),
        other => Some(crate::show::compact(other)),
    }
}

fn unordered(a: &[Value], b: &[Value], canon: &Canon, path: &mut Vec<Seg>, out: &mut Vec<RawChange>) {
    let item_ptr = format!("{}/0", pointer(path));
    let ca: Vec<Value> = a.iter().map(|x| canon.value(x, &item_ptr)).collect();
    let cb: Vec<Value> = b.iter().map(|x| canon.value(x, &item_ptr)).collect();
    let mut old_used = vec![false; a.len()];
    let mut new_used = vec![false; b.len()];
    // Equal items pair first, each new one with the first old one left.
    let mut by_form: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, x) in ca.iter().enumerate() {
        by_form.entry(key_text(x)).or_default().push_back(i);
    }
    for (j, y) in cb.iter().enumerate() {
        if let Some(i) = by_form.get_mut(&key_text(y)).and_then(VecDeque::pop_front) {
            old_used[i] = true;
            new_used[j] = true;
        }
    }
    // Items changed in place keep their identifying key (a tag's `Key`).
    let mut by_label: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, x) in a.iter().enumerate().filter(|(i, x)| !old_used[*i] && x.is_object()) {
        if let Some(label) = item_label(x) {
            by_label.entry(label).or_default().push_back(i);
        }
    }
    for j in 0..b.len() {
        if new_used[j] {
            continue;
        }
        let Some(label) = item_label(&b[j]).filter(|_| b[j].is_object()) else { continue };
        if let Some(i) = by_label.get_mut(&label).and_then(VecDeque::pop_front) {
            old_used[i] = true;
            new_used[j] = true;
            path.push(Seg::Item { index: j, label });
            walk(&a[i], &b[j], &ca[i], &cb[j], canon, path, out);
            path.pop();
        }
    }
    for (j, y) in b.iter().enumerate().filter(|(j, _)| !new_used[*j]) {
        path.push(Seg::Item { index: j, label: item_label(y).unwrap_or_else(|| j.to_string()) });
        whole(path, None, Some(y), out);
        path.pop();
    }
    for (i, x) in a.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
        path.push(Seg::Item { index: i, label: item_label(x).unwrap_or_else(|| i.to_string()) });
        whole(path, Some(x), None, out);
        path.pop();
    }
}

/// The identifying labels of a list's items, when every item is a mapping
/// with one and no label repeats.
fn unique_labels(items: &[Value]) -> Option<Vec<String>> {
    let labels: Vec<String> =
        items.iter().map(|v| v.is_object().then(|| item_label(v)).flatten()).collect::<Option<_>>()?;
    let distinct: HashSet<&String> = labels.iter().collect();
    (distinct.len() == labels.len()).then_some(labels)
}

fn ordered(
    a: &[Value],
    b: &[Value],
    ca: &[Value],
    cb: &[Value],
    canon: &Canon,
    path: &mut Vec<Seg>,
    out: &mut Vec<RawChange>,
) {
    // Items with identifying keys (lifecycle rules' `Id`) pair by key when
    // some come or go, so an insertion does not read as every later item changing.
    let labels = if a.len() != b.len() { unique_labels(a).zip(unique_labels(b)) } else { None };
    if let Some((la, lb)) = labels {
        let old_at: HashMap<&String, usize> = la.iter().enumerate().map(|(i, l)| (l, i)).collect();
        let new_at: HashMap<&String, usize> = lb.iter().enumerate().map(|(j, l)| (l, j)).collect();
        if lb.iter().any(|l| old_at.contains_key(l)) {
            let kept: Vec<&String> = lb.iter().filter(|l| old_at.contains_key(l)).collect();
            let kept_old: Vec<&String> = la.iter().filter(|l| new_at.contains_key(l)).collect();
            if kept != kept_old {
                return whole(path, Some(&Value::Array(a.to_vec())), Some(&Value::Array(b.to_vec())), out);
            }
            for (j, label) in lb.iter().enumerate() {
                path.push(Seg::Item { index: j, label: label.clone() });
                match old_at.get(label) {
                    Some(&i) => walk(&a[i], &b[j], &ca[i], &cb[j], canon, path, out),
                    None => whole(path, None, Some(&b[j]), out),
                }
                path.pop();
            }
            for (i, label) in la.iter().enumerate().filter(|(_, l)| !new_at.contains_key(l)) {
                path.push(Seg::Item { index: i, label: label.clone() });
                whole(path, Some(&a[i]), None, out);
                path.pop();
            }
            return;
        }
    }
    if a.len() == b.len() {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            path.push(Seg::Index(i));
            walk(x, y, &ca[i], &cb[i], canon, path, out);
            path.pop();
        }
        return;
    }
    let ka: Vec<String> = ca.iter().map(key_text).collect();
    let kb: Vec<String> = cb.iter().map(key_text).collect();
    for op in crate::seqdiff::diff(&ka, &kb) {
        match op {
            similar::DiffOp::Equal { .. } => {}
            similar::DiffOp::Delete { old_index, old_len, .. } => {
                for (i, x) in a.iter().enumerate().skip(old_index).take(old_len) {
                    path.push(Seg::Index(i));
                    whole(path, Some(x), None, out);
                    path.pop();
                }
            }
            similar::DiffOp::Insert { new_index, new_len, .. } => {
                for (j, y) in b.iter().enumerate().skip(new_index).take(new_len) {
                    path.push(Seg::Index(j));
                    whole(path, None, Some(y), out);
                    path.pop();
                }
            }
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let paired = old_len.min(new_len);
                for k in 0..paired {
                    path.push(Seg::Index(new_index + k));
                    let (i, j) = (old_index + k, new_index + k);
                    walk(&a[i], &b[j], &ca[i], &cb[j], canon, path, out);
                    path.pop();
                }
                for (i, x) in a.iter().enumerate().skip(old_index + paired).take(old_len - paired) {
                    path.push(Seg::Index(i));
                    whole(path, Some(x), None, out);
                    path.pop();
                }
                for (j, y) in b.iter().enumerate().skip(new_index + paired).take(new_len - paired) {
                    path.push(Seg::Index(j));
                    whole(path, None, Some(y), out);
                    path.pop();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::display;
    use cfn_template::schema::facts::facts;
    use serde_json::json;

    fn changes(type_name: &str, old: Value, new: Value) -> Vec<(String, Option<Value>, Option<Value>)> {
        let canon = Canon::new(facts(type_name), None);
        compare_maps(old.as_object().unwrap(), new.as_object().unwrap(), &canon)
            .into_iter()
            .map(|c| (display(&c.path), c.old, c.new))
            .collect()
    }

    #[test]
    fn names_the_smallest_difference() {
        let c = changes(
            "AWS::S3::Bucket",
            json!({"VersioningConfiguration": {"Status": "Enabled"}, "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}),
            json!({"Tags": [{"Key": "b", "Value": "3"}, {"Key": "a", "Value": "1"}], "VersioningConfiguration": {"Status": "Suspended"}}),
        );
        assert_eq!(
            c,
            vec![
                ("Tags[Key=b].Value".into(), Some(json!("2")), Some(json!("3"))),
                ("VersioningConfiguration.Status".into(), Some(json!("Enabled")), Some(json!("Suspended"))),
            ]
        );
    }

    #[test]
    fn ordered_lists_report_insertions_where_they_are() {
        let c = changes(
            "AWS::S3::Bucket",
            json!({"LifecycleConfiguration": {"Rules": [{"Id": "a", "Status": "Enabled"}, {"Id": "c", "Status": "Enabled"}]}}),
            json!({"LifecycleConfiguration": {"Rules": [{"Id": "a", "Status": "Enabled"}, {"Id": "b", "Status": "Enabled"}, {"Id": "c", "Status": "Enabled"}]}}),
        );
        assert_eq!(
            c,
            vec![(
                "LifecycleConfiguration.Rules[Id=b]".into(),
                None,
                Some(json!({"Id": "b", "Status": "Enabled"}))
            )]
        );
        // Without identifying keys, the sequence diff finds the insertion.
        let c = changes(
            "AWS::S3::Bucket",
            json!({"LifecycleConfiguration": {"Rules": [{"Status": "Enabled"}, {"Status": "Disabled"}]}}),
            json!({"LifecycleConfiguration": {"Rules": [{"Status": "Enabled"}, {"Prefix": "x"}, {"Status": "Disabled"}]}}),
        );
        assert_eq!(c, vec![("LifecycleConfiguration.Rules[1]".into(), None, Some(json!({"Prefix": "x"})))]);
        // Reordered items of an ordered list are one change of the list.
        let c = changes(
            "AWS::S3::Bucket",
            json!({"LifecycleConfiguration": {"Rules": [{"Id": "a"}, {"Id": "b"}]}}),
            json!({"LifecycleConfiguration": {"Rules": [{"Id": "b"}, {"Id": "a"}, {"Id": "c"}]}}),
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].0, "LifecycleConfiguration.Rules");
    }

    #[test]
    fn unordered_scalars_are_named_by_value() {
        let c = changes(
            "AWS::IAM::Role",
            json!({"ManagedPolicyArns": ["arn:a", "arn:b"]}),
            json!({"ManagedPolicyArns": ["arn:b", "arn:c"]}),
        );
        assert_eq!(
            c,
            vec![
                ("ManagedPolicyArns[arn:c]".into(), None, Some(json!("arn:c"))),
                ("ManagedPolicyArns[arn:a]".into(), Some(json!("arn:a")), None),
            ]
        );
    }
}
