//! The module kit: what every module of the workspace shares.
//!
//! - [`load`] reads a YAML configuration into a module's config type, with
//!   errors that give the file, line and column, the key, what was
//!   expected and a suggestion ("did you mean"), for keys and for values;
//!   repeated keys, tags, a second document, and inputs too large or
//!   nested too deep are refused (see [`limits`]).
//! - [`validate`] checks a configuration built in code by the same rules.
//!   Both return a [`Checked`] config, the only kind a [`Module`]
//!   synthesizes.
//! - [`json_schema`] gives the JSON Schema (draft-07) of a config type.
//! - [`cli`] is the `synth` command line every module shares.
//!
//! A module is a config type and a [`Module`] implementation; its binary
//! entry hands its parsed [`cli::SynthArgs`] to [`cli::run`] with the
//! modules it serves.

pub mod cli;
mod decode;
mod error;
pub mod escape;
pub mod limits;
mod module;
mod path;
mod position;
mod problems;
mod schema;
mod sources;
pub mod suggest;
pub mod tags;
mod yaml;

pub use decode::decode;
pub use error::{ConfigError, ConfigErrors};
pub use limits::{MAX_INLINE_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES};
pub use module::{load, load_value, validate, AnyModule, Checked, Module, IN_CODE};
pub use path::{KeyPath, Segment};
pub use problems::{Problem, Problems};
pub use schema::json_schema;
pub use sources::Sources;
