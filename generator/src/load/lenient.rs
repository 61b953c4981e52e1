//! Readings of constructs the 3.0 model (openapiv3) can't hold but whose
//! intent is plain, applied to the raw tree before the model is read:
//!
//! - a boolean schema, legal in 3.1 and written into 3.0 documents too:
//!   `true` is any value; `false` admits none, so a property whose schema
//!   is `false` is left out, and elsewhere it reads as `not: {}`;
//! - a callback given as a `$ref` (legal, but openapiv3 can't read it): the
//!   callback it points at, or left out when it points at nothing;
//! - a number or boolean where a text is required (`pattern: 0`,
//!   `version: 1.0`): its text.
//!
//! The walk is read-only and finds [`Edit`]s; applying them is separate, so
//! an untouched document is never copied. It goes by the document's
//! structure (schemas where OpenAPI puts schemas, never inside examples),
//! with an explicit work list, so no document nests it off the stack.

use serde_json::{Map, Value};

use crate::error::{Warning, percent_decode, pointer_join};

/// One change to the raw tree, at a JSON pointer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Edit {
    pub pointer: String,
    /// The new value; `None` removes the entry.
    pub value: Option<Value>,
    /// Why, for the user; `None` when the document is valid and only the
    /// model needs the change.
    pub warning: Option<String>,
}

/// Keywords that hold schemas, in a schema.
const ONE_SCHEMA: &[&str] = &["items", "not", "additionalProperties"];
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties"];
/// Keywords whose value must be a text, in a schema.
const TEXT_KEYWORDS: &[&str] = &["title", "description", "format", "pattern"];
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What in the document needs a lenient reading. `version_3_0` decides
/// whether a boolean schema is worth a warning (in 3.1 it is plain OpenAPI).
pub(super) fn edits(raw: &Value, version_3_0: bool) -> Vec<Edit> {
    let mut walk = Walk { raw, version_3_0, edits: Vec::new(), schemas: Vec::new() };
    walk.document();
    walk.schemas();
    walk.edits
}

/// Applies `edits` in order; an edit whose pointer no longer exists is skipped.
pub(super) fn apply(raw: &mut Value, edits: &[Edit]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for edit in edits {
        let (parent, key) = match edit.pointer.rsplit_once('/') {
            Some((parent, key)) => (parent, key.replace("~1", "/").replace("~0", "~")),
            None => continue,
        };
        let Some(parent) = raw.pointer_mut(parent) else { continue };
        match (parent, &edit.value) {
            (Value::Object(object), Some(value)) => {
                object.insert(key, value.clone());
            }
            (Value::Object(object), None) => {
                object.shift_remove(&key);
            }
            (Value::Array(items), Some(value)) => {
                if let Some(item) = key.parse::<usize>().ok().and_then(|index| items.get_mut(index)) {
                    *item = value.clone();
                }
            }
            _ => continue,
        }
        if let Some(message) = &edit.warning {
            warnings.push(Warning { pointer: edit.pointer.clone(), message: message.clone() });
        }
    }
    warnings
}

struct Walk<'a> {
    raw: &'a Value,
    version_3_0: bool,
    edits: Vec<Edit>,
    /// Schemas still to visit, with their pointers.
    schemas: Vec<(&'a Value, String)>,
}

impl<'a> Walk<'a> {
    fn document(&mut self) {
        let raw = self.raw;
        if let Some(version) = raw.pointer("/info/version") {
            self.text("/info/version", version, "`info.version`");
        }
        if let Some(Value::Object(paths)) = raw.get("paths") {
            for (path, item) in paths {
                self.path_item(item, &pointer_join("/paths", path));
            }
        }
        // What the API sends: 3.1's `webhooks`, and 3.0's `x-webhooks` (GitHub's).
        for key in ["webhooks", "x-webhooks"] {
            for (name, item) in entries(raw.get(key)) {
                self.path_item(item, &pointer_join(&pointer_join("", key), name));
            }
        }
        let Some(Value::Object(components)) = raw.get("components") else { return };
        for (name, schema) in entries(components.get("schemas")) {
            self.schemas.push((schema, pointer_join("/components/schemas", name)));
        }
        for (name, parameter) in entries(components.get("parameters")) {
            self.parameter(parameter, &pointer_join("/components/parameters", name));
        }
        for (name, header) in entries(components.get("headers")) {
            self.parameter(header, &pointer_join("/components/headers", name));
        }
        for (name, body) in entries(components.get("requestBodies")) {
            self.content(body, &pointer_join("/components/requestBodies", name));
        }
        for (name, response) in entries(components.get("responses")) {
            self.response(response, &pointer_join("/components/responses", name));
        }
        for (name, callback) in entries(components.get("callbacks")) {
            self.callback(callback, &pointer_join("/components/callbacks", name));
        }
        for (name, item) in entries(components.get("pathItems")) {
            self.path_item(item, &pointer_join("/components/pathItems", name));
        }
    }

