//! `client.rs`: the `Client`, its builder, and what every request shares.

use proc_macro2::TokenStream;
use quote::quote;

use super::auth::AuthCode;
use crate::rust::plan::Plan;

pub fn client_rs(plan: &Plan) -> TokenStream {
    // The title is the document's words, tidied for rustdoc like its descriptions.
    let api = &super::docs::from_document(&plan.api.title);
    let crate_path = plan.crate_path();
    let auth = super::auth::auth_code(plan);
    let key_doc = if plan.single_key().is_some() { " with your API key" } else { "" };
    let AuthCode {
        constructor_params: key_param,
        constructor_args: key_arg,
        builder_fields,
        builder_inits,
        builder_setters,
        build: credentials_build,
        items: credential_items,
        authorize,
        client_field,
        client_init,
    } = auth;

    let (base_url_field_default, base_url_const, base_url_doc) = match &plan.default_base_url {
        Some(url) => {
            let doc = format!(" Where the {api} API is served: `{url}`.");
            (
                quote!(Some(Client::DEFAULT_BASE_URL.to_owned())),
                quote! {
                    #[doc = #doc]
                    pub const DEFAULT_BASE_URL: &'static str = #url;
                },
                format!(" Creates a client for [`Client::DEFAULT_BASE_URL`]{key_doc}."),
            )
        }
        None => (
            quote!(None),
            quote!(),
            format!(
                " Creates a client{key_doc}; the document names no absolute server, so set one with [`ClientBuilder::base_url`] or this fails."
            ),
        ),
    };
    let new_errors = " # Errors\n\n Fails when the HTTP client can't be built (for example, no TLS backend) or the API key can't be sent in a header.";
    let example = format!(
        " ```\n let client = {crate_path}::Client::builder({})\n     .base_url(\"http://127.0.0.1:8080\")\n     .timeout(std::time::Duration::from_secs(5))\n     .build()?;\n # Ok::<(), {crate_path}::Error>(())\n ```",
        if plan.single_key().is_some() { "\"<YOUR_API_KEY>\"" } else { "" }
    );
    let builder_doc = super::docs::inner_text_as_outer(&format!(
        " Configures a [`Client`]: base URL, timeouts, user agent, or your own `reqwest::Client`.\n\n{example}"
    ));
    let base_url_doc = super::docs::inner_text_as_outer(&format!("{base_url_doc}\n\n{new_errors}"));

    quote! {
        //! The client and what every request shares.

        use std::fmt;
        use std::future::Future;
        use std::pin::Pin;
        use std::time::Duration;

        use crate::http::{self, Answer};
        use crate::tls;
        use crate::{Error, ResponseValue, RetryPolicy};

        #builder_doc
        #[must_use]
        pub struct ClientBuilder {
            #builder_fields
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

        /// A client for the API. Cheap to clone: clones share one connection pool.
        #[derive(Clone)]
        pub struct Client {
            http: reqwest::Client,
            transport: http::Transport,
            base_url: reqwest::Url,
            #client_field
            user_agent: reqwest::header::HeaderValue,
            timeout: Option<Duration>,
            retry: RetryPolicy,
            max_response_bytes: u64,
        }

        impl Client {
            #base_url_const

            #base_url_doc
            pub fn new(#key_param) -> Result<Self, Error> {
                Self::builder(#key_arg).build()
            }

            /// A `reqwest::ClientBuilder` with this crate's TLS and redirect policy set up (see
            /// the crate's `rustls` and `native-tls` features): start from it when you build your own
            /// `reqwest::Client` for [`ClientBuilder::http_client`] or a middleware stack.
            ///
            /// # Errors
            ///
            /// [`Error::Config`] when the system's root certificates can't be loaded.
            pub fn http_builder() -> Result<reqwest::ClientBuilder, Error> {
                tls::configure(reqwest::Client::builder().redirect(http::redirect_policy()), &[])
            }

            /// Starts configuring a client.
            pub fn builder(#key_param) -> ClientBuilder {
                ClientBuilder {
                    #builder_inits
                    base_url: #base_url_field_default,
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

            /// The URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.base_url.as_str()
            }

            /// A request to `path` (already percent-encoded) with the headers every request carries.
            pub(crate) fn request(&self, method: reqwest::Method, path: &str, query: &[(String, String)]) -> reqwest::RequestBuilder {
                let mut url = self.base_url.clone();
                url.set_path(&format!("{}{}", self.base_url.path().trim_end_matches('/'), path));
                if !query.is_empty() {
                    url.query_pairs_mut().extend_pairs(query);
                }
                let request = self
                    .http
                    .request(method, url)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(reqwest::header::USER_AGENT, self.user_agent.clone());
                match self.timeout {
                    Some(timeout) => request.timeout(timeout),
                    None => request,
                }
            }

            #authorize

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
                let answer = http::send(&self.transport, &self.retry, self.max_response_bytes, request?).await?;
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
                Box::pin(async move { self.execute(request, read).await.map(ResponseValue::into_value) })
            }
        }

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url.as_str())
                    .field("credentials", &"<redacted>")
                    .field("timeout", &self.timeout)
                    .field("retry", &self.retry)
                    .field("max_response_bytes", &self.max_response_bytes)
                    .finish_non_exhaustive()
            }
        }

        impl ClientBuilder {
            #builder_setters

            /// Sends requests to another server, e.g. a sandbox or a test server.
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.base_url = Some(base_url.into());
                self
            }

            /// Gives up on a request after this long, from connecting to reading the whole answer
            /// (default 30 seconds). Applies to your own `reqwest::Client` too.
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// Waits for every request as long as it takes.
            pub fn no_timeout(mut self) -> Self {
                self.timeout = None;
                self
            }

            /// Gives up connecting after this long (default 10 seconds). Not applied to your own `reqwest::Client`.
            pub fn connect_timeout(mut self, timeout: Duration) -> Self {
                self.connect_timeout = timeout;
                self
            }

            /// Sets the `User-Agent` header (default: this crate's name and version).
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.user_agent = user_agent.into();
                self
            }

            /// Sets when failed requests are sent again (default: [`RetryPolicy::default`]).
            pub fn retry(mut self, retry: RetryPolicy) -> Self {
                self.retry = retry;
                self
            }

            /// Sends every request once, whatever happens.
            pub fn no_retries(mut self) -> Self {
                self.retry = RetryPolicy::none();
                self
            }

            /// Refuses an answer whose body is longer than this many bytes with
            /// [`Error::ResponseTooLarge`], without reading the rest (default 100 MiB),
            /// so a server can't make the client hold more than this in memory.
            pub fn max_response_bytes(mut self, max: u64) -> Self {
                self.max_response_bytes = max;
                self
            }

            /// Trusts the certificate authorities in `pem` (PEM text, one certificate or several)
            /// besides the system's: a company proxy's, or a test server's. Servers are still
            /// verified. Not applied to your own `reqwest::Client`.
            pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
                self.root_certificates.push(pem.into());
                self
            }

            /// Sends requests through your own `reqwest::Client` (proxies, TLS settings, middleware).
            /// Its redirect policy is yours: start from [`Client::http_builder`] to keep this
            /// crate's, which follows no redirect to another origin.
            pub fn http_client(mut self, http: reqwest::Client) -> Self {
                self.http = Some(http);
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
                self.middleware = Some(stack);
                self
            }

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// [`Error::Config`] when the base URL is missing or invalid, the API key or user agent
            /// can't be sent in a header, a root certificate is not PEM, or the HTTP client can't
            /// be built.
            pub fn build(self) -> Result<Client, Error> {
                let Some(base_url) = self.base_url.as_deref() else {
                    return Err(Error::Config("no base URL: set one with ClientBuilder::base_url".to_owned()));
                };
                let base_url = reqwest::Url::parse(base_url)
                    .map_err(|error| Error::Config(format!("invalid base URL `{base_url}`: {error}")))?;
                if base_url.cannot_be_a_base() {
                    return Err(Error::Config(format!("invalid base URL `{base_url}`: it can't have a path")));
                }
                #credentials_build
                let user_agent = reqwest::header::HeaderValue::try_from(self.user_agent)
                    .map_err(|_| Error::Config("the user agent contains characters that cannot be sent in an HTTP header".to_owned()))?;
                let http = match self.http {
                    Some(http) => http,
                    None => tls::configure(reqwest::Client::builder(), &self.root_certificates)?
                        .redirect(http::redirect_policy())
                        .connect_timeout(self.connect_timeout)
                        .build()
                        .map_err(|error| Error::Config(format!("could not build the HTTP client: {error}")))?,
                };
                #[cfg(feature = "middleware")]
                let transport = match self.middleware {
                    Some(stack) => http::Transport::Middleware(stack),
                    None => http::Transport::Reqwest(http.clone()),
                };
                #[cfg(not(feature = "middleware"))]
                let transport = http::Transport::Reqwest(http.clone());
                Ok(Client { http, transport, base_url, #client_init user_agent, timeout: self.timeout, retry: self.retry, max_response_bytes: self.max_response_bytes })
            }
        }

        impl fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url)
                    .field("credentials", &"<redacted>")
                    .field("timeout", &self.timeout)
                    .field("connect_timeout", &self.connect_timeout)
                    .field("user_agent", &self.user_agent)
                    .finish_non_exhaustive()
            }
        }

        #credential_items
    }
}
