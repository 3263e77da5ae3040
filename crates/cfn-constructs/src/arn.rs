//! ARNs and conditions built from pseudo parameters, so one template works
//! in every partition, account and region.

use cfn_template::policy::Statement;
use cfn_template::{Expr, Pseudo};

/// `arn:${AWS::Partition}:<service>:<region>:<account>:<resource>`, each
/// part a literal or any expression (`Expr::pseudo(Pseudo::Region)` for the
/// stack's own region, `""` where the service has none).
pub fn arn(
    service: &str,
    region: impl Into<Expr>,
    account: impl Into<Expr>,
    resource: impl Into<Expr>,
) -> Expr {
    Expr::concat([
        Expr::from("arn:"),
        Expr::pseudo(Pseudo::Partition),
        Expr::from(format!(":{service}:")),
        region.into(),
        ":".into(),
        account.into(),
        ":".into(),
        resource.into(),
    ])
}

/// An ARN in the stack's own region and account.
pub fn regional_arn(service: &str, resource: impl Into<Expr>) -> Expr {
    arn(service, Expr::pseudo(Pseudo::Region), Expr::pseudo(Pseudo::AccountId), resource)
}

/// The account's root principal, which delegates key access to IAM policies.
pub fn account_root_arn() -> Expr {
    arn("iam", "", Expr::pseudo(Pseudo::AccountId), "root")
}

/// The ARN of a log group by name (as used in KMS encryption contexts and
/// `logs:` statements), built from the name so it needs no reference.
pub fn log_group_arn(name: &Expr) -> Expr {
    regional_arn("logs", Expr::concat([Expr::from("log-group:"), name.clone()]))
}

/// The ARN of log streams of a log group by name; `stream` may end in `*`.
pub fn log_stream_arn(log_group_name: &Expr, stream: &str) -> Expr {
    Expr::concat([log_group_arn(log_group_name), Expr::from(format!(":log-stream:{stream}"))])
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
