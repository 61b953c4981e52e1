//! Rustdoc from the document's Markdown.

use proc_macro2::TokenStream;
use quote::quote;

/// Makes Markdown safe for rustdoc: fenced blocks that aren't marked as
/// Rust become `text` blocks and indented blocks are flattened, so nothing
/// from the document is compiled as a doctest. The document's text (not
/// `keep_rust_blocks`) is also tidied outside code ([`Tidy`]), so the crate
/// documents without rustdoc's warnings.
fn rustdoc_lines(markdown: &str, keep_rust_blocks: bool) -> Vec<String> {
    let mut lines = Vec::new();
    // The open fence's marker: three or more backticks or tildes.
    let mut fence: Option<String> = None;
    // rustc rejects a bare CR in a doc comment (text pasted from Windows).
    let markdown = markdown.replace("\r\n", "\n").replace('\r', "\n");
    let tidy = (!keep_rust_blocks).then(|| Tidy::new(&markdown));
    let mut in_html_block = false;
    // Whether the last line ended inside a tag, whose attributes go on.
    let mut in_tag = false;
    for line in markdown.trim().lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            in_html_block = false;
            in_tag = false;
        } else if fence.is_none() && starts_html_block(trimmed) {
            in_html_block = true;
        }
        let marker = fence_marker(trimmed);
        match (&fence, marker) {
            (None, Some(marker)) if !in_html_block => {
                if keep_rust_blocks {
                    lines.push(trimmed.to_owned());
                } else {
                    lines.push(format!("{marker}text"));
                }
                fence = Some(marker.to_owned());
            }
            // A fence closes with a run of its own character at least as long.
            (Some(open), Some(marker))
                if marker.starts_with(open.as_str()) && trimmed[marker.len()..].trim().is_empty() =>
            {
                lines.push(if keep_rust_blocks { trimmed.to_owned() } else { open.clone() });
                fence = None;
            }
            (Some(_), _) => lines.push(line.to_owned()),
            _ => {
                let line = trimmed.trim_end();
                let tidied = tidy.as_ref().map(|tidy| tidy.line(line, in_html_block, &mut in_tag));
                lines.push(tidied.unwrap_or_else(|| line.to_owned()));
            }
        }
    }
    if let Some(open) = fence {
        lines.push(open);
    }
    lines
}

/// The fence `line` starts with, if any: three or more backticks or tildes.
fn fence_marker(line: &str) -> Option<&str> {
    let first = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = line.len() - line.trim_start_matches(first).len();
    (length >= 3).then_some(&line[..length])
}

/// The document's Markdown as rustdoc Markdown ([`rustdoc_lines`]), for
/// text that joins ours, such as the crate docs.
pub fn from_document(markdown: &str) -> String {
    rustdoc_lines(markdown, false).join("\n")
}

/// HTML elements a description may use; any other tag (`<value>`, an XML
/// example's `<PstCd>`) is shown as text.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "wbr",
];

/// The elements whose tag at the start of a line makes the lines up to
/// the next blank one HTML rather than Markdown (CommonMark's HTML blocks
/// of the sixth kind).
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Whether `line` (without its indentation) opens an HTML block.
fn starts_html_block(line: &str) -> bool {
    let rest = line.strip_prefix('<').map(|rest| rest.strip_prefix('/').unwrap_or(rest));
    let Some(rest) = rest else { return false };
    let length = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    let after = &rest[length..];
    BLOCK_ELEMENTS.contains(&rest[..length].to_ascii_lowercase().as_str())
        && (after.is_empty() || after.starts_with(['>', '/', ' ', '\t']))
}

/// Elements that have no closing tag.
const VOID_ELEMENTS: &[&str] = &["br", "hr", "img", "wbr"];

/// What rustdoc warns about in Markdown written for other renderers, and
/// how each line's text outside code spans is changed:
/// - a bare URL (`rustdoc::bare_urls`) becomes an autolink, `<https://…>`,
///   without the sentence's closing punctuation;
/// - `[words]` that no `[words]: …` line defines, which rustdoc would try
///   as a link to an item (`broken_intra_doc_links`: `[RFC7807]`, `[get]`),
///   is escaped, `\[words\]`;
/// - a tag that isn't an HTML element, or one whose element isn't opened
///   and closed as often (`invalid_html_tags`: `<title>` in prose, a lone
///   `<p>`), is escaped, `\<title>`; `</br>` becomes `<br>`.
struct Tidy {
    /// The labels `[label]: …` lines define, lowercased.
    definitions: std::collections::HashSet<String>,
    /// The elements opened as often as closed in the text.
    balanced: std::collections::HashSet<String>,
}

