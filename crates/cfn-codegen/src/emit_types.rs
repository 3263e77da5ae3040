//! The Rust source of one resource type: its struct, the structs of its
//! property types, their serialization, the handle's attribute accessors and
//! the type's value shape.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::docs;
use crate::emit_shape;
use crate::model::{EnumValues, Field, StructModel, Ty, TypeModel};

/// Names a generated file uses, imported unless a struct of the file takes
/// the name, in which case the full path is written.
struct Paths {
    shadowed: BTreeSet<String>,
}

const IMPORTS: [(&str, &str); 9] = [
    ("Expr", "crate::Expr"),
    ("Int", "crate::value::Int"),
    ("Num", "crate::value::Num"),
    ("Bool", "crate::value::Bool"),
    ("List", "crate::value::List"),
    ("Json", "crate::value::Json"),
    ("Map", "crate::value::Map"),
    ("PolicyDocument", "crate::policy::PolicyDocument"),
    ("Tag", "crate::resources::Tag"),
];

const PRELUDE: [(&str, &str); 4] = [
    ("Option", "::std::option::Option"),
    ("Box", "::std::boxed::Box"),
    ("String", "::std::string::String"),
    ("Vec", "::std::vec::Vec"),
];

impl Paths {
    fn new(model: &TypeModel) -> Paths {
        Paths { shadowed: model.structs.iter().map(|s| s.name.clone()).collect() }
    }

    fn name(&self, short: &str) -> String {
        if !self.shadowed.contains(short) {
            return short.to_string();
        }
        IMPORTS
            .iter()
            .chain(PRELUDE.iter())
            .find(|(s, _)| *s == short)
            .map(|(_, full)| full.to_string())
            .unwrap_or_else(|| short.to_string())
    }

    fn imports(&self) -> String {
        let used: Vec<&str> =
            IMPORTS.iter().filter(|(s, _)| !self.shadowed.contains(*s)).map(|(_, full)| *full).collect();
        let mut out = String::new();
        for full in used {
            let _ = writeln!(out, "#[allow(unused_imports)]\nuse {full};");
        }
        out
    }

    fn ty(&self, model: &TypeModel, ty: &Ty) -> String {
        match ty {
            Ty::Expr => self.name("Expr"),
            Ty::Int => self.name("Int"),
            Ty::Num => self.name("Num"),
            Ty::Bool => self.name("Bool"),
            Ty::Json => self.name("Json"),
            Ty::Policy => self.name("PolicyDocument"),
            Ty::Tag => self.name("Tag"),
            Ty::Struct(i) => model.structs[*i].name.clone(),
            Ty::List(t) => format!("{}<{}>", self.name("List"), self.ty(model, t)),
            Ty::Map(t) => format!("{}<{}>", self.name("Map"), self.ty(model, t)),
        }
    }

    fn field_ty(&self, model: &TypeModel, f: &Field) -> String {
        let mut t = self.ty(model, &f.ty);
        if f.boxed {
            t = format!("{}<{t}>", self.name("Box"));
        }
        if !f.required {
            t = format!("{}<{t}>", self.name("Option"));
        }
        t
    }
}

fn doc(out: &mut String, indent: &str, text: &str) {
    for line in docs::lines(text) {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
        } else {
            let _ = writeln!(out, "{indent}/// {line}");
        }
    }
}

fn doc_line(out: &mut String, indent: &str, line: &str) {
    if line.is_empty() {
        let _ = writeln!(out, "{indent}///");
    } else {
        let _ = writeln!(out, "{indent}/// {line}");
    }
}

fn const_name(f: &Field) -> String {
    format!("{}_VALUES", f.ident.trim_start_matches("r#").trim_end_matches('_').to_ascii_uppercase())
}

fn emit_field(out: &mut String, p: &Paths, model: &TypeModel, f: &Field) {
    let mut text = format!("`{}`", f.cfn_name);
    if !f.description.trim().is_empty() {
        text.push_str(": ");
        text.push_str(f.description.trim_start());
    }
    doc(out, "    ", &text);
    let mut facts: Vec<String> = Vec::new();
    if f.required {
        facts.push("Required.".into());
    }
    facts.extend(f.notes.iter().map(|n| n.to_string()));
    if let Some(values) = &f.enum_values {
        let shown: Vec<String> = match values {
            EnumValues::Str(v) => v.iter().map(|s| format!("`{s}`")).collect(),
            EnumValues::Int(v) => v.iter().map(|n| format!("`{n}`")).collect(),
        };
        if shown.len() <= 12 {
            facts.push(format!("Allowed values: {}.", shown.join(", ")));
        } else {
            facts.push(format!("Allowed values: see `{}`.", const_name(f)));
        }
    }
    if !facts.is_empty() {
        doc_line(out, "    ", "");
        doc_line(out, "    ", &facts.join(" "));
    }
    if f.deprecated {
        let _ = writeln!(
            out,
            "    #[deprecated(note = \"the resource's schema marks `{}` as deprecated\")]",
            f.cfn_name
        );
    }
    let _ = writeln!(out, "    pub {}: {},", f.ident, p.field_ty(model, f));
}

