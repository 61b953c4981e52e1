//! Receiving webhooks and callbacks with the generated crates
//! (`tests/cases/webhooks`, signed the Standard Webhooks way, and
//! `tests/cases/callbacks`, unsigned): a Python script signs deliveries
//! with its own `hmac` and sends them over HTTP to a loopback server whose
//! handler is what a user writes, `Verifier::read` or
//! `Webhook::from_request`; the handler's answer tells the script what
//! was accepted, and the values it read are checked here.

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use kanuu_tests::{Recorded, RecordingServer, Reply};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// An endpoint's secret, as the API would show it.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// Another endpoint's secret.
const OTHER_SECRET: &str = "whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=";

/// Signs and sends deliveries: `sender.py URL SECRET OTHER_SECRET`, one
/// `name status body` line per delivery. Standard Webhooks' scheme,
/// written from its specification, not from our code.
const SENDER: &str = r#"
import base64, hashlib, hmac, json, sys, time, urllib.request, urllib.error

url, secret, other = sys.argv[1], sys.argv[2], sys.argv[3]

def sign(secret, msg_id, timestamp, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()

def send(name, body, headers):
    request = urllib.request.Request(url + "/hooks", data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request) as answer:
            status, text = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    print(name, status, text)

def delivery(name, payload, secret=secret, age=0, signature=None, sent_body=None, extra=None):
    body = b"" if payload is None else json.dumps(payload).encode()
    timestamp = str(int(time.time()) - age)
    msg_id = "msg_" + name
    headers = {"webhook-id": msg_id, "webhook-timestamp": timestamp,
               "webhook-signature": signature or sign(secret, msg_id, timestamp, body)}
    if extra:
        headers.update(extra)
    headers = {key: value for key, value in headers.items() if value is not None}
    send(name, body if sent_body is None else sent_body, headers)

subscription = {"id": "sub_1042", "status": "active", "plan": "pro-monthly", "cancelAt": None}
created = {"type": "subscription.created", "timestamp": "2026-12-06T10:00:00Z", "data": subscription}
cancelled = {"type": "subscription.cancelled", "timestamp": "2026-12-06T11:00:00Z",
             "data": dict(subscription, status="cancelled"), "reason": None}

delivery("created", created)
delivery("cancelled", cancelled)
delivery("paid", {"type": "invoice.paid", "data": {"id": "in_88", "amount": 1200, "currency": "EUR"}})
delivery("ping", None)
delivery("rotated", created, signature=sign(other, "msg_rotated", str(int(time.time())), json.dumps(created).encode())
         + " " + sign(secret, "msg_rotated", str(int(time.time())), json.dumps(created).encode()))
delivery("wrong-secret", created, secret=other)
delivery("replayed", created, age=3600)
delivery("from-the-future", created, age=-3600)
delivery("tampered", created, sent_body=json.dumps(dict(created, data=dict(subscription, plan="free"))).encode())
delivery("unsigned", created, extra={"webhook-signature": None})
delivery("v2-only", created, signature="v2," + sign(secret, "msg_v2-only", str(int(time.time())),
         json.dumps(created).encode())[3:])
delivery("unknown-type", {"type": "invoice.voided", "data": {}})
"#;

fn header_map(request: &Recorded) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        headers.append(HeaderName::from_bytes(name.as_bytes()).unwrap(), HeaderValue::from_str(value).unwrap());
    }
    headers
}

