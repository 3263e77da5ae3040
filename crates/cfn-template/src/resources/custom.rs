//! Custom resources (`Custom::Name`), backed by a Lambda function or SNS topic.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::Resource;
use crate::value::PropertyValue;
use crate::{Expr, Handle};

/// A custom resource: a `ServiceToken` and free-form properties.
///
/// CloudFormation hands every property to the provider as a string, so
/// booleans and numbers are best given as strings the provider parses.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomResource {
    type_suffix: String,
    type_name: String,
    /// `ServiceToken`: the provider's ARN.
    pub service_token: Expr,
    /// `ServiceTimeout`: seconds CloudFormation waits for the provider's
    /// answer (1 to 3600; CloudFormation's default is 3600).
    pub service_timeout: Option<u32>,
    /// The other properties, in order.
    pub properties: IndexMap<String, Expr>,
}

impl CustomResource {
    /// A custom resource of type `Custom::<type_suffix>`.
    pub fn new(type_suffix: impl Into<String>, service_token: Expr) -> Self {
        let type_suffix = type_suffix.into();
        CustomResource {
            type_name: format!("Custom::{type_suffix}"),
            type_suffix,
            service_token,
            service_timeout: None,
            properties: IndexMap::new(),
        }
    }

    /// The type name after `Custom::`.
    pub fn type_suffix(&self) -> &str {
        &self.type_suffix
    }

    /// Sets how long CloudFormation waits for the provider's answer, so a
    /// provider that never answers fails the stack operation in that time
    /// rather than in an hour.
    pub fn service_timeout(mut self, seconds: u32) -> Self {
        self.service_timeout = Some(seconds);
        self
    }

    /// Adds a property.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Expr>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }
}

impl Resource for CustomResource {
    fn resource_type(&self) -> &str {
        &self.type_name
    }

    fn properties(&self) -> Value {
        let mut m = Map::new();
        m.insert("ServiceToken".into(), self.service_token.to_value());
        if let Some(seconds) = self.service_timeout {
            m.insert("ServiceTimeout".into(), seconds.into());
        }
        for (k, v) in &self.properties {
            m.insert(k.clone(), v.to_value());
        }
        Value::Object(m)
    }

    fn problems(&self) -> Vec<String> {
        let ok = !self.type_suffix.is_empty()
            && self.type_suffix.len() <= 60
            && self.type_suffix.chars().all(|c| c.is_ascii_alphanumeric() || "_@-".contains(c));
        let reserved =
            ["ServiceToken", "ServiceTimeout"].into_iter().find(|k| self.properties.contains_key(*k));
        let mut problems = Vec::new();
        if !ok {
            problems.push(format!(
                "custom resource type `Custom::{}` must be 1-60 characters of letters, digits, _, @ and -",
                self.type_suffix
            ));
        }
        if let Some(k) = reserved {
            problems.push(format!("`{k}` is set by its own field, not as a free-form property"));
        }
        if let Some(seconds) = self.service_timeout.filter(|s| !(1..=3600).contains(s)) {
            problems.push(format!(
                "ServiceTimeout {seconds} is out of range: CloudFormation takes 1 to 3600 seconds"
            ));
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
