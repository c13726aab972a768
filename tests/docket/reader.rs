//! What readers see, on every page of the shipped knowledge base and of the fixtures:
//! no authoring syntax in the text or the meta description, no page over the size
//! budget, a feed linked from every page and holding every item.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use docket::BuildOptions;

use crate::support::Kb;

/// The largest HTML page a reader should have to download, in bytes.
const PAGE_BUDGET: u64 = 150_000;

/// Builds the knowledge base at `root` into a temporary folder; returns the folder.
fn build(root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: Some(dir.path().join("public")),
        as_of: NaiveDate::from_ymd_opt(2026, 12, 6),
        ..BuildOptions::default()
    };
    let report = docket::build(&options);
    assert!(report.succeeded(), "{}", report.diagnostics.render(root, false));
    dir
}

fn knowledge_bases() -> Vec<(String, PathBuf, Option<Kb>)> {
    let mut found = vec![("shipped".to_string(), PathBuf::from(env!("CARGO_MANIFEST_DIR")), None)];
    for fixture in ["all-kinds", "landing"] {
        let kb = Kb::fixture(fixture);
        found.push((fixture.to_string(), kb.root().to_path_buf(), Some(kb)));
    }
    found
}

fn html_pages(site: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// The text a reader sees: element content outside scripts, styles and code, and the
/// meta and Open Graph descriptions.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    for name in ["name=\"description\" content=\"", "property=\"og:description\" content=\""] {
        if let Some(at) = html.find(name) {
            let rest = &html[at + name.len()..];
            text.push_str(&rest[..rest.find('"').unwrap_or(0)]);
            text.push('\n');
        }
    }
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        let skipped = ["<script", "<style", "<code", "<pre"].iter().find(|tag| rest.starts_with(*tag));
        let end = match skipped {
            Some(tag) => {
                let close = format!("</{}>", &tag[1..]);
                rest.find(&close).map_or(rest.len(), |at| at + close.len())
            }
            None => rest.find('>').map_or(rest.len(), |at| at + 1),
        };
        text.push(' ');
        rest = &rest[end..];
    }
    text.push_str(rest);
    text.replace("&amp;", "&").replace("&quot;", "\"").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">")
}

/// Authoring syntax in `text`: wikilink brackets, `@source` citations, `id#anchor`
/// targets and markdown link syntax.
fn authoring_syntax(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let around = |i: usize| chars[i.saturating_sub(40)..(i + 40).min(chars.len())].iter().collect::<String>();
    for (i, window) in chars.windows(2).enumerate() {
        let [a, b] = [window[0], window[1]];
        let wikilink = (a == '[' && b == '[') || (a == ']' && b == ']');
        let markdown_link = a == ']' && b == '(';
        let citation = a == '@' && b.is_ascii_lowercase() && (i == 0 || !chars[i - 1].is_alphanumeric());
        let anchor = a == '#'
            && b.is_ascii_lowercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit() || chars[i - 1] == ')');
        if wikilink || markdown_link || citation || anchor {
            found.push(around(i));
        }
    }
    found
}

#[test]
fn the_scan_finds_authoring_syntax() {
    for raw in ["see [[2-d]]", "as [@client-alert, Sec. 2] says", "see 2-d#where-the-sources-disagree", "[x](y.md)"] {
        assert!(!authoring_syntax(raw).is_empty(), "{raw}");
    }
    for fine in ["write to a@b.org", "Sec. 2(d) — the C# language", "[1] a note", "costs $30"] {
        assert_eq!(authoring_syntax(fine), Vec::<String>::new(), "{fine}");
    }
}

