//! Obsidian comments, `%%like this%%`, inline or over several lines.
//!
//! Authors write private notes there, so they must never reach a page. They are blanked
//! in the text itself, byte for byte with spaces (line ends kept), before anything reads
//! the body: every later stage (the outline scan, references, rendering, search) sees the
//! same text with the same offsets, and a diagnostic still points at the right line.
//! `%%` inside inline code or a fenced code block is not a comment, as in Obsidian.

/// Blanks every comment of `text` from byte `from` on (the body; front matter is never
/// scanned). Returns the offset of a `%%` that is never closed, if any: Obsidian hides
/// everything after it, and so does docket, but the author should know.
pub fn blank(text: &mut String, from: usize) -> Option<usize> {
    let spans = find(&text[from..]);
    let mut unclosed = None;
    // Comment spans start and end at ASCII `%%` (or the end of the text), so they cover
    // whole characters; only whole characters are replaced, with ASCII spaces (and one
    // zero-width space over three of them), so the text stays valid UTF-8.
    let mut bytes = std::mem::take(text).into_bytes();
    for (start, end, closed) in spans {
        if !closed {
            unclosed.get_or_insert(from + start);
        }
        for byte in &mut bytes[from + start..from + end] {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b' ';
            }
        }
        keep_soft_break(&mut bytes, from + start, from + end);
    }
    *text = String::from_utf8(bytes).expect("only whole characters were replaced");
    unclosed
}

/// A comment blanked at the end of a line of text would leave two or more trailing spaces,
/// which markdown reads as a hard line break. When the comment's first line has text
/// before it and nothing after it, its last three blanked bytes become a zero-width space
/// (U+200B, three bytes in UTF-8), which keeps the line end a soft break and shows nothing.
fn keep_soft_break(bytes: &mut [u8], start: usize, end: usize) {
    let line_start = bytes[..start].iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1);
    let text_before = bytes[line_start..start].iter().any(|b| !b.is_ascii_whitespace());
    let newline = bytes[start..].iter().position(|&b| b == b'\n').map(|n| start + n);
    let Some(newline) = newline.filter(|_| text_before) else { return };
    let blank_after = bytes[end.min(newline)..newline].iter().all(|b| b.is_ascii_whitespace());
    let segment_end = if bytes[..newline].ends_with(b"\r") { newline - 1 } else { newline };
    if blank_after && segment_end >= start + 3 {
        bytes[segment_end - 3..segment_end].copy_from_slice("\u{200b}".as_bytes());
    }
}

/// How many comments `text` holds from byte `from` on, for the import report.
pub fn count(text: &str, from: usize) -> usize {
    text.get(from..).map_or(0, |body| find(body).len())
}

/// `(start, end, closed)` of every comment in `body`, `end` past its closing `%%`.
fn find(body: &str) -> Vec<(usize, usize, bool)> {
    let bytes = body.as_bytes();
    let mut spans = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if i == line_start
            && let Some(next) = fence_line(bytes, i, &mut fence)
        {
            i = next;
            line_start = next;
            continue;
        }
        match bytes[i] {
            b'\n' => {
                i += 1;
                line_start = i;
            }
            b'`' => i = skip_code_span(bytes, i),
            b'%' if bytes.get(i + 1) == Some(&b'%') => {
                let close = body[i + 2..].find("%%").map(|at| i + 2 + at + 2);
                let end = close.unwrap_or(bytes.len());
                spans.push((i, end, close.is_some()));
                line_start = body[..end].rfind('\n').map_or(0, |n| n + 1);
                i = end;
            }
            _ => i += 1,
        }
    }
    spans
}

/// Inside a fenced code block, or on a line opening or closing one: the offset of the next
/// line. `None` for an ordinary line.
fn fence_line(bytes: &[u8], at: usize, fence: &mut Option<(u8, usize)>) -> Option<usize> {
    let end = bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| at + n + 1);
    let line = &bytes[at..end];
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    let marker = line.get(indent).copied().filter(|&b| b == b'`' || b == b'~');
    let run = marker.map_or(0, |m| line[indent..].iter().take_while(|&&b| b == m).count());
    match (*fence, marker) {
        (Some((open, len)), Some(m)) if m == open && run >= len && indent < 4 => {
            *fence = None;
            Some(end)
        }
        (Some(_), _) => Some(end),
        (None, Some(m)) if run >= 3 && indent < 4 => {
            *fence = Some((m, run));
            Some(end)
        }
        (None, _) => None,
    }
}

/// Past an inline code span opened at `at` (its closing run of as many backticks on the
/// same line), or past the backticks alone when nothing closes them.
fn skip_code_span(bytes: &[u8], at: usize) -> usize {
    let run = bytes[at..].iter().take_while(|&&b| b == b'`').count();
    let mut i = at + run;
    while i < bytes.len() && bytes[i] != b'\n' {
        if bytes[i] == b'`' {
            let close = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if close == run {
                return i + close;
            }
            i += close;
        } else {
            i += 1;
        }
    }
    at + run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanked(text: &str) -> (String, Option<usize>) {
        let mut text = text.to_string();
        let unclosed = blank(&mut text, 0);
        (text, unclosed)
    }

    #[test]
    fn inline_and_block_comments_are_blanked_keeping_offsets() {
        let (text, unclosed) = blanked("Public %%private%% text.\n%%\nsecret ünïcode\n%%\nEnd.\n");
        assert_eq!(text.len(), "Public %%private%% text.\n%%\nsecret ünïcode\n%%\nEnd.\n".len());
        assert!(!text.contains("private") && !text.contains("secret"), "{text}");
        assert!(text.starts_with("Public ") && text.ends_with("\nEnd.\n"));
        assert_eq!(text.lines().count(), 5, "line ends are kept");
        assert_eq!(unclosed, None);
    }

    #[test]
    fn a_comment_at_a_line_end_leaves_no_hard_break() {
        let (text, _) = blanked("Text. %% aside %%\nMore.\n");
        assert!(text.starts_with("Text. ") && text.contains("\u{200b}\nMore."), "{text:?}");
        assert!(!text.contains("  \n"));
        assert_eq!(text.len(), "Text. %% aside %%\nMore.\n".len());
        let (alone, _) = blanked("%% aside %%\nMore.\n");
        assert!(!alone.contains('\u{200b}'), "a line holding only a comment stays blank");
    }

    #[test]
    fn code_is_not_a_comment() {
        let source = "Use `printf(\"%%d\")` here.\n```\n%% not a comment %%\n```\nand %%this is%%.\n";
        let (text, _) = blanked(source);
        assert!(text.contains("printf(\"%%d\")"));
        assert!(text.contains("%% not a comment %%"));
        assert!(!text.contains("this is"));
    }

    #[test]
    fn an_unclosed_comment_hides_the_rest_and_is_reported() {
        let (text, unclosed) = blanked("Shown. %% hidden\nstill hidden\n");
        assert_eq!(unclosed, Some(7));
        assert!(!text.contains("hidden"));
        assert!(text.starts_with("Shown."));
    }
}
