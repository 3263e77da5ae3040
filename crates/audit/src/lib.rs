//! MDAA's `audit` module: a KMS-encrypted bucket that collects CloudTrail
//! logs and S3 inventories from the source accounts and regions, Athena
//! tables over them, and read access for the configured roles, as one
//! self-contained CloudFormation template.
//!
//! Built on the workspace's public API alone: the module kit for the
//! configuration, the building blocks for the key, bucket and custom
//! resources, the typed L1 for the Glue tables.
//!
//! ```
//! let config = audit::parse_config("sourceRegions: [eu-west-1]\n", "audit.yaml").unwrap();
//! let json = audit::synthesize(&config).to_json().unwrap();
//! assert!(json.contains("\"cloudtrail_audit\""));
//!
//! let mut in_code = audit::Config::default();
//! in_code.source_accounts.push("12345".into());
//! let err = audit::validate(in_code).unwrap_err();
//! assert!(err.to_string().contains("`sourceAccounts[0]`: `12345` is not an account ID"));
//! ```

mod assemble;
mod check;
mod config;
mod exceptions;
mod glue;
mod predecessor;
mod readers;
mod values;

use cfn_constructs::NamingStrategy;
use cfn_template::Template;
use module_kit::{Checked, ConfigErrors, Module, Problems};

pub use assemble::{synthesize, synthesize_with};
pub use check::{MAX_INVENTORIES, MAX_READ_ROLES, MAX_SOURCE_ACCOUNTS, MAX_SOURCE_REGIONS};
pub use config::{Config, Inventory, RoleBy, RoleRef, DEFAULT_CONFIG_YAML, DEFAULT_INVENTORY_PREFIX};
pub use predecessor::MDAA_CONSTRUCT_PATHS;
pub use readers::ROLE_REFERENCE_TYPE;

/// The role resolver's handler, embedded byte for byte as its inline code (`index.py`).
pub const HANDLER_SOURCE: &str = include_str!("../handler/index.py");

/// The module, as the kit and the `synth` CLI know it (`--module audit`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Audit;

/// A configuration that passed the module's checks.
pub type CheckedConfig = Checked<Audit>;

impl Module for Audit {
    type Config = Config;

    fn name(&self) -> &'static str {
        "audit"
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
pub fn parse_config(source: &str, file: &str) -> Result<CheckedConfig, ConfigErrors> {
    module_kit::load(&Audit, source, file)
}

/// Checks a configuration built in code by the same rules as a file.
pub fn validate(config: Config) -> Result<CheckedConfig, ConfigErrors> {
    module_kit::validate(&Audit, config)
}

/// The JSON Schema (draft-07) of the configuration: what `schema/audit.schema.json` holds.
pub fn json_schema() -> String {
    module_kit::json_schema::<Config>()
}
