//! Front-matter keys that mean something only on some kinds of item.
//!
//! The front matter is read into one struct whatever the item's kind, so `rule` on a
//! provision or `holidays` on a deadline would parse and then be silently dropped when the
//! item's details take the keys their kind uses (see `details_for`). This table says which
//! kinds read each such key; a key set on any other kind is a warning at the key. Keys
//! every kind reads (`title`, `tags`, `order`, `instrument`, which references resolve
//! against, …) are not listed.

use crate::diagnostics::Diagnostic;
use crate::load::Document;
use crate::load::front_matter::FrontMatter;

use super::Kind;

/// A kind-specific key: its spellings (the first is the canonical one), whether a
/// document sets it, and the kinds that read it.
struct KindKey {
    spellings: &'static [&'static str],
    set: fn(&FrontMatter) -> bool,
    kinds: &'static [Kind],
}

const fn key(spellings: &'static [&'static str], set: fn(&FrontMatter) -> bool, kinds: &'static [Kind]) -> KindKey {
    KindKey { spellings, set, kinds }
}

use Kind::{Agency, Alert, Deadline, Instrument, Note, Provision, Source, Term};

/// Which kinds read each kind-specific key, as `details_for` and the pages use them.
const KIND_KEYS: &[KindKey] = &[
    key(&["type"], |f| f.subtype.is_some(), &[Instrument, Source]),
    key(&["citation"], |f| f.citation.is_some(), &[Instrument]),
    key(&["signed"], |f| f.signed.is_some(), &[Instrument]),
    key(&["effective"], |f| f.effective.is_some(), &[Instrument]),
    key(&["status"], |f| f.status.is_some(), &[Instrument, Provision, Note]),
    // A `url` that is a path from the site root is Hugo's page address, read on every kind.
    key(&["url"], |f| f.url.as_deref().is_some_and(|url| !url.trim().starts_with('/')), &[Instrument, Source, Agency]),
    key(&["events"], |f| !f.events.is_empty(), &[Instrument]),
    key(&["section_label", "label"], |f| f.section_label.is_some(), &[Instrument]),
    key(&["numbering"], |f| f.numbering.is_some(), &[Instrument]),
    key(&["holidays"], |f| f.holidays.is_some(), &[Instrument]),
    key(&["closed_dates"], |f| f.closed_dates.is_some(), &[Instrument]),
    key(&["revoked"], |f| f.revoked.is_some(), &[Instrument]),
    key(&["amends"], |f| !f.amends.0.is_empty(), &[Instrument]),
    key(&["supersedes"], |f| !f.supersedes.0.is_empty(), &[Instrument]),
    key(&["short"], |f| f.short.is_some(), &[Instrument, Source, Agency, Term]),
    key(&["number"], |f| f.number.is_some(), &[Provision]),
    key(&["heading"], |f| f.heading.is_some(), &[Provision]),
    key(&["agencies"], |f| !f.agencies.is_empty(), &[Provision, Deadline]),
    key(&["consulting"], |f| !f.consulting.is_empty(), &[Provision, Deadline]),
    key(&["publisher"], |f| f.publisher.is_some(), &[Source]),
    key(&["author"], |f| f.author.is_some(), &[Source]),
    key(&["claims"], |f| !f.claims.is_empty(), &[Source]),
    key(&["full_text"], |f| f.full_text, &[Source]),
    key(&["provision"], |f| f.provision.is_some(), &[Deadline]),
    key(&["action"], |f| f.action.is_some(), &[Deadline]),
    key(&["rule"], |f| f.rule.is_some(), &[Deadline]),
    key(&["counting"], |f| f.counting.is_some(), &[Deadline]),
    key(&["non_business_day"], |f| f.non_business_day.is_some(), &[Deadline]),
    key(&["completed"], |f| f.completed.is_some(), &[Deadline]),
    key(&["authors"], |f| !f.authors.is_empty(), &[Alert]),
    key(&["takeaways"], |f| !f.takeaways.is_empty(), &[Alert]),
    key(&["contact"], |f| f.contact.is_some(), &[Alert]),
];

/// A warning at each key the document sets that its kind does not read.
pub(super) fn misplaced_keys(doc: &Document, kind: Kind) -> Vec<Diagnostic> {
    KIND_KEYS
        .iter()
        .filter(|k| (k.set)(&doc.front) && !k.kinds.contains(&kind))
        .map(|k| {
            let written = written_spelling(doc, k.spellings);
            let kinds = kinds_text(k.kinds);
            doc.key_diagnostic(
                "key-on-wrong-kind",
                written,
                0,
                format!("`{written}` means something only on {kinds}; it is ignored on this {}", kind.name()),
            )
            .warning()
            .with_hint(format!(
                "remove it, or make this file one of the {kinds} (set `kind`, or move it to their folder)"
            ))
        })
        .collect()
}

/// The spelling the document uses (aliases included), for the caret.
fn written_spelling(doc: &Document, spellings: &'static [&'static str]) -> &'static str {
    let front = doc.text().ok().map(|text| text[doc.front_range.clone()].to_string()).unwrap_or_default();
    spellings.iter().copied().find(|s| crate::text::find_key(&front, s).is_some()).unwrap_or(spellings[0])
}

/// "instruments", "provisions and deadlines", "instruments, sources and agencies".
fn kinds_text(kinds: &[Kind]) -> String {
    let plural = |kind: &Kind| match kind.name().strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{}s", kind.name()),
    };
    let names: Vec<String> = kinds.iter().map(plural).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_as_a_list() {
        assert_eq!(kinds_text(&[Instrument]), "instruments");
        assert_eq!(kinds_text(&[Provision, Deadline]), "provisions and deadlines");
        assert_eq!(kinds_text(&[Instrument, Source, Agency]), "instruments, sources and agencies");
    }

    #[test]
    fn every_key_is_listed_once_and_read_by_some_kind() {
        let mut seen = std::collections::HashSet::new();
        for k in KIND_KEYS {
            assert!(!k.kinds.is_empty(), "{:?}", k.spellings);
            for spelling in k.spellings {
                assert!(seen.insert(*spelling), "`{spelling}` is listed twice");
            }
        }
        assert!(FrontMatter::default().extra.is_empty());
        assert!(KIND_KEYS.iter().all(|k| !(k.set)(&FrontMatter::default())), "an empty front matter sets nothing");
    }
}
