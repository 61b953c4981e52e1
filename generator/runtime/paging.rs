// Copied unchanged from kanuu-codegen's generator/runtime/paging.rs into every crate it generates: edit that file, not a copy.
//! Reading a list to its end, a page at a time: the [`Pages`] and
//! [`Items`] streams of the operations that page, whose `pages()` and
//! `items()` are written by `impl_pages!`.
//!
//! A list ends at the first of:
//! - a page with no items;
//! - a page with fewer items than the page size asked for (the limit
//!   parameter the caller set, else its documented default);
//! - a page that names no next page (no `Link: <…>; rel="next"`, no next
//!   URL, no cursor);
//! - a next page already asked for (a cursor or URL that repeats), or a
//!   page the same as the one before it: a server that repeats itself
//!   must not keep the stream going forever;
//! - an error, which the stream yields, typed as the operation's.
//!
//! Each page is sent with the client's retry policy, like any request,
//! and keeps the caller's parameters: a next page is the request before it
//! with its page parameter changed, or the URL the server named, which
//! must be at the same origin as the page (it is sent the credentials).
// This file is the same in every crate that pages.
#![allow(dead_code, unused_macros)]

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::http::Answer;
use crate::{Client, Error, ResponseValue};

/// Writes a paged request builder's `pages()` and `items()`, for a builder
/// `$builder<'a>` with a `client: &'a Client` field and, in its own
/// `impl`, `into_request` and `read_answer` (as for `impl_send!`),
/// `paging()` (how its list pages) and `page_items` (a page's items):
///
/// ```ignore
/// impl_pages!(ListPets, page: crate::PetPage, item: crate::Pet, error: crate::ListPetsError);
/// ```
macro_rules! impl_pages {
    ($builder:ident, page: $page:ty, item: $item:ty, error: $error:ty) => {
        impl<'a> $builder<'a> {
            /// Every page of the list, from this request's, each with its
            /// status and headers, as a `futures::Stream`. Nothing is sent
            /// until it is polled; the [`paging`](crate::paging) module says
            /// when it ends.
            pub fn pages(self) -> $crate::paging::Pages<'a, $page, $error> {
                $crate::paging::Pages::new(
                    self.client,
                    self.into_request(),
                    Self::read_answer,
                    Self::paging(),
                )
            }

            /// Every item of every page, in order, as a `futures::Stream`:
            /// [`pages`](Self::pages) with each page's items taken out.
            pub fn items(self) -> $crate::paging::Items<'a, $item, $error> {
                self.pages().items(Self::page_items)
            }
        }
    };
}

/// How an operation's list pages: what names the next page, and the limit
/// parameter, for [`Pages`].
pub(crate) struct Paging<T> {
    /// How the next page is asked for.
    pub(crate) next: Next<T>,
    /// The query parameter that caps a page's length, and its documented
    /// default: a page shorter than it is the last.
    pub(crate) limit: Option<(&'static str, Option<u64>)>,
    /// How many items a page holds.
    pub(crate) count: fn(&T) -> usize,
}

/// How the next page is asked for.
pub(crate) enum Next<T> {
    /// `GET` the URL of the answer's `Link: <…>; rel="next"` header (RFC 8288).
    LinkHeader,
    /// `GET` the URL a page names.
    Url(fn(&T) -> Option<String>),
    /// The request again, with the query parameter `param` set to the
    /// cursor a page names; with `alone`, without the other query
    /// parameters but the limit (the cursor stands for them).
    Cursor {
        param: &'static str,
        cursor: fn(&T) -> Option<String>,
        alone: bool,
    },
    /// The request again, with the query parameter `param` (the caller's,
    /// else 0) advanced by the number of items read.
    Offset { param: &'static str },
    /// The request again, with the query parameter `param` (the caller's,
    /// else `first`) advanced by one.
    PageNumber { param: &'static str, first: i64 },
}

/// The pages of a list, in order: a `futures::Stream` of each page's value
/// with its status and headers. Made by a paged request builder's
/// `pages()`; it ends as the [module docs](self) say.
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<'a, T, E> {
    /// What asks for the next page, and its request (or why there is
    /// none); `None` once the list has ended.
    pager: Option<(Pager<'a, T, E>, Result<reqwest::Request, Error>)>,
    /// The page being read.
    reading: Option<Reading<'a, T, E>>,
}

/// Reading a page: [`Pager::step`]'s future.
type Reading<'a, T, E> = Pin<Box<dyn Future<Output = Step<'a, T, E>> + Send + 'a>>;

/// A page (or the error instead of it), and what asks for the one after
/// it with its request.
type Step<'a, T, E> = (
    Result<ResponseValue<T>, E>,
    Option<(Pager<'a, T, E>, Result<reqwest::Request, Error>)>,
);

struct Pager<'a, T, E> {
    client: &'a Client,
    read: fn(&Answer) -> Result<T, E>,
    paging: Paging<T>,
    /// The page size asked for, when known.
    limit: Option<u64>,
    /// The offset or page number of the next request.
    position: i64,
    /// The cursors and URLs asked for.
    asked: HashSet<String>,
    /// A hash of the last page's body.
    last_page: Option<u64>,
}

impl<'a, T: Send + 'a, E: From<Error> + Send + 'a> Pages<'a, T, E> {
    pub(crate) fn new(
        client: &'a Client,
        request: Result<reqwest::RequestBuilder, Error>,
        read: fn(&Answer) -> Result<T, E>,
        paging: Paging<T>,
    ) -> Self {
        let request = crate::connection::build(request);
        let given = |param: &str| {
            request
                .as_ref()
                .ok()
                .and_then(|request| query_value(request.url(), param))
        };
        let limit = paging
            .limit
            .and_then(|(param, default)| given(param).and_then(|v| v.parse().ok()).or(default));
        let position = match paging.next {
            Next::Offset { param } => given(param).and_then(|v| v.parse().ok()).unwrap_or(0),
            Next::PageNumber { param, first } => {
                given(param).and_then(|v| v.parse().ok()).unwrap_or(first)
            }
            _ => 0,
        };
        let pager = Pager {
            client,
            read,
            paging,
            limit,
            position,
            asked: HashSet::new(),
            last_page: None,
        };
        Pages {
            pager: Some((pager, request)),
            reading: None,
        }
    }

