//! A customer-managed KMS key with rotation, an alias and a least-privilege
//! key policy.

use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::kms::{Alias, Key};
use cfn_template::{Attributes, Expr, Handle, Template};

use crate::arn::{account_root_arn, log_group_arn, source_conditions};
use crate::suppress::{record_exception, CONFUSED_DEPUTY_CONDITIONS};
use crate::Tags;

/// What the account's root principal may do with the key: administration
/// and use, delegated to IAM policies. Listed rather than `kms:*` so that
/// grants stay limited to AWS resources (see the grant statement).
const ACCOUNT_ACTIONS: [&str; 28] = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
];

/// What CloudWatch Logs needs to encrypt and read a log group's data.
const LOGS_ACTIONS: [&str; 7] = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
];

/// The key and its alias, as added to a template.
#[derive(Debug, Clone)]
pub struct EncryptionKey {
    /// The key.
    pub key: Handle<Key>,
    /// Its alias.
    pub alias: Handle<Alias>,
}

/// Builds an [`EncryptionKey`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the key to a template"]
pub struct EncryptionKeyBuilder {
    id: String,
    alias: Expr,
    description: String,
    statements: Vec<Statement>,
    cloudwatch_logs: bool,
    tags: Tags,
}

impl EncryptionKey {
    /// A key whose logical IDs start with `id` (`<id>Key`, `<id>KeyAlias`)
    /// and whose alias is `alias` (starting with `alias/`).
    ///
    /// The policy lets the account administer and use the key through IAM,
    /// and create grants only for AWS resources. Services get access only
    /// through [`EncryptionKeyBuilder::allow_service`] and
    /// [`EncryptionKeyBuilder::allow_cloudwatch_logs`].
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, alias: Expr) -> EncryptionKeyBuilder {
        let account = Principal::aws(account_root_arn());
        EncryptionKeyBuilder {
            id: id.into(),
            alias,
            description: "Customer-managed key".into(),
            statements: vec![
                Statement::allow()
                    .sid("AccountAdministersAndUsesKeyThroughIam")
                    .principal(account.clone())
                    .actions(ACCOUNT_ACTIONS)
                    .resource("*"),
                Statement::allow()
                    .sid("AccountCreatesGrantsOnlyForAwsResources")
                    .principal(account)
                    .action("kms:CreateGrant")
                    .resource("*")
                    .condition("Bool", "kms:GrantIsForAWSResource", "true"),
            ],
            cloudwatch_logs: false,
            tags: Tags::default(),
        }
    }
}

impl EncryptionKeyBuilder {
    /// Sets the key's description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = d.into();
        self
    }

    /// Lets a service principal use the key for `actions`, only on behalf of
    /// this account and of sources matching `source_arn`.
    pub fn allow_service(mut self, sid: &str, service: Expr, actions: &[&str], source_arn: Expr) -> Self {
        let s = Statement::allow()
            .sid(sid)
            .principal(Principal::service(service))
            .actions(actions.iter().copied())
            .resource("*");
        self.statements.push(source_conditions(s, source_arn));
        self
    }

    /// Lets the regional CloudWatch Logs service encrypt the named log
    /// groups, and no others (encryption-context condition). Names, not
    /// references, keep the key free of a dependency on the log groups that
    /// depend on it.
    pub fn allow_cloudwatch_logs(mut self, log_group_names: Vec<Expr>) -> Self {
        let mut s = Statement::allow()
            .sid("CloudWatchLogsEncryptsTheseLogGroups")
            .principal(Principal::service(Expr::sub("logs.${AWS::Region}.${AWS::URLSuffix}")))
            .actions(LOGS_ACTIONS)
            .resource("*");
        for name in &log_group_names {
            s = s.condition("ArnLike", "kms:EncryptionContext:aws:logs:arn", log_group_arn(name));
        }
        self.statements.push(s);
        self.cloudwatch_logs = true;
        self
    }

    /// Tags the key.
    pub fn tags(mut self, tags: &Tags) -> Self {
        self.tags = tags.clone();
        self
    }

    /// Adds the key (retained on delete and replacement: data encrypted
    /// with it must stay readable) and its alias.
    pub fn build(self, t: &mut Template) -> EncryptionKey {
        let key = t.add_with(
            format!("{}Key", self.id),
            Key {
                description: Some(self.description.into()),
                enabled: Some(true.into()),
                enable_key_rotation: Some(true.into()),
                key_policy: Some(PolicyDocument::new(self.statements)),
                tags: self.tags.list(),
                ..Key::default()
            },
            Attributes::new().retain(),
        );
        if self.cloudwatch_logs {
            record_exception(
                t,
                &key,
                CONFUSED_DEPUTY_CONDITIONS,
                "The CloudWatch Logs service principal carries no aws:SourceAccount/aws:SourceArn when it \
                 uses a log group's key; its grant is scoped instead by kms:EncryptionContext:aws:logs:arn to \
                 the named log groups of this account and region, as AWS documents for encrypted log groups.",
            );
        }
        let alias = t.add(format!("{}KeyAlias", self.id), Alias::new(self.alias, key.r#ref()));
        EncryptionKey { key, alias }
    }
}
