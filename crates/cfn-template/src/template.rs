//! The template: its sections, resources in the order they were added, and
//! how it is written.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::resources::Resource;
use crate::validate::{self, ValidationErrors};
use crate::{yaml, Attributes, CondExpr, Handle, Output, Parameter};

/// The only template format version CloudFormation has.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// A resource as the template holds it: its type, its properties as JSON
/// and its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceEntry {
    /// The logical ID.
    pub logical_id: String,
    /// The CloudFormation type name.
    pub resource_type: String,
    /// The properties, already serialized.
    pub properties: Value,
    /// The attributes.
    pub attributes: Attributes,
    /// Problems with literal physical names, found when it was added.
    pub(crate) problems: Vec<String>,
}

/// A CloudFormation template.
///
/// ```
/// use cfn_template::{Attributes, Expr, Output, Template};
/// use cfn_template::resources::s3::{Bucket, VersioningConfiguration};
///
/// let mut t = Template::new();
/// t.set_description("A versioned bucket");
/// let bucket = t.add_with(
///     "Logs",
///     Bucket {
///         bucket_name: Some(Expr::sub("logs-${AWS::AccountId}-${AWS::Region}")),
///         versioning_configuration: Some(VersioningConfiguration::enabled()),
///         ..Bucket::default()
///     },
///     Attributes::new().retain(),
/// );
/// t.add_output("LogsBucketArn", Output::new(bucket.arn()));
/// let json = t.to_json().expect("valid template");
/// assert!(json.contains("\"DeletionPolicy\": \"Retain\""));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    description: Option<String>,
    metadata: IndexMap<String, Value>,
    parameters: IndexMap<String, Parameter>,
    mappings: IndexMap<String, Value>,
    conditions: IndexMap<String, CondExpr>,
    resources: Vec<ResourceEntry>,
    outputs: IndexMap<String, Output>,
    /// Names declared twice in one section (kind, name): the maps keep the
    /// last declaration, so validation needs this record to report them.
    redeclared: Vec<(&'static str, String)>,
}

impl Template {
    /// An empty template.
    pub fn new() -> Self {
        Template::default()
    }

    /// Sets the description (at most 1024 bytes).
    pub fn set_description(&mut self, d: impl Into<String>) {
        self.description = Some(d.into());
    }

    /// The description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Sets a top-level `Metadata` key.
    pub fn set_metadata(&mut self, key: impl Into<String>, value: Value) {
        self.metadata.insert(key.into(), value);
    }

    /// The top-level `Metadata`.
    pub fn metadata(&self) -> &IndexMap<String, Value> {
        &self.metadata
    }

    /// Adds a parameter. A second parameter of the same logical ID replaces
    /// the first and makes the template invalid.
    pub fn add_parameter(&mut self, logical_id: impl Into<String>, p: Parameter) -> Handle<Parameter> {
        let id = logical_id.into();
        if self.parameters.insert(id.clone(), p).is_some() {
            self.redeclared.push(("parameter", id.clone()));
        }
        Handle::new(id)
    }

    /// Adds a mapping (`Fn::FindInMap` reads it): top-level key → second-level key → value.
    pub fn add_mapping(&mut self, name: impl Into<String>, mapping: Value) {
        let name = name.into();
        if self.mappings.insert(name.clone(), mapping).is_some() {
            self.redeclared.push(("mapping", name));
        }
    }

    /// Adds a named condition and returns its name.
    pub fn add_condition(&mut self, name: impl Into<String>, c: CondExpr) -> String {
        let name = name.into();
        if self.conditions.insert(name.clone(), c).is_some() {
            self.redeclared.push(("condition", name.clone()));
        }
        name
    }

    /// Adds a resource without attributes.
    pub fn add<R: Resource>(&mut self, logical_id: impl Into<String>, resource: R) -> Handle<R> {
        self.add_with(logical_id, resource, Attributes::default())
    }

    /// Adds a resource with attributes. Logical IDs are checked when the
    /// template is validated or written, so that every problem is reported
    /// at once.
    pub fn add_with<R: Resource>(
        &mut self,
        logical_id: impl Into<String>,
        resource: R,
        attributes: Attributes,
    ) -> Handle<R> {
        let logical_id = logical_id.into();
        let properties = serde_json::to_value(&resource).expect("resource properties serialize to JSON");
        self.resources.push(ResourceEntry {
            logical_id: logical_id.clone(),
            resource_type: resource.resource_type(),
            properties,
            attributes,
            problems: resource.problems(),
        });
        Handle::new(logical_id)
    }

    /// The attributes of a resource already added, to change them.
    pub fn attributes_mut<R>(&mut self, handle: &Handle<R>) -> &mut Attributes {
        let entry = self
            .resources
            .iter_mut()
            .find(|r| r.logical_id == handle.logical_id())
            .expect("a handle always names a resource of the template that made it");
        &mut entry.attributes
    }

