//! Writes what `scripts/examples.sh` and `scripts/corpus.sh` run: the
//! document's JSON body examples (`examples.json`), and a program for the
//! crate generated from the same document
//! (`rust/examples/<crate>_round_trip.rs`, named after the crate so crates
//! in one workspace don't collide) that decodes each with the crate's type
//! for it and writes it back, one JSON line per example.
//!
//!     cargo run -p kanuu-tests --bin body-examples -- DOCUMENT CRATE_NAME OUT_DIR

use std::collections::BTreeMap;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [document, crate_name, out] = args.as_slice() else {
        eprintln!("usage: body-examples DOCUMENT CRATE_NAME OUT_DIR");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(document) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{document}: {error}");
            return ExitCode::from(2);
        }
    };
    let examples = match kanuu_codegen::examples::body_examples(&text, document, crate_name) {
        Ok(examples) => examples,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    // One reader per distinct type, and each example's index into them.
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for example in &examples {
        let next = types.len();
        types.entry(&example.rust_type).or_insert(next);
    }
    let mut readers = vec![""; types.len()];
    for (ty, index) in &types {
        readers[*index] = ty;
    }
    let checks: Vec<String> = examples.iter().map(|example| types[example.rust_type.as_str()].to_string()).collect();
    let program = format!(
        "//! Written by body-examples: each of the document's JSON body examples (the\n\
         //! file named by the first argument) decoded with the crate's type for it\n\
         //! and written back, one JSON line each.\n\n\
         fn check<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> serde_json::Value {{\n\
         \x20   match serde_json::from_str::<T>(text) {{\n\
         \x20       Err(error) => serde_json::json!({{\"decoded\": false, \"error\": error.to_string()}}),\n\
         \x20       // Written as text, as the client sends it: a `to_value` would widen `f32`s.\n\
         \x20       Ok(value) => match serde_json::to_string(&value).and_then(|text| serde_json::from_str::<serde_json::Value>(&text)) {{\n\
         \x20           Ok(back) => serde_json::json!({{\"decoded\": true, \"back\": back}}),\n\
         \x20           Err(error) => serde_json::json!({{\"decoded\": true, \"error\": error.to_string()}}),\n\
         \x20       }},\n\
         \x20   }}\n\
         }}\n\n\
         const READERS: &[fn(&str) -> serde_json::Value] = &[\n{}];\n\n\
         const CHECKS: &[usize] = &[{}];\n\n\
         fn main() {{\n\
         \x20   let path = std::env::args().nth(1).expect(\"the examples' file\");\n\
         \x20   let text = std::fs::read_to_string(path).expect(\"the examples\");\n\
         \x20   let examples: Vec<serde_json::Value> = serde_json::from_str(&text).expect(\"JSON\");\n\
         \x20   for (example, check) in examples.iter().zip(CHECKS) {{\n\
         \x20       println!(\"{{}}\", READERS[*check](&example[\"value\"].to_string()));\n\
         \x20   }}\n\
         }}\n",
        readers.iter().map(|ty| format!("    check::<{ty}>,\n")).collect::<String>(),
        checks.join(", "),
    );
    let out = std::path::Path::new(out);
    let program_path = out.join(format!("rust/examples/{}_round_trip.rs", crate_name.replace('-', "_")));
    let written = std::fs::create_dir_all(out.join("rust/examples"))
        .and_then(|()| std::fs::write(program_path, program))
        .and_then(|()| std::fs::write(out.join("examples.json"), serde_json::to_string(&examples).unwrap_or_default()));
    if let Err(error) = written {
        eprintln!("{}: {error}", out.display());
        return ExitCode::from(1);
    }
    eprintln!("{} examples, {} types", examples.len(), readers.len());
    ExitCode::SUCCESS
}
