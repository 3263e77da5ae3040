//! Template text, JSON or YAML, to one JSON value, within bounds.
//!
//! YAML's short-form tags become the long form CloudFormation documents
//! (`!Ref X` is `{"Ref": "X"}`, `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`),
//! so a template compares equal to its JSON twin.
//!
//! A template may come from anyone (a pull request), so it is read within
//! the module kit's template bounds ([`module_kit::limits`]): its size and
//! the nesting of its `[` and `{` are checked before any parser runs, and
//! its values, nesting and text are counted as the parser's events are read,
//! before they are built, so a YAML alias repeated many times is refused
//! after the first values over the bound rather than expanded. A key given
//! twice in one mapping is an error where it repeats, in JSON as in YAML.

use std::cell::{Cell, RefCell};
use std::fmt;

use module_kit::limits::{
    bytes, count, deeper_than, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_DEPTH, MAX_TEMPLATE_NODES,
    MAX_TEMPLATE_TEXT_BYTES,
};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use crate::error::{Location, ParseError, Refusal, RefusalKind};

/// The YAML short forms: `!Name` is `Fn::Name`, except `!Ref` and
/// `!Condition`, which keep their name.
///
/// The first twenty are the short forms CloudFormation's intrinsic function
/// reference documents (`Fn::ForEach` has none: its key names the loop).
/// The last six are the functions only a `Rules` section uses; their
/// reference gives only the long form, but CloudFormation reads their tags
/// as it reads the others, and templates use them (`!EachMemberIn`,
/// `!ValueOfAll`, `!RefAll`).
const SHORT_FORMS: [&str; 26] = [
    "And",
    "Base64",
    "Cidr",
    "Condition",
    "Equals",
    "FindInMap",
    "GetAZs",
    "GetAtt",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "Ref",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
    // Rules only.
    "Contains",
    "EachMemberEquals",
    "EachMemberIn",
    "RefAll",
    "ValueOf",
    "ValueOfAll",
];

/// Reads template text: JSON when it starts with `{`, YAML otherwise.
pub fn parse_value(source_name: &str, text: &str) -> Result<Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let refused = |kind, location, problem: String, expected: String| {
        ParseError::Refused(Box::new(Refusal {
            source_name: source_name.to_string(),
            kind,
            location,
            path: None,
            problem,
            expected,
            help: None,
        }))
    };
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(refused(
            RefusalKind::TooLarge,
            None,
            format!("the template is {}", bytes(text.len())),
            format!(
                "at most the {} CloudFormation accepts (refused before parsing)",
                bytes(MAX_TEMPLATE_BYTES)
            ),
        ));
    }
    if let Some(offset) = deeper_than(text, MAX_TEMPLATE_DEPTH) {
        return Err(refused(
            RefusalKind::TooDeep,
            Some(location_of(text, offset)),
            format!("lists and mappings nest more than {MAX_TEMPLATE_DEPTH} deep"),
            format!("at most {MAX_TEMPLATE_DEPTH} levels (refused before parsing)"),
        ));
    }
    let reader = Reader::new();
    let root = Node { reader: &reader, depth: 0, tagged: false };
    if text.trim_start().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        let read = root.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
        read.map_err(|e| {
            let at = Location { line: e.line(), column: e.column() };
            match reader.stopped() {
                Some(stop) => {
                    let at = json_key_start(text, at, &stop);
                    stop.error(source_name, Some(at))
                }
                None => ParseError::Json {
                    source_name: source_name.to_string(),
                    location: at,
                    message: strip_position(&e.to_string()),
                },
            }
        })
    } else {
        let read = root.deserialize(yaml_serde::Deserializer::from_str(text));
        read.map_err(|e| {
            let at = e.location().map(|l| Location { line: l.line(), column: l.column() });
            match reader.stopped() {
                Some(stop) => stop.error(source_name, at),
                None => ParseError::Yaml {
                    source_name: source_name.to_string(),
                    location: at,
                    message: strip_position(&e.to_string()),
                },
            }
        })
    }
}

