//! What a configured value means: MDAA placeholders, values held in SSM,
//! and the parts of a role ARN.

use cfn_constructs::arn;
use cfn_template::{Expr, Pseudo};

/// The placeholders of a role ARN this module honours, as pseudo parameters:
/// IAM roles have no region, and a principal is always of the stack's partition.
const ARN_PLACEHOLDERS: [&str; 2] = ["{{partition}}", "{{account}}"];

/// The first MDAA placeholder (`{{...}}`) in `value`.
pub(crate) fn placeholder(value: &str) -> Option<&str> {
    let start = value.find("{{")?;
    let end = value[start..].find("}}").map_or(value.len(), |e| start + e + 2);
    Some(&value[start..end])
}

/// The first placeholder in `value` that a role ARN cannot take.
pub(crate) fn foreign_placeholder(value: &str) -> Option<&str> {
    let mut rest = value;
    while let Some(p) = placeholder(rest) {
        if !ARN_PLACEHOLDERS.contains(&p) {
            return Some(p);
        }
        rest = &rest[rest.find(p).expect("found in it") + p.len()..];
    }
    None
}

/// The SSM parameter named by an `ssm:` value.
pub(crate) fn ssm_parameter(value: &str) -> Option<&str> {
    value.strip_prefix("ssm:")
}

/// A role ARN as the stack's partition and `account` (a literal or the
/// stack's own) and what follows `role/`: the parts [`role_arn`] joins.
pub(crate) struct RoleArn<'a> {
    pub(crate) account: Option<&'a str>,
    pub(crate) path_and_name: &'a str,
}

/// Splits `arn:<partition>:iam::<account>:role/<path/name>`; `None` when the
/// value is not laid out so (its parts are checked by the caller).
pub(crate) fn split_role_arn(value: &str) -> Option<(&str, &str, &str)> {
    let rest = value.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(":iam::")?;
    let (account, rest) = rest.split_once(':')?;
    Some((partition, account, rest.strip_prefix("role/")?))
}

/// The ARN of a role in the stack's partition: IAM principals never cross
/// partitions, so a literal partition is written as `${AWS::Partition}` and
/// the template deploys to every partition.
pub(crate) fn role_arn(parts: &RoleArn<'_>) -> Expr {
    let account = parts.account.map_or(Expr::pseudo(Pseudo::AccountId), Expr::from);
    arn("iam", "", account, format!("role/{}", parts.path_and_name))
}
