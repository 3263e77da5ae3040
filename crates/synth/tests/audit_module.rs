//! `synth --module audit`: the second module of the workspace, served by the
//! same binary, its default and sample configurations as committed.

mod common;

use std::process::{Command, Output};

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).current_dir(common::root()).output().unwrap()
}

fn committed(path: &str) -> Vec<u8> {
    std::fs::read(common::root().join(path)).unwrap()
}

#[test]
fn the_default_configuration_is_the_committed_default_template() {
    let out = synth(&["--module", "audit"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, committed("templates/audit-default.json"));
}

#[test]
fn each_sample_gives_its_committed_template() {
    for sample in ["minimal", "comprehensive"] {
        let config = format!("crates/audit/samples/{sample}.yaml");
        let out = synth(&["--module", "audit", "--config", &config]);
        assert_eq!(out.status.code(), Some(0), "{sample}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, committed(&format!("templates/audit-{sample}.json")), "{sample}");
    }
}

#[test]
fn the_schema_and_errors_are_the_audit_modules() {
    let schema = synth(&["--module", "audit", "--schema"]);
    assert_eq!(schema.stdout, committed("schema/audit.schema.json"));
    let bad = synth(&["--module", "audit", "--config", "crates/audit/tests/bad-configs/unknown-key.yaml"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("unknown-key.yaml:1:1: `sourceAccount`: unknown key"), "{stderr}");
    assert!(stderr.contains("did you mean `sourceAccounts`?"), "{stderr}");
}
