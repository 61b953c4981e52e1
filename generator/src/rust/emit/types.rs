//! `types.rs`: one serde type per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::item::{self, Item, JsonObject, Method};
use super::tokens::type_tokens;
use crate::ir::*;
use crate::rust::names;
use crate::rust::plan::{Plan, TypePlan, Wrapping};

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
/// `plan/shapes.rs`).
pub fn type_part(plan: &Plan, index: usize) -> syn::Result<Vec<Item>> {
    let index = TypeIndex(index);
    match plan.api.type_def(index) {
        Some(def) if plan.emits(index) => type_def(plan, index, def),
        _ => Ok(Vec::new()),
    }
}

fn type_def(plan: &Plan, index: TypeIndex, def: &TypeDef) -> syn::Result<Vec<Item>> {
    let Some(names) = plan.type_plan(index) else { return Ok(Vec::new()) };
    let name = names::ident(&names.name);
    let doc = docs::outer(&type_description(plan, index));
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    match &def.kind {
        TypeKind::Object(object) => object_type(plan, index, names, object, doc, deprecated),
        TypeKind::StringEnum(values) => string_enum(names, values, doc, deprecated),
        TypeKind::Union(union) => union_type(plan, index, names, union, doc, deprecated),
        TypeKind::Alias(target) => {
            let target = type_tokens(plan, target);
            item::plain(quote! {
                #doc
                #deprecated
                pub type #name = #target;
            })
        }
    }
}

