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

// ---------------------------------------------------------------------------------------
// Finding 1: script through markdown and raw HTML, in every output.

/// Script vectors in the forms of OWASP's XSS filter-evasion cheat sheet, written the ways
/// markdown allows: heading attributes, inline, reference-style and autolinks, images, and
/// raw HTML (blocks and inline tags), with entity and whitespace disguises. (A markdown
/// destination with leading spaces or a tab before its colon is read as a relative path
/// and fails the build as a missing attachment, so it never reaches a reader.)
const XSS_BODY: &str = r#"
## Read me {tabindex=0 autofocus onfocus=alert(1)}

[inline](javascript:alert(1)) [cased](JaVaScRiPt:alert(1))
[vb](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[entity](&#106;avascript:alert(1)) [colon](javascript&colon;alert(1))
[reference][evil] <javascript:alert(1)> ![image](javascript:alert(1)) ![svg](data:image/svg+xml,<svg/onload=alert(1)>)
[fine](https://example.com/ok) [mail](mailto:a@example.org)

[evil]: javascript:alert(1)

<img src=x onerror=alert(1)>
<svg/onload=alert(1)>
<IMG SRC=JaVaScRiPt:alert('XSS')>
<a href="jav&#x09;ascript:alert(1)">tab</a> <a href="&#x6A;avascript:alert(1)">hex</a>
<iframe src="javascript:alert(1)"></iframe>
<body onload=alert(1)>
<script>alert(1)</script>
<div style="background:url(javascript:alert(1))">styled</div>
<details open ontoggle=alert(1)><summary>s</summary></details>
<input autofocus onfocus=alert(1)>
<object data="javascript:alert(1)"></object>
<form action="javascript:alert(1)"><button>go</button></form>
<math><mi xlink:href="javascript:alert(1)">m</mi></math>

Inline <b onmouseover="alert(1)">bold</b> and <a href="vbscript:x">vb</a> tags.
"#;

fn xss_kb(untrusted: bool) -> Kb {
    let kb = Kb::new();
    let mode = if untrusted { "untrusted_html = true\n" } else { "" };
    kb.write("docket.toml", &format!("{}{mode}", crate::support::CONFIG));
    kb.write("content/notes/vectors.md", &format!("+++\ntitle = \"Vectors\"\n+++\n{XSS_BODY}"));
    kb.write(
        "content/alerts/alert.md",
        &format!("+++\ntitle = \"Alert\"\ndate = 2026-02-10\ntakeaways = [\"Read it\"]\n+++\n{XSS_BODY}"),
    );
    kb
}

/// Decodes the character references a browser decodes in attribute values (numeric, and
/// the named ones the cheat sheet uses), so a disguised scheme is seen as the browser sees it.
fn decode_references(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&n| n < 12);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let code = match name.strip_prefix('#') {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
                Some(dec) => dec.parse().ok(),
                None => match name.to_ascii_lowercase().as_str() {
                    "colon" => Some(':' as u32),
                    "tab" => Some('\t' as u32),
                    "newline" => Some('\n' as u32),
                    "amp" => Some('&' as u32),
                    "quot" => Some('"' as u32),
                    "apos" => Some('\'' as u32),
                    "lt" => Some('<' as u32),
                    "gt" => Some('>' as u32),
                    _ => None,
                },
            };
            Some((char::from_u32(code?)?, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every tag of `html` that carries an event handler or a script-running URL.
fn script_in_tags(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for chunk in html.split('<').skip(1) {
        if !chunk.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let tag = chunk.split('>').next().unwrap_or_default();
        let decoded: String = decode_references(tag)
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        let handler = tag
            .to_ascii_lowercase()
            .split(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
            .any(|word| {
                word.starts_with("on")
                    && word.contains('=')
                    && word[2..]
                        .split('=')
                        .next()
                        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphabetic()))
            });
        let decoded = decoded.replace(['"', '\''], "");
        let url = ["href=", "src=", "action=", "data=", "poster=", "background=", "url("].iter().any(|attribute| {
            ["javascript:", "vbscript:", "data:text/html", "data:image/svg"]
                .iter()
                .any(|scheme| decoded.contains(&format!("{attribute}{scheme}")))
        });
        if handler || url {
            found.push(format!("<{tag}>"));
        }
    }
    found
}

/// Script in any published file: HTML as it is, feeds and XML once unescaped (their HTML
/// content is escaped text), JSON with its `\u003c` escapes undone.
fn script_in_site(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        let extension = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or_default();
        let markup = match extension {
            "html" => text.to_string(),
            "xml" | "atom" => decode_references(&text),
            "json" | "js" => text.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\\"", "\""),
            _ => continue,
        };
        problems.extend(script_in_tags(&markup).into_iter().map(|tag| format!("{path}: {tag}")));
    }
    problems
}

#[test]
fn the_scanner_sees_every_vector_of_the_corpus() {
    let found = script_in_tags(&decode_references(
        "<img src=x onerror=alert(1)><a href=\"jav&#x09;ascript:x\"><h2 onfocus=alert(1) id=a><a href=\"&#x6A;avascript:x\">",
    ));
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(script_in_tags("<a href=\"https://example.org/\" class=\"online\">x</a> onload=text").is_empty());
}

/// In untrusted mode no output — pages, the alert's print and e-mail versions, feeds,
/// the search index — carries an event handler or a script URL, while safe links stay.
#[test]
fn untrusted_mode_lets_no_xss_vector_through_to_any_output() {
    let kb = xss_kb(true);
    kb.build();
    let files = snapshot(&kb.public());
    let problems = script_in_site(&files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let note = kb.output("notes/vectors/index.html");
    assert!(note.contains("href=\"https://example.com/ok\"") && note.contains("href=\"mailto:a@example.org\""));
    assert!(note.contains("id=\"read-me\""), "the heading keeps its anchor");
    let email = kb.output("alerts/alert/email.html");
    assert!(email.contains("https://example.com/ok"), "the e-mail version was written with the body");
}

/// In normal mode raw HTML is the author's own and stays on the web page, but the e-mail
/// version, read in a mail client, never carries a handler or a script URL.
#[test]
fn the_email_version_carries_no_script_in_trusted_mode_either() {
    let kb = xss_kb(false);
    kb.build();
    let page = kb.output("alerts/alert/index.html");
    assert!(page.contains("onerror=alert(1)"), "the web page keeps the author's raw HTML");
    let email = kb.output("alerts/alert/email.html");
    let problems = script_in_tags(&email);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
