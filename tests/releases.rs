//! What a regeneration tells crate users: spec/kanuu.yaml edited as users
//! edit it, each giving the right version, changelog entry and summary;
//! and cargo-semver-checks, run on the crates before and after each edit,
//! never finds a bigger change than we report.

use std::path::Path;
use std::process::Command;

use kanuu_codegen::rust::release::{Level, bump};
use kanuu_codegen::{Generated, Options, OutputFile, generate, output};
use kanuu_tests::root;

const SPEC: &str = "spec/kanuu.yaml";

fn spec_text() -> String {
    std::fs::read_to_string(root().join(SPEC)).expect("spec/kanuu.yaml is readable")
}

/// One edit of the spec: the text before (the spec, or the spec with a
/// first edit) and after, and what we must report.
struct Edit {
    name: &'static str,
    before: fn(&str) -> String,
    after: fn(&str) -> String,
    level: Level,
    /// Words of the change's line in the changelog.
    change: &'static str,
    /// The JSON pointer it must name, if any.
    pointer: Option<&'static str>,
}

fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the spec no longer has {from:?}");
    text.replacen(from, to, 1)
}

const IDENTIFIER_EXAMPLE: &str = "          example: \"42\"\n    Nonce:\n";
const LOCALE: &str = "          example: \"42\"\n        locale:\n          type: string\n          description: The billing page's language.\n    Nonce:\n";
const KIND: &str =
    "          example: \"42\"\n        kind:\n          type: string\n          enum: [user, team]\n    Nonce:\n";
const SUBSCRIPTION: &str = "  /api/subscription:\n    post:\n      operationId: createSubscription\n      summary: Create a subscription\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: \"#/components/schemas/CreateNonceRequest\"\n      responses:\n        \"204\":\n          description: The subscription was created.\ncomponents:\n";

fn same(text: &str) -> String {
    text.to_owned()
}

fn with_kind(text: &str) -> String {
    replace(text, IDENTIFIER_EXAMPLE, KIND)
}

const EDITS: &[Edit] = &[
    Edit {
        name: "optional-request-property",
        before: same,
        after: |t| replace(t, IDENTIFIER_EXAMPLE, LOCALE),
        level: Level::Minor,
        change: "field `CreateNonceRequest::locale` added",
        pointer: Some("/components/schemas/CreateNonceRequest/properties/locale"),
    },
    Edit {
        name: "required-request-property",
        before: same,
        after: |t| {
            let t = replace(t, IDENTIFIER_EXAMPLE, LOCALE);
            replace(&t, "      required: [identifier]\n", "      required: [identifier, locale]\n")
        },
        level: Level::Major,
        change: "`CreateNonceRequest::new` is now `fn new(identifier: impl Into<String>, locale: impl Into<String>) -> Self`",
        pointer: Some("/components/schemas/CreateNonceRequest/required"),
    },
    Edit {
        name: "operation-added",
        before: same,
        after: |t| replace(t, "components:\n", SUBSCRIPTION),
        level: Level::Minor,
        change: "method `Client::create_subscription` added",
        pointer: Some("/paths/~1api~1subscription/post"),
    },
    Edit {
        name: "operation-removed",
        before: |t| replace(t, "components:\n", SUBSCRIPTION),
        after: same,
        level: Level::Major,
        change: "method `Client::create_subscription` removed",
        pointer: Some("/paths/~1api~1subscription/post"),
    },
    Edit {
        name: "response-property-optional",
        before: same,
        after: |t| replace(t, "      required: [nonce, url]\n", "      required: [nonce]\n"),
        level: Level::Major,
        change: "`Nonce::url` is now `Option<String>` (was `String`)",
        pointer: Some("/components/schemas/Nonce/required"),
    },
    Edit {
        name: "enum-value-added",
        before: with_kind,
        after: |t| replace(&with_kind(t), "enum: [user, team]", "enum: [user, team, organization]"),
        level: Level::Minor,
        change: "variant `CreateNonceRequestKind::Organization` added",
        pointer: Some("/components/schemas/CreateNonceRequest/properties/kind/enum"),
    },
    Edit {
        name: "property-type-changed",
        before: same,
        after: |t| {
            replace(
                t,
                "        identifier:\n          type: string\n",
                "        identifier:\n          type: integer\n",
            )
        },
        level: Level::Major,
        change: "`CreateNonceRequest::identifier` is now `i64` (was `String`)",
        pointer: Some("/components/schemas/CreateNonceRequest/properties/identifier"),
    },
    Edit {
        name: "description-only",
        before: same,
        after: |t| {
            replace(
                t,
                "Use this URL to securely redirect your users to Kanuu.\n          example",
                "Redirect your customer here.\n          example",
            )
        },
        level: Level::Patch,
        change: "documentation in `src/types.rs`; the Rust API is the same",
        pointer: None,
    },
];

