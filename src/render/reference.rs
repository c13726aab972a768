//! The template reference: every variable of every template, for theme writers.
//!
//! In: the view structs' own source (the `#[derive(Serialize)]` structs of the render
//! modules, embedded with `include_str!`) and the top-level variables each template
//! actually receives ([`super::template_variables`], found by computing the contexts of
//! every page of a site). Out: `docs/templates.md`. A field's description is its doc
//! comment and a top-level variable's is in [`VARIABLES`], so the reference is made from
//! the code it describes; the integration test `template_reference_matches_the_views`
//! fails when a field or variable has no description or the committed file is stale.

use std::collections::{BTreeMap, BTreeSet};

/// The render modules whose serialisable structs templates receive.
const SOURCES: &[(&str, &str)] = &[
    ("pages.rs", include_str!("pages.rs")),
    ("views.rs", include_str!("views.rs")),
    ("mod.rs", include_str!("mod.rs")),
    ("indexes.rs", include_str!("indexes.rs")),
    ("landing.rs", include_str!("landing.rs")),
    ("tag_pages.rs", include_str!("tag_pages.rs")),
];

/// What each top-level template variable holds, by name; the type of a struct value is
/// named in backticks and described under "Views".
pub const VARIABLES: &[(&str, &str)] = &[
    ("acting_through_it", "agency pages: agencies that act through this one (list of `Link`)"),
    ("acts_through", "agency pages: the agency this one acts through (`Link`, or absent)"),
    ("agencies", "responsibility matrix: the agencies of the columns (list of `Link`)"),
    ("agency_options", "deadline table: agencies to filter by, as [id, label] pairs"),
    ("alerts", "home page: the client alerts (list of `Entry`)"),
    ("audience_options", "deadline table: audiences to filter by, as [id, label] pairs"),
    ("audiences", "home page: the audience landing pages (list of `Entry`)"),
    ("caption", "a deadline table embedded in a note: its caption"),
    ("checklist", "audience pages: what to do, with sources (list of `Sourced`)"),
    ("conflict_count", "home page: how many conflicts between sources there are"),
    ("conflicts", "conflicts page: every conflict (list of `ConflictView`)"),
    ("conflicts_href", "home page: link to the conflicts page"),
    (
        "notes",
        "home page of a knowledge base that is mostly notes: its first top-level notes (entries); empty otherwise",
    ),
    ("notes_total", "home page: how many notes the knowledge base has when it is mostly notes, else 0"),
    ("notes_href", "home page: link to the notes index"),
    ("consulted_on", "agency pages: provisions the agency is consulted on (list of `Duty`)"),
    ("content", "the note's body as HTML (item, alert and home pages)"),
    (
        "content_parts",
        "item pages: `content` cut after each hand-written section that takes in a generated one of the same name (list of `ContentPart`)",
    ),
    ("date", "alert versions: the alert's date, written out"),
    ("date_iso", "alert versions: the alert's date, YYYY-MM-DD"),
    (
        "deadlines",
        "the deadlines of the page: the upcoming ones on the home page, an audience's or an agency's (list of `DeadlineView`)",
    ),
    ("deadlines_href", "home page: link to the deadline table"),
    ("downloads", "deadline table: links to the exports (`Downloads`)"),
    ("duties", "agency pages: provisions the agency must act on (list of `Duty`)"),
    ("email_href", "alert pages: link to the e-mail version, absent when there is none"),
    ("embedded", "true in a deadline table embedded in a note"),
    ("entries", "list pages: this page's entries (list of `Entry`)"),
    ("groups", "provision index: provisions by instrument (list of `InstrumentGroup`)"),
    ("ics_href", "audience pages: link to the audience's calendar"),
    ("index_kind", "list pages: the kind listed (`note`, `source`, ...)"),
    ("indexes", "404 page: links to the list pages (list of `Link`)"),
    ("instrument", "responsibility matrix: its instrument (`Link`, or absent)"),
    ("instruments", "home page: the instruments (list of `Entry`)"),
    ("instrument_options", "deadline table: instruments to filter by, as [id, label] pairs"),
    ("item", "item pages: the item (`ItemView`)"),
    ("matrix_href", "agency index and pages: link to the responsibility matrix"),
    ("open_questions", "audience pages: open questions of the provisions that affect them (list of `Sourced`)"),
    ("other_matrices", "responsibility matrix: the matrices of other instruments (list of `Link`)"),
    ("page", "every page: what the page is (`PageView`)"),
    (
        "paginator",
        "list pages split by `paginate_by`: links between the pages (`Paginator`, absent on a one-page list)",
    ),
    ("print_href", "alert pages: link to the print version"),
    ("provisions", "audience pages: the provisions that affect them (list of `Affecting`)"),
    ("related", "audience pages: alerts, notes and instruments that affect them (list of `Affecting`)"),
    ("rows", "the rows of a table: the deadline table (`DeadlineView`) or the responsibility matrix (`MatrixRow`)"),
    ("site", "every page: the site (`SiteView`)"),
    ("speaking", "audience pages: sources that speak to them (list of `Speaking`)"),
    ("summary", "responsibility matrix: its size, written out"),
    ("terms", "glossary: every term (list of `TermEntry`)"),
    ("timeline", "home page and deadline table: the timeline as inline SVG"),
    ("title", "a deadline table embedded in a note: its title"),
    ("web_href", "alert print and e-mail versions: link to the web page"),
    (
        "all_passed",
        "audience pages: true when every deadline of the audience has passed (the opening block then shows the latest ones)",
    ),
    ("endnotes", "alert print version: the link addresses, numbered as the text's link marks (list of `Endnote`)"),
    ("first_steps", "audience pages: the first checklist steps, for the opening \"what to do\" block"),
    ("next_deadlines", "audience pages: the next deadlines of the audience, for the opening block"),
    ("open", "conflicts page: how many conflicts are open"),
    ("reviewed", "conflicts page: how many conflicts an editor has reviewed"),
    ("total", "conflicts page: how many conflicts there are"),
    (
        "children",
        "item pages: the notes under this one, in natural order (list of `Link`); tag pages: the tags one level under this one (list of `TagEntry`)",
    ),
    ("items", "tag pages: the items carrying the tag, by title (list of `TaggedItem`)"),
    ("tag", "tag pages: the tag, with how many items carry it (`TagEntry`); absent on the list of tags"),
    ("tags", "list of tags: every tag, parents before the tags under them (list of `TagEntry`)"),
];

