//! Suggestions for near misses: a key or a value that is almost one the
//! configuration accepts.

/// The known name closest to `name`, if it is close enough to be a likely
/// typo (case is ignored when comparing).
///
/// ```
/// let known = ["enableAuditLoggingToS3", "enableAuditLoggingToCloudwatch"];
/// assert_eq!(module_kit::suggest::did_you_mean("enableAuditLogingToS3", &known), Some("enableAuditLoggingToS3"));
/// assert_eq!(module_kit::suggest::did_you_mean("colour", &known), None);
/// ```
pub fn did_you_mean<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let name = name.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::levenshtein(&k.to_lowercase(), &name), *k))
        .filter(|(d, k)| {
            *d <= 3.max(k.chars().count() / 5) && *d < k.chars().count().max(name.chars().count())
        })
        .min()
        .map(|(_, k)| k)
}

/// The accepted number nearest to `value` (the smaller one on a tie).
///
/// ```
/// assert_eq!(module_kit::suggest::nearest(100, &[1, 3, 90, 120]), Some(90));
/// ```
pub fn nearest(value: i128, accepted: &[i128]) -> Option<i128> {
    accepted.iter().copied().min_by_key(|a| ((a - value).abs(), *a))
}

/// `one of `a`, `b`, `c``, for what was expected.
pub(crate) fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!("one of {}", quoted.join(", "))
}
