//! Java with Unirest (1.x), as on the seed page, as a whole program.

use super::{Language, NextUrl, Pager, Request, StreamRead, Verification, c_like, lower_method};
use crate::error::Error;
use crate::ir::{Method, PathStep, StreamFormat};

pub const LANGUAGE: Language = Language { title: "Java", fence: "java", sample_lang: "java", literal, render, verify };

/// A Java string literal in pure ASCII, so it means the same whatever
/// encoding javac assumes: `\\ \" \n \r \t`, other controls as octal `\NNN`,
/// every non-ASCII character as `\uXXXX` UTF-16 units (never for `"`, `\`
/// or line breaks, which javac would decode before lexing). `</` is written
/// `<\u002f`.
pub fn literal(text: &str) -> String {
    let inner = c_like(
        text,
        |c| format!("\\{:03o}", u32::from(c)),
        |c| {
            (!c.is_ascii()).then(|| {
                let mut units = [0u16; 2];
                c.encode_utf16(&mut units).iter().map(|unit| format!("\\u{unit:04x}")).collect()
            })
        },
    );
    format!("\"{}\"", inner.replace("</", "<\\u002f"))
}

fn render(request: &Request) -> Result<String, Error> {
    if let Some(stream) = &request.stream {
        return Ok(read_stream(request, stream));
    }
    let (factory, takes_body) = match request.method {
        Method::Get | Method::Head => (lower_method(request.method), false),
        Method::Post | Method::Put | Method::Patch | Method::Delete | Method::Options => {
            (lower_method(request.method), true)
        }
        Method::Trace | Method::Query | Method::Other(_) => {
            return Ok(format!("// Unirest has no {} method; see the Curl example.\n", request.method.as_str()));
        }
    };
    if let Some(pager) = &request.pager {
        return Ok(pages(request, pager, &factory, takes_body));
    }
    let chain = call(request, &literal(&request.url), &factory, takes_body, "        ");
    Ok(format!(
        "import com.mashape.unirest.http.HttpResponse;\nimport com.mashape.unirest.http.Unirest;\n\npublic class Main {{\n    public static void main(String[] args) throws Exception {{\n{chain}\n        System.out.println(response.getBody());\n        Unirest.shutdown();\n    }}\n}}\n"
    ))
}

/// `HttpResponse<String> response = Unirest.…;`, sending the request to
/// `url` (Java code), each line indented by `indent`.
fn call(request: &Request, url: &str, factory: &str, takes_body: bool, indent: &str) -> String {
    let mut chain = format!("{indent}HttpResponse<String> response = Unirest.{factory}({url})\n");
    for (name, value) in request.all_headers() {
        chain.push_str(&format!("{indent}    .header({}, {})\n", literal(&name), literal(&value)));
    }
    if let (true, Some(text)) = (takes_body, request.body_text()) {
        chain.push_str(&format!("{indent}    .body({})\n", literal(&text)));
    }
    chain.push_str(&format!("{indent}    .asString();\n"));
    chain
}

