//! Lowering: openapiv3 model → intermediate representation.
//!
//! Resolves every `$ref` (components by name, anything else by JSON pointer
//! into the raw document), validates what the emitters rely on, gives inline
//! schemas stable names, and records documented fallbacks as warnings.

use std::collections::HashMap;

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};
use openapiv3::{self as oa, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Warning, pointer_join};
use crate::ir::*;
use crate::load::Document;
use crate::unique::Scope;

/// Lowers a parsed document into the IR.
pub fn lower(document: &Document, file: &str) -> Result<(Api, Vec<Warning>), Error> {
    let mut lowerer = Lowerer {
        raw: &document.raw,
        file,
        types: Vec::new(),
        component_types: HashMap::new(),
        type_names: Scope::default(),
        warnings: Vec::new(),
        resolving: Vec::new(),
    };
    let api = lowerer.api(&document.model)?;
    Ok((api, lowerer.warnings))
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// How many `$ref`s to non-component schemas may be followed in a row.
const MAX_REF_DEPTH: usize = 64;

struct Lowerer<'a> {
    raw: &'a Value,
    file: &'a str,
    types: Vec<TypeDef>,
    /// Component schema name → index in `types`.
    component_types: HashMap<String, usize>,
    /// Every name in `types`: lifted schemas get free ones.
    type_names: Scope,
    warnings: Vec<Warning>,
    /// `$ref`s being followed, to stop cycles through non-component schemas.
    resolving: Vec<String>,
}

