//! Who a resource policy lets in, and on what conditions.

use cfn_template::policy::{Conditions, PolicyResource, Principal, ResourcePolicy, Statement};
use cfn_template::resources::iam::{Group, ManagedPolicy, Role, User};
use cfn_template::{Expr, Handle, Pseudo, Template};

use crate::Stack;

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

/// Who a grant is for, and so where its statements go: an identity of this
/// template takes them in its own permissions; any other principal (a
/// service with its confused-deputy conditions, a role or account by ARN)
/// in the resource's policy.
///
/// ```
/// use cfn_constructs::{Grant, Grantee, Grants};
/// use cfn_template::policy::{PolicyDocument, Principal, Statement};
/// use cfn_template::resources::iam::Role;
/// use cfn_template::resources::s3::Bucket;
/// use cfn_template::{Expr, Template};
///
/// let mut t = Template::new();
/// let data = t.add("Data", Bucket::default());
/// let trust = Statement::allow().principal(Principal::service("lambda.amazonaws.com")).action("sts:AssumeRole");
/// let reader = t.add("Reader", Role::new(PolicyDocument::new(vec![trust])));
/// let objects = Expr::concat([data.arn(), "/*".into()]);
/// // A role of this template: the statement goes to its default policy.
/// data.grant(&mut t, &reader, ["s3:GetObject"], vec![objects.clone()]);
/// // A service: to the bucket's policy, with the service's conditions.
/// let logging = Grant::service("logging.s3.amazonaws.com").from_this_account();
/// data.grant(&mut t, &logging, ["s3:PutObject"], vec![objects]);
/// let json = t.to_json().unwrap();
/// assert!(json.contains("ReaderDefaultPolicy") && json.contains("DataPolicy"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Grantee {
    /// A principal the resource's policy names.
    Principal(Grant),
    /// An identity of this template, whose permissions take the statement.
    Identity(Identity),
}

/// An identity of a template that can take permissions.
#[derive(Debug, Clone, PartialEq)]
pub enum Identity {
    /// A role: grants go to its default policy (`<id>DefaultPolicy`).
    Role(Handle<Role>),
    /// A user, likewise.
    User(Handle<User>),
    /// A group, likewise.
    Group(Handle<Group>),
    /// A managed policy, extended in place.
    ManagedPolicy(Handle<ManagedPolicy>),
}

impl Identity {
    /// Adds `statement` to this identity's permissions.
    pub fn add_to_policy(&self, t: &mut Template, statement: Statement) {
        match self {
            Identity::Role(h) => h.add_to_policy(t, statement),
            Identity::User(h) => h.add_to_policy(t, statement),
            Identity::Group(h) => h.add_to_policy(t, statement),
            Identity::ManagedPolicy(h) => h.add_to_policy(t, statement),
        }
    }
}

impl From<&Grant> for Grantee {
    fn from(grant: &Grant) -> Grantee {
        Grantee::Principal(grant.clone())
    }
}

impl From<Grant> for Grantee {
    fn from(grant: Grant) -> Grantee {
        Grantee::Principal(grant)
    }
}

impl From<&Grantee> for Grantee {
    fn from(grantee: &Grantee) -> Grantee {
        grantee.clone()
    }
}

/// An identity of the template is a grantee through its handle.
macro_rules! identity_grantee {
    ($($variant:ident($type:ty)),+) => {$(
        impl From<&Handle<$type>> for Grantee {
            fn from(handle: &Handle<$type>) -> Grantee {
                Grantee::Identity(Identity::$variant(handle.clone()))
            }
        }
    )+};
}

identity_grantee!(Role(Role), User(User), Group(Group), ManagedPolicy(ManagedPolicy));

impl Grantee {
    /// The same grantee, its statement ID (if any) followed by `suffix`: the
    /// ID of a second statement one grant makes (IDs are unique within a
    /// policy).
    pub fn sid_suffixed(&self, suffix: &str) -> Grantee {
        match self {
            Grantee::Principal(g) => {
                let mut g = g.clone();
                g.sid = g.sid.map(|sid| format!("{sid}{suffix}"));
                Grantee::Principal(g)
            }
            Grantee::Identity(_) => self.clone(),
        }
    }

    /// Whether the grantee is a service principal, whose access to a key
    /// a grant cannot derive: services ask for keys under conditions of
    /// their own (an encryption context), which their blocks state.
    pub fn is_service(&self) -> bool {
        matches!(
            self,
            Grantee::Principal(Grant { principal: Principal::Of { aws, service, federated }, .. })
                if aws.is_empty() && federated.is_empty() && !service.is_empty()
        )
    }
}

/// Grants on any resource whose type holds a resource policy.
pub trait Grants {
    /// Lets `grantee` call `actions` on `resources` (ARNs of this resource
    /// or of its parts). An identity of this template gets an identity
    /// statement; any other principal a statement of this resource's policy,
    /// carrying the grant's statement ID and conditions (naming the
    /// resource as that policy must: a key policy says `*`). A policy held
    /// in the resource itself (a log group's, a repository's) cannot refer
    /// to that resource, which would then depend on itself: name it by an
    /// ARN built from its name.
    fn grant<A: Into<Expr>>(
        &self,
        s: &mut impl Stack,
        grantee: impl Into<Grantee>,
        actions: impl IntoIterator<Item = A>,
        resources: Vec<Expr>,
    );
}

impl<R: ResourcePolicy> Grants for Handle<R> {
    fn grant<A: Into<Expr>>(
        &self,
        s: &mut impl Stack,
        grantee: impl Into<Grantee>,
        actions: impl IntoIterator<Item = A>,
        resources: Vec<Expr>,
    ) {
        let t = s.template();
        match grantee.into() {
            Grantee::Identity(identity) => {
                identity.add_to_policy(t, Statement::allow().actions(actions).resources(resources));
            }
            Grantee::Principal(grant) => {
                let resources = match R::NAMES_ITSELF {
                    PolicyResource::This => vec!["*".into()],
                    PolicyResource::Arn => resources,
                };
                self.add_to_resource_policy(t, grant.statement(actions, resources));
            }
        }
    }
}
