//! The CloudTrail trail block: the grants it makes for CloudTrail, exactly,
//! and the trail's secure defaults.

use cfn_constructs::{
    DataEvents, DataResource, EncryptedLogGroup, EncryptionKey, Insight, Scope, SecureBucket, Trail,
};
use cfn_template::{Expr, Template};
use serde_json::{json, Value};

fn json(t: &Template) -> Value {
    serde_json::from_str(&t.to_json().expect("the trail block makes valid templates")).unwrap()
}

/// A key and a bucket encrypted with it, as a trail's user has them.
fn bucket(t: &mut Template) -> (EncryptionKey, SecureBucket) {
    let key = EncryptionKey::new("Logs", "alias/logs".into()).build(t);
    let bucket =
        SecureBucket::new("Logs", Expr::sub("logs-${AWS::AccountId}-${AWS::Region}"), &key.key).build(t);
    (key, bucket)
}

/// The statements of a policy from the `from`th on: those the bucket or key
/// block did not write itself.
fn statements_from(policy: &Value, from: usize) -> Vec<Value> {
    policy["Statement"].as_array().expect("a list of statements")[from..].to_vec()
}

/// The confused-deputy conditions of a grant to CloudTrail for the trail named `name`.
fn from_trail(name: &str) -> Value {
    json!({
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        "ArnLike": {"aws:SourceArn": {"Fn::Sub": trail_arn_text(name)}}
    })
}

fn trail_arn_text(name: &str) -> String {
    format!("arn:${{AWS::Partition}}:cloudtrail:${{AWS::Region}}:${{AWS::AccountId}}:trail/{name}")
}

