// Copied unchanged from kanuu-codegen's generator/runtime/retry.rs into every crate it generates: edit that file, not a copy.
//! Retries: which failures a request is sent again after, and how long to wait first.

use std::time::Duration;

/// When a request is sent again after a failure that may pass, and how long the client waits.
///
/// Every request is retried after a connection failure (nothing reached the server),
/// `429 Too Many Requests` and `503 Service Unavailable` (the server did not act on it).
/// Idempotent requests (`GET`, `PUT`, `DELETE`, `HEAD`, `OPTIONS`, `TRACE`) are also
/// retried after `502`, `504` and a timeout, where the server may have acted: sending
/// them twice does what sending them once does. `POST` and `PATCH` are not, so a
/// retry never repeats an action the server may already have taken.
///
/// Waits double from [`initial_backoff`](Self::initial_backoff) up to
/// [`max_backoff`](Self::max_backoff), each with random jitter so clients don't retry
/// in step. A `Retry-After` header (in seconds) sets the wait; one longer than
/// `max_backoff` ends the retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, waiting about 250 ms, then 500 ms; never more than 10 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Sends a request at most `max_retries` more times.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Waits this long before the first retry (doubling after that).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Never waits longer than this between two tries.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// How many more times a request may be sent.
    pub(crate) fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before sending again after an answer with this status and
    /// these headers, if it is retried.
    pub(crate) fn after_status(
        &self,
        status: reqwest::StatusCode,
        headers: &reqwest::header::HeaderMap,
        attempt: u32,
        idempotent: bool,
    ) -> Option<Duration> {
        let retried = match status.as_u16() {
            429 | 503 => true,
            502 | 504 => idempotent,
            _ => false,
        };
        if !retried {
            return None;
        }
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        match retry_after {
            Some(wait) if wait <= self.max_backoff => Some(wait),
            Some(_) => None,
            None => Some(self.backoff(attempt)),
        }
    }

    /// The wait before sending again after a request got no answer, if it is retried.
    pub(crate) fn after_error(
        &self,
        error: &reqwest::Error,
        attempt: u32,
        idempotent: bool,
    ) -> Option<Duration> {
        let retried =
            error.is_connect() || idempotent && (error.is_timeout() || error.is_request());
        retried.then(|| self.backoff(attempt))
    }

    /// Doubling waits with "equal jitter": half fixed, half random.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let backoff = doubled.min(self.max_backoff);
        backoff / 2 + random_fraction(backoff / 2)
    }
}

/// Whether sending a request twice does what sending it once does: every
/// method but `POST` and `PATCH` (RFC 9110, 9.2.2).
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    !matches!(*method, reqwest::Method::POST | reqwest::Method::PATCH)
}

/// A random duration up to `max`. Each `RandomState` is seeded with fresh random
/// keys, which is random enough to spread retries without a dependency.
fn random_fraction(max: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    max.mul_f64((random % 1024) as f64 / 1024.0)
}
