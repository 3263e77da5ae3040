//! The module's configuration: MDAA's audit keys, their schema and defaults.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The audit module configuration. Every key is optional: without any, the
/// bucket accepts CloudTrail logs and S3 inventories of the deploying
/// account and region only, and no role is granted read access.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "audit module configuration")]
pub struct Config {
    /// Roles that may read the audit data: the bucket's objects, and the key
    /// to decrypt them. Each is one of `arn`, `name` (a role of the deploying
    /// account) or `id` (a role's unique ID, `AROA...`), given as the value or
    /// as `ssm:/parameter/name` holding it. A role named again is the same
    /// role, granted once, as MDAA resolves it once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = crate::MAX_READ_ROLES))]
    pub read_roles: Vec<RoleRef>,

    /// Accounts, besides the deploying one, whose CloudTrail logs and S3
    /// inventories the bucket accepts: 12-digit IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = r"^[0-9]{12}$")))]
    #[schemars(length(max = crate::MAX_SOURCE_ACCOUNTS), extend("uniqueItems" = true))]
    pub source_accounts: Vec<String>,

    /// Regions, besides the deploying one, whose trails may deliver CloudTrail
    /// logs (`eu-west-1`); the CloudTrail table covers the same regions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = r"^[a-z]{2,4}(-[a-z]+){1,3}-[1-9][0-9]?$")))]
    #[schemars(length(max = crate::MAX_SOURCE_REGIONS), extend("uniqueItems" = true))]
    pub source_regions: Vec<String>,

    /// The key prefix S3 inventories are written under, ending in `/`.
    /// Default `inventory/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = DEFAULT_INVENTORY_PREFIX))]
    pub inventory_prefix: Option<String>,

    /// S3 inventories the inventory table reads; without any, there is no
    /// inventory table, and inventories of any bucket of the source accounts
    /// are accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = crate::MAX_INVENTORIES), extend("uniqueItems" = true))]
    pub inventories: Vec<Inventory>,
}

/// A role, by exactly one of its ARN, its name or its unique ID, with
/// MDAA's role-reference options (`MdaaRoleRef`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct RoleRef {
    /// The role's ARN (`arn:aws:iam::111122223333:role/Auditor`); another
    /// account's role may be named so. `{{partition}}` and `{{account}}` stand
    /// for the stack's partition and account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The name of a role of the deploying account, its path looked up when
    /// the stack is deployed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The unique ID of a role of the deploying account (`AROA...`), which a
    /// role recreated under the same name does not have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// With `name`: the role is the one IAM Identity Center made for the
    /// permission set of that name (`AWSReservedSSO_<name>_<16 characters>`),
    /// looked up when the stack is deployed; exactly one such role must exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso: Option<bool>,
    /// MDAA attaches no policy to an immutable role; this module attaches
    /// none to any read role (it grants through the bucket and key
    /// policies), so it changes nothing here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
    /// MDAA's label for the reference (it names MDAA's resolving resource);
    /// it changes nothing in what is granted.
    #[serde(default, rename = "refId", skip_serializing_if = "Option::is_none")]
    pub ref_id: Option<String>,
}

/// How a [`RoleRef`] names its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleBy {
    /// By ARN.
    Arn,
    /// By name.
    Name,
    /// By unique ID.
    Id,
    /// By the name of an IAM Identity Center permission set.
    Sso,
}

impl RoleRef {
    /// How the role is named, and the value; `None` unless exactly one key is set.
    /// `sso` counts only with `name`, as MDAA's resolver reads it.
    pub fn by(&self) -> Option<(RoleBy, &str)> {
        match (&self.arn, &self.name, &self.id) {
            (Some(v), None, None) => Some((RoleBy::Arn, v)),
            (None, Some(v), None) if self.sso == Some(true) => Some((RoleBy::Sso, v)),
            (None, Some(v), None) => Some((RoleBy::Name, v)),
            (None, None, Some(v)) => Some((RoleBy::Id, v)),
            _ => None,
        }
    }
}

/// One S3 inventory of a source bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inventory {
    /// The bucket the inventory lists.
    pub bucket_name: String,
    /// The ID of its inventory configuration.
    pub inventory_name: String,
}

/// The inventory prefix when the configuration sets none.
pub const DEFAULT_INVENTORY_PREFIX: &str = "inventory/";

/// The configuration `synth --module audit` uses without `--config`: no key set.
pub const DEFAULT_CONFIG_YAML: &str = include_str!("../samples/default.yaml");

impl Config {
    /// The inventory prefix, default filled in.
    pub fn inventory_prefix(&self) -> &str {
        self.inventory_prefix.as_deref().unwrap_or(DEFAULT_INVENTORY_PREFIX)
    }
}
