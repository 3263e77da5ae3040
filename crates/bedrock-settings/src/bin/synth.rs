//! `synth`: writes the bedrock-settings CloudFormation template.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bedrock_settings::{
    json_schema, parse_config, synthesize, DEFAULT_CONFIG_YAML, MAX_INLINE_TEMPLATE_BYTES,
};
use clap::{Parser, ValueEnum};

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

Then deploy:
  aws cloudformation deploy --template-file template.json \\
      --stack-name bedrock-settings --capabilities CAPABILITY_NAMED_IAM

Exit codes: 0 success, 1 --check found a difference, 2 error.";

/// Synthesizes the CloudFormation template that turns on Amazon Bedrock
/// model invocation audit logging, from a module configuration.
#[derive(Debug, Parser)]
#[command(name = "synth", version, after_help = EXAMPLES)]
struct Args {
    /// The module configuration (YAML). Without it, both destinations are on.
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,

    /// The template's format.
    #[arg(long, short, value_enum, default_value_t = Format::Json)]
    format: Format,

    /// Write the template to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE", conflicts_with_all = ["check", "schema", "validate"])]
    output: Option<PathBuf>,

    /// Compare FILE with what would be synthesized: exit 0 when equal, 1 when not.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["schema", "validate"])]
    check: Option<PathBuf>,

    /// Print the configuration's JSON Schema and exit.
    #[arg(long, conflicts_with_all = ["config", "validate"])]
    schema: bool,

    /// Check the configuration without synthesizing.
    #[arg(long)]
    validate: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Yaml,
}

/// An error to report on stderr, with the exit code 2.
struct Failure(String);

fn main() -> ExitCode {
    // clap itself exits with 2 on usage errors, matching the documented codes.
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, Failure> {
    if args.schema {
        print(&json_schema())?;
        return Ok(ExitCode::SUCCESS);
    }
    let (source, file) = match &args.config {
        Some(path) => {
            let source = std::fs::read_to_string(path).map_err(|e| {
                Failure(format!("error: {}: cannot read the configuration: {e}", path.display()))
            })?;
            (source, path.display().to_string())
        }
        None => (DEFAULT_CONFIG_YAML.to_string(), "<default configuration>".to_string()),
    };
    let config = parse_config(&source, &file).map_err(|e| Failure(e.to_string()))?;
    if args.validate {
        eprintln!("{file}: the configuration is valid");
        return Ok(ExitCode::SUCCESS);
    }
    let template = synthesize(&config);
    let body = match args.format {
        Format::Json => template.to_json(),
        Format::Yaml => template.to_yaml(),
    }
    .map_err(|e| Failure(format!("error: {e}")))?;
    if body.len() > MAX_INLINE_TEMPLATE_BYTES {
        eprintln!(
            "warning: the template is {} bytes, over the {MAX_INLINE_TEMPLATE_BYTES} that `aws cloudformation deploy` accepts without --s3-bucket",
            body.len()
        );
    }
    if let Some(path) = &args.check {
        let current = std::fs::read_to_string(path).map_err(|e| {
            Failure(format!("error: {}: cannot read the template to check: {e}", path.display()))
        })?;
        if current == body {
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{}: differs from what {file} synthesizes; run synth with --output to update it",
            path.display()
        );
        return Ok(ExitCode::from(1));
    }
    match &args.output {
        Some(path) => write_atomically(path, &body)?,
        None => print(&body)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print(s: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure(format!("error: cannot write to stdout: {e}")))
}

/// Writes through a temporary file in the same directory, renamed into
/// place: a failed run leaves an existing file as it was and no temporary
/// file behind.
fn write_atomically(path: &Path, body: &str) -> Result<(), Failure> {
    let fail =
        |e: std::io::Error| Failure(format!("error: {}: cannot write the template: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".synth-").suffix(".tmp").tempfile_in(dir).map_err(fail)?;
    tmp.write_all(body.as_bytes()).and_then(|()| tmp.as_file().sync_all()).map_err(fail)?;
    // A temporary file is private (0600); the template keeps the mode of the
    // file it replaces, or gets the usual 0644 when new.
    match std::fs::metadata(path) {
        Ok(existing) => tmp.as_file().set_permissions(existing.permissions()).map_err(fail)?,
        Err(_) => set_new_file_mode(tmp.as_file()).map_err(fail)?,
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn set_new_file_mode(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

/// Elsewhere a temporary file already has a new file's permissions.
#[cfg(not(unix))]
fn set_new_file_mode(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}
