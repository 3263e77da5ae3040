//! Which resources hold a policy document, and how a statement reaches it:
//! into the resource's own property (a key's `KeyPolicy`), or into the
//! companion resource CloudFormation keeps the policy in (a bucket's
//! `AWS::S3::BucketPolicy`), found in the template or added to it.
//!
//! The types that hold their policy themselves implement these traits in
//! the generated code, from the schema facts (`schema::facts` lists every
//! policy property and its kind); the companions are kept here, one per
//! type whose policy lives in another resource, and a test checks that every
//! resource-policy fact is covered by one or the other.

use crate::policy::{PolicyDocument, Statement};
use crate::resources::Resource;
use crate::{Expr, Handle, Template};

/// How the statements of a resource policy name the resource they govern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyResource {
    /// By ARN, as an identity policy would.
    Arn,
    /// As `*`, which means "this resource": a key policy names its key so,
    /// since naming it by ARN would make the key depend on itself.
    This,
}

/// A resource type whose policy says who may use it (key, bucket, topic,
/// queue, secret, repository, log group policies and the rest).
///
/// ```
/// use cfn_template::policy::{Principal, Statement};
/// use cfn_template::resources::s3::Bucket;
/// use cfn_template::Template;
/// let mut t = Template::new();
/// let logs = t.add("Logs", Bucket::default());
/// // A bucket's policy is a companion resource: found, or added as `LogsPolicy`.
/// logs.add_to_resource_policy(&mut t, Statement::deny().principal(Principal::Any).action("s3:*").resource("*"));
/// logs.add_to_resource_policy(&mut t, Statement::allow().principal(Principal::Any).action("s3:GetObject").resource("*"));
/// let json = t.to_json().unwrap();
/// assert_eq!(json.matches("AWS::S3::BucketPolicy").count(), 1);
/// ```
pub trait ResourcePolicy: Resource + Sized {
    /// How this type's policy statements name the resource.
    const NAMES_ITSELF: PolicyResource = PolicyResource::Arn;

    /// Adds `statement` to the policy of the resource behind `target`.
    fn add_to_resource_policy(t: &mut Template, target: &Handle<Self>, statement: Statement);
}

/// A resource type that holds what a principal may do: a managed or inline
/// policy, or a role, user or group (whose grants go to a companion managed
/// policy, `<logical ID>DefaultPolicy`, attached to it).
pub trait IdentityPolicy: Resource + Sized {
    /// Adds `statement` to the permissions of the identity behind `target`.
    fn add_to_policy(t: &mut Template, target: &Handle<Self>, statement: Statement);
}

impl<R: ResourcePolicy> Handle<R> {
    /// Adds `statement` to this resource's policy: in its own property, or
    /// in its companion policy resource, found or added as `<logical ID>Policy`.
    pub fn add_to_resource_policy(&self, t: &mut Template, statement: Statement) {
        R::add_to_resource_policy(t, self, statement);
    }
}

impl<R: IdentityPolicy> Handle<R> {
    /// Adds `statement` to this identity's permissions.
    pub fn add_to_policy(&self, t: &mut Template, statement: Statement) {
        R::add_to_policy(t, self, statement);
    }
}

/// A companion policy resource: the one of `P` in `t` for which `governs`
/// holds, or a new one `<target>Policy` made by `make`.
fn companion<P: Resource>(
    t: &mut Template,
    id: String,
    governs: impl Fn(&P) -> bool,
    document: impl Fn(&mut P) -> &mut PolicyDocument,
    make: impl FnOnce(PolicyDocument) -> P,
    statement: Statement,
) {
    match t.find_mut::<P>(governs) {
        Some(policy) => {
            document(policy).push(statement);
        }
        None => {
            t.add(id, make(PolicyDocument::new(vec![statement])));
        }
    }
}

/// Whether a literal list holds `item`.
#[cfg(any(feature = "sns", feature = "sqs"))]
fn lists(list: &crate::value::List<Expr>, item: &Expr) -> bool {
    list.items().is_some_and(|items| items.contains(item))
}

#[cfg(feature = "s3")]
impl ResourcePolicy for crate::resources::s3::Bucket {
    fn add_to_resource_policy(t: &mut Template, target: &Handle<Self>, statement: Statement) {
        use crate::resources::s3::BucketPolicy;
        let bucket = target.r#ref();
        companion(
            t,
            format!("{}Policy", target.logical_id()),
            |p: &BucketPolicy| p.bucket == bucket,
            |p| &mut p.policy_document,
            |doc| BucketPolicy::new(bucket.clone(), doc),
            statement,
        );
    }
}

