//! An mdaa.yaml read into a flat, ordered list of module instances, with
//! settings inherited downwards and env templates merged as MDAA's CLI
//! (packages/cli/lib/mdaa-cli.ts) does.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use yaml_serde::Value;

use crate::diagnostic::{backticked, did_you_mean, Diagnostic, Diagnostics};
use crate::keypath::KeyPath;
use crate::keys::{Disposition, Level, Shape};
use crate::merge::{js_key_order, lodash_merge};
use crate::naming::MdaaNaming;
use crate::placeholder::{self, resolve_now, Context, EnvVars, Scope, Sourced};
use crate::resolved::{Resolved, Text};
use crate::source::SourceFile;

/// Whether a module is a CDK app or a Terraform module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModuleType {
    /// A CDK app (`module_type: cdk`, the default).
    Cdk,
    /// A Terraform module (`module_type: tf`).
    Terraform,
}

/// What a module's `module_path` names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ModulePath {
    /// An npm package, such as `@aws-mdaa/audit`, with the version pinned
    /// by `@version`, if any.
    Package {
        /// The package name (`@aws-caef/...` read as `@aws-mdaa/...`, as MDAA does).
        name: String,
        /// The version after the name's `@`, if given.
        version: Option<String>,
    },
    /// A local directory (a path starting with `.` or `/`), relative to the mdaa.yaml.
    Local(PathBuf),
}

impl ModulePath {
    fn parse(written: &str, dir: &Path) -> ModulePath {
        if written.starts_with('.') || written.starts_with('/') {
            return ModulePath::Local(join_clean(dir, written));
        }
        // MDAA renames the legacy `caef` packages: the first `caef` becomes `mdaa`.
        let renamed = written.replacen("caef", "mdaa", 1);
        let scoped = renamed.starts_with('@');
        let body = if scoped { &renamed[1..] } else { &renamed[..] };
        match body.find('@') {
            Some(at) => {
                let cut = at + usize::from(scoped);
                ModulePath::Package {
                    name: renamed[..cut].to_string(),
                    version: Some(renamed[cut + 1..].to_string()),
                }
            }
            None => ModulePath::Package { name: renamed, version: None },
        }
    }

    /// The npm package name, for a package.
    pub fn package(&self) -> Option<&str> {
        match self {
            ModulePath::Package { name, .. } => Some(name),
            ModulePath::Local(_) => None,
        }
    }
}

/// One module of one environment of one domain: what MDAA deploys as one stack.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleInstance {
    /// The organization.
    pub org: String,
    /// The domain.
    pub domain: String,
    /// The environment.
    pub env: String,
    /// The module name.
    pub name: String,
    /// What the module is.
    pub module_path: ModulePath,
    /// CDK app or Terraform module.
    pub module_type: ModuleType,
    /// The account, if the mdaa.yaml fixes it (absent or `default`: the
    /// deploying credentials' account).
    pub account: Option<String>,
    /// The region, if the mdaa.yaml fixes it.
    pub region: Option<String>,
    /// The merged context: top level, domain, environment (and its
    /// template), module. Instances with the same context share it.
    pub context: Arc<Context>,
    /// The module's config files in merge order (`app_configs`, then
    /// `module_configs`), relative to the mdaa.yaml's directory.
    pub module_configs: Vec<Sourced<PathBuf>>,
    /// The inline config (`app_config_data`, then `module_config_data`, key
    /// by key), shared by the instances of one template module.
    pub module_config_data: Arc<IndexMap<String, Sourced<Value>>>,
    /// Tag files, top level first.
    pub tag_configs: Vec<Sourced<PathBuf>>,
    /// Tags, merged key by key down the levels.
    pub tag_config_data: Arc<IndexMap<String, Sourced<String>>>,
    /// The permissions boundary for every IAM role, from the nearest level that sets one.
    pub permissions_boundary_arn: Option<Sourced<String>>,
    /// The MDAA version MDAA would deploy (for reports; it changes nothing here).
    pub mdaa_version: Option<String>,
    /// The env template the module comes from, if any.
    pub template: Option<String>,
    /// Where the module's entry is written (in the environment, or in the template).
    pub entry: KeyPath,
    /// Whether the reader was asked for this module ([`Estate::parse_for`]).
    /// An instance of a module it was not asked for is known by its
    /// `module_path` alone: nothing else of its entry is read or checked,
    /// so it has no account, region, context, config files or tags here.
    pub selected: bool,
}

impl ModuleInstance {
    /// `domains.<domain>.environments.<env>.modules.<module>`: the
    /// instance as the mdaa.yaml names it.
    pub fn key(&self) -> KeyPath {
        KeyPath::root()
            .key("domains")
            .key(&self.domain)
            .key("environments")
            .key(&self.env)
            .key("modules")
            .key(&self.name)
    }

    /// `domain/env/module`, as MDAA's CLI labels it.
    pub fn label(&self) -> String {
        format!("{}/{}/{}", self.domain, self.env, self.name)
    }

    /// MDAA's names for this instance.
    pub fn naming(&self) -> MdaaNaming {
        MdaaNaming::new(&self.org, &self.env, &self.domain, &self.name)
    }

    /// The stack name MDAA gives the instance.
    pub fn stack_name(&self) -> String {
        self.naming().stack_name(None)
    }

