//! Golden cases: each `tests/cases/NAME/` holds a `spec.yaml` about one
//! feature, a one-line `README.md` saying which, `expected/`: exactly
//! what the generator makes of the spec, and `warnings.txt`: the warnings
//! it prints (no file when there are none). Every generated crate compiles
//! without a clippy warning. The runtime's files, the same in every crate,
//! are links to `generator/runtime/`.
//!
//! After an intended change: `cargo run --bin update-goldens` (or
//! `UPDATE_GOLDENS=1 cargo test`), which rewrites every golden (these and
//! `generated/`), then review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use kanuu_codegen::{Options, generate, output};
use kanuu_tests::goldens::{self, cases};
use kanuu_tests::{root, update_goldens};

#[test]
fn cases_generate_their_expected_output() {
    let mut failures = String::new();
    for (name, dir) in cases() {
        if update_goldens() {
            goldens::update_case(&name, &dir);
            continue;
        }
        let generated = goldens::generate_case(&name, &dir);
        let warnings = goldens::warnings_text(&generated);
        let expected_warnings = std::fs::read_to_string(dir.join("warnings.txt")).unwrap_or_default();
        if warnings != expected_warnings {
            let diff = similar::TextDiff::from_lines(&expected_warnings, &warnings);
            failures.push_str(&format!(
                "case `{name}` ({}): the warnings differ from warnings.txt:\n{}",
                case_summary(&dir),
                diff.unified_diff().header("warnings.txt", "generated")
            ));
        }
        let expected = dir.join("expected");
        for file in goldens::runtime_files(&expected.join("rust/src")) {
            if !file.is_symlink() {
                failures.push_str(&format!(
                    "case `{name}`: {} is a copy; the cases link to generator/runtime/ instead\n",
                    file.display()
                ));
            }
        }
        for difference in output::check(&expected, &generated.files) {
            failures.push_str(&format!("case `{name}` ({}):\n{}", case_summary(&dir), difference.diff));
        }
    }
    assert!(
        failures.is_empty(),
        "{failures}\ncase output differs; if intended, run `cargo run --bin update-goldens` and review the diff"
    );
}

/// A case that says what it covers, so a failing diff names the feature.
fn case_summary(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("README.md")).unwrap_or_default().trim().to_owned()
}

#[test]
fn every_case_says_in_one_line_what_it_covers() {
    for (name, dir) in cases() {
        let summary = std::fs::read_to_string(dir.join("README.md"))
            .unwrap_or_else(|_| panic!("tests/cases/{name}/README.md: say in one line what the case covers"));
        assert_eq!(summary.trim().lines().count(), 1, "tests/cases/{name}/README.md must be one line");
        assert!(dir.join("spec.yaml").is_file(), "tests/cases/{name}/spec.yaml is missing");
    }
}

