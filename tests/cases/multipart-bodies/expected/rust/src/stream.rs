// Copied from kanuu-codegen's generator/runtime/stream.rs into every crate that streams answers or uploads, with a `mod` line for each kind it uses: edit that file, not a copy.
//! Answers read as they arrive, each a `futures::Stream`: `Events` for
//! server-sent events (`text/event-stream`), `JsonLines` for JSON lines
//! (`application/jsonl`, `application/x-ndjson`) and JSON text sequences
//! (`application/json-seq`), both decoded an item at a time, and
//! `ByteStream` for files and any other body that is not JSON or text, a
//! chunk of bytes at a time; and `Upload`, a body of bytes sent as it is
//! read. Nothing but the item or chunk at hand is held in memory.
//!
//! An operation that answers with one returns it from `.await` once the
//! answer's status and headers have come; an error status is read whole
//! and returned as the operation's error, as for any operation. The
//! request is sent with the client's retry policy until a stream starts;
//! a stream that breaks off is not resumed. A stream's request has no
//! total timeout (it lasts as long as the server sends); the connection's
//! own timeouts still apply.
//!
//! A crate has the kinds its API uses, each in a module of its own,
//! re-exported here.
// Each kind's module is included only in crates that read it, so the
// helpers here are unused in some.
#![allow(dead_code)]

use std::pin::Pin;

use futures_core::Stream;

/// The chunks of an answer's body as they arrive.
type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

/// How an item's text becomes the item.
pub(crate) type Decode<T> = fn(&str) -> Result<T, serde_json::Error>;

/// An item that is JSON text.
pub(crate) fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

/// An item that is text, as it came.
pub(crate) fn text(text: &str) -> Result<String, serde_json::Error> {
    Ok(text.to_owned())
}

mod file_part;

mod upload;
pub use upload::Upload;
