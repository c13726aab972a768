//! Diagnostics are values.
//!
//! Every stage of the pipeline pushes what it finds wrong into a [`Diagnostics`] list instead
//! of returning at the first problem, so one run reports everything. A [`Diagnostic`] names
//! the file, the byte range inside it, the 1-based line and column of that range's start,
//! a message saying what is wrong and a hint saying what would be right.
//!
//! Rendering for people goes through `codespan-reporting` (rustc-style caret snippets);
//! rendering for machines is the serde form of the same values (`--format json`).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;

use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use serde::Serialize;

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot succeed.
    Error,
    /// Worth a look; the build goes on.
    Warning,
}

/// One problem found in the input, with its position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short stable code, e.g. `front-matter`, `unresolved-reference`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file, relative to the knowledge-base root where possible.
    pub path: PathBuf,
    /// 1-based line of the problem (0 when the problem concerns the whole file).
    pub line: usize,
    /// 1-based column, counted in characters (0 when the problem concerns the whole file).
    pub column: usize,
    /// Byte range of the problem in the file as read (after a byte-order mark).
    #[serde(skip)]
    pub range: Option<Range<usize>>,
    /// What would be right.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Other places involved (the first definition of a duplicate id, say).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// A second location a diagnostic refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// The other file.
    pub path: PathBuf,
    /// 1-based line, 0 for the whole file.
    pub line: usize,
    /// 1-based column, 0 for the whole file.
    pub column: usize,
    /// What is there.
    pub message: String,
}

impl Diagnostic {
    /// An error about a whole file (no position inside it).
    pub fn file_error(code: &'static str, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: path.into(),
            line: 0,
            column: 0,
            range: None,
            hint: None,
            related: Vec::new(),
        }
    }

    /// An error at a byte range of `text`, the content of `path`.
    pub fn at(
        code: &'static str,
        path: impl Into<PathBuf>,
        text: &str,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_column(text, range.start);
        Diagnostic { range: Some(range), line, column, ..Diagnostic::file_error(code, path, message) }
    }

    /// The same diagnostic as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a hint saying what would be right.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    /// `path:line:col` as editors and terminals understand it.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.path.display().to_string()
        } else {
            format!("{}:{}:{}", self.path.display(), self.line, self.column)
        }
    }

    fn sort_key(&self) -> (&Path, usize, usize, Severity, &str) {
        (&self.path, self.line, self.column, self.severity, &self.message)
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Everything a run found wrong, in the order found; sorted on output.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// The text of files the diagnostics name, as the build read them (see
    /// [`Diagnostics::keep_source`]): snippets show what was parsed, and printing them
    /// reads nothing from disk.
    #[serde(skip)]
    sources: HashMap<PathBuf, Arc<str>>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Keeps the text of `path` as the build read it, for the snippets of the diagnostics
    /// that name it. Files without kept text are read from disk when printed (docket.toml,
    /// a theme's templates), carefully: see [`Diagnostics::render`].
    pub fn keep_source(&mut self, path: &Path, text: Arc<str>) {
        self.sources.insert(path.to_path_buf(), text);
    }

    /// The files the diagnostics name, each once.
    pub fn paths(&self) -> std::collections::BTreeSet<&Path> {
        self.items.iter().map(|d| d.path.as_path()).collect()
    }

    /// Records every diagnostic of another list.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// True when at least one error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by file, position and message, duplicates removed.
    pub fn sorted(mut self) -> Self {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self
    }

    /// Iterates over the diagnostics.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// Renders every diagnostic rustc-style, with a snippet of each file from the text the
    /// build kept, else read from under `root` — once per file, however many diagnostics
    /// name it (8,000 warnings in one file used to read and index it 8,000 times). Only a
    /// regular file, reached without following a symbolic link, is read: the loader warns
    /// about a link to `/dev/zero`, a FIFO or a file outside the content folder, and
    /// printing that warning must not read the link. Files that cannot be read are shown
    /// without a snippet.
    pub fn render(&self, root: &Path, color: bool) -> String {
        let mut sources: HashMap<&Path, Option<SimpleFile<String, String>>> = HashMap::new();
        let mut rendered = String::new();
        for diagnostic in &self.items {
            let file = sources.entry(&diagnostic.path).or_insert_with(|| self.source(root, &diagnostic.path));
            rendered.push_str(&render_one(diagnostic, file.as_ref(), color));
        }
        rendered
    }
}

/// How many diagnostics of one code and severity [`Diagnostics::render_bounded`] shows in
/// full before it counts the rest.
pub const EXAMPLES_PER_CODE: usize = 5;