#[cfg(feature = "sns")]
impl ResourcePolicy for crate::resources::sns::Topic {
    fn add_to_resource_policy(t: &mut Template, target: &Handle<Self>, statement: Statement) {
        use crate::resources::sns::TopicPolicy;
        let topic = target.r#ref();
        companion(
            t,
            format!("{}Policy", target.logical_id()),
            |p: &TopicPolicy| lists(&p.topics, &topic),
            |p| &mut p.policy_document,
            |doc| TopicPolicy::new(doc, vec![topic.clone()]),
            statement,
        );
    }
}

#[cfg(feature = "sqs")]
impl ResourcePolicy for crate::resources::sqs::Queue {
    fn add_to_resource_policy(t: &mut Template, target: &Handle<Self>, statement: Statement) {
        use crate::resources::sqs::QueuePolicy;
        // `Ref` of a queue is its URL, which is what `Queues` takes.
        let queue = target.r#ref();
        companion(
            t,
            format!("{}Policy", target.logical_id()),
            |p: &QueuePolicy| lists(&p.queues, &queue),
            |p| &mut p.policy_document,
            |doc| QueuePolicy::new(doc, vec![queue.clone()]),
            statement,
        );
    }
}

#[cfg(feature = "secretsmanager")]
impl ResourcePolicy for crate::resources::secretsmanager::Secret {
    fn add_to_resource_policy(t: &mut Template, target: &Handle<Self>, statement: Statement) {
        use crate::resources::secretsmanager::ResourcePolicy as SecretPolicy;
        let secret = target.r#ref();
        companion(
            t,
            format!("{}Policy", target.logical_id()),
            |p: &SecretPolicy| p.secret_id == secret,
            |p| &mut p.resource_policy,
            |doc| SecretPolicy::new(doc, secret.clone()),
            statement,
        );
    }
}

/// Roles, users and groups take grants in a companion customer-managed
/// policy rather than in their inline `Policies`: a resource may name the
/// role while the role's permissions name the resource, and only a separate
/// policy resource keeps that from being a cycle (CDK's `DefaultPolicy` does
/// the same). A managed policy attached through its own `Roles`, `Users` or
/// `Groups` list, rather than an `AWS::IAM::Policy`, since compliance packs
/// (NIST 800-53, HIPAA, PCI DSS) flag inline policies.
#[cfg(feature = "iam")]
mod identities {
    use super::*;
    use crate::resources::iam::{Group, ManagedPolicy, Role, User};
    use crate::value::List;

    /// Which list of a managed policy attaches it to the identity.
    #[derive(Clone, Copy)]
    enum Attached {
        Roles,
        Users,
        Groups,
    }

    impl Attached {
        fn of_mut(self, p: &mut ManagedPolicy) -> &mut Option<List<Expr>> {
            match self {
                Attached::Roles => &mut p.roles,
                Attached::Users => &mut p.users,
                Attached::Groups => &mut p.groups,
            }
        }
    }

    /// The identity's `<id>DefaultPolicy`, found by its logical ID (a policy
    /// the user attached otherwise is never extended behind their back).
    fn default_policy<R>(t: &mut Template, target: &Handle<R>, attached: Attached, statement: Statement) {
        let id = format!("{}DefaultPolicy", target.logical_id());
        let existing = t
            .entry_by_id_mut(&id)
            .and_then(|e| e.resource_mut().as_any_mut().downcast_mut::<ManagedPolicy>());
        match existing {
            Some(policy) => {
                policy.policy_document.push(statement);
            }
            None => {
                let mut policy = ManagedPolicy::new(PolicyDocument::new(vec![statement]));
                policy.description = Some(format!("Grants to {}", target.logical_id()).into());
                *attached.of_mut(&mut policy) = Some(vec![target.r#ref()].into());
                t.add(id, policy);
            }
        }
    }

    impl IdentityPolicy for Role {
        fn add_to_policy(t: &mut Template, target: &Handle<Self>, statement: Statement) {
            default_policy(t, target, Attached::Roles, statement);
        }
    }

    impl IdentityPolicy for User {
        fn add_to_policy(t: &mut Template, target: &Handle<Self>, statement: Statement) {
            default_policy(t, target, Attached::Users, statement);
        }
    }

    impl IdentityPolicy for Group {
        fn add_to_policy(t: &mut Template, target: &Handle<Self>, statement: Statement) {
            default_policy(t, target, Attached::Groups, statement);
        }
    }
}

/// The types whose resource policy lives in a companion resource, with that
/// resource's type: kept by hand, since the schemas do not say which
/// resource a policy resource governs.
pub const COMPANIONS: [(&str, &str); 4] = [
    ("AWS::S3::Bucket", "AWS::S3::BucketPolicy"),
    ("AWS::SNS::Topic", "AWS::SNS::TopicPolicy"),
    ("AWS::SQS::Queue", "AWS::SQS::QueuePolicy"),
    ("AWS::SecretsManager::Secret", "AWS::SecretsManager::ResourcePolicy"),
];
