// Copied unchanged from kanuu-codegen's generator/runtime/oauth2.rs into every crate whose API gets OAuth2 tokens from a token URL: edit that file, not a copy.
//! OAuth2 access tokens the client gets for itself (RFC 6749): with the
//! client credentials grant, or by exchanging a refresh token. Each is
//! fetched when a request first needs it, kept, and renewed shortly before
//! it expires (by its `expires_in`) and when an answer is 401; requests
//! waiting for one share a single renewal. Secrets never appear in `Debug`
//! output or in errors.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, AUTHORIZATION};

use crate::connection::Tokens;
use crate::Error;

/// How a [`TokenSource`] asks for a token.
enum Grant {
    /// `grant_type=client_credentials`.
    ClientCredentials,
    /// `grant_type=refresh_token`, with the latest refresh token (a server
    /// may send a new one with each access token).
    RefreshToken,
}

/// Where and how a client gets its access tokens for one security scheme.
pub(crate) struct TokenSource {
    /// As the document gives it: absolute, or relative to the base URL.
    token_url: &'static str,
    scopes: &'static [&'static str],
    client_id: String,
    client_secret: Option<String>,
    grant: Grant,
    /// What an operation's request carries until it is sent: unique to
    /// this source, and not a secret.
    placeholder: HeaderValue,
    state: tokio::sync::Mutex<State>,
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    refresh_token: Option<String>,
}

struct Token {
    /// `Bearer …`, marked sensitive.
    header: HeaderValue,
    /// When to get a new one; `None` when the server gave no `expires_in`.
    renew_at: Option<Instant>,
}

/// A token is renewed this long before it expires, or at half its life
/// when that is shorter.
const MARGIN: Duration = Duration::from_secs(60);

