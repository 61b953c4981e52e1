//! `types.rs`: one serde type per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::names;
use super::plan::{Plan, TypePlan};
use crate::ir::*;

/// The start of `types.rs`; [`type_part`] gives the rest, one type at a time.
pub fn types_head(plan: &Plan) -> TokenStream {
    if plan.api.types.is_empty() {
        return quote!();
    }
    quote! {
        //! The API's data types, one per schema.
    }
}

/// How many parts [`type_part`] has: one per schema.
pub fn type_parts(plan: &Plan) -> usize {
    plan.api.types.len()
}

/// `plan.api.types[index]`'s type, or nothing for a schema whose type
/// another one's is (a type shared by several schemas is emitted once,
/// `shapes.rs`).
pub fn type_part(plan: &Plan, index: usize) -> TokenStream {
    match plan.api.types.get(index) {
        Some(def) if plan.emits(index) => type_def(plan, index, def),
        _ => quote!(),
    }
}

fn type_def(plan: &Plan, index: usize, def: &TypeDef) -> TokenStream {
    let Some(names) = plan.type_plan(index) else { return quote!() };
    let name = names::ident(&names.name);
    let doc = docs::outer(&plan.type_description(index));
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    match &def.kind {
        TypeKind::Object(object) => object_type(plan, index, names, object, doc, deprecated),
        TypeKind::StringEnum(values) => string_enum(names, values, doc, deprecated),
        TypeKind::Union(union) => union_type(plan, index, names, union, doc, deprecated),
        TypeKind::Alias(target) => {
            let target = plan.type_tokens(target);
            quote! {
                #doc
                #deprecated
                pub type #name = #target;
            }
        }
    }
}

