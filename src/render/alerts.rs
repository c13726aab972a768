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
pub const EMAIL_TEMPLATE: &str = "alert_email.html";

/// Route of an alert's print version.
pub fn print_route(alert_route: &str) -> String {
    format!("{alert_route}print/")
}

/// Route of an alert's e-mail version.
pub fn email_route(alert_route: &str) -> String {
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
        context.insert("content", &self.body_html(&item.doc, &self.graph.references[id.index()], route, &mut ignored));
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
