//! What the generator writes for one resource type: its structs, fields,
//! attributes, facts and value shapes, decided once from its schema.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::names;
use crate::policies::PolicyPaths;
use crate::schema::{pointer_to_attribute, Kind, TypeSchema};
use crate::shape::ShapeBuilder;
use crate::source::GetAttCorrections;

/// The Rust type of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Expr,
    Int,
    Num,
    Bool,
    Json,
    Policy,
    Tag,
    /// A struct of this type's file, by index.
    Struct(usize),
    List(Box<Ty>),
    Map(Box<Ty>),
}

/// The values a scalar field may take, when the schema lists them.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValues {
    Str(Vec<String>),
    Int(Vec<i64>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub cfn_name: String,
    pub ident: String,
    pub description: String,
    pub required: bool,
    pub ty: Ty,
    pub boxed: bool,
    pub deprecated: bool,
    /// Facts worth a line of the field's documentation.
    pub notes: Vec<&'static str>,
    pub enum_values: Option<EnumValues>,
}

#[derive(Debug, Clone)]
pub struct StructModel {
    pub name: String,
    pub cfn_name: String,
    pub description: String,
    pub doc_url: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    pub ident: String,
    pub description: String,
}

/// How a type carries its tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagShape {
    /// A list of `{Key, Value}`.
    List,
    /// A map of keys to values.
    Map,
    /// Something else (nested, or a tag specification).
    Other,
    /// The type declares no tag property.
    None,
}

#[derive(Debug, Clone)]
pub struct Tagging {
    pub taggable: bool,
    pub tag_on_create: bool,
    pub tag_updatable: bool,
    pub cloudformation_system_tags: bool,
    pub property: Option<String>,
    pub shape: TagShape,
}

/// Facts tools query by type name.
#[derive(Debug, Clone)]
pub struct Facts {
    pub properties: Vec<String>,
    pub required: Vec<String>,
    pub attributes: Vec<String>,
    pub attribute_prefixes: Vec<String>,
    pub any_attribute: bool,
    pub primary_identifier: Vec<String>,
    pub create_only: Vec<String>,
    pub conditional_create_only: Vec<String>,
    pub read_only: Vec<String>,
    pub write_only: Vec<String>,
    pub deprecated: Vec<String>,
    pub unordered: Vec<String>,
    pub policies: Vec<(String, &'static str)>,
    pub tagging: Tagging,
    pub delete_before_create: bool,
    /// Paths the service-spec database says replace the resource, beyond the registry's.
    pub spec_create_only: Vec<String>,
    /// Paths it says may replace the resource, beyond the registry's.
    pub spec_conditional_create_only: Vec<String>,
}

pub struct TypeModel {
    pub type_name: String,
    pub service_module: String,
    pub feature: String,
    pub module: String,
    pub description: String,
    pub doc_url: String,
    /// `structs[0]` is the resource itself.
    pub structs: Vec<StructModel>,
    pub attributes: Vec<Attribute>,
    /// `Outputs.` for types whose attributes are named at deploy time.
    pub attribute_prefixes: Vec<String>,
    pub facts: Facts,
    pub shape: ShapeBuilder,
    /// Whether its resource policy names the resource as `*`.
    pub policy_names_itself: bool,
}

const DOCS: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference";

/// Handle methods an attribute accessor must not shadow.
const HANDLE_METHODS: [&str; 3] = ["logical_id", "ref", "get_att"];

struct Builder<'a> {
    schema: TypeSchema<'a>,
    type_name: &'a str,
    page: String,
    policies: &'a PolicyPaths,
    structs: Vec<StructModel>,
    by_def: HashMap<&'a str, usize>,
    used_names: BTreeSet<String>,
    /// Fields to fill in, per struct, once every struct has an index.
    pending: Vec<(usize, &'a Value, String)>,
}

impl<'a> Builder<'a> {
    fn struct_name(&mut self, wanted: String, parent: &str) -> String {
        let mut name = wanted.clone();
        if self.used_names.contains(&name) {
            name = format!("{parent}{wanted}");
        }
        let mut n = 2;
        while self.used_names.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.used_names.insert(name.clone());
        name
    }

