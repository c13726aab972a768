//! Embeds the default theme: writes a table of every file under `themes/default/` into
//! `$OUT_DIR/default_theme.rs`, each as `include_bytes!`, so `docket build` needs no theme
//! files on disk. Also records the commit and its date for `docket --version`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    record_commit();
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let theme = root.join("themes").join("default");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut table = String::from(
        "/// Every file of the default theme: path under the theme folder, contents.\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for (relative, absolute) in &files {
        println!("cargo:rerun-if-changed={}", absolute.display());
        writeln!(table, "    ({relative:?}, include_bytes!({:?})),", absolute.display().to_string())
            .expect("writing to a String");
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("default_theme.rs");
    std::fs::write(out, table).expect("OUT_DIR is writable");
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else if let Ok(relative) = path.strip_prefix(base) {
            files.push((relative.to_string_lossy().replace('\\', "/"), path));
        }
    }
}

/// Sets DOCKET_COMMIT and DOCKET_COMMIT_DATE; `unknown` when the source is not a Git
/// checkout (a crates.io download, a tarball).
fn record_commit() {
    let commit = git(&["rev-parse", "--short=10", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let date = git(&["log", "-1", "--format=%cs"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=DOCKET_COMMIT={commit}");
    println!("cargo:rustc-env=DOCKET_COMMIT_DATE={date}");
    // Rerun when HEAD moves: its reflog grows with every commit, checkout and reset.
    for path in ["HEAD", "logs/HEAD"] {
        if let Some(file) = git(&["rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={file}");
        }
    }
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !text.is_empty()).then_some(text)
}
