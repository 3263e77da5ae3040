//! Custom resources (`Custom::Name`), backed by a Lambda function or SNS topic.

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::Resource;
use crate::{Expr, Handle};

/// A custom resource: a `ServiceToken` and free-form properties.
///
/// CloudFormation hands every property to the provider as a string, so
/// booleans and numbers are best given as strings the provider parses.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomResource {
    /// The type name after `Custom::`.
    pub type_suffix: String,
    /// `ServiceToken`: the provider's ARN.
    pub service_token: Expr,
    /// The other properties, in order.
    pub properties: IndexMap<String, Expr>,
}

impl CustomResource {
    /// A custom resource of type `Custom::<type_suffix>`.
    pub fn new(type_suffix: impl Into<String>, service_token: Expr) -> Self {
        CustomResource { type_suffix: type_suffix.into(), service_token, properties: IndexMap::new() }
    }

    /// Adds a property.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Expr>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }
}

impl Serialize for CustomResource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.properties.len() + 1))?;
        m.serialize_entry("ServiceToken", &self.service_token)?;
        for (k, v) in &self.properties {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Resource for CustomResource {
    fn resource_type(&self) -> String {
        format!("Custom::{}", self.type_suffix)
    }

    fn problems(&self) -> Vec<String> {
        let ok = !self.type_suffix.is_empty()
            && self.type_suffix.len() <= 60
            && self.type_suffix.chars().all(|c| c.is_ascii_alphanumeric() || "_@-".contains(c));
        let reserved = self.properties.contains_key("ServiceToken");
        let mut problems = Vec::new();
        if !ok {
            problems.push(format!(
                "custom resource type `Custom::{}` must be 1-60 characters of letters, digits, _, @ and -",
                self.type_suffix
            ));
        }
        if reserved {
            problems.push("`ServiceToken` is set by the service_token field, not as a property".into());
        }
        problems
    }
}

impl Handle<CustomResource> {
    /// An attribute the provider returned in its `Data`. Custom resources
    /// define their own attributes, so any name is accepted.
    pub fn attribute(&self, name: impl Into<String>) -> Expr {
        self.get_att(name)
    }
}