impl Lowerer<'_> {
    fn api(&mut self, doc: &oa::OpenAPI) -> Result<Api, Error> {
        let empty = oa::Components::default();
        let components = doc.components.as_ref().unwrap_or(&empty);

        // Reserve a slot for every component schema first, so references
        // resolve whatever their order and however they recurse.
        for name in components.schemas.keys() {
            self.component_types.insert(name.clone(), self.types.len());
            self.type_names.reserve(&[name]);
            self.types.push(TypeDef {
                name: name.clone(),
                description: None,
                deprecated: false,
                kind: TypeKind::Alias(TypeRef::Any),
                pointer: pointer_join("/components/schemas", name),
            });
        }
        for (name, schema) in &components.schemas {
            let pointer = pointer_join("/components/schemas", name);
            let index = self.component_types[name];
            let (schema, pointer) = match schema {
                ReferenceOr::Item(schema) => (schema.clone(), pointer),
                ReferenceOr::Reference { reference } => {
                    // A component that is only a `$ref` is another name for its target.
                    let target = self.schema_ref(reference, &pointer)?;
                    self.types[index].kind = TypeKind::Alias(target);
                    continue;
                }
            };
            let def = self.type_def(&schema, name, &pointer)?;
            self.types[index] = def;
        }

        self.check_alias_cycles()?;
        let security_schemes = self.security_schemes(components)?;
        let mut api = Api {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            description: text(&doc.info.description),
            license: doc
                .info
                .license
                .as_ref()
                .map(|license| license.name.clone())
                .filter(|name| !name.trim().is_empty() && !name.contains(char::is_whitespace)),
            homepage: doc.info.contact.as_ref().and_then(|contact| contact.url.clone()),
            servers: doc.servers.iter().map(server).collect(),
            security_schemes,
            operations: Vec::new(),
            types: Vec::new(),
            rust_crate: rust_crate_options(&doc.info.extensions),
        };
        api.operations = self.operations(doc, &api.security_schemes)?;
        api.types = std::mem::take(&mut self.types);
        Ok(api)
    }

    fn security_schemes(&mut self, components: &oa::Components) -> Result<Vec<SecurityScheme>, Error> {
        let mut schemes = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let pointer = pointer_join("/components/securitySchemes", key);
            let scheme: oa::SecurityScheme = self.resolve(scheme, &pointer)?;
            let (kind, description) = match scheme {
                oa::SecurityScheme::HTTP { scheme, description, .. } => match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (AuthKind::Bearer, description),
                    "basic" => (AuthKind::Basic, description),
                    other => {
                        self.warn(
                            &pointer,
                            format!("HTTP auth scheme `{other}` is not supported; operations are generated without it"),
                        );
                        continue;
                    }
                },
                oa::SecurityScheme::APIKey { location, name, description, .. } => {
                    let location = match location {
                        oa::APIKeyLocation::Header => ParamLocation::Header,
                        oa::APIKeyLocation::Query => ParamLocation::Query,
                        oa::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    (AuthKind::ApiKey { location, name }, description)
                }
                // Both end in a bearer token the caller obtains elsewhere.
                oa::SecurityScheme::OAuth2 { description, .. }
                | oa::SecurityScheme::OpenIDConnect { description, .. } => (AuthKind::Bearer, description),
            };
            schemes.push(SecurityScheme { key: key.clone(), description: text(&description), kind });
        }
        Ok(schemes)
    }

    fn operations(&mut self, doc: &oa::OpenAPI, schemes: &[SecurityScheme]) -> Result<Vec<Operation>, Error> {
        let mut operations = Vec::new();
        // operationId → the pointer of the operation that has it.
        let mut ids: HashMap<String, String> = HashMap::new();
        // Operation names must stay distinct once emitters case them.
        let mut names = Scope::default().keyed_by(|name| name.to_snake_case());

        for (path, item) in doc.paths.iter() {
            let item_pointer = pointer_join("/paths", path);
            let item: oa::PathItem = self.resolve(item, &item_pointer)?;
            for (method, op) in item.iter() {
                let pointer = pointer_join(&item_pointer, method);
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
                    _ => derived_name(method, path),
                };
                let name = names.claim(&base_name);

                let operation = self.operation(doc, &item, path, method, op, name, &pointer, schemes)?;
                operations.push(operation);
            }
        }
        Ok(operations)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        doc: &oa::OpenAPI,
        item: &oa::PathItem,
        path: &str,
        method: &str,
        op: &oa::Operation,
        name: String,
        pointer: &str,
        schemes: &[SecurityScheme],
    ) -> Result<Operation, Error> {
        let template =
            parse_path(path).map_err(|message| Error::at(self.file, &pointer_join("/paths", path), message))?;

        let mut parameters: Vec<Parameter> = Vec::new();
        let item_pointer = pointer_join("/paths", path);
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{}/parameters/{i}", item_pointer)))
            .chain(op.parameters.iter().enumerate().map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))));
        for (parameter, parameter_pointer) in sources {
            let parameter = self.parameter(parameter, &name, &parameter_pointer)?;
            // An operation's parameter replaces a path item's of the same name and place.
            parameters.retain(|p| !(p.name == parameter.name && p.location == parameter.location));
            parameters.push(parameter);
        }
        self.check_path_parameters(&template, &mut parameters, pointer)?;

        let body = match &op.request_body {
            Some(body) => Some(self.request_body(body, &name, &pointer_join(pointer, "requestBody"))?),
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

        let requirements = op.security.as_ref().or(doc.security.as_ref());
        let mut security = Vec::new();
        for requirement in requirements.into_iter().flatten() {
            for scheme in requirement.keys() {
                match schemes.iter().position(|s| &s.key == scheme) {
                    Some(index) if !security.contains(&index) => security.push(index),
                    Some(_) => {}
                    // Undefined or unsupported: the operation is generated without it.
                    None => self.warn(
                        &pointer_join(pointer, "security"),
                        format!("security scheme `{scheme}` is not defined or not supported; it is ignored"),
                    ),
                }
            }
        }

        Ok(Operation {
            name,
            method: match method {
                "get" => Method::Get,
                "put" => Method::Put,
                "post" => Method::Post,
                "delete" => Method::Delete,
                "options" => Method::Options,
                "head" => Method::Head,
                "patch" => Method::Patch,
                _ => Method::Trace,
            },
            path: template,
            summary: text(&op.summary).or_else(|| text(&item.summary)),
            description: text(&op.description).or_else(|| text(&item.description)),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            parameters,
            body,
            responses,
            security,
            pointer: pointer.to_owned(),
        })
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

    fn parameter(
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
        let (ty, constraints, example) = match &data.format {
            oa::ParameterSchemaOrContent::Schema(schema) => {
                let schema_pointer = pointer_join(&pointer, "schema");
                let ty = self.type_ref(schema, &hint, &schema_pointer)?;
                let (constraints, example) = match schema {
                    ReferenceOr::Item(schema) => (constraints(schema), schema.schema_data.example.clone()),
                    ReferenceOr::Reference { .. } => (Constraints::default(), None),
                };
                (ty, constraints, example)
            }
            oa::ParameterSchemaOrContent::Content(_) => {
                self.warn(&pointer, "a parameter described by `content` is sent as a string");
                (TypeRef::String(StringFormat::Plain), Constraints::default(), None)
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
            explode: data.explode.unwrap_or(explode_default),
            style: match &parameter {
                oa::Parameter::Query { style: oa::QueryStyle::SpaceDelimited, .. } => QueryStyle::SpaceDelimited,
                oa::Parameter::Query { style: oa::QueryStyle::PipeDelimited, .. } => QueryStyle::PipeDelimited,
                oa::Parameter::Query { style: oa::QueryStyle::DeepObject, .. } => QueryStyle::DeepObject,
                _ => QueryStyle::Form,
            },
        })
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<oa::RequestBody>,
        operation: &str,
        pointer: &str,
    ) -> Result<RequestBody, Error> {
        let (body, pointer) = self.resolve_with_pointer(body, pointer)?;
        let Some((media_type, media)) = pick_media_type(&body.content) else {
            return Err(Error::at(self.file, &pointer, "the request body has no content")
                .help("add a media type such as `application/json` under `content`"));
        };
        let encoding = encoding_of(media_type);
        let media_pointer = pointer_join(&pointer_join(&pointer, "content"), media_type);
        let hint = format!("{}Body", operation.to_upper_camel_case());
        let ty = self.media_type(media, encoding, &hint, &media_pointer)?;
        Ok(RequestBody {
            required: body.required,
            description: text(&body.description),
            media_type: media_type.to_owned(),
            encoding,
            ty,
            example: media_example(media),
        })
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
                let ty = self.media_type(media, encoding, hint, &media_pointer)?;
                Some(ResponseBody { media_type: media_type.to_owned(), encoding, ty, example: media_example(media) })
            }
        };
        Ok(Response { status, description: response.description.clone(), body })
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

    /// A schema where a type is used: a reference, a primitive, or an inline
    /// object or enum that gets a name from `hint`.
    fn type_ref(&mut self, schema: &ReferenceOr<oa::Schema>, hint: &str, pointer: &str) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn boxed_type_ref(
        &mut self,
        schema: &ReferenceOr<Box<oa::Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn schema_ref(&mut self, reference: &str, used_at: &str) -> Result<TypeRef, Error> {
        if let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) {
            let name = unescape_pointer_token(name);
            return match self.component_types.get(&name) {
                Some(&index) => Ok(TypeRef::Named(index)),
                None => Err(self.dangling(reference, used_at)),
            };
        }
        // Any other local reference: follow it and lower what is there.
        let target_pointer = self.local_pointer(reference, used_at)?;
        if self.resolving.len() >= MAX_REF_DEPTH || self.resolving.iter().any(|r| r == reference) {
            return Err(Error::at(
                self.file,
                used_at,
                format!("`$ref: {reference}` refers to itself through schemas outside components.schemas"),
            )
            .help("move the recursive schema under components.schemas so it gets a name"));
        }
        let schema: ReferenceOr<oa::Schema> = self.lookup(&target_pointer, reference, used_at)?;
        self.resolving.push(reference.to_owned());
        let hint = target_pointer.rsplit('/').next().unwrap_or("Schema").to_upper_camel_case();
        let result = self.type_ref(&schema, &hint, &target_pointer);
        self.resolving.pop();
        result
    }

    fn inline(&mut self, schema: &oa::Schema, hint: &str, pointer: &str) -> Result<TypeRef, Error> {
        use oa::{SchemaKind, Type};
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if string.enumeration.iter().flatten().next().is_some() {
                    self.lift(schema, hint, pointer)?
                } else {
                    TypeRef::String(string_format(&string.format))
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => TypeRef::Integer(match &integer.format {
                oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int32) => IntegerFormat::Int32,
                _ => IntegerFormat::Int64,
            }),
            SchemaKind::Type(Type::Number(number)) => TypeRef::Number(match &number.format {
                oa::VariantOrUnknownOrEmpty::Item(oa::NumberFormat::Float) => NumberFormat::Float,
                _ => NumberFormat::Double,
            }),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(array)) => self.array(array.items.as_ref(), hint, pointer)?,
            SchemaKind::Type(Type::Object(object)) => {
                if object.properties.is_empty() {
                    self.map(object.additional_properties.as_ref(), hint, pointer)?
                } else {
                    self.lift(schema, hint, pointer)?
                }
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_ref(&all_of[0], hint, &format!("{pointer}/allOf/0"))?
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("null") => TypeRef::Any,
            SchemaKind::Any(any) => self.any_schema(schema, any, hint, pointer)?,
            SchemaKind::AllOf { .. } => self.lift(schema, hint, pointer)?,
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let members: Vec<&ReferenceOr<oa::Schema>> = members.iter().filter(|m| !is_null(m)).collect();
                match members.as_slice() {
                    [] => TypeRef::Any,
                    // `oneOf: [X, null]`: X, nullable where it is used.
                    [only] => self.type_ref(only, hint, pointer)?,
                    _ => self.lift(schema, hint, pointer)?,
                }
            }
            SchemaKind::Not { .. } => {
                self.warn(pointer, "`not` can't be expressed as a type; it is generated as any JSON value");
                TypeRef::Any
            }
        })
    }

    /// openapiv3's catch-all: no `type`, or a mix it can't classify.
    fn any_schema(
        &mut self,
        schema: &oa::Schema,
        any: &oa::AnySchema,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        if !any.properties.is_empty() {
            return self.lift(schema, hint, pointer);
        }
        if any.typ.as_deref() == Some("array") || any.items.is_some() {
            return self.array(any.items.as_ref(), hint, pointer);
        }
        if any.typ.as_deref() == Some("object") || any.additional_properties.is_some() {
            return self.map(any.additional_properties.as_ref(), hint, pointer);
        }
        Ok(TypeRef::Any)
    }

    fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<oa::Schema>>>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let item = match items {
            Some(items) => self.boxed_type_ref(items, &format!("{hint}Item"), &pointer_join(pointer, "items"))?,
            None => TypeRef::Any,
        };
        Ok(TypeRef::Array(Box::new(item)))
    }

    fn map(
        &mut self,
        additional: Option<&oa::AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let value = match additional {
            Some(oa::AdditionalProperties::Schema(schema)) => {
                self.type_ref(schema, &format!("{hint}Value"), &pointer_join(pointer, "additionalProperties"))?
            }
            _ => TypeRef::Any,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// Gives an inline object or enum a name of its own.
    fn lift(&mut self, schema: &oa::Schema, hint: &str, pointer: &str) -> Result<TypeRef, Error> {
        let name = self.type_names.claim(&hint.to_upper_camel_case());
        let index = self.types.len();
        // Push a placeholder first so the name is taken while fields are lowered.
        self.types.push(TypeDef {
            name: name.clone(),
            description: None,
            deprecated: false,
            kind: TypeKind::Alias(TypeRef::Any),
            pointer: pointer.to_owned(),
        });
        let def = self.type_def(schema, &name, pointer)?;
        self.types[index] = def;
        Ok(TypeRef::Named(index))
    }

    /// The definition of a named type.
    fn type_def(&mut self, schema: &oa::Schema, name: &str, pointer: &str) -> Result<TypeDef, Error> {
        use oa::{SchemaKind, Type};
        let data = &schema.schema_data;
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => TypeKind::Object(self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                name,
                pointer,
            )?),
            SchemaKind::Any(any) if !any.properties.is_empty() => TypeKind::Object(self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                name,
                pointer,
            )?),
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                match self.merge_all_of(all_of, pointer, 0)? {
                    Some(merged) => TypeKind::Object(self.object(
                        &merged.properties,
                        &merged.required,
                        merged.additional.as_ref(),
                        name,
                        pointer,
                    )?),
                    None => {
                        self.warn(pointer, "allOf of schemas that are not all objects is not typed yet; it is generated as any JSON value");
                        TypeKind::Alias(TypeRef::Any)
                    }
                }
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
                if members.iter().filter(|m| !is_null(m)).count() > 1 =>
            {
                TypeKind::Union(self.union(members, data.discriminator.as_ref(), name, pointer)?)
            }
            SchemaKind::Type(Type::String(string)) if string.enumeration.iter().flatten().next().is_some() => {
                // Documents repeat values; each becomes one variant.
                let mut values: Vec<String> = Vec::new();
                for value in string.enumeration.iter().flatten() {
                    if !values.contains(value) {
                        values.push(value.clone());
                    }
                }
                TypeKind::StringEnum(values)
            }
            _ => TypeKind::Alias(self.inline(schema, name, pointer)?),
        };
        Ok(TypeDef {
            name: name.to_owned(),
            description: text(&data.description).or_else(|| text(&data.title)),
            deprecated: data.deprecated,
            kind,
            pointer: pointer.to_owned(),
        })
    }

    fn object(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<oa::Schema>>>,
        required: &[String],
        additional: Option<&oa::AdditionalProperties>,
        parent: &str,
        pointer: &str,
    ) -> Result<ObjectType, Error> {
        let mut fields = Vec::with_capacity(properties.len());
        for (name, property) in properties {
            let property_pointer = pointer_join(&pointer_join(pointer, "properties"), name);
            let hint = format!("{parent}{}", name.to_upper_camel_case());
            let ty = self.boxed_type_ref(property, &hint, &property_pointer)?;
            let (data, constraints) = match property {
                ReferenceOr::Item(schema) => (Some(&schema.schema_data), constraints(schema)),
                ReferenceOr::Reference { .. } => (None, Constraints::default()),
            };
            fields.push(Field {
                name: name.clone(),
                description: data.and_then(|d| text(&d.description).or_else(|| text(&d.title))),
                ty,
                required: required.contains(name),
                nullable: data.is_some_and(|d| d.nullable) || has_null_member(property),
                deprecated: data.is_some_and(|d| d.deprecated),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                constraints,
                example: data.and_then(|d| d.example.clone().or_else(|| d.default.clone())),
                default: data.and_then(|d| d.default.clone()),
            });
        }
        for name in required {
            if !properties.contains_key(name) {
                self.warn(pointer, format!("required property `{name}` is not among the properties; it is ignored"));
            }
        }
        let additional = match additional {
            Some(oa::AdditionalProperties::Schema(schema)) => Some(self.type_ref(
                schema,
                &format!("{parent}Value"),
                &pointer_join(pointer, "additionalProperties"),
            )?),
            Some(oa::AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(oa::AdditionalProperties::Any(false)) | None => None,
        };
        Ok(ObjectType { fields, additional })
    }

    /// A schema that is only a `$ref` to itself, directly or through other
    /// such schemas, describes no value at all.
    fn check_alias_cycles(&self) -> Result<(), Error> {
        for (start, def) in self.types.iter().enumerate() {
            let mut chain = vec![start];
            let mut current = &def.kind;
            while let TypeKind::Alias(TypeRef::Named(next)) = current {
                if chain.contains(next) {
                    let names: Vec<&str> = chain.iter().chain([next]).map(|i| self.types[*i].name.as_str()).collect();
                    return Err(Error::at(
                        self.file,
                        &def.pointer,
                        format!("the schemas {} only refer to each other and describe no value", names.join(" → ")),
                    )
                    .help("give one of them a type or properties"));
                }
                chain.push(*next);
                current = &self.types[*next].kind;
            }
        }
        Ok(())
    }

    /// The variants of a `oneOf`/`anyOf` (nulls left out: they make the use
    /// site nullable) and its discriminator.
    fn union(
        &mut self,
        members: &[ReferenceOr<oa::Schema>],
        discriminator: Option<&oa::Discriminator>,
        name: &str,
        pointer: &str,
    ) -> Result<UnionType, Error> {
        let mut variants = Vec::new();
        for (position, member) in members.iter().enumerate() {
            if is_null(member) {
                continue;
            }
            let hint = format!("{name}{}", position + 1);
            variants.push(self.type_ref(member, &hint, &format!("{pointer}/oneOf/{position}"))?);
        }
        let discriminator = discriminator.map(|d| {
            let variant_of = |schema_name: &str| {
                let index = self.component_types.get(schema_name)?;
                variants.iter().position(|v| *v == TypeRef::Named(*index))
            };
            let mapping = if d.mapping.is_empty() {
                // Without a mapping, each variant's schema name is its value.
                variants
                    .iter()
                    .enumerate()
                    .filter_map(|(position, variant)| match variant {
                        TypeRef::Named(index) => Some((self.types[*index].name.clone(), position)),
                        _ => None,
                    })
                    .collect()
            } else {
                d.mapping
                    .iter()
                    .filter_map(|(value, target)| {
                        let schema_name = target.strip_prefix(SCHEMA_PREFIX).unwrap_or(target);
                        variant_of(&unescape_pointer_token(schema_name)).map(|position| (value.clone(), position))
                    })
                    .collect()
            };
            Discriminator { property: d.property_name.clone(), mapping }
        });
        Ok(UnionType { variants, discriminator })
    }

    /// The properties of every part of an `allOf`, when all parts are objects.
    fn merge_all_of(
        &mut self,
        parts: &[ReferenceOr<oa::Schema>],
        pointer: &str,
        depth: usize,
    ) -> Result<Option<MergedObject>, Error> {
        if depth > MAX_REF_DEPTH {
            return Ok(None);
        }
        let mut merged = MergedObject::default();
        for (position, part) in parts.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{position}");
            let schema: oa::Schema = match part {
                ReferenceOr::Item(schema) => schema.clone(),
                ReferenceOr::Reference { reference } => {
                    let target = self.local_pointer(reference, &part_pointer)?;
                    self.lookup(&target, reference, &part_pointer)?
                }
            };
            use oa::{SchemaKind, Type};
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    merged.add(&object.properties, &object.required, object.additional_properties.as_ref())
                }
                SchemaKind::Any(any) if any.typ.is_none() || any.typ.as_deref() == Some("object") => {
                    merged.add(&any.properties, &any.required, any.additional_properties.as_ref())
                }
                SchemaKind::AllOf { all_of } => match self.merge_all_of(all_of, &part_pointer, depth + 1)? {
                    Some(inner) => merged.add(&inner.properties, &inner.required, inner.additional.as_ref()),
                    None => return Ok(None),
                },
                _ => return Ok(None),
            }
        }
        Ok(Some(merged))
    }

    // --- references ---

    /// Resolves a `$ref` to a component of any kind by JSON pointer.
    fn resolve<T: DeserializeOwned + Clone>(&self, item: &ReferenceOr<T>, pointer: &str) -> Result<T, Error> {
        Ok(self.resolve_with_pointer(item, pointer)?.0)
    }

    /// Like `resolve`, also returning where the resolved item is, for messages.
    fn resolve_with_pointer<T: DeserializeOwned + Clone>(
        &self,
        item: &ReferenceOr<T>,
        pointer: &str,
    ) -> Result<(T, String), Error> {
        let mut item = item.clone();
        let mut pointer = pointer.to_owned();
        // References to references are allowed; a cycle of them is not.
        for _ in 0..MAX_REF_DEPTH {
            match item {
                ReferenceOr::Item(value) => return Ok((value, pointer)),
                ReferenceOr::Reference { reference } => {
                    let target = self.local_pointer(&reference, &pointer)?;
                    item = self.lookup(&target, &reference, &pointer)?;
                    pointer = target;
                }
            }
        }
        Err(Error::at(self.file, &pointer, "this `$ref` leads to a cycle of references")
            .help("make one of the references point at a definition"))
    }

    /// Checks a `$ref` is local (`#/...`) and returns its JSON pointer.
    fn local_pointer(&self, reference: &str, used_at: &str) -> Result<String, Error> {
        match reference.strip_prefix('#') {
            Some(pointer) => Ok(pointer.to_owned()),
            None => Err(Error::at(
                self.file,
                used_at,
                format!("`$ref: {reference}` points into another file, which is not supported"),
            )
            .help("bundle the document into one file first, e.g. `npx @redocly/cli bundle in.yaml -o out.yaml`")),
        }
    }

    fn lookup<T: DeserializeOwned>(&self, target: &str, reference: &str, used_at: &str) -> Result<T, Error> {
        let value = self.raw.pointer(target).ok_or_else(|| self.dangling(reference, used_at))?;
        serde_path_to_error::deserialize(value).map_err(|error| {
            Error::at(self.file, target, format!("`$ref: {reference}` (used at #{used_at}) points at something that is not what is expected here: {}", error.inner()))
        })
    }

    fn dangling(&self, reference: &str, used_at: &str) -> Error {
        Error::at(self.file, used_at, format!("`$ref: {reference}` points at nothing"))
            .help("check the spelling, or define what it refers to")
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.to_owned(), message: message.into() });
    }
}

