//! One reference page per operation and per webhook, in the seed page's
//! format, and the Markdown escaping every text from the document goes
//! through.
//!
//! Pages are read by VuePress: Markdown rendered by markdown-it, then
//! compiled as a Vue template. So text from the document has `<` written
//! `&lt;` (no HTML), `{{` put in a `v-pre` span (no Vue interpolation), and
//! in table cells `|` escaped; code blocks get a fence longer than any
//! backtick run in them.

use serde_json::Value;

use super::snippets::Snippet;
use crate::error::Error;
use crate::ir::*;

/// The page of `api.operations[index]`.
pub fn page(api: &Api, index: usize, snippets: &[Snippet], header: &str, file: &str) -> Result<String, Error> {
    let Some(op) = api.operations.get(index) else { return Ok(String::new()) };
    let mut out = format!("{header}\n");
    let title = op.summary.clone().unwrap_or_else(|| {
        use heck::ToTitleCase;
        op.name.to_title_case()
    });
    out.push_str(&format!("# {}\n\n", one_line(&title)));
    let server = api.default_server().unwrap_or("");
    out.push_str(&format!("{}\n\n", code_span(&format!("{} {server}{}", op.method.as_str(), op.path.template), false)));
    if let Some(description) = &op.description {
        out.push_str(&format!("{}\n\n", block(description)));
    }
    if op.deprecated {
        out.push_str("**Deprecated.**\n\n");
    }
    out.push_str("--- \n\n");

    let parameters: Vec<&Parameter> = op.parameters.iter().collect();
    if !parameters.is_empty() {
        out.push_str("### Parameters\n\n| Parameter | In | Validation | Description |\n| - | - | - | - |\n");
        for param in parameters {
            let mut rules = vec![if param.required { "required" } else { "optional" }.to_owned()];
            rules.extend(type_rules(api, &param.ty));
            rules.extend(constraint_rules(&param.constraints));
            if param.deprecated {
                rules.push("deprecated".to_owned());
            }
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                code_span(&param.name, true),
                param.location.as_str(),
                rules_cell(&rules),
                param.description.as_deref().map(cell).unwrap_or_default()
            ));
        }
        out.push('\n');
    }

    if let Some(body) = &op.body {
        out.push_str("### Body\n\n");
        out.push_str(&body_table(api, body, Direction::Request));
    }

    out.push_str("### Request\n\n");
    out.push_str(&request_sentence(api, op));
    out.push_str("\n\n<code-group>\n");
    for (position, snippet) in snippets.iter().enumerate() {
        out.push_str(&code_block(snippet.title, position == 0, snippet.fence, &snippet.source));
        out.push_str(if position + 1 < snippets.len() { "\n" } else { "" });
    }
    out.push_str("</code-group>\n\n\n### Response\n\n");
    if op.responses.is_empty() {
        out.push_str("The document describes no response.\n");
        return Ok(out);
    }
    for response in &op.responses {
        out.push_str(&format!(
            "- {}: {}\n",
            code_span(&response.status.title(), false),
            one_line(&response.description)
        ));
    }
    if let Some(paging) = &op.paging {
        out.push_str(&format!("\n{}\n", pages_text(paging)));
    }
    if let Some((body, stream)) = op.streamed_success() {
        out.push_str(&format!("\n{}\n", stream_text(body, stream)));
    }
    out.push_str(&response_tables(api, op));
    // One tab per response, or per named example of one, titled the way
    // the site's hand-written pages do: `200 - Trialing`.
    let mut tabs: Vec<(String, &str, String)> = Vec::new();
    for response in &op.responses {
        match &response.body {
            None => tabs.push((response.status.title(), "", String::new())),
            Some(body) if !body.examples.is_empty() => {
                for example in &body.examples {
                    let title = format!("{} - {}", response.status.key(), example.title);
                    let (fence, text) = example_text(body.encoding, &example.value, file)?;
                    tabs.push((title, fence, text));
                }
            }
            // A stream's example is a piece of it, as it comes on the wire.
            Some(body)
                if body.stream.as_ref().is_some_and(|s| s.format != StreamFormat::Bytes) && body.example.is_none() =>
            {
                let (fence, text) = stream_example(api, body, file)?;
                tabs.push((response.status.title(), fence, text));
            }
            Some(body) => {
                let example = body.example.clone().unwrap_or_else(|| api.example_of(&body.ty));
                let (fence, text) = example_text(body.encoding, &example, file)?;
                tabs.push((response.status.title(), fence, text));
            }
        }
    }
    out.push_str("\n<code-group>\n");
    for (position, (title, fence, text)) in tabs.iter().enumerate() {
        out.push_str(&code_block(title, position == 0, fence, text));
        out.push_str(if position + 1 < tabs.len() { "\n" } else { "" });
    }
    out.push_str("</code-group>\n");
    Ok(out)
}

