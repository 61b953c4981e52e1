//! The code every generated crate shares, and the names it takes.
//!
//! The files under `generator/runtime/` are ordinary Rust, formatted by
//! `cargo fmt` and compiled and unit-tested by `tests/runtime.rs`; every
//! crate gets them byte for byte, under the generated-file header. Only
//! what depends on the API is generated with `quote!`.
//!
//! The names here are the ones the crate's own code uses in each namespace;
//! the plan reserves them before it names anything from the document, so an
//! operation called `authorize` or a security scheme called `retry` gets
//! another name instead of a collision. A test below reads the emitted code
//! and fails when a member is missing from these tables.

use proc_macro2::TokenStream;
use quote::quote;

use super::names;

/// `src/error.rs` before the operations' error enums: the crate's `Error`.
pub const ERROR_RS: &str = include_str!("../../runtime/error.rs");

/// `src/http.rs`: sending with retries, reading answers, encoding parameters.
pub const HTTP_RS: &str = include_str!("../../runtime/http.rs");

/// `src/object.rs`: the `json_object!` macro that declares each struct
/// with its serde impls, and what they call.
pub const OBJECT_RS: &str = include_str!("../../runtime/object.rs");

/// The macro in [`OBJECT_RS`] that each struct is declared in, with its
/// constructor, from `#[macro_use] mod object;`. In the syntax tree the
/// emitters pass on, such a struct is a plain `ItemStruct` marked with an
/// outer `#[json_object]`, followed by its `impl` with `new`, marked the
/// same way, so the feature gates and the public API read them like any
/// struct and impl; only the printer (`mod.rs`) turns the marks into
/// `json_object! { … }`.
pub const JSON_OBJECT: &str = "json_object";

/// Whether an item carries the `#[json_object]` mark (see [`JSON_OBJECT`]).
pub fn is_json_object(attrs: &[syn::Attribute]) -> bool {
    has_mark(attrs, JSON_OBJECT)
}

/// The macro in [`OBJECT_RS`] that each string enum is declared in. In the
/// syntax tree the emitters pass on, such an enum is an `ItemEnum` marked
/// with an outer `#[string_enum]`, its variants written `Variant = "value"`
/// as the macro takes them; [`string_enum_expansion`] gives what the macro
/// writes from it, for the public API, and the printer (`mod.rs`) turns the
/// mark into `string_enum! { … }`.
pub const STRING_ENUM: &str = "string_enum";

/// Whether an item carries the `#[string_enum]` mark (see [`STRING_ENUM`]).
pub fn is_string_enum(attrs: &[syn::Attribute]) -> bool {
    has_mark(attrs, STRING_ENUM)
}

/// What `string_enum!` writes from an enum marked `#[string_enum]`: the
/// enum with its values' variants and `Unknown(String)`, and its impls,
/// with empty bodies.
pub fn string_enum_expansion(declared: &syn::ItemEnum) -> Vec<syn::Item> {
    let mut written = declared.clone();
    written.attrs.retain(|attr| !attr.path().is_ident(STRING_ENUM));
    for variant in &mut written.variants {
        variant.discriminant = None;
    }
    TEMPLATES.with(|templates| {
        written.variants.push(templates.unknown_variant.clone());
        let name = named_type(declared.ident.clone());
        let mut items = vec![syn::Item::Enum(written)];
        items.extend(fill(&templates.string_enum, &[("__Enum", &name)]));
        items
    })
}

/// The macro in [`HTTP_RS`] that each request builder is declared in, from
/// `#[macro_use] mod http;`. In the syntax tree the emitters pass on, it is
/// a struct marked with an outer `#[request_builder]` with the required
/// parameters, followed (if there are optional parameters) by an `impl` of
/// their setters marked the same way, so the feature gates and the public
/// API read the setters like any impl; [`request_builder_expansion`] gives
/// the struct the macro declares from it, and the printer (`mod.rs`) prints
/// them inside `request_builder! { … }`, the setters as signatures (the
/// macro writes their bodies, and their fields).
pub const REQUEST_BUILDER: &str = "request_builder";

