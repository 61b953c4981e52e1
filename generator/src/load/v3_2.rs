//! OpenAPI 3.2 read through the 3.0 model (openapiv3), after the 3.1
//! rewrites: what 3.2 adds is copied where the model keeps it, or made into
//! its 3.0 equivalent, and what is not used is named in a warning, never
//! refused.
//!
//! - `query` and `additionalOperations` on a path item are copied into its
//!   `x-kanuu-operations` extension, by method (`QUERY`, `LINK`), which
//!   lowering reads (the model knows only the eight fixed methods);
//! - a `querystring` parameter whose content is form-encoded is the query
//!   parameter `style: form, explode: true` of the same schema: each
//!   property is a query parameter, which is what the form encoding sends;
//! - a Media Type Object given as a `$ref` (to `components/mediaTypes`) is
//!   the one it points at;
//! - a response without a `description` (optional since 3.2) gets an empty one;
//! - a Media Type Object's `itemSchema` is copied into its
//!   `x-kanuu-item-schema`, which lowering reads as a stream's item type;
//! - tags' `summary`, `parent` and `kind` are read by lowering from the tree.
//!
//! Only copies and in-place edits: every pointer into the document as
//! written still finds what it found.

use serde_json::{Map, Value};

use crate::error::{Warning, pointer_join};
use crate::ir::MethodName;

/// The path item extension the 3.2 operations are copied into.
pub const OPERATIONS: &str = "x-kanuu-operations";

/// The Media Type Object extension its `itemSchema` is copied into.
pub const ITEM_SCHEMA: &str = "x-kanuu-item-schema";

const FIXED_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Fields 3.2 added that the generated crate and pages don't use, where
/// they are found (a Media Type Object's, a document's), and why they
/// don't matter to a client.
const UNUSED: &[(&str, &str)] = &[
    ("itemEncoding", "sequential multipart bodies are not generated"),
    ("prefixEncoding", "sequential multipart bodies are not generated"),
];

/// Rewrites a 3.2 document's tree (see the module docs); returns what it
/// could not use.
pub(super) fn normalise(raw: &mut Value) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let media_types = raw.pointer("/components/mediaTypes").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut rewrite = Rewrite { media_types, warnings: &mut warnings, unused: Vec::new() };
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            rewrite.path_item(item, &pointer_join("/paths", path));
        }
    }
    if let Some(Value::Object(components)) = raw.get_mut("components") {
        for (name, parameter) in entries_mut(components.get_mut("parameters")) {
            rewrite.parameter(parameter, &pointer_join("/components/parameters", name));
        }
        for (name, response) in entries_mut(components.get_mut("responses")) {
            rewrite.response(response, &pointer_join("/components/responses", name));
        }
        for (name, body) in entries_mut(components.get_mut("requestBodies")) {
            let pointer = pointer_join("/components/requestBodies", name);
            rewrite.content(body.get_mut("content"), &pointer_join(&pointer, "content"));
        }
    }
    let unused = std::mem::take(&mut rewrite.unused);
    for (field, pointer, why) in unused {
        warnings.push(Warning { pointer, message: format!("OpenAPI 3.2's `{field}` is not used: {why}") });
    }
    warnings
}

struct Rewrite<'w> {
    /// `components/mediaTypes`, which `$ref`s in `content` point into.
    media_types: Map<String, Value>,
    warnings: &'w mut Vec<Warning>,
    /// The first place of each unused field, and why it is unused.
    unused: Vec<(&'static str, String, &'static str)>,
}

