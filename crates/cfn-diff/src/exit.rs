//! The exit status a command-line tool returns for a diff.

use crate::model::{Direction, Impact, TemplateDiff};
use std::str::FromStr;

/// A kind of change that should fail a check (`--fail-on replacement`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// A resource replaced or that may be replaced, a type change, a rename,
    /// or a retained resource orphaned.
    Replacement,
    /// A security change that broadens access or weakens protection.
    Security,
}

impl FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "replacement" => Ok(FailOn::Replacement),
            "security" => Ok(FailOn::Security),
            other => Err(format!("unknown --fail-on value `{other}`: expected `replacement` or `security`")),
        }
    }
}

/// No difference.
pub const EXIT_SAME: i32 = 0;
/// Differences, none of the kinds asked to fail on.
pub const EXIT_DIFFERENT: i32 = 1;
/// A change of a kind asked to fail on.
pub const EXIT_FAIL_ON: i32 = 3;

impl TemplateDiff {
    /// Whether the diff has a change of the given kind.
    pub fn has(&self, kind: FailOn) -> bool {
        match kind {
            FailOn::Replacement => self
                .resources
                .iter()
                .any(|r| r.orphans.is_some() || matches!(r.impact, Impact::Replace | Impact::MayReplace)),
            FailOn::Security => self.security.iter().any(|s| s.direction == Direction::Broadens),
        }
    }

    /// 0 when the templates mean the same, 3 when a change of a kind in
    /// `fail_on` is found, 1 for any other difference.
    pub fn exit_status(&self, fail_on: &[FailOn]) -> i32 {
        if self.is_empty() {
            EXIT_SAME
        } else if fail_on.iter().any(|k| self.has(*k)) {
            EXIT_FAIL_ON
        } else {
            EXIT_DIFFERENT
        }
    }
}
