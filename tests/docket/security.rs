//! Hostile strings in every front-matter field and in the site configuration land
//! escaped wherever they are published: HTML text and attributes, JSON inside `<script>`,
//! XML (sitemap, feeds), and, when the build writes them, iCalendar and CSV exports
//! (spreadsheet formulas neutralised). Raw HTML in a note's *body* is the author's own
//! markup and passes through by design (issue 8's untrusted mode sanitises it).
//!
//! Outputs that do not exist yet are checked when they appear: `.ics`, `.csv`, `.atom`
//! and the search index are looked for by extension, so this test grows with the site.

use std::path::Path;

use crate::crawl::parse_page;
use crate::support::{Kb, snapshot};

/// Breaks out of an element, an attribute (both quotes), a `<script>` block, a CDATA
/// section and a template tag, in one string.
const HOSTILE: &str = "x\"'><x-evil a=1>&amp;</script><x-evil>]]><!--{{ 7*7 }}{% raw %}";
/// A spreadsheet formula and an iCalendar line injection.
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";
const ICS_BREAK: &str = "a\r\nBEGIN:VEVENT\r\nSUMMARY:evil";

fn hostile_kb() -> Kb {
    let h = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"");
    let f = FORMULA.replace('"', "\\\"");
    let i = ICS_BREAK.replace('\r', "\\r").replace('\n', "\\n");
    let kb = Kb::new();
    kb.write(
        "docket.toml",
        &format!(
            "title = \"Site {h}\"\nbase_url = \"https://example.org/\"\nas_of = 2026-07-15\ndescription = \"Desc {h}\"\n\
             [alerts]\nfirm = \"Firm {h}\"\ndisclaimer = \"Disc {h}\"\ncontact = \"Contact {h}\"\n"
        ),
    );
    kb.write(
        "content/instruments/act.md",
        &format!(
            "+++\ntitle = \"Act {h}\"\ntype = \"statute {h}\"\ncitation = \"Cit {h}\"\nsigned = 2026-01-01\nstatus = \"St {h}\"\n\
             url = \"https://example.org/?q={h}\"\nsummary = \"Sum {h}\"\ntags = [\"tag {h}\"]\naliases = [\"alias {h}\"]\n+++\n"
        ),
    );
    kb.write(
        "content/sections/1.md",
        &format!(
            "+++\nnumber = \"1\"\ntitle = \"Prov {h}\"\nheading = \"Head {h}\"\nagencies = [\"epa\"]\nsummary = \"{f}\"\n\
             questions = [\"Q {h}\"]\nactions = [{{ audience = \"utilities\", text = \"Act {h}\" }}]\n\
             audiences = {{ utilities = \"high\" }}\n+++\nSee [[epa]] and [@src].\n"
        ),
    );
    kb.write(
        "content/agencies/epa.md",
        &format!("+++\ntitle = \"Agency {h}\"\nshort = \"EPA {h}\"\nurl = \"https://example.org/{h}\"\n+++\n"),
    );
    kb.write("content/audiences/utilities.md", &format!("+++\ntitle = \"Aud {h}\"\nsummary = \"{f}\"\n+++\n"));
    kb.write("content/terms/t.md", &format!("+++\ntitle = \"Term {h}\"\nshort = \"Short {h}\"\n+++\nDefinition.\n"));
    kb.write(
        "content/deadlines/dl.md",
        &format!(
            "+++\ntitle = \"{i} {h}\"\nprovision = \"1\"\naction = \"{f} {h}\"\nagencies = [\"epa\"]\n\
             rule = \"within 30 days of signing\"\naudiences = [\"utilities\"]\n+++\n"
        ),
    );
    kb.write(
        "content/sources/src.md",
        &format!(
            "+++\ntitle = \"Src {h}\"\ntype = \"news {h}\"\npublisher = \"Pub {h}\"\nauthor = \"Auth {h}\"\nshort = \"Short {h}\"\n\
             date = 2026-02-02\nurl = \"mailto:{h}\"\n\
             [[claims]]\nabout = \"dl\"\nattribute = \"due {h}\"\nvalue = \"{f}\"\nquote = \"Quote {h}\"\nlocation = \"Loc {h}\"\n+++\n"
        ),
    );
    kb.write(
        "content/alerts/alert.md",
        &format!(
            "+++\ntitle = \"Alert {h}\"\ndate = 2026-02-10\ntakeaways = [\"Take {h}\"]\ncontact = \"C {h}\"\n\
             authors = [{{ name = \"N {h}\", role = \"R {h}\", email = \"e{h}@example.org\" }}]\n+++\nBody.\n"
        ),
    );
    kb.write("content/notes/n.md", &format!("+++\ntitle = \"Note {h}\"\nsummary = \"{f}\"\n+++\nSee [[1]].\n"));
    kb
}

