//! Fixture loading shared by the tests.

#![allow(dead_code)]

use cfn_diff::{diff, Template, TemplateDiff};
use std::path::{Path, PathBuf};

/// The crate's folder.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace's folder.
pub fn root() -> PathBuf {
    crate_dir().join("../..")
}

/// A fixture file's path.
pub fn fixture(name: &str) -> PathBuf {
    crate_dir().join("tests/fixtures").join(name)
}

/// Reads and parses a template file.
pub fn load(path: &Path) -> Template {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Template::parse(&path.display().to_string(), &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The old and new templates of a pair under `fixtures/pairs`, YAML or JSON.
pub fn pair_templates(name: &str) -> (Template, Template) {
    let side = |side: &str| {
        ["yaml", "json"]
            .iter()
            .map(|ext| fixture(&format!("pairs/{name}.{side}.{ext}")))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("no fixture pairs/{name}.{side}.yaml or .json"))
    };
    (load(&side("old")), load(&side("new")))
}

/// The diff of a pair under `fixtures/pairs`.
pub fn pair(name: &str) -> TemplateDiff {
    let (old, new) = pair_templates(name);
    diff(&old, &new)
}

/// The diff of the MDAA baseline against one of its edited copies.
pub fn mdaa(edit: &str) -> TemplateDiff {
    diff(&load(&fixture("mdaa-baseline.json")), &load(&fixture(&format!("mdaa-{edit}.json"))))
}
