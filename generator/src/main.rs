//! The `kanuu-codegen` command: arguments, file I/O and exit codes only.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use kanuu_codegen::{Options, output};

// Emission allocates and frees millions of small token and syntax-tree
// nodes on several threads at once; glibc's allocator spends much of a large
// document's run there (Microsoft Graph: 19.6 s and 4.9 GB with it, 14 s and
// 3.7 GB with mimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates a typed Rust client crate from an OpenAPI document.
///
/// Exit codes: 0 success; 1 `--check` found differences; 2 bad input or usage;
/// 3 an internal error (a bug: please report it).
#[derive(Parser, Debug)]
#[command(name = "kanuu-codegen", version)]
struct Args {
    /// The OpenAPI 3.0, 3.1 or 3.2 document, YAML or JSON.
    #[arg(long, value_name = "FILE", default_value = "spec/kanuu.yaml")]
    spec: PathBuf,
    /// The output folder: the crate goes to OUT/rust/.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    out: PathBuf,
    /// The crate's package name (default: `info.x-rust-crate.name`, else from the title).
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// Write nothing; exit 1 with a diff if OUT differs from what the document produces.
    #[arg(long)]
    check: bool,
    /// Write into an existing folder that has no manifest of an earlier run.
    #[arg(long)]
    force: bool,
}

const DIFFERENCES: u8 = 1;
const BAD_INPUT: u8 = 2;
const INTERNAL: u8 = 3;

fn main() -> ExitCode {
    // A panic is a bug in kanuu-codegen; say so in one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("error: internal error in kanuu-codegen{location}; please report it with your document");
    }));
    let args = Args::parse();
    match std::panic::catch_unwind(|| run(&args)) {
        Ok(code) => code,
        Err(_) => ExitCode::from(INTERNAL),
    }
}

/// How many changes the summary lists before pointing at the changelog.
const SUMMARY_LINES: usize = 20;

fn run(args: &Args) -> ExitCode {
    let label = args.spec.to_string_lossy().replace('\\', "/");
    let text = match std::fs::read(&args.spec) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: {label}: not UTF-8 text (byte {})", error.utf8_error().valid_up_to());
                return ExitCode::from(BAD_INPUT);
            }
        },
        Err(error) => {
            eprintln!(
                "error: {label}: cannot read the document: {error}\n  help: pass an OpenAPI document with --spec FILE"
            );
            return ExitCode::from(BAD_INPUT);
        }
    };
    // The crate this run replaces decides the next version (rust/CHANGELOG.md).
    let options = Options { crate_name: args.crate_name.clone(), previous_crate: output::previous_crate(&args.out) };
    let generated = match kanuu_codegen::generate(&text, &label, &options) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    for warning in &generated.warnings {
        eprintln!("warning: {label} at {warning}");
    }
    for note in &generated.notes {
        eprintln!("note: {note}");
    }

    let regenerate = regenerate_command(args);
    if args.check {
        let differences = output::check(&args.out, &generated.files);
        if differences.is_empty() {
            return ExitCode::SUCCESS;
        }
        for difference in &differences {
            print!("{}", difference.diff);
        }
        eprintln!("{}", generated.release.summary(SUMMARY_LINES));
        eprintln!(
            "error: {} differs from what {label} produces ({} file(s))\n  help: run `{regenerate}` and review the diff",
            args.out.display(),
            differences.len()
        );
        return ExitCode::from(DIFFERENCES);
    }

    match output::write(&args.out, &generated.files, args.force) {
        Ok(summary) => {
            eprintln!("{}", generated.release.summary(SUMMARY_LINES));
            eprintln!(
                "{}: {} created, {} changed, {} unchanged, {} removed",
                args.out.display(),
                summary.created,
                summary.changed,
                summary.unchanged,
                summary.removed
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(BAD_INPUT)
        }
    }
}

/// The command that regenerates what `--check` compared.
fn regenerate_command(args: &Args) -> String {
    let mut command = String::from("cargo run --release -p kanuu-codegen");
    let defaults = Args::parse_from(["kanuu-codegen"]);
    if args.spec != defaults.spec || args.out != defaults.out || args.crate_name.is_some() {
        command.push_str(&format!(" -- --spec {} --out {}", args.spec.display(), args.out.display()));
        if let Some(name) = &args.crate_name {
            command.push_str(&format!(" --crate-name {name}"));
        }
    }
    command
}
