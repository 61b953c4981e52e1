//! One cargo feature per tag, so users compile only the part of a large API
//! they call.
//!
//! When a document's operations carry two tags or more, each tag becomes a
//! feature (all on by default). An operation's method, request builder and
//! answer and error enums exist when any of its tags' features is on; a type
//! exists when any feature whose operations reach it is on. Operations
//! without tags, and the types they reach, are always there. Schemas no
//! operation uses (webhook payloads, say), and what they hold, get a feature
//! of their own, `other-schemas`, also on by default.
//! Documents with one tag or none, like Kanuu's, get no such features.
//!
//! Gating happens on the emitted items ([`Features::gate`]): each
//! top-level item, and each `Client` method, is matched to its owner by
//! name ([`Item::owner`]), so the emitters don't need to know.
//!
//! Such a crate is also split into one module per feature, so a person can
//! find their way in it ([`Features::sort`]): what only one feature needs
//! moves from `types.rs`, `requests.rs` and `operation_error.rs` to
//! `types/issues.rs`, `requests/issues.rs` and `operation_error/issues.rs`,
//! whose `mod` line carries the
//! `cfg`; what several features share stays where it was. Public paths
//! don't change: each module re-exports its feature modules' items.

use std::collections::{BTreeSet, HashMap};

use heck::ToKebabCase;
use quote::ToTokens;
use syn::ImplItem;

use crate::ir::*;
use crate::rust::emit::item::Item;
use crate::rust::names;
use crate::unique::{Scope, capped};

/// The crate's own features, which a tag can't take.
pub const RESERVED: &[&str] = &["default", "rustls", "native-tls", "http2", "middleware"];

/// The feature for the schemas no operation uses.
const OTHER_SCHEMAS: &str = "other-schemas";

#[derive(Debug, Default)]
pub struct Features {
    /// Each feature's name and the tag it is for, in the order tags first
    /// appear on operations; last, when some schemas are used by no
    /// operation, `other-schemas` for them (its tag is empty).
    pub tags: Vec<(String, String)>,
    /// Each feature's module, e.g. `issues` or `other_schemas`.
    modules: Vec<String>,
    /// An item's name (a type, builder or enum; `Client::method` for a
    /// method) → the features it needs any of.
    gates: HashMap<String, BTreeSet<usize>>,
}

impl Features {
    /// The features of `api`'s tags, gating each type by `type_names` (by
    /// type index) and each operation's items by the names in
    /// `operation_items` (by operation: its `Client::method`, its builder,
    /// its answer and error enums).
    pub fn new(api: &Api, type_names: &[String], operation_items: &[Vec<String>]) -> Features {
        let mut scope = Scope::with_reserved(RESERVED);
        let mut tags: Vec<(String, String)> = Vec::new();
        let mut index_of: HashMap<&str, usize> = HashMap::new();
        for tag in api.operations.iter().flat_map(|op| &op.tags) {
            if !index_of.contains_key(tag.as_str()) {
                let base = match tag.to_kebab_case() {
                    name if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) => format!("tag-{name}"),
                    name => name,
                };
                index_of.insert(tag, tags.len());
                tags.push((scope.claim(&base), tag.clone()));
            }
        }
        if tags.len() < 2 {
            return Features::default();
        }
        let operation_features: Vec<BTreeSet<usize>> =
            api.operations.iter().map(|op| op.tags.iter().map(|tag| index_of[tag.as_str()]).collect()).collect();

