//! `!include FILE` in module configs and tag files, as MDAA's app reads
//! them (packages/apps/core/app/lib/utils.ts, `readYamlFileWithIncludes`):
//! the tagged value becomes the text of FILE, taken relative to the
//! directory of the file that holds the tag. The text is not parsed, so an
//! `!include` inside an included file is text too: includes cannot nest,
//! and so cannot form a cycle.
//!
//! MDAA's CLI reads the mdaa.yaml without this tag (there, its YAML reader
//! drops an unknown tag and keeps the file's name as text), so only the
//! files [`crate::Files`] reads expand it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use yaml_serde::Value;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::keypath::KeyPath;
use crate::source::{read_text, SourceFile, CONFIG_BOUNDS};

/// How much included text one file may take in all, each `!include`
/// counted every time it appears (a YAML alias repeats it): the size of
/// the largest configuration. A file of aliases of one include is refused
/// at this bound rather than multiplied.
pub const MAX_INCLUDED_BYTES: usize = CONFIG_BOUNDS.bytes;

/// The files `!include` names, each read once, however many tags name it.
#[derive(Debug, Default)]
pub(crate) struct Includes {
    /// Each included file's canonical path, to its text or why it was not read.
    read: HashMap<PathBuf, Result<Arc<str>, String>>,
}

impl Includes {
    /// Replaces every `!include FILE` in `value`, read from `file`, by the
    /// text of FILE. Every problem is reported at the tag's place.
    pub(crate) fn expand(&mut self, value: &mut Value, file: &SourceFile) -> Result<(), Diagnostics> {
        let mut walk = Walk { includes: self, file, errors: Vec::new(), included: 0, over: false };
        walk.value(value, &KeyPath::root());
        if walk.errors.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(walk.errors))
        }
    }

    /// How many included files were read from disk.
    pub(crate) fn reads(&self) -> usize {
        self.read.len()
    }

    fn text(&mut self, path: PathBuf) -> Result<Arc<str>, String> {
        let identity = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        self.read
            .entry(identity)
            .or_insert_with(|| {
                read_text(&path).map(Arc::from).map_err(|d| {
                    d.0.first().map(|d| d.problem.clone()).unwrap_or_else(|| "cannot be read".into())
                })
            })
            .clone()
    }
}

struct Walk<'i, 'f> {
    includes: &'i mut Includes,
    file: &'f SourceFile,
    errors: Vec<Diagnostic>,
    /// Included text so far, in bytes.
    included: usize,
    /// The bound was passed and reported.
    over: bool,
}

impl Walk<'_, '_> {
    fn value(&mut self, v: &mut Value, at: &KeyPath) {
        match v {
            Value::Sequence(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.value(item, &at.index(i));
                }
            }
            Value::Mapping(m) => {
                for (k, item) in m.iter_mut() {
                    let child = match k.as_str() {
                        Some(k) => at.key(k),
                        None => at.clone(),
                    };
                    self.value(item, &child);
                }
            }
            Value::Tagged(tagged) if tagged.tag == "include" => {
                if let Some(text) = self.include(&tagged.value, at) {
                    *v = Value::String(text.to_string());
                }
            }
            _ => {}
        }
    }

    fn include(&mut self, target: &Value, at: &KeyPath) -> Option<Arc<str>> {
        if self.over {
            return None;
        }
        let Some(rel) = target.as_str().filter(|r| !r.is_empty()) else {
            self.errors.push(
                self.file
                    .error(at, "`!include` names no file")
                    .expected("`!include FILE`, a file name relative to this file"),
            );
            return None;
        };
        let path = self.file.dir().join(rel);
        let shown = path.display().to_string();
        match self.includes.text(path) {
            Ok(text) => {
                self.included = self.included.saturating_add(text.len());
                if self.included > MAX_INCLUDED_BYTES {
                    self.over = true;
                    self.errors.push(
                        self.file
                            .error(
                                at,
                                format!(
                                    "`!include {rel}`: the included files come to more than {} in all",
                                    module_kit::limits::bytes(MAX_INCLUDED_BYTES)
                                ),
                            )
                            .expected(format!(
                                "at most {} of included text per file, each `!include` counted every time it appears",
                                module_kit::limits::bytes(MAX_INCLUDED_BYTES)
                            ))
                            .help("include each file once, not through aliases of aliases"),
                    );
                    return None;
                }
                Some(text)
            }
            Err(problem) => {
                self.errors.push(
                    self.file
                        .error(at, format!("`!include {rel}`: {shown} {problem}"))
                        .expected("a file relative to the directory of this file"),
                );
                None
            }
        }
    }
}
