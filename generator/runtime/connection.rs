// Copied unchanged from kanuu-codegen's generator/runtime/connection.rs into every crate it generates: edit that file, not a copy.
//! What every client has, whatever its API: the settings a
//! [`ClientBuilder`] collects, the connection [`ClientBuilder::build`] makes
//! of them, and sending requests through it. The crate's `client.rs` adds
//! the API's own part: where it is served, its credentials and how they
//! are sent.
// Crates whose API has no credentials don't call `secret`.
#![allow(dead_code)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::http::{self, Answer};
use crate::tls;
use crate::{Client, ClientBuilder, Error, ResponseValue, RetryPolicy};

/// What a [`ClientBuilder`] collects besides credentials.
pub(crate) struct Settings {
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    user_agent: String,
    root_certificates: Vec<Vec<u8>>,
    http: Option<reqwest::Client>,
    #[cfg(feature = "middleware")]
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

impl Settings {
    /// The defaults, sending to `base_url` (the API's default server, when
    /// the document names an absolute one).
    pub(crate) fn new(base_url: Option<&str>) -> Settings {
        Settings {
            base_url: base_url.map(str::to_owned),
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            root_certificates: Vec::new(),
            http: None,
            #[cfg(feature = "middleware")]
            middleware: None,
            retry: RetryPolicy::default(),
            max_response_bytes: 100 * 1024 * 1024,
        }
    }

    /// Checks the base URL and the user agent, and builds the HTTP client.
    pub(crate) fn connect(self) -> Result<Connection, Error> {
        let Some(base_url) = self.base_url.as_deref() else {
            return Err(Error::Config(
                "no base URL: set one with ClientBuilder::base_url".to_owned(),
            ));
        };
        let base_url = reqwest::Url::parse(base_url)
            .map_err(|error| Error::Config(format!("invalid base URL `{base_url}`: {error}")))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "invalid base URL `{base_url}`: it can't have a path"
            )));
        }
        let user_agent = reqwest::header::HeaderValue::try_from(self.user_agent).map_err(|_| {
            Error::Config(
                "the user agent contains characters that cannot be sent in an HTTP header"
                    .to_owned(),
            )
        })?;
        let http = match self.http {
            Some(http) => http,
            None => tls::configure(reqwest::Client::builder(), &self.root_certificates)?
                .redirect(http::redirect_policy())
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|error| {
                    Error::Config(format!("could not build the HTTP client: {error}"))
                })?,
        };
        #[cfg(feature = "middleware")]
        let transport = match self.middleware {
            Some(stack) => http::Transport::Middleware(stack),
            None => http::Transport::Reqwest(http.clone()),
        };
        #[cfg(not(feature = "middleware"))]
        let transport = http::Transport::Reqwest(http.clone());
        Ok(Connection {
            http,
            transport,
            base_url,
            user_agent,
            timeout: self.timeout,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            tokens: None,
        })
    }
}

/// What every request of a [`Client`] goes through. Cheap to clone: clones
/// share one connection pool.
#[derive(Clone)]
pub(crate) struct Connection {
    http: reqwest::Client,
    transport: http::Transport,
    base_url: reqwest::Url,
    user_agent: reqwest::header::HeaderValue,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: u64,
    tokens: Option<Arc<dyn Tokens>>,
}

/// Access tokens a client gets for itself (OAuth2, `src/oauth2.rs`). An
/// operation's request can't wait for one while it is built, so it carries
/// a placeholder `Authorization` that [`Tokens::sign`] replaces as it is
/// sent. A trait, so this file, the same in every crate, needn't know
/// whether the crate has them.
pub(crate) trait Tokens: Send + Sync {
    /// Puts a current token in place of a placeholder, if the request has
    /// one (after a 401, a newer one than `stale`), and returns the token.
    fn sign<'a>(
        &'a self,
        http: &'a reqwest::Client,
        base_url: &'a reqwest::Url,
        request: &'a mut reqwest::Request,
        stale: Option<&'a reqwest::header::HeaderValue>,
    ) -> Pin<
        Box<dyn Future<Output = Result<Option<reqwest::header::HeaderValue>, Error>> + Send + 'a>,
    >;
}

impl Connection {
    /// Gets access tokens from `tokens` for the requests that ask for one.
    pub(crate) fn with_tokens(mut self, tokens: Option<Arc<dyn Tokens>>) -> Connection {
        self.tokens = tokens;
        self
    }

