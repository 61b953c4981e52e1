// Copied unchanged from kanuu-codegen's generator/runtime/tls.rs into every crate it generates: edit that file, not a copy.
//! TLS for the `reqwest::Client` the crate builds itself.
//!
//! With the `rustls` feature (the default) it is rustls on the `ring` crypto
//! provider, set up here and handed to reqwest, rather than reqwest's own
//! `rustls` feature, whose `aws-lc-rs` provider compiles a C library and
//! makes a cold build several times longer. Certificates are verified as
//! reqwest does: against the operating system's trust store (through
//! rustls-platform-verifier), plus any roots given to
//! `ClientBuilder::add_root_certificate`. Nothing here installs a
//! process-wide default, so the application's own choices stand.
//!
//! With only the `native-tls` feature it is the platform's TLS library
//! (OpenSSL on Linux), configured by reqwest. With neither, plain `http://`
//! only.
// This file is the same in every crate, and which parts are used depends on
// the crate's features.
#![allow(dead_code)]

use crate::Error;

/// Sets up TLS on `builder`, trusting the system's roots and `extra_roots`
/// (each PEM text, one or more certificates).
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    extra_roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    #[cfg(feature = "rustls")]
    let builder = builder.tls_backend_preconfigured(rustls_config(extra_roots)?);
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    let builder = native_tls_roots(builder, extra_roots)?;
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    if !extra_roots.is_empty() {
        return Err(Error::Config(
            "root certificates need the `rustls` or `native-tls` feature of this crate".to_owned(),
        ));
    }
    Ok(builder)
}

/// Adds `extra_roots` to what the platform's TLS library trusts.
#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
fn native_tls_roots(
    mut builder: reqwest::ClientBuilder,
    extra_roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    for pem in extra_roots {
        let certificates = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|error| Error::Config(format!("invalid root certificate: {error}")))?;
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    Ok(builder)
}

/// rustls on `ring`, verifying servers against the system's trust store and
/// `extra_roots`, offering HTTP/2 (with the `http2` feature) and HTTP/1.1.
#[cfg(feature = "rustls")]
fn rustls_config(extra_roots: &[Vec<u8>]) -> Result<rustls::ClientConfig, Error> {
    use std::sync::Arc;

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;

    let invalid =
        |error: &dyn std::fmt::Display| Error::Config(format!("invalid root certificate: {error}"));
    let mut roots = Vec::new();
    for pem in extra_roots {
        let before = roots.len();
        for certificate in CertificateDer::pem_slice_iter(pem) {
            roots.push(certificate.map_err(|error| invalid(&error))?);
        }
        if roots.len() == before {
            return Err(invalid(
                &"no PEM certificate (`-----BEGIN CERTIFICATE-----`) in it",
            ));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = if roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
    }
    .map_err(|error| {
        Error::Config(format!(
            "could not load the system's root certificates: {error}"
        ))
    })?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::Config(format!("could not set up TLS: {error}")))?
        // `dangerous` only in name: this is the platform's verifier, the one
        // reqwest itself installs; it checks chains, names and expiry.
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    #[cfg(feature = "http2")]
    config.alpn_protocols.push(b"h2".to_vec());
    config.alpn_protocols.push(b"http/1.1".to_vec());
    Ok(config)
}