    fn new_struct(
        &mut self,
        name: String,
        cfn_name: String,
        node: &'a Value,
        pointer: String,
        doc_url: String,
    ) -> usize {
        let description = self.schema.description(node).to_string();
        self.structs.push(StructModel { name, cfn_name, description, doc_url, fields: Vec::new() });
        let index = self.structs.len() - 1;
        self.pending.push((index, node, pointer));
        index
    }

    fn is_tag(&self, node: &Value) -> bool {
        let props = self.schema.object_properties(node);
        let names: Vec<&str> = props.iter().map(|(n, _)| *n).collect();
        if names != ["Key", "Value"] && names != ["Value", "Key"] {
            return false;
        }
        let stringy = |n: &Value| self.schema.kind(self.schema.resolve(n).0) == Kind::String;
        props.iter().all(|(_, v)| stringy(v)) && self.schema.required(node).iter().any(|r| r == "Key")
    }

    fn ty(&mut self, node: &'a Value, pointer: &str, prop: &str, parent: &str) -> Ty {
        if self.policies.kind_of(self.type_name, pointer).is_some() {
            return Ty::Policy;
        }
        let (resolved, def) = self.schema.resolve(node);
        match self.schema.kind(resolved) {
            Kind::String | Kind::Scalar => Ty::Expr,
            Kind::Integer => Ty::Int,
            Kind::Number => Ty::Num,
            Kind::Boolean => Ty::Bool,
            Kind::Json => Ty::Json,
            Kind::Array => match resolved.get("items") {
                Some(items) => Ty::List(Box::new(self.ty(items, &format!("{pointer}/*"), prop, parent))),
                None => Ty::List(Box::new(Ty::Json)),
            },
            Kind::Map => match self.schema.map_values(resolved) {
                Some((_, values)) => {
                    Ty::Map(Box::new(self.ty(values, &format!("{pointer}/*"), prop, parent)))
                }
                None => Ty::Json,
            },
            Kind::Object if self.is_tag(resolved) => Ty::Tag,
            Kind::Object => {
                if let Some(def) = def {
                    Ty::Struct(self.def_struct(def, resolved, pointer, parent))
                } else {
                    let name = self.struct_name(names::pascal(prop), parent);
                    let url = format!("{DOCS}/{}.html", self.page);
                    let i = self.new_struct(name, prop.to_string(), resolved, pointer.to_string(), url);
                    Ty::Struct(i)
                }
            }
        }
    }

    /// The struct of a definition, made on first use.
    fn def_struct(&mut self, def: &'a str, resolved: &'a Value, pointer: &str, parent: &str) -> usize {
        if let Some(&i) = self.by_def.get(def) {
            return i;
        }
        let mut wanted = names::type_name(def);
        if wanted == self.structs[0].name {
            wanted.push_str("Property");
        }
        let name = self.struct_name(wanted, parent);
        let url = format!(
            "{DOCS}/{}-{}.html",
            self.page.replace("-resource-", "-properties-"),
            def.to_ascii_lowercase()
        );
        let i = self.new_struct(name, def.to_string(), resolved, pointer.to_string(), url);
        self.by_def.insert(def, i);
        i
    }

