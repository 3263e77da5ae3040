//! Physical names, decided by a pluggable strategy.

use cfn_template::{Expr, Pseudo};

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
    /// An SSM parameter path (the strategy decides the hierarchy).
    SsmParameter,
    /// A Glue database.
    GlueDatabase,
    /// A Glue table, inside its database.
    GlueTable,
    /// An Athena workgroup.
    AthenaWorkgroup,
    /// A CloudTrail trail.
    Trail,
    /// An SNS topic.
    Topic,
    /// A CloudWatch alarm.
    Alarm,
    /// A CloudWatch dashboard: global per account, like IAM names.
    Dashboard,
    /// A CloudWatch Logs Insights query definition.
    QueryDefinition,
    /// A CloudWatch Logs metric filter, inside its log group.
    MetricFilter,
}

/// Decides the physical name of a resource from a base name.
///
/// A strategy may return any expression: a literal, a `Fn::Sub` of pseudo
/// parameters, a `Ref` to a stage parameter, an `Fn::Join`. The building
/// blocks compose names with [`Expr::concat`], never by splicing text, so
/// every kind of expression works wherever a literal does. Names are
/// checked when the template is validated (length and characters as far as
/// the expression's literal parts and its pseudo parameters allow).
///
/// ```
/// use cfn_constructs::{EncryptionKey, NameKind, NamingStrategy};
/// use cfn_template::{Expr, Parameter, Template};
///
/// /// Names under a deploy-time stage.
/// struct Staged;
/// impl NamingStrategy for Staged {
///     fn name(&self, _kind: NameKind, base: &str) -> Expr {
///         Expr::concat([Expr::r#ref("Stage"), Expr::from(format!("-{base}"))])
///     }
/// }
/// let mut t = Template::new();
/// t.add_parameter("Stage", Parameter::new("String"));
/// let alias = Expr::concat([Expr::from("alias/"), Staged.name(NameKind::KmsAlias, "audit")]);
/// EncryptionKey::new("Audit", alias).build(&mut t);
/// assert!(t.to_json().unwrap().contains("alias/${Stage}-audit"));
/// ```
pub trait NamingStrategy {
    /// The physical name of a resource of `kind` whose base name is `base`.
    fn name(&self, kind: NameKind, base: &str) -> Expr;

    /// The physical name of a resource the conventions name by different
    /// words (see [`Names`]). A strategy names it by `names.base` unless it
    /// follows MDAA's convention.
    fn name_of(&self, kind: NameKind, names: Names<'_>) -> Expr {
        self.name(kind, names.base)
    }

    /// The name of the SSM parameter a module publishes a value under:
    /// by default `<prefix>/<name>`, the prefix being the module's
    /// (`/bedrock-settings`).
    fn parameter(&self, prefix: &str, published: &Published<'_>) -> Expr {
        Expr::concat([
            Expr::from(format!("{}/", prefix.trim_end_matches('/'))),
            self.name(NameKind::SsmParameter, published.name),
        ])
    }

    /// The export name of the output beside that parameter, if the
    /// convention exports one.
    fn export(&self, published: &Published<'_>) -> Option<Expr> {
        let _ = published;
        None
    }

    /// The logical ID that this convention's own tool gives the resource
    /// (or output) at construct path `path`, when stacks that tool deployed
    /// are to be updated in place by this project's templates: MDAA's is
    /// the AWS CDK's ID of that path ([`crate::cdk_logical_id`]).
    /// CloudFormation matches resources by logical ID alone, so a resource
    /// keeps its ID or is created anew beside the old one. `None` (the
    /// default): the convention has no such predecessor, and the module's
    /// own logical IDs stand.
    fn construct_logical_id(&self, path: &str) -> Option<String> {
        let _ = path;
        None
    }
}

/// Gives the resources and outputs of `t` the logical IDs that `naming`'s
/// tool gives the construct paths they stand for (`(logical ID, construct
/// path)` pairs), when it has such IDs ([`NamingStrategy::construct_logical_id`]);
/// pairs naming nothing this template has (a destination that is off) are
/// passed over.
///
/// # Panics
/// When two paths give one ID, or an ID is already taken: a module's table is wrong.
pub fn adopt_construct_ids(
    t: &mut cfn_template::Template,
    naming: &dyn NamingStrategy,
    paths: &[(&str, &str)],
) {
    for (id, path) in paths {
        let present = t.entry_by_id(id).is_some() || t.outputs().contains_key(*id);
        if let Some(new) = naming.construct_logical_id(path).filter(|_| present) {
            t.rename_logical_id(id, &new).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}

/// How the conventions a strategy may follow name one resource: this
/// project's base name, and the suffix MDAA's module of the same purpose
/// gives it (empty for none), where the two grew apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names<'a> {
    /// The base name this project's conventions use.
    pub base: &'a str,
    /// The suffix MDAA's naming uses.
    pub mdaa: &'a str,
}

impl<'a> Names<'a> {
    /// A resource both conventions name by the same words.
    pub const fn same(base: &'a str) -> Self {
        Names { base, mdaa: base }
    }
}

/// A value a module publishes as an SSM parameter (and a stack output), as
/// each convention names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published<'a> {
    /// This project's name, under the module's prefix: `kms-key-arn`.
    pub name: &'a str,
    /// MDAA's kind of resource: `kms`, `bucket`, `loggroup`, `role`.
    pub resource_type: &'a str,
    /// MDAA's name of the resource (empty for the module's only one): `bedrock-kms-key`.
    pub resource: &'a str,
    /// The attribute: `arn`, `name`, `id`.
    pub attribute: &'a str,
}

/// Names that make one template deployable to every account and region:
/// every name carries the region (IAM is global per account, so two
/// regions of one account must not collide), and bucket names also carry
/// the account (S3 names are global).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountRegional;

impl NamingStrategy for AccountRegional {
    fn name(&self, kind: NameKind, base: &str) -> Expr {
        let region = Expr::pseudo(Pseudo::Region);
        match kind {
            NameKind::Bucket => Expr::concat([
                Expr::from(format!("{base}-")),
                Expr::pseudo(Pseudo::AccountId),
                "-".into(),
                region,
            ]),
            NameKind::KmsAlias => Expr::concat([Expr::from(format!("alias/{base}-")), region]),
            // Parameters, Glue databases and tables, and metric filters are named inside
            // the account and region (or their log group) already.
            NameKind::SsmParameter
            | NameKind::GlueDatabase
            | NameKind::GlueTable
            | NameKind::MetricFilter => base.into(),
            _ => Expr::concat([Expr::from(format!("{base}-")), region]),
        }
    }
}