    /// Sends a request with the retry policy (see [`http::respond`]). A
    /// placeholder for a token the client gets itself is replaced by the
    /// token first; if the answer is 401, the token is renewed once and the
    /// request sent again, when its body can be sent twice.
    async fn respond(
        &self,
        mut request: reqwest::Request,
    ) -> Result<(reqwest::Response, u32), Error> {
        let Some(tokens) = &self.tokens else {
            return http::respond(&self.transport, &self.retry, request).await;
        };
        let placeholder = request
            .headers()
            .get(reqwest::header::AUTHORIZATION)
            .cloned();
        let signed = tokens
            .sign(&self.http, &self.base_url, &mut request, None)
            .await?;
        let (Some(used), Some(placeholder)) = (signed, placeholder) else {
            return http::respond(&self.transport, &self.retry, request).await;
        };
        let again = request.try_clone();
        let (response, attempts) = http::respond(&self.transport, &self.retry, request).await?;
        match again {
            Some(mut again) if response.status() == reqwest::StatusCode::UNAUTHORIZED => {
                again
                    .headers_mut()
                    .insert(reqwest::header::AUTHORIZATION, placeholder);
                tokens
                    .sign(&self.http, &self.base_url, &mut again, Some(&used))
                    .await?;
                let (response, more) = http::respond(&self.transport, &self.retry, again).await?;
                Ok((response, attempts + more))
            }
            _ => Ok((response, attempts)),
        }
    }
}

impl Client {
    /// A `reqwest::ClientBuilder` with this crate's TLS and redirect policy set up (see
    /// the crate's `rustls` and `native-tls` features): start from it when you build your own
    /// `reqwest::Client` for [`ClientBuilder::http_client`] or a middleware stack.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the system's root certificates can't be loaded.
    pub fn http_builder() -> Result<reqwest::ClientBuilder, Error> {
        tls::configure(
            reqwest::Client::builder().redirect(http::redirect_policy()),
            &[],
        )
    }

    /// The URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.connection.base_url.as_str()
    }

    /// A request to `path` (already percent-encoded) with the headers every request carries.
    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(String, String)],
    ) -> reqwest::RequestBuilder {
        let connection = &self.connection;
        let mut url = connection.base_url.clone();
        url.set_path(&format!(
            "{}{}",
            connection.base_url.path().trim_end_matches('/'),
            path
        ));
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let request = connection
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, connection.user_agent.clone());
        match connection.timeout {
            Some(timeout) => request.timeout(timeout),
            None => request,
        }
    }

    /// Sends a request (unless building it failed), again after failures
    /// the retry policy allows for it, and reads the answer with the
    /// operation's `read`. Generic, so the compiler checks one `async`
    /// body for all operations: each request builder only has plain
    /// functions to build the request (`into_request`) and read the
    /// answer (`read_answer`).
    pub(crate) async fn execute<T, E: From<Error>>(
        &self,
        request: Result<reqwest::RequestBuilder, Error>,
        read: fn(&Answer) -> Result<T, E>,
    ) -> Result<ResponseValue<T>, E> {
        let answer = answer(self, build(request)?).await?;
        answer.read(read)
    }

    /// [`Client::execute`] for awaiting a request builder: the value alone,
    /// boxed. Generic, so the compiler proves once that the future is
    /// `Send`, not once per operation.
    pub(crate) fn execute_boxed<'a, T: Send + 'a, E: From<Error> + Send + 'a>(
        &'a self,
        request: Result<reqwest::RequestBuilder, Error>,
        read: fn(&Answer) -> Result<T, E>,
    ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'a>> {
        Box::pin(async move {
            self.execute(request, read)
                .await
                .map(ResponseValue::into_value)
        })
    }
}

