//! Operations: path templates, parameters, bodies and responses.

use std::borrow::Cow;
use std::collections::HashMap;

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

use openapiv3::{self as oa, ReferenceOr};

use super::Lowerer;
use super::schemas::constraints;
use super::text;

use crate::error::{Error, pointer_join};
use crate::ir::*;
use crate::unique::Scope;

/// Where an operation sits in the document.
struct OperationSite<'d> {
    /// The path template as written, e.g. `/books/{bookId}`.
    path: &'d str,
    /// The path item, for its shared parameters, summary and description.
    item: &'d oa::PathItem,
    method: Method,
    /// The operation's JSON pointer, e.g. `/paths/~1books/get`.
    pointer: String,
}

impl Lowerer<'_> {
    pub(super) fn operations(
        &mut self,
        doc: &oa::OpenAPI,
        schemes: &[SecurityScheme],
    ) -> Result<Vec<Operation>, Error> {
        let mut operations = Vec::new();
        // operationId → the pointer of the operation that has it.
        let mut ids: HashMap<String, String> = HashMap::new();
        // Operation names must stay distinct once emitters case them.
        let mut names = Scope::default().keyed_by(|name| name.to_snake_case());

        for (path, item) in doc.paths.iter() {
            let item_pointer = pointer_join("/paths", path);
            // `?{search}=1`: a parameter where a query *name* goes has no
            // OpenAPI reading; leave these operations out, not the API.
            if let Some((_, query)) = path.split_once('?')
                && query.split('&').any(|pair| pair.split('=').next().is_some_and(|name| name.contains('{')))
            {
                self.warn(
                    &item_pointer,
                    format!(
                        "the query string `?{query}` in the path template puts a parameter where a query name goes, \
                         which OpenAPI can't describe; the operations of this path are left out \
                         (declare the query's parameters `in: query` and keep the path to `{}`)",
                        path.split_once('?').map_or(path.as_str(), |(path_only, _)| path_only)
                    ),
                );
                continue;
            }
            let item: oa::PathItem = self.resolve(item, &item_pointer)?;
            let fixed =
                item.iter().map(|(key, op)| (fixed_method(key), pointer_join(&item_pointer, key), Cow::Borrowed(op)));
            let others = self.other_operations(&item, &item_pointer)?;
            for (method, pointer, op) in fixed.chain(others).collect::<Vec<_>>() {
                let op = op.as_ref();
                if let Some(id) = &op.operation_id
                    && let Some(first) = ids.insert(id.clone(), pointer.clone())
                {
                    return Err(Error::at(
                        self.file,
                        &pointer_join(&pointer, "operationId"),
                        format!("operationId `{id}` is also used at #{first}"),
                    )
                    .help("every operationId must be unique; rename one of them"));
                }
                let base_name = match &op.operation_id {
                    Some(id) if !id.to_snake_case().is_empty() => id.to_lower_camel_case(),
                    _ => derived_name(&method.as_str().to_ascii_lowercase(), path),
                };
                let name = names.claim(&base_name);

                let requirements = op.security.as_ref().or(doc.security.as_ref());
                let security = self.accepted_schemes(requirements, schemes, &pointer);
                let site = OperationSite { path, item: &item, method, pointer };
                operations.push(self.operation(&site, op, name, security)?);
            }
        }
        Ok(operations)
    }

    /// One operation, named `name`, accepting the `security` schemes (indexes).
    fn operation(
        &mut self,
        site: &OperationSite,
        op: &oa::Operation,
        name: String,
        security: Vec<SchemeIndex>,
    ) -> Result<Operation, Error> {
        let OperationSite { path, item, method, ref pointer } = *site;
        // `/uploads?convert={convert}`: a query string written into the path
        // template. Its `{name}`s are query parameters.
        let (path_only, query_template) = match path.split_once('?') {
            Some((path_only, query)) => {
                self.warn(
                    &pointer_join("/paths", path),
                    "a query string in the path template; its `{name}`s are sent as query parameters",
                );
                (path_only, Some(query))
            }
            None => (path, None),
        };
        let template =
            parse_path(path_only).map_err(|message| Error::at(self.file, &pointer_join("/paths", path), message))?;

        let mut parameters: Vec<Parameter> = Vec::new();
        let item_pointer = pointer_join("/paths", path);
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{}/parameters/{i}", item_pointer)))
            .chain(op.parameters.iter().enumerate().map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))));
        for (parameter, parameter_pointer) in sources {
            let mut parameter = self.parameter(parameter, &name, &parameter_pointer)?;
            if parameter.location == ParamLocation::Header {
                // A header can't have an empty name or one with `:` or a line
                // break, nor a value with a line break: what can't be sent
                // is left out, with a warning, rather than refusing the API.
                let unsendable_name = |name: &str| name.is_empty() || name.contains([':', '\r', '\n', '\0', ' ']);
                if unsendable_name(&parameter.name) {
                    self.warn(
                        &parameter_pointer,
                        format!("header `{}` can't be sent (its name); it is left out", parameter.name.escape_debug()),
                    );
                    continue;
                }
                if parameter.example.as_ref().is_some_and(has_line_break) {
                    self.warn(&parameter_pointer, "this header's example has a line break, which a header can't hold; the snippets use a made-up value");
                    parameter.example = None;
                }
            }
            if parameter.location == ParamLocation::Cookie && !is_token(&parameter.name) {
                // RFC 6265: a cookie's name is a token; `=`, `;`, spaces or
                // quotes in it would change which cookies the server reads.
                self.warn(
                    &parameter_pointer,
                    format!(
                        "cookie `{}` can't be sent (its name is not an RFC 6265 token); it is left out",
                        parameter.name.escape_debug()
                    ),
                );
                continue;
            }
            // An operation's parameter replaces a path item's of the same name and place.
            parameters.retain(|p| !(p.name == parameter.name && p.location == parameter.location));
            parameters.push(parameter);
        }
        if let Some(query) = query_template {
            query_template_parameters(query, &mut parameters);
        }
        self.check_path_parameters(&template, &mut parameters, pointer)?;

        let body = match &op.request_body {
            Some(body) => {
                let hint = format!("{}Body", name.to_upper_camel_case());
                self.request_body(body, &hint, &pointer_join(pointer, "requestBody"))?
            }
            None => None,
        };

        let mut responses = Vec::new();
        let responses_pointer = pointer_join(pointer, "responses");
        for (status, response) in &op.responses.responses {
            let status = match *status {
                oa::StatusCode::Code(code) => StatusMatch::Code(code),
                oa::StatusCode::Range(class) => StatusMatch::Range(class),
            };
            let key = match status {
                StatusMatch::Code(code) => code.to_string(),
                StatusMatch::Range(class) => format!("{class}XX"),
                StatusMatch::Default => "default".to_owned(),
            };
            let hint = format!("{}{}Response", name.to_upper_camel_case(), key.to_upper_camel_case());
            responses.push(self.response(response, status, &hint, &pointer_join(&responses_pointer, &key))?);
        }
        if let Some(default) = &op.responses.default {
            let hint = format!("{}DefaultResponse", name.to_upper_camel_case());
            responses.push(self.response(
                default,
                StatusMatch::Default,
                &hint,
                &pointer_join(&responses_pointer, "default"),
            )?);
        }

        let mut operation = Operation {
            name,
            method,
            path: template,
            summary: text(&op.summary).or_else(|| text(&item.summary)),
            description: text(&op.description).or_else(|| text(&item.description)),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            parameters,
            body,
            responses,
            security,
            paging: None,
            pointer: pointer.to_owned(),
        };
        operation.paging = self.paging(op, &operation);
        Ok(operation)
    }

    /// Path template and path parameters must name the same things.
    fn check_path_parameters(
        &self,
        template: &PathTemplate,
        parameters: &mut [Parameter],
        pointer: &str,
    ) -> Result<(), Error> {
        let in_template: Vec<&str> = template
            .parts
            .iter()
            .filter_map(|part| match part {
                PathPart::Parameter(name) => Some(name.as_str()),
                PathPart::Literal(_) => None,
            })
            .collect();
        for name in &in_template {
            if !parameters.iter().any(|p| p.location == ParamLocation::Path && p.name == *name) {
                return Err(Error::at(
                    self.file,
                    pointer,
                    format!("the path has `{{{name}}}` but no path parameter `{name}` is declared"),
                )
                .help(format!("add a parameter with `name: {name}`, `in: path` and `required: true`")));
            }
        }
        for parameter in parameters.iter_mut().filter(|p| p.location == ParamLocation::Path) {
            if !in_template.contains(&parameter.name.as_str()) {
                return Err(Error::at(
                    self.file,
                    pointer,
                    format!("path parameter `{}` does not appear in the path `{}`", parameter.name, template.template),
                )
                .help("remove the parameter or add it to the path"));
            }
            // Path parameters are always required (OpenAPI 3.0, 4.7.12.1).
            parameter.required = true;
        }
        Ok(())
    }

    pub(super) fn parameter(
        &mut self,
        parameter: &ReferenceOr<oa::Parameter>,
        operation: &str,
        pointer: &str,
    ) -> Result<Parameter, Error> {
        let (parameter, pointer) = self.resolve_with_pointer(parameter, pointer)?;
        let (location, explode_default) = match &parameter {
            oa::Parameter::Path { .. } => (ParamLocation::Path, false),
            oa::Parameter::Query { .. } => (ParamLocation::Query, true),
            oa::Parameter::Header { .. } => (ParamLocation::Header, false),
            oa::Parameter::Cookie { .. } => (ParamLocation::Cookie, true),
        };
        let data = parameter.parameter_data_ref();
        let hint = format!("{}{}", operation.to_upper_camel_case(), data.name.to_upper_camel_case());
        let (ty, constraints, example, default) = match &data.format {
            oa::ParameterSchemaOrContent::Schema(schema) => {
                let schema_pointer = pointer_join(&pointer, "schema");
                let ty = self.type_ref(schema, &hint, &schema_pointer)?;
                if let TypeRef::Array(item) = &ty
                    && matches!(**item, TypeRef::Array(_))
                {
                    self.warn(
                        &schema_pointer,
                        "OpenAPI has no style for an array of arrays in a parameter; each inner array is sent as JSON text",
                    );
                }
                let (constraints, example, default) = match schema {
                    ReferenceOr::Item(schema) => {
                        (constraints(schema), schema.schema_data.example.clone(), schema.schema_data.default.clone())
                    }
                    ReferenceOr::Reference { .. } => (Constraints::default(), None, None),
                };
                (ty, constraints, example, default)
            }
            oa::ParameterSchemaOrContent::Content(_) => {
                self.warn(&pointer, "a parameter described by `content` is sent as a string");
                (TypeRef::String(StringFormat::Plain), Constraints::default(), None, None)
            }
        };
        Ok(Parameter {
            name: data.name.clone(),
            location,
            required: data.required,
            description: text(&data.description),
            deprecated: data.deprecated.unwrap_or(false),
            ty,
            constraints,
            example: data.example.clone().or(example),
            default,
            explode: data.explode.unwrap_or(explode_default),
            style: match &parameter {
                oa::Parameter::Query { style: oa::QueryStyle::SpaceDelimited, .. } => QueryStyle::SpaceDelimited,
                oa::Parameter::Query { style: oa::QueryStyle::PipeDelimited, .. } => QueryStyle::PipeDelimited,
                oa::Parameter::Query { style: oa::QueryStyle::DeepObject, .. } => QueryStyle::DeepObject,
                _ => QueryStyle::Form,
            },
        })
    }

    pub(super) fn request_body(
        &mut self,
        body: &ReferenceOr<oa::RequestBody>,
        hint: &str,
        pointer: &str,
    ) -> Result<Option<RequestBody>, Error> {
        let (body, pointer) = self.resolve_with_pointer(body, pointer)?;
        let Some((media_type, media)) = pick_media_type(&body.content) else {
            // Nothing says what to send: the plain reading is "no body".
            self.warn(&pointer, "the request body has no content; the operation is generated without a body");
            return Ok(None);
        };
        let encoding = encoding_of(media_type);
        let media_pointer = pointer_join(&pointer_join(&pointer, "content"), media_type);
        let ty = self.media_type(media, encoding, hint, &media_pointer)?;
        let examples = self.named_examples(media, &media_pointer);
        // The snippets send `example`, else the first named example.
        let (example, example_name) = match (&media.example, examples.into_iter().next()) {
            (Some(example), _) => (Some(example.clone()), None),
            (None, Some(first)) => (Some(first.value), Some(first.title)),
            (None, None) => (None, None),
        };
        Ok(Some(RequestBody {
            required: body.required,
            description: text(&body.description),
            media_type: media_type.to_owned(),
            encoding,
            ty,
            example,
            example_name,
        }))
    }

    fn response(
        &mut self,
        response: &ReferenceOr<oa::Response>,
        status: StatusMatch,
        hint: &str,
        pointer: &str,
    ) -> Result<Response, Error> {
        let (response, pointer) = self.resolve_with_pointer(response, pointer)?;
        let body = match pick_media_type(&response.content) {
            None => None,
            Some((media_type, media)) => {
                // Form and multipart answers are rare; the caller gets their bytes.
                let encoding = match encoding_of(media_type) {
                    BodyEncoding::Form | BodyEncoding::Multipart => BodyEncoding::Bytes,
                    other => other,
                };
                let media_pointer = pointer_join(&pointer_join(&pointer, "content"), media_type);
                // Any answer that isn't JSON or text is a file's bytes, read as they come.
                let format = StreamFormat::of(media_type)
                    .or_else(|| (encoding == BodyEncoding::Bytes).then_some(StreamFormat::Bytes));
                let stream = format.map(|format| Stream {
                    format,
                    sentinel: media
                        .extensions
                        .get("x-speakeasy-sse-sentinel")
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned),
                });
                let ty = match &stream {
                    Some(stream) if stream.format != StreamFormat::Bytes => {
                        self.stream_item(media, stream.format, hint, &media_pointer)?
                    }
                    _ => self.media_type(media, encoding, hint, &media_pointer)?,
                };
                let examples = self.named_examples(media, &media_pointer);
                let example = media.example.clone().or_else(|| examples.first().map(|e| e.value.clone()));
                Some(ResponseBody { media_type: media_type.to_owned(), encoding, ty, stream, example, examples })
            }
        };
        let headers = response.headers.keys().map(|name| name.to_ascii_lowercase()).collect();
        Ok(Response { status, description: response.description.clone(), body, headers })
    }

    /// A media type's named `examples` that hold a value, `$ref`s followed.
    /// Examples only document, so one that can't be shown (a dangling
    /// `$ref`, only an `externalValue`) is left out with a warning.
    fn named_examples(&mut self, media: &oa::MediaType, pointer: &str) -> Vec<NamedExample> {
        let mut examples = Vec::new();
        for (key, example) in &media.examples {
            let example_pointer = pointer_join(&pointer_join(pointer, "examples"), key);
            let example: oa::Example = match self.resolve(example, &example_pointer) {
                Ok(example) => example,
                Err(error) => {
                    self.warn(&example_pointer, format!("the example is not shown: {}", error.message));
                    continue;
                }
            };
            let Some(value) = example.value else {
                self.warn(&example_pointer, "an example without a `value` (e.g. only `externalValue`) is not shown");
                continue;
            };
            let title = text(&example.summary).unwrap_or_else(|| key.clone());
            examples.push(NamedExample { title, value });
        }
        examples
    }

    /// The type of each item of a stream: from OpenAPI 3.2's `itemSchema`
    /// (which loading copies to `x-kanuu-item-schema`), else the media
    /// type's `schema`. For events, the item is an event's `data`: the
    /// schema's `data` property (its `contentSchema` when it carries JSON,
    /// text when it is a string), or, for a schema without one, the schema
    /// itself, as many documents describe the payload; text when nothing
    /// says.
    fn stream_item(
        &mut self,
        media: &oa::MediaType,
        format: StreamFormat,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let text = TypeRef::String(StringFormat::Plain);
        let (schema, at) = match media.extensions.get(crate::load::ITEM_SCHEMA) {
            Some(item) => (item.clone(), pointer_join(pointer, "itemSchema")),
            None => match self.raw.pointer(&pointer_join(pointer, "schema")) {
                Some(schema) => (schema.clone(), pointer_join(pointer, "schema")),
                None if format == StreamFormat::Events => return Ok(text),
                None => return Ok(TypeRef::Any),
            },
        };
        let item_hint = format!("{hint}Item");
        if format != StreamFormat::Events {
            return self.type_ref_of(&schema, &item_hint, &at);
        }
        // An event schema's `data`, looked for through one `$ref`.
        let (event, event_at) = match schema.get("$ref").and_then(serde_json::Value::as_str) {
            Some(target) => {
                let target = crate::error::percent_decode(target.trim_start_matches('#'));
                (self.raw.pointer(&target).cloned().unwrap_or(serde_json::Value::Null), target)
            }
            None => (schema.clone(), at.clone()),
        };
        let Some(data) = event.pointer("/properties/data") else {
            return match self.type_ref_of(&schema, &item_hint, &at)? {
                TypeRef::String(_) => Ok(text),
                other => Ok(other),
            };
        };
        let data_at = format!("{event_at}/properties/data");
        if let Some(content) = data.get("contentSchema") {
            return self.type_ref_of(content, &item_hint, &format!("{data_at}/contentSchema"));
        }
        let is_text = data.get("$ref").is_none()
            && matches!(data.get("type").and_then(serde_json::Value::as_str), None | Some("string"));
        if is_text { Ok(text) } else { self.type_ref_of(data, &item_hint, &data_at) }
    }

    /// The type of a schema given as a tree (a `$ref` or a schema).
    fn type_ref_of(&mut self, schema: &serde_json::Value, hint: &str, pointer: &str) -> Result<TypeRef, Error> {
        let schema: ReferenceOr<oa::Schema> = serde_path_to_error::deserialize(schema).map_err(|error| {
            let at = crate::load::pointer_of(error.path());
            Error::at(self.file, &format!("{pointer}{at}"), format!("not a valid schema: {}", error.into_inner()))
                .help("compare this schema with the OpenAPI specification")
        })?;
        self.type_ref(&schema, hint, pointer)
    }

    fn media_type(
        &mut self,
        media: &oa::MediaType,
        encoding: BodyEncoding,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match encoding {
            BodyEncoding::Text => TypeRef::String(StringFormat::Plain),
            BodyEncoding::Bytes => TypeRef::String(StringFormat::Binary),
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => match &media.schema {
                Some(schema) => self.type_ref(schema, hint, &pointer_join(pointer, "schema"))?,
                None => TypeRef::Any,
            },
        })
    }
}

