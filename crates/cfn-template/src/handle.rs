//! Typed handles to what a template declares.

use std::fmt;
use std::marker::PhantomData;

use crate::Expr;

/// A typed reference to a resource or parameter added to a template.
///
/// Its methods offer only the attributes the resource type has:
///
/// ```
/// use cfn_template::{Template, resources::kms::Key, resources::s3::Bucket};
/// let mut t = Template::new();
/// let bucket = t.add("Logs", Bucket::default());
/// let key = t.add("LogsKey", Key::default());
/// let _ = (bucket.arn(), bucket.r#ref(), key.arn(), key.key_id());
/// ```
///
/// so a `Fn::GetAtt` of an attribute that does not exist does not compile:
///
/// ```compile_fail
/// use cfn_template::{Template, resources::s3::Bucket};
/// let mut t = Template::new();
/// let bucket = t.add("Logs", Bucket::default());
/// let _ = bucket.key_id(); // a bucket has no KeyId
/// ```
///
/// ```compile_fail
/// use cfn_template::{Expr, Template, resources::kms::Alias};
/// let mut t = Template::new();
/// let alias = t.add("A", Alias::new("alias/a", "k"));
/// let _ = alias.arn(); // an alias has no attributes at all
/// ```
///
/// ```compile_fail
/// use cfn_template::{Template, resources::lambda::{function::Code, Function}};
/// let mut t = Template::new();
/// let f = t.add("F", Function::new(Code::default(), "arn:aws:iam::111122223333:role/r"));
/// let _ = f.arnn(); // a typo of `arn`
/// ```
///
/// ```compile_fail
/// use cfn_template::{Parameter, Template};
/// let mut t = Template::new();
/// let stage = t.add_parameter("Stage", Parameter::new("String"));
/// let _ = stage.arn(); // a parameter has only its Ref
/// ```
pub struct Handle<T> {
    logical_id: String,
    _type: PhantomData<fn() -> T>,
}

impl<T> Handle<T> {
    pub(crate) fn new(logical_id: String) -> Self {
        Handle { logical_id, _type: PhantomData }
    }

    /// The logical ID in the template.
    pub fn logical_id(&self) -> &str {
        &self.logical_id
    }

    /// `Ref` of this resource or parameter.
    pub fn r#ref(&self) -> Expr {
        Expr::Ref(self.logical_id.clone())
    }

    pub(crate) fn get_att(&self, attribute: impl Into<String>) -> Expr {
        Expr::GetAtt(self.logical_id.clone(), attribute.into())
    }
}

impl<T> Clone for Handle<T> {
    fn clone(&self) -> Self {
        Handle::new(self.logical_id.clone())
    }
}

impl<T> fmt::Debug for Handle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({})", self.logical_id)
    }
}

impl<T> PartialEq for Handle<T> {
    fn eq(&self, other: &Self) -> bool {
        self.logical_id == other.logical_id
    }
}
