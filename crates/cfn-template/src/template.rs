//! The template: its sections, resources in the order they were added, and
//! how it is written.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::aspect::{Aspect, Aspects, ResourceView};
use crate::overrides::{self, Override};
use crate::resources::Resource;
use crate::validate::{self, ValidationErrors};
use crate::{yaml, Attributes, CondExpr, Handle, Output, Parameter};

/// The only template format version CloudFormation has.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// A resource as the template holds it: the typed resource, its attributes
/// and the overrides of its properties.
#[derive(Debug, Clone)]
pub struct ResourceEntry {
    logical_id: String,
    resource: Box<dyn Resource>,
    /// The attributes (`DependsOn`, `DeletionPolicy`, ...).
    pub attributes: Attributes,
    overrides: Vec<Override>,
}

impl ResourceEntry {
    /// The logical ID.
    pub fn logical_id(&self) -> &str {
        &self.logical_id
    }

    /// The CloudFormation type name.
    pub fn resource_type(&self) -> &str {
        self.resource.resource_type()
    }

    /// The resource.
    pub fn resource(&self) -> &dyn Resource {
        self.resource.as_ref()
    }

    /// The resource, to change it.
    pub fn resource_mut(&mut self) -> &mut dyn Resource {
        self.resource.as_mut()
    }

    /// Sets a property by path, over what the resource writes (see
    /// [`Template::override_property`]).
    pub fn override_property(&mut self, path: &str, value: impl Into<Value>) {
        self.overrides.push(Override::Set(overrides::segments(path), value.into()));
    }

    /// Removes a property by path from what the resource writes.
    pub fn remove_property(&mut self, path: &str) {
        self.overrides.push(Override::Remove(overrides::segments(path)));
    }

    /// The properties as the template writes them: the resource's, with
    /// the overrides applied. An override whose path cannot apply (an index
    /// past the end of a list) is reported as an error.
    pub fn properties(&self) -> (Value, Vec<String>) {
        let mut v = self.resource.properties();
        let mut problems = Vec::new();
        for o in &self.overrides {
            if let Err(e) = overrides::apply(&mut v, o) {
                problems.push(format!("property override: {e}"));
            }
        }
        (v, problems)
    }
}

impl PartialEq for ResourceEntry {
    fn eq(&self, other: &Self) -> bool {
        self.logical_id == other.logical_id
            && self.resource_type() == other.resource_type()
            && self.attributes == other.attributes
            && self.properties() == other.properties()
    }
}

/// A CloudFormation template.
///
/// ```
/// use cfn_template::{Attributes, Expr, Output, Template};
/// use cfn_template::resources::s3::{bucket::VersioningConfiguration, Bucket};
///
/// let mut t = Template::new();
/// t.set_description("A versioned bucket");
/// let bucket = t.add_with(
///     "Logs",
///     Bucket {
///         bucket_name: Some(Expr::sub("logs-${AWS::AccountId}-${AWS::Region}")),
///         versioning_configuration: Some(VersioningConfiguration::new("Enabled")),
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
    aspects: Aspects,
    /// Logical IDs the written template takes instead (old → new).
    renames: IndexMap<String, String>,
}