/// The page of `api.webhooks[index]`: what sends it, its headers and
/// payload, how to check a delivery (`snippets`, when the document says
/// how deliveries are signed) and an example payload. `operation_page` is
/// the page of a callback's operation, relative to this one.
pub fn webhook_page(
    api: &Api,
    index: usize,
    snippets: &[Snippet],
    header: &str,
    file: &str,
    operation_page: Option<&str>,
) -> Result<String, Error> {
    let Some(webhook) = api.webhooks.get(index) else { return Ok(String::new()) };
    let mut out = format!("{header}\n");
    let title = webhook.summary.clone().unwrap_or_else(|| {
        use heck::ToTitleCase;
        webhook.name.to_title_case()
    });
    out.push_str(&format!("# {}\n\n", one_line(&title)));
    let method = code_span(webhook.method.as_str(), false);
    match &webhook.callback {
        Some(callback) => {
            let operation = api.operations.iter().find(|op| op.name == callback.operation);
            let name = operation.and_then(|op| op.summary.clone()).unwrap_or_else(|| callback.operation.clone());
            let link = match operation_page {
                Some(page) => format!("[{}]({page})", one_line(&name).replace(['[', ']'], "")),
                None => one_line(&name),
            };
            out.push_str(&format!("{method} to {}: a callback of {link}.\n\n", code_span(&callback.expression, false)));
        }
        None => {
            out.push_str(&format!("{method} to your endpoint: the {} webhook.\n\n", code_span(&webhook.key, false)))
        }
    }
    if let Some(description) = &webhook.description {
        out.push_str(&format!("{}\n\n", block(description)));
    }
    if webhook.deprecated {
        out.push_str("**Deprecated.**\n\n");
    }
    out.push_str("--- \n\n");

    if !webhook.headers.is_empty() {
        out.push_str("### Headers\n\n| Header | Validation | Description |\n| - | - | - |\n");
        for param in &webhook.headers {
            let mut rules = vec![if param.required { "always present" } else { "optional" }.to_owned()];
            rules.extend(type_rules(api, &param.ty));
            if let Some((_, value)) = webhook.event_headers.iter().find(|(name, _)| *name == param.name) {
                rules.push(format!("this webhook: {value}"));
            }
            rules.extend(constraint_rules(&param.constraints));
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                code_span(&param.name, true),
                rules_cell(&rules),
                param.description.as_deref().map(cell).unwrap_or_default()
            ));
        }
        out.push('\n');
    }

    out.push_str("### Payload\n\n");
    match &webhook.body {
        None => out.push_str("The request has no body.\n\n"),
        // The payload is what the reader receives: a response's table.
        Some(body) => out.push_str(&body_table(api, body, Direction::Response)),
    }

    out.push_str("### Verifying a delivery\n\n");
    match webhook.signature {
        None => out.push_str(
            "The document doesn't say how deliveries are signed: ask the API how to tell its requests from others' before trusting one.\n\n",
        ),
        Some(Signature::StandardWebhooks) => {
            out.push_str(
                "Deliveries are signed the [Standard Webhooks](https://www.standardwebhooks.com) way: \
                 `webhook-signature` holds `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` \
                 under your endpoint's secret (the base64 after `whsec_`). \
                 Each example accepts a delivery only when a signature matches, compared in constant time, \
                 and its timestamp is within five minutes of now; check the body as received, before parsing it.\n\n<code-group>\n",
            );
            for (position, snippet) in snippets.iter().enumerate() {
                out.push_str(&code_block(snippet.title, position == 0, snippet.fence, &snippet.source));
                out.push_str(if position + 1 < snippets.len() { "\n" } else { "" });
            }
            out.push_str("</code-group>\n\n");
        }
    }

    if let Some(body) = &webhook.body {
        out.push_str("### Example\n\n<code-group>\n");
        let example = body.example.clone().unwrap_or_else(|| api.example_of(&body.ty));
        let (fence, text) = example_text(body.encoding, &example, file)?;
        out.push_str(&code_block("Payload", true, fence, &text));
        out.push_str("</code-group>\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    Ok(out)
}

/// How a list's pages follow each other, for a reader who walks them by
/// hand: where the items are, how the next page is asked for, and when
/// the list ends.
fn pages_text(paging: &Paging) -> String {
    let place = |path: String| code_span(&path, false);
    let items = match paging.items.as_slice() {
        [] => "Each page is an array of items".to_owned(),
        items => format!("Each page's items are in {}", place(items.join("."))),
    };
    let limit = paging.limit.as_ref().map(|(param, _)| format!(", shorter than {}", place(param.clone())));
    let next = match &paging.next {
        NextPage::LinkHeader => {
            "Its `Link` header names the next page (`rel=\"next\"`): ask for that URL, with the same credentials"
                .to_owned()
        }
        NextPage::Url(path) => format!("{} names the next page: ask for that URL with `GET`", place(path_text(path))),
        NextPage::Cursor { param, from, alone } => format!(
            "{} is a cursor: send it as {} for the next page, with {}",
            place(path_text(from)),
            place(param.clone()),
            if *alone { "the limit and no other query parameter" } else { "the other parameters unchanged" }
        ),
        NextPage::Offset { param } => {
            format!("For the next page, send {} as the number of items read so far", place(param.clone()))
        }
        NextPage::PageNumber { param, first } => {
            format!("For the next page, send {} one higher (the first is {first})", place(param.clone()))
        }
    };
    format!(
        "**Pages.** The list comes a page at a time, as {} says. {items}. {next}. The list ends at a page that \
         is empty{}, or names no next page. The Rust client reads every page with `.pages()` and every item with \
         `.items()`.",
        paging.declared_by,
        limit.unwrap_or_default(),
    )
}

/// A JSONPath-like text of a path into a body: `meta.next_cursor`, `events[-1].id`.
fn path_text(path: &[PathStep]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            PathStep::Property(name) if text.is_empty() => text.push_str(name),
            PathStep::Property(name) => text.push_str(&format!(".{name}")),
            PathStep::Last => text.push_str("[-1]"),
        }
    }
    text
}

