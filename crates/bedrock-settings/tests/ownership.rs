//! The two keys that say how far the handler may go, as they reach the custom resource:
//! `takeOverExistingConfiguration` and `allowUnsupportedDataDelivery`, and the one SSM
//! parameter the handler may use to record what it took over.

use bedrock_settings::{parse_config, synthesize};
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
fn both_default_to_false_and_reach_the_resource_as_strings() {
    let t = template("enableAuditLoggingToS3: true\n");
    let p = custom_properties(&t);
    assert_eq!(p["TakeOverExistingConfiguration"], "false");
    assert_eq!(p["AllowUnsupportedDataDelivery"], "false");
    assert_eq!(p["ReplacedConfigurationParameter"], "/bedrock-settings/replaced-logging-configuration");
}

#[test]
fn set_they_reach_the_resource_and_the_record_follows_the_prefix() {
    let t = template(
        "enableAuditLoggingToCloudwatch: true\ntakeOverExistingConfiguration: true\n\
         allowUnsupportedDataDelivery: true\nssmParameterPrefix: /platform/bedrock\n",
    );
    let p = custom_properties(&t);
    assert_eq!(p["TakeOverExistingConfiguration"], "true");
    assert_eq!(p["AllowUnsupportedDataDelivery"], "true");
    assert_eq!(p["ReplacedConfigurationParameter"], "/platform/bedrock/replaced-logging-configuration");
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
    for key in ["takeOverExistingConfiguration", "allowUnsupportedDataDelivery"] {
        let yaml = format!("enableAuditLoggingToS3: true\n{key}: yes please\n");
        let text = parse_config(&yaml, "c.yaml").unwrap_err().to_string();
        assert!(text.starts_with("error: c.yaml:2:"), "{text}");
        assert!(text.contains(key), "{text}");
    }
}
