//! The JSON rendering matches the committed JSON Schema, and the committed
//! schema is the one the model derives (`UPDATE_GENERATED=1` rewrites it).

mod common;

use cfn_diff::{json_schema, render, Format, RenderOptions};
use common::{crate_dir, mdaa, pair};

/// The committed schema, checked against the derived one. With
/// `UPDATE_GENERATED` set, the derived schema is written first, and
/// atomically: every test here calls this at once, and a plain write let
/// another test read the file half written (one run in six failed).
fn committed() -> serde_json::Value {
    let path = crate_dir().join("schema/diff.schema.json");
    let derived = json_schema();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        let text = serde_json::to_string_pretty(&derived).unwrap() + "\n";
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            let mut tmp = tempfile::NamedTempFile::new_in(path.parent().unwrap()).unwrap();
            std::io::Write::write_all(&mut tmp, text.as_bytes()).unwrap();
            tmp.persist(&path).unwrap();
        }
    }
    let text = std::fs::read_to_string(&path).expect("schema/diff.schema.json is committed");
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        schema, derived,
        "schema/diff.schema.json is stale: run UPDATE_GENERATED=1 cargo test -p cfn-diff"
    );
    schema
}

#[test]
fn every_rendering_matches_the_schema() {
    let schema = committed();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let diffs = [
        pair("lifecycle"),
        pair("replacement"),
        pair("named-replacement"),
        pair("attributes"),
        pair("same"),
        pair("security"),
        pair("code"),
        pair("rename"),
        pair("encryption"),
        pair("security-groups"),
        pair("policy-branches"),
        pair("statement-pairing"),
        pair("settings-meaning"),
        mdaa("bucket-renamed"),
        mdaa("logical-rename"),
    ];
    for d in diffs {
        let text = render(&d, Format::Json, &RenderOptions::default());
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", d.summary.line);
    }
}

#[test]
fn the_schema_rejects_what_the_output_never_has() {
    let schema = committed();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut value: serde_json::Value =
        serde_json::from_str(&render(&pair("lifecycle"), Format::Json, &RenderOptions::default())).unwrap();
    assert!(validator.is_valid(&value));
    value["resources"][0]["impact"] = "explode".into();
    assert!(!validator.is_valid(&value), "impacts are an enumeration");
    value["resources"][0]["impact"] = "destroy".into();
    value["resources"][0]["surprise"] = true.into();
    assert!(!validator.is_valid(&value), "unknown fields are rejected");
}
