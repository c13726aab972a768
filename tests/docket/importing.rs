//! Existing content built as it is: a Hugo content folder with one folder per document,
//! an Obsidian vault with comments, callouts, highlights, sized images, block ids and
//! embedded notes (issue 20).

use crate::support::Kb;

/// The `<main>` of an output page, so the assertions read the body alone.
fn main_of(kb: &Kb, path: &str) -> String {
    let html = kb.output(path);
    let start = html.find("<main").expect("main");
    let end = html.find("</main>").expect("main end");
    html[start..end].to_string()
}

#[test]
fn hugo_leaf_bundles_and_colliding_names_build_with_path_ids() {
    let kb = Kb::fixture("import-hugo");
    let report = kb.build();
    assert_eq!(report.diagnostics.iter().count(), 0, "{}", report.diagnostics.render(kb.root(), false));
    let water = main_of(&kb, "laws/water-act/index.html");
    assert!(water.contains("href=\"/laws/air-act/\""), "a bundle answers to its folder's name:\n{water}");
    assert!(water.contains("href=\"/memos/memo-1/introduction/\""), "the shortest path that tells two notes apart");
    let air = main_of(&kb, "laws/air-act/index.html");
    assert!(air.contains("href=\"/laws/water-act/\""), "a markdown link to a bundle's index.md");
    let analysis = main_of(&kb, "memos/memo-1/analysis/index.html");
    assert!(
        analysis.contains("href=\"/memos/memo-1/introduction/\" title=\"Memo 1: introduction\">its introduction</a>")
    );
    let second = main_of(&kb, "memos/memo-2/introduction/index.html");
    assert!(second.contains("href=\"/laws/water-act/\"") && second.contains("href=\"/memos/memo-1/introduction/\""));
    assert!(kb.output("laws/index.html").contains("The laws the agency administers."), "a section's _index.md");
}

#[test]
fn a_bare_shared_name_is_ambiguous_and_names_both_notes() {
    let kb = Kb::fixture("import-hugo");
    kb.write("content/memos/digest.md", "# Digest\n\nStart with [[introduction]].\n");
    let report = kb.build_fails();
    let error = crate::support::only(&report, "ambiguous-reference");
    assert!(error.hint.as_deref().unwrap_or_default().contains("memo-1/introduction"), "{error:?}");
}

/// A shared name linked from beside one of the notes means that one, as in Obsidian
/// (its help vault links `[[Security and privacy]]` from two folders that each have one).
#[test]
fn a_shared_name_means_the_note_in_the_linking_notes_folder() {
    let kb = Kb::fixture("import-hugo");
    kb.write("content/memos/memo-2/summary.md", "# Summary\n\nStart with [[introduction]].\n");
    kb.build();
    let summary = main_of(&kb, "memos/memo-2/summary/index.html");
    assert!(summary.contains("href=\"/memos/memo-2/introduction/\""), "{summary}");
}

/// A note may repeat one of its own sections further down, as Obsidian's help vault
/// does; embedding the section that holds the embed is still a cycle.
#[test]
fn a_note_may_embed_its_own_other_sections_but_not_the_one_holding_the_embed() {
    let kb = Kb::new();
    let setup = "# Set up\n\n## Log in\n\nOpen settings and sign in.\n\n## From the switcher\n\n![[setup#Log in]]\n";
    kb.write("content/notes/setup.md", setup);
    kb.build();
    let page = main_of(&kb, "notes/setup/index.html");
    assert_eq!(page.matches("<figure class=\"embed").count(), 1, "{page}");
    let figure = &page[page.find("<figure class=\"embed").expect("embed")..];
    assert!(figure[..figure.find("</figure>").expect("end")].contains("Open settings and sign in."), "{page}");
    kb.write("content/notes/setup.md", "# Set up\n\n## Log in\n\nSign in.\n\n![[setup#Log in]]\n");
    let report = kb.build_fails();
    let cycle = crate::support::only(&report, "embed-cycle");
    assert_eq!(cycle.line, 7, "{cycle:?}");
}

/// A vault's own `favicon.ico` is published as the site's, not reported as colliding
/// with the theme's (Obsidian's help vault has one).
#[test]
fn a_vaults_own_favicon_is_the_sites() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "# A\n");
    kb.write("content/favicon.ico", "own icon");
    kb.build();
    assert_eq!(kb.output("favicon.ico"), "own icon");
}

/// A note at the address of a list docket would leave empty is that page (Obsidian's
/// help vault publishes its own Glossary note at `glossary`, and its Tags note at
/// `tags`, which takes that address from the list of tags with a warning).
#[test]
fn a_note_takes_the_address_of_a_list_that_would_be_empty() {
    let kb = Kb::new();
    kb.write("content/Glossary.md", "---\npermalink: glossary\n---\n\nWords we use.\n");
    kb.write("content/Tags.md", "---\npermalink: tags\n---\n\nHow tags work.\n");
    kb.build();
    assert!(kb.output("glossary/index.html").contains("Words we use."));
    assert!(kb.output("tags/index.html").contains("How tags work."));
    kb.write("content/Note.md", "# Note\n\nTagged #policy.\n");
    let report = kb.build();
    let replaced = crate::support::only(&report, "replaced-list");
    assert_eq!(replaced.path, std::path::Path::new("content/Tags.md"));
    assert!(kb.output("tags/index.html").contains("How tags work."), "the note keeps its address");
    assert!(kb.output("tags/policy/index.html").contains("href=\"/note/\""), "the tag's own page is still there");
}

