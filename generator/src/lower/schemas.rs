//! Schemas → types: inline ones get names from where they sit, `allOf`
//! merges, `oneOf`/`anyOf` become unions.

use heck::ToUpperCamelCase;
use openapiv3::{self as oa, ReferenceOr};

use super::Lowerer;
use super::references::{MAX_REF_DEPTH, SCHEMA_PREFIX, unescape_pointer_token};
use super::text;
use crate::error::{Error, pointer_join};
use crate::ir::*;

impl Lowerer<'_> {
    /// A schema where a type is used: a reference, a primitive, or an inline
    /// object or enum that gets a name from `hint`.
    pub(super) fn type_ref(
        &mut self,
        schema: &ReferenceOr<oa::Schema>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
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

    pub(super) fn inline(&mut self, schema: &oa::Schema, hint: &str, pointer: &str) -> Result<TypeRef, Error> {
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
            // `allOf: [{$ref: X}, {description: …}]` (AWS writes every
            // property so) is X: the other parts only annotate it.
            SchemaKind::AllOf { all_of } if let Some(position) = only_ref_among_annotations(all_of) => {
                self.type_ref(&all_of[position], hint, &format!("{pointer}/allOf/{position}"))?
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
        // Object and array keywords constrain only objects and arrays: with a
        // scalar `type`, a value is that scalar (`type: string` with
        // `additionalProperties: true` is a string).
        match any.typ.as_deref() {
            Some("string") => return Ok(TypeRef::String(StringFormat::Plain)),
            Some("integer") => return Ok(TypeRef::Integer(IntegerFormat::Int64)),
            Some("number") => return Ok(TypeRef::Number(NumberFormat::Double)),
            Some("boolean") => return Ok(TypeRef::Boolean),
            _ => {}
        }
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
        let items_pointer = pointer_join(pointer, "items");
        let item = match items {
            Some(items) => {
                let item = self.boxed_type_ref(items, &format!("{hint}Item"), &items_pointer)?;
                self.or_null(item, items, &items_pointer)
            }
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
        let values_pointer = pointer_join(pointer, "additionalProperties");
        let value = match additional {
            Some(oa::AdditionalProperties::Schema(schema)) => {
                let value = self.type_ref(schema, &format!("{hint}Value"), &values_pointer)?;
                self.or_null(value, schema, &values_pointer)
            }
            _ => TypeRef::Any,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// `ty`, or `ty` or `null` if `schema` admits `null` (`Any` holds
    /// `null` already): for an array's items and a map's values.
    fn or_null<S: serde::Serialize>(&self, ty: TypeRef, schema: &ReferenceOr<S>, pointer: &str) -> TypeRef {
        if ty != TypeRef::Any && self.admits_null(schema, pointer) { TypeRef::Nullable(Box::new(ty)) } else { ty }
    }

    /// Whether `schema`, at `pointer`, admits `null` (see [`admits_null`]).
    /// Read from the document where it is there; a property an `allOf`
    /// merged in from another schema is not, and is read from `schema`.
    fn admits_null<S: serde::Serialize>(&self, schema: &ReferenceOr<S>, pointer: &str) -> bool {
        match schema {
            ReferenceOr::Reference { reference } => admits_null(self.raw, &serde_json::json!({ "$ref": reference })),
            ReferenceOr::Item(_) => match self.raw.pointer(pointer) {
                Some(raw) => admits_null(self.raw, raw),
                None => serde_json::to_value(schema).is_ok_and(|value| admits_null(self.raw, &value)),
            },
        }
    }

    /// Gives an inline object or enum a name of its own.
    fn lift(&mut self, schema: &oa::Schema, hint: &str, pointer: &str) -> Result<TypeRef, Error> {
        let name = self.type_names.claim(&hint.to_upper_camel_case());
        let index = TypeIndex(self.types.len());
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
    pub(super) fn type_def(&mut self, schema: &oa::Schema, name: &str, pointer: &str) -> Result<TypeDef, Error> {
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
            SchemaKind::AllOf { all_of } if let Some(position) = only_ref_among_annotations(all_of) => {
                TypeKind::Alias(self.type_ref(&all_of[position], name, &format!("{pointer}/allOf/{position}"))?)
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                let warnings_before = self.warnings.len();
                match self.merge_all_of(all_of, pointer, 0)? {
                    Some(merged) => {
                        // The merged properties are lowered here, inside this
                        // type: while they are, a part that refers back to a
                        // schema being merged would unroll forever.
                        let references = referenced(all_of);
                        self.merging.extend(references.iter().cloned());
                        let object = self.object(
                            &merged.properties,
                            &merged.required,
                            merged.additional.as_ref(),
                            name,
                            pointer,
                        );
                        self.merging.truncate(self.merging.len() - references.len());
                        TypeKind::Object(object?)
                    }
                    None => {
                        if self.warnings.len() == warnings_before {
                            self.warn(pointer, "allOf of schemas that are not all objects is not typed yet; it is generated as any JSON value");
                        }
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
        let properties_pointer = pointer_join(pointer, "properties");
        for (name, property) in properties {
            let property_pointer = pointer_join(&properties_pointer, name);
            let ty = match property {
                ReferenceOr::Reference { reference } => self.schema_ref(reference, &property_pointer)?,
                // What an inline schema is named if it becomes a type of its own.
                ReferenceOr::Item(schema) => {
                    self.inline(schema, &format!("{parent}{}", name.to_upper_camel_case()), &property_pointer)?
                }
            };
            let (data, constraints) = match property {
                ReferenceOr::Item(schema) => (Some(&schema.schema_data), constraints(schema)),
                ReferenceOr::Reference { .. } => (None, Constraints::default()),
            };
            fields.push(Field {
                name: name.clone(),
                description: data.and_then(|d| text(&d.description).or_else(|| text(&d.title))),
                ty,
                required: required.contains(name),
                nullable: self.admits_null(property, &property_pointer),
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
        let closed = matches!(additional, Some(oa::AdditionalProperties::Any(false)));
        let additional = match additional {
            Some(oa::AdditionalProperties::Schema(schema)) => {
                let values_pointer = pointer_join(pointer, "additionalProperties");
                let value = self.type_ref(schema, &format!("{parent}Value"), &values_pointer)?;
                Some(self.or_null(value, schema, &values_pointer))
            }
            Some(oa::AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(oa::AdditionalProperties::Any(false)) | None => None,
        };
        Ok(ObjectType { fields, additional, closed })
    }

    /// A schema that is only a `$ref` to itself, directly or through other
    /// such schemas, describes no value at all.
    pub(super) fn check_alias_cycles(&self) -> Result<(), Error> {
        // Each alias is followed once in all (linear in the number of
        // types): a walk stops at a type an earlier walk already cleared.
        #[derive(Clone, Copy, PartialEq)]
        enum Seen {
            No,
            OnThisWalk,
            Cleared,
        }
        let mut seen = vec![Seen::No; self.types.len()];
        for (start, def) in self.types.iter().enumerate().map(|(start, def)| (TypeIndex(start), def)) {
            let mut chain = vec![start];
            seen[start] = Seen::OnThisWalk;
            let mut current = &def.kind;
            while let TypeKind::Alias(TypeRef::Named(next)) = current {
                match seen[*next] {
                    Seen::Cleared => break,
                    Seen::OnThisWalk => {
                        let names: Vec<&str> =
                            chain.iter().chain([next]).map(|i| self.types[*i].name.as_str()).collect();
                        return Err(Error::at(
                            self.file,
                            &def.pointer,
                            format!("the schemas {} only refer to each other and describe no value", names.join(" → ")),
                        )
                        .help("give one of them a type or properties"));
                    }
                    Seen::No => {}
                }
                chain.push(*next);
                seen[*next] = Seen::OnThisWalk;
                current = &self.types[*next].kind;
            }
            for member in chain {
                seen[member] = Seen::Cleared;
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
            self.warn(
                pointer,
                format!(
                    "allOf parts nest more than {MAX_REF_DEPTH} levels deep through $refs; this part is generated as any JSON value"
                ),
            );
            return Ok(None);
        }
        let mut merged = MergedObject::default();
        for (position, part) in parts.iter().enumerate() {
            let mut part_pointer = format!("{pointer}/allOf/{position}");
            let schema: oa::Schema = match part {
                ReferenceOr::Item(schema) => schema.clone(),
                ReferenceOr::Reference { reference } => {
                    if self.merging.contains(reference) {
                        self.warn(
                            &part_pointer,
                            format!(
                                "`{reference}` contains itself through allOf; this part is generated as any JSON value"
                            ),
                        );
                        return Ok(None);
                    }
                    let target = self.local_pointer(reference, &part_pointer)?;
                    let schema = self.lookup(&target, reference, &part_pointer)?;
                    // What the target holds is found where it is written.
                    part_pointer = target;
                    schema
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

/// Gives each open object that is a branch of a union a catch-all for the
/// properties it doesn't name (`additionalProperties` of any value), so what
/// the chosen branch doesn't name is kept: decoding a value and writing it
/// back gives the same JSON. A branch that allows no other properties
/// (`additionalProperties: false`), or says what they hold, is left as it is.
pub(super) fn keep_others_in_union_branches(types: &mut [TypeDef]) {
    let mut branches = Vec::new();
    for def in types.iter() {
        let TypeKind::Union(union) = &def.kind else { continue };
        for variant in &union.variants {
            let mut ty = variant.non_null();
            // Aliases lead to the branch's type; a cycle of them was refused.
            for _ in 0..MAX_REF_DEPTH {
                match ty {
                    TypeRef::Named(index) => match types.get(index.0).map(|def| &def.kind) {
                        Some(TypeKind::Alias(target)) => ty = target.non_null(),
                        Some(TypeKind::Object(_)) => {
                            branches.push(*index);
                            break;
                        }
                        _ => break,
                    },
                    _ => break,
                }
            }
        }
    }
    for index in branches {
        if let TypeKind::Object(object) = &mut types[index].kind
            && object.additional.is_none()
            && !object.closed
        {
            object.additional = Some(TypeRef::Any);
        }
    }
}

/// Whether a schema (raw JSON) admits `null`, following `$ref`s: OpenAPI
/// 3.0.3's `nullable: true` (which loading also writes for 3.1's `type`
/// lists with `"null"`), `type: "null"`, a `oneOf`/`anyOf` with a member
/// that admits it, or an `allOf` all of whose parts do (annotations, which
/// constrain nothing, do). So a property whose `$ref` leads to a nullable
/// component, directly, through other `$ref`s or through an `allOf` wrapper,
/// is nullable where it is used.
fn admits_null(raw: &serde_json::Value, schema: &serde_json::Value) -> bool {
    fn walk(raw: &serde_json::Value, schema: &serde_json::Value, depth: usize) -> bool {
        let Some(schema) = schema.as_object() else { return false };
        if depth == 0 {
            return false;
        }
        if let Some(reference) = schema.get("$ref").and_then(serde_json::Value::as_str) {
            let target = reference.strip_prefix('#').map(crate::error::percent_decode);
            return target.and_then(|pointer| raw.pointer(&pointer)).is_some_and(|target| walk(raw, target, depth - 1));
        }
        if schema.get("nullable") == Some(&serde_json::Value::Bool(true))
            || schema.get("type").and_then(serde_json::Value::as_str) == Some("null")
        {
            return true;
        }
        let members = |key| schema.get(key).and_then(serde_json::Value::as_array);
        if ["oneOf", "anyOf"].into_iter().filter_map(members).flatten().any(|member| walk(raw, member, depth - 1)) {
            return true;
        }
        // Only an `allOf` that says nothing else (`{allOf: [..], type: object}`
        // wants an object) and has a part that is more than annotations.
        let only_annotates = |schema: &serde_json::Map<String, serde_json::Value>, but: &str| {
            schema.keys().all(|key| key == but || is_annotation(key))
        };
        match members("allOf") {
            Some(parts) if only_annotates(schema, "allOf") => {
                let annotation =
                    |part: &serde_json::Value| part.as_object().is_some_and(|part| only_annotates(part, ""));
                parts.iter().any(|part| !annotation(part))
                    && parts.iter().all(|part| annotation(part) || walk(raw, part, depth - 1))
            }
            _ => false,
        }
    }
    walk(raw, schema, MAX_REF_DEPTH)
}

/// Keywords that describe a schema without constraining its values.
fn is_annotation(key: &str) -> bool {
    const ANNOTATIONS: &[&str] = &[
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "nullable",
    ];
    ANNOTATIONS.contains(&key) || key.starts_with("x-")
}

/// `{type: "null"}`: the member of a `oneOf`/`anyOf` that makes it nullable.
fn is_null(schema: &ReferenceOr<oa::Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if matches!(&s.schema_kind, oa::SchemaKind::Any(any) if any.typ.as_deref() == Some("null")))
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

pub(super) fn constraints(schema: &oa::Schema) -> Constraints {
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

/// The position of the one `$ref` in an `allOf` whose other parts only
/// annotate (no type, properties or composition of their own).
fn only_ref_among_annotations(parts: &[ReferenceOr<oa::Schema>]) -> Option<usize> {
    let mut reference = None;
    for (position, part) in parts.iter().enumerate() {
        match part {
            ReferenceOr::Reference { .. } if reference.is_none() => reference = Some(position),
            ReferenceOr::Reference { .. } => return None,
            ReferenceOr::Item(schema) => match &schema.schema_kind {
                oa::SchemaKind::Any(any) if *any == oa::AnySchema::default() => {}
                _ => return None,
            },
        }
    }
    reference
}

/// The `$ref`s among an `allOf`'s parts.
fn referenced(parts: &[ReferenceOr<oa::Schema>]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|part| match part {
            ReferenceOr::Reference { reference } => Some(reference.clone()),
            ReferenceOr::Item(_) => None,
        })
        .collect()
}
