//! Intrinsic functions and pseudo parameters as a typed expression.

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A pseudo parameter that CloudFormation resolves at deploy time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`: the account the stack is deployed to.
    AccountId,
    /// `AWS::Region`: the region the stack is deployed to.
    Region,
    /// `AWS::Partition`: `aws`, `aws-cn`, `aws-us-gov`, ...
    Partition,
    /// `AWS::URLSuffix`: `amazonaws.com`, or `amazonaws.com.cn` in China.
    UrlSuffix,
    /// `AWS::StackName`.
    StackName,
    /// `AWS::StackId`.
    StackId,
    /// `AWS::NoValue`: removes the property it is the value of.
    NoValue,
    /// `AWS::NotificationARNs`.
    NotificationArns,
}

impl Pseudo {
    /// Every pseudo parameter, in a fixed order.
    pub const ALL: [Pseudo; 8] = [
        Pseudo::AccountId,
        Pseudo::Region,
        Pseudo::Partition,
        Pseudo::UrlSuffix,
        Pseudo::StackName,
        Pseudo::StackId,
        Pseudo::NoValue,
        Pseudo::NotificationArns,
    ];

    /// The name CloudFormation uses, such as `AWS::Region`.
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Region => "AWS::Region",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::NoValue => "AWS::NoValue",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
        }
    }

    /// Looks a pseudo parameter up by its CloudFormation name.
    pub fn from_name(name: &str) -> Option<Pseudo> {
        Pseudo::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// A value of a template: a literal string or an intrinsic function.
///
/// Every string-valued property of the typed resources takes an `Expr`, so a
/// literal and a deploy-time value are interchangeable:
///
/// ```
/// use cfn_template::{Expr, Pseudo};
/// let literal: Expr = "my-bucket".into();
/// let named = Expr::sub("logs-${AWS::AccountId}-${AWS::Region}");
/// let region = Expr::pseudo(Pseudo::Region);
/// assert_eq!(serde_json::to_string(&region).unwrap(), r#"{"Ref":"AWS::Region"}"#);
/// # let _ = (literal, named);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal string.
    Str(String),
    /// A literal boolean (written as JSON `true`/`false`).
    Bool(bool),
    /// A literal integer.
    Int(i64),
    /// A literal decimal number.
    Float(f64),
    /// A list of values (for properties and functions that take lists).
    List(Vec<Expr>),
    /// `Ref`: a parameter, resource or pseudo parameter.
    Ref(String),
    /// `Fn::GetAtt`: an attribute of a resource.
    GetAtt(String, String),
    /// `Fn::Sub`: string substitution, with optional variables of its own.
    Sub(String, IndexMap<String, Expr>),
    /// `Fn::Join`: values joined with a delimiter.
    Join(String, Vec<Expr>),
    /// `Fn::Select`: one item of a list by index.
    Select(u32, Box<Expr>),
    /// `Fn::Split`: a string split into a list.
    Split(String, Box<Expr>),
    /// `Fn::If`: one of two values, by a named condition.
    If(String, Box<Expr>, Box<Expr>),
    /// `Fn::ImportValue`: an output exported by another stack.
    ImportValue(Box<Expr>),
    /// `Fn::GetAZs`: the availability zones of a region (empty string: this one).
    GetAzs(Box<Expr>),
    /// `Fn::Base64`: a string encoded in Base64.
    Base64(Box<Expr>),
    /// `Fn::FindInMap`: a value of a template mapping.
    FindInMap(String, Box<Expr>, Box<Expr>),
}

