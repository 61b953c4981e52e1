//! Curl, as a POSIX shell command.

use super::{Body, Language, NextUrl, Pager, Request, StreamRead, Verification};
use crate::error::Error;
use crate::ir::{Method, PathStep, StreamFormat};

pub const LANGUAGE: Language = Language { title: "Curl", fence: "sh", sample_lang: "shell", literal, render, verify };

/// A POSIX shell single-quoted word: nothing inside is special (`$`, `` ` ``,
/// `\`, newlines are literal), a `'` is written `'\''`, and `</` is written
/// `<''/` (two adjacent quoted words, which the shell joins). A control
/// character other than a newline or a tab can't be shown on a page (a CR
/// becomes a line break), so the shell makes it: `'"$(printf '\015')"'`.
/// A NUL can't be in a command-line argument, so it is dropped; `Request`
/// rejects text that has one before it gets here.
pub fn literal(text: &str) -> String {
    let mut inner = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0' => {}
            '\'' => inner.push_str("'\\''"),
            c if is_unshowable(c) => {
                let mut bytes = [0; 4];
                let octal: String = c.encode_utf8(&mut bytes).bytes().map(|b| format!("\\{b:03o}")).collect();
                inner.push_str(&format!("'\"$(printf '{octal}')\"'"));
            }
            c => inner.push(c),
        }
    }
    format!("'{}'", inner.replace("</", "<''/"))
}

fn render(request: &Request) -> Result<String, Error> {
    if let Some(pager) = &request.pager {
        return Ok(pages(request, pager));
    }
    if let Some(stream) = &request.stream {
        return Ok(read_stream(request, stream));
    }
    Ok(command(request, "curl", &literal(&request.url), ""))
}

/// The `curl` command (started as `curl`) sending the request to `url`
/// (a shell word), its lines after the first indented by `indent`.
fn command(request: &Request, curl: &str, url: &str, indent: &str) -> String {
    let mut lines = vec![match request.method {
        Method::Head => format!("{curl} --head"),
        method => format!("{curl} --request {}", method.as_str()),
    }];
    lines.push(format!("  --url {url}"));
    for (name, value) in request.all_headers() {
        lines.push(format!("  --header {}", literal(&format!("{name}: {value}"))));
    }
    let mut pipe = String::new();
    if let Some(text) = request.body_text() {
        if text.chars().any(is_unshowable) {
            // A body with CRs (multipart) is made by printf from escapes, so
            // the page shows every byte; curl reads it from stdin.
            pipe = format!("printf '%b' {} |\n", printf_b_literal(&text));
            lines.push("  --data-binary @-".to_owned());
        } else {
            // `--data` reads a file when the value starts with `@`; JSON never does.
            let option = if matches!(request.body, Some(Body::Json(_))) { "--data" } else { "--data-raw" };
            lines.push(format!("  {option} {}", literal(&text)));
        }
    }
    format!("{pipe}{}\n", lines.join(&format!(" \\\n{indent}")))
}

/// A shell loop that reads every page, from the request's URL on, and
/// prints each item on a line with jq.
fn pages(request: &Request, pager: &Pager) -> String {
    let items = jq_path(&pager.items_path());
    let mut out = format!("url={}\n", literal(&request.url));
    let mut curl = "curl --silent --show-error --fail".to_owned();
    match &pager.next {
        NextUrl::LinkHeader => {
            out.push_str("headers=$(mktemp)\ntrap 'rm -f \"$headers\"' EXIT\n");
            curl.push_str(" --dump-header \"$headers\"");
        }
        NextUrl::Offset { .. } => out.push_str("offset=0\n"),
        NextUrl::PageNumber { first, .. } => out.push_str(&format!("page_number={first}\n")),
        _ => {}
    }
    let send = |request: &Request, indent: &str| {
        let send = command(request, &curl, "\"$url\"", indent);
        send.trim_end().replace(" |\n", &format!(" |\n{indent}"))
    };
    if pager.later_pages_get {
        // The next page is a GET, with no body.
        out.push_str(&format!(
            "first_page=yes\n\nwhile [ -n \"$url\" ]; do\n  if [ -n \"$first_page\" ]; then\n    page=$({}) || exit 1\n  else\n    page=$({}) || exit 1\n  fi\n  first_page=\n",
            send(request, "    "),
            send(&request.later_page(), "    ")
        ));
    } else {
        out.push_str(&format!("\nwhile [ -n \"$url\" ]; do\n  page=$({}) || exit 1\n", send(request, "  ")));
    }
    let jq = |filter: &str| literal(filter);
    out.push_str(&format!(
        "  printf '%s' \"$page\" | jq --compact-output {}\n  count=$(printf '%s' \"$page\" | jq {})\n  [ \"$count\" -gt 0 ] || break\n",
        jq(&if items == "." { ".[]".to_owned() } else { format!("{items}[]") }),
        jq(&if items == "." { "length".to_owned() } else { format!("{items} | length") })
    ));
    match &pager.next {
        NextUrl::LinkHeader => out.push_str(
            "  url=$(sed -n 's/.*<\\([^>]*\\)>; *rel=\"next\".*/\\1/p' \"$headers\")\n",
        ),
        NextUrl::InBody(at) => out.push_str(&format!(
            "  url=$(printf '%s' \"$page\" | jq --raw-output {})\n",
            jq(&format!("{} // empty", jq_path(at)))
        )),
        NextUrl::Cursor { from, prefix } => out.push_str(&format!(
            "  cursor=$(printf '%s' \"$page\" | jq --raw-output {})\n  [ -n \"$cursor\" ] || break\n  url={}\"$cursor\"\n",
            jq(&format!("{} // empty | tostring | @uri", jq_path(from))),
            literal(prefix)
        )),
        NextUrl::Offset { prefix } => {
            out.push_str(&format!("  offset=$((offset + count))\n  url={}\"$offset\"\n", literal(prefix)));
        }
        NextUrl::PageNumber { prefix, .. } => {
            out.push_str(&format!("  page_number=$((page_number + 1))\n  url={}\"$page_number\"\n", literal(prefix)));
        }
    }
    out.push_str("done\n");
    out
}

