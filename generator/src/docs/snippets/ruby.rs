//! Ruby with net/http. TLS is used for https URLs, with certificate checks on.

use super::{Language, NextUrl, Pager, Request, StreamRead, Verification};
use crate::error::Error;
use crate::ir::{Method, PathStep, StreamFormat};

pub const LANGUAGE: Language = Language { title: "Ruby", fence: "ruby", sample_lang: "ruby", literal, render, verify };

/// A Ruby single-quoted string (escapes only `\\` and `\'`; `#{}` is not
/// interpolated), or, when the text has a control character other than a
/// newline or a tab (Ruby's lexer would turn CR LF into LF inside any
/// literal, and a page can't show them), a double-quoted one with
/// `\\ \" \# \n \r \t` and `\u{…}` for other controls. `</` is written as
/// two adjacent literals, `'<' '/'`, which Ruby joins.
pub fn literal(text: &str) -> String {
    // A control character other than a newline or a tab can't be shown on a
    // page (a CR becomes a line break): a double-quoted string escapes it.
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        let mut inner = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\\' => inner.push_str("\\\\"),
                '"' => inner.push_str("\\\""),
                '#' => inner.push_str("\\#"),
                '\n' => inner.push_str("\\n"),
                '\r' => inner.push_str("\\r"),
                '\t' => inner.push_str("\\t"),
                c if c.is_control() => inner.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
                c => inner.push(c),
            }
        }
        format!("\"{}\"", inner.replace("</", "<\" \"/"))
    } else {
        let inner = text.replace('\\', "\\\\").replace('\'', "\\'").replace("</", "<' '/");
        format!("'{inner}'")
    }
}

fn render(request: &Request) -> Result<String, Error> {
    let new_request = new_request(request);
    if let Some(pager) = &request.pager {
        return Ok(pages(request, pager, &new_request));
    }
    let mut out = String::from("require 'uri'\nrequire 'net/http'\n\n");
    out.push_str(&format!("url = URI({})\n\n", literal(&request.url)));
    out.push_str("http = Net::HTTP.new(url.host, url.port)\nhttp.use_ssl = (url.scheme == \"https\")\n\n");
    out.push_str(&format!("request = {new_request}\n"));
    for (name, value) in request.all_headers() {
        out.push_str(&format!("request[{}] = {}\n", literal(&name), literal(&value)));
    }
    if let Some(text) = request.body_text() {
        out.push_str(&format!("request.body = {}\n", literal(&text)));
    }
    match &request.stream {
        Some(stream) => {
            if matches!(stream.format, StreamFormat::JsonLines | StreamFormat::JsonSequence) {
                out = out.replacen("require 'uri'\n", "require 'json'\nrequire 'uri'\n", 1);
            }
            out.push_str(&read_stream(stream));
        }
        None => out.push_str("\nresponse = http.request(request)\nputs response.read_body\n"),
    }
    Ok(out)
}

/// Prints a streamed answer's items as they arrive, a line at a time:
/// each event's `data` (its `data:` lines joined), or each JSON text; or
/// writes its bytes to the stream's file a chunk at a time.
fn read_stream(stream: &StreamRead) -> String {
    let each_line = match stream.format {
        StreamFormat::Bytes => {
            return format!(
                "\nhttp.request(request) do |response|\n  response.value # raises unless 2xx\n  File.open({}, 'wb') do |file|\n    response.read_body {{ |chunk| file.write(chunk) }}\n  end\nend\n",
                literal(&stream.file)
            );
        }
        StreamFormat::Events => {
            let end = match &stream.sentinel {
                Some(sentinel) => format!("        throw :done if event == {}\n", literal(sentinel)),
                None => String::new(),
            };
            format!(
                "      line = line.chomp\n      if line.start_with?('data:')\n        data << line.delete_prefix('data:').delete_prefix(' ')\n      elsif line.empty? && !data.empty?\n        event = data.join(\"\\n\")\n        data = []\n{end}        puts event\n      end\n"
            )
        }
        // A JSON text sequence's items each start with a record separator and end a line.
        StreamFormat::JsonLines | StreamFormat::JsonSequence => {
            let strip = if stream.format == StreamFormat::JsonSequence { ".delete(\"\\x1e\")" } else { "" };
            format!("      line = line{strip}.strip\n      puts JSON.parse(line).to_json unless line.empty?\n")
        }
    };
    let data = if stream.format == StreamFormat::Events { "  data = []\n" } else { "" };
    let read = format!(
        "http.request(request) do |response|\n  response.value # raises unless 2xx\n  buffer = +''\n{data}  response.read_body do |chunk|\n    buffer << chunk\n    while (line = buffer.slice!(/\\A[^\\n]*\\n/))\n{each_line}    end\n  end\nend\n"
    );
    if stream.format == StreamFormat::Events && stream.sentinel.is_some() {
        // The sentinel ends the reading: `throw` leaves the blocks.
        let indented: String = read.lines().map(|line| format!("  {line}\n")).collect();
        format!("\ncatch(:done) do\n{indented}end\n")
    } else {
        format!("\n{read}")
    }
}

