//! An Athena workgroup whose settings queries cannot override: results
//! encrypted with a customer-managed key in a secure bucket, a cap on what
//! one query may scan, metrics published.

use std::error::Error;
use std::fmt;

use cfn_template::policy::Statement;
use cfn_template::resources::athena::work_group::{
    EncryptionConfiguration, EngineVersion as EngineVersionProperty, ResultConfiguration,
    WorkGroupConfiguration,
};
use cfn_template::resources::athena::{NamedQuery, WorkGroup};
use cfn_template::{Attributes, Expr, Handle, Pseudo};

use crate::{regional_arn, Grantee, Grants, NoResourcePolicy, ProjectedTable, SecureBucket, Stack};

/// What a principal needs to run queries in a workgroup, read their
/// results and the workgroup's saved queries, and nothing that changes the
/// workgroup (Athena User Guide, "Example workgroup policies": running
/// queries in a specified workgroup).
pub const ATHENA_QUERY: [&str; 11] = [
    "athena:BatchGetNamedQuery",
    "athena:BatchGetQueryExecution",
    "athena:GetNamedQuery",
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:GetQueryResultsStream",
    "athena:GetWorkGroup",
    "athena:ListNamedQueries",
    "athena:ListQueryExecutions",
    "athena:StartQueryExecution",
    "athena:StopQueryExecution",
];

/// What Athena does to the results prefix for its caller beyond reading
/// and writing objects: results are written in multipart uploads, which
/// a failed query leaves to abort (the S3 actions of AWS's managed policy
/// `AmazonAthenaFullAccess` on its results buckets).
const RESULTS_UPLOADS: [&str; 2] = ["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];

/// The least `BytesScannedCutoffPerQuery` Athena accepts: 10 MB (the
/// property's `minimum` in the `AWS::Athena::WorkGroup` registry schema).
pub const MIN_BYTES_SCANNED_CUTOFF: u64 = 10_000_000;

/// A problem with a workgroup's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WorkgroupError {
    /// The per-query cutoff is below Athena's minimum.
    CutoffBelowMinimum {
        /// The cutoff given, in bytes.
        bytes: u64,
    },
    /// The per-query cutoff is beyond what a template's integer holds.
    CutoffTooLarge {
        /// The cutoff given, in bytes.
        bytes: u64,
    },
    /// The results prefix is not a plain S3 key prefix.
    ResultsPrefix {
        /// The prefix given.
        prefix: String,
    },
}

impl fmt::Display for WorkgroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkgroupError::CutoffBelowMinimum { bytes } => write!(
                f,
                "bytes scanned cutoff {bytes}: Athena's least per-query cutoff is {MIN_BYTES_SCANNED_CUTOFF} bytes \
                 (10 MB)"
            ),
            WorkgroupError::CutoffTooLarge { bytes } => {
                write!(f, "bytes scanned cutoff {bytes}: at most {} bytes", i64::MAX)
            }
            WorkgroupError::ResultsPrefix { prefix } => write!(
                f,
                "results prefix `{prefix}`: give a non-empty key prefix such as `athena-results`, without a \
                 leading `/`, empty folders (`//`) or `${{`"
            ),
        }
    }
}

impl Error for WorkgroupError {}

/// The most a single query may scan before Athena cancels it.
///
/// ```
/// use cfn_constructs::BytesScannedCutoff;
/// assert_eq!(BytesScannedCutoff::new(10_000_000_000).unwrap().bytes(), 10_000_000_000);
/// let err = BytesScannedCutoff::new(1_000).unwrap_err();
/// assert!(err.to_string().contains("least per-query cutoff is 10000000 bytes"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BytesScannedCutoff(u64);

impl BytesScannedCutoff {
    /// A cutoff of `bytes`, if Athena accepts it (at least [`MIN_BYTES_SCANNED_CUTOFF`]).
    pub fn new(bytes: u64) -> Result<BytesScannedCutoff, WorkgroupError> {
        if bytes < MIN_BYTES_SCANNED_CUTOFF {
            Err(WorkgroupError::CutoffBelowMinimum { bytes })
        } else if i64::try_from(bytes).is_err() {
            Err(WorkgroupError::CutoffTooLarge { bytes })
        } else {
            Ok(BytesScannedCutoff(bytes))
        }
    }

    /// The cutoff in bytes.
    pub fn bytes(self) -> u64 {
        self.0
    }
}

/// The Athena engine a workgroup's queries run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineVersion {
    /// Athena engine version 3, pinned: an engine upgrade is a change the
    /// team makes, not one that happens to it.
    #[default]
    V3,
    /// `AUTO`: Athena chooses, and upgrades when it releases a new engine.
    Auto,
}

