//! `Fn::ForEach` loops (the `AWS::LanguageExtensions` transform), expanded
//! as CloudFormation expands them, so the diff compares the resources,
//! outputs and conditions a deployment would have.
//!
//! `"Fn::ForEach::Name": [Identifier, Collection, {OutputKey: OutputValue}]`
//! makes one `OutputKey: OutputValue` entry per item of the collection. In
//! output keys and in `Fn::Sub` strings, `${Identifier}` becomes the item and
//! `&{Identifier}` the item without its non-alphanumeric characters;
//! `{"Ref": "Identifier"}` becomes the item; a `Fn::Sub` left without
//! variables becomes its text, so `!Ref {"Fn::Sub": "Subnet${Id}"}` reads
//! `!Ref SubnetA`. Loops nest, and their collections may use an enclosing
//! loop's identifier.
//!
//! A collection known only at deploy time (a `Ref` to a list parameter)
//! cannot be expanded: the loop's entries are kept as written, with
//! `${Identifier}` standing for every item, and recorded as an [`OpenLoop`]
//! so the diff can say what it compared.
//!
//! Expanding can multiply a template (a loop in a loop), so what the loops
//! make is counted against the reading bound on values.

use crate::canon::literal_sub;
use crate::error::kind_of;
use crate::show::compact;
use module_kit::limits::{count, MAX_TEMPLATE_NODES};
use serde_json::{Map, Value};

/// The sections where CloudFormation expands loops.
pub(crate) const LOOP_SECTIONS: [&str; 3] = ["Resources", "Conditions", "Outputs"];

const LOOP_PREFIX: &str = "Fn::ForEach::";

/// A loop whose collection is known only at deploy time, kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLoop {
    /// The section it is in (`Resources`, `Conditions`, `Outputs`).
    pub section: String,
    /// The entry of the section it makes (`Bucket${Name}`) or sits in (a
    /// resource whose properties hold it).
    pub key: String,
    /// Whether the loop makes the entry, rather than some of its properties.
    pub makes_entry: bool,
    /// The loop's key, `Fn::ForEach::Name`.
    pub loop_key: String,
    /// Its identifier.
    pub identifier: String,
    /// Its collection, as written (`!Ref BucketNames`).
    pub collection: String,
}

impl OpenLoop {
    /// What the diff says of an entry such a loop makes or holds.
    pub fn note(&self) -> String {
        let what = if self.makes_entry {
            format!("made by `{}` once for each item of", self.loop_key)
        } else {
            format!("its `{}` loop runs over", self.loop_key)
        };
        format!(
            "{what} `{}`, known only at deploy time: compared as written, with `${{{}}}` standing for every item",
            self.collection, self.identifier
        )
    }
}

/// Why a loop could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LoopError {
    /// A loop that is not `[identifier, collection, {key: value}]`.
    Shape {
        /// The key path to the loop.
        path: String,
        /// The loop's key, to find its line.
        key: String,
        /// What was found.
        found: String,
    },
    /// A key made twice (by two items, two loops, or a loop and a key).
    Repeated {
        /// The key path to the mapping.
        path: String,
        /// The loop's key, to find its line.
        loop_key: String,
        /// The key made twice.
        key: String,
    },
    /// The loops make more values than a template may hold.
    TooManyValues {
        /// The key path to the loop that went over.
        path: String,
        /// The loop's key, to find its line.
        key: String,
    },
}

impl LoopError {
    /// The loop key the error is about, to point at its line.
    pub(crate) fn key(&self) -> &str {
        match self {
            LoopError::Shape { key, .. } | LoopError::TooManyValues { key, .. } => key,
            LoopError::Repeated { loop_key, .. } => loop_key,
        }
    }

    /// What the template was expected to hold there.
    pub(crate) const EXPECTED_SHAPE: &'static str =
        "a list of an identifier, a collection and a mapping of output keys to values";

    /// The bound's words, for the refusal.
    pub(crate) fn bound() -> String {
        count(MAX_TEMPLATE_NODES)
    }
}

/// What one identifier stands for while a loop's fragment is expanded.
#[derive(Clone)]
enum Binding {
    /// An item of a literal collection.
    Item(String),
    /// Every item of a collection known only at deploy time.
    Open,
}

