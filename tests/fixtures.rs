//! Fixture goldens: each `tests/fixtures/NAME.yaml` generates exactly the
//! checked-in `tests/fixtures/NAME/`, and every generated crate compiles
//! without a clippy warning.
//!
//! After an intended change: `UPDATE_FIXTURES=1 cargo test --test fixtures`,
//! then review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use kanuu_codegen::{Options, generate, output};
use kanuu_tests::{root, scratch};

fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = root().join("tests/fixtures");
    let mut specs: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .map(|path| (path.file_stem().unwrap_or_default().to_string_lossy().into_owned(), path))
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no fixtures found");
    specs
}

#[test]
fn fixtures_generate_their_checked_in_output() {
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let mut failures = String::new();
    for (name, spec) in fixtures() {
        let label = format!("tests/fixtures/{}", spec.file_name().unwrap_or_default().to_string_lossy());
        let text = std::fs::read_to_string(&spec).expect("fixture is readable");
        let generated = generate(&text, &label, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        let expected = root().join("tests/fixtures").join(&name);
        if update {
            output::write(&expected, &generated.files, false).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        for difference in output::check(&expected, &generated.files) {
            failures.push_str(&difference.diff);
        }
    }
    assert!(
        failures.is_empty(),
        "{failures}\nfixture output differs; if intended, run `UPDATE_FIXTURES=1 cargo test --test fixtures` and review the diff"
    );
}

/// Compiles every fixture's crate, and the crate of every fuzz regression
/// input that generates, in one scratch workspace with a shared, long-lived
/// target folder, so dependencies build once.
#[test]
fn fixture_crates_compile_without_warnings() {
    let workspace = scratch("fixture-crates");
    let mut members = Vec::new();
    for (name, _) in fixtures() {
        let crate_dir = root().join("tests/fixtures").join(&name).join("rust");
        copy_tree(&crate_dir, &workspace.join(&name));
        members.push(format!("\"{name}\""));
    }
    // Hostile inputs that generate at all must generate a crate that compiles too.
    let regressions = root().join("generator/tests/fuzz_regressions");
    let mut inputs: Vec<PathBuf> =
        std::fs::read_dir(&regressions).expect("fuzz_regressions exists").flatten().map(|e| e.path()).collect();
    inputs.sort();
    for input in inputs {
        let Ok(text) = std::fs::read_to_string(&input) else { continue };
        let stem =
            input.file_stem().unwrap_or_default().to_string_lossy().replace(|c: char| !c.is_ascii_alphanumeric(), "-");
        let name = format!("regression-{stem}");
        let options = Options { crate_name: Some(name.clone()) };
        let Ok(generated) = generate(&text, "regression.yaml", &options) else { continue };
        for file in generated.files.iter().filter(|f| f.path.starts_with("rust/")) {
            let target = workspace.join(&name).join(&file.path["rust/".len()..]);
            std::fs::create_dir_all(target.parent().expect("a file has a parent")).expect("scratch is writable");
            std::fs::write(target, &file.contents).expect("scratch is writable");
        }
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!("[workspace]\nmembers = [{}]\nresolver = \"2\"\n", members.join(", ")),
    )
    .expect("scratch workspace is writable");
    // The project's lock file pins the same dependency versions as the main crate.
    std::fs::copy(root().join("Cargo.lock"), workspace.join("Cargo.lock")).expect("Cargo.lock is readable");

    let status = Command::new(env!("CARGO"))
        .args(["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", root().join("target/fixture-target"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "a fixture crate does not compile cleanly; see the output above");
}

fn copy_tree(from: &Path, to: &Path) {
    for (path, contents) in kanuu_tests::read_tree(from) {
        let target = to.join(&path);
        std::fs::create_dir_all(target.parent().expect("a file has a parent")).expect("scratch is writable");
        std::fs::write(target, contents).expect("scratch is writable");
    }
}
