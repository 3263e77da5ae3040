//! Where a value is in a template, for messages.

use std::fmt;

/// Where a value is, built as a walk descends and written out only for a
/// problem: most values have none, and formatting every path cost more
/// than the checks themselves.
#[derive(Clone, Copy)]
pub(crate) enum Location<'p> {
    /// A location written out (`Resources.Bucket.Properties`).
    Root(&'p str),
    /// An item of a list.
    Index(&'p Location<'p>, usize),
    /// A key of a mapping.
    Key(&'p Location<'p>, &'p str),
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Root(s) => f.write_str(s),
            Location::Index(p, i) => write!(f, "{p}[{i}]"),
            Location::Key(p, k) => write!(f, "{p}.{k}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Location;

    #[test]
    fn a_location_reads_as_its_path() {
        let root = Location::Root("Resources.Bucket.Properties");
        let rules = Location::Key(&root, "LifecycleConfiguration");
        let first = Location::Index(&rules, 0);
        assert_eq!(
            Location::Key(&first, "Status").to_string(),
            "Resources.Bucket.Properties.LifecycleConfiguration[0].Status"
        );
    }
}
