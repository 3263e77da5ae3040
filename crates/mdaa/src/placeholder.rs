//! MDAA's placeholders in module configs, resolved in MDAA's order (see
//! [`resolve`]).

use indexmap::IndexMap;
use yaml_serde::{Number, Value};

use crate::diagnostic::{backticked, did_you_mean, Diagnostic, Diagnostics};
use crate::keypath::KeyPath;
use crate::naming::MdaaNaming;
use crate::resolved::{DeployValue, Resolved, Text};
use crate::source::SourceFile;

/// A value written in a file, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it is written (in the mdaa.yaml, for values of an estate).
    pub at: KeyPath,
}

/// A module instance's merged context: name → value and where it is written.
pub type Context = IndexMap<String, Sourced<Value>>;

/// Looks up an environment variable for `{{env_var:NAME}}`.
pub type EnvVars<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, for [`Scope::env_vars`].
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// No environment variables at all, for [`Scope::env_vars`].
pub fn no_env(_: &str) -> Option<String> {
    None
}

/// What placeholders resolve against: one module instance.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// The organization.
    pub org: &'a str,
    /// The domain.
    pub domain: &'a str,
    /// The environment.
    pub env: &'a str,
    /// The module name.
    pub module_name: &'a str,
    /// The account, if the mdaa.yaml fixes it.
    pub account: Option<&'a str>,
    /// The region, if the mdaa.yaml fixes it.
    pub region: Option<&'a str>,
    /// The instance's merged context.
    pub context: &'a Context,
    /// The file the context values are written in (the mdaa.yaml).
    pub context_file: &'a SourceFile,
    /// Environment variables for `{{env_var:NAME}}`.
    pub env_vars: EnvVars<'a>,
}

/// The partition a region is in, where its name says so.
///
/// ```
/// assert_eq!(mdaa::partition_of("eu-west-1"), Some("aws"));
/// assert_eq!(mdaa::partition_of("cn-north-1"), Some("aws-cn"));
/// assert_eq!(mdaa::partition_of("us-gov-west-1"), Some("aws-us-gov"));
/// assert_eq!(mdaa::partition_of("not-a-region"), None);
/// ```
pub fn partition_of(region: &str) -> Option<&'static str> {
    const PREFIXES: [(&str, &str); 7] = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-iso-", "aws-iso"),
        ("us-isob-", "aws-iso-b"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-isof-", "aws-iso-f"),
        ("eusc-", "aws-eusc"),
    ];
    if let Some((_, p)) = PREFIXES.iter().find(|(prefix, _)| region.starts_with(prefix)) {
        return Some(p);
    }
    // Commercial regions: two letters, a direction, a number (`ap-southeast-2`).
    let parts: Vec<&str> = region.split('-').collect();
    let commercial = parts.len() == 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && !parts[1].is_empty()
        && parts[1].bytes().all(|b| b.is_ascii_lowercase())
        && !parts[2].is_empty()
        && parts[2].bytes().all(|b| b.is_ascii_digit());
    commercial.then_some("aws")
}

/// When a placeholder is resolved: while MDAA's CLI reads the mdaa.yaml
/// (file lists, account, region: no deploy-time values, no SSM), or while
/// its app synthesizes the module's config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Cli,
    Synth,
}

