//! Cross-references, backlinks, citations, claims and conflicts.

use docket::diagnostics::Severity::{Error, Warning};

use crate::support::{Kb, assert_at, only};

/// A small knowledge base with two instruments and one item of every target kind.
fn kb() -> Kb {
    let kb = Kb::new();
    kb.write("docket.toml", &format!("{}default_instrument = \"order\"\n", crate::support::CONFIG));
    kb.write("content/instruments/order.md", "+++\ntitle = \"The Order\"\nsigned = 2026-06-02\n+++\n");
    kb.write("content/instruments/eo-14110.md", "+++\ntitle = \"EO 14110\"\nsigned = 2023-10-30\n+++\n");
    kb.write("content/sections/3-b.md", "+++\nnumber = \"3(b)\"\ntitle = \"Framework\"\n+++\n## Scope\n\nText.\n");
    kb.write(
        "content/sections/3-b-ii.md",
        "+++\nnumber = \"3(b)(ii)\"\ntitle = \"Prerelease access\"\n+++\n## Window\n\nThirty days.\n",
    );
    kb.write(
        "content/eo-14110/4-2.md",
        "+++\nkind = \"provision\"\ninstrument = \"eo-14110\"\nnumber = \"4.2\"\ntitle = \"Reporting\"\n+++\n",
    );
    kb.write(
        "content/sources/alert.md",
        "+++\ntitle = \"A law-firm alert\"\nshort = \"Firm alert\"\n+++\n## Section 3\n\nOn the framework.\n",
    );
    kb.write("content/sources/news.md", "+++\ntitle = \"A news report\"\nshort = \"News\"\n+++\n");
    kb.write("content/deadlines/dl-framework.md", "+++\ntitle = \"Framework designed\"\nprovision = \"3(b)\"\nrule = \"within 60 days of signing\"\naction = \"Design the framework\"\n+++\n");
    kb.write("content/audiences/labs.md", "+++\ntitle = \"Frontier labs\"\n+++\n");
    kb.write("content/agencies/cisa.md", "+++\ntitle = \"CISA\"\nshort = \"CISA\"\n+++\n");
    kb.write("content/terms/covered-model.md", "+++\ntitle = \"Covered frontier model\"\naliases = [\"CFM\"]\n+++\n");
    kb
}

#[test]
fn every_target_kind_resolves_with_labels() {
    let kb = kb();
    kb.write(
        "content/notes/tour.md",
        "# Tour\n\nSee [[3(b)(ii)]], [[eo-14110:4.2]], [[alert]], [[dl-framework]], [[labs]], [[cisa|the agency]], [[CFM]], [[order]] and [[alert#section-3]].\n",
    );
    kb.build();
    let html = kb.output("notes/tour/index.html");
    for expected in [
        // Provisions of two instruments: every label names its instrument (issue 18).
        "href=\"/sections/3-b-ii/\" title=\"Prerelease access\">The Order Sec. 3(b)(ii)</a>",
        "href=\"/eo-14110/4-2/\" title=\"Reporting\">EO 14110 Sec. 4.2</a>",
        "href=\"/sources/alert/\" title=\"A law-firm alert\">Firm alert</a>",
        "href=\"/deadlines/dl-framework/\" title=\"Framework designed\">Framework designed</a> <span class=\"ref-date\">(due <time datetime=\"2026-08-01\">1 August 2026</time>)</span>",
        "href=\"/for/labs/\"",
        ">the agency</a>",
        "href=\"/terms/covered-model/\"",
        "href=\"/instruments/order/\"",
        "href=\"/sources/alert/#section-3\" title=\"A law-firm alert\">Firm alert: Section 3</a>",
    ] {
        assert!(html.contains(expected), "missing {expected}\n{html}");
    }
}

#[test]
fn heading_anchors_by_text_and_on_the_same_page() {
    let kb = kb();
    kb.write("content/notes/n.md", "# N\n\n## Open questions\n\nSee [[#open-questions]] and [[3(b)#Scope]].\n");
    kb.build();
    let html = kb.output("notes/n/index.html");
    assert!(
        html.contains("<h2 id=\"open-questions\">Open questions<a class=\"heading-link\" href=\"#open-questions\"")
    );
    assert!(html.contains("href=\"#open-questions\""));
    assert!(html.contains("href=\"/sections/3-b/#scope\""));
}

#[test]
fn relative_markdown_links_from_nested_folders() {
    let kb = kb();
    kb.write(
        "content/notes/deep/er/n.md",
        "# N\n\n[the alert](../../../sources/alert.md#section-3) and [news](/sources/news.md).\n",
    );
    kb.build();
    let html = kb.output("notes/deep/er/n/index.html");
    assert!(html.contains("<a href=\"/sources/alert/#section-3\">the alert</a>"), "{html}");
}

