//! Config parsing and synthesis under generated input, on a fixed budget
//! (fixed case counts and seed, so CI runs the same 11,500 cases every
//! time, in about ten seconds of a debug build):
//! nothing panics, every rejection is a located message, and every accepted
//! configuration gives a template that validates and writes.

mod common;

use bedrock_settings::{parse_config, synthesize, validate, Config};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngSeed};
use serde_json::{json, Map, Value};

fn runner(cases: u32) -> RunnerConfig {
    RunnerConfig {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x5eed_b0d0),
        ..RunnerConfig::default()
    }
}

/// What must hold for any input: an accepted config synthesizes a valid
/// template; a rejected one gets messages that say where or why not.
fn holds(text: &str) -> Result<(), TestCaseError> {
    match parse_config(text, "fuzz.yaml") {
        Ok(config) => {
            let template = synthesize(&config);
            prop_assert!(template.to_json().is_ok(), "{text:?}: {:?}", template.to_json().err());
            prop_assert!(template.to_yaml().is_ok());
        }
        Err(errors) => {
            prop_assert!(!errors.0.is_empty());
            for e in &errors.0 {
                let shown = e.to_string();
                prop_assert!(shown.starts_with("error: fuzz.yaml"), "{shown}");
                prop_assert!(!shown.contains(['\u{1b}', '\u{7}', '\r', '\u{9b}']), "{shown:?}");
                prop_assert!(
                    e.position.is_some() || e.note.is_some() || e.problem == "the configuration is empty",
                    "{text:?}: {shown}"
                );
            }
        }
    }
    Ok(())
}

const KEYS: [&str; 14] = [
    "enableAuditLoggingToS3",
    "enableAuditLoggingToCloudwatch",
    "cloudwatchLogRetentionDays",
    "cloudwatchLargeDataDeliveryToS3",
    "s3Lifecycle",
    "transitionToGlacierAfterDays",
    "expireAfterDays",
    "noncurrentVersionExpireAfterDays",
    "dataDelivery",
    "text",
    "tags",
    "ssmParameterPrefix",
    "owner",
    "enableAuditLogingToS3",
];

/// YAML-ish text: the config's keys, YAML's indicators, numbers at the
/// edges, and any character.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => proptest::sample::select(&KEYS[..]).prop_map(str::to_string),
        6 => proptest::sample::select(
            &[": ", "\n", "\n  ", "  ", "- ", "{", "}", "[", "]", ", ", "? ", "&a ", "*a", "!!bool ", "!!str ", "!Ref ",
              "\"", "'", " #", "---\n", "...\n", "\r", "\r\n", "\t", "|\n", ">-\n", "~", "null"][..]
        ).prop_map(str::to_string),
        3 => proptest::sample::select(
            &["true", "false", "30", "365", "0", "-5", "4294967296", "2147483648", "0x1F", "1e3", "/bedrock", "/aws/x"][..]
        ).prop_map(str::to_string),
        2 => "[a-zA-Z0-9_./:=+@-]{1,12}",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(token, 0..80).prop_map(|t| t.concat())
}

/// Text a tag might hold: mostly fine, sometimes not.
fn tag_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 _.:/=+@-]{0,20}",
        1 => "\\PC{0,6}",
        1 => proptest::collection::vec(any::<char>(), 0..4).prop_map(|c| c.into_iter().collect()),
        1 => proptest::sample::select(vec!["aws:x".to_string(), "AWS:y".into(), "a\rb".into(), "\u{b}".into(), "a\u{345}".into(), "\u{85}".into(), "x".repeat(130)]),
    ]
}

fn days() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => proptest::sample::select(&[0u64, 1, 3, 30, 90, 100, 365, 3653, 2_147_483_647, 2_147_483_648, 4_294_967_295][..]),
        1 => any::<u32>().prop_map(u64::from),
    ]
    .prop_map(|d| json!(d))
}