/// Resolves every placeholder in `value`, which is written at `at` in
/// `file`. All problems are reported at once, in file order.
///
/// For each string value of a module config, MDAA's app (packages/apps/core,
/// `MdaaAppConfigParser`) applies, in turn:
///
/// 1. `generated-role-id:NAME` / `generated-role-arn:NAME` →
///    `ssm:/org/domain/generated-role/name/id` (or `/arn`);
/// 2. `ssm-org:P`, `ssm-domain:P`, `ssm-env:P` → `{{resolve:ssm:/org/P}}`,
///    `/org/domain/P`, `/org/domain/env/P` (case kept);
/// 3. `ssm:NAME` → `{{resolve:ssm:NAME}}`, except under
///    `policyDocument/Statement/Action`, where `ssm:GetParameter` is an IAM action;
/// 4. every `{{...}}` (nested ones first): `{{org}}`, `{{env}}`, `{{domain}}`,
///    `{{module_name}}`, `{{partition}}`, `{{region}}`, `{{account}}`,
///    `{{context:NAME}}`, `{{env_var:NAME}}`, `{{ssm-org:P}}` (and `-domain`,
///    `-env`, lower-cased; MDAA leaves `{{resolve:ssm:/org/P}}`, a
///    CloudFormation dynamic reference, which is the value of the same
///    parameter as [`DeployValue::SsmParameter`], given here), and
///    `{{resolve:ssm:NAME}}`, which becomes a template parameter of type
///    `AWS::SSM::Parameter::Value<String>` ([`DeployValue::SsmParameter`]).
///
/// Mapping keys get step 4 too. A value that is exactly `{{context:NAME}}`
/// and names a mapping or list becomes that mapping or list; so does
/// `{{env_var:NAME}}` holding JSON. `{{resolve:...}}` other than
/// `resolve:ssm:` (`secretsmanager`, `ssm-secure`) is a CloudFormation
/// dynamic reference and stays as written. `!include FILE` is expanded when
/// module configs and tag files are read ([`crate::Files`]); here any tag
/// is an error.
///
/// Where MDAA leaves an unknown placeholder in place, or throws late, this
/// reports an error with the file, line, column and key: unknown names (with
/// a suggestion), missing or empty context values, unset environment
/// variables, context values that refer to themselves, and the placeholders
/// this crate refuses (`{{ref:...}}`, `{{param:...}}`, `{{blueprint:...}}`).
pub fn resolve(
    value: &Value,
    at: &KeyPath,
    file: &SourceFile,
    scope: &Scope,
) -> Result<Resolved, Diagnostics> {
    let mut r = Resolver::new(scope, Stage::Synth);
    let out = r.value(value, at, file);
    r.finish(out)
}

/// Resolves the placeholders of one string written at `at` in `file`.
pub fn resolve_str(s: &str, at: &KeyPath, file: &SourceFile, scope: &Scope) -> Result<Resolved, Diagnostics> {
    let mut r = Resolver::new(scope, Stage::Synth);
    let out = r.string(s, at, file);
    r.finish(out)
}

/// Resolves a string MDAA's CLI resolves (a file path, an account): only
/// names, context values and environment variables, to plain text.
pub(crate) fn resolve_now(
    s: &str,
    at: &KeyPath,
    file: &SourceFile,
    scope: &Scope,
) -> Result<String, Vec<Diagnostic>> {
    if !s.contains("{{") {
        return Ok(s.to_string());
    }
    let mut r = Resolver::new(scope, Stage::Cli);
    let out = r.refs(s, at, file, 0);
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    match out.as_str() {
        Some(text) => Ok(text.to_string()),
        None => Err(vec![file
            .error(at, "a mapping or list cannot stand where text is expected")
            .expected("a placeholder that gives text")]),
    }
}

const NAMES: [&str; 7] = ["org", "env", "domain", "module_name", "partition", "region", "account"];
const PREFIXES: [&str; 6] = ["context", "env_var", "ssm-org", "ssm-domain", "ssm-env", "resolve"];
const MAX_NESTING: usize = 16;

/// How many `{{context:NAME}}` substitutions one file's (or one inline
/// config's) resolution may make, counting those inside context values.
/// Context values that name each other several times over multiply: eight
/// levels of ten references each are 10^8 substitutions from a few hundred
/// bytes. Real configs make dozens.
pub const MAX_CONTEXT_EXPANSIONS: usize = 10_000;

/// How much text and how many values (each counted as a byte) the context
/// substitutions of one resolution may produce in all: the size of the
/// largest configuration the module kit reads.
pub const MAX_EXPANDED_BYTES: usize = module_kit::limits::MAX_CONFIG_BYTES;

struct Resolver<'s, 'a> {
    scope: &'s Scope<'a>,
    stage: Stage,
    /// Built the first time an SSM path needs it.
    naming: std::cell::OnceCell<MdaaNaming>,
    errors: Vec<Diagnostic>,
    /// Context values being resolved, to catch one that refers to itself.
    resolving: Vec<String>,
    /// Where the outermost of them is used (`file:line:column`).
    first_use: String,
    /// Context substitutions made so far.
    expansions: usize,
    /// What they produced so far (see [`MAX_EXPANDED_BYTES`]).
    expanded: usize,
    /// A bound was passed and reported: every further context value is
    /// refused at once, so the work stops with the report.
    exhausted: bool,
}