/// Whether an item carries the `#[request_builder]` mark (see [`REQUEST_BUILDER`]).
pub fn is_request_builder(attrs: &[syn::Attribute]) -> bool {
    has_mark(attrs, REQUEST_BUILDER)
}

/// The struct `request_builder!` declares from one marked
/// `#[request_builder]`: with its attributes and the client.
pub fn request_builder_expansion(declared: &syn::ItemStruct) -> syn::ItemStruct {
    let mut written = declared.clone();
    written.attrs.retain(|attr| !attr.path().is_ident(REQUEST_BUILDER));
    TEMPLATES.with(|templates| {
        written.attrs.extend(templates.builder_attrs.iter().cloned());
        if let syn::Fields::Named(fields) = &mut written.fields {
            fields.named.insert(0, templates.client_field.clone());
        }
    });
    written
}

/// Whether `attrs` has the outer `#[mark]` an emitter puts on an item the
/// printer declares in a runtime macro.
fn has_mark(attrs: &[syn::Attribute], mark: &str) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident(mark))
}

/// The macro in [`HTTP_RS`] that writes what every request builder shares
/// (`send`, `send_with_response`, `IntoFuture`), from
/// `#[macro_use] mod http;`: `impl_send!(CreateNonce, output: Nonce, error: CreateNonceError);`.
pub const IMPL_SEND: &str = "impl_send";

/// The macro in [`ERROR_RS`] that writes what every operation's error enum
/// shares (`From<Error>`, `std::error::Error`): `impl_operation_error!(CreateNonceError);`.
pub const IMPL_OPERATION_ERROR: &str = "impl_operation_error";

