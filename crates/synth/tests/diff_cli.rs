//! `synth diff` and `synth graph`: what they print for the project's own
//! templates, their formats and exit codes, and the graph README shows.

mod common;

use std::process::{Command, Output};

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).output().expect("synth runs")
}

fn template(name: &str) -> String {
    common::root().join("templates").join(format!("{name}.json")).display().to_string()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn snapshot(name: &str, value: &str) {
    insta::with_settings!({ snapshot_path => common::root().join("snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, value);
    });
}

/// What changing one sample configuration into another does to a stack:
/// the reviews a pull request between them would get.
#[test]
fn the_sample_pairs() {
    for (old, new) in [
        ("s3-only", "both-destinations"),
        ("both-destinations", "full"),
        ("cloudwatch-only", "cloudwatch-large-data"),
        ("both-destinations", "s3-only"),
    ] {
        let out = synth(&["diff", &template(old), &template(new), "--no-color"]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let report = text(&out.stdout).replace(&common::root().display().to_string(), "<repo>");
        snapshot(&format!("diff-{old}-to-{new}"), &report);
    }
    let md = synth(&[
        "diff",
        &template("both-destinations"),
        &template("full"),
        "--format",
        "markdown",
        "--graph",
    ]);
    snapshot(
        "diff-both-destinations-to-full.md",
        &text(&md.stdout).replace(&common::root().display().to_string(), "<repo>"),
    );
}

#[test]
fn no_difference_exits_0_and_fail_on_exits_3() {
    let same = synth(&["diff", &template("full"), &template("full")]);
    assert_eq!(same.status.code(), Some(0));
    // Full moves the SSM parameters under another prefix: replacements.
    let replaced =
        synth(&["diff", &template("both-destinations"), &template("full"), "--fail-on", "replacement"]);
    assert_eq!(replaced.status.code(), Some(3));
    let security =
        synth(&["diff", &template("s3-only"), &template("both-destinations"), "--fail-on", "security"]);
    assert_eq!(security.status.code(), Some(3));
    let neither = synth(&["diff", &template("full"), &template("full"), "--fail-on", "security"]);
    assert_eq!(neither.status.code(), Some(0));
}

#[test]
fn a_committed_template_against_its_configuration() {
    let sample = common::root().join("crates/bedrock-settings/samples/s3-only.yaml");
    let same = synth(&["diff", "--config", sample.to_str().unwrap(), &template("s3-only")]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
    let other = synth(&[
        "diff",
        "--config",
        sample.to_str().unwrap(),
        &template("both-destinations"),
        "--format",
        "json",
    ]);
    assert_eq!(other.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&other.stdout).expect("JSON");
    assert!(report["resources"].as_array().is_some_and(|r| !r.is_empty()), "{report}");
}

#[test]
fn unreadable_templates_are_errors_with_their_location() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"Resources\": {\"A\": ").unwrap();
    let out = synth(&["diff", bad.to_str().unwrap(), &template("full")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("bad.json:1:"), "{err}");
}

#[test]
fn graphs_in_mermaid_and_dot() {
    let mermaid = synth(&["graph", &template("s3-only")]);
    assert_eq!(mermaid.status.code(), Some(0));
    let m = text(&mermaid.stdout);
    assert!(m.starts_with("flowchart"), "{m}");
    assert!(m.contains("InvocationLogsBucketPolicy") && m.contains("InvocationLogsBucket"), "{m}");
    let dot = synth(&["graph", &template("s3-only"), "--format", "dot"]);
    assert!(text(&dot.stdout).starts_with("digraph"), "{}", text(&dot.stdout));
    // Without a template: what the default configuration synthesizes.
    let default = synth(&["graph"]);
    assert_eq!(text(&default.stdout), text(&synth(&["graph", &template("both-destinations")]).stdout));
}

/// README shows the graph of the default template: it is the one synth draws now.
#[test]
fn readme_shows_the_current_graph() {
    let graph = text(&synth(&["graph"]).stdout);
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let block = format!("```mermaid\n{graph}```\n");
    assert!(readme.contains(&block), "README's graph of the default template is stale; it is now:\n{block}");
}

/// One anchored list of `n` items referenced `n` times: n² values.
fn alias_bomb(n: usize) -> String {
    let items: String = (0..n).map(|i| format!("  - i{i}\n")).collect();
    let refs: String = (0..n).map(|i| format!("  k{i}: *a\n")).collect();
    format!("Anchor: &a\n{items}Resources:\n  R:\n    Type: AWS::S3::Bucket\nMore:\n{refs}")
}

/// Templates over the reading bounds are refused by every command that
/// reads one, with exit 2, the place and the bound, and nothing on stdout.
#[test]
fn hostile_templates_are_refused_by_diff_graph_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p.display().to_string()
    };
    let bomb = write("bomb.yaml", &alias_bomb(2_000));
    let deep = write("deep.yaml", &"[".repeat(160_000));
    let repeated = write("repeated.json", "{\"Resources\": {\n  \"A\": {\"Type\": \"AWS::S3::Bucket\"},\n  \"A\": {\"Type\": \"AWS::S3::Bucket\"}}}\n");
    let full = template("full");
    for (file, says) in [
        (&bomb, "(an alias counts its anchor's"),
        (&deep, "deep.yaml:1:101: lists and mappings nest more than 100 deep"),
        (&repeated, "repeated.json:3:3: Resources: the key `A` is given twice in this mapping"),
    ] {
        for args in [
            vec!["diff", file.as_str(), full.as_str()],
            vec!["diff", full.as_str(), file.as_str()],
            vec!["graph", file.as_str()],
        ] {
            let out = synth(&args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
            assert!(out.stdout.is_empty(), "{args:?}");
            assert!(text(&out.stderr).contains(says), "{args:?}: {}", text(&out.stderr));
        }
        // --check compares bytes first; a committed template that differs
        // and is refused is an error, not a difference.
        let sample = common::root().join("crates/bedrock-settings/samples/s3-only.yaml");
        let out = synth(&["--config", sample.to_str().unwrap(), "--check", file]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains(says) && err.contains("run synth with --output to rewrite it"), "{err}");
    }
}

/// What a template names cannot drive the terminal `synth diff` and
/// `synth graph` print on.
#[test]
fn template_text_is_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(&old, r#"{"Resources": {"A": {"Type": "AWS::SQS::Queue"}}}"#).unwrap();
    std::fs::write(
        &new,
        r#"{"Resources": {"A": {"Type": "AWS::SQS::Queue"}, "B\r\u001b[2Kno differences\u0007": {"Type": "AWS::SQS::Queue\n```\n# Heading", "DependsOn": "A"}}}"#,
    )
    .unwrap();
    let (old, new) = (old.display().to_string(), new.display().to_string());
    for args in [
        vec!["diff", &old, &new],
        vec!["diff", &old, &new, "--format", "markdown", "--graph"],
        vec!["diff", &old, &new, "--format", "json"],
        vec!["graph", &new],
        vec!["graph", &new, "--format", "dot"],
    ] {
        let out = synth(&args);
        let shown = text(&out.stdout);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{args:?}: {shown:?}");
        assert!(
            !shown.lines().any(|l| l.starts_with("no differences") || l.starts_with("# Heading")),
            "{shown}"
        );
    }
}
