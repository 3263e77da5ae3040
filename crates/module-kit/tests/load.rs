//! The kit's loader on a module of its own: what every module gets.

use cfn_template::Template;
use module_kit::{load, validate, Checked, ConfigErrors, Module, Problems};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Tier {
    Standard,
    Premium,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Rule {
    name: String,
    #[schemars(range(min = 1, max = 100))]
    weight: u8,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Config {
    tier: Tier,
    #[serde(default)]
    rules: Vec<Rule>,
    #[serde(default)]
    labels: std::collections::BTreeMap<String, String>,
}

struct Toy;

impl Module for Toy {
    type Config = Config;
    fn name(&self) -> &'static str {
        "toy"
    }
    fn default_config_yaml(&self) -> &'static str {
        "# a toy\ntier: standard\n"
    }
    fn check(&self, config: &Config, problems: &mut Problems) {
        for (i, r) in config.rules.iter().enumerate() {
            if r.name.is_empty() {
                problems.report(
                    module_kit::KeyPath::root().key("rules").index(i).key("name"),
                    "a rule needs a name",
                );
            }
        }
        if config.rules.iter().map(|r| u32::from(r.weight)).sum::<u32>() > 100 {
            problems.report(["rules"], "the weights add up to more than 100");
        }
        for (k, v) in &config.labels {
            if v.is_empty() {
                problems.report(["labels", k.as_str()], "a label needs a value");
            }
        }
        if config.tier == Tier::Premium && config.rules.is_empty() {
            problems.report(["rules"], "premium needs rules").help("add a rule");
        }
    }
    fn synthesize_with(&self, _: &Checked<Self>, _: &dyn cfn_constructs::NamingStrategy) -> Template {
        Template::new()
    }
}

fn err(yaml: &str) -> ConfigErrors {
    load(&Toy, yaml, "toy.yaml").expect_err(yaml)
}

fn first(yaml: &str) -> module_kit::ConfigError {
    err(yaml).0.remove(0)
}

#[test]
fn enumerated_values_get_a_suggestion() {
    let e = first("tier: premum\n");
    assert_eq!(e.to_string(), "error: toy.yaml:1:7: `tier`: `premum` is not an accepted value\n  expected: one of `standard`, `premium`\n  help: did you mean `premium`?");
}

#[test]
fn paths_into_lists_are_located() {
    let e = first("tier: standard\nrules:\n  - name: a\n    weight: 5\n  - name: b\n    weight: 500\n");
    assert_eq!(e.key.as_deref(), Some("rules[1].weight"));
    assert_eq!(e.position, Some((6, 13)));
    assert_eq!(e.expected.as_deref(), Some("a whole number from 1 to 100"));
    let e = first("tier: standard\nrules:\n  - name: a\n    weight: 5\n  - name: ''\n    weight: 1\n");
    assert_eq!((e.key.as_deref(), e.position), (Some("rules[1].name"), Some((5, 5))));
    let e = first("tier: standard\nrules:\n  - name: a\n    wieght: 5\n");
    assert_eq!(e.key.as_deref(), Some("rules[0].wieght"));
    assert_eq!(e.help.as_deref(), Some("did you mean `weight`?"));
}

#[test]
fn check_problems_are_located_in_any_style() {
    let e = err("{tier: standard, labels: {team: '', owner: x}, rules: [{name: a, weight: 60}, {name: b, weight: 60}]}\n");
    let found: Vec<_> = e.0.iter().map(|e| (e.key.clone().unwrap(), e.position.unwrap())).collect();
    assert_eq!(found, [("labels.team".to_string(), (1, 27)), ("rules".to_string(), (1, 48))]);
}

#[test]
fn a_missing_required_key_is_named() {
    let e = first("rules: []\n");
    assert_eq!(e.key.as_deref(), Some("tier"));
    assert_eq!(e.problem, "this required key is missing");
    assert_eq!(e.expected.as_deref(), Some("one of `standard`, `premium`"));
    assert!(e.note.is_some());
}

#[test]
fn repeated_keys_are_refused_at_the_repeat_in_any_mapping() {
    let e =
        err("tier: standard\nlabels:\n  a: 1\n  'a': 2\nrules:\n  - name: x\n    weight: 1\n    name: y\n");
    let found: Vec<_> = e.0.iter().map(|e| (e.key.clone().unwrap(), e.position.unwrap())).collect();
    assert_eq!(found, [("labels.a".to_string(), (4, 3)), ("rules[0].name".to_string(), (8, 5))]);
}

#[test]
fn an_alias_is_located_where_its_anchor_is_written() {
    let e = first("tier: standard\nbase: &b {name: x, weight: 0}\nrules: [*b]\n");
    assert_eq!(e.key.as_deref(), Some("base"));
    let e = first("tier: standard\nlabels: &l {a: b}\nrules:\n  - name: x\n    weight: *l\n");
    assert_eq!(e.key.as_deref(), Some("rules[0].weight"));
    assert_eq!(e.position, Some((2, 9)));
}

