//! The `synth` binary: outputs, exit codes, atomic writes and checks, and
//! what it refuses to read or overwrite.

mod common;

use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).output().expect("synth runs")
}

fn sample(name: &str) -> String {
    common::root().join("crates/bedrock-settings/samples").join(name).display().to_string()
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
    // The same report `synth diff` gives: what deploying the configuration over FILE would do.
    let report = text(&other.stdout);
    assert!(report.starts_with("10 resources changed: 1 orphaned, 6 removed, 4 updated"), "{report}");
    assert!(report.contains("[!] InvocationLogsLogGroup AWS::Logs::LogGroup removed, orphaned"), "{report}");
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

/// Runs synth in `dir`.
fn synth_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).current_dir(dir).args(args).output().expect("synth runs")
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn mkfifo(p: &Path) {
    assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
}

const S3_ONLY: &str = "enableAuditLoggingToS3: true\n";

#[test]
fn module_selects_the_module_by_name() {
    let named = synth(&["--module", "bedrock-settings"]);
    assert_eq!(named.status.code(), Some(0));
    assert_eq!(named.stdout, synth(&[]).stdout);
    let typo = synth(&["--module", "bedrock-setings"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(typo.stdout.is_empty());
    assert_eq!(
        text(&typo.stderr),
        "error: no module `bedrock-setings`\n  expected: one of `bedrock-settings`, `audit`\n  help: did you mean `bedrock-settings`?\n"
    );
}

#[test]
fn output_onto_a_device_writes_through_and_keeps_the_node() {
    let before = std::fs::metadata("/dev/null").unwrap();
    let out = synth(&["--output", "/dev/null"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = std::fs::metadata("/dev/null").unwrap();
    assert!(after.file_type().is_char_device(), "/dev/null is still a device");
    assert_eq!(std::os::unix::fs::MetadataExt::rdev(&before), std::os::unix::fs::MetadataExt::rdev(&after));
    assert_eq!(mode(Path::new("/dev/null")), before.permissions().mode() & 0o7777);
}

#[test]
fn output_onto_dev_stdout_reaches_the_pipe() {
    let out = synth(&["--output", "/dev/stdout"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(out.stdout, synth(&[]).stdout);
}

#[test]
fn output_onto_a_fifo_writes_through() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            std::fs::File::open(fifo).unwrap().read_to_string(&mut s).unwrap();
            s
        })
    };
    let out = synth(&["--output", fifo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let committed = std::fs::read_to_string(common::root().join("templates/both-destinations.json")).unwrap();
    assert_eq!(reader.join().unwrap(), committed);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn output_refuses_sockets_directories_and_block_devices() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    for (target, why) in
        [(socket.to_str().unwrap(), "is a socket"), (dir.path().to_str().unwrap(), "is a directory")]
    {
        let out = synth(&["--output", target]);
        assert_eq!(out.status.code(), Some(2), "{target}");
        assert!(out.stdout.is_empty());
        assert!(text(&out.stderr).contains(why), "{}", text(&out.stderr));
    }
    assert!(std::fs::symlink_metadata(&socket).unwrap().file_type().is_socket());
    if let Some(block) = ["/dev/loop0", "/dev/sda", "/dev/vda", "/dev/nvme0n1"]
        .into_iter()
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.file_type().is_block_device()))
    {
        let out = synth(&["--output", block]);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("is a block device"), "{}", text(&out.stderr));
    }
}

#[test]
fn output_through_a_symlink_replaces_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old\n").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let out = synth_in(dir.path(), &["--output", "link.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("{\n"));
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink("new.json", &dangling).unwrap();
    assert_eq!(synth_in(dir.path(), &["--output", "dangling.json"]).status.code(), Some(0));
    assert!(std::fs::read_to_string(dir.path().join("new.json")).unwrap().starts_with("{\n"));
}

#[test]
fn output_never_overwrites_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.yaml");
    std::fs::write(&config, S3_ONLY).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("c.yaml", dir.path().join("link.yaml")).unwrap();
    std::fs::hard_link(&config, dir.path().join("hard.yaml")).unwrap();
    for target in ["c.yaml", "./sub/../c.yaml", "link.yaml", "hard.yaml"] {
        let out = synth_in(dir.path(), &["--config", "c.yaml", "--output", target]);
        assert_eq!(out.status.code(), Some(2), "{target}");
        assert!(
            text(&out.stderr).contains("this is the configuration file being read"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(std::fs::read_to_string(&config).unwrap(), S3_ONLY, "{target}");
    }
    let via_link = synth_in(dir.path(), &["--config", "link.yaml", "--output", "hard.yaml"]);
    assert_eq!(via_link.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), S3_ONLY);
}

