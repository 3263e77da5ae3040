//! The YAML writer on strings and nestings that are easy to get wrong.
//!
//! Exact output is asserted where the notation matters (quoting, block
//! scalars, tags); everything else is read back with a YAML parser and must
//! mean the same value. The `tricky-strings` fixtures carry the same strings
//! to `tests/python/template`, where cfn-lint's (YAML 1.1) reader must agree.

mod support;

use cfn_template::resources::lambda::function::Code;
use cfn_template::resources::lambda::Function;
use cfn_template::resources::CustomResource;
use cfn_template::{to_yaml, Attributes, CondExpr, Expr, Pseudo, Template};
use serde_json::{json, Value};
use support::{check_fixture, yaml_meaning};

/// Strings a careless writer would change: YAML keywords and numbers,
/// indicators, escapes, line breaks of both YAML versions, unprintable and
/// non-ASCII characters.
const TRICKY: &[&str] = &[
    "",
    " ",
    "  leading spaces",
    "trailing space ",
    "true",
    "False",
    "YES",
    "no",
    "On",
    "off",
    "null",
    "Null",
    "~",
    "y",
    "n",
    "0",
    "012",
    "0x1F",
    "0o17",
    "1e3",
    "1.5",
    "-1",
    "+1",
    ".5",
    ".inf",
    "-.Inf",
    ".NaN",
    "1:20",
    "190:20:30",
    "2012-10-17",
    "2001-12-14t21:59:43.10-05:00",
    "a: b",
    "a:b",
    "key:",
    "#comment",
    "a #b",
    "a#b",
    "- item",
    "-",
    "?",
    "? x",
    ":",
    "[list]",
    "{map}",
    "a, b",
    "a,b",
    "*alias",
    "&anchor",
    "!tag",
    "!Ref X",
    "%YAML",
    "@at",
    "`tick",
    "|",
    ">",
    "'single'",
    "\"double\"",
    "it's",
    "back\\slash",
    "tab\tinside",
    "cr\rinside",
    "line\nbreak",
    "trailing newline\n",
    "two trailing newlines\n\n",
    "\nleading newline",
    " indented first\nline",
    "next line\u{85}",
    "line separator\u{2028}paragraph separator\u{2029}",
    "byte order mark\u{feff}",
    "delete\u{7f}",
    "bell\u{7}",
    "nul\u{0}",
    "c1 control\u{9b}",
    "no-break\u{a0}space",
    "emoji 😀",
    "é accents",
    "中文",
    "${Sub}",
    "${!Literal}",
    "---",
    "...",
    "--- document",
    "a\n---\nb",
    "a\n...\nb",
    "<<",
    "=",
    "multi\n  indented\n\ttabbed\n",
    "code:\n    return {'a': 1}  # comment\n",
    "trailing spaces  \nline",
    "crlf\r\nline",
    "a  b",
    "Deployment stage",
    "arn:aws:s3:::bucket/*",
];

#[test]
fn tricky_strings_read_back_unchanged() {
    for s in TRICKY {
        let v = json!({ "Value": s, "List": [s], *s: "as a key" });
        let yaml = to_yaml(&v);
        assert_eq!(yaml_meaning(&yaml), v, "{s:?} was written as:\n{yaml}");
    }
}

#[test]
fn keywords_numbers_and_indicators_are_quoted() {
    for s in
        ["true", "No", "~", "null", "2012-10-17", "123", "1e3", ".inf", "a: b", "#x", "*", "", "x:", "- a"]
    {
        let yaml = to_yaml(&json!({ "K": s }));
        assert!(yaml.starts_with("K: \""), "{s:?} should be quoted, got {yaml}");
    }
}

#[test]
fn ordinary_words_stay_plain() {
    let v = json!({
        "Action": "s3:PutObject",
        "Ref": "AWS::Region",
        "Arn": "arn:aws:s3:::bucket/*",
        "Path": "/aws/lambda/x",
        "Text": "Deployment stage, (v2) = ok",
    });
    assert_eq!(
        to_yaml(&v),
        "Action: s3:PutObject\nRef: AWS::Region\nArn: arn:aws:s3:::bucket/*\nPath: /aws/lambda/x\n\
         Text: Deployment stage, (v2) = ok\n"
    );
}

