//! The pages readers land on: audience and agency pages, the responsibility matrix, the
//! glossary and indexes, client alerts in their three versions, the Atom feeds and the
//! client-alert theme. Built from `tests/fixtures/landing`, whose audiences, agencies and
//! relevance ratings are chosen so that every list has something to include and
//! something to leave out.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{Kb, copy_dir, snapshot};

/// The part of a page from the element with `id` to the end of its section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element with id {id}"));
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// Positions of each needle in `haystack`, panicking on a missing one.
fn positions(haystack: &str, needles: &[&str]) -> Vec<usize> {
    needles.iter().map(|n| haystack.find(n).unwrap_or_else(|| panic!("`{n}` is missing from:\n{haystack}"))).collect()
}

/// Every value of `attribute="..."` in the HTML.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let marker = format!(" {attribute}=\"");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let value = &html[at + marker.len()..];
            &value[..value.find('"').expect("attribute values are quoted")]
        })
        .collect()
}

#[test]
fn an_audience_page_lists_exactly_its_provisions_most_relevant_first() {
    let kb = Kb::fixture("landing");
    kb.build();
    let page = kb.output("for/devs/index.html");
    let provisions = section(&page, "provisions");
    let order = positions(provisions, &["Sec. 3: Models", "Sec. 2(a): Reports", "Sec. 1: Purpose"]);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "high, then 60, then low: {provisions}");
    assert_eq!(provisions.matches("<li").count(), 3, "only the provisions naming the audience: {provisions}");
    assert!(!provisions.contains("Operations"), "Sec. 2 names another audience");
    assert!(!provisions.contains("A note for developers"), "a note is not a provision");
    assert!(section(&page, "related").contains("A note for developers"), "notes and alerts are listed apart");
}

#[test]
fn an_audience_page_has_its_filtered_deadlines_checklist_questions_and_sources() {
    let kb = Kb::fixture("landing");
    kb.build();
    let page = kb.output("for/devs/index.html");
    let deadlines = section(&page, "deadlines");
    assert!(deadlines.contains("id=\"dl-dl-devs\""), "its deadline");
    assert!(!deadlines.contains("dl-ops"), "not another audience's deadline");
    assert!(deadlines.contains("href=\"/sub/for/devs/deadlines.ics\""), "its own calendar file");

    let checklist = section(&page, "checklist");
    let order = positions(checklist, &["Read the whole act.", "File the report.", "Decide whether to opt in."]);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "its own actions first, then in the act's order: {checklist}");
    assert!(checklist.contains("href=\"/sub/sections/3/\""), "each action links to the item it came from");
    assert!(!checklist.contains("Ops-only action."));

    let questions = section(&page, "open-questions-list");
    positions(questions, &["Who counts as a developer?", "Is the purpose binding?"]);

    let sources = section(&page, "sources");
    assert!(sources.contains("Developer news") && sources.contains("claims about Sec. 3: Models"), "{sources}");
    assert!(!sources.contains("Operator news"), "its claims are about a provision for operators");
}

#[test]
fn an_agency_page_says_what_it_must_do_by_when_and_with_whom() {
    let kb = Kb::fixture("landing");
    kb.build();
    let alpha = kb.output("agencies/aa/index.html");
    let duties = section(&alpha, "duties");
    assert!(
        duties.contains("Sec. 2: Operations") && duties.contains("2 March 2026"),
        "acts under Sec. 2, due in 60 days: {duties}"
    );
    assert!(duties.contains("href=\"/sub/agencies/cc/\""), "consults Gamma on Sec. 2");
    assert!(section(&alpha, "consulted").contains("File the developer report"), "consulted on the developer report");
    assert!(
        alpha.contains("Acting through it") && alpha.contains("href=\"/sub/agencies/bb/\""),
        "Beta acts through Alpha"
    );
    let beta = kb.output("agencies/bb/index.html");
    assert!(beta.contains("Acts through") && beta.contains("href=\"/sub/agencies/aa/\""));
    let duties = section(&beta, "duties");
    assert_eq!(duties.matches("31 January 2026").count(), 2, "the deadline and its provision are due in 30 days");
    let order = positions(duties, &["Developer report", "Sec. 2(a): Reports"]);
    assert!(order[0] < order[1], "same date: in label order");
}

