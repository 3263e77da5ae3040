//! An SNS topic encrypted with a customer-managed key, reachable only over
//! TLS, with publish grants that carry their key access along.

use std::fmt;

use cfn_template::policy::{Principal, Statement};
use cfn_template::resources::kms::Key;
use cfn_template::resources::sns::{Subscription, Topic, TopicPolicy};
use cfn_template::{Attributes, Expr, Handle, Pseudo};

use crate::{regional_arn, EncryptionKey, Grant, Grantee, Stack};

/// What a publisher needs of the topic's key: SNS asks KMS for a data key
/// on the publisher's behalf and decrypts it again. AWS lists these two for
/// every publisher of an encrypted topic, services included (SNS Developer
/// Guide, "Key management": "Enable compatibility between event sources from
/// AWS services and encrypted topics").
pub const PUBLISHER_KEY_ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey*"];

/// The statement ID of the topic policy's denial of requests without TLS.
const DENY_INSECURE_TRANSPORT: &str = "DenyInsecureTransport";

/// The statement ID of the grant [`EncryptedTopic::allow_cloudwatch_alarms`] writes.
const CLOUDWATCH_ALARMS_SID: &str = "CloudWatchAlarmsPublish";

/// A subscription the topic refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicError {
    /// An HTTPS subscription whose endpoint is a plain `http://` URL.
    PlainHttpEndpoint {
        /// The endpoint as given.
        url: String,
    },
    /// An HTTPS subscription whose endpoint is no `https://` URL at all.
    NotAnHttpsUrl {
        /// The endpoint as given.
        url: String,
    },
    /// An email subscription whose endpoint is no email address.
    NotAnEmailAddress {
        /// The endpoint as given.
        address: String,
    },
}

impl fmt::Display for TopicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TopicError::PlainHttpEndpoint { url } => write!(
                f,
                "the HTTPS subscription's endpoint {url:?} is plain HTTP: notifications would cross the \
                 network unencrypted; give the endpoint's https:// URL"
            ),
            TopicError::NotAnHttpsUrl { url } => write!(
                f,
                "the HTTPS subscription's endpoint {url:?} is not an https:// URL; give a URL such as \
                 https://hooks.example.com/alerts"
            ),
            TopicError::NotAnEmailAddress { address } => write!(
                f,
                "the email subscription's endpoint {address:?} is not an email address; give one such as \
                 oncall@example.com"
            ),
        }
    }
}

impl std::error::Error for TopicError {}

/// The topic, its policy and its key, as added to a template. All stay
/// open: statements, grants and subscriptions can be added once they exist.
#[derive(Debug, Clone)]
pub struct EncryptedTopic {
    /// The topic (`Ref` is its ARN).
    pub topic: Handle<Topic>,
    /// Its topic policy.
    pub policy: Handle<TopicPolicy>,
    /// The key its messages are encrypted with.
    pub key: Handle<Key>,
    /// Its name, as given (usable before the topic exists).
    pub name: Expr,
    /// The block's ID, which the logical IDs of its subscriptions start with.
    id: String,
}

/// Builds an [`EncryptedTopic`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the topic to a template"]
pub struct EncryptedTopicBuilder {
    id: String,
    name: Expr,
    key: Handle<Key>,
    display_name: Option<Expr>,
}

