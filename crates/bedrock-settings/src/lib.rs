//! The bedrock-settings module: Amazon Bedrock model invocation audit
//! logging as one self-contained CloudFormation template.
//!
//! ```
//! let config = bedrock_settings::parse_config(bedrock_settings::DEFAULT_CONFIG_YAML, "<default>").unwrap();
//! let template = bedrock_settings::synthesize(&config);
//! let json = template.to_json().unwrap();
//! assert!(json.contains("Custom::BedrockInvocationLogging"));
//! ```

mod assemble;
mod config;
mod error;
mod exceptions;
mod load;
mod locate;

pub use assemble::{synthesize, synthesize_with};
pub use config::{json_schema, Config, DataDelivery, S3Lifecycle, DEFAULT_CONFIG_YAML, DEFAULT_SSM_PREFIX};
pub use error::{ConfigError, ConfigErrors};
pub use load::parse_config;

/// The custom-resource handler, embedded byte for byte as the function's
/// inline code (`index.py`).
pub const HANDLER_SOURCE: &str = include_str!("../handler/index.py");

/// The largest template body `aws cloudformation deploy` accepts without an
/// S3 bucket to upload it through.
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;
