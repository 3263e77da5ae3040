//! The values the configuration accepts where AWS defines the set, held
//! against AWS's own definition: the registry schemas of the pinned
//! cfn-lint release, as the generated L1 exposes them
//! (`cfn_template::schema::shape_of`). Each set is probed through the
//! module's own validation, so a value added to or dropped from a list in
//! the code is caught whichever list it was.

use bedrock_settings::{Config, DataDelivery, S3Lifecycle};
use cfn_template::schema::shape::{Node, Str, TypeShape};
use serde_json::Value;

/// The node of the property at `path` (property names; lists and maps are
/// stepped through to their items).
fn node<'a>(shape: &'a TypeShape, path: &[&str]) -> &'a Node {
    let mut n = &shape.nodes[0];
    for name in path {
        let o = loop {
            match n {
                Node::Array(items) => n = shape.node(items.items),
                Node::Map(entries) => n = shape.node(entries.values),
                Node::Object(o) => break o,
                other => panic!("{}: `{name}` is under {other:?}, not an object", shape.type_name),
            }
        };
        let prop = shape.props_of(o).iter().find(|p| p.0 == *name);
        n = shape.node(prop.unwrap_or_else(|| panic!("{} has no `{name}`", shape.type_name)).1);
    }
    n
}

fn shape(type_name: &str) -> &'static TypeShape {
    cfn_template::schema::shape_of(type_name)
        .unwrap_or_else(|| panic!("{type_name}: its service is a feature"))
}

/// The whole numbers `path` of `type_name` may take, as its schema lists them.
fn integer_enum(type_name: &str, path: &[&str]) -> Vec<u32> {
    let Node::Integer(bounds) = node(shape(type_name), path) else {
        panic!("{type_name} {path:?} is not an integer")
    };
    assert!(!bounds.values.is_empty(), "{type_name} {path:?} lists no values");
    bounds.values.iter().map(|v| *v as u32).collect()
}

fn cloudwatch_with_retention(days: u32) -> Config {
    Config {
        enable_audit_logging_to_cloudwatch: true,
        cloudwatch_log_retention_days: Some(days),
        ..Config::default()
    }
}

#[test]
fn retention_days_are_exactly_those_cloudwatch_logs_accepts() {
    let aws = integer_enum("AWS::Logs::LogGroup", &["RetentionInDays"]);
    let top = *aws.iter().max().unwrap();
    let candidates = (0..=top + 400).chain([u32::from(u16::MAX), i32::MAX as u32, u32::MAX]);
    let accepted: Vec<u32> =
        candidates.filter(|d| bedrock_settings::validate(cloudwatch_with_retention(*d)).is_ok()).collect();
    let missing: Vec<_> = aws.iter().filter(|d| !accepted.contains(d)).collect();
    let extra: Vec<_> = accepted.iter().filter(|d| !aws.contains(d)).collect();
    assert!(
        missing.is_empty(),
        "CloudWatch Logs accepts these retention periods, the configuration does not: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "the configuration accepts retention periods CloudWatch Logs refuses: {extra:?}"
    );
    assert_eq!(accepted, aws, "in CloudWatch's order");
}

#[test]
fn an_accepted_retention_reaches_the_log_group_unchanged() {
    for days in integer_enum("AWS::Logs::LogGroup", &["RetentionInDays"]) {
        let checked = bedrock_settings::validate(cloudwatch_with_retention(days)).unwrap();
        let template = bedrock_settings::synthesize(&checked).to_value();
        let group = &template["Resources"]["InvocationLogsLogGroup"];
        assert_eq!(group["Type"], "AWS::Logs::LogGroup");
        assert_eq!(group["Properties"]["RetentionInDays"], Value::from(days), "{days}");
    }
}

