//! What the CloudFormation registry schemas say of each resource type, and
//! the checks that stand on it.
//!
//! - [`facts`]: per-type facts (replacement, identifiers, attributes,
//!   tagging, policy documents) for every type, whatever features are on.
//! - [`shape`]: the value rules of each type whose service feature is on.
//!
//! Both are generated from the schemas of the pinned cfn-lint release.

mod check;
pub mod facts;
pub mod shape;

pub(crate) use check::{check_facts, check_read_only, check_shape};
pub use facts::{facts, TypeFacts};
pub use shape::TypeShape;

/// The value shape of a type, when its service's Cargo feature is on.
///
/// ```
/// assert!(cfn_template::schema::shape_of("AWS::S3::Bucket").is_some());
/// ```
pub fn shape_of(type_name: &str) -> Option<&'static TypeShape> {
    crate::generated::shape_of(type_name)
}
