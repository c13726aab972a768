//! A small builder for fixture knowledge bases: write files, build, read the output.

use std::path::{Path, PathBuf};

use docket::diagnostics::{Diagnostic, Severity};
use docket::{BuildOptions, Report};

/// A knowledge base in a temporary folder.
pub(crate) struct Kb {
    dir: tempfile::TempDir,
}

/// The configuration every fixture starts with: a fixed as-of date keeps output stable.
pub(crate) const CONFIG: &str = "title = \"Fixture KB\"\nbase_url = \"https://example.org/\"\nas_of = 2026-07-15\n";

impl Kb {
    /// An empty knowledge base with the standard configuration.
    pub(crate) fn new() -> Kb {
        let kb = Kb { dir: tempfile::tempdir().expect("temp dir") };
        kb.write("docket.toml", CONFIG);
        kb
    }

    /// A copy of a fixture folder under `tests/fixtures/`.
    pub(crate) fn fixture(name: &str) -> Kb {
        let kb = Kb { dir: tempfile::tempdir().expect("temp dir") };
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        copy_dir(&source, kb.root());
        kb
    }

    /// Writes a file (creating folders), returning the knowledge base for chaining.
    pub(crate) fn write(&self, path: &str, text: &str) -> &Kb {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(target, text).expect("write");
        self
    }

    /// The root folder.
    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Default build options for this knowledge base.
    pub(crate) fn options(&self) -> BuildOptions {
        BuildOptions { root: self.root().to_path_buf(), ..BuildOptions::default() }
    }

    /// Builds; panics with the rendered diagnostics if the build fails.
    pub(crate) fn build(&self) -> Report {
        let report = docket::build(&self.options());
        assert!(report.succeeded(), "build failed:\n{}", report.diagnostics.render(self.root(), false));
        report
    }

    /// Builds, expecting failure.
    pub(crate) fn build_fails(&self) -> Report {
        let report = docket::build(&self.options());
        assert!(!report.succeeded(), "the build should have failed");
        report
    }

    /// Reads an output file of the default output folder.
    pub(crate) fn output(&self, path: &str) -> String {
        let file = self.root().join("public").join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()))
    }

    /// The output folder.
    pub(crate) fn public(&self) -> PathBuf {
        self.root().join("public")
    }
}

/// Copies a folder recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under a folder with its bytes, sorted by path.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).expect("inside").display().to_string(), std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// The one diagnostic with this code, or a panic listing them all.
pub(crate) fn only<'a>(report: &'a Report, code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one `{code}` diagnostic, got: {:#?}", report.diagnostics);
    found[0]
}

/// Asserts a diagnostic's file, line, column and severity.
pub(crate) fn assert_at(diagnostic: &Diagnostic, path: &str, line: usize, column: usize, severity: Severity) {
    assert_eq!(
        (diagnostic.path.display().to_string().as_str(), diagnostic.line, diagnostic.column, diagnostic.severity),
        (path, line, column, severity),
        "{diagnostic:#?}"
    );
}