/// A program that reads every page, from the request's URL on.
fn pages(request: &Request, pager: &Pager, factory: &str, takes_body: bool) -> String {
    let mut imports =
        vec!["com.mashape.unirest.http.HttpResponse", "com.mashape.unirest.http.Unirest", "org.json.JSONArray"];
    if !pager.items.is_empty() {
        imports.push("org.json.JSONObject");
    }
    let mut main = format!("        String url = {};\n", literal(&request.url));
    match &pager.next {
        NextUrl::LinkHeader => {
            imports.extend(["java.net.URI", "java.util.regex.Matcher", "java.util.regex.Pattern"]);
            main.push_str("        Pattern nextLink = Pattern.compile(\"<([^>]*)>;\\\\s*rel=\\\"next\\\"\");\n");
        }
        NextUrl::InBody(_) => imports.push("java.net.URI"),
        NextUrl::Cursor { .. } => imports.extend(["java.net.URLEncoder", "java.nio.charset.StandardCharsets"]),
        NextUrl::Offset { .. } => main.push_str("        int offset = 0;\n"),
        NextUrl::PageNumber { first, .. } => main.push_str(&format!("        long pageNumber = {first};\n")),
    }
    if pager.later_pages_get {
        // The next page is a GET, with no body.
        main.push_str("        boolean firstPage = true;\n        while (url != null) {\n            HttpResponse<String> response;\n            if (firstPage) {\n");
        main.push_str(&call(request, "url", factory, takes_body, "                ").replacen(
            "HttpResponse<String> response",
            "response",
            1,
        ));
        main.push_str("            } else {\n");
        main.push_str(&call(&request.later_page(), "url", "get", false, "                ").replacen(
            "HttpResponse<String> response",
            "response",
            1,
        ));
        main.push_str("            }\n            firstPage = false;\n");
    } else {
        main.push_str("        while (url != null) {\n");
        main.push_str(&call(request, "url", factory, takes_body, "            "));
    }
    main.push_str("            if (response.getStatus() >= 400) {\n                throw new IllegalStateException(response.getStatus() + \": \" + response.getBody());\n            }\n");
    if pager.items.is_empty() {
        main.push_str("            JSONArray items = new JSONArray(response.getBody());\n");
    } else {
        main.push_str(&format!(
            "            JSONObject page = new JSONObject(response.getBody());\n            JSONArray items = {};\n",
            path("page", &pager.items_path(), true)
        ));
    }
    main.push_str("            for (int i = 0; i < items.length(); i++) {\n                System.out.println(items.get(i));\n            }\n            if (items.length() == 0) {\n                break;\n            }\n\n");
    let absent = |name: &str| format!("{name} == null || JSONObject.NULL.equals({name}) || \"\".equals({name})");
    match &pager.next {
        NextUrl::LinkHeader => main.push_str(
            "            String link = response.getHeaders().getFirst(\"Link\");\n            Matcher next = nextLink.matcher(link == null ? \"\" : link);\n            url = next.find() ? URI.create(url).resolve(next.group(1)).toString() : null;\n",
        ),
        NextUrl::InBody(at) => main.push_str(&format!(
            "            Object next = {};\n            url = {} ? null\n                : URI.create(url).resolve(next.toString()).toString();\n",
            place(pager, at),
            absent("next")
        )),
        NextUrl::Cursor { from, prefix } => main.push_str(&format!(
            "            Object cursor = {};\n            url = {} ? null\n                : {} + URLEncoder.encode(cursor.toString(), StandardCharsets.UTF_8);\n",
            place(pager, from),
            absent("cursor"),
            literal(prefix)
        )),
        NextUrl::Offset { prefix } => {
            main.push_str(&format!("            offset += items.length();\n            url = {} + offset;\n", literal(prefix)));
        }
        NextUrl::PageNumber { prefix, .. } => {
            main.push_str(&format!("            pageNumber += 1;\n            url = {} + pageNumber;\n", literal(prefix)));
        }
    }
    if matches!(pager.next, NextUrl::InBody(_) | NextUrl::Cursor { .. }) && pager.items.is_empty() {
        imports.push("org.json.JSONObject");
    }
    main.push_str("        }\n        Unirest.shutdown();\n");
    imports.sort_unstable();
    imports.dedup();
    let imports: String = imports.iter().map(|import| format!("import {import};\n")).collect();
    format!(
        "{imports}\npublic class Main {{\n    public static void main(String[] args) throws Exception {{\n{main}    }}\n}}\n"
    )
}

/// The value at `at` in the page, an `Object` (`null` when absent).
fn place(pager: &Pager, at: &[PathStep]) -> String {
    pager.place(at, "page", "items", |start, steps| path(start, steps, false))
}

/// `start` followed by each step on org.json's types: `getJSONObject`,
/// `getJSONArray` where an array's last item follows, and the last step
/// with `opt` (or, with `array`, `getJSONArray`).
fn path(start: &str, steps: &[PathStep], array: bool) -> String {
    let mut out = start.to_owned();
    for (index, step) in steps.iter().enumerate() {
        let last = index + 1 == steps.len();
        let next_is_item = matches!(steps.get(index + 1), Some(PathStep::Last));
        let key = match step {
            PathStep::Property(name) => literal(name),
            PathStep::Last => format!("{out}.length() - 1"),
        };
        let getter = match () {
            _ if last && array => "getJSONArray",
            _ if last => "opt",
            _ if next_is_item => "getJSONArray",
            _ => "getJSONObject",
        };
        out = format!("{out}.{getter}({key})");
    }
    out
}

