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
//!
//! A build that is killed cannot clean up, so every build does it for the dead: a lock
//! file beside the output keeps two builds apart, and under it the staging and old
//! folders of processes no longer alive are removed (a previous site set aside by a build
//! killed mid-swap is put back first). On Linux the swap itself is one
//! `renameat2(RENAME_EXCHANGE)`, so the output folder exists at every moment. An output
//! that is a symbolic link stays one: the site is written where it points.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::manifest::{Entry, MANIFEST_FILE, Manifest, sha256_hex};
use crate::sink::{Contents, FileSink, OutputFile};

/// The marker file docket leaves in every output folder it writes (defined with the
/// manifest, so the loader can skip output folders without importing this later stage).
pub use crate::manifest::MARKER;

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
    let (root, content, output) = (normalize(root), normalize(content), resolve_output(output));
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

/// The folder a build writes: `output` made absolute and, when it is a symbolic link,
/// the folder it points to, so that the link stays a link and the site lands where it
/// leads (replacing the link by a folder would silently cut the reader's setup).
pub fn resolve_output(output: &Path) -> PathBuf {
    let output = absolute(output);
    match fs::symlink_metadata(&output) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(&output).unwrap_or(output),
        _ => output,
    }
}

/// Writes `files` to `output` atomically (see the module documentation).
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<Committed, WriteError> {
    let staging = Staging::create(output)?;
    match files.par_iter().try_for_each(|file| staging.write(file)) {
        Ok(()) => staging.commit(),
        Err(error) => {
            staging.abandon();
            Err(error)
        }
    }
}

/// What a successful swap left behind: the new site is in place, but the previous one
/// could not be removed (a read-only file in it, say) and still sits beside it.
#[derive(Debug, Default)]
pub struct Committed {
    /// The previous output's folder, when it could not be removed, and why.
    pub leftover: Option<String>,
}

/// A fresh staging folder next to the output folder, which files are written into as
/// they are rendered (from several threads) and which replaces the output folder whole
/// on [`Staging::commit`]. Dropped without a commit, it removes itself, so a failed
/// build leaves the previous output untouched. It holds the output's lock file for its
/// whole life, so two builds never write the same output at once.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    committed: bool,
    /// Hash and size of every file written, for the manifest: hashed while the bytes are
    /// in memory rather than read back from disk.
    written: Mutex<BTreeMap<String, Entry>>,
    /// The locked lock file; closing it releases the lock.
    _lock: Option<fs::File>,
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

/// The names of the folders docket keeps beside an output folder called `name`.
fn sibling(name: &str, kind: &str, pid: u32) -> String {
    format!(".{name}.docket-{kind}-{pid}")
}

