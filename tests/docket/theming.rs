//! What theme writers rely on: the template reference generated from the views, list pages
//! split by `paginate_by` with `rel=prev/next` and every page in the sitemap, the link
//! preview script on every page unless `link_previews = false`.

use crate::support::Kb;

/// The contexts of every page of the all-kinds fixture, split into pages so the paginator
/// shows up too.
fn variables() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let kb = Kb::fixture("all-kinds");
    let config = std::fs::read_to_string(kb.root().join("docket.toml")).expect("config");
    kb.write("docket.toml", &config.replace("as_of", "paginate_by = 1\nas_of"));
    let compiled = docket::compile(&kb.options(), false);
    assert!(!compiled.diagnostics.has_errors(), "{}", compiled.diagnostics.render(kb.root(), false));
    docket::render::template_variables(kb.root(), &compiled.site, &compiled.graph)
}

#[test]
fn template_reference_matches_the_views() {
    let variables = variables();
    for template in ["item.html", "index.html", "home.html", "deadlines.html", "audience.html", "agency.html"] {
        assert!(variables.contains_key(template), "{template} is rendered by the fixture: {:?}", variables.keys());
    }
    assert!(variables["index.html"].contains("paginator"));
    let missing = docket::render::reference::undocumented(&variables);
    assert!(missing.is_empty(), "give these a doc comment (fields) or a line in reference::VARIABLES: {missing:?}");
    let generated = docket::render::reference::markdown(&variables);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md");
    if std::env::var_os("DOCKET_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write the reference");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/templates.md is stale: run `DOCKET_BLESS=1 cargo test --test docket template_reference`"
    );
}

/// Twelve dated briefings in French, numbered by the article rather than the section.
fn briefings(per_page: usize) -> Kb {
    let kb = Kb::new();
    kb.write(
        "docket.toml",
        &format!(
            "title = \"Notes\"\nlanguage = \"fr\"\nbase_url = \"https://example.org/kb/\"\npaginate_by = {per_page}\n"
        ),
    );
    for n in 1..=12 {
        kb.write(
            &format!("content/notes/note-{n:02}.md"),
            &format!("+++\ntitle = \"Note {n:02}\"\n+++\n\nTexte {n}.\n"),
        );
    }
    kb.write("content/sources/avis.md", "+++\ntitle = \"Avis\"\n+++\n\nUn avis.\n");
    kb
}

#[test]
fn list_pages_split_by_paginate_by_with_prev_next_links_and_sitemap_entries() {
    let kb = briefings(5);
    kb.build();
    let first = kb.output("notes/index.html");
    let second = kb.output("notes/page/2/index.html");
    let third = kb.output("notes/page/3/index.html");
    assert!(!kb.public().join("notes/page/4").exists(), "12 notes by 5 make 3 pages");
    let count = |html: &str| html.matches("class=\"depth-").count();
    assert_eq!((count(&first), count(&second), count(&third)), (5, 5, 2));
    assert!(first.contains("Note 01") && second.contains("Note 06") && third.contains("Note 12"));
    assert!(!first.contains("<link rel=\"prev\"") && first.contains("<link rel=\"next\" href=\"/kb/notes/page/2/\">"));
    assert!(second.contains("<link rel=\"prev\" href=\"/kb/notes/\">"));
    assert!(second.contains("<link rel=\"next\" href=\"/kb/notes/page/3/\">"));
    assert!(third.contains("<link rel=\"prev\" href=\"/kb/notes/page/2/\">") && !third.contains("<link rel=\"next\""));
    assert!(second.contains(
        "href=\"/kb/notes/page/2/\" aria-current=\"page\"><span class=\"visually-hidden\">Page </span>2</a>"
    ));
    assert!(
        second.contains("<a class=\"page-step\" rel=\"next\" href=\"/kb/notes/page/3/\">Next"),
        "the page navigation"
    );
    assert!(second.contains("<link rel=\"canonical\" href=\"https://example.org/kb/notes/page/2/\">"));
    let sitemap = kb.output("sitemap.xml");
    for page in ["notes/page/2/", "notes/page/3/"] {
        assert!(sitemap.contains(&format!("<loc>https://example.org/kb/{page}</loc>")), "{page}");
    }
    assert!(!kb.output("sources/index.html").contains("pagination"), "one source: one page, no navigation");
}

#[test]
fn without_paginate_by_a_list_stays_on_one_page() {
    let kb = briefings(0);
    kb.build();
    assert_eq!(kb.output("notes/index.html").matches("class=\"depth-").count(), 12);
    assert!(!kb.public().join("notes/page").exists());
}

/// A knowledge base whose theme overrides `index.html` with `template`.
fn with_index_template(template: &str) -> Kb {
    let kb = briefings(0);
    let config = std::fs::read_to_string(kb.root().join("docket.toml")).expect("config");
    kb.write("docket.toml", &format!("{config}theme = \"eigenes\"\n"));
    kb.write("themes/eigenes/templates/index.html", template);
    kb
}

#[test]
fn a_template_that_does_not_parse_is_reported_at_its_line_and_column() {
    let kb = with_index_template(
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title </h1>\n{% endblock main %}\n",
    );
    let report = kb.build_fails();
    let error = crate::support::only(&report, "template");
    crate::support::assert_at(
        error,
        "themes/eigenes/templates/index.html",
        3,
        20,
        docket::diagnostics::Severity::Error,
    );
    assert!(error.message.contains("does not parse"), "{}", error.message);
}

