//! Resource attributes: `DependsOn`, `DeletionPolicy`,
//! `UpdateReplacePolicy`, `Condition` and `Metadata`.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use crate::Handle;

/// What happens to a resource's physical resource when the stack deletes or
/// replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Policy {
    /// Delete it (CloudFormation's default for most types).
    Delete,
    /// Keep it, outside the stack.
    Retain,
    /// Keep it, unless the stack's creation itself fails.
    RetainExceptOnCreate,
    /// Snapshot it, then delete (types that support snapshots).
    Snapshot,
}

/// Resource attributes: dependencies, retention, condition and metadata.
///
/// ```
/// use cfn_template::Attributes;
/// let a = Attributes::new().retain().metadata("cfn_nag", serde_json::json!({}));
/// # let _ = a;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes {
    /// `DependsOn`: logical IDs created before this resource.
    pub depends_on: Vec<String>,
    /// `DeletionPolicy`.
    pub deletion_policy: Option<Policy>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<Policy>,
    /// `Condition`: the resource exists only when this condition holds.
    pub condition: Option<String>,
    /// `Metadata`, by key.
    pub metadata: IndexMap<String, Value>,
}

impl Attributes {
    /// No attributes.
    pub fn new() -> Self {
        Attributes::default()
    }

    /// Adds a `DependsOn` on another resource (once, however often it is added).
    pub fn depends_on<T>(self, other: &Handle<T>) -> Self {
        self.depends_on_id(other.logical_id())
    }

    /// Adds a `DependsOn` by logical ID (once, however often it is added).
    pub fn depends_on_id(mut self, logical_id: impl Into<String>) -> Self {
        let id = logical_id.into();
        if !self.depends_on.contains(&id) {
            self.depends_on.push(id);
        }
        self
    }

    /// `DeletionPolicy` and `UpdateReplacePolicy` both `Retain`: the
    /// resource survives stack deletion and replacement.
    pub fn retain(self) -> Self {
        self.deletion_policy(Policy::Retain).update_replace_policy(Policy::Retain)
    }

    /// Sets the `DeletionPolicy`.
    pub fn deletion_policy(mut self, p: Policy) -> Self {
        self.deletion_policy = Some(p);
        self
    }

    /// Sets the `UpdateReplacePolicy`.
    pub fn update_replace_policy(mut self, p: Policy) -> Self {
        self.update_replace_policy = Some(p);
        self
    }

    /// Sets the `Condition`.
    pub fn condition(mut self, name: impl Into<String>) -> Self {
        self.condition = Some(name.into());
        self
    }

    /// Sets a `Metadata` key, replacing a previous value of that key.
    pub fn metadata(mut self, key: impl Into<String>, value: Value) -> Self {
        self.metadata.insert(key.into(), value);
        self
    }
}