impl<'s, 'a> Resolver<'s, 'a> {
    fn new(scope: &'s Scope<'a>, stage: Stage) -> Self {
        Resolver {
            scope,
            stage,
            naming: std::cell::OnceCell::new(),
            errors: Vec::new(),
            resolving: Vec::new(),
            first_use: String::new(),
            expansions: 0,
            expanded: 0,
            exhausted: false,
        }
    }

    fn naming(&self) -> &MdaaNaming {
        let s = self.scope;
        self.naming.get_or_init(|| MdaaNaming::new(s.org, s.env, s.domain, s.module_name))
    }

    fn finish(self, out: Resolved) -> Result<Resolved, Diagnostics> {
        if self.errors.is_empty() {
            Ok(out)
        } else {
            Err(Diagnostics(self.errors).in_file_order())
        }
    }

    fn value(&mut self, v: &Value, at: &KeyPath, file: &SourceFile) -> Resolved {
        match v {
            Value::Null => Resolved::Null,
            Value::Bool(b) => Resolved::Bool(*b),
            Value::Number(n) => Resolved::Number(n.clone()),
            Value::String(s) => self.string(s, at, file),
            Value::Sequence(items) => Resolved::Seq(
                items.iter().enumerate().map(|(i, x)| self.value(x, &at.index(i), file)).collect(),
            ),
            Value::Mapping(m) => {
                let mut out = IndexMap::with_capacity(m.len());
                for (k, x) in m {
                    let Some(written) = key_text(k) else {
                        self.errors.push(
                            file.error(at, "a mapping key here is not text")
                                .expected("text keys, as MDAA (JavaScript) reads them"),
                        );
                        continue;
                    };
                    let child = at.key(written.clone());
                    let key = match self.refs(&written, &child, file, 0) {
                        Resolved::Text(t) => match t.as_literal() {
                            Some(l) => l.to_string(),
                            None => {
                                self.errors.push(
                                    file.error(&child, "a key cannot hold a value known only at deploy time")
                                        .expected("`{{org}}`, `{{env}}`, `{{domain}}`, `{{module_name}}` or a context value in keys"),
                                );
                                continue;
                            }
                        },
                        _ => {
                            self.errors.push(
                                file.error(&child, "a key cannot be a mapping or list").expected("text"),
                            );
                            continue;
                        }
                    };
                    let resolved = self.value(x, &child, file);
                    if out.insert(key.clone(), resolved).is_some() {
                        self.errors.push(
                            file.error(&child, format!("after placeholders, the key `{key}` is given twice"))
                                .expected("each key once"),
                        );
                    }
                }
                Resolved::Map(out)
            }
            Value::Tagged(tagged) => {
                let d = if tagged.tag == "include" {
                    // Module configs and tag files have theirs expanded when read (`Files`).
                    file.error(at, "`!include` is not read in the mdaa.yaml: MDAA's CLI reads it without the tag, as the file's name")
                        .expected("the value itself, or a module config file that `!include`s the file")
                } else {
                    file.error(at, format!("the YAML tag `{}` is not supported", tagged.tag))
                        .expected("`!include FILE` in a module config or tag file, the only tag MDAA reads")
                };
                self.errors.push(d);
                Resolved::Null
            }
        }
    }

    /// Steps 1 to 4 for one string value.
    fn string(&mut self, s: &str, at: &KeyPath, file: &SourceFile) -> Resolved {
        let generated = [("generated-role-id:", "id"), ("generated-role-arn:", "arn")].into_iter().find_map(
            |(prefix, attr)| {
                s.strip_prefix(prefix).map(|name| {
                    let path = format!("generated-role/{}/{attr}", name.trim_start());
                    format!("ssm:{}", self.naming().ssm_path_with(&path, false, true))
                })
            },
        );
        let s = generated.as_deref().unwrap_or(s);
        let partial = if let Some(p) = s.strip_prefix("ssm-org:") {
            Some(self.naming().ssm_org_path(p.trim_start(), false))
        } else if let Some(p) = s.strip_prefix("ssm-domain:") {
            Some(self.naming().ssm_domain_path(p.trim_start(), false))
        } else {
            s.strip_prefix("ssm-env:").map(|p| self.naming().ssm_env_path(p.trim_start(), false))
        };
        let partial = partial.map(|path| format!("{{{{resolve:ssm:{path}}}}}"));
        let s = partial.as_deref().unwrap_or(s);
        let is_iam_action = at.transformer_path().to_lowercase().ends_with("policydocument/statement/action");
        let ssm = match s.strip_prefix("ssm:") {
            Some(name) if !is_iam_action => Some(format!("{{{{resolve:ssm:{}}}}}", name.trim_start())),
            _ => None,
        };
        let s = ssm.as_deref().unwrap_or(s);
        self.refs(s, at, file, 0)
    }

