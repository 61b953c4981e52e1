//! Rustdoc from the document's Markdown.

use proc_macro2::TokenStream;
use quote::quote;

/// Makes Markdown safe for rustdoc: fenced blocks that aren't marked as
/// Rust become `text` blocks and indented blocks are flattened, so nothing
/// from the document is compiled as a doctest.
fn rustdoc_lines(markdown: &str, keep_rust_blocks: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    // rustc rejects a bare CR in a doc comment (text pasted from Windows).
    let markdown = markdown.replace("\r\n", "\n").replace('\r', "\n");
    for line in markdown.trim().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if !in_fence && !keep_rust_blocks {
                lines.push("```text".to_owned());
            } else {
                lines.push(trimmed.to_owned());
            }
            in_fence = !in_fence;
        } else if in_fence {
            lines.push(line.to_owned());
        } else {
            lines.push(trimmed.trim_end().to_owned());
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    lines
}

fn attrs(lines: Vec<String>, inner: bool) -> TokenStream {
    let lines = lines.into_iter().map(|line| if line.is_empty() { line } else { format!(" {line}") });
    if inner { quote!(#(#![doc = #lines])*) } else { quote!(#(#[doc = #lines])*) }
}

/// `///` lines from the document's Markdown.
pub fn outer(markdown: &str) -> TokenStream {
    attrs(rustdoc_lines(markdown, false), false)
}

/// `//!` lines; the text is ours, so its Rust examples are kept as doctests.
pub fn inner(markdown: &str) -> TokenStream {
    attrs(rustdoc_lines(markdown, true), true)
}

/// `///` lines from our own text, one attribute per line, code kept as it is.
pub fn inner_text_as_outer(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| line.strip_prefix(' ').unwrap_or(line).to_owned()).collect();
    attrs(lines, false)
}

/// Joins optional paragraphs, skipping the missing ones.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts.into_iter().flatten().map(str::trim).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("\n\n")
}

/// `words` after "a" or "an", by how the first letter sounds as usually
/// read (`a `Nonce``, `an `ErrorMessage``); Markdown marks are skipped.
pub fn a_or_an(words: &str) -> String {
    let first = words.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_ascii_lowercase());
    let article = if matches!(first, Some('a' | 'e' | 'i' | 'o' | 'u')) { "an" } else { "a" };
    format!("{article} {words}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_code_blocks_never_become_doctests() {
        let lines = rustdoc_lines("Example:\n```\nfoo()\n```\n\n    indented code", false);
        assert_eq!(lines, ["Example:", "```text", "foo()", "```", "", "indented code"]);
        assert_eq!(rustdoc_lines("```json\n{}", false), ["```text", "{}", "```"]);
    }

    #[test]
    fn carriage_returns_become_line_breaks() {
        assert_eq!(rustdoc_lines("one\r\ntwo\rthree", false), ["one", "two", "three"]);
    }

    #[test]
    fn articles_follow_the_first_letter() {
        assert_eq!(a_or_an("`Nonce`"), "a `Nonce`");
        assert_eq!(a_or_an("`ErrorMessage`"), "an `ErrorMessage`");
        assert_eq!(a_or_an("[`Order`](crate::Order)"), "an [`Order`](crate::Order)");
    }
}
