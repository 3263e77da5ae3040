//! `synth --mdaa mdaa.yaml --out-dir DIR`: the templates MDAA would deploy
//! for the module instances of an estate whose module this synth has, with
//! MDAA's names, written at `DIR/<domain>/<env>/<module>.json` beside a
//! `manifest.json`; instances of other modules are listed as skipped.
//!
//! Every instance is read and synthesized before anything is written, in
//! parallel, each template streamed to a staging folder inside DIR whose
//! files are moved into place at the end: a failed run leaves DIR as it
//! was. DIR may hold only an earlier run's output, as its manifest records
//! it (see [`crate::outdir`]).

mod coerce;
mod nag;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cfn_constructs::{PermissionsBoundary, Tags};
use cfn_template::Template;
use mdaa::{Estate, Files, MdaaStrategy, ModuleInstance, Resolved};
use module_kit::cli::{exit_code, Failure, Outcome};
use module_kit::{AnyModule, ConfigError, ConfigErrors, KeyPath, Sources};

use crate::outdir;
use serde_json::{json, Map, Value};

/// The options of the MDAA drop-in.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MdaaArgs {
    /// Synthesize the modules of an MDAA deployment config (mdaa.yaml) instead of one module
    #[arg(long, value_name = "MDAA_YAML", requires = "out_dir", conflicts_with_all = ["config", "module", "output", "check", "schema", "validate"])]
    pub mdaa: Option<PathBuf>,

    /// Where --mdaa writes the templates and manifest.json (a new or empty folder, or one holding only an earlier --mdaa output)
    #[arg(long, value_name = "DIR", requires = "mdaa")]
    pub out_dir: Option<PathBuf>,
}

/// The MDAA package names of the modules this synth has.
fn module_for<'k, 'm>(package: &str, modules: &'k [Known<'m>]) -> Option<&'k Known<'m>> {
    let name = package.strip_prefix("@aws-mdaa/")?;
    modules.iter().find(|m| m.module.name() == name)
}

/// A `module_path` as mdaa.yaml writes it.
fn module_path(p: &mdaa::ModulePath) -> String {
    match p {
        mdaa::ModulePath::Package { name, version: Some(v) } => format!("{name}@{v}"),
        mdaa::ModulePath::Package { name, version: None } => name.clone(),
        mdaa::ModulePath::Local(path) => path.display().to_string(),
    }
}

/// MDAA's module-config keys every module takes, and what becomes of them.
const COMMON_KEYS: [&str; 3] = ["nag_suppressions", "service_catalog_product_config", "sagemakerBlueprint"];

/// What one instance became.
enum Outcome1 {
    /// Its template, written to the staging folder at this relative path,
    /// with the SHA-256 of its content, and what is worth a warning.
    Written { template: String, sources: Vec<String>, bytes: usize, sha256: String, warnings: Vec<String> },
    /// A module this synth does not have.
    Skipped { reason: String },
}

/// `mdaa` key paths as the kit's.
fn kit_path(p: &mdaa::KeyPath) -> KeyPath {
    let mut out = KeyPath::root();
    for s in p.segments() {
        out = match s {
            mdaa::Seg::Key(k) => out.key(k),
            mdaa::Seg::Index(i) => out.index(i),
        };
    }
    out
}

fn diagnostics_to_errors(d: mdaa::Diagnostics) -> Vec<String> {
    d.0.into_iter().map(|e| e.to_string()).collect()
}

/// A resolved config as the module reads it: deploy-time pieces in MDAA's
/// syntax (`{{account}}` where the mdaa.yaml fixes no account, `ssm:NAME`),
/// for the module to honour or refuse where it stands.
fn render(resolved: &Resolved) -> Value {
    let yaml = resolved.to_value_with(&|t| yaml_serde::Value::String(t.to_placeholders()));
    serde_json::to_value(yaml).unwrap_or(Value::Null)
}