/// A note whose first heading is not a level-1 heading is named by its file, as in
/// Obsidian: the help vault's `Callouts.md` opens with `## Change the title`.
#[test]
fn a_note_without_a_title_heading_is_named_by_its_file() {
    let kb = Kb::new();
    kb.write("content/Callouts.md", "Use callouts.\n\n## Change the title\n\nLike this.\n");
    kb.write("content/Embeds.md", "# Embed files\n\nLike this.\n");
    kb.build();
    assert!(kb.output("callouts/index.html").contains("<title>Callouts"), "{}", kb.output("callouts/index.html"));
    assert!(kb.output("embeds/index.html").contains("<title>Embed files"));
}

#[test]
fn path_ids_can_be_chosen_for_a_whole_knowledge_base() {
    let kb = Kb::fixture("import-hugo");
    kb.write("docket.toml", "[references]\nids = \"path\"\n");
    kb.write("content/memos/digest.md", "# Digest\n\nSee [[laws/water-act]] and [[memos/memo-2/introduction]].\n");
    let report = kb.build();
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(kb.root(), false));
    let digest = main_of(&kb, "memos/digest/index.html");
    assert!(digest.contains("href=\"/laws/water-act/\"") && digest.contains("href=\"/memos/memo-2/introduction/\""));
}

#[test]
fn an_obsidian_vault_keeps_its_comments_private_and_renders_its_features() {
    let kb = Kb::fixture("import-vault");
    let report = kb.build();
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(kb.root(), false));
    for entry in walkdir::WalkDir::new(kb.public()) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("lobbyist") && !text.contains("TODO: ask"), "a comment leaked into {entry:?}");
            assert!(!text.contains("%%"), "comment markers in {entry:?}");
        }
    }
    let home = main_of(&kb, "home/index.html");
    assert!(home.contains("<p>Notes on residential tenancy law.") && !home.contains("<br"), "no hard break:\n{home}");
    assert!(
        home.contains(
            "<div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">How to read this vault</p>"
        ),
        "{home}"
    );
    assert!(home.contains(
        "<details class=\"callout callout-warning\"><summary class=\"callout-title\">Not legal advice</summary>"
    ));
    assert!(!home.contains("[!note]") && !home.contains("[!warning]"));
    assert!(home.contains("The <mark>key rule</mark> is"));
    assert!(home.contains("<a href=\"mailto:clinic@tenancy.example\">clinic@tenancy.example</a>"));
    assert!(home.contains(
        "<img src=\"/attachments/seal.png\" alt=\"seal.png\" width=\"120\" loading=\"lazy\" decoding=\"async\">"
    ));
    assert!(home.contains("<a href=\"#deposits\">the deposit section</a>"), "a same-page link, checked");
    assert!(home.contains("href=\"/statutes/repairs/\""), "the statute, not the case digest of the same name");
    assert!(home.contains("href=\"/deposit-rules/#%5Einterest\""), "a block reference:\n{home}");
    let deposits = main_of(&kb, "deposit-rules/index.html");
    assert!(deposits.contains("the tenant.<span class=\"block-anchor\" id=\"^interest\"></span>"), "{deposits}");
    assert!(!deposits.contains(" ^interest"), "the block id itself is not shown");
    let case = main_of(&kb, "cases/repairs/index.html");
    assert!(case.contains("href=\"/statutes/repairs/\""));
}

#[test]
fn thousands_of_identical_problems_make_a_report_that_fits_on_a_screen() {
    let kb = Kb::new();
    for n in 0..2000 {
        kb.write(&format!("content/notes/n{n}.md"), &format!("---\ncreated: 2024-01-01\n---\nSee [[missing-{n}]].\n"));
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(["build", "--root"])
        .arg(kb.root())
        .output()
        .expect("run docket");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.lines().count() < 100, "{} lines:\n{stderr}", stderr.lines().count());
    let first_warning = stderr.find("warning[").expect("warnings shown");
    assert!(stderr.find("error[").expect("errors shown") < first_warning, "errors come first");
    assert!(stderr.contains("… and 1,995 more error(s) like this `unresolved-reference`"), "{stderr}");
    assert!(stderr.contains("    2,000 warning unknown-key"), "{stderr}");
    assert!(!kb.public().exists(), "a failed build writes nothing");
}

