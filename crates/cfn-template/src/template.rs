//! The template: parameters, conditions, resources, outputs and their attributes.

use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use crate::resources::Resource;
use crate::validate::{self, ValidationErrors};
use crate::{yaml, CondExpr, Expr};

/// The only template format version CloudFormation has.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// A typed reference to a resource or parameter added to a template.
///
/// Its methods offer only the attributes the resource type has, so a
/// `Fn::GetAtt` of an attribute that does not exist does not compile:
///
/// ```compile_fail
/// use cfn_template::{Template, resources::s3::Bucket};
/// let mut t = Template::new();
/// let bucket = t.add("Logs", Bucket::default());
/// let _ = bucket.key_id(); // a bucket has no KeyId
/// ```
pub struct Handle<T> {
    logical_id: String,
    _type: PhantomData<fn() -> T>,
}

impl<T> Handle<T> {
    pub(crate) fn new(logical_id: String) -> Self {
        Handle { logical_id, _type: PhantomData }
    }

    /// The logical ID in the template.
    pub fn logical_id(&self) -> &str {
        &self.logical_id
    }

    /// `Ref` of this resource or parameter.
    pub fn r#ref(&self) -> Expr {
        Expr::Ref(self.logical_id.clone())
    }

    pub(crate) fn get_att(&self, attribute: impl Into<String>) -> Expr {
        Expr::GetAtt(self.logical_id.clone(), attribute.into())
    }
}

impl<T> Clone for Handle<T> {
    fn clone(&self) -> Self {
        Handle::new(self.logical_id.clone())
    }
}

impl<T> fmt::Debug for Handle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({})", self.logical_id)
    }
}

impl<T> PartialEq for Handle<T> {
    fn eq(&self, other: &Self) -> bool {
        self.logical_id == other.logical_id
    }
}

/// What happens to a resource's physical resource when the stack deletes or
/// replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Policy {
    /// Delete it (CloudFormation's default for most types).
    Delete,
    /// Keep it, outside the stack.
    Retain,
    /// Keep it, unless the stack's creation itself fails.
    RetainExceptOnCreate,
    /// Snapshot it, then delete (types that support snapshots).
    Snapshot,
}

/// Resource attributes: dependencies, retention, condition and metadata.
///
/// ```
/// use cfn_template::Attributes;
/// let a = Attributes::new().retain().metadata("cfn_nag", serde_json::json!({}));
/// # let _ = a;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes {
    /// `DependsOn`: logical IDs created before this resource.
    pub depends_on: Vec<String>,
    /// `DeletionPolicy`.
    pub deletion_policy: Option<Policy>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<Policy>,
    /// `Condition`: the resource exists only when this condition holds.
    pub condition: Option<String>,
    /// `Metadata`, by key.
    pub metadata: IndexMap<String, Value>,
}

impl Attributes {
    /// No attributes.
    pub fn new() -> Self {
        Attributes::default()
    }

    /// Adds a `DependsOn` on another resource.
    pub fn depends_on<T>(mut self, other: &Handle<T>) -> Self {
        self.depends_on.push(other.logical_id().to_string());
        self
    }

    /// Adds a `DependsOn` by logical ID.
    pub fn depends_on_id(mut self, logical_id: impl Into<String>) -> Self {
        self.depends_on.push(logical_id.into());
        self
    }

    /// `DeletionPolicy` and `UpdateReplacePolicy` both `Retain`: the
    /// resource survives stack deletion and replacement.
    pub fn retain(self) -> Self {
        self.deletion_policy(Policy::Retain).update_replace_policy(Policy::Retain)
    }

    /// Sets the `DeletionPolicy`.
    pub fn deletion_policy(mut self, p: Policy) -> Self {
        self.deletion_policy = Some(p);
        self
    }

    /// Sets the `UpdateReplacePolicy`.
    pub fn update_replace_policy(mut self, p: Policy) -> Self {
        self.update_replace_policy = Some(p);
        self
    }

