//! Physical-name rules of the services, checked at synth time.
//!
//! A name given as a literal is checked in full. A name built with `Fn::Sub`
//! is checked as far as it can be: its literal parts for characters, and its
//! longest possible expansion for length, where every variable is a pseudo
//! parameter of known maximum length.

use crate::resources::iam::{ManagedPolicy, Role};
use crate::resources::kms::Alias;
use crate::resources::lambda::Function;
use crate::resources::logs::LogGroup;
use crate::resources::s3::Bucket;
use crate::sub::{parse_sub, SubPart};
use crate::Expr;

/// What can be known about a name before deployment.
struct NameShape {
    /// The literal text (variables removed).
    literal: String,
    /// The longest the name can be once deployed; `None` when unknown.
    max_len: Option<usize>,
    /// The whole name, when it is a plain literal.
    exact: Option<String>,
    /// The name as the user wrote it, for messages.
    shown: String,
}

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

fn shape(expr: &Expr) -> Option<NameShape> {
    match expr {
        Expr::Str(s) => Some(NameShape {
            literal: s.clone(),
            max_len: Some(s.chars().count()),
            exact: Some(s.clone()),
            shown: s.clone(),
        }),
        Expr::Sub(template, vars) => {
            let parts = parse_sub(template).ok()?;
            let mut literal = String::new();
            let mut max_len = Some(0usize);
            for part in parts {
                match part {
                    SubPart::Literal(l) => {
                        max_len = max_len.map(|m| m + l.chars().count());
                        literal.push_str(&l);
                    }
                    SubPart::Var(v) => {
                        let len = match vars.get(&v) {
                            Some(Expr::Str(s)) => {
                                // A literal variable is as much part of the name as the text around it.
                                literal.push_str(s);
                                Some(s.chars().count())
                            }
                            Some(_) => None,
                            None => pseudo_max_len(&v),
                        };
                        max_len = max_len.zip(len).map(|(a, b)| a + b);
                    }
                }
            }
            Some(NameShape { literal, max_len, exact: None, shown: template.clone() })
        }
        _ => None,
    }
}

/// The rules of one kind of name.
struct Rule<'a> {
    /// The property, as CloudFormation names it.
    property: &'a str,
    /// What the name is, for messages.
    what: &'a str,
    min: usize,
    max: usize,
    allowed: fn(char) -> bool,
    allowed_desc: &'a str,
}

fn check(rule: &Rule<'_>, expr: Option<&Expr>) -> Vec<String> {
    let Some(shape) = expr.and_then(shape) else {
        return Vec::new();
    };
    let Rule { property, what, min, max, allowed, allowed_desc } = *rule;
    let shown = &shape.shown;
    let mut problems = Vec::new();
    if let Some(bad) = shape.literal.chars().find(|c| !allowed(*c)) {
        problems.push(format!("{property} `{shown}` contains `{bad}`: {what}s may only hold {allowed_desc}"));
    }
    if let Some(len) = shape.max_len {
        if len > max {
            let qualifier = if shape.exact.is_some() { "is" } else { "can be" };
            problems.push(format!(
                "{property} `{shown}` {qualifier} {len} characters long: {what}s may be at most {max}"
            ));
        }
        if shape.exact.is_some() && len < min {
            problems.push(format!(
                "{property} `{shown}` is {len} characters long: {what}s must be at least {min}"
            ));
        }
    }
    problems
}

fn iam_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

const IAM_CHARS: &str = "letters, digits and _+=,.@-";

pub(crate) fn bucket_problems(b: &Bucket) -> Vec<String> {
    let rule = Rule {
        property: "BucketName",
        what: "bucket name",
        min: 3,
        max: 63,
        allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-',
        allowed_desc: "lowercase letters, digits, dots and hyphens",
    };
    let mut problems = check(&rule, b.bucket_name.as_ref());
    if let Some(Expr::Str(name)) = &b.bucket_name {
        let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !edge_ok(name.chars().next()) || !edge_ok(name.chars().last()) {
            problems.push(format!("BucketName `{name}` must begin and end with a lowercase letter or digit"));
        }
        if name.contains("..") {
            problems.push(format!("BucketName `{name}` must not contain two adjacent dots"));
        }
        if name.starts_with("xn--") || name.ends_with("-s3alias") || name.ends_with("--ol-s3") {
            problems.push(format!("BucketName `{name}` uses a prefix or suffix that S3 reserves"));
        }
        if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
            problems.push(format!("BucketName `{name}` must not be formatted as an IP address"));
        }
    }
    problems
}

pub(crate) fn role_problems(r: &Role) -> Vec<String> {
    let rule = Rule {
        property: "RoleName",
        what: "IAM role name",
        min: 1,
        max: 64,
        allowed: iam_char,
        allowed_desc: IAM_CHARS,
    };
    check(&rule, r.role_name.as_ref())
}

pub(crate) fn managed_policy_problems(p: &ManagedPolicy) -> Vec<String> {
    let rule = Rule {
        property: "ManagedPolicyName",
        what: "IAM managed policy name",
        min: 1,
        max: 128,
        allowed: iam_char,
        allowed_desc: IAM_CHARS,
    };
    check(&rule, p.managed_policy_name.as_ref())
}

pub(crate) fn log_group_problems(g: &LogGroup) -> Vec<String> {
    let rule = Rule {
        property: "LogGroupName",
        what: "log group name",
        min: 1,
        max: 512,
        allowed: |c| c.is_ascii_alphanumeric() || "._-/#".contains(c),
        allowed_desc: "letters, digits and ._-/#",
    };
    check(&rule, g.log_group_name.as_ref())
}

pub(crate) fn function_problems(f: &Function) -> Vec<String> {
    let rule = Rule {
        property: "FunctionName",
        what: "Lambda function name",
        min: 1,
        max: 64,
        allowed: |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
        allowed_desc: "letters, digits, hyphens and underscores",
    };
    check(&rule, f.function_name.as_ref())
}

pub(crate) fn alias_problems(a: &Alias) -> Vec<String> {
    let rule = Rule {
        property: "AliasName",
        what: "KMS alias name",
        min: 7,
        max: 256,
        allowed: |c| c.is_ascii_alphanumeric() || ":/_-".contains(c),
        allowed_desc: "letters, digits and :/_-",
    };
    let mut problems = check(&rule, Some(&a.alias_name));
    // Only text known before deployment can be checked: a name that starts
    // with a variable could still expand to `alias/...`.
    let (start, complete) = match &a.alias_name {
        Expr::Str(s) => (s.clone(), true),
        Expr::Sub(t, _) => match parse_sub(t).ok().as_deref() {
            Some([SubPart::Literal(l)]) => (l.clone(), true),
            Some([SubPart::Literal(l), ..]) => (l.clone(), false),
            _ => return problems,
        },
        _ => return problems,
    };
    let prefix_ok = start.starts_with("alias/") || (!complete && "alias/".starts_with(start.as_str()));
    let shown = match &a.alias_name {
        Expr::Sub(t, _) => t.as_str(),
        _ => start.as_str(),
    };
    if !prefix_ok {
        problems.push(format!("AliasName `{shown}` must start with `alias/`"));
    } else if start.starts_with("alias/aws/") {
        problems.push(format!("AliasName `{shown}` must not start with `alias/aws/`, which AWS reserves"));
    }
    problems
}
