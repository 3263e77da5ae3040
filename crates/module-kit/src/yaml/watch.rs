//! The fast path of reading a configuration: one parse, the typed read
//! itself, watched for anything the outline walk might report.
//!
//! The outline walk ([`super::outline`]) learns every key's position, which
//! only an error needs, at the price of a second parse and an error value
//! per scalar. Most configurations are plain: no tags, no anchors, no
//! repeated keys. For those, the typed read runs once through a watching
//! deserializer, and the walk runs only when the watch has a doubt or the
//! read fails. The watch is conservative: anything it cannot vouch for
//! (a key that is not plainly text, nesting near the limit, many values, a
//! root that is not a mapping) is a doubt, and a doubt costs only the
//! slow path, never a different answer.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess,
    SeqAccess, VariantAccess, Visitor,
};

use crate::limits::{MAX_DEPTH, MAX_NODES};

/// Whether `text` may take the fast path at all. Tags (`!`) and anchors
/// (`&`, without which no alias can resolve) are found by the walk alone:
/// a tag on a string-typed value is invisible to a typed read, and an
/// alias repeats values the watch would not count.
fn plain(text: &str) -> bool {
    !text.bytes().any(|b| b == b'!' || b == b'&')
}

/// Reads `text` into `C` in one pass, if the outline walk would find
/// nothing wrong with its structure and its root is a mapping. `None`
/// means: take the slow path, which gives the answer (a config or the
/// errors) in full. `text` must already be within the size and flow
/// nesting bounds.
pub(super) fn read<C: DeserializeOwned>(text: &str) -> Option<C> {
    if !plain(text) {
        return None;
    }
    let watch = Watch::default();
    let config = C::deserialize(Guard::root(yaml_serde::Deserializer::from_str(text), &watch));
    config.ok().filter(|_| !watch.doubt.get())
}

/// Whether the outline walk would find nothing wrong with the structure of
/// `text`: when `false`, the walk must run to say what (or to find it
/// fine after all). `text` must already be within the size and flow
/// nesting bounds.
pub(super) fn structure_is_plain(text: &str) -> bool {
    if !plain(text) {
        return false;
    }
    let watch = Watch::default();
    let read = IgnoredAny::deserialize(Guard::root(yaml_serde::Deserializer::from_str(text), &watch));
    read.is_ok() && !watch.doubt.get()
}

/// What the watch has seen across the whole document.
#[derive(Default)]
struct Watch {
    nodes: Cell<usize>,
    doubt: Cell<bool>,
}

impl Watch {
    /// Records a doubt, and an error that ends the read: nothing after it
    /// matters, since the slow path reads the text again.
    fn doubt<E: de::Error>(&self) -> E {
        self.doubt.set(true);
        E::custom("module-kit: the outline walk decides")
    }

    /// Counts one node at `depth`, with room to spare under the walk's
    /// limits (a value read through `Option` counts twice).
    fn node<E: de::Error>(&self, depth: usize) -> Result<(), E> {
        let n = self.nodes.get() + 1;
        self.nodes.set(n);
        if n > MAX_NODES / 2 || depth + 1 >= MAX_DEPTH {
            return Err(self.doubt());
        }
        Ok(())
    }
}

/// Where a node sits: how deep, and whether it is the document's root,
/// which must be a mapping.
#[derive(Clone, Copy)]
struct At<'w> {
    watch: &'w Watch,
    depth: usize,
    root: bool,
}

impl<'w> At<'w> {
    fn inside(self) -> At<'w> {
        At { watch: self.watch, depth: self.depth + 1, root: false }
    }

    /// A node the root may not be.
    fn not_root<E: de::Error>(self) -> Result<(), E> {
        if self.root {
            return Err(self.watch.doubt());
        }
        Ok(())
    }
}

/// A deserializer whose every node is watched.
struct Guard<'w, D> {
    de: D,
    at: At<'w>,
}

impl<'w, D> Guard<'w, D> {
    fn root(de: D, watch: &'w Watch) -> Self {
        Guard { de, at: At { watch, depth: 0, root: true } }
    }
}

