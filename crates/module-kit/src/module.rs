//! Modules: how one registers with the kit, and the checked configs that
//! are the only thing a module synthesizes.

use std::fmt;
use std::ops::Deref;

use cfn_constructs::{AccountRegional, NamingStrategy};
use cfn_template::Template;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::error::{ConfigError, ConfigErrors};
use crate::problems::Problems;
use crate::sources::Sources;
use crate::yaml::{self, Outline};

/// What the CLI labels a config built in code with, where a file name would be.
pub const IN_CODE: &str = "<configuration built in code>";

/// A module: a config type, its default, its checks, and the template it
/// synthesizes from a config that passed them.
///
/// ```
/// use module_kit::{Checked, Module, Problems};
///
/// #[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
/// #[serde(rename_all = "camelCase", deny_unknown_fields)]
/// struct Config {
///     /// How many days to keep logs.
///     #[schemars(range(min = 1))]
///     retention_days: u32,
/// }
///
/// struct Logs;
///
/// impl Module for Logs {
///     type Config = Config;
///     fn name(&self) -> &'static str { "logs" }
///     fn default_config_yaml(&self) -> &'static str { "retentionDays: 30\n" }
///     fn check(&self, config: &Config, problems: &mut Problems) {
///         if config.retention_days == 0 {
///             problems.report(["retentionDays"], "0 days keeps nothing").expected("1 or more days");
///         }
///     }
///     fn synthesize_with(&self, config: &Checked<Self>, _: &dyn cfn_constructs::NamingStrategy) -> cfn_template::Template {
///         let mut t = cfn_template::Template::new();
///         t.set_description(format!("logs kept {} days", config.retention_days));
///         t
///     }
/// }
///
/// let config = module_kit::load(&Logs, "retentionDays: 0\n", "logs.yaml").unwrap_err();
/// assert_eq!(config.to_string(), "error: logs.yaml:1:1: `retentionDays`: 0 days keeps nothing\n  expected: 1 or more days");
/// let checked = module_kit::validate(&Logs, Config { retention_days: 7 }).unwrap();
/// assert_eq!(Logs.synthesize(&checked).description(), Some("logs kept 7 days"));
/// ```
pub trait Module: Sized + Sync + 'static {
    /// The configuration, as read from YAML; its schema is what `--schema` prints.
    type Config: DeserializeOwned + JsonSchema;

    /// The name `--module` selects this module by.
    fn name(&self) -> &'static str;

    /// The configuration used without `--config` (YAML).
    fn default_config_yaml(&self) -> &'static str;

    /// Reports what the types cannot express: combinations, ranges, the
    /// limits of the services. Every rule of a configuration belongs here,
    /// so that a config built in code meets the same ones as a file.
    fn check(&self, config: &Self::Config, problems: &mut Problems);

    /// The template of a checked configuration, its physical names from
    /// `naming` (the project's account-and-region names, MDAA's, a user's).
    fn synthesize_with(&self, config: &Checked<Self>, naming: &dyn NamingStrategy) -> Template;

    /// The template of a checked configuration, with the project's own
    /// account-and-region names.
    fn synthesize(&self, config: &Checked<Self>) -> Template {
        self.synthesize_with(config, &AccountRegional)
    }
}

/// A configuration of module `M` that passed `M`'s checks. Only
/// [`load`] and [`validate`] make one, so a module cannot be asked to
/// synthesize a config nobody checked.
pub struct Checked<M: Module> {
    config: M::Config,
}

impl<M: Module> Checked<M> {
    /// The configuration, no longer marked as checked.
    pub fn into_inner(self) -> M::Config {
        self.config
    }
}

impl<M: Module> Deref for Checked<M> {
    type Target = M::Config;
    fn deref(&self) -> &M::Config {
        &self.config
    }
}

impl<M: Module> Clone for Checked<M>
where
    M::Config: Clone,
{
    fn clone(&self) -> Self {
        Checked { config: self.config.clone() }
    }
}

impl<M: Module> fmt::Debug for Checked<M>
where
    M::Config: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Checked").field(&self.config).finish()
    }
}

/// Where the problems a check reports are found: a file's outline, or
/// nowhere for a config built in code.
fn locate_problems(problems: &Problems, file: &str, outline: Option<&Outline>) -> Vec<ConfigError> {
    let mut errors: Vec<ConfigError> = problems
        .iter()
        .map(|p| {
            let mut e = ConfigError::new(file, p.problem.clone());
            if !p.path.is_root() {
                e = e.key(p.path.to_string());
            }
            e.expected = p.expected.clone();
            e.help = p.help.clone();
            match outline.map(|o| o.locate(&p.path)) {
                None => e,
                Some(l) if l.found == p.path => e.at(l.at),
                Some(l) if l.at.is_some() => e.at(l.at).note(format!(
                    "the file does not set `{}`; the position is that of `{}`",
                    p.path, l.found
                )),
                Some(_) => e.note(format!("the file does not set `{}`", p.path)),
            }
        })
        .collect();
    errors.sort_by_key(|e| e.position.unwrap_or((usize::MAX, 0)));
    errors
}

