// Copied unchanged from kanuu-codegen's generator/runtime/stream/events.rs into every crate whose answers are server-sent events: edit that file, not a copy.
//! Server-sent events (`text/event-stream`), parsed by `eventsource-stream`.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;

use super::{Chunks, Decode};
use crate::Error;

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
