//! The feature gates applied to the emitted items (`plan/features.rs`
//! decides which item needs which feature): a `#[cfg]` on each, `use`
//! lists split so each gated name is imported alone, and what only one
//! feature needs sorted into that feature's module.

use std::collections::{BTreeSet, HashMap};

use quote::ToTokens;
use syn::ImplItem;

use super::item::Item;
use crate::rust::names;
use crate::rust::plan::features::{FeatureIndex, Features};

impl Features {
    /// Puts a `#[cfg(…)]` on every item of `file` that needs a feature, and
    /// splits `use` lists so each gated name is imported on its own.
    pub fn gate(&self, module: &mut Vec<Item>) {
        if self.is_empty() {
            return;
        }
        // Many items need the same features: each set's `cfg` is built once.
        let mut gates: HashMap<&BTreeSet<FeatureIndex>, syn::Attribute> = HashMap::new();
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
                            && let Some(features) = self.needs(&format!("Client::{}", method.sig.ident))
                        {
                            method.attrs.push(cfg_for(features));
                        }
                    }
                }
            } else if let Some(features) = owner.and_then(|name| self.needs(&name))
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

    /// The `#[cfg(…)]` of an item by its name (`Client::method` for a
    /// method), when it needs a feature.
    pub fn cfg_of(&self, name: &str) -> Option<syn::Attribute> {
        self.needs(name).map(|features| cfg(&self.tags, features))
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
        let single = |name: &str| match self.needs(name) {
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
                    let feature = FeatureIndex(feature);
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

    /// What declares and re-exports the modules of `features`,
    /// each behind its `cfg`; they go after the parent module's imports, so
    /// public paths don't change.
    pub fn declarations(&self, features: impl IntoIterator<Item = FeatureIndex>) -> Vec<syn::Item> {
        let mut declarations = Vec::new();
        for feature in features {
            let module = names::ident(self.module(feature));
            let gate = cfg(&self.tags, &BTreeSet::from([feature]));
            declarations.push(syn::parse_quote!(#gate mod #module;));
            declarations.push(syn::parse_quote!(#gate pub use #module::*;));
        }
        declarations
    }

    /// The start of `feature`'s module: its docs, which `describe` writes
    /// from the feature's tag (empty for `other-schemas`) and name, and with
    /// `import`, `use super::*;` (the parent module's imports).
    pub fn module_head(
        &self,
        feature: FeatureIndex,
        import: bool,
        describe: impl Fn(&str, &str) -> String,
    ) -> syn::File {
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

    /// Takes off the `cfg` [`Features::gate`] put on an item of `feature`.
    /// `gates` keeps each feature's `cfg` as text, made once per chunk.
    fn ungate(
        &self,
        attrs: &mut Vec<syn::Attribute>,
        feature: FeatureIndex,
        gates: &mut HashMap<FeatureIndex, String>,
    ) {
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
            self.needs(&leaf.1).filter(|_| !external)
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

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg(tags: &[(String, String)], features: &BTreeSet<FeatureIndex>) -> syn::Attribute {
    let names: Vec<&str> = features.iter().map(|&f| tags[f].0.as_str()).collect();
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
