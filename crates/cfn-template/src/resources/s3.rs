//! `AWS::S3::Bucket` and `AWS::S3::BucketPolicy`.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::{resource_type, Tag};
use crate::policy::PolicyDocument;
use crate::{names, values};
use crate::{Expr, Handle};

/// `AWS::S3::Bucket`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Bucket {
    /// `BucketName`: 3–63 lowercase letters, digits, dots and hyphens.
    pub bucket_name: Option<Expr>,
    /// `BucketEncryption`: default encryption of new objects.
    pub bucket_encryption: Option<BucketEncryption>,
    /// `VersioningConfiguration`.
    pub versioning_configuration: Option<VersioningConfiguration>,
    /// `PublicAccessBlockConfiguration`.
    pub public_access_block_configuration: Option<PublicAccessBlockConfiguration>,
    /// `OwnershipControls`.
    pub ownership_controls: Option<OwnershipControls>,
    /// `LifecycleConfiguration`.
    pub lifecycle_configuration: Option<LifecycleConfiguration>,
    /// `ObjectLockEnabled`.
    pub object_lock_enabled: Option<bool>,
    /// `Tags`.
    pub tags: Option<Vec<Tag>>,
}
resource_type!(Bucket, "AWS::S3::Bucket", names::bucket_problems);

impl Handle<Bucket> {
    /// The bucket's ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Expr {
        self.get_att("Arn")
    }

    /// The bucket's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.r#ref()
    }

    /// The bucket's IPv4 DNS name (`Fn::GetAtt DomainName`).
    pub fn domain_name(&self) -> Expr {
        self.get_att("DomainName")
    }

    /// The bucket's dual-stack (IPv4 and IPv6) DNS name (`Fn::GetAtt DualStackDomainName`).
    pub fn dual_stack_domain_name(&self) -> Expr {
        self.get_att("DualStackDomainName")
    }

    /// The bucket's regional DNS name (`Fn::GetAtt RegionalDomainName`).
    pub fn regional_domain_name(&self) -> Expr {
        self.get_att("RegionalDomainName")
    }

    /// The bucket's website endpoint (`Fn::GetAtt WebsiteURL`).
    pub fn website_url(&self) -> Expr {
        self.get_att("WebsiteURL")
    }
}

/// `BucketEncryption`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketEncryption {
    /// `ServerSideEncryptionConfiguration`.
    pub server_side_encryption_configuration: Vec<ServerSideEncryptionRule>,
}

impl BucketEncryption {
    /// SSE-KMS with the given key and S3 Bucket Keys on.
    pub fn kms(key_arn: Expr) -> Self {
        BucketEncryption {
            server_side_encryption_configuration: vec![ServerSideEncryptionRule {
                bucket_key_enabled: Some(true),
                server_side_encryption_by_default: ServerSideEncryptionByDefault {
                    sse_algorithm: "aws:kms".into(),
                    kms_master_key_id: Some(key_arn),
                },
            }],
        }
    }
}

/// `ServerSideEncryptionRule`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServerSideEncryptionRule {
    /// `BucketKeyEnabled`.
    pub bucket_key_enabled: Option<bool>,
    /// `ServerSideEncryptionByDefault`.
    pub server_side_encryption_by_default: ServerSideEncryptionByDefault,
}

/// `ServerSideEncryptionByDefault`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerSideEncryptionByDefault {
    /// `SSEAlgorithm`: `AES256`, `aws:kms` or `aws:kms:dsse`.
    #[serde(rename = "SSEAlgorithm")]
    pub sse_algorithm: Expr,
    /// `KMSMasterKeyID`.
    #[serde(rename = "KMSMasterKeyID")]
    pub kms_master_key_id: Option<Expr>,
}

/// `VersioningConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersioningConfiguration {
    /// `Status`: `Enabled` or `Suspended`.
    pub status: Expr,
}

impl VersioningConfiguration {
    /// Versioning on.
    pub fn enabled() -> Self {
        VersioningConfiguration { status: "Enabled".into() }
    }
}

