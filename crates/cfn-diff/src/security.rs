//! Security changes: policy statements, policy attachments, encryption,
//! public access, TLS-only denies, retention, retain policies and data
//! protection settings, each said to broaden, narrow or just change.
//!
//! Policy documents are found where the schema facts say they are; the
//! other checks read property names (`KmsKeyId`, `RetentionInDays`,
//! `PublicAccessBlockConfiguration`, ...) so they work for every type.

use crate::canon::Canon;
use crate::compare::{compare_maps, is_intrinsic, RawChange};
use crate::model::{Direction, SecurityCategory, SecurityChange};
use crate::path::{display, last_key, Seg};
use crate::policy::{diff_statements, Statement};
use crate::show::compact;
use crate::template::{Resource, Template};
use cfn_template::schema::facts::{facts, PolicyKind};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The security changes between two templates, in template order.
pub(crate) fn findings(
    old: &Template,
    new: &Template,
    renames: &HashMap<String, String>,
) -> Vec<SecurityChange> {
    let mut out = Vec::new();
    let back: HashMap<&String, &String> = renames.iter().map(|(o, n)| (n, o)).collect();
    for (id, n) in &new.resources {
        let o = old.resources.get(id).or_else(|| back.get(id).map(|o| &old.resources[*o]));
        resource(id, o, Some(n), renames, &mut out);
    }
    for (id, o) in &old.resources {
        if !new.resources.contains_key(id) && !renames.contains_key(id) {
            resource(id, Some(o), None, renames, &mut out);
        }
    }
    out
}

struct Sink<'a> {
    id: &'a str,
    type_name: &'a str,
    out: &'a mut Vec<SecurityChange>,
}

impl Sink<'_> {
    fn push(
        &mut self,
        category: SecurityCategory,
        direction: Direction,
        path: Option<String>,
        description: String,
    ) {
        self.out.push(SecurityChange {
            logical_id: self.id.to_string(),
            resource_type: self.type_name.to_string(),
            category,
            direction,
            path,
            policy_kind: None,
            description,
            statement: None,
        });
    }
}

fn resource(
    id: &str,
    o: Option<&Resource>,
    n: Option<&Resource>,
    renames: &HashMap<String, String>,
    out: &mut Vec<SecurityChange>,
) {
    let Some(type_name) = n.or(o).map(|r| r.type_name.as_str()) else { return };
    let mut sink = Sink { id, type_name, out };
    let canon_of = |r: &Resource| Canon::new(facts(&r.type_name), Some(renames));
    let docs = |r: Option<&Resource>| r.map(|r| documents(r, &canon_of(r))).unwrap_or_default();
    let (old_docs, new_docs) = (docs(o), docs(n));
    let mut labels: Vec<&String> = new_docs.keys().collect();
    labels.extend(old_docs.keys().filter(|k| !new_docs.contains_key(*k)));
    for label in labels {
        let (a, b) = (old_docs.get(label), new_docs.get(label));
        let kind = b.or(a).map(|d| d.0).unwrap_or(PolicyKind::Identity);
        let changes = diff_statements(a.map(|d| &d.1), b.map(|d| &d.1));
        statements(&mut sink, label, kind, changes.removed, changes.added);
    }
    attachments(&mut sink, o, n, renames);
    if let (Some(o), Some(n)) = (o, n) {
        let canon = canon_of(n);
        for raw in compare_maps(&o.properties, &n.properties, &canon) {
            settings(&mut sink, &raw);
        }
        retain_policies(&mut sink, o, n);
    }
}

/// The policy documents of a resource by label, canonical.
fn documents(r: &Resource, canon: &Canon) -> IndexMap<String, (PolicyKind, Value)> {
    let mut out = IndexMap::new();
    let props = Value::Object(r.properties.clone());
    match facts(&r.type_name) {
        Some(f) => {
            for (pattern, kind) in f.policies {
                let segs: Vec<&str> = pattern.trim_start_matches("/properties/").split('/').collect();
                expand(&props, &segs, &mut Vec::new(), &mut |path, doc| {
                    let ptr = crate::path::pointer(path);
                    out.insert(display(path), (*kind, canon.value(doc, &ptr)));
                });
            }
            if r.type_name == "AWS::Lambda::Permission" {
                out.insert(
                    "Permission".into(),
                    (PolicyKind::Resource, canon.free(&permission_document(&r.properties))),
                );
            }
        }
        None => {
            for (k, v) in &r.properties {
                let ptr = format!("/properties/{k}");
                if let Some(kind) = canon.policy_at(&ptr) {
                    out.insert(k.clone(), (kind, canon.value(v, &ptr)));
                }
            }
        }
    }
    out
}

