//! `operation_error.rs`: one enum per operation for the errors it
//! documents, each with an `Other` variant for the crate's `Error`
//! (`runtime/error.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::item::{self, Item};
use crate::rust::names;
use crate::rust::plan::{Decode, ErrorPlan, Plan};

/// The module's docs and imports, and what the operations' error enums
/// share; [`error_part`] gives the enums, one operation at a time.
pub fn errors_head(plan: &Plan) -> TokenStream {
    if plan.operations.iter().all(|op| op.error.is_none()) {
        return quote!();
    }
    let shows_json = plan
        .operations
        .iter()
        .flat_map(|op| op.error.iter())
        .flat_map(|e| e.variants.iter())
        .any(|v| matches!(v.decode, Decode::Json(_)) && !v.carries_status());
    let with_body = shows_json.then(|| {
        quote! {
            /// A documented error's message: its status, then its body as one line of JSON.
            fn with_body(f: &mut fmt::Formatter<'_>, status: &str, body: &impl serde::Serialize) -> fmt::Result {
                write!(f, "{status}: {}", serde_json::to_string(body).unwrap_or_default())
            }
        }
    });
    quote! {
        //! What can go wrong with each operation: the errors it documents, or any other [`Error`].

        use std::fmt;

        use crate::Error;

        #with_body
    }
}

/// How many parts [`error_part`] has: one per operation.
pub fn error_parts(plan: &Plan) -> usize {
    plan.operations.len()
}

/// `plan.operations[index]`'s error enum, if it documents errors.
pub fn error_part(plan: &Plan, index: usize) -> syn::Result<Vec<Item>> {
    match plan.operations.get(index) {
        Some(op) => op.error.as_ref().map_or(Ok(Vec::new()), |error| operation_error(plan, &op.method, error)),
        None => Ok(Vec::new()),
    }
}

fn operation_error(plan: &Plan, method: &str, error: &ErrorPlan) -> syn::Result<Vec<Item>> {
    let name = names::ident(&error.name);
    let doc = format!(
        " An error from [`Client::{method}`](crate::Client::{method}): one the API documents, or any other [`Error`]."
    );
    let variants = error.variants.iter().map(|variant| super::operations::status_variant_declaration(plan, variant));
    let displays = error.variants.iter().map(|variant| {
        let ident = names::ident(&variant.name);
        let title = variant.status.title();
        match (&variant.decode, variant.carries_status()) {
            (Decode::Nothing, false) => quote!(Self::#ident => f.write_str(#title),),
            (Decode::Json(_), false) => quote!(Self::#ident(body) => with_body(f, #title, body),),
            (_, false) => quote!(Self::#ident(_) => f.write_str(#title),),
            (_, true) => quote!(Self::#ident { status, .. } => write!(f, "HTTP {status}"),),
        }
    });
    let mut items = item::plain(quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// Any other failure: no answer, a timeout, an undocumented status or an undecodable body.
            Other(Error),
        }
    })?;
    // `From<Error>` and `std::error::Error`, the same for every operation.
    items.push(Item::ImplOperationError { error: name.clone(), attrs: Vec::new() });
    items.extend(item::plain(quote! {
        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    #(#displays)*
                    Self::Other(error) => error.fmt(f),
                }
            }
        }
    })?);
    Ok(items)
}
