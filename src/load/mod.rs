//! Stage 1, load: files on disk → parsed documents.
//!
//! Walks the content folder with walkdir (hidden folders such as `.obsidian` and `.git`,
//! editor swap and backup files are skipped; symbolic links are not followed, so nothing
//! outside the content folder is read; a folder docket wrote, carrying its marker file, is
//! never read as content), reads every markdown file in parallel, strips a
//! UTF-8 byte-order mark, splits and reads the front matter, and scans the body for
//! headings and references. Other files are attachments, copied to the output as they are.
//!
//! Every problem becomes a diagnostic; a file with an error still yields a document when
//! possible, so later stages can report their own problems in the same run.

pub mod comments;
pub mod exclude;
pub mod front_matter;
pub mod outline;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::text::{closest, find_key};
pub use exclude::Exclude;
pub use front_matter::{Format, FrontMatter};
pub use outline::{Heading, Outline, RawReference, SiteLink, Syntax};

/// One markdown file, read and scanned.
#[derive(Clone, Debug)]
pub struct Document {
    /// Path relative to the knowledge-base root, for diagnostics (`content/sections/2.md`).
    pub display_path: PathBuf,
    /// Path relative to the content folder, with `/` separators (`sections/2.md`).
    pub rel_path: String,
    /// The whole file as text, byte-order mark removed: see [`Document::text`].
    text: Text,
    /// Front matter syntax, if any.
    pub format: Option<Format>,
    /// Byte range of the front matter content.
    pub front_range: std::ops::Range<usize>,
    /// Typed front matter (defaults when absent or unreadable).
    pub front: FrontMatter,
    /// The top-level keys its front matter writes, in order, as written (`weight`, not
    /// `order`): what the import report counts.
    pub front_keys: Vec<String>,
    /// Keys docket does not know (dotted paths, `claims.0.qoute`), which were dropped.
    pub unknown_keys: Vec<String>,
    /// How many Obsidian `%%comments%%` were removed from the body.
    pub comments: usize,
    /// Byte offset where the body starts.
    pub body_start: usize,
    /// Headings and references of the body.
    pub outline: Outline,
    /// A content hash of the file, for caching in `docket serve`.
    pub hash: u64,
}

/// Where a document's text is: kept in memory, or released after scanning and read again
/// from its file when a later stage needs it.
#[derive(Clone, Debug)]
enum Text {
    Held(Arc<str>),
    Released { path: PathBuf, len: usize },
}

impl Document {
    /// How a link to `anchor` in this document reads without a label of its own: the
    /// heading's text, or "the passage" for an Obsidian block (`^a1b2`), whose id is
    /// never shown to readers.
    pub fn anchor_text(&self, anchor: &str) -> String {
        if anchor.starts_with('^') {
            return "the passage".to_string();
        }
        self.outline.headings.iter().find(|h| h.anchor == anchor).map_or_else(|| anchor.to_string(), |h| h.text.clone())
    }

    /// The whole file as text (byte-order mark removed): the copy in memory, or, when the
    /// loader released it, the file read again and checked against the hash taken when it
    /// was loaded. Fails, with an error naming the file, when the file changed since.
    pub fn text(&self) -> Result<Arc<str>, Box<Diagnostic>> {
        match &self.text {
            Text::Held(text) => Ok(Arc::clone(text)),
            Text::Released { path, .. } => self.read_again(path),
        }
    }

    fn read_again(&self, path: &Path) -> Result<Arc<str>, Box<Diagnostic>> {
        let changed = |what: String| {
            Box::new(
                Diagnostic::file_error("io", &self.display_path, what)
                    .with_hint("an editor or a tool changed the file during the build: run it again"),
            )
        };
        let bytes = std::fs::read(path).map_err(|error| changed(format!("cannot read the file again: {error}")))?;
        if fingerprint(&bytes) != self.hash {
            return Err(changed("the file changed while docket was building".to_string()));
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| changed("the file is no longer UTF-8".to_string()))?;
        let mut text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
        front_matter::normalize_line_ends(&mut text);
        comments::blank(&mut text, self.body_start);
        Ok(Arc::from(text))
    }

    /// True when `other` is this file after an edit of its prose alone: the same front
    /// matter, byte for byte, and an outline the same apart from positions (see
    /// [`Outline::same_apart_from_positions`]). Every page but the note's own reads the
    /// same from both.
    pub fn differs_only_in_prose(&self, other: &Document) -> bool {
        let (Ok(text), Ok(other_text)) = (self.text(), other.text()) else { return false };
        self.rel_path == other.rel_path
            && self.body_start == other.body_start
            && text.get(..self.body_start) == other_text.get(..other.body_start)
            && self.outline.same_apart_from_positions(&other.outline)
    }