    /// The tags MDAA's app puts on every resource of the instance, over
    /// those of the tag files and `tag_config_data`: `mdaa_org`,
    /// `mdaa_env`, `mdaa_domain`, `mdaa_cdk_app` (the package name without
    /// `@aws-mdaa/`) and `mdaa_module_name`; `caef_` instead of `mdaa_`
    /// where the context sets `@aws-mdaa/legacyCaefTags` (MDAA passes
    /// context as text, so any non-empty value does). `None` for a local
    /// module, whose package name only its own package.json knows.
    pub fn mdaa_tags(&self) -> Option<Vec<(String, String)>> {
        let package = self.module_path.package()?;
        let legacy = self
            .context
            .get("@aws-mdaa/legacyCaefTags")
            .is_some_and(|v| !matches!(&v.value, Value::String(s) if s.is_empty()));
        let prefix = if legacy { "caef" } else { "mdaa" };
        let cdk_app = package.strip_prefix("@aws-mdaa/").unwrap_or(package);
        Some(
            [
                ("org", &self.org[..]),
                ("env", &self.env),
                ("domain", &self.domain),
                ("cdk_app", cdk_app),
                ("module_name", &self.name),
            ]
            .into_iter()
            .map(|(k, v)| (format!("{prefix}_{k}"), v.to_string()))
            .collect(),
        )
    }
}

/// An mdaa.yaml, read.
#[derive(Debug)]
pub struct Estate {
    file: SourceFile,
    /// The organization.
    pub organization: String,
    /// Every module instance, in MDAA's order: domains, their environments,
    /// then each environment's template modules and its own.
    pub instances: Vec<ModuleInstance>,
    /// Keys that are accepted but change nothing here, one warning each.
    pub warnings: Vec<Diagnostic>,
}

impl Estate {
    /// Reads and parses the mdaa.yaml at `path`; `{{env_var:NAME}}` in
    /// file paths reads the process environment.
    pub fn read(path: &Path) -> Result<Estate, Diagnostics> {
        Estate::parse(SourceFile::read(path)?, &placeholder::process_env)
    }

    /// [`Estate::read`], reading in full only the modules `select` takes
    /// (see [`Estate::parse_for`]).
    pub fn read_for(path: &Path, select: Select) -> Result<Estate, Diagnostics> {
        Estate::parse_for(SourceFile::read(path)?, &placeholder::process_env, select)
    }

    /// Parses an mdaa.yaml already read. Every problem is reported at
    /// once, in file order.
    ///
    /// ```
    /// let yaml = "organization: org\ndomains:\n  shared:\n    environments:\n      dev:\n        modules:\n          audit:\n            module_path: '@aws-mdaa/audit'\n";
    /// let estate = mdaa::Estate::parse(mdaa::SourceFile::new("mdaa.yaml", yaml), &mdaa::no_env).unwrap();
    /// assert_eq!(estate.instances[0].label(), "shared/dev/audit");
    /// let err = mdaa::Estate::parse(mdaa::SourceFile::new("mdaa.yaml", yaml.replace("environments", "enviroments")), &mdaa::no_env).unwrap_err();
    /// assert!(err.to_string().contains("did you mean `environments`?"));
    /// ```
    pub fn parse(file: SourceFile, env_vars: EnvVars) -> Result<Estate, Diagnostics> {
        Estate::parse_for(file, env_vars, &|_| true)
    }

    /// Parses an mdaa.yaml, reading in full only the modules whose
    /// `module_path` `select` takes (the modules the caller synthesizes).
    /// Any other module, and any Terraform module (`module_type: tf`), is
    /// known by its `module_path` alone: its other keys, names, placeholders
    /// and files are neither read nor checked, as they are MDAA's to judge.
    /// A `module_path` that holds a placeholder is resolved first, so such
    /// an entry is read in full.
    ///
    /// ```
    /// let yaml = "organization: org\ndomains:\n  d:\n    environments:\n      dev:\n        modules:\n          mesh:\n            module_path: '@aws-mdaa/smus-data-mesh'\n            additional_accounts: ['111122223333']\n";
    /// let file = || mdaa::SourceFile::new("mdaa.yaml", yaml);
    /// assert!(mdaa::Estate::parse(file(), &mdaa::no_env).is_err());
    /// let ours = |p: &mdaa::ModulePath| p.package() == Some("@aws-mdaa/audit");
    /// let estate = mdaa::Estate::parse_for(file(), &mdaa::no_env, &ours).unwrap();
    /// assert!(!estate.instances[0].selected);
    /// ```
    pub fn parse_for(file: SourceFile, env_vars: EnvVars, select: Select) -> Result<Estate, Diagnostics> {
        let value = file.parse()?;
        let mut reader = Reader {
            select,
            file: &file,
            errors: Vec::new(),
            warnings: Vec::new(),
            misspelt: Vec::new(),
            paths: HashMap::new(),
        };
        let top = reader.top(&value);
        let mut instances = Vec::new();
        if let Some(top) = &top {
            reader.flatten(top, env_vars, &mut instances);
        }
        let Reader { errors, warnings, .. } = reader;
        if !errors.is_empty() {
            return Err(Diagnostics(errors).in_file_order());
        }
        let organization = top.map(|t| t.organization).unwrap_or_default();
        Ok(Estate { file, organization, instances, warnings: Diagnostics(warnings).in_file_order().0 })
    }

