//! A CloudTrail trail wired to a secure bucket and, optionally, an encrypted
//! log group, with every grant CloudTrail needs made by the block.
//!
//! The statements follow AWS's CloudTrail User Guide: "Amazon S3 bucket
//! policy for CloudTrail", "Configure AWS KMS key policies for CloudTrail",
//! "Sending events to CloudWatch Logs" (the role policy document), and
//! "Cross-service confused deputy prevention" (`aws:SourceArn`,
//! `aws:SourceAccount`).

use std::fmt;

use cfn_template::policy::Statement;
use cfn_template::resources::cloudtrail;
use cfn_template::resources::cloudtrail::trail::{EventSelector, InsightSelector};
use cfn_template::{Attributes, Expr, Handle, Pseudo};

use crate::arn::{log_group_arn, regional_arn};
use crate::{EncryptedLogGroup, Grant, Grants, ScannerException, SecureBucket, ServiceRole, Stack};

/// The service principal of CloudTrail, the same in every partition.
const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";

/// The ACL CloudTrail sets on the log files it writes; with ACLs disabled
/// (bucket owner enforced) it is the only one S3 accepts. From "Amazon S3
/// bucket policy for CloudTrail".
const OWNER_FULL_CONTROL: (&str, &str, &str) = ("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control");

/// The encryption context CloudTrail asks the key for: the trail's ARN
/// ("Configure AWS KMS key policies for CloudTrail", granting encrypt
/// permissions for trails).
const CLOUDTRAIL_CONTEXT: &str = "kms:EncryptionContext:aws:cloudtrail:arn";

/// What CloudTrail asks of the key to encrypt log files. `kms:Decrypt`
/// because the bucket uses S3 Bucket Keys: AWS documents that with a Bucket
/// Key, `kms:Decrypt` is required to create or update a trail with SSE-KMS
/// ("Configure AWS KMS key policies for CloudTrail", required elements).
const ENCRYPT_ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey*"];

/// What the role CloudTrail assumes may do in the log group, and nothing
/// else ("Role policy document for CloudTrail to use CloudWatch Logs for
/// monitoring").
const LOGS_ACTIONS: [&str; 2] = ["logs:CreateLogStream", "logs:PutLogEvents"];

/// The trail is knowingly not delivered to CloudWatch Logs.
const NO_LOG_GROUP: ScannerException = ScannerException {
    reason: "This trail delivers its events to its S3 bucket only, encrypted with the bucket's \
customer-managed key and integrity-validated (digest files); no CloudWatch Logs log group was given, \
so events are read from the bucket.",
    checkov: &[],
    cdk_nag: &[
        "NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled",
        "HIPAA.Security-CloudTrailCloudWatchLogsEnabled",
        "PCI.DSS.321-CloudTrailCloudWatchLogsEnabled",
    ],
};

/// The role's policy names log streams by the prefix CloudTrail gives them.
const STREAM_PREFIX: ScannerException = ScannerException {
    reason: "CloudTrail names the log streams it creates <account>_CloudTrail_<region> followed by a \
suffix of its own, as AWS documents for the CloudTrail role policy; the policy allows only \
logs:CreateLogStream and logs:PutLogEvents on streams with that prefix in the one log group.",
    checkov: &[],
    cdk_nag: &["AwsSolutions-IAM5"],
};

/// The ARN of the trail named `name` in this account and home region:
/// `arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/<name>`.
/// Built from the name, so statements can name the trail before it exists
/// (the trail waits for them).
///
/// ```
/// use cfn_constructs::trail_arn;
/// use cfn_template::Expr;
/// assert_eq!(
///     trail_arn(&Expr::from("audit")),
///     Expr::sub("arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/audit")
/// );
/// ```
pub fn trail_arn(name: &Expr) -> Expr {
    regional_arn("cloudtrail", Expr::concat([Expr::from("trail/"), name.clone()]))
}

