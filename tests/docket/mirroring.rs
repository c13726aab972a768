//! Mirroring a wiki both ways: the markdown export re-read with a markdown parser (every
//! link lands on a file of the export), an Obsidian vault that builds with no changes, and
//! untrusted mode sanitising raw HTML.

use std::path::{Path, PathBuf};

use docket::export::{ExportOptions, Flavor, FrontMatter, export};
use pulldown_cmark::{Event, Parser, Tag};

use crate::support::{Kb, snapshot};

fn export_to(kb: &Kb, output: &Path, front_matter: FrontMatter) -> docket::export::ExportReport {
    export_flavor(kb, output, front_matter, Flavor::Plain)
}

fn export_flavor(kb: &Kb, output: &Path, front_matter: FrontMatter, flavor: Flavor) -> docket::export::ExportReport {
    let report = export(&ExportOptions { build: kb.options(), output: output.to_path_buf(), front_matter, flavor });
    assert!(report.written_to.is_some(), "export failed:\n{}", report.diagnostics.render(kb.root(), false));
    report
}

/// Every link and image destination of a markdown text.
fn destinations(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, pulldown_cmark::Options::all())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

fn without_front_matter(text: &str) -> &str {
    for fence in ["+++\n", "---\n"] {
        if let Some(rest) = text.strip_prefix(fence) {
            let end = rest.find(&format!("\n{fence}")).expect("front matter is closed");
            return &rest[end + fence.len() + 1..];
        }
    }
    text
}

fn percent_decoded(text: &str) -> String {
    text.replace("%20", " ").replace("%28", "(").replace("%29", ")").replace("%25", "%")
}

/// Checks every relative link of every `.md` file of `dir`; returns how many were checked.
fn assert_links_resolve(dir: &Path) -> usize {
    let mut checked = 0;
    for (path, bytes) in snapshot(dir) {
        if !path.ends_with(".md") {
            continue;
        }
        let text = String::from_utf8(bytes).expect("utf-8");
        let body = without_front_matter(&text);
        assert!(!body.contains("[["), "{path} still holds a wikilink:\n{body}");
        assert!(!body.contains("[@"), "{path} still holds a citation:\n{body}");
        for dest in destinations(&text) {
            if dest.contains("://") || dest.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (file, anchor) = dest.split_once('#').map_or((dest.as_str(), None), |(f, a)| (f, Some(a)));
            let target = if file.is_empty() {
                dir.join(&path)
            } else {
                dir.join(&path).parent().expect("in a folder").join(percent_decoded(file))
            };
            assert!(target.is_file(), "{path}: link `{dest}` lands on no file ({})", target.display());
            if let Some(anchor) = anchor {
                let target_text = std::fs::read_to_string(&target).expect("read");
                let has_heading = Parser::new(&target_text).any(|e| matches!(e, Event::Start(Tag::Heading { .. })));
                assert!(has_heading, "{path}: `{dest}` points at a heading but {} has none", target.display());
                let words = anchor.replace('-', " ");
                assert!(target_text.to_lowercase().contains(&words), "{path}: no heading `{anchor}` in the target");
            }
        }
    }
    checked
}

#[test]
fn the_markdown_export_resolves_every_reference_to_a_relative_link() {
    let kb = Kb::fixture("all-kinds");
    kb.write("content/attachments/map.png", "png");
    kb.write("content/notes/maps.md", "# Maps\n\n![[map.png]] and [[gazette#summary]] and ![[utility]].\n");
    let out = tempfile::tempdir().expect("temp dir");
    let folder = out.path().join("wiki");
    export_to(&kb, &folder, FrontMatter::Keep);
    let checked = assert_links_resolve(&folder);
    assert!(checked >= 25, "only {checked} links checked");
    let section = std::fs::read_to_string(folder.join("sections/1.md")).expect("read");
    assert!(section.starts_with("+++\nnumber = \"1\""), "front matter kept:\n{section}");
    assert!(section.contains("[Sec. 2(a)](2-a.md)"), "a wikilink becomes a relative link:\n{section}");
    assert!(section.contains("([Gazette](../sources/gazette.md), p. 2)"), "a citation keeps its locator:\n{section}");
    let gazette = std::fs::read_to_string(folder.join("sources/gazette.md")).expect("read");
    assert!(gazette.contains("## Claims in this source") && gazette.contains("reports are due March 1"), "{gazette}");
    assert!(gazette.contains("## Linked from"), "backlinks are written in:\n{gazette}");
    let maps = std::fs::read_to_string(folder.join("notes/maps.md")).expect("read");
    assert!(maps.contains("![map.png](../attachments/map.png)"), "{maps}");
    assert!(folder.join("attachments/map.png").is_file(), "attachments are copied");
    let home = std::fs::read_to_string(folder.join("Home.md")).expect("read");
    assert!(home.contains("[Clean Water Reporting Act](instruments/water-act.md)"), "{home}");
}

