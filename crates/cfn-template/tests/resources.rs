//! The generated L1: properties spelled as CloudFormation spells them, unset
//! optional ones left out, required ones taken by `new`, every value open to
//! intrinsics, typed policy documents, attribute accessors on handles, and
//! the escape hatches (property overrides, raw resources, declared types),
//! each checked like a typed resource.

use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::iam::role::Policy as InlinePolicy;
use cfn_template::resources::iam::Role;
use cfn_template::resources::kms::Key;
use cfn_template::resources::lambda::function::Code;
use cfn_template::resources::lambda::Function;
use cfn_template::resources::logs::LogGroup;
use cfn_template::resources::s3::bucket::{
    BucketEncryption, LifecycleConfiguration, Rule, ServerSideEncryptionByDefault, ServerSideEncryptionRule,
};
use cfn_template::resources::s3::Bucket;
use cfn_template::resources::{RawResource, Resource, Tag};
use cfn_template::value::{Bool, Int, List};
use cfn_template::{Attributes, Expr, Handle, Parameter, Policy as Retention, Template};
use serde_json::{json, Value};

fn props<R: Resource>(r: &R) -> Value {
    r.properties()
}

fn problems(t: &Template) -> Vec<String> {
    match t.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

fn doc() -> PolicyDocument {
    PolicyDocument::new(vec![Statement::allow().action("s3:GetObject").resource("*")])
}

fn code() -> Code {
    Code { zip_file: Some("def handler(e, c): pass".into()), ..Code::default() }
}

#[test]
fn unset_optional_properties_are_omitted_and_required_ones_taken_by_new() {
    assert_eq!(props(&Bucket::default()), json!({}));
    assert_eq!(props(&LogGroup::default()), json!({}));
    assert_eq!(
        props(&Function::new(code(), "arn:aws:iam::111122223333:role/r")),
        json!({"Code": {"ZipFile": "def handler(e, c): pass"}, "Role": "arn:aws:iam::111122223333:role/r"})
    );
    let mut t = Template::new();
    t.add("Logs", Bucket::default());
    assert_eq!(t.to_value()["Resources"]["Logs"], json!({"Type": "AWS::S3::Bucket"}));
    assert_eq!(Bucket::TYPE, "AWS::S3::Bucket");
}

#[test]
fn property_names_are_spelled_as_cloudformation_spells_them() {
    let bucket = Bucket {
        bucket_encryption: Some(BucketEncryption::new(vec![ServerSideEncryptionRule {
            bucket_key_enabled: Some(true.into()),
            server_side_encryption_by_default: Some(ServerSideEncryptionByDefault {
                kms_master_key_id: Some("k".into()),
                ..ServerSideEncryptionByDefault::new("aws:kms")
            }),
            ..ServerSideEncryptionRule::default()
        }])),
        tags: Some(vec![Tag::new("team", "audit")].into()),
        ..Bucket::default()
    };
    assert_eq!(
        props(&bucket),
        json!({
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                "BucketKeyEnabled": true,
                "ServerSideEncryptionByDefault": {"KMSMasterKeyID": "k", "SSEAlgorithm": "aws:kms"}
            }]},
            "Tags": [{"Key": "team", "Value": "audit"}]
        })
    );
}