impl Diagnostics {
    /// Renders a report that fits on a screen however many files went wrong: errors
    /// first (errors in `settings`, the knowledge base's `docket.toml`, before errors in
    /// content, since one wrong setting can cause thousands of content errors), then warnings; at most `examples` of each
    /// code and severity in full, then one line counting the rest; and, when anything was
    /// left out, a summary by code. [`Diagnostics::render`] (and JSON) keep them all.
    pub fn render_bounded(&self, root: &Path, color: bool, examples: usize, settings: &Path) -> String {
        let mut ordered: Vec<&Diagnostic> = self.items.iter().collect();
        ordered.sort_by_key(|d| (d.severity, d.path != settings));
        let mut shown: HashMap<(Severity, &str), usize> = HashMap::new();
        let mut sources: HashMap<&Path, Option<SimpleFile<String, String>>> = HashMap::new();
        let mut rendered = String::new();
        for diagnostic in &ordered {
            let count = shown.entry((diagnostic.severity, diagnostic.code)).or_default();
            *count += 1;
            if *count <= examples {
                let file = sources.entry(&diagnostic.path).or_insert_with(|| self.source(root, &diagnostic.path));
                rendered.push_str(&render_one(diagnostic, file.as_ref(), color));
            }
        }
        let mut totals: Vec<((Severity, &str), usize)> = shown.into_iter().collect();
        totals.sort_by(|a, b| a.0.0.cmp(&b.0.0).then(b.1.cmp(&a.1)).then(a.0.1.cmp(b.0.1)));
        let elided: Vec<String> = totals
            .iter()
            .filter(|(_, n)| *n > examples)
            .map(|((severity, code), n)| {
                format!(
                    "… and {} more {}(s) like this `{code}` (`docket check --verbose` lists all)\n",
                    thousands(n - examples),
                    severity_word(*severity)
                )
            })
            .collect();
        if !elided.is_empty() {
            rendered.extend(elided);
            let summary: Vec<String> = totals
                .iter()
                .map(|((severity, code), n)| format!("  {:>7} {} {code}", thousands(*n), severity_word(*severity)))
                .collect();
            rendered.push_str(&format!("by code:\n{}\n", summary.join("\n")));
        }
        rendered
    }
}

/// `3712` as `3,712`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

impl Diagnostics {
    /// The snippet source of `path`: its kept text, else the file read carefully.
    fn source(&self, root: &Path, path: &Path) -> Option<SimpleFile<String, String>> {
        let text = match self.sources.get(path) {
            Some(text) => text.to_string(),
            None => read_source(&root.join(path))?,
        };
        Some(SimpleFile::new(path.display().to_string(), text))
    }
}

/// Files larger than this are shown without a snippet (the loader refuses far smaller).
const SOURCE_LIMIT: u64 = 256 << 20;

/// The text of a file for snippets: `None` unless it is a regular file opened without
/// following a symbolic link (and, on Linux, without blocking on a FIFO swapped in since
/// the check), at most [`SOURCE_LIMIT`] bytes.
fn read_source(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > SOURCE_LIMIT {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(SOURCE_LIMIT).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).trim_start_matches('\u{feff}').to_string())
}

