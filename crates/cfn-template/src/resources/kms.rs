//! `AWS::KMS::Key` and `AWS::KMS::Alias`.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::{resource_type, Tag};
use crate::policy::PolicyDocument;
use crate::{names, values};
use crate::{Expr, Handle};

/// `AWS::KMS::Key`: a KMS key.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Key {
    /// `Description`.
    pub description: Option<Expr>,
    /// `Enabled`.
    pub enabled: Option<bool>,
    /// `EnableKeyRotation`: yearly automatic rotation of key material.
    pub enable_key_rotation: Option<bool>,
    /// `KeyPolicy`: required by CloudFormation.
    pub key_policy: PolicyDocument,
    /// `KeySpec`, such as `SYMMETRIC_DEFAULT`.
    pub key_spec: Option<Expr>,
    /// `KeyUsage`, such as `ENCRYPT_DECRYPT`.
    pub key_usage: Option<Expr>,
    /// `MultiRegion`.
    pub multi_region: Option<bool>,
    /// `PendingWindowInDays`: 7 to 30.
    pub pending_window_in_days: Option<u32>,
    /// `Tags`.
    pub tags: Option<Vec<Tag>>,
}
resource_type!(Key, "AWS::KMS::Key", key_problems);

fn key_problems(k: &Key) -> Vec<String> {
    values::empty_policy_problem("KeyPolicy", &k.key_policy).into_iter().collect()
}

impl Handle<Key> {
    /// The key's ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Expr {
        self.get_att("Arn")
    }

    /// The key's ID (`Fn::GetAtt KeyId`).
    pub fn key_id(&self) -> Expr {
        self.get_att("KeyId")
    }
}

/// `AWS::KMS::Alias`: a friendly name for a key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Alias {
    /// `AliasName`: starts with `alias/`, not `alias/aws/`.
    pub alias_name: Expr,
    /// `TargetKeyId`: the key's ID or ARN.
    pub target_key_id: Expr,
}
resource_type!(Alias, "AWS::KMS::Alias", names::alias_problems);

impl Handle<Alias> {
    /// The alias name (`Ref`).
    pub fn name(&self) -> Expr {
        self.r#ref()
    }
}