/// `impl_send!(builder, output: …, error: …);` (see [`IMPL_SEND`]).
pub fn impl_send(builder: &syn::Ident, output: &TokenStream, error: &TokenStream) -> TokenStream {
    let name = names::ident(IMPL_SEND);
    quote!(#name!(#builder, output: #output, error: #error);)
}

/// `impl_operation_error!(error);` (see [`IMPL_OPERATION_ERROR`]).
pub fn impl_operation_error(error: &syn::Ident) -> TokenStream {
    let name = names::ident(IMPL_OPERATION_ERROR);
    quote!(#name!(#error);)
}

/// The arguments of an `impl_send!`.
struct SendArguments {
    builder: syn::Ident,
    output: syn::Type,
    error: syn::Type,
}

impl syn::parse::Parse for SendArguments {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let builder = input.parse()?;
        let labelled = |label: &str| -> syn::Result<syn::Type> {
            input.parse::<syn::Token![,]>()?;
            let found: syn::Ident = input.parse()?;
            if found != label {
                return Err(syn::Error::new(found.span(), format!("expected `{label}:`")));
            }
            input.parse::<syn::Token![:]>()?;
            input.parse()
        };
        let output = labelled("output")?;
        let error = labelled("error")?;
        Ok(SendArguments { builder, output, error })
    }
}

/// An invocation of one of the runtime's macros, its arguments parsed.
enum Invocation {
    Send(Box<SendArguments>),
    OperationError(syn::Ident),
}

impl Invocation {
    /// `None` for any other macro.
    fn read(invocation: &syn::ItemMacro) -> Option<Invocation> {
        let path = &invocation.mac.path;
        if path.is_ident(IMPL_SEND) {
            invocation.mac.parse_body().ok().map(|arguments| Invocation::Send(Box::new(arguments)))
        } else if path.is_ident(IMPL_OPERATION_ERROR) {
            invocation.mac.parse_body().ok().map(Invocation::OperationError)
        } else {
            None
        }
    }
}

/// The type whose impls a runtime macro's invocation writes, which it
/// belongs with (for feature gates and tag modules); `None` for any other
/// macro.
pub fn macro_owner(invocation: &syn::ItemMacro) -> Option<String> {
    match Invocation::read(invocation)? {
        Invocation::Send(arguments) => Some(arguments.builder.to_string()),
        Invocation::OperationError(error) => Some(error.to_string()),
    }
}

/// A runtime macro's arguments in order, each a type with its label if it
/// has one (`output: T`), for the printer; `None` for any other macro.
pub fn macro_arguments(invocation: &syn::ItemMacro) -> Option<Vec<(Option<&'static str>, syn::Type)>> {
    Some(match Invocation::read(invocation)? {
        Invocation::Send(arguments) => {
            let SendArguments { builder, output, error } = *arguments;
            vec![(None, named_type(builder)), (Some("output"), output), (Some("error"), error)]
        }
        Invocation::OperationError(error) => vec![(None, named_type(error))],
    })
}

/// What a runtime macro's invocation writes, as items with the same
/// signatures and empty bodies: how the public API (and the tests) read
/// it. `None` for any other macro.
pub fn expansion(invocation: &syn::ItemMacro) -> Option<Vec<syn::Item>> {
    Some(match Invocation::read(invocation)? {
        Invocation::Send(arguments) => {
            let SendArguments { builder, output, error } = *arguments;
            let builder = named_type(builder);
            let fills = [("__Builder", &builder), ("__Output", &output), ("__Error", &error)];
            TEMPLATES.with(|templates| fill(&templates.send, &fills))
        }
        Invocation::OperationError(error) => {
            let error = named_type(error);
            TEMPLATES.with(|templates| fill(&templates.operation_error, &[("__Error", &error)]))
        }
    })
}

/// What the runtime's macros write, as [`expansion`],
/// [`string_enum_expansion`] and [`request_builder_expansion`] give it,
/// parsed once per thread with placeholder types (`__Builder`, `__Output`,
/// `__Error`, `__Enum`) that [`fill`] replaces: copying these costs far less
/// than quoting and parsing them for each of GitHub's 2,000 invocations.
struct Templates {
    send: Vec<syn::Item>,
    operation_error: Vec<syn::Item>,
    string_enum: Vec<syn::Item>,
    unknown_variant: syn::Variant,
    builder_attrs: Vec<syn::Attribute>,
    client_field: syn::Field,
}

thread_local! {
    // syn's trees are not `Sync`: one copy per thread.
    static TEMPLATES: Templates = Templates::new();
}

impl Templates {
    fn new() -> Templates {
        let unknown = names::ident(reserved::ENUM_VARIANTS[0]);
        Templates {
            send: vec![
                syn::parse_quote! {
                    impl<'a> __Builder<'a> {
                        pub async fn send(self) -> Result<__Output, __Error> {}
                        pub async fn send_with_response(self) -> Result<ResponseValue<__Output>, __Error> {}
                    }
                },
                syn::parse_quote! {
                    impl<'a> IntoFuture for __Builder<'a> {
                        type Output = Result<__Output, __Error>;
                        fn into_future(self) -> Self::IntoFuture {}
                    }
                },
            ],
            operation_error: vec![
                syn::parse_quote!(impl From<Error> for __Error {}),
                syn::parse_quote!(impl std::error::Error for __Error {}),
            ],
            string_enum: vec![
                syn::parse_quote! {
                    impl __Enum {
                        pub fn as_str(&self) -> &str {}
                    }
                },
                syn::parse_quote!(impl std::fmt::Display for __Enum {}),
                syn::parse_quote!(impl serde::Serialize for __Enum {}),
                syn::parse_quote!(
                    impl<'de> serde::Deserialize<'de> for __Enum {}
                ),
            ],
            unknown_variant: syn::parse_quote!(#unknown(String)),
            builder_attrs: vec![
                syn::parse_quote!(#[must_use = "a request does nothing until it is awaited"]),
                syn::parse_quote!(#[derive(Debug, Clone)]),
            ],
            client_field: syn::parse_quote!(client: &'a Client),
        }
    }
}

/// A type named by one identifier.
fn named_type(ident: syn::Ident) -> syn::Type {
    syn::Type::Path(syn::TypePath { qself: None, path: ident.into() })
}

/// Copies of `items` with each placeholder replaced by its type: in the
/// type an `impl` is for and in its members' signatures and types. A
/// placeholder with arguments (`__Builder<'a>`) keeps them.
fn fill(items: &[syn::Item], fills: &[(&str, &syn::Type)]) -> Vec<syn::Item> {
    let mut items = items.to_vec();
    for item in &mut items {
        let syn::Item::Impl(block) = item else { continue };
        fill_type(&mut block.self_ty, fills);
        for member in &mut block.items {
            match member {
                syn::ImplItem::Fn(function) => {
                    if let syn::ReturnType::Type(_, ty) = &mut function.sig.output {
                        fill_type(ty, fills);
                    }
                    for input in &mut function.sig.inputs {
                        if let syn::FnArg::Typed(typed) = input {
                            fill_type(&mut typed.ty, fills);
                        }
                    }
                }
                syn::ImplItem::Type(assoc) => fill_type(&mut assoc.ty, fills),
                _ => {}
            }
        }
    }
    items
}

fn fill_type(ty: &mut syn::Type, fills: &[(&str, &syn::Type)]) {
    let syn::Type::Path(path) = ty else {
        if let syn::Type::Reference(reference) = ty {
            fill_type(&mut reference.elem, fills);
        }
        return;
    };
    let filled = match path.path.segments.first() {
        Some(segment) if path.path.segments.len() == 1 && path.qself.is_none() => {
            fills.iter().find(|(placeholder, _)| segment.ident == *placeholder).map(|(_, filled)| *filled)
        }
        _ => None,
    };
    match filled {
        // `__Output`: the whole type.
        Some(filled) if path.path.segments[0].arguments.is_none() => *ty = filled.clone(),
        // `__Builder<'a>`: the name replaced, the arguments kept.
        Some(syn::Type::Path(named)) => {
            if let Some(name) = named.path.get_ident() {
                path.path.segments[0].ident = name.clone();
            }
        }
        Some(_) => {}
        None => {
            for segment in &mut path.path.segments {
                if let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments {
                    for argument in &mut arguments.args {
                        if let syn::GenericArgument::Type(inner) = argument {
                            fill_type(inner, fills);
                        }
                    }
                }
            }
        }
    }
}

/// The runtime's files by their path in the crate, with `object.rs`
/// when some type is declared in its macros.
pub fn files(with_object: bool) -> impl Iterator<Item = (&'static str, &'static str)> {
    let object = with_object.then_some(("src/object.rs", OBJECT_RS));
    [("src/error.rs", ERROR_RS), ("src/http.rs", HTTP_RS), ("src/retry.rs", RETRY_RS), ("src/tls.rs", TLS_RS)]
        .into_iter()
        .chain(object)
}

/// `src/retry.rs`: `RetryPolicy`.
pub const RETRY_RS: &str = include_str!("../../runtime/retry.rs");

/// `src/tls.rs`: TLS for the crate's own `reqwest::Client` (rustls on
/// `ring` by default).
pub const TLS_RS: &str = include_str!("../../runtime/tls.rs");

/// The crates generated code names by path (`reqwest::Method`).
pub const DEPENDENCIES: &[&str] = &["serde", "serde_json", "reqwest", "reqwest_middleware", "rustls", "tokio"];

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
    pub const CLIENT_METHODS: &[&str] =
        &["new", "builder", "http_builder", "base_url", "request", "authorize", "execute", "execute_boxed"];

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
        "root_certificates",
        "build",
        "http",
        "middleware",
    ];

    /// Fields and methods of every request builder besides its parameters
    /// (`new` is `request_builder!`'s, which the `Client` method calls).
    pub const REQUEST_BUILDER_MEMBERS: &[&str] =
        &["client", "body", "new", "send", "send_with_response", "into_future", "into_request", "read_answer"];

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
    fn members(file: &syn::File, type_name: &str, fields: bool) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for item in &expanded(file) {
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

    /// The file's items, with each runtime macro's as the items it writes.
    fn expanded(file: &syn::File) -> Vec<syn::Item> {
        let mut items = Vec::new();
        for item in &file.items {
            match item {
                syn::Item::Macro(invocation) => items.extend(super::expansion(invocation).unwrap_or_default()),
                other => items.push(other.clone()),
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
        let client = parsed("rust/src/client.rs");
        let client_methods = members(&client, "Client", false);
        assert!(client_methods.contains("execute"), "{client_methods:?}");
        assert_eq!(missing(client_methods, &[], reserved::CLIENT_METHODS), Vec::<String>::new(), "Client");

        // The schemes' setters and fields come from the document.
        let builder = members(&client, "ClientBuilder", true);
        assert!(builder.contains("no_retries") && builder.contains("http"), "{builder:?}");
        assert_eq!(missing(builder, &["token", "login"], reserved::CLIENT_BUILDER_MEMBERS), Vec::<String>::new());

        let requests = parsed("rust/src/requests.rs");
        let mut request_builder = members(&requests, "GetItem", true);
        for block in expanded(&requests).iter().filter_map(|item| match item {
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

    #[test]
    fn the_struct_macro_is_the_one_object_rs_defines() {
        assert!(super::OBJECT_RS.contains(&format!("macro_rules! {} {{", super::JSON_OBJECT)));
        let marked: syn::ItemStruct = syn::parse_quote! {
            /// A pet.
            #[json_object]
            pub struct Pet {
                #[json("name", required)]
                pub name: String,
            }
        };
        assert!(super::is_json_object(&marked.attrs));
        let plain: syn::ItemStruct = syn::parse_quote!(
            pub struct Pet {}
        );
        assert!(!super::is_json_object(&plain.attrs));
    }

    /// `expansion` stands for what the runtime's macros write, for the
    /// public API: each signature it gives must be one the macro writes.
    #[test]
    fn the_expansions_are_what_the_runtime_macros_write() {
        assert!(super::HTTP_RS.contains(&format!("macro_rules! {} {{", super::IMPL_SEND)));
        assert!(super::ERROR_RS.contains(&format!("macro_rules! {} {{", super::IMPL_OPERATION_ERROR)));
        let send: syn::ItemMacro = syn::parse_quote!(impl_send!(GetItem, output: crate::Item, error: GetItemError););
        assert_eq!(super::macro_owner(&send).as_deref(), Some("GetItem"));
        let written = super::expansion(&send).expect("impl_send! expands");
        let text: Vec<String> = written.iter().map(|item| quote::ToTokens::to_token_stream(item).to_string()).collect();
        for (claimed, in_the_macro) in [
            (
                "pub async fn send (self) -> Result < crate :: Item , GetItemError >",
                "pub async fn send(self) -> ::core::result::Result<$output, $error>",
            ),
            (
                "pub async fn send_with_response (self) -> Result < ResponseValue < crate :: Item > , GetItemError >",
                "pub async fn send_with_response(self) -> ::core::result::Result<$crate::ResponseValue<$output>, $error>",
            ),
            ("impl < 'a > IntoFuture for GetItem < 'a >", "impl<'a> ::std::future::IntoFuture for $builder<'a>"),
            (
                "type Output = Result < crate :: Item , GetItemError >",
                "type Output = ::core::result::Result<$output, $error>;",
            ),
        ] {
            assert!(text.iter().any(|item| item.contains(claimed)), "{claimed} in {text:?}");
            assert!(super::HTTP_RS.contains(in_the_macro), "{in_the_macro}");
        }

        let error: syn::ItemMacro = syn::parse_quote!(impl_operation_error!(GetItemError););
        assert_eq!(super::macro_owner(&error).as_deref(), Some("GetItemError"));
        let written = super::expansion(&error).expect("impl_operation_error! expands");
        assert_eq!(written.len(), 2);
        assert!(super::ERROR_RS.contains("impl ::core::convert::From<$crate::Error> for $error {"));
        assert!(super::ERROR_RS.contains("impl ::std::error::Error for $error {"));

        assert!(super::OBJECT_RS.contains(&format!("macro_rules! {} {{", super::STRING_ENUM)));
        let marked: syn::ItemEnum = syn::parse_quote! {
            #[string_enum]
            pub enum Status {
                OnHold = "on hold",
            }
        };
        assert!(super::is_string_enum(&marked.attrs));
        let written = super::string_enum_expansion(&marked);
        let text: Vec<String> = written.iter().map(|item| quote::ToTokens::to_token_stream(item).to_string()).collect();
        for (claimed, in_the_macro) in [
            ("pub enum Status { OnHold , Unknown (String) }", "Unknown(::std::string::String),"),
            ("pub fn as_str (& self) -> & str", "pub fn as_str(&self) -> &str"),
            ("impl std :: fmt :: Display for Status", "impl ::std::fmt::Display for $name"),
            ("impl serde :: Serialize for Status", "impl ::serde::Serialize for $name"),
            ("impl < 'de > serde :: Deserialize < 'de > for Status", "impl<'de> ::serde::Deserialize<'de> for $name"),
        ] {
            assert!(text.iter().any(|item| item.contains(claimed)), "{claimed} in {text:?}");
            assert!(super::OBJECT_RS.contains(in_the_macro), "{in_the_macro}");
        }
        assert_eq!(text.len(), 5, "the enum and four impls: {text:?}");

        assert!(super::HTTP_RS.contains(&format!("macro_rules! {} {{", super::REQUEST_BUILDER)));
        let marked: syn::ItemStruct = syn::parse_quote! {
            #[request_builder]
            pub struct GetItem<'a> {
                id: i64,
            }
        };
        assert!(super::is_request_builder(&marked.attrs));
        let written = quote::ToTokens::to_token_stream(&super::request_builder_expansion(&marked)).to_string();
        for (claimed, in_the_macro) in [
            (
                "# [must_use = \"a request does nothing until it is awaited\"]",
                "#[must_use = \"a request does nothing until it is awaited\"]",
            ),
            ("# [derive (Debug , Clone)]", "#[derive(::core::fmt::Debug, ::core::clone::Clone)]"),
            ("pub struct GetItem < 'a > { client : & 'a Client , id : i64 , }", "client: &'a $crate::Client,"),
        ] {
            assert!(written.contains(claimed), "{claimed} in {written}");
            assert!(super::HTTP_RS.contains(in_the_macro), "{in_the_macro}");
        }
        assert!(!written.contains("request_builder"), "{written}");

        let other: syn::ItemMacro = syn::parse_quote!(println!("hello"););
        assert_eq!(super::macro_owner(&other), None);
        assert!(super::expansion(&other).is_none());
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
        for text in [super::ERROR_RS, super::HTTP_RS, super::OBJECT_RS] {
            let file = syn::parse_file(text).expect("the runtime parses");
            for item in &file.items {
                let syn::Item::Macro(definition) = item else { continue };
                if !definition.mac.path.is_ident("macro_rules") {
                    continue;
                }
                macros += 1;
                let mut unqualified = Vec::new();
                unqualified_names(definition.mac.tokens.clone(), &mut false, &mut unqualified);
                unqualified.retain(|name| prelude.contains(name.as_str()) || also.contains(&name.as_str()));
                assert_eq!(unqualified, Vec::<String>::new(), "in macro_rules! {:?}", definition.ident);
            }
        }
        assert_eq!(macros, 5);
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
