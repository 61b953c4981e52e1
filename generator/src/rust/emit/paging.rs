//! A paged operation's builder: how its list pages (`paging()`) and a
//! page's items (`page_items`), in plain Rust, and `impl_pages!` for its
//! `pages()` and `items()` (`runtime/paging.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::item::{ImplPages, Item};
use super::tokens::type_tokens;
use crate::ir::*;
use crate::rust::names;
use crate::rust::plan::{Decode, OperationPlan, Plan, Success, Wrapping};

/// What a paged builder's `paging()` is made of: how the next page is
/// asked for, the limit, and how a page's items are counted and taken out.
struct PagingCode {
    next: TokenStream,
    limit: TokenStream,
    count: TokenStream,
    items: TokenStream,
}

/// Whether `op`'s builder has `pages()` and `items()`.
pub fn is_paged(plan: &Plan, op: &OperationPlan) -> bool {
    paging_code(plan, op).is_some()
}

/// How `op`'s list pages, as code: when it does, and its page is one type
/// whose items and next page the plan can reach.
fn paging_code(plan: &Plan, op: &OperationPlan) -> Option<PagingCode> {
    let paging = op.op.paging.as_ref()?;
    let body = page_body(op)?;
    let count = items_count(plan, body, &paging.items)?;
    let items = page_items(plan, body, &paging.items)?;
    let next = match &paging.next {
        NextPage::LinkHeader => quote!(crate::paging::Next::LinkHeader),
        NextPage::Url(path) => {
            let url = text_at(plan, body, path)?;
            quote!(crate::paging::Next::Url(|page| #url))
        }
        NextPage::Cursor { param, from, alone } => {
            let cursor = text_at(plan, body, from)?;
            quote!(crate::paging::Next::Cursor { param: #param, cursor: |page| #cursor, alone: #alone })
        }
        NextPage::Offset { param } => quote!(crate::paging::Next::Offset { param: #param }),
        NextPage::PageNumber { param, first } => {
            let first = proc_macro2::Literal::i64_unsuffixed(*first);
            quote!(crate::paging::Next::PageNumber { param: #param, first: #first })
        }
    };
    let limit = match &paging.limit {
        Some((param, Some(default))) => {
            let default = proc_macro2::Literal::u64_unsuffixed(*default);
            quote!(Some((#param, Some(#default))))
        }
        Some((param, None)) => quote!(Some((#param, None))),
        None => quote!(None),
    };
    Some(PagingCode { next, limit, count, items })
}

/// The items that make `op`'s builder page, when its list does (`page`
/// is its output type).
pub fn paging_items(plan: &Plan, op: &OperationPlan, page: &TokenStream) -> syn::Result<Vec<Item>> {
    let (Some(paging), Some(PagingCode { next, limit, count, items })) = (&op.op.paging, paging_code(plan, op)) else {
        return Ok(Vec::new());
    };
    let builder = names::ident(&op.builder);
    let item = type_tokens(plan, &paging.item);
    let error = match &op.error {
        Some(error) => {
            let name = names::ident(&error.name);
            quote!(#name)
        }
        None => quote!(crate::Error),
    };
    let mut made = super::item::plain(quote! {
        // What `impl_pages!` calls: how the list pages, and a page's items.
        impl<'a> #builder<'a> {
            fn paging() -> crate::paging::Paging<#page> {
                crate::paging::Paging { next: #next, limit: #limit, count: |page| #count }
            }

            fn page_items(page: #page) -> Vec<#item> {
                #items
            }
        }
    })?;
    made.push(Item::ImplPages(Box::new(ImplPages {
        builder,
        page: syn::parse2(page.clone())?,
        item: syn::parse2(item)?,
        error: syn::parse2(error)?,
        attrs: Vec::new(),
    })));
    Ok(made)
}

/// The page's body type, when every success of the operation reads one
/// JSON body (a `204` beside a `200` makes its answer an enum: no pages).
fn page_body<'a>(op: &OperationPlan<'a>) -> Option<&'a TypeRef> {
    let Success::One(Decode::Json(_)) = &op.success else { return None };
    let success = op.op.responses.iter().filter(|response| response.status.is_success());
    let body = success.filter_map(|response| response.body.as_ref()).next()?;
    (body.encoding == BodyEncoding::Json).then_some(&body.ty)
}

/// A step from a value of one type to a property of it: the field's name
/// in Rust, how its type wraps the property's, and the property's type.
fn field<'a>(plan: &'a Plan, ty: &TypeRef, wire: &str) -> Option<(syn::Ident, Wrapping, &'a TypeRef)> {
    let TypeRef::Named(index) = *ty.resolved(&plan.api.types) else { return None };
    let TypeKind::Object(object) = &plan.api.type_def(index)?.kind else { return None };
    let position = object.fields.iter().position(|field| field.name == wire)?;
    let field = &object.fields[position];
    let name = plan.type_plan(index)?.fields.get(position)?;
    Some((names::ident(name), plan.wrapping(index, field), &field.ty))
}

/// What a path reaches, as code: a place (`page.data.items`) while every
/// step is there in every value, then an `Option` of it.
enum Reached {
    Place(TokenStream),
    Maybe(TokenStream),
}

/// What `path` reaches from `page` (a `&T`, or with `owned` a `T` taken
/// apart), and its type: a place, or an `Option<&X>` (an `Option<X>`).
fn reach<'a>(plan: &'a Plan, body: &'a TypeRef, path: &[PathStep], owned: bool) -> Option<(Reached, &'a TypeRef)> {
    let mut reached = Reached::Place(quote!(page));
    let mut ty = body;
    for step in path {
        reached = match step {
            PathStep::Property(wire) => {
                let (name, wrapping, next) = field(plan, ty, wire)?;
                ty = next;
                let (as_ref, flatten) = if owned {
                    (quote!(), quote!(.flatten()))
                } else {
                    (quote!(.as_ref()), quote!(.as_ref().and_then(Option::as_ref)))
                };
                let borrow = (!owned).then(|| quote!(&));
                match (reached, wrapping) {
                    (Reached::Place(place), Wrapping::Plain) => Reached::Place(quote!(#place.#name)),
                    (Reached::Place(place), Wrapping::Option) => Reached::Maybe(quote!(#place.#name #as_ref)),
                    (Reached::Place(place), Wrapping::OptionOption) => Reached::Maybe(quote!(#place.#name #flatten)),
                    (Reached::Maybe(maybe), Wrapping::Plain) => {
                        Reached::Maybe(quote!(#maybe.map(|value| #borrow value.#name)))
                    }
                    (Reached::Maybe(maybe), Wrapping::Option) => {
                        Reached::Maybe(quote!(#maybe.and_then(|value| value.#name #as_ref)))
                    }
                    (Reached::Maybe(maybe), Wrapping::OptionOption) => {
                        Reached::Maybe(quote!(#maybe.and_then(|value| value.#name #flatten)))
                    }
                }
            }
            PathStep::Last => {
                let TypeRef::Array(item) = ty.resolved(&plan.api.types) else { return None };
                ty = item;
                match reached {
                    Reached::Place(place) => Reached::Maybe(quote!(#place.last())),
                    Reached::Maybe(maybe) => Reached::Maybe(quote!(#maybe.and_then(|value| value.last()))),
                }
            }
        };
    }
    Some((reached, ty))
}

/// The text of a cursor or URL at `path`, as an `Option<String>`.
fn text_at(plan: &Plan, body: &TypeRef, path: &[PathStep]) -> Option<TokenStream> {
    let (reached, ty) = reach(plan, body, path, false)?;
    let text = matches!(ty.non_null(), TypeRef::String(_));
    Some(match (reached, text) {
        (Reached::Place(place), true) => quote!(Some(#place.clone())),
        (Reached::Place(place), false) => quote!(Some(#place.to_string())),
        (Reached::Maybe(maybe), true) => quote!(#maybe.cloned()),
        (Reached::Maybe(maybe), false) => quote!(#maybe.map(ToString::to_string)),
    })
}

fn properties(items: &[String]) -> Vec<PathStep> {
    items.iter().map(|name| PathStep::Property(name.clone())).collect()
}

/// How many items a page holds: the length of the array at `items`.
fn items_count(plan: &Plan, body: &TypeRef, items: &[String]) -> Option<TokenStream> {
    Some(match reach(plan, body, &properties(items), false)?.0 {
        Reached::Place(place) => quote!(#place.len()),
        Reached::Maybe(maybe) => quote!(#maybe.map_or(0, Vec::len)),
    })
}

/// A page's items, taken out of it (`page` owned): the array at `items`.
fn page_items(plan: &Plan, body: &TypeRef, items: &[String]) -> Option<TokenStream> {
    Some(match reach(plan, body, &properties(items), true)?.0 {
        Reached::Place(place) => place,
        Reached::Maybe(maybe) => quote!(#maybe.unwrap_or_default()),
    })
}
