// Copied unchanged from kanuu-codegen's generator/runtime/mock/server.rs into every crate, behind its `mock` feature: edit that file, not a copy.
//! A local HTTP server (wiremock) standing in for the API, and the typed
//! mock of one operation that the `MockApi` method named after it makes.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A local server standing in for the API, for tests of the code that
/// calls it: each operation answers the way a test says, with the crate's
/// own types. Requests nothing answers get `404`. Expectations set with
/// [`Mocking::expect`] are checked when it is dropped (a failed one panics,
/// failing the test).
pub struct MockApi {
    server: MockServer,
}

impl MockApi {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> MockApi {
        MockApi {
            server: MockServer::start().await,
        }
    }

    /// Where it listens, e.g. `http://127.0.0.1:41235`.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// Every request it received, answered or not, in order.
    pub async fn received(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The mock of one operation: `template` is its path template under
    /// the server's base path; `answer` and `failure` write its success
    /// values and documented errors.
    pub(crate) fn operation<B, A, E>(
        &self,
        method: &'static str,
        template: &'static str,
        answer: fn(&A) -> Answer,
        failure: fn(&E) -> Option<Answer>,
    ) -> Mocking<'_, B, A, E> {
        Mocking {
            api: self,
            method,
            template,
            matchers: Vec::new(),
            times: None,
            expect: None,
            delay: None,
            failures: None,
            answer,
            failure,
            types: PhantomData,
        }
    }
}

/// What a mock answers with: a status, and a body of a media type.
pub(crate) struct Answer {
    status: u16,
    body: Option<(Vec<u8>, &'static str)>,
}

impl Answer {
    #[allow(dead_code)] // Not in crates whose answers are never JSON.
    pub(crate) fn json(status: u16, value: &impl Serialize) -> Answer {
        let body = serde_json::to_vec(value).expect("the crate's types serialize");
        Answer {
            status,
            body: Some((body, "application/json")),
        }
    }

    #[allow(dead_code)] // Only in crates with answers of text or bytes.
    pub(crate) fn raw(status: u16, body: &[u8], media_type: &'static str) -> Answer {
        Answer {
            status,
            body: Some((body.to_vec(), media_type)),
        }
    }

    pub(crate) fn empty(status: u16) -> Answer {
        Answer { status, body: None }
    }

    fn template(&self) -> ResponseTemplate {
        let template = ResponseTemplate::new(self.status);
        match &self.body {
            Some((body, media_type)) => template.set_body_raw(body.clone(), media_type),
            None => template,
        }
    }
}

/// An operation without documented errors: nothing to answer with
/// [`Mocking::respond_error`] (use [`Mocking::respond_status`]).
#[derive(Debug)]
pub enum NoDocumentedError {}

/// An operation whose body is not JSON (or that has none): nothing for
/// [`Mocking::body`] to compare (match its requests by their parameters).
#[derive(Debug)]
pub enum NoJsonBody {}

type Matcher = Arc<dyn Fn(&Request) -> bool + Send + Sync>;

/// The mock of one operation, made by the [`MockApi`] method named after
/// it: which of its requests it answers (by default all of them) and
/// how. It takes only the operation's own types: `B` its body, `A` what
/// it returns, `E` its error. Nothing is answered until it is mounted by
/// `respond`, `respond_error` or `respond_status`. Mocks are tried in the
/// order they were mounted: the first that matches a request and still
/// answers (see [`Mocking::times`]) answers it.
#[must_use = "a mock answers nothing until `respond`, `respond_error` or `respond_status` mounts it"]
pub struct Mocking<'a, B, A, E> {
    api: &'a MockApi,
    method: &'static str,
    template: &'static str,
    matchers: Vec<Matcher>,
    times: Option<u64>,
    expect: Option<u64>,
    delay: Option<Duration>,
    failures: Option<(u64, u16)>,
    answer: fn(&A) -> Answer,
    failure: fn(&E) -> Option<Answer>,
    types: PhantomData<fn(B)>,
}

impl<'a, B, A, E> Mocking<'a, B, A, E> {
    /// Only requests whose path parameter `name` (as the document names
    /// it) is `value`.
    pub fn path_param(mut self, name: &str, value: impl ToString) -> Self {
        let (template, name, value) = (self.template, name.to_owned(), value.to_string());
        self.matchers.push(Arc::new(move |request| {
            path_value(template, request.url.path(), &name).as_deref() == Some(value.as_str())
        }));
        self
    }

    /// Only requests with the query parameter `name` set to `value` (one
    /// of its values, for a list).
    pub fn query_param(mut self, name: &str, value: impl ToString) -> Self {
        let (name, value) = (name.to_owned(), value.to_string());
        self.matchers.push(Arc::new(move |request| {
            request
                .url
                .query_pairs()
                .any(|(key, found)| key == name && found == value)
        }));
        self
    }

