//! Every key MDAA's mdaa.yaml schema (packages/cli/lib/config-schema.json)
//! accepts, at each level, and what this crate does with it.

/// What this crate does with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Read and applied as MDAA applies it.
    Honoured(&'static str),
    /// Accepted (its type is checked), reported as a warning, and without effect.
    Ignored(&'static str),
    /// Reported as an error: applying it is impossible here, and dropping
    /// it would give something other than what MDAA deploys.
    Refused(&'static str),
}

/// The YAML shape a key's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    Text,
    /// `true` or `false`.
    Bool,
    /// A list of strings.
    TextList,
    /// A mapping of anything.
    Mapping,
    /// A mapping of strings.
    TextMap,
    /// A mapping of named entries (domains, environments, modules, templates).
    Entries,
    /// A list of anything.
    List,
}

impl Shape {
    /// The shape in words, for "expected" lines.
    pub fn words(self) -> &'static str {
        match self {
            Shape::Text => "text",
            Shape::Bool => "`true` or `false`",
            Shape::TextList => "a list of text",
            Shape::Mapping => "a mapping",
            Shape::TextMap => "a mapping of text values",
            Shape::Entries => "a mapping of named entries",
            Shape::List => "a list",
        }
    }
}

/// One key of one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    /// The key as written.
    pub name: &'static str,
    /// The shape of its value.
    pub shape: Shape,
    /// What happens to it.
    pub disposition: Disposition,
}

/// A level of the mdaa.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The file itself.
    Top,
    /// `domains.<domain>`.
    Domain,
    /// `domains.<domain>.environments.<env>`, and env templates.
    Environment,
    /// `...modules.<module>`.
    Module,
}

impl Level {
    /// The level in words.
    pub fn words(self) -> &'static str {
        match self {
            Level::Top => "the top level",
            Level::Domain => "a domain",
            Level::Environment => "an environment or env template",
            Level::Module => "a module",
        }
    }

    /// Its keys, in the order the table lists them: its own, then those it
    /// shares with other levels.
    pub fn keys(self) -> impl Iterator<Item = &'static KeySpec> + Clone {
        let groups: &'static [&'static [KeySpec]] = match self {
            Level::Top => &[TOP, TARGET, EVERY_LEVEL],
            Level::Domain => &[DOMAIN, TARGET, EVERY_LEVEL, NAMING],
            Level::Environment => &[ENVIRONMENT, TARGET, EVERY_LEVEL, NAMING],
            Level::Module => &[MODULE, EVERY_LEVEL, NAMING],
        };
        groups.iter().flat_map(|g| g.iter())
    }

    /// The spec of `name` at this level.
    pub fn key(self, name: &str) -> Option<&'static KeySpec> {
        self.keys().find(|k| k.name == name)
    }
}

use Disposition::{Honoured, Ignored, Refused};
use Shape::*;

const fn key(name: &'static str, shape: Shape, disposition: Disposition) -> KeySpec {
    KeySpec { name, shape, disposition }
}

const ACCOUNT: &str =
    "inherited downwards, the nearest level wins; absent or `default`: the deploying account (`${AWS::AccountId}`)";
const REGION: &str = "inherited downwards, the nearest level wins; absent or `default`: the deploying region (`${AWS::Region}`); a fixed region also fixes `{{partition}}`";
const CONTEXT: &str = "merged key by key into every level below; read by `{{context:NAME}}`";
const TAG_FILES: &str = "tag files (their `tags:` mapping), concatenated down the levels";
const TAG_DATA: &str = "tags, merged key by key down the levels";
const BOUNDARY: &str = "carried on each instance, the nearest level wins; `synth --mdaa` sets it on every IAM role and user of the template, as CDK's `PermissionsBoundary` aspect in MDAA's app does";
const CUSTOM_NAMING: &str =
    "a custom naming class is JavaScript this crate cannot run; names would silently differ from MDAA's";
const ASPECTS: &str =
    "custom aspects are JavaScript CDK aspects that change resources; ignoring them would deploy something else";
const VERSION: &str =
    "picks the npm version of MDAA's module; these templates come from this crate (kept on the instance for reports)";
const TERRAFORM: &str = "configures Terraform modules only, which are listed for skipping";

/// Where a level deploys: every level above a module.
const TARGET: &[KeySpec] = &[
    key("region", Text, Honoured(REGION)),
    key("account", Text, Honoured(ACCOUNT)),
    key("permissions_boundary_arn", Text, Honoured(BOUNDARY)),
];

/// What every level can carry.
const EVERY_LEVEL: &[KeySpec] = &[
    key("context", Mapping, Honoured(CONTEXT)),
    key("tag_configs", TextList, Honoured(TAG_FILES)),
    key("tag_config_data", TextMap, Honoured(TAG_DATA)),
    key("custom_aspects", List, Refused(ASPECTS)),
    key("terraform", Mapping, Ignored(TERRAFORM)),
];

