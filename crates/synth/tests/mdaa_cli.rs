//! `synth --mdaa`: an estate's templates with MDAA's names, the manifest,
//! errors that name the mdaa.yaml entry, and a folder never half-written.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).output().expect("synth runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The sample estate: two domains, several environments, env templates,
/// inline config, and modules this synth has not.
fn sample_estate() -> PathBuf {
    common::root().join("crates/mdaa/tests/fixtures/estate/mdaa.yaml")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// `templates/mdaa/` is what synth writes for the sample estate.
#[test]
fn committed_outputs_are_current() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let run = synth(&["--mdaa", sample_estate().to_str().unwrap(), "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let committed = common::root().join("templates/mdaa");
    let written = files_under(&dir);
    if std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&committed);
        for f in &written {
            std::fs::create_dir_all(committed.join(f).parent().unwrap()).unwrap();
            std::fs::copy(dir.join(f), committed.join(f)).unwrap();
        }
    }
    assert_eq!(
        files_under(&committed),
        written,
        "templates/mdaa is stale: run `UPDATE_GENERATED=1 cargo test -p synth`"
    );
    for f in &written {
        assert!(
            std::fs::read(dir.join(f)).unwrap() == std::fs::read(committed.join(f)).unwrap(),
            "templates/mdaa/{} is stale: run `UPDATE_GENERATED=1 cargo test -p synth`",
            f.display()
        );
    }
    let manifest: Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let skipped: Vec<&str> =
        manifest["skipped"].as_array().unwrap().iter().map(|s| s["module_path"].as_str().unwrap()).collect();
    assert!(skipped.contains(&"@aws-mdaa/datalake"), "{skipped:?}");
    assert_eq!(manifest["templates"][0]["stack_name"], "acme-dev-shared-bedrock-settings");
    // nag_suppressions reach the resource they name, once per rule.
    let prod: Value =
        serde_json::from_slice(&std::fs::read(dir.join("shared/prod/bedrock-settings.json")).unwrap())
            .unwrap();
    let nag = prod["Resources"]["constructbedrockinvocationlogss32FC6A3AD"]["Metadata"]["cdk_nag"]
        ["rules_to_suppress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(nag.iter().filter(|id| **id == "AwsSolutions-S1").count(), 1, "{nag:?}");
    assert!(nag.contains(&"NIST.800.53.R5-S3DefaultEncryptionKMS"), "{nag:?}");
    let estate_dir = sample_estate().parent().unwrap().to_path_buf();
    for t in manifest["templates"].as_array().unwrap() {
        for source in t["sources"].as_array().unwrap() {
            let source = Path::new(source.as_str().unwrap());
            assert!(
                source.is_relative(),
                "the manifest names {} by a path of this machine",
                source.display()
            );
            assert!(estate_dir.join(source).is_file(), "{} is not beside the mdaa.yaml", source.display());
        }
    }
}

/// `tokenUsageAlarms` in an mdaa.yaml is read like every other key: MDAA's
/// names for the alarms, the created topic and its parameter, and MDAA's
/// placeholders in an existing topic's ARN resolved.
#[test]
fn token_alarms_take_mdaa_names_and_resolved_placeholders() {
    let read = |f: &str| -> Value {
        serde_json::from_slice(&std::fs::read(common::root().join("templates/mdaa").join(f)).unwrap())
            .unwrap()
    };
    let created = read("analytics/test/bedrock-settings.json");
    let r = &created["Resources"];
    let prefix = "acme-test-analytics-bedrock-settings";
    assert_eq!(r["AlarmsTopic"]["Properties"]["TopicName"], format!("{prefix}-token-usage-alarms"));
    assert_eq!(
        r["AlarmTopicArnParameter"]["Properties"]["Name"],
        "/acme/analytics/bedrock-settings/topic/token-usage-alarms/arn"
    );
    for (id, suffix) in [
        ("TokenOutputAccountTotalAlarm", "token-output-account-total"),
        ("TokenInputModelNovaMicroAlarm", "token-input-model-nova-micro"),
        ("CloudWatchDeliveryFailureAlarm", "invocation-logs-cloudwatch-delivery-failure"),
    ] {
        let p = &r[id]["Properties"];
        assert_eq!(p["AlarmName"], format!("{prefix}-{suffix}"), "{id}");
        assert_eq!(p["AlarmActions"], serde_json::json!([{"Ref": "AlarmsTopic"}]), "{id}");
    }
    // `{{context:owner_email}}` resolved from the domain's context.
    let subscription =
        r.as_object().unwrap().values().find(|v| v["Type"] == "AWS::SNS::Subscription").unwrap();
    assert_eq!(subscription["Properties"]["Endpoint"], "analytics-oncall@example.com");

    // prod fixes account and region: MDAA's `{{partition}}:sns:{{region}}:{{account}}` become them,
    // the partition the stack's own.
    let existing = read("shared/prod/bedrock-settings.json");
    let alarm = &existing["Resources"]["TokenInputAccountTotalAlarm"]["Properties"];
    assert_eq!(alarm["AlarmName"], "acme-prod-shared-bedrock-settings-token-input-account-total");
    assert_eq!(
        alarm["AlarmActions"],
        serde_json::json!([{"Fn::Sub": "arn:${AWS::Partition}:sns:us-east-1:333333333333:ai-platform-alerts"}])
    );
    assert!(existing["Resources"].get("AlarmsTopic").is_none());
}

fn names_of(template: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in template["Resources"].as_object().unwrap().values() {
        let props = &r["Properties"];
        for key in ["BucketName", "AliasName", "LogGroupName", "RoleName", "Name"] {
            if let Some(v) = props.get(key).and_then(Value::as_str) {
                out.push((format!("{} {key}", r["Type"].as_str().unwrap()), v.to_string()));
            }
        }
        if let Some(v) = props["DatabaseInput"]["Name"].as_str() {
            out.push((format!("{} DatabaseInput.Name", r["Type"].as_str().unwrap()), v.to_string()));
        }
    }
    for o in template["Outputs"].as_object().into_iter().flat_map(|o| o.values()) {
        if let Some(v) = o["Export"]["Name"].as_str() {
            out.push(("Export Name".into(), v.to_string()));
        }
    }
    out.sort();
    out
}

/// For the instance of MDAA's own baseline, the bucket, key alias, log
/// group, service role and SSM parameter names are MDAA's, byte for byte;
/// and so are those of the audit module's instance.
#[test]
fn names_are_mdaas_byte_for_byte() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let run = synth(&[
        "--mdaa",
        fixture("reference/mdaa.yaml").to_str().unwrap(),
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let ours: Value = serde_json::from_slice(
        &std::fs::read(dir.join("test-domain/test-env/test-bedrock-settings-minimal.json")).unwrap(),
    )
    .unwrap();
    let baseline: Value = serde_json::from_slice(
        &std::fs::read(
            common::root().join("crates/mdaa/tests/fixtures/reference/mdaa-bedrock-settings.baseline.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let theirs = names_of(&baseline);
    let ours = names_of(&ours);
    for wanted in [
        ("AWS::S3::Bucket BucketName", "test-org-test-env-test-domain-test-bedrock-settings-m--18e1d147"),
        ("AWS::KMS::Alias AliasName", "alias/test-org-test-env-test-domain-test-bedrock-settings-minimal-bedrock-kms-key"),
        (
            "AWS::Logs::LogGroup LogGroupName",
            "/aws/bedrock/model-invocation-logs/test-org-test-env-test-domain-test-bedrock-settings-minimal-bedrock-model-invocation",
        ),
        ("AWS::IAM::Role RoleName", "test-org-test-env-test-domain-test-bedrock-settings-mi--458c0e44"),
        ("AWS::SSM::Parameter Name", "/test-org/test-domain/test-bedrock-settings-minimal/kms/bedrock-kms-key/arn"),
        ("AWS::SSM::Parameter Name", "/test-org/test-domain/test-bedrock-settings-minimal/bucket/logs-model-invocation/name"),
        ("AWS::SSM::Parameter Name", "/test-org/test-domain/test-bedrock-settings-minimal/bucket/logs-model-invocation/arn"),
        (
            "AWS::SSM::Parameter Name",
            "/test-org/test-domain/test-bedrock-settings-minimal/loggroup/bedrock-model-invocation/name",
        ),
    ] {
        let wanted = (wanted.0.to_string(), wanted.1.to_string());
        assert!(theirs.contains(&wanted), "the baseline has no {wanted:?}: the test is wrong");
        assert!(ours.contains(&wanted), "ours lack MDAA's {wanted:?}; ours are {ours:#?}");
    }

    // The audit module: bucket, key alias, Glue database, SSM parameters and exports.
    let ours: Value = serde_json::from_slice(
        &std::fs::read(dir.join("test-domain/test-env/test-audit-minimal.json")).unwrap(),
    )
    .unwrap();
    let baseline: Value = serde_json::from_slice(
        &std::fs::read(
            common::root()
                .join("crates/mdaa/tests/fixtures/reference/mdaa-audit/sample-config-minimal.baseline.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let (theirs, ours) = (names_of(&baseline), names_of(&ours));
    let module = "test-org-test-env-test-domain-test-audit-minimal";
    for wanted in [
        ("AWS::S3::Bucket BucketName", module.to_string()),
        ("AWS::KMS::Alias AliasName", format!("alias/{module}")),
        ("AWS::Glue::Database DatabaseInput.Name", module.replace('-', "_")),
        ("AWS::SSM::Parameter Name", "/test-org/test-domain/test-audit-minimal/kms/arn".into()),
        ("AWS::SSM::Parameter Name", "/test-org/test-domain/test-audit-minimal/kms/id".into()),
        ("AWS::SSM::Parameter Name", "/test-org/test-domain/test-audit-minimal/bucket/name".into()),
        ("AWS::SSM::Parameter Name", "/test-org/test-domain/test-audit-minimal/bucket/arn".into()),
        ("Export Name", "test-org:test-domain:test-audit-minimal:kms:arn".into()),
        ("Export Name", "test-org:test-domain:test-audit-minimal:bucket:arn".into()),
    ] {
        let wanted = (wanted.0.to_string(), wanted.1);
        assert!(theirs.contains(&wanted), "the baseline has no {wanted:?}: the test is wrong");
        assert!(ours.contains(&wanted), "ours lack MDAA's {wanted:?}; ours are {ours:#?}");
    }
}

fn snapshot(name: &str, value: &str) {
    insta::with_settings!({ snapshot_path => common::root().join("snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, value);
    });
}

/// Errors come with file, line and column, and nothing is written.
#[test]
fn a_broken_estate_is_reported_whole_and_nothing_is_written() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let run = synth(&[
        "--mdaa",
        fixture("broken-estate/mdaa.yaml").to_str().unwrap(),
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!dir.exists(), "nothing is written");
    assert!(files_under(out.path()).is_empty(), "no staging folder is left behind");
    snapshot(
        "mdaa-error-broken-estate",
        &text(&run.stderr).replace(&fixture("").display().to_string(), "<fixtures>/"),
    );
}

/// An error in a module config names the file and the mdaa.yaml entry that
/// pulled it in; one bad instance does not hide another's errors.
#[test]
fn broken_module_configs_name_their_entry() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let run = synth(&[
        "--mdaa",
        fixture("broken-config/mdaa.yaml").to_str().unwrap(),
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!dir.exists());
    let err = text(&run.stderr).replace(&fixture("").display().to_string(), "<fixtures>/");
    assert!(err.contains("bad.yaml:2:1"), "{err}");
    assert!(err.contains("in: domains.shared.environments.dev.modules.logs-inline"), "{err}");
    snapshot("mdaa-error-broken-module-config", &err);
}

/// `recommendedAlarms` is the module's key, not MDAA's: an mdaa.yaml's module
/// config carries it to the module like any other, and its alarms take MDAA's names.
#[test]
fn recommended_alarms_are_read_from_a_module_config_and_take_mdaa_names() {
    let t = one_logs_instance(
        "enableAuditLoggingToCloudwatch: true
cloudwatchLargeDataDeliveryToS3: false
tokenUsageAlarms:
  createNotificationTopic: true
  accountTotal: {inputTokenThreshold: 50000000}
recommendedAlarms:
  throttles: {threshold: 20}
  serverErrors: {enabled: false}
",
    );
    let p = &t["Resources"]["ThrottlesAccountTotalAlarm"]["Properties"];
    assert_eq!(p["AlarmName"], "acme-dev-shared-logs-invocation-throttles-account-total");
    assert_eq!(p["Threshold"], 20);
    assert!(t["Resources"].get("ServerErrorsAccountTotalAlarm").is_none(), "switched off");
}

/// `s3ObjectLock` and `cloudwatchDataProtection` reach the module from an mdaa.yaml's
/// module config; the findings log group takes MDAA's name (its last part, as MDAA names
/// log groups).
#[test]
fn object_lock_and_masking_are_read_from_a_module_config() {
    let t = one_logs_instance(
        "enableAuditLoggingToS3: true
enableAuditLoggingToCloudwatch: true
cloudwatchLogRetentionDays: 2192
s3ObjectLock: {mode: COMPLIANCE, years: 6}
cloudwatchDataProtection: {identifiers: [EmailAddress]}
",
    );
    let r = &t["Resources"];
    let retention = &r[mdaa_id("InvocationLogsBucket")]["Properties"]["ObjectLockConfiguration"]["Rule"]
        ["DefaultRetention"];
    assert_eq!((retention["Mode"].as_str(), retention["Years"].as_u64()), (Some("COMPLIANCE"), Some(6)));
    let findings = &r["DataProtectionFindingsLogGroup"]["Properties"];
    let name = findings["LogGroupName"].as_str().expect("a literal MDAA name");
    assert_eq!(name, "/aws/bedrock/model-invocation-logs/acme-dev-shared-logs-data-protection-findings");
    assert_eq!(findings["RetentionInDays"], 2192);
    let policy = &r[mdaa_id("InvocationLogsLogGroup")]["Properties"]["DataProtectionPolicy"];
    assert_eq!(
        policy["Statement"][0]["Operation"]["Audit"]["FindingsDestination"]["CloudWatchLogs"]["LogGroup"]
            ["Ref"],
        "DataProtectionFindingsLogGroup"
    );
}

/// `logAnalytics` is the module's key too: an mdaa.yaml's module config carries it to the
/// module, and its database, workgroup, results bucket and query policy take MDAA's names.
#[test]
fn log_analytics_is_read_from_a_module_config_and_takes_mdaa_names() {
    let t = one_logs_instance(
        "enableAuditLoggingToS3: true
logAnalytics:
  bytesScannedCutoffPerQuery: 20000000000
  readerRoles: [analyst]
",
    );
    let r = &t["Resources"];
    assert_eq!(
        r["InvocationLogsDatabase"]["Properties"]["DatabaseInput"]["Name"],
        "acme_dev_shared_logs_invocation_logs"
    );
    let workgroup = &r["InvocationLogsWorkGroup"]["Properties"];
    assert_eq!(workgroup["Name"], "acme-dev-shared-logs-bedrock-invocation-logs");
    assert_eq!(workgroup["WorkGroupConfiguration"]["BytesScannedCutoffPerQuery"], 20_000_000_000_i64);
    assert_eq!(r["QueryResultsBucket"]["Properties"]["BucketName"], "acme-dev-shared-logs-query-results");
    let policy = &r["QueryInvocationLogsPolicy"]["Properties"];
    assert_eq!(policy["ManagedPolicyName"], "acme-dev-shared-logs-invocation-logs-query");
    assert_eq!(policy["Roles"], serde_json::json!(["analyst"]));
}

/// The template `synth --mdaa` writes for one bedrock-settings instance whose
/// `module_config_data` is `config` (its keys at the left margin).
fn one_logs_instance(config: &str) -> Value {
    let out = tempfile::tempdir().unwrap();
    let estate = out.path().join("mdaa.yaml");
    let data: String = config.lines().map(|l| format!("              {l}\n")).collect();
    let yaml = format!(
        "organization: acme\ndomains:\n  shared:\n    environments:\n      dev:\n        modules:\n          logs:\n            module_path: '@aws-mdaa/bedrock-settings'\n            module_config_data:\n{data}"
    );
    std::fs::write(&estate, yaml).unwrap();
    let dir = out.path().join("out");
    let run = synth(&["--mdaa", estate.to_str().unwrap(), "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    serde_json::from_slice(&std::fs::read(dir.join("shared/dev/logs.json")).unwrap()).unwrap()
}

/// The logical ID `synth --mdaa` writes a bedrock-settings resource under.
fn mdaa_id(id: &str) -> String {
    common::written_id(bedrock_settings::MDAA_CONSTRUCT_PATHS, id)
}

/// Every entry under `dir` with its content (links and folders marked),
/// to show that a refused run changed nothing.
fn snapshot_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
                out.push((rel, b"<dir>".to_vec()));
            } else if ft.is_symlink() {
                out.push((rel, b"<link>".to_vec()));
            } else {
                out.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// An earlier run's output is replaced; a template it no longer has is
/// removed, and so are folders left empty.
#[test]
fn an_earlier_output_is_replaced_and_what_it_no_longer_has_removed() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let estate = fixture("reference/mdaa.yaml");
    let args = ["--mdaa", estate.to_str().unwrap(), "--out-dir", dir.to_str().unwrap()];
    assert_eq!(synth(&args).status.code(), Some(0));
    let first = snapshot_of(&dir);
    let again = synth(&args);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(snapshot_of(&dir), first, "the same estate writes the same folder");

    // The estate loses its instances: their templates and folders go.
    let fewer = out.path().join("mdaa.yaml");
    std::fs::write(
        &fewer,
        "organization: org\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n          m:\n            module_path: '@aws-mdaa/other'\n",
    )
    .unwrap();
    let run = synth(&["--mdaa", fewer.to_str().unwrap(), "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(files_under(&dir), [PathBuf::from("manifest.json")]);
    assert_eq!(files_under(out.path()), [PathBuf::from("mdaa.yaml"), PathBuf::from("out/manifest.json")]);
}

/// Anything in the folder that the earlier run's manifest does not record
/// makes the run refuse with exit 2, listing it, and nothing changes: a
/// file of the user's, a `.git/` folder, the mdaa.yaml itself, a template
/// edited since, a link.
#[test]
fn what_synth_did_not_write_is_listed_and_nothing_changes() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let estate = fixture("reference/mdaa.yaml");
    let args = ["--mdaa", estate.to_str().unwrap(), "--out-dir", dir.to_str().unwrap()];
    assert_eq!(synth(&args).status.code(), Some(0));
    std::fs::write(dir.join("NOTES.md"), "mine").unwrap();
    std::fs::create_dir_all(dir.join(".git/objects")).unwrap();
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let template = dir.join("test-domain/test-env/test-audit-minimal.json");
    let mut edited = std::fs::read(&template).unwrap();
    edited.extend_from_slice(b" ");
    std::fs::write(&template, edited).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", dir.join("test-domain/etc")).unwrap();
    let before = snapshot_of(out.path());
    let run = synth(&args);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    for line in [
        "the folder holds what an earlier `synth --mdaa` did not write, so nothing was written or removed:",
        "  .git: not written by synth (not in its manifest)",
        "  NOTES.md: not written by synth (not in its manifest)",
        "  test-domain/test-env/test-audit-minimal.json: changed since synth wrote it (its SHA-256 differs from the manifest's)",
        "  help: move these out of the folder, or give a new --out-dir",
    ] {
        assert!(err.contains(line), "{line:?} not in {err}");
    }
    #[cfg(unix)]
    assert!(err.contains("  test-domain/etc: a symbolic link, which synth never writes"), "{err}");
    assert_eq!(snapshot_of(out.path()), before, "a refused run changes nothing");

    // The mdaa.yaml in the folder it writes to.
    let inside = tempfile::tempdir().unwrap();
    let yaml = inside.path().join("mdaa.yaml");
    std::fs::write(&yaml, "organization: org\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n          m:\n            module_path: '@aws-mdaa/other'\n").unwrap();
    let run = synth(&["--mdaa", yaml.to_str().unwrap(), "--out-dir", inside.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("  mdaa.yaml: not written by synth (not in its manifest)"),
        "{}",
        text(&run.stderr)
    );
    assert!(
        text(&run.stderr).contains("  manifest.json: not a manifest synth wrote: there is none"),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(files_under(inside.path()), [PathBuf::from("mdaa.yaml")]);
}

/// A manifest written by hand does not make a folder synth's, even one
/// that names the files, unless it is byte for byte what synth wrote.
#[test]
fn a_forged_manifest_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let estate = fixture("reference/mdaa.yaml");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("manifest.json"), r#"{"generator": "synth --mdaa"}"#).unwrap();
    std::fs::write(dir.join("data.csv"), "precious").unwrap();
    let args = ["--mdaa", estate.to_str().unwrap(), "--out-dir", dir.to_str().unwrap()];
    let run = synth(&args);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(
        err.contains(
            "  manifest.json: not a manifest synth wrote: it is not laid out as synth writes a manifest"
        ),
        "{err}"
    );
    assert!(err.contains("  data.csv: not written by synth"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("data.csv")).unwrap(), "precious");

    // Laid out as synth writes it, but naming a file with another content.
    let forged = serde_json::json!({
        "generator": "synth --mdaa",
        "templates": [{"template": "data.csv", "sha256": "0".repeat(64)}],
    });
    std::fs::write(dir.join("manifest.json"), serde_json::to_string_pretty(&forged).unwrap() + "\n").unwrap();
    let run = synth(&args);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("  data.csv: changed since synth wrote it"), "{}", text(&run.stderr));
    // Or a path outside the folder.
    let outside = serde_json::json!({
        "generator": "synth --mdaa",
        "templates": [{"template": "../elsewhere.json", "sha256": "0".repeat(64)}],
    });
    std::fs::write(dir.join("manifest.json"), serde_json::to_string_pretty(&outside).unwrap() + "\n")
        .unwrap();
    let run = synth(&args);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("it lists `../elsewhere.json`, which is not a path inside the folder"),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(std::fs::read_to_string(dir.join("data.csv")).unwrap(), "precious");
}

/// A symbolic link to a folder is written through and stays a link; the
/// folder keeps its mode and owner; a file is refused as one.
#[cfg(unix)]
#[test]
fn a_linked_folder_is_written_through_and_keeps_its_mode_and_owner() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let out = tempfile::tempdir().unwrap();
    let real = out.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o2750)).unwrap();
    // As root, another owner shows that it is kept; otherwise the own one is.
    let _ = std::os::unix::fs::chown(&real, Some(4242), Some(4242));
    let owner = std::fs::metadata(&real).map(|m| (m.uid(), m.gid())).unwrap();
    let link = out.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let estate = fixture("reference/mdaa.yaml");
    let args = ["--mdaa", estate.to_str().unwrap(), "--out-dir", link.to_str().unwrap()];
    for _ in 0..2 {
        let run = synth(&args);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert!(real.join("manifest.json").is_file(), "written through the link");
        let meta = std::fs::metadata(&real).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, 0o2750);
        assert_eq!((meta.uid(), meta.gid()), owner);
    }
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["link", "real"], "nothing beside the folder");
    assert!(!files_under(&real).iter().any(|f| f.to_string_lossy().contains(".synth-")), "no staging left");

    let file = out.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let run = synth(&["--mdaa", estate.to_str().unwrap(), "--out-dir", file.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("file: is a file, not a folder"), "{}", text(&run.stderr));
}

/// A file of aliases that would expand to gigabytes, as an mdaa.yaml or as
/// a tag file, is refused at the bound it passes, with exit 2.
#[test]
fn alias_bombs_are_refused_at_the_bound() {
    let out = tempfile::tempdir().unwrap();
    let mut bomb = format!("a: &a [{}x]\n", "x, ".repeat(999));
    for (name, prev) in
        ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
    }
    let estate = out.path().join("mdaa.yaml");
    std::fs::write(&estate, format!("{bomb}organization: org\n")).unwrap();
    let dir = out.path().join("out");
    let run = synth(&["--mdaa", estate.to_str().unwrap(), "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(err.contains("mdaa.yaml:1:"), "{err}");
    assert!(
        err.contains(
            "the file holds more than 250,000 values (an alias counts its anchor's values again each time)"
        ),
        "{err}"
    );
    assert!(!dir.exists());

    std::fs::write(out.path().join("tags.yaml"), format!("{bomb}tags: {{a: b}}\n")).unwrap();
    std::fs::write(
        &estate,
        "organization: org\ntag_configs: [tags.yaml]\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n          m:\n            module_path: '@aws-mdaa/audit'\n",
    )
    .unwrap();
    let run = synth(&["--mdaa", estate.to_str().unwrap(), "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(err.contains("tags.yaml:1:"), "{err}");
    assert!(err.contains("holds more than 20,000 values"), "{err}");
    assert!(files_under(out.path()).iter().all(|f| f.extension().is_some_and(|e| e == "yaml")));
}

/// `--mdaa /dev/zero` is refused after the bound, not read until memory
/// runs out.
#[cfg(unix)]
#[test]
fn an_endless_mdaa_yaml_is_refused_at_the_size_bound() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let run = synth(&["--mdaa", "/dev/zero", "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(
        err.contains("/dev/zero: holds more than 8,388,608 bytes; refused without reading further"),
        "{err}"
    );
    assert!(!dir.exists());
}

/// MDAA's tags are held to AWS's tag rules, as a module's own are: each
/// problem where the tag is written, and nothing printed raw.
#[test]
fn tags_aws_would_reject_are_refused_where_they_are_written() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(
        out.path().join("tags.yaml"),
        "tags:\n  aws:owner: me\n  Team: data\n  \"bell\\e[31m\": x\n",
    )
    .unwrap();
    let estate = out.path().join("mdaa.yaml");
    std::fs::write(
        &estate,
        "organization: org\ntag_configs: [tags.yaml]\ntag_config_data:\n  team: other\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n          m:\n            module_path: '@aws-mdaa/audit'\n",
    )
    .unwrap();
    let dir = out.path().join("out");
    let run = synth(&["--mdaa", estate.to_str().unwrap(), "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(
        err.contains(
            "tags.yaml:2:3: `tags.aws:owner`: MDAA tag: tag keys starting with `aws:` are reserved for AWS"
        ),
        "{err}"
    );
    assert!(err.contains("mdaa.yaml:4:3: `tag_config_data.team`: MDAA tag: the tag key `team` differs from `Team` only in case"), "{err}");
    assert!(err.contains("MDAA tag: the character U+001B is not allowed in tags"), "{err}");
    assert!(err.contains(r"`tags.bell\u{1b}[31m`"), "{err}");
    assert!(!err.contains('\u{1b}'), "an escape character reached the terminal: {err:?}");
    assert!(!dir.exists());
}
