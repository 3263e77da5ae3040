//! `synth diff`, `synth graph`, `--check` and `synth --mdaa` under
//! generated hostile input, on a fixed budget: fixed case counts and a
//! fixed seed, so CI runs the same 660 cases every time, in about fifteen
//! seconds of a debug build on two busy cores (the config reader's own fuzzing
//! is `crates/bedrock-settings/tests/fuzz.rs`).
//!
//! Templates: random JSON and YAML structure shaped like a template
//! (resources, policies, references, intrinsics in odd places, odd types),
//! logical IDs and values with control characters and Markdown, Mermaid and
//! DOT syntax, long strings, repeated keys, YAML anchors and aliases, tags,
//! and nesting past the bound. Each side is read, diffed, rendered as text,
//! Markdown and JSON, drawn as Mermaid and DOT, and explained as `--check`
//! would; mdaa.yaml estates are read and synthesized. What must hold:
//! nothing panics; a refusal is a clean, located error; and the output is
//! bounded by a multiple of what was read, since a report repeats a value
//! at most a few times, each with a path of at most 100 keys.

use std::sync::LazyLock;

use cfn_diff::{diff, parse_value, render, Format, Graph, ParseError, RenderOptions, Template};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngSeed};
use serde_json::{json, Map, Value};

fn runner(cases: u32) -> RunnerConfig {
    RunnerConfig {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0xd1ff_5eed),
        ..RunnerConfig::default()
    }
}

/// Text a template may hold where a name or a value goes.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(&["Bucket", "Key", "Role", "Logs", "Queue", "Fn", "A", "B"][..]).prop_map(str::to_string),
        2 => proptest::sample::select(
            &["\r\u{1b}[2Kno differences", "\n```\n# Heading", "\"]\nclick r0", "\\\"; x [label=\"y\"]", "|a|b|",
              "<img src=x>", "\u{202e}rtl", "`tick`", "#quot;", "\u{7}\u{8}\u{9b}", "*", "${Bucket}", "a.b.c", ""][..]
        ).prop_map(str::to_string),
        1 => any::<String>(),
        1 => (1usize..3000).prop_map(|n| "x".repeat(n)),
    ]
}

const TYPES: [&str; 10] = [
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::IAM::Role",
    "AWS::IAM::ManagedPolicy",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::Lambda::Permission",
    "AWS::SQS::QueuePolicy",
    "Custom::Thing",
    "AWS::Nope::Nothing",
];

/// Any value, with intrinsics where they belong and where they do not.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        // Quarters print and read back exactly in JSON and YAML alike.
        any::<i32>().prop_map(|n| json!(f64::from(n) / 4.0)),
        name().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((name(), inner.clone()), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            (
                proptest::sample::select(
                    &["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::Join", "Condition", "Fn::ImportValue"][..]
                ),
                inner
            )
                .prop_map(|(k, v)| json!({k: v})),
        ]
    })
}

/// A policy statement, every field optional and any shape.
fn statement() -> impl Strategy<Value = Value> {
    let field = |k: &'static str| (Just(k), proptest::option::of(value()));
    (
        proptest::option::of(proptest::sample::select(&["Allow", "Deny", "allow", "Maybe"][..])),
        field("Principal"),
        field("Action"),
        field("NotAction"),
        field("Resource"),
        field("NotResource"),
        field("Condition"),
        proptest::option::of(name()),
    )
        .prop_map(|(effect, p, a, na, r, nr, c, sid)| {
            let mut m = Map::new();
            if let Some(e) = effect {
                m.insert("Effect".into(), json!(e));
            }
            for (k, v) in [p, a, na, r, nr, c] {
                if let Some(v) = v {
                    m.insert(k.into(), v);
                }
            }
            if let Some(sid) = sid {
                m.insert("Sid".into(), json!(sid));
            }
            Value::Object(m)
        })
}

/// A template: resources of the types above with properties, policy
/// documents, references and attributes, and a few other sections.
fn template() -> impl Strategy<Value = Value> {
    let resource = (
        proptest::sample::select(&TYPES[..]),
        proptest::collection::vec((name(), value()), 0..4),
        proptest::collection::vec(statement(), 0..3),
        proptest::option::of(prop_oneof![name().prop_map(Value::String), value()]),
        proptest::option::of(proptest::sample::select(
            &["Retain", "Delete", "Snapshot", "RetainExceptOnCreate"][..],
        )),
    )
        .prop_map(|(ty, props, statements, depends_on, policy)| {
            let mut p: Map<String, Value> = props.into_iter().collect();
            let doc = json!({"Version": "2012-10-17", "Statement": statements});
            for k in ["PolicyDocument", "KeyPolicy", "AssumeRolePolicyDocument"] {
                p.insert(k.into(), doc.clone());
            }
            let mut r = json!({"Type": ty, "Properties": p});
            if let Some(d) = depends_on {
                r["DependsOn"] = d;
            }
            if let Some(policy) = policy {
                r["DeletionPolicy"] = json!(policy);
                r["UpdateReplacePolicy"] = json!(policy);
            }
            r
        });
    (
        proptest::collection::vec((name(), resource), 0..6),
        proptest::collection::vec((name(), value()), 0..3),
        proptest::option::of(value()),
    )
        .prop_map(|(resources, outputs, description)| {
            let mut t = json!({
                "Resources": Value::Object(resources.into_iter().collect()),
                "Outputs": Value::Object(outputs.into_iter().map(|(k, v)| (k, json!({"Value": v}))).collect()),
            });
            if let Some(d) = description {
                t["Description"] = d;
            }
            t
        })
}

