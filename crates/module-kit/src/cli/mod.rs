//! The `synth` command line every module shares.
//!
//! A binary flattens [`SynthArgs`] into its own clap parser and hands it to
//! [`run`] with the modules it serves; the first is the default. Later
//! subcommands go beside the default invocation as an optional clap
//! subcommand, so `synth --config c.yaml` keeps working:
//!
//! ```
//! use clap::{Parser, Subcommand};
//! use module_kit::cli::SynthArgs;
//!
//! /// Synthesizes CloudFormation templates.
//! #[derive(Parser)]
//! #[command(name = "synth", args_conflicts_with_subcommands = true)]
//! struct Cli {
//!     #[command(flatten)]
//!     synth: SynthArgs,
//!     #[command(subcommand)]
//!     tool: Option<Tool>,
//! }
//!
//! #[derive(Subcommand)]
//! enum Tool {
//!     /// Shows the resources of a template and their references.
//!     Graph { template: std::path::PathBuf },
//! }
//!
//! let plain = Cli::try_parse_from(["synth", "--config", "c.yaml", "--format", "yaml"]).unwrap();
//! assert!(plain.tool.is_none());
//! assert_eq!(plain.synth.config.as_deref(), Some(std::path::Path::new("c.yaml")));
//! let graph = Cli::try_parse_from(["synth", "graph", "t.json"]).unwrap();
//! assert!(matches!(graph.tool, Some(Tool::Graph { .. })));
//! ```
//!
//! Exit codes: 0 success, 1 `--check` found a difference, 2 error (the
//! message on stderr, nothing on stdout).

#[cfg(unix)]
mod descriptor;
mod input;
mod output;
mod signals;
mod wait;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use crate::escape;
use crate::limits::{bytes, MAX_INLINE_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES};
use crate::module::AnyModule;

pub use input::{read_bytes, FileKind, ReadError};
pub use output::OutputError;
pub use signals::{hold as hold_signals, Held, TempDir, TempFile};

/// The options of the default invocation: synthesize one module's template.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SynthArgs {
    /// The module to synthesize [default: the first listed by --help]
    #[arg(long, short, value_name = "NAME")]
    pub module: Option<String>,

    /// The module configuration (YAML). Without it, the module's default configuration
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The template's format
    #[arg(long, short, value_enum, default_value_t = Format::Json)]
    pub format: Format,

    /// Write the template to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE", conflicts_with_all = ["check", "schema", "validate"])]
    pub output: Option<PathBuf>,

    /// Compare FILE with what would be synthesized: exit 0 when equal, 1 when not
    #[arg(long, value_name = "FILE", conflicts_with_all = ["schema", "validate"])]
    pub check: Option<PathBuf>,

    /// Print the configuration's JSON Schema and exit
    #[arg(long, conflicts_with_all = ["config", "validate"])]
    pub schema: bool,

    /// Check the configuration without synthesizing
    #[arg(long)]
    pub validate: bool,

    /// Write a template over the 51,200 bytes `aws cloudformation deploy` takes inline; deploy it with --s3-bucket
    #[arg(long)]
    pub large_template: bool,
}

/// A template format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    #[default]
    Json,
    /// YAML with short-form intrinsics.
    Yaml,
}

// By hand rather than derived: derived values carry their doc comments as
// help, which turns `--help` into its long, one-option-per-paragraph layout.
impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Json, Format::Yaml]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }))
    }
}

/// How a run that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done: exit 0.
    Done,
    /// `--check` found a difference: exit 1.
    Differs,
}

/// A failed run: the message for stderr, exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

/// Says how a committed template differs from the one synthesized (the
/// old text, the new text, the committed file's name), for `--check` to
/// print; `Ok(None)` when it cannot say more than that they differ, and
/// `Err` (a failure, exit 2) when the committed file is refused as a
/// template (too large, nested too deep, an alias bomb, a repeated key).
pub type ExplainDifference<'a> = &'a dyn Fn(&[u8], &[u8], &str) -> Result<Option<String>, Failure>;

