//! A YAML file kept with its text, so problems found in its values can
//! name the line and column they are written at.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use module_kit::cli::{FileKind, ReadError};
use module_kit::limits::{self, Bounds};
use yaml_serde::Value;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::keypath::KeyPath;
use crate::locate::{Position, SourceIndex};

/// The bounds an mdaa.yaml is read within. The sample estate of 1,000
/// instances is 84 KB and about 14,000 values; these leave room for estates
/// ten times larger, while a file of aliases that would expand to gigabytes
/// is refused after its first quarter-million values.
pub const ESTATE_BOUNDS: Bounds = Bounds { bytes: 8 << 20, depth: 64, nodes: 250_000, text: 16 << 20 };

/// The bounds a module config or a tag file is read within: a
/// configuration's, as the module kit reads one ([`Bounds::CONFIG`]).
pub const CONFIG_BOUNDS: Bounds = Bounds::CONFIG;

/// One YAML file: its name for messages, its path for relative paths,
/// and its text for locating keys.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    path: PathBuf,
    text: String,
    bounds: Bounds,
    index: OnceLock<SourceIndex>,
}

impl SourceFile {
    /// A file whose `text` is already read, parsed within
    /// [`ESTATE_BOUNDS`]. `path` is where it lives (for the paths it
    /// names); messages call it by `path` as given.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let path = path.into();
        SourceFile {
            name: path.display().to_string(),
            path,
            text: text.into(),
            bounds: ESTATE_BOUNDS,
            index: OnceLock::new(),
        }
    }

    /// The same file, parsed within `bounds`.
    pub fn with_bounds(mut self, bounds: Bounds) -> Self {
        self.bounds = bounds;
        self
    }

    /// Reads the mdaa.yaml at `path`: a file, a pipe or a FIFO, at most
    /// [`ESTATE_BOUNDS`]' bytes of it (`/dev/zero` is refused at once).
    pub fn read(path: &Path) -> Result<Self, Diagnostics> {
        let name = path.display().to_string();
        let bytes = module_kit::cli::read_bytes(path, ESTATE_BOUNDS.bytes, "the mdaa.yaml")
            .map_err(|e| Diagnostics::from(read_error(&name, &e, &ESTATE_BOUNDS)))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Diagnostics::from(
                Diagnostic::error(
                    &name,
                    format!("is not UTF-8 text (byte {} is not)", e.utf8_error().valid_up_to() + 1),
                )
                .expected("a YAML file in UTF-8"),
            )
        })?;
        Ok(SourceFile::new(path, text))
    }

    /// Reads a module config or a tag file: a regular file only, within
    /// [`CONFIG_BOUNDS`]. A FIFO, a device or a directory is refused as
    /// what it is: an estate names files, and a FIFO no one writes to would
    /// hold the run forever.
    pub fn read_config(path: &Path) -> Result<Self, Diagnostics> {
        Ok(SourceFile::new(path, read_text(path)?).with_bounds(CONFIG_BOUNDS))
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
    ///
    /// The text is first held to the file's bounds ([`ESTATE_BOUNDS`] or
    /// [`CONFIG_BOUNDS`]) by the module kit's prescan, which counts values,
    /// nesting and text as the parser reads them: a file of aliases is
    /// refused before it is expanded.
    pub fn parse(&self) -> Result<Value, Diagnostics> {
        if let Err(over) = limits::within(&self.text, &self.bounds) {
            return Err(Diagnostic::error(&self.name, over.problem(&self.bounds, "the file"))
                .at(over.at())
                .expected(over.expected(&self.bounds))
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
        if problem.contains("repetition limit exceeded") {
            // yaml_serde's own bound on replaying aliases, passed before ours.
            return Diagnostic::error(
                &self.name,
                "aliases are replayed more often than the YAML reader allows",
            )
            .expected("an alias used a few times, not aliases of aliases repeated over and over")
            .help("write the values out, or use fewer levels of aliases")
            .into();
        }
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

/// The text of the regular file at `path`, at most [`CONFIG_BOUNDS`]'
/// bytes of it; anything but a regular file is refused as what it is.
pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostics> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostics::from(read_error(&name, &ReadError::Io(e), &CONFIG_BOUNDS)))?;
    let kind = FileKind::of(&meta);
    if kind != FileKind::Regular {
        return Err(read_error(&name, &ReadError::Refused(kind.words()), &CONFIG_BOUNDS).into());
    }
    let bytes = module_kit::cli::read_bytes(path, CONFIG_BOUNDS.bytes, "the file")
        .map_err(|e| Diagnostics::from(read_error(&name, &e, &CONFIG_BOUNDS)))?;
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            &name,
            format!("is not UTF-8 text (byte {} is not)", e.utf8_error().valid_up_to() + 1),
        )
        .expected("a file in UTF-8")
        .into()
    })
}