#[test]
fn the_json_schema_offers_exactly_cloudwatchs_retention_periods() {
    let schema: Value = serde_json::from_str(&bedrock_settings::json_schema()).unwrap();
    let listed: Vec<u32> = schema["properties"]["cloudwatchLogRetentionDays"]["enum"]
        .as_array()
        .expect("the retention lists its values for editors")
        .iter()
        .map(|v| v.as_u64().expect("whole numbers") as u32)
        .collect();
    assert_eq!(listed, integer_enum("AWS::Logs::LogGroup", &["RetentionInDays"]));
}

/// Every configuration the lifecycle options can give a bucket.
fn lifecycle_configs() -> Vec<Config> {
    let lifecycle = |t, e, n| Config {
        enable_audit_logging_to_s3: true,
        s3_lifecycle: Some(S3Lifecycle {
            transition_to_glacier_after_days: t,
            expire_after_days: e,
            noncurrent_version_expire_after_days: n,
        }),
        ..Config::default()
    };
    vec![
        Config { enable_audit_logging_to_s3: true, ..Config::default() },
        Config { enable_audit_logging_to_cloudwatch: true, ..Config::default() },
        lifecycle(Some(90), Some(2557), Some(30)),
        lifecycle(Some(1), None, None),
        lifecycle(None, Some(1), Some(i32::MAX as u32)),
    ]
}

