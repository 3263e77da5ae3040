//! Statements reach a resource's policy wherever CloudFormation keeps it:
//! in the resource's own property, or in a companion policy resource that
//! is found again rather than added twice.

use cfn_template::policy::{PolicyResource, ResourcePolicy, Statement, COMPANIONS};
use cfn_template::resources::iam::{ManagedPolicy, Role};
use cfn_template::resources::kms::Key;
use cfn_template::resources::logs::LogGroup;
use cfn_template::resources::s3::{Bucket, BucketPolicy};
use cfn_template::schema::facts::{self, PolicyKind};
use cfn_template::{policy::PolicyDocument, Template};
use serde_json::{json, Value};

fn allow(action: &str) -> Statement {
    Statement::allow().action(action).resource("*")
}

fn resources(t: &Template) -> Value {
    t.synthesize().unwrap()["Resources"].clone()
}

#[test]
fn a_key_policy_is_edited_in_place_and_names_the_key_as_star() {
    let mut t = Template::new();
    let key = t.add("Key", Key::default());
    key.add_to_resource_policy(&mut t, allow("kms:Decrypt"));
    key.add_to_resource_policy(&mut t, allow("kms:Encrypt"));
    let r = resources(&t);
    assert_eq!(r.as_object().unwrap().len(), 1, "no companion resource for a key");
    let statements = r["Key"]["Properties"]["KeyPolicy"]["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(Key::NAMES_ITSELF, PolicyResource::This);
    assert_eq!(LogGroup::NAMES_ITSELF, PolicyResource::Arn);
}

#[test]
fn a_bucket_policy_is_added_once_then_found_again() {
    let mut t = Template::new();
    let logs = t.add("Logs", Bucket::default());
    let other = t.add("Other", Bucket::default());
    logs.add_to_resource_policy(&mut t, allow("s3:GetObject"));
    other.add_to_resource_policy(&mut t, allow("s3:PutObject"));
    logs.add_to_resource_policy(&mut t, allow("s3:ListBucket"));
    let r = resources(&t);
    assert_eq!(r["LogsPolicy"]["Type"], "AWS::S3::BucketPolicy");
    assert_eq!(r["LogsPolicy"]["Properties"]["Bucket"], json!({"Ref": "Logs"}));
    let actions: Vec<&Value> = r["LogsPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["Action"])
        .collect();
    assert_eq!(actions, [&json!("s3:GetObject"), &json!("s3:ListBucket")]);
    assert_eq!(r["OtherPolicy"]["Properties"]["Bucket"], json!({"Ref": "Other"}));
}

#[test]
fn a_bucket_policy_written_by_hand_is_the_one_extended() {
    let mut t = Template::new();
    let logs = t.add("Logs", Bucket::default());
    t.add("HandWritten", BucketPolicy::new(logs.r#ref(), PolicyDocument::new(vec![allow("s3:GetObject")])));
    logs.add_to_resource_policy(&mut t, allow("s3:PutObject"));
    let r = resources(&t);
    assert!(r.get("LogsPolicy").is_none());
    assert_eq!(r["HandWritten"]["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap().len(), 2);
}

#[test]
fn a_role_takes_grants_in_a_default_managed_policy_attached_to_it() {
    let mut t = Template::new();
    let trust = PolicyDocument::new(vec![Statement::allow().action("sts:AssumeRole")]);
    let role = t.add("Reader", Role::new(trust));
    role.add_to_policy(&mut t, allow("s3:GetObject"));
    role.add_to_policy(&mut t, allow("kms:Decrypt"));
    let r = resources(&t);
    let policy = &r["ReaderDefaultPolicy"];
    assert_eq!(policy["Type"], "AWS::IAM::ManagedPolicy", "compliance packs flag inline policies");
    assert_eq!(policy["Properties"]["Roles"], json!([{"Ref": "Reader"}]));
    assert!(
        policy["Properties"].get("ManagedPolicyName").is_none(),
        "named by CloudFormation: no IAM name to collide"
    );
    assert_eq!(policy["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap().len(), 2);
    assert!(r["Reader"]["Properties"].get("Policies").is_none(), "the role itself is unchanged");
}

#[test]
fn only_the_default_policy_by_its_logical_id_is_extended() {
    let mut t = Template::new();
    let trust = PolicyDocument::new(vec![Statement::allow().action("sts:AssumeRole")]);
    let role = t.add("Reader", Role::new(trust));
    let mut own = ManagedPolicy::new(PolicyDocument::new(vec![allow("s3:ListAllMyBuckets")]));
    own.roles = Some(vec![role.r#ref()].into());
    t.add("Hand", own);
    role.add_to_policy(&mut t, allow("s3:GetObject"));
    let r = resources(&t);
    assert_eq!(r["Hand"]["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap().len(), 1);
    assert_eq!(
        r["ReaderDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Action"],
        "s3:GetObject"
    );
}

#[test]
fn a_managed_policy_is_extended_in_place() {
    let mut t = Template::new();
    let policy = t.add("Permissions", ManagedPolicy::new(PolicyDocument::new(vec![allow("s3:GetObject")])));
    policy.add_to_policy(&mut t, allow("s3:PutObject"));
    let r = resources(&t);
    assert_eq!(r["Permissions"]["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap().len(), 2);
    assert_eq!(r.as_object().unwrap().len(), 1);
}

/// Every type the facts say is itself a resource-policy resource (its name
/// ends in `Policy` and a top-level property holds a resource policy) is
/// the companion of a type listed in `COMPANIONS`, or governs no single
/// resource of a template (an account's registry).
#[test]
fn every_companion_policy_type_of_the_facts_is_known() {
    const ACCOUNT_WIDE: [&str; 1] = ["AWS::ECR::RegistryPolicy"];
    let mut policy_types = Vec::new();
    for f in facts::all() {
        let top_level_resource_policy =
            f.policies.iter().any(|(p, k)| *k == PolicyKind::Resource && p.matches('/').count() == 2);
        if top_level_resource_policy && f.type_name.ends_with("Policy") {
            policy_types.push(f.type_name);
        }
    }
    assert!(policy_types.len() >= 5, "{policy_types:?}");
    for t in &policy_types {
        assert!(
            COMPANIONS.iter().any(|(_, companion)| companion == t) || ACCOUNT_WIDE.contains(t),
            "{t} holds a resource policy for another resource, but no type names it as its companion"
        );
    }
    for (target, companion) in COMPANIONS {
        assert!(facts::facts(target).is_some(), "{target}");
        assert!(policy_types.contains(&companion), "{companion} is not a resource-policy type of the facts");
    }
}