#[test]
fn a_statute_one_file_per_article_lists_its_articles_in_natural_order() {
    let kb = Kb::fixture("import-statute");
    let report = kb.build();
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(kb.root(), false));
    let folder = main_of(&kb, "constitution/index.html");
    let order: Vec<usize> = ["article-4/", "article-1/", "article-2/", "article-10/", "article-31/", "article-31a/"]
        .iter()
        .chain(["article-31b/", "article-32/"].iter())
        .map(|route| {
            folder.find(&format!("href=\"/constitution/{route}\"")).unwrap_or_else(|| panic!("{route} listed"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "nav_order first, then 1, 2, 10, 31, 31A, 31B, 32:\n{folder}");
    assert!(folder.contains(">Article 31A. Saving of laws on estates</a>"), "listed with its number");
    let article = main_of(&kb, "constitution/article-31a/index.html");
    assert!(
        article.contains("Article 31A. Saving of laws on estates</h2>") || article.contains("Article 31A."),
        "{article}"
    );
    let repealed = main_of(&kb, "constitution/article-31/index.html");
    assert!(
        repealed.contains("<span class=\"status provision-status provision-status-repealed\">repealed</span>"),
        "an article's `status: repealed` is the provisions' typed status, with its badge:\n{repealed}"
    );
    assert!(repealed.contains("href=\"/constitution/article-31a/\""), "[[article-31A]] by its file name");
    // Every page is reachable from the home page: the navigation offers the notes index,
    // which lists the whole folder tree.
    let home = kb.output("index.html");
    assert!(home.contains("href=\"/notes/\""), "{home}");
    let notes = kb.output("notes/index.html");
    for route in ["constitution/", "constitution/article-1/", "constitution/article-31b/"] {
        assert!(notes.contains(&format!("href=\"/{route}\"")), "{route} in the notes index");
    }
    assert!(notes.find("/constitution/article-2/") < notes.find("/constitution/article-10/"));
}

#[test]
fn a_jekyll_site_builds_with_its_permalinks_and_without_its_machinery() {
    let kb = Kb::fixture("import-jekyll");
    let report = kb.build();
    assert_eq!(report.diagnostics.error_count(), 0, "{}", report.diagnostics.render(kb.root(), false));
    assert!(report.diagnostics.iter().all(|d| d.code == "unknown-key"), "only Jekyll's own keys are reported");
    assert!(kb.public().join("overview/index.html").is_file());
    assert!(kb.public().join("reporting/index.html").is_file(), "permalink /reporting/ for guidance/reporting.md");
    assert!(kb.public().join("guidance/sender-authentication/index.html").is_file(), "a .html permalink");
    for machinery in ["_config.yml", "_layouts", "Gemfile"] {
        assert!(!kb.public().join(machinery).exists(), "{machinery} is not published");
    }
    assert!(!kb.output("404.html").contains("Not found.\n"), "docket's own 404 page, not Jekyll's");
    let overview = main_of(&kb, "overview/index.html");
    assert!(overview.contains("href=\"/guidance/sender-authentication/#spf-dkim\""), "{overview}");
    assert!(overview.contains("href=\"mailto:security@agency.example\""));
    let retention = main_of(&kb, "guidance/retention/index.html");
    assert!(
        retention.contains("href=\"/overview/\""),
        "a collection published by path; a link by page URL:\n{retention}"
    );
    assert!(retention.contains("href=\"/guidance/sender-authentication/#dmarc\""));
    assert!(retention.contains("href=\"/guidance/sender-authentication/#spf-dkim\""), "a GitHub-style heading id");
    let guidance = main_of(&kb, "guidance/index.html");
    let reporting = guidance.find("href=\"/reporting/\"").expect("reporting listed under guidance");
    let sender = guidance.find("href=\"/guidance/sender-authentication/\"").expect("sender authentication listed");
    assert!(reporting < sender, "nav_order 2 before 3:\n{guidance}");
}

#[test]
fn root_paths_own_urls_raw_html_and_fragments_are_checked_like_wikilinks() {
    let kb = Kb::new();
    kb.write("content/notes/target.md", "# Target\n\n## Scope\n\nText.\n");
    kb.write(
        "content/notes/links.md",
        "# Links\n\n\
         Good: [t](/notes/target/), [own](https://example.org/notes/target/#scope), [home](/),\n\
         [index](/notes/), <a href=\"/notes/target/\">raw</a>, [same](#links), [elsewhere](https://other.org/x).\n\n\
         Bad: [a](/no-such/)\n\n\
         [b](https://example.org/gone/)\n\n\
         <a href=\"/missing.html\">c</a>\n\n\
         [d](#missing)\n",
    );
    let report = kb.build_fails();
    let broken: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "broken-link").collect();
    assert_eq!(broken.len(), 3, "{}", report.diagnostics.render(kb.root(), false));
    let lines: Vec<usize> = broken.iter().map(|d| d.line).collect();
    assert_eq!(lines, [6, 8, 10], "each at its own line");
    crate::support::assert_at(broken[0], "content/notes/links.md", 6, 6, docket::diagnostics::Severity::Error);
    let anchor = crate::support::only(&report, "bad-anchor");
    assert_eq!((anchor.line, anchor.column), (12, 1));

    kb.write("docket.toml", &format!("{}[references]\nbroken = \"warn\"\n", crate::support::CONFIG));
    let report = kb.build();
    assert_eq!(report.diagnostics.iter().filter(|d| d.code == "broken-link").count(), 3, "warnings with warn");
}

#[test]
fn liquid_tags_and_shortcodes_are_reported_once_per_file_not_run() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "# A\n\nSee {% link guide.md %} and {% include x.html %}.\n\n```\n{% raw %}\n```\n");
    kb.write("content/notes/b.md", "# B\n\n{{< figure src=\"x.png\" >}}\n");
    kb.write("content/notes/c.md", "# C\n\nIn code: `{% tag %}` only.\n");
    let report = kb.build();
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "unsupported-template").collect();
    assert_eq!(found.len(), 2, "{}", report.diagnostics.render(kb.root(), false));
    crate::support::assert_at(found[0], "content/notes/a.md", 3, 5, docket::diagnostics::Severity::Warning);
    assert!(found[0].message.contains("Liquid tag") && found[1].message.contains("Hugo shortcode"));
}

#[test]
fn an_embed_cycle_in_a_vault_is_an_error_at_the_embed() {
    let kb = Kb::fixture("import-vault");
    kb.write("content/cycle-one.md", "# Cycle one\n\nSee below.\n\n![[cycle-two]]\n");
    kb.write("content/cycle-two.md", "# Cycle two\n\n![[cycle-one]]\n");
    let report = kb.build_fails();
    let cycles: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "embed-cycle").collect();
    assert_eq!(cycles.len(), 2, "{cycles:?}");
    assert!(cycles.iter().any(|d| d.message.contains("leads back to `cycle-one`")), "{cycles:?}");
}