/// Custom naming below the top level (the top level has `naming_*`).
const NAMING: &[KeySpec] = &[key("custom_naming", Mapping, Refused(CUSTOM_NAMING))];

const TOP: &[KeySpec] = &[
    key("organization", Text, Honoured("required; `^[a-z0-9-]+$`; first part of every name")),
    key("domains", Entries, Honoured("required")),
    key("env_templates", Entries, Honoured("templates any environment can name")),
    key("naming_module", Text, Refused(CUSTOM_NAMING)),
    key("naming_class", Text, Refused(CUSTOM_NAMING)),
    key("naming_props", Mapping, Refused(CUSTOM_NAMING)),
    key("mdaa_version", Text, Ignored(VERSION)),
    key(
        "log_suppressions",
        Bool,
        Ignored("only makes MDAA print cdk-nag suppressions while it synthesizes; templates are the same"),
    ),
    key(
        "devops",
        Mapping,
        Ignored("configures MDAA's CI/CD pipelines (`mdaa --devops`), not a module instance"),
    ),
    key("useStaging", Bool, Ignored("orders MDAA's deployments in stages; writing templates has no order")),
];

const DOMAIN: &[KeySpec] = &[
    key("environments", Entries, Honoured("required")),
    key("env_templates", Entries, Honoured("templates for this domain; they win over top-level ones of the same name")),
    key(
        "mdaa_version",
        Text,
        Ignored("MDAA itself reads the top-level value in its place; and it picks the npm version of MDAA's modules"),
    ),
];

const ENVIRONMENT: &[KeySpec] = &[
    key("modules", Entries, Honoured("after the template's modules; one of the same name replaces the template's")),
    key("template", Text, Honoured("names an env template of the domain or the top level; merged as MDAA merges it")),
    key("mdaa_version", Text, Ignored(VERSION)),
    key(
        "use_bootstrap",
        Bool,
        Ignored("decides whether MDAA adds its `caef-bootstrap` module and role helper; these templates need neither"),
    ),
];

const HOOK: &str = "a shell command MDAA runs around `mdaa deploy`; synth deploys nothing, so run it around your own deployment";
const EXTRA_STACKS: &str = "MDAA deploys more stacks of the module into other accounts or regions; one template per instance cannot hold them (on a module the reader skips, such as MDAA's smus_data_mesh, it is not read)";

const MODULE: &[KeySpec] = &[
    key(
        "module_path",
        Text,
        Honoured(
            "npm package with an optional `@version` (`caef` read as `mdaa`, as MDAA does), or a local path",
        ),
    ),
    key("cdk_app", Text, Honoured("deprecated name of `module_path`; `module_path` wins")),
    key(
        "module_type",
        Text,
        Honoured("`cdk` (default) or `tf`; Terraform instances are listed for skipping"),
    ),
    key("module_configs", TextList, Honoured("config files, merged in order by the module")),
    key("app_configs", TextList, Honoured("deprecated; read before `module_configs`")),
    key("module_config_data", Mapping, Honoured("inline config, over the files key by key")),
    key("app_config_data", Mapping, Honoured("deprecated; `module_config_data` wins key by key")),
    key("additional_accounts", TextList, Refused(EXTRA_STACKS)),
    key("additional_stacks", List, Refused(EXTRA_STACKS)),
    key("mdaa_version", Text, Ignored(VERSION)),
    key("use_bootstrap", Bool, Ignored("see the environment's `use_bootstrap`")),
    key("additional_context", TextMap, Ignored("deprecated; MDAA's CLI no longer reads it")),
    key(
        "allow_cross_reference_stack",
        Bool,
        Ignored(
            "lets CDK reference other MDAA stacks across regions; these templates reference no other stack",
        ),
    ),
    key("mdaa_compliant", Bool, Ignored(TERRAFORM)),
    key("predeploy", Mapping, Ignored(HOOK)),
    key("postdeploy", Mapping, Ignored(HOOK)),
];

/// The table of every key, as the crate's README shows it.
pub fn markdown_table() -> String {
    let mut out = String::from("| level | key | here | why |\n|---|---|---|---|\n");
    for level in [Level::Top, Level::Domain, Level::Environment, Level::Module] {
        let name = match level {
            Level::Top => "top",
            Level::Domain => "domain",
            Level::Environment => "environment",
            Level::Module => "module",
        };
        for k in level.keys() {
            let (what, why) = match k.disposition {
                Honoured(why) => ("honoured", why),
                Ignored(why) => ("ignored", why),
                Refused(why) => ("**refused**", why),
            };
            out.push_str(&format!("| {name} | `{}` | {what} | {} |\n", k.name, why.replace('|', "\\|")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_lists_each_key_once() {
        for level in [Level::Top, Level::Domain, Level::Environment, Level::Module] {
            let mut names: Vec<_> = level.keys().map(|k| k.name).collect();
            let before = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), before, "{level:?}");
        }
    }
}
