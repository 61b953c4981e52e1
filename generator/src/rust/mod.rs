//! The Rust emitter: IR → a standalone client crate on reqwest.
//!
//! `Plan` decides every name and shape once; the other modules turn it into
//! token streams (quote), which are parsed (syn) and printed (prettyplease),
//! so no rustfmt is needed and the output is the same on every machine.

mod emit;
mod names;
mod plan;
mod print;
pub mod release;
mod runtime;

use proc_macro2::TokenStream;
use quote::quote;

use crate::OutputFile;
use crate::error::Error;
use emit::item::Item;
use emit::{client, docs, errors, example, manifest, mock, operations, types, webhooks};
use plan::features::FeatureIndex;
use release::public_api;

pub use emit::tokens::type_tokens;
pub use plan::{Plan, RustOptions};

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
    /// One part's items (a type, an operation's builder); may be none.
    part: fn(&Plan, usize) -> syn::Result<Vec<Item>>,
    /// What only one feature needs moves to a module of that feature's
    /// (`plan/features.rs`).
    split: bool,
}

const MODULES: [Module; 6] = [
    Module { name: "client", head: client::client_rs, parts: |_| 0, part: |_, _| Ok(Vec::new()), split: false },
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
    Module { name: "webhooks", head: webhooks::webhooks_rs, parts: |_| 0, part: |_, _| Ok(Vec::new()), split: false },
    Module { name: "mock", head: mock::mock_rs, parts: |_| 0, part: |_, _| Ok(Vec::new()), split: false },
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

/// Builds, gates and prints `module`'s head (`parts` is `None`) or a
/// range of its parts, and reads them for the public API.
fn print_chunk(
    plan: &Plan,
    module: &Module,
    parts: Option<std::ops::Range<usize>>,
    reader: &public_api::Reader,
) -> Result<PrintedChunk, Error> {
    let label = &plan.options.spec_label;
    let (attrs, mut items) = match parts {
        None => parse((module.head)(plan), label)?,
        Some(parts) => {
            let mut items = Vec::new();
            for part in parts {
                items.extend((module.part)(plan, part).map_err(|error| internal(label, error))?);
            }
            (Vec::new(), items)
        }
    };
    if attrs.is_empty() && items.is_empty() {
        return Ok(PrintedChunk::default());
    }
    // The client's own items are the same in every crate: only what the
    // document made is gated, by name.
    if module.split {
        plan.features.gate(&mut items);
    }
    // The public API is read before the split, which moves items but
    // doesn't change their public paths.
    let lines = reader.lines(module.name, &items);
    let (mut kept, moved) = if module.split { plan.features.sort(items) } else { (items, Vec::new()) };
    let rest = kept.split_off(kept.iter().take_while(|item| matches!(item, Item::Plain(syn::Item::Use(_)))).count());
    Ok(PrintedChunk {
        imports: print::module(attrs, kept),
        kept: print::module(Vec::new(), rest),
        moved: moved.into_iter().map(|items| print::module(Vec::new(), items)).collect(),
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
    let used = (0..moved.len()).map(FeatureIndex).filter(|&feature| moved[feature].iter().any(|text| !text.is_empty()));
    let declarations = features.declarations(used);
    if !declarations.is_empty() {
        imports.push(print::space_items(&print::pretty(Vec::new(), declarations)));
    }
    let modules = moved.into_iter().enumerate().filter(|(_, texts)| texts.iter().any(|text| !text.is_empty()));
    let modules = modules.map(|(feature, texts)| {
        let feature = FeatureIndex(feature);
        let head = features
            .module_head(feature, module.name != "types", |tag, name| feature_module_docs(module.name, tag, name));
        let text = print::join_spaced(std::iter::once(print::file(&head)).chain(texts).collect());
        (format!("src/{}/{}.rs", module.name, features.module(feature)), text)
    });
    let modules = modules.collect();
    (print::join_spaced(imports.into_iter().chain(kept).collect()), modules)
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
    let (lib_attrs, mut lib_items) = parse(lib_rs(plan), label)?;
    plan.features.gate(&mut lib_items);
    let reader = public_api::Reader::new(plan, &lib_items);
    let mut api_lines = reader.lines("lib", &lib_items);
    let lib = print::module(lib_attrs, lib_items);
    // Every runtime file is read, `object.rs` too: its macros declare the types.
    let needs = plan.runtime_needs();
    for (path, text) in runtime::files(&runtime::Needs { object: true, ..needs.clone() }) {
        // A stream's module is read as `stream`, which re-exports its items.
        let module = path.trim_start_matches("src/").trim_end_matches(".rs");
        let module = module.split('/').next().unwrap_or(module);
        let items: Vec<Item> =
            syn::parse_file(&text).map_or(Vec::new(), |file| file.items.into_iter().map(Item::Plain).collect());
        api_lines.extend(reader.lines(module, &items));
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
    let [client, operation_errors, requests, types, webhooks, mock] = <[String; MODULES.len()]>::try_from(texts)
        .map_err(|texts| bug(label, &format!("{} modules printed, not {}", texts.len(), MODULES.len())))?;
    let (client, requests) = (format!("{header}\n{client}"), format!("{header}\n{requests}"));
    let types = (!api.types.is_empty()).then(|| format!("{header}\n{types}"));
    let operation_errors = (!operation_errors.is_empty()).then(|| format!("{header}\n{operation_errors}"));
    let webhooks = (!webhooks.is_empty()).then(|| format!("{header}\n{webhooks}"));
    let mock = (!mock.is_empty()).then(|| format!("{header}\n{mock}"));
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
    files.extend(runtime::files(&needs).map(|(path, text)| OutputFile::new(path, text.into_owned())));
    files.extend(types.map(|types| OutputFile::new("src/types.rs", types)));
    files.extend(operation_errors.map(|errors| OutputFile::new("src/operation_error.rs", errors)));
    files.extend(webhooks.map(|webhooks| OutputFile::new("src/webhooks.rs", webhooks)));
    files.extend(mock.map(|mock| OutputFile::new("src/mock.rs", mock)));
    files.extend(feature_modules.into_iter().map(|(path, text)| OutputFile::new(&path, format!("{header}\n{text}"))));
    let snapshot = public_api::snapshot(plan, api_lines, &files);
    files.push(OutputFile::new("public-api.txt", snapshot));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// A new crate's first version (see `release/mod.rs` for the ones after).
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

/// The Rust snippet of `api.webhooks[webhook]`'s page: a function that
/// checks and reads a delivery, with the webhook's variant.
pub fn webhook_snippet(plan: &Plan, webhook: usize) -> String {
    let crate_path = plan.crate_path();
    let variant = plan.webhooks.iter().find(|w| std::ptr::eq(w.webhook, &plan.api.webhooks[webhook]));
    let handling = match variant {
        Some(variant) if variant.payload.is_some() => format!(
            "    if let Webhook::{}(payload) = &webhook {{\n        println!(\"{{payload:?}}\");\n    }}\n",
            variant.variant
        ),
        Some(variant) => {
            format!("    if webhook == Webhook::{} {{\n        println!(\"{{webhook:?}}\");\n    }}\n", variant.variant)
        }
        None => String::new(),
    };
    format!(
        "use {crate_path}::webhooks::{{Verifier, Webhook, WebhookError}};\n\n\
         /// Checks that the API sent a delivery, then reads it: `headers` and `body`\n\
         /// are those of the request your server received (axum and hyper give an\n\
         /// `http::HeaderMap`). Needs the crate's `webhooks` feature.\n\
         fn receive(secret: &str, headers: &http::HeaderMap, body: &[u8]) -> Result<Webhook, WebhookError> {{\n    \
         let webhook = Verifier::new(secret)?.read(headers, body)?;\n\
         {handling}    Ok(webhook)\n}}\n"
    )
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
    // Before `types`: its types are declared in the macros it defines.
    let object = plan.needs_object_rs().then(|| {
        quote!(
            #[macro_use]
            mod object;
        )
    });
    // When every type is behind a tag's feature and some tag's operations
    // use none, the export is behind the types' features: with only such
    // tags on, it would export nothing.
    let type_gates = (0..plan.api.types.len())
        .map(|index| plan.features.needs(plan.type_name(crate::ir::TypeIndex(index))))
        .try_fold(std::collections::BTreeSet::new(), |mut all, needs| {
            all.extend(needs?.iter().map(|feature| feature.0));
            Some(all)
        });
    let uses_no_type = |features: &std::collections::BTreeSet<usize>| {
        plan.features.tags.iter().enumerate().any(|(index, (_, tag))| !tag.is_empty() && !features.contains(&index))
    };
    let types_gate = type_gates.filter(|features| !features.is_empty() && uses_no_type(features)).map(|features| {
        let names = features.iter().map(|&feature| plan.features.tags[feature].0.as_str());
        quote!(#[cfg(any(#(feature = #names),*))])
    });
    let types_export = (!plan.api.types.is_empty()).then(|| {
        quote!(
            #types_gate
            pub use types::*;
        )
    });
    // Before `requests`: its paged builders call the `impl_pages!` it defines.
    let paging = plan.pages().then(|| {
        quote!(
            #[macro_use]
            pub mod paging;
        )
    });
    let stream = (!plan.stream_formats().is_empty() || plan.uploads().any()).then(|| {
        quote!(
            pub mod stream;
        )
    });
    let webhooks = plan.receives_webhooks().is_some().then(|| {
        quote!(
            #[cfg(feature = "webhooks")]
            pub mod webhooks;
        )
    });
    let mock = plan.mocks().then(|| {
        quote!(
            #[cfg(feature = "mock")]
            pub mod mock;
        )
    });
    let oauth2 = plan.gets_tokens().then(|| {
        quote!(
            mod oauth2;
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
        mod connection;
        // Before `operation_error`: its enums call the `impl_operation_error!` it defines.
        #[macro_use]
        mod error;
        // Before `requests`: its builders call the `impl_send!` it defines.
        #[macro_use]
        mod http;
        #mock
        #oauth2
        #object
        #operation_errors
        #paging
        pub mod requests;
        mod retry;
        #stream
        mod tls;
        #types
        #webhooks

        pub use client::{Client, ClientBuilder};
        pub use error::Error;
        pub use http::ResponseValue;
        #operation_errors_export
        #response_export
        pub use retry::RetryPolicy;
        #types_export
    }
}

/// Parses a module's head (or `lib.rs`): its inner attributes and items.
fn parse(tokens: TokenStream, spec_label: &str) -> Result<(Vec<syn::Attribute>, Vec<Item>), Error> {
    if tokens.is_empty() {
        return Ok(Default::default());
    }
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| internal(spec_label, error))?;
    Ok((file.attrs, file.items.into_iter().map(Item::Plain).collect()))
}

/// An emitter's tokens that don't parse: a bug, reported rather than a panic.
fn internal(spec_label: &str, error: syn::Error) -> Error {
    bug(spec_label, &format!("the generated Rust does not parse ({error})"))
}

/// A broken invariant of the generator's, as an error rather than a panic.
fn bug(spec_label: &str, what: &str) -> Error {
    Error::new(spec_label, None, format!("internal error: {what}"))
        .help("this is a bug in kanuu-codegen; please report it with the document")
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
