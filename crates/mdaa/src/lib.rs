#![doc = include_str!("../README.md")]

mod diagnostic;
mod estate;
mod files;
mod include;
mod keypath;
mod keys;
mod locate;
mod merge;
mod naming;
mod placeholder;
mod resolved;
mod source;
mod strategy;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use estate::{Estate, ModuleInstance, ModulePath, ModuleType, Select};
pub use files::{ConfigFile, Files};
pub use include::MAX_INCLUDED_BYTES;
pub use keypath::{KeyPath, Seg};
pub use keys::{markdown_table as key_table, Disposition, KeySpec, Level, Shape};
pub use locate::{Position, SourceIndex};
pub use merge::{lodash_merge, merge_module_configs, overlay};
pub use naming::{
    hash_code_hex, validate_resource_name, MdaaNaming, NameError, BUCKET_NAME_MAX, FUNCTION_NAME_MAX,
    KMS_ALIAS_MAX, MANAGED_POLICY_NAME_MAX, ROLE_NAME_MAX,
};
pub use placeholder::{
    no_env, partition_of, process_env, resolve, resolve_str, Context, EnvVars, Scope, Sourced,
};
pub use resolved::{ssm_parameter_logical_id, DeployValue, Part, Resolved, Text};
pub use source::{SourceFile, CONFIG_BOUNDS, ESTATE_BOUNDS};
pub use strategy::MdaaStrategy;