    /// Step 4: every top-level `{{...}}` of `s`, nested ones resolved first.
    fn refs(&mut self, s: &str, at: &KeyPath, file: &SourceFile, depth: usize) -> Resolved {
        let spans = spans(s);
        if spans.is_empty() {
            return Resolved::Text(Text::literal(s));
        }
        if depth > MAX_NESTING {
            self.errors.push(
                file.error(at, "placeholders are nested too deeply")
                    .expected(format!("at most {MAX_NESTING} levels of `{{{{...}}}}`")),
            );
            return Resolved::Null;
        }
        let naked = spans.len() == 1 && spans[0] == (0, s.len());
        let mut text = Text::default();
        let mut last = 0;
        for (start, end) in spans {
            text.push_str(&s[last..start]);
            last = end;
            let Some(name) = self.name(&s[start + 2..end - 2], at, file, depth) else { continue };
            match self.reference(&name, naked, at, file) {
                Some(Resolved::Text(t)) => text.push_text(t),
                Some(structure) => return structure,
                None => {}
            }
        }
        text.push_str(&s[last..]);
        Resolved::Text(text)
    }

    /// The inside of a `{{...}}`, its own placeholders resolved.
    fn name(&mut self, inner: &str, at: &KeyPath, file: &SourceFile, depth: usize) -> Option<String> {
        match self.refs(inner, at, file, depth + 1) {
            Resolved::Text(t) => match t.as_literal() {
                Some(l) => Some(l.to_string()),
                None => {
                    self.errors.push(
                        file.error(at, format!("`{{{{{inner}}}}}`: a placeholder's name cannot depend on a deploy-time value"))
                            .expected("names built from `{{org}}`, `{{env}}`, `{{domain}}`, `{{module_name}}` or context values"),
                    );
                    None
                }
            },
            Resolved::Null => None,
            _ => {
                self.errors.push(
                    file.error(
                        at,
                        format!("`{{{{{inner}}}}}`: a placeholder's name cannot be a mapping or list"),
                    )
                    .expected("text"),
                );
                None
            }
        }
    }

    fn too_early(&mut self, name: &str, at: &KeyPath, file: &SourceFile) -> Option<Resolved> {
        self.errors.push(
            file.error(at, format!("`{{{{{name}}}}}` is known only when the stack deploys, not while the mdaa.yaml is read"))
                .expected("`{{org}}`, `{{env}}`, `{{domain}}`, `{{module_name}}`, `{{context:NAME}}` or `{{env_var:NAME}}` here"),
        );
        None
    }

