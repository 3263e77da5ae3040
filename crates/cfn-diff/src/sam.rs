//! What replaces an AWS SAM resource (`AWS::Serverless::*`).
//!
//! The `AWS::Serverless-2016-10-31` transform turns each SAM resource into
//! CloudFormation resources before any update happens; the one that keeps
//! the SAM resource's logical ID is what a change can replace. The SAM
//! documentation says, for each property, to which property of that
//! resource it is "passed directly" (most keep their name); that
//! property's registry facts then decide. A property SAM alone knows
//! becomes other resources or settings (events, permissions, aliases) and
//! updates the resource.
//!
//! The CDK service-spec database lists these types too, but from the old
//! SAM specification, which marks every property `Immutable`: a function's
//! `Description` would replace it. Hence this table, from the SAM
//! developer guide (`sam-resource-*.html` and "Generated CloudFormation
//! resources for AWS SAM").

use crate::effect::property_effect;
use crate::model::Impact;
use cfn_template::schema::facts::facts;
use serde_json::Value;

/// One SAM resource type.
struct SamType {
    /// `AWS::Serverless::Function`.
    name: &'static str,
    /// The generated resource that keeps the logical ID, if one does.
    generated: Option<&'static str>,
    /// SAM properties passed to a property of another name (`CodeUri` to `Code`).
    renamed: &'static [(&'static str, &'static str)],
    /// SAM properties the documentation says replace the resource, and why.
    replacing: &'static [(&'static str, &'static str)],
}

const DOCS: &str = "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide";

const TYPES: [SamType; 9] = [
    SamType {
        name: "AWS::Serverless::Function",
        generated: Some("AWS::Lambda::Function"),
        renamed: &[
            ("CodeUri", "Code"),
            ("InlineCode", "Code"),
            ("ImageUri", "Code"),
            ("DeadLetterQueue", "DeadLetterConfig"),
            ("Tracing", "TracingConfig"),
        ],
        replacing: &[],
    },
    SamType {
        name: "AWS::Serverless::Api",
        generated: Some("AWS::ApiGateway::RestApi"),
        renamed: &[("DefinitionUri", "BodyS3Location"), ("DefinitionBody", "Body")],
        replacing: &[],
    },
    SamType {
        name: "AWS::Serverless::HttpApi",
        generated: Some("AWS::ApiGatewayV2::Api"),
        renamed: &[("DefinitionUri", "BodyS3Location"), ("DefinitionBody", "Body")],
        replacing: &[],
    },
    SamType {
        name: "AWS::Serverless::SimpleTable",
        generated: Some("AWS::DynamoDB::Table"),
        renamed: &[],
        replacing: &[(
            "PrimaryKey",
            "SAM documents that the primary key cannot be modified after the table is created",
        )],
    },
    SamType {
        name: "AWS::Serverless::LayerVersion",
        generated: Some("AWS::Lambda::LayerVersion"),
        renamed: &[("ContentUri", "Content")],
        replacing: &[],
    },
    SamType {
        name: "AWS::Serverless::StateMachine",
        generated: Some("AWS::StepFunctions::StateMachine"),
        renamed: &[
            ("Name", "StateMachineName"),
            ("Type", "StateMachineType"),
            ("DefinitionUri", "DefinitionS3Location"),
            ("Role", "RoleArn"),
            ("Logging", "LoggingConfiguration"),
            ("Tracing", "TracingConfiguration"),
        ],
        replacing: &[],
    },
    SamType {
        name: "AWS::Serverless::Application",
        generated: Some("AWS::CloudFormation::Stack"),
        renamed: &[("Location", "TemplateURL")],
        replacing: &[],
    },
    SamType {
        name: "AWS::Serverless::GraphQLApi",
        generated: Some("AWS::AppSync::GraphQLApi"),
        renamed: &[],
        replacing: &[],
    },
    SamType { name: "AWS::Serverless::Connector", generated: None, renamed: &[], replacing: &[] },
];

/// The impact of changing the value at `pointer` of a SAM resource, and
/// why; `None` for a type that is not SAM's.
pub(crate) fn sam_effect(
    type_name: &str,
    pointer: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<(Impact, String)> {
    let sam = TYPES.iter().find(|t| t.name == type_name)?;
    let rest = pointer.strip_prefix("/properties/").unwrap_or_default();
    let (property, below) = rest.split_once('/').map_or((rest, ""), |(p, b)| (p, b));
    let page = format!("{DOCS}/sam-resource-{}.html", type_name.rsplit("::").next()?.to_ascii_lowercase());
    if let Some((_, why)) = sam.replacing.iter().find(|(p, _)| *p == property) {
        return Some((Impact::Replace, format!("{why} ({page})")));
    }
    let generated_property = sam.renamed.iter().find(|(p, _)| *p == property).map_or(property, |(_, g)| g);
    let passed = sam.generated.and_then(|g| {
        let f = facts(g)?;
        f.properties.contains(&generated_property).then_some((g, f))
    });
    let Some((generated, f)) = passed else {
        return Some((
            Impact::Update,
            "a SAM property: the transform turns it into other resources or settings, and updates this one"
                .into(),
        ));
    };
    let generated_pointer = if below.is_empty() {
        format!("/properties/{generated_property}")
    } else {
        format!("/properties/{generated_property}/{below}")
    };
    let (impact, reason) = property_effect(Some(f), generated, &generated_pointer, old, new);
    Some((
        impact,
        format!(
            "{reason} of the {generated} SAM generates ({property} is passed to its {generated_property})"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sam_properties_follow_the_resources_they_become() {
        let effect = |t: &str, p: &str| sam_effect(t, p, None, None).unwrap();
        let (impact, reason) = effect("AWS::Serverless::Function", "/properties/FunctionName");
        assert_eq!(impact, Impact::Replace);
        assert!(reason.contains("AWS::Lambda::Function SAM generates"), "{reason}");
        assert_eq!(effect("AWS::Serverless::Function", "/properties/Description").0, Impact::Update);
        assert_eq!(effect("AWS::Serverless::Function", "/properties/Events/Api/Type").0, Impact::Update);
        assert_eq!(effect("AWS::Serverless::StateMachine", "/properties/Type").0, Impact::Replace);
        assert_eq!(effect("AWS::Serverless::SimpleTable", "/properties/PrimaryKey/Name").0, Impact::Replace);
        assert_eq!(effect("AWS::Serverless::SimpleTable", "/properties/TableName").0, Impact::Replace);
        assert_eq!(effect("AWS::Serverless::LayerVersion", "/properties/ContentUri").0, Impact::Replace);
        assert_eq!(effect("AWS::Serverless::Api", "/properties/StageName").0, Impact::Update);
        assert!(sam_effect("AWS::Serverless::Nope", "/properties/A", None, None).is_none());
    }
}
