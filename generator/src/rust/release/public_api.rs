//! The crate's public API as text: one sorted line per item users can name
//! (types, fields, variants, functions, trait impls, deprecations), read
//! from the emitted code itself, so it is exactly what they compile
//! against. `public-api.txt` is this text; `release/mod.rs` compares two.
//!
//! A line is `KIND PATH…`, then `  # POINTER` when a place in the document
//! caused the item, e.g.
//! `field kanuu::Nonce::url: String  # /components/schemas/Nonce/properties/url`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use quote::ToTokens;

use crate::OutputFile;
use crate::error::pointer_join;
use crate::ir::{StatusMatch, TypeKind};
use crate::rust::emit::item::Item;
use crate::rust::plan::{Plan, Success};

/// The kinds of line, in the words `KIND` is written with.
const KINDS: &[&str] = &["const", "deprecated", "enum", "feature", "field", "fn", "impl", "struct", "type", "variant"];

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// `struct`, `field`, `fn`…
    pub kind: String,
    /// The item's path, e.g. `kanuu::Nonce::url`; for an `impl`, the whole
    /// `Trait for Type`.
    pub path: String,
    /// What follows the path: a field's type, a function's signature, a
    /// variant's fields, `#[non_exhaustive]`.
    pub rest: String,
    /// The JSON pointer (without `#`) of what in the document made it.
    pub pointer: Option<String>,
}

impl Line {
    /// What identifies the item across versions.
    pub fn key(&self) -> String {
        format!("{} {}", self.kind, self.path)
    }

    /// The line without its pointer: what users compile against.
    pub fn signature(&self) -> String {
        format!("{} {}{}", self.kind, self.path, self.rest)
    }

    pub fn parse(text: &str) -> Option<Line> {
        let (signature, pointer) = match text.split_once("  # ") {
            Some((signature, pointer)) => (signature, Some(pointer.to_owned())),
            None => (text, None),
        };
        let (kind, after) = signature.split_once(' ')?;
        if !KINDS.contains(&kind) {
            return None;
        }
        if kind == "impl" {
            let path = match after.split_once(" for ") {
                Some((name, target)) => format!("{} for {target}", trait_name(name)),
                None => after.to_owned(),
            };
            return Some(Line { kind: kind.to_owned(), path, rest: String::new(), pointer });
        }
        let end = path_end(after);
        Some(Line { kind: kind.to_owned(), path: after[..end].to_owned(), rest: after[end..].to_owned(), pointer })
    }
}

/// A trait as users name it: without lifetime arguments, so a written-out
/// `impl<'de> serde::Deserialize<'de>` reads as the derived one does,
/// `serde::Deserialize`. (Earlier snapshots kept the `<'de>`; reading them
/// through this too keeps a derive replaced by a written impl unchanged.)
fn trait_name(text: &str) -> String {
    let mut name = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<'") {
        match rest[start..].find('>') {
            Some(length) if rest[start + 2..start + length].chars().all(|c| c.is_alphanumeric() || c == '_') => {
                name.push_str(&rest[..start]);
                rest = &rest[start + length + 1..];
            }
            _ => break,
        }
    }
    name.push_str(rest);
    name
}

/// Where a path ends in `kanuu::Foo::r#type: String`: at the first
/// character that isn't part of an identifier or a `::`.
fn path_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'#' | b'/' | b'-') {
            index += 1;
        } else if byte == b':' && bytes.get(index + 1) == Some(&b':') {
            index += 2;
        } else {
            break;
        }
    }
    index
}

/// The types of a `public-api.txt` made from a schema: its pointer → the
/// type's name.
pub fn type_names(text: &str) -> HashMap<String, String> {
    parse(text)
        .into_iter()
        .filter(|line| matches!(line.kind.as_str(), "struct" | "enum" | "type"))
        .filter_map(|line| {
            let (_, name) = line.path.split_once("::").filter(|(_, name)| !name.contains("::"))?;
            Some((line.pointer?, name.to_owned()))
        })
        .collect()
}