/// Runs the sender against `server`: its lines, by delivery name.
fn send_deliveries(server: &RecordingServer, script: &str) -> Vec<(String, String)> {
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(server.url())
        .arg(SECRET)
        .arg(OTHER_SECRET)
        .output()
        .expect("python3 runs (install python3)");
    assert!(output.status.success(), "the sender failed: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout.lines().map(|line| line.split_once(' ').map(|(a, b)| (a.to_owned(), b.to_owned())).unwrap()).collect()
}

/// A loopback server whose handler reads each delivery with `read`, as a
/// user's would, and answers 200 with the webhook's variant, or `refused`
/// with why; and what it read.
fn receiver<W, E>(
    read: impl Fn(&HeaderMap, &[u8]) -> Result<W, E> + Send + Sync + 'static,
    refused: u16,
) -> (RecordingServer, Arc<Mutex<Vec<W>>>)
where
    W: std::fmt::Debug + Clone + Send + 'static,
    E: std::fmt::Display,
{
    let received: Arc<Mutex<Vec<W>>> = Arc::default();
    let kept = received.clone();
    let server = RecordingServer::answering(move |request| match read(&header_map(request), &request.body) {
        Ok(webhook) => {
            kept.lock().unwrap().push(webhook.clone());
            let variant = format!("{webhook:?}");
            let variant = variant.split(['(', ' ']).next().unwrap_or_default().to_owned();
            Reply::json(200, &serde_json::to_string(&variant).unwrap())
        }
        Err(error) => Reply::json(refused, &serde_json::to_string(&error.to_string()).unwrap()),
    })
    .unwrap();
    (server, received)
}

fn lines(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(name, answer)| (name.to_string(), answer.to_string())).collect()
}

#[test]
fn signed_deliveries_are_checked_and_read_into_their_webhook() {
    use billing_events::webhooks::{Verifier, Webhook};
    let verifier = Verifier::new(SECRET).expect("the secret reads");
    let (server, read) = receiver(move |headers, body| verifier.read(headers, body), 401);
    let expected = lines(&[
        ("created", "200 \"SubscriptionCreated\""),
        ("cancelled", "200 \"SubscriptionCancelled\""),
        ("paid", "200 \"InvoicePaid\""),
        ("ping", "200 \"Ping\""),
        ("rotated", "200 \"SubscriptionCreated\""),
        ("wrong-secret", "401 \"no signature of the delivery was made with the secret\""),
        ("replayed", "401 \"the delivery's timestamp is too far from now (a replay, or a clock that is off)\""),
        ("from-the-future", "401 \"the delivery's timestamp is too far from now (a replay, or a clock that is off)\""),
        ("tampered", "401 \"no signature of the delivery was made with the secret\""),
        ("unsigned", "401 \"the delivery has no `webhook-signature` header\""),
        ("v2-only", "401 \"no signature of the delivery was made with the secret\""),
        ("unknown-type", "401 \"the delivery is none of the API's webhooks\""),
    ]);
    assert_eq!(send_deliveries(&server, SENDER), expected);

    let read = read.lock().unwrap();
    let Webhook::SubscriptionCreated(created) = &read[0] else { panic!("{:?}", read[0]) };
    assert_eq!(created.data.id, "sub_1042");
    assert_eq!(created.data.cancel_at, None);
    let Webhook::SubscriptionCancelled(cancelled) = &read[1] else { panic!("{:?}", read[1]) };
    assert_eq!(cancelled.reason, None);
    assert_eq!(format!("{:?}", cancelled.data.status), "Cancelled");
    let Webhook::InvoicePaid(paid) = &read[2] else { panic!("{:?}", read[2]) };
    assert_eq!((paid.data.amount, paid.data.currency.as_str()), (1200, "EUR"));
    assert_eq!(read[3], Webhook::Ping);
}

