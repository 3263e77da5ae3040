//! Secure-by-default building blocks made of `cfn-template` resources.
//!
//! Each block adds a few resources to a [`Template`](cfn_template::Template)
//! and returns typed handles to them. Their defaults are the secure choice:
//! customer-managed encryption, retention on delete, least-privilege
//! policies with confused-deputy conditions; options only narrow or extend
//! them. Physical names come from a [`NamingStrategy`], so a module can
//! adopt another naming convention without touching the blocks.
//!
//! ```
//! use cfn_constructs::{AccountRegional, EncryptedLogGroup, EncryptionKey, NameKind, NamingStrategy, RetentionDays};
//! use cfn_template::Template;
//!
//! let naming = AccountRegional;
//! let mut t = Template::new();
//! let key = EncryptionKey::new("Audit", naming.name(NameKind::KmsAlias, "audit-key")).build(&mut t);
//! let logs = EncryptedLogGroup::new("Audit", naming.name(NameKind::LogGroup, "/app/audit"), &key.key)
//!     .retention(RetentionDays::new(365))
//!     .build(&mut t);
//! // Blocks stay open: the key's policy learns the log group's name once both exist.
//! key.allow_cloudwatch_logs(&mut t, &[&logs]);
//! assert!(t.to_json().unwrap().contains("\"RetentionInDays\": 365"));
//! ```

mod alarm;
mod arn;
mod boundary;
mod bucket;
mod cdk_id;
mod dashboard;
mod data_protection;
mod function;
mod glue_table;
mod grant;
mod key;
mod log_group;
mod logs_insights;
mod metric_filter;
mod naming;
mod object_lock;
mod publish;
mod query_definition;
mod service_role;
mod stack;
mod suppress;
mod tags;
mod topic;
mod trail;
mod workgroup;

pub use alarm::{
    Alarm, AlarmBuilder, AlarmError, AlarmSource, AlarmTarget, ComparisonOperator, Metric, MetricMath,
    Period, Statistic, TreatMissingData,
};
pub use arn::{account_root_arn, arn, log_group_arn, log_stream_arn, regional_arn, source_conditions};
pub use boundary::PermissionsBoundary;
#[allow(deprecated)]
pub use bucket::{AuditBucket, AuditBucketBuilder};
pub use bucket::{Lifecycle, SecureBucket, SecureBucketBuilder};
pub use cdk_id::cdk_logical_id;
pub use dashboard::{
    is_valid_period, is_valid_stat, AlarmSort, AlarmState, AlarmWidget, Dashboard, DashboardBuilder,
    DashboardError, GraphMetric, GraphView, LogView, LogWidget, MathExpression, MetricWidget, PeriodOverride,
    Position, Row, TextWidget, Widget, WidgetRef, YAxis, MAX_ALARMS_PER_WIDGET, MAX_BODY_BYTES, MAX_HEIGHT,
    MAX_METRICS_PER_DASHBOARD, MAX_METRICS_PER_WIDGET, MAX_WIDGETS, MAX_WIDTH,
};
pub use data_protection::{
    is_managed_data_identifier, DataProtectionPolicy, MANAGED_DATA_IDENTIFIERS, MAX_DATA_PROTECTION_POLICY,
};
pub use function::{CustomResourceFunction, CustomResourceFunctionBuilder, PYTHON_RUNTIME};
pub use glue_table::{
    Column, ColumnType, DateBound, DateProjection, DateUnit, Format, GlueDatabase, GlueDatabaseBuilder,
    JsonSerde, LocationTemplate, NoResourcePolicy, PartitionKey, ProjectedTable, ProjectedTableBuilder,
    Projection, TableError, TableErrors, TableLocation, GLUE_READ,
};
pub use grant::{Grant, Grantee, Grants, Identity};
pub use key::{EncryptionKey, EncryptionKeyBuilder, DECRYPT, ENCRYPT_DECRYPT};
pub use log_group::{EncryptedLogGroup, EncryptedLogGroupBuilder, RetentionDays, RETENTION_DAYS};
pub use logs_insights::{check_logs_insights_query, QueryError, LOGS_INSIGHTS_COMMANDS, MAX_QUERY_LENGTH};
pub use metric_filter::{
    FilteredLogGroup, MetricFilter, MetricFilterBuilder, MetricFilterError, BOUNDED_METRIC_DIMENSIONS,
};
pub use naming::{adopt_construct_ids, AccountRegional, NameKind, Names, NamingStrategy, Published};
pub use object_lock::{
    ObjectLock, ObjectLockMode, RetentionPeriod, MAX_OBJECT_LOCK_DAYS, MAX_OBJECT_LOCK_YEARS,
};
pub use publish::publish;
pub use query_definition::{QueryDefinition, QueryDefinitionBuilder, QueryDefinitionError};
pub use service_role::{ServiceRole, ServiceRoleBuilder};
pub use stack::{Scope, Stack};
pub use suppress::{record_exception, suppress, Scanner, ScannerException, CONFUSED_DEPUTY_CONDITIONS};
pub use tags::Tags;
pub use topic::{is_email_address, EncryptedTopic, EncryptedTopicBuilder, TopicError, PUBLISHER_KEY_ACTIONS};
pub use trail::{trail_arn, DataEvents, DataResource, Insight, TooManyDataResources, Trail, TrailBuilder};
pub use workgroup::{
    AthenaWorkgroup, AthenaWorkgroupBuilder, BytesScannedCutoff, EngineVersion, WorkgroupError, ATHENA_QUERY,
    MIN_BYTES_SCANNED_CUTOFF,
};
