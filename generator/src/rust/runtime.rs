//! The code every generated crate shares, and the names it takes.
//!
//! The files under `generator/runtime/` are ordinary Rust, formatted by
//! `rustfmt generator/runtime/*.rs generator/runtime/{stream,webhooks,mock}/*.rs` in the
//! generated crates' style (their own `rustfmt.toml`) and compiled and
//! unit-tested by `tests/runtime.rs`; every crate gets them byte for byte,
//! but for the `mod` lines `stream.rs` gains for the kinds of stream a
//! crate reads. Only what depends on the API is
//! generated with `quote!`; what the runtime's macros are given is in
//! `item.rs`.
//!
//! The names here are the ones the crate's own code uses in each namespace;
//! the plan reserves them before it names anything from the document, so an
//! operation called `authorize` or a security scheme called `retry` gets
//! another name instead of a collision. A test below reads the emitted code
//! and fails when a member is missing from these tables.

use std::borrow::Cow;

use crate::ir::StreamFormat;

/// `src/connection.rs`: what every client has, whatever its API: the
/// builder's settings and setters, the connection, sending.
pub const CONNECTION_RS: &str = include_str!("../../runtime/connection.rs");

/// `src/error.rs`: the crate's `Error`, and `impl_operation_error!`.
pub const ERROR_RS: &str = include_str!("../../runtime/error.rs");

/// `src/http.rs`: sending with retries, reading answers, encoding
/// parameters; `request_builder!` and `impl_send!`.
pub const HTTP_RS: &str = include_str!("../../runtime/http.rs");

/// `src/object.rs`: the `json_object!`, `string_enum!` and `json_union!`
/// macros that declare each struct, string enum and union with their serde
/// impls, and what they call.
pub const OBJECT_RS: &str = include_str!("../../runtime/object.rs");

/// `src/paging.rs`: the `Pages` and `Items` streams, and `impl_pages!`,
/// which writes a paged operation's `pages()` and `items()`.
pub const PAGING_RS: &str = include_str!("../../runtime/paging.rs");

/// `src/stream.rs`: what the streams of answers read as they arrive
/// share; each kind is a module of its own (below), which the crate's
/// `stream.rs` declares and re-exports when it reads that kind.
pub const STREAM_RS: &str = include_str!("../../runtime/stream.rs");

/// `src/stream/events.rs`: `Events`, server-sent events.
pub const STREAM_EVENTS_RS: &str = include_str!("../../runtime/stream/events.rs");

/// `src/stream/json_lines.rs`: `JsonLines`, JSON lines and JSON text sequences.
pub const STREAM_JSON_LINES_RS: &str = include_str!("../../runtime/stream/json_lines.rs");

/// `src/stream/byte_stream.rs`: `ByteStream`, files and other bytes.
pub const STREAM_BYTES_RS: &str = include_str!("../../runtime/stream/byte_stream.rs");

/// `src/stream/upload.rs`: `Upload`, bodies sent as they are read.
pub const STREAM_UPLOAD_RS: &str = include_str!("../../runtime/stream/upload.rs");

/// `src/stream/file_part.rs`: an `Upload` as a multipart body's file part.
pub const STREAM_FILE_PART_RS: &str = include_str!("../../runtime/stream/file_part.rs");

/// What a crate sends as it is read (`stream::Upload`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uploads {
    /// Bodies of bytes.
    pub bodies: bool,
    /// Files of multipart bodies.
    pub file_parts: bool,
}

impl Uploads {
    pub fn any(self) -> bool {
        self.bodies || self.file_parts
    }
}

/// How a crate receives webhooks: whether it checks their signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receiving {
    Unsigned,
    /// The Standard Webhooks way (`webhooks::Verifier`).
    Signed,
}

/// `src/webhooks/delivery.rs`: reading a delivery into its webhook, and
/// `WebhookError`.
pub const WEBHOOKS_DELIVERY_RS: &str = include_str!("../../runtime/webhooks/delivery.rs");

