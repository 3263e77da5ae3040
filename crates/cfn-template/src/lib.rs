//! A typed model of AWS CloudFormation templates.
//!
//! Build a [`Template`] from typed resources, reference them through typed
//! [`Handle`]s, and write it as deterministic JSON or YAML. Writing validates
//! the template first: a template with a dangling reference, a bad logical
//! ID, a dependency cycle or a physical name the service would reject is
//! never written.
//!
//! - [`Expr`] and [`CondExpr`]: intrinsic functions and pseudo parameters;
//!   every string-valued property takes either a literal or an `Expr`.
//! - [`policy`]: the IAM policy language.
//! - [`resources`]: one struct per CloudFormation resource type, generated
//!   from the registry schemas, one module per service behind its Cargo
//!   feature; raw resources and declared types for the rest.
//! - [`value`]: property values (numbers, booleans and lists take intrinsics too).
//! - [`schema`]: the schemas' facts of every type (replacement, attributes,
//!   tagging) and the value rules validation checks.
//! - [`Template::validate`] and [`ValidationError`]: what is checked.
//!
//! **Features.** Each service's types compile only with the Cargo feature of
//! its name (`cloudtrail`, `sns`, `elasticloadbalancingv2`, ...; `full` for
//! every one); `default` has `glue`, `iam`, `kms`, `lambda`, `logs`, `s3`
//! and `ssm`. Every type's documentation names its feature, and a path to a
//! service whose feature is off fails with the compiler's note "the item is
//! gated behind the `cloudtrail` feature". The [`schema`] facts cover every
//! type whatever the features.
//!
//! ```
//! use cfn_template::policy::{PolicyDocument, Principal, Statement};
//! use cfn_template::resources::kms::{Alias, Key};
//! use cfn_template::{Attributes, Expr, Output, Template};
//!
//! let mut t = Template::new();
//! let key = t.add_with(
//!     "AuditKey",
//!     Key {
//!         enable_key_rotation: Some(true.into()),
//!         key_policy: Some(PolicyDocument::new(vec![Statement::allow()
//!             .principal(Principal::aws(Expr::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")))
//!             .action("kms:*")
//!             .resource("*")])),
//!         ..Key::default()
//!     },
//!     Attributes::new().retain(),
//! );
//! t.add("AuditKeyAlias", Alias::new("alias/audit", key.r#ref()));
//! t.add_output("AuditKeyArn", Output::new(key.arn()));
//!
//! let json = t.to_json().unwrap();
//! assert!(json.ends_with("}\n"));
//! let yaml = t.to_yaml().unwrap();
//! assert!(yaml.contains("Value: !GetAtt AuditKey.Arn"));
//! ```

/// The README's example runs as a doctest, so it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod aspect;
mod attributes;
mod concat;
mod expr;
// Generated code keeps the schemas' names and texts as they are.
#[allow(rustdoc::all, non_camel_case_types, clippy::all)]
#[rustfmt::skip]
mod generated;
mod handle;
mod hints;
mod hooks;
mod json;
mod location;
mod overrides;
pub mod policy;
mod policy_holders;
mod rename;
pub mod resources;
pub mod schema;
mod sections;
mod sub;
mod template;
mod validate;
pub mod value;
mod yaml;

pub use attributes::{Attributes, Policy};
pub use expr::{CondExpr, Expr, Pseudo};
pub use handle::Handle;
pub use sections::{Output, Parameter};
pub use sub::{parse_sub, SubPart};
pub use template::{ResourceEntry, Template, FORMAT_VERSION};
pub use validate::{
    ValidationError, ValidationErrors, MAX_DESCRIPTION_LEN, MAX_LOGICAL_ID_LEN, MAX_MAPPINGS, MAX_OUTPUTS,
    MAX_PARAMETERS, MAX_RESOURCES,
};
pub use yaml::to_yaml;