/// Expands the loops of one section's entries, in place.
pub(crate) fn expand_section(
    section: &str,
    entries: Map<String, Value>,
    open: &mut Vec<OpenLoop>,
    made: &mut usize,
) -> Result<Map<String, Value>, LoopError> {
    if !entries.iter().any(|(k, v)| k.starts_with(LOOP_PREFIX) || holds_loop(v)) {
        return Ok(entries);
    }
    let mut x = Expander { section, path: Vec::new(), open, made };
    x.mapping(entries, &[])
}

/// Whether a value holds a loop anywhere, so templates without one are
/// returned untouched.
fn holds_loop(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| k.starts_with(LOOP_PREFIX) || holds_loop(v)),
        Value::Array(a) => a.iter().any(holds_loop),
        _ => false,
    }
}

struct Expander<'a> {
    section: &'a str,
    /// The keys from the section to the value being expanded.
    path: Vec<String>,
    open: &'a mut Vec<OpenLoop>,
    /// Values made by loops so far, for the bound.
    made: &'a mut usize,
}

type Scope<'s> = &'s [(String, Binding)];

impl Expander<'_> {
    fn path(&self) -> String {
        std::iter::once(self.section)
            .chain(self.path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(".")
    }

    fn value(&mut self, v: Value, scope: Scope) -> Result<Value, LoopError> {
        match v {
            Value::Object(m) => {
                let out = self.mapping(m, scope)?;
                Ok(resolve(out, scope))
            }
            Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, x) in a.into_iter().enumerate() {
                    self.path.push(i.to_string());
                    let x = self.value(x, scope);
                    self.path.pop();
                    out.push(x?);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other),
        }
    }

    fn mapping(&mut self, m: Map<String, Value>, scope: Scope) -> Result<Map<String, Value>, LoopError> {
        let mut out = Map::with_capacity(m.len());
        for (k, v) in m {
            if k.starts_with(LOOP_PREFIX) {
                self.expand(&k, v, scope, &mut out)?;
                continue;
            }
            let key = substitute(&k, scope);
            let value = if k == "Fn::Sub" { self.sub(v, scope)? } else { self.push(&key, v, scope)? };
            if out.contains_key(&key) {
                return Err(LoopError::Repeated { path: self.path(), loop_key: key.clone(), key });
            }
            out.insert(key, value);
        }
        Ok(out)
    }

    fn push(&mut self, key: &str, v: Value, scope: Scope) -> Result<Value, LoopError> {
        self.path.push(key.to_string());
        let v = self.value(v, scope);
        self.path.pop();
        v
    }

    /// A `Fn::Sub` argument: identifiers replaced in its text, its
    /// variables' values expanded.
    fn sub(&mut self, v: Value, scope: Scope) -> Result<Value, LoopError> {
        match v {
            Value::String(s) => Ok(Value::String(substitute(&s, scope))),
            Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, x) in a.into_iter().enumerate() {
                    out.push(match x {
                        Value::String(s) if i == 0 => Value::String(substitute(&s, scope)),
                        other => self.push(&i.to_string(), other, scope)?,
                    });
                }
                Ok(Value::Array(out))
            }
            other => self.push("Fn::Sub", other, scope),
        }
    }

    /// Expands one loop into `out`.
    fn expand(
        &mut self,
        loop_key: &str,
        v: Value,
        scope: Scope,
        out: &mut Map<String, Value>,
    ) -> Result<(), LoopError> {
        let shape_error = |x: &Self, found: String| LoopError::Shape {
            path: format!("{}.{loop_key}", x.path()),
            key: loop_key.to_string(),
            found,
        };
        let Value::Array(parts) = v else { return Err(shape_error(self, kind_of(&v).to_string())) };
        let parts = <[Value; 3]>::try_from(parts)
            .map_err(|parts| shape_error(self, format!("a list of {} values", parts.len())))?;
        let [Value::String(identifier), collection, Value::Object(fragment)] = parts else {
            let [identifier, _, fragment] = &parts;
            return Err(shape_error(
                self,
                format!("a list of {}, a collection and {}", kind_of(identifier), kind_of(fragment)),
            ));
        };
        self.path.push(loop_key.to_string());
        let collection = self.push("1", collection, scope)?;
        let items: Option<Vec<String>> = match &collection {
            Value::Array(a) => a
                .iter()
                .map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(_) | Value::Bool(_) => Some(x.to_string()),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        let mut bound = scope.to_vec();
        let result = match items {
            Some(items) => {
                let mut result = Ok(());
                for item in items {
                    bound.push((identifier.clone(), Binding::Item(item)));
                    let made = self.fragment(fragment.clone(), &bound, loop_key);
                    bound.pop();
                    match made.and_then(|made| self.merge(made, loop_key, out)) {
                        Ok(()) => {}
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    }
                }
                result
            }
            None => {
                bound.push((identifier.clone(), Binding::Open));
                self.fragment(fragment.clone(), &bound, loop_key).map(|made| {
                    self.keep_open(loop_key, identifier, collection, made, out);
                })
            }
        };
        self.path.pop();
        result
    }

    /// One copy of a loop's fragment, counted against the bound.
    fn fragment(
        &mut self,
        fragment: Map<String, Value>,
        scope: Scope,
        loop_key: &str,
    ) -> Result<Map<String, Value>, LoopError> {
        self.path.push("2".into());
        let made = self.mapping(fragment, scope);
        self.path.pop();
        let made = made?;
        *self.made += made.values().map(values_in).sum::<usize>() + made.len();
        if *self.made > MAX_TEMPLATE_NODES {
            return Err(LoopError::TooManyValues { path: self.path(), key: loop_key.to_string() });
        }
        Ok(made)
    }

    fn merge(
        &self,
        made: Map<String, Value>,
        loop_key: &str,
        out: &mut Map<String, Value>,
    ) -> Result<(), LoopError> {
        for (k, v) in made {
            if out.contains_key(&k) {
                let path =
                    self.path.iter().take(self.path.len().saturating_sub(1)).cloned().collect::<Vec<_>>();
                let path =
                    std::iter::once(self.section.to_string()).chain(path).collect::<Vec<_>>().join(".");
                return Err(LoopError::Repeated { path, loop_key: loop_key.to_string(), key: k });
            }
            out.insert(k, v);
        }
        Ok(())
    }

    /// A loop over a collection known only at deploy time: its entries
    /// join the mapping as written, or, when one would take a key already
    /// there, the loop stays whole.
    fn keep_open(
        &mut self,
        loop_key: &str,
        identifier: String,
        collection: Value,
        made: Map<String, Value>,
        out: &mut Map<String, Value>,
    ) {
        // The section entry the loop sits in: the first key of the path
        // that is not an enclosing loop (or its fragment); none when the
        // loop makes entries. The path holds the loop's own key last.
        let mut steps = self.path[..self.path.len().saturating_sub(1)].iter();
        let mut entry = None;
        while let Some(step) = steps.next() {
            if step.starts_with(LOOP_PREFIX) {
                steps.next();
            } else {
                entry = Some(step.clone());
                break;
            }
        }
        let record = |key: String, makes_entry: bool| OpenLoop {
            section: self.section.to_string(),
            key,
            makes_entry,
            loop_key: loop_key.to_string(),
            identifier: identifier.clone(),
            collection: compact(&collection),
        };
        let mut records = Vec::new();
        if made.keys().any(|k| out.contains_key(k)) {
            records.push(record(entry.clone().unwrap_or_else(|| loop_key.to_string()), entry.is_none()));
            out.insert(
                loop_key.to_string(),
                Value::Array(vec![
                    Value::String(identifier.clone()),
                    collection.clone(),
                    Value::Object(made),
                ]),
            );
        } else {
            match &entry {
                Some(entry) => records.push(record(entry.clone(), false)),
                None => records.extend(made.keys().map(|k| record(k.clone(), true))),
            }
            out.extend(made);
        }
        self.open.extend(records);
    }
}

