//! MDAA's names, checked byte for byte against the templates MDAA itself
//! synthesized (tests/fixtures/reference, copied from MDAA v1.6.0): every
//! physical name, SSM parameter name and export name in them.

use std::collections::BTreeSet;

use mdaa::MdaaNaming;
use serde_json::Value;

fn baseline(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every value of `property` on resources of type `ty`, where it is a string.
fn names(t: &Value, ty: &str, property: &str) -> BTreeSet<String> {
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == ty)
        .filter_map(|r| r["Properties"][property].as_str().map(str::to_string))
        .collect()
}

fn exports(t: &Value) -> BTreeSet<String> {
    t["Outputs"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|o| o["Export"]["Name"].as_str().map(str::to_string))
        .collect()
}

fn set<const N: usize>(items: [String; N]) -> BTreeSet<String> {
    items.into_iter().collect()
}

mod bedrock_settings {
    use super::*;

    const BASELINE: &str = "tests/fixtures/reference/mdaa-bedrock-settings.baseline.json";

    /// The naming MDAA's test gave the module (org, env, domain, module).
    fn naming() -> MdaaNaming {
        MdaaNaming::new("test-org", "test-env", "test-domain", "test-bedrock-settings-minimal")
    }

    #[test]
    fn bucket_is_truncated_with_mdaa_s_negative_hash() {
        let t = baseline(BASELINE);
        let bucket = naming().bucket_name(Some("logs-model-invocation")).unwrap();
        assert_eq!(bucket, "test-org-test-env-test-domain-test-bedrock-settings-m--18e1d147");
        assert_eq!(names(&t, "AWS::S3::Bucket", "BucketName"), set([bucket]));
    }

    #[test]
    fn roles_and_functions_are_truncated_at_64() {
        let t = baseline(BASELINE);
        let n = naming();
        let service_role = n.role_name(Some("bedrock-logging-service-role")).unwrap();
        assert_eq!(service_role, "test-org-test-env-test-domain-test-bedrock-settings-mi--458c0e44");
        let handler = n.role_name(Some("logs-model-invocation-handler")).unwrap();
        let provider = n.role_name(Some("logs-model-invocation-provider")).unwrap();
        assert_eq!(
            names(&t, "AWS::IAM::Role", "RoleName"),
            set([service_role, handler.clone(), provider.clone()])
        );
        assert_eq!(
            names(&t, "AWS::Lambda::Function", "FunctionName"),
            set([
                n.function_name(Some("logs-model-invocation-handler")).unwrap(),
                n.function_name(Some("logs-model-invocation-provider")).unwrap()
            ])
        );
        assert_eq!(handler, n.function_name(Some("logs-model-invocation-handler")).unwrap());
    }

    #[test]
    fn kms_alias_and_log_group() {
        let t = baseline(BASELINE);
        let n = naming();
        let alias = n.kms_alias(Some("bedrock-kms-key")).unwrap();
        assert_eq!(
            alias,
            "alias/test-org-test-env-test-domain-test-bedrock-settings-minimal-bedrock-kms-key"
        );
        assert_eq!(names(&t, "AWS::KMS::Alias", "AliasName"), set([alias]));
        let log_group =
            n.log_group_name("/aws/bedrock/model-invocation-logs", Some("bedrock-model-invocation")).unwrap();
        assert_eq!(
            log_group,
            "/aws/bedrock/model-invocation-logs/test-org-test-env-test-domain-test-bedrock-settings-minimal-bedrock-model-invocation"
        );
        assert_eq!(names(&t, "AWS::Logs::LogGroup", "LogGroupName"), set([log_group]));
    }

    /// The SSM parameters (each with its output) MDAA's constructs write:
    /// resource type, resource id, name.
    const PARAMS: [(&str, &str, &str); 8] = [
        ("kms", "bedrock-kms-key", "arn"),
        ("kms", "bedrock-kms-key", "id"),
        ("loggroup", "bedrock-model-invocation", "name"),
        ("bucket", "logs-model-invocation", "name"),
        ("bucket", "logs-model-invocation", "arn"),
        ("lambda", "logs-model-invocation-handler", "name"),
        ("lambda", "logs-model-invocation-handler", "arn"),
        ("lambda", "logs-model-invocation-handler", "log-group"),
    ];