/// Compiles every case's crate, every case's Rust snippets, and the crate
/// of every fuzz regression input that generates, in one workspace with a
/// long-lived target folder,
/// so dependencies build once. Files are written only when they change, so
/// cargo re-checks only the crates whose code changed.
#[test]
fn case_crates_compile_without_warnings() {
    let workspace = root().join("target/test-scratch/case-crates");
    let mut crates: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (name, dir) in cases() {
        crates.push((name, kanuu_tests::read_tree(&dir.join("expected/rust"))));
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
        let options = Options { crate_name: Some(name.clone()), ..Options::default() };
        let Ok(generated) = generate(&text, "regression.yaml", &options) else { continue };
        let files = generated
            .files
            .iter()
            .filter_map(|f| f.path.strip_prefix("rust/").map(|path| (path.to_owned(), f.contents.clone())))
            .collect();
        crates.push((name, files));
    }

    crates.push(("examples".to_owned(), examples_crate()));
    crates.push(("mocks".to_owned(), mocks_crate()));
    let members: Vec<String> = crates.iter().map(|(name, _)| format!("\"{name}\"")).collect();
    let mut files: Vec<(String, String)> = crates
        .into_iter()
        .flat_map(|(name, files)| files.into_iter().map(move |(path, contents)| (format!("{name}/{path}"), contents)))
        .collect();
    files.push((
        "Cargo.toml".to_owned(),
        format!("[workspace]\nmembers = [{}]\nresolver = \"2\"\n", members.join(", ")),
    ));
    // The project's lock file pins the same dependency versions as the main crate.
    files.push(("Cargo.lock".to_owned(), std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock")));
    sync_tree(&workspace, &files);

    // The `webhooks` feature is off by default; the crates are checked with it.
    let webhooks: Vec<String> = cases()
        .into_iter()
        .filter_map(|(name, dir)| {
            let manifest = std::fs::read_to_string(dir.join("expected/rust/Cargo.toml")).expect("Cargo.toml");
            let package = manifest.lines().find_map(|line| line.strip_prefix("name = \"")?.strip_suffix('"'));
            manifest.contains("\nwebhooks = [").then(|| format!("{}/webhooks", package.unwrap_or(&name)))
        })
        .collect();
    let with_webhooks = |packages: &[String]| -> Vec<String> {
        let features: Vec<&str> = webhooks
            .iter()
            .map(String::as_str)
            .filter(|feature| packages.iter().any(|package| feature.split('/').next() == Some(package)))
            .collect();
        if features.is_empty() { Vec::new() } else { vec!["--features".to_owned(), features.join(",")] }
    };
    assert!(!webhooks.is_empty(), "some case receives webhooks");
    let status = Command::new(env!("CARGO"))
        .args(["clippy", "--workspace", "--all-targets", "--quiet", "--features", &webhooks.join(",")])
        .args(["--", "-D", "warnings"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", root().join("target/case-target"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "a case crate does not compile cleanly; see the output above");

    // Each crate's `mock` example, run: its first call answered by the mock
    // as documented, and with a documented error.
    let status = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--package", "mocks", "--lib"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", root().join("target/case-target"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "a case crate's mock example fails; see the output above");

    // Built together, the crates' dependencies have the features any of
    // them asks for: a crate whose code needs a reqwest or tokio feature
    // its own manifest lacks would pass unnoticed. So each crate is also
    // checked with only its own features, in one build per set of
    // dependencies (so each set of features builds once).
    let mut by_dependencies: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for (name, dir) in cases() {
        let manifest = std::fs::read_to_string(dir.join("expected/rust/Cargo.toml")).expect("Cargo.toml");
        let dependencies = manifest.split("[dependencies]").nth(1).unwrap_or_default();
        let dependencies = dependencies.split("\n[").next().unwrap_or_default().to_owned();
        let package = manifest.lines().find_map(|line| line.strip_prefix("name = \"")?.strip_suffix('"'));
        by_dependencies.entry(dependencies).or_default().push(package.unwrap_or(&name).to_owned());
    }
    for names in by_dependencies.values() {
        let mut check = Command::new(env!("CARGO"));
        check.args(["check", "--quiet", "--lib"]);
        for name in names {
            check.args(["--package", name]);
        }
        check.args(with_webhooks(names));
        let status = check
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", root().join("target/case-target"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "{names:?} don't compile with their own features alone; see the output above");
    }

    // Users read the crates on docs.rs: rustdoc must have nothing to say
    // about what the documents' Markdown became.
    let status = Command::new(env!("CARGO"))
        .args(["doc", "--workspace", "--no-deps", "--quiet", "--features", &webhooks.join(",")])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", root().join("target/case-target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .expect("cargo runs");
    assert!(status.success(), "rustdoc warns about a case crate's docs; see the output above");

    // A crate with a feature per tag compiles cleanly with each tag alone,
    // and with none: gating must leave no dangling name or unused item.
    for (name, dir) in cases() {
        let manifest = std::fs::read_to_string(dir.join("expected/rust/Cargo.toml")).expect("Cargo.toml");
        let Some((_, tags)) = manifest.split_once("# One feature per tag") else { continue };
        let package = manifest
            .lines()
            .find_map(|line| line.strip_prefix("name = \"").and_then(|rest| rest.strip_suffix('"')))
            .expect("a package name")
            .to_owned();
        let tags: Vec<&str> = tags.lines().filter_map(|line| line.strip_suffix(" = []")).collect();
        assert!(tags.len() >= 2, "case `{name}`: a feature per tag, but fewer than two");
        // With `mock` on too: its mocks are gated as their operations are.
        for features in tags.iter().map(|tag| format!("rustls,mock,{tag}")).chain(["rustls,mock".to_owned()]) {
            let status = Command::new(env!("CARGO"))
                .args(["clippy", "--quiet", "-p", &package, "--no-default-features", "--features", &features])
                .args(["--", "-D", "warnings"])
                .current_dir(&workspace)
                .env("CARGO_TARGET_DIR", root().join("target/case-target"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "case `{name}` does not compile cleanly with only `{features}`; see above");
        }
    }
}

/// A crate holding every case's Rust snippets (one per operation, as the
/// pages show them), each in a module of its own, so one `cargo clippy`
/// type-checks them all without linking a binary per example.
fn examples_crate() -> Vec<(String, String)> {
    let mut dependencies = String::new();
    let mut modules = String::new();
    for (name, dir) in cases() {
        let package = name.clone();
        let manifest = std::fs::read_to_string(dir.join("expected/rust/Cargo.toml")).expect("Cargo.toml");
        let package_name = manifest
            .lines()
            .find_map(|line| line.strip_prefix("name = \"").and_then(|rest| rest.strip_suffix('"')))
            .unwrap_or(&package)
            .to_owned();
        dependencies.push_str(&format!("{package_name} = {{ path = \"../{name}\" }}\n"));
        let document = std::fs::read_to_string(dir.join("expected/docs/openapi.json")).expect("openapi.json");
        let document: serde_json::Value = serde_json::from_str(&document).expect("openapi.json is JSON");
        let samples = document["paths"].as_object().into_iter().flat_map(|paths| paths.values());
        let samples = samples.flat_map(|item| item.as_object().into_iter().flat_map(|item| item.values()));
        let rust = samples
            .flat_map(|operation| operation["x-codeSamples"].as_array().cloned().unwrap_or_default())
            .filter(|sample| sample["lang"] == "rust");
        for (index, sample) in rust.enumerate() {
            let source = sample["source"].as_str().expect("a sample has a source");
            let module = format!("{}_{index}", name.replace('-', "_"));
            // Unused here; calling a deprecated operation warns, as it should;
            // the collision case's schema is named `foo`, a name clippy dislikes.
            let allow = "#[allow(dead_code, deprecated, clippy::disallowed_names)]";
            modules.push_str(&format!("{allow}\nmod {module} {{\n{source}}}\n\n"));
        }
    }
    let manifest = format!(
        "[package]\nname = \"examples\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         serde_json = \"1\"\nfutures = \"0.3\"\n{dependencies}"
    );
    let lib = format!("//! Every case's Rust snippets, type-checked together.\n\n{modules}");
    vec![("Cargo.toml".to_owned(), manifest), ("src/lib.rs".to_owned(), lib)]
}

/// A crate running every case crate's `mock` example (from its module
/// docs in `src/mock.rs`), each in a module of its own, from one test.
fn mocks_crate() -> Vec<(String, String)> {
    let mut dependencies = String::new();
    let mut modules = String::new();
    let mut runs = String::new();
    for (name, dir) in cases() {
        let manifest = std::fs::read_to_string(dir.join("expected/rust/Cargo.toml")).expect("Cargo.toml");
        let package = manifest
            .lines()
            .find_map(|line| line.strip_prefix("name = \"").and_then(|rest| rest.strip_suffix('"')))
            .unwrap_or(&name)
            .to_owned();
        let Ok(mock) = std::fs::read_to_string(dir.join("expected/rust/src/mock.rs")) else { continue };
        dependencies.push_str(&format!("{package} = {{ path = \"../{name}\", features = [\"mock\"] }}\n"));
        let docs: Vec<&str> = mock
            .lines()
            .filter_map(|line| line.strip_prefix("//!"))
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect();
        let Some(start) = docs.iter().position(|line| *line == "```") else { continue };
        let end = start + 1 + docs[start + 1..].iter().position(|line| *line == "```").expect("the example ends");
        let example: String = docs[start + 1..end]
            .iter()
            .filter(|line| !line.starts_with("# #[tokio::main"))
            .map(|line| match *line {
                "# async fn main() {" => "pub async fn run() {\n".to_owned(),
                "# }" => "}\n".to_owned(),
                line => format!("{line}\n"),
            })
            .collect();
        let module = name.replace('-', "_");
        modules
            .push_str(&format!("#[allow(deprecated, clippy::disallowed_names)]\npub mod {module} {{\n{example}}}\n\n"));
        runs.push_str(&format!("    {module}::run().await;\n"));
    }
    let manifest = format!(
        "[package]\nname = \"mocks\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         serde_json = \"1\"\n{dependencies}"
    );
    let lib = format!(
        "//! Every case crate's `mock` example, run.\n\n{modules}\
         #[tokio::test]\nasync fn every_case_s_mock_example_runs() {{\n{runs}}}\n"
    );
    vec![("Cargo.toml".to_owned(), manifest), ("src/lib.rs".to_owned(), lib)]
}

/// Makes `dir` hold exactly `files`, touching only what differs, so
/// unchanged files keep their modification times.
fn sync_tree(dir: &Path, files: &[(String, String)]) {
    let wanted: std::collections::HashSet<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
    if dir.exists() {
        for (path, _) in kanuu_tests::read_tree(dir) {
            if !wanted.contains(path.as_str()) {
                std::fs::remove_file(dir.join(&path)).expect("scratch is writable");
            }
        }
    }
    for (path, contents) in files {
        let target = dir.join(path);
        if std::fs::read_to_string(&target).is_ok_and(|old| old == *contents) {
            continue;
        }
        std::fs::create_dir_all(target.parent().expect("a file has a parent")).expect("scratch is writable");
        std::fs::write(target, contents).expect("scratch is writable");
    }
}
