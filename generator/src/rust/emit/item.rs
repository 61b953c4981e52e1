//! What the Rust emitters make: items of plain Rust, and items declared in
//! one of the runtime's macros (`generator/runtime/`), a variant per macro.
//!
//! A variant knows the type it belongs with ([`Item::owner`]: feature gates
//! and tag modules move it with that type), where its `cfg`s go
//! ([`Item::attrs_mut`]) and what it declares for users
//! ([`Item::for_each_declared`], which the public API reads); `print.rs`
//! knows how each is printed. What each macro writes is stated here once,
//! as the items it declares with empty bodies, and a test below ties that
//! to the macro's `macro_rules!`. A new macro is a variant here, its
//! printing in `print.rs`, and its `macro_rules!`.

use proc_macro2::TokenStream;

/// An item of a generated module.
pub enum Item {
    /// Plain Rust, printed by prettyplease.
    Plain(syn::Item),
    /// A struct declared in `json_object! { … }` (`runtime/object.rs`),
    /// which writes its serde impls from each field's `#[json(…)]`.
    JsonObject(Box<JsonObject>),
    /// An enum of strings declared in `string_enum! { … }`
    /// (`runtime/object.rs`), its variants written `Variant = "value"`, then
    /// `Unknown(String)`; the macro writes `as_str`, `Display` and the serde
    /// impls.
    StringEnum(syn::ItemEnum),
    /// A union declared in `json_union! { … }` (`runtime/object.rs`): an
    /// enum with a variant per branch, each variant's `#[json(…)]` saying
    /// how a value is read into it, and with a discriminator a first
    /// attribute `#[json(tag = "…")]`; the macro writes the serde impls.
    JsonUnion(syn::ItemEnum),
    /// A request builder declared in `request_builder! { … }`
    /// (`runtime/http.rs`).
    RequestBuilder(Box<RequestBuilder>),
    /// `impl_send!(Builder, output: T, error: E);` (`runtime/http.rs`):
    /// `send`, `send_with_response` and `IntoFuture` for a builder.
    ImplSend(Box<ImplSend>),
    /// `impl_pages!(Builder, page: T, item: I, error: E);`
    /// (`runtime/paging.rs`): `pages` and `items` for a paged builder.
    ImplPages(Box<ImplPages>),
    /// `impl_operation_error!(E);` (`runtime/error.rs`): `From<Error>` and
    /// `std::error::Error` for an operation's error enum.
    ImplOperationError { error: syn::Ident, attrs: Vec<syn::Attribute> },
}

/// A struct for `json_object!` and its constructor, whose body the macro
/// writes from the signature.
pub struct JsonObject {
    pub item: syn::ItemStruct,
    pub new: Method,
}

/// A request builder for `request_builder!`: the struct, with the client
/// and every parameter, and the optional parameters' setters (the macro
/// writes their bodies).
pub struct RequestBuilder {
    pub item: syn::ItemStruct,
    pub setters: Vec<Method>,
}

/// The arguments of `impl_send!`.
pub struct ImplSend {
    pub builder: syn::Ident,
    /// Whether `output` is a stream `open` makes (`stream:`), not a value
    /// read from the whole answer (`output:`).
    pub stream: bool,
    pub output: syn::Type,
    pub error: syn::Type,
    pub attrs: Vec<syn::Attribute>,
}

/// The arguments of `impl_pages!`.
pub struct ImplPages {
    pub builder: syn::Ident,
    pub page: syn::Type,
    pub item: syn::Type,
    pub error: syn::Type,
    pub attrs: Vec<syn::Attribute>,
}

/// A public method a macro writes the body of: its attributes and signature.
pub struct Method {
    pub attrs: Vec<syn::Attribute>,
    pub sig: syn::Signature,
}

impl Method {
    /// Parses `#[doc = "…"] fn name(…) -> T;`.
    pub fn parse(tokens: TokenStream) -> syn::Result<Method> {
        let syn::TraitItemFn { attrs, sig, .. } = syn::parse2(tokens)?;
        Ok(Method { attrs, sig })
    }

