//! What a template declares: logical IDs, duplicates, limits, mapping
//! shapes and resource attributes.

use std::collections::HashSet;

use serde_json::Value;

use super::{
    ValidationError, MAX_DESCRIPTION_LEN, MAX_LOGICAL_ID_LEN, MAX_MAPPINGS, MAX_OUTPUTS, MAX_PARAMETERS,
    MAX_RESOURCES,
};
use crate::hooks::SNAPSHOT_TYPES;
use crate::location::Location;
use crate::template::{ResourceEntry, Template};
use crate::{Attributes, Policy};

fn valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_LOGICAL_ID_LEN && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Logical IDs, duplicates, limits, the description and mapping shapes.
pub(super) fn check_declarations(t: &Template, errors: &mut Vec<ValidationError>) {
    let ids = t.resources().iter().map(|r| ("resource", r.logical_id()));
    let ids = ids
        .chain(t.parameters().keys().map(|k| ("parameter", k.as_str())))
        .chain(t.mappings().keys().map(|k| ("mapping", k.as_str())))
        .chain(t.conditions().keys().map(|k| ("condition", k.as_str())))
        .chain(t.outputs().keys().map(|k| ("output", k.as_str())));
    for (kind, id) in ids {
        if !valid_logical_id(id) {
            errors.push(ValidationError::InvalidLogicalId { kind, id: id.to_string() });
        }
    }

    // Resources and parameters share one namespace; `Ref` could not tell them apart.
    let mut seen = HashSet::new();
    let mut reported = HashSet::new();
    let shared = t.resources().iter().map(ResourceEntry::logical_id);
    let redeclared_parameters =
        t.redeclared().iter().filter(|(kind, _)| *kind == "parameter").map(|(_, id)| id.as_str());
    for id in shared.chain(t.parameters().keys().map(String::as_str)).chain(redeclared_parameters) {
        if !seen.insert(id) && reported.insert(id) {
            errors.push(ValidationError::DuplicateLogicalId(id.to_string()));
        }
    }
    let mut reported = HashSet::new();
    for (kind, id) in t.redeclared().iter().filter(|(kind, _)| *kind != "parameter") {
        if reported.insert((kind, id)) {
            errors.push(ValidationError::DuplicateName { kind, id: id.clone() });
        }
    }

    if t.resources().is_empty() {
        errors.push(ValidationError::NoResources);
    }
    for (what, count, max) in [
        ("resources", t.resources().len(), MAX_RESOURCES),
        ("parameters", t.parameters().len(), MAX_PARAMETERS),
        ("mappings", t.mappings().len(), MAX_MAPPINGS),
        ("outputs", t.outputs().len(), MAX_OUTPUTS),
    ] {
        if count > max {
            errors.push(ValidationError::TooMany { what, count, max });
        }
    }
    if let Some(d) = t.description() {
        if d.len() > MAX_DESCRIPTION_LEN {
            errors.push(ValidationError::TooLong {
                what: "the template description",
                len: d.len(),
                max: MAX_DESCRIPTION_LEN,
            });
        }
    }

    for (name, mapping) in t.mappings() {
        check_mapping(name, mapping, errors);
    }
}

/// `RetainExceptOnCreate` exists only for `DeletionPolicy`, and `Snapshot`
/// only for the types that take snapshots.
pub(super) fn check_policies(
    resource_type: &str,
    a: &Attributes,
    path: &Location<'_>,
    errors: &mut Vec<ValidationError>,
) {
    if a.update_replace_policy == Some(Policy::RetainExceptOnCreate) {
        errors.push(ValidationError::InvalidAttribute {
            location: format!("{path}.UpdateReplacePolicy"),
            message: "RetainExceptOnCreate is only valid as a DeletionPolicy; use Retain".into(),
        });
    }
    let known = crate::schema::facts(resource_type).is_some();
    if known && !SNAPSHOT_TYPES.contains(&resource_type) {
        for (name, p) in
            [("DeletionPolicy", a.deletion_policy), ("UpdateReplacePolicy", a.update_replace_policy)]
        {
            if p == Some(Policy::Snapshot) {
                errors.push(ValidationError::InvalidAttribute {
                    location: format!("{path}.{name}"),
                    message: format!("{resource_type} does not support Snapshot; use Retain or Delete"),
                });
            }
        }
    }
}

/// A mapping is a non-empty map of non-empty maps whose values are strings,
/// numbers or lists of them.
fn check_mapping(name: &str, mapping: &Value, errors: &mut Vec<ValidationError>) {
    let mut problem = |location: String, message: &str| {
        errors.push(ValidationError::InvalidMapping { location, message: message.to_string() });
    };
    let Some(top) = mapping.as_object().filter(|m| !m.is_empty()) else {
        return problem(format!("Mappings.{name}"), "a mapping must be a non-empty map of top-level keys");
    };
    for (key, level) in top {
        let Some(level) = level.as_object().filter(|m| !m.is_empty()) else {
            problem(format!("Mappings.{name}.{key}"), "a top-level key must hold a non-empty map");
            continue;
        };
        for (second, value) in level {
            let scalar = |v: &Value| v.is_string() || v.is_number() || v.is_boolean();
            let ok = scalar(value) || value.as_array().is_some_and(|a| a.iter().all(scalar));
            if !ok {
                problem(
                    format!("Mappings.{name}.{key}.{second}"),
                    "a mapping value must be a string, number, boolean or a list of them",
                );
            }
        }
    }
}
