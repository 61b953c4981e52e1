// Copied unchanged from kanuu-codegen's generator/runtime/error.rs into every crate it generates: edit that file, not a copy.
//! What can go wrong.

use std::fmt;

/// What can go wrong with any request, apart from the errors the API documents per operation.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: a missing or invalid base URL, an API key that
    /// can't be sent in a header, or no TLS backend.
    Config(String),
    /// No answer: the connection failed, was refused or dropped, or the answer could not be read.
    #[non_exhaustive]
    Transport {
        /// What went wrong.
        source: reqwest::Error,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// No answer within the configured timeout.
    #[non_exhaustive]
    Timeout {
        /// What went wrong.
        source: reqwest::Error,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The server answered with a status this operation does not document.
    #[non_exhaustive]
    UnexpectedStatus {
        /// The HTTP status code.
        status: u16,
        /// The body as text (invalid UTF-8 replaced).
        body: String,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A middleware (the `middleware` feature) failed the request; not retried.
    #[cfg(feature = "middleware")]
    #[non_exhaustive]
    Middleware {
        /// What went wrong.
        source: reqwest_middleware::Error,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A parameter's value can't be sent as given, so the request was not
    /// sent: a path parameter that would move the request to another path,
    /// or a header value that would not arrive as it is.
    #[non_exhaustive]
    InvalidParameter {
        /// The `Client` method whose request it is.
        operation: &'static str,
        /// The parameter's name in the API.
        parameter: &'static str,
        /// Why it can't be sent.
        reason: &'static str,
    },
    /// The answer's body is longer than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)),
    /// so it was not read further.
    #[non_exhaustive]
    ResponseTooLarge {
        /// The HTTP status code.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The server's answer does not match the documented body.
    #[non_exhaustive]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The body as text (invalid UTF-8 replaced).
        body: String,
        /// Why it doesn't match.
        source: serde_json::Error,
    },
    /// The API's token endpoint refused to give the client an access token
    /// (OAuth2: its client credentials or refresh token were not accepted),
    /// so the request was not sent.
    #[non_exhaustive]
    Token {
        /// The token endpoint's HTTP status code.
        status: u16,
        /// Its body as text (invalid UTF-8 replaced): RFC 6749's `error`
        /// and `error_description`, usually.
        body: String,
    },
    /// A page of a list named a next page the client won't ask for: one at
    /// another origin than the page's, which would be sent the credentials,
    /// or not a URL. The pages before it were read.
    #[non_exhaustive]
    NextPage {
        /// The next page as the answer named it.
        url: String,
        /// Why it wasn't asked for.
        reason: &'static str,
    },
}

impl Error {
    pub(crate) fn from_reqwest(source: reqwest::Error, attempts: u32) -> Self {
        if source.is_timeout() {
            Error::Timeout { source, attempts }
        } else {
            Error::Transport { source, attempts }
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::Token { status, .. } => Some(*status),
            Error::Config(_)
            | Error::Transport { .. }
            | Error::Timeout { .. }
            | Error::InvalidParameter { .. }
            | Error::NextPage { .. } => None,
            #[cfg(feature = "middleware")]
            Error::Middleware { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::Transport { source, attempts } => {
                write!(f, "request failed{}: {source}", tries(*attempts))
            }
            Error::Timeout { source, attempts } => {
                write!(f, "request timed out{}: {source}", tries(*attempts))
            }
            Error::UnexpectedStatus {
                status,
                body,
                attempts,
            } => {
                write!(
                    f,
                    "unexpected HTTP status {status}{}: {}",
                    tries(*attempts),
                    excerpt(body)
                )
            }
            Error::InvalidParameter {
                operation,
                parameter,
                reason,
            } => {
                write!(f, "`{operation}` was not sent: its parameter `{parameter}` can't be sent as given: {reason}")
            }
            Error::ResponseTooLarge {
                status,
                limit,
                attempts,
            } => {
                write!(
                    f,
                    "the body of an HTTP {status} answer{} is longer than the limit of {limit} bytes",
                    tries(*attempts)
                )
            }
            Error::Decode { status, source, .. } => {
                write!(
                    f,
                    "could not decode the body of an HTTP {status} answer: {source}"
                )
            }
            Error::NextPage { url, reason } => {
                write!(f, "the next page, {url}, was not asked for: {reason}")
            }
            Error::Token { status, body } => {
                write!(
                    f,
                    "the token endpoint refused an access token with HTTP {status}: {}",
                    excerpt(body)
                )
            }
            #[cfg(feature = "middleware")]
            Error::Middleware { source, attempts } => {
                write!(
                    f,
                    "a middleware failed the request{}: {source}",
                    tries(*attempts)
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => Some(source),
            Error::Decode { source, .. } => Some(source),
            Error::Config(_)
            | Error::UnexpectedStatus { .. }
            | Error::InvalidParameter { .. }
            | Error::ResponseTooLarge { .. }
            | Error::Token { .. }
            | Error::NextPage { .. } => None,
            #[cfg(feature = "middleware")]
            Error::Middleware { source, .. } => Some(source),
        }
    }
}

/// Writes what every operation's error enum shares, for an enum whose
/// `Other` variant holds any [`Error`]: `From<Error>`, so `?` turns an
/// `Error` into it, and `std::error::Error`, whose source is the `Other`
/// error's.
///
/// ```ignore
/// impl_operation_error!(CreateNonceError);
/// ```
#[allow(unused_macros)]
macro_rules! impl_operation_error {
    ($error:ident) => {
        impl ::core::convert::From<$crate::Error> for $error {
            fn from(error: $crate::Error) -> Self {
                Self::Other(error)
            }
        }

        impl ::std::error::Error for $error {
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Other(error) => ::std::error::Error::source(error),
                    _ => ::core::option::Option::None,
                }
            }
        }
    };
}

/// "after 3 attempts", when there was more than one.
fn tries(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

/// The start of a body, for messages: bodies can be whole HTML pages.
fn excerpt(body: &str) -> &str {
    let end = body
        .char_indices()
        .nth(200)
        .map_or(body.len(), |(index, _)| index);
    &body[..end]
}
