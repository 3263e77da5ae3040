//! Every property and attribute of the pinned registry schemas has its
//! generated counterpart: a field written by a generated struct, a property
//! of the type's shape, and an attribute accessor.
//!
//! The test reads the schemas from the installed cfn-lint package and the
//! generated sources as committed, independently of the generator's code.
//! `./test.sh` runs it with `CFN_LINT_PACKAGE` set:
//!
//! ```sh
//! CFN_LINT_PACKAGE=$(.venv/bin/python -c 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))') \
//!     cargo test -p cfn-codegen --test coverage -- --include-ignored --nocapture
//! ```

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cfn-template/src/generated")
}

/// One generated file: the type it holds, the properties each struct
/// writes, the properties of its shape, and the attributes it reads.
#[derive(Default)]
struct Generated {
    structs: Vec<BTreeSet<String>>,
    shape_props: BTreeSet<String>,
    attributes: BTreeSet<String>,
}

fn quoted_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &line[line.find(marker)? + marker.len()..];
    rest.split('"').next()
}

fn read_generated() -> HashMap<String, Generated> {
    let mut by_type = HashMap::new();
    for service in fs::read_dir(generated_dir()).expect("the generated L1").flatten() {
        if !service.path().is_dir() {
            continue;
        }
        for file in fs::read_dir(service.path()).expect("a service folder").flatten() {
            let text = fs::read_to_string(file.path()).expect("a generated file");
            let Some(type_name) =
                text.lines().find_map(|l| quoted_after(l, "pub const TYPE: &'static str = \""))
            else {
                continue;
            };
            let mut g = Generated::default();
            let mut current: Option<BTreeSet<String>> = None;
            for line in text.lines() {
                if line.starts_with("impl crate::value::PropertyValue for ") {
                    current = Some(BTreeSet::new());
                } else if line == "}" {
                    if let Some(s) = current.take() {
                        g.structs.push(s);
                    }
                } else if let Some(set) = current.as_mut() {
                    if let Some(name) = quoted_after(line, "(&mut m, \"") {
                        set.insert(name.to_string());
                    }
                }
                if let Some(name) = quoted_after(line, "Prop(\"") {
                    g.shape_props.insert(name.to_string());
                }
                if let Some(name) = quoted_after(line, "self.get_att(\"") {
                    g.attributes.insert(name.to_string());
                }
            }
            by_type.insert(type_name.to_string(), g);
        }
    }
    by_type
}

fn resolve<'a>(doc: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else { break };
        let Some(target) = r.strip_prefix("#/").and_then(|p| doc.pointer(&format!("/{p}"))) else { break };
        node = target;
    }
    node
}

/// The schema node at a property path (`A/B`), following `$ref`s.
fn node_at<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = &doc["properties"];
    for part in path.split('/') {
        node = resolve(doc, resolve(doc, node).get("properties").unwrap_or(node)).get(part)?;
        node = resolve(doc, node);
    }
    Some(node)
}

