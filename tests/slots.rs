//! What a caller passes stays in its slot. Arbitrary strings (Unicode,
//! controls, `%`, `/`, `?`, `#`, `;`, `,`, `=`, quotes, dot segments) go in
//! every parameter place of the `parameter-slots` case and its multipart
//! body, to a loopback server that reads them back with hyper's request
//! parser and multer's multipart parser, not with our code. Each value comes
//! back unchanged in its own place, with the method and path prefix as they
//! should be; or the client refuses the request before sending it, and only
//! for a value that can't be sent as given.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use parameter_slots::{Client, Error, PlaceBookBody};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;

/// A request as the server read it, each place decoded as a server would.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    /// The path's segments, percent-decoded.
    segments: Vec<String>,
    /// The query's pairs, `application/x-www-form-urlencoded`-decoded.
    query: Vec<(String, String)>,
    /// The `X-Note` header's bytes.
    note: Option<Vec<u8>>,
    /// Every cookie of every `Cookie` header, its value percent-decoded.
    cookies: Vec<(String, String)>,
    /// Each multipart part: name, file name and content.
    parts: Vec<(String, Option<String>, Vec<u8>)>,
}

/// A server on loopback that records what it read and answers 204.
struct Server {
    runtime: tokio::runtime::Runtime,
    client: Client,
    seen: Arc<Mutex<Vec<Seen>>>,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
        let url = format!("http://{}/v1", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&seen);
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let service = service_fn(move |request| record(request, Arc::clone(&recorded)));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        let client = Client::builder().base_url(url).no_retries().build().expect("client");
        Server { runtime, client, seen }
    })
}

async fn record(request: Request<Incoming>, seen: Arc<Mutex<Vec<Seen>>>) -> Result<Response<Full<Bytes>>, Infallible> {
    let (head, body) = request.into_parts();
    let body = body.collect().await.map(|body| body.to_bytes()).unwrap_or_default();
    let decoded =
        |text: &str| String::from_utf8(percent_decode_str(text).collect()).unwrap_or_else(|_| "<not UTF-8>".to_owned());
    let segments = head.uri.path().split('/').skip(1).map(decoded).collect();
    let query = form_urlencoded::parse(head.uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let cookies = head
        .headers
        .get_all(hyper::header::COOKIE)
        .iter()
        .flat_map(|header| header.to_str().unwrap_or("<not ASCII>").split("; "))
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), decoded(value))
        })
        .collect();
    let mut parts = Vec::new();
    let content_type = head.headers.get(hyper::header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    if let Some(boundary) = content_type.and_then(|value| multer::parse_boundary(value).ok()) {
        let mut multipart = multer::Multipart::with_reader(&body[..], boundary);
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_owned();
                    let file_name = field.file_name().map(str::to_owned);
                    let content = field.bytes().await.map(|bytes| bytes.to_vec()).unwrap_or_default();
                    parts.push((name, file_name, content));
                }
                Ok(None) => break,
                Err(error) => {
                    parts.push((format!("<unreadable: {error}>"), None, Vec::new()));
                    break;
                }
            }
        }
    }
    let note = head.headers.get("x-note").map(|value| value.as_bytes().to_vec());
    let request = Seen { method: head.method.to_string(), segments, query, note, cookies, parts };
    seen.lock().expect("not poisoned").push(request);
    let mut answer = Response::new(Full::new(Bytes::new()));
    *answer.status_mut() = hyper::StatusCode::NO_CONTENT;
    Ok(answer)
}

/// Strings a caller might pass: anything at all, and text made of the
/// characters that end slots, with the values known to escape them.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9./%?#;,=&+\"'\\\\ \t\r\n\u{0}\u{7f}éß\u{1F600}]{0,8}",
        prop::sample::select(vec![
            "",
            ".",
            "..",
            "%2e",
            "%2E%2e",
            ".%2e",
            "x; admin=1",
            "a/../b",
            "%",
            "\"",
            " a ",
            "é"
        ])
        .prop_map(str::to_owned),
    ]
}

/// Path values that would not stay one segment: the client must refuse them.
fn leaves_its_segment(value: &str) -> bool {
    value.is_empty() || value == "." || value == ".."
}

/// Header values HTTP can't carry as they are: the client must refuse them.
fn unsendable_in_a_header(value: &str) -> bool {
    value.starts_with([' ', '\t'])
        || value.ends_with([' ', '\t'])
        || value.chars().any(|c| c.is_ascii_control() && c != '\t')
}

#[derive(Debug, Clone)]
struct Values {
    shelf: String,
    book_id: String,
    q: String,
    tags: Vec<String>,
    note: String,
    sid: String,
    theme: Option<String>,
    title: String,
    say_hi: String,
    two_lines: String,
    cover: Vec<u8>,
}

fn values() -> impl Strategy<Value = Values> {
    let path = (value(), value());
    let query = (value(), prop::collection::vec(value(), 0..3));
    let header_and_cookies = (value(), value(), prop::option::of(value()));
    let body = (value(), value(), value(), prop::collection::vec(any::<u8>(), 0..64));
    (path, query, header_and_cookies, body).prop_map(
        |((shelf, book_id), (q, tags), (note, sid, theme), (title, say_hi, two_lines, cover))| Values {
            shelf,
            book_id,
            q,
            tags,
            note,
            sid,
            theme,
            title,
            say_hi,
            two_lines,
            cover,
        },
    )
}

