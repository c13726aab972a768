//! The properties each fuzz target checks, shared by the fuzz targets (`fuzz_targets/`)
//! and by the regression tests that replay saved inputs (`tests/docket/fuzz_regressions.rs`),
//! so a crash found by fuzzing stays fixed under plain `cargo test`.

#![allow(dead_code)]

use std::path::Path;

/// Front matter: any text split into TOML or YAML front matter and body, then read into
/// the typed front matter, without a panic; every error points inside the text.
pub(super) fn front_matter(text: &str) {
    use docket::load::front_matter;
    match front_matter::split(text) {
        Ok(split) => {
            assert!(split.body_start <= text.len());
            if let Err(error) = front_matter::parse(text, &split) {
                assert!(error.range.end <= text.len(), "error range {:?} outside the text", error.range);
            }
        }
        Err(range) => assert!(range.end <= text.len()),
    }
}

/// The reference scan of a note body: every reference's range lies inside the body on
/// character boundaries, since diagnostics and the renderer slice the file by it.
pub(super) fn references(body: &str) {
    let outline = docket::load::outline::scan(body, 0);
    for reference in &outline.references {
        assert!(reference.range.start <= reference.range.end && reference.range.end <= body.len());
        assert!(body.is_char_boundary(reference.range.start) && body.is_char_boundary(reference.range.end));
    }
    for &offset in &outline.unterminated {
        assert!(body.is_char_boundary(offset) && offset + 2 <= body.len());
    }
}

/// The deadline rule parser and the date-value parser claims use, without a panic.
pub(super) fn deadline_rule(text: &str) {
    let _ = docket::resolve::rules::parse_rule(text);
    let _ = docket::resolve::rules::parse_date_value(text);
}

/// The folders the first byte of a pipeline input picks from.
const FOLDERS: [&str; 9] =
    ["notes", "sections", "sources", "deadlines", "audiences", "agencies", "terms", "alerts", "instruments"];

/// Writes a small knowledge base (an instrument, a provision, a source with a claim and an
/// audience) that the fuzzed note may refer to.
pub(super) fn pipeline_knowledge_base(root: &Path) {
    let write = |path: &str, text: &str| {
        let target = root.join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(target, text).expect("write");
    };
    write("docket.toml", "title = \"Fuzz\"\nbase_url = \"https://example.org/kb/\"\nas_of = 2026-07-15\n");
    write("content/instruments/act.md", "+++\ntitle = \"Act\"\nsigned = 2026-06-02\n+++\n");
    write("content/sections/2-a.md", "+++\nnumber = \"2(a)\"\ntitle = \"Two A\"\n+++\n## Scope\n");
    write(
        "content/sources/src.md",
        "+++\ntitle = \"Src\"\n[[claims]]\nabout = \"2(a)\"\nattribute = \"due\"\nvalue = \"2026-07-02\"\n+++\n",
    );
    write("content/audiences/ops.md", "# Operators\n");
}

/// The whole pipeline on one note: the first byte picks the note's folder (so it is tried
/// as every kind), the rest is the file. Load, model, resolve and render must not panic;
/// diagnostics are fine and must render.
pub(super) fn pipeline(root: &Path, data: &[u8]) {
    let Some((&pick, text)) = data.split_first() else { return };
    let folder = FOLDERS[pick as usize % FOLDERS.len()];
    let content = root.join("content");
    for other in FOLDERS {
        let _ = std::fs::remove_file(content.join(other).join("fuzzed.md"));
    }
    std::fs::create_dir_all(content.join(folder)).expect("mkdir");
    std::fs::write(content.join(folder).join("fuzzed.md"), text).expect("write");
    let options = docket::BuildOptions {
        root: root.to_path_buf(),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 7, 15),
        ..docket::BuildOptions::default()
    };
    let compiled = docket::compile(&options, true);
    let _ = compiled.diagnostics.render(root, false);
}