#[test]
fn each_instrument_gets_its_own_matrix_with_only_its_agencies() {
    let kb = Kb::fixture("landing");
    kb.write("content/instruments/other.md", "+++\ntitle = \"Other Act\"\nsigned = 2026-01-01\n+++\nAnother act.\n");
    kb.write(
        "content/sections/other-1.md",
        "+++\ninstrument = \"other\"\nnumber = \"1\"\ntitle = \"Scope\"\nagencies = [\"bb\"]\n+++\nScope.\n",
    );
    kb.build();
    let main = kb.output("agencies/matrix/index.html");
    assert!(
        main.contains(">Fixture Act Sec. 2: Operations</a></th>"),
        "the default instrument's matrix stays at /agencies/matrix/; with two instruments, labels name theirs"
    );
    assert!(!main.contains("Sec. 1: Scope</a></th>"), "another instrument's provisions are not in it");
    assert!(main.contains("href=\"/sub/agencies/matrix/other/\">Other Act</a>"), "it links to the other matrix");
    let other = kb.output("agencies/matrix/other/index.html");
    let header = &other[other.find("<thead>").expect("a header row")..other.find("</thead>").expect("closed")];
    assert_eq!(header.matches("scope=\"col\"").count(), 2, "the provision column and BB alone:\n{header}");
    assert!(header.contains(">BB<"));
    assert!(other.contains(">Other Act Sec. 1: Scope</a></th>"));
    assert!(other.contains("href=\"/sub/agencies/matrix/\">Fixture Act</a>"), "and back");
    let sitemap = kb.output("sitemap.xml");
    for route in ["agencies/matrix/", "agencies/matrix/other/"] {
        assert!(sitemap.contains(&format!("<loc>https://kb.example.org/sub/{route}</loc>")), "{route} in the sitemap");
    }
}

#[test]
fn the_responsibility_matrix_marks_acting_and_consulted_agencies_in_words() {
    let kb = Kb::fixture("landing");
    kb.build();
    let matrix = kb.output("agencies/matrix/index.html");
    assert!(matrix.contains("<caption>"), "a caption");
    let header = &matrix[matrix.find("<thead>").expect("a header row")..matrix.find("</thead>").expect("closed")];
    let columns = positions(header, &[">AA<", ">BB<", ">CC<"]);
    assert!(columns.windows(2).all(|w| w[0] < w[1]), "agencies sorted by short name");
    assert_eq!(header.matches("scope=\"col\"").count(), 4, "provision column and three agencies");
    let row = |label: &str| -> Vec<String> {
        let start = matrix.find(&format!(">{label}</a></th>")).unwrap_or_else(|| panic!("no row {label}"));
        let end = start + matrix[start..].find("</tr>").expect("row ends");
        matrix[start..end]
            .split("<td")
            .skip(1)
            .map(|cell| {
                if cell.contains("> acts") {
                    "acts"
                } else if cell.contains("consulted") {
                    "consulted"
                } else {
                    ""
                }
                .to_string()
            })
            .collect()
    };
    assert_eq!(row("Sec. 2: Operations"), ["acts", "", "consulted"], "Alpha acts, Gamma is consulted");
    assert_eq!(row("Sec. 2(a): Reports"), ["consulted", "acts", ""], "its deadline consults Alpha");
    assert_eq!(row("Sec. 3: Models"), ["", "", "acts"]);
    assert!(!matrix.contains(">Sec. 1: Purpose</a></th>"), "a provision without agencies has no row");
    assert!(
        kb.output("agencies/index.html").contains("href=\"/sub/agencies/matrix/\""),
        "linked from the agency index"
    );
}

