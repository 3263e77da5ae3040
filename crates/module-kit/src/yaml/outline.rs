//! One walk over the YAML document: where every key and value is written,
//! and the problems of structure that serde cannot see or reports badly
//! (repeated keys, keys that are not text, tags, a second document, nesting
//! and size limits). It runs when an error needs positions, or when the
//! one-pass read of [`super::watch`] cannot vouch for the text.
//!
//! Positions come from the YAML parser itself, so flow mappings, `? key`
//! entries, aliases and any line ending are located as the parser reads
//! them. yaml_serde gives a position only with an error, so each scalar
//! answers the walk with a marker error; yaml_serde stamps it with the
//! scalar's position, and the walk reads the position back and goes on.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use crate::error::ConfigErrors;
use crate::limits::{MAX_DEPTH, MAX_NODES};
use crate::path::KeyPath;
use crate::position;

/// A 1-based line and column.
pub(crate) type Pos = (usize, usize);

/// The marker a scalar answers with, to learn its position.
const HERE: &str = "\u{0}module-kit:here";
/// The marker that stops the walk; the reason is in the walk's state.
const STOP: &str = "\u{0}module-kit:stop";

/// Where the keys and values of a document are, and what is wrong with its
/// structure.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    keys: HashMap<KeyPath, Pos>,
    values: HashMap<KeyPath, Pos>,
    /// Problems of structure, in the order found.
    pub problems: Vec<Structural>,
    /// What the document holds at its top.
    pub root: Option<Kind>,
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Scalar,
    List,
    Mapping,
}

/// A problem of structure found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Structural {
    /// A key given again in the same mapping.
    Repeated { path: KeyPath, at: Pos, first: Pos },
    /// A key that is a list or a mapping.
    KeyNotText { parent: KeyPath, at: Option<Pos>, kind: Kind },
    /// A value with a local tag such as `!Ref`.
    Tagged { path: KeyPath, tag: String, at: Option<Pos> },
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep { at: Option<Pos> },
    /// More values than [`MAX_NODES`].
    TooMany { at: Option<Pos> },
    /// A second YAML document in the file.
    SecondDocument { at: Option<Pos> },
}

/// Where a key path is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    /// The position of the path's key, or of its nearest ancestor's.
    pub at: Option<Pos>,
    /// The part of the path the position belongs to (the whole path when found).
    pub found: KeyPath,
}

impl Outline {
    /// Where `path` is written: its key, or for a list item its value, or
    /// failing both the nearest ancestor that is written.
    pub fn locate(&self, path: &KeyPath) -> Located {
        let mut p = path.clone();
        loop {
            let at = self.keys.get(&p).or_else(|| self.values.get(&p)).copied();
            if at.is_some() || p.is_root() {
                return Located { at, found: p };
            }
            p = p.parent();
        }
    }

    /// Where the value at `path` starts, if it is written.
    pub fn value(&self, path: &KeyPath) -> Option<Pos> {
        self.values.get(path).copied()
    }
}

/// Walks every document of `text`: the first fills the outline, a second
/// one is a problem. Errors of YAML syntax (and yaml_serde's own limits)
/// come back as `Err`.
pub(crate) fn walk(text: &str, file: &str) -> Result<Outline, ConfigErrors> {
    let mut outline = Outline::default();
    for (n, doc) in yaml_serde::Deserializer::from_str(text).enumerate() {
        let state = RefCell::new(State::default());
        let result = Node { state: &state, path: KeyPath::root(), role: Role::Value }.deserialize(doc);
        let state = state.into_inner();
        if n == 0 {
            outline.keys = state.keys;
            outline.values = state.values;
            outline.problems = state.problems;
            outline.root = state.root;
        }
        match (result, state.stop) {
            (Ok(()), _) if n == 0 => {}
            (Ok(()), _) => {
                let at = document_start(text, state.first);
                outline.problems.push(Structural::SecondDocument { at });
                break;
            }
            (Err(e), Some(stop)) => {
                let at = e.location().map(|l| (l.line(), l.column()));
                if n == 0 {
                    outline.problems.push(stop.at(at));
                } else {
                    let at = document_start(text, state.first.or(at));
                    outline.problems.push(Structural::SecondDocument { at });
                }
                break;
            }
            (Err(e), None) => return Err(super::syntax::error(&e, text, file).into()),
        }
    }
    Ok(outline)
}

