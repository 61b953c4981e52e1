//! The client runtime (`generator/runtime/*.rs`), compiled here the way
//! every generated crate compiles it, and unit-tested on its own: every
//! crate gets these files byte for byte, so these tests cover them all.

#[path = "../generator/runtime/connection.rs"]
#[rustfmt::skip]
mod connection;
#[path = "../generator/runtime/error.rs"]
#[rustfmt::skip]
mod error;
#[path = "../generator/runtime/http.rs"]
#[rustfmt::skip]
#[macro_use]
mod http;
#[path = "../generator/runtime/object.rs"]
#[rustfmt::skip]
#[macro_use]
mod object;
#[path = "../generator/runtime/retry.rs"]
#[rustfmt::skip]
mod retry;
#[path = "../generator/runtime/tls.rs"]
#[rustfmt::skip]
mod tls;

// The paths the runtime uses, as a generated crate's root provides them.
pub use self::http::ResponseValue;
pub use error::Error;
pub use retry::RetryPolicy;

/// A generated crate's `Client` as `client.rs` declares it, for an API
/// without credentials: `connection.rs` gives it everything else.
#[derive(Clone)]
pub struct Client {
    connection: connection::Connection,
}

/// A generated crate's `ClientBuilder`, without credentials.
pub struct ClientBuilder {
    settings: connection::Settings,
}

impl Client {
    /// Sending through [`http_client`]: this package has no TLS feature on.
    fn builder(base_url: Option<&str>) -> ClientBuilder {
        ClientBuilder { settings: connection::Settings::new(base_url) }.http_client(http_client())
    }
}

impl ClientBuilder {
    fn build(self) -> Result<Client, Error> {
        Ok(Client { connection: self.settings.connect()? })
    }
}

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kanuu_tests::{RecordingServer, Reply};

/// The answer size limit the tests send with: larger than any answer they expect.
const LIMIT: u64 = 1 << 20;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

/// A `reqwest::Client` as the generated crates set one up: with only their
/// `rustls` feature, reqwest has no crypto provider of its own.
fn http_client() -> reqwest::Client {
    kanuu::Client::http_builder().expect("a builder").build().expect("a reqwest client")
}

#[test]
fn without_a_tls_feature_root_certificates_are_a_configuration_error() {
    // This package compiles the runtime with none of the crate features.
    assert!(tls::configure(reqwest::Client::builder(), &[]).is_ok());
    let error = tls::configure(reqwest::Client::builder(), &[b"-----BEGIN CERTIFICATE-----".to_vec()])
        .expect_err("no TLS to give it to");
    assert!(error.to_string().contains("`rustls` or `native-tls` feature"), "{error}");
}

fn transport(http: &reqwest::Client) -> http::Transport {
    http::Transport::Reqwest(http.clone())
}

fn headers(retry_after: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(value) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).expect("a header value"));
    }
    headers
}

#[test]
fn statuses_the_server_did_not_act_on_are_retried_for_every_method() {
    let policy = RetryPolicy::default();
    for status in [429, 503] {
        let status = StatusCode::from_u16(status).expect("a status");
        assert!(policy.after_status(status, &headers(None), 1, false).is_some(), "{status}, POST");
        assert!(policy.after_status(status, &headers(None), 1, true).is_some(), "{status}, GET");
    }
}

#[test]
fn statuses_after_which_the_server_may_have_acted_are_retried_only_when_idempotent() {
    let policy = RetryPolicy::default();
    for status in [502, 504] {
        let status = StatusCode::from_u16(status).expect("a status");
        assert_eq!(policy.after_status(status, &headers(None), 1, false), None, "{status}, POST");
        assert!(policy.after_status(status, &headers(None), 1, true).is_some(), "{status}, GET");
    }
    for status in [200, 400, 404, 500] {
        let status = StatusCode::from_u16(status).expect("a status");
        assert_eq!(policy.after_status(status, &headers(None), 1, true), None, "{status}");
    }
}

