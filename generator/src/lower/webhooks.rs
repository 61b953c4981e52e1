//! Webhooks and callbacks: the requests the API sends to its users.
//!
//! They are read from OpenAPI 3.1's `webhooks`, from `x-webhooks` (where
//! 3.0 documents such as GitHub's put them) and from each operation's
//! `callbacks`, all from the tree (openapiv3's model has no webhooks, and
//! its callbacks have no pointers). A payload is lowered like a request
//! body; of the parameters only headers are kept, since nothing else of a
//! request the API sends is the receiver's to read.
//!
//! How deliveries are signed is declared with `x-webhook-signature:
//! standard-webhooks` (or `{scheme: standard-webhooks}`), or with Fern's
//! `x-fern-webhook-signature` when it describes Standard Webhooks; on the
//! document for every webhook, or on one webhook's operation.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};
use openapiv3::{self as oa, ReferenceOr};
use serde_json::Value;

use super::operations::fixed_method;
use super::{Lowerer, text};
use crate::error::{Error, pointer_join};
use crate::ir::*;
use crate::unique::Scope;

/// One webhook's operation before it is lowered.
struct Declared {
    key: String,
    callback: Option<Callback>,
    item: oa::PathItem,
    /// The path item's pointer.
    pointer: String,
}

impl Lowerer<'_> {
    /// Every webhook of the document, then every callback of `operations`.
    pub(super) fn webhooks(&mut self, operations: &[Operation]) -> Result<Vec<Webhook>, Error> {
        let raw = self.raw;
        let mut declared = Vec::new();
        for key in ["webhooks", "x-webhooks"] {
            for (name, item) in raw.get(key).and_then(Value::as_object).into_iter().flatten() {
                let pointer = pointer_join(&pointer_join("", key), name);
                let item = self.path_item_at(item, &pointer)?;
                declared.push(Declared { key: name.clone(), callback: None, item, pointer });
            }
        }
        for operation in operations {
            let callbacks_pointer = pointer_join(&operation.pointer, "callbacks");
            let callbacks = raw.pointer(&callbacks_pointer).and_then(Value::as_object);
            for (name, expressions) in callbacks.into_iter().flatten() {
                let callback_pointer = pointer_join(&callbacks_pointer, name);
                for (expression, item) in expressions.as_object().into_iter().flatten() {
                    let pointer = pointer_join(&callback_pointer, expression);
                    let item = self.path_item_at(item, &pointer)?;
                    let callback = Callback { operation: operation.name.clone(), expression: expression.clone() };
                    declared.push(Declared { key: name.clone(), callback: Some(callback), item, pointer });
                }
            }
        }

        let default_signature = self.signature_declared("").flatten();
        let mut names = Scope::default().keyed_by(|name| name.to_snake_case());
        let declared_keys: Vec<String> = declared.iter().map(|declared| declared.key.clone()).collect();
        let mut webhooks = Vec::new();
        for Declared { key, callback, item, pointer } in declared {
            let methods: Vec<(&str, &oa::Operation)> = item.iter().collect();
            let several = methods.len() > 1;
            for (method, op) in methods {
                let operation_pointer = pointer_join(&pointer, method);
                // A callback is named by its key, and by its operation too
                // when another webhook or callback has that key.
                let shared_key = declared_keys.iter().filter(|other| other.eq_ignore_ascii_case(&key)).count() > 1;
                let base = match (&op.operation_id, &callback) {
                    (Some(id), _) if !id.to_snake_case().is_empty() => id.to_lower_camel_case(),
                    (_, Some(callback)) if shared_key => format!("{} {key}", callback.operation).to_lower_camel_case(),
                    _ => key.to_lower_camel_case(),
                };
                let base = match base.as_str() {
                    "" => "webhook".to_owned(),
                    _ if several => format!("{base} {method}").to_lower_camel_case(),
                    _ => base,
                };
                let name = names.claim(&base);
                let signature = match self.signature_declared(&operation_pointer) {
                    Some(declared) => declared,
                    None => default_signature,
                };
                let webhook =
                    self.webhook(&item, &pointer, method, op, name, key.clone(), callback.clone(), signature)?;
                webhooks.push(webhook);
            }
        }
        Ok(webhooks)
    }

    #[allow(clippy::too_many_arguments)]
    fn webhook(
        &mut self,
        item: &oa::PathItem,
        item_pointer: &str,
        method: &str,
        op: &oa::Operation,
        name: String,
        key: String,
        callback: Option<Callback>,
        signature: Option<Signature>,
    ) -> Result<Webhook, Error> {
        let pointer = pointer_join(item_pointer, method);
        let mut headers: Vec<Parameter> = Vec::new();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{item_pointer}/parameters/{i}")))
            .chain(op.parameters.iter().enumerate().map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))));
        for (parameter, parameter_pointer) in sources {
            let parameter = self.parameter(parameter, &name, &parameter_pointer)?;
            if parameter.location == ParamLocation::Header {
                headers.retain(|p| !p.name.eq_ignore_ascii_case(&parameter.name));
                headers.push(parameter);
            }
        }
        let body = match &op.request_body {
            Some(body) => {
                let hint = format!("{}Payload", name.to_upper_camel_case());
                self.request_body(body, &hint, &pointer_join(&pointer, "requestBody"))?
            }
            None => None,
        };
        let event_headers =
            headers.iter().filter_map(|header| Some((header.name.clone(), self.event_value(header)?))).collect();
        Ok(Webhook {
            name,
            key,
            callback,
            method: fixed_method(method),
            summary: text(&op.summary).or_else(|| text(&item.summary)),
            description: text(&op.description).or_else(|| text(&item.description)),
            deprecated: op.deprecated,
            headers,
            body,
            event_headers,
            signature,
            pointer,
        })
    }

    /// The value a header always has for this webhook: the one value its
    /// schema allows, or, for an event header (`X-GitHub-Event`,
    /// `X-Gitlab-Event`), its example.
    fn event_value(&self, header: &Parameter) -> Option<String> {
        if let TypeRef::Named(index) = header.ty.resolved(&self.types)
            && let Some(TypeKind::StringEnum(values)) = self.types.get(index.0).map(|def| &def.kind)
            && let [value] = values.as_slice()
        {
            return Some(value.clone());
        }
        let event_header = header.name.to_ascii_lowercase().ends_with("-event");
        match &header.example {
            Some(Value::String(example)) if event_header && !example.is_empty() => Some(example.clone()),
            _ => None,
        }
    }

    fn path_item_at(&self, item: &Value, pointer: &str) -> Result<oa::PathItem, Error> {
        if item.get("$ref").is_some() {
            let reference: ReferenceOr<oa::PathItem> = serde_json::from_value(item.clone()).map_err(|error| {
                Error::at(self.file, pointer, format!("this webhook's `$ref` is not a reference: {error}"))
            })?;
            return self.resolve(&reference, pointer);
        }
        // Read as a path item (not a `$ref` or one), so an error names its place.
        serde_path_to_error::deserialize(item).map_err(|error| {
            let at = error.path().iter().fold(pointer.to_owned(), |at, step| pointer_join(&at, &step.to_string()));
            Error::at(self.file, &at, format!("this webhook is not a path item: {}", error.inner()))
                .help("a webhook is a path item: a method (usually `post`) whose `requestBody` is the payload")
        })
    }

    /// The signature declared at `pointer` (the document's root or a
    /// webhook's operation): `None` when nothing is declared there,
    /// `Some(None)` when it says deliveries are not signed in a way we can
    /// check (with a warning when it names a scheme we don't know).
    fn signature_declared(&mut self, pointer: &str) -> Option<Option<Signature>> {
        let at = self.raw.pointer(pointer)?;
        if let Some(declared) = at.get("x-webhook-signature") {
            let extension_pointer = pointer_join(pointer, "x-webhook-signature");
            let scheme = match declared {
                Value::Object(fields) => fields.get("scheme"),
                other => Some(other),
            };
            return Some(match scheme {
                Some(Value::String(scheme)) if scheme.eq_ignore_ascii_case("standard-webhooks") => {
                    Some(Signature::StandardWebhooks)
                }
                Some(Value::Bool(false)) | Some(Value::Null) => None,
                _ => {
                    self.warn(
                        &extension_pointer,
                        "kanuu-codegen checks `standard-webhooks` signatures only; deliveries are read without a check \
                         (write `x-webhook-signature: standard-webhooks` if the API signs the Standard Webhooks way)",
                    );
                    None
                }
            });
        }
        let fern = at.get("x-fern-webhook-signature")?;
        if *fern == Value::Bool(true) {
            return None;
        }
        let field = |path: &str| fern.pointer(path).and_then(Value::as_str).map(str::to_ascii_lowercase);
        let components: Vec<String> = fern
            .pointer("/payload-format/components")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let standard = field("/type").as_deref() == Some("hmac")
            && field("/header").as_deref() == Some("webhook-signature")
            && field("/algorithm").as_deref().is_none_or(|algorithm| algorithm == "sha256")
            && field("/encoding").as_deref().is_none_or(|encoding| encoding == "base64")
            && field("/timestamp/header").as_deref() == Some("webhook-timestamp")
            && components == ["message-id", "timestamp", "body"];
        if !standard {
            self.warn(
                &pointer_join(pointer, "x-fern-webhook-signature"),
                "kanuu-codegen checks Standard Webhooks signatures only (HMAC-SHA256 in base64 over \
                 message-id, timestamp and body, in `webhook-signature`); deliveries are read without a check",
            );
            return Some(None);
        }
        Some(Some(Signature::StandardWebhooks))
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Signature, Webhook};

    fn webhooks(spec: &str) -> (Vec<Webhook>, Vec<String>) {
        let (api, warnings) = crate::parse(spec, "spec.yaml").expect("the spec lowers");
        (api.webhooks, warnings.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn webhooks_x_webhooks_and_callbacks_are_read_in_order_with_their_names() {
        let (read, warnings) = webhooks(
            r##"
openapi: 3.0.3
info: { title: Hooks, version: "1" }
x-webhook-signature: standard-webhooks
paths:
  /exports:
    post:
      operationId: startExport
      responses: { "202": { description: Started. } }
      callbacks:
        done:
          "{$request.body#/url}":
            post:
              parameters:
                - { name: X-Event, in: header, required: true, schema: { type: string, enum: [export.done] } }
              requestBody: { content: { application/json: { schema: { type: object } } } }
              responses: { "204": { description: Received. } }
x-webhooks:
  done:
    post:
      x-webhook-signature: false
      parameters: [{ name: X-Github-Event, in: header, example: push, schema: { type: string } }]
      responses: { "200": { description: Received. } }
  ping:
    post: { operationId: pingPong, responses: { "200": { description: Received. } } }
"##,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = read.iter().map(|webhook| webhook.name.as_str()).collect();
        assert_eq!(names, ["done", "pingPong", "startExportDone"]);
        assert_eq!(read[0].event_headers, [("X-Github-Event".to_owned(), "push".to_owned())]);
        assert_eq!(read[0].signature, None, "a webhook may say it is not signed");
        assert_eq!(read[1].signature, Some(Signature::StandardWebhooks), "the document's signature");
        let callback = read[2].callback.as_ref().expect("a callback");
        assert_eq!(
            (callback.operation.as_str(), callback.expression.as_str()),
            ("startExport", "{$request.body#/url}")
        );
        assert_eq!(read[2].event_headers, [("X-Event".to_owned(), "export.done".to_owned())]);
        assert_eq!(read[2].pointer, "/paths/~1exports/post/callbacks/done/{$request.body#~1url}/post");
    }

    #[test]
    fn openapi_3_1_webhooks_and_fern_s_signature_are_read() {
        let spec = r##"
openapi: 3.1.0
info: { title: Hooks, version: "1" }
x-fern-webhook-signature:
  type: hmac
  header: webhook-signature
  encoding: base64
  timestamp: { header: webhook-timestamp, format: unix-seconds }
  payload-format: { components: [message-id, timestamp, body] }
webhooks:
  paid:
    post:
      requestBody: { content: { application/json: { schema: { type: object, properties: { type: { const: paid } } } } } }
"##;
        let (read, warnings) = webhooks(spec);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].signature, Some(Signature::StandardWebhooks));

        let other_scheme = spec.replace("encoding: base64", "encoding: hex");
        let (read, warnings) = webhooks(&other_scheme);
        assert_eq!(read[0].signature, None);
        assert!(
            warnings[0].contains("x-fern-webhook-signature")
                && warnings[0].contains("Standard Webhooks signatures only"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_webhook_that_is_not_a_path_item_is_refused_where_it_is() {
        let spec = r##"
openapi: 3.1.0
info: { title: Hooks, version: "1" }
webhooks:
  paid:
    post: { parameters: "none" }
"##;
        let error = crate::parse(spec, "spec.yaml").expect_err("refused").to_string();
        assert!(error.contains("#/webhooks/paid/post/parameters"), "{error}");
        assert!(error.contains("is not a path item"), "{error}");
    }
}
