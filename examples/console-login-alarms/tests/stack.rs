//! The example stack: its committed template, what it wires, its config
//! errors.

use std::path::{Path, PathBuf};
use std::process::Command;

use console_login_alarms::ConsoleLoginAlarms;
use module_kit::Module;
use serde_json::{json, Value};

fn here(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

const TEMPLATE: &str = "../../templates/examples/console-login-alarms.json";

fn template() -> Value {
    let config =
        module_kit::load(&ConsoleLoginAlarms, include_str!("../sample.yaml"), "sample.yaml").unwrap();
    serde_json::from_str(&ConsoleLoginAlarms.synthesize(&config).to_json().unwrap()).unwrap()
}

/// Regenerate with `cargo run -p console-login-alarms -- --output templates/examples/console-login-alarms.json`.
#[test]
fn the_committed_template_is_what_the_sample_synthesizes() {
    let out = Command::new(env!("CARGO_BIN_EXE_console-login-alarms"))
        .arg("--config")
        .arg(here("sample.yaml"))
        .arg("--check")
        .arg(here(TEMPLATE))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{TEMPLATE} is stale: run `cargo run -p console-login-alarms -- --output \
         templates/examples/console-login-alarms.json` and review the diff\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_alarm_counts_failed_sign_ins_of_the_trail_and_emails_them_through_the_encrypted_topic() {
    let t = template();
    let r = &t["Resources"];
    let filter = &r["FailedSignInsMetricFilter"]["Properties"];
    assert_eq!(filter["LogGroupName"], json!({"Ref": "TrailLogGroup"}));
    assert!(filter["FilterPattern"]
        .as_str()
        .unwrap()
        .contains(r#"$.errorMessage = "Failed authentication""#));
    let alarm = &r["FailedSignInsAlarm"]["Properties"];
    assert_eq!(alarm["MetricName"], "FailedSignIns");
    assert_eq!(alarm["Namespace"], "ConsoleSignIns");
    assert_eq!((alarm["Statistic"].as_str(), alarm["Period"].as_i64()), (Some("Sum"), Some(300)));
    assert_eq!(alarm["ComparisonOperator"], "GreaterThanThreshold");
    assert_eq!(alarm["Threshold"], 3.0);
    assert_eq!(alarm["AlarmActions"], json!([{"Ref": "AlarmsTopic"}]));
    assert_eq!(r["AlarmsTopic"]["Properties"]["KmsMasterKeyId"], json!({"Fn::GetAtt": ["TrailKey", "Arn"]}));
    assert_eq!(r["AlarmsEmail0Subscription"]["Properties"]["Endpoint"], "security@example.com");
    let trail = &r["AccountTrail"]["Properties"];
    assert_eq!(trail["CloudWatchLogsLogGroupArn"], json!({"Fn::GetAtt": ["TrailLogGroup", "Arn"]}));
    assert_eq!(trail["TrailName"], json!({"Fn::Sub": "account-trail-${AWS::Region}"}));
    assert_eq!(r["TrailLogGroup"]["Properties"]["RetentionInDays"], 365);
    // Every statement that lets a service in carries the confused-deputy conditions, or the
    // encryption context that scopes CloudWatch Logs' use of the key.
    for (id, resource) in r.as_object().unwrap() {
        let p = &resource["Properties"];
        let doc = p.get("KeyPolicy").or(p.get("PolicyDocument")).or(p.get("AssumeRolePolicyDocument"));
        for s in doc.and_then(|d| d["Statement"].as_array()).into_iter().flatten() {
            if s["Effect"] == "Allow" && s["Principal"].get("Service").is_some() {
                let c = s["Condition"].to_string();
                assert!(
                    c.contains("aws:SourceAccount") || c.contains("kms:EncryptionContext:aws:logs:arn"),
                    "{id}: {s}"
                );
            }
        }
    }
}

#[test]
fn every_config_problem_is_reported_at_once_where_it_is() {
    let yaml = "trailName: t\nlogRetentionDays: 42\nfailedSignInsPerPeriod: 3\nperiodMinutes: 0\n\
                alarmEmails: [security@example.com, nobody]\n";
    let err = module_kit::load(&ConsoleLoginAlarms, yaml, "c.yaml").unwrap_err().to_string();
    assert!(
        err.contains("c.yaml:2:1: `logRetentionDays`: CloudWatch Logs does not keep events that many days"),
        "{err}"
    );
    assert!(err.contains("help: the nearest it accepts is 30"), "{err}");
    assert!(err.contains("c.yaml:4:1: `periodMinutes`: an alarm's period is 1 to 1,440 minutes"), "{err}");
    assert!(err.contains("c.yaml:5:37: `alarmEmails[1]`: `nobody` is not an email address"), "{err}");
}