#[test]
fn retry_after_sets_the_wait_and_a_longer_one_ends_the_retries() {
    let policy = RetryPolicy::default().max_backoff(Duration::from_secs(5));
    let busy = StatusCode::SERVICE_UNAVAILABLE;
    assert_eq!(policy.after_status(busy, &headers(Some("3")), 1, false), Some(Duration::from_secs(3)));
    assert_eq!(policy.after_status(busy, &headers(Some(" 2 ")), 1, false), Some(Duration::from_secs(2)));
    assert_eq!(policy.after_status(busy, &headers(Some("60")), 1, false), None);
    // A date (or nonsense) falls back to the backoff.
    let fallback = policy.after_status(busy, &headers(Some("Wed, 21 Oct 2015 07:28:00 GMT")), 1, false);
    assert!(fallback.is_some_and(|wait| wait <= Duration::from_millis(250)), "{fallback:?}");
}

#[test]
fn backoff_doubles_with_jitter_up_to_the_maximum() {
    let policy =
        RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(350));
    for _ in 0..100 {
        for (attempt, full) in [(1, 100), (2, 200), (3, 350), (10, 350), (u32::MAX, 350)] {
            let wait = policy.backoff(attempt);
            let full = Duration::from_millis(full);
            assert!(wait >= full / 2 && wait <= full, "attempt {attempt}: {wait:?} not in [{:?}, {full:?}]", full / 2);
        }
    }
}

#[test]
fn only_post_and_patch_are_not_idempotent() {
    use reqwest::Method;
    for method in [Method::GET, Method::PUT, Method::DELETE, Method::HEAD, Method::OPTIONS, Method::TRACE] {
        assert!(retry::is_idempotent(&method), "{method}");
    }
    assert!(!retry::is_idempotent(&Method::POST));
    assert!(!retry::is_idempotent(&Method::PATCH));
    assert_eq!(RetryPolicy::none().retries(), 0);
    assert_eq!(RetryPolicy::default().max_retries(5).retries(), 5);
}

#[test]
fn error_messages_say_what_happened_and_cut_long_bodies() {
    let body = "é".repeat(300);
    let error = Error::UnexpectedStatus { status: 500, body: body.clone(), attempts: 3 };
    let message = error.to_string();
    assert!(message.starts_with("unexpected HTTP status 500 after 3 attempts: "), "{message}");
    assert_eq!(message.chars().filter(|c| *c == 'é').count(), 200, "the body is cut at 200 characters");
    assert_eq!(error.status(), Some(500));
    let once = Error::UnexpectedStatus { status: 404, body: "gone".to_owned(), attempts: 1 };
    assert_eq!(once.to_string(), "unexpected HTTP status 404: gone");
    let config = Error::Config("no base URL".to_owned());
    assert_eq!(config.to_string(), "invalid client configuration: no base URL");
    assert_eq!(config.status(), None);
}

#[test]
fn optional_query_parameters_are_added_as_their_text_only_when_set() {
    let mut query = Vec::new();
    http::query_parameter(&mut query, "limit", Some(10));
    http::query_parameter(&mut query, "tag", None::<&str>);
    http::query_parameter(&mut query, "exact", Some(true));
    http::query_parameter(&mut query, "q", Some("a b"));
    let pairs: Vec<(&str, &str)> = query.iter().map(|(name, text)| (name.as_str(), text.as_str())).collect();
    assert_eq!(pairs, [("limit", "10"), ("exact", "true"), ("q", "a b")], "encoding is reqwest's, later");
}