#[test]
fn unprintable_and_line_break_characters_are_escaped() {
    let v = json!({ "K": "a\u{0}b\u{7f}c\u{85}d\u{2028}e\u{feff}f\u{1F600}\té\"\\" });
    assert_eq!(to_yaml(&v), "K: \"a\\x00b\\x7Fc\\x85d\\u2028e\\uFEFFf\u{1F600}\\té\\\"\\\\\"\n");
}

#[test]
fn code_is_a_literal_block_with_the_right_chomping() {
    let code = "def handler(event, context):\n    # \"quoted\": 'yes'\n\n    return {'a': 1}\n";
    assert_eq!(
        to_yaml(&json!({ "ZipFile": code })),
        "ZipFile: |\n  def handler(event, context):\n      # \"quoted\": 'yes'\n\n      return {'a': 1}\n"
    );
    assert_eq!(to_yaml(&json!({ "K": "a\nb" })), "K: |-\n  a\n  b\n");
    assert_eq!(to_yaml(&json!({ "K": "a\nb\n\n" })), "K: |+\n  a\n  b\n\n");
    assert_eq!(to_yaml(&json!({ "L": ["a\nb\n"] })), "L:\n  - |\n    a\n    b\n");
}

#[test]
fn text_a_block_cannot_carry_exactly_is_quoted() {
    for s in [" lead\nx", "\nfirst blank", "trailing  \nx", "cr\r\nlf", "ls\u{2028}\nx"] {
        let yaml = to_yaml(&json!({ "K": s }));
        assert!(yaml.starts_with("K: \""), "{s:?} should be quoted, got {yaml}");
    }
}

