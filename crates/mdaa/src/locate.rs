//! Where each key and list item of a YAML document is written, so problems
//! found after parsing still point at a line and column.
//!
//! yaml_serde gives positions only for syntax errors, so one pass over the
//! text records the position of every block-style key and `- ` item, every
//! key and item of a flow collection written on one line, and every key a
//! mapping repeats. Block scalars and multi-line plain or quoted scalars
//! are stepped over. A path the pass cannot reach (inside a multi-line flow
//! collection, or reached through an alias) falls back to its nearest
//! written ancestor.

use std::collections::HashMap;

use crate::keypath::KeyPath;

/// 1-based line and column.
pub type Position = (usize, usize);

/// The positions of the keys and items of one document.
#[derive(Debug, Default)]
pub struct SourceIndex {
    positions: HashMap<KeyPath, Position>,
    duplicates: Vec<(KeyPath, Position)>,
}

impl SourceIndex {
    /// Indexes `source`.
    pub fn build(source: &str) -> Self {
        let mut scan = Scan::default();
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        for (n, raw) in source.lines().enumerate() {
            scan.line(n + 1, raw);
        }
        scan.index
    }

    /// Where exactly `path` is written, if the pass saw it.
    pub fn exact(&self, path: &KeyPath) -> Option<Position> {
        self.positions.get(path).copied()
    }

    /// Where `path` is written, or else its nearest written ancestor.
    pub fn locate(&self, path: &KeyPath) -> Option<Position> {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            p = p.parent()?;
        }
    }

    /// Every key written again in the same mapping, with where the repeat is.
    pub fn duplicates(&self) -> &[(KeyPath, Position)] {
        &self.duplicates
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
}

#[derive(Debug)]
struct Frame {
    indent: usize,
    kind: Kind,
    path: KeyPath,
    next_index: usize,
    /// Inside a repeated key: its contents are not recorded.
    shadow: bool,
}

/// A key or item whose value starts on a later line.
#[derive(Debug)]
struct Pending {
    path: KeyPath,
    indent: usize,
    /// A key's value may be a sequence written at the key's own indentation.
    from_key: bool,
    shadow: bool,
}

#[derive(Debug, Default)]
struct Scan {
    index: SourceIndex,
    stack: Vec<Frame>,
    pending: Option<Pending>,
    /// Lines indented deeper than this continue a scalar.
    skip_deeper_than: Option<usize>,
}

enum LineKind {
    Dash,
    Key(String, usize),
    Other,
}

impl Scan {
    fn line(&mut self, number: usize, raw: &str) {
        let content = raw.trim_start_matches(' ');
        let indent = raw.len() - content.len();
        if content.trim().is_empty() || content.starts_with('#') {
            return;
        }
        if let Some(limit) = self.skip_deeper_than {
            if indent > limit {
                return;
            }
            self.skip_deeper_than = None;
        }
        if indent == 0
            && (content.starts_with("---") || content.starts_with("...") || content.starts_with('%'))
        {
            self.stack.clear();
            self.pending = None;
            return;
        }
        self.node(number, indent + 1, indent, content);
    }

    /// A node that starts at byte `indent` of the line (column `col`).
    fn node(&mut self, number: usize, col: usize, indent: usize, text: &str) {
        let kind = line_kind(text);
        if let Some(p) = self.pending.take() {
            let is_dash = matches!(kind, LineKind::Dash);
            if indent > p.indent || (p.from_key && indent == p.indent && is_dash) {
                self.stack.push(Frame {
                    indent,
                    kind: if is_dash { Kind::Seq } else { Kind::Map },
                    path: p.path,
                    next_index: 0,
                    shadow: p.shadow,
                });
            }
        }
        let wanted = match kind {
            LineKind::Dash => Some(Kind::Seq),
            LineKind::Key(..) => Some(Kind::Map),
            LineKind::Other => None,
        };
        while let Some(top) = self.stack.last() {
            if top.indent > indent || (top.indent == indent && Some(top.kind) != wanted) {
                self.stack.pop();
            } else {
                break;
            }
        }
        if self.stack.is_empty() {
            if let Some(kind) = wanted {
                self.stack.push(Frame { indent, kind, path: KeyPath::root(), next_index: 0, shadow: false });
            }
        }
        if self.stack.last().is_none_or(|top| top.indent != indent) {
            // A continuation of something not tracked.
            self.skip_deeper_than = Some(indent);
            return;
        }
        match kind {
            LineKind::Dash => self.item(number, col, indent, text),
            LineKind::Key(key, after) => self.entry(number, col, indent, text, key, after),
            LineKind::Other => self.skip_deeper_than = Some(indent),
        }
    }