fn emit_struct(out: &mut String, p: &Paths, model: &TypeModel, index: usize) {
    let s: &StructModel = &model.structs[index];
    let is_resource = index == 0;
    let mut text = if is_resource {
        format!("`{}`: {}", model.type_name, s.description.trim_start())
    } else {
        format!("`{}` of `{}`: {}", s.cfn_name, model.type_name, s.description.trim_start())
    };
    if text.ends_with(": ") {
        text.truncate(text.len() - 2);
        text.push('.');
    }
    doc(out, "", &text);
    doc_line(out, "", "");
    doc_line(out, "", &format!("[CloudFormation reference]({})", s.doc_url));
    if is_resource {
        doc_line(out, "", "");
        doc_line(
            out,
            "",
            &format!(
                "Needs the Cargo feature `{}` of cfn-template (`features = [\"{}\"]`).",
                model.feature, model.feature
            ),
        );
    }
    let has_required = s.fields.iter().any(|f| f.required);
    let any_deprecated = s.fields.iter().any(|f| f.deprecated);
    if any_deprecated {
        let _ = writeln!(out, "#[allow(deprecated)]");
    }
    if has_required {
        let _ = writeln!(out, "#[derive(Debug, Clone, PartialEq)]");
    } else {
        let _ = writeln!(out, "#[derive(Debug, Clone, PartialEq, Default)]");
    }
    let _ = writeln!(out, "pub struct {} {{", s.name);
    for f in &s.fields {
        emit_field(out, p, model, f);
    }
    let _ = writeln!(out, "}}\n");

    // Associated items: the type name, allowed values, the constructor.
    let enums: Vec<&Field> = s.fields.iter().filter(|f| f.enum_values.is_some()).collect();
    if is_resource || !enums.is_empty() || has_required {
        if any_deprecated {
            let _ = writeln!(out, "#[allow(deprecated)]");
        }
        let _ = writeln!(out, "impl {} {{", s.name);
        if is_resource {
            let _ = writeln!(
                out,
                "    /// The CloudFormation type name.\n    pub const TYPE: &'static str = \"{}\";",
                model.type_name
            );
        }
        for f in &enums {
            let _ = writeln!(out, "    /// The values `{}` takes.", f.cfn_name);
            match f.enum_values.as_ref().expect("filtered") {
                EnumValues::Str(v) => {
                    let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
                    let _ = writeln!(
                        out,
                        "    pub const {}: &'static [&'static str] = &[{}];",
                        const_name(f),
                        items.join(", ")
                    );
                }
                EnumValues::Int(v) => {
                    let items: Vec<String> = v.iter().map(i64::to_string).collect();
                    let _ = writeln!(
                        out,
                        "    pub const {}: &'static [i64] = &[{}];",
                        const_name(f),
                        items.join(", ")
                    );
                }
            }
        }
        if has_required {
            let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
            let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.cfn_name)).collect();
            let _ = writeln!(
                out,
                "    /// A `{}` of its required properties ({}); the others are unset.",
                s.name,
                names.join(", ")
            );
            let params: Vec<String> = required
                .iter()
                .map(|f| {
                    let t = p.ty(model, &f.ty);
                    match f.ty {
                        Ty::Struct(_) | Ty::Json | Ty::Policy | Ty::Tag | Ty::Map(_) => {
                            format!("{}: {t}", f.ident)
                        }
                        _ => format!("{}: impl Into<{t}>", f.ident),
                    }
                })
                .collect();
            let _ = writeln!(out, "    pub fn new({}) -> Self {{", params.join(", "));
            let _ = writeln!(out, "        {} {{", s.name);
            for f in &s.fields {
                let value = if !f.required {
                    "None".to_string()
                } else {
                    let v = match f.ty {
                        Ty::Struct(_) | Ty::Json | Ty::Policy | Ty::Tag | Ty::Map(_) => f.ident.clone(),
                        _ => format!("{}.into()", f.ident),
                    };
                    if f.boxed {
                        format!("{}::new({v})", p.name("Box"))
                    } else {
                        v
                    }
                };
                let _ = writeln!(out, "            {}: {value},", f.ident);
            }
            let _ = writeln!(out, "        }}\n    }}");
        }
        let _ = writeln!(out, "}}\n");
    }

    if any_deprecated {
        let _ = writeln!(out, "#[allow(deprecated)]");
    }
    let _ = writeln!(out, "impl crate::value::PropertyValue for {} {{", s.name);
    let _ = writeln!(out, "    fn to_value(&self) -> ::serde_json::Value {{");
    if s.fields.is_empty() {
        let _ = writeln!(out, "        ::serde_json::Value::Object(::serde_json::Map::new())");
    } else {
        let _ = writeln!(out, "        let mut m = ::serde_json::Map::new();");
        for f in &s.fields {
            let put = if f.required { "put" } else { "put_opt" };
            let _ =
                writeln!(out, "        crate::value::{put}(&mut m, \"{}\", &self.{});", f.cfn_name, f.ident);
        }
        let _ = writeln!(out, "        ::serde_json::Value::Object(m)");
    }
    let _ = writeln!(out, "    }}\n}}\n");
}

