// Copied unchanged from kanuu-codegen's generator/runtime/http.rs into every crate it generates: edit that file, not a copy.
//! Sending requests and reading answers: what every operation shares.
// Each API uses the helpers its operations need; this file is the same in
// every crate, so some of them go unused in some crates.
#![allow(dead_code)]

use crate::retry::{self, RetryPolicy};
use crate::Error;

/// A whole answer: status, headers and body, and how many times the request
/// was sent to get it. Read before an operation looks at it, so each
/// operation's code that sorts out its statuses is a plain function.
pub(crate) struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
    attempts: u32,
}

impl Answer {
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }

    /// The operation's value, read by `read`, with the answer's status and
    /// headers; or the error `read` made of it.
    pub(crate) fn read<T, E>(
        self,
        read: fn(&Answer) -> Result<T, E>,
    ) -> Result<ResponseValue<T>, E> {
        let value = read(&self)?;
        Ok(ResponseValue::new(self.status, self.headers, value))
    }
}

/// A successful answer's value with its status and headers, from a request
/// builder's `send_with_response()`: for rate limits, `Location`, `ETag` or a
/// request id.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResponseValue<T> {
    /// The HTTP status code, e.g. 201.
    pub status: u16,
    /// The answer's headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body, decoded as the operation documents it.
    pub value: T,
}

impl<T> ResponseValue<T> {
    pub(crate) fn new(status: u16, headers: reqwest::header::HeaderMap, value: T) -> Self {
        ResponseValue {
            status,
            headers,
            value,
        }
    }

    /// A header's value as text, if the answer has it and it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The value without the status and headers.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// Writes what every request builder shares: `send`, `send_with_response`
/// and its `IntoFuture`, for a builder `$builder<'a>` with a
/// `client: &'a Client` field and its own `into_request` (the request to
/// send) and `read_answer` (the value or the error each documented status
/// stands for):
///
/// ```ignore
/// impl_send!(CreateNonce, output: Nonce, error: CreateNonceError);
/// ```
///
/// The same code for each of an API's operations, so it is written once,
/// here; what differs (the request, how its statuses read) stays in the
/// builder's own `impl`.
#[allow(unused_macros)]
macro_rules! impl_send {
    ($builder:ident, output: $output:ty, error: $error:ty) => {
        impl<'a> $builder<'a> {
            /// Sends the request; awaiting the builder does the same.
            pub async fn send(self) -> ::core::result::Result<$output, $error> {
                self.send_with_response()
                    .await
                    .map($crate::ResponseValue::into_value)
            }

            /// Sends the request and keeps the answer's status and headers with
            /// its value: rate limits, `Location`, `ETag`, request ids.
            pub async fn send_with_response(
                self,
            ) -> ::core::result::Result<$crate::ResponseValue<$output>, $error> {
                self.client
                    .execute(self.into_request(), Self::read_answer)
                    .await
            }
        }

        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = ::core::result::Result<$output, $error>;
            type IntoFuture = ::std::pin::Pin<
                ::std::boxed::Box<
                    dyn ::std::future::Future<Output = Self::Output> + ::core::marker::Send + 'a,
                >,
            >;

            fn into_future(self) -> Self::IntoFuture {
                self.client
                    .execute_boxed(self.into_request(), Self::read_answer)
            }
        }
    };
    // An answer read as it arrives: `open` makes the stream of a success's
    // body; `read_answer` reads any other status whole.
    ($builder:ident, stream: $output:ty, error: $error:ty) => {
        impl<'a> $builder<'a> {
            /// Sends the request; awaiting the builder does the same. The
            /// stream starts once the answer's status and headers have come.
            pub async fn send(self) -> ::core::result::Result<$output, $error> {
                self.send_with_response()
                    .await
                    .map($crate::ResponseValue::into_value)
            }

            /// Sends the request and keeps the answer's status and headers with
            /// its stream.
            pub async fn send_with_response(
                self,
            ) -> ::core::result::Result<$crate::ResponseValue<$output>, $error> {
                self.client
                    .execute_stream(self.into_request(), Self::read_answer, Self::open)
                    .await
            }
        }

        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = ::core::result::Result<$output, $error>;
            type IntoFuture = ::std::pin::Pin<
                ::std::boxed::Box<
                    dyn ::std::future::Future<Output = Self::Output> + ::core::marker::Send + 'a,
                >,
            >;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(async move { self.send().await })
            }
        }
    };
}

