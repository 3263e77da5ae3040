//! Resource types: every type of the CloudFormation registry schemas,
//! generated, one module per service behind the Cargo feature of its name
//! (`s3`, `kms`, `bedrock`, ..., `full` for all); custom resources; raw
//! resources of any type name; and [`declare_resource!`](crate::declare_resource)
//! for types the schemas lack.
//!
//! Struct and field docs are the schemas' descriptions, with links to the
//! CloudFormation resource reference. Field names are `snake_case` of the
//! property names; each field's doc starts with the property's name as
//! CloudFormation spells it.
//!
//! A service whose feature is off is not there; the compiler says which
//! feature to turn on:
//!
//! ```compile_fail
//! // `groundstation` is a feature no crate of the workspace turns on: error[E0433]: cannot find
//! // `groundstation` in `resources`, note: found an item that was configured out ... the item is
//! // gated behind the `groundstation` feature
//! let _ = cfn_template::resources::groundstation::MissionProfile::TYPE;
//! ```

mod custom;
mod declare;
mod raw;

use std::any::Any;
use std::fmt;

use serde_json::Value;

// Each service by name, not through a glob: a path to a service whose feature
// is off then gets the compiler's note "the item is gated behind the
// `<service>` feature".
include!("../generated/services.rs");
pub use custom::CustomResource;
pub use raw::RawResource;

use crate::schema::TypeShape;
use crate::value::PropertyValue;
use crate::Expr;

/// A resource a template can hold.
///
/// The generated types implement it; so can a module's own types. Its
/// properties are written and validated when the template is.
pub trait Resource: AsAny + CloneResource + fmt::Debug {
    /// The CloudFormation type name, such as `AWS::S3::Bucket`.
    fn resource_type(&self) -> &str;

    /// The properties, as template JSON.
    fn properties(&self) -> Value;

    /// The value rules of the type, when its service is compiled in.
    fn shape(&self) -> Option<&'static TypeShape> {
        crate::schema::shape_of(self.resource_type())
    }

    /// The attributes `Fn::GetAtt` can read.
    fn attribute_names(&self) -> AttributeNames {
        AttributeNames::of_type(self.resource_type())
    }

    /// Problems with the resource that neither its schema nor the service
    /// rules see (a malformed custom type name, for example).
    fn problems(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Which attributes `Fn::GetAtt` can read of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeNames {
    /// These, and any name starting with one of the prefixes.
    Known {
        /// The attribute names.
        names: &'static [&'static str],
        /// Prefixes of names chosen at deploy time (`Outputs.`).
        prefixes: &'static [&'static str],
    },
    /// Any name: a custom resource returns what its provider chooses.
    Any,
    /// Not known: a type the schemas lack that declares none.
    Unknown,
}

impl AttributeNames {
    /// The attributes of a type, from the schemas' facts; any name for
    /// custom resources.
    pub fn of_type(type_name: &str) -> AttributeNames {
        if type_name.starts_with("Custom::") {
            return AttributeNames::Any;
        }
        match crate::schema::facts(type_name) {
            Some(f) if f.any_attribute => AttributeNames::Any,
            Some(f) => AttributeNames::Known { names: f.attributes, prefixes: f.attribute_prefixes },
            None => AttributeNames::Unknown,
        }
    }

    /// Whether `name` is an attribute; `None` when that cannot be known.
    pub fn has(&self, name: &str) -> Option<bool> {
        match self {
            AttributeNames::Known { names, prefixes } => Some(
                names.contains(&name) || prefixes.iter().any(|p| name.starts_with(p) && name.len() > p.len()),
            ),
            AttributeNames::Any => Some(true),
            AttributeNames::Unknown => None,
        }
    }
}

/// Downcasting, so a template can hand back the typed resource it holds.
pub trait AsAny: Any {
    /// The resource as `Any`.
    fn as_any(&self) -> &dyn Any;
    /// The resource as mutable `Any`.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Cloning behind `dyn Resource`, so templates can be cloned.
pub trait CloneResource {
    /// A boxed copy.
    fn clone_resource(&self) -> Box<dyn Resource>;
}

impl<T: Resource + Clone> CloneResource for T {
    fn clone_resource(&self) -> Box<dyn Resource> {
        Box::new(self.clone())
    }
}

impl Clone for Box<dyn Resource> {
    fn clone(&self) -> Self {
        self.clone_resource()
    }
}

/// A resource tag (`Key`/`Value`), the shape most resource types take tags
/// in; each type's own rules for keys and values are checked by its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// `Key`.
    pub key: Expr,
    /// `Value`.
    pub value: Expr,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<Expr>, value: impl Into<Expr>) -> Self {
        Tag { key: key.into(), value: value.into() }
    }
}

impl PropertyValue for Tag {
    fn to_value(&self) -> Value {
        let mut m = serde_json::Map::new();
        m.insert("Key".into(), self.key.to_value());
        m.insert("Value".into(), self.value.to_value());
        Value::Object(m)
    }
}