#[test]
fn no_page_of_any_knowledge_base_shows_authoring_syntax() {
    let mut failures = Vec::new();
    for (name, root, _kb) in knowledge_bases() {
        let built = build(&root);
        let pages = html_pages(built.path());
        assert!(pages.len() > 10, "{name}: only {} pages", pages.len());
        for page in pages {
            let html = std::fs::read_to_string(&page).expect("read page");
            for hit in authoring_syntax(&visible_text(&html)) {
                failures
                    .push(format!("{name} {}: …{hit}…", page.strip_prefix(built.path()).unwrap_or(&page).display()));
            }
        }
    }
    assert!(failures.is_empty(), "{} hits:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_page_is_within_the_size_budget_and_links_the_feed() {
    for (name, root, _kb) in knowledge_bases() {
        let built = build(&root);
        for page in html_pages(built.path()) {
            let size = std::fs::metadata(&page).expect("stat").len();
            let shown = page.strip_prefix(built.path()).unwrap_or(&page).display().to_string();
            assert!(size <= PAGE_BUDGET, "{name} {shown}: {size} bytes, over the {PAGE_BUDGET}-byte budget");
            // The e-mail version of an alert is mail, not a page of the site.
            if shown.ends_with("email.html") {
                continue;
            }
            let html = std::fs::read_to_string(&page).expect("read page");
            assert!(
                html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
                "{name} {shown} does not link the feed"
            );
        }
    }
}

#[test]
fn the_site_feed_holds_every_item_with_its_own_date() {
    for (name, root, _kb) in knowledge_bases() {
        let built = build(&root);
        let xml = std::fs::read(built.path().join("public/feed.xml")).expect("feed.xml");
        let feed = feed_rs::parser::parse(&xml[..]).expect("the feed parses");
        let compiled = docket::compile(&BuildOptions { root: root.clone(), ..BuildOptions::default() }, false);
        assert_eq!(feed.entries.len(), compiled.site.items.len(), "{name}: one entry per item");
        for item in &compiled.site.items {
            let entry = feed.entries.iter().find(|e| e.id.ends_with(&format!("/{}", item.route)));
            let entry = entry.unwrap_or_else(|| panic!("{name}: {} is not in the feed", item.route));
            let updated = entry.updated.expect("every entry has a date").date_naive();
            if let Some(own) = item.updated {
                assert_eq!(updated, own, "{name}: {} carries its own `updated`", item.route);
            }
            let summary = entry.summary.as_ref().map(|s| s.content.clone()).unwrap_or_default();
            assert!(authoring_syntax(&summary).is_empty(), "{name}: {} summary: {summary}", item.route);
        }
    }
}

#[test]
fn every_audience_page_opens_with_what_to_do_and_by_when() {
    for (name, root, _kb) in knowledge_bases() {
        let built = build(&root);
        let audiences = built.path().join("public/for");
        let pages = html_pages(&audiences);
        assert!(!pages.is_empty(), "{name} has audience pages");
        for page in pages {
            let html = std::fs::read_to_string(&page).expect("read page");
            let shown = page.strip_prefix(built.path()).unwrap_or(&page).display().to_string();
            let block = html.find("id=\"at-a-glance\"").unwrap_or_else(|| panic!("{name} {shown}: no opening block"));
            let overview = html.find("id=\"what-it-means\"").expect("an overview");
            assert!(block < overview, "{name} {shown}: the opening block comes first");
            let opening = &html[block..overview];
            let has_deadlines = html.contains("<table class=\"deadline-table\"");
            assert_eq!(opening.contains("<time datetime="), has_deadlines, "{name} {shown}: dates up front");
            assert_eq!(html.contains("deadlines.ics"), has_deadlines, "{name} {shown}: no empty calendar offered");
        }
    }
}

#[test]
fn the_conflicts_page_groups_by_provision_counts_and_speaks_in_labels() {
    for (name, root, _kb) in knowledge_bases() {
        let built = build(&root);
        let html = std::fs::read_to_string(built.path().join("public/conflicts/index.html")).expect("conflicts page");
        let compiled = docket::compile(&BuildOptions { root: root.clone(), ..BuildOptions::default() }, false);
        let total = compiled.graph.claims.conflicts.len();
        if total == 0 {
            assert!(html.contains("No conflicts found."), "{name}");
            continue;
        }
        let open = compiled.graph.claims.conflicts.iter().filter(|c| c.reviewed.is_none()).count();
        assert!(
            html.contains(&format!("<strong>{total}</strong> conflict"))
                && html.contains(&format!("<strong>{open}</strong> open")),
            "{name}: the counts"
        );
        assert_eq!(html.matches("<div class=\"conflict").count(), total, "{name}: every conflict once");
        assert!(html.matches("<section class=\"conflict-group\"").count() >= 1, "{name}: grouped");
        assert!(html.contains("<form class=\"conflict-filter\" hidden"), "{name}: a filter, shown by the script");
        // Values read as labels: no position is a bare id of an item.
        for item in &compiled.site.items {
            assert!(
                !html.contains(&format!("<strong>“{}”</strong>", item.id)),
                "{name}: bare id {} as a value",
                item.id
            );
        }
        for conflict in &compiled.graph.claims.conflicts {
            let attribute = &conflict.attribute;
            if attribute.contains('-') || attribute.contains('_') {
                assert!(!html.contains(&format!(">{attribute} of ")), "{name}: raw attribute {attribute}");
            }
        }
    }
}

#[test]
fn on_this_page_lists_every_section_and_headings_have_permalinks() {
    let built = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    for page in html_pages(&built.path().join("public/sources"))
        .into_iter()
        .chain(html_pages(&built.path().join("public/sections")))
    {
        let html = std::fs::read_to_string(&page).expect("read page");
        let Some(start) = html.find("<nav class=\"toc\"") else { continue };
        let toc = &html[start..start + html[start..].find("</nav>").expect("toc end")];
        for (id, _) in html.match_indices("<h2 id=\"") {
            let anchor = &html[id + 8..id + 8 + html[id + 8..].find('"').expect("id end")];
            assert!(
                toc.contains(&format!("href=\"#{anchor}\"")),
                "{}: #{anchor} is not in On this page",
                page.display()
            );
        }
        let content = &html[html.find("<div class=\"content\">").expect("content")..];
        // The note's own headings: the generated sections that follow are templates'.
        let content = &content[..content.find("<section").unwrap_or(content.len())];
        for (at, _) in content.match_indices("<h2 id=\"") {
            let heading = &content[at..at + content[at..].find("</h2>").expect("heading end")];
            assert!(heading.contains("class=\"heading-link\""), "{}: {heading} has no permalink", page.display());
        }
    }
}

#[test]
fn a_knowledge_base_restyles_the_site_with_static_extra_css() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    assert!(!kb.output("index.html").contains("extra.css"), "no link to a file that is not there");
    kb.write("static/extra.css", ":root { --accent: #6a1b9a; --font-body: Georgia, serif; --page-width: 80rem; }\n");
    kb.build();
    assert!(kb.output("extra.css").contains("--accent: #6a1b9a"), "published at the root");
    for page in ["index.html", "deadlines/index.html", "alerts/water-act-alert/print/index.html"] {
        let html = kb.output(page);
        let theme = html.find("static/style.css").unwrap_or_else(|| panic!("{page} loads the theme"));
        let extra = html.find("extra.css\">").unwrap_or_else(|| panic!("{page} loads extra.css"));
        assert!(extra > theme, "{page}: extra.css comes after the theme, so it wins");
    }
    let css = kb.output("static/style.css");
    for property in ["--accent:", "--font-body:", "--page-width:", "--measure:"] {
        assert!(css.contains(property), "the theme exposes {property}");
    }
}

