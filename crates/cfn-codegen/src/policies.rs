//! Which properties hold IAM policy documents (`data/policy-documents.json`).

use serde_json::Value;

/// Policy-document paths by type: `(type, pointer, kind)`, where the pointer
/// is `/properties/...` with `*` for list items.
pub struct PolicyPaths {
    paths: Vec<(String, String, &'static str)>,
    /// Types whose resource policy names the resource as `*` (`names_itself`).
    names_itself: Vec<String>,
}

const KINDS: [&str; 3] = ["identity", "resource", "trust"];

impl PolicyPaths {
    /// Reads the data file's text.
    pub fn parse(text: &str) -> Result<PolicyPaths, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("policy-documents.json: {e}"))?;
        let mut out = Vec::new();
        for kind in KINDS {
            for entry in
                v[kind].as_array().ok_or_else(|| format!("policy-documents.json: no `{kind}` list"))?
            {
                let entry = entry.as_str().ok_or("policy-documents.json: entries are strings")?;
                let (type_name, path) = entry
                    .rsplit_once("::")
                    .and_then(|(ns, rest)| {
                        rest.split_once('/').map(|(res, path)| (format!("{ns}::{res}"), path))
                    })
                    .ok_or_else(|| format!("policy-documents.json: `{entry}` is not TYPE/PATH"))?;
                out.push((type_name, format!("/properties/{path}"), kind));
            }
        }
        let names_itself = v["names_itself"]
            .as_array()
            .ok_or("policy-documents.json: no `names_itself` list")?
            .iter()
            .map(|t| t.as_str().map(str::to_string).ok_or("policy-documents.json: entries are strings"))
            .collect::<Result<_, _>>()?;
        Ok(PolicyPaths { paths: out, names_itself })
    }

    /// The kind of policy at a pointer of a type, if one is there.
    pub fn kind_of(&self, type_name: &str, pointer: &str) -> Option<&'static str> {
        self.paths.iter().find(|(t, p, _)| t == type_name && p == pointer).map(|(_, _, k)| *k)
    }

    /// Every policy path of a type.
    pub fn of_type(&self, type_name: &str) -> Vec<(String, &'static str)> {
        self.paths.iter().filter(|(t, _, _)| t == type_name).map(|(_, p, k)| (p.clone(), *k)).collect()
    }

    /// Whether the type's resource policy names the resource it governs as
    /// `*` (a key policy: naming the key by ARN would make it depend on itself).
    pub fn names_itself(&self, type_name: &str) -> bool {
        self.names_itself.iter().any(|t| t == type_name)
    }

    /// Every entry, to check that each names a property that exists.
    pub fn all(&self) -> impl Iterator<Item = (&str, &str)> {
        self.paths.iter().map(|(t, p, _)| (t.as_str(), p.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paths_by_kind() {
        let p = PolicyPaths::parse(include_str!("../data/policy-documents.json")).unwrap();
        assert_eq!(p.kind_of("AWS::IAM::Role", "/properties/AssumeRolePolicyDocument"), Some("trust"));
        assert_eq!(p.kind_of("AWS::IAM::Role", "/properties/Policies/*/PolicyDocument"), Some("identity"));
        assert_eq!(p.kind_of("AWS::KMS::Key", "/properties/KeyPolicy"), Some("resource"));
        assert_eq!(p.kind_of("AWS::KMS::Key", "/properties/Description"), None);
    }
}
