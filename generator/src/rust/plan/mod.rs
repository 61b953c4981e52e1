//! Every Rust name and shape, decided once before any code is written.
//!
//! This is the only place that turns the API's words into Rust identifiers:
//! types, fields, variants, methods, builder methods, parameters and the
//! locals of examples. Emitters, snippets and docs read these names and
//! never derive one themselves. Names the crate's own code takes come from
//! the tables in `runtime`.

pub mod features;
mod graph;
mod shapes;

use features::Features;
use graph::by_value_components;
pub use graph::reachable;

use super::names;
use super::runtime::{Needs, Receiving, Uploads, reserved};
use crate::ir::*;
use crate::unique::Scope;

/// Every name and shape of one API's crate, decided once (see above).
pub struct Plan<'a> {
    pub api: &'a Api,
    pub options: &'a RustOptions,
    /// The names of each `api.types` entry, in the same order.
    pub types: Vec<TypePlan>,
    pub operations: Vec<OperationPlan<'a>>,
    /// The security schemes operations use, in document order.
    pub schemes: Vec<SchemePlan<'a>>,
    /// The default base URL, when the document names an absolute one.
    pub default_base_url: Option<String>,
    /// For each type, its strongly connected component in the graph of
    /// by-value containment (fields and aliases, not `Vec` or maps).
    by_value_component: Vec<usize>,
    /// Which types appear in request bodies, and which in responses.
    in_requests: Vec<bool>,
    in_responses: Vec<bool>,
    /// By type: whether the client only ever reads it (in answers, never
    /// in a request body or parameter), for itself and every type it stands for.
    only_read: Vec<bool>,
    /// By type: objects sent only as whole `multipart/form-data` bodies,
    /// whose files (binary fields) are `stream::Upload`s.
    sends_files: Vec<bool>,
    /// For each type, the type emitted for it (`shapes.rs`): itself, or the
    /// one that shares its shape and stands for the group.
    representative: Vec<TypeIndex>,
    /// For each representative, the types it stands for (itself among them).
    members: Vec<Vec<TypeIndex>>,
    /// One cargo feature per tag, for documents with several (`features.rs`).
    pub features: Features,
    /// The variants of `webhooks::Webhook`: the webhooks whose deliveries
    /// the crate reads (those with JSON payloads or none).
    pub webhooks: Vec<WebhookPlan<'a>>,
}

/// A webhook's variant of `webhooks::Webhook`.
pub struct WebhookPlan<'a> {
    pub webhook: &'a Webhook,
    /// The variant's name, e.g. `SubscriptionCreated`.
    pub variant: String,
    /// The type its payload is read as; `None` when it has no body.
    pub payload: Option<&'a TypeRef>,
}

/// What the caller decides rather than the document.
#[derive(Debug, Clone, Default)]
pub struct RustOptions {
    /// The package name, e.g. `kanuu`.
    pub crate_name: String,
    /// How the header of each file names the document, e.g. `spec/kanuu.yaml`.
    pub spec_label: String,
    /// The type names of the crate this run replaces, by the JSON pointer of
    /// the schema each was made from (its `public-api.txt`): a type
    /// keeps its name whatever else the document gained (`plan/shapes.rs`).
    pub kept_names: std::collections::HashMap<String, String>,
}

/// How a struct field's type wraps its value's type `T` ([`Plan::wrapping`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapping {
    /// `T`.
    Plain,
    /// `Option<T>`.
    Option,
    /// `Option<Option<T>>`: `None` absent, `Some(None)` `null`.
    OptionOption,
}

/// A security scheme some operation uses.
pub struct SchemePlan<'a> {
    pub scheme: &'a SecurityScheme,
    /// Where it is in `Api::security_schemes`.
    pub index: SchemeIndex,
    /// The builder method and credentials field, e.g. `api_key`.
    pub field: String,
    /// The `Scheme` variant, e.g. `ApiKey`.
    pub variant: String,
    /// OAuth2: the builder methods that have the client get its own
    /// tokens, with the client credentials grant or a refresh token, and
    /// the builder's and credentials' field for the token source.
    pub client_credentials: Option<String>,
    pub refresh_token: Option<String>,
    pub tokens: Option<String>,
}

