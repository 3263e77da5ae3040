//! The committed JSON Schema of the configuration is current.

mod common;

#[test]
fn committed_schema_is_current() {
    let schema = bedrock_settings::json_schema();
    common::check_generated(common::root().join("schema/bedrock-settings.schema.json"), &schema);
}

#[test]
fn schema_is_draft_07_and_closed() {
    let v: serde_json::Value = serde_json::from_str(&bedrock_settings::json_schema()).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(v["additionalProperties"], false);
    assert!(v["properties"]["enableAuditLoggingToS3"].is_object());
    let retention = v["properties"]["cloudwatchLogRetentionDays"].to_string();
    assert!(retention.contains("3653"), "retention lists its accepted values: {retention}");
}
