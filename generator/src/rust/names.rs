//! Rust names for the API's words: idiomatic case, valid identifiers, no
//! keywords. Which name each item gets is the plan's decision (`plan/mod.rs`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words Rust reserves (2021 edition, including reserved-for-future ones).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that can't be raw identifiers; they get a trailing `_` instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Replaces everything but ASCII letters and digits with word breaks, so
/// heck sees words and the result is a plain ASCII identifier.
fn words(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// `snake_case`, e.g. for fields, methods and parameters.
pub fn snake(text: &str) -> String {
    let name = words(text).to_snake_case();
    if name.is_empty() {
        "value".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else {
        name
    }
}

/// `UpperCamelCase`, e.g. for types and enum variants.
pub fn camel(text: &str) -> String {
    let name = words(text).to_upper_camel_case();
    if name.is_empty() {
        "Value".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{name}")
    } else {
        name
    }
}

/// An identifier token for a name from `snake` or `camel`, raw where it is a keyword.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A local variable name for a snake-case name: keywords get a trailing `_`
/// so the name can also appear inside a format string.
pub fn local(name: &str) -> String {
    if KEYWORDS.contains(&name) || NOT_RAW.contains(&name) { format!("{name}_") } else { name.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_valid_idiomatic_identifiers() {
        assert_eq!(snake("createNonce"), "create_nonce");
        assert_eq!(snake("X-Request-ID"), "x_request_id");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(snake("é"), "value");
        assert_eq!(camel("user-profile"), "UserProfile");
        assert_eq!(camel("404"), "N404");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
    }
}
