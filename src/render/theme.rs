//! Themes: the embedded default, overridden file by file by a theme on disk.
//!
//! A theme is a folder with `templates/` (tera) and `static/` (copied to the output under
//! `static/`). The default theme is compiled into the binary (see `build.rs`); a theme in
//! `themes/NAME/` replaces any file of the default that has the same path and may add
//! new ones. Templates are compiled once per build.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// A theme's files after layering: templates compiled, static files by path.
pub struct Theme {
    /// Compiled templates.
    pub tera: Tera,
    /// Static files: path under `static/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Each template's text and the path shown for it (`themes/NAME/templates/x.html`,
    /// or `(embedded)/templates/x.html` for the default), by template name, so an error
    /// can be reported at its line and column.
    pub sources: BTreeMap<String, (String, String)>,
    /// The knowledge base has `static/extra.css` (published as `/extra.css`), which every
    /// page loads after the theme's stylesheets, to restyle without writing a theme.
    pub extra_css: bool,
}

/// Layers the theme `name` found under `root/themes/` over the embedded default.
pub fn load(root: &Path, name: &str, diagnostics: &mut Diagnostics) -> Option<Theme> {
    let mut files: BTreeMap<String, (Vec<u8>, String)> = DEFAULT_THEME
        .iter()
        .map(|(path, bytes)| (path.to_string(), (bytes.to_vec(), format!("(embedded)/{path}"))))
        .collect();
    let dir = root.join("themes").join(name);
    let valid_name = !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..";
    if !valid_name {
        diagnostics.push(
            Diagnostic::file_error("theme", "docket.toml", format!("`{name}` is not a theme name"))
                .with_hint("a theme is a folder directly under themes/; give its name, e.g. theme = \"client-alert\""),
        );
        return None;
    }
    // The default theme is the one compiled in: a `themes/default/` folder on disk is its
    // source (in docket's own repository) and must not shadow it with a stale copy.
    if dir.is_dir() && name != "default" {
        for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name().into_iter().flatten() {
            if !entry.file_type().is_file() || crate::load::is_ignored(&entry.file_name().to_string_lossy()) {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&dir) else { continue };
            let relative = relative.to_string_lossy().replace('\\', "/");
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    let shown = entry.path().strip_prefix(root).unwrap_or(entry.path()).display().to_string();
                    files.insert(relative, (bytes, shown));
                }
                Err(error) => {
                    diagnostics.push(Diagnostic::file_error("theme", entry.path(), format!("cannot read: {error}")))
                }
            }
        }
    } else if name != "default" {
        diagnostics.push(
            Diagnostic::file_error(
                "theme",
                "docket.toml",
                format!("theme `{name}` not found: there is no folder themes/{name}"),
            )
            .with_hint("create the folder, or set theme = \"default\""),
        );
    }
    let mut theme = compile(files, diagnostics)?;
    theme.extra_css = root.join("static").join("extra.css").is_file();
    Some(theme)
}

fn compile(files: BTreeMap<String, (Vec<u8>, String)>, diagnostics: &mut Diagnostics) -> Option<Theme> {
    let mut templates = Vec::new();
    let mut statics = BTreeMap::new();
    for (path, (bytes, shown)) in files {
        if let Some(name) = path.strip_prefix("templates/") {
            match String::from_utf8(bytes) {
                Ok(text) => templates.push((name.to_string(), text, shown)),
                Err(_) => diagnostics.push(Diagnostic::file_error("theme", shown, "the template is not valid UTF-8")),
            }
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), bytes);
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default escaper also rewrites `/`, which bloats every href for no safety gain
    // inside quoted attributes; docket's escaper handles the five characters that matter.
    tera.set_escape_fn(crate::text::escape_html);
    let raw: Vec<(&str, &str)> = templates.iter().map(|(name, text, _)| (name.as_str(), text.as_str())).collect();
    let result = tera.add_raw_templates(raw);
    let sources = templates.into_iter().map(|(name, text, shown)| (name, (text, shown))).collect();
    let mut theme = Theme { tera, statics, sources, extra_css: false };
    if let Err(error) = result {
        diagnostics.push(theme.compile_error(&error));
        return None;
    }
    super::template_limits::install(&mut theme.tera);
    let refused = super::template_limits::check(&theme.tera);
    for problem in &refused {
        let found = theme.sources.get(problem.template.as_str());
        let diagnostic = match found.and_then(|(text, shown)| Some((text, shown, text.find(&problem.at)?))) {
            Some((text, shown, at)) => {
                Diagnostic::at("template", shown, text, at..at + problem.at.len(), problem.message.clone())
            }
            None => Diagnostic::file_error("template", "themes", problem.message.clone()),
        };
        diagnostics.push(diagnostic);
    }
    if !refused.is_empty() {
        return None;
    }
    Some(theme)
}