fn render_one(diagnostic: &Diagnostic, source: Option<&SimpleFile<String, String>>, color: bool) -> String {
    let name = diagnostic.location();
    let mut cs_diagnostic = match diagnostic.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    }
    .with_code(diagnostic.code)
    .with_message(&diagnostic.message);
    let empty;
    let file = match source {
        Some(file) => file,
        None => {
            empty = SimpleFile::new(diagnostic.path.display().to_string(), String::new());
            &empty
        }
    };
    if let (Some(range), Some(text)) = (&diagnostic.range, source.map(SimpleFile::source))
        && range.end <= text.len()
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end)
    {
        cs_diagnostic = cs_diagnostic.with_labels(vec![cs::Label::primary((), range.clone())]);
    }
    let mut notes = Vec::new();
    if cs_diagnostic.labels.is_empty() {
        notes.push(format!("at {name}"));
    }
    if let Some(hint) = &diagnostic.hint {
        notes.push(format!("help: {hint}"));
    }
    for related in &diagnostic.related {
        let at = if related.line == 0 {
            related.path.display().to_string()
        } else {
            format!("{}:{}:{}", related.path.display(), related.line, related.column)
        };
        notes.push(format!("{}: {at}", related.message));
    }
    cs_diagnostic = cs_diagnostic.with_notes(notes);
    let config = term::Config::default();
    let mut buffer = Vec::new();
    let emitted = if color {
        term::emit(&mut term::termcolor::Ansi::new(&mut buffer), &config, file, &cs_diagnostic)
    } else {
        term::emit(&mut term::termcolor::NoColor::new(&mut buffer), &config, file, &cs_diagnostic)
    };
    if emitted.is_err() {
        return format!("{}: {}: {}\n", name, severity_word(diagnostic.severity), diagnostic.message);
    }
    String::from_utf8_lossy(&buffer).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nçd[[x]]\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // "çd" is three bytes, two characters.
        assert_eq!(line_column(text, 6), (2, 3));
    }

    #[test]
    fn kept_text_is_shown_without_reading_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "one\ntwo [[bad]]\n";
        let mut list = Diagnostics::new();
        list.push(Diagnostic::at("unresolved-reference", "gone.md", text, 8..15, "no item `bad`"));
        list.keep_source(Path::new("gone.md"), Arc::from(text));
        let out = list.sorted().render(dir.path(), false);
        assert!(out.contains("two [[bad]]") && out.contains("^^^^^^^"), "{out}");
    }

    #[test]
    fn rendering_shows_the_caret_and_the_hint() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.md"), "one\ntwo [[bad]]\n").expect("write");
        let text = "one\ntwo [[bad]]\n";
        let mut list = Diagnostics::new();
        list.push(
            Diagnostic::at("unresolved-reference", "a.md", text, 8..15, "no item `bad`")
                .with_hint("did you mean `bat`?"),
        );
        let out = list.render(dir.path(), false);
        assert!(out.contains("a.md:2:5"), "{out}");
        assert!(out.contains("^^^^^^^"), "{out}");
        assert!(out.contains("did you mean `bat`?"), "{out}");
    }

    /// Finding 2: printing the warning about a link to `/dev/zero` or a FIFO read the link
    /// (21.5 GB in 72 s; a hang).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_printer_never_reads_a_symbolic_link_or_a_fifo() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.md")).expect("symlink");
        let fifo = std::ffi::CString::new(dir.path().join("fifo.md").to_string_lossy().as_bytes()).expect("path");
        // SAFETY: a NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let mut list = Diagnostics::new();
        for name in ["zero.md", "fifo.md"] {
            list.push(Diagnostic::file_error("symlink", name, "symbolic links are not followed").warning());
            list.push(Diagnostic::at("x", name, "abc", 0..1, "a snippet would need the file"));
        }
        let out = list.render(dir.path(), false);
        assert!(out.contains("zero.md") && out.contains("fifo.md") && out.len() < 4000, "{out}");
    }

    /// Finding 6: each warning read and indexed its whole file again (8,000 warnings in
    /// a 4 MB file: 13 s). Reading it once makes this about 0.2 s; reading it per
    /// warning would read 32 GB.
    #[test]
    fn eight_thousand_warnings_in_a_4_mb_file_read_it_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys: String = (0..8000).map(|i| format!("k{i} = 1\n")).collect();
        let text = format!("{keys}{}", "word ".repeat(800_000));
        std::fs::write(dir.path().join("a.md"), &text).expect("write");
        let mut list = Diagnostics::new();
        let mut at = 0;
        for i in 0..8000 {
            let key = format!("k{i}");
            // Placed by hand: `Diagnostic::at` counts lines from the start, which is not
            // what this test measures.
            let placed = Diagnostic {
                range: Some(at..at + key.len()),
                line: i + 1,
                column: 1,
                ..Diagnostic::file_error("unknown-key", "a.md", "unknown key")
            };
            list.push(placed.warning());
            at += key.len() + " = 1\n".len();
        }
        let started = std::time::Instant::now();
        let out = list.render(dir.path(), false);
        assert!(out.contains("a.md:8000:1"), "the last warning points at its line");
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "took {:?}", started.elapsed());
    }

    #[test]
    fn thousands_of_diagnostics_render_as_a_few_examples_and_a_count() {
        let text = "line\n".repeat(10);
        let mut diagnostics = Diagnostics::new();
        for n in 0..3000 {
            diagnostics.push(Diagnostic::at("unknown-key", format!("n{n}.md"), &text, 0..4, "unknown key").warning());
        }
        diagnostics.push(Diagnostic::at("unresolved-reference", "a.md", &text, 5..9, "broken"));
        diagnostics.push(Diagnostic::at("config", "docket.toml", &text, 0..4, "bad setting"));
        let rendered = diagnostics.render_bounded(Path::new("/nonexistent"), false, 3, Path::new("docket.toml"));
        assert!(rendered.lines().count() < 60, "{rendered}");
        let config = rendered.find("bad setting").expect("config error shown");
        let content = rendered.find("broken").expect("content error shown");
        let warning = rendered.find("unknown key").expect("warnings shown");
        assert!(config < content && content < warning, "config errors, then content errors, then warnings");
        assert_eq!(rendered.matches("unknown key").count(), 3);
        assert!(rendered.contains("… and 2,997 more warning(s) like this `unknown-key`"), "{rendered}");
        assert!(rendered.contains("    3,000 warning unknown-key"), "{rendered}");
        assert_eq!(diagnostics.render(Path::new("/nonexistent"), false).matches("unknown key").count(), 3000);
    }
}
