//! `mock.rs` (the `mock` feature): a `MockApi` method per operation that
//! makes its typed mock (the runtime's `mock/server.rs`), and a client
//! pointed at the mock.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{decode_tokens, type_tokens};
use crate::ir::{AuthKind, BodyEncoding, StatusMatch};
use crate::rust::names;
use crate::rust::plan::{Decode, OperationPlan, Plan, StatusVariant, Success};

pub fn mock_rs(plan: &Plan) -> TokenStream {
    if !plan.mocks() {
        return TokenStream::new();
    }
    let api = super::docs::from_document(&plan.api.title);
    let mut text = format!(
        "Test doubles of the {api} API, for the code that calls it (the `mock` feature): \
         [`MockApi`] is a local HTTP server that answers each operation the way a test says, \
         with this crate's own types, and [`MockApi::client`] a client pointed at it."
    );
    if let Some(example) = super::example::mock_example(plan) {
        text.push_str(&format!("\n\n# Example\n\n```\n{example}```"));
    }
    let module_docs = super::docs::inner(&text);
    let base_path = base_path(plan);
    let client = client(plan, &base_path);
    let methods = plan.operations.iter().map(|op| operation(plan, op, &base_path));
    quote! {
        #module_docs

        mod server;

        pub use server::{MockApi, Mocked, Mocking, NoDocumentedError, NoJsonBody, Received};
        use server::Answer;

        impl MockApi {
            #client
            #(#methods)*
        }
    }
}

/// The path of the default server's URL, which every operation's path is
/// under: `/v1` for `https://api.example.com/v1`, nothing for a host.
fn base_path(plan: &Plan) -> String {
    let url = plan.api.default_server().unwrap_or("");
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
        None if url.starts_with('/') => url,
        None => "",
    };
    path.trim_end_matches('/').to_owned()
}

fn client(plan: &Plan, base_path: &str) -> TokenStream {
    let key = plan.single_key().is_some().then(|| quote!("mock-api-key"));
    let credentials = plan.schemes.first().filter(|_| key.is_none()).map(|scheme| {
        let setter = names::ident(&scheme.field);
        match scheme.scheme.kind {
            AuthKind::Basic => quote!(.#setter("mock-user", "mock-password")),
            _ if scheme.tokens.is_some() => quote!(),
            _ => quote!(.#setter("mock-credential")),
        }
    });
    let doc = format!(
        " A builder of a client of this mock: its base URL is the mock's{}, with made-up credentials; \
         set a retry policy or timeouts on it.",
        if base_path.is_empty() { String::new() } else { format!(" and `{base_path}`") }
    );
    let base_url = match base_path {
        "" => quote!(self.url()),
        path => quote!(format!("{}{}", self.url(), #path)),
    };
    quote! {
        #[doc = #doc]
        pub fn client_builder(&self) -> crate::ClientBuilder {
            crate::Client::builder(#key)
                #credentials
                .base_url(#base_url)
        }

        /// A client of this mock, as [`MockApi::client_builder`] makes it.
        pub fn client(&self) -> crate::Client {
            self.client_builder().build().expect("a client of the local mock builds")
        }
    }
}

fn operation(plan: &Plan, op: &OperationPlan, base_path: &str) -> TokenStream {
    let method = names::ident(&op.mock_method);
    let cfg = plan.features.cfg_of(&format!("Client::{}", op.method));
    let body = match &op.body {
        Some(body) if body.body.encoding == BodyEncoding::Json => type_tokens(plan, &body.body.ty),
        _ => quote!(NoJsonBody),
    };
    let (answer_type, answer) = success(plan, op);
    let (error_type, failure) = match &op.error {
        Some(error) => {
            let name = names::ident(&error.name);
            let arms = error.variants.iter().map(|variant| {
                let (pattern, written) = answer_arm(quote!(crate::#name), variant);
                quote!(#pattern => Some(#written),)
            });
            (quote!(crate::#name), quote!(|error| match error { #(#arms)* crate::#name::Other(_) => None }))
        }
        None => (quote!(NoDocumentedError), quote!(|error| match *error {})),
    };
    let http_method = op.op.method.as_str();
    let template = format!("{base_path}{}", op.op.path.template);
    let doc = format!(" Mocks [`Client::{}`](crate::Client::{0}): `{http_method} {}`.", op.method, op.op.path.template);
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #method(&self) -> Mocking<'_, #body, #answer_type, #error_type> {
            self.operation(#http_method, #template, #answer, #failure)
        }
    }
}

/// What an operation's mock answers with on success, and how it is written.
fn success(plan: &Plan, op: &OperationPlan) -> (TokenStream, TokenStream) {
    if let Some(stream) = op.stream {
        let status = status_literal(first_success_status(op));
        let media_type = stream.media_type.as_str();
        return (quote!(Vec<u8>), quote!(|value| Answer::raw(#status, value, #media_type)));
    }
    match &op.success {
        Success::One(decode) => {
            let status = status_literal(first_success_status(op));
            let written = answer_of(decode, quote!(#status), quote!(value));
            let ty = decode_tokens(plan, decode);
            let value = if *decode == Decode::Nothing { quote!(_) } else { quote!(value) };
            (ty, quote!(|#value| #written))
        }
        Success::Enum { name, variants } => {
            let name = names::ident(name);
            let arms = variants.iter().map(|variant| {
                let (pattern, written) = answer_arm(quote!(crate::#name), variant);
                quote!(#pattern => #written,)
            });
            (quote!(crate::#name), quote!(|value| match value { #(#arms)* }))
        }
    }
}

/// A variant's pattern (binding its `body`, and `status` where the variant
/// holds it) and the answer written from what it binds.
fn answer_arm(enum_path: TokenStream, variant: &StatusVariant) -> (TokenStream, TokenStream) {
    let ident = names::ident(&variant.name);
    // A variant without its own `status` is for one documented code.
    let code = match variant.status {
        StatusMatch::Code(code) => status_literal(code),
        _ => quote!(*status),
    };
    let pattern = match (&variant.decode, variant.carries_status()) {
        (Decode::Nothing, false) => quote!(#enum_path::#ident),
        (_, false) => quote!(#enum_path::#ident(body)),
        (Decode::Nothing, true) => quote!(#enum_path::#ident { status }),
        (_, true) => quote!(#enum_path::#ident { status, body }),
    };
    (pattern, answer_of(&variant.decode, code, quote!(body)))
}

fn answer_of(decode: &Decode, status: TokenStream, value: TokenStream) -> TokenStream {
    match decode {
        Decode::Nothing => quote!(Answer::empty(#status)),
        Decode::Json(_) => quote!(Answer::json(#status, #value)),
        Decode::Text => quote!(Answer::raw(#status, #value.as_bytes(), "text/plain; charset=utf-8")),
        Decode::Bytes => quote!(Answer::raw(#status, #value, "application/octet-stream")),
    }
}

/// A status code as generated code writes it: `201`, not `201u16`.
fn status_literal(code: u16) -> TokenStream {
    let code = proc_macro2::Literal::u16_unsuffixed(code);
    quote!(#code)
}

/// The status a success is answered with: the first documented one.
fn first_success_status(op: &OperationPlan) -> u16 {
    let statuses = op.op.responses.iter().map(|response| response.status).filter(|status| status.is_success());
    match statuses.into_iter().next() {
        Some(StatusMatch::Code(code)) => code,
        Some(StatusMatch::Range(class)) => class * 100,
        _ => 200,
    }
}
