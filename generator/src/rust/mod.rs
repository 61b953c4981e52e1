//! The Rust emitter: IR → a standalone client crate on reqwest.
//!
//! `Plan` decides every name and shape once; the other modules turn it into
//! token streams (quote), which are parsed (syn) and printed (prettyplease),
//! so no rustfmt is needed and the output is the same on every machine.

mod auth;
mod client;
mod docs;
mod errors;
mod example;
mod features;
mod manifest;
mod names;
mod operations;
mod plan;
mod public_api;
pub mod release;
mod runtime;
mod shapes;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::OutputFile;
use crate::error::Error;

pub use plan::Plan;

/// What the caller decides rather than the document.
#[derive(Debug, Clone, Default)]
pub struct RustOptions {
    /// The package name, e.g. `kanuu`.
    pub crate_name: String,
    /// How the header of each file names the document, e.g. `spec/kanuu.yaml`.
    pub spec_label: String,
    /// The type names of the crate this run replaces, by the JSON pointer of
    /// the schema each was made from (its `public-api.txt`): a type
    /// keeps its name whatever else the document gained (`shapes.rs`).
    pub kept_names: std::collections::HashMap<String, String>,
}

/// A module of the crate, built in parts (its head, then one part per type
/// or operation) and parsed and printed in chunks of parts, several chunks
/// at once: no thread holds a large module's whole syntax tree. GitHub's
/// types are 260,000 lines; built whole, their tokens and tree took most of
/// the run's 850 MB, and the kernel's zeroing of those fresh pages cost
/// more than the parsing.
struct Module {
    name: &'static str,
    /// Its docs, imports, and what comes before the parts (the `impl
    /// Client` of requests.rs).
    head: fn(&Plan) -> TokenStream,
    /// How many parts it has.
    parts: fn(&Plan) -> usize,
    /// One part's code (a type, an operation's builder); may be empty.
    part: fn(&Plan, usize) -> TokenStream,
    /// What only one feature needs moves to a module of that feature's
    /// (`features.rs`).
    split: bool,
}

const MODULES: [Module; 4] = [
    Module { name: "client", head: client::client_rs, parts: |_| 0, part: |_, _| TokenStream::new(), split: false },
    Module {
        name: "operation_error",
        head: errors::errors_head,
        parts: errors::error_parts,
        part: errors::error_part,
        split: true,
    },
    Module {
        name: "requests",
        head: operations::requests_head,
        parts: operations::request_parts,
        part: operations::request_part,
        split: true,
    },
    Module { name: "types", head: types::types_head, parts: types::type_parts, part: types::type_part, split: true },
];

/// Parts per chunk: enough that a chunk's parse and print outweigh handing
/// it to a thread, few enough that its syntax tree stays small.
const PARTS_PER_CHUNK: usize = 64;

/// One chunk of a module (its head, or a range of its parts), gated,
/// sorted by feature and printed.
#[derive(Default)]
struct PrintedChunk {
    /// The module docs and `use` lines of a head, after which the feature
    /// modules are declared.
    imports: String,
    /// What stays in the module.
    kept: String,
    /// What moves to each feature's module, by feature (empty without
    /// features, or for a module that isn't split).
    moved: Vec<String>,
    /// The public API lines of what it printed.
    lines: Vec<String>,
}

/// Builds, parses, gates and prints `module`'s head (`parts` is `None`)
/// or a range of its parts, and reads them for the public API.
fn print_chunk(
    plan: &Plan,
    module: &Module,
    parts: Option<std::ops::Range<usize>>,
    reader: &public_api::Reader,
) -> Result<PrintedChunk, Error> {
    let tokens = match parts {
        None => (module.head)(plan),
        Some(parts) => parts.map(|part| (module.part)(plan, part)).collect(),
    };
    let Some(mut file) = parse(tokens, &plan.options.spec_label)? else {
        return Ok(PrintedChunk::default());
    };
    // The client's own items are the same in every crate: only what the
    // document made is gated, by name.
    if module.split {
        plan.features.gate(&mut file);
    }
    // The public API is read before the split, which moves items but
    // doesn't change their public paths.
    let lines = reader.lines(module.name, &file);
    let syn::File { attrs, items, .. } = file;
    let (mut kept, moved) = if module.split { plan.features.sort(items) } else { (items, Vec::new()) };
    let rest = kept.split_off(kept.iter().take_while(|item| matches!(item, syn::Item::Use(_))).count());
    Ok(PrintedChunk {
        imports: space_items(&unparse(attrs, kept)),
        kept: space_items(&unparse(Vec::new(), rest)),
        moved: moved.into_iter().map(|items| space_items(&unparse(Vec::new(), items))).collect(),
        lines,
    })
}