/// The properties of an `allOf`'s parts, merged in order.
#[derive(Default)]
struct MergedObject {
    properties: indexmap::IndexMap<String, ReferenceOr<Box<oa::Schema>>>,
    required: Vec<String>,
    additional: Option<oa::AdditionalProperties>,
}

impl MergedObject {
    fn add(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<oa::Schema>>>,
        required: &[String],
        additional: Option<&oa::AdditionalProperties>,
    ) {
        for (name, schema) in properties {
            // A later part that repeats a property (often to narrow it) wins.
            self.properties.insert(name.clone(), schema.clone());
        }
        for name in required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
        if additional.is_some() {
            self.additional = additional.cloned();
        }
    }
}

/// `oneOf`/`anyOf` with a `{type: "null"}` member.
fn has_null_member(schema: &ReferenceOr<Box<oa::Schema>>) -> bool {
    let ReferenceOr::Item(schema) = schema else { return false };
    match &schema.schema_kind {
        oa::SchemaKind::OneOf { one_of: members } | oa::SchemaKind::AnyOf { any_of: members } => {
            members.iter().any(is_null)
        }
        _ => false,
    }
}

/// `{type: "null"}`: the member of a `oneOf`/`anyOf` that makes it nullable.
fn is_null(schema: &ReferenceOr<oa::Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if matches!(&s.schema_kind, oa::SchemaKind::Any(any) if any.typ.as_deref() == Some("null")))
}

