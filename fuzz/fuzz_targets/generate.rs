//! Any input → files or an error; never a panic, a hang or a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kanuu_codegen::generate(text, "fuzz.yaml", &kanuu_codegen::Options::default());
    }
});
