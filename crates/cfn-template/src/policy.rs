//! The IAM policy language: documents, statements, principals and conditions.
//!
//! One type serves key policies, bucket policies, trust policies and identity
//! policies. Lists holding a single value are written as that value, several
//! as an array, as AWS writes them.

use indexmap::IndexMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::value::PropertyValue;
use crate::Expr;

pub use crate::policy_holders::{IdentityPolicy, PolicyResource, ResourcePolicy, COMPANIONS};

/// The policy language version every document uses.
pub const POLICY_VERSION: &str = "2012-10-17";

/// A policy document: a version and its statements.
///
/// ```
/// use cfn_template::policy::{PolicyDocument, Statement};
/// let doc = PolicyDocument::new(vec![Statement::allow()
///     .action("s3:GetObject")
///     .resource("arn:aws:s3:::example/*")]);
/// let json = serde_json::to_value(&doc).unwrap();
/// assert_eq!(json["Statement"][0]["Action"], "s3:GetObject");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyDocument {
    /// The statements, in order.
    pub statements: Vec<Statement>,
}

impl PolicyDocument {
    /// A document of these statements.
    pub fn new(statements: Vec<Statement>) -> Self {
        PolicyDocument { statements }
    }

    /// Appends a statement.
    pub fn push(&mut self, statement: Statement) -> &mut Self {
        self.statements.push(statement);
        self
    }
}

// Documents are written into templates as JSON values, at every synthesis;
// building the value directly is cheaper than serde's value serializer, and
// serializing goes through the same value so there is one way to write them.
impl PolicyDocument {
    /// The document as template JSON.
    pub(crate) fn json(&self) -> Value {
        let mut m = Map::with_capacity(2);
        m.insert("Version".into(), POLICY_VERSION.into());
        m.insert("Statement".into(), Value::Array(self.statements.iter().map(Statement::json).collect()));
        Value::Object(m)
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

/// Whether a statement allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

/// Who a statement is about, in resource and trust policies.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// `"*"`: everyone.
    Any,
    /// Named principals by kind; empty kinds are omitted.
    Of {
        /// `AWS`: accounts, users and roles.
        aws: Vec<Expr>,
        /// `Service`: AWS service principals such as `bedrock.amazonaws.com`.
        service: Vec<Expr>,
        /// `Federated`: identity providers.
        federated: Vec<Expr>,
    },
}

impl Principal {
    /// An `AWS` principal (account root, role or user ARN).
    pub fn aws(p: impl Into<Expr>) -> Principal {
        Principal::Of { aws: vec![p.into()], service: vec![], federated: vec![] }
    }

    /// A `Service` principal.
    pub fn service(p: impl Into<Expr>) -> Principal {
        Principal::Of { aws: vec![], service: vec![p.into()], federated: vec![] }
    }

    /// A `Federated` principal.
    pub fn federated(p: impl Into<Expr>) -> Principal {
        Principal::Of { aws: vec![], service: vec![], federated: vec![p.into()] }
    }

    /// `Service` principals: several services in one statement.
    pub fn services<I: IntoIterator<Item = E>, E: Into<Expr>>(services: I) -> Principal {
        Principal::Of {
            aws: vec![],
            service: services.into_iter().map(Into::into).collect(),
            federated: vec![],
        }
    }

    /// Adds an `AWS` principal. [`Principal::Any`] already names everyone,
    /// so adding to it starts a list of named principals instead.
    pub fn and_aws(self, p: impl Into<Expr>) -> Principal {
        self.push(|of| &mut of.0, p.into())
    }

    /// Adds a `Service` principal.
    pub fn and_service(self, p: impl Into<Expr>) -> Principal {
        self.push(|of| &mut of.1, p.into())
    }

    /// Adds a `Federated` principal.
    pub fn and_federated(self, p: impl Into<Expr>) -> Principal {
        self.push(|of| &mut of.2, p.into())
    }

    fn push(
        self,
        kind: impl FnOnce(&mut (Vec<Expr>, Vec<Expr>, Vec<Expr>)) -> &mut Vec<Expr>,
        p: Expr,
    ) -> Principal {
        let mut of = match self {
            Principal::Any => (vec![], vec![], vec![]),
            Principal::Of { aws, service, federated } => (aws, service, federated),
        };
        kind(&mut of).push(p);
        let (aws, service, federated) = of;
        Principal::Of { aws, service, federated }
    }
}

/// A list written as its single value when it has one.
fn one_or_many(items: &[Expr]) -> Value {
    match items {
        [one] => one.to_value(),
        many => Value::Array(many.iter().map(PropertyValue::to_value).collect()),
    }
}

impl Principal {
    fn json(&self) -> Value {
        match self {
            Principal::Any => "*".into(),
            Principal::Of { aws, service, federated } => {
                let mut m = Map::new();
                for (key, vals) in [("AWS", aws), ("Service", service), ("Federated", federated)] {
                    if !vals.is_empty() {
                        m.insert(key.into(), one_or_many(vals));
                    }
                }
                Value::Object(m)
            }
        }
    }
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

/// Condition blocks: operator (`StringEquals`) → key (`aws:SourceAccount`) → values.
pub type Conditions = IndexMap<String, IndexMap<String, Vec<Expr>>>;

/// One statement of a policy document, built fluently.
///
/// ```
/// use cfn_template::policy::{Principal, Statement};
/// use cfn_template::{Expr, Pseudo};
/// let s = Statement::allow()
///     .principal(Principal::service("bedrock.amazonaws.com"))
///     .action("sts:AssumeRole")
///     .condition("StringEquals", "aws:SourceAccount", Expr::pseudo(Pseudo::AccountId));
/// assert_eq!(
///     serde_json::to_value(&s).unwrap()["Condition"]["StringEquals"]["aws:SourceAccount"]["Ref"],
///     "AWS::AccountId"
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Sid`: an identifier, unique within the document.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal`.
    pub principal: Option<Principal>,
    /// `NotPrincipal`.
    pub not_principal: Option<Principal>,
    /// `Action`.
    pub actions: Vec<Expr>,
    /// `NotAction`.
    pub not_actions: Vec<Expr>,
    /// `Resource`.
    pub resources: Vec<Expr>,
    /// `NotResource`.
    pub not_resources: Vec<Expr>,
    /// `Condition`.
    pub conditions: Conditions,
}

impl Statement {
    /// A statement with the given effect and nothing else.
    pub fn new(effect: Effect) -> Self {
        Statement {
            sid: None,
            effect,
            principal: None,
            not_principal: None,
            actions: vec![],
            not_actions: vec![],
            resources: vec![],
            not_resources: vec![],
            conditions: IndexMap::new(),
        }
    }

