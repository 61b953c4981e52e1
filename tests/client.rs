//! The generated client against a real HTTP server on loopback: the request
//! it sends and every kind of answer.

use std::time::Duration;

use kanuu::{Client, CreateNonceError, CreateNonceRequest, Error};
use kanuu_tests::{RecordingServer, Reply};

const KEY: &str = "test-key-0123456789";

fn client(server: &RecordingServer) -> Client {
    Client::builder(KEY).base_url(server.url()).build().expect("the client builds")
}

async fn create_nonce(reply: Reply) -> (Result<kanuu::Nonce, CreateNonceError>, RecordingServer) {
    let server = RecordingServer::start(vec![reply]).expect("the server starts");
    let result = client(&server).create_nonce(&CreateNonceRequest::new("42")).await;
    (result, server)
}

#[tokio::test]
async fn sends_the_documented_request() {
    let (result, server) =
        create_nonce(Reply::json(201, r#"{"nonce":"abc","url":"https://kanuu.io/manage/acme/abc"}"#)).await;
    result.expect("201 is a success");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/api/nonce");
    assert_eq!(request.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.json(), serde_json::json!({"identifier": "42"}));
}

#[tokio::test]
async fn created_returns_the_typed_nonce() {
    let (result, _server) = create_nonce(Reply::json(
        201,
        r#"{"nonce":"d3e2c48bb1fb4badfa27fe9a03924207","url":"https://kanuu.io/manage/acme/d3e2c48bb1fb4badfa27fe9a03924207"}"#,
    ))
    .await;
    let nonce = result.expect("201 is a success");
    assert_eq!(nonce.nonce, "d3e2c48bb1fb4badfa27fe9a03924207");
    assert_eq!(nonce.url, "https://kanuu.io/manage/acme/d3e2c48bb1fb4badfa27fe9a03924207");
}

#[tokio::test]
async fn payment_required_is_a_typed_error() {
    let (result, _server) = create_nonce(Reply::json(402, r#"{"message":"Payment Required"}"#)).await;
    match result {
        Err(CreateNonceError::PaymentRequired(body)) => assert_eq!(body.message, "Payment Required"),
        other => panic!("expected PaymentRequired, got {other:?}"),
    }
}

#[tokio::test]
async fn unauthenticated_is_a_typed_error() {
    let (result, _server) = create_nonce(Reply::json(401, r#"{"message":"Unauthenticated."}"#)).await;
    match result {
        Err(CreateNonceError::Unauthorized(body)) => assert_eq!(body.message, "Unauthenticated."),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
}

#[tokio::test]
async fn validation_failure_carries_field_errors() {
    let (result, _server) = create_nonce(Reply::json(
        422,
        r#"{"message":"The identifier field is required.","errors":{"identifier":["The identifier field is required."]}}"#,
    ))
    .await;
    match result {
        Err(CreateNonceError::UnprocessableEntity(body)) => {
            assert_eq!(body.message, "The identifier field is required.");
            assert_eq!(body.errors["identifier"], vec!["The identifier field is required.".to_owned()]);
        }
        other => panic!("expected UnprocessableEntity, got {other:?}"),
    }
}

#[tokio::test]
async fn undocumented_status_keeps_status_and_body() {
    let (result, _server) = create_nonce(Reply::html(500, "<html><body>Server Error</body></html>")).await;
    match result {
        Err(CreateNonceError::Other(Error::UnexpectedStatus { status, body, .. })) => {
            assert_eq!(status, 500);
            assert_eq!(body, "<html><body>Server Error</body></html>");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_json_is_a_decode_error() {
    let (result, _server) = create_nonce(Reply::json(201, r#"{"nonce": 42"#)).await;
    match result {
        Err(CreateNonceError::Other(Error::Decode { status, body, .. })) => {
            assert_eq!(status, 201);
            assert_eq!(body, r#"{"nonce": 42"#);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    let server = RecordingServer::start(vec![Reply::Hang]).expect("the server starts");
    let client = Client::builder(KEY)
        .base_url(server.url())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("the client builds");
    let result = client.create_nonce(&CreateNonceRequest::new("42")).await;
    assert!(matches!(result, Err(CreateNonceError::Other(Error::Timeout { .. }))), "{result:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let client = Client::builder(KEY).base_url(format!("http://127.0.0.1:{port}")).build().expect("the client builds");
    let result = client.create_nonce(&CreateNonceRequest::new("42")).await;
    assert!(matches!(result, Err(CreateNonceError::Other(Error::Transport { .. }))), "{result:?}");
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_a_transport_error() {
    let (result, _server) =
        create_nonce(Reply::DropMidBody { status: 201, body: r#"{"nonce":"abc","url":"https://x"}"#.to_owned() }).await;
    assert!(matches!(result, Err(CreateNonceError::Other(Error::Transport { .. }))), "{result:?}");
}

#[tokio::test]
async fn the_key_never_shows_in_debug_output_or_errors() {
    let server = RecordingServer::start(vec![Reply::html(500, "oops")]).expect("the server starts");
    let client = client(&server);
    assert!(!format!("{client:?}").contains(KEY), "{client:?}");
    let builder = Client::builder(KEY);
    assert!(!format!("{builder:?}").contains(KEY));
    let error = client.create_nonce(&CreateNonceRequest::new("42")).await.expect_err("500 is an error");
    assert!(!format!("{error} {error:?}").contains(KEY));

    let refused = Client::builder(KEY).base_url("http://127.0.0.1:9").build().expect("the client builds");
    let error = refused.create_nonce(&CreateNonceRequest::new("42")).await.expect_err("nothing listens");
    assert!(!format!("{error} {error:?}").contains(KEY));
}

#[tokio::test]
async fn bad_configuration_is_an_error_not_a_panic() {
    assert!(matches!(Client::builder(KEY).base_url("not a url").build(), Err(Error::Config(_))));
    assert!(matches!(Client::builder(KEY).base_url("mailto:x@y").build(), Err(Error::Config(_))));
    let error = Client::builder("line\nbreak").build().expect_err("a newline can't go in a header");
    assert!(!error.to_string().contains("line\nbreak"));
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    let server = RecordingServer::start(vec![Reply::json(201, r#"{"nonce":"a","url":"https://x"}"#)])
        .expect("the server starts");
    let client =
        Client::builder(KEY).base_url(format!("{}/sandbox/", server.url())).build().expect("the client builds");
    client.create_nonce(&CreateNonceRequest::new("42")).await.expect("201");
    assert_eq!(server.requests()[0].target, "/sandbox/api/nonce");
}

#[tokio::test]
async fn own_reqwest_client_and_user_agent_are_used() {
    let server = RecordingServer::start(vec![Reply::json(201, r#"{"nonce":"a","url":"https://x"}"#)])
        .expect("the server starts");
    let client = Client::builder(KEY)
        .base_url(server.url())
        .user_agent("billing-app/2.0")
        .http_client(Client::http_builder().expect("a builder").build().expect("a reqwest client"))
        .build()
        .expect("the client builds");
    client.create_nonce(&CreateNonceRequest::new("42")).send().await.expect("201");
    assert_eq!(server.requests()[0].header("user-agent"), Some("billing-app/2.0"));
}

#[tokio::test]
async fn send_with_response_keeps_the_status_and_headers_with_the_value() {
    let server = RecordingServer::start(vec![Reply::Status {
        status: 201,
        content_type: "application/json",
        body: r#"{"nonce":"abc","url":"https://kanuu.io/manage/acme/abc"}"#.to_owned(),
        headers: vec![
            ("x-ratelimit-remaining".to_owned(), "59".to_owned()),
            ("location".to_owned(), "/api/nonce/abc".to_owned()),
        ],
    }])
    .expect("server");
    let client = kanuu::Client::builder("key").base_url(server.url()).build().expect("client");
    let response = client.create_nonce(&kanuu::CreateNonceRequest::new("42")).send_with_response().await.expect("201");
    assert_eq!(response.status, 201);
    assert_eq!(response.header("x-ratelimit-remaining"), Some("59"));
    assert_eq!(response.header("Location"), Some("/api/nonce/abc"), "header names are case-insensitive");
    assert_eq!(response.header("etag"), None);
    assert_eq!(response.value.nonce, "abc");
    assert_eq!(response.into_value().url, "https://kanuu.io/manage/acme/abc");
}

/// A reqwest-middleware hook, as users write one for tracing or request ids:
/// it adds a header and records each attempt it sees.
struct Recorder {
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    fail: bool,
}

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for Recorder {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        if self.fail {
            return Err(reqwest_middleware::Error::middleware(std::io::Error::other("token refresh failed")));
        }
        request.headers_mut().insert("x-request-id", reqwest::header::HeaderValue::from_static("req-1"));
        self.seen.lock().unwrap().push(format!("{} {}", request.method(), request.url().path()));
        let response = next.run(request, extensions).await;
        if let Ok(response) = &response {
            self.seen.lock().unwrap().push(response.status().as_str().to_owned());
        }
        response
    }
}

fn with_middleware(server: &RecordingServer, fail: bool) -> (Client, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let stack = reqwest_middleware::ClientBuilder::new(
        Client::http_builder().expect("a builder").build().expect("a reqwest client"),
    )
    .with(Recorder { seen: seen.clone(), fail })
    .build();
    let retry = kanuu::RetryPolicy::default().initial_backoff(Duration::from_millis(5));
    let client = Client::builder(KEY).base_url(server.url()).retry(retry).middleware(stack).build().expect("client");
    (client, seen)
}

#[tokio::test]
async fn a_middleware_sees_every_attempt_and_can_add_headers() {
    let created = r#"{"nonce":"abc","url":"https://kanuu.io/manage/acme/abc"}"#;
    let server = RecordingServer::start(vec![Reply::html(503, "busy"), Reply::json(201, created)]).expect("server");
    let (client, seen) = with_middleware(&server, false);
    client.create_nonce(&CreateNonceRequest::new("42")).await.expect("201 after a retry");
    assert_eq!(*seen.lock().unwrap(), ["POST /api/nonce", "503", "POST /api/nonce", "201"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.header("x-request-id") == Some("req-1")));
    assert_eq!(requests[0].header("authorization"), Some(&*format!("Bearer {KEY}")), "the client's credentials too");
}

#[tokio::test]
async fn a_middleware_s_own_error_is_reported_and_not_retried() {
    let server = RecordingServer::start(vec![Reply::json(201, "{}")]).expect("server");
    let (client, _) = with_middleware(&server, true);
    match client.create_nonce(&CreateNonceRequest::new("42")).await {
        Err(CreateNonceError::Other(error @ Error::Middleware { attempts: 1, .. })) => {
            assert!(error.to_string().contains("token refresh failed"), "{error}");
        }
        other => panic!("expected Error::Middleware, got {other:?}"),
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}
