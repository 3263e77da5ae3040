//! A Lambda function with inline Python code that backs custom resources.

use cfn_template::policy::Statement;
use cfn_template::resources::kms::Key;
use cfn_template::resources::lambda::function::{Code, LoggingConfig};
use cfn_template::resources::lambda::Function;
use cfn_template::resources::CustomResource;
use cfn_template::{Attributes, Expr, Handle};

use crate::arn::log_stream_arn;
use crate::suppress::{record_exception, CONFUSED_DEPUTY_CONDITIONS};
use crate::{EncryptedLogGroup, RetentionDays, ServiceRole, Stack};

/// The Lambda Python runtime the functions use: the newest that Lambda offers
/// in every partition a template may be deployed to (aws, aws-cn, aws-us-gov);
/// new runtimes reach aws-cn and aws-us-gov after the aws partition.
pub const PYTHON_RUNTIME: &str = "python3.14";

/// CloudFormation's inline code limit (`ZipFile`), in bytes.
const INLINE_CODE_LIMIT: usize = 4096 * 1024;

/// The function, its role and its log group, as added to a template.
#[derive(Debug, Clone)]
pub struct CustomResourceFunction {
    /// The function.
    pub function: Handle<Function>,
    /// Its execution role and policy.
    pub role: ServiceRole,
    /// The log group it writes to.
    pub log_group: EncryptedLogGroup,
    /// Its timeout, in seconds.
    pub timeout: u32,
}

/// Builds a [`CustomResourceFunction`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the function to a template"]
pub struct CustomResourceFunctionBuilder {
    id: String,
    function_name: Expr,
    role_name: Expr,
    policy_name: Expr,
    log_group_name: Expr,
    source: String,
    key: Handle<Key>,
    statements: Vec<Statement>,
    timeout: u32,
    memory: u32,
    log_retention: RetentionDays,
    description: String,
}

impl CustomResourceFunction {
    /// A function `<id>Function` running `source` (Python, `index.handler`)
    /// inline, so the template needs no asset bucket. Its role grants only
    /// what [`CustomResourceFunctionBuilder::allow`] adds plus writing to
    /// its own log group, which is encrypted with `key` and has a retention.
    /// Writing through `LoggingConfig` to a log group the template creates
    /// means the role needs no permission to create log groups.
    ///
    /// Logical IDs: `<id>Function`, its role `<id>FunctionRole` with the
    /// managed policy `<id>FunctionPolicy`, and its log group `<id>FunctionLogGroup`.
    #[allow(clippy::new_ret_no_self, clippy::too_many_arguments)]
    pub fn new(
        id: impl Into<String>,
        function_name: Expr,
        role_name: Expr,
        policy_name: Expr,
        log_group_name: Expr,
        source: impl Into<String>,
        key: &Handle<Key>,
    ) -> CustomResourceFunctionBuilder {
        CustomResourceFunctionBuilder {
            id: id.into(),
            function_name,
            role_name,
            policy_name,
            log_group_name,
            source: source.into(),
            key: key.clone(),
            statements: Vec::new(),
            timeout: 300,
            memory: 256,
            log_retention: RetentionDays::new(365).expect("365 is a CloudWatch Logs retention"),
            description: String::new(),
        }
    }
}

impl CustomResourceFunctionBuilder {
    /// Grants the function a permission.
    pub fn allow(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// Sets the timeout in seconds (default 300; at most 900).
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = seconds.clamp(1, 900);
        self
    }

    /// Sets the retention of the function's own logs (default 365 days).
    pub fn log_retention(mut self, days: RetentionDays) -> Self {
        self.log_retention = days;
        self
    }

    /// Describes the function.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = d.into();
        self
    }

    /// Adds the log group, the role and the function.
    ///
    /// # Panics
    /// When the source is larger than CloudFormation accepts inline.
    pub fn build(self, s: &mut impl Stack) -> CustomResourceFunction {
        assert!(
            self.source.len() <= INLINE_CODE_LIMIT,
            "inline function code is over CloudFormation's limit"
        );
        let log_group =
            EncryptedLogGroup::new(format!("{}Function", self.id), self.log_group_name.clone(), &self.key)
                .retention(Some(self.log_retention))
                .build(s);
        let mut role = ServiceRole::new(
            format!("{}Function", self.id),
            self.role_name,
            self.policy_name,
            // The same principal in every partition, China included.
            "lambda.amazonaws.com".into(),
            None,
        )
        .description(format!("Execution role of {}", self.id))
        .allow(
            Statement::allow()
                .sid("WriteOwnLogs")
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(log_stream_arn(&self.log_group_name, "*")),
        );
        for s in self.statements {
            role = role.allow(s);
        }
        let role = role.build(s);
        record_exception(
            s.template(),
            &role.role,
            CONFUSED_DEPUTY_CONDITIONS,
            "Lambda assumes a function's execution role on its own behalf and passes no \
             aws:SourceAccount/aws:SourceArn that could scope the trust to one function; only principals \
             allowed iam:PassRole on this role can attach it to a function.",
        );
        let function = s.add_resource(
            &format!("{}Function", self.id),
            Function {
                function_name: Some(self.function_name),
                description: (!self.description.is_empty()).then(|| self.description.into()),
                runtime: Some(PYTHON_RUNTIME.into()),
                handler: Some("index.handler".into()),
                timeout: Some(self.timeout.into()),
                memory_size: Some(self.memory.into()),
                logging_config: Some(LoggingConfig {
                    log_group: Some(log_group.log_group.r#ref()),
                    log_format: Some("JSON".into()),
                    application_log_level: Some("INFO".into()),
                    system_log_level: Some("WARN".into()),
                }),
                ..Function::new(
                    Code { zip_file: Some(self.source.into()), ..Code::default() },
                    role.role.arn(),
                )
            },
            // The role's policy must be attached before the function can log.
            Attributes::new().depends_on(&role.policy),
        );
        CustomResourceFunction { function, role, log_group, timeout: self.timeout }
    }
}

impl CustomResourceFunction {
    /// Grants the function a permission, once it exists.
    pub fn add_to_policy(&self, s: &mut impl Stack, statement: Statement) {
        self.role.add_to_policy(s, statement);
    }

    /// A custom resource `Custom::<type_suffix>` served by this function.
    ///
    /// CloudFormation waits for its answer no longer than the function can
    /// run plus a minute (`ServiceTimeout`), instead of its default hour: a
    /// function that dies before it can answer fails the stack operation
    /// quickly.
    pub fn resource(&self, type_suffix: &str) -> CustomResource {
        CustomResource::new(type_suffix, self.function.arn()).service_timeout((self.timeout + 60).min(3600))
    }
}
