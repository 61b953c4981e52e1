//! Request snippets: the same request, as a program in each language.
//!
//! [`Request`] is built once per operation from the IR (server, method, path
//! with example path parameters, query, headers, auth and the body example);
//! each language module turns it into a program. A language module has one
//! `literal` function that turns any string into a string literal of that
//! language, and its template puts every value through it: no text from the
//! document is ever spliced into code raw.
//!
//! Every `literal` also writes `</` so that it does not appear in the program
//! text (how is per language, see each module), so a value like
//! `</code-block>` can't close the page's VuePress markup; the program still
//! sends exactly the original string. JSON text written into a program
//! (request bodies) writes `</` as `<\/`, which JSON reads as `</`.
//!
//! Adding a language: write a module with a `LANGUAGE` constant and add it
//! to [`LANGUAGES`].

mod curl;
mod go;
mod java;
mod javascript;
mod laravel;
mod php;
mod python;
mod ruby;
mod rust;

use serde_json::Value;

use crate::error::Error;
use crate::ir::{
    Api, AuthKind, BodyEncoding, Method, NextPage, ParamLocation, Parameter, PathStep, QueryStyle, StreamFormat,
    TypeRef,
};
use crate::rust::RustOptions;

/// The boundary between the parts of a multipart example body.
const MULTIPART_BOUNDARY: &str = "kanuu-codegen-boundary";

/// An example object as `a=1&b=2`; nested values as JSON text.
fn form_urlencoded(example: &Value) -> String {
    let Value::Object(fields) = example else {
        return percent_encode(&text_of(example));
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(&text_of(value))))
        .collect::<Vec<_>>()
        .join("&")
}

/// An example object as a `multipart/form-data` body, one part per property.
fn multipart(example: &Value) -> String {
    let mut body = String::new();
    let parts: Vec<(String, Value)> = match example {
        Value::Object(fields) => fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        other => vec![("body".to_owned(), other.clone())],
    };
    for (name, value) in parts {
        // Quotes and line breaks can't appear in a part's name.
        let name = name.replace(['"', '\r', '\n'], "_");
        body.push_str(&format!(
            "--{MULTIPART_BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{}\r\n",
            text_of(&value)
        ));
    }
    body.push_str(&format!("--{MULTIPART_BOUNDARY}--\r\n"));
    body
}

/// The placeholder every snippet sends instead of a real key.
pub const API_KEY: &str = "<YOUR_API_KEY>";

/// One target language.
pub struct Language {
    /// The code block's title on the page, e.g. "Curl".
    pub title: &'static str,
    /// The Markdown fence's info string, e.g. `sh`.
    pub fence: &'static str,
    /// The `lang` of the sample in `x-codeSamples`.
    pub sample_lang: &'static str,
    /// Any string as a string literal of the language (see each module).
    pub literal: fn(&str) -> String,
    /// The whole program for a request.
    pub render: fn(&Request) -> Result<String, Error>,
    /// A webhook page's check that the API sent a delivery.
    pub verify: fn(&Verification) -> String,
}

/// What a webhook page's snippets check and read.
pub struct Verification<'a> {
    pub plan: &'a crate::rust::Plan<'a>,
    /// Where the webhook is in `Api::webhooks`.
    pub webhook: usize,
}

/// Every language, in the order the page shows them: the seed page's five
/// first, in its order.
pub const LANGUAGES: &[Language] = &[
    curl::LANGUAGE,
    php::LANGUAGE,
    laravel::LANGUAGE,
    ruby::LANGUAGE,
    java::LANGUAGE,
    python::LANGUAGE,
    javascript::LANGUAGE,
    go::LANGUAGE,
    rust::LANGUAGE,
];

/// One rendered snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub title: &'static str,
    pub fence: &'static str,
    pub sample_lang: &'static str,
    pub source: String,
}

/// Every language's snippet for `api.operations[operation]`, sent to
/// `base_url` instead of the document's server when given.
pub fn render(api: &Api, rust: &RustOptions, operation: usize, base_url: Option<&str>) -> Result<Vec<Snippet>, Error> {
    let plan = crate::rust::Plan::new(api, rust);
    render_with(&plan, operation, base_url)
}