impl EngineVersion {
    /// The value of `SelectedEngineVersion`.
    pub fn selected(self) -> &'static str {
        match self {
            EngineVersion::V3 => "Athena engine version 3",
            EngineVersion::Auto => "AUTO",
        }
    }
}

/// The workgroup, as added to a template.
#[derive(Debug, Clone)]
pub struct AthenaWorkgroup {
    /// The workgroup.
    pub workgroup: Handle<WorkGroup>,
    results: SecureBucket,
    results_objects: Expr,
}

/// Builds an [`AthenaWorkgroup`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the workgroup to a template"]
pub struct AthenaWorkgroupBuilder {
    id: String,
    name: Expr,
    results: SecureBucket,
    prefix: String,
    cutoff: BytesScannedCutoff,
    description: Option<String>,
    engine: EngineVersion,
    recursive_delete: bool,
}

impl AthenaWorkgroup {
    /// A workgroup `<id>WorkGroup` named `name` whose queries write their
    /// results under `s3://<results>/<prefix>/`, encrypted SSE-KMS with the
    /// bucket's key, and stop after scanning `cutoff` bytes.
    ///
    /// Its configuration is enforced (`EnforceWorkGroupConfiguration`):
    /// a client cannot send results elsewhere or unencrypted (checkov
    /// CKV_AWS_82). It publishes CloudWatch metrics, runs Athena engine
    /// version 3, expects the results bucket to belong to this account,
    /// and refuses to be deleted while it holds named queries the template
    /// does not own (`RecursiveDeleteOption` false).
    ///
    /// ```
    /// use cfn_constructs::{AthenaWorkgroup, BytesScannedCutoff, EncryptionKey, SecureBucket};
    /// use cfn_template::Template;
    ///
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Results", "alias/results".into()).build(&mut t);
    /// let bucket = SecureBucket::new("Results", "query-results".into(), &key.key).build(&mut t);
    /// let cutoff = BytesScannedCutoff::new(100_000_000_000).unwrap();
    /// let wg = AthenaWorkgroup::new("Audit", "audit".into(), &bucket, "athena-results", cutoff)
    ///     .build(&mut t)
    ///     .unwrap();
    /// wg.add_named_query(&mut t, "Recent", "recent", "The last hour", "audit", "SELECT 1");
    /// let v = t.synthesize().unwrap();
    /// let config = &v["Resources"]["AuditWorkGroup"]["Properties"]["WorkGroupConfiguration"];
    /// assert_eq!(config["ResultConfiguration"]["EncryptionConfiguration"]["EncryptionOption"], "SSE_KMS");
    /// assert_eq!(v["Resources"]["RecentNamedQuery"]["Properties"]["WorkGroup"]["Ref"], "AuditWorkGroup");
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(
        id: impl Into<String>,
        name: Expr,
        results: &SecureBucket,
        prefix: &str,
        cutoff: BytesScannedCutoff,
    ) -> AthenaWorkgroupBuilder {
        AthenaWorkgroupBuilder {
            id: id.into(),
            name,
            results: results.clone(),
            prefix: prefix.to_string(),
            cutoff,
            description: None,
            engine: EngineVersion::default(),
            recursive_delete: false,
        }
    }

    /// The workgroup's name (its `Ref`).
    pub fn name(&self) -> Expr {
        self.workgroup.r#ref()
    }

    /// The workgroup's ARN.
    pub fn arn(&self) -> Expr {
        regional_arn("athena", Expr::concat([Expr::from("workgroup/"), self.name()]))
    }

    /// Saves a query `<id>NamedQuery` in the workgroup, run against
    /// `database`.
    pub fn add_named_query(
        &self,
        s: &mut impl Stack,
        id: &str,
        name: impl Into<Expr>,
        description: impl Into<Expr>,
        database: impl Into<Expr>,
        query: impl Into<Expr>,
    ) -> Handle<NamedQuery> {
        s.add_resource(
            &format!("{id}NamedQuery"),
            NamedQuery {
                name: Some(name.into()),
                description: Some(description.into()),
                work_group: Some(self.name()),
                ..NamedQuery::new(database, query)
            },
            Attributes::new(),
        )
    }