#[test]
fn hostile_strings_in_every_field_are_escaped_wherever_they_land() {
    let kb = hostile_kb();
    let report = docket::build(&kb.options());
    let rendered = report.diagnostics.render(kb.root(), false);
    assert!(report.succeeded(), "{rendered}");
    let files = snapshot(&kb.public());
    let mut problems = Vec::new();
    let mut seen_in_html = 0;
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let extension = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or_default();
        // Markup only matters where a browser or feed reader parses it; CSV, JSON, iCalendar
        // and the search index carry the field's text as data.
        if matches!(extension, "html" | "xml" | "atom") && text.contains("<x-evil") {
            problems.push(format!("{path}: an unescaped tag from a field"));
        }
        match extension {
            "html" => {
                seen_in_html += text.matches("x-evil").count();
                problems.extend(html_problems(path, &text));
            }
            "xml" | "atom" => problems.extend(xml_problems(path, &text)),
            "ics" => problems.extend(ics_problems(path, &text)),
            "csv" => problems.extend(csv_problems(path, &text)),
            _ => {}
        }
    }
    assert!(seen_in_html > 20, "the hostile strings were not published at all ({seen_in_html}); is the fixture right?");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// No link made from a field may run script, and `<script>` blocks must not be closed
/// early by a field (JSON in a script escapes `<`).
fn html_problems(path: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for link in parse_page(text).links {
        if link.value.trim().to_ascii_lowercase().starts_with("javascript:") {
            problems.push(format!("{path}: {} {}=\"{}\" runs script", link.tag, link.attribute, link.value));
        }
    }
    for block in text.split("<script").skip(1) {
        let body = block.split_once('>').map_or("", |(_, rest)| rest);
        let body = body.split("</script>").next().unwrap_or_default();
        if body.contains("x-evil") && body.contains('<') {
            problems.push(format!("{path}: a field reached a <script> block with a raw `<`"));
        }
    }
    problems
}

fn xml_problems(path: &str, text: &str) -> Vec<String> {
    if text.contains("x-evil")
        && (text.contains("<x-evil") || text.matches("]]>").count() > text.matches("<![CDATA[").count())
    {
        return vec![format!("{path}: a field broke out of its XML element")];
    }
    Vec::new()
}

/// A field must not start a line of its own (a new property or event).
fn ics_problems(path: &str, text: &str) -> Vec<String> {
    let events = text.lines().filter(|l| *l == "BEGIN:VEVENT").count();
    let summaries_injected = text.lines().any(|l| l.starts_with("SUMMARY:evil"));
    if summaries_injected || events != text.lines().filter(|l| *l == "END:VEVENT").count() {
        return vec![format!("{path}: a field injected iCalendar lines")];
    }
    Vec::new()
}

/// A cell must not start with `=`, `+`, `-`, `@`, tab or carriage return unquoted (a
/// spreadsheet would run it as a formula).
fn csv_problems(path: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for line in text.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            if cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.len() > 1 && !cell[1..2].chars().all(|c| c.is_ascii_digit()))
            {
                problems.push(format!("{path}: the cell `{cell}` would run as a formula"));
            }
        }
    }
    problems
}

#[test]
fn an_item_url_that_is_not_a_web_address_is_an_error_at_the_key() {
    let kb = Kb::new();
    kb.write("content/sources/a.md", "+++\ntitle = \"A\"\nurl = \" JavaScript:alert(1)\"\n+++\n");
    kb.write("content/agencies/b.md", "---\ntitle: B\nurl: \"java\\tscript:alert(1)\"\n---\n");
    kb.write(
        "content/instruments/c.md",
        "+++\ntitle = \"C\"\nurl = \"data:text/html,<script>alert(1)</script>\"\n+++\n",
    );
    kb.write("content/sources/fine.md", "+++\ntitle = \"Fine\"\nurl = \"https://example.org/a?b=c\"\n+++\n");
    let report = kb.build_fails();
    let urls: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "url").collect();
    assert_eq!(urls.len(), 3, "{:#?}", report.diagnostics);
    for (diagnostic, path) in
        urls.iter().zip(["content/agencies/b.md", "content/instruments/c.md", "content/sources/a.md"])
    {
        crate::support::assert_at(diagnostic, path, 3, 1, docket::diagnostics::Severity::Error);
    }
}

#[test]
fn the_checks_catch_what_they_look_for() {
    assert_eq!(html_problems("p", "<a href=\"javascript:alert(1)\">x</a>").len(), 1);
    assert_eq!(html_problems("p", "<script>var x = \"x-evil</b>\";</script>").len(), 1);
    assert!(html_problems("p", "<script>var x = \"x-evil\\u003c\";</script>").is_empty());
    assert_eq!(ics_problems("p", "BEGIN:VEVENT\r\nSUMMARY:a\r\nSUMMARY:evil\r\nEND:VEVENT\r\n").len(), 1);
    assert_eq!(csv_problems("p", "id,action\nx,=HYPERLINK(1)\n").len(), 1);
    assert!(csv_problems("p", "id,action\nx,'=HYPERLINK(1)\ny,-3\n").is_empty());
}
