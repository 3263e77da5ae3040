//! Property overrides: set or remove a value by path, after the typed
//! resource is written, as CDK's `addPropertyOverride` does.
//!
//! A path is dot-separated property names (`BucketEncryption.ServerSideEncryptionConfiguration`);
//! a segment of digits indexes a list (`Rules.0.Status`). A key that holds
//! a dot is written with a backslash before it (`Tags\.Key`).

use serde_json::{Map, Value};

/// One change to a resource's properties.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Override {
    /// Sets the value at the path, creating the objects on the way.
    Set(Vec<String>, Value),
    /// Removes the value at the path, if there is one.
    Remove(Vec<String>),
}

/// The segments of a path.
pub(crate) fn segments(path: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.last_mut().expect("never empty").push(next);
                }
            }
            '.' => out.push(String::new()),
            c => out.last_mut().expect("never empty").push(c),
        }
    }
    out
}

fn index(segment: &str) -> Option<usize> {
    (!segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()))
        .then(|| segment.parse().ok())
        .flatten()
}

/// Applies an override to a resource's properties.
pub(crate) fn apply(properties: &mut Value, o: &Override) -> Result<(), String> {
    match o {
        Override::Set(path, value) => set(properties, path, value.clone()),
        Override::Remove(path) => {
            remove(properties, path);
            Ok(())
        }
    }
}

fn set(mut at: &mut Value, path: &[String], value: Value) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        *at = value;
        return Ok(());
    };
    for (depth, segment) in parents.iter().enumerate() {
        at = child(at, segment, &path[..=depth])?;
    }
    match at {
        Value::Array(items) => match index(last) {
            Some(i) if i < items.len() => items[i] = value,
            Some(i) if i == items.len() => items.push(value),
            _ => {
                return Err(format!(
                    "`{}` is not an index of a list of {} items",
                    path.join("."),
                    items.len()
                ))
            }
        },
        other => {
            if !other.is_object() {
                *other = Value::Object(Map::new());
            }
            other.as_object_mut().expect("an object").insert(last.clone(), value);
        }
    }
    Ok(())
}

/// The child of `at` named by `segment`, made an empty object when missing.
fn child<'a>(at: &'a mut Value, segment: &str, path: &[String]) -> Result<&'a mut Value, String> {
    if let Value::Array(items) = at {
        let len = items.len();
        return match index(segment) {
            Some(i) if i < len => Ok(&mut items[i]),
            _ => Err(format!("`{}` is not an index of a list of {len} items", path.join("."))),
        };
    }
    if !at.is_object() {
        *at = Value::Object(Map::new());
    }
    Ok(at
        .as_object_mut()
        .expect("an object")
        .entry(segment.to_string())
        .or_insert_with(|| Value::Object(Map::new())))
}

fn remove(mut at: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else { return };
    for segment in parents {
        let next = match at {
            Value::Array(items) => index(segment).and_then(|i| items.get_mut(i)),
            Value::Object(m) => m.get_mut(segment),
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => return,
        }
    }
    match at {
        Value::Array(items) => {
            if let Some(i) = index(last).filter(|i| *i < items.len()) {
                items.remove(i);
            }
        }
        Value::Object(m) => {
            m.shift_remove(last);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set_at(v: &mut Value, path: &str, value: Value) -> Result<(), String> {
        apply(v, &Override::Set(segments(path), value))
    }

    #[test]
    fn sets_nested_values_and_list_items() {
        let mut v = json!({"A": {"B": [{"C": 1}]}});
        set_at(&mut v, "A.B.0.C", json!(2)).unwrap();
        set_at(&mut v, "A.B.1", json!({"C": 3})).unwrap();
        set_at(&mut v, "X.Y", json!("new")).unwrap();
        assert_eq!(v, json!({"A": {"B": [{"C": 2}, {"C": 3}]}, "X": {"Y": "new"}}));
        assert!(set_at(&mut v, "A.B.5", json!(0)).unwrap_err().contains("not an index of a list of 2 items"));
    }

    #[test]
    fn removes_values_and_ignores_missing_paths() {
        let mut v = json!({"A": {"B": [1, 2, 3]}, "C": 1});
        apply(&mut v, &Override::Remove(segments("A.B.1"))).unwrap();
        apply(&mut v, &Override::Remove(segments("C"))).unwrap();
        apply(&mut v, &Override::Remove(segments("Nope.Deeper"))).unwrap();
        assert_eq!(v, json!({"A": {"B": [1, 3]}}));
    }

    #[test]
    fn escaped_dots_stay_in_keys() {
        assert_eq!(segments(r"A\.B.C"), ["A.B", "C"]);
    }
}