/// `src/webhooks/standard.rs`: `Verifier`, for Standard Webhooks signatures.
pub const WEBHOOKS_STANDARD_RS: &str = include_str!("../../runtime/webhooks/standard.rs");

/// The module of each kind of stream, its file, and what `stream.rs`
/// re-exports from it.
fn stream_module(format: StreamFormat) -> (&'static str, &'static str, &'static str) {
    match format {
        StreamFormat::Events => ("events", STREAM_EVENTS_RS, "pub use events::{Event, Events};"),
        StreamFormat::JsonLines | StreamFormat::JsonSequence => (
            "json_lines",
            STREAM_JSON_LINES_RS,
            "pub use json_lines::JsonLines;\npub(crate) use json_lines::Separator;",
        ),
        StreamFormat::Bytes => ("byte_stream", STREAM_BYTES_RS, "pub use byte_stream::ByteStream;"),
    }
}

/// Which of the runtime's optional files a crate needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Needs {
    /// `object.rs`: some type is declared in its macros.
    pub object: bool,
    /// `paging.rs`: some operation pages.
    pub paging: bool,
    /// `oauth2.rs`: the client gets its own tokens.
    pub tokens: bool,
    /// `stream.rs` with a module for each kind of stream the crate reads…
    pub streams: Vec<StreamFormat>,
    /// …and for what it uploads.
    pub uploads: Uploads,
    /// `webhooks/delivery.rs`, and `webhooks/standard.rs` when signed.
    pub webhooks: Option<Receiving>,
    /// `mock/server.rs`: the crate has operations to mock.
    pub mock: bool,
}

/// `src/mock/server.rs`: `MockApi` and the typed mock of an operation.
pub const MOCK_SERVER_RS: &str = include_str!("../../runtime/mock/server.rs");

/// The runtime's files a crate `needs`, by their path in the crate.
pub fn files(needs: &Needs) -> impl Iterator<Item = (String, Cow<'static, str>)> {
    let Needs { object: with_object, paging: with_paging, tokens: with_tokens, ref streams, uploads, webhooks, mock } =
        *needs;
    let mock = mock.then(|| ("src/mock/server.rs".to_owned(), Cow::Borrowed(MOCK_SERVER_RS)));
    let webhooks = match webhooks {
        None => Vec::new(),
        Some(receiving) => std::iter::once(("src/webhooks/delivery.rs", WEBHOOKS_DELIVERY_RS))
            .chain((receiving == Receiving::Signed).then_some(("src/webhooks/standard.rs", WEBHOOKS_STANDARD_RS)))
            .map(|(path, text)| (path.to_owned(), Cow::Borrowed(text)))
            .collect(),
    };
    let object = with_object.then_some(("src/object.rs".to_owned(), Cow::Borrowed(OBJECT_RS)));
    let oauth2 = with_tokens.then_some(("src/oauth2.rs".to_owned(), Cow::Borrowed(OAUTH2_RS)));
    let paging = with_paging.then_some(("src/paging.rs".to_owned(), Cow::Borrowed(PAGING_RS)));
    let mut modules: Vec<(&str, &str, &str)> = streams.iter().map(|format| stream_module(*format)).collect();
    if uploads.any() {
        modules.push(("upload", STREAM_UPLOAD_RS, "pub use upload::Upload;"));
    }
    if uploads.file_parts {
        modules.push(("file_part", STREAM_FILE_PART_RS, ""));
    }
    modules.sort_unstable();
    modules.dedup();
    let mut stream = Vec::new();
    if !modules.is_empty() {
        let mut root = STREAM_RS.to_owned();
        for (module, _, exports) in &modules {
            root.push_str(&format!("\nmod {module};\n"));
            if !exports.is_empty() {
                root.push_str(&format!("{exports}\n"));
            }
        }
        stream.push(("src/stream.rs".to_owned(), Cow::Owned(root)));
        stream
            .extend(modules.iter().map(|(module, text, _)| (format!("src/stream/{module}.rs"), Cow::Borrowed(*text))));
    }
    [
        ("src/connection.rs", CONNECTION_RS),
        ("src/error.rs", ERROR_RS),
        ("src/http.rs", HTTP_RS),
        ("src/retry.rs", RETRY_RS),
        ("src/tls.rs", TLS_RS),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_owned(), Cow::Borrowed(text)))
    .chain(object)
    .chain(oauth2)
    .chain(paging)
    .chain(stream)
    .chain(webhooks)
    .chain(mock)
}