/// Like [`render`], with the Rust emitter's plan made once for all operations.
pub fn render_with(plan: &crate::rust::Plan, operation: usize, base_url: Option<&str>) -> Result<Vec<Snippet>, Error> {
    let request = Request::new(plan, operation, base_url)?;
    LANGUAGES
        .iter()
        .map(|language| {
            Ok(Snippet {
                title: language.title,
                fence: language.fence,
                sample_lang: language.sample_lang,
                source: (language.render)(&request)?,
            })
        })
        .collect()
}

/// Every language's check of a delivery of `api.webhooks[webhook]`, for a
/// document that says how deliveries are signed (none otherwise).
pub fn verification(plan: &crate::rust::Plan, webhook: usize) -> Vec<Snippet> {
    let signed = plan.api.webhooks.get(webhook).is_some_and(|webhook| webhook.signature.is_some());
    if !signed {
        return Vec::new();
    }
    let verification = Verification { plan, webhook };
    LANGUAGES
        .iter()
        .map(|language| Snippet {
            title: language.title,
            fence: language.fence,
            sample_lang: language.sample_lang,
            source: (language.verify)(&verification),
        })
        .collect()
}

/// How the snippet authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `authorization: Bearer <YOUR_API_KEY>`.
    Bearer,
    /// Any other header, e.g. `x-api-key: <YOUR_API_KEY>` or basic auth.
    Header { name: String, value: String },
}

/// The request body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A JSON value, sent as JSON.
    Json(Value),
    /// Text (or bytes written as text), sent as it is.
    Text(String),
}

/// Everything a snippet sends, resolved from the IR.
pub struct Request<'a> {
    pub api: &'a Api,
    pub rust: &'a RustOptions,
    /// The Rust emitter's names and shapes, for the Rust snippet.
    pub plan: &'a crate::rust::Plan<'a>,
    /// The index of the operation in `api.operations`.
    pub operation: usize,
    /// The server the snippet is pointed at instead of the document's.
    pub base_url: Option<&'a str>,
    pub method: Method,
    /// The whole URL: server, path with example parameters (percent-encoded)
    /// and the query string.
    pub url: String,
    pub auth: Option<Auth>,
    /// Header (and cookie) parameters with their examples, in document order.
    pub headers: Vec<(String, String)>,
    pub content_type: Option<String>,
    pub accept: Option<String>,
    pub body: Option<Body>,
    /// How the snippet reads every page of a list that pages; `url` is
    /// then the first page's.
    pub pager: Option<Pager>,
    /// How the snippet reads a success that streams, as it arrives.
    pub stream: Option<StreamRead>,
}

/// How a snippet reads an answer that streams: it prints each event's
/// `data`, or each JSON item, on a line as it arrives, and stops at the
/// sentinel; bytes it writes to `file` as they arrive.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamRead {
    pub format: StreamFormat,
    pub sentinel: Option<String>,
    /// Whether each item (each event's `data`) is JSON; else text.
    pub json: bool,
    /// Where bytes are saved: [`Operation::download_file_name`](crate::ir::Operation::download_file_name).
    pub file: String,
}

/// How a snippet reads a list to its end: it asks for `Request::url`,
/// prints each item of the page (one JSON text a line), and asks for the
/// next page's URL, made from the page as `next` says, until a page is
/// empty or names no next page. Every page is the same request but for
/// its URL (and, with `later_pages_get`, its method and body).
#[derive(Debug, Clone, PartialEq)]
pub struct Pager {
    /// The properties from the body to the items (none: the body is the array).
    pub items: Vec<String>,
    pub next: NextUrl,
    /// Whether pages after the first are asked for with `GET` and no body
    /// (a next link after a `POST`), not as the first was.
    pub later_pages_get: bool,
}

/// How the next page's URL is made.
#[derive(Debug, Clone, PartialEq)]
pub enum NextUrl {
    /// The URL of the answer's `Link: <…>; rel="next"` header.
    LinkHeader,
    /// The URL the body holds at a place, resolved against the page's.
    InBody(Vec<PathStep>),
    /// `prefix` and the percent-encoded cursor the body holds at `from`.
    Cursor { from: Vec<PathStep>, prefix: String },
    /// `prefix` and the number of items read so far.
    Offset { prefix: String },
    /// `prefix` and the page's number: `first` + 1 for the second page.
    PageNumber { prefix: String, first: i64 },
}