    fn fields(&mut self, index: usize, node: &'a Value, pointer: &str, facts: &Facts, top: bool) {
        let required = self.schema.required(node);
        let parent = self.structs[index].name.clone();
        let mut fields = Vec::new();
        let mut idents = BTreeSet::new();
        for (name, prop) in self.schema.object_properties(node) {
            let here = format!("{pointer}/{name}");
            if top && facts.read_only.contains(&here) {
                continue;
            }
            let ty = self.ty(prop, &here, name, &parent);
            let mut ident = names::ident(&names::snake(name));
            let mut n = 2;
            while !idents.insert(ident.clone()) {
                ident = names::ident(&format!("{}_{n}", names::snake(name)));
                n += 1;
            }
            let mut notes = Vec::new();
            if top {
                if facts.create_only.contains(&here) {
                    notes.push("Changing it replaces the resource.");
                } else if facts.conditional_create_only.contains(&here) {
                    notes.push("Changing it may replace the resource, depending on the change.");
                }
                if facts.write_only.contains(&here) {
                    notes.push("Write-only: CloudFormation does not return it.");
                }
            }
            let deprecated = facts.deprecated.contains(&here);
            let (resolved, _) = self.schema.resolve(prop);
            let enum_values = match (&ty, resolved["enum"].as_array()) {
                (Ty::Expr, Some(values)) if values.iter().all(Value::is_string) => Some(EnumValues::Str(
                    values.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                )),
                (Ty::Int, Some(values)) if values.iter().all(Value::is_i64) => {
                    Some(EnumValues::Int(values.iter().filter_map(Value::as_i64).collect()))
                }
                _ => None,
            };
            fields.push(Field {
                cfn_name: name.to_string(),
                ident,
                description: self.schema.description(prop).to_string(),
                required: required.iter().any(|r| r == name),
                ty,
                boxed: false,
                deprecated,
                notes,
                enum_values,
            });
        }
        self.structs[index].fields = fields;
    }
}

/// Struct fields that embed a struct which embeds the first again must be
/// boxed, or the type would have infinite size.
fn box_recursive_fields(structs: &mut [StructModel]) {
    let direct = |s: &StructModel| -> Vec<usize> {
        s.fields.iter().filter_map(|f| if let Ty::Struct(i) = f.ty { Some(i) } else { None }).collect()
    };
    let edges: Vec<Vec<usize>> = structs.iter().map(direct).collect();
    let reaches = |from: usize, to: usize| {
        let mut seen = vec![false; edges.len()];
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if !std::mem::replace(&mut seen[n], true) {
                stack.extend(&edges[n]);
            }
        }
        false
    };
    let mut boxes = Vec::new();
    for (i, s) in structs.iter().enumerate() {
        for (fi, f) in s.fields.iter().enumerate() {
            if let Ty::Struct(target) = f.ty {
                if reaches(target, i) {
                    boxes.push((i, fi));
                }
            }
        }
    }
    for (i, fi) in boxes {
        structs[i].fields[fi].boxed = true;
    }
}

fn bool_at(v: &Value, key: &str, default: bool) -> bool {
    v[key].as_bool().unwrap_or(default)
}

fn tagging(schema: &TypeSchema<'_>) -> Tagging {
    let t = &schema.doc["tagging"];
    let declared = t.is_object();
    let taggable = declared && bool_at(t, "taggable", true);
    let property = t["tagProperty"].as_str().map(str::to_string).or_else(|| {
        (taggable && schema.properties().contains_key("Tags")).then(|| "/properties/Tags".to_string())
    });
    let shape = match property.as_deref().and_then(|p| p.strip_prefix("/properties/")) {
        Some(name) if !name.contains('/') => match schema.properties().get(name) {
            Some(node) => {
                let (resolved, _) = schema.resolve(node);
                match schema.kind(resolved) {
                    Kind::Array => TagShape::List,
                    Kind::Map | Kind::Json => TagShape::Map,
                    _ => TagShape::Other,
                }
            }
            None => TagShape::None,
        },
        Some(_) => TagShape::Other,
        None => TagShape::None,
    };
    Tagging {
        taggable,
        tag_on_create: declared && bool_at(t, "tagOnCreate", true),
        tag_updatable: declared && bool_at(t, "tagUpdatable", true),
        cloudformation_system_tags: declared && bool_at(t, "cloudFormationSystemTags", true),
        property,
        shape,
    }
}

/// Array paths whose order means nothing (`insertionOrder: false`).
fn unordered_paths(schema: &TypeSchema<'_>) -> Vec<String> {
    fn walk<'a>(
        schema: &TypeSchema<'a>,
        node: &'a Value,
        path: String,
        seen: &mut Vec<&'a str>,
        out: &mut Vec<String>,
    ) {
        let (resolved, def) = schema.resolve(node);
        if let Some(d) = def {
            if seen.contains(&d) {
                return;
            }
            seen.push(d);
        }
        if resolved["insertionOrder"] == Value::Bool(false)
            && (resolved.get("items").is_some() || schema.kind(resolved) == Kind::Array)
        {
            out.push(path.clone());
        }
        if let Some(items) = resolved.get("items") {
            walk(schema, items, format!("{path}/*"), seen, out);
        }
        for (k, v) in schema.object_properties(resolved) {
            walk(schema, v, format!("{path}/{k}"), seen, out);
        }
        if def.is_some() {
            seen.pop();
        }
    }
    let mut out = Vec::new();
    for (k, v) in schema.properties() {
        walk(schema, v, format!("/properties/{k}"), &mut Vec::new(), &mut out);
    }
    out
}

