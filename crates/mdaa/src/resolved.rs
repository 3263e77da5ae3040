//! Module config values after MDAA's placeholders are resolved: literal
//! where synthesis knows them, typed markers where only a deployment does.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use yaml_serde::{Number, Value};

/// A value known only when the template is deployed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeployValue {
    /// `${AWS::AccountId}`: `{{account}}` where the mdaa.yaml does not fix the account.
    AccountId,
    /// `${AWS::Region}`: `{{region}}` where the mdaa.yaml does not fix the region.
    Region,
    /// `${AWS::Partition}`: `{{partition}}` where no fixed region implies it.
    Partition,
    /// The value of an SSM parameter, read when the stack deploys. MDAA
    /// (through CDK's `valueForStringParameter`) makes each one a template
    /// parameter of type `AWS::SSM::Parameter::Value<String>` whose
    /// default is the parameter name; see [`ssm_parameter_logical_id`].
    SsmParameter(String),
}

impl DeployValue {
    /// The pseudo parameter this value is, if it is one (`AWS::AccountId`, ...).
    pub fn pseudo_parameter(&self) -> Option<&'static str> {
        match self {
            DeployValue::AccountId => Some("AWS::AccountId"),
            DeployValue::Region => Some("AWS::Region"),
            DeployValue::Partition => Some("AWS::Partition"),
            DeployValue::SsmParameter(_) => None,
        }
    }
}

/// The logical ID CDK gives the template parameter that reads SSM
/// parameter `name`: `SsmParameterValue`, the name's letters and digits,
/// CDK's fixed identity and `Parameter`, so a template can keep MDAA's
/// parameter IDs. `None` where the ID would pass CloudFormation's 255
/// characters: CDK then shortens it with an MD5 hash this crate does not
/// reproduce.
///
/// ```
/// assert_eq!(
///     mdaa::ssm_parameter_logical_id("/sample-org/domain1/generated-role/test-role/id").unwrap(),
///     "SsmParameterValuesampleorgdomain1generatedroletestroleidC96584B6F00A464EAD1953AFF4B05118Parameter"
/// );
/// ```
pub fn ssm_parameter_logical_id(name: &str) -> Option<String> {
    let id: String = format!("SsmParameterValue{name}C96584B6F00A464EAD1953AFF4B05118Parameter")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (id.len() <= 255).then_some(id)
}

/// A piece of a [`Text`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    /// Text known now.
    Literal(String),
    /// A value known at deploy time.
    Deploy(DeployValue),
}

/// A string value, possibly with deploy-time pieces
/// (`arn:{{partition}}:iam::{{account}}:role/Admin`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Text {
    parts: Vec<Part>,
}

impl Text {
    /// Literal text.
    pub fn literal(s: impl Into<String>) -> Self {
        let mut t = Text::default();
        t.push_str(&s.into());
        t
    }

    /// One deploy-time value.
    pub fn deploy(value: DeployValue) -> Self {
        Text { parts: vec![Part::Deploy(value)] }
    }

    /// Appends literal text.
    pub fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        match self.parts.last_mut() {
            Some(Part::Literal(l)) => l.push_str(s),
            _ => self.parts.push(Part::Literal(s.to_string())),
        }
    }

    /// Appends another text.
    pub fn push_text(&mut self, other: Text) {
        for part in other.parts {
            match part {
                Part::Literal(l) => self.push_str(&l),
                deploy => self.parts.push(deploy),
            }
        }
    }

    /// The pieces, adjacent literals joined.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The text, if it holds no deploy-time value.
    pub fn as_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [Part::Literal(l)] => Some(l),
            _ => None,
        }
    }

    /// The SSM parameters it reads.
    pub fn ssm_parameters(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Deploy(DeployValue::SsmParameter(name)) => Some(name.as_str()),
            _ => None,
        })
    }

    /// The text as an `Fn::Sub` string: pseudo parameters as
    /// `${AWS::AccountId}`, SSM parameters as `${<ssm_ref(name)>}`, and
    /// any literal `${` escaped as `${!`.
    ///
    /// ```
    /// use mdaa::{DeployValue, Text};
    /// let mut t = Text::literal("arn:");
    /// t.push_text(Text::deploy(DeployValue::Partition));
    /// t.push_str(":s3:::b-${x}");
    /// assert_eq!(t.to_sub(|name| name.to_string()), "arn:${AWS::Partition}:s3:::b-${!x}");
    /// ```
    pub fn to_sub(&self, ssm_ref: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(l) => out.push_str(&l.replace("${", "${!")),
                Part::Deploy(DeployValue::SsmParameter(name)) => {
                    out.push_str("${");
                    out.push_str(&ssm_ref(name));
                    out.push('}');
                }
                Part::Deploy(d) => {
                    out.push_str("${");
                    out.push_str(d.pseudo_parameter().unwrap_or_default());
                    out.push('}');
                }
            }
        }
        out
    }

    /// The text as a module config reads it, in MDAA's own syntax: the
    /// deploy-time values as `{{account}}`, `{{region}}` and `{{partition}}`,
    /// a value that is one SSM parameter as `ssm:NAME`, and an SSM parameter
    /// inside a longer text as CloudFormation's dynamic reference
    /// `{{resolve:ssm:NAME}}`. A module honours what it can and refuses the
    /// rest at the value's place.
    ///
    /// ```
    /// use mdaa::{DeployValue, Text};
    /// let mut arn = Text::literal("arn:");
    /// arn.push_text(Text::deploy(DeployValue::Partition));
    /// arn.push_str(":iam::");
    /// arn.push_text(Text::deploy(DeployValue::AccountId));
    /// arn.push_str(":role/Reader");
    /// assert_eq!(arn.to_placeholders(), "arn:{{partition}}:iam::{{account}}:role/Reader");
    /// let ssm = Text::deploy(DeployValue::SsmParameter("/org/role/id".into()));
    /// assert_eq!(ssm.to_placeholders(), "ssm:/org/role/id");
    /// ```
    pub fn to_placeholders(&self) -> String {
        if let [Part::Deploy(DeployValue::SsmParameter(name))] = self.parts.as_slice() {
            return format!("ssm:{name}");
        }
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(l) => out.push_str(l),
                Part::Deploy(DeployValue::AccountId) => out.push_str("{{account}}"),
                Part::Deploy(DeployValue::Region) => out.push_str("{{region}}"),
                Part::Deploy(DeployValue::Partition) => out.push_str("{{partition}}"),
                Part::Deploy(DeployValue::SsmParameter(name)) => {
                    out.push_str("{{resolve:ssm:");
                    out.push_str(name);
                    out.push_str("}}");
                }
            }
        }
        out
    }
}

