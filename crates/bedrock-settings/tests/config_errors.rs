//! Bad configurations get errors that name the file, line, column and key,
//! say what was expected, and suggest a fix; configurations built in code
//! meet the same rules.

mod common;

use bedrock_settings::{parse_config, validate, Config, ConfigErrors, S3Lifecycle};

/// Reads a file's bytes as synth does: decoded, then parsed.
fn load(bytes: &[u8], name: &str) -> Result<bedrock_settings::CheckedConfig, ConfigErrors> {
    parse_config(&module_kit::decode(bytes, name)?, name)
}

fn bad_configs() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-configs");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn every_bad_config_is_rejected_with_a_located_message() {
    for (name, bytes) in bad_configs() {
        let err = load(&bytes, &name).expect_err(&name);
        let text = err.to_string();
        assert!(text.starts_with(&format!("error: {name}")), "{name}: {text}");
        for e in &err.0 {
            // Without a position, the message says why: the file is empty,
            // or the key is not in it.
            assert!(
                e.position.is_some() || e.note.is_some() || e.problem == "the configuration is empty",
                "{name} has an error without a position or a reason: {text}"
            );
        }
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'),
            "{name}: {text:?}"
        );
        insta::with_settings!({ snapshot_path => common::root().join("snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("config-error-{}", name.trim_end_matches(".yaml")), text);
        });
    }
}

#[test]
fn typos_get_a_suggestion() {
    let err = parse_config("enableAuditLogingToCloudwatch: true\n", "c.yaml").unwrap_err();
    let e = &err.0[0];
    assert_eq!(e.key.as_deref(), Some("enableAuditLogingToCloudwatch"));
    assert_eq!(e.position, Some((1, 1)));
    assert_eq!(e.help.as_deref(), Some("did you mean `enableAuditLoggingToCloudwatch`?"));
}

#[test]
fn nested_problems_point_at_the_nested_key() {
    let yaml = "enableAuditLoggingToS3: true\ns3Lifecycle:\n  transitionToGlacierAfterDays: 365\n  expireAfterDays: 90\n";
    let err = parse_config(yaml, "c.yaml").unwrap_err();
    assert_eq!(err.0[0].key.as_deref(), Some("s3Lifecycle.expireAfterDays"));
    assert_eq!(err.0[0].position, Some((4, 3)));
}

#[test]
fn keys_are_located_whatever_the_style_and_line_endings() {
    let nested = |yaml: &str| parse_config(yaml, "c.yaml").unwrap_err().0[0].position;
    let block = "enableAuditLoggingToS3: true\ns3Lifecycle:\n  transitionToGlacierAfterDays: 365\n  expireAfterDays: 90\n";
    assert_eq!(nested(block), Some((4, 3)));
    assert_eq!(nested(&block.replace('\n', "\r\n")), Some((4, 3)));
    assert_eq!(nested(&block.replace('\n', "\r")), Some((4, 3)));
    let flow = "enableAuditLoggingToS3: true\ns3Lifecycle: {transitionToGlacierAfterDays: 365, expireAfterDays: 90}\n";
    assert_eq!(nested(flow), Some((2, 50)));
    let explicit = "enableAuditLoggingToS3: true\n? s3Lifecycle\n: ? expireAfterDays\n  : 0\n";
    assert_eq!(nested(explicit), Some((3, 5)));
}

#[test]
fn all_problems_are_reported_at_once_in_file_order() {
    let yaml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-configs/several-problems.yaml"),
    )
    .unwrap();
    let err = parse_config(&yaml, "c.yaml").unwrap_err();
    assert_eq!(err.0.len(), 2, "{err}");
    let lines: Vec<usize> = err.0.iter().map(|e| e.position.unwrap().0).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn a_key_the_file_does_not_set_says_so() {
    let err = parse_config("enableAuditLoggingToCloudwatch: false\n", "c.yaml").unwrap_err();
    let e = &err.0[0];
    assert_eq!(e.key.as_deref(), Some("enableAuditLoggingToS3"));
    assert_eq!(e.position, None);
    assert_eq!(e.note.as_deref(), Some("the file does not set `enableAuditLoggingToS3`"));
}

#[test]
fn defaults_fill_what_the_config_leaves_out() {
    let c = parse_config("enableAuditLoggingToCloudwatch: true\n", "c.yaml").unwrap();
    assert!(c.large_data_to_s3());
    assert!(c.needs_bucket());
    assert_eq!(c.ssm_prefix(), "/bedrock-settings");
    let d = c.data_delivery();
    assert!(d.text && d.image && d.embedding && d.video && d.audio);
}

#[test]
fn a_config_built_in_code_meets_the_same_rules() {
    let err = validate(Config::default()).unwrap_err();
    insta::with_settings!({ snapshot_path => common::root().join("snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("config-error-built-in-code", err.to_string());
    });
    let mut c = Config { enable_audit_logging_to_s3: true, ..Config::default() };
    c.s3_lifecycle = Some(S3Lifecycle { expire_after_days: Some(0), ..S3Lifecycle::default() });
    c.tags.insert("Owner".into(), "a".into());
    c.tags.insert("owner".into(), "b\u{b}".into());
    let err = validate(c.clone()).unwrap_err();
    let keys: Vec<_> = err.0.iter().map(|e| e.key.clone().unwrap()).collect();
    assert_eq!(keys, ["s3Lifecycle.expireAfterDays", "tags.owner", "tags.owner"], "{err}");
    assert!(err.0.iter().all(|e| e.file == module_kit::IN_CODE && e.position.is_none()));
    c.s3_lifecycle = None;
    c.tags.shift_remove("owner");
    let checked = validate(c).unwrap();
    assert!(bedrock_settings::synthesize(&checked).to_json().unwrap().contains("\"Owner\""));
}
