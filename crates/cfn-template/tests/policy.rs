//! Each form of the IAM policy language, as the exact JSON AWS documents:
//! a list of one value is written as that value, several as an array.

use cfn_template::policy::{Effect, PolicyDocument, Principal, Statement, POLICY_VERSION};
use cfn_template::{Expr, Pseudo};
use serde_json::{json, Value};

fn j<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

#[test]
fn document_has_version_and_statements_in_order() {
    let doc = PolicyDocument::new(vec![Statement::allow().action("a:B"), Statement::deny().action("c:D")]);
    assert_eq!(
        j(&doc),
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "a:B"},
            {"Effect": "Deny", "Action": "c:D"},
        ]})
    );
    assert_eq!(POLICY_VERSION, "2012-10-17");
    let mut doc = PolicyDocument::default();
    doc.push(Statement::allow().action("x:Y")).push(Statement::deny().action("x:Z"));
    assert_eq!(j(&doc)["Statement"][1], json!({"Effect": "Deny", "Action": "x:Z"}));
}

#[test]
fn sid_and_effect() {
    assert_eq!(j(&Statement::allow().sid("Read")), json!({"Sid": "Read", "Effect": "Allow"}));
    assert_eq!(j(&Statement::new(Effect::Deny)), json!({"Effect": "Deny"}));
}

#[test]
fn principal_everyone() {
    assert_eq!(
        j(&Statement::allow().principal(Principal::Any)),
        json!({"Effect": "Allow", "Principal": "*"})
    );
    // `{"AWS": "*"}` is a different statement in IAM's eyes (any AWS account,
    // not anonymous users), so it stays expressible.
    assert_eq!(j(&Principal::aws("*")), json!({"AWS": "*"}));
}

#[test]
fn principal_aws() {
    let root = Expr::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
    assert_eq!(
        j(&Principal::aws(root.clone())),
        json!({"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}})
    );
    assert_eq!(
        j(&Principal::aws(root).and_aws(Expr::pseudo(Pseudo::AccountId))),
        json!({"AWS": [{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}, {"Ref": "AWS::AccountId"}]})
    );
}

#[test]
fn principal_service() {
    assert_eq!(j(&Principal::service("bedrock.amazonaws.com")), json!({"Service": "bedrock.amazonaws.com"}));
    assert_eq!(
        j(&Principal::services(["lambda.amazonaws.com", "edgelambda.amazonaws.com"])),
        json!({"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]})
    );
}

#[test]
fn principal_federated() {
    assert_eq!(
        j(&Principal::federated("cognito-identity.amazonaws.com")),
        json!({"Federated": "cognito-identity.amazonaws.com"})
    );
}

#[test]
fn principal_of_several_kinds() {
    let p = Principal::service("logs.amazonaws.com")
        .and_aws("arn:aws:iam::111122223333:root")
        .and_federated("accounts.google.com");
    assert_eq!(
        j(&p),
        json!({"AWS": "arn:aws:iam::111122223333:root", "Service": "logs.amazonaws.com", "Federated": "accounts.google.com"})
    );
    assert_eq!(j(&Principal::Any.and_service("s3.amazonaws.com")), json!({"Service": "s3.amazonaws.com"}));
}

#[test]
fn not_principal() {
    let s = Statement::deny().not_principal(Principal::aws("arn:aws:iam::111122223333:root")).action("s3:*");
    assert_eq!(
        j(&s),
        json!({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*"})
    );
}

#[test]
fn action_one_and_many() {
    assert_eq!(j(&Statement::allow().action("s3:GetObject"))["Action"], json!("s3:GetObject"));
    assert_eq!(
        j(&Statement::allow().action("s3:GetObject").actions(["s3:PutObject", "s3:ListBucket"]))["Action"],
        json!(["s3:GetObject", "s3:PutObject", "s3:ListBucket"])
    );
}

#[test]
fn not_action_one_and_many() {
    assert_eq!(j(&Statement::deny().not_action("iam:*"))["NotAction"], json!("iam:*"));
    assert_eq!(j(&Statement::deny().not_actions(["iam:*", "sts:*"]))["NotAction"], json!(["iam:*", "sts:*"]));
}

#[test]
fn resource_one_and_many() {
    let bucket = Expr::get_att("Logs", "Arn");
    assert_eq!(j(&Statement::allow().resource("*"))["Resource"], json!("*"));
    assert_eq!(
        j(&Statement::allow().resources([bucket, Expr::sub("${Logs.Arn}/*")]))["Resource"],
        json!([{"Fn::GetAtt": ["Logs", "Arn"]}, {"Fn::Sub": "${Logs.Arn}/*"}])
    );
}

#[test]
fn not_resource_one_and_many() {
    assert_eq!(
        j(&Statement::deny().not_resource("arn:aws:s3:::keep"))["NotResource"],
        json!("arn:aws:s3:::keep")
    );
    assert_eq!(
        j(&Statement::deny().not_resources(["arn:aws:s3:::a", "arn:aws:s3:::b"]))["NotResource"],
        json!(["arn:aws:s3:::a", "arn:aws:s3:::b"])
    );
}

#[test]
fn condition_one_value() {
    let s =
        Statement::allow().condition("StringEquals", "aws:SourceAccount", Expr::pseudo(Pseudo::AccountId));
    assert_eq!(j(&s)["Condition"], json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}));
    let s = Statement::deny().condition("Bool", "aws:SecureTransport", false);
    assert_eq!(j(&s)["Condition"], json!({"Bool": {"aws:SecureTransport": false}}));
}

#[test]
fn condition_several_values_of_one_key() {
    let s = Statement::allow()
        .condition("StringEquals", "aws:RequestedRegion", "eu-west-1")
        .condition("StringEquals", "aws:RequestedRegion", "eu-central-1")
        .condition_values("ArnLike", "aws:SourceArn", ["arn:aws:bedrock:*:1:*", "arn:aws:bedrock:*:2:*"]);
    assert_eq!(
        j(&s)["Condition"],
        json!({
            "StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]},
            "ArnLike": {"aws:SourceArn": ["arn:aws:bedrock:*:1:*", "arn:aws:bedrock:*:2:*"]},
        })
    );
}

#[test]
fn condition_several_keys_and_operators_keep_their_order() {
    let s = Statement::allow()
        .condition("StringEquals", "aws:SourceAccount", "111122223333")
        .condition("ArnLike", "aws:SourceArn", "arn:aws:bedrock:us-east-1:111122223333:*")
        .condition("StringEquals", "kms:ViaService", "s3.us-east-1.amazonaws.com");
    let text = serde_json::to_string(&j(&s)["Condition"]).unwrap();
    assert_eq!(
        text,
        r#"{"StringEquals":{"aws:SourceAccount":"111122223333","kms:ViaService":"s3.us-east-1.amazonaws.com"},"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:111122223333:*"}}"#
    );
}

#[test]
fn statement_keys_follow_aws_order() {
    let s = Statement::allow()
        .condition("Bool", "aws:SecureTransport", true)
        .not_resource("r")
        .resource("r")
        .not_action("n:A")
        .action("a:B")
        .not_principal(Principal::Any)
        .principal(Principal::Any)
        .sid("S");
    let keys: Vec<String> = j(&s).as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "Sid",
            "Effect",
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition"
        ]
    );
}

#[test]
fn fields_hold_expressions_for_inspection() {
    let s = Statement::allow().action("kms:Decrypt").resource("*");
    assert!(s.actions.iter().any(|a| a == "kms:Decrypt"));
    assert!(s.resources.iter().all(|r| *r == "*"));
}
