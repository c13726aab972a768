//! The corpus plan: how many items of each kind, their ids, paths, titles, headings,
//! provision numbers and deadline rules, decided before any body is written.
//!
//! Bodies refer to other items by what the plan says about them (a target's headings, a
//! deadline's due date), so every cross-reference, anchor and agreeing claim the writer
//! produces resolves. Everything derives from the seed and the item's index.

use chrono::{Days, NaiveDate};

use super::prose::{self, HEADINGS, Rng};
use crate::model::Kind;
use crate::text::slugify;

/// Purposes of the per-item random streams, so each aspect is independent of the others.
pub(super) const TITLE: u64 = 1;
pub(super) const HEADING_CHOICE: u64 = 2;
pub(super) const DEADLINE: u64 = 3;
pub(super) const AGENCIES: u64 = 4;
pub(super) const BODY: u64 = 5;
pub(super) const FRONT: u64 = 6;

/// How many agencies one instrument assigns duties to. A real order names tens of
/// agencies, not every agency of the knowledge base; drawing from the whole pool would make
/// each instrument's responsibility matrix grow with the corpus as well as with the
/// instrument (every instrument's provisions reaching all 300 agencies at 100,000 notes).
/// The instruments' sets overlap, and below 3,000 notes every instrument draws from all.
pub(super) const AGENCIES_PER_INSTRUMENT: usize = 30;

/// One planned item.
#[derive(Clone, Debug)]
pub(super) struct Planned {
    /// Its kind.
    pub kind: Kind,
    /// The id other items name it by (provisions: the instrument-qualified number).
    pub id: String,
    /// Folder under `content/`.
    pub folder: String,
    /// File name without `.md`.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Indexes into [`HEADINGS`] of the body's headings, distinct.
    pub headings: Vec<usize>,
    /// Index (into the plan's items) of the instrument, for provisions and deadlines.
    pub instrument: Option<usize>,
    /// The provision number, for provisions.
    pub number: Option<String>,
}

impl Planned {
    /// Path under `content/`.
    pub(super) fn rel_path(&self) -> String {
        format!("{}/{}.md", self.folder, self.stem)
    }

    /// The URL path Hugo (and docket, but for audiences) publishes it at.
    pub(super) fn hugo_url(&self) -> String {
        format!("/{}/{}/", self.folder, self.stem)
    }
}

/// A deadline's rule and, when day arithmetic gives one, its due date.
#[derive(Clone, Debug)]
pub(super) struct DeadlinePlan {
    /// The rule as written in front matter.
    pub rule: String,
    /// Due date, for rules whose date the generator can state with certainty (days after
    /// signing, a fixed date, or days after another such deadline).
    pub due: Option<NaiveDate>,
    /// The provision (item index) it belongs to.
    pub provision: usize,
}

/// The whole plan.
pub(super) struct Plan {
    /// The seed.
    pub seed: u64,
    /// Every item, grouped by kind in [`Kind::ALL`] order.
    pub items: Vec<Planned>,
    /// Item index ranges per kind.
    pub ranges: Vec<(Kind, std::ops::Range<usize>)>,
    /// Deadline plans, by deadline ordinal.
    pub deadlines: Vec<DeadlinePlan>,
    /// Signing date of each instrument, by instrument ordinal.
    pub signed: Vec<NaiveDate>,
    /// Provision item indexes per instrument ordinal.
    pub provisions_of: Vec<Vec<usize>>,
}

impl Plan {
    /// Plans a corpus of `total` items.
    pub(super) fn new(total: usize, seed: u64) -> Plan {
        let counts = counts(total.max(60));
        let mut plan = Plan {
            seed,
            items: Vec::with_capacity(total),
            ranges: Vec::new(),
            deadlines: Vec::new(),
            signed: Vec::new(),
            provisions_of: Vec::new(),
        };
        for (kind, count) in counts {
            let start = plan.items.len();
            match kind {
                Kind::Instrument => plan.add_instruments(count),
                Kind::Provision => plan.add_provisions(count),
                _ => (0..count).for_each(|n| plan.add_simple(kind, n)),
            }
            plan.ranges.push((kind, start..plan.items.len()));
        }
        plan.plan_deadlines();
        plan
    }

