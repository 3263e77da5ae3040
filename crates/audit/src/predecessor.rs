//! The construct paths of MDAA's audit module (v1.6.0) for the resources
//! and outputs this module also has, so that its template, written with
//! MDAA's naming, keeps their logical IDs and updates a stack MDAA deployed
//! in place. MDAA's L3 construct is `audit` in the stack; its key
//! `kms-cmk` and bucket `bucket` publish through `MdaaParamAndOutput`
//! (`<type>-<name>`, with `ssm` and `out` children); the CloudTrail table is
//! a Glue `S3Table` (`CloudTrailGlueTable`, its CloudFormation resource
//! `Table`) and the inventory table `inv-table-audit`. The audit tests
//! reproduce every logical ID of MDAA's synthesized templates from them.

/// This module's logical IDs and the construct paths of MDAA's resources
/// and outputs they stand for. MDAA's role-reference custom resources
/// (`RoleRes…`, served by MDAA's role helper) have no counterpart: role
/// references resolve here without MDAA's helper.
pub const MDAA_CONSTRUCT_PATHS: &[(&str, &str)] = &[
    ("AuditKey", "audit/kms-cmk/Resource"),
    ("AuditKeyAlias", "audit/kms-cmk/Alias/Resource"),
    ("KmsKeyArnParameter", "audit/kms-cmk/kms-arn/ssm/Resource"),
    ("KmsKeyArn", "audit/kms-cmk/kms-arn/out"),
    ("KmsKeyIdParameter", "audit/kms-cmk/kms-id/ssm/Resource"),
    ("KmsKeyId", "audit/kms-cmk/kms-id/out"),
    ("AuditBucket", "audit/bucket/Resource"),
    ("AuditBucketPolicy", "audit/bucket/Policy/Resource"),
    ("BucketNameParameter", "audit/bucket/bucket-name/ssm/Resource"),
    ("BucketName", "audit/bucket/bucket-name/out"),
    ("BucketArnParameter", "audit/bucket/bucket-arn/ssm/Resource"),
    ("BucketArn", "audit/bucket/bucket-arn/out"),
    ("AuditDatabase", "audit/database/Resource"),
    ("CloudTrailTable", "audit/CloudTrailGlueTable/Table"),
    ("InventoryTable", "audit/inv-table-audit"),
];
