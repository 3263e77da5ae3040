//! Reading and checking a configuration file.

use cfn_constructs::{RetentionDays, RETENTION_DAYS};

use crate::config::Config;
use crate::error::{ConfigError, ConfigErrors};
use crate::locate::{locate, locate_nth};

/// The most tags every taggable resource type here accepts.
const MAX_TAGS: usize = 50;

/// Parses and checks a configuration. `file` names it in errors.
///
/// ```
/// let config = bedrock_settings::parse_config("enableAuditLoggingToS3: true\n", "my.yaml").unwrap();
/// assert!(config.enable_audit_logging_to_s3);
/// let err = bedrock_settings::parse_config("enableAuditLogingToS3: true\n", "my.yaml").unwrap_err();
/// assert!(err.to_string().contains("did you mean `enableAuditLoggingToS3`?"));
/// ```
pub fn parse_config(source: &str, file: &str) -> Result<Config, ConfigErrors> {
    let meaningful = source.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && t != "---"
    });
    if !meaningful {
        return Err(ConfigError::new(file, "the configuration is empty")
            .expected("a mapping that turns on at least one destination")
            .help("start from `enableAuditLoggingToS3: true` and/or `enableAuditLoggingToCloudwatch: true`")
            .into());
    }
    let config: Config = yaml_serde::from_str(source).map_err(|e| syntax_error(&e, source, file))?;
    check(&config, source, file)?;
    Ok(config)
}

/// Serde's names for what it expected, in the configuration's own words.
fn expected_in_words(expected: &str) -> String {
    match expected {
        "u32" => "a whole number, 0 or more".into(),
        "struct Config" => "a mapping of configuration keys".into(),
        other => match other.strip_prefix("struct ") {
            Some(_) => "a mapping of keys".into(),
            None => other.into(),
        },
    }
}

/// Turns a YAML or serde error into one that names the key and suggests a fix.
fn syntax_error(e: &yaml_serde::Error, source: &str, file: &str) -> ConfigError {
    let position = e.location().map(|l| (l.line(), l.column()));
    let mut message = e.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    // serde_yaml-style messages start with the path of the key, `a.b: ...`.
    let (path, message) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            (Some(path.to_string()), rest.to_string())
        }
        _ => (None, message),
    };
    let mut err = ConfigError::new(file, message.clone()).at(position);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let key = path.map(|p| format!("{p}.{name}")).unwrap_or_else(|| name.to_string());
        err = ConfigError::new(file, "unknown key").at(position).key(key).expected(format!(
            "one of {}",
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ));
        if let Some(best) = did_you_mean(name, &known) {
            err = err.help(format!("did you mean `{best}`?"));
        }
        return err;
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let mut keys: Vec<&str> = path.as_deref().map(|p| p.split('.').collect()).unwrap_or_default();
        keys.push(name);
        return ConfigError::new(file, "this key is given twice")
            .at(locate_nth(source, &keys, 1).or(position))
            .key(keys.join("."))
            .expected("each key once")
            .help("keep only the one you mean");
    }
    if let Some(p) = path {
        err = err.key(p);
    }
    if let Some((problem, expected)) = message.split_once(", expected ") {
        err.problem = problem.to_string();
        err = err.expected(expected_in_words(expected));
        match expected {
            "a boolean" => err = err.help("write `true` or `false`"),
            "u32" => err = err.help("write a whole number of days, such as `365`"),
            _ => {}
        }
    }
    if message.contains("expected struct Config") || message.contains("invalid type") && err.key.is_none() {
        err = err.help("the file must be a YAML mapping of keys such as `enableAuditLoggingToS3: true`");
    }
    err
}

/// The closest known name, if it is close enough to be a likely typo.
fn did_you_mean<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(&k.to_lowercase(), &name.to_lowercase()), *k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 5))
        .min()
        .map(|(_, k)| k)
}

