//! Example calls of the generated client, as a user writes them: for the
//! crate docs (compiled as a doctest), the README and the Rust snippet.

use heck::ToShoutySnakeCase;
use serde_json::Value;

use crate::ir::*;
use crate::rust::plan::{Decode, OperationPlan, Plan};

/// The crate-level example: one call of the first operation and one error match.
pub fn crate_example(plan: &Plan) -> Option<String> {
    let op = plan.operations.first()?;
    let mut code = imports(op).to_owned();
    code.push_str("# async fn run() -> Result<(), Box<dyn std::error::Error>> {\n");
    code.push_str(&client_setup(plan, None));
    code.push_str(&call(plan, op));
    code.push_str("# Ok(())\n# }\n");
    Some(code)
}

/// A whole program calling one operation: the Rust snippet of a page.
/// `base_url` points it at another server; the key is the placeholder.
/// A list that pages is read to its end with `items()`.
pub fn program(plan: &Plan, op: &OperationPlan, base_url: Option<&str>) -> String {
    let mut body = client_setup_with_key(plan, base_url, "\"<YOUR_API_KEY>\"");
    let paged = super::paging::is_paged(plan, op);
    if paged {
        body.push_str(&read_items(plan, op));
    } else {
        body.push_str(&call(plan, op));
    }
    body.push_str("Ok(())\n");
    let indented: String =
        body.lines().map(|line| if line.is_empty() { "\n".to_owned() } else { format!("    {line}\n") }).collect();
    let imports = if paged { "use futures::TryStreamExt;\n\n" } else { imports(op) };
    format!("{imports}#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n{indented}}}\n")
}

/// What a call of `op` imports: `try_next` for reading a stream of items.
pub fn imports(op: &OperationPlan) -> &'static str {
    let format = op.stream.and_then(|body| body.stream.as_ref()).map(|stream| stream.format);
    match format {
        Some(StreamFormat::Bytes) | None => "",
        Some(_) => "use futures::TryStreamExt;\n\n",
    }
}

/// Reads an answer that streams to its end, printing each event or item,
/// or writing the bytes to a file.
fn read_stream(plan: &Plan, op: &OperationPlan, body: &ResponseBody) -> String {
    let format = body.stream.as_ref().map(|stream| stream.format);
    let args: Vec<String> = arguments(plan, op).into_iter().map(|(_, arg)| arg).collect();
    if format == Some(StreamFormat::Bytes) {
        return format!(
            "let mut file = tokio::fs::File::create({}).await?;\nlet written = client.{}({}).await?.write_to(&mut file).await?;\nprintln!(\"{{written}} bytes\");\n",
            string_literal(&op.op.download_file_name()),
            op.method,
            args.join(", ")
        );
    }
    let events = format == Some(StreamFormat::Events);
    let (all, one, shown) = if events { ("events", "event", "event.data") } else { ("items", "item", "item") };
    format!(
        "let mut {all} = client.{}({}).await?;\nwhile let Some({one}) = {all}.try_next().await? {{\n    println!(\"{{:?}}\", {shown});\n}}\n",
        op.method,
        args.join(", ")
    )
}

/// Reads every item of a paged list, printing each.
fn read_items(plan: &Plan, op: &OperationPlan) -> String {
    let item = match op.op.paging.as_ref().map(|paging| &paging.item) {
        Some(TypeRef::Named(index)) => crate::rust::names::local(&crate::rust::names::snake(plan.type_name(*index))),
        _ => "item".to_owned(),
    };
    let item = if item == "items" { "item".to_owned() } else { item };
    // The stream borrows the arguments: a value made for one is bound first.
    let mut lets = String::new();
    let args: Vec<String> = arguments(plan, op)
        .into_iter()
        .map(|(name, arg)| match arg.strip_prefix('&') {
            Some(made) if !made.starts_with('[') => {
                lets.push_str(&format!("let {name} = {made};\n"));
                format!("&{name}")
            }
            _ => arg,
        })
        .collect();
    format!(
        "{lets}let mut items = client.{}({}).items();\nwhile let Some({item}) = items.try_next().await? {{\n    println!(\"{{{item}:?}}\");\n}}\n",
        op.method,
        args.join(", ")
    )
}

/// `let client = …;` with the key from the environment.
pub fn client_setup(plan: &Plan, base_url: Option<&str>) -> String {
    let key = format!("std::env::var(\"{}_API_KEY\")?", plan.crate_name().to_shouty_snake_case());
    client_setup_with_key(plan, base_url, &key)
}