pub struct OperationPlan<'a> {
    pub op: &'a Operation,
    /// The client method, e.g. `create_nonce`.
    pub method: String,
    /// Its mock's method of `mock::MockApi`: the client method's name, but
    /// where the mock's own members take it (`client2` for `client`).
    pub mock_method: String,
    /// The request builder in `requests`, e.g. `CreateNonce`.
    pub builder: String,
    pub params: Vec<ParamPlan<'a>>,
    /// The body's Rust type when the operation has one.
    pub body: Option<BodyPlan<'a>>,
    /// `Decode::Nothing` for an operation whose success is a stream.
    pub success: Success,
    /// The success body read as a stream of items, if the operation has one.
    pub stream: Option<&'a ResponseBody>,
    /// Whether the builder has a `last_event_id` setter, sent as
    /// `Last-Event-ID` to resume a stream of events: an operation that
    /// streams events and doesn't declare that header itself.
    pub resumes: bool,
    /// The per-operation error enum, when the operation documents errors.
    pub error: Option<ErrorPlan>,
    /// The schemes it accepts.
    pub security: Vec<SchemeIndex>,
}

impl OperationPlan<'_> {
    /// The names of the items that exist for this operation alone, as the
    /// feature gates match them: `Client::method`, the builder, and the
    /// answer and error enums.
    fn items(&self) -> Vec<String> {
        let mut items =
            vec![format!("Client::{}", names::ident(&self.method)), names::ident(&self.builder).to_string()];
        items.extend(self.success.enum_name().map(|name| names::ident(name).to_string()));
        items.extend(self.error.as_ref().map(|error| names::ident(&error.name).to_string()));
        items
    }
}

/// The Rust names of one type and its members.
#[derive(Clone)]
pub struct TypePlan {
    /// The type, e.g. `CreateNonceRequest`.
    pub name: String,
    /// Objects: each field's name, in the order of `ObjectType::fields`.
    pub fields: Vec<String>,
    /// Objects with additional properties: the map field's name.
    pub additional: Option<String>,
    /// String enums and unions: each variant's name, in the order of the
    /// values or variants (the fallback `Unknown` is not among them).
    pub variants: Vec<String>,
}

pub struct ParamPlan<'a> {
    pub param: &'a Parameter,
    /// Field and argument or setter name.
    pub name: String,
    /// A local variable holding its text, usable inside a format string
    /// (where a raw identifier like `r#type` is not).
    pub local: String,
    /// Whether it is a method argument; optional ones are builder methods.
    pub required: bool,
    /// An `Idempotency-Key` header: the client makes one when the caller
    /// gives none, so it is optional in code whatever the document says.
    pub idempotency_key: bool,
}

pub struct BodyPlan<'a> {
    pub body: &'a RequestBody,
    pub required: bool,
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Decode {
    /// No body is read.
    Nothing,
    Json(TypeRef),
    Text,
    Bytes,
}

/// What the operation returns on success.
pub enum Success {
    One(Decode),
    /// Several success statuses with different bodies.
    Enum {
        name: String,
        variants: Vec<StatusVariant>,
    },
}

impl Success {
    pub fn enum_name(&self) -> Option<&str> {
        match self {
            Success::Enum { name, .. } => Some(name),
            Success::One(_) => None,
        }
    }
}

pub struct StatusVariant {
    pub name: String,
    pub status: StatusMatch,
    pub description: String,
    pub decode: Decode,
}

pub struct ErrorPlan {
    pub name: String,
    pub variants: Vec<StatusVariant>,
}

