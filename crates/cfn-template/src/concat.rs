//! Concatenation of expressions into one `Fn::Sub` (or a literal).

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::sub::{parse_sub, SubPart};
use crate::Expr;

/// Text as literal `Fn::Sub` text: `${` is written `${!`.
fn escape(text: &str) -> String {
    text.replace("${", "${!")
}

struct Builder {
    /// The `Fn::Sub` text so far.
    text: String,
    /// The text as a plain literal, while every part has been one.
    literal: Option<String>,
    vars: IndexMap<String, Expr>,
    /// Names the text refers to directly (`${Bucket.Arn}` → `Bucket`): a
    /// variable of that name would change what they mean.
    inline: HashSet<String>,
}

impl Builder {
    /// A variable name taken neither by a variable nor by an inline reference.
    fn fresh(&self, base: &str) -> String {
        (1..)
            .map(|n| format!("{base}{n}"))
            .find(|name| !self.vars.contains_key(name) && !self.inline.contains(name))
            .expect("some number is free")
    }

    /// A reference written inline, unless a variable already has its name.
    fn reference(&mut self, reference: &str, e: Expr) {
        let root = reference.split('.').next().unwrap_or(reference);
        if self.vars.contains_key(root) {
            let name = self.fresh(root);
            self.variable(&name);
            self.vars.insert(name, e);
        } else {
            self.inline.insert(root.to_string());
            self.variable(reference);
        }
    }

    fn literal(&mut self, s: &str) {
        self.text.push_str(&escape(s));
        if let Some(l) = &mut self.literal {
            l.push_str(s);
        }
    }

    fn variable(&mut self, reference: &str) {
        self.text.push_str("${");
        self.text.push_str(reference);
        self.text.push('}');
        self.literal = None;
    }

    fn part(&mut self, e: Expr) {
        match e {
            Expr::Str(s) => self.literal(&s),
            Expr::Int(n) => self.literal(&n.to_string()),
            Expr::Float(x) => self.literal(&x.to_string()),
            Expr::Bool(b) => self.literal(if b { "true" } else { "false" }),
            Expr::Ref(id) => self.reference(&id.clone(), Expr::Ref(id)),
            Expr::GetAtt(id, attribute) => {
                self.reference(&format!("{id}.{attribute}"), Expr::GetAtt(id, attribute));
            }
            Expr::Sub(template, vars) => self.sub(&template, vars),
            other => {
                let name = self.fresh("Part");
                self.variable(&name);
                self.vars.insert(name, other);
            }
        }
    }

    /// Splices another `Fn::Sub`, renaming its variables where they would
    /// clash with ones already taken.
    fn sub(&mut self, template: &str, vars: IndexMap<String, Expr>) {
        let Ok(parts) = parse_sub(template) else {
            // Not a valid Fn::Sub: keep it whole as a variable, for validation to report.
            let name = self.fresh("Part");
            self.variable(&name);
            self.vars.insert(name, Expr::Sub(template.to_string(), vars));
            return;
        };
        let mut renamed: IndexMap<String, String> = IndexMap::new();
        for (k, v) in vars {
            let name = match self.vars.get(&k) {
                None if !self.inline.contains(&k) => k.clone(),
                Some(existing) if *existing == v => k.clone(),
                _ => self.fresh(&k),
            };
            self.vars.insert(name.clone(), v);
            renamed.insert(k, name);
        }
        for part in parts {
            match part {
                SubPart::Literal(l) => self.literal(&l),
                SubPart::Var(v) => match renamed.get(&v) {
                    Some(name) => self.variable(&name.clone()),
                    None => {
                        // A reference of the spliced text to the template.
                        let e = match v.split_once('.') {
                            Some((id, attribute)) if crate::Pseudo::from_name(&v).is_none() => {
                                Expr::GetAtt(id.to_string(), attribute.to_string())
                            }
                            _ => Expr::Ref(v.clone()),
                        };
                        self.reference(&v, e);
                    }
                },
            }
        }
    }
}

pub(crate) fn concat(parts: impl Iterator<Item = Expr>) -> Expr {
    let mut b = Builder {
        text: String::new(),
        literal: Some(String::new()),
        vars: IndexMap::new(),
        inline: HashSet::new(),
    };
    for p in parts {
        b.part(p);
    }
    match b.literal {
        Some(l) => Expr::Str(l),
        None => Expr::Sub(b.text, b.vars),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pseudo;

    #[test]
    fn literals_stay_literal_and_escape_in_subs() {
        assert_eq!(concat(["a".into(), 1.into(), true.into()].into_iter()), Expr::from("a1true"));
        assert_eq!(
            concat([Expr::from("${x}-"), Expr::pseudo(Pseudo::Region)].into_iter()),
            Expr::sub("${!x}-${AWS::Region}")
        );
    }

    #[test]
    fn subs_splice_and_their_variables_do_not_clash() {
        let a = Expr::sub_with("${V}", [("V", Expr::r#ref("A"))]);
        let b = Expr::sub_with("${V}", [("V", Expr::r#ref("B"))]);
        let same = Expr::sub_with("${V}", [("V", Expr::r#ref("A"))]);
        assert_eq!(
            concat([a, "-".into(), b, same].into_iter()),
            Expr::sub_with("${V}-${V1}${V}", [("V", Expr::r#ref("A")), ("V1", Expr::r#ref("B"))])
        );
    }

    #[test]
    fn a_variable_never_captures_a_reference_to_the_template() {
        let var = Expr::sub_with("${X}", [("X", Expr::from("v"))]);
        // The resource `X` after a variable `X`: written through a variable of its own.
        assert_eq!(
            concat([var.clone(), Expr::r#ref("X")].into_iter()),
            Expr::sub_with("${X}${X1}", [("X", Expr::from("v")), ("X1", Expr::r#ref("X"))])
        );
        // A variable `X` after the resource `X`: renamed.
        assert_eq!(
            concat([Expr::get_att("X", "Arn"), var].into_iter()),
            Expr::sub_with("${X.Arn}${X1}", [("X1", Expr::from("v"))])
        );
    }

    #[test]
    fn other_intrinsics_become_variables() {
        let part = Expr::if_("C", "a".into(), "b".into());
        assert_eq!(
            concat([Expr::from("x-"), part.clone()].into_iter()),
            Expr::sub_with("x-${Part1}", [("Part1", part)])
        );
    }
}