        // Which types each feature's operations reach, and which the
        // untagged operations (or no operation) need.
        let count = api.types.len();
        let mut reached_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
        let mut reached_at_all = vec![false; count];
        for (feature, _) in tags.iter().enumerate() {
            let operations = api.operations.iter().zip(&operation_features).filter(|(_, f)| f.contains(&feature));
            let reached = super::reachable(api, operations.flat_map(|(op, _)| types_of(op)));
            for (index, reached) in reached.into_iter().enumerate() {
                if reached {
                    reached_by[index].insert(feature);
                    reached_at_all[index] = true;
                }
            }
        }
        let untagged = api.operations.iter().zip(&operation_features).filter(|(_, f)| f.is_empty());
        let always = super::reachable(api, untagged.flat_map(|(op, _)| types_of(op)));
        // Schemas no operation uses (webhook payloads, say) and what they
        // hold: a feature of their own, so one tag's users skip them.
        let unreached: Vec<TypeRef> =
            (0..count).filter(|i| !reached_at_all[*i] && !always[*i]).map(TypeRef::Named).collect();
        if !unreached.is_empty() {
            let feature = tags.len();
            tags.push((scope.claim(OTHER_SCHEMAS), String::new()));
            for (index, reached) in super::reachable(api, unreached.iter()).into_iter().enumerate() {
                if reached {
                    reached_by[index].insert(feature);
                }
            }
        }

        // Shared types (`shapes.rs`) are one item: what any member needs.
        let mut type_gates: HashMap<String, Option<BTreeSet<usize>>> = HashMap::new();
        for index in 0..count {
            let name = names::ident(&type_names[index]).to_string();
            let needs = (!always[index]).then(|| reached_by[index].clone());
            match type_gates.get_mut(&name) {
                None => {
                    type_gates.insert(name, needs);
                }
                Some(gate) => {
                    *gate = match (gate.take(), needs) {
                        (Some(mut a), Some(b)) => {
                            a.extend(b);
                            Some(a)
                        }
                        _ => None,
                    }
                }
            }
        }
        let mut gates: HashMap<String, BTreeSet<usize>> =
            type_gates.into_iter().filter_map(|(name, gate)| Some((name, gate?))).collect();
        for (owners, features) in operation_items.iter().zip(&operation_features) {
            if features.is_empty() {
                continue;
            }
            for owner in owners {
                gates.insert(owner.clone(), features.clone());
            }
        }
        let mut module_scope = Scope::with_reserved(crate::rust::runtime::reserved::TAG_MODULES);
        module_scope.reserve(crate::rust::runtime::DEPENDENCIES);
        let modules = tags
            .iter()
            .map(|(feature, _)| module_scope.claim(&capped(&names::local(&names::snake(feature)), "_")))
            .collect();
        Features { tags, modules, gates }
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// Puts a `#[cfg(…)]` on every item of `file` that needs a feature, and
    /// splits `use` lists so each gated name is imported on its own.
    pub fn gate(&self, module: &mut Vec<Item>) {
        if self.is_empty() {
            return;
        }
        // Many items need the same features: each set's `cfg` is built once.
        let mut gates: HashMap<&BTreeSet<usize>, syn::Attribute> = HashMap::new();
        let mut cfg_for = |features| gates.entry(features).or_insert_with(|| cfg(&self.tags, features)).clone();
        let mut items = Vec::with_capacity(module.len());
        for mut item in std::mem::take(module) {
            if let Item::Plain(syn::Item::Use(used)) = &item {
                items.extend(self.split_use(used).into_iter().map(Item::Plain));
                continue;
            }
            let owner = item.owner();
            if owner.as_deref() == Some("Client") {
                // `impl Client` in requests.rs: one method per operation.
                if let Item::Plain(syn::Item::Impl(block)) = &mut item {
                    for member in &mut block.items {
                        if let ImplItem::Fn(method) = member
                            && let Some(features) = self.gates.get(&format!("Client::{}", method.sig.ident))
                        {
                            method.attrs.push(cfg_for(features));
                        }
                    }
                }
            } else if let Some(features) = owner.and_then(|name| self.gates.get(&name))
                && let Some(attrs) = item.attrs_mut()
            {
                attrs.push(cfg_for(features));
            } else if let Item::Plain(syn::Item::Fn(helper)) = &mut item
                && matches!(helper.vis, syn::Visibility::Inherited)
            {
                // A private helper of the operations may go unused with some off.
                helper.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
            }
            items.push(item);
        }
        *module = items;
    }

