//! What can go wrong reading a template, in words a reader can act on.

use std::fmt;

/// A position in a template's text, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why a template could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The text is not valid JSON (it starts with `{`, so it was read as JSON).
    #[error("{source_name}:{location}: not valid JSON: {message}")]
    Json {
        /// The name given for the text (a file name).
        source_name: String,
        /// Where the parser stopped.
        location: Location,
        /// What the JSON parser expected.
        message: String,
    },
    /// The text is not valid YAML.
    #[error("{source_name}{}: not valid YAML: {message}", location.map(|l| format!(":{l}")).unwrap_or_default())]
    Yaml {
        /// The name given for the text.
        source_name: String,
        /// Where the parser stopped, when it says.
        location: Option<Location>,
        /// What the YAML parser expected.
        message: String,
    },
    /// A YAML tag that is not one of CloudFormation's short-form functions.
    #[error("{source_name}: unknown tag `!{tag}` at {path}: CloudFormation's short forms are {known}")]
    UnknownTag {
        /// The name given for the text.
        source_name: String,
        /// The tag, without its `!`.
        tag: String,
        /// Where it is, as a key path (`Resources.Bucket.Properties.BucketName`).
        path: String,
        /// The tags that are accepted.
        known: String,
    },
    /// The document parsed but is not shaped like a CloudFormation template.
    #[error("{0}")]
    Shape(Box<ShapeError>),
}

/// Where a template is not shaped like one, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}{}: {path}: expected {expected}, found {found}{}", location.map(|l| format!(":{l}")).unwrap_or_default(), hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
pub struct ShapeError {
    /// The name given for the text.
    pub source_name: String,
    /// Where the key is in the text, when it can be found.
    pub location: Option<Location>,
    /// The key path of the offending value.
    pub path: String,
    /// What a template has there.
    pub expected: String,
    /// What this one has.
    pub found: String,
    /// How to fix it, when there is something to say.
    pub hint: Option<String>,
}

/// A short name for the kind of a JSON value, for error messages.
pub(crate) fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "a mapping",
    }
}