#[test]
fn a_verifier_signs_what_it_accepts_and_keeps_its_secret_to_itself() {
    use billing_events::webhooks::{Verifier, WebhookError};
    let verifier = Verifier::new(SECRET).unwrap();
    let debug = format!("{verifier:?}");
    assert!(!debug.contains("MfKQ9r8G"), "{debug}");
    assert!(matches!(Verifier::new("whsec_not base64!"), Err(WebhookError::Secret)));
    assert!(matches!(Verifier::new(""), Err(WebhookError::Secret)));

    // What a user's own tests do: sign a delivery and hand it to their handler.
    let body = br#"{"type":"invoice.paid","data":{"id":"in_1","amount":5,"currency":"EUR"}}"#;
    let now = SystemTime::now();
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", HeaderValue::from_static("msg_1"));
    let seconds = now.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs().to_string();
    headers.insert("webhook-timestamp", HeaderValue::from_str(&seconds).unwrap());
    headers.insert("webhook-signature", HeaderValue::from_str(&verifier.sign("msg_1", now, body)).unwrap());
    assert!(verifier.verify(&headers, body).is_ok());
    // A tolerance of its own: ten minutes on, a delivery is still fresh for
    // a verifier that allows an hour, and stale for the default five minutes.
    let later = now + Duration::from_secs(600);
    assert!(verifier.clone().tolerance(Duration::from_secs(3600)).verify_at(&headers, body, later).is_ok());
    assert!(matches!(verifier.verify_at(&headers, body, later), Err(WebhookError::Timestamp)));
}

/// Sends the callbacks' and GitHub-style deliveries, unsigned.
const UNSIGNED_SENDER: &str = r#"
import json, sys, urllib.request, urllib.error

url = sys.argv[1]

def send(name, body, headers):
    headers = dict(headers, **{"Content-Type": "application/json"})
    request = urllib.request.Request(url + "/hooks", data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request) as answer:
            status, text = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    print(name, status, text)

issue = {"number": 1347, "title": "Found a bug", "assignee": None}
send("finished", json.dumps({"exportId": "exp_7", "downloadUrl": "https://reports.example.com/files/exp_7.csv"}).encode(),
     {"X-Export-Event": "export.finished"})
send("failed", json.dumps({"exportId": "exp_7", "error": "The report is too large."}).encode(),
     {"X-Export-Event": "export.failed"})
send("opened", json.dumps({"action": "opened", "issue": issue}).encode(), {"X-GitHub-Event": "issues"})
send("closed", json.dumps({"action": "closed", "issue": dict(issue, assignee={"login": "octocat"})}).encode(),
     {"X-GitHub-Event": "issues"})
send("reopened", json.dumps({"action": "reopened", "issue": issue}).encode(), {"X-GitHub-Event": "issues"})
send("no-event-header", json.dumps({"exportId": "exp_7", "error": "x"}).encode(), {})
send("not-json", b"exportId=exp_7", {"X-Export-Event": "export.failed"})
"#;

#[test]
fn callbacks_and_event_headers_tell_deliveries_apart() {
    use report_exports::webhooks::Webhook;
    let (server, read) = receiver(Webhook::from_request, 422);
    let expected = lines(&[
        ("finished", "200 \"ExportFinished\""),
        ("failed", "200 \"ExportFailed\""),
        ("opened", "200 \"IssuesOpened\""),
        ("closed", "200 \"IssuesClosed\""),
        ("reopened", "422 \"the delivery is none of the API's webhooks\""),
        ("no-event-header", "422 \"the delivery is none of the API's webhooks\""),
        ("not-json", "422 \"the delivery's body is not JSON: expected value at line 1 column 1\""),
    ]);
    assert_eq!(send_deliveries(&server, UNSIGNED_SENDER), expected);
    let read = read.lock().unwrap();
    let Webhook::ExportFinished(finished) = &read[0] else { panic!("{:?}", read[0]) };
    assert_eq!(finished.download_url, "https://reports.example.com/files/exp_7.csv");
    let Webhook::IssuesOpened(opened) = &read[2] else { panic!("{:?}", read[2]) };
    assert_eq!((opened.issue.number, opened.issue.assignee.is_none()), (1347, true));
    let Webhook::IssuesClosed(closed) = &read[3] else { panic!("{:?}", read[3]) };
    assert_eq!(closed.issue.assignee.as_ref().map(|user| user.login.as_str()), Some("octocat"));
}
