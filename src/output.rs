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

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::manifest::{Entry, MANIFEST_FILE, Manifest, sha256_hex};
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
    let staging = Staging::create(output)?;
    match files.par_iter().try_for_each(|file| staging.write(file)) {
        Ok(()) => staging.commit(),
        Err(error) => {
            staging.abandon();
            Err(error)
        }
    }
}

/// A fresh staging folder next to the output folder, which files are written into as
/// they are rendered (from several threads) and which replaces the output folder whole
/// on [`Staging::commit`]. Dropped without a commit, it removes itself, so a failed
/// build leaves the previous output untouched.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    committed: bool,
    /// Hash and size of every file written, for the manifest: hashed while the bytes are
    /// in memory rather than read back from disk.
    written: Mutex<BTreeMap<String, Entry>>,
}

/// Writes the content-hash manifest into `staging` and gives unchanged files their
/// previous modification time (see [`crate::manifest`]).
fn write_manifest(staging: &Path, output: &Path, manifest: &Manifest) -> Result<(), WriteError> {
    if manifest.files.contains_key(MANIFEST_FILE) {
        return Err(WriteError::Refused(format!(
            "a file of the site is named {MANIFEST_FILE}, which docket writes itself; rename it"
        )));
    }
    if let Some(previous) = Manifest::read(output) {
        manifest.keep_unchanged_times(&previous, output, staging);
    }
    let target = staging.join(MANIFEST_FILE);
    fs::write(&target, manifest.to_json()).map_err(|e| WriteError::Io(target, e))
}

impl Staging {
    /// Creates an empty staging folder for `output`.
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        let output = absolute(output);
        let parent = output.parent().ok_or_else(|| WriteError::Refused("the output folder has no parent".into()))?;
        fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
        let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        let staging = parent.join(format!(".{name}.docket-staging-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| WriteError::Io(staging.clone(), e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| WriteError::Io(staging.clone(), e))?;
        Ok(Staging { staging, output, committed: false, written: Mutex::default() })
    }

    /// Writes one file into the staging folder, creating its folder.
    pub fn write(&self, file: &OutputFile) -> Result<(), WriteError> {
        let target = self.staging.join(&file.path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| WriteError::Io(folder.to_path_buf(), e))?;
        }
        let copied;
        let bytes: &[u8] = match &file.contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Shared(bytes) => bytes,
            Contents::Copy(source) => {
                copied = fs::read(source).map_err(|e| WriteError::Io(source.clone(), e))?;
                &copied
            }
        };
        fs::write(&target, bytes).map_err(|e| WriteError::Io(target, e))?;
        let entry = Entry { sha256: sha256_hex(bytes), size: bytes.len() as u64 };
        self.written.lock().unwrap_or_else(|e| e.into_inner()).insert(file.path.clone(), entry);
        Ok(())
    }

    /// Writes the manifest of the files written, marks the staging folder as docket's
    /// output and swaps it in for the output folder.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let files = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        write_manifest(&self.staging, &self.output, &Manifest { files })?;
        let marker = self.staging.join(MARKER);
        fs::write(&marker, b"This folder is written by docket; `docket build` replaces it whole.\n")
            .map_err(|e| WriteError::Io(marker, e))?;
        let parent = self.output.parent().expect("Staging::create checked that the output has a parent");
        let name = self.output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let result = swap_in(&self.staging, &self.output, parent, &name);
        self.committed = result.is_ok();
        result
    }

    /// Removes the staging folder: the build failed.
    pub fn abandon(self) {}
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

impl crate::render::FileSink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.write(&file).map_err(|error| error.to_string())
    }
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
