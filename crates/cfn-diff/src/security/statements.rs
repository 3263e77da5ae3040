//! Policy statements compared by what they say.
//!
//! The statements of a resource's documents of one kind (identity,
//! resource, trust) are pooled: IAM evaluates them together, whichever
//! inline policy holds them and whatever their `Sid`. A statement in both
//! templates, word for word but for its `Sid` or the policy it sits in, is
//! no change, so renaming a policy or a `Sid` says nothing. What remains
//! is paired by content (effect, principal, action, resource, condition),
//! best match first, so an edit is judged against the old statement it is
//! closest to; what stays unpaired was added or removed.

use super::documents::kind_name;
use super::Sink;
use crate::canon::key_text;
use crate::model::{Direction, SecurityCategory, SecurityChange};
use crate::policy::Statement;
use cfn_template::schema::facts::PolicyKind;
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// A statement and the document it is in.
struct Placed {
    label: String,
    kind: PolicyKind,
    /// Its canonical form without `Sid`: what identifies it.
    key: Value,
    statement: Statement,
}

/// The statements of canonical documents, each with its document.
fn placed(docs: &IndexMap<String, (PolicyKind, Value)>) -> Vec<Placed> {
    let mut out = Vec::new();
    for (label, (kind, doc)) in docs {
        let statements: Vec<&Value> = match doc {
            Value::Object(m) if crate::compare::is_intrinsic(m) => vec![doc],
            Value::Object(m) => match m.get("Statement") {
                Some(Value::Array(a)) => a.iter().collect(),
                Some(other) => vec![other],
                None => Vec::new(),
            },
            other => vec![other],
        };
        for s in statements {
            let mut key = s.clone();
            if let Value::Object(m) = &mut key {
                if !crate::compare::is_intrinsic(m) {
                    m.shift_remove("Sid");
                }
            }
            out.push(Placed { label: label.clone(), kind: *kind, key, statement: Statement::from_canon(s) });
        }
    }
    out
}

/// What changed between the policy documents of a resource, by label.
pub(crate) fn policy_changes(
    sink: &mut Sink,
    old: &IndexMap<String, (PolicyKind, Value)>,
    new: &IndexMap<String, (PolicyKind, Value)>,
) {
    // Statements in both, found through a map of their text, not by
    // comparing each with every other: documents may hold thousands.
    let removed = placed(old);
    let mut by_key: HashMap<(&str, String), VecDeque<usize>> = HashMap::new();
    for (i, r) in removed.iter().enumerate() {
        by_key.entry((kind_name(r.kind), key_text(&r.key))).or_default().push_back(i);
    }
    let mut kept = vec![false; removed.len()];
    let mut added = Vec::new();
    for a in placed(new) {
        match by_key.get_mut(&(kind_name(a.kind), key_text(&a.key))).and_then(VecDeque::pop_front) {
            Some(i) => kept[i] = true,
            None => added.push(a),
        }
    }
    let mut removed: Vec<Placed> =
        removed.into_iter().zip(kept).filter(|(_, k)| !k).map(|(r, _)| r).collect();
    let pairs = pair(&mut removed, &mut added);
    // An added allow grants more; a removed deny protects less.
    for (statements, is_added, verb) in [(added, true, "added to"), (removed, false, "removed from")] {
        for p in statements {
            let what = format!("{} policy {}", kind_name(p.kind), p.label);
            let st = p.statement;
            if let Some(expr) = &st.expression {
                let text = format!(
                    "statement {verb} {what}, given by {expr}: what it grants is known only at deploy time"
                );
                push(sink, &p.label, p.kind, Direction::Changes, false, text, st.clone());
                continue;
            }
            let tls = st.is_tls_deny();
            let direction = if st.is_deny() != is_added { Direction::Broadens } else { Direction::Narrows };
            let headline = match (tls, is_added) {
                (true, true) => "TLS-only deny added to".to_string(),
                (true, false) => "TLS-only deny dropped from".to_string(),
                _ => format!("{} statement {verb}", st.effect),
            };
            push(sink, &p.label, p.kind, direction, tls, format!("{headline} {what}: {}", summary(&st)), st);
        }
    }
    for (r, a) in pairs {
        let (direction, mut detail) = edited(&r.statement, &a.statement);
        let tls = r.statement.is_tls_deny();
        if tls && !a.statement.is_tls_deny() {
            detail.push("no longer conditioned on aws:SecureTransport".into());
        }
        if r.label != a.label {
            detail.push(format!("moved from {}", r.label));
        }
        let headline = match (tls, direction) {
            (true, Direction::Broadens) => "TLS-only deny narrowed in".to_string(),
            (true, _) => "TLS-only deny changed in".to_string(),
            (false, _) => format!("{} statement changed in", a.statement.effect),
        };
        let direction = if tls && !a.statement.is_tls_deny() { Direction::Broadens } else { direction };
        let what = format!("{} policy {}", kind_name(a.kind), a.label);
        push(
            sink,
            &a.label,
            a.kind,
            direction,
            tls,
            format!("{headline} {what}: {}", detail.join("; ")),
            a.statement,
        );
    }
}

