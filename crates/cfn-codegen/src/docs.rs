//! Schema descriptions as rustdoc text.
//!
//! Descriptions are Markdown written for the CloudFormation reference. Two
//! things in them would change meaning in rustdoc: indented lines become code
//! blocks (and code blocks become doctests), and `[name]` becomes an
//! intra-doc link. Lines lose their indentation, fences become `text`
//! blocks, and brackets not followed by a link target are escaped.

/// The description as doc-comment lines (without the `///`).
pub fn lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    for raw in text.split('\n') {
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            if in_fence {
                out.push("```".to_string());
            } else {
                out.push("```text".to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().replace('\t', "    "));
            continue;
        }
        if line.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        // The schemas break paragraphs with one newline; Markdown needs two.
        if out.last().is_some_and(|l| !l.is_empty() && l != "```text") {
            out.push(String::new());
        }
        out.push(escape_brackets(line).replace('\t', " "));
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// `[x]` → `\[x\]` unless it is a Markdown link `[x](...)`.
fn escape_brackets(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            // Find the matching `]` and see whether `(` follows it.
            let mut depth = 0;
            let mut close = None;
            for (j, &d) in chars.iter().enumerate().skip(i) {
                match d {
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            close = Some(j);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            match close {
                Some(j) if chars.get(j + 1) == Some(&'(') && j > i + 1 => {
                    out.extend(&chars[i..=j]);
                    i = j + 1;
                    continue;
                }
                _ => out.push_str("\\["),
            }
        } else if c == ']' {
            out.push_str("\\]");
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// The first sentence or line of a description, for a one-line summary.
pub fn summary(text: &str) -> String {
    let first = lines(text).into_iter().find(|l| !l.is_empty() && !l.starts_with("```")).unwrap_or_default();
    match first.find(". ") {
        Some(end) if end < 300 => first[..=end].to_string(),
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_and_fences_cannot_become_doctests() {
        let d = "Example:\n    {\"a\": 1}\n```\ncode\n```\nEnd";
        assert_eq!(lines(d), ["Example:", "", "{\"a\": 1}", "```text", "code", "```", "", "End"]);
    }

    #[test]
    fn brackets_escape_unless_a_link() {
        assert_eq!(lines("see [docs](https://x) and [Tag]"), ["see [docs](https://x) and \\[Tag\\]"]);
        assert_eq!(lines("list [a[b]](u) ]"), ["list [a[b]](u) \\]"]);
    }

    #[test]
    fn blank_runs_collapse() {
        assert_eq!(lines("a\n\n\n b \n\n"), ["a", "", "b"]);
    }
}
