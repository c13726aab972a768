//! Where rendered files go as soon as each is made.
//!
//! Rendering hands every finished file to a [`FileSink`]: `docket build` writes it into
//! the staging folder at once (see [`crate::output::Staging`]), so the output never has
//! to fit in memory and writing overlaps rendering; `docket check` only counts it
//! ([`Discard`]); callers that want the files in memory use [`Collected`]. The staging
//! folder keeps a build atomic either way.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::render::OutputFile;

/// Takes rendered files; called from several threads at once.
pub trait FileSink: Sync {
    /// Takes one file. An error names what went wrong; rendering carries on and the
    /// build reports it.
    fn put(&self, file: OutputFile) -> Result<(), String>;

    /// Whether the files are kept: a sink that drops them (`docket check`) needs no
    /// search index.
    fn keeps_files(&self) -> bool {
        true
    }
}

/// Keeps every file in memory, by path.
#[derive(Default)]
pub struct Collected {
    files: Mutex<BTreeMap<String, OutputFile>>,
}

impl Collected {
    /// The files, sorted by path; of two files with one path, the first made is kept.
    pub fn into_sorted(self) -> Vec<OutputFile> {
        self.files.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()).into_values().collect()
    }
}

impl FileSink for Collected {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        let mut files = self.files.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        files.entry(file.path.clone()).or_insert(file);
        Ok(())
    }
}

/// Drops every file: for `docket check`, which renders to find template errors but
/// writes nothing (and so builds no search index).
pub struct Discard;

impl FileSink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), String> {
        Ok(())
    }

    fn keeps_files(&self) -> bool {
        false
    }
}
