//! `synth mdaa-switch DEPLOYED`: the first of the two deployments that move
//! a stack MDAA deployed to the template `synth --mdaa` writes for it. It is
//! the deployed template with every custom resource retained
//! (`DeletionPolicy` and `UpdateReplacePolicy` `Retain`), and nothing else
//! changed, so deploying it changes no resource.
//!
//! Why: MDAA's bedrock-settings custom resource turns the account's logging
//! off when CloudFormation deletes it, and a custom resource's service token
//! cannot change, so synth's template has a custom resource of its own
//! beside it. Deployed directly over MDAA's stack, CloudFormation would
//! delete MDAA's resource after putting synth's configuration, and logging
//! would be off. Retained, it is only forgotten when the second deployment
//! removes it. MDAA's other custom resources (the role references of its
//! audit module) are retained for the same reason: their Delete runs code
//! that the new template does not need.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cfn_diff::Template;
use module_kit::cli::{exit_code, print, read_input, write_output, Failure, Outcome};
use serde_json::Value;

/// The options of `synth mdaa-switch`.
#[derive(Debug, Clone, clap::Args)]
pub struct SwitchArgs {
    /// The template the stack has now, as `aws cloudformation get-template` gives it (JSON)
    #[arg(value_name = "DEPLOYED")]
    deployed: PathBuf,

    /// Write the template here (atomically, like synth's --output) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Whether a resource type is a custom resource, whose Delete runs code.
fn is_custom(resource_type: &str) -> bool {
    resource_type.starts_with("Custom::") || resource_type == "AWS::CloudFormation::CustomResource"
}

/// The deployed template with its custom resources retained, and their
/// logical IDs; an error when it has none (not a template MDAA's modules
/// with custom resources wrote) or is not a JSON template.
pub fn retain_custom_resources(name: &str, text: &str) -> Result<(String, Vec<String>), String> {
    // Bounded, and a template: the reader `synth diff` uses says where it is not.
    Template::parse(name, text).map_err(|e| format!("error: {e}"))?;
    let mut template: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "error: {}: is not JSON ({e})\n  help: MDAA's stacks are deployed as JSON: \
             `aws cloudformation get-template --stack-name STACK --query TemplateBody` gives it",
            module_kit::escape::text(name)
        )
    })?;
    let resources = template
        .get_mut("Resources")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("error: {}: has no `Resources` mapping", module_kit::escape::text(name)))?;
    let mut retained = Vec::new();
    for (id, resource) in resources.iter_mut() {
        let Some(r) = resource.as_object_mut() else { continue };
        if !r.get("Type").and_then(Value::as_str).is_some_and(is_custom) {
            continue;
        }
        r.insert("DeletionPolicy".into(), "Retain".into());
        r.insert("UpdateReplacePolicy".into(), "Retain".into());
        retained.push(id.clone());
    }
    if retained.is_empty() {
        return Err(format!(
            "error: {}: has no custom resource to retain\n  help: give the template of a stack \
             MDAA deployed for bedrock-settings (or audit with role references); a stack without \
             custom resources switches in one deployment of the template `synth --mdaa` writes",
            module_kit::escape::text(name)
        ));
    }
    let mut out = serde_json::to_string_pretty(&template).expect("a JSON value serializes");
    out.push('\n');
    Ok((out, retained))
}

fn switch(args: &SwitchArgs) -> Result<Outcome, Failure> {
    let bytes = read_input(&args.deployed, "the deployed template")?;
    let name = args.deployed.display().to_string();
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure(format!("error: {}: is not UTF-8 text", module_kit::escape::text(&name))))?;
    let (out, retained) = retain_custom_resources(&name, &text).map_err(Failure)?;
    match &args.output {
        Some(path) => write_output(path, out.as_bytes(), &[Path::new(&args.deployed)])
            .map_err(|e| Failure(format!("error: {}: {e}", module_kit::escape::path(path))))?,
        None => print(out.as_bytes())?,
    }
    eprintln!(
        "retained {} custom resource(s): {}; deploy this template first, then the one synth --mdaa writes",
        retained.len(),
        module_kit::escape::text(&retained.join(", "))
    );
    Ok(Outcome::Done)
}

/// Runs `synth mdaa-switch`: exit 0 with the template written, 2 on error.
pub fn run(args: &SwitchArgs) -> ExitCode {
    exit_code(switch(args))
}