/// A program that prints a streamed answer's items as they arrive, with
/// the JDK's HTTP client (Unirest reads an answer whole), which sends any
/// method.
fn read_stream(request: &Request, stream: &StreamRead) -> String {
    let mut imports =
        vec!["java.net.URI", "java.net.http.HttpClient", "java.net.http.HttpRequest", "java.net.http.HttpResponse"];
    let mut main = String::from("        // Unirest reads an answer whole; the JDK's client reads it as it arrives.\n");
    main.push_str(&format!(
        "        HttpRequest request = HttpRequest.newBuilder(URI.create({}))\n",
        literal(&request.url)
    ));
    for (name, value) in request.all_headers() {
        main.push_str(&format!("            .header({}, {})\n", literal(&name), literal(&value)));
    }
    let body = match request.body_text() {
        Some(text) => format!("HttpRequest.BodyPublishers.ofString({})", literal(&text)),
        None => "HttpRequest.BodyPublishers.noBody()".to_owned(),
    };
    main.push_str(&format!(
        "            .method({}, {body})\n            .build();\n",
        literal(request.method.as_str())
    ));
    let (body_type, handler) = match stream.format {
        StreamFormat::Bytes => ("InputStream", "ofInputStream"),
        _ => ("Stream<String>", "ofLines"),
    };
    main.push_str(&format!(
        "        HttpResponse<{body_type}> response =\n            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.{handler}());\n        if (response.statusCode() >= 400) {{\n            throw new IllegalStateException(\"HTTP \" + response.statusCode());\n        }}\n\n"
    ));
    let lines = "        Iterator<String> lines = response.body().iterator();\n";
    if stream.format != StreamFormat::Bytes {
        imports.extend(["java.util.Iterator", "java.util.stream.Stream"]);
    }
    match stream.format {
        StreamFormat::Bytes => {
            imports.extend([
                "java.io.InputStream",
                "java.nio.file.Files",
                "java.nio.file.Path",
                "java.nio.file.StandardCopyOption",
            ]);
            main.push_str(&format!(
                "        try (InputStream body = response.body()) {{\n            Files.copy(body, Path.of({}), StandardCopyOption.REPLACE_EXISTING);\n        }}\n",
                literal(&stream.file)
            ));
        }
        StreamFormat::Events => {
            imports.extend(["java.util.ArrayList", "java.util.List"]);
            let end = match &stream.sentinel {
                Some(sentinel) => {
                    format!(
                        "                if (event.equals({})) {{\n                    break;\n                }}\n",
                        literal(sentinel)
                    )
                }
                None => String::new(),
            };
            main.push_str(lines);
            main.push_str(&format!(
                "        List<String> data = new ArrayList<>();\n        while (lines.hasNext()) {{\n            String line = lines.next();\n            if (line.startsWith(\"data:\")) {{\n                data.add(line.substring(5).replaceFirst(\"^ \", \"\"));\n            }} else if (line.isEmpty() && !data.isEmpty()) {{\n                String event = String.join(\"\\n\", data);\n                data.clear();\n{end}                System.out.println(event);\n            }}\n        }}\n"
            ));
        }
        // A JSON text sequence's items each start with a record separator and end a line.
        StreamFormat::JsonLines | StreamFormat::JsonSequence => {
            imports.push("org.json.JSONTokener");
            let strip = if stream.format == StreamFormat::JsonSequence { ".replace(\"\\036\", \"\")" } else { "" };
            main.push_str(lines);
            main.push_str(&format!(
                "        while (lines.hasNext()) {{\n            String line = lines.next(){strip}.strip();\n            if (!line.isEmpty()) {{\n                System.out.println(new JSONTokener(line).nextValue());\n            }}\n        }}\n"
            ));
        }
    }
    imports.sort_unstable();
    let imports: String = imports.iter().map(|import| format!("import {import};\n")).collect();
    format!(
        "{imports}\npublic class Main {{\n    public static void main(String[] args) throws Exception {{\n{main}    }}\n}}\n"
    )
}

/// The webhook pages' check of a delivery's Standard Webhooks signature,
/// the same on every page.
const VERIFY: &str = r##"import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

class Webhooks {
    /**
     * Whether the API sent a delivery: its Standard Webhooks signature and timestamp.
     * headers by lower-case name; body as received.
     */
    static boolean verify(String secret, Map<String, String> headers, byte[] body) throws Exception {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || signatures == null || timestamp == null || !timestamp.matches("[0-9]{1,18}")) {
            return false;
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300) {
            return false; // a replay, or from the future
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        byte[] key = Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String signature : signatures.trim().split("\\s+")) {
            if (!signature.startsWith("v1,")) {
                continue;
            }
            try {
                if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            } catch (IllegalArgumentException notBase64) {
                // Not a signature of ours.
            }
        }
        return false;
    }
}
"##;

fn verify(_: &Verification) -> String {
    VERIFY.to_owned()
}
