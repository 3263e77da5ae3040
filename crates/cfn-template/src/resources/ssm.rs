//! `AWS::SSM::Parameter`.

use indexmap::IndexMap;
use serde::Serialize;
use serde_with::skip_serializing_none;

use super::resource_type;
use crate::{Expr, Handle};

/// `AWS::SSM::Parameter`: a Parameter Store parameter.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// `Name`.
    pub name: Option<Expr>,
    /// `Type`: `String` or `StringList` (CloudFormation cannot create `SecureString`).
    #[serde(rename = "Type")]
    pub type_: Expr,
    /// `Value`.
    pub value: Expr,
    /// `Description`.
    pub description: Option<Expr>,
    /// `Tier`: `Standard`, `Advanced` or `Intelligent-Tiering`.
    pub tier: Option<Expr>,
    /// `Tags`: a map, unlike most resource types.
    pub tags: Option<IndexMap<String, Expr>>,
}
resource_type!(Parameter, "AWS::SSM::Parameter");

impl Parameter {
    /// A `String` parameter.
    pub fn string(name: impl Into<Expr>, value: impl Into<Expr>) -> Self {
        Parameter {
            name: Some(name.into()),
            type_: "String".into(),
            value: value.into(),
            description: None,
            tier: None,
            tags: None,
        }
    }
}

impl Handle<Parameter> {
    /// The parameter's name (`Ref`).
    pub fn name(&self) -> Expr {
        self.r#ref()
    }

    /// The parameter's value (`Fn::GetAtt Value`).
    pub fn value(&self) -> Expr {
        self.get_att("Value")
    }

    /// The parameter's type (`Fn::GetAtt Type`).
    pub fn parameter_type(&self) -> Expr {
        self.get_att("Type")
    }
}
