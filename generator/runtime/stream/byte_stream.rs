// Copied unchanged from kanuu-codegen's generator/runtime/stream/byte_stream.rs into every crate with answers that are files: edit that file, not a copy.
//! Files and other answers that are not JSON or text, a chunk of bytes at
//! a time.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::Chunks;
use crate::Error;

/// The body of an answer as it arrives, a chunk of bytes at a time, as a
/// `futures::Stream`: a file, an archive or an image, of any size.
///
/// [`write_to`](Self::write_to) writes it to a file (or any
/// `tokio::io::AsyncWrite`) as it comes, and [`to_vec`](Self::to_vec)
/// reads it whole. Only the chunk being read is held in memory, so the
/// client's `max_response_bytes` does not apply: the caller decides where
/// the bytes go. A broken connection is an [`Error::Transport`], and the
/// stream ends.
#[must_use = "a stream does nothing until it is polled"]
pub struct ByteStream {
    chunks: Chunks,
    content_length: Option<u64>,
    done: bool,
}

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        ByteStream {
            content_length: response.content_length(),
            chunks: Box::pin(response.bytes_stream()),
            done: false,
        }
    }

    /// The body's length in bytes, when the server said (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Reads the rest of the body into memory.
    pub async fn to_vec(mut self) -> Result<Vec<u8>, Error> {
        // A server's `Content-Length` sizes the buffer only up to 16 MiB:
        // past that, the bytes that actually come do.
        let expected = self.content_length.unwrap_or(0).min(16 << 20);
        let mut body = Vec::with_capacity(expected as usize);
        while let Some(chunk) = self.next_chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Writes the rest of the body to `writer` as it arrives (a
    /// `tokio::fs::File`, a socket), flushes it, and returns how many bytes
    /// it wrote. An error of the answer (a broken connection) is an
    /// `io::Error` whose [`get_ref`](std::io::Error::get_ref) is the
    /// crate's [`Error`].
    pub async fn write_to<W>(mut self, writer: &mut W) -> std::io::Result<u64>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0;
        while let Some(chunk) = self.next_chunk().await.map_err(std::io::Error::other)? {
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    async fn next_chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }
}

impl Stream for ByteStream {
    type Item = Result<bytes::Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.chunks.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(source))) => {
                self.done = true;
                Poll::Ready(Some(Err(Error::Transport {
                    source,
                    attempts: 1,
                })))
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_length", &self.content_length)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
