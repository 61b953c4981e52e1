//! Reading a document: text → JSON value → openapiv3 model.
//!
//! YAML and JSON both end up as one `serde_json::Value`, which `lower` also
//! uses to resolve `$ref`s by JSON pointer. Syntax errors carry line:column,
//! structural errors a JSON pointer.

mod lenient;
mod v3_2;

pub use v3_2::{ITEM_SCHEMA, OPERATIONS as OTHER_OPERATIONS};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Warning};

/// A parsed document: the raw tree and its typed model.
pub struct Document {
    /// The tree the model was read from (OpenAPI 3.1 already rewritten).
    pub raw: Value,
    pub model: OpenAPI,
    /// The tree as written, when the rewrite changed it.
    written: Option<Value>,
    /// What the lenient readings (`lenient`) changed, for the user.
    pub warnings: Vec<Warning>,
}

impl Document {
    /// The document as its author wrote it (for `openapi.json`), and what
    /// else was read: after lowering, the typed model and the rewritten
    /// tree are only memory to free, which the caller can do on a thread
    /// with time to spare (GitHub's model takes 13 ms to drop).
    pub fn into_written(self) -> (Value, impl Send) {
        match self.written {
            Some(written) => (written, (self.model, Some(self.raw))),
            None => (self.raw, (self.model, None)),
        }
    }
}

/// Parses YAML or JSON text into an OpenAPI 3.0 model (3.1 is normalised first).
pub fn parse(text: &str, file: &str) -> Result<Document, Error> {
    if text.trim().is_empty() {
        return Err(
            Error::new(file, None, "the document is empty").help("write an OpenAPI 3.0 document in YAML or JSON")
        );
    }
    // A JSON document's model is also read straight from the text, on a
    // thread of its own while the tree is built and checked. When the tree
    // needs no rewriting (3.0, no lenient edits) it is the same model, and
    // the run doesn't wait for a second reading; otherwise, or when it
    // fails, the model is read from the tree as before, for its messages.
    let (tree, from_text) = std::thread::scope(|scope| {
        let from_text = is_json(text)
            .then(|| crate::deep_thread().spawn_scoped(scope, || serde_json::from_str::<OpenAPI>(text).ok()).ok())
            .flatten();
        let tree = read_tree(text, file);
        (tree, from_text.and_then(|reading| reading.join().ok().flatten()))
    });
    let Tree { raw, written, warnings } = tree?;
    let model = match from_text {
        Some(model) if written.is_none() => model,
        _ => serde_path_to_error::deserialize::<_, OpenAPI>(&raw).map_err(|error| {
            let pointer = pointer_of(error.path());
            let message = error.into_inner().to_string();
            Error::at(file, &pointer, format!("not valid OpenAPI 3.0: {message}"))
                .help("compare this part of the document with the OpenAPI 3.0 specification")
        })?,
    };
    Ok(Document { raw, model, written, warnings })
}

/// The document's tree, rewritten for OpenAPI 3.0 where needed.
struct Tree {
    raw: Value,
    /// The tree as written, when it was rewritten.
    written: Option<Value>,
    warnings: Vec<Warning>,
}

/// Reads the tree, checks the version, and rewrites 3.1 and what the
/// lenient readings fix into 3.0.
fn read_tree(text: &str, file: &str) -> Result<Tree, Error> {
    let mut raw = parse_tree(text, file)?;
    let mut written = None;
    let version = check_version(&raw, file)?;
    let mut warnings = Vec::new();
    if version != Version::V3_0 {
        written = Some(raw.clone());
        if version == Version::V3_2 {
            warnings = v3_2::normalise(&mut raw);
        }
        normalise_3_1(&mut raw);
    }
    let edits = lenient::edits(&raw, version == Version::V3_0);
    if !edits.is_empty() {
        written.get_or_insert_with(|| raw.clone());
        warnings.extend(lenient::apply(&mut raw, &edits));
    }
    Ok(Tree { raw, written, warnings })
}

/// Whether the text is read as JSON (see [`parse_tree`]).
fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Reads the text as JSON when it looks like JSON (for JSON's own messages),
/// as YAML otherwise.
fn parse_tree(text: &str, file: &str) -> Result<Value, Error> {
    if is_json(text) {
        return serde_json::from_str(text).map_err(|error| {
            let location = format!("{}:{}", error.line(), error.column());
            too_deep(Error::new(file, Some(location), format!("not valid JSON: {error}")))
        });
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let location = error.location().map(|at| format!("{}:{}", at.line(), at.column()));
        too_deep(Error::new(file, location, format!("not valid YAML: {error}")))
    })?;
    yaml_to_json(yaml, "").map_err(|(pointer, message)| Error::at(file, &pointer, message))
}

