//! AWS's rules for resource tags, shared by every module's own `tags` and
//! by the tags an MDAA estate puts on every resource: a tag AWS would
//! reject is refused before a template is written, not at deploy time.

use regex::Regex;
use std::sync::OnceLock;

/// The most tags every taggable resource type here accepts.
pub const MAX_TAGS: usize = 50;

/// The longest tag key, in characters.
pub const MAX_TAG_KEY_CHARS: usize = 128;

/// The longest tag value, in characters.
pub const MAX_TAG_VALUE_CHARS: usize = 256;

/// The characters AWS accepts in tag keys and values, exactly as the
/// resource schemas' pattern says (and cfn-lint E3031 checks).
pub fn tag_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").expect("the tag pattern compiles"))
}

/// The first character of `s` outside the tag pattern.
pub fn bad_tag_char(s: &str) -> Option<char> {
    // ASCII is decided here, so that the pattern's Unicode classes are
    // compiled only for a tag that has other characters.
    let ascii_ok = |c: char| c.is_ascii_alphanumeric() || " _.:/=+-@".contains(c);
    s.chars().find(|&c| {
        if c.is_ascii() {
            !ascii_ok(c)
        } else {
            !tag_pattern().is_match(c.encode_utf8(&mut [0; 4]))
        }
    })
}

/// One tag AWS would reject, or one too many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagProblem {
    /// The key of the tag concerned; `None` for the number of tags.
    pub key: Option<String>,
    /// What is wrong.
    pub problem: String,
    /// What AWS accepts.
    pub expected: String,
    /// A suggestion, where there is one.
    pub help: Option<String>,
}

/// Every tag of `tags` (in order) that AWS would reject: more than
/// [`MAX_TAGS`], keys starting with `aws:` (reserved), empty or longer than
/// [`MAX_TAG_KEY_CHARS`], characters outside [`tag_pattern`], values longer
/// than [`MAX_TAG_VALUE_CHARS`], and keys that differ from an earlier one
/// only in case (IAM takes them as one key).
pub fn tag_problems<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<TagProblem> {
    let mut out = Vec::new();
    let mut seen: Vec<(String, &str)> = Vec::new();
    let mut n = 0;
    for (k, v) in tags {
        n += 1;
        let problem = |problem: String, expected: &str| TagProblem {
            key: Some(k.to_string()),
            problem,
            expected: expected.to_string(),
            help: None,
        };
        if k.to_lowercase().starts_with("aws:") {
            out.push(problem(
                "tag keys starting with `aws:` are reserved for AWS".into(),
                "a key of your own, such as `owner`",
            ));
        } else if k.is_empty() || k.chars().count() > MAX_TAG_KEY_CHARS {
            out.push(problem("tag key length is out of range".into(), "1 to 128 characters"));
        } else if let Some(bad) = bad_tag_char(k).or_else(|| bad_tag_char(v)) {
            let shown = if bad.is_ascii_graphic() {
                format!("`{bad}`")
            } else {
                format!("the character U+{:04X}", u32::from(bad))
            };
            out.push(problem(
                format!("{shown} is not allowed in tags"),
                "letters, digits, spaces and _ . : / = + - @",
            ));
        }
        if v.chars().count() > MAX_TAG_VALUE_CHARS {
            out.push(problem("tag value is longer than 256 characters".into(), "at most 256 characters"));
        }
        let lower = k.to_lowercase();
        match seen.iter().find(|(l, _)| *l == lower) {
            Some((_, first)) => out.push(TagProblem {
                help: Some("keep only one of them".into()),
                ..problem(
                    format!("the tag key `{k}` differs from `{first}` only in case"),
                    "tag keys that differ in more than case: IAM takes them as one key",
                )
            }),
            None => seen.push((lower, k)),
        }
    }
    if n > MAX_TAGS {
        out.insert(
            0,
            TagProblem {
                key: None,
                problem: format!("{n} tags are more than AWS resources accept"),
                expected: format!("at most {MAX_TAGS} tags"),
                help: None,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{bad_tag_char, tag_pattern, tag_problems};

    #[test]
    fn tag_characters_are_exactly_the_pattern() {
        for ok in ["team", "a b", "x_y.z:/=+-@", "東京", "ünï", "\u{a0}", "\u{2028}", "٣"] {
            assert_eq!(bad_tag_char(ok), None, "{ok:?}");
        }
        for (bad, c) in [
            ("a\rb", '\r'),
            ("\u{b}", '\u{b}'),
            ("\u{c}", '\u{c}'),
            ("x\u{85}", '\u{85}'),
            ("a\u{345}", '\u{345}'),
            ("a|b", '|'),
            ("\t", '\t'),
        ] {
            assert_eq!(bad_tag_char(bad), Some(c), "{bad:?}");
        }
    }

    #[test]
    fn ascii_is_decided_as_the_pattern_decides_it() {
        for c in (0u8..=127).map(char::from) {
            let s = c.to_string();
            assert_eq!(bad_tag_char(&s).is_none(), tag_pattern().is_match(&s), "{c:?}");
        }
    }

    #[test]
    fn reserved_case_twins_long_and_too_many_are_each_reported() {
        let long = "v".repeat(257);
        let p = tag_problems([("aws:x", "1"), ("Team", "a"), ("team", "b"), ("k", long.as_str())]);
        let keys: Vec<_> = p.iter().map(|p| (p.key.as_deref().unwrap(), p.problem.as_str())).collect();
        assert_eq!(
            keys,
            [
                ("aws:x", "tag keys starting with `aws:` are reserved for AWS"),
                ("team", "the tag key `team` differs from `Team` only in case"),
                ("k", "tag value is longer than 256 characters"),
            ]
        );
        let many: Vec<(String, String)> = (0..51).map(|i| (format!("k{i}"), "v".into())).collect();
        let p = tag_problems(many.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(p[0].problem, "51 tags are more than AWS resources accept");
    }
}
