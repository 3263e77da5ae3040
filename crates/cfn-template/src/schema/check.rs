//! Checks a resource's JSON properties against its type's shape and facts:
//! literal values against the schema's patterns, lengths, enums and bounds;
//! required, unknown and read-only properties. Intrinsics are deploy-time
//! values and pass, except that both branches of an `Fn::If` are checked.

use std::cell::RefCell;
use std::collections::HashMap;

use fancy_regex::Regex;

use serde_json::{Map, Value};

use super::facts::TypeFacts;
use super::shape::{Bounds, Entries, Items, Node, Object, Str, TypeShape};
use crate::hints::did_you_mean;
use crate::location::Location;

thread_local! {
    /// Compiled patterns: each is compiled once per thread, on first use;
    /// keyed by where the generated pattern lies, so that a lookup does not
    /// hash the pattern's text.
    static PATTERNS: RefCell<HashMap<(usize, usize), Option<Regex>>> = RefCell::new(HashMap::new());
}

/// Whether `text` contains a match of `pattern` (JSON Schema searches, it
/// does not anchor). A pattern that does not compile, or whose search gives
/// up (backtracking limits), matches: the generator only writes patterns
/// that compile, and a value is never refused on a guess.
fn matches(pattern: &'static str, text: &str) -> bool {
    PATTERNS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let re = cache
            .entry((pattern.as_ptr() as usize, pattern.len()))
            .or_insert_with(|| Regex::new(pattern).ok());
        re.as_ref().is_none_or(|re| re.is_match(text).unwrap_or(true))
    })
}

/// What a value is: a literal, or an intrinsic to resolve at deploy time.
enum Form<'a> {
    Literal(&'a Value),
    /// `Fn::If`: the two branches.
    If(&'a Value, &'a Value),
    /// Any other intrinsic, or `Ref`.
    DeployTime,
}

fn form(v: &Value) -> Form<'_> {
    if let Value::Object(m) = v {
        if m.len() == 1 {
            let (k, arg) = m.iter().next().expect("one entry");
            if k == "Fn::If" {
                if let Some([_, a, b]) = arg.as_array().map(Vec::as_slice) {
                    return Form::If(a, b);
                }
            }
            if k == "Ref" || k.starts_with("Fn::") {
                return Form::DeployTime;
            }
        }
    }
    Form::Literal(v)
}

fn is_no_value(v: &Value) -> bool {
    v.get("Ref").and_then(Value::as_str) == Some("AWS::NoValue")
}

/// Text of a value for messages, kept short and free of control characters.
fn shown(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out: String = s.chars().take(80).flat_map(char::escape_debug).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

struct Checker<'a> {
    shape: &'a TypeShape,
    /// Top-level properties that are attributes: reported by [`check_read_only`].
    read_only: Vec<&'static str>,
    problems: Vec<String>,
}