    /// The length of the text in bytes.
    pub fn text_len(&self) -> usize {
        match &self.text {
            Text::Held(text) => text.len(),
            Text::Released { len, .. } => *len,
        }
    }

    /// Lets go of the text, which [`Document::text`] then reads again from `path`: a
    /// build holds every document at once, and their text is most of its memory.
    pub fn release_text(&mut self, path: PathBuf) {
        self.text = Text::Released { path, len: self.text_len() };
    }

    /// A diagnostic at a byte range of this file.
    pub fn diagnostic(
        &self,
        code: &'static str,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        match self.text() {
            Ok(text) => Diagnostic::at(code, &self.display_path, &text, range, message),
            Err(_) => Diagnostic::file_error(code, &self.display_path, message),
        }
    }

    /// A diagnostic at a value written under a front-matter key (`- /old/` under
    /// `aliases:`), else at the key, else at the file start.
    pub fn value_diagnostic(
        &self,
        code: &'static str,
        key: &str,
        value: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let range = self.text().ok().and_then(|text| {
            let front = &text[self.front_range.clone()];
            let key_at = crate::text::find_key(front, key)?;
            let value_at = front[key_at.end..].find(value).map(|at| key_at.end + at..key_at.end + at + value.len());
            let found = value_at.unwrap_or(key_at);
            Some(self.front_range.start + found.start..self.front_range.start + found.end)
        });
        match range {
            Some(range) => self.diagnostic(code, range, message),
            None => self.key_diagnostic(code, key, 0, message),
        }
    }

    /// A diagnostic at the `nth` occurrence of a front-matter key (or the file start).
    pub fn key_diagnostic(&self, code: &'static str, key: &str, nth: usize, message: impl Into<String>) -> Diagnostic {
        let range = self
            .text()
            .ok()
            .and_then(|text| crate::text::find_key_occurrence(&text[self.front_range.clone()], key, nth))
            .map(|r| self.front_range.start + r.start..self.front_range.start + r.end)
            .unwrap_or(0..0);
        self.diagnostic(code, range, message)
    }
}

/// A non-markdown file of the content folder (an image, a PDF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Path relative to the content folder, `/` separators.
    pub rel_path: String,
    /// Absolute path on disk.
    pub source: PathBuf,
}

/// What loading found.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Markdown documents, sorted by path.
    pub documents: Vec<Document>,
    /// Attachments, sorted by path.
    pub attachments: Vec<Attachment>,
}

/// Loads every file under `content_dir` but those `exclude` names. `root` is the knowledge-base root, used to
/// display paths relative to it. The documents come back with their text released (see
/// [`Document::release_text`]): later stages read a file again when they need its text.
pub fn load(root: &Path, content_dir: &Path, exclude: &Exclude, diagnostics: &mut Diagnostics) -> Loaded {
    let (markdown, attachments) = walk(root, content_dir, exclude, diagnostics);
    let results: Vec<(Option<Document>, Diagnostics)> = markdown
        .par_iter()
        .map(|(path, rel)| {
            let (mut document, found) = read_document(root, path, rel);
            if let Some(document) = &mut document {
                document.release_text(path.clone());
            }
            (document, found)
        })
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    for (document, found) in results {
        diagnostics.extend(found);
        documents.extend(document);
    }
    Loaded { documents, attachments }
}

/// Reads and scans one markdown file already known to exist. Used by the loader and by
/// `docket serve` to refresh a single changed file.
pub fn read_document(root: &Path, path: &Path, rel_path: &str) -> (Option<Document>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let display_path = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            diagnostics.push(Diagnostic::file_error("io", &display_path, format!("cannot read the file: {error}")));
            return (None, diagnostics);
        }
    };
    let hash = fingerprint(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            // Everything before the bad byte is valid; it places the caret at its line and
            // column (the snippet shows the byte as U+FFFD, three bytes long).
            let valid = std::str::from_utf8(&bytes[..at]).expect("valid up to the error");
            let bom = if valid.starts_with('\u{feff}') { 3 } else { 0 };
            let at = at - bom;
            diagnostics.push(
                Diagnostic::at(
                    "encoding",
                    &display_path,
                    &valid[bom..],
                    at..at + 3,
                    format!("the file is not valid UTF-8 (byte 0x{:02x} at offset {at})", bytes[at + bom]),
                )
                .with_hint(
                    "save the file as UTF-8; a binary file does not belong in the content folder under a .md name",
                ),
            );
            return (None, diagnostics);
        }
    };
    let mut text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    front_matter::normalize_line_ends(&mut text);
    if let Some(at) = text.find('\0') {
        // Valid UTF-8 but binary (or UTF-16 without a byte-order mark): a NUL would pass
        // into the pages, where HTML forbids it.
        diagnostics.push(
            Diagnostic::at(
                "encoding",
                &display_path,
                &text,
                at..at + 1,
                "the file holds a NUL byte: it is not a text file",
            )
            .with_hint(
                "save the file as UTF-8 text; a binary file does not belong in the content folder under a .md name",
            ),
        );
        return (None, diagnostics);
    }
    let document = parse_document(display_path, rel_path.to_string(), text, hash, &mut diagnostics);
    (Some(document), diagnostics)
}