/// Reads a `public-api.txt`.
pub fn parse(text: &str) -> Vec<Line> {
    text.lines().filter_map(Line::parse).collect()
}

/// Reads the public items of the crate's modules. Built from the plan and
/// `lib.rs` (what the root re-exports); shared by the threads that emit the
/// modules, each of which reads its own module's syntax tree.
pub struct Reader {
    crate_path: String,
    /// Item path → the pointer of what in the document made it.
    pointers: HashMap<String, String>,
    exported: Exports,
}

impl Reader {
    pub fn new(plan: &Plan, lib: &[Item]) -> Reader {
        let crate_path = plan.crate_path();
        Reader { pointers: pointers(plan, &crate_path), exported: root_exports(lib), crate_path }
    }

    /// The snapshot lines of `module` (`lib` is the root), whose items are
    /// `module_items`.
    pub fn lines(&self, module: &str, module_items: &[Item]) -> Vec<String> {
        let (crate_path, exported) = (&self.crate_path, &self.exported);
        let mut lines = Vec::new();
        let crate_prefix = format!("{crate_path}::");
        let public_path = |name: &str| -> Option<String> {
            if module == "lib" || exported.names.contains(name) || exported.globs.contains(module) {
                Some(format!("{crate_path}::{name}"))
            } else if exported.public_modules.contains(module) {
                Some(format!("{crate_path}::{module}::{name}"))
            } else {
                None
            }
        };
        let mut add = |kind: &str, path: String, rest: String| {
            let pointer = self.pointers.get(&path).cloned();
            let rest = rest.replace("crate::", &crate_prefix);
            lines.push(Line { kind: kind.to_owned(), path, rest, pointer }.to_string());
        };
        for item in module_items {
            item.for_each_declared(&mut |declared| items(declared, &public_path, &mut add));
        }
        lines
    }
}

/// `public-api.txt` for the crate: `lines` are its modules' ([`Reader`]),
/// `files` its emitted files (paths relative to the crate) for `Cargo.toml`.
pub fn snapshot(plan: &Plan, mut lines: Vec<String>, files: &[OutputFile]) -> String {
    let crate_path = plan.crate_path();
    // Cargo features are part of the API: removing one breaks who enables it.
    if let Some(manifest) = files.iter().find(|f| f.path == "Cargo.toml") {
        let features = manifest.contents.split_once("\n[features]\n").map_or("", |(_, rest)| rest);
        let features = features.lines().take_while(|line| !line.starts_with('[')).filter(|line| !line.starts_with('#'));
        for line in features {
            if let Some((name, enables)) = line.split_once(" = ") {
                let line = Line {
                    kind: "feature".to_owned(),
                    path: format!("{crate_path}/{name}"),
                    rest: format!(" = {enables}"),
                    pointer: None,
                };
                lines.push(line.to_string());
            }
        }
    }
    // Sorted once here rather than as the modules' threads add them.
    lines.sort_unstable();
    lines.dedup();
    let mut text = format!(
        "# The public API of the `{}` crate, one line per item, generated by kanuu-codegen.\n\
         # `# /…` names the place in the document that made the item. On regeneration,\n\
         # the differences to the previous file set the crate's next version (CHANGELOG.md).\n",
        plan.crate_name()
    );
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.signature())?;
        match &self.pointer {
            Some(pointer) => write!(f, "  # {pointer}"),
            None => Ok(()),
        }
    }
}

/// What `lib.rs` makes public: names re-exported at the root, modules
/// re-exported whole (`pub use types::*`), and public modules.
#[derive(Default)]
struct Exports {
    names: BTreeSet<String>,
    globs: BTreeSet<String>,
    public_modules: BTreeSet<String>,
}

fn root_exports(lib: &[Item]) -> Exports {
    let mut exports = Exports::default();
    for item in lib {
        match item {
            Item::Plain(syn::Item::Use(used)) if is_public(&used.vis) => collect_use(&used.tree, None, &mut exports),
            Item::Plain(syn::Item::Mod(module)) if is_public(&module.vis) => {
                exports.public_modules.insert(module.ident.to_string());
            }
            _ => {}
        }
    }
    exports
}

