//! Paths of keys and list items inside a YAML document, as errors name them
//! (`domains.d1.environments.dev.modules.audit.module_configs[0]`).

use std::fmt;

/// One step of a [`KeyPath`]: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    /// A key of a mapping.
    Key(String),
    /// A 0-based position in a sequence.
    Index(usize),
}

/// Where a value sits in a YAML document, outermost step first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(pub Vec<Seg>);

impl KeyPath {
    /// The document's root.
    pub fn root() -> Self {
        KeyPath(Vec::new())
    }

    /// This path extended by the key `key`.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.into()));
        p
    }

    /// This path extended by the sequence index `index`.
    pub fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }

    /// This path followed by every step of `rest`.
    pub fn join(&self, rest: &KeyPath) -> Self {
        let mut p = self.clone();
        p.0.extend(rest.0.iter().cloned());
        p
    }

    /// True for the document's root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The last key of the path, if it ends with a key.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// The keys only, `/`-separated and with a leading `/`, as MDAA's
    /// config transformers see a value's place (sequence indexes are not
    /// part of it).
    pub fn transformer_path(&self) -> String {
        let mut out = String::new();
        for seg in &self.0 {
            if let Seg::Key(k) = seg {
                out.push('/');
                out.push_str(k);
            }
        }
        out
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
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

#[cfg(test)]
mod tests {
    use super::KeyPath;

    #[test]
    fn displays_keys_dotted_and_indexes_bracketed() {
        let p = KeyPath::root().key("domains").key("d1").key("module_configs").index(2).key("x");
        assert_eq!(p.to_string(), "domains.d1.module_configs[2].x");
        assert_eq!(p.transformer_path(), "/domains/d1/module_configs/x");
        assert_eq!(KeyPath::root().to_string(), "");
        assert_eq!(p.last_key(), Some("x"));
    }
}
