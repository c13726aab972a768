//! Stage 5, write: output files → the output folder, staged and swapped in.
//!
//! The site is written into a fresh staging folder next to the output folder, and only
//! when every file is written is the old output moved aside and the staging folder
//! renamed into its place; the old output is then removed. A failed build therefore never
//! touches the previous output. Before the swap the staging folder gets a content-hash
//! manifest, and files unchanged since the previous build get their previous modification
//! time back (see [`crate::manifest`]). Guards refuse an output folder that is the content
//! folder, contains it, is the knowledge-base root or `/`, and refuse to replace a
//! non-empty folder docket did not write (it carries a marker file).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::manifest::{MANIFEST_FILE, Manifest};
use crate::render::{Contents, OutputFile};

/// The marker file docket leaves in every output folder it writes.
pub const MARKER: &str = ".docket-output";

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder is somewhere docket must never write.
    Refused(String),
    /// A file system error.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused(why) => f.write_str(why),
            WriteError::Io(path, error) => write!(f, "{}: {error}", path.display()),
        }
    }
}

/// Checks that `output` is a place docket may replace, before anything is built. The
/// output may sit inside the content folder only when the content folder is the root
/// (a vault), and never be the root itself.
pub fn check_output_folder(root: &Path, content: &Path, output: &Path) -> Result<(), WriteError> {
    let normalize = |p: &Path| absolute(p);
    let (root, content, output) = (normalize(root), normalize(content), normalize(output));
    if output.parent().is_none() {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: that is the file system root",
            output.display()
        )));
    }
    if output == root {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: that is the knowledge base's root",
            output.display()
        )));
    }
    if content.starts_with(&output) {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: it is or contains the content folder {}",
            output.display(),
            content.display()
        )));
    }
    // A root that is its own content folder (a vault) may hold the output: the loader
    // skips folders carrying docket's marker.
    if output.starts_with(&content) && content != root {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: it is inside the content folder",
            output.display()
        )));
    }
    if output.is_file() {
        return Err(WriteError::Refused(format!("refusing to write the site to {}: it is a file", output.display())));
    }
    if output.is_dir()
        && !output.join(MARKER).exists()
        && fs::read_dir(&output).map(|mut d| d.next().is_some()).unwrap_or(false)
    {
        return Err(WriteError::Refused(format!(
            "refusing to replace {}: it is not empty and was not written by docket (no {MARKER} file)",
            output.display()
        )));
    }
    Ok(())
}

/// A path made absolute and cleaned of `.` and `..` without touching the disk (the
/// output folder may not exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// Writes `files` to `output` atomically (see the module documentation).
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let output = absolute(output);
    let parent = output.parent().ok_or_else(|| WriteError::Refused("the output folder has no parent".into()))?;
    fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
    let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.docket-staging-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| WriteError::Io(staging.clone(), e))?;
    }
    let result = write_all(&staging, files)
        .and_then(|()| write_manifest(&staging, &output, files))
        .and_then(|()| swap_in(&staging, &output, parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    fs::create_dir_all(staging).map_err(|e| WriteError::Io(staging.to_path_buf(), e))?;
    let mut folders: Vec<PathBuf> =
        files.iter().filter_map(|f| Path::new(&f.path).parent().map(Path::to_path_buf)).collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        let dir = staging.join(folder);
        fs::create_dir_all(&dir).map_err(|e| WriteError::Io(dir, e))?;
    }
    files.par_iter().try_for_each(|file| write_one(staging, file))?;
    let marker = staging.join(MARKER);
    fs::write(&marker, b"This folder is written by docket; `docket build` replaces it whole.\n")
        .map_err(|e| WriteError::Io(marker, e))
}

/// Writes the content-hash manifest into `staging` and gives unchanged files their
/// previous modification time (see [`crate::manifest`]).
fn write_manifest(staging: &Path, output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    if files.iter().any(|f| f.path == MANIFEST_FILE) {
        return Err(WriteError::Refused(format!(
            "a file of the site is named {MANIFEST_FILE}, which docket writes itself; rename it"
        )));
    }
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let manifest = Manifest::of_folder(staging, &paths).map_err(|e| WriteError::Io(staging.to_path_buf(), e))?;
    if let Some(previous) = Manifest::read(output) {
        manifest.keep_unchanged_times(&previous, output, staging);
    }
    let target = staging.join(MANIFEST_FILE);
    fs::write(&target, manifest.to_json()).map_err(|e| WriteError::Io(target, e))
}

fn write_one(staging: &Path, file: &OutputFile) -> Result<(), WriteError> {
    let target = staging.join(&file.path);
    let result = match &file.contents {
        Contents::Bytes(bytes) => fs::File::create(&target).and_then(|mut f| f.write_all(bytes)),
        Contents::Shared(bytes) => fs::File::create(&target).and_then(|mut f| f.write_all(bytes)),
        Contents::Copy(source) => fs::copy(source, &target).map(|_| ()),
    };
    result.map_err(|e| WriteError::Io(target, e))
}

fn swap_in(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| WriteError::Io(output.to_path_buf(), e));
    }
    let old = parent.join(format!(".{name}.docket-old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| WriteError::Io(old.clone(), e))?;
    }
    fs::rename(output, &old).map_err(|e| WriteError::Io(output.to_path_buf(), e))?;
    if let Err(error) = fs::rename(staging, output) {
        // Put the previous site back: the reader must never be left without one.
        let _ = fs::rename(&old, output);
        return Err(WriteError::Io(output.to_path_buf(), error));
    }
    fs::remove_dir_all(&old).map_err(|e| WriteError::Io(old, e))
}
