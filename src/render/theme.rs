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
    if let Err(error) = tera.add_raw_templates(raw) {
        diagnostics.push(
            Diagnostic::file_error(
                "template",
                "themes",
                format!("a template does not compile: {}", error_chain(&error)),
            )
            .with_hint("fix the template named in the message; see the tera documentation for the syntax"),
        );
        return None;
    }
    Some(Theme { tera, statics, extra_css: false })
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