/// Why a file was not read, as a diagnostic naming the bound or the kind
/// of file it is.
fn read_error(name: &str, e: &ReadError, bounds: &Bounds) -> Diagnostic {
    match e {
        ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Diagnostic::error(name, "does not exist").expected("a YAML file")
        }
        ReadError::Io(e) => Diagnostic::error(name, format!("cannot read the file: {e}")),
        ReadError::Refused(kind) => {
            Diagnostic::error(name, format!("is {kind}, not a file")).expected("a YAML file")
        }
        ReadError::TooLarge(max) => Diagnostic::error(
            name,
            format!("holds more than {}; refused without reading further", limits::bytes(*max)),
        )
        .expected(format!("at most {}", limits::bytes(bounds.bytes))),
    }
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
        assert_eq!(err.0[0].position, Some((1, 4 + ESTATE_BOUNDS.depth)));
        assert!(err.to_string().contains("nests mappings and lists more than 64 deep"), "{err}");
        let fine = format!("a: {}{}\nb: '[[[['\nc: it's [\n", "[".repeat(50), "]".repeat(50));
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
        assert!(SourceFile::read(dir.path()).unwrap_err().to_string().contains("is a directory, not a file"));
        assert!(SourceFile::read_config(dir.path())
            .unwrap_err()
            .to_string()
            .contains("is a directory, not a file"));
        let missing = dir.path().join("none.yaml");
        assert!(SourceFile::read(&missing).unwrap_err().to_string().contains("does not exist"));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_named_as_what_they_are() {
        let zero = SourceFile::read(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(zero.contains("holds more than 8,388,608 bytes; refused without reading further"), "{zero}");
        let null = SourceFile::read_config(Path::new("/dev/null")).unwrap_err().to_string();
        assert!(null.contains("/dev/null: is a character device, not a file"), "{null}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.yaml");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let err = SourceFile::read_config(&fifo).unwrap_err().to_string();
        assert!(err.contains("fifo.yaml: is a FIFO, not a file"), "{err}");
    }

    #[test]
    fn yaml_serde_s_own_alias_limit_is_worded() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, prev) in ["b", "c", "d", "e", "f", "g"].iter().zip(["a", "b", "c", "d", "e", "f"]) {
            bomb.push_str(&format!("{i}: &{i} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
        }
        let err = SourceFile::new("bomb.yaml", bomb).parse().unwrap_err().to_string();
        assert!(
            err.contains("bomb.yaml: aliases are replayed more often than the YAML reader allows"),
            "{err}"
        );
    }

    #[test]
    fn an_alias_bomb_is_refused_at_the_bound_it_passes() {
        let mut bomb = format!("a: &a [{}x]\n", "x, ".repeat(999));
        for (i, prev) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let err = SourceFile::new("bomb.yaml", bomb.as_str()).parse().unwrap_err().to_string();
        assert!(err.contains("holds more than 250,000 values (an alias counts"), "{err}");
        let err =
            SourceFile::new("tags.yaml", bomb).with_bounds(CONFIG_BOUNDS).parse().unwrap_err().to_string();
        assert!(err.contains("holds more than 20,000 values"), "{err}");
    }
}