impl Tidy {
    fn new(markdown: &str) -> Tidy {
        let mut definitions = std::collections::HashSet::new();
        let mut count: std::collections::HashMap<String, isize> = std::collections::HashMap::new();
        for line in markdown.lines() {
            let line = line.trim_start();
            if let Some(label) = definition(line) {
                definitions.insert(label.to_lowercase());
            }
            let mut rest = line;
            while let Some(at) = rest.find('<') {
                rest = &rest[at..];
                match tag(rest) {
                    Some((length, name, closing)) => {
                        *count.entry(name).or_default() += if closing { -1 } else { 1 };
                        rest = &rest[length..];
                    }
                    None => rest = &rest[1..],
                }
            }
        }
        let balanced = count.into_iter().filter(|(_, count)| *count == 0).map(|(name, _)| name).collect();
        Tidy { definitions, balanced }
    }

    /// One line outside fenced code, with its code spans kept as written.
    /// In an HTML block (`html`) only tags are looked at: there is no
    /// Markdown to change, and a stray `<` is escaped as `&lt;`. `in_tag`
    /// says whether the line before ended inside a tag, and is set to
    /// whether this one does: up to its `>`, a line is the tag's.
    fn line(&self, line: &str, html: bool, in_tag: &mut bool) -> String {
        let mut out = String::with_capacity(line.len() + 8);
        let mut rest = line;
        if *in_tag {
            let Some(end) = rest.find('>') else { return line.to_owned() };
            out.push_str(&rest[..=end]);
            rest = &rest[end + 1..];
            *in_tag = false;
        }
        if definition(rest).is_some() && !html {
            out.push_str(rest);
            return out;
        }
        if html {
            *in_tag = self.text(rest, true, &mut out);
            return out;
        }
        while let Some(at) = rest.find('`') {
            self.text(&rest[..at], false, &mut out);
            rest = &rest[at..];
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..ticks];
            // A span closes at the next run of as many backticks, no more.
            let close = rest[ticks..].match_indices(fence).find(|(index, _)| {
                let after = &rest[ticks + index + ticks..];
                !after.starts_with('`') && !rest[..ticks + index].ends_with('`')
            });
            let end = close.map_or(ticks, |(index, _)| ticks + index + ticks);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
        *in_tag = self.text(rest, false, &mut out);
        out
    }

    /// Text between code spans, or a line of an HTML block (`html`).
    /// Returns whether it ends inside a tag it kept.
    fn text(&self, text: &str, html: bool, out: &mut String) -> bool {
        let escaped_tag = if html { "&lt;" } else { "\\<" };
        let mut index = 0;
        while index < text.len() {
            let rest = &text[index..];
            let before = text[..index].chars().next_back();
            if html && !rest.starts_with('<') {
                let next = rest.chars().next().map_or(1, char::len_utf8);
                out.push_str(&rest[..next]);
                index += next;
            } else if rest.starts_with("http://") || rest.starts_with("https://") {
                let length = url_length(rest);
                let link_target = text[..index].ends_with("](");
                // Inside a tag kept as HTML it isn't reached: the tag is copied whole.
                if link_target || matches!(before, Some('<' | '[' | '/')) || length == 0 {
                    out.push_str(&rest[..1]);
                    index += 1;
                } else {
                    out.push('<');
                    out.push_str(&rest[..length]);
                    out.push('>');
                    index += length;
                }
            } else if rest.starts_with('[') && before != Some('\\') {
                let label = rest[1..].find(']').map(|end| &rest[1..1 + end]);
                let after = label.map(|label| &rest[label.len() + 2..]);
                // `[label]:` defines a link only at the start of a line (`definition`).
                let is_link = after.is_none_or(|after| after.starts_with(['(', '[']));
                match label {
                    Some(label)
                        if !is_link
                            && !label.starts_with('`')
                            && !label.contains('[')
                            && !self.definitions.contains(&label.to_lowercase()) =>
                    {
                        out.push_str("\\[");
                        self.text(label, false, out);
                        out.push_str("\\]");
                        index += label.len() + 2;
                    }
                    _ => {
                        out.push('[');
                        index += 1;
                    }
                }
            } else if rest.starts_with('<') && (html || before != Some('\\')) {
                if !html && rest.starts_with("<http://")
                    || rest.starts_with("<https://")
                    || rest.starts_with("<mailto:")
                {
                    let end = rest.find('>').map_or(1, |end| end + 1);
                    out.push_str(&rest[..end]);
                    index += end;
                    continue;
                }
                match tag(rest) {
                    Some((length, name, true)) if VOID_ELEMENTS.contains(&name.as_str()) => {
                        out.push_str(&format!("<{name}>"));
                        index += length;
                    }
                    Some((length, name, _))
                        if HTML_ELEMENTS.contains(&name.as_str())
                            && (VOID_ELEMENTS.contains(&name.as_str()) || self.balanced.contains(&name)) =>
                    {
                        out.push_str(&rest[..length]);
                        index += length;
                        if index == text.len() && !rest[..length].ends_with('>') {
                            return true;
                        }
                    }
                    Some(_) => {
                        out.push_str(escaped_tag);
                        index += 1;
                    }
                    None => {
                        out.push('<');
                        index += 1;
                    }
                }
            } else {
                let next = rest.chars().next().map_or(1, char::len_utf8);
                out.push_str(&rest[..next]);
                index += next;
            }
        }
        false
    }
}