    /// The mdaa.yaml.
    pub fn file(&self) -> &SourceFile {
        &self.file
    }

    /// What placeholders in `instance`'s configs resolve against.
    pub fn scope<'a>(&'a self, instance: &'a ModuleInstance, env_vars: EnvVars<'a>) -> Scope<'a> {
        Scope {
            org: &instance.org,
            domain: &instance.domain,
            env: &instance.env,
            module_name: &instance.name,
            account: instance.account.as_deref(),
            region: instance.region.as_deref(),
            context: &instance.context,
            context_file: &self.file,
            env_vars,
        }
    }

    /// `instance`'s inline config with its placeholders resolved (a
    /// mapping; empty without inline config).
    pub fn resolve_inline(
        &self,
        instance: &ModuleInstance,
        env_vars: EnvVars,
    ) -> Result<Resolved, Diagnostics> {
        let scope = self.scope(instance, env_vars);
        let mut out = IndexMap::new();
        let mut errors = Vec::new();
        for (k, v) in instance.module_config_data.iter() {
            match placeholder::resolve(&v.value, &v.at, &self.file, &scope) {
                Ok(r) => {
                    out.insert(k.clone(), r);
                }
                Err(e) => errors.extend(e.0),
            }
        }
        if errors.is_empty() {
            Ok(Resolved::Map(out))
        } else {
            Err(Diagnostics(errors).in_file_order())
        }
    }

    /// `instance`'s `tag_config_data` with its placeholders resolved.
    pub fn resolve_tags(
        &self,
        instance: &ModuleInstance,
        env_vars: EnvVars,
    ) -> Result<IndexMap<String, Text>, Diagnostics> {
        let scope = self.scope(instance, env_vars);
        let mut out = IndexMap::new();
        let mut errors = Vec::new();
        for (k, v) in instance.tag_config_data.iter() {
            match placeholder::resolve_str(&v.value, &v.at, &self.file, &scope) {
                Ok(Resolved::Text(t)) => {
                    out.insert(k.clone(), t);
                }
                Ok(_) => errors.push(self.file.error(&v.at, "a tag value must be text").expected("text")),
                Err(e) => errors.extend(e.0),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(Diagnostics(errors).in_file_order())
        }
    }
}

/// Which modules an estate reader reads in full, by their `module_path`.
pub type Select<'a> = &'a dyn Fn(&ModulePath) -> bool;

/// `(module domains.d.environments.e.modules.m, from env template t)` for
/// messages about a value written once for many instances.
pub(crate) fn origin_note(i: &ModuleInstance) -> String {
    match &i.template {
        Some(t) => format!(" (module `{}`, from env template `{t}`)", i.key()),
        None => String::new(),
    }
}

/// The settings every level can carry.
#[derive(Debug, Clone, Default)]
struct Settings {
    account: Option<Sourced<String>>,
    region: Option<Sourced<String>>,
    context: Arc<Context>,
    tag_configs: Arc<Vec<Sourced<String>>>,
    tag_config_data: Arc<IndexMap<String, Sourced<String>>>,
    permissions_boundary_arn: Option<Sourced<String>>,
    mdaa_version: Option<Sourced<String>>,
}

/// `{...parent, ...child}`, sharing either side when the other is empty.
fn spread<V: Clone>(
    parent: &Arc<IndexMap<String, V>>,
    child: &Arc<IndexMap<String, V>>,
) -> Arc<IndexMap<String, V>> {
    if child.is_empty() {
        return Arc::clone(parent);
    }
    if parent.is_empty() {
        return Arc::clone(child);
    }
    let mut out = IndexMap::clone(parent);
    out.extend(child.iter().map(|(k, v)| (k.clone(), v.clone())));
    Arc::new(out)
}

impl Settings {
    /// These settings under `parent`'s: MDAA's `compute*EffectiveConfig`.
    fn under(&self, parent: &Settings) -> Settings {
        let tag_configs = match (parent.tag_configs.is_empty(), self.tag_configs.is_empty()) {
            (_, true) => Arc::clone(&parent.tag_configs),
            (true, false) => Arc::clone(&self.tag_configs),
            _ => Arc::new(parent.tag_configs.iter().chain(self.tag_configs.iter()).cloned().collect()),
        };
        Settings {
            account: self.account.clone().or_else(|| parent.account.clone()),
            region: self.region.clone().or_else(|| parent.region.clone()),
            context: spread(&parent.context, &self.context),
            tag_configs,
            tag_config_data: spread(&parent.tag_config_data, &self.tag_config_data),
            permissions_boundary_arn: self
                .permissions_boundary_arn
                .clone()
                .or_else(|| parent.permissions_boundary_arn.clone()),
            // `child || parent`: an empty version does not count.
            mdaa_version: self
                .mdaa_version
                .clone()
                .filter(|v| !v.value.is_empty())
                .or_else(|| parent.mdaa_version.clone()),
        }
    }
}

