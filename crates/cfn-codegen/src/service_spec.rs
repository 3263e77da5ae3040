//! The second source of replacement facts: AWS's CDK service-spec database
//! (npm `@aws-cdk/aws-service-spec`, Apache-2.0, its `db.json`).
//!
//! The registry schemas' `createOnlyProperties` miss some rules the
//! services enforce (a Route 53 record's `Name`, an EMR cluster's nested
//! security groups, an Elasticsearch domain's KMS key). The older
//! CloudFormation resource specification recorded them as each property's
//! `UpdateType` (`Immutable`, `Conditional`, `Mutable`), and the database
//! merges that specification, with the CDK's patches to it, into the
//! registry's facts as `causesReplacement` (`yes`, `maybe`). What it says
//! beyond the registry is kept apart (the `spec_` columns of `facts.tsv`)
//! so that a tool can say where a fact comes from.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use serde_json::Value;

/// How deep nested property types are followed (they can be recursive).
const MAX_DEPTH: usize = 8;

/// What the database says replaces resources.
pub struct ServiceSpec {
    /// The package version, such as `0.1.216`.
    pub version: String,
    /// Type name → property paths (`/properties/A/*/B`) whose change
    /// replaces the resource (`true`) or may replace it (`false`).
    pub replacement: BTreeMap<String, Vec<(String, bool)>>,
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

impl ServiceSpec {
    /// Reads the package folder: `package.json` for the version, and
    /// `db.json` (the package's `db.json.gz`, decompressed).
    pub fn read(package: &Path) -> Result<ServiceSpec, String> {
        let manifest = read_json(&package.join("package.json"))?;
        if manifest["name"] != "@aws-cdk/aws-service-spec" {
            return Err(format!("{}: not @aws-cdk/aws-service-spec", package.display()));
        }
        let version = manifest["version"].as_str().ok_or("package.json has no version")?.to_string();
        let db = read_json(&package.join("db.json"))?;
        let entities = |kind: &str| -> Result<&Vec<Value>, String> {
            db["schema"][kind]["entities"].as_array().ok_or_else(|| {
                format!("db.json has no {kind} entities: its layout changed, update the reader")
            })
        };
        let types: HashMap<&str, &Value> =
            entities("typeDefinition")?.iter().filter_map(|t| Some((t["$id"].as_str()?, t))).collect();
        let mut replacement = BTreeMap::new();
        for resource in entities("resource")? {
            let Some(type_name) = resource["cloudFormationType"].as_str() else { continue };
            let mut out = Vec::new();
            walk(&resource["properties"], "/properties", &types, &mut BTreeSet::new(), &mut out);
            replacement.insert(type_name.to_string(), out);
        }
        if !replacement.contains_key("AWS::S3::Bucket") {
            return Err("db.json describes no AWS::S3::Bucket: its layout changed, update the reader".into());
        }
        Ok(ServiceSpec { version, replacement })
    }

    /// The facts the database adds to a registry type's: paths that
    /// replace (first list) or may replace (second) the resource, leaving
    /// out what the registry already says (paths at or under its
    /// create-only or conditionally create-only ones) and properties the
    /// registry schema does not have.
    pub fn beyond_registry(
        &self,
        type_name: &str,
        properties: &[String],
        create_only: &[String],
        conditional: &[String],
    ) -> (Vec<String>, Vec<String>) {
        let (mut certain, mut may) = (Vec::new(), Vec::new());
        for (path, replaces) in self.replacement.get(type_name).into_iter().flatten() {
            let top = path.trim_start_matches("/properties/").split('/').next().unwrap_or_default();
            if !properties.iter().any(|p| p == top) {
                continue;
            }
            if create_only.iter().chain(conditional).any(|known| under(path, known)) {
                continue;
            }
            if *replaces {
                certain.push(path.clone());
            } else {
                may.push(path.clone());
            }
        }
        (certain, may)
    }
}

/// Whether schema path `path` is `known` or lies below it (`*` matches any step).
fn under(path: &str, known: &str) -> bool {
    let mut p = path.split('/');
    known.split('/').all(|k| p.next().is_some_and(|s| s == k || s == "*" || k == "*"))
}

/// Collects the replacing properties of a property map, following nested
/// types; nothing below a property that replaces is listed.
fn walk(
    properties: &Value,
    prefix: &str,
    types: &HashMap<&str, &Value>,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<(String, bool)>,
) {
    let Some(properties) = properties.as_object() else { return };
    for (name, property) in properties {
        let path = format!("{prefix}/{name}");
        match property["causesReplacement"].as_str() {
            Some("yes") => {
                out.push((path, true));
                continue;
            }
            Some("maybe") => out.push((path.clone(), false)),
            _ => {}
        }
        // Lists and maps of a nested type: `*` for every item.
        let mut ty = &property["type"];
        let mut path = path;
        while matches!(ty["type"].as_str(), Some("array" | "map")) {
            ty = &ty["element"];
            path.push_str("/*");
        }
        if ty["type"] != "ref" || seen.len() >= MAX_DEPTH {
            continue;
        }
        let Some(id) = ty["reference"]["$ref"].as_str() else { continue };
        if let Some(nested) = types.get(id).filter(|_| seen.insert(id.to_string())) {
            walk(&nested["properties"], &path, types, seen, out);
            seen.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_types_lists_and_what_the_registry_knows() {
        let types_doc = json!({"$id": "2", "properties": {
            "KeyId": {"type": {"type": "string"}, "causesReplacement": "yes"},
            "Enabled": {"type": {"type": "boolean"}},
            "Again": {"type": {"type": "array", "element": {"type": "ref", "reference": {"$ref": "2"}}}}
        }});
        let types = HashMap::from([("2", &types_doc)]);
        let props = json!({
            "Name": {"type": {"type": "string"}, "causesReplacement": "yes"},
            "Options": {"type": {"type": "ref", "reference": {"$ref": "2"}}, "causesReplacement": "maybe"},
            "Tags": {"type": {"type": "array", "element": {"type": "string"}}}
        });
        let mut out = Vec::new();
        walk(&props, "/properties", &types, &mut BTreeSet::new(), &mut out);
        assert_eq!(
            out,
            [
                ("/properties/Name".to_string(), true),
                ("/properties/Options".to_string(), false),
                ("/properties/Options/KeyId".to_string(), true),
            ]
        );
        let spec = ServiceSpec { version: "0".into(), replacement: BTreeMap::from([("T".to_string(), out)]) };
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (certain, may) =
            spec.beyond_registry("T", &owned(&["Name", "Options"]), &owned(&["/properties/Name"]), &[]);
        assert_eq!((certain, may), (owned(&["/properties/Options/KeyId"]), owned(&["/properties/Options"])));
        assert!(under("/properties/A/*/B", "/properties/A") && !under("/properties/AB", "/properties/A"));
    }
}