#[test]
fn a_markdown_link_keeps_its_own_label_in_the_export() {
    let kb = Kb::fixture("all-kinds");
    kb.write("content/notes/labels.md", "# Labels\n\nSee [the *monthly* rule](../sections/2-a.md) and [[2(a)]].\n");
    let out = tempfile::tempdir().expect("temp dir");
    export_to(&kb, &out.path().join("wiki"), FrontMatter::Drop);
    let note = std::fs::read_to_string(out.path().join("wiki/notes/labels.md")).expect("read");
    assert!(note.contains("[the *monthly* rule](../sections/2-a.md)"), "the author's label stays:\n{note}");
    assert!(note.contains("[Sec. 2(a)](../sections/2-a.md)"), "a wikilink without a label gets the target's:\n{note}");
}

/// The page a wiki link lands on: a GitHub wiki resolves `[x](Page-Name)` against the
/// wiki's root (every page is at the top, addressed by its file name without `.md`); a
/// GitLab wiki resolves `[x](path)` against the folder of the current page.
fn wiki_target(dir: &Path, from: &str, dest: &str, flavor: Flavor) -> PathBuf {
    let file = dest.split('#').next().unwrap_or_default();
    let base = match flavor {
        Flavor::GithubWiki => dir.to_path_buf(),
        _ => dir.join(from).parent().expect("in a folder").to_path_buf(),
    };
    let mut path = PathBuf::new();
    for part in base.join(percent_decoded(file)).components() {
        match part {
            std::path::Component::ParentDir => {
                path.pop();
            }
            other => path.push(other),
        }
    }
    path
}

#[test]
fn git_wiki_flavours_write_the_page_names_and_links_those_wikis_resolve() {
    let kb = Kb::fixture("all-kinds");
    for flavor in [Flavor::GithubWiki, Flavor::GitlabWiki] {
        let out = tempfile::tempdir().expect("temp dir");
        let dir = out.path().join("wiki");
        export_flavor(&kb, &dir, FrontMatter::Drop, flavor);
        let mut checked = 0;
        for (path, bytes) in snapshot(&dir) {
            let text = String::from_utf8(bytes).expect("utf-8");
            if flavor == Flavor::GithubWiki {
                assert!(!path.contains('/'), "a GitHub wiki page is at the top: {path}");
                assert!(!path.contains(':'), "GitHub wiki names hold no colon: {path}");
            }
            for dest in destinations(&text) {
                if dest.contains("://") {
                    continue;
                }
                let file = dest.split('#').next().unwrap_or_default();
                assert!(!file.ends_with(".md"), "{path}: wiki links have no .md: {dest}");
                if file.is_empty() {
                    continue;
                }
                let target = wiki_target(&dir, &path, &dest, flavor);
                checked += 1;
                let page = PathBuf::from(format!("{}.md", target.display()));
                assert!(page.is_file() || target.is_file(), "{flavor:?} {path}: `{dest}` lands on no page");
            }
        }
        assert!(checked >= 20, "{flavor:?}: only {checked} links checked");
        let home = if flavor == Flavor::GithubWiki { "Home.md" } else { "home.md" };
        assert!(dir.join(home).is_file(), "{flavor:?} opens on {home}");
    }
    let out = tempfile::tempdir().expect("temp dir");
    export_flavor(&kb, &out.path().join("wiki"), FrontMatter::Drop, Flavor::GithubWiki);
    let home = std::fs::read_to_string(out.path().join("wiki/Home.md")).expect("read");
    assert!(home.contains("[Sec. 2(a): Monthly reports](Sec.-2-a-Monthly-reports)"), "{home}");
}