impl Checker<'_> {
    fn problem(&mut self, path: &Location<'_>, message: String) {
        self.problems.push(format!("{path}: {message}"));
    }

    fn value(&mut self, node: u32, v: &Value, path: &Location<'_>) {
        match form(v) {
            Form::DeployTime => {}
            Form::If(a, b) => {
                for (branch, i) in [(a, 1), (b, 2)] {
                    if !is_no_value(branch) {
                        self.value(node, branch, &Location::Index(&Location::Key(path, "Fn::If"), i));
                    }
                }
            }
            Form::Literal(v) => self.literal(node, v, path),
        }
    }

    fn literal(&mut self, node: u32, v: &Value, path: &Location<'_>) {
        let shape = self.shape;
        match shape.node(node) {
            Node::String(rules) => self.string(rules, v, path),
            Node::Integer(b) => self.number(b, v, path, true),
            Node::Number(b) => self.number(b, v, path, false),
            Node::Boolean => {
                let ok = v.is_boolean() || matches!(v.as_str(), Some("true" | "false"));
                if !ok {
                    self.problem(path, format!("`{}` is not a boolean (expected true or false)", shown(v)));
                }
            }
            Node::Json | Node::Scalar => {}
            Node::Policy => self.policy(v, path),
            Node::Array(items) => self.array(items, v, path),
            Node::Map(entries) => self.map(entries, v, path),
            Node::Object(o) => match v.as_object() {
                Some(m) => self.object(o, m, path),
                None if o.or_string && v.is_string() => {}
                None => self.problem(path, format!("expected an object, found `{}`", shown(v))),
            },
        }
    }

    fn string(&mut self, rules: &Str, v: &Value, path: &Location<'_>) {
        let Some(s) = v.as_str() else {
            if v.is_object() || v.is_array() {
                self.problem(path, format!("expected a string, found `{}`", shown(v)));
            }
            return;
        };
        let len = s.chars().count() as u64;
        if let Some(min) = rules.min.filter(|m| len < *m) {
            self.problem(
                path,
                format!("`{}` is {len} characters long; at least {min} are required", shown(v)),
            );
        }
        if let Some(max) = rules.max.filter(|m| len > *m) {
            self.problem(path, format!("`{}` is {len} characters long; at most {max} are allowed", shown(v)));
        }
        if !rules.values.is_empty() {
            let found = if rules.case_insensitive {
                rules.values.iter().any(|x| x.eq_ignore_ascii_case(s))
            } else {
                rules.values.contains(&s)
            };
            if !found {
                let hint = did_you_mean(s, rules.values.iter().copied());
                let listed = if rules.values.len() <= 12 {
                    format!("one of {}", rules.values.join(", "))
                } else {
                    format!("one of {} values", rules.values.len())
                };
                self.problem(path, format!("`{}` is not {listed}{hint}", shown(v)));
            }
        }
        if let Some(pattern) = rules.pattern {
            if !matches(pattern, s) {
                self.problem(path, format!("`{}` does not match the pattern {pattern}", shown(v)));
            }
        }
    }

    fn number(&mut self, b: &Bounds, v: &Value, path: &Location<'_>, integer: bool) {
        // CloudFormation reads numbers written as strings too.
        let n = match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let what = if integer { "an integer" } else { "a number" };
        let Some(n) = n.filter(|n| !integer || n.fract() == 0.0) else {
            return self.problem(path, format!("`{}` is not {what}", shown(v)));
        };
        if let Some(min) = b.min.filter(|m| n < *m) {
            self.problem(path, format!("{} is less than the minimum, {min}", shown(v)));
        }
        if let Some(max) = b.max.filter(|m| n > *m) {
            self.problem(path, format!("{} is more than the maximum, {max}", shown(v)));
        }
        if !b.values.is_empty() && !b.values.contains(&n) {
            let listed: Vec<String> = b.values.iter().map(|x| x.to_string()).collect();
            self.problem(path, format!("{} is not one of {}", shown(v), listed.join(", ")));
        }
    }

    fn policy(&mut self, v: &Value, path: &Location<'_>) {
        match v {
            Value::String(_) => {}
            Value::Object(m) => {
                let empty = match m.get("Statement") {
                    None => true,
                    Some(Value::Array(a)) => a.is_empty(),
                    Some(_) => false,
                };
                if empty {
                    self.problem(path, "the policy document has no statements".into());
                }
            }
            other => self.problem(path, format!("expected a policy document, found `{}`", shown(other))),
        }
    }

    fn array(&mut self, rules: &Items, v: &Value, path: &Location<'_>) {
        let Some(items) = v.as_array() else {
            return self.problem(path, format!("expected a list, found `{}`", shown(v)));
        };
        let n = items.len() as u64;
        if let Some(min) = rules.min.filter(|m| n < *m) {
            self.problem(path, format!("has {n} items; at least {min} are required"));
        }
        if let Some(max) = rules.max.filter(|m| n > *m) {
            self.problem(path, format!("has {n} items; at most {max} are allowed"));
        }
        if rules.unique {
            for (i, item) in items.iter().enumerate() {
                if items[..i].contains(item) {
                    self.problem(&Location::Index(path, i), format!("`{}` is listed twice", shown(item)));
                }
            }
        }
        for (i, item) in items.iter().enumerate() {
            self.value(rules.items, item, &Location::Index(path, i));
        }
    }

    fn map(&mut self, rules: &Entries, v: &Value, path: &Location<'_>) {
        let Some(m) = v.as_object() else {
            return self.problem(path, format!("expected a map, found `{}`", shown(v)));
        };
        let n = m.len() as u64;
        if let Some(max) = rules.max.filter(|x| n > *x) {
            self.problem(path, format!("has {n} entries; at most {max} are allowed"));
        }
        if let Some(min) = rules.min.filter(|x| n < *x) {
            self.problem(path, format!("has {n} entries; at least {min} are required"));
        }
        for (k, item) in m {
            if let Some(p) = rules.key_pattern {
                if !matches(p, k) {
                    self.problem(
                        path,
                        format!("key `{}` does not match the pattern {p}", shown(&Value::String(k.clone()))),
                    );
                }
            }
            self.value(rules.values, item, &Location::Key(path, k));
        }
    }

    fn object(&mut self, o: &Object, m: &Map<String, Value>, path: &Location<'_>) {
        let props = self.shape.props_of(o);
        let set = |name: &str| m.get(name).is_some_and(|v| !is_no_value(v));
        for (k, v) in m {
            match props.iter().find(|p| p.0 == k) {
                Some(p) => self.value(p.1, v, &Location::Key(path, k)),
                None if matches!(path, Location::Root(_)) && self.read_only.contains(&k.as_str()) => {}
                None if o.closed => {
                    let hint = did_you_mean(k, props.iter().map(|p| p.0));
                    let name = shown(&Value::String(k.clone()));
                    self.problem(path, format!("`{name}` is not a property of {}{hint}", self.what(o)));
                }
                None => {}
            }
        }
        for r in o.required {
            if !m.contains_key(*r) {
                self.problem(path, format!("`{r}` is required"));
            }
        }
        let count = |names: &[&str]| names.iter().filter(|n| set(n)).count();
        if !o.required_xor.is_empty() && count(o.required_xor) != 1 {
            self.problem(path, format!("exactly one of {} must be set", o.required_xor.join(", ")));
        }
        if !o.required_or.is_empty() && count(o.required_or) == 0 {
            self.problem(path, format!("at least one of {} must be set", o.required_or.join(", ")));
        }
        let group_holds = |g: &[&str]| g.iter().all(|n| set(n));
        if !o.one_of.is_empty() && o.one_of.iter().filter(|g| group_holds(g)).count() != 1 {
            let groups: Vec<String> = o.one_of.iter().map(|g| g.join(" + ")).collect();
            self.problem(path, format!("exactly one of these must be set: {}", groups.join("; ")));
        }
        if !o.any_of.is_empty() && !o.any_of.iter().any(|g| group_holds(g)) {
            let groups: Vec<String> = o.any_of.iter().map(|g| g.join(" + ")).collect();
            self.problem(path, format!("at least one of these must be set: {}", groups.join("; ")));
        }
        for (key, excluded) in o.dependent_excluded {
            if set(key) {
                for e in excluded.iter().filter(|e| set(e)) {
                    self.problem(path, format!("`{key}` and `{e}` cannot both be set"));
                }
            }
        }
        for (key, needed) in o.dependent_required {
            if set(key) {
                for n in needed.iter().filter(|n| !m.contains_key(**n)) {
                    self.problem(path, format!("`{key}` requires `{n}`"));
                }
            }
        }
    }

    fn what(&self, o: &Object) -> String {
        if o.name.is_empty() {
            self.shape.type_name.to_string()
        } else {
            format!("{} {}", self.shape.type_name, o.name)
        }
    }
}

