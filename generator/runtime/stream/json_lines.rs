// Copied unchanged from kanuu-codegen's generator/runtime/stream/json_lines.rs into every crate whose answers are JSON lines or JSON text sequences: edit that file, not a copy.
//! JSON lines and JSON text sequences, an item at a time.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{Chunks, Decode};
use crate::Error;

/// The items of a JSON lines or JSON text sequence answer, decoded, as a
/// `futures::Stream`: one JSON text a line (blank lines skipped), or each
/// after a record separator (U+001E). An item that doesn't decode is an
/// [`Error::Decode`], and the stream goes on; one longer than the client's
/// `max_response_bytes` is an [`Error::ResponseTooLarge`], and the stream
/// ends, as it does at a broken connection.
#[must_use = "a stream does nothing until it is polled"]
pub struct JsonLines<T> {
    chunks: Chunks,
    decode: Decode<T>,
    /// The byte that ends an item: `\n`, or the record separator.
    separator: u8,
    /// What came after the last separator.
    pending: Vec<u8>,
    /// Where in `pending` to look for the next separator.
    searched: usize,
    max_item: u64,
    status: u16,
    done: bool,
}

/// How a [`JsonLines`] stream's items are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    /// A line feed: JSON lines.
    Line,
    /// A record separator (U+001E) before each item: JSON text sequences.
    Record,
}

impl<T> JsonLines<T> {
    pub(crate) fn new(
        response: reqwest::Response,
        decode: Decode<T>,
        separator: Separator,
        max_item: u64,
    ) -> Self {
        JsonLines {
            status: response.status().as_u16(),
            chunks: Box::pin(response.bytes_stream()),
            decode,
            separator: match separator {
                Separator::Line => b'\n',
                Separator::Record => 0x1e,
            },
            pending: Vec::new(),
            searched: 0,
            max_item,
            done: false,
        }
    }

    /// The next complete item's text in `pending`, taken out, if there is
    /// one (at the end of the body, whatever is left).
    fn take_item(&mut self, at_end: bool) -> Option<Vec<u8>> {
        loop {
            let end = match self.pending[self.searched..]
                .iter()
                .position(|&byte| byte == self.separator)
            {
                Some(offset) => self.searched + offset,
                None if at_end && !self.pending.is_empty() => self.pending.len(),
                None => {
                    self.searched = self.pending.len();
                    return None;
                }
            };
            let mut item: Vec<u8> = self.pending.drain(..end).collect();
            if !self.pending.is_empty() {
                self.pending.remove(0);
            }
            self.searched = 0;
            // Blank lines and the whitespace around an item are not items.
            let start = item
                .iter()
                .position(|byte| !byte.is_ascii_whitespace())
                .unwrap_or(item.len());
            let stop = item
                .iter()
                .rposition(|byte| !byte.is_ascii_whitespace())
                .map_or(start, |last| last + 1);
            if start < stop {
                item.truncate(stop);
                item.drain(..start);
                return Some(item);
            }
        }
    }

    /// An item is longer than the limit: the stream ends.
    fn too_large(&mut self) -> Error {
        self.done = true;
        self.pending.clear();
        Error::ResponseTooLarge {
            status: self.status,
            limit: self.max_item,
            attempts: 1,
        }
    }

    fn decoded(&self, item: Vec<u8>) -> Result<T, Error> {
        let text = String::from_utf8_lossy(&item);
        (self.decode)(&text).map_err(|source| Error::Decode {
            status: self.status,
            body: text.into_owned(),
            source,
        })
    }
}

impl<T> Unpin for JsonLines<T> {}

impl<T> Stream for JsonLines<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            let done = self.done;
            if let Some(item) = self.take_item(done) {
                if item.len() as u64 > self.max_item {
                    return Poll::Ready(Some(Err(self.too_large())));
                }
                return Poll::Ready(Some(self.decoded(item)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            match self.chunks.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => self.done = true,
                Poll::Ready(Some(Ok(chunk))) => {
                    self.pending.extend_from_slice(&chunk);
                    if self.pending.len() as u64 > self.max_item
                        && !self.pending.contains(&self.separator)
                    {
                        return Poll::Ready(Some(Err(self.too_large())));
                    }
                }
                Poll::Ready(Some(Err(source))) => {
                    self.done = true;
                    self.pending.clear();
                    return Poll::Ready(Some(Err(Error::Transport {
                        source,
                        attempts: 1,
                    })));
                }
            }
        }
    }
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines")
            .field("status", &self.status)
            .field("pending_bytes", &self.pending.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
