//! The content-hash manifest of an output folder, and keeping modification times of
//! files that did not change.
//!
//! Every file is hashed (SHA-256) as the write stage puts it in the staging folder, into a
//! [`Manifest`]: output path → hash and size, sorted by path, written as
//! `docket-manifest.json` at the site root. Deploy tools compare it with the previous one
//! and upload only what changed. The name avoids `manifest.json`, which sites use for the
//! web-app manifest.
//!
//! Every build writes fresh files, so their modification times would all be "now" and
//! tools that sync by time (rsync, S3 sync) would upload everything. Before the staging
//! folder is swapped in, each file whose hash and size equal the previous build's (read
//! from the previous manifest) gets the previous file's modification time back.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The marker file docket leaves in every output folder it writes. It lives here, beside
/// the other file docket puts in every output, rather than in `output`, so that `load`
/// can skip output folders found in the content folder without importing the last stage.
pub const MARKER: &str = ".docket-output";

/// The manifest's file name at the root of the output.
pub const MANIFEST_FILE: &str = "docket-manifest.json";

/// Hash and size of one output file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// SHA-256 of the contents, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// Every file of an output folder but the manifest and docket's marker, by path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Output path (`/` separators) → hash and size, sorted by path.
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Hashes every file of `dir` listed in `paths`.
    pub fn of_folder(dir: &Path, paths: &[&str]) -> std::io::Result<Manifest> {
        let entries: std::io::Result<Vec<(String, Entry)>> = paths
            .par_iter()
            .map(|path| {
                let bytes = std::fs::read(dir.join(path))?;
                Ok((path.to_string(), Entry { sha256: sha256_hex(&bytes), size: bytes.len() as u64 }))
            })
            .collect();
        Ok(Manifest { files: entries?.into_iter().collect() })
    }

    /// Reads the manifest a previous build left in `dir`, if any and readable.
    pub fn read(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read(dir.join(MANIFEST_FILE)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// The manifest as pretty JSON, the same bytes for the same files.
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).expect("a map of strings serialises");
        json.push(b'\n');
        json
    }

    /// Gives every file of `staging` that is unchanged since `previous` (same hash and
    /// size, file still present in `old_dir`) the modification time of its old copy.
    /// Returns how many files kept their time.
    pub fn keep_unchanged_times(&self, previous: &Manifest, old_dir: &Path, staging: &Path) -> usize {
        self.files
            .par_iter()
            .filter(|(path, entry)| previous.files.get(*path) == Some(entry))
            .filter(|(path, _)| copy_modified_time(&old_dir.join(path), &staging.join(path)).is_ok())
            .count()
    }
}

fn copy_modified_time(from: &Path, to: &Path) -> std::io::Result<()> {
    let modified = std::fs::metadata(from)?.modified()?;
    std::fs::File::options().write(true).open(to)?.set_modified(modified)
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).expect("a nibble is a hex digit"));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).expect("a nibble is a hex digit"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_known_vector() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn the_json_is_sorted_and_stable() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("b.txt"), "b").expect("write");
        std::fs::write(dir.path().join("a.txt"), "a").expect("write");
        let one = Manifest::of_folder(dir.path(), &["b.txt", "a.txt"]).expect("hash");
        let two = Manifest::of_folder(dir.path(), &["a.txt", "b.txt"]).expect("hash");
        assert_eq!(one.to_json(), two.to_json());
        let json = String::from_utf8(one.to_json()).expect("utf-8");
        assert!(json.find("a.txt") < json.find("b.txt"), "{json}");
        assert_eq!(serde_json::from_str::<Manifest>(&json).expect("reads back"), one);
    }
}
