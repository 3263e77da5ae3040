//! S3 lifecycle day counts, which the bucket schema types as bare integers:
//! S3 rejects an expiry of 0 days (its lifecycle reference: "must be a
//! positive integer") and any negative count.

use serde_json::Value;

/// `(path within a rule, least value S3 accepts)`.
const DAY_COUNTS: [(&[&str], i64); 5] = [
    (&["ExpirationInDays"], 1),
    (&["NoncurrentVersionExpirationInDays"], 1),
    (&["NoncurrentVersionExpiration", "NoncurrentDays"], 1),
    (&["AbortIncompleteMultipartUpload", "DaysAfterInitiation"], 1),
    (&["Transition", "TransitionInDays"], 0),
];

/// Lists of a rule whose items hold a day count: `(list, key, least)`.
const DAY_LISTS: [(&str, &str, i64); 2] =
    [("Transitions", "TransitionInDays", 0), ("NoncurrentVersionTransitions", "TransitionInDays", 0)];

fn below(v: &Value, least: i64) -> Option<i64> {
    let n = v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))?;
    (n < least).then_some(n)
}

fn message(path: &str, n: i64, least: i64) -> String {
    let rule = if least == 1 { "a positive number of days" } else { "0 days or more" };
    format!("Properties.LifecycleConfiguration.{path}: {n} days: S3 takes {rule}")
}

/// Problems with the day counts of a bucket's lifecycle rules.
pub(super) fn problems(properties: &Value) -> Vec<String> {
    let Some(rules) = properties.pointer("/LifecycleConfiguration/Rules").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        for (path, least) in DAY_COUNTS {
            let v = path.iter().try_fold(rule, |v, k| v.get(k));
            if let Some(n) = v.and_then(|v| below(v, least)) {
                out.push(message(&format!("Rules[{i}].{}", path.join(".")), n, least));
            }
        }
        for (list, key, least) in DAY_LISTS {
            for (j, item) in rule.get(list).and_then(Value::as_array).into_iter().flatten().enumerate() {
                if let Some(n) = item.get(key).and_then(|v| below(v, least)) {
                    out.push(message(&format!("Rules[{i}].{list}[{j}].{key}"), n, least));
                }
            }
        }
    }
    out
}