#[test]
fn a_plain_vault_with_no_front_matter_builds() {
    let kb = Kb::new();
    kb.write("content/Index.md", "# Home note\n\nGo to [[Other Note]] or [[sub/Third]].\n");
    kb.write("content/Other Note.md", "Links back to [[Index]].\n");
    kb.write("content/sub/Third.md", "# Third\n\n[[Other Note|other]]\n");
    kb.build();
    let html = kb.output("index/index.html");
    assert!(html.contains("href=\"/other-note/\""), "{html}");
    assert!(html.contains("href=\"/sub/third/\""));
    let other = kb.output("other-note/index.html");
    assert!(other.contains("Discussed in"), "backlinks appear on the target");
}

#[test]
fn wikilinks_in_code_are_left_alone() {
    let kb = kb();
    kb.write("content/notes/code.md", "# Code\n\n`[[nowhere]]` and\n\n```\n[[nowhere-either]]\n```\n");
    kb.build();
    let html = kb.output("notes/code/index.html");
    assert!(html.contains("<code>[[nowhere]]</code>"));
    assert!(html.contains("[[nowhere-either]]"));
}

#[test]
fn citations_render_short_and_list_sources_at_the_end() {
    let kb = kb();
    kb.write("content/notes/cites.md", "# Cites\n\nA fact [@alert, Sec. 3]. Two [@news; @alert].\n");
    kb.build();
    let html = kb.output("notes/cites/index.html");
    assert!(
        html.contains("<cite class=\"citation\">(<a href=\"/sources/alert/\">Firm alert</a>, Sec. 3)</cite>"),
        "{html}"
    );
    assert!(html.contains("(<a href=\"/sources/news/\">News</a>; <a href=\"/sources/alert/\">Firm alert</a>)"));
    let sources = &html[html.find("id=\"cited-heading\"").expect("a sources list")..];
    assert!(
        sources.find("Firm alert").expect("alert listed") < sources.find("News").expect("news listed"),
        "in order of first citation"
    );
    let alert = kb.output("sources/alert/index.html");
    assert!(alert.contains("Cited by"));
}

#[test]
fn backlinks_show_the_sentence_they_sit_in() {
    let kb = kb();
    kb.write(
        "content/notes/a.md",
        "# A\n\n## Context\n\nFirst sentence. The window in [[3(b)(ii)]] is thirty days. Last one.\n",
    );
    kb.build();
    let html = kb.output("sections/3-b-ii/index.html");
    assert!(html.contains("Discussed in"));
    assert!(
        html.contains(
            "<blockquote class=\"context\">The window in The Order Sec. 3(b)(ii) is thirty days.</blockquote>"
        ),
        "{html}"
    );
    assert!(html.contains("› Context"), "the heading it sits under");
    let provision = kb.output("sections/3-b/index.html");
    assert!(provision.contains("Design the framework"), "the deadline shows on its provision");
}

