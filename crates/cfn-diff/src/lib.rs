#![doc = include_str!("../README.md")]

mod canon;
mod compare;
mod diff;
mod effect;
mod error;
mod escape;
mod exit;
mod follow;
mod foreach;
mod graph;
mod identity;
mod inputs;
mod model;
mod names;
mod parse;
mod path;
mod policy;
mod refs;
mod render;
mod sam;
mod sections;
mod security;
mod seqdiff;
mod show;
mod template;
mod update_policy;

pub use diff::diff;
pub use error::{Location, ParseError, Refusal, RefusalKind, ShapeError};
pub use exit::{FailOn, EXIT_DIFFERENT, EXIT_FAIL_ON, EXIT_SAME};
pub use foreach::OpenLoop;
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
