//! `synth`: writes the CloudFormation template of a module's configuration
//! (bedrock-settings unless `--module` says otherwise); `synth diff` says
//! what a template change does to the stack; `synth graph` draws a stack.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use module_kit::cli::SynthArgs;
use synth::{diff, graph, mdaa, mdaa_switch, MODULES};

const EXAMPLES: &str = "\
Examples:
  synth > template.json
      The default configuration (S3 and CloudWatch Logs) as JSON on stdout.
  synth --config bedrock-settings.yaml --output template.json
      Your configuration, written atomically to template.json.
  synth --config bedrock-settings.yaml --format yaml
      The same template in YAML with short-form intrinsics.
  synth --config bedrock-settings.yaml --check template.json
      Exit 1 when template.json is not what this configuration synthesizes, and say what differs.
  synth --config bedrock-settings.yaml --validate
      Check the configuration only.
  synth --schema > bedrock-settings.schema.json
      The configuration's JSON Schema, for editor completion.
  synth --module audit --config audit.yaml --output audit.json
      Another module: MDAA's audit bucket for CloudTrail logs and S3 inventories.
  synth diff old.json new.json --format markdown
      What changing old.json into new.json does to the stack, for a pull request.
  synth diff --config bedrock-settings.yaml template.json --fail-on replacement
      What deploying this configuration over template.json does; exit 3 if it replaces a resource.
  synth graph template.json > stack.mmd
      The stack's resources and their references, as Mermaid.
  synth --mdaa mdaa.yaml --out-dir out
      The templates MDAA would deploy for the estate's instances of these modules, with MDAA's names.
  synth mdaa-switch deployed.json --output step1.json
      A stack MDAA deployed, its custom resources retained: deploy it before synth --mdaa's template.

Then deploy:
  aws cloudformation deploy --template-file template.json \\
      --stack-name bedrock-settings --capabilities CAPABILITY_NAMED_IAM

Modules: bedrock-settings (the default), audit.
Exit codes: 0 success (diff: no difference), 1 --check or diff found a difference,
2 error, 3 diff found a change --fail-on names.";

/// Synthesizes the CloudFormation template that turns on Amazon Bedrock
/// model invocation audit logging, from a module configuration.
#[derive(Debug, Parser)]
#[command(name = "synth", version, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(flatten)]
    synth: SynthArgs,

    #[command(flatten)]
    mdaa: mdaa::MdaaArgs,

    #[command(subcommand)]
    tool: Option<Tool>,
}

#[derive(Debug, Subcommand)]
enum Tool {
    /// What a template change does to the stack: replacements, orphaned retained resources, renames, security
    Diff(diff::DiffArgs),
    /// The stack's resources and the references between them, as Mermaid or DOT
    Graph(graph::GraphArgs),
    /// Step 1 of moving a stack MDAA deployed to synth --mdaa's template: its template with custom resources retained
    MdaaSwitch(mdaa_switch::SwitchArgs),
}

fn main() -> ExitCode {
    // clap itself exits with 2 on usage errors, matching the documented codes.
    let cli = Cli::parse();
    match &cli.tool {
        None if cli.mdaa.mdaa.is_some() => mdaa::run(&cli.mdaa, MODULES),
        None => module_kit::cli::run_with(&cli.synth, MODULES, Some(&diff::explain)),
        Some(Tool::Diff(args)) => diff::run(args, MODULES),
        Some(Tool::Graph(args)) => graph::run(args, MODULES),
        Some(Tool::MdaaSwitch(args)) => mdaa_switch::run(args),
    }
}
