// Copied unchanged from kanuu-codegen's generator/runtime/object.rs into every crate it generates: edit that file, not a copy.
//! Writing the crate's structs as JSON objects, its string enums as JSON
//! strings and its unions as their branches, and reading them back.
//!
//! Each struct is declared in [`json_object!`], which writes out its
//! `serde::Serialize` and `serde::Deserialize` from the `#[json(…)]`
//! attribute on each field, calling this module, instead of deriving them.
//! The derived reader also reads structs sent as arrays and names fields
//! through an enum with its own visitor, which JSON never uses and which
//! cost rustc about a third of a large crate's check. Each string enum is
//! declared in [`string_enum!`] and each union in [`json_union!`], so no
//! crate builds serde_derive. What goes over the wire is the same: a
//! missing required property is an error naming it, an unknown one is
//! skipped (or kept, for a struct with additional properties), `null` is
//! `None`, and an optional property that is `None` is left out.
// This file is the same in every crate; with some tag features off, no
// struct may be compiled to use it.
#![allow(dead_code, unused_macros)]

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// Declares a struct read and written as a JSON object: the struct as
/// written (without the `#[json(…)]` attributes), its `Serialize`, its
/// `Deserialize` and its [`Object`].
///
/// Each field says how it goes over the wire, after its docs (if the
/// document describes it):
/// `#[json("name", kind)]`, where `kind` is one of
/// - `required`: always sent, never `null`;
/// - `required_nullable` (`Option<T>`): always sent, `None` as `null`;
/// - `optional` (`Option<T>`): left out when `None`, `null` read as `None`;
/// - `optional_nullable` (`Option<Option<T>>`): left out when `None`,
///   `Some(None)` is `null`.
///
/// A last field marked `#[json(others)]` (a `BTreeMap<String, T>`) keeps
/// the properties the struct doesn't name.
///
/// After the struct comes its constructor's signature, `pub fn new(…) -> Self;`,
/// one parameter per required property, named as its field: the macro
/// writes its docs and body, converting each parameter `Into` its field's
/// type and leaving the optional properties out (`None`) and the others
/// empty.
///
/// Reading has one typed local per property and a `match` with a plain call
/// in each arm: nothing for rustc to infer, and one `?` after the `match`.
macro_rules! json_object {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                #[json($wire:literal, $kind:ident)]
                $(#[$field_attr:meta])*
                pub $field:ident: $ty:ty,
            )*
            $(
                #[json(others)]
                pub $others:ident: $others_ty:ty,
            )?
        }

        $(#[$new_attr:meta])*
        pub fn new($($param:ident: $param_ty:ty),* $(,)?) -> Self;
    ) => {
        $(#[$attr])*
        pub struct $name {
            $(
                $(#[doc = $doc])*
                // A property the document doesn't describe has no docs.
                #[allow(missing_docs)]
                $(#[$field_attr])*
                pub $field: $ty,
            )*
            $(
                /// Properties other than the ones above.
                pub $others: $others_ty,
            )?
        }

        impl $name {
            #[doc = concat!("`", stringify!($name), "` from its required properties; the optional ones are left out.")]
            $(#[$new_attr])*
            // A parameter may already have its field's type; the document
            // says how many properties are required.
            #[allow(clippy::useless_conversion, clippy::too_many_arguments)]
            pub fn new($($param: $param_ty),*) -> Self {
                Self {
                    $($field: json_object!(@new $kind $field),)*
                    $($others: ::std::collections::BTreeMap::new(),)?
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, output: S) -> ::core::result::Result<S::Ok, S::Error> {
                let mut object = $crate::object::Writer::new(output);
                $(object.$kind($wire, &self.$field);)*
                $(object.others(&self.$others);)?
                object.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(input: D) -> ::core::result::Result<Self, D::Error> {
                $crate::object::deserialize(input)
            }
        }

        impl $crate::object::Object for $name {
            const EXPECTING: &'static str = concat!("an object of type `", stringify!($name), "`");

            fn read<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::core::result::Result<Self, A::Error> {
                $(let mut $field: ::core::option::Option<$ty> = ::core::option::Option::None;)*
                $(let mut $others = ::std::collections::BTreeMap::new();)?
                while let ::core::option::Option::Some(key) = map.next_key::<$crate::object::Key>()? {
                    match key.as_str() {
                        $($wire => $crate::object::read::$kind(&mut map, &mut $field),)*
                        _ => json_object!(@other map key $($others)?),
                    }?;
                }
                ::core::result::Result::Ok(Self {
                    $($field: json_object!(@finish $kind $field $wire),)*
                    $($others,)?
                })
            }
        }
    };
    // What the catch-all arm does: skip the value, or keep it in the others.
    (@other $map:ident $key:ident) => {
        $crate::object::skip(&mut $map)
    };
    (@other $map:ident $key:ident $others:ident) => {
        $crate::object::other(&mut $map, $key, &mut $others)
    };
    // A field's value in `new`: its parameter, or left out.
    (@new required $field:ident) => {
        ::core::convert::Into::into($field)
    };
    (@new required_nullable $field:ident) => {
        $field
    };
    (@new $kind:ident $field:ident) => {
        ::core::option::Option::None
    };
    // A field's value from its local: a required one must have been read.
    (@finish required $field:ident $wire:literal) => {
        $crate::object::required($field, $wire)?
    };
    (@finish $kind:ident $field:ident $wire:literal) => {
        $field.flatten()
    };
}

/// Declares an enum of the strings a schema lists, each variant written
/// with its value, `Variant = "value",`, and documented by it, then
/// `Unknown(String)` with its docs, which keeps a value this client doesn't
/// know yet as it was sent (so a server that adds one doesn't break
/// reading). The macro writes `as_str`, `Display` and the serde impls: the
/// value as a JSON string.
///
/// ```ignore
/// string_enum! {
///     /// Where an order is.
///     pub enum Status {
///         OnHold = "on hold",
///         /// A value this client does not know yet, kept as it was sent.
///         Unknown(String),
///     }
/// }
/// ```
macro_rules! string_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $($variant:ident = $value:literal,)*
            // At least one attribute (its docs): a `#` tells it from a variant.
            $(#[$unknown_attr:meta])+
            Unknown(String),
        }
    ) => {
        $(#[$attr])*
        pub enum $name {
            $(
                #[doc = concat!("`", $value, "`")]
                $variant,
            )*
            $(#[$unknown_attr])+
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, output: S) -> ::core::result::Result<S::Ok, S::Error> {
                output.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(input: D) -> ::core::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(input)?;
                ::core::result::Result::Ok(match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown(value),
                })
            }
        }
    };
}

/// Declares an enum with a variant per branch of a union (`oneOf`,
/// `anyOf`), each holding its branch's type, and its serde impls: a value
/// is written as its branch writes it, and read into one branch, which the
/// `#[json(…)]` after each variant's docs says how to choose.
///
/// With a discriminator, the enum's first attribute names its property,
/// `#[json(tag = "petType")]`, each variant lists the values that pick it,
/// `#[json("cat")]` (or is `#[json(unmapped)]`, written but never read,
/// when the document maps no value to it), and the last variant, `#[json(unknown)]
/// Unknown(serde_json::Value)`, keeps a value whose discriminator the
/// client doesn't know yet, as it was sent.
///
/// Without one, each branch is offered to [`BestFit`], which reads the
/// value into the branch it fits best. A variant says what its branch
/// names of an object: `#[json(names("left", "right"), required = 2)]`,
/// with `, closed` when it allows no other properties; `names()` when it
/// is not an object; `names(..)` when it keeps every property (a map, or
/// any JSON value).
///
/// ```ignore
/// json_union! {
///     #[json(tag = "petType")]
///     /// A cat or a dog.
///     pub enum Pet {
///         /// A cat.
///         #[json("cat")]
///         Cat(crate::Cat),
///         /// A value whose discriminator this client does not know yet, kept as it was sent.
///         #[json(unknown)]
///         Unknown(serde_json::Value),
///     }
/// }
/// ```
macro_rules! json_union {
    // With a discriminator: its property first.
    (#[json(tag = $tag:literal)] $($union:tt)*) => {
        json_union!(@union [tag $tag] $($union)*);
    };
    (@union $choose:tt
        $(#[$attr:meta])*
        pub enum $name:ident {
            $(
                $(#[doc = $doc:literal])*
                #[json($($read:tt)*)]
                $variant:ident($ty:ty $(,)?),
            )*
        }
    ) => {
        $(#[$attr])*
        pub enum $name {
            $(
                $(#[doc = $doc])*
                $variant($ty),
            )*
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, output: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => ::serde::Serialize::serialize(value, output),)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(input: D) -> ::core::result::Result<Self, D::Error> {
                let json = <::serde_json::Value as ::serde::Deserialize>::deserialize(input)?;
                json_union!(@read $choose json $name $($variant ($($read)*))*)
            }
        }
    };
    // Reading by the discriminator: a variant whose value it is, else the
    // unknown one.
    (@read [tag $tag:literal] $json:ident $name:ident $($variant:ident $read:tt)*) => {{
        // Unused when no variant is mapped to a value.
        #[allow(unused_variables)]
        let tag = $json.get($tag).and_then(::serde_json::Value::as_str);
        $(json_union!(@tagged tag $json $variant $read);)*
        ::core::result::Result::Ok(Self::Unknown($json))
    }};
    (@tagged $tag:ident $json:ident $variant:ident (unknown)) => {};
    (@tagged $tag:ident $json:ident $variant:ident (unmapped)) => {};
    (@tagged $tag:ident $json:ident $variant:ident ($($wire:literal),+)) => {
        if ::core::matches!($tag, ::core::option::Option::Some($($wire)|+)) {
            return ::serde_json::from_value($json).map(Self::$variant).map_err(::serde::de::Error::custom);
        }
    };
    // Reading by best fit: each branch offered to `BestFit`.
    (@read [best_fit] $json:ident $name:ident $($variant:ident $read:tt)*) => {{
        let mut fit = $crate::object::BestFit::new(&$json);
        $(json_union!(@fit fit $variant $read);)*
        fit.value().ok_or_else(|| $crate::object::no_fit(stringify!($name), &[$(stringify!($variant)),*]))
    }};
    (@fit $fit:ident $variant:ident (names(..))) => {
        $fit.map_branch(|json| ::serde::Deserialize::deserialize(json).map(Self::$variant));
    };
    (@fit $fit:ident $variant:ident (names())) => {
        $fit.branch(&[], 0, false, |json| ::serde::Deserialize::deserialize(json).map(Self::$variant));
    };
    (@fit $fit:ident $variant:ident (names($($property:literal),*), required = $required:literal)) => {
        $fit.branch(&[$($property),*], $required, false, |json| ::serde::Deserialize::deserialize(json).map(Self::$variant));
    };
    (@fit $fit:ident $variant:ident (names($($property:literal),*), required = $required:literal, closed)) => {
        $fit.branch(&[$($property),*], $required, true, |json| ::serde::Deserialize::deserialize(json).map(Self::$variant));
    };
    // Without a discriminator.
    ($(#[$attr:meta])* pub enum $name:ident $variants:tt) => {
        json_union!(@union [best_fit] $(#[$attr])* pub enum $name $variants);
    };
}

/// A struct read from a JSON object, one entry at a time.
pub(crate) trait Object: Sized {
    /// What an error says was expected instead: "an object of type `Pet`".
    const EXPECTING: &'static str;

    /// Reads the object's entries, in any order.
    fn read<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `serde::Deserialize::deserialize` for every [`Object`].
pub(crate) fn deserialize<'de, T: Object, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// An object's key, borrowed from the input where the format allows it
/// (serde_json does for keys without escapes).
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> serde::de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// What each arm of a struct's `match` on keys calls, by the kind of the
/// property (see [`json_object!`]): plain calls, so that the arms have no
/// control flow of their own for rustc to check. Each stores the value in
/// the property's local, an `Option` of the field's type.
pub(crate) mod read {
    use serde::de::MapAccess;

    pub(crate) fn required<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        *slot = Some(map.next_value()?);
        Ok(())
    }

    /// `null` reads as `None`: `Option<T>`'s own reading.
    pub(crate) fn optional<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<Option<T>>,
    ) -> Result<(), A::Error> {
        required(map, slot)
    }

    /// `null` reads as `None`, as for [`optional`].
    pub(crate) fn required_nullable<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<Option<T>>,
    ) -> Result<(), A::Error> {
        required(map, slot)
    }

    /// `null` is `Some(None)`, kept apart from a property left out.
    pub(crate) fn optional_nullable<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<Option<Option<T>>>,
    ) -> Result<(), A::Error> {
        *slot = Some(Some(map.next_value()?));
        Ok(())
    }
}

/// Keeps a property the struct doesn't name in its map of the others.
pub(crate) fn other<'de, A, T>(
    map: &mut A,
    key: Key<'de>,
    others: &mut BTreeMap<String, T>,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    others.insert(key.into_string(), map.next_value()?);
    Ok(())
}

/// Skips the value of a property the struct doesn't have.
pub(crate) fn skip<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(drop)
}

/// Writes a struct's properties as one JSON object. The first error is
/// kept and returned by [`Writer::end`], so a struct's `serialize` is a
/// plain list of calls.
pub(crate) struct Writer<S: serde::Serializer> {
    map: Result<S::SerializeMap, S::Error>,
}

impl<S: serde::Serializer> Writer<S> {
    pub(crate) fn new(output: S) -> Self {
        Writer {
            map: output.serialize_map(None),
        }
    }

    /// A property that is always written.
    pub(crate) fn required<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        use serde::ser::SerializeMap;
        let written = match &mut self.map {
            Ok(map) => map.serialize_entry(key, value),
            Err(_) => return,
        };
        if let Err(error) = written {
            self.map = Err(error);
        }
    }

    /// A property that is always written, `None` as `null`.
    pub(crate) fn required_nullable<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
        self.required(key, value);
    }

    /// A property that is left out when it is `None`.
    pub(crate) fn optional<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(key, value);
        }
    }

    /// A property that is left out when it is `None`, `Some(None)` as `null`.
    pub(crate) fn optional_nullable<T: serde::Serialize>(
        &mut self,
        key: &str,
        value: &Option<Option<T>>,
    ) {
        self.optional(key, value);
    }

    /// The properties a struct keeps beyond the ones it names.
    pub(crate) fn others<T: serde::Serialize>(&mut self, others: &BTreeMap<String, T>) {
        for (key, value) in others {
            self.required(key, value);
        }
    }

    pub(crate) fn end(self) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        self.map?.end()
    }
}

