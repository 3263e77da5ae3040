//! IAM policy documents: their canonical form, their statements as a
//! reviewer reads them, and which statements two documents do not share.
//!
//! IAM evaluates every statement of a document and does not care for their
//! order, nor for the order or repetition of the values of `Action`,
//! `Resource`, `Principal` and condition keys; a single value means the same
//! as a list of one, and the principal `"*"` the same as `{"AWS": "*"}`.

use crate::canon::{key_text, sorted_set, Canon};
use crate::show::compact;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

/// The canonical form of a policy document.
pub(crate) fn canon_document(v: &Value, c: &Canon) -> Value {
    let Value::Object(doc) = v else { return c.free(v) };
    if doc.len() == 1 && doc.keys().next().is_some_and(|k| k.starts_with("Fn::")) {
        return c.free(v);
    }
    let mut out = Map::new();
    let mut keys: Vec<&String> = doc.keys().collect();
    keys.sort();
    for k in keys {
        let value = if k == "Statement" {
            let statements = match &doc[k] {
                Value::Array(a) => a.iter().map(|s| canon_statement(s, c)).collect(),
                other => vec![canon_statement(other, c)],
            };
            sorted_set(statements)
        } else {
            c.free(&doc[k])
        };
        out.insert(k.clone(), value);
    }
    Value::Object(out)
}

fn canon_statement(s: &Value, c: &Canon) -> Value {
    let Value::Object(m) = s else { return c.free(s) };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    let mut out = Map::new();
    for k in keys {
        let v = &m[k];
        let value = match k.as_str() {
            "Action" | "NotAction" | "Resource" | "NotResource" => set(v, c),
            "Principal" | "NotPrincipal" => match v {
                Value::String(s) if s == "*" => {
                    let mut p = Map::new();
                    p.insert("AWS".into(), set(v, c));
                    Value::Object(p)
                }
                Value::Object(p) if !is_intrinsic(p) => {
                    Value::Object(p.iter().map(|(kind, ids)| (kind.clone(), set(ids, c))).collect())
                }
                other => c.free(other),
            },
            "Condition" => match v {
                Value::Object(ops) if !is_intrinsic(ops) => Value::Object(
                    ops.iter()
                        .map(|(op, keys)| {
                            let keys = match keys {
                                Value::Object(ks) if !is_intrinsic(ks) => Value::Object(
                                    ks.iter().map(|(k, vals)| (k.clone(), set(vals, c))).collect(),
                                ),
                                other => c.free(other),
                            };
                            (op.clone(), keys)
                        })
                        .collect(),
                ),
                other => c.free(other),
            },
            _ => c.free(v),
        };
        out.insert(k.clone(), value);
    }
    Value::Object(out)
}

fn is_intrinsic(m: &Map<String, Value>) -> bool {
    m.len() == 1 && m.keys().next().is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))
}

/// A bare value or a list, as a set of canonical values.
fn set(v: &Value, c: &Canon) -> Value {
    match v {
        Value::Array(a) => sorted_set(a.iter().map(|x| c.free(x)).collect()),
        other => sorted_set(vec![c.free(other)]),
    }
}

/// A policy statement as a reviewer reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Its `Sid`, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// `Principal` entries as `KIND:value` (`AWS:*`, `Service:bedrock.amazonaws.com`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principals: Vec<String>,
    /// `NotPrincipal` entries, likewise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_principals: Vec<String>,
    /// `Action` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// `NotAction` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_actions: Vec<String>,
    /// `Resource` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    /// `NotResource` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_resources: Vec<String>,
    /// Conditions as `Operator key = value1, value2`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Set when the statement is an intrinsic function (`!FindInMap ...`)
    /// whose value is known only at deploy time; the other fields are then empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// The same conditions by `Operator key`, with each value apart: what
    /// tells a condition narrowed from one dropped.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) condition_values: Vec<(String, Vec<String>)>,
}

