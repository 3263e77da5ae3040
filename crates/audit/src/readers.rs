//! The read roles as principals: ARNs as configured, and the ARNs of roles
//! given by name, unique ID or IAM Identity Center permission set, looked
//! up when the stack is deployed by a custom resource each. A role named
//! twice is one principal.

use cfn_constructs::{arn, CustomResourceFunction, EncryptionKey, NameKind, NamingStrategy};
use cfn_template::policy::Statement;
use cfn_template::{Expr, Parameter, Pseudo, Template};

use crate::config::{Config, RoleBy, RoleRef};
use crate::values::{role_arn, split_role_arn, ssm_parameter, RoleArn};
use crate::{exceptions, HANDLER_SOURCE};

/// The custom resource type of a role reference (`Custom::AuditRoleReference`).
pub const ROLE_REFERENCE_TYPE: &str = "AuditRoleReference";

/// The principal of each read role, in the configuration's order.
pub(crate) fn principals(t: &mut Template, config: &Config, naming: &dyn NamingStrategy) -> Vec<Expr> {
    let mut roles: Vec<(RoleBy, &str)> = Vec::new();
    for role in config.read_roles.iter().filter_map(RoleRef::by) {
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    let resolver = roles.iter().any(|(by, _)| *by != RoleBy::Arn).then(|| resolver(t, &roles, naming));
    let mut principals = Vec::new();
    for (i, (by, value)) in roles.into_iter().enumerate() {
        let given = match ssm_parameter(value) {
            // Resolved when the stack is deployed, as MDAA's `ssm:` values are.
            Some(name) => t
                .add_parameter(
                    format!("ReadRole{i}Parameter"),
                    Parameter::new("AWS::SSM::Parameter::Value<String>")
                        .default_value(name)
                        .description(format!("The SSM parameter holding readRoles[{i}]")),
                )
                .r#ref(),
            None => match split_role_arn(value).filter(|_| by == RoleBy::Arn) {
                Some((_, account, path_and_name)) => role_arn(&RoleArn {
                    account: (account != "{{account}}").then_some(account),
                    path_and_name,
                }),
                None => value.into(),
            },
        };
        let property = match by {
            RoleBy::Arn => {
                principals.push(given);
                continue;
            }
            RoleBy::Name => "RoleName",
            RoleBy::Id => "RoleId",
            RoleBy::Sso => "SsoPermissionSet",
        };
        let resolver = resolver.as_ref().expect("a resolver serves every name and ID");
        let reference =
            t.add(format!("ReadRole{i}"), resolver.resource(ROLE_REFERENCE_TYPE).property(property, given));
        principals.push(reference.attribute("Arn"));
    }
    principals
}

/// The function that resolves role references, allowed to read only the
/// roles named (or, for a name held in SSM, any role), and to list roles
/// when one is given by its ID or permission set.
fn resolver(
    t: &mut Template,
    refs: &[(RoleBy, &str)],
    naming: &dyn NamingStrategy,
) -> CustomResourceFunction {
    let role = |name: &str| arn("iam", "", Expr::pseudo(Pseudo::AccountId), format!("role/{name}"));
    let mut roles = Vec::new();
    for (_, name) in refs.iter().filter(|(by, _)| *by == RoleBy::Name) {
        match ssm_parameter(name) {
            Some(_) => roles.push(role("*")),
            None => roles.extend([role(name), role(&format!("*/{name}"))]),
        }
    }
    if roles.contains(&role("*")) {
        roles = vec![role("*")];
    }
    // Its own key: the audit key's policy names the roles this function finds,
    // so it cannot exist before the function logs anything.
    let logs_key =
        EncryptionKey::new("RoleResolverLogs", naming.name(NameKind::KmsAlias, "audit-role-resolver-logs"))
            .description("Encrypts the logs of the audit stack's role resolver")
            .build(t);
    let mut function = CustomResourceFunction::new(
        "RoleResolver",
        naming.name(NameKind::Function, "audit-role-resolver"),
        naming.name(NameKind::IamRole, "audit-role-resolver"),
        naming.name(NameKind::IamManagedPolicy, "audit-role-resolver"),
        naming.name(NameKind::LogGroup, "/aws/lambda/audit-role-resolver"),
        HANDLER_SOURCE,
        &logs_key.key,
    )
    .description("Finds the ARNs of the audit bucket's read roles given by name or unique ID")
    .timeout(60);
    if !roles.is_empty() {
        function =
            function.allow(Statement::allow().sid("ReadNamedRoles").action("iam:GetRole").resources(roles));
    }
    // No API takes a unique ID or a permission set: the roles are listed.
    let by_id = refs.iter().any(|(by, _)| *by == RoleBy::Id);
    let by_sso = refs.iter().any(|(by, _)| *by == RoleBy::Sso);
    let sid = match (by_id, by_sso) {
        (true, false) => Some("FindRolesById"),
        (false, true) => Some("FindSsoRoles"),
        (true, true) => Some("FindRolesByIdOrSso"),
        (false, false) => None,
    };
    if let Some(sid) = sid {
        function = function.allow(Statement::allow().sid(sid).action("iam:ListRoles").resource("*"));
    }
    let function = function.build(t);
    logs_key.allow_cloudwatch_logs(t, &[&function.log_group]);
    exceptions::resolver(t, &function);
    function
}