#[test]
fn unresolved_references_report_position_and_suggestions() {
    let kb = kb();
    kb.write("content/notes/bad.md", "# Bad\n\nSee [[3(b)(iii)]] here.\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "unresolved-reference");
    assert_at(diagnostic, "content/notes/bad.md", 3, 5, Error);
    assert_eq!(diagnostic.hint.as_deref(), Some("did you mean `3(b)(ii)`?"));
}

#[test]
fn ambiguous_references_name_both_items() {
    let kb = kb();
    kb.write("content/notes/twin.md", "+++\naliases = [\"CFM\"]\n+++\n# Twin\n");
    kb.write("content/notes/uses.md", "# Uses\n\nThe [[cfm]] term.\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "ambiguous-reference");
    assert_at(diagnostic, "content/notes/uses.md", 3, 5, Error);
    assert!(diagnostic.message.contains("covered-model") && diagnostic.message.contains("twin"), "{diagnostic:?}");
}

#[test]
fn a_missing_heading_anchor_is_an_error_with_suggestions() {
    let kb = kb();
    kb.write("content/notes/anchor.md", "# A\n\nSee [[alert#section-4]].\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "bad-anchor");
    assert_at(diagnostic, "content/notes/anchor.md", 3, 5, Error);
    assert_eq!(diagnostic.hint.as_deref(), Some("did you mean `section-3`?"));
}

#[test]
fn citing_something_that_is_not_a_source_is_an_error() {
    let kb = kb();
    kb.write("content/notes/c.md", "# C\n\nSee [@cisa].\n");
    let report = kb.build_fails();
    assert_at(only(&report, "citation-target"), "content/notes/c.md", 3, 5, Error);
}

#[test]
fn broken_references_can_be_demoted_to_warnings() {
    let kb = kb();
    kb.write(
        "docket.toml",
        &format!("{}default_instrument = \"order\"\n[references]\nbroken = \"warn\"\n", crate::support::CONFIG),
    );
    kb.write("content/notes/messy.md", "# Messy\n\nSee [[nowhere]].\n");
    let report = kb.build();
    assert_eq!(only(&report, "unresolved-reference").severity, Warning);
    assert!(kb.output("notes/messy/index.html").contains("<span class=\"ref-broken\""));
}

fn claim(about: &str, attribute: &str, value: &str, quote: &str) -> String {
    format!(
        "[[claims]]\nabout = \"{about}\"\nattribute = \"{attribute}\"\nvalue = \"{value}\"\nquote = \"{quote}\"\nlocation = \"para 1\"\n"
    )
}

#[test]
fn claims_show_on_the_source_and_the_provision() {
    let kb = kb();
    kb.write(
        "content/sources/alert.md",
        &format!(
            "+++\ntitle = \"A law-firm alert\"\nshort = \"Firm alert\"\n{}+++\n## Section 3\n",
            claim(
                "3(b)(ii)",
                "window-measured-against",
                "release to other trusted partners",
                "before release to trusted partners"
            )
        ),
    );
    kb.build();
    let source = kb.output("sources/alert/index.html");
    assert!(source.contains("Claims in this source") && source.contains("release to other trusted partners"));
    let provision = kb.output("sections/3-b-ii/index.html");
    assert!(provision.contains("What sources say") && provision.contains("<q>before release to trusted partners</q>"));
}

#[test]
fn different_values_conflict_and_equivalent_ones_do_not() {
    let kb = kb();
    let alert = claim("dl-framework", "due", "July 31, 2026", "By July 31, 2026")
        + &claim("3(b)(ii)", "window measured against", "release to other trusted partners", "trusted partners");
    let news = claim("dl-framework", "due", "2026-08-01", "by August 1")
        + &claim("3(b)(ii)", "window-measured-against", "public launch", "prior to public launch");
    kb.write(
        "content/sources/alert.md",
        &format!("+++\ntitle = \"Alert\"\nshort = \"Firm alert\"\n{alert}+++\n## Section 3\n"),
    );
    kb.write("content/sources/news.md", &format!("+++\ntitle = \"News\"\nshort = \"News\"\n{news}+++\n"));
    kb.write(
        "content/sources/third.md",
        &format!(
            "+++\ntitle = \"Third\"\n{}{}+++\n",
            claim("dl-framework", "due", "August 1, 2026", "August 1"),
            claim("dl-framework", "due", "60 days after 2026-06-02", "60 days")
        ),
    );
    let report = kb.build();
    let warnings: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "conflict").collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    let conflicts = kb.output("conflicts/index.html");
    assert!(conflicts.contains("matches if the signing day is counted as day 1"), "{conflicts}");
    assert!(conflicts.contains("public launch") && conflicts.contains("release to other trusted partners"));
    let table = kb.output("deadlines/index.html");
    assert!(table.contains("Disagree: <a href=\"/sources/alert/\">Firm alert</a> says “July 31, 2026”"), "{table}");
    let agree = &table[table.find("Agree:").expect("agreeing sources")..];
    assert!(
        agree.contains("News") && agree.contains("Third"),
        "2026-08-01, August 1, 2026 and 60 days after 2026-06-02 all agree"
    );
}

#[test]
fn a_reviewed_conflict_stays_shown_but_does_not_warn() {
    let kb = kb();
    kb.write(
        "content/sources/alert.md",
        &format!(
            "+++\ntitle = \"Alert\"\nshort = \"Firm alert\"\n{}+++\n## Section 3\n",
            claim("3(b)", "lead", "Treasury", "led by Treasury")
        ),
    );
    kb.write(
        "content/sources/news.md",
        &format!("+++\ntitle = \"News\"\n{}+++\n", claim("3(b)", "lead", "NSA", "the NSA Director")),
    );
    kb.write("content/sections/3-b.md", "+++\nnumber = \"3(b)\"\ntitle = \"Framework\"\n[[reviewed_conflicts]]\nattribute = \"lead\"\nnote = \"The order names both.\"\n+++\n## Scope\n");
    let report = kb.build();
    assert!(report.diagnostics.iter().all(|d| d.code != "conflict"), "{:#?}", report.diagnostics);
    let provision = kb.output("sections/3-b/index.html");
    assert!(provision.contains("Where sources disagree") && provision.contains("Editor's note: The order names both."));
}

#[test]
fn a_claim_about_nothing_is_an_error_at_its_key() {
    let kb = kb();
    kb.write(
        "content/sources/news.md",
        &format!("+++\ntitle = \"News\"\n{}+++\n", claim("9(z)", "due", "2026-01-01", "q")),
    );
    let report = kb.build_fails();
    assert_at(only(&report, "unresolved-reference"), "content/sources/news.md", 4, 1, Error);
}

#[test]
fn front_matter_references_are_checked() {
    let kb = kb();
    kb.write(
        "content/deadlines/dl-x.md",
        "+++\ntitle = \"X\"\nprovision = \"3(c)\"\nagencies = [\"cisaa\"]\nrule = \"ongoing\"\n+++\n",
    );
    let report = kb.build_fails();
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "unresolved-reference")
        .map(|d| (d.line, d.column, d.hint.clone()))
        .collect();
    assert_eq!(
        found,
        vec![(3, 14, Some("did you mean `3(b)`?".to_string())), (4, 14, Some("did you mean `cisa`?".to_string()))]
    );
}
