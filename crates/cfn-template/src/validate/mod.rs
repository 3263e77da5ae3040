//! Synth-time checks: logical IDs, references, cycles, limits and names.
//!
//! Every check runs and every problem is reported at once, in a stable order,
//! so that one run of the synthesizer shows everything there is to fix.

mod cycles;
mod declarations;
mod error;
mod references;

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::location::Location;
use crate::schema::{self, check_facts, check_read_only, check_shape};
use crate::template::{ResourceEntry, Template, Written};
use cycles::find_cycle;
use declarations::{check_declarations, check_policies};
pub use error::{ValidationError, ValidationErrors};
use references::{Names, Section, Walker};

/// The most resources a template may declare.
pub const MAX_RESOURCES: usize = 500;
/// The most parameters a template may declare.
pub const MAX_PARAMETERS: usize = 200;
/// The most outputs a template may declare.
pub const MAX_OUTPUTS: usize = 200;
/// The most mappings a template may declare.
pub const MAX_MAPPINGS: usize = 200;
/// The longest logical ID.
pub const MAX_LOGICAL_ID_LEN: usize = 255;
/// The longest template description, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 1024;

/// Problems with a resource's property values: its schema's rules (or,
/// when its service is not compiled in, what its facts show), read-only
/// properties, the service rules the schemas do not state, and the
/// resource's own checks.
fn value_problems(r: &ResourceEntry, properties: &Value, earlier: &[String]) -> Vec<String> {
    let type_name = r.resource_type();
    let facts = schema::facts(type_name);
    let mut problems = earlier.to_vec();
    match (r.resource().shape(), facts) {
        (Some(shape), _) => problems.extend(check_shape(shape, facts, properties, "Properties")),
        (None, Some(f)) => problems.extend(check_facts(f, properties, "Properties")),
        (None, None) => {}
    }
    if let Some(f) = facts {
        problems.extend(check_read_only(f, properties, "Properties"));
    }
    problems.extend(crate::hooks::check(type_name, properties));
    problems.extend(r.resource().problems());
    problems
}

pub(crate) fn validate(t: &Template, written: &[Written]) -> Result<(), ValidationErrors> {
    let mut errors = Vec::new();
    check_declarations(t, &mut errors);

    let names = Names::of(t);
    let mut walker = Walker::new(&names);

    let mut condition_graph: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (name, c) in t.conditions() {
        let v = serde_json::to_value(c).expect("conditions serialize");
        walker.walk(&v, &format!("Conditions.{name}"));
        condition_graph.insert(name.as_str(), std::mem::take(&mut walker.condition_deps));
    }

    walker.section = Section::Resources;
    let mut graph: HashMap<&str, BTreeSet<String>> = HashMap::new();
    let resources = Location::Root("Resources");
    for (r, w) in t.resources().iter().zip(written) {
        let at = Location::Key(&resources, r.logical_id());
        walker.walk_at(&w.properties, &Location::Key(&at, "Properties"));
        for d in &w.attributes.depends_on {
            walker.check_resource(&Location::Key(&at, "DependsOn"), "DependsOn", d, None);
        }
        if let Some(c) = &w.attributes.condition {
            walker.check_condition(&Location::Key(&at, "Condition"), "Condition", c);
        }
        check_policies(r.resource_type(), &w.attributes, &at, &mut errors);
        for problem in value_problems(r, &w.properties, &w.problems) {
            errors.push(ValidationError::InvalidValue { resource: r.logical_id().to_string(), problem });
        }
        graph.entry(r.logical_id()).or_default().extend(std::mem::take(&mut walker.deps));
    }

    walker.section = Section::Outputs;
    let mut exports = HashSet::new();
    for (name, o) in t.outputs() {
        let v = serde_json::to_value(&o.value).expect("outputs serialize");
        walker.walk(&v, &format!("Outputs.{name}.Value"));
        if let Some(e) = &o.export_name {
            let v = serde_json::to_value(e).expect("outputs serialize");
            walker.walk(&v, &format!("Outputs.{name}.Export.Name"));
            if let Some(literal) = e.as_literal() {
                if !exports.insert(literal) {
                    errors.push(ValidationError::DuplicateName {
                        kind: "export name",
                        id: literal.to_string(),
                    });
                }
            }
        }
        if let Some(c) = &o.condition {
            walker.check_condition(&Location::Root(&format!("Outputs.{name}.Condition")), "Condition", c);
        }
    }
    errors.append(&mut walker.errors);

    let resource_order: Vec<&str> = t.resources().iter().map(ResourceEntry::logical_id).collect();
    if let Some(cycle) = find_cycle(&resource_order, &graph) {
        errors.push(ValidationError::Cycle(cycle));
    }
    let condition_order: Vec<&str> = t.conditions().keys().map(String::as_str).collect();
    if let Some(cycle) = find_cycle(&condition_order, &condition_graph) {
        errors.push(ValidationError::ConditionCycle(cycle));
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}
