//! ARNs and conditions built from pseudo parameters, so one template works
//! in every partition, account and region.

use cfn_template::policy::Statement;
use cfn_template::{Expr, Pseudo};

/// `arn:${AWS::Partition}:<service>:<region>:<account>:<resource>`, where
/// `region` and `account` are literal text spliced into the `Fn::Sub`
/// (use `${AWS::Region}` and `${AWS::AccountId}` for the stack's own).
pub fn arn(service: &str, region: &str, account: &str, resource: &str) -> Expr {
    Expr::sub(format!("arn:${{AWS::Partition}}:{service}:{region}:{account}:{resource}"))
}

/// The account's root principal, which delegates key access to IAM policies.
pub fn account_root_arn() -> Expr {
    arn("iam", "", "${AWS::AccountId}", "root")
}

/// The ARN of a log group by name (as used in KMS encryption contexts and
/// `logs:` statements), built from the name so it needs no reference.
pub fn log_group_arn(name: &Expr) -> Expr {
    let prefix = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:";
    match name {
        Expr::Str(s) => Expr::sub(format!("{prefix}{s}")),
        Expr::Sub(s, vars) if vars.is_empty() => Expr::sub(format!("{prefix}{s}")),
        other => Expr::sub_with(format!("{prefix}${{LogGroupName}}"), [("LogGroupName", other.clone())]),
    }
}

/// The ARN of log streams of a log group by name; `stream` may end in `*`.
pub fn log_stream_arn(log_group_name: &Expr, stream: &str) -> Expr {
    match log_group_arn(log_group_name) {
        Expr::Sub(s, vars) => Expr::Sub(format!("{s}:log-stream:{stream}"), vars),
        _ => unreachable!("log_group_arn always builds an Fn::Sub"),
    }
}

/// Adds the confused-deputy conditions a service principal's grant needs:
/// the request must come from this account (`aws:SourceAccount`) and from
/// the given source ARN pattern (`aws:SourceArn`).
pub fn source_conditions(statement: Statement, source_arn: Expr) -> Statement {
    statement.condition("StringEquals", "aws:SourceAccount", Expr::pseudo(Pseudo::AccountId)).condition(
        "ArnLike",
        "aws:SourceArn",
        source_arn,
    )
}
