//! A secure S3 bucket, with its bucket policy: for audit data, logs,
//! query results, anything kept encrypted and private.

use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::kms::Key;
use cfn_template::resources::s3::bucket::{
    AbortIncompleteMultipartUpload, BucketEncryption, LifecycleConfiguration, NoncurrentVersionExpiration,
    NoncurrentVersionTransition, OwnershipControls, OwnershipControlsRule, PublicAccessBlockConfiguration,
    Rule, ServerSideEncryptionByDefault, ServerSideEncryptionRule, Transition, VersioningConfiguration,
};
use cfn_template::resources::s3::{Bucket, BucketPolicy};
use cfn_template::{Attributes, Expr, Handle};

use crate::{Grantee, Grants, ObjectLock, ScannerException, Stack, DECRYPT};

/// The statements that deny uploads encrypted otherwise than with the bucket's key.
const KEY_DENIALS: [&str; 2] = ["DenyUploadsWithOtherEncryption", "DenyUploadsWithOtherKeys"];

/// Lifecycle of the audit data. The default never deletes anything:
/// noncurrent versions move to an archive class, and abandoned multipart
/// uploads (never readable data) are cleaned up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    /// Current versions move to S3 Glacier Flexible Retrieval after this many days.
    pub transition_to_glacier_after_days: Option<u32>,
    /// Current versions expire after this many days (deleting audit data).
    pub expire_after_days: Option<u32>,
    /// Noncurrent versions move to S3 Glacier Flexible Retrieval after this many days.
    pub noncurrent_version_transition_after_days: Option<u32>,
    /// Noncurrent versions are deleted after this many days.
    pub noncurrent_version_expire_after_days: Option<u32>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            transition_to_glacier_after_days: None,
            expire_after_days: None,
            noncurrent_version_transition_after_days: Some(30),
            noncurrent_version_expire_after_days: None,
        }
    }
}

/// The bucket and its policy, as added to a template. Both stay open:
/// statements, grants and lifecycle rules can be added once they exist.
#[derive(Debug, Clone)]
pub struct SecureBucket {
    /// The bucket.
    pub bucket: Handle<Bucket>,
    /// Its bucket policy.
    pub policy: Handle<BucketPolicy>,
    /// The key its objects are encrypted with.
    pub key: Handle<Key>,
}

/// The secure bucket under the name it had when audit data was its only use.
#[deprecated(note = "renamed SecureBucket: the block serves any data kept encrypted and private")]
pub type AuditBucket = SecureBucket;

/// The builder of a [`AuditBucket`], under its former name.
#[deprecated(note = "renamed SecureBucketBuilder")]
pub type AuditBucketBuilder = SecureBucketBuilder;

/// Builds a [`AuditBucket`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the bucket to a template"]
pub struct SecureBucketBuilder {
    id: String,
    name: Expr,
    key: Handle<Key>,
    lifecycle: Lifecycle,
    object_lock: Option<ObjectLock>,
}