/// Joins a module's printed chunks, head first: the module's text, then
/// each feature module's (path, text).
fn join_chunks(
    plan: &Plan,
    module: &Module,
    chunks: Vec<PrintedChunk>,
    api_lines: &mut Vec<String>,
) -> (String, Vec<(String, String)>) {
    let features = &plan.features;
    // Each text in the order it is joined: the chunks are spaced already.
    let mut moved: Vec<Vec<String>> = vec![Vec::new(); features.tags.len()];
    let (mut imports, mut kept) = (Vec::new(), Vec::new());
    for chunk in chunks {
        imports.push(chunk.imports);
        kept.push(chunk.kept);
        for (feature, text) in chunk.moved.into_iter().enumerate() {
            moved[feature].push(text);
        }
        api_lines.extend(chunk.lines);
    }
    let used = (0..moved.len()).filter(|feature| moved[*feature].iter().any(|text| !text.is_empty()));
    let declarations = features.declarations(used);
    if !declarations.is_empty() {
        imports.push(space_items(&pretty(Vec::new(), declarations)));
    }
    let modules = moved.into_iter().enumerate().filter(|(_, texts)| texts.iter().any(|text| !text.is_empty()));
    let modules = modules.map(|(feature, texts)| {
        let head = features
            .module_head(feature, module.name != "types", |tag, name| feature_module_docs(module.name, tag, name));
        let text = join_spaced(std::iter::once(space_items(&prettyplease::unparse(&head))).chain(texts).collect());
        (format!("src/{}/{}.rs", module.name, features.module(feature)), text)
    });
    let modules = modules.collect();
    (join_spaced(imports.into_iter().chain(kept).collect()), modules)
}

/// Emits the crate's files, with paths relative to the crate's folder.
pub fn emit(plan: &Plan) -> Result<Vec<OutputFile>, Error> {
    emit_in_chunks(plan, PARTS_PER_CHUNK)
}