    /// Sorts a gated module's items (see [`Features::gate`]), or one chunk
    /// of them, into what stays in the module and what moves to each
    /// feature's module (indexed by feature): an item, or a `Client` method,
    /// that needs exactly one feature moves there and loses its `cfg`, which
    /// the module's `mod` line carries ([`Features::declarations`]).
    pub fn sort(&self, items: Vec<Item>) -> (Vec<Item>, Vec<Vec<Item>>) {
        if self.is_empty() {
            return (items, Vec::new());
        }
        let single = |name: &str| match self.gates.get(name) {
            Some(features) if features.len() == 1 => features.first().copied(),
            _ => None,
        };
        let mut moved: Vec<Vec<Item>> = self.tags.iter().map(|_| Vec::new()).collect();
        let mut kept = Vec::with_capacity(items.len());
        let mut gates = HashMap::new();
        for mut item in items {
            let owner = item.owner();
            if owner.as_deref() == Some("Client")
                && let Item::Plain(syn::Item::Impl(block)) = &mut item
            {
                let mut methods: Vec<Vec<ImplItem>> = vec![Vec::new(); self.tags.len()];
                let members = std::mem::take(&mut block.items);
                // The block without its members, for each feature's part:
                // cloning it whole for each would copy every method again.
                let shell = block.clone();
                for mut member in members {
                    let feature = match &member {
                        ImplItem::Fn(method) => single(&format!("Client::{}", method.sig.ident)),
                        _ => None,
                    };
                    match feature {
                        Some(feature) => {
                            if let ImplItem::Fn(method) = &mut member {
                                self.ungate(&mut method.attrs, feature, &mut gates);
                            }
                            methods[feature].push(member);
                        }
                        None => block.items.push(member),
                    }
                }
                for (feature, methods) in methods.into_iter().enumerate().filter(|(_, m)| !m.is_empty()) {
                    let mut part = shell.clone();
                    part.items = methods;
                    moved[feature].push(Item::Plain(syn::Item::Impl(part)));
                }
                if !block.items.is_empty() {
                    kept.push(item);
                }
                continue;
            }
            match owner.as_deref().and_then(single) {
                Some(feature) if !matches!(item, Item::Plain(syn::Item::Use(_))) => {
                    if let Some(attrs) = item.attrs_mut() {
                        self.ungate(attrs, feature, &mut gates);
                    }
                    moved[feature].push(item);
                }
                _ => kept.push(item),
            }
        }
        (kept, moved)
    }

