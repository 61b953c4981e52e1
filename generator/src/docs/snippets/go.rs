//! Go with net/http, as a whole program.

use super::{Language, NextUrl, Pager, Request, StreamRead, Verification, c_like};
use crate::error::Error;
use crate::ir::{PathStep, StreamFormat};

pub const LANGUAGE: Language = Language { title: "Go", fence: "go", sample_lang: "go", literal, render, verify };

/// A Go interpreted string literal (never a raw one, which can't hold a
/// backtick): `\\ \" \n \r \t`, `\xHH` for other controls, U+FEFF as
/// `\ufeff` (Go rejects a BOM inside a file), other characters as they are.
/// `</` is written `<\x2f`.
pub fn literal(text: &str) -> String {
    let inner =
        c_like(text, |c| format!("\\x{:02x}", u32::from(c)), |c| (c == '\u{feff}').then(|| "\\ufeff".to_owned()));
    format!("\"{}\"", inner.replace("</", "<\\x2f"))
}

fn render(request: &Request) -> Result<String, Error> {
    if let Some(pager) = &request.pager {
        return Ok(pages(request, pager));
    }
    if let Some(stream) = &request.stream {
        return Ok(read_stream(request, stream));
    }
    let imports = if request.body_text().is_some() {
        "\t\"fmt\"\n\t\"io\"\n\t\"net/http\"\n\t\"strings\"\n"
    } else {
        "\t\"fmt\"\n\t\"io\"\n\t\"net/http\"\n"
    };
    let mut main = new_request(request);
    if !request.all_headers().is_empty() {
        main.push('\n');
    }
    main.push_str(
        "\tres, err := http.DefaultClient.Do(req)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tdefer res.Body.Close()\n\n\tbody, err := io.ReadAll(res.Body)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\n\tfmt.Println(string(body))\n",
    );
    Ok(format!("package main\n\nimport (\n{imports})\n\nfunc main() {{\n{main}}}\n"))
}