impl Theme {
    /// A template that does not parse, at the line and column tera names.
    fn compile_error(&self, error: &tera::Error) -> Diagnostic {
        let chain = error_chain(error);
        let hint = "fix the template; see the tera documentation for the syntax";
        let name = quoted_after(&chain, "Failed to parse '").unwrap_or_default();
        let position = chain.split("--> ").nth(1).and_then(|rest| {
            let (line, rest) = rest.split_once(':')?;
            let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
            Some((line.trim().parse::<usize>().ok()?, column.parse::<usize>().ok()?))
        });
        // pest's own snippet repeats what the diagnostic shows; keep its last line, the
        // expectation ("expected an expression ...").
        let expected =
            chain.lines().rev().find(|l| l.trim_start().starts_with('=')).map(|l| l.trim_start_matches([' ', '=']));
        let message = format!("template `{name}` does not parse: {}", expected.unwrap_or(chain.as_str()));
        match (self.sources.get(name), position) {
            (Some((text, shown)), Some((line, column))) => {
                let offset = offset_of(text, line, column);
                Diagnostic::at("template", shown, text, offset..offset, message).with_hint(hint)
            }
            _ => Diagnostic::file_error("template", "themes", message).with_hint(hint),
        }
    }

    /// A page that failed to render, at the template line that names what was missing
    /// (tera does not say where a runtime error happened, but names the variable, filter
    /// or function; its first use in the innermost template is the place to look).
    pub fn render_error(&self, template: &str, page: &str, error: &tera::Error) -> Diagnostic {
        let chain = error_chain(error);
        let innermost = chain.rsplit("while rendering '").next().filter(|_| chain.contains("while rendering '"));
        let name = innermost.and_then(|rest| rest.split('\'').next()).unwrap_or(template);
        let cause = chain.rsplit(": ").find(|part| part.contains('`')).unwrap_or(&chain);
        let needle = quoted_after(cause, "`");
        let message = format!("rendering {page} failed: {cause}");
        let hint = "every variable a template may use is listed in docs/templates.md";
        let (text, shown) = match self.sources.get(name) {
            Some((text, shown)) => (text.as_str(), shown.as_str()),
            None => return Diagnostic::file_error("template", format!("templates/{name}"), message).with_hint(hint),
        };
        match needle.and_then(|needle| find_in_tags(text, needle).map(|at| at..at + needle.len())) {
            Some(range) => Diagnostic::at("template", shown, text, range, message).with_hint(hint),
            None => Diagnostic::file_error("template", shown, message).with_hint(hint),
        }
    }
}

/// The text between `prefix` and the next quote of the same kind.
fn quoted_after<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let close = prefix.chars().last()?;
    let rest = text.split_once(prefix)?.1;
    rest.split(close).next()
}

/// The byte offset of a 1-based line and column (counted in characters).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let line_text = text[start.min(text.len())..].lines().next().unwrap_or_default();
    start + line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(at, _)| at)
}

/// The first use of `needle` inside a `{{ }}` or `{% %}` tag of `text`, as a whole name.
fn find_in_tags(text: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(needle) {
        let at = from + found;
        let before = &text[..at];
        let opened = before.rfind("{{").max(before.rfind("{%"));
        let closed = before.rfind("}}").max(before.rfind("%}"));
        let inside = opened.is_some_and(|open| closed.is_none_or(|close| close < open));
        let after = text[at + needle.len()..].chars().next();
        let whole = !after.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if inside && whole {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

/// A tera error with its causes, which carry the useful part (line, column, name).
pub fn error_chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