/// What a deploy-time placeholder left in a module config stands for, and
/// how the mdaa.yaml makes it a literal.
fn deploy_time_help(e: &ConfigError) -> Option<&'static str> {
    let text = format!("{} {}", e.problem, e.expected.as_deref().unwrap_or(""));
    [
        ("{{account}}", "the mdaa.yaml fixes no account for this instance, so `{{account}}` is the deploying account, known only at deploy time: set `account:` on its environment or domain"),
        ("{{region}}", "the mdaa.yaml fixes no region for this instance, so `{{region}}` is the deploying region, known only at deploy time: set `region:` on its environment or domain"),
        ("{{partition}}", "the mdaa.yaml fixes no region for this instance, so `{{partition}}` is known only at deploy time: set `region:` on its environment or domain"),
    ]
    .into_iter()
    .find(|(p, _)| text.contains(p))
    .map(|(_, help)| help)
}

/// A module of this synth, with its configuration's JSON Schema.
struct Known<'m> {
    module: &'m dyn AnyModule,
    schema: Value,
}

/// Synthesizes one instance; its template is written to `staging`.
fn synthesize(
    estate: &Estate,
    read: &Files,
    inst: &ModuleInstance,
    modules: &[Known],
    staging: &Path,
) -> Result<Outcome1, Vec<String>> {
    // Names from the mdaa.yaml are shown escaped: they may hold anything.
    let entry = module_kit::escape::text(&format!(
        "  in: {} ({})",
        inst.key(),
        estate
            .file()
            .locate(&inst.entry)
            .map(|(l, c)| format!("{}:{l}:{c}", estate.file().name()))
            .unwrap_or_default()
    ))
    .into_owned();
    let with_entry =
        |errors: Vec<String>| errors.into_iter().map(|e| format!("{e}\n{entry}")).collect::<Vec<_>>();
    let Some(package) = inst.module_path.package() else {
        return Ok(Outcome1::Skipped { reason: "not an npm module".into() });
    };
    if inst.module_type == mdaa::ModuleType::Terraform {
        return Ok(Outcome1::Skipped { reason: "a Terraform module".into() });
    }
    let Some(Known { module, schema }) = module_for(package, modules).filter(|_| inst.selected) else {
        return Ok(Outcome1::Skipped { reason: format!("{package} is not a module of this synth") });
    };
    if let Err(e) = inst.naming().resource_name(None, None) {
        return Err(with_entry(vec![module_kit::escape::text(&format!(
            "error: {}: {e}",
            estate.file().name()
        ))
        .into_owned()]));
    }
    let scope = estate.scope(inst, &mdaa::process_env);
    let mut sources = Sources::new();
    let mut resolved = Vec::new();
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for f in &inst.module_configs {
        // Every file was read and parsed once, before any instance.
        let Some(mdaa::ConfigFile { file, value }) = read.get(&f.value) else {
            errors.push(format!("error: {}: was not read", module_kit::escape::path(&f.value)));
            continue;
        };
        files.push(file.name().to_string());
        if let Err(e) = sources.add_file_with_tags(file.name(), file.text(), &["!include"]) {
            errors.push(e.to_string());
            continue;
        }
        match mdaa::resolve(value, &mdaa::KeyPath::root(), file, &scope) {
            Ok(r) => resolved.push(r),
            Err(e) => errors.extend(diagnostics_to_errors(e)),
        }
    }
    let inline = match estate.resolve_inline(inst, &mdaa::process_env) {
        Ok(r) => r,
        Err(e) => {
            errors.extend(diagnostics_to_errors(e));
            Resolved::Null
        }
    };
    if !inst.module_config_data.is_empty() {
        let under = kit_path(&inst.entry).key("module_config_data");
        if let Err(e) = sources.add_part(estate.file().name(), estate.file().text(), under) {
            errors.push(e.to_string());
        }
    }
    if !errors.is_empty() {
        return Err(with_entry(errors));
    }
    let merged = mdaa::overlay(mdaa::merge_module_configs(resolved), inline);
    let mut config = render(&merged);

    // MDAA's keys of every module config.
    let mut suppressions = Vec::new();
    let here = |p: &KeyPath| {
        let (file, at) = sources.position(p);
        ConfigError::new(&file, "").key(p.to_string()).at(at)
    };
    if let Some(m) = config.as_object_mut() {
        for key in COMMON_KEYS {
            let Some(v) = m.shift_remove(key) else { continue };
            let p = KeyPath::root().key(key);
            match key {
                "nag_suppressions" => match nag::read(&v, &here) {
                    Ok(s) => suppressions = s,
                    Err(mut e) => {
                        e.problem = "cannot read these suppressions".into();
                        errors.push(e.to_string());
                    }
                },
                _ => {
                    let mut e = here(&p);
                    e.problem = "deploys through AWS Service Catalog or SageMaker, which a template of its own cannot".into();
                    errors.push(
                        e.help("remove it: deploy the template this synth writes as it is").to_string(),
                    );
                }
            }
        }
    }
    // Text where the schema wants a boolean, a number or a list, as MDAA converts it.
    coerce::like_mdaa(&mut config, schema);
    let naming = MdaaStrategy::new(inst.naming());
    let mut template: Template = match module.synthesize_value(config, &sources, &naming) {
        Ok(t) if errors.is_empty() => t,
        Ok(_) => return Err(with_entry(errors)),
        Err(ConfigErrors(e)) => {
            errors.extend(e.into_iter().map(|e| match deploy_time_help(&e) {
                Some(help) if e.help.is_none() => e.help(help).to_string(),
                _ => e.to_string(),
            }));
            return Err(with_entry(errors));
        }
    };
    stack_description(&mut template, inst);
    // Each resource as added and as written: under MDAA's names, the CDK logical ID of its
    // construct path in MDAA's app.
    let ids: Vec<(String, String)> = template
        .resources()
        .iter()
        .map(|r| (r.logical_id().to_string(), template.written_id(r.logical_id()).to_string()))
        .collect();
    let matched = nag::match_paths(suppressions, &inst.stack_name(), &ids);
    for (at, problem, expected, help) in matched.errors {
        let mut e = here(&at);
        e.problem = problem;
        let e = e.expected(expected);
        errors.push(
            match help {
                Some(h) => e.help(h),
                None => e,
            }
            .to_string(),
        );
    }
    let mut warnings = Vec::new();
    for (at, problem) in matched.warnings {
        let (file, position) = sources.position(&at);
        let w = mdaa::Diagnostic::warning(file, problem).at(position).key(at.to_string());
        warnings.push(format!("{w}\n{entry}"));
    }
    if let Some(boundary) = &inst.permissions_boundary_arn {
        match boundary_arn(&boundary.value) {
            Ok(()) => template.add_aspect(PermissionsBoundary::new(boundary.value.as_str())),
            Err(expected) => errors.push(
                estate
                    .file()
                    .error(&boundary.at, format!("`{}` is not a managed policy ARN", boundary.value))
                    .expected(expected)
                    .to_string(),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(with_entry(errors));
    }
    template.add_aspect(matched.suppressions);
    template.add_aspect(Tags(instance_tags(estate, read, inst).map_err(with_entry)?));

    let json = template.to_json().map_err(|e| {
        with_entry(vec![module_kit::escape::text(&format!("error: {}: {e}", inst.label())).into_owned()])
    })?;
    let relative = format!("{}/{}/{}.json", inst.domain, inst.env, inst.name);
    let path = staging.join(&relative);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(path.parent().expect("a file in a folder"))?;
        std::fs::File::create(&path)?.write_all(json.as_bytes())
    };
    write().map_err(|e| vec![format!("error: {}: cannot write: {e}", module_kit::escape::path(&path))])?;
    let sha256 = crate::sha256::hex(json.as_bytes());
    Ok(Outcome1::Written { template: relative, sources: files, bytes: json.len(), sha256, warnings })
}

/// Whether `arn` is a customer or AWS managed policy's ARN, the only
/// boundary IAM takes; the expected form otherwise.
fn boundary_arn(arn: &str) -> Result<(), &'static str> {
    let ok = arn.strip_prefix("arn:").and_then(|rest| rest.split_once(":iam::")).is_some_and(
        |(partition, rest)| {
            let partition_ok = partition.starts_with("aws")
                && partition.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            let (account, policy) = rest.split_once(":policy/").unwrap_or(("", ""));
            let account_ok =
                account == "aws" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
            partition_ok && account_ok && !policy.is_empty() && !policy.contains("{{")
        },
    );
    if ok {
        Ok(())
    } else {
        Err("`arn:<partition>:iam::<account>:policy/<path/><name>`, the ARN of the managed policy that bounds every role")
    }
}

