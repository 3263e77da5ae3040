//! The committed templates: current, deployable, and true to the module's promises.

mod common;

use audit::{parse_config, synthesize, CheckedConfig};
use serde_json::{json, Map, Value};

fn synth(yaml: &str, name: &str) -> (CheckedConfig, Value) {
    let config = parse_config(yaml, name).expect("sample configs are valid");
    let json = synthesize(&config).to_json().expect("sample templates are valid");
    (config, serde_json::from_str(&json).unwrap())
}

fn sample(name: &str) -> Value {
    let yaml =
        std::fs::read_to_string(common::root().join(format!("crates/audit/samples/{name}.yaml"))).unwrap();
    synth(&yaml, name).1
}

fn statements<'a>(t: &'a Value, id: &str) -> &'a Vec<Value> {
    let p = &t["Resources"][id]["Properties"];
    p.get("KeyPolicy").unwrap_or(&p["PolicyDocument"])["Statement"].as_array().unwrap()
}

fn by_sid<'a>(t: &'a Value, id: &str, sid: &str) -> &'a Value {
    statements(t, id).iter().find(|s| s["Sid"] == sid).unwrap_or_else(|| panic!("{id} has no {sid}"))
}

#[test]
fn committed_templates_are_current() {
    for (name, yaml) in common::samples() {
        let config = parse_config(&yaml, &name).unwrap();
        let json = synthesize(&config).to_json().unwrap();
        common::check_generated(common::root().join(format!("templates/audit-{name}.json")), &json);
        assert_eq!(json, synthesize(&config).to_json().unwrap(), "{name}: synthesis is deterministic");
        assert!(json.len() < audit_inline_limit(), "{name} is {} bytes", json.len());
        for partition in ["arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:"] {
            assert!(!json.contains(partition), "{name} contains {partition}");
        }
    }
}

fn audit_inline_limit() -> usize {
    module_kit::MAX_INLINE_TEMPLATE_BYTES
}

