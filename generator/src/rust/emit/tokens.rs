//! Rust types as tokens: what a value in a JSON document, or a decoded
//! answer, is in the generated code.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::*;
use crate::rust::names;
use crate::rust::plan::{Decode, Plan};

/// The Rust type of a value inside a JSON document.
pub fn type_tokens(plan: &Plan, ty: &TypeRef) -> TokenStream {
    match ty {
        // Raw octets (file parts); everything else in JSON is text.
        TypeRef::String(StringFormat::Binary) => quote!(Vec<u8>),
        TypeRef::String(_) => quote!(String),
        TypeRef::Integer(IntegerFormat::Int32) => quote!(i32),
        TypeRef::Integer(IntegerFormat::Int64) => quote!(i64),
        TypeRef::Number(NumberFormat::Float) => quote!(f32),
        TypeRef::Number(NumberFormat::Double) => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Array(item) => {
            let item = type_tokens(plan, item);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(plan, value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Named(index) => {
            let name = names::ident(plan.type_name(*index));
            quote!(crate::#name)
        }
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(plan, inner);
            quote!(Option<#inner>)
        }
    }
}

/// What a successful or documented error response decodes to.
pub fn decode_tokens(plan: &Plan, decode: &Decode) -> TokenStream {
    match decode {
        Decode::Nothing => quote!(()),
        Decode::Json(ty) => type_tokens(plan, ty),
        Decode::Text => quote!(String),
        Decode::Bytes => quote!(Vec<u8>),
    }
}