/// The property names of every object node of a schema, with a label.
fn object_nodes(doc: &Value) -> Vec<(String, BTreeSet<String>)> {
    let read_only: BTreeSet<&str> = doc["readOnlyProperties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str()?.strip_prefix("/properties/"))
        .filter(|p| !p.contains('/'))
        .collect();
    let root: BTreeSet<String> = doc["properties"]
        .as_object()
        .map(|m| m.keys().filter(|k| !read_only.contains(k.as_str())).cloned().collect())
        .unwrap_or_default();
    let mut out = vec![("<resource>".to_string(), root)];
    let mut stack: Vec<(String, &Value)> = Vec::new();
    for (name, def) in doc["definitions"].as_object().into_iter().flatten() {
        stack.push((name.clone(), def));
    }
    for (name, prop) in doc["properties"].as_object().into_iter().flatten() {
        // Read-only properties are attributes, not inputs.
        if !read_only.contains(name.as_str()) {
            stack.push((name.clone(), prop));
        }
    }
    let mut seen = 0;
    while let Some((label, node)) = stack.pop() {
        seen += 1;
        assert!(seen < 1_000_000, "runaway schema walk");
        let node = resolve(doc, node);
        // Inline objects and list items of inline objects.
        if let Some(items) = node.get("items") {
            if items.get("$ref").is_none() {
                stack.push((format!("{label}[]"), items));
            }
        }
        let mut props: BTreeSet<String> = BTreeSet::new();
        for source in std::iter::once(node)
            .chain(["oneOf", "anyOf"].iter().flat_map(|k| node[*k].as_array().into_iter().flatten()))
        {
            let source = resolve(doc, source);
            for (k, v) in source["properties"].as_object().into_iter().flatten() {
                props.insert(k.clone());
                if v.get("$ref").is_none() {
                    stack.push((format!("{label}.{k}"), v));
                }
            }
        }
        if !props.is_empty() && !label.starts_with("<resource>") {
            out.push((label, props));
        }
    }
    out
}

#[test]
#[ignore = "needs the pinned cfn-lint schemas: ./test.sh runs it with CFN_LINT_PACKAGE"]
fn every_property_and_attribute_has_its_generated_counterpart() {
    let package = PathBuf::from(
        std::env::var("CFN_LINT_PACKAGE").expect("CFN_LINT_PACKAGE: the cfnlint package folder"),
    );
    let schemas = package.join("data/schemas");
    let provider: Value =
        serde_json::from_str(&fs::read_to_string(schemas.join("providers/us-east-1.json")).unwrap()).unwrap();
    let generated = read_generated();

    let (mut props_total, mut props_typed, mut props_shaped) = (0usize, 0usize, 0usize);
    let (mut attrs_total, mut attrs_found) = (0usize, 0usize);
    let mut missing = Vec::new();
    for (type_name, file) in provider.as_object().unwrap() {
        let path = schemas.join("resources").join(format!("{}.json", file.as_str().unwrap()));
        let doc: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let Some(g) = generated.get(type_name) else {
            missing.push(format!("{type_name}: no generated file"));
            continue;
        };
        let Some(facts) = cfn_template::schema::facts::facts(type_name) else {
            panic!("{type_name} has no facts");
        };
        for (label, props) in object_nodes(&doc) {
            props_total += props.len();
            props_shaped += props.iter().filter(|p| g.shape_props.contains(*p)).count();
            // Tag-shaped definitions are the shared `Tag`; everything else is a struct of the file.
            let tag_like =
                props.iter().map(String::as_str).collect::<BTreeSet<_>>() == BTreeSet::from(["Key", "Value"]);
            let typed = tag_like || g.structs.iter().any(|s| props.is_subset(s));
            if typed {
                props_typed += props.len();
            } else {
                missing.push(format!("{type_name} {label}: no struct writes {props:?}"));
            }
            for p in props.iter().filter(|p| !g.shape_props.contains(*p)) {
                missing.push(format!("{type_name} {label}.{p}: not in the shape"));
            }
        }
        for pointer in doc["readOnlyProperties"].as_array().into_iter().flatten() {
            let Some(rest) = pointer.as_str().and_then(|p| p.strip_prefix("/properties/")) else { continue };
            if rest.contains('*') {
                continue; // GetAtt cannot index a list
            }
            let attribute = rest.replace('/', ".");
            // GetAtt returns no list of objects or of lists (cfn-lint's rule).
            let node = node_at(&doc, rest);
            let items = node.and_then(|n| n.get("items")).map(|i| resolve(&doc, i));
            if items.is_some_and(|i| {
                matches!(i["type"].as_str(), Some("object" | "array")) || i.get("properties").is_some()
            }) {
                continue;
            }
            attrs_total += 1;
            // An object whose leaves are attributes (the types cfn-lint reads every property of).
            let leaves = g.attributes.iter().any(|a| a.starts_with(&format!("{attribute}.")));
            if g.attributes.contains(&attribute)
                || leaves
                || (attribute == "Outputs" && facts.attribute_prefixes.contains(&"Outputs."))
            {
                attrs_found += 1;
            } else {
                missing.push(format!("{type_name}: no accessor for the attribute {attribute}"));
            }
        }
    }
    let pct = |n: usize, d: usize| 100.0 * n as f64 / d.max(1) as f64;
    println!(
        "coverage of cfn-lint's schemas: {} types; properties {props_typed}/{props_total} typed ({:.2} %), \
         {props_shaped}/{props_total} in shapes ({:.2} %); read-only attributes {attrs_found}/{attrs_total} ({:.2} %)",
        provider.as_object().unwrap().len(),
        pct(props_typed, props_total),
        pct(props_shaped, props_total),
        pct(attrs_found, attrs_total)
    );
    assert!(missing.is_empty(), "{} gaps: {:#?}", missing.len(), &missing[..missing.len().min(200)]);
}
