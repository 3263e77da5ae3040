//! How far the handler may go, as it reaches the custom resource: `takeOverExistingConfiguration`
//! and the one SSM parameter the handler may use to record what it took over; and
//! `allowUnsupportedDataDelivery`, removed, refused at its line.

use bedrock_settings::{json_schema, parse_config, synthesize, validate, Config};
use serde_json::Value;

fn template(yaml: &str) -> Value {
    let config = parse_config(yaml, "c.yaml").expect("valid config");
    serde_json::from_str(&synthesize(&config).to_json().expect("valid template")).unwrap()
}

fn custom_properties(t: &Value) -> &Value {
    &t["Resources"]["InvocationLoggingConfiguration"]["Properties"]
}

fn ssm_statements(t: &Value) -> Vec<&Value> {
    t["Resources"]["LoggingConfigurationFunctionPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["Action"].to_string().contains("ssm:"))
        .collect()
}

#[test]
fn take_over_defaults_to_false_and_reaches_the_resource_as_a_string() {
    let t = template("enableAuditLoggingToS3: true\n");
    let p = custom_properties(&t);
    assert_eq!(p["TakeOverExistingConfiguration"], "false");
    assert_eq!(p["ReplacedConfigurationParameter"], "/bedrock-settings/replaced-logging-configuration");
    assert!(p.get("AllowUnsupportedDataDelivery").is_none(), "{p}");
}

#[test]
fn set_it_reaches_the_resource_and_the_record_follows_the_prefix() {
    let t = template(
        "enableAuditLoggingToCloudwatch: true\ntakeOverExistingConfiguration: true\n\
         ssmParameterPrefix: /platform/bedrock\n",
    );
    let p = custom_properties(&t);
    assert_eq!(p["TakeOverExistingConfiguration"], "true");
    assert_eq!(p["ReplacedConfigurationParameter"], "/platform/bedrock/replaced-logging-configuration");
}

#[test]
fn allow_unsupported_data_delivery_is_refused_at_its_line_whatever_its_value() {
    // The handler sends every data-delivery flag whatever its SDK knows: the key has nothing
    // left to allow, and a configuration that still sets it is told to drop it.
    for value in ["true", "false", "", "[1, 2]", "{a: 1}"] {
        let yaml = format!("enableAuditLoggingToS3: true\nallowUnsupportedDataDelivery: {value}\n");
        let err = parse_config(&yaml, "c.yaml").expect_err(&yaml);
        assert_eq!(err.0.len(), 1, "{err}");
        let text = err.to_string();
        assert!(
            text.starts_with("error: c.yaml:2:1: `allowUnsupportedDataDelivery`: this key was removed: "),
            "{text}"
        );
        assert!(text.contains("every data-delivery flag now reaches Bedrock, on or off"), "{text}");
        assert!(text.contains("help: delete it from the file"), "{text}");
    }
}

#[test]
fn allow_unsupported_data_delivery_is_refused_in_code_and_absent_from_the_schema() {
    let config = Config {
        enable_audit_logging_to_s3: true,
        sets_removed_allow_unsupported_data_delivery: true,
        ..Config::default()
    };
    let text = validate(config).unwrap_err().to_string();
    assert!(text.contains("`allowUnsupportedDataDelivery`: this key was removed"), "{text}");
    assert!(!json_schema().contains("allowUnsupportedDataDelivery"));
}

#[test]
fn an_unknown_key_is_never_offered_the_removed_one() {
    // The type still reads the removed key (to say it was removed); the schema does not offer it,
    // and neither do the list of keys and the suggestion of an unknown key's error.
    let err = parse_config("enableAuditLoggingToS3: true\nallowUnsupportedDataDeliver: true\n", "c.yaml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("`allowUnsupportedDataDeliver`: unknown key"), "{err}");
    assert!(err.contains("`takeOverExistingConfiguration`"), "{err}");
    assert!(!err.contains("`allowUnsupportedDataDelivery`"), "{err}");
}

#[test]
fn the_function_may_read_write_and_delete_that_one_parameter_only() {
    for take_over in ["false", "true"] {
        let t = template(&format!(
            "enableAuditLoggingToS3: true\nssmParameterPrefix: /x\ntakeOverExistingConfiguration: {take_over}\n"
        ));
        let statements = ssm_statements(&t);
        assert_eq!(statements.len(), 1, "{statements:?}");
        let s = statements[0];
        assert_eq!(s["Effect"], "Allow");
        assert_eq!(
            s["Action"],
            serde_json::json!(["ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"])
        );
        assert_eq!(
            s["Resource"]["Fn::Sub"],
            "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/x/replaced-logging-configuration"
        );
    }
}

#[test]
fn a_value_that_is_not_a_boolean_is_a_located_error() {
    let yaml = "enableAuditLoggingToS3: true\ntakeOverExistingConfiguration: yes please\n";
    let text = parse_config(yaml, "c.yaml").unwrap_err().to_string();
    assert!(text.starts_with("error: c.yaml:2:"), "{text}");
    assert!(text.contains("takeOverExistingConfiguration"), "{text}");
}