/// The 1-based line and column of byte `offset` of `text`, columns in
/// characters.
fn location_of(text: &str, offset: usize) -> Location {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location { line: before.matches('\n').count() + 1, column: before[line_start..].chars().count() + 1 }
}

/// serde_json stops on the closing quote of a key it is told is wrong:
/// the error points at the key's opening quote instead, found by walking
/// back over the key's text on that line.
fn json_key_start(text: &str, at: Location, stop: &Stop) -> Location {
    if !matches!(stop, Stop::Repeated { .. } | Stop::Bound { .. }) {
        return at;
    }
    let Some(line) = text.split('\n').nth(at.line.saturating_sub(1)) else { return at };
    let end = line.char_indices().nth(at.column).map_or(line.len(), |(i, _)| i);
    let head = &line.as_bytes()[..end.min(line.len())];
    // The closing quote is the last `"` before the stop; the opening one
    // the last before it that no backslash escapes.
    let Some(close) = head.iter().rposition(|b| *b == b'"') else { return at };
    let mut i = close;
    while i > 0 {
        i -= 1;
        if head[i] == b'"' {
            let slashes = head[..i].iter().rev().take_while(|b| **b == b'\\').count();
            if slashes % 2 == 0 {
                return Location { line: at.line, column: line[..i].chars().count() + 1 };
            }
        }
    }
    at
}

/// Parser messages end with their position, which the error already holds.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Why the reader stopped the parser: the parser's error carries only
/// where; the reader keeps what.
#[derive(Debug, Clone)]
enum Stop {
    /// Over one of the counted bounds.
    Bound { kind: RefusalKind, path: String },
    /// A key given twice in one mapping.
    Repeated { key: String, path: String },
    /// A key that is a list, a mapping or tagged.
    KeyNotText { found: &'static str, path: String },
    /// A tag that is not a short form.
    UnknownTag { tag: String, path: String },
}

impl Stop {
    fn error(self, source_name: &str, location: Option<Location>) -> ParseError {
        let refusal = |kind, path: String, problem: String, expected: String, help: Option<String>| {
            ParseError::Refused(Box::new(Refusal {
                source_name: source_name.to_string(),
                kind,
                location,
                path: Some(path),
                problem,
                expected,
                help,
            }))
        };
        match self {
            Stop::Bound { kind: RefusalKind::TooDeep, path } => refusal(
                RefusalKind::TooDeep,
                path,
                format!("lists and mappings nest more than {MAX_TEMPLATE_DEPTH} deep"),
                format!("at most {MAX_TEMPLATE_DEPTH} levels"),
                None,
            ),
            Stop::Bound { kind: RefusalKind::TooMuchText, path } => refusal(
                RefusalKind::TooMuchText,
                path,
                format!(
                    "the template's keys and values hold more than {} of text (an alias counts its anchor's text again)",
                    bytes(MAX_TEMPLATE_TEXT_BYTES)
                ),
                format!("at most {}", bytes(MAX_TEMPLATE_TEXT_BYTES)),
                alias_help(),
            ),
            Stop::Bound { kind, path } => refusal(
                kind,
                path,
                format!(
                    "the template holds more than {} values (an alias counts its anchor's values again)",
                    count(MAX_TEMPLATE_NODES)
                ),
                format!("at most {}", count(MAX_TEMPLATE_NODES)),
                alias_help(),
            ),
            Stop::Repeated { key, path } => refusal(
                RefusalKind::RepeatedKey,
                path,
                format!("the key `{key}` is given twice in this mapping"),
                "each key once".to_string(),
                Some("keep only the one you mean: which one counts is not defined, and cfn-lint reports a repeated key as E0000".to_string()),
            ),
            Stop::KeyNotText { found, path } => ParseError::Shape(Box::new(crate::error::ShapeError {
                source_name: source_name.to_string(),
                location,
                path,
                expected: "a plain key".to_string(),
                found: format!("{found} used as a key"),
                hint: Some("CloudFormation keys are strings".to_string()),
            })),
            Stop::UnknownTag { tag, path } => ParseError::UnknownTag {
                source_name: source_name.to_string(),
                tag,
                path,
                known: SHORT_FORMS.iter().map(|t| format!("!{t}")).collect::<Vec<_>>().join(", "),
            },
        }
    }
}

fn alias_help() -> Option<String> {
    Some(
        "CloudFormation does not support YAML aliases; write the values out, or use Fn::FindInMap"
            .to_string(),
    )
}

/// What the reader has seen of the document so far.
struct Reader {
    nodes: Cell<usize>,
    text_bytes: Cell<usize>,
    /// The keys and indexes from the root to the value being read, for
    /// errors; written out only for one.
    path: RefCell<Vec<Step>>,
    stop: RefCell<Option<Stop>>,
}

impl Reader {
    fn new() -> Reader {
        Reader {
            nodes: Cell::new(0),
            text_bytes: Cell::new(0),
            path: RefCell::default(),
            stop: RefCell::default(),
        }
    }

