//! A stack MDAA deployed switches to the template `synth --mdaa` writes for
//! it: MDAA's logical IDs are computed from MDAA's construct paths, and the
//! two deployments of the switch (`synth mdaa-switch`, then synth's
//! template), diffed against MDAA's own templates, replace nothing, remove
//! nothing stateful, collide with no name and keep every output, export and
//! SSM parameter.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cfn_constructs::cdk_logical_id;
use serde_json::{json, Value};

fn reference(name: &str) -> PathBuf {
    common::root().join("crates/mdaa/tests/fixtures/reference").join(name)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Every construct path of MDAA's templates for the two modules, read off
/// MDAA's sources (apps, L3 constructs, and the L2 constructs they use).
fn mdaa_paths(module: &str) -> Vec<String> {
    let mut paths: Vec<String> = [
        "StackDescriptionParameter/Resource",
        "BootstrapVersion",
        // CDK's parameter of MDAA's role helper's service token, read from SSM: a top-level
        // construct whose ID holds the parameter's name, `/` written `--` as constructs do.
        "SsmParameterValue:--test-org--test-domain--caef-bootstrap--role-helper-service-token:C96584B6-F00A-464E-AD19-53AFF4B05118.Parameter",
    ]
    .map(String::from)
    .to_vec();
    let param = |scope: &str, id: &str| [format!("{scope}/{id}/ssm/Resource"), format!("{scope}/{id}/out")];
    match module {
        "bedrock-settings" => {
            let key = "construct/bedrock-kms-key";
            let logs = "construct/bedrock-invocation-logs";
            let bucket = "construct/bedrock-invocation-logs-s3";
            let function = "custom-logs-model-invocation-handler-function";
            paths.extend([format!("{key}/Resource"), format!("{key}/Alias/Resource")]);
            paths.extend(param(key, "kms-bedrock-kms-key-arn"));
            paths.extend(param(key, "kms-bedrock-kms-key-id"));
            paths.push(format!("{logs}/Resource"));
            paths.extend(param(logs, "loggroup-bedrock-model-invocation-name"));
            paths.extend([format!("{bucket}/Resource"), format!("{bucket}/Policy/Resource")]);
            paths.extend(param(bucket, "bucket-logs-model-invocation-name"));
            paths.extend(param(bucket, "bucket-logs-model-invocation-arn"));
            paths.extend(
                [
                    "construct/bedrock-logging-service-role-policy/Resource",
                    "construct/bedrock-logging-service-role/Resource",
                    "construct/bedrock-settings-cr/Default",
                    "custom-logs-model-invocation-handler-role/Resource",
                    "custom-logs-model-invocation-handler-role/DefaultPolicy/Resource",
                    "custom-logs-model-invocation-handler-policy/Resource",
                    "custom-logs-model-invocation-handler-function/Resource",
                    "custom-logs-model-invocation-provider-role/Resource",
                    "custom-logs-model-invocation-provider-role/DefaultPolicy/Resource",
                    "custom-logs-model-invocation-provider/framework-onEvent/Resource",
                ]
                .map(String::from),
            );
            for name in ["name", "arn", "log-group"] {
                paths.extend(param(function, &format!("lambda-logs-model-invocation-handler-{name}")));
            }
        }
        "audit" => {
            paths.extend(
                [
                    "audit/kms-cmk/Resource",
                    "audit/kms-cmk/Alias/Resource",
                    "audit/bucket/Resource",
                    "audit/bucket/Policy/Resource",
                    "audit/database/Resource",
                    "audit/CloudTrailGlueTable/Table",
                    "audit/inv-table-audit",
                    // MDAA's role references, top-level constructs of its role helper.
                    "RoleResRead0",
                    "RoleResRead2",
                    "SsmParameterValue:--sample-org--domain1--generated-role--test-role--id:C96584B6-F00A-464E-AD19-53AFF4B05118.Parameter",
                ]
                .map(String::from),
            );
            for id in ["kms-arn", "kms-id"] {
                paths.extend(param("audit/kms-cmk", id));
            }
            for id in ["bucket-name", "bucket-arn"] {
                paths.extend(param("audit/bucket", id));
            }
        }
        other => panic!("no paths for {other}"),
    }
    paths
}

/// The logical IDs of a template: parameters, resources and outputs.
fn logical_ids(t: &Value) -> BTreeSet<String> {
    ["Parameters", "Resources", "Outputs"]
        .iter()
        .filter_map(|s| t[s].as_object())
        .flat_map(|m| m.keys().cloned())
        .collect()
}

#[test]
fn every_logical_id_of_mdaas_templates_is_computed_from_its_construct_path() {
    for (module, baselines) in [
        ("bedrock-settings", &["mdaa-bedrock-settings.baseline.json"][..]),
        (
            "audit",
            &[
                "mdaa-audit/sample-config-minimal.baseline.json",
                "mdaa-audit/sample-config-comprehensive.baseline.json",
            ][..],
        ),
    ] {
        let computed: BTreeSet<String> = mdaa_paths(module).iter().map(|p| cdk_logical_id(p)).collect();
        let mut all = BTreeSet::new();
        for b in baselines {
            let ids = logical_ids(&read_json(&reference(b)));
            let missing: Vec<&String> = ids.difference(&computed).collect();
            assert!(missing.is_empty(), "{b}: no construct path gives {missing:?}");
            all.extend(ids);
        }
        let unused: Vec<&String> = computed.difference(&all).collect();
        assert!(unused.is_empty(), "{module}: paths of IDs that MDAA's templates lack: {unused:?}");
    }
}

#[test]
fn the_modules_take_mdaas_ids_only_from_mdaas_paths() {
    for (module, table) in
        [("bedrock-settings", bedrock_settings::MDAA_CONSTRUCT_PATHS), ("audit", audit::MDAA_CONSTRUCT_PATHS)]
    {
        let known = mdaa_paths(module);
        for (id, path) in table {
            assert!(
                known.iter().any(|k| k == path),
                "{module}: {id} stands for {path}, not a path of MDAA's"
            );
        }
        let ids: BTreeSet<String> = table.iter().map(|(_, p)| cdk_logical_id(p)).collect();
        assert_eq!(ids.len(), table.len(), "{module}: two resources take one ID");
    }
    assert_eq!(cdk_logical_id(bedrock_settings::MDAA_CUSTOM_RESOURCE), "constructbedrocksettingscrD9A7018F");
}

/// A template as CloudFormation resolves it in the environment MDAA's
/// templates were synthesized for (`test-account`, `test-region`,
/// `test-partition`): pseudo parameters become those literals.
fn resolved(v: &Value) -> Value {
    const PSEUDO: [(&str, &str); 3] = [
        ("AWS::AccountId", "test-account"),
        ("AWS::Region", "test-region"),
        ("AWS::Partition", "test-partition"),
    ];
    match v {
        Value::Object(m) if m.len() == 1 => {
            if let Some(Value::String(name)) = m.get("Ref") {
                if let Some((_, lit)) = PSEUDO.iter().find(|(p, _)| p == name) {
                    return json!(lit);
                }
            }
            if let Some(Value::String(s)) = m.get("Fn::Sub") {
                let mut s = s.clone();
                for (p, lit) in PSEUDO {
                    s = s.replace(&format!("${{{p}}}"), lit);
                }
                return if s.contains("${") { json!({"Fn::Sub": s}) } else { json!(s) };
            }
            Value::Object(m.iter().map(|(k, x)| (k.clone(), resolved(x))).collect())
        }
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), resolved(x))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(resolved).collect()),
        other => other.clone(),
    }
}

