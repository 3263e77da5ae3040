//! MDAA's default naming, byte for byte: resource names, SSM parameter
//! names, export names and stack names from (org, env, domain, module).
//!
//! The rules are those of MDAA's `MdaaDefaultResourceNaming`
//! (packages/utilities/mdaa-naming), and the per-service length limits
//! those its L2 constructs pass (buckets 63, IAM roles, managed policies
//! and Lambda functions 64, KMS aliases 256).

use std::fmt;

/// The longest S3 bucket name MDAA asks for.
pub const BUCKET_NAME_MAX: usize = 63;
/// The longest IAM role name MDAA asks for.
pub const ROLE_NAME_MAX: usize = 64;
/// The longest IAM managed policy name MDAA asks for.
pub const MANAGED_POLICY_NAME_MAX: usize = 64;
/// The longest Lambda function name MDAA asks for.
pub const FUNCTION_NAME_MAX: usize = 64;
/// The longest KMS alias (after `alias/`) MDAA asks for.
pub const KMS_ALIAS_MAX: usize = 256;

/// A generated name that MDAA would refuse (it throws at synth time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    /// The name as generated.
    pub name: String,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid resource name: it must start and end with a letter or digit and hold only letters, digits, `-`, `_` and `.`",
            self.name
        )
    }
}

impl std::error::Error for NameError {}

/// MDAA's names for one module instance.
///
/// ```
/// let n = mdaa::MdaaNaming::new("test-org", "test-env", "test-domain", "test-bedrock-settings-minimal");
/// assert_eq!(
///     n.bucket_name(Some("logs-model-invocation")).unwrap(),
///     "test-org-test-env-test-domain-test-bedrock-settings-m--18e1d147"
/// );
/// assert_eq!(n.ssm_path("kms/bedrock-kms-key/arn"), "/test-org/test-domain/test-bedrock-settings-minimal/kms/bedrock-kms-key/arn");
/// assert_eq!(n.stack_name(None), "test-org-test-env-test-domain-test-bedrock-settings-minimal");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MdaaNaming {
    org: String,
    env: String,
    domain: String,
    module_name: String,
}

impl MdaaNaming {
    /// Names for module `module_name` of environment `env` in `domain` of
    /// organization `org`, lower-cased as MDAA's app lower-cases them.
    pub fn new(org: &str, env: &str, domain: &str, module_name: &str) -> Self {
        MdaaNaming {
            org: org.to_lowercase(),
            env: env.to_lowercase(),
            domain: domain.to_lowercase(),
            module_name: module_name.to_lowercase(),
        }
    }

    /// The organization.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// The environment.
    pub fn env(&self) -> &str {
        &self.env
    }

    /// The domain.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The module name (with any suffix added by [`MdaaNaming::with_suffix`]).
    pub fn module_name(&self) -> &str {
        &self.module_name
    }

    /// The same naming with `-suffix` appended to the module name (not
    /// lower-cased, as in MDAA's `withSuffix`).
    pub fn with_suffix(&self, suffix: &str) -> Self {
        MdaaNaming { module_name: format!("{}-{suffix}", self.module_name), ..self.clone() }
    }

    /// The same naming for another module name (taken as given).
    pub fn with_module_name(&self, module_name: &str) -> Self {
        MdaaNaming { module_name: module_name.to_string(), ..self.clone() }
    }

