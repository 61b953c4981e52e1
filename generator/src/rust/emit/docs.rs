//! Rustdoc from the document's Markdown.
//!
//! The document's Markdown is read with pulldown-cmark, the parser rustdoc
//! itself uses, with rustdoc's options, and changed only where rustdoc
//! would run it or warn about it, by the source ranges of its events: what
//! rustdoc sees as a code block, a link, a tag or text is what is changed.

use std::ops::Range;

use proc_macro2::TokenStream;
use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use quote::quote;

/// Makes Markdown safe for rustdoc: code blocks that aren't marked as Rust
/// become `text` blocks, so nothing from the document is compiled as a
/// doctest, and the document's text (not `keep_rust_blocks`) is changed
/// where rustdoc would warn ([`tidy`]).
fn rustdoc_lines(markdown: &str, keep_rust_blocks: bool) -> Vec<String> {
    // rustc rejects a bare CR in a doc comment (text pasted from Windows).
    let markdown = markdown.replace("\r\n", "\n").replace('\r', "\n");
    let markdown = markdown.trim();
    let text = if keep_rust_blocks { markdown.to_owned() } else { tidy(markdown) };
    text.lines().map(|line| line.trim_end().to_owned()).collect()
}

/// The Markdown extensions rustdoc reads doc comments with.
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// What rustdoc would warn about or run in Markdown written for other
/// renderers, changed:
/// - a code block becomes a `text` block (an indented one fenced, since
///   rustdoc runs indented blocks as Rust too), and one left open is closed;
/// - a bare URL in text (`rustdoc::bare_urls`) becomes an autolink,
///   `<https://…>`, without the sentence's closing punctuation;
/// - a link to nothing (`[words]` that no `[words]: …` defines), which
///   rustdoc would try as a link to an item (`broken_intra_doc_links`:
///   `[RFC7807]`, `[get]`), is escaped, `\[words\]`;
/// - a tag that isn't an HTML element, or one whose element isn't opened
///   and closed as often (`invalid_html_tags`: `<title>` in prose, a lone
///   `<p>`), is escaped, `\<title>` (`&lt;title>` in an HTML block);
///   `</br>` becomes `<br>`.
fn tidy(markdown: &str) -> String {
    let mut broken: Vec<Range<usize>> = Vec::new();
    let mut record = |link: BrokenLink| {
        broken.push(link.span);
        None
    };
    let parser = Parser::new_with_broken_link_callback(markdown, rustdoc_options(), Some(&mut record));
    let events: Vec<(Event, Range<usize>)> = parser.into_offset_iter().collect();
    let balanced = balanced_elements(markdown, &events);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // Inside a link or image, text is the link's; inside a code block, code.
    let mut in_link = 0usize;
    let mut code_block: Option<(Range<usize>, CodeBlockKind, String)> = None;
    // Whether the last line of an HTML block ended inside a tag.
    let mut in_tag = false;
    let mut text_run: Option<Range<usize>> = None;
    // The lines of a paragraph (or a tight list item's text) after its
    // first start where its text does, however the document indents them:
    // the column of each open one's text, once it is known; and where the
    // last line break ended. A line that starts with more than white space
    // (`> ` in a quote) is left as it is.
    let mut indents: Vec<Option<usize>> = Vec::new();
    let mut after_break: Option<usize> = None;
    for (event, range) in events {
        let column = || {
            let line_start = markdown[..range.start].rfind('\n').map_or(0, |at| at + 1);
            markdown[line_start..range.start].chars().count()
        };
        if !matches!(event, Event::Start(_))
            && let Some(indent @ None) = indents.last_mut()
        {
            *indent = Some(column());
        }
        if let (Some(end), Some(Some(indent))) = (after_break.take(), indents.last().copied()) {
            let gap = &markdown[end..range.start.max(end)];
            if gap.chars().all(|c| c == ' ' || c == '\t') && gap.len() != indent {
                edits.push((end..range.start, " ".repeat(indent)));
            }
        }
        if !matches!(event, Event::Text(_)) || in_link > 0 || code_block.is_some() {
            edits.extend(text_run.take().map(|run| autolinked(markdown, run)).unwrap_or_default());
        }
        match event {
            // A paragraph outside lists starts its lines at the margin.
            Event::Start(Tag::Paragraph) if indents.is_empty() => {
                let line_start = markdown[..range.start].rfind('\n').map_or(0, |at| at + 1);
                if markdown[line_start..range.start].chars().all(|c| c == ' ' || c == '\t') {
                    edits.push((line_start..range.start, String::new()));
                }
                indents.push(Some(0));
            }
            Event::Start(Tag::Paragraph | Tag::Item) => indents.push(None),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                indents.pop();
            }
            Event::SoftBreak | Event::HardBreak => after_break = Some(range.end),
            Event::Start(Tag::CodeBlock(kind)) => code_block = Some((range, kind, String::new())),
            Event::End(TagEnd::CodeBlock) => {
                if let Some((range, kind, code)) = code_block.take() {
                    edits.extend(text_block(markdown, range, &kind, &code));
                }
            }
            Event::Text(text) if code_block.is_some() => {
                if let Some((_, _, code)) = &mut code_block {
                    code.push_str(&text);
                }
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            // A run of text is split into events at `_`, `*` and quotes;
            // a URL is looked for in the whole run.
            Event::Text(_) if in_link == 0 => match &mut text_run {
                Some(run) if run.end == range.start => run.end = range.end,
                _ => {
                    edits.extend(text_run.take().map(|run| autolinked(markdown, run)).unwrap_or_default());
                    text_run = Some(range);
                }
            },
            Event::InlineHtml(_) => {
                let mut out = String::new();
                tags(&markdown[range.clone()], &balanced, false, &mut out);
                if out != markdown[range.clone()] {
                    edits.push((range, out));
                }
            }
            Event::Html(_) => {
                let line = &markdown[range.clone()];
                let out = html_line(line, &balanced, &mut in_tag);
                if out != line {
                    edits.push((range, out));
                }
            }
            _ => {}
        }
    }
    edits.extend(text_run.map(|run| autolinked(markdown, run)).unwrap_or_default());
    for span in broken {
        edits.extend(escaped_brackets(markdown, span));
    }
    apply(markdown, edits)
}