    #[test]
    fn every_ssm_parameter_name() {
        let t = baseline(BASELINE);
        let n = naming();
        let mut ours: BTreeSet<String> =
            PARAMS.iter().map(|(ty, id, name)| n.param_name(ty, Some(id), name)).collect();
        ours.insert(n.ssm_path("aws-solution"));
        assert_eq!(names(&t, "AWS::SSM::Parameter", "Name"), ours);
        assert!(ours.contains("/test-org/test-domain/test-bedrock-settings-minimal/kms/bedrock-kms-key/arn"));
        // The SSM parameter the stack reads from MDAA's bootstrap module.
        let bootstrap = n.ssm_path_with("caef-bootstrap/role-helper-service-token", false, false);
        let defaults: BTreeSet<String> = t["Parameters"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|p| p["Default"].as_str().map(str::to_string))
            .collect();
        assert!(defaults.contains(&bootstrap), "{bootstrap}");
    }

    #[test]
    fn every_export_name() {
        let t = baseline(BASELINE);
        let n = naming();
        let ours: BTreeSet<String> =
            PARAMS.iter().map(|(ty, id, name)| n.param_export_name(ty, Some(id), name)).collect();
        assert_eq!(exports(&t), ours);
        assert!(ours.contains("test-org:test-domain:test-bedrock-settings-minimal:kms:bedrockkmskey:arn"));
    }

    #[test]
    fn stack_name() {
        assert_eq!(naming().stack_name(None), "test-org-test-env-test-domain-test-bedrock-settings-minimal");
    }
}

mod audit {
    use super::*;

    /// MDAA's test names the module `test-Audit-main`; its app lower-cases it.
    fn check(baseline_path: &str, module_name: &str) {
        let t = baseline(baseline_path);
        let n = MdaaNaming::new("test-org", "test-env", "test-domain", module_name);
        let base = n.resource_name(None, None).unwrap();
        assert_eq!(names(&t, "AWS::KMS::Alias", "AliasName"), set([n.kms_alias(None).unwrap()]));
        assert_eq!(names(&t, "AWS::S3::Bucket", "BucketName"), set([n.bucket_name(None).unwrap()]));
        let databases: BTreeSet<String> = t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::Glue::Database")
            .filter_map(|r| r["Properties"]["DatabaseInput"]["Name"].as_str().map(str::to_string))
            .collect();
        // The audit construct's Glue database: the resource name with `_` for `-`.
        assert_eq!(databases, set([base.replace('-', "_")]));
        let params = [("kms", "arn"), ("kms", "id"), ("bucket", "name"), ("bucket", "arn")];
        let mut ssm: BTreeSet<String> =
            params.iter().map(|(ty, name)| n.param_name(ty, None, name)).collect();
        ssm.insert(n.ssm_path("aws-solution"));
        assert_eq!(names(&t, "AWS::SSM::Parameter", "Name"), ssm);
        let ours: BTreeSet<String> =
            params.iter().map(|(ty, name)| n.param_export_name(ty, None, name)).collect();
        assert_eq!(exports(&t), ours);
    }

    #[test]
    fn minimal() {
        check(
            "tests/fixtures/reference/mdaa-audit/sample-config-minimal.baseline.json",
            "test-audit-minimal",
        );
    }

    #[test]
    fn comprehensive() {
        check(
            "tests/fixtures/reference/mdaa-audit/sample-config-comprehensive.baseline.json",
            "test-Audit-main",
        );
        assert_eq!(
            MdaaNaming::new("test-org", "test-env", "test-domain", "test-Audit-main")
                .bucket_name(None)
                .unwrap(),
            "test-org-test-env-test-domain-test-audit-main"
        );
    }
}

/// The tags MDAA's app adds to every resource, as the baselines have them.
#[test]
fn mdaa_s_own_tags() {
    for (baseline_path, module, package) in [
        (
            "tests/fixtures/reference/mdaa-bedrock-settings.baseline.json",
            "test-bedrock-settings-minimal",
            "@aws-mdaa/bedrock-settings",
        ),
        (
            "tests/fixtures/reference/mdaa-audit/sample-config-minimal.baseline.json",
            "test-audit-minimal",
            "@aws-mdaa/audit",
        ),
    ] {
        let yaml = format!(
            "organization: test-org\ndomains:\n  test-domain:\n    environments:\n      test-env:\n        modules:\n          {module}:\n            module_path: '{package}'\n"
        );
        let estate = mdaa::Estate::parse(mdaa::SourceFile::new("mdaa.yaml", yaml), &mdaa::no_env).unwrap();
        let mut ours = estate.instances[0].mdaa_tags().unwrap();
        ours.sort();
        let t = baseline(baseline_path);
        let key =
            t["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::KMS::Key").unwrap();
        let theirs: Vec<(String, String)> = key["Properties"]["Tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|tag| (tag["Key"].as_str().unwrap().to_string(), tag["Value"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(ours, theirs, "{baseline_path}");
    }
}