impl Client {
    /// Sends a request (unless building it failed), again after failures
    /// the retry policy allows for it, and makes the stream of a success's
    /// body with `open`; any other status is read whole, and `read` makes
    /// the operation's error of it. The request has no total timeout: a
    /// stream lasts as long as the server sends.
    pub(crate) async fn execute_stream<T, E: From<Error>>(
        &self,
        request: Result<reqwest::RequestBuilder, Error>,
        read: fn(&Answer) -> Result<(), E>,
        open: fn(reqwest::Response, u64) -> T,
    ) -> Result<ResponseValue<T>, E> {
        let mut request = build(request)?;
        *request.timeout_mut() = None;
        let connection = &self.connection;
        let (mut response, attempts) = connection.respond(request).await?;
        if response.status().is_success() {
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let stream = open(response, connection.max_response_bytes);
            return Ok(ResponseValue::new(status, headers, stream));
        }
        let answer = http::whole(response, attempts, connection.max_response_bytes).await?;
        read(&answer)?;
        Err(E::from(http::unexpected(&answer)))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let connection = &self.connection;
        f.debug_struct("Client")
            .field("base_url", &connection.base_url.as_str())
            .field("credentials", &"<redacted>")
            .field("timeout", &connection.timeout)
            .field("retry", &connection.retry)
            .field("max_response_bytes", &connection.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to another server, e.g. a sandbox or a test server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.settings.base_url = Some(base_url.into());
        self
    }

    /// Gives up on a request after this long, from connecting to reading the whole answer
    /// (default 30 seconds). Applies to your own `reqwest::Client` too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = Some(timeout);
        self
    }

    /// Waits for every request as long as it takes.
    pub fn no_timeout(mut self) -> Self {
        self.settings.timeout = None;
        self
    }

    /// Gives up connecting after this long (default 10 seconds). Not applied to your own `reqwest::Client`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// Sets the `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }

    /// Sets when failed requests are sent again (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.settings.retry = retry;
        self
    }

    /// Sends every request once, whatever happens.
    pub fn no_retries(mut self) -> Self {
        self.settings.retry = RetryPolicy::none();
        self
    }

    /// Refuses an answer whose body is longer than this many bytes with
    /// [`Error::ResponseTooLarge`], without reading the rest (default 100 MiB),
    /// so a server can't make the client hold more than this in memory.
    pub fn max_response_bytes(mut self, max: u64) -> Self {
        self.settings.max_response_bytes = max;
        self
    }

    /// Trusts the certificate authorities in `pem` (PEM text, one certificate or several)
    /// besides the system's: a company proxy's, or a test server's. Servers are still
    /// verified. Not applied to your own `reqwest::Client`.
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.settings.root_certificates.push(pem.into());
        self
    }

    /// Sends requests through your own `reqwest::Client` (proxies, TLS settings, middleware).
    /// Its redirect policy is yours: start from [`Client::http_builder`] to keep this
    /// crate's, which follows no redirect to another origin.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.settings.http = Some(http);
        self
    }

    /// Sends every request through a [`reqwest_middleware`] stack, which sees
    /// each attempt: tracing, request ids, added headers, token refresh. Needs
    /// the `middleware` feature. Requests are still built by this client's
    /// `reqwest::Client` (or yours from [`http_client`](Self::http_client)), and
    /// timeouts and retries stay this client's; a middleware's own error is
    /// [`Error::Middleware`](crate::Error::Middleware) and not retried.
    #[cfg(feature = "middleware")]
    pub fn middleware(mut self, stack: reqwest_middleware::ClientWithMiddleware) -> Self {
        self.settings.middleware = Some(stack);
        self
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = &self.settings;
        f.debug_struct("ClientBuilder")
            .field("base_url", &settings.base_url)
            .field("credentials", &"<redacted>")
            .field("timeout", &settings.timeout)
            .field("connect_timeout", &settings.connect_timeout)
            .field("user_agent", &settings.user_agent)
            .finish_non_exhaustive()
    }
}

/// Sends a built request with `client`, again after failures the retry
/// policy allows for it, and reads the whole answer. Not a method: the
/// client's methods are the API's operations.
pub(crate) async fn answer(client: &Client, request: reqwest::Request) -> Result<Answer, Error> {
    let connection = &client.connection;
    let (response, attempts) = connection.respond(request).await?;
    http::whole(response, attempts, connection.max_response_bytes).await
}

/// The request a builder made, built (unless making it failed).
pub(crate) fn build(
    request: Result<reqwest::RequestBuilder, Error>,
) -> Result<reqwest::Request, Error> {
    request?
        .build()
        .map_err(|error| Error::from_reqwest(error, 0))
}

/// A header value that holds a secret: checked once, and marked so
/// reqwest and hyper never print it.
pub(crate) fn secret(text: String) -> Result<reqwest::header::HeaderValue, Error> {
    let mut value = reqwest::header::HeaderValue::try_from(text).map_err(|_| {
        Error::Config(
            "a credential contains characters that cannot be sent in an HTTP header".to_owned(),
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}