/// The physical names of a template's resources, by type: what two
/// resources of one account cannot share. With `lambdas`, a function's log
/// group, which Lambda creates outside the stack, counts as a name the
/// stack holds.
fn physical_names(t: &Value, lambdas: bool) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for (id, r) in t["Resources"].as_object().unwrap() {
        let ty = r["Type"].as_str().unwrap_or_default();
        let p = &r["Properties"];
        let name = match ty {
            "AWS::S3::Bucket" => &p["BucketName"],
            "AWS::KMS::Alias" => &p["AliasName"],
            "AWS::Logs::LogGroup" => &p["LogGroupName"],
            "AWS::IAM::Role" => &p["RoleName"],
            "AWS::IAM::ManagedPolicy" => &p["ManagedPolicyName"],
            "AWS::Lambda::Function" => &p["FunctionName"],
            "AWS::SSM::Parameter" => &p["Name"],
            "AWS::Glue::Database" => &p["DatabaseInput"]["Name"],
            "AWS::Glue::Table" => &p["TableInput"]["Name"],
            "AWS::SNS::Topic" => &p["TopicName"],
            "AWS::CloudWatch::Alarm" => &p["AlarmName"],
            _ => &Value::Null,
        };
        if !name.is_null() {
            out.insert((ty.to_string(), name.to_string()), id.clone());
        }
        if lambdas && ty == "AWS::Lambda::Function" {
            if let Some(f) = p["FunctionName"].as_str() {
                let group = json!(format!("/aws/lambda/{f}")).to_string();
                out.insert(("AWS::Logs::LogGroup".into(), group), format!("(Lambda's log group of {id})"));
            }
        }
    }
    out
}