impl<'a> Plan<'a> {
    pub fn new(api: &'a Api, options: &'a RustOptions) -> Self {
        let by_value_component = by_value_components(api);
        let in_requests = reachable(api, api.operations.iter().filter_map(|op| op.body.as_ref().map(|b| &b.ty)));
        // Webhooks' payloads are read as answers are: by the crate's user.
        let answers = api.operations.iter().flat_map(|op| op.responses.iter().filter_map(|r| r.body.as_ref()));
        let payloads = api.webhooks.iter().filter_map(|webhook| webhook.body.as_ref());
        let in_responses = reachable(
            api,
            answers
                .map(|body| &body.ty)
                .chain(payloads.filter(|body| body.encoding == BodyEncoding::Json).map(|body| &body.ty)),
        );
        let travels: Vec<(bool, bool)> = in_requests.iter().copied().zip(in_responses.iter().copied()).collect();
        let representative = shapes::representatives(api, &travels, &by_value_component, &options.kept_names);
        let mut members = vec![Vec::new(); api.types.len()];
        for (member, stands_for) in representative.iter().enumerate() {
            members[*stands_for].push(TypeIndex(member));
        }
        let parameters = api.operations.iter().flat_map(|op| op.parameters.iter().map(|p| &p.ty));
        let bodies = api.operations.iter().filter_map(|op| op.body.as_ref().map(|b| &b.ty));
        let sent = reachable(api, bodies.chain(parameters));
        let only_read = (0..api.types.len())
            .map(|index| !members[index].is_empty() && members[index].iter().all(|&m| in_responses[m] && !sent[m]))
            .collect();
        let sends_files = multipart_only(api, &members, &in_responses);

        // Types keep the names the replaced crate gave them; then the rest
        // claim theirs in document order. A shared type has one name.
        let mut root = Scope::with_reserved(reserved::ROOT);
        let mut names_of: Vec<Option<String>> = vec![None; api.types.len()];
        let representatives = || api.types().map(|(index, _)| index).filter(|&index| representative[index] == index);
        for index in representatives() {
            if let Some(kept) = options.kept_names.get(&api.types[index].pointer) {
                names_of[index] = Some(root.claim_or_suffix(kept, "Schema"));
            }
        }
        for index in representatives() {
            if names_of[index].is_none() {
                names_of[index] = Some(root.claim_or_suffix(&names::camel(&api.types[index].name), "Schema"));
            }
        }
        let type_names: Vec<String> = representative.iter().map(|r| names_of[*r].clone().unwrap_or_default()).collect();
        // A type that shares another's shape shares its plan: the same names
        // for the same fields, values and variants.
        let own: Vec<Option<TypePlan>> = (api.types().zip(&type_names))
            .map(|((index, def), name)| (representative[index] == index).then(|| type_plan(def, name, &type_names)))
            .collect();
        let types = (api.types.iter().zip(&type_names).zip(&representative))
            .map(|((def, name), &standing_for)| match &own[standing_for] {
                Some(shared) => shared.clone(),
                None => type_plan(def, name, &type_names),
            })
            .collect();

        let schemes = schemes(api);
        let mut methods = Scope::with_reserved(reserved::CLIENT_METHODS);
        // Builders share the root scope so `requests.rs` can import every root name.
        let mut operations: Vec<OperationPlan> =
            api.operations.iter().map(|op| operation_plan(op, &mut root, &mut methods)).collect();
        let mut mock_methods = Scope::with_reserved(reserved::MOCK_API_MEMBERS);
        for op in &mut operations {
            op.mock_method = mock_methods.claim(&op.method);
        }

        let default_base_url = api
            .default_server()
            .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
            .map(str::to_owned);
        let operation_items: Vec<Vec<String>> = operations.iter().map(OperationPlan::items).collect();
        let features = Features::new(api, &type_names, &operation_items);
        let mut variants = Scope::default();
        let webhooks = api
            .webhooks
            .iter()
            .filter(|webhook| webhook.body.as_ref().is_none_or(|body| body.encoding == BodyEncoding::Json))
            .map(|webhook| WebhookPlan {
                webhook,
                variant: variants.claim(&names::camel(&webhook.name)),
                payload: webhook.body.as_ref().map(|body| &body.ty),
            })
            .collect();
        Plan {
            api,
            options,
            types,
            operations,
            schemes,
            default_base_url,
            by_value_component,
            in_requests,
            in_responses,
            only_read,
            sends_files,
            members,
            representative,
            features,
            webhooks,
        }
    }

    /// Whether `api.types[index]` is emitted: it stands for the types that
    /// share its shape (or is alone). The others use its name.
    pub fn emits(&self, index: TypeIndex) -> bool {
        self.representative.get(index.0) == Some(&index)
    }

    /// Whether some operation reads its list a page at a time, and so the
    /// crate has `src/paging.rs`.
    pub fn pages(&self) -> bool {
        self.operations.iter().any(|op| op.op.paging.is_some())
    }

    /// The formats of the answers the crate reads as streams, each once.
    pub fn stream_formats(&self) -> Vec<StreamFormat> {
        let mut formats: Vec<StreamFormat> = Vec::new();
        let all = self.operations.iter().filter_map(|op| op.stream?.stream.as_ref().map(|stream| stream.format));
        for format in all {
            if !formats.contains(&format) {
                formats.push(format);
            }
        }
        formats
    }