/// One field of a view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The name templates use.
    pub name: String,
    /// Its Rust type, as written.
    pub ty: String,
    /// Its doc comment, joined into one line; empty when it has none.
    pub doc: String,
}

/// A struct templates receive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// The struct's name.
    pub name: String,
    /// The module it is defined in.
    pub module: &'static str,
    /// Its doc comment.
    pub doc: String,
    /// Its fields, in order.
    pub fields: Vec<Field>,
}

/// Every serialisable struct of the render modules, read from their source.
pub fn views() -> Vec<View> {
    let mut views: Vec<View> = SOURCES.iter().flat_map(|(module, source)| views_in(module, source)).collect();
    views.sort_by(|a, b| a.name.cmp(&b.name));
    views
}

fn views_in(module: &'static str, source: &str) -> Vec<View> {
    let lines: Vec<&str> = source.lines().collect();
    let mut views = Vec::new();
    let mut n = 0;
    while n < lines.len() {
        let serialisable = lines[n].trim_start().starts_with("#[derive(") && lines[n].contains("Serialize");
        let header = lines.get(n + 1).map(|l| l.trim());
        if let Some(name) = serialisable.then_some(header).flatten().and_then(struct_name) {
            let doc = doc_above(&lines, n);
            let (fields, end) = fields_from(&lines, n + 2);
            views.push(View { name, module, doc, fields });
            n = end;
        }
        n += 1;
    }
    views
}

