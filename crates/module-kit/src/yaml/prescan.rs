//! A lexical look at flow collections (`[`, `{`) before the YAML parser
//! sees them: the parser's cost grows with the square of their nesting
//! depth (100,000 levels take it tens of seconds), so deeper nesting than a
//! configuration (or a template, see [`crate::limits`]) may have is
//! refused here, in one linear pass. JSON is all flow collections, so the
//! same pass bounds a JSON text.

use crate::limits::MAX_DEPTH;
use crate::position;

/// The byte offset of the first `[` or `{` opened deeper than
/// [`MAX_DEPTH`], if any.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    deeper_than(text, MAX_DEPTH)
}

/// The byte offset of the first `[` or `{` opened deeper than `max`, if
/// any. Quoted scalars and comments are skipped; text of block scalars is
/// scanned like the rest, so this may count too many there (no
/// configuration or template has a reason to hold `max` unclosed
/// brackets in a block scalar), never too few.
pub fn deeper_than(text: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut prev: Option<char> = None;
    // An anchor or tag (`&a[`, `!t{`) ends where a flow collection may start.
    let mut in_property = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_node_start = in_property
            || match prev {
                None => true,
                Some(p) => p.is_whitespace() || (depth > 0 && "[{,:".contains(p)),
            };
        if c.is_whitespace() {
            in_property = false;
        } else if at_node_start && (c == '&' || c == '!') {
            in_property = true;
        }
        match c {
            '#' if at_node_start => {
                while chars.peek().is_some_and(|(_, c)| !position::is_break(*c)) {
                    chars.next();
                }
            }
            '"' if at_node_start => {
                while let Some((_, q)) = chars.next() {
                    match q {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' if at_node_start => {
                while let Some((_, q)) = chars.next() {
                    if q == '\'' {
                        if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            '[' | '{' if depth > 0 || at_node_start => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            ']' | '}' if depth > 0 => depth -= 1,
            _ => {}
        }
        prev = Some(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{deeper_than, too_deep};
    use crate::limits::MAX_DEPTH;

    #[test]
    fn refuses_deep_flow_nesting_at_the_first_bracket_too_many() {
        let deep = format!("a: {}", "[".repeat(100_000));
        assert_eq!(too_deep(&deep), Some(3 + MAX_DEPTH));
        let ok = format!("a: {}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(too_deep(&ok), None);
        let maps = "{a: ".repeat(MAX_DEPTH + 1);
        assert_eq!(too_deep(&maps), Some(4 * MAX_DEPTH));
        let anchored = format!("a: &x{}", "[".repeat(MAX_DEPTH + 1));
        assert_eq!(too_deep(&anchored), Some(5 + MAX_DEPTH));
    }

    #[test]
    fn json_is_scanned_with_the_bound_it_is_given() {
        let json = format!("{{\"a\": {}1{}}}", "[".repeat(10), "]".repeat(10));
        assert_eq!(deeper_than(&json, 11), None);
        assert_eq!(deeper_than(&json, 10), Some(15));
        assert_eq!(deeper_than("{\"a\": \"[[[[\"}", 1), None);
    }

    #[test]
    fn brackets_in_quotes_comments_and_plain_text_do_not_count() {
        let many = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(too_deep(&format!("a: \"{many}\"\n")), None);
        assert_eq!(too_deep(&format!("a: '{many}'\n")), None);
        assert_eq!(too_deep(&format!("a: 1 # {many}\n")), None);
        assert_eq!(too_deep(&format!("a: x{many}\n")), None);
        assert_eq!(too_deep(&format!("a: \"q\\\"{many}\"\n")), None);
    }
}