fn push(
    sink: &mut Sink,
    label: &str,
    kind: PolicyKind,
    direction: Direction,
    tls: bool,
    description: String,
    statement: Statement,
) {
    let category = if tls { SecurityCategory::TlsOnly } else { SecurityCategory::PolicyStatement };
    sink.out.push(SecurityChange {
        policy_kind: Some(kind_name(kind).to_string()),
        statement: Some(statement),
        ..sink.change(category, direction, Some(label.to_string()), description)
    });
}

/// Pairs removed and added statements that are one statement edited, best
/// match first: of one kind, the same effect and something in common (an
/// action, or the principals and resources), or everything but the effect
/// the same. One statement left on each side with the same effect is one
/// statement edited too. Paired statements leave the lists.
///
/// Up to [`ALL_PAIRS`] removed × added pairs, every pair is scored. Past
/// that (documents of thousands of statements), only statements that share
/// a principal, action or resource few others have ([`RARE`]) are, so the
/// cost stays near-linear; the rest is added and removed.
fn pair(removed: &mut Vec<Placed>, added: &mut Vec<Placed>) -> Vec<(Placed, Placed)> {
    let candidates: Vec<(usize, usize)> = if removed.len() * added.len() <= ALL_PAIRS {
        (0..removed.len()).flat_map(|i| (0..added.len()).map(move |j| (i, j))).collect()
    } else {
        sharing_rare_values(removed, added)
    };
    let mut scored: Vec<(u32, usize, usize)> = Vec::new();
    for (i, j) in candidates {
        if let Some(score) = similarity(&removed[i], &added[j]) {
            scored.push((score, i, j));
        }
    }
    // Best first; ties in template order.
    scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_r, mut used_a) = (vec![false; removed.len()], vec![false; added.len()]);
    let mut chosen = Vec::new();
    for (_, i, j) in scored {
        if !used_r[i] && !used_a[j] {
            used_r[i] = true;
            used_a[j] = true;
            chosen.push((i, j));
        }
    }
    let single = |used: &[bool]| used.iter().filter(|u| !**u).count() == 1;
    if single(&used_r) && single(&used_a) {
        let i = used_r.iter().position(|u| !u).unwrap_or_default();
        let j = used_a.iter().position(|u| !u).unwrap_or_default();
        let (r, a) = (&removed[i].statement, &added[j].statement);
        if removed[i].kind == added[j].kind
            && r.effect == a.effect
            && r.expression.is_none()
            && a.expression.is_none()
        {
            used_r[i] = true;
            used_a[j] = true;
            chosen.push((i, j));
        }
    }
    chosen.sort_by_key(|&(_, j)| j);
    let mut taken_r: Vec<Option<Placed>> = removed.drain(..).map(Some).collect();
    let mut taken_a: Vec<Option<Placed>> = added.drain(..).map(Some).collect();
    let pairs =
        chosen.into_iter().filter_map(|(i, j)| Some((taken_r[i].take()?, taken_a[j].take()?))).collect();
    removed.extend(taken_r.into_iter().flatten());
    added.extend(taken_a.into_iter().flatten());
    pairs
}

