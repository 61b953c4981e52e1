//! Inputs that once broke the generator, or could: each must give files or
//! an error, never a panic. A fuzz run's crashes go in fuzz_regressions/.

use kanuu_codegen::{Options, generate};

#[test]
fn past_and_hostile_inputs_give_output_or_an_error() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("the folder exists").flatten().map(|e| e.path()).collect();
    entries.sort();
    assert!(!entries.is_empty());
    for path in entries {
        let bytes = std::fs::read(&path).expect("readable");
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let outcome = std::panic::catch_unwind(|| generate(text, &name, &Options::default()).map(|_| ()));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(error)) => assert!(!error.to_string().is_empty(), "{name}: an error without a message"),
            Err(_) => panic!("{name}: the generator panicked"),
        }
    }
}
