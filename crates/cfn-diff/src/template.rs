//! A template as the diff sees it: its sections and resources, with the
//! resource attributes read out of each resource.

use crate::error::{kind_of, ParseError, Refusal, RefusalKind};
use crate::foreach::{expand_section, LoopError, OpenLoop, LOOP_SECTIONS};
use crate::parse::{locate_key, parse_value};
use indexmap::IndexMap;
use serde_json::{Map, Value};

/// The sections compared key by key; any other top-level key is compared whole.
pub const KEYED_SECTIONS: [&str; 5] = ["Parameters", "Mappings", "Conditions", "Outputs", "Rules"];

/// A parsed CloudFormation template.
#[derive(Debug, Clone)]
pub struct Template {
    /// The resources by logical ID, in template order.
    pub resources: IndexMap<String, Resource>,
    /// Every other top-level key (`Parameters`, `Outputs`, `Description`, ...).
    pub sections: Map<String, Value>,
    /// The `Fn::ForEach` loops whose collection is known only at deploy
    /// time, kept as written (those over a literal list are expanded).
    pub open_loops: Vec<OpenLoop>,
}

/// One resource and its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The resource type (`AWS::S3::Bucket`, `Custom::Thing`).
    pub type_name: String,
    /// Its `Properties` (empty when it has none).
    pub properties: Map<String, Value>,
    /// Its `DeletionPolicy`, when set.
    pub deletion_policy: Option<Value>,
    /// Its `UpdateReplacePolicy`, when set.
    pub update_replace_policy: Option<Value>,
    /// Its `DependsOn`, as written (a name or a list of names).
    pub depends_on: Option<Value>,
    /// Its `Condition`, when set.
    pub condition: Option<Value>,
    /// Its `Metadata`, when set.
    pub metadata: Option<Value>,
    /// Any other attribute (`UpdatePolicy`, `CreationPolicy`, `Version`, ...).
    pub other_attributes: Map<String, Value>,
}

/// The `DeletionPolicy` values that keep a resource, or its data, when the
/// stack lets go of it.
pub const RETAINING_POLICIES: [&str; 3] = ["Retain", "RetainExceptOnCreate", "Snapshot"];

impl Resource {
    /// The names this resource depends on, in any form it was written.
    pub fn depends_on_names(&self) -> Vec<String> {
        match &self.depends_on {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    }

    /// The `DeletionPolicy` when it keeps something (`Retain`, `Snapshot`, ...).
    pub fn retained_on_delete(&self) -> Option<&str> {
        retaining(self.deletion_policy.as_ref())
    }

    /// The `UpdateReplacePolicy` when it keeps the replaced resource.
    pub fn retained_on_replace(&self) -> Option<&str> {
        retaining(self.update_replace_policy.as_ref())
    }
}

fn retaining(policy: Option<&Value>) -> Option<&str> {
    policy.and_then(Value::as_str).filter(|p| RETAINING_POLICIES.contains(p))
}

impl Template {
    /// Reads a template from JSON or YAML text; `source_name` (a file name)
    /// is used in errors.
    pub fn parse(source_name: &str, text: &str) -> Result<Template, ParseError> {
        let value = parse_value(source_name, text)?;
        Template::from_value(source_name, text, value)
    }

    /// Builds a template from an already parsed value; `text` is only used to
    /// point errors at lines.
    pub fn from_value(source_name: &str, text: &str, value: Value) -> Result<Template, ParseError> {
        let shape = |path: String, key: &str, expected: &str, found: &Value, hint: Option<&str>| {
            ParseError::Shape(Box::new(crate::error::ShapeError {
                source_name: source_name.to_string(),
                location: locate_key(text, key),
                path,
                expected: expected.to_string(),
                found: kind_of(found).to_string(),
                hint: hint.map(str::to_string),
            }))
        };
        let Value::Object(mut top) = value else {
            return Err(shape(
                "the document".into(),
                "",
                "a mapping with a `Resources` section",
                &value,
                Some("a CloudFormation template is a mapping at its top level"),
            ));
        };
        let mut open_loops = Vec::new();
        let mut made = 0;
        let mut expand = |section: &str, entries: Map<String, Value>| {
            expand_section(section, entries, &mut open_loops, &mut made)
                .map_err(|e| loop_error(source_name, text, e))
        };
        let raw_resources = match top.shift_remove("Resources") {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(other) => {
                return Err(shape(
                    "Resources".into(),
                    "Resources",
                    "a mapping of logical IDs to resources",
                    &other,
                    None,
                ))
            }
        };
        for section in KEYED_SECTIONS {
            if let Some(v) = top.get(section) {
                if !v.is_object() {
                    return Err(shape(section.into(), section, "a mapping", v, None));
                }
            }
        }
        let raw_resources = expand("Resources", raw_resources)?;
        for section in LOOP_SECTIONS.iter().filter(|s| **s != "Resources") {
            if let Some(Value::Object(entries)) = top.get_mut(*section) {
                *entries = expand(section, std::mem::take(entries))?;
            }
        }
        let mut resources = IndexMap::with_capacity(raw_resources.len());
        for (id, raw) in raw_resources {
            let Value::Object(mut body) = raw else {
                return Err(shape(format!("Resources.{id}"), &id, "a mapping with `Type`", &raw, None));
            };
            let type_name = match body.shift_remove("Type") {
                Some(Value::String(t)) => t,
                Some(other) => {
                    return Err(shape(format!("Resources.{id}.Type"), &id, "a type name", &other, None))
                }
                None => {
                    return Err(shape(
                        format!("Resources.{id}"),
                        &id,
                        "a `Type` key",
                        &Value::Object(body),
                        Some("every resource names its type, such as `Type: AWS::S3::Bucket`"),
                    ))
                }
            };
            let properties = match body.shift_remove("Properties") {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(m)) => m,
                Some(other) => {
                    return Err(shape(format!("Resources.{id}.Properties"), &id, "a mapping", &other, None))
                }
            };
            let depends_on = body.shift_remove("DependsOn");
            match &depends_on {
                None | Some(Value::String(_)) => {}
                Some(Value::Array(a)) if a.iter().all(Value::is_string) => {}
                Some(other) => {
                    return Err(shape(
                        format!("Resources.{id}.DependsOn"),
                        &id,
                        "a logical ID or a list of logical IDs",
                        other,
                        None,
                    ))
                }
            }
            resources.insert(
                id,
                Resource {
                    type_name,
                    properties,
                    deletion_policy: body.shift_remove("DeletionPolicy"),
                    update_replace_policy: body.shift_remove("UpdateReplacePolicy"),
                    depends_on,
                    condition: body.shift_remove("Condition"),
                    metadata: body.shift_remove("Metadata"),
                    other_attributes: body,
                },
            );
        }
        Ok(Template { resources, sections: top, open_loops })
    }