    /// The method as an `impl` member with an empty body.
    pub fn declared(&self) -> syn::ImplItemFn {
        syn::ImplItemFn {
            attrs: self.attrs.clone(),
            vis: syn::parse_quote!(pub),
            defaultness: None,
            sig: self.sig.clone(),
            block: syn::Block { brace_token: Default::default(), stmts: Vec::new() },
        }
    }
}

/// Plain items from quoted tokens.
pub fn plain(tokens: TokenStream) -> syn::Result<Vec<Item>> {
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let file: syn::File = syn::parse2(tokens)?;
    Ok(file.items.into_iter().map(Item::Plain).collect())
}

impl Item {
    /// The name of the type (or function) the item belongs with.
    pub fn owner(&self) -> Option<String> {
        match self {
            Item::Plain(item) => match item {
                syn::Item::Struct(item) => Some(item.ident.to_string()),
                syn::Item::Enum(item) => Some(item.ident.to_string()),
                syn::Item::Type(item) => Some(item.ident.to_string()),
                syn::Item::Fn(item) => Some(item.sig.ident.to_string()),
                syn::Item::Impl(item) => match &*item.self_ty {
                    syn::Type::Path(path) => path.path.segments.last().map(|segment| segment.ident.to_string()),
                    _ => None,
                },
                _ => None,
            },
            Item::JsonObject(object) => Some(object.item.ident.to_string()),
            Item::StringEnum(declared) | Item::JsonUnion(declared) => Some(declared.ident.to_string()),
            Item::RequestBuilder(builder) => Some(builder.item.ident.to_string()),
            Item::ImplSend(send) => Some(send.builder.to_string()),
            Item::ImplPages(pages) => Some(pages.builder.to_string()),
            Item::ImplOperationError { error, .. } => Some(error.to_string()),
        }
    }

    /// The item's outer attributes, where a `cfg` goes; `None` for a kind
    /// that is never gated.
    pub fn attrs_mut(&mut self) -> Option<&mut Vec<syn::Attribute>> {
        match self {
            Item::Plain(item) => match item {
                syn::Item::Struct(item) => Some(&mut item.attrs),
                syn::Item::Enum(item) => Some(&mut item.attrs),
                syn::Item::Type(item) => Some(&mut item.attrs),
                syn::Item::Fn(item) => Some(&mut item.attrs),
                syn::Item::Impl(item) => Some(&mut item.attrs),
                syn::Item::Macro(item) => Some(&mut item.attrs),
                _ => None,
            },
            Item::JsonObject(object) => Some(&mut object.item.attrs),
            Item::StringEnum(declared) | Item::JsonUnion(declared) => Some(&mut declared.attrs),
            Item::RequestBuilder(builder) => Some(&mut builder.item.attrs),
            Item::ImplSend(send) => Some(&mut send.attrs),
            Item::ImplPages(pages) => Some(&mut pages.attrs),
            Item::ImplOperationError { attrs, .. } => Some(attrs),
        }
    }

