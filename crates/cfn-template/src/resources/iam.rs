//! `AWS::IAM::Role`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::Policy`.

use serde::Serialize;
use serde_with::skip_serializing_none;

use super::{resource_type, Tag};
use crate::policy::PolicyDocument;
use crate::{names, values};
use crate::{Expr, Handle};

/// `AWS::IAM::Role`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    /// `RoleName`: at most 64 characters.
    pub role_name: Option<Expr>,
    /// `Description`.
    pub description: Option<Expr>,
    /// `AssumeRolePolicyDocument`: the trust policy.
    pub assume_role_policy_document: PolicyDocument,
    /// `ManagedPolicyArns`.
    pub managed_policy_arns: Option<Vec<Expr>>,
    /// `MaxSessionDuration` in seconds.
    pub max_session_duration: Option<u32>,
    /// `Path`.
    pub path: Option<Expr>,
    /// `PermissionsBoundary`.
    pub permissions_boundary: Option<Expr>,
    /// `Policies`: inline policies.
    pub policies: Option<Vec<InlinePolicy>>,
    /// `Tags`.
    pub tags: Option<Vec<Tag>>,
}
resource_type!(Role, "AWS::IAM::Role", role_problems);

fn role_problems(r: &Role) -> Vec<String> {
    let mut p = names::role_problems(r);
    p.extend(values::empty_policy_problem("AssumeRolePolicyDocument", &r.assume_role_policy_document));
    for inline in r.policies.iter().flatten() {
        p.extend(values::empty_policy_problem("Policies[].PolicyDocument", &inline.policy_document));
    }
    p
}

impl Handle<Role> {
    /// The role's ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Expr {
        self.get_att("Arn")
    }

    /// The role's unique ID (`Fn::GetAtt RoleId`).
    pub fn role_id(&self) -> Expr {
        self.get_att("RoleId")
    }

    /// The role's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.r#ref()
    }
}

/// An inline policy of a role (`Policy` property type).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    /// `PolicyName`.
    pub policy_name: Expr,
    /// `PolicyDocument`.
    pub policy_document: PolicyDocument,
}

/// `AWS::IAM::ManagedPolicy`: a customer-managed policy.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicy {
    /// `ManagedPolicyName`: at most 128 characters.
    pub managed_policy_name: Option<Expr>,
    /// `Description`.
    pub description: Option<Expr>,
    /// `Path`.
    pub path: Option<Expr>,
    /// `PolicyDocument`.
    pub policy_document: PolicyDocument,
    /// `Roles`: names of roles it is attached to.
    pub roles: Option<Vec<Expr>>,
    /// `Users`.
    pub users: Option<Vec<Expr>>,
    /// `Groups`.
    pub groups: Option<Vec<Expr>>,
}
resource_type!(ManagedPolicy, "AWS::IAM::ManagedPolicy", managed_policy_problems);

fn managed_policy_problems(m: &ManagedPolicy) -> Vec<String> {
    let mut p = names::managed_policy_problems(m);
    p.extend(values::empty_policy_problem("PolicyDocument", &m.policy_document));
    p
}

impl Handle<ManagedPolicy> {
    /// The policy's ARN (`Ref` of a managed policy is its ARN).
    pub fn arn(&self) -> Expr {
        self.r#ref()
    }

    /// The policy's stable unique ID (`Fn::GetAtt PolicyId`).
    pub fn policy_id(&self) -> Expr {
        self.get_att("PolicyId")
    }
}

/// `AWS::IAM::Policy`: an inline policy attached to roles, users or groups.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    /// `PolicyName`.
    pub policy_name: Expr,
    /// `PolicyDocument`.
    pub policy_document: PolicyDocument,
    /// `Roles`.
    pub roles: Option<Vec<Expr>>,
    /// `Users`.
    pub users: Option<Vec<Expr>>,
    /// `Groups`.
    pub groups: Option<Vec<Expr>>,
}
resource_type!(Policy, "AWS::IAM::Policy", policy_problems);

fn policy_problems(p: &Policy) -> Vec<String> {
    values::empty_policy_problem("PolicyDocument", &p.policy_document).into_iter().collect()
}

impl Handle<Policy> {
    /// The policy's stable unique ID (`Fn::GetAtt Id`).
    pub fn id(&self) -> Expr {
        self.get_att("Id")
    }
}
