//! The output folder: writing it safely and comparing it with what a
//! document produces.
//!
//! A run writes the new tree into a staging folder beside the output folder
//! and swaps it in, so a failed or interrupted run leaves the old tree whole.
//! A manifest lists the files the generator wrote; only those are ever
//! replaced or removed, and files it did not write are carried over.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::OutputFile;

/// The file in the output folder that lists what the generator wrote.
pub const MANIFEST: &str = ".kanuu-codegen-manifest";

/// The manifest for a set of generated files (it lists itself too).
pub fn manifest(files: &[OutputFile]) -> OutputFile {
    let mut paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.insert(MANIFEST);
    let mut text = String::from("# Files written by kanuu-codegen; it replaces or removes only these.\n");
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    OutputFile::new(MANIFEST, text)
}

/// Why the output folder could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The folder has files the generator did not write and no manifest.
    NotGenerated(PathBuf),
    NotAFolder(PathBuf),
    Io {
        path: PathBuf,
        error: io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotGenerated(path) => write!(
                f,
                "{} has files kanuu-codegen did not write (no {MANIFEST}); refusing to write into it\n  help: choose an empty or new folder, or pass --force to write anyway",
                path.display()
            ),
            WriteError::NotAFolder(path) => {
                write!(f, "{} is a file, not a folder\n  help: pass a folder to --out", path.display())
            }
            WriteError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |error| WriteError::Io { path: path.to_owned(), error }
}

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Replaces the generated files in `out` with `files` (which include the manifest).
pub fn write(out: &Path, files: &[OutputFile], force: bool) -> Result<WriteSummary, WriteError> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let staging = parent.join(format!(".{name}.kanuu-codegen-staging"));
    let backup = parent.join(format!(".{name}.kanuu-codegen-old"));

    // A run interrupted between the two renames below left only the backup.
    if !out.exists() && backup.is_dir() {
        fs::rename(&backup, out).map_err(io_error(out))?;
    }
    if out.exists() && !out.is_dir() {
        return Err(WriteError::NotAFolder(out.to_owned()));
    }
    let old = read_manifest(out);
    let existing = list_files(out).map_err(io_error(out))?;
    if old.is_none() && !existing.is_empty() && !force {
        return Err(WriteError::NotGenerated(out.to_owned()));
    }
    let old = old.unwrap_or_default();

    // Compare before writing: a file that is already right is not written
    // again, and a run that changes nothing touches nothing, so its files keep
    // their timestamps and cargo has nothing to rebuild.
    let new_paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut summary = WriteSummary::default();
    let mut unchanged = BTreeSet::new();
    let current =
        each_file(files, |file| Ok(fs::read(out.join(&file.path)).map(|current| current == file.contents.as_bytes())))?;
    for (file, current) in files.iter().zip(current) {
        match current {
            Ok(true) => {
                summary.unchanged += 1;
                unchanged.insert(file.path.as_str());
            }
            Ok(false) => summary.changed += 1,
            Err(_) => summary.created += 1,
        }
    }
    summary.removed = existing.iter().filter(|path| old.contains(*path) && !new_paths.contains(path.as_str())).count();

    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
    }
    if summary.created + summary.changed + summary.removed == 0 {
        if backup.is_dir() {
            fs::remove_dir_all(&backup).map_err(io_error(&backup))?;
        }
        return Ok(summary);
    }
    fs::create_dir_all(&staging).map_err(io_error(&staging))?;

    // Files the generator did not write are carried over untouched.
    for path in &existing {
        if !old.contains(path) && !new_paths.contains(path.as_str()) {
            copy(&out.join(path), &staging.join(path))?;
        }
    }
    let folders: BTreeSet<PathBuf> =
        files.iter().filter_map(|file| staging.join(&file.path).parent().map(Path::to_owned)).collect();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(io_error(folder))?;
    }
    each_file(files, |file| {
        let target = staging.join(&file.path);
        // An unchanged file moves into the new tree as itself (a second link
        // to it), keeping its timestamp; where links are not supported it is
        // written again.
        let linked = unchanged.contains(file.path.as_str()) && fs::hard_link(out.join(&file.path), &target).is_ok();
        if !linked {
            fs::write(&target, &file.contents).map_err(|error| WriteError::Io { path: target, error })?;
        }
        Ok(())
    })?;

    if out.exists() {
        if backup.exists() {
            fs::remove_dir_all(&backup).map_err(io_error(&backup))?;
        }
        fs::rename(out, &backup).map_err(io_error(out))?;
        if let Err(error) = fs::rename(&staging, out) {
            // Put the old tree back before reporting.
            let _ = fs::rename(&backup, out);
            return Err(WriteError::Io { path: out.to_owned(), error });
        }
        fs::remove_dir_all(&backup).map_err(io_error(&backup))?;
    } else {
        fs::rename(&staging, out).map_err(io_error(out))?;
    }
    Ok(summary)
}

