//! Example calls of the generated client, as a user writes them: for the
//! crate docs (compiled as a doctest), the README and the Rust snippet.

use heck::ToShoutySnakeCase;
use serde_json::Value;

use crate::ir::*;
use crate::rust::plan::{Decode, OperationPlan, Plan, StatusVariant, Success};

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

/// The `mock` module's example, a doctest (its `# ` lines hidden), and the
/// README's "Testing your code": a function under test that makes a call
/// (the first answered with JSON, else the first that doesn't stream, else
/// the first), its happy path, and a documented error (the first that isn't
/// about credentials). `None` for a crate without operations.
pub fn mock_example(plan: &Plan) -> Option<String> {
    let crate_path = plan.crate_path();
    let ops = || plan.operations.iter();
    let json = |op: &&OperationPlan| op.stream.is_none() && matches!(op.success, Success::One(Decode::Json(_)));
    let op = ops().find(json).or_else(|| ops().find(|op| op.stream.is_none())).or_else(|| ops().next())?;
    let error_type = match &op.error {
        Some(error) => format!("{crate_path}::{}", error.name),
        None => format!("{crate_path}::Error"),
    };
    let (method, mock) = (&op.method, &op.mock_method);
    let happy = happy_path(plan, op)?;
    let mut text = format!(
        "use {crate_path}::mock::MockApi;\n\n\
         /// The code under test: it calls the API.\n\
         async fn {method}(client: &{crate_path}::Client) -> Result<{}, {error_type}> {{\n    \
         {}.await{}\n}}\n\n\
         # #[tokio::main(flavor = \"current_thread\")]\n\
         # async fn main() {{\n\
         // Its happy path: the API answers as documented.\n\
         let api = MockApi::start().await;\n{}",
        happy.returns,
        invocation(plan, op),
        if op.stream.is_some() { ".map(|_stream| ())" } else { "" },
        happy.body,
    );
    let documented = op.error.as_ref().and_then(|error| {
        let fixed = || error.variants.iter().filter(|variant| !variant.carries_status());
        let about_credentials = |variant: &&StatusVariant| matches!(variant.status, StatusMatch::Code(401 | 403 | 407));
        let variant = fixed().find(|variant| !about_credentials(variant)).or_else(|| fixed().next())?;
        Some((error, variant))
    });
    if let Some((error, variant)) = documented {
        let path = format!("{crate_path}::{}::{}", error.name, variant.name);
        let (construct, pattern) = match &variant.decode {
            Decode::Nothing => (path.clone(), path),
            decode => (format!("{path}({})", decoded_value(plan, decode, None)), format!("{path}(_)")),
        };
        text.push_str(&format!(
            "\n// And a documented error: {}.\n\
             let api = MockApi::start().await;\n\
             api.{mock}().respond_error({construct}).await;\n\
             assert!(matches!({method}(&api.client()).await, Err({pattern})));\n",
            variant.status.title()
        ));
    }
    text.push_str("# }\n");
    Some(text)
}

/// A mock example's happy path: what the function under test returns, and
/// the lines that mock the call and check it.
struct HappyPath {
    returns: String,
    body: String,
}

fn happy_path(plan: &Plan, op: &OperationPlan) -> Option<HappyPath> {
    let (method, mock) = (&op.method, &op.mock_method);
    // A number or a flag is `Copy`: no `clone()`.
    let checked = |returns: String, local: &str, value: String| HappyPath {
        body: format!(
            "let {local} = {value};\n\
             api.{mock}().expect(1).respond({local}{}).await;\n\
             assert_eq!({method}(&api.client()).await.unwrap(), {local});\n",
            if matches!(returns.as_str(), "i32" | "i64" | "f32" | "f64" | "bool") { "" } else { ".clone()" }
        ),
        returns,
    };
    if op.stream.is_some() {
        return Some(HappyPath {
            returns: "()".to_owned(),
            body: format!(
                "api.{mock}().expect(1).respond(Vec::new()).await;\n\
                 assert!({method}(&api.client()).await.is_ok());\n"
            ),
        });
    }
    let example = op
        .op
        .responses
        .iter()
        .filter(|response| response.status.is_success())
        .find_map(|response| response.body.as_ref()?.example.clone());
    let local = plan.result_local(op).unwrap_or_else(|| "response".to_owned());
    match &op.success {
        Success::One(Decode::Nothing) => Some(HappyPath {
            returns: "()".to_owned(),
            body: format!(
                "api.{mock}().expect(1).respond(()).await;\n\
                 assert!({method}(&api.client()).await.is_ok());\n"
            ),
        }),
        Success::One(decode) => {
            Some(checked(decoded_type(plan, decode), &local, decoded_value(plan, decode, example.as_ref())))
        }
        Success::Enum { name, variants } => {
            let variant = variants.iter().find(|variant| !variant.carries_status())?;
            let path = format!("{}::{name}::{}", plan.crate_path(), variant.name);
            let value = match &variant.decode {
                Decode::Nothing => path,
                decode => format!("{path}({})", decoded_value(plan, decode, None)),
            };
            Some(checked(format!("{}::{name}", plan.crate_path()), &local, value))
        }
    }
}

/// The Rust type a decoded body is.
fn decoded_type(plan: &Plan, decode: &Decode) -> String {
    match decode {
        Decode::Nothing => "()".to_owned(),
        Decode::Json(ty) => type_path(plan, ty),
        Decode::Text => "String".to_owned(),
        Decode::Bytes => "Vec<u8>".to_owned(),
    }
}

/// An example value of a decoded body: the document's `example`, or one
/// made from the type.
fn decoded_value(plan: &Plan, decode: &Decode, example: Option<&Value>) -> String {
    match decode {
        Decode::Nothing => "()".to_owned(),
        Decode::Json(ty) => {
            let example = example.cloned().unwrap_or_else(|| plan.api.example_of(ty));
            value(plan, ty, &example, false)
        }
        Decode::Text => {
            format!("{}.to_owned()", string_literal(&example.map(text_of).unwrap_or_else(|| "text".to_owned())))
        }
        Decode::Bytes => {
            format!("{}.to_vec()", byte_string_literal(&example.map(text_of).unwrap_or_else(|| "bytes".to_owned())))
        }
    }
}

/// A Rust type as examples write it: `kanuu::Nonce`, `Vec<String>`.
fn type_path(plan: &Plan, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String(StringFormat::Binary) => "Vec<u8>".to_owned(),
        TypeRef::String(_) => "String".to_owned(),
        TypeRef::Integer(IntegerFormat::Int32) => "i32".to_owned(),
        TypeRef::Integer(IntegerFormat::Int64) => "i64".to_owned(),
        TypeRef::Number(NumberFormat::Float) => "f32".to_owned(),
        TypeRef::Number(NumberFormat::Double) => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", type_path(plan, item)),
        TypeRef::Map(item) => format!("std::collections::BTreeMap<String, {}>", type_path(plan, item)),
        TypeRef::Named(index) => format!("{}::{}", plan.crate_path(), plan.type_name(*index)),
        TypeRef::Any => "serde_json::Value".to_owned(),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_path(plan, inner)),
    }
}
