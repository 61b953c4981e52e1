//! kanuu-codegen: an OpenAPI document in, a typed Rust client crate and
//! reference pages out.
//!
//! The library is pure: [`generate`] maps the document's text to a list of
//! files and never touches the disk. The CLI (`main.rs`) and [`output`] do
//! the file work; golden tests and `--check` call the same function.

pub mod docs;
pub mod error;
pub mod examples;
pub mod ir;
mod load;
mod lower;
pub mod output;
pub mod rust;
mod unique;

pub use error::{Error, Warning};

/// One generated file, with a `/`-separated path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: String,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, contents: impl Into<String>) -> Self {
        OutputFile { path: path.into(), contents: contents.into() }
    }
}

/// What the caller decides rather than the document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The package name of the Rust crate; by default from the document.
    pub crate_name: Option<String>,
    /// The crate this run replaces (the output folder's `rust/`, paths
    /// relative to it): its public API, version and changelog decide the
    /// new version. `None` for a new crate.
    pub previous_crate: Option<Vec<OutputFile>>,
}

/// Everything one run produces.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Files in path order: the crate under `rust/` and the manifest.
    pub files: Vec<OutputFile>,
    /// Fallbacks the user may want to look at.
    pub warnings: Vec<Warning>,
    /// What the new crate means for its users: version and changes.
    pub release: rust::release::Release,
    /// What was read from the document that isn't a warning but shouldn't
    /// go unsaid: which lists page, and how they were found to.
    pub notes: Vec<String>,
}

/// Reads, validates and lowers a document into the IR.
///
/// `file` is how messages and file headers name the document.
pub fn parse(text: &str, file: &str) -> Result<(ir::Api, Vec<Warning>), Error> {
    let document = load::parse(text, file)?;
    lower::lower(&document, file)
}

/// Generates every output file from a document's text.
pub fn generate(text: &str, file: &str, options: &Options) -> Result<Generated, Error> {
    on_a_deep_stack(file, || generate_here(text, file, options))
}

fn generate_here(text: &str, file: &str, options: &Options) -> Result<Generated, Error> {
    let document = load::parse(text, file)?;
    let (api, warnings) = lower::lower(&document, file)?;
    // The pages' `openapi.json` is the written document; the rest is freed
    // by the pages' thread, which has less to do than the crate's.
    let (written, read) = document.into_written();
    let crate_name = match options.crate_name.clone().or_else(|| api.rust_crate.name.clone()) {
        Some(name) => name,
        None => crate_name_from_title(&api.title),
    };
    if !valid_crate_name(&crate_name) {
        return Err(Error::new(file, None, format!("`{crate_name}` is not a valid crate name"))
            .help("pass --crate-name with letters, digits, `-` and `_`, starting with a letter"));
    }
    let kept_names = rust::kept_names(options.previous_crate.as_deref());
    let rust_options = rust::RustOptions { crate_name, spec_label: file.to_owned(), kept_names };
    // One plan names everything, for the crate and for the pages' Rust snippets.
    let plan = rust::Plan::new(&api, &rust_options);
    // The pages don't need the crate: they are made alongside it.
    let pages = || {
        drop(read);
        docs::emit(&plan, written, text.len())
    };
    let (crate_files, pages) = alongside(|| rust::emit(&plan), pages)?;
    let mut crate_files = crate_files?;
    let release = rust::set_release(&plan, &mut crate_files, options.previous_crate.as_deref());
    let mut files: Vec<OutputFile> =
        crate_files.into_iter().map(|f| OutputFile::new(format!("rust/{}", f.path), f.contents)).collect();
    files.extend(pages?.into_iter().map(|f| OutputFile::new(format!("docs/{}", f.path), f.contents)));
    files.push(output::manifest(&files));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let notes = paging_notes(&api);
    Ok(Generated { files, warnings, release, notes })
}

/// How many operations page, by what declared it, with the first few
/// names: paging found from a `Link` header is the one kind not declared
/// as such, so the user sees which operations it was read for.
fn paging_notes(api: &ir::Api) -> Vec<String> {
    const SHOWN: usize = 5;
    let mut by_declaration: Vec<(&str, Vec<&str>)> = Vec::new();
    for op in &api.operations {
        let Some(paging) = &op.paging else { continue };
        match by_declaration.iter_mut().find(|(declared_by, _)| *declared_by == paging.declared_by) {
            Some((_, names)) => names.push(&op.name),
            None => by_declaration.push((&paging.declared_by, vec![&op.name])),
        }
    }
    by_declaration
        .into_iter()
        .map(|(declared_by, names)| {
            let mut shown = names.iter().take(SHOWN).map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
            if names.len() > SHOWN {
                shown.push_str(&format!(" and {} more", names.len() - SHOWN));
            }
            let operations = if names.len() == 1 { "operation pages" } else { "operations page" };
            format!(
                "{} {operations} as {declared_by} says ({shown}): `pages()` and `items()` read them to the end",
                names.len()
            )
        })
        .collect()
}

