//! Printing a module's items as a person would lay them out: plain Rust
//! by prettyplease (the same bytes on every machine, no rustfmt), each
//! runtime macro's item laid out here (prettyplease prints a macro's body
//! as a run of tokens), then the blank lines a person leaves between
//! items ([`space_items`]).

use super::emit::item::{ImplPages, ImplSend, Item, JsonObject, Method, RequestBuilder};
use super::names;

/// A module's inner attributes and items, spaced.
pub fn module(attrs: Vec<syn::Attribute>, items: Vec<Item>) -> String {
    space_items(&unspaced(attrs, items))
}

/// A parsed file, spaced.
pub fn file(file: &syn::File) -> String {
    space_items(&prettyplease::unparse(file))
}

/// prettyplease's text of a module's inner attributes and plain items.
pub fn pretty(attrs: Vec<syn::Attribute>, items: Vec<syn::Item>) -> String {
    prettyplease::unparse(&syn::File { shebang: None, attrs, items })
}

/// The items printed one after another: runs of plain items by
/// prettyplease, the runtime macros' items by [`runtime_item`].
fn unspaced(attrs: Vec<syn::Attribute>, items: Vec<Item>) -> String {
    let mut out = String::new();
    let mut attrs = Some(attrs);
    let mut run = Vec::new();
    for item in items {
        let printed = match item {
            Item::Plain(item) => {
                run.push(item);
                continue;
            }
            other => runtime_item(other),
        };
        if !run.is_empty() || attrs.as_ref().is_some_and(|attrs| !attrs.is_empty()) {
            out.push_str(&pretty(attrs.take().unwrap_or_default(), std::mem::take(&mut run)));
        }
        out.push_str(&printed);
    }
    if !run.is_empty() || attrs.as_ref().is_some_and(|attrs| !attrs.is_empty()) {
        out.push_str(&pretty(attrs.take().unwrap_or_default(), run));
    }
    out
}

/// An item declared in or written by a runtime macro.
fn runtime_item(item: Item) -> String {
    match item {
        Item::Plain(item) => pretty(Vec::new(), vec![item]),
        Item::JsonObject(object) => {
            let JsonObject { item, new } = *object;
            struct_in_macro("json_object", item, vec![new])
        }
        Item::RequestBuilder(builder) => {
            let RequestBuilder { item, setters } = *builder;
            struct_in_macro("request_builder", item, setters)
        }
        Item::StringEnum(declared) => enum_in_macro("string_enum", declared),
        Item::JsonUnion(declared) => enum_in_macro("json_union", declared),
        Item::ImplSend(send) => {
            let ImplSend { builder, stream, output, error, attrs } = *send;
            let output_name = if stream { "stream" } else { "output" };
            let arguments =
                [(None, super::emit::item::named_type(builder)), (Some(output_name), output), (Some("error"), error)];
            macro_call("impl_send", attrs, arguments.into())
        }
        Item::ImplPages(pages) => {
            let ImplPages { builder, page, item, error, attrs } = *pages;
            let builder = super::emit::item::named_type(builder);
            let arguments = [(None, builder), (Some("page"), page), (Some("item"), item), (Some("error"), error)];
            macro_call("impl_pages", attrs, arguments.into())
        }
        Item::ImplOperationError { error, attrs } => {
            macro_call("impl_operation_error", attrs, vec![(None, super::emit::item::named_type(error))])
        }
    }
}

