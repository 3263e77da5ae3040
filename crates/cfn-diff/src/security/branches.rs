//! Values that depend on the template's conditions: each `Fn::If` read both
//! ways.
//!
//! A property may hold `!If [Cond, A, B]` anywhere: around a whole policy
//! document, a statement list, one statement, a security group rule or a
//! setting. CloudFormation picks one branch at deploy time, so a change is
//! judged in every *world*, one assignment of true or false to each
//! condition the values name, and a finding that shows up in some worlds
//! only is said to hold "when condition X holds". `!Ref AWS::NoValue` in a
//! branch removes the key or list item that holds it.
//!
//! Conditions are taken as independent: one defined from another
//! (`!Not [Condition: A]`) still makes worlds that cannot happen, where a
//! finding is then said to hold under both.

use crate::model::SecurityChange;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;

/// How many conditions are read both ways in one comparison (2⁶ = 64
/// worlds); `Fn::If`s on further conditions stay unresolved, compared as
/// written.
pub(crate) const MAX_CONDITIONS: usize = 6;

/// Adds to `out` the condition names that `Fn::If`s in `v` test.
pub(crate) fn conditions_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(a)) = m.get("Fn::If").filter(|_| m.len() == 1) {
                if let Some(name) = a.first().and_then(Value::as_str) {
                    if !out.iter().any(|n| n == name) {
                        out.push(name.to_string());
                    }
                }
            }
            m.values().for_each(|x| conditions_in(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| conditions_in(x, out)),
        _ => {}
    }
}

/// Every assignment of true or false to a few conditions.
#[derive(Debug, Clone)]
pub(crate) struct Worlds {
    names: Vec<String>,
}

impl Worlds {
    /// The worlds of these conditions (sorted; beyond [`MAX_CONDITIONS`]
    /// the rest are left unresolved).
    pub fn new(mut names: Vec<String>) -> Worlds {
        names.sort();
        names.dedup();
        names.truncate(MAX_CONDITIONS);
        Worlds { names }
    }

    /// How many worlds: 2 to the number of conditions.
    pub fn len(&self) -> usize {
        1 << self.names.len()
    }

    /// Whether a condition holds in a world; `None` for a condition not read both ways.
    fn holds(&self, world: usize, name: &str) -> Option<bool> {
        self.names.iter().position(|n| n == name).map(|i| world & (1 << i) != 0)
    }

    /// Whether something that exists under a resource `Condition` exists in
    /// a world (a condition not read both ways is taken to hold).
    pub fn includes(&self, world: usize, condition: Option<&str>) -> bool {
        condition.and_then(|c| self.holds(world, c)).unwrap_or(true)
    }

    /// The value as it is in a world: `Fn::If`s on the world's conditions
    /// replaced by their branch; `None` when it is `AWS::NoValue`.
    pub fn resolve<'v>(&self, world: usize, v: &'v Value) -> Option<Cow<'v, Value>> {
        if self.names.is_empty() {
            return Some(Cow::Borrowed(v));
        }
        self.owned(world, v).map(Cow::Owned)
    }

    fn owned(&self, world: usize, v: &Value) -> Option<Value> {
        match v {
            Value::Object(m) if m.len() == 1 => {
                if let Some(Value::String(r)) = m.get("Ref") {
                    if r == "AWS::NoValue" {
                        return None;
                    }
                }
                if let Some(Value::Array(a)) = m.get("Fn::If") {
                    let choice = a.first().and_then(Value::as_str).and_then(|c| self.holds(world, c));
                    if let (Some(holds), 3) = (choice, a.len()) {
                        return self.owned(world, &a[if holds { 1 } else { 2 }]);
                    }
                }
                Some(Value::Object(self.map(world, m)))
            }
            Value::Object(m) => Some(Value::Object(self.map(world, m))),
            Value::Array(a) => Some(Value::Array(a.iter().filter_map(|x| self.owned(world, x)).collect())),
            other => Some(other.clone()),
        }
    }

    fn map(&self, world: usize, m: &Map<String, Value>) -> Map<String, Value> {
        m.iter().filter_map(|(k, x)| self.owned(world, x).map(|x| (k.clone(), x))).collect()
    }

    /// A resource's properties as they are in a world.
    pub fn properties<'v>(&self, world: usize, props: &'v Map<String, Value>) -> Cow<'v, Map<String, Value>> {
        if self.names.is_empty() {
            Cow::Borrowed(props)
        } else {
            Cow::Owned(self.map(world, props))
        }
    }

    /// The worlds in `set`, in words ("condition IsProd holds"); `None`
    /// when it is every world.
    pub fn describe(&self, set: &[usize]) -> Option<String> {
        if set.len() >= self.len() {
            return None;
        }
        let literal = |i: usize, holds: bool| {
            format!("condition {} {}", self.names[i], if holds { "holds" } else { "does not hold" })
        };
        // The conditions every world of the set agrees on.
        let common: Vec<(usize, bool)> = (0..self.names.len())
            .filter_map(|i| {
                let first = set.first().map(|w| w & (1 << i) != 0)?;
                set.iter().all(|w| (w & (1 << i) != 0) == first).then_some((i, first))
            })
            .collect();
        if 1 << (self.names.len() - common.len()) == set.len() {
            return Some(common.iter().map(|&(i, h)| literal(i, h)).collect::<Vec<_>>().join(" and "));
        }
        let each: Vec<String> = set
            .iter()
            .map(|w| {
                (0..self.names.len()).map(|i| literal(i, w & (1 << i) != 0)).collect::<Vec<_>>().join(" and ")
            })
            .collect();
        Some(each.join(", or "))
    }
}

