//! A lexical look at flow collections (`[`, `{`) before the YAML parser
//! sees them: the parser's cost grows with the square of their nesting
//! depth (100,000 levels take it tens of seconds), so deeper nesting than a
//! configuration (or a template, see [`crate::limits`]) may have is
//! refused here, in one linear pass. JSON is all flow collections, so the
//! same pass bounds a JSON text.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use crate::limits::{bytes, count, Bounds, MAX_DEPTH};
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

/// Which bound of [`Bounds`] a YAML text passes, and where (1-based line
/// and column, where the parser knows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// The text is longer than `bytes`; it holds this many.
    Bytes(usize),
    /// Mappings and lists nest deeper than `depth`.
    Depth(Option<(usize, usize)>),
    /// More values than `nodes`.
    Nodes(Option<(usize, usize)>),
    /// More text than `text`.
    Text(Option<(usize, usize)>),
}

impl Exceeded {
    /// Where the bound is passed.
    pub fn at(&self) -> Option<(usize, usize)> {
        match self {
            Exceeded::Bytes(_) => None,
            Exceeded::Depth(at) | Exceeded::Nodes(at) | Exceeded::Text(at) => *at,
        }
    }

    /// What is wrong, naming the bound, for a message about `what` (`the file`).
    pub fn problem(&self, bounds: &Bounds, what: &str) -> String {
        match self {
            Exceeded::Bytes(len) => format!("{what} is {}, more than the {} read at most", bytes(*len), bytes(bounds.bytes)),
            Exceeded::Depth(_) => format!("{what} nests mappings and lists more than {} deep", bounds.depth),
            Exceeded::Nodes(_) => format!(
                "{what} holds more than {} values (an alias counts its anchor's values again each time)",
                count(bounds.nodes)
            ),
            Exceeded::Text(_) => format!(
                "{what} holds more than {} of keys and text (an alias counts its anchor's text again each time)",
                bytes(bounds.text)
            ),
        }
    }

    /// What is accepted instead.
    pub fn expected(&self, bounds: &Bounds) -> String {
        match self {
            Exceeded::Bytes(_) => format!("at most {} (refused before parsing)", bytes(bounds.bytes)),
            Exceeded::Depth(_) => format!("at most {} levels", bounds.depth),
            Exceeded::Nodes(_) => format!("at most {} values, aliases expanded", count(bounds.nodes)),
            Exceeded::Text(_) => format!("at most {} of text, aliases expanded", bytes(bounds.text)),
        }
    }
}

/// Checks a YAML text against `bounds` before any value of it is built:
/// its size and flow nesting by the lexical pass of [`deeper_than`], then
/// its values, nesting and text counted as the parser's events are read, so
/// that an alias repeated many times is refused after the first values over
/// the bound rather than expanded. YAML that does not parse passes: the
/// reader that builds the value reports it with its own words.
pub fn within(text: &str, bounds: &Bounds) -> Result<(), Exceeded> {
    if text.len() > bounds.bytes {
        return Err(Exceeded::Bytes(text.len()));
    }
    if let Some(offset) = deeper_than(text, bounds.depth) {
        return Err(Exceeded::Depth(Some(position::of_offset(text, offset))));
    }
    let counter = Counter { bounds, nodes: Cell::new(0), text: Cell::new(0), stop: Cell::new(None) };
    let result = Count { counter: &counter, depth: 0 }.deserialize(yaml_serde::Deserializer::from_str(text));
    match (result, counter.stop.get()) {
        (Err(e), Some(stop)) => {
            let at = e.location().map(|l| (l.line(), l.column()));
            Err(match stop {
                Stop::Depth => Exceeded::Depth(at),
                Stop::Nodes => Exceeded::Nodes(at),
                Stop::Text => Exceeded::Text(at),
            })
        }
        _ => Ok(()),
    }
}

/// Which count passed its bound.
#[derive(Debug, Clone, Copy)]
enum Stop {
    Depth,
    Nodes,
    Text,
}

struct Counter<'b> {
    bounds: &'b Bounds,
    nodes: Cell<usize>,
    text: Cell<usize>,
    stop: Cell<Option<Stop>>,
}

impl Counter<'_> {
    /// Counts one value holding `text` bytes of text, at `depth`.
    fn node<E: de::Error>(&self, text: usize, depth: usize) -> Result<(), E> {
        self.nodes.set(self.nodes.get() + 1);
        self.text.set(self.text.get().saturating_add(text));
        let stop = if depth > self.bounds.depth {
            Some(Stop::Depth)
        } else if self.nodes.get() > self.bounds.nodes {
            Some(Stop::Nodes)
        } else if self.text.get() > self.bounds.text {
            Some(Stop::Text)
        } else {
            None
        };
        match stop {
            Some(s) => {
                self.stop.set(Some(s));
                Err(E::custom("over a reading bound"))
            }
            None => Ok(()),
        }
    }
}

/// One value of the document, counted with everything in it.
#[derive(Clone, Copy)]
struct Count<'c, 'b> {
    counter: &'c Counter<'b>,
    depth: usize,
}

impl Count<'_, '_> {
    fn child(self) -> Self {
        Count { counter: self.counter, depth: self.depth + 1 }
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.counter.node(0, self.depth)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.counter.node(0, self.depth)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.counter.node(0, self.depth)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.counter.node(0, self.depth)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.counter.node(0, self.depth)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.counter.node(0, self.depth)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.counter.node(v.len(), self.depth)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        self.counter.node(v.len(), self.depth)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.counter.node(0, self.depth)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.counter.node(0, self.depth)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.counter.node(0, self.depth)?;
        while seq.next_element_seed(self.child())?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.counter.node(0, self.depth)?;
        while map.next_key_seed(self.child())?.is_some() {
            map.next_value_seed(self.child())?;
        }
        Ok(())
    }
    /// A tagged value (`!include x`): the tag is text, the value counted.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (tag, variant) = data.variant::<String>()?;
        self.counter.node(tag.len(), self.depth)?;
        variant.newtype_variant_seed(self.child())
    }
}

#[cfg(test)]
mod tests {
    use super::{deeper_than, too_deep, within, Exceeded};
    use crate::limits::Bounds;

    fn small() -> Bounds {
        Bounds { bytes: 10_000, depth: 8, nodes: 100, text: 1_000 }
    }

    #[test]
    fn an_alias_bomb_is_refused_after_the_first_values_over_the_bound() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, prev) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(
            matches!(within(&bomb, &small()), Err(Exceeded::Nodes(Some(_)))),
            "{:?}",
            within(&bomb, &small())
        );
        let text = format!("a: &a {}\nb: [*a, *a, *a, *a]\n", "y".repeat(300));
        assert!(matches!(within(&text, &small()), Err(Exceeded::Text(Some(_)))));
    }

    #[test]
    fn size_and_block_nesting_are_bounded_too() {
        assert_eq!(within(&"#".repeat(10_001), &small()), Err(Exceeded::Bytes(10_001)));
        let mut deep = String::new();
        for i in 0..10 {
            deep.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
        }
        assert!(matches!(within(&deep, &small()), Err(Exceeded::Depth(Some(_)))));
        assert!(matches!(within("a: [[[[[[[[[[1]]]]]]]]]]", &small()), Err(Exceeded::Depth(Some((1, _))))));
    }

    #[test]
    fn what_is_within_the_bounds_or_not_yaml_passes() {
        assert_eq!(within("a: &x {b: 1}\nc: *x\nd: !include f.json\n", &small()), Ok(()));
        assert_eq!(within("a: [1, 2\n", &small()), Ok(()));
        assert_eq!(within("", &small()), Ok(()));
    }

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
