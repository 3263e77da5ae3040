//! A permissions boundary on every IAM role and user of a template, as
//! CDK's `PermissionsBoundary.of(scope).apply(policy)` sets it (the aspect
//! MDAA's apps apply for `permissions_boundary_arn`).

use cfn_template::aspect::{Aspect, ResourceView};
use cfn_template::Expr;

/// The ARN of a managed policy set as `PermissionsBoundary` on every
/// `AWS::IAM::Role` and `AWS::IAM::User`, replacing any boundary already
/// there, as CDK's aspect does (`t.add_aspect(boundary)`).
///
/// ```
/// use cfn_constructs::PermissionsBoundary;
/// use cfn_template::policy::{PolicyDocument, Principal, Statement};
/// use cfn_template::resources::iam::Role;
/// use cfn_template::resources::kms::Key;
/// use cfn_template::Template;
///
/// let mut t = Template::new();
/// let trust = Statement::allow().principal(Principal::service("lambda.amazonaws.com")).action("sts:AssumeRole");
/// t.add("Role", Role::new(PolicyDocument::new(vec![trust])));
/// t.add("Key", Key::default());
/// t.add_aspect(PermissionsBoundary::new("arn:aws:iam::111122223333:policy/boundary"));
/// let v = t.synthesize().unwrap();
/// assert_eq!(v["Resources"]["Role"]["Properties"]["PermissionsBoundary"], "arn:aws:iam::111122223333:policy/boundary");
/// assert!(v["Resources"]["Key"].get("Properties").and_then(|p| p.get("PermissionsBoundary")).is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PermissionsBoundary(pub Expr);

impl PermissionsBoundary {
    /// The boundary policy `arn`.
    pub fn new(arn: impl Into<Expr>) -> Self {
        PermissionsBoundary(arn.into())
    }
}

/// The resource types CDK's aspect sets a boundary on.
const BOUNDED_TYPES: [&str; 2] = ["AWS::IAM::Role", "AWS::IAM::User"];

impl Aspect for PermissionsBoundary {
    fn name(&self) -> &str {
        "PermissionsBoundary"
    }

    fn visit(&self, r: &mut ResourceView<'_>) {
        if !BOUNDED_TYPES.contains(&r.resource_type()) {
            return;
        }
        if let Some(props) = r.properties.as_object_mut() {
            props.insert("PermissionsBoundary".into(), serde_json::to_value(&self.0).unwrap_or_default());
        } else {
            r.report("has no properties to set a permissions boundary in");
        }
    }
}
