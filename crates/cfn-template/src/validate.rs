//! Synth-time checks: logical IDs, references, cycles, limits and names.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use crate::sub::{parse_sub, SubPart};
use crate::template::Template;
use crate::Pseudo;

/// The most resources a template may declare.
pub const MAX_RESOURCES: usize = 500;
/// The most parameters a template may declare.
pub const MAX_PARAMETERS: usize = 200;
/// The most outputs a template may declare.
pub const MAX_OUTPUTS: usize = 200;
/// The longest logical ID.
pub const MAX_LOGICAL_ID_LEN: usize = 255;

/// One problem that keeps a template from being written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// A logical ID with characters other than A-Z, a-z and 0-9, or of bad length.
    #[error("{kind} logical ID `{id}` must be 1 to 255 characters of A-Z, a-z and 0-9")]
    InvalidLogicalId {
        /// `resource`, `parameter`, `condition` or `output`.
        kind: &'static str,
        /// The offending ID.
        id: String,
    },
    /// Two resources or parameters with one logical ID.
    #[error("logical ID `{0}` is declared more than once among resources and parameters")]
    DuplicateLogicalId(String),
    /// A reference to something the template does not declare.
    #[error("{location}: {function} names `{target}`, which is not {expected} of this template{hint}")]
    UnknownReference {
        /// Where the reference is, as a path.
        location: String,
        /// `Ref`, `Fn::GetAtt`, `Fn::Sub`, `DependsOn`, `Fn::If`, ...
        function: &'static str,
        /// The missing name.
        target: String,
        /// What kind of thing was expected.
        expected: &'static str,
        /// ` (did you mean ...?)` or empty.
        hint: String,
    },
    /// A malformed intrinsic function.
    #[error("{location}: {message}")]
    MalformedIntrinsic {
        /// Where it is.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// Resources that depend on each other in a circle.
    #[error("circular dependency: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    /// Too many resources, parameters or outputs.
    #[error("the template declares {count} {what}; CloudFormation accepts at most {max}")]
    TooMany {
        /// `resources`, `parameters` or `outputs`.
        what: &'static str,
        /// How many it declares.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A physical name that breaks the service's naming rules.
    #[error("resource `{resource}`: {problem}")]
    InvalidName {
        /// The resource's logical ID.
        resource: String,
        /// What is wrong with the name.
        problem: String,
    },
}

/// Every problem found in a template, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "the template is not valid ({n} problem{}):", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

fn valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_LOGICAL_ID_LEN && id.chars().all(|c| c.is_ascii_alphanumeric())
}

struct Names<'a> {
    resources: HashSet<&'a str>,
    parameters: HashSet<&'a str>,
    conditions: HashSet<&'a str>,
    mappings: HashSet<&'a str>,
}

impl Names<'_> {
    fn suggestion(&self, target: &str, resources_only: bool) -> String {
        let mut candidates: Vec<&str> = self.resources.iter().copied().collect();
        if !resources_only {
            candidates.extend(self.parameters.iter().copied());
            candidates.extend(Pseudo::ALL.iter().map(|p| p.name()));
        }
        candidates.sort_unstable();
        let best = candidates
            .into_iter()
            .map(|c| (edit_distance(&c.to_lowercase(), &target.to_lowercase()), c))
            .filter(|(d, c)| *d <= 2.max(c.len() / 4))
            .min();
        best.map(|(_, c)| format!(" (did you mean `{c}`?)")).unwrap_or_default()
    }
}

/// Levenshtein distance, for "did you mean" hints.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Walks values, collecting reference problems and resource dependencies.
struct Walker<'a, 'n> {
    names: &'n Names<'a>,
    errors: Vec<ValidationError>,
    /// Resources referenced by the value being walked.
    deps: BTreeSet<String>,
}

impl Walker<'_, '_> {
    fn unknown(&mut self, location: &str, function: &'static str, target: &str, resources_only: bool) {
        let expected =
            if resources_only { "a resource" } else { "a resource, parameter or pseudo parameter" };
        self.errors.push(ValidationError::UnknownReference {
            location: location.to_string(),
            function,
            target: target.to_string(),
            expected,
            hint: self.names.suggestion(target, resources_only),
        });
    }

    fn malformed(&mut self, location: &str, message: impl Into<String>) {
        self.errors.push(ValidationError::MalformedIntrinsic {
            location: location.to_string(),
            message: message.into(),
        });
    }