    fn stopped(&self) -> Option<Stop> {
        self.stop.borrow_mut().take()
    }

    fn path(&self) -> String {
        let steps: Vec<String> = self
            .path
            .borrow()
            .iter()
            .map(|s| match s {
                Step::Index(i) => i.to_string(),
                Step::Key(k) => k.clone(),
            })
            .collect();
        display_path(&steps)
    }

    /// Records why the read stops, and the error that stops it; the
    /// parser adds where.
    fn stop<E: de::Error>(&self, stop: Stop) -> E {
        *self.stop.borrow_mut() = Some(stop);
        E::custom("cfn-diff: the template reader stopped")
    }

    /// Counts one value at `depth`.
    fn node<E: de::Error>(&self, depth: usize) -> Result<(), E> {
        let n = self.nodes.get() + 1;
        self.nodes.set(n);
        if depth > MAX_TEMPLATE_DEPTH {
            return Err(self.stop(Stop::Bound { kind: RefusalKind::TooDeep, path: self.path() }));
        }
        if n > MAX_TEMPLATE_NODES {
            return Err(self.stop(Stop::Bound { kind: RefusalKind::TooManyValues, path: self.path() }));
        }
        Ok(())
    }

    /// Counts `len` bytes of text, before they are copied.
    fn text<E: de::Error>(&self, len: usize) -> Result<(), E> {
        let n = self.text_bytes.get().saturating_add(len);
        self.text_bytes.set(n);
        if n > MAX_TEMPLATE_TEXT_BYTES {
            return Err(self.stop(Stop::Bound { kind: RefusalKind::TooMuchText, path: self.path() }));
        }
        Ok(())
    }
}

/// One step of the path to the value being read. Keys are moved in and
/// back out, not copied: the path costs nothing per value.
enum Step {
    Index(usize),
    Key(String),
}

/// A value to read, at its depth.
#[derive(Clone, Copy)]
struct Node<'r> {
    reader: &'r Reader,
    depth: usize,
    /// The argument of a short-form tag: an empty scalar there is the
    /// empty string, not null (`!GetAZs ''`, `!GetAZs` alone).
    tagged: bool,
}