/// Problems with a resource's properties, by its shape.
pub(crate) fn check_shape(
    shape: &TypeShape,
    facts: Option<&TypeFacts>,
    properties: &Value,
    path: &str,
) -> Vec<String> {
    let read_only = facts
        .map(|f| {
            f.read_only
                .iter()
                .filter_map(|p| p.strip_prefix("/properties/"))
                .filter(|p| !p.contains('/'))
                .collect()
        })
        .unwrap_or_default();
    let mut c = Checker { shape, read_only, problems: Vec::new() };
    let root = Location::Root(path);
    match properties.as_object() {
        Some(m) => c.object(shape.root(), m, &root),
        None => c.problem(&root, "must be an object".into()),
    }
    c.problems
}

/// Problems a type's facts alone can show, when its shape is not compiled
/// in: unknown and missing top-level properties.
pub(crate) fn check_facts(facts: &TypeFacts, properties: &Value, path: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(m) = properties.as_object() else {
        return vec![format!("{path}: must be an object")];
    };
    for k in m.keys() {
        let read_only = facts.read_only.iter().any(|p| p.strip_prefix("/properties/") == Some(k.as_str()));
        if !facts.properties.contains(&k.as_str()) && !read_only {
            let hint = did_you_mean(k, facts.properties.iter().copied());
            problems.push(format!("{path}: `{k}` is not a property of {}{hint}", facts.type_name));
        }
    }
    for r in facts.required {
        if !m.contains_key(*r) {
            problems.push(format!("{path}: `{r}` is required"));
        }
    }
    problems
}

/// Read-only properties set in a template: CloudFormation sets them.
pub(crate) fn check_read_only(facts: &TypeFacts, properties: &Value, path: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for pointer in facts.read_only {
        let Some(rest) = pointer.strip_prefix("/properties/") else { continue };
        if rest.contains('*') {
            continue;
        }
        let mut v = properties;
        let mut found = true;
        for part in rest.split('/') {
            match v.get(part) {
                Some(next) => v = next,
                None => {
                    found = false;
                    break;
                }
            }
        }
        if found {
            let name = rest.replace('/', ".");
            problems.push(format!(
                "{path}.{name}: `{name}` is read-only: CloudFormation sets it (read it with Fn::GetAtt)"
            ));
        }
    }
    problems
}