/// The label `line` defines, if it is a link reference definition
/// (`[label]: https://…`).
fn definition(line: &str) -> Option<&str> {
    let (label, after) = line.strip_prefix('[')?.split_once(']')?;
    after.starts_with(':').then_some(label)
}

/// The length of the tag `text` starts with, its element's name in lower
/// case, and whether it closes one: `<br>`, `</p>`, `<a href="…">`, `<br/>`.
/// What counts is what CommonMark counts as raw HTML, which is what rustdoc
/// checks: each attribute after white space (`<a href="x"target="y">` is
/// text), a closing tag without any. A tag that goes on past the end of the
/// line takes the rest of it.
fn tag(text: &str) -> Option<(usize, String, bool)> {
    let rest = text.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let name_length = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '-').unwrap_or(rest.len());
    let name = &rest[..name_length];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut after = &rest[name_length..];
    loop {
        let trimmed = after.trim_start();
        let spaced = trimmed.len() < after.len();
        after = trimmed;
        if after.is_empty() {
            break;
        }
        if let Some(end) = after.strip_prefix('>').or_else(|| after.strip_prefix("/>").filter(|_| !closing)) {
            after = end;
            break;
        }
        if closing || !spaced || !after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == ':') {
            return None;
        }
        let attribute = after.find(|c: char| !(c.is_ascii_alphanumeric() || "_.:-".contains(c))).unwrap_or(after.len());
        after = &after[attribute..];
        let Some(value) = after.trim_start().strip_prefix('=') else { continue };
        let value = value.trim_start();
        after = match value.chars().next() {
            None => "",
            Some(quote @ ('"' | '\'')) => value[1..].find(quote).map_or("", |close| &value[close + 2..]),
            Some(_) => {
                let length = value.find(|c: char| c.is_whitespace() || "\"'=<>`".contains(c)).unwrap_or(value.len());
                if length == 0 {
                    return None;
                }
                &value[length..]
            }
        };
    }
    Some((text.len() - after.len(), name.to_ascii_lowercase(), closing))
}