    /// An `Allow` statement.
    pub fn allow() -> Self {
        Statement::new(Effect::Allow)
    }

    /// A `Deny` statement.
    pub fn deny() -> Self {
        Statement::new(Effect::Deny)
    }

    /// Sets the `Sid`.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// Sets the `Principal`.
    pub fn principal(mut self, p: Principal) -> Self {
        self.principal = Some(p);
        self
    }

    /// Sets the `NotPrincipal`.
    pub fn not_principal(mut self, p: Principal) -> Self {
        self.not_principal = Some(p);
        self
    }

    /// Adds an action.
    pub fn action(mut self, a: impl Into<Expr>) -> Self {
        self.actions.push(a.into());
        self
    }

    /// Adds actions.
    pub fn actions<I: IntoIterator<Item = S>, S: Into<Expr>>(mut self, a: I) -> Self {
        self.actions.extend(a.into_iter().map(Into::into));
        self
    }

    /// Adds a `NotAction` entry.
    pub fn not_action(mut self, a: impl Into<Expr>) -> Self {
        self.not_actions.push(a.into());
        self
    }

    /// Adds `NotAction` entries.
    pub fn not_actions<I: IntoIterator<Item = S>, S: Into<Expr>>(mut self, a: I) -> Self {
        self.not_actions.extend(a.into_iter().map(Into::into));
        self
    }

    /// Adds a resource.
    pub fn resource(mut self, r: impl Into<Expr>) -> Self {
        self.resources.push(r.into());
        self
    }

    /// Adds resources.
    pub fn resources<I: IntoIterator<Item = E>, E: Into<Expr>>(mut self, r: I) -> Self {
        self.resources.extend(r.into_iter().map(Into::into));
        self
    }

    /// Adds a `NotResource` entry.
    pub fn not_resource(mut self, r: impl Into<Expr>) -> Self {
        self.not_resources.push(r.into());
        self
    }

    /// Adds `NotResource` entries.
    pub fn not_resources<I: IntoIterator<Item = E>, E: Into<Expr>>(mut self, r: I) -> Self {
        self.not_resources.extend(r.into_iter().map(Into::into));
        self
    }

    /// Adds values to a condition (`operator` → `key` → values); a key with
    /// several values matches any of them.
    pub fn condition_values<I: IntoIterator<Item = E>, E: Into<Expr>>(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        values: I,
    ) -> Self {
        self.conditions
            .entry(operator.into())
            .or_default()
            .entry(key.into())
            .or_default()
            .extend(values.into_iter().map(Into::into));
        self
    }

    /// Adds a value to a condition (`operator` → `key` → values).
    pub fn condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<Expr>,
    ) -> Self {
        self.conditions.entry(operator.into()).or_default().entry(key.into()).or_default().push(value.into());
        self
    }
}

impl Statement {
    fn json(&self) -> Value {
        let mut m = Map::new();
        if let Some(sid) = &self.sid {
            m.insert("Sid".into(), sid.as_str().into());
        }
        let effect = match self.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        m.insert("Effect".into(), effect.into());
        if let Some(p) = &self.principal {
            m.insert("Principal".into(), p.json());
        }
        if let Some(p) = &self.not_principal {
            m.insert("NotPrincipal".into(), p.json());
        }
        for (key, items) in [
            ("Action", &self.actions),
            ("NotAction", &self.not_actions),
            ("Resource", &self.resources),
            ("NotResource", &self.not_resources),
        ] {
            if !items.is_empty() {
                m.insert(key.into(), one_or_many(items));
            }
        }
        if !self.conditions.is_empty() {
            let block = self.conditions.iter().map(|(op, keys)| {
                let keys = keys.iter().map(|(k, v)| (k.clone(), one_or_many(v))).collect();
                (op.clone(), Value::Object(keys))
            });
            m.insert("Condition".into(), Value::Object(block.collect()));
        }
        Value::Object(m)
    }
}

impl Serialize for Statement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}
