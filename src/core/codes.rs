//! Stable ASCII codes with Chinese labels: every enumeration of the form.
//!
//! The file holds the code (`"serious_illness"`), the UI shows the label (`患有大病`).
//! Reading an unknown code is an error that names the code; the reader adds
//! the JSON path (`members[2].relation: 未知的代码 "boss"`).

/// Defines an enumeration of form codes: the enum, `ALL`, `code()`, `label()`,
/// `from_code()`, strict serde and (natively) a JSON Schema `enum`.
#[macro_export]
macro_rules! codes {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal : $label:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),* }

        #[allow(dead_code, unreachable_patterns)]
        impl $name {
            /// Every code, in the order of the paper form.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The stable ASCII code written to files.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code,)* } }
            /// The Chinese label shown to people.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label,)* } }
            /// The code's value, if it is one of ours.
            pub fn from_code(s: &str) -> Option<Self> { match s { $($code => Some($name::$variant),)* _ => None } }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.label()) }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.code()) }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a code of ", stringify!($name)))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        $name::from_code(s).ok_or_else(|| E::custom(format!("未知的代码 \"{}\"", s)))
                    }
                }
                d.deserialize_str(V)
            }
        }

        #[cfg(feature = "schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> { stringify!($name).into() }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let codes: Vec<&'static str> = vec![$($code),*];
                let labels: Vec<String> = vec![$(format!("{} = {}", $code, $label)),*];
                ::schemars::json_schema!({ "type": "string", "enum": codes, "description": labels.join("; ") })
            }
        }
    };
}