/// A template written as JSON, as YAML, or as JSON text with a key given
/// again, and perhaps a change applied to the other side's structure.
fn template_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => template().prop_map(|t| t.to_string()),
        3 => template().prop_map(|t| yaml_serde::to_string(&t).unwrap_or_default()),
        1 => template().prop_map(|t| {
            let text = t.to_string();
            // The first key again, at the top: a repeated key.
            match text.find(':') {
                Some(i) => format!("{{{}:1,{}", &text[1..i], &text[1..]),
                None => text,
            }
        }),
        2 => yaml_soup(),
        1 => alias_bomb(),
        1 => (0usize..200, template()).prop_map(|(depth, t)| {
            format!("{}{}{}", "[".repeat(depth), t, "]".repeat(depth))
        }),
    ]
}

/// YAML-ish text: template keys, short-form tags, anchors and aliases,
/// YAML's indicators and any character.
fn yaml_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => proptest::sample::select(
            &["Resources:", "Type: ", "Properties:", "DependsOn: ", "Statement:", "Effect: Allow", "Action: ", "Resource: "][..]
        ).prop_map(str::to_string),
        6 => proptest::sample::select(
            &[": ", "\n", "\n  ", "\n    ", "  ", "- ", "{", "}", "[", "]", ", ", "? ", "&a ", "*a", "&b ", "*b", "!Ref ",
              "!GetAtt ", "!Sub ", "!If ", "!Unknown ", "!!binary ", "\"", "'", " #", "---\n", "\r", "\t", "|\n", ">-\n", "~",
              "<<: ", "\\e", "\\u202e"][..]
        ).prop_map(str::to_string),
        3 => proptest::sample::select(&TYPES[..]).prop_map(str::to_string),
        2 => "[a-zA-Z0-9_./:=+@*-]{1,12}",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(token, 0..120).prop_map(|t| t.concat())
}

/// An anchored list of `n` items referenced `m` times, up to 10,000 values
/// (the bound's own refusal is proved once in cfn-diff's tests).
fn alias_bomb() -> impl Strategy<Value = String> {
    (1usize..100, 1usize..100, name()).prop_map(|(n, m, item)| {
        let item = serde_json::to_string(&item).unwrap_or_default();
        let items: String = (0..n).map(|_| format!("  - {item}\n")).collect();
        let refs: String = (0..m).map(|i| format!("  k{i}: *a\n")).collect();
        format!("A: &a\n{items}Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: *a\nM:\n{refs}")
    })
}

/// Characters that could drive a terminal, reorder text or add a line.
fn raw_control(s: &str) -> Option<char> {
    s.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// What a text reads to: a template, or a clean error.
fn read(name: &str, text: &str) -> Result<Option<(Template, usize)>, TestCaseError> {
    match Template::parse(name, text) {
        Ok(t) => {
            // What the report may repeat: the text as read, aliases expanded.
            let read = parse_value(name, text).map(|v| v.to_string().len()).unwrap_or(0);
            Ok(Some((t, read.max(text.len()))))
        }
        Err(e) => {
            let shown = e.to_string();
            prop_assert!(shown.starts_with(name), "{shown}");
            prop_assert!(raw_control(&shown).is_none(), "{shown:?}");
            if let ParseError::Refused(r) = &e {
                prop_assert!(r.location.is_some() || r.kind == cfn_diff::RefusalKind::TooLarge, "{shown}");
            }
            Ok(None)
        }
    }
}

/// Every output of a pair: clean, and bounded by what was read.
fn holds(old: &str, new: &str) -> Result<(), TestCaseError> {
    let (Some((o, o_len)), Some((n, n_len))) = (read("old.yaml", old)?, read("new.yaml", new)?) else {
        return Ok(());
    };
    let d = diff(&o, &n);
    let graph = Graph::of_diff(&o, &n, &d);
    let outputs = [
        render(&d, Format::Text, &RenderOptions::default()),
        render(&d, Format::Markdown, &RenderOptions { color: false, mermaid: Some(graph.mermaid()) }),
        render(&d, Format::Json, &RenderOptions::default()),
        graph.mermaid(),
        graph.dot(),
        Graph::of(&n).mermaid(),
        Graph::of(&o).dot(),
    ];
    // Paths of up to 100 keys, each value shown in a line, a table and a fold.
    let bound = 400 * (o_len + n_len) + 64 * 1024;
    for out in &outputs {
        prop_assert!(raw_control(out).is_none(), "{:?} in {out:?}", raw_control(out));
        prop_assert!(out.len() <= bound, "{} bytes of output from {} read", out.len(), o_len + n_len);
    }
    // The escapes change no string (numbers are compared as read back).
    let json: Value = serde_json::from_str(&outputs[2]).expect("the JSON report parses");
    prop_assert_eq!(json, serde_json::from_str::<Value>(&serde_json::to_string(&d).unwrap()).unwrap());
    // --check: the same report in text, or a refusal as an error.
    match synth::diff::explain(old.as_bytes(), new.as_bytes(), "committed.json") {
        Ok(Some(report)) => prop_assert!(raw_control(&report).is_none()),
        Ok(None) => prop_assert!(d.is_empty()),
        Err(e) => prop_assert!(false, "both sides read, yet --check failed: {}", e.0),
    }
    Ok(())
}

/// The sample estate's text, which generated estates vary.
static ESTATE: LazyLock<String> = LazyLock::new(|| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join("crates/mdaa/tests/fixtures/estate/mdaa.yaml")).unwrap()
});