impl Rewrite<'_> {
    fn warn(&mut self, pointer: &str, message: String) {
        self.warnings.push(Warning { pointer: pointer.to_owned(), message });
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str) {
        let Value::Object(item) = item else { return };
        let mut operations = Map::new();
        if let Some(query) = item.get("query") {
            operations.insert("QUERY".to_owned(), query.clone());
        }
        for (method, operation) in entries_mut(item.get_mut("additionalOperations")) {
            let at = pointer_join(&pointer_join(pointer, "additionalOperations"), method);
            let fixed = FIXED_METHODS.iter().chain(&["query"]).any(|fixed| fixed.eq_ignore_ascii_case(method));
            if fixed {
                let field = method.to_ascii_lowercase();
                self.warn(
                    &at,
                    format!("`{method}` has its own field; this operation is left out (move it to `{field}`)"),
                );
            } else if MethodName::new(method).is_none() {
                self.warn(
                    &at,
                    format!(
                        "`{}` is not an HTTP method name of at most 16 letters; this operation is left out",
                        method.escape_debug()
                    ),
                );
            } else {
                operations.insert(method.clone(), operation.clone());
            }
        }
        for (method, operation) in item.iter_mut() {
            if FIXED_METHODS.contains(&method.as_str()) {
                self.operation(operation, &pointer_join(pointer, method));
            }
        }
        for (method, operation) in operations.iter_mut() {
            let at = match method.as_str() {
                "QUERY" => pointer_join(pointer, "query"),
                other => pointer_join(&pointer_join(pointer, "additionalOperations"), other),
            };
            // Like a 3.1 operation, it may leave out `responses`.
            if let Value::Object(fields) = operation {
                fields.entry("responses").or_insert_with(|| Value::Object(Map::new()));
            }
            self.operation(operation, &at);
        }
        self.parameters(item.get_mut("parameters"), &pointer_join(pointer, "parameters"));
        if !operations.is_empty() {
            item.insert(OPERATIONS.to_owned(), Value::Object(operations));
        }
    }

    fn operation(&mut self, operation: &mut Value, pointer: &str) {
        let Value::Object(operation) = operation else { return };
        self.parameters(operation.get_mut("parameters"), &pointer_join(pointer, "parameters"));
        if let Some(body) = operation.get_mut("requestBody") {
            let at = pointer_join(pointer, "requestBody");
            self.content(body.get_mut("content"), &pointer_join(&at, "content"));
        }
        for (status, response) in entries_mut(operation.get_mut("responses")) {
            let at = pointer_join(&pointer_join(pointer, "responses"), status);
            self.response(response, &at);
        }
    }

    fn parameters(&mut self, parameters: Option<&mut Value>, pointer: &str) {
        let Some(Value::Array(parameters)) = parameters else { return };
        let mut index = 0;
        parameters.retain_mut(|parameter| {
            let keep = self.parameter(parameter, &pointer_join(pointer, &index.to_string()));
            index += 1;
            keep
        });
    }

    /// Rewrites a `querystring` parameter; false when it is left out.
    fn parameter(&mut self, parameter: &mut Value, pointer: &str) -> bool {
        let Value::Object(fields) = parameter else { return true };
        if fields.get("in").and_then(Value::as_str) != Some("querystring") {
            if let Some(content) = fields.get_mut("content") {
                self.content(Some(content), &pointer_join(pointer, "content"));
            }
            return true;
        }
        let form = fields
            .get("content")
            .and_then(|content| content.get("application/x-www-form-urlencoded"))
            .and_then(|media_type| media_type.get("schema"))
            .cloned();
        let Some(schema) = form else {
            self.warn(
                pointer,
                "a `querystring` parameter is read only with `application/x-www-form-urlencoded` content; \
                 this one is left out (describe the query's parameters `in: query`)"
                    .to_owned(),
            );
            return false;
        };
        fields.insert("in".to_owned(), Value::from("query"));
        fields.insert("style".to_owned(), Value::from("form"));
        fields.insert("explode".to_owned(), Value::Bool(true));
        fields.insert("schema".to_owned(), schema);
        fields.remove("content");
        true
    }

    fn response(&mut self, response: &mut Value, pointer: &str) {
        let Value::Object(fields) = response else { return };
        if fields.contains_key("$ref") {
            return;
        }
        fields.entry("description").or_insert_with(|| Value::from(""));
        self.content(fields.get_mut("content"), &pointer_join(pointer, "content"));
        for (name, header) in entries_mut(fields.get_mut("headers")) {
            let at = pointer_join(&pointer_join(pointer, "headers"), name);
            if let Some(content) = header.get_mut("content") {
                self.content(Some(content), &pointer_join(&at, "content"));
            }
        }
    }

    /// Resolves Media Type Objects given as `$ref`s, and notes unused fields.
    fn content(&mut self, content: Option<&mut Value>, pointer: &str) {
        for (media_type, value) in entries_mut(content) {
            let at = pointer_join(pointer, media_type);
            if let Some(target) = value.get("$ref").and_then(Value::as_str).map(str::to_owned) {
                let name = target.strip_prefix("#/components/mediaTypes/");
                match name.and_then(|name| self.media_types.get(&crate::error::percent_decode(name))) {
                    Some(found) => *value = found.clone(),
                    None => {
                        self.warn(
                            &at,
                            format!(
                                "`{target}` is not a media type of this document's `components/mediaTypes`; \
                                 it is read as having no schema"
                            ),
                        );
                        *value = Value::Object(Map::new());
                    }
                }
            }
            if let Some(item) = value.get("itemSchema").cloned()
                && let Value::Object(fields) = value
            {
                fields.insert(ITEM_SCHEMA.to_owned(), item);
            }
            for (field, why) in UNUSED {
                if value.get(field).is_some() && !self.unused.iter().any(|(f, _, _)| f == field) {
                    self.unused.push((field, pointer_join(&at, field), why));
                }
            }
        }
    }
}

