//! "Did you mean" hints for names that are close to one the template has.

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `target`, if one is close enough to be a typo
/// or one name is the start of the other (`IsProd` for `IsProduction`).
pub(super) fn closest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = target.to_lowercase();
    let extends =
        |c: &str| c.len() >= 3 && wanted.len() >= 3 && (c.starts_with(&wanted) || wanted.starts_with(c));
    candidates
        .into_iter()
        .map(|c| {
            let lower = c.to_lowercase();
            (edit_distance(&lower, &wanted), extends(&lower), c)
        })
        .filter(|(d, prefix, c)| {
            *prefix || (*d <= 2.max(c.chars().count() / 4) && *d < wanted.chars().count())
        })
        .min_by_key(|(d, _, c)| (*d, *c))
        .map(|(_, _, c)| c)
}

/// ` (did you mean `X`?)`, or nothing when no candidate is close.
pub(super) fn did_you_mean<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(target, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("Logs", "Logs"), 0);
        assert_eq!(edit_distance("Log", "Logs"), 1);
        assert_eq!(edit_distance("Lgos", "Logs"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn suggests_typos_case_slips_and_prefixes_but_not_strangers() {
        let names = ["AuditBucket", "AuditKey", "IsProd", "AWS::Region"];
        assert_eq!(closest("AuditBuckt", names), Some("AuditBucket"));
        assert_eq!(closest("auditkey", names), Some("AuditKey"));
        assert_eq!(closest("IsProduction", names), Some("IsProd"));
        assert_eq!(closest("AWS::Regoin", names), Some("AWS::Region"));
        assert_eq!(closest("Zebra", names), None);
        assert_eq!(closest("A", names), None);
        assert_eq!(did_you_mean("AuditKye", names), " (did you mean `AuditKey`?)");
        assert_eq!(did_you_mean("Nothing", names), "");
    }
}
