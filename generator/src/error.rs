//! Errors and warnings about the input document.
//!
//! Every message names the file and where in it (line:column for syntax,
//! a JSON pointer for structure) and, where we can tell, what to do.

use std::fmt;

/// Why a document could not be turned into output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The document's file name, as the user gave it.
    pub file: String,
    /// Where in the document: `12:3` or a JSON pointer such as `/paths/~1users/get`.
    pub location: Option<String>,
    pub message: String,
    /// What the user can do about it.
    pub help: Option<String>,
}

impl Error {
    pub(crate) fn new(file: &str, location: Option<String>, message: impl Into<String>) -> Self {
        Error { file: file.to_owned(), location, message: message.into(), help: None }
    }

    /// An error at a JSON pointer.
    pub(crate) fn at(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        let location = if pointer.is_empty() { "/" } else { pointer };
        Error::new(file, Some(format!("#{location}")), message)
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) if location.starts_with('#') => {
                write!(f, "{} at {}: {}", self.file, location, self.message)?
            }
            Some(location) => write!(f, "{}:{}: {}", self.file, location, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Something the generator handled in a documented fallback way, that the
/// user may want to improve in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The JSON pointer of the construct.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

/// Appends one key to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub(crate) fn pointer_join(pointer: &str, key: &str) -> String {
    // One allocation: lowering joins a pointer for every property it reads.
    let mut joined = String::with_capacity(pointer.len() + 1 + key.len());
    joined.push_str(pointer);
    joined.push('/');
    for (index, part) in key.split('~').enumerate() {
        if index > 0 {
            joined.push_str("~0");
        }
        for (index, piece) in part.split('/').enumerate() {
            if index > 0 {
                joined.push_str("~1");
            }
            joined.push_str(piece);
        }
    }
    joined
}

/// `%XX` sequences as the bytes they stand for; text that doesn't decode to
/// UTF-8 is kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes.get(index + 1..index + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[index], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::pointer_join;

    #[test]
    fn pointers_escape_tildes_then_slashes() {
        assert_eq!(pointer_join("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(pointer_join("", "a~/b~1"), "/a~0~1b~01");
        assert_eq!(pointer_join("/x", ""), "/x/");
        assert_eq!(pointer_join("/x", "plain"), "/x/plain");
    }
}