impl Pager {
    /// The path from the body to the items.
    pub fn items_path(&self) -> Vec<PathStep> {
        self.items.iter().map(|name| PathStep::Property(name.clone())).collect()
    }

    /// The code for the value at `at` in a page: `path(start, steps)`,
    /// from the variable holding the page or, for a path through the items
    /// array (`events[-1].id`, the last item's `id`), from the one holding
    /// the items, with the steps after it.
    pub fn place(
        &self,
        at: &[PathStep],
        page: &str,
        items: &str,
        path: impl Fn(&str, &[PathStep]) -> String,
    ) -> String {
        let through_items = at.len() > self.items.len()
            && at.iter().zip(&self.items).all(|(step, name)| matches!(step, PathStep::Property(p) if p == name));
        if through_items { path(items, &at[self.items.len()..]) } else { path(page, at) }
    }
}

impl<'a> Request<'a> {
    pub fn new(plan: &'a crate::rust::Plan<'a>, operation: usize, base_url: Option<&'a str>) -> Result<Self, Error> {
        let (api, rust) = (plan.api, plan.options);
        let file = rust.spec_label.as_str();
        let Some(op) = api.operations.get(operation) else {
            return Err(Error::new(file, None, format!("internal error: no operation {operation}"))
                .help("this is a bug in kanuu-codegen; please report it with the document"));
        };
        let server = base_url.or(api.default_server()).unwrap_or("http://localhost").trim_end_matches('/');
        let path = op.path.render(|name| {
            let value = op
                .parameters
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.name == name)
                .map(|p| example_text(api, p, ","))
                .unwrap_or_else(|| name.to_owned());
            percent_encode(&value)
        });

        let auth_kind = op.security.first().and_then(|index| api.scheme(*index)).map(|s| &s.kind);
        // Each pair with the name of the parameter it sends.
        let mut query: Vec<(String, String)> = Vec::new();
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut cookies: Vec<String> = Vec::new();
        let auth = match auth_kind {
            None => None,
            Some(AuthKind::Bearer) => Some(Auth::Bearer),
            Some(AuthKind::Basic) => Some(Auth::Header {
                name: "authorization".to_owned(),
                value: "Basic <BASE64_OF_USER:PASSWORD>".to_owned(),
            }),
            Some(AuthKind::ApiKey { location: ParamLocation::Query, name }) => {
                // The placeholder stays readable; it is replaced anyway.
                query.push((name.clone(), format!("{}={API_KEY}", percent_encode(name))));
                None
            }
            Some(AuthKind::ApiKey { location: ParamLocation::Cookie, name }) => {
                Some(Auth::Header { name: "cookie".to_owned(), value: format!("{name}={API_KEY}") })
            }
            Some(AuthKind::ApiKey { name, .. }) => {
                Some(Auth::Header { name: name.to_lowercase(), value: API_KEY.to_owned() })
            }
        };