/// Splits `/users/{id}` into literal text and parameters.
fn parse_path(path: &str) -> Result<PathTemplate, String> {
    if !path.starts_with('/') {
        return Err(format!("the path `{path}` must start with `/`"));
    }
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|close| open + close) else {
            return Err(format!("the path `{path}` has a `{{` without a matching `}}`"));
        };
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("the path `{path}` has an empty or nested parameter"));
        }
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        parts.push(PathPart::Parameter(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("the path `{path}` has a `}}` without a matching `{{`"));
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    Ok(PathTemplate { template: path.to_owned(), parts })
}

/// `get /users/{id}/posts` → `getUsersIdPosts`.
/// The method of one of a path item's fixed fields (`get`…).
pub(super) fn fixed_method(key: &str) -> Method {
    match key {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

impl Lowerer<'_> {
    /// OpenAPI 3.2's `query` and `additionalOperations`, which loading copied
    /// into the item's `x-kanuu-operations`, each with the pointer where it
    /// is written.
    fn other_operations(
        &self,
        item: &oa::PathItem,
        item_pointer: &str,
    ) -> Result<Vec<(Method, String, Cow<'static, oa::Operation>)>, Error> {
        let Some(serde_json::Value::Object(copied)) = item.extensions.get(crate::load::OTHER_OPERATIONS) else {
            return Ok(Vec::new());
        };
        let mut operations = Vec::new();
        for (name, operation) in copied {
            let (method, pointer) = match name.as_str() {
                "QUERY" => (Method::Query, pointer_join(item_pointer, "query")),
                other => {
                    // Loading copied only names that are methods.
                    let Some(name) = MethodName::new(other) else { continue };
                    (Method::Other(name), pointer_join(&pointer_join(item_pointer, "additionalOperations"), other))
                }
            };
            let operation = serde_path_to_error::deserialize::<_, oa::Operation>(operation).map_err(|error| {
                let at = crate::load::pointer_of(error.path());
                Error::at(
                    self.file,
                    &format!("{pointer}{at}"),
                    format!("not a valid operation: {}", error.into_inner()),
                )
                .help("compare this operation with the OpenAPI 3.2 specification")
            })?;
            operations.push((method, pointer, Cow::Owned(operation)));
        }
        Ok(operations)
    }
}

fn derived_name(method: &str, path: &str) -> String {
    let words: String = path
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_upper_camel_case())
        .collect();
    format!("{method}{words}").to_lower_camel_case()
}