    /// What declares and re-exports the modules of `features` (indexes),
    /// each behind its `cfg`; they go after the parent module's imports, so
    /// public paths don't change.
    pub fn declarations(&self, features: impl IntoIterator<Item = usize>) -> Vec<syn::Item> {
        let mut declarations = Vec::new();
        for feature in features {
            let module = names::ident(&self.modules[feature]);
            let gate = cfg(&self.tags, &BTreeSet::from([feature]));
            declarations.push(syn::parse_quote!(#gate mod #module;));
            declarations.push(syn::parse_quote!(#gate pub use #module::*;));
        }
        declarations
    }

    /// The start of `feature`'s module: its docs, which `describe` writes
    /// from the feature's tag (empty for `other-schemas`) and name, and with
    /// `import`, `use super::*;` (the parent module's imports).
    pub fn module_head(&self, feature: usize, import: bool, describe: impl Fn(&str, &str) -> String) -> syn::File {
        let (name, tag) = &self.tags[feature];
        let docs = crate::rust::emit::docs::inner(&describe(tag, name));
        let mut head: syn::File = syn::parse_quote!(#docs);
        if import {
            head.items.push(syn::parse_quote!(
                use super::*;
            ));
        }
        head
    }

    /// `feature`'s module, e.g. `issues` (its file is `types/issues.rs`).
    pub fn module(&self, feature: usize) -> &str {
        &self.modules[feature]
    }

    /// Takes off the `cfg` [`Features::gate`] put on an item of `feature`.
    /// `gates` keeps each feature's `cfg` as text, made once per chunk.
    fn ungate(&self, attrs: &mut Vec<syn::Attribute>, feature: usize, gates: &mut HashMap<usize, String>) {
        let gate = gates
            .entry(feature)
            .or_insert_with(|| cfg(&self.tags, &BTreeSet::from([feature])).to_token_stream().to_string());
        // Only `cfg`s are compared as text: an item's docs can be long.
        attrs.retain(|attr| !attr.path().is_ident("cfg") || attr.to_token_stream().to_string() != *gate);
    }

    /// `use a::{B, C}` with `C` gated → `use a::B;` and `#[cfg(…)] use a::C;`.
    fn split_use(&self, used: &syn::ItemUse) -> Vec<syn::Item> {
        let mut leaves = Vec::new();
        flatten(&used.tree, String::new(), &mut leaves);
        // Only the crate's own items are gated: `use std::future::Future;`
        // stays whatever the document named `Future`.
        let gated = |leaf: &(String, String)| {
            let root = leaf.0.split("::").next().unwrap_or_default();
            let external =
                matches!(root, "std" | "core" | "alloc") || crate::rust::runtime::DEPENDENCIES.contains(&root);
            self.gates.get(&leaf.1).filter(|_| !external)
        };
        if !leaves.iter().any(|leaf| gated(leaf).is_some()) {
            // With some features off, what remains may not use every import.
            let mut used = used.clone();
            if matches!(used.vis, syn::Visibility::Inherited) {
                used.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
            }
            return vec![syn::Item::Use(used)];
        }
        let visibility = &used.vis;
        let mut items = Vec::new();
        for leaf in &leaves {
            let path: syn::UseTree = match syn::parse_str(&leaf.0) {
                Ok(path) => path,
                Err(_) => continue,
            };
            let mut item: syn::ItemUse = syn::parse_quote!(#visibility use #path;);
            item.attrs = used.attrs.clone();
            match gated(leaf) {
                Some(features) => item.attrs.push(cfg(&self.tags, features)),
                None if matches!(visibility, syn::Visibility::Inherited) => {
                    item.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
                }
                None => {}
            }
            items.push(syn::Item::Use(item));
        }
        items
    }
}

/// The types an operation's signature and answers use.
fn types_of(op: &Operation) -> impl Iterator<Item = &TypeRef> {
    let params = op.parameters.iter().map(|p| &p.ty);
    let body = op.body.iter().map(|b| &b.ty);
    let responses = op.responses.iter().filter_map(|r| r.body.as_ref().map(|b| &b.ty));
    params.chain(body).chain(responses)
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg(tags: &[(String, String)], features: &BTreeSet<usize>) -> syn::Attribute {
    let names: Vec<&str> = features.iter().map(|f| tags[*f].0.as_str()).collect();
    match names.as_slice() {
        [one] => syn::parse_quote!(#[cfg(feature = #one)]),
        many => syn::parse_quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// Each name a `use` tree imports: (its whole path, the name it binds).
fn flatten(tree: &syn::UseTree, prefix: String, leaves: &mut Vec<(String, String)>) {
    let join = |name: &str| if prefix.is_empty() { name.to_owned() } else { format!("{prefix}::{name}") };
    match tree {
        syn::UseTree::Path(path) => flatten(&path.tree, join(&path.ident.to_string()), leaves),
        syn::UseTree::Name(name) => leaves.push((join(&name.ident.to_string()), name.ident.to_string())),
        syn::UseTree::Rename(rename) => {
            leaves.push((join(&format!("{} as {}", rename.ident, rename.rename)), rename.rename.to_string()))
        }
        syn::UseTree::Glob(_) => leaves.push((join("*"), "*".to_owned())),
        syn::UseTree::Group(group) => group.items.iter().for_each(|item| flatten(item, prefix.clone(), leaves)),
    }
}