/// [`emit`], with `parts_per_chunk` parts to a chunk (the text is the same
/// for any size).
fn emit_in_chunks(plan: &Plan, parts_per_chunk: usize) -> Result<Vec<OutputFile>, Error> {
    let (api, options) = (plan.api, plan.options);
    let header = format!(
        "// Generated by kanuu-codegen from {}. Do not edit by hand: edit the spec and regenerate.",
        options.spec_label
    );
    let label = options.spec_label.as_str();
    // lib.rs first: what it re-exports decides the other modules' public paths.
    let mut lib_file = parse(lib_rs(plan), label)?;
    if let Some(file) = &mut lib_file {
        plan.features.gate(file);
    }
    let lib = lib_file.as_ref().map(print).unwrap_or_default();
    let reader = public_api::Reader::new(plan, lib_file.as_ref());
    let mut api_lines = lib_file.map(|file| reader.lines("lib", &file)).unwrap_or_default();
    for (path, text) in runtime::files(true) {
        let module = path.trim_start_matches("src/").trim_end_matches(".rs");
        api_lines.extend(syn::parse_file(text).ok().map(|file| reader.lines(module, &file)).unwrap_or_default());
    }
    // Heads first: the requests' is one large `impl Client`.
    let mut chunks: Vec<(usize, Option<std::ops::Range<usize>>)> = (0..MODULES.len()).map(|m| (m, None)).collect();
    for (index, module) in MODULES.iter().enumerate() {
        let parts = (module.parts)(plan);
        let starts = (0..parts).step_by(parts_per_chunk);
        chunks.extend(starts.map(|start| (index, Some(start..parts.min(start.saturating_add(parts_per_chunk))))));
    }
    let reader = &reader;
    let jobs = chunks.iter().map(|(module, parts)| move || print_chunk(plan, &MODULES[*module], parts.clone(), reader));
    let mut printed = crate::in_parallel(jobs.collect())?.into_iter();
    let mut by_module: Vec<Vec<PrintedChunk>> = MODULES.iter().map(|_| printed.next().into_iter().collect()).collect();
    for ((module, _), chunk) in chunks[MODULES.len()..].iter().zip(printed) {
        by_module[*module].push(chunk);
    }
    let mut texts = Vec::new();
    let mut feature_modules = Vec::new();
    for (module, chunks) in MODULES.iter().zip(by_module) {
        let (text, parts) = join_chunks(plan, module, chunks, &mut api_lines);
        texts.push(text);
        feature_modules.extend(parts);
    }
    let [client, operation_errors, requests, types] = <[String; 4]>::try_from(texts).unwrap_or_default();
    let (client, requests) = (format!("{header}\n{client}"), format!("{header}\n{requests}"));
    let types = (!api.types.is_empty()).then(|| format!("{header}\n{types}"));
    let operation_errors = (!operation_errors.is_empty()).then(|| format!("{header}\n{operation_errors}"));
    let lib = format!("{header}\n{lib}");
    let mut files = vec![
        OutputFile::new("Cargo.toml", manifest::cargo_toml(plan, &first_version(plan))),
        OutputFile::new("README.md", manifest::readme(plan)),
        // The files are already formatted (prettyplease); `cargo fmt` must leave them as generated.
        OutputFile::new(
            "rustfmt.toml",
            format!(
                "# Generated by kanuu-codegen from {}. The code is formatted by the generator.\ndisable_all_formatting = true\n",
                options.spec_label
            ),
        ),
        OutputFile::new("src/lib.rs", lib),
        OutputFile::new("src/client.rs", client),
        OutputFile::new("src/requests.rs", requests),
    ];
    // The runtime's files as they are: the same bytes in every crate.
    files.extend(runtime::files(plan.needs_object_rs()).map(|(path, text)| OutputFile::new(path, text.to_owned())));
    files.extend(types.map(|types| OutputFile::new("src/types.rs", types)));
    files.extend(operation_errors.map(|errors| OutputFile::new("src/operation_error.rs", errors)));
    files.extend(feature_modules.into_iter().map(|(path, text)| OutputFile::new(&path, format!("{header}\n{text}"))));
    let snapshot = public_api::snapshot(plan, api_lines, &files);
    files.push(OutputFile::new("public-api.txt", snapshot));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// A new crate's first version (see `release.rs` for the ones after).
fn first_version(plan: &Plan) -> String {
    manifest::first_version(&plan.api.version)
}

/// The type names of `previous_crate` (the crate a run replaces) by the
/// pointer of the schema each was made from, for [`RustOptions::kept_names`].
pub fn kept_names(previous_crate: Option<&[OutputFile]>) -> std::collections::HashMap<String, String> {
    let snapshot = previous_crate.and_then(|files| files.iter().find(|f| f.path == "public-api.txt"));
    snapshot.map(|file| public_api::type_names(&file.contents)).unwrap_or_default()
}

/// Decides the release of the emitted crate `files` (paths relative to its
/// folder) against `previous_crate`, the crate this run replaces, and sets
/// its version and changelog in `files`.
pub fn set_release(
    plan: &Plan,
    files: &mut Vec<OutputFile>,
    previous_crate: Option<&[OutputFile]>,
) -> release::Release {
    let file = |path: &str| previous_crate.and_then(|files| files.iter().find(|f| f.path == path));
    let previous = previous_crate.zip(file("Cargo.toml")).and_then(|(files, manifest)| {
        Some(release::Previous { version: release::package_version(&manifest.contents)?, files })
    });
    let release = release::release(plan.crate_name(), &first_version(plan), files, previous);
    let previous_changelog = file("CHANGELOG.md").map(|f| f.contents.as_str());
    files.retain(|f| f.path != "Cargo.toml" && f.path != "CHANGELOG.md");
    files.push(OutputFile::new("Cargo.toml", manifest::cargo_toml(plan, &release.version)));
    files.push(OutputFile::new("CHANGELOG.md", release::changelog(&release, &plan.api.version, previous_changelog)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    release
}

/// The Rust snippet for `api.operations[operation]`: a whole program using
/// the generated crate, sent to `base_url` instead of the default server.
pub fn snippet(plan: &Plan, operation: usize, base_url: Option<&str>) -> String {
    plan.operations.get(operation).map(|op| example::program(plan, op, base_url)).unwrap_or_default()
}

/// The crate-level documentation, with an example call as a doctest.
fn crate_docs(plan: &Plan) -> String {
    let mut text = format!("A typed client for the {} API.", docs::from_document(&plan.api.title));
    if let Some(description) = &plan.api.description {
        text.push_str("\n\n");
        // The document's words: its code blocks are not our doctests.
        text.push_str(&docs::from_document(description));
    }
    if let Some(example) = example::crate_example(plan) {
        text.push_str("\n\n# Example\n\n```no_run\n");
        text.push_str(&example);
        text.push_str("```\n");
    }
    text
}

fn lib_rs(plan: &Plan) -> TokenStream {
    let crate_docs = docs::inner(&crate_docs(plan));
    // In name order, as rustfmt sorts them.
    let mut error_names: Vec<&str> =
        plan.operations.iter().filter_map(|op| op.error.as_ref().map(|e| e.name.as_str())).collect();
    error_names.sort_unstable();
    let operation_errors = (!error_names.is_empty()).then(|| {
        quote!(
            mod operation_error;
        )
    });
    let error_names = error_names.into_iter().map(names::ident).collect::<Vec<_>>();
    let operation_errors_export =
        (!error_names.is_empty()).then(|| quote!(pub use operation_error::{#(#error_names),*};));
    let response_names: Vec<_> =
        plan.operations.iter().filter_map(|op| op.success.enum_name().map(names::ident)).collect();
    let response_export = (!response_names.is_empty()).then(|| quote!(pub use requests::{#(#response_names),*};));
    let types = (!plan.api.types.is_empty()).then(|| {
        quote!(
            mod types;
        )
    });
    // Before `types`: its structs and string enums are declared in the
    // `json_object!` and `string_enum!` it defines.
    let object = plan.needs_object_rs().then(|| {
        quote!(
            #[macro_use]
            mod object;
        )
    });
    let types_export = (!plan.api.types.is_empty()).then(|| {
        quote!(
            pub use types::*;
        )
    });
    // Without operations nothing calls the client's request machinery.
    let no_operations = plan.operations.is_empty().then(|| quote!(#![allow(dead_code)]));
    // With every operation behind a tag's feature, turning all of them off
    // leaves the client's request machinery, and perhaps every type, unused.
    let tag_features: Vec<&str> =
        plan.features.tags.iter().filter(|(_, tag)| !tag.is_empty()).map(|(feature, _)| feature.as_str()).collect();
    let every_operation_tagged = !tag_features.is_empty() && plan.api.operations.iter().all(|op| !op.tags.is_empty());
    let no_tag_on = every_operation_tagged
        .then(|| quote!(#![cfg_attr(not(any(#(feature = #tag_features),*)), allow(dead_code, unused_imports))]));
    quote! {
        #crate_docs
        #![deny(missing_docs)]
        #no_operations
        #no_tag_on
        // Deprecated schemas and operations warn their callers, not this crate.
        #![allow(deprecated)]

        mod client;
        // Before `operation_error`: its enums call the `impl_operation_error!` it defines.
        #[macro_use]
        mod error;
        // Before `requests`: its builders call the `impl_send!` it defines.
        #[macro_use]
        mod http;
        #object
        #operation_errors
        pub mod requests;
        mod retry;
        mod tls;
        #types

        pub use client::{Client, ClientBuilder};
        pub use error::Error;
        pub use http::ResponseValue;
        #operation_errors_export
        #response_export
        pub use retry::RetryPolicy;
        #types_export
    }
}

/// Parses a module's items (a whole file, or what follows runtime code in
/// one); nothing for no items.
fn parse(tokens: TokenStream, spec_label: &str) -> Result<Option<syn::File>, Error> {
    if tokens.is_empty() {
        return Ok(None);
    }
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| {
        Error::new(spec_label, None, format!("internal error: the generated Rust does not parse ({error})"))
            .help("this is a bug in kanuu-codegen; please report it with the document")
    })?;
    Ok(Some(file))
}

/// Pretty-prints a module.
fn print(file: &syn::File) -> String {
    space_items(&prettyplease::unparse(file))
}

/// Pretty-prints a module's inner attributes and items; the runtime's
/// `impl_send!` and `impl_operation_error!` by [`runtime_macro`]. A struct marked
/// `#[json_object]` (`runtime::JSON_OBJECT`) and its constructor are printed
/// inside `json_object! { … }`, laid out here since prettyplease prints a
/// macro's body as a run of tokens: its `cfg`s before the macro, which
/// gates the impls it writes too, the struct as prettyplease prints a
/// struct and the constructor's signature, indented in the braces. An enum
/// marked `#[string_enum]` is printed inside `string_enum! { … }` the same
/// way.
fn unparse(attrs: Vec<syn::Attribute>, items: Vec<syn::Item>) -> String {
    let mut out = String::new();
    let mut attrs = Some(attrs);
    let mut run = Vec::new();
    let mut items = items.into_iter().peekable();
    while let Some(item) = items.next() {
        let printed = match item {
            syn::Item::Struct(declared) if struct_mark(&declared.attrs).is_some() => {
                let mark = struct_mark(&declared.attrs).unwrap_or_default();
                let signatures = items.next_if(|next| match next {
                    syn::Item::Impl(block) => struct_mark(&block.attrs) == Some(mark),
                    _ => false,
                });
                let signatures = match signatures {
                    Some(syn::Item::Impl(block)) => Some(block),
                    _ => None,
                };
                struct_in_macro(mark, declared, signatures)
            }
            syn::Item::Enum(declared) if runtime::is_string_enum(&declared.attrs) => string_enum(declared),
            syn::Item::Macro(invocation) => match runtime::macro_arguments(&invocation) {
                Some(arguments) => runtime_macro(invocation, arguments),
                None => {
                    run.push(syn::Item::Macro(invocation));
                    continue;
                }
            },
            other => {
                run.push(other);
                continue;
            }
        };
        if !run.is_empty() || attrs.as_ref().is_some_and(|attrs| !attrs.is_empty()) {
            out.push_str(&pretty(attrs.take().unwrap_or_default(), std::mem::take(&mut run)));
        }
        out.push_str(&printed);
    }
    if !run.is_empty() || attrs.as_ref().is_some_and(|attrs| !attrs.is_empty()) {
        out.push_str(&pretty(attrs.take().unwrap_or_default(), run));
    }
    out
}

/// prettyplease's text of a module's inner attributes and items.
fn pretty(attrs: Vec<syn::Attribute>, items: Vec<syn::Item>) -> String {
    prettyplease::unparse(&syn::File { shebang: None, attrs, items })
}

/// An `impl_send!(…);` or `impl_operation_error!(…);`, each argument's type
/// printed the way prettyplease prints a type (it would print the tokens
/// of a macro's arguments one by one: `crate ::Nonce`).
fn runtime_macro(mut invocation: syn::ItemMacro, arguments: Vec<(Option<&str>, syn::Type)>) -> String {
    invocation.mac.tokens = proc_macro2::TokenStream::new();
    let head = pretty(Vec::new(), vec![syn::Item::Macro(invocation)]);
    // The types printed at once, one `type T = …;` each: a wrapped type's
    // lines after its first are indented, so each alias starts a line.
    let (labels, types): (Vec<_>, Vec<_>) = arguments.into_iter().unzip();
    let aliases = pretty(Vec::new(), types.into_iter().map(|ty| syn::Item::Type(type_alias(ty))).collect());
    let types = aliases.split("type T = ").skip(1).map(|alias| alias.trim().trim_end_matches(';').to_owned());
    let arguments: Vec<String> = labels
        .into_iter()
        .zip(types)
        .map(|(label, ty)| match label {
            Some(label) => format!("{label}: {ty}"),
            None => ty,
        })
        .collect();
    head.replacen("!();", &format!("!({});", arguments.join(", ")), 1)
}

/// `type T = ty;`, for prettyplease to print `ty`.
fn type_alias(ty: syn::Type) -> syn::ItemType {
    syn::ItemType {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        type_token: Default::default(),
        ident: names::ident("T"),
        generics: syn::Generics::default(),
        eq_token: Default::default(),
        ty: Box::new(ty),
        semi_token: Default::default(),
    }
}

/// The runtime macro a struct is declared in, by its mark: `json_object`
/// or `request_builder`.
fn struct_mark(attrs: &[syn::Attribute]) -> Option<&'static str> {
    if runtime::is_json_object(attrs) {
        Some(runtime::JSON_OBJECT)
    } else if runtime::is_request_builder(attrs) {
        Some(runtime::REQUEST_BUILDER)
    } else {
        None
    }
}

/// `json_object! { … }` or `request_builder! { … }` around a struct marked
/// `#[json_object]` or `#[request_builder]` and the signatures of the
/// methods in the `impl` marked the same way, its constructor or setters
/// (the macro writes their bodies; the `impl` has the struct's `cfg`s).
fn struct_in_macro(mark: &str, mut declared: syn::ItemStruct, methods: Option<syn::ItemImpl>) -> String {
    let (gates, attrs) = split_mark(std::mem::take(&mut declared.attrs), mark);
    declared.attrs = attrs;
    let mut body = pretty(Vec::new(), vec![syn::Item::Struct(declared)]);
    let signatures = methods.into_iter().flat_map(|block| block.items).filter_map(|member| match member {
        syn::ImplItem::Fn(function) => Some(function),
        _ => None,
    });
    for function in signatures {
        let syn::ImplItemFn { attrs, vis, sig, .. } = function;
        // Built, not parsed from tokens: a builder has one per setter.
        let block = Box::new(syn::Block { brace_token: Default::default(), stmts: Vec::new() });
        let printed = pretty(Vec::new(), vec![syn::Item::Fn(syn::ItemFn { attrs, vis, sig, block })]);
        body.push('\n');
        body.push_str(printed.trim_end().strip_suffix(" {}").unwrap_or(&printed));
        body.push_str(";\n");
    }
    in_runtime_macro(mark, gates, &body)
}

/// `string_enum! { … }` around an enum marked `#[string_enum]`.
fn string_enum(mut declared: syn::ItemEnum) -> String {
    let (gates, attrs) = split_mark(std::mem::take(&mut declared.attrs), runtime::STRING_ENUM);
    declared.attrs = attrs;
    in_runtime_macro(runtime::STRING_ENUM, gates, &pretty(Vec::new(), vec![syn::Item::Enum(declared)]))
}

/// A marked item's attributes without the mark, as its `cfg`s (which go
/// before the macro and so gate everything it writes) and the others.
fn split_mark(attrs: Vec<syn::Attribute>, mark: &str) -> (Vec<syn::Attribute>, Vec<syn::Attribute>) {
    attrs.into_iter().filter(|attr| !attr.path().is_ident(mark)).partition(|attr| attr.path().is_ident("cfg"))
}

/// `name! { … }` with `gates` before it and `body` indented in the braces.
fn in_runtime_macro(name: &str, gates: Vec<syn::Attribute>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 8 + 64);
    if !gates.is_empty() {
        // The `cfg`s as prettyplease prints an item's, the item cut off.
        let unit = syn::Type::Tuple(syn::TypeTuple { paren_token: Default::default(), elems: Default::default() });
        let gated = syn::Item::Type(syn::ItemType { attrs: gates, ..type_alias(unit) });
        let printed = pretty(Vec::new(), vec![gated]);
        out.push_str(printed.trim_end().trim_end_matches("type T = ();").trim_end());
        out.push('\n');
    }
    out.push_str(name);
    out.push_str("! {\n");
    for line in body.lines() {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

/// The docs of a feature's module, e.g. `types/issues.rs` (`tag` is empty
/// for the schemas no operation uses).
fn feature_module_docs(module: &str, tag: &str, feature: &str) -> String {
    match (module, tag) {
        ("types", "") => format!("The types of the schemas no operation uses (the `{feature}` feature)."),
        ("types", _) => format!("The types only the operations tagged `{tag}` use (the `{feature}` feature)."),
        ("requests", _) => format!("The operations tagged `{tag}` (the `{feature}` feature)."),
        _ => format!("What can go wrong with the operations tagged `{tag}` (the `{feature}` feature)."),
    }
}

/// Adds the blank lines a person would leave and prettyplease doesn't:
/// after the module docs, between groups of `use`/`mod` lines, and between
/// items at the top level and inside `impl` blocks.
fn space_items(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::with_capacity(code.len() + code.len() / 10);
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        if lines.get(index + 1).is_some_and(|next| blank_between(line, next)) {
            out.push('\n');
        }
    }
    out
}

/// Joins texts that [`space_items`] has spaced into what it makes of them
/// joined: only the lines where two meet are left to look at, so a
/// module's chunks are spaced on the threads that print them.
fn join_spaced(texts: Vec<String>) -> String {
    let mut out = String::with_capacity(texts.iter().map(|text| text.len() + 1).sum());
    for text in texts.into_iter().filter(|text| !text.is_empty()) {
        let last = out.strip_suffix('\n').map(|rest| rest.rsplit('\n').next().unwrap_or(rest));
        if last.zip(text.lines().next()).is_some_and(|(line, next)| blank_between(line, next)) {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

/// Whether a person would leave a blank line between two adjacent lines
/// of printed code: between top-level items and between members, and
/// where `use`, `mod` and other items meet.
fn blank_between(line: &str, next: &str) -> bool {
    fn kind(line: &str) -> &str {
        let line = line.trim_start_matches("pub ");
        if line.starts_with("use std::") {
            "use std"
        } else if line.starts_with("use ") {
            "use"
        } else if line.starts_with("mod ") {
            "mod"
        } else if line.starts_with("//!") {
            "docs"
        } else {
            "item"
        }
    }
    if next.trim().is_empty() || line.trim().is_empty() {
        return false;
    }
    let top_level = !line.starts_with(' ') && !next.starts_with(' ');
    let closes_top_item = (line == "}"
        || line == "};"
        || top_level
            && line.ends_with(';')
            && !line.starts_with("//")
            && (next.starts_with("///") || next.starts_with("#[") || kind(line) == "item" && kind(next) == "item"))
        && !next.starts_with('}');
    let closes_member = (line == "    }"
        || line.starts_with("    ")
            && line.ends_with(';')
            && !line.starts_with("     ")
            && next.starts_with("    ///"))
        && next.starts_with("    ")
        && !next.starts_with("     ")
        && !next.starts_with("    }");
    let group_changes = top_level && kind(line) != kind(next) && !line.starts_with("#[") && !line.starts_with("///");
    closes_top_item || closes_member || group_changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_printed_in_chunks_reads_as_if_printed_whole() {
        let specs = [
            ("kanuu", include_str!("../../../spec/kanuu.yaml")),
            ("tag-features", include_str!("../../../tests/cases/tag-features/spec.yaml")),
            ("every-operation-tagged", include_str!("../../../tests/cases/every-operation-tagged/spec.yaml")),
        ];
        for (name, spec) in specs {
            let (api, _) = crate::parse(spec, "spec.yaml").expect("the spec lowers");
            let options =
                RustOptions { crate_name: name.to_owned(), spec_label: "spec.yaml".to_owned(), ..Default::default() };
            let plan = Plan::new(&api, &options);
            let whole = emit_in_chunks(&plan, usize::MAX).expect("the crate is emitted");
            let one_part_each = emit_in_chunks(&plan, 1).expect("the crate is emitted");
            assert!(whole.iter().any(|file| file.path.starts_with("src/types")), "{name} has types");
            for (whole, chunked) in whole.iter().zip(&one_part_each) {
                assert_eq!(whole.path, chunked.path, "{name}");
                assert_eq!(whole.contents, chunked.contents, "{name}: {}", whole.path);
            }
            assert_eq!(whole.len(), one_part_each.len(), "{name}");
        }
    }
}
