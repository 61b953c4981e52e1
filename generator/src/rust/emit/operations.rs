//! `requests.rs`: one `Client` method per operation, returning a request
//! builder that sends itself when awaited.
//!
//! Required parameters are method arguments; optional ones are builder
//! methods, so a new optional parameter in the API never breaks callers.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::docs;
use super::item::{self, ImplSend, Item, Method, RequestBuilder};
use super::tokens::{decode_tokens, type_tokens};
use crate::ir::*;
use crate::rust::names;
use crate::rust::plan::{Decode, OperationPlan, ParamPlan, Plan, StatusVariant, Success};

/// The start of `requests.rs`: imports and one `Client` method per
/// operation; [`request_part`] gives the rest, one operation at a time.
pub fn requests_head(plan: &Plan) -> TokenStream {
    let methods = plan.operations.iter().map(|op| client_method(plan, op));
    // The crate-root names requests use, in name order.
    let mut imports: Vec<&str> =
        plan.operations.iter().filter_map(|op| op.error.as_ref().map(|e| e.name.as_str())).collect();
    imports.push("Client");
    imports.sort_unstable();
    let imports = imports.into_iter().map(names::ident);
    let helpers = helpers(plan).into_iter().map(names::ident);
    // `http` itself for `http::Answer`, which `read_answer` reads.
    let helpers = (!plan.operations.is_empty()).then(|| quote!(use crate::http::{self #(, #helpers)*};));
    quote! {
        //! Request builders: what each `Client` method returns. Await one to send it.

        #helpers
        use crate::{#(#imports),*};

        impl Client {
            #(#methods)*
        }
    }
}

/// How many parts [`request_part`] has: one per operation.
pub fn request_parts(plan: &Plan) -> usize {
    plan.operations.len()
}

/// `plan.operations[index]`'s request builder and what it returns.
pub fn request_part(plan: &Plan, index: usize) -> syn::Result<Vec<Item>> {
    plan.operations.get(index).map_or(Ok(Vec::new()), |op| request_builder(plan, op))
}

/// How a parameter is taken and turned into text.
struct ParamShape {
    /// The argument and field type.
    ty: TokenStream,
    /// `value` as a `String` for the wire.
    to_text: fn(&TokenStream) -> TokenStream,
    /// Sent as repeated `name=value` pairs (or joined, without `explode`).
    list: bool,
}

fn param_shape(plan: &Plan, ty: &TypeRef) -> ParamShape {
    match ty {
        // A parameter's items are sent as text, where `null` has no spelling.
        TypeRef::Nullable(inner) => param_shape(plan, inner),
        TypeRef::String(_) => ParamShape { ty: quote!(&'a str), to_text: |v| quote!(#v.to_string()), list: false },
        TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => {
            ParamShape { ty: type_tokens(plan, ty), to_text: |v| quote!(#v.to_string()), list: false }
        }
        TypeRef::Named(index) if plan.is_string_enum(*index) => ParamShape {
            ty: {
                let t = type_tokens(plan, ty);
                quote!(&'a #t)
            },
            to_text: |v| quote!(#v.as_str().to_owned()),
            list: false,
        },
        TypeRef::Array(item) => {
            let item = param_shape(plan, item);
            let item_ty = item.ty;
            // Arrays of arrays have no style in OpenAPI: each inner array
            // travels as JSON text (`["a","b"]`), as lowering warns.
            let to_text = if item.list {
                |v: &TokenStream| quote!(serde_json::to_string(#v).unwrap_or_default())
            } else {
                item.to_text
            };
            ParamShape { ty: quote!(&'a [#item_ty]), to_text, list: true }
        }
        // Objects and free-form values travel as JSON text.
        _ => {
            let t = type_tokens(plan, ty);
            ParamShape {
                ty: quote!(&'a #t),
                to_text: |v| quote!(serde_json::to_string(#v).unwrap_or_default()),
                list: false,
            }
        }
    }
}

/// A parameter's value as one string: lists joined with commas (the
/// `simple` style of path and header parameters, and cookies).
fn single_text(plan: &Plan, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    let shape = param_shape(plan, ty);
    if shape.list {
        let item = (shape.to_text)(&quote!(item));
        quote!(#value.iter().map(|item| #item).collect::<Vec<_>>().join(","))
    } else {
        (shape.to_text)(value)
    }
}

fn body_type(plan: &Plan, body: &RequestBody) -> TokenStream {
    match (body.encoding, &body.ty) {
        (BodyEncoding::Json, TypeRef::String(_)) | (BodyEncoding::Text, _) => quote!(&'a str),
        (BodyEncoding::Bytes, _) => quote!(crate::stream::Upload),
        (BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart, ty) => {
            let ty = type_tokens(plan, ty);
            quote!(&'a #ty)
        }
    }
}

fn client_method(plan: &Plan, op: &OperationPlan) -> TokenStream {
    let method = names::ident(&op.method);
    let builder = names::ident(&op.builder);
    let mut args = Vec::new();
    let mut fields = Vec::new();
    for param in &op.params {
        let ident = names::ident(&param.name);
        if param.required {
            let ty = param_shape(plan, &param.param.ty).ty;
            args.push(quote!(#ident: #ty));
            fields.push(quote!(#ident));
        } else {
            fields.push(quote!(#ident: None));
        }
    }
    if let Some(body) = &op.body {
        if body.required && body.body.encoding == BodyEncoding::Bytes {
            args.push(quote!(body: impl Into<crate::stream::Upload>));
            fields.push(quote!(body: body.into()));
        } else if body.required {
            let ty = body_type(plan, body.body);
            args.push(quote!(body: #ty));
            fields.push(quote!(body));
        } else {
            fields.push(quote!(body: None));
        }
    }
    if op.resumes {
        fields.push(quote!(last_event_id: None));
    }
    let doc = docs::outer(&method_docs(plan, op));
    let deprecated = op.op.deprecated.then(|| quote!(#[deprecated]));
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #deprecated
        #too_many
        pub fn #method<'a>(&'a self #(, #args)*) -> #builder<'a> {
            #builder { client: self #(, #fields)* }
        }
    }
}

fn method_docs(plan: &Plan, op: &OperationPlan) -> String {
    let o = op.op;
    let sends = format!("Sends `{} {}`.", o.method.as_str(), o.path.template);
    let mut text = docs::paragraphs([o.summary.as_deref(), o.description.as_deref(), Some(&sends)]);
    if let Some(paging) = o.paging.as_ref().filter(|_| super::paging::is_paged(plan, op)) {
        text.push_str(&format!(
            "\n\nThe list comes a page at a time, as {} says: [`items`]({builder}::items) reads \
             every item of every page and [`pages`]({builder}::pages) every page; awaiting the \
             request reads the first.",
            paging.declared_by,
            builder = op.builder
        ));
    }
    let optional: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("[`{}`]({}::{})", p.name, op.builder, p.name))
        .collect();
    if !optional.is_empty() || op.body.as_ref().is_some_and(|b| !b.required) {
        text.push_str("\n\nOptional: ");
        let mut all = optional;
        if op.body.as_ref().is_some_and(|b| !b.required) {
            all.push(format!("[`body`]({}::body)", op.builder));
        }
        text.push_str(&all.join(", "));
        text.push('.');
    }
    if let Some(error) = &op.error {
        text.push_str(&format!(
            "\n\n# Errors\n\n[`{}`](crate::{}) for each documented error status:",
            error.name, error.name
        ));
        for variant in &error.variants {
            text.push_str(&format!(
                "\n- `{}`: {}",
                variant.status.title(),
                variant.description.trim().replace('\n', " ")
            ));
        }
    }
    text
}

fn request_builder(plan: &Plan, op: &OperationPlan) -> syn::Result<Vec<Item>> {
    let builder = names::ident(&op.builder);
    let o = op.op;
    let doc = format!(
        " A `{} {}` request, sent when awaited. Made by [`Client::{}`].",
        o.method.as_str(),
        o.path.template,
        op.method
    );

    let mut fields = Vec::new();
    let mut optional = Vec::new();
    let mut setters = Vec::new();
    for param in &op.params {
        let ident = names::ident(&param.name);
        let ty = param_shape(plan, &param.param.ty).ty;
        if param.required {
            fields.push(quote!(#ident: #ty,));
        } else {
            optional.push(quote!(#ident: Option<#ty>,));
            let filled = param.idempotency_key.then_some(
                "Without it, the client sends a new random key, the same on each retry of the call; \
                 with a key the call is retried like a `PUT` (see [`RetryPolicy`](crate::RetryPolicy)).",
            );
            let setter_doc = docs::outer(&docs::paragraphs([
                param.param.description.as_deref(),
                Some(&format!("Sent as the `{}` {} parameter.", param.param.name, param.param.location.as_str())),
                filled,
            ]));
            let deprecated = param.param.deprecated.then(|| quote!(#[deprecated]));
            setters.push(Method::parse(quote! {
                #setter_doc
                #deprecated
                fn #ident(mut self, #ident: #ty) -> Self;
            })?);
        }
    }
    if let Some(body) = &op.body {
        let ty = body_type(plan, body.body);
        if body.required {
            fields.push(quote!(body: #ty,));
        } else {
            optional.push(quote!(body: Option<#ty>,));
            let setter_doc = docs::outer(body.body.description.as_deref().unwrap_or("The request body."));
            // Bytes, a file or a stream: whatever converts into an upload.
            let takes = match body.body.encoding {
                BodyEncoding::Bytes => quote!(impl Into<#ty>),
                _ => ty,
            };
            setters.push(Method::parse(quote! {
                #setter_doc
                fn body(mut self, body: #takes) -> Self;
            })?);
        }
    }
    if op.resumes {
        optional.push(quote!(last_event_id: Option<&'a str>,));
        setters.push(Method::parse(quote! {
            /// Resumes a stream of events after the event with this id, for a reconnection:
            /// sent as the `Last-Event-ID` header ([`Events::last_event_id`](crate::stream::Events::last_event_id)
            /// is the last one read).
            fn last_event_id(mut self, last_event_id: &'a str) -> Self;
        })?);
    }

    let (output, error_ty) = output_types(plan, op);
    let into_request = into_request(plan, op);
    let read_answer = read_answer(op);
    let response_enum = response_enum(plan, op);
    // `request_builder!` writes each setter's body.
    let declared = syn::parse2(quote! {
        #[doc = #doc]
        #[must_use = "a request does nothing until it is awaited"]
        #[derive(Debug, Clone)]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields)*
            #(#optional)*
        }
    })?;
    let mut items = vec![Item::RequestBuilder(Box::new(RequestBuilder { item: declared, setters }))];
    items.extend(item::plain(quote! {
        // What `impl_send!` calls, documented there once rather than in
        // every operation: the request, and the value or the error each
        // documented status stands for.
        impl<'a> #builder<'a> {
            fn into_request(self) -> Result<reqwest::RequestBuilder, crate::Error> {
                #into_request
            }

            fn read_answer(answer: &http::Answer) -> Result<#output, #error_ty> {
                #read_answer
            }
        }
    })?);
    // A success that streams: `open` makes its stream, which `send` returns.
    let opened = op.stream.and_then(|body| Some((body, body.stream.as_ref()?)));
    let output = match opened {
        Some((body, stream)) => {
            let (stream_type, open) = open_stream(plan, body, stream);
            // Events are as long as the server makes them, and bytes go where
            // the caller writes them; the limit is for lines of JSON.
            let max_item = match stream.format {
                StreamFormat::Events | StreamFormat::Bytes => quote!(_max_item),
                StreamFormat::JsonLines | StreamFormat::JsonSequence => quote!(max_item),
            };
            items.extend(item::plain(quote! {
                impl<'a> #builder<'a> {
                    fn open(response: reqwest::Response, #max_item: u64) -> #stream_type {
                        #open
                    }
                }
            })?);
            stream_type
        }
        None => output,
    };
    // `pages()` and `items()`, for a list that pages.
    let paging = super::paging::paging_items(plan, op, &output)?;
    // `send`, `send_with_response` and `IntoFuture`, the same for every builder.
    let (output, error) = (syn::parse2(output)?, syn::parse2(error_ty)?);
    let stream = opened.is_some();
    items.push(Item::ImplSend(Box::new(ImplSend { builder, stream, output, error, attrs: Vec::new() })));
    items.extend(paging);
    items.extend(item::plain(response_enum)?);
    Ok(items)
}

/// The stream a success body is read as, and the code that opens it
/// (`response` and `max_item` in scope).
fn open_stream(plan: &Plan, body: &ResponseBody, stream: &Stream) -> (TokenStream, TokenStream) {
    let text = stream.format == StreamFormat::Events && matches!(body.ty, TypeRef::String(_));
    let (item, decode) = if text {
        (quote!(String), quote!(crate::stream::text))
    } else {
        (type_tokens(plan, &body.ty), quote!(crate::stream::json))
    };
    match stream.format {
        StreamFormat::Events => {
            let sentinel = match &stream.sentinel {
                Some(sentinel) => quote!(Some(#sentinel)),
                None => quote!(None),
            };
            (quote!(crate::stream::Events<#item>), quote!(crate::stream::Events::new(response, #decode, #sentinel)))
        }
        StreamFormat::Bytes => (quote!(crate::stream::ByteStream), quote!(crate::stream::ByteStream::new(response))),
        StreamFormat::JsonLines | StreamFormat::JsonSequence => {
            let separator = match stream.format {
                StreamFormat::JsonSequence => quote!(crate::stream::Separator::Record),
                _ => quote!(crate::stream::Separator::Line),
            };
            (
                quote!(crate::stream::JsonLines<#item>),
                quote!(crate::stream::JsonLines::new(response, #decode, #separator, max_item)),
            )
        }
    }
}

fn output_types(plan: &Plan, op: &OperationPlan) -> (TokenStream, TokenStream) {
    let output = match &op.success {
        Success::One(decode) => decode_tokens(plan, decode),
        Success::Enum { name, .. } => {
            let name = names::ident(name);
            quote!(#name)
        }
    };
    let error = match &op.error {
        Some(error) => {
            let name = names::ident(&error.name);
            quote!(#name)
        }
        None => quote!(crate::Error),
    };
    (output, error)
}

/// The body of `into_request`: path, query, authorization, headers,
/// cookies and body.
fn into_request(plan: &Plan, op: &OperationPlan) -> TokenStream {
    let o = op.op;
    // Named in the errors for values that can't be sent as given.
    let operation = &op.method;
    let mut statements = Vec::new();

    // The path, with each parameter percent-encoded.
    let mut format = String::new();
    let mut format_args: Vec<proc_macro2::Ident> = Vec::new();
    for part in &o.path.parts {
        match part {
            PathPart::Literal(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Parameter(name) => {
                let param = op.params.iter().find(|p| p.param.location == ParamLocation::Path && &p.param.name == name);
                if let Some(param) = param {
                    let ident = names::ident(&param.name);
                    let text = match param.param.ty {
                        TypeRef::String(_) => quote!(self.#ident),
                        TypeRef::Named(index) if plan.is_string_enum(index) => quote!(self.#ident.as_str()),
                        _ => {
                            let value = quote!(self.#ident);
                            let text = single_text(plan, &param.param.ty, &value);
                            quote!(&#text)
                        }
                    };
                    // A local named like the parameter, inlined into the format string.
                    format.push_str(&format!("{{{}}}", param.local));
                    let local = names::ident(&param.local);
                    // A parameter may appear twice in a template; bind it once.
                    if !format_args.contains(&local) {
                        let wire = &param.param.name;
                        statements.push(quote!(let #local = path_parameter(#operation, #wire, #text)?;));
                        format_args.push(local);
                    }
                }
            }
        }
    }
    let path = if format_args.is_empty() {
        quote!(#format)
    } else {
        statements.push(quote!(let path = format!(#format);));
        quote!(&path)
    };

    let query_params: Vec<_> = op.params.iter().filter(|p| p.param.location == ParamLocation::Query).collect();
    let query = if query_params.is_empty() {
        quote!(&[])
    } else {
        statements.push(quote!(let mut query: Vec<(String, String)> = Vec::new();));
        for param in query_params {
            let push = query_push(plan, param);
            statements.push(push);
        }
        quote!(&query)
    };
    let method = match o.method {
        crate::ir::Method::Query | crate::ir::Method::Other(_) => {
            let name = proc_macro2::Literal::byte_string(o.method.as_str().as_bytes());
            let expect = format!("{} is a method token", o.method.as_str());
            quote!(reqwest::Method::from_bytes(#name).expect(#expect))
        }
        _ => {
            let constant = names::ident(o.method.as_str());
            quote!(reqwest::Method::#constant)
        }
    };
    statements.push(quote!(let request = self.client.request(#method, #path, #query);));
    let accepted = super::auth::accepted(plan, &op.security);
    if !accepted.is_empty() {
        statements.push(quote!(let request = self.client.authorize(request, &[#(#accepted),*]);));
    }
    for param in op.params.iter().filter(|p| p.param.location == ParamLocation::Header) {
        let ident = names::ident(&param.name);
        let wire = &param.param.name;
        let value = quote!(value);
        let text = match param.param.ty {
            TypeRef::String(_) => value,
            _ => {
                let text = single_text(plan, &param.param.ty, &value);
                quote!(&#text)
            }
        };
        if param.idempotency_key {
            // One key per call, the same on every retry (the retries resend
            // this request); a request carrying one may be sent again.
            statements.push(quote! {
                let request = match self.#ident {
                    Some(value) => request.header(#wire, header_value(#operation, #wire, value)?),
                    None => request.header(#wire, idempotency_key()),
                };
            });
        } else if param.required {
            statements.push(quote! {
                let request = { let value = self.#ident; request.header(#wire, header_value(#operation, #wire, #text)?) };
            });
        } else {
            statements.push(quote! {
                let request = match self.#ident {
                    Some(value) => request.header(#wire, header_value(#operation, #wire, #text)?),
                    None => request,
                };
            });
        }
    }
    if op.resumes {
        statements.push(quote! {
            let request = match self.last_event_id {
                Some(value) => request.header("last-event-id", header_value(#operation, "Last-Event-ID", value)?),
                None => request,
            };
        });
    }
    let cookies: Vec<_> = op.params.iter().filter(|p| p.param.location == ParamLocation::Cookie).collect();
    if !cookies.is_empty() {
        statements.push(quote!(let mut cookies: Vec<String> = Vec::new();));
        for param in cookies {
            let ident = names::ident(&param.name);
            let wire = &param.param.name;
            let value = quote!(value);
            let text = single_text(plan, &param.param.ty, &value);
            // `name=value`: the wire name (a token, checked when the document
            // is read) is text, the value is percent-encoded.
            let format = format!("{wire}={{}}");
            let format_call = if matches!(param.param.ty, TypeRef::String(_)) {
                quote!(format!(#format, cookie_value(value)))
            } else {
                quote!(format!(#format, cookie_value(&#text)))
            };
            if param.required {
                statements.push(quote!({ let value = self.#ident; cookies.push(#format_call); }));
            } else {
                statements.push(quote!(if let Some(value) = self.#ident { cookies.push(#format_call); }));
            }
        }
        statements.push(quote! {
            let request = if cookies.is_empty() { request } else { request.header(reqwest::header::COOKIE, cookies.join("; ")) };
        });
    }
    if let Some(body) = &op.body {
        let media_type = &body.body.media_type;
        let attach = |value: TokenStream| match body.body.encoding {
            BodyEncoding::Json => quote!(request.json(#value)),
            BodyEncoding::Text => {
                quote!(request.header(reqwest::header::CONTENT_TYPE, #media_type).body(#value.to_owned()))
            }
            BodyEncoding::Bytes => quote!(#value.attach(request, #media_type, #operation)?),
            BodyEncoding::Form => quote!(request.form(#value)),
            BodyEncoding::Multipart => {
                let form = multipart_form(plan, &body.body.ty, &value, operation);
                quote!(request.multipart(#form))
            }
        };
        if body.required {
            let attach = attach(quote!(self.body));
            statements.push(quote!(let request = #attach;));
        } else {
            let attach = attach(quote!(body));
            statements.push(quote! {
                let request = match self.body {
                    Some(body) => #attach,
                    None => request,
                };
            });
        }
    }
    // The last `let request = …;` is the function's value.
    let last = statements.pop().map(|statement| match syn::parse2::<syn::Stmt>(statement.clone()) {
        // A plain expression is returned as it is; an `if` or `match` stays a statement.
        Ok(syn::Stmt::Local(syn::Local { pat: syn::Pat::Ident(pat), init: Some(init), .. }))
            if pat.ident == "request" && !matches!(*init.expr, syn::Expr::If(_) | syn::Expr::Match(_)) =>
        {
            match *init.expr {
                // A result already (an upload's `attach`): returned as it is.
                syn::Expr::Try(result) => result.expr.to_token_stream(),
                request => quote!(Ok(#request)),
            }
        }
        _ => quote!(#statement Ok(request)),
    });
    quote!(#(#statements)* #last)
}

/// The body of `read_answer`: the operation's value or error for each
/// documented status.
fn read_answer(op: &OperationPlan) -> TokenStream {
    let arms = status_arms(op);
    quote! {
        match answer.status() {
            #(#arms)*
        }
    }
}

fn query_push(plan: &Plan, param: &ParamPlan) -> TokenStream {
    let ident = names::ident(&param.name);
    let wire = &param.param.name;
    let shape = param_shape(plan, &param.param.ty);
    let item = quote!(item);
    let value = quote!(value);
    let is_object = is_object(plan, &param.param.ty);
    let push = if shape.list {
        let text = (shape.to_text)(&item);
        let separator = match param.param.style {
            QueryStyle::SpaceDelimited => " ",
            QueryStyle::PipeDelimited => "|",
            QueryStyle::Form | QueryStyle::DeepObject => ",",
        };
        if param.param.explode && param.param.style == QueryStyle::Form {
            quote!(for item in value { query.push((#wire.to_owned(), #text)); })
        } else {
            quote!(query.push((#wire.to_owned(), value.iter().map(|item| #text).collect::<Vec<_>>().join(#separator)));)
        }
    } else if is_object {
        match (param.param.style, param.param.explode) {
            // `filter[status]=open&filter[page]=2`
            (QueryStyle::DeepObject, _) => {
                let format = format!("{wire}[{{name}}]");
                quote!(for (name, text) in properties(value) {
                    query.push((format!(#format), text));
                })
            }
            // `status=open&page=2`
            (_, true) => quote!(query.extend(properties(value));),
            // `filter=status,open,page,2`
            (_, false) => quote! {
                let pairs: Vec<String> = properties(value).into_iter().flat_map(|(name, text)| [name, text]).collect();
                query.push((#wire.to_owned(), pairs.join(",")));
            },
        }
    } else if is_optional_query_value(plan, param) {
        return quote!(query_parameter(&mut query, #wire, self.#ident););
    } else {
        let text = (shape.to_text)(&value);
        quote!(query.push((#wire.to_owned(), #text));)
    };
    if param.required {
        quote!({ let value = self.#ident; #push })
    } else {
        quote!(if let Some(value) = self.#ident { #push })
    }
}

/// `match answer.status() { … }` arms: codes first, then ranges, then
/// `default`. Each arm is the function's result: the value, or the
/// operation's error; `?` converts `Error` into the operation's error.
fn status_arms(op: &OperationPlan) -> Vec<TokenStream> {
    let typed_error = op.error.is_some();
    let read = |decode: &Decode| -> TokenStream {
        match decode {
            Decode::Nothing => quote!(()),
            Decode::Json(_) => quote!(json(answer)?),
            Decode::Text => quote!(text(answer)),
            Decode::Bytes => quote!(bytes(answer)),
        }
    };
    // (status, whether the arm uses it, result)
    let mut arms: Vec<(StatusMatch, bool, TokenStream)> = Vec::new();
    match &op.success {
        Success::One(decode) => {
            let statuses: Vec<StatusMatch> =
                op.op.responses.iter().filter(|r| r.status.is_success()).map(|r| r.status).collect();
            let statuses = if statuses.is_empty() { vec![StatusMatch::Range(2)] } else { statuses };
            // Without a typed error, `json(answer)` already is the result.
            let value = match decode {
                Decode::Json(_) if !typed_error => quote!(json(answer)),
                _ => {
                    let value = read(decode);
                    quote!(Ok(#value))
                }
            };
            for status in statuses {
                arms.push((status, false, value.clone()));
            }
        }
        Success::Enum { name, variants } => {
            let name = names::ident(name);
            for variant in variants {
                let constructor = variant_value(quote!(#name), variant, read(&variant.decode));
                arms.push((variant.status, variant.carries_status(), quote!(Ok(#constructor))));
            }
        }
    }
    if let Some(error) = &op.error {
        let name = names::ident(&error.name);
        for variant in &error.variants {
            let constructor = variant_value(quote!(#name), variant, read(&variant.decode));
            arms.push((variant.status, variant.carries_status(), quote!(Err(#constructor))));
        }
    }
    arms.sort_by_key(|(status, _, _)| match status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    let has_default = arms.iter().any(|(status, _, _)| *status == StatusMatch::Default);
    let mut tokens: Vec<TokenStream> = arms
        .into_iter()
        .map(|(status, uses_status, value)| {
            let pattern = match status {
                StatusMatch::Code(code) => {
                    let code = proc_macro2::Literal::u16_unsuffixed(code);
                    quote!(#code)
                }
                StatusMatch::Range(class) => {
                    let low = proc_macro2::Literal::u16_unsuffixed(class * 100);
                    let high = proc_macro2::Literal::u16_unsuffixed(class * 100 + 99);
                    quote!(#low..=#high)
                }
                StatusMatch::Default if uses_status => quote!(status),
                StatusMatch::Default => quote!(_),
            };
            let pattern = match status {
                StatusMatch::Range(_) if uses_status => quote!(status @ #pattern),
                _ => pattern,
            };
            quote!(#pattern => #value,)
        })
        .collect();
    if !has_default {
        let unexpected =
            if typed_error { quote!(Err(unexpected(answer).into())) } else { quote!(Err(unexpected(answer))) };
        tokens.push(quote!(_ => #unexpected,));
    }
    tokens
}

/// A variant for one documented status, as declared in a success or error
/// enum: the body, with the status code too for ranges and `default`.
pub(super) fn status_variant_declaration(plan: &Plan, variant: &StatusVariant) -> TokenStream {
    let ident = names::ident(&variant.name);
    let doc = docs::outer(&format!("`{}`: {}", variant.status.title(), variant.description.trim()));
    let body = decode_tokens(plan, &variant.decode);
    let shape = match (&variant.decode, variant.carries_status()) {
        (Decode::Nothing, false) => quote!(),
        (_, false) => quote!((#body)),
        (Decode::Nothing, true) => quote!({ #[doc = " The HTTP status code."] status: u16 }),
        (_, true) => {
            quote!({ #[doc = " The HTTP status code."] status: u16, #[doc = " The documented body."] body: #body })
        }
    };
    quote!(#doc #ident #shape,)
}

fn variant_value(enum_path: TokenStream, variant: &StatusVariant, value: TokenStream) -> TokenStream {
    let ident = names::ident(&variant.name);
    match (&variant.decode, variant.carries_status()) {
        (Decode::Nothing, false) => quote!(#enum_path::#ident),
        (_, false) => quote!(#enum_path::#ident(#value)),
        (Decode::Nothing, true) => quote!(#enum_path::#ident { status }),
        (_, true) => quote!(#enum_path::#ident { status, body: #value }),
    }
}

/// The enum an operation with several differently-shaped successes returns.
fn response_enum(plan: &Plan, op: &OperationPlan) -> TokenStream {
    let Success::Enum { name, variants } = &op.success else {
        return quote!();
    };
    let ident = names::ident(name);
    let doc = format!(" What [`Client::{}`] returns, by status.", op.method);
    let variants = variants.iter().map(|variant| status_variant_declaration(plan, variant));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variants)*
        }
    }
}

/// A `reqwest::multipart::Form` with one part per property of `value`:
/// strings and numbers as text, binary strings as files, anything else as
/// JSON text. A body that isn't an object is sent as one JSON part, `body`.
fn multipart_form(plan: &Plan, ty: &TypeRef, value: &TokenStream, operation: &str) -> TokenStream {
    let object = match ty {
        TypeRef::Named(index) => match &plan.api.types[*index].kind {
            TypeKind::Object(object) => Some((index, object)),
            _ => None,
        },
        _ => None,
    };
    // The names are escaped here, as browsers do (below); reqwest's own
    // percent-encoding writes `name*=`, which RFC 7578 forbids.
    let form = quote!(reqwest::multipart::Form::new().percent_encode_noop());
    let Some((index, object)) = object else {
        return quote!(#form.text("body", serde_json::to_string(#value).unwrap_or_default()));
    };
    let field_names = plan.type_plan(*index).map(|t| t.fields.as_slice()).unwrap_or_default();
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for (field, name) in object.fields.iter().zip(field_names) {
        let ident = names::ident(name);
        let wire = &form_data_name(&field.name);
        let part = |v: TokenStream| match &field.ty {
            TypeRef::String(StringFormat::Binary) if plan.sends_files(*index) => {
                quote!(part(#wire, #v.clone().part(#operation)?.file_name(#wire)))
            }
            TypeRef::String(StringFormat::Binary) => {
                quote!(part(#wire, reqwest::multipart::Part::bytes(#v.clone()).file_name(#wire)))
            }
            TypeRef::String(_) => quote!(text(#wire, #v.clone())),
            TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => quote!(text(#wire, #v.to_string())),
            _ => quote!(text(#wire, serde_json::to_string(&#v).unwrap_or_default())),
        };
        let always_present = plan.always_present(*index, field);
        if always_present && !field.nullable {
            required.push(part(quote!(#value.#ident)));
        } else if !always_present && field.nullable {
            // Optional and nullable (`Option<Option<_>>`): a part can't be null, so it is left out.
            let part = part(quote!(value));
            optional.push(quote!(if let Some(Some(value)) = &#value.#ident { form = form.#part; }));
        } else {
            let part = part(quote!(value));
            optional.push(quote!(if let Some(value) = &#value.#ident { form = form.#part; }));
        }
    }
    if optional.is_empty() {
        return quote!(#form #(.#required)*);
    }
    quote!({
        let mut form = #form #(.#required)*;
        #(#optional)*
        form
    })
}

/// A part's name (or file name) as the HTML standard writes it inside
/// `Content-Disposition`'s quotes: `"`, CR and LF percent-encoded, so a
/// name from the document can't end the quoted text or the header.
fn form_data_name(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// The helpers in `http.rs` that requests use, in name order: those of
/// `reserved::HELPERS` (the one list of them) that some operation needs.
pub fn helpers(plan: &Plan) -> Vec<&'static str> {
    let decodes: Vec<&Decode> = plan
        .operations
        .iter()
        .flat_map(|op| {
            let successes: Vec<&Decode> = match &op.success {
                Success::One(decode) => vec![decode],
                Success::Enum { variants, .. } => variants.iter().map(|v| &v.decode).collect(),
            };
            let errors = op.error.iter().flat_map(|e| e.variants.iter().map(|v| &v.decode));
            successes.into_iter().chain(errors)
        })
        .collect();
    let params = || plan.operations.iter().flat_map(|op| &op.params);
    let needed = |helper: &str| match helper {
        "bytes" => decodes.iter().any(|d| **d == Decode::Bytes),
        "cookie_value" => params().any(|p| p.param.location == ParamLocation::Cookie),
        "header_value" => {
            params().any(|p| p.param.location == ParamLocation::Header) || plan.operations.iter().any(|op| op.resumes)
        }
        "idempotency_key" => params().any(|p| p.idempotency_key),
        "json" => decodes.iter().any(|d| matches!(d, Decode::Json(_))),
        "path_parameter" => {
            plan.operations.iter().any(|op| op.op.path.parts.iter().any(|p| matches!(p, PathPart::Parameter(_))))
        }
        "properties" => params().any(|p| p.param.location == ParamLocation::Query && is_object(plan, &p.param.ty)),
        "query_parameter" => params().any(|p| is_optional_query_value(plan, p)),
        "text" => decodes.iter().any(|d| **d == Decode::Text),
        "unexpected" => {
            plan.operations.iter().any(|op| !op.op.responses.iter().any(|r| r.status == StatusMatch::Default))
        }
        // A helper without a rule here is one requests never call.
        _ => false,
    };
    crate::rust::runtime::reserved::HELPERS.iter().copied().filter(|helper| needed(helper)).collect()
}

/// Whether values of `ty` are JSON objects with properties (structs and maps).
fn is_object(plan: &Plan, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Named(index) => matches!(plan.api.type_def(*index).map(|t| &t.kind), Some(TypeKind::Object(_))),
        _ => false,
    }
}

/// An optional query parameter whose value's text is its `Display` (a
/// string, number, boolean or string enum; other values travel as JSON
/// text): the runtime's `query_parameter` adds it.
pub fn is_optional_query_value(plan: &Plan, param: &ParamPlan) -> bool {
    let displayed = match &param.param.ty {
        TypeRef::String(_) | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => true,
        TypeRef::Named(index) => plan.is_string_enum(*index),
        _ => false,
    };
    displayed && !param.required && param.param.location == ParamLocation::Query
}
