//! `s3ObjectLock` and `cloudwatchDataProtection`: what they put in the
//! template, and that nothing appears without them.

use bedrock_settings::{parse_config, synthesize, DEFAULT_CONFIG_YAML, DEFAULT_DATA_IDENTIFIERS};
use serde_json::Value;

fn template(yaml: &str) -> Value {
    let config = parse_config(yaml, "c.yaml").unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&synthesize(&config).to_json().unwrap()).unwrap()
}

fn identifiers(statement: &Value) -> Vec<String> {
    statement["DataIdentifier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Fn::Sub"].as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect()
}

#[test]
fn object_lock_sets_the_documented_pair_of_properties() {
    for (period, key, value) in [("days: 400", "Days", 400), ("years: 7", "Years", 7)] {
        let t = template(&format!(
            "enableAuditLoggingToS3: true\ns3ObjectLock: {{mode: GOVERNANCE, {period}}}\n"
        ));
        let b = &t["Resources"]["InvocationLogsBucket"]["Properties"];
        assert_eq!(b["ObjectLockEnabled"], true);
        assert_eq!(b["ObjectLockConfiguration"]["ObjectLockEnabled"], "Enabled");
        let retention = &b["ObjectLockConfiguration"]["Rule"]["DefaultRetention"];
        assert_eq!(retention["Mode"], "GOVERNANCE");
        assert_eq!(retention[key], value);
        assert_eq!(retention.as_object().unwrap().len(), 2, "one period only: {retention}");
        // Object Lock needs versioning, which the bucket always has.
        assert_eq!(b["VersioningConfiguration"]["Status"], "Enabled");
    }
}

#[test]
fn object_lock_reaches_the_bucket_cloudwatch_large_data_uses() {
    let t = template("enableAuditLoggingToCloudwatch: true\ns3ObjectLock: {mode: COMPLIANCE, years: 1}\n");
    let b = &t["Resources"]["InvocationLogsBucket"]["Properties"];
    assert_eq!(b["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Mode"], "COMPLIANCE");
}

#[test]
fn the_lifecycle_may_delete_only_what_the_lock_has_released() {
    // Six calendar years hold at most 2,192 days: 2,162 + 30 falls short, 2,162 + 31 does not.
    let base = "enableAuditLoggingToS3: true\ns3ObjectLock: {mode: COMPLIANCE, years: 6}\n";
    let short =
        format!("{base}s3Lifecycle: {{expireAfterDays: 2162, noncurrentVersionExpireAfterDays: 29}}\n");
    let err = parse_config(&short, "c.yaml").unwrap_err().to_string();
    assert!(err.contains("`s3Lifecycle.noncurrentVersionExpireAfterDays`"), "{err}");
    assert!(err.contains("at least 30"), "{err}");
    let enough =
        format!("{base}s3Lifecycle: {{expireAfterDays: 2162, noncurrentVersionExpireAfterDays: 30}}\n");
    parse_config(&enough, "c.yaml").unwrap();
    // Expiring current versions only adds delete markers, which a lock allows.
    parse_config(&format!("{base}s3Lifecycle: {{expireAfterDays: 30}}\n"), "c.yaml").unwrap();
}

#[test]
fn masking_audits_and_masks_the_same_identifiers_and_reports_to_its_own_log_group() {
    let t = template("enableAuditLoggingToCloudwatch: true\ncloudwatchDataProtection: {}\n");
    let r = &t["Resources"];
    let policy = &r["InvocationLogsLogGroup"]["Properties"]["DataProtectionPolicy"];
    assert_eq!(policy["Version"], "2021-06-01");
    let statements = policy["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2);
    let audit = statements.iter().find(|s| s["Operation"].get("Audit").is_some()).unwrap();
    let mask = statements.iter().find(|s| s["Operation"].get("Deidentify").is_some()).unwrap();
    assert_eq!(identifiers(audit), DEFAULT_DATA_IDENTIFIERS);
    assert_eq!(identifiers(mask), identifiers(audit));
    assert_eq!(mask["Operation"]["Deidentify"]["MaskConfig"], serde_json::json!({}));
    let destination = &audit["Operation"]["Audit"]["FindingsDestination"]["CloudWatchLogs"]["LogGroup"];
    assert_eq!(destination["Ref"], "DataProtectionFindingsLogGroup");

    // The findings' log group: the module's key, a finite retention (ten years when the
    // invocation logs never expire), retained, and named in the key's grant to CloudWatch Logs.
    let findings = &r["DataProtectionFindingsLogGroup"];
    assert_eq!(findings["Properties"]["KmsKeyId"]["Fn::GetAtt"][0], "AuditKey");
    assert_eq!(findings["Properties"]["RetentionInDays"], 3653);
    assert_eq!(findings["DeletionPolicy"], "Retain");
    let key_policy = serde_json::to_string(&r["AuditKey"]["Properties"]["KeyPolicy"]).unwrap();
    assert!(key_policy.contains("/aws/bedrock/model-invocation-logs/data-protection-findings-${AWS::Region}"));
}

#[test]
fn findings_keep_the_invocation_logs_retention_unless_told_otherwise() {
    let cw = "enableAuditLoggingToCloudwatch: true\ncloudwatchLogRetentionDays: 2192\n";
    let t = template(&format!("{cw}cloudwatchDataProtection: {{}}\n"));
    assert_eq!(t["Resources"]["DataProtectionFindingsLogGroup"]["Properties"]["RetentionInDays"], 2192);
    let t = template(&format!("{cw}cloudwatchDataProtection: {{findingsRetentionDays: 400}}\n"));
    assert_eq!(t["Resources"]["DataProtectionFindingsLogGroup"]["Properties"]["RetentionInDays"], 400);
}

#[test]
fn neither_appears_unless_asked_for() {
    let t = template(DEFAULT_CONFIG_YAML);
    let r = &t["Resources"];
    assert!(r["InvocationLogsBucket"]["Properties"].get("ObjectLockEnabled").is_none());
    assert!(r["InvocationLogsBucket"]["Properties"].get("ObjectLockConfiguration").is_none());
    assert!(r["InvocationLogsLogGroup"]["Properties"].get("DataProtectionPolicy").is_none());
    assert!(r.get("DataProtectionFindingsLogGroup").is_none());
}