fn parse_document(
    display_path: PathBuf,
    rel_path: String,
    mut text: String,
    hash: u64,
    diagnostics: &mut Diagnostics,
) -> Document {
    let (split, split_error) = match front_matter::split(&text) {
        Ok(split) => (split, None),
        Err(range) => (front_matter::Split { format: None, front: 0..0, body_start: 0 }, Some(range)),
    };
    if let Some(range) = split_error {
        diagnostics.push(
            Diagnostic::at("front-matter", &display_path, &text, range, "front matter is opened but never closed")
                .with_hint("close it with a line holding only `+++` (TOML) or `---` (YAML)"),
        );
    }
    let mut unknown_keys = Vec::new();
    let front = match front_matter::parse(&text, &split) {
        Ok(parsed) => {
            warn_unknown_keys(&display_path, &text, &split, &parsed.unknown_keys, diagnostics);
            unknown_keys = parsed.unknown_keys;
            parsed.front
        }
        Err(error) => {
            diagnostics.push(
                Diagnostic::at("front-matter", &display_path, &text, error.range, error.message)
                    .with_hint("fix the front matter; the README lists every key and its type"),
            );
            FrontMatter::default()
        }
    };
    let comments = comments::count(&text, split.body_start);
    if let Some(at) = comments::blank(&mut text, split.body_start) {
        diagnostics.push(
            Diagnostic::at(
                "unclosed-comment",
                &display_path,
                &text,
                at..at + 2,
                "`%%` opens a comment that is never closed",
            )
            .warning()
            .with_hint("everything after it is hidden, as in Obsidian; close the comment with `%%`"),
        );
    }
    let outline = outline::scan(&text[split.body_start..], split.body_start);
    if let Some((at, kind)) = outline.template_syntax {
        diagnostics.push(
            Diagnostic::at(
                "unsupported-template",
                &display_path,
                &text,
                at..at + 2,
                format!("unsupported template syntax: a {kind} is not run and appears as written"),
            )
            .warning()
            .with_hint("docket renders markdown only: replace the tag with its result, or remove it"),
        );
    }
    for &offset in &outline.unterminated {
        diagnostics.push(
            Diagnostic::at("unterminated-reference", &display_path, &text, offset..offset + 2, "`[[` is never closed")
                .warning()
                .with_hint("close the reference with `]]` on the same line, or escape it as `\\[[`"),
        );
    }
    let front_keys = front_matter::top_level_keys(&text[split.front.clone()], split.format);
    Document {
        display_path,
        rel_path,
        text: Text::Held(Arc::from(text)),
        format: split.format,
        front_range: split.front,
        front,
        front_keys,
        unknown_keys,
        comments,
        body_start: split.body_start,
        outline,
        hash,
    }
}

fn warn_unknown_keys(
    path: &Path,
    text: &str,
    split: &front_matter::Split,
    unknown: &[String],
    diagnostics: &mut Diagnostics,
) {
    for key_path in unknown {
        let key = key_path.rsplit('.').find(|part| part.parse::<usize>().is_err()).unwrap_or(key_path);
        let range = find_key(&text[split.front.clone()], key)
            .map(|r| split.front.start + r.start..split.front.start + r.end)
            .unwrap_or(0..0);
        let mut diagnostic = Diagnostic::at(
            "unknown-key",
            path,
            text,
            range,
            format!("unknown front-matter key `{key_path}` is ignored"),
        )
        .warning();
        let top_level = !key_path.contains('.');
        let candidates = front_matter::KNOWN_KEYS.iter().copied().filter(|candidate| {
            *candidate != key && !(top_level && front_matter::NESTED_ONLY_KEYS.contains(candidate))
        });
        if let Some(best) = closest(key, candidates) {
            diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
        }
        diagnostics.push(diagnostic);
    }
}

