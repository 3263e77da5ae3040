//! Every kind of validation error, with the exact message a user sees:
//! where the problem is (a path into the template) and, where a name is
//! close to one the template has, what was probably meant.

use cfn_template::policy::{PolicyDocument, Statement};
use cfn_template::resources::iam::{ManagedPolicy, Role};
use cfn_template::resources::kms::{Alias, Key};
use cfn_template::resources::lambda::function::Code;
use cfn_template::resources::lambda::Function;
use cfn_template::resources::logs::LogGroup;
use cfn_template::resources::s3::Bucket;
use cfn_template::resources::{CustomResource, RawResource};
use cfn_template::{
    Attributes, CondExpr, Expr, Output, Parameter, Policy, Template, ValidationError, MAX_MAPPINGS,
    MAX_RESOURCES,
};
use serde_json::{json, Value};

/// A resource of any type and raw properties, to write what the typed
/// structs cannot (malformed intrinsics, unknown functions).
#[allow(non_snake_case)]
fn Raw(type_name: &str, properties: Value) -> RawResource {
    let Value::Object(properties) = properties else { panic!("properties are an object") };
    RawResource { type_name: type_name.to_string(), properties }
}

fn bucket() -> Bucket {
    Bucket::default()
}

fn named_bucket(name: impl Into<Expr>) -> Bucket {
    Bucket { bucket_name: Some(name.into()), ..Bucket::default() }
}

/// The messages of every problem, in the order they are reported.
/// A policy document with one statement, for resources whose policy is not under test.
fn some_policy() -> PolicyDocument {
    PolicyDocument::new(vec![Statement::allow().action("s3:GetObject").resource("*")])
}

