//! What can be checked of a CloudWatch Logs Insights query before it runs:
//! its length, and that each `|`-separated command is one the language has.

use std::fmt;

/// The commands of the Logs Insights query language (Logs Insights QL), as
/// the CloudWatch Logs User Guide lists them ("CloudWatch Logs Insights
/// language query syntax", `CWL_QuerySyntax`). `SOURCE` selects log groups
/// in a query (the form dashboards' log widgets use).
pub const LOGS_INSIGHTS_COMMANDS: &[&str] = &[
    "addtotals",
    "anomaly",
    "dedup",
    "diff",
    "display",
    "fields",
    "filter",
    "filterIndex",
    "join",
    "limit",
    "lookup",
    "parse",
    "pattern",
    "sort",
    "SOURCE",
    "stats",
    "unmask",
    "unnest",
];

/// The longest query string CloudWatch Logs accepts, in characters
/// (`QueryString` of `AWS::Logs::QueryDefinition`, 1–10,000 in its registry
/// schema; `StartQuery` takes the same).
pub const MAX_QUERY_LENGTH: usize = 10_000;

/// Why a Logs Insights query cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryError {
    /// The query has no command at all.
    Empty,
    /// The query is longer than CloudWatch Logs accepts.
    TooLong {
        /// Its length, in characters.
        chars: usize,
    },
    /// Two `|` with nothing between them, or a `|` at either end.
    EmptyCommand {
        /// The command's position, from 1.
        position: usize,
    },
    /// A command that Logs Insights does not have.
    UnknownCommand {
        /// The command's position, from 1.
        position: usize,
        /// Its first word.
        command: String,
    },
    /// A string, regular expression or parenthesis opened and never closed.
    Unclosed {
        /// What was left open: `'`, `"`, `` ` ``, `/` or `(`.
        opening: char,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Empty => write!(f, "the query is empty: write at least one command, such as `fields @message`"),
            QueryError::TooLong { chars } => {
                write!(f, "the query is {chars} characters long; CloudWatch Logs accepts at most {MAX_QUERY_LENGTH}")
            }
            QueryError::EmptyCommand { position } => write!(
                f,
                "command {position} of the query is empty: commands are separated by single `|`, with none at either end"
            ),
            QueryError::UnknownCommand { position, command } => write!(
                f,
                "command {position} of the query starts with `{command}`, which is not a Logs Insights command; \
                 the commands are {}",
                LOGS_INSIGHTS_COMMANDS.join(", ")
            ),
            QueryError::Unclosed { opening } => {
                write!(f, "the query opens `{opening}` and never closes it")
            }
        }
    }
}

impl std::error::Error for QueryError {}

/// Checks a Logs Insights query: not empty, at most [`MAX_QUERY_LENGTH`]
/// characters, and each command (the text between `|` outside strings,
/// regular expressions, parentheses and `#` comments) starting with one of
/// [`LOGS_INSIGHTS_COMMANDS`]. Commands are matched without regard to case.
/// What follows a command's first word is left to CloudWatch Logs.
///
/// ```
/// use cfn_constructs::{check_logs_insights_query, QueryError};
/// assert_eq!(check_logs_insights_query("fields @message | filter @message like /a|b/ | limit 20"), Ok(()));
/// assert_eq!(
///     check_logs_insights_query("fields @message | stat count()"),
///     Err(QueryError::UnknownCommand { position: 2, command: "stat".into() })
/// );
/// ```
pub fn check_logs_insights_query(query: &str) -> Result<(), QueryError> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_LENGTH {
        return Err(QueryError::TooLong { chars });
    }
    let commands = split_commands(query)?;
    if commands.iter().all(|c| c.trim().is_empty()) {
        return Err(QueryError::Empty);
    }
    for (i, command) in commands.iter().enumerate() {
        let position = i + 1;
        let text = command.trim();
        if text.is_empty() {
            return Err(QueryError::EmptyCommand { position });
        }
        let word: String = text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !LOGS_INSIGHTS_COMMANDS.iter().any(|known| known.eq_ignore_ascii_case(&word)) {
            let command = if word.is_empty() { text.chars().take(20).collect() } else { word };
            return Err(QueryError::UnknownCommand { position, command });
        }
    }
    Ok(())
}

