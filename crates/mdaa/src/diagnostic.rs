//! Problems written for people: file, line, column, key, what was
//! expected, and a suggestion where there is one.

use std::fmt;

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The estate cannot be used until it is fixed.
    Error,
    /// Accepted, but something in it has no effect here.
    Warning,
}

/// One problem, or one note about a key that has no effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line and column, where the file has one.
    pub position: Option<(usize, usize)>,
    /// The key concerned, as a dotted path, if any.
    pub key: Option<String>,
    /// What is wrong.
    pub problem: String,
    /// What was expected.
    pub expected: Option<String>,
    /// A suggestion.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error in `file`.
    pub fn error(file: impl Into<String>, problem: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            position: None,
            key: None,
            problem: problem.into(),
            expected: None,
            help: None,
        }
    }

    /// A warning in `file`.
    pub fn warning(file: impl Into<String>, problem: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, problem) }
    }

    /// Sets the position.
    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        self.position = position;
        self
    }

    /// Sets the key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        let key = key.into();
        self.key = (!key.is_empty()).then_some(key);
        self
    }

    /// Sets what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Sets a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets a suggestion if there is one.
    pub fn maybe_help(self, help: Option<String>) -> Self {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Names, keys and values come from files anyone may have written:
        // what could drive a terminal is shown escaped.
        let esc = module_kit::escape::text;
        write!(f, "{label}: {}", esc(&self.file))?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "`{}`: ", esc(key))?;
        }
        f.write_str(&esc(&self.problem))?;
        if let Some(e) = &self.expected {
            write!(f, "\n  expected: {}", esc(e))?;
        }
        if let Some(h) = &self.help {
            write!(f, "\n  help: {}", esc(h))?;
        }
        Ok(())
    }
}

/// Every problem found, in file order (then in the order found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts by file, then line and column (problems without a position
    /// first), keeping the order found among equals, and drops exact
    /// repeats (a value inherited by many module instances is reported
    /// once, where it is written).
    pub fn in_file_order(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.position.unwrap_or((0, 0))).cmp(&(&b.file, b.position.unwrap_or((0, 0))))
        });
        let mut seen = std::collections::HashSet::new();
        self.0.retain(|d| seen.insert(d.to_string()));
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// The closest of `known` to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(&k.to_lowercase(), &lower), k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 5) && *d < k.len().max(lower.len()))
        .min()
        .map(|(_, k)| k)
}

/// `` `a`, `b`, `c` `` for an "expected: one of ..." line.
pub fn backticked<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_part_that_is_known() {
        let d = Diagnostic::error("mdaa.yaml", "unknown key")
            .at(Some((3, 5)))
            .key("domains.d1.enviroments")
            .expected("one of `environments`")
            .help("did you mean `environments`?");
        assert_eq!(
            d.to_string(),
            "error: mdaa.yaml:3:5: `domains.d1.enviroments`: unknown key\n  expected: one of `environments`\n  help: did you mean `environments`?"
        );
        assert_eq!(Diagnostic::warning("f", "p").to_string(), "warning: f: p");
    }

    #[test]
    fn sorts_by_position_and_drops_repeats() {
        let a = Diagnostic::error("f", "a").at(Some((5, 1)));
        let b = Diagnostic::error("f", "b").at(Some((2, 3)));
        let sorted = Diagnostics(vec![a.clone(), b.clone(), a.clone()]).in_file_order();
        assert_eq!(sorted.0, vec![b, a]);
    }

    #[test]
    fn suggests_only_near_misses() {
        let known = ["environments", "env_templates", "account"];
        assert_eq!(did_you_mean("enviroments", known), Some("environments"));
        assert_eq!(did_you_mean("acount", known), Some("account"));
        assert_eq!(did_you_mean("zzzzzzzzzz", known), None);
    }
}
