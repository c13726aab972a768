//! Redirect pages (Hugo `aliases` that are paths, Jekyll `redirect_from`) checked before
//! anything is written: each must have its address to itself. One that lands on a page,
//! a file, a page docket generates or another redirect is an error at its value (a
//! warning with `[references] broken = "warn"`, and the redirect is not written), naming
//! what is there already; the model stage has already refused paths that leave the site.

use std::collections::HashMap;

use crate::config::BrokenReferences;
use crate::diagnostics::{Diagnostics, Related};
use crate::model::Site;
use crate::resolve::lookup::Lookup;
use crate::resolve::site_links::is_generated;

/// Reports every redirect whose address something else has.
pub fn check(site: &Site, lookup: &Lookup, diagnostics: &mut Diagnostics) {
    let mut taken: HashMap<&str, &std::path::Path> = HashMap::new();
    for item in &site.items {
        for redirect in &item.redirects {
            let route = redirect.route.as_str();
            let (clash, other) = if let Some(other) = lookup.by_route(route) {
                ("it is the address of another note", Some(site.item(other).doc.display_path.as_path()))
            } else if let Some(&other) = taken.get(route) {
                ("another note redirects from it too", Some(other))
            } else if is_generated(route) || site.tags.by_route(route).is_some() {
                ("docket publishes a page of its own there", None)
            } else if lookup.has_attachment(route) {
                ("a file of the content folder is published there", None)
            } else {
                taken.insert(route, item.doc.display_path.as_path());
                continue;
            };
            let mut diagnostic = item
                .doc
                .value_diagnostic(
                    "redirect",
                    redirect.key,
                    &redirect.written,
                    format!("/{route} cannot redirect to this page: {clash}"),
                )
                .with_hint("remove the old address, or change it to one nothing else on the site has");
            if let Some(other) = other {
                diagnostic = diagnostic.with_related(Related {
                    path: other.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: "what has that address".into(),
                });
            }
            // Where broken links are warnings (an import still being cleaned up), so is an
            // old address that something else has: it is not written, and the page or
            // redirect already there keeps it, as Hugo does.
            if site.config.references.broken == BrokenReferences::Warn {
                diagnostic = diagnostic.warning();
            }
            diagnostics.push(diagnostic);
        }
    }
}