/// Every property path GetAtt can read, for types cfn-lint treats so.
fn all_property_attributes(schema: &TypeSchema<'_>) -> Vec<String> {
    fn walk<'a>(
        schema: &TypeSchema<'a>,
        node: &'a Value,
        path: String,
        seen: &mut Vec<&'a str>,
        out: &mut Vec<String>,
    ) {
        let (resolved, def) = schema.resolve(node);
        if let Some(d) = def {
            if seen.contains(&d) {
                return;
            }
            seen.push(d);
        }
        match schema.kind(resolved) {
            Kind::Object => {
                for (k, v) in schema.object_properties(resolved) {
                    walk(schema, v, format!("{path}.{k}"), seen, out);
                }
            }
            Kind::Array => {
                let items = resolved.get("items").map(|i| schema.kind(schema.resolve(i).0));
                if !matches!(items, Some(Kind::Object | Kind::Array)) {
                    out.push(path);
                }
            }
            _ => out.push(path),
        }
        if def.is_some() {
            seen.pop();
        }
    }
    let mut out = Vec::new();
    for (k, v) in schema.properties() {
        walk(schema, v, k.clone(), &mut Vec::new(), &mut out);
    }
    out
}

/// The schema node at a property path (`A.B`), for its description.
fn node_at<'a>(schema: &TypeSchema<'a>, attribute: &str) -> Option<&'a Value> {
    let mut parts = attribute.split('.');
    let mut node = schema.properties().get(parts.next()?)?;
    for part in parts {
        let (resolved, _) = schema.resolve(node);
        node = schema.object_properties(resolved).into_iter().find(|(k, _)| *k == part)?.1;
    }
    Some(node)
}

fn attributes(
    schema: &TypeSchema<'_>,
    type_name: &str,
    getatt: &GetAttCorrections,
) -> (Vec<String>, Vec<String>, bool) {
    let read_only = schema.strings("readOnlyProperties");
    let mut names: Vec<String> = Vec::new();
    let mut prefixes = Vec::new();
    let mut any = false;
    if getatt.all_properties.iter().any(|t| t == type_name) {
        names = all_property_attributes(schema);
    } else {
        names.extend(
            read_only
                .iter()
                .filter(|p| *p != "/properties/Outputs" || !is_stack_like(type_name))
                .filter_map(|p| pointer_to_attribute(p)),
        );
        for extra in getatt.extra.get(type_name).into_iter().flatten() {
            names.push(extra.clone());
        }
    }
    if is_stack_like(type_name) {
        prefixes.push("Outputs.".to_string());
    }
    if type_name == "AWS::CloudFormation::CustomResource" {
        any = true;
    }
    let mut seen = BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    (names, prefixes, any)
}

/// Types whose outputs are attributes named at deploy time (`Outputs.Name`).
fn is_stack_like(type_name: &str) -> bool {
    matches!(
        type_name,
        "AWS::CloudFormation::Stack" | "AWS::ServiceCatalog::CloudFormationProvisionedProduct"
    )
}