/// Where the document whose first node is at `first` starts: the `---`
/// line that opens it, when one does (only a document end, `...`, may
/// come between them; a `---` at the start of a line is always a marker).
fn document_start(text: &str, first: Option<Pos>) -> Option<Pos> {
    let (line, _) = first?;
    let lines = position::lines(text);
    let marker = |l: &str, m: &str| {
        l.strip_prefix(m).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    };
    for n in (1..=line.min(lines.len())).rev() {
        let l = lines[n - 1];
        if marker(l, "---") {
            return Some((n, 1));
        }
        if marker(l, "...") {
            break;
        }
    }
    first
}

/// Why the walk stopped.
#[derive(Debug, Clone)]
enum Stop {
    TooDeep,
    TooMany,
    KeyNotText {
        parent: KeyPath,
        kind: Kind,
    },
    /// A tagged list or mapping: the walk stops on it, so that yaml_serde
    /// stamps the stop with the node's start, which is its tag.
    Tagged {
        path: KeyPath,
        tag: String,
    },
}

impl Stop {
    fn at(self, at: Option<Pos>) -> Structural {
        match self {
            Stop::TooDeep => Structural::TooDeep { at },
            Stop::TooMany => Structural::TooMany { at },
            Stop::KeyNotText { parent, kind } => Structural::KeyNotText { parent, at, kind },
            Stop::Tagged { path, tag } => Structural::Tagged { path, tag, at },
        }
    }
}

#[derive(Default)]
struct State {
    keys: HashMap<KeyPath, Pos>,
    values: HashMap<KeyPath, Pos>,
    problems: Vec<Structural>,
    root: Option<Kind>,
    /// The first position seen in the document.
    first: Option<Pos>,
    /// The text and position of the key just read.
    key: Option<String>,
    key_at: Option<Pos>,
    nodes: usize,
    stop: Option<Stop>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Key,
    Value,
}

struct Node<'s> {
    state: &'s RefCell<State>,
    path: KeyPath,
    role: Role,
}

/// The position a marker error carries, from yaml_serde's rendering of it
/// (`… at line L column C`, or nothing at line 1 column 1).
fn marked_position(message: &str) -> Option<Pos> {
    let after = message.split_once(HERE)?.1;
    let Some(rest) = after.strip_prefix(" at line ") else {
        return Some((1, 1));
    };
    let (line, column) = rest.split_once(" column ")?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let (state, path, role) = (self.state, self.path.clone(), self.role);
        {
            let mut s = state.borrow_mut();
            s.nodes += 1;
            if s.nodes > MAX_NODES {
                s.stop = Some(Stop::TooMany);
            } else if path.0.len() > MAX_DEPTH {
                s.stop = Some(Stop::TooDeep);
            }
        }
        if state.borrow().stop.is_some() {
            // Let yaml_serde stamp the stop with this node's position.
            return d.deserialize_any(Stopper);
        }
        let result = match role {
            Role::Key => d.deserialize_any(KeyVisitor { state, parent: &path }),
            Role::Value => d.deserialize_any(ValueVisitor(self)),
        };
        let Err(e) = result else { return Ok(()) };
        let Some(at) = marked_position(&e.to_string()) else { return Err(e) };
        let mut s = state.borrow_mut();
        s.first.get_or_insert(at);
        match role {
            Role::Key => {
                let key = s.key.clone().unwrap_or_default();
                s.key_at = Some(at);
                s.keys.entry(path.key(key)).or_insert(at);
            }
            Role::Value => {
                if path.is_root() && s.root.is_none() {
                    s.root = Some(Kind::Scalar);
                }
                s.values.entry(path).or_insert(at);
            }
        }
        Ok(())
    }
}

/// Answers any node with the stop marker.
struct Stopper;

impl<'de> Visitor<'de> for Stopper {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("anything")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(STOP))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(STOP))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(STOP))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(STOP))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(STOP))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(STOP))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(STOP))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(STOP))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(STOP))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(STOP))
    }
}

/// Reads a key: its text, or a stop when it is a list or a mapping.
struct KeyVisitor<'a, 's> {
    state: &'s RefCell<State>,
    parent: &'a KeyPath,
}

impl KeyVisitor<'_, '_> {
    fn text<E: de::Error>(self, text: String) -> Result<(), E> {
        self.state.borrow_mut().key = Some(text);
        Err(E::custom(HERE))
    }

