//! Front matter for each planned item: every kind's keys for docket (TOML, and YAML for
//! one note in ten), and the few keys a plain Hugo site uses (title, date, summary, the
//! `for` audience taxonomy).

use std::fmt::Write as _;

use chrono::{Days, NaiveDate};

use super::plan::{FRONT, Plan};
use super::prose::{self, Rng};
use crate::model::Kind;

/// Front matter of item `n` in both flavours.
pub(super) struct Front {
    /// docket's front matter, with its fences.
    pub docket: String,
    /// Hugo's front matter, with its fences.
    pub hugo: String,
}

/// Writes the front matter of item `n`.
pub(super) fn write(plan: &Plan, n: usize) -> Front {
    let mut rng = Rng::new(plan.seed, n as u64, FRONT);
    let item = &plan.items[n];
    let summary = rng.chance(50).then(|| prose::sentence(&mut rng, 14));
    let audiences = audiences(plan, &mut rng, item.kind);
    let date = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date") + Days::new(rng.range(0, 300) as u64);
    let audience_ids: Vec<&str> = audiences.iter().map(|(a, _)| plan.items[*a].id.as_str()).collect();
    let hugo = hugo_front(&item.title, summary.as_deref(), &audience_ids, date, item.kind);
    let docket = if item.kind == Kind::Note && n % 10 == 3 {
        yaml_note(&item.title, summary.as_deref(), &audiences, plan)
    } else {
        let mut toml = format!("+++\ntitle = \"{}\"\n", item.title);
        if let Some(summary) = &summary {
            let _ = writeln!(toml, "summary = \"{summary}\"");
        }
        if !audiences.is_empty() {
            let weighted: Vec<String> =
                audiences.iter().map(|(a, r)| format!("{} = \"{r}\"", plan.items[*a].id)).collect();
            let _ = writeln!(toml, "audiences = {{ {} }}", weighted.join(", "));
        }
        if rng.chance(30) {
            let _ = writeln!(toml, "updated = {}", date.format("%Y-%m-%d"));
        }
        kind_keys(&mut toml, plan, n, &mut rng, date);
        toml.push_str("+++\n\n");
        toml
    };
    Front { docket, hugo }
}