/// The most removed × added statement pairs scored one by one.
const ALL_PAIRS: usize = 250_000;

/// A value in more statements than this, on either side, pairs nothing
/// past [`ALL_PAIRS`].
const RARE: usize = 8;

/// The pairs of a removed and an added statement that share a principal,
/// action or resource (or its `Not` form) found in at most [`RARE`]
/// statements on each side, in order.
fn sharing_rare_values(removed: &[Placed], added: &[Placed]) -> Vec<(usize, usize)> {
    fn values(s: &Statement) -> impl Iterator<Item = (u8, &str)> {
        [&s.principals, &s.not_principals, &s.actions, &s.not_actions, &s.resources, &s.not_resources]
            .into_iter()
            .enumerate()
            .flat_map(|(field, vs)| vs.iter().map(move |v| (field as u8, v.as_str())))
    }
    // For each value, the removed and the added statements holding it.
    type Holders = (BTreeSet<usize>, BTreeSet<usize>);
    let mut holders: HashMap<(u8, &str), Holders> = HashMap::new();
    for (i, r) in removed.iter().enumerate() {
        for v in values(&r.statement) {
            holders.entry(v).or_default().0.insert(i);
        }
    }
    for (j, a) in added.iter().enumerate() {
        for v in values(&a.statement) {
            holders.entry(v).or_default().1.insert(j);
        }
    }
    let mut pairs = BTreeSet::new();
    for (rs, added_with) in holders.values() {
        if rs.len() <= RARE && added_with.len() <= RARE {
            pairs.extend(rs.iter().flat_map(|i| added_with.iter().map(move |j| (*i, *j))));
        }
    }
    pairs.into_iter().collect()
}

/// How alike two statements are, in hundredths, when they may be one
/// statement edited; `None` when they may not.
fn similarity(r: &Placed, a: &Placed) -> Option<u32> {
    let (x, y) = (&r.statement, &a.statement);
    if r.kind != a.kind || x.expression.is_some() || y.expression.is_some() {
        return None;
    }
    let jaccard = |p: &[String], q: &[String]| -> Option<u32> {
        if p.is_empty() && q.is_empty() {
            return None;
        }
        let common = p.iter().filter(|v| q.contains(v)).count();
        let all = p.len() + q.len() - common;
        Some((100 * common / all.max(1)) as u32)
    };
    let both = |p: &[String], pn: &[String], q: &[String], qn: &[String]| {
        let p: Vec<String> = p.iter().cloned().chain(pn.iter().map(|v| format!("not {v}"))).collect();
        let q: Vec<String> = q.iter().cloned().chain(qn.iter().map(|v| format!("not {v}"))).collect();
        jaccard(&p, &q)
    };
    let principals = both(&x.principals, &x.not_principals, &y.principals, &y.not_principals);
    let actions = both(&x.actions, &x.not_actions, &y.actions, &y.not_actions);
    let resources = both(&x.resources, &x.not_resources, &y.resources, &y.not_resources);
    let conditions = jaccard(&x.conditions, &y.conditions);
    let same = |v: Option<u32>| v.is_none_or(|v| v == 100);
    if x.is_deny() != y.is_deny() {
        // An effect turned round: everything else must be the same.
        return (same(principals) && same(actions) && same(resources) && same(conditions)).then_some(1_000);
    }
    let overlaps = |v: Option<u32>| v.is_none_or(|v| v > 0);
    if !(actions.is_some_and(|v| v > 0) || (overlaps(principals) && overlaps(resources))) {
        return None;
    }
    let w = |v: Option<u32>, weight: u32| v.unwrap_or(100) * weight;
    Some(w(actions, 3) + w(resources, 2) + w(principals, 2) + w(conditions, 1))
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
            "no action".into()
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