/// Configurations shaped like the real one, with values across and past
/// every limit.
fn config_like() -> impl Strategy<Value = Value> {
    let lifecycle =
        (proptest::option::of(days()), proptest::option::of(days()), proptest::option::of(days())).prop_map(
            |(t, e, n)| {
                let mut m = Map::new();
                for (k, v) in [
                    ("transitionToGlacierAfterDays", t),
                    ("expireAfterDays", e),
                    ("noncurrentVersionExpireAfterDays", n),
                ] {
                    if let Some(v) = v {
                        m.insert(k.into(), v);
                    }
                }
                Value::Object(m)
            },
        );
    let delivery = proptest::collection::vec(any::<bool>(), 5)
        .prop_map(|b| json!({"text": b[0], "image": b[1], "embedding": b[2], "video": b[3], "audio": b[4]}));
    let prefix = prop_oneof!["(/[a-zA-Z0-9_.-]{1,12}){1,17}", "/[a-z]{900,960}", "[a-z/]{0,10}",];
    (
        (
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(days()),
        ),
        (
            proptest::option::of(any::<bool>()),
            proptest::option::of(lifecycle),
            proptest::option::of(delivery),
        ),
        proptest::collection::vec((tag_text(), tag_text()), 0..8),
        proptest::option::of(prefix),
    )
        .prop_map(|((s3, cw, retention), (large, lifecycle, delivery), tags, prefix)| {
            let mut m = Map::new();
            let mut put = |k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    m.insert(k.to_string(), v);
                }
            };
            put("enableAuditLoggingToS3", s3.map(Value::Bool));
            put("enableAuditLoggingToCloudwatch", cw.map(Value::Bool));
            put("cloudwatchLogRetentionDays", retention);
            put("cloudwatchLargeDataDeliveryToS3", large.map(Value::Bool));
            put("s3Lifecycle", lifecycle);
            put("dataDelivery", delivery);
            if !tags.is_empty() {
                put(
                    "tags",
                    Some(Value::Object(tags.into_iter().map(|(k, v)| (k, Value::String(v))).collect())),
                );
            }
            put("ssmParameterPrefix", prefix.map(Value::String));
            Value::Object(m)
        })
}

/// The value as JSON, which YAML reads as the same value once DEL and every
/// non-ASCII character are escaped: raw, YAML refuses DEL and takes NEL, LS
/// and PS for line breaks.
fn as_yaml(v: &Value) -> String {
    let mut out = String::new();
    for c in serde_json::to_string_pretty(v).unwrap().chars() {
        match u32::from(c) {
            n if n < 0x7f => out.push(c),
            n if n <= 0xFFFF => out.push_str(&format!("\\u{n:04x}")),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out
}

proptest! {
    #![proptest_config(runner(6000))]
    #[test]
    fn any_text_is_accepted_or_refused_with_a_located_message(text in yamlish()) {
        holds(&text)?;
    }
}

proptest! {
    #![proptest_config(runner(2500))]
    #[test]
    fn configs_across_every_limit_synthesize_only_when_valid(config in config_like()) {
        // JSON is YAML: the same config as a file and as a value built in code.
        let text = as_yaml(&config);
        holds(&text)?;
        let from_file = parse_config(&text, "fuzz.yaml");
        let in_code: Config = serde_json::from_value(config).unwrap();
        let from_code = validate(in_code);
        prop_assert_eq!(from_file.is_ok(), from_code.is_ok(), "{}", text);
        if let (Err(file), Err(code)) = (&from_file, &from_code) {
            let keys = |e: &bedrock_settings::ConfigErrors| {
                let mut k: Vec<_> = e.0.iter().map(|e| e.key.clone()).collect();
                k.sort();
                k
            };
            prop_assert_eq!(keys(file), keys(code), "{}", text);
        }
    }
}

proptest! {
    #![proptest_config(runner(3000))]
    #[test]
    fn edited_samples_never_panic(
        sample in proptest::sample::select(common::samples()),
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let mut bytes = sample.1.into_bytes();
        for (at, byte, kind) in edits {
            let i = at.index(bytes.len() + 1);
            match kind {
                0 => bytes.insert(i, byte),
                1 if i < bytes.len() => bytes[i] = byte,
                _ if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => {}
            }
        }
        match module_kit::decode(&bytes, "fuzz.yaml") {
            Ok(text) => holds(&text)?,
            Err(e) => prop_assert!(e.0.iter().all(|e| e.position.is_some()), "{}", e),
        }
    }
}