/// A bundle's `slug` renames the bundle, as in Hugo: `b/bgb/index.md` with `slug: bgb`
/// was published at `/b/bgb/bgb/` (every law of the German federal-law corpus
/// bundestag/gesetze was), and `slug: civil-code` must give `/b/civil-code/`.
#[test]
fn a_bundle_slug_renames_the_bundle_instead_of_adding_a_folder() {
    let kb = Kb::new();
    kb.write("content/b/bgb/index.md", "---\ntitle: Bürgerliches Gesetzbuch\nslug: bgb\n---\n\n# BGB\n");
    kb.write("content/b/hgb/index.md", "---\ntitle: Handelsgesetzbuch\nslug: commercial-code\n---\n\n# HGB\n");
    kb.write("content/b/_index.md", "---\ntitle: B\n---\n\nLaws under B: [[bgb]], [[hgb]].\n");
    kb.build();
    assert!(kb.output("b/bgb/index.html").contains("Bürgerliches Gesetzbuch"));
    assert!(kb.output("b/commercial-code/index.html").contains("Handelsgesetzbuch"));
    assert!(!kb.public().join("b/bgb/bgb").exists() && !kb.public().join("b/hgb").exists());
    let section = main_of(&kb, "b/index.html");
    assert!(section.contains("href=\"/b/bgb/\"") && section.contains("href=\"/b/commercial-code/\""), "{section}");
    // An empty slug (digitalgov.gov writes `slug: ""`) leaves the folder's name.
    kb.write("content/b/ux/_index.md", "---\ntitle: User experience\nslug: \"\"\n---\n\nUX.\n");
    kb.build();
    assert!(kb.output("b/ux/index.html").contains("User experience"));
}

/// A knowledge base of imported notes only: the navigation offered eight sections with
/// nothing in them and the home page showed a title and nothing else (bundestag/gesetze,
/// 6,637 laws). Now the navigation offers what exists and the home page opens the notes.
#[test]
fn a_knowledge_base_of_notes_offers_its_notes_not_empty_sections() {
    let kb = Kb::new();
    for n in 1..=30 {
        kb.write(&format!("content/laws/law-{n}/index.md"), &format!("# Law {n}\n\nWhat law {n} does.\n"));
    }
    kb.build();
    let home = kb.output("index.html");
    let nav = &home[home.find("site-nav").expect("nav")..home.find("</nav>").expect("nav end")];
    assert!(nav.contains(">Notes<") && nav.contains(">Search<"), "{nav}");
    for empty in ["Provisions", "Deadlines", "Sources", "Audiences", "Agencies", "Glossary", "Conflicts", "Alerts"] {
        assert!(!nav.contains(&format!(">{empty}<")), "{empty} has nothing to list: {nav}");
    }
    let main = main_of(&kb, "index.html");
    assert!(main.contains("href=\"/laws/law-1/\"") && main.contains("href=\"/laws/law-2/\""), "{main}");
    assert!(!main.contains("href=\"/laws/law-30/\""), "the home page lists the first 25");
    assert!(main.contains("All 30 notes"), "{main}");
    let guides = Kb::new();
    guides.write("content/accessibility/index.md", "---\ntitle: Introduction\n---\n\nOn access.\n");
    guides.write("content/content-guide/index.md", "---\ntitle: Introduction\n---\n\nOn words.\n");
    guides.build();
    let main = main_of(&guides, "index.html");
    assert!(main.contains("<span class=\"meta\">content guide</span>"), "two introductions told apart: {main}");
    assert!(kb.output("deadlines/index.html").contains("<h1"), "the empty sections are still built");
    let shipped = Kb::fixture("several-instruments");
    shipped.build();
    let nav = shipped.output("index.html");
    assert!(nav.contains(">Deadlines<") && nav.contains(">Provisions<"), "a knowledge base with deadlines offers them");
}

/// Eleventy's `permalink: false` keeps a page out of the output; 18F's guides use it for
/// navigation parents, two of which clashed at `/false/` and failed the build.
#[test]
fn a_page_with_permalink_false_is_not_published() {
    let kb = Kb::new();
    kb.write("content/agile/_agile.md", "---\npermalink: false\n---\n\nA meta page.\n");
    kb.write("content/brand/_brand.md", "---\npermalink: false\n---\n\nAnother.\n");
    kb.write("content/agile/intro.md", "---\ntitle: Agile\n---\n\nHow we work.\n");
    let report = kb.build();
    assert!(!report.diagnostics.has_errors());
    assert!(!kb.public().join("false").exists());
    assert!(kb.output("agile/intro/index.html").contains("How we work."));
}