/// JSON first (what typed clients want), then text, then anything.
fn pick_media_type(content: &indexmap::IndexMap<String, oa::MediaType>) -> Option<(&str, &oa::MediaType)> {
    let by_encoding = |wanted: BodyEncoding| {
        content
            .iter()
            .find(|(media_type, _)| encoding_of(media_type) == wanted)
            .map(|(media_type, media)| (media_type.as_str(), media))
    };
    by_encoding(BodyEncoding::Json)
        .or_else(|| by_encoding(BodyEncoding::Text))
        .or_else(|| content.first().map(|(media_type, media)| (media_type.as_str(), media)))
}

fn encoding_of(media_type: &str) -> BodyEncoding {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        BodyEncoding::Json
    } else if essence.starts_with("text/") {
        BodyEncoding::Text
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else {
        BodyEncoding::Bytes
    }
}

/// The parameters of a query string written into a path template
/// (`convert={convert}`): one declared `in: path` moves to the query, and
/// an undeclared one becomes a required text query parameter.
fn query_template_parameters(query: &str, parameters: &mut Vec<Parameter>) {
    let names = query.split('&').filter_map(|pair| pair.split_once('=')).filter_map(|(_, value)| {
        value.strip_prefix('{').and_then(|v| v.strip_suffix('}')).filter(|name| !name.is_empty())
    });
    for name in names {
        match parameters.iter_mut().find(|p| p.name == name) {
            Some(parameter) if parameter.location == ParamLocation::Path => {
                parameter.location = ParamLocation::Query;
                parameter.explode = true;
            }
            Some(_) => {}
            None => parameters.push(Parameter {
                name: name.to_owned(),
                location: ParamLocation::Query,
                required: true,
                description: None,
                deprecated: false,
                ty: TypeRef::String(StringFormat::Plain),
                constraints: Constraints::default(),
                example: None,
                default: None,
                explode: true,
                style: QueryStyle::Form,
            }),
        }
    }
}