#[derive(Debug, Clone)]
struct RawModule {
    at: KeyPath,
    module_path: Option<Sourced<String>>,
    module_type: Option<Sourced<String>>,
    module_configs: Vec<Sourced<String>>,
    config_data: Arc<IndexMap<String, Sourced<Value>>>,
    settings: Settings,
    /// Read in full: a module the reader was asked for.
    selected: bool,
}

#[derive(Debug, Clone)]
struct RawEnv {
    at: KeyPath,
    template: Option<Sourced<String>>,
    modules: Option<Vec<(String, Arc<RawModule>)>>,
    settings: Settings,
}

impl RawEnv {
    /// `{...ld.mergeWith({}, template, env), modules: {...template.modules, ...env.modules}}`.
    fn with_template(&self, template: &RawEnv) -> RawEnv {
        let (t, e) = (&template.settings, &self.settings);
        let mut context = Context::clone(&t.context);
        for (k, v) in e.context.iter() {
            match context.get_mut(k) {
                Some(existing) => {
                    lodash_merge(&mut existing.value, &v.value);
                    existing.at = v.at.clone();
                }
                None => {
                    context.insert(k.clone(), v.clone());
                }
            }
        }
        let longest = t.tag_configs.len().max(e.tag_configs.len());
        let tag_configs =
            (0..longest).filter_map(|i| e.tag_configs.get(i).or(t.tag_configs.get(i)).cloned()).collect();
        let modules = match (&template.modules, &self.modules) {
            (None, None) => None,
            (t_mods, e_mods) => {
                let mut merged: IndexMap<String, Arc<RawModule>> = IndexMap::new();
                for (name, m) in t_mods.iter().flatten().chain(e_mods.iter().flatten()) {
                    merged.insert(name.clone(), Arc::clone(m));
                }
                Some(js_key_order(merged.into_iter().collect()))
            }
        };
        RawEnv {
            at: self.at.clone(),
            template: self.template.clone(),
            modules,
            settings: Settings {
                account: e.account.clone().or_else(|| t.account.clone()),
                region: e.region.clone().or_else(|| t.region.clone()),
                context: Arc::new(context),
                tag_configs: Arc::new(tag_configs),
                tag_config_data: spread(&t.tag_config_data, &e.tag_config_data),
                permissions_boundary_arn: e
                    .permissions_boundary_arn
                    .clone()
                    .or_else(|| t.permissions_boundary_arn.clone()),
                mdaa_version: e.mdaa_version.clone().or_else(|| t.mdaa_version.clone()),
            },
        }
    }
}

#[derive(Debug)]
struct RawDomain {
    at: KeyPath,
    env_templates: Vec<(String, RawEnv)>,
    environments: Vec<(String, RawEnv)>,
    settings: Settings,
}

#[derive(Debug)]
struct RawTop {
    organization: String,
    env_templates: Vec<(String, RawEnv)>,
    domains: Vec<(String, RawDomain)>,
    settings: Settings,
}

/// The keys of one mapping that passed their checks.
type Fields<'v> = IndexMap<&'v str, (&'v Value, KeyPath)>;

struct Reader<'f> {
    select: Select<'f>,
    file: &'f SourceFile,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Keys some misspelt key was taken for: their absence is not reported again.
    misspelt: Vec<KeyPath>,
    /// File paths as written → as joined to the mdaa.yaml's directory.
    paths: HashMap<String, PathBuf>,
}

const NAME_RULE: &str = "lower-case letters, digits and `-` (`^[a-z0-9-]+$`, MDAA's rule)";