/// Renaming a logical ID replaces the resource: the key and bucket would be
/// orphaned (they are retained) and new ones made. These must never change.
#[test]
fn logical_ids_are_pinned() {
    let always = [
        "AuditKey",
        "AuditKeyAlias",
        "AuditBucket",
        "AuditBucketPolicy",
        "KmsKeyArnParameter",
        "KmsKeyIdParameter",
        "BucketNameParameter",
        "BucketArnParameter",
        "AuditDatabase",
        "CloudTrailTable",
    ];
    let resolver = [
        "RoleResolverLogsKey",
        "RoleResolverLogsKeyAlias",
        "RoleResolverFunctionLogGroup",
        "RoleResolverFunctionPolicy",
        "RoleResolverFunctionRole",
        "RoleResolverFunction",
        "ReadRole1",
        "ReadRole2",
    ];
    let ids = |t: &Value| t["Resources"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(ids(&sample("default")), always);
    assert_eq!(ids(&sample("minimal")), always);
    let all: Vec<&str> = resolver.iter().chain(&always[..]).chain(&["InventoryTable"]).copied().collect();
    assert_eq!(ids(&sample("comprehensive")), all);
}

#[test]
fn every_store_is_retained_and_encrypted_with_a_key_of_the_template() {
    for (name, yaml) in common::samples() {
        let (_, t) = synth(&yaml, &name);
        for (id, r) in t["Resources"].as_object().unwrap() {
            let ty = r["Type"].as_str().unwrap();
            if ["AWS::KMS::Key", "AWS::S3::Bucket", "AWS::Logs::LogGroup", "AWS::S3::BucketPolicy"]
                .contains(&ty)
            {
                assert_eq!(
                    (&r["DeletionPolicy"], &r["UpdateReplacePolicy"]),
                    (&json!("Retain"), &json!("Retain")),
                    "{name} {id}"
                );
            }
            if ty == "AWS::KMS::Key" {
                assert_eq!(r["Properties"]["EnableKeyRotation"], true, "{name} {id}");
            }
        }
        let rule = &t["Resources"]["AuditBucket"]["Properties"]["BucketEncryption"]
            ["ServerSideEncryptionConfiguration"][0];
        assert_eq!(
            rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"],
            json!({"Fn::GetAtt": ["AuditKey", "Arn"]})
        );
    }
    let t = sample("comprehensive");
    let logs = &t["Resources"]["RoleResolverFunctionLogGroup"]["Properties"];
    assert_eq!(logs["KmsKeyId"], json!({"Fn::GetAtt": ["RoleResolverLogsKey", "Arn"]}));
    assert_eq!(logs["RetentionInDays"], 365);
}

#[test]
fn cloudtrail_writes_each_accounts_logs_only_under_that_accounts_prefix() {
    let t = sample("comprehensive");
    for account in ["444455556666", "777788889999"] {
        let s = by_sid(&t, "AuditBucketPolicy", &format!("CloudTrailWritesLogsOfAccount{account}"));
        assert_eq!(s["Action"], "s3:PutObject");
        assert_eq!(s["Resource"]["Fn::Sub"], format!("${{AuditBucket.Arn}}/AWSLogs/{account}/*"));
        assert_eq!(s["Condition"]["StringEquals"]["aws:SourceAccount"], account);
        assert_eq!(s["Condition"]["StringEquals"]["s3:x-amz-acl"], "bucket-owner-full-control");
        let trails = format!("arn:${{AWS::Partition}}:cloudtrail:*:{account}:trail/*");
        assert_eq!(s["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"], trails);
    }
    let own = by_sid(&t, "AuditBucketPolicy", "CloudTrailWritesLogsOfThisAccount");
    assert_eq!(own["Resource"]["Fn::Sub"], "${AuditBucket.Arn}/AWSLogs/${AWS::AccountId}/*");
    // Digest files, SSE-S3 by CloudTrail's design, are the only objects another encryption may take.
    for denial in ["DenyUploadsWithOtherEncryption", "DenyUploadsWithOtherKeys"] {
        let d = by_sid(&t, "AuditBucketPolicy", denial);
        assert_eq!(
            d["NotResource"]["Fn::Sub"], "${AuditBucket.Arn}/AWSLogs/*/CloudTrail-Digest/*",
            "{denial}"
        );
    }
    let acl = by_sid(&t, "AuditBucketPolicy", "CloudTrailChecksAcl");
    assert_eq!(
        (&acl["Action"], &acl["Resource"]),
        (&json!("s3:GetBucketAcl"), &json!({"Fn::GetAtt": ["AuditBucket", "Arn"]}))
    );
}

#[test]
fn cloudtrail_encrypts_only_for_trails_of_the_source_accounts_and_regions() {
    let t = sample("comprehensive");
    let s = by_sid(&t, "AuditKey", "CloudTrailEncryptsLogs");
    assert_eq!(s["Action"], json!(["kms:Decrypt", "kms:GenerateDataKey*"]));
    let c = &s["Condition"];
    assert_eq!(
        c["StringEquals"]["aws:SourceAccount"],
        json!([{"Ref": "AWS::AccountId"}, "444455556666", "777788889999"])
    );
    assert_eq!(
        c["ArnLike"]["aws:SourceArn"],
        json!([
            {"Fn::Sub": "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:*:trail/*"},
            {"Fn::Sub": "arn:${AWS::Partition}:cloudtrail:eu-west-1:*:trail/*"}
        ])
    );
    let contexts = c["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"].as_array().unwrap();
    assert_eq!(contexts.len(), 3);
    assert_eq!(contexts[1]["Fn::Sub"], "arn:${AWS::Partition}:cloudtrail:*:444455556666:trail/*");
}

#[test]
fn s3_writes_inventories_of_the_listed_buckets_under_the_prefix() {
    let t = sample("comprehensive");
    let s = by_sid(&t, "AuditBucketPolicy", "S3WritesInventories");
    assert_eq!(s["Resource"]["Fn::Sub"], "${AuditBucket.Arn}/inventory/*");
    let sources = &s["Condition"]["ArnLike"]["aws:SourceArn"];
    assert_eq!(sources[1]["Fn::Sub"], "arn:${AWS::Partition}:s3:::test-source-bucket");
    let key = by_sid(&t, "AuditKey", "S3EncryptsInventories");
    assert_eq!(
        (&key["Action"], &key["Condition"]["ArnLike"]),
        (&json!("kms:GenerateDataKey"), &s["Condition"]["ArnLike"])
    );
    // Without a list of inventories, any bucket of the source accounts, under the prefix.
    let default = sample("default");
    let any = by_sid(&default, "AuditBucketPolicy", "S3WritesInventories");
    assert_eq!(any["Resource"]["Fn::Sub"], "${AuditBucket.Arn}/inventory/*");
    assert_eq!(any["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"], "arn:${AWS::Partition}:s3:::*");
}

#[test]
fn read_roles_read_the_bucket_and_decrypt_with_the_key() {
    let t = sample("comprehensive");
    let readers = json!([
        {"Fn::Sub": "arn:${AWS::Partition}:iam::111122223333:role/Admin"},
        {"Fn::GetAtt": ["ReadRole1", "Arn"]},
        {"Fn::GetAtt": ["ReadRole2", "Arn"]}
    ]);
    let objects = by_sid(&t, "AuditBucketPolicy", "ReadRolesRead");
    assert_eq!((&objects["Principal"]["AWS"], &objects["Action"]), (&readers, &json!("s3:GetObject")));
    let bucket = by_sid(&t, "AuditBucketPolicy", "ReadRolesReadBucket");
    assert_eq!(bucket["Action"], json!(["s3:GetBucketLocation", "s3:ListBucket"]));
    let decrypt = by_sid(&t, "AuditKey", "ReadRolesReadKey");
    assert_eq!(
        (&decrypt["Principal"]["AWS"], &decrypt["Action"]),
        (&readers, &json!(["kms:Decrypt", "kms:DescribeKey"]))
    );
    assert!(statements(&sample("default"), "AuditKey").iter().all(|s| s["Sid"] != "ReadRolesReadKey"));
}

#[test]
fn the_resolver_reads_only_the_named_roles_and_answers_in_time() {
    let t = sample("comprehensive");
    let r = &t["Resources"];
    assert_eq!(r["ReadRole1"]["Properties"]["RoleId"], json!({"Ref": "ReadRole1Parameter"}));
    assert_eq!(r["ReadRole2"]["Properties"]["RoleName"], "AuditReadOnlyRole");
    assert_eq!(r["ReadRole2"]["Properties"]["ServiceTimeout"], 120);
    assert_eq!(t["Parameters"]["ReadRole1Parameter"]["Type"], "AWS::SSM::Parameter::Value<String>");
    let get = by_sid(&t, "RoleResolverFunctionPolicy", "ReadNamedRoles");
    assert_eq!(
        get["Resource"],
        json!([
            {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/AuditReadOnlyRole"},
            {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*/AuditReadOnlyRole"}
        ])
    );
    let list = by_sid(&t, "RoleResolverFunctionPolicy", "FindRolesById");
    assert_eq!((&list["Action"], &list["Resource"]), (&json!("iam:ListRoles"), &json!("*")));
    let code = &r["RoleResolverFunction"]["Properties"]["Code"]["ZipFile"];
    assert_eq!(code, audit::HANDLER_SOURCE);
    // A name held in SSM is known only when deployed: then any role may be read.
    let (_, held) = synth("readRoles: [{name: 'ssm:/roles/reader'}]\n", "held.yaml");
    let get = by_sid(&held, "RoleResolverFunctionPolicy", "ReadNamedRoles");
    assert_eq!(get["Resource"]["Fn::Sub"], "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*");
    assert!(statements(&held, "RoleResolverFunctionPolicy").iter().all(|s| s["Sid"] != "FindRolesById"));
}

/// MDAA's role references: `sso` finds the role IAM Identity Center made
/// for a permission set, `immutable` and `refId` change nothing granted, and
/// a role named twice is one principal, as MDAA resolves it once.
#[test]
fn mdaa_role_references_resolve_as_mdaa_resolves_them() {
    let yaml = "readRoles:
  - {name: Auditor, sso: true, refId: auditors}
  - {name: AuditReadOnlyRole, immutable: true}
  - {name: AuditReadOnlyRole}
  - {arn: 'arn:aws:iam::111122223333:role/Admin', sso: true}
  - {arn: 'arn:aws:iam::111122223333:role/Admin', refId: again}
";
    let (_, t) = synth(yaml, "refs.yaml");
    let r = &t["Resources"];
    assert_eq!(r["ReadRole0"]["Properties"]["SsoPermissionSet"], "Auditor");
    assert!(r["ReadRole0"]["Properties"].get("RoleName").is_none());
    assert_eq!(r["ReadRole1"]["Properties"]["RoleName"], "AuditReadOnlyRole");
    assert!(r.get("ReadRole2").is_none() && r.get("ReadRole3").is_none(), "each role once");
    let list = by_sid(&t, "RoleResolverFunctionPolicy", "FindSsoRoles");
    assert_eq!((&list["Action"], &list["Resource"]), (&json!("iam:ListRoles"), &json!("*")));
    let readers = &by_sid(&t, "AuditBucketPolicy", "ReadRolesRead")["Principal"]["AWS"];
    assert_eq!(readers.as_array().unwrap().len(), 3, "{readers}");
    // A permission set name is checked as IAM Identity Center names them.
    let err =
        parse_config("readRoles: [{name: 'Audit Team', sso: true}]\n", "sso.yaml").unwrap_err().to_string();
    assert!(err.contains("`readRoles[0].name`: `Audit Team` is not a permission set name"), "{err}");
    // Roles named again count once toward the limit.
    let many: String =
        (0..audit::MAX_READ_ROLES).map(|i| format!("  - name: r{i}\n  - name: r{i}\n")).collect();
    assert!(parse_config(&format!("readRoles:\n{many}"), "many.yaml").is_ok());
}

#[test]
fn tables_project_the_source_accounts_regions_and_inventories() {
    let t = sample("comprehensive");
    let ct = &t["Resources"]["CloudTrailTable"]["Properties"]["TableInput"];
    let p = &ct["Parameters"];
    assert_eq!(p["projection.account.values"]["Fn::Sub"], "${AWS::AccountId},444455556666,777788889999");
    assert_eq!(p["projection.region.values"]["Fn::Sub"], "${AWS::Region},eu-west-1");
    assert_eq!(
        p["storage.location.template"]["Fn::Sub"],
        "s3://${AuditBucket}/AWSLogs/${!account}/CloudTrail/${!region}/${!timestamp}"
    );
    let names: Vec<&str> =
        ct["PartitionKeys"].as_array().unwrap().iter().map(|c| c["Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["timestamp", "region", "account"]);
    let inv = &t["Resources"]["InventoryTable"]["Properties"]["TableInput"];
    let p = &inv["Parameters"];
    assert_eq!(
        p["projection.bucket_inventory.values"],
        "test-source-bucket/test-inventory,test-secondary-bucket/secondary-inventory"
    );
    assert_eq!(
        p["storage.location.template"]["Fn::Sub"],
        "s3://${AuditBucket}/inventory/${!bucket_inventory}/hive/dt=${!dt}"
    );
    assert_eq!(inv["StorageDescriptor"]["Location"]["Fn::Sub"], "s3://${AuditBucket}/inventory/");
    assert!(sample("minimal")["Resources"].get("InventoryTable").is_none());
}

/// Deploy-time values at their longest, for measuring policies as AWS does.
fn resolved(v: &Value, longest_role: &str) -> Value {
    let bucket_arn = format!("arn:aws-us-gov:s3:::{}", "b".repeat(63));
    let lookup = |name: &str| -> String {
        match name {
            "AWS::Partition" => "aws-us-gov".into(),
            "AWS::Region" => "ap-southeast-7".into(),
            "AWS::AccountId" => "123456789012".into(),
            "AWS::URLSuffix" => "amazonaws.com".into(),
            "AuditBucket" => "b".repeat(63),
            "AuditBucket.Arn" => bucket_arn.clone(),
            "AuditKey.Arn" => {
                format!("arn:aws-us-gov:kms:ap-southeast-7:123456789012:key/{}", "k".repeat(36))
            }
            _ => longest_role.into(),
        }
    };
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key("Ref") => {
            lookup(m["Ref"].as_str().unwrap()).into()
        }
        Value::Object(m) if m.len() == 1 && m.contains_key("Fn::GetAtt") => {
            let a = &m["Fn::GetAtt"];
            lookup(&format!("{}.{}", a[0].as_str().unwrap(), a[1].as_str().unwrap())).into()
        }
        Value::Object(m) if m.len() == 1 && m.contains_key("Fn::Sub") => {
            let text = m["Fn::Sub"].as_str().unwrap();
            let re = regex::Regex::new(r"\$\{([^!}][^}]*)\}").unwrap();
            re.replace_all(text, |c: &regex::Captures| lookup(&c[1])).into_owned().into()
        }
        Value::Object(m) => Value::Object(
            m.iter().map(|(k, v)| (k.clone(), resolved(v, longest_role))).collect::<Map<_, _>>(),
        ),
        Value::Array(a) => a.iter().map(|v| resolved(v, longest_role)).collect(),
        other => other.clone(),
    }
}

#[test]
fn policies_fit_at_the_limits() {
    let account = |i: usize| format!("{:012}", 100_000_000_000 + i);
    let region = |i: usize| format!("ap-southeast-{}", i + 1);
    let roles: Vec<String> = (0..audit::MAX_READ_ROLES)
        .map(|i| match i % 3 {
            0 => format!("  - arn: arn:aws:iam::{}:role/{}/{}", account(i), "p".repeat(63), "r".repeat(64)),
            1 => format!("  - name: {:x<64}", format!("reader{i}")),
            _ => format!("  - id: ssm:/{}/{i}", "s".repeat(200)),
        })
        .collect();
    let yaml = format!(
        "readRoles:\n{}\nsourceAccounts: [{}]\nsourceRegions: [{}]\ninventoryPrefix: {}/\ninventories:\n{}",
        roles.join("\n"),
        (0..audit::MAX_SOURCE_ACCOUNTS).map(account).collect::<Vec<_>>().join(", "),
        (0..audit::MAX_SOURCE_REGIONS).map(region).collect::<Vec<_>>().join(", "),
        "i".repeat(60),
        (0..audit::MAX_INVENTORIES)
            .map(|i| format!("  - {{bucketName: {:b<63}, inventoryName: {:n<64}}}", format!("s{i}-"), i))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let (_, t) = synth(&yaml, "limits.yaml");
    // A resolved role's ARN, its path as long as its name.
    let role = format!("arn:aws-us-gov:iam::123456789012:role/{}/{}", "p".repeat(63), "r".repeat(64));
    let size = |id: &str, field: &str| {
        serde_json::to_string(&resolved(&t["Resources"][id]["Properties"][field], &role)).unwrap().len()
    };
    let bucket = size("AuditBucketPolicy", "PolicyDocument");
    let key = size("AuditKey", "KeyPolicy");
    assert!(bucket <= 20 * 1024, "the bucket policy would be {bucket} bytes");
    assert!(key <= 32 * 1024, "the key policy would be {key} bytes");
    // The limits are not far below what fits.
    assert!(bucket > 14 * 1024, "{bucket}");
}
