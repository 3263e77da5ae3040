//! Property values: literals or intrinsics, for every kind of value a
//! property takes.
//!
//! Strings are [`Expr`]s. Numbers and booleans are [`Int`], [`Num`] and
//! [`Bool`], which take a literal or any [`Expr`], so a `Ref` to a `Number`
//! parameter works wherever a literal does. Lists are [`List`]s: items, or
//! an intrinsic that yields a list (`Fn::Split`, a `CommaDelimitedList`
//! parameter, `Fn::GetAZs`).
//!
//! ```
//! use cfn_template::value::{Bool, Int, List};
//! use cfn_template::Expr;
//! let days: Int = 365.into();
//! let from_parameter: Int = Expr::r#ref("RetentionDays").into();
//! let on: Bool = true.into();
//! let zones: List<Expr> = Expr::get_azs("".into()).into();
//! assert_eq!(days.literal(), Some(365));
//! # let _ = (from_parameter, on, zones);
//! ```

use indexmap::IndexMap;
use serde_json::{Map as JsonMap, Value};

use crate::policy::PolicyDocument;
use crate::Expr;

/// A free-form JSON property (the schema gives it no structure). Intrinsics
/// inside it are written as their JSON (`{"Ref": "Name"}`) and are checked
/// like any other.
pub type Json = Value;

/// A map property: keys the template chooses, values of one kind.
pub type Map<T> = IndexMap<String, T>;

/// How a property value is written into a template.
pub trait PropertyValue {
    /// The value as template JSON.
    fn to_value(&self) -> Value;
}

/// Writes a required property.
pub fn put<T: PropertyValue + ?Sized>(m: &mut JsonMap<String, Value>, key: &str, value: &T) {
    m.insert(key.to_string(), value.to_value());
}

/// Writes an optional property when it is set.
pub fn put_opt<T: PropertyValue>(m: &mut JsonMap<String, Value>, key: &str, value: &Option<T>) {
    if let Some(v) = value {
        m.insert(key.to_string(), v.to_value());
    }
}

impl PropertyValue for Expr {
    /// The expression as CloudFormation writes it; built directly, as this
    /// runs for every value of every resource at each synthesis.
    fn to_value(&self) -> Value {
        fn one(key: &str, v: Value) -> Value {
            let mut m = JsonMap::with_capacity(1);
            m.insert(key.to_string(), v);
            Value::Object(m)
        }
        fn list<'e>(items: impl IntoIterator<Item = &'e Expr>) -> Value {
            Value::Array(items.into_iter().map(PropertyValue::to_value).collect())
        }
        match self {
            Expr::Str(v) => Value::String(v.clone()),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Int(n) => Value::from(*n),
            Expr::Float(x) => Value::from(*x),
            Expr::List(items) => list(items),
            Expr::Ref(id) => one("Ref", Value::String(id.clone())),
            Expr::GetAtt(id, attr) => {
                one("Fn::GetAtt", Value::Array(vec![Value::String(id.clone()), Value::String(attr.clone())]))
            }
            Expr::Sub(t, vars) if vars.is_empty() => one("Fn::Sub", Value::String(t.clone())),
            Expr::Sub(t, vars) => {
                let vars: JsonMap<String, Value> =
                    vars.iter().map(|(k, v)| (k.clone(), v.to_value())).collect();
                one("Fn::Sub", Value::Array(vec![Value::String(t.clone()), Value::Object(vars)]))
            }
            Expr::Join(d, vals) => one("Fn::Join", Value::Array(vec![Value::String(d.clone()), list(vals)])),
            Expr::Select(i, l) => {
                one("Fn::Select", Value::Array(vec![Value::String(i.to_string()), l.to_value()]))
            }
            Expr::Split(d, src) => {
                one("Fn::Split", Value::Array(vec![Value::String(d.clone()), src.to_value()]))
            }
            Expr::If(c, a, b) => {
                one("Fn::If", Value::Array(vec![Value::String(c.clone()), a.to_value(), b.to_value()]))
            }
            Expr::ImportValue(v) => one("Fn::ImportValue", v.to_value()),
            Expr::GetAzs(v) => one("Fn::GetAZs", v.to_value()),
            Expr::Base64(v) => one("Fn::Base64", v.to_value()),
            Expr::FindInMap(m, a, b) => {
                one("Fn::FindInMap", Value::Array(vec![Value::String(m.clone()), a.to_value(), b.to_value()]))
            }
        }
    }
}

/// An expression where a property is free-form JSON (`Map<Json>` values,
/// `Json` properties): `Expr::r#ref("Stage").into()`.
impl From<Expr> for Value {
    fn from(e: Expr) -> Value {
        e.to_value()
    }
}

impl PropertyValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl PropertyValue for PolicyDocument {
    fn to_value(&self) -> Value {
        self.json()
    }
}

impl PropertyValue for &str {
    fn to_value(&self) -> Value {
        Value::String((*self).to_string())
    }
}