fn emit_resource_impls(out: &mut String, p: &Paths, model: &TypeModel) {
    let name = &model.structs[0].name;
    let option = p.name("Option");
    let _ = writeln!(
        out,
        "impl crate::resources::Resource for {name} {{
    fn resource_type(&self) -> &str {{
        Self::TYPE
    }}

    fn properties(&self) -> ::serde_json::Value {{
        crate::value::PropertyValue::to_value(self)
    }}

    fn shape(&self) -> {option}<&'static crate::schema::TypeShape> {{
        Some(&SHAPE)
    }}
}}
"
    );
    emit_policy_impls(out, model);
    if model.attributes.is_empty() && model.attribute_prefixes.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "/// The attributes of a `{}` (`Fn::GetAtt`).\nimpl crate::Handle<{name}> {{",
        model.type_name
    );
    for a in &model.attributes {
        let mut text = format!("`Fn::GetAtt` `{}`", a.name);
        if !a.description.trim().is_empty() {
            text.push_str(": ");
            text.push_str(a.description.trim_start());
        } else {
            text.push('.');
        }
        doc(out, "    ", &text);
        let _ = writeln!(
            out,
            "    pub fn {}(&self) -> crate::Expr {{\n        self.get_att(\"{}\")\n    }}\n",
            a.ident, a.name
        );
    }
    for prefix in &model.attribute_prefixes {
        let what = prefix.trim_end_matches('.');
        let _ = writeln!(
            out,
            "    /// `Fn::GetAtt` `{prefix}<name>`: a value of its `{what}`, named at deploy time.
    pub fn {}(&self, name: &str) -> crate::Expr {{
        self.get_att(format!(\"{prefix}{{name}}\"))
    }}
",
            crate::names::snake(what).trim_end_matches('s')
        );
    }
    let _ = writeln!(out, "}}\n");
}

/// The policy traits of a type that holds a resource or identity policy in
/// a property of its own (`KeyPolicy`, a managed policy's `PolicyDocument`).
fn emit_policy_impls(out: &mut String, model: &TypeModel) {
    let name = &model.structs[0].name;
    for (pointer, kind) in &model.facts.policies {
        let Some(property) = pointer.strip_prefix("/properties/").filter(|p| !p.contains('/')) else {
            continue;
        };
        let Some(field) = model.structs[0].fields.iter().find(|f| f.cfn_name == property) else {
            continue;
        };
        let (trait_name, method, what) = match *kind {
            "resource" => ("ResourcePolicy", "add_to_resource_policy", "who may use it"),
            "identity" => ("IdentityPolicy", "add_to_policy", "what its principals may do"),
            _ => continue,
        };
        let document = if field.required {
            format!("t.get_mut(target).{}", field.ident)
        } else {
            format!("t.get_mut(target).{}.get_or_insert_with(Default::default)", field.ident)
        };
        let _ =
            writeln!(out, "/// `{property}` holds {what}.\nimpl crate::policy::{trait_name} for {name} {{");
        if *kind == "resource" && model.policy_names_itself {
            let _ = writeln!(
                out,
                "    const NAMES_ITSELF: crate::policy::PolicyResource = crate::policy::PolicyResource::This;\n"
            );
        }
        let _ = writeln!(
            out,
            "    fn {method}(t: &mut crate::Template, target: &crate::Handle<Self>, statement: crate::policy::Statement) {{
        {document}.push(statement);
    }}
}}
"
        );
    }
}

/// The whole file of one type.
pub fn type_file(model: &TypeModel, header: &str) -> String {
    let p = Paths::new(model);
    let mut out = String::new();
    let _ = writeln!(out, "{header}");
    let mut text = format!("`{}`: {}", model.type_name, docs::summary(&model.description));
    if text.ends_with(": ") {
        text.truncate(text.len() - 2);
    }
    for line in docs::lines(&text) {
        let _ = writeln!(out, "//! {line}");
    }
    let _ = writeln!(out, "//!\n//! [CloudFormation reference]({})\n", model.doc_url);
    out.push_str(&p.imports());
    out.push('\n');
    for i in 0..model.structs.len() {
        emit_struct(&mut out, &p, model, i);
    }
    emit_resource_impls(&mut out, &p, model);
    out.push_str(&emit_shape::shape_static(model));
    out
}