#[test]
fn numbers_booleans_and_lists_take_intrinsics() {
    let mut t = Template::new();
    let days = t.add_parameter("RetentionDays", Parameter::new("Number").default_value(365));
    let zones = t.add_parameter("Zones", Parameter::new("CommaDelimitedList"));
    t.add(
        "Logs",
        LogGroup {
            retention_in_days: Some(Int::from(days.r#ref())),
            deletion_protection_enabled: Some(Bool::from(Expr::if_("Prod", true.into(), false.into()))),
            ..LogGroup::default()
        },
    );
    t.add_condition(
        "Prod",
        cfn_template::CondExpr::equals(Expr::pseudo(cfn_template::Pseudo::Region), "eu-west-1"),
    );
    let arns: List<Expr> = zones.r#ref().into();
    t.add("Role", Role { managed_policy_arns: Some(arns), ..Role::new(trust()) });
    let v = t.to_value();
    assert_eq!(v["Resources"]["Logs"]["Properties"]["RetentionInDays"], json!({"Ref": "RetentionDays"}));
    assert_eq!(
        v["Resources"]["Logs"]["Properties"]["DeletionProtectionEnabled"],
        json!({"Fn::If": ["Prod", true, false]})
    );
    assert_eq!(v["Resources"]["Role"]["Properties"]["ManagedPolicyArns"], json!({"Ref": "Zones"}));
    assert_eq!(problems(&t), Vec::<String>::new());
}

fn trust() -> PolicyDocument {
    PolicyDocument::new(vec![Statement::allow()
        .principal(Principal::service("lambda.amazonaws.com"))
        .action("sts:AssumeRole")])
}

#[test]
fn policy_documents_are_typed_where_iam_reads_them() {
    let role = Role { policies: Some(vec![InlinePolicy::new(doc(), "read")].into()), ..Role::new(trust()) };
    let key = Key { key_policy: Some(doc()), ..Key::default() };
    let v = props(&role);
    assert_eq!(v["AssumeRolePolicyDocument"]["Statement"][0]["Action"], json!("sts:AssumeRole"));
    assert_eq!(v["Policies"][0]["PolicyDocument"]["Version"], json!("2012-10-17"));
    assert_eq!(props(&key)["KeyPolicy"]["Statement"][0]["Resource"], json!("*"));
}

#[test]
fn the_values_a_property_takes_are_constants() {
    assert!(LogGroup::RETENTION_IN_DAYS_VALUES.contains(&3653));
    assert!(Bucket::ACCESS_CONTROL_VALUES.contains(&"Private"));
}

#[test]
fn literal_values_are_checked_by_the_schema_and_both_branches_of_an_if() {
    let mut t = Template::new();
    t.add_condition(
        "Prod",
        cfn_template::CondExpr::equals(Expr::pseudo(cfn_template::Pseudo::Region), "eu-west-1"),
    );
    t.add(
        "Logs",
        LogGroup {
            retention_in_days: Some(Int::from(Expr::if_("Prod", 3653.into(), 100.into()))),
            log_group_class: Some("FAST".into()),
            ..LogGroup::default()
        },
    );
    t.add(
        "Bucket",
        Bucket {
            lifecycle_configuration: Some(LifecycleConfiguration::new(vec![Rule {
                expiration_in_days: Some(0.into()),
                ..Rule::new("Enable")
            }])),
            ..Bucket::default()
        },
    );
    let found = problems(&t);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].starts_with("Resources.Logs: Properties.LogGroupClass: `FAST` is not one of"),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with("Resources.Logs: Properties.RetentionInDays.Fn::If[2]: 100 is not one of"),
        "{}",
        found[1]
    );
    assert!(
        found[2]
            .contains("Rules[0].Status: `Enable` is not one of Enabled, Disabled (did you mean `Enabled`?)"),
        "{}",
        found[2]
    );
    // A rule of S3 that its schema does not state.
    assert_eq!(
        found[3],
        "Resources.Bucket: Properties.LifecycleConfiguration.Rules[0].ExpirationInDays: 0 days: S3 takes a positive \
         number of days"
    );
}

