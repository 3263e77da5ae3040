//! A configuration assembled from several YAML sources: files merged in
//! order and inline data written inside another file (MDAA's
//! `module_configs` and `module_config_data`). Errors point into the
//! source that wrote the key, as a merge keeps the last one.

use std::sync::OnceLock;

use crate::error::ConfigErrors;
use crate::path::KeyPath;
use crate::yaml::{self, Located, Outline};

/// One source: its name, where its keys are written, and the key path its
/// root has in that file (empty for a whole file).
struct Source {
    file: String,
    text: String,
    /// Walked only when an error needs a position.
    outline: OnceLock<Outline>,
    under: KeyPath,
    /// The YAML tags the text may hold.
    tags: &'static [&'static str],
}

impl Source {
    fn outline(&self) -> &Outline {
        // The text's structure was checked when it was added.
        self.outline.get_or_init(|| yaml::outline_of(&self.text, &self.file, self.tags).unwrap_or_default())
    }
}

/// The sources of an assembled configuration, in merge order.
#[derive(Default)]
pub struct Sources {
    sources: Vec<Source>,
}

impl Sources {
    /// No sources yet.
    pub fn new() -> Self {
        Sources::default()
    }

    /// Adds a whole file, read for the positions of its keys.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<(), ConfigErrors> {
        self.add_part(file, text, KeyPath::root())
    }

    /// Adds a part of a file: the configuration is written under `under`
    /// in `text` (inline data in an `mdaa.yaml`).
    pub fn add_part(&mut self, file: &str, text: &str, under: KeyPath) -> Result<(), ConfigErrors> {
        self.add(file, text, under, &[])
    }

    /// Adds a whole file that may hold the YAML `tags` named (such as
    /// `!include`, which an MDAA module config may hold and its reader
    /// expands before the value reaches the module); any other tag is an
    /// error, as in [`Sources::add_file`].
    pub fn add_file_with_tags(
        &mut self,
        file: &str,
        text: &str,
        tags: &'static [&'static str],
    ) -> Result<(), ConfigErrors> {
        self.add(file, text, KeyPath::root(), tags)
    }

    fn add(
        &mut self,
        file: &str,
        text: &str,
        under: KeyPath,
        tags: &'static [&'static str],
    ) -> Result<(), ConfigErrors> {
        let outline = match yaml::check_structure(text, file, tags)? {
            Some(outline) => OnceLock::from(outline),
            None => OnceLock::new(),
        };
        self.sources.push(Source { file: file.to_string(), text: text.to_string(), outline, under, tags });
        Ok(())
    }

    /// The file and the position of `path`, or of its nearest ancestor
    /// written, for errors about it.
    pub fn position(&self, path: &KeyPath) -> (String, Option<(usize, usize)>) {
        let (file, at) = self.locate(path);
        (file, at.at)
    }

    /// The file and position of `path`: the last source that writes it,
    /// else the nearest ancestor in the last source that writes one.
    pub(crate) fn locate(&self, path: &KeyPath) -> (String, Located) {
        let mut best: Option<(String, Located)> = None;
        for s in self.sources.iter().rev() {
            let full = s.under.join(path);
            let at = s.outline().locate(&full);
            let found = at.found.strip_prefix(&s.under);
            let located = Located { at: at.at, found: found.unwrap_or_else(KeyPath::root) };
            if located.found == *path {
                return (s.file.clone(), located);
            }
            let deeper = best.as_ref().is_none_or(|(_, b)| located.found.0.len() > b.found.0.len());
            if located.at.is_some() && deeper {
                best = Some((s.file.clone(), located));
            }
        }
        best.unwrap_or_else(|| {
            let file = self.sources.last().map(|s| s.file.clone()).unwrap_or_default();
            (file, Located { at: None, found: KeyPath::root() })
        })
    }
}