fn object_type(
    plan: &Plan,
    index: usize,
    names: &TypePlan,
    object: &ObjectType,
    doc: TokenStream,
    deprecated: Option<TokenStream>,
) -> TokenStream {
    let name = names::ident(&names.name);
    let mut fields = Vec::new();
    let mut new_params = Vec::new();
    let mut new_inits = Vec::new();
    let mut serde_impls = SerdeImpls::new(names);
    for (field, rust_name) in object.fields.iter().zip(&names.fields) {
        let ident = names::ident(rust_name);
        let wire = &field.name;
        let mut ty = plan.type_tokens(&field.ty);
        if plan.needs_box(&field.ty, index) {
            ty = quote!(Box<#ty>);
        }
        let always_present = plan.always_present(index, field);
        let mut field_text = field.description.clone().unwrap_or_else(|| format!("The `{wire}` property."));
        if let Some(default) = &field.default {
            field_text.push_str(&format!("\n\nWhen absent, the server uses `{default}`."));
        }
        if field.required && !always_present {
            let direction = if field.read_only {
                "Read-only: in responses, not sent"
            } else {
                "Write-only: sent, not in responses"
            };
            field_text.push_str(&format!("\n\n{direction}, so optional here."));
        }
        if field.nullable && !always_present {
            field_text.push_str("\n\n`None` leaves it out, `Some(None)` is `null`.");
        }
        let field_doc = docs::outer(&field_text);
        let field_deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        let field_ty = if always_present {
            if field.nullable { quote!(Option<#ty>) } else { ty.clone() }
        } else if field.nullable {
            // Three states: `None` leaves it out, `Some(None)` sends `null`,
            // `Some(Some(v))` a value; reading keeps a `null` as `Some(None)`.
            quote!(Option<Option<#ty>>)
        } else {
            quote!(Option<#ty>)
        };
        serde_impls.field(&ident, &field_ty, wire, always_present, field.nullable);
        fields.push(quote! {
            #field_doc
            #field_deprecated
            pub #ident: #field_ty,
        });
        if always_present {
            // Strings are taken as `impl Into<String>` so callers can pass `"42"`.
            if !field.nullable && matches!(field.ty, TypeRef::String(format) if format != StringFormat::Binary) {
                new_params.push(quote!(#ident: impl Into<String>));
                new_inits.push(quote!(#ident: #ident.into()));
            } else {
                new_params.push(quote!(#ident: #field_ty));
                new_inits.push(quote!(#ident));
            }
        } else {
            new_inits.push(quote!(#ident: None));
        }
    }
    let additional = object.additional.as_ref().zip(names.additional.as_deref()).map(|(value, field)| {
        let ident = names::ident(field);
        let value = plan.type_tokens(value);
        new_inits.push(quote!(#ident: std::collections::BTreeMap::new()));
        serde_impls.additional(&ident);
        quote! {
            /// Properties other than the ones above.
            pub #ident: std::collections::BTreeMap<String, #value>,
        }
    });
    let too_many = (new_params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_doc = format!(" Creates {} from its required properties.", docs::a_or_an(&format!("`{}`", names.name)));
    // Nothing is required: `new()` and `Default` mean the same.
    let default = new_params.is_empty().then(|| quote!(Default,));
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        impl #name {
            #[doc = #new_doc]
            #too_many
            pub fn new(#(#new_params),*) -> Self {
                Self { #(#new_inits),* }
            }
        }

        #serde_impls
    }
}

/// A struct's `serde::Serialize` and `serde::Deserialize`, written out
/// through the runtime's `object` module (see `runtime/object.rs` for why
/// not derived). Writing: one call per property, `Option`s left out when
/// `None`. Reading: one local per property, a `match` on each key, then the
/// struct.
struct SerdeImpls<'a> {
    names: &'a TypePlan,
    /// `Serialize`'s calls, `read`'s locals and arms, and the struct's fields.
    writes: Vec<TokenStream>,
    locals: Vec<TokenStream>,
    arms: Vec<TokenStream>,
    inits: Vec<TokenStream>,
    /// The field that keeps the properties the struct doesn't name.
    additional: Option<syn::Ident>,
    /// `read`'s `MapAccess` and key: `map` and `key`, unless properties took them.
    map: syn::Ident,
    key: syn::Ident,
}

impl<'a> SerdeImpls<'a> {
    fn new(names: &'a TypePlan) -> Self {
        // `wanted`, or with as many `_` after it as it takes to be no property's local.
        let free = |wanted: &str| {
            let mut name = wanted.to_owned();
            while names.fields.iter().chain(&names.additional).any(|field| *field == name) {
                name.push('_');
            }
            names::ident(&name)
        };
        SerdeImpls {
            map: free("map"),
            key: free("key"),
            names,
            writes: Vec::new(),
            locals: Vec::new(),
            arms: Vec::new(),
            inits: Vec::new(),
            additional: None,
        }
    }

    /// A property of type `ty`: `always_present` fields are required
    /// (unless nullable, where absent is `None`); the others are `Option`s,
    /// `Option<Option<_>>` when nullable, so that `null` is `Some(None)`.
    fn field(&mut self, ident: &syn::Ident, ty: &TokenStream, wire: &str, always_present: bool, nullable: bool) {
        let write = if always_present { quote!(field) } else { quote!(optional) };
        self.writes.push(quote!(object.#write(#wire, &self.#ident);));
        // The local's type is written out: left to inference, each
        // `next_value` would stay an open question until the struct is built,
        // and rustc's work grows with their number.
        let local = if always_present && !nullable { quote!(Option<#ty>) } else { ty.clone() };
        self.locals.push(quote!(let mut #ident: #local = None;));
        let map = &self.map;
        // `value` stores `Some(value)`; `optional` reads `null` as `None`.
        let (read, init) = match (always_present, nullable) {
            (true, false) => (quote!(value), quote!(#ident: crate::object::required(#ident, #wire)?)),
            (false, true) => (quote!(value), quote!(#ident)),
            (true, true) | (false, false) => (quote!(optional), quote!(#ident)),
        };
        self.arms.push(quote!(#wire => crate::object::#read(&mut #map, &mut #ident),));
        self.inits.push(init);
    }

    fn additional(&mut self, ident: &syn::Ident) {
        self.additional = Some(ident.clone());
    }
}

impl quote::ToTokens for SerdeImpls<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = names::ident(&self.names.name);
        let expecting = docs::a_or_an(&format!("`{}` object", self.names.name));
        let SerdeImpls { writes, locals, arms, inits, map, key, .. } = self;
        let (write_others, additional_local, other, additional_init) = match &self.additional {
            Some(field) => (
                quote!(object.others(&self.#field);),
                quote!(let mut #field = std::collections::BTreeMap::new();),
                quote!(_ => crate::object::other(&mut #map, #key, &mut #field),),
                quote!(#field),
            ),
            None => (quote!(), quote!(), quote!(_ => crate::object::skip(&mut #map),), quote!()),
        };
        let comma = (!inits.is_empty() && self.additional.is_some()).then(|| quote!(,));
        tokens.extend(quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, output: S) -> Result<S::Ok, S::Error> {
                    let mut object = crate::object::Writer::new(output);
                    #(#writes)*
                    #write_others
                    object.end()
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
                    crate::object::deserialize(input)
                }
            }

            impl crate::object::Object for #name {
                const EXPECTING: &'static str = #expecting;

                fn read<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
                    #(#locals)*
                    #additional_local
                    while let Some(#key) = #map.next_key::<crate::object::Key>()? {
                        match #key.as_str() {
                            #(#arms)*
                            #other
                        }?;
                    }
                    Ok(Self { #(#inits),* #comma #additional_init })
                }
            }
        });
    }
}

fn string_enum(names: &TypePlan, values: &[String], doc: TokenStream, deprecated: Option<TokenStream>) -> TokenStream {
    let name = names::ident(&names.name);
    let variants: Vec<_> =
        values.iter().zip(&names.variants).map(|(value, name)| (value, names::ident(name))).collect();
    let declarations = variants.iter().map(|(value, ident)| {
        let doc = format!(" `{value}`");
        quote! {
            #[doc = #doc]
            #ident,
        }
    });
    let as_str = variants.iter().map(|(value, ident)| quote!(Self::#ident => #value,));
    let from_str = variants.iter().map(|(value, ident)| quote!(#value => Self::#ident,));
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            /// A value this client does not know yet, kept as it was sent.
            Unknown(String),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, output: S) -> Result<S::Ok, S::Error> {
                output.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(input)?;
                Ok(match value.as_str() {
                    #(#from_str)*
                    _ => Self::Unknown(value),
                })
            }
        }
    }
}

/// `oneOf`/`anyOf`: an enum with one variant per type. Without a
/// discriminator serde tries the variants in order; with one, the
/// discriminator property picks the variant, and a value it doesn't know is
/// kept as `Unknown` rather than failing.
fn union_type(
    plan: &Plan,
    index: usize,
    names: &TypePlan,
    union: &UnionType,
    doc: TokenStream,
    deprecated: Option<TokenStream>,
) -> TokenStream {
    let name = names::ident(&names.name);
    let variant_names = &names.variants;
    let mut declarations = Vec::new();
    let mut writes = Vec::new();
    let mut attempts = Vec::new();
    for (variant, variant_name) in union.variants.iter().zip(variant_names) {
        let ident = names::ident(variant_name);
        let mut ty = plan.type_tokens(variant);
        if plan.needs_box(variant, index) {
            ty = quote!(Box<#ty>);
        }
        let doc = format!(" {}", union_variant_doc(plan, variant));
        declarations.push(quote!(#[doc = #doc] #ident(#ty),));
        writes.push(quote!(Self::#ident(value) => serde::Serialize::serialize(value, output),));
        attempts.push(quote! {
            if let Ok(value) = serde::Deserialize::deserialize(&json) {
                return Ok(Self::#ident(value));
            }
        });
    }
    let serialize = |unknown: Option<TokenStream>| {
        quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, output: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#writes)*
                        #unknown
                    }
                }
            }
        }
    };
    let Some(discriminator) = &union.discriminator else {
        // serde's untagged enums: the first variant that reads the value wins.
        let serialize = serialize(None);
        let no_match = format!("the value matches no variant of `{}`", names.name);
        return quote! {
            #doc
            #deprecated
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#declarations)*
            }

            #serialize

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
                    let json = <serde_json::Value as serde::Deserialize>::deserialize(input)?;
                    #(#attempts)*
                    Err(serde::de::Error::custom(#no_match))
                }
            }
        };
    };
    let serialize = serialize(Some(quote!(Self::Unknown(value) => serde::Serialize::serialize(value, output),)));
    let property = &discriminator.property;
    let arms = discriminator.mapping.iter().filter_map(|(value, position)| {
        let ident = names::ident(variant_names.get(*position)?);
        let boxed = union.variants.get(*position).is_some_and(|v| plan.needs_box(v, index));
        let wrap = if boxed { quote!(|inner| Self::#ident(Box::new(inner))) } else { quote!(Self::#ident) };
        Some(quote!(Some(#value) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),))
    });
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            /// A value whose discriminator this client does not know yet, kept as it was sent.
            Unknown(serde_json::Value),
        }

        #serialize

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(input)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    }
}

/// What a union variant holds, in words: "A [`Pet`](crate::Pet).", "An integer."
fn union_variant_doc(plan: &Plan, variant: &TypeRef) -> String {
    match variant {
        TypeRef::Named(index) => {
            let name = plan.type_name(*index);
            // "a …" → "A …": it starts the sentence.
            let text = docs::a_or_an(&format!("[`{name}`](crate::{name}) value."));
            text[..1].to_uppercase() + &text[1..]
        }
        TypeRef::String(_) => "A string.".to_owned(),
        TypeRef::Integer(_) => "An integer.".to_owned(),
        TypeRef::Number(_) => "A number.".to_owned(),
        TypeRef::Boolean => "A boolean.".to_owned(),
        TypeRef::Array(_) => "A list.".to_owned(),
        TypeRef::Map(_) => "A map of names to values.".to_owned(),
        TypeRef::Any => "Any JSON value.".to_owned(),
    }
}