/// The crate's files, relative to its folder.
fn crate_files(generated: &Generated) -> Vec<OutputFile> {
    generated
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix("rust/").map(|path| OutputFile::new(path, f.contents.clone())))
        .collect()
}

/// The crate for `before` (as committed: generated/ is the previous run)
/// and the crate for `after`, generated over it.
fn before_and_after(edit: &Edit) -> (Generated, Generated) {
    let spec = spec_text();
    let committed = Options { previous_crate: output::previous_crate(&root().join("generated")), ..Options::default() };
    let before = generate(&(edit.before)(&spec), SPEC, &committed).expect("the spec before generates");
    let over_before = Options { previous_crate: Some(crate_files(&before)), ..Options::default() };
    let after = generate(&(edit.after)(&spec), SPEC, &over_before).expect("the edited spec generates");
    (before, after)
}

#[test]
fn each_edit_gets_its_version_changelog_entry_and_summary() {
    for edit in EDITS {
        let (before, after) = before_and_after(edit);
        let release = &after.release;
        let from = &before.release.version;
        // The next version after `before`'s by SemVer (release.rs's unit tests pin `bump`).
        let expected = bump(from, edit.level);
        let expected = expected.as_str();
        assert_ne!(expected, from.as_str(), "{}", edit.name);
        let verdict = (release.level, release.version.as_str());
        assert_eq!(verdict, (Some(edit.level), expected), "{}: {release:#?}", edit.name);

        let summary = release.summary(20);
        let first = format!("kanuu {from} → {expected} ({})", edit.level);
        assert!(summary.starts_with(&first), "{}: {summary}", edit.name);
        let pointer = edit.pointer.map(|p| format!(" (#{p})")).unwrap_or_default();
        let listed = summary
            .lines()
            .map(str::trim)
            .any(|line| line.starts_with(&format!("{}: {}", edit.level, edit.change)) && line.ends_with(&pointer));
        assert!(listed, "{}: no line for {:?}{pointer} in\n{summary}", edit.name, edit.change);

        let changelog = after.files.iter().find(|f| f.path == "rust/CHANGELOG.md").expect("a changelog");
        let heading = format!("## [{expected}] - API 1.0.0\n\nA {} release after {from}.\n", edit.level);
        assert!(from.starts_with("1."), "{}: the crate starts at the API's 1.0.0", edit.name);
        assert!(changelog.contents.contains(&heading), "{}:\n{}", edit.name, changelog.contents);
        assert!(changelog.contents.contains(edit.change), "{}:\n{}", edit.name, changelog.contents);
        let manifest = after.files.iter().find(|f| f.path == "rust/Cargo.toml").expect("a manifest");
        assert!(manifest.contents.contains(&format!("\nversion = \"{expected}\"\n")), "{}", edit.name);
    }
}

#[test]
fn regenerating_an_unchanged_spec_changes_nothing() {
    let edit = &EDITS[0];
    let (before, _) = before_and_after(edit);
    let again = Options { previous_crate: Some(crate_files(&before)), ..Options::default() };
    let twice = generate(&spec_text(), SPEC, &again).expect("the spec generates");
    assert_eq!(twice.release.level, None);
    assert_eq!(twice.files, before.files, "the version and changelog are a fixed point");
}