/// An edit per bare URL in the run of text at `range`, making it an autolink.
fn autolinked(markdown: &str, range: Range<usize>) -> Vec<(Range<usize>, String)> {
    let before = markdown[..range.start].chars().next_back();
    let urls = bare_urls(&markdown[range.clone()], before);
    let at = |url: Range<usize>| range.start + url.start..range.start + url.end;
    urls.into_iter().map(|url| (at(url.clone()), format!("<{}>", &markdown[at(url)]))).collect()
}

/// A code block as a `text` block: a fence's info string replaced (and a
/// fence left open closed), an indented block fenced at its indentation.
fn text_block(markdown: &str, range: Range<usize>, kind: &CodeBlockKind, code: &str) -> Vec<(Range<usize>, String)> {
    let source = &markdown[range.clone()];
    match kind {
        CodeBlockKind::Fenced(_) => {
            let first_line = source.find('\n').unwrap_or(source.len());
            let Some(marker) = fence_marker(source) else { return Vec::new() };
            let mut edits = vec![(range.start..range.start + first_line, format!("{marker}text"))];
            let last_line = source.trim_end().rsplit('\n').next().unwrap_or_default().trim();
            let closed = first_line < source.trim_end().len()
                && fence_marker(last_line).is_some_and(|close| close.starts_with(marker))
                && last_line.trim_start_matches(marker.chars().next().unwrap_or('`')).is_empty();
            if !closed {
                let end = if source.ends_with('\n') { "" } else { "\n" };
                edits.push((range.end..range.end, format!("{end}{marker}")));
            }
            edits
        }
        CodeBlockKind::Indented => {
            // The block's lines start with what its container puts before
            // them (spaces, `> `), then four spaces of its own.
            let line_start = markdown[..range.start].rfind('\n').map_or(0, |at| at + 1);
            let prefix = markdown[line_start..range.start].get(..range.start - line_start - 4).unwrap_or("");
            let mut fenced = format!("{prefix}```text\n");
            for line in code.lines() {
                fenced.push_str(prefix);
                fenced.push_str(line);
                fenced.push('\n');
            }
            fenced.push_str(prefix);
            fenced.push_str("```\n");
            vec![(line_start..range.end, fenced)]
        }
    }
}

/// The fence `line` starts with, if any: three or more backticks or tildes.
fn fence_marker(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let first = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = line.len() - line.trim_start_matches(first).len();
    (length >= 3).then_some(&line[..length])
}

/// `\[` and `\]` for each bracket of a link to nothing, unless its text is
/// one code span (`[`Client::get`]`, a link to an item the crate has).
fn escaped_brackets(markdown: &str, span: Range<usize>) -> Vec<(Range<usize>, String)> {
    let text = &markdown[span.clone()];
    if text.starts_with("[`") && text.ends_with("`]") {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let mut in_code = false;
    for (at, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '[' | ']' if !in_code && !text[..at].ends_with('\\') => {
                edits.push((span.start + at..span.start + at + 1, format!("\\{c}")));
            }
            _ => {}
        }
    }
    edits
}