impl EncryptedTopic {
    /// A standard (not FIFO) topic `<id>Topic` named `name`, its messages
    /// encrypted at rest with `key` (never the AWS managed `alias/aws/sns`,
    /// whose policy nobody can narrow), and its topic policy
    /// `<id>TopicPolicy`, which denies every request made without TLS.
    /// Subscriptions are `<id><subscription id>Subscription`.
    ///
    /// Nobody may publish until a grant says so: see
    /// [`EncryptedTopic::grant_publish`] and
    /// [`EncryptedTopic::allow_cloudwatch_alarms`].
    ///
    /// ```
    /// use cfn_constructs::{AccountRegional, EncryptedTopic, EncryptionKey, NameKind, NamingStrategy};
    /// use cfn_template::Template;
    ///
    /// let naming = AccountRegional;
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Alerts", naming.name(NameKind::KmsAlias, "alerts")).build(&mut t);
    /// let alerts = EncryptedTopic::new("Alerts", naming.name(NameKind::Topic, "alerts"), &key)
    ///     .display_name("Audit alerts")
    ///     .build(&mut t);
    /// alerts.allow_cloudwatch_alarms(&mut t);
    /// alerts.subscribe_email(&mut t, "Oncall", "oncall@example.com").expect("an address");
    /// let v = t.synthesize().unwrap();
    /// let topic = &v["Resources"]["AlertsTopic"]["Properties"];
    /// assert_eq!(topic["KmsMasterKeyId"], serde_json::json!({"Fn::GetAtt": ["AlertsKey", "Arn"]}));
    /// assert_eq!(v["Resources"]["AlertsOncallSubscription"]["Properties"]["Protocol"], "email");
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, name: Expr, key: &EncryptionKey) -> EncryptedTopicBuilder {
        EncryptedTopicBuilder { id: id.into(), name, key: key.key.clone(), display_name: None }
    }

    /// The topic's ARN (its `Ref`), as alarm actions and publishers name it.
    pub fn arn(&self) -> Expr {
        self.topic.r#ref()
    }

    /// Adds a statement to the topic policy.
    pub fn add_to_resource_policy(&self, s: &mut impl Stack, statement: Statement) {
        self.topic.add_to_resource_policy(s.template(), statement);
    }

    /// Lets a grantee publish to the topic, and use its key as publishing
    /// needs ([`PUBLISHER_KEY_ACTIONS`]).
    ///
    /// A role, user, group or managed policy of this template gets both in
    /// its own permissions (the key by ARN: the key policy delegates to
    /// IAM). Any other principal gets a statement in the topic policy and
    /// one in the key policy (ID `<sid>Key`); a service's two statements
    /// always carry `aws:SourceAccount` (added when the grant does not state
    /// it) and the grant's `aws:SourceArn` when it has one, so the service
    /// publishes only on behalf of this account's resources.
    ///
    /// ```
    /// use cfn_constructs::{EncryptedTopic, EncryptionKey, Grant};
    /// use cfn_template::{Expr, Template};
    ///
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Alerts", "alias/alerts".into()).build(&mut t);
    /// let alerts = EncryptedTopic::new("Alerts", "alerts".into(), &key).build(&mut t);
    /// let rules = Expr::sub("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/audit-*");
    /// alerts.grant_publish(&mut t, Grant::service("events.amazonaws.com").sid("AuditRules").from_source(rules));
    /// let v = t.synthesize().unwrap();
    /// let publish = &v["Resources"]["AlertsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"][1];
    /// assert_eq!(publish["Condition"]["StringEquals"]["aws:SourceAccount"], serde_json::json!({"Ref": "AWS::AccountId"}));
    /// let key_policy = &v["Resources"]["AlertsKey"]["Properties"]["KeyPolicy"]["Statement"];
    /// assert_eq!(key_policy[2]["Sid"], "AuditRulesKey");
    /// ```
    pub fn grant_publish(&self, s: &mut impl Stack, grantee: impl Into<Grantee>) {
        let t = s.template();
        match grantee.into() {
            Grantee::Identity(identity) => {
                identity.add_to_policy(t, Statement::allow().action("sns:Publish").resource(self.arn()));
                identity.add_to_policy(
                    t,
                    Statement::allow().actions(PUBLISHER_KEY_ACTIONS).resource(self.key.arn()),
                );
            }
            Grantee::Principal(grant) => {
                let service = Grantee::Principal(grant.clone()).is_service();
                let publish = grant.statement(["sns:Publish"], vec![self.arn()]);
                self.topic.add_to_resource_policy(t, held_to_this_account(publish, service));
                // `sid_suffixed` keeps the variant: a principal stays a principal.
                let Grantee::Principal(key_grant) = Grantee::Principal(grant).sid_suffixed("Key") else {
                    return;
                };
                // A key policy names its own key as `*`.
                let use_key = key_grant.statement(PUBLISHER_KEY_ACTIONS, vec!["*".into()]);
                self.key.add_to_resource_policy(t, held_to_this_account(use_key, service));
            }
        }
    }

    /// Lets CloudWatch alarms of this account and region publish, and use the
    /// key to do so: `cloudwatch.amazonaws.com` with `aws:SourceAccount` and
    /// `aws:SourceArn` `arn:<partition>:cloudwatch:<region>:<account>:alarm:*`
    /// in both the topic policy and the key policy (statement IDs
    /// `CloudWatchAlarmsPublish` and `CloudWatchAlarmsPublishKey`). An
    /// alarm's notification to an encrypted topic is dropped unless the key
    /// policy lets `cloudwatch.amazonaws.com` call `kms:Decrypt` and
    /// `kms:GenerateDataKey*` (SNS Developer Guide, "Key management",
    /// compatibility with event sources from AWS services). Calling it again
    /// adds nothing.
    pub fn allow_cloudwatch_alarms(&self, s: &mut impl Stack) {
        let granted = s
            .template()
            .get_mut(&self.policy)
            .policy_document
            .statements
            .iter()
            .any(|st| st.sid.as_deref() == Some(CLOUDWATCH_ALARMS_SID));
        if granted {
            return;
        }
        let alarms = Grant::service("cloudwatch.amazonaws.com")
            .sid(CLOUDWATCH_ALARMS_SID)
            .from_this_account()
            .from_source(regional_arn("cloudwatch", "alarm:*"));
        self.grant_publish(s, alarms);
    }

    /// Subscribes an email address (logical ID `<id><sub_id>Subscription`).
    /// SNS mails a confirmation link; nothing is delivered until the owner
    /// of the address follows it. A literal that is no email address is
    /// refused.
    pub fn subscribe_email(
        &self,
        s: &mut impl Stack,
        sub_id: &str,
        address: impl Into<Expr>,
    ) -> Result<Handle<Subscription>, TopicError> {
        let address = address.into();
        if let Some(literal) = address.as_literal() {
            if !is_email_address(literal) {
                return Err(TopicError::NotAnEmailAddress { address: literal.to_string() });
            }
        }
        Ok(self.subscribe(s, sub_id, "email", address))
    }

    /// Subscribes an HTTPS endpoint (logical ID `<id><sub_id>Subscription`).
    /// The protocol is always `https`, so SNS delivers over TLS only; a
    /// literal `http://` URL, or any literal that is no `https://` URL, is
    /// refused rather than passed on.
    pub fn subscribe_https(
        &self,
        s: &mut impl Stack,
        sub_id: &str,
        url: impl Into<Expr>,
    ) -> Result<Handle<Subscription>, TopicError> {
        let url = url.into();
        if let Some(literal) = url.as_literal() {
            let lower = literal.trim().to_ascii_lowercase();
            if lower.starts_with("http://") {
                return Err(TopicError::PlainHttpEndpoint { url: literal.to_string() });
            }
            let host = lower.strip_prefix("https://").unwrap_or("");
            if host.is_empty() || host.starts_with('/') || literal.chars().any(char::is_whitespace) {
                return Err(TopicError::NotAnHttpsUrl { url: literal.to_string() });
            }
        }
        Ok(self.subscribe(s, sub_id, "https", url))
    }

    fn subscribe(
        &self,
        s: &mut impl Stack,
        sub_id: &str,
        protocol: &str,
        endpoint: Expr,
    ) -> Handle<Subscription> {
        s.add_resource(
            &format!("{}{sub_id}Subscription", self.id),
            Subscription { endpoint: Some(endpoint), ..Subscription::new(protocol, self.arn()) },
            Attributes::new(),
        )
    }
}

