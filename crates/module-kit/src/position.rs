//! Line and column of a place in a text, counted as the YAML parser counts
//! them: `\r\n`, `\r`, `\n`, NEL, LS and PS each end a line, and columns
//! count characters.

/// Whether `c` ends a line for the YAML parser.
pub(crate) fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The 1-based line and column of byte `offset` of `text` (a char boundary).
pub(crate) fn of_offset(text: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if is_break(c) {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

/// The lines of `text` as the parser counts them, without their breaks.
pub(crate) fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '\r' && iter.peek().map(|(_, n)| *n) == Some('\n') {
            continue;
        }
        if is_break(c) {
            let end = if c == '\n' && text[..i].ends_with('\r') { i - 1 } else { i };
            out.push(&text[start..end]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// The text from the 1-based `(line, column)` to the end of that line.
pub(crate) fn rest_of_line(text: &str, (line, column): (usize, usize)) -> &str {
    let mut current = 1;
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while current < line {
        match iter.next() {
            Some((_, '\r')) if iter.peek().map(|(_, c)| *c) == Some('\n') => {}
            Some((i, c)) if is_break(c) => {
                current += 1;
                start = i + c.len_utf8();
            }
            Some(_) => {}
            None => return "",
        }
    }
    let line_text = &text[start..];
    let end = line_text.find(is_break).unwrap_or(line_text.len());
    let line_text = &line_text[..end];
    match line_text.char_indices().nth(column.saturating_sub(1)) {
        Some((i, _)) => &line_text[i..],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::{lines, of_offset, rest_of_line};

    #[test]
    fn counts_every_line_break_the_parser_counts() {
        let t = "a\nb\r\nc\rd\u{2028}é";
        assert_eq!(of_offset(t, 0), (1, 1));
        assert_eq!(of_offset(t, 2), (2, 1));
        assert_eq!(of_offset(t, 5), (3, 1));
        assert_eq!(of_offset(t, 7), (4, 1));
        assert_eq!(of_offset(t, t.len()), (5, 2));
        assert_eq!(rest_of_line(t, (3, 1)), "c");
        assert_eq!(rest_of_line("x: !!bool \"true\"\n", (1, 4)), "!!bool \"true\"");
        assert_eq!(rest_of_line("x", (3, 1)), "");
        assert_eq!(lines(t), ["a", "b", "c", "d", "é"]);
        assert_eq!(lines("x\r\n\r\ny\n"), ["x", "", "y", ""]);
    }
}
