//! The result of a diff, as data: what the renderers show and the JSON
//! output holds (its schema is `schema/diff.schema.json`).

use crate::policy::{Statement, StatementChanges};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// The version of the JSON output's shape; it changes when a field's
/// meaning does, not when fields are added.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything that differs between two templates, most dangerous first.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateDiff {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Counts, and the summary line.
    pub summary: Summary,
    /// Changed resources, most dangerous first.
    pub resources: Vec<ResourceChange>,
    /// Security-relevant changes, broadening first.
    pub security: Vec<SecurityChange>,
    /// Changes outside `Resources`: parameters, outputs, conditions,
    /// mappings, rules and top-level keys.
    pub sections: Vec<SectionChange>,
}

/// How many changes of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Resources the stack lets go of while they (or a snapshot) stay in the
    /// account; each is also counted as removed, renamed or replaced.
    pub orphaned: usize,
    /// Resources replaced (deleted and created anew), type changes included.
    pub replaced: usize,
    /// Resources that may be replaced, depending on values known only at deploy time.
    pub may_replace: usize,
    /// Resources updated in place.
    pub updated: usize,
    /// Resources added.
    pub added: usize,
    /// Resources removed (and deleted).
    pub removed: usize,
    /// Resources whose logical ID changed with nothing else.
    pub renamed: usize,
    /// Security changes.
    pub security: usize,
    /// Security changes that broaden access or weaken protection.
    pub security_broadening: usize,
    /// Changes outside `Resources`.
    pub other: usize,
    /// The one-line summary the renderers print.
    pub line: String,
}

/// What happened to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new template.
    Added,
    /// Only in the old template.
    Removed,
    /// In both, with differences.
    Modified,
    /// In both, with another type (a replacement).
    TypeChanged,
    /// Removed under one logical ID and added, otherwise equal, under another.
    Renamed,
}

/// What deploying the change does to the resource, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Nothing happens to the resource (`Metadata`, `DependsOn`, policies of the stack).
    None,
    /// Updated in place.
    Update,
    /// Replaced or not, depending on values known only at deploy time.
    MayReplace,
    /// Replaced: a new one is created and the old one deleted.
    Replace,
    /// Created.
    Create,
    /// Deleted.
    Destroy,
}

/// A resource the stack lets go of that stays in the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Orphaning {
    /// The attribute that keeps it: `DeletionPolicy` or `UpdateReplacePolicy`.
    pub attribute: String,
    /// Its value: `Retain`, `RetainExceptOnCreate` or `Snapshot`.
    pub policy: String,
    /// What stays behind, in words.
    pub consequence: String,
}

/// A change of the resource's physical name (a create-only name property).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhysicalName {
    /// The property (`BucketName`, `RoleName`).
    pub property: String,
    /// The old name, when set.
    pub old: Option<Value>,
    /// The new name, when set.
    pub new: Option<Value>,
}

/// One resource that differs.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceChange {
    /// Its logical ID (the new one for a rename).
    pub logical_id: String,
    /// The old logical ID of a renamed resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_logical_id: Option<String>,
    /// What happened to it.
    pub kind: ChangeKind,
    /// Its type in the old template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_type: Option<String>,
    /// Its type in the new template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_type: Option<String>,
    /// What deploying does to it.
    pub impact: Impact,
    /// How dangerous this is, from 0 (most) to 7: the sort order.
    pub rank: u8,
    /// Set when the stack lets go of a resource that stays in the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orphans: Option<Orphaning>,
    /// Physical names that change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub physical_names: Vec<PhysicalName>,
    /// Property changes, worst first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<PropertyChange>,
    /// Resource attribute changes (`DeletionPolicy`, `DependsOn`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeChange>,
    /// What a reviewer should know besides (name conflicts, hints).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One property that differs.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyChange {
    /// The path under `Properties`, for people (`Tags[Key=env].Value`).
    pub path: String,
    /// The same as a JSON pointer into the resource (`/properties/Tags/0/Value`).
    pub pointer: String,
    /// The old value; absent when the property is new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value; absent when the property is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// What this change does to the resource.
    pub impact: Impact,
    /// Why it has that impact.
    pub reason: String,
    /// Set when the value itself is unchanged but what it reads changes: the
    /// logical ID of a resource that is (or may be) replaced, or
    /// `Parameters.<name>` (a changed `Default`) or `Mappings.<name>` (a
    /// changed value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caused_by: Option<String>,
    /// A unified line diff, for long or multi-line strings (inline code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_diff: Option<String>,
    /// For policy documents: the statements added and removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statements: Option<StatementChanges>,
}