        for param in &op.parameters {
            // Optional parameters appear only when the document gives an example.
            if !param.required && param.example.is_none() {
                continue;
            }
            match param.location {
                ParamLocation::Path => {}
                ParamLocation::Query => {
                    let pair = |name: &str, value: &str| {
                        (param.name.clone(), format!("{}={}", percent_encode(name), percent_encode(value)))
                    };
                    // The same serialisation as the Rust client's (style and explode).
                    match (param.example.clone().unwrap_or_else(|| api.example_of(&param.ty)), param.style) {
                        (Value::Array(items), QueryStyle::Form) if param.explode => {
                            query.extend(items.iter().map(|item| pair(&param.name, &text_of(item))));
                        }
                        (Value::Array(items), style) => {
                            let separator = match style {
                                QueryStyle::SpaceDelimited => " ",
                                QueryStyle::PipeDelimited => "|",
                                QueryStyle::Form | QueryStyle::DeepObject => ",",
                            };
                            let texts: Vec<String> = items.iter().map(text_of).collect();
                            query.push(pair(&param.name, &texts.join(separator)));
                        }
                        (Value::Object(properties), QueryStyle::DeepObject) => {
                            let present = properties.iter().filter(|(_, v)| !v.is_null());
                            query.extend(present.map(|(k, v)| pair(&format!("{}[{k}]", param.name), &text_of(v))));
                        }
                        (Value::Object(properties), _) if param.explode => {
                            query.extend(
                                properties.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| pair(k, &text_of(v))),
                            );
                        }
                        (Value::Object(properties), _) => {
                            let flat: Vec<String> = properties
                                .iter()
                                .filter(|(_, v)| !v.is_null())
                                .flat_map(|(k, v)| [k.clone(), text_of(v)])
                                .collect();
                            query.push(pair(&param.name, &flat.join(",")));
                        }
                        _ => query.push(pair(&param.name, &example_text(api, param, ","))),
                    }
                }
                ParamLocation::Header => headers.push((param.name.to_lowercase(), example_text(api, param, ","))),
                ParamLocation::Cookie => cookies.push(format!("{}={}", param.name, example_text(api, param, ","))),
            }
        }
        if !cookies.is_empty() {
            headers.push(("cookie".to_owned(), cookies.join("; ")));
        }
        // A header value can't hold a line break or NUL: no quoting fixes that.
        for (name, value) in &headers {
            if name.is_empty() || value.contains(['\r', '\n', '\0']) || name.contains(['\r', '\n', '\0', ':']) {
                return Err(Error::at(
                    file,
                    &op.pointer,
                    format!("the example of header `{}` cannot be sent as a header", name.escape_debug()),
                )
                .help("header names and example values must not contain line breaks, NUL or (in names) `:`"));
            }
        }

        let (content_type, body) = match &op.body {
            None => (None, None),
            Some(body) => {
                let example = body.example.clone().unwrap_or_else(|| api.example_of(&body.ty));
                let value = match body.encoding {
                    BodyEncoding::Json => Body::Json(example),
                    BodyEncoding::Form => Body::Text(form_urlencoded(&example)),
                    BodyEncoding::Multipart => Body::Text(multipart(&example)),
                    BodyEncoding::Text | BodyEncoding::Bytes => {
                        let text = text_of(&example);
                        if text.contains('\0') {
                            return Err(Error::at(
                                file,
                                &op.pointer,
                                "the request body example contains NUL, which a command line cannot send",
                            )
                            .help("give the request body an example without NUL characters"));
                        }
                        Body::Text(text)
                    }
                };
                // The snippets send the multipart body as text, so they name its boundary.
                let media_type = match body.encoding {
                    BodyEncoding::Multipart => format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
                    _ => body.media_type.clone(),
                };
                (Some(media_type), Some(value))
            }
        };
        let accept = op
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .chain(op.responses.iter())
            .find_map(|r| r.body.as_ref().map(|b| b.media_type.clone()));

        let stream = op.streamed_success().map(|(body, stream)| StreamRead {
            format: stream.format,
            sentinel: stream.sentinel.clone(),
            json: !(stream.format == StreamFormat::Events && matches!(body.ty, TypeRef::String(_))),
            file: op.download_file_name(),
        });
        let url_with = |keep: &dyn Fn(&str) -> bool| {
            let pairs: Vec<&str> = query.iter().filter(|(name, _)| keep(name)).map(|(_, pair)| pair.as_str()).collect();
            if pairs.is_empty() { format!("{server}{path}") } else { format!("{server}{path}?{}", pairs.join("&")) }
        };
        // The next page's URL: `base` (its query without the paging
        // parameter) with the parameter added.
        let prefix = |base: String, param: &str| {
            let separator = if base.contains('?') { '&' } else { '?' };
            format!("{base}{separator}{}=", percent_encode(param))
        };
        let (url, pager) = match &op.paging {
            None => (url_with(&|_| true), None),
            Some(paging) => {
                let limit = paging.limit.as_ref().map(|(name, _)| name.as_str());
                let api_key = match auth_kind {
                    Some(AuthKind::ApiKey { location: ParamLocation::Query, name }) => Some(name.as_str()),
                    _ => None,
                };
                let (url, next) = match &paging.next {
                    NextPage::LinkHeader => (url_with(&|_| true), NextUrl::LinkHeader),
                    NextPage::Url(path) => (url_with(&|_| true), NextUrl::InBody(path.clone())),
                    NextPage::Cursor { param, from, alone } => {
                        let url = url_with(&|name| name != param);
                        let base = if *alone {
                            url_with(&|name| Some(name) == limit || Some(name) == api_key)
                        } else {
                            url.clone()
                        };
                        (url, NextUrl::Cursor { from: from.clone(), prefix: prefix(base, param) })
                    }
                    NextPage::Offset { param } => {
                        let url = url_with(&|name| name != param);
                        (url.clone(), NextUrl::Offset { prefix: prefix(url, param) })
                    }
                    NextPage::PageNumber { param, first } => {
                        let url = url_with(&|name| name != param);
                        (url.clone(), NextUrl::PageNumber { prefix: prefix(url, param), first: *first })
                    }
                };
                // A next link is fetched with `GET`, whatever asked for the first page.
                let later_pages_get =
                    op.method != Method::Get && matches!(paging.next, NextPage::LinkHeader | NextPage::Url(_));
                (url, Some(Pager { items: paging.items.clone(), next, later_pages_get }))
            }
        };
        Ok(Request {
            api,
            plan,
            rust,
            operation,
            base_url,
            method: op.method,
            url,
            auth,
            headers,
            content_type,
            accept,
            body,
            pager,
            stream,
        })
    }

    /// The request for a page after the first when it is a `GET` with no
    /// body (`Pager::later_pages_get`): the same credentials and headers.
    pub fn later_page(&self) -> Request<'a> {
        Request {
            method: Method::Get,
            content_type: None,
            body: None,
            pager: None,
            stream: None,
            url: self.url.clone(),
            auth: self.auth.clone(),
            headers: self.headers.clone(),
            accept: self.accept.clone(),
            ..*self
        }
    }

    /// Every header the request sends, in order: auth, parameters,
    /// `content-type`, `accept`.
    pub fn all_headers(&self) -> Vec<(String, String)> {
        let mut all = Vec::new();
        match &self.auth {
            Some(Auth::Bearer) => all.push(("authorization".to_owned(), format!("Bearer {API_KEY}"))),
            Some(Auth::Header { name, value }) => all.push((name.clone(), value.clone())),
            None => {}
        }
        all.extend(self.headers.iter().cloned());
        all.extend(self.content_type.iter().map(|v| ("content-type".to_owned(), v.clone())));
        all.extend(self.accept.iter().map(|v| ("accept".to_owned(), v.clone())));
        all
    }

    /// The body as the text that goes on the wire (JSON in the seed's
    /// spacing), if there is one.
    pub fn body_text(&self) -> Option<String> {
        self.body.as_ref().map(|body| match body {
            Body::Json(value) => json_text(value),
            Body::Text(text) => text.clone(),
        })
    }

    /// Whether the body is JSON sent as `application/json`.
    pub fn json_body(&self) -> Option<&Value> {
        match &self.body {
            Some(Body::Json(value)) if self.content_type.as_deref() == Some("application/json") => Some(value),
            _ => None,
        }
    }
}