    /// Whether the crate declares a struct, a string enum or a union, and so
    /// needs `src/object.rs` (`json_object!`, `string_enum!`, `json_union!`).
    pub fn needs_object_rs(&self) -> bool {
        self.emitted_kinds().any(|kind| !matches!(kind, TypeKind::Alias(_)))
    }

    fn emitted_kinds(&self) -> impl Iterator<Item = &TypeKind> {
        let types = self.api.types();
        types.filter(|(index, _)| self.emits(*index) && self.type_plan(*index).is_some()).map(|(_, def)| &def.kind)
    }

    /// The types `api.types[index]` stands for (itself among them): the
    /// schemas that share its shape (`shapes.rs`).
    pub fn members(&self, index: TypeIndex) -> &[TypeIndex] {
        self.members.get(index.0).map_or(&[], Vec::as_slice)
    }

    /// Whether a binary field of `index` is a `stream::Upload`, a file part
    /// sent as it is read: the type is only ever a `multipart/form-data`
    /// body, never inside one (where it would be a JSON part) or anywhere
    /// else.
    pub fn sends_files(&self, index: TypeIndex) -> bool {
        let standing_for = self.representative.get(index.0).copied().unwrap_or(index);
        self.sends_files.get(standing_for.0).copied().unwrap_or(false)
    }

    /// Whether the client only ever reads `api.types[index]`: then an
    /// optional nullable field is an `Option<T>`, `None` for absent and for
    /// `null` alike, as readers want it; a type that is also sent keeps the
    /// three states (`None`, `Some(None)` for `null`, `Some(Some(v))`).
    pub fn only_read(&self, index: TypeIndex) -> bool {
        self.only_read.get(index.0).copied().unwrap_or(false)
    }

    /// Whether a field is in every value of its type, whichever way it travels.
    /// A required `readOnly` field is absent from requests and a `writeOnly`
    /// one from responses, so where the type travels that way the field is
    /// optional in code.
    pub fn always_present(&self, owner: TypeIndex, field: &Field) -> bool {
        let sent = self.in_requests.get(owner.0).copied().unwrap_or(false);
        let received = self.in_responses.get(owner.0).copied().unwrap_or(false);
        field.required && !(field.read_only && sent) && !(field.write_only && received)
    }

    /// How a field's Rust type wraps its value's: present in every value,
    /// `Option` when it may be absent (or `null`), and `Option<Option<_>>`
    /// where a type that is sent tells absent from `null`.
    pub fn wrapping(&self, owner: TypeIndex, field: &Field) -> Wrapping {
        match (self.always_present(owner, field), field.nullable) {
            (true, false) => Wrapping::Plain,
            (true, true) => Wrapping::Option,
            (false, true) if !self.only_read(owner) => Wrapping::OptionOption,
            (false, _) => Wrapping::Option,
        }
    }

    /// Whether a field of type `ty` in type `owner` needs a `Box`: when a value
    /// of `ty` contains an `owner` by value, the type would be infinitely large.
    pub fn needs_box(&self, ty: &TypeRef, owner: TypeIndex) -> bool {
        match ty {
            TypeRef::Named(index) => self.by_value_component.get(index.0) == self.by_value_component.get(owner.0),
            _ => false,
        }
    }