/// mdaa.yaml text: the sample estate with lines dropped, repeated or
/// changed, YAML soup, or an estate built from generated values.
fn estate_text() -> impl Strategy<Value = String> {
    let lines: Vec<String> = ESTATE.lines().map(str::to_string).collect();
    let n = lines.len();
    prop_oneof![
        3 => (proptest::collection::vec((0..n, 0..4u8, name()), 0..6)).prop_map(move |edits| {
            let mut l = lines.clone();
            for (i, op, text) in edits {
                let i = i.min(l.len().saturating_sub(1));
                match op {
                    0 if !l.is_empty() => { l.remove(i); }
                    1 if !l.is_empty() => { let dup = l[i].clone(); l.insert(i, dup); }
                    2 => l.insert(i, format!("  {}: {}", text.replace('\n', " "), serde_json::to_string(&text).unwrap_or_default())),
                    _ if !l.is_empty() => { let keep = l[i].split(':').next().unwrap_or("").to_string(); l[i] = format!("{keep}: {}", serde_json::to_string(&text).unwrap_or_default()); }
                    _ => {}
                }
            }
            l.join("\n") + "\n"
        }),
        1 => yaml_soup(),
        1 => (name(), proptest::collection::vec((name(), name(), value()), 0..4)).prop_map(|(org, modules)| {
            let modules: Map<String, Value> = modules
                .into_iter()
                .map(|(m, path, config)| (m, json!({"module_path": path, "module_configs": [], "module_config_data": config})))
                .collect();
            let estate = json!({"organization": org, "region": "eu-west-1",
                "domains": {"shared": {"account": "222222222222", "environments": {"dev": {"modules": modules}}}}});
            yaml_serde::to_string(&estate).unwrap_or_default()
        }),
    ]
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// An estate is synthesized or refused cleanly, writing no more templates
/// than it names modules.
fn estate_holds(text: &str) -> Result<(), TestCaseError> {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/mdaa/tests/fixtures/estate");
    let dir = tempfile::tempdir().unwrap();
    // Beside the sample's config files, so the paths it names resolve.
    copy_tree(&root, dir.path());
    let mdaa = dir.path().join("mdaa.yaml");
    std::fs::write(&mdaa, text).unwrap();
    match synth::mdaa::synthesize_estate(&mdaa, &dir.path().join("out"), synth::MODULES) {
        Ok(w) => {
            prop_assert!(w.templates <= text.matches("module_path").count() * 16, "{} templates", w.templates)
        }
        Err(message) => prop_assert!(!message.is_empty()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(runner(400))]

    #[test]
    fn any_pair_of_templates_diffs_renders_and_draws_cleanly(old in template_text(), new in template_text()) {
        holds(&old, &new)?;
        holds(&old, &old)?;
    }
}

proptest! {
    #![proptest_config(runner(200))]

    /// Small edits of one template: the diffs a review really sees.
    #[test]
    fn a_template_and_its_edit(t in template(), edit in (name(), value())) {
        let mut edited = t.clone();
        if let Some(r) = edited["Resources"].as_object_mut().and_then(|m| m.values_mut().next()) {
            r["Properties"][edit.0.as_str()] = edit.1;
        }
        holds(&t.to_string(), &yaml_serde::to_string(&edited).unwrap_or_default())?;
    }
}

proptest! {
    #![proptest_config(runner(60))]

    #[test]
    fn any_estate_synthesizes_or_is_refused_cleanly(text in estate_text()) {
        estate_holds(&text)?;
    }
}
