//! The facts table of every type, compiled whatever the features.
//!
//! The table is data, not code: `facts.tsv` holds one line per type and
//! `facts.rs` includes it as text, which the library reads on first use.
//! As Rust statics the same table took rustc several seconds on every cold
//! build; as text it takes none, and its diff reads line by line.

use std::fmt::Write;

use crate::model::{TagShape, TypeModel};

/// The columns of `facts.tsv`, in order (the library reads them so).
pub const COLUMNS: [&str; 22] = [
    "type_name",
    "feature",
    "documentation",
    "properties",
    "required",
    "attributes",
    "attribute_prefixes",
    "any_attribute",
    "primary_identifier",
    "create_only",
    "conditional_create_only",
    "read_only",
    "write_only",
    "deprecated",
    "unordered",
    "policies",
    "tagging",
    "tag_property",
    "tag_shape",
    "replacement",
    "spec_create_only",
    "spec_conditional_create_only",
];

/// A field: `-` for nothing, so that no field is empty.
fn field(s: &str) -> Result<String, String> {
    if s.contains(['\t', '\n', ' ']) {
        return Err(format!("facts.tsv cannot hold {s:?}: it has a tab, space or line break"));
    }
    Ok(if s.is_empty() { "-".into() } else { s.to_string() })
}

/// A list: its items separated by spaces, `-` when empty.
fn list<S: AsRef<str>>(items: &[S]) -> Result<String, String> {
    let mut out = Vec::new();
    for i in items {
        let i = i.as_ref();
        if i.is_empty() || i == "-" {
            return Err(format!("facts.tsv cannot hold the list item {i:?}"));
        }
        out.push(field(i)?);
    }
    Ok(if out.is_empty() { "-".into() } else { out.join(" ") })
}

fn flag(b: bool) -> char {
    if b {
        '1'
    } else {
        '0'
    }
}

/// `facts.rs`: the table, included as text.
pub fn facts_file(header: &str) -> String {
    format!(
        "{header}
//! What the registry schemas say of every resource type, for tools that
//! read templates: replacement, identifiers, attributes, tagging.

/// Every resource type of the schemas, one line each, sorted by type name:
/// tab-separated columns `{}`; lists are space-separated, `-` is empty;
/// `tagging` is four flags (taggable, on create, updatable, system tags).
pub(crate) const TABLE: &str = include_str!(\"facts.tsv\");
",
        COLUMNS.join(" ")
    )
}

/// `facts.tsv`: one line per type, sorted by type name; `spec_version`
/// is the `@aws-cdk/aws-service-spec` release the `spec_` columns come from.
pub fn facts_table(models: &[&TypeModel], header: &str, spec_version: &str) -> Result<String, String> {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "#{}", line.trim_start_matches("//"));
    }
    let _ = writeln!(
        out,
        "# spec_create_only and spec_conditional_create_only: what replaces a resource beyond the registry's \
         lists, from @aws-cdk/aws-service-spec {spec_version} (Apache-2.0): the CloudFormation resource \
         specification's UpdateType, with the CDK's patches."
    );
    let _ = writeln!(out, "# {}", COLUMNS.join("\t"));
    for m in models {
        let f = &m.facts;
        let t = &f.tagging;
        let policies: Vec<String> = f
            .policies
            .iter()
            .map(|(p, k)| {
                let kind = match *k {
                    "identity" => "identity",
                    "resource" => "resource",
                    _ => "trust",
                };
                format!("{p}={kind}")
            })
            .collect();
        let shape = match t.shape {
            TagShape::List => "list",
            TagShape::Map => "map",
            TagShape::Other => "other",
            TagShape::None => "none",
        };
        let tagging: String = [t.taggable, t.tag_on_create, t.tag_updatable, t.cloudformation_system_tags]
            .map(flag)
            .iter()
            .collect();
        let columns = [
            field(&m.type_name)?,
            field(&m.feature)?,
            field(&m.doc_url)?,
            list(&f.properties)?,
            list(&f.required)?,
            list(&f.attributes)?,
            list(&f.attribute_prefixes)?,
            flag(f.any_attribute).to_string(),
            list(&f.primary_identifier)?,
            list(&f.create_only)?,
            list(&f.conditional_create_only)?,
            list(&f.read_only)?,
            list(&f.write_only)?,
            list(&f.deprecated)?,
            list(&f.unordered)?,
            list(&policies)?,
            tagging,
            field(t.property.as_deref().unwrap_or_default())?,
            shape.to_string(),
            (if f.delete_before_create { "delete-then-create" } else { "create-then-delete" }).to_string(),
            list(&f.spec_create_only)?,
            list(&f.spec_conditional_create_only)?,
        ];
        let _ = writeln!(out, "{}", columns.join("\t"));
    }
    Ok(out)
}