    /// The one scheme whose key `Client::new` takes, when the API has exactly
    /// one and it is a single secret (a bearer token or an API key).
    pub fn single_key(&self) -> Option<&SchemePlan<'a>> {
        match self.schemes.as_slice() {
            // A scheme whose tokens the client can get itself has builder
            // methods for that, so the token is one of them.
            [scheme] if scheme.scheme.kind != AuthKind::Basic && !scheme.scheme.oauth2.any() => Some(scheme),
            _ => None,
        }
    }

    /// What the crate's operations send as it is read (`stream::Upload`):
    /// bodies of bytes, and files of multipart bodies.
    pub fn uploads(&self) -> Uploads {
        let mut uploads = Uploads::default();
        for body in self.operations.iter().filter_map(|op| op.body.as_ref()) {
            match (body.body.encoding, &body.body.ty) {
                (BodyEncoding::Bytes, _) => uploads.bodies = true,
                (BodyEncoding::Multipart, TypeRef::Named(index)) if self.sends_files(*index) => {
                    uploads.file_parts |= has_file(self.api, *index);
                }
                _ => {}
            }
        }
        uploads
    }

    /// Whether the crate has a `webhooks` module (and feature), and with it
    /// a `Verifier` of signatures.
    pub fn receives_webhooks(&self) -> Option<Receiving> {
        (!self.webhooks.is_empty()).then(|| match self.webhooks.iter().any(|w| w.webhook.signature.is_some()) {
            true => Receiving::Signed,
            false => Receiving::Unsigned,
        })
    }

    /// Whether the crate has a `mock` module (and feature): it has
    /// operations to mock.
    pub fn mocks(&self) -> bool {
        !self.operations.is_empty()
    }

    /// Which of the runtime's optional files the crate needs.
    pub fn runtime_needs(&self) -> Needs {
        Needs {
            object: self.needs_object_rs(),
            paging: self.pages(),
            tokens: self.gets_tokens(),
            streams: self.stream_formats(),
            uploads: self.uploads(),
            webhooks: self.receives_webhooks(),
            mock: self.mocks(),
        }
    }

    /// Whether the client can get OAuth2 tokens itself (`src/oauth2.rs`).
    pub fn gets_tokens(&self) -> bool {
        self.schemes.iter().any(|scheme| scheme.tokens.is_some())
    }

    /// The reqwest features the crate needs beyond JSON and TLS.
    pub fn reqwest_features(&self) -> Vec<&'static str> {
        let mut features = Vec::new();
        let query_key = self
            .schemes
            .iter()
            .any(|s| matches!(s.scheme.kind, AuthKind::ApiKey { location: ParamLocation::Query, .. }));
        let encodings: Vec<BodyEncoding> =
            self.operations.iter().filter_map(|op| op.body.as_ref().map(|b| b.body.encoding)).collect();
        // Token requests are forms too.
        if encodings.contains(&BodyEncoding::Form) || self.gets_tokens() {
            features.push("form");
        }
        // `Response::bytes_stream`, for answers read as they arrive, and
        // `Body::wrap_stream`, for uploads sent as they are read.
        if !self.stream_formats().is_empty() || self.uploads().any() {
            features.push("stream");
        }
        if encodings.contains(&BodyEncoding::Multipart) {
            features.push("multipart");
        }
        if query_key {
            features.push("query");
        }
        features
    }

    /// The crate's package name, e.g. `kanuu`.
    pub fn crate_name(&self) -> &str {
        &self.options.crate_name
    }

    /// The name code outside the crate uses for it: `kanuu`, `my_api`.
    pub fn crate_path(&self) -> String {
        self.options.crate_name.replace('-', "_")
    }

    pub fn type_name(&self, index: TypeIndex) -> &str {
        self.types.get(index.0).map_or("Value", |t| t.name.as_str())
    }

    /// The names of `api.types[index]`'s members.
    pub fn type_plan(&self, index: TypeIndex) -> Option<&TypePlan> {
        self.types.get(index.0)
    }

    /// The local an example binds an operation's successful result to:
    /// named after its type (`nonce`), else `response`; `None` when there is
    /// no body.
    pub fn result_local(&self, op: &OperationPlan) -> Option<String> {
        match &op.success {
            Success::One(Decode::Nothing) => None,
            Success::One(Decode::Json(TypeRef::Named(index))) => {
                Some(names::local(&names::snake(self.type_name(*index))))
            }
            _ => Some("response".to_owned()),
        }
    }

    /// Whether `api.types[index]` is a string enum.
    pub fn is_string_enum(&self, index: TypeIndex) -> bool {
        matches!(self.api.type_def(index).map(|t| &t.kind), Some(TypeKind::StringEnum(_)))
    }
}