    fn check_ref(&mut self, location: &str, function: &'static str, target: &str) {
        if self.names.resources.contains(target) {
            self.deps.insert(target.to_string());
        } else if !self.names.parameters.contains(target) && Pseudo::from_name(target).is_none() {
            self.unknown(location, function, target, false);
        }
    }

    fn check_get_att(&mut self, location: &str, function: &'static str, target: &str) {
        if self.names.resources.contains(target) {
            self.deps.insert(target.to_string());
        } else {
            self.unknown(location, function, target, true);
        }
    }

    fn check_condition(&mut self, location: &str, function: &'static str, name: &str) {
        if !self.names.conditions.contains(name) {
            self.errors.push(ValidationError::UnknownReference {
                location: location.to_string(),
                function,
                target: name.to_string(),
                expected: "a condition",
                hint: String::new(),
            });
        }
    }

    fn walk(&mut self, v: &Value, path: &str) {
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, &format!("{path}[{i}]"));
                }
            }
            Value::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next().expect("one entry");
                let here = format!("{path}.{k}");
                match k.as_str() {
                    "Ref" => match arg.as_str() {
                        Some(t) => self.check_ref(&here, "Ref", t),
                        None => self.malformed(&here, "Ref takes a logical ID string"),
                    },
                    "Fn::GetAtt" => self.walk_get_att(arg, &here),
                    "Fn::Sub" => self.walk_sub(arg, &here),
                    "Fn::If" => match arg.as_array().map(Vec::as_slice) {
                        Some([Value::String(c), a, b]) => {
                            self.check_condition(&here, "Fn::If", c);
                            self.walk(a, &format!("{here}[1]"));
                            self.walk(b, &format!("{here}[2]"));
                        }
                        _ => self
                            .malformed(&here, "Fn::If takes [condition name, value if true, value if false]"),
                    },
                    "Condition" if arg.is_string() => {
                        self.check_condition(&here, "Condition", arg.as_str().unwrap_or_default());
                    }
                    "Fn::FindInMap" => {
                        if let Some(Value::String(map)) = arg.as_array().and_then(|a| a.first()) {
                            if !self.names.mappings.contains(map.as_str()) {
                                self.errors.push(ValidationError::UnknownReference {
                                    location: here.clone(),
                                    function: "Fn::FindInMap",
                                    target: map.clone(),
                                    expected: "a mapping",
                                    hint: String::new(),
                                });
                            }
                        }
                        self.walk(arg, &here);
                    }
                    _ => self.walk(arg, &here),
                }
            }
            Value::Object(m) => {
                for (k, item) in m {
                    self.walk(item, &format!("{path}.{k}"));
                }
            }
            _ => {}
        }
    }

    fn walk_get_att(&mut self, arg: &Value, here: &str) {
        match arg {
            Value::Array(a) if a.len() == 2 && a[0].is_string() => {
                self.check_get_att(here, "Fn::GetAtt", a[0].as_str().unwrap_or_default());
                self.walk(&a[1], &format!("{here}[1]"));
            }
            Value::String(s) => match s.split_once('.') {
                Some((id, _)) => self.check_get_att(here, "Fn::GetAtt", id),
                None => self.malformed(here, "Fn::GetAtt takes [logical ID, attribute]"),
            },
            _ => self.malformed(here, "Fn::GetAtt takes [logical ID, attribute]"),
        }
    }

    fn walk_sub(&mut self, arg: &Value, here: &str) {
        let (template, vars) = match arg {
            Value::String(s) => (s.as_str(), None),
            Value::Array(a) => match a.as_slice() {
                [Value::String(s), Value::Object(vars)] => (s.as_str(), Some(vars)),
                _ => return self.malformed(here, "Fn::Sub takes a string or [string, {variables}]"),
            },
            _ => return self.malformed(here, "Fn::Sub takes a string or [string, {variables}]"),
        };
        if let Some(vars) = vars {
            for (k, v) in vars {
                self.walk(v, &format!("{here}[1].{k}"));
            }
        }
        match parse_sub(template) {
            Ok(parts) => {
                for part in parts {
                    let SubPart::Var(name) = part else { continue };
                    if vars.is_some_and(|v| v.contains_key(&name)) {
                        continue;
                    }
                    match name.split_once('.') {
                        Some((id, _)) if Pseudo::from_name(&name).is_none() => {
                            self.check_get_att(here, "Fn::Sub", id)
                        }
                        _ => self.check_ref(here, "Fn::Sub", &name),
                    }
                }
            }
            Err(message) => self.malformed(here, message),
        }
    }
}