/// `{"Ref": identifier}` as the item it stands for; a `Fn::Sub` whose
/// text lost its last variable to an item as that text.
fn resolve(m: Map<String, Value>, scope: Scope) -> Value {
    if m.len() != 1 || scope.is_empty() {
        return Value::Object(m);
    }
    let Some((k, arg)) = m.iter().next() else { return Value::Object(m) };
    match (k.as_str(), arg) {
        ("Ref", Value::String(id)) => match item(scope, id) {
            Some(item) => Value::String(item.to_string()),
            None => Value::Object(m),
        },
        ("Fn::Sub", Value::String(s)) => literal_sub(s).map(Value::String).unwrap_or(Value::Object(m)),
        ("Fn::Sub", Value::Array(a)) if a.len() <= 2 => a
            .first()
            .and_then(Value::as_str)
            .and_then(literal_sub)
            .map(Value::String)
            .unwrap_or(Value::Object(m)),
        _ => Value::Object(m),
    }
}

fn item<'s>(scope: Scope<'s>, id: &str) -> Option<&'s str> {
    scope.iter().rev().find(|(name, _)| name == id).and_then(|(_, b)| match b {
        Binding::Item(item) => Some(item.as_str()),
        Binding::Open => None,
    })
}

/// `${Identifier}` replaced by the item, `&{Identifier}` by the item
/// without its non-alphanumeric characters; the innermost loop's
/// identifier first.
fn substitute(s: &str, scope: Scope) -> String {
    if scope.is_empty() || !(s.contains("${") || s.contains("&{")) {
        return s.to_string();
    }
    let mut out = s.to_string();
    let mut shadowed: Vec<&str> = Vec::new();
    for (name, binding) in scope.iter().rev() {
        if shadowed.contains(&name.as_str()) {
            continue;
        }
        shadowed.push(name);
        if let Binding::Item(item) = binding {
            out = out.replace(&format!("${{{name}}}"), item);
            let bare: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
            out = out.replace(&format!("&{{{name}}}"), &bare);
        }
    }
    out
}