/// The bucket-policy statements a trail `sid` named `name` gets, logs under `prefix`.
fn bucket_statements(sid: &str, name: &str, prefix: &str) -> Vec<Value> {
    let mut write_conditions = from_trail(name);
    write_conditions["StringEquals"]["s3:x-amz-acl"] = json!("bucket-owner-full-control");
    vec![
        json!({
            "Sid": format!("{sid}ChecksAcl"),
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": {"Fn::GetAtt": ["LogsBucket", "Arn"]},
            "Condition": from_trail(name)
        }),
        json!({
            "Sid": format!("{sid}WritesLogs"),
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": {"Fn::Sub": format!("${{LogsBucket.Arn}}/{prefix}AWSLogs/${{AWS::AccountId}}/*")},
            "Condition": write_conditions
        }),
    ]
}

/// The key-policy statements a trail `sid` named `name` gets.
fn key_statements(sid: &str, name: &str) -> Vec<Value> {
    let mut encrypt_conditions = from_trail(name);
    encrypt_conditions["StringLike"] =
        json!({"kms:EncryptionContext:aws:cloudtrail:arn": {"Fn::Sub": trail_arn_text(name)}});
    vec![
        json!({
            "Sid": format!("{sid}EncryptsLogs"),
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": encrypt_conditions
        }),
        json!({
            "Sid": format!("{sid}DescribesKey"),
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": from_trail(name)
        }),
    ]
}

/// What the two denials of other encryption leave out, each.
fn exempt_from_key_denials(v: &Value) -> Vec<Value> {
    let statements =
        v["Resources"]["LogsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    let denials: Vec<&Value> =
        statements.iter().filter(|s| s["Effect"] == "Deny" && s["Action"] == "s3:PutObject").collect();
    assert_eq!(denials.len(), 2, "both denials of other encryption: {statements:#?}");
    for d in &denials {
        assert!(d.get("Resource").is_none(), "the denial applies to every object but the exempt ones: {d:#}");
        assert_eq!(d["NotResource"], denials[0]["NotResource"]);
    }
    match &denials[0]["NotResource"] {
        Value::Array(items) => items.clone(),
        one => vec![one.clone()],
    }
}

fn digests(prefix: &str) -> Value {
    json!({"Fn::Sub": format!("${{LogsBucket.Arn}}/{prefix}AWSLogs/${{AWS::AccountId}}/CloudTrail-Digest/*")})
}

#[test]
fn a_trail_alone_gets_exactly_the_bucket_and_key_grants_held_to_itself() {
    let mut t = Template::new();
    let (_, bucket) = bucket(&mut t);
    let trail = Trail::new("Audit", "audit".into(), &bucket).build(&mut t);
    assert_eq!(trail.arn, Expr::sub(trail_arn_text("audit")));
    assert!(trail.logs_role.is_none());
    let v = json(&t);
    let r = &v["Resources"];

    assert_eq!(
        r["AuditTrail"]["Properties"],
        json!({
            "EnableLogFileValidation": true,
            "EventSelectors": [{"IncludeManagementEvents": true, "ReadWriteType": "All"}],
            "IncludeGlobalServiceEvents": true,
            "IsLogging": true,
            "IsMultiRegionTrail": true,
            "KMSKeyId": {"Fn::GetAtt": ["LogsKey", "Arn"]},
            "S3BucketName": {"Ref": "LogsBucket"},
            "TrailName": "audit"
        })
    );
    // CloudTrail checks the bucket policy on create; the key is waited for through KMSKeyId.
    assert_eq!(r["AuditTrail"]["DependsOn"], "LogsBucketPolicy");

    let bucket_policy = &r["LogsBucketPolicy"]["Properties"]["PolicyDocument"];
    assert_eq!(statements_from(bucket_policy, 3), bucket_statements("AuditTrail", "audit", ""));
    let key_policy = &r["LogsKey"]["Properties"]["KeyPolicy"];
    assert_eq!(statements_from(key_policy, 2), key_statements("AuditTrail", "audit"));

    // Digest files only, under this account's logs.
    assert_eq!(exempt_from_key_denials(&v), vec![digests("")]);

    // No log group: the CloudWatch Logs rules of the three cdk-nag packs that have one.
    let suppressed: Vec<&str> = r["AuditTrail"]["Metadata"]["cdk_nag"]["rules_to_suppress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        suppressed,
        [
            "NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled",
            "HIPAA.Security-CloudTrailCloudWatchLogsEnabled",
            "PCI.DSS.321-CloudTrailCloudWatchLogsEnabled"
        ]
    );
    assert!(r["AuditTrail"]["Metadata"].get("checkov").is_none(), "every checkov trail rule is met");
}

#[test]
fn a_trail_sends_to_a_log_group_through_a_role_only_it_can_assume() {
    let mut t = Template::new();
    let (key, bucket) = bucket(&mut t);
    let logs = EncryptedLogGroup::new("Trail", "/trail/audit".into(), &key.key).build(&mut t);
    key.allow_cloudwatch_logs(&mut t, &[&logs]);
    let trail = Trail::new("Audit", "audit".into(), &bucket)
        .send_to_log_group(
            &logs,
            Expr::sub("trail-logs-${AWS::Region}"),
            Expr::sub("trail-logs-${AWS::Region}"),
        )
        .build(&mut t);
    let role = trail.logs_role.expect("a role for the log group");
    assert_eq!(role.role.logical_id(), "AuditLogsRole");
    assert_eq!(role.policy.logical_id(), "AuditLogsPolicy");
    let v = json(&t);
    let r = &v["Resources"];

    let props = &r["AuditTrail"]["Properties"];
    assert_eq!(props["CloudWatchLogsLogGroupArn"], json!({"Fn::GetAtt": ["TrailLogGroup", "Arn"]}));
    assert_eq!(props["CloudWatchLogsRoleArn"], json!({"Fn::GetAtt": ["AuditLogsRole", "Arn"]}));
    assert_eq!(r["AuditTrail"]["DependsOn"], json!(["LogsBucketPolicy", "AuditLogsPolicy"]));
    assert!(r["AuditTrail"].get("Metadata").is_none(), "every trail rule is met: {:#}", r["AuditTrail"]);

    assert_eq!(
        r["AuditLogsRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": from_trail("audit")
        }])
    );
    assert_eq!(r["AuditLogsRole"]["Properties"]["RoleName"], json!({"Fn::Sub": "trail-logs-${AWS::Region}"}));
    let policy = &r["AuditLogsPolicy"];
    assert_eq!(
        policy["Properties"]["PolicyDocument"]["Statement"],
        json!([{
            "Sid": "AuditTrailDeliversEvents",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/trail/audit:log-stream:${AWS::AccountId}_CloudTrail_${AWS::Region}*"}
        }])
    );
    assert_eq!(policy["Metadata"]["cdk_nag"]["rules_to_suppress"][0]["id"], "AwsSolutions-IAM5");

    // The bucket and key grants are the same as without a log group.
    let bucket_policy = &r["LogsBucketPolicy"]["Properties"]["PolicyDocument"];
    assert_eq!(statements_from(bucket_policy, 3), bucket_statements("AuditTrail", "audit", ""));
    let key_policy = &r["LogsKey"]["Properties"]["KeyPolicy"];
    let mut expected_key = key_statements("AuditTrail", "audit");
    expected_key.insert(0, statements_from(key_policy, 2)[0].clone());
    assert_eq!(statements_from(key_policy, 2), expected_key);
    assert_eq!(statements_from(key_policy, 2)[0]["Sid"], "CloudWatchLogsEncryptsTheseLogGroups");
}

#[test]
fn in_a_scope_ids_sids_and_the_prefix_follow_the_trail() {
    let mut t = Template::new();
    let (_, bucket) = bucket(&mut t);
    {
        let mut audit = Scope::new(&mut t, "Org");
        Trail::new("Main", Expr::sub("main-${AWS::Region}"), &bucket)
            .s3_key_prefix("/cloudtrail/".into())
            .build(&mut audit);
    }
    let v = json(&t);
    let r = &v["Resources"];
    let trail = &r["OrgMainTrail"];
    assert_eq!(trail["Type"], "AWS::CloudTrail::Trail");
    assert_eq!(trail["Properties"]["S3KeyPrefix"], "cloudtrail");
    assert_eq!(trail["Properties"]["TrailName"], json!({"Fn::Sub": "main-${AWS::Region}"}));
    assert_eq!(trail["DependsOn"], "LogsBucketPolicy");

    let bucket_policy = &r["LogsBucketPolicy"]["Properties"]["PolicyDocument"];
    assert_eq!(
        statements_from(bucket_policy, 3),
        bucket_statements("OrgMainTrail", "main-${AWS::Region}", "cloudtrail/")
    );
    let key_policy = &r["LogsKey"]["Properties"]["KeyPolicy"];
    assert_eq!(statements_from(key_policy, 2), key_statements("OrgMainTrail", "main-${AWS::Region}"));
    assert_eq!(exempt_from_key_denials(&v), vec![digests("cloudtrail/")]);
}

#[test]
fn two_trails_on_one_bucket_each_get_their_own_statements() {
    let mut t = Template::new();
    let (_, bucket) = bucket(&mut t);
    Trail::new("Management", "management".into(), &bucket).build(&mut t);
    Trail::new("Data", "data".into(), &bucket).s3_key_prefix("data".into()).build(&mut t);
    let v = json(&t);
    let r = &v["Resources"];

    let bucket_policy = &r["LogsBucketPolicy"]["Properties"]["PolicyDocument"];
    let mut expected = bucket_statements("ManagementTrail", "management", "");
    expected.extend(bucket_statements("DataTrail", "data", "data/"));
    assert_eq!(statements_from(bucket_policy, 3), expected);

    let key_policy = &r["LogsKey"]["Properties"]["KeyPolicy"];
    let mut expected = key_statements("ManagementTrail", "management");
    expected.extend(key_statements("DataTrail", "data"));
    assert_eq!(statements_from(key_policy, 2), expected);

    // Sids are unique in each policy.
    for policy in [bucket_policy, key_policy] {
        let sids: Vec<&str> =
            policy["Statement"].as_array().unwrap().iter().filter_map(|s| s["Sid"].as_str()).collect();
        let mut unique = sids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), sids.len(), "{sids:?}");
    }
    assert_eq!(exempt_from_key_denials(&v), vec![digests(""), digests("data/")]);
}

#[test]
fn trails_sharing_a_prefix_share_the_digest_exemption() {
    let mut t = Template::new();
    let (_, bucket) = bucket(&mut t);
    Trail::new("One", "one".into(), &bucket).build(&mut t);
    Trail::new("Two", "two".into(), &bucket).build(&mut t);
    let v = json(&t);
    assert_eq!(exempt_from_key_denials(&v), vec![digests("")]);
}

#[test]
fn data_events_and_insights_are_typed_selectors() {
    let mut t = Template::new();
    let (_, bucket) = bucket(&mut t);
    let events = DataEvents::new([
        DataResource::S3Objects(bucket.bucket.arn()),
        DataResource::LambdaInvocations(Expr::sub(
            "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:handler",
        )),
        DataResource::AllS3Objects,
        // Named twice, recorded once.
        DataResource::S3Objects(bucket.bucket.arn()),
    ])
    .unwrap();
    Trail::new("Audit", "audit".into(), &bucket)
        .data_events(events)
        .insights([Insight::ApiCallRate, Insight::ApiErrorRate, Insight::ApiCallRate])
        .build(&mut t);
    let v = json(&t);
    let props = &v["Resources"]["AuditTrail"]["Properties"];
    assert_eq!(
        props["EventSelectors"],
        json!([{
            "DataResources": [
                {"Type": "AWS::S3::Object", "Values": [
                    {"Fn::Sub": "${LogsBucket.Arn}/"},
                    {"Fn::Sub": "arn:${AWS::Partition}:s3"}
                ]},
                {"Type": "AWS::Lambda::Function", "Values": [
                    {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:handler"}
                ]}
            ],
            "IncludeManagementEvents": true,
            "ReadWriteType": "All"
        }])
    );
    assert_eq!(
        props["InsightSelectors"],
        json!([{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}])
    );
}

#[test]
fn data_events_stop_at_the_limit_cloudtrail_sets() {
    let named =
        |n: usize| (0..n).map(|i| DataResource::S3Objects(Expr::from(format!("arn:aws:s3:::bucket-{i}"))));
    assert!(DataEvents::new(named(250)).is_ok());
    let err = DataEvents::new(named(251)).unwrap_err();
    assert_eq!(err.count, 251);
    assert_eq!(
        err.to_string(),
        "a trail records data events of at most 250 buckets and functions named one by one, and 251 were \
         given; record all of them with DataResource::AllS3Objects or DataResource::AllLambdaInvocations, \
         or split them over several trails"
    );
    // The account-wide prefixes are outside the limit, as AWS documents.
    assert!(DataEvents::new(
        named(250).chain([DataResource::AllS3Objects, DataResource::AllLambdaInvocations])
    )
    .is_ok());
}

#[test]
fn an_empty_prefix_is_no_prefix() {
    let mut t = Template::new();
    let (_, bucket) = bucket(&mut t);
    Trail::new("Audit", "audit".into(), &bucket).s3_key_prefix("/".into()).build(&mut t);
    let v = json(&t);
    assert!(v["Resources"]["AuditTrail"]["Properties"].get("S3KeyPrefix").is_none());
    assert_eq!(exempt_from_key_denials(&v), vec![digests("")]);
}