/// A program that reads every page, from the request's URL on, with
/// requests made by `new_request`.
fn pages(request: &Request, pager: &Pager, new_request: &str) -> String {
    let mut out = String::from("require 'json'\nrequire 'net/http'\nrequire 'uri'\n\n");
    out.push_str(&format!("url = URI({})\n", literal(&request.url)));
    match &pager.next {
        NextUrl::Offset { .. } => out.push_str("offset = 0\n"),
        NextUrl::PageNumber { first, .. } => out.push_str(&format!("page_number = {first}\n")),
        _ => {}
    }
    let body = request.body_text();
    let new_request = if pager.later_pages_get {
        out.push_str(&format!("method = {}\n", literal(request.method.as_str())));
        if let Some(text) = &body {
            out.push_str(&format!("body = {}\n", literal(text)));
        }
        let has_body = if body.is_some() { "!body.nil?" } else { "false" };
        format!("Net::HTTPGenericRequest.new(method, {has_body}, true, url)")
    } else {
        new_request.to_owned()
    };
    out.push_str(&format!("\nwhile url\n  request = {new_request}\n"));
    for (name, value) in request.all_headers() {
        out.push_str(&format!("  request[{}] = {}\n", literal(&name), literal(&value)));
    }
    match &body {
        Some(_) if pager.later_pages_get => out.push_str("  request.body = body\n"),
        Some(text) => out.push_str(&format!("  request.body = {}\n", literal(text))),
        None => {}
    }
    out.push_str(
        "\n  response = Net::HTTP.start(url.host, url.port, use_ssl: url.scheme == 'https') do |http|\n    http.request(request)\n  end\n  response.value # raises unless 2xx\n",
    );
    if pager.items.is_empty() {
        out.push_str("  items = JSON.parse(response.body)\n");
    } else {
        out.push_str(&format!("  page = JSON.parse(response.body)\n  items = {}\n", path("page", &pager.items_path())));
    }
    out.push_str("  items.each { |item| puts item.to_json }\n  break if items.empty?\n\n");
    if pager.later_pages_get {
        out.push_str("  # The next page is a GET, with no body.\n");
        out.push_str(if body.is_some() { "  method, body = 'GET', nil\n" } else { "  method = 'GET'\n" });
    }
    match &pager.next {
        NextUrl::LinkHeader => out.push_str(
            "  next_url = response['link'].to_s[/<([^>]*)>;\\s*rel=\"next\"/, 1]\n  url = next_url && url + next_url\n",
        ),
        NextUrl::InBody(at) => out.push_str(&format!(
            "  next_url = {}\n  url = next_url.to_s.empty? ? nil : url + next_url\n",
            place(pager, at)
        )),
        NextUrl::Cursor { from, prefix } => out.push_str(&format!(
            "  cursor = {}\n  url = cursor.to_s.empty? ? nil : URI({} + URI.encode_www_form_component(cursor.to_s))\n",
            place(pager, from),
            literal(prefix)
        )),
        NextUrl::Offset { prefix } => {
            out.push_str(&format!("  offset += items.length\n  url = URI({} + offset.to_s)\n", literal(prefix)));
        }
        NextUrl::PageNumber { prefix, .. } => {
            out.push_str(&format!("  page_number += 1\n  url = URI({} + page_number.to_s)\n", literal(prefix)));
        }
    }
    out.push_str("end\n");
    out
}

/// The value at `at` in the page.
fn place(pager: &Pager, at: &[PathStep]) -> String {
    pager.place(at, "page", "items", path)
}

/// `start` followed by each step: `.last` for an array's last item, and a
/// run of properties as `['name']`, or `.dig('a', 'b')` (nil when one is
/// absent).
fn path(start: &str, steps: &[PathStep]) -> String {
    let mut out = start.to_owned();
    let mut run: Vec<String> = Vec::new();
    let flush = |out: &mut String, run: &mut Vec<String>| {
        match run.as_slice() {
            [] => {}
            [one] => out.push_str(&format!("[{one}]")),
            many => out.push_str(&format!(".dig({})", many.join(", "))),
        }
        run.clear();
    };
    for step in steps {
        match step {
            PathStep::Property(name) => run.push(literal(name)),
            PathStep::Last => {
                flush(&mut out, &mut run);
                out.push_str(".last");
            }
        }
    }
    flush(&mut out, &mut run);
    out
}

/// A new request for `url`: `Net::HTTP::Post.new(url)`, or for a method
/// net/http has no class for, a `Net::HTTPGenericRequest`.
fn new_request(request: &Request) -> String {
    let class = match request.method {
        Method::Get => "Get",
        Method::Put => "Put",
        Method::Post => "Post",
        Method::Delete => "Delete",
        Method::Options => "Options",
        Method::Head => "Head",
        Method::Patch => "Patch",
        Method::Trace => "Trace",
        Method::Query | Method::Other(_) => {
            let has_body = request.body.is_some();
            return format!("Net::HTTPGenericRequest.new({}, {has_body}, true, url)", literal(request.method.as_str()));
        }
    };
    format!("Net::HTTP::{class}.new(url)")
}

/// The webhook pages' check of a delivery's Standard Webhooks signature,
/// the same on every page.
const VERIFY: &str = r##"require "base64"
require "openssl"

# Whether the API sent a delivery: its Standard Webhooks signature and timestamp.
# headers by lower-case name; body as received (request.raw_post in Rails).
def verify_webhook(secret, headers, body)
  id, timestamp, signatures = headers.values_at("webhook-id", "webhook-timestamp", "webhook-signature")
  return false unless id && signatures && timestamp.to_s.match?(/\A\d+\z/)
  return false if (Time.now.to_i - timestamp.to_i).abs > 300 # a replay, or from the future

  key = Base64.strict_decode64(secret.delete_prefix("whsec_"))
  expected = Base64.strict_encode64(OpenSSL::HMAC.digest("SHA256", key, "#{id}.#{timestamp}.#{body}"))
  signatures.split.any? do |signature|
    version, value = signature.split(",", 2)
    version == "v1" && !value.nil? && OpenSSL.secure_compare(value, expected)
  end
rescue ArgumentError # a secret that is not base64
  false
end
"##;

fn verify(_: &Verification) -> String {
    VERIFY.to_owned()
}
