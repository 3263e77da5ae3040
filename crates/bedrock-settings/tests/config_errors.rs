//! Bad configurations get errors that name the file, line, column and key,
//! say what was expected, and suggest a fix.

mod common;

use bedrock_settings::parse_config;

fn bad_configs() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-configs");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn every_bad_config_is_rejected_with_a_located_message() {
    for (name, yaml) in bad_configs() {
        let err = parse_config(&yaml, &name).expect_err(&name);
        let text = err.to_string();
        assert!(text.starts_with(&format!("error: {name}")), "{name}: {text}");
        if name != "empty.yaml" {
            assert!(
                err.0.iter().all(|e| e.position.is_some()),
                "{name} has an error without a position: {text}"
            );
        }
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
fn defaults_fill_what_the_config_leaves_out() {
    let c = parse_config("enableAuditLoggingToCloudwatch: true\n", "c.yaml").unwrap();
    assert!(c.large_data_to_s3());
    assert!(c.needs_bucket());
    assert_eq!(c.ssm_prefix(), "/bedrock-settings");
    let d = c.data_delivery();
    assert!(d.text && d.image && d.embedding && d.video && d.audio);
}
