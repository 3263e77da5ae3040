//! Security changes: policy statements, policy attachments, security group
//! rules, and the settings whose meaning is known (encryption, public
//! access, retention, logging, data protection), each said to broaden,
//! narrow or just change.
//!
//! Policy documents are found where the schema facts say they are;
//! settings are read only where [`known`] describes them, with their units
//! and what leaving them out means. Values under `Fn::If` are judged in
//! each branch ([`branches`]).

mod branches;
mod documents;
mod groups;
mod known;
mod settings;
mod statements;

use crate::canon::Canon;
use crate::model::{Direction, SecurityCategory, SecurityChange};
use crate::show::compact;
use crate::template::{Resource, Template};
use branches::{conditions_in, merge, Worlds};
use cfn_template::schema::facts::{facts, PolicyKind};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The security changes between two templates, in template order.
pub(crate) fn findings(
    old: &Template,
    new: &Template,
    renames: &HashMap<String, String>,
) -> Vec<SecurityChange> {
    let mut out = Vec::new();
    let back: HashMap<&String, &String> = renames.iter().map(|(o, n)| (n, o)).collect();
    for (id, n) in &new.resources {
        let o = old.resources.get(id).or_else(|| back.get(id).map(|o| &old.resources[*o]));
        resource(id, o, Some(n), renames, &mut out);
    }
    for (id, o) in &old.resources {
        if !new.resources.contains_key(id) && !renames.contains_key(id) {
            resource(id, Some(o), None, renames, &mut out);
        }
    }
    out.extend(groups::findings(old, new, renames));
    out
}

/// Where the findings of one resource go.
pub(crate) struct Sink<'a> {
    id: &'a str,
    type_name: &'a str,
    out: &'a mut Vec<SecurityChange>,
}

impl Sink<'_> {
    /// A change of this resource, with no statement, rule or meaning.
    fn change(
        &self,
        category: SecurityCategory,
        direction: Direction,
        path: Option<String>,
        description: String,
    ) -> SecurityChange {
        SecurityChange {
            logical_id: self.id.to_string(),
            resource_type: self.type_name.to_string(),
            category,
            direction,
            path,
            policy_kind: None,
            description,
            statement: None,
            rule: None,
            when: None,
            meaning: None,
            source: None,
        }
    }

    fn push(
        &mut self,
        category: SecurityCategory,
        direction: Direction,
        path: Option<String>,
        description: String,
    ) {
        let change = self.change(category, direction, path, description);
        self.out.push(change);
    }
}

/// The top-level properties a resource's findings read: those holding
/// policy documents, the settings [`known`] describes, and attachments.
fn read_keys(type_name: &str) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = vec!["ManagedPolicyArns", "Roles", "Users", "Groups"];
    if let Some(f) = facts(type_name) {
        for (pattern, _) in f.policies {
            if let Some(first) = pattern.trim_start_matches("/properties/").split('/').next() {
                keys.push(first);
            }
        }
    }
    if type_name == "AWS::Lambda::Permission" {
        keys.extend(["Principal", "Action", "FunctionName", "SourceArn", "SourceAccount"]);
        keys.extend(["PrincipalOrgID", "FunctionUrlAuthType"]);
    }
    keys.extend(known::of_type(type_name).map(|k| k.path.split('/').next().unwrap_or(k.path)));
    keys
}

