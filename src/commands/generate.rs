//! `frameaudit generate` (hidden): writes synthetic, valid profiles for benchmarks.
//!
//! `--count N --seed S -o DIR` writes N profiles against the bundled rubric, a `region.yaml`
//! per folder and a copy of the rubric in `DIR/rubrics/`, so the tree validates from
//! anywhere. A folder holds at most 676 profiles (one per two-letter code), so larger runs
//! are split into `batch-0001/`, `batch-0002/`, … each with its own region. The output is a
//! pure function of (count, seed, rubric): a tiny SplitMix64 generator drives every choice,
//! and each profile has its own stream, so files do not depend on the order they are
//! written in. The text is filler shaped like the real profiles (sources, a note per cell,
//! good practices, challenges); it describes no real country.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{Ctx, Exit};
use crate::load::rubric;
use crate::load::yaml_write::quoted_list;
use crate::model::{Level, Rubric};
use crate::random::SplitMix64;

/// The most profiles one folder can hold: one per two-letter country code.
pub(crate) const CODES: usize = 26 * 26;

/// Arguments of `frameaudit generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many profiles to write.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub count: usize,
    /// Seed of the generator: the same seed and count give byte-identical files.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Folder to write into (created if missing; must be empty unless --force).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Write into a folder that is not empty, replacing files of the same name.
    #[arg(long)]
    pub force: bool,
}

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let rubric_path = ctx.default_rubric();
    let mut diags = Vec::new();
    let Some(rubric) = rubric::load(&rubric_path, &ctx.limits, &mut diags) else {
        ctx.print_diagnostics(&diags);
        ctx.error("the bundled rubric could not be loaded");
        return Exit::Invalid;
    };
    if args.count == 0 {
        ctx.error("--count must be at least 1");
        return Exit::Invalid;
    }
    let dir = &args.output;
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) if !args.force => {
            ctx.error(format!(
                "{} is not empty; choose an empty folder or pass --force",
                dir.display()
            ));
            return Exit::Invalid;
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            ctx.error(format!("cannot read {}: {e}", dir.display()));
            return Exit::Invalid;
        }
    }
    match write_tree(&args, &rubric, &rubric_path) {
        Ok(folders) => {
            let _ = writeln!(
                ctx.err,
                "wrote {} profile{} in {folders} folder{} to {}",
                args.count,
                if args.count == 1 { "" } else { "s" },
                if folders == 1 { "" } else { "s" },
                dir.display()
            );
            Exit::Success
        }
        Err(e) => {
            ctx.error(e);
            Exit::Invalid
        }
    }
}

/// Writes the whole tree; returns the number of region folders.
fn write_tree(args: &Args, rubric: &Rubric, rubric_path: &Path) -> Result<usize, String> {
    let dir = &args.output;
    let io = |p: &Path, e: std::io::Error| format!("cannot write {}: {e}", p.display());
    let rubrics = dir.join("rubrics");
    std::fs::create_dir_all(&rubrics).map_err(|e| io(&rubrics, e))?;
    let name = rubric_path.file_name().unwrap_or_default();
    let copy = rubrics.join(name);
    std::fs::copy(rubric_path, &copy).map_err(|e| io(&copy, e))?;

    let folders = args.count.div_ceil(CODES);
    let bar = progress_bar(args.count as u64);
    for b in 0..folders {
        let (folder, region_id, region_name) = if folders == 1 {
            (
                dir.clone(),
                "synthetic".to_string(),
                format!("Synthetic region (seed {})", args.seed),
            )
        } else {
            (
                dir.join(format!("batch-{:04}", b + 1)),
                format!("synthetic-{:04}", b + 1),
                format!("Synthetic region, batch {} (seed {})", b + 1, args.seed),
            )
        };
        std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
        let members = (args.count - b * CODES).min(CODES);
        let mut region = format!(
            "# Synthetic region written by `frameaudit generate` for benchmarks; not real data.\n\
             format_version: 1\nregion:\n  id: {region_id}\n  name: {region_name}\n\
             rubric: {}\nmembers:\n",
            rubric.id
        );
        for i in 0..members {
            let index = (b * CODES + i) as u64;
            let code = code(i);
            let mut rng = seeded(args.seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
            let country = country_name(&mut rng);
            let _ = writeln!(region, "  - {{ code: {code}, name: {country} }}");
            let text = profile(&mut rng, &code, &country, rubric, args.seed);
            let path = folder.join(format!("{}.yaml", code.to_lowercase()));
            std::fs::write(&path, text).map_err(|e| io(&path, e))?;
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        }
        let path = folder.join("region.yaml");
        std::fs::write(&path, region).map_err(|e| io(&path, e))?;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(folders)
}

/// A progress bar on stderr, only on a terminal and never under CI.
fn progress_bar(len: u64) -> Option<indicatif::ProgressBar> {
    if len < 100 || !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} profiles") {
        bar.set_style(style);
    }
    Some(bar)
}