/// `Link` from `pub struct Link {` or `pub(super) struct Link<'a> {`; none for a tuple or
/// unit struct.
fn struct_name(header: &str) -> Option<String> {
    let rest = header.split("struct ").nth(1)?;
    if !header.ends_with('{') {
        return None;
    }
    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// The `///` lines above line `n`, skipping attributes.
fn doc_above(lines: &[&str], n: usize) -> String {
    let mut docs = Vec::new();
    let mut at = n;
    while at > 0 {
        at -= 1;
        let line = lines[at].trim();
        if let Some(doc) = line.strip_prefix("///") {
            docs.push(doc.trim());
        } else if !line.starts_with("#[") {
            break;
        }
    }
    docs.reverse();
    docs.join(" ")
}

/// The fields from line `start` to the closing brace, and the line of that brace. Fields
/// serde skips are left out; a `rename` is followed.
fn fields_from(lines: &[&str], start: usize) -> (Vec<Field>, usize) {
    let mut fields = Vec::new();
    let mut n = start;
    while n < lines.len() && lines[n].trim() != "}" {
        let line = lines[n].trim();
        let attributes = attributes_above(lines, n);
        let declared = line.strip_prefix("pub ").or_else(|| line.strip_prefix("pub(super) ")).unwrap_or(line);
        let is_field = !line.starts_with("//") && !line.starts_with("#[") && declared.contains(": ");
        if is_field && !attributes.contains("skip") {
            let (name, ty) = declared.split_once(": ").expect("checked above");
            let name = renamed(&attributes).unwrap_or_else(|| name.trim().to_string());
            let ty = ty.trim_end_matches(',').trim().to_string();
            fields.push(Field { name, ty, doc: doc_above(lines, n) });
        }
        n += 1;
    }
    (fields, n)
}

fn attributes_above(lines: &[&str], n: usize) -> String {
    lines[..n].iter().rev().map(|l| l.trim()).take_while(|l| l.starts_with("#[") || l.starts_with("///")).collect()
}

fn renamed(attributes: &str) -> Option<String> {
    let after = attributes.split("rename = \"").nth(1)?;
    Some(after.split('"').next()?.to_string())
}

/// What the reference would leave unexplained: view fields without a doc comment, and
/// top-level variables of `variables` missing from [`VARIABLES`].
pub fn undocumented(variables: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut missing: Vec<String> = views()
        .iter()
        .flat_map(|view| {
            view.fields.iter().filter(|f| f.doc.is_empty()).map(move |f| format!("{}.{}", view.name, f.name))
        })
        .collect();
    let known: BTreeSet<&str> = VARIABLES.iter().map(|(name, _)| *name).collect();
    let used: BTreeSet<&String> = variables.values().flatten().collect();
    missing
        .extend(used.into_iter().filter(|name| !known.contains(name.as_str())).map(|name| format!("variable {name}")));
    missing
}

/// The reference as markdown: the variables of each template, then every view.
pub fn markdown(variables: &BTreeMap<String, BTreeSet<String>>) -> String {
    let describe = |name: &str| VARIABLES.iter().find(|(n, _)| *n == name).map_or("", |(_, d)| d);
    let mut text = String::from(
        "# Template reference\n\n\
         Generated from the code by `DOCKET_BLESS=1 cargo test --test docket template_reference`; do not\n\
         edit by hand. Every template of `themes/default/templates/` can be overridden by a file of\n\
         the same name in `themes/NAME/templates/`; it receives the variables below.\n\n\
         ## Variables of each template\n",
    );
    for (template, names) in variables {
        text.push_str(&format!("\n### `{template}`\n\n"));
        for name in names {
            text.push_str(&format!("- `{name}`: {}\n", describe(name)));
        }
    }
    text.push_str("\n## Views\n\nThe structures the variables hold, field by field.\n");
    for view in views() {
        text.push_str(&format!("\n### `{}`\n\n", view.name));
        if !view.doc.is_empty() {
            text.push_str(&format!("{}\n\n", view.doc));
        }
        text.push_str("| field | type | what it holds |\n| --- | --- | --- |\n");
        for field in &view.fields {
            let ty = field.ty.replace('|', "\\|").replace("'a ", "").replace("&'a ", "&");
            text.push_str(&format!("| `{}` | `{ty}` | {} |\n", field.name, field.doc.replace('|', "\\|")));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_docs_skips_and_renames_are_read() {
        let source = "/// A thing.\n#[derive(Serialize)]\npub struct Thing<'a> {\n    /// Its name.\n    pub name: &'a str,\n    #[serde(skip)]\n    hidden: u8,\n    /// Shown as `kind`.\n    #[serde(rename = \"kind\")]\n    pub what: String,\n    count: usize,\n}\n";
        let views = views_in("x.rs", source);
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].name, "Thing");
        assert_eq!(views[0].doc, "A thing.");
        let fields: Vec<(&str, &str)> = views[0].fields.iter().map(|f| (f.name.as_str(), f.doc.as_str())).collect();
        assert_eq!(fields, vec![("name", "Its name."), ("kind", "Shown as `kind`."), ("count", "")]);
    }

    #[test]
    fn the_views_templates_receive_are_found() {
        let names: Vec<String> = views().into_iter().map(|v| v.name).collect();
        for expected in ["SiteView", "PageView", "ItemView", "Link", "DeadlineView", "Entry", "Paginator"] {
            assert!(names.iter().any(|n| n == expected), "{expected} in {names:?}");
        }
    }
}
