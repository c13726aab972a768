//! `exclude` patterns of `docket.toml`: files and folders of the content folder that are
//! not content (a Jekyll site's `_layouts/`, `Gemfile`, a vault's `templates/`).
//!
//! Patterns are globs over the path relative to the content folder, `/`-separated: `*`
//! matches within one segment, `?` one character, `**` any number of segments (none
//! included). A pattern without `/` matches a file or folder name at any depth, as in
//! `.gitignore`. An excluded folder is not walked at all.

/// Patterns applied to each path found while walking the content folder.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    patterns: Vec<Vec<String>>,
}

impl Exclude {
    /// Compiles patterns as written in `docket.toml`.
    pub fn new(patterns: &[String]) -> Exclude {
        let patterns = patterns
            .iter()
            .map(|p| p.trim().trim_start_matches("./").trim_start_matches('/').trim_end_matches('/'))
            .filter(|p| !p.is_empty())
            .map(|p| {
                let anywhere = !p.contains('/');
                let mut segments: Vec<String> = p.split('/').map(str::to_string).collect();
                if anywhere {
                    segments.insert(0, "**".to_string());
                }
                segments
            })
            .collect();
        Exclude { patterns }
    }

    /// True when `rel_path` (relative to the content folder) is excluded.
    pub fn matches(&self, rel_path: &str) -> bool {
        let path: Vec<&str> = rel_path.split('/').filter(|s| !s.is_empty()).collect();
        self.patterns.iter().any(|pattern| match_segments(pattern, &path))
    }
}

fn match_segments(pattern: &[String], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => (0..=path.len()).any(|skip| match_segments(rest, &path[skip..])),
        Some((first, rest)) => path
            .split_first()
            .is_some_and(|(name, tail)| match_name(first.as_bytes(), name.as_bytes()) && match_segments(rest, tail)),
    }
}

/// `*` and `?` within one path segment (bytes, so `?` matches one byte of a non-ASCII
/// character: enough for the file-name patterns this is for).
fn match_name(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|skip| match_name(rest, &name[skip..])),
        Some((b'?', rest)) => !name.is_empty() && match_name(rest, &name[1..]),
        Some((c, rest)) => name.first() == Some(c) && match_name(rest, &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_gitignore() {
        let exclude =
            Exclude::new(&["_layouts/**".into(), "Gemfile*".into(), "drafts/*.md".into(), "**/private".into()]);
        assert!(exclude.matches("_layouts"), "a folder pattern excludes the folder itself");
        assert!(exclude.matches("_layouts/default.html"));
        assert!(exclude.matches("Gemfile") && exclude.matches("docs/Gemfile.lock"), "a bare name matches at any depth");
        assert!(exclude.matches("drafts/a.md") && !exclude.matches("drafts/sub/a.md"));
        assert!(exclude.matches("a/b/private") && exclude.matches("private"));
        assert!(!exclude.matches("guidance/email.md"));
    }
}