impl TokenSource {
    /// Gets tokens with the client credentials grant.
    pub(crate) fn client_credentials(
        token_url: &'static str,
        scopes: &'static [&'static str],
        client_id: String,
        client_secret: String,
    ) -> TokenSource {
        TokenSource::new(
            token_url,
            scopes,
            client_id,
            Some(client_secret),
            Grant::ClientCredentials,
            None,
        )
    }

    /// Gets tokens by exchanging `refresh_token`; without a client secret
    /// (a public client), the client id goes in the request's body.
    pub(crate) fn refresh_token(
        token_url: &'static str,
        scopes: &'static [&'static str],
        client_id: String,
        client_secret: Option<String>,
        refresh_token: String,
    ) -> TokenSource {
        TokenSource::new(
            token_url,
            scopes,
            client_id,
            client_secret,
            Grant::RefreshToken,
            Some(refresh_token),
        )
    }

    fn new(
        token_url: &'static str,
        scopes: &'static [&'static str],
        client_id: String,
        client_secret: Option<String>,
        grant: Grant,
        refresh_token: Option<String>,
    ) -> TokenSource {
        static SOURCES: AtomicU64 = AtomicU64::new(0);
        let number = SOURCES.fetch_add(1, Ordering::Relaxed);
        TokenSource {
            token_url,
            scopes,
            client_id,
            client_secret,
            grant,
            placeholder: HeaderValue::from_str(&format!("Bearer pending-oauth2-token-{number}"))
                .unwrap_or(HeaderValue::from_static("Bearer pending-oauth2-token")),
            state: tokio::sync::Mutex::new(State {
                token: None,
                refresh_token,
            }),
        }
    }

    /// The `Authorization` an operation's request carries until it is sent.
    pub(crate) fn placeholder(&self) -> HeaderValue {
        self.placeholder.clone()
    }

    /// A current token: the kept one, unless it is due for renewal or is
    /// `stale` (the server refused it), else a new one. The lock is held
    /// while a token is fetched, so requests waiting for one share it.
    async fn token(
        &self,
        http: &reqwest::Client,
        base_url: &reqwest::Url,
        stale: Option<&HeaderValue>,
    ) -> Result<HeaderValue, Error> {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.token {
            let due = token.renew_at.is_some_and(|at| Instant::now() >= at);
            if !due && stale != Some(&token.header) {
                return Ok(token.header.clone());
            }
        }
        let token = self.fetch(http, base_url, &mut state).await?;
        let header = token.header.clone();
        state.token = Some(token);
        Ok(header)
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        base_url: &reqwest::Url,
        state: &mut State,
    ) -> Result<Token, Error> {
        let url = reqwest::Url::parse(self.token_url)
            .or_else(|_| base_url.join(self.token_url))
            .map_err(|error| {
                Error::Config(format!("invalid token URL `{}`: {error}", self.token_url))
            })?;
        let mut form = Vec::new();
        match self.grant {
            Grant::ClientCredentials => form.push(("grant_type", "client_credentials")),
            Grant::RefreshToken => {
                form.push(("grant_type", "refresh_token"));
                form.push((
                    "refresh_token",
                    state.refresh_token.as_deref().unwrap_or(""),
                ));
            }
        }
        let scopes = self.scopes.join(" ");
        if !scopes.is_empty() {
            form.push(("scope", &scopes));
        }
        // RFC 6749 §2.3.1: HTTP basic authentication, the id and secret
        // form-encoded first; a public client names itself in the body.
        let request = http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(Duration::from_secs(30));
        let request = match &self.client_secret {
            Some(secret) => {
                request.basic_auth(form_encoded(&self.client_id), Some(form_encoded(secret)))
            }
            None => {
                form.push(("client_id", &self.client_id));
                request
            }
        };
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|error| Error::from_reqwest(error.without_url(), 1))?;
        let status = response.status().as_u16();
        let answer = crate::http::whole(response, 1, 1 << 20).await?;
        let body = String::from_utf8_lossy(answer.body()).into_owned();
        if !(200..300).contains(&status) {
            return Err(Error::Token { status, body });
        }
        let decode = |message: &str| Error::Decode {
            status,
            body: String::new(),
            source: serde::de::Error::custom(message),
        };
        let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&body)
            .map_err(|source| Error::Decode {
                status,
                body: String::new(),
                source,
            })?;
        let access_token = fields
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| decode("the token endpoint's answer has no `access_token`"))?;
        let mut header = HeaderValue::try_from(format!("Bearer {access_token}"))
            .map_err(|_| decode("the access token can't be sent in a header"))?;
        header.set_sensitive(true);
        if let Some(refresh_token) = fields
            .get("refresh_token")
            .and_then(serde_json::Value::as_str)
        {
            state.refresh_token = Some(refresh_token.to_owned());
        }
        let renew_at = fields
            .get("expires_in")
            .and_then(serde_json::Value::as_u64)
            .map(|seconds| {
                let lifetime = Duration::from_secs(seconds);
                Instant::now() + lifetime - MARGIN.min(lifetime / 2)
            });
        Ok(Token { header, renew_at })
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant = match self.grant {
            Grant::ClientCredentials => "client_credentials",
            Grant::RefreshToken => "refresh_token",
        };
        f.debug_struct("TokenSource")
            .field("token_url", &self.token_url)
            .field("grant", &grant)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// The token sources a client was given, for its connection.
pub(crate) struct TokenSources(Vec<Arc<TokenSource>>);

impl TokenSources {
    /// The configured sources, if any.
    pub(crate) fn of(
        sources: impl IntoIterator<Item = Option<Arc<TokenSource>>>,
    ) -> Option<Arc<dyn Tokens>> {
        let sources: Vec<Arc<TokenSource>> = sources.into_iter().flatten().collect();
        if sources.is_empty() {
            None
        } else {
            Some(Arc::new(TokenSources(sources)))
        }
    }
}

impl Tokens for TokenSources {
    fn sign<'a>(
        &'a self,
        http: &'a reqwest::Client,
        base_url: &'a reqwest::Url,
        request: &'a mut reqwest::Request,
        stale: Option<&'a HeaderValue>,
    ) -> Pin<Box<dyn Future<Output = Result<Option<HeaderValue>, Error>> + Send + 'a>> {
        Box::pin(async move {
            let current = request.headers().get(AUTHORIZATION);
            let Some(source) = self
                .0
                .iter()
                .find(|source| Some(&source.placeholder) == current)
            else {
                return Ok(None);
            };
            let token = source.token(http, base_url, stale).await?;
            request.headers_mut().insert(AUTHORIZATION, token.clone());
            Ok(Some(token))
        })
    }
}

/// `application/x-www-form-urlencoded` text.
fn form_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
