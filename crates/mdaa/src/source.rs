//! A YAML file kept with its text, so problems found in its values can
//! name the line and column they are written at.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use yaml_serde::Value;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::keypath::KeyPath;
use crate::locate::{Position, SourceIndex};

/// The largest YAML file read: far above any real estate or module
/// config, low enough that a stray multi-gigabyte file is refused quickly.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// One YAML file: its name for messages, its path for relative paths,
/// and its text for locating keys.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    path: PathBuf,
    text: String,
    index: OnceLock<SourceIndex>,
}

impl SourceFile {
    /// A file whose `text` is already read. `path` is where it lives (for
    /// the paths it names); messages call it by `path` as given.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let path = path.into();
        SourceFile { name: path.display().to_string(), path, text: text.into(), index: OnceLock::new() }
    }

    /// Reads the file at `path`.
    pub fn read(path: &Path) -> Result<Self, Diagnostics> {
        let name = path.display().to_string();
        let fail = |problem: String| Diagnostics::from(Diagnostic::error(&name, problem));
        let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
        if meta.is_dir() {
            return Err(fail("is a directory, not a YAML file".into()));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(fail(format!(
                "the file is {} bytes, more than the {MAX_FILE_BYTES} bytes read at most",
                meta.len()
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
        Ok(SourceFile::new(path, text))
    }

    /// The file's name in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the file lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory relative paths in the file are taken from.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or_else(|| Path::new(""))
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The positions of the file's keys, built the first time they are needed.
    pub fn index(&self) -> &SourceIndex {
        self.index.get_or_init(|| SourceIndex::build(&self.text))
    }

    /// Where `at` is written, or its nearest written ancestor.
    pub fn locate(&self, at: &KeyPath) -> Option<Position> {
        self.index().locate(at)
    }

    /// An error about the value at `at`.
    pub fn error(&self, at: &KeyPath, problem: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.name, problem).at(self.locate(at)).key(at.to_string())
    }

    /// A warning about the value at `at`.
    pub fn warning(&self, at: &KeyPath, problem: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(&self.name, problem).at(self.locate(at)).key(at.to_string())
    }

    /// Parses the text as one YAML document. Syntax errors come with
    /// yaml_serde's position; every repeated key is reported where it
    /// repeats.
    pub fn parse(&self) -> Result<Value, Diagnostics> {
        if let Some(position) = too_deep(&self.text) {
            return Err(Diagnostic::error(&self.name, "collections are nested too deeply")
                .at(Some(position))
                .expected(format!("at most {MAX_FLOW_DEPTH} levels of `[` and `{{`"))
                .into());
        }
        yaml_serde::from_str::<Value>(&self.text).map_err(|e| self.syntax_error(&e))
    }

    fn syntax_error(&self, e: &yaml_serde::Error) -> Diagnostics {
        let message = e.to_string();
        if message.contains("duplicate entry") {
            let repeats: Vec<Diagnostic> = self
                .index()
                .duplicates()
                .iter()
                .map(|(path, pos)| {
                    Diagnostic::error(&self.name, "this key is given twice in the same mapping")
                        .at(Some(*pos))
                        .key(path.to_string())
                        .expected("each key once")
                        .help("keep only the one you mean")
                })
                .collect();
            if !repeats.is_empty() {
                return Diagnostics(repeats);
            }
        }
        let problem = yaml_problem(&message);
        if problem.contains("more than one document") {
            return Diagnostic::error(&self.name, "the file holds more than one YAML document")
                .expected("one document (no second `---`)")
                .into();
        }
        Diagnostic::error(&self.name, format!("not valid YAML: {problem}"))
            .at(e.location().map(|l| (l.line(), l.column())))
            .into()
    }
}

/// yaml_serde refuses more than 128 levels, but its scanner takes time
/// quadratic in the depth of `[`/`{` nesting before it gets there; text
/// far deeper than that is refused before it is scanned.
const MAX_FLOW_DEPTH: usize = 1000;

/// Where `[`/`{` nesting (outside quotes and comments) first passes
/// [`MAX_FLOW_DEPTH`].
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (n, line) in text.lines().enumerate() {
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            match quote {
                Some(q) => {
                    if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '#' if prev.is_whitespace() => break,
                    '"' | '\'' if prev.is_whitespace() || ":,[{-".contains(prev) => quote = Some(c),
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some((n + 1, col + 1));
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
    }
    None
}

/// libyaml's message without its own position (reported separately), and
/// with the position of the enclosing construct in words:
/// `did not find expected ',' or ']' while parsing a flow sequence that
/// starts at line 4, column 19`.
fn yaml_problem(message: &str) -> String {
    let mut parts = message.split(", while ");
    let first = parts.next().unwrap_or_default();
    let mut out = strip_position(first).0.to_string();
    for context in parts {
        let (what, position) = strip_position(context);
        out.push_str(" while ");
        out.push_str(what);
        if let Some((line, column)) = position {
            out.push_str(&format!(" that starts at line {line}, column {column}"));
        }
    }
    out
}

/// Splits `text at line L column C` into `text` and `(L, C)`.
fn strip_position(s: &str) -> (&str, Option<(&str, &str)>) {
    let Some(at) = s.rfind(" at line ") else { return (s, None) };
    let rest = &s[at + " at line ".len()..];
    match rest.split_once(" column ") {
        Some((line, column)) if line.bytes().all(|b| b.is_ascii_digit()) => (&s[..at], Some((line, column))),
        _ => (s, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_repeated_key_is_reported_where_it_repeats() {
        let f = SourceFile::new("m.yaml", "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n");
        let err = f.parse().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("m.yaml:4:3: `b.c`: this key is given twice"), "{text}");
        assert!(text.contains("m.yaml:5:1: `a`: this key is given twice"), "{text}");
    }

    #[test]
    fn deep_nesting_is_refused_before_it_is_scanned() {
        let deep = format!("a: {}\n", "[".repeat(100_000));
        let err = SourceFile::new("d.yaml", deep).parse().unwrap_err();
        assert_eq!(err.0[0].position, Some((1, 1004)));
        let fine = format!("a: {}{}\nb: '[[[['\nc: it's [\n", "[".repeat(100), "]".repeat(100));
        assert!(SourceFile::new("f.yaml", fine).parse().is_ok());
    }

    #[test]
    fn libyaml_messages_read_as_sentences() {
        assert_eq!(
            yaml_problem("did not find expected ',' or ']' at line 5 column 1, while parsing a flow sequence at line 4 column 19"),
            "did not find expected ',' or ']' while parsing a flow sequence that starts at line 4, column 19"
        );
        assert_eq!(
            yaml_problem("found character that cannot start any token"),
            "found character that cannot start any token"
        );
    }

    #[test]
    fn syntax_errors_keep_yaml_serde_s_position() {
        let err = SourceFile::new("m.yaml", "a: [1, 2\n").parse().unwrap_err();
        assert_eq!(err.0[0].position, Some((2, 1)));
        assert!(err.0[0].problem.starts_with("not valid YAML: "), "{err}");
    }

    #[test]
    fn reading_refuses_directories_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(SourceFile::read(dir.path()).unwrap_err().to_string().contains("is a directory"));
        let missing = dir.path().join("none.yaml");
        assert!(SourceFile::read(&missing).unwrap_err().to_string().contains("cannot read the file"));
    }
}
