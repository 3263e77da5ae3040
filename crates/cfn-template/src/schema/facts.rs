//! What the registry schemas say of each resource type, as data: which
//! property changes replace a resource, its identifiers and attributes, its
//! tagging. Every type is here whatever Cargo features are on, so tools can
//! read any template, including ones this library did not write.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The facts of one resource type. Property paths are JSON pointers into
/// the resource (`/properties/Name/Nested`), with `*` for every list item.
#[derive(Debug)]
pub struct TypeFacts {
    /// The type name, such as `AWS::S3::Bucket`.
    pub type_name: &'static str,
    /// The Cargo feature that compiles its typed struct.
    pub feature: &'static str,
    /// Its page in the CloudFormation resource reference.
    pub documentation: &'static str,
    /// Its writable top-level properties.
    pub properties: &'static [&'static str],
    /// The top-level properties it requires.
    pub required: &'static [&'static str],
    /// What `Fn::GetAtt` can read (`Arn`, `Endpoint.Address`).
    pub attributes: &'static [&'static str],
    /// Attribute prefixes named at deploy time (`Outputs.` of a stack).
    pub attribute_prefixes: &'static [&'static str],
    /// Whether any attribute name is accepted (a custom resource).
    pub any_attribute: bool,
    /// The properties that identify a resource (what `Ref` usually returns).
    pub primary_identifier: &'static [&'static str],
    /// Properties whose change replaces the resource, as the registry schema
    /// lists them (`createOnlyProperties`).
    pub create_only: &'static [&'static str],
    /// Properties whose change may replace the resource, depending on the
    /// change (`conditionalCreateOnlyProperties`).
    pub conditional_create_only: &'static [&'static str],
    /// Properties whose change replaces the resource though the registry
    /// schema does not say so: the CloudFormation resource specification's
    /// `UpdateType: Immutable`, from AWS's CDK service-spec database.
    pub spec_create_only: &'static [&'static str],
    /// Properties whose change may replace the resource by the same source
    /// (`UpdateType: Conditional`).
    pub spec_conditional_create_only: &'static [&'static str],
    /// Properties CloudFormation sets (attributes), never the template.
    pub read_only: &'static [&'static str],
    /// Properties CloudFormation does not return once set (secrets, for example).
    pub write_only: &'static [&'static str],
    /// Properties the schema marks deprecated.
    pub deprecated: &'static [&'static str],
    /// Lists whose order means nothing (`insertionOrder: false`).
    pub unordered: &'static [&'static str],
    /// Properties holding IAM policy documents, and of what kind.
    pub policies: &'static [(&'static str, PolicyKind)],
    /// How it takes tags.
    pub tagging: Tagging,
    /// In which order a replacement happens.
    pub replacement: Replacement,
}

/// What a policy document governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// What a principal may do (attached to a role, user or group).
    Identity,
    /// Who may use a resource (key, bucket, topic, queue policies).
    Resource,
    /// Who may assume a role.
    Trust,
}

/// The tagging facts of a type.
#[derive(Debug)]
pub struct Tagging {
    /// Whether the type takes tags.
    pub taggable: bool,
    /// Whether tags can be set at creation.
    pub tag_on_create: bool,
    /// Whether tags can be changed without replacement.
    pub tag_updatable: bool,
    /// Whether CloudFormation adds its `aws:cloudformation:*` tags.
    pub cloudformation_system_tags: bool,
    /// The property that holds the tags, as a pointer (`/properties/Tags`).
    pub property: Option<&'static str>,
    /// The shape of that property.
    pub shape: TagShape,
}

/// How a type's tag property holds its tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagShape {
    /// A list of `{"Key": ..., "Value": ...}`.
    List,
    /// A map of keys to values.
    Map,
    /// Another shape (nested in a specification, for example).
    Other,
    /// No tag property.
    None,
}

/// The order of a replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    /// The new resource is created before the old one is deleted (the default).
    CreateThenDelete,
    /// The old resource is deleted first: the type cannot have two at once.
    DeleteThenCreate,
}

/// Where a replacement fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactSource {
    /// The CloudFormation registry schema (`createOnlyProperties`,
    /// `conditionalCreateOnlyProperties`).
    Registry,
    /// The CloudFormation resource specification's `UpdateType`, with the
    /// CDK's patches, as AWS's CDK service-spec database records it.
    Specification,
}

/// What replacing a property does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateEffect {
    /// Updated in place.
    InPlace,
    /// Replaced, depending on the change.
    MayReplace,
    /// Replaced.
    Replace,
}

