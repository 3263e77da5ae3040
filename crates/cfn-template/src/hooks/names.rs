//! Physical names built with `Fn::Sub`, and the naming rules of services
//! that their schemas do not state.
//!
//! A literal name is checked by its schema (pattern, length). A name built
//! with `Fn::Sub` is checked here as far as it can be: its literal parts for
//! characters, and its longest possible expansion for length, where every
//! variable is a pseudo parameter of known maximum length.

use serde_json::Value;

use crate::sub::{parse_sub, SubPart};

/// The longest value each pseudo parameter can take. Regions include the
/// isolated partitions (`us-isof-southeast-1`), with room to spare.
fn pseudo_max_len(name: &str) -> Option<usize> {
    match name {
        "AWS::AccountId" => Some(12),
        "AWS::Region" => Some(20),
        "AWS::Partition" => Some(12),
        "AWS::URLSuffix" => Some(20),
        _ => None,
    }
}

/// What can be known of a name built with `Fn::Sub` before deployment.
struct SubName {
    /// The template string, for messages.
    template: String,
    /// The literal text (variables removed; literal variables kept).
    literal: String,
    /// The longest the name can be once deployed; `None` when unknown.
    max_len: Option<usize>,
    /// The literal text before the first variable.
    prefix: String,
    /// Whether the name is all literal text.
    complete: bool,
}

fn sub_name(v: &Value) -> Option<SubName> {
    let arg = v.as_object().filter(|m| m.len() == 1)?.get("Fn::Sub")?;
    let (template, vars) = match arg {
        Value::String(s) => (s.as_str(), None),
        Value::Array(a) => match a.as_slice() {
            [Value::String(s), Value::Object(vars)] => (s.as_str(), Some(vars)),
            _ => return None,
        },
        _ => return None,
    };
    let parts = parse_sub(template).ok()?;
    let mut name = SubName {
        template: template.to_string(),
        literal: String::new(),
        max_len: Some(0),
        prefix: String::new(),
        complete: true,
    };
    for part in parts {
        let (text, len) = match part {
            SubPart::Literal(l) => {
                let n = l.chars().count();
                (Some(l), Some(n))
            }
            SubPart::Var(var) => match vars.and_then(|v| v.get(&var)) {
                // A literal variable is as much part of the name as the text around it.
                Some(Value::String(s)) => (Some(s.clone()), Some(s.chars().count())),
                Some(_) => (None, None),
                None => (None, pseudo_max_len(&var)),
            },
        };
        match text {
            Some(t) => {
                if name.complete {
                    name.prefix.push_str(&t);
                }
                name.literal.push_str(&t);
            }
            None => name.complete = false,
        }
        name.max_len = name.max_len.zip(len).map(|(a, b)| a + b);
    }
    Some(name)
}

/// The rules of one kind of name.
pub(super) struct NameRule {
    /// The resource type.
    pub type_name: &'static str,
    /// The property, as CloudFormation names it.
    pub property: &'static str,
    /// What the name is, for messages.
    pub what: &'static str,
    /// The longest name the service accepts.
    pub max: usize,
    /// The characters the service accepts.
    pub allowed: fn(char) -> bool,
    /// Those characters, for messages.
    pub allowed_desc: &'static str,
    /// Whether literal names are checked here too, because the schema
    /// states no rule for them.
    pub literal: bool,
}

fn iam_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

const IAM_CHARS: &str = "letters, digits and _+=,.@-";

/// The physical names whose `Fn::Sub` forms are checked.
pub(super) const NAME_RULES: [NameRule; 6] = [
    NameRule {
        type_name: "AWS::S3::Bucket",
        property: "BucketName",
        what: "bucket name",
        max: 63,
        allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-',
        allowed_desc: "lowercase letters, digits, dots and hyphens",
        literal: false,
    },
    NameRule {
        type_name: "AWS::IAM::Role",
        property: "RoleName",
        what: "IAM role name",
        max: 64,
        allowed: iam_char,
        allowed_desc: IAM_CHARS,
        literal: false,
    },
    NameRule {
        type_name: "AWS::IAM::ManagedPolicy",
        property: "ManagedPolicyName",
        what: "IAM managed policy name",
        max: 128,
        allowed: iam_char,
        allowed_desc: IAM_CHARS,
        literal: true,
    },
    NameRule {
        type_name: "AWS::Logs::LogGroup",
        property: "LogGroupName",
        what: "log group name",
        max: 512,
        allowed: |c| c.is_ascii_alphanumeric() || "._-/#".contains(c),
        allowed_desc: "letters, digits and ._-/#",
        literal: false,
    },
    NameRule {
        type_name: "AWS::Lambda::Function",
        property: "FunctionName",
        what: "Lambda function name",
        max: 64,
        allowed: |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
        allowed_desc: "letters, digits, hyphens and underscores",
        literal: false,
    },
    NameRule {
        type_name: "AWS::KMS::Alias",
        property: "AliasName",
        what: "KMS alias name",
        max: 256,
        allowed: |c| c.is_ascii_alphanumeric() || ":/_-".contains(c),
        allowed_desc: "letters, digits and :/_-",
        literal: false,
    },
];