/// The value of a required property, or the error that names it.
pub(crate) fn required<T, E: serde::de::Error>(
    value: Option<T>,
    property: &'static str,
) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(property))
}

/// The error when no branch of `union` fits a value: "the value matches no
/// variant of `Node` (tried `Leaf`, `Branch`)".
pub(crate) fn no_fit<E: serde::de::Error>(union: &str, variants: &[&str]) -> E {
    let tried: Vec<String> = variants
        .iter()
        .map(|variant| format!("`{variant}`"))
        .collect();
    E::custom(format_args!(
        "the value matches no variant of `{union}` (tried {})",
        tried.join(", ")
    ))
}

/// Chooses the branch of a union without a discriminator that a JSON value
/// fits best, so a value keeps what it was sent wherever a branch names it:
///
/// 1. a branch fits when it reads the value (its required properties are
///    there, each property has its type) and, if it allows no other
///    properties (`additionalProperties: false`), the value has none;
/// 2. of the branches that fit, the one naming the most of the value's
///    properties wins (a map, or any JSON value, names them all); then the
///    one with the more required properties (the more specific); then one
///    that allows no others; then the first listed.
///
/// Each branch is offered in the document's order with [`BestFit::branch`],
/// or [`BestFit::map_branch`] for a map or any JSON value.
pub(crate) struct BestFit<'a, T> {
    json: &'a serde_json::Value,
    best: Option<((usize, usize, bool), T)>,
}

