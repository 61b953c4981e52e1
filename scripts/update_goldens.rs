//! Rewrites every golden file: `generated/` from `spec/kanuu.yaml` and each
//! case's `expected/` and `warnings.txt`, then review `git diff`.
//!
//!     cargo run --bin update-goldens
//!
//! Unlike `UPDATE_GOLDENS=1 cargo test`, it compiles none of the case
//! crates first, so it works after a change to the runtime's macros.

fn main() {
    kanuu_tests::goldens::update_kanuu();
    for (name, dir) in kanuu_tests::goldens::cases() {
        kanuu_tests::goldens::update_case(&name, &dir);
    }
    println!("rewrote generated/ and {} cases; review `git diff`", kanuu_tests::goldens::cases().len());
}