/// A kind of resource whose data events (data-plane operations) a trail
/// records, beside its management events. Values follow the CloudTrail
/// API reference of `DataResource`.
#[derive(Debug, Clone, PartialEq)]
pub enum DataResource {
    /// Object-level operations on every object of one bucket, by the
    /// bucket's ARN (`bucket.bucket.arn()`).
    S3Objects(Expr),
    /// Object-level operations on every bucket the account's principals
    /// touch (`arn:<partition>:s3`), including buckets of other accounts.
    AllS3Objects,
    /// Invocations of one Lambda function, by its exact ARN.
    LambdaInvocations(Expr),
    /// Invocations of every function the account's principals invoke
    /// (`arn:<partition>:lambda`).
    AllLambdaInvocations,
}

impl DataResource {
    /// Whether this entry counts against the limit of
    /// [`DataEvents::MAX_RESOURCES`]: AWS lifts the limit for the
    /// account-wide prefixes.
    fn is_specific(&self) -> bool {
        matches!(self, DataResource::S3Objects(_) | DataResource::LambdaInvocations(_))
    }

    fn type_name(&self) -> &'static str {
        match self {
            DataResource::S3Objects(_) | DataResource::AllS3Objects => "AWS::S3::Object",
            DataResource::LambdaInvocations(_) | DataResource::AllLambdaInvocations => {
                "AWS::Lambda::Function"
            }
        }
    }

    fn value(&self) -> Expr {
        let partition_prefix = |service: &str| {
            Expr::concat([
                Expr::from("arn:"),
                Expr::pseudo(Pseudo::Partition),
                Expr::from(format!(":{service}")),
            ])
        };
        match self {
            // The trailing slash with no object prefix selects every object.
            DataResource::S3Objects(bucket) => Expr::concat([bucket.clone(), Expr::from("/")]),
            DataResource::AllS3Objects => partition_prefix("s3"),
            DataResource::LambdaInvocations(function) => function.clone(),
            DataResource::AllLambdaInvocations => partition_prefix("lambda"),
        }
    }
}

/// The data events a trail records: at most [`DataEvents::MAX_RESOURCES`]
/// buckets and functions named one by one, so a trail CloudTrail would
/// refuse cannot be built.
///
/// ```
/// use cfn_constructs::{DataEvents, DataResource};
/// use cfn_template::Expr;
///
/// let one = DataEvents::new([DataResource::S3Objects(Expr::sub("arn:${AWS::Partition}:s3:::data"))]);
/// assert!(one.is_ok());
/// let too_many = (0..251).map(|i| DataResource::S3Objects(Expr::from(format!("arn:aws:s3:::b{i}"))));
/// let err = DataEvents::new(too_many).unwrap_err();
/// assert_eq!(err.count, 251);
/// assert!(err.to_string().contains("at most 250"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DataEvents(Vec<DataResource>);

/// More data resources than CloudTrail accepts on one trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyDataResources {
    /// How many were named one by one.
    pub count: usize,
}

impl fmt::Display for TooManyDataResources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a trail records data events of at most {} buckets and functions named one by one, and {} \
             were given; record all of them with DataResource::AllS3Objects or \
             DataResource::AllLambdaInvocations, or split them over several trails",
            DataEvents::MAX_RESOURCES,
            self.count
        )
    }
}

impl std::error::Error for TooManyDataResources {}

impl DataEvents {
    /// The most data resources one trail takes, across its event selectors
    /// (CloudTrail API reference, `DataResource`).
    pub const MAX_RESOURCES: usize = 250;

    /// The data events of `resources`, if CloudTrail accepts that many.
    pub fn new(
        resources: impl IntoIterator<Item = DataResource>,
    ) -> Result<DataEvents, TooManyDataResources> {
        let resources: Vec<DataResource> = resources.into_iter().collect();
        let count = resources.iter().filter(|r| r.is_specific()).count();
        if count > Self::MAX_RESOURCES {
            return Err(TooManyDataResources { count });
        }
        Ok(DataEvents(resources))
    }

