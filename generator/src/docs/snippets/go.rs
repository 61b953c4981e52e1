//! Go with net/http, as a whole program.

use super::{Language, Request, c_like};
use crate::error::Error;

pub const LANGUAGE: Language = Language { title: "Go", fence: "go", sample_lang: "go", literal, render };

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
    let body = request.body_text();
    let imports = if body.is_some() {
        "\t\"fmt\"\n\t\"io\"\n\t\"net/http\"\n\t\"strings\"\n"
    } else {
        "\t\"fmt\"\n\t\"io\"\n\t\"net/http\"\n"
    };
    let mut main = format!("\turl := {}\n\n", literal(&request.url));
    let payload = match &body {
        Some(text) => {
            main.push_str(&format!("\tpayload := strings.NewReader({})\n\n", literal(text)));
            "payload"
        }
        None => "nil",
    };
    main.push_str(&format!(
        "\treq, err := http.NewRequest({}, url, {payload})\n\tif err != nil {{\n\t\tpanic(err)\n\t}}\n\n",
        literal(request.method.as_str())
    ));
    let headers = request.all_headers();
    for (name, value) in &headers {
        main.push_str(&format!("\treq.Header.Add({}, {})\n", literal(name), literal(value)));
    }
    if !headers.is_empty() {
        main.push('\n');
    }
    main.push_str(
        "\tres, err := http.DefaultClient.Do(req)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tdefer res.Body.Close()\n\n\tbody, err := io.ReadAll(res.Body)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\n\tfmt.Println(string(body))\n",
    );
    Ok(format!("package main\n\nimport (\n{imports})\n\nfunc main() {{\n{main}}}\n"))
}