/// A response example as the code of a tab: JSON pretty-printed, anything
/// else as text. Text is fenced `txt`: VuePress 1.9 escapes a `text` fence's
/// `<` twice, showing `&lt;`.
/// How a success that streams is read, for a reader who reads it by hand.
fn stream_text(body: &ResponseBody, stream: &Stream) -> String {
    let item = if matches!(body.ty, TypeRef::String(_)) { "text" } else { "JSON" };
    let how = match stream.format {
        StreamFormat::Events => format!("as server-sent events (`{}`): each event's `data` is {item}", body.media_type),
        StreamFormat::JsonLines => format!("as JSON lines (`{}`): one JSON text a line", body.media_type),
        StreamFormat::JsonSequence => {
            format!("as a JSON text sequence (`{}`): each JSON text after a record separator (U+001E)", body.media_type)
        }
        StreamFormat::Bytes => {
            return format!(
                "**Stream.** The answer is a file (`{}`) of any size: save it as it arrives rather than \
                 holding it in memory. The Rust client returns a `ByteStream` from `.await`, whose \
                 `write_to` writes it to a file a chunk at a time (`to_vec` reads it whole).",
                body.media_type
            );
        }
    };
    let end = match &stream.sentinel {
        Some(sentinel) => {
            format!(" It ends at the event whose `data` is {}, which is not an item.", code_span(sentinel, false))
        }
        None => String::new(),
    };
    format!(
        "**Stream.** The answer comes a piece at a time, {how}; read each as it arrives.{end} The Rust client \
         returns a stream (`futures::Stream`) of them from `.await`, without holding the answer in memory."
    )
}

