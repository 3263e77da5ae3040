//! The generator's input: the registry resource schemas as a pinned cfn-lint
//! release ships them, and the GetAtt corrections cfn-lint keeps beside them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The region whose provider list decides which types exist.
pub const REGION: &str = "us-east-1";

/// Everything read from the cfn-lint package.
pub struct Source {
    /// The cfn-lint release, such as `1.58.0`.
    pub version: String,
    /// When cfn-lint last refreshed its schemas (`schema_date`).
    pub schema_date: String,
    /// Type name → its schema, sorted by type name.
    pub schemas: BTreeMap<String, Value>,
    /// The GetAtt corrections.
    pub getatt: GetAttCorrections,
}

/// Where CloudFormation's `Fn::GetAtt` and the schemas' `readOnlyProperties`
/// disagree, as cfn-lint records it (`cfnlint/schema/_getatts.py`).
pub struct GetAttCorrections {
    /// Types whose every property (not arrays of objects) can be read with GetAtt.
    pub all_properties: Vec<String>,
    /// Types with attributes beyond their read-only properties.
    pub extra: BTreeMap<String, Vec<String>>,
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse(path: &Path) -> Result<Value, String> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

impl Source {
    /// Reads the cfn-lint package at `package` (the folder of `cfnlint/__init__.py`).
    pub fn read(package: &Path) -> Result<Source, String> {
        let version_py = read(&package.join("version.py"))?;
        let version = version_py
            .lines()
            .find_map(|l| l.strip_prefix("__version__ = "))
            .map(|v| v.trim().trim_matches('"').to_string())
            .ok_or_else(|| format!("{}: no __version__", package.join("version.py").display()))?;
        let schemas_dir: PathBuf = package.join("data").join("schemas");
        let schema_date =
            parse(&schemas_dir.join("version.json"))?["schema_date"].as_str().unwrap_or_default().to_string();
        let provider = parse(&schemas_dir.join("providers").join(format!("{REGION}.json")))?;
        let provider = provider.as_object().ok_or("the provider list is not an object")?;
        let mut schemas = BTreeMap::new();
        for (type_name, file) in provider {
            let file = file.as_str().ok_or_else(|| format!("{type_name}: no schema file"))?;
            let schema = parse(&schemas_dir.join("resources").join(format!("{file}.json")))?;
            if schema["typeName"].as_str() != Some(type_name) {
                return Err(format!("{file}.json describes {}, not {type_name}", schema["typeName"]));
            }
            schemas.insert(type_name.clone(), schema);
        }
        let getatt = GetAttCorrections::parse(&read(&package.join("schema").join("_getatts.py"))?)?;
        Ok(Source { version, schema_date, schemas, getatt })
    }
}

/// A token of the Python literals read from `_getatts.py`.
#[derive(Debug, PartialEq)]
enum Token {
    Str(String),
    Punct(char),
}

/// Tokens of a Python list or dict literal of strings, up to its closing bracket.
fn literal_tokens(text: &str, open: char) -> Result<Vec<Token>, String> {
    let close = if open == '[' { ']' } else { '}' };
    let mut tokens = Vec::new();
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' | '\'' => {
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('\\') => match chars.next() {
                            Some(e) => {
                                // `\\.` in a regex key stands for a literal dot.
                                if e != '\\' {
                                    s.push('\\');
                                }
                                s.push(e);
                            }
                            None => return Err("unterminated string".into()),
                        },
                        Some(q) if q == c => break,
                        Some(other) => s.push(other),
                        None => return Err("unterminated string".into()),
                    }
                }
                tokens.push(Token::Str(s));
            }
            '[' | '{' => {
                depth += 1;
                tokens.push(Token::Punct(c));
            }
            ']' | '}' => {
                depth = depth.checked_sub(1).ok_or("unbalanced brackets")?;
                tokens.push(Token::Punct(c));
                if depth == 0 {
                    if c != close {
                        return Err(format!("expected `{close}`, found `{c}`"));
                    }
                    return Ok(tokens);
                }
            }
            ',' | ':' => tokens.push(Token::Punct(c)),
            c if c.is_whitespace() => {}
            other => return Err(format!("unexpected `{other}` in a literal")),
        }
    }
    Err("the literal does not end".into())
}

fn strings_in(tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Str(s) => Some(s.clone()),
            Token::Punct(_) => None,
        })
        .collect()
}

fn literal_after<'a>(text: &'a str, assignment: &str) -> Result<&'a str, String> {
    let at = text
        .find(assignment)
        .ok_or_else(|| format!("_getatts.py has no `{assignment}`: its layout changed, update the reader"))?;
    let rest = &text[at + assignment.len()..];
    Ok(rest.trim_start())
}

impl GetAttCorrections {
    /// Reads the two literals `_all_property_types = [...]` and `_exceptions = {...}`.
    fn parse(text: &str) -> Result<GetAttCorrections, String> {
        let list = literal_tokens(literal_after(text, "_all_property_types =")?, '[')?;
        let all_properties = strings_in(&list);
        let dict = literal_tokens(literal_after(text, "_exceptions =")?, '{')?;
        let mut extra = BTreeMap::new();
        let mut i = 1; // after `{`
        while i < dict.len() {
            match (&dict[i], dict.get(i + 1), dict.get(i + 2)) {
                (Token::Str(key), Some(Token::Punct(':')), Some(Token::Punct('['))) => {
                    let end = dict[i + 2..]
                        .iter()
                        .position(|t| *t == Token::Punct(']'))
                        .map(|p| p + i + 2)
                        .ok_or("unclosed list in _exceptions")?;
                    extra.insert(key.clone(), strings_in(&dict[i + 3..end]));
                    i = end + 1;
                }
                (Token::Punct(',' | '}'), _, _) => i += 1,
                other => return Err(format!("_exceptions: unexpected {:?}", other.0)),
            }
        }
        if all_properties.is_empty() || extra.is_empty() {
            return Err(
                "_getatts.py: a correction list is empty; its layout changed, update the reader".into()
            );
        }
        Ok(GetAttCorrections { all_properties, extra })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_correction_literals() {
        let text = r#"
_all_property_types = [
    "AWS::SNS::Topic",  # a comment
    'AWS::SQS::Queue',
]
_exceptions = {
    "AWS::AppMesh::Mesh": [
        "MeshName",
    ],
    "AWS::OpsWorks::Instance": ["AvailabilityZone"],
}
"#;
        let c = GetAttCorrections::parse(text).unwrap();
        assert_eq!(c.all_properties, ["AWS::SNS::Topic", "AWS::SQS::Queue"]);
        assert_eq!(c.extra["AWS::AppMesh::Mesh"], ["MeshName"]);
        assert_eq!(c.extra["AWS::OpsWorks::Instance"], ["AvailabilityZone"]);
    }

    #[test]
    fn a_changed_layout_is_an_error() {
        assert!(GetAttCorrections::parse("nothing here").is_err());
    }
}
