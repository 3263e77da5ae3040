//! Templates are read within bounds fitted to CloudFormation's: size,
//! nesting, values and text (aliases counted each time they repeat), and
//! each key once per mapping. Each refusal is a located, typed error.

use cfn_diff::{Location, ParseError, Refusal, RefusalKind, Template};
use module_kit::limits::{MAX_TEMPLATE_BYTES, MAX_TEMPLATE_DEPTH};

fn refusal(name: &str, text: &str) -> Refusal {
    match Template::parse(name, text) {
        Err(ParseError::Refused(r)) => *r,
        other => panic!("{name}: expected a refusal, got {other:?}"),
    }
}

/// One anchored list of `n` items, referenced `n` times: n² values from
/// a text of about 20·n bytes.
fn square_alias_bomb(n: usize) -> String {
    let mut t = String::from("Anchor: &a\n");
    for i in 0..n {
        t.push_str(&format!("  - i{i}\n"));
    }
    t.push_str("Resources:\n  R:\n    Type: AWS::S3::Bucket\nMore:\n");
    for i in 0..n {
        t.push_str(&format!("  k{i}: *a\n"));
    }
    t
}

#[test]
fn an_alias_repeated_into_more_values_than_the_bound_is_refused() {
    // 1,000 × 1,000 values (a million, twice the bound) from 17 KB.
    let text = square_alias_bomb(1_000);
    assert!(text.len() < 20_000);
    let r = refusal("bomb.yaml", &text);
    assert_eq!(r.kind, RefusalKind::TooManyValues, "{r}");
    assert!(r.path.as_deref().is_some_and(|p| p.starts_with("More.k")), "{r}");
    assert!(r.location.is_some(), "{r}");
    let shown = r.to_string();
    assert!(
        shown.contains("more than 500,000 values (an alias counts its anchor's values again)"),
        "{shown}"
    );
    assert!(shown.contains("CloudFormation does not support YAML aliases"), "{shown}");
    // Far below the bound, aliases are read and expanded.
    let small = Template::parse("small.yaml", &square_alias_bomb(20)).expect("400 values are fine");
    assert_eq!(small.sections["More"]["k19"].as_array().map(Vec::len), Some(20));
}

#[test]
fn an_alias_repeating_long_text_is_refused_on_its_text() {
    let long = "x".repeat(100_000);
    let refs = ["*s"; 30].join(", ");
    let text = format!("Long: &s {long}\nMany: [{refs}]\nResources: {{}}\n");
    let r = refusal("text.yaml", &text);
    assert_eq!(r.kind, RefusalKind::TooMuchText, "{r}");
    assert!(r.to_string().contains("more than 2,000,000 bytes of text"), "{r}");
    // Nine copies are 1 MB: read.
    let refs = ["*s"; 9].join(", ");
    Template::parse("text.yaml", &format!("Long: &s {long}\nMany: [{refs}]\nResources: {{}}\n")).unwrap();
}

#[test]
fn nesting_is_refused_before_parsing_at_the_first_bracket_too_deep() {
    for (name, text) in [
        ("deep.yaml", "[".repeat(160_000)),
        ("deep.json", format!("{{\"a\": {}", "[".repeat(160_000))),
        ("deep-maps.yaml", "{a: ".repeat(160_000)),
    ] {
        let r = refusal(name, &text);
        assert_eq!(r.kind, RefusalKind::TooDeep, "{name}: {r}");
        let column = text.char_indices().filter(|(_, c)| *c == '[' || *c == '{').nth(MAX_TEMPLATE_DEPTH);
        let expected = column.map(|(i, _)| text[..i].chars().count() + 1);
        assert_eq!(r.location.map(|l| (l.line, l.column)), expected.map(|c| (1, c)), "{name}: {r}");
        assert!(r.to_string().contains("nest more than 100 deep"), "{r}");
    }
    // Block nesting, which the lexical scan does not see, is counted as it is read.
    let mut block = String::new();
    for depth in 0..=MAX_TEMPLATE_DEPTH + 1 {
        block.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
    }
    let r = refusal("block.yaml", &block);
    assert_eq!(r.kind, RefusalKind::TooDeep, "{r}");
    assert!(r.path.as_deref().is_some_and(|p| p.starts_with("k0.k1.k2")), "{r}");
    // As deep as allowed is fine.
    let ok = format!("{}1{}", "[".repeat(MAX_TEMPLATE_DEPTH - 1), "]".repeat(MAX_TEMPLATE_DEPTH - 1));
    Template::parse("ok.yaml", &format!("Resources: {{}}\nDeep: {ok}\n")).unwrap();
}

#[test]
fn a_template_larger_than_cloudformation_takes_is_refused_before_parsing() {
    let text = format!("Resources: {{}}\nDescription: {}\n", "x".repeat(MAX_TEMPLATE_BYTES));
    let r = refusal("big.yaml", &text);
    assert_eq!((r.kind, r.location), (RefusalKind::TooLarge, None));
    assert!(r.to_string().contains("at most the 1,000,000 bytes CloudFormation accepts"), "{r}");
}

#[test]
fn a_key_given_twice_is_refused_where_it_repeats_in_json_as_in_yaml() {
    let json = "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::S3::Bucket\"},\n    \"A\": {\"Type\": \"AWS::SQS::Queue\"}\n  }\n}\n";
    let r = refusal("t.json", json);
    assert_eq!(r.kind, RefusalKind::RepeatedKey);
    assert_eq!(r.location, Some(Location { line: 4, column: 5 }));
    assert_eq!(r.path.as_deref(), Some("Resources"));
    assert_eq!(
        r.to_string(),
        "t.json:4:5: Resources: the key `A` is given twice in this mapping: expected each key once (keep only the one you mean: which one counts is not defined, and cfn-lint reports a repeated key as E0000)"
    );
    // A key with escaped quotes is still pointed at from its opening quote.
    let escaped = "{\"Resources\": {}, \"Odd \\\"key\\\"\": 1, \"Odd \\\"key\\\"\": 2}";
    let r = refusal("e.json", escaped);
    assert_eq!(r.location, Some(Location { line: 1, column: 37 }), "{r}");
    let yaml = "Resources:\n  A: {Type: AWS::S3::Bucket}\n  A: {Type: AWS::SQS::Queue}\n";
    let r = refusal("t.yaml", yaml);
    assert_eq!((r.kind, r.location), (RefusalKind::RepeatedKey, Some(Location { line: 3, column: 3 })));
    // Deeper down, the path says which mapping.
    let nested = "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"BucketName\": \"a\", \"BucketName\": \"b\"}}}}";
    assert_eq!(refusal("n.json", nested).path.as_deref(), Some("Resources.B.Properties"));
}

#[test]
fn what_a_template_says_in_an_error_cannot_drive_the_terminal() {
    let json =
        "{\"Resources\": {}, \"x\\u001b[2K\\rno differences\": 1, \"x\\u001b[2K\\rno differences\": 2}";
    let shown = refusal("t.json", json).to_string();
    assert!(!shown.contains('\u{1b}') && !shown.contains('\r'), "{shown:?}");
    assert!(shown.contains("`x\\u{1b}[2K\\rno differences`"), "{shown}");
    let e = Template::parse("t.yaml", "Resources:\n  \"B\\u202eA\": {Type: [1]}\n").unwrap_err().to_string();
    assert!(e.contains("Resources.B\\u{202e}A.Type"), "{e}");
    let e =
        Template::parse("t.yaml", "Resources:\n  \"B\\e[31m\": {Properties: {}}\n").unwrap_err().to_string();
    assert!(e.contains("Resources.B\\u{1b}[31m"), "{e}");
}
