// Copied unchanged from kanuu-codegen's generator/runtime/webhooks/delivery.rs into every crate whose API sends webhooks or callbacks: edit that file, not a copy.
//! Reading a delivery (a request the API sent) into the webhook it is.
// Which of these a crate's `Webhook::from_request` calls depends on its
// webhooks (with bodies or without, told apart or alone).
#![allow(dead_code)]

use std::fmt;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why a delivery was not read, or not accepted.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is not JSON.
    Body(serde_json::Error),
    /// No webhook of the API has the delivery's event headers and fields,
    /// or the body is not the payload of the one that has them.
    Unknown,
    /// A header a signature check needs is missing, or not text: its name.
    MissingHeader(&'static str),
    /// The delivery's timestamp is not a number of seconds, or further
    /// from now than the tolerance: a replay, or a clock that is off.
    Timestamp,
    /// No signature of the delivery was made with the secret: the body or
    /// headers were changed, it was forged, or the secret is another.
    Signature,
    /// The secret is not `whsec_` followed by base64, as the API gives it.
    Secret,
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::Body(error) => write!(f, "the delivery's body is not JSON: {error}"),
            WebhookError::Unknown => f.write_str("the delivery is none of the API's webhooks"),
            WebhookError::MissingHeader(name) => write!(f, "the delivery has no `{name}` header"),
            WebhookError::Timestamp => f.write_str(
                "the delivery's timestamp is too far from now (a replay, or a clock that is off)",
            ),
            WebhookError::Signature => {
                f.write_str("no signature of the delivery was made with the secret")
            }
            WebhookError::Secret => {
                f.write_str("the webhook secret is not `whsec_` followed by base64")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Body(error) => Some(error),
            _ => None,
        }
    }
}

/// A delivery's headers and its body as JSON (`None` when it has none).
pub(crate) struct Delivery<'a> {
    headers: &'a HeaderMap,
    body: Option<Value>,
}

impl<'a> Delivery<'a> {
    pub(crate) fn new(headers: &'a HeaderMap, body: &[u8]) -> Result<Self, WebhookError> {
        let body = match body.iter().all(u8::is_ascii_whitespace) {
            true => None,
            false => Some(serde_json::from_slice(body).map_err(WebhookError::Body)?),
        };
        Ok(Delivery { headers, body })
    }

    /// Whether the delivery has each of `headers` (lower-case names) with
    /// its value, and its body each of `fields` (top-level properties)
    /// with its text.
    pub(crate) fn is(&self, headers: &[(&str, &str)], fields: &[(&str, &str)]) -> bool {
        let header = |name: &str| self.headers.get(name).and_then(|value| value.to_str().ok());
        let field = |name: &str| self.body.as_ref()?.get(name)?.as_str();
        headers
            .iter()
            .all(|(name, value)| header(name) == Some(*value))
            && fields
                .iter()
                .all(|(name, value)| field(name) == Some(*value))
    }

    /// The body read as `T`, if it is one.
    pub(crate) fn payload<T: DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(self.body.as_ref()?).ok()
    }

    /// Whether the delivery has no body.
    pub(crate) fn is_empty(&self) -> bool {
        self.body.is_none()
    }
}