/// The SSM parameter MDAA's app adds to every stack, `/org/domain/module/aws-solution`,
/// holding the stack's description, at MDAA's logical ID.
fn stack_description(template: &mut Template, inst: &ModuleInstance) {
    let description = template.description().unwrap_or_default().to_string();
    let parameter = cfn_template::resources::ssm::Parameter {
        name: Some(inst.naming().ssm_path("aws-solution").into()),
        description: Some("The description of this stack, as MDAA publishes it in every stack".into()),
        ..cfn_template::resources::ssm::Parameter::new("String", description)
    };
    template.add("StackDescriptionParameter", parameter);
    let id = cfn_constructs::cdk_logical_id("StackDescriptionParameter/Resource");
    template.rename_logical_id("StackDescriptionParameter", &id).expect("an ID no module gives");
}

/// The tags MDAA puts on every resource of an instance: its tag files, its
/// `tag_config_data`, and MDAA's own; held to AWS's tag rules, as a module's
/// own tags are, each problem reported where the tag is written.
fn instance_tags(
    estate: &Estate,
    read: &Files,
    inst: &ModuleInstance,
) -> Result<indexmap::IndexMap<String, String>, Vec<String>> {
    // Each tag with where its value is written: a file and a key path in it.
    let mut tags: indexmap::IndexMap<String, (String, &mdaa::SourceFile, mdaa::KeyPath)> =
        indexmap::IndexMap::new();
    let mut errors = Vec::new();
    for f in &inst.tag_configs {
        let Some(mdaa::ConfigFile { file, value }) = read.get(&f.value) else {
            errors.push(format!("error: {}: was not read", module_kit::escape::path(&f.value)));
            continue;
        };
        // A tag file holds its tags under `tags:`, as MDAA reads it.
        match value.get("tags").and_then(yaml_serde::Value::as_mapping) {
            Some(m) => {
                for (k, v) in m {
                    let key = match k {
                        yaml_serde::Value::String(k) => k.clone(),
                        other => serde_json::to_string(other).unwrap_or_default(),
                    };
                    let value = match v {
                        yaml_serde::Value::String(v) => v.clone(),
                        other => serde_json::to_string(other).unwrap_or_default(),
                    };
                    let at = mdaa::KeyPath::root().key("tags").key(key.as_str());
                    tags.insert(key, (value, file, at));
                }
            }
            None => errors.push(
                mdaa::Diagnostic::error(file.name(), "a tag file holds its tags as a mapping under `tags:`")
                    .expected("`tags:` with one `key: value` per tag")
                    .to_string(),
            ),
        }
    }
    match estate.resolve_tags(inst, &mdaa::process_env) {
        Ok(data) => {
            for (k, t) in data {
                let at =
                    inst.tag_config_data.get(&k).map(|s| s.at.clone()).unwrap_or_else(|| inst.entry.clone());
                match t.as_literal() {
                    Some(v) => {
                        tags.insert(k, (v.to_string(), estate.file(), at));
                    }
                    None => errors.push(
                        estate
                            .file()
                            .error(&at, format!("tag `{k}` is known only at deploy time"))
                            .expected("text known when synth runs: tags are written as text")
                            .to_string(),
                    ),
                }
            }
        }
        Err(e) => errors.extend(diagnostics_to_errors(e)),
    }
    for (k, v) in inst.mdaa_tags().unwrap_or_default() {
        tags.insert(k, (v, estate.file(), inst.entry.clone()));
    }
    let problems = module_kit::tags::tag_problems(tags.iter().map(|(k, (v, _, _))| (k.as_str(), v.as_str())));
    for p in problems {
        let (file, at) = match p.key.as_deref().and_then(|k| tags.get(k)) {
            Some((_, file, at)) => (*file, at.clone()),
            // The number of tags: where the instance is written.
            None => (estate.file(), inst.entry.clone()),
        };
        let mut d = file.error(&at, format!("MDAA tag: {}", p.problem)).expected(p.expected);
        if let Some(help) = p.help {
            d = d.help(help);
        }
        errors.push(d.to_string());
    }
    if errors.is_empty() {
        Ok(tags.into_iter().map(|(k, (v, _, _))| (k, v)).collect())
    } else {
        Err(errors)
    }
}

