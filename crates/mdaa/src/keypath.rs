//! Paths of keys and list items inside a YAML document, as errors name them
//! (`domains.d1.environments.dev.modules.audit.module_configs[0]`).
//!
//! Every value of an estate carries the path it is written at, and a
//! thousand module instances share most of theirs, so a path is a shared
//! chain of steps: extending or cloning one costs one allocation or none.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// One step of a [`KeyPath`]: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    /// A key of a mapping.
    Key(String),
    /// A 0-based position in a sequence.
    Index(usize),
}

/// Where a value sits in a YAML document.
#[derive(Clone, Default)]
pub struct KeyPath(Option<Arc<Step>>);

struct Step {
    parent: KeyPath,
    seg: Seg,
    len: usize,
}

impl KeyPath {
    /// The document's root.
    pub fn root() -> Self {
        KeyPath(None)
    }

    /// The path of the steps in `segs`, outermost first.
    pub fn from_segments(segs: impl IntoIterator<Item = Seg>) -> Self {
        segs.into_iter().fold(KeyPath::root(), |p, s| p.push(s))
    }

    fn push(&self, seg: Seg) -> Self {
        KeyPath(Some(Arc::new(Step { parent: self.clone(), seg, len: self.depth() + 1 })))
    }

    /// This path extended by the key `key`.
    pub fn key(&self, key: impl Into<String>) -> Self {
        self.push(Seg::Key(key.into()))
    }

    /// This path extended by the sequence index `index`.
    pub fn index(&self, index: usize) -> Self {
        self.push(Seg::Index(index))
    }

    /// This path followed by every step of `rest`.
    pub fn join(&self, rest: &KeyPath) -> Self {
        rest.segments().into_iter().fold(self.clone(), |p, s| p.push(s))
    }

    /// The number of steps (0 for the root).
    pub fn depth(&self) -> usize {
        self.0.as_ref().map_or(0, |s| s.len)
    }

    /// True for the document's root.
    pub fn is_root(&self) -> bool {
        self.0.is_none()
    }

    /// The path one step up (the root has none).
    pub fn parent(&self) -> Option<&KeyPath> {
        self.0.as_ref().map(|s| &s.parent)
    }

    /// The last step.
    pub fn last(&self) -> Option<&Seg> {
        self.0.as_ref().map(|s| &s.seg)
    }

    /// The last key of the path, if it ends with a key.
    pub fn last_key(&self) -> Option<&str> {
        match self.last() {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// The steps, outermost first.
    pub fn segments(&self) -> Vec<Seg> {
        let mut out: Vec<Seg> = self.steps().map(|s| s.seg.clone()).collect();
        out.reverse();
        out
    }

    /// True if `prefix` is this path or one of its ancestors.
    pub fn starts_with(&self, prefix: &KeyPath) -> bool {
        let mut p = self;
        while p.depth() > prefix.depth() {
            match p.parent() {
                Some(up) => p = up,
                None => return false,
            }
        }
        p == prefix
    }

    /// The keys only, `/`-separated and with a leading `/`, as MDAA's
    /// config transformers see a value's place (sequence indexes are not
    /// part of it).
    pub fn transformer_path(&self) -> String {
        let mut out = String::new();
        for seg in self.segments() {
            if let Seg::Key(k) = seg {
                out.push('/');
                out.push_str(&k);
            }
        }
        out
    }

    /// The steps from the last one up.
    fn steps(&self) -> impl Iterator<Item = &Step> {
        let mut at = self.0.as_deref();
        std::iter::from_fn(move || {
            let step = at?;
            at = step.parent.0.as_deref();
            Some(step)
        })
    }
}

impl PartialEq for KeyPath {
    fn eq(&self, other: &Self) -> bool {
        if self.depth() != other.depth() {
            return false;
        }
        let (mut a, mut b) = (self, other);
        loop {
            match (&a.0, &b.0) {
                (None, None) => return true,
                (Some(x), Some(y)) => {
                    if Arc::ptr_eq(x, y) {
                        return true;
                    }
                    if x.seg != y.seg {
                        return false;
                    }
                    a = &x.parent;
                    b = &y.parent;
                }
                _ => return false,
            }
        }
    }
}

impl Eq for KeyPath {}

impl Hash for KeyPath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.depth().hash(state);
        for step in self.steps() {
            step.seg.hash(state);
        }
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments().iter().enumerate() {
            match seg {
                Seg::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPath({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn displays_keys_dotted_and_indexes_bracketed() {
        let p = KeyPath::root().key("domains").key("d1").key("module_configs").index(2).key("x");
        assert_eq!(p.to_string(), "domains.d1.module_configs[2].x");
        assert_eq!(p.transformer_path(), "/domains/d1/module_configs/x");
        assert_eq!(KeyPath::root().to_string(), "");
        assert_eq!(p.last_key(), Some("x"));
        assert_eq!(p.depth(), 5);
    }

    #[test]
    fn paths_built_apart_are_equal_and_hash_alike() {
        let a = KeyPath::root().key("a").index(0).key("b");
        let b = KeyPath::from_segments([Seg::Key("a".into()), Seg::Index(0), Seg::Key("b".into())]);
        assert_eq!(a, b);
        assert_ne!(a, KeyPath::root().key("a").index(1).key("b"));
        assert_eq!(HashSet::from([a.clone()]).len(), HashSet::from([a.clone(), b.clone()]).len());
        assert!(a.starts_with(&KeyPath::root().key("a")));
        assert!(a.starts_with(&a));
        assert!(!KeyPath::root().key("a").starts_with(&a));
        assert_eq!(KeyPath::root().key("x").join(&a).to_string(), "x.a[0].b");
        assert_eq!(a.parent().unwrap().to_string(), "a[0]");
    }
}