/// `PublicAccessBlockConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlockConfiguration {
    /// `BlockPublicAcls`.
    pub block_public_acls: bool,
    /// `BlockPublicPolicy`.
    pub block_public_policy: bool,
    /// `IgnorePublicAcls`.
    pub ignore_public_acls: bool,
    /// `RestrictPublicBuckets`.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlockConfiguration {
    /// All four blocks on.
    pub fn all() -> Self {
        PublicAccessBlockConfiguration {
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: true,
        }
    }
}

/// `OwnershipControls`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipControls {
    /// `Rules`.
    pub rules: Vec<OwnershipControlsRule>,
}

impl OwnershipControls {
    /// `BucketOwnerEnforced`: ACLs disabled, the bucket owner owns every object.
    pub fn bucket_owner_enforced() -> Self {
        OwnershipControls {
            rules: vec![OwnershipControlsRule { object_ownership: "BucketOwnerEnforced".into() }],
        }
    }
}

/// `OwnershipControlsRule`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipControlsRule {
    /// `ObjectOwnership`.
    pub object_ownership: Expr,
}

/// `LifecycleConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleConfiguration {
    /// `Rules`.
    pub rules: Vec<LifecycleRule>,
}

/// `Rule` of a lifecycle configuration. Its default is an enabled rule
/// with no actions yet: a rule exists to act, so `Enabled` is the useful start.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LifecycleRule {
    /// `Id`.
    pub id: Option<Expr>,
    /// `Status`: `Enabled` or `Disabled`.
    pub status: Expr,
    /// `Prefix`.
    pub prefix: Option<Expr>,
    /// `ExpirationInDays`: current versions expire after this many days.
    pub expiration_in_days: Option<u32>,
    /// `Transitions` of current versions.
    pub transitions: Option<Vec<Transition>>,
    /// `NoncurrentVersionExpiration`.
    pub noncurrent_version_expiration: Option<NoncurrentVersionExpiration>,
    /// `NoncurrentVersionTransitions`.
    pub noncurrent_version_transitions: Option<Vec<NoncurrentVersionTransition>>,
    /// `AbortIncompleteMultipartUpload`.
    pub abort_incomplete_multipart_upload: Option<AbortIncompleteMultipartUpload>,
}

impl Default for LifecycleRule {
    fn default() -> Self {
        LifecycleRule {
            id: None,
            status: "Enabled".into(),
            prefix: None,
            expiration_in_days: None,
            transitions: None,
            noncurrent_version_expiration: None,
            noncurrent_version_transitions: None,
            abort_incomplete_multipart_upload: None,
        }
    }
}

/// `Transition`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Transition {
    /// `StorageClass`, such as `GLACIER`.
    pub storage_class: Expr,
    /// `TransitionInDays`.
    pub transition_in_days: u32,
}

/// `NoncurrentVersionExpiration`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NoncurrentVersionExpiration {
    /// `NoncurrentDays`.
    pub noncurrent_days: u32,
}

/// `NoncurrentVersionTransition`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NoncurrentVersionTransition {
    /// `StorageClass`.
    pub storage_class: Expr,
    /// `TransitionInDays`.
    pub transition_in_days: u32,
}

/// `AbortIncompleteMultipartUpload`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AbortIncompleteMultipartUpload {
    /// `DaysAfterInitiation`.
    pub days_after_initiation: u32,
}

/// `AWS::S3::BucketPolicy`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketPolicy {
    /// `Bucket`: the bucket's name.
    pub bucket: Expr,
    /// `PolicyDocument`.
    pub policy_document: PolicyDocument,
}
resource_type!(BucketPolicy, "AWS::S3::BucketPolicy", bucket_policy_problems);

fn bucket_policy_problems(p: &BucketPolicy) -> Vec<String> {
    values::empty_policy_problem("PolicyDocument", &p.policy_document).into_iter().collect()
}