pub(crate) fn validate(t: &Template) -> Result<(), crate::validate::ValidationErrors> {
    let mut errors = Vec::new();

    let ids = t.resources().iter().map(|r| ("resource", r.logical_id.as_str()));
    let ids = ids
        .chain(t.parameters().keys().map(|k| ("parameter", k.as_str())))
        .chain(t.conditions().keys().map(|k| ("condition", k.as_str())))
        .chain(t.outputs().keys().map(|k| ("output", k.as_str())));
    for (kind, id) in ids {
        if !valid_logical_id(id) {
            errors.push(ValidationError::InvalidLogicalId { kind, id: id.to_string() });
        }
    }

    let mut seen = HashSet::new();
    let mut reported = HashSet::new();
    for id in
        t.resources().iter().map(|r| r.logical_id.as_str()).chain(t.parameters().keys().map(String::as_str))
    {
        if !seen.insert(id) && reported.insert(id) {
            errors.push(ValidationError::DuplicateLogicalId(id.to_string()));
        }
    }

    for (what, count, max) in [
        ("resources", t.resources().len(), MAX_RESOURCES),
        ("parameters", t.parameters().len(), MAX_PARAMETERS),
        ("outputs", t.outputs().len(), MAX_OUTPUTS),
    ] {
        if count > max {
            errors.push(ValidationError::TooMany { what, count, max });
        }
    }

    let names = Names {
        resources: t.resources().iter().map(|r| r.logical_id.as_str()).collect(),
        parameters: t.parameters().keys().map(String::as_str).collect(),
        conditions: t.conditions().keys().map(String::as_str).collect(),
        mappings: t.mappings().keys().map(String::as_str).collect(),
    };
    let mut walker = Walker { names: &names, errors: Vec::new(), deps: BTreeSet::new() };

    for (name, c) in t.conditions() {
        let v = serde_json::to_value(c).expect("conditions serialize");
        walker.walk(&v, &format!("Conditions.{name}"));
    }
    walker.deps.clear();

    let mut graph: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for r in t.resources() {
        let path = format!("Resources.{}", r.logical_id);
        walker.walk(&r.properties, &format!("{path}.Properties"));
        for d in &r.attributes.depends_on {
            walker.check_get_att(&format!("{path}.DependsOn"), "DependsOn", d);
        }
        if let Some(c) = &r.attributes.condition {
            walker.check_condition(&format!("{path}.Condition"), "Condition", c);
        }
        for problem in &r.name_problems {
            errors.push(ValidationError::InvalidName {
                resource: r.logical_id.clone(),
                problem: problem.clone(),
            });
        }
        graph.entry(r.logical_id.as_str()).or_default().extend(std::mem::take(&mut walker.deps));
    }

    for (name, o) in t.outputs() {
        let v = serde_json::to_value(&o.value).expect("outputs serialize");
        walker.walk(&v, &format!("Outputs.{name}.Value"));
        if let Some(e) = &o.export_name {
            let v = serde_json::to_value(e).expect("outputs serialize");
            walker.walk(&v, &format!("Outputs.{name}.Export.Name"));
        }
        if let Some(c) = &o.condition {
            walker.check_condition(&format!("Outputs.{name}.Condition"), "Condition", c);
        }
    }
    errors.append(&mut walker.errors);

    if let Some(cycle) = find_cycle(t, &graph) {
        errors.push(ValidationError::Cycle(cycle));
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// Depth-first search over resource dependencies, in declaration order so
/// the reported cycle is stable.
fn find_cycle(t: &Template, graph: &HashMap<&str, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit<'a>(
        node: &'a str,
        graph: &'a HashMap<&str, BTreeSet<String>>,
        marks: &mut HashMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        marks.insert(node, Mark::Open);
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next.as_str()).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let start = stack.iter().position(|n| *n == next).unwrap_or(0);
                    let mut cycle: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(next.as_str(), graph, marks, stack) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(node, Mark::Done);
        None
    }
    let mut marks = HashMap::new();
    for r in t.resources() {
        if marks.get(r.logical_id.as_str()).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(r.logical_id.as_str(), graph, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}
