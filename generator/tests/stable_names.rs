//! Adding an operation never renames an existing type: users name these
//! types in their code, so a rename breaks them on what should be a minor
//! release. Shared shapes (`rust/plan/shapes.rs`) make this hard: a group is
//! named after a member, and a new operation early in the document can
//! bring a new first member. The crate being replaced decides.

use std::collections::BTreeSet;

use kanuu_codegen::rust::release::Level;
use kanuu_codegen::{Generated, Options, OutputFile, generate};

const SPEC: &str = include_str!("../../tests/cases/shared-shapes/spec.yaml");

/// An operation, before every other, whose answer reuses the enum
/// `read`/`write` and the link object, and brings a type named like one
/// that exists (`GetRepo200Response`'s would-be neighbour).
const EARLY_OPERATION: &str = r#"
  /orgs/{org}:
    get:
      operationId: getOrg
      parameters:
        - { name: org, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: The organisation.
          content:
            application/json:
              schema:
                type: object
                properties:
                  default_permission:
                    type: string
                    description: What members may do by default.
                    enum: [read, write]
                  link:
                    type: object
                    description: The organisation.
                    properties:
                      href: { type: string }
"#;

fn with_early_operation() -> String {
    SPEC.replacen("paths:\n", &format!("paths:{EARLY_OPERATION}"), 1)
}

fn run(text: &str, previous: Option<&Generated>) -> Generated {
    let previous_crate = previous.map(|generated| {
        let files = generated.files.iter();
        files
            .filter_map(|f| f.path.strip_prefix("rust/").map(|path| OutputFile::new(path, f.contents.clone())))
            .collect()
    });
    generate(text, "shapes.yaml", &Options { previous_crate, ..Options::default() }).expect("generates")
}

/// The crate's type names, from its `public-api.txt`.
fn type_names(generated: &Generated) -> BTreeSet<String> {
    let snapshot = generated.files.iter().find(|f| f.path == "rust/public-api.txt").expect("public-api.txt");
    snapshot
        .contents
        .lines()
        .filter(|line| line.starts_with("struct ") || line.starts_with("enum "))
        .filter_map(|line| line.split_whitespace().nth(1).map(str::to_owned))
        .collect()
}

#[test]
fn an_operation_added_early_renames_no_type() {
    let before = run(SPEC, None);
    let after = run(&with_early_operation(), Some(&before));
    let missing: Vec<_> = type_names(&before).difference(&type_names(&after)).cloned().collect();
    assert!(missing.is_empty(), "renamed or removed: {missing:?}");
    assert_eq!(after.release.level, Some(Level::Minor), "{}", after.release.summary(20));
    // The new operation's answer uses the existing shared types.
    let types = after.files.iter().find(|f| f.path == "rust/src/types.rs").expect("types.rs");
    assert!(types.contents.contains("pub default_permission: Option<crate::GetRepo200ResponsePermissionsContents>"));
    assert!(types.contents.contains("pub link: Option<crate::GetRepo200ResponseLinksSelf>"));
}

#[test]
fn without_the_replaced_crate_the_first_member_names_the_group() {
    // What the test above guards against: from scratch, the new first
    // member names the shared types, and the old names are gone.
    let fresh = run(&with_early_operation(), None);
    let names = type_names(&fresh);
    assert!(names.contains("shared_shapes::GetOrg200ResponseDefaultPermission"), "{names:?}");
    assert!(!names.contains("shared_shapes::GetRepo200ResponsePermissionsContents"), "{names:?}");
}
