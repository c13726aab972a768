//! Client alerts, published three ways: the web page (an item page), a print version at
//! `<alert>/print/` and an e-mail version at `<alert>/email.html`.
//!
//! The print and e-mail versions are read away from the site (on paper, in a mail
//! client), so every link in them is absolute: they are rendered with
//! [`Urls::all_absolute`], which reaches the body's references, the embedded deadline
//! tables and the letterhead alike. The e-mail version then has its CSS inlined and any
//! script removed (see [`super::inline_css`]). Diagnostics of the alert's body are
//! reported once, by its web page, so the other two versions discard theirs.

use tera::Context;

use super::Renderer;
use super::urls::Urls;
use crate::diagnostics::Diagnostics;
use crate::model::{Details, ItemId};
use crate::text::human_date;

/// The template of the e-mail version, whose output gets its CSS inlined.
pub(super) const EMAIL_TEMPLATE: &str = "alert_email.html";

/// Route of an alert's print version.
pub(super) fn print_route(alert_route: &str) -> String {
    format!("{alert_route}print/")
}

/// Route of an alert's e-mail version.
pub(super) fn email_route(alert_route: &str) -> String {
    format!("{alert_route}email.html")
}

impl Renderer<'_> {
    /// The same renderer with other URLs.
    fn with_urls<'b>(&'b self, urls: &'b Urls) -> Renderer<'b> {
        // Only contexts are built through this renderer; the page cache stays with the
        // caller's.
        Renderer::new(self.site, self.graph, urls, self.theme, self.tallies, None)
    }

    /// Links from an alert's web page to its other versions.
    pub(super) fn alert_extras(&self, id: ItemId, context: &mut Context) {
        let route = &self.site.item(id).route;
        context.insert("print_href", &self.urls.href(route, &print_route(route)));
        // In relative mode without a host no link can leave the site: no e-mail version.
        let email = self.urls.can_link_from_outside().then(|| self.urls.href(route, &email_route(route)));
        context.insert("email_href", &email);
    }

    /// The print version: no navigation, a print stylesheet, absolute links (printed
    /// after their text).
    pub(super) fn alert_print_context(&self, id: ItemId, _: &mut Diagnostics) -> (String, &'static str, Context) {
        let route = print_route(&self.site.item(id).route);
        // Absolute links need a host; without one the print page links like the site does.
        let absolute = if self.urls.has_origin() { self.urls.all_absolute() } else { self.urls.clone() };
        let mut context = self.with_urls(&absolute).alert_context(id, &route);
        // Paper has no links: each link gets a note number and its address is listed at
        // the end, instead of being printed inline (inside table cells too).
        let content = context.get("content").and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let (content, endnotes) = endnotes(&content);
        context.insert("content", &content);
        context.insert("endnotes", &endnotes);
        // Stylesheets come from this build's own files, so the print page also works offline.
        context.insert("site", &self.contexts.site_view(&route));
        (route, "alert_print.html", context)
    }

    /// The e-mail version: one file, absolute links and images, inlined CSS.
    pub(super) fn alert_email_context(&self, id: ItemId, _: &mut Diagnostics) -> (String, &'static str, Context) {
        let route = email_route(&self.site.item(id).route);
        let absolute = self.urls.all_absolute();
        let renderer = self.with_urls(&absolute);
        // Same-page anchors of the e-mail point at the web page, which has the headings too.
        let web_route = self.site.item(id).route.clone();
        let mut context = renderer.alert_context(id, &web_route);
        context.insert("site", &renderer.contexts.site_view(&route));
        (route, EMAIL_TEMPLATE, context)
    }

    /// What both off-site versions show: the alert, its body and its dates.
    fn alert_context(&self, id: ItemId, route: &str) -> Context {
        let item = self.site.item(id);
        let mut page = self.contexts.item_page(id);
        page.breadcrumbs.clear();
        page.prev = None;
        page.next = None;
        let mut context = Context::new();
        context.insert("page", &page);
        context.insert("item", &self.contexts.item(id));
        let mut ignored = Diagnostics::new();
        context.insert(
            "content",
            &self.body_html(Some(id), &item.doc, &self.graph.references[id.index()], route, &mut ignored),
        );
        let date = match &item.details {
            Details::Alert(alert) => alert.date,
            _ => None,
        };
        context.insert("date", &date.map(human_date).unwrap_or_default());
        context.insert("date_iso", &date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default());
        let web_href =
            if self.urls.has_origin() { self.urls.absolute(&item.route) } else { self.urls.href(route, &item.route) };
        context.insert("web_href", &web_href);
        context
    }
}

/// Numbers every link to an address outside the page (`http`, `https`, `mailto`) with a
/// superscript note and returns the addresses in note order; one address keeps one number.
/// The HTML is docket's own (see [`super::inline_css`]): a linear scan over tags suffices.
pub(super) fn endnotes(html: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len() + html.len() / 10);
    let mut notes: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<a ") {
        let Some(tag_end) = rest[open..].find('>').map(|e| open + e + 1) else { break };
        let Some(close) = rest[tag_end..].find("</a>").map(|c| tag_end + c + "</a>".len()) else { break };
        out.push_str(&rest[..close]);
        let href = attribute(&rest[open..tag_end], "href").unwrap_or_default();
        let external = ["http://", "https://", "mailto:"].iter().any(|scheme| href.starts_with(scheme));
        if external {
            let number = match notes.iter().position(|n| *n == href) {
                Some(at) => at + 1,
                None => {
                    notes.push(href);
                    notes.len()
                }
            };
            out.push_str(&format!("<sup class=\"endnote-ref\">{number}</sup>"));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    let notes = notes.into_iter().map(|n| unescape(&n)).collect();
    (out, notes)
}

/// Undoes the escaping [`crate::text::escape_html`] and Tera apply to attribute values
/// (the template escapes the note again when printing it).
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The value of `name` in one start tag, as written (still escaped).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::endnotes;

    #[test]
    fn links_become_numbered_notes_and_repeats_keep_their_number() {
        let html = "<p><a href=\"https://a.example/x?y=1&amp;z=2\">A</a>, <a href=\"#here\">here</a>, \
                    <a class=\"ref\" href=\"https://a.example/x?y=1&amp;z=2\">again</a> and <a href=\"mailto:m@x.org\">mail</a></p>";
        let (out, notes) = endnotes(html);
        assert_eq!(notes, ["https://a.example/x?y=1&z=2", "mailto:m@x.org"]);
        assert!(out.contains(">A</a><sup class=\"endnote-ref\">1</sup>"), "{out}");
        assert!(out.contains(">here</a>,"), "same-page anchors are not notes: {out}");
        assert!(out.contains(">again</a><sup class=\"endnote-ref\">1</sup>"), "{out}");
        assert!(out.contains(">mail</a><sup class=\"endnote-ref\">2</sup>"), "{out}");
    }
}