impl<'a, T> BestFit<'a, T> {
    pub(crate) fn new(json: &'a serde_json::Value) -> Self {
        BestFit { json, best: None }
    }

    /// Offers a branch: the properties it names (for an object), how many of
    /// them are required, whether it allows others, and how it reads a value.
    pub(crate) fn branch<E>(
        &mut self,
        names: &[&str],
        required: usize,
        closed: bool,
        read: impl FnOnce(&'a serde_json::Value) -> Result<T, E>,
    ) {
        let properties = self.json.as_object();
        let named = properties.map_or(0, |properties| {
            properties
                .keys()
                .filter(|key| names.contains(&key.as_str()))
                .count()
        });
        if closed && properties.is_some_and(|properties| properties.len() > named) {
            return;
        }
        self.offer((named, required, closed), read);
    }

    /// Offers a branch that keeps every property: a map, or any JSON value.
    pub(crate) fn map_branch<E>(
        &mut self,
        read: impl FnOnce(&'a serde_json::Value) -> Result<T, E>,
    ) {
        let named = self.json.as_object().map_or(0, serde_json::Map::len);
        self.offer((named, 0, false), read);
    }

    fn offer<E>(
        &mut self,
        score: (usize, usize, bool),
        read: impl FnOnce(&'a serde_json::Value) -> Result<T, E>,
    ) {
        if self.best.as_ref().is_some_and(|(best, _)| *best >= score) {
            return;
        }
        if let Ok(value) = read(self.json) {
            self.best = Some((score, value));
        }
    }

    /// The best branch's value, or `None` when no branch fits.
    pub(crate) fn value(self) -> Option<T> {
        self.best.map(|(_, value)| value)
    }
}
