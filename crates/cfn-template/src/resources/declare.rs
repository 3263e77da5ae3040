//! Types the schemas lack, declared once with their attributes.

/// Declares a resource type the registry schemas lack (a custom resource, a
/// private or third-party type): a struct holding its properties as JSON,
/// and a trait of typed `Fn::GetAtt` accessors for its handle. Validation
/// checks every `Fn::GetAtt` of it against the declared attributes, so an
/// attribute typo fails to compile through the accessors and fails
/// validation through an untyped [`Expr::get_att`](crate::Expr::get_att).
///
/// ```
/// cfn_template::declare_resource! {
///     /// A database cluster of a third-party registry type.
///     pub struct AtlasCluster = "MongoDB::Atlas::Cluster";
///     /// Its attributes.
///     pub trait AtlasClusterAttributes {
///         /// The connection string.
///         "ConnectionStrings.Standard" => connection_string;
///         /// The cluster's ID.
///         "Id" => id;
///     }
/// }
///
/// use cfn_template::{Expr, Output, Template};
/// let mut t = Template::new();
/// let cluster = t.add("Db", AtlasCluster::new().property("Name", "orders"));
/// t.add_output("Url", Output::new(cluster.connection_string()));
/// assert!(t.to_json().unwrap().contains("ConnectionStrings.Standard"));
///
/// t.add_output("Typo", Output::new(Expr::get_att("Db", "Idd")));
/// assert!(t.to_json().unwrap_err().to_string().contains("did you mean `Id`?"));
/// ```
///
/// ```compile_fail
/// # cfn_template::declare_resource! {
/// #     pub struct AtlasCluster = "MongoDB::Atlas::Cluster";
/// #     pub trait AtlasClusterAttributes { "Id" => id; }
/// # }
/// let mut t = cfn_template::Template::new();
/// let cluster = t.add("Db", AtlasCluster::new());
/// let _ = cluster.idd(); // not a declared attribute
/// ```
#[macro_export]
macro_rules! declare_resource {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident = $type_name:literal;
        $(#[$tmeta:meta])*
        $tvis:vis trait $attrs:ident {
            $( $(#[$ameta:meta])* $attr:literal => $method:ident; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        $vis struct $name {
            /// The properties, in order.
            pub properties: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        impl $name {
            /// The type name.
            pub const TYPE: &'static str = $type_name;
            /// The attributes `Fn::GetAtt` can read.
            pub const ATTRIBUTES: &'static [&'static str] = &[$($attr),*];

            /// A resource without properties.
            pub fn new() -> Self {
                Self::default()
            }

            /// Sets a property (an `Expr`, a typed value or JSON).
            pub fn property(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl $crate::value::PropertyValue,
            ) -> Self {
                self.properties.insert(name.into(), $crate::value::PropertyValue::to_value(&value));
                self
            }
        }

        impl $crate::resources::Resource for $name {
            fn resource_type(&self) -> &str {
                Self::TYPE
            }

            fn properties(&self) -> ::serde_json::Value {
                ::serde_json::Value::Object(self.properties.clone())
            }

            fn attribute_names(&self) -> $crate::resources::AttributeNames {
                $crate::resources::AttributeNames::Known { names: Self::ATTRIBUTES, prefixes: &[] }
            }
        }

        $(#[$tmeta])*
        $tvis trait $attrs {
            $( $(#[$ameta])* fn $method(&self) -> $crate::Expr; )*
        }

        impl $attrs for $crate::Handle<$name> {
            $( fn $method(&self) -> $crate::Expr {
                $crate::Expr::get_att(self.logical_id(), $attr)
            } )*
        }
    };
}