/// `path` as seen from `base`, so that a manifest names its sources the
/// same on every machine (`../shared/x.yaml` where it lies outside).
fn relative_to(path: &Path, base: &Path) -> String {
    let canonical =
        |p: &Path| std::fs::canonicalize(if p.as_os_str().is_empty() { Path::new(".") } else { p });
    let (Ok(path_c), Ok(base_c)) = (canonical(path), canonical(base)) else {
        return path.display().to_string();
    };
    let (p, b): (Vec<_>, Vec<_>) = (path_c.components().collect(), base_c.components().collect());
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out.display().to_string()
}

/// What a run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Templates written.
    pub templates: usize,
    /// Instances of modules this synth does not have.
    pub skipped: usize,
    /// Warnings about keys and values that change nothing here, as printed.
    pub warnings: Vec<String>,
}

fn run_estate(args: &MdaaArgs, modules: &[&dyn AnyModule]) -> Result<Written, Failure> {
    let (Some(mdaa_yaml), Some(out_dir)) = (&args.mdaa, &args.out_dir) else {
        return Err(Failure("error: --mdaa needs --out-dir".into()));
    };
    let known: Vec<Known> = modules
        .iter()
        .map(|&module| Known {
            module,
            schema: serde_json::from_str(&module.json_schema()).unwrap_or(Value::Null),
        })
        .collect();
    // Only the modules this synth has are read in full: the others are MDAA's to judge.
    let ours = |p: &mdaa::ModulePath| p.package().is_some_and(|p| module_for(p, &known).is_some());
    let estate =
        Estate::read_for(mdaa_yaml, &ours).map_err(|d| Failure(diagnostics_to_errors(d).join("\n")))?;
    let mut warnings: Vec<String> = estate.warnings.iter().map(ToString::to_string).collect();
    let with_warnings =
        |warnings: &[String], errors: String| Failure([warnings, &[errors]].concat().join("\n"));
    let read =
        Files::read(&estate).map_err(|d| with_warnings(&warnings, diagnostics_to_errors(d).join("\n")))?;
    // Checked before anything is written: DIR holds only an earlier output.
    let previous = match std::fs::symlink_metadata(out_dir) {
        Ok(_) => outdir::check(out_dir)?,
        Err(_) => outdir::Previous { files: Vec::new(), dirs: Vec::new() },
    };
    let target = outdir::Target::prepare(out_dir)?;
    let staging = target.staging();

    let results: Vec<Result<Outcome1, Vec<String>>> =
        crate::parallel::map(&estate.instances, |inst| synthesize(&estate, &read, inst, &known, staging));
    for r in &results {
        if let Ok(Outcome1::Written { warnings: w, .. }) = r {
            warnings.extend(w.iter().cloned());
        }
    }
    let errors: Vec<String> = results.iter().filter_map(|r| r.as_ref().err()).flatten().cloned().collect();
    if !errors.is_empty() {
        return Err(with_warnings(&warnings, errors.join("\n")));
    }

    let mut templates = Vec::new();
    let mut skipped = Vec::new();
    for (inst, result) in estate.instances.iter().zip(results) {
        let base = json!({
            "domain": inst.domain,
            "env": inst.env,
            "module": inst.name,
            "module_path": module_path(&inst.module_path),
        });
        match result.expect("errors are reported above") {
            Outcome1::Written { template, sources, bytes, sha256, .. } => {
                let mut m: Map<String, Value> = base.as_object().cloned().unwrap_or_default();
                m.insert("stack_name".into(), inst.stack_name().into());
                m.insert("account".into(), inst.account.clone().map_or(Value::Null, Value::from));
                m.insert("region".into(), inst.region.clone().map_or(Value::Null, Value::from));
                m.insert("template".into(), template.into());
                m.insert("bytes".into(), bytes.into());
                m.insert("sha256".into(), sha256.into());
                if bytes > module_kit::MAX_INLINE_TEMPLATE_BYTES {
                    // As CDK does for MDAA: through the bootstrap bucket.
                    m.insert("deploy".into(), "aws cloudformation deploy --s3-bucket BUCKET".into());
                }
                let dir = mdaa_yaml.parent().unwrap_or(Path::new(""));
                let relative: Vec<String> = sources.iter().map(|s| relative_to(Path::new(s), dir)).collect();
                m.insert("sources".into(), json!(relative));
                templates.push(Value::Object(m));
            }
            Outcome1::Skipped { reason } => {
                let mut m: Map<String, Value> = base.as_object().cloned().unwrap_or_default();
                m.insert("reason".into(), reason.into());
                skipped.push(Value::Object(m));
            }
        }
    }
    let manifest = json!({
        "generator": outdir::GENERATOR,
        "mdaa": mdaa_yaml.file_name().map(|f| f.to_string_lossy().into_owned()),
        "organization": estate.instances.first().map(|i| i.org.clone()),
        "templates": templates,
        "skipped": skipped,
    });
    std::fs::write(staging.join(outdir::MANIFEST), outdir::manifest_text(&manifest))
        .map_err(|e| Failure(format!("error: cannot write the manifest: {e}")))?;
    let mut files: Vec<PathBuf> =
        templates.iter().filter_map(|t| t["template"].as_str()).map(PathBuf::from).collect();
    // Last, so that the folder has a manifest of its new files only once they are all there.
    files.push(PathBuf::from(outdir::MANIFEST));
    target.commit(&files, &previous)?;
    Ok(Written { templates: templates.len(), skipped: skipped.len(), warnings })
}