/// The parsers stop at 128 levels of nesting (so that no later pass can run
/// out of stack) and at YAML aliases that expand without bound; say so.
fn too_deep(error: Error) -> Error {
    if error.message.contains("recursion limit exceeded") {
        error.help("the document nests more than 128 levels deep here, the most kanuu-codegen reads; name the inner schemas in components/schemas and refer to them with $ref")
    } else if error.message.contains("repetition limit exceeded") {
        error.help("YAML aliases here expand to more than a document can hold; write the repeated part once and refer to it with $ref")
    } else {
        error
    }
}

/// Converts YAML to JSON. YAML allows non-string keys (`200:` is a number),
/// which JSON and OpenAPI treat as strings.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Yaml;
    Ok(match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(flag),
        Yaml::Number(number) => {
            if let Some(n) = number.as_i64() {
                Value::from(n)
            } else if let Some(n) = number.as_u64() {
                Value::from(n)
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(float)
                    .map(Value::Number)
                    .ok_or_else(|| (pointer.to_owned(), format!("{number} is not a number JSON can hold")))?
            }
        }
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| yaml_to_json(item, &format!("{pointer}/{index}")))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut object = serde_json::Map::with_capacity(entries.len());
            for (key, item) in entries {
                let key = match key {
                    Yaml::String(text) => text,
                    Yaml::Number(number) => number.to_string(),
                    Yaml::Bool(flag) => flag.to_string(),
                    Yaml::Null => "null".to_owned(),
                    _ => {
                        return Err((
                            pointer.to_owned(),
                            "a mapping key must be a plain value, not a list or mapping".to_owned(),
                        ));
                    }
                };
                let child = crate::error::pointer_join(pointer, &key);
                object.insert(key, yaml_to_json(item, &child)?);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

#[derive(Debug, PartialEq, Eq)]
enum Version {
    V3_0,
    V3_1,
    V3_2,
}

/// Accepts OpenAPI 3.0.x, 3.1.x and 3.2.x; names what the document is otherwise.
fn check_version(raw: &Value, file: &str) -> Result<Version, Error> {
    let Some(object) = raw.as_object() else {
        return Err(Error::at(file, "", "not an OpenAPI document: the top level is not a mapping")
            .help("an OpenAPI document starts with `openapi: 3.0.3`, `info` and `paths`"));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(Error::at(
            file,
            "/swagger",
            format!("this is a Swagger {} document; kanuu-codegen reads OpenAPI 3.0", plain(swagger)),
        )
        .help("convert it first, e.g. `npx swagger2openapi in.yaml -o out.yaml`"));
    }
    let Some(version) = object.get("openapi") else {
        return Err(Error::at(file, "", "not an OpenAPI document: there is no `openapi` field")
            .help("an OpenAPI document starts with `openapi: 3.0.3`, `info` and `paths`"));
    };
    let version = plain(version);
    if version.starts_with("3.0") {
        Ok(Version::V3_0)
    } else if version.starts_with("3.1") {
        Ok(Version::V3_1)
    } else if version.starts_with("3.2") {
        Ok(Version::V3_2)
    } else {
        Err(Error::at(
            file,
            "/openapi",
            format!("OpenAPI {version} is not supported; kanuu-codegen reads OpenAPI 3.0.x, 3.1.x and 3.2.x"),
        )
        .help("write `openapi: 3.0.3`, `openapi: 3.1.0` or `openapi: 3.2.0` and the matching structure"))
    }
}

/// Rewrites the parts of OpenAPI 3.1 that the 3.0 model (openapiv3) can't
/// read into their 3.0 equivalents. Only constructs whose shape tells them
/// apart are touched: `type` lists, numeric `exclusiveMinimum`/`Maximum`,
/// `examples` lists and `const` appear only in schemas.
fn normalise_3_1(raw: &mut Value) {
    if let Some(object) = raw.as_object_mut() {
        object.insert("openapi".to_owned(), Value::from("3.0.3"));
        // 3.1 allows documents with only webhooks or components.
        object.entry("paths").or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(license) =
            object.get_mut("info").and_then(|info| info.get_mut("license")).and_then(Value::as_object_mut)
            && !license.contains_key("name")
            && let Some(identifier) = license.get("identifier").cloned()
        {
            license.insert("name".to_owned(), identifier);
        }
        // openapiv3 doesn't know `webhooks` and leaves them in the tree,
        // where lowering reads them (`lower/webhooks.rs`).
        // Nor mutual TLS, which is configured on the HTTP client, not per request.
        if let Some(schemes) =
            object.get_mut("components").and_then(|c| c.get_mut("securitySchemes")).and_then(Value::as_object_mut)
        {
            schemes.retain(|_, scheme| scheme.get("type").and_then(Value::as_str) != Some("mutualTLS"));
        }
    }
    normalise_value(raw);
}

fn normalise_value(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(normalise_value),
        Value::Object(object) => {
            if let Some(Value::Array(types)) = object.get("type").cloned() {
                let non_null: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
                if non_null.len() < types.len() {
                    object.insert("nullable".to_owned(), Value::Bool(true));
                }
                match non_null.as_slice() {
                    [single] => {
                        object.insert("type".to_owned(), single.clone());
                    }
                    // Several types (or only null): any value.
                    _ => {
                        object.remove("type");
                    }
                }
            }
            for (bound, exclusive) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
                if let Some(number) = object.get(exclusive).filter(|v| v.is_number()).cloned() {
                    object.insert(bound.to_owned(), number);
                    object.insert(exclusive.to_owned(), Value::Bool(true));
                }
            }
            if let Some(Value::Array(examples)) = object.get("examples").cloned() {
                object.remove("examples");
                if let Some(first) = examples.into_iter().next() {
                    object.entry("example").or_insert(first);
                }
            }
            if let Some(constant) = object.remove("const") {
                object.insert("enum".to_owned(), Value::Array(vec![constant]));
            }
            // 3.1 operations may leave out `responses`; 3.0 requires it.
            for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                if let Some(Value::Object(operation)) = object.get_mut(method)
                    && (operation.contains_key("operationId")
                        || operation.contains_key("parameters")
                        || operation.contains_key("requestBody")
                        || operation.contains_key("summary"))
                {
                    operation.entry("responses").or_insert_with(|| Value::Object(serde_json::Map::new()));
                }
            }
            object.values_mut().for_each(normalise_value);
        }
        _ => {}
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Turns serde_path_to_error's path into a JSON pointer.
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = format!("{pointer}/{index}"),
            Segment::Map { key } => pointer = crate::error::pointer_join(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /b: {get: {responses: {'200': {description: ok}}}}\n  /a: {get: {responses: {'200': {description: ok}}}}\n";

    fn json_of(yaml: &str) -> String {
        let tree: serde_yaml::Value = serde_yaml::from_str(yaml).expect("the YAML parses");
        serde_json::to_string_pretty(&tree).expect("as JSON")
    }

    #[test]
    fn a_json_document_read_from_its_text_is_the_model_read_from_its_tree() {
        let from_text = parse(&json_of(YAML), "t.json").expect("the JSON reads");
        let from_tree = parse(YAML, "t.yaml").expect("the YAML reads");
        assert_eq!(from_text.model, from_tree.model);
        let paths: Vec<&String> = from_text.model.paths.paths.keys().collect();
        assert_eq!(paths, ["/b", "/a"], "in the document's order");
    }

    #[test]
    fn a_json_document_that_needs_rewriting_is_read_from_the_rewritten_tree() {
        // `version: 1.5` is a number, which the model can't hold.
        let document = parse(&json_of(&YAML.replace("version: '1'", "version: 1.5")), "t.json").expect("it reads");
        assert_eq!(document.model.info.version, "1.5");
        // The model would read this 3.1 document from its text, without the `const`.
        let yaml = YAML.replace("3.0.3", "3.1.0") + "components: {schemas: {Kind: {type: string, const: pet}}}\n";
        let document = parse(&json_of(&yaml), "t.json").expect("it reads");
        let kind = document.model.components.and_then(|c| c.schemas.get("Kind").cloned());
        let kind = serde_json::to_value(kind).expect("a schema");
        assert_eq!(kind["enum"], serde_json::json!(["pet"]), "{kind}");
    }

    #[test]
    fn a_json_document_the_model_rejects_gets_the_pointer_of_the_problem() {
        let yaml = YAML.replace("description: ok}}}}\n  /a", "description: [ok]}}}}\n  /a");
        let error = parse(&json_of(&yaml), "t.json").err().expect("a list is no description").to_string();
        assert!(error.contains("t.json at #/paths: not valid OpenAPI 3.0: invalid type: sequence"), "{error}");
        let from_tree = parse(&yaml, "t.json").err().expect("nor in YAML").to_string();
        assert_eq!(error, from_tree, "the same message as the tree's reading");
    }
}
