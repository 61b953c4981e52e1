//! What a regeneration means for the crate's users: the changes between
//! the previous public API and the new one, each major, minor or patch by
//! Rust's SemVer rules (the Cargo book's "SemVer compatibility") applied to
//! the shapes the generator emits; the next crate version; and the
//! CHANGELOG.md entry.
//!
//! The crate version describes the Rust API, not the HTTP API: the
//! document's `info.version` only picks the first version (when it is a
//! plain `x.y.z`) and is named in each changelog entry.

use std::collections::BTreeSet;
use std::fmt;

pub mod public_api;

use crate::OutputFile;
use public_api::Line;

/// How much a change breaks, in SemVer's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing users compile against changed (documentation, behaviour).
    Patch,
    /// Something was added; existing code still compiles.
    Minor,
    /// Existing code may no longer compile.
    Major,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        })
    }
}

/// One change to the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub level: Level,
    /// The Keep a Changelog section: `Added`, `Changed`, `Deprecated`, `Removed`.
    pub section: &'static str,
    /// What changed, for people: "`Nonce::url` is now `Option<String>` (was `String`)".
    pub text: String,
    /// The JSON pointer of what in the document caused it, without `#`.
    pub pointer: Option<String>,
}

/// A regeneration's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub crate_name: String,
    /// The version in the output folder this run replaces, if any.
    pub previous: Option<String>,
    pub version: String,
    /// The largest change; `None` when the crate did not change.
    pub level: Option<Level>,
    pub changes: Vec<Change>,
}

impl Release {
    /// A summary a reviewer can read in one screen.
    pub fn summary(&self, limit: usize) -> String {
        let Some(level) = self.level else {
            let what = if self.previous.is_some() { "the crate is unchanged" } else { "a new crate" };
            return format!("{} {}: {what}", self.crate_name, self.version);
        };
        let from = self.previous.as_deref().unwrap_or("(new)");
        let mut out = format!("{} {from} → {} ({level})", self.crate_name, self.version);
        let mut changes: Vec<&Change> = self.changes.iter().collect();
        changes.sort_by_key(|change| std::cmp::Reverse(change.level));
        for change in changes.iter().take(limit) {
            out.push_str(&format!("\n  {}: {}", change.level, change.text));
            if let Some(pointer) = &change.pointer {
                out.push_str(&format!(" (#{pointer})"));
            }
        }
        if changes.len() > limit {
            out.push_str(&format!("\n  … and {} more in rust/CHANGELOG.md", changes.len() - limit));
        }
        out
    }
}

/// Compares two public-API snapshots.
pub fn changes(old: &str, new: &str) -> Vec<Change> {
    let old = public_api::by_key(public_api::parse(old));
    let new = public_api::by_key(public_api::parse(new));
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    // A type added or removed whole is one change, not one per member.
    let whole = |kind_of: &dyn Fn(&String) -> bool| -> Vec<String> {
        keys.iter()
            .filter(|key| kind_of(key) && (key.starts_with("struct ") || key.starts_with("enum ")))
            .filter_map(|key| key.split_once(' ').map(|(_, path)| path.to_owned()))
            .collect()
    };
    let added_types = whole(&|key| !old.contains_key(key));
    let removed_types = whole(&|key| !new.contains_key(key));
    let member_of = |line: &Line, types: &[String]| {
        let owner = if line.kind == "impl" { line.path.rsplit(" for ").next().unwrap_or("") } else { &line.path };
        let owner = owner.split('<').next().unwrap_or(owner);
        types
            .iter()
            .any(|t| owner.strip_prefix(t.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with("::")))
            && !matches!(line.kind.as_str(), "struct" | "enum")
    };
    let mut changes = Vec::new();
    for key in keys {
        match (old.get(key), new.get(key)) {
            (Some(before), None) if member_of(before, &removed_types) => {}
            (None, Some(after)) if member_of(after, &added_types) => {}
            (Some(before), None) => changes.push(removed(before)),
            (None, Some(after)) => changes.push(added(after, &new)),
            (Some(before), Some(after)) if before.signature() != after.signature() => {
                changes.push(changed(before, after));
            }
            _ => {}
        }
    }
    changes
}

