//! Lowering: openapiv3 model → intermediate representation.
//!
//! Resolves every `$ref` (components by name, anything else by JSON pointer
//! into the raw document), validates what the emitters rely on, gives inline
//! schemas stable names, and records documented fallbacks as warnings.
//!
//! One `Lowerer` holds the state; its methods are split by concern:
//! `references` (following `$ref`s), `schemas` (types), `operations`
//! (paths, parameters, bodies, responses) and `security` (schemes and
//! requirements). This file lowers the document as a whole.

mod operations;
mod paging;
mod references;
mod schemas;
mod security;
mod webhooks;

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;

use openapiv3::{self as oa, ReferenceOr};
use serde_json::Value;

use crate::error::{Error, Warning, pointer_join};
use crate::ir::*;
use crate::load::Document;
use crate::unique::Scope;

/// Lowers a parsed document into the IR.
pub fn lower(document: &Document, file: &str) -> Result<(Api, Vec<Warning>), Error> {
    let mut lowerer = Lowerer {
        raw: &document.raw,
        file,
        types: Vec::new(),
        component_types: HashMap::new(),
        type_names: Scope::default(),
        warnings: document.warnings.clone(),
        resolving: Vec::new(),
        merging: Vec::new(),
        read: RefCell::default(),
        required_scopes: HashMap::new(),
    };
    let api = lowerer.api(&document.model)?;
    Ok((api, lowerer.warnings))
}

struct Lowerer<'a> {
    raw: &'a Value,
    file: &'a str,
    types: Vec<TypeDef>,
    /// Component schema name → index in `types`.
    component_types: HashMap<String, TypeIndex>,
    /// Every name in `types`: lifted schemas get free ones.
    type_names: Scope,
    warnings: Vec<Warning>,
    /// `$ref`s being followed, to stop cycles through non-component schemas.
    resolving: Vec<String>,
    /// `$ref`s whose properties an `allOf` is merging into the type being
    /// lowered, to stop a part that refers back to one of them.
    merging: Vec<String>,
    /// What `$ref`s were read as, by the type read and the pointer: a copy
    /// is cheaper than reading the tree again, and GitHub's document refers
    /// to its shared parameters, responses and examples 3,000 times.
    read: RefCell<HashMap<(TypeId, String), Box<dyn Any>>>,
    /// The scopes the operations require, by security scheme.
    required_scopes: HashMap<String, Vec<String>>,
}