/// Every `id="…"` of a page, in order.
fn ids_of(html: &str) -> Vec<&str> {
    html.split(" id=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect()
}

#[test]
fn embedded_notes_sections_and_blocks_are_drawn_in_place() {
    let kb = Kb::fixture("import-vault");
    let report = kb.build();
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(kb.root(), false));
    let home = main_of(&kb, "home/index.html");
    // A heading embed: the section, to the next heading of its level, under the page's h2.
    let section = home.split("<figure class=\"embed embed-note\"").nth(1).expect("a section embed");
    assert!(section.contains(
        "<figcaption class=\"embed-source\">From <a href=\"/deposit-rules/#the-cap\">Deposit rules: The cap</a></figcaption>"
    ));
    assert!(section.contains("<h3 id=\"embed-1--the-cap\">The cap</h3>"), "demoted under Deposits:\n{section}");
    assert!(section.contains("<h4 id=\"embed-1--exceptions\">Exceptions</h4>"), "{section}");
    let section = &section[..section.find("</figure>").expect("end")];
    assert!(!section.contains("Returning it") && !section.contains("at most two months"), "only the section");
    assert!(section.contains("href=\"/deposit-rules/#the-cap\">The cap</a>"), "its own [[#…]] links go to its page");
    // A whole note, with a block embed nested in it, splitting the paragraph it stands in.
    assert!(home.contains("<p>In short:</p>\n<figure class=\"embed embed-note\" data-search-ignore>\n<figcaption class=\"embed-source\">From <a href=\"/cases/smith-v-jones/\">Smith v Jones</a>"), "{home}");
    assert!(home.contains("</figure>\n<p>It is the case every later one cites.</p>"), "{home}");
    assert!(
        home.contains("<h3 id=\"embed-2--held\">Held</h3>") && !home.contains(">Smith v Jones</h"),
        "title left out"
    );
    assert!(home.contains("From <a href=\"/deposit-rules/#%5Einterest\">Deposit rules</a>"), "{home}");
    assert!(
        home.contains(
            "the tenant.<span class=\"block-anchor\" id=\"embed-3--^interest\"></span></p>\n</div>\n</figure>"
        )
    );
    let ids = ids_of(&home);
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids repeat: {ids:?}");
    let toc = &home[home.find("On this page").expect("toc")..home.find("<div class=\"content\">").expect("content")];
    assert!(!toc.contains("The cap") && !toc.contains("Held"), "embedded headings stay out of the page's list:\n{toc}");
    assert!(!home.contains("![[") && !home.contains("[[") && !home.contains(" ^"), "no authoring syntax:\n{home}");
    // Where an embed stands alone, the embedded note's "Linked from" says what is embedded.
    let deposits = kb.output("deposit-rules/index.html");
    assert!(deposits.contains("<blockquote class=\"context\">Embeds the section “The cap”.</blockquote>"));
    assert!(deposits.contains("<blockquote class=\"context\">Embeds a passage.</blockquote>"), "{deposits}");
    // A note opening with an embed: its summary is its own first paragraph.
    let digest = kb.output("digest/index.html");
    assert!(digest.contains("<meta name=\"description\" content=\"A digest of the rules that matter most. Read it before Deposit rules and the passage.\">"), "{digest}");
}

#[test]
fn an_embed_of_a_missing_heading_or_block_is_a_bad_anchor() {
    let kb = Kb::fixture("import-vault");
    kb.write("Extra.md", "# Extra\n\n![[Deposit rules#No such part]]\n\n![[Deposit rules#^nothing]]\n");
    let report = kb.build_fails();
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "bad-anchor").collect();
    assert_eq!(found.len(), 2, "{found:?}");
    crate::support::assert_at(found[0], "Extra.md", 3, 1, docket::diagnostics::Severity::Error);
}

#[test]
fn block_ids_and_comment_marks_reach_no_reader() {
    let kb = Kb::fixture("import-vault");
    kb.build();
    for entry in walkdir::WalkDir::new(kb.public()) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")).into_owned();
        assert!(!text.contains('\u{200b}'), "a comment's line-end mark in {entry:?}");
        // Ids stay as anchors (`id="^interest"`, `href="…#%5Einterest"` in HTML, `#^interest` in
        // exported markdown), never as text.
        let shown = text.replace("id=\"^", "").replace("#^", "").replace("--^", "");
        assert!(!shown.contains("^interest") && !shown.contains("^digest"), "a block id in {entry:?}");
    }
    let export = kb.root().join("exported");
    let report = docket::export::export(&docket::export::ExportOptions {
        build: kb.options(),
        output: export.clone(),
        front_matter: docket::export::FrontMatter::Drop,
        flavor: docket::export::Flavor::Plain,
    });
    assert!(report.written_to.is_some(), "{}", report.diagnostics.render(kb.root(), false));
    for (path, bytes) in crate::support::snapshot(&export) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains('\u{200b}') && !text.contains(" ^interest") && !text.contains(" ^digest"),
            "{path}:\n{text}"
        );
        assert!(!text.contains("![["), "{path}:\n{text}");
    }
}

#[test]
fn structured_items_and_embeds_inside_emphasis_stay_cards() {
    let kb = Kb::fixture("import-vault");
    kb.write("sources/Clinic leaflet.md", "# Clinic leaflet\n\nThe clinic explains deposits.\n");
    kb.write("Extra.md", "# Extra\n\nAs *![[Deposit rules]]* says.\n\n![[Clinic leaflet]]\n");
    kb.build();
    let extra = main_of(&kb, "extra/index.html");
    assert!(
        extra.contains("<em><span class=\"embed-card embed-note\"><a class=\"embed-title\" href=\"/deposit-rules/\">")
    );
    assert!(extra.contains(
        "<span class=\"embed-card embed-source\"><a class=\"embed-title\" href=\"/sources/clinic-leaflet/\">"
    ));
    assert!(!extra.contains("<figure"), "{extra}");
}

#[test]
fn an_alert_quotes_a_provision_section_on_its_web_print_and_e_mail_versions() {
    let kb = Kb::fixture("all-kinds");
    let alert = std::fs::read_to_string(kb.root().join("content/alerts/water-act-alert.md")).expect("alert");
    let alert = alert
        .replace("Utilities should read [[2(a)]].", "Utilities should read [[2(a)]]. It says:\n\n![[2(a)#The duty]]\n");
    kb.write("content/alerts/water-act-alert.md", &alert);
    kb.build();
    let web = main_of(&kb, "alerts/water-act-alert/index.html");
    assert!(web.contains("<figure class=\"embed embed-provision\" data-search-ignore>"), "{web}");
    assert!(web.contains("<h2 id=\"embed-1--the-duty\">The duty</h2>"), "{web}");
    assert!(
        web.contains("signing <cite class=\"citation\">(<a href=\"/sources/gazette/\">Gazette</a>)</cite>"),
        "{web}"
    );
    let email = kb.output("alerts/water-act-alert/email.html");
    assert!(email.contains("<figure style=\"margin:0 0 14px;"), "the e-mail styles the figure inline:\n{email}");
    assert!(
        email.contains("href=\"https://kb.example.org/sections/2-a/#the-duty\">Sec. 2(a): The duty</a></figcaption>")
    );
    assert!(kb.output("alerts/water-act-alert/print/index.html").contains("Every utility files a report"));
}

