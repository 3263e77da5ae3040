//! The problems validation reports.

use std::fmt;

/// One problem that keeps a template from being written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// A logical ID with characters other than A-Z, a-z and 0-9, or of bad length.
    #[error("{kind} logical ID `{id}` must be 1 to 255 characters of A-Z, a-z and 0-9")]
    InvalidLogicalId {
        /// `resource`, `parameter`, `mapping`, `condition` or `output`.
        kind: &'static str,
        /// The offending ID.
        id: String,
    },
    /// Two resources or parameters with one logical ID.
    #[error("logical ID `{0}` is declared more than once among resources and parameters")]
    DuplicateLogicalId(String),
    /// A condition, mapping, output or export name declared twice.
    #[error("{kind} `{id}` is declared more than once")]
    DuplicateName {
        /// `mapping`, `condition`, `output` or `export name`.
        kind: &'static str,
        /// The repeated name.
        id: String,
    },
    /// A reference to something the template does not declare.
    #[error("{location}: {function} names `{target}`, which is not {expected} of this template{hint}")]
    UnknownReference {
        /// Where the reference is, as a path.
        location: String,
        /// `Ref`, `Fn::GetAtt`, `Fn::Sub`, `DependsOn`, `Fn::If`, ...
        function: &'static str,
        /// The missing name.
        target: String,
        /// What kind of thing was expected.
        expected: &'static str,
        /// ` (did you mean ...?)` or empty.
        hint: String,
    },
    /// A `Fn::GetAtt` (or `${Name.Attr}`) of an attribute the resource type does not have.
    #[error("{location}: {function} asks for `{attribute}` of `{resource}`, but {resource_type} has {hint}")]
    UnknownAttribute {
        /// Where the reference is, as a path.
        location: String,
        /// `Fn::GetAtt` or `Fn::Sub`.
        function: &'static str,
        /// The resource's logical ID.
        resource: String,
        /// The resource's type.
        resource_type: String,
        /// The attribute asked for.
        attribute: String,
        /// The attributes it has, or the one that was probably meant.
        hint: String,
    },
    /// A malformed intrinsic function.
    #[error("{location}: {message}")]
    MalformedIntrinsic {
        /// Where it is.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// A resource attribute CloudFormation would reject, such as an
    /// `UpdateReplacePolicy` of `RetainExceptOnCreate`.
    #[error("{location}: {message}")]
    InvalidAttribute {
        /// Where it is.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// A mapping that is not a map of maps of values.
    #[error("{location}: {message}")]
    InvalidMapping {
        /// Where it is.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// Resources that depend on each other in a circle.
    #[error("circular dependency: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    /// Conditions that refer to each other in a circle.
    #[error("circular condition: {}", .0.join(" -> "))]
    ConditionCycle(Vec<String>),
    /// Too many resources, parameters, mappings or outputs.
    #[error("the template declares {count} {what}; CloudFormation accepts at most {max}")]
    TooMany {
        /// `resources`, `parameters`, `mappings` or `outputs`.
        what: &'static str,
        /// How many it declares.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A text longer than CloudFormation accepts.
    #[error("{what} is {len} bytes long; CloudFormation accepts at most {max}")]
    TooLong {
        /// What is too long, such as `the template description`.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A template without resources, which CloudFormation rejects.
    #[error("the template declares no resources; CloudFormation requires at least one")]
    NoResources,
    /// A literal property value the service would reject: a physical name
    /// that breaks its naming rules, a retention it does not offer, a policy
    /// document without statements.
    #[error("Resources.{resource}: {problem}")]
    InvalidValue {
        /// The resource's logical ID.
        resource: String,
        /// What is wrong with the value.
        problem: String,
    },
}

/// Every problem found in a template, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "the template is not valid ({n} problem{}):", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
