//! The committed JSON Schema of the configuration is current, and closed.

mod common;

#[test]
fn committed_schema_is_current() {
    common::check_generated(common::root().join("schema/audit.schema.json"), &audit::json_schema());
}

#[test]
fn schema_is_draft_07_closed_and_knows_mdaas_keys() {
    let v: serde_json::Value = serde_json::from_str(&audit::json_schema()).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(v["additionalProperties"], false);
    let keys: Vec<&String> = v["properties"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["readRoles", "sourceAccounts", "sourceRegions", "inventoryPrefix", "inventories"]);
    let role = &v["definitions"]["RoleRef"];
    assert_eq!(role["minProperties"], 1);
    let role_keys: Vec<&String> = role["properties"].as_object().unwrap().keys().collect();
    assert_eq!(role_keys, ["arn", "name", "id", "sso", "immutable", "refId"]);
    assert_eq!(role["additionalProperties"], false);
}