/// How much of `text`, which starts with `http://` or `https://`, is the
/// URL: up to a space or a character URLs don't hold, without the
/// sentence's punctuation after it or a `)` it didn't open.
fn url_length(text: &str) -> usize {
    let mut end =
        text.find(|c: char| !(c.is_ascii_alphanumeric() || "-._~:/?#@!$&*+,;=%()".contains(c))).unwrap_or(text.len());
    loop {
        let url = &text[..end];
        let unopened = url.ends_with(')') && url.matches(')').count() > url.matches('(').count();
        if url.ends_with(['.', ',', ';', ':', '!', '?', '*']) || unopened {
            end -= 1;
        } else {
            break;
        }
    }
    if text[..end].ends_with("://") { 0 } else { end }
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
    fn bare_urls_become_autolinks_without_the_sentence_s_punctuation() {
        let tidy = |text: &str| from_document(text);
        assert_eq!(tidy("See https://example.com/a_b?c=d."), "See <https://example.com/a_b?c=d>.");
        assert_eq!(tidy("(at http://x.io/path), then"), "(at <http://x.io/path>), then");
        assert_eq!(tidy("values (https://x.io/v)."), "values (<https://x.io/v>).");
        assert_eq!(tidy("https://en.wikipedia.org/wiki/A_(b)"), "<https://en.wikipedia.org/wiki/A_(b)>");
        // Quotes in text are text: rustdoc finds the URL in them.
        assert_eq!(tidy("Ex: ['http://my.site.com/a.jpg']"), "Ex: \\['<http://my.site.com/a.jpg>'\\]");
        assert_eq!(tidy("url=\"https://x.io/v\""), "url=\"<https://x.io/v>\"");
        // In a tag that isn't HTML, it is text too.
        assert_eq!(tidy("See <ref href=\"https://x.io\">"), "See \\<ref href=\"<https://x.io>\">");
        let kept = [
            "[docs](https://example.com)",
            "<https://example.com>",
            "`https://example.com`",
            "<a href=\"https://example.com\">docs</a>",
            "[https://example.com](https://example.com)",
            "<a\nhref=\"https://example.com\">docs</a>",
            "<a href=\"#top\"\ntitle='https://example.com'>docs</a>",
        ];
        for text in kept {
            assert_eq!(tidy(text), text);
        }
    }

    #[test]
    fn brackets_no_reference_defines_are_not_taken_for_links_to_items() {
        let tidy = |text: &str| from_document(text);
        assert_eq!(tidy("As in [RFC7807], use [get]."), "As in \\[RFC7807\\], use \\[get\\].");
        assert_eq!(tidy("'YNAB:[amount]:[date]'"), "'YNAB:\\[amount\\]:\\[date\\]'");
        let kept = [
            "[the guide](https://example.com/guide)",
            "[the guide][guide]\n\n[guide]: https://example.com/guide",
            "See [RFC 1].\n\n[RFC 1]: https://example.com/rfc1",
            "`[not, a, link]`",
            "Made by [`Client::get`].",
        ];
        for text in kept {
            assert_eq!(tidy(text), text);
        }
    }

    #[test]
    fn tags_that_are_not_balanced_html_are_shown_as_text() {
        let tidy = |text: &str| from_document(text);
        assert_eq!(tidy("Set <title> and <value>."), "Set \\<title> and \\<value>.");
        assert_eq!(tidy("<PstCd>123</PstCd>"), "\\<PstCd>123\\</PstCd>");
        assert_eq!(tidy("One<p>two"), "One\\<p>two");
        assert_eq!(tidy("One</br>two<br/>three<br>"), "One<br>two<br/>three<br>");
        assert_eq!(tidy("Ids (<a href=\n\"#ids\">ids</a>)"), "Ids (<a href=\n\"#ids\">ids</a>)");
        // CommonMark wants white space between attributes; without it, the
        // opening tag is text and its closing one stands alone.
        assert_eq!(
            tidy("See <a href=\"/codes\"target=\"_blank\">codes</a>."),
            "See <a href=\"/codes\"target=\"_blank\">codes\\</a>."
        );
        assert_eq!(tidy("<b>x</b><b class=x>y</b >"), "<b>x</b><b class=x>y</b >");
        assert_eq!(tidy("<b>x</b id=1>"), "\\<b>x</b id=1>");
        let kept = [
            "<b>bold</b> and <a href=\"#x\">a link</a>",
            "a < b and c > d",
            "`<title>`",
            "<details>\n<summary>More</summary>\n</details>",
        ];
        for text in kept {
            assert_eq!(tidy(text), text);
        }
    }

    #[test]
    fn html_blocks_are_html_not_markdown() {
        let tidy = |text: &str| from_document(text);
        let block = "<p>See <code>https://x.io</code> and [RFC7807] </p> <p>Set <title>.</p>";
        assert_eq!(tidy(block), "<p>See <code>https://x.io</code> and [RFC7807] </p> <p>Set &lt;title>.</p>");
        assert_eq!(
            tidy("<div>\nhttps://x.io\n</div>\n\nThen https://x.io"),
            "<div>\nhttps://x.io\n</div>\n\nThen <https://x.io>"
        );
    }

    #[test]
    fn code_in_the_document_never_becomes_a_doctest_even_in_the_crate_docs() {
        assert_eq!(
            from_document("Call it:\n\n```\ncurl https://x.io\n```"),
            "Call it:\n\n```text\ncurl https://x.io\n```"
        );
        assert_eq!(from_document("```rust\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
    }

    #[test]
    fn tilde_and_longer_fences_are_code_blocks_too() {
        assert_eq!(from_document("~~~\nfn main() {}\n~~~"), "~~~text\nfn main() {}\n~~~");
        assert_eq!(from_document("````\n```\ninner\n````"), "````text\n```\ninner\n````");
        assert_eq!(from_document("```sh\nls [a]\n"), "```text\nls [a]\n```");
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
