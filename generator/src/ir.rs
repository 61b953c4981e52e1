//! The intermediate representation: what every emitter reads.
//!
//! Only `load` and `lower` know openapiv3; this module is the contract between
//! them and the emitters. It keeps the API's own words (wire names, schema
//! keys, descriptions) and leaves naming in a target language to each emitter.
//! Every list is in document order, so output is deterministic.

use std::fmt;

use serde_json::Value;

/// One API: everything an emitter needs, already resolved and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`, e.g. "Kanuu".
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, Markdown.
    pub description: Option<String>,
    /// `info.license`, as an SPDX expression when the document names one.
    pub license: Option<String>,
    /// `info.contact.url`: the API's home page.
    pub homepage: Option<String>,
    /// Where the API is served; the first one is the default.
    pub servers: Vec<Server>,
    /// Every security scheme operations refer to, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Every operation, in document order (paths, then methods in a fixed order).
    /// The tags the document declares, in its order.
    pub tags: Vec<Tag>,
    pub operations: Vec<Operation>,
    /// Every named type: component schemas first, then inline schemas that
    /// needed a name. `TypeRef::Named` indexes into this list.
    pub types: Vec<TypeDef>,
    /// The requests the API sends to its users: webhooks, then the
    /// operations' callbacks, in document order.
    pub webhooks: Vec<Webhook>,
    /// Options the document gives the Rust emitter (`info.x-rust-crate`).
    pub rust_crate: RustCrateOptions,
}

/// Where a type is in [`Api::types`]: what a [`TypeRef::Named`] names.
/// `api.types[index]` is the type, and any list with an entry per type
/// (the plan's) is indexed by it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeIndex(pub usize);

/// Lets a list (a slice or a `Vec`) be indexed by an index newtype, so an
/// index into one list can't be used for another.
macro_rules! indexes_lists {
    ($index:ty) => {
        impl<T> ::std::ops::Index<$index> for [T] {
            type Output = T;

            fn index(&self, index: $index) -> &T {
                &self[index.0]
            }
        }

        impl<T> ::std::ops::IndexMut<$index> for [T] {
            fn index_mut(&mut self, index: $index) -> &mut T {
                &mut self[index.0]
            }
        }

        impl<T> ::std::ops::Index<$index> for Vec<T> {
            type Output = T;

            fn index(&self, index: $index) -> &T {
                &self[index.0]
            }
        }

        impl<T> ::std::ops::IndexMut<$index> for Vec<T> {
            fn index_mut(&mut self, index: $index) -> &mut T {
                &mut self[index.0]
            }
        }
    };
}
pub(crate) use indexes_lists;

indexes_lists!(TypeIndex);

impl Api {
    /// Each type with its id, in order.
    pub fn types(&self) -> impl Iterator<Item = (TypeIndex, &TypeDef)> {
        self.types.iter().enumerate().map(|(index, def)| (TypeIndex(index), def))
    }

    /// The type `id` names, if there is one.
    pub fn type_def(&self, id: TypeIndex) -> Option<&TypeDef> {
        self.types.get(id.0)
    }
}

/// Where a scheme is in [`Api::security_schemes`].
/// `api.security_schemes[id]` is the scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemeIndex(pub usize);

impl Api {
    /// The scheme `id` names, if there is one.
    pub fn scheme(&self, id: SchemeIndex) -> Option<&SecurityScheme> {
        self.security_schemes.get(id.0)
    }
}

indexes_lists!(SchemeIndex);

/// `info.x-rust-crate`: what a crate manifest needs that OpenAPI has no field for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RustCrateOptions {
    /// Package name; `--crate-name` wins over it, and it over the title.
    pub name: Option<String>,
    /// The repository the crate is published from.
    pub repository: Option<String>,
    /// crates.io keywords.
    pub keywords: Vec<String>,
}