fn collect_use(tree: &syn::UseTree, module: Option<String>, exports: &mut Exports) {
    match tree {
        syn::UseTree::Path(path) => collect_use(&path.tree, Some(path.ident.to_string()), exports),
        syn::UseTree::Name(name) => {
            exports.names.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            exports.names.insert(rename.rename.to_string());
        }
        syn::UseTree::Glob(_) => {
            exports.globs.extend(module);
        }
        syn::UseTree::Group(group) => group.items.iter().for_each(|item| collect_use(item, module.clone(), exports)),
    }
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn is_non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// ` #[cfg(…)]` when the item exists only with a feature, else nothing.
fn cfg(attrs: &[syn::Attribute]) -> String {
    attrs.iter().filter(|a| a.path().is_ident("cfg")).map(|a| format!(" {}", text(a))).collect()
}

fn is_deprecated(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("deprecated"))
}

/// The traits of `#[derive(…)]`s.
fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut traits = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            traits.push(text(&meta.path));
            Ok(())
        });
    }
    traits
}

/// Tokens as one line of Rust, spaced the way rustfmt would.
fn text(tokens: &impl ToTokens) -> String {
    let raw = tokens.to_token_stream().to_string();
    let mut out = String::with_capacity(raw.len());
    let mut previous = "";
    for piece in raw.split(' ').filter(|p| !p.is_empty()) {
        let glued_to_previous = matches!(piece, "<" | ">" | "," | "::" | ":" | ")" | "?" | ";" | "]" | ">>")
            || (piece.starts_with('(')
                && previous.chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '>'))
            || matches!(previous, "::" | "<" | "(" | "&" | "[" | "#" | "!");
        if !out.is_empty() && !glued_to_previous {
            out.push(' ');
        }
        out.push_str(piece);
        previous = piece;
    }
    // A trailing comma, as prettyplease leaves in long parameter lists.
    out.replace(",)", ")").replace(",>", ">")
}

