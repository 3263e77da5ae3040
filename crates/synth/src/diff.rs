//! `synth diff`: the semantic diff of two templates, or of a committed
//! template and what a configuration synthesizes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use cfn_diff::{FailOn, Format, Graph, ParseError, RenderOptions, Template};
use module_kit::cli::{exit_code, print, read_input, template_of, Failure, Outcome, SynthArgs};
use module_kit::AnyModule;

/// The options of `synth diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The old template (JSON or YAML); with --config, the committed template
    #[arg(value_name = "OLD")]
    old: PathBuf,

    /// The new template (JSON or YAML); without it, what the configuration synthesizes
    #[arg(value_name = "NEW")]
    new: Option<PathBuf>,

    /// Compare OLD with the template of this configuration
    #[arg(long, short, value_name = "FILE", conflicts_with = "new")]
    config: Option<PathBuf>,

    /// The module of --config [default: bedrock-settings]
    #[arg(long, short, value_name = "NAME", conflicts_with = "new")]
    module: Option<String>,

    /// The report: text for a terminal, markdown for a pull-request comment, json for tools
    #[arg(long, short, default_value = "text", value_parser = parse_format)]
    format: Format,

    /// No colours, even on a terminal
    #[arg(long)]
    no_color: bool,

    /// Exit 3 when the diff has such a change: replacement, security (repeatable)
    #[arg(long, value_name = "KIND", value_parser = parse_fail_on)]
    fail_on: Vec<FailOn>,

    /// Include the Mermaid graph of the stack in the Markdown report
    #[arg(long)]
    graph: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    s.parse()
}

/// A template file, parsed.
fn read_template(path: &std::path::Path) -> Result<(Template, String), Failure> {
    let bytes = read_input(path, "the template")?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|_| Failure(format!("error: {name}: is not UTF-8 text")))?;
    let t = Template::parse(&name, &text).map_err(|e| Failure(format!("error: {e}")))?;
    Ok((t, text))
}

fn diff(args: &DiffArgs, modules: &[&dyn AnyModule]) -> Result<i32, Failure> {
    let (old, _) = read_template(&args.old)?;
    let new = match &args.new {
        Some(path) => read_template(path)?.0,
        None => {
            let synth = SynthArgs {
                module: args.module.clone(),
                config: args.config.clone(),
                ..SynthArgs::default()
            };
            let (template, file) = template_of(&synth, modules)?;
            let json = template.to_json().map_err(|e| Failure(format!("error: {file}: {e}")))?;
            Template::parse(&format!("{file} (synthesized)"), &json)
                .map_err(|e| Failure(format!("error: {e}")))?
        }
    };
    let d = cfn_diff::diff(&old, &new);
    let color = args.format == Format::Text
        && !args.no_color
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal();
    let mermaid =
        (args.graph && args.format == Format::Markdown).then(|| Graph::of_diff(&old, &new, &d).mermaid());
    let report = cfn_diff::render(&d, args.format, &RenderOptions { color, mermaid });
    print(report.as_bytes())?;
    Ok(d.exit_status(&args.fail_on))
}

/// Runs `synth diff`: exit 0 without difference, 1 with, 3 with a change
/// `--fail-on` names, 2 on error.
pub fn run(args: &DiffArgs, modules: &[&dyn AnyModule]) -> ExitCode {
    match diff(args, modules) {
        Ok(status) => ExitCode::from(u8::try_from(status).unwrap_or(2)),
        Err(e) => exit_code(Err::<Outcome, _>(e)),
    }
}

/// What `--check` prints when the committed template differs: the same
/// report as `synth diff`, in text. A committed template refused by the
/// reading bounds (too large, too deep, an alias bomb, a repeated key) is
/// a failure; one that does not parse otherwise just differs, and
/// rewriting it with `--output` is the fix either way.
pub fn explain(committed: &[u8], synthesized: &[u8], name: &str) -> Result<Option<String>, Failure> {
    let (Ok(old), Ok(new)) = (std::str::from_utf8(committed), std::str::from_utf8(synthesized)) else {
        return Ok(None);
    };
    match cfn_diff::diff_texts(name, old, "synthesized", new) {
        Ok(d) => Ok((!d.is_empty()).then(|| cfn_diff::render(&d, Format::Text, &RenderOptions::default()))),
        Err(e @ ParseError::Refused(_)) => {
            Err(Failure(format!("error: {e}\n  help: run synth with --output to rewrite it")))
        }
        Err(_) => Ok(None),
    }
}