/// A parameter's example as text: strings as they are, arrays joined.
fn example_text(api: &Api, param: &Parameter, separator: &str) -> String {
    let example = param.example.clone().unwrap_or_else(|| api.example_of(&param.ty));
    match example {
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(separator),
        other => text_of(&other),
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// JSON text in the seed page's spacing (`{"identifier": "42"}`), on one
/// line, non-ASCII kept, and `</` written `<\/` (the same string to JSON).
pub fn json_text(value: &Value) -> String {
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Object(entries) => {
                out.push('{');
                for (index, (key, item)) in entries.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push_str(": ");
                    write(item, out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    write(item, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out.replace("</", "<\\/")
}

/// Escapes for the C family (Python, JavaScript, Go, Java): `\\ \" \n \r \t`,
/// `control(c)` for other control characters, `other(c)` for the rest
/// (`None` keeps the character). The caller adds the quotes.
fn c_like(text: &str, control: impl Fn(char) -> String, other: impl Fn(char) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => out.push_str(&control(c)),
            c => match other(c) {
                Some(escaped) => out.push_str(&escaped),
                None => out.push(c),
            },
        }
    }
    out
}

/// The method in lower case, e.g. `post`.
fn lower_method(method: Method) -> String {
    method.as_str().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_has_the_seed_spacing() {
        let value = serde_json::json!({"identifier": "42", "list": [1, true, null], "x": "</a>"});
        assert_eq!(json_text(&value), r#"{"identifier": "42", "list": [1, true, null], "x": "<\/a>"}"#);
    }

    #[test]
    fn percent_encoding_keeps_unreserved_only() {
        assert_eq!(percent_encode("a b/é~"), "a%20b%2F%C3%A9~");
    }
}