    /// The `DataResources` of an event selector: one per resource type, in
    /// the order the types first appear, each listing its values once.
    fn selector_resources(&self) -> Vec<cloudtrail::trail::DataResource> {
        let mut grouped: Vec<(&'static str, Vec<Expr>)> = Vec::new();
        for resource in &self.0 {
            let value = resource.value();
            let type_name = resource.type_name();
            match grouped.iter_mut().find(|(t, _)| *t == type_name) {
                Some((_, values)) if values.contains(&value) => {}
                Some((_, values)) => values.push(value),
                None => grouped.push((type_name, vec![value])),
            }
        }
        grouped
            .into_iter()
            .map(|(type_name, values)| cloudtrail::trail::DataResource {
                values: Some(values.into()),
                ..cloudtrail::trail::DataResource::new(type_name)
            })
            .collect()
    }
}

/// A kind of CloudTrail Insights event: unusual activity in the account's
/// management events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insight {
    /// Unusual rates of write management API calls.
    ApiCallRate,
    /// Unusual rates of API calls that end in errors.
    ApiErrorRate,
}

impl Insight {
    fn insight_type(self) -> &'static str {
        match self {
            Insight::ApiCallRate => "ApiCallRateInsight",
            Insight::ApiErrorRate => "ApiErrorRateInsight",
        }
    }
}

/// The trail, as added to a template, with what the block made for it.
#[derive(Debug, Clone)]
pub struct Trail {
    /// The trail.
    pub trail: Handle<cloudtrail::Trail>,
    /// Its name, as given.
    pub name: Expr,
    /// Its ARN, built from its name (see [`trail_arn`]): the source ARN of
    /// every grant the block made.
    pub arn: Expr,
    /// The role CloudTrail assumes to write to the log group, when the
    /// trail sends its events to one.
    pub logs_role: Option<ServiceRole>,
}

/// Builds a [`Trail`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the trail to a template"]
pub struct TrailBuilder {
    id: String,
    name: Expr,
    bucket: SecureBucket,
    prefix: Option<Expr>,
    logs: Option<(EncryptedLogGroup, Expr, Expr)>,
    data_events: Option<DataEvents>,
    insights: Vec<Insight>,
}

impl Trail {
    /// A trail `<id>Trail` named `name` (see
    /// [`NameKind::Trail`](crate::NameKind::Trail)) that delivers to
    /// `bucket`, encrypted with the bucket's key (`KMSKeyId`).
    ///
    /// Its defaults meet the scanners' trail rules: every region
    /// (`IsMultiRegionTrail`), global service events, log file validation
    /// (digest files), management events both read and write, logging on.
    /// [`TrailBuilder::build`] makes for it, scoped to this trail's ARN
    /// (`aws:SourceArn`) and account (`aws:SourceAccount`):
    ///
    /// - in the bucket policy, `s3:GetBucketAcl` on the bucket and
    ///   `s3:PutObject` under `[<prefix>/]AWSLogs/<account>/` with the
    ///   `bucket-owner-full-control` ACL;
    /// - in the key policy, `kms:GenerateDataKey*` and `kms:Decrypt` under
    ///   the trail's encryption context, and `kms:DescribeKey`;
    /// - the exemption of the digest files (which CloudTrail writes with
    ///   SSE-S3) from the bucket's denials of other encryption, for
    ///   `[<prefix>/]AWSLogs/<account>/CloudTrail-Digest/*` only;
    /// - `DependsOn` the bucket policy, since CloudTrail checks it when the
    ///   trail is created (the key, whose policy CloudTrail checks too, is
    ///   already waited for through `KMSKeyId`).
    ///
    /// Statement IDs start with the trail's logical ID, so several trails
    /// share a bucket and key.
    ///
    /// CDK's `Trail` grants nothing on the key and writes its bucket
    /// statements without source conditions, so any trail of any account
    /// could write there; its log-group role trusts CloudTrail without them
    /// too. This block makes every grant, each held to this one trail.
    ///
    /// ```
    /// use cfn_constructs::{AccountRegional, EncryptionKey, NameKind, NamingStrategy, SecureBucket, Trail};
    /// use cfn_template::Template;
    ///
    /// let naming = AccountRegional;
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Audit", naming.name(NameKind::KmsAlias, "audit")).build(&mut t);
    /// let bucket = SecureBucket::new("Audit", naming.name(NameKind::Bucket, "audit"), &key.key).build(&mut t);
    /// let trail = Trail::new("Audit", naming.name(NameKind::Trail, "audit"), &bucket).build(&mut t);
    ///
    /// let v = t.synthesize().unwrap();
    /// let props = &v["Resources"]["AuditTrail"]["Properties"];
    /// assert_eq!(props["IsMultiRegionTrail"], true);
    /// assert_eq!(props["EnableLogFileValidation"], true);
    /// assert_eq!(v["Resources"]["AuditTrail"]["DependsOn"], "AuditBucketPolicy");
    /// let policy = serde_json::to_string(&v["Resources"]["AuditBucketPolicy"]).unwrap();
    /// assert!(policy.contains("AuditTrailWritesLogs") && policy.contains("aws:SourceArn"));
    /// assert!(trail.logs_role.is_none());
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, name: Expr, bucket: &SecureBucket) -> TrailBuilder {
        TrailBuilder {
            id: id.into(),
            name,
            bucket: bucket.clone(),
            prefix: None,
            logs: None,
            data_events: None,
            insights: Vec::new(),
        }
    }
}