    /// Calls `f` with each item this one declares, as users see it once
    /// its macro has run (bodies empty): what the public API reads.
    pub fn for_each_declared(&self, f: &mut dyn FnMut(&syn::Item)) {
        match self {
            Item::Plain(item) => f(item),
            Item::JsonObject(object) => {
                let name = named_type(object.item.ident.clone());
                f(&syn::Item::Struct(object.item.clone()));
                let new = object.new.declared();
                f(&syn::parse_quote!(impl #name { #new }));
                TEMPLATES.with(|templates| fill(&templates.serde, &[("__Name", &name)]).iter().for_each(f));
            }
            Item::StringEnum(declared) => string_enum_declared(declared).iter().for_each(f),
            Item::JsonUnion(declared) => {
                let mut written = declared.clone();
                written.attrs.retain(|attr| !attr.path().is_ident("json"));
                for variant in &mut written.variants {
                    variant.attrs.retain(|attr| !attr.path().is_ident("json"));
                }
                f(&syn::Item::Enum(written));
                let name = named_type(declared.ident.clone());
                TEMPLATES.with(|templates| fill(&templates.serde, &[("__Name", &name)]).iter().for_each(f));
            }
            Item::RequestBuilder(builder) => {
                f(&syn::Item::Struct(builder.item.clone()));
                if !builder.setters.is_empty() {
                    let name = &builder.item.ident;
                    let setters = builder.setters.iter().map(Method::declared);
                    f(&syn::parse_quote!(impl<'a> #name<'a> { #(#setters)* }));
                }
            }
            Item::ImplSend(send) => {
                let builder = named_type(send.builder.clone());
                let fills = [("__Builder", &builder), ("__Output", &send.output), ("__Error", &send.error)];
                TEMPLATES.with(|templates| fill(&templates.send, &fills).iter().for_each(f));
            }
            Item::ImplPages(pages) => {
                let builder = named_type(pages.builder.clone());
                let fills = [
                    ("__Builder", &builder),
                    ("__Page", &pages.page),
                    ("__Item", &pages.item),
                    ("__Error", &pages.error),
                ];
                TEMPLATES.with(|templates| fill(&templates.pages, &fills).iter().for_each(f));
            }
            Item::ImplOperationError { error, .. } => {
                let error = named_type(error.clone());
                TEMPLATES.with(|templates| fill(&templates.operation_error, &[("__Error", &error)]).iter().for_each(f));
            }
        }
    }
}

/// What `string_enum!` declares from `declared`: the enum, its values'
/// variants without their values, and its impls.
fn string_enum_declared(declared: &syn::ItemEnum) -> Vec<syn::Item> {
    let mut written = declared.clone();
    for variant in &mut written.variants {
        variant.discriminant = None;
    }
    TEMPLATES.with(|templates| {
        let name = named_type(declared.ident.clone());
        let mut items = vec![syn::Item::Enum(written)];
        items.extend(fill(&templates.string_enum, &[("__Enum", &name)]));
        items
    })
}

/// What the runtime's macros write besides what an [`Item`] holds, with
/// empty bodies and placeholder types (`__Name`, `__Builder`, `__Output`,
/// `__Error`, `__Enum`) that [`fill`] replaces: parsed once per thread,
/// since copying these costs far less than quoting and parsing them for
/// each of GitHub's thousands of items. The public API names what the
/// macros name by absolute path as users do (`Result`, `serde::Serialize`).
struct Templates {
    /// `Serialize` and `Deserialize`, as `json_object!` and `json_union!` write them.
    serde: Vec<syn::Item>,
    send: Vec<syn::Item>,
    pages: Vec<syn::Item>,
    operation_error: Vec<syn::Item>,
    string_enum: Vec<syn::Item>,
}

thread_local! {
    // syn's trees are not `Sync`: one copy per thread.
    static TEMPLATES: Templates = Templates::new();
}

impl Templates {
    fn new() -> Templates {
        Templates {
            serde: vec![
                syn::parse_quote!(impl serde::Serialize for __Name {}),
                syn::parse_quote!(
                    impl<'de> serde::Deserialize<'de> for __Name {}
                ),
            ],
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
            pages: vec![syn::parse_quote! {
                impl<'a> __Builder<'a> {
                    pub fn pages(self) -> paging::Pages<'a, __Page, __Error> {}
                    pub fn items(self) -> paging::Items<'a, __Item, __Error> {}
                }
            }],
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
        }
    }
}

/// A type named by one identifier.
pub fn named_type(ident: syn::Ident) -> syn::Type {
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

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    use super::*;
    use crate::rust::{names, runtime};

    /// One item of each kind, its names the macro's own metavariables
    /// spelled as identifiers (`__name` for `$name`).
    fn samples() -> Vec<(&'static str, &'static str, Item)> {
        let json_object = JsonObject {
            item: syn::parse_quote!(
                pub struct __name {}
            ),
            new: Method::parse(quote!(
                fn new(__param: __param_ty) -> Self;
            ))
            .expect("parses"),
        };
        let builder = RequestBuilder {
            item: syn::parse_quote!(
                pub struct __builder<'a> {
                    __field: __ty,
                }
            ),
            setters: vec![
                Method::parse(quote!(
                    fn __setter(mut self, __value: __value_ty) -> Self;
                ))
                .expect("parses"),
            ],
        };
        let send = |stream| ImplSend {
            builder: names::ident("__builder"),
            stream,
            output: syn::parse_quote!(__output),
            error: syn::parse_quote!(__error),
            attrs: Vec::new(),
        };
        let pages = ImplPages {
            builder: names::ident("__builder"),
            page: syn::parse_quote!(__page),
            item: syn::parse_quote!(__item),
            error: syn::parse_quote!(__error),
            attrs: Vec::new(),
        };
        vec![
            ("object", "json_object", Item::JsonObject(Box::new(json_object))),
            (
                "object",
                "string_enum",
                Item::StringEnum(syn::parse_quote! {
                    pub enum __name {
                        __variant = "value",
                        /// Kept.
                        Unknown(String),
                    }
                }),
            ),
            (
                "object",
                "json_union",
                Item::JsonUnion(syn::parse_quote! {
                    pub enum __name {
                        /// A branch.
                        #[json("value")]
                        __variant(__ty),
                    }
                }),
            ),
            ("http", "request_builder", Item::RequestBuilder(Box::new(builder))),
            ("http", "impl_send", Item::ImplSend(Box::new(send(false)))),
            ("http", "impl_send", Item::ImplSend(Box::new(send(true)))),
            ("paging", "impl_pages", Item::ImplPages(Box::new(pages))),
            (
                "error",
                "impl_operation_error",
                Item::ImplOperationError { error: names::ident("__error"), attrs: vec![] },
            ),
        ]
    }

    /// The text of tokens as the public API names things: the macros name
    /// the prelude, std and serde by absolute path and the crate's items by
    /// `$crate::`; metavariables (`$name`) read as the samples' `__name`.
    fn as_users_name_it(tokens: TokenStream) -> String {
        let mut text = format!(" {} ", once(tokens));
        for (absolute, short) in [
            (":: core :: result :: Result", "Result"),
            (":: core :: option :: Option", "Option"),
            (":: core :: convert :: From", "From"),
            (":: core :: fmt :: Debug", "Debug"),
            (":: core :: clone :: Clone", "Clone"),
            (":: std :: string :: String", "String"),
            (":: std :: future :: IntoFuture", "IntoFuture"),
            ("$ crate :: ", ""),
            (" :: std ::", " std ::"),
            (" :: serde ::", " serde ::"),
            ("$ ", "__"),
        ] {
            text = text.replace(absolute, short);
        }
        // Token text spaces some punctuation by how it was made (`<'de>`
        // parsed, `< 'de >` quoted): compared without spaces, and without
        // the trailing commas rustfmt leaves in wrapped lists.
        let compact: String = text.split_whitespace().collect();
        compact.replace(",)", ")").replace(",>", ">")
    }

    /// `tokens` with each repetition (`$( … ),*`) written out once.
    fn once(tokens: TokenStream) -> TokenStream {
        use proc_macro2::TokenTree;
        let mut out = Vec::new();
        let mut tokens = tokens.into_iter().peekable();
        let is_repeat = |token: Option<&TokenTree>| matches!(token, Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?'));
        while let Some(token) = tokens.next() {
            match token {
                TokenTree::Punct(dollar) if dollar.as_char() == '$' => {
                    match tokens.next_if(|next| matches!(next, TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Parenthesis)) {
                        Some(TokenTree::Group(group)) => {
                            out.extend(once(group.stream()));
                            // A separator, then `*`, `+` or `?`.
                            if !is_repeat(tokens.peek()) {
                                tokens.next();
                            }
                            tokens.next_if(|next| is_repeat(Some(next)));
                        }
                        _ => out.push(TokenTree::Punct(dollar)),
                    }
                }
                TokenTree::Group(group) => {
                    let mut inner = proc_macro2::Group::new(group.delimiter(), once(group.stream()));
                    inner.set_span(group.span());
                    out.push(TokenTree::Group(inner));
                }
                other => out.push(other),
            }
        }
        out.into_iter().collect()
    }

    /// The headers of `items` and their members' signatures, each as text.
    fn signatures(item: &syn::Item) -> Vec<String> {
        let mut found = Vec::new();
        match item {
            syn::Item::Impl(block) => {
                let mut header = block.clone();
                header.items.clear();
                let header = as_users_name_it(header.to_token_stream());
                found.push(header.trim_end_matches("{}").to_owned());
                for member in &block.items {
                    match member {
                        syn::ImplItem::Fn(function) => {
                            let mut sig = function.sig.to_token_stream().to_string();
                            if !matches!(function.vis, syn::Visibility::Inherited) {
                                sig = format!("pub {sig}");
                            }
                            found.push(as_users_name_it(sig.parse().expect("tokens")).trim().to_owned());
                        }
                        syn::ImplItem::Type(assoc) => {
                            found.push(as_users_name_it(assoc.to_token_stream()).trim().to_owned());
                        }
                        _ => {}
                    }
                }
            }
            syn::Item::Struct(declared) => {
                found.extend(declared.attrs.iter().map(|attr| as_users_name_it(attr.to_token_stream())));
                found.extend(declared.fields.iter().map(|field| as_users_name_it(field.to_token_stream())));
                found.push(format!("struct{}", declared.ident));
            }
            syn::Item::Enum(declared) => {
                for variant in &declared.variants {
                    let bare = syn::Variant { attrs: Vec::new(), ..variant.clone() };
                    found.push(as_users_name_it(bare.to_token_stream()));
                }
                found.push(format!("enum{}", declared.ident));
            }
            _ => {}
        }
        found.into_iter().map(|text| text.trim().to_owned()).collect()
    }

    /// What each variant says its macro declares must be what the macro
    /// writes: every impl header, signature, field and variant of it is in
    /// the macro's `macro_rules!`, read as tokens.
    #[test]
    fn each_variant_declares_what_its_macro_writes() {
        for (file, macro_name, item) in samples() {
            let source = match file {
                "object" => runtime::OBJECT_RS,
                "http" => runtime::HTTP_RS,
                "paging" => runtime::PAGING_RS,
                _ => runtime::ERROR_RS,
            };
            let parsed = syn::parse_file(source).expect("the runtime parses");
            let definition = parsed
                .items
                .iter()
                .find_map(|item| match item {
                    syn::Item::Macro(definition) if definition.ident.as_ref().is_some_and(|i| i == macro_name) => {
                        Some(definition.mac.tokens.clone())
                    }
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{file}.rs defines macro_rules! {macro_name}"));
            let written = as_users_name_it(definition);
            let mut declared = Vec::new();
            item.for_each_declared(&mut |item| declared.extend(signatures(item)));
            assert!(declared.len() >= 2, "{macro_name}: {declared:?}");
            for signature in declared {
                assert!(
                    written.contains(&signature),
                    "macro_rules! {macro_name} does not write `{signature}`:\n{written}"
                );
            }
        }
    }

    /// The tie above can fail: a declared signature the macro doesn't write.
    #[test]
    fn a_signature_the_macro_does_not_write_is_found() {
        let written = as_users_name_it(quote!(impl ::std::fmt::Display for $name {}));
        assert!(written.contains("implstd::fmt::Displayfor__name"), "{written}");
        assert!(!written.contains("implserde::Serializefor__name"), "{written}");
    }

    #[test]
    fn each_variant_belongs_with_its_type() {
        let owners: Vec<Option<String>> = samples().iter().map(|(_, _, item)| item.owner()).collect();
        let expected = ["__name", "__name", "__name", "__builder", "__builder", "__builder", "__builder", "__error"];
        assert_eq!(owners, expected.map(|name| Some(name.to_owned())));
    }
}
