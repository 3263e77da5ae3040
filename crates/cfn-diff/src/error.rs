//! What can go wrong reading a template, in words a reader can act on.
//!
//! Messages quote the template (keys, tags, parser messages that quote a
//! value) and go to a terminal: every field is written with what could
//! drive a terminal escaped ([`module_kit::escape::text`]).

use std::fmt;

use module_kit::escape::text as esc;

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
    #[error("{}:{location}: not valid JSON: {}", esc(source_name), esc(message))]
    Json {
        /// The name given for the text (a file name).
        source_name: String,
        /// Where the parser stopped.
        location: Location,
        /// What the JSON parser expected.
        message: String,
    },
    /// The text is not valid YAML.
    #[error("{}{}: not valid YAML: {}", esc(source_name), location.map(|l| format!(":{l}")).unwrap_or_default(), esc(message))]
    Yaml {
        /// The name given for the text.
        source_name: String,
        /// Where the parser stopped, when it says.
        location: Option<Location>,
        /// What the YAML parser expected.
        message: String,
    },
    /// A YAML tag that is not one of CloudFormation's short-form functions.
    #[error(
        "{}: unknown tag `!{}` at {}: CloudFormation's short forms are {known}",
        esc(source_name),
        esc(tag),
        esc(path)
    )]
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
    /// The text is over a bound it is read within, or gives a key twice.
    #[error("{0}")]
    Refused(Box<Refusal>),
}

/// Which bound a template is over, or the repeated key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// Over `module_kit::limits::MAX_TEMPLATE_BYTES`.
    TooLarge,
    /// Nested deeper than `MAX_TEMPLATE_DEPTH`.
    TooDeep,
    /// More values than `MAX_TEMPLATE_NODES`, aliases expanded.
    TooManyValues,
    /// More text than `MAX_TEMPLATE_TEXT_BYTES`, aliases expanded.
    TooMuchText,
    /// A key given twice in one mapping.
    RepeatedKey,
}

/// A template refused: where, what, what was expected, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {}{}: expected {}{}", esc(source_name), location.map(|l| format!(":{l}")).unwrap_or_default(), path.as_deref().map(|p| format!("{}: ", esc(p))).unwrap_or_default(), esc(problem), expected, help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
pub struct Refusal {
    /// The name given for the text.
    pub source_name: String,
    /// Which bound, or the repeated key.
    pub kind: RefusalKind,
    /// Where the text goes over the bound, when that is known: a size is
    /// refused before anything is read, so it has none.
    pub location: Option<Location>,
    /// The key path of the value being read when the bound was passed.
    pub path: Option<String>,
    /// What is wrong.
    pub problem: String,
    /// What a template has instead.
    pub expected: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

/// Where a template is not shaped like one, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {}: expected {expected}, found {}{}", esc(source_name), location.map(|l| format!(":{l}")).unwrap_or_default(), esc(path), esc(found), hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
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