/// A tag the document declares, for grouping operations.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub name: String,
    /// A short name to show (OpenAPI 3.2's `summary`, or `x-displayName`).
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The tag it is nested under (3.2).
    pub parent: Option<String>,
    /// What it is for (3.2): `nav` and no kind group operations for
    /// navigation; others (`badge`, `audience`) only label them.
    pub kind: Option<String>,
}

impl Tag {
    /// Whether operations are grouped by it in navigation.
    pub fn navigates(&self) -> bool {
        self.kind.as_deref().is_none_or(|kind| kind == "nav")
    }
}

/// A server the API is reachable at, with variables replaced by their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

/// How a caller proves who they are.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key under `components.securitySchemes`.
    pub key: String,
    pub description: Option<String>,
    pub kind: AuthKind,
    /// For an OAuth2 scheme (a `Bearer` token): the ways a client can get
    /// tokens itself.
    pub oauth2: OAuth2Grants,
}

/// The OAuth2 grants a client can use without a person present.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OAuth2Grants {
    /// `flows.clientCredentials`: tokens for the client's id and secret.
    pub client_credentials: Option<TokenEndpoint>,
    /// `flows.authorizationCode` (or `password`): where the refresh token
    /// a person's authorization gave is exchanged for access tokens.
    pub refresh_token: Option<TokenEndpoint>,
}