/// A program that reads every page, from the request's URL on.
fn pages(request: &Request, pager: &Pager) -> String {
    let body = request.body_text();
    let mut imports = vec!["encoding/json", "fmt", "net/http"];
    let mut main = format!("\tpageURL := {}\n", literal(&request.url));
    if let Some(text) = &body {
        imports.push("strings");
        main.push_str(&format!("\tpayload := {}\n", literal(text)));
    }
    match &pager.next {
        NextUrl::LinkHeader => {
            imports.push("regexp");
            main.push_str("\tnextLink := regexp.MustCompile(`<([^>]*)>;\\s*rel=\"next\"`)\n");
        }
        NextUrl::Offset { .. } => main.push_str("\toffset := 0\n"),
        NextUrl::PageNumber { first, .. } => main.push_str(&format!("\tpageNumber := {first}\n")),
        _ => {}
    }
    let reader = if body.is_some() { "strings.NewReader(payload)" } else { "nil" };
    let method = if pager.later_pages_get {
        main.push_str(&format!("\tmethod := {}\n", literal(request.method.as_str())));
        "method".to_owned()
    } else {
        literal(request.method.as_str())
    };
    main.push_str(&format!(
        "\n\tfor pageURL != \"\" {{\n\t\treq, err := http.NewRequest({method}, pageURL, {reader})\n\t\tif err != nil {{\n\t\t\tpanic(err)\n\t\t}}\n"
    ));
    for (name, value) in request.all_headers() {
        main.push_str(&format!("\t\treq.Header.Add({}, {})\n", literal(&name), literal(&value)));
    }
    // A body that is the array is decoded as the items.
    let (decoded, decoded_type) = if pager.items.is_empty() { ("items", "[]any") } else { ("page", "map[string]any") };
    main.push_str(&format!(
        "\n\t\tres, err := http.DefaultClient.Do(req)\n\t\tif err != nil {{\n\t\t\tpanic(err)\n\t\t}}\n\t\tif res.StatusCode >= 400 {{\n\t\t\tpanic(res.Status)\n\t\t}}\n\t\tvar {decoded} {decoded_type}\n\t\terr = json.NewDecoder(res.Body).Decode(&{decoded})\n\t\tres.Body.Close()\n\t\tif err != nil {{\n\t\t\tpanic(err)\n\t\t}}\n\n"
    ));
    if !pager.items.is_empty() {
        main.push_str(&format!("\t\titems, _ := {}.([]any)\n", path("page", &pager.items_path())));
    }
    main.push_str("\t\tfor _, item := range items {\n\t\t\tline, _ := json.Marshal(item)\n\t\t\tfmt.Println(string(line))\n\t\t}\n\t\tif len(items) == 0 {\n\t\t\tbreak\n\t\t}\n\n");
    if pager.later_pages_get {
        main.push_str("\t\t// The next page is a GET, with no body.\n");
        main.push_str(if body.is_some() { "\t\tmethod, payload = \"GET\", \"\"\n" } else { "\t\tmethod = \"GET\"\n" });
    }
    match &pager.next {
        NextUrl::LinkHeader => main.push_str(
            "\t\tpageURL = \"\"\n\t\tif match := nextLink.FindStringSubmatch(res.Header.Get(\"Link\")); match != nil {\n\t\t\tnext, err := res.Request.URL.Parse(match[1])\n\t\t\tif err != nil {\n\t\t\t\tpanic(err)\n\t\t\t}\n\t\t\tpageURL = next.String()\n\t\t}\n",
        ),
        NextUrl::InBody(at) => main.push_str(&format!(
            "\t\tpageURL = \"\"\n\t\tif link, _ := {}.(string); link != \"\" {{\n\t\t\tnext, err := res.Request.URL.Parse(link)\n\t\t\tif err != nil {{\n\t\t\t\tpanic(err)\n\t\t\t}}\n\t\t\tpageURL = next.String()\n\t\t}}\n",
            place(pager, at)
        )),
        NextUrl::Cursor { from, prefix } => {
            imports.push("net/url");
            main.push_str(&format!(
                "\t\tpageURL = \"\"\n\t\tif cursor := {}; cursor != nil && cursor != \"\" {{\n\t\t\tpageURL = {} + url.QueryEscape(fmt.Sprint(cursor))\n\t\t}}\n",
                place(pager, from),
                literal(prefix)
            ));
        }
        NextUrl::Offset { prefix } => {
            imports.push("strconv");
            main.push_str(&format!("\t\toffset += len(items)\n\t\tpageURL = {} + strconv.Itoa(offset)\n", literal(prefix)));
        }
        NextUrl::PageNumber { prefix, .. } => {
            imports.push("strconv");
            main.push_str(&format!("\t\tpageNumber++\n\t\tpageURL = {} + strconv.Itoa(pageNumber)\n", literal(prefix)));
        }
    }
    main.push_str("\t}\n");
    imports.sort_unstable();
    let imports: String = imports.iter().map(|import| format!("\t\"{import}\"\n")).collect();
    format!("package main\n\nimport (\n{imports})\n\nfunc main() {{\n{main}}}\n")
}

/// The value at `at` in the page, an `any`.
fn place(pager: &Pager, at: &[PathStep]) -> String {
    pager.place(at, "page", "items", path)
}

/// `start` followed by each step: `["name"]` on an object (asserted to be
/// one after the first step), `[len(…)-1]` on an array.
fn path(start: &str, steps: &[PathStep]) -> String {
    let mut out = start.to_owned();
    for (index, step) in steps.iter().enumerate() {
        match step {
            PathStep::Property(name) if index == 0 => out.push_str(&format!("[{}]", literal(name))),
            PathStep::Property(name) => out.push_str(&format!(".(map[string]any)[{}]", literal(name))),
            PathStep::Last if index == 0 => out = format!("{out}[len({out})-1]"),
            PathStep::Last => out = format!("{out}.([]any)[len({out}.([]any))-1]"),
        }
    }
    out
}

/// The statements of `main` that make the request `req`: its URL, its
/// body (as `payload`, with `strings`) and its headers.
fn new_request(request: &Request) -> String {
    let mut main = format!("\turl := {}\n\n", literal(&request.url));
    let payload = match request.body_text() {
        Some(text) => {
            main.push_str(&format!("\tpayload := strings.NewReader({})\n\n", literal(&text)));
            "payload"
        }
        None => "nil",
    };
    main.push_str(&format!(
        "\treq, err := http.NewRequest({}, url, {payload})\n\tif err != nil {{\n\t\tpanic(err)\n\t}}\n\n",
        literal(request.method.as_str())
    ));
    for (name, value) in request.all_headers() {
        main.push_str(&format!("\treq.Header.Add({}, {})\n", literal(&name), literal(&value)));
    }
    main
}

