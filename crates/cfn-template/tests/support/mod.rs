//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// Compares `actual` with the committed file `tests/fixtures/<name>`, or
/// rewrites that file when `UPDATE_FIXTURES` is set.
pub fn check_fixture(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, actual).expect("write fixture");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} is stale; regenerate it with `UPDATE_FIXTURES=1` and the command at the top of its test file, then review the diff",
        path.display()
    );
}

/// Reads YAML back into the JSON value it should mean, resolving
/// CloudFormation's short-form tags as CloudFormation does: `!Ref X` is
/// `{"Ref": "X"}`, `!Sub ...` is `{"Fn::Sub": ...}`, and `!GetAtt A.B.C` is
/// `{"Fn::GetAtt": ["A", "B.C"]}`.
pub fn yaml_meaning(yaml: &str) -> serde_json::Value {
    let value: yaml_serde::Value = yaml_serde::from_str(yaml).expect("the writer produced valid YAML");
    resolve(value)
}

fn resolve(v: yaml_serde::Value) -> serde_json::Value {
    use serde_json::Value as J;
    use yaml_serde::Value as Y;
    match v {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(b),
        Y::Number(n) => serde_json::from_str(&n.to_string()).expect("YAML numbers are JSON numbers"),
        Y::String(s) => J::String(s),
        Y::Sequence(items) => J::Array(items.into_iter().map(resolve).collect()),
        Y::Mapping(m) => J::Object(
            m.into_iter()
                .map(|(k, v)| match k {
                    Y::String(k) => (k, resolve(v)),
                    other => panic!("mapping key {other:?} is not a string"),
                })
                .collect(),
        ),
        Y::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let key =
                if matches!(name, "Ref" | "Condition") { name.to_string() } else { format!("Fn::{name}") };
            let arg = match (name, resolve(tagged.value)) {
                ("GetAtt", J::String(s)) => {
                    let (id, attr) = s.split_once('.').expect("!GetAtt Id.Attribute");
                    serde_json::json!([id, attr])
                }
                (_, arg) => arg,
            };
            serde_json::json!({ key: arg })
        }
    }
}