    fn item(&mut self, number: usize, col: usize, indent: usize, text: &str) {
        let Some(top) = self.stack.last_mut() else { return };
        let path = top.path.index(top.next_index);
        top.next_index += 1;
        let shadow = top.shadow;
        let shadow = self.record(path.clone(), (number, col), shadow) || shadow;
        let after_dash = &text[1..];
        let (rest, offset) = strip_properties(after_dash);
        let rest_indent = indent + 1 + offset;
        let rest_col = col + 1 + char_count(&after_dash[..offset]);
        if rest.is_empty() || rest.starts_with('#') {
            self.pending = Some(Pending { path, indent, from_key: false, shadow });
            return;
        }
        match line_kind(rest) {
            LineKind::Dash => {
                self.stack.push(Frame { indent: rest_indent, kind: Kind::Seq, path, next_index: 0, shadow });
                self.item(number, rest_col, rest_indent, rest);
            }
            LineKind::Key(key, after) => {
                self.stack.push(Frame { indent: rest_indent, kind: Kind::Map, path, next_index: 0, shadow });
                self.entry(number, rest_col, rest_indent, rest, key, after);
            }
            LineKind::Other => {
                if !shadow {
                    self.flow(number, rest_col, rest, &path);
                }
                self.skip_deeper_than = Some(indent);
            }
        }
    }

    fn entry(&mut self, number: usize, col: usize, indent: usize, text: &str, key: String, after: usize) {
        let Some(top) = self.stack.last() else { return };
        let path = top.path.key(key);
        let shadow = top.shadow;
        let shadow = self.record(path.clone(), (number, col), shadow) || shadow;
        let after_colon = &text[after..];
        let (rest, offset) = strip_properties(after_colon);
        if rest.is_empty() || rest.starts_with('#') {
            self.pending = Some(Pending { path, indent, from_key: true, shadow });
            return;
        }
        if !shadow && (rest.starts_with('{') || rest.starts_with('[')) {
            let rest_col = col + char_count(&text[..after]) + char_count(&after_colon[..offset]);
            self.flow(number, rest_col, rest, &path);
        }
        self.skip_deeper_than = Some(indent);
    }

    /// Records where `path` is written; true if its mapping already had the key.
    fn record(&mut self, path: KeyPath, pos: Position, shadow: bool) -> bool {
        if shadow {
            return false;
        }
        if self.index.positions.contains_key(&path) {
            self.index.duplicates.push((path, pos));
            return true;
        }
        self.index.positions.insert(path, pos);
        false
    }

    /// Records the keys and items of a flow collection written on one line.
    fn flow(&mut self, number: usize, col: usize, text: &str, path: &KeyPath) {
        let chars: Vec<char> = text.chars().collect();
        let mut flow = Flow { chars: &chars, at: 0, found: Vec::new() };
        flow.node(path, 0);
        for (p, offset) in flow.found {
            self.record(p, (number, col + offset), false);
        }
    }
}

/// A small reader of flow collections (`{a: 1, b: [x, y]}`); it stops
/// quietly at the end of the line or at anything it does not expect.
struct Flow<'a> {
    chars: &'a [char],
    at: usize,
    found: Vec<(KeyPath, usize)>,
}