fn type_plan(def: &TypeDef, name: &str, type_names: &[String]) -> TypePlan {
    let mut plan = TypePlan { name: name.to_owned(), fields: Vec::new(), additional: None, variants: Vec::new() };
    match &def.kind {
        TypeKind::Object(object) => {
            let mut scope = Scope::default();
            plan.fields = object.fields.iter().map(|field| scope.claim(&names::snake(&field.name))).collect();
            plan.additional = object.additional.as_ref().map(|_| scope.claim("additional_properties"));
        }
        TypeKind::StringEnum(values) => {
            // The fallback variant is reserved so documented values never take its name.
            let mut scope = Scope::with_reserved(reserved::ENUM_VARIANTS);
            plan.variants = values.iter().map(|value| scope.claim(&names::camel(value))).collect();
        }
        TypeKind::Union(union) => {
            let mut scope =
                Scope::with_reserved(if union.discriminator.is_some() { reserved::ENUM_VARIANTS } else { &[] });
            plan.variants = union
                .variants
                .iter()
                .map(|variant| {
                    // The variant's type name, or what kind of value it is for unnamed types.
                    let wanted = match variant {
                        TypeRef::Named(index) => type_names.get(index.0).map_or("Value", String::as_str),
                        TypeRef::String(_) => "String",
                        TypeRef::Integer(_) => "Integer",
                        TypeRef::Number(_) => "Number",
                        TypeRef::Boolean => "Boolean",
                        TypeRef::Array(_) => "List",
                        TypeRef::Map(_) => "Map",
                        TypeRef::Any => "Value",
                        TypeRef::Nullable(_) => "Nullable",
                    };
                    scope.claim(wanted)
                })
                .collect();
        }
        TypeKind::Alias(_) => {}
    }
    plan
}

fn schemes(api: &Api) -> Vec<SchemePlan<'_>> {
    let mut used: Vec<SchemeIndex> = api.operations.iter().flat_map(|op| op.security.iter().copied()).collect();
    used.sort_unstable();
    used.dedup();
    // A scheme's name is a builder method and a field of the builder and of
    // the credentials, so it must be free among the builder's own members.
    let mut fields = Scope::with_reserved(reserved::CLIENT_BUILDER_MEMBERS);
    let mut variants = Scope::default();
    used.into_iter()
        .filter_map(|index| {
            let scheme = api.scheme(index)?;
            let field = fields.claim(&names::snake(&scheme.key));
            let grants = &scheme.oauth2;
            let mut claim_for = |grant: bool, suffix: &str| grant.then(|| fields.claim(&format!("{field}_{suffix}")));
            let client_credentials = claim_for(grants.client_credentials.is_some(), "client_credentials");
            let refresh_token = claim_for(grants.refresh_token.is_some(), "refresh_token");
            let tokens = claim_for(grants.any(), "tokens");
            Some(SchemePlan {
                scheme,
                index,
                field,
                variant: variants.claim(&names::camel(&scheme.key)),
                client_credentials,
                refresh_token,
                tokens,
            })
        })
        .collect()
}

fn operation_plan<'a>(op: &'a Operation, root: &mut Scope, methods: &mut Scope) -> OperationPlan<'a> {
    let method = methods.claim(&names::snake(&op.name));
    // `Client` → `ClientRequest` rather than `Client2`: it is the request for `client()`.
    let builder = root.claim_or_suffix(&names::camel(&op.name), "Request");

    let mut fields = Scope::with_reserved(reserved::REQUEST_BUILDER_MEMBERS);
    if op.paging.is_some() {
        fields.reserve(reserved::PAGED_BUILDER_MEMBERS);
    }
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.status.is_success()).collect();
    // A success that streams is read by the stream it opens; only the
    // other statuses are read whole.
    let stream = op.streamed_success().map(|(body, _)| body);
    if stream.is_some() {
        fields.reserve(reserved::STREAMING_BUILDER_MEMBERS);
    }
    let mut locals = Scope::with_reserved(reserved::HELPERS);
    let params = op
        .parameters
        .iter()
        .map(|param| {
            let name = fields.claim(&names::snake(&param.name));
            let idempotency_key = param.location == ParamLocation::Header
                && param.name.eq_ignore_ascii_case("idempotency-key")
                && matches!(param.ty, TypeRef::String(_));
            let required = param.required && !idempotency_key;
            ParamPlan { param, local: locals.claim(&names::local(&name)), name, required, idempotency_key }
        })
        .collect();
    let body = op.body.as_ref().map(|body| BodyPlan { body, required: body.required });

    let success = match stream {
        Some(_) => Success::One(Decode::Nothing),
        None => success_shape(op, &successes, root),
    };

    let failures: Vec<&Response> = op.responses.iter().filter(|r| !r.status.is_success()).collect();
    let error = if failures.is_empty() {
        None
    } else {
        let mut variant_names = Scope::with_reserved(reserved::ERROR_VARIANTS);
        let variants = failures.iter().map(|response| status_variant(response, &mut variant_names)).collect();
        Some(ErrorPlan { name: root.claim(&format!("{}Error", names::camel(&op.name))), variants })
    };

    let resumes =
        stream.and_then(|body| body.stream.as_ref()).is_some_and(|stream| stream.format == StreamFormat::Events)
            && !op
                .parameters
                .iter()
                .any(|p| p.location == ParamLocation::Header && p.name.eq_ignore_ascii_case("last-event-id"));
    OperationPlan {
        op,
        method,
        mock_method: String::new(),
        builder,
        params,
        body,
        success,
        stream,
        resumes,
        error,
        security: op.security.clone(),
    }
}

