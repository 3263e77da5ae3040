//! Errors of the YAML text itself, from the parser, in plain words.

use crate::error::ConfigError;
use crate::position;

/// A position written by the parser as `line L column C`, 1-based.
fn parse_mark(s: &str) -> Option<((usize, usize), &str)> {
    let rest = s.strip_prefix("line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    Some(((line.parse().ok()?, rest[..end].parse().ok()?), &rest[end..]))
}

/// The parser's message, `{problem}[ at {mark}][, {context}[ at {mark}]]`,
/// taken apart.
/// What the parser was doing, and where it started doing it.
type Context<'a> = Option<(&'a str, Option<(usize, usize)>)>;

fn split(message: &str) -> (&str, Context<'_>) {
    let (problem, rest) = match message.find(" at line ").or_else(|| message.find(" at position ")) {
        Some(i) => {
            let after = &message[i + 4..];
            let rest = match parse_mark(after) {
                Some((_, rest)) => rest,
                None => after.split_once(", ").map_or("", |(_, r)| r),
            };
            (&message[..i], rest.strip_prefix(", ").unwrap_or(rest))
        }
        None => match message.find(", while ") {
            Some(i) => (&message[..i], &message[i + 2..]),
            None => (message, ""),
        },
    };
    if rest.is_empty() {
        return (problem, None);
    }
    match rest.find(" at line ") {
        Some(i) => (problem, Some((&rest[..i], parse_mark(&rest[i + 4..]).map(|(m, _)| m)))),
        None => (problem, Some((rest, None))),
    }
}

/// A YAML error from the parser or from yaml_serde's own limits. `text` is
/// the document, to look at what stands at the error's position.
pub(crate) fn error(e: &yaml_serde::Error, text: &str, file: &str) -> ConfigError {
    let message = e.to_string();
    // The reader's errors (a character YAML does not allow) have no line,
    // only a byte offset in the message; the position is computed from it.
    let at = match offset_in(&message).filter(|o| text.is_char_boundary(*o)) {
        Some(offset) => Some(position::of_offset(text, offset)),
        None => e.location().map(|l| (l.line(), l.column())),
    };
    let (problem, context) = split(&message);
    if problem == "control characters are not allowed" {
        if let Some(c) = at.and_then(|p| position::rest_of_line(text, p).chars().next()) {
            let what = if c.is_control() { "control character" } else { "character" };
            return ConfigError::new(file, format!("the {what} U+{:04X} is not allowed in YAML", u32::from(c)))
                .at(at)
                .expected("text without control characters (tabs and line breaks are fine)")
                .help("remove it; in a double-quoted value, an escape such as `\\x07` stands for a control character");
        }
    }
    let here = at.map(|p| position::rest_of_line(text, p)).unwrap_or_default();
    let err = ConfigError::new(file, format!("YAML syntax: {problem}")).at(at);
    let opened = |what: &str| {
        context
            .and_then(|(_, m)| m)
            .map(|(l, c)| format!("{what} at line {l}, column {c}"))
            .unwrap_or_else(|| what.to_string())
    };
    let err = match context.map(|(c, _)| c) {
        Some("while parsing a flow sequence") => err.help(format!(
            "close the list opened with {}, with `]`; separate its items with `,`",
            opened("`[`")
        )),
        Some("while parsing a flow mapping") => err.help(format!(
            "close the mapping opened with {}, with `}}`; separate its entries with `,`",
            opened("`{`")
        )),
        Some("while scanning a quoted scalar") => {
            err.help(format!("close the quoted text that starts {}", opened("").trim_start()))
        }
        Some("while scanning a simple key") => err.help("a key needs `: ` after it"),
        Some(c) if problem.starts_with("did not find expected key") => err
            .help("check the indentation: the keys of one mapping start in the same column")
            .note(c.to_string()),
        Some(c) => err.note(match context.and_then(|(_, m)| m) {
            Some((l, col)) => format!("{c} at line {l}, column {col}"),
            None => c.to_string(),
        }),
        None => err,
    };
    if here.starts_with('\t') {
        return err.help("YAML indents with spaces; a tab cannot start a token");
    }
    if problem == "mapping values are not allowed in this context" {
        if let Some(line) = at.map(|(l, _)| l).filter(|l| indented_deeper(text, *l)) {
            return err.help(format!(
                "line {line} is indented more than the line before, so it continues that line's value; indent the keys of one mapping alike"
            ));
        }
        return err.help("a value holding `: ` must be quoted, and a nested mapping goes on its own lines");
    }
    if problem == "recursion limit exceeded" {
        return ConfigError::new(file, "mappings and lists nest too deep").at(at);
    }
    if problem == "repetition limit exceeded" {
        return ConfigError::new(file, "aliases repeat their anchors too often")
            .expected("a configuration of a few kilobytes once aliases are expanded")
            .note("found while expanding aliases, so no line is given");
    }
    if problem == "unknown anchor" {
        return ConfigError::new(
            file,
            format!(
                "`{}` refers to an anchor that is not defined before it",
                here.split_whitespace().next().unwrap_or("*")
            ),
        )
        .at(at);
    }
    err
}

/// The byte offset of a reader error, written by yaml_serde as
/// `… at position N` (and left out when it is 0).
fn offset_in(message: &str) -> Option<usize> {
    let rest = &message[message.find(" at position ")? + " at position ".len()..];
    let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// Whether 1-based `line` is indented more than the nearest line above it
/// that holds something.
fn indented_deeper(text: &str, line: usize) -> bool {
    let lines: Vec<&str> = text.split(position::is_break).collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let Some(this) = lines.get(line.wrapping_sub(1)) else { return false };
    let above =
        lines[..line - 1].iter().rev().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    above.is_some_and(|a| indent(this) > indent(a))
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn takes_the_parser_message_apart() {
        assert_eq!(
            split("did not find expected ',' or ']' at line 2 column 1, while parsing a flow sequence at line 1 column 4"),
            ("did not find expected ',' or ']'", Some(("while parsing a flow sequence", Some((1, 4)))))
        );
        assert_eq!(
            split("mapping values are not allowed in this context at line 1 column 5"),
            ("mapping values are not allowed in this context", None)
        );
        assert_eq!(split("unknown anchor"), ("unknown anchor", None));
    }
}
