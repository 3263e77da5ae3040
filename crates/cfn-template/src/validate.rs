//! Synth-time checks: logical IDs, references, cycles, limits and names.
//!
//! Every check runs and every problem is reported at once, in a stable order,
//! so that one run of the synthesizer shows everything there is to fix.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use crate::resources::attributes_of;
use crate::sub::{parse_sub, SubPart};
use crate::template::{Policy, ResourceEntry, Template};
use crate::Pseudo;

/// The most resources a template may declare.
pub const MAX_RESOURCES: usize = 500;
/// The most parameters a template may declare.
pub const MAX_PARAMETERS: usize = 200;
/// The most outputs a template may declare.
pub const MAX_OUTPUTS: usize = 200;
/// The most mappings a template may declare.
pub const MAX_MAPPINGS: usize = 200;
/// The longest logical ID.
pub const MAX_LOGICAL_ID_LEN: usize = 255;
/// The longest template description, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 1024;

/// One problem that keeps a template from being written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// A logical ID with characters other than A-Z, a-z and 0-9, or of bad length.
    #[error("{kind} logical ID `{id}` must be 1 to 255 characters of A-Z, a-z and 0-9")]
    InvalidLogicalId {
        /// `resource`, `parameter`, `mapping`, `condition` or `output`.
        kind: &'static str,
        /// The offending ID.
        id: String,
    },
    /// Two resources or parameters with one logical ID.
    #[error("logical ID `{0}` is declared more than once among resources and parameters")]
    DuplicateLogicalId(String),
    /// A condition, mapping, output or export name declared twice.
    #[error("{kind} `{id}` is declared more than once")]
    DuplicateName {
        /// `mapping`, `condition`, `output` or `export name`.
        kind: &'static str,
        /// The repeated name.
        id: String,
    },
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
    /// A `Fn::GetAtt` (or `${Name.Attr}`) of an attribute the resource type does not have.
    #[error("{location}: {function} asks for `{attribute}` of `{resource}`, but {resource_type} has {hint}")]
    UnknownAttribute {
        /// Where the reference is, as a path.
        location: String,
        /// `Fn::GetAtt` or `Fn::Sub`.
        function: &'static str,
        /// The resource's logical ID.
        resource: String,
        /// The resource's type.
        resource_type: String,
        /// The attribute asked for.
        attribute: String,
        /// The attributes it has, or the one that was probably meant.
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
    /// A resource attribute CloudFormation would reject, such as an
    /// `UpdateReplacePolicy` of `RetainExceptOnCreate`.
    #[error("{location}: {message}")]
    InvalidAttribute {
        /// Where it is.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// A mapping that is not a map of maps of values.
    #[error("{location}: {message}")]
    InvalidMapping {
        /// Where it is.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// Resources that depend on each other in a circle.
    #[error("circular dependency: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    /// Conditions that refer to each other in a circle.
    #[error("circular condition: {}", .0.join(" -> "))]
    ConditionCycle(Vec<String>),
    /// Too many resources, parameters, mappings or outputs.
    #[error("the template declares {count} {what}; CloudFormation accepts at most {max}")]
    TooMany {
        /// `resources`, `parameters`, `mappings` or `outputs`.
        what: &'static str,
        /// How many it declares.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A text longer than CloudFormation accepts.
    #[error("{what} is {len} bytes long; CloudFormation accepts at most {max}")]
    TooLong {
        /// What is too long, such as `the template description`.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A template without resources, which CloudFormation rejects.
    #[error("the template declares no resources; CloudFormation requires at least one")]
    NoResources,
    /// A physical name that breaks the service's naming rules.
    #[error("Resources.{resource}: {problem}")]
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

/// The candidate closest to `target`, if one is close enough to be a typo.
fn closest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = target.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&c.to_lowercase(), &wanted), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 4) && *d < wanted.chars().count())
        .min()
        .map(|(_, c)| c)
}

/// ` (did you mean `X`?)`, or nothing when no candidate is close.
fn did_you_mean<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(target, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}

/// The intrinsic functions CloudFormation knows, for "unknown function" hints.
const FUNCTIONS: [&str; 18] = [
    "Fn::And",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::Equals",
    "Fn::FindInMap",
    "Fn::GetAZs",
    "Fn::GetAtt",
    "Fn::If",
    "Fn::ImportValue",
    "Fn::Join",
    "Fn::Length",
    "Fn::Not",
    "Fn::Or",
    "Fn::Select",
    "Fn::Split",
    "Fn::Sub",
    "Fn::ToJsonString",
    "Fn::Transform",
];

/// The names a template declares, sorted where hints list them.
struct Names<'a> {
    /// Logical ID → type, for every resource.
    resources: HashMap<&'a str, &'a str>,
    parameters: HashSet<&'a str>,
    conditions: HashSet<&'a str>,
    mappings: HashMap<&'a str, &'a Value>,
}

