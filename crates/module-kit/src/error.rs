//! Configuration errors written for people: file, line, column, key, what
//! was expected, and a suggestion where there is one.

use std::fmt;

use crate::escape;

/// One problem with a configuration.
///
/// Every field is kept as found; [`Display`](fmt::Display) escapes what
/// could drive a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as the user named it (or a label such as
    /// `<configuration built in code>`).
    pub file: String,
    /// 1-based line and column, where the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    /// The key concerned, as a path (`s3Lifecycle.expireAfterDays`), if any.
    pub key: Option<String>,
    /// What is wrong.
    pub problem: String,
    /// What was expected.
    pub expected: Option<String>,
    /// A suggestion.
    pub help: Option<String>,
    /// Why the position is missing or approximate, when it is.
    pub note: Option<String>,
}

impl ConfigError {
    /// A problem in `file`.
    pub fn new(file: &str, problem: impl Into<String>) -> Self {
        ConfigError {
            file: file.to_string(),
            position: None,
            key: None,
            problem: problem.into(),
            expected: None,
            help: None,
            note: None,
        }
    }

    /// Sets the key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets the position.
    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        self.position = position;
        self
    }

    /// Sets what was expected.
    pub fn expected(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }

    /// Sets a suggestion.
    pub fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }

    /// Says why the position is missing or approximate.
    pub fn note(mut self, n: impl Into<String>) -> Self {
        self.note = Some(n.into());
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", escape::text(&self.file))?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "`{}`: ", escape::text(key))?;
        }
        f.write_str(&escape::text(&self.problem))?;
        for (label, text) in [("expected", &self.expected), ("help", &self.help), ("note", &self.note)] {
            if let Some(t) = text {
                write!(f, "\n  {label}: {}", escape::text(t))?;
            }
        }
        Ok(())
    }
}

/// Every problem found in a configuration, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl std::error::Error for ConfigErrors {}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl From<ConfigError> for ConfigErrors {
    fn from(e: ConfigError) -> Self {
        ConfigErrors(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::ConfigError;

    #[test]
    fn every_part_is_escaped() {
        let e = ConfigError::new("a\u{1b}]0;x\u{7}.yaml", "`\u{9b}` is not allowed")
            .at(Some((2, 3)))
            .key("tags.\r")
            .expected("no \u{202e}")
            .help("drop \n");
        assert_eq!(
            e.to_string(),
            "error: a\\u{1b}]0;x\\u{7}.yaml:2:3: `tags.\\r`: `\\u{9b}` is not allowed\n  expected: no \\u{202e}\n  help: drop \\n"
        );
    }
}