    /// `org-env-domain-module[-suffix]`, the suffix lower-cased; when
    /// `max_len` is given and the name is that long or longer (MDAA's
    /// quirk: equal also truncates), its first `max_len - (len(h) + 1)`
    /// characters, `-`, and `h`, MDAA's hash of the whole name
    /// ([`hash_code_hex`]). An empty suffix and a `max_len` of 0 count as
    /// none, as in MDAA.
    pub fn resource_name(&self, suffix: Option<&str>, max_len: Option<usize>) -> Result<String, NameError> {
        let mut name = format!("{}-{}-{}-{}", self.org, self.env, self.domain, self.module_name);
        if let Some(s) = suffix.filter(|s| !s.is_empty()) {
            name.push('-');
            name.push_str(&s.to_lowercase());
        }
        if let Some(max) = max_len.filter(|m| *m > 0) {
            let units: Vec<u16> = name.encode_utf16().collect();
            if units.len() >= max {
                let hash = hash_code_hex(&name);
                let keep = max.saturating_sub(hash.len() + 1).min(units.len());
                name = format!("{}-{hash}", String::from_utf16_lossy(&units[..keep]));
            }
        }
        validate_resource_name(&name)?;
        Ok(name)
    }

    /// An S3 bucket name (limit 63), as MDAA's `MdaaBucket` names it.
    pub fn bucket_name(&self, suffix: Option<&str>) -> Result<String, NameError> {
        self.resource_name(suffix, Some(BUCKET_NAME_MAX))
    }

    /// An IAM role name (limit 64), as MDAA's `MdaaRole` names it.
    pub fn role_name(&self, suffix: Option<&str>) -> Result<String, NameError> {
        self.resource_name(suffix, Some(ROLE_NAME_MAX))
    }

    /// An IAM managed policy name (limit 64), as MDAA's `MdaaManagedPolicy` names it.
    pub fn managed_policy_name(&self, suffix: Option<&str>) -> Result<String, NameError> {
        self.resource_name(suffix, Some(MANAGED_POLICY_NAME_MAX))
    }

    /// A Lambda function name (limit 64), as MDAA's `MdaaLambdaFunction` names it.
    pub fn function_name(&self, suffix: Option<&str>) -> Result<String, NameError> {
        self.resource_name(suffix, Some(FUNCTION_NAME_MAX))
    }

    /// A KMS alias with its `alias/` prefix, as MDAA's `MdaaKmsKey` names
    /// it (the resource name, limit 256, after `alias/`).
    pub fn kms_alias(&self, alias: Option<&str>) -> Result<String, NameError> {
        Ok(format!("alias/{}", self.resource_name(alias, Some(KMS_ALIAS_MAX))?))
    }

    /// A log group name, as MDAA's `MdaaLogGroup` names it: the path
    /// prefix (with a `/` added if it lacks one) and the resource name,
    /// which is not truncated.
    pub fn log_group_name(&self, path_prefix: &str, name: Option<&str>) -> Result<String, NameError> {
        let slash = if path_prefix.ends_with('/') { "" } else { "/" };
        Ok(format!("{path_prefix}{slash}{}", self.resource_name(name, None)?))
    }

    /// `/org/domain/module/<path>`, lower-cased (MDAA's `ssmPath`).
    pub fn ssm_path(&self, path: &str) -> String {
        self.ssm_path_with(path, true, true)
    }

    /// MDAA's `ssmPath` with its two switches: leave out the module name,
    /// or keep the case.
    pub fn ssm_path_with(&self, path: &str, include_module_name: bool, lower_case: bool) -> String {
        let mut name = format!("/{}/{}", self.org, self.domain);
        if include_module_name {
            name.push('/');
            name.push_str(&self.module_name);
        }
        lower(format!("{name}/{path}"), lower_case)
    }

    /// `/org/<path>` (MDAA's `ssmOrgPath`; one leading `/` of `path` is dropped).
    pub fn ssm_org_path(&self, path: &str, lower_case: bool) -> String {
        lower(format!("/{}/{}", self.org, drop_slash(path)), lower_case)
    }

    /// `/org/domain/<path>` (MDAA's `ssmDomainPath`).
    pub fn ssm_domain_path(&self, path: &str, lower_case: bool) -> String {
        lower(format!("/{}/{}/{}", self.org, self.domain, drop_slash(path)), lower_case)
    }

