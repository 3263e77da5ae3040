//! The `synth` command: the template of a module's configuration, the
//! semantic diff and graph of templates (`synth diff`, `synth graph`), and
//! the MDAA drop-in (`synth --mdaa`, and `synth mdaa-switch` for stacks MDAA
//! deployed). The binary is `src/main.rs`; this
//! library holds its parts, for the benchmarks and tests.

pub mod diff;
pub mod graph;
pub mod mdaa;
pub mod mdaa_switch;
mod outdir;
mod parallel;
mod sha256;

use audit::Audit;
use bedrock_settings::BedrockSettings;
use module_kit::AnyModule;

/// The modules this synth serves; the first is the default.
pub const MODULES: &[&dyn AnyModule] = &[&BedrockSettings, &Audit];

/// The Rust examples of README.md, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