/// A piece of a stream as it comes on the wire: an event, or a line, made
/// from the item's example.
fn stream_example(api: &Api, body: &ResponseBody, file: &str) -> Result<(&'static str, String), Error> {
    let item = api.example_of(&body.ty);
    let text = match &item {
        Value::String(text) if matches!(body.ty, TypeRef::String(_)) => text.clone(),
        other => serde_json::to_string(other).map_err(|error| {
            Error::new(file, None, format!("internal error: an example is not JSON: {error}"))
                .help("this is a bug in kanuu-codegen; please report it with the document")
        })?,
    };
    let stream = body.stream.as_ref();
    Ok(match stream.map(|stream| stream.format) {
        Some(StreamFormat::Events) => {
            let data: String = text.lines().map(|line| format!("data: {line}\n")).collect();
            let end = stream.and_then(|s| s.sentinel.as_ref()).map(|s| format!("data: {s}\n\n")).unwrap_or_default();
            ("txt", format!("{data}\n{data}\n{end}").trim_end().to_owned())
        }
        _ => ("txt", format!("{text}\n{text}")),
    })
}

fn example_text(encoding: BodyEncoding, example: &Value, file: &str) -> Result<(&'static str, String), Error> {
    Ok(match (encoding, example) {
        (BodyEncoding::Json, example) => ("json", pretty_json(example, file)?),
        (_, Value::String(text)) => ("txt", text.clone()),
        (_, other) => ("txt", other.to_string()),
    })
}

fn request_sentence(api: &Api, op: &Operation) -> String {
    let scheme = op.security.first().and_then(|index| api.scheme(*index));
    // The grant a program can run by itself first.
    let grant = scheme.and_then(|s| {
        let grants = &s.oauth2;
        (grants.client_credentials.as_ref().map(|endpoint| ("the client credentials grant", endpoint)))
            .or_else(|| grants.refresh_token.as_ref().map(|endpoint| ("a refresh token", endpoint)))
    });
    let auth = match (scheme.map(|s| (&s.kind, &s.oauth2)), grant) {
        (None, _) => String::new(),
        (Some((AuthKind::Bearer, _)), Some((grant, endpoint))) => {
            let scopes = match endpoint.scopes.as_slice() {
                [] => String::new(),
                scopes => {
                    let list: Vec<String> = scopes.iter().map(|scope| code_span(scope, false)).collect();
                    format!(", scopes {}", list.join(" "))
                }
            };
            format!(
                " with an OAuth2 access token as a bearer token (replace `<YOUR_API_KEY>` with one from {} with {grant}{scopes}; the Rust client gets and renews its own)",
                code_span(&endpoint.url, false)
            )
        }
        (Some((AuthKind::Bearer, _)), None) => {
            " with your API key as a bearer token (replace `<YOUR_API_KEY>`)".to_owned()
        }
        (Some((AuthKind::Basic, _)), _) => {
            " with HTTP basic authentication (replace `<BASE64_OF_USER:PASSWORD>`)".to_owned()
        }
        (Some((AuthKind::ApiKey { location, name }, _)), _) => format!(
            " with your API key in the {} {} (replace `<YOUR_API_KEY>`)",
            code_span(name, false),
            match location {
                ParamLocation::Query => "query parameter",
                ParamLocation::Cookie => "cookie",
                _ => "header",
            }
        ),
    };
    let body = match op.body.as_ref().map(|b| &b.example_name) {
        None => String::new(),
        Some(None) => " and the example body".to_owned(),
        Some(Some(name)) => format!(" and the body of the document's first example, {}", code_span(name, false)),
    };
    if op.paging.is_some() {
        return format!("Each example reads every page of the list{auth}{body}, and prints each item on a line.");
    }
    match op.streamed_success().map(|(_, stream)| stream.format) {
        Some(StreamFormat::Bytes) => {
            return format!(
                "Each example sends the request{auth}{body}, and saves the answer to {} as it arrives.",
                code_span(&op.download_file_name(), false)
            );
        }
        Some(StreamFormat::Events) => {
            return format!(
                "Each example sends the request{auth}{body}, and prints each event's data on a line as it arrives."
            );
        }
        Some(_) => {
            return format!(
                "Each example sends the request{auth}{body}, and prints each item on a line as it arrives."
            );
        }
        None => {}
    }
    format!("Each example sends the request{auth}{body}, and prints the response.")
}