    /// Only requests with the header `name` set to `value`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let (name, value) = (name.to_owned(), value.to_owned());
        self.matchers.push(Arc::new(move |request| {
            request
                .headers
                .get_all(name.as_str())
                .iter()
                .any(|found| found.as_bytes() == value.as_bytes())
        }));
        self
    }

    /// Answers after `delay`, to test timeouts.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers the first `count` matching requests with `status` and no
    /// body, and the ones after as the mock says: to test retries.
    pub fn fail_first(mut self, count: u64, status: u16) -> Self {
        self.failures = Some((count, status));
        self
    }

    /// Answers at most `count` requests; later ones fall to the next mock
    /// that matches them, or get `404`.
    pub fn times(mut self, count: u64) -> Self {
        self.times = Some(count);
        self
    }

    /// Expects exactly `count` matching requests (failures included),
    /// checked when the [`MockApi`] is dropped.
    pub fn expect(mut self, count: u64) -> Self {
        self.expect = Some(count);
        self
    }

    /// Answers with a success value of the operation.
    pub async fn respond(self, value: A) -> Mocked<'a, B> {
        let answer = (self.answer)(&value);
        self.mount(answer).await
    }

    /// Answers with one of the errors the operation documents: its status
    /// and body.
    ///
    /// # Panics
    ///
    /// On the error enum's `Other` variant, which no answer stands for
    /// (use [`Mocking::respond_status`]).
    pub async fn respond_error(self, error: E) -> Mocked<'a, B> {
        let answer = (self.failure)(&error)
            .expect("`Other` is not a documented error; answer with `respond_status`");
        self.mount(answer).await
    }

    /// Answers with any status and no body: an undocumented error, say.
    pub async fn respond_status(self, status: u16) -> Mocked<'a, B> {
        self.mount(Answer::empty(status)).await
    }

    async fn mount(self, answer: Answer) -> Mocked<'a, B> {
        let (method, template) = (self.method, self.template);
        let matchers = self.matchers;
        let matches: Matcher = Arc::new(move |request: &Request| {
            request.method.as_str() == method
                && path_matches(template, request.url.path())
                && matchers.iter().all(|matcher| matcher(request))
        });
        let given = {
            let matches = matches.clone();
            move || {
                let matches = matches.clone();
                Mock::given(move |request: &Request| matches(request))
            }
        };
        // The failures first, each mock of its requests by priority.
        if let Some((count, status)) = self.failures {
            let failing = given()
                .respond_with(ResponseTemplate::new(status))
                .up_to_n_times(count)
                .with_priority(1);
            self.api.server.register(failing).await;
        }
        let mut template = answer.template();
        if let Some(delay) = self.delay {
            template = template.set_delay(delay);
        }
        let mut mock = given().respond_with(template).with_priority(2);
        if let Some(count) = self.times {
            mock = mock.up_to_n_times(count);
        }
        if let Some(count) = self.expect {
            let answered = count.saturating_sub(self.failures.map_or(0, |(failed, _)| failed));
            mock = mock.expect(answered);
        }
        self.api.server.register(mock).await;
        Mocked {
            api: self.api,
            matches,
            types: PhantomData,
        }
    }
}

impl<B: Serialize, A, E> Mocking<'_, B, A, E> {
    /// Only requests whose JSON body is `body`.
    pub fn body(mut self, body: &B) -> Self {
        let expected = serde_json::to_value(body).expect("the crate's types serialize");
        self.matchers.push(Arc::new(move |request| {
            serde_json::from_slice::<serde_json::Value>(&request.body).ok()
                == Some(expected.clone())
        }));
        self
    }
}

impl<B: DeserializeOwned, A, E> Mocking<'_, B, A, E> {
    /// Only requests whose JSON body reads as `B` and passes `check`.
    pub fn body_matches(mut self, check: impl Fn(&B) -> bool + Send + Sync + 'static) -> Self {
        self.matchers.push(Arc::new(move |request| {
            serde_json::from_slice(&request.body).is_ok_and(|body| check(&body))
        }));
        self
    }
}

/// A mounted mock: what it matched can be read back.
pub struct Mocked<'a, B> {
    api: &'a MockApi,
    matches: Matcher,
    types: PhantomData<fn() -> B>,
}

impl<B> Mocked<'_, B> {
    /// The requests the operation's mock matched (those failed on purpose
    /// included), in order.
    pub async fn received(&self) -> Vec<Received<B>> {
        let requests = self.api.received().await.into_iter();
        requests
            .filter(|request| (self.matches)(request))
            .map(|request| Received {
                request,
                types: PhantomData,
            })
            .collect()
    }
}

/// A request a mock received.
pub struct Received<B> {
    /// The request as it came: method, URL, headers and body.
    pub request: Request,
    types: PhantomData<fn() -> B>,
}

impl<B> Received<B> {
    /// The first value of the query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let mut pairs = self.request.url.query_pairs();
        pairs
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// The header `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.request.headers.get(name)?.to_str().ok()
    }
}

impl<B: DeserializeOwned> Received<B> {
    /// The body, read as the operation's body type.
    pub fn body(&self) -> Result<B, serde_json::Error> {
        serde_json::from_slice(&self.request.body)
    }
}

/// Whether `path` is the template's, `{name}` standing for one segment.
fn path_matches(template: &str, path: &str) -> bool {
    let (mut template, mut path) = (template.split('/'), path.split('/'));
    loop {
        match (template.next(), path.next()) {
            (None, None) => return true,
            (Some(expected), Some(found)) if is_parameter(expected) => {
                if found.is_empty() {
                    return false;
                }
            }
            (Some(expected), Some(found)) if expected == percent_decode(found) => {}
            _ => return false,
        }
    }
}

/// The value of the template's `{name}` in `path`, decoded.
fn path_value(template: &str, path: &str, name: &str) -> Option<String> {
    let segments = template.split('/').zip(path.split('/'));
    let mut found = segments.filter(|(expected, _)| {
        expected
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            == Some(name)
    });
    found.next().map(|(_, value)| percent_decode(value))
}

fn is_parameter(segment: &str) -> bool {
    segment.contains('{')
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