/// Checks what the types cannot: combinations, ranges and AWS limits.
fn check(c: &Config, source: &str, file: &str) -> Result<(), ConfigErrors> {
    let mut errors = Vec::new();
    let err = |path: &[&str], problem: String| {
        ConfigError::new(file, problem).key(path.join(".")).at(locate(source, path))
    };

    if !c.enable_audit_logging_to_s3 && !c.enable_audit_logging_to_cloudwatch {
        let key = if source.contains("enableAuditLoggingToCloudwatch") {
            "enableAuditLoggingToCloudwatch"
        } else {
            "enableAuditLoggingToS3"
        };
        errors.push(
            err(&[key], "no destination is on: model invocation logs would go nowhere".into())
                .expected("`enableAuditLoggingToS3: true`, `enableAuditLoggingToCloudwatch: true`, or both")
                .help("set `enableAuditLoggingToS3: true` for long-term audit storage"),
        );
    }

    let cloudwatch_off = |key: &str| {
        err(&[key], "applies only to the CloudWatch destination, which is off".into())
            .expected("no such option while `enableAuditLoggingToCloudwatch` is false")
            .help("remove it, or set `enableAuditLoggingToCloudwatch: true`")
    };
    if let Some(days) = c.cloudwatch_log_retention_days {
        if !c.enable_audit_logging_to_cloudwatch {
            errors.push(cloudwatch_off("cloudwatchLogRetentionDays"));
        } else if RetentionDays::new(days).is_none() {
            let list = RETENTION_DAYS.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            errors.push(
                err(
                    &["cloudwatchLogRetentionDays"],
                    format!("{days} is not a retention CloudWatch Logs accepts"),
                )
                .expected(format!("one of {list} (days), or no key for never expire"))
                .help(format!("the nearest accepted value is {}", RetentionDays::nearest(days))),
            );
        }
    }
    if c.cloudwatch_large_data_delivery_to_s3.is_some() && !c.enable_audit_logging_to_cloudwatch {
        errors.push(cloudwatch_off("cloudwatchLargeDataDeliveryToS3"));
    }

    if let Some(l) = &c.s3_lifecycle {
        if !c.needs_bucket() {
            errors.push(
                err(
                    &["s3Lifecycle"],
                    "applies only to the audit bucket, which this configuration does not have".into(),
                )
                .expected("`enableAuditLoggingToS3: true` or CloudWatch large-data delivery to S3")
                .help("remove it, or turn on a destination that uses the bucket"),
            );
        }
        for (key, value) in [
            ("transitionToGlacierAfterDays", l.transition_to_glacier_after_days),
            ("expireAfterDays", l.expire_after_days),
            ("noncurrentVersionExpireAfterDays", l.noncurrent_version_expire_after_days),
        ] {
            if value == Some(0) {
                errors.push(
                    err(&["s3Lifecycle", key], "0 days is not a lifecycle period".into())
                        .expected("1 or more days"),
                );
            }
        }
        if let (Some(t), Some(e)) = (l.transition_to_glacier_after_days, l.expire_after_days) {
            if e <= t {
                errors.push(
                    err(
                        &["s3Lifecycle", "expireAfterDays"],
                        format!(
                            "objects would expire ({e} days) before or when they move to Glacier ({t} days)"
                        ),
                    )
                    .expected(format!("more than transitionToGlacierAfterDays ({t})"))
                    .help("raise expireAfterDays, or remove the transition"),
                );
            }
        }
    }

    if let Some(d) = c.data_delivery {
        if !(d.text || d.image || d.embedding || d.video || d.audio) {
            errors.push(
                err(
                    &["dataDelivery"],
                    "every kind of data is off: the logs would record no invocation data".into(),
                )
                .expected("at least one of text, image, embedding, video, audio set to true"),
            );
        }
    }

    if c.tags.len() > MAX_TAGS {
        errors.push(
            err(&["tags"], format!("{} tags are more than AWS resources accept", c.tags.len()))
                .expected(format!("at most {MAX_TAGS} tags")),
        );
    }
    for (k, v) in &c.tags {
        let tag_err = |problem: String| err(&["tags", k], problem);
        if k.to_ascii_lowercase().starts_with("aws:") {
            errors.push(
                tag_err("tag keys starting with `aws:` are reserved for AWS".into())
                    .expected("a key of your own, such as `owner`"),
            );
        } else if k.is_empty() || k.chars().count() > 128 {
            errors.push(tag_err("tag key length is out of range".into()).expected("1 to 128 characters"));
        } else if let Some(bad) = k.chars().chain(v.chars()).find(|ch| !tag_char(*ch)) {
            errors.push(
                tag_err(format!("`{bad}` is not allowed in tags"))
                    .expected("letters, digits, spaces and _ . : / = + - @"),
            );
        }
        if v.chars().count() > 256 {
            errors.push(
                tag_err("tag value is longer than 256 characters".into()).expected("at most 256 characters"),
            );
        }
    }

    if let Some(prefix) = &c.ssm_parameter_prefix {
        if let Err(problem) = check_ssm_prefix(prefix) {
            errors.push(
                err(&["ssmParameterPrefix"], problem)
                    .expected("a path such as `/bedrock-settings`: starts with `/`, letters, digits and _ . - /, no trailing `/`"),
            );
        }
    }

    errors.sort_by_key(|e| e.position.unwrap_or((0, 0)));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ConfigErrors(errors))
    }
}

fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() && c != '\n' && c != '\t' || "_.:/=+-@".contains(c)
}

fn check_ssm_prefix(p: &str) -> Result<(), String> {
    if !p.starts_with('/') {
        return Err(format!("`{p}` does not start with `/`"));
    }
    if p.len() > 1 && p.ends_with('/') || p == "/" {
        return Err(format!("`{p}` ends with `/`"));
    }
    if p.contains("//") {
        return Err(format!("`{p}` has an empty path segment"));
    }
    if let Some(bad) = p.chars().find(|c| !(c.is_ascii_alphanumeric() || "_.-/".contains(*c))) {
        return Err(format!("`{bad}` is not allowed in SSM parameter names"));
    }
    let lower = p.to_ascii_lowercase();
    if lower.starts_with("/aws") || lower.starts_with("/ssm") {
        return Err(format!("`{p}` starts with `/aws` or `/ssm`, which SSM reserves"));
    }
    if p.len() > 900 {
        return Err("the prefix is longer than SSM parameter names allow".into());
    }
    Ok(())
}