impl TypeModel {
    pub fn build(
        type_name: &str,
        doc: &Value,
        getatt: &GetAttCorrections,
        policies: &PolicyPaths,
    ) -> Result<TypeModel, String> {
        let schema = TypeSchema::new(doc);
        let parts: Vec<&str> = type_name.split("::").collect();
        let [namespace, service, resource] = parts[..] else {
            return Err(format!("{type_name}: not a three-part type name"));
        };
        let service_module = names::service_module(namespace, service);
        let feature = names::feature(namespace, service);
        let page = format!(
            "{}-resource-{}-{}",
            namespace.to_ascii_lowercase(),
            service.to_ascii_lowercase(),
            resource.to_ascii_lowercase()
        );
        let doc_url = format!("{DOCS}/{page}.html");

        let (attribute_names, attribute_prefixes, any_attribute) = attributes(&schema, type_name, getatt);
        let mut facts = Facts {
            properties: Vec::new(),
            required: schema.strings("required"),
            attributes: attribute_names.clone(),
            attribute_prefixes: attribute_prefixes.clone(),
            any_attribute,
            primary_identifier: schema.strings("primaryIdentifier"),
            create_only: schema.strings("createOnlyProperties"),
            conditional_create_only: schema.strings("conditionalCreateOnlyProperties"),
            read_only: schema.strings("readOnlyProperties"),
            write_only: schema.strings("writeOnlyProperties"),
            deprecated: schema.strings("deprecatedProperties"),
            unordered: unordered_paths(&schema),
            policies: policies.of_type(type_name),
            tagging: tagging(&schema),
            delete_before_create: doc["replacementStrategy"].as_str() == Some("delete_then_create"),
            spec_create_only: Vec::new(),
            spec_conditional_create_only: Vec::new(),
        };
        facts.properties = schema
            .properties()
            .keys()
            .filter(|k| !facts.read_only.contains(&format!("/properties/{k}")))
            .cloned()
            .collect();

        let resource_name = names::type_name(resource);
        let mut b = Builder {
            schema: TypeSchema::new(doc),
            type_name,
            page: page.clone(),
            policies,
            structs: Vec::new(),
            by_def: HashMap::new(),
            used_names: BTreeSet::from([resource_name.clone()]),
            pending: Vec::new(),
        };
        b.structs.push(StructModel {
            name: resource_name,
            cfn_name: type_name.to_string(),
            description: schema.description(doc).to_string(),
            doc_url: doc_url.clone(),
            fields: Vec::new(),
        });
        b.fields(0, doc, "/properties", &facts, true);
        // Definitions only read-only properties use, or none, are property
        // types too: a `Json` property or an override may need them.
        let root_name = b.structs[0].name.clone();
        for (def, node) in doc["definitions"].as_object().into_iter().flatten() {
            let resolved = b.schema.resolve(node).0;
            if b.schema.kind(resolved) == Kind::Object && !b.is_tag(resolved) {
                b.def_struct(def, resolved, &format!("/definitions/{def}"), &root_name);
            }
        }
        // Structs discovered while filling fields get their own fields in turn.
        let mut next = 1;
        while next < b.structs.len() {
            let (_, node, pointer) =
                b.pending.iter().find(|(i, _, _)| *i == next).cloned().ok_or("struct without a schema")?;
            b.fields(next, node, &pointer, &facts, false);
            next += 1;
        }
        let mut structs = b.structs;
        box_recursive_fields(&mut structs);

        let mut idents = BTreeSet::new();
        let attributes = attribute_names
            .iter()
            .map(|name| {
                let base = names::snake(&name.replace('.', "_"));
                let mut ident = if HANDLE_METHODS.contains(&base.as_str()) {
                    format!("{base}_attribute")
                } else {
                    base.clone()
                };
                let mut n = 2;
                while !idents.insert(ident.clone()) {
                    ident = format!("{base}_{n}");
                    n += 1;
                }
                let description =
                    node_at(&schema, name).map(|n| schema.description(n).to_string()).unwrap_or_default();
                Attribute { name: name.clone(), ident: names::ident(&ident), description }
            })
            .collect();

        let shape = ShapeBuilder::build(&schema, type_name, &facts.read_only, policies);
        Ok(TypeModel {
            type_name: type_name.to_string(),
            service_module,
            feature,
            module: names::ident(&names::snake(resource)),
            description: schema.description(doc).to_string(),
            doc_url,
            structs,
            attributes,
            attribute_prefixes,
            facts,
            shape,
            policy_names_itself: policies.names_itself(type_name),
        })
    }
}

/// Every type, grouped by service module, in name order.
pub fn by_service(models: Vec<TypeModel>) -> BTreeMap<String, Vec<TypeModel>> {
    let mut out: BTreeMap<String, Vec<TypeModel>> = BTreeMap::new();
    for m in models {
        out.entry(m.service_module.clone()).or_default().push(m);
    }
    out
}