/// Sends `values` through `place_book` and checks what the server read.
fn place_book(values: &Values) -> Result<(), TestCaseError> {
    let server = server();
    let tags: Vec<&str> = values.tags.iter().map(String::as_str).collect();
    let body =
        PlaceBookBody::new(values.title.clone(), values.cover.clone(), values.say_hi.clone(), values.two_lines.clone());
    let mut request =
        server.client.place_book(&values.shelf, &values.book_id, &values.q, &tags, &values.note, &values.sid, &body);
    if let Some(theme) = &values.theme {
        request = request.theme(theme);
    }
    let before = server.seen.lock().expect("not poisoned").len();
    let result = server.runtime.block_on(request.send());
    // Only `POST`s: the other tests send their requests in parallel.
    let seen: Vec<Seen> = server.seen.lock().expect("not poisoned")[before..]
        .iter()
        .filter(|seen| seen.method == "POST")
        .cloned()
        .collect();

    let unsendable: Vec<&str> = [
        ("shelf", leaves_its_segment(&values.shelf)),
        ("bookId", leaves_its_segment(&values.book_id)),
        ("X-Note", unsendable_in_a_header(&values.note)),
    ]
    .into_iter()
    .filter_map(|(name, unsendable)| unsendable.then_some(name))
    .collect();
    match result {
        Err(Error::InvalidParameter { operation, parameter, .. }) => {
            prop_assert_eq!(operation, "place_book");
            prop_assert!(unsendable.contains(&parameter), "refused `{}`, which can be sent", parameter);
            prop_assert!(seen.is_empty(), "a refused request reached the server: {:?}", seen);
            return Ok(());
        }
        Err(other) => return Err(TestCaseError::fail(format!("{other}"))),
        Ok(()) => prop_assert!(unsendable.is_empty(), "sent although {:?} can't be", unsendable),
    }

    prop_assert_eq!(seen.len(), 1, "one POST, no other method");
    let seen = &seen[0];
    let segments = ["v1", "shelves", &values.shelf, "books", &values.book_id];
    prop_assert_eq!(&seen.segments, &segments);
    let mut query = vec![("q".to_owned(), values.q.clone())];
    query.extend(values.tags.iter().map(|tag| ("tag".to_owned(), tag.clone())));
    prop_assert_eq!(&seen.query, &query);
    prop_assert_eq!(seen.note.as_deref(), Some(values.note.as_bytes()));
    let mut cookies = vec![("sid".to_owned(), values.sid.clone())];
    cookies.extend(values.theme.iter().map(|theme| ("theme".to_owned(), theme.clone())));
    prop_assert_eq!(&seen.cookies, &cookies);
    let parts = vec![
        ("title".to_owned(), None, values.title.clone().into_bytes()),
        ("cover".to_owned(), Some("cover".to_owned()), values.cover.clone()),
        // The document's names, with `"`, CR and LF escaped as browsers do.
        ("say %22hi%22".to_owned(), None, values.say_hi.clone().into_bytes()),
        ("two%0Alines".to_owned(), None, values.two_lines.clone().into_bytes()),
    ];
    prop_assert_eq!(&seen.parts, &parts);
    Ok(())
}

proptest! {
    // Bounded, so `cargo test` stays quick; PROPTEST_CASES=10000 runs more.
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_value_stays_in_its_place_or_is_refused(values in values()) {
        place_book(&values)?;
    }
}

/// The last request with `method` (the property test sends only `POST`s,
/// in parallel with the tests below).
fn last_seen(method: &str) -> Seen {
    let seen = server().seen.lock().expect("not poisoned");
    seen.iter().rev().find(|request| request.method == method).cloned().expect("a request")
}

#[test]
fn a_dot_segment_or_an_empty_id_never_reaches_the_collection() {
    let server = server();
    for book_id in ["..", ".", ""] {
        let deletes =
            || server.seen.lock().expect("not poisoned").iter().filter(|seen| seen.method == "DELETE").count();
        let before = deletes();
        let result = server.runtime.block_on(server.client.delete_book(book_id).send());
        match result {
            Err(error @ Error::InvalidParameter { operation: "delete_book", parameter: "bookId", .. }) => {
                assert!(error.to_string().contains("`delete_book` was not sent"), "{error}");
            }
            other => panic!("{book_id:?}: {other:?}"),
        }
        assert_eq!(deletes(), before, "{book_id:?} was sent");
    }
    // A value that only spells a dot segment's escape is a book id like any other.
    server.runtime.block_on(server.client.delete_book("%2e%2E").send()).expect("sent");
    let seen = last_seen("DELETE");
    assert_eq!(seen.segments, ["v1", "books", "%2e%2E"]);
}

#[test]
fn a_cookie_value_cannot_add_a_cookie() {
    let server = server();
    server.runtime.block_on(server.client.get_session("x; admin=1").send()).expect("sent");
    let seen = last_seen("GET");
    assert_eq!(seen.cookies, [("sid".to_owned(), "x; admin=1".to_owned())]);
}