/// Calls `f` for each value a schema path (`Policies/*/PolicyDocument`) reaches.
fn expand(v: &Value, segs: &[&str], path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &Value)) {
    let Some((first, rest)) = segs.split_first() else { return f(path, v) };
    match (v, *first) {
        (Value::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                let label = ["PolicyName", "Sid", "Name", "Id"]
                    .iter()
                    .find_map(|k| item.get(*k).and_then(Value::as_str).map(|s| format!("{k}={s}")));
                path.push(match label {
                    Some(label) => Seg::Item { index: i, label },
                    None => Seg::Index(i),
                });
                expand(item, rest, path, f);
                path.pop();
            }
        }
        (Value::Object(m), key) if !is_intrinsic(m) => {
            if let Some(x) = m.get(key) {
                path.push(Seg::Key(key.to_string()));
                expand(x, rest, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A Lambda permission read as the resource-policy statement it adds.
fn permission_document(p: &Map<String, Value>) -> Value {
    let principal = p.get("Principal").cloned().unwrap_or(Value::Null);
    let kind = match principal.as_str() {
        Some(s) if s.ends_with(".amazonaws.com") => "Service",
        _ => "AWS",
    };
    let mut conditions = Map::new();
    for (prop, op, key) in [
        ("SourceArn", "ArnLike", "aws:SourceArn"),
        ("SourceAccount", "StringEquals", "aws:SourceAccount"),
        ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
        ("FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType"),
    ] {
        if let Some(v) = p.get(prop) {
            let entry = conditions.entry(op.to_string()).or_insert_with(|| json!({}));
            if let Some(m) = entry.as_object_mut() {
                m.insert(key.to_string(), v.clone());
            }
        }
    }
    let mut s = json!({
        "Effect": "Allow",
        "Principal": {kind: principal},
        "Action": p.get("Action").cloned().unwrap_or(Value::Null),
        "Resource": p.get("FunctionName").cloned().unwrap_or(Value::Null),
    });
    if !conditions.is_empty() {
        s["Condition"] = Value::Object(conditions);
    }
    json!({"Statement": [s]})
}

fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity",
        PolicyKind::Resource => "resource",
        PolicyKind::Trust => "trust",
    }
}

/// Pairs removed and added statements that are one statement edited (same
/// `Sid`, or same effect and principals with actions in common), then says
/// what each edit, addition and removal does.
fn statements(
    sink: &mut Sink,
    label: &str,
    kind: PolicyKind,
    mut removed: Vec<Statement>,
    added: Vec<Statement>,
) {
    let mut unpaired = Vec::new();
    let mut pairs = Vec::new();
    for a in added {
        let by_sid = a.sid.as_ref().and_then(|sid| removed.iter().position(|r| r.sid.as_ref() == Some(sid)));
        let similar = || {
            removed.iter().position(|r| {
                r.sid.is_none()
                    && a.sid.is_none()
                    && r.effect == a.effect
                    && (r.actions.iter().any(|x| a.actions.contains(x))
                        || (r.principals == a.principals && r.resources == a.resources))
            })
        };
        match by_sid.or_else(similar) {
            Some(i) => pairs.push((removed.remove(i), a)),
            None => unpaired.push(a),
        }
    }
    // One statement left on each side with the same effect is one statement edited.
    if let ([r], [a]) = (removed.as_slice(), unpaired.as_slice()) {
        if r.effect == a.effect && r.sid.is_none() && a.sid.is_none() {
            pairs.push((r.clone(), a.clone()));
            removed.clear();
            unpaired.clear();
        }
    }
    let what = format!("{} policy {label}", kind_name(kind));
    let mut push = |direction: Direction, tls: bool, description: String, statement: Statement| {
        let category = if tls { SecurityCategory::TlsOnly } else { SecurityCategory::PolicyStatement };
        sink.out.push(SecurityChange {
            logical_id: sink.id.to_string(),
            resource_type: sink.type_name.to_string(),
            category,
            direction,
            path: Some(label.to_string()),
            policy_kind: Some(kind_name(kind).to_string()),
            description,
            statement: Some(statement),
        });
    };
    // An added allow grants more; a removed deny protects less.
    for (statements, added, verb) in [(unpaired, true, "added to"), (removed, false, "removed from")] {
        for st in statements {
            let tls = st.is_tls_deny();
            let direction = if st.is_deny() != added { Direction::Broadens } else { Direction::Narrows };
            let headline = match (tls, added) {
                (true, true) => "TLS-only deny added to".to_string(),
                (true, false) => "TLS-only deny dropped from".to_string(),
                _ => format!("{} statement {verb}", st.effect),
            };
            push(direction, tls, format!("{headline} {what}: {}", summary(&st)), st);
        }
    }
    for (r, a) in pairs {
        let (direction, detail) = edited(&r, &a);
        let tls = r.is_tls_deny();
        let mut detail = detail;
        if tls && !a.is_tls_deny() {
            detail.push("no longer conditioned on aws:SecureTransport".into());
        }
        let headline = match (tls, direction) {
            (true, Direction::Broadens) => "TLS-only deny narrowed in".to_string(),
            (true, _) => "TLS-only deny changed in".to_string(),
            (false, _) => format!("{} statement changed in", a.effect),
        };
        let direction = if tls && !a.is_tls_deny() { Direction::Broadens } else { direction };
        push(direction, tls, format!("{headline} {what}: {}", detail.join("; ")), a);
    }
}

/// What editing statement `r` into `a` does, and the edits in words.
///
/// A statement matches requests by principal, action and resource (each a
/// list, or with `NotPrincipal`, `NotAction`, `NotResource` everything but
/// a list) and conditions. A value added that a value already there covers
/// (`s3:GetObject` under `s3:*`, an ARN under `*`) matches nothing new, so
/// `*` narrowed to one ARN narrows. A statement that matches more grants
/// more when it allows and less when it denies; an `Allow` turned `Deny`
/// narrows and the reverse broadens. A list turned into its `Not` form
/// (or back) is a change whose direction is not told.
fn edited(r: &Statement, a: &Statement) -> (Direction, Vec<String>) {
    let added = |x: &[String], y: &[String]| -> Vec<String> {
        y.iter().filter(|v| !x.contains(v)).cloned().collect()
    };
    let (looser, tighter) = condition_changes(r, a);
    let mut more_parts = Vec::new();
    let mut less_parts = Vec::new();
    let (mut matches_more, mut matches_less) = (!looser.is_empty(), !tighter.is_empty());
    let mut others = false;
    for (field, old, new, old_not, new_not, field_case) in [
        ("principals", &r.principals, &a.principals, &r.not_principals, &a.not_principals, Case::Sensitive),
        ("actions", &r.actions, &a.actions, &r.not_actions, &a.not_actions, Case::Insensitive),
        ("resources", &r.resources, &a.resources, &r.not_resources, &a.not_resources, Case::Sensitive),
    ] {
        more_parts.push((format!("{field} added"), added(old, new)));
        less_parts.push((format!("{field} removed"), added(new, old)));
        more_parts.push((format!("not {field} removed"), added(new_not, old_not)));
        less_parts.push((format!("not {field} added"), added(old_not, new_not)));
        let switched = (old.is_empty() != new.is_empty()) && (old_not.is_empty() != new_not.is_empty());
        if switched {
            others = true;
            continue;
        }
        let grows = |x: &[String], y: &[String]| y.iter().any(|v| !covered(v, x, field_case));
        matches_more |= grows(old, new) || grows(new_not, old_not);
        matches_less |= grows(new, old) || grows(old_not, new_not);
    }
    more_parts.push(("conditions loosened".to_string(), looser));
    less_parts.push(("conditions tightened".to_string(), tighter));
    let listed = |parts: Vec<(String, Vec<String>)>| -> Vec<String> {
        parts
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(what, v)| {
                format!("{what}: {}", v.iter().map(|x| wildcard(x)).collect::<Vec<_>>().join(", "))
            })
            .collect()
    };
    let mut detail: Vec<String> = listed(more_parts).into_iter().chain(listed(less_parts)).collect();
    if r.is_deny() != a.is_deny() {
        detail.insert(0, format!("effect {} → {}", r.effect, a.effect));
        let direction = if a.is_deny() { Direction::Narrows } else { Direction::Broadens };
        return (direction, detail);
    }
    if others {
        detail.push("a list turned into its Not form, or back".into());
    }
    // A deny that matches more grants less, and the other way round.
    let (widens, tightens) =
        if a.is_deny() { (matches_less, matches_more) } else { (matches_more, matches_less) };
    let direction = if widens {
        Direction::Broadens
    } else if tightens && !others {
        Direction::Narrows
    } else {
        Direction::Changes
    };
    (direction, detail)
}

/// How a field's values compare: IAM action names ignore case, ARNs and
/// principals do not.
#[derive(Clone, Copy)]
enum Case {
    Sensitive,
    Insensitive,
}

/// Whether one of `patterns` already matches everything `value` does:
/// the same value, `*` (or the principal `AWS:*`, everyone), or an IAM
/// wildcard pattern (`*`, `?`) over a literal value. Intrinsics (`!Sub
/// ...`, `!GetAtt ...`) are covered only by themselves and by `*`.
fn covered(value: &str, patterns: &[String], case: Case) -> bool {
    let fold = |s: &str| match case {
        Case::Insensitive => s.to_ascii_lowercase(),
        Case::Sensitive => s.to_string(),
    };
    let literal = |s: &str| !s.starts_with('!') && !s.contains("${") && !s.starts_with('{');
    patterns.iter().any(|p| {
        p == value
            || p == "*"
            || p == "AWS:*"
            || (literal(p)
                && literal(value)
                && (p.contains('*') || p.contains('?'))
                && glob(&fold(p), &fold(value)))
    })
}

/// IAM's wildcard match: `*` any run of characters, `?` any one. Longer
/// texts than IAM takes (an ARN is at most 2,048 characters) are compared
/// only for equality, so a hostile template cannot make this slow.
fn glob(pattern: &str, text: &str) -> bool {
    const MAX: usize = 2_048;
    if pattern.len() > MAX || text.len() > MAX {
        return pattern == text;
    }
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// How the conditions of a statement changed, as (what lets more requests
/// match, what lets fewer). A condition key dropped lets more match, one
/// added fewer. Within a key, values are alternatives: a value added to a
/// positive operator (`StringEquals`, `ArnLike`) lets more match, one
/// removed fewer; a negated operator (`StringNotEquals`, `NotIpAddress`)
/// the other way round.
fn condition_changes(old: &Statement, new: &Statement) -> (Vec<String>, Vec<String>) {
    let (mut looser, mut tighter) = (Vec::new(), Vec::new());
    let values_of =
        |s: &Statement, key: &str| s.condition_values.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    for (key, old_values) in &old.condition_values {
        let Some(new_values) = values_of(new, key) else {
            looser.push(format!("{key} = {} dropped", old_values.join(", ")));
            continue;
        };
        let negated = key.split(' ').next().is_some_and(|op| op.contains("Not") && op != "Null");
        let added: Vec<&String> = new_values.iter().filter(|v| !old_values.contains(v)).collect();
        let removed: Vec<&String> = old_values.iter().filter(|v| !new_values.contains(v)).collect();
        for (values, grows) in [(added, true), (removed, false)] {
            if values.is_empty() {
                continue;
            }
            let shown: Vec<&str> = values.iter().map(|v| v.as_str()).collect();
            let text = format!("{key}: {} {}", if grows { "+" } else { "-" }, shown.join(", "));
            // A single-valued key that changes value (Bool, Null) is looser and tighter at once.
            if grows != negated {
                looser.push(text);
            } else {
                tighter.push(text);
            }
        }
    }
    for (key, values) in &new.condition_values {
        if values_of(old, key).is_none() {
            tighter.push(format!("{key} = {} added", values.join(", ")));
        }
    }
    (looser, tighter)
}

/// A value, marked when it is a wildcard (`*`, `AWS:*`, `s3:*`, `arn:...:*`).
fn wildcard(v: &str) -> String {
    if v == "*" || v.ends_with(":*") || v.ends_with("/*") && !v.contains("${") {
        format!("{v} (wildcard)")
    } else {
        v.to_string()
    }
}

/// A statement in one line: `AWS:* may s3:GetObject on arn:... if ...`.
fn summary(s: &Statement) -> String {
    let list = |v: &[String], not: &[String]| -> String {
        if !not.is_empty() {
            format!("all but {}", not.join(", "))
        } else if v.is_empty() {
            "(none)".into()
        } else {
            v.iter().map(|x| wildcard(x)).collect::<Vec<_>>().join(", ")
        }
    };
    let who = if s.principals.is_empty() && s.not_principals.is_empty() {
        String::new()
    } else {
        format!("{} ", list(&s.principals, &s.not_principals))
    };
    let verb = if s.is_deny() { "denied" } else { "may" };
    let mut out = format!("{who}{verb} {}", list(&s.actions, &s.not_actions));
    if !s.resources.is_empty() || !s.not_resources.is_empty() {
        out.push_str(&format!(" on {}", list(&s.resources, &s.not_resources)));
    }
    if !s.conditions.is_empty() {
        out.push_str(&format!(" if {}", s.conditions.join(" and ")));
    }
    out
}

/// Managed policies attached to principals, and policies attached to more principals.
fn attachments(
    sink: &mut Sink,
    o: Option<&Resource>,
    n: Option<&Resource>,
    renames: &HashMap<String, String>,
) {
    let canon = Canon::plain(Some(renames));
    let set = |r: Option<&Resource>, key: &str| -> Vec<(String, Value)> {
        match r.and_then(|r| r.properties.get(key)) {
            Some(Value::Array(a)) => a.iter().map(|v| (canon.free(v).to_string(), v.clone())).collect(),
            Some(v) => vec![(canon.free(v).to_string(), v.clone())],
            None => Vec::new(),
        }
    };
    let holds_identity_policy = n.or(o).and_then(|r| facts(&r.type_name)).is_some_and(|f| {
        f.policies.iter().any(|(p, k)| *p == "/properties/PolicyDocument" && *k == PolicyKind::Identity)
    });
    let mut keys = vec![("ManagedPolicyArns", "managed policy", "attached")];
    if holds_identity_policy {
        keys.extend([
            ("Roles", "role", "now also applies to"),
            ("Users", "user", "now also applies to"),
            ("Groups", "group", "now also applies to"),
        ]);
    }
    for (key, what, verb) in keys {
        let (a, b) = (set(o, key), set(n, key));
        for (from, to, direction) in [(&a, &b, Direction::Broadens), (&b, &a, Direction::Narrows)] {
            for (_, v) in to.iter().filter(|(k, _)| !from.iter().any(|(x, _)| x == k)) {
                let description = match (key, direction) {
                    ("ManagedPolicyArns", Direction::Broadens) => format!("{what} {} {verb}", compact(v)),
                    ("ManagedPolicyArns", _) => format!("{what} {} detached", compact(v)),
                    (_, Direction::Broadens) => format!("the policy {verb} {what} {}", compact(v)),
                    _ => format!("the policy no longer applies to {what} {}", compact(v)),
                };
                sink.push(SecurityCategory::PolicyAttachment, direction, Some(key.into()), description);
            }
        }
    }
}

fn keys(path: &[Seg]) -> impl Iterator<Item = &str> {
    path.iter().filter_map(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        _ => None,
    })
}

fn is_encryption_key(k: &str) -> bool {
    let l = k.to_ascii_lowercase();
    l.contains("encrypt") || l.contains("kms") || l.starts_with("sse")
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The leaves that differ under a change: a change on one side only yields
/// every leaf of that side.
fn leaves(
    path: &mut Vec<Seg>,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<(Vec<Seg>, Option<Value>, Option<Value>)>,
) {
    fn obj(v: Option<&Value>) -> Option<&Map<String, Value>> {
        v.and_then(Value::as_object).filter(|m| !is_intrinsic(m))
    }
    match (old, new) {
        (a, b) if obj(a).is_some() || obj(b).is_some() => {
            let (ma, mb) = (obj(a), obj(b));
            if (a.is_some() && ma.is_none()) || (b.is_some() && mb.is_none()) {
                return out.push((path.clone(), a.cloned(), b.cloned()));
            }
            let empty = Map::new();
            let (ma, mb) = (ma.unwrap_or(&empty), mb.unwrap_or(&empty));
            for k in mb.keys().chain(ma.keys().filter(|k| !mb.contains_key(*k))) {
                path.push(Seg::Key(k.clone()));
                leaves(path, ma.get(k), mb.get(k), out);
                path.pop();
            }
        }
        (Some(Value::Array(items)), None) | (None, Some(Value::Array(items))) => {
            let on_old_side = old.is_some();
            for (i, x) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                let (a, b) = if on_old_side { (Some(x), None) } else { (None, Some(x)) };
                leaves(path, a, b, out);
                path.pop();
            }
        }
        (a, b) if a != b => out.push((path.clone(), a.cloned(), b.cloned())),
        _ => {}
    }
}

const PUBLIC_ACCESS_FLAGS: [&str; 4] =
    ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];