    /// One placeholder; `None` after recording an error.
    fn reference(&mut self, name: &str, naked: bool, at: &KeyPath, file: &SourceFile) -> Option<Resolved> {
        let lit = |s: &str| Some(Resolved::Text(Text::literal(s)));
        let deploy_or = |fixed: Option<&str>, d: DeployValue| match fixed {
            Some(v) => lit(v),
            None => Some(Resolved::Text(Text::deploy(d))),
        };
        let scope = self.scope;
        match name {
            "org" => return lit(scope.org),
            "env" => return lit(scope.env),
            "domain" => return lit(scope.domain),
            "module_name" => return lit(scope.module_name),
            "partition" | "region" | "account" if self.stage == Stage::Cli => {
                return self.too_early(name, at, file)
            }
            "partition" => return deploy_or(scope.region.and_then(partition_of), DeployValue::Partition),
            "region" => return deploy_or(scope.region, DeployValue::Region),
            "account" => return deploy_or(scope.account, DeployValue::AccountId),
            _ => {}
        }
        if let Some(n) = name.strip_prefix("context:") {
            return self.context(n, naked, at, file);
        }
        if let Some(n) = name.strip_prefix("env_var:") {
            return self.env_var(n, naked, at, file);
        }
        let partial = [("ssm-org:", 0), ("ssm-domain:", 1), ("ssm-env:", 2)]
            .into_iter()
            .find_map(|(prefix, level)| name.strip_prefix(prefix).map(|p| (level, p)));
        if partial.is_some() || name.starts_with("resolve:") {
            if self.stage == Stage::Cli {
                return self.too_early(name, at, file);
            }
            if let Some((level, p)) = partial {
                let p = p.trim_start();
                let p = p.strip_prefix('/').unwrap_or(p);
                let path = match level {
                    0 => self.naming().ssm_org_path(p, true),
                    1 => self.naming().ssm_domain_path(p, true),
                    _ => self.naming().ssm_env_path(p, true),
                };
                // MDAA writes `{{resolve:ssm:PATH}}` here, a dynamic reference
                // CloudFormation resolves at deploy time: the same value as an
                // SSM parameter, which modules honour where they take `ssm:`.
                return Some(Resolved::Text(Text::deploy(DeployValue::SsmParameter(path))));
            }
            return match name.strip_prefix("resolve:ssm:") {
                Some(param) => {
                    Some(Resolved::Text(Text::deploy(DeployValue::SsmParameter(param.to_string()))))
                }
                // Another CloudFormation dynamic reference: CloudFormation resolves it.
                None => lit(&format!("{{{{{name}}}}}")),
            };
        }
        let refused = [
            ("ref:", "refers to a resource by CDK's logical ID, which these templates do not share"),
            ("param:", "makes a Service Catalog template parameter, which these templates do not offer"),
            ("blueprint:", "reads a SageMaker blueprint's parameters, which these templates do not offer"),
        ];
        if let Some((prefix, why)) = refused.iter().find(|(p, _)| name.starts_with(p)) {
            self.errors.push(
                file.error(at, format!("`{{{{{name}}}}}` is not supported: `{prefix}...` {why}"))
                    .expected(self.known_list()),
            );
            return None;
        }
        let suggestion = match name.split_once(':') {
            Some((prefix, rest)) => did_you_mean(prefix, PREFIXES).map(|p| format!("{{{{{p}:{rest}}}}}")),
            None => did_you_mean(name, NAMES).map(|n| format!("{{{{{n}}}}}")),
        };
        self.errors.push(
            file.error(at, format!("unknown placeholder `{{{{{name}}}}}`"))
                .expected(self.known_list())
                .maybe_help(suggestion.map(|s| format!("did you mean `{s}`?"))),
        );
        None
    }

    fn known_list(&self) -> String {
        format!(
            "one of {}, or `{{{{context:NAME}}}}`, `{{{{env_var:NAME}}}}`, `{{{{ssm-org:PATH}}}}`, `{{{{ssm-domain:PATH}}}}`, `{{{{ssm-env:PATH}}}}`, `{{{{resolve:ssm:NAME}}}}`",
            backticked(NAMES.map(|n| format!("{{{{{n}}}}}")).iter().map(String::as_str))
        )
    }