impl Names<'_> {
    fn sorted<'s>(set: impl Iterator<Item = &'s str>) -> Vec<&'s str> {
        let mut v: Vec<&str> = set.collect();
        v.sort_unstable();
        v
    }

    fn resource_ids(&self) -> Vec<&str> {
        Self::sorted(self.resources.keys().copied())
    }

    fn refable(&self, with_resources: bool) -> Vec<&str> {
        let mut v = if with_resources { self.resource_ids() } else { Vec::new() };
        v.extend(Self::sorted(self.parameters.iter().copied()));
        v.extend(Pseudo::ALL.iter().map(|p| p.name()));
        v
    }
}

/// Which section a value belongs to: it decides what it may refer to.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    Conditions,
    Resources,
    Outputs,
}

/// Walks values, collecting reference problems and dependencies.
struct Walker<'a, 'n> {
    names: &'n Names<'a>,
    section: Section,
    errors: Vec<ValidationError>,
    /// Resources referenced by the value being walked.
    deps: BTreeSet<String>,
    /// Conditions referenced by the condition being walked.
    condition_deps: BTreeSet<String>,
}

impl Walker<'_, '_> {
    fn malformed(&mut self, location: &str, message: impl Into<String>) {
        self.errors.push(ValidationError::MalformedIntrinsic {
            location: location.to_string(),
            message: message.into(),
        });
    }

    fn check_ref(&mut self, location: &str, function: &'static str, target: &str) {
        let is_resource = self.names.resources.contains_key(target);
        if is_resource && self.section != Section::Conditions {
            self.deps.insert(target.to_string());
        } else if is_resource
            || (!self.names.parameters.contains(target) && Pseudo::from_name(target).is_none())
        {
            let in_condition = self.section == Section::Conditions;
            self.errors.push(ValidationError::UnknownReference {
                location: location.to_string(),
                function,
                target: target.to_string(),
                expected: if in_condition {
                    "a parameter or pseudo parameter (conditions cannot refer to resources)"
                } else {
                    "a resource, parameter or pseudo parameter"
                },
                hint: did_you_mean(target, self.names.refable(!in_condition)),
            });
        }
    }

    /// A resource named by `Fn::GetAtt`, `${Name.Attr}` or `DependsOn`;
    /// `attribute` is checked when it is known.
    fn check_resource(
        &mut self,
        location: &str,
        function: &'static str,
        target: &str,
        attribute: Option<&str>,
    ) {
        let Some(resource_type) = self.names.resources.get(target).copied() else {
            self.errors.push(ValidationError::UnknownReference {
                location: location.to_string(),
                function,
                target: target.to_string(),
                expected: "a resource",
                hint: did_you_mean(target, self.names.resource_ids()),
            });
            return;
        };
        if self.section == Section::Conditions {
            self.malformed(location, format!("{function} cannot be used in a condition: conditions are decided before any resource exists"));
            return;
        }
        self.deps.insert(target.to_string());
        let (Some(attribute), Some(known)) = (attribute, attributes_of(resource_type)) else {
            return;
        };
        if known.contains(&attribute) {
            return;
        }
        let hint = match (closest(attribute, known.iter().copied()), known) {
            (Some(c), _) => format!("no such attribute (did you mean `{c}`?)"),
            (None, []) => "no attributes (use Ref for its name or ID)".to_string(),
            (None, all) => format!("only {}", all.join(", ")),
        };
        self.errors.push(ValidationError::UnknownAttribute {
            location: location.to_string(),
            function,
            resource: target.to_string(),
            resource_type: resource_type.to_string(),
            attribute: attribute.to_string(),
            hint,
        });
    }