impl Flow<'_> {
    const MAX_DEPTH: usize = 64;

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn spaces(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.at += 1;
        }
    }

    fn node(&mut self, path: &KeyPath, depth: usize) {
        if depth > Self::MAX_DEPTH {
            self.at = self.chars.len();
            return;
        }
        self.spaces();
        match self.peek() {
            Some('{') => self.entries('}', |flow, _| {
                let key = flow.scalar(true);
                let child = path.key(key);
                flow.spaces();
                if flow.peek() == Some(':') {
                    flow.at += 1;
                    flow.node(&child, depth + 1);
                }
                child
            }),
            Some('[') => self.entries(']', |flow, index| {
                let child = path.index(index);
                flow.node(&child, depth + 1);
                child
            }),
            Some(_) => {
                self.scalar(false);
            }
            None => {}
        }
    }

    /// The entries of a collection up to `close`: `entry` reads one (given
    /// its index) and returns its path, recorded at where it starts.
    fn entries(&mut self, close: char, mut entry: impl FnMut(&mut Self, usize) -> KeyPath) {
        self.at += 1;
        let mut index = 0;
        loop {
            self.spaces();
            match self.peek() {
                None => return,
                Some(c) if c == close => {
                    self.at += 1;
                    return;
                }
                Some(',') => self.at += 1,
                Some(_) => {
                    let start = self.at;
                    let child = entry(self, index);
                    self.found.push((child, start));
                    index += 1;
                    if self.at == start {
                        return;
                    }
                }
            }
        }
    }

    /// Reads a scalar and returns its text (quotes removed, escapes kept
    /// as far as keys need them).
    fn scalar(&mut self, is_key: bool) -> String {
        let mut out = String::new();
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.at += 1;
                while let Some(c) = self.peek() {
                    self.at += 1;
                    if c == q {
                        if q == '\'' && self.peek() == Some('\'') {
                            self.at += 1;
                            out.push('\'');
                            continue;
                        }
                        break;
                    }
                    if q == '"' && c == '\\' {
                        if let Some(e) = self.peek() {
                            self.at += 1;
                            out.push(unescape(e));
                        }
                        continue;
                    }
                    out.push(c);
                }
            }
            _ => {
                while let Some(c) = self.peek() {
                    if ",[]{}".contains(c) {
                        break;
                    }
                    if c == ':' {
                        let next = self.chars.get(self.at + 1).copied();
                        if is_key && next.is_none_or(|n| n == ' ' || ",[]{}".contains(n)) {
                            break;
                        }
                    }
                    if c == '#' && out.ends_with(' ') {
                        self.at = self.chars.len();
                        break;
                    }
                    out.push(c);
                    self.at += 1;
                }
            }
        }
        out.trim_end().to_string()
    }
}

fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        '0' => '\0',
        other => other,
    }
}

fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// What a line (or the rest of one, after `- `) starts with.
fn line_kind(text: &str) -> LineKind {
    if text == "-" || text.starts_with("- ") || text.starts_with("-\t") {
        return LineKind::Dash;
    }
    match block_key(text) {
        Some((key, after)) => LineKind::Key(key, after),
        None => LineKind::Other,
    }
}

/// The key of a `key: value` line and the byte index just after its colon.
fn block_key(text: &str) -> Option<(String, usize)> {
    let ends_key = |rest: &str| rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t');
    let quoted = |q: char| -> Option<(String, usize)> {
        let mut key = String::new();
        let mut chars = text.char_indices().skip(1).peekable();
        while let Some((i, c)) = chars.next() {
            if c == q {
                if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                    key.push('\'');
                    continue;
                }
                let after = &text[i + 1..];
                let trimmed = after.trim_start_matches([' ', '\t']);
                let colon = text.len() - trimmed.len();
                return match trimmed.strip_prefix(':') {
                    Some(rest) if ends_key(rest) => Some((key, colon + 1)),
                    _ => None,
                };
            }
            if q == '"' && c == '\\' {
                if let Some((_, e)) = chars.next() {
                    key.push(unescape(e));
                }
                continue;
            }
            key.push(c);
        }
        None
    };
    match text.chars().next()? {
        '"' => quoted('"'),
        '\'' => quoted('\''),
        '[' | '{' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' | '#' => None,
        '?' if text.len() == 1 || text[1..].starts_with(' ') => None,
        _ => {
            let mut prev = ' ';
            for (i, c) in text.char_indices() {
                if c == '#' && (prev == ' ' || prev == '\t') {
                    return None;
                }
                if c == ':' && ends_key(&text[i + 1..]) {
                    return Some((text[..i].trim_end().to_string(), i + 1));
                }
                prev = c;
            }
            None
        }
    }
}

