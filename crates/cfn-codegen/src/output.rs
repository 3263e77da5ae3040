//! Writing the generated files, or checking that the committed ones match.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Files by path, and what to do with them.
#[derive(Default)]
pub struct Output {
    pub files: BTreeMap<PathBuf, String>,
}

/// The marker lines between which the generator owns `[features]` entries.
pub const FEATURES_BEGIN: &str = "# BEGIN GENERATED FEATURES (cfn-codegen: one per service; do not edit)";
pub const FEATURES_END: &str = "# END GENERATED FEATURES";

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

impl Output {
    pub fn add(&mut self, path: PathBuf, text: String) {
        self.files.insert(path, text);
    }

    /// Files under `root` that differ from what was generated, are missing,
    /// or should not be there.
    pub fn differences(&self, root: &Path, extra: &[PathBuf]) -> Vec<String> {
        let mut problems = Vec::new();
        for (path, text) in &self.files {
            match fs::read_to_string(path) {
                Ok(current) if current == *text => {}
                Ok(_) => problems.push(format!("differs: {}", path.display())),
                Err(_) => problems.push(format!("missing: {}", path.display())),
            }
        }
        let mut existing = Vec::new();
        walk(root, &mut existing);
        for p in existing {
            if !self.files.contains_key(&p) && !extra.contains(&p) {
                problems.push(format!("not generated: {}", p.display()));
            }
        }
        problems.sort();
        problems
    }

    /// Writes what changed and removes generated files no longer generated.
    pub fn write(&self, root: &Path, extra: &[PathBuf]) -> Result<usize, String> {
        let mut existing = Vec::new();
        walk(root, &mut existing);
        for p in existing {
            if !self.files.contains_key(&p) && !extra.contains(&p) {
                fs::remove_file(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            }
        }
        let mut written = 0;
        for (path, text) in &self.files {
            if fs::read_to_string(path).ok().as_deref() == Some(text.as_str()) {
                continue;
            }
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            written += 1;
        }
        remove_empty_dirs(root);
        Ok(written)
    }
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            remove_empty_dirs(&p);
            let _ = fs::remove_dir(&p);
        }
    }
}

/// `Cargo.toml` with the generated feature block replaced.
pub fn with_features(cargo_toml: &str, block: &str) -> Result<String, String> {
    let begin = cargo_toml.find(FEATURES_BEGIN).ok_or("Cargo.toml has no generated-features marker")?;
    let end = cargo_toml.find(FEATURES_END).ok_or("Cargo.toml has no end-of-generated-features marker")?;
    Ok(format!("{}{FEATURES_BEGIN}\n{block}{}", &cargo_toml[..begin], &cargo_toml[end..]))
}
