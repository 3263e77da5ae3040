//! `synth graph`: a stack's resources and the references between them.

use std::path::PathBuf;
use std::process::ExitCode;

use cfn_diff::{Graph, Template};
use module_kit::cli::{exit_code, print, read_input, template_of, Failure, Outcome, SynthArgs};
use module_kit::AnyModule;

/// The options of `synth graph`.
#[derive(Debug, Clone, clap::Args)]
pub struct GraphArgs {
    /// The template (JSON or YAML); without it, what the configuration synthesizes
    #[arg(value_name = "TEMPLATE", conflicts_with_all = ["config", "module"])]
    template: Option<PathBuf>,

    /// Draw the template of this configuration
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,

    /// The module of --config [default: bedrock-settings]
    #[arg(long, short, value_name = "NAME")]
    module: Option<String>,

    /// mermaid (renders in pull requests and Markdown) or dot (Graphviz)
    #[arg(long, short, default_value = "mermaid", value_parser = ["mermaid", "dot"])]
    format: String,
}

fn graph(args: &GraphArgs, modules: &[&dyn AnyModule]) -> Result<String, Failure> {
    let template = match &args.template {
        Some(path) => {
            let bytes = read_input(path, "the template")?;
            let name = path.display().to_string();
            let text =
                String::from_utf8(bytes).map_err(|_| Failure(format!("error: {name}: is not UTF-8 text")))?;
            Template::parse(&name, &text).map_err(|e| Failure(format!("error: {e}")))?
        }
        None => {
            let synth = SynthArgs {
                module: args.module.clone(),
                config: args.config.clone(),
                ..SynthArgs::default()
            };
            let (template, file) = template_of(&synth, modules)?;
            let json = template.to_json().map_err(|e| Failure(format!("error: {file}: {e}")))?;
            Template::parse(&file, &json).map_err(|e| Failure(format!("error: {e}")))?
        }
    };
    let g = Graph::of(&template);
    Ok(if args.format == "dot" { g.dot() } else { g.mermaid() })
}

/// Runs `synth graph`.
pub fn run(args: &GraphArgs, modules: &[&dyn AnyModule]) -> ExitCode {
    exit_code(graph(args, modules).and_then(|text| print(text.as_bytes())).map(|()| Outcome::Done))
}