    fn path_item(&mut self, item: &'a Value, pointer: &str) {
        for (index, parameter) in items(item.get("parameters")) {
            self.parameter(parameter, &format!("{pointer}/parameters/{index}"));
        }
        // OpenAPI 3.2's other methods, copied where lowering reads them (`v3_2`).
        let copied = entries(item.get(super::v3_2::OPERATIONS)).map(|(method, operation)| {
            (operation, pointer_join(&pointer_join(pointer, super::v3_2::OPERATIONS), method))
        });
        let fixed = METHODS.iter().filter_map(|method| Some((item.get(*method)?, pointer_join(pointer, method))));
        for (operation, pointer) in fixed.chain(copied).collect::<Vec<_>>() {
            for (index, parameter) in items(operation.get("parameters")) {
                self.parameter(parameter, &format!("{pointer}/parameters/{index}"));
            }
            if let Some(body) = operation.get("requestBody") {
                self.content(body, &format!("{pointer}/requestBody"));
            }
            for (status, response) in entries(operation.get("responses")) {
                self.response(response, &pointer_join(&format!("{pointer}/responses"), status));
            }
            for (name, callback) in entries(operation.get("callbacks")) {
                self.callback(callback, &pointer_join(&format!("{pointer}/callbacks"), name));
            }
        }
    }

    /// A callback is a map of expressions to path items, or a `$ref` to one.
    fn callback(&mut self, callback: &'a Value, pointer: &str) {
        let Some(reference) = callback.get("$ref").and_then(Value::as_str) else {
            for (expression, item) in entries(Some(callback)) {
                self.path_item(item, &pointer_join(pointer, expression));
            }
            return;
        };
        // The target is walked where it is written (components/callbacks).
        let target = reference
            .strip_prefix('#')
            .and_then(|target| self.raw.pointer(&percent_decode(target)))
            .filter(|target| target.is_object() && target.get("$ref").is_none());
        self.edits.push(match target {
            Some(target) => Edit { pointer: pointer.to_owned(), value: Some(target.clone()), warning: None },
            None => Edit {
                pointer: pointer.to_owned(),
                value: None,
                warning: Some(format!(
                    "the callback `$ref: {reference}` points at no callback in this document; it is left out"
                )),
            },
        });
    }

    /// A parameter or header: its `schema`, or its `content`.
    fn parameter(&mut self, parameter: &'a Value, pointer: &str) {
        if let Some(schema) = parameter.get("schema") {
            self.schemas.push((schema, format!("{pointer}/schema")));
        }
        self.content(parameter, pointer);
    }

    fn response(&mut self, response: &'a Value, pointer: &str) {
        self.content(response, pointer);
        for (name, header) in entries(response.get("headers")) {
            self.parameter(header, &pointer_join(&format!("{pointer}/headers"), name));
        }
    }

    /// The schemas of an object's `content` map (request bodies, responses,
    /// parameters), with their encodings' headers.
    fn content(&mut self, holder: &'a Value, pointer: &str) {
        for (media, content) in entries(holder.get("content")) {
            let pointer = pointer_join(&format!("{pointer}/content"), media);
            if let Some(schema) = content.get("schema") {
                self.schemas.push((schema, format!("{pointer}/schema")));
            }
            for (property, encoding) in entries(content.get("encoding")) {
                let pointer = pointer_join(&format!("{pointer}/encoding"), property);
                for (name, header) in entries(encoding.get("headers")) {
                    self.parameter(header, &pointer_join(&format!("{pointer}/headers"), name));
                }
            }
        }
    }

    /// Visits every schema on the work list and the schemas inside them.
    fn schemas(&mut self) {
        while let Some((schema, pointer)) = self.schemas.pop() {
            let object = match schema {
                Value::Bool(allowed) => {
                    self.boolean_schema(*allowed, &pointer);
                    continue;
                }
                Value::Object(object) if !object.contains_key("$ref") => object,
                _ => continue,
            };
            for keyword in TEXT_KEYWORDS {
                if let Some(value) = object.get(*keyword) {
                    self.text(&pointer_join(&pointer, keyword), value, &format!("`{keyword}`"));
                }
            }
            for keyword in ONE_SCHEMA {
                match object.get(*keyword) {
                    // `additionalProperties: false` is plain 3.0.
                    Some(Value::Bool(_)) if *keyword == "additionalProperties" => {}
                    Some(inner) => self.schemas.push((inner, pointer_join(&pointer, keyword))),
                    None => {}
                }
            }
            for keyword in SCHEMA_LISTS {
                for (index, inner) in items(object.get(*keyword)) {
                    self.schemas.push((inner, format!("{}/{index}", pointer_join(&pointer, keyword))));
                }
            }
            for keyword in SCHEMA_MAPS {
                for (name, inner) in entries(object.get(*keyword)) {
                    self.schemas.push((inner, pointer_join(&pointer_join(&pointer, keyword), name)));
                }
            }
        }
    }

