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
//! This module decides which item needs which feature, by the item's name
//! (`Client::method` for a method); `emit/gates.rs` applies that to the
//! emitted items (`Features::gate`), so the emitters don't need to know.
//!
//! Such a crate is also split into one module per feature, so a person can
//! find their way in it (`Features::sort`): what only one feature needs
//! moves from `types.rs`, `requests.rs` and `operation_error.rs` to
//! `types/issues.rs`, `requests/issues.rs` and `operation_error/issues.rs`,
//! whose `mod` line carries the `cfg`; what several features share stays
//! where it was. Public paths don't change: each module re-exports its
//! feature modules' items.

use std::collections::{BTreeSet, HashMap};

use heck::ToKebabCase;

use crate::ir::*;
use crate::rust::names;
use crate::unique::{Scope, capped};

/// The crate's own features, which a tag can't take.
pub const RESERVED: &[&str] = &["default", "rustls", "native-tls", "http2", "middleware", "webhooks", "mock"];

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
    gates: HashMap<String, BTreeSet<FeatureIndex>>,
}

/// Where a feature is in [`Features::tags`] (and its module in `modules`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeatureIndex(pub usize);

crate::ir::indexes_lists!(FeatureIndex);

impl Features {
    /// The features of `api`'s tags, gating each type by `type_names` (by
    /// type index) and each operation's items by the names in
    /// `operation_items` (by operation: its `Client::method`, its builder,
    /// its answer and error enums).
    pub fn new(api: &Api, type_names: &[String], operation_items: &[Vec<String>]) -> Features {
        let mut scope = Scope::with_reserved(RESERVED);
        let mut tags: Vec<(String, String)> = Vec::new();
        let mut index_of: HashMap<&str, FeatureIndex> = HashMap::new();
        for tag in api.operations.iter().flat_map(|op| &op.tags) {
            if !index_of.contains_key(tag.as_str()) {
                let base = match tag.to_kebab_case() {
                    name if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) => format!("tag-{name}"),
                    name => name,
                };
                index_of.insert(tag, FeatureIndex(tags.len()));
                tags.push((scope.claim(&base), tag.clone()));
            }
        }
        if tags.len() < 2 {
            return Features::default();
        }
        let operation_features: Vec<BTreeSet<FeatureIndex>> =
            api.operations.iter().map(|op| op.tags.iter().map(|tag| index_of[tag.as_str()]).collect()).collect();

        // Which types each feature's operations reach, and which the
        // untagged operations (or no operation) need.
        let count = api.types.len();
        let mut reached_by: Vec<BTreeSet<FeatureIndex>> = vec![BTreeSet::new(); count];
        let mut reached_at_all = vec![false; count];
        for feature in (0..tags.len()).map(FeatureIndex) {
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
            (0..count).filter(|i| !reached_at_all[*i] && !always[*i]).map(|i| TypeRef::Named(TypeIndex(i))).collect();
        if !unreached.is_empty() {
            let feature = FeatureIndex(tags.len());
            tags.push((scope.claim(OTHER_SCHEMAS), String::new()));
            for (index, reached) in super::reachable(api, unreached.iter()).into_iter().enumerate() {
                if reached {
                    reached_by[index].insert(feature);
                }
            }
        }

        // Shared types (`shapes.rs`) are one item: what any member needs.
        let mut type_gates: HashMap<String, Option<BTreeSet<FeatureIndex>>> = HashMap::new();
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
        let mut gates: HashMap<String, BTreeSet<FeatureIndex>> =
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

    /// The features an item needs any of, by its name (`Client::method`
    /// for a method); `None` for an item every build has.
    pub fn needs(&self, name: &str) -> Option<&BTreeSet<FeatureIndex>> {
        self.gates.get(name)
    }

    /// `feature`'s module, e.g. `issues` (its file is `types/issues.rs`).
    pub fn module(&self, feature: FeatureIndex) -> &str {
        &self.modules[feature.0]
    }
}

/// The types an operation's signature and answers use.
fn types_of(op: &Operation) -> impl Iterator<Item = &TypeRef> {
    let params = op.parameters.iter().map(|p| &p.ty);
    let body = op.body.iter().map(|b| &b.ty);
    let responses = op.responses.iter().filter_map(|r| r.body.as_ref().map(|b| &b.ty));
    params.chain(body).chain(responses)
}