#[test]
fn short_forms_nest_only_where_yaml_allows() {
    let v = json!({
        "A": {"Fn::Base64": {"Fn::Sub": "x-${AWS::Region}"}},
        "B": {"Fn::GetAZs": {"Ref": "AWS::Region"}},
        "C": {"Fn::Select": ["0", {"Fn::GetAZs": ""}]},
        "D": {"Fn::If": ["Cond", {"Fn::Join": ["", [{"Ref": "P"}, {"Fn::GetAtt": ["R", "Arn"]}]]}, {"Ref": "AWS::NoValue"}]},
        "E": {"Fn::Sub": ["${A}-${B}", {"A": {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-a"}}, "B": "b"}]},
        "F": {"Fn::Not": [{"Condition": "Other"}]},
        "G": {"Fn::GetAtt": ["Fn", "SnapStartResponse.ApplyOn"]},
    });
    let yaml = to_yaml(&v);
    assert_eq!(
        yaml,
        r#"A:
  Fn::Base64: !Sub "x-${AWS::Region}"
B:
  Fn::GetAZs: !Ref AWS::Region
C: !Select
  - "0"
  - !GetAZs ""
D: !If
  - Cond
  - !Join
    - ""
    - - !Ref P
      - !GetAtt R.Arn
  - !Ref AWS::NoValue
E: !Sub
  - "${A}-${B}"
  - A:
      Fn::ImportValue: !Sub "${AWS::StackName}-a"
    B: b
F: !Not
  - Condition: Other
G: !GetAtt Fn.SnapStartResponse.ApplyOn
"#
    );
    assert_eq!(yaml_meaning(&yaml), v);
}

#[test]
fn functions_without_a_short_form_keep_the_long_form() {
    let v = json!({"A": {"Fn::ForEach::Topics": ["T", ["a"], {}]}, "B": {"Fn::Unknown": "x"}});
    assert_eq!(
        to_yaml(&v),
        "A:\n  Fn::ForEach::Topics:\n    - T\n    - - a\n    - {}\nB:\n  Fn::Unknown: x\n"
    );
}

#[test]
fn empty_collections_and_scalars_of_every_type() {
    let v = json!({"M": {}, "L": [], "Z": null, "T": true, "I": -3, "F": 1.5, "S": [[], {}]});
    let yaml = to_yaml(&v);
    assert_eq!(yaml, "M: {}\nL: []\nZ: null\nT: true\nI: -3\nF: 1.5\nS:\n  - []\n  - {}\n");
    assert_eq!(yaml_meaning(&yaml), v);
}

/// Not in the fixtures: cfn-lint reads JSON with its YAML reader first, and
/// that reader rejects a JSON key of more than 1024 characters.
#[test]
fn long_keys_use_the_explicit_form() {
    let long = "k".repeat(1100);
    let v = json!({ &long: {"a": "b"}, "short": "x" });
    let yaml = to_yaml(&v);
    assert_eq!(yaml, format!("? {long}\n:\n  a: b\nshort: x\n"));
    assert_eq!(yaml_meaning(&yaml), v);
}

#[test]
fn floats_stay_floats_in_yaml_1_1() {
    let v = json!({"A": 1e100, "B": 1.5e-7, "C": 2.0, "D": -0.5, "E": 10});
    let yaml = to_yaml(&v);
    assert_eq!(yaml, "A: 1.0e+100\nB: 1.5e-7\nC: 2.0\nD: -0.5\nE: 10\n");
    assert_eq!(yaml_meaning(&yaml), v);
}

/// A deployable template that carries every tricky string, as metadata and
/// as custom-resource properties, plus nested intrinsics and inline code.
fn tricky_template() -> Template {
    let mut t = Template::new();
    t.set_description("Strings and nestings that are easy to write wrong: \"quotes\", #hash, key: value");
    t.set_metadata("Strings", Value::Array(TRICKY.iter().map(|s| Value::from(*s)).collect()));
    let prod = t.add_condition("IsUsEast1", CondExpr::equals(Expr::pseudo(Pseudo::Region), "us-east-1"));
    let mut custom = CustomResource::new(
        "Echo",
        Expr::sub("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:echo"),
    );
    for (i, s) in TRICKY.iter().enumerate() {
        custom = custom.property(format!("S{i}"), *s);
    }
    custom = custom
        .property("Encoded", Expr::base64(Expr::sub("region ${AWS::Region}")))
        .property("Zones", Expr::get_azs(Expr::pseudo(Pseudo::Region)))
        .property(
            "Chosen",
            Expr::if_(
                &prod,
                Expr::join("", [Expr::pseudo(Pseudo::StackName), Expr::select(0, Expr::get_azs("".into()))]),
                Expr::no_value(),
            ),
        )
        .property(
            "Imported",
            Expr::sub_with(
                "${A}/${AWS::Region}",
                [("A", Expr::import_value(Expr::sub("${AWS::StackName}-shared")))],
            ),
        );
    let attributes = Attributes::new()
        .metadata("Tricky", json!({"a: b": ["#", "- x", "\n"]}))
        // YAML 1.1 reads `1e100` as a string; resource metadata is where cfn-lint allows floats.
        .metadata("Numbers", json!([1e100, 1.5e-7, 2.0, -0.5, 10, -3, 0, 123_456_789_012_i64]));
    t.add_with("Echo", custom, attributes);
    t
}

#[test]
fn tricky_fixture_is_current() {
    let t = tricky_template();
    check_fixture("tricky-strings.json", &t.to_json().expect("valid template"));
    check_fixture("tricky-strings.yaml", &t.to_yaml().expect("valid template"));
}

#[test]
fn tricky_template_yaml_means_the_same_as_json() {
    let t = tricky_template();
    assert_eq!(yaml_meaning(&t.to_yaml().unwrap()), t.to_value());
}

#[test]
fn inline_code_survives_a_template() {
    let code =
        "import json\n\n\ndef handler(event, context):\n    return json.dumps({\"ok\": True})  # done\n";
    let mut t = Template::new();
    t.add(
        "F",
        Function::new(
            Code { zip_file: Some(code.into()), ..Code::default() },
            "arn:aws:iam::123456789012:role/r",
        ),
    );
    let yaml = t.to_yaml().unwrap();
    assert!(yaml.contains("        ZipFile: |\n          import json\n\n\n          def handler"), "{yaml}");
    assert_eq!(yaml_meaning(&yaml)["Resources"]["F"]["Properties"]["Code"]["ZipFile"], code);
}
