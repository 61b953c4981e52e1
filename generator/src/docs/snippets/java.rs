//! Java with Unirest (1.x), as on the seed page, as a whole program.

use super::{Language, Request, c_like, lower_method};
use crate::error::Error;
use crate::ir::Method;

pub const LANGUAGE: Language = Language { title: "Java", fence: "java", sample_lang: "java", literal, render };

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
    let (factory, takes_body) = match request.method {
        Method::Get | Method::Head => (lower_method(request.method), false),
        Method::Post | Method::Put | Method::Patch | Method::Delete | Method::Options => {
            (lower_method(request.method), true)
        }
        Method::Trace => return Ok("// Unirest has no TRACE method; see the Curl example.\n".to_owned()),
    };
    let mut chain = format!("        HttpResponse<String> response = Unirest.{factory}({})\n", literal(&request.url));
    for (name, value) in request.all_headers() {
        chain.push_str(&format!("            .header({}, {})\n", literal(&name), literal(&value)));
    }
    if let (true, Some(text)) = (takes_body, request.body_text()) {
        chain.push_str(&format!("            .body({})\n", literal(&text)));
    }
    chain.push_str("            .asString();\n");
    Ok(format!(
        "import com.mashape.unirest.http.HttpResponse;\nimport com.mashape.unirest.http.Unirest;\n\npublic class Main {{\n    public static void main(String[] args) throws Exception {{\n{chain}\n        System.out.println(response.getBody());\n        Unirest.shutdown();\n    }}\n}}\n"
    ))
}
