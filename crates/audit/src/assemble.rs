//! Assembly of the audit template from a checked configuration: the key,
//! the bucket and who may write to it (CloudTrail and S3 inventories of the
//! source accounts and regions) or read it, the tables, the published names.

use std::collections::BTreeSet;

use cfn_constructs::{
    adopt_construct_ids, arn, publish, AccountRegional, EncryptionKey, Grant, NameKind, Names,
    NamingStrategy, Published, SecureBucket,
};
use cfn_template::policy::Principal;
use cfn_template::{Expr, Pseudo, Template};

use crate::{exceptions, glue, readers, CheckedConfig};

const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";
/// The module's key, bucket and database: `audit` here; MDAA names them by
/// the module instance alone.
pub(crate) const AUDIT: Names<'static> = Names { base: "audit", mdaa: "" };
const S3: &str = "s3.amazonaws.com";
/// The ACL CloudTrail and S3 inventories set on what they write; with ACLs
/// disabled (bucket owner enforced) it is the only one S3 accepts.
const OWNER_FULL_CONTROL: (&str, &str, &str) = ("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control");

/// Trails of `account` (or any, `*`) homed in `region` (or any).
fn trails(region: impl Into<Expr>, account: impl Into<Expr>) -> Expr {
    arn("cloudtrail", region, account, "trail/*")
}

/// A grant to a service on behalf of any of the source accounts.
fn from_accounts(grant: Grant, accounts: &[Expr]) -> Grant {
    accounts.iter().fold(grant, |g, a| g.condition("StringEquals", "aws:SourceAccount", a.clone()))
}

/// Builds the template for a checked configuration (see [`crate::parse_config`]
/// and [`crate::validate`]).
pub fn synthesize(config: &CheckedConfig) -> Template {
    synthesize_with(config, &AccountRegional)
}