    /// `/org/domain/env/<path>` (MDAA's `ssmEnvPath`).
    pub fn ssm_env_path(&self, path: &str, lower_case: bool) -> String {
        lower(format!("/{}/{}/{}/{}", self.org, self.domain, self.env, drop_slash(path)), lower_case)
    }

    /// `org:domain:module:<path>`, lower-cased (MDAA's `exportName`).
    pub fn export_name(&self, path: &str) -> String {
        format!("{}:{}:{}:{path}", self.org, self.domain, self.module_name).to_lowercase()
    }

    /// `org-env-domain-module[-suffix]` with each part sanitized as MDAA's
    /// `stackName` does: a part made only of characters other than
    /// letters, digits and `_` becomes empty, and `_` becomes `-`; the
    /// suffix is also lower-cased.
    pub fn stack_name(&self, suffix: Option<&str>) -> String {
        let mut name =
            [&self.org, &self.env, &self.domain, &self.module_name].map(|p| sanitize_stack_part(p)).join("-");
        if let Some(s) = suffix.map(sanitize_stack_part).filter(|s| !s.is_empty()) {
            name.push('-');
            name.push_str(&s.to_lowercase());
        }
        name
    }

    /// The SSM parameter MDAA's `MdaaParamAndOutput` writes for
    /// `name` (`arn`, `id`, `name`, ...) of a resource:
    /// `ssm_path("<type>/<id>/<name>")`, or `"<type>/<name>"` without an id.
    pub fn param_name(&self, resource_type: &str, resource_id: Option<&str>, name: &str) -> String {
        match resource_id.filter(|id| !id.is_empty()) {
            Some(id) => self.ssm_path(&format!("{resource_type}/{id}/{name}")),
            None => self.ssm_path(&format!("{resource_type}/{name}")),
        }
    }

    /// The export name of the output MDAA's `MdaaParamAndOutput` writes
    /// beside that parameter: the id loses every character other than
    /// letters, digits and `_`, then `_` becomes `-`.
    pub fn param_export_name(&self, resource_type: &str, resource_id: Option<&str>, name: &str) -> String {
        match resource_id.filter(|id| !id.is_empty()) {
            Some(id) => {
                let id: String =
                    id.chars().filter(|c| is_word(*c)).map(|c| if c == '_' { '-' } else { c }).collect();
                self.export_name(&format!("{resource_type}:{id}:{name}"))
            }
            None => self.export_name(&format!("{resource_type}:{name}")),
        }
    }
}

fn lower(s: String, lower_case: bool) -> String {
    if lower_case {
        s.to_lowercase()
    } else {
        s
    }
}

fn drop_slash(path: &str) -> &str {
    path.strip_prefix('/').unwrap_or(path)
}

/// JavaScript's `\w`.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn sanitize_stack_part(part: &str) -> String {
    if !part.is_empty() && part.chars().all(|c| !is_word(c)) {
        return String::new();
    }
    part.replace('_', "-")
}

/// MDAA's hash of a name, in hexadecimal as JavaScript writes it.
///
/// For each UTF-16 code unit index `i` of `s`: `h = imul(31, h) +
/// codePointAt(i)`. `Math.imul` takes `h` modulo 2^32 as a signed 32-bit
/// integer and wraps its product, but the addition is a plain JavaScript
/// number: only the last one can leave the 32-bit range. `toString(16)`
/// keeps a negative sign (`-18e1d147`).
///
/// ```
/// assert_eq!(mdaa::hash_code_hex(""), "0");
/// assert_eq!(mdaa::hash_code_hex("a"), "61");
/// ```
pub fn hash_code_hex(s: &str) -> String {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut h: i64 = 0;
    for i in 0..units.len() {
        // `as i32` takes the low 32 bits: JavaScript's ToInt32.
        let product = (h as i32).wrapping_mul(31);
        h = i64::from(product) + i64::from(code_point_at(&units, i));
    }
    if h < 0 {
        format!("-{:x}", h.unsigned_abs())
    } else {
        format!("{h:x}")
    }
}

