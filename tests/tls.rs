//! The generated client over real TLS: a server on loopback with a
//! certificate from a certificate authority made in the test. The client
//! trusts that CA only when told to (`ClientBuilder::add_root_certificate`),
//! and refuses the server otherwise, or when it is told to trust another CA.
//! The client is the `kanuu` crate with its default features: rustls on
//! `ring`, set up by its `src/tls.rs`.

use std::sync::Arc;

use kanuu::{Client, CreateNonceRequest, Error};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A certificate authority: its certificate as PEM, and what it signs with.
struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Authority {
    fn new(name: &str) -> Authority {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("a CA key");
        Authority { issuer: CertifiedIssuer::self_signed(params, key).expect("a CA certificate") }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A certificate for `localhost`, and its key.
    fn server_certificate(&self) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let params = CertificateParams::new(vec!["localhost".to_owned()]).expect("server parameters");
        let key = KeyPair::generate().expect("a server key");
        let certificate = params.signed_by(&key, &self.issuer).expect("a server certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        (certificate.der().clone(), key)
    }
}

/// Serves HTTPS on `localhost` with a certificate from `authority`: every
/// request gets the same `201` JSON answer. Returns the base URL.
async fn serve(authority: &Authority) -> String {
    let (certificate, key) = authority.server_certificate();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .expect("a server config");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("an address").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A refused handshake ends here; the client reports it.
                let Ok(mut stream) = acceptor.accept(stream).await else { return };
                let mut request = Vec::new();
                let mut buffer = [0; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let body = r#"{"nonce":"one-time","url":"https://kanuu.io/redirect/one-time"}"#;
                let answer = format!(
                    "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}")
}

async fn create_nonce(client: &Client) -> Result<kanuu::Nonce, kanuu::CreateNonceError> {
    client.create_nonce(&CreateNonceRequest::new("42")).await
}

#[tokio::test]
async fn a_server_signed_by_a_trusted_authority_is_answered() {
    let authority = Authority::new("kanuu-codegen test CA");
    let base_url = serve(&authority).await;
    let client = Client::builder("test-key")
        .base_url(&base_url)
        .add_root_certificate(authority.pem())
        .no_retries()
        .build()
        .expect("a client");
    let nonce = create_nonce(&client).await.expect("an HTTPS answer");
    assert_eq!(nonce.url, "https://kanuu.io/redirect/one-time");
}

#[tokio::test]
async fn a_server_signed_by_an_authority_nobody_trusts_is_refused() {
    let authority = Authority::new("kanuu-codegen test CA");
    let base_url = serve(&authority).await;
    for trusted in [None, Some(Authority::new("another CA"))] {
        let mut builder = Client::builder("test-key").base_url(&base_url).no_retries();
        if let Some(other) = &trusted {
            builder = builder.add_root_certificate(other.pem());
        }
        let client = builder.build().expect("a client");
        match create_nonce(&client).await {
            Err(kanuu::CreateNonceError::Other(Error::Transport { source, .. })) => {
                // The certificate, not the connection, is what failed.
                let chain = std::iter::successors(Some(&source as &dyn std::error::Error), |e| e.source())
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(": ");
                assert!(chain.contains("certificate"), "refused for another reason: {chain}");
            }
            other => panic!("the server was not refused (trusting {:?}): {other:?}", trusted.is_some()),
        }
    }
}

#[tokio::test]
async fn a_root_certificate_that_is_not_pem_is_a_configuration_error() {
    let error = Client::builder("test-key").add_root_certificate("not a certificate").build().expect_err("refused");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(error.to_string().contains("root certificate"), "{error}");
}

#[tokio::test]
async fn http_builder_has_the_crate_s_tls_set_up() {
    // With only the crate's `rustls` feature, reqwest has no crypto provider
    // of its own: `reqwest::Client::new()` would panic here.
    let http = Client::http_builder().expect("a builder").build().expect("a reqwest client");
    let authority = Authority::new("kanuu-codegen test CA");
    let base_url = serve(&authority).await;
    let client =
        Client::builder("test-key").base_url(&base_url).http_client(http).no_retries().build().expect("a client");
    // Its own client trusts only the system's roots: the test CA is refused.
    assert!(create_nonce(&client).await.is_err());
}