fn audiences(plan: &Plan, rng: &mut Rng, kind: Kind) -> Vec<(usize, &'static str)> {
    if !matches!(kind, Kind::Provision | Kind::Deadline | Kind::Note | Kind::Alert | Kind::Instrument) {
        return Vec::new();
    }
    let mut found: Vec<(usize, &'static str)> = (0..rng.range(0, 3))
        .map(|_| (plan.random(rng, Kind::Audience), *rng.pick(&["high", "medium", "low"])))
        .collect();
    found.sort_by_key(|(a, _)| *a);
    found.dedup_by_key(|(a, _)| *a);
    found
}

fn hugo_front(title: &str, summary: Option<&str>, audiences: &[&str], date: NaiveDate, kind: Kind) -> String {
    let mut toml = format!("+++\ntitle = \"{title}\"\ndate = {}\n", date.format("%Y-%m-%d"));
    if let Some(summary) = summary {
        let _ = writeln!(toml, "summary = \"{summary}\"");
    }
    if !audiences.is_empty() {
        let ids: Vec<String> = audiences.iter().map(|a| format!("\"{a}\"")).collect();
        let _ = writeln!(toml, "for = [{}]", ids.join(", "));
    }
    let _ = writeln!(toml, "[params]\nkind = \"{}\"", kind.name());
    toml.push_str("+++\n\n");
    toml
}

fn yaml_note(title: &str, summary: Option<&str>, audiences: &[(usize, &str)], plan: &Plan) -> String {
    let mut yaml = format!("---\ntitle: \"{title}\"\ntags: [analysis, synthetic]\n");
    if let Some(summary) = summary {
        let _ = writeln!(yaml, "summary: \"{summary}\"");
    }
    if !audiences.is_empty() {
        yaml.push_str("audiences:\n");
        for (a, relevance) in audiences {
            let _ = writeln!(yaml, "  {}: {relevance}", plan.items[*a].id);
        }
    }
    yaml.push_str("---\n\n");
    yaml
}

fn kind_keys(toml: &mut String, plan: &Plan, n: usize, rng: &mut Rng, date: NaiveDate) {
    let item = &plan.items[n];
    let ids = |items: &[usize]| items.iter().map(|&a| format!("\"{}\"", plan.items[a].id)).collect::<Vec<_>>();
    let _ = match item.kind {
        Kind::Instrument => {
            let ordinal = n - plan.range(Kind::Instrument).start;
            let signed = plan.signed[ordinal];
            write!(
                toml,
                "type = \"executive order\"\ncitation = \"EO {}\"\nsigned = {}\nstatus = \"in effect\"\nevents = {{ federal-register-publication = {} }}\n",
                14001 + ordinal,
                signed.format("%Y-%m-%d"),
                (signed + Days::new(3)).format("%Y-%m-%d")
            )
        }
        Kind::Provision => provision_keys(toml, plan, n, rng, &ids(&plan.agencies_of(n))),
        Kind::Source => source_keys(toml, plan, n, rng, date),
        Kind::Deadline => deadline_keys(toml, plan, n, rng, &ids(&plan.agencies_of(n))),
        Kind::Audience => writeln!(toml, "order = {}", n - plan.range(Kind::Audience).start),
        Kind::Agency => {
            let ordinal = n - plan.range(Kind::Agency).start;
            let _ = writeln!(toml, "short = \"AG{ordinal}\"\nurl = \"https://agency{ordinal}.example.gov/\"");
            if ordinal >= 5 {
                let parent = &plan.items[plan.range(Kind::Agency).start + ordinal % 5].id;
                let _ = writeln!(toml, "parent = \"{parent}\"");
            }
            Ok(())
        }
        Kind::Term => write!(toml, "short = \"{}\"\naliases = [\"{}-alias\"]\n", prose::sentence(rng, 8), item.id),
        Kind::Alert => write!(
            toml,
            "date = {}\nauthors = [{{ name = \"A. Author\", role = \"Partner\", email = \"a@example.org\" }}]\ntakeaways = [\"{}\", \"{}\"]\n",
            date.format("%Y-%m-%d"),
            prose::sentence(rng, 10),
            prose::sentence(rng, 12)
        ),
        Kind::Note => writeln!(toml, "tags = [\"analysis\", \"{}\"]", prose::label(rng).replace(' ', "-")),
    };
}

fn provision_keys(toml: &mut String, plan: &Plan, n: usize, rng: &mut Rng, agencies: &[String]) -> std::fmt::Result {
    let item = &plan.items[n];
    let instrument = &plan.items[item.instrument.expect("provisions have an instrument")].id;
    let number = item.number.as_deref().unwrap_or_default();
    writeln!(toml, "number = \"{number}\"\ninstrument = \"{instrument}\"\nheading = \"{}\"", item.title)?;
    writeln!(toml, "agencies = [{}]", agencies.join(", "))?;
    if rng.chance(30) {
        writeln!(toml, "consulting = [\"{}\"]", plan.items[plan.random(rng, Kind::Agency)].id)?;
    }
    if rng.chance(30) {
        writeln!(toml, "questions = [\"{}\"]", prose::sentence(rng, 10))?;
    }
    if rng.chance(20) {
        let audience = &plan.items[plan.random(rng, Kind::Audience)].id;
        writeln!(toml, "actions = [{{ audience = \"{audience}\", text = \"{}\" }}]", prose::sentence(rng, 8))?;
    }
    Ok(())
}

fn deadline_keys(toml: &mut String, plan: &Plan, n: usize, rng: &mut Rng, agencies: &[String]) -> std::fmt::Result {
    let deadline = plan.deadline(n);
    let provision = &plan.items[deadline.provision];
    let instrument = &plan.items[provision.instrument.expect("provisions have an instrument")].id;
    writeln!(
        toml,
        "instrument = \"{instrument}\"\nprovision = \"{}\"\naction = \"{}\"\nrule = \"{}\"",
        provision.number.as_deref().unwrap_or_default(),
        prose::sentence(rng, 7).trim_end_matches('.'),
        deadline.rule
    )?;
    writeln!(toml, "agencies = [{}]", agencies.join(", "))?;
    if rng.chance(20) {
        writeln!(
            toml,
            "\n[[reviewed_conflicts]]\nattribute = \"due\"\nnote = \"{}\"\nreviewer = \"Corpus editor\"\ndate = 2026-07-01",
            prose::sentence(rng, 12)
        )?;
    }
    Ok(())
}

/// A source's keys and 2–4 claims: due dates of deadlines, acting agencies and headings
/// of provisions; about one claim in eight disagrees with the plan, so some conflict.
fn source_keys(toml: &mut String, plan: &Plan, n: usize, rng: &mut Rng, date: NaiveDate) -> std::fmt::Result {
    let ordinal = n - plan.range(Kind::Source).start;
    let kinds = ["law-firm client alert", "news report", "legal-news analysis", "practitioner's guide"];
    writeln!(
        toml,
        "type = \"{}\"\npublisher = \"Publisher {}\"\ndate = {}\nurl = \"https://news.example.org/{ordinal}\"\nshort = \"Source {ordinal}\"",
        rng.pick(&kinds),
        ordinal % 40,
        date.format("%Y-%m-%d")
    )?;
    let default = plan.range(Kind::Instrument).start;
    for _ in 0..rng.range(2, 4) {
        let roll = rng.below(100);
        // Each quote carries the words of its value, as a real quote would, so the check
        // that a value stays within its quote finds nothing to report on generated claims.
        let (about, attribute, value, said) = match roll {
            0..=59 => match dated_deadline(plan, rng) {
                Some((deadline, due)) => {
                    let due = if rng.chance(12) { due - Days::new(1) } else { due };
                    let text = if rng.chance(50) { due.format("%B %-d, %Y") } else { due.format("%Y-%m-%d") };
                    (plan.items[deadline].id.clone(), "due", format!("\"{text}\""), text.to_string())
                }
                None => continue,
            },
            60..=89 => {
                let provision = plan.random(rng, Kind::Provision);
                let mut agencies = plan.agencies_of(provision);
                if rng.chance(12) {
                    agencies.push(plan.random(rng, Kind::Agency));
                }
                let ids: Vec<String> = agencies.iter().map(|&a| format!("\"{}\"", plan.items[a].id)).collect();
                let names: Vec<&str> = agencies.iter().map(|&a| plan.items[a].title.as_str()).collect();
                (
                    plan.name_from(provision, default),
                    "acting-agencies",
                    format!("[{}]", ids.join(", ")),
                    names.join(", "),
                )
            }
            _ => {
                let provision = plan.random(rng, Kind::Provision);
                let heading = if rng.chance(12) { prose::title(rng, 3) } else { plan.items[provision].title.clone() };
                (plan.name_from(provision, default), "heading", format!("\"{heading}\""), heading)
            }
        };
        writeln!(
            toml,
            "\n[[claims]]\nabout = \"{about}\"\nattribute = \"{attribute}\"\nvalue = {value}\nquote = \"{} {said}\"\nlocation = \"paragraph {}\"",
            prose::sentence(rng, 6).trim_end_matches('.'),
            rng.range(1, 12)
        )?;
    }
    Ok(())
}

fn dated_deadline(plan: &Plan, rng: &mut Rng) -> Option<(usize, NaiveDate)> {
    (0..8).find_map(|_| {
        let deadline = plan.random(rng, Kind::Deadline);
        plan.deadline(deadline).due.map(|due| (deadline, due))
    })
}