/// Runs the default invocation and turns its outcome into the exit code,
/// printing a failure's message on stderr.
pub fn run(args: &SynthArgs, modules: &[&dyn AnyModule]) -> ExitCode {
    run_with(args, modules, None)
}

/// [`run`], with a way for `--check` to explain a difference.
pub fn run_with(
    args: &SynthArgs,
    modules: &[&dyn AnyModule],
    explain: Option<ExplainDifference<'_>>,
) -> ExitCode {
    exit_code(synth_with(args, modules, explain))
}

/// The exit code of an outcome, printing a failure's message on stderr.
pub fn exit_code(result: Result<Outcome, Failure>) -> ExitCode {
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Differs) => ExitCode::from(1),
        Err(Failure(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// The module `--module` names, or the first.
pub fn pick<'m>(name: Option<&str>, modules: &[&'m dyn AnyModule]) -> Result<&'m dyn AnyModule, Failure> {
    let Some(name) = name else {
        return modules.first().copied().ok_or_else(|| Failure("error: this synth serves no module".into()));
    };
    if let Some(m) = modules.iter().find(|m| m.name() == name) {
        return Ok(*m);
    }
    let names: Vec<&str> = modules.iter().map(|m| m.name()).collect();
    let mut message =
        format!("error: no module `{}`\n  expected: {}", escape::text(name), crate::suggest::one_of(&names));
    if let Some(best) = crate::suggest::did_you_mean(name, &names) {
        message.push_str(&format!("\n  help: did you mean `{best}`?"));
    }
    Err(Failure(message))
}

/// The default invocation: read, check, synthesize, then print, write or
/// compare the template.
pub fn synth(args: &SynthArgs, modules: &[&dyn AnyModule]) -> Result<Outcome, Failure> {
    synth_with(args, modules, None)
}

/// Reads a file given on the command line the way `--config` is read
/// (bounded, waiting on a FIFO with a note, refusing devices and sockets).
pub fn read_input(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    input::read(path, what).map(|i| i.bytes).map_err(|e| Failure(e.describe(path, what)))
}

/// The template of the module and configuration `args` names, and the
/// configuration's name for messages: what the default invocation writes.
pub fn template_of(
    args: &SynthArgs,
    modules: &[&dyn AnyModule],
) -> Result<(cfn_template::Template, String), Failure> {
    let module = pick(args.module.as_deref(), modules)?;
    let (text, file, _) = config_text(args, module)?;
    let template = module.synthesize_yaml(&text, &file).map_err(|e| Failure(e.to_string()))?;
    Ok((template, file))
}

/// The configuration's text, its name for messages, and the identity of
/// the file it came from (which `--output` must not overwrite).
fn config_text(
    args: &SynthArgs,
    module: &dyn AnyModule,
) -> Result<(String, String, Vec<input::Identity>), Failure> {
    Ok(match &args.config {
        Some(path) => {
            let input = input::read(path, "the configuration")
                .map_err(|e| Failure(e.describe(path, "the configuration")))?;
            let file = path.display().to_string();
            let text = crate::decode(&input.bytes, &file).map_err(|e| Failure(e.to_string()))?;
            (text, file, input.identity.into_iter().collect())
        }
        None => (module.default_config_yaml().to_string(), "<default configuration>".to_string(), Vec::new()),
    })
}

