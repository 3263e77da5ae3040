//! `--output` onto a descriptor the shell opened (`/dev/stdout`,
//! `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`) writes exactly what the
//! shell's `>` or `>>` would: the file's bytes before and after the
//! template stay. A closed stdout is an error, never a silent success.
//!
//! Each case runs the real binary under `sh -c`, so the redirections are
//! the shell's own, and compares the file's exact bytes.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `script` under `sh` in `dir`, with `$SYNTH` the binary.
fn sh(dir: &Path, script: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("SYNTH", env!("CARGO_BIN_EXE_synth"))
        .output()
        .expect("sh runs")
}

/// The template synth prints on stdout without options.
fn template() -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_synth")).output().expect("synth runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn concat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Runs `script` in a fresh folder and returns the bytes of its `f`,
/// after checking that the run succeeded.
fn file_after(script: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = sh(dir.path(), script);
    assert_eq!(out.status.code(), Some(0), "{script}: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(dir.path().join("f")).unwrap()
}

#[test]
fn appending_to_stdout_keeps_what_was_there() {
    let got = file_after(r#"echo prev > f; "$SYNTH" --output /dev/stdout >> f"#);
    assert_eq!(got, concat(&[b"prev\n", &template()]));
}

#[test]
fn what_the_shell_writes_after_synth_follows_the_template() {
    let got = file_after(r#"( "$SYNTH" --output /dev/stdout; echo after ) > f"#);
    assert_eq!(got, concat(&[&template(), b"after\n"]));
    let got = file_after(r#"( echo before; "$SYNTH" --output /dev/stdout; echo after ) > f"#);
    assert_eq!(got, concat(&[b"before\n", &template(), b"after\n"]));
}

#[test]
fn stderr_and_other_descriptors_are_written_as_the_shell_opened_them() {
    let t = template();
    let got = file_after(r#"echo prev > f; "$SYNTH" --output /dev/stderr 2>> f"#);
    assert_eq!(got, concat(&[b"prev\n", &t]));
    let got = file_after(r#"echo prev > f; "$SYNTH" --output /proc/self/fd/3 3>> f"#);
    assert_eq!(got, concat(&[b"prev\n", &t]));
    let got = file_after(r#"echo prev > f; "$SYNTH" --output /dev/fd/3 3>> f"#);
    assert_eq!(got, concat(&[b"prev\n", &t]));
    let got = file_after(r#"( echo before; "$SYNTH" --output /dev/fd/4 4>&1; echo after ) > f"#);
    assert_eq!(got, concat(&[b"before\n", &t, b"after\n"]));
    // `>` truncates, as the shell's redirection does, and only that.
    let got = file_after(r#"echo prev > f; "$SYNTH" --output /dev/fd/3 3> f"#);
    assert_eq!(got, t);
}

#[test]
fn a_link_to_a_descriptor_is_the_descriptor() {
    let got = file_after(r#"ln -s /dev/stdout out; echo prev > f; "$SYNTH" --output out >> f"#);
    assert_eq!(got, concat(&[b"prev\n", &template()]));
}

/// Runs a script that must fail with exit 2, and returns its stderr.
fn refused(dir: &Path, script: &str) -> String {
    let out = sh(dir, script);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{script}: {stderr}");
    stderr
}

#[test]
fn a_closed_stdout_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        refused(dir.path(), r#""$SYNTH" >&-"#),
        "error: cannot write to stdout: it is closed\n  help: run synth with stdout open (without `>&-`): onto a terminal, a file (`> FILE`) or a pipe\n"
    );
    assert_eq!(
        refused(dir.path(), r#""$SYNTH" --output /dev/stdout >&-"#),
        "error: /dev/stdout: stdout (descriptor 1) is closed, so the template has nowhere to go\n  help: give --output a file, or run synth with stdout open (without `>&-`)\n"
    );
    // A closed stdout does not matter when the template goes to a file.
    let out = sh(dir.path(), r#""$SYNTH" --output t.json >&-"#);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(dir.path().join("t.json")).unwrap(), template());
}

#[test]
fn descriptors_not_open_for_writing_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = refused(dir.path(), r#""$SYNTH" --output /dev/fd/7"#);
    assert!(stderr.starts_with("error: /dev/fd/7: descriptor 7 is not open"), "{stderr}");
    std::fs::write(dir.path().join("f"), "prev\n").unwrap();
    let stderr = refused(dir.path(), r#""$SYNTH" --output /proc/self/fd/3 3< f"#);
    assert!(stderr.starts_with("error: /proc/self/fd/3: descriptor 3 is open for reading only"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.path().join("f")).unwrap(), "prev\n");
}

#[test]
fn a_descriptor_open_on_the_configuration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = "enableAuditLoggingToS3: true\n";
    std::fs::write(dir.path().join("c.yaml"), config).unwrap();
    let stderr = refused(dir.path(), r#""$SYNTH" --config c.yaml --output /dev/stdout >> c.yaml"#);
    assert!(stderr.contains("descriptor 1 is open on the configuration file being read"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.path().join("c.yaml")).unwrap(), config);
}