impl Node<'_> {
    fn child(self) -> Self {
        Node { reader: self.reader, depth: self.depth + 1, tagged: false }
    }

    fn tag_argument(self) -> Self {
        Node { tagged: true, ..self.child() }
    }

    /// A null, except under a tag, where YAML reads a scalar as text.
    fn null<E: de::Error>(self) -> Result<Value, E> {
        if self.tagged {
            self.string("")
        } else {
            self.scalar(Value::Null)
        }
    }

    fn string<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.reader.node(self.depth)?;
        self.reader.text(v.len())?;
        Ok(Value::String(v.to_string()))
    }

    fn scalar<E: de::Error>(self, v: Value) -> Result<Value, E> {
        self.reader.node(self.depth)?;
        Ok(v)
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a template value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.scalar(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.scalar(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.scalar(Value::Number(v.into()))
    }

    // Integers beyond 64 bits keep their digits: CloudFormation reads
    // scalars as text anyway, and a diff compares a number with its text.
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.string(&v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.string(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        match Number::from_f64(v) {
            Some(n) => self.scalar(Value::Number(n)),
            // YAML's own spelling of what JSON cannot hold.
            None if v.is_nan() => self.string(".nan"),
            None if v > 0.0 => self.string(".inf"),
            None => self.string("-.inf"),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.string(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.null()
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.null()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.reader.node(self.depth)?;
        let mut out = Vec::new();
        loop {
            self.reader.path.borrow_mut().push(Step::Index(out.len()));
            let item = seq.next_element_seed(self.child());
            self.reader.path.borrow_mut().pop();
            match item? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.reader.node(self.depth)?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(Key { node: self.child(), seen: &out })? {
            self.reader.path.borrow_mut().push(Step::Key(key));
            let value = map.next_value_seed(self.child());
            let step = self.reader.path.borrow_mut().pop();
            if let Some(Step::Key(key)) = step {
                out.insert(key, value?);
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        self.reader.node(self.depth)?;
        let (tag, contents) = data.variant_seed(TagName)?;
        let name = tag.trim_start_matches('!').to_string();
        if !SHORT_FORMS.contains(&name.as_str()) {
            return Err(self.reader.stop(Stop::UnknownTag { tag: name, path: self.reader.path() }));
        }
        self.reader.path.borrow_mut().push(Step::Key(format!("!{name}")));
        let arg = contents.newtype_variant_seed(self.tag_argument());
        self.reader.path.borrow_mut().pop();
        let arg = match (name.as_str(), arg?) {
            // `!GetAtt Bucket.Arn` names the resource before the first dot.
            ("GetAtt", Value::String(s)) => match s.split_once('.') {
                Some((id, attr)) => Value::Array(vec![Value::String(id.into()), Value::String(attr.into())]),
                None => Value::String(s),
            },
            (_, arg) => arg,
        };
        let key = match name.as_str() {
            "Ref" | "Condition" => name,
            _ => format!("Fn::{name}"),
        };
        let mut m = Map::new();
        m.insert(key, arg);
        Ok(Value::Object(m))
    }
}

/// The tag of a YAML tagged value, as the parser names it.
struct TagName;

impl<'de> DeserializeSeed<'de> for TagName {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        String::deserialize(d)
    }
}

/// A mapping key: text (a YAML number, boolean or null key is read as its
/// text, as CloudFormation reads it), never seen before in its mapping.
struct Key<'m, 'r> {
    node: Node<'r>,
    seen: &'m Map<String, Value>,
}

impl Key<'_, '_> {
    /// Counted before it is copied: a long key repeated by an alias is
    /// refused before its copies are made.
    fn text<E: de::Error>(self, key: &str) -> Result<String, E> {
        let reader = self.node.reader;
        reader.node(self.node.depth)?;
        reader.text(key.len())?;
        if self.seen.contains_key(key) {
            return Err(reader.stop(Stop::Repeated { key: key.to_string(), path: reader.path() }));
        }
        Ok(key.to_string())
    }

    fn not_text<E: de::Error>(self, found: &'static str) -> E {
        let reader = self.node.reader;
        reader.stop(Stop::KeyNotText { found, path: reader.path() })
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.text(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        self.text(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        self.text(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        self.text(&v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<String, E> {
        self.text(&v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<String, E> {
        self.text(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        self.text(&yaml_serde::Number::from(v).to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        self.text("null")
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        self.text("null")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.not_text("a list"))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.not_text("a mapping"))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.not_text("a tagged value"))
    }
}

pub(crate) fn display_path(path: &[String]) -> String {
    if path.is_empty() {
        "the document".to_string()
    } else {
        path.join(".")
    }
}

/// Finds where a key is written, for errors found after parsing: the first
/// line that starts (after indentation) with the key, quoted or not.
pub(crate) fn locate_key(text: &str, key: &str) -> Option<Location> {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let col = line.len() - trimmed.len();
        let quoted = format!("\"{key}\"");
        if trimmed.starts_with(&quoted)
            || (trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with(':'))
        {
            return Some(Location { line: i + 1, column: col + 1 });
        }
        if let Some(pos) = line.find(&quoted) {
            if line[pos + quoted.len()..].trim_start().starts_with(':') {
                return Some(Location { line: i + 1, column: pos + 1 });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_forms_become_long_forms() {
        let v = parse_value(
            "t.yaml",
            "A: !Ref X\nB: !GetAtt Bucket.Arn\nC: !Sub '${X}-y'\nD: !If [C, !Ref X, !Ref AWS::NoValue]\nE: !Condition IsProd\nF: !GetAtt Db.Endpoint.Address\n",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({
                "A": {"Ref": "X"},
                "B": {"Fn::GetAtt": ["Bucket", "Arn"]},
                "C": {"Fn::Sub": "${X}-y"},
                "D": {"Fn::If": ["C", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]},
                "E": {"Condition": "IsProd"},
                "F": {"Fn::GetAtt": ["Db", "Endpoint.Address"]}
            })
        );
    }

    #[test]
    fn empty_tag_arguments_are_empty_strings_and_rule_tags_are_read() {
        let v = parse_value(
            "t.yaml",
            "A: !GetAZs\nB: !GetAZs ''\nC: !Select [0, !GetAZs ]\nD: ~\nE: !ValueOf [P, Tags.Env]\nF: !RefAll AWS::EC2::VPC::Id\n",
        )
        .unwrap();
        assert_eq!(v["A"], json!({"Fn::GetAZs": ""}));
        assert_eq!(v["B"], json!({"Fn::GetAZs": ""}));
        assert_eq!(v["C"], json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
        assert_eq!(v["D"], Value::Null, "an untagged empty value stays null");
        assert_eq!(v["E"], json!({"Fn::ValueOf": ["P", "Tags.Env"]}));
        assert_eq!(v["F"], json!({"Fn::RefAll": "AWS::EC2::VPC::Id"}));
        // Fn::ForEach has no short form: its key names the loop.
        let e = parse_value("t.yaml", "A: !ForEach [X, [a], {}]\n").unwrap_err();
        assert!(e.to_string().contains("unknown tag `!ForEach`"), "{e}");
    }

    #[test]
    fn unknown_tags_and_bad_text_are_errors_with_places() {
        let e = parse_value("t.yaml", "A:\n  B: !Reff X\n").unwrap_err();
        assert!(e.to_string().contains("unknown tag `!Reff` at A.B"), "{e}");
        let e = parse_value("t.json", "{\n  \"A\": ,\n}").unwrap_err();
        assert!(e.to_string().starts_with("t.json:2:8: not valid JSON"), "{e}");
        let e = parse_value("t.yaml", "A: [1,\n").unwrap_err();
        assert!(matches!(e, ParseError::Yaml { location: Some(_), .. }), "{e}");
    }

    #[test]
    fn keys_are_located() {
        assert_eq!(locate_key("a:\n  Bucket:\n", "Bucket"), Some(Location { line: 2, column: 3 }));
        assert_eq!(
            locate_key("{\n \"R\": {\"Bucket\": 1}}", "Bucket"),
            Some(Location { line: 2, column: 8 })
        );
    }
}
