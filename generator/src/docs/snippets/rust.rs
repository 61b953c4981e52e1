//! Rust with the generated client crate: the program comes from the Rust
//! emitter (`crate::rust::snippet`), the one typed-client example.

use super::{Language, Request, Verification};
use crate::error::Error;

pub const LANGUAGE: Language = Language { title: "Rust", fence: "rust", sample_lang: "rust", literal, render, verify };

/// A Rust string literal as the Rust emitter writes them (`str`'s `Debug`
/// format: `\\ \" \n \r \t`, `\u{…}` for controls, other characters as
/// they are), with `</` written `<\u{2f}`.
pub fn literal(text: &str) -> String {
    escape_markup(&format!("{text:?}"))
}

/// Applies `literal`'s `</` rule to the emitter's program, in which `</`
/// can only be inside a string literal.
fn escape_markup(program: &str) -> String {
    program.replace("</", "<\\u{2f}")
}

fn render(request: &Request) -> Result<String, Error> {
    let program = crate::rust::snippet(request.plan, request.operation, request.base_url);
    Ok(escape_markup(&program))
}

/// A webhook page's Rust: the crate's `Verifier` reads the delivery, and
/// the page's webhook is one variant of what it gives.
fn verify(verification: &Verification) -> String {
    escape_markup(&crate::rust::webhook_snippet(verification.plan, verification.webhook))
}