/// Whether `path` is one of the runtime's files in a crate.
pub fn is_runtime_file(path: &str) -> bool {
    let everything = Needs {
        object: true,
        paging: true,
        tokens: true,
        streams: vec![StreamFormat::Events, StreamFormat::JsonLines, StreamFormat::Bytes],
        uploads: Uploads { bodies: true, file_parts: true },
        webhooks: Some(Receiving::Signed),
        mock: true,
    };
    files(&everything).any(|(runtime, _)| runtime == path)
}

/// `src/oauth2.rs`: OAuth2 tokens the client gets for itself.
pub const OAUTH2_RS: &str = include_str!("../../runtime/oauth2.rs");

/// `src/retry.rs`: `RetryPolicy`.
pub const RETRY_RS: &str = include_str!("../../runtime/retry.rs");

/// `src/tls.rs`: TLS for the crate's own `reqwest::Client` (rustls on
/// `ring` by default).
pub const TLS_RS: &str = include_str!("../../runtime/tls.rs");

/// The crates generated code names by path (`reqwest::Method`).
pub const DEPENDENCIES: &[&str] = &[
    "serde",
    "serde_json",
    "reqwest",
    "reqwest_middleware",
    "rustls",
    "tokio",
    "futures_core",
    "bytes",
    "eventsource_stream",
    "tokio_util",
    "base64",
    "hmac",
    "sha2",
    "wiremock",
];

/// The names the plan must leave free, one table per namespace.
pub mod reserved {
    /// Items at the crate root (and what `requests.rs` imports by name),
    /// then every type and trait of the Rust 2021 prelude: generated code
    /// names `Option`, `String` or `Box` unqualified, and a user's
    /// `use kanuu::*;` must not shadow their prelude either. (The
    /// runtime's macros name what they use by absolute path.)
    pub const ROOT: &[&str] = &[
        "Client",
        "ClientBuilder",
        "Error",
        "ResponseValue",
        "RetryPolicy",
        // std::prelude::rust_2021, types and traits.
        "AsMut",
        "AsRef",
        "Box",
        "Clone",
        "Copy",
        "Default",
        "DoubleEndedIterator",
        "Drop",
        "Eq",
        "ExactSizeIterator",
        "Extend",
        "Fn",
        "FnMut",
        "FnOnce",
        "From",
        "FromIterator",
        "Into",
        "IntoIterator",
        "Iterator",
        "Option",
        "Ord",
        "PartialEq",
        "PartialOrd",
        "Result",
        "Send",
        "Sized",
        "String",
        "Sync",
        "ToOwned",
        "ToString",
        "TryFrom",
        "TryInto",
        "Unpin",
        "Vec",
    ];

    /// Methods of `Client` that are not operations.
    pub const CLIENT_METHODS: &[&str] = &[
        "new",
        "builder",
        "http_builder",
        "base_url",
        "request",
        "authorize",
        "execute",
        "execute_boxed",
        "execute_stream",
    ];

    /// Methods of `MockApi` (`mock/server.rs`, and the clients in `mock.rs`)
    /// that are not operations' mocks.
    pub const MOCK_API_MEMBERS: &[&str] = &["start", "url", "received", "operation", "client", "client_builder"];