fn success_shape(op: &Operation, successes: &[&Response], root: &mut Scope) -> Success {
    let decodes: Vec<Decode> = successes.iter().map(|r| decode_of(r)).collect();
    match decodes.first() {
        None => Success::One(Decode::Nothing),
        Some(first) if decodes.iter().all(|d| d == first) => Success::One(first.clone()),
        Some(_) => {
            let mut variant_names = Scope::default();
            let variants = successes.iter().map(|r| status_variant(r, &mut variant_names)).collect();
            Success::Enum { name: root.claim(&format!("{}Response", names::camel(&op.name))), variants }
        }
    }
}

fn status_variant(response: &Response, scope: &mut Scope) -> StatusVariant {
    let wanted = match response.status {
        StatusMatch::Code(code) => match reason_phrase(code) {
            Some(phrase) => names::camel(phrase),
            None => format!("Status{code}"),
        },
        StatusMatch::Range(1) => "Informational".to_owned(),
        StatusMatch::Range(2) => "Success".to_owned(),
        StatusMatch::Range(3) => "Redirection".to_owned(),
        StatusMatch::Range(4) => "ClientError".to_owned(),
        StatusMatch::Range(5) => "ServerError".to_owned(),
        StatusMatch::Range(class) => format!("Status{class}xx"),
        StatusMatch::Default => "OtherStatus".to_owned(),
    };
    StatusVariant {
        name: scope.claim(&wanted),
        status: response.status,
        description: response.description.clone(),
        decode: decode_of(response),
    }
}

/// By type: whether it is only ever a whole `multipart/form-data` body
/// (see [`Plan::sends_files`]), for each type that stands for others.
fn multipart_only(api: &Api, members: &[Vec<TypeIndex>], in_responses: &[bool]) -> Vec<bool> {
    let bodies = || api.operations.iter().filter_map(|op| op.body.as_ref());
    let mut whole = vec![false; api.types.len()];
    for body in bodies().filter(|body| body.encoding == BodyEncoding::Multipart) {
        if let TypeRef::Named(index) = body.ty {
            whole[index.0] = true;
        }
    }
    let inside = reachable(
        api,
        (api.types().filter(|(index, _)| whole[index.0]))
            .filter_map(|(_, def)| match &def.kind {
                TypeKind::Object(object) => Some(object.fields.iter().map(|field| &field.ty)),
                _ => None,
            })
            .flatten(),
    );
    let parameters = api.operations.iter().flat_map(|op| op.parameters.iter().map(|p| &p.ty));
    let other_bodies = bodies().filter(|body| body.encoding != BodyEncoding::Multipart).map(|body| &body.ty);
    let elsewhere = reachable(api, other_bodies.chain(parameters));
    (0..api.types.len())
        .map(|index| {
            !members[index].is_empty()
                && members[index].iter().all(|&m| whole[m.0] && !inside[m.0] && !elsewhere[m.0] && !in_responses[m.0])
        })
        .collect()
}

/// Whether an object has a binary field: a file, in a multipart body.
fn has_file(api: &Api, index: TypeIndex) -> bool {
    matches!(&api.types[index.0].kind, TypeKind::Object(object)
        if object.fields.iter().any(|field| field.ty == TypeRef::String(StringFormat::Binary)))
}

fn decode_of(response: &Response) -> Decode {
    match &response.body {
        None => Decode::Nothing,
        Some(body) => match body.encoding {
            BodyEncoding::Json => Decode::Json(body.ty.clone()),
            BodyEncoding::Text => Decode::Text,
            BodyEncoding::Bytes | BodyEncoding::Form | BodyEncoding::Multipart => Decode::Bytes,
        },
    }
}

