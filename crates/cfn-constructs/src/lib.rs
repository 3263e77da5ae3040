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
//! use cfn_constructs::{AccountRegional, EncryptedLogGroup, EncryptionKey, NameKind, NamingStrategy};
//! use cfn_template::Template;
//!
//! let naming = AccountRegional;
//! let mut t = Template::new();
//! let log_group_name = naming.name(NameKind::LogGroup, "/app/audit");
//! let key = EncryptionKey::new("Audit", naming.name(NameKind::KmsAlias, "audit-key"))
//!     .allow_cloudwatch_logs(vec![log_group_name.clone()])
//!     .build(&mut t);
//! let logs = EncryptedLogGroup::new("Audit", log_group_name, &key.key).retention_days(365).build(&mut t);
//! assert!(t.to_json().unwrap().contains("\"RetentionInDays\": 365"));
//! # let _ = logs;
//! ```

mod arn;
mod bucket;
mod function;
mod key;
mod log_group;
mod naming;
mod publish;
mod service_role;
mod suppress;
mod tags;

pub use arn::{account_root_arn, arn, log_group_arn, log_stream_arn, source_conditions};
pub use bucket::{AuditBucket, AuditBucketBuilder, BucketWriter, Lifecycle};
pub use function::{CustomResourceFunction, CustomResourceFunctionBuilder, PYTHON_RUNTIME};
pub use key::{EncryptionKey, EncryptionKeyBuilder};
pub use log_group::{EncryptedLogGroup, EncryptedLogGroupBuilder, RetentionDays, RETENTION_DAYS};
pub use naming::{AccountRegional, NameKind, NamingStrategy};
pub use publish::publish;
pub use service_role::{ServiceRole, ServiceRoleBuilder};
pub use suppress::{record_exception, suppress, Scanner, CONFUSED_DEPUTY_CONDITIONS};
pub use tags::Tags;