fn items(item: &syn::Item, public_path: &dyn Fn(&str) -> Option<String>, add: &mut dyn FnMut(&str, String, String)) {
    match item {
        syn::Item::Struct(declared) if is_public(&declared.vis) => {
            let Some(path) = public_path(&declared.ident.to_string()) else { return };
            let mark = if is_non_exhaustive(&declared.attrs) { " #[non_exhaustive]" } else { "" };
            add("struct", path.clone(), format!("{}{mark}", text(&declared.generics)));
            if is_deprecated(&declared.attrs) {
                add("deprecated", path.clone(), String::new());
            }
            for field in declared.fields.iter().filter(|f| is_public(&f.vis)) {
                let Some(name) = &field.ident else { continue };
                add("field", format!("{path}::{name}"), format!(": {}", text(&field.ty)));
                if is_deprecated(&field.attrs) {
                    add("deprecated", format!("{path}::{name}"), String::new());
                }
            }
            for derived in derives(&declared.attrs) {
                add("impl", format!("{derived} for {path}"), String::new());
            }
        }
        syn::Item::Enum(declared) if is_public(&declared.vis) => {
            let Some(path) = public_path(&declared.ident.to_string()) else { return };
            let mark = if is_non_exhaustive(&declared.attrs) { " #[non_exhaustive]" } else { "" };
            add("enum", path.clone(), format!("{}{mark}", text(&declared.generics)));
            if is_deprecated(&declared.attrs) {
                add("deprecated", path.clone(), String::new());
            }
            for variant in &declared.variants {
                let mark = if is_non_exhaustive(&variant.attrs) { " #[non_exhaustive]" } else { "" };
                let rest = format!("{}{mark}{}", fields_text(&variant.fields), cfg(&variant.attrs));
                add("variant", format!("{path}::{}", variant.ident), rest);
            }
            for derived in derives(&declared.attrs) {
                add("impl", format!("{derived} for {path}"), String::new());
            }
        }
        syn::Item::Type(alias) if is_public(&alias.vis) => {
            let Some(path) = public_path(&alias.ident.to_string()) else { return };
            add("type", path, format!(" = {}", text(&alias.ty)));
        }
        syn::Item::Impl(block) => {
            let Some(self_name) = self_type_name(&block.self_ty) else { return };
            let Some(self_path) = public_path(&self_name) else { return };
            let self_text = text(&block.self_ty).replacen(&self_name, &self_path, 1);
            if let Some((_, trait_path, _)) = &block.trait_ {
                // The crate's own traits (`crate::object::Object`) are private.
                if trait_path.segments.first().is_some_and(|segment| segment.ident == "crate") {
                    return;
                }
                // An associated type is part of the contract: `IntoFuture`'s `Output`.
                let outputs: Vec<String> = block
                    .items
                    .iter()
                    .filter_map(|member| match member {
                        syn::ImplItem::Type(assoc) if assoc.ident == "Output" => {
                            Some(format!(" (Output = {})", text(&assoc.ty)))
                        }
                        _ => None,
                    })
                    .collect();
                add("impl", format!("{} for {self_text}", trait_name(&text(trait_path))), outputs.concat());
                return;
            }
            for member in &block.items {
                match member {
                    syn::ImplItem::Fn(function) if is_public(&function.vis) => {
                        let path = format!("{self_path}::{}", function.sig.ident);
                        let generics = text(&function.sig.generics);
                        let inputs = text(&function.sig.inputs).trim_end_matches(',').to_owned();
                        let output = text(&function.sig.output);
                        let output = if output.is_empty() { String::new() } else { format!(" {output}") };
                        add("fn", path.clone(), format!("{generics}({inputs}){output}{}", cfg(&function.attrs)));
                        if is_deprecated(&function.attrs) {
                            add("deprecated", path, String::new());
                        }
                    }
                    syn::ImplItem::Const(constant) if is_public(&constant.vis) => {
                        add("const", format!("{self_path}::{}", constant.ident), format!(": {}", text(&constant.ty)));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// A variant's fields without their attributes: `(T)`, ` { a: T, b: U }`.
fn fields_text(fields: &syn::Fields) -> String {
    match fields {
        syn::Fields::Unit => String::new(),
        syn::Fields::Unnamed(unnamed) => {
            format!("({})", unnamed.unnamed.iter().map(|f| text(&f.ty)).collect::<Vec<_>>().join(", "))
        }
        syn::Fields::Named(named) => {
            let fields: Vec<String> =
                named.named.iter().filter_map(|f| Some(format!("{}: {}", f.ident.as_ref()?, text(&f.ty)))).collect();
            format!(" {{ {} }}", fields.join(", "))
        }
    }
}

fn self_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Which place in the document each public path comes from.
fn pointers(plan: &Plan, crate_path: &str) -> HashMap<String, String> {
    let mut pointers = HashMap::new();
    for ((index, def), names) in plan.api.types().zip(&plan.types) {
        // A shared type is where its representative is (see `plan/shapes.rs`).
        if !plan.emits(index) {
            continue;
        }
        let path = format!("{crate_path}::{}", names.name);
        match &def.kind {
            TypeKind::Object(object) => {
                for (field, name) in object.fields.iter().zip(&names.fields) {
                    let properties = pointer_join(&def.pointer, "properties");
                    pointers.insert(
                        format!("{path}::{}", crate::rust::names::ident(name)),
                        pointer_join(&properties, &field.name),
                    );
                }
                pointers.insert(format!("{path}::new"), pointer_join(&def.pointer, "required"));
            }
            TypeKind::StringEnum(_) => {
                for name in &names.variants {
                    pointers.insert(
                        format!("{path}::{}", crate::rust::names::ident(name)),
                        pointer_join(&def.pointer, "enum"),
                    );
                }
            }
            TypeKind::Union(_) | TypeKind::Alias(_) => {}
        }
        pointers.insert(path, def.pointer.clone());
    }
    for op in &plan.operations {
        let pointer = op.op.pointer.clone();
        pointers.insert(format!("{crate_path}::Client::{}", crate::rust::names::ident(&op.method)), pointer.clone());
        let builder = format!("{crate_path}::requests::{}", op.builder);
        for param in &op.params {
            pointers.insert(
                format!("{builder}::{}", crate::rust::names::ident(&param.name)),
                pointer_join(&pointer, "parameters"),
            );
        }
        pointers.insert(format!("{builder}::body"), pointer_join(&pointer, "requestBody"));
        pointers.insert(format!("{builder}::send"), pointer_join(&pointer, "responses"));
        pointers.insert(builder, pointer.clone());
        let responses = pointer_join(&pointer, "responses");
        let enums = op.error.iter().map(|e| (&e.name, &e.variants));
        let success = match &op.success {
            Success::Enum { name, variants } => Some((name, variants)),
            Success::One(_) => None,
        };
        for (name, variants) in enums.chain(success) {
            let path = format!("{crate_path}::{name}");
            for variant in variants {
                let key = match variant.status {
                    StatusMatch::Code(code) => code.to_string(),
                    other => other.key(),
                };
                pointers.insert(format!("{path}::{}", variant.name), pointer_join(&responses, &key));
            }
            pointers.insert(path, responses.clone());
        }
    }
    for scheme in &plan.schemes {
        let pointer = pointer_join("/components/securitySchemes", &scheme.scheme.key);
        pointers.insert(format!("{crate_path}::ClientBuilder::{}", crate::rust::names::ident(&scheme.field)), pointer);
    }
    pointers
}

/// The lines of a snapshot by key.
pub fn by_key(lines: Vec<Line>) -> BTreeMap<String, Line> {
    lines.into_iter().map(|line| (line.key(), line)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_back_as_written() {
        let text = "field kanuu::Foo::r#type: Option<String>  # /components/schemas/Foo/properties/type";
        let line = Line::parse(text).expect("a line");
        assert_eq!((line.kind.as_str(), line.path.as_str()), ("field", "kanuu::Foo::r#type"));
        assert_eq!(line.rest, ": Option<String>");
        assert_eq!(line.pointer.as_deref(), Some("/components/schemas/Foo/properties/type"));
        assert_eq!(line.to_string(), text);
        let function = Line::parse("fn kanuu::Client::new(api_key: impl Into<String>) -> Result<Self, Error>").unwrap();
        assert_eq!(function.path, "kanuu::Client::new");
        assert_eq!(Line::parse("# a comment"), None);
    }

    #[test]
    fn tokens_read_like_rust() {
        let ty: syn::Type =
            syn::parse_str("Option < std :: collections :: BTreeMap < String , Vec < u8 > > >").unwrap();
        assert_eq!(text(&ty), "Option<std::collections::BTreeMap<String, Vec<u8>>>");
        let sig: syn::Signature =
            syn::parse_str("fn f<'a>(&'a self, body: &'a crate::Foo, n: i64) -> Result<(), crate::Error>").unwrap();
        assert_eq!(text(&sig.inputs), "&'a self, body: &'a crate::Foo, n: i64");
        assert_eq!(text(&sig.output), "-> Result<(), crate::Error>");
        assert_eq!(text(&sig.generics), "<'a>");
    }

    #[test]
    fn a_trait_is_named_without_its_lifetime_arguments() {
        assert_eq!(trait_name("serde::Deserialize<'de>"), "serde::Deserialize");
        assert_eq!(trait_name("From<Error>"), "From<Error>");
        let old = Line::parse("impl serde::Deserialize<'de> for kanuu::Pet").expect("a line");
        assert_eq!(old.key(), "impl serde::Deserialize for kanuu::Pet");
        let builder = Line::parse("impl IntoFuture for kanuu::requests::CreateNonce<'a> (Output = X)").expect("a line");
        assert_eq!(builder.key(), "impl IntoFuture for kanuu::requests::CreateNonce<'a> (Output = X)");
    }
}