/// Findings made in each world, merged: one found in every world stands
/// as it is; one found in some is said to hold only there.
pub(crate) fn merge(worlds: &Worlds, found: Vec<(usize, SecurityChange)>) -> Vec<SecurityChange> {
    let mut groups: Vec<(SecurityChange, Vec<usize>)> = Vec::new();
    // Equal findings are looked for among those of the same JSON text,
    // not among all: a policy of thousands of statements has thousands.
    let mut by_text: HashMap<String, Vec<usize>> = HashMap::new();
    for (world, change) in found {
        let bucket = by_text.entry(serde_json::to_string(&change).unwrap_or_default()).or_default();
        match bucket.iter().copied().find(|g| groups[*g].0 == change) {
            Some(g) => {
                let set = &mut groups[g].1;
                if !set.contains(&world) {
                    set.push(world);
                }
            }
            None => {
                bucket.push(groups.len());
                groups.push((change, vec![world]));
            }
        }
    }
    groups
        .into_iter()
        .map(|(mut change, set)| {
            if let Some(when) = worlds.describe(&set) {
                change.description = format!("when {when}: {}", change.description);
                change.when = Some(when);
            }
            change
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_branches_and_no_value() {
        let v = json!({"Statement": [
            {"Fn::If": ["IsProd", {"Effect": "Allow"}, {"Ref": "AWS::NoValue"}]},
            {"Effect": "Deny", "Resource": {"Fn::If": ["Wide", "*", "arn:a"]}}
        ]});
        let mut names = Vec::new();
        conditions_in(&v, &mut names);
        let w = Worlds::new(names);
        assert_eq!(w.len(), 4);
        // Bits follow the sorted names: IsProd is bit 0, Wide bit 1.
        assert_eq!(
            w.resolve(0, &v).unwrap().into_owned(),
            json!({"Statement": [{"Effect": "Deny", "Resource": "arn:a"}]})
        );
        assert_eq!(
            w.resolve(3, &v).unwrap().into_owned(),
            json!({"Statement": [{"Effect": "Allow"}, {"Effect": "Deny", "Resource": "*"}]})
        );
        assert!(w.resolve(0, &json!({"Ref": "AWS::NoValue"})).is_none());
    }

    #[test]
    fn worlds_in_words() {
        let w = Worlds::new(vec!["B".into(), "A".into()]);
        assert_eq!(w.describe(&[0, 1, 2, 3]), None);
        assert_eq!(w.describe(&[1, 3]).as_deref(), Some("condition A holds"));
        assert_eq!(w.describe(&[2]).as_deref(), Some("condition A does not hold and condition B holds"));
        assert_eq!(
            w.describe(&[0, 3]).as_deref(),
            Some(
                "condition A does not hold and condition B does not hold, or condition A holds and condition B holds"
            )
        );
    }
}