    fn boolean_schema(&mut self, allowed: bool, pointer: &str) {
        let in_3_0 = |message: String| if_3_0(self.version_3_0, message);
        let is_property = pointer.rsplit_once('/').is_some_and(|(parent, _)| parent.ends_with("/properties"));
        self.edits.push(match (allowed, is_property) {
            (true, _) => Edit {
                pointer: pointer.to_owned(),
                value: Some(Value::Object(Map::new())),
                warning: in_3_0("a boolean schema is OpenAPI 3.1; `true` is read as in 3.1: any value".to_owned()),
            },
            (false, true) => Edit {
                pointer: pointer.to_owned(),
                value: None,
                warning: Some(
                    "the schema `false` admits no value (as in OpenAPI 3.1), so this property is left out".to_owned(),
                ),
            },
            (false, false) => Edit {
                pointer: pointer.to_owned(),
                value: Some(serde_json::json!({ "not": {} })),
                warning: in_3_0("a boolean schema is OpenAPI 3.1; `false` is read as in 3.1: no value".to_owned()),
            },
        });
    }

    /// A number or boolean where OpenAPI wants a text becomes its text.
    fn text(&mut self, pointer: &str, value: &Value, what: &str) {
        if matches!(value, Value::Number(_) | Value::Bool(_)) {
            self.edits.push(Edit {
                pointer: pointer.to_owned(),
                value: Some(Value::String(value.to_string())),
                warning: Some(format!("{what} must be a text; `{value}` is read as \"{value}\"")),
            });
        }
    }
}

fn if_3_0(version_3_0: bool, message: String) -> Option<String> {
    version_3_0.then_some(message)
}

/// The entries of a JSON object (none for anything else).
fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

/// The items of a JSON array, numbered (none for anything else).
fn items(value: Option<&Value>) -> impl Iterator<Item = (usize, &Value)> {
    value.and_then(Value::as_array).into_iter().flatten().enumerate()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(mut raw: Value, version_3_0: bool) -> (Value, Vec<String>) {
        let edits = edits(&raw, version_3_0);
        let warnings = apply(&mut raw, &edits);
        (raw, warnings.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn boolean_schemas_read_as_in_3_1() {
        let (raw, warnings) = read(
            json!({ "components": { "schemas": { "Connection": { "type": "object", "properties": {
                "id": { "type": "string" }, "additionalProperties": false, "anything": true,
                "list": { "type": "array", "items": false } } } } } }),
            true,
        );
        assert_eq!(
            raw.pointer("/components/schemas/Connection/properties"),
            Some(
                &json!({ "id": { "type": "string" }, "anything": {}, "list": { "type": "array", "items": { "not": {} } } })
            )
        );
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].starts_with("#/components/schemas/Connection/properties/"), "{warnings:?}");
    }

    #[test]
    fn a_3_1_document_is_not_warned_about_plain_3_1() {
        let (_, warnings) = read(
            json!({ "components": { "schemas": { "A": { "type": "object", "properties": { "x": true } } } } }),
            false,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn examples_are_left_alone() {
        let raw = json!({ "components": { "schemas": { "A": { "type": "object",
            "example": { "properties": { "x": false }, "pattern": 0 } } } } });
        assert!(edits(&raw, true).is_empty());
    }

    #[test]
    fn callback_references_are_resolved_or_left_out() {
        let item = json!({ "post": { "responses": { "200": { "description": "ok" } } } });
        let (raw, warnings) = read(
            json!({
                "paths": { "/search": { "get": { "responses": {}, "callbacks": {
                    "index": { "$ref": "#/components/callbacks/searchIndex" },
                    "gone": { "$ref": "#/components/callbacks/missing" } } } } },
                "components": { "callbacks": { "searchIndex": { "https://example.org/hook": item } } }
            }),
            true,
        );
        assert_eq!(
            raw.pointer("/paths/~1search/get/callbacks"),
            Some(&json!({ "index": { "https://example.org/hook": item } }))
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("#/components/callbacks/missing"), "{warnings:?}");
    }

    #[test]
    fn numbers_where_texts_belong_are_their_text() {
        let (raw, warnings) = read(
            json!({ "info": { "version": 1.0 }, "paths": { "/v": { "parameters": [{ "name": "t", "in": "query",
                "schema": { "type": "string", "pattern": 0, "description": "x" } }] } } }),
            true,
        );
        assert_eq!(raw.pointer("/info/version"), Some(&json!("1.0")));
        assert_eq!(raw.pointer("/paths/~1v/parameters/0/schema/pattern"), Some(&json!("0")));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