    /// Item indexes of a kind.
    pub(super) fn range(&self, kind: Kind) -> std::ops::Range<usize> {
        self.ranges.iter().find(|(k, _)| *k == kind).map(|(_, r)| r.clone()).unwrap_or(0..0)
    }

    /// A random item of a kind.
    pub(super) fn random(&self, rng: &mut Rng, kind: Kind) -> usize {
        let range = self.range(kind);
        range.start + rng.below(range.len())
    }

    /// The default instrument's id.
    pub(super) fn default_instrument(&self) -> &str {
        &self.items[self.range(Kind::Instrument).start].id
    }

    /// How a note whose current instrument is `from_instrument` names `target` in a
    /// cross-reference: a provision of the same instrument by its bare number.
    pub(super) fn name_from(&self, target: usize, from_instrument: usize) -> String {
        let item = &self.items[target];
        match (&item.number, item.instrument) {
            (Some(number), Some(instrument)) if instrument == from_instrument => number.clone(),
            (Some(number), Some(instrument)) => format!("{}:{number}", self.items[instrument].id),
            _ => item.id.clone(),
        }
    }

    /// The deadline plan of a deadline item.
    pub(super) fn deadline(&self, item: usize) -> &DeadlinePlan {
        &self.deadlines[item - self.range(Kind::Deadline).start]
    }

