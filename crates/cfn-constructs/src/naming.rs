//! Physical names, decided by a pluggable strategy.

use cfn_template::Expr;

/// What a physical name is for; strategies name each kind by its rules
/// (S3 names are global, IAM names are global per account, the rest are
/// regional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// An S3 bucket: unique across all accounts of the partition.
    Bucket,
    /// A KMS alias (the strategy adds `alias/`).
    KmsAlias,
    /// A CloudWatch Logs log group.
    LogGroup,
    /// An IAM role: global per account.
    IamRole,
    /// An IAM customer-managed policy: global per account.
    IamManagedPolicy,
    /// A Lambda function.
    Function,
    /// A key prefix inside a bucket.
    S3Prefix,
}

/// Decides the physical name of a resource from a base name.
///
/// Implement it to adopt another convention (an organisation prefix, a
/// hash suffix); the building blocks only ever ask it.
pub trait NamingStrategy {
    /// The physical name of a resource of `kind` whose base name is `base`.
    fn name(&self, kind: NameKind, base: &str) -> Expr;
}

/// Names that make one template deployable to every account and region:
/// every name carries the region (IAM is global per account, so two
/// regions of one account must not collide), and bucket names also carry
/// the account (S3 names are global).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountRegional;

impl NamingStrategy for AccountRegional {
    fn name(&self, kind: NameKind, base: &str) -> Expr {
        match kind {
            NameKind::Bucket => Expr::sub(format!("{base}-${{AWS::AccountId}}-${{AWS::Region}}")),
            NameKind::KmsAlias => Expr::sub(format!("alias/{base}-${{AWS::Region}}")),
            _ => Expr::sub(format!("{base}-${{AWS::Region}}")),
        }
    }
}
