//! A resource of any type name with JSON properties: the escape hatch for
//! types this build does not type (a service whose feature is off, a
//! private or third-party type).

use serde_json::{Map, Value};

use super::Resource;
use crate::value::PropertyValue;

/// A resource of any type, its properties given as JSON. It is validated as
/// far as the schemas allow: against the type's shape when its service is
/// compiled in, else against the type's facts (known and required
/// properties); references in it are checked like any other.
///
/// ```
/// use cfn_template::resources::RawResource;
/// use cfn_template::{Expr, Template};
/// let mut t = Template::new();
/// let topic = t.add("Alerts", RawResource::new("AWS::SNS::Topic").property("TopicName", "alerts"));
/// t.add("Sub", RawResource::new("AWS::SNS::Subscription")
///     .property("TopicArn", topic.r#ref())
///     .property("Protocol", "email")
///     .property("Endpoint", "ops@example.com"));
/// assert!(t.to_json().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RawResource {
    /// The type name.
    pub type_name: String,
    /// The properties, in order.
    pub properties: Map<String, Value>,
}

impl RawResource {
    /// A resource of this type, without properties.
    pub fn new(type_name: impl Into<String>) -> Self {
        RawResource { type_name: type_name.into(), properties: Map::new() }
    }

    /// Sets a property (an [`Expr`](crate::Expr), a typed value or JSON).
    pub fn property(mut self, name: impl Into<String>, value: impl PropertyValue) -> Self {
        self.properties.insert(name.into(), value.to_value());
        self
    }
}

impl Resource for RawResource {
    fn resource_type(&self) -> &str {
        &self.type_name
    }

    fn properties(&self) -> Value {
        Value::Object(self.properties.clone())
    }
}