/// A jq path: `.data`, `.meta.next_cursor`, `.events[-1].id`, `.["@odata.nextLink"]`; `.` for none.
fn jq_path(steps: &[PathStep]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            PathStep::Property(name) if is_identifier(name) => out.push_str(&format!(".{name}")),
            PathStep::Property(name) => out.push_str(&format!(".[{}]", serde_json::Value::from(name.as_str()))),
            PathStep::Last => out.push_str("[-1]"),
        }
    }
    if out.is_empty() { ".".to_owned() } else { out }
}

/// Whether jq reads `.name` as the property `name`.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A control character a page can't show: a CR becomes a line break, most
/// others nothing.
fn is_unshowable(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// A single-quoted word that `printf '%b'` turns into exactly `text`: `\`
/// written `\\`, a CR `\r`, other control characters as `\0ooo` octal bytes.
fn printf_b_literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '\r' => escaped.push_str("\\r"),
            c if is_unshowable(c) => {
                let mut bytes = [0; 4];
                escaped.extend(c.encode_utf8(&mut bytes).bytes().map(|b| format!("\\0{b:03o}")));
            }
            c => escaped.push(c),
        }
    }
    literal(&escaped)
}

/// Prints a streamed answer's items as they arrive (`--no-buffer`): each
/// event's `data` lines, with sed, until the sentinel; or each JSON text,
/// with jq. Bytes go to the stream's file (`--output`).
fn read_stream(request: &Request, stream: &StreamRead) -> String {
    let send = || {
        let send = command(request, "curl --silent --show-error --fail --no-buffer", &literal(&request.url), "");
        send.trim_end().to_owned()
    };
    match stream.format {
        StreamFormat::Events => {
            let stop = match &stream.sentinel {
                Some(sentinel) => {
                    format!("-e {} ", literal(&format!("/^data: \\{{0,1\\}}{}$/q", sed_literal(sentinel))))
                }
                None => String::new(),
            };
            format!("{} |\n  sed -u -n {stop}-e {}\n", send(), literal("s/^data: \\{0,1\\}//p"))
        }
        StreamFormat::JsonLines => format!("{} |\n  jq --compact-output --unbuffered .\n", send()),
        // jq reads the JSON texts once their record separators are gone.
        StreamFormat::JsonSequence => {
            format!("{} |\n  tr -d {} |\n  jq --compact-output --unbuffered .\n", send(), literal("\\036"))
        }
        StreamFormat::Bytes => {
            let curl = format!("curl --silent --show-error --fail --output {}", literal(&stream.file));
            command(request, &curl, &literal(&request.url), "")
        }
    }
}

/// Text matched literally in a sed basic regular expression.
fn sed_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '.' | '*' | '[' | ']' | '^' | '$' | '/') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The webhook pages' check of a delivery's Standard Webhooks signature,
/// the same on every page.
const VERIFY: &str = r##"# Whether the API sent a delivery: its Standard Webhooks signature and timestamp.
#   verify_webhook SECRET ID TIMESTAMP SIGNATURES BODY_FILE
# (the webhook-id, webhook-timestamp and webhook-signature headers, and the body
# as received). A shell can't compare in constant time: check deliveries by hand
# with this, and in a server with your language's constant-time comparison.
verify_webhook() {
  case $3 in '' | *[!0-9]*) return 1 ;; esac
  age=$(($(date +%s) - $3))
  if [ "${age#-}" -gt 300 ]; then return 1; fi # a replay, or from the future
  key=$(printf '%s' "${1#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
  expected=$({ printf '%s.%s.' "$2" "$3"; cat "$5"; } |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)
  for signature in $4; do
    if [ "$signature" = "v1,$expected" ]; then return 0; fi
  done
  return 1
}
"##;

fn verify(_: &Verification) -> String {
    VERIFY.to_owned()
}