    /// Acting agencies of a provision or deadline: 1–3 agency item indexes, stable, drawn
    /// from the [`AGENCIES_PER_INSTRUMENT`] agencies of its instrument.
    pub(super) fn agencies_of(&self, item: usize) -> Vec<usize> {
        let mut rng = Rng::new(self.seed, item as u64, AGENCIES);
        let agencies = self.range(Kind::Agency);
        let pool = agencies.len().min(AGENCIES_PER_INSTRUMENT);
        let first = match self.items[item].instrument {
            Some(instrument) if agencies.len() > pool => {
                (instrument - self.range(Kind::Instrument).start) * pool % agencies.len()
            }
            _ => 0,
        };
        let mut found: Vec<usize> =
            (0..rng.range(1, 3)).map(|_| agencies.start + (first + rng.below(pool)) % agencies.len()).collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    fn push(&mut self, kind: Kind, id: String, folder: String, stem: String, title: String) {
        let n = self.items.len() as u64;
        let mut rng = Rng::new(self.seed, n, HEADING_CHOICE);
        let mut headings: Vec<usize> = Vec::new();
        let wanted = rng.range(3, 5);
        while headings.len() < wanted {
            let h = rng.below(HEADINGS.len());
            if !headings.contains(&h) {
                headings.push(h);
            }
        }
        self.items.push(Planned { kind, id, folder, stem, title, headings, instrument: None, number: None });
    }

    fn add_instruments(&mut self, count: usize) {
        let first = NaiveDate::from_ymd_opt(2026, 1, 5).expect("a valid date");
        for n in 0..count {
            let id = format!("eo-{}", 14001 + n);
            let mut rng = Rng::new(self.seed, self.items.len() as u64, TITLE);
            let title = format!("Executive Order {}: {}", 14001 + n, prose::title(&mut rng, 4));
            self.push(Kind::Instrument, id.clone(), "instruments".into(), id, title);
            self.signed.push(first + Days::new(11 * n as u64 % 300));
            self.provisions_of.push(Vec::new());
        }
    }

    fn add_provisions(&mut self, count: usize) {
        let instruments = self.range_so_far(Kind::Instrument);
        let spread = instruments.len();
        for (ordinal, instrument) in instruments.enumerate() {
            let wanted = count / spread + usize::from(ordinal < count % spread);
            let mut rng = Rng::new(self.seed, instrument as u64, TITLE + 100);
            for number in provision_numbers(&mut rng, wanted) {
                let instrument_id = self.items[instrument].id.clone();
                let mut title_rng = Rng::new(self.seed, self.items.len() as u64, TITLE);
                let title = prose::title(&mut title_rng, 3);
                let stem = slugify(&number);
                self.push(
                    Kind::Provision,
                    format!("{instrument_id}:{number}"),
                    format!("sections/{instrument_id}"),
                    stem,
                    title,
                );
                let last = self.items.last_mut().expect("just pushed");
                last.instrument = Some(instrument);
                last.number = Some(number);
                self.provisions_of[ordinal].push(self.items.len() - 1);
            }
        }
    }

    fn range_so_far(&self, kind: Kind) -> std::ops::Range<usize> {
        self.ranges.iter().find(|(k, _)| *k == kind).map(|(_, r)| r.clone()).unwrap_or(0..0)
    }

    fn add_simple(&mut self, kind: Kind, n: usize) {
        let (prefix, folder) = match kind {
            Kind::Source => ("src", "sources".to_string()),
            Kind::Deadline => ("dl", "deadlines".to_string()),
            Kind::Audience => ("aud", "audiences".to_string()),
            Kind::Agency => ("agency", "agencies".to_string()),
            Kind::Term => ("term", "terms".to_string()),
            Kind::Alert => ("alert", "alerts".to_string()),
            _ => ("note", format!("notes/topic-{}", n / 500)),
        };
        let id = format!("{prefix}-{n}");
        let mut rng = Rng::new(self.seed, self.items.len() as u64, TITLE);
        let title = match kind {
            Kind::Agency => format!("Office of {}", prose::title(&mut rng, 2)),
            Kind::Audience => format!("{}s", prose::title(&mut rng, 2)),
            Kind::Term => prose::title(&mut rng, 2),
            _ => {
                let words = rng.range(3, 6);
                prose::title(&mut rng, words)
            }
        };
        self.push(kind, id.clone(), folder, id, title);
    }

    /// Rules and due dates, in order, so a chained rule can anchor on an earlier deadline
    /// of the same instrument whose date is known.
    fn plan_deadlines(&mut self) {
        let range = self.range(Kind::Deadline);
        let mut known: Vec<Vec<(usize, NaiveDate)>> = vec![Vec::new(); self.signed.len()];
        for item in range {
            let mut rng = Rng::new(self.seed, item as u64, DEADLINE);
            let ordinal = rng.below(self.signed.len());
            let provisions = &self.provisions_of[ordinal];
            let provision = provisions[rng.below(provisions.len())];
            let signed = self.signed[ordinal];
            let (rule, due) = deadline_rule(&mut rng, signed, &known[ordinal], &self.items);
            if let Some(due) = due {
                known[ordinal].push((item, due));
            }
            self.items[item].instrument = Some(self.items[provision].instrument.expect("provisions have one"));
            self.deadlines.push(DeadlinePlan { rule, due, provision });
        }
    }
}

fn deadline_rule(
    rng: &mut Rng,
    signed: NaiveDate,
    known: &[(usize, NaiveDate)],
    items: &[Planned],
) -> (String, Option<NaiveDate>) {
    let roll = rng.below(100);
    match roll {
        0..=49 => {
            let days = *rng.pick(&[14u64, 30, 45, 60, 90, 120, 180]);
            (format!("within {days} days of signing"), Some(signed + Days::new(days)))
        }
        50..=59 => {
            // Month arithmetic is left to docket: no claim states these dates.
            let months = *rng.pick(&[1u32, 2, 3, 6]);
            (format!("within {months} months of effective"), None)
        }
        60..=74 if !known.is_empty() => {
            let (anchor, date) = known[rng.below(known.len())];
            let days = *rng.pick(&[15u64, 30, 60]);
            (format!("within {days} days of {}", items[anchor].id), Some(date + Days::new(days)))
        }
        60..=91 => {
            let date = signed + Days::new(rng.range(20, 400) as u64);
            (format!("no later than {}", date.format("%Y-%m-%d")), Some(date))
        }
        92..=95 => ("ongoing".to_string(), None),
        _ => ("unknown".to_string(), None),
    }
}

/// Hierarchical numbers `1`, `1(a)`, `1(a)(i)` ... until `wanted` are made.
fn provision_numbers(rng: &mut Rng, wanted: usize) -> Vec<String> {
    const ROMAN: [&str; 4] = ["i", "ii", "iii", "iv"];
    let mut numbers = Vec::with_capacity(wanted);
    let mut section = 1;
    while numbers.len() < wanted {
        numbers.push(section.to_string());
        for letter in (b'a'..).take(rng.range(2, 6)).map(char::from) {
            numbers.push(format!("{section}({letter})"));
            for roman in ROMAN.iter().take(rng.range(0, 3)) {
                numbers.push(format!("{section}({letter})({roman})"));
            }
        }
        section += 1;
    }
    numbers.truncate(wanted);
    numbers
}

/// Items per kind for a corpus of `total`: a shape like a real knowledge base, with
/// provisions, sources and deadlines growing with the corpus and audiences and agencies
/// growing slowly.
fn counts(total: usize) -> Vec<(Kind, usize)> {
    let instruments = (total / 2000).max(2);
    let provisions = total * 20 / 100;
    let sources = total * 8 / 100;
    let deadlines = total * 10 / 100;
    let audiences = (total / 200).clamp(8, 60);
    let agencies = (total / 100).clamp(10, 300);
    let terms = total * 5 / 100;
    let alerts = (total / 100).max(1);
    let fixed = instruments + provisions + sources + deadlines + audiences + agencies + terms + alerts;
    vec![
        (Kind::Instrument, instruments),
        (Kind::Provision, provisions),
        (Kind::Source, sources),
        (Kind::Deadline, deadlines),
        (Kind::Audience, audiences),
        (Kind::Agency, agencies),
        (Kind::Term, terms),
        (Kind::Alert, alerts),
        (Kind::Note, total.saturating_sub(fixed)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_has_the_asked_size_and_every_kind() {
        let plan = Plan::new(1000, 7);
        assert_eq!(plan.items.len(), 1000);
        for kind in Kind::ALL {
            assert!(!plan.range(kind).is_empty(), "{kind:?}");
        }
        let numbers: Vec<&str> = plan.items.iter().filter_map(|i| i.number.as_deref()).take(2).collect();
        assert_eq!(numbers, ["1", "1(a)"]);
    }

    #[test]
    fn each_instrument_draws_on_its_own_few_agencies() {
        let plan = Plan::new(20_000, 1);
        let instruments = plan.range(Kind::Instrument);
        let mut named: Vec<std::collections::BTreeSet<usize>> = vec![Default::default(); instruments.len()];
        for item in plan.range(Kind::Provision).chain(plan.range(Kind::Deadline)) {
            let instrument = plan.items[item].instrument.expect("provisions and deadlines have one");
            named[instrument - instruments.start].extend(plan.agencies_of(item));
        }
        assert!(plan.range(Kind::Agency).len() > AGENCIES_PER_INSTRUMENT);
        assert!(named.iter().all(|agencies| agencies.len() <= AGENCIES_PER_INSTRUMENT), "{named:?}");
        assert_ne!(named[0], named[1], "instruments share one set");
    }

    #[test]
    fn chained_rules_anchor_on_earlier_deadlines() {
        let plan = Plan::new(2000, 1);
        let chained = plan.deadlines.iter().filter(|d| d.rule.contains("of dl-")).count();
        assert!(chained > 0);
    }
}