    /// Every item of every page, in order: `page_items` takes a page's
    /// items out of it.
    pub(crate) fn items<I: 'a>(self, page_items: fn(T) -> Vec<I>) -> Items<'a, I, E> {
        let pages = PageItems {
            pages: self,
            page_items,
        };
        Items {
            pages: Box::pin(pages),
            items: Vec::new().into_iter(),
        }
    }
}

impl<'a, T: Send + 'a, E: From<Error> + Send + 'a> Pager<'a, T, E> {
    /// Reads the page `request` asks for, and decides what comes after it.
    async fn step(mut self, request: Result<reqwest::Request, Error>) -> Step<'a, T, E> {
        let request = match request {
            Ok(request) => request,
            Err(error) => return (Err(error.into()), None),
        };
        // A copy, to ask for the next page with; a body that can't be
        // copied (none of the client's) ends the list after this page.
        let sent = request.try_clone();
        let answer = match crate::connection::answer(self.client, request).await {
            Ok(answer) => answer,
            Err(error) => return (Err(error.into()), None),
        };
        let mut hasher = DefaultHasher::new();
        answer.body().hash(&mut hasher);
        let body = hasher.finish();
        let page = match answer.read(self.read) {
            Ok(page) => page,
            Err(error) => return (Err(error), None),
        };
        let repeated = self.last_page.replace(body) == Some(body);
        let next = match sent {
            Some(sent) if !repeated => self.next_request(sent, &page),
            _ => None,
        };
        (Ok(page), next.map(|request| (self, request)))
    }

    /// The request for the page after `page` (which `sent` asked for), or
    /// `None` when `page` is the last.
    fn next_request(
        &mut self,
        mut sent: reqwest::Request,
        page: &ResponseValue<T>,
    ) -> Option<Result<reqwest::Request, Error>> {
        let count = (self.paging.count)(&page.value);
        if count == 0 || self.limit.is_some_and(|limit| (count as u64) < limit) {
            return None;
        }
        let named = match &self.paging.next {
            Next::LinkHeader => next_link(&page.headers),
            Next::Url(url) => url(&page.value),
            Next::Cursor {
                param,
                cursor,
                alone,
            } => {
                let cursor = cursor(&page.value).filter(|cursor| !cursor.is_empty())?;
                if !self.asked.insert(cursor.clone()) {
                    return None;
                }
                if *alone {
                    let limit = self.paging.limit.map(|(limit, _)| limit);
                    let kept: Vec<(String, String)> = sent
                        .url()
                        .query_pairs()
                        .filter(|(name, _)| Some(name.as_ref()) == limit)
                        .map(|(name, value)| (name.into_owned(), value.into_owned()))
                        .collect();
                    sent.url_mut().query_pairs_mut().clear().extend_pairs(kept);
                }
                set_query(sent.url_mut(), param, &cursor);
                return Some(Ok(sent));
            }
            Next::Offset { param } => {
                self.position += count as i64;
                set_query(sent.url_mut(), param, &self.position.to_string());
                return Some(Ok(sent));
            }
            Next::PageNumber { param, .. } => {
                self.position += 1;
                set_query(sent.url_mut(), param, &self.position.to_string());
                return Some(Ok(sent));
            }
        };
        // A URL the server named: fetched with `GET`, at the page's origin.
        let named = named.filter(|url| !url.is_empty())?;
        let url = match sent.url().join(&named) {
            Ok(url) => url,
            Err(_) => {
                return Some(Err(Error::NextPage {
                    url: named,
                    reason: "it is not a URL",
                }))
            }
        };
        if url.origin() != sent.url().origin() {
            return Some(Err(Error::NextPage {
                url: named,
                reason: "it is at another origin than the page, and would be sent the credentials",
            }));
        }
        if !self.asked.insert(url.to_string()) {
            return None;
        }
        *sent.url_mut() = url;
        *sent.method_mut() = reqwest::Method::GET;
        *sent.body_mut() = None;
        sent.headers_mut().remove(reqwest::header::CONTENT_TYPE);
        Some(Ok(sent))
    }
}

impl<'a, T: Send + 'a, E: From<Error> + Send + 'a> futures_core::Stream for Pages<'a, T, E> {
    type Item = Result<ResponseValue<T>, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.reading.is_none() {
            let Some((pager, request)) = this.pager.take() else {
                return Poll::Ready(None);
            };
            this.reading = Some(Box::pin(pager.step(request)));
        }
        let Some(reading) = this.reading.as_mut() else {
            return Poll::Ready(None);
        };
        match reading.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((page, next)) => {
                this.reading = None;
                this.pager = next;
                Poll::Ready(Some(page))
            }
        }
    }
}