/// Drops leading spaces and any anchor (`&a`) or tag (`!t`) in front of a
/// value; returns what is left and how many bytes were dropped.
fn strip_properties(text: &str) -> (&str, usize) {
    let mut rest = text.trim_start();
    loop {
        if rest.starts_with('&') || rest.starts_with('!') {
            let end = rest.find([' ', '\t']).unwrap_or(rest.len());
            rest = rest[end..].trim_start();
        } else {
            break;
        }
    }
    (rest, text.len() - rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keypath::Seg;

    fn keys(path: &[&str]) -> KeyPath {
        KeyPath::from_segments(path.iter().map(|k| Seg::Key((*k).to_string())))
    }

    const DOC: &str = "\
# comment
organization: org
'quoted key': 1
\"dq\\\"key\": 2
domains:
  d1:
    text: |
      looks: like a key
      - and an item
    environments:
      dev:
        modules:
          a: {module_path: x, module_configs: [one.yaml, two.yaml]}
          b:
            module_configs:
            - first.yaml
            - second.yaml
  d2:
    list:
      - name: x
        other: y
      - - nested
      - &anchor
        k: v
plain: multi
  line value
last: 1
";

    fn at(index: &SourceIndex, path: &str) -> Option<Position> {
        let mut p = KeyPath::root();
        for part in path.split('.') {
            match part.parse::<usize>() {
                Ok(n) => p = p.index(n),
                Err(_) => p = p.key(part),
            }
        }
        index.exact(&p)
    }

    #[test]
    fn finds_block_keys_items_and_quoted_keys() {
        let index = SourceIndex::build(DOC);
        assert_eq!(at(&index, "organization"), Some((2, 1)));
        assert_eq!(at(&index, "quoted key"), Some((3, 1)));
        assert_eq!(at(&index, "dq\"key"), Some((4, 1)));
        assert_eq!(at(&index, "domains.d1.environments.dev.modules.b.module_configs.1"), Some((17, 13)));
        assert_eq!(at(&index, "domains.d2.list.0.other"), Some((21, 9)));
        assert_eq!(at(&index, "domains.d2.list.1.0"), Some((22, 9)));
        assert_eq!(at(&index, "domains.d2.list.2.k"), Some((24, 9)));
        assert_eq!(at(&index, "last"), Some((27, 1)));
    }

    #[test]
    fn steps_over_block_and_multi_line_scalars() {
        let index = SourceIndex::build(DOC);
        assert_eq!(at(&index, "domains.d1.text.looks"), None);
        assert_eq!(at(&index, "domains.d1.environments"), Some((10, 5)));
        assert_eq!(at(&index, "plain"), Some((25, 1)));
    }

    #[test]
    fn finds_keys_and_items_of_one_line_flow_collections() {
        let index = SourceIndex::build(DOC);
        let m = "domains.d1.environments.dev.modules.a";
        assert_eq!(at(&index, &format!("{m}.module_path")), Some((13, 15)));
        assert_eq!(at(&index, &format!("{m}.module_configs.1")), Some((13, 58)));
    }

    #[test]
    fn falls_back_to_the_nearest_written_ancestor() {
        let index = SourceIndex::build(DOC);
        let p = keys(&["domains", "d1", "environments", "nope", "deeper"]);
        assert_eq!(index.locate(&p), Some((10, 5)));
        assert_eq!(index.locate(&keys(&["nowhere"])), None);
    }

    #[test]
    fn records_repeated_keys_where_they_repeat() {
        let index = SourceIndex::build("a: 1\nb:\n  c: 1\n  c:\n    d: 2\na: 3\n");
        let dups: Vec<_> = index.duplicates().iter().map(|(p, pos)| (p.to_string(), *pos)).collect();
        assert_eq!(dups, vec![("b.c".to_string(), (4, 3)), ("a".to_string(), (6, 1))]);
    }

    #[test]
    fn a_sequence_may_sit_at_its_key_s_indentation() {
        let index = SourceIndex::build("k:\n- a\n- b: 1\nnext: 2\n");
        assert_eq!(at(&index, "k.1.b"), Some((3, 3)));
        assert_eq!(at(&index, "next"), Some((4, 1)));
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in
            ["- - - -", "{[}]:", "a: {b: [c, {d: \"e", "? x\n: y", "\"unterminated: 1", "-\n -\n  -", ":"]
        {
            SourceIndex::build(text);
        }
    }
}
