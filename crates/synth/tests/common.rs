//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The logical ID `synth --mdaa` writes a resource of a module under, given
/// that module's `MDAA_CONSTRUCT_PATHS`: MDAA's CDK ID where MDAA has the
/// resource too, the module's own otherwise.
pub fn written_id(paths: &[(&str, &str)], id: &str) -> String {
    paths
        .iter()
        .find(|(own, _)| *own == id)
        .map_or_else(|| id.to_string(), |(_, path)| cfn_constructs::cdk_logical_id(path))
}