impl TrailBuilder {
    /// Delivers under `prefix` in the bucket (CloudTrail adds
    /// `/AWSLogs/<account>/`). Slashes at either end of a literal prefix
    /// are dropped, since CloudTrail joins the parts with its own; an empty
    /// one means no prefix. The grants and the digest exemption follow it.
    ///
    /// ```
    /// # use cfn_constructs::{EncryptionKey, SecureBucket, Trail};
    /// # use cfn_template::Template;
    /// # let mut t = Template::new();
    /// # let key = EncryptionKey::new("A", "alias/a".into()).build(&mut t);
    /// # let bucket = SecureBucket::new("A", "a-bucket".into(), &key.key).build(&mut t);
    /// Trail::new("A", "audit".into(), &bucket).s3_key_prefix("trails/".into()).build(&mut t);
    /// let v = t.synthesize().unwrap();
    /// assert_eq!(v["Resources"]["ATrail"]["Properties"]["S3KeyPrefix"], "trails");
    /// ```
    pub fn s3_key_prefix(mut self, prefix: Expr) -> Self {
        self.prefix = match prefix.as_literal() {
            Some(literal) => {
                let trimmed = literal.trim_matches('/');
                (!trimmed.is_empty()).then(|| Expr::from(trimmed))
            }
            None => Some(prefix),
        };
        self
    }

    /// Also sends the trail's events to `log_group`, through a role
    /// `<id>LogsRole` named `role_name` whose permissions live in the
    /// managed policy `<id>LogsPolicy` named `policy_name` (IAM names are
    /// global per account: let them carry the region, as
    /// [`NameKind::IamRole`](crate::NameKind::IamRole) names do).
    ///
    /// The role trusts only CloudTrail, for this trail and account, and
    /// may only `logs:CreateLogStream` and `logs:PutLogEvents` on the
    /// streams CloudTrail names in that log group
    /// (`<log group ARN>:log-stream:<account>_CloudTrail_<region>*`). The
    /// trail waits for the policy.
    ///
    /// The log group's key must let CloudWatch Logs use it for this log
    /// group: call [`EncryptionKey::allow_cloudwatch_logs`](crate::EncryptionKey::allow_cloudwatch_logs)
    /// once with all the log groups that key encrypts. The block does not,
    /// because that grant is one statement naming every log group of a key,
    /// which only its owner knows.
    ///
    /// ```
    /// # use cfn_constructs::{AccountRegional, EncryptedLogGroup, EncryptionKey, NameKind, NamingStrategy, SecureBucket, Trail};
    /// # use cfn_template::Template;
    /// # let naming = AccountRegional;
    /// # let mut t = Template::new();
    /// # let key = EncryptionKey::new("A", "alias/a".into()).build(&mut t);
    /// # let bucket = SecureBucket::new("A", "a-bucket".into(), &key.key).build(&mut t);
    /// let logs = EncryptedLogGroup::new("Trail", "/trail/audit".into(), &key.key).build(&mut t);
    /// key.allow_cloudwatch_logs(&mut t, &[&logs]);
    /// let trail = Trail::new("A", "audit".into(), &bucket)
    ///     .send_to_log_group(&logs, naming.name(NameKind::IamRole, "trail-logs"), naming.name(NameKind::IamManagedPolicy, "trail-logs"))
    ///     .build(&mut t);
    /// assert!(trail.logs_role.is_some());
    /// let v = t.synthesize().unwrap();
    /// assert_eq!(v["Resources"]["ATrail"]["Properties"]["CloudWatchLogsRoleArn"]["Fn::GetAtt"][0], "ALogsRole");
    /// ```
    pub fn send_to_log_group(
        mut self,
        log_group: &EncryptedLogGroup,
        role_name: Expr,
        policy_name: Expr,
    ) -> Self {
        self.logs = Some((log_group.clone(), role_name, policy_name));
        self
    }