/// A readable name: the path without the crate, in backticks.
fn name(line: &Line) -> String {
    let path = line.path.split_once("::").map_or(line.path.as_str(), |(_, rest)| rest);
    match line.kind.as_str() {
        "impl" => format!("`impl {}`", line.path.replace(&format!("{}::", crate_of(line)), "")),
        _ => format!("`{path}`"),
    }
}

fn crate_of(line: &Line) -> &str {
    let path = if line.kind == "impl" { line.path.rsplit(" for ").next().unwrap_or("") } else { &line.path };
    path.split("::").next().unwrap_or("")
}

fn what(line: &Line) -> &'static str {
    match line.kind.as_str() {
        "fn" if line.rest.contains("self") => "method",
        "fn" => "function",
        "impl" => "trait implementation",
        "field" => "field",
        "variant" => "variant",
        "struct" => "struct",
        "enum" => "enum",
        "type" => "type alias",
        "const" => "constant",
        "feature" => "feature",
        _ => "item",
    }
}

fn removed(line: &Line) -> Change {
    if line.kind == "deprecated" {
        return Change {
            level: Level::Minor,
            section: "Changed",
            text: format!("{} is no longer deprecated", name(line)),
            pointer: line.pointer.clone(),
        };
    }
    Change {
        level: Level::Major,
        section: "Removed",
        text: format!("{} {} removed", what(line), name(line)),
        pointer: line.pointer.clone(),
    }
}

fn added(line: &Line, new: &std::collections::BTreeMap<String, Line>) -> Change {
    if line.kind == "deprecated" {
        return Change {
            level: Level::Minor,
            section: "Deprecated",
            text: format!("{} is deprecated", name(line)),
            pointer: line.pointer.clone(),
        };
    }
    // A field or variant of a struct or enum that isn't `#[non_exhaustive]`
    // breaks code that builds or matches it exhaustively.
    let owner_closed = matches!(line.kind.as_str(), "field" | "variant")
        && line.path.rsplit_once("::").is_some_and(|(owner, _)| {
            ["struct", "enum"].iter().any(|kind| {
                new.get(&format!("{kind} {owner}")).is_some_and(|owner| !owner.rest.contains("#[non_exhaustive]"))
            })
        });
    let level = if owner_closed { Level::Major } else { Level::Minor };
    let why = if owner_closed { " (its type is not `#[non_exhaustive]`)" } else { "" };
    Change {
        level,
        section: "Added",
        text: format!("{} {} added{why}", what(line), name(line)),
        pointer: line.pointer.clone(),
    }
}

fn changed(before: &Line, after: &Line) -> Change {
    let (old, new) = (before.rest.trim_start_matches(": "), after.rest.trim_start_matches(": "));
    // A field that became `Option<T>`: the document no longer requires it.
    let optional = before.kind == "field" && new == format!("Option<{old}>");
    let pointer = match (&after.pointer, optional) {
        (Some(pointer), true) => pointer.rsplit_once("/properties/").map(|(schema, _)| format!("{schema}/required")),
        (pointer, _) => pointer.clone(),
    };
    let text = match before.kind.as_str() {
        "field" | "const" | "type" => format!("{} is now `{new}` (was `{old}`)", name(after)),
        "fn" => format!("{} is now `{}` (was `{}`)", name(after), signature_text(after), signature_text(before)),
        _ => format!("{} changed: `{}` (was `{}`)", name(after), after.rest.trim(), before.rest.trim()),
    };
    Change { level: Level::Major, section: "Changed", text, pointer }
}

fn signature_text(line: &Line) -> String {
    format!("fn {}{}", line.path.rsplit("::").next().unwrap_or(""), line.rest)
}