#[test]
fn aliases_cannot_blow_up() {
    let mut yaml = String::from("tier: standard\nlabels:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        yaml.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let e = first(&yaml);
    assert!(e.problem.starts_with("the configuration holds more than 20,000 values"), "{e}");
    assert!(e.position.is_some());
}

#[test]
fn nesting_is_bounded_in_block_style_too() {
    let yaml = format!("tier: standard\nlabels:\n{}x\n", "- ".repeat(100_000));
    let e = first(&yaml);
    assert_eq!(e.problem, "mappings and lists nest more than 64 deep");
    assert_eq!(e.position.map(|p| p.0), Some(3));
}

#[test]
fn oversized_text_is_refused_before_parsing() {
    let yaml = format!("tier: standard\n#{}\n", "x".repeat(module_kit::limits::MAX_CONFIG_BYTES));
    let e = first(&yaml);
    assert!(e.problem.contains("over the 1,048,576 bytes a configuration may have"), "{e}");
}

#[test]
fn a_config_built_in_code_reports_paths() {
    let c = Config { tier: Tier::Premium, rules: vec![], labels: Default::default() };
    let e = validate(&Toy, c).unwrap_err();
    assert_eq!(
        e.to_string(),
        "error: <configuration built in code>: `rules`: premium needs rules\n  help: add a rule"
    );
    let ok =
        validate(&Toy, Config { tier: Tier::Standard, rules: vec![], labels: Default::default() }).unwrap();
    assert_eq!(ok.tier, Tier::Standard);
}

#[test]
fn the_schema_is_draft_07() {
    let s = module_kit::json_schema::<Config>();
    assert!(s.starts_with("{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\""), "{s}");
}

#[test]
fn a_character_yaml_does_not_allow_is_reported_where_it_is() {
    for (yaml, at, code) in [
        ("tier: standard\nlabels: {a: \"x\u{0}\"}\n", (2, 15), "U+0000"),
        ("tier: standard\nlabels:\n  é: \"\u{7}\"\n", (3, 7), "U+0007"),
        ("tier: standard\n\u{7f}\n", (2, 1), "U+007F"),
        ("\u{1}tier: standard\n", (1, 1), "U+0001"),
    ] {
        let e = first(yaml);
        assert_eq!(e.position, Some(at), "{yaml:?}: {e}");
        assert_eq!(e.problem, format!("the control character {code} is not allowed in YAML"), "{yaml:?}");
    }
    let e = first("tier: standard\nlabels: {a: \"\u{fffe}\"}\n");
    assert_eq!(
        (e.position, e.problem.as_str()),
        (Some((2, 14)), "the character U+FFFE is not allowed in YAML")
    );
}

#[test]
fn a_root_that_is_no_mapping_is_reported_where_it_starts() {
    for (yaml, at, what) in [
        ("# a comment\n- tier: standard\n", (2, 1), "a list"),
        ("# a comment\n\n   - a\n", (3, 4), "a list"),
        ("%YAML 1.2\n---\n[a, b]\n", (3, 1), "a list"),
        ("# a comment\n--- [a, b]\n", (2, 5), "a list"),
        ("# a comment\n\"standard\"\n", (2, 1), "a single value"),
    ] {
        let e = first(yaml);
        assert_eq!(e.problem, format!("the configuration is {what}"), "{yaml:?}");
        assert_eq!(e.position, Some(at), "{yaml:?}");
    }
    let e = first("# a comment\n  ~\n");
    assert_eq!((e.problem.as_str(), e.position), ("the configuration is empty", Some((2, 3))));
    let e = first("# only a comment\n");
    assert_eq!((e.problem.as_str(), e.position), ("the configuration is empty", None));
}

#[test]
fn a_tag_on_a_list_or_mapping_is_reported_at_the_tag() {
    let e = first("tier: standard\nlabels: !Ref {a: b}\n");
    assert_eq!((e.key.as_deref(), e.position), (Some("labels"), Some((2, 9))));
    let e = first("tier: standard\nrules:\n  - !Sub [a]\n");
    assert_eq!((e.key.as_deref(), e.position), (Some("rules[0]"), Some((3, 5))));
    let e = first("tier: standard\nlabels:\n  !Ref\n  a: b\n");
    assert_eq!(e.position, Some((3, 3)));
    let e = first("!Foo {tier: standard}\n");
    assert_eq!(
        e.to_string().lines().next(),
        Some("error: toy.yaml:1:1: `!Foo` is a YAML tag, and configurations take no tags")
    );
}

#[test]
fn a_second_document_is_reported_at_its_marker() {
    for (yaml, at) in [
        ("tier: standard\n---\nlabels: {}\n", (2, 1)),
        ("tier: standard\r\n--- # more\r\n\r\n[x]\r\n", (2, 1)),
        ("tier: standard\n--- [x]\n", (2, 1)),
        ("tier: standard\n---\n", (2, 1)),
    ] {
        let e = first(yaml);
        assert_eq!(e.problem, "a second YAML document starts here", "{yaml:?}");
        assert_eq!(e.position, Some(at), "{yaml:?}");
    }
}