/// What deploying `new` over a stack of `old` does, as `synth diff --format json` says.
fn diff(old: &Value, new: &Value) -> Value {
    let d = cfn_diff::diff_texts("old", &old.to_string(), "new", &new.to_string()).unwrap();
    serde_json::from_str(&cfn_diff::render(&d, cfn_diff::Format::Json, &cfn_diff::RenderOptions::default()))
        .unwrap()
}

/// Types whose resources hold data or identity: never removed by a switch.
const STATEFUL: [&str; 7] = [
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::Glue::Database",
    "AWS::Glue::Table",
    "AWS::SSM::Parameter",
    "AWS::KMS::Alias",
];

/// Checks a switch from `old` to `new`, returning every problem.
fn problems_of_switch(old: &Value, new: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let d = diff(old, new);
    for r in d["resources"].as_array().unwrap() {
        let id = r["logical_id"].as_str().unwrap();
        let (kind, impact) = (r["kind"].as_str().unwrap(), r["impact"].as_str().unwrap_or_default());
        match kind {
            "modified" if r["old_type"] != r["new_type"] => problems.push(format!("{id}: its type changes")),
            "modified" if impact != "update" && impact != "none" => {
                problems.push(format!("{id}: {impact}, not an update in place"))
            }
            "removed" => {
                let ty = r["old_type"].as_str().unwrap();
                let policy = old["Resources"][id]["DeletionPolicy"].as_str();
                if STATEFUL.contains(&ty) {
                    problems.push(format!("{id}: a {ty} is removed"));
                }
                let custom = ty.starts_with("Custom::") || ty == "AWS::CloudFormation::CustomResource";
                if custom && policy != Some("Retain") {
                    problems.push(format!("{id}: a custom resource is deleted, its Delete runs"));
                }
            }
            _ => {}
        }
    }
    let (old_names, new_names) = (physical_names(old, true), physical_names(new, false));
    for (name, id) in &new_names {
        if let Some(other) = old_names.get(name).filter(|o| *o != id) {
            problems.push(format!("{id}: {} {} is already {other}'s", name.0, name.1));
        }
    }
    for (id, o) in old["Outputs"].as_object().into_iter().flatten() {
        match new["Outputs"].get(id) {
            None => problems.push(format!("output {id} is removed")),
            Some(n) if n["Export"] != o["Export"] => {
                problems.push(format!("output {id}: its export changes"))
            }
            _ => {}
        }
    }
    for ((ty, name), id) in old_names.iter().filter(|((ty, _), _)| ty == "AWS::SSM::Parameter") {
        if new_names.get(&(ty.clone(), name.clone())) != Some(id) {
            problems.push(format!("SSM parameter {name} ({id}) is not kept"));
        }
    }
    problems
}

