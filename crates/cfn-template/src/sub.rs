//! Parsing of `Fn::Sub` template strings.

/// A piece of an `Fn::Sub` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubPart {
    /// Text kept as it is (`${!Literal}` has become `${Literal}`).
    Literal(String),
    /// A variable: `Name` or `Name.Attribute`.
    Var(String),
}

/// Splits an `Fn::Sub` string into literal text and variables.
///
/// `${!Name}` is CloudFormation's escape for a literal `${Name}`. An opening
/// `${` without its `}` is an error, as CloudFormation rejects it.
pub fn parse_sub(s: &str) -> Result<Vec<SubPart>, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        literal.push_str(&rest[..start]);
        let at = s.len() - rest.len() + start;
        let after = &rest[start + 2..];
        let end =
            after.find('}').ok_or_else(|| format!("`${{` at byte {at} of `{s}` has no closing `}}`"))?;
        let name = &after[..end];
        if let Some(escaped) = name.strip_prefix('!') {
            literal.push_str("${");
            literal.push_str(escaped);
            literal.push('}');
        } else {
            if name.is_empty() || name.trim() != name {
                return Err(format!("`${{{name}}}` in `{s}` is not a valid variable"));
            }
            if !literal.is_empty() {
                parts.push(SubPart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(SubPart::Var(name.to_string()));
        }
        rest = &after[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(SubPart::Literal(literal));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_variables_and_literals() {
        assert_eq!(
            parse_sub("arn:${AWS::Partition}:s3:::${Bucket}/*").unwrap(),
            vec![
                SubPart::Literal("arn:".into()),
                SubPart::Var("AWS::Partition".into()),
                SubPart::Literal(":s3:::".into()),
                SubPart::Var("Bucket".into()),
                SubPart::Literal("/*".into()),
            ]
        );
    }

    #[test]
    fn escaped_variables_stay_literal() {
        assert_eq!(
            parse_sub("${!Keep} ${Role.Arn}").unwrap(),
            vec![SubPart::Literal("${Keep} ".into()), SubPart::Var("Role.Arn".into()),]
        );
    }

    #[test]
    fn unclosed_variable_is_an_error() {
        assert_eq!(parse_sub("abc ${Oops").unwrap_err(), "`${` at byte 4 of `abc ${Oops` has no closing `}`");
        assert!(parse_sub("${A}-${B").unwrap_err().contains("at byte 5 "));
        assert!(parse_sub("${}").is_err());
    }
}