/// A program that prints a streamed answer's items as they arrive, a line
/// at a time: each event's `data` (its `data:` lines joined), or each JSON
/// text; or that copies its bytes to the stream's file.
fn read_stream(request: &Request, stream: &StreamRead) -> String {
    let mut imports = vec!["net/http"];
    if request.body_text().is_some() {
        imports.push("strings");
    }
    let mut main = new_request(request);
    main.push_str("\n\tres, err := http.DefaultClient.Do(req)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tdefer res.Body.Close()\n\tif res.StatusCode >= 400 {\n\t\tpanic(res.Status)\n\t}\n\n");
    let scan = "\tscanner := bufio.NewScanner(res.Body)\n";
    let scanned = "\tif err := scanner.Err(); err != nil {\n\t\tpanic(err)\n\t}\n";
    match stream.format {
        StreamFormat::Bytes => {
            imports.extend(["io", "os"]);
            main.push_str(&format!(
                "\tfile, err := os.Create({})\n\tif err != nil {{\n\t\tpanic(err)\n\t}}\n\tdefer file.Close()\n\tif _, err := io.Copy(file, res.Body); err != nil {{\n\t\tpanic(err)\n\t}}\n",
                literal(&stream.file)
            ));
        }
        StreamFormat::Events => {
            imports.extend(["bufio", "fmt", "strings"]);
            main.push_str(scan);
            let end = match &stream.sentinel {
                Some(sentinel) => format!("\t\t\tif event == {} {{\n\t\t\t\treturn\n\t\t\t}}\n", literal(sentinel)),
                None => String::new(),
            };
            main.push_str(&format!(
                "\tvar data []string\n\tfor scanner.Scan() {{\n\t\tline := scanner.Text()\n\t\tif strings.HasPrefix(line, \"data:\") {{\n\t\t\tdata = append(data, strings.TrimPrefix(line[len(\"data:\"):], \" \"))\n\t\t}} else if line == \"\" && len(data) > 0 {{\n\t\t\tevent := strings.Join(data, \"\\n\")\n\t\t\tdata = nil\n{end}\t\t\tfmt.Println(event)\n\t\t}}\n\t}}\n"
            ));
            main.push_str(scanned);
        }
        StreamFormat::JsonLines | StreamFormat::JsonSequence => {
            imports.extend(["bufio", "encoding/json", "fmt", "strings"]);
            main.push_str(scan);
            // A JSON text sequence's items each start with a record separator and end a line.
            let line = if stream.format == StreamFormat::JsonSequence {
                "strings.TrimSpace(strings.TrimPrefix(scanner.Text(), \"\\x1e\"))"
            } else {
                "strings.TrimSpace(scanner.Text())"
            };
            main.push_str(&format!(
                "\tfor scanner.Scan() {{\n\t\tline := {line}\n\t\tif line == \"\" {{\n\t\t\tcontinue\n\t\t}}\n\t\tvar item any\n\t\tif err := json.Unmarshal([]byte(line), &item); err != nil {{\n\t\t\tpanic(err)\n\t\t}}\n\t\ttext, _ := json.Marshal(item)\n\t\tfmt.Println(string(text))\n\t}}\n"
            ));
            main.push_str(scanned);
        }
    }
    imports.sort_unstable();
    imports.dedup();
    let imports: String = imports.iter().map(|import| format!("\t\"{import}\"\n")).collect();
    format!("package main\n\nimport (\n{imports})\n\nfunc main() {{\n{main}}}\n")
}

/// The webhook pages' check of a delivery's Standard Webhooks signature,
/// the same on every page.
const VERIFY: &str = r##"package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// verifyWebhook tells whether the API sent a delivery: its Standard Webhooks
// signature and timestamp. The body is as received.
func verifyWebhook(secret string, header http.Header, body []byte) bool {
	id, timestamp, signatures := header.Get("webhook-id"), header.Get("webhook-timestamp"), header.Get("webhook-signature")
	seconds, err := strconv.ParseUint(timestamp, 10, 63)
	if id == "" || signatures == "" || err != nil {
		return false
	}
	if age := time.Now().Unix() - int64(seconds); age > 300 || age < -300 {
		return false // a replay, or from the future
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	expected := mac.Sum(nil)
	for _, signature := range strings.Fields(signatures) {
		if !strings.HasPrefix(signature, "v1,") {
			continue
		}
		given, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(signature, "v1,"))
		if err == nil && hmac.Equal(given, expected) {
			return true
		}
	}
	return false
}
"##;

fn verify(_: &Verification) -> String {
    VERIFY.to_owned()
}