fn client_setup_with_key(plan: &Plan, base_url: Option<&str>, key: &str) -> String {
    let crate_path = plan.crate_path();
    if plan.single_key().is_none() {
        // Credentials, if any, go through the builder method of the first scheme.
        let credentials = match plan.schemes.first() {
            Some(scheme) if scheme.scheme.kind == AuthKind::Basic => {
                format!("\n    .{}(\"<USERNAME>\", {key})", scheme.field)
            }
            Some(scheme) => format!("\n    .{}({key})", scheme.field),
            None => String::new(),
        };
        let base_url = base_url.map(|url| format!("\n    .base_url({})", string_literal(url))).unwrap_or_default();
        if credentials.is_empty() && base_url.is_empty() {
            return format!("let client = {crate_path}::Client::new()?;\n");
        }
        return format!("let client = {crate_path}::Client::builder(){credentials}{base_url}\n    .build()?;\n");
    }
    match base_url {
        None => format!("let client = {crate_path}::Client::new({key})?;\n"),
        Some(url) => format!(
            "let client = {crate_path}::Client::builder({key})\n    .base_url({})\n    .build()?;\n",
            string_literal(url)
        ),
    }
}

/// Calls the operation with example arguments and matches on the result;
/// reads an answer that streams to its end.
pub fn call(plan: &Plan, op: &OperationPlan) -> String {
    if let Some(body) = op.stream {
        return read_stream(plan, op, body);
    }
    let crate_path = plan.crate_path();
    let invocation = invocation(plan, op);
    let (binding, show) = match plan.result_local(op) {
        Some(local) => (local.clone(), format!("println!(\"{{{local}:?}}\")")),
        None => ("()".to_owned(), "println!(\"done\")".to_owned()),
    };
    let first_error = op.error.as_ref().and_then(|error| {
        let variant = error.variants.iter().find(|v| !v.carries_status())?;
        let pattern = match variant.decode {
            Decode::Nothing => format!("{crate_path}::{}::{}", error.name, variant.name),
            _ => format!("{crate_path}::{}::{}(body)", error.name, variant.name),
        };
        let report = match variant.decode {
            Decode::Nothing => format!("eprintln!(\"{}\")", variant.status.title()),
            _ => format!("eprintln!(\"{}: {{body:?}}\")", variant.status.title()),
        };
        Some(format!("    Err({pattern}) => {report},\n"))
    });
    format!(
        "match {invocation}.await {{\n    Ok({binding}) => {show},\n{}    Err(other) => return Err(other.into()),\n}}\n",
        first_error.unwrap_or_default()
    )
}

/// `client.method(args)`, with an example of each required argument.
fn invocation(plan: &Plan, op: &OperationPlan) -> String {
    let args: Vec<String> = arguments(plan, op).into_iter().map(|(_, arg)| arg).collect();
    format!("client.{}({})", op.method, args.join(", "))
}

/// An example of each required argument, with a local it could be bound to.
fn arguments(plan: &Plan, op: &OperationPlan) -> Vec<(String, String)> {
    let mut args = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        let example = param.param.example.clone().unwrap_or_else(|| plan.api.example_of(&param.param.ty));
        args.push((param.local.clone(), argument(plan, &param.param.ty, &example)));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let example = body.body.example.clone().unwrap_or_else(|| plan.api.example_of(&body.body.ty));
        let arg = match body.body.encoding {
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart
                if !matches!(body.body.ty, TypeRef::String(_)) =>
            {
                format!("&{}", value(plan, &body.body.ty, &example, true))
            }
            BodyEncoding::Bytes => format!("{}.as_bytes()", string_literal(&text_of(&example))),
            _ => string_literal(&text_of(&example)),
        };
        args.push(("body".to_owned(), arg));
    }
    args
}

/// An argument of a client method: `&str`, a number, or a reference.
fn argument(plan: &Plan, ty: &TypeRef, example: &Value) -> String {
    match ty {
        TypeRef::String(_) => string_literal(&text_of(example)),
        TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => value(plan, ty, example, false),
        TypeRef::Array(item) => {
            let items: Vec<String> = match example {
                Value::Array(values) => values.iter().map(|v| argument(plan, item, v)).collect(),
                other => vec![argument(plan, item, other)],
            };
            format!("&[{}]", items.join(", "))
        }
        _ => format!("&{}", value(plan, ty, example, false)),
    }
}

