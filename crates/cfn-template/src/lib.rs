//! A typed model of AWS CloudFormation templates.
//!
//! Build a [`Template`] from typed resources, reference them through typed
//! [`Handle`]s, and write it as deterministic JSON or YAML. Writing validates
//! the template first: a template with a dangling reference, a bad logical
//! ID, a dependency cycle or a physical name the service would reject is
//! never written.
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
//!         enable_key_rotation: Some(true),
//!         key_policy: PolicyDocument::new(vec![Statement::allow()
//!             .principal(Principal::aws(Expr::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")))
//!             .action("kms:*")
//!             .resource("*")]),
//!         ..Key::default()
//!     },
//!     Attributes::new().retain(),
//! );
//! t.add("AuditKeyAlias", Alias { alias_name: "alias/audit".into(), target_key_id: key.r#ref() });
//! t.add_output("AuditKeyArn", Output::new(key.arn()));
//!
//! let json = t.to_json().unwrap();
//! assert!(json.ends_with("}\n"));
//! let yaml = t.to_yaml().unwrap();
//! assert!(yaml.contains("Value: !GetAtt AuditKey.Arn"));
//! ```

mod expr;
mod names;
pub mod policy;
pub mod resources;
mod sub;
mod template;
mod validate;
mod yaml;

pub use expr::{CondExpr, Expr, Pseudo};
pub use sub::{parse_sub, SubPart};
pub use template::{Attributes, Handle, Output, Parameter, Policy, ResourceEntry, Template, FORMAT_VERSION};
pub use validate::{
    ValidationError, ValidationErrors, MAX_DESCRIPTION_LEN, MAX_LOGICAL_ID_LEN, MAX_MAPPINGS, MAX_OUTPUTS,
    MAX_PARAMETERS, MAX_RESOURCES,
};
pub use yaml::to_yaml;
