//! Diffs two generated 500-resource templates: buckets with policies,
//! keys, roles with inline and trust policies, log groups and functions,
//! where the second template changes a tenth of them; then the shapes that
//! cost a diff the most (`shapes.rs`), each pair up to 2 MB.
#![allow(missing_docs)] // criterion_group! generates undocumented items

mod shapes;

use cfn_diff::{diff, render, Format, RenderOptions, Template};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Map, Value};

fn template(n: usize, edited: bool) -> Value {
    let mut resources = Map::new();
    for i in 0..n {
        // Every tenth resource of each kind changes.
        let changed = edited && (i / 6) % 10 == 0;
        let (id, body) = match i % 6 {
            0 => (
                format!("Bucket{i}"),
                json!({"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": {
                    "BucketName": if changed { format!("bucket-{i}-v2") } else { format!("bucket-{i}") },
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": [format!("Key{}", i + 2), "Arn"]}}}]},
                    "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": !changed, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
                    "Tags": [{"Key": "app", "Value": "bench"}, {"Key": "n", "Value": i.to_string()}]
                }}),
            ),
            1 => (
                format!("BucketPolicy{i}"),
                json!({"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": format!("Bucket{}", i - 1)}, "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                     "Resource": [{"Fn::GetAtt": [format!("Bucket{}", i - 1), "Arn"]}, {"Fn::Sub": format!("${{Bucket{}.Arn}}/*", i - 1)}],
                     "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                    {"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                     "Action": if changed { json!(["s3:PutObject", "s3:GetObject"]) } else { json!("s3:PutObject") },
                     "Resource": {"Fn::Sub": format!("${{Bucket{}.Arn}}/logs/*", i - 1)},
                     "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}
                ]}}}),
            ),
            2 => (
                format!("Key{i}"),
                json!({"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "Properties": {
                "EnableKeyRotation": true, "Description": format!("key {i}"),
                "KeyPolicy": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}, "Action": "kms:*", "Resource": "*"},
                    {"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], "Resource": "*"}
                ]}}}),
            ),
            3 => (
                format!("Role{i}"),
                json!({"Type": "AWS::IAM::Role", "Properties": {
                    "RoleName": format!("role-{i}"),
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": if changed { json!(["lambda.amazonaws.com", "ec2.amazonaws.com"]) } else { json!("lambda.amazonaws.com") }}, "Action": "sts:AssumeRole"}]},
                    "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}],
                    "Policies": [{"PolicyName": "inline", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": {"Fn::GetAtt": [format!("Logs{}", i + 1), "Arn"]}}
                    ]}}]
                }}),
            ),
            4 => (
                format!("Logs{i}"),
                json!({"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain", "Properties": {
                    "LogGroupName": format!("/bench/{i}"), "RetentionInDays": if changed { 30 } else { 365 },
                    "KmsKeyId": {"Fn::GetAtt": [format!("Key{}", i - 2), "Arn"]}
                }}),
            ),
            _ => (
                format!("Function{i}"),
                json!({"Type": "AWS::Lambda::Function", "DependsOn": [format!("Role{}", i - 2)], "Properties": {
                    "Role": {"Fn::GetAtt": [format!("Role{}", i - 2), "Arn"]}, "Runtime": "python3.13", "Handler": "index.handler",
                    "Code": {"ZipFile": format!("import json\n\ndef handler(event, context):\n    return {{'n': {i}, 'v': {}}}\n", if changed { 2 } else { 1 })}
                }}),
            ),
        };
        resources.insert(id, body);
    }
    json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources})
}

fn bench(c: &mut Criterion) {
    let old_text = template(500, false).to_string();
    let new_text = template(500, true).to_string();
    // The same pair, written out, to time other tools on it.
    if let Some(dir) = std::env::var_os("CFN_DIFF_BENCH_TEMPLATES") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::write(dir.join("old.json"), &old_text).expect("writes old.json");
        std::fs::write(dir.join("new.json"), &new_text).expect("writes new.json");
    }
    let old = Template::parse("old.json", &old_text).expect("generated template parses");
    let new = Template::parse("new.json", &new_text).expect("generated template parses");
    let d = diff(&old, &new);
    assert!(d.summary.replaced > 0 && d.summary.security_broadening > 0, "{}", d.summary.line);
    let mut group = c.benchmark_group("diff 500 resources");
    group.bench_function("diff", |b| b.iter(|| diff(&old, &new)));
    group.bench_function("parse, diff and render text", |b| {
        b.iter(|| {
            let old = Template::parse("old.json", &old_text).expect("parses");
            let new = Template::parse("new.json", &new_text).expect("parses");
            render(&diff(&old, &new), Format::Text, &RenderOptions::default())
        })
    });
    group.finish();
}

/// Parses a pair and diffs it, checking what the diff finds.
fn cost_case(c: &mut Criterion, name: &str, pair: shapes::Pair, check: impl Fn(&cfn_diff::TemplateDiff)) {
    let old = Template::parse("old.json", &pair.old).expect("generated template parses");
    let new = Template::parse("new.json", &pair.new).expect("generated template parses");
    check(&diff(&old, &new));
    let mut group = c.benchmark_group(format!("{name} ({} + {} bytes)", pair.old.len(), pair.new.len()));
    group.sample_size(10);
    group.bench_function("diff", |b| b.iter(|| diff(&old, &new)));
    group.bench_function("parse, diff and render text", |b| {
        b.iter(|| {
            let old = Template::parse("old.json", &pair.old).expect("parses");
            let new = Template::parse("new.json", &pair.new).expect("parses");
            render(&diff(&old, &new), Format::Text, &RenderOptions::default())
        })
    });
    group.finish();
}

fn cost_cases(c: &mut Criterion) {
    cost_case(c, "400 renamed resources referring to each other", shapes::chained_renames(400), |d| {
        assert_eq!(d.summary.renamed, 400, "{}", d.summary.line)
    });
    cost_case(c, "4,000 plain renames", shapes::plain_renames(4_000), |d| {
        assert_eq!(d.summary.renamed, 4_000, "{}", d.summary.line)
    });
    cost_case(c, "40,000 lines of inline code", shapes::inline_code(40_000), |d| {
        assert!(d.resources[0].properties[0].line_diff.is_some(), "{}", d.summary.line)
    });
    cost_case(c, "ordered list of 40,000 items", shapes::long_list(40_000), |d| {
        assert_eq!(d.resources[0].properties.len(), 20_001, "{}", d.summary.line)
    });
    cost_case(c, "10,000 removed and 10,000 added resources", shapes::removed_and_added(10_000), |d| {
        assert_eq!((d.summary.removed, d.summary.added), (10_000, 10_000), "{}", d.summary.line)
    });
    cost_case(c, "a policy of 5,000 statements, each edited", shapes::large_policy(5_000), |d| {
        assert_eq!(d.resources.len(), 1, "{}", d.summary.line)
    });
}

criterion_group!(benches, bench, cost_cases);
criterion_main!(benches);