#[test]
fn path_parameters_keep_reserved_characters_inside() {
    let encoded = |value| http::path_parameter("get_book", "bookId", value).expect("sendable");
    assert_eq!(encoded("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
    assert_eq!(encoded("Grüße"), "Gr%C3%BC%C3%9Fe");
    assert_eq!(encoded("safe-._~09AZaz"), "safe-._~09AZaz");
    // `%` is encoded, so a value spelling a dot segment's escape is sent as text.
    assert_eq!(encoded("%2e"), "%252e");
    assert_eq!(encoded("..."), "...");
}

#[test]
fn path_parameters_that_would_leave_their_segment_are_refused() {
    for value in ["", ".", ".."] {
        match http::path_parameter("delete_book", "bookId", value) {
            Err(error @ Error::InvalidParameter { operation: "delete_book", parameter: "bookId", .. }) => {
                let message = error.to_string();
                assert!(message.starts_with("`delete_book` was not sent: its parameter `bookId`"), "{message}");
            }
            other => panic!("{value:?}: {other:?}"),
        }
    }
}

#[test]
fn cookie_values_are_cookie_octets() {
    assert_eq!(http::cookie_value("x; admin=1"), "x%3B%20admin=1");
    assert_eq!(http::cookie_value("\"a,b\\\"%"), "%22a%2Cb%5C%22%25");
    assert_eq!(http::cookie_value("é\r\n"), "%C3%A9%0D%0A");
    assert_eq!(http::cookie_value("abc-_.!#$&'()*+/:<=>?@[]^`{|}~"), "abc-_.!#$&'()*+/:<=>?@[]^`{|}~");
}

#[test]
fn header_values_that_would_not_arrive_as_given_are_refused() {
    let sent = http::header_value("list", "X-Note", "a b\tc é").expect("sendable");
    assert_eq!(sent.as_bytes(), "a b\tc é".as_bytes());
    for value in [" a", "a\t", "a\r\nX-Admin: 1", "a\0"] {
        assert!(
            matches!(
                http::header_value("list", "X-Note", value),
                Err(Error::InvalidParameter { parameter: "X-Note", .. })
            ),
            "{value:?}"
        );
    }
}

#[test]
fn idempotency_keys_are_version_4_uuids_and_differ() {
    let keys: Vec<String> = (0..64).map(|_| http::idempotency_key()).collect();
    for key in &keys {
        let groups: Vec<&str> = key.split('-').collect();
        assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{key}");
        assert!(key.chars().all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{key}");
        assert!(groups[2].starts_with('4'), "version 4: {key}");
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "variant 10: {key}");
    }
    let distinct: std::collections::HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len());
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried_after_a_bad_gateway() {
    let replies = vec![Reply::html(502, "gateway"), Reply::json(200, "{}"), Reply::html(502, "gateway")];
    let server = RecordingServer::start(replies).expect("server");
    let http = http_client();
    let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(5));
    let keyed = http.post(server.url()).header("Idempotency-Key", "k1");
    assert_eq!(
        http::send(&transport(&http), &policy, LIMIT, keyed.build().expect("a request"))
            .await
            .expect("an answer")
            .status(),
        200
    );
    let plain = http.post(server.url());
    assert_eq!(
        http::send(&transport(&http), &policy, LIMIT, plain.build().expect("a request"))
            .await
            .expect("an answer")
            .status(),
        502,
        "a plain POST is not"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].header("idempotency-key"), requests[1].header("idempotency-key"));
}