impl SecureBucket {
    /// Why a secure bucket has no server access logs, under every rule that
    /// asks for them (checkov's and each cdk-nag pack's): S3 delivers server
    /// access logs only to a bucket without SSE-KMS, and a trail's S3 data
    /// events record object access instead. Record it on the bucket when
    /// that is the module's choice: `SecureBucket::NO_ACCESS_LOGS.record(s.template(), &bucket.bucket)`.
    pub const NO_ACCESS_LOGS: ScannerException<'static> = ScannerException {
        reason:
            "S3 server access logs can only be delivered to a bucket without SSE-KMS; record object-level \
access to this bucket with CloudTrail S3 data events instead.",
        checkov: &["CKV_AWS_18"],
        cdk_nag: &[
            "AwsSolutions-S1",
            "NIST.800.53.R5-S3BucketLoggingEnabled",
            "HIPAA.Security-S3BucketLoggingEnabled",
            "PCI.DSS.321-S3BucketLoggingEnabled",
        ],
    };

    /// Why a secure bucket is not replicated to another region, under every
    /// cdk-nag rule that asks for it: its writers deliver to a bucket of
    /// their own region, and copies elsewhere are the account's backup
    /// strategy. Record it on the bucket when that is the module's choice.
    pub const NOT_REPLICATED: ScannerException<'static> = ScannerException {
        reason: "The services writing to this bucket deliver only to a bucket in their own region; \
cross-region copies are left to the account's backup strategy.",
        checkov: &[],
        cdk_nag: &[
            "NIST.800.53.R5-S3BucketReplicationEnabled",
            "HIPAA.Security-S3BucketReplicationEnabled",
            "PCI.DSS.321-S3BucketReplicationEnabled",
        ],
    };

    /// A bucket `<id>Bucket` named `name`: SSE-KMS with `key` and S3 Bucket
    /// Keys, versioning, all public access blocked, ACLs disabled, retained
    /// on delete and replacement. Its policy `<id>BucketPolicy` denies
    /// requests without TLS and uploads encrypted any other way; grants let
    /// others in.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, name: Expr, key: &Handle<Key>) -> SecureBucketBuilder {
        SecureBucketBuilder {
            id: id.into(),
            name,
            key: key.clone(),
            lifecycle: Lifecycle::default(),
            object_lock: None,
        }
    }

    /// The ARN of objects matching `pattern` (`prefix/*`), relative to the bucket.
    pub fn objects(&self, pattern: impl Into<Expr>) -> Expr {
        Expr::concat([self.bucket.arn(), "/".into(), pattern.into()])
    }

    /// Adds a statement to the bucket policy.
    pub fn add_to_resource_policy(&self, s: &mut impl Stack, statement: Statement) {
        self.bucket.add_to_resource_policy(s.template(), statement);
    }

    /// Lets a grantee write objects under the key patterns (`prefix/*`).
    ///
    /// A role of this template or a principal named by ARN may also have
    /// the key encrypt what it writes (`kms:GenerateDataKey`; statement ID
    /// `<sid>Key`). A service is granted the bucket only: services ask for
    /// a key under conditions of their own (an encryption context), which
    /// [`EncryptionKey::grant`](crate::EncryptionKey::grant) states.
    pub fn grant_write(
        &self,
        s: &mut impl Stack,
        grantee: impl Into<Grantee>,
        key_patterns: impl IntoIterator<Item = Expr>,
    ) {
        let grantee = grantee.into();
        let objects = key_patterns.into_iter().map(|p| self.objects(p)).collect();
        self.bucket.grant(s, &grantee, ["s3:PutObject"], objects);
        self.grant_key(s, &grantee, ["kms:GenerateDataKey"]);
    }

    /// Lets a grantee read objects under the key patterns, and list the
    /// bucket; a role of this template or a principal named by ARN may also
    /// decrypt them with the bucket's key ([`DECRYPT`]). The grant's
    /// statement ID, if any, names the objects statement; the bucket
    /// statement's has `Bucket` after it and the key statement's `Key`, since
    /// IDs are unique within a policy.
    pub fn grant_read(
        &self,
        s: &mut impl Stack,
        grantee: impl Into<Grantee>,
        key_patterns: impl IntoIterator<Item = Expr>,
    ) {
        let grantee = grantee.into();
        let objects: Vec<Expr> = key_patterns.into_iter().map(|p| self.objects(p)).collect();
        self.bucket.grant(s, &grantee, ["s3:GetObject"], objects);
        self.bucket.grant(
            s,
            grantee.sid_suffixed("Bucket"),
            ["s3:GetBucketLocation", "s3:ListBucket"],
            vec![self.bucket.arn()],
        );
        self.grant_key(s, &grantee, DECRYPT);
    }

    /// Lets a grantee call bucket-level actions (`s3:GetBucketAcl`, `s3:ListBucket`).
    pub fn grant_on_bucket<A: Into<Expr>>(
        &self,
        s: &mut impl Stack,
        grantee: impl Into<Grantee>,
        actions: impl IntoIterator<Item = A>,
    ) {
        self.bucket.grant(s, grantee, actions, vec![self.bucket.arn()]);
    }

    /// The key grant that goes with a bucket grant, for all but services.
    fn grant_key<A: Into<Expr>>(
        &self,
        s: &mut impl Stack,
        grantee: &Grantee,
        actions: impl IntoIterator<Item = A>,
    ) {
        if !grantee.is_service() {
            self.key.grant(s, grantee.sid_suffixed("Key"), actions, vec![self.key.arn()]);
        }
    }

    /// Leaves objects under the key patterns out of the denials of uploads
    /// encrypted another way than with the bucket's key, for a writer that
    /// sets its own encryption by design (CloudTrail encrypts its digest
    /// files with SSE-S3). Every other object stays under the key.
    pub fn exempt_from_key_denials(&self, s: &mut impl Stack, key_patterns: impl IntoIterator<Item = Expr>) {
        let exempt: Vec<Expr> = key_patterns.into_iter().map(|p| self.objects(p)).collect();
        for s in &mut s.template().get_mut(&self.policy).policy_document.statements {
            if s.sid.as_deref().is_some_and(|sid| KEY_DENIALS.contains(&sid)) {
                s.resources.clear();
                s.not_resources.extend(exempt.iter().cloned());
            }
        }
    }

    /// Adds a lifecycle rule.
    pub fn add_lifecycle_rule(&self, s: &mut impl Stack, rule: Rule) {
        let bucket = s.template().get_mut(&self.bucket);
        let config =
            bucket.lifecycle_configuration.get_or_insert_with(|| LifecycleConfiguration::new(Vec::new()));
        if let Some(rules) = config.rules.items_mut() {
            rules.push(rule);
        }
    }
}

impl SecureBucketBuilder {
    /// Replaces the default lifecycle.
    pub fn lifecycle(mut self, lifecycle: Lifecycle) -> Self {
        self.lifecycle = lifecycle;
        self
    }