#[test]
fn handles_offer_refs_and_the_attributes_of_the_schema() {
    let mut t = Template::new();
    let bucket = t.add("B", Bucket::default());
    let key = t.add("K", Key::default());
    let function = t.add("F", Function::new(code(), "arn:aws:iam::111122223333:role/r"));
    let att = |id: &str, a: &str| Expr::get_att(id, a);
    assert_eq!(bucket.r#ref(), Expr::r#ref("B"));
    assert_eq!(bucket.arn(), att("B", "Arn"));
    assert_eq!(bucket.regional_domain_name(), att("B", "RegionalDomainName"));
    assert_eq!(key.key_id(), att("K", "KeyId"));
    // Nested attributes, dotted as GetAtt spells them.
    assert_eq!(function.snap_start_response_apply_on(), att("F", "SnapStartResponse.ApplyOn"));
    assert_eq!(key.logical_id(), "K");
    assert_eq!(format!("{key:?}"), "Handle(K)");
    assert_eq!(key.clone(), key);
}

#[test]
fn resources_stay_open_after_they_are_added() {
    let mut t = Template::new();
    let key = t.add("K", Key { key_policy: Some(doc()), ..Key::default() });
    t.get_mut(&key).key_policy.as_mut().unwrap().push(Statement::deny().action("kms:Decrypt").resource("*"));
    t.get_mut(&key).enable_key_rotation = Some(true.into());
    let v = t.to_value();
    assert_eq!(v["Resources"]["K"]["Properties"]["KeyPolicy"]["Statement"][1]["Effect"], json!("Deny"));
    assert_eq!(t.get(&key).enable_key_rotation, Some(Bool::from(true)));
}

#[test]
fn overrides_set_and_remove_properties_and_are_checked() {
    let mut t = Template::new();
    let bucket = t.add(
        "B",
        Bucket {
            lifecycle_configuration: Some(LifecycleConfiguration::new(vec![Rule::new("Enabled")])),
            ..Bucket::default()
        },
    );
    t.override_property(&bucket, "LifecycleConfiguration.Rules.0.Status", "Disabled");
    t.override_property(&bucket, "VersioningConfiguration", json!({"Status": {"Ref": "Versioning"}}));
    t.remove_property(&bucket, "LifecycleConfiguration.Rules.0.Status");
    t.override_property(&bucket, "Arn", "arn:aws:s3:::x");
    t.override_property(&bucket, "LifecycleConfiguration.Rules.3.Status", "Enabled");
    let v = t.to_value();
    assert_eq!(v["Resources"]["B"]["Properties"]["LifecycleConfiguration"]["Rules"][0], json!({}));
    assert_eq!(
        problems(&t),
        [
            "Resources.B: property override: `LifecycleConfiguration.Rules.3` is not an index of a list of 1 items",
            "Resources.B: Properties.LifecycleConfiguration.Rules[0]: `Status` is required",
            "Resources.B: Properties.Arn: `Arn` is read-only: CloudFormation sets it (read it with Fn::GetAtt)",
            "Resources.B.Properties.VersioningConfiguration.Status.Ref: Ref names `Versioning`, which is not a \
             resource, parameter or pseudo parameter of this template",
        ]
    );
}

#[test]
fn raw_resources_are_checked_as_far_as_the_schemas_allow() {
    let mut t = Template::new();
    // A type whose service is compiled in: its shape.
    t.add("Typo", RawResource::new("AWS::S3::Bucket").property("BucketNmae", "x"));
    // A type whose service feature is off: its facts.
    t.add("Topic", RawResource::new("AWS::SNS::Topic").property("TopicNmae", "x"));
    // A type the schemas lack: anything goes.
    t.add("Atlas", RawResource::new("MongoDB::Atlas::Cluster").property("Anything", "x"));
    t.add_output("Arn", cfn_template::Output::new(Expr::get_att("Topic", "TopicArnn")));
    assert_eq!(
        problems(&t),
        [
            "Resources.Typo: Properties: `BucketNmae` is not a property of AWS::S3::Bucket (did you mean `BucketName`?)",
            "Resources.Topic: Properties: `TopicNmae` is not a property of AWS::SNS::Topic (did you mean `TopicName`?)",
            "Outputs.Arn.Value.Fn::GetAtt: Fn::GetAtt asks for `TopicArnn` of `Topic`, but AWS::SNS::Topic has no \
             such attribute (did you mean `TopicArn`?)",
        ]
    );
}

#[test]
fn attributes_are_written_in_cloudformation_order() {
    let mut t = Template::new();
    let first = t.add("First", Bucket::default());
    t.add_condition("C", cfn_template::CondExpr::equals("a", "a"));
    let second = t.add_with(
        "Second",
        Bucket { bucket_name: Some("b-2".into()), ..Bucket::default() },
        Attributes::new()
            .metadata("cfn-lint", json!({"config": {}}))
            .retain()
            .condition("C")
            .depends_on(&first)
            .depends_on_id("First")
            .depends_on_id("Third"),
    );
    t.add("Third", Bucket::default());
    assert_eq!(
        serde_json::to_string(&t.to_value()["Resources"]["Second"]).unwrap(),
        r#"{"Type":"AWS::S3::Bucket","Condition":"C","DependsOn":["First","Third"],"Properties":{"BucketName":"b-2"},"DeletionPolicy":"Retain","UpdateReplacePolicy":"Retain","Metadata":{"cfn-lint":{"config":{}}}}"#
    );
    t.attributes_mut(&second).depends_on = vec!["First".into(), "First".into()];
    t.attributes_mut(&second).deletion_policy = Some(Retention::RetainExceptOnCreate);
    t.attributes_mut(&second).update_replace_policy = Some(Retention::Delete);
    let written = &t.to_value()["Resources"]["Second"];
    assert_eq!(written["DependsOn"], json!("First"));
    assert_eq!(written["DeletionPolicy"], json!("RetainExceptOnCreate"));
    assert_eq!(written["UpdateReplacePolicy"], json!("Delete"));
    let _: &Handle<Bucket> = &second;
}

#[test]
fn template_sections_in_order() {
    use cfn_template::{CondExpr, Output, Parameter};
    let mut t = Template::new();
    t.add_output("O", Output::new(Expr::r#ref("P")).description("d").export("e").condition("C"));
    t.add("R", Bucket::default());
    t.add_condition("C", CondExpr::equals(Expr::r#ref("P"), "x"));
    t.add_mapping("M", json!({"a": {"b": "c"}}));
    t.add_parameter(
        "P",
        Parameter::new("String")
            .description("p")
            .default_value("x")
            .allowed_values(["x", "y"])
            .allowed_pattern("[a-z]")
            .constraint_description("lowercase")
            .length(1, 2)
            .no_echo(),
    );
    t.set_metadata("Note", json!("n"));
    t.set_description("desc");
    assert_eq!(t.description(), Some("desc"));
    assert_eq!(t.metadata()["Note"], json!("n"));
    let v = t.to_value();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "AWSTemplateFormatVersion",
            "Description",
            "Metadata",
            "Parameters",
            "Mappings",
            "Conditions",
            "Resources",
            "Outputs"
        ]
    );
    assert_eq!(
        v["Parameters"]["P"],
        json!({
            "Type": "String", "Default": "x", "Description": "p", "AllowedValues": ["x", "y"],
            "AllowedPattern": "[a-z]", "ConstraintDescription": "lowercase", "MinLength": 1, "MaxLength": 2,
            "NoEcho": true,
        })
    );
    assert_eq!(
        serde_json::to_string(&v["Outputs"]["O"]).unwrap(),
        r#"{"Description":"d","Condition":"C","Value":{"Ref":"P"},"Export":{"Name":"e"}}"#
    );
    assert_eq!(v["AWSTemplateFormatVersion"], json!(cfn_template::FORMAT_VERSION));
}
