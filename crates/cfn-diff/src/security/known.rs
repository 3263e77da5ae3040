//! The settings whose meaning is known: per resource type, the properties
//! that protect data or access, what each means, in which units, what
//! leaving it out means, and where that is documented.
//!
//! A finding on a setting comes only from this table: a property is never
//! judged by its name, so a nested stack's `Parameters`, a function's
//! environment variables or a custom resource's properties are never read
//! as encryption or retention settings. Paths are under `Properties`,
//! `/`-separated, `*` for every item of a list. Sources are pages of the
//! CloudFormation template reference unless the entry says otherwise.

use crate::model::SecurityCategory::{self, *};

/// One known setting.
pub(crate) struct Known {
    /// The resource type.
    pub type_name: &'static str,
    /// The property path under `Properties`.
    pub path: &'static str,
    /// What kind of protection it is.
    pub category: SecurityCategory,
    /// How its values compare.
    pub rule: Rule,
    /// What it means, with its units and what leaving it out means.
    pub meaning: &'static str,
    /// Where that is documented.
    pub source: &'static str,
}

/// How the values of a setting compare.
pub(crate) enum Rule {
    /// A boolean; `protects` is the value that protects, `absent` what
    /// leaving it out means (`None`: it depends on other settings).
    Switch { protects: bool, absent: Option<bool> },
    /// The KMS key that encrypts; `absent` says what encrypts without one.
    Key { absent: &'static str },
    /// Named values ranked from the weakest (0); equal ranks are different
    /// but not weaker. `absent` is the value leaving it out means.
    Level { ranks: &'static [(&'static str, u8)], absent: Option<&'static str> },
    /// A length of time.
    Duration { unit: Unit, absent: Absent, zero: Option<&'static str> },
    /// A block of settings whose presence protects (the settings inside
    /// are judged only when it is there on both sides).
    Block { absent: &'static str },
}

/// The unit of a duration.
#[derive(Clone, Copy)]
pub(crate) enum Unit {
    Seconds,
    Hours,
    Days,
    /// A mapping with `Days` or `Years` (a year counted as 365 days).
    DaysOrYears,
}

/// What a duration left out means.
#[derive(Clone, Copy)]
pub(crate) enum Absent {
    /// Kept for ever.
    Forever,
    /// This many units.
    Default(u64),
    /// Not kept at all.
    Nothing,
}

const REF: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/";

macro_rules! known {
    ($($type_name:literal $path:literal $category:ident $rule:expr, $meaning:literal, $page:expr;)*) => {
        &[$(Known {
            type_name: $type_name,
            path: $path,
            category: $category,
            rule: $rule,
            meaning: $meaning,
            source: $page,
        },)*]
    };
}

const fn switch(protects: bool, absent: Option<bool>) -> Rule {
    Rule::Switch { protects, absent }
}
const fn key(absent: &'static str) -> Rule {
    Rule::Key { absent }
}
const fn days(absent: Absent, zero: Option<&'static str>) -> Rule {
    Rule::Duration { unit: Unit::Days, absent, zero }
}

const SSE_ALGORITHMS: &[(&str, u8)] = &[("AES256", 0), ("aws:kms", 1), ("aws:kms:dsse", 2)];
const LISTENER_PROTOCOLS: &[(&str, u8)] =
    &[("HTTP", 0), ("TCP", 0), ("UDP", 0), ("TCP_UDP", 0), ("GENEVE", 0), ("HTTPS", 1), ("TLS", 1)];
const VIEWER_PROTOCOLS: &[(&str, u8)] = &[("allow-all", 0), ("redirect-to-https", 1), ("https-only", 1)];

/// The table. Page names are relative to the template reference
/// (`aws-resource-logs-loggroup.html#...`).
pub(crate) const KNOWN: &[Known] = known! {
    "AWS::Logs::LogGroup" "RetentionInDays" Retention days(Absent::Forever, None),
        "how long log events are kept, in days; not set: never expire",
        "aws-resource-logs-loggroup.html#cfn-logs-loggroup-retentionindays";
    "AWS::Logs::LogGroup" "KmsKeyId" Encryption key("CloudWatch Logs' own server-side encryption"),
        "the KMS key that encrypts the log group's events",
        "aws-resource-logs-loggroup.html#cfn-logs-loggroup-kmskeyid";
    "AWS::Logs::LogGroup" "DeletionProtectionEnabled" DataProtection switch(true, Some(false)),
        "whether the log group is protected from deletion; not set: false",
        "aws-resource-logs-loggroup.html#cfn-logs-loggroup-deletionprotectionenabled";

    "AWS::S3::Bucket" "BucketEncryption/ServerSideEncryptionConfiguration/*/ServerSideEncryptionByDefault/SSEAlgorithm" Encryption
        Rule::Level { ranks: SSE_ALGORITHMS, absent: Some("AES256") },
        "the default encryption of new objects: AES256 (S3-managed keys), aws:kms or aws:kms:dsse (KMS keys); not set: AES256, which S3 applies to every bucket since January 2023",
        "aws-properties-s3-bucket-serversideencryptionbydefault.html#cfn-s3-bucket-serversideencryptionbydefault-ssealgorithm";
    "AWS::S3::Bucket" "BucketEncryption/ServerSideEncryptionConfiguration/*/ServerSideEncryptionByDefault/KMSMasterKeyID" Encryption
        key("the AWS managed key aws/s3 with aws:kms, none with AES256"),
        "the KMS key that encrypts new objects",
        "aws-properties-s3-bucket-serversideencryptionbydefault.html#cfn-s3-bucket-serversideencryptionbydefault-kmsmasterkeyid";
    "AWS::S3::Bucket" "PublicAccessBlockConfiguration" PublicAccess
        Rule::Block { absent: "the bucket's own public access block is deleted: ACLs and policies may make it public unless the account blocks that" },
        "the bucket's public access block",
        "aws-resource-s3-bucket.html#cfn-s3-bucket-publicaccessblockconfiguration";
    "AWS::S3::Bucket" "PublicAccessBlockConfiguration/BlockPublicAcls" PublicAccess switch(true, Some(false)),
        "whether S3 rejects requests that set public ACLs; not set: false",
        "aws-properties-s3-bucket-publicaccessblockconfiguration.html#cfn-s3-bucket-publicaccessblockconfiguration-blockpublicacls";
    "AWS::S3::Bucket" "PublicAccessBlockConfiguration/IgnorePublicAcls" PublicAccess switch(true, Some(false)),
        "whether S3 ignores public ACLs on the bucket and its objects; not set: false",
        "aws-properties-s3-bucket-publicaccessblockconfiguration.html#cfn-s3-bucket-publicaccessblockconfiguration-ignorepublicacls";
    "AWS::S3::Bucket" "PublicAccessBlockConfiguration/BlockPublicPolicy" PublicAccess switch(true, Some(false)),
        "whether S3 rejects bucket policies that grant public access; not set: false",
        "aws-properties-s3-bucket-publicaccessblockconfiguration.html#cfn-s3-bucket-publicaccessblockconfiguration-blockpublicpolicy";
    "AWS::S3::Bucket" "PublicAccessBlockConfiguration/RestrictPublicBuckets" PublicAccess switch(true, Some(false)),
        "whether only AWS services and the owner's account may use the bucket when its policy is public; not set: false",
        "aws-properties-s3-bucket-publicaccessblockconfiguration.html#cfn-s3-bucket-publicaccessblockconfiguration-restrictpublicbuckets";
    "AWS::S3::Bucket" "VersioningConfiguration/Status" DataProtection
        Rule::Level { ranks: &[("Suspended", 0), ("Enabled", 1)], absent: None },
        "whether S3 keeps every version of an object: Enabled or Suspended",
        "aws-properties-s3-bucket-versioningconfiguration.html#cfn-s3-bucket-versioningconfiguration-status";
    "AWS::S3::Bucket" "LifecycleConfiguration/Rules/*/ExpirationInDays" Retention days(Absent::Forever, None),
        "days after creation when the rule deletes objects; not set: the rule deletes none",
        "aws-properties-s3-bucket-rule.html#cfn-s3-bucket-rule-expirationindays";
    "AWS::S3::Bucket" "LifecycleConfiguration/Rules/*/NoncurrentVersionExpirationInDays" Retention days(Absent::Forever, None),
        "days after a version becomes noncurrent when the rule deletes it; not set: the rule deletes none",
        "aws-properties-s3-bucket-rule.html#cfn-s3-bucket-rule-noncurrentversionexpirationindays";
    "AWS::S3::Bucket" "LifecycleConfiguration/Rules/*/NoncurrentVersionExpiration/NoncurrentDays" Retention days(Absent::Forever, None),
        "days after a version becomes noncurrent when the rule deletes it; not set: the rule deletes none",
        "aws-properties-s3-bucket-noncurrentversionexpiration.html#cfn-s3-bucket-noncurrentversionexpiration-noncurrentdays";
    "AWS::S3::Bucket" "ObjectLockConfiguration/Rule/DefaultRetention" Retention
        Rule::Duration { unit: Unit::DaysOrYears, absent: Absent::Nothing, zero: None },
        "how long Object Lock protects new objects by default, in Days or Years; not set: no default lock",
        "aws-properties-s3-bucket-defaultretention.html";
    "AWS::S3::Bucket" "ObjectLockConfiguration/Rule/DefaultRetention/Mode" Retention
        Rule::Level { ranks: &[("GOVERNANCE", 0), ("COMPLIANCE", 1)], absent: None },
        "who may shorten or lift the default lock: COMPLIANCE no one, GOVERNANCE users with s3:BypassGovernanceRetention",
        "aws-properties-s3-bucket-defaultretention.html";
    "AWS::S3::Bucket" "LoggingConfiguration" Logging Rule::Block { absent: "server access logging is off" },
        "server access logging of requests to the bucket",
        "aws-resource-s3-bucket.html#cfn-s3-bucket-loggingconfiguration";

    "AWS::RDS::DBInstance" "BackupRetentionPeriod" Retention days(Absent::Default(1), Some("no automated backups")),
        "how long automated backups are kept, in days (0 to 35; 0: no automated backups); not set: 1 day",
        "aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-backupretentionperiod";
    "AWS::RDS::DBInstance" "StorageEncrypted" Encryption switch(true, Some(false)),
        "whether the instance's storage is encrypted at rest; not set: false",
        "aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-storageencrypted";
    "AWS::RDS::DBInstance" "KmsKeyId" Encryption key("the AWS managed key aws/rds, when storage is encrypted"),
        "the KMS key that encrypts the instance's storage",
        "aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-kmskeyid";
    "AWS::RDS::DBInstance" "PubliclyAccessible" PublicAccess switch(false, None),
        "whether the instance's DNS name resolves to a public IP address; not set: depends on the subnet group",
        "aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-publiclyaccessible";
    "AWS::RDS::DBInstance" "DeletionProtection" DataProtection switch(true, Some(false)),
        "whether the instance can be deleted; not set: false (it can)",
        "aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-deletionprotection";
    "AWS::RDS::DBCluster" "PubliclyAccessible" PublicAccess switch(false, None),
        "whether the cluster's DNS names resolve to public IP addresses; not set: depends on the subnet group",
        "aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-publiclyaccessible";
    "AWS::Redshift::Cluster" "AutomatedSnapshotRetentionPeriod" Retention days(Absent::Default(1), Some("no automated snapshots")),
        "how long automated snapshots are kept, in days (0 to 35; 0: none); not set: 1 day",
        "aws-resource-redshift-cluster.html#cfn-redshift-cluster-automatedsnapshotretentionperiod";
    "AWS::Redshift::Cluster" "Encrypted" Encryption switch(true, None),
        "whether the cluster's data is encrypted at rest",
        "aws-resource-redshift-cluster.html#cfn-redshift-cluster-encrypted";
    "AWS::Redshift::Cluster" "KmsKeyId" Encryption key("an AWS managed key, when the cluster is encrypted"),
        "the KMS key that encrypts the cluster",
        "aws-resource-redshift-cluster.html#cfn-redshift-cluster-kmskeyid";
    "AWS::Redshift::Cluster" "PubliclyAccessible" PublicAccess switch(false, None),
        "whether the cluster can be reached from outside its VPC",
        "aws-resource-redshift-cluster.html#cfn-redshift-cluster-publiclyaccessible";
    "AWS::EFS::FileSystem" "Encrypted" Encryption switch(true, Some(false)),
        "whether the file system is encrypted at rest; not set: false",
        "aws-resource-efs-filesystem.html#cfn-efs-filesystem-encrypted";
    "AWS::EFS::FileSystem" "KmsKeyId" Encryption key("the AWS managed key aws/elasticfilesystem, when encrypted"),
        "the KMS key that encrypts the file system",
        "aws-resource-efs-filesystem.html#cfn-efs-filesystem-kmskeyid";
    "AWS::EC2::Volume" "Encrypted" Encryption switch(true, None),
        "whether the volume is encrypted at rest; not set: the account's encryption-by-default setting decides",
        "aws-resource-ec2-volume.html#cfn-ec2-volume-encrypted";
    "AWS::EC2::Volume" "KmsKeyId" Encryption key("the account's default EBS key, when encrypted"),
        "the KMS key that encrypts the volume",
        "aws-resource-ec2-volume.html#cfn-ec2-volume-kmskeyid";
    "AWS::EC2::Subnet" "MapPublicIpOnLaunch" PublicAccess switch(false, Some(false)),
        "whether instances launched in the subnet get a public IPv4 address; not set: false",
        "aws-resource-ec2-subnet.html#cfn-ec2-subnet-mappubliciponlaunch";
    "AWS::EC2::LaunchTemplate" "LaunchTemplateData/MetadataOptions/HttpTokens" DataProtection
        Rule::Level { ranks: &[("optional", 0), ("required", 1)], absent: None },
        "whether instance metadata answers only session-token (IMDSv2) requests: required or optional",
        "aws-properties-ec2-launchtemplate-metadataoptions.html#cfn-ec2-launchtemplate-metadataoptions-httptokens";

    "AWS::SQS::Queue" "KmsMasterKeyId" Encryption key("SQS-managed encryption (SSE-SQS) when SqsManagedSseEnabled is on, else none"),
        "the KMS key that encrypts the queue's messages",
        "aws-resource-sqs-queue.html#cfn-sqs-queue-kmsmasterkeyid";
    "AWS::SQS::Queue" "SqsManagedSseEnabled" Encryption switch(true, None),
        "whether messages are encrypted with SQS-owned keys (SSE-SQS)",
        "aws-resource-sqs-queue.html#cfn-sqs-queue-sqsmanagedsseenabled";
    "AWS::SQS::Queue" "MessageRetentionPeriod" Retention
        Rule::Duration { unit: Unit::Seconds, absent: Absent::Default(345_600), zero: None },
        "how long a message is kept, in seconds (60 to 1,209,600); not set: 345,600 (4 days)",
        "aws-resource-sqs-queue.html#cfn-sqs-queue-messageretentionperiod";
    "AWS::SNS::Topic" "KmsMasterKeyId" Encryption key("no server-side encryption"),
        "the KMS key that encrypts the topic's messages",
        "aws-resource-sns-topic.html#cfn-sns-topic-kmsmasterkeyid";
    "AWS::Kinesis::Stream" "RetentionPeriodHours" Retention
        Rule::Duration { unit: Unit::Hours, absent: Absent::Default(24), zero: None },
        "how long records stay readable, in hours (24 to 8,760); not set: 24",
        "aws-resource-kinesis-stream.html#cfn-kinesis-stream-retentionperiodhours";
    "AWS::Kinesis::Stream" "StreamEncryption" Encryption Rule::Block { absent: "records are not encrypted at rest" },
        "server-side encryption of the stream's records",
        "aws-resource-kinesis-stream.html#cfn-kinesis-stream-streamencryption";
    "AWS::Kinesis::Stream" "StreamEncryption/KeyId" Encryption key("no encryption"),
        "the KMS key that encrypts the stream's records",
        "aws-properties-kinesis-stream-streamencryption.html#cfn-kinesis-stream-streamencryption-keyid";

    "AWS::KMS::Key" "EnableKeyRotation" DataProtection switch(true, Some(false)),
        "whether KMS rotates the key material every year (or RotationPeriodInDays); not set: false",
        "aws-resource-kms-key.html#cfn-kms-key-enablekeyrotation";
    "AWS::KMS::Key" "PendingWindowInDays" DataProtection days(Absent::Default(30), None),
        "how long a key scheduled for deletion waits before it is deleted, in days (7 to 30); not set: 30",
        "aws-resource-kms-key.html#cfn-kms-key-pendingwindowindays";
    "AWS::DynamoDB::Table" "SSESpecification/SSEEnabled" Encryption switch(true, Some(false)),
        "true: a KMS key (AWS managed, or KMSMasterKeyId) encrypts the table; false or not set: an AWS owned key",
        "aws-properties-dynamodb-table-ssespecification.html#cfn-dynamodb-table-ssespecification-sseenabled";
    "AWS::DynamoDB::Table" "SSESpecification/KMSMasterKeyId" Encryption key("the AWS managed key aws/dynamodb, when SSEEnabled"),
        "the KMS key that encrypts the table",
        "aws-properties-dynamodb-table-ssespecification.html#cfn-dynamodb-table-ssespecification-kmsmasterkeyid";
    "AWS::DynamoDB::Table" "PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled" DataProtection switch(true, Some(false)),
        "whether the table can be restored to any second of its recovery period; not set: false",
        "aws-properties-dynamodb-table-pointintimerecoveryspecification.html";
    "AWS::DynamoDB::Table" "DeletionProtectionEnabled" DataProtection switch(true, Some(false)),
        "whether the table can be deleted; not set: false (it can)",
        "aws-resource-dynamodb-table.html#cfn-dynamodb-table-deletionprotectionenabled";
    "AWS::ElastiCache::ReplicationGroup" "AtRestEncryptionEnabled" Encryption switch(true, Some(false)),
        "whether data at rest is encrypted; not set: false",
        "aws-resource-elasticache-replicationgroup.html#cfn-elasticache-replicationgroup-atrestencryptionenabled";
    "AWS::ElastiCache::ReplicationGroup" "TransitEncryptionEnabled" Encryption switch(true, Some(false)),
        "whether connections use TLS (encryption in transit); not set: false",
        "aws-resource-elasticache-replicationgroup.html#cfn-elasticache-replicationgroup-transitencryptionenabled";
    "AWS::ElastiCache::ReplicationGroup" "KmsKeyId" Encryption key("an AWS managed key, when encrypted at rest"),
        "the KMS key that encrypts data at rest",
        "aws-resource-elasticache-replicationgroup.html#cfn-elasticache-replicationgroup-kmskeyid";
    "AWS::ElastiCache::ReplicationGroup" "SnapshotRetentionLimit" Retention days(Absent::Default(0), Some("no automatic backups")),
        "how long automatic backups are kept, in days (0: none); not set: 0",
        "aws-resource-elasticache-replicationgroup.html#cfn-elasticache-replicationgroup-snapshotretentionlimit";
    "AWS::MSK::Cluster" "EncryptionInfo/EncryptionInTransit/ClientBroker" Encryption
        Rule::Level { ranks: &[("PLAINTEXT", 0), ("TLS_PLAINTEXT", 1), ("TLS", 2)], absent: Some("TLS") },
        "how clients talk to the brokers: TLS only, TLS_PLAINTEXT (both) or PLAINTEXT; not set: TLS",
        "aws-properties-msk-cluster-encryptionintransit.html";
    "AWS::MSK::Cluster" "EncryptionInfo/EncryptionInTransit/InCluster" Encryption switch(true, Some(true)),
        "whether brokers talk to each other over TLS; not set: true",
        "aws-properties-msk-cluster-encryptionintransit.html";
    "AWS::MSK::Cluster" "EncryptionInfo/EncryptionAtRest/DataVolumeKMSKeyId" Encryption key("an AWS managed key"),
        "the KMS key that encrypts the brokers' volumes",
        "aws-properties-msk-cluster-encryptionatrest.html";

    "AWS::ElasticLoadBalancingV2::Listener" "Protocol" Encryption Rule::Level { ranks: LISTENER_PROTOCOLS, absent: None },
        "the protocol clients use: HTTPS and TLS encrypt in transit, HTTP, TCP and UDP do not",
        "aws-resource-elasticloadbalancingv2-listener.html#cfn-elasticloadbalancingv2-listener-protocol";
    "AWS::CloudFront::Distribution" "DistributionConfig/DefaultCacheBehavior/ViewerProtocolPolicy" Encryption
        Rule::Level { ranks: VIEWER_PROTOCOLS, absent: None },
        "whether viewers may use HTTP: allow-all lets them, redirect-to-https and https-only do not",
        "aws-properties-cloudfront-distribution-defaultcachebehavior.html#cfn-cloudfront-distribution-defaultcachebehavior-viewerprotocolpolicy";
    "AWS::CloudFront::Distribution" "DistributionConfig/CacheBehaviors/*/ViewerProtocolPolicy" Encryption
        Rule::Level { ranks: VIEWER_PROTOCOLS, absent: None },
        "whether viewers may use HTTP: allow-all lets them, redirect-to-https and https-only do not",
        "aws-properties-cloudfront-distribution-cachebehavior.html#cfn-cloudfront-distribution-cachebehavior-viewerprotocolpolicy";
    "AWS::Lambda::Url" "AuthType" PublicAccess Rule::Level { ranks: &[("NONE", 0), ("AWS_IAM", 1)], absent: None },
        "who may call the function URL: NONE lets anyone, AWS_IAM only signed requests that IAM allows",
        "aws-resource-lambda-url.html#cfn-lambda-url-authtype";
    "AWS::Lambda::Function" "KmsKeyArn" Encryption key("an AWS managed key for Lambda"),
        "the KMS key that encrypts the function's environment variables at rest",
        "aws-resource-lambda-function.html#cfn-lambda-function-kmskeyarn";
    "AWS::SecretsManager::Secret" "KmsKeyId" Encryption key("the AWS managed key aws/secretsmanager"),
        "the KMS key that encrypts the secret",
        "aws-resource-secretsmanager-secret.html#cfn-secretsmanager-secret-kmskeyid";
    "AWS::ECR::Repository" "EncryptionConfiguration/EncryptionType" Encryption
        Rule::Level { ranks: &[("AES256", 0), ("KMS", 1), ("KMS_DSSE", 2)], absent: Some("AES256") },
        "how images are encrypted at rest: AES256 (S3-managed keys), KMS or KMS_DSSE; not set: AES256",
        "aws-properties-ecr-repository-encryptionconfiguration.html";
    "AWS::ECR::Repository" "EncryptionConfiguration/KmsKey" Encryption key("the AWS managed key aws/ecr, with KMS"),
        "the KMS key that encrypts images",
        "aws-properties-ecr-repository-encryptionconfiguration.html";
    "AWS::Backup::BackupVault" "EncryptionKeyArn" Encryption key("the AWS managed key aws/backup"),
        "the KMS key that encrypts the vault's backups",
        "aws-resource-backup-backupvault.html#cfn-backup-backupvault-encryptionkeyarn";
    "AWS::Backup::BackupPlan" "BackupPlan/BackupPlanRule/*/Lifecycle/DeleteAfterDays" Retention days(Absent::Forever, None),
        "days after creation when a recovery point is deleted; not set: kept until deleted by hand",
        "aws-properties-backup-backupplan-lifecycleresourcetype.html";
    "AWS::Cognito::UserPool" "MfaConfiguration" DataProtection
        Rule::Level { ranks: &[("OFF", 0), ("OPTIONAL", 1), ("ON", 2)], absent: Some("OFF") },
        "whether users sign in with a second factor: ON, OPTIONAL or OFF; not set: OFF",
        "aws-resource-cognito-userpool.html#cfn-cognito-userpool-mfaconfiguration";
    "AWS::Cognito::UserPool" "DeletionProtection" DataProtection
        Rule::Level { ranks: &[("INACTIVE", 0), ("ACTIVE", 1)], absent: Some("INACTIVE") },
        "whether the user pool can be deleted: ACTIVE protects it; not set: INACTIVE",
        "aws-resource-cognito-userpool.html#cfn-cognito-userpool-deletionprotection";

    "AWS::CloudTrail::Trail" "IsLogging" Logging switch(true, None),
        "whether the trail records events",
        "aws-resource-cloudtrail-trail.html#cfn-cloudtrail-trail-islogging";
    "AWS::CloudTrail::Trail" "EnableLogFileValidation" Logging switch(true, Some(false)),
        "whether CloudTrail writes digest files that prove the logs unaltered; not set: false",
        "aws-resource-cloudtrail-trail.html#cfn-cloudtrail-trail-enablelogfilevalidation";
    "AWS::CloudTrail::Trail" "IsMultiRegionTrail" Logging switch(true, Some(false)),
        "whether the trail records events of every region; not set: false",
        "aws-resource-cloudtrail-trail.html#cfn-cloudtrail-trail-ismultiregiontrail";
    "AWS::CloudTrail::Trail" "IncludeGlobalServiceEvents" Logging switch(true, Some(true)),
        "whether the trail records events of global services such as IAM; not set: true",
        "aws-resource-cloudtrail-trail.html#cfn-cloudtrail-trail-includeglobalserviceevents";
    "AWS::CloudTrail::Trail" "KMSKeyId" Encryption key("S3-managed keys (SSE-S3)"),
        "the KMS key that encrypts the log files",
        "aws-resource-cloudtrail-trail.html#cfn-cloudtrail-trail-kmskeyid";
};

/// The settings Aurora-style clusters share (RDS, DocumentDB and Neptune
/// document them alike); `$page` is the type's page name
/// (`rds-dbcluster`), which the anchors repeat.
macro_rules! db_cluster {
    ($type_name:literal, $page:literal) => {
        known! {
            $type_name "BackupRetentionPeriod" Retention days(Absent::Default(1), None),
                "how long automated backups are kept, in days (1 to 35); not set: 1 day",
                concat!("aws-resource-", $page, ".html#cfn-", $page, "-backupretentionperiod");
            $type_name "StorageEncrypted" Encryption switch(true, Some(false)),
                "whether the cluster's storage is encrypted at rest; not set: false",
                concat!("aws-resource-", $page, ".html#cfn-", $page, "-storageencrypted");
            $type_name "KmsKeyId" Encryption key("the AWS managed key aws/rds, when storage is encrypted"),
                "the KMS key that encrypts the cluster's storage",
                concat!("aws-resource-", $page, ".html#cfn-", $page, "-kmskeyid");
            $type_name "DeletionProtection" DataProtection switch(true, Some(false)),
                "whether the cluster can be deleted; not set: false (it can)",
                concat!("aws-resource-", $page, ".html#cfn-", $page, "-deletionprotection");
        }
    };
}

/// The settings OpenSearch Service and its Elasticsearch predecessor
/// share; `$page` is the prefix of their property pages
/// (`opensearchservice-domain`).
macro_rules! search_domain {
    ($type_name:literal, $page:literal) => {
        known! {
            $type_name "EncryptionAtRestOptions/Enabled" Encryption switch(true, Some(false)),
                "whether the domain's data is encrypted at rest; not set: false",
                concat!("aws-properties-", $page, "-encryptionatrestoptions.html");
            $type_name "EncryptionAtRestOptions/KmsKeyId" Encryption key("the AWS managed key aws/es"),
                "the KMS key that encrypts the domain",
                concat!("aws-properties-", $page, "-encryptionatrestoptions.html");
            $type_name "NodeToNodeEncryptionOptions/Enabled" Encryption switch(true, Some(false)),
                "whether traffic between the domain's nodes uses TLS; not set: false",
                concat!("aws-properties-", $page, "-nodetonodeencryptionoptions.html");
            $type_name "DomainEndpointOptions/EnforceHTTPS" Encryption switch(true, Some(false)),
                "whether the domain's endpoint accepts only HTTPS; not set: false",
                concat!("aws-properties-", $page, "-domainendpointoptions.html");
        }
    };
}

/// Every table: the one above and the families that share their settings.
const TABLES: [&[Known]; 6] = [
    KNOWN,
    db_cluster!("AWS::RDS::DBCluster", "rds-dbcluster"),
    db_cluster!("AWS::DocDB::DBCluster", "docdb-dbcluster"),
    db_cluster!("AWS::Neptune::DBCluster", "neptune-dbcluster"),
    search_domain!("AWS::OpenSearchService::Domain", "opensearchservice-domain"),
    search_domain!("AWS::Elasticsearch::Domain", "elasticsearch-domain"),
];

/// Every known setting.
pub(crate) fn all() -> impl Iterator<Item = &'static Known> {
    TABLES.iter().flat_map(|t| t.iter())
}

/// The known settings of a type.
pub(crate) fn of_type(type_name: &str) -> impl Iterator<Item = &'static Known> + '_ {
    all().filter(move |k| k.type_name == type_name)
}

/// The full address of an entry's source.
pub(crate) fn source_url(k: &Known) -> String {
    format!("{REF}{}", k.source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_template::schema::facts::facts;

    /// Every entry names a type the schemas describe and a property it has.
    #[test]
    fn every_entry_is_a_real_property() {
        for k in all() {
            let f = facts(k.type_name).unwrap_or_else(|| panic!("{} is not a known type", k.type_name));
            let top = k.path.split('/').next().unwrap_or_default();
            assert!(f.properties.contains(&top), "{}: no property {top}", k.type_name);
            assert!(!k.meaning.is_empty() && k.source.contains(".html"), "{} {}", k.type_name, k.path);
        }
    }

    /// Durations say their unit in their meaning.
    #[test]
    fn durations_name_their_units() {
        for k in all() {
            if let Rule::Duration { unit, .. } = k.rule {
                let word = match unit {
                    Unit::Seconds => "seconds",
                    Unit::Hours => "hours",
                    Unit::Days => "days",
                    Unit::DaysOrYears => "Days or Years",
                };
                assert!(k.meaning.contains(word), "{} {}: {}", k.type_name, k.path, k.meaning);
            }
        }
    }
}