impl<T, E> fmt::Debug for Pages<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("ended", &(self.pager.is_none() && self.reading.is_none()))
            .finish_non_exhaustive()
    }
}

/// [`Pages`] with each page's items taken out.
struct PageItems<'a, T, I, E> {
    pages: Pages<'a, T, E>,
    page_items: fn(T) -> Vec<I>,
}

impl<'a, T: Send + 'a, I, E: From<Error> + Send + 'a> futures_core::Stream
    for PageItems<'a, T, I, E>
{
    type Item = Result<Vec<I>, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let page_items = self.page_items;
        Pin::new(&mut self.pages)
            .poll_next(cx)
            .map(|page| page.map(|page| page.map(|page| page_items(page.value))))
    }
}

/// The items of a list, in order, from every page: a `futures::Stream`.
/// Made by a paged request builder's `items()`; it ends when its
/// [`Pages`] do, with the error that ended them, if any.
#[must_use = "a stream does nothing until it is polled"]
pub struct Items<'a, I, E> {
    pages: Pin<Box<dyn futures_core::Stream<Item = Result<Vec<I>, E>> + Send + 'a>>,
    /// The rest of the last page's items.
    items: std::vec::IntoIter<I>,
}

// The items are never pinned: only the stream of pages is.
impl<I, E> Unpin for Items<'_, I, E> {}

impl<I, E> futures_core::Stream for Items<'_, I, E> {
    type Item = Result<I, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(items))) => self.items = items.into_iter(),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<I, E> fmt::Debug for Items<'_, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.items.len())
            .finish_non_exhaustive()
    }
}

/// The value of the query parameter `param` in `url`, if it has one.
fn query_value(url: &reqwest::Url, param: &str) -> Option<String> {
    url.query_pairs()
        .find(|(name, _)| name == param)
        .map(|(_, value)| value.into_owned())
}

/// `url` with the query parameter `param` set to `value`, in place of any
/// it had; the other parameters are kept in their order.
fn set_query(url: &mut reqwest::Url, param: &str, value: &str) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != param)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(param, value);
}

/// The target of the `rel="next"` link in an answer's `Link` headers
/// (RFC 8288): `<https://api.example.com/items?page=2>; rel="next"`.
pub(crate) fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| {
            links(value)
                .find(|(_, rels)| is_next(rels))
                .map(|(target, _)| target)
        })
}

/// Whether a link's relation types (`rel`, space-separated, any case) include `next`.
fn is_next(rels: &str) -> bool {
    rels.split_ascii_whitespace()
        .any(|rel| rel.eq_ignore_ascii_case("next"))
}

/// The links of one `Link` header value: each target with its `rel`.
fn links(value: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let mut rest = value;
    std::iter::from_fn(move || loop {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let target = rest[start + 1..end].trim().to_owned();
        rest = &rest[end + 1..];
        // The parameters run to the next link's `,`, outside quotes.
        let mut quoted = false;
        let length = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .map_or(rest.len(), |(at, _)| at);
        let params = &rest[..length];
        rest = &rest[length..];
        let rel = params.split(';').find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("rel")
                .then(|| value.trim().trim_matches('"').to_owned())
        });
        if let Some(rel) = rel {
            return Some((target, rel));
        }
    })
}