#[test]
fn a_page_draws_at_most_500_embeds_however_they_fan_out() {
    // Eight levels of notes each embedding the next ten times: within the depth limit, but
    // 10⁸ copies if every embed were drawn.
    let kb = Kb::new();
    for level in 0..8 {
        let embeds = format!("![[n{}]]\n\n", level + 1).repeat(10);
        kb.write(&format!("content/notes/n{level}.md"), &format!("# N{level}\n\nNote {level}.\n\n{embeds}"));
    }
    kb.write("content/notes/n8.md", "# N8\n\nThe leaf.\n");
    let started = std::time::Instant::now();
    kb.build();
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "{:?}", started.elapsed());
    let top = main_of(&kb, "notes/n0/index.html");
    assert_eq!(top.matches("<figure class=\"embed").count(), 500);
    assert!(top.contains("embed-card"), "the embeds past the budget are cards");
}

#[test]
fn inline_and_front_matter_tags_link_to_tag_pages_reachable_from_home() {
    let kb = Kb::fixture("import-vault");
    let report = kb.build();
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(kb.root(), false));
    let case = main_of(&kb, "cases/smith-v-jones/index.html");
    assert!(case.contains("<a class=\"tag\" href=\"/tags/case-law/\" rel=\"tag\">#case-law</a>"), "{case}");
    assert!(case.contains("<a class=\"tag\" href=\"/tags/deposits/return/\" rel=\"tag\">#Deposits/return</a>,"));
    for not_a_tag in ["issue #12;", "smith#para-4", "<code>#not-a-tag</code>", ">the #appeal</a>", "Don't"] {
        assert!(case.contains(not_a_tag), "`{not_a_tag}` stays as written:\n{case}");
    }
    assert!(!kb.public().join("tags/12").exists() && !kb.public().join("tags/appeal").exists());
    assert!(!kb.public().join("tags/not-a-tag").exists() && !kb.public().join("tags/para-4").exists());
    assert!(case.contains("<ul class=\"tag-list\" aria-label=\"Tags\""), "the note's tags under its summary");

    let deposits = main_of(&kb, "deposit-rules/index.html");
    assert!(deposits.contains("href=\"/tags/deposits/\">#deposits</a>"), "front matter `tags`:\n{deposits}");
    assert!(deposits.contains("href=\"/tags/deposits/interest/\" rel=\"tag\">#deposits/interest</a>"));

    let tag = main_of(&kb, "tags/deposits/index.html");
    assert!(tag.contains("<h1>#deposits</h1>"), "named as an item wrote it, not as a nested tag's prefix:\n{tag}");
    assert!(tag.contains("2 items tagged"), "itself or a narrower tag:\n{tag}");
    assert!(tag.contains("<a href=\"/deposit-rules/\">Deposit rules</a> <span class=\"meta\">note</span>"));
    assert!(!tag.contains("href=\"/cases/smith-v-jones/\""), "Smith carries deposits/return, listed there");
    let interest = tag.find("#interest</a>").expect("a narrower tag");
    assert!(interest < tag.find("#return</a>").expect("another"), "narrower tags in order");
    assert!(main_of(&kb, "tags/deposits/return/index.html").contains("href=\"/cases/smith-v-jones/\""));

    let all = main_of(&kb, "tags/index.html");
    let order: Vec<usize> = ["#case-law", "#deposits</a>", "#deposits/interest", "#Deposits/return"]
        .iter()
        .map(|t| all.find(t).unwrap_or_else(|| panic!("{t} listed:\n{all}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "tree order:\n{all}");
    assert!(all.contains("#case-law</a> <span class=\"meta\">2 items</span>"), "{all}");
    assert!(all.contains("<li class=\"depth-1\"><a class=\"tag\" rel=\"tag\" href=\"/tags/deposits/interest/\">"));
    assert!(kb.output("index.html").contains("<a href=\"/tags/\">Tags</a>"), "the navigation offers the tags");
}

#[test]
fn a_knowledge_base_without_tags_offers_no_tags_link_but_keeps_an_empty_list() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "# A\n\nA heading-free note with C# and [x](#a).\n");
    kb.build();
    assert!(!kb.output("index.html").contains(">Tags</a>"));
    assert!(kb.output("tags/index.html").contains("No note in this knowledge base has a tag yet."));
}

#[test]
fn hugo_aliases_and_url_make_redirect_pages_and_set_the_address() {
    let kb = Kb::fixture("import-hugo");
    kb.write(
        "content/memos/digest.md",
        "# Digest\n\nSee [[Agency profile]], [old](/old/water-act/) and [us](/about.html).\n",
    );
    let report = kb.build();
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(kb.root(), false));
    assert!(main_of(&kb, "about-us/index.html").contains("href=\"/laws/water-act/\""), "Hugo `url` sets the address");
    assert!(!kb.public().join("about/index.html").exists());
    let digest = main_of(&kb, "memos/digest/index.html");
    assert!(digest.contains("href=\"/about-us/\""), "an alias that is not a path stays a name:\n{digest}");

    let moved = kb.output("old/water-act/index.html");
    for part in [
        "<link rel=\"canonical\" href=\"/laws/water-act/\">",
        "<meta name=\"robots\" content=\"noindex\">",
        "<meta http-equiv=\"refresh\" content=\"0; url=/laws/water-act/\">",
        "<a href=\"/laws/water-act/\">Clean Rivers Act</a>",
    ] {
        assert!(moved.contains(part), "{part} in:\n{moved}");
    }
    assert!(kb.output("laws/clean-rivers.html").contains("url=/laws/water-act/"), "relative: from the page's folder");
    assert!(kb.output("about.html").contains("url=/about-us/"));
}