impl PropertyValue for String {
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl PropertyValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl PropertyValue for i64 {
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}

impl PropertyValue for i32 {
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}

impl<T: PropertyValue> PropertyValue for Box<T> {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: PropertyValue> PropertyValue for Vec<T> {
    fn to_value(&self) -> Value {
        Value::Array(self.iter().map(PropertyValue::to_value).collect())
    }
}

impl<T: PropertyValue> PropertyValue for IndexMap<String, T> {
    fn to_value(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
    }
}

macro_rules! scalar {
    ($(#[$doc:meta])* $name:ident, $variant:ident, [$($from:ty),*]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name(Expr);

        impl $name {
            /// The expression it holds.
            pub fn expr(&self) -> &Expr {
                &self.0
            }
        }

        impl From<Expr> for $name {
            fn from(e: Expr) -> Self {
                $name(e)
            }
        }

        impl From<$name> for Expr {
            fn from(v: $name) -> Expr {
                v.0
            }
        }

        $(impl From<$from> for $name {
            fn from(v: $from) -> Self {
                $name(Expr::$variant(v.into()))
            }
        })*

        impl PropertyValue for $name {
            fn to_value(&self) -> Value {
                self.0.to_value()
            }
        }
    };
}

scalar!(
    /// An integer property: a literal or an intrinsic.
    Int, Int, [i64, i32, u32, u16, u8]
);
scalar!(
    /// A number property (integers or decimals): a literal or an intrinsic.
    Num, Float, [f64, f32]
);
scalar!(
    /// A boolean property: a literal or an intrinsic.
    Bool, Bool, [bool]
);

impl Int {
    /// The literal value, if it is one.
    pub fn literal(&self) -> Option<i64> {
        match self.0 {
            Expr::Int(n) => Some(n),
            _ => None,
        }
    }
}

impl From<i64> for Num {
    fn from(v: i64) -> Self {
        Num(Expr::Int(v))
    }
}

impl From<i32> for Num {
    fn from(v: i32) -> Self {
        Num(Expr::Int(v.into()))
    }
}

impl From<u32> for Num {
    fn from(v: u32) -> Self {
        Num(Expr::Int(v.into()))
    }
}

impl Num {
    /// The literal value, if it is one.
    pub fn literal(&self) -> Option<f64> {
        match self.0 {
            Expr::Int(n) => Some(n as f64),
            Expr::Float(x) => Some(x),
            _ => None,
        }
    }
}

impl Bool {
    /// The literal value, if it is one.
    pub fn literal(&self) -> Option<bool> {
        match self.0 {
            Expr::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// A list property: its items, or an intrinsic that yields a list.
#[derive(Debug, Clone, PartialEq)]
pub enum List<T> {
    /// The items.
    Items(Vec<T>),
    /// An intrinsic that yields the list.
    Expr(Expr),
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List::Items(Vec::new())
    }
}

impl<T> List<T> {
    /// The items, when the list is literal.
    pub fn items(&self) -> Option<&[T]> {
        match self {
            List::Items(v) => Some(v),
            List::Expr(_) => None,
        }
    }

    /// The items to change, when the list is literal.
    pub fn items_mut(&mut self) -> Option<&mut Vec<T>> {
        match self {
            List::Items(v) => Some(v),
            List::Expr(_) => None,
        }
    }

    /// Appends an item. A list given by an intrinsic has no items to append
    /// to: it is returned as the error, unchanged.
    pub fn push(&mut self, item: T) -> Result<(), &Expr> {
        match self {
            List::Items(v) => {
                v.push(item);
                Ok(())
            }
            List::Expr(e) => Err(e),
        }
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(v: Vec<T>) -> Self {
        List::Items(v)
    }
}

impl<T> From<Expr> for List<T> {
    fn from(e: Expr) -> Self {
        List::Expr(e)
    }
}

impl<T> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        List::Items(iter.into_iter().collect())
    }
}

impl<T: PropertyValue> PropertyValue for List<T> {
    fn to_value(&self) -> Value {
        match self {
            List::Items(v) => v.to_value(),
            List::Expr(e) => e.to_value(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PropertyValue;
    use crate::Expr;
    use indexmap::IndexMap;

    #[test]
    fn expressions_are_written_as_they_serialize() {
        let r = || Box::new(Expr::r#ref("R"));
        let vars: IndexMap<String, Expr> =
            [("x".to_string(), Expr::get_att("B", "Arn"))].into_iter().collect();
        for e in [
            Expr::from("text"),
            Expr::Bool(true),
            Expr::Int(-3),
            Expr::Float(1.5),
            Expr::Float(f64::NAN),
            Expr::List(vec![Expr::from("a"), Expr::r#ref("R")]),
            Expr::r#ref("R"),
            Expr::get_att("B", "Arn"),
            Expr::sub("${AWS::Region}"),
            Expr::Sub("${x}".into(), vars),
            Expr::Join(",".into(), vec![Expr::from("a"), Expr::from("b")]),
            Expr::Select(2, r()),
            Expr::Split(",".into(), r()),
            Expr::If("C".into(), r(), r()),
            Expr::ImportValue(r()),
            Expr::GetAzs(r()),
            Expr::Base64(r()),
            Expr::FindInMap("M".into(), r(), r()),
        ] {
            assert_eq!(e.to_value(), serde_json::to_value(&e).unwrap(), "{e:?}");
        }
    }
}