    fn not_text<E: de::Error>(self, kind: Kind) -> Result<(), E> {
        self.state.borrow_mut().stop = Some(Stop::KeyNotText { parent: self.parent.clone(), kind });
        Err(E::custom(STOP))
    }
}

impl<'de> Visitor<'de> for KeyVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.text(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.text(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.text(v.to_string())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.text(v.to_string())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.text(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.text(v.to_string())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.text(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.text(String::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.text(String::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.not_text(Kind::List)
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.not_text(Kind::Mapping)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        // A tagged key (`!t k: v`): tags are refused on values below; on a
        // key it is no text a config type can match.
        self.not_text(Kind::Scalar)
    }
}

/// Reads a value: scalars answer with their position, collections are walked.
struct ValueVisitor<'s>(Node<'s>);

impl ValueVisitor<'_> {
    fn scalar<E: de::Error>(self, null: bool) -> Result<(), E> {
        if self.0.path.is_root() {
            self.0.state.borrow_mut().root = Some(if null { Kind::Null } else { Kind::Scalar });
        }
        Err(E::custom(HERE))
    }

    fn collection(&self, kind: Kind) {
        let mut s = self.0.state.borrow_mut();
        if self.0.path.is_root() {
            s.root = Some(kind);
        }
    }
}

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar(false)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.scalar(false)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.scalar(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar(false)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(true)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        self.collection(Kind::List);
        if self.0.path.is_root() {
            // A list is no configuration: what matters is where it starts,
            // which the marker learns (its items are not walked; nothing
            // after the document's root is read once it returns).
            return Err(de::Error::custom(HERE));
        }
        let mut i = 0;
        while items
            .next_element_seed(Node {
                state: self.0.state,
                path: self.0.path.clone().index(i),
                role: Role::Value,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        self.collection(Kind::Mapping);
        let state = self.0.state;
        let mut seen: HashMap<String, Pos> = HashMap::new();
        loop {
            let key = Node { state, path: self.0.path.clone(), role: Role::Key };
            if entries.next_key_seed(key)?.is_none() {
                return Ok(());
            }
            let (text, at) = {
                let mut s = state.borrow_mut();
                (s.key.take().unwrap_or_default(), s.key_at.take())
            };
            let path = self.0.path.clone().key(text.clone());
            match (seen.get(&text), at) {
                (Some(first), Some(at)) => {
                    state.borrow_mut().problems.push(Structural::Repeated {
                        path: path.clone(),
                        at,
                        first: *first,
                    });
                }
                (None, Some(at)) => {
                    seen.insert(text, at);
                }
                _ => {}
            }
            entries.next_value_seed(Node { state, path, role: Role::Value })?;
        }
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (tag, content) = data.variant::<String>()?;
        let state = self.0.state;
        let path = self.0.path.clone();
        let tag = format!("!{tag}");
        content.newtype_variant_seed(TaggedContent { state, path: path.clone(), tag: tag.clone() })?;
        let mut s = state.borrow_mut();
        let at = s.values.get(&path).copied();
        s.problems.push(Structural::Tagged { path, tag, at });
        Ok(())
    }
}

/// The value under a tag: a scalar is located as any value is (its
/// position is the tag's); a list or a mapping stops the walk, since only
/// a stop learns where a collection starts.
struct TaggedContent<'s> {
    state: &'s RefCell<State>,
    path: KeyPath,
    tag: String,
}

impl<'de> DeserializeSeed<'de> for TaggedContent<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let result = d.deserialize_any(TaggedVisitor(&self));
        let Err(e) = result else { return Ok(()) };
        let Some(at) = marked_position(&e.to_string()) else { return Err(e) };
        let mut s = self.state.borrow_mut();
        s.first.get_or_insert(at);
        s.values.entry(self.path).or_insert(at);
        Ok(())
    }
}

struct TaggedVisitor<'a, 's>(&'a TaggedContent<'s>);

impl TaggedVisitor<'_, '_> {
    fn stop<E: de::Error>(self) -> E {
        let c = self.0;
        c.state.borrow_mut().stop = Some(Stop::Tagged { path: c.path.clone(), tag: c.tag.clone() });
        E::custom(STOP)
    }
}

impl<'de> Visitor<'de> for TaggedVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tagged value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.stop())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.stop())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.stop())
    }
}
