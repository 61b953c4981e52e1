// Copied unchanged from kanuu-codegen's generator/runtime/webhooks/standard.rs into every crate whose API signs its webhooks the Standard Webhooks way: edit that file, not a copy.
//! Checking a delivery's signature the Standard Webhooks way
//! (<https://www.standardwebhooks.com>): `webhook-signature` holds one or
//! more `v1,<base64>` HMAC-SHA256s of `{webhook-id}.{webhook-timestamp}.{body}`
//! under the endpoint's secret, compared in constant time.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;

use super::{Webhook, WebhookError};

/// How far a delivery's timestamp may be from now, by default: Standard
/// Webhooks' five minutes.
const TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Checks that deliveries were signed with an endpoint's secret, then
/// reads them. Its `Debug` output leaves the secret out.
#[derive(Clone)]
pub struct Verifier {
    key: Vec<u8>,
    tolerance: Duration,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier for the secret the API gave the endpoint: `whsec_`
    /// followed by base64 (the bare base64 is read too).
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.trim();
        let encoded = encoded.strip_prefix("whsec_").unwrap_or(encoded);
        let key = BASE64.decode(encoded).map_err(|_| WebhookError::Secret)?;
        if key.is_empty() {
            return Err(WebhookError::Secret);
        }
        Ok(Verifier {
            key,
            tolerance: TOLERANCE,
        })
    }

    /// How far a delivery's timestamp may be from now (five minutes by
    /// default): older deliveries are refused as replays.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks the delivery's signature and timestamp, then reads it.
    pub fn read(&self, headers: &HeaderMap, body: &[u8]) -> Result<Webhook, WebhookError> {
        self.verify(headers, body)?;
        Webhook::from_request(headers, body)
    }

    /// Checks that the API signed this delivery with the secret, and that
    /// its timestamp is within the tolerance of now.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`Verifier::verify`] as if it were `now`.
    pub fn verify_at(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let header = |name: &'static str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .ok_or(WebhookError::MissingHeader(name))
        };
        let id = header("webhook-id")?;
        let timestamp = header("webhook-timestamp")?;
        let signatures = header("webhook-signature")?;
        let seconds: u64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::Timestamp)?;
        let sent = UNIX_EPOCH + Duration::from_secs(seconds);
        let skew = now
            .duration_since(sent)
            .unwrap_or_else(|early| early.duration());
        if skew > self.tolerance {
            return Err(WebhookError::Timestamp);
        }
        let mac = self.mac(id, timestamp.trim(), body);
        let signed = signatures
            .split_ascii_whitespace()
            .filter_map(|signature| signature.strip_prefix("v1,"));
        for signature in signed {
            if let Ok(signature) = BASE64.decode(signature) {
                if mac.clone().verify_slice(&signature).is_ok() {
                    return Ok(());
                }
            }
        }
        Err(WebhookError::Signature)
    }

    /// The `webhook-signature` the API would send with this delivery:
    /// for tests of the code that receives them.
    pub fn sign(&self, id: &str, timestamp: SystemTime, body: &[u8]) -> String {
        let seconds = timestamp
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mac = self.mac(id, &seconds.to_string(), body);
        format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
    }

    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }
}
