//! How a wanted name that is already taken becomes a free one: the one rule
//! the front end (operation and type names), the Rust emitter (every
//! identifier) and the docs (page paths) share.

use std::collections::HashSet;

/// Names already used in one namespace; `claim` hands out free ones.
#[derive(Debug)]
pub struct Scope {
    taken: HashSet<String>,
    /// Two names collide when their keys are equal, e.g. `getUser` and
    /// `get_user` once both become `get_user` in Rust.
    key: fn(&str) -> String,
    /// Between a name and its number: `Name2`, or `page-2` in a URL.
    separator: &'static str,
}

impl Default for Scope {
    fn default() -> Self {
        Scope { taken: HashSet::new(), key: str::to_owned, separator: "" }
    }
}

impl Scope {
    /// A scope in which `names` are already taken (by the code around it).
    pub fn with_reserved(names: &[&str]) -> Self {
        let mut scope = Scope::default();
        scope.reserve(names);
        scope
    }

    /// Names collide when `key` maps them to the same text.
    pub fn keyed_by(mut self, key: fn(&str) -> String) -> Self {
        self.key = key;
        self
    }

    /// Numbers are joined with `separator`: `name-2` rather than `name2`.
    pub fn separated_by(mut self, separator: &'static str) -> Self {
        self.separator = separator;
        self
    }

    /// Marks names as taken without handing them out.
    pub fn reserve(&mut self, names: &[&str]) {
        for name in names {
            self.taken.insert((self.key)(name));
        }
    }

    /// `name` if it is free, else `name2`, `name3`…
    pub fn claim(&mut self, name: &str) -> String {
        let mut candidate = name.to_owned();
        let mut n = 2;
        while self.taken.contains(&(self.key)(&candidate)) {
            candidate = format!("{name}{}{n}", self.separator);
            n += 1;
        }
        self.taken.insert((self.key)(&candidate));
        candidate
    }

    /// Like `claim`, but tries `name` + `suffix` before numbering.
    pub fn claim_or_suffix(&mut self, name: &str, suffix: &str) -> String {
        if self.taken.contains(&(self.key)(name)) { self.claim(&format!("{name}{suffix}")) } else { self.claim(name) }
    }
}

/// The longest name, in bytes, that a file is named after (a page's stem, a
/// module): file systems allow 255 bytes a name, and the rest leaves room
/// for a number from [`Scope::claim`] and an extension.
pub const MAX_FILE_STEM: usize = 100;

/// `name` if it fits in [`MAX_FILE_STEM`] bytes; else its start and a hash of
/// the whole name, joined by `separator`. The hash (FNV-1a, 32 bits) depends
/// on the name alone, so a long name keeps its file from run to run whatever
/// else the document holds, and two long names with the same start differ.
pub fn capped(name: &str, separator: &str) -> String {
    if name.len() <= MAX_FILE_STEM {
        return name.to_owned();
    }
    let hash = name.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193));
    let mut end = MAX_FILE_STEM - separator.len() - 8;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let start = name[..end].trim_end_matches(|c: char| separator.contains(c));
    format!("{start}{separator}{hash:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_capped_with_a_hash_of_the_whole() {
        let long = "a-".repeat(150);
        let capped_long = capped(&long, "-");
        assert!(capped_long.len() <= MAX_FILE_STEM, "{capped_long}");
        assert!(capped_long.starts_with("a-a-a-"));
        assert_eq!(capped_long, capped(&long, "-"), "stable");
        assert_ne!(capped_long, capped(&format!("{long}b"), "-"), "unique");
        assert_eq!(capped("short", "-"), "short");
        let unicode = "é".repeat(80);
        assert!(capped(&unicode, "_").len() <= MAX_FILE_STEM);
    }

    #[test]
    fn taken_names_are_numbered_from_two() {
        let mut scope = Scope::with_reserved(&["a", "a2"]);
        assert_eq!(scope.claim("a"), "a3");
        assert_eq!(scope.claim("a"), "a4");
        assert_eq!(scope.claim("b"), "b");
    }

    #[test]
    fn a_suffix_is_tried_before_a_number() {
        let mut scope = Scope::with_reserved(&["Error"]);
        assert_eq!(scope.claim_or_suffix("Error", "Schema"), "ErrorSchema");
        assert_eq!(scope.claim_or_suffix("Error", "Schema"), "ErrorSchema2");
        assert_eq!(scope.claim_or_suffix("Other", "Schema"), "Other");
    }

    #[test]
    fn keys_decide_what_collides() {
        let mut scope = Scope::default().keyed_by(|name| name.to_lowercase());
        assert_eq!(scope.claim("getUser"), "getUser");
        assert_eq!(scope.claim("getuser"), "getuser2");
    }

    #[test]
    fn the_separator_goes_between_name_and_number() {
        let mut scope = Scope::with_reserved(&["create-nonce"]).separated_by("-");
        assert_eq!(scope.claim("create-nonce"), "create-nonce-2");
    }
}