/// Declares a request builder, a struct holding the client and the
/// parameters, with each optional parameter's setter from its signature:
///
/// ```ignore
/// request_builder! {
///     /// A `GET /pets` request, sent when awaited. Made by [`Client::list_pets`].
///     #[must_use = "a request does nothing until it is awaited"]
///     #[derive(Debug, Clone)]
///     pub struct ListPets<'a> {
///         client: &'a Client,
///         owner: &'a str,
///         limit: Option<i64>,
///     }
///
///     /// How many to return.
///     pub fn limit(mut self, limit: i64) -> Self;
/// }
/// ```
///
/// The `Client` method makes the struct; the request itself
/// (`into_request`, `read_answer`) is in the builder's own `impl`, and
/// sending in [`impl_send!`].
#[allow(unused_macros)]
macro_rules! request_builder {
    (
        $(#[$attr:meta])*
        pub struct $builder:ident<'a $(,)?> {
            $($field:ident: $ty:ty,)*
        }

        $(
            $(#[$setter_attr:meta])*
            pub fn $setter:ident(mut self, $value:ident: $value_ty:ty $(,)?) -> Self;
        )*
    ) => {
        $(#[$attr])*
        pub struct $builder<'a> {
            $($field: $ty,)*
        }

        impl<'a> $builder<'a> {
            $(
                $(#[$setter_attr])*
                // A setter may take `impl Into<…>` of its field's type.
                #[allow(clippy::useless_conversion)]
                pub fn $setter(mut self, $value: $value_ty) -> Self {
                    self.$setter = ::core::option::Option::Some(::core::convert::Into::into($value));
                    self
                }
            )*
        }
    };
}

/// What sends the built requests: reqwest, or a reqwest-middleware stack
/// around it (the `middleware` feature), which sees every attempt.
#[derive(Clone)]
pub(crate) enum Transport {
    Reqwest(reqwest::Client),
    #[cfg(feature = "middleware")]
    Middleware(reqwest_middleware::ClientWithMiddleware),
}

/// Why a request got no answer.
enum Failure {
    Reqwest(reqwest::Error),
    #[cfg(feature = "middleware")]
    Middleware(reqwest_middleware::Error),
}

impl Transport {
    async fn execute(&self, request: reqwest::Request) -> Result<reqwest::Response, Failure> {
        match self {
            Transport::Reqwest(http) => http.execute(request).await.map_err(Failure::Reqwest),
            #[cfg(feature = "middleware")]
            Transport::Middleware(stack) => {
                stack.execute(request).await.map_err(|error| match error {
                    // reqwest's own errors are retried as if there were no middleware.
                    reqwest_middleware::Error::Reqwest(error) => Failure::Reqwest(error),
                    other => Failure::Middleware(other),
                })
            }
        }
    }
}

impl Failure {
    fn into_error(self, attempts: u32) -> Error {
        match self {
            Failure::Reqwest(error) => Error::from_reqwest(error, attempts),
            #[cfg(feature = "middleware")]
            Failure::Middleware(source) => Error::Middleware { source, attempts },
        }
    }
}

/// Sends a request, again after failures the retry policy allows for it,
/// and reads the answer whole. No answer at all becomes
/// [`Error::Transport`] or [`Error::Timeout`]; an answer whose body is
/// longer than `max_body` bytes, [`Error::ResponseTooLarge`].
pub(crate) async fn send(
    transport: &Transport,
    policy: &RetryPolicy,
    max_body: u64,
    request: reqwest::Request,
) -> Result<Answer, Error> {
    let (response, attempts) = respond(transport, policy, request).await?;
    whole(response, attempts, max_body).await
}

/// Sends a request, again after failures the retry policy allows for it,
/// until an answer the policy keeps: its status and headers, with its body
/// still to read, and how many times the request was sent.
pub(crate) async fn respond(
    transport: &Transport,
    policy: &RetryPolicy,
    request: reqwest::Request,
) -> Result<(reqwest::Response, u32), Error> {
    // With an `Idempotency-Key` the server does a repeated request once, so
    // even a POST may be sent again after a failure it may have acted on.
    let idempotent =
        retry::is_idempotent(request.method()) || request.headers().contains_key("idempotency-key");
    let mut attempts = 1;
    loop {
        let copy = if attempts <= policy.retries() {
            request.try_clone()
        } else {
            None
        };
        // The last try, or a body that can't be copied: send the original.
        let Some(copy) = copy else {
            return match transport.execute(request).await {
                Ok(response) => Ok((response, attempts)),
                Err(failure) => Err(failure.into_error(attempts)),
            };
        };
        let wait = match transport.execute(copy).await {
            Ok(response) => match policy.after_status(
                response.status(),
                response.headers(),
                attempts,
                idempotent,
            ) {
                Some(wait) => wait,
                None => return Ok((response, attempts)),
            },
            Err(Failure::Reqwest(error)) => {
                match policy.after_error(&error, attempts, idempotent) {
                    Some(wait) => wait,
                    None => return Err(Error::from_reqwest(error, attempts)),
                }
            }
            // A middleware's own failure is its decision: not retried.
            #[allow(unreachable_patterns)]
            Err(failure) => return Err(failure.into_error(attempts)),
        };
        tokio::time::sleep(wait).await;
        attempts += 1;
    }
}

/// Reads the rest of an answer, at most `max_body` bytes of body: a
/// `Content-Length` over it is refused before the body is read, and a body
/// without one is read a chunk at a time until it ends or passes the limit.
pub(crate) async fn whole(
    mut response: reqwest::Response,
    attempts: u32,
    max_body: u64,
) -> Result<Answer, Error> {
    let status = response.status().as_u16();
    let too_large = || Error::ResponseTooLarge {
        status,
        limit: max_body,
        attempts,
    };
    if response
        .content_length()
        .is_some_and(|length| length > max_body)
    {
        return Err(too_large());
    }
    let headers = std::mem::take(response.headers_mut());
    let capacity = response.content_length().unwrap_or(0);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| Error::from_reqwest(error, attempts))?
    {
        if (body.len() + chunk.len()) as u64 > max_body {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        headers,
        body,
        attempts,
    })
}

/// How the client follows redirects: up to 10 of them within the origin
/// (scheme, host and port) the request was sent to. A redirect to another
/// origin is not followed, so no credential, header or cookie the request
/// carries reaches a server it was not meant for (including an `https` to
/// `http` downgrade); its answer (the `3xx` and its `Location`) is the
/// operation's answer.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_none_or(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else {
            attempt.follow()
        }
    })
}

