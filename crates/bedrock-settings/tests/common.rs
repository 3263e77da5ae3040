//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The sample configurations, by name, in a fixed order.
pub fn samples() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("sample readable"))
        })
        .collect()
}

/// Whether committed generated files should be rewritten instead of compared.
pub fn updating() -> bool {
    std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1")
}

/// Compares `actual` with the committed file, or rewrites it when updating.
pub fn check_generated(path: PathBuf, actual: &str) {
    if updating() {
        std::fs::write(&path, actual).expect("write generated file");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == actual,
        "{} is stale: run `UPDATE_GENERATED=1 cargo test -p bedrock-settings` and review the diff",
        path.display()
    );
}