/// `markdown` with each edit's range replaced; an edit that overlaps one
/// before it is left out.
fn apply(markdown: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(markdown.len() + edits.len() * 4);
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&markdown[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&markdown[at..]);
    out
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

/// Elements that have no closing tag.
const VOID_ELEMENTS: &[&str] = &["br", "hr", "img", "wbr"];

/// The elements opened as often as closed in the document's HTML (its
/// inline tags and HTML blocks), whose tags are kept.
fn balanced_elements(markdown: &str, events: &[(Event, Range<usize>)]) -> std::collections::HashSet<String> {
    let mut count: std::collections::HashMap<String, isize> = std::collections::HashMap::new();
    for (event, range) in events {
        if !matches!(event, Event::InlineHtml(_) | Event::Html(_)) {
            continue;
        }
        let mut rest = &markdown[range.clone()];
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
    count.into_iter().filter(|(_, count)| *count == 0).map(|(name, _)| name).collect()
}

/// One line of an HTML block, where only tags are looked at: there is no
/// Markdown to change. `in_tag` says whether the line before ended inside
/// a tag, and is set to whether this one does: up to its `>`, a line is
/// the tag's.
fn html_line(line: &str, balanced: &std::collections::HashSet<String>, in_tag: &mut bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    if *in_tag {
        let Some(end) = rest.find('>') else { return line.to_owned() };
        out.push_str(&rest[..=end]);
        rest = &rest[end + 1..];
    }
    *in_tag = tags(rest, balanced, true, &mut out);
    out
}

/// Text with tags in it (an inline tag, or a line of an HTML block,
/// `html`), each kept, or escaped when it isn't a balanced HTML element;
/// the text of an escaped tag is text to rustdoc, so its bare URLs become
/// autolinks. Returns whether it ends inside a tag it kept.
fn tags(text: &str, balanced: &std::collections::HashSet<String>, html: bool, out: &mut String) -> bool {
    let escaped_tag = if html { "&lt;" } else { "\\<" };
    let mut index = 0;
    while let Some(at) = text[index..].find('<') {
        let rest = &text[index + at..];
        out.push_str(&text[index..index + at]);
        index += at;
        match tag(rest) {
            Some((length, name, true)) if VOID_ELEMENTS.contains(&name.as_str()) => {
                out.push_str(&format!("<{name}>"));
                index += length;
            }
            Some((length, name, _))
                if HTML_ELEMENTS.contains(&name.as_str())
                    && (VOID_ELEMENTS.contains(&name.as_str()) || balanced.contains(&name)) =>
            {
                out.push_str(&rest[..length]);
                index += length;
                if index == text.len() && !rest[..length].ends_with('>') {
                    return true;
                }
            }
            Some((length, _, _)) => {
                out.push_str(escaped_tag);
                if html {
                    out.push_str(&rest[1..length]);
                } else {
                    autolink_urls(&rest[1..length], Some('<'), out);
                }
                index += length;
            }
            None => {
                out.push('<');
                index += 1;
            }
        }
    }
    out.push_str(&text[index..]);
    false
}

/// `text` with each bare URL made an autolink ([`bare_urls`]).
fn autolink_urls(text: &str, before: Option<char>, out: &mut String) {
    let mut at = 0;
    for url in bare_urls(text, before) {
        out.push_str(&text[at..url.start]);
        out.push('<');
        out.push_str(&text[url.clone()]);
        out.push('>');
        at = url.end;
    }
    out.push_str(&text[at..]);
}

/// Where the bare URLs in `text` are; `before` is the character before
/// the text, where a URL right after `<` or `/` is left alone (it is
/// already marked up, or part of a path).
fn bare_urls(text: &str, before: Option<char>) -> Vec<Range<usize>> {
    let mut urls = Vec::new();
    let mut index = 0;
    while index < text.len() {
        let rest = &text[index..];
        let previous = if index == 0 { before } else { text[..index].chars().next_back() };
        let length = if rest.starts_with("http://") || rest.starts_with("https://") { url_length(rest) } else { 0 };
        if length > 0 && !matches!(previous, Some('<' | '/')) {
            urls.push(index..index + length);
            index += length;
        } else {
            index += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    urls
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
        assert_eq!(lines, ["Example:", "```text", "foo()", "```", "", "```text", "indented code", "```"]);
        let nested = rustdoc_lines("- a list\n\n      code in it\n- b\n  - nested", false);
        assert_eq!(nested, ["- a list", "", "  ```text", "  code in it", "  ```", "- b", "  - nested"]);
        // A paragraph's lines keep to its indentation, however the document indents them.
        let lines = rustdoc_lines("One\n         two\n\n   Three\n\n- a\n     b\n  - c\nd", false);
        assert_eq!(lines, ["One", "two", "", "Three", "", "- a", "  b", "  - c", "    d"]);
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
        // Escaped, the brackets leave a URL in text: it is made a link.
        assert_eq!(tidy("See [https://x.io/spec]"), "See \\[<https://x.io/spec>\\]");
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