fn resource(
    id: &str,
    o: Option<&Resource>,
    n: Option<&Resource>,
    renames: &HashMap<String, String>,
    out: &mut Vec<SecurityChange>,
) {
    let Some(type_name) = n.or(o).map(|r| r.type_name.as_str()) else { return };
    let keys = read_keys(type_name);
    let mut names = Vec::new();
    for r in [o, n].into_iter().flatten() {
        for k in &keys {
            if let Some(v) = r.properties.get(*k) {
                conditions_in(v, &mut names);
            }
        }
    }
    let worlds = Worlds::new(names);
    let mut found = Vec::new();
    for world in 0..worlds.len() {
        let mut changes = Vec::new();
        let mut sink = Sink { id, type_name, out: &mut changes };
        let (po, pn) = (
            o.map(|r| worlds.properties(world, &r.properties)),
            n.map(|r| worlds.properties(world, &r.properties)),
        );
        let docs = |r: Option<&Resource>, p: Option<&Map<String, Value>>| match (r, p) {
            (Some(r), Some(p)) => {
                documents::documents(&r.type_name, p, &Canon::new(facts(&r.type_name), Some(renames)))
            }
            _ => Default::default(),
        };
        let (old_docs, new_docs) = (docs(o, po.as_deref()), docs(n, pn.as_deref()));
        statements::policy_changes(&mut sink, &old_docs, &new_docs);
        attachments(&mut sink, po.as_deref(), pn.as_deref(), renames);
        if let (Some(po), Some(pn)) = (po.as_deref(), pn.as_deref()) {
            settings::changes(&mut sink, po, pn, &Canon::new(facts(type_name), Some(renames)));
        }
        found.extend(changes.into_iter().map(|c| (world, c)));
    }
    out.extend(merge(&worlds, found));
    if let (Some(o), Some(n)) = (o, n) {
        retain_policies(&mut Sink { id, type_name, out }, o, n);
    }
}

/// Managed policies attached to principals, and policies attached to more principals.
fn attachments(
    sink: &mut Sink,
    o: Option<&Map<String, Value>>,
    n: Option<&Map<String, Value>>,
    renames: &HashMap<String, String>,
) {
    let canon = Canon::plain(Some(renames));
    let set = |r: Option<&Map<String, Value>>, key: &str| -> Vec<(String, Value)> {
        match r.and_then(|r| r.get(key)) {
            Some(Value::Array(a)) => a.iter().map(|v| (canon.free(v).to_string(), v.clone())).collect(),
            Some(v) => vec![(canon.free(v).to_string(), v.clone())],
            None => Vec::new(),
        }
    };
    let holds_identity_policy = facts(sink.type_name).is_some_and(|f| {
        f.policies.iter().any(|(p, k)| *p == "/properties/PolicyDocument" && *k == PolicyKind::Identity)
    });
    let mut keys = vec![("ManagedPolicyArns", "managed policy", "attached")];
    if holds_identity_policy {
        keys.extend([
            ("Roles", "role", "now also applies to"),
            ("Users", "user", "now also applies to"),
            ("Groups", "group", "now also applies to"),
        ]);
    }
    for (key, what, verb) in keys {
        let (a, b) = (set(o, key), set(n, key));
        for (from, to, direction) in [(&a, &b, Direction::Broadens), (&b, &a, Direction::Narrows)] {
            for (_, v) in to.iter().filter(|(k, _)| !from.iter().any(|(x, _)| x == k)) {
                let description = match (key, direction) {
                    ("ManagedPolicyArns", Direction::Broadens) => format!("{what} {} {verb}", compact(v)),
                    ("ManagedPolicyArns", _) => format!("{what} {} detached", compact(v)),
                    (_, Direction::Broadens) => format!("the policy {verb} {what} {}", compact(v)),
                    _ => format!("the policy no longer applies to {what} {}", compact(v)),
                };
                sink.push(SecurityCategory::PolicyAttachment, direction, Some(key.into()), description);
            }
        }
    }
}

fn retain_policies(sink: &mut Sink, o: &Resource, n: &Resource) {
    if let (Some(p), None) = (o.retained_on_delete(), n.retained_on_delete()) {
        sink.push(
            SecurityCategory::RetainPolicy,
            Direction::Broadens,
            None,
            format!("DeletionPolicy {p} dropped: removing the resource now deletes it and its data"),
        );
    }
    if let (Some(p), None) = (o.retained_on_replace(), n.retained_on_replace()) {
        sink.push(
            SecurityCategory::RetainPolicy,
            Direction::Broadens,
            None,
            format!(
                "UpdateReplacePolicy {p} dropped: a replacement now deletes the old resource and its data"
            ),
        );
    }
    if let (None, Some(p)) = (o.retained_on_delete(), n.retained_on_delete()) {
        sink.push(
            SecurityCategory::RetainPolicy,
            Direction::Narrows,
            None,
            format!("DeletionPolicy {p} added"),
        );
    }
}
