//! MDAA's naming as a naming strategy of the building blocks, so a module
//! written for this project names its resources, SSM parameters and exports
//! as MDAA's module of the same purpose does.

use cfn_constructs::{NameKind, Names, NamingStrategy, Published};
use cfn_template::Expr;

use crate::naming::MdaaNaming;

/// The longest topic name MDAA's SNS topic construct gives (`MdaaSnsTopic`:
/// `resourceName(topicName, 80)`); SNS itself takes 256.
const TOPIC_NAME_MAX: usize = 80;

/// MDAA's names for one module instance, as a [`NamingStrategy`]: a
/// resource is named by the MDAA suffix of its [`Names`] (the base name,
/// when a module gives none), with MDAA's per-service limits and hash.
///
/// ```
/// use cfn_constructs::{NameKind, Names, NamingStrategy};
/// let n = mdaa::MdaaStrategy::new(mdaa::MdaaNaming::new("test-org", "test-env", "test-domain", "test-bedrock-settings-minimal"));
/// assert_eq!(
///     n.name(NameKind::Bucket, "logs-model-invocation"),
///     cfn_template::Expr::from("test-org-test-env-test-domain-test-bedrock-settings-m--18e1d147")
/// );
/// let role = Names { base: "bedrock-invocation-logging", mdaa: "bedrock-logging-service-role" };
/// assert_eq!(
///     n.name_of(NameKind::IamRole, role),
///     cfn_template::Expr::from("test-org-test-env-test-domain-test-bedrock-settings-mi--458c0e44")
/// );
/// // Topics are cut at 80 characters, as MDAA's SNS topic construct cuts them.
/// let long = mdaa::MdaaStrategy::new(mdaa::MdaaNaming::new("an-organization", "production", "a-data-domain", "bedrock-settings-of-the-platform"));
/// let topic = long.name(NameKind::Topic, "token-usage-alarms");
/// assert_eq!(topic.as_literal().map(str::len), Some(80));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdaaStrategy {
    naming: MdaaNaming,
}

impl MdaaStrategy {
    /// The strategy of one instance's names.
    pub fn new(naming: MdaaNaming) -> Self {
        MdaaStrategy { naming }
    }

    /// The names it follows.
    pub fn naming(&self) -> &MdaaNaming {
        &self.naming
    }
}

/// A name MDAA would refuse is kept as generated: validation reports it
/// with the rules of the service, and the drop-in checks each instance's
/// names before synthesizing.
fn kept(result: Result<String, crate::NameError>) -> Expr {
    Expr::Str(result.unwrap_or_else(|e| e.name))
}

impl NamingStrategy for MdaaStrategy {
    fn name(&self, kind: NameKind, base: &str) -> Expr {
        self.name_of(kind, Names::same(base))
    }

    fn name_of(&self, kind: NameKind, names: Names<'_>) -> Expr {
        let n = &self.naming;
        let suffix = Some(names.mdaa).filter(|s| !s.is_empty());
        match kind {
            NameKind::Bucket => kept(n.bucket_name(suffix)),
            NameKind::KmsAlias => kept(n.kms_alias(suffix)),
            NameKind::IamRole => kept(n.role_name(suffix)),
            NameKind::IamManagedPolicy => kept(n.managed_policy_name(suffix)),
            NameKind::Function => kept(n.function_name(suffix)),
            NameKind::LogGroup => {
                // `/aws/<service>/<path>/<name>`: MDAA names the last part.
                let (prefix, last) = names.mdaa.rsplit_once('/').unwrap_or(("", names.mdaa));
                kept(n.log_group_name(prefix, Some(last).filter(|l| !l.is_empty())))
            }
            // Key prefixes are paths inside the module's own bucket: MDAA keeps them as given.
            NameKind::S3Prefix => names.mdaa.into(),
            NameKind::SsmParameter => n.ssm_path(names.mdaa).into(),
            // Glue and Athena read `_`, not `-`, in database and table names.
            NameKind::GlueDatabase | NameKind::GlueTable => {
                kept(n.resource_name(suffix, None).map(|s| s.replace('-', "_")))
            }
            // MDAA's SNS topic construct cuts its names at 80 characters, with its hash.
            NameKind::Topic => kept(n.resource_name(suffix, Some(TOPIC_NAME_MAX))),
            // MDAA names these by its general rule: org-env-domain-module-suffix.
            NameKind::AthenaWorkgroup
            | NameKind::Trail
            | NameKind::Alarm
            | NameKind::Dashboard
            | NameKind::QueryDefinition
            | NameKind::MetricFilter => kept(n.resource_name(suffix, None)),
        }
    }

    fn parameter(&self, _prefix: &str, p: &Published<'_>) -> Expr {
        self.naming.param_name(p.resource_type, Some(p.resource), p.attribute).into()
    }

    fn export(&self, p: &Published<'_>) -> Option<Expr> {
        Some(self.naming.param_export_name(p.resource_type, Some(p.resource), p.attribute).into())
    }

    /// CDK's logical ID of the construct path in MDAA's module, so that a
    /// stack MDAA deployed keeps its resources.
    fn construct_logical_id(&self, path: &str) -> Option<String> {
        Some(cfn_constructs::cdk_logical_id(path))
    }
}