#[test]
fn glossary_provision_and_source_indexes() {
    let kb = Kb::fixture("landing");
    kb.build();
    let glossary = kb.output("glossary/index.html");
    let order = positions(&glossary, &["id=\"alpha\"", "id=\"zeta\""]);
    assert!(order[0] < order[1], "alphabetical");
    assert!(glossary.contains("A test before release.") && glossary.contains("A model at the frontier."));
    let provisions = kb.output("provisions/index.html");
    let nested = &provisions[provisions.find("Sec. 2: Operations").expect("Sec. 2")..];
    assert!(nested.find("<ul class=\"tree\">").expect("a nested list") < nested.find("Sec. 2(a)").expect("Sec. 2(a)"));
    assert!(nested.find("Sec. 2(a)").expect("2(a)") < nested.find("Sec. 3").expect("3"), "in the act's order");
    let sources = kb.output("sources/index.html");
    assert!(sources.contains("news report · 5 January 2026 · 1 claim · 0 conflicts"), "{sources}");
}

#[test]
fn an_alert_is_published_as_a_web_page_a_print_page_and_an_email() {
    let kb = Kb::fixture("landing");
    kb.build();
    let web = kb.output("alerts/first-alert/index.html");
    assert!(
        web.contains("href=\"/sub/alerts/first-alert/print/\"")
            && web.contains("href=\"/sub/alerts/first-alert/email.html\"")
    );
    assert!(web.contains("Fixture disclaimer") && web.contains("Ada Author") && web.contains("Key takeaways"));
    // Dated 10 January, built as of 15 February: the alert speaks as of its own date.
    assert!(web.contains("Status as of <time datetime=\"2026-01-10\">10 January 2026</time>"), "the web footer");

    let print = kb.output("alerts/first-alert/print/index.html");
    assert!(!print.contains("site-nav") && !print.contains("breadcrumbs"), "no navigation");
    assert!(print.contains("static/alert.css") && !print.contains("<style"), "the print stylesheet is linked");
    assert!(
        print.contains("href=\"https://kb.example.org/sub/sections/3/\""),
        "links are absolute, so printed URLs are whole"
    );
    assert!(print.contains("Status as of <time datetime=\"2026-01-10\">10 January 2026</time>, the alert's date"));
    let css = kb.output("static/alert.css");
    assert!(css.contains("@media print") && !css.contains("attr(href)"), "no URL printed inline");
    assert!(print.contains("<sup class=\"endnote-ref\">1</sup>"), "links carry note numbers");
    assert!(print.contains("id=\"endnotes-heading\">Links</h2>"), "and their addresses are listed at the end");

    let email = kb.output("alerts/first-alert/email.html");
    assert!(email.contains("Status as of 10 January 2026, the alert's date"), "the e-mail's as-of line");
    assert!(!email.to_lowercase().contains("<script"), "no script, even from raw HTML in the body");
    assert!(!email.contains("<link") && !email.contains("<style"), "no external or embedded stylesheet");
    for url in attribute_values(&email, "href").into_iter().chain(attribute_values(&email, "src")) {
        assert!(url.starts_with("https://kb.example.org/sub/") || url.starts_with("mailto:"), "relative URL {url}");
    }
    assert!(email.contains("href=\"https://kb.example.org/sub/alerts/first-alert/#background\""), "anchors too");
    assert!(email.contains("src=\"https://kb.example.org/sub/logo.svg\""), "the logo");
    for element in ["<p ", "<h2 ", "<td ", "<a "] {
        let tags = email.match_indices(element).count();
        assert!(tags > 0, "{element}");
        let styled = email
            .match_indices(element)
            .filter(|(at, _)| email[*at..].split('>').next().is_some_and(|t| t.contains("style=\"")))
            .count();
        assert_eq!(styled, tags, "every {element} element carries its style");
    }
    assert!(email.contains("role=\"presentation\""), "table layout");
    assert!(email.contains("File the developer report"), "the embedded deadlines");
    assert!(!email.contains("deadline-table"), "as stacked paragraphs, not an eight-column table a phone cannot show");
}