/// Whether a concrete path (`/properties/Rules/0/Id`, list indexes as
/// numbers) falls under a schema path (`/properties/Rules/*/Id`).
fn under(concrete: &str, schema_path: &str) -> bool {
    let mut c = concrete.split('/');
    for s in schema_path.split('/') {
        match c.next() {
            Some(part) if s == "*" || s == part => {}
            _ => return false,
        }
    }
    true
}

/// A property whose update CloudFormation has been seen to perform otherwise
/// than the registry schema says, with the evidence. The schema's
/// `createOnlyProperties` decide what [`TypeFacts::update_effect`] answers
/// for every other property.
#[derive(Debug)]
pub struct Correction {
    /// The type, such as `AWS::S3::Bucket`.
    pub type_name: &'static str,
    /// The property, as a schema path (`/properties/ObjectLockEnabled`).
    pub path: &'static str,
    /// What changing it does, in the correction's reading.
    pub effect: UpdateEffect,
    /// Why, and where that is documented or observed.
    pub reason: &'static str,
}

/// The corrections, few and each with its source.
pub const CORRECTIONS: &[Correction] = &[Correction {
    type_name: "AWS::S3::Bucket",
    path: "/properties/ObjectLockEnabled",
    effect: UpdateEffect::MayReplace,
    reason: "the registry schema updates ObjectLockEnabled in place, but the CloudFormation resource \
             specification (UpdateType: Immutable) and the resource reference documented it as \
             \"Update requires: Replacement\", and a change set of 2024 \
             turning it on for an existing bucket showed requiresRecreation Always \
             (aws-cloudformation/cloudformation-coverage-roadmap#1929, open); \
             ObjectLockConfiguration alone updates in place by both",
}];

impl TypeFacts {
    /// The correction of the schema for a concrete path, if one applies.
    pub fn correction(&self, path: &str) -> Option<&'static Correction> {
        CORRECTIONS.iter().find(|c| c.type_name == self.type_name && under(path, c.path))
    }

    /// Whether `Fn::GetAtt` can read `attribute`.
    pub fn has_attribute(&self, attribute: &str) -> bool {
        self.any_attribute
            || self.attributes.contains(&attribute)
            || self.attribute_prefixes.iter().any(|p| attribute.starts_with(p) && attribute.len() > p.len())
    }

    /// What changing the value at a concrete path does (a change inside a
    /// create-only property replaces the resource too).
    pub fn update_effect(&self, path: &str) -> UpdateEffect {
        match self.correction(path) {
            Some(c) => c.effect,
            None => self.replacement(path).0,
        }
    }

    /// What changing the value at a concrete path does, and which source
    /// says so (`None` for an in-place update). The registry's facts come
    /// first; the specification's only add to them.
    ///
    /// ```
    /// use cfn_template::schema::facts::{facts, FactSource, UpdateEffect};
    /// let record = facts("AWS::Route53::RecordSet").unwrap();
    /// assert_eq!(record.replacement("/properties/HostedZoneId"), (UpdateEffect::Replace, Some(FactSource::Registry)));
    /// assert_eq!(record.replacement("/properties/Name"), (UpdateEffect::Replace, Some(FactSource::Specification)));
    /// assert_eq!(record.replacement("/properties/TTL"), (UpdateEffect::InPlace, None));
    /// ```
    pub fn replacement(&self, path: &str) -> (UpdateEffect, Option<FactSource>) {
        let lists = [
            (self.create_only, UpdateEffect::Replace, FactSource::Registry),
            (self.conditional_create_only, UpdateEffect::MayReplace, FactSource::Registry),
            (self.spec_create_only, UpdateEffect::Replace, FactSource::Specification),
            (self.spec_conditional_create_only, UpdateEffect::MayReplace, FactSource::Specification),
        ];
        lists
            .iter()
            .find(|(paths, ..)| paths.iter().any(|p| under(path, p)))
            .map_or((UpdateEffect::InPlace, None), |(_, effect, source)| (*effect, Some(*source)))
    }

    /// The paths that replace (`UpdateEffect::Replace`) or may replace the
    /// resource, with their source, registry first.
    pub fn replacing_paths(&self) -> impl Iterator<Item = (&'static str, UpdateEffect, FactSource)> + '_ {
        let list =
            |paths: &'static [&'static str], effect, source| paths.iter().map(move |p| (*p, effect, source));
        list(self.create_only, UpdateEffect::Replace, FactSource::Registry)
            .chain(list(self.conditional_create_only, UpdateEffect::MayReplace, FactSource::Registry))
            .chain(list(self.spec_create_only, UpdateEffect::Replace, FactSource::Specification))
            .chain(list(
                self.spec_conditional_create_only,
                UpdateEffect::MayReplace,
                FactSource::Specification,
            ))
    }

    /// Whether the list at a concrete path is unordered.
    pub fn is_unordered(&self, path: &str) -> bool {
        self.unordered.iter().any(|p| under(path, p) && p.split('/').count() == path.split('/').count())
    }

    /// The kind of policy document at a concrete path, if one is there.
    pub fn policy_at(&self, path: &str) -> Option<PolicyKind> {
        self.policies
            .iter()
            .find(|(p, _)| under(path, p) && p.split('/').count() == path.split('/').count())
            .map(|(_, k)| *k)
    }
}

