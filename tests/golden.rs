//! generated/ is exactly what spec/kanuu.yaml produces, and edits to the
//! spec show up in the output where they should.

use kanuu_codegen::{Options, generate, output};
use kanuu_tests::goldens::{SPEC, generate_kanuu};
use kanuu_tests::{root, update_goldens};

fn spec_text() -> String {
    std::fs::read_to_string(root().join(SPEC)).expect("spec/kanuu.yaml is readable")
}

/// As the CLI runs: the committed crate is the one the run replaces.
fn options() -> Options {
    Options { previous_crate: output::previous_crate(&root().join("generated")), ..Options::default() }
}

#[test]
fn generated_folder_matches_the_spec() {
    if update_goldens() {
        kanuu_tests::goldens::update_kanuu();
        return;
    }
    let generated = generate_kanuu();
    let differences = output::check(&root().join("generated"), &generated.files);
    if !differences.is_empty() {
        let diffs: String = differences.iter().map(|d| d.diff.as_str()).collect();
        panic!(
            "{diffs}\ngenerated/ differs from what {SPEC} produces in {} file(s).\n\
             Run `cargo run --release -p kanuu-codegen` (or `cargo run --bin update-goldens`), review the diff and commit it.",
            differences.len()
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let text = spec_text();
    let first = generate(&text, SPEC, &options()).expect("the spec generates");
    let second = generate(&text, SPEC, &options()).expect("the spec generates");
    assert_eq!(first.files, second.files);
}

/// The golden test can fail: an optional property and a second operation
/// change exactly the files that should change.
#[test]
fn an_edited_spec_changes_the_output_where_it_should() {
    let edited = spec_text()
        .replace(
            "          example: \"42\"\n",
            "          example: \"42\"\n        supplemental:\n          type: object\n          description: Extra data shown on the billing page.\n          additionalProperties:\n            type: string\n",
        )
        .replace(
            "components:\n",
            "  /api/subscription:\n    post:\n      operationId: createSubscription\n      summary: Create a subscription\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: \"#/components/schemas/CreateNonceRequest\"\n      responses:\n        \"204\":\n          description: The subscription was created.\ncomponents:\n",
        );
    assert_ne!(edited, spec_text(), "the edits apply to the spec");
    let generated = generate(&edited, SPEC, &options()).expect("the edited spec generates");
    let differences = output::check(&root().join("generated"), &generated.files);
    let diff_of = |path: &str| differences.iter().find(|d| d.path == path).map(|d| d.diff.clone()).unwrap_or_default();

    let types = diff_of("rust/src/types.rs");
    assert!(types.contains("+        #[json(\"supplemental\", optional)]\n+        pub supplemental: Option<std::collections::BTreeMap<String, String>>,"), "{types}");
    let requests = diff_of("rust/src/requests.rs");
    assert!(requests.contains("+    pub fn create_subscription<'a>("), "{requests}");
    assert!(requests.contains("+            204 => Ok(()),"), "{requests}");
    // The client and its errors don't change for these edits; the version
    // goes up a minor step, since both are additions.
    assert!(diff_of("rust/src/client.rs").is_empty());
    let release = &generated.release;
    assert_eq!(release.level, Some(kanuu_codegen::rust::release::Level::Minor), "{release:#?}");
    let previous = release.previous.as_deref().expect("generated/ has a version");
    let manifest = diff_of("rust/Cargo.toml");
    let bump = format!("-version = \"{previous}\"\n+version = \"{}\"\n", release.version);
    assert!(manifest.contains(&bump), "{manifest}");
    let changed =
        manifest.lines().filter(|l| l.starts_with(['+', '-']) && !l.starts_with("+++") && !l.starts_with("---"));
    assert_eq!(changed.count(), 2, "only the version changes in Cargo.toml:\n{manifest}");
    assert!(
        diff_of("rust/CHANGELOG.md")
            .contains("+- method `Client::create_subscription` added (`#/paths/~1api~1subscription/post`)")
    );
}
