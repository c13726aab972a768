//! Where rendered files go as soon as each is made.
//!
//! Rendering hands every finished file to a [`FileSink`]: `docket build` writes it into
//! the staging folder at once (see [`crate::output::Staging`]), so the output never has
//! to fit in memory and writing overlaps rendering; `docket check` only counts it
//! ([`Discard`]); callers that want the files in memory use [`Collected`]. The staging
//! folder keeps a build atomic either way.

use std::sync::Mutex;

use crate::render::OutputFile;

/// Takes rendered files; called from several threads at once.
pub trait FileSink: Sync {
    /// Takes one file. An error names what went wrong; rendering carries on and the
    /// build reports it.
    fn put(&self, file: OutputFile) -> Result<(), String>;
}

/// Keeps every file in memory.
#[derive(Default)]
pub struct Collected {
    files: Mutex<Vec<OutputFile>>,
}

impl Collected {
    /// The files, sorted by path; of two files with one path, the first made is kept.
    pub fn into_sorted(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        files
    }
}

impl FileSink for Collected {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.files.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(file);
        Ok(())
    }
}

/// Drops every file: for `docket check`, which renders to find template errors but
/// writes nothing.
pub struct Discard;

impl FileSink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), String> {
        Ok(())
    }
}
