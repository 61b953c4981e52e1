//! Following `$ref`s: components by name, anything else by JSON pointer.

use std::any::TypeId;

use heck::ToUpperCamelCase;
use serde::de::DeserializeOwned;

use openapiv3::{self as oa, ReferenceOr};

use super::Lowerer;
use crate::error::{Error, percent_decode};
use crate::ir::*;

pub(super) const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// How many `$ref`s to non-component schemas may be followed in a row.
pub(super) const MAX_REF_DEPTH: usize = 64;

impl Lowerer<'_> {
    pub(super) fn schema_ref(&mut self, reference: &str, used_at: &str) -> Result<TypeRef, Error> {
        let target_pointer = self.local_pointer(reference, used_at)?;
        // A component schema itself (not something inside one) has its name.
        if let Some(name) = target_pointer.strip_prefix(&SCHEMA_PREFIX[1..]).filter(|name| !name.contains('/')) {
            let name = unescape_pointer_token(name);
            return match self.component_types.get(&name) {
                Some(&index) => Ok(TypeRef::Named(index)),
                None => Err(self.dangling(reference, used_at)),
            };
        }
        // Something inside a component schema that already has a type (the
        // component was lowered first): the same type, not a copy.
        if let Some(index) = self.types.iter().position(|def| def.pointer == target_pointer) {
            return Ok(TypeRef::Named(TypeIndex(index)));
        }
        // Any other local reference: follow it and lower what is there.
        if self.resolving.len() >= MAX_REF_DEPTH || self.resolving.iter().any(|r| r == reference) {
            return Err(Error::at(
                self.file,
                used_at,
                format!("`$ref: {reference}` refers to itself through schemas outside components.schemas"),
            )
            .help("move the recursive schema under components.schemas so it gets a name"));
        }
        let schema: ReferenceOr<oa::Schema> = self.lookup(&target_pointer, reference, used_at)?;
        self.resolving.push(reference.to_owned());
        let hint = hint_from_pointer(&target_pointer);
        let result = self.type_ref(&schema, &hint, &target_pointer);
        self.resolving.pop();
        result
    }

    /// Resolves a `$ref` to a component of any kind by JSON pointer.
    pub(super) fn resolve<T: DeserializeOwned + Clone + 'static>(
        &self,
        item: &ReferenceOr<T>,
        pointer: &str,
    ) -> Result<T, Error> {
        Ok(self.resolve_with_pointer(item, pointer)?.0)
    }

    /// Like `resolve`, also returning where the resolved item is, for messages.
    pub(super) fn resolve_with_pointer<T: DeserializeOwned + Clone + 'static>(
        &self,
        item: &ReferenceOr<T>,
        pointer: &str,
    ) -> Result<(T, String), Error> {
        let mut item = item.clone();
        let mut pointer = pointer.to_owned();
        // References to references are allowed; a cycle of them is not.
        for _ in 0..MAX_REF_DEPTH {
            match item {
                ReferenceOr::Item(value) => return Ok((value, pointer)),
                ReferenceOr::Reference { reference } => {
                    let target = self.local_pointer(&reference, &pointer)?;
                    item = self.lookup(&target, &reference, &pointer)?;
                    pointer = target;
                }
            }
        }
        Err(Error::at(self.file, &pointer, "this `$ref` leads to a cycle of references")
            .help("make one of the references point at a definition"))
    }

    /// Checks a `$ref` is local (`#/...`) and returns its JSON pointer. A
    /// `$ref` is a URI fragment, so the pointer may be percent-encoded
    /// (RFC 6901, section 6): `%7Bid%7D` is `{id}`.
    pub(super) fn local_pointer(&self, reference: &str, used_at: &str) -> Result<String, Error> {
        match reference.strip_prefix('#') {
            Some(pointer) => Ok(percent_decode(pointer)),
            None => Err(Error::at(
                self.file,
                used_at,
                format!("`$ref: {reference}` points into another file, which is not supported"),
            )
            .help("bundle the document into one file first, e.g. `npx @redocly/cli bundle in.yaml -o out.yaml`")),
        }
    }

    pub(super) fn lookup<T: DeserializeOwned + Clone + 'static>(
        &self,
        target: &str,
        reference: &str,
        used_at: &str,
    ) -> Result<T, Error> {
        let key = (TypeId::of::<T>(), target.to_owned());
        if let Some(read) = self.read.borrow().get(&key).and_then(|read| read.downcast_ref::<T>()) {
            return Ok(read.clone());
        }
        let value = self.raw.pointer(target).ok_or_else(|| self.dangling(reference, used_at))?;
        let read: T = serde_path_to_error::deserialize(value).map_err(|error| {
            Error::at(self.file, target, format!("`$ref: {reference}` (used at #{used_at}) points at something that is not what is expected here: {}", error.inner()))
        })?;
        self.read.borrow_mut().insert(key, Box::new(read.clone()));
        Ok(read)
    }

    fn dangling(&self, reference: &str, used_at: &str) -> Error {
        Error::at(self.file, used_at, format!("`$ref: {reference}` points at nothing"))
            .help("check the spelling, or define what it refers to")
    }
}

/// A type name for a schema reached by pointer, from where it sits:
/// `/components/schemas/Disk/properties/filesystem` → `DiskFilesystem`.
fn hint_from_pointer(pointer: &str) -> String {
    const CONTAINERS: &[&str] = &["components", "schemas", "properties", "definitions", "$defs", "items", "paths"];
    let words: Vec<String> = pointer
        .split('/')
        .filter(|segment| !segment.is_empty() && !CONTAINERS.contains(segment))
        .map(|segment| unescape_pointer_token(segment).to_upper_camel_case())
        .collect();
    if words.is_empty() { "Schema".to_owned() } else { words.concat() }
}

pub(super) fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_percent_decoded_and_named_from_where_they_sit() {
        assert_eq!(percent_decode("/paths/~1keys~1%7Bid%7D/get"), "/paths/~1keys~1{id}/get");
        assert_eq!(percent_decode("/a%20b/%C3%A9"), "/a b/é");
        assert_eq!(percent_decode("/100%/x%zz"), "/100%/x%zz", "not an escape: kept");
        assert_eq!(hint_from_pointer("/components/schemas/Disk/properties/filesystem"), "DiskFilesystem");
        assert_eq!(hint_from_pointer("/components/schemas/Report/definitions/agedCreditor"), "ReportAgedCreditor");
    }
}
