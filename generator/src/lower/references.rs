//! Following `$ref`s: components by name, anything else by JSON pointer.

use heck::ToUpperCamelCase;
use serde::de::DeserializeOwned;

use openapiv3::{self as oa, ReferenceOr};

use super::Lowerer;
use crate::error::Error;
use crate::ir::*;

pub(super) const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// How many `$ref`s to non-component schemas may be followed in a row.
pub(super) const MAX_REF_DEPTH: usize = 64;

impl Lowerer<'_> {
    pub(super) fn schema_ref(&mut self, reference: &str, used_at: &str) -> Result<TypeRef, Error> {
        if let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) {
            let name = unescape_pointer_token(name);
            return match self.component_types.get(&name) {
                Some(&index) => Ok(TypeRef::Named(index)),
                None => Err(self.dangling(reference, used_at)),
            };
        }
        // Any other local reference: follow it and lower what is there.
        let target_pointer = self.local_pointer(reference, used_at)?;
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
        let hint = target_pointer.rsplit('/').next().unwrap_or("Schema").to_upper_camel_case();
        let result = self.type_ref(&schema, &hint, &target_pointer);
        self.resolving.pop();
        result
    }

    /// Resolves a `$ref` to a component of any kind by JSON pointer.
    pub(super) fn resolve<T: DeserializeOwned + Clone>(
        &self,
        item: &ReferenceOr<T>,
        pointer: &str,
    ) -> Result<T, Error> {
        Ok(self.resolve_with_pointer(item, pointer)?.0)
    }

    /// Like `resolve`, also returning where the resolved item is, for messages.
    pub(super) fn resolve_with_pointer<T: DeserializeOwned + Clone>(
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

    /// Checks a `$ref` is local (`#/...`) and returns its JSON pointer.
    pub(super) fn local_pointer(&self, reference: &str, used_at: &str) -> Result<String, Error> {
        match reference.strip_prefix('#') {
            Some(pointer) => Ok(pointer.to_owned()),
            None => Err(Error::at(
                self.file,
                used_at,
                format!("`$ref: {reference}` points into another file, which is not supported"),
            )
            .help("bundle the document into one file first, e.g. `npx @redocly/cli bundle in.yaml -o out.yaml`")),
        }
    }

    pub(super) fn lookup<T: DeserializeOwned>(&self, target: &str, reference: &str, used_at: &str) -> Result<T, Error> {
        let value = self.raw.pointer(target).ok_or_else(|| self.dangling(reference, used_at))?;
        serde_path_to_error::deserialize(value).map_err(|error| {
            Error::at(self.file, target, format!("`$ref: {reference}` (used at #{used_at}) points at something that is not what is expected here: {}", error.inner()))
        })
    }

    fn dangling(&self, reference: &str, used_at: &str) -> Error {
        Error::at(self.file, used_at, format!("`$ref: {reference}` points at nothing"))
            .help("check the spelling, or define what it refers to")
    }
}

pub(super) fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
