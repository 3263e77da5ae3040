//! A saved CloudWatch Logs Insights query.
//!
//! Limits from the registry schema of `AWS::Logs::QueryDefinition`: a name
//! of 1 to 255 characters (a `/` files it in a folder of the console), a
//! query of 1 to 10,000, log group names of 1 to 512 letters, digits and
//! `. - _ / #`.

use std::fmt;

use cfn_template::resources::logs::QueryDefinition as CfnQueryDefinition;
use cfn_template::value::List;
use cfn_template::{Attributes, Expr, Handle};

use crate::{check_logs_insights_query, EncryptedLogGroup, QueryError, Stack};

/// The longest query definition name.
const MAX_NAME_LENGTH: usize = 255;

/// The longest log group name.
const MAX_LOG_GROUP_NAME_LENGTH: usize = 512;

/// Whether CloudWatch Logs takes `name` as a log group name.
pub(crate) fn is_log_group_name(name: &str) -> bool {
    (1..=MAX_LOG_GROUP_NAME_LENGTH).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || ".-_/#".contains(c))
}

/// Why a query definition cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryDefinitionError {
    /// The name is empty or too long.
    Name {
        /// The name (its literal text).
        name: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A log group name CloudWatch Logs does not take.
    LogGroupName {
        /// The name.
        name: String,
    },
    /// The query cannot run.
    Query(QueryError),
}

impl fmt::Display for QueryDefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryDefinitionError::Name { name, problem } => write!(f, "query definition name `{name}` {problem}"),
            QueryDefinitionError::LogGroupName { name } => write!(
                f,
                "log group name `{name}` is not one CloudWatch Logs takes: 1 to {MAX_LOG_GROUP_NAME_LENGTH} letters, \
                 digits and . - _ / #"
            ),
            QueryDefinitionError::Query(error) => write!(f, "query definition: {error}"),
        }
    }
}

impl std::error::Error for QueryDefinitionError {}

/// The saved query, as added to a template.
#[derive(Debug, Clone)]
pub struct QueryDefinition {
    /// The query definition.
    pub query_definition: Handle<CfnQueryDefinition>,
    /// Its name, as given.
    pub name: Expr,
}

/// Builds a [`QueryDefinition`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the query definition to a template"]
pub struct QueryDefinitionBuilder {
    id: String,
    name: Expr,
    query: String,
    log_groups: Vec<Expr>,
}

impl QueryDefinition {
    /// A saved query `<id>QueryDefinition` named `name` (`bedrock/tokens`
    /// files it in the folder `bedrock`), running `query` in the Logs
    /// Insights query language.
    ///
    /// ```
    /// use cfn_constructs::{
    ///     AccountRegional, EncryptedLogGroup, EncryptionKey, NameKind, NamingStrategy, QueryDefinition,
    /// };
    /// use cfn_template::Template;
    ///
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Logs", AccountRegional.name(NameKind::KmsAlias, "logs")).build(&mut t);
    /// let logs = EncryptedLogGroup::new("Invocations", "/aws/bedrock/invocations".into(), &key.key).build(&mut t);
    /// let query = QueryDefinition::new(
    ///     "TokensByPrincipal",
    ///     AccountRegional.name(NameKind::QueryDefinition, "bedrock/tokens-by-principal"),
    ///     "stats sum(input.inputTokenCount) as tokens by identity.arn | sort tokens desc",
    /// )
    /// .log_group(&logs)
    /// .build(&mut t)
    /// .expect("a valid query");
    /// assert_eq!(query.query_definition.logical_id(), "TokensByPrincipalQueryDefinition");
    /// assert!(t.to_json().unwrap().contains(r#""LogGroupNames": ["#));
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, name: Expr, query: impl Into<String>) -> QueryDefinitionBuilder {
        QueryDefinitionBuilder { id: id.into(), name, query: query.into(), log_groups: Vec::new() }
    }
}

impl QueryDefinitionBuilder {
    /// Runs the query on a log group of this template, by a `Ref` to it.
    pub fn log_group(mut self, log_group: &EncryptedLogGroup) -> Self {
        self.log_groups.push(log_group.log_group.r#ref());
        self
    }

    /// Runs the query on a log group by its name.
    pub fn log_group_name(mut self, name: Expr) -> Self {
        self.log_groups.push(name);
        self
    }

    /// Checks the name, query and log groups and adds the query definition;
    /// nothing is added when a check fails.
    pub fn build(self, s: &mut impl Stack) -> Result<QueryDefinition, QueryDefinitionError> {
        check_name(&self.name)?;
        check_logs_insights_query(&self.query).map_err(QueryDefinitionError::Query)?;
        for name in &self.log_groups {
            if let Some(literal) = name.as_literal() {
                if !is_log_group_name(literal) {
                    return Err(QueryDefinitionError::LogGroupName { name: literal.to_string() });
                }
            }
        }
        let mut resource = CfnQueryDefinition::new(self.name.clone(), self.query);
        // The language the query was checked against.
        resource.query_language = Some("CWLI".into());
        if !self.log_groups.is_empty() {
            resource.log_group_names = Some(List::from(self.log_groups));
        }
        let query_definition =
            s.add_resource(&format!("{}QueryDefinition", self.id), resource, Attributes::new());
        Ok(QueryDefinition { query_definition, name: self.name })
    }
}

/// Checks what is known now of a name: its literal text is a lower bound of
/// its length.
fn check_name(name: &Expr) -> Result<(), QueryDefinitionError> {
    let (literal, whole) = name.literal_text();
    let length = literal.chars().count();
    let problem = if whole && literal.trim().is_empty() {
        Some("is empty; a name has 1 to 255 characters".to_string())
    } else if length > MAX_NAME_LENGTH {
        Some(format!("is at least {length} characters long; CloudWatch Logs allows {MAX_NAME_LENGTH}"))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(QueryDefinitionError::Name { name: literal, problem }),
        None => Ok(()),
    }
}