/// The query's commands, without comments. A `|` inside a string, a regular
/// expression or parentheses (a subquery, a function's arguments) does not
/// separate commands. A `/` opens a regular expression where an operand is
/// expected after `like`, `=~`, `(` or `,`, and anywhere in a `parse`
/// command (which has no division).
fn split_commands(query: &str) -> Result<Vec<String>, QueryError> {
    let mut commands = Vec::new();
    let mut current = String::new();
    let mut chars = query.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                current.push(c);
                copy_until(&mut chars, &mut current, c)?;
            }
            '/' if opens_regex(&current) => {
                current.push(c);
                copy_until(&mut chars, &mut current, '/')?;
            }
            '#' => {
                // A comment runs to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        current.push('\n');
                        break;
                    }
                }
            }
            '(' => {
                depth += 1;
                current.push(c);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                current.push(c);
            }
            '|' if depth == 0 => commands.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    if depth > 0 {
        return Err(QueryError::Unclosed { opening: '(' });
    }
    commands.push(current);
    Ok(commands)
}

/// Copies characters up to and including the unescaped `close`.
fn copy_until(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    out: &mut String,
    close: char,
) -> Result<(), QueryError> {
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\' {
            if let Some(escaped) = chars.next() {
                out.push(escaped);
            }
        } else if c == close {
            return Ok(());
        }
    }
    Err(QueryError::Unclosed { opening: close })
}

/// Whether a `/` after `before` (the command so far) opens a regular expression.
fn opens_regex(before: &str) -> bool {
    let trimmed = before.trim_end();
    let first_word = trimmed.split_whitespace().next().unwrap_or("");
    if first_word.eq_ignore_ascii_case("parse") {
        return true;
    }
    let last_word = trimmed.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    last_word.eq_ignore_ascii_case("like") || trimmed.ends_with(['~', '(', ','])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_inside_strings_regexes_parentheses_and_comments_do_not_split() {
        for query in [
            "fields @message | filter @message like /a|b/",
            "filter msg = \"a|b\" | display msg",
            "filter msg = 'a|b' | display msg",
            "parse @message /(?<x>a|b)/ | stats count() by x",
            "fields @message # a | comment\n| limit 5",
            "filter status >= 500 | join type=inner left=a right=b where a.id=b.id (SOURCE 'g' | fields id)",
            "fields a / b as ratio | sort ratio desc",
            "filter @message =~ /x|y/",
        ] {
            assert_eq!(check_logs_insights_query(query), Ok(()), "{query}");
        }
    }

    #[test]
    fn commands_are_matched_without_case_and_by_their_first_word() {
        assert_eq!(check_logs_insights_query("FIELDS @message | Stats count(*)"), Ok(()));
        assert_eq!(check_logs_insights_query("filterIndex requestId = 'x' | fields @message"), Ok(()));
        assert_eq!(
            check_logs_insights_query("fields a | | limit 1"),
            Err(QueryError::EmptyCommand { position: 2 })
        );
        assert_eq!(
            check_logs_insights_query("@message | limit 1"),
            Err(QueryError::UnknownCommand { position: 1, command: "@message".into() })
        );
    }

    #[test]
    fn unclosed_strings_and_parentheses_are_reported() {
        assert_eq!(check_logs_insights_query("filter a = 'x"), Err(QueryError::Unclosed { opening: '\'' }));
        assert_eq!(check_logs_insights_query("stats count(*"), Err(QueryError::Unclosed { opening: '(' }));
        assert_eq!(check_logs_insights_query("filter a like /x"), Err(QueryError::Unclosed { opening: '/' }));
    }
}