/// Runs the MDAA drop-in.
pub fn run(args: &MdaaArgs, modules: &[&dyn AnyModule]) -> ExitCode {
    exit_code(run_estate(args, modules).map(|w| {
        for warning in &w.warnings {
            eprintln!("{warning}");
        }
        if let (Some(mdaa_yaml), Some(out_dir)) = (&args.mdaa, &args.out_dir) {
            eprintln!(
                "{}: {} templates, {} instances skipped (modules this synth does not have); see {}",
                module_kit::escape::path(mdaa_yaml),
                w.templates,
                w.skipped,
                module_kit::escape::path(&out_dir.join("manifest.json"))
            );
        }
        Outcome::Done
    }))
}

/// Synthesizes an estate into `out_dir` (what `synth --mdaa` does), for
/// benchmarks and tools; errors as the command prints them.
pub fn synthesize_estate(
    mdaa_yaml: &Path,
    out_dir: &Path,
    modules: &[&dyn AnyModule],
) -> Result<Written, String> {
    let args = MdaaArgs { mdaa: Some(mdaa_yaml.to_path_buf()), out_dir: Some(out_dir.to_path_buf()) };
    run_estate(&args, modules).map_err(|Failure(m)| m)
}

#[cfg(test)]
mod tests {
    use super::relative_to;

    #[test]
    fn sources_are_named_from_the_mdaa_yaml() {
        let root = tempfile::tempdir().unwrap();
        let estate = root.path().join("estate");
        std::fs::create_dir_all(estate.join("configs")).unwrap();
        std::fs::create_dir_all(root.path().join("shared")).unwrap();
        for f in ["estate/configs/a.yaml", "shared/b.yaml"] {
            std::fs::write(root.path().join(f), "").unwrap();
        }
        // Named through a detour, as a path joined to `..` is.
        let detour = estate.join("configs/../configs/a.yaml");
        assert_eq!(relative_to(&detour, &estate), "configs/a.yaml");
        assert_eq!(relative_to(&root.path().join("shared/b.yaml"), &estate), "../shared/b.yaml");
    }
}
