//! Property paths: how a change is named for people (`Tags[Key=env].Value`)
//! and for the schema facts (`/properties/Tags/0/Value`).

/// One step into a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    /// A mapping key.
    Key(String),
    /// A list position.
    Index(usize),
    /// An item of an unordered list, named by what identifies it.
    Item {
        /// Its position (in the new list when it is there, else the old).
        index: usize,
        /// What names it: `Key=env`, or the value itself for scalars.
        label: String,
    },
}

/// A path for people: `A.B[0].C`, `Tags[Key=env]`.
pub(crate) fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Item { label, .. } => out.push_str(&format!("[{label}]")),
        }
    }
    out
}

/// A JSON pointer under `/properties`, list positions as numbers, as the
/// schema facts take them.
pub(crate) fn pointer(path: &[Seg]) -> String {
    let mut out = String::from("/properties");
    for seg in path {
        out.push('/');
        match seg {
            Seg::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) | Seg::Item { index: i, .. } => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Visits `v` and every value inside it, each with its path; `f` says
/// whether to go on into the value it is given.
pub(crate) fn visit(
    v: &serde_json::Value,
    path: &mut Vec<Seg>,
    f: &mut dyn FnMut(&serde_json::Value, &[Seg]) -> bool,
) {
    if !f(v, path) {
        return;
    }
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                path.push(Seg::Key(k.clone()));
                visit(x, path, f);
                path.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                visit(x, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_well_and_point_into_the_schema() {
        let p = [
            Seg::Key("Tags".into()),
            Seg::Item { index: 2, label: "Key=env".into() },
            Seg::Key("Value".into()),
        ];
        assert_eq!(display(&p), "Tags[Key=env].Value");
        assert_eq!(pointer(&p), "/properties/Tags/2/Value");
        assert_eq!(pointer(&[Seg::Key("a/b".into()), Seg::Index(0)]), "/properties/a~1b/0");
    }
}
