//! Key paths: where in a configuration a value lives
//! (`s3Lifecycle.expireAfterDays`, `tags.owner`, `items[2]`).

use std::fmt;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A key of a mapping.
    Key(String),
    /// A 0-based position in a list.
    Index(usize),
}

impl From<&str> for Segment {
    fn from(k: &str) -> Self {
        Segment::Key(k.to_string())
    }
}

impl From<&String> for Segment {
    fn from(k: &String) -> Self {
        Segment::Key(k.clone())
    }
}

impl From<String> for Segment {
    fn from(k: String) -> Self {
        Segment::Key(k)
    }
}

impl From<usize> for Segment {
    fn from(i: usize) -> Self {
        Segment::Index(i)
    }
}

/// A path from the top of a configuration to one of its values, outermost
/// first. The empty path is the whole configuration.
///
/// ```
/// use module_kit::KeyPath;
/// assert_eq!(KeyPath::from(["s3Lifecycle", "expireAfterDays"]).to_string(), "s3Lifecycle.expireAfterDays");
/// assert_eq!(KeyPath::from(["tags", "a.b"]).to_string(), r#"tags."a.b""#);
/// assert_eq!(KeyPath::root().key("items").index(2).to_string(), "items[2]");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    /// The whole configuration.
    pub fn root() -> Self {
        KeyPath(Vec::new())
    }

    /// This path, one key deeper.
    pub fn key(mut self, k: impl Into<String>) -> Self {
        self.0.push(Segment::Key(k.into()));
        self
    }

    /// This path, one list position deeper.
    pub fn index(mut self, i: usize) -> Self {
        self.0.push(Segment::Index(i));
        self
    }

    /// Whether this is the whole configuration.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The path without its last step (the root stays the root).
    pub fn parent(&self) -> KeyPath {
        let mut p = self.clone();
        p.0.pop();
        p
    }

    /// This path followed by `rest`.
    pub fn join(&self, rest: &KeyPath) -> KeyPath {
        KeyPath(self.0.iter().chain(&rest.0).cloned().collect())
    }

    /// What follows `prefix` in this path, if it starts with it.
    pub fn strip_prefix(&self, prefix: &KeyPath) -> Option<KeyPath> {
        self.0.starts_with(&prefix.0).then(|| KeyPath(self.0[prefix.0.len()..].to_vec()))
    }
}

impl<S: Into<Segment>, const N: usize> From<[S; N]> for KeyPath {
    fn from(segments: [S; N]) -> Self {
        KeyPath(segments.into_iter().map(Into::into).collect())
    }
}

impl<S: Into<Segment> + Clone> From<&[S]> for KeyPath {
    fn from(segments: &[S]) -> Self {
        KeyPath(segments.iter().cloned().map(Into::into).collect())
    }
}

impl From<Vec<Segment>> for KeyPath {
    fn from(segments: Vec<Segment>) -> Self {
        KeyPath(segments)
    }
}

/// Keys print bare when that cannot be mistaken for a path, quoted otherwise.
fn bare(k: &str) -> bool {
    !k.is_empty() && !k.contains(['.', '[', ']', '"', ' ', '`'])
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Segment::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    if bare(k) {
                        f.write_str(k)?;
                    } else {
                        write!(f, "{k:?}")?;
                    }
                }
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}