/// Builds the template with another naming strategy (see [`NamingStrategy`]).
pub fn synthesize_with(config: &CheckedConfig, naming: &dyn NamingStrategy) -> Template {
    let mut t = Template::new();
    t.set_description(format!(
        "Audit bucket for CloudTrail logs and S3 inventories, with Athena tables (audit {})",
        env!("CARGO_PKG_VERSION")
    ));
    // `{{account}}` and `{{region}}` name the deploying ones, sources already.
    let source_accounts: Vec<&String> =
        config.source_accounts.iter().filter(|a| *a != "{{account}}").collect();
    let accounts: Vec<Expr> = [Expr::pseudo(Pseudo::AccountId)]
        .into_iter()
        .chain(source_accounts.iter().map(|a| Expr::from(a.as_str())))
        .collect();
    let regions: Vec<Expr> = [Expr::pseudo(Pseudo::Region)]
        .into_iter()
        .chain(config.source_regions.iter().filter(|r| *r != "{{region}}").map(Expr::from))
        .collect();
    let readers = readers::principals(&mut t, config, naming);

    let key = EncryptionKey::new("Audit", naming.name_of(NameKind::KmsAlias, AUDIT))
        .description("Encrypts the audit bucket: CloudTrail logs and S3 inventories")
        .build(&mut t);
    let bucket = SecureBucket::new("Audit", naming.name_of(NameKind::Bucket, AUDIT), &key.key).build(&mut t);
    exceptions::audit_bucket(&mut t, &bucket.bucket);
    // CloudTrail encrypts its digest files (log file integrity validation) with SSE-S3.
    bucket.exempt_from_key_denials(&mut t, ["AWSLogs/*/CloudTrail-Digest/*".into()]);

    // CloudTrail, for trails of the source accounts homed in the source
    // regions: it checks the bucket's ACL, writes each account's logs under
    // that account's AWSLogs/<account>/ only, and must encrypt them with this
    // key under its documented encryption context.
    let from_regions = |g: Grant| regions.iter().fold(g, |g, r| g.from_source(trails(r.clone(), "*")));
    let acl_check =
        from_regions(from_accounts(Grant::service(CLOUDTRAIL).sid("CloudTrailChecksAcl"), &accounts));
    bucket.grant_on_bucket(&mut t, &acl_check, ["s3:GetBucketAcl"]);
    for (i, account) in accounts.iter().enumerate() {
        let sid =
            source_accounts.get(i.wrapping_sub(1)).map_or("ThisAccount".into(), |a| format!("Account{a}"));
        let (op, k, v) = OWNER_FULL_CONTROL;
        let write = Grant::service(CLOUDTRAIL)
            .sid(format!("CloudTrailWritesLogsOf{sid}"))
            .condition("StringEquals", "aws:SourceAccount", account.clone())
            .from_source(trails("*", account.clone()))
            .condition(op, k, v);
        bucket.grant_write(
            &mut t,
            &write,
            [Expr::concat([Expr::from("AWSLogs/"), account.clone(), "/*".into()])],
        );
    }
    let encrypt = accounts.iter().fold(
        from_regions(from_accounts(Grant::service(CLOUDTRAIL).sid("CloudTrailEncryptsLogs"), &accounts)),
        |g, a| g.condition("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", trails("*", a.clone())),
    );
    // Decrypt too: with S3 Bucket Keys, CloudTrail needs it to create or update a trail.
    key.grant(&mut t, &encrypt, ["kms:Decrypt", "kms:GenerateDataKey*"]);
    let describe =
        from_regions(from_accounts(Grant::service(CLOUDTRAIL).sid("CloudTrailDescribesKey"), &accounts));
    key.grant(&mut t, &describe, ["kms:DescribeKey"]);

    // S3 inventories of the listed buckets (any bucket, without a list) of
    // the source accounts, under the inventory prefix.
    let mut buckets: BTreeSet<&str> = config.inventories.iter().map(|i| i.bucket_name.as_str()).collect();
    if buckets.is_empty() {
        buckets.insert("*");
    }
    let inventory = buckets
        .iter()
        .fold(from_accounts(Grant::service(S3), &accounts), |g, b| g.from_source(arn("s3", "", "", *b)));
    let (op, k, v) = OWNER_FULL_CONTROL;
    let objects = format!("{}*", config.inventory_prefix());
    bucket.grant_write(
        &mut t,
        inventory.clone().sid("S3WritesInventories").condition(op, k, v),
        [objects.into()],
    );
    key.grant(&mut t, inventory.sid("S3EncryptsInventories"), ["kms:GenerateDataKey"]);

    // The read roles: every object of the bucket, and the key to decrypt it.
    if !readers.is_empty() {
        let principal = Principal::Of { aws: readers, service: vec![], federated: vec![] };
        // The grant reaches the bucket's key: its statement is `ReadRolesReadKey`.
        bucket.grant_read(&mut t, Grant::to(principal).sid("ReadRolesRead"), ["*".into()]);
    }

    // Published as MDAA publishes them: outputs, and SSM parameters .../kms/arn and so on.
    for (id, (resource_type, attribute), what, value) in [
        ("KmsKeyArn", ("kms", "arn"), "ARN of the key that encrypts the audit bucket", key.key.arn()),
        ("KmsKeyId", ("kms", "id"), "ID of the key that encrypts the audit bucket", key.key.r#ref()),
        ("BucketName", ("bucket", "name"), "Name of the audit bucket", bucket.bucket.r#ref()),
        ("BucketArn", ("bucket", "arn"), "ARN of the audit bucket", bucket.bucket.arn()),
    ] {
        let name = format!("{resource_type}/{attribute}");
        let published = Published { name: &name, resource_type, resource: "", attribute };
        let parameter = naming.parameter("/audit", &published);
        publish(&mut t, id, parameter, naming.export(&published), what, value);
    }

    glue::tables(&mut t, config, naming, &bucket, &accounts, &regions);
    // MDAA's logical IDs, where the stack is MDAA's.
    adopt_construct_ids(&mut t, naming, crate::predecessor::MDAA_CONSTRUCT_PATHS);
    t
}