/// One resource attribute that differs.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeChange {
    /// `DeletionPolicy`, `UpdateReplacePolicy`, `DependsOn`, `Condition`, `Metadata`, ...
    pub attribute: String,
    /// The old value, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// What it means.
    pub meaning: String,
}

/// What a security change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Grants more, or protects less.
    Broadens,
    /// Changes without a clear direction (a key swapped for another).
    Changes,
    /// Grants less, or protects more.
    Narrows,
}

/// The kind of a security change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecurityCategory {
    /// A policy statement added, removed or changed.
    PolicyStatement,
    /// A managed policy attached or detached, or a policy attached to more or fewer principals.
    PolicyAttachment,
    /// Encryption removed, weakened or its key swapped.
    Encryption,
    /// Public access blocks or settings loosened or tightened.
    PublicAccess,
    /// A deny of requests without TLS dropped, narrowed or added.
    TlsOnly,
    /// Log or object retention shortened or lengthened.
    Retention,
    /// A retaining `DeletionPolicy`/`UpdateReplacePolicy` dropped or added.
    RetainPolicy,
    /// Key rotation, versioning, deletion protection or backups turned off or on.
    DataProtection,
    /// A security group rule added, removed or changed: what traffic may
    /// reach (ingress) or leave (egress) what the group is attached to.
    SecurityGroup,
    /// Logging or an audit trail turned off, reduced, or turned on.
    Logging,
}

/// A change a security reviewer should see.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityChange {
    /// The resource (its new logical ID when it has one).
    pub logical_id: String,
    /// Its type.
    pub resource_type: String,
    /// What kind of change.
    pub category: SecurityCategory,
    /// Broadens, narrows, or changes.
    pub direction: Direction,
    /// The property path, when the change is in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// For policy statements: `identity`, `resource` or `trust`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_kind: Option<String>,
    /// What changed, in words.
    pub description: String,
    /// The statement concerned, for policy statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Statement>,
    /// The rule concerned, for security group changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<NetworkRule>,
    /// The template conditions under which the change happens
    /// (`condition IsProd holds`), when it happens under some only: it
    /// comes from a branch of an `Fn::If`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// What the property means, with its units and what leaving it out
    /// means, for changes of a setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
    /// Where that meaning is documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Which way a security group rule lets traffic through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// Traffic coming in to what the group is attached to.
    Ingress,
    /// Traffic going out.
    Egress,
}

/// A security group rule, read alike from a group's inline
/// `SecurityGroupIngress`/`SecurityGroupEgress` and from the
/// `AWS::EC2::SecurityGroupIngress`/`Egress` resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkRule {
    /// The group the rule belongs to: its logical ID, or the `GroupId` as written.
    pub group: String,
    /// Ingress or egress.
    pub flow: Flow,
    /// `all`, `tcp`, `udp`, `icmp`, `icmpv6`, or the protocol number as written.
    pub protocol: String,
    /// The ports (`22`, `1024-65535`, `all`), or the ICMP type and code.
    pub ports: String,
    /// The other side: a CIDR (`0.0.0.0/0`), a prefix list, or a security group.
    pub peer: String,
    /// Whether the other side is anyone on the internet (`0.0.0.0/0`,
    /// `::/0`, or a parameter whose default is one of them).
    pub open_to_world: bool,
    /// Set for the rule EC2 adds itself to a group given no egress rules.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub implicit: bool,
}

/// A change outside `Resources`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionChange {
    /// `Parameters`, `Outputs`, `Conditions`, `Mappings`, `Rules`, or a top-level key.
    pub section: String,
    /// The entry's name within the section; absent for a top-level key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Added, removed or modified (never a type change or rename).
    pub kind: ChangeKind,
    /// The old value, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// The parts that differ, for modified entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<PropertyChange>,
    /// What a reviewer should know (exports in use, values following a replacement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl TemplateDiff {
    /// Whether the two templates mean the same.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.sections.is_empty() && self.security.is_empty()
    }
}