/// The version after `previous` for a change of `level`. Before 1.0.0 the
/// left-most non-zero number is the major one (Cargo's rule): 0.3.1 → 0.4.0
/// for a breaking change, 0.3.2 for anything else.
pub fn bump(previous: &str, level: Level) -> String {
    let parts: Vec<u64> = previous.split(['.', '-', '+']).take(3).map(|p| p.parse().unwrap_or(0)).collect();
    let (major, minor, patch) =
        (parts.first().copied().unwrap_or(0), parts.get(1).copied().unwrap_or(0), parts.get(2).copied().unwrap_or(0));
    match (level, major) {
        (Level::Major, 0) => format!("0.{}.0", minor + 1),
        (Level::Major, _) => format!("{}.0.0", major + 1),
        (Level::Minor, 0) | (Level::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        (Level::Minor, _) => format!("{major}.{}.0", minor + 1),
    }
}

/// The files that differ when the public API doesn't, one patch-level
/// change each, saying what kind of change it is: documentation only, the
/// runtime every crate shares, code, or the manifest.
fn file_changes(old: &[OutputFile], new: &[OutputFile]) -> Vec<Change> {
    fn text_of<'a>(files: &'a [OutputFile], path: &str) -> Option<&'a str> {
        files.iter().find(|f| f.path == path).map(|f| f.contents.as_str())
    }
    let paths: BTreeSet<&str> = old.iter().chain(new).map(|f| f.path.as_str()).collect();
    let mut changes = Vec::new();
    for path in paths {
        let (before, after) = (text_of(old, path), text_of(new, path));
        let text = match (path, before, after) {
            (_, before, after) if before == after => continue,
            ("CHANGELOG.md" | "public-api.txt", _, _) => continue,
            // The manifest carries the version, which is expected to differ.
            ("Cargo.toml", Some(before), Some(after)) if without_version(before) == without_version(after) => continue,
            ("Cargo.toml", _, _) => "dependencies or features in `Cargo.toml`".to_owned(),
            ("README.md", _, _) => "the crate's README".to_owned(),
            (_, None, Some(_)) => format!("`{path}` added, with items that moved there"),
            (_, Some(_), None) => format!("`{path}` removed, its items moved"),
            (_, Some(before), Some(after)) if without_docs(before) == without_docs(after) => {
                format!("documentation in `{path}`")
            }
            (_, Some(_), Some(_)) if crate::rust::runtime::is_runtime_file(path) => {
                format!("the client runtime in `{path}` (the same in every crate kanuu-codegen generates)")
            }
            _ => format!("code in `{path}`"),
        };
        let text = format!("{text}; the Rust API is the same");
        changes.push(Change { level: Level::Patch, section: "Changed", text, pointer: None });
    }
    changes
}

/// Rust text without its doc comments (`///`, `//!`): what compiles.
fn without_docs(text: &str) -> String {
    let code = text.lines().filter(|line| !matches!(line.trim_start().get(..3), Some("///" | "//!")));
    code.collect::<Vec<_>>().join("\n")
}

/// The `version` of a `Cargo.toml`'s `[package]`, as the generator writes it.
pub fn package_version(manifest: &str) -> Option<&str> {
    let package = manifest.split_once("[package]\n")?.1;
    package
        .lines()
        .take_while(|line| !line.starts_with('['))
        .find_map(|line| line.strip_prefix("version = \"")?.strip_suffix('"'))
}

/// A `Cargo.toml` without its `[package]` version line.
fn without_version(manifest: &str) -> String {
    let version = package_version(manifest).map(|version| format!("version = \"{version}\"\n"));
    match version {
        Some(line) => manifest.replacen(&line, "", 1),
        None => manifest.to_owned(),
    }
}

/// What the run knows about the crate it replaces.
pub struct Previous<'a> {
    pub version: &'a str,
    pub files: &'a [OutputFile],
}

