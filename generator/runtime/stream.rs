// Copied unchanged from kanuu-codegen's generator/runtime/stream.rs into every crate it generates: edit that file, not a copy.
//! Answers read as they arrive: [`Events`] for server-sent events
//! (`text/event-stream`) and [`JsonLines`] for JSON lines
//! (`application/jsonl`, `application/x-ndjson`) and JSON text sequences
//! (`application/json-seq`), each a `futures::Stream` of decoded items.
//! Nothing but the item being read is held in memory.
//!
//! An operation that answers with one returns it from `.await` once the
//! answer's status and headers have come; an error status is read whole
//! and returned as the operation's error, as for any operation. The
//! request is sent with the client's retry policy until a stream starts;
//! a stream that breaks off is not resumed. A stream's request has no
//! total timeout (it lasts as long as the server sends); the connection's
//! own timeouts still apply.
// This file is the same in every crate that streams.
#![allow(dead_code)]

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;

use crate::Error;

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

/// One server-sent event: its `data`, decoded, and the fields that came
/// with it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's type (its `event:` field), `message` when it had none.
    pub event: String,
    /// The last event id the server sent (an `id:` field), empty if none.
    pub id: String,
    /// How long the server asks a client to wait before it reconnects.
    pub retry: Option<Duration>,
    /// The event's `data`, decoded as the operation documents it.
    pub data: T,
}

/// The server-sent events of an answer, decoded, as a `futures::Stream`.
///
/// Comments and keep-alives are skipped. It ends when the answer does, or
/// at the document's end-of-stream sentinel (`data: [DONE]`), which is not
/// yielded. An event whose `data` doesn't decode is an
/// [`Error::Decode`], and the stream goes on; a broken connection is an
/// [`Error::Transport`], and the stream ends.
#[must_use = "a stream does nothing until it is polled"]
pub struct Events<T> {
    events: eventsource_stream::EventStream<Chunks>,
    decode: Decode<T>,
    sentinel: Option<&'static str>,
    status: u16,
    done: bool,
    last_event_id: String,
    retry: Option<Duration>,
}

impl<T> Events<T> {
    pub(crate) fn new(
        response: reqwest::Response,
        decode: Decode<T>,
        sentinel: Option<&'static str>,
    ) -> Self {
        use eventsource_stream::Eventsource;
        let status = response.status().as_u16();
        let chunks: Chunks = Box::pin(response.bytes_stream());
        Events {
            events: chunks.eventsource(),
            decode,
            sentinel,
            status,
            done: false,
            last_event_id: String::new(),
            retry: None,
        }
    }

    /// The id of the last event read (its `id:` field, or the last one
    /// before it), empty if none came: to resume the stream where it
    /// broke off, the operation's `.last_event_id(…)` sends it back.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// How long the server last asked a client to wait before it
    /// reconnects (a `retry:` field), if it did.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }
}

// Polling only moves the boxed chunks and plain fields.
impl<T> Unpin for Events<T> {}

impl<T> Stream for Events<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let event = match Pin::new(&mut self.events).poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => {
                self.done = true;
                return Poll::Ready(None);
            }
            Poll::Ready(Some(Ok(event))) => event,
            Poll::Ready(Some(Err(error))) => {
                self.done = true;
                return Poll::Ready(Some(Err(match error {
                    eventsource_stream::EventStreamError::Transport(source) => Error::Transport {
                        source,
                        attempts: 1,
                    },
                    // Not UTF-8, or not the event stream format.
                    other => Error::Decode {
                        status: self.status,
                        body: String::new(),
                        source: serde::de::Error::custom(other),
                    },
                })));
            }
        };
        self.last_event_id.clone_from(&event.id);
        if event.retry.is_some() {
            self.retry = event.retry;
        }
        if Some(event.data.as_str()) == self.sentinel {
            self.done = true;
            return Poll::Ready(None);
        }
        let item = match (self.decode)(&event.data) {
            Ok(data) => Ok(Event {
                event: event.event,
                id: event.id,
                retry: event.retry,
                data,
            }),
            Err(source) => Err(Error::Decode {
                status: self.status,
                body: event.data,
                source,
            }),
        };
        Poll::Ready(Some(item))
    }
}

impl<T> fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events")
            .field("status", &self.status)
            .field("sentinel", &self.sentinel)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

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