    /// Also records these data events (for the trail's management events
    /// and these, read and write).
    ///
    /// ```
    /// # use cfn_constructs::{DataEvents, DataResource, EncryptionKey, SecureBucket, Trail};
    /// # use cfn_template::Template;
    /// # let mut t = Template::new();
    /// # let key = EncryptionKey::new("A", "alias/a".into()).build(&mut t);
    /// # let bucket = SecureBucket::new("A", "a-bucket".into(), &key.key).build(&mut t);
    /// let events = DataEvents::new([DataResource::AllLambdaInvocations]).expect("within the limit");
    /// Trail::new("A", "audit".into(), &bucket).data_events(events).build(&mut t);
    /// let v = t.synthesize().unwrap();
    /// let selector = &v["Resources"]["ATrail"]["Properties"]["EventSelectors"][0];
    /// assert_eq!(selector["DataResources"][0]["Type"], "AWS::Lambda::Function");
    /// ```
    pub fn data_events(mut self, events: DataEvents) -> Self {
        self.data_events = Some(events);
        self
    }

    /// Also records CloudTrail Insights events of these kinds (each once).
    ///
    /// ```
    /// # use cfn_constructs::{EncryptionKey, Insight, SecureBucket, Trail};
    /// # use cfn_template::Template;
    /// # let mut t = Template::new();
    /// # let key = EncryptionKey::new("A", "alias/a".into()).build(&mut t);
    /// # let bucket = SecureBucket::new("A", "a-bucket".into(), &key.key).build(&mut t);
    /// Trail::new("A", "audit".into(), &bucket).insights([Insight::ApiErrorRate]).build(&mut t);
    /// let v = t.synthesize().unwrap();
    /// assert_eq!(v["Resources"]["ATrail"]["Properties"]["InsightSelectors"][0]["InsightType"], "ApiErrorRateInsight");
    /// ```
    pub fn insights(mut self, insights: impl IntoIterator<Item = Insight>) -> Self {
        for insight in insights {
            if !self.insights.contains(&insight) {
                self.insights.push(insight);
            }
        }
        self
    }

    /// `[<prefix>/]<rest>`, relative to the bucket.
    fn under_prefix(&self, rest: Expr) -> Expr {
        match &self.prefix {
            Some(prefix) => Expr::concat([prefix.clone(), Expr::from("/"), rest]),
            None => rest,
        }
    }

