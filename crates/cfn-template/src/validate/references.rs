//! References: every `Ref`, `Fn::GetAtt`, `Fn::Sub` variable, `DependsOn`,
//! condition and mapping a value names must exist, and be of a kind its
//! section may name.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::ValidationError;
use crate::hints::{closest, did_you_mean};
use crate::location::Location;
use crate::resources::AttributeNames;
use crate::sub::{parse_sub, SubPart};
use crate::template::Template;
use crate::Pseudo;

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
pub(super) struct Names<'a> {
    /// Logical ID → type and attributes, for every resource.
    resources: HashMap<&'a str, (&'a str, AttributeNames)>,
    parameters: HashSet<&'a str>,
    conditions: HashSet<&'a str>,
    mappings: HashMap<&'a str, &'a Value>,
}

impl<'a> Names<'a> {
    pub(super) fn of(t: &'a Template) -> Self {
        Names {
            resources: t
                .resources()
                .iter()
                .map(|r| (r.logical_id(), (r.resource_type(), r.resource().attribute_names())))
                .collect(),
            parameters: t.parameters().keys().map(String::as_str).collect(),
            conditions: t.conditions().keys().map(String::as_str).collect(),
            mappings: t.mappings().iter().map(|(k, v)| (k.as_str(), v)).collect(),
        }
    }

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
pub(super) enum Section {
    Conditions,
    Resources,
    Outputs,
}

/// Walks values, collecting reference problems and dependencies.
pub(super) struct Walker<'a, 'n> {
    names: &'n Names<'a>,
    /// The section being walked.
    pub(super) section: Section,
    /// The problems found so far.
    pub(super) errors: Vec<ValidationError>,
    /// Resources referenced by the value being walked.
    pub(super) deps: BTreeSet<String>,
    /// Conditions referenced by the condition being walked.
    pub(super) condition_deps: BTreeSet<String>,
}

impl<'a, 'n> Walker<'a, 'n> {
    pub(super) fn new(names: &'n Names<'a>) -> Self {
        Walker {
            names,
            section: Section::Conditions,
            errors: Vec::new(),
            deps: BTreeSet::new(),
            condition_deps: BTreeSet::new(),
        }
    }

    fn malformed(&mut self, location: &Location<'_>, message: impl Into<String>) {
        self.errors.push(ValidationError::MalformedIntrinsic {
            location: location.to_string(),
            message: message.into(),
        });
    }

    fn check_ref(&mut self, location: &Location<'_>, function: &'static str, target: &str) {
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
    pub(super) fn check_resource(
        &mut self,
        location: &Location<'_>,
        function: &'static str,
        target: &str,
        attribute: Option<&str>,
    ) {
        let Some((resource_type, attributes)) = self.names.resources.get(target).copied() else {
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
        let (Some(attribute), AttributeNames::Known { names: known, .. }) = (attribute, attributes) else {
            return;
        };
        if attributes.has(attribute) == Some(true) {
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

    pub(super) fn check_condition(&mut self, location: &Location<'_>, function: &'static str, name: &str) {
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

    /// Walks a value at `path` (`Resources.Bucket.Properties`).
    pub(super) fn walk(&mut self, v: &Value, path: &str) {
        self.walk_at(v, &Location::Root(path));
    }

    pub(super) fn walk_at(&mut self, v: &Value, path: &Location<'_>) {
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk_at(item, &Location::Index(path, i));
                }
            }
            Value::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next().expect("one entry");
                self.walk_function(k, arg, &Location::Key(path, k));
            }
            Value::Object(m) => {
                for (k, item) in m {
                    self.walk_at(item, &Location::Key(path, k));
                }
            }
            _ => {}
        }
    }

    /// A single-key object: an intrinsic function, or plain data.
    fn walk_function(&mut self, k: &str, arg: &Value, here: &Location<'_>) {
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
                    self.walk_at(a, &Location::Index(here, 1));
                    self.walk_at(b, &Location::Index(here, 2));
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
                self.walk_at(arg, here);
            }
            "Fn::Not" | "Fn::Equals" => {
                let want = if k == "Fn::Not" { 1 } else { 2 };
                let n = arg.as_array().map_or(0, Vec::len);
                if n != want {
                    let what = if k == "Fn::Not" { "[condition]" } else { "[value, value]" };
                    self.malformed(here, format!("{k} takes {what}, not {n} item(s)"));
                }
                self.walk_at(arg, here);
            }
            "Fn::FindInMap" => {
                self.walk_find_in_map(arg, here);
                self.walk_at(arg, here);
            }
            f if f.starts_with("Fn::") && !FUNCTIONS.contains(&f) && !f.starts_with("Fn::ForEach::") => {
                let hint = did_you_mean(f, FUNCTIONS);
                self.malformed(here, format!("`{f}` is not an intrinsic function{hint}"));
                self.walk_at(arg, here);
            }
            _ => self.walk_at(arg, here),
        }
    }

    fn walk_get_att(&mut self, arg: &Value, here: &Location<'_>) {
        const SHAPE: &str = "Fn::GetAtt takes [logical ID, attribute]";
        match arg {
            Value::Array(a) if a.len() == 2 && a[0].is_string() => {
                let id = a[0].as_str().unwrap_or_default();
                self.check_resource(here, "Fn::GetAtt", id, a[1].as_str());
                self.walk_at(&a[1], &Location::Index(here, 1));
            }
            Value::String(s) => match s.split_once('.') {
                Some((id, attribute)) => self.check_resource(here, "Fn::GetAtt", id, Some(attribute)),
                None => self.malformed(here, SHAPE),
            },
            _ => self.malformed(here, SHAPE),
        }
    }

    fn walk_sub(&mut self, arg: &Value, here: &Location<'_>) {
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
                self.walk_at(v, &Location::Key(&Location::Index(here, 1), k));
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

    fn walk_find_in_map(&mut self, arg: &Value, here: &Location<'_>) {
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
