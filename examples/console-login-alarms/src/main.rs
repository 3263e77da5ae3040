//! `console-login-alarms`: the module's CLI (`--config`, `--output`, `--check`, `--schema`, ...).

use clap::Parser;

/// Synthesizes the module's template.
#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    synth: module_kit::cli::SynthArgs,
}

fn main() -> std::process::ExitCode {
    module_kit::cli::run(&Cli::parse().synth, &[&console_login_alarms::ConsoleLoginAlarms])
}
