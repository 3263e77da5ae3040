//! Text from a configuration or a command line, made safe to print on a
//! terminal: keys, values and file names can hold bytes that move the
//! cursor, recolour the screen or reorder the text around them.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// Whether `c` could drive a terminal or hide text: control characters
/// (C0, DEL, C1, which includes the 8-bit CSI), line and paragraph
/// separators, and the format characters that reorder or hide text
/// (bidirectional overrides and isolates, zero-width characters, BOM).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `s` with every character that could drive a terminal written as an
/// escape: `\n`, `\r`, `\t`, or `\u{1b}` and the like.
///
/// ```
/// assert_eq!(module_kit::escape::text("a\u{1b}[31mb"), r"a\u{1b}[31mb");
/// assert_eq!(module_kit::escape::text("plain"), "plain");
/// ```
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A path as the user gave it, escaped like [`text`] (bytes that are not
/// UTF-8 show as U+FFFD).
pub fn path(p: &Path) -> String {
    text(&p.to_string_lossy()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn escapes_what_drives_a_terminal_and_nothing_else() {
        assert_eq!(text("tab\there"), "tab\\there");
        assert_eq!(text("bell\u{7}"), "bell\\u{7}");
        assert_eq!(text("csi\u{9b}2J"), "csi\\u{9b}2J");
        assert_eq!(text("del\u{7f}"), "del\\u{7f}");
        assert_eq!(text("rtl\u{202e}txt"), "rtl\\u{202e}txt");
        assert_eq!(text("nel\u{85}"), "nel\\u{85}");
        assert_eq!(text("ls\u{2028}"), "ls\\u{2028}");
        assert_eq!(text("zw\u{200b}"), "zw\\u{200b}");
        assert_eq!(text("été 東京 ünïcödé @:/=+-_."), "été 東京 ünïcödé @:/=+-_.");
    }
}
