//! `AWS::Lambda::Function`.

use indexmap::IndexMap;
use serde::Serialize;
use serde_with::skip_serializing_none;

use super::{resource_type, Tag};
use crate::names;
use crate::{Expr, Handle};

/// `AWS::Lambda::Function`. Build one with [`Function::new`] and struct
/// update syntax, as `Code` and `Role` have no sensible default.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Function {
    /// `FunctionName`.
    pub function_name: Option<Expr>,
    /// `Description`.
    pub description: Option<Expr>,
    /// `Runtime`, such as `python3.13`.
    pub runtime: Option<Expr>,
    /// `Handler`, such as `index.handler`.
    pub handler: Option<Expr>,
    /// `Code`.
    pub code: Code,
    /// `Role`: the execution role's ARN.
    pub role: Expr,
    /// `Timeout` in seconds (at most 900).
    pub timeout: Option<u32>,
    /// `MemorySize` in MB.
    pub memory_size: Option<u32>,
    /// `Architectures`: `x86_64` or `arm64`.
    pub architectures: Option<Vec<Expr>>,
    /// `Environment`.
    pub environment: Option<Environment>,
    /// `KmsKeyArn`: the key that encrypts the environment variables.
    pub kms_key_arn: Option<Expr>,
    /// `LoggingConfig`: where and how the function logs.
    pub logging_config: Option<LoggingConfig>,
    /// `ReservedConcurrentExecutions`.
    pub reserved_concurrent_executions: Option<u32>,
    /// `Tags`.
    pub tags: Option<Vec<Tag>>,
}
resource_type!(Function, "AWS::Lambda::Function", names::function_problems);

impl Function {
    /// A function of this code and execution role, everything else unset.
    pub fn new(code: Code, role: Expr) -> Self {
        Function {
            function_name: None,
            description: None,
            runtime: None,
            handler: None,
            code,
            role,
            timeout: None,
            memory_size: None,
            architectures: None,
            environment: None,
            kms_key_arn: None,
            logging_config: None,
            reserved_concurrent_executions: None,
            tags: None,
        }
    }
}

impl Handle<Function> {
    /// The function's ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Expr {
        self.get_att("Arn")
    }

    /// The function's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.r#ref()
    }
}

/// `Code`: inline source or an S3 object.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Code {
    /// `ZipFile`: inline source (Node.js and Python), written as `index.<ext>`.
    pub zip_file: Option<Expr>,
    /// `S3Bucket`.
    #[serde(rename = "S3Bucket")]
    pub s3_bucket: Option<Expr>,
    /// `S3Key`.
    #[serde(rename = "S3Key")]
    pub s3_key: Option<Expr>,
}

impl Code {
    /// Inline source code.
    pub fn inline(source: impl Into<String>) -> Self {
        Code { zip_file: Some(Expr::Str(source.into())), ..Code::default() }
    }
}

/// `Environment`.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Environment {
    /// `Variables`.
    pub variables: IndexMap<String, Expr>,
}

/// `LoggingConfig`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct LoggingConfig {
    /// `LogGroup`: the name of the log group the function writes to.
    pub log_group: Option<Expr>,
    /// `LogFormat`: `Text` or `JSON`.
    pub log_format: Option<Expr>,
    /// `ApplicationLogLevel` (JSON format only).
    pub application_log_level: Option<Expr>,
    /// `SystemLogLevel` (JSON format only).
    pub system_log_level: Option<Expr>,
}
