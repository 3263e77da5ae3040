//! Each intrinsic function, condition function and pseudo parameter, as the
//! exact JSON CloudFormation documents, and as YAML short forms.

use cfn_template::resources::s3::bucket::VersioningConfiguration;
use cfn_template::resources::s3::Bucket;
use cfn_template::{to_yaml, CondExpr, Expr, Pseudo, Template};
use serde_json::{json, Value};

fn j(e: &Expr) -> Value {
    serde_json::to_value(e).unwrap()
}

fn c(e: &CondExpr) -> Value {
    serde_json::to_value(e).unwrap()
}

fn y(e: &Expr) -> String {
    to_yaml(&json!({ "V": j(e) }))
}

#[test]
fn literals() {
    assert_eq!(j(&"text".into()), json!("text"));
    assert_eq!(j(&String::from("owned").into()), json!("owned"));
    assert_eq!(j(&true.into()), json!(true));
    assert_eq!(j(&42i64.into()), json!(42));
    assert_eq!(j(&vec!["a", "b"].into()), json!(["a", "b"]));
}

#[test]
fn ref_() {
    let e = Expr::r#ref("Logs");
    assert_eq!(j(&e), json!({"Ref": "Logs"}));
    assert_eq!(y(&e), "V: !Ref Logs\n");
}

#[test]
fn get_att() {
    let e = Expr::get_att("Logs", "Arn");
    assert_eq!(j(&e), json!({"Fn::GetAtt": ["Logs", "Arn"]}));
    assert_eq!(y(&e), "V: !GetAtt Logs.Arn\n");
}