    fn context(&mut self, name: &str, naked: bool, at: &KeyPath, file: &SourceFile) -> Option<Resolved> {
        let scope = self.scope;
        let Some(entry) = scope.context.get(name) else {
            let known: Vec<&str> = scope.context.keys().map(String::as_str).collect();
            let expected = if known.is_empty() {
                "a `context` entry at the top level, domain, environment or module".to_string()
            } else {
                format!("one of {}", backticked(known.iter().copied()))
            };
            self.errors.push(
                file.error(at, format!("`{{{{context:{name}}}}}`: the context has no `{name}`"))
                    .expected(expected)
                    .maybe_help(
                        did_you_mean(name, known).map(|k| format!("did you mean `{{{{context:{k}}}}}`?")),
                    ),
            );
            return None;
        };
        if self.resolving.is_empty() {
            self.first_use = match file.locate(at) {
                Some((line, column)) => format!("{}:{line}:{column}", file.name()),
                None => file.name().to_string(),
            };
        }
        if self.exhausted {
            return None;
        }
        self.expansions += 1;
        if self.expansions > MAX_CONTEXT_EXPANSIONS {
            self.exhausted = true;
            self.errors.push(
                file.error(
                    at,
                    format!(
                        "`{{{{context:{name}}}}}`: the value at {} takes more than {} context substitutions to resolve",
                        self.first_use,
                        module_kit::limits::count(MAX_CONTEXT_EXPANSIONS)
                    ),
                )
                .expected(format!(
                    "at most {} substitutions of `{{{{context:...}}}}`, counting those inside context values",
                    module_kit::limits::count(MAX_CONTEXT_EXPANSIONS)
                ))
                .help("context values that name other context values several times multiply: name each once, or write the text out"),
            );
            return None;
        }
        if self.resolving.len() >= MAX_NESTING {
            self.errors.push(
                file.error(
                    at,
                    format!("`{{{{context:{name}}}}}`: context values refer to one another too deeply"),
                )
                .expected(format!("at most {MAX_NESTING} context values, each naming the next")),
            );
            return None;
        }
        if self.resolving.iter().any(|n| n == name) {
            let chain = [self.resolving.as_slice(), &[name.to_string()]].concat().join("` → `");
            self.errors.push(
                scope
                    .context_file
                    .error(
                        &entry.at,
                        format!("context values refer to themselves: `{chain}` (used at {})", self.first_use),
                    )
                    .expected("context values that end in text"),
            );
            return None;
        }
        self.resolving.push(name.to_string());
        let value = self.value(&entry.value, &entry.at, scope.context_file);
        self.resolving.pop();
        if self.exhausted {
            return None;
        }
        self.expanded = self.expanded.saturating_add(weight(&value));
        if self.expanded > MAX_EXPANDED_BYTES {
            self.exhausted = true;
            self.errors.push(
                file.error(
                    at,
                    format!(
                        "`{{{{context:{name}}}}}`: context values expand to more than {} in all, passed in the value at {}",
                        module_kit::limits::bytes(MAX_EXPANDED_BYTES),
                        self.first_use
                    ),
                )
                .expected(format!(
                    "at most {} of context text in all, each value counting each time it is used",
                    module_kit::limits::bytes(MAX_EXPANDED_BYTES)
                ))
                .help("context values that name other context values several times multiply: name each once, or write the text out"),
            );
            return None;
        }
        let empty = |this: &mut Self, what: &str| {
            this.errors.push(
                file.error(at, format!("`{{{{context:{name}}}}}`: the context value is {what}"))
                    .expected("a value (MDAA cannot resolve an empty one)"),
            );
            None
        };
        match value {
            Resolved::Seq(_) | Resolved::Map(_) if naked => Some(value),
            Resolved::Seq(_) | Resolved::Map(_) => {
                self.errors.push(
                    file.error(
                        at,
                        format!(
                            "`{{{{context:{name}}}}}` is a mapping or list and cannot be part of a string"
                        ),
                    )
                    .expected("the placeholder alone as the whole value, or a text context value"),
                );
                None
            }
            Resolved::Null => empty(self, "null"),
            Resolved::Text(t) if t.as_literal() == Some("") => empty(self, "empty"),
            Resolved::Text(t) => Some(Resolved::Text(t)),
            Resolved::Bool(b) => Some(Resolved::Text(Text::literal(b.to_string()))),
            Resolved::Number(n) => Some(Resolved::Text(Text::literal(js_number(&n)))),
        }
    }

    fn env_var(&mut self, name: &str, naked: bool, at: &KeyPath, file: &SourceFile) -> Option<Resolved> {
        let Some(value) = (self.scope.env_vars)(name) else {
            self.errors.push(
                file.error(
                    at,
                    format!("`{{{{env_var:{name}}}}}`: the environment variable `{name}` is not set"),
                )
                .expected("a variable set when synth runs"),
            );
            return None;
        };
        if naked && (value.starts_with('[') || value.starts_with('{')) {
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&value) {
                if json.is_array() || json.is_object() {
                    return Some(from_json(&json));
                }
            }
        }
        Some(Resolved::Text(Text::literal(value)))
    }
}

