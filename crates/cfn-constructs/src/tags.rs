//! Tags applied to every taggable resource of a template, by the schemas'
//! tagging facts: which types take tags, in which property, in which shape.

use cfn_template::aspect::{Aspect, ResourceView};
use cfn_template::schema::facts::TagShape;
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

/// Tags by key, in the order given; an [`Aspect`] that gives them to every
/// resource whose type takes tags (`t.add_aspect(tags)`). A tag a resource
/// already has under the same key is kept.
///
/// ```
/// use cfn_constructs::Tags;
/// use cfn_template::resources::kms::{Alias, Key};
/// use cfn_template::resources::ssm::Parameter;
/// use cfn_template::Template;
///
/// let mut t = Template::new();
/// t.add("Key", Key::default());
/// t.add("KeyAlias", Alias::new("alias/k", "key-id"));
/// t.add("Param", Parameter::new("String", "v"));
/// t.add_aspect(Tags::from_iter([("team", "audit")]));
/// let v = t.synthesize().unwrap();
/// assert_eq!(v["Resources"]["Key"]["Properties"]["Tags"], serde_json::json!([{"Key": "team", "Value": "audit"}]));
/// assert_eq!(v["Resources"]["Param"]["Properties"]["Tags"], serde_json::json!({"team": "audit"}));
/// assert!(v["Resources"]["KeyAlias"].get("Properties").unwrap().get("Tags").is_none(), "aliases take no tags");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(pub IndexMap<String, String>);

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Tags {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Tags(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

/// Inserts `key` where the schema's property order puts it, so a tagged
/// resource reads as one tagged through its typed struct.
fn insert_in_order(props: &mut Map<String, Value>, key: &str, value: Value, order: &[&str]) {
    let rank = |k: &str| order.iter().position(|p| *p == k).unwrap_or(usize::MAX);
    let mine = rank(key);
    let at = props.keys().position(|k| rank(k) > mine).unwrap_or(props.len());
    props.shift_insert(at, key.to_string(), value);
}

impl Aspect for Tags {
    fn name(&self) -> &str {
        "Tags"
    }

    fn visit(&self, r: &mut ResourceView<'_>) {
        if self.0.is_empty() {
            return;
        }
        let Some(facts) = r.facts() else { return };
        let tagging = &facts.tagging;
        let Some(property) = tagging.property.and_then(|p| p.strip_prefix("/properties/")) else { return };
        if !tagging.taggable || property.contains('/') {
            return;
        }
        let Some(props) = r.properties.as_object_mut() else { return };
        match (tagging.shape, props.get_mut(property)) {
            (TagShape::List, Some(Value::Array(list))) => {
                for (k, v) in &self.0 {
                    if !list.iter().any(|t| t.get("Key").and_then(Value::as_str) == Some(k.as_str())) {
                        list.push(json!({"Key": k, "Value": v}));
                    }
                }
            }
            (TagShape::Map, Some(Value::Object(map))) => {
                for (k, v) in &self.0 {
                    map.entry(k.clone()).or_insert_with(|| json!(v));
                }
            }
            (TagShape::List, None) => {
                let list = self.0.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
                insert_in_order(props, property, Value::Array(list), facts.properties);
            }
            (TagShape::Map, None) => {
                let map = self.0.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                insert_in_order(props, property, Value::Object(map), facts.properties);
            }
            // Tags given by an intrinsic, or in a shape of their own: left to the resource.
            _ => {}
        }
    }
}