/// JavaScript's `String.prototype.codePointAt` over UTF-16 code units.
fn code_point_at(units: &[u16], i: usize) -> u32 {
    let first = units[i];
    if (0xD800..0xDC00).contains(&first) {
        if let Some(&second) = units.get(i + 1) {
            if (0xDC00..0xE000).contains(&second) {
                return 0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00);
            }
        }
    }
    u32::from(first)
}

/// MDAA's check of a generated name: one letter or digit, or
/// `^[A-Za-z0-9][A-Za-z0-9\-_.]*[A-Za-z0-9]$`; names ending in `vpc-` are
/// let through, as MDAA lets them through.
pub fn validate_resource_name(name: &str) -> Result<(), NameError> {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    let ok = match name.chars().count() {
        0 => false,
        1 => name.chars().all(alnum),
        _ => {
            name.ends_with("vpc-")
                || (name.starts_with(alnum)
                    && name.ends_with(alnum)
                    && name.chars().all(|c| alnum(c) || "-_.".contains(c)))
        }
    };
    if ok {
        Ok(())
    } else {
        Err(NameError { name: name.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naming() -> MdaaNaming {
        MdaaNaming::new("test-org", "test-env", "test-domain", "test-bedrock-settings-minimal")
    }

    #[test]
    fn hash_agrees_with_java_where_the_last_addition_stays_in_range() {
        assert_eq!(hash_code_hex("hello"), format!("{:x}", 99162322));
        for s in ["a", "test-org-test-env-test-domain-test-bedrock-settings-minimal-logs-model-invocation"] {
            assert_eq!(hash_code_hex(s), js_hex(i64::from(java_hash(s))), "{s}");
        }
    }

    /// Java's hash, wrapping every step, for strings of the basic plane.
    fn java_hash(s: &str) -> i32 {
        s.encode_utf16().fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(i32::from(u)))
    }

    fn js_hex(n: i64) -> String {
        if n < 0 {
            format!("-{:x}", n.unsigned_abs())
        } else {
            format!("{n:x}")
        }
    }

    /// Only the last addition escapes 32 bits. The prefix below was
    /// solved for so that `imul(31, h)` is 2^31 - 41; adding `~` (126)
    /// passes 2^31: Java's wrapped hash is negative, MDAA's is not.
    #[test]
    fn only_the_last_addition_escapes_32_bits() {
        let s = "o-e-d-m-!\"pvclfp~";
        assert_eq!(js_hex(i64::from(java_hash(s))), "-7fffffab");
        assert_eq!(hash_code_hex(s), "80000055");
        assert_eq!(hash_code_hex(s), js_hex(i64::from(java_hash(s)) + (1i64 << 32)));
        // Every earlier sum is taken modulo 2^32 by the next imul, so
        // appending one more unit agrees with Java again.
        let t = "o-e-d-m-!\"pvclfp~x";
        assert_eq!(hash_code_hex(t), js_hex(i64::from(java_hash(t))));
    }

    #[test]
    fn code_points_beyond_the_basic_plane_count_whole_then_by_their_low_half() {
        // "😀" is D83D DE00: index 0 gives the code point 0x1F600, index 1 the unit 0xDE00.
        assert_eq!(0x1F600 * 31 + 0xDE00, 0x3da800);
        assert_eq!(hash_code_hex("😀"), "3da800");
    }

    #[test]
    fn names_shorter_than_the_limit_are_kept() {
        let n = MdaaNaming::new("o", "e", "d", "m");
        assert_eq!(n.resource_name(Some("Suffix"), Some(63)).unwrap(), "o-e-d-m-suffix");
        assert_eq!(n.resource_name(None, None).unwrap(), "o-e-d-m");
        assert_eq!(n.resource_name(Some(""), Some(0)).unwrap(), "o-e-d-m");
    }

    #[test]
    fn a_name_exactly_at_the_limit_is_truncated_too() {
        let n = MdaaNaming::new("org", "env", "domain", "module");
        let full = "org-env-domain-module";
        let hash = hash_code_hex(full);
        let at_limit = n.resource_name(None, Some(full.len())).unwrap();
        assert_eq!(at_limit, format!("{}-{hash}", &full[..full.len() - hash.len() - 1]));
        assert_eq!(n.resource_name(None, Some(full.len() + 1)).unwrap(), full);
    }

    #[test]
    fn a_limit_too_short_for_the_hash_leaves_an_invalid_name_as_in_mdaa() {
        let n = MdaaNaming::new("o", "e", "d", "m");
        let err = n.resource_name(None, Some(7)).unwrap_err();
        assert_eq!(err.name, format!("-{}", hash_code_hex("o-e-d-m")));
    }

    #[test]
    fn reproduces_the_baseline_s_truncated_names() {
        assert_eq!(
            naming().bucket_name(Some("logs-model-invocation")).unwrap(),
            "test-org-test-env-test-domain-test-bedrock-settings-m--18e1d147"
        );
        assert_eq!(
            naming().role_name(Some("bedrock-logging-service-role")).unwrap(),
            "test-org-test-env-test-domain-test-bedrock-settings-mi--458c0e44"
        );
    }

    #[test]
    fn invalid_names_are_refused_as_mdaa_refuses_them() {
        let n = MdaaNaming::new("o", "e", "d", "m");
        assert!(n.resource_name(Some("bad/"), None).is_err());
        assert!(n.resource_name(Some("trailing-"), None).is_err());
        assert!(validate_resource_name("x").is_ok());
        assert!(validate_resource_name("-").is_err());
        assert!(validate_resource_name("my-vpc-").is_ok());
        assert!(validate_resource_name("").is_err());
        let err = n.resource_name(Some("a b"), None).unwrap_err();
        assert!(err.to_string().contains("`o-e-d-m-a b`"), "{err}");
    }

    #[test]
    fn ssm_and_export_names_follow_mdaa() {
        let n = MdaaNaming::new("Org", "Env", "Dom", "Mod");
        assert_eq!(n.ssm_path("Kms/Key/ARN"), "/org/dom/mod/kms/key/arn");
        assert_eq!(n.ssm_path_with("/x/Y", false, false), "/org/dom//x/Y");
        assert_eq!(n.ssm_org_path("/A/b", false), "/org/A/b");
        assert_eq!(n.ssm_domain_path("A", true), "/org/dom/a");
        assert_eq!(n.ssm_env_path("a", true), "/org/dom/env/a");
        assert_eq!(n.export_name("Kms:Key:Arn"), "org:dom:mod:kms:key:arn");
        assert_eq!(
            n.param_name("kms", Some("bedrock-kms-key"), "arn"),
            "/org/dom/mod/kms/bedrock-kms-key/arn"
        );
        assert_eq!(n.param_name("kms", None, "arn"), "/org/dom/mod/kms/arn");
        assert_eq!(n.param_export_name("kms", Some("my_key-1"), "arn"), "org:dom:mod:kms:my-key1:arn");
    }

    #[test]
    fn stack_names_sanitize_each_part() {
        let n = MdaaNaming::new("o", "e", "d", "m").with_module_name("my_module");
        assert_eq!(n.stack_name(None), "o-e-d-my-module");
        assert_eq!(n.stack_name(Some("Extra_Stack")), "o-e-d-my-module-extra-stack");
        assert_eq!(n.with_module_name("--").stack_name(Some("..")), "o-e-d-");
    }

    #[test]
    fn suffixes_extend_the_module_name() {
        let n = MdaaNaming::new("o", "e", "d", "m").with_suffix("Part");
        assert_eq!(n.module_name(), "m-Part");
        assert_eq!(n.ssm_path("x"), "/o/d/m-part/x");
    }
}
