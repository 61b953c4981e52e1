// Copied unchanged from kanuu-codegen's generator/runtime/stream/file_part.rs into every crate that uploads files in multipart bodies: edit that file, not a copy.
//! The files of `multipart/form-data` bodies, sent as they are read (only
//! in crates with such a body: it needs reqwest's `multipart` feature).

use super::Upload;
use crate::Error;

impl Upload {
    /// Makes it a file part of a `multipart/form-data` body; a stream only
    /// once.
    pub(crate) fn part(self, operation: &'static str) -> Result<reqwest::multipart::Part, Error> {
        let (body, length) = self.into_body(operation)?;
        Ok(match length {
            Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
            None => reqwest::multipart::Part::stream(body),
        })
    }
}