/// Every method of a wrapping deserializer: each hands its visitor to
/// `self.split`, which gives the inner deserializer and the visitor
/// wrapped, and calls the same method on them. Ignored values (and ignored
/// keys) are read with `deserialize_any`, as the outline walk reads them,
/// so the watch sees them too.
macro_rules! split_every_method {
    () => {
        split_every_method! {
            deserialize_any();
            deserialize_bool();
            deserialize_i8();
            deserialize_i16();
            deserialize_i32();
            deserialize_i64();
            deserialize_i128();
            deserialize_u8();
            deserialize_u16();
            deserialize_u32();
            deserialize_u64();
            deserialize_u128();
            deserialize_f32();
            deserialize_f64();
            deserialize_char();
            deserialize_str();
            deserialize_string();
            deserialize_bytes();
            deserialize_byte_buf();
            deserialize_option();
            deserialize_unit();
            deserialize_unit_struct(name: &'static str);
            deserialize_newtype_struct(name: &'static str);
            deserialize_seq();
            deserialize_tuple(len: usize);
            deserialize_tuple_struct(name: &'static str, len: usize);
            deserialize_map();
            deserialize_struct(name: &'static str, fields: &'static [&'static str]);
            deserialize_enum(name: &'static str, variants: &'static [&'static str]);
            deserialize_identifier();
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            let (de, visitor) = self.split(visitor)?;
            de.deserialize_any(visitor)
        }

        fn is_human_readable(&self) -> bool {
            self.de.is_human_readable()
        }
    };
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            let (de, visitor) = self.split(visitor)?;
            de.$method($($arg,)* visitor)
        }
    )*};
}

impl<'w, D> Guard<'w, D> {
    /// Counts the node, and watches its visitor.
    fn split<'de, V: Visitor<'de>>(self, visitor: V) -> Result<(D, Watched<'w, V>), D::Error>
    where
        D: Deserializer<'de>,
    {
        self.at.watch.node(self.at.depth)?;
        Ok((self.de, Watched { inner: visitor, at: self.at }))
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Guard<'_, D> {
    type Error = D::Error;

    split_every_method!();
}

/// A seed whose deserializer is watched.
struct Seeded<'w, S> {
    seed: S,
    at: At<'w>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seeded<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Guard { de, at: self.at })
    }
}

/// A visitor that watches what it is given before passing it on.
struct Watched<'w, V> {
    inner: V,
    at: At<'w>,
}

macro_rules! scalar {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.at.not_root()?;
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Watched<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    scalar! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.at.not_root()?;
        self.inner.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.at.not_root()?;
        self.inner.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Guard { de, at: self.at })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Guard { de, at: self.at })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.at.not_root()?;
        self.inner.visit_seq(WatchedSeq { seq, at: self.at.inside() })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(WatchedMap { map, at: self.at.inside(), seen: HashSet::new() })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.at.not_root()?;
        self.inner.visit_enum(WatchedEnum { data, at: self.at.inside() })
    }
}

struct WatchedSeq<'w, A> {
    seq: A,
    at: At<'w>,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for WatchedSeq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.seq.next_element_seed(Seeded { seed, at: self.at })
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// A mapping whose keys are watched: each must be plainly text, and given
/// once.
struct WatchedMap<'w, A> {
    map: A,
    at: At<'w>,
    seen: HashSet<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WatchedMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.at.watch.node(self.at.depth)?;
        let mut text = None;
        let key = self.map.next_key_seed(KeySeed { seed, text: &mut text, watch: self.at.watch })?;
        if let Some(text) = text {
            if !self.seen.insert(text) {
                return Err(self.at.watch.doubt());
            }
        }
        Ok(key)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(Seeded { seed, at: self.at })
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

struct WatchedEnum<'w, A> {
    data: A,
    at: At<'w>,
}

impl<'de, 'w, A: EnumAccess<'de>> EnumAccess<'de> for WatchedEnum<'w, A> {
    type Error = A::Error;
    type Variant = WatchedVariant<'w, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self::Variant), A::Error> {
        let (value, variant) = self.data.variant_seed(Seeded { seed, at: self.at })?;
        Ok((value, WatchedVariant { variant, at: self.at }))
    }
}

struct WatchedVariant<'w, A> {
    variant: A,
    at: At<'w>,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for WatchedVariant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.variant.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.variant.newtype_variant_seed(Seeded { seed, at: self.at })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.variant.tuple_variant(len, Watched { inner: visitor, at: self.at })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.variant.struct_variant(fields, Watched { inner: visitor, at: self.at })
    }
}