/// The entries of a mapping, if the value is one.
fn entries_mut(value: Option<&mut Value>) -> impl Iterator<Item = (&String, &mut Value)> {
    value.and_then(Value::as_object_mut).into_iter().flat_map(|map| map.iter_mut())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn messages(warnings: &[Warning]) -> Vec<String> {
        warnings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn query_and_additional_operations_are_copied_by_method() {
        let mut raw = json!({"paths": {"/a": {
            "query": {"operationId": "find"},
            "additionalOperations": {"LINK": {"operationId": "link"}, "get": {}, "BAD METHOD": {}},
        }}});
        let warnings = messages(&normalise(&mut raw));
        let copied = &raw["paths"]["/a"][OPERATIONS];
        assert_eq!(copied["QUERY"]["operationId"], "find");
        assert_eq!(copied["QUERY"]["responses"], json!({}), "an operation may leave out its responses");
        assert_eq!(copied["LINK"]["operationId"], "link");
        assert_eq!(copied.as_object().map(Map::len), Some(2));
        assert_eq!(raw["paths"]["/a"]["query"]["operationId"], "find", "the document as written is kept");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("#/paths/~1a/additionalOperations/get: `get` has its own field"));
        assert!(warnings[1].contains("`BAD METHOD` is not an HTTP method name"));
    }

    #[test]
    fn a_form_querystring_parameter_is_an_exploded_query_object_and_others_are_left_out() {
        let schema = json!({"type": "object", "properties": {"q": {"type": "string"}}});
        let mut raw = json!({"paths": {"/a": {"get": {"parameters": [
            {"name": "filter", "in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": schema}}},
            {"name": "json", "in": "querystring", "content": {"application/json": {"schema": {}}}},
            {"name": "page", "in": "query", "schema": {"type": "integer"}},
        ]}}}});
        let warnings = messages(&normalise(&mut raw));
        let parameters = &raw["paths"]["/a"]["get"]["parameters"];
        assert_eq!(
            parameters[0],
            json!({"name": "filter", "in": "query", "style": "form", "explode": true, "schema": schema})
        );
        assert_eq!(parameters[1]["name"], "page");
        assert_eq!(parameters.as_array().map(Vec::len), Some(2));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("#/paths/~1a/get/parameters/1: a `querystring` parameter is read only"));
    }

    #[test]
    fn media_type_references_are_resolved_and_descriptions_default_to_empty() {
        let mut raw = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {
                "application/json": {"$ref": "#/components/mediaTypes/List"},
                "text/plain": {"$ref": "#/components/mediaTypes/Missing"},
                "text/event-stream": {"itemSchema": {"type": "string"}},
            }}}}}},
            "components": {"mediaTypes": {"List": {"schema": {"type": "array"}}}},
        });
        let warnings = messages(&normalise(&mut raw));
        let response = &raw["paths"]["/a"]["get"]["responses"]["200"];
        assert_eq!(response["description"], "");
        assert_eq!(response["content"]["application/json"], json!({"schema": {"type": "array"}}));
        assert_eq!(response["content"]["text/plain"], json!({}));
        assert_eq!(response["content"]["text/event-stream"][ITEM_SCHEMA], json!({"type": "string"}));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("`#/components/mediaTypes/Missing` is not a media type"));
    }
}