/// A resource as synthesis writes it: properties with overrides applied and
/// aspects run, attributes as aspects left them, and the problems found on
/// the way.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    pub(crate) properties: Value,
    pub(crate) attributes: Attributes,
    pub(crate) problems: Vec<String>,
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
        self.resources.push(ResourceEntry {
            logical_id: logical_id.clone(),
            resource: Box::new(resource),
            attributes,
            overrides: Vec::new(),
        });
        Handle::new(logical_id)
    }

    fn position<R>(&self, handle: &Handle<R>) -> usize {
        // The last one: a logical ID added twice is an error validation
        // reports, and the handle of the second points at the second.
        self.resources.iter().rposition(|r| r.logical_id == handle.logical_id()).unwrap_or_else(|| {
            panic!("the handle `{}` names no resource of this template", handle.logical_id())
        })
    }

    /// The entry of a resource already added.
    ///
    /// # Panics
    /// When the handle comes from another template.
    pub fn entry<R>(&self, handle: &Handle<R>) -> &ResourceEntry {
        &self.resources[self.position(handle)]
    }

    /// The entry of a resource already added, to change its attributes or
    /// override its properties.
    ///
    /// # Panics
    /// When the handle comes from another template.
    pub fn entry_mut<R>(&mut self, handle: &Handle<R>) -> &mut ResourceEntry {
        let i = self.position(handle);
        &mut self.resources[i]
    }

    /// The entry of a resource by logical ID.
    pub fn entry_by_id(&self, logical_id: &str) -> Option<&ResourceEntry> {
        self.resources.iter().rev().find(|r| r.logical_id == logical_id)
    }

    /// The entry of a resource by logical ID, to change it.
    pub fn entry_by_id_mut(&mut self, logical_id: &str) -> Option<&mut ResourceEntry> {
        self.resources.iter_mut().rev().find(|r| r.logical_id == logical_id)
    }

    /// A resource already added, as its type.
    ///
    /// # Panics
    /// When the handle comes from another template.
    pub fn get<R: Resource>(&self, handle: &Handle<R>) -> &R {
        self.entry(handle)
            .resource
            .as_any()
            .downcast_ref()
            .unwrap_or_else(|| panic!("`{}` holds another type than its handle says", handle.logical_id()))
    }

    /// A resource already added, as its type, to change it: building blocks
    /// stay open after they are built.
    ///
    /// ```
    /// use cfn_template::resources::s3::Bucket;
    /// use cfn_template::Template;
    /// let mut t = Template::new();
    /// let logs = t.add("Logs", Bucket::default());
    /// t.get_mut(&logs).bucket_name = Some("audit-logs".into());
    /// assert!(t.to_json().unwrap().contains("audit-logs"));
    /// ```
    ///
    /// # Panics
    /// When the handle comes from another template.
    pub fn get_mut<R: Resource>(&mut self, handle: &Handle<R>) -> &mut R {
        let id = handle.logical_id().to_string();
        self.entry_mut(handle)
            .resource
            .as_any_mut()
            .downcast_mut()
            .unwrap_or_else(|| panic!("`{id}` holds another type than its handle says"))
    }

    /// The last resource of type `R` for which `found` holds, to change it:
    /// how a companion resource (a bucket's policy) is found again.
    pub(crate) fn find_mut<R: Resource>(&mut self, found: impl Fn(&R) -> bool) -> Option<&mut R> {
        self.resources
            .iter_mut()
            .rev()
            .filter_map(|r| r.resource.as_any_mut().downcast_mut::<R>())
            .find(|r| found(r))
    }

    /// The attributes of a resource already added, to change them.
    ///
    /// # Panics
    /// When the handle comes from another template.
    pub fn attributes_mut<R>(&mut self, handle: &Handle<R>) -> &mut Attributes {
        &mut self.entry_mut(handle).attributes
    }

    /// Sets a property of a resource by path, over what its type writes: the
    /// escape hatch for what the typed struct cannot say (an `Fn::If` over
    /// a whole object, a property newer than the schemas). The value is
    /// validated and reference-checked like any other. Paths are
    /// dot-separated; a segment of digits indexes a list (`Rules.0.Status`).
    ///
    /// ```
    /// use cfn_template::resources::s3::Bucket;
    /// use cfn_template::Template;
    /// let mut t = Template::new();
    /// let logs = t.add("Logs", Bucket::default());
    /// t.override_property(&logs, "VersioningConfiguration.Status", "Enabled");
    /// assert!(t.to_json().unwrap().contains("\"Status\": \"Enabled\""));
    /// t.override_property(&logs, "VersioningConfiguration.Status", "Sometimes");
    /// assert!(t.to_json().unwrap_err().to_string().contains("is not one of Enabled, Suspended"));
    /// ```
    pub fn override_property<R>(&mut self, handle: &Handle<R>, path: &str, value: impl Into<Value>) {
        self.entry_mut(handle).override_property(path, value);
    }

    /// Removes a property of a resource by path from what its type writes.
    pub fn remove_property<R>(&mut self, handle: &Handle<R>, path: &str) {
        self.entry_mut(handle).remove_property(path);
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

    /// Checks logical IDs, references, cycles, limits, property values and
    /// physical names.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        self.synthesize().map(|_| ())
    }

    /// Adds an aspect: a visitor over every resource, run each time the
    /// template is synthesized, in the order aspects were added (see
    /// [`crate::aspect`]).
    pub fn add_aspect(&mut self, aspect: impl Aspect + 'static) {
        self.aspects.0.push(std::sync::Arc::new(aspect));
    }

    /// Every resource as it will be written: overrides applied, then aspects.
    fn written(&self) -> Vec<Written> {
        self.resources
            .iter()
            .map(|r| {
                let (mut properties, mut problems) = r.properties();
                let mut attributes = r.attributes.clone();
                for aspect in &self.aspects.0 {
                    let mut view = ResourceView::new(
                        &r.logical_id,
                        r.resource_type(),
                        &mut properties,
                        &mut attributes,
                        &mut problems,
                        aspect.name(),
                    );
                    aspect.visit(&mut view);
                }
                Written { properties, attributes, problems }
            })
            .collect()
    }

    /// The template as JSON, without validating it. Prefer [`Template::to_json`].
    pub fn to_value(&self) -> Value {
        self.assemble(self.written())
    }

    /// Writes resource `old` (or output `old`) as `new`, with every
    /// reference to it: for a template that must keep the logical IDs of a
    /// stack another tool deployed, since CloudFormation matches resources
    /// by logical ID alone. Validation and aspects see the IDs the resources
    /// were added under; the written template (JSON, YAML) has the new ones.
    ///
    /// # Errors
    /// When `old` names no resource or output, or `new` is not a valid
    /// logical ID or is already the logical ID of another resource or
    /// output, or of a parameter (they share the resources' namespace).
    pub fn rename_logical_id(&mut self, old: &str, new: &str) -> Result<(), String> {
        let is_resource = self.resources.iter().any(|r| r.logical_id == old);
        if !is_resource && !self.outputs.contains_key(old) {
            return Err(format!("`{old}` names no resource or output of this template"));
        }
        if new.is_empty() || new.len() > 255 || !new.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("`{new}` is not a logical ID (1 to 255 letters and digits)"));
        }
        let written_as = |o: &str| self.renames.get(o).cloned().unwrap_or_else(|| o.to_string());
        let taken = self.resources.iter().any(|r| r.logical_id != old && written_as(&r.logical_id) == new)
            || self.outputs.keys().any(|o| o != old && written_as(o) == new)
            || self.parameters.contains_key(new);
        if taken {
            return Err(format!("`{new}` is already a logical ID of this template"));
        }
        self.renames.insert(old.to_string(), new.to_string());
        Ok(())
    }

    /// The logical ID resource (or output) `id` is written under: its
    /// [`Template::rename_logical_id`] name, or `id` itself.
    pub fn written_id<'a>(&'a self, id: &'a str) -> &'a str {
        self.renames.get(id).map_or(id, String::as_str)
    }

    /// Validates the template and returns it as JSON.
    pub fn synthesize(&self) -> Result<Value, ValidationErrors> {
        let written = self.written();
        validate::validate(self, &written)?;
        Ok(self.assemble(written))
    }

    fn assemble(&self, written: Vec<Written>) -> Value {
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
        let resources: Map<String, Value> = self
            .resources
            .iter()
            .zip(written)
            .map(|(r, w)| (r.logical_id.clone(), resource_value(r.resource_type(), w)))
            .collect();
        root.insert("Resources".into(), Value::Object(resources));
        if !self.outputs.is_empty() {
            let outputs: Map<String, Value> =
                self.outputs.iter().map(|(k, o)| (k.clone(), output_value(o))).collect();
            root.insert("Outputs".into(), Value::Object(outputs));
        }
        let mut root = Value::Object(root);
        if !self.renames.is_empty() {
            crate::rename::apply(&mut root, &self.renames);
        }
        root
    }

    /// Validates the template and writes it as pretty JSON with a trailing
    /// newline. The same template always gives the same bytes.
    pub fn to_json(&self) -> Result<String, ValidationErrors> {
        Ok(crate::json::to_pretty_json(&self.synthesize()?))
    }

    /// Validates the template and writes it as YAML with CloudFormation's
    /// short-form intrinsic tags (`!Ref`, `!Sub`, ...).
    pub fn to_yaml(&self) -> Result<String, ValidationErrors> {
        Ok(yaml::to_yaml(&self.synthesize()?))
    }
}