impl Expr {
    /// A `Ref` to a parameter or resource by logical ID.
    pub fn r#ref(logical_id: impl Into<String>) -> Expr {
        Expr::Ref(logical_id.into())
    }

    /// A `Ref` to a pseudo parameter.
    pub fn pseudo(p: Pseudo) -> Expr {
        Expr::Ref(p.name().to_string())
    }

    /// `Fn::GetAtt` of a resource's attribute. Typed handles
    /// ([`crate::Handle`]) offer only the attributes a resource has; this is
    /// the untyped escape hatch.
    pub fn get_att(logical_id: impl Into<String>, attribute: impl Into<String>) -> Expr {
        Expr::GetAtt(logical_id.into(), attribute.into())
    }

    /// `Fn::Sub` with a template string whose `${Name}` refer to the template.
    pub fn sub(template: impl Into<String>) -> Expr {
        Expr::Sub(template.into(), IndexMap::new())
    }

    /// `Fn::Sub` with a variable map of its own.
    pub fn sub_with<K: Into<String>>(
        template: impl Into<String>,
        vars: impl IntoIterator<Item = (K, Expr)>,
    ) -> Expr {
        Expr::Sub(template.into(), vars.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// `Fn::Join` of values with a delimiter.
    pub fn join(delimiter: impl Into<String>, values: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::Join(delimiter.into(), values.into_iter().collect())
    }

    /// The values one after the other, as one string: a literal when every
    /// part is one, else the `Fn::Sub` that reads most plainly (`Ref`s,
    /// `Fn::GetAtt`s and other `Fn::Sub`s inline, other intrinsics as its
    /// variables). Names and ARNs built from parameters and attributes
    /// compose the same way literal ones do.
    ///
    /// ```
    /// use cfn_template::{Expr, Pseudo};
    /// let bucket = Expr::concat(["logs-", "audit"]);
    /// assert_eq!(bucket, Expr::from("logs-audit"));
    /// let regional = Expr::concat([Expr::from("logs-"), Expr::pseudo(Pseudo::Region)]);
    /// assert_eq!(regional, Expr::sub("logs-${AWS::Region}"));
    /// let objects = Expr::concat([Expr::get_att("Logs", "Arn"), "/*".into()]);
    /// assert_eq!(objects, Expr::sub("${Logs.Arn}/*"));
    /// let stage = Expr::concat([Expr::r#ref("Stage"), "-".into(), Expr::select(0, Expr::get_azs("".into()))]);
    /// assert_eq!(stage, Expr::sub_with("${Stage}-${Part1}", [("Part1", Expr::select(0, Expr::get_azs("".into())))]));
    /// ```
    pub fn concat<I: IntoIterator<Item = E>, E: Into<Expr>>(parts: I) -> Expr {
        crate::concat::concat(parts.into_iter().map(Into::into))
    }

    /// `Fn::Select` of the item at `index` of a list.
    pub fn select(index: u32, list: Expr) -> Expr {
        Expr::Select(index, Box::new(list))
    }

    /// `Fn::Split` of a string by a delimiter.
    pub fn split(delimiter: impl Into<String>, source: Expr) -> Expr {
        Expr::Split(delimiter.into(), Box::new(source))
    }

    /// `Fn::If` on a named condition of the template.
    pub fn if_(condition: impl Into<String>, then: Expr, otherwise: Expr) -> Expr {
        Expr::If(condition.into(), Box::new(then), Box::new(otherwise))
    }

    /// `Fn::ImportValue` of another stack's export.
    pub fn import_value(name: Expr) -> Expr {
        Expr::ImportValue(Box::new(name))
    }

    /// `Fn::GetAZs` of a region; `""` means the stack's region.
    pub fn get_azs(region: Expr) -> Expr {
        Expr::GetAzs(Box::new(region))
    }

    /// `Fn::Base64` of a string.
    pub fn base64(value: Expr) -> Expr {
        Expr::Base64(Box::new(value))
    }

    /// `Fn::FindInMap` of a mapping, a top-level key and a second-level key.
    pub fn find_in_map(map: impl Into<String>, top: Expr, second: Expr) -> Expr {
        Expr::FindInMap(map.into(), Box::new(top), Box::new(second))
    }

    /// `AWS::NoValue`: the property is removed.
    pub fn no_value() -> Expr {
        Expr::pseudo(Pseudo::NoValue)
    }

    /// The literal string, if this is one.
    pub fn as_literal(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }

    /// What is known now of the text this evaluates to: its literal parts
    /// (a literal's whole text, a `Fn::Sub`'s text between variables,
    /// nothing of other intrinsics), and whether that is all of it. Checks of
    /// names use it to refuse what no deployment could make valid.
    ///
    /// ```
    /// use cfn_template::Expr;
    /// assert_eq!(Expr::from("audit").literal_text(), ("audit".to_string(), true));
    /// assert_eq!(Expr::sub("audit-${AWS::Region}").literal_text(), ("audit-".to_string(), false));
    /// assert_eq!(Expr::r#ref("Name").literal_text(), (String::new(), false));
    /// ```
    pub fn literal_text(&self) -> (String, bool) {
        match self {
            Expr::Str(s) => (s.clone(), true),
            Expr::Sub(template, _) => {
                let parts = crate::parse_sub(template).unwrap_or_default();
                let text = parts
                    .into_iter()
                    .filter_map(|p| match p {
                        crate::SubPart::Literal(l) => Some(l),
                        crate::SubPart::Var(_) => None,
                    })
                    .collect();
                (text, false)
            }
            _ => (String::new(), false),
        }
    }
}

impl From<&str> for Expr {
    fn from(s: &str) -> Expr {
        Expr::Str(s.to_string())
    }
}

impl From<String> for Expr {
    fn from(s: String) -> Expr {
        Expr::Str(s)
    }
}

impl From<&String> for Expr {
    fn from(s: &String) -> Expr {
        Expr::Str(s.clone())
    }
}

impl From<bool> for Expr {
    fn from(b: bool) -> Expr {
        Expr::Bool(b)
    }
}

impl From<i64> for Expr {
    fn from(n: i64) -> Expr {
        Expr::Int(n)
    }
}

impl From<Pseudo> for Expr {
    fn from(p: Pseudo) -> Expr {
        Expr::pseudo(p)
    }
}

impl PartialEq<str> for Expr {
    /// A literal string equals the same text; an intrinsic equals no text.
    fn eq(&self, other: &str) -> bool {
        self.as_literal() == Some(other)
    }
}

impl PartialEq<&str> for Expr {
    fn eq(&self, other: &&str) -> bool {
        self.as_literal() == Some(*other)
    }
}

impl<T: Into<Expr>> From<Vec<T>> for Expr {
    fn from(v: Vec<T>) -> Expr {
        Expr::List(v.into_iter().map(Into::into).collect())
    }
}

fn single<S: Serializer, V: Serialize + ?Sized>(s: S, key: &str, value: &V) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(key, value)?;
    m.end()
}