/// The templates `synth --mdaa` writes for the instances of MDAA's reference templates.
fn synthesized() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let estate = common::root().join("crates/synth/tests/fixtures/mdaa-switch/mdaa.yaml");
    synth::mdaa::synthesize_estate(&estate, &out, synth::MODULES).unwrap();
    (dir, out.join("test-domain/test-env"))
}

#[test]
fn mdaas_stacks_switch_in_two_deployments_replacing_and_removing_nothing_they_keep() {
    let (_dir, out) = synthesized();
    for (baseline, template, retained) in [
        (
            "mdaa-bedrock-settings.baseline.json",
            "test-bedrock-settings-minimal.json",
            &["constructbedrocksettingscrD9A7018F"][..],
        ),
        ("mdaa-audit/sample-config-minimal.baseline.json", "test-audit-minimal.json", &["RoleResRead0"][..]),
        (
            "mdaa-audit/sample-config-comprehensive.baseline.json",
            "test-audit-main.json",
            &["RoleResRead0", "RoleResRead2"][..],
        ),
    ] {
        let mdaa = std::fs::read_to_string(reference(baseline)).unwrap();
        // Step 1: MDAA's template, its custom resources retained, and nothing else changed.
        let (step1, ids) = synth::mdaa_switch::retain_custom_resources(baseline, &mdaa).unwrap();
        assert_eq!(ids, retained, "{baseline}");
        let (mdaa, step1): (Value, Value) =
            (serde_json::from_str(&mdaa).unwrap(), serde_json::from_str(&step1).unwrap());
        let first = diff(&mdaa, &step1);
        let summary = &first["summary"];
        assert_eq!(
            (summary["added"].as_u64(), summary["removed"].as_u64(), summary["replaced"].as_u64()),
            (Some(0), Some(0), Some(0)),
            "{baseline}: step 1 changes resources: {first:#}"
        );
        for r in first["resources"].as_array().unwrap() {
            assert_eq!(r["impact"], "none", "{baseline}: step 1 updates {}", r["logical_id"]);
        }
        // Step 2: synth's template.
        let step2 = resolved(&read_json(&out.join(template)));
        let problems = problems_of_switch(&step1, &step2);
        assert!(problems.is_empty(), "{baseline} → {template}:\n{}", problems.join("\n"));
        // Deployed directly, MDAA's custom resources would be deleted: the reason for step 1.
        let direct = problems_of_switch(&mdaa, &step2);
        for id in retained {
            assert!(
                direct.iter().any(|p| p.starts_with(&format!("{id}: a custom resource is deleted"))),
                "{direct:?}"
            );
        }
    }
}

#[test]
fn a_collision_a_removed_export_and_a_replacement_are_reported() {
    let (_dir, out) = synthesized();
    let mdaa = read_json(&reference("mdaa-bedrock-settings.baseline.json"));
    let mut step2 = resolved(&read_json(&out.join("test-bedrock-settings-minimal.json")));
    let resources = step2["Resources"].as_object_mut().unwrap();
    // The bucket under this project's own ID: a second bucket of the same name.
    let bucket = resources.shift_remove("constructbedrockinvocationlogss32FC6A3AD").unwrap();
    resources.insert("InvocationLogsBucket".into(), bucket);
    // A function log group named as Lambda names MDAA's.
    resources["LoggingConfigurationFunctionLogGroup"]["Properties"]["LogGroupName"] =
        json!("/aws/lambda/test-org-test-env-test-domain-test-bedrock-settings-mi--399b5fca");
    // The key alias renamed: replaced.
    resources["constructbedrockkmskeyAliasD24D7F90"]["Properties"]["AliasName"] = json!("alias/other");
    step2["Outputs"]
        .as_object_mut()
        .unwrap()
        .shift_remove("constructbedrockkmskeykmsbedrockkmskeyidout18DDAB3F");
    let problems = problems_of_switch(&mdaa, &step2).join("\n");
    for expected in [
        "constructbedrockinvocationlogss32FC6A3AD: a AWS::S3::Bucket is removed",
        "InvocationLogsBucket: AWS::S3::Bucket \"test-org-test-env-test-domain-test-bedrock-settings-m--18e1d147\" is already constructbedrockinvocationlogss32FC6A3AD's",
        "LoggingConfigurationFunctionLogGroup: AWS::Logs::LogGroup",
        "constructbedrockkmskeyAliasD24D7F90: replace, not an update in place",
        "output constructbedrockkmskeykmsbedrockkmskeyidout18DDAB3F is removed",
        "constructbedrocksettingscrD9A7018F: a custom resource is deleted",
    ] {
        assert!(problems.contains(expected), "missing `{expected}` in:\n{problems}");
    }
}

