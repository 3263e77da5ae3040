//! Values published both as stack outputs and as SSM parameters.

use cfn_template::resources::ssm::Parameter;
use cfn_template::{Attributes, Expr, Handle, Output};

use crate::Stack;

/// Publishes `value` as the output `<id>` (exported under `export` when
/// given) and as the String parameter named `parameter_name` (logical ID
/// `<id>Parameter`), so other stacks and tools can find it without knowing
/// this stack.
pub fn publish(
    s: &mut impl Stack,
    id: &str,
    parameter_name: Expr,
    export: Option<Expr>,
    description: &str,
    value: Expr,
) -> Handle<Parameter> {
    let mut output = Output::new(value.clone()).description(description);
    if let Some(name) = export {
        output = output.export(name);
    }
    s.add_output(id, output);
    s.add_resource(
        &format!("{id}Parameter"),
        Parameter {
            name: Some(parameter_name),
            description: Some(description.into()),
            ..Parameter::new("String", value)
        },
        Attributes::new(),
    )
}
