//! What a module's semantic check reports: problems by key path. The kit
//! finds each key in the file (or names the path, for a config built in code).

use crate::path::KeyPath;

/// One problem a module's check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The key concerned.
    pub path: KeyPath,
    /// What is wrong.
    pub problem: String,
    /// What was expected.
    pub expected: Option<String>,
    /// A suggestion.
    pub help: Option<String>,
}

impl Problem {
    /// Sets what was expected.
    pub fn expected(&mut self, e: impl Into<String>) -> &mut Self {
        self.expected = Some(e.into());
        self
    }

    /// Sets a suggestion.
    pub fn help(&mut self, h: impl Into<String>) -> &mut Self {
        self.help = Some(h.into());
        self
    }
}

/// The problems a module's check reports, in the order reported.
///
/// ```
/// let mut problems = module_kit::Problems::default();
/// problems
///     .report(["s3Lifecycle", "expireAfterDays"], "0 days is not a lifecycle period")
///     .expected("1 or more days");
/// assert_eq!(problems.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Reports a problem with the key at `path`; set what was expected and
    /// a suggestion on the returned problem.
    pub fn report(&mut self, path: impl Into<KeyPath>, problem: impl Into<String>) -> &mut Problem {
        self.0.push(Problem { path: path.into(), problem: problem.into(), expected: None, help: None });
        self.0.last_mut().expect("just pushed")
    }

    /// How many problems were reported.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order reported.
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }
}