/// Problems with a name built with `Fn::Sub`, or with a literal name the
/// schema states no rule for.
pub(super) fn check_name(rule: &NameRule, value: &Value) -> Vec<String> {
    if let (Some(literal), true) = (value.as_str(), rule.literal) {
        return check_literal_name(rule, literal);
    }
    let Some(name) = sub_name(value) else { return Vec::new() };
    let NameRule { property, what, max, allowed, allowed_desc, .. } = *rule;
    let shown = &name.template;
    let mut problems = Vec::new();
    if let Some(bad) = name.literal.chars().find(|c| !allowed(*c)) {
        problems.push(format!("{property} `{shown}` contains `{bad}`: {what}s may only hold {allowed_desc}"));
    }
    if let Some(len) = name.max_len.filter(|l| *l > max) {
        problems
            .push(format!("{property} `{shown}` can be {len} characters long: {what}s may be at most {max}"));
    }
    if rule.type_name == "AWS::KMS::Alias" {
        problems.extend(alias_prefix_problem(shown, &name.prefix, name.complete));
    }
    problems
}

fn check_literal_name(rule: &NameRule, name: &str) -> Vec<String> {
    let NameRule { property, what, max, allowed, allowed_desc, .. } = *rule;
    let mut problems = Vec::new();
    if let Some(bad) = name.chars().find(|c| !allowed(*c)) {
        problems.push(format!("{property} `{name}` contains `{bad}`: {what}s may only hold {allowed_desc}"));
    }
    let len = name.chars().count();
    if len > max {
        problems.push(format!("{property} `{name}` is {len} characters long: {what}s may be at most {max}"));
    }
    if len == 0 {
        problems.push(format!("{property} is empty: {what}s must have at least one character"));
    }
    problems
}

/// Only text known before deployment can be checked: a name that starts
/// with a variable could still expand to `alias/...`.
fn alias_prefix_problem(shown: &str, start: &str, complete: bool) -> Option<String> {
    let prefix_ok = start.starts_with("alias/") || (!complete && "alias/".starts_with(start));
    if !prefix_ok {
        Some(format!("AliasName `{shown}` must start with `alias/`"))
    } else if start.starts_with("alias/aws/") {
        Some(format!("AliasName `{shown}` must not start with `alias/aws/`, which AWS reserves"))
    } else {
        None
    }
}

/// What S3 requires of a literal bucket name beyond its schema's pattern.
pub(super) fn bucket_name_problems(value: &Value) -> Vec<String> {
    let Some(name) = value.as_str() else { return Vec::new() };
    let mut problems = Vec::new();
    let len = name.chars().count();
    if len < 3 {
        problems
            .push(format!("BucketName `{name}` is {len} characters long: bucket names must be at least 3"));
    }
    if name.contains("..") {
        problems.push(format!("BucketName `{name}` must not contain two adjacent dots"));
    }
    if name.starts_with("xn--")
        || name.starts_with("sthree-")
        || name.starts_with("amzn-s3-demo-")
        || name.ends_with("-s3alias")
        || name.ends_with("--ol-s3")
        || name.ends_with(".mrap")
        || name.ends_with("--x-s3")
        || name.ends_with("--table-s3")
    {
        problems.push(format!("BucketName `{name}` uses a prefix or suffix that S3 reserves"));
    }
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        problems.push(format!("BucketName `{name}` must not be formatted as an IP address"));
    }
    problems
}

/// What KMS requires of a literal alias name beyond its schema's pattern
/// (which already requires `alias/`).
pub(super) fn alias_name_problems(value: &Value) -> Vec<String> {
    let Some(name) = value.as_str().filter(|n| n.starts_with("alias/aws/")) else { return Vec::new() };
    vec![format!("AliasName `{name}` must not start with `alias/aws/`, which AWS reserves")]
}