/// A description, or `None` when it is missing or blank.
fn text(description: &Option<String>) -> Option<String> {
    description.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned)
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
fn derived_name(method: &str, path: &str) -> String {
    let words: String = path
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_upper_camel_case())
        .collect();
    format!("{method}{words}").to_lower_camel_case()
}

fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn server(server: &oa::Server) -> Server {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    Server { url, description: server.description.clone() }
}

fn rust_crate_options(extensions: &indexmap::IndexMap<String, Value>) -> RustCrateOptions {
    let Some(options) = extensions.get("x-rust-crate") else {
        return RustCrateOptions::default();
    };
    let text = |key: &str| options.get(key).and_then(Value::as_str).map(str::to_owned);
    RustCrateOptions {
        name: text("name"),
        repository: text("repository"),
        keywords: options
            .get("keywords")
            .and_then(Value::as_array)
            .map(|keywords| keywords.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
    }
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

fn media_example(media: &oa::MediaType) -> Option<Value> {
    media.example.clone().or_else(|| {
        media.examples.values().find_map(|example| match example {
            ReferenceOr::Item(example) => example.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    })
}

fn string_format(format: &oa::VariantOrUnknownOrEmpty<oa::StringFormat>) -> StringFormat {
    match format {
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::DateTime) => StringFormat::DateTime,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Date) => StringFormat::Date,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Byte) => StringFormat::Byte,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary) => StringFormat::Binary,
        oa::VariantOrUnknownOrEmpty::Unknown(other) => match other.as_str() {
            "uri" | "url" => StringFormat::Uri,
            "uuid" => StringFormat::Uuid,
            "email" => StringFormat::Email,
            _ => StringFormat::Plain,
        },
        _ => StringFormat::Plain,
    }
}

fn constraints(schema: &oa::Schema) -> Constraints {
    use oa::{SchemaKind, Type};
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Constraints {
            min_length: s.min_length,
            max_length: s.max_length,
            pattern: s.pattern.clone(),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Integer(i)) => Constraints {
            minimum: i.minimum.map(|n| n as f64),
            maximum: i.maximum.map(|n| n as f64),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Number(n)) => {
            Constraints { minimum: n.minimum, maximum: n.maximum, ..Constraints::default() }
        }
        SchemaKind::Type(Type::Array(a)) => {
            Constraints { min_items: a.min_items, max_items: a.max_items, ..Constraints::default() }
        }
        _ => Constraints::default(),
    }
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
