//! The `synth` binary: outputs, exit codes, atomic writes and checks.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).output().expect("synth runs")
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(name).display().to_string()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

#[test]
fn no_arguments_prints_the_default_template() {
    let out = synth(&[]);
    assert_eq!(out.status.code(), Some(0));
    let committed = std::fs::read_to_string(common::root().join("templates/both-destinations.json")).unwrap();
    assert_eq!(text(&out.stdout), committed);
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn config_and_format_options() {
    let out = synth(&["--config", &sample("s3-only.yaml")]);
    let committed = std::fs::read_to_string(common::root().join("templates/s3-only.json")).unwrap();
    assert_eq!(text(&out.stdout), committed);
    let yaml = synth(&["-c", &sample("s3-only.yaml"), "--format", "yaml"]);
    assert_eq!(yaml.status.code(), Some(0));
    assert!(text(&yaml.stdout).starts_with("AWSTemplateFormatVersion: \"2010-09-09\"\n"));
}

#[test]
fn output_is_written_and_check_compares() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.json");
    let f = file.to_str().unwrap();
    let out = synth(&["--output", f]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(synth(&["--check", f]).status.code(), Some(0));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "a new template is readable like any file, not private");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(synth(&["--output", f]).status.code(), Some(0));
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "a replaced template keeps its mode");
    }
    let other = synth(&["--config", &sample("s3-only.yaml"), "--check", f]);
    assert_eq!(other.status.code(), Some(1));
    assert!(text(&other.stderr).contains("differs"), "{}", text(&other.stderr));
    assert!(other.stdout.is_empty());
}

#[test]
fn a_failed_run_leaves_the_output_untouched_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "enableAuditLoggingToS3: maybe\n").unwrap();
    let file = dir.path().join("template.json");
    std::fs::write(&file, "previous\n").unwrap();
    let out = synth(&["--config", bad.to_str().unwrap(), "--output", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous\n");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn errors_go_to_stderr_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bedrock-settings.yaml");
    std::fs::write(&bad, "enableAuditLoggingToS3: true\ncloudwatchLogRetentionDays: 30\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_synth"))
        .current_dir(dir.path())
        .args(["--config", "bedrock-settings.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    insta::with_settings!({ snapshot_path => common::root().join("snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("cli-config-error", text(&out.stderr));
    });
    let missing = synth(&["--config", "/nonexistent/bedrock-settings.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot read the configuration"));
    let usage = synth(&["--format", "xml"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(usage.stdout.is_empty());
}

#[test]
fn schema_and_validate() {
    let out = synth(&["--schema"]);
    assert_eq!(out.status.code(), Some(0));
    let committed =
        std::fs::read_to_string(common::root().join("schema/bedrock-settings.schema.json")).unwrap();
    assert_eq!(text(&out.stdout), committed);
    let ok = synth(&["--config", &sample("full.yaml"), "--validate"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(ok.stdout.is_empty());
    assert!(text(&ok.stderr).contains("valid"));
}

#[test]
fn help_shows_examples() {
    let out = synth(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    insta::with_settings!({ snapshot_path => common::root().join("snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("cli-help", text(&out.stdout));
    });
}