#[test]
fn the_atom_feeds_parse_and_carry_absolute_links() {
    let kb = Kb::fixture("landing");
    kb.build();
    let alerts = feed_rs::parser::parse(kb.output("alerts/feed.xml").as_bytes()).expect("the alert feed parses");
    let titles: Vec<&str> = alerts.entries.iter().map(|e| e.title.as_ref().expect("titled").content.as_str()).collect();
    assert_eq!(titles, ["A later alert", "What the Fixture Act means"], "newest first");
    let first = &alerts.entries[1];
    assert_eq!(first.id, "https://kb.example.org/sub/alerts/first-alert/");
    assert_eq!(first.links[0].href, "https://kb.example.org/sub/alerts/first-alert/");
    assert_eq!(first.updated.expect("updated").format("%Y-%m-%d").to_string(), "2026-01-20", "from `updated`");
    assert_eq!(first.published.expect("published").format("%Y-%m-%d").to_string(), "2026-01-10", "from `date`");
    assert_eq!(first.authors[0].name.as_deref(), Some("Ada Author"));
    assert_eq!(alerts.updated.expect("feed updated").format("%Y-%m-%d").to_string(), "2026-02-01");
    assert!(alerts.links.iter().all(|l| l.href.starts_with("https://kb.example.org/sub/")));

    let changes = feed_rs::parser::parse(kb.output("feed.xml").as_bytes()).expect("the site feed parses");
    let ids: Vec<&str> = changes.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 19, "every item, dated or not");
    let dated: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| {
            id.ends_with("/alerts/second-alert/")
                || id.ends_with("/sections/3/")
                || id.ends_with("/alerts/first-alert/")
        })
        .collect();
    assert_eq!(
        dated,
        [
            "https://kb.example.org/sub/alerts/second-alert/",
            "https://kb.example.org/sub/sections/3/",
            "https://kb.example.org/sub/alerts/first-alert/",
        ],
        "items with their own dates, by updated date, newest first"
    );
}

#[test]
fn feeds_and_emails_are_deterministic() {
    let kb = Kb::fixture("landing");
    kb.build();
    let first = (kb.output("feed.xml"), kb.output("alerts/feed.xml"), kb.output("alerts/first-alert/email.html"));
    kb.build();
    let second = (kb.output("feed.xml"), kb.output("alerts/feed.xml"), kb.output("alerts/first-alert/email.html"));
    assert_eq!(first, second);
}

#[test]
fn the_client_alert_theme_overrides_only_what_it_defines() {
    let kb = Kb::fixture("landing");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/client-alert");
    copy_dir(&shipped, &kb.root().join("themes/client-alert"));
    let default_out = kb.root().join("out-default");
    let themed_out = kb.root().join("out-themed");
    let report = docket::build(&docket::BuildOptions { output: Some(default_out.clone()), ..kb.options() });
    assert!(report.succeeded());
    let config = std::fs::read_to_string(kb.root().join("docket.toml")).expect("config");
    kb.write("docket.toml", &format!("theme = \"client-alert\"\n{config}"));
    let report = docket::build(&docket::BuildOptions { output: Some(themed_out.clone()), ..kb.options() });
    assert!(report.succeeded());

    // The search index and the hash manifest are derived from the pages, so they follow
    // the alert pages' changes; compare what the theme itself produces.
    let derived = |(path, _): &(String, Vec<u8>)| path.starts_with("search-index") || path == "docket-manifest.json";
    let default_files: Vec<_> = snapshot(&default_out).into_iter().filter(|f| !derived(f)).collect();
    let themed_files: Vec<_> = snapshot(&themed_out).into_iter().filter(|f| !derived(f)).collect();
    let paths = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<BTreeSet<_>>();
    assert_eq!(paths(&default_files), paths(&themed_files), "the same files");
    let changed: BTreeSet<String> =
        default_files.iter().zip(&themed_files).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0.clone()).collect();
    let expected: BTreeSet<String> = [
        "alerts/first-alert/index.html",
        "alerts/first-alert/print/index.html",
        "alerts/second-alert/index.html",
        "alerts/second-alert/print/index.html",
        "static/alert.css",
    ]
    .iter()
    .map(|p| p.replace('/', std::path::MAIN_SEPARATOR_STR))
    .collect();
    assert_eq!(changed, expected, "only the alert pages and the alert stylesheet change");

    let alert = std::fs::read_to_string(themed_out.join("alerts/first-alert/index.html")).expect("alert");
    assert!(alert.contains("class=\"letterhead-logo\" src=\"/sub/logo.svg\""), "letterhead logo");
    assert!(alert.contains("class=\"letterhead-firm\">Fixture &amp; Co<"), "letterhead firm");
    assert!(alert.contains("class=\"author-block\"") && alert.contains("mailto:ada@example.org"), "author block");
    assert!(alert.contains("id=\"disclaimer-heading\""), "disclaimer");
    let css = std::fs::read_to_string(themed_out.join("static/alert.css")).expect("alert.css");
    assert!(css.contains(".endnote-ref") && !css.contains("attr(href)"), "addresses as notes, never inline");
}

