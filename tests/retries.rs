//! The generated client's retries against a loopback server.

use std::time::{Duration, Instant};

use kanuu::{Client, CreateNonceError, CreateNonceRequest, Error, RetryPolicy};
use kanuu_tests::{RecordingServer, Reply};

const CREATED: &str = r#"{"nonce":"abc","url":"https://kanuu.io/manage/acme/abc"}"#;

fn client(server: &RecordingServer, retry: RetryPolicy) -> Client {
    Client::builder("key").base_url(server.url()).retry(retry).build().expect("the client builds")
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(10))
}

fn with_header(status: u16, name: &str, value: &str) -> Reply {
    Reply::Status {
        status,
        content_type: "application/json",
        body: r#"{"message":"slow down"}"#.to_owned(),
        headers: vec![(name.to_owned(), value.to_owned())],
    }
}

#[tokio::test]
async fn service_unavailable_then_created_succeeds_after_one_retry() {
    let server = RecordingServer::start(vec![Reply::html(503, "busy"), Reply::json(201, CREATED)]).expect("server");
    let nonce = client(&server, fast()).create_nonce(&CreateNonceRequest::new("42")).await.expect("the retry succeeds");
    assert_eq!(nonce.nonce, "abc");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].json(), requests[1].json(), "the retry sends the same body");
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after() {
    let server =
        RecordingServer::start(vec![with_header(429, "retry-after", "1"), Reply::json(201, CREATED)]).expect("server");
    let started = Instant::now();
    client(&server, fast()).create_nonce(&CreateNonceRequest::new("42")).await.expect("the retry succeeds");
    // Only a lower bound: the client must not retry before the server said it may.
    assert!(started.elapsed() >= Duration::from_millis(950), "waited {:?}", started.elapsed());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn exhausted_retries_report_the_attempts() {
    let server = RecordingServer::start(vec![Reply::html(503, "busy")]).expect("server");
    let error = client(&server, fast()).create_nonce(&CreateNonceRequest::new("42")).await.expect_err("503 persists");
    match &error {
        CreateNonceError::Other(Error::UnexpectedStatus { status: 503, attempts: 3, .. }) => {}
        other => panic!("expected 503 after 3 attempts, got {other:?}"),
    }
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_refused_connection_is_retried_and_counted() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let client = Client::builder("key")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(fast().max_retries(1))
        .build()
        .expect("client");
    match client.create_nonce(&CreateNonceRequest::new("42")).await {
        Err(CreateNonceError::Other(Error::Transport { attempts: 2, .. })) => {}
        other => panic!("expected a transport error after 2 attempts, got {other:?}"),
    }
}

#[tokio::test]
async fn post_is_not_retried_where_the_server_may_have_acted() {
    for status in [502, 504] {
        let server =
            RecordingServer::start(vec![Reply::html(status, "gateway"), Reply::json(201, CREATED)]).expect("server");
        let result = client(&server, fast()).create_nonce(&CreateNonceRequest::new("42")).await;
        assert!(
            matches!(result, Err(CreateNonceError::Other(Error::UnexpectedStatus { attempts: 1, .. }))),
            "{result:?}"
        );
        assert_eq!(server.requests().len(), 1, "POST after {status} is sent once");
    }
}

#[tokio::test]
async fn idempotent_requests_are_retried_after_a_bad_gateway() {
    let server = RecordingServer::start(vec![Reply::html(502, "gateway"), Reply::json(200, "[]")]).expect("server");
    let client = query_parameters::Client::builder()
        .base_url(server.url())
        .retry(query_parameters::RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("client");
    client.list_books().await.expect("GET is retried");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_maximum_ends_the_retries() {
    let server = RecordingServer::start(vec![with_header(429, "retry-after", "3600")]).expect("server");
    let result = client(&server, fast()).create_nonce(&CreateNonceRequest::new("42")).await;
    assert!(matches!(result, Err(CreateNonceError::Other(Error::UnexpectedStatus { status: 429, attempts: 1, .. }))));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = RecordingServer::start(vec![Reply::html(503, "busy"), Reply::json(201, CREATED)]).expect("server");
    let client = Client::builder("key").base_url(server.url()).no_retries().build().expect("client");
    let result = client.create_nonce(&CreateNonceRequest::new("42")).await;
    assert!(matches!(result, Err(CreateNonceError::Other(Error::UnexpectedStatus { status: 503, attempts: 1, .. }))));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_timeout_on_post_is_not_retried() {
    let server = RecordingServer::start(vec![Reply::Hang]).expect("server");
    let client = Client::builder("key")
        .base_url(server.url())
        .timeout(Duration::from_millis(200))
        .retry(fast())
        .build()
        .expect("client");
    let result = client.create_nonce(&CreateNonceRequest::new("42")).await;
    assert!(matches!(result, Err(CreateNonceError::Other(Error::Timeout { attempts: 1, .. }))), "{result:?}");
    assert_eq!(server.requests().len(), 1);
}
