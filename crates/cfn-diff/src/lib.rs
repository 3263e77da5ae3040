//! A semantic diff of CloudFormation templates, for reviewing changes in
//! pull requests.
//!
//! It reads two templates (JSON or YAML, short-form tags included), matches
//! resources by logical ID, and says what deploying the new one would do:
//! which resources are replaced, which retained resources are orphaned,
//! which are renamed, which policies grant more and which protections are
//! weakened. What replaces a resource comes from the CloudFormation registry
//! schemas ([`cfn_template::schema::facts`]), for every resource type.
//!
//! ```
//! let old = cfn_diff::Template::parse("old.yaml", "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: audit\n      RetentionInDays: 365\n").unwrap();
//! let new = cfn_diff::Template::parse("new.yaml", "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: audit-v2\n      RetentionInDays: 30\n").unwrap();
//! let diff = cfn_diff::diff(&old, &new);
//! assert_eq!(diff.resources[0].impact, cfn_diff::Impact::Replace);
//! assert_eq!(diff.resources[0].physical_names[0].property, "LogGroupName");
//! assert!(diff.security[0].description.starts_with("retention shortened"));
//! assert_eq!(diff.exit_status(&[cfn_diff::FailOn::Replacement]), 3);
//! let text = cfn_diff::render(&diff, cfn_diff::Format::Text, &cfn_diff::RenderOptions::default());
//! assert!(text.starts_with("1 resource changed: 1 replaced"));
//! ```
//!
//! The crate README describes the model, the rules for what is not a
//! change, the impact levels and the JSON output's schema.

mod canon;
mod compare;
mod diff;
mod effect;
mod error;
mod exit;
mod graph;
mod model;
mod names;
mod parse;
mod path;
mod policy;
mod refs;
mod render;
mod sections;
mod security;
mod show;
mod template;

pub use diff::diff;
pub use error::{Location, ParseError};
pub use exit::{FailOn, EXIT_DIFFERENT, EXIT_FAIL_ON, EXIT_SAME};
pub use graph::{Edge, Graph, Node, NodeStatus};
pub use model::*;
pub use parse::parse_value;
pub use policy::{Statement, StatementChanges};
pub use refs::RefKind;
pub use render::{render, Format, RenderOptions};
pub use template::{Resource, Template, KEYED_SECTIONS, RETAINING_POLICIES};

/// Parses two template texts and compares them; the names (file names)
/// are used in errors.
pub fn diff_texts(old_name: &str, old: &str, new_name: &str, new: &str) -> Result<TemplateDiff, ParseError> {
    let old = Template::parse(old_name, old)?;
    let new = Template::parse(new_name, new)?;
    Ok(diff(&old, &new))
}

/// The JSON Schema of the JSON rendering, as [`schemars`] derives it from
/// the model (committed as `schema/diff.schema.json`).
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(TemplateDiff)).unwrap_or_default()
}