/// The storage classes the template's lifecycle rules move objects to.
fn storage_classes(template: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (id, r) in template["Resources"].as_object().unwrap() {
        let Some(rules) = r["Properties"]["LifecycleConfiguration"]["Rules"].as_array() else { continue };
        for rule in rules {
            for list in ["Transitions", "NoncurrentVersionTransitions"] {
                for t in rule[list].as_array().into_iter().flatten() {
                    found.push((format!("{id} {list}"), t["StorageClass"].as_str().unwrap().to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn lifecycle_storage_classes_are_ones_s3_lists() {
    let rules = ["LifecycleConfiguration", "Rules"];
    let allowed = |list: &str| -> &'static [&'static str] {
        match node(shape("AWS::S3::Bucket"), &[rules[0], rules[1], list, "StorageClass"]) {
            Node::String(Str { values, .. }) if !values.is_empty() => values,
            other => panic!("{list}.StorageClass lists no values: {other:?}"),
        }
    };
    let mut seen = 0;
    for config in lifecycle_configs() {
        let template = bedrock_settings::synthesize(&bedrock_settings::validate(config).unwrap()).to_value();
        for (at, class) in storage_classes(&template) {
            let list = at.split(' ').nth(1).unwrap();
            assert!(allowed(list).contains(&class.as_str()), "{at}: {class} is not in {:?}", allowed(list));
            seen += 1;
        }
    }
    assert!(seen > 0, "the lifecycle rules move objects to some storage class");
}

/// The resource types of the template that carry the configuration's tags.
fn tagged_types() -> Vec<String> {
    let config = Config {
        enable_audit_logging_to_s3: true,
        enable_audit_logging_to_cloudwatch: true,
        tags: [("owner".to_string(), "platform".to_string())].into_iter().collect(),
        data_delivery: Some(DataDelivery::default()),
        ..Config::default()
    };
    let template = bedrock_settings::synthesize(&bedrock_settings::validate(config).unwrap()).to_value();
    let mut types: Vec<String> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Properties"].get("Tags").is_some())
        .map(|r| r["Type"].as_str().unwrap().to_string())
        .collect();
    types.sort();
    types.dedup();
    assert!(types.len() >= 4, "the tags reach the key, bucket, log groups and roles: {types:?}");
    types
}

/// What one tag type's schema says of tags: the most of them, the
/// longest key, the longest value, and the patterns of keys and values.
struct TagRules {
    max_count: Option<u64>,
    key_max: Option<u64>,
    value_max: Option<u64>,
    patterns: Vec<&'static str>,
}

fn tag_rules(type_name: &str) -> TagRules {
    let s = shape(type_name);
    let string_rules = |n: &Node| match n {
        Node::String(st) => (st.max, st.pattern),
        other => panic!("{type_name}: a tag part is {other:?}"),
    };
    match node(s, &["Tags"]) {
        Node::Array(items) => {
            let (key_max, key_pattern) = string_rules(node(s, &["Tags", "Key"]));
            let (value_max, value_pattern) = string_rules(node(s, &["Tags", "Value"]));
            TagRules {
                max_count: items.max,
                key_max,
                value_max,
                patterns: key_pattern.into_iter().chain(value_pattern).collect(),
            }
        }
        Node::Map(entries) => {
            let (value_max, value_pattern) = string_rules(s.node(entries.values));
            TagRules {
                max_count: entries.max,
                key_max: None,
                value_max,
                patterns: entries.key_pattern.into_iter().chain(value_pattern).collect(),
            }
        }
        other => panic!("{type_name}: Tags is {other:?}"),
    }
}

fn with_tags(tags: impl IntoIterator<Item = (String, String)>) -> Config {
    Config { enable_audit_logging_to_s3: true, tags: tags.into_iter().collect(), ..Config::default() }
}

fn accepts(config: Config) -> bool {
    bedrock_settings::validate(config).is_ok()
}

/// The largest `n` in `1..=limit` for which `ok(n)` holds, given that it
/// holds up to some point and not after.
fn largest(limit: u64, ok: impl Fn(u64) -> bool) -> u64 {
    (1..=limit).take_while(|n| ok(*n)).last().unwrap_or(0)
}

#[test]
fn tag_limits_are_the_strictest_of_the_tagged_resource_types() {
    let rules: Vec<(String, TagRules)> =
        tagged_types().into_iter().map(|t| (t.clone(), tag_rules(&t))).collect();
    let strictest = |f: fn(&TagRules) -> Option<u64>| rules.iter().filter_map(|(_, r)| f(r)).min();
    let count = strictest(|r| r.max_count).expect("a tagged type bounds the number of tags");
    let key = strictest(|r| r.key_max).expect("a tagged type bounds tag keys");
    let value = strictest(|r| r.value_max).expect("a tagged type bounds tag values");

    let n_tags = |n: u64| with_tags((0..n).map(|i| (format!("k{i}"), "v".to_string())));
    assert_eq!(largest(count + 10, |n| accepts(n_tags(n))), count, "tags per resource");
    let long_key = |n: u64| with_tags([("k".repeat(n as usize), "v".to_string())]);
    assert_eq!(largest(key + 10, |n| accepts(long_key(n))), key, "characters of a tag key");
    let long_value = |n: u64| with_tags([("k".to_string(), "v".repeat(n as usize))]);
    assert_eq!(largest(value + 10, |n| accepts(long_value(n))), value, "characters of a tag value");
    assert!(accepts(with_tags([("k".to_string(), String::new())])), "an empty value is a value AWS takes");
}

#[test]
fn tag_characters_are_those_every_tagged_resource_type_accepts() {
    let patterns: Vec<regex::Regex> = tagged_types()
        .iter()
        .flat_map(|t| tag_rules(t).patterns)
        .map(|p| regex::Regex::new(p).expect("the schema's pattern compiles"))
        .collect();
    assert!(!patterns.is_empty(), "some tagged type states which characters tags take");
    let probes = (0u32..0x250).chain([0x2028, 0x3000, 0x4E2C, 0x0663, 0x200B, 0xFEFF, 0x1F600]);
    for c in probes.filter_map(char::from_u32) {
        let text = format!("a{c}b");
        let aws = patterns.iter().all(|p| p.is_match(&text));
        let in_key = accepts(with_tags([(text.clone(), "v".to_string())]));
        let in_value = accepts(with_tags([("k".to_string(), text.clone())]));
        assert_eq!(in_key, aws, "{c:?} (U+{:04X}) in a tag key", u32::from(c));
        assert_eq!(in_value, aws, "{c:?} (U+{:04X}) in a tag value", u32::from(c));
    }
}