/// A resolved config value.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    Text(Text),
    /// A sequence.
    Seq(Vec<Resolved>),
    /// A mapping; keys are strings, as they are in MDAA (JavaScript).
    Map(IndexMap<String, Resolved>),
}

impl Resolved {
    /// The value under `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Resolved> {
        match self {
            Resolved::Map(m) => m.get(key),
            _ => None,
        }
    }

    /// The string, if this is one without deploy-time pieces.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Resolved::Text(t) => t.as_literal(),
            _ => None,
        }
    }

    /// Every SSM parameter the value reads, sorted.
    pub fn ssm_parameters(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.visit_texts(&mut |t| out.extend(t.ssm_parameters().map(str::to_string)));
        out
    }

    /// True if any part of the value is known only at deploy time.
    pub fn has_deploy_values(&self) -> bool {
        let mut any = false;
        self.visit_texts(&mut |t| any |= t.as_literal().is_none());
        any
    }

    fn visit_texts(&self, f: &mut impl FnMut(&Text)) {
        match self {
            Resolved::Text(t) => f(t),
            Resolved::Seq(items) => items.iter().for_each(|i| i.visit_texts(f)),
            Resolved::Map(m) => m.values().for_each(|v| v.visit_texts(f)),
            _ => {}
        }
    }

    /// A YAML value, each text with deploy-time pieces written by `render`
    /// (literal texts become plain strings).
    pub fn to_value_with(&self, render: &impl Fn(&Text) -> Value) -> Value {
        match self {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(*b),
            Resolved::Number(n) => Value::Number(n.clone()),
            Resolved::Text(t) => match t.as_literal() {
                Some(l) => Value::String(l.to_string()),
                None => render(t),
            },
            Resolved::Seq(items) => Value::Sequence(items.iter().map(|i| i.to_value_with(render)).collect()),
            Resolved::Map(m) => Value::Mapping(
                m.iter().map(|(k, v)| (Value::String(k.clone()), v.to_value_with(render))).collect(),
            ),
        }
    }

    /// The value as plain YAML, if nothing in it waits for a deployment.
    pub fn literal_value(&self) -> Option<Value> {
        if self.has_deploy_values() {
            return None;
        }
        Some(self.to_value_with(&|_| Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_join_adjacent_literals_and_know_when_they_are_literal() {
        let mut t = Text::literal("a");
        t.push_str("b");
        t.push_text(Text::literal("c"));
        assert_eq!(t.as_literal(), Some("abc"));
        t.push_text(Text::deploy(DeployValue::Region));
        assert_eq!(t.as_literal(), None);
        assert_eq!(t.parts().len(), 2);
    }

    #[test]
    fn values_list_their_ssm_parameters_and_render_deploy_values() {
        let mut m = IndexMap::new();
        m.insert("a".to_string(), Resolved::Text(Text::deploy(DeployValue::SsmParameter("/x/y".into()))));
        m.insert("b".to_string(), Resolved::Seq(vec![Resolved::Text(Text::literal("plain"))]));
        let v = Resolved::Map(m);
        assert_eq!(v.ssm_parameters().into_iter().collect::<Vec<_>>(), vec!["/x/y".to_string()]);
        assert!(v.literal_value().is_none());
        let rendered = v.to_value_with(&|t| Value::String(t.to_sub(|n| format!("P{}", n.len()))));
        assert_eq!(yaml_serde::to_string(&rendered).unwrap(), "a: ${P4}\nb:\n- plain\n");
    }

    #[test]
    fn long_ssm_names_have_no_reproduced_logical_id() {
        assert!(ssm_parameter_logical_id(&"a".repeat(300)).is_none());
    }
}