/// The `i`-th two-letter code: AA, AB, …, ZZ.
fn code(i: usize) -> String {
    let a = (b'A' + (i / 26) as u8) as char;
    let b = (b'A' + (i % 26) as u8) as char;
    format!("{a}{b}")
}

/// The generator: SplitMix64, stepped once past the seed.
type Rng = SplitMix64;

fn seeded(seed: u64) -> Rng {
    let mut r = Rng::new(seed);
    r.next_u64();
    r
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mar", "ven", "tis", "ra", "bel", "do", "shan", "ur", "mi", "tal", "ne", "sor",
    "ba", "qui", "len", "o", "zan", "pe", "ri", "vol", "ga", "hu",
];
const SUFFIXES: &[&str] = &["ia", "land", "a", "ea", "stan", "or", "ica", "uria"];

fn country_name(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.range(1, 2) {
        s.push_str(rng.pick(SYLLABLES));
    }
    s.push_str(rng.pick(SUFFIXES));
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// A source of the synthetic profile.
struct Src {
    id: String,
    kind: &'static str,
    year: u64,
}

const LAW_TITLES: &[&str] = &[
    "Anti-Trafficking in Persons Act",
    "Child Protection Act",
    "Criminal Procedure Code (amendment)",
    "Immigration Act (amendment)",
    "Witness Protection Act",
    "Legal Aid Act",
    "Social Welfare Act",
];
const POLICY_TITLES: &[&str] = &[
    "National Plan of Action against Trafficking in Persons",
    "Standard Operating Procedures for Victim Identification and Referral",
    "Guidelines on Shelter Management",
    "National Referral Mechanism Manual",
    "Ministerial Regulation on Repatriation and Reintegration",
];
const REPORT_TITLES: &[&str] = &[
    "Trafficking in Persons Report, country narrative",
    "Country report to the UN Committee on the Elimination of Discrimination against Women",
    "NGO shadow report on victim assistance",
    "Regional review of victim identification and treatment",
    "Ministry annual report on social welfare services",
];
const PUBLISHERS: &[&str] = &[
    "National Assembly",
    "Ministry of Social Welfare",
    "Ministry of Justice",
    "Inter-Agency Committee against Trafficking",
    "US Department of State (US-government assessment)",
    "a national NGO coalition",
    "ASEAN Commission on the Promotion and Protection of the Rights of Women and Children",
];
const AGENCIES: &[&str] = &[
    "the social welfare ministry",
    "the anti-trafficking police unit",
    "provincial welfare offices",
    "the immigration department",
    "NGO partners",
    "the national committee",
];
const GROUPS: &[&str] = &[
    "women and children",
    "nationals trafficked abroad",
    "victims who testify",
    "victims identified by the police",
    "children under eighteen",
];
const GAPS: &[&str] = &[
    "the implementing rules were not found",
    "the provision is discretionary rather than mandatory",
    "no budget line was identified",
    "foreign victims are not mentioned",
    "the responsible agency is not named",
];

/// The text of one profile.
fn profile(rng: &mut Rng, code: &str, country: &str, rubric: &Rubric, seed: u64) -> String {
    let as_of_year = rng.range(2019, 2025);
    let as_of = format!(
        "{as_of_year}-{:02}-{:02}",
        rng.range(1, 12),
        rng.range(1, 28)
    );
    let mut sources = Vec::new();
    let mut titles = Vec::new();
    for (kind, titles_of, n) in [
        ("law", LAW_TITLES, rng.range(3, 5)),
        ("policy", POLICY_TITLES, rng.range(2, 4)),
        ("report", REPORT_TITLES, rng.range(3, 6)),
        ("other", REPORT_TITLES, rng.range(0, 2)),
    ] {
        for i in 0..n {
            let year = rng.range(1995, as_of_year);
            let prefix = match kind {
                "law" => "act",
                "policy" => "plan",
                "report" => "rep",
                _ => "news",
            };
            sources.push(Src {
                id: format!("{prefix}{year}-{}", i + 1),
                kind,
                year,
            });
            let title = if kind == "other" {
                format!("News report on services for victims of trafficking in {country}")
            } else {
                format!("{} of {country} ({year})", rng.pick(titles_of))
            };
            titles.push(title);
        }
    }
    let mut cited = vec![false; sources.len()];
    let of_kind = |kind: &str| -> Vec<usize> {
        (0..sources.len())
            .filter(|&i| sources[i].kind == kind)
            .collect()
    };
    let laws = of_kind("law");
    let policies = of_kind("policy");
    let mut reports = of_kind("report");
    reports.extend(of_kind("other"));

    let mut out = String::with_capacity(40_000);
    let _ = write!(
        out,
        "# Synthetic profile written by `frameaudit generate --seed {seed}` for benchmarks.\n\
         # It describes no real country; every source, date and finding in it is invented.\n\
         format_version: 1\ncountry: {{ code: {code}, name: {country} }}\nrubric: {}\n\
         as_of: {as_of}\n",
        rubric.id
    );
    block(&mut out, "compiled_from", 0, &paragraph(rng, country, 3));
    block(&mut out, "summary", 0, &paragraph(rng, country, 5));
    out.push_str("sources:\n");
    for (s, title) in sources.iter().zip(&titles) {
        let _ = writeln!(
            out,
            "  - id: {}\n    title: {title}\n    kind: {}\n    year: {}\n    publisher: {}",
            s.id,
            s.kind,
            s.year,
            rng.pick(PUBLISHERS)
        );
        let note = format!(
            "Read in a secondary copy; {} of the provisions cited were checked against the text published in {}.",
            rng.pick(&["most", "some", "all", "few"]),
            s.year
        );
        block(&mut out, "note", 4, &note);
    }

    out.push_str("assessments:\n");
    for c in &rubric.criteria {
        let topic = lower_first(&c.title);
        let _ = writeln!(out, "  {}:", c.id);
        for &level in &c.levels {
            let pool = match level {
                Level::Law => &laws,
                Level::Policy => &policies,
                Level::Practice => &reports,
            };
            let status = rng.pick(&["full", "partial", "partial", "none", "unknown", "unknown"]);
            let _ = writeln!(out, "    {}:\n      status: {status}", level.as_str());
            if status != "unknown" {
                let mut ev = Vec::new();
                for _ in 0..rng.range(1, 3) {
                    let i = pool[(rng.next_u64() % pool.len() as u64) as usize];
                    cited[i] = true;
                    let e = if level == Level::Law {
                        format!("{} s.{}", sources[i].id, rng.range(2, 60))
                    } else {
                        sources[i].id.clone()
                    };
                    if !ev.contains(&e) {
                        ev.push(e);
                    }
                }
                let _ = writeln!(out, "      evidence: [{}]", quoted_list(&ev));
            }
            block(&mut out, "note", 6, &cell_note(rng, level, status, &topic));
        }
    }

    // Findings; the last challenge also cites any source not cited yet.
    let criteria: Vec<&str> = rubric.criteria.iter().map(|c| c.id.as_str()).collect();
    let all: Vec<usize> = (0..sources.len()).collect();
    for (key, n) in [
        ("good_practices", rng.range(2, 5)),
        ("challenges", rng.range(3, 6)),
    ] {
        let _ = writeln!(out, "{key}:");
        for j in 0..n {
            let text = finding(rng, key == "good_practices", country);
            out.push_str("  - ");
            block(&mut out, "text", 4, &text);
            let mut cs: Vec<&str> = Vec::new();
            for _ in 0..rng.range(1, 4) {
                let c = rng.pick(&criteria);
                if !cs.contains(&c) {
                    cs.push(c);
                }
            }
            let _ = writeln!(out, "    criteria: [{}]", cs.join(", "));
            let mut ev: Vec<String> = Vec::new();
            for _ in 0..rng.range(1, 3) {
                let i = all[(rng.next_u64() % all.len() as u64) as usize];
                cited[i] = true;
                if !ev.contains(&sources[i].id) {
                    ev.push(sources[i].id.clone());
                }
            }
            if key == "challenges" && j + 1 == n {
                for (i, s) in sources.iter().enumerate() {
                    if !cited[i] {
                        ev.push(s.id.clone());
                    }
                }
            }
            let _ = writeln!(out, "    evidence: [{}]", quoted_list(&ev));
        }
    }
    out
}

/// Writes `key: >-` and `text` folded at ~96 columns, indented for the key's depth.
fn block(out: &mut String, key: &str, indent: usize, text: &str) {
    // A list item writes "  - " itself, so the key follows the dash without indentation.
    if !out.ends_with("- ") {
        out.push_str(&" ".repeat(indent));
    }
    let _ = writeln!(out, "{key}: >-");
    let pad = " ".repeat(indent + 2);
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && pad.len() + line.len() + word.len() + 1 > 96 {
            let _ = writeln!(out, "{pad}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let _ = writeln!(out, "{pad}{line}");
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn paragraph(rng: &mut Rng, country: &str, sentences: u64) -> String {
    let mut out = Vec::new();
    for _ in 0..sentences {
        let s = match rng.range(0, 3) {
            0 => format!(
                "{country} adopted its trafficking law in {} and amended it in {}, adding provisions on the assistance owed to identified victims.",
                rng.range(1998, 2008),
                rng.range(2009, 2018)
            ),
            1 => format!(
                "Services are delivered mainly by {} with support from {}, and coverage outside the capital is uneven.",
                rng.pick(AGENCIES),
                rng.pick(AGENCIES)
            ),
            2 => format!(
                "Reports from {} describe {} victims identified in {}, most of them {}.",
                rng.pick(PUBLISHERS),
                rng.range(20, 3000),
                rng.range(2015, 2024),
                rng.pick(GROUPS)
            ),
            _ => format!(
                "Little public information was found on {}, and the cells concerned are marked unknown rather than none.",
                rng.pick(&[
                    "consent to care",
                    "freedom of movement in shelters",
                    "interpretation",
                    "compensation paid",
                ])
            ),
        };
        out.push(s);
    }
    out.join(" ")
}

fn cell_note(rng: &mut Rng, level: Level, status: &str, topic: &str) -> String {
    let first = match (level, status) {
        (_, "unknown") => format!(
            "No source read in this compilation covers {topic} at the {} level.",
            level.as_str()
        ),
        (Level::Law, "full") => format!(
            "The Act provides for {topic} for every identified victim, without conditions, and names {} as responsible.",
            rng.pick(AGENCIES)
        ),
        (Level::Law, "partial") => format!(
            "The Act provides for {topic} but only for {}; {}.",
            rng.pick(GROUPS),
            rng.pick(GAPS)
        ),
        (Level::Law, _) => {
            format!(
                "No provision on {topic} was found in the trafficking law or the other statutes read."
            )
        }
        (Level::Policy, "full") => format!(
            "A national guideline sets out {topic}, with steps, time limits and the role of {}.",
            rng.pick(AGENCIES)
        ),
        (Level::Policy, "partial") => format!(
            "Operating procedures mention {topic} in general terms; {}.",
            rng.pick(GAPS)
        ),
        (Level::Policy, _) => format!("No policy on {topic} was found."),
        (Level::Practice, "full") => format!(
            "{} victims received support on {topic} in {} according to {}.",
            rng.range(50, 3000),
            rng.range(2015, 2024),
            rng.pick(PUBLISHERS)
        ),
        (Level::Practice, "partial") => format!(
            "Reports describe {topic} for {}, with gaps in provincial areas.",
            rng.pick(GROUPS)
        ),
        (Level::Practice, _) => {
            format!("Reports state that {topic} was not provided to the victims identified.")
        }
    };
    if rng.chance(70) {
        format!(
            "{first} {}",
            rng.pick(&[
                "Data on the number of victims served were not published.",
                "The position of foreign victims was not described.",
                "Section numbers should be checked against the consolidated text.",
                "Figures cover the latest reporting year only.",
            ])
        )
    } else {
        first
    }
}

fn finding(rng: &mut Rng, good: bool, country: &str) -> String {
    if good {
        format!(
            "{country} runs a funded programme through {} that combines shelter, counselling, legal help and livelihood support, with case management from identification to reintegration.",
            rng.pick(AGENCIES)
        )
    } else {
        format!(
            "Services depend on {} and are concentrated in the capital; {} and follow-up after return is rarely recorded.",
            rng.pick(AGENCIES),
            rng.pick(GAPS)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_cover_aa_to_zz() {
        assert_eq!(code(0), "AA");
        assert_eq!(code(27), "BB");
        assert_eq!(code(CODES - 1), "ZZ");
    }
}
