//! Typed structs for the AWS resource types the modules use.
//!
//! Field names follow CloudFormation's documented property names (PascalCase
//! on the wire); optional properties left `None` are omitted from the output.

pub mod custom;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod s3;
pub mod ssm;

use serde::Serialize;

use crate::Expr;

/// A resource type a template can hold.
pub trait Resource: Serialize {
    /// The CloudFormation type name, such as `AWS::S3::Bucket`.
    fn resource_type(&self) -> String;

    /// Problems with literal property values that CloudFormation or the
    /// service would reject: physical names that break the naming rules
    /// (names built from intrinsics are checked as far as their literal parts
    /// allow), retention periods the service does not offer, policy
    /// documents without statements.
    fn problems(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A resource tag (`Key`/`Value`), as most resource types take them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The tag key.
    pub key: Expr,
    /// The tag value.
    pub value: Expr,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<Expr>, value: impl Into<Expr>) -> Self {
        Tag { key: key.into(), value: value.into() }
    }
}

/// The `Fn::GetAtt` attributes of the resource types this crate models, as
/// CloudFormation's resource reference lists them; `None` for other types
/// (custom resources define their own). Validation uses it to reject an
/// untyped [`Expr::get_att`] that CloudFormation would reject.
pub fn attributes_of(resource_type: &str) -> Option<&'static [&'static str]> {
    Some(match resource_type {
        kms::Key::TYPE => &["Arn", "KeyId"],
        kms::Alias::TYPE | s3::BucketPolicy::TYPE => &[],
        s3::Bucket::TYPE => &[
            "Arn",
            "DomainName",
            "DualStackDomainName",
            "RegionalDomainName",
            "WebsiteURL",
            "MetadataConfiguration.Destination",
            "MetadataConfiguration.InventoryTableConfiguration.TableArn",
            "MetadataConfiguration.InventoryTableConfiguration.TableName",
            "MetadataConfiguration.JournalTableConfiguration.TableArn",
            "MetadataConfiguration.JournalTableConfiguration.TableName",
            "MetadataTableConfiguration.S3TablesDestination.TableArn",
            "MetadataTableConfiguration.S3TablesDestination.TableNamespace",
        ],
        logs::LogGroup::TYPE => &["Arn"],
        iam::Role::TYPE => &["Arn", "RoleId"],
        iam::ManagedPolicy::TYPE => &[
            "PolicyArn",
            "AttachmentCount",
            "CreateDate",
            "DefaultVersionId",
            "IsAttachable",
            "PermissionsBoundaryUsageCount",
            "PolicyId",
            "UpdateDate",
        ],
        iam::Policy::TYPE => &["Id"],
        lambda::Function::TYPE => {
            &["Arn", "SnapStartResponse", "SnapStartResponse.ApplyOn", "SnapStartResponse.OptimizationStatus"]
        }
        ssm::Parameter::TYPE => &["Arn", "Type", "Value"],
        _ => return None,
    })
}

/// Implements [`Resource`] for a struct with a fixed type name.
macro_rules! resource_type {
    ($t:ty, $name:literal) => {
        impl $t {
            /// The CloudFormation type name of this resource.
            pub const TYPE: &'static str = $name;
        }
        impl $crate::resources::Resource for $t {
            fn resource_type(&self) -> String {
                $name.to_string()
            }
        }
    };
    ($t:ty, $name:literal, $check:path) => {
        impl $t {
            /// The CloudFormation type name of this resource.
            pub const TYPE: &'static str = $name;
        }
        impl $crate::resources::Resource for $t {
            fn resource_type(&self) -> String {
                $name.to_string()
            }
            fn problems(&self) -> Vec<String> {
                $check(self)
            }
        }
    };
}
pub(crate) use resource_type;
