//! Finds where a key of a block-style YAML mapping is written, so errors
//! found after parsing can still point at a line and column.

/// The 1-based line and column of the key at `path` (outermost first), or
/// of its nearest ancestor that can be found (keys inside a flow mapping
/// such as `{a: 1}` point at the mapping's key).
pub fn locate(source: &str, path: &[&str]) -> Option<(usize, usize)> {
    locate_nth(source, path, 0)
}

/// Like [`locate`], but finds the `nth` (0-based) occurrence of the last key
/// within its parent: where a duplicated key is written again.
pub fn locate_nth(source: &str, path: &[&str], nth: usize) -> Option<(usize, usize)> {
    let mut found = None;
    let mut parent_indent: Option<usize> = None;
    let mut start_line = 0;
    for (depth, key) in path.iter().enumerate() {
        let mut skip = if depth + 1 == path.len() { nth } else { 0 };
        let mut hit = None;
        for (n, line) in source.lines().enumerate().skip(start_line) {
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = line.len() - content.len();
            if parent_indent.is_some_and(|p| indent <= p) {
                break;
            }
            let is_key = [String::new(), "\"".into(), "'".into()].iter().any(|q| {
                content
                    .strip_prefix(&format!("{q}{key}{q}"))
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            });
            let right_level = match parent_indent {
                None => indent == 0,
                Some(p) => indent > p,
            };
            if is_key && right_level {
                if skip == 0 {
                    hit = Some((n, indent));
                    break;
                }
                skip -= 1;
            }
        }
        match hit {
            Some((n, indent)) => {
                found = Some((n + 1, indent + 1));
                parent_indent = Some(indent);
                start_line = n + 1;
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{locate, locate_nth};

    const DOC: &str = "# comment\na: 1\n\"aws:x\": 2\nb:\n  c: 2\n  d:\n    e: 3\nf: {g: 1}\nc: 4\n";

    #[test]
    fn finds_nested_keys() {
        assert_eq!(locate(DOC, &["a"]), Some((2, 1)));
        assert_eq!(locate(DOC, &["aws:x"]), Some((3, 1)));
        assert_eq!(locate(DOC, &["b", "c"]), Some((5, 3)));
        assert_eq!(locate(DOC, &["b", "d", "e"]), Some((7, 5)));
        assert_eq!(locate(DOC, &["c"]), Some((9, 1)));
    }

    #[test]
    fn finds_a_repeated_key() {
        let doc = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n";
        assert_eq!(locate_nth(doc, &["a"], 1), Some((5, 1)));
        assert_eq!(locate_nth(doc, &["b", "c"], 1), Some((4, 3)));
        assert_eq!(locate_nth(doc, &["b", "c"], 2), Some((2, 1)));
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        assert_eq!(locate(DOC, &["f", "g"]), Some((8, 1)));
        assert_eq!(locate(DOC, &["b", "zzz"]), Some((4, 1)));
        assert_eq!(locate(DOC, &["zzz"]), None);
    }
}
