//! "Did you mean" hints for names that are close to one the template has.

/// The candidate closest to `target`, if one is close enough to be a typo
/// or one name is the start of the other (`IsProd` for `IsProduction`).
pub(crate) fn closest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = target.to_lowercase();
    let extends =
        |c: &str| c.len() >= 3 && wanted.len() >= 3 && (c.starts_with(&wanted) || wanted.starts_with(c));
    candidates
        .into_iter()
        .map(|c| {
            let lower = c.to_lowercase();
            (strsim::levenshtein(&lower, &wanted), extends(&lower), c)
        })
        .filter(|(d, prefix, c)| {
            *prefix || (*d <= 2.max(c.chars().count() / 4) && *d < wanted.chars().count())
        })
        .min_by_key(|(d, _, c)| (*d, *c))
        .map(|(_, _, c)| c)
}

/// ` (did you mean `X`?)`, or nothing when no candidate is close.
pub(crate) fn did_you_mean<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(target, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