/// Files to read: markdown (absolute path, path relative to content) and attachments,
/// in the order [`load`] reads them. `docket serve` walks with it to find what changed.
pub fn walk(
    root: &Path,
    content_dir: &Path,
    exclude: &Exclude,
    diagnostics: &mut Diagnostics,
) -> (Vec<(PathBuf, String)>, Vec<Attachment>) {
    let mut markdown = Vec::new();
    let mut attachments = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::file_error(
                "content",
                content_dir.strip_prefix(root).unwrap_or(content_dir),
                "the content folder does not exist",
            )
            .with_hint("create it, or run docket from the knowledge base's root (or pass --root)"),
        );
        return (markdown, attachments);
    }
    let walker = WalkDir::new(content_dir).follow_links(false).sort_by_file_name().into_iter();
    let keep = |e: &walkdir::DirEntry| {
        let excluded = || {
            let rel = e.path().strip_prefix(content_dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            exclude.matches(&rel)
        };
        e.depth() == 0
            || !(is_ignored(e.file_name().to_string_lossy().as_ref())
                || e.file_type().is_dir() && e.path().join(crate::manifest::MARKER).exists()
                || excluded())
    };
    for entry in walker.filter_entry(keep) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).unwrap_or_default();
                // An error, not a warning: the notes in a folder docket cannot read would
                // be missing from the site with the build reporting success.
                diagnostics.push(
                    Diagnostic::file_error("io", path, format!("cannot read: {error}"))
                        .with_hint("give docket read access to it, or move it out of the content folder"),
                );
                continue;
            }
        };
        let path = entry.path();
        let rel = path.strip_prefix(content_dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::file_error(
                    "symlink",
                    path.strip_prefix(root).unwrap_or(path),
                    "symbolic links are not followed",
                )
                .warning()
                .with_hint("copy the file into the content folder instead"),
            );
        } else if entry.file_type().is_file() {
            if rel.to_ascii_lowercase().ends_with(".md") {
                markdown.push((path.to_path_buf(), rel));
            } else {
                attachments.push(Attachment { rel_path: rel, source: path.to_path_buf() });
            }
        }
    }
    (markdown, attachments)
}

/// Hidden files and folders, and the swap and backup files editors leave behind.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
}

/// A fast, stable 64-bit hash (FNV-1a) of bytes. Stable across runs and platforms, unlike
/// `std`'s randomised hasher, so it can key caches and manifests.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".obsidian", ".note.md.swp", "note.md~", "#note.md#", "4913"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("note.md"));
    }

    #[test]
    fn a_bom_and_crlf_are_accepted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\n# Body\r\n").expect("write");
        let (document, diagnostics) = read_document(dir.path(), &path, "a.md");
        let document = document.expect("document");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(document.front.title.as_deref(), Some("A"));
        assert_eq!(document.outline.first_heading.as_deref(), Some("Body"));
    }

    #[test]
    fn non_utf8_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.md");
        std::fs::write(&path, [b'#', b' ', 0xff, 0xfe]).expect("write");
        let (document, diagnostics) = read_document(dir.path(), &path, "bad.md");
        assert!(document.is_none());
        let error = diagnostics.iter().next().expect("error");
        assert_eq!(error.path, PathBuf::from("bad.md"));
        assert!(error.message.contains("UTF-8"));
    }

    #[test]
    fn released_text_is_read_again_and_a_changed_file_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let content = dir.path().join("content");
        std::fs::create_dir(&content).expect("mkdir");
        let text = "\u{feff}+++\ntitle = \"A\"\n+++\nBody [[b]].\n";
        std::fs::write(content.join("a.md"), text).expect("write");
        let loaded = load(dir.path(), &content, &Exclude::default(), &mut Diagnostics::new());
        let document = &loaded.documents[0];
        assert_eq!(&*document.text().expect("unchanged"), &text[3..], "read again, without the byte-order mark");
        assert_eq!(document.text_len(), text.len() - 3);
        let at = document.outline.references[0].range.clone();
        let diagnostic = document.diagnostic("test", at, "here");
        assert_eq!((diagnostic.line, diagnostic.column), (4, 6), "positions come from the text read again");

        std::fs::write(content.join("a.md"), "+++\ntitle = \"B\"\n+++\n").expect("rewrite");
        let changed = document.text().expect_err("the file changed");
        assert_eq!(changed.path, PathBuf::from("content/a.md"));
        assert!(changed.message.contains("changed while docket was building"), "{}", changed.message);
        let fallback = document.diagnostic("test", 0..1, "still reported");
        assert_eq!(fallback.message, "still reported");
    }
}