impl Statement {
    /// Reads a canonical statement.
    pub(crate) fn from_canon(s: &Value) -> Statement {
        if s.as_object().is_none_or(is_intrinsic) {
            return Statement {
                sid: None,
                effect: "unknown".into(),
                principals: Vec::new(),
                not_principals: Vec::new(),
                actions: Vec::new(),
                not_actions: Vec::new(),
                resources: Vec::new(),
                not_resources: Vec::new(),
                conditions: Vec::new(),
                expression: Some(compact(s)),
                condition_values: Vec::new(),
            };
        }
        let strings = |key: &str| -> Vec<String> {
            match s.get(key) {
                Some(Value::Array(a)) => a.iter().map(compact).collect(),
                Some(other) => vec![compact(other)],
                None => Vec::new(),
            }
        };
        let principals = |key: &str| -> Vec<String> {
            match s.get(key) {
                Some(Value::Object(p)) if !is_intrinsic(p) => p
                    .iter()
                    .flat_map(|(kind, ids)| match ids {
                        Value::Array(a) => {
                            a.iter().map(|id| format!("{kind}:{}", compact(id))).collect::<Vec<_>>()
                        }
                        other => vec![format!("{kind}:{}", compact(other))],
                    })
                    .collect(),
                Some(other) => vec![compact(other)],
                None => Vec::new(),
            }
        };
        let mut condition_values = Vec::new();
        let conditions = match s.get("Condition") {
            Some(Value::Object(ops)) if !is_intrinsic(ops) => ops
                .iter()
                .flat_map(|(op, keys)| match keys {
                    Value::Object(ks) => ks
                        .iter()
                        .map(|(k, vals)| {
                            let vals = match vals {
                                Value::Array(a) => a.iter().map(compact).collect::<Vec<_>>(),
                                other => vec![compact(other)],
                            };
                            let text = format!("{op} {k} = {}", vals.join(", "));
                            condition_values.push((format!("{op} {k}"), vals));
                            text
                        })
                        .collect::<Vec<_>>(),
                    other => vec![format!("{op} {}", compact(other))],
                })
                .collect(),
            Some(other) => vec![compact(other)],
            None => Vec::new(),
        };
        Statement {
            sid: s.get("Sid").map(compact),
            effect: s.get("Effect").map(compact).unwrap_or_else(|| "Allow".into()),
            principals: principals("Principal"),
            not_principals: principals("NotPrincipal"),
            actions: strings("Action"),
            not_actions: strings("NotAction"),
            resources: strings("Resource"),
            not_resources: strings("NotResource"),
            conditions,
            expression: None,
            condition_values,
        }
    }

    /// Whether this is a `Deny` statement.
    pub fn is_deny(&self) -> bool {
        self.effect.eq_ignore_ascii_case("deny")
    }

    /// Whether this denies requests made without TLS (`aws:SecureTransport` false).
    pub fn is_tls_deny(&self) -> bool {
        self.is_deny()
            && self.conditions.iter().any(|c| {
                let c = c.to_ascii_lowercase();
                c.starts_with("bool aws:securetransport = false")
            })
    }
}

/// Statements one canonical document has and the other has not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementChanges {
    /// Statements only the new document has.
    pub added: Vec<Statement>,
    /// Statements only the old document has.
    pub removed: Vec<Statement>,
}

impl StatementChanges {
    /// Whether both documents have the same statements.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// Compares the statements of two canonical documents (either may be absent).
pub(crate) fn diff_statements(old: Option<&Value>, new: Option<&Value>) -> StatementChanges {
    let raw = |d: Option<&Value>| -> Vec<Value> {
        match d.and_then(|d| d.get("Statement")) {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        }
    };
    let (old, new) = (raw(old), raw(new));
    // Looked up by text, not compared pairwise: a document may hold thousands.
    let texts = |d: &[Value]| d.iter().map(key_text).collect::<std::collections::HashSet<String>>();
    let (in_old, in_new) = (texts(&old), texts(&new));
    StatementChanges {
        added: new.iter().filter(|s| !in_old.contains(&key_text(s))).map(Statement::from_canon).collect(),
        removed: old.iter().filter(|s| !in_new.contains(&key_text(s))).map(Statement::from_canon).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(v: Value) -> Value {
        canon_document(&v, &Canon::plain(None))
    }

    #[test]
    fn statement_order_single_values_and_star_principals_mean_nothing() {
        let a = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["b", "a"], "Principal": "*"},
            {"Effect": "Deny", "Action": ["s3:*"], "Resource": "a", "Principal": {"AWS": "*"},
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]});
        let b = json!({"Statement": [
            {"Principal": {"AWS": ["*"]}, "Effect": "Deny", "Action": "s3:*", "Resource": ["a"],
             "Condition": {"Bool": {"aws:SecureTransport": false}}},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObject"], "Resource": ["a", "b"], "Principal": {"AWS": "*"}}
        ], "Version": "2012-10-17"});
        assert_eq!(canon(a), canon(b));
    }

    #[test]
    fn statements_read_and_differ() {
        let old = canon(
            json!({"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}}),
        );
        let new = canon(json!({"Statement": []}));
        let d = diff_statements(Some(&old), Some(&new));
        assert!(d.added.is_empty());
        assert_eq!(d.removed.len(), 1);
        let s = &d.removed[0];
        assert!(s.is_tls_deny());
        assert_eq!(s.principals, vec!["AWS:*"]);
        assert_eq!(s.conditions, vec!["Bool aws:SecureTransport = false"]);
    }
}