    /// Methods and fields of `ClientBuilder` (a security scheme's builder
    /// method is also a field of the builder and of `Credentials`).
    pub const CLIENT_BUILDER_MEMBERS: &[&str] = &[
        "base_url",
        "timeout",
        "no_timeout",
        "connect_timeout",
        "user_agent",
        "retry",
        "no_retries",
        "max_response_bytes",
        "http_client",
        "add_root_certificate",
        "build",
        "middleware",
        "settings",
        // Fields of earlier versions' builder: schemes named so keep the
        // names they were given then.
        "root_certificates",
        "http",
    ];

    /// Fields and methods of every request builder besides its parameters
    /// (`new` was `request_builder!`'s; kept so no parameter is renamed).
    pub const REQUEST_BUILDER_MEMBERS: &[&str] =
        &["client", "body", "new", "send", "send_with_response", "into_future", "into_request", "read_answer"];

    /// What a paged operation's builder has besides (`impl_pages!`, `emit/paging.rs`).
    pub const PAGED_BUILDER_MEMBERS: &[&str] = &["pages", "items", "paging", "page_items"];

    /// What a streaming operation's builder has besides: the `open`
    /// `impl_send!` calls, and for events the `last_event_id` setter.
    pub const STREAMING_BUILDER_MEMBERS: &[&str] = &["open", "last_event_id"];

    /// The helper functions request code calls by name; the locals a request
    /// binds path parameters to must not shadow them.
    pub const HELPERS: &[&str] = &[
        "bytes",
        "cookie_value",
        "header_value",
        "idempotency_key",
        "json",
        "path_parameter",
        "properties",
        "query_parameter",
        "text",
        "unexpected",
    ];

    /// Names a tag's module (`types/issues.rs`) can't take: what the
    /// crate's code names by a path of one segment (`std::…`, `fmt::…`,
    /// and the [`DEPENDENCIES`](super::DEPENDENCIES)), and the crate's own
    /// modules.
    pub const TAG_MODULES: &[&str] = &[
        "std",
        "core",
        "alloc",
        "fmt",
        "client",
        "connection",
        "error",
        "http",
        "object",
        "operation_error",
        "requests",
        "retry",
        "tls",
        "types",
    ];

    /// The catch-all variant of every operation's error enum.
    pub const ERROR_VARIANTS: &[&str] = &["Other"];

    /// The variant that keeps values a string enum (or a discriminated
    /// union) doesn't know yet.
    pub const ENUM_VARIANTS: &[&str] = &["Unknown"];
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::reserved;
    use crate::{Options, generate};

    /// An API whose builder has a setter per scheme and whose operations
    /// use every kind of parameter, so every member the crate's own code
    /// declares shows up in the output.
    const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Tables, version: "1" }
servers: [{ url: "https://example.com" }]
security: [{ token: [] }, { login: [] }]
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
        - { name: q, in: query, schema: { type: string } }
        - { name: X-Trace, in: header, schema: { type: string } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object } } } }
        "404": { description: missing }
components:
  securitySchemes:
    token: { type: http, scheme: bearer }
    login: { type: http, scheme: basic }