/// One `<code-block>` with a fence that the code can't close.
pub fn code_block(title: &str, active: bool, fence_info: &str, code: &str) -> String {
    let longest = longest_run(code, '`');
    let fence = "`".repeat((longest + 1).max(3));
    let active = if active { " active" } else { "" };
    let title = html_attribute(title);
    let mut code = code.to_owned();
    if !code.is_empty() && !code.ends_with('\n') {
        code.push('\n');
    }
    format!("<code-block title=\"{title}\"{active}>\n{fence}{fence_info}\n{code}{fence}\n</code-block>\n")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for ch in text.chars() {
        current = if ch == c { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// Indented JSON, with `</` written `<\/`.
fn pretty_json(value: &Value, file: &str) -> Result<String, Error> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| Error::new(file, None, format!("internal error: cannot write JSON ({error})")))?;
    Ok(text.replace("</", "<\\/"))
}

/// Table rows for the fields of a body type: nested objects as `a.b`,
/// objects in lists as `a[].b`.
/// Which way a body travels, for its table: a request's leaves out what
/// only responses have (read-only), a response's what only requests have
/// (write-only), and says of each attribute whether it can be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
}

/// A request body's description and attribute table (or, for a body that
/// isn't an object, a sentence saying what it is), read as `direction`.
fn body_table(api: &Api, body: &RequestBody, direction: Direction) -> String {
    let mut out = String::new();
    if let Some(description) = &body.description {
        out.push_str(&format!("{}\n\n", block(description)));
    }
    let mut rows = Vec::new();
    field_rows(api, &body.ty, direction, "", &mut Vec::new(), &mut rows);
    if rows.is_empty() {
        let presence = match (body.required, direction) {
            (false, _) => "optional",
            (true, Direction::Request) => "required",
            (true, Direction::Response) => "always present",
        };
        let mut rules = vec![presence.to_owned()];
        rules.extend(type_rules(api, &body.ty));
        out.push_str(&format!("The body is {} ({}).\n\n", rules_inline(&rules), code_span(&body.media_type, false)));
    } else {
        out.push_str("| Attribute | Validation | Description |\n| - | - | - |\n");
        for row in rows {
            out.push_str(&row);
        }
        out.push('\n');
    }
    out
}