/// The facts of a type, by name.
///
/// ```
/// use cfn_template::schema::facts::{facts, UpdateEffect};
/// let bucket = facts("AWS::S3::Bucket").unwrap();
/// assert_eq!(bucket.update_effect("/properties/BucketName"), UpdateEffect::Replace);
/// assert!(bucket.has_attribute("Arn") && !bucket.has_attribute("Arnn"));
/// assert!(facts("AWS::S3::Buckt").is_none());
/// ```
pub fn facts(type_name: &str) -> Option<&'static TypeFacts> {
    let t = table();
    let i = *t.index.get(type_name)?;
    Some(t.parsed[i].get_or_init(|| parse_line(t.lines[i])))
}

/// Every type the schemas describe, sorted by name.
pub fn all() -> &'static [TypeFacts] {
    static ALL: OnceLock<Vec<TypeFacts>> = OnceLock::new();
    ALL.get_or_init(|| table().lines.iter().map(|l| parse_line(l)).collect())
}

/// The table's lines, each read into facts when first asked for: a
/// synthesis asks for a few types of 1,854.
struct Table {
    lines: Vec<&'static str>,
    /// The line of each type name: a synthesis looks a type up several
    /// times per resource.
    index: HashMap<&'static str, usize>,
    parsed: Vec<OnceLock<TypeFacts>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let lines: Vec<&'static str> =
            crate::generated::facts::TABLE.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
        let index = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.split_once('\t').map_or(*l, |(name, _)| name), i))
            .collect();
        let parsed = lines.iter().map(|_| OnceLock::new()).collect();
        Table { lines, index, parsed }
    })
}

/// One line of the generated table (see `generated/facts.rs`). The table
/// is the generator's output, so a malformed line is a bug here, not input.
fn parse_line(line: &'static str) -> TypeFacts {
    let c: Vec<&'static str> = line.split('\t').collect();
    assert_eq!(c.len(), 22, "a facts line has 22 columns: {line}");
    let text = |i: usize| Some(c[i]).filter(|s| *s != "-");
    let list = |i: usize| -> &'static [&'static str] {
        match text(i) {
            None => &[],
            Some(s) => Box::leak(s.split(' ').collect::<Vec<_>>().into_boxed_slice()),
        }
    };
    let policies: &'static [(&'static str, PolicyKind)] = match text(15) {
        None => &[],
        Some(s) => Box::leak(
            s.split(' ')
                .map(|p| {
                    let (path, kind) = p.rsplit_once('=').expect("path=kind");
                    let kind = match kind {
                        "identity" => PolicyKind::Identity,
                        "resource" => PolicyKind::Resource,
                        _ => PolicyKind::Trust,
                    };
                    (path, kind)
                })
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
    };
    let flags = c[16].as_bytes();
    TypeFacts {
        type_name: c[0],
        feature: c[1],
        documentation: c[2],
        properties: list(3),
        required: list(4),
        attributes: list(5),
        attribute_prefixes: list(6),
        any_attribute: c[7] == "1",
        primary_identifier: list(8),
        create_only: list(9),
        conditional_create_only: list(10),
        read_only: list(11),
        write_only: list(12),
        deprecated: list(13),
        unordered: list(14),
        policies,
        tagging: Tagging {
            taggable: flags[0] == b'1',
            tag_on_create: flags[1] == b'1',
            tag_updatable: flags[2] == b'1',
            cloudformation_system_tags: flags[3] == b'1',
            property: text(17),
            shape: match c[18] {
                "list" => TagShape::List,
                "map" => TagShape::Map,
                "other" => TagShape::Other,
                _ => TagShape::None,
            },
        },
        spec_create_only: list(20),
        spec_conditional_create_only: list(21),
        replacement: if c[19] == "delete-then-create" {
            Replacement::DeleteThenCreate
        } else {
            Replacement::CreateThenDelete
        },
    }
}

#[cfg(test)]
mod tests {
    use super::under;

    #[test]
    fn concrete_paths_fall_under_schema_paths() {
        assert!(under("/properties/A/0/B", "/properties/A/*/B"));
        assert!(under("/properties/A/0/B/C", "/properties/A/*/B"));
        assert!(!under("/properties/A", "/properties/A/*/B"));
        assert!(!under("/properties/AB", "/properties/A"));
    }
}