impl OAuth2Grants {
    pub fn any(&self) -> bool {
        self.client_credentials.is_some() || self.refresh_token.is_some()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TokenEndpoint {
    /// As written: absolute, or relative to the server's URL.
    pub url: String,
    /// The scopes to ask for: those the operations require of the scheme.
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic base64(user:password)`.
    Basic,
    /// A key sent as a header, query parameter or cookie of the given name.
    ApiKey { location: ParamLocation, name: String },
}

/// One operation: a method on a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// A unique name in lowerCamelCase words: the operationId when there is
    /// one, otherwise derived from the method and path.
    pub name: String,
    pub method: Method,
    pub path: PathTemplate,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Path, query, header and cookie parameters (path-level ones merged in).
    pub parameters: Vec<Parameter>,
    pub body: Option<RequestBody>,
    /// Documented responses in document order, `default` last.
    pub responses: Vec<Response>,
    /// The schemes this operation accepts; empty when it needs no
    /// authentication.
    pub security: Vec<SchemeIndex>,
    /// How its list pages, when it returns one a page at a time.
    pub paging: Option<Paging>,
    /// The JSON pointer of the operation in the document, for messages.
    pub pointer: String,
}

impl Operation {
    /// The success body that comes as a stream, if one does.
    pub fn streamed_success(&self) -> Option<(&ResponseBody, &Stream)> {
        let bodies = self.responses.iter().filter(|r| r.status.is_success()).filter_map(|r| r.body.as_ref());
        bodies.filter_map(|body| Some((body, body.stream.as_ref()?))).next()
    }

    /// The file examples save an answer of bytes to: the operation's name
    /// and the media type's usual extension, e.g. `export-report.pdf`.
    pub fn download_file_name(&self) -> String {
        let media_type = self.streamed_success().map_or("", |(body, _)| body.media_type.as_str());
        let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let extension = match essence.as_str() {
            "application/pdf" => "pdf",
            "application/zip" => "zip",
            "application/gzip" | "application/x-gzip" => "gz",
            "application/x-tar" => "tar",
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "image/gif" => "gif",
            "image/webp" => "webp",
            "audio/mpeg" => "mp3",
            "video/mp4" => "mp4",
            _ => "bin",
        };
        format!("{}.{extension}", heck::ToKebabCase::to_kebab_case(self.name.as_str()))
    }
}

/// A request the API sends to its users: an OpenAPI 3.1 webhook (or 3.0's
/// `x-webhooks`), or a callback of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// A unique name in lowerCamelCase words: the operationId when there is
    /// one, else the webhook's key (a callback's: the operation's name and
    /// the callback's key).
    pub name: String,
    /// The key it is declared under, as written: `newPet`, `onPaid`.
    pub key: String,
    /// For a callback: the operation that declares it and the runtime
    /// expression of the URL it is sent to.
    pub callback: Option<Callback>,
    pub method: Method,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The header parameters it is sent with.
    pub headers: Vec<Parameter>,
    /// Its payload.
    pub body: Option<RequestBody>,
    /// Headers whose value names this webhook among the others (a header
    /// of one possible value, or an event header's example:
    /// `X-GitHub-Event: issues`), as (name, value).
    pub event_headers: Vec<(String, String)>,
    /// How a receiver checks that the API sent it.
    pub signature: Option<Signature>,
    /// The JSON pointer of its operation in the document, for messages.
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    /// The name of the operation declaring it (see [`Operation::name`]).
    pub operation: String,
    /// Where it is sent, e.g. `{$request.body#/callbackUrl}`.
    pub expression: String,
}

/// A way deliveries are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// Standard Webhooks (standardwebhooks.com): `webhook-id`,
    /// `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256
    /// of "{id}.{timestamp}.{body}">`, with a `whsec_` secret.
    StandardWebhooks,
}

impl Api {
    /// Whether a receiver can check deliveries' signatures.
    pub fn signs_webhooks(&self) -> bool {
        self.webhooks.iter().any(|webhook| webhook.signature.is_some())
    }

    /// The properties of a payload that have one possible value (a `const`,
    /// or an enum of one value: GitHub's `action: opened`), as (wire name,
    /// value): with the event headers, they tell a delivery's webhook.
    pub fn fixed_fields(&self, ty: &TypeRef) -> Vec<(String, String)> {
        let TypeRef::Named(index) = ty.resolved(&self.types) else { return Vec::new() };
        let Some(TypeKind::Object(object)) = self.type_def(*index).map(|def| &def.kind) else { return Vec::new() };
        let single = |ty: &TypeRef| match ty.resolved(&self.types) {
            TypeRef::Named(index) => match self.type_def(*index).map(|def| &def.kind) {
                Some(TypeKind::StringEnum(values)) if values.len() == 1 => Some(values[0].clone()),
                _ => None,
            },
            _ => None,
        };
        object
            .fields
            .iter()
            .filter(|field| field.required && !field.nullable)
            .filter_map(|field| Some((field.name.clone(), single(&field.ty)?)))
            .collect()
    }
}

/// How a list operation's pages follow each other (`lower/paging.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// What declared it, for the pages: `x-ms-pageable`, `a Link header`.
    pub declared_by: String,
    pub next: NextPage,
    /// Where a page's items are: the properties from the body to the array
    /// (none when the body is the array).
    pub items: Vec<String>,
    /// The items' type.
    pub item: TypeRef,
    /// The query parameter that caps a page's length, and its default.
    pub limit: Option<(String, Option<u64>)>,
}

/// How the page after one is asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// `GET` the URL of the answer's `Link: <…>; rel="next"` header.
    LinkHeader,
    /// `GET` the URL (or path) the body holds at a place.
    Url(Vec<PathStep>),
    /// The same request with a query parameter set to the cursor the body
    /// holds at a place; with `alone`, the caller's other query parameters
    /// (but the limit) are not sent again (the cursor stands for them).
    Cursor { param: String, from: Vec<PathStep>, alone: bool },
    /// The same request with a query parameter advanced by the number of
    /// items read.
    Offset { param: String },
    /// The same request with a query parameter advanced by one, from `first`.
    PageNumber { param: String, first: i64 },
}

/// A step into a JSON body: a property, or an array's last item.
#[derive(Debug, Clone, PartialEq)]
pub enum PathStep {
    Property(String),
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// OpenAPI 3.2's `query`: a safe request with a body.
    Query,
    /// Any other method, from OpenAPI 3.2's `additionalOperations` (`LINK`).
    Other(MethodName),
}