/// The `#claim-N` links of the citations of a built page, as (target file, anchor).
fn claim_links(site: &Path, page: &Path) -> Vec<(PathBuf, String)> {
    let html = std::fs::read_to_string(page).expect("read page");
    let mut links = Vec::new();
    for (at, _) in html.match_indices("<cite class=\"citation\">") {
        let cite = &html[at..at + html[at..].find("</cite>").expect("citation end")];
        for (href, _) in cite.match_indices("href=\"") {
            let href = &cite[href + 6..href + 6 + cite[href + 6..].find('"').expect("href end")];
            let Some((path, anchor)) = href.split_once("#claim-") else { continue };
            let route = path.split_once("//").map_or(path, |(_, rest)| &rest[rest.find('/').unwrap_or(0)..]);
            let file = site.join(route.trim_start_matches('/')).join("index.html");
            links.push((file, format!("claim-{anchor}")));
        }
    }
    links
}

#[test]
fn citations_link_to_the_claim_they_support() {
    let kb = Kb::fixture("claims-verordnung");
    let note = std::fs::read_to_string(kb.root().join("content/sections/1.md")).expect("read the provision");
    kb.write(
        "content/sections/1.md",
        &format!(
            "{note}\nDie Frist [@zeitung, Absatz 1]. Der Wortlaut [@amtsblatt, § 1 Abs. 1] und das Bußgeld \
             [@amtsblatt, §2]. Zuständig [@blog]. Insgesamt [@amtsblatt]. Anderswo [@zeitung, Absatz 9].\n"
        ),
    );
    kb.write(
        "content/instruments/wasserverordnung.md",
        "+++\ntitle = \"Verordnung über die Meldung von Wasserwerten\"\ntype = \"regulation\"\n+++\n\n\
         Die Verordnung hat einen Paragraphen: [[1]]. Beteiligt [@zeitung, absatz  2]; eine Meinung [@blog].\n",
    );
    kb.build();
    let cites = |page: &str| -> Vec<String> {
        let html = kb.output(page);
        html.match_indices("<cite class=\"citation\">")
            .map(|(at, _)| html[at..at + html[at..].find("</cite>").unwrap()].to_string())
            .collect()
    };
    let provision = cites("sections/1/index.html");
    let expected = [
        // The locator names one claim's location.
        "/sources/zeitung/#claim-2\">Zeitung</a>, Absatz 1",
        // Two claims about the provision at the locator: the first, where both are.
        "/sources/amtsblatt/#claim-1\">Amtsblatt</a>, § 1 Abs. 1",
        // Spacing and punctuation aside.
        "/sources/amtsblatt/#claim-4\">Amtsblatt</a>, §2",
        // No locator; the source's one claim about this provision.
        "/sources/blog/#claim-1\">Blog</a>",
        // No locator; four claims about it from different places: the page.
        "/sources/amtsblatt/\">Amtsblatt</a>)",
        // A locator that names no claim, and claims from several places: the page.
        "/sources/zeitung/\">Zeitung</a>, Absatz 9",
    ];
    for want in expected {
        assert!(provision.iter().any(|c| c.contains(want)), "no citation with {want} in {provision:#?}");
    }
    let instrument = cites("instruments/wasserverordnung/index.html");
    // From a note no claim is about, only the locator can tell.
    assert!(
        instrument.iter().any(|c| c.contains("/sources/zeitung/#claim-1\">Zeitung</a>, absatz  2")),
        "{instrument:#?}"
    );
    assert!(instrument.iter().any(|c| c.contains("/sources/blog/\">Blog</a>")), "{instrument:#?}");

    // Each anchor is on its page, on the row quoting the passage.
    let zeitung = kb.output("sources/zeitung/index.html");
    let row = &zeitung[zeitung.find("id=\"claim-2\"").expect("the anchor")..];
    assert!(row[..row.find("</tr>").expect("row end")].contains("binnen eines Monats"), "{row}");
    for (file, anchor) in claim_links(&kb.public(), &kb.public().join("sections/1/index.html")) {
        let target = std::fs::read_to_string(&file).expect("the cited page");
        assert!(target.contains(&format!("id=\"{anchor}\"")), "{}: no #{anchor}", file.display());
    }
}

#[test]
fn every_claim_a_citation_links_to_is_on_its_page() {
    for (name, root, _kb) in knowledge_bases() {
        let built = build(&root);
        let site = built.path().join("public");
        let mut linked = 0;
        for page in html_pages(&site) {
            for (file, anchor) in claim_links(&site, &page) {
                let target = std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("{name}: {}", file.display()));
                assert!(target.contains(&format!("id=\"{anchor}\"")), "{name}: {} has no #{anchor}", file.display());
                linked += 1;
            }
        }
        if name == "shipped" {
            assert!(linked > 100, "shipped: only {linked} citations reach a claim");
        }
    }
}
