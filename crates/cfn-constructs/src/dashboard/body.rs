//! The dashboard body as JSON text with deploy-time values inside its
//! strings, written as one `Fn::Sub`.
//!
//! Literal text is JSON-escaped here; `Expr::concat` then escapes what
//! `Fn::Sub` would read in it (`${`). A deploy-time value (a `Ref`, an
//! `Fn::GetAtt`, a variable of an `Fn::Sub`) is placed between the quotes of
//! a JSON string as CloudFormation resolves it, so it must resolve to text
//! JSON carries unescaped: names, ARNs and regions do.

use cfn_template::{parse_sub, Expr, SubPart};

/// A JSON value whose strings may hold deploy-time values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Bool(bool),
    Number(serde_json::Number),
    Str(Vec<Piece>),
    Array(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
}

/// A piece of a JSON string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Text known now.
    Text(String),
    /// A value CloudFormation resolves at deploy time.
    Value(Expr),
}

impl Json {
    /// A string known now.
    pub(crate) fn text(s: impl Into<String>) -> Json {
        Json::Str(vec![Piece::Text(s.into())])
    }

    /// A string from an expression: its literal parts become text, the rest
    /// deploy-time values.
    pub(crate) fn expr(e: &Expr) -> Json {
        Json::Str(pieces(e))
    }

    /// A whole number.
    pub(crate) fn int(n: u32) -> Json {
        Json::Number(n.into())
    }

    /// The JSON text as an expression: a literal when nothing is resolved at
    /// deploy time, else one `Fn::Sub`.
    pub(crate) fn to_expr(&self) -> Expr {
        let mut out = Writer::default();
        self.write(&mut out);
        out.flush();
        Expr::concat(out.parts)
    }

    /// The JSON text with `sample` in place of every deploy-time value.
    pub(crate) fn to_sample(&self, sample: &str) -> String {
        let mut out = Writer { sample: Some(sample), ..Writer::default() };
        self.write(&mut out);
        out.text
    }

    /// The length in bytes of the text known now (deploy-time values add
    /// what they resolve to).
    pub(crate) fn literal_len(&self) -> usize {
        self.to_sample("").len()
    }

    fn write(&self, out: &mut Writer<'_>) {
        match self {
            Json::Bool(b) => out.text.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.text.push_str(&n.to_string()),
            Json::Str(pieces) => {
                out.text.push('"');
                for piece in pieces {
                    match piece {
                        Piece::Text(t) => out.text.push_str(&escape(t)),
                        Piece::Value(e) => out.value(e),
                    }
                }
                out.text.push('"');
            }
            Json::Array(items) => {
                out.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.text.push(',');
                    }
                    item.write(out);
                }
                out.text.push(']');
            }
            Json::Object(entries) => {
                out.text.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.text.push(',');
                    }
                    out.text.push_str(&format!("\"{}\":", escape(key)));
                    value.write(out);
                }
                out.text.push('}');
            }
        }
    }
}

#[derive(Default)]
struct Writer<'a> {
    /// Literal JSON text not yet flushed into `parts`.
    text: String,
    parts: Vec<Expr>,
    /// When set, deploy-time values are written as this text instead.
    sample: Option<&'a str>,
}

impl Writer<'_> {
    fn value(&mut self, e: &Expr) {
        match self.sample {
            Some(sample) => self.text.push_str(sample),
            None => {
                self.flush();
                self.parts.push(e.clone());
            }
        }
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.parts.push(Expr::Str(std::mem::take(&mut self.text)));
        }
    }
}

/// Text as the inside of a JSON string.
fn escape(text: &str) -> String {
    let quoted = serde_json::Value::String(text.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// The pieces of a string expression. An `Fn::Sub` is taken apart so its
/// literal text is JSON-escaped like any other; its variables stay
/// deploy-time values (with their own definitions, when it has them).
fn pieces(e: &Expr) -> Vec<Piece> {
    match e {
        Expr::Str(s) => vec![Piece::Text(s.clone())],
        Expr::Int(n) => vec![Piece::Text(n.to_string())],
        Expr::Float(x) => vec![Piece::Text(x.to_string())],
        Expr::Bool(b) => vec![Piece::Text(b.to_string())],
        Expr::Sub(template, vars) => match parse_sub(template) {
            Ok(parts) => parts
                .into_iter()
                .map(|part| match part {
                    SubPart::Literal(text) => Piece::Text(text),
                    SubPart::Var(name) => match vars.get(&name) {
                        Some(value) => {
                            Piece::Value(Expr::sub_with(format!("${{{name}}}"), [(name, value.clone())]))
                        }
                        None => Piece::Value(Expr::sub(format!("${{{name}}}"))),
                    },
                })
                .collect(),
            // Kept whole, so template validation reports the malformed Fn::Sub.
            Err(_) => vec![Piece::Value(e.clone())],
        },
        other => vec![Piece::Value(other.clone())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_template::Pseudo;

    #[test]
    fn literal_text_is_json_escaped_and_subs_are_taken_apart() {
        let body = Json::Object(vec![
            ("markdown", Json::text("say \"hi\" ${x}\n")),
            ("region", Json::expr(&Expr::pseudo(Pseudo::Region))),
            ("name", Json::expr(&Expr::sub("a\"${AWS::Region}"))),
        ]);
        assert_eq!(
            body.to_expr(),
            Expr::sub(
                r#"{"markdown":"say \"hi\" ${!x}\n","region":"${AWS::Region}","name":"a\"${AWS::Region}"}"#
            )
        );
        let sample: serde_json::Value = serde_json::from_str(&body.to_sample("us-east-1")).unwrap();
        assert_eq!(sample["name"], "a\"us-east-1");
    }

    #[test]
    fn bodies_without_deploy_time_values_stay_literal() {
        let body = Json::Object(vec![("widgets", Json::Array(vec![Json::Bool(true), Json::int(3)]))]);
        assert_eq!(body.to_expr(), Expr::from(r#"{"widgets":[true,3]}"#));
        assert_eq!(body.literal_len(), 20);
    }
}