fn json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("template parts always serialize")
}

fn resource_value(resource_type: &str, w: Written) -> Value {
    let Written { properties, attributes: a, .. } = w;
    let mut m = Map::new();
    m.insert("Type".into(), resource_type.into());
    if let Some(c) = a.condition {
        m.insert("Condition".into(), c.into());
    }
    // The field is public, so repeats can reach here; CloudFormation wants each once.
    let mut depends_on: Vec<String> = Vec::new();
    for id in a.depends_on {
        if !depends_on.contains(&id) {
            depends_on.push(id);
        }
    }
    match depends_on.len() {
        0 => {}
        1 => {
            m.insert("DependsOn".into(), depends_on.swap_remove(0).into());
        }
        _ => {
            m.insert("DependsOn".into(), depends_on.into());
        }
    }
    if properties.as_object().is_none_or(|p| !p.is_empty()) {
        m.insert("Properties".into(), properties);
    }
    if let Some(p) = a.deletion_policy {
        m.insert("DeletionPolicy".into(), json(&p));
    }
    if let Some(p) = a.update_replace_policy {
        m.insert("UpdateReplacePolicy".into(), json(&p));
    }
    if !a.metadata.is_empty() {
        m.insert("Metadata".into(), Value::Object(a.metadata.into_iter().collect()));
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