/// Serializes a heterogeneous argument list such as `[delimiter, [values]]`.
struct Args<'a>(&'a [&'a dyn erased::Ser]);

mod erased {
    /// Object-safe serialization, so argument lists can mix types.
    pub trait Ser {
        fn value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn value(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("template values always serialize")
        }
    }
}

impl Serialize for Args<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for a in self.0 {
            seq.serialize_element(&a.value())?;
        }
        seq.end()
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::Str(v) => s.serialize_str(v),
            Expr::Bool(b) => s.serialize_bool(*b),
            Expr::Int(n) => s.serialize_i64(*n),
            Expr::Float(x) => s.serialize_f64(*x),
            Expr::List(items) => items.serialize(s),
            Expr::Ref(id) => single(s, "Ref", id),
            Expr::GetAtt(id, attr) => single(s, "Fn::GetAtt", &[id, attr]),
            Expr::Sub(t, vars) if vars.is_empty() => single(s, "Fn::Sub", t),
            Expr::Sub(t, vars) => single(s, "Fn::Sub", &Args(&[t, vars])),
            Expr::Join(d, vals) => single(s, "Fn::Join", &Args(&[d, vals])),
            Expr::Select(i, list) => single(s, "Fn::Select", &Args(&[&i.to_string(), list])),
            Expr::Split(d, src) => single(s, "Fn::Split", &Args(&[d, src])),
            Expr::If(c, a, b) => single(s, "Fn::If", &Args(&[c, a, b])),
            Expr::ImportValue(v) => single(s, "Fn::ImportValue", v),
            Expr::GetAzs(v) => single(s, "Fn::GetAZs", v),
            Expr::Base64(v) => single(s, "Fn::Base64", v),
            Expr::FindInMap(m, a, b) => single(s, "Fn::FindInMap", &Args(&[m, a, b])),
        }
    }
}

/// A condition expression: the value of a template condition or a
/// condition function nested in another.
#[derive(Debug, Clone, PartialEq)]
pub enum CondExpr {
    /// `Fn::Equals` of two values.
    Equals(Expr, Expr),
    /// `Fn::And` of 2 to 10 conditions.
    And(Vec<CondExpr>),
    /// `Fn::Or` of 2 to 10 conditions.
    Or(Vec<CondExpr>),
    /// `Fn::Not` of a condition.
    Not(Box<CondExpr>),
    /// A reference to a named condition of the template.
    Condition(String),
}

impl CondExpr {
    /// `Fn::Equals`.
    pub fn equals(a: impl Into<Expr>, b: impl Into<Expr>) -> CondExpr {
        CondExpr::Equals(a.into(), b.into())
    }

    /// `Fn::And` of 2 to 10 conditions.
    pub fn and(conditions: impl IntoIterator<Item = CondExpr>) -> CondExpr {
        CondExpr::And(conditions.into_iter().collect())
    }

    /// `Fn::Or` of 2 to 10 conditions.
    pub fn or(conditions: impl IntoIterator<Item = CondExpr>) -> CondExpr {
        CondExpr::Or(conditions.into_iter().collect())
    }

    /// `Fn::Not`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(c: CondExpr) -> CondExpr {
        CondExpr::Not(Box::new(c))
    }

    /// A reference to a named condition.
    pub fn named(name: impl Into<String>) -> CondExpr {
        CondExpr::Condition(name.into())
    }
}

impl Serialize for CondExpr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CondExpr::Equals(a, b) => single(s, "Fn::Equals", &Args(&[a, b])),
            CondExpr::And(cs) => single(s, "Fn::And", cs),
            CondExpr::Or(cs) => single(s, "Fn::Or", cs),
            CondExpr::Not(c) => single(s, "Fn::Not", &[c]),
            CondExpr::Condition(n) => single(s, "Condition", n),
        }
    }
}