#[test]
fn the_export_can_drop_front_matter_and_keeps_the_title() {
    let kb = Kb::fixture("all-kinds");
    let out = tempfile::tempdir().expect("temp dir");
    export_to(&kb, &out.path().join("wiki"), FrontMatter::Drop);
    let section = std::fs::read_to_string(out.path().join("wiki/sections/1.md")).expect("read");
    assert!(section.starts_with("# Sec. 1: Purpose\n"), "{section}");
    assert!(!section.contains("+++"), "{section}");
}

#[test]
fn the_export_refuses_the_content_folder() {
    let kb = Kb::fixture("all-kinds");
    let report = export(&ExportOptions {
        build: kb.options(),
        output: kb.root().join("content/wiki"),
        front_matter: FrontMatter::Keep,
        flavor: Flavor::Plain,
    });
    assert!(report.written_to.is_none());
    assert!(report.diagnostics.iter().any(|d| d.message.contains("inside the content folder")));
    assert!(!kb.root().join("content/wiki").exists());
}

#[test]
fn an_obsidian_vault_builds_with_no_changes() {
    let kb = Kb::fixture("obsidian-vault");
    assert!(!kb.root().join("docket.toml").exists() && !kb.root().join("content").exists());
    let report = docket::build(&kb.options());
    assert!(report.succeeded(), "{}", report.diagnostics.render(kb.root(), false));
    assert_eq!(report.items, 3, "three notes; .obsidian is skipped");
    let welcome = kb.output("welcome/index.html");
    assert!(welcome.contains("href=\"/projects/project-plan/\""), "by file name and alias:\n{welcome}");
    assert!(welcome.contains(">the plan</a>"), "an alias with a label");
    assert!(welcome.contains("href=\"/projects/project-plan/#goals\""), "a heading link");
    assert!(welcome.contains("href=\"/projects/archive/old-idea/\""), "a note with no front matter, by file name");
    assert!(
        welcome
            .contains("<figcaption class=\"embed-source\">From <a href=\"/projects/project-plan/\">Project Plan</a>"),
        "a note embed draws the note:\n{welcome}"
    );
    assert!(welcome.contains("Ship the thing."), "the embedded note's text");
    // Two image embeds of its own, and the embedded plan's.
    assert_eq!(welcome.matches("<img src=\"/attachments/diagram.png\"").count(), 3, "image embeds:\n{welcome}");
    assert!(kb.public().join("attachments/diagram.png").is_file(), "attachments are copied");
    assert!(!kb.public().join(".obsidian").exists());
    let old = kb.output("projects/archive/old-idea/index.html");
    assert!(old.contains("href=\"/projects/project-plan/\""), "an alias with a space");
    kb.build();
    assert!(!kb.public().join("public").exists(), "a second build does not read its own output as notes");
    assert_eq!(docket::build(&kb.options()).items, 3);
}

#[test]
fn untrusted_mode_sanitises_raw_html() {
    let kb = Kb::new();
    let note = "# Wiki page\n\n<div class=\"box\" onclick=\"steal()\">Hello<script>alert('x')</script></div>\n\n\
                Inline <b onmouseover=\"bad()\">bold</b> and <a href=\"javascript:alert(1)\">a link</a>.\n\n\
                <img src=\"x.png\" onerror=\"bad()\">\n";
    kb.write("content/page.md", note);
    kb.build();
    let trusted = kb.output("page/index.html");
    assert!(trusted.contains("<script>alert('x')</script>"), "trusted mode passes HTML through");
    kb.write("docket.toml", &format!("{}untrusted_html = true\n", crate::support::CONFIG));
    kb.build();
    let html = kb.output("page/index.html");
    let body = &html[html.find("<main").expect("main")..html.find("</main>").expect("main end")];
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("onclick") && !body.contains("onmouseover") && !body.contains("onerror"), "{body}");
    assert!(!body.contains("javascript:"), "{body}");
    assert!(body.contains("<div class=\"box\">Hello</div>"), "safe HTML stays:\n{body}");
    assert!(body.contains("<b>bold</b>"), "inline tags keep their shape:\n{body}");
}
