//! The bedrock-settings module: Amazon Bedrock model invocation audit
//! logging as one self-contained CloudFormation template.
//!
//! A configuration is read from YAML ([`parse_config`]) or built in code
//! and checked ([`validate`]); only a checked one synthesizes:
//!
//! ```
//! let config = bedrock_settings::parse_config(bedrock_settings::DEFAULT_CONFIG_YAML, "<default>").unwrap();
//! let template = bedrock_settings::synthesize(&config);
//! let json = template.to_json().unwrap();
//! assert!(json.contains("Custom::BedrockInvocationLogging"));
//!
//! let mut in_code = bedrock_settings::Config::default();
//! let err = bedrock_settings::validate(in_code.clone()).unwrap_err();
//! assert!(err.to_string().contains("`enableAuditLoggingToS3`: no destination is on"));
//! in_code.enable_audit_logging_to_s3 = true;
//! let checked = bedrock_settings::validate(in_code).unwrap();
//! assert!(bedrock_settings::synthesize(&checked).to_json().unwrap().contains("AWS::S3::Bucket"));
//! ```

mod analytics;
mod assemble;
mod check;
mod check_analytics;
mod config;
mod data_protection;
mod exceptions;
mod insights;
mod monitoring;
mod object_lock;
mod predecessor;
mod ssm_limits;

use cfn_constructs::NamingStrategy;
use cfn_template::Template;
use module_kit::{Checked, Module, Problems};

pub use analytics::{HOUR_PARTITION, TABLE};
pub use assemble::{synthesize, synthesize_with};
pub use config::{
    CloudwatchDataProtection, Config, CountAlarm, DataDelivery, LogAnalytics, LogInsights, ModelTokenAlarm,
    ObjectLockMode, PercentileAlarm, RecommendedAlarms, S3Lifecycle, S3ObjectLock, SecurityFilters,
    TokenThresholds, TokenUsageAlarms, TpmQuota, DEFAULT_ALARM_PERIOD_SECONDS, DEFAULT_BYTES_SCANNED_CUTOFF,
    DEFAULT_CONFIG_YAML, DEFAULT_DATA_IDENTIFIERS, DEFAULT_FINDINGS_RETENTION_DAYS, DEFAULT_LOGS_SINCE,
    DEFAULT_PROMPT_INJECTION_PHRASES, DEFAULT_QUERY_RESULTS_EXPIRE_AFTER_DAYS, DEFAULT_QUOTA_PERCENT,
    DEFAULT_SENSITIVE_DATA_PHRASES, DEFAULT_SERVER_ERROR_THRESHOLD, DEFAULT_SSM_PREFIX,
    DEFAULT_THROTTLE_THRESHOLD,
};
pub use module_kit::{ConfigError, ConfigErrors, MAX_INLINE_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES};
pub use predecessor::{MDAA_CONSTRUCT_PATHS, MDAA_CUSTOM_RESOURCE};

/// The custom-resource handler, embedded byte for byte as the function's
/// inline code (`index.py`).
pub const HANDLER_SOURCE: &str = include_str!("../handler/index.py");

/// What the handler gains in the templates of stacks MDAA deployed, appended
/// to [`HANDLER_SOURCE`]: Create adopts the configuration MDAA's custom
/// resource put to the stack's own stores, and Delete puts it back while
/// that resource is still in the stack (a switch rolled back). Kept apart so
/// that other templates stay within the 51,200 bytes deployed inline.
pub const ADOPT_SOURCE: &str = include_str!("../handler/adopt.py");

/// The module, as the kit and the `synth` CLI know it (`--module bedrock-settings`).
#[derive(Debug, Clone, Copy, Default)]
pub struct BedrockSettings;

/// A configuration that passed the module's checks.
pub type CheckedConfig = Checked<BedrockSettings>;

impl Module for BedrockSettings {
    type Config = Config;

    fn name(&self) -> &'static str {
        "bedrock-settings"
    }

    fn default_config_yaml(&self) -> &'static str {
        DEFAULT_CONFIG_YAML
    }

    fn check(&self, config: &Config, problems: &mut Problems) {
        check::check(config, problems);
    }

    fn synthesize_with(&self, config: &CheckedConfig, naming: &dyn NamingStrategy) -> Template {
        synthesize_with(config, naming)
    }
}

/// Parses and checks a configuration. `file` names it in errors.
///
/// ```
/// let config = bedrock_settings::parse_config("enableAuditLoggingToS3: true\n", "my.yaml").unwrap();
/// assert!(config.enable_audit_logging_to_s3);
/// let err = bedrock_settings::parse_config("enableAuditLogingToS3: true\n", "my.yaml").unwrap_err();
/// assert!(err.to_string().contains("did you mean `enableAuditLoggingToS3`?"));
/// ```
pub fn parse_config(source: &str, file: &str) -> Result<CheckedConfig, ConfigErrors> {
    module_kit::load(&BedrockSettings, source, file)
}

/// Checks a configuration built in code by the same rules as a file;
/// errors name the key path.
pub fn validate(config: Config) -> Result<CheckedConfig, ConfigErrors> {
    module_kit::validate(&BedrockSettings, config)
}

/// The JSON Schema (draft-07) of the configuration, as pretty JSON with a
/// trailing newline: what `schema/bedrock-settings.schema.json` holds.
pub fn json_schema() -> String {
    module_kit::json_schema::<Config>()
}
