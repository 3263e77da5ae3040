//! Which properties hold a resource's physical name, from the schema facts.
//!
//! A name property is create-only and top-level, and either identifies the
//! resource (it is its primary identifier, as `BucketName` or an SSM
//! parameter's `Name`) or is named like one (`RoleName`, `FunctionName`,
//! `AliasName`): changing it replaces the resource under another name, and
//! a replacement that keeps it cannot happen, as two resources would need
//! the same name at once.

use cfn_template::schema::facts::TypeFacts;

/// The name properties of a type, as top-level property names.
pub(crate) fn name_properties(facts: &TypeFacts) -> Vec<&'static str> {
    facts
        .create_only
        .iter()
        .filter_map(|p| p.strip_prefix("/properties/"))
        .filter(|p| !p.contains('/'))
        .filter(|p| {
            facts.primary_identifier.iter().any(|id| id.strip_prefix("/properties/") == Some(*p))
                || (p.ends_with("Name") && !p.ends_with("TypeName"))
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
    }
}