/// A Rust expression of type `ty` for a JSON example; `into_string` when the
/// position takes `impl Into<String>`. Examples that don't fit the type are
/// replaced by one made from the type.
fn value(plan: &Plan, ty: &TypeRef, example: &Value, into_string: bool) -> String {
    let crate_path = plan.crate_path();
    let fallback = || value(plan, ty, &plan.api.example_of(ty), into_string);
    match (ty, example) {
        (TypeRef::String(StringFormat::Binary), Value::String(text)) => {
            format!("{}.to_vec()", byte_string_literal(text))
        }
        (TypeRef::String(_), Value::String(text)) if into_string => string_literal(text),
        (TypeRef::String(_), Value::String(text)) => format!("{}.to_owned()", string_literal(text)),
        (TypeRef::Integer(_), Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        (TypeRef::Number(_), Value::Number(n)) => {
            let text = n.to_string();
            if text.contains(['.', 'e', 'E']) { text } else { format!("{text}.0") }
        }
        (TypeRef::Boolean, Value::Bool(flag)) => flag.to_string(),
        (TypeRef::Array(item), Value::Array(items)) => {
            let items: Vec<String> = items.iter().map(|v| value(plan, item, v, false)).collect();
            format!("vec![{}]", items.join(", "))
        }
        (TypeRef::Map(item), Value::Object(entries)) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("({}.to_owned(), {})", string_literal(k), value(plan, item, v, false)))
                .collect();
            format!("std::collections::BTreeMap::from([{}])", entries.join(", "))
        }
        (TypeRef::Any, example) => format!("serde_json::json!({example})"),
        (TypeRef::Nullable(_), Value::Null) => "None".to_owned(),
        (TypeRef::Nullable(inner), example) => format!("Some({})", value(plan, inner, example, false)),
        (TypeRef::Named(index), example) => match &plan.api.types[*index].kind {
            TypeKind::Object(object) => {
                let Value::Object(entries) = example else { return fallback() };
                let args: Vec<String> = object
                    .fields
                    .iter()
                    .filter(|field| plan.always_present(*index, field))
                    .map(|field| {
                        let field_example =
                            entries.get(&field.name).cloned().unwrap_or_else(|| plan.api.example_of(&field.ty));
                        let boxed = plan.needs_box(&field.ty, *index);
                        let inner = value(plan, &field.ty, &field_example, !field.nullable && !boxed);
                        let inner = if boxed { format!("Box::new({inner})") } else { inner };
                        if field.nullable { format!("Some({inner})") } else { inner }
                    })
                    .collect();
                format!("{crate_path}::{}::new({})", plan.type_name(*index), args.join(", "))
            }
            TypeKind::StringEnum(values) => {
                let position = values.iter().position(|v| Some(v.as_str()) == example.as_str()).unwrap_or(0);
                match plan.type_plan(*index).and_then(|t| t.variants.get(position)) {
                    Some(variant) => format!("{crate_path}::{}::{variant}", plan.type_name(*index)),
                    None => format!("{crate_path}::{}::Unknown(String::new())", plan.type_name(*index)),
                }
            }
            TypeKind::Alias(target) => value(plan, target, example, into_string),
            TypeKind::Union(union) => {
                // The first variant, with the example if it fits it.
                let (Some(first), Some(variant)) =
                    (union.variants.first(), plan.type_plan(*index).and_then(|t| t.variants.first()))
                else {
                    return "Default::default()".to_owned();
                };
                let inner = value(plan, first, example, false);
                let inner = if plan.needs_box(first, *index) { format!("Box::new({inner})") } else { inner };
                format!("{crate_path}::{}::{variant}({inner})", plan.type_name(*index))
            }
        },
        _ if example != &plan.api.example_of(ty) => fallback(),
        // The made-up example doesn't fit either (e.g. an empty enum): a default.
        _ => "Default::default()".to_owned(),
    }
}

fn text_of(example: &Value) -> String {
    match example {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A Rust string literal holding exactly `text`.
pub fn string_literal(text: &str) -> String {
    // `str`'s Debug output is a valid Rust literal: it escapes `"`, `\` and
    // control characters, and keeps other Unicode as it is.
    format!("{text:?}")
}

/// A Rust byte string literal (`b"…"`) holding the UTF-8 bytes of `text`.
fn byte_string_literal(text: &str) -> String {
    let escaped: String = text.bytes().map(|byte| std::ascii::escape_default(byte).to_string()).collect();
    format!("b\"{escaped}\"")
}