impl Reader<'_> {
    fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// Reports a missing key, unless a misspelling of it was reported already.
    fn missing(&mut self, key: &KeyPath, d: Diagnostic) {
        if !self.misspelt.contains(key) {
            self.errors.push(d);
        }
    }

    fn top(&mut self, value: &Value) -> Option<RawTop> {
        let root = KeyPath::root();
        let fields = self.fields(value, Level::Top, &root, "the mdaa.yaml")?;
        let organization = match fields.get("organization") {
            Some((v, at)) => {
                let org = v.as_str().unwrap_or_default().to_string();
                self.check_name(&org, at, "the organization");
                org
            }
            None => {
                self.missing(
                    &root.key("organization"),
                    Diagnostic::error(self.file.name(), "the mdaa.yaml has no `organization`")
                        .at(Some((1, 1)))
                        .expected("`organization: <name>`, the first part of every resource name"),
                );
                String::new()
            }
        };
        let env_templates = self.templates(&fields);
        let mut domains = Vec::new();
        match fields.get("domains") {
            Some((v, at)) => {
                for (name, dv, dat) in self.entries(v, at) {
                    self.check_name(&name, &dat, "a domain name");
                    if let Some(d) = self.domain(dv, &dat) {
                        domains.push((name, d));
                    }
                }
            }
            None => self.missing(
                &root.key("domains"),
                Diagnostic::error(self.file.name(), "the mdaa.yaml has no `domains`")
                    .at(Some((1, 1)))
                    .expected("`domains:` with at least one domain and its `environments`"),
            ),
        }
        let settings = self.settings(&fields);
        Some(RawTop { organization, env_templates, domains: js_key_order(domains), settings })
    }

    fn domain(&mut self, value: &Value, at: &KeyPath) -> Option<RawDomain> {
        let fields = self.fields(value, Level::Domain, at, "domain settings")?;
        let env_templates = self.templates(&fields);
        let mut environments = Vec::new();
        match fields.get("environments") {
            Some((v, eat)) => {
                for (name, ev, env_at) in self.entries(v, eat) {
                    self.check_name(&name, &env_at, "an environment name");
                    if let Some(e) = self.env(ev, &env_at, false) {
                        environments.push((name, e));
                    }
                }
            }
            None => self.missing(
                &at.key("environments"),
                self.file
                    .error(at, "the domain has no `environments`")
                    .expected("`environments:` with at least one environment"),
            ),
        }
        let settings = self.settings(&fields);
        Some(RawDomain { at: at.clone(), env_templates, environments: js_key_order(environments), settings })
    }

    fn templates(&mut self, fields: &Fields) -> Vec<(String, RawEnv)> {
        let Some((v, at)) = fields.get("env_templates") else { return Vec::new() };
        let mut out = Vec::new();
        for (name, tv, tat) in self.entries(v, at) {
            if let Some(t) = self.env(tv, &tat, true) {
                out.push((name, t));
            }
        }
        out
    }

    fn env(&mut self, value: &Value, at: &KeyPath, is_template: bool) -> Option<RawEnv> {
        let what = if is_template { "env template settings" } else { "environment settings" };
        let fields = self.fields(value, Level::Environment, at, what)?;
        let template = self.text(&fields, "template");
        if is_template {
            if let Some(t) = &template {
                self.error(
                    self.file
                        .error(
                            &t.at,
                            "an env template cannot itself name a template: MDAA does not follow it",
                        )
                        .expected("the settings and modules of the template written out here"),
                );
            }
        }
        let modules = fields.get("modules").map(|(v, mat)| {
            let mut out = Vec::new();
            for (name, mv, mod_at) in self.entries(v, mat) {
                if let Some(m) = self.module(mv, &mod_at) {
                    if m.selected {
                        self.check_name(&name, &mod_at, "a module name");
                    }
                    out.push((name, Arc::new(m)));
                }
            }
            js_key_order(out)
        });
        let settings = self.settings(&fields);
        Some(RawEnv { at: at.clone(), template, modules, settings })
    }

    /// The `module_path` of a module entry the reader was not asked for,
    /// read from the entry without judging anything else in it; `None`
    /// when the module is to be read in full (or its path holds a
    /// placeholder, which only the full reading resolves).
    fn unselected_path(&self, value: &Value, at: &KeyPath) -> Option<(Sourced<String>, ModuleType)> {
        let Value::Mapping(m) = value else { return None };
        let text = |key: &'static str| m.get(key).and_then(Value::as_str).map(|v| (key, v));
        let (key, written) =
            text("module_path").filter(|(_, v)| !v.is_empty()).or_else(|| text("cdk_app"))?;
        if written.contains("{{") {
            return None;
        }
        let terraform = text("module_type").is_some_and(|(_, t)| t == "tf");
        let path = ModulePath::parse(written, self.file.dir());
        let module_type = if terraform { ModuleType::Terraform } else { ModuleType::Cdk };
        (terraform || !(self.select)(&path))
            .then(|| (Sourced { value: written.to_string(), at: at.key(key) }, module_type))
    }

    fn module(&mut self, value: &Value, at: &KeyPath) -> Option<RawModule> {
        if let Some((module_path, module_type)) = self.unselected_path(value, at) {
            let tf = Sourced { value: "tf".to_string(), at: at.key("module_type") };
            return Some(RawModule {
                at: at.clone(),
                module_path: Some(module_path),
                module_type: (module_type == ModuleType::Terraform).then_some(tf),
                module_configs: Vec::new(),
                config_data: Arc::default(),
                settings: Settings::default(),
                selected: false,
            });
        }
        let fields = self.fields(value, Level::Module, at, "module settings")?;
        let module_path = self.text(&fields, "module_path").filter(|p| !p.value.is_empty());
        let module_path = module_path.or_else(|| self.text(&fields, "cdk_app"));
        if module_path.is_none() {
            self.error(
                self.file
                    .error(at, "the module has no `module_path`")
                    .expected("`module_path: '@aws-mdaa/<module>'` (or a local path)"),
            );
        }
        let module_type = self.text(&fields, "module_type");
        if let Some(t) = &module_type {
            if t.value != "cdk" && t.value != "tf" {
                self.error(
                    self.file
                        .error(&t.at, format!("`{}` is not a module type", t.value))
                        .expected("`cdk` or `tf`")
                        .maybe_help(
                            did_you_mean(&t.value, ["cdk", "tf"]).map(|s| format!("did you mean `{s}`?")),
                        ),
                );
            }
        }
        let mut module_configs = self.text_list(&fields, "app_configs");
        module_configs.extend(self.text_list(&fields, "module_configs"));
        let mut config_data = IndexMap::new();
        for key in ["app_config_data", "module_config_data"] {
            if let Some((Value::Mapping(m), dat)) = fields.get(key) {
                for (k, v) in m {
                    match k.as_str() {
                        Some(k) => {
                            config_data.insert(k.to_string(), Sourced { value: v.clone(), at: dat.key(k) });
                        }
                        None => {
                            self.error(self.file.error(dat, "a key here is not text").expected("text keys"))
                        }
                    }
                }
            }
        }
        let settings = self.settings(&fields);
        let config_data = Arc::new(config_data);
        let selected = true;
        Some(RawModule {
            at: at.clone(),
            module_path,
            module_type,
            module_configs,
            config_data,
            settings,
            selected,
        })
    }

    /// Checks the keys of the mapping at `at` against `level`'s table.
    fn fields<'v>(&mut self, value: &'v Value, level: Level, at: &KeyPath, what: &str) -> Option<Fields<'v>> {
        let Value::Mapping(map) = value else {
            let problem = format!("{what} must be a mapping, not {}", kind(value));
            let d = match (at.is_root(), value) {
                (true, Value::Null) => {
                    Diagnostic::error(self.file.name(), "the mdaa.yaml is empty").at(Some((1, 1)))
                }
                (true, _) => Diagnostic::error(self.file.name(), problem).at(Some((1, 1))),
                (false, _) => self.file.error(at, problem),
            };
            let expected = match level {
                Level::Top => {
                    "a mapping with `organization`, `domains` and the other top-level keys".to_string()
                }
                other => format!("the keys of {}", other.words()),
            };
            self.error(d.expected(expected));
            return None;
        };
        let mut fields = IndexMap::new();
        for (k, v) in map {
            let Some(name) = k.as_str() else {
                self.error(self.file.error(at, "a key here is not text").expected("text keys"));
                continue;
            };
            let kat = at.key(name);
            let Some(spec) = level.key(name) else {
                let known = level.keys().map(|k| k.name);
                let suggestion = did_you_mean(name, known.clone());
                if let Some(s) = suggestion {
                    self.misspelt.push(at.key(s));
                }
                let mut d = self
                    .file
                    .error(&kat, format!("unknown key in {}", level.words()))
                    .expected(format!("one of {}", backticked(known)))
                    .maybe_help(suggestion.map(|s| format!("did you mean `{s}`?")));
                if level == Level::Module && (name == "account" || name == "region") {
                    d = d.help(format!(
                        "MDAA sets `{name}` on the environment, its domain or the top level, not on a module"
                    ));
                }
                self.error(d);
                continue;
            };
            if !self.shape_ok(v, spec.shape, &kat) {
                continue;
            }
            match spec.disposition {
                Disposition::Honoured(_) => {
                    fields.insert(name, (v, kat));
                }
                Disposition::Ignored(why) => {
                    self.warnings.push(self.file.warning(&kat, format!("has no effect here: {why}")));
                    // Kept: `mdaa_version` is reported on the instance.
                    fields.insert(name, (v, kat));
                }
                Disposition::Refused(why) => self.error(
                    self.file
                        .error(&kat, format!("is not supported: {why}"))
                        .expected("an estate without it, or MDAA's own CLI to synthesize this one"),
                ),
            }
        }
        Some(fields)
    }

    fn shape_ok(&mut self, v: &Value, shape: Shape, at: &KeyPath) -> bool {
        let ok = match shape {
            Shape::Text => v.is_string(),
            Shape::Bool => v.is_bool(),
            Shape::TextList | Shape::List => v.is_sequence(),
            Shape::Mapping | Shape::TextMap | Shape::Entries => v.is_mapping(),
        };
        if !ok {
            let mut d = self.file.error(at, format!("wrong type: {}", kind(v))).expected(shape.words());
            if shape == Shape::Text && (v.is_number() || v.is_bool()) {
                d = d.help("write it in quotes: YAML reads unquoted digits as a number and `true`/`false` as booleans");
            }
            self.error(d);
            return false;
        }
        let mut ok = true;
        match (shape, v) {
            (Shape::TextList, Value::Sequence(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_string() {
                        self.error(
                            self.file
                                .error(&at.index(i), format!("wrong type: {}", kind(item)))
                                .expected("text"),
                        );
                        ok = false;
                    }
                }
            }
            (Shape::TextMap, Value::Mapping(m)) => {
                for (k, item) in m {
                    if !item.is_string() {
                        let kat = at.key(k.as_str().unwrap_or_default());
                        self.error(
                            self.file
                                .error(&kat, format!("wrong type: {}", kind(item)))
                                .expected("text")
                                .help("write it in quotes"),
                        );
                        ok = false;
                    }
                }
            }
            _ => {}
        }
        ok
    }

    /// The entries of a mapping of named things, with their paths.
    fn entries<'v>(&mut self, v: &'v Value, at: &KeyPath) -> Vec<(String, &'v Value, KeyPath)> {
        let Value::Mapping(m) = v else { return Vec::new() };
        let mut out = Vec::new();
        for (k, v) in m {
            match k.as_str() {
                Some(name) => out.push((name.to_string(), v, at.key(name))),
                None => self.error(self.file.error(at, "a name here is not text").expected(NAME_RULE)),
            }
        }
        out
    }

    fn check_name(&mut self, name: &str, at: &KeyPath, what: &str) {
        let ok = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            let fixed = suggested_name(name);
            self.error(
                self.file
                    .error(at, format!("`{name}` is not allowed as {what}"))
                    .expected(NAME_RULE)
                    .maybe_help((!fixed.is_empty() && fixed != name).then(|| format!("try `{fixed}`"))),
            );
        }
    }

    fn text(&self, fields: &Fields, key: &str) -> Option<Sourced<String>> {
        let (v, at) = fields.get(key)?;
        Some(Sourced { value: v.as_str()?.to_string(), at: at.clone() })
    }

    fn text_list(&self, fields: &Fields, key: &str) -> Vec<Sourced<String>> {
        let Some((Value::Sequence(items), at)) = fields.get(key) else { return Vec::new() };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some(Sourced { value: v.as_str()?.to_string(), at: at.index(i) }))
            .collect()
    }

    fn settings(&self, fields: &Fields) -> Settings {
        let mut context = Context::new();
        if let Some((Value::Mapping(m), at)) = fields.get("context") {
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    context.insert(k.to_string(), Sourced { value: v.clone(), at: at.key(k) });
                }
            }
        }
        let mut tag_config_data = IndexMap::new();
        if let Some((Value::Mapping(m), at)) = fields.get("tag_config_data") {
            for (k, v) in m {
                if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                    tag_config_data.insert(k.to_string(), Sourced { value: v.to_string(), at: at.key(k) });
                }
            }
        }
        Settings {
            account: self.text(fields, "account"),
            region: self.text(fields, "region"),
            context: Arc::new(context),
            tag_configs: Arc::new(self.text_list(fields, "tag_configs")),
            tag_config_data: Arc::new(tag_config_data),
            permissions_boundary_arn: self.text(fields, "permissions_boundary_arn"),
            mdaa_version: self.text(fields, "mdaa_version"),
        }
    }

    /// Every module instance, in MDAA's order.
    fn flatten(&mut self, top: &RawTop, env_vars: EnvVars, out: &mut Vec<ModuleInstance>) {
        for (domain_name, domain) in &top.domains {
            // MDAA takes the top-level `mdaa_version` for a domain, not the domain's own.
            let domain_own = Settings { mdaa_version: None, ..domain.settings.clone() };
            let domain_settings = domain_own.under(&top.settings);
            let mut templates: IndexMap<&str, &RawEnv> = IndexMap::new();
            for (name, t) in top.env_templates.iter().chain(&domain.env_templates) {
                templates.insert(name, t);
            }
            for (env_name, env) in &domain.environments {
                let merged;
                let env = match &env.template {
                    Some(t) => match templates.get(t.value.as_str()) {
                        Some(template) => {
                            merged = env.with_template(template);
                            &merged
                        }
                        None => {
                            self.unknown_template(&t.value, &t.at, domain_name, &domain.at, &templates);
                            continue;
                        }
                    },
                    None => env,
                };
                let Some(modules) = &env.modules else {
                    self.error(
                        self.file
                            .error(&env.at, "the environment has no modules: MDAA refuses to deploy it")
                            .expected("`modules:`, or a `template` that has modules"),
                    );
                    continue;
                };
                let env_settings = env.settings.under(&domain_settings);
                for (module_name, module) in modules {
                    let from_template = (!module.at.starts_with(&env.at))
                        .then(|| env.template.as_ref().map(|t| t.value.clone()))
                        .flatten();
                    let ctx = Names {
                        org: &top.organization,
                        domain: domain_name,
                        env: env_name,
                        module: module_name,
                    };
                    if let Some(i) = self.instance(ctx, module, &env_settings, from_template, env_vars) {
                        out.push(i);
                    }
                }
            }
        }
    }

    fn unknown_template(
        &mut self,
        name: &str,
        at: &KeyPath,
        domain: &str,
        domain_at: &KeyPath,
        templates: &IndexMap<&str, &RawEnv>,
    ) {
        let known: Vec<&str> = templates.keys().copied().collect();
        let expected = if known.is_empty() {
            format!("an entry of `env_templates` at the top level or in domain `{domain}` (there are none)")
        } else {
            format!("one of {} (from the top level and `{domain_at}`)", backticked(known.iter().copied()))
        };
        self.error(
            self.file
                .error(at, format!("there is no env template `{name}`"))
                .expected(expected)
                .maybe_help(did_you_mean(name, known).map(|s| format!("did you mean `{s}`?"))),
        );
    }

    fn instance(
        &mut self,
        names: Names,
        module: &RawModule,
        env_settings: &Settings,
        template: Option<String>,
        env_vars: EnvVars,
    ) -> Option<ModuleInstance> {
        if !module.selected {
            return Some(self.unselected(names, module, template));
        }
        let s = module.settings.under(env_settings);
        let scope = Scope {
            org: names.org,
            domain: names.domain,
            env: names.env,
            module_name: names.module,
            account: None,
            region: None,
            context: &s.context,
            context_file: self.file,
            env_vars,
        };
        let note = match &template {
            Some(t) => format!(
                " (module `domains.{}.environments.{}.modules.{}`, from env template `{t}`)",
                names.domain, names.env, names.module
            ),
            None => String::new(),
        };
        let mut failed = false;
        let mut now =
            |this: &mut Self, v: &Sourced<String>| match resolve_now(&v.value, &v.at, this.file, &scope) {
                Ok(s) => Some(s),
                Err(errors) => {
                    failed = true;
                    this.errors.extend(errors.into_iter().map(|mut e| {
                        e.problem.push_str(&note);
                        e
                    }));
                    None
                }
            };
        let dir = self.file.dir().to_path_buf();
        let joined = |this: &mut Self, written: String| -> PathBuf {
            if let Some(p) = this.paths.get(&written) {
                return p.clone();
            }
            let p = join_clean(&dir, &written);
            this.paths.insert(written, p.clone());
            p
        };
        let target = |v: Option<String>| v.filter(|s| !s.eq_ignore_ascii_case("default"));
        let account = target(s.account.as_ref().and_then(|a| now(self, a)));
        let region = target(s.region.as_ref().and_then(|r| now(self, r)));
        let mut paths = |this: &mut Self, list: &[Sourced<String>]| -> Vec<Sourced<PathBuf>> {
            list.iter()
                .filter_map(|p| now(this, p).map(|v| Sourced { value: joined(this, v), at: p.at.clone() }))
                .collect()
        };
        let module_configs = paths(self, &module.module_configs);
        let tag_configs = paths(self, &s.tag_configs);
        let module_path = module.module_path.as_ref().and_then(|p| now(self, p));
        if failed {
            return None;
        }
        let module_type = match module.module_type.as_ref().map(|t| t.value.as_str()) {
            Some("tf") => ModuleType::Terraform,
            _ => ModuleType::Cdk,
        };
        Some(ModuleInstance {
            org: names.org.to_string(),
            domain: names.domain.to_string(),
            env: names.env.to_string(),
            name: names.module.to_string(),
            module_path: ModulePath::parse(&module_path?, &dir),
            module_type,
            account,
            region,
            context: s.context,
            module_configs,
            module_config_data: Arc::clone(&module.config_data),
            tag_configs,
            tag_config_data: s.tag_config_data,
            permissions_boundary_arn: s.permissions_boundary_arn,
            mdaa_version: s.mdaa_version.map(|v| v.value),
            template,
            entry: module.at.clone(),
            selected: true,
        })
    }

    /// An instance known by its `module_path` alone.
    fn unselected(&self, names: Names, module: &RawModule, template: Option<String>) -> ModuleInstance {
        let written = module.module_path.as_ref().map(|p| p.value.as_str()).unwrap_or_default();
        ModuleInstance {
            org: names.org.to_string(),
            domain: names.domain.to_string(),
            env: names.env.to_string(),
            name: names.module.to_string(),
            module_path: ModulePath::parse(written, self.file.dir()),
            module_type: match module.module_type {
                Some(_) => ModuleType::Terraform,
                None => ModuleType::Cdk,
            },
            account: None,
            region: None,
            context: Arc::default(),
            module_configs: Vec::new(),
            module_config_data: Arc::default(),
            tag_configs: Vec::new(),
            tag_config_data: Arc::default(),
            permissions_boundary_arn: None,
            mdaa_version: None,
            template,
            entry: module.at.clone(),
            selected: false,
        }
    }
}