/// `name!(…);` with `attrs` (its `cfg`s) before it, each argument's type
/// printed the way prettyplease prints a type (it would print the tokens
/// of a macro's arguments one by one: `crate ::Nonce`).
fn macro_call(name: &str, attrs: Vec<syn::Attribute>, arguments: Vec<(Option<&str>, syn::Type)>) -> String {
    let name = names::ident(name);
    let mut invocation: syn::ItemMacro = syn::parse_quote!(#name!(););
    invocation.attrs = attrs;
    let head = pretty(Vec::new(), vec![syn::Item::Macro(invocation)]);
    // The types printed at once, one `type T = …;` each: a wrapped type's
    // lines after its first are indented, so each alias starts a line.
    let (labels, types): (Vec<_>, Vec<_>) = arguments.into_iter().unzip();
    let aliases = pretty(Vec::new(), types.into_iter().map(|ty| syn::Item::Type(type_alias(ty))).collect());
    let types = aliases.split("type T = ").skip(1).map(|alias| alias.trim().trim_end_matches(';').to_owned());
    let arguments: Vec<String> = labels
        .into_iter()
        .zip(types)
        .map(|(label, ty)| match label {
            Some(label) => format!("{label}: {ty}"),
            None => ty,
        })
        .collect();
    head.replacen("!();", &format!("!({});", arguments.join(", ")), 1)
}

/// `type T = ty;`, for prettyplease to print `ty`.
fn type_alias(ty: syn::Type) -> syn::ItemType {
    syn::ItemType {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        type_token: Default::default(),
        ident: names::ident("T"),
        generics: syn::Generics::default(),
        eq_token: Default::default(),
        ty: Box::new(ty),
        semi_token: Default::default(),
    }
}

/// `name! { … }` around a struct and the signatures of the methods the
/// macro writes the bodies of, each ending in `;`.
fn struct_in_macro(name: &str, mut declared: syn::ItemStruct, methods: Vec<Method>) -> String {
    let (gates, attrs) = split_gates(std::mem::take(&mut declared.attrs));
    declared.attrs = attrs;
    let mut body = pretty(Vec::new(), vec![syn::Item::Struct(declared)]);
    for method in methods {
        let syn::ImplItemFn { attrs, vis, sig, block, .. } = method.declared();
        let printed = pretty(Vec::new(), vec![syn::Item::Fn(syn::ItemFn { attrs, vis, sig, block: Box::new(block) })]);
        body.push('\n');
        body.push_str(printed.trim_end().strip_suffix(" {}").unwrap_or(&printed));
        body.push_str(";\n");
    }
    in_macro(name, gates, &body)
}

/// `name! { … }` around an enum.
fn enum_in_macro(name: &str, mut declared: syn::ItemEnum) -> String {
    let (gates, attrs) = split_gates(std::mem::take(&mut declared.attrs));
    declared.attrs = attrs;
    in_macro(name, gates, &pretty(Vec::new(), vec![syn::Item::Enum(declared)]))
}

/// An item's attributes as its `cfg`s, which go before the macro and so
/// gate everything it writes, and the others.
fn split_gates(attrs: Vec<syn::Attribute>) -> (Vec<syn::Attribute>, Vec<syn::Attribute>) {
    attrs.into_iter().partition(|attr| attr.path().is_ident("cfg"))
}

/// `name! { … }` with `gates` before it and `body` indented in the braces.
fn in_macro(name: &str, gates: Vec<syn::Attribute>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 8 + 64);
    if !gates.is_empty() {
        // The `cfg`s as prettyplease prints an item's, the item cut off.
        let unit = syn::Type::Tuple(syn::TypeTuple { paren_token: Default::default(), elems: Default::default() });
        let gated = syn::Item::Type(syn::ItemType { attrs: gates, ..type_alias(unit) });
        let printed = pretty(Vec::new(), vec![gated]);
        out.push_str(printed.trim_end().trim_end_matches("type T = ();").trim_end());
        out.push('\n');
    }
    out.push_str(name);
    out.push_str("! {\n");
    for line in body.lines() {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

/// Adds the blank lines a person would leave and prettyplease doesn't:
/// after the module docs, between groups of `use`/`mod` lines, and between
/// items at the top level and inside `impl` blocks.
pub fn space_items(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::with_capacity(code.len() + code.len() / 10);
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        if lines.get(index + 1).is_some_and(|next| blank_between(line, next)) {
            out.push('\n');
        }
    }
    out
}

/// Joins texts that [`space_items`] has spaced into what it makes of them
/// joined: only the lines where two meet are left to look at, so a
/// module's chunks are spaced on the threads that print them.
pub fn join_spaced(texts: Vec<String>) -> String {
    let mut out = String::with_capacity(texts.iter().map(|text| text.len() + 1).sum());
    for text in texts.into_iter().filter(|text| !text.is_empty()) {
        let last = out.strip_suffix('\n').map(|rest| rest.rsplit('\n').next().unwrap_or(rest));
        if last.zip(text.lines().next()).is_some_and(|(line, next)| blank_between(line, next)) {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

/// Whether a person would leave a blank line between two adjacent lines
/// of printed code: between top-level items and between members, and
/// where `use`, `mod` and other items meet.
fn blank_between(line: &str, next: &str) -> bool {
    fn kind(line: &str) -> &str {
        let line = line.trim_start_matches("pub ");
        if line.starts_with("use std::") {
            "use std"
        } else if line.starts_with("use ") {
            "use"
        } else if line.starts_with("mod ") {
            "mod"
        } else if line.starts_with("//!") {
            "docs"
        } else {
            "item"
        }
    }
    if next.trim().is_empty() || line.trim().is_empty() {
        return false;
    }
    let top_level = !line.starts_with(' ') && !next.starts_with(' ');
    let closes_top_item = (line == "}"
        || line == "};"
        || top_level
            && line.ends_with(';')
            && !line.starts_with("//")
            && (next.starts_with("///") || next.starts_with("#[") || kind(line) == "item" && kind(next) == "item"))
        && !next.starts_with('}');
    let closes_member = (line == "    }"
        || line.starts_with("    ")
            && line.ends_with(';')
            && !line.starts_with("     ")
            && next.starts_with("    ///"))
        && next.starts_with("    ")
        && !next.starts_with("     ")
        && !next.starts_with("    }");
    // `)]` ends an attribute printed over several lines, which its item follows.
    let ends_attribute = line.starts_with("#[") || line == ")]";
    let group_changes = top_level && kind(line) != kind(next) && !ends_attribute && !line.starts_with("///");
    closes_top_item || closes_member || group_changes
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn spaced(code: &str) -> String {
        space_items(code)
    }

    #[test]
    fn an_attribute_over_several_lines_stays_on_its_item() {
        let code = "pub use a::A;\n#[cfg(\n    any(\n        feature = \"a\",\n        feature = \"b\"\n    )\n)]\npub use types::*;\n";
        assert_eq!(spaced(code), code.replacen("\n#[cfg(", "\n\n#[cfg(", 1));
    }

    #[test]
    fn top_level_items_and_groups_of_imports_get_a_blank_line_between() {
        let code = "//! Docs.\nuse std::fmt;\nuse crate::Error;\nmod a;\npub struct A;\nfn f() {}\n";
        assert_eq!(
            spaced(code),
            "//! Docs.\n\nuse std::fmt;\n\nuse crate::Error;\n\nmod a;\n\npub struct A;\n\nfn f() {}\n"
        );
    }

    #[test]
    fn members_get_a_blank_line_between_but_not_before_the_closing_brace() {
        let code =
            "impl A {\n    fn a() {}\n    /// B.\n    fn b() {\n        x;\n    }\n    fn c() {}\n}\nstruct B;\n";
        let expected =
            "impl A {\n    fn a() {}\n    /// B.\n    fn b() {\n        x;\n    }\n\n    fn c() {}\n}\n\nstruct B;\n";
        assert_eq!(spaced(code), expected);
    }

    #[test]
    fn an_attribute_or_doc_stays_with_its_item() {
        let code = "#[cfg(feature = \"a\")]\n/// A.\nmod a;\n#[derive(Debug)]\nstruct A;\n";
        assert_eq!(spaced(code), "#[cfg(feature = \"a\")]\n/// A.\nmod a;\n\n#[derive(Debug)]\nstruct A;\n");
    }

    #[test]
    fn joined_chunks_read_as_if_spaced_whole() {
        let whole = "use std::fmt;\nstruct A;\nstruct B;\nfn f() {}\n";
        let chunks = vec![spaced("use std::fmt;\nstruct A;\n"), spaced("struct B;\n"), spaced("fn f() {}\n")];
        assert_eq!(join_spaced(chunks), spaced(whole));
    }

    #[test]
    fn a_runtime_macro_item_is_laid_out_in_its_macro_with_its_gates_before_it() {
        let object = JsonObject {
            item: syn::parse_quote! {
                #[cfg(feature = "pets")]
                /// A pet.
                pub struct Pet {
                    #[json("name", required)]
                    pub name: String,
                }
            },
            new: Method::parse(quote!(
                fn new(name: impl Into<String>) -> Self;
            ))
            .expect("parses"),
        };
        let send = ImplSend {
            builder: names::ident("GetPet"),
            stream: false,
            output: syn::parse_quote!(crate::Pet),
            error: syn::parse_quote!(crate::Error),
            attrs: vec![syn::parse_quote!(#[cfg(feature = "pets")])],
        };
        let items = vec![Item::JsonObject(Box::new(object)), Item::ImplSend(Box::new(send))];
        assert_eq!(
            module(Vec::new(), items),
            "#[cfg(feature = \"pets\")]\njson_object! {\n    /// A pet.\n    pub struct Pet {\n        #[json(\"name\", required)]\n        pub name: String,\n    }\n\n    pub fn new(name: impl Into<String>) -> Self;\n}\n\n#[cfg(feature = \"pets\")]\nimpl_send!(GetPet, output: crate::Pet, error: crate::Error);\n"
        );
    }
}
