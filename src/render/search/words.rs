//! Words as the search index and the browser both cut them (`docs/search-format.md`,
//! "Words"), and the stemmer that groups their forms.

use rust_stemmers::{Algorithm, Stemmer};

/// Calls `found` with each word of `text`, lower-cased: a run of letters and digits that
/// may hold single apostrophes between two of them (`agency's`); `’` counts as `'`.
pub(super) fn each_word(text: &str, mut found: impl FnMut(&str)) {
    let mut word = String::new();
    let mut pending_apostrophe = false;
    for c in text.chars() {
        if is_word_char(c) {
            if pending_apostrophe {
                word.push('\'');
                pending_apostrophe = false;
            }
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else if (c == '\'' || c == '’') && !word.is_empty() && !pending_apostrophe {
            pending_apostrophe = true;
        } else {
            pending_apostrophe = false;
            if !word.is_empty() {
                found(&word);
                word.clear();
            }
        }
    }
    if !word.is_empty() {
        found(&word);
    }
}

/// Letters and digits: Unicode `Alphabetic` or a numeric category, as the browser's
/// `[\p{Alphabetic}\p{N}]`.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphabetic() || c.is_numeric() }
}

/// The stemmer for a site language tag (`en`, `en-GB`, `fr`…); `None` for a language
/// Snowball has no stemmer for, whose words are then indexed as they are.
pub(super) fn stemmer(language: &str) -> Option<Stemmer> {
    let primary = language.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    let algorithm = match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The stem of `word` (a word [`each_word`] found), or the word itself without a stemmer.
///
/// rust-stemmers 1.2.0 panics inside the Greek algorithm on some words ("ισαισα": a
/// slice out of bounds in its generated code), and it is the maintained Snowball port;
/// so a word the stemmer fails on is indexed as it is, and the build goes on.
pub(super) fn stem(stemmer: Option<&Stemmer>, word: &str) -> String {
    match stemmer {
        Some(stemmer) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stemmer.stem(word).into_owned()))
            .unwrap_or_else(|_| word.to_string()),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding 7: `language = "el"` and this word made `docket build` exit 101.
    #[test]
    fn a_word_the_greek_stemmer_panics_on_is_kept_as_it_is() {
        let greek = stemmer("el").expect("a Greek stemmer");
        assert_eq!(stem(Some(&greek), "ισαισα"), "ισαισα");
        assert_ne!(stem(Some(&greek), "ανθρωποι"), "");
    }

    fn words(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        each_word(text, |w| found.push(w.to_string()));
        found
    }

    #[test]
    fn words_are_lower_cased_runs_of_letters_and_digits() {
        assert_eq!(
            words("Sec. 3(b)(ii): Export-Controls, 2026!"),
            ["sec", "3", "b", "ii", "export", "controls", "2026"]
        );
        assert_eq!(words("Régime  ÉTATS"), ["régime", "états"]);
    }

    #[test]
    fn apostrophes_join_words_only_between_letters() {
        assert_eq!(
            words("the agency’s plan, don't 'quoted' rock'n'roll ''x"),
            ["the", "agency's", "plan", "don't", "quoted", "rock'n'roll", "x"]
        );
        assert_eq!(words("a''b"), ["a", "b"]);
    }

    #[test]
    fn english_forms_share_a_stem_and_unknown_languages_keep_words() {
        let english = stemmer("en-US");
        let stems: Vec<String> =
            ["reporting", "reported", "reports"].iter().map(|w| stem(english.as_ref(), w)).collect();
        assert_eq!(stems, ["report", "report", "report"]);
        assert!(stemmer("xx").is_none());
        assert_eq!(stem(None, "reporting"), "reporting");
    }
}