    /// Adds the trail and everything it needs (see [`Trail::new`] and
    /// [`TrailBuilder::send_to_log_group`]), and records on the trail why it
    /// meets no CloudWatch Logs rule when it has no log group.
    pub fn build(self, s: &mut impl Stack) -> Trail {
        let local_id = format!("{}Trail", self.id);
        // Sids carry the trail's logical ID: unique in the template, so
        // unique in any policy that several trails share.
        let sid = s.id(&local_id);
        let arn = trail_arn(&self.name);
        let account = || Expr::pseudo(Pseudo::AccountId);
        let cloudtrail = |what: &str| {
            Grant::service(CLOUDTRAIL)
                .sid(format!("{sid}{what}"))
                .from_this_account()
                .from_source(arn.clone())
        };

        let bucket = &self.bucket;
        bucket.grant_on_bucket(s, cloudtrail("ChecksAcl"), ["s3:GetBucketAcl"]);
        let (op, key, value) = OWNER_FULL_CONTROL;
        let logs = self.under_prefix(Expr::concat([Expr::from("AWSLogs/"), account(), Expr::from("/*")]));
        bucket.grant_write(s, cloudtrail("WritesLogs").condition(op, key, value), [logs]);
        let encrypt = cloudtrail("EncryptsLogs").condition("StringLike", CLOUDTRAIL_CONTEXT, arn.clone());
        bucket.key.grant(s, encrypt, ENCRYPT_ACTIONS, vec![bucket.key.arn()]);
        bucket.key.grant(s, cloudtrail("DescribesKey"), ["kms:DescribeKey"], vec![bucket.key.arn()]);

        // Digest files are SSE-S3 by CloudTrail's design; a second trail
        // with the same prefix shares the exemption rather than repeating it.
        let digests = self.under_prefix(Expr::concat([
            Expr::from("AWSLogs/"),
            account(),
            Expr::from("/CloudTrail-Digest/*"),
        ]));
        let exempt = bucket.objects(digests.clone());
        let already = s
            .template()
            .get(&bucket.policy)
            .policy_document
            .statements
            .iter()
            .any(|st| st.not_resources.contains(&exempt));
        if !already {
            bucket.exempt_from_key_denials(s, [digests]);
        }

        let logs_role = self.logs.as_ref().map(|(log_group, role_name, policy_name)| {
            let streams = Expr::concat([
                log_group_arn(&log_group.name),
                Expr::from(":log-stream:"),
                account(),
                Expr::from("_CloudTrail_"),
                Expr::pseudo(Pseudo::Region),
                Expr::from("*"),
            ]);
            let role = ServiceRole::new(
                format!("{}Logs", self.id),
                role_name.clone(),
                policy_name.clone(),
                CLOUDTRAIL.into(),
                Some(arn.clone()),
            )
            .description("CloudTrail delivers one trail's events to its CloudWatch Logs log group")
            .allow(
                Statement::allow()
                    .sid(format!("{sid}DeliversEvents"))
                    .actions(LOGS_ACTIONS)
                    .resource(streams),
            )
            .build(s);
            STREAM_PREFIX.record(s.template(), &role.policy);
            role
        });

        let mut selector = EventSelector {
            include_management_events: Some(true.into()),
            read_write_type: Some("All".into()),
            ..EventSelector::default()
        };
        if let Some(events) = self.data_events.as_ref().filter(|e| !e.0.is_empty()) {
            selector.data_resources = Some(events.selector_resources().into());
        }
        let insight_selectors = (!self.insights.is_empty()).then(|| {
            self.insights
                .iter()
                .map(|i| InsightSelector {
                    insight_type: Some(i.insight_type().into()),
                    ..InsightSelector::default()
                })
                .collect::<Vec<_>>()
                .into()
        });

        let mut attributes = Attributes::new().depends_on(&bucket.policy);
        if let Some(role) = &logs_role {
            attributes = attributes.depends_on(&role.policy);
        }
        let trail = s.add_resource(
            &local_id,
            cloudtrail::Trail {
                trail_name: Some(self.name.clone()),
                s3_key_prefix: self.prefix.clone(),
                kms_key_id: Some(bucket.key.arn()),
                is_multi_region_trail: Some(true.into()),
                include_global_service_events: Some(true.into()),
                enable_log_file_validation: Some(true.into()),
                event_selectors: Some(vec![selector].into()),
                insight_selectors,
                cloud_watch_logs_log_group_arn: self.logs.as_ref().map(|(lg, _, _)| lg.log_group.arn()),
                cloud_watch_logs_role_arn: logs_role.as_ref().map(|r| r.role.arn()),
                ..cloudtrail::Trail::new(true, bucket.bucket.r#ref())
            },
            attributes,
        );
        if logs_role.is_none() {
            NO_LOG_GROUP.record(s.template(), &trail);
        }
        Trail { trail, name: self.name, arn, logs_role }
    }
}
