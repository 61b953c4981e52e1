//! Reading the API's objects into the crate's structs.
//!
//! Each struct implements [`Object`] by hand instead of deriving
//! `serde::Deserialize`: the derive also writes a reader for formats that
//! send structs as arrays, and an enum of the field names with its own
//! visitor, which JSON never uses and which cost rustc about a third of a
//! large crate's check. What a struct reads is the same: a missing required
//! property is an error naming it, an unknown one is skipped (or kept, for
//! a struct with additional properties), and `null` is `None`.
// This file is the same in every crate; with some tag features off, no
// struct may be compiled to use it.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A struct read from a JSON object, one entry at a time.
pub(crate) trait Object: Sized {
    /// What an error says was expected instead: "a `Pet` object".
    const EXPECTING: &'static str;

    /// Reads the object's entries, in any order.
    fn read<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `serde::Deserialize::deserialize` for every [`Object`].
pub(crate) fn deserialize<'de, T: Object, D: serde::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
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

/// Skips the value of a property the struct doesn't have.
pub(crate) fn skip<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(drop)
}

/// The value of a required property, or the error that names it.
pub(crate) fn required<T, E: serde::de::Error>(value: Option<T>, property: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(property))
}
