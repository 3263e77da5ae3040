//! Which properties hold a resource's physical name, from the schema facts.
//!
//! A name property is create-only and top-level, and is called `Name` (an
//! SSM parameter's), or is named after its type (`RoleName` of a role,
//! `FunctionName` of a function, `AliasName` of an alias), or is a `...Name`
//! that alone identifies the resource. A VPC endpoint's `ServiceName` or a
//! Lambda permission's `FunctionName` (the function it belongs to) is not.
//! Changing one replaces the resource under another name, and a
//! replacement that keeps it cannot happen, as two resources would need
//! the same name at once.

use cfn_template::schema::facts::TypeFacts;

/// The name properties of a type, as top-level property names.
pub(crate) fn name_properties(facts: &TypeFacts) -> Vec<&'static str> {
    let kind = facts.type_name.rsplit("::").next().unwrap_or_default();
    facts
        .create_only
        .iter()
        .chain(facts.spec_create_only)
        .filter_map(|p| p.strip_prefix("/properties/"))
        .filter(|p| !p.contains('/'))
        .filter(|p| {
            let sole_identifier = facts.primary_identifier.len() == 1
                && facts.primary_identifier[0].strip_prefix("/properties/") == Some(*p);
            *p == "Name"
                || p.strip_suffix("Name")
                    .is_some_and(|stem| stem == kind || (sole_identifier && !stem.is_empty()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_template::schema::facts::facts;

    #[test]
    fn names_come_from_the_facts() {
        let names = |t: &str| name_properties(facts(t).unwrap());
        assert_eq!(names("AWS::S3::Bucket"), vec!["BucketName"]);
        assert_eq!(names("AWS::IAM::Role"), vec!["RoleName"]);
        assert_eq!(names("AWS::SSM::Parameter"), vec!["Name"]);
        assert_eq!(names("AWS::Logs::LogGroup"), vec!["LogGroupName"]);
        assert_eq!(names("AWS::KMS::Alias"), vec!["AliasName"]);
        assert_eq!(names("AWS::Lambda::Function"), vec!["FunctionName"]);
        assert!(names("AWS::KMS::Key").is_empty());
        assert!(names("AWS::EC2::VPCEndpoint").is_empty());
        assert!(names("AWS::Lambda::Permission").is_empty());
        assert!(names("AWS::S3::BucketPolicy").is_empty());
        // Create-only by the resource specification, not the registry schema.
        assert_eq!(names("AWS::Route53::RecordSet"), vec!["Name"]);
    }
}
