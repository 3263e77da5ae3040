//! Template parameters and outputs.

use crate::Expr;
use serde::Serialize;
use serde_json::Value;

/// A template parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// `Type`, such as `String` or `Number`.
    #[serde(rename = "Type")]
    pub type_: String,
    /// `Default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// `Description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `AllowedValues`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_values: Option<Vec<Value>>,
    /// `AllowedPattern`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    /// `ConstraintDescription`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint_description: Option<String>,
    /// `MinLength`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// `MaxLength`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// `MinValue` of a `Number` parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    /// `MaxValue` of a `Number` parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<f64>,
    /// `NoEcho`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_echo: Option<bool>,
}

impl Parameter {
    /// A parameter of the given type (`String`, `Number`, ...).
    pub fn new(type_: impl Into<String>) -> Self {
        Parameter {
            type_: type_.into(),
            default: None,
            description: None,
            allowed_values: None,
            allowed_pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            no_echo: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Sets the default value.
    pub fn default_value(mut self, v: impl Into<Value>) -> Self {
        self.default = Some(v.into());
        self
    }

    /// Sets the values the parameter accepts.
    pub fn allowed_values<I: IntoIterator<Item = V>, V: Into<Value>>(mut self, values: I) -> Self {
        self.allowed_values = Some(values.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the regular expression a `String` parameter must match.
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.allowed_pattern = Some(pattern.into());
        self
    }

    /// Sets the message shown when a value breaks a constraint.
    pub fn constraint_description(mut self, d: impl Into<String>) -> Self {
        self.constraint_description = Some(d.into());
        self
    }

    /// Sets the shortest and longest a `String` value may be.
    pub fn length(mut self, min: u32, max: u32) -> Self {
        self.min_length = Some(min);
        self.max_length = Some(max);
        self
    }

    /// Sets the least and greatest a `Number` value may be.
    pub fn range(mut self, min: f64, max: f64) -> Self {
        self.min_value = Some(min);
        self.max_value = Some(max);
        self
    }

    /// Masks the value in the console and API output.
    pub fn no_echo(mut self) -> Self {
        self.no_echo = Some(true);
        self
    }
}

/// A template output.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// `Value`.
    pub value: Expr,
    /// `Description`.
    pub description: Option<String>,
    /// `Export.Name`: makes the value importable by other stacks.
    pub export_name: Option<Expr>,
    /// `Condition`.
    pub condition: Option<String>,
}

impl Output {
    /// An output of this value.
    pub fn new(value: Expr) -> Self {
        Output { value, description: None, export_name: None, condition: None }
    }

    /// Sets the description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Exports the value under this name.
    pub fn export(mut self, name: impl Into<Expr>) -> Self {
        self.export_name = Some(name.into());
        self
    }

    /// Declares the output only when this condition holds.
    pub fn condition(mut self, name: impl Into<String>) -> Self {
        self.condition = Some(name.into());
        self
    }
}
