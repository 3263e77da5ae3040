//! Tags applied to every taggable resource of a block.

use cfn_template::resources::Tag;
use cfn_template::value::{List, Map};
use cfn_template::Expr;
use indexmap::IndexMap;

/// Tags by key, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(pub IndexMap<String, String>);

impl Tags {
    /// As a `Key`/`Value` list; `None` when there are no tags, so the
    /// property is omitted.
    pub fn list(&self) -> Option<List<Tag>> {
        (!self.0.is_empty()).then(|| self.0.iter().map(|(k, v)| Tag::new(k, v.as_str())).collect())
    }

    /// As a map, the form `AWS::SSM::Parameter` takes.
    pub fn map(&self) -> Option<Map<Expr>> {
        (!self.0.is_empty()).then(|| self.0.iter().map(|(k, v)| (k.clone(), Expr::from(v))).collect())
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Tags {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Tags(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