    /// Adds an output.
    pub fn add_output(&mut self, logical_id: impl Into<String>, output: Output) {
        let id = logical_id.into();
        if self.outputs.insert(id.clone(), output).is_some() {
            self.redeclared.push(("output", id));
        }
    }

    /// The resources, in the order they were added.
    pub fn resources(&self) -> &[ResourceEntry] {
        &self.resources
    }

    /// The parameters.
    pub fn parameters(&self) -> &IndexMap<String, Parameter> {
        &self.parameters
    }

    /// The named conditions.
    pub fn conditions(&self) -> &IndexMap<String, CondExpr> {
        &self.conditions
    }

    /// The mappings.
    pub fn mappings(&self) -> &IndexMap<String, Value> {
        &self.mappings
    }

    /// The outputs.
    pub fn outputs(&self) -> &IndexMap<String, Output> {
        &self.outputs
    }

    pub(crate) fn redeclared(&self) -> &[(&'static str, String)] {
        &self.redeclared
    }

    /// Checks logical IDs, references, cycles, limits and physical names.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        validate::validate(self)
    }

    /// The template as JSON, without validating it. Prefer [`Template::to_json`].
    pub fn to_value(&self) -> Value {
        let mut root = Map::new();
        root.insert("AWSTemplateFormatVersion".into(), FORMAT_VERSION.into());
        if let Some(d) = &self.description {
            root.insert("Description".into(), d.clone().into());
        }
        let to_obj = |m: &IndexMap<String, Value>| {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        };
        if !self.metadata.is_empty() {
            root.insert("Metadata".into(), to_obj(&self.metadata));
        }
        if !self.parameters.is_empty() {
            root.insert("Parameters".into(), json(&self.parameters));
        }
        if !self.mappings.is_empty() {
            root.insert("Mappings".into(), to_obj(&self.mappings));
        }
        if !self.conditions.is_empty() {
            root.insert("Conditions".into(), json(&self.conditions));
        }
        let resources: Map<String, Value> =
            self.resources.iter().map(|r| (r.logical_id.clone(), resource_value(r))).collect();
        root.insert("Resources".into(), Value::Object(resources));
        if !self.outputs.is_empty() {
            let outputs: Map<String, Value> =
                self.outputs.iter().map(|(k, o)| (k.clone(), output_value(o))).collect();
            root.insert("Outputs".into(), Value::Object(outputs));
        }
        Value::Object(root)
    }

    /// Validates the template and writes it as pretty JSON with a trailing
    /// newline. The same template always gives the same bytes.
    pub fn to_json(&self) -> Result<String, ValidationErrors> {
        self.validate()?;
        Ok(crate::json::to_pretty_json(&self.to_value()))
    }

    /// Validates the template and writes it as YAML with CloudFormation's
    /// short-form intrinsic tags (`!Ref`, `!Sub`, ...).
    pub fn to_yaml(&self) -> Result<String, ValidationErrors> {
        self.validate()?;
        Ok(yaml::to_yaml(&self.to_value()))
    }
}

fn json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("template parts always serialize")
}

fn resource_value(r: &ResourceEntry) -> Value {
    let a = &r.attributes;
    let mut m = Map::new();
    m.insert("Type".into(), r.resource_type.clone().into());
    if let Some(c) = &a.condition {
        m.insert("Condition".into(), c.clone().into());
    }
    // The field is public, so repeats can reach here; CloudFormation wants each once.
    let mut depends_on: Vec<&String> = Vec::new();
    for id in &a.depends_on {
        if !depends_on.contains(&id) {
            depends_on.push(id);
        }
    }
    match depends_on.as_slice() {
        [] => {}
        [one] => {
            m.insert("DependsOn".into(), (*one).clone().into());
        }
        many => {
            m.insert("DependsOn".into(), json(&many));
        }
    }
    if r.properties.as_object().is_some_and(|p| !p.is_empty()) {
        m.insert("Properties".into(), r.properties.clone());
    }
    if let Some(p) = a.deletion_policy {
        m.insert("DeletionPolicy".into(), json(&p));
    }
    if let Some(p) = a.update_replace_policy {
        m.insert("UpdateReplacePolicy".into(), json(&p));
    }
    if !a.metadata.is_empty() {
        m.insert("Metadata".into(), json(&a.metadata));
    }
    Value::Object(m)
}

fn output_value(o: &Output) -> Value {
    let mut m = Map::new();
    if let Some(d) = &o.description {
        m.insert("Description".into(), d.clone().into());
    }
    if let Some(c) = &o.condition {
        m.insert("Condition".into(), c.clone().into());
    }
    m.insert("Value".into(), json(&o.value));
    if let Some(e) = &o.export_name {
        m.insert("Export".into(), serde_json::json!({ "Name": json(e) }));
    }
    Value::Object(m)
}
