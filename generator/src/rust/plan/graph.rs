//! Facts of the API's type graph the plan decides from: which types a
//! value can contain, and which contain themselves by value.

use crate::ir::*;

/// Tarjan's strongly connected components over "type i holds a type j by
/// value", each component a number, by type (iterative, so deep schema graphs can't overflow the stack):
/// linear in the number of types and fields.
pub fn by_value_components(api: &Api) -> Vec<usize> {
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|def| {
            let direct = |ty: &TypeRef| match ty {
                TypeRef::Named(index) => Some(index.0),
                _ => None,
            };
            match &def.kind {
                TypeKind::Object(object) => object.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
                TypeKind::Alias(target) => direct(target).into_iter().collect(),
                TypeKind::Union(union) => union.variants.iter().filter_map(direct).collect(),
                TypeKind::StringEnum(_) => Vec::new(),
            }
        })
        .collect();
    let count = edges.len();
    let mut index_of = vec![usize::MAX; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![usize::MAX; count];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index_of[root] != usize::MAX {
            continue;
        }
        // (node, position in its edge list)
        let mut calls = vec![(root, 0)];
        index_of[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = calls.last_mut() {
            if let Some(&next) = edges[node].get(*position) {
                *position += 1;
                if next >= count {
                    continue;
                }
                if index_of[next] == usize::MAX {
                    index_of[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    calls.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index_of[next]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index_of[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Every named type a value of one of `roots` can contain.
pub fn reachable<'a>(api: &Api, roots: impl Iterator<Item = &'a TypeRef>) -> Vec<bool> {
    let mut seen = vec![false; api.types.len()];
    let mut stack: Vec<&TypeRef> = roots.collect();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => stack.push(inner),
            TypeRef::Named(index) if index.0 < seen.len() && !seen[*index] => {
                seen[*index] = true;
                match &api.types[*index].kind {
                    TypeKind::Object(object) => {
                        stack.extend(object.fields.iter().map(|f| &f.ty));
                        stack.extend(object.additional.iter());
                    }
                    TypeKind::Alias(target) => stack.push(target),
                    TypeKind::Union(union) => stack.extend(union.variants.iter()),
                    TypeKind::StringEnum(_) => {}
                }
            }
            _ => {}
        }
    }
    seen
}