"#;

    fn parsed(path: &str) -> syn::File {
        let generated = generate(SPEC, "tables.yaml", &Options::default()).expect("the spec generates");
        let file = generated.files.iter().find(|f| f.path == path).expect("the file is generated");
        syn::parse_file(&file.contents).expect("the file parses")
    }

    /// The names of the methods in inherent `impl TYPE` blocks and, with
    /// `fields`, of the fields of `struct TYPE`. (A trait's method doesn't
    /// collide with an inherent one, nor a private field with a method.)
    fn members(items: &[syn::Item], type_name: &str, fields: bool) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for item in items {
            match item {
                syn::Item::Impl(block) if block.trait_.is_none() && type_path_ends_with(&block.self_ty, type_name) => {
                    for member in &block.items {
                        if let syn::ImplItem::Fn(function) = member {
                            names.insert(function.sig.ident.to_string());
                        }
                    }
                }
                syn::Item::Struct(declared) if fields && declared.ident == type_name => {
                    names.extend(declared.fields.iter().filter_map(|f| f.ident.as_ref().map(ToString::to_string)));
                }
                _ => {}
            }
        }
        names
    }

    /// The items `requests.rs` declares once its macros have run, as the
    /// emitter makes them.
    fn requests() -> Vec<syn::Item> {
        let (api, _) = crate::parse(SPEC, "tables.yaml").expect("the spec lowers");
        let options = Default::default();
        let plan = crate::rust::Plan::new(&api, &options);
        let mut items = Vec::new();
        for part in 0..crate::rust::emit::operations::request_parts(&plan) {
            for item in crate::rust::emit::operations::request_part(&plan, part).expect("the operation is emitted") {
                item.for_each_declared(&mut |declared| items.push(declared.clone()));
            }
        }
        items
    }

    fn type_path_ends_with(ty: &syn::Type, name: &str) -> bool {
        matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == name))
    }

    fn missing(found: BTreeSet<String>, from_the_document: &[&str], table: &[&str]) -> Vec<String> {
        found
            .into_iter()
            .filter(|name| !from_the_document.contains(&name.as_str()) && !table.contains(&name.as_str()))
            .collect()
    }

    #[test]
    fn the_tables_name_every_member_the_crate_declares_itself() {
        // The client's own members are the runtime's (`connection.rs`), the rest the API's.
        let mut client = parsed("rust/src/client.rs").items;
        client.extend(parsed("rust/src/connection.rs").items);
        let client_methods = members(&client, "Client", false);
        assert!(client_methods.contains("execute"), "{client_methods:?}");
        assert_eq!(missing(client_methods, &[], reserved::CLIENT_METHODS), Vec::<String>::new(), "Client");

        // The mock's own members: the runtime's, and `client` in `mock.rs`.
        let mut mock = parsed("rust/src/mock.rs").items;
        mock.extend(parsed("rust/src/mock/server.rs").items);
        let mock_members = members(&mock, "MockApi", false);
        assert!(mock_members.contains("client") && mock_members.contains("start"), "{mock_members:?}");
        let operations = ["get_item"];
        assert_eq!(missing(mock_members, &operations, reserved::MOCK_API_MEMBERS), Vec::<String>::new(), "MockApi");

        // The schemes' setters and fields come from the document.
        let builder = members(&client, "ClientBuilder", true);
        assert!(builder.contains("no_retries") && builder.contains("settings"), "{builder:?}");
        assert_eq!(missing(builder, &["token", "login"], reserved::CLIENT_BUILDER_MEMBERS), Vec::<String>::new());

        let requests = requests();
        let mut request_builder = members(&requests, "GetItem", true);
        for block in requests.iter().filter_map(|item| match item {
            // `IntoFuture`'s method too: a setter named `into_future` would hide it from callers.
            syn::Item::Impl(block) if block.trait_.is_some() && type_path_ends_with(&block.self_ty, "GetItem") => {
                Some(block)
            }
            _ => None,
        }) {
            for member in &block.items {
                if let syn::ImplItem::Fn(function) = member {
                    request_builder.insert(function.sig.ident.to_string());
                }
            }
        }
        assert!(request_builder.contains("into_future"), "{request_builder:?}");
        let parameters = ["id", "q", "x_trace"];
        assert_eq!(missing(request_builder, &parameters, reserved::REQUEST_BUILDER_MEMBERS), Vec::<String>::new());
    }

    /// A runtime macro expands where it is invoked, among the document's
    /// names: a type called `Send` there would be the `Send` of `+ Send`.
    /// So the macros name the prelude's items, and the crates they use, by
    /// absolute path.
    #[test]
    fn the_runtime_macros_name_the_prelude_by_absolute_path() {
        let prelude: BTreeSet<&str> = reserved::ROOT[5..].iter().copied().collect();
        assert!(prelude.contains("AsMut") && prelude.contains("Vec") && !prelude.contains("Error"), "{prelude:?}");
        let also = ["Some", "None", "Ok", "Err", "std", "core", "alloc", "serde", "serde_json", "reqwest"];
        let mut macros = 0;
        for text in [super::ERROR_RS, super::HTTP_RS, super::OBJECT_RS, super::PAGING_RS] {
            let file = syn::parse_file(text).expect("the runtime parses");
            for item in &file.items {
                let syn::Item::Macro(definition) = item else { continue };
                if !definition.mac.path.is_ident("macro_rules") {
                    continue;
                }
                macros += 1;
                // What each rule writes (a matcher's names are tokens to match).
                let mut unqualified = Vec::new();
                let mut after_arrow = false;
                for token in definition.mac.tokens.clone() {
                    match token {
                        proc_macro2::TokenTree::Group(transcriber) if after_arrow => {
                            unqualified_names(transcriber.stream(), &mut false, &mut unqualified);
                            after_arrow = false;
                        }
                        proc_macro2::TokenTree::Punct(punct) => after_arrow = punct.as_char() == '>',
                        _ => after_arrow = false,
                    }
                }
                unqualified.retain(|name| prelude.contains(name.as_str()) || also.contains(&name.as_str()));
                assert_eq!(unqualified, Vec::<String>::new(), "in macro_rules! {:?}", definition.ident);
            }
        }
        assert_eq!(macros, 7);
    }

    /// The identifiers in `tokens` not preceded by `::` or `.`.
    fn unqualified_names(tokens: proc_macro2::TokenStream, after_path: &mut bool, found: &mut Vec<String>) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Group(group) => {
                    unqualified_names(group.stream(), &mut false, found);
                    *after_path = false;
                }
                proc_macro2::TokenTree::Ident(ident) => {
                    if !*after_path {
                        found.push(ident.to_string());
                    }
                    *after_path = false;
                }
                proc_macro2::TokenTree::Punct(punct) => *after_path = matches!(punct.as_char(), ':' | '.' | '$'),
                proc_macro2::TokenTree::Literal(_) => *after_path = false,
            }
        }
    }

    /// Requests import the helpers by these names (`emit/operations.rs`),
    /// so each must be a function of `http.rs`, and the list sorted as the
    /// import line is.
    #[test]
    fn every_helper_is_a_function_of_the_runtime() {
        let file = syn::parse_file(super::HTTP_RS).expect("http.rs parses");
        let functions: BTreeSet<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Fn(function) => Some(function.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        for helper in reserved::HELPERS {
            assert!(functions.contains(*helper), "http.rs has no fn {helper}");
        }
        assert!(reserved::HELPERS.is_sorted(), "{:?}", reserved::HELPERS);
    }

    #[test]
    fn the_root_table_names_every_item_the_crate_exports_itself() {
        let lib = parsed("rust/src/lib.rs");
        let mut exported = BTreeSet::new();
        for item in &lib.items {
            if let syn::Item::Use(used) = item {
                collect_names(&used.tree, &mut exported);
            }
        }
        // Names from the document: its operations' builders, error enums and types.
        let from_the_document = ["GetItem", "GetItemError", "*"];
        let missing = missing(exported, &from_the_document, reserved::ROOT);
        assert_eq!(missing, Vec::<String>::new());
    }

    fn collect_names(tree: &syn::UseTree, names: &mut BTreeSet<String>) {
        match tree {
            syn::UseTree::Path(path) => collect_names(&path.tree, names),
            syn::UseTree::Name(name) => {
                names.insert(name.ident.to_string());
            }
            syn::UseTree::Rename(rename) => {
                names.insert(rename.rename.to_string());
            }
            syn::UseTree::Glob(_) => {
                names.insert("*".to_owned());
            }
            syn::UseTree::Group(group) => group.items.iter().for_each(|item| collect_names(item, names)),
        }
    }
}