impl StatusVariant {
    /// Variants for a range or `default` carry the status code with the body.
    pub fn carries_status(&self) -> bool {
        !matches!(self.status, StatusMatch::Code(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(spec: &str) -> Api {
        crate::parse(spec, "test.yaml").expect("the spec lowers").0
    }

    fn options() -> RustOptions {
        RustOptions { crate_name: "test".to_owned(), spec_label: "test.yaml".to_owned(), ..RustOptions::default() }
    }

    fn type_plan<'p>(plan: &'p Plan, schema: &str) -> &'p TypePlan {
        let index = plan.api.types.iter().position(|t| t.name == schema).expect("the schema exists");
        &plan.types[index]
    }

    const NAMES: &str = r##"
openapi: 3.0.3
info: { title: Names, version: "1" }
paths:
  /a/{json}:
    get:
      operationId: execute
      parameters:
        - { name: body, in: query, schema: { type: string } }
        - { name: json, in: path, required: true, schema: { type: string } }
      responses: { "204": { description: ok } }
  /b/{json}:
    get:
      operationId: Error
      parameters:
        - { name: json, in: path, required: true, schema: { type: string } }
      responses: { "204": { description: ok } }
components:
  securitySchemes:
    build: { type: http, scheme: bearer }
  schemas:
    Client: { type: object, properties: { self: { type: string }, Self: { type: string }, type: { type: string } } }
    Colour: { type: string, enum: [Unknown, red, Red] }
    Either: { oneOf: [{ type: string }, { type: string, format: date }, { $ref: "#/components/schemas/Client" }] }
security: [{ build: [] }]
"##;

    #[test]
    fn the_plan_names_every_member_once_and_around_the_crate_s_own_names() {
        let api = api(NAMES);
        let options = options();
        let plan = Plan::new(&api, &options);

        let client = type_plan(&plan, "Client");
        assert_eq!(client.name, "ClientSchema", "`Client` is the crate's");
        assert_eq!(client.fields, ["self", "self2", "type"]);
        assert_eq!(type_plan(&plan, "Colour").variants, ["Unknown2", "Red", "Red2"]);
        assert_eq!(type_plan(&plan, "Either").variants, ["String", "String2", "ClientSchema"]);

        let execute = &plan.operations[0];
        assert_eq!((execute.method.as_str(), execute.builder.as_str()), ("execute2", "Execute"));
        let params: Vec<(&str, &str)> = execute.params.iter().map(|p| (p.name.as_str(), p.local.as_str())).collect();
        assert_eq!(params, [("body2", "body2"), ("json", "json2")], "`body` is the builder's, `json` a helper");
        let error = &plan.operations[1];
        assert_eq!(error.builder, "ErrorRequest", "`Error` is the crate's");
        assert_eq!(plan.schemes[0].field, "build2", "`build` is the client builder's");
    }

    const CYCLES: &str = r##"
openapi: 3.0.3
info: { title: Cycles, version: "1" }
paths: {}
components:
  schemas:
    A: { type: object, required: [b], properties: { b: { $ref: "#/components/schemas/B" } } }
    B: { type: object, properties: { a: { $ref: "#/components/schemas/A" } } }
    Me: { type: object, properties: { me: { $ref: "#/components/schemas/Me" } } }
    List: { type: object, properties: { items: { type: array, items: { $ref: "#/components/schemas/List" } } } }
    Leaf: { type: object, properties: { a: { $ref: "#/components/schemas/A" } } }
"##;

    #[test]
    fn only_types_that_contain_themselves_by_value_are_boxed() {
        let api = api(CYCLES);
        let options = options();
        let plan = Plan::new(&api, &options);
        let index = |name: &str| api.types().find(|(_, t)| t.name == name).expect("the schema exists").0;
        let field = |owner: &str| match &api.types[index(owner)].kind {
            TypeKind::Object(object) => object.fields[0].ty.clone(),
            _ => panic!("{owner} is an object"),
        };
        assert!(plan.needs_box(&field("A"), index("A")), "A holds B holds A");
        assert!(plan.needs_box(&field("B"), index("B")));
        assert!(plan.needs_box(&field("Me"), index("Me")), "a type that holds itself");
        assert!(!plan.needs_box(&field("List"), index("List")), "a Vec is already a box");
        assert!(!plan.needs_box(&field("Leaf"), index("Leaf")), "Leaf holds A, but A never holds Leaf");
    }
}