#[test]
fn jekyll_redirect_from_makes_redirect_pages_with_absolute_canonical_links() {
    let kb = Kb::fixture("import-jekyll");
    let options = docket::BuildOptions { base_url: Some("https://example.org/kb/".into()), ..kb.options() };
    assert!(docket::build(&options).succeeded());
    let moved = kb.output("incident-reporting/index.html");
    assert!(moved.contains("<link rel=\"canonical\" href=\"https://example.org/kb/reporting/\">"), "{moved}");
    assert!(moved.contains("url=/kb/reporting/"), "under the site's base path:\n{moved}");
    assert!(kb.output("guidance/old-reporting.html").contains("<a href=\"/kb/reporting/\">Reporting</a>"));
    let sitemap = kb.output("sitemap.xml");
    assert!(!sitemap.contains("incident-reporting"), "a redirect is not a page to index:\n{sitemap}");
}

/// jekyll-redirect-from reads a relative `redirect_from` from the site root, and an old
/// address that is the page's own is nothing to redirect: 18F's guides write
/// `affinity-mapping/` on the page at /methods/decide/affinity-mapping/, and 39 of them
/// failed the build as collisions with themselves.
#[test]
fn a_relative_redirect_from_is_from_the_site_root_and_the_pages_own_address_is_skipped() {
    let kb = Kb::new();
    let card = "---\ntitle: Affinity mapping\npermalink: /methods/decide/affinity-mapping/\nredirect_from:\n  - affinity-mapping/\n  - /methods/decide/affinity-mapping/\n---\nGroup the notes.\n";
    kb.write("content/methods/decide/affinity-mapping.md", card);
    let report = kb.build();
    assert!(!report.diagnostics.has_errors(), "{}", report.diagnostics.render(kb.root(), false));
    assert!(kb.output("affinity-mapping/index.html").contains("url=/methods/decide/affinity-mapping/"));
    assert!(kb.output("methods/decide/affinity-mapping/index.html").contains("Group the notes."));
}

#[test]
fn a_redirect_that_collides_or_leaves_the_site_is_an_error_at_its_value() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "---\ntitle: A\naliases:\n  - /notes/b/\n  - /shared/\n---\nA.\n");
    kb.write("content/notes/b.md", "---\ntitle: B\nredirect_from: [/shared/, /tags/]\n---\nB.\n");
    kb.write("content/notes/c.md", "+++\ntitle = \"C\"\naliases = [\"/../../etc/\"]\n+++\nC.\n");
    let report = kb.build_fails();
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "redirect").collect();
    assert_eq!(found.len(), 4, "{}", report.diagnostics.render(kb.root(), false));
    use docket::diagnostics::Severity::Error;
    crate::support::assert_at(found[0], "content/notes/a.md", 4, 5, Error);
    assert!(found[0].message.contains("/notes/b/ cannot redirect to this page: it is the address of another note"));
    crate::support::assert_at(found[1], "content/notes/b.md", 3, 17, Error);
    assert!(found[1].message.contains("another note redirects from it too"), "{}", found[1].message);
    crate::support::assert_at(found[2], "content/notes/b.md", 3, 27, Error);
    assert!(found[2].message.contains("docket publishes a page of its own there"));
    crate::support::assert_at(found[3], "content/notes/c.md", 3, 13, Error);
    assert!(found[3].message.contains("is not a path on this site"));
    assert!(!kb.root().join("etc").exists() && !kb.public().exists());
}

/// With `broken = "warn"` an old address something else has is a warning, as in Hugo: the
/// page keeps its address and the first redirect keeps a shared one (digitalgov.gov's
/// 301.md lists 200 old addresses, many of them live pages or listed twice).
#[test]
fn with_broken_warn_a_taken_old_address_is_a_warning_and_the_page_keeps_it() {
    let kb = Kb::new();
    kb.write("docket.toml", &format!("{}[references]\nbroken = \"warn\"\n", crate::support::CONFIG));
    kb.write("content/notes/a.md", "---\ntitle: A\naliases:\n  - /notes/b/\n  - /shared/\n---\nA.\n");
    kb.write("content/notes/b.md", "---\ntitle: B\nredirect_from: [/shared/]\n---\nB.\n");
    let report = kb.build();
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "redirect").collect();
    assert_eq!(found.len(), 2, "{}", report.diagnostics.render(kb.root(), false));
    assert!(found.iter().all(|d| d.severity == docket::diagnostics::Severity::Warning));
    assert!(kb.output("notes/b/index.html").contains("<h1"), "the page keeps its address");
    assert!(kb.output("shared/index.html").contains("url=/notes/a/"), "the first redirect keeps the shared address");
}

#[test]
fn the_import_report_says_what_was_read_dropped_and_guessed_on_one_screen() {
    let kb = Kb::fixture("import-jekyll");
    kb.write("guidance/templated.md", "---\ntitle: Templated\ncreated: 2020-01-01\n---\n\n{% include note.html %}\n");
    kb.write("guidance/untitled.md", "No heading, no front matter; see [[nowhere]].\n");
    let run = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_docket"))
            .args(["check", "--import", "--format", format, "--root"])
            .arg(kb.root())
            .output()
            .expect("run docket")
    };
    let output = run("human");
    assert!(!output.status.success(), "a broken wikilink is still an error");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.lines().count() <= 30, "one screen:\n{text}");
    for line in [
        "notes        8 read, 0 attachment(s); 7 item(s) by kind: note 7",
        "1 guessed from the file name, e.g. guidance/untitled.md",
        "keys read    title                 7 file(s), e.g. index.md",
        "nav_order             4 file(s)",
        "keys dropped layout                5 file(s), e.g. index.md",
        "created               1 file(s), e.g. guidance/templated.md",
        "templates    Liquid tags appear as written in 1 file(s), e.g. guidance/templated.md",
        "redirects    2 page(s) at old addresses (e.g. /incident-reporting/ -> /reporting/, from guidance/reporting.md)",
        "1 wikilinks (1 broken)",
        "problems: 1 unresolved-reference",
    ] {
        assert!(text.contains(line), "`{line}` in:\n{text}");
    }
    let json: serde_json::Value = serde_json::from_slice(&run("json").stdout).expect("JSON");
    let dropped = json["keys"].as_array().expect("keys").iter().find(|k| k["key"] == "layout").expect("layout");
    assert_eq!(dropped["recognised"], false);
    assert_eq!(dropped["files"]["files"].as_array().expect("every file").len(), 5);
    assert_eq!(json["redirects"][1]["from"], "/guidance/old-reporting.html");
    assert_eq!(json["unsupported_syntax"]["Liquid tag"]["count"], 1);
}