/// The verdict for `files` (the new crate, paths relative to its folder)
/// against `previous`.
pub fn release(crate_name: &str, first_version: &str, files: &[OutputFile], previous: Option<Previous>) -> Release {
    let Some(previous) = previous else {
        return Release {
            crate_name: crate_name.to_owned(),
            previous: None,
            version: first_version.to_owned(),
            level: None,
            changes: Vec::new(),
        };
    };
    let text_of = |files: &[OutputFile], path: &str| files.iter().find(|f| f.path == path).map(|f| f.contents.clone());
    let mut changes = match (text_of(previous.files, "public-api.txt"), text_of(files, "public-api.txt")) {
        (Some(old), Some(new)) => self::changes(&old, &new),
        // An output from before snapshots: the API can't be compared.
        _ => Vec::new(),
    };
    if changes.is_empty() {
        changes = file_changes(previous.files, files);
    }
    let level = changes.iter().map(|c| c.level).max();
    Release {
        crate_name: crate_name.to_owned(),
        previous: Some(previous.version.to_owned()),
        version: level.map_or_else(|| previous.version.to_owned(), |level| bump(previous.version, level)),
        level,
        changes,
    }
}

const CHANGELOG_HEAD: &str = "# Changelog\n\n\
All notable changes to this crate, newest first, in the format of\n\
[Keep a Changelog](https://keepachangelog.com/en/1.1.0/). The crate follows\n\
[Semantic Versioning](https://semver.org/spec/v2.0.0.html): its version says\n\
what changed in its Rust API, which is not the API's own version (each entry\n\
names that). Written by kanuu-codegen on each regeneration, from the changes\n\
to `public-api.txt`; `#/…` is the place in the document that caused a change.\n";