    /// Sets the `Condition`.
    pub fn condition(mut self, name: impl Into<String>) -> Self {
        self.condition = Some(name.into());
        self
    }

    /// Sets a `Metadata` key, replacing a previous value of that key.
    pub fn metadata(mut self, key: impl Into<String>, value: Value) -> Self {
        self.metadata.insert(key.into(), value);
        self
    }
}

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
    pub(crate) name_problems: Vec<String>,
}

/// A template parameter.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// `Type`, such as `String` or `Number`.
    #[serde(rename = "Type")]
    pub type_: String,
    /// `Default`.
    pub default: Option<Value>,
    /// `Description`.
    pub description: Option<String>,
    /// `AllowedValues`.
    pub allowed_values: Option<Vec<Value>>,
    /// `AllowedPattern`.
    pub allowed_pattern: Option<String>,
    /// `ConstraintDescription`.
    pub constraint_description: Option<String>,
    /// `MinLength`.
    pub min_length: Option<u32>,
    /// `MaxLength`.
    pub max_length: Option<u32>,
    /// `NoEcho`.
    pub no_echo: Option<bool>,
}

impl Parameter {
    /// A parameter of the given type (`String`, `Number`, ...).
    pub fn new(type_: impl Into<String>) -> Self {
        Parameter {
            type_: type_.into(),
            default: None,
            description: None,
            allowed_values: None,
            allowed_pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
            no_echo: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets the default value.
    pub fn default_value(mut self, v: impl Into<Value>) -> Self {
        self.default = Some(v.into());
        self
    }

    /// Sets the values the parameter accepts.
    pub fn allowed_values<I: IntoIterator<Item = V>, V: Into<Value>>(mut self, values: I) -> Self {
        self.allowed_values = Some(values.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the regular expression a `String` parameter must match.
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.allowed_pattern = Some(pattern.into());
        self
    }

    /// Sets the message shown when a value breaks a constraint.
    pub fn constraint_description(mut self, d: impl Into<String>) -> Self {
        self.constraint_description = Some(d.into());
        self
    }

    /// Sets the shortest and longest a `String` value may be.
    pub fn length(mut self, min: u32, max: u32) -> Self {
        self.min_length = Some(min);
        self.max_length = Some(max);
        self
    }

    /// Masks the value in the console and API output.
    pub fn no_echo(mut self) -> Self {
        self.no_echo = Some(true);
        self
    }
}

/// A template output.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// `Value`.
    pub value: Expr,
    /// `Description`.
    pub description: Option<String>,
    /// `Export.Name`: makes the value importable by other stacks.
    pub export_name: Option<Expr>,
    /// `Condition`.
    pub condition: Option<String>,
}

impl Output {
    /// An output of this value.
    pub fn new(value: Expr) -> Self {
        Output { value, description: None, export_name: None, condition: None }
    }

    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Exports the value under this name.
    pub fn export(mut self, name: impl Into<Expr>) -> Self {
        self.export_name = Some(name.into());
        self
    }

    /// Declares the output only when this condition holds.
    pub fn condition(mut self, name: impl Into<String>) -> Self {
        self.condition = Some(name.into());
        self
    }
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
            name_problems: resource.name_problems(),
        });
        Handle::new(logical_id)
    }

    /// The attributes of a resource already added, to change them.
    pub fn attributes_mut<R>(&mut self, handle: &Handle<R>) -> &mut Attributes {
        let entry = self
            .resources
            .iter_mut()
            .find(|r| r.logical_id == handle.logical_id)
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
        let mut s = serde_json::to_string_pretty(&self.to_value()).expect("JSON values always serialize");
        s.push('\n');
        Ok(s)
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
    match a.depends_on.as_slice() {
        [] => {}
        [one] => {
            m.insert("DependsOn".into(), one.clone().into());
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