#[test]
fn mdaas_prefixes_and_what_mdaa_publishes_are_kept() {
    let (_dir, out) = synthesized();
    let t = read_json(&out.join("test-bedrock-settings-minimal.json"));
    let cr = &t["Resources"]["InvocationLoggingConfiguration"]["Properties"];
    assert_eq!(cr["S3KeyPrefix"], "bedrock-model-invocation-logs/bedrock-model-invocation");
    assert_eq!(
        cr["LargeDataKeyPrefix"],
        "bedrock-model-invocation-logs/bedrock-model-invocation/cloudwatch-logs-large-data-delivery/"
    );
    assert_eq!(cr["AdoptConfigurationOf"], "constructbedrocksettingscrD9A7018F");
    assert_eq!(cr["AdoptInStack"], json!({"Ref": "AWS::StackId"}));
    let code = t["Resources"]["customlogsmodelinvocationhandlerfunction5DB512B4"]["Properties"]["Code"]
        ["ZipFile"]
        .as_str()
        .unwrap();
    assert!(
        code.starts_with(bedrock_settings::HANDLER_SOURCE) && code.ends_with(bedrock_settings::ADOPT_SOURCE)
    );
    // A suppression by MDAA's construct path reaches the resource at that path.
    let nag = &t["Resources"]["constructbedrockkmskeyC65EDE8E"]["Metadata"]["cdk_nag"]["rules_to_suppress"];
    assert_eq!(nag[0]["reason"], "named by MDAA's construct path", "{nag}");
    let mdaa = read_json(&reference("mdaa-bedrock-settings.baseline.json"));
    let exports = |t: &Value| -> BTreeSet<String> {
        t["Outputs"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|o| o["Export"]["Name"].as_str().map(String::from))
            .collect()
    };
    assert!(exports(&mdaa).is_subset(&exports(&t)));
    assert!(exports(&t).contains("test-org:test-domain:test-bedrock-settings-minimal:kms:bedrockkmskey:id"));
    let names: BTreeSet<&str> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|r| r["Properties"]["Name"].as_str())
        .collect();
    for suffix in ["aws-solution", "kms/bedrock-kms-key/id", "lambda/logs-model-invocation-handler/log-group"]
    {
        assert!(
            names.contains(format!("/test-org/test-domain/test-bedrock-settings-minimal/{suffix}").as_str())
        );
    }
}

#[test]
fn mdaa_switch_refuses_a_template_without_custom_resources_and_yaml() {
    let none = json!({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}).to_string();
    let e = synth::mdaa_switch::retain_custom_resources("t.json", &none).unwrap_err();
    assert!(e.contains("has no custom resource to retain") && e.contains("help:"), "{e}");
    let yaml = "Resources:\n  C:\n    Type: Custom::X\n";
    let e = synth::mdaa_switch::retain_custom_resources("t.yaml", yaml).unwrap_err();
    assert!(e.contains("is not JSON") && e.contains("get-template"), "{e}");
}
