//! `AWS::Logs::LogGroup`.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::{resource_type, Tag};
use crate::{names, values};
use crate::{Expr, Handle};

/// `AWS::Logs::LogGroup`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct LogGroup {
    /// `LogGroupName`: up to 512 characters.
    pub log_group_name: Option<Expr>,
    /// `KmsKeyId`: the ARN of the key that encrypts the log data.
    pub kms_key_id: Option<Expr>,
    /// `RetentionInDays`: absent means never expire.
    pub retention_in_days: Option<u32>,
    /// `LogGroupClass`: `STANDARD` or `INFREQUENT_ACCESS`.
    pub log_group_class: Option<Expr>,
    /// `Tags`.
    pub tags: Option<Vec<Tag>>,
}
resource_type!(LogGroup, "AWS::Logs::LogGroup", problems);

fn problems(g: &LogGroup) -> Vec<String> {
    let mut p = names::log_group_problems(g);
    p.extend(values::log_retention_problem(g.retention_in_days));
    p
}

impl Handle<LogGroup> {
    /// The log group's ARN (`Fn::GetAtt Arn`, ending in `:*`).
    pub fn arn(&self) -> Expr {
        self.get_att("Arn")
    }

    /// The log group's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.r#ref()
    }
}
