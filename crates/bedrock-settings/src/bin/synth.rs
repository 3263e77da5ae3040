//! `synth`: writes the CloudFormation template of a module's configuration
//! (bedrock-settings unless `--module` says otherwise).

use std::process::ExitCode;

use audit::Audit;
use bedrock_settings::BedrockSettings;
use clap::Parser;
use module_kit::cli::SynthArgs;

const EXAMPLES: &str = "\
Examples:
  synth > template.json
      The default configuration (S3 and CloudWatch Logs) as JSON on stdout.
  synth --config bedrock-settings.yaml --output template.json
      Your configuration, written atomically to template.json.
  synth --config bedrock-settings.yaml --format yaml
      The same template in YAML with short-form intrinsics.
  synth --config bedrock-settings.yaml --check template.json
      Exit 1 when template.json is not what this configuration synthesizes.
  synth --config bedrock-settings.yaml --validate
      Check the configuration only.
  synth --schema > bedrock-settings.schema.json
      The configuration's JSON Schema, for editor completion.
  synth --module audit --config audit.yaml --output audit.json
      Another module: MDAA's audit bucket for CloudTrail logs and S3 inventories.

Then deploy:
  aws cloudformation deploy --template-file template.json \\
      --stack-name bedrock-settings --capabilities CAPABILITY_NAMED_IAM

Modules: bedrock-settings (the default), audit.
Exit codes: 0 success, 1 --check found a difference, 2 error.";

/// Synthesizes the CloudFormation template that turns on Amazon Bedrock
/// model invocation audit logging, from a module configuration.
#[derive(Debug, Parser)]
#[command(name = "synth", version, after_help = EXAMPLES)]
struct Cli {
    #[command(flatten)]
    synth: SynthArgs,
}

fn main() -> ExitCode {
    // clap itself exits with 2 on usage errors, matching the documented codes.
    module_kit::cli::run(&Cli::parse().synth, &[&BedrockSettings, &Audit])
}
