//! Aspects: visitors over every resource once the template is assembled,
//! as CDK's `Aspects.of(scope).add(...)`. An aspect sees each resource's
//! properties as the template will write them (typed or raw, overrides
//! applied) and its attributes; it may change them, and what it reports
//! fails validation like any other problem.
//!
//! ```
//! use cfn_template::aspect::{Aspect, ResourceView};
//! use cfn_template::resources::s3::Bucket;
//! use cfn_template::{Policy, Template};
//!
//! /// Every bucket must be retained.
//! #[derive(Debug)]
//! struct BucketsAreRetained;
//!
//! impl Aspect for BucketsAreRetained {
//!     fn name(&self) -> &str {
//!         "BucketsAreRetained"
//!     }
//!     fn visit(&self, r: &mut ResourceView<'_>) {
//!         if r.resource_type() == Bucket::TYPE && r.attributes.deletion_policy != Some(Policy::Retain) {
//!             r.report("a bucket must have DeletionPolicy Retain");
//!         }
//!     }
//! }
//!
//! let mut t = Template::new();
//! t.add("Logs", Bucket::default());
//! t.add_aspect(BucketsAreRetained);
//! let err = t.to_json().unwrap_err().to_string();
//! assert!(err.contains("Resources.Logs: BucketsAreRetained: a bucket must have DeletionPolicy Retain"));
//! ```

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::schema::{facts, TypeFacts};
use crate::Attributes;

/// A visitor over every resource of a template, run when it is synthesized.
pub trait Aspect: fmt::Debug + Send + Sync {
    /// Its name, for the problems it reports.
    fn name(&self) -> &str;

    /// Visits one resource: reads or changes it, reports what is wrong.
    fn visit(&self, resource: &mut ResourceView<'_>);
}

/// A resource as an aspect sees it.
pub struct ResourceView<'a> {
    logical_id: &'a str,
    resource_type: &'a str,
    /// The properties, as the template will write them.
    pub properties: &'a mut Value,
    /// The attributes (`DependsOn`, `DeletionPolicy`, `Metadata`, ...).
    pub attributes: &'a mut Attributes,
    problems: &'a mut Vec<String>,
    aspect: &'a str,
}

impl<'a> ResourceView<'a> {
    pub(crate) fn new(
        logical_id: &'a str,
        resource_type: &'a str,
        properties: &'a mut Value,
        attributes: &'a mut Attributes,
        problems: &'a mut Vec<String>,
        aspect: &'a str,
    ) -> Self {
        ResourceView { logical_id, resource_type, properties, attributes, problems, aspect }
    }

    /// The logical ID.
    pub fn logical_id(&self) -> &str {
        self.logical_id
    }

    /// The CloudFormation type name.
    pub fn resource_type(&self) -> &str {
        self.resource_type
    }

    /// What the schemas say of the type, if it is one of theirs.
    pub fn facts(&self) -> Option<&'static TypeFacts> {
        facts(self.resource_type)
    }

    /// Reports a problem: the template is not written.
    pub fn report(&mut self, problem: impl Into<String>) {
        self.problems.push(format!("{}: {}", self.aspect, problem.into()));
    }
}

/// The aspects of a template, in the order they were added.
#[derive(Debug, Clone, Default)]
pub(crate) struct Aspects(pub(crate) Vec<Arc<dyn Aspect>>);

impl PartialEq for Aspects {
    /// Aspects are code: two lists are alike when they name the same aspects.
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| a.name() == b.name())
    }
}
