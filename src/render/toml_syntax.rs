//! TOML highlighting: docket's own front-matter and configuration format, which syntect's
//! bundled syntaxes lack.
//!
//! In: the text of a fenced code block marked `toml`. Out: the same `<pre><code>` with
//! classed spans that [`super::highlight`] makes, using the scope classes the generated
//! `syntax.css` colours (comments, strings, numbers and dates, booleans, table headers,
//! keys), so a theme styles TOML like any other language. A small scanner rather than a
//! syntax definition: loading one needs syntect's YAML loader, whose parser is
//! unmaintained, and TOML's lexical grammar fits in a page.

use crate::text::escape_html;

const COMMENT: &str = "hl-comment";
const STRING: &str = "hl-string";
const NUMBER: &str = "hl-constant hl-numeric";
const BOOLEAN: &str = "hl-constant hl-language";
const TABLE: &str = "hl-entity hl-name hl-tag";
const KEY: &str = "hl-entity hl-other hl-attribute-name";

/// Highlights TOML `code` as a `<pre><code class="language-toml">` block.
pub(super) fn highlight(code: &str) -> String {
    let mut html = String::with_capacity(code.len() * 2);
    let mut rest = code;
    let mut line_start = true;
    while let Some(first) = rest.chars().next() {
        let (class, length) = token(rest, line_start);
        let (text, after) = rest.split_at(length.max(first.len_utf8()));
        match class {
            Some(class) => html.push_str(&format!("<span class=\"{class}\">{}</span>", escape_html(text))),
            None => html.push_str(&escape_html(text)),
        }
        line_start = match text.chars().last() {
            Some('\n') => true,
            Some(c) if c.is_whitespace() => line_start,
            _ => false,
        };
        rest = after;
    }
    format!("<pre class=\"hl-code\"><code class=\"language-toml\">{html}</code></pre>\n")
}

/// The class and byte length of the token at the start of `text`.
fn token(text: &str, line_start: bool) -> (Option<&'static str>, usize) {
    let first = text.chars().next().unwrap_or(' ');
    match first {
        '#' => (Some(COMMENT), line_length(text)),
        '"' | '\'' => (Some(STRING), string_length(text)),
        '[' if line_start => (Some(TABLE), line_length(text).min(header_length(text))),
        c if c.is_whitespace() => {
            (None, text.find(|c: char| !c.is_whitespace() || c == '\n').map_or(text.len(), |n| n.max(1)))
        }
        _ => word(text),
    }
}

/// A bare word: a key when an `=` follows, else a boolean, number, date or plain text.
fn word(text: &str) -> (Option<&'static str>, usize) {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '+');
    let length = text.find(|c: char| !is_word(c)).unwrap_or(text.len());
    if length == 0 {
        return (None, text.chars().next().map_or(1, char::len_utf8));
    }
    let word = &text[..length];
    if text[length..].trim_start_matches([' ', '\t']).starts_with('=') {
        return (Some(KEY), length);
    }
    let numeric = word.starts_with(|c: char| c.is_ascii_digit())
        || (word.starts_with(['+', '-']) && word[1..].starts_with(|c: char| c.is_ascii_digit()))
        || matches!(word.trim_start_matches(['+', '-']), "inf" | "nan");
    match word {
        "true" | "false" => (Some(BOOLEAN), length),
        _ if numeric => (Some(NUMBER), length),
        _ => (None, length),
    }
}

fn line_length(text: &str) -> usize {
    text.find('\n').unwrap_or(text.len())
}

/// `[table]` or `[[array.of.tables]]`, up to its closing brackets.
fn header_length(text: &str) -> usize {
    let closing = if text.starts_with("[[") { "]]" } else { "]" };
    text.find(closing).map_or(text.len(), |at| at + closing.len())
}

/// A basic (`"`) or literal (`'`) string, single- or multi-line; an unclosed one ends
/// with the line (single) or the text (multi-line).
fn string_length(text: &str) -> usize {
    for fence in ["\"\"\"", "'''"] {
        if let Some(body) = text.strip_prefix(fence) {
            return fence.len() + closing(body, fence, fence.starts_with('"')).unwrap_or(body.len());
        }
    }
    let quote = &text[..1];
    let body = &text[1..];
    let line = &body[..line_length(body)];
    1 + closing(line, quote, quote == "\"").unwrap_or(line.len())
}

/// Where `fence` closes `body` (the offset after it), skipping escaped characters in
/// basic strings.
fn closing(body: &str, fence: &str, escapes: bool) -> Option<usize> {
    let mut at = 0;
    while at < body.len() {
        if escapes && body[at..].starts_with('\\') {
            at += 1 + body[at + 1..].chars().next().map_or(0, char::len_utf8);
            continue;
        }
        if body[at..].starts_with(fence) {
            return Some(at + fence.len());
        }
        at += body[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(code: &str) -> Vec<(String, String)> {
        let html = highlight(code);
        html.split("<span class=\"")
            .skip(1)
            .map(|part| {
                let (class, rest) = part.split_once("\">").expect("a class");
                (class.to_string(), rest.split("</span>").next().expect("closed").to_string())
            })
            .collect()
    }

    #[test]
    fn front_matter_gets_keys_strings_dates_tables_and_comments() {
        let code = "title = \"Sec. 2 \\\"quoted\\\"\"\nsigned = 2026-06-02  # the date\n[[claims]]\nabout = '2(c)'\nvalue = 30\ndraft = false\naudiences = { frontier-ai-developers = \"high\" }\n";
        let found = spans(code);
        let expect = |class: &str, text: &str| {
            assert!(found.iter().any(|(c, t)| c == class && t == text), "{class} {text} in {found:?}");
        };
        expect(KEY, "title");
        expect(STRING, "&quot;Sec. 2 \\&quot;quoted\\&quot;&quot;");
        expect(NUMBER, "2026-06-02");
        expect(COMMENT, "# the date");
        expect(TABLE, "[[claims]]");
        expect(STRING, "&#39;2(c)&#39;");
        expect(NUMBER, "30");
        expect(BOOLEAN, "false");
        expect(KEY, "frontier-ai-developers");
    }

    #[test]
    fn multi_line_strings_span_lines_and_text_is_kept_whole() {
        let code = "note = \"\"\"\nline [not a table]\n# not a comment\n\"\"\"\nafter = 1\n";
        let found = spans(code);
        assert!(found.iter().any(|(c, t)| c == STRING && t.contains("# not a comment")), "{found:?}");
        assert!(!found.iter().any(|(c, _)| c == TABLE || c == COMMENT), "{found:?}");
        let html = highlight(code);
        let inner = html
            .split_once("language-toml\">")
            .and_then(|(_, rest)| rest.rsplit_once("</code>"))
            .expect("a code block")
            .0;
        let text: String =
            format!(">{inner}").split('<').filter_map(|part| part.split_once('>').map(|(_, t)| t)).collect();
        assert_eq!(text.replace("&quot;", "\""), code, "nothing lost or added");
    }

    #[test]
    fn an_unclosed_string_ends_with_its_line() {
        let found = spans("a = \"open\nb = 2\n");
        assert!(found.iter().any(|(c, t)| c == KEY && t == "b"), "{found:?}");
    }
}