#[test]
fn tags_written_as_one_string_are_split_and_tag_pages_are_in_the_site_map() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "---\ntitle: A\ntags: policy, Data Protection\n---\nA #Policy note.\n");
    kb.build();
    let page = main_of(&kb, "notes/a/index.html");
    assert!(page.contains("href=\"/tags/policy/\">#policy</a>") && page.contains("href=\"/tags/data-protection/\""));
    assert!(page.contains("A <a class=\"tag\" href=\"/tags/policy/\" rel=\"tag\">#Policy</a> note."), "{page}");
    let sitemap = kb.output("sitemap.xml");
    for route in ["tags/", "tags/policy/", "tags/data-protection/"] {
        assert!(sitemap.contains(&format!("<loc>https://example.org/{route}</loc>")), "{route} in:\n{sitemap}");
    }
}

#[test]
fn the_import_report_of_a_vault_counts_its_removed_comments_ids_and_tags() {
    let kb = Kb::fixture("import-vault");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(["check", "--import", "--root"])
        .arg(kb.root())
        .output()
        .expect("run docket");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for line in [
        "comments     3 Obsidian comment(s) (%%…%%) removed, never published, in 2 file(s), e.g. Digest.md",
        "ids          2 from paths (shared file names), e.g. Cases/Repairs.md",
        "tags         4 tag(s) on 2 item(s): #case-law 2,",
        "0 error(s), 0 warning(s)",
    ] {
        assert!(text.contains(line), "`{line}` in:\n{text}");
    }
}

#[test]
fn links_to_tag_pages_and_old_addresses_are_checked_like_other_pages() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "---\ntitle: A\ntags: [policy]\nredirect_from: /old-a/\n---\nA.\n");
    kb.write("content/notes/b.md", "# B\n\n[p](/tags/policy/), [old](/old-a/), [all](/tags/)\n\n[none](/tags/nope/)\n");
    let report = kb.build_fails();
    let broken = crate::support::only(&report, "broken-link");
    crate::support::assert_at(broken, "content/notes/b.md", 5, 1, docket::diagnostics::Severity::Error);
    assert!(broken.message.contains("/tags/nope/"), "{}", broken.message);
}

/// Obsidian marks a list, table or quote as a block by `^id` alone on the line after it:
/// the id is the anchor of that block, the line is shown nowhere, `[[note#^id]]` links to
/// it and `![[note#^id]]` embeds just that block.
#[test]
fn a_block_id_on_its_own_line_names_the_list_table_or_quote_before_it() {
    let kb = Kb::fixture("import-vault");
    kb.write(
        "Checklist.md",
        "# Checklist\n\nBefore moving out:\n\n- photograph each room\n- return the keys\n\n^steps\n\n\
         | Fee | Cap |\n|-----|-----|\n| Cleaning | £50 |\n\n^fees\n\n> Deposits are held in trust.\n\n^trust\n\nThe end.\n",
    );
    kb.write("Uses.md", "# Uses\n\nFollow [[Checklist#^steps]] and [[Checklist#^trust]].\n\n![[Checklist#^fees]]\n");
    let report = kb.build();
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(kb.root(), false));
    let checklist = main_of(&kb, "checklist/index.html");
    assert!(checklist.contains("<span class=\"block-anchor\" id=\"^steps\"></span>\n<ul>"), "{checklist}");
    assert!(checklist.contains("<span class=\"block-anchor\" id=\"^trust\"></span>\n<blockquote>"), "{checklist}");
    assert!(checklist.contains("id=\"^fees\"></span>"), "{checklist}");
    let fees = &checklist[checklist.find("id=\"^fees\"").expect("fees")..];
    assert!(fees.find("<table").expect("a table after its anchor") < fees.find("Deposits are held").expect("quote"));
    let uses = main_of(&kb, "uses/index.html");
    assert!(uses.contains("href=\"/checklist/#%5Esteps\""), "{uses}");
    assert!(uses.contains("href=\"/checklist/#%5Etrust\""), "{uses}");
    let embed = uses.split("<figure class=\"embed embed-note\"").nth(1).expect("a block embed");
    let embed = &embed[..embed.find("</figure>").expect("end")];
    assert!(embed.contains("<td>Cleaning</td>") && embed.contains("From <a href=\"/checklist/#%5Efees\">"), "{embed}");
    assert!(!embed.contains("photograph") && !embed.contains("held in trust"), "only the table: {embed}");
    // Nowhere but in anchors: not in a page, a summary, the search index or an export.
    for (path, bytes) in crate::support::snapshot(&kb.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for id in ["steps", "fees", "trust"] {
            let shown = text.replace(&format!("id=\"^{id}\""), "").replace(&format!("#^{id}"), "");
            assert!(!shown.contains(&format!("^{id}")), "{path} shows ^{id}");
        }
    }
}