#[test]
fn sub_plain() {
    let e = Expr::sub("arn:${AWS::Partition}:s3:::${Logs}/*");
    assert_eq!(j(&e), json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::${Logs}/*"}));
    assert_eq!(y(&e), "V: !Sub \"arn:${AWS::Partition}:s3:::${Logs}/*\"\n");
}

#[test]
fn sub_with_variables() {
    let e = Expr::sub_with("${Name}-${Id}", [("Name", Expr::r#ref("P")), ("Id", "x".into())]);
    assert_eq!(j(&e), json!({"Fn::Sub": ["${Name}-${Id}", {"Name": {"Ref": "P"}, "Id": "x"}]}));
    assert_eq!(y(&e), "V: !Sub\n  - \"${Name}-${Id}\"\n  - Name: !Ref P\n    Id: x\n");
}

#[test]
fn join() {
    let e = Expr::join(",", [Expr::from("a"), Expr::r#ref("B")]);
    assert_eq!(j(&e), json!({"Fn::Join": [",", ["a", {"Ref": "B"}]]}));
    assert_eq!(y(&e), "V: !Join\n  - \",\"\n  - - a\n    - !Ref B\n");
}

#[test]
fn select() {
    let e = Expr::select(1, vec!["a", "b"].into());
    assert_eq!(j(&e), json!({"Fn::Select": ["1", ["a", "b"]]}));
    assert_eq!(y(&e), "V: !Select\n  - \"1\"\n  - - a\n    - b\n");
}

#[test]
fn split() {
    let e = Expr::split("/", Expr::get_att("Key", "Arn"));
    assert_eq!(j(&e), json!({"Fn::Split": ["/", {"Fn::GetAtt": ["Key", "Arn"]}]}));
    assert_eq!(y(&e), "V: !Split\n  - /\n  - !GetAtt Key.Arn\n");
}

#[test]
fn if_() {
    let e = Expr::if_("IsProd", "big".into(), Expr::no_value());
    assert_eq!(j(&e), json!({"Fn::If": ["IsProd", "big", {"Ref": "AWS::NoValue"}]}));
    assert_eq!(y(&e), "V: !If\n  - IsProd\n  - big\n  - !Ref AWS::NoValue\n");
}

#[test]
fn import_value() {
    let e = Expr::import_value("shared-VpcId".into());
    assert_eq!(j(&e), json!({"Fn::ImportValue": "shared-VpcId"}));
    assert_eq!(y(&e), "V: !ImportValue shared-VpcId\n");
    // An intrinsic argument keeps the outer function in long form: YAML
    // allows one tag per node.
    let e = Expr::import_value(Expr::sub("${AWS::StackName}-VpcId"));
    assert_eq!(j(&e), json!({"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-VpcId"}}));
    assert_eq!(y(&e), "V:\n  Fn::ImportValue: !Sub \"${AWS::StackName}-VpcId\"\n");
}

#[test]
fn get_azs() {
    let e = Expr::get_azs("".into());
    assert_eq!(j(&e), json!({"Fn::GetAZs": ""}));
    assert_eq!(y(&e), "V: !GetAZs \"\"\n");
    let e = Expr::get_azs(Expr::pseudo(Pseudo::Region));
    assert_eq!(j(&e), json!({"Fn::GetAZs": {"Ref": "AWS::Region"}}));
}

#[test]
fn base64() {
    let e = Expr::base64("#!/bin/sh\necho hi\n".into());
    assert_eq!(j(&e), json!({"Fn::Base64": "#!/bin/sh\necho hi\n"}));
    assert_eq!(y(&e), "V: !Base64 |\n  #!/bin/sh\n  echo hi\n");
}

#[test]
fn find_in_map() {
    let e = Expr::find_in_map("RegionMap", Expr::pseudo(Pseudo::Region), "Ami".into());
    assert_eq!(j(&e), json!({"Fn::FindInMap": ["RegionMap", {"Ref": "AWS::Region"}, "Ami"]}));
    assert_eq!(y(&e), "V: !FindInMap\n  - RegionMap\n  - !Ref AWS::Region\n  - Ami\n");
}

#[test]
fn every_pseudo_parameter() {
    let expected = [
        (Pseudo::AccountId, "AWS::AccountId"),
        (Pseudo::Region, "AWS::Region"),
        (Pseudo::Partition, "AWS::Partition"),
        (Pseudo::UrlSuffix, "AWS::URLSuffix"),
        (Pseudo::StackName, "AWS::StackName"),
        (Pseudo::StackId, "AWS::StackId"),
        (Pseudo::NoValue, "AWS::NoValue"),
        (Pseudo::NotificationArns, "AWS::NotificationARNs"),
    ];
    assert_eq!(Pseudo::ALL.len(), expected.len());
    for (p, name) in expected {
        assert_eq!(j(&Expr::pseudo(p)), json!({ "Ref": name }));
        assert_eq!(j(&p.into()), json!({ "Ref": name }));
        assert_eq!(Pseudo::from_name(name), Some(p));
    }
    assert_eq!(Pseudo::from_name("AWS::Nope"), None);
    assert_eq!(j(&Expr::no_value()), json!({"Ref": "AWS::NoValue"}));
}

#[test]
fn equals() {
    let e = CondExpr::equals(Expr::r#ref("Env"), "prod");
    assert_eq!(c(&e), json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]}));
}

#[test]
fn and_or_not_and_condition_references() {
    let is_prod = || CondExpr::named("IsProd");
    let us = || CondExpr::equals(Expr::pseudo(Pseudo::Region), "us-east-1");
    assert_eq!(c(&is_prod()), json!({"Condition": "IsProd"}));
    assert_eq!(
        c(&CondExpr::and([is_prod(), us()])),
        json!({"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]})
    );
    assert_eq!(c(&CondExpr::or([is_prod(), us()]))["Fn::Or"][0], json!({"Condition": "IsProd"}));
    assert_eq!(c(&CondExpr::not(is_prod())), json!({"Fn::Not": [{"Condition": "IsProd"}]}));
    let yaml = to_yaml(&json!({ "C": c(&CondExpr::not(CondExpr::and([is_prod(), us()]))) }));
    assert_eq!(
        yaml,
        "C: !Not\n  - !And\n    - Condition: IsProd\n    - !Equals\n      - !Ref AWS::Region\n      - us-east-1\n"
    );
}

#[test]
fn nested_intrinsics() {
    let e = Expr::select(0, Expr::split(",", Expr::import_value(Expr::sub("${AWS::StackName}-Subnets"))));
    assert_eq!(
        j(&e),
        json!({"Fn::Select": ["0", {"Fn::Split": [",", {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-Subnets"}}]}]})
    );
}

#[test]
fn literal_comparisons() {
    let literal = Expr::from("kms:*");
    assert!(literal == "kms:*");
    assert!(Expr::sub("kms:*") != "kms:*");
    assert_eq!(Expr::from("x").as_literal(), Some("x"));
    assert_eq!(Expr::r#ref("x").as_literal(), None);
}

#[test]
fn string_properties_take_literals_or_expressions() {
    let mut t = Template::new();
    t.add(
        "Literal",
        Bucket {
            bucket_name: Some("my-logs".into()),
            versioning_configuration: Some(VersioningConfiguration::new("Enabled")),
            ..Bucket::default()
        },
    );
    t.add(
        "Computed",
        Bucket {
            bucket_name: Some(Expr::sub("logs-${AWS::AccountId}")),
            versioning_configuration: Some(VersioningConfiguration {
                status: Expr::if_("Versioned", "Enabled".into(), "Suspended".into()),
            }),
            ..Bucket::default()
        },
    );
    t.add_condition("Versioned", CondExpr::equals(Expr::pseudo(Pseudo::Region), "eu-west-1"));
    let v = t.to_value();
    assert_eq!(v["Resources"]["Literal"]["Properties"]["BucketName"], json!("my-logs"));
    assert_eq!(
        v["Resources"]["Computed"]["Properties"]["BucketName"],
        json!({"Fn::Sub": "logs-${AWS::AccountId}"})
    );
    assert_eq!(
        v["Resources"]["Computed"]["Properties"]["VersioningConfiguration"]["Status"],
        json!({"Fn::If": ["Versioned", "Enabled", "Suspended"]})
    );
    assert!(t.to_json().is_ok());
}