/// Stack for one run. Passes recurse along the document's nesting, which the
/// parsers cap at 128 levels, and along `$ref` chains, which lowering caps
/// (`lower::references`); the deepest the caps allow needs far more than the
/// 2 MiB a caller's spawned thread may have. It is reserved, not used: pages
/// are only touched as deep recursion reaches them.
const STACK_BYTES: usize = 256 << 20;

/// A thread with [`STACK_BYTES`] of stack, for generation's work.
pub(crate) fn deep_thread() -> std::thread::Builder {
    std::thread::Builder::new().name("kanuu-codegen".to_owned()).stack_size(STACK_BYTES)
}

/// The error when the system gives no thread to generate on.
fn no_thread(file: &str, error: std::io::Error) -> Error {
    Error::new(file, None, format!("cannot start a thread to generate on: {error}"))
        .help("raise the process's thread or memory limits (ulimit -u, ulimit -v)")
}

/// Runs `work` on a thread with [`STACK_BYTES`] of stack, so how deep a
/// document nests decides at most an error message, never a crash. A panic
/// is passed on to the caller as if `work` ran on its thread.
fn on_a_deep_stack<T: Send>(file: &str, work: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    std::thread::scope(|scope| match deep_thread().spawn_scoped(scope, work) {
        Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(error) => Err(no_thread(file, error)),
    })
}

/// Runs `first` here and `second` on a thread of its own, at once.
fn alongside<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> Result<(A, B), Error> {
    std::thread::scope(|scope| {
        let second = deep_thread().spawn_scoped(scope, second);
        let first = first();
        match second {
            Ok(handle) => Ok((first, handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))),
            Err(error) => Err(no_thread("kanuu-codegen", error)),
        }
    })
}

/// Runs `jobs` on as many threads as the machine has cores (each with
/// [`STACK_BYTES`] of stack), each thread taking the next job when it is
/// done with one, and returns their results in job order. The first error
/// (in job order) wins; a panic is passed on to the caller.
pub(crate) fn in_parallel<T: Send>(jobs: Vec<impl FnOnce() -> Result<T, Error> + Send>) -> Result<Vec<T>, Error> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let count = jobs.len();
    let jobs: Vec<Mutex<Option<_>>> = jobs.into_iter().map(|job| Mutex::new(Some(job))).collect();
    let results: Vec<Mutex<Option<Result<T, Error>>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(index) else { break };
            // A job is taken once; a lock is only poisoned by a panic, which `join` passes on.
            let job = job.lock().ok().and_then(|mut job| job.take());
            if let (Some(job), Ok(mut result)) = (job, results[index].lock()) {
                *result = Some(job());
            }
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(count);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| deep_thread().spawn_scoped(scope, work)).collect();
        for handle in handles {
            match handle {
                Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(error) => return Err(no_thread("kanuu-codegen", error)),
            }
        }
        Ok(())
    })?;
    results
        .into_iter()
        .map(|result| {
            result
                .into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(no_thread("kanuu-codegen", std::io::Error::other("a job did not run"))))
        })
        .collect()
}

/// "Kanuu" → `kanuu`; "Swagger Petstore - OpenAPI 3.0" → `swagger-petstore-openapi-3-0`.
/// A long title keeps its first words, up to crates.io's 64 characters.
pub fn crate_name_from_title(title: &str) -> String {
    use heck::ToKebabCase;
    const MAX: usize = 64;
    let ascii: String = title.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let name = ascii.to_kebab_case();
    let name = match name.chars().next() {
        None => "api-client".to_owned(),
        Some(first) if first.is_ascii_digit() => format!("api-{name}"),
        Some(_) => name,
    };
    if name.len() <= MAX {
        return name;
    }
    // Whole words only: cut at the last `-` that leaves at most MAX characters.
    let cut = name[..=MAX].rfind('-').filter(|&at| at > 0).unwrap_or(MAX);
    name[..cut].to_owned()
}

fn valid_crate_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_give_crate_names_of_whole_words_within_64_characters() {
        let title = "U.S. EPA Enforcement and Compliance History Online (ECHO) - Clean Water Act (CWA) REST Services";
        let name = crate_name_from_title(title);
        assert_eq!(name, "u-s-epa-enforcement-and-compliance-history-online-echo-clean");
        assert!(valid_crate_name(&name));
        assert_eq!(crate_name_from_title(&"x".repeat(80)), "x".repeat(64), "one long word is cut");
        assert_eq!(crate_name_from_title("Kanuu"), "kanuu");
    }
}
