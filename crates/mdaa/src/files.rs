//! The module configs and tag files an estate names, each read and parsed
//! once, however many instances name it: an env template's two config files
//! used by two hundred environments are two files in memory, not four
//! hundred. The files they `!include` are read here too, once each.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use yaml_serde::Value;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::estate::{origin_note, Estate};
use crate::include::Includes;
use crate::source::SourceFile;

/// One module config or tag file: its text (for positions) and its value.
#[derive(Debug)]
pub struct ConfigFile {
    /// The file as read, named as the first instance to name it names it.
    pub file: SourceFile,
    /// Its YAML value.
    pub value: Value,
}

/// Every module config and tag file of an estate, read once.
#[derive(Debug, Default)]
pub struct Files {
    files: Vec<ConfigFile>,
    /// Each path an instance names, to its file.
    by_path: HashMap<PathBuf, usize>,
    /// Each file's canonical path, to its file: two names of one file (a
    /// link, `a/../b.yaml`) read it once.
    by_identity: HashMap<PathBuf, usize>,
    /// The files `!include` names, each read once.
    includes: Includes,
    reads: usize,
}

impl Files {
    /// Reads and parses every file the estate's selected instances name
    /// ([`crate::ModuleInstance::selected`]), each once, with the files
    /// their `!include` tags name (as MDAA's app reads them: the text of the
    /// file, relative to the file with the tag, within [`crate::MAX_INCLUDED_BYTES`]). A file that is
    /// missing, is not a regular file, is over the bounds of a
    /// configuration ([`crate::CONFIG_BOUNDS`]) or is not valid YAML is an
    /// error at the list item that names it; every such error is reported
    /// at once.
    pub fn read(estate: &Estate) -> Result<Files, Diagnostics> {
        let mut files = Files::default();
        let mut failed: HashMap<PathBuf, Diagnostics> = HashMap::new();
        let mut errors = Vec::new();
        for inst in estate.instances.iter().filter(|i| i.selected) {
            for named in inst.module_configs.iter().chain(&inst.tag_configs) {
                let path = &named.value;
                if files.by_path.contains_key(path) {
                    continue;
                }
                let problems = match failed.get(path) {
                    Some(d) => d.clone(),
                    None => match files.load(path) {
                        Ok(()) => continue,
                        Err(d) => {
                            failed.insert(path.clone(), d.clone());
                            d
                        }
                    },
                };
                // Where the mdaa.yaml names the file, after what is wrong in it.
                let note = origin_note(inst);
                for d in problems.0 {
                    if d.position.is_some() {
                        // A problem inside the file is shown where it is.
                        errors.push(Diagnostic { problem: format!("{}{note}", d.problem), ..d });
                    } else {
                        errors.push(
                            estate
                                .file()
                                .error(&named.at, format!("`{}` {}{note}", path.display(), d.problem))
                                .expected(
                                    d.expected
                                        .unwrap_or_else(|| "a YAML file, relative to the mdaa.yaml".into()),
                                ),
                        );
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(Diagnostics(errors).in_file_order())
        }
    }

    /// Reads the file at `path` unless another name of it was read.
    fn load(&mut self, path: &Path) -> Result<(), Diagnostics> {
        let identity = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(&i) = self.by_identity.get(&identity) {
            self.by_path.insert(path.to_path_buf(), i);
            return Ok(());
        }
        let file = SourceFile::read_config(path)?;
        self.reads += 1;
        let mut value = file.parse()?;
        self.includes.expand(&mut value, &file)?;
        self.files.push(ConfigFile { file, value });
        let i = self.files.len() - 1;
        self.by_identity.insert(identity, i);
        self.by_path.insert(path.to_path_buf(), i);
        Ok(())
    }

    /// The file an instance names as `path` (a path of its
    /// `module_configs` or `tag_configs`).
    pub fn get(&self, path: &Path) -> Option<&ConfigFile> {
        self.by_path.get(path).map(|&i| &self.files[i])
    }

    /// How many distinct files were read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the estate names no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// How many times a file was read from disk: one per distinct file.
    pub fn reads(&self) -> usize {
        self.reads + self.includes.reads()
    }
}
