//! Writing the crate's structs as JSON objects and reading them back.
//!
//! Each struct's `serde::Serialize` and `serde::Deserialize` are written
//! out, calling this module, instead of derived. The derived reader also
//! reads structs sent as arrays and names fields through an enum with its
//! own visitor, which JSON never uses and which cost rustc about a third of
//! a large crate's check. (String enums and unions write theirs out too, in
//! `types.rs`, so no crate builds serde_derive.) What goes over the wire is
//! the same: a missing required property is an error naming it, an unknown
//! one is skipped (or kept, for a struct with additional properties),
//! `null` is `None`, and an optional property that is `None` is left out.
// This file is the same in every crate; with some tag features off, no
// struct may be compiled to use it.
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::BTreeMap;
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

// What each arm of a struct's `match` on keys calls: plain calls, so that
// the arms have no control flow of their own for rustc to check, and one
// `?` after the `match`.

/// Reads a property's value into `slot`.
pub(crate) fn value<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads an optional property's value into `slot`, `null` as `None`.
pub(crate) fn optional<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    *slot = map.next_value()?;
    Ok(())
}

/// Keeps a property the struct doesn't name in its map of the others.
pub(crate) fn other<'de, A, T>(map: &mut A, key: Key<'de>, others: &mut BTreeMap<String, T>) -> Result<(), A::Error>
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
        Writer { map: output.serialize_map(None) }
    }

    /// A property that is always written (`None` as `null`).
    pub(crate) fn field<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        use serde::ser::SerializeMap;
        let written = match &mut self.map {
            Ok(map) => map.serialize_entry(key, value),
            Err(_) => return,
        };
        if let Err(error) = written {
            self.map = Err(error);
        }
    }

    /// A property that is left out when it is `None`.
    pub(crate) fn optional<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// The properties a struct keeps beyond the ones it names.
    pub(crate) fn others<T: serde::Serialize>(&mut self, others: &BTreeMap<String, T>) {
        for (key, value) in others {
            self.field(key, value);
        }
    }

    pub(crate) fn end(self) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        self.map?.end()
    }
}

/// The value of a required property, or the error that names it.
pub(crate) fn required<T, E: serde::de::Error>(value: Option<T>, property: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(property))
}
