//! The merges MDAA performs with lodash and JavaScript object spreads,
//! and the order JavaScript gives an object's keys.

use indexmap::IndexMap;
use yaml_serde::Value;

use crate::resolved::Resolved;

/// lodash's `_.merge(dst, src)`, as MDAA merges an environment with its
/// template: mappings key by key, sequences index by index (`[a, b]`
/// merged with `[c]` is `[c, b]`), anything else replaced.
pub fn lodash_merge(dst: &mut Value, src: &Value) {
    match (dst, src) {
        (Value::Mapping(d), Value::Mapping(s)) => {
            for (k, v) in s {
                match d.get_mut(k) {
                    Some(existing) => lodash_merge(existing, v),
                    None => {
                        d.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Sequence(d), Value::Sequence(s)) => {
            for (i, v) in s.iter().enumerate() {
                match d.get_mut(i) {
                    Some(existing) => lodash_merge(existing, v),
                    None => d.push(v.clone()),
                }
            }
        }
        (d, s) => *d = s.clone(),
    }
}

/// MDAA's merge of a module's config files (lodash `mergeWith` with a
/// customizer that concatenates arrays), in the order they are listed:
/// mappings key by key, a sequence followed by anything appends it (the
/// items of a sequence, or the value itself), anything else replaced.
/// Files that are empty (`null`) add nothing.
///
/// ```
/// use mdaa::{merge_module_configs, Resolved, Text};
/// let list = |items: &[&str]| Resolved::Seq(items.iter().map(|s| Resolved::Text(Text::literal(*s))).collect());
/// let file = |roles: &[&str]| Resolved::Map([("readRoles".to_string(), list(roles))].into_iter().collect());
/// let merged = merge_module_configs([file(&["a"]), Resolved::Null, file(&["b", "c"])]);
/// assert_eq!(merged, file(&["a", "b", "c"]));
/// ```
pub fn merge_module_configs(files: impl IntoIterator<Item = Resolved>) -> Resolved {
    let mut out = Resolved::Map(IndexMap::new());
    for file in files {
        if file != Resolved::Null {
            concat_merge(&mut out, file);
        }
    }
    out
}

fn concat_merge(dst: &mut Resolved, src: Resolved) {
    match (dst, src) {
        (Resolved::Seq(d), Resolved::Seq(s)) => d.extend(s),
        (Resolved::Seq(d), other) => d.push(other),
        (Resolved::Map(d), Resolved::Map(s)) => {
            for (k, v) in s {
                match d.get_mut(&k) {
                    Some(existing) => concat_merge(existing, v),
                    None => {
                        d.insert(k, v);
                    }
                }
            }
        }
        (d, s) => *d = s,
    }
}

/// `{...files, ...inline}`: the inline `module_config_data` replaces the
/// merged files' top-level keys one by one, as MDAA's app does.
pub fn overlay(files: Resolved, inline: Resolved) -> Resolved {
    match (files, inline) {
        (Resolved::Map(mut f), Resolved::Map(i)) => {
            for (k, v) in i {
                f.insert(k, v);
            }
            Resolved::Map(f)
        }
        (files, Resolved::Null) => files,
        (_, inline) => inline,
    }
}

/// The order JavaScript enumerates an object's keys (`Object.keys`,
/// spreads): keys that are array indices (`0`, `17`) first, ascending,
/// then the others in insertion order. MDAA walks domains, environments
/// and modules in this order.
pub(crate) fn js_key_order<T>(entries: Vec<(String, T)>) -> Vec<(String, T)> {
    let (mut indices, others): (Vec<_>, Vec<_>) =
        entries.into_iter().partition(|(k, _)| array_index(k).is_some());
    indices.sort_by_key(|(k, _)| array_index(k));
    indices.extend(others);
    indices
}

fn array_index(key: &str) -> Option<u64> {
    if key.is_empty() || (key.len() > 1 && key.starts_with('0')) || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u64>().ok().filter(|n| *n < u64::from(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolved::Text;

    fn yaml(s: &str) -> Value {
        yaml_serde::from_str(s).unwrap()
    }

    #[test]
    fn lodash_merges_sequences_index_by_index() {
        let mut dst = yaml("a: {x: 1, y: [1, 2, 3]}\nb: keep\n");
        lodash_merge(&mut dst, &yaml("a: {y: [9], z: 2}\nb: ~\n"));
        assert_eq!(dst, yaml("a: {x: 1, y: [9, 2, 3], z: 2}\nb: ~\n"));
    }

    #[test]
    fn config_files_concatenate_sequences() {
        let t = |s: &str| Resolved::Text(Text::literal(s));
        let map = |entries: Vec<(&str, Resolved)>| {
            Resolved::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        };
        let a = map(vec![("l", Resolved::Seq(vec![t("1")])), ("m", map(vec![("x", t("a"))]))]);
        let b = map(vec![("l", t("2")), ("m", map(vec![("y", t("b"))]))]);
        let merged = merge_module_configs([a, b]);
        let expected = map(vec![
            ("l", Resolved::Seq(vec![t("1"), t("2")])),
            ("m", map(vec![("x", t("a")), ("y", t("b"))])),
        ]);
        assert_eq!(merged, expected);
        let over = overlay(merged, map(vec![("m", t("replaced"))]));
        assert_eq!(over.get("m"), Some(&t("replaced")));
    }

    #[test]
    fn javascript_puts_index_like_keys_first() {
        let keys = |v: Vec<&str>| {
            js_key_order(v.into_iter().map(|k| (k.to_string(), ())).collect())
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(vec!["dev", "10", "prod", "2", "01", "0"]), ["0", "2", "10", "dev", "prod", "01"]);
    }
}