/// `statement` with `aws:SourceAccount` this account when it is a service's
/// and states no source account of its own.
fn held_to_this_account(statement: Statement, service: bool) -> Statement {
    let states_account = statement.conditions.values().any(|keys| keys.contains_key("aws:SourceAccount"));
    if service && !states_account {
        statement.condition("StringEquals", "aws:SourceAccount", Expr::pseudo(Pseudo::AccountId))
    } else {
        statement
    }
}

/// Whether a literal looks like an email address: one `@` between a local
/// part and a dotted domain, and no spaces. SNS checks the rest. The rule
/// [`EncryptedTopic::subscribe_email`] applies, for a module's config checks.
///
/// ```
/// assert!(cfn_constructs::is_email_address("oncall@example.com"));
/// assert!(!cfn_constructs::is_email_address("oncall@localhost"));
/// ```
pub fn is_email_address(s: &str) -> bool {
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl EncryptedTopicBuilder {
    /// Sets the display name (the sender's name in email and SMS notifications).
    pub fn display_name(mut self, name: impl Into<Expr>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Adds the topic and its policy.
    pub fn build(self, s: &mut impl Stack) -> EncryptedTopic {
        let topic = s.add_resource(
            &format!("{}Topic", self.id),
            Topic {
                topic_name: Some(self.name.clone()),
                display_name: self.display_name,
                kms_master_key_id: Some(self.key.arn()),
                fifo_topic: Some(false.into()),
                ..Topic::default()
            },
            Attributes::new(),
        );
        // Every action, not only publishing as the SNS Developer Guide's
        // example does ("Security best practices", enforce encryption of data
        // in transit): reading attributes and subscribing over plain HTTP
        // are refused as well. cdk-nag's
        // AwsSolutions-SNS3 looks for this denial only on topics without a
        // key, and counts a topic with `KmsMasterKeyId` as compliant.
        let deny = Statement::deny()
            .sid(DENY_INSECURE_TRANSPORT)
            .principal(Principal::Any)
            .action("sns:*")
            .resource(topic.r#ref())
            .condition("Bool", "aws:SecureTransport", "false");
        let policy = s.add_resource(
            &format!("{}TopicPolicy", self.id),
            TopicPolicy::new(cfn_template::policy::PolicyDocument::new(vec![deny]), vec![topic.r#ref()]),
            Attributes::new(),
        );
        EncryptedTopic { topic, policy, key: self.key, name: self.name, id: self.id }
    }
}
