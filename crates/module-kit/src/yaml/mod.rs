//! Reading a configuration from YAML text: bounds, syntax, structure, then
//! the module's config type, each with errors that point into the file.

mod outline;
pub(crate) mod prescan;
mod syntax;
mod typed;
mod watch;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::decode::too_large;
use crate::error::{ConfigError, ConfigErrors};
use crate::limits::{count, MAX_CONFIG_BYTES, MAX_DEPTH, MAX_NODES};
use crate::position;

use outline::{Kind, Structural};
pub(crate) use outline::{Located, Outline};

/// The outline of a YAML text, for the positions of its keys; the
/// structural problems a configuration file may not have are reported.
pub(crate) fn outline_of(text: &str, file: &str, tags: &[&str]) -> Result<Outline, ConfigErrors> {
    within_bounds(text, file)?;
    walk(text, file, tags)
}

/// Reports the structural problems a configuration file may not have, as
/// [`outline_of`] does, but learns positions only when there is a problem:
/// `Ok(None)` means the text is fine, and its outline is for later.
/// `tags` are the YAML tags the text may hold (`!include` in an MDAA
/// module config, which the reader expands before the kit sees the value).
pub(crate) fn check_structure(
    text: &str,
    file: &str,
    tags: &[&str],
) -> Result<Option<Outline>, ConfigErrors> {
    within_bounds(text, file)?;
    if watch::structure_is_plain(text) {
        return Ok(None);
    }
    walk(text, file, tags).map(Some)
}

/// The size and flow-nesting bounds, checked before the parser runs.
fn within_bounds(text: &str, file: &str) -> Result<(), ConfigErrors> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(too_large(file, text.len()).into());
    }
    if let Some(offset) = prescan::too_deep(text) {
        return Err(
            structural(&Structural::TooDeep { at: Some(position::of_offset(text, offset)) }, file).into()
        );
    }
    Ok(())
}

/// The outline walk, with its structural problems as errors in file order.
fn walk(text: &str, file: &str, tags: &[&str]) -> Result<Outline, ConfigErrors> {
    let mut outline = outline::walk(text, file)?;
    outline.problems.retain(|p| !matches!(p, Structural::Tagged { tag, .. } if tags.contains(&tag.as_str())));
    if !outline.problems.is_empty() {
        let mut errors: Vec<ConfigError> = outline.problems.iter().map(|s| structural(s, file)).collect();
        errors.sort_by_key(|e| e.position.unwrap_or((usize::MAX, 0)));
        return Err(ConfigErrors(errors));
    }
    Ok(outline)
}

/// Reads a configuration assembled from several sources into `C`.
pub(crate) fn read_value<C: DeserializeOwned + JsonSchema>(
    value: serde_json::Value,
    sources: &crate::sources::Sources,
) -> Result<C, ConfigErrors> {
    // The schema words the error; it is built only when there is one.
    serde_path_to_error::deserialize(value).map_err(|e| {
        typed::value_error(e, &|p| sources.locate(p), &crate::schema::schema_value::<C>()).into()
    })
}

/// Whether the text holds anything but blank lines, comments and
/// document markers.
fn is_blank(text: &str) -> bool {
    text.split(position::is_break).all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// The top-level `key: value` lines of a module's default configuration,
/// to show what a configuration looks like.
fn first_keys(default_yaml: &str) -> String {
    let lines: Vec<String> = default_yaml
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '-']) && l.contains(": "))
        .take(3)
        .map(|l| format!("`{}`", l.trim_end()))
        .collect();
    lines.join(", ")
}

fn empty(file: &str, default_yaml: &str) -> ConfigError {
    let err =
        ConfigError::new(file, "the configuration is empty").expected("a mapping of configuration keys");
    match first_keys(default_yaml) {
        keys if keys.is_empty() => err,
        keys => err.help(format!("start from the default configuration: {keys}")),
    }
}

fn structural(s: &Structural, file: &str) -> ConfigError {
    match s {
        Structural::Repeated { path, at, first } => ConfigError::new(file, "this key is given twice")
            .at(Some(*at))
            .key(path.to_string())
            .expected("each key once")
            .help(format!("keep only the one you mean (the first is at line {})", first.0)),
        Structural::KeyNotText { parent, at, kind } => {
            let what = match kind {
                Kind::List => "a list",
                Kind::Mapping => "a mapping",
                _ => "tagged",
            };
            let mut err = ConfigError::new(file, format!("this key is {what}, not text"))
                .at(*at)
                .expected("keys written as plain text");
            if !parent.is_root() {
                err = err.key(format!("{parent}.?"));
            }
            err
        }
        Structural::Tagged { path, tag, at } => {
            let err = ConfigError::new(
                file,
                format!("`{tag}` is a YAML tag, and configurations take no tags"),
            )
            .at(*at)
            .expected("the value itself, without a tag")
            .help("CloudFormation intrinsics such as !Ref and !Sub are not evaluated in a configuration");
            if path.is_root() {
                err
            } else {
                err.key(path.to_string())
            }
        }
        Structural::TooDeep { at } => {
            ConfigError::new(file, format!("mappings and lists nest more than {MAX_DEPTH} deep"))
                .at(*at)
                .expected(format!("at most {MAX_DEPTH} levels"))
        }
        Structural::TooMany { at } => ConfigError::new(
            file,
            format!(
                "the configuration holds more than {} values (an alias counts its anchor's values again)",
                count(MAX_NODES)
            ),
        )
        .at(*at)
        .expected("a configuration of a few kilobytes"),
        Structural::SecondDocument { at } => ConfigError::new(file, "a second YAML document starts here")
            .at(*at)
            .expected("one document in a configuration file")
            .help("remove the `---` line and what follows it, or merge the two documents"),
    }
}

/// Reads `text` into `C`. `default_yaml` is the module's default
/// configuration, quoted when the file is empty.
///
/// A plain configuration is read in one pass; the outline walk, which
/// locates every key, runs only when something is or may be wrong.
pub(crate) fn read<C: DeserializeOwned + JsonSchema>(
    text: &str,
    file: &str,
    default_yaml: &str,
) -> Result<C, ConfigErrors> {
    within_bounds(text, file)?;
    if is_blank(text) {
        return Err(empty(file, default_yaml).into());
    }
    if let Some(config) = watch::read(text) {
        return Ok(config);
    }
    let outline = walk(text, file, &[])?;
    match outline.root {
        None => return Err(empty(file, default_yaml).into()),
        Some(Kind::Null) => {
            // Written `null` or `~`: the position of the value that empties it.
            return Err(empty(file, default_yaml).at(outline.value(&crate::KeyPath::root())).into());
        }
        Some(Kind::Scalar | Kind::List) => {
            let what = if outline.root == Some(Kind::List) { "a list" } else { "a single value" };
            return Err(ConfigError::new(file, format!("the configuration is {what}"))
                .at(outline.value(&crate::KeyPath::root()))
                .expected("a mapping of configuration keys")
                .help(match first_keys(default_yaml) {
                    k if k.is_empty() => "write one `key: value` per line".to_string(),
                    k => format!("write one `key: value` per line, such as {k}"),
                })
                .into());
        }
        Some(Kind::Mapping) => {}
    }
    serde_path_to_error::deserialize(yaml_serde::Deserializer::from_str(text))
        .map_err(|e| typed::error(e, text, file, &outline, &crate::schema::schema_value::<C>()).into())
}