impl Method {
    /// The method as it goes on the wire: `POST`.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(name) => name.as_str(),
        }
    }
}

/// A method's name as it goes on the wire: an HTTP token (RFC 9110) of up
/// to 16 characters, kept inline so that [`Method`] stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MethodName {
    bytes: [u8; 16],
    len: u8,
}

impl MethodName {
    /// The name, if it is a token of at most 16 characters.
    pub fn new(name: &str) -> Option<Self> {
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || name.len() > 16 || !name.bytes().all(token) {
            return None;
        }
        let mut bytes = [0; 16];
        bytes[..name.len()].copy_from_slice(name.as_bytes());
        Some(MethodName { bytes, len: name.len() as u8 })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl fmt::Debug for MethodName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A path such as `/users/{id}/posts`, split into literal text and parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct PathTemplate {
    /// The template as written in the document.
    pub template: String,
    /// Literal text and parameters in order; literals keep their slashes.
    pub parts: Vec<PathPart>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// A parameter, by its wire name.
    Parameter(String),
}

impl PathTemplate {
    /// The path with each parameter replaced by `fill(name)`.
    pub fn render(&self, mut fill: impl FnMut(&str) -> String) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                PathPart::Literal(text) => text.clone(),
                PathPart::Parameter(name) => fill(name),
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    pub ty: TypeRef,
    pub constraints: Constraints,
    /// The document's example, if it has one (see `Api::example_of`).
    pub example: Option<Value>,
    /// The schema's `default`: what the server uses when it is not sent.
    pub default: Option<Value>,
    /// Form style only: `true` sends arrays as `a=1&a=2`, `false` as `a=1,2`.
    pub explode: bool,
    /// How a query parameter's lists and objects are written.
    pub style: QueryStyle,
}

/// The `style` of a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `a=1&a=2` or `a=1,2`; objects `p=1&q=2` or `o=p,1,q,2`.
    Form,
    /// `a=1 2`.
    SpaceDelimited,
    /// `a=1|2`.
    PipeDelimited,
    /// Objects as `o[p]=1&o[q]=2`.
    DeepObject,
}

/// How a body travels on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and `+json` types.
    Json,
    /// `text/*`.
    Text,
    /// `application/x-www-form-urlencoded`: an object's properties as `a=1&b=2`.
    Form,
    /// `multipart/form-data`: an object's properties as parts; binary ones as files.
    Multipart,
    /// Anything else: raw bytes.
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    /// The media type as written, e.g. `application/json`.
    pub media_type: String,
    pub encoding: BodyEncoding,
    pub ty: TypeRef,
    /// The document's example, if it has one (see `Api::example_of`): its
    /// `example`, or the first of its named `examples`.
    pub example: Option<Value>,
    /// When `example` is a named example: how the page names it.
    pub example_name: Option<String>,
}

/// One of a media type's named `examples`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedExample {
    /// Its `summary`, else its key: what a reader sees, e.g. `Trialing`.
    pub title: String,
    pub value: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status code, e.g. 201.
    Code(u16),
    /// A class of codes, e.g. `4XX` is `Range(4)`.
    Range(u16),
    /// Any status not documented otherwise.
    Default,
}

impl StatusMatch {
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(class) => class == 2,
            StatusMatch::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    pub description: String,
    pub body: Option<ResponseBody>,
    /// The headers it documents, by name in lower case.
    pub headers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    pub media_type: String,
    pub encoding: BodyEncoding,
    /// The body's type; for a stream, each item's (an event's `data`).
    pub ty: TypeRef,
    /// How a body that comes as a stream of items is read, if it does.
    pub stream: Option<Stream>,
    /// The document's example, if it has one (see `Api::example_of`).
    pub example: Option<Value>,
    /// The named `examples`, in document order: one response tab each.
    pub examples: Vec<NamedExample>,
}

