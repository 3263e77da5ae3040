//! Who a resource policy lets in, and on what conditions.

use cfn_template::policy::{Conditions, Principal, Statement};
use cfn_template::{Expr, Pseudo};

/// A principal a building block's resource policy (key policy, bucket
/// policy) lets in, with its statement ID and conditions.
///
/// ```
/// use cfn_constructs::Grant;
/// use cfn_template::Expr;
/// let trail = Grant::service("cloudtrail.amazonaws.com")
///     .sid("CloudTrailWrites")
///     .from_this_account()
///     .from_source(Expr::sub("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*"))
///     .condition("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control");
/// # let _ = trail;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    sid: Option<String>,
    principal: Principal,
    conditions: Vec<(String, String, Vec<Expr>)>,
}

impl Grant {
    /// A grant to a principal.
    pub fn to(principal: Principal) -> Grant {
        Grant { sid: None, principal, conditions: Vec::new() }
    }

    /// A grant to a service principal, such as `bedrock.amazonaws.com`.
    pub fn service(service: impl Into<Expr>) -> Grant {
        Grant::to(Principal::service(service))
    }

    /// A grant to an IAM principal (a role or account ARN).
    pub fn aws(arn: impl Into<Expr>) -> Grant {
        Grant::to(Principal::aws(arn))
    }

    /// Sets the statement ID.
    pub fn sid(mut self, sid: impl Into<String>) -> Grant {
        self.sid = Some(sid.into());
        self
    }

    /// Adds a condition (`operator` → `key` → value); a key given several
    /// values matches any of them.
    pub fn condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<Expr>,
    ) -> Grant {
        let (operator, key) = (operator.into(), key.into());
        match self.conditions.iter_mut().find(|(o, k, _)| *o == operator && *k == key) {
            Some((_, _, values)) => values.push(value.into()),
            None => self.conditions.push((operator, key, vec![value.into()])),
        }
        self
    }

    /// Only on behalf of this account (`aws:SourceAccount`): half of the
    /// confused-deputy conditions a service grant needs.
    pub fn from_this_account(self) -> Grant {
        self.condition("StringEquals", "aws:SourceAccount", Expr::pseudo(Pseudo::AccountId))
    }

    /// Only for requests from sources matching `arn` (`aws:SourceArn`): the
    /// other half.
    pub fn from_source(self, arn: impl Into<Expr>) -> Grant {
        self.condition("ArnLike", "aws:SourceArn", arn)
    }

    /// The principal.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// An `Allow` statement of this grant for `actions` on `resources`.
    pub fn statement<A: Into<Expr>>(
        &self,
        actions: impl IntoIterator<Item = A>,
        resources: Vec<Expr>,
    ) -> Statement {
        let mut s =
            Statement::allow().principal(self.principal.clone()).actions(actions).resources(resources);
        s.sid = self.sid.clone();
        let mut conditions = Conditions::new();
        for (operator, key, values) in &self.conditions {
            conditions.entry(operator.clone()).or_default().insert(key.clone(), values.clone());
        }
        s.conditions = conditions;
        s
    }
}