#[test]
fn a_hand_written_section_takes_in_the_generated_one_of_the_same_name() {
    // The German-language fixture, its provision given hand-written sections whose names the
    // generated ones share, written in another case and spacing.
    let kb = Kb::fixture("claims-verordnung");
    let note = std::fs::read_to_string(kb.root().join("content/sections/1.md")).expect("read the provision");
    let (front, _) = note.rsplit_once("+++").expect("front matter");
    let front = front.replacen(
        "agencies = [\"uba\"]",
        "agencies = [\"uba\"]\nquestions = [\"Gilt die Frist auch für kleine Versorger?\"]",
        1,
    );
    kb.write(
        "content/sections/1.md",
        &format!(
            "{front}+++\n\nVersorger melden ihre Werte dem [[uba]].\n\n\
             ##   where THE sources   disagree\n\nVon Hand: die Quellen nennen verschiedene Fristen.\n\n\
             ## open QUESTIONS\n\nVon Hand: wer prüft die Werte?\n\n## Hintergrund\n\nDie Verordnung ist neu.\n"
        ),
    );
    kb.build();
    let page = kb.output("sections/1/index.html");
    let headings: Vec<&str> =
        page.match_indices("<h2").map(|(at, _)| &page[at..at + page[at..].find("</h2>").unwrap()]).collect();
    let named = |name: &str| {
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        headings.iter().filter(|h| words(h).contains(name)).count()
    };
    assert_eq!(named("sources disagree"), 1, "one disagreement section: {headings:#?}");
    assert_eq!(named("open questions"), 1, "one open-questions section: {headings:#?}");
    assert!(!page.contains("id=\"questions-heading\"") && !page.contains("id=\"conflicts-heading\""));

    // Hand-written text first, then the generated content, inside the hand-written section.
    let order = positions(
        &page,
        &[
            "id=\"where-the-sources-disagree\"",
            "Von Hand: die Quellen",
            "class=\"conflict reviewed\"",
            "id=\"open-questions\"",
            "Von Hand: wer prüft",
            "Gilt die Frist auch für kleine Versorger?",
            "id=\"hintergrund\"",
        ],
    );
    assert!(order.windows(2).all(|w| w[0] < w[1]), "merged in place: {order:?}");

    // "On this page" lists each once, at the hand-written heading.
    let toc = &page[page.find("<nav class=\"toc\"").expect("a table of contents")..];
    let toc = &toc[..toc.find("</nav>").expect("toc end")];
    assert_eq!(toc.matches("href=\"#open-questions\"").count(), 1, "{toc}");
    assert_eq!(toc.matches("href=\"#where-the-sources-disagree\"").count(), 1, "{toc}");
    assert!(!toc.contains("#questions-heading") && !toc.contains("#conflicts-heading"), "{toc}");
    // Sections with no hand-written namesake keep their own heading.
    assert!(page.contains("<h2 id=\"claims-about-heading\">What sources say</h2>"));
}
