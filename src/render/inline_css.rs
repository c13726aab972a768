//! E-mail HTML: CSS inlined as `style` attributes, scripts removed.
//!
//! Mail clients drop `<style>` blocks and linked stylesheets (or apply them
//! unpredictably) and never run scripts, so the e-mail version of an alert carries its
//! styling on each element. The template writes its own layout styles inline; the body
//! of the alert, rendered from markdown, gets one style per element name from
//! [`EMAIL_STYLES`]. An element that already has a `style` attribute keeps it.
//!
//! The input is HTML docket itself produced (from templates and markdown), where a `<`
//! always opens a tag or a comment and `>` inside attribute values is escaped, so a
//! linear scan over tags is enough: no HTML parser is needed.

/// The style given to each element of an alert body in the e-mail version.
pub const EMAIL_STYLES: &[(&str, &str)] = &[
    ("a", "color:#1f4f8a;text-decoration:underline;"),
    ("blockquote", "margin:0 0 14px;padding:4px 0 4px 12px;border-left:3px solid #d5dae0;color:#4a535d;"),
    ("caption", "text-align:left;font-weight:bold;padding:4px 0;"),
    ("cite", "font-style:normal;"),
    ("code", "font-family:Menlo,Consolas,monospace;font-size:14px;background:#f4f5f7;"),
    ("figcaption", "font-size:13px;color:#4a535d;margin:0 0 8px;"),
    ("figure", "margin:0 0 14px;padding:8px 12px;border:1px solid #d5dae0;border-left:4px solid #1f4f8a;"),
    (
        "h1",
        "font-family:Georgia,'Times New Roman',serif;font-size:26px;line-height:1.25;margin:0 0 12px;color:#1d232b;",
    ),
    (
        "h2",
        "font-family:Georgia,'Times New Roman',serif;font-size:20px;line-height:1.3;margin:24px 0 8px;color:#1d232b;",
    ),
    ("h3", "font-family:Georgia,'Times New Roman',serif;font-size:17px;margin:20px 0 6px;color:#1d232b;"),
    ("h4", "font-size:16px;margin:16px 0 6px;color:#1d232b;"),
    ("img", "max-width:100%;height:auto;border:0;"),
    ("li", "margin:0 0 6px;"),
    ("ol", "margin:0 0 14px;padding-left:22px;"),
    ("p", "margin:0 0 14px;"),
    ("pre", "background:#f4f5f7;padding:10px;white-space:pre-wrap;font-size:13px;"),
    ("table", "border-collapse:collapse;width:100%;font-size:13px;margin:0 0 16px;"),
    ("td", "border-bottom:1px solid #d5dae0;padding:6px;text-align:left;vertical-align:top;"),
    ("th", "border-bottom:2px solid #d5dae0;padding:6px;text-align:left;vertical-align:top;"),
    ("ul", "margin:0 0 14px;padding-left:22px;"),
];

/// Inlines [`EMAIL_STYLES`] and removes `<script>` elements.
pub fn email(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let name_len = rest[1..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len() - 1);
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let Some(close) = rest.find('>') else { break };
        if name == "script" {
            rest = skip_script(rest);
            continue;
        }
        let tag = &rest[..=close];
        match EMAIL_STYLES.iter().find(|(element, _)| *element == name) {
            Some((_, style)) if !tag.contains(" style=") => {
                out.push_str(&tag[..1 + name_len]);
                out.push_str(" style=\"");
                out.push_str(style);
                out.push('"');
                out.push_str(&tag[1 + name_len..]);
            }
            _ => out.push_str(tag),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The text after a `<script>` element (all of it when the element is not closed).
fn skip_script(at_script: &str) -> &str {
    let lower = at_script.to_ascii_lowercase();
    match lower.find("</script") {
        Some(end) => {
            let after = &at_script[end..];
            after.find('>').map_or("", |close| &after[close + 1..])
        }
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_inlined_by_element_name() {
        let html = email("<p>See <a href=\"https://x.org/\">this</a>.</p>");
        assert!(html.starts_with("<p style=\"margin:0 0 14px;\">See <a style=\"color:#1f4f8a;"), "{html}");
        assert!(html.ends_with("href=\"https://x.org/\">this</a>.</p>"), "{html}");
    }

    #[test]
    fn existing_styles_closing_tags_and_unknown_elements_are_kept() {
        let input = "<td style=\"padding:0\">x</td><span class=\"a\">y</span><!-- c --><br>";
        assert_eq!(email(input), input);
    }

    #[test]
    fn scripts_are_removed_whatever_their_case() {
        assert_eq!(email("a<script>alert(1)</script>b<SCRIPT src=x></SCRIPT >c"), "abc");
        assert_eq!(email("a<script>never closed"), "a");
    }

    #[test]
    fn table_names_are_not_confused_with_longer_ones() {
        let html = email("<thead><th>x</th></thead>");
        assert!(html.starts_with("<thead><th style="), "{html}");
    }
}
