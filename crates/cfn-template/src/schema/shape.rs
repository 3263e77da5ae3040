//! The value rules of a resource type, as its registry schema states them:
//! an arena of nodes the validator walks over a resource's JSON properties.
//!
//! The generated code writes one [`TypeShape`] per type; node 0 is the
//! resource's properties.

/// The rules of one type.
#[derive(Debug)]
pub struct TypeShape {
    /// The CloudFormation type name.
    pub type_name: &'static str,
    /// The nodes; children refer to each other by index.
    pub nodes: &'static [Node],
    /// The properties of every object node, by ranges of this list.
    pub props: &'static [Prop],
}

/// A property of an object: its name and its node.
#[derive(Debug)]
pub struct Prop(pub &'static str, pub u32);

/// What a value must be.
#[derive(Debug)]
pub enum Node {
    /// A string.
    String(Str),
    /// An integer.
    Integer(Bounds),
    /// A number.
    Number(Bounds),
    /// A boolean.
    Boolean,
    /// Any JSON.
    Json,
    /// An IAM policy document (object or JSON string).
    Policy,
    /// A string, number or boolean.
    Scalar,
    /// A list.
    Array(Items),
    /// A map of chosen keys.
    Map(Entries),
    /// An object of named properties.
    Object(Object),
}

/// Rules of a string.
#[derive(Debug)]
pub struct Str {
    /// The fewest characters.
    pub min: Option<u64>,
    /// The most characters.
    pub max: Option<u64>,
    /// A regular expression it must match (searched, as JSON Schema does).
    pub pattern: Option<&'static str>,
    /// The values it may take; empty for any.
    pub values: &'static [&'static str],
    /// Whether `values` compare ignoring case.
    pub case_insensitive: bool,
}

impl Str {
    /// No rules.
    pub const ANY: Str = Str { min: None, max: None, pattern: None, values: &[], case_insensitive: false };
}

/// Rules of a number.
#[derive(Debug)]
pub struct Bounds {
    /// The least value.
    pub min: Option<f64>,
    /// The greatest value.
    pub max: Option<f64>,
    /// The values it may take; empty for any.
    pub values: &'static [f64],
}

impl Bounds {
    /// No rules.
    pub const ANY: Bounds = Bounds { min: None, max: None, values: &[] };
}

/// Rules of a list.
#[derive(Debug)]
pub struct Items {
    /// The node of every item.
    pub items: u32,
    /// The fewest items.
    pub min: Option<u64>,
    /// The most items.
    pub max: Option<u64>,
    /// Whether items must differ.
    pub unique: bool,
}

/// Rules of a map.
#[derive(Debug)]
pub struct Entries {
    /// The node of every value.
    pub values: u32,
    /// A regular expression every key must match.
    pub key_pattern: Option<&'static str>,
    /// The fewest entries.
    pub min: Option<u64>,
    /// The most entries.
    pub max: Option<u64>,
}

/// Rules of an object.
#[derive(Debug)]
pub struct Object {
    /// The definition's name in the schema (empty for the resource or an inline object).
    pub name: &'static str,
    /// Its properties: `(start, count)` in [`TypeShape::props`].
    pub props: (u32, u32),
    /// Properties that must be set.
    pub required: &'static [&'static str],
    /// Whether properties it does not declare are rejected.
    pub closed: bool,
    /// Whether it may also be given as a string (its JSON text).
    pub or_string: bool,
    /// Exactly one of these must be set.
    pub required_xor: &'static [&'static str],
    /// At least one of these must be set.
    pub required_or: &'static [&'static str],
    /// Exactly one of these groups must be set in full.
    pub one_of: &'static [&'static [&'static str]],
    /// At least one of these groups must be set in full.
    pub any_of: &'static [&'static [&'static str]],
    /// A property that, when set, excludes these.
    pub dependent_excluded: &'static [(&'static str, &'static [&'static str])],
    /// A property that, when set, requires these.
    pub dependent_required: &'static [(&'static str, &'static [&'static str])],
}

impl Object {
    /// A closed object with no rules, to complete with struct update syntax.
    pub const EMPTY: Object = Object {
        name: "",
        props: (0, 0),
        required: &[],
        closed: true,
        or_string: false,
        required_xor: &[],
        required_or: &[],
        one_of: &[],
        any_of: &[],
        dependent_excluded: &[],
        dependent_required: &[],
    };
}

impl TypeShape {
    /// A node by index.
    pub fn node(&self, i: u32) -> &Node {
        &self.nodes[i as usize]
    }

    /// The properties of an object node.
    pub fn props_of(&self, o: &Object) -> &[Prop] {
        let (start, len) = o.props;
        &self.props[start as usize..(start + len) as usize]
    }

    /// The node of the resource's properties.
    pub fn root(&self) -> &Object {
        match &self.nodes[0] {
            Node::Object(o) => o,
            _ => unreachable!("node 0 of a type shape is its properties"),
        }
    }
}