#[test]
fn special_permission_bits_are_not_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.json");
    for (before, after) in [(0o4755, 0o755), (0o2777, 0o777), (0o1644, 0o644), (0o6750, 0o750)] {
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(before)).unwrap();
        assert_eq!(mode(&file), before, "the test could set {before:o}");
        assert_eq!(synth(&["--output", file.to_str().unwrap()]).status.code(), Some(0));
        assert_eq!(mode(&file), after, "{before:o} became {:o}", mode(&file));
    }
}

#[test]
fn a_replaced_file_keeps_its_owner_and_group_where_the_user_may_set_them() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.json");
    std::fs::write(&file, "old").unwrap();
    // Only root may give a file away; for anyone else the replacement is theirs.
    if std::fs::metadata(&file).unwrap().uid() != 0 {
        return;
    }
    std::os::unix::fs::chown(&file, Some(12345), Some(23456)).unwrap();
    assert_eq!(synth(&["--output", file.to_str().unwrap()]).status.code(), Some(0));
    let m = std::fs::metadata(&file).unwrap();
    assert_eq!((m.uid(), m.gid()), (12345, 23456));
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("{\n"));
}

#[test]
fn oversized_and_endless_inputs_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    let mut f = std::fs::File::create(&big).unwrap();
    f.write_all(S3_ONLY.as_bytes()).unwrap();
    f.write_all(&vec![b'#'; 2 << 20]).unwrap();
    let deep = dir.path().join("deep.yaml");
    std::fs::write(&deep, format!("tags: {}", "[".repeat(500_000))).unwrap();
    let committed = common::root().join("templates/both-destinations.json");
    for args in [
        vec!["--config", big.to_str().unwrap()],
        vec!["--config", "/dev/zero"],
        vec!["--check", "/dev/zero"],
        vec!["--check", big.to_str().unwrap()],
        vec!["--config", deep.to_str().unwrap()],
        vec!["--config", "/dev/zero", "--check", committed.to_str().unwrap()],
    ] {
        let start = Instant::now();
        let out = synth(&args);
        // Not a timing assertion: a run that read forever would never get here.
        eprintln!("{args:?}: {:?}", start.elapsed());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
        let err = text(&out.stderr);
        assert!(err.contains("1,048,576 bytes") || err.contains("nest more than 64 deep"), "{args:?}: {err}");
    }
}

#[test]
fn a_fifo_without_a_writer_is_waited_for_out_loud() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.fifo");
    mkfifo(&fifo);
    let mut child = Command::new(env!("CARGO_BIN_EXE_synth"))
        .args(["--config", fifo.to_str().unwrap(), "--validate"])
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut notice = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut notice).unwrap();
    assert!(
        notice.contains("waiting for") && notice.contains("(a FIFO) to deliver the configuration"),
        "{notice}"
    );
    std::fs::OpenOptions::new().write(true).open(&fifo).unwrap().write_all(S3_ONLY.as_bytes()).unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0), "{rest}");
    assert!(rest.contains("the configuration is valid"), "{rest}");
}

#[test]
fn directories_and_sockets_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    for (path, why) in [(dir.path(), "it is a directory"), (socket.as_path(), "it is a socket")] {
        let out = synth(&["--config", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains(why), "{}", text(&out.stderr));
    }
}

#[test]
fn a_template_over_the_inline_limit_is_an_error_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.yaml");
    let mut yaml =
        String::from("enableAuditLoggingToS3: true\nenableAuditLoggingToCloudwatch: true\ntags:\n");
    for i in 0..40 {
        yaml.push_str(&format!("  key{i:02}{}: {}\n", "k".repeat(100), "v".repeat(200)));
    }
    std::fs::write(&config, yaml).unwrap();
    let c = config.to_str().unwrap();
    let refused = synth(&["--config", c]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
    assert!(text(&refused.stderr)
        .contains("over the 51,200 bytes that `aws cloudformation deploy` accepts without --s3-bucket"));
    let large = synth(&["--config", c, "--large-template"]);
    assert_eq!(large.status.code(), Some(0));
    assert!(large.stdout.len() > bedrock_settings::MAX_INLINE_TEMPLATE_BYTES);
    assert!(text(&large.stderr).starts_with("note: the template is"), "{}", text(&large.stderr));
}

#[test]
fn messages_escape_what_would_drive_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}[2J.yaml";
    std::fs::write(dir.path().join(name), "enableAuditLoggingToS3: maybe\n").unwrap();
    let out = synth_in(dir.path(), &["--config", name]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.starts_with("error: evil\\u{1b}[2J.yaml:1:25:"), "{err}");
    let missing = synth_in(dir.path(), &["--config", "gone\u{7}.yaml"]);
    assert!(
        text(&missing.stderr).starts_with("error: gone\\u{7}.yaml: cannot read"),
        "{}",
        text(&missing.stderr)
    );
}

#[test]
fn check_compares_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.json");
    std::fs::write(&file, b"\xff\xfe not a template").unwrap();
    let out = synth(&["--check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn help_shows_examples() {
    let out = synth(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    insta::with_settings!({ snapshot_path => common::root().join("snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("cli-help", text(&out.stdout));
    });
}