/// The attribute table of each response with an object body (for a list
/// or a stream, of each item), in the Body table's format; a body of the
/// same type as an earlier response's says so instead.
fn response_tables(api: &Api, op: &Operation) -> String {
    let mut out = String::new();
    let mut shown: Vec<(&TypeRef, String)> = Vec::new();
    for response in &op.responses {
        let Some(body) = &response.body else { continue };
        let status = code_span(&response.status.title(), false);
        // A list's table is of its items; a stream's is already an item's.
        let (ty, what) = match (&body.ty, &body.stream) {
            (_, Some(stream)) if stream.format == StreamFormat::Events => (&body.ty, "each event's `data`"),
            (_, Some(_)) => (&body.ty, "each item"),
            (TypeRef::Array(item), None) => (item.non_null(), "each item of the list"),
            (ty, None) => (ty, ""),
        };
        let mut rows = Vec::new();
        field_rows(api, ty, Direction::Response, "", &mut Vec::new(), &mut rows);
        if rows.is_empty() {
            continue;
        }
        let of = if what.is_empty() { String::new() } else { format!(", {what}") };
        if let Some((_, earlier)) = shown.iter().find(|(earlier_ty, _)| *earlier_ty == ty) {
            out.push_str(&format!("\n**{status}{of}**: the attributes of {earlier}.\n"));
            continue;
        }
        out.push_str(&format!("\n**{status}{of}**\n\n| Attribute | Validation | Description |\n| - | - | - |\n"));
        for row in rows {
            out.push_str(&row);
        }
        shown.push((ty, status));
    }
    out
}

fn field_rows(
    api: &Api,
    ty: &TypeRef,
    direction: Direction,
    prefix: &str,
    seen: &mut Vec<TypeIndex>,
    rows: &mut Vec<String>,
) {
    let (index, list_suffix) = match ty {
        TypeRef::Named(index) => (*index, ""),
        TypeRef::Array(item) => match item.non_null() {
            TypeRef::Named(index) if !prefix.is_empty() => (*index, "[]"),
            _ => return,
        },
        _ => return,
    };
    let Some(def) = api.type_def(index) else { return };
    let object = match &def.kind {
        TypeKind::Object(object) => object,
        TypeKind::Alias(target) => return field_rows(api, target, direction, prefix, seen, rows),
        TypeKind::StringEnum(_) | TypeKind::Union(_) => return,
    };
    if seen.contains(&index) || seen.len() > 8 {
        return;
    }
    seen.push(index);
    let travels = |field: &&Field| match direction {
        Direction::Request => !field.read_only,
        Direction::Response => !field.write_only,
    };
    for field in object.fields.iter().filter(travels) {
        let name = if prefix.is_empty() { field.name.clone() } else { format!("{prefix}{list_suffix}.{}", field.name) };
        let presence = match (direction, field.required) {
            (Direction::Request, true) => "required",
            (Direction::Response, true) => "always present",
            (_, false) => "optional",
        };
        let mut rules = vec![presence.to_owned()];
        if field.nullable {
            rules.push("nullable".to_owned());
        }
        rules.extend(type_rules(api, &field.ty));
        rules.extend(constraint_rules(&field.constraints));
        if let Some(default) = &field.default {
            rules.push(format!("default: {default}"));
        }
        if field.write_only && direction == Direction::Request {
            rules.push("write-only".to_owned());
        }
        if field.deprecated {
            rules.push("deprecated".to_owned());
        }
        rows.push(format!(
            "| {} | {} | {} |\n",
            code_span(&name, true),
            rules_cell(&rules),
            field.description.as_deref().map(cell).unwrap_or_default()
        ));
        field_rows(api, &field.ty, direction, &name, seen, rows);
    }
    seen.pop();
}

/// `required`, then the type and its format, enum values…
fn type_rules(api: &Api, ty: &TypeRef) -> Vec<String> {
    match ty {
        TypeRef::String(format) => {
            let format = match format {
                StringFormat::Plain => None,
                StringFormat::DateTime => Some("date-time"),
                StringFormat::Date => Some("date"),
                StringFormat::Uri => Some("uri"),
                StringFormat::Uuid => Some("uuid"),
                StringFormat::Email => Some("email"),
                StringFormat::Byte => Some("byte"),
                StringFormat::Binary => Some("binary"),
            };
            let mut rules = vec!["string".to_owned()];
            rules.extend(format.map(|f| format!("format: {f}")));
            rules
        }
        TypeRef::Integer(format) => vec![
            "integer".to_owned(),
            format!("format: {}", if *format == IntegerFormat::Int32 { "int32" } else { "int64" }),
        ],
        TypeRef::Number(format) => vec![
            "number".to_owned(),
            format!("format: {}", if *format == NumberFormat::Float { "float" } else { "double" }),
        ],
        TypeRef::Named(index) => match api.type_def(*index).map(|def| &def.kind) {
            Some(TypeKind::StringEnum(values)) => vec!["string".to_owned(), format!("one of: {}", values.join(", "))],
            Some(TypeKind::Alias(target)) => type_rules(api, target),
            _ => vec![type_name(api, ty, 0)],
        },
        other => vec![type_name(api, other, 0)],
    }
}

