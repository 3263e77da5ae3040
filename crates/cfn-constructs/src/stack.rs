//! Where building blocks add their resources: a template, or a scope of one
//! that puts every logical ID under a prefix, so two modules (or two
//! instances of one) compose into one template without collisions.

use std::ops::{Deref, DerefMut};

use cfn_template::resources::Resource;
use cfn_template::{Attributes, CondExpr, Handle, Output, Parameter, Template};

/// A template, or a part of one whose logical IDs share a prefix.
pub trait Stack {
    /// The logical ID of `local` here (`Bucket` → `AuditBucket` in scope `Audit`).
    fn id(&self, local: &str) -> String;

    /// The template itself.
    fn template(&mut self) -> &mut Template;

    /// Adds a resource under this stack's logical ID for `local`.
    fn add_resource<R: Resource>(&mut self, local: &str, resource: R, attributes: Attributes) -> Handle<R>
    where
        Self: Sized,
    {
        let id = self.id(local);
        self.template().add_with(id, resource, attributes)
    }

    /// Adds an output under this stack's logical ID for `local`.
    fn add_output(&mut self, local: &str, output: Output)
    where
        Self: Sized,
    {
        let id = self.id(local);
        self.template().add_output(id, output);
    }
}

impl Stack for Template {
    fn id(&self, local: &str) -> String {
        local.to_string()
    }

    fn template(&mut self) -> &mut Template {
        self
    }
}

/// A part of a template whose logical IDs start with a prefix.
///
/// ```
/// use cfn_constructs::{EncryptionKey, Scope};
/// use cfn_template::Template;
/// let mut t = Template::new();
/// for team in ["Red", "Blue"] {
///     EncryptionKey::new("Audit", format!("alias/{team}").into()).build(&mut Scope::new(&mut t, team));
/// }
/// let json = t.to_json().unwrap();
/// assert!(json.contains("\"RedAuditKey\"") && json.contains("\"BlueAuditKeyAlias\""));
/// ```
#[derive(Debug)]
pub struct Scope<'t> {
    template: &'t mut Template,
    prefix: String,
}

impl<'t> Scope<'t> {
    /// The part of `template` under `prefix` (letters and digits, as logical IDs are).
    pub fn new(template: &'t mut Template, prefix: impl Into<String>) -> Self {
        Scope { template, prefix: prefix.into() }
    }

    /// A scope inside this one: its prefix follows this one's.
    pub fn child(&mut self, prefix: &str) -> Scope<'_> {
        Scope { prefix: format!("{}{prefix}", self.prefix), template: &mut *self.template }
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Adds a resource under the prefixed logical ID.
    pub fn add<R: Resource>(&mut self, local: &str, resource: R) -> Handle<R> {
        self.add_with(local, resource, Attributes::new())
    }

    /// Adds a resource with attributes under the prefixed logical ID.
    pub fn add_with<R: Resource>(&mut self, local: &str, resource: R, attributes: Attributes) -> Handle<R> {
        self.add_resource(local, resource, attributes)
    }

    /// Adds an output under the prefixed logical ID.
    pub fn add_output(&mut self, local: &str, output: Output) {
        let id = self.id(local);
        self.template.add_output(id, output);
    }

    /// Adds a parameter under the prefixed logical ID.
    pub fn add_parameter(&mut self, local: &str, parameter: Parameter) -> Handle<Parameter> {
        let id = self.id(local);
        self.template.add_parameter(id, parameter)
    }

    /// Adds a condition under the prefixed name, and returns that name.
    pub fn add_condition(&mut self, local: &str, condition: CondExpr) -> String {
        let id = self.id(local);
        self.template.add_condition(id, condition)
    }
}

impl Stack for Scope<'_> {
    fn id(&self, local: &str) -> String {
        format!("{}{local}", self.prefix)
    }

    fn template(&mut self) -> &mut Template {
        self.template
    }
}

/// Everything else a template offers works on a scope too; what declares
/// a logical ID (resources, outputs, parameters, conditions) is prefixed by
/// the scope's own methods.
impl Deref for Scope<'_> {
    type Target = Template;

    fn deref(&self) -> &Template {
        self.template
    }
}

impl DerefMut for Scope<'_> {
    fn deref_mut(&mut self) -> &mut Template {
        self.template
    }
}
