//! Malformed templates are typed errors that say where and what.

mod common;

use cfn_diff::{diff_texts, ParseError, Template};
use common::fixture;

fn parse_fixture(name: &str) -> ParseError {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    Template::parse(name, &text).unwrap_err()
}

#[test]
fn a_resource_without_a_type() {
    let e = parse_fixture("pairs/malformed-type.yaml");
    assert_eq!(
        e.to_string(),
        "pairs/malformed-type.yaml:2:3: Resources.Bucket: expected a `Type` key, found a mapping (every resource names its type, such as `Type: AWS::S3::Bucket`)"
    );
}

#[test]
fn an_unknown_tag() {
    let e = parse_fixture("pairs/malformed-tag.yaml");
    assert!(matches!(&e, ParseError::UnknownTag { tag, .. } if tag == "Reff"), "{e:?}");
    assert!(e.to_string().contains("at Resources.Bucket.Properties.BucketName"), "{e}");
}

#[test]
fn no_input_panics() {
    let inputs = [
        "", "{", "}", "[]", "null", "42", "\"text\"", "Resources: 3", "Resources: [1]", "Resources:\n  A: 1\n",
        "Resources:\n  A:\n    Type: 3\n", "Resources:\n  A:\n    Type: X\n    Properties: [1]\n",
        "Outputs: []\n", "{\"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"Tags\": {\"Fn::If\": []}}}}}",
        "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: !If [C, {Statement: 3}, !Ref AWS::NoValue]\n",
        "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [1, {Principal: [], Condition: 3}]}\n",
        "a: !Sub\n", "? [a]\n: b\n", "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: !Sub '${unclosed'\n",
    ];
    let base = "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: []}\n";
    for input in inputs {
        // Either side may be odd; neither way may panic.
        let _ = diff_texts("old", base, "new", input);
        let _ = diff_texts("old", input, "new", base);
        let _ = diff_texts("old", input, "new", input);
    }
}

#[test]
fn json_errors_have_line_and_column() {
    match Template::parse("t.json", "{\n  \"Resources\": {\n    \"A\": 1,\n  }\n}") {
        Err(ParseError::Json { location, .. }) => assert_eq!(location.line, 4),
        other => panic!("{other:?}"),
    }
}