/// Reads a JSON body; a body that doesn't match the type is [`Error::Decode`].
pub(crate) fn json<T: serde::de::DeserializeOwned>(answer: &Answer) -> Result<T, Error> {
    serde_json::from_slice(&answer.body).map_err(|source| Error::Decode {
        status: answer.status,
        body: String::from_utf8_lossy(&answer.body).into_owned(),
        source,
    })
}

/// Reads a text body (invalid UTF-8 replaced).
pub(crate) fn text(answer: &Answer) -> String {
    String::from_utf8_lossy(&answer.body).into_owned()
}

/// Reads a body as bytes.
pub(crate) fn bytes(answer: &Answer) -> Vec<u8> {
    answer.body.clone()
}

/// An answer with a status the operation does not document.
pub(crate) fn unexpected(answer: &Answer) -> Error {
    Error::UnexpectedStatus {
        status: answer.status,
        body: text(answer),
        attempts: answer.attempts,
    }
}

/// A new random `Idempotency-Key`: a version 4 UUID. Each `RandomState` is
/// seeded with fresh random keys, which is random enough for a key that
/// only has to differ from the caller's other requests.
pub(crate) fn idempotency_key() -> String {
    use std::hash::{BuildHasher, Hasher};
    let random = || {
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    };
    let random = u128::from(random()) << 64 | u128::from(random());
    // The version (4) and variant (10) bits of RFC 9562.
    let bits = random & !(0xf_u128 << 76) & !(0x3_u128 << 62) | 0x4_u128 << 76 | 0x2_u128 << 62;
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// A path parameter's value percent-encoded into one path segment: every
/// byte but `A-Z a-z 0-9 - . _ ~` is written `%XX`, so `/`, `?`, `#`, `%`,
/// spaces and non-ASCII stay inside it. A value the URL would read as a dot
/// segment (`.`, `..`, or their `%2e` spellings) or an empty segment would
/// send the request to another path, so it is refused before anything is sent.
pub(crate) fn path_parameter(
    operation: &'static str,
    parameter: &'static str,
    value: &str,
) -> Result<String, Error> {
    let encoded = percent_encoded(value, |byte| {
        byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
    });
    let refuse = |reason| {
        Err(Error::InvalidParameter {
            operation,
            parameter,
            reason,
        })
    };
    if encoded.is_empty() {
        return refuse("it is empty, which would send the request to the path without it");
    }
    let dots = encoded.to_ascii_lowercase().replace("%2e", ".");
    if dots == "." || dots == ".." {
        return refuse(
            "it is a dot segment (`.` or `..`), which would send the request to another path",
        );
    }
    Ok(encoded)
}

/// A header parameter's value as it is sent. Control characters would end
/// the header or be refused by the server, and HTTP parsers drop spaces and
/// tabs at either end; neither would arrive as given, so both are refused.
pub(crate) fn header_value(
    operation: &'static str,
    parameter: &'static str,
    value: &str,
) -> Result<reqwest::header::HeaderValue, Error> {
    let refuse = |reason| {
        Err(Error::InvalidParameter {
            operation,
            parameter,
            reason,
        })
    };
    if value.starts_with([' ', '\t']) || value.ends_with([' ', '\t']) {
        return refuse("it starts or ends with a space or tab, which HTTP drops");
    }
    match reqwest::header::HeaderValue::from_str(value) {
        Ok(value) => Ok(value),
        Err(_) => refuse("it has a control character, which can't be sent in a header"),
    }
}

/// A cookie parameter's value, percent-encoded: every byte outside RFC
/// 6265's cookie-octets (controls, space, `"`, `,`, `;`, `\`, non-ASCII) and
/// `%` itself is written `%XX`, so no value can end its `name=value` pair or
/// start another.
pub(crate) fn cookie_value(value: &str) -> String {
    percent_encoded(
        value,
        |byte| matches!(byte, 0x21 | 0x23..=0x24 | 0x26..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E),
    )
}

/// `value` with every byte but those `keep` accepts (all ASCII) written `%XX`.
fn percent_encoded(value: &str, keep: fn(u8) -> bool) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if keep(byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Adds an optional query parameter that is one value (a string, number,
/// boolean or string enum) as its text, if it is set.
pub(crate) fn query_parameter(
    query: &mut Vec<(String, String)>,
    name: &str,
    value: Option<impl std::fmt::Display>,
) {
    if let Some(value) = value {
        query.push((name.to_owned(), value.to_string()));
    }
}

/// The properties of an object as name and text pairs, for query strings:
/// strings as they are, other values as JSON text, `null`s left out.
pub(crate) fn properties(value: &impl serde::Serialize) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(properties)) = serde_json::to_value(value) else {
        return Vec::new();
    };
    properties
        .into_iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| match value {
            serde_json::Value::String(text) => (name, text),
            other => (name, other.to_string()),
        })
        .collect()
}