impl Staging {
    /// Locks the output, clears what dead builds left beside it and creates an empty
    /// staging folder for it.
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        let output = resolve_output(output);
        let parent = output.parent().ok_or_else(|| WriteError::Refused("the output folder has no parent".into()))?;
        fs::create_dir_all(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
        let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        let lock = lock(parent, &name, &output)?;
        recover_dead_builds(parent, &name, &output);
        let staging = parent.join(sibling(&name, "staging", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| WriteError::Io(staging.clone(), e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| WriteError::Io(staging.clone(), e))?;
        Ok(Staging { staging, output, committed: false, written: Mutex::default(), _lock: lock })
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
                copied = read_plain_file(source).map_err(|e| WriteError::Io(source.clone(), e))?;
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
    pub fn commit(mut self) -> Result<Committed, WriteError> {
        let files = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        write_manifest(&self.staging, &self.output, &Manifest { files })?;
        let marker = self.staging.join(MARKER);
        fs::write(&marker, b"This folder is written by docket; `docket build` replaces it whole.\n")
            .map_err(|e| WriteError::Io(marker, e))?;
        let parent = self.output.parent().expect("Staging::create checked that the output has a parent");
        let name = self.output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let old = swap_in(&self.staging, &self.output, &parent.join(sibling(&name, "old", std::process::id())))?;
        self.committed = true;
        let leftover = old.and_then(|old| {
            fs::remove_dir_all(&old).err().map(|error| {
                format!(
                    "the new site is in {}, but the previous one could not be removed and is still in {}: {error}",
                    self.output.display(),
                    old.display()
                )
            })
        });
        Ok(Committed { leftover })
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

impl FileSink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.write(&file).map_err(|error| error.to_string())
    }
}

/// Reads a file copied into the site (an attachment, a static file) only if it is still a
/// regular file and not a symbolic link: the loader walked without following links, but
/// the file may have been swapped for one (to `/etc/shadow`, `/dev/zero`, a FIFO) since.
/// On Linux it is opened with `O_NOFOLLOW | O_NONBLOCK`, so the swap cannot win a race
/// with the check either.
fn read_plain_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let not_plain =
        || std::io::Error::new(std::io::ErrorKind::InvalidInput, "no longer a regular file in the knowledge base");
    if !fs::symlink_metadata(path)?.is_file() {
        return Err(not_plain());
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_plain());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Takes the output's lock file (`.<name>.docket-lock` beside it) with `flock`, which the
/// kernel releases when the process dies, so a killed build never leaves a stale lock.
/// Another live build holding it is an error naming its process.
#[cfg(target_os = "linux")]
fn lock(parent: &Path, name: &str, output: &Path) -> Result<Option<fs::File>, WriteError> {
    use std::io::{Read, Seek, Write};
    use std::os::fd::AsRawFd;
    let path = parent.join(format!(".{name}.docket-lock"));
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| WriteError::Io(path.clone(), e))?;
    // SAFETY: flock on a file descriptor this function owns; no memory is shared.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let mut holder = String::new();
        let _ = file.read_to_string(&mut holder);
        return Err(WriteError::Refused(format!(
            "another docket build (process {}) is writing {}; wait for it to finish",
            holder.trim(),
            output.display()
        )));
    }
    let _ = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| write!(file, "{}", std::process::id()));
    Ok(Some(file))
}

#[cfg(not(target_os = "linux"))]
fn lock(_parent: &Path, _name: &str, _output: &Path) -> Result<Option<fs::File>, WriteError> {
    Ok(None)
}

/// Whether process `pid` is alive. Where that cannot be asked, every process counts as
/// alive, so nothing is removed that might be in use.
fn alive(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let result = unsafe { libc::kill(pid, 0) };
        result == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        true
    }
}