/// An answer read as it arrives, an item (or a chunk of bytes) at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub format: StreamFormat,
    /// The `data` that ends a stream of events (`[DONE]`), from
    /// `x-speakeasy-sse-sentinel`; it is not an item.
    pub sentinel: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    /// Server-sent events (`text/event-stream`).
    Events,
    /// JSON lines (`application/jsonl`, `application/x-ndjson`).
    JsonLines,
    /// JSON text sequences (`application/json-seq`, RFC 7464).
    JsonSequence,
    /// Raw bytes, a chunk at a time: a file, an archive, an image; any
    /// media type that is not JSON or text.
    Bytes,
}

impl StreamFormat {
    /// The format of a media type, if it is a stream of items.
    pub fn of(media_type: &str) -> Option<StreamFormat> {
        let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(StreamFormat::Events),
            "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => Some(StreamFormat::JsonLines),
            "application/json-seq" => Some(StreamFormat::JsonSequence),
            _ => None,
        }
    }
}

/// A type as used in a field, parameter or body.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    String(StringFormat),
    Integer(IntegerFormat),
    Number(NumberFormat),
    Boolean,
    Array(Box<TypeRef>),
    /// An object with arbitrary keys and values of one type.
    Map(Box<TypeRef>),
    /// A named type.
    Named(TypeIndex),
    /// Any JSON value: free-form objects and schemas we can't type yet.
    Any,
    /// The type or `null`, where no field says so: an array's items or a
    /// map's values (a field's own nullability is `Field::nullable`).
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// The type without its `null`: `T` for `T` or `null`.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }

    /// The type without its `null`, through the aliases of `types` (a
    /// schema that is only another's name): the named object, array or
    /// value it stands for. Aliases nest as deep as the document does; past
    /// a depth no real one reaches, the last one is the answer.
    pub fn resolved<'a>(&'a self, types: &'a [TypeDef]) -> &'a TypeRef {
        let mut ty = self.non_null();
        for _ in 0..16 {
            match ty {
                TypeRef::Named(index) => match types.get(index.0).map(|def| &def.kind) {
                    Some(TypeKind::Alias(target)) => ty = target.non_null(),
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    Plain,
    DateTime,
    Date,
    Uri,
    Uuid,
    Email,
    /// Base64-encoded bytes.
    Byte,
    /// Raw bytes (file contents).
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerFormat {
    Int32,
    Int64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    Float,
    Double,
}

/// Validation rules a page shows next to a field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

/// A named type, from `components.schemas` or lifted from an inline schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The schema's key (or a name built from where an inline schema sits),
    /// unique among the API's types.
    pub name: String,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// Where the schema is, as a JSON pointer.
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Object(ObjectType),
    /// A string with a closed set of documented values.
    StringEnum(Vec<String>),
    /// Another name for a type, e.g. a named array or a `$ref` to a `$ref`.
    Alias(TypeRef),
    /// A value of one of several types (`oneOf`, `anyOf`).
    Union(UnionType),
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionType {
    /// The types a value may have, in document order.
    pub variants: Vec<TypeRef>,
    pub discriminator: Option<Discriminator>,
}

/// The property whose value names a union's variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// The property's wire name, e.g. `petType`.
    pub property: String,
    /// Each value of the property and the index of the variant it selects.
    pub mapping: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectType {
    pub fields: Vec<Field>,
    /// `additionalProperties`: the type of values under keys not listed.
    pub additional: Option<TypeRef>,
    /// `additionalProperties: false`: a value with a property not listed is
    /// not of this type, which decides between a union's branches.
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name on the wire.
    pub name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub constraints: Constraints,
    /// The document's example, if it has one (see `Api::example_of`).
    pub example: Option<Value>,
    /// The value the server assumes when the field is absent.
    pub default: Option<Value>,
}

impl Api {
    /// The operations' default server URL without a trailing slash, if any.
    pub fn default_server(&self) -> Option<&str> {
        self.servers.first().map(|server| server.url.trim_end_matches('/'))
    }
}

impl Api {
    /// An example value of a type: the document's examples where it has
    /// them, made up from the type elsewhere. Optional fields appear only
    /// when the document gives them an example.
    pub fn example_of(&self, ty: &TypeRef) -> Value {
        self.example_at(ty, 0)
    }

    fn example_at(&self, ty: &TypeRef, depth: usize) -> Value {
        // Recursive types end in null rather than recursing forever.
        if depth > 16 {
            return Value::Null;
        }
        match ty {
            TypeRef::String(format) => Value::from(match format {
                StringFormat::Plain => "string",
                StringFormat::DateTime => "2024-01-01T00:00:00Z",
                StringFormat::Date => "2024-01-01",
                StringFormat::Uri => "https://example.com",
                StringFormat::Uuid => "00000000-0000-0000-0000-000000000000",
                StringFormat::Email => "user@example.com",
                StringFormat::Byte => "aGVsbG8=",
                StringFormat::Binary => "<binary>",
            }),
            TypeRef::Integer(_) => Value::from(0),
            TypeRef::Number(_) => Value::from(0.0),
            TypeRef::Boolean => Value::Bool(true),
            TypeRef::Array(item) => Value::Array(vec![self.example_at(item, depth + 1)]),
            TypeRef::Map(value) => {
                let mut map = serde_json::Map::new();
                map.insert("key".to_owned(), self.example_at(value, depth + 1));
                Value::Object(map)
            }
            TypeRef::Any => Value::Object(serde_json::Map::new()),
            TypeRef::Nullable(inner) => self.example_at(inner, depth),
            TypeRef::Named(index) => match self.type_def(*index).map(|def| &def.kind) {
                Some(TypeKind::Object(object)) => {
                    let mut map = serde_json::Map::new();
                    for field in &object.fields {
                        match &field.example {
                            Some(example) => {
                                map.insert(field.name.clone(), example.clone());
                            }
                            None if field.required => {
                                map.insert(field.name.clone(), self.example_at(&field.ty, depth + 1));
                            }
                            None => {}
                        }
                    }
                    Value::Object(map)
                }
                Some(TypeKind::StringEnum(values)) => values.first().cloned().map(Value::from).unwrap_or(Value::Null),
                Some(TypeKind::Alias(target)) => self.example_at(target, depth + 1),
                Some(TypeKind::Union(union)) => {
                    let Some(first) = union.variants.first() else { return Value::Null };
                    let mut example = self.example_at(first, depth + 1);
                    // The first variant's value of the discriminator, so the example reads back as it.
                    let tag = union.discriminator.as_ref().and_then(|discriminator| {
                        let (value, _) = discriminator.mapping.iter().find(|(_, variant)| *variant == 0)?;
                        Some((discriminator.property.clone(), value.clone()))
                    });
                    if let (Value::Object(map), Some((property, value))) = (&mut example, tag) {
                        map.insert(property, Value::from(value));
                    }
                    example
                }
                None => Value::Null,
            },
        }
    }
}

/// The reason phrase of a status code, e.g. "Payment Required" for 402.
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

impl StatusMatch {
    /// How people name the status: "402 Payment Required", "4XX", "default".
    /// How the document writes it: `200`, `4XX`, `default`.
    pub fn key(self) -> String {
        match self {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(class) => format!("{class}XX"),
            StatusMatch::Default => "default".to_owned(),
        }
    }

    pub fn title(self) -> String {
        match self {
            StatusMatch::Code(code) => match reason_phrase(code) {
                Some(phrase) => format!("{code} {phrase}"),
                None => code.to_string(),
            },
            StatusMatch::Range(class) => format!("{class}XX"),
            StatusMatch::Default => "default".to_owned(),
        }
    }
}