/// Encryption, public access, retention and data protection settings.
fn settings(sink: &mut Sink, raw: &RawChange) {
    let shown = display(&raw.path);
    // A whole encryption or public-access block added or removed is one finding.
    if raw.old.is_none() || raw.new.is_none() {
        if let Some(k) = last_key(&raw.path) {
            let removed = raw.new.is_none();
            if is_encryption_key(k) && !keys(&raw.path).any(|k| k == "Tags") {
                let (direction, verb) =
                    if removed { (Direction::Broadens, "removed") } else { (Direction::Narrows, "set") };
                return sink.push(
                    SecurityCategory::Encryption,
                    direction,
                    Some(shown.clone()),
                    format!("encryption setting {shown} {verb}"),
                );
            }
            if k == "PublicAccessBlockConfiguration" {
                let (direction, verb) =
                    if removed { (Direction::Broadens, "removed") } else { (Direction::Narrows, "added") };
                return sink.push(
                    SecurityCategory::PublicAccess,
                    direction,
                    Some(shown.clone()),
                    format!("public access block {verb}"),
                );
            }
        }
    }
    let mut found = Vec::new();
    leaves(&mut raw.path.clone(), raw.old.as_ref(), raw.new.as_ref(), &mut found);
    for (path, old, new) in found {
        leaf(sink, &path, old.as_ref(), new.as_ref());
    }
}

