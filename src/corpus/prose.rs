//! Deterministic prose for the synthetic corpus: a small random number generator, policy
//! vocabulary, and note bodies as abstract blocks whose references are rendered either as
//! docket cross-references or as plain markdown links (for the Hugo copy).

/// SplitMix64: tiny, fast and good enough for benchmark text; no dependency, and the same
/// seed gives the same corpus on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one purpose of one item, independent of every other item, so items
    /// can be written in parallel and stay deterministic.
    pub fn new(seed: u64, item: u64, purpose: u64) -> Rng {
        let mut rng =
            Rng(seed ^ item.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ purpose.wrapping_mul(0xd1b5_4a32_d192_ed03));
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next_u64() % (high - low + 1) as u64) as usize
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NOUNS: &[&str] = &[
    "agency",
    "developer",
    "operator",
    "contractor",
    "model",
    "system",
    "framework",
    "report",
    "assessment",
    "standard",
    "benchmark",
    "guidance",
    "directive",
    "review",
    "evaluation",
    "disclosure",
    "incident",
    "risk",
    "safeguard",
    "procurement",
    "grant",
    "program",
    "registry",
    "audit",
    "certification",
    "inventory",
    "policy",
    "office",
    "council",
    "committee",
    "budget",
    "timeline",
    "deadline",
    "requirement",
    "exemption",
    "waiver",
    "threshold",
    "capability",
    "vulnerability",
    "infrastructure",
    "network",
    "dataset",
    "workforce",
    "partner",
    "regulator",
    "secretary",
    "director",
    "memorandum",
    "notice",
    "comment",
    "rulemaking",
    "statute",
    "section",
];

const VERBS: &[&str] = &[
    "requires",
    "directs",
    "establishes",
    "clarifies",
    "expands",
    "limits",
    "coordinates",
    "publishes",
    "reviews",
    "assesses",
    "designates",
    "reports",
    "updates",
    "identifies",
    "supports",
    "restricts",
    "evaluates",
    "tracks",
    "defines",
    "monitors",
    "consults",
    "implements",
    "extends",
    "narrows",
    "prioritises",
    "funds",
];

const ADJECTIVES: &[&str] = &[
    "federal",
    "covered",
    "frontier",
    "critical",
    "voluntary",
    "mandatory",
    "annual",
    "interim",
    "final",
    "classified",
    "public",
    "private",
    "national",
    "technical",
    "independent",
    "responsible",
    "relevant",
    "significant",
    "new",
    "existing",
    "initial",
    "quarterly",
    "sector-specific",
    "cross-agency",
    "open-weight",
];

const CONNECTIVES: &[&str] =
    &["and", "because", "while", "although", "so that", "unless", "whereas", "after", "before", "until", "since"];

/// Headings notes choose from; each note uses a few distinct ones, so anchors are unique.
pub const HEADINGS: &[&str] = &[
    "Overview",
    "What it requires",
    "Who must act",
    "Analysis",
    "Open questions",
    "Practical steps",
    "Background",
    "Timeline",
    "Commentary",
    "Risks and uncertainties",
    "Interaction with other provisions",
    "Implementation notes",
    "Enforcement",
    "Reporting obligations",
];

/// One word of a list.
fn one_of(rng: &mut Rng, words: &[&'static str]) -> &'static str {
    words[rng.below(words.len())]
}

/// A plain lower-case word of policy prose.
fn word(rng: &mut Rng) -> &'static str {
    match rng.below(10) {
        0..=3 => one_of(rng, NOUNS),
        4..=5 => one_of(rng, ADJECTIVES),
        6..=7 => one_of(rng, VERBS),
        _ => one_of(rng, &["the", "a", "each", "every", "its", "their", "this", "that", "of", "for", "with", "under"]),
    }
}

/// A sentence of `words` words, capitalised, with a full stop.
pub fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::with_capacity(words * 9);
    for n in 0..words {
        if n > 0 {
            text.push(' ');
        }
        if n > 3 && n + 3 < words && rng.chance(6) {
            text.push_str(one_of(rng, CONNECTIVES));
            text.push(' ');
        }
        text.push_str(word(rng));
    }
    capitalise(&mut text);
    text.push('.');
    text
}

/// A few words, capitalised: titles and labels.
pub fn title(rng: &mut Rng, words: usize) -> String {
    let mut parts: Vec<&str> = Vec::with_capacity(words);
    parts.push(*rng.pick(ADJECTIVES));
    while parts.len() < words {
        parts.push(*rng.pick(NOUNS));
    }
    let mut text = parts.join(" ");
    capitalise(&mut text);
    text
}

/// A lower-case label of a few words, for `[[target|label]]`.
pub fn label(rng: &mut Rng) -> String {
    format!("{} {}", *rng.pick(ADJECTIVES), *rng.pick(NOUNS))
}

fn capitalise(text: &mut String) {
    if let Some(first) = text.get(0..1) {
        let upper = first.to_ascii_uppercase();
        text.replace_range(0..1, &upper);
    }
}

/// A short code sample in a language syntect knows.
pub fn code_sample(rng: &mut Rng) -> (&'static str, String) {
    match rng.below(4) {
        0 => (
            "json",
            format!(
                "{{\n  \"deadline\": \"dl-{}\",\n  \"days\": {},\n  \"agencies\": [\"agency-{}\", \"agency-{}\"],\n  \"public\": {}\n}}\n",
                rng.below(500),
                rng.range(10, 180),
                rng.below(50),
                rng.below(50),
                rng.chance(50)
            ),
        ),
        1 => (
            "yaml",
            format!(
                "report:\n  due: 2026-{:02}-{:02}\n  owner: agency-{}\n  audiences:\n    - aud-{}\n    - aud-{}\n",
                rng.range(1, 12),
                rng.range(1, 28),
                rng.below(50),
                rng.below(10),
                rng.below(10)
            ),
        ),
        2 => (
            "python",
            format!(
                "from datetime import date, timedelta\n\nsigned = date(2026, 6, {})\nfor days in ({}, {}, {}):\n    print(days, signed + timedelta(days=days))\n",
                rng.range(1, 28),
                rng.range(10, 40),
                rng.range(41, 90),
                rng.range(91, 180)
            ),
        ),
        _ => (
            "toml",
            format!(
                "[deadline]\nrule = \"within {} days of signing\"\nagencies = [\"agency-{}\"]\nnon_business_day = \"roll\"\n",
                rng.range(10, 180),
                rng.below(50)
            ),
        ),
    }
}