fn values_in(v: &Value) -> usize {
    1 + match v {
        Value::Object(m) => m.values().map(values_in).sum::<usize>() + m.len(),
        Value::Array(a) => a.iter().map(values_in).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expand(section: &str, v: Value) -> (Value, Vec<OpenLoop>) {
        let mut open = Vec::new();
        let out = expand_section(section, v.as_object().unwrap().clone(), &mut open, &mut 0).unwrap();
        (Value::Object(out), open)
    }

    #[test]
    fn nested_loops_use_the_outer_item_in_keys_values_and_collections() {
        let (out, open) = expand(
            "Resources",
            json!({"Fn::ForEach::Outer": ["Env", ["dev", "prod"], {
                "Fn::ForEach::Inner": ["Tier", [{"Ref": "Env"}, "web"], {
                    "Topic${Env}${Tier}": {"Type": "AWS::SNS::Topic", "Properties": {
                        "TopicName": {"Fn::Sub": "${Env}-${Tier}-${AWS::Region}"},
                        "DisplayName": {"Fn::Sub": ["${Env}/${Tier}/${!Keep}", {}]}
                    }}
                }]
            }]}),
        );
        assert!(open.is_empty());
        let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Topicdevdev", "Topicdevweb", "Topicprodprod", "Topicprodweb"]);
        assert_eq!(
            out["Topicprodweb"]["Properties"]["TopicName"],
            json!({"Fn::Sub": "prod-web-${AWS::Region}"})
        );
        assert_eq!(out["Topicprodweb"]["Properties"]["DisplayName"], json!("prod/web/${Keep}"));
    }

    #[test]
    fn an_open_loop_in_properties_stays_as_written_and_is_recorded() {
        let (out, open) = expand(
            "Resources",
            json!({"Fn::ForEach::Queues": ["Name", ["a"], {"Queue${Name}": {"Type": "AWS::SQS::Queue", "Properties": {
                "Fn::ForEach::Tags": ["Key", {"Ref": "TagKeys"}, {"Tag${Key}": {"Ref": "Key"}}]
            }}}]}),
        );
        assert_eq!(out["Queuea"]["Properties"], json!({"Tag${Key}": {"Ref": "Key"}}));
        assert_eq!(open.len(), 1);
        assert_eq!((open[0].key.as_str(), open[0].makes_entry), ("Queuea", false));
        assert_eq!(
            open[0].note(),
            "its `Fn::ForEach::Tags` loop runs over `!Ref TagKeys`, known only at deploy time: compared as written, with `${Key}` standing for every item"
        );
    }

    #[test]
    fn an_inner_identifier_hides_an_outer_one_of_the_same_name() {
        let (out, open) = expand(
            "Outputs",
            json!({"Fn::ForEach::Outer": ["N", ["a"], {
                "Fn::ForEach::Inner": ["N", {"Ref": "Names"}, {"Out${N}": {"Value": {"Fn::Sub": "${N}"}}}]
            }]}),
        );
        assert_eq!(out, json!({"Out${N}": {"Value": {"Fn::Sub": "${N}"}}}));
        assert_eq!((open[0].key.as_str(), open[0].makes_entry), ("Out${N}", true));
    }

    #[test]
    fn templates_without_loops_are_untouched() {
        let v = json!({"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "x"}}}});
        assert_eq!(expand("Resources", v.clone()).0, v);
    }
}