#[test]
fn object_properties_become_text_pairs_without_nulls() {
    let value = serde_json::json!({"name": "Ada", "age": 36, "tags": ["a", "b"], "gone": null});
    let mut pairs = http::properties(&value);
    pairs.sort();
    let expected = [("age", "36"), ("name", "Ada"), ("tags", r#"["a","b"]"#)];
    assert_eq!(pairs, expected.map(|(name, text)| (name.to_owned(), text.to_owned())));
    assert!(http::properties(&"not an object").is_empty());
}

#[tokio::test]
async fn send_retries_until_an_answer_it_keeps_and_counts_the_attempts() {
    let server =
        RecordingServer::start(vec![Reply::html(503, "busy"), Reply::html(429, "slow"), Reply::json(200, "{}")])
            .expect("server");
    let http = http_client();
    let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(5));
    let request = http.post(server.url()).body("same body");
    let answer =
        http::send(&transport(&http), &policy, LIMIT, request.build().expect("a request")).await.expect("an answer");
    assert_eq!(answer.status(), 200);
    let value: serde_json::Value = http::json(&answer).expect("JSON");
    assert_eq!(value, serde_json::json!({}));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
}

#[tokio::test]
async fn send_gives_up_after_the_policy_s_retries_and_reports_the_status() {
    let server = RecordingServer::start(vec![Reply::html(503, "busy"); 3]).expect("server");
    let http = http_client();
    let policy = RetryPolicy::default().max_retries(1).initial_backoff(Duration::from_millis(5));
    let answer = http::send(&transport(&http), &policy, LIMIT, http.get(server.url()).build().expect("a request"))
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 503);
    match http::unexpected(&answer) {
        Error::UnexpectedStatus { status: 503, body, attempts: 2 } => assert_eq!(body, "busy"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_body_that_does_not_match_is_a_decode_error_with_the_body() {
    let server = RecordingServer::start(vec![Reply::json(200, r#"{"id": "not a number"}"#)]).expect("server");
    let http = http_client();
    let answer =
        http::send(&transport(&http), &RetryPolicy::none(), LIMIT, http.get(server.url()).build().expect("a request"))
            .await
            .expect("an answer");
    let result: Result<std::collections::BTreeMap<String, u32>, Error> = http::json(&answer);
    match result {
        Err(Error::Decode { status: 200, body, .. }) => assert!(body.contains("not a number")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_answer_is_read_whole_and_keeps_its_status_and_headers_with_the_value() {
    let server =
        RecordingServer::start(vec![Reply::json(201, r#"{"id": 7}"#), Reply::html(404, "gone")]).expect("server");
    let http = http_client();
    let (transport, policy) = (transport(&http), RetryPolicy::none());
    let send = || http::send(&transport, &policy, LIMIT, http.get(server.url()).build().expect("a request"));
    // What an operation's `read_answer` does: sort the statuses out.
    fn read(answer: &http::Answer) -> Result<serde_json::Value, Error> {
        match answer.status() {
            201 => http::json(answer),
            _ => Err(http::unexpected(answer)),
        }
    }
    let value = send().await.expect("an answer").read(read).expect("a value");
    assert_eq!(value.header("content-type"), Some("application/json"));
    assert_eq!((value.status, value.value), (201, serde_json::json!({"id": 7})));
    match send().await.expect("an answer").read(read) {
        Err(Error::UnexpectedStatus { status: 404, body, attempts: 1 }) => assert_eq!(body, "gone"),
        other => panic!("{other:?}"),
    }
}

json_object! {
    /// A struct as the generator writes one (`rust/emit/types.rs`): a required
    /// property, an optional one, an optional nullable one, a required
    /// nullable one, and the others kept.
    #[derive(Debug, PartialEq)]
    pub struct Pet {
        #[json("name", required)]
        pub name: String,
        #[json("tag", optional)]
        pub tag: Option<String>,
        #[json("owner", optional_nullable)]
        pub owner: Option<Option<String>>,
        #[json("born", required_nullable)]
        pub born: Option<i64>,
        #[json(others)]
        pub other: std::collections::BTreeMap<String, serde_json::Value>,
    }

    pub fn new(name: impl Into<String>, born: Option<i64>) -> Self;
}

json_object! {
    /// The same without the catch-all: unknown properties are skipped.
    #[derive(Debug, PartialEq)]
    pub struct Tag {
        /// Its only property, under another name in Rust.
        #[json("label", required)]
        pub text: String,
        /// Named like the macro's own locals, which hygiene keeps apart.
        #[json("map", optional)]
        pub map: Option<String>,
        #[json("key", optional)]
        pub key: Option<String>,
    }

    pub fn new(text: String) -> Self;
}

request_builder! {
    /// A request builder as the generator writes one (`rust/emit/operations.rs`).
    #[derive(Debug, Clone)]
    pub struct ListPets<'a> {
        client: &'a Client,
        owner: &'a str,
        limit: Option<i64>,
        tag: Option<&'a str>,
    }

    /// At most this many.
    pub fn limit(mut self, limit: i64) -> Self;

    pub fn tag(mut self, tag: &'a str) -> Self;
}

request_builder! {
    /// A builder whose name is long enough for prettyplease to wrap its
    /// generics, with a trailing comma (as the corpus's openSUSE document does).
    pub struct GetPublishedProjectNameRepositoryNameArchitectureNameBinaryFilenameView<
        'a,
    > {
        client: &'a Client,
        project_name: &'a str,
    }
}

#[test]
fn request_builders_hold_their_parameters_and_set_the_optional_ones() {
    let client = Client::builder(Some("https://example.com")).build().expect("a client");
    let built = ListPets { client: &client, owner: "ann", limit: None, tag: None };
    assert_eq!((built.owner, built.limit, built.tag), ("ann", None, None));
    let long = GetPublishedProjectNameRepositoryNameArchitectureNameBinaryFilenameView {
        client: &client,
        project_name: "obs",
    };
    assert!(std::ptr::eq(long.client, &client) && long.project_name == "obs");
    let built = built.tag("cat").limit(3).limit(5);
    assert_eq!((built.owner, built.limit, built.tag), ("ann", Some(5), Some("cat")), "the last value set wins");
    assert!(std::ptr::eq(built.client, &client), "a setter keeps the client");
}

string_enum! {
    /// A string enum as the generator writes one (`rust/emit/types.rs`).
    #[derive(Debug, Clone, PartialEq)]
    pub enum Status {
        Available = "available",
        OnHold = "on hold",
        /// A value this client does not know yet, kept as it was sent.
        Unknown(String),
    }
}

#[test]
fn string_enums_are_their_values_and_keep_the_ones_they_do_not_know() {
    assert_eq!(Status::OnHold.as_str(), "on hold");
    assert_eq!(Status::Available.to_string(), "available");
    assert_eq!(serde_json::to_string(&Status::OnHold).expect("serialize"), r#""on hold""#);
    let read: Vec<Status> = serde_json::from_str(r#"["available", "sold"]"#).expect("any string reads");
    assert_eq!(read, [Status::Available, Status::Unknown("sold".to_owned())]);
    assert_eq!(serde_json::to_string(&read).expect("serialize"), r#"["available","sold"]"#, "sent as it was read");
    let error = serde_json::from_str::<Status>("7").expect_err("a number is not a string").to_string();
    assert!(error.starts_with("invalid type: integer `7`, expected a string"), "{error}");
}

#[test]
fn constructors_take_the_required_properties_and_leave_the_others_out() {
    let pet = Pet::new("Rex", None);
    assert_eq!(pet, Pet { name: "Rex".into(), tag: None, owner: None, born: None, other: Default::default() });
    assert_eq!(Pet::new(String::from("Rex"), Some(2020)).born, Some(2020));
    assert_eq!(Tag::new("bug".to_owned()), Tag { text: "bug".into(), map: None, key: None });
}

#[test]
fn objects_read_required_optional_and_nullable_properties_as_serde_derive_would() {
    let pet: Pet = serde_json::from_str(r#"{"name": "Rex"}"#).expect("only the required property");
    assert_eq!(pet, Pet { name: "Rex".into(), tag: None, owner: None, born: None, other: Default::default() });

    let pet: Pet = serde_json::from_str(r#"{"tag": null, "owner": null, "born": null, "name": "Rex"}"#).expect("nulls");
    assert_eq!(
        (pet.tag, pet.owner, pet.born),
        (None, Some(None), None),
        "null is None; a nullable's null is Some(None)"
    );

    let pet: Pet = serde_json::from_str(r#"{"name": "Rex", "tag": "dog", "owner": "Ann", "born": 2020}"#).expect("all");
    assert_eq!((pet.tag.as_deref(), pet.owner, pet.born), (Some("dog"), Some(Some("Ann".into())), Some(2020)));

    let error = serde_json::from_str::<Pet>(r#"{"tag": "dog"}"#).expect_err("name is required").to_string();
    assert!(error.starts_with("missing field `name`"), "{error}");
    let error = serde_json::from_str::<Pet>(r#"{"name": 7}"#).expect_err("a number for a string").to_string();
    assert!(error.starts_with("invalid type: integer `7`, expected a string"), "{error}");
    let error = serde_json::from_str::<Pet>(r#"["Rex"]"#).expect_err("an array is not an object").to_string();
    assert!(error.starts_with("invalid type: sequence, expected an object of type `Pet`"), "{error}");
}

#[test]
fn objects_write_none_as_left_out_a_nullable_none_as_null_and_the_others_after_their_properties() {
    let rex = |tag: Option<&str>, owner: Option<Option<&str>>| Pet {
        name: "Rex".into(),
        tag: tag.map(str::to_owned),
        owner: owner.map(|owner| owner.map(str::to_owned)),
        born: None,
        other: [("chip".to_owned(), serde_json::json!(12))].into(),
    };
    let text = serde_json::to_string(&rex(None, None)).expect("serialize");
    assert_eq!(text, r#"{"name":"Rex","born":null,"chip":12}"#, "a required nullable property is sent as null");
    let text = serde_json::to_string(&rex(Some("dog"), Some(None))).expect("serialize");
    assert_eq!(text, r#"{"name":"Rex","tag":"dog","owner":null,"born":null,"chip":12}"#);
    for pet in [rex(None, None), rex(Some("dog"), Some(None)), rex(None, Some(Some("Ann")))] {
        let text = serde_json::to_string(&pet).expect("serialize");
        assert_eq!(serde_json::from_str::<Pet>(&text).expect("read back"), pet, "{text}");
    }

    // The first error is the one returned; the properties after it are not written.
    struct Failing;
    impl serde::Serialize for Failing {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("this value can't be written"))
        }
    }
    let mut output = Vec::new();
    let mut serializer = serde_json::Serializer::new(&mut output);
    let mut object = object::Writer::new(&mut serializer);
    object.required("first", &1);
    object.required("broken", &Failing);
    object.required("after", &2);
    let error = object.end().expect_err("the failure is kept");
    assert_eq!(error.to_string(), "this value can't be written");
    assert_eq!(String::from_utf8_lossy(&output), r#"{"first":1,"broken":"#);
}

#[test]
fn objects_keep_or_skip_the_properties_they_do_not_name() {
    let pet: Pet = serde_json::from_str(r#"{"name": "Rex", "chip": {"id": 12}, "n\u0061me2": [1]}"#).expect("others");
    assert_eq!(pet.other.len(), 2, "{:?}", pet.other);
    assert_eq!(pet.other["chip"], serde_json::json!({"id": 12}));
    assert_eq!(pet.other["name2"], serde_json::json!([1]), "an escaped key is read too");

    let tag: Tag = serde_json::from_str(r#"{"color": {"deep": [1, {"x": null}]}, "l\u0061bel": "new"}"#).expect("skip");
    assert_eq!(tag, Tag { text: "new".into(), map: None, key: None });
    let tag: Tag = serde_json::from_str(r#"{"key": "k", "label": "new", "map": "m"}"#).expect("map and key");
    assert_eq!((tag.map.as_deref(), tag.key.as_deref()), (Some("m"), Some("k")));
}

#[test]
fn objects_read_from_buffered_values_as_untagged_enums_and_json_values_hold_them() {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(untagged)]
    enum PetOrTag {
        Pet(Pet),
        Tag(Tag),
    }
    let either: Vec<PetOrTag> = serde_json::from_str(r#"[{"label": "new"}, {"name": "Rex"}]"#).expect("untagged");
    assert!(matches!(&either[..], [PetOrTag::Tag(tag), PetOrTag::Pet(pet)] if tag.text == "new" && pet.name == "Rex"));
    let tag: Tag = serde_json::from_value(serde_json::json!({"label": "from a Value"})).expect("from_value");
    assert_eq!(tag.text, "from a Value");
}

/// A server that answers one request with `total` bytes of body, 64 KiB at
/// a time, announcing `content_length` (or none: the body ends when the
/// connection closes). Counts what it managed to write before the client
/// hung up.
async fn streaming_server(content_length: Option<u64>, total: u64) -> (String, Arc<AtomicU64>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let written = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&written);
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let mut byte = [0u8; 1];
            if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                return;
            }
            head.push(byte[0]);
        }
        let length = content_length.map(|length| format!("content-length: {length}\r\n")).unwrap_or_default();
        let head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n{length}connection: close\r\n\r\n");
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = vec![b'x'; 64 * 1024];
        while counter.load(Ordering::SeqCst) < total {
            if stream.write_all(&chunk).await.is_err() {
                return;
            }
            counter.fetch_add(chunk.len() as u64, Ordering::SeqCst);
        }
    });
    (url, written)
}

#[tokio::test]
async fn an_answer_longer_than_the_limit_is_refused_without_reading_the_rest() {
    const TOTAL: u64 = 1 << 30;
    let (url, written) = streaming_server(None, TOTAL).await;
    let http = http_client();
    let result =
        http::send(&transport(&http), &RetryPolicy::none(), LIMIT, http.get(&url).build().expect("a request")).await;
    match result {
        Err(error @ Error::ResponseTooLarge { status: 200, limit: LIMIT, attempts: 1 }) => {
            assert!(error.to_string().contains("longer than the limit of 1048576 bytes"), "{error}");
        }
        Err(other) => panic!("{other:?}"),
        Ok(answer) => panic!("an answer of status {}", answer.status()),
    }
    // The client hung up: the server could write little more than the
    // limit and what the sockets' buffers hold, not the whole gigabyte.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = written.load(Ordering::SeqCst);
    assert!(written < 64 << 20, "the server wrote {written} bytes");
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_the_body_is_read() {
    // Announces 1 TiB and sends one chunk: reading the body would wait for the rest.
    let (url, written) = streaming_server(Some(1 << 40), 64 * 1024).await;
    let http = http_client();
    let (transport, policy) = (transport(&http), RetryPolicy::none());
    let send = http::send(&transport, &policy, LIMIT, http.get(&url).build().expect("a request"));
    let result =
        tokio::time::timeout(Duration::from_secs(10), send).await.expect("refused without waiting for the body");
    assert!(matches!(result, Err(Error::ResponseTooLarge { limit: LIMIT, .. })), "{:?}", result.map(|a| a.status()));
    assert!(written.load(Ordering::SeqCst) <= 64 * 1024);
}

#[tokio::test]
async fn an_answer_of_exactly_the_limit_is_read() {
    let (url, _) = streaming_server(None, LIMIT).await;
    let http = http_client();
    let answer = http::send(&transport(&http), &RetryPolicy::none(), LIMIT, http.get(&url).build().expect("a request"))
        .await
        .expect("an answer");
    assert_eq!(http::bytes(&answer).len() as u64, LIMIT);
}

#[test]
fn a_union_takes_the_branch_that_names_the_most_and_a_map_names_everything() {
    let read_object = |json: &serde_json::Value| match json.as_object() {
        Some(_) => Ok(json.clone()),
        None => Err("not an object"),
    };
    let json = serde_json::json!({"ref_name": "main", "repository_name": "hello"});
    let mut fit = object::BestFit::new(&json);
    fit.branch(&["ref_name"], 1, false, |json| read_object(json).map(|_| "conditions"));
    fit.map_branch(|json| read_object(json).map(|_| "map"));
    assert_eq!(fit.value(), Some("map"), "the map keeps both properties");

    let json = serde_json::json!({"ref_name": "main"});
    let mut fit = object::BestFit::new(&json);
    fit.branch(&["ref_name"], 1, false, |json| read_object(json).map(|_| "conditions"));
    fit.map_branch(|json| read_object(json).map(|_| "map"));
    assert_eq!(fit.value(), Some("conditions"), "a tie: more required properties");

    let json = serde_json::json!({"message": "m", "sha": "s", "other": 1});
    let mut fit = object::BestFit::new(&json);
    fit.branch(&["message", "sha"], 2, true, |json| read_object(json).map(|_| "closed"));
    fit.branch(&["message"], 1, false, |json| read_object(json).map(|_| "open"));
    assert_eq!(fit.value(), Some("open"), "a closed branch doesn't fit a property it doesn't name");

    let json = serde_json::json!("text");
    let mut fit = object::BestFit::<&str>::new(&json);
    fit.branch(&["a"], 1, false, |json| read_object(json).map(|_| "object"));
    assert_eq!(fit.value(), None);
}

#[test]
fn a_client_needs_a_base_url_that_can_have_a_path() {
    let error = Client::builder(None).build().expect_err("no base URL").to_string();
    assert!(error.contains("no base URL: set one with ClientBuilder::base_url"), "{error}");
    let error = Client::builder(Some("mailto:ann@example.com")).build().expect_err("not a base").to_string();
    assert!(error.contains("it can't have a path"), "{error}");
    let client = Client::builder(None).base_url("http://127.0.0.1:9/v1/").build().expect("a client");
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v1/");
    let error = Client::builder(Some("https://example.com")).user_agent("a\nb").build().expect_err("a newline");
    assert!(error.to_string().contains("user agent"), "{error}");
}

#[test]
fn requests_go_under_the_base_url_with_the_headers_every_request_carries() {
    let client = Client::builder(Some("https://example.com/api/"))
        .user_agent("test/1")
        .timeout(Duration::from_secs(3))
        .build()
        .expect("a client");
    let query = [("q".to_owned(), "a b".to_owned())];
    let request = client.request(reqwest::Method::GET, "/pets/1", &query).build().expect("a request");
    assert_eq!(request.url().as_str(), "https://example.com/api/pets/1?q=a+b");
    assert_eq!(request.headers()["user-agent"], "test/1");
    assert_eq!(request.headers()["accept"], "application/json");
    assert_eq!(request.timeout(), Some(&Duration::from_secs(3)));
    let untimed = Client::builder(Some("https://example.com")).no_timeout().build().expect("a client");
    let request = untimed.request(reqwest::Method::GET, "/", &[]).build().expect("a request");
    assert_eq!(request.timeout(), None);
}

#[test]
fn the_client_and_its_builder_print_no_credentials() {
    let builder = Client::builder(Some("https://example.com")).max_response_bytes(7);
    let printed = format!("{builder:?}");
    assert!(printed.starts_with("ClientBuilder { base_url: Some(\"https://example.com\")"), "{printed}");
    assert!(printed.contains("credentials: \"<redacted>\""), "{printed}");
    let client = builder.no_retries().build().expect("a client");
    let printed = format!("{client:?}");
    assert!(printed.contains("max_response_bytes: 7") && printed.contains("credentials: \"<redacted>\""), "{printed}");
    let secret = connection::secret("Bearer key".to_owned()).expect("a header value");
    assert!(secret.is_sensitive() && format!("{secret:?}") == "Sensitive", "{secret:?}");
    assert!(connection::secret("a\nb".to_owned()).is_err(), "a newline can't be sent");
}
