//! Writing the golden files: `generated/` from `spec/kanuu.yaml`, and each
//! case's `expected/` and `warnings.txt` from its `spec.yaml`. The tests
//! compare against these; `cargo run --bin update-goldens` (or
//! `UPDATE_GOLDENS=1 cargo test`) rewrites them. The binary builds none of
//! the case crates, so it works when a change to the runtime's macros has
//! left the committed goldens unable to compile.

use std::path::{Path, PathBuf};

use kanuu_codegen::{Generated, Options, generate, output};

use crate::root;

/// The document `generated/` is made from.
pub const SPEC: &str = "spec/kanuu.yaml";

/// What `spec/kanuu.yaml` generates, with the committed crate as the one
/// the run replaces (as the CLI runs).
pub fn generate_kanuu() -> Generated {
    let text = std::fs::read_to_string(root().join(SPEC)).expect("spec/kanuu.yaml is readable");
    let options = Options { previous_crate: output::previous_crate(&root().join("generated")), ..Options::default() };
    generate(&text, SPEC, &options).unwrap_or_else(|e| panic!("{e}"))
}

/// Every case, by name, in name order.
pub fn cases() -> Vec<(String, PathBuf)> {
    let dir = root().join("tests/cases");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .map(|path| (path.file_name().unwrap_or_default().to_string_lossy().into_owned(), path))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases found");
    cases
}

/// What a case's spec generates, with its committed crate as the one the
/// run replaces.
pub fn generate_case(name: &str, dir: &Path) -> Generated {
    let label = format!("tests/cases/{name}/spec.yaml");
    let text = std::fs::read_to_string(dir.join("spec.yaml")).unwrap_or_else(|e| panic!("{label}: {e}"));
    let options = Options { previous_crate: output::previous_crate(&dir.join("expected")), ..Options::default() };
    generate(&text, &label, &options).unwrap_or_else(|e| panic!("{e}"))
}

/// A case's warnings as `warnings.txt` holds them.
pub fn warnings_text(generated: &Generated) -> String {
    generated.warnings.iter().map(|warning| format!("{warning}\n")).collect()
}

/// Rewrites `generated/`.
pub fn update_kanuu() {
    output::write(&root().join("generated"), &generate_kanuu().files, false).unwrap_or_else(|e| panic!("{e}"));
}

/// Rewrites a case's `expected/` (its runtime files as links) and
/// `warnings.txt` (none when there are no warnings).
pub fn update_case(name: &str, dir: &Path) {
    let generated = generate_case(name, dir);
    let expected = dir.join("expected");
    output::write(&expected, &generated.files, false).unwrap_or_else(|e| panic!("{e}"));
    link_runtime_files(&expected.join("rust/src"));
    let warnings = warnings_text(&generated);
    let file = dir.join("warnings.txt");
    let written = if warnings.is_empty() {
        std::fs::remove_file(&file).or_else(|e| if file.exists() { Err(e) } else { Ok(()) })
    } else {
        std::fs::write(&file, &warnings)
    };
    written.unwrap_or_else(|e| panic!("{name}: {e}"));
}

/// The runtime's files in a case crate's `src` (those it has): each is
/// the same bytes in every crate, which `output::check` compares. Not
/// `stream.rs`, which gains a `mod` line for each kind of stream a crate
/// reads, so each crate's is its own.
pub fn runtime_files(src: &Path) -> Vec<PathBuf> {
    let runtime = root().join("generator/runtime");
    let mut files = Vec::new();
    for folder in ["", "stream", "webhooks", "mock"] {
        let entries = std::fs::read_dir(runtime.join(folder)).expect("generator/runtime exists");
        let names = entries.filter_map(|entry| entry.ok()).map(|entry| Path::new(folder).join(entry.file_name()));
        files.extend(
            names
                .filter(|name| name.extension().is_some_and(|extension| extension == "rs"))
                .filter(|name| name != Path::new("stream.rs"))
                .map(|name| src.join(name))
                .filter(|file| file.exists()),
        );
    }
    files
}

/// Replaces each of a case crate's runtime files with a link to the one
/// in `generator/runtime/`, so the cases' goldens hold only what each case
/// makes and a runtime change is one diff, not one per case.
pub fn link_runtime_files(src: &Path) {
    for file in runtime_files(src) {
        let name = file.strip_prefix(src).unwrap_or(&file);
        // From tests/cases/NAME/expected/rust/src, or its `stream` or `webhooks` folder.
        let up = "../".repeat(6 + name.components().count() - 1);
        let target = Path::new(&up).join("generator/runtime").join(name);
        assert!(
            std::fs::read(&file).ok() == std::fs::read(file.parent().unwrap_or(src).join(&target)).ok(),
            "{}: the generator wrote it differently from generator/runtime/",
            file.display()
        );
        std::fs::remove_file(&file)
            .and_then(|()| std::os::unix::fs::symlink(&target, &file))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
}
