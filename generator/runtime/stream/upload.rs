// Copied unchanged from kanuu-codegen's generator/runtime/stream/upload.rs into every crate that uploads files: edit that file, not a copy.
//! Bodies of bytes sent as they are read: files and streams, not first
//! read into memory.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::Error;

/// The body of an upload: bytes in memory, a file, or a stream of chunks.
///
/// Bytes convert into it (`Vec<u8>`, `&[u8]`, `bytes::Bytes`, `String`,
/// `&str`); [`Upload::file`] and [`Upload::stream`] send a file or a
/// stream as it is read, without holding it in memory.
///
/// A body of bytes in memory is retried by the client's policy like any
/// other (a `multipart/form-data` body never is: reqwest sends every form
/// as a stream). A file or a stream is read once, so its request is sent
/// once and never retried, and a clone of the request builder can't send
/// it again ([`Error::InvalidParameter`]).
#[derive(Clone)]
pub struct Upload {
    source: Source,
    length: Option<u64>,
}

#[derive(Clone)]
enum Source {
    Bytes(bytes::Bytes),
    /// Taken by the first request that sends it.
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

impl Upload {
    /// Sends the file from where it is read to its end, with its length
    /// (from its metadata) as the `Content-Length`.
    pub async fn file(file: tokio::fs::File) -> std::io::Result<Upload> {
        let length = file.metadata().await?.len();
        // Read 64 KiB at a time: reqwest's own `From<File>` reads 4 KiB,
        // a system call and a chunk for each.
        let chunks = tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024);
        Ok(Upload::stream(chunks).with_length(length))
    }

    /// Sends the chunks of `stream` as they come, without a
    /// `Content-Length` (chunked) unless [`with_length`](Self::with_length)
    /// gives one. An error of the stream fails the request.
    pub fn stream<S>(stream: S) -> Upload
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        bytes::Bytes: From<S::Ok>,
    {
        Upload::from_body(reqwest::Body::wrap_stream(stream))
    }

    /// Sends `length` as the `Content-Length` of a stream, for servers that
    /// refuse chunked uploads. The stream must be exactly that long.
    pub fn with_length(mut self, length: u64) -> Upload {
        self.length = Some(length);
        self
    }

    /// How many bytes it has, when known.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    fn from_body(body: reqwest::Body) -> Upload {
        Upload {
            source: Source::Stream(Arc::new(Mutex::new(Some(body)))),
            length: None,
        }
    }

    /// Makes it the body of `request`, sent as `content_type`; a stream
    /// only once.
    pub(crate) fn attach(
        self,
        request: reqwest::RequestBuilder,
        content_type: &'static str,
        operation: &'static str,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let request = request.header(reqwest::header::CONTENT_TYPE, content_type);
        let (body, length) = self.into_body(operation)?;
        let request = match length {
            Some(length) => request.header(reqwest::header::CONTENT_LENGTH, length),
            None => request,
        };
        Ok(request.body(body))
    }

    /// The body to send, and its length when known; a stream's only once.
    pub(crate) fn into_body(
        self,
        operation: &'static str,
    ) -> Result<(reqwest::Body, Option<u64>), Error> {
        let body = match self.source {
            Source::Bytes(bytes) => reqwest::Body::from(bytes),
            Source::Stream(body) => {
                let body = body.lock().unwrap_or_else(PoisonError::into_inner).take();
                body.ok_or(Error::InvalidParameter {
                    operation,
                    parameter: "body",
                    reason: "a file or stream is read once, and this one was sent already",
                })?
            }
        };
        Ok((body, self.length))
    }
}

/// Bytes are the same bytes; a file or stream is only equal to itself
/// (and its clones).
impl PartialEq for Upload {
    fn eq(&self, other: &Upload) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(one), Source::Bytes(other)) => one == other,
            (Source::Stream(one), Source::Stream(other)) => Arc::ptr_eq(one, other),
            _ => false,
        }
    }
}

/// As a `Vec<u8>` is (a list of numbers); a file or stream is only ever
/// sent as it is read, so writing one as JSON is an error.
impl serde::Serialize for Upload {
    fn serialize<S: serde::Serializer>(&self, output: S) -> Result<S::Ok, S::Error> {
        match &self.source {
            Source::Bytes(bytes) => output.collect_seq(bytes.iter()),
            Source::Stream(_) => Err(serde::ser::Error::custom(
                "a file or stream is sent as it is read, and can't be written as JSON",
            )),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Upload {
    fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Upload, D::Error> {
        Vec::<u8>::deserialize(input).map(Upload::from)
    }
}

impl From<bytes::Bytes> for Upload {
    fn from(bytes: bytes::Bytes) -> Upload {
        Upload {
            length: Some(bytes.len() as u64),
            source: Source::Bytes(bytes),
        }
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Upload {
        Upload::from(bytes::Bytes::from(bytes))
    }
}

impl From<&[u8]> for Upload {
    fn from(bytes: &[u8]) -> Upload {
        Upload::from(bytes::Bytes::copy_from_slice(bytes))
    }
}

impl<const N: usize> From<&[u8; N]> for Upload {
    fn from(bytes: &[u8; N]) -> Upload {
        Upload::from(&bytes[..])
    }
}

impl From<&Vec<u8>> for Upload {
    fn from(bytes: &Vec<u8>) -> Upload {
        Upload::from(bytes.as_slice())
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Upload {
        Upload::from(text.into_bytes())
    }
}

impl From<&str> for Upload {
    fn from(text: &str) -> Upload {
        Upload::from(text.as_bytes())
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.source {
            Source::Bytes(_) => "bytes",
            Source::Stream(_) => "stream",
        };
        f.debug_struct("Upload")
            .field("source", &kind)
            .field("length", &self.length)
            .finish()
    }
}