/// A mapping key as MDAA (JavaScript) sees it.
/// The size of a resolved value toward [`MAX_EXPANDED_BYTES`]: its text in
/// bytes, and one for each value.
fn weight(r: &Resolved) -> usize {
    match r {
        Resolved::Text(t) => {
            1 + t
                .parts()
                .iter()
                .map(|p| match p {
                    crate::resolved::Part::Literal(l) => l.len(),
                    crate::resolved::Part::Deploy(_) => 1,
                })
                .sum::<usize>()
        }
        Resolved::Seq(items) => 1 + items.iter().map(weight).sum::<usize>(),
        Resolved::Map(m) => 1 + m.iter().map(|(k, v)| k.len() + weight(v)).sum::<usize>(),
        _ => 1,
    }
}

fn key_text(k: &Value) -> Option<String> {
    match k {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(js_number(n)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".into()),
        _ => None,
    }
}

/// A number as JavaScript's `String(n)` writes the common cases.
fn js_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

fn from_json(v: &serde_json::Value) -> Resolved {
    match v {
        serde_json::Value::Null => Resolved::Null,
        serde_json::Value::Bool(b) => Resolved::Bool(*b),
        serde_json::Value::Number(n) => {
            let number = if let Some(i) = n.as_i64() {
                Number::from(i)
            } else if let Some(u) = n.as_u64() {
                Number::from(u)
            } else {
                Number::from(n.as_f64().unwrap_or(0.0))
            };
            Resolved::Number(number)
        }
        serde_json::Value::String(s) => Resolved::Text(Text::literal(s.clone())),
        serde_json::Value::Array(items) => Resolved::Seq(items.iter().map(from_json).collect()),
        serde_json::Value::Object(m) => {
            Resolved::Map(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// The byte ranges of the top-level `{{...}}` of `s`, delimiters included,
/// as XRegExp's `matchRecursive(s, '{{', '}}', 'g', {unbalanced: 'skip'})`
/// finds them: a `}}` with nothing open is text, and a `{{` never closed is
/// text (the search resumes just after it).
fn spans(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    'search: loop {
        let mut open: Vec<usize> = Vec::new();
        let mut i = from;
        while i + 1 < bytes.len() {
            if bytes[i] == b'{' && bytes[i + 1] == b'{' {
                open.push(i);
                i += 2;
            } else if bytes[i] == b'}' && bytes[i + 1] == b'}' {
                if let Some(start) = open.pop() {
                    if open.is_empty() {
                        found.push((start, i + 2));
                    }
                }
                i += 2;
            } else {
                i += 1;
            }
        }
        match open.first() {
            Some(&unclosed) => {
                // Drop what was found inside the unclosed one, then resume after it.
                found.retain(|(start, _)| *start < unclosed);
                from = unclosed + 1;
                continue 'search;
            }
            None => return found,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_top_level_spans_like_xregexp() {
        let inner =
            |s: &str| spans(s).into_iter().map(|(a, b)| s[a + 2..b - 2].to_string()).collect::<Vec<_>>();
        assert_eq!(inner("a {{org}} b {{env}}"), ["org", "env"]);
        assert_eq!(inner("{{context:{{env}}-x}}"), ["context:{{env}}-x"]);
        assert_eq!(inner("}} {{org}}"), ["org"]);
        assert_eq!(inner("{{ unclosed {{org}}"), ["org"]);
        assert_eq!(inner("{{{a}}}"), ["{a"]);
        assert!(inner("no placeholders { } {").is_empty());
    }

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        assert_eq!(js_number(&Number::from(12)), "12");
        assert_eq!(js_number(&Number::from(2.0)), "2");
        assert_eq!(js_number(&Number::from(0.5)), "0.5");
        assert_eq!(js_number(&Number::from(f64::INFINITY)), "Infinity");
    }

    #[test]
    fn partitions_follow_region_names() {
        assert_eq!(partition_of("us-isob-east-1"), Some("aws-iso-b"));
        assert_eq!(partition_of("us-iso-east-1"), Some("aws-iso"));
        assert_eq!(partition_of("eusc-de-east-1"), Some("aws-eusc"));
        assert_eq!(partition_of("ap-southeast-2"), Some("aws"));
        assert_eq!(partition_of("default"), None);
    }
}
