//! Grants put each statement where it belongs: an identity of the template
//! in its own permissions, any other principal in the resource's policy;
//! and a grant on an encrypted bucket reaches its key.

use cfn_constructs::{
    AccountRegional, EncryptedLogGroup, EncryptionKey, Grant, Grants, NameKind, NamingStrategy, Scope,
    SecureBucket, ServiceRole,
};
use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::iam::Role;
use cfn_template::{Expr, Template};
use serde_json::{json, Value};

fn json(t: &Template) -> Value {
    serde_json::from_str(&t.to_json().expect("grants make valid templates")).unwrap()
}

fn statements<'a>(t: &'a Value, id: &str) -> &'a Vec<Value> {
    let p = &t["Resources"][id]["Properties"];
    p.get("KeyPolicy").unwrap_or(&p["PolicyDocument"])["Statement"].as_array().unwrap()
}

fn sids(t: &Value, id: &str) -> Vec<String> {
    statements(t, id).iter().filter_map(|s| s["Sid"].as_str().map(str::to_string)).collect()
}

fn reader(t: &mut Template) -> cfn_template::Handle<Role> {
    let trust =
        Statement::allow().principal(Principal::service("lambda.amazonaws.com")).action("sts:AssumeRole");
    t.add("Reader", Role::new(PolicyDocument::new(vec![trust])))
}

fn bucket(t: &mut Template) -> SecureBucket {
    let key = EncryptionKey::new("Data", AccountRegional.name(NameKind::KmsAlias, "data")).build(t);
    SecureBucket::new("Data", "data-bucket".into(), &key.key).build(t)
}

#[test]
fn a_role_of_the_template_is_granted_in_its_own_policy_key_included() {
    let mut t = Template::new();
    let b = bucket(&mut t);
    let role = reader(&mut t);
    let before = sids(&json(&t), "DataBucketPolicy");
    b.grant_read(&mut t, &role, ["reports/*".into()]);
    let v = json(&t);
    assert_eq!(sids(&v, "DataBucketPolicy"), before, "the bucket policy is untouched");
    let granted = statements(&v, "ReaderDefaultPolicy");
    assert_eq!(granted.len(), 3, "{granted:#?}");
    assert_eq!(granted[0]["Action"], "s3:GetObject");
    assert_eq!(granted[0]["Resource"]["Fn::Sub"], "${DataBucket.Arn}/reports/*");
    assert_eq!(granted[1]["Action"], json!(["s3:GetBucketLocation", "s3:ListBucket"]));
    // The key, by ARN: its policy delegates to IAM, so no key policy statement is needed.
    assert_eq!(granted[2]["Action"], json!(["kms:Decrypt", "kms:DescribeKey"]));
    assert_eq!(granted[2]["Resource"], json!({"Fn::GetAtt": ["DataKey", "Arn"]}));
    assert!(granted.iter().all(|s| s.get("Principal").is_none() && s.get("Sid").is_none()));
    assert_eq!(v["Resources"]["ReaderDefaultPolicy"]["Properties"]["Roles"], json!([{"Ref": "Reader"}]));
}

#[test]
fn another_account_is_granted_in_the_resource_policies_key_as_star() {
    let mut t = Template::new();
    let b = bucket(&mut t);
    let other = Grant::aws("arn:aws:iam::111122223333:role/auditor").sid("Auditor");
    b.grant_read(&mut t, &other, ["*".into()]);
    let v = json(&t);
    let policy = statements(&v, "DataBucketPolicy");
    let get = policy.iter().find(|s| s["Sid"] == "Auditor").unwrap();
    assert_eq!(get["Principal"], json!({"AWS": "arn:aws:iam::111122223333:role/auditor"}));
    assert!(policy.iter().any(|s| s["Sid"] == "AuditorBucket"));
    let key = statements(&v, "DataKey").iter().find(|s| s["Sid"] == "AuditorKey").unwrap();
    assert_eq!(key["Resource"], "*", "a key policy names its key as *");
    assert_eq!(key["Action"], json!(["kms:Decrypt", "kms:DescribeKey"]));
    assert!(v["Resources"].get("ReaderDefaultPolicy").is_none());
}

#[test]
fn a_service_is_granted_the_bucket_but_not_the_key() {
    let mut t = Template::new();
    let b = bucket(&mut t);
    let key_statements = sids(&json(&t), "DataKey");
    let service = Grant::service("logging.s3.amazonaws.com").sid("ServerAccessLogs").from_this_account();
    b.grant_write(&mut t, &service, ["access/*".into()]);
    let v = json(&t);
    assert_eq!(sids(&v, "DataKey"), key_statements, "services state their own key conditions");
    let write = statements(&v, "DataBucketPolicy").iter().find(|s| s["Sid"] == "ServerAccessLogs").unwrap();
    assert_eq!(write["Condition"]["StringEquals"]["aws:SourceAccount"], json!({"Ref": "AWS::AccountId"}));
}

#[test]
fn a_service_role_takes_grants_in_its_managed_policy() {
    let mut t = Template::new();
    let key = EncryptionKey::new("Data", "alias/data".into()).build(&mut t);
    let role =
        ServiceRole::new("Writer", "writer".into(), "writer".into(), "lambda.amazonaws.com".into(), None)
            .allow(Statement::allow().action("logs:PutLogEvents").resource("*"))
            .build(&mut t);
    key.grant_encrypt_decrypt(&mut t, &role);
    let v = json(&t);
    let policy = statements(&v, "WriterPolicy");
    assert_eq!(policy.len(), 2);
    assert_eq!(policy[1]["Resource"], json!({"Fn::GetAtt": ["DataKey", "Arn"]}));
    assert!(v["Resources"].get("WriterRoleDefaultPolicy").is_none());
}

#[test]
fn log_groups_grant_through_the_same_routing_inside_a_scope() {
    let mut t = Template::new();
    let mut scope = Scope::new(&mut t, "App");
    let key = EncryptionKey::new("Logs", "alias/app-logs".into()).build(&mut scope);
    let logs = EncryptedLogGroup::new("Events", "/app/events".into(), &key.key).build(&mut scope);
    let role = reader(&mut scope);
    logs.grant_write(&mut scope, &role);
    logs.grant_read(&mut scope, Grant::aws(Expr::sub("arn:${AWS::Partition}:iam::111122223333:root")));
    let v = json(&t);
    let identity = statements(&v, "ReaderDefaultPolicy");
    assert_eq!(identity[0]["Action"], json!(["logs:CreateLogStream", "logs:PutLogEvents"]));
    let resource = &v["Resources"]["AppEventsLogGroup"]["Properties"]["ResourcePolicyDocument"]["Statement"];
    assert_eq!(resource[0]["Principal"]["AWS"]["Fn::Sub"], "arn:${AWS::Partition}:iam::111122223333:root");
    assert_eq!(
        resource[0]["Resource"][0]["Fn::Sub"],
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/app/events"
    );
}

#[test]
fn any_typed_handle_with_a_resource_policy_grants() {
    let mut t = Template::new();
    let key = t.add("Raw", cfn_template::resources::kms::Key::default());
    key.grant(
        &mut t,
        Grant::service("sns.amazonaws.com").from_this_account(),
        ["kms:Decrypt"],
        vec![key.arn()],
    );
    let v = json(&t);
    assert_eq!(statements(&v, "Raw")[0]["Resource"], "*");
}
