//! Template text made inert in each output. Logical IDs, types, values,
//! policy statements and the descriptions built from them come from
//! whoever wrote the template, and must not drive the terminal, forge a
//! report line, close a Markdown fence or table, or add a node or a
//! statement to a graph.
//!
//! Every format starts from the terminal escaping configs are printed with
//! ([`module_kit::escape::text`]): control characters (ESC, CR, BEL,
//! backspace, DEL, C1), line and paragraph separators, bidirectional
//! overrides and zero-width characters are written as `\u{1b}`, `\r`, `\n`,
//! so one value is one line. Each format then escapes its own syntax.

use std::borrow::Cow;
use std::fmt::Write;

/// One line of text for a terminal.
pub(crate) fn text(s: &str) -> Cow<'_, str> {
    module_kit::escape::text(s)
}

/// Text of many lines (a line diff, a JSON value) for a terminal or a
/// code block: each line escaped as [`text`], the line breaks kept.
pub(crate) fn lines(s: &str) -> String {
    s.split('\n').map(text).collect::<Vec<_>>().join("\n")
}

/// Text in Markdown prose: the ASCII punctuation that opens or closes
/// something in Markdown as GitHub reads it (emphasis, code, links and
/// images, HTML, entities, table cells, strikethrough, math, mentions and
/// issue references) escaped with a backslash, which CommonMark shows as
/// the mark itself. Since `[` is escaped, `(` and `!` cannot start a link
/// or an image and are left as they are; line breaks are already escapes,
/// so nothing reaches the start of a line to make a heading or a list.
pub(crate) fn md_text(s: &str) -> String {
    let s = text(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '@' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text as Markdown inline code, outside a table. The code span's fence is
/// one backtick longer than the longest run of backticks in the text, so
/// no backtick in it can end the span.
pub(crate) fn md_code(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let s = text(s);
    let fence = "`".repeat(longest_run(&s, '`') + 1);
    // A space on each side keeps a backtick at either end apart from the
    // fence; CommonMark strips one space from each side.
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Text as Markdown inline code in a table cell: as [`md_code`], with the
/// pipes that would end the cell escaped (GitHub removes the backslash
/// before reading the code span).
pub(crate) fn md_code_cell(s: &str) -> String {
    md_code(s).replace('|', "\\|")
}

/// A fenced code block of `info` (`diff`, `json`, `mermaid`) holding
/// `body`: the fence is longer than any run of backticks in the body, so
/// no line of it can close the block, and each line is escaped as
/// [`text`].
pub(crate) fn md_fence(info: &str, body: &str) -> String {
    let body = lines(body.strip_suffix('\n').unwrap_or(body));
    let fence = "`".repeat((longest_run(&body, '`') + 1).max(3));
    format!("{fence}{info}\n{body}\n{fence}\n")
}

/// Text in HTML (a `<summary>`), on one line.
pub(crate) fn html(s: &str) -> String {
    text(s).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Text in a quoted Mermaid label (`r0["…"]`, `-->|"…"|`). Mermaid reads
/// `#name;` and `#35;` as entities, quotes end the label, `<`, `>` and `&`
/// are HTML, a backtick opens a Markdown string, and a pipe ends an edge
/// label: each is written as an entity, `#` first so the others stay
/// entities.
pub(crate) fn mermaid(s: &str) -> String {
    let s = text(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            c => out.push(c),
        }
    }
    out
}

/// Text in a quoted DOT string: backslashes (which Graphviz reads as
/// `\n`, `\l`, `\N` in labels) and quotes escaped, line breaks already
/// written as `\n` by [`text`] and then shown as such.
pub(crate) fn dot(s: &str) -> String {
    text(s).replace('\\', "\\\\").replace('"', "\\\"")
}

/// JSON text with every character [`text`] would escape that serde_json
/// leaves as it is (DEL, C1 controls, separators, bidirectional and
/// zero-width characters) written as a `\uXXXX` escape. Such characters
/// occur only inside strings (serde_json writes no other), where the escape
/// means the same character, so the JSON is unchanged.
pub(crate) fn json(s: String) -> String {
    let inert = |c: char| c.is_ascii() && !c.is_ascii_control() || c == '\n' || c == ' ';
    if s.chars().all(|c| inert(c) || text(c.encode_utf8(&mut [0; 4])).len() == c.len_utf8()) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        let mut buf = [0; 4];
        if inert(c) || text(c.encode_utf8(&mut buf)).len() == c.len_utf8() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORGED: &str = "A\r\u{1b}[2Kno differences\n```\n# Heading\u{7}\u{8}\u{202e}";

    #[test]
    fn text_keeps_one_value_on_one_line() {
        let t = text(FORGED);
        assert_eq!(t, "A\\r\\u{1b}[2Kno differences\\n```\\n# Heading\\u{7}\\u{8}\\u{202e}");
        assert_eq!(text("Bucket-1 AWS::S3::Bucket"), "Bucket-1 AWS::S3::Bucket");
        assert_eq!(lines("a\u{1b}\nb"), "a\\u{1b}\nb");
    }

    #[test]
    fn markdown_prose_and_code_cannot_open_anything() {
        assert_eq!(md_text("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(
            md_text("![x](http://t/p.png) @team #12 *a* $x$"),
            "!\\[x\\](http://t/p.png) \\@team \\#12 \\*a\\* \\$x\\$"
        );
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`a"), "`` `a ``");
        assert_eq!(md_code_cell("a|b"), "`a\\|b`");
        assert!(!md_code(FORGED).contains('\n'));
        let block = md_fence("json", "\"x\"\n```\n# Heading\n");
        assert_eq!(block, "````json\n\"x\"\n```\n# Heading\n````\n");
        assert_eq!(md_fence("diff", "-a\n+b\n"), "```diff\n-a\n+b\n```\n");
        assert_eq!(html("a</code><b>\n"), "a&lt;/code&gt;&lt;b&gt;\\n");
    }

    #[test]
    fn graph_labels_stay_labels() {
        assert_eq!(mermaid("a\"]\nclick r0 \"x\""), "a#quot;]\\nclick r0 #quot;x#quot;");
        assert_eq!(mermaid("#lt;b|`"), "#35;lt;b#124;#96;");
        assert_eq!(dot("a\"\\\n"), "a\\\"\\\\\\\\n");
    }

    #[test]
    fn json_escapes_what_serde_json_leaves() {
        let s = serde_json::to_string(&serde_json::json!({"k\u{9b}": "\u{1b}\u{202e}\u{7f}é"})).unwrap();
        let escaped = json(s);
        assert_eq!(escaped, r#"{"k\u009b":"\u001b\u202e\u007fé"}"#);
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["k\u{9b}"], "\u{1b}\u{202e}\u{7f}é");
        assert_eq!(json("{\n  \"a\": 1\n}".to_string()), "{\n  \"a\": 1\n}");
    }
}
