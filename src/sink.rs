//! The files of a site, and where they go as soon as each is made.
//!
//! [`OutputFile`] and [`Contents`] are what rendering makes and what the write stage, the
//! exporter and `docket serve` take; they live on the ground floor, with the sinks, so
//! that the write stage does not import the render stage to name what it writes.
//!
//! Rendering hands every finished file to a [`FileSink`]: `docket build` writes it into
//! the staging folder at once (see [`crate::output::Staging`]), so the output never has
//! to fit in memory and writing overlaps rendering; `docket check` only counts it
//! ([`Discard`]); callers that want the files in memory use [`Collected`]. The staging
//! folder keeps a build atomic either way.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What an output file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contents {
    /// Bytes rendered in memory.
    Bytes(Vec<u8>),
    /// A file copied as it is (attachments, site static files).
    Copy(PathBuf),
    /// Bytes rendered in memory and shared with the page cache of `docket serve`.
    Shared(Arc<[u8]>),
}

impl Contents {
    /// The bytes, when they are in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Contents::Bytes(bytes) => Some(bytes),
            Contents::Shared(bytes) => Some(bytes),
            Contents::Copy(_) => None,
        }
    }
}

/// One file of the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, `/` separators.
    pub path: String,
    /// Its contents.
    pub contents: Contents,
}

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