/// Whether a key read as `text` is text to the outline walk too, which
/// reads keys as YAML resolves them: `1`, `0x1` and `01` are all the
/// number 1, `True` and `true` both `true`. A key starting with a letter
/// or `_` resolves to text unless it is a null or a boolean.
fn plainly_text(text: &str) -> bool {
    let starts_plainly = text.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    starts_plainly
        && !matches!(text, "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
}

/// Reads a key, keeping its text.
struct KeySeed<'a, 'w, K> {
    seed: K,
    text: &'a mut Option<String>,
    watch: &'w Watch,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, '_, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<K::Value, D::Error> {
        self.seed.deserialize(KeyDe { de, text: self.text, watch: self.watch })
    }
}

/// A key's deserializer: whatever the key type asks for, the key is given
/// to a visitor that keeps its text.
struct KeyDe<'a, 'w, D> {
    de: D,
    text: &'a mut Option<String>,
    watch: &'w Watch,
}

impl<'a, 'w, D> KeyDe<'a, 'w, D> {
    /// Gives the key to a visitor that keeps its text.
    fn split<'de, V: Visitor<'de>>(self, visitor: V) -> Result<(D, KeyVisitor<'a, 'w, V>), D::Error>
    where
        D: Deserializer<'de>,
    {
        Ok((self.de, KeyVisitor { inner: visitor, text: self.text, watch: self.watch }))
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyDe<'_, '_, D> {
    type Error = D::Error;

    split_every_method!();
}

/// Keeps a key's text when it is plainly text; any other key is a doubt.
struct KeyVisitor<'a, 'w, V> {
    inner: V,
    text: &'a mut Option<String>,
    watch: &'w Watch,
}

impl<V> KeyVisitor<'_, '_, V> {
    fn keep<E: de::Error>(&mut self, text: &str) -> Result<(), E> {
        if !plainly_text(text) {
            return Err(self.watch.doubt());
        }
        *self.text = Some(text.to_string());
        Ok(())
    }
}

macro_rules! not_text {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, _: $ty) -> Result<V::Value, E> {
            Err(self.watch.doubt())
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<V::Value, E> {
        self.keep(v)?;
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<V::Value, E> {
        self.keep(v)?;
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(mut self, v: String) -> Result<V::Value, E> {
        self.keep(&v)?;
        self.inner.visit_string(v)
    }

    not_text! {
        visit_bool(bool);
        visit_i64(i64);
        visit_i128(i128);
        visit_u64(u64);
        visit_u128(u128);
        visit_f64(f64);
        visit_char(char);
        visit_bytes(&[u8]);
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        Err(self.watch.doubt())
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        Err(self.watch.doubt())
    }

    fn visit_some<D: Deserializer<'de>>(self, _: D) -> Result<V::Value, D::Error> {
        Err(self.watch.doubt())
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, _: D) -> Result<V::Value, D::Error> {
        Err(self.watch.doubt())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<V::Value, A::Error> {
        Err(self.watch.doubt())
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<V::Value, A::Error> {
        Err(self.watch.doubt())
    }

    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<V::Value, A::Error> {
        Err(self.watch.doubt())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Deserialize;

    use super::{read, structure_is_plain};
    use crate::yaml::outline::{walk, Kind};

    /// A config type that asks for keys and values in every way derive does.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Typed {
        a: Option<String>,
        b: Option<Vec<u32>>,
        #[serde(default)]
        m: BTreeMap<String, serde_json::Value>,
        e: Option<Mode>,
        n: Option<Box<Typed>>,
    }

    /// yaml_serde reads variants with data from tags only (`!Off 3`),
    /// which the walk handles.
    #[derive(Debug, PartialEq, Deserialize)]
    enum Mode {
        On,
        Off(u8),
    }

    /// Whether the outline walk finds a clean document with a mapping at its root.
    fn walk_is_clean(text: &str) -> bool {
        walk(text, "t.yaml").is_ok_and(|o| o.problems.is_empty() && o.root == Some(Kind::Mapping))
    }

    fn walk_has_no_problems(text: &str) -> bool {
        walk(text, "t.yaml").is_ok_and(|o| o.problems.is_empty())
    }

    #[test]
    fn plain_configs_take_the_fast_path() {
        let text = "a: x\nb: [1, 2]\nm:\n  owner: team\n  'cost center': 7\ne: On\nn:\n  e: !!str On\n";
        // `!!str` is a tag: the walk decides.
        assert!(read::<Typed>(text).is_none());
        let text = "a: x\nb: [1, 2]\nm:\n  owner: team\n  Cost Center: {k: [1]}\ne: On\nn:\n  a: y\n";
        let fast = read::<Typed>(text).expect("a plain config is read in one pass");
        assert_eq!(fast, yaml_serde::from_str::<Typed>(text).unwrap());
        assert!(structure_is_plain(text));
    }

    #[test]
    fn anything_the_walk_reports_goes_to_the_walk() {
        for text in [
            "a: x\na: y\n",
            "m:\n  1: x\n  01: y\n",
            "m:\n  0x10: x\n  16: y\n",
            "m:\n  True: x\n  true: y\n",
            "m:\n  ~: x\n  null: y\n",
            "m:\n  '': x\n",
            "m:\n  {[k]: 1}\n",
            "m: {? [k] : 1}\n",
            "a: !Ref x\n",
            "a: &x y\nn: *x\n",
            "- a\n",
            "just text\n",
            "a: x\n---\na: y\n",
            "a: x\n---\n",
        ] {
            assert!(read::<Typed>(text).is_none(), "{text:?} took the fast path");
            assert!(read::<serde_json::Value>(text).is_none(), "{text:?} took the fast path");
        }
        let deep = format!("m: {}1{}\n", "[".repeat(63), "]".repeat(63));
        assert!(read::<serde_json::Value>(&deep).is_none());
        assert!(!structure_is_plain(&deep));
        assert!(!structure_is_plain("m:\n  1: x\n  01: y\n"));
    }

    /// Mostly plain pieces, with now and then one the walk has opinions about.
    fn piece(
        plain: Vec<&'static str>,
        odd: Vec<&'static str>,
    ) -> impl Strategy<Value = &'static str> + Clone {
        prop_oneof![6 => prop::sample::select(plain), 1 => prop::sample::select(odd)]
    }

    fn key() -> impl Strategy<Value = &'static str> + Clone {
        piece(
            vec!["a", "b", "m", "e", "n", "A", "_k", "'a'", "\"b\"", "x y", "On"],
            vec![
                "1", "01", "0x1", "true", "True", "null", "~", "''", "[k]", "{k: 1}", "? k", "!t k", "&x k",
                "-1",
            ],
        )
    }

    fn scalar() -> impl Strategy<Value = &'static str> + Clone {
        piece(
            vec![
                "x", "1", "-2", "true", "~", "''", "On", "'On'", "[]", "{}", "[1, 2]", "\"q\"", "0x1F",
                "{k: v}",
            ],
            vec!["!t x", "!Off 3", "&x v", "*x", "{k: 1, k: 2}", "[{a: 1}, {a: 1, a: 2}]", "|\n    block"],
        )
    }

    /// Block mappings and lists of `key()` and `scalar()`, nested a few
    /// levels, sometimes followed by a second document.
    pub(super) fn texts() -> impl Strategy<Value = String> {
        let leaf = (key(), scalar()).prop_map(|(k, v)| vec![format!("{k}: {v}")]);
        let tree = leaf.prop_recursive(4, 24, 4, |inner| {
            (key(), prop::collection::vec(inner, 1..4), any::<bool>()).prop_map(|(k, kids, list)| {
                let mut lines = vec![format!("{k}:")];
                for kid in kids {
                    for (i, line) in kid.into_iter().enumerate() {
                        let lead = if list && i == 0 {
                            "  - "
                        } else if list {
                            "    "
                        } else {
                            "  "
                        };
                        lines.push(format!("{lead}{line}"));
                    }
                }
                lines
            })
        });
        let tail = piece(vec!["", "", "...\n"], vec!["---\n", "...\n---\nz: 1\n", "--- x\n"]);
        (prop::collection::vec(tree, 1..5), tail).prop_map(|(entries, tail)| {
            let mut text: String = entries.into_iter().flatten().map(|l| l + "\n").collect();
            text.push_str(tail);
            text
        })
    }

    /// Texts shaped like `Typed`, mostly readable as one.
    pub(super) fn typed_texts() -> impl Strategy<Value = String> {
        let entry = prop_oneof![
            scalar().prop_map(|v| format!("a: {v}\n")),
            piece(vec!["[1, 2]", "[]", "\n  - 3\n  - 4"], vec!["[-1]", "[x]"])
                .prop_map(|v| format!("b: {v}\n")),
            texts().prop_map(|t| format!("m:\n{}", indent(&t))),
            piece(vec!["On", "'On'"], vec!["!Off 3", "Off", "!On"]).prop_map(|v| format!("e: {v}\n")),
            piece(vec!["\n  a: y", "\n  e: On", "{a: z}"], vec!["\n  a: y\n  a: z", "\n  q: 1"])
                .prop_map(|v| format!("n: {v}\n")),
            key().prop_map(|k| format!("{k}: 1\n")),
        ];
        prop::collection::vec(entry, 1..6).prop_map(|entries| entries.concat())
    }

    /// `text` two spaces in, without what follows a document end.
    fn indent(text: &str) -> String {
        text.lines()
            .take_while(|l| !l.starts_with("---") && !l.starts_with("..."))
            .map(|l| format!("  {l}\n"))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// The fast path answers only where the walk finds nothing, and
        /// then as the typed read alone would.
        #[test]
        fn the_fast_path_agrees_with_the_walk(text in texts()) {
            if let Some(fast) = read::<serde_json::Value>(&text) {
                prop_assert!(walk_is_clean(&text), "fast path took {:?}", text);
                prop_assert_eq!(fast, yaml_serde::from_str::<serde_json::Value>(&text).unwrap());
            }
            if structure_is_plain(&text) {
                prop_assert!(walk_has_no_problems(&text), "fast check passed {:?}", text);
            }
        }

        /// The same for a config type of structs, options, a map and an enum.
        #[test]
        fn the_fast_path_agrees_with_the_walk_for_typed_configs(text in typed_texts()) {
            if let Some(fast) = read::<Typed>(&text) {
                prop_assert!(walk_is_clean(&text), "fast path took {:?}", text);
                prop_assert_eq!(fast, yaml_serde::from_str::<Typed>(&text).unwrap());
            }
        }
    }
}