#[derive(Clone, Copy)]
struct Names<'a> {
    org: &'a str,
    domain: &'a str,
    env: &'a str,
    module: &'a str,
}

/// `dir` joined with `rel` (unless `rel` is absolute), with `.` steps
/// dropped and `..` steps applied where they can be.
fn join_clean(dir: &Path, rel: &str) -> PathBuf {
    let joined = dir.join(rel);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `name` made into one MDAA accepts, for a suggestion: lower-cased, each
/// run of other characters one `-`, none at either end (MDAA's resource
/// names start and end with a letter or digit): `<unique-org-name>` becomes
/// `unique-org-name`.
fn suggested_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A YAML value's kind in words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_split_the_version_and_rename_caef() {
        let dir = Path::new("estate");
        assert_eq!(
            ModulePath::parse("@aws-mdaa/audit-trail@1.2.0", dir),
            ModulePath::Package { name: "@aws-mdaa/audit-trail".into(), version: Some("1.2.0".into()) }
        );
        assert_eq!(
            ModulePath::parse("@aws-caef/audit", dir),
            ModulePath::Package { name: "@aws-mdaa/audit".into(), version: None }
        );
        assert_eq!(ModulePath::parse("plain@2", dir).package(), Some("plain"));
        assert_eq!(
            ModulePath::parse("./apps/mine", dir),
            ModulePath::Local(PathBuf::from("estate/apps/mine"))
        );
    }

    #[test]
    fn suggested_names_are_valid_names() {
        assert_eq!(suggested_name("<unique-org-name>"), "unique-org-name");
        assert_eq!(suggested_name("My Org__2"), "my-org-2");
        assert_eq!(suggested_name("--"), "");
        for name in ["<unique-org-name>", "My Org__2", "_a_", "ÄÖ-x"] {
            let fixed = suggested_name(name);
            crate::naming::validate_resource_name(&fixed).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn paths_are_joined_and_cleaned() {
        assert_eq!(join_clean(Path::new("a/b"), "./c.yaml"), PathBuf::from("a/b/c.yaml"));
        assert_eq!(join_clean(Path::new("a/b"), "../c.yaml"), PathBuf::from("a/c.yaml"));
        assert_eq!(join_clean(Path::new(""), "../c.yaml"), PathBuf::from("../c.yaml"));
        assert_eq!(join_clean(Path::new("a"), "/abs/c.yaml"), PathBuf::from("/abs/c.yaml"));
    }
}