fn leaf(sink: &mut Sink, path: &[Seg], old: Option<&Value>, new: Option<&Value>) {
    let Some(last) = last_key(path) else { return };
    let shown = display(path);
    let all_keys: Vec<&str> = keys(path).collect();
    if all_keys.contains(&"Tags") {
        return;
    }
    let (a, b) = (
        old.map(compact).unwrap_or_else(|| "(none)".into()),
        new.map(compact).unwrap_or_else(|| "(none)".into()),
    );
    let push = |sink: &mut Sink, c, d, text: String| sink.push(c, d, Some(shown.clone()), text);
    if all_keys.iter().any(|k| is_encryption_key(k)) {
        let l = last.to_ascii_lowercase();
        let (direction, text) =
            if truthy(old) && new.is_some_and(|v| v == &Value::Bool(false) || v == "false") {
                (Direction::Broadens, format!("encryption turned off ({shown}: {a} to {b})"))
            } else if new.is_none() {
                (Direction::Broadens, format!("encryption setting {shown} removed (was {a})"))
            } else if old.is_none() {
                (Direction::Narrows, format!("encryption setting {shown} set to {b}"))
            } else if l == "ssealgorithm" && a.starts_with("aws:kms") && !b.starts_with("aws:kms") {
                (Direction::Broadens, format!("encryption moves from a KMS key to {b} ({shown})"))
            } else if l.contains("key") {
                (Direction::Changes, format!("encryption key swapped: {shown} {a} to {b}"))
            } else {
                (Direction::Changes, format!("encryption setting {shown} changed from {a} to {b}"))
            };
        return push(sink, SecurityCategory::Encryption, direction, text);
    }
    if PUBLIC_ACCESS_FLAGS.contains(&last) || all_keys.contains(&"PublicAccessBlockConfiguration") {
        if truthy(old) && !truthy(new) {
            return push(
                sink,
                SecurityCategory::PublicAccess,
                Direction::Broadens,
                format!("public access block loosened: {shown} {a} to {b}"),
            );
        }
        if !truthy(old) && truthy(new) {
            return push(
                sink,
                SecurityCategory::PublicAccess,
                Direction::Narrows,
                format!("public access block tightened: {shown} {a} to {b}"),
            );
        }
    }
    if last == "PubliclyAccessible" && truthy(old) != truthy(new) {
        let d = if truthy(new) { Direction::Broadens } else { Direction::Narrows };
        return push(sink, SecurityCategory::PublicAccess, d, format!("{shown} {a} to {b}"));
    }
    let expiry = last.contains("Expiration")
        || (matches!(last, "Days" | "NoncurrentDays") && all_keys.iter().any(|k| k.contains("Expiration")));
    if last.contains("Retention") || expiry {
        let text = match (number(old), number(new)) {
            (Some(x), Some(y)) if y < x => {
                Some((Direction::Broadens, format!("retention shortened: {shown} {a} to {b}")))
            }
            (Some(x), Some(y)) if y > x => {
                Some((Direction::Narrows, format!("retention lengthened: {shown} {a} to {b}")))
            }
            (None, Some(_)) => {
                Some((Direction::Broadens, format!("data now expires: {shown} set to {b} (was unlimited)")))
            }
            (Some(_), None) if new.is_none() => {
                Some((Direction::Narrows, format!("expiry removed: {shown} (was {a})")))
            }
            _ => None,
        };
        if let Some((d, text)) = text {
            return push(sink, SecurityCategory::Retention, d, text);
        }
    }
    let protection = match last {
        "EnableKeyRotation"
        | "DeletionProtection"
        | "DeletionProtectionEnabled"
        | "MultiFactorAuthenticationEnabled" => (truthy(old) != truthy(new)).then(|| {
            if truthy(new) {
                Direction::Narrows
            } else {
                Direction::Broadens
            }
        }),
        "Status" if all_keys.contains(&"VersioningConfiguration") => match (a.as_str(), b.as_str()) {
            ("Enabled", "Enabled") => None,
            ("Enabled", _) => Some(Direction::Broadens),
            (_, "Enabled") => Some(Direction::Narrows),
            _ => None,
        },
        _ => None,
    };
    if let Some(d) = protection {
        push(sink, SecurityCategory::DataProtection, d, format!("{shown} {a} to {b}"));
    }
}

fn retain_policies(sink: &mut Sink, o: &Resource, n: &Resource) {
    if let (Some(p), None) = (o.retained_on_delete(), n.retained_on_delete()) {
        sink.push(
            SecurityCategory::RetainPolicy,
            Direction::Broadens,
            None,
            format!("DeletionPolicy {p} dropped: removing the resource now deletes it and its data"),
        );
    }
    if let (Some(p), None) = (o.retained_on_replace(), n.retained_on_replace()) {
        sink.push(
            SecurityCategory::RetainPolicy,
            Direction::Broadens,
            None,
            format!(
                "UpdateReplacePolicy {p} dropped: a replacement now deletes the old resource and its data"
            ),
        );
    }
    if let (None, Some(p)) = (o.retained_on_delete(), n.retained_on_delete()) {
        sink.push(
            SecurityCategory::RetainPolicy,
            Direction::Narrows,
            None,
            format!("DeletionPolicy {p} added"),
        );
    }
}
