//! OAuth2 tokens the client gets for itself (`tests/cases/oauth2-grants`),
//! against one loopback server that is both the API and its token
//! endpoint (`/oauth/token`, a relative token URL): the client credentials
//! grant, a token kept and renewed before it expires, many requests
//! sharing one fetch, a 401 that renews once, the refresh token grant with
//! a rotated refresh token, and a refused grant, whose secret shows
//! nowhere.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kanuu_tests::{Recorded, RecordingServer, Reply};
use oauth2_grants::{Client, Error, ListReportsError};

/// The form fields of a token request's body.
fn form(request: &Recorded) -> Vec<(String, String)> {
    let body = String::from_utf8_lossy(&request.body).into_owned();
    form_urlencoded::parse(body.as_bytes()).into_owned().collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

fn token(access_token: &str, expires_in: u64) -> Reply {
    Reply::json(200, &format!(r#"{{"access_token":"{access_token}","token_type":"Bearer","expires_in":{expires_in}}}"#))
}

fn token_requests(server: &RecordingServer) -> Vec<Recorded> {
    server.requests().into_iter().filter(|request| request.target == "/oauth/token").collect()
}

fn api_tokens(server: &RecordingServer) -> Vec<String> {
    let requests = server.requests().into_iter().filter(|request| request.target != "/oauth/token");
    requests.map(|request| request.header("authorization").unwrap_or_default().to_owned()).collect()
}

/// A server whose token endpoint gives `t1`, `t2`… (each valid for
/// `expires_in` seconds) and whose API accepts only the latest.
fn server(expires_in: u64) -> RecordingServer {
    let issued = Arc::new(AtomicUsize::new(0));
    RecordingServer::answering(move |request| {
        if request.target == "/oauth/token" {
            // Slow, so requests that need a token meanwhile pile up.
            std::thread::sleep(Duration::from_millis(100));
            let number = issued.fetch_add(1, Ordering::SeqCst) + 1;
            return token(&format!("t{number}"), expires_in);
        }
        let latest = format!("Bearer t{}", issued.load(Ordering::SeqCst));
        if request.header("authorization") == Some(latest.as_str()) {
            Reply::json(200, r#"[{"id":"r1"}]"#)
        } else {
            Reply::json(401, r#"{"error":"invalid_token"}"#)
        }
    })
    .expect("server")
}

fn machine(server: &RecordingServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .machine_client_credentials("reporting app", "s3cret&key")
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_client_credentials_token_is_fetched_once_and_sent_with_every_request() {
    let server = server(3600);
    let client = machine(&server);
    for _ in 0..3 {
        let reports = client.list_reports().await.expect("200");
        assert_eq!(reports[0].id, "r1");
    }
    let fetched = token_requests(&server);
    assert_eq!(fetched.len(), 1, "one token for three requests");
    let fields = form(&fetched[0]);
    assert_eq!(field(&fields, "grant_type"), Some("client_credentials"));
    assert_eq!(field(&fields, "scope"), Some("reports:read"), "the scopes the operations require");
    assert_eq!(fetched[0].method, "POST");
    // RFC 6749 §2.3.1: id and secret form-encoded, then HTTP basic.
    let basic = format!("Basic {}", base64(b"reporting+app:s3cret%26key"));
    assert_eq!(fetched[0].header("authorization"), Some(basic.as_str()));
    assert_eq!(api_tokens(&server), ["Bearer t1", "Bearer t1", "Bearer t1"]);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    // Valid 2 s: renewed after half of that.
    let server = server(2);
    let client = machine(&server);
    client.list_reports().await.expect("200");
    client.list_reports().await.expect("200");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.list_reports().await.expect("200, with a new token");
    assert_eq!(token_requests(&server).len(), 2);
    assert_eq!(api_tokens(&server), ["Bearer t1", "Bearer t1", "Bearer t2"]);
}

#[tokio::test]
async fn requests_waiting_for_a_token_share_one_fetch() {
    let server = server(3600);
    let client = machine(&server);
    let calls = (0..16).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_reports().await.map(|reports| reports.len()) })
    });
    for call in calls.collect::<Vec<_>>() {
        assert_eq!(call.await.expect("joined").expect("200"), 1);
    }
    assert_eq!(token_requests(&server).len(), 1, "16 requests, one token fetched");
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_sends_the_request_again() {
    // The server revokes t1 by issuing t2 to someone else first.
    let server = server(3600);
    let client = machine(&server);
    client.list_reports().await.expect("200");
    let other = machine(&server);
    other.list_reports().await.expect("200 for the other client, with t2");
    client.list_reports().await.expect("200 after renewing");
    assert_eq!(api_tokens(&server), ["Bearer t1", "Bearer t2", "Bearer t1", "Bearer t3"]);
    assert_eq!(token_requests(&server).len(), 3);
}

#[tokio::test]
async fn a_401_after_renewing_is_the_operations_error_not_a_loop() {
    let server = RecordingServer::answering(|request| {
        if request.target == "/oauth/token" { token("t", 3600) } else { Reply::json(401, "{}") }
    })
    .expect("server");
    match machine(&server).list_reports().await {
        Err(ListReportsError::Unauthorized) => {}
        other => panic!("the documented 401, got {other:?}"),
    }
    assert_eq!(token_requests(&server).len(), 2, "renewed once");
    assert_eq!(api_tokens(&server).len(), 2, "sent twice");
}

#[tokio::test]
async fn a_refresh_token_is_exchanged_and_a_rotated_one_kept() {
    let issued = Arc::new(AtomicUsize::new(0));
    let server = RecordingServer::answering(move |request| {
        if request.target == "/oauth/token" {
            let number = issued.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(
                200,
                &format!(
                    r#"{{"access_token":"p{number}","token_type":"bearer","expires_in":0,"refresh_token":"r{number}"}}"#
                ),
            );
        }
        Reply::json(200, r#"{"name":"Ada"}"#)
    })
    .expect("server");
    let client = Client::builder()
        .base_url(server.url())
        .person_refresh_token("mobile app", None, "r0")
        .build()
        .expect("client");
    assert_eq!(client.get_me().await.expect("200").name, "Ada");
    // `expires_in: 0`: due at once, so the next request renews it.
    client.get_me().await.expect("200");
    let fetched = token_requests(&server);
    let (first, second) = (form(&fetched[0]), form(&fetched[1]));
    assert_eq!(field(&first, "grant_type"), Some("refresh_token"));
    assert_eq!(field(&first, "refresh_token"), Some("r0"));
    assert_eq!(field(&first, "client_id"), Some("mobile app"), "a public client names itself");
    assert_eq!(field(&first, "scope"), Some("profile"));
    assert_eq!(fetched[0].header("authorization"), None);
    assert_eq!(field(&second, "refresh_token"), Some("r1"), "the rotated refresh token");
    assert_eq!(api_tokens(&server), ["Bearer p1", "Bearer p2"]);
}

#[tokio::test]
async fn a_refused_grant_is_a_token_error_and_the_secret_shows_nowhere() {
    let server = RecordingServer::start(vec![Reply::json(401, r#"{"error":"invalid_client"}"#)]).expect("server");
    let client = machine(&server);
    let error = match client.list_reports().await {
        Err(ListReportsError::Other(error)) => error,
        other => panic!("a token error, got {other:?}"),
    };
    assert!(matches!(&error, Error::Token { status: 401, body, .. } if body.contains("invalid_client")), "{error:?}");
    assert_eq!(server.requests().len(), 1, "the API is not asked without a token");
    for shown in [format!("{error}"), format!("{error:?}"), format!("{client:?}")] {
        assert!(!shown.contains("s3cret"), "the secret shows in {shown}");
    }
}

/// Standard base64, for the expected `Authorization: Basic`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, byte)| n | u32::from(*byte) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
