//! Raw HTML written in notes: root links rebased, and untrusted HTML sanitised.
//!
//! Markdown passes raw HTML through as it is: a block (`Event::Html` lines between
//! `Start(HtmlBlock)` and `End(HtmlBlock)`) or one inline tag at a time
//! (`Event::InlineHtml`). Two things happen to it here:
//!
//! - **Root links** (`href="/glossary/"`, `src="/img.png"`) are rewritten with the same
//!   [`Urls`](crate::render::urls::Urls) rule as every other link, so a hand-written link
//!   works under a sub-path and from `file://`.
//! - In **untrusted mode** (`untrusted_html = true` in docket.toml, for mirroring a wiki
//!   many people edit) the HTML goes through ammonia: `<script>`, `<style>`, event-handler
//!   attributes (`onclick=`), `javascript:` URLs and anything else outside its allow-list
//!   are removed. A block is sanitised whole; an inline opening tag is sanitised alone and
//!   the closing tag ammonia adds is dropped, since the author's own closing tag follows
//!   as a later event (and is kept only for an allowed element).
//!
//! One URL policy covers raw HTML and markdown alike ([`is_safe_url`]): in untrusted mode,
//! and always in the e-mail version (a mail client is no place for script), a link or
//! image may only be relative or use `http`, `https`, `mailto` or `tel`. The check runs
//! on the URL as a browser reads it — entities already decoded by the markdown parser,
//! surrounding spaces and control characters trimmed, tabs and newlines inside removed,
//! case ignored — so `JaVaScRiPt:`, `  javascript:`, `java&#x09;script:` and
//! `data:text/html` are all refused.

use std::borrow::Cow;
use std::sync::LazyLock;

/// The sanitiser: ammonia's allow-list, plus `class` and `id` so anchors and styling of
/// ordinary wiki HTML survive, and no `rel` added to links (docket adds none elsewhere).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder.add_generic_attributes(["class", "id"]).link_rel(None).url_schemes(SAFE_SCHEMES.iter().copied().collect());
    builder
});

/// The URL schemes a link or image may use where content is not trusted.
pub const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Whether `url` is relative or uses one of [`SAFE_SCHEMES`], read the way a browser
/// reads it (see the module documentation). Entities must already be decoded.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    match scheme_end {
        // A colon after the first `/`, `?` or `#` is part of a relative path or query.
        Some(end) if path_start.is_none_or(|start| end < start) => {
            let scheme = cleaned[..end].to_ascii_lowercase();
            SAFE_SCHEMES.contains(&scheme.as_str())
        }
        _ => true,
    }
}