/// [`synth`], with a way for `--check` to explain a difference.
pub fn synth_with(
    args: &SynthArgs,
    modules: &[&dyn AnyModule],
    explain: Option<ExplainDifference<'_>>,
) -> Result<Outcome, Failure> {
    let module = pick(args.module.as_deref(), modules)?;
    if args.schema {
        print(module.json_schema().as_bytes())?;
        return Ok(Outcome::Done);
    }
    let (text, file, protect) = config_text(args, module)?;
    if args.validate {
        module.validate_yaml(&text, &file).map_err(|e| Failure(e.to_string()))?;
        eprintln!("{}: the configuration is valid", escape::text(&file));
        return Ok(Outcome::Done);
    }
    let template = module.synthesize_yaml(&text, &file).map_err(|e| Failure(e.to_string()))?;
    let body = match args.format {
        Format::Json => template.to_json(),
        Format::Yaml => template.to_yaml(),
    }
    .map_err(|e| Failure(format!("error: the synthesized template is invalid: {e}")))?;
    within_limits(body.len(), args.large_template)?;
    if let Some(path) = &args.check {
        return check(path, body.as_bytes(), &file, explain);
    }
    match &args.output {
        Some(path) => output::write(path, body.as_bytes(), &protect).map_err(|e| Failure(e.to_string()))?,
        None => print(body.as_bytes())?,
    }
    Ok(Outcome::Done)
}

/// Refuses a template CloudFormation would not take, and one over the
/// inline limit unless `--large-template` says it goes through S3.
fn within_limits(len: usize, large_template: bool) -> Result<(), Failure> {
    if len > MAX_TEMPLATE_BYTES {
        return Err(Failure(format!(
            "error: the template is {}, over the {} CloudFormation accepts even from S3",
            bytes(len),
            bytes(MAX_TEMPLATE_BYTES)
        )));
    }
    if len > MAX_INLINE_TEMPLATE_BYTES {
        let over = format!(
            "the template is {}, over the {} that `aws cloudformation deploy` accepts without --s3-bucket",
            bytes(len),
            bytes(MAX_INLINE_TEMPLATE_BYTES)
        );
        if !large_template {
            return Err(Failure(format!(
                "error: {over}\n  help: shorten the configuration (tags are repeated on every resource), or pass --large-template and deploy with `aws cloudformation deploy --s3-bucket BUCKET`"
            )));
        }
        eprintln!("note: {over}: deploy it with `aws cloudformation deploy --s3-bucket BUCKET ...`");
    }
    Ok(())
}

/// `--check`: exit 0 when `path` holds exactly `body`, 1 when not, with
/// what the difference does when `explain` can say.
fn check(
    path: &Path,
    body: &[u8],
    file: &str,
    explain: Option<ExplainDifference<'_>>,
) -> Result<Outcome, Failure> {
    let what = "the template to check";
    let current = input::read(path, what).map_err(|e| Failure(e.describe(path, what)))?;
    if current.bytes == body {
        return Ok(Outcome::Done);
    }
    if let Some(explain) = explain {
        if let Some(explanation) = explain(&current.bytes, body, &path.display().to_string())? {
            print(explanation.as_bytes())?;
        }
    }
    eprintln!(
        "{}: differs from what {} synthesizes; run synth with --output to update it",
        escape::path(path),
        escape::text(file)
    );
    Ok(Outcome::Differs)
}

/// Writes to stdout, a closed pipe or full disk being a failure, not a
/// panic, and so is a stdout closed when synth started (`>&-`), which the
/// standard library would otherwise have turned into `/dev/null`.
pub fn print(s: &[u8]) -> Result<(), Failure> {
    #[cfg(unix)]
    if descriptor::closed_at_start(1) {
        return Err(Failure(
            "error: cannot write to stdout: it is closed\n  help: run synth with stdout open (without `>&-`): onto a terminal, a file (`> FILE`) or a pipe".into(),
        ));
    }
    let mut out = std::io::stdout().lock();
    out.write_all(s)
        .and_then(|()| out.flush())
        .map_err(|e| Failure(format!("error: cannot write to stdout: {e}")))
}

/// Writes `body` to `path` the way `--output` does (see the module's
/// documentation of outputs); `inputs` are files it must not overwrite,
/// such as the configuration just read.
pub fn write_output(path: &Path, body: &[u8], inputs: &[&Path]) -> Result<(), OutputError> {
    let protect: Vec<input::Identity> = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .filter_map(|m| input::Identity::of(&m))
        .collect();
    output::write(path, body, &protect)
}