    fn check_condition(&mut self, location: &str, function: &'static str, name: &str) {
        if self.names.conditions.contains(name) {
            if self.section == Section::Conditions {
                self.condition_deps.insert(name.to_string());
            }
            return;
        }
        self.errors.push(ValidationError::UnknownReference {
            location: location.to_string(),
            function,
            target: name.to_string(),
            expected: "a condition",
            hint: did_you_mean(name, Names::sorted(self.names.conditions.iter().copied())),
        });
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
                self.walk_function(k, arg, &format!("{path}.{k}"));
            }
            Value::Object(m) => {
                for (k, item) in m {
                    self.walk(item, &format!("{path}.{k}"));
                }
            }
            _ => {}
        }
    }

    /// A single-key object: an intrinsic function, or plain data.
    fn walk_function(&mut self, k: &str, arg: &Value, here: &str) {
        match k {
            "Ref" => match arg.as_str() {
                Some(t) => self.check_ref(here, "Ref", t),
                None => self.malformed(here, "Ref takes a logical ID string"),
            },
            "Fn::GetAtt" => self.walk_get_att(arg, here),
            "Fn::Sub" => self.walk_sub(arg, here),
            "Fn::If" => match arg.as_array().map(Vec::as_slice) {
                Some([Value::String(c), a, b]) => {
                    self.check_condition(here, "Fn::If", c);
                    self.walk(a, &format!("{here}[1]"));
                    self.walk(b, &format!("{here}[2]"));
                }
                _ => self.malformed(here, "Fn::If takes [condition name, value if true, value if false]"),
            },
            "Condition" if self.section == Section::Conditions => match arg.as_str() {
                Some(name) => self.check_condition(here, "Condition", name),
                None => self.malformed(here, "Condition takes a condition name"),
            },
            "Fn::And" | "Fn::Or" => {
                let n = arg.as_array().map_or(0, Vec::len);
                if !(2..=10).contains(&n) {
                    self.malformed(here, format!("{k} takes 2 to 10 conditions, not {n}"));
                }
                self.walk(arg, here);
            }
            "Fn::Not" | "Fn::Equals" => {
                let want = if k == "Fn::Not" { 1 } else { 2 };
                let n = arg.as_array().map_or(0, Vec::len);
                if n != want {
                    let what = if k == "Fn::Not" { "[condition]" } else { "[value, value]" };
                    self.malformed(here, format!("{k} takes {what}, not {n} item(s)"));
                }
                self.walk(arg, here);
            }
            "Fn::FindInMap" => {
                self.walk_find_in_map(arg, here);
                self.walk(arg, here);
            }
            f if f.starts_with("Fn::") && !FUNCTIONS.contains(&f) && !f.starts_with("Fn::ForEach::") => {
                let hint = did_you_mean(f, FUNCTIONS);
                self.malformed(here, format!("`{f}` is not an intrinsic function{hint}"));
                self.walk(arg, here);
            }
            _ => self.walk(arg, here),
        }
    }

    fn walk_get_att(&mut self, arg: &Value, here: &str) {
        const SHAPE: &str = "Fn::GetAtt takes [logical ID, attribute]";
        match arg {
            Value::Array(a) if a.len() == 2 && a[0].is_string() => {
                let id = a[0].as_str().unwrap_or_default();
                self.check_resource(here, "Fn::GetAtt", id, a[1].as_str());
                self.walk(&a[1], &format!("{here}[1]"));
            }
            Value::String(s) => match s.split_once('.') {
                Some((id, attribute)) => self.check_resource(here, "Fn::GetAtt", id, Some(attribute)),
                None => self.malformed(here, SHAPE),
            },
            _ => self.malformed(here, SHAPE),
        }
    }

    fn walk_sub(&mut self, arg: &Value, here: &str) {
        const SHAPE: &str = "Fn::Sub takes a string or [string, {variables}]";
        let (template, vars) = match arg {
            Value::String(s) => (s.as_str(), None),
            Value::Array(a) => match a.as_slice() {
                [Value::String(s), Value::Object(vars)] => (s.as_str(), Some(vars)),
                _ => return self.malformed(here, SHAPE),
            },
            _ => return self.malformed(here, SHAPE),
        };
        if let Some(vars) = vars {
            for (k, v) in vars {
                self.walk(v, &format!("{here}[1].{k}"));
            }
        }
        let parts = match parse_sub(template) {
            Ok(parts) => parts,
            Err(message) => return self.malformed(here, message),
        };
        for part in parts {
            let SubPart::Var(name) = part else { continue };
            if vars.is_some_and(|v| v.contains_key(&name)) {
                continue;
            }
            match name.split_once('.') {
                Some((id, attribute)) if Pseudo::from_name(&name).is_none() => {
                    self.check_resource(here, "Fn::Sub", id, Some(attribute))
                }
                _ => self.check_ref(here, "Fn::Sub", &name),
            }
        }
    }

    fn walk_find_in_map(&mut self, arg: &Value, here: &str) {
        let Some([map, top, second, ..]) = arg.as_array().map(Vec::as_slice) else {
            return self.malformed(here, "Fn::FindInMap takes [mapping, top-level key, second-level key]");
        };
        let Some(map) = map.as_str() else { return };
        let Some(mapping) = self.names.mappings.get(map) else {
            self.errors.push(ValidationError::UnknownReference {
                location: here.to_string(),
                function: "Fn::FindInMap",
                target: map.to_string(),
                expected: "a mapping",
                hint: did_you_mean(map, Names::sorted(self.names.mappings.keys().copied())),
            });
            return;
        };
        // Keys given as literals can be checked now; others are resolved at deploy time.
        let Some(top) = top.as_str() else { return };
        let Some(level) = mapping.get(top) else {
            let keys = mapping.as_object().map(|m| m.keys().map(String::as_str).collect::<Vec<_>>());
            let hint = did_you_mean(top, keys.unwrap_or_default());
            return self.malformed(here, format!("mapping `{map}` has no top-level key `{top}`{hint}"));
        };
        let Some(second) = second.as_str() else { return };
        if level.get(second).is_none() {
            let keys = level.as_object().map(|m| m.keys().map(String::as_str).collect::<Vec<_>>());
            let hint = did_you_mean(second, keys.unwrap_or_default());
            self.malformed(here, format!("mapping `{map}` has no key `{second}` under `{top}`{hint}"));
        }
    }
}