/// Cleans up after builds that were killed: their staging and old folders beside the
/// output are removed, and if one was killed between the two renames of a swap (no
/// output folder, its previous site set aside) that previous site is put back first.
/// Runs under the lock, so no live build is writing this output.
fn recover_dead_builds(parent: &Path, name: &str, output: &Path) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefix = format!(".{name}.docket-");
    let mut debris: Vec<(PathBuf, bool)> = entries
        .flatten()
        .filter_map(|entry| {
            let file_name = entry.file_name().to_string_lossy().to_string();
            let rest = file_name.strip_prefix(&prefix)?;
            let (kind, pid) = rest.split_once('-')?;
            let pid: u32 = pid.parse().ok()?;
            let dead = pid != std::process::id() && !alive(pid);
            (dead && (kind == "staging" || kind == "old")).then(|| (entry.path(), kind == "old"))
        })
        .collect();
    debris.sort();
    if !output.exists() {
        let previous = debris.iter().find(|(path, old)| *old && path.join(MARKER).exists());
        if let Some((path, _)) = previous {
            let _ = fs::rename(path, output);
        }
    }
    for (path, _) in debris {
        if path.exists() {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// Puts `staging` in the output's place and returns where the previous output now is,
/// for the caller to remove. On Linux the two folders are exchanged in one step
/// (`renameat2(RENAME_EXCHANGE)`), so there is no moment without an output folder; where
/// that is not available (another system, a file system without it) the output is
/// renamed aside and the staging folder renamed in, and put back if that fails.
fn swap_in(staging: &Path, output: &Path, old: &Path) -> Result<Option<PathBuf>, WriteError> {
    if !output.exists() {
        return fs::rename(staging, output).map(|()| None).map_err(|e| WriteError::Io(output.to_path_buf(), e));
    }
    if exchange(staging, output) {
        return Ok(Some(staging.to_path_buf()));
    }
    if old.exists() {
        fs::remove_dir_all(old).map_err(|e| WriteError::Io(old.to_path_buf(), e))?;
    }
    fs::rename(output, old).map_err(|e| WriteError::Io(output.to_path_buf(), e))?;
    if let Err(error) = fs::rename(staging, output) {
        // Put the previous site back: the reader must never be left without one.
        let _ = fs::rename(old, output);
        return Err(WriteError::Io(output.to_path_buf(), error));
    }
    Ok(Some(old.to_path_buf()))
}

/// Exchanges two folders atomically; false when the system cannot, and nothing moved.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) =
        (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // SAFETY: two NUL-terminated paths that live across the call; renameat2 reads them only.
    unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), contents: Contents::Bytes(text.as_bytes().to_vec()) }
    }

    #[test]
    fn a_second_build_of_the_same_output_is_refused_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        let first = Staging::create(&output).expect("first");
        // flock locks belong to the open file, so a second open in this process conflicts
        // just as another process would.
        let second = Staging::create(&output);
        assert!(matches!(second, Err(WriteError::Refused(ref why)) if why.contains("another docket build")));
        drop(first);
        assert!(Staging::create(&output).is_ok());
    }

    #[test]
    fn debris_of_dead_builds_is_removed_and_a_set_aside_site_put_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        // pid 0x7fff_fffe: above pid_max, never alive.
        let dead_old = dir.path().join(".public.docket-old-2147483646");
        let dead_staging = dir.path().join(".public.docket-staging-2147483646");
        fs::create_dir_all(&dead_old).expect("mkdir");
        fs::write(dead_old.join(MARKER), "").expect("write");
        fs::write(dead_old.join("index.html"), "previous").expect("write");
        fs::create_dir_all(&dead_staging).expect("mkdir");
        let staging = Staging::create(&output).expect("create");
        assert_eq!(fs::read_to_string(output.join("index.html")).expect("restored"), "previous");
        assert!(!dead_old.exists() && !dead_staging.exists());
        staging.write(&file("index.html", "new")).expect("write");
        staging.commit().expect("commit");
        assert_eq!(fs::read_to_string(output.join("index.html")).expect("new"), "new");
        let left: Vec<_> = fs::read_dir(dir.path()).expect("read").flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 2, "only the output and its lock file: {left:?}");
    }

    /// Finding 2: an attachment swapped for a link after the walk was copied from where
    /// the link led.
    #[cfg(unix)]
    #[test]
    fn a_copied_file_swapped_for_a_link_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let secret = dir.path().join("secret");
        fs::write(&secret, "secret").expect("write");
        let attachment = dir.path().join("data.txt");
        std::os::unix::fs::symlink(&secret, &attachment).expect("symlink");
        let staging = Staging::create(&dir.path().join("public")).expect("create");
        let file = OutputFile { path: "data.txt".into(), contents: Contents::Copy(attachment) };
        assert!(staging.write(&file).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_is_a_symbolic_link_stays_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real");
        fs::create_dir_all(&real).expect("mkdir");
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        for text in ["one", "two"] {
            let staging = Staging::create(&link).expect("create");
            staging.write(&file("index.html", text)).expect("write");
            staging.commit().expect("commit");
        }
        assert!(fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
        assert_eq!(fs::read_to_string(real.join("index.html")).expect("read"), "two");
    }
}