    /// What the open loops of this template say of one entry of a section.
    pub(crate) fn loop_notes(&self, section: &str, key: &str) -> impl Iterator<Item = String> + '_ {
        let (section, key) = (section.to_string(), key.to_string());
        self.open_loops.iter().filter(move |l| l.section == section && l.key == key).map(OpenLoop::note)
    }

    /// A keyed section (`Outputs`, ...), empty when the template has none.
    pub fn section(&self, name: &str) -> Option<&Map<String, Value>> {
        self.sections.get(name).and_then(Value::as_object)
    }
}

/// A loop that cannot be expanded, as an error that points at it.
fn loop_error(source_name: &str, text: &str, e: LoopError) -> ParseError {
    let location = locate_key(text, e.key());
    match e {
        LoopError::Shape { path, found, .. } => ParseError::Shape(Box::new(crate::error::ShapeError {
            source_name: source_name.to_string(),
            location,
            path,
            expected: LoopError::EXPECTED_SHAPE.to_string(),
            found,
            hint: Some(
                "`Fn::ForEach::Name: [Identifier, [Item1, Item2], {\"Key${Identifier}\": Value}]`".into(),
            ),
        })),
        LoopError::Repeated { path, key, .. } => ParseError::Refused(Box::new(Refusal {
            source_name: source_name.to_string(),
            kind: RefusalKind::RepeatedKey,
            location,
            path: Some(path),
            problem: format!("the loops here make the key `{key}` twice"),
            expected: "each key once, as CloudFormation requires of the expanded template".into(),
            help: Some(
                "put the loop's identifier (`${Identifier}` or `&{Identifier}`) in each output key".into(),
            ),
        })),
        LoopError::TooManyValues { path, .. } => ParseError::Refused(Box::new(Refusal {
            source_name: source_name.to_string(),
            kind: RefusalKind::TooManyValues,
            location,
            path: Some(path),
            problem: format!("the Fn::ForEach loops expand to more than {} values", LoopError::bound()),
            expected: format!("at most {}", LoopError::bound()),
            help: Some(
                "CloudFormation's quotas apply to the expanded template: loop over fewer items".into(),
            ),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_and_attributes_are_read() {
        let t = Template::parse(
            "t.yaml",
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    DependsOn: K\n",
        )
        .unwrap();
        let b = &t.resources["B"];
        assert_eq!(b.type_name, "AWS::S3::Bucket");
        assert_eq!(b.retained_on_delete(), Some("Retain"));
        assert_eq!(b.depends_on_names(), vec!["K".to_string()]);
        assert!(b.properties.is_empty());
    }

    #[test]
    fn misshapen_templates_are_errors_that_point_at_the_resource() {
        let e = Template::parse("t.yaml", "Resources:\n  B:\n    Properties: {}\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.yaml:2:3: Resources.B: expected a `Type` key, found a mapping (every resource names its type, such as `Type: AWS::S3::Bucket`)"
        );
        let e = Template::parse("t.json", "[1]").unwrap_err();
        assert!(e.to_string().contains("expected a mapping with a `Resources` section, found a list"), "{e}");
        let e =
            Template::parse("t.yaml", "Resources:\n  B:\n    Type: X\n    DependsOn: {a: 1}\n").unwrap_err();
        assert!(e.to_string().contains("Resources.B.DependsOn: expected a logical ID"), "{e}");
    }
}