/// One way the folder differs from what the document produces.
#[derive(Debug, PartialEq, Eq)]
pub struct Difference {
    pub path: String,
    /// A unified diff from the folder's version to the expected one.
    pub diff: String,
}

/// Compares `out` with `files`; empty when they match.
/// The crate an earlier run wrote into `out` (the files its manifest lists
/// under `rust/`, with paths relative to the crate), to compare the new one
/// with; `None` when there is none.
pub fn previous_crate(out: &Path) -> Option<Vec<OutputFile>> {
    let listed = read_manifest(out)?;
    let files: Vec<OutputFile> = listed
        .iter()
        .filter_map(|path| path.strip_prefix("rust/"))
        .filter_map(|path| Some(OutputFile::new(path, fs::read_to_string(out.join("rust").join(path)).ok()?)))
        .collect();
    files.iter().any(|f| f.path == "Cargo.toml").then_some(files)
}

pub fn check(out: &Path, files: &[OutputFile]) -> Vec<Difference> {
    let mut differences = Vec::new();
    for file in files {
        let current = fs::read(out.join(&file.path)).ok().map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        if current.as_deref() != Some(file.contents.as_str()) {
            differences.push(Difference {
                path: file.path.clone(),
                diff: unified_diff(&file.path, current.as_deref(), Some(&file.contents)),
            });
        }
    }
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for path in read_manifest(out).unwrap_or_default() {
        if !expected.contains(path.as_str()) && out.join(&path).exists() {
            let current = fs::read_to_string(out.join(&path)).unwrap_or_default();
            differences.push(Difference { diff: unified_diff(&path, Some(&current), None), path });
        }
    }
    differences
}

/// A unified diff of one file; `None` is a file that doesn't exist.
pub fn unified_diff(path: &str, old: Option<&str>, new: Option<&str>) -> String {
    let diff = similar::TextDiff::from_lines(old.unwrap_or(""), new.unwrap_or(""));
    let old_name = if old.is_some() { format!("a/{path}") } else { "/dev/null".to_owned() };
    let new_name = if new.is_some() { format!("b/{path}") } else { "/dev/null".to_owned() };
    diff.unified_diff().context_radius(3).header(&old_name, &new_name).to_string()
}

/// The paths the last run wrote, if `out` was written by the generator.
fn read_manifest(out: &Path) -> Option<BTreeSet<String>> {
    let text = fs::read_to_string(out.join(MANIFEST)).ok()?;
    Some(
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_owned)
            .collect(),
    )
}

/// Every file under `root`, as `/`-separated relative paths; none if it doesn't exist.
fn list_files(root: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    if !root.is_dir() {
        return Ok(files);
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        for entry in fs::read_dir(root.join(&relative))? {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                files.push(path.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// `work` for each file, on as many threads as the machine has cores (GitHub's
/// 1,300 files into tmpfs: 25 ms on two, 42 ms on one); the results in file
/// order, or the first error in file order.
fn each_file<T: Send>(
    files: &[OutputFile],
    work: impl Fn(&OutputFile) -> Result<T, WriteError> + Sync,
) -> Result<Vec<T>, WriteError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = files.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let run = move |part: &[OutputFile]| part.iter().map(work).collect::<Vec<_>>();
        // A part whose thread can't be started runs here.
        let parts: Vec<_> = files
            .chunks(per_thread)
            .map(|part| std::thread::Builder::new().spawn_scoped(scope, move || run(part)).map_err(|_| part))
            .collect();
        let results = parts.into_iter().flat_map(|part| match part {
            Ok(thread) => thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(part) => run(part),
        });
        results.collect()
    })
}

fn copy(from: &Path, to: &Path) -> Result<(), WriteError> {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    fs::copy(from, to).map(|_| ()).map_err(io_error(from))
}