fn type_name(api: &Api, ty: &TypeRef, depth: usize) -> String {
    if depth > 8 {
        return "any".to_owned();
    }
    match ty {
        TypeRef::String(_) => "string".to_owned(),
        TypeRef::Integer(_) => "integer".to_owned(),
        TypeRef::Number(_) => "number".to_owned(),
        TypeRef::Boolean => "boolean".to_owned(),
        TypeRef::Array(item) => format!("array of {}", type_name(api, item, depth + 1)),
        TypeRef::Map(item) => format!("object of {}", type_name(api, item, depth + 1)),
        TypeRef::Any => "any".to_owned(),
        TypeRef::Nullable(inner) => format!("{} or null", type_name(api, inner, depth + 1)),
        TypeRef::Named(index) => match api.type_def(*index).map(|def| &def.kind) {
            Some(TypeKind::Object(_)) => "object".to_owned(),
            Some(TypeKind::StringEnum(_)) => "string".to_owned(),
            Some(TypeKind::Alias(target)) => type_name(api, target, depth + 1),
            Some(TypeKind::Union(union)) => {
                let names: Vec<String> = union.variants.iter().map(|v| type_name(api, v, depth + 1)).collect();
                format!("one of: {}", names.join(" | "))
            }
            None => "any".to_owned(),
        },
    }
}

fn constraint_rules(constraints: &Constraints) -> Vec<String> {
    let mut rules = Vec::new();
    let mut add = |name: &str, value: Option<String>| rules.extend(value.map(|v| format!("{name}: {v}")));
    add("min_length", constraints.min_length.map(|v| v.to_string()));
    add("max_length", constraints.max_length.map(|v| v.to_string()));
    add("pattern", constraints.pattern.clone());
    add("minimum", constraints.minimum.map(|v| v.to_string()));
    add("maximum", constraints.maximum.map(|v| v.to_string()));
    add("min_items", constraints.min_items.map(|v| v.to_string()));
    add("max_items", constraints.max_items.map(|v| v.to_string()));
    rules
}

fn rules_cell(rules: &[String]) -> String {
    rules.iter().map(|rule| code_span(rule, true)).collect::<Vec<_>>().join("<br><br>")
}

fn rules_inline(rules: &[String]) -> String {
    rules.iter().map(|rule| code_span(rule, false)).collect::<Vec<_>>().join(", ")
}