/// Where we report a bigger change than cargo-semver-checks finds, and why.
/// An entry that no longer applies fails the test, so the record stays true.
const STRICTER: &[(&str, &str)] = &[
    // cargo-semver-checks looks for breaking changes only: an addition passes
    // its check as a patch, but SemVer makes new API a minor release.
    (
        "optional-request-property",
        "an added field is new API: minor by SemVer; cargo-semver-checks checks breakage only",
    ),
    ("operation-added", "an added method is new API: minor by SemVer; cargo-semver-checks checks breakage only"),
    ("enum-value-added", "an added variant is new API: minor by SemVer; cargo-semver-checks checks breakage only"),
    // It has no lint for a changed field or parameter type (0.51).
    (
        "property-type-changed",
        "`identifier: String` → `i64` breaks every use; cargo-semver-checks has no type-change lint",
    ),
];

/// cargo-semver-checks' verdict: the smallest release it accepts.
fn semver_checks_level(baseline: &Path, current: &Path) -> Result<Level, String> {
    let output = Command::new(env!("CARGO"))
        .args(["semver-checks", "check-release", "--release-type", "patch", "--baseline-root"])
        .arg(baseline)
        .arg("--manifest-path")
        .arg(current.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/semver-checks"))
        .output()
        .map_err(|e| format!("cargo semver-checks did not run: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        Ok(Level::Patch)
    } else if text.contains("requires new major version") {
        Ok(Level::Major)
    } else if text.contains("requires new minor version") {
        Ok(Level::Minor)
    } else {
        Err(format!("cargo semver-checks failed:\n{text}"))
    }
}

fn write_crate(dir: &Path, generated: &Generated) {
    let _ = std::fs::remove_dir_all(dir);
    for file in crate_files(generated) {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("scratch is writable");
        std::fs::write(path, file.contents).expect("scratch is writable");
    }
    // A crate of its own, with the project's pinned dependency versions.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock is readable");
}

#[test]
fn cargo_semver_checks_never_finds_a_bigger_change_than_we_report() {
    let installed = Command::new(env!("CARGO")).args(["semver-checks", "--version"]).output();
    if !installed.is_ok_and(|o| o.status.success()) {
        let message = "cargo-semver-checks is not installed (`cargo install cargo-semver-checks --locked`)";
        assert!(std::env::var_os("CI").is_none(), "{message}; CI installs it");
        eprintln!("skipped: {message}");
        return;
    }
    let scratch = root().join("target/test-scratch/semver-checks");
    let mut failures = Vec::new();
    let mut stricter = Vec::new();
    for edit in EDITS {
        let (before, after) = before_and_after(edit);
        let (old, new) = (scratch.join(edit.name).join("before"), scratch.join(edit.name).join("after"));
        write_crate(&old, &before);
        write_crate(&new, &after);
        let theirs = match semver_checks_level(&old, &new) {
            Ok(level) => level,
            Err(message) => {
                failures.push(format!("{}: {message}", edit.name));
                continue;
            }
        };
        let ours = after.release.level.unwrap_or(Level::Patch);
        eprintln!("{}: ours {ours}, cargo-semver-checks {theirs}", edit.name);
        if ours < theirs {
            failures.push(format!("{}: we say {ours}, cargo-semver-checks says {theirs}", edit.name));
        } else if ours > theirs {
            stricter.push(edit.name);
            if !STRICTER.iter().any(|(name, _)| *name == edit.name) {
                failures.push(format!(
                    "{}: we say {ours}, cargo-semver-checks {theirs}; record why in STRICTER",
                    edit.name
                ));
            }
        }
    }
    for (name, _) in STRICTER {
        if !stricter.contains(name) {
            failures.push(format!("{name}: listed in STRICTER, but cargo-semver-checks now agrees; remove it"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
