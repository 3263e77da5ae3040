//! A customer-managed KMS key with rotation, an alias and a least-privilege
//! key policy.

use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::kms::{Alias, Key};
use cfn_template::{Attributes, Expr, Handle};

use crate::arn::{account_root_arn, log_group_arn};
use crate::suppress::{record_exception, CONFUSED_DEPUTY_CONDITIONS};
use crate::{EncryptedLogGroup, Grantee, Grants, Stack};

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

/// What a principal needs to encrypt and decrypt with the key.
pub const ENCRYPT_DECRYPT: [&str; 5] =
    ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

/// What a principal needs to read data encrypted with the key.
pub const DECRYPT: [&str; 2] = ["kms:Decrypt", "kms:DescribeKey"];

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

/// The key and its alias, as added to a template. The key stays open:
/// statements and grants can be added to its policy once it exists.
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
}

impl EncryptionKey {
    /// A key whose logical IDs start with `id` (`<id>Key`, `<id>KeyAlias`)
    /// and whose alias is `alias` (starting with `alias/`).
    ///
    /// The policy lets the account administer and use the key through IAM,
    /// and create grants only for AWS resources. Services and other
    /// principals get access only through the grants.
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
        }
    }

    /// Adds a statement to the key policy.
    pub fn add_to_resource_policy(&self, s: &mut impl Stack, statement: Statement) {
        self.key.add_to_resource_policy(s.template(), statement);
    }

    /// Lets a grantee use the key for `actions`: a role of this template in
    /// its own policy (naming the key's ARN; the key policy delegates to
    /// IAM), any other principal in the key policy (naming the key as `*`).
    /// Give a service grantee its confused-deputy conditions
    /// ([`Grant::from_this_account`](crate::Grant::from_this_account),
    /// [`Grant::from_source`](crate::Grant::from_source)).
    pub fn grant<A: Into<Expr>>(
        &self,
        s: &mut impl Stack,
        grantee: impl Into<Grantee>,
        actions: impl IntoIterator<Item = A>,
    ) {
        self.key.grant(s, grantee, actions, vec![self.key.arn()]);
    }

    /// Lets a grantee encrypt and decrypt with the key.
    pub fn grant_encrypt_decrypt(&self, s: &mut impl Stack, grantee: impl Into<Grantee>) {
        self.grant(s, grantee, ENCRYPT_DECRYPT);
    }

    /// Lets a grantee read what the key encrypted.
    pub fn grant_decrypt(&self, s: &mut impl Stack, grantee: impl Into<Grantee>) {
        self.grant(s, grantee, DECRYPT);
    }

    /// Lets the regional CloudWatch Logs service encrypt these log groups,
    /// and no others (encryption-context condition). Their names are read
    /// from the log groups, which already exist: the key policy names them
    /// rather than referring to them, as they refer to the key.
    pub fn allow_cloudwatch_logs(&self, stack: &mut impl Stack, log_groups: &[&EncryptedLogGroup]) {
        let mut statement = Statement::allow()
            .sid("CloudWatchLogsEncryptsTheseLogGroups")
            .principal(Principal::service(Expr::sub("logs.${AWS::Region}.${AWS::URLSuffix}")))
            .actions(LOGS_ACTIONS)
            .resource("*");
        for lg in log_groups {
            statement =
                statement.condition("ArnLike", "kms:EncryptionContext:aws:logs:arn", log_group_arn(&lg.name));
        }
        self.add_to_resource_policy(stack, statement);
        record_exception(
            stack.template(),
            &self.key,
            CONFUSED_DEPUTY_CONDITIONS,
            "The CloudWatch Logs service principal carries no aws:SourceAccount/aws:SourceArn when it \
             uses a log group's key; its grant is scoped instead by kms:EncryptionContext:aws:logs:arn to \
             the named log groups of this account and region, as AWS documents for encrypted log groups.",
        );
    }
}

impl EncryptionKeyBuilder {
    /// Sets the key's description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = d.into();
        self
    }

    /// Adds a statement to the key policy.
    pub fn statement(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// Adds the key (retained on delete and replacement: data encrypted
    /// with it must stay readable) and its alias.
    pub fn build(self, s: &mut impl Stack) -> EncryptionKey {
        let key = s.add_resource(
            &format!("{}Key", self.id),
            Key {
                description: Some(self.description.into()),
                enabled: Some(true.into()),
                enable_key_rotation: Some(true.into()),
                key_policy: Some(PolicyDocument::new(self.statements)),
                ..Key::default()
            },
            Attributes::new().retain(),
        );
        let alias = s.add_resource(
            &format!("{}KeyAlias", self.id),
            Alias::new(self.alias, key.r#ref()),
            Attributes::new(),
        );
        EncryptionKey { key, alias }
    }
}