/// Text as a code span: backticks around it (more than any run inside),
/// or, when it has `{{`, a line break or (in a table) `|`, a `<code v-pre>`
/// element with every ASCII punctuation character as an entity.
pub fn code_span(text: &str, table: bool) -> String {
    if text.contains("{{") || text.contains(['\n', '\r']) || table && text.contains('|') || text.trim().is_empty() {
        let mut out = String::from("<code v-pre>");
        for c in text.chars() {
            match c {
                '\n' | '\r' => out.push(' '),
                c if c.is_ascii_punctuation() => out.push_str(&format!("&#{};", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push_str("</code>");
        return out;
    }
    let ticks = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// Inline Markdown from the document, made safe: code spans kept (and
/// re-quoted by [`code_span`]), `<` as `&lt;`, `{{` in a `v-pre` span, and in
/// a table `|` escaped. Line breaks are kept outside tables.
pub fn inline(text: &str, table: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                match closing_run(&chars, i + run, run) {
                    Some(end) => {
                        let content: String = chars[i + run..end].iter().collect();
                        let content = content.replace(['\n', '\r'], " ");
                        let trimmed = if content.len() > 1
                            && content.starts_with(' ')
                            && content.ends_with(' ')
                            && !content.trim().is_empty()
                        {
                            content[1..content.len() - 1].to_owned()
                        } else {
                            content
                        };
                        out.push_str(&code_span(&trimmed, table));
                        i = end + run;
                    }
                    None => {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
            }
            '\\' if matches!(chars.get(i + 1), Some('`' | '\\' | '|')) => {
                out.push('\\');
                out.push(chars[i + 1]);
                i += 2;
            }
            '<' => {
                out.push_str("&lt;");
                i += 1;
            }
            '{' if chars.get(i + 1) == Some(&'{') => {
                out.push_str("<span v-pre>{{</span>");
                i += 2;
            }
            '|' if table => {
                out.push_str("\\|");
                i += 1;
            }
            '\n' | '\r' if table => {
                out.push(' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Where a backtick run of exactly `run` starts, from `from` on.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let length = chars[i..].iter().take_while(|&&c| c == '`').count();
            if length == run {
                return Some(i);
            }
            i += length;
        } else {
            i += 1;
        }
    }
    None
}

/// Paragraphs (separated by blank lines), each on one line.
fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs
}

/// A description in a table cell: paragraphs joined by `<br><br>`.
pub fn cell(text: &str) -> String {
    paragraphs(text).iter().map(|p| inline(p, true)).collect::<Vec<_>>().join("<br><br>")
}

/// A description on one line (a heading, a list item).
pub fn one_line(text: &str) -> String {
    paragraphs(text).iter().map(|p| inline(p, false)).collect::<Vec<_>>().join(" ")
}

/// A description as Markdown blocks: fenced code kept as it is (and closed
/// if the description leaves it open), everything else through [`inline`].
pub fn block(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<String>| {
        if !paragraph.is_empty() {
            out.push(inline(&paragraph.join("\n"), false));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some((c, length)) = fence {
            out.push(line.to_owned());
            let run = trimmed.chars().take_while(|&x| x == c).count();
            if run >= length && trimmed[run * c.len_utf8()..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        let opener = ['`', '~'].into_iter().find_map(|c| {
            let run = trimmed.chars().take_while(|&x| x == c).count();
            (run >= 3 && line.len() - trimmed.len() < 4 && !(c == '`' && trimmed[run..].contains('`')))
                .then_some((c, run))
        });
        if let Some(open) = opener {
            flush(&mut paragraph, &mut out);
            out.push(line.to_owned());
            fence = Some(open);
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut out);
            out.push(String::new());
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    if let Some((c, length)) = fence {
        out.push(c.to_string().repeat(length));
    }
    out.join("\n").trim().to_owned()
}

fn html_attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;").replace("{{", "{&#123;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_neutralises_html_vue_and_pipes() {
        assert_eq!(inline("a <b> {{ x }} | c", true), "a &lt;b> <span v-pre>{{</span> x }} \\| c");
        assert_eq!(inline("use `a|b` and `c`", true), "use <code v-pre>a&#124;b</code> and `c`");
        assert_eq!(inline("a `` ` `` b", false), "a `` ` `` b");
    }

    #[test]
    fn fences_are_longer_than_the_code_s_backtick_runs() {
        let block = code_block("Curl", true, "sh", "echo '\n```\n'");
        assert!(block.starts_with("<code-block title=\"Curl\" active>\n````sh\n"));
        assert!(block.ends_with("\n````\n</code-block>\n"));
    }

    #[test]
    fn an_unclosed_fence_in_a_description_is_closed() {
        assert_eq!(block("a <b>\n\n```\ncode <c>"), "a &lt;b>\n\n```\ncode <c>\n```");
    }
}