#[test]
fn an_undefined_variable_is_reported_at_its_first_use_in_the_template() {
    let kb = with_index_template(
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n<p>page.subtitle: {{ page.subtitle }}</p>\n{% endblock main %}\n",
    );
    let report = kb.build_fails();
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "template").collect();
    assert_eq!(errors.len(), 6, "one for each list page: {errors:#?}");
    for error in errors {
        assert_eq!(error.path, std::path::Path::new("themes/eigenes/templates/index.html"));
        assert_eq!((error.line, error.column), (4, 22), "inside the tag, not the prose before it");
        assert!(error.message.contains("page.subtitle"), "{}", error.message);
    }
}

#[test]
fn extra_data_reaches_templates_and_an_item_can_choose_its_template() {
    let kb = Kb::new();
    kb.write(
        "docket.toml",
        "title = \"Recueil\"\nlanguage = \"fr\"\nbase_url = \"https://example.org/\"\ntheme = \"maison\"\n\n[extra]\nslogan = \"Le droit, clairement\"\ncouleurs = [\"bleu\", \"or\"]\n",
    );
    kb.write(
        "content/notes/large.md",
        "+++\ntitle = \"Page large\"\ntemplate = \"large.html\"\n[extra]\nbandeau = \"Édition spéciale\"\n+++\n\nCorps.\n",
    );
    kb.write("content/notes/normale.md", "+++\ntitle = \"Page normale\"\n+++\n\nCorps.\n");
    kb.write(
        "themes/maison/templates/large.html",
        "{% extends \"item.html\" %}{% block main %}<p class=\"bandeau\">{{ item.extra.bandeau }}</p><p class=\"slogan\">{{ site.extra.slogan }} ({{ site.extra.couleurs | join(sep=\"/\") }})</p>{{ content | safe }}{% endblock main %}",
    );
    let report = kb.build();
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(kb.root(), false));
    let large = kb.output("notes/large/index.html");
    assert!(large.contains("<p class=\"bandeau\">Édition spéciale</p>"), "{large}");
    assert!(large.contains("<p class=\"slogan\">Le droit, clairement (bleu/or)</p>"));
    assert!(!kb.output("notes/normale/index.html").contains("bandeau"), "other items keep their kind's template");

    kb.write("content/notes/normale.md", "+++\ntitle = \"Page normale\"\ntemplate = \"larg.html\"\n+++\n\nCorps.\n");
    let report = kb.build_fails();
    let error = crate::support::only(&report, "template");
    crate::support::assert_at(error, "content/notes/normale.md", 3, 1, docket::diagnostics::Severity::Error);
    assert_eq!(error.hint.as_deref().map(|h| h.contains("`large.html`")), Some(true), "{error:#?}");
}

#[test]
fn toml_code_blocks_are_highlighted() {
    let kb = Kb::new();
    kb.write(
        "content/notes/front-matter.md",
        "+++\ntitle = \"Writing front matter\"\n+++\n\n```toml\n[[claims]]\nabout = \"4.2\"  # dotted numbering\nvalue = 2026-09-30\n```\n",
    );
    kb.build();
    let page = kb.output("notes/front-matter/index.html");
    assert!(page.contains("<pre class=\"hl-code\"><code class=\"language-toml\">"), "{page}");
    assert!(page.contains("<span class=\"hl-entity hl-name hl-tag\">[[claims]]</span>"));
    assert!(page.contains("<span class=\"hl-comment\"># dotted numbering</span>"));
    assert!(page.contains("<span class=\"hl-constant hl-numeric\">2026-09-30</span>"));
}

/// The header of a PNG of `width` × `height` pixels: all an image reader needs for the size.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

#[test]
fn images_carry_their_intrinsic_size_and_load_lazily() {
    let kb = Kb::new();
    kb.write(
        "content/notes/schema.md",
        "+++\ntitle = \"Schéma\"\n+++\n\n![Le *schéma* du texte](plan.png \"Plan\")\n\n![[plan.png]]\n\n![Logo](https://example.com/logo.svg)\n",
    );
    std::fs::write(kb.root().join("content/notes/plan.png"), png_header(640, 480)).expect("write the image");
    kb.build();
    let page = kb.output("notes/schema/index.html");
    let images: Vec<&str> =
        page.split("<img ").skip(1).map(|rest| rest.split('>').next().unwrap_or_default()).collect();
    assert_eq!(images.len(), 3, "{page}");
    assert!(images[0].contains("alt=\"Le schéma du texte\"") && images[0].contains("title=\"Plan\""), "{}", images[0]);
    for local in &images[..2] {
        assert!(local.contains("width=\"640\" height=\"480\""), "{local}");
    }
    assert!(!images[2].contains("width="), "an external image's size is unknown: {}", images[2]);
    assert!(images.iter().all(|img| img.contains("loading=\"lazy\"")), "{images:?}");
}

#[test]
fn link_previews_load_on_every_page_under_the_base_path_unless_turned_off() {
    let kb = briefings(0);
    kb.build();
    let script = "<script src=\"/kb/static/preview.js\" defer></script>";
    for page in ["index.html", "notes/index.html", "notes/note-01/index.html", "404.html"] {
        assert!(kb.output(page).contains(script), "{page} loads the preview script");
    }
    assert!(kb.output("static/preview.js").contains("aria-describedby"), "the script is published");

    let config = std::fs::read_to_string(kb.root().join("docket.toml")).expect("config");
    kb.write("docket.toml", &format!("link_previews = false\n{config}"));
    let report = kb.build();
    let said = report.diagnostics.render(kb.root(), false);
    assert!(!said.contains("link_previews"), "a known key: {said}");
    assert!(!kb.output("notes/note-01/index.html").contains("preview.js"), "turned off in docket.toml");
}
