//! One Rust type per distinct shape.
//!
//! Documents repeat inline schemas: GitHub's spells the enum `read`/`write`
//! out 722 times and an object holding one `href` 229 times. Each would be a
//! type of its own, the same to the compiler, costing every user's build.
//! Here inline schemas (not components, which their authors named) whose
//! Rust types would be identical share one: same wire names, types,
//! optionality, field descriptions and constraints, recursively. Only the
//! types' own descriptions may differ; the fields that use a shared type
//! keep theirs.
//!
//! Which member of a group names the type must not depend on what else the
//! document holds, or adding an operation would rename a type users name in
//! their code. So a group keeps the name it had in the crate being
//! replaced (`kept_names`, from that crate's `public-api.txt`); a new group
//! is named after its first member in document order.

use std::collections::HashMap;
use std::fmt::Write;

use crate::ir::*;

/// For each type, the type that stands for its group (itself when it is
/// alone): the member whose name the crate being replaced used, else the
/// first in document order.
pub(super) fn representatives(
    api: &Api,
    travels: &[(bool, bool)],
    by_value_component: &[usize],
    kept_names: &HashMap<String, String>,
) -> Vec<TypeIndex> {
    let count = api.types.len();
    let mut component_size = vec![0usize; count];
    for &component in by_value_component {
        if let Some(size) = component_size.get_mut(component) {
            *size += 1;
        }
    }
    // Types inside a by-value cycle keep to themselves: their boxing is
    // decided per type, and merging could change it.
    let mergeable: Vec<bool> = api
        .types
        .iter()
        .enumerate()
        .map(|(index, def)| {
            !is_component(&def.pointer) && component_size.get(by_value_component[index]).copied().unwrap_or(0) <= 1
        })
        .collect();
    // Each type's key is its shape's text, written once, and the types it
    // names, looked up in their current group on each round.
    let mut texts: HashMap<String, usize> = HashMap::new();
    let shapes: Vec<(usize, Vec<usize>)> = api
        .types
        .iter()
        .zip(travels)
        .map(|(def, &travels)| {
            let (text, named) = shape_key(def, travels);
            let next_id = texts.len();
            (*texts.entry(text).or_insert(next_id), named)
        })
        .collect();
    // Coarsen until nothing changes: a key names its members' types by
    // their current group, so groups of leaves let their parents merge.
    let mut group: Vec<usize> = (0..count).collect();
    loop {
        let mut first_of: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
        let mut next = group.clone();
        for index in 0..count {
            if mergeable[index] {
                let (text, named) = &shapes[index];
                let key = (*text, named.iter().map(|&named| group.get(named).copied().unwrap_or(named)).collect());
                next[index] = *first_of.entry(key).or_insert(index);
            }
        }
        if next == group {
            break;
        }
        group = next;
    }
    // The member whose name is kept stands for the group.
    let mut kept: HashMap<usize, usize> = HashMap::new();
    for (index, &first) in group.iter().enumerate() {
        let named_before = |member: usize| kept_names.contains_key(&api.types[member].pointer);
        if first != index && named_before(index) && !named_before(first) {
            kept.entry(first).or_insert(index);
        }
    }
    group.iter().map(|first| TypeIndex(kept.get(first).copied().unwrap_or(*first))).collect()
}

/// A component schema: `/components/schemas/Name` itself, not a place inside one.
fn is_component(pointer: &str) -> bool {
    pointer.strip_prefix("/components/schemas/").is_some_and(|name| !name.contains('/'))
}

/// Everything about a type that its Rust code depends on: the text of its
/// shape, with `#` for each type it names, and those types in order (the
/// key compares them by group). `travels` (sent in requests, received in
/// responses) matters when read- or write-only fields make it optional.
fn shape_key(def: &TypeDef, travels: (bool, bool)) -> (String, Vec<usize>) {
    let mut key = format!("deprecated={} ", def.deprecated);
    let mut named = Vec::new();
    match &def.kind {
        TypeKind::Object(object) => {
            key.push_str("object{");
            let direction = object.fields.iter().any(|f| f.read_only || f.write_only);
            if direction {
                let _ = write!(key, "travels={travels:?} ");
            }
            for field in &object.fields {
                let _ = write!(key, "{:?}:", field.name);
                type_key(&field.ty, &mut key, &mut named);
                let _ = write!(
                    key,
                    ":{}{}{}{}{}:",
                    u8::from(field.required),
                    u8::from(field.nullable),
                    u8::from(field.deprecated),
                    u8::from(field.read_only),
                    u8::from(field.write_only),
                );
                // Long texts as written, after their length (Debug would
                // escape them char by char); the rest only when present.
                if let Some(description) = &field.description {
                    let _ = write!(key, "{}:{description}", description.len());
                }
                key.push(':');
                if field.constraints != Constraints::default() {
                    let _ = write!(key, "{:?}", field.constraints);
                }
                key.push(':');
                if let Some(default) = &field.default {
                    let _ = write!(key, "{default}");
                }
                key.push(';');
            }
            let _ = write!(key, "}} closed={} additional=", object.closed);
            if let Some(ty) = &object.additional {
                type_key(ty, &mut key, &mut named);
            }
        }
        TypeKind::StringEnum(values) => {
            let _ = write!(key, "enum{values:?}");
        }
        TypeKind::Alias(target) => {
            key.push_str("alias ");
            type_key(target, &mut key, &mut named);
        }
        TypeKind::Union(union) => {
            key.push_str("union[");
            for variant in &union.variants {
                type_key(variant, &mut key, &mut named);
                key.push(',');
            }
            let _ = write!(key, "] discriminator={:?}", union.discriminator);
        }
    }
    (key, named)
}

fn type_key(ty: &TypeRef, key: &mut String, named: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(index) => {
            key.push('#');
            named.push(index.0);
        }
        TypeRef::Array(item) => {
            key.push('[');
            type_key(item, key, named);
            key.push(']');
        }
        TypeRef::Map(value) => {
            key.push('{');
            type_key(value, key, named);
            key.push('}');
        }
        TypeRef::Nullable(inner) => {
            key.push('?');
            type_key(inner, key, named);
        }
        other => {
            let _ = write!(key, "{other:?}");
        }
    }
}