impl Lowerer<'_> {
    fn api(&mut self, doc: &oa::OpenAPI) -> Result<Api, Error> {
        let empty = oa::Components::default();
        let components = doc.components.as_ref().unwrap_or(&empty);

        // Reserve a slot for every component schema first, so references
        // resolve whatever their order and however they recurse.
        for name in components.schemas.keys() {
            self.component_types.insert(name.clone(), TypeIndex(self.types.len()));
            self.type_names.reserve(&[name]);
            self.types.push(TypeDef {
                name: name.clone(),
                description: None,
                deprecated: false,
                kind: TypeKind::Alias(TypeRef::Any),
                pointer: pointer_join("/components/schemas", name),
            });
        }
        for (name, schema) in &components.schemas {
            let pointer = pointer_join("/components/schemas", name);
            let index = self.component_types[name];
            let (schema, pointer) = match schema {
                ReferenceOr::Item(schema) => (schema.clone(), pointer),
                ReferenceOr::Reference { reference } => {
                    // A component that is only a `$ref` is another name for its target.
                    let target = self.schema_ref(reference, &pointer)?;
                    self.types[index].kind = TypeKind::Alias(target);
                    continue;
                }
            };
            let def = self.type_def(&schema, name, &pointer)?;
            self.types[index] = def;
        }

        self.check_alias_cycles()?;
        let security_schemes = self.security_schemes(components)?;
        let mut api = Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            description: text(&doc.info.description),
            license: doc
                .info
                .license
                .as_ref()
                .map(|license| license.name.clone())
                .filter(|name| !name.trim().is_empty() && !name.contains(char::is_whitespace)),
            homepage: doc.info.contact.as_ref().and_then(|contact| contact.url.clone()),
            servers: doc.servers.iter().map(server).collect(),
            security_schemes,
            tags: self.tags(doc),
            operations: Vec::new(),
            types: Vec::new(),
            webhooks: Vec::new(),
            rust_crate: rust_crate_options(&doc.info.extensions),
        };
        api.operations = self.operations(doc, &api.security_schemes)?;
        api.webhooks = self.webhooks(&api.operations)?;
        self.ask_for_required_scopes(&mut api.security_schemes);
        api.types = std::mem::take(&mut self.types);
        schemas::keep_others_in_union_branches(&mut api.types);
        Ok(api)
    }

    /// The document's tags, with OpenAPI 3.2's `summary`, `parent` and
    /// `kind`, which the 3.0 model doesn't hold, read from the tree.
    fn tags(&self, doc: &openapiv3::OpenAPI) -> Vec<Tag> {
        doc.tags
            .iter()
            .enumerate()
            .map(|(index, tag)| {
                let field = |name: &str| {
                    let value = self.raw.pointer(&format!("/tags/{index}/{name}")).and_then(Value::as_str);
                    value.map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
                };
                let display_name = tag.extensions.get("x-displayName").and_then(Value::as_str);
                Tag {
                    name: tag.name.clone(),
                    summary: field("summary").or_else(|| display_name.map(str::to_owned)),
                    description: text(&tag.description),
                    parent: field("parent").filter(|parent| *parent != tag.name),
                    kind: field("kind"),
                }
            })
            .collect()
    }

    /// Records a fallback once: a shared component (a `$ref`ed response,
    /// say) is lowered at every use, but the user fixes it in one place.
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let warning = Warning { pointer: pointer.to_owned(), message: message.into() };
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }
}

/// A description, or `None` when it is missing or blank.
fn text(description: &Option<String>) -> Option<String> {
    description.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned)
}

fn server(server: &oa::Server) -> Server {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    Server { url, description: server.description.clone() }
}

fn rust_crate_options(extensions: &indexmap::IndexMap<String, Value>) -> RustCrateOptions {
    let Some(options) = extensions.get("x-rust-crate") else {
        return RustCrateOptions::default();
    };
    let text = |key: &str| options.get(key).and_then(Value::as_str).map(str::to_owned);
    RustCrateOptions {
        name: text("name"),
        repository: text("repository"),
        keywords: options
            .get("keywords")
            .and_then(Value::as_array)
            .map(|keywords| keywords.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn schemas_that_only_alias_each_other_are_refused_with_the_chain() {
        let spec = r##"
openapi: 3.0.3
info: { title: Aliases, version: "1" }
paths: {}
components:
  schemas:
    A: { $ref: "#/components/schemas/B" }
    B: { $ref: "#/components/schemas/C" }
    C: { $ref: "#/components/schemas/A" }
    D: { $ref: "#/components/schemas/A" }
"##;
        let error = crate::parse(spec, "aliases.yaml").expect_err("the cycle is refused").to_string();
        assert!(error.contains("A → B → C → A"), "{error}");
        assert!(error.contains("#/components/schemas/A"), "{error}");
        let chain = spec.replace("C: { $ref: \"#/components/schemas/A\" }", "C: { type: string }");
        assert!(crate::parse(&chain, "aliases.yaml").is_ok(), "a chain that ends in a type is fine");
    }

    #[test]
    fn a_shared_component_is_warned_about_once() {
        let spec = r##"
openapi: 3.0.3
info: { title: Shared, version: "1" }
paths:
  /a: { post: { operationId: a, responses: { "202": { $ref: "#/components/responses/Accepted" } } } }
  /b: { post: { operationId: b, responses: { "202": { $ref: "#/components/responses/Accepted" } } } }
components:
  responses:
    Accepted:
      description: Accepted.
      content:
        application/json:
          schema: { type: object }
          examples: { later: { externalValue: "https://example.com/later.json" } }
"##;
        let (_, warnings) = crate::parse(spec, "shared.yaml").expect("valid");
        let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(messages[0].starts_with("#/components/responses/Accepted/"), "{messages:#?}");
    }
}
