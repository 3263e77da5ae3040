//! Physical-name rules of the services, checked at synth time.
//!
//! A name given as a literal is checked in full. A name built with `Fn::Sub`
//! is checked as far as it can be: its literal parts for characters, and its
//! longest possible expansion for length, where every variable is a pseudo
//! parameter of known maximum length.

use crate::resources::iam::{ManagedPolicy, Role};
use crate::resources::kms::Alias;
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
        Expr::Str(s) => {
            Some(NameShape { literal: s.clone(), max_len: Some(s.chars().count()), exact: Some(s.clone()) })
        }
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
                            Some(Expr::Str(s)) => Some(s.chars().count()),
                            Some(_) => None,
                            None => pseudo_max_len(&v),
                        };
                        max_len = max_len.zip(len).map(|(a, b)| a + b);
                    }
                }
            }
            Some(NameShape { literal, max_len, exact: None })
        }
        _ => None,
    }
}

fn check(
    what: &str,
    expr: Option<&Expr>,
    min: usize,
    max: usize,
    allowed: impl Fn(char) -> bool,
    allowed_desc: &str,
) -> Vec<String> {
    let Some(shape) = expr.and_then(shape) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let shown = shape.exact.clone().unwrap_or_else(|| format!("{expr:?}", expr = expr.unwrap()));
    if let Some(bad) = shape.literal.chars().find(|c| !allowed(*c)) {
        problems.push(format!("{what} `{shown}` contains `{bad}`: only {allowed_desc} are allowed"));
    }
    if let Some(len) = shape.max_len {
        if len > max {
            let qualifier = if shape.exact.is_some() { "is" } else { "can be" };
            problems.push(format!(
                "{what} `{shown}` {qualifier} {len} characters long: at most {max} are allowed"
            ));
        }
        if shape.exact.is_some() && len < min {
            problems.push(format!("{what} `{shown}` is {len} characters long: at least {min} are required"));
        }
    }
    problems
}

fn iam_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

pub(crate) fn bucket_problems(b: &Bucket) -> Vec<String> {
    let mut problems = check(
        "bucket name",
        b.bucket_name.as_ref(),
        3,
        63,
        |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-',
        "lowercase letters, digits, dots and hyphens",
    );
    if let Some(Expr::Str(name)) = &b.bucket_name {
        let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !edge_ok(name.chars().next()) || !edge_ok(name.chars().last()) {
            problems.push(format!("bucket name `{name}` must begin and end with a letter or digit"));
        }
        if name.contains("..") {
            problems.push(format!("bucket name `{name}` must not contain two adjacent dots"));
        }
        if name.starts_with("xn--") || name.ends_with("-s3alias") || name.ends_with("--ol-s3") {
            problems.push(format!("bucket name `{name}` uses a prefix or suffix S3 reserves"));
        }
        if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
            problems.push(format!("bucket name `{name}` must not be formatted as an IP address"));
        }
    }
    problems
}

pub(crate) fn role_problems(r: &Role) -> Vec<String> {
    check("IAM role name", r.role_name.as_ref(), 1, 64, iam_char, "letters, digits and _+=,.@-")
}

pub(crate) fn managed_policy_problems(p: &ManagedPolicy) -> Vec<String> {
    check(
        "IAM managed policy name",
        p.managed_policy_name.as_ref(),
        1,
        128,
        iam_char,
        "letters, digits and _+=,.@-",
    )
}

pub(crate) fn log_group_problems(g: &LogGroup) -> Vec<String> {
    check(
        "log group name",
        g.log_group_name.as_ref(),
        1,
        512,
        |c| c.is_ascii_alphanumeric() || "._-/#".contains(c),
        "letters, digits and ._-/#",
    )
}

pub(crate) fn alias_problems(a: &Alias) -> Vec<String> {
    let mut problems = check(
        "KMS alias name",
        Some(&a.alias_name),
        7,
        256,
        |c| c.is_ascii_alphanumeric() || ":/_-".contains(c),
        "letters, digits and :/_-",
    );
    let literal_start = match &a.alias_name {
        Expr::Str(s) => Some(s.as_str()),
        Expr::Sub(t, _) => Some(t.as_str()),
        _ => None,
    };
    if let Some(start) = literal_start {
        if !start.starts_with("alias/") {
            problems.push(format!("KMS alias name `{start}` must start with `alias/`"));
        } else if start.starts_with("alias/aws/") {
            problems.push(format!(
                "KMS alias name `{start}` must not start with `alias/aws/`, which AWS reserves"
            ));
        }
    }
    problems
}