/// `CHANGELOG.md`: the previous one with an entry for this release on top.
pub fn changelog(release: &Release, api_version: &str, previous: Option<&str>) -> String {
    let previous = previous.filter(|text| text.starts_with("# Changelog"));
    let Some(level) = release.level else {
        if let Some(previous) = previous {
            return previous.to_owned();
        }
        let first = if release.previous.is_some() {
            "First version with a changelog: later versions list their changes here."
        } else {
            "First generated version."
        };
        return format!("{CHANGELOG_HEAD}\n## [{}] - API {api_version}\n\n{first}\n", release.version);
    };
    let mut entry = format!("## [{}] - API {api_version}\n\nA {level} release", release.version);
    if let Some(from) = &release.previous {
        entry.push_str(&format!(" after {from}"));
    }
    entry.push_str(".\n");
    for section in ["Added", "Changed", "Deprecated", "Removed"] {
        let mut lines: Vec<String> = release
            .changes
            .iter()
            .filter(|c| c.section == section)
            .map(|c| {
                let breaking = if c.level == Level::Major { "**Breaking:** " } else { "" };
                let pointer = c.pointer.as_deref().map(|p| format!(" (`#{p}`)")).unwrap_or_default();
                format!("- {breaking}{}{pointer}\n", c.text)
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        lines.dedup();
        entry.push_str(&format!("\n### {section}\n\n{}", lines.concat()));
    }
    match previous {
        Some(previous) => match previous.find("\n## [") {
            Some(at) => format!("{}\n{entry}{}", &previous[..at], &previous[at..]),
            None => format!("{}\n{entry}", previous.trim_end()),
        },
        None => format!("{CHANGELOG_HEAD}\n{entry}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_s_semver_rules() {
        assert_eq!(bump("1.2.3", Level::Major), "2.0.0");
        assert_eq!(bump("1.2.3", Level::Minor), "1.3.0");
        assert_eq!(bump("1.2.3", Level::Patch), "1.2.4");
        assert_eq!(bump("0.3.1", Level::Major), "0.4.0");
        assert_eq!(bump("0.3.1", Level::Minor), "0.3.2");
        assert_eq!(bump("0.3.1", Level::Patch), "0.3.2");
    }

    const OLD: &str = "\
struct kanuu::Nonce #[non_exhaustive]  # /components/schemas/Nonce
field kanuu::Nonce::url: String  # /components/schemas/Nonce/properties/url
enum kanuu::Open
variant kanuu::Open::A
fn kanuu::Client::create_nonce<'a>(&'a self) -> CreateNonce<'a>  # /paths/~1api~1nonce/post
";

    #[test]
    fn each_kind_of_change_gets_its_level() {
        let new = "\
struct kanuu::Nonce #[non_exhaustive]  # /components/schemas/Nonce
field kanuu::Nonce::url: Option<String>  # /components/schemas/Nonce/properties/url
field kanuu::Nonce::extra: String  # /components/schemas/Nonce/properties/extra
enum kanuu::Open
variant kanuu::Open::A
variant kanuu::Open::B
deprecated kanuu::Nonce
";
        let changes = changes(OLD, new);
        let find =
            |text: &str| changes.iter().find(|c| c.text.contains(text)).unwrap_or_else(|| panic!("{changes:#?}"));
        let optional = find("`Nonce::url` is now `Option<String>` (was `String`)");
        assert_eq!(
            (optional.level, optional.pointer.as_deref()),
            (Level::Major, Some("/components/schemas/Nonce/required"))
        );
        assert_eq!(find("field `Nonce::extra` added").level, Level::Minor, "the struct is non_exhaustive");
        assert_eq!(find("variant `Open::B` added").level, Level::Major, "the enum is not");
        assert_eq!(find("method `Client::create_nonce` removed").level, Level::Major);
        assert_eq!(find("`Nonce` is deprecated").level, Level::Minor);
        assert_eq!(changes.len(), 5, "{changes:#?}");
    }

    #[test]
    fn an_unchanged_api_with_other_code_is_a_patch_and_nothing_is_no_release() {
        let files = |lib: &str| {
            vec![
                OutputFile::new("public-api.txt", OLD),
                OutputFile::new("src/lib.rs", lib),
                OutputFile::new("Cargo.toml", "x"),
            ]
        };
        let old = files("//! Old docs.");
        let same = release("kanuu", "1.0.0", &files("//! Old docs."), Some(Previous { version: "1.4.0", files: &old }));
        assert_eq!((same.level, same.version.as_str()), (None, "1.4.0"));
        let docs = release("kanuu", "1.0.0", &files("//! New docs."), Some(Previous { version: "1.4.0", files: &old }));
        assert_eq!((docs.level, docs.version.as_str()), (Some(Level::Patch), "1.4.1"));
        assert_eq!(docs.changes[0].text, "documentation in `src/lib.rs`; the Rust API is the same");
        let code = release("kanuu", "1.0.0", &files("fn f() {}"), Some(Previous { version: "1.4.0", files: &old }));
        assert_eq!(code.changes[0].text, "code in `src/lib.rs`; the Rust API is the same");
        let log = changelog(&docs, "2.0", Some(&changelog(&same, "1.9", None)));
        assert!(log.starts_with("# Changelog\n"), "{log}");
        let newest = log.find("## [1.4.1] - API 2.0").expect("the new entry");
        assert!(newest < log.find("## [1.4.0] - API 1.9").expect("the old entry"), "{log}");
    }

    #[test]
    fn a_changed_manifest_is_a_patch_but_its_version_line_is_not_a_change() {
        let manifest = |version: &str, serde: &str| {
            format!("[package]\nname = \"kanuu\"\nversion = \"{version}\"\n\n[dependencies]\n{serde}\n")
        };
        let files =
            |manifest: String| vec![OutputFile::new("public-api.txt", OLD), OutputFile::new("Cargo.toml", manifest)];
        let old = files(manifest("1.4.0", "serde = { version = \"1\", features = [\"derive\"] }"));
        let same = files(manifest("1.0.0", "serde = { version = \"1\", features = [\"derive\"] }"));
        let same = release("kanuu", "1.0.0", &same, Some(Previous { version: "1.4.0", files: &old }));
        assert_eq!((same.level, same.version.as_str()), (None, "1.4.0"), "only the version line differs");
        let fewer = files(manifest("1.0.0", "serde = \"1\""));
        let fewer = release("kanuu", "1.0.0", &fewer, Some(Previous { version: "1.4.0", files: &old }));
        assert_eq!((fewer.level, fewer.version.as_str()), (Some(Level::Patch), "1.4.1"));
        assert!(fewer.changes[0].text.starts_with("dependencies or features in `Cargo.toml`"), "{:?}", fewer.changes);
    }
}
