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
) -> Vec<usize> {
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
    // Coarsen until nothing changes: a key names its members' types by
    // their current group, so groups of leaves let their parents merge.
    let mut group: Vec<usize> = (0..count).collect();
    loop {
        let mut first_of: HashMap<String, usize> = HashMap::new();
        let mut next = group.clone();
        for index in 0..count {
            if mergeable[index] {
                let key = shape_key(&api.types[index], travels[index], &group);
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
    group.iter().map(|first| kept.get(first).copied().unwrap_or(*first)).collect()
}

/// A component schema: `/components/schemas/Name` itself, not a place inside one.
fn is_component(pointer: &str) -> bool {
    pointer.strip_prefix("/components/schemas/").is_some_and(|name| !name.contains('/'))
}

/// Everything about a type that its Rust code depends on, with the types it
/// names replaced by their groups. `travels` (sent in requests, received in
/// responses) matters when read- or write-only fields make it optional.
fn shape_key(def: &TypeDef, travels: (bool, bool), group: &[usize]) -> String {
    let mut key = format!("deprecated={} ", def.deprecated);
    match &def.kind {
        TypeKind::Object(object) => {
            key.push_str("object{");
            let direction = object.fields.iter().any(|f| f.read_only || f.write_only);
            if direction {
                let _ = write!(key, "travels={travels:?} ");
            }
            for field in &object.fields {
                let _ = write!(
                    key,
                    "{:?}:{}:{}{}{}{}{}:{:?}:{:?}:{:?};",
                    field.name,
                    type_key(&field.ty, group),
                    u8::from(field.required),
                    u8::from(field.nullable),
                    u8::from(field.deprecated),
                    u8::from(field.read_only),
                    u8::from(field.write_only),
                    field.description,
                    field.constraints,
                    field.default,
                );
            }
            let additional = object.additional.as_ref().map(|ty| type_key(ty, group));
            let _ = write!(key, "}} additional={additional:?}");
        }
        TypeKind::StringEnum(values) => {
            let _ = write!(key, "enum{values:?}");
        }
        TypeKind::Alias(target) => {
            let _ = write!(key, "alias({})", type_key(target, group));
        }
        TypeKind::Union(union) => {
            let variants: Vec<String> = union.variants.iter().map(|v| type_key(v, group)).collect();
            let _ = write!(key, "union{variants:?} discriminator={:?}", union.discriminator);
        }
    }
    key
}

fn type_key(ty: &TypeRef, group: &[usize]) -> String {
    match ty {
        TypeRef::Named(index) => format!("#{}", group.get(*index).copied().unwrap_or(*index)),
        TypeRef::Array(item) => format!("[{}]", type_key(item, group)),
        TypeRef::Map(value) => format!("{{{}}}", type_key(value, group)),
        other => format!("{other:?}"),
    }
}