/// Whether an example holds a CR, LF or NUL (in a string, or an array's string).
fn has_line_break(example: &serde_json::Value) -> bool {
    match example {
        serde_json::Value::String(text) => text.contains(['\r', '\n', '\0']),
        serde_json::Value::Array(items) => items.iter().any(has_line_break),
        _ => false,
    }
}

/// Whether `name` is an HTTP token (RFC 9110's `tchar`s), as a cookie's or a
/// header's name must be.
pub(super) fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_literals_and_parameters() {
        let template = parse_path("/users/{id}/files/{name}.json").unwrap(); // ok: test
        assert_eq!(
            template.parts,
            vec![
                PathPart::Literal("/users/".into()),
                PathPart::Parameter("id".into()),
                PathPart::Literal("/files/".into()),
                PathPart::Parameter("name".into()),
                PathPart::Literal(".json".into()),
            ]
        );
        assert!(parse_path("/users/{id").is_err());
        assert!(parse_path("/users/id}").is_err());
        assert!(parse_path("users").is_err());
    }

    #[test]
    fn names_are_derived_from_method_and_path() {
        assert_eq!(derived_name("get", "/users/{id}/posts"), "getUsersIdPosts");
        assert_eq!(derived_name("post", "/api/nonce"), "postApiNonce");
    }
}
