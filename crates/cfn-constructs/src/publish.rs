//! Values published both as stack outputs and as SSM parameters.

use cfn_template::resources::ssm::Parameter;
use cfn_template::{Expr, Handle, Output, Template};

use crate::Tags;

/// Publishes `value` as the output `<id>` and as the String parameter
/// `<prefix>/<name>` (logical ID `<id>Parameter`), so other stacks and tools
/// can find it without knowing this stack.
pub fn publish(
    t: &mut Template,
    id: &str,
    prefix: &str,
    name: &str,
    description: &str,
    value: Expr,
    tags: &Tags,
) -> Handle<Parameter> {
    t.add_output(id, Output::new(value.clone()).description(description));
    t.add(
        format!("{id}Parameter"),
        Parameter {
            name: Some(format!("{}/{name}", prefix.trim_end_matches('/')).into()),
            description: Some(description.into()),
            tags: tags.map(),
            ..Parameter::new("String", value)
        },
    )
}
