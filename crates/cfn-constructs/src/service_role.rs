//! An IAM role a service assumes, with its permissions in a managed policy.

use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::iam::{ManagedPolicy, Role};
use cfn_template::{Attributes, Expr, Handle};

use crate::arn::source_conditions;
use crate::{Grantee, Stack};

/// The role and its policy, as added to a template. The policy stays open.
#[derive(Debug, Clone)]
pub struct ServiceRole {
    /// The role.
    pub role: Handle<Role>,
    /// The managed policy attached to it.
    pub policy: Handle<ManagedPolicy>,
}

impl ServiceRole {
    /// Grants the role a permission, once it exists.
    pub fn add_to_policy(&self, s: &mut impl Stack, statement: Statement) {
        self.policy.add_to_policy(s.template(), statement);
    }
}

/// A service role takes grants in its managed policy, which the template
/// can make others wait for.
impl From<&ServiceRole> for Grantee {
    fn from(role: &ServiceRole) -> Grantee {
        (&role.policy).into()
    }
}

/// Builds a [`ServiceRole`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the role to a template"]
pub struct ServiceRoleBuilder {
    id: String,
    role_name: Expr,
    policy_name: Expr,
    description: String,
    trust: Statement,
    statements: Vec<Statement>,
}

impl ServiceRole {
    /// A role `<id>Role` named `role_name` that `service` may assume, only
    /// for this account and for sources matching `source_arn` when given
    /// (the confused-deputy conditions). Its permissions live in the managed
    /// policy `<id>Policy` named `policy_name`, so the template can make
    /// other resources wait until they are attached.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(
        id: impl Into<String>,
        role_name: Expr,
        policy_name: Expr,
        service: Expr,
        source_arn: Option<Expr>,
    ) -> ServiceRoleBuilder {
        let trust = Statement::allow().principal(Principal::service(service)).action("sts:AssumeRole");
        let trust = match source_arn {
            Some(arn) => source_conditions(trust, arn),
            None => trust,
        };
        ServiceRoleBuilder {
            id: id.into(),
            role_name,
            policy_name,
            description: String::new(),
            trust,
            statements: Vec::new(),
        }
    }
}

impl ServiceRoleBuilder {
    /// Describes the role and its policy.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = d.into();
        self
    }

    /// Grants a permission.
    pub fn allow(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// Adds the managed policy, then the role with the policy attached. A
    /// policy without statements fails validation: grant at least one
    /// permission, here or with [`ServiceRole::add_to_policy`].
    pub fn build(self, s: &mut impl Stack) -> ServiceRole {
        let description = (!self.description.is_empty()).then(|| Expr::from(self.description.as_str()));
        let policy = s.add_resource(
            &format!("{}Policy", self.id),
            ManagedPolicy {
                managed_policy_name: Some(self.policy_name),
                description: description.clone(),
                ..ManagedPolicy::new(PolicyDocument::new(self.statements))
            },
            Attributes::new(),
        );
        let role = s.add_resource(
            &format!("{}Role", self.id),
            Role {
                role_name: Some(self.role_name),
                description,
                // `Ref` of a managed policy is its ARN.
                managed_policy_arns: Some(vec![policy.r#ref()].into()),
                ..Role::new(PolicyDocument::new(vec![self.trust]))
            },
            Attributes::new(),
        );
        ServiceRole { role, policy }
    }
}