    /// Lets an identity of this template run queries in the workgroup
    /// over `tables`: the Athena actions on the workgroup ([`ATHENA_QUERY`]),
    /// each table's catalog entries and files
    /// ([`ProjectedTable::grant_read`]), reading and writing the results
    /// prefix, and the results bucket's key (statements in the identity's
    /// own policy; no resource policy changes). A principal named by ARN is
    /// refused, with nothing granted.
    ///
    /// ```
    /// use cfn_constructs::{AthenaWorkgroup, BytesScannedCutoff, EncryptionKey, Grant, SecureBucket};
    /// use cfn_template::Template;
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Results", "alias/results".into()).build(&mut t);
    /// let bucket = SecureBucket::new("Results", "query-results".into(), &key.key).build(&mut t);
    /// let cutoff = BytesScannedCutoff::new(10_000_000).unwrap();
    /// let wg = AthenaWorkgroup::new("Adhoc", "adhoc".into(), &bucket, "results", cutoff).build(&mut t).unwrap();
    /// let outsider = Grant::aws("arn:aws:iam::111122223333:role/analyst");
    /// assert!(wg.grant_query(&mut t, &outsider, &[]).is_err());
    /// ```
    pub fn grant_query(
        &self,
        s: &mut impl Stack,
        grantee: impl Into<Grantee>,
        tables: &[&ProjectedTable],
    ) -> Result<(), NoResourcePolicy> {
        let grantee = grantee.into();
        let Grantee::Identity(identity) = &grantee else { return Err(NoResourcePolicy) };
        identity.add_to_policy(s.template(), Statement::allow().actions(ATHENA_QUERY).resource(self.arn()));
        for table in tables {
            table.grant_read(s, &grantee)?;
        }
        let results = [self.results_objects.clone()];
        self.results.grant_read(s, &grantee, results.clone());
        self.results.grant_write(s, &grantee, results.clone());
        let objects = results.into_iter().map(|p| self.results.objects(p)).collect();
        self.results.bucket.grant(s, &grantee, RESULTS_UPLOADS, objects);
        Ok(())
    }
}

impl AthenaWorkgroupBuilder {
    /// Describes the workgroup.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Runs queries on another engine version than Athena engine version 3.
    pub fn engine_version(mut self, engine: EngineVersion) -> Self {
        self.engine = engine;
        self
    }

    /// Lets a stack deletion delete the workgroup with the named queries
    /// and query history it holds beyond the template's
    /// (`RecursiveDeleteOption`). Off by default: a workgroup that holds
    /// others' saved queries then fails to delete, which is a decision the
    /// team makes, not a side effect.
    pub fn recursive_delete(mut self, delete: bool) -> Self {
        self.recursive_delete = delete;
        self
    }

    /// Adds the workgroup, or says why its results prefix is refused.
    pub fn build(self, s: &mut impl Stack) -> Result<AthenaWorkgroup, WorkgroupError> {
        let prefix = self.prefix.trim_end_matches('/');
        if prefix.is_empty() || prefix.starts_with('/') || prefix.contains("//") || prefix.contains("${") {
            return Err(WorkgroupError::ResultsPrefix { prefix: self.prefix });
        }
        let output = Expr::concat([
            Expr::from("s3://"),
            self.results.bucket.r#ref(),
            Expr::from(format!("/{prefix}/")),
        ]);
        let cutoff = i64::try_from(self.cutoff.0)
            .map_err(|_| WorkgroupError::CutoffTooLarge { bytes: self.cutoff.0 })?;
        let configuration = WorkGroupConfiguration {
            enforce_work_group_configuration: Some(true.into()),
            publish_cloud_watch_metrics_enabled: Some(true.into()),
            bytes_scanned_cutoff_per_query: Some(cutoff.into()),
            requester_pays_enabled: Some(false.into()),
            engine_version: Some(EngineVersionProperty {
                selected_engine_version: Some(self.engine.selected().into()),
                ..EngineVersionProperty::default()
            }),
            result_configuration: Some(ResultConfiguration {
                output_location: Some(output),
                // The key's ARN, not its alias or ID: the bucket denies
                // uploads that name any other key identifier.
                encryption_configuration: Some(EncryptionConfiguration {
                    kms_key: Some(self.results.key.arn()),
                    ..EncryptionConfiguration::new("SSE_KMS")
                }),
                expected_bucket_owner: Some(Expr::pseudo(Pseudo::AccountId)),
                ..ResultConfiguration::default()
            }),
            ..WorkGroupConfiguration::default()
        };
        let workgroup = s.add_resource(
            &format!("{}WorkGroup", self.id),
            WorkGroup {
                description: self.description.map(Into::into),
                state: Some("ENABLED".into()),
                recursive_delete_option: Some(self.recursive_delete.into()),
                work_group_configuration: Some(configuration),
                ..WorkGroup::new(self.name)
            },
            Attributes::new(),
        );
        Ok(AthenaWorkgroup {
            workgroup,
            results: self.results,
            results_objects: format!("{prefix}/*").into(),
        })
    }
}