fn object_type(
    plan: &Plan,
    index: TypeIndex,
    names: &TypePlan,
    object: &ObjectType,
    doc: TokenStream,
    deprecated: Option<TokenStream>,
) -> syn::Result<Vec<Item>> {
    let name = names::ident(&names.name);
    let mut fields = Vec::new();
    let mut new_params = Vec::new();
    for (field, rust_name) in object.fields.iter().zip(&names.fields) {
        let ident = names::ident(rust_name);
        let wire = &field.name;
        // A file of a multipart body is sent as it is read.
        let file = plan.sends_files(index) && field.ty == TypeRef::String(StringFormat::Binary);
        let mut ty = if file { quote!(crate::stream::Upload) } else { type_tokens(plan, &field.ty) };
        if plan.needs_box(&field.ty, index) {
            ty = quote!(Box<#ty>);
        }
        let always_present = plan.always_present(index, field);
        // Without a description a field has no docs (`json_object!` allows
        // that), unless its Rust name hides the name it is sent under.
        let mut field_text = match &field.description {
            Some(description) => description.clone(),
            None if rust_name != wire => format!("The `{wire}` property."),
            None => String::new(),
        };
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
        // Three states only where the type is sent.
        let wrapping = plan.wrapping(index, field);
        if wrapping == Wrapping::OptionOption {
            field_text.push_str("\n\n`None` leaves it out, `Some(None)` is `null`.");
        } else if field.nullable && !always_present {
            field_text.push_str("\n\n`None` when it is absent or `null`.");
        }
        let field_doc = docs::outer(field_text.trim_start());
        let field_deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        let field_ty = match wrapping {
            Wrapping::Plain => ty.clone(),
            Wrapping::Option => quote!(Option<#ty>),
            // Three states: `None` leaves it out, `Some(None)` sends `null`,
            // `Some(Some(v))` a value; reading keeps a `null` as `Some(None)`.
            Wrapping::OptionOption => quote!(Option<Option<#ty>>),
        };
        let kind = names::ident(match (always_present, wrapping) {
            (true, Wrapping::Plain) => "required",
            (true, _) => "required_nullable",
            (false, Wrapping::OptionOption) => "optional_nullable",
            (false, _) => "optional",
        });
        fields.push(quote! {
            #field_doc
            #[json(#wire, #kind)]
            #field_deprecated
            pub #ident: #field_ty,
        });
        if always_present {
            // Strings are taken as `impl Into<String>` so callers can pass `"42"`.
            if !field.nullable && matches!(field.ty, TypeRef::String(format) if format != StringFormat::Binary) {
                new_params.push(quote!(#ident: impl Into<String>));
            } else if !field.nullable && file {
                new_params.push(quote!(#ident: impl Into<crate::stream::Upload>));
            } else {
                new_params.push(quote!(#ident: #field_ty));
            }
        }
    }
    let additional = object.additional.as_ref().zip(names.additional.as_deref()).map(|(value, field)| {
        let ident = names::ident(field);
        let value = type_tokens(plan, value);
        // `json_object!` documents it: "Properties other than the ones above."
        quote! {
            #[json(others)]
            pub #ident: std::collections::BTreeMap<String, #value>,
        }
    });
    // Nothing is required: `new()` and `Default` mean the same.
    let default = new_params.is_empty().then(|| quote!(Default,));
    // `json_object!` writes out the serde impls from each field's
    // `#[json(…)]`, and `new`'s docs and body from its signature.
    let item = syn::parse2(quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
    })?;
    let new = Method::parse(quote!(fn new(#(#new_params),*) -> Self;))?;
    Ok(vec![Item::JsonObject(Box::new(JsonObject { item, new }))])
}

fn string_enum(
    names: &TypePlan,
    values: &[String],
    doc: TokenStream,
    deprecated: Option<TokenStream>,
) -> syn::Result<Vec<Item>> {
    let name = names::ident(&names.name);
    let variants = values.iter().zip(&names.variants).map(|(value, variant)| {
        let variant = names::ident(variant);
        quote!(#variant = #value,)
    });
    let unknown = names::ident(crate::rust::runtime::reserved::ENUM_VARIANTS[0]);
    // `string_enum!` documents each variant by its value and writes
    // `as_str`, `Display` and the serde impls.
    let declared = syn::parse2(quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet, kept as it was sent.
            #unknown(String),
        }
    })?;
    Ok(vec![Item::StringEnum(declared)])
}

/// `oneOf`/`anyOf`: an enum with one variant per type, declared in
/// `json_union!`. Without a discriminator a value is read into the branch
/// it fits best (`object::BestFit`); with one, the discriminator property
/// picks the variant, and a value it doesn't know is kept as `Unknown`
/// rather than failing.
fn union_type(
    plan: &Plan,
    index: TypeIndex,
    names: &TypePlan,
    union: &UnionType,
    doc: TokenStream,
    deprecated: Option<TokenStream>,
) -> syn::Result<Vec<Item>> {
    let name = names::ident(&names.name);
    let mut variants = Vec::new();
    for (position, (variant, variant_name)) in union.variants.iter().zip(&names.variants).enumerate() {
        let ident = names::ident(variant_name);
        let mut ty = type_tokens(plan, variant);
        if plan.needs_box(variant, index) {
            ty = quote!(Box<#ty>);
        }
        let doc = format!(" {}", union_variant_doc(plan, variant));
        let read = match &union.discriminator {
            Some(discriminator) => {
                let values: Vec<&String> =
                    discriminator.mapping.iter().filter(|(_, at)| *at == position).map(|(value, _)| value).collect();
                // No discriminator value picks it: it is written, never read.
                if values.is_empty() { quote!(unmapped) } else { quote!(#(#values),*) }
            }
            None => match branch_shape(plan, variant) {
                Branch::Names { names, required: 0, closed: false } if names.is_empty() => quote!(names()),
                Branch::Names { names, required, closed } => {
                    let required = proc_macro2::Literal::usize_unsuffixed(required);
                    let closed = closed.then(|| quote!(, closed));
                    quote!(names(#(#names),*), required = #required #closed)
                }
                Branch::AllNames => quote!(names(..)),
            },
        };
        variants.push(quote!(#[doc = #doc] #[json(#read)] #ident(#ty),));
    }
    let declared = match &union.discriminator {
        None => quote! {
            #doc
            #deprecated
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }
        },
        Some(discriminator) => {
            let property = &discriminator.property;
            quote! {
                #[json(tag = #property)]
                #doc
                #deprecated
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value whose discriminator this client does not know yet, kept as it was sent.
                    #[json(unknown)]
                    Unknown(serde_json::Value),
                }
            }
        }
    };
    Ok(vec![Item::JsonUnion(syn::parse2(declared)?)])
}

/// What a union's branch says of a JSON object, for `object::BestFit`.
enum Branch<'a> {
    /// The properties it names, how many are required, and whether it
    /// allows no others. Not an object: nothing named.
    Names { names: Vec<&'a str>, required: usize, closed: bool },
    /// A map or any JSON value: it keeps every property.
    AllNames,
}

/// A union as a branch names what any of its own branches name (it chooses
/// among them itself), and requires nothing.
fn branch_shape<'a>(plan: &'a Plan, variant: &'a TypeRef) -> Branch<'a> {
    fn shape<'a>(plan: &'a Plan, ty: &'a TypeRef, depth: usize) -> Branch<'a> {
        let nothing = Branch::Names { names: Vec::new(), required: 0, closed: false };
        let index = match ty.non_null() {
            TypeRef::Named(index) => *index,
            TypeRef::Map(_) | TypeRef::Any => return Branch::AllNames,
            _ => return nothing,
        };
        match &plan.api.types[index].kind {
            TypeKind::Object(object) => {
                let names = object.fields.iter().map(|field| field.name.as_str()).collect();
                let required = object.fields.iter().filter(|field| field.required).count();
                Branch::Names { names, required, closed: object.closed }
            }
            // Aliases and unions nest as deep as the document does; past a
            // depth no real one reaches, a branch names nothing.
            TypeKind::Alias(target) if depth < 16 => shape(plan, target, depth + 1),
            TypeKind::Union(union) if depth < 16 => {
                let mut names: Vec<&str> = Vec::new();
                for branch in &union.variants {
                    match shape(plan, branch, depth + 1) {
                        Branch::AllNames => return Branch::AllNames,
                        Branch::Names { names: more, .. } => {
                            for name in more {
                                if !names.contains(&name) {
                                    names.push(name);
                                }
                            }
                        }
                    }
                }
                Branch::Names { names, required: 0, closed: false }
            }
            _ => nothing,
        }
    }
    shape(plan, variant, 0)
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
        TypeRef::Nullable(inner) => format!("{} Or `null`.", union_variant_doc(plan, inner).trim_end_matches('.')),
    }
}

/// The doc text of `api.types[index]`: its description, unless the
/// types sharing its shape describe themselves differently; then the
/// shape is described (each field using it keeps its own description).
/// A schema without a description is described by its shape and where
/// it is in the document.
fn type_description(plan: &Plan, index: TypeIndex) -> String {
    let def = &plan.api.types[index];
    let members: Vec<&TypeDef> = plan.members(index).iter().map(|member| &plan.api.types[*member]).collect();
    if members.iter().all(|member| member.description == def.description) {
        return match &def.description {
            Some(description) => description.clone(),
            None => format!("{}\n\nThe schema at `#{}`.", shape_of(def), def.pointer),
        };
    }
    format!(
        "{}\n\nThe document describes this shape in {} places, the first at `#{}`.",
        shape_of(def),
        members.len(),
        def.pointer
    )
}

/// One sentence on what a value of `def` is: "An object with `name` and
/// `age`.", "One of `a`, `b`."
fn shape_of(def: &TypeDef) -> String {
    fn listed(names: Vec<String>) -> String {
        const SHOWN: usize = 8;
        let mut quoted: Vec<String> = names.iter().take(SHOWN).map(|name| format!("`{name}`")).collect();
        if names.len() > SHOWN {
            quoted.push(format!("{} more", names.len() - SHOWN));
        }
        match quoted.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    }
    match &def.kind {
        TypeKind::StringEnum(values) => {
            let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            format!("One of {}.", values.join(", "))
        }
        TypeKind::Object(object) if !object.fields.is_empty() => {
            format!("An object with {}.", listed(object.fields.iter().map(|f| f.name.clone()).collect()))
        }
        TypeKind::Object(object) if object.additional.is_some() => "An object of any properties.".to_owned(),
        TypeKind::Object(_) => "An object.".to_owned(),
        TypeKind::Union(union) => format!("One of {} kinds of value, a variant each.", union.variants.len()),
        TypeKind::Alias(_) => "A value.".to_owned(),
    }
}