pub(crate) fn validate(t: &Template) -> Result<(), crate::validate::ValidationErrors> {
    let mut errors = Vec::new();
    check_declarations(t, &mut errors);

    let names = Names {
        resources: t.resources().iter().map(|r| (r.logical_id.as_str(), r.resource_type.as_str())).collect(),
        parameters: t.parameters().keys().map(String::as_str).collect(),
        conditions: t.conditions().keys().map(String::as_str).collect(),
        mappings: t.mappings().iter().map(|(k, v)| (k.as_str(), v)).collect(),
    };
    let mut walker = Walker {
        names: &names,
        section: Section::Conditions,
        errors: Vec::new(),
        deps: BTreeSet::new(),
        condition_deps: BTreeSet::new(),
    };

    let mut condition_graph: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (name, c) in t.conditions() {
        let v = serde_json::to_value(c).expect("conditions serialize");
        walker.walk(&v, &format!("Conditions.{name}"));
        condition_graph.insert(name.as_str(), std::mem::take(&mut walker.condition_deps));
    }

    walker.section = Section::Resources;
    let mut graph: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for r in t.resources() {
        let path = format!("Resources.{}", r.logical_id);
        walker.walk(&r.properties, &format!("{path}.Properties"));
        for d in &r.attributes.depends_on {
            walker.check_resource(&format!("{path}.DependsOn"), "DependsOn", d, None);
        }
        if let Some(c) = &r.attributes.condition {
            walker.check_condition(&format!("{path}.Condition"), "Condition", c);
        }
        check_policies(r, &path, &mut errors);
        for problem in &r.name_problems {
            errors.push(ValidationError::InvalidName {
                resource: r.logical_id.clone(),
                problem: problem.clone(),
            });
        }
        graph.entry(r.logical_id.as_str()).or_default().extend(std::mem::take(&mut walker.deps));
    }

    walker.section = Section::Outputs;
    let mut exports = HashSet::new();
    for (name, o) in t.outputs() {
        let v = serde_json::to_value(&o.value).expect("outputs serialize");
        walker.walk(&v, &format!("Outputs.{name}.Value"));
        if let Some(e) = &o.export_name {
            let v = serde_json::to_value(e).expect("outputs serialize");
            walker.walk(&v, &format!("Outputs.{name}.Export.Name"));
            if let Some(literal) = e.as_literal() {
                if !exports.insert(literal) {
                    errors.push(ValidationError::DuplicateName {
                        kind: "export name",
                        id: literal.to_string(),
                    });
                }
            }
        }
        if let Some(c) = &o.condition {
            walker.check_condition(&format!("Outputs.{name}.Condition"), "Condition", c);
        }
    }
    errors.append(&mut walker.errors);

    let resource_order: Vec<&str> = t.resources().iter().map(|r| r.logical_id.as_str()).collect();
    if let Some(cycle) = find_cycle(&resource_order, &graph) {
        errors.push(ValidationError::Cycle(cycle));
    }
    let condition_order: Vec<&str> = t.conditions().keys().map(String::as_str).collect();
    if let Some(cycle) = find_cycle(&condition_order, &condition_graph) {
        errors.push(ValidationError::ConditionCycle(cycle));
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// Logical IDs, duplicates, limits, the description and mapping shapes.
fn check_declarations(t: &Template, errors: &mut Vec<ValidationError>) {
    let ids = t.resources().iter().map(|r| ("resource", r.logical_id.as_str()));
    let ids = ids
        .chain(t.parameters().keys().map(|k| ("parameter", k.as_str())))
        .chain(t.mappings().keys().map(|k| ("mapping", k.as_str())))
        .chain(t.conditions().keys().map(|k| ("condition", k.as_str())))
        .chain(t.outputs().keys().map(|k| ("output", k.as_str())));
    for (kind, id) in ids {
        if !valid_logical_id(id) {
            errors.push(ValidationError::InvalidLogicalId { kind, id: id.to_string() });
        }
    }

    // Resources and parameters share one namespace; `Ref` could not tell them apart.
    let mut seen = HashSet::new();
    let mut reported = HashSet::new();
    let shared = t.resources().iter().map(|r| r.logical_id.as_str());
    let redeclared_parameters =
        t.redeclared().iter().filter(|(kind, _)| *kind == "parameter").map(|(_, id)| id.as_str());
    for id in shared.chain(t.parameters().keys().map(String::as_str)).chain(redeclared_parameters) {
        if !seen.insert(id) && reported.insert(id) {
            errors.push(ValidationError::DuplicateLogicalId(id.to_string()));
        }
    }
    let mut reported = HashSet::new();
    for (kind, id) in t.redeclared().iter().filter(|(kind, _)| *kind != "parameter") {
        if reported.insert((kind, id)) {
            errors.push(ValidationError::DuplicateName { kind, id: id.clone() });
        }
    }

    if t.resources().is_empty() {
        errors.push(ValidationError::NoResources);
    }
    for (what, count, max) in [
        ("resources", t.resources().len(), MAX_RESOURCES),
        ("parameters", t.parameters().len(), MAX_PARAMETERS),
        ("mappings", t.mappings().len(), MAX_MAPPINGS),
        ("outputs", t.outputs().len(), MAX_OUTPUTS),
    ] {
        if count > max {
            errors.push(ValidationError::TooMany { what, count, max });
        }
    }
    if let Some(d) = t.description() {
        if d.len() > MAX_DESCRIPTION_LEN {
            errors.push(ValidationError::TooLong {
                what: "the template description",
                len: d.len(),
                max: MAX_DESCRIPTION_LEN,
            });
        }
    }

    for (name, mapping) in t.mappings() {
        check_mapping(name, mapping, errors);
    }
}

/// `RetainExceptOnCreate` exists only for `DeletionPolicy`, and `Snapshot`
/// only for types that take snapshots, none of which this crate models.
fn check_policies(r: &ResourceEntry, path: &str, errors: &mut Vec<ValidationError>) {
    let a = &r.attributes;
    if a.update_replace_policy == Some(Policy::RetainExceptOnCreate) {
        errors.push(ValidationError::InvalidAttribute {
            location: format!("{path}.UpdateReplacePolicy"),
            message: "RetainExceptOnCreate is only valid as a DeletionPolicy; use Retain".into(),
        });
    }
    if attributes_of(&r.resource_type).is_some() {
        for (name, p) in
            [("DeletionPolicy", a.deletion_policy), ("UpdateReplacePolicy", a.update_replace_policy)]
        {
            if p == Some(Policy::Snapshot) {
                errors.push(ValidationError::InvalidAttribute {
                    location: format!("{path}.{name}"),
                    message: format!("{} does not support Snapshot; use Retain or Delete", r.resource_type),
                });
            }
        }
    }
}

/// A mapping is a non-empty map of non-empty maps whose values are strings,
/// numbers or lists of them.
fn check_mapping(name: &str, mapping: &Value, errors: &mut Vec<ValidationError>) {
    let mut problem = |location: String, message: &str| {
        errors.push(ValidationError::InvalidMapping { location, message: message.to_string() });
    };
    let Some(top) = mapping.as_object().filter(|m| !m.is_empty()) else {
        return problem(format!("Mappings.{name}"), "a mapping must be a non-empty map of top-level keys");
    };
    for (key, level) in top {
        let Some(level) = level.as_object().filter(|m| !m.is_empty()) else {
            problem(format!("Mappings.{name}.{key}"), "a top-level key must hold a non-empty map");
            continue;
        };
        for (second, value) in level {
            let scalar = |v: &Value| v.is_string() || v.is_number() || v.is_boolean();
            let ok = scalar(value) || value.as_array().is_some_and(|a| a.iter().all(scalar));
            if !ok {
                problem(
                    format!("Mappings.{name}.{key}.{second}"),
                    "a mapping value must be a string, number, boolean or a list of them",
                );
            }
        }
    }
}

/// Depth-first search over dependencies, in declaration order so the
/// reported cycle is stable.
fn find_cycle(order: &[&str], graph: &HashMap<&str, BTreeSet<String>>) -> Option<Vec<String>> {
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
    for node in order {
        if marks.get(node).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(node, graph, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}