    /// Locks every new object version for a default retention (S3 Object
    /// Lock). The bucket is versioned already, which Object Lock needs; once
    /// on, S3 never turns it off. See [`ObjectLock`] for what a lock keeps.
    pub fn object_lock(mut self, lock: Option<ObjectLock>) -> Self {
        self.object_lock = lock;
        self
    }

    fn lifecycle_rules(&self) -> Vec<Rule> {
        let l = self.lifecycle;
        let mut rules = vec![Rule {
            id: Some("AbortIncompleteMultipartUploads".into()),
            abort_incomplete_multipart_upload: Some(AbortIncompleteMultipartUpload::new(7)),
            ..Rule::new("Enabled")
        }];
        if l.transition_to_glacier_after_days.is_some() || l.expire_after_days.is_some() {
            rules.push(Rule {
                id: Some("CurrentVersions".into()),
                transitions: l.transition_to_glacier_after_days.map(|days| {
                    vec![Transition { transition_in_days: Some(days.into()), ..Transition::new("GLACIER") }]
                        .into()
                }),
                expiration_in_days: l.expire_after_days.map(Into::into),
                ..Rule::new("Enabled")
            });
        }
        if l.noncurrent_version_transition_after_days.is_some()
            || l.noncurrent_version_expire_after_days.is_some()
        {
            // A transition on or after the expiry would never happen; S3 rejects it.
            let transition = l
                .noncurrent_version_transition_after_days
                .filter(|t| l.noncurrent_version_expire_after_days.is_none_or(|e| *t < e));
            rules.push(Rule {
                id: Some("NoncurrentVersions".into()),
                noncurrent_version_transitions: transition
                    .map(|days| vec![NoncurrentVersionTransition::new("GLACIER", days)].into()),
                noncurrent_version_expiration: l
                    .noncurrent_version_expire_after_days
                    .map(NoncurrentVersionExpiration::new),
                ..Rule::new("Enabled")
            });
        }
        rules
    }

    /// Adds the bucket and its policy (both retained: the policy keeps
    /// protecting the data after the stack is gone).
    pub fn build(self, s: &mut impl Stack) -> SecureBucket {
        let mut properties = Bucket {
            bucket_name: Some(self.name.clone()),
            bucket_encryption: Some(BucketEncryption::new(vec![ServerSideEncryptionRule {
                bucket_key_enabled: Some(true.into()),
                server_side_encryption_by_default: Some(ServerSideEncryptionByDefault {
                    kms_master_key_id: Some(self.key.arn()),
                    ..ServerSideEncryptionByDefault::new("aws:kms")
                }),
                ..ServerSideEncryptionRule::default()
            }])),
            versioning_configuration: Some(VersioningConfiguration::new("Enabled")),
            public_access_block_configuration: Some(PublicAccessBlockConfiguration {
                block_public_acls: Some(true.into()),
                block_public_policy: Some(true.into()),
                ignore_public_acls: Some(true.into()),
                restrict_public_buckets: Some(true.into()),
            }),
            ownership_controls: Some(OwnershipControls::new(vec![OwnershipControlsRule {
                object_ownership: Some("BucketOwnerEnforced".into()),
            }])),
            lifecycle_configuration: Some(LifecycleConfiguration::new(self.lifecycle_rules())),
            ..Bucket::default()
        };
        if let Some(lock) = &self.object_lock {
            lock.apply(&mut properties);
        }
        let bucket = s.add_resource(&format!("{}Bucket", self.id), properties, Attributes::new().retain());
        let objects = Expr::concat([bucket.arn(), "/*".into()]);
        let statements = vec![
            Statement::deny()
                .sid("DenyInsecureTransport")
                .principal(Principal::Any)
                .action("s3:*")
                .resources([bucket.arn(), objects.clone()])
                .condition("Bool", "aws:SecureTransport", "false"),
            Statement::deny()
                .sid(KEY_DENIALS[0])
                .principal(Principal::Any)
                .action("s3:PutObject")
                .resource(objects.clone())
                .condition("StringNotEquals", "s3:x-amz-server-side-encryption", "aws:kms")
                .condition("Null", "s3:x-amz-server-side-encryption", "false"),
            // An upload that asks for encryption must name this key: `aws:kms`
            // without a key ID would get the AWS managed key. Uploads that ask
            // for nothing get the bucket default, which is this key.
            Statement::deny()
                .sid(KEY_DENIALS[1])
                .principal(Principal::Any)
                .action("s3:PutObject")
                .resource(objects)
                .condition(
                    "StringNotEquals",
                    "s3:x-amz-server-side-encryption-aws-kms-key-id",
                    self.key.arn(),
                )
                .condition("Null", "s3:x-amz-server-side-encryption", "false"),
        ];
        let policy = s.add_resource(
            &format!("{}BucketPolicy", self.id),
            BucketPolicy::new(bucket.r#ref(), PolicyDocument::new(statements)),
            Attributes::new().retain(),
        );
        SecureBucket { bucket, policy, key: self.key }
    }
}
