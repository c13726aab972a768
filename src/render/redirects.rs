//! Redirect pages: at each old address of a page (Hugo `aliases` that are paths, Jekyll
//! `redirect_from`), a small page that sends the reader on, as Hugo and
//! jekyll-redirect-from write them: a meta refresh, a canonical link to the new address
//! (so search engines move their entry), `noindex`, and a visible link for a reader whose
//! browser does not follow the refresh.

use crate::model::Site;
use crate::render::urls::Urls;
use crate::render::{OutputFile, output_path};
use crate::sink::Contents;
use crate::text::escape_html;

/// Every redirect page of the site, in item order.
pub(super) fn pages(site: &Site, urls: &Urls) -> Vec<OutputFile> {
    site.items
        .iter()
        .flat_map(|item| item.redirects.iter().map(move |redirect| (item, redirect)))
        .map(|(item, redirect)| {
            let href = urls.href(&redirect.route, &item.route);
            let canonical = urls.canonical(&item.route);
            let html =
                page(&item.title, &href, if canonical.is_empty() { &href } else { &canonical }, &site.config.language);
            OutputFile { path: output_path(&redirect.route), contents: Contents::Bytes(html.into_bytes()) }
        })
        .collect()
}

fn page(title: &str, href: &str, canonical: &str, language: &str) -> String {
    let (title, href, canonical, language) =
        (escape_html(title), escape_html(href), escape_html(canonical), escape_html(language));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n\
         <body>\n<p>This page has moved to <a href=\"{href}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}
