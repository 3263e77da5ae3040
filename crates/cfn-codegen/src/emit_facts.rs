//! The facts table of every type, compiled whatever the features.

use std::fmt::Write;

use crate::model::{TagShape, TypeModel};

fn strs(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", items.join(", "))
}

fn policy_kind(kind: &str) -> &'static str {
    match kind {
        "identity" => "PolicyKind::Identity",
        "resource" => "PolicyKind::Resource",
        _ => "PolicyKind::Trust",
    }
}

/// `facts.rs`: `TYPES`, sorted by type name.
pub fn facts_file(models: &[&TypeModel], header: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{header}");
    let _ = writeln!(
        out,
        "//! What the registry schemas say of every resource type, for tools that
//! read templates: replacement, identifiers, attributes, tagging.

use crate::schema::facts::{{PolicyKind, Replacement, TagShape, Tagging, TypeFacts}};

/// Every resource type of the schemas, sorted by type name.
pub(crate) static TYPES: [TypeFacts; {}] = [",
        models.len()
    );
    for m in models {
        let f = &m.facts;
        let t = &f.tagging;
        let policies: Vec<String> =
            f.policies.iter().map(|(p, k)| format!("({p:?}, {})", policy_kind(k))).collect();
        let shape = match t.shape {
            TagShape::List => "TagShape::List",
            TagShape::Map => "TagShape::Map",
            TagShape::Other => "TagShape::Other",
            TagShape::None => "TagShape::None",
        };
        let property = match &t.property {
            Some(p) => format!("Some({p:?})"),
            None => "None".into(),
        };
        let _ = writeln!(
            out,
            "    TypeFacts {{
        type_name: {:?},
        feature: {:?},
        documentation: {:?},
        properties: {},
        required: {},
        attributes: {},
        attribute_prefixes: {},
        any_attribute: {},
        primary_identifier: {},
        create_only: {},
        conditional_create_only: {},
        read_only: {},
        write_only: {},
        deprecated: {},
        unordered: {},
        policies: &[{}],
        tagging: Tagging {{
            taggable: {},
            tag_on_create: {},
            tag_updatable: {},
            cloudformation_system_tags: {},
            property: {property},
            shape: {shape},
        }},
        replacement: Replacement::{},
    }},",
            m.type_name,
            m.feature,
            m.doc_url,
            strs(&f.properties),
            strs(&f.required),
            strs(&f.attributes),
            strs(&f.attribute_prefixes),
            f.any_attribute,
            strs(&f.primary_identifier),
            strs(&f.create_only),
            strs(&f.conditional_create_only),
            strs(&f.read_only),
            strs(&f.write_only),
            strs(&f.deprecated),
            strs(&f.unordered),
            policies.join(", "),
            t.taggable,
            t.tag_on_create,
            t.tag_updatable,
            t.cloudformation_system_tags,
            if f.delete_before_create { "DeleteThenCreate" } else { "CreateThenDelete" },
        );
    }
    let _ = writeln!(out, "];");
    out
}
