//! The document's JSON examples of request and response bodies, each with
//! the Rust type the generated crate reads and writes it as. What
//! `scripts/examples.sh` decodes and writes back with the crate, to prove
//! its types against what the API's own authors say it sends.

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::ir::BodyEncoding;
use crate::rust::{Plan, RustOptions};

/// One example of a JSON body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyExample {
    /// The operation's JSON pointer, e.g. `/paths/~1issues~1{id}/get`.
    pub operation: String,
    /// `request`, or the response's key: `200`, `4XX`, `default`.
    pub body: String,
    pub media_type: String,
    /// The named example's title; `None` for a media type's `example`.
    pub title: Option<String>,
    /// The Rust type, e.g. `github::Issue` or `Vec<github::Issue>`.
    pub rust_type: String,
    pub value: Value,
}

/// Every JSON body example of the document at `text`, for the crate named
/// `crate_name` that the same document generates.
pub fn body_examples(text: &str, file: &str, crate_name: &str) -> Result<Vec<BodyExample>, Error> {
    let (api, _) = crate::parse(text, file)?;
    let options =
        RustOptions { crate_name: crate_name.to_owned(), spec_label: file.to_owned(), kept_names: Default::default() };
    let plan = Plan::new(&api, &options);
    let crate_path = plan.crate_path();
    let rust_type =
        |ty| crate::rust::type_tokens(&plan, ty).to_string().replace("crate ::", &format!("{crate_path} ::"));
    let mut examples = Vec::new();
    for op in &api.operations {
        let mut add = |body: String, media_type: &str, title: Option<String>, rust_type: String, value: &Value| {
            let media_type = media_type.to_owned();
            let value = value.clone();
            examples.push(BodyExample { operation: op.pointer.clone(), body, media_type, title, rust_type, value });
        };
        let request = op.body.as_ref().filter(|body| body.encoding == BodyEncoding::Json);
        if let Some((request, value)) = request.and_then(|body| Some((body, body.example.as_ref()?))) {
            add("request".to_owned(), &request.media_type, request.example_name.clone(), rust_type(&request.ty), value);
        }
        for response in &op.responses {
            let Some(body) = response.body.as_ref().filter(|body| body.encoding == BodyEncoding::Json) else {
                continue;
            };
            let key = response.status.key();
            for named in &body.examples {
                add(key.clone(), &body.media_type, Some(named.title.clone()), rust_type(&body.ty), &named.value);
            }
            // `example` is also the first named example when the media type has no `example` of its own.
            if let Some(value) = body.example.as_ref().filter(|value| !body.examples.iter().any(|e| &e.value == *value))
            {
                add(key, &body.media_type, None, rust_type(&body.ty), value);
            }
        }
    }
    Ok(examples)
}