/// Reads and checks a configuration of `module` from YAML text. `file`
/// names it in errors.
///
/// Errors carry the file, line and column, the key, what was expected and
/// a suggestion; the problems of the module's check come all at once, in
/// file order.
pub fn load<M: Module>(module: &M, text: &str, file: &str) -> Result<Checked<M>, ConfigErrors> {
    let config = yaml::read::<M::Config>(text, file, module.default_config_yaml())?;
    let mut problems = Problems::default();
    module.check(&config, &mut problems);
    if problems.is_empty() {
        return Ok(Checked { config });
    }
    // The text was read, so its outline comes without problems.
    let outline = yaml::outline_of(text, file, &[]).unwrap_or_default();
    Err(ConfigErrors(locate_problems(&problems, file, Some(&outline))))
}

/// Reads and checks a configuration assembled from several sources (see
/// [`Sources`]): `value` is their merge, and errors point into the source
/// that wrote each key.
pub fn load_value<M: Module>(
    module: &M,
    value: serde_json::Value,
    sources: &Sources,
) -> Result<Checked<M>, ConfigErrors> {
    let config: M::Config = crate::yaml::read_value(value, sources)?;
    let mut problems = Problems::default();
    module.check(&config, &mut problems);
    if problems.is_empty() {
        return Ok(Checked { config });
    }
    let errors = problems
        .iter()
        .map(|p| {
            let (file, at) = sources.locate(&p.path);
            let mut e = ConfigError::new(&file, p.problem.clone());
            if !p.path.is_root() {
                e = e.key(p.path.to_string());
            }
            e.expected = p.expected.clone();
            e.help = p.help.clone();
            if at.found == p.path {
                e.at(at.at)
            } else if at.at.is_some() {
                e.at(at.at).note(format!("`{}` is not set; the position is that of `{}`", p.path, at.found))
            } else {
                e
            }
        })
        .collect();
    Err(ConfigErrors(errors))
}

/// Checks a configuration built in code by the same rules as [`load`]
/// does a file; errors name the key path, under the label [`IN_CODE`].
pub fn validate<M: Module>(module: &M, config: M::Config) -> Result<Checked<M>, ConfigErrors> {
    let mut problems = Problems::default();
    module.check(&config, &mut problems);
    if problems.is_empty() {
        Ok(Checked { config })
    } else {
        Err(ConfigErrors(locate_problems(&problems, IN_CODE, None)))
    }
}

/// A module as the CLI sees it, picked by name at run time: every
/// [`Module`] is one.
pub trait AnyModule: Sync {
    /// The name `--module` selects it by.
    fn name(&self) -> &'static str;
    /// The configuration used without `--config` (YAML).
    fn default_config_yaml(&self) -> &'static str;
    /// The JSON Schema (draft-07) of its configuration.
    fn json_schema(&self) -> String;
    /// Reads and checks a configuration (see [`load`]).
    fn validate_yaml(&self, text: &str, file: &str) -> Result<(), ConfigErrors>;
    /// Reads and checks a configuration, then synthesizes its template.
    fn synthesize_yaml(&self, text: &str, file: &str) -> Result<Template, ConfigErrors>;
    /// Reads and checks a configuration assembled from several sources
    /// (see [`load_value`]), then synthesizes its template with `naming`.
    fn synthesize_value(
        &self,
        value: serde_json::Value,
        sources: &Sources,
        naming: &dyn NamingStrategy,
    ) -> Result<Template, ConfigErrors>;
}

impl<M: Module> AnyModule for M {
    fn name(&self) -> &'static str {
        Module::name(self)
    }

    fn default_config_yaml(&self) -> &'static str {
        Module::default_config_yaml(self)
    }

    fn json_schema(&self) -> String {
        crate::schema::json_schema::<M::Config>()
    }

    fn validate_yaml(&self, text: &str, file: &str) -> Result<(), ConfigErrors> {
        load(self, text, file).map(|_| ())
    }

    fn synthesize_yaml(&self, text: &str, file: &str) -> Result<Template, ConfigErrors> {
        load(self, text, file).map(|checked| self.synthesize(&checked))
    }

    fn synthesize_value(
        &self,
        value: serde_json::Value,
        sources: &Sources,
        naming: &dyn NamingStrategy,
    ) -> Result<Template, ConfigErrors> {
        load_value(self, value, sources).map(|checked| self.synthesize_with(&checked, naming))
    }
}