fn problems(t: &Template) -> Vec<String> {
    match t.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

/// A template with one valid resource, so only the problem under test shows.
fn base() -> Template {
    let mut t = Template::new();
    t.add("Logs", bucket());
    t
}

#[test]
fn a_valid_template_passes_and_is_written() {
    let t = base();
    assert_eq!(problems(&t), Vec::<String>::new());
    assert!(t.to_json().is_ok() && t.to_yaml().is_ok());
}

#[test]
fn an_invalid_template_is_never_written() {
    let mut t = base();
    t.add_output("Out", Output::new(Expr::r#ref("Nothing")));
    let json = t.to_json().unwrap_err();
    let yaml = t.to_yaml().unwrap_err();
    assert_eq!(json, yaml);
    assert_eq!(
        json.to_string(),
        "the template is not valid (1 problem):\n  - Outputs.Out.Value.Ref: Ref names `Nothing`, which is not a \
         resource, parameter or pseudo parameter of this template"
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut t = Template::new();
    t.add("bad-id", bucket());
    t.add("Other", named_bucket("upper_case"));
    t.add_output("Out", Output::new(Expr::get_att("Missing", "Arn")));
    let e = t.to_json().unwrap_err();
    assert_eq!(
        e.to_string(),
        "the template is not valid (3 problems):\n\
         \x20 - resource logical ID `bad-id` must be 1 to 255 characters of A-Z, a-z and 0-9\n\
         \x20 - Resources.Other: Properties.BucketName: `upper_case` does not match the pattern \
         ^([a-z0-9][a-z0-9.-]*[a-z0-9])?$\n\
         \x20 - Outputs.Out.Value.Fn::GetAtt: Fn::GetAtt names `Missing`, which is not a resource of this template"
    );
}

#[test]
fn invalid_logical_ids_of_every_section() {
    let mut t = Template::new();
    t.add("my-bucket", bucket());
    t.add_parameter("a_b", Parameter::new("String"));
    t.add_mapping("Map.1", json!({"a": {"b": "c"}}));
    t.add_condition("Is Prod", CondExpr::equals("a", "a"));
    t.add_output("", Output::new("x".into()));
    t.add("L".repeat(256), bucket());
    t.add("L".repeat(255), bucket());
    assert_eq!(
        problems(&t),
        [
            "resource logical ID `my-bucket` must be 1 to 255 characters of A-Z, a-z and 0-9".to_string(),
            format!(
                "resource logical ID `{}` must be 1 to 255 characters of A-Z, a-z and 0-9",
                "L".repeat(256)
            ),
            "parameter logical ID `a_b` must be 1 to 255 characters of A-Z, a-z and 0-9".to_string(),
            "mapping logical ID `Map.1` must be 1 to 255 characters of A-Z, a-z and 0-9".to_string(),
            "condition logical ID `Is Prod` must be 1 to 255 characters of A-Z, a-z and 0-9".to_string(),
            "output logical ID `` must be 1 to 255 characters of A-Z, a-z and 0-9".to_string(),
        ]
    );
    assert!(matches!(
        &t.validate().unwrap_err().0[0],
        ValidationError::InvalidLogicalId { kind: "resource", id } if id == "my-bucket"
    ));
}

#[test]
fn duplicate_resources_and_parameters() {
    let mut t = base();
    t.add("Logs", bucket());
    t.add("Logs", bucket());
    t.add_parameter("Stage", Parameter::new("String"));
    t.add_parameter("Stage", Parameter::new("String"));
    t.add_parameter("Logs", Parameter::new("String"));
    assert_eq!(
        problems(&t),
        [
            "logical ID `Logs` is declared more than once among resources and parameters",
            "logical ID `Stage` is declared more than once among resources and parameters",
        ]
    );
}

#[test]
fn duplicate_conditions_mappings_outputs_and_exports() {
    let mut t = base();
    t.add_condition("C", CondExpr::equals("a", "a"));
    t.add_condition("C", CondExpr::equals("b", "b"));
    t.add_mapping("M", json!({"a": {"b": "c"}}));
    t.add_mapping("M", json!({"a": {"b": "c"}}));
    t.add_output("O", Output::new("x".into()));
    t.add_output("O", Output::new("y".into()));
    t.add_output("P", Output::new("x".into()).export("shared"));
    t.add_output("Q", Output::new("y".into()).export("shared"));
    assert_eq!(
        problems(&t),
        [
            "condition `C` is declared more than once",
            "mapping `M` is declared more than once",
            "output `O` is declared more than once",
            "export name `shared` is declared more than once",
        ]
    );
}

#[test]
fn unknown_ref_with_a_suggestion() {
    let mut t = base();
    t.add_parameter("Stage", Parameter::new("String"));
    t.add("Policy", Raw("Custom::Policy", json!({"Bucket": {"Ref": "Log"}, "Other": {"Ref": "stage"}})));
    t.add_output("Region", Output::new(Expr::r#ref("AWS::Regoin")));
    t.add_output("Nothing", Output::new(Expr::r#ref("Zebra")));
    assert_eq!(
        problems(&t),
        [
            "Resources.Policy.Properties.Bucket.Ref: Ref names `Log`, which is not a resource, parameter or pseudo \
             parameter of this template (did you mean `Logs`?)",
            "Resources.Policy.Properties.Other.Ref: Ref names `stage`, which is not a resource, parameter or pseudo \
             parameter of this template (did you mean `Stage`?)",
            "Outputs.Region.Value.Ref: Ref names `AWS::Regoin`, which is not a resource, parameter or pseudo \
             parameter of this template (did you mean `AWS::Region`?)",
            "Outputs.Nothing.Value.Ref: Ref names `Zebra`, which is not a resource, parameter or pseudo parameter \
             of this template",
        ]
    );
}

#[test]
fn get_att_of_a_parameter_or_unknown_resource() {
    let mut t = base();
    t.add_parameter("Stage", Parameter::new("String"));
    t.add_output("A", Output::new(Expr::get_att("Stage", "Arn")));
    t.add_output("B", Output::new(Expr::get_att("Logz", "Arn")));
    assert_eq!(
        problems(&t),
        [
            "Outputs.A.Value.Fn::GetAtt: Fn::GetAtt names `Stage`, which is not a resource of this template",
            "Outputs.B.Value.Fn::GetAtt: Fn::GetAtt names `Logz`, which is not a resource of this template (did \
             you mean `Logs`?)",
        ]
    );
}

#[test]
fn sub_variables_name_resources_parameters_or_pseudo_parameters() {
    let mut t = base();
    t.add_parameter("Stage", Parameter::new("String"));
    t.add_output(
        "Ok",
        Output::new(Expr::sub("${Logs}-${Logs.Arn}-${Stage}-${AWS::Region}-${!Literal}-${Mine}")),
    );
    t.add_output("Vars", Output::new(Expr::sub_with("${Mine}", [("Mine", Expr::r#ref("Stage"))])));
    t.add_output("Bad", Output::new(Expr::sub("${Stag}/${Log.Arn}/${Stage.Arn}/${AWS::Acount}")));
    let p = problems(&t);
    assert_eq!(p.len(), 5, "{p:#?}");
    assert_eq!(
        p[0],
        "Outputs.Ok.Value.Fn::Sub: Fn::Sub names `Mine`, which is not a resource, parameter or pseudo parameter of \
         this template"
    );
    assert_eq!(
        &p[1..],
        [
            "Outputs.Bad.Value.Fn::Sub: Fn::Sub names `Stag`, which is not a resource, parameter or pseudo \
             parameter of this template (did you mean `Stage`?)",
            "Outputs.Bad.Value.Fn::Sub: Fn::Sub names `Log`, which is not a resource of this template (did you \
             mean `Logs`?)",
            "Outputs.Bad.Value.Fn::Sub: Fn::Sub names `Stage`, which is not a resource of this template",
            "Outputs.Bad.Value.Fn::Sub: Fn::Sub names `AWS::Acount`, which is not a resource, parameter or pseudo \
             parameter of this template (did you mean `AWS::AccountId`?)",
        ]
    );
}

#[test]
fn sub_variables_inside_their_own_map_are_checked_too() {
    let mut t = base();
    t.add_output("O", Output::new(Expr::sub_with("${A}", [("A", Expr::get_att("Nope", "Arn"))])));
    assert_eq!(
        problems(&t),
        ["Outputs.O.Value.Fn::Sub[1].A.Fn::GetAtt: Fn::GetAtt names `Nope`, which is not a resource of this template"]
    );
}

#[test]
fn malformed_sub_strings() {
    let mut t = base();
    t.add_output("O", Output::new(Expr::sub("arn:${AWS::Partition")));
    t.add_output("P", Output::new(Expr::sub("a ${ Logs}")));
    assert_eq!(
        problems(&t),
        [
            "Outputs.O.Value.Fn::Sub: `${` at byte 4 of `arn:${AWS::Partition` has no closing `}`",
            "Outputs.P.Value.Fn::Sub: `${ Logs}` in `a ${ Logs}` is not a valid variable",
        ]
    );
}

#[test]
fn depends_on_names_a_resource() {
    let mut t = base();
    t.add_parameter("Stage", Parameter::new("String"));
    t.add_with("Other", bucket(), Attributes::new().depends_on_id("Log").depends_on_id("Stage"));
    assert_eq!(
        problems(&t),
        [
            "Resources.Other.DependsOn: DependsOn names `Log`, which is not a resource of this template (did you \
             mean `Logs`?)",
            "Resources.Other.DependsOn: DependsOn names `Stage`, which is not a resource of this template",
        ]
    );
}

#[test]
fn conditions_are_declared_where_used() {
    let mut t = base();
    t.add_condition("IsProd", CondExpr::equals("a", "b"));
    t.add_with("Other", bucket(), Attributes::new().condition("IsPrd"));
    t.add(
        "Third",
        Bucket { bucket_name: Some(Expr::if_("IsProduction", "a-b-c".into(), Expr::no_value())), ..bucket() },
    );
    let mut out = Output::new("x".into());
    out.condition = Some("Missing".into());
    t.add_output("O", out);
    assert_eq!(
        problems(&t),
        [
            "Resources.Other.Condition: Condition names `IsPrd`, which is not a condition of this template (did you \
             mean `IsProd`?)",
            "Resources.Third.Properties.BucketName.Fn::If: Fn::If names `IsProduction`, which is not a condition of \
             this template (did you mean `IsProd`?)",
            "Outputs.O.Condition: Condition names `Missing`, which is not a condition of this template",
        ]
    );
}

#[test]
fn conditions_refer_to_parameters_and_other_conditions_only() {
    let mut t = base();
    t.add_parameter("Stage", Parameter::new("String"));
    t.add_condition("A", CondExpr::equals(Expr::r#ref("Logs"), "x"));
    t.add_condition("B", CondExpr::equals(Expr::get_att("Logs", "Arn"), "x"));
    t.add_condition("C", CondExpr::not(CondExpr::named("D")));
    t.add_condition("E", CondExpr::equals(Expr::r#ref("Stage"), "prod"));
    assert_eq!(
        problems(&t),
        [
            "Conditions.A.Fn::Equals[0].Ref: Ref names `Logs`, which is not a parameter or pseudo parameter \
             (conditions cannot refer to resources) of this template",
            "Conditions.B.Fn::Equals[0].Fn::GetAtt: Fn::GetAtt cannot be used in a condition: conditions are \
             decided before any resource exists",
            "Conditions.C.Fn::Not[0].Condition: Condition names `D`, which is not a condition of this template",
        ]
    );
}

#[test]
fn condition_functions_take_the_right_number_of_arguments() {
    let mut t = base();
    t.add_condition("A", CondExpr::and([CondExpr::equals("a", "a")]));
    t.add_condition("B", CondExpr::Or((0..11).map(|_| CondExpr::equals("a", "a")).collect()));
    t.add_condition("C", CondExpr::or([CondExpr::named("A"), CondExpr::named("B")]));
    assert_eq!(
        problems(&t),
        [
            "Conditions.A.Fn::And: Fn::And takes 2 to 10 conditions, not 1",
            "Conditions.B.Fn::Or: Fn::Or takes 2 to 10 conditions, not 11",
        ]
    );
}

#[test]
fn condition_cycles() {
    let mut t = base();
    t.add_condition("A", CondExpr::not(CondExpr::named("B")));
    t.add_condition("B", CondExpr::and([CondExpr::named("C"), CondExpr::equals("x", "x")]));
    t.add_condition("C", CondExpr::or([CondExpr::named("A"), CondExpr::equals("x", "y")]));
    assert_eq!(problems(&t), ["circular condition: A -> B -> C -> A"]);
}

#[test]
fn get_att_of_an_attribute_the_type_does_not_have() {
    let mut t = base();
    t.add("Key", Key { key_policy: Some(some_policy()), ..Key::default() });
    t.add("KeyAlias", Alias::new("alias/x", Expr::r#ref("Key")));
    t.add_output("A", Output::new(Expr::get_att("Logs", "KeyId")));
    t.add_output("B", Output::new(Expr::get_att("Key", "Arm")));
    t.add_output("C", Output::new(Expr::get_att("KeyAlias", "Arn")));
    t.add_output("D", Output::new(Expr::sub("${Key.Name}")));
    assert_eq!(
        problems(&t),
        [
            "Outputs.A.Value.Fn::GetAtt: Fn::GetAtt asks for `KeyId` of `Logs`, but AWS::S3::Bucket has only Arn, \
             DomainName, DualStackDomainName, RegionalDomainName, \
             MetadataTableConfiguration.S3TablesDestination.TableNamespace, \
             MetadataTableConfiguration.S3TablesDestination.TableArn, MetadataConfiguration.Destination, \
             MetadataConfiguration.JournalTableConfiguration.TableName, \
             MetadataConfiguration.JournalTableConfiguration.TableArn, \
             MetadataConfiguration.InventoryTableConfiguration.TableName, \
             MetadataConfiguration.InventoryTableConfiguration.TableArn, \
             MetadataConfiguration.AnnotationTableConfiguration.TableName, \
             MetadataConfiguration.AnnotationTableConfiguration.TableArn, WebsiteURL",
            "Outputs.B.Value.Fn::GetAtt: Fn::GetAtt asks for `Arm` of `Key`, but AWS::KMS::Key has no such attribute \
             (did you mean `Arn`?)",
            "Outputs.C.Value.Fn::GetAtt: Fn::GetAtt asks for `Arn` of `KeyAlias`, but AWS::KMS::Alias has no \
             attributes (use Ref for its name or ID)",
            "Outputs.D.Value.Fn::Sub: Fn::Sub asks for `Name` of `Key`, but AWS::KMS::Key has only Arn, KeyId",
        ]
    );
}

#[test]
fn custom_resources_have_any_attribute() {
    let mut t = Template::new();
    let c =
        t.add("Echo", CustomResource::new("Echo", "arn:aws:lambda:us-east-1:111122223333:function:f".into()));
    t.add_output("O", Output::new(c.attribute("Anything.Nested")));
    assert!(problems(&t).is_empty());
}

#[test]
fn malformed_and_unknown_intrinsics() {
    let mut t = base();
    t.add(
        "Raw",
        Raw(
            "Custom::Raw",
            json!({
                "ServiceToken": "arn:aws:sns:us-east-1:111122223333:t",
                "A": {"Fn::Joinn": ["", ["a"]]},
                "B": {"Ref": ["Logs"]},
                "C": {"Fn::GetAtt": "LogsArn"},
                "D": {"Fn::If": ["OnlyTwo", "a"]},
                "E": {"Fn::Sub": ["${A}", "not a map"]},
                "F": {"Fn::FindInMap": ["OnlyTwo", "a"]},
                "G": {"Fn::GetAtt": "Logs.Arn"},
                "H": {"Fn::Equals": ["a"]},
            }),
        ),
    );
    assert_eq!(
        problems(&t),
        [
            "Resources.Raw.Properties.A.Fn::Joinn: `Fn::Joinn` is not an intrinsic function (did you mean \
             `Fn::Join`?)",
            "Resources.Raw.Properties.B.Ref: Ref takes a logical ID string",
            "Resources.Raw.Properties.C.Fn::GetAtt: Fn::GetAtt takes [logical ID, attribute]",
            "Resources.Raw.Properties.D.Fn::If: Fn::If takes [condition name, value if true, value if false]",
            "Resources.Raw.Properties.E.Fn::Sub: Fn::Sub takes a string or [string, {variables}]",
            "Resources.Raw.Properties.F.Fn::FindInMap: Fn::FindInMap takes [mapping, top-level key, second-level key]",
            "Resources.Raw.Properties.H.Fn::Equals: Fn::Equals takes [value, value], not 1 item(s)",
        ]
    );
}

#[test]
fn find_in_map_names_a_mapping_and_its_keys() {
    let mut t = base();
    t.add_mapping("RegionMap", json!({"us-east-1": {"Ami": "ami-1"}, "eu-west-1": {"Ami": "ami-2"}}));
    let find =
        |map: &str, top: &str, second: &str| Output::new(Expr::find_in_map(map, top.into(), second.into()));
    t.add_output("A", find("RegionMapp", "us-east-1", "Ami"));
    t.add_output("B", find("RegionMap", "us-east-2", "Ami"));
    t.add_output("C", find("RegionMap", "us-east-1", "AMI"));
    t.add_output(
        "D",
        Output::new(Expr::find_in_map("RegionMap", Expr::pseudo(cfn_template::Pseudo::Region), "Ami".into())),
    );
    assert_eq!(
        problems(&t),
        [
            "Outputs.A.Value.Fn::FindInMap: Fn::FindInMap names `RegionMapp`, which is not a mapping of this \
             template (did you mean `RegionMap`?)",
            "Outputs.B.Value.Fn::FindInMap: mapping `RegionMap` has no top-level key `us-east-2` (did you mean \
             `us-east-1`?)",
            "Outputs.C.Value.Fn::FindInMap: mapping `RegionMap` has no key `AMI` under `us-east-1` (did you mean \
             `Ami`?)",
        ]
    );
}

#[test]
fn mappings_are_maps_of_maps_of_values() {
    let mut t = base();
    t.add_mapping("A", json!(["not", "a", "map"]));
    t.add_mapping("B", json!({}));
    t.add_mapping("C", json!({"k": "flat"}));
    t.add_mapping("D", json!({"k": {"ok": "v", "list": ["a", 1], "nested": {"x": "y"}}}));
    assert_eq!(
        problems(&t),
        [
            "Mappings.A: a mapping must be a non-empty map of top-level keys",
            "Mappings.B: a mapping must be a non-empty map of top-level keys",
            "Mappings.C.k: a top-level key must hold a non-empty map",
            "Mappings.D.k.nested: a mapping value must be a string, number, boolean or a list of them",
        ]
    );
}

#[test]
fn reference_cycles() {
    let mut t = Template::new();
    t.add("A", named_bucket(Expr::sub("a-${C}")));
    t.add("B", named_bucket(Expr::r#ref("A")));
    t.add("C", Bucket { bucket_name: Some(Expr::get_att("B", "Arn")), ..bucket() });
    assert_eq!(problems(&t), ["circular dependency: A -> C -> B -> A"]);
}

#[test]
fn depends_on_cycles_and_self_references() {
    let mut t = Template::new();
    t.add_with("A", bucket(), Attributes::new().depends_on_id("B"));
    t.add_with("B", bucket(), Attributes::new().depends_on_id("A"));
    assert_eq!(problems(&t), ["circular dependency: A -> B -> A"]);

    let mut t = Template::new();
    t.add("Self", named_bucket(Expr::sub("${Self}-x")));
    assert_eq!(problems(&t), ["circular dependency: Self -> Self"]);
}

#[test]
fn outputs_do_not_make_cycles() {
    let mut t = Template::new();
    let a = t.add("A", bucket());
    t.add_with("B", bucket(), Attributes::new().depends_on(&a));
    t.add_output("O", Output::new(Expr::join(",", [Expr::r#ref("A"), Expr::r#ref("B")])));
    assert!(problems(&t).is_empty());
}

#[test]
fn resource_limit() {
    let mut t = Template::new();
    for i in 0..MAX_RESOURCES {
        t.add(format!("R{i}"), bucket());
    }
    assert!(problems(&t).is_empty());
    t.add("OneTooMany", bucket());
    assert_eq!(problems(&t), ["the template declares 501 resources; CloudFormation accepts at most 500"]);
}

#[test]
fn parameter_and_output_limits() {
    let mut t = base();
    for i in 0..201 {
        t.add_parameter(format!("P{i}"), Parameter::new("String"));
        t.add_output(format!("O{i}"), Output::new(Expr::r#ref(format!("P{i}"))));
    }
    assert_eq!(
        problems(&t),
        [
            "the template declares 201 parameters; CloudFormation accepts at most 200",
            "the template declares 201 outputs; CloudFormation accepts at most 200",
        ]
    );
}

#[test]
fn mapping_limit() {
    let mut t = base();
    for i in 0..=MAX_MAPPINGS {
        t.add_mapping(format!("M{i}"), json!({"a": {"b": "c"}}));
    }
    assert_eq!(problems(&t), ["the template declares 201 mappings; CloudFormation accepts at most 200"]);
}

#[test]
fn description_limit() {
    let mut t = base();
    t.set_description("é".repeat(512));
    assert!(problems(&t).is_empty());
    t.set_description(format!("{}x", "é".repeat(512)));
    assert_eq!(
        problems(&t),
        ["the template description is 1025 bytes long; CloudFormation accepts at most 1024"]
    );
}

#[test]
fn a_template_needs_a_resource() {
    let t = Template::new();
    assert_eq!(problems(&t), ["the template declares no resources; CloudFormation requires at least one"]);
    assert!(t.to_json().is_err());
}

#[test]
fn retention_policies_the_type_supports() {
    let mut t = Template::new();
    t.add_with(
        "A",
        bucket(),
        Attributes::new().deletion_policy(Policy::RetainExceptOnCreate).update_replace_policy(Policy::Retain),
    );
    t.add_with("B", bucket(), Attributes::new().update_replace_policy(Policy::RetainExceptOnCreate));
    t.add_with("C", bucket(), Attributes::new().deletion_policy(Policy::Snapshot));
    assert_eq!(
        problems(&t),
        [
            "Resources.B.UpdateReplacePolicy: RetainExceptOnCreate is only valid as a DeletionPolicy; use Retain",
            "Resources.C.DeletionPolicy: AWS::S3::Bucket does not support Snapshot; use Retain or Delete",
        ]
    );
}

#[test]
fn bucket_names() {
    // The schema's pattern and length, then what S3 requires beyond them.
    let pattern = "does not match the pattern ^([a-z0-9][a-z0-9.-]*[a-z0-9])?$";
    let cases = [
        ("ok-name.1", vec![]),
        ("ab", vec!["BucketName `ab` is 2 characters long: bucket names must be at least 3".to_string()]),
        ("my_bucket", vec![format!("Properties.BucketName: `my_bucket` {pattern}")]),
        ("-edge", vec![format!("Properties.BucketName: `-edge` {pattern}")]),
        ("two..dots", vec!["BucketName `two..dots` must not contain two adjacent dots".to_string()]),
        ("192.168.5.4", vec!["BucketName `192.168.5.4` must not be formatted as an IP address".to_string()]),
        (
            "xn--punycode",
            vec!["BucketName `xn--punycode` uses a prefix or suffix that S3 reserves".to_string()],
        ),
        (
            "name-s3alias",
            vec!["BucketName `name-s3alias` uses a prefix or suffix that S3 reserves".to_string()],
        ),
        ("sthree-x", vec!["BucketName `sthree-x` uses a prefix or suffix that S3 reserves".to_string()]),
    ];
    for (name, expected) in cases {
        let mut t = Template::new();
        t.add("B", named_bucket(name));
        let expected: Vec<String> = expected.iter().map(|p| format!("Resources.B: {p}")).collect();
        assert_eq!(problems(&t), expected, "{name}");
    }
    let mut t = Template::new();
    t.add("B", named_bucket("a".repeat(64)));
    assert_eq!(
        problems(&t),
        [format!(
            "Resources.B: Properties.BucketName: `{}` is 64 characters long; at most 63 are allowed",
            "a".repeat(64)
        )]
    );
}

#[test]
fn bucket_names_built_with_sub() {
    let mut t = Template::new();
    t.add("Ok", named_bucket(Expr::sub("logs-${AWS::AccountId}-${AWS::Region}")));
    t.add("Upper", named_bucket(Expr::sub("Logs-${AWS::AccountId}")));
    t.add(
        "Long",
        named_bucket(Expr::sub(format!("{}-${{AWS::AccountId}}-${{AWS::Region}}", "x".repeat(30)))),
    );
    t.add("Var", named_bucket(Expr::sub_with("${P}-x", [("P", Expr::from("UP"))])));
    assert_eq!(
        problems(&t),
        [
            "Resources.Upper: BucketName `Logs-${AWS::AccountId}` contains `L`: bucket names may only hold lowercase \
             letters, digits, dots and hyphens",
            format!(
                "Resources.Long: BucketName `{}-${{AWS::AccountId}}-${{AWS::Region}}` can be 64 characters long: \
                 bucket names may be at most 63",
                "x".repeat(30)
            )
            .as_str(),
            "Resources.Var: BucketName `${P}-x` contains `U`: bucket names may only hold lowercase letters, digits, \
             dots and hyphens",
        ]
    );
}

#[test]
fn iam_names() {
    let role = |name: Expr| Role { role_name: Some(name), ..Role::new(some_policy()) };
    let mut t = Template::new();
    t.add("Ok", role(Expr::sub("bedrock-settings-${AWS::Region}")));
    t.add("Long", role("r".repeat(65).into()));
    t.add("Chars", role("a role".into()));
    t.add("LongSub", role(Expr::sub(format!("{}-${{AWS::Region}}", "r".repeat(44)))));
    t.add(
        "Policy",
        ManagedPolicy {
            managed_policy_name: Some("p".repeat(129).into()),
            ..ManagedPolicy::new(some_policy())
        },
    );
    assert_eq!(
        problems(&t),
        [
            format!(
                "Resources.Long: Properties.RoleName: `{}` is 65 characters long; at most 64 are allowed",
                "r".repeat(65)
            ),
            r"Resources.Chars: Properties.RoleName: `a role` does not match the pattern ^[\w+=,.@-]+$".to_string(),
            format!(
                "Resources.LongSub: RoleName `{}-${{AWS::Region}}` can be 65 characters long: IAM role names may be \
                 at most 64",
                "r".repeat(44)
            ),
            format!(
                "Resources.Policy: ManagedPolicyName `{}` is 129 characters long: IAM managed policy names may be \
                 at most 128",
                "p".repeat(129)
            ),
        ]
    );
}

#[test]
fn kms_alias_names() {
    let alias = |name: Expr| Alias::new(name, "key-id");
    let mut t = Template::new();
    t.add("Ok", alias(Expr::sub("alias/settings-${AWS::Region}")));
    t.add("OkVar", alias(Expr::sub("${Prefix}/x")));
    t.add("OkSplit", alias(Expr::sub("alias${Sep}x")));
    t.add("NoPrefix", alias("settings".into()));
    t.add("SubNoPrefix", alias(Expr::sub("key/${AWS::Region}")));
    t.add("Reserved", alias("alias/aws/s3".into()));
    t.add("Chars", alias("alias/a b".into()));
    t.add_parameter("Prefix", Parameter::new("String"));
    t.add_parameter("Sep", Parameter::new("String"));
    assert_eq!(
        problems(&t),
        [
            "Resources.NoPrefix: Properties.AliasName: `settings` does not match the pattern ^(alias/)[a-zA-Z0-9:/_-]+$",
            "Resources.SubNoPrefix: AliasName `key/${AWS::Region}` must start with `alias/`",
            "Resources.Reserved: AliasName `alias/aws/s3` must not start with `alias/aws/`, which AWS reserves",
            "Resources.Chars: Properties.AliasName: `alias/a b` does not match the pattern ^(alias/)[a-zA-Z0-9:/_-]+$",
        ]
    );
}

#[test]
fn log_group_and_function_names() {
    let mut t = Template::new();
    t.add("Ok", LogGroup { log_group_name: Some("/aws/bedrock/x#1".into()), ..LogGroup::default() });
    t.add("Bad", LogGroup { log_group_name: Some("has space".into()), ..LogGroup::default() });
    t.add(
        "Fn",
        Function {
            function_name: Some("my.function".into()),
            ..Function::new(
                Code { zip_file: Some("x".into()), ..Code::default() },
                "arn:aws:iam::111122223333:role/r",
            )
        },
    );
    assert_eq!(
        problems(&t),
        [
            r"Resources.Bad: Properties.LogGroupName: `has space` does not match the pattern ^[.\-_/#A-Za-z0-9]{1,512}\z",
            "Resources.Fn: Properties.FunctionName: `my.function` does not match the pattern \
             ^([a-zA-Z0-9_-]{1,64}|arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:function:[a-zA-Z0-9_-]{1,64})$",
        ]
    );
}

#[test]
fn custom_resource_types() {
    let mut t = Template::new();
    t.add("Ok", CustomResource::new("Bedrock_Settings-2", "arn".into()));
    t.add("Bad", CustomResource::new("Bedrock::Settings", "arn".into()));
    t.add("Token", CustomResource::new("X", "arn".into()).property("ServiceToken", "other"));
    t.add("Timeout", CustomResource::new("X", "arn".into()).property("ServiceTimeout", "5"));
    t.add("Long", CustomResource::new("X", "arn".into()).service_timeout(3601));
    t.add("Short", CustomResource::new("X", "arn".into()).service_timeout(360));
    assert_eq!(
        problems(&t),
        [
            "Resources.Bad: custom resource type `Custom::Bedrock::Settings` must be 1-60 characters of letters, \
             digits, _, @ and -",
            "Resources.Token: `ServiceToken` is set by its own field, not as a free-form property",
            "Resources.Timeout: `ServiceTimeout` is set by its own field, not as a free-form property",
            "Resources.Long: ServiceTimeout 3601 is out of range: CloudFormation takes 1 to 3600 seconds",
        ]
    );
    let json = t.to_value();
    assert_eq!(
        json["Resources"]["Short"]["Properties"],
        json!({"ServiceToken": "arn", "ServiceTimeout": 360})
    );
}

#[test]
fn errors_are_values_callers_can_match() {
    let mut t = Template::new();
    t.add(
        "A",
        Key {
            key_policy: Some(PolicyDocument::new(vec![Statement::allow().action("kms:*")])),
            ..Key::default()
        },
    );
    t.add_output("O", Output::new(Expr::r#ref("B")));
    let errors = t.validate().unwrap_err();
    assert!(matches!(
        errors.0.as_slice(),
        [ValidationError::UnknownReference { function: "Ref", target, hint, .. }] if target == "B" && hint.is_empty()
    ));
}

/// Names the test of each error kind; adding a kind without a test here
/// stops this file from compiling.
#[allow(dead_code)]
fn every_kind_has_a_test(e: &ValidationError) -> &'static str {
    match e {
        ValidationError::InvalidLogicalId { .. } => "invalid_logical_ids_of_every_section",
        ValidationError::DuplicateLogicalId(_) => "duplicate_resources_and_parameters",
        ValidationError::DuplicateName { .. } => "duplicate_conditions_mappings_outputs_and_exports",
        ValidationError::UnknownReference { .. } => "unknown_ref_with_a_suggestion",
        ValidationError::UnknownAttribute { .. } => "get_att_of_an_attribute_the_type_does_not_have",
        ValidationError::MalformedIntrinsic { .. } => "malformed_and_unknown_intrinsics",
        ValidationError::InvalidAttribute { .. } => "retention_policies_the_type_supports",
        ValidationError::InvalidMapping { .. } => "mappings_are_maps_of_maps_of_values",
        ValidationError::Cycle(_) => "reference_cycles",
        ValidationError::ConditionCycle(_) => "condition_cycles",
        ValidationError::TooMany { .. } => "resource_limit",
        ValidationError::TooLong { .. } => "description_limit",
        ValidationError::NoResources => "a_template_needs_a_resource",
        ValidationError::InvalidValue { .. } => "bucket_names",
    }
}

#[test]
fn values_the_services_reject() {
    let mut t = Template::new();
    t.add("Key", Key { key_policy: Some(PolicyDocument::default()), ..Key::default() });
    t.add("Role", Role::new(PolicyDocument::default()));
    t.add("Logs", LogGroup { retention_in_days: Some(100.into()), ..LogGroup::default() });
    t.add("Kept", LogGroup { retention_in_days: Some(3653.into()), ..LogGroup::default() });
    let found = problems(&t);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0], "Resources.Key: Properties.KeyPolicy: the policy document has no statements");
    assert_eq!(
        found[1],
        "Resources.Role: Properties.AssumeRolePolicyDocument: the policy document has no statements"
    );
    assert!(
        found[2].starts_with("Resources.Logs: Properties.RetentionInDays: 100 is not one of 1, 3, 5, 7"),
        "{found:?}"
    );
}