/// Removes everything unsafe from a block of HTML.
pub fn sanitize_block(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Sanitises one inline HTML fragment (an opening tag, a closing tag or a comment).
pub fn sanitize_inline(fragment: &str) -> String {
    let trimmed = fragment.trim();
    if let Some(name) = trimmed.strip_prefix("</") {
        let name = name.trim_end_matches('>').trim().to_ascii_lowercase();
        return if SANITIZER.clone_tags().contains(name.as_str()) { format!("</{name}>") } else { String::new() };
    }
    let cleaned = SANITIZER.clean(fragment).to_string();
    match opening_tag_name(trimmed) {
        Some(name) => cleaned.strip_suffix(&format!("</{name}>")).map(str::to_string).unwrap_or(cleaned),
        None => cleaned,
    }
}

fn opening_tag_name(fragment: &str) -> Option<String> {
    let rest = fragment.strip_prefix('<')?;
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
}

/// Rewrites the value of every `href` and `src` attribute that starts with one `/` with
/// `rebase` (given the value without its leading slash). Other values are left alone.
pub fn rebase_root_links<'h>(html: &'h str, rebase: &dyn Fn(&str) -> String) -> Cow<'h, str> {
    let lower = html.to_ascii_lowercase();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some((value_start, quote)) = next_link_value(&lower, at) {
        let end = html[value_start..].find(quote).map_or(html.len(), |n| value_start + n);
        let value = &html[value_start..end];
        if value.starts_with('/') && !value.starts_with("//") {
            out.push_str(&html[copied..value_start]);
            out.push_str(&rebase(&value[1..]));
            copied = end;
        }
        at = end;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Finds the next quoted `href=`/`src=` value at or after `from`: its start and quote.
fn next_link_value(lower: &str, from: usize) -> Option<(usize, char)> {
    let bytes = lower.as_bytes();
    let mut at = from;
    loop {
        let found =
            ["href=", "src="].iter().filter_map(|name| lower[at..].find(name).map(|n| (at + n, name.len()))).min();
        let (start, len) = found?;
        let preceded = start > 0 && bytes[start - 1].is_ascii_whitespace();
        let quote = bytes.get(start + len).copied();
        if preceded && matches!(quote, Some(b'"' | b'\'')) {
            return Some((start + len + 1, char::from(quote.expect("matched above"))));
        }
        at = start + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_event_handlers_are_removed_from_blocks() {
        let clean = sanitize_block(
            "<div class=\"note\" onclick=\"steal()\"><script>alert(1)</script><a href=\"javascript:alert(2)\">x</a><img src=\"a.png\" onerror=\"bad()\"></div>",
        );
        assert!(!clean.contains("script") && !clean.contains("alert"), "{clean}");
        assert!(!clean.contains("onclick") && !clean.contains("onerror"), "{clean}");
        assert!(!clean.contains("javascript:"), "{clean}");
        assert!(clean.contains("class=\"note\"") && clean.contains("src=\"a.png\""), "{clean}");
    }

    /// Finding 1: these reached the web, print and e-mail versions of an alert in
    /// untrusted mode.
    #[test]
    fn script_urls_in_any_disguise_are_refused_and_ordinary_ones_kept() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/svg+xml;base64,PHN2Zz4=",
            "livescript:x",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe_url(bad), "{bad:?}");
        }
        for good in [
            "https://example.org/a:b",
            "HTTP://example.org/",
            "mailto:a@example.org",
            "tel:+15551234",
            "/glossary/",
            "notes/a.md",
            "#section",
            "?q=a:b",
            "a/b:c",
            "",
            "//cdn.example.org/x.png",
        ] {
            assert!(is_safe_url(good), "{good:?}");
        }
    }

    #[test]
    fn raw_html_urls_follow_the_same_policy() {
        let clean = sanitize_block("<a href=\"vbscript:x\">v</a><a href=\"ftp://x.org/\">f</a><a href=\"tel:1\">t</a>");
        assert!(!clean.contains("vbscript") && !clean.contains("ftp:") && clean.contains("tel:1"), "{clean}");
    }

    #[test]
    fn inline_tags_keep_their_shape() {
        assert_eq!(sanitize_inline("<b onmouseover=\"x()\">"), "<b>");
        assert_eq!(sanitize_inline("</b>"), "</b>");
        assert_eq!(sanitize_inline("<script>"), "");
        assert_eq!(sanitize_inline("</script>"), "");
        assert_eq!(sanitize_inline("<a href=\"javascript:x()\">"), "<a>");
    }

    #[test]
    fn root_links_are_rebased_and_others_left_alone() {
        let rebase = |route: &str| format!("/kb/{route}");
        let html = "<a href=\"/glossary/\">g</a> <img src='/a.png'> <a href=\"https://x.org/\">x</a> <a href=\"//cdn\">c</a> <span data-href=\"/no\">";
        assert_eq!(
            rebase_root_links(html, &rebase),
            "<a href=\"/kb/glossary/\">g</a> <img src='/kb/a.png'> <a href=\"https://x.org/\">x</a> <a href=\"//cdn\">c</a> <span data-href=\"/no\">"
        );
        assert!(matches!(rebase_root_links("<p>plain</p>", &rebase), Cow::Borrowed(_)));
    }
}
