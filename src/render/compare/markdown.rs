//! The comparison as Markdown (GitHub-flavoured tables): header with region, rubric and
//! status lines, executive summary, ranking (rank ranges, every score with its bounds in
//! brackets), principle and assistance-type matrices, good common practices and challenges
//! by theme, rank sensitivity, annex and references. Every piece of user or rubric text goes through
//! [`escape::markdown`](crate::render::escape::markdown).

use std::fmt::Write as _;

use super::{
    PAIR_HEADER, SOURCE_HEADER, as_of_text, caveat_lines, coverage_text, level_bounds, level_score,
    pair_cells, rank_label, ranking_note, rating_short, source_cells,
};
use crate::model::Level;
use crate::render::escape::markdown as md;
use crate::render::table::pct_range;
use crate::score::region::Comparison;
use crate::score::summary::{Citation, LevelSentences, Theme};

fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// The alignment row: one `l` (left) or `r` (right) per column.
fn rule(aligns: &str) -> String {
    let v: Vec<String> = aligns
        .chars()
        .map(|a| if a == 'l' { ":---" } else { "---:" }.to_string())
        .collect();
    row(&v)
}

fn themes(out: &mut String, items: &[Theme]) {
    for t in items {
        let _ = writeln!(out, "#### {}\n", md(&t.title));
        for i in &t.items {
            let cites: Vec<String> = i.citations.iter().map(Citation::label).collect();
            let _ = writeln!(
                out,
                "- **{}**: {}{}",
                md(&i.code),
                md(&i.text),
                if cites.is_empty() {
                    String::new()
                } else {
                    format!(" {}", md(&cites.join(" ")))
                }
            );
        }
        out.push('\n');
    }
}

fn sentences(out: &mut String, levels: &[LevelSentences]) {
    for lf in levels {
        let _ = writeln!(out, "### {}\n", lf.heading);
        for st in &lf.sentences {
            let _ = writeln!(out, "- {}", md(&st.text));
        }
        out.push('\n');
    }
}

/// Renders the comparison as Markdown.
pub(crate) fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Regional comparison: {}\n", md(&c.region.name));
    let _ = writeln!(out, "- Region: `{}`", c.region.id);
    let _ = writeln!(
        out,
        "- Rubric: `{}` version {}, sha256 `{}`",
        c.rubric.id,
        md(&c.rubric.version),
        c.rubric.sha256
    );
    let _ = writeln!(out, "- Compared as of: {}", c.as_of);
    let _ = writeln!(out, "- Member states: {}\n", md(&c.members.summary));
    for k in caveat_lines(c) {
        let _ = writeln!(out, "> **Status:** {}\n", md(&k));
    }

    summary_section(&mut out, c);

    ranking_section(&mut out, c);

    category_sections(&mut out, c);

    findings_section(&mut out, c);
    sensitivity_section(&mut out, c);

    annex_sections(&mut out, c);
    out
}

/// The executive summary: the level sentences, good practices and challenges.
fn summary_section(out: &mut String, c: &Comparison) {
    out.push_str("## Executive summary\n\n");
    let _ = writeln!(out, "{}\n", md(&c.summary.note));
    sentences(out, &c.summary.levels);
    for (heading, items) in [
        ("Good common practices", &c.good_practices.themes),
        ("Challenges", &c.challenges.themes),
    ] {
        let _ = writeln!(out, "### {heading}\n");
        if items.is_empty() {
            out.push_str("None recorded in the profiles.\n");
        }
        for t in items {
            let _ = writeln!(out, "- {}", md(&t.text));
        }
        out.push('\n');
    }
}

/// The ranking with each state's overall and level scores.
fn ranking_section(out: &mut String, c: &Comparison) {
    out.push_str("## Ranking\n\n");
    out.push_str(
        "Ranked by overall score; tied states share a rank (=) and are listed by code.\n\n",
    );
    let header: Vec<String> = [
        "Rank",
        "Member state",
        "As of",
        "Overall",
        "Rating",
        "Coverage",
    ]
    .into_iter()
    .chain(Level::ALL.map(Level::heading))
    .map(String::from)
    .collect();
    out.push_str(&row(&header));
    out.push_str(&rule("rllrlrrrr"));
    for e in &c.ranking {
        let Some(s) = c.states.iter().find(|s| s.country.code == e.code) else {
            continue;
        };
        let mut cells = vec![
            rank_label(c, e),
            format!("{} {}", md(&e.code), md(&e.name)),
            as_of_text(s),
        ];
        match &s.score {
            Some(score) => {
                cells.push(pct_range(score.overall, score.bounds.overall));
                cells.push(md(&rating_short(score)));
                cells.push(coverage_text(s));
                for l in Level::ALL {
                    cells.push(pct_range(level_score(s, Some(l)), level_bounds(s, Some(l))));
                }
            }
            None => {
                cells.push("—".into());
                cells.push("*no profile*".into());
                cells.extend(std::iter::repeat_n("—".to_string(), 4));
            }
        }
        out.push_str(&row(&cells));
    }
    let _ = writeln!(out, "\n{}\n", md(&ranking_note(c, true)));
}

/// The scores by fundamental principle and by type of assistance.
fn category_sections(out: &mut String, c: &Comparison) {
    for (heading, first, cats, principles) in [
        (
            "Scores by fundamental principle",
            "Principle",
            &c.principles,
            true,
        ),
        (
            "Scores by type of assistance",
            "Type of assistance",
            &c.assistance_types,
            false,
        ),
    ] {
        let _ = writeln!(out, "## {heading}\n");
        let mut header = vec![first.to_string()];
        header.extend(c.states.iter().map(|s| md(&s.country.code)));
        out.push_str(&row(&header));
        out.push_str(&rule(&format!("l{}", "r".repeat(c.states.len()))));
        for cat in cats {
            let mut cells = vec![md(&cat.title)];
            for s in &c.states {
                cells.push(match &s.score {
                    Some(score) => {
                        if principles {
                            pct_range(
                                score.principles.get(&cat.id),
                                score.bounds.principles.get(&cat.id),
                            )
                        } else {
                            pct_range(
                                score.assistance_types.get(&cat.id),
                                score.bounds.assistance_types.get(&cat.id),
                            )
                        }
                    }
                    None => "—".into(),
                });
            }
            out.push_str(&row(&cells));
        }
        out.push('\n');
    }
    if !c.members.missing.is_empty() {
        out.push_str("— : no profile.\n\n");
    }
}

/// Good common practices and challenges by theme.
fn findings_section(out: &mut String, c: &Comparison) {
    out.push_str("## Good common practices and challenges\n\n");
    out.push_str("Each good practice and challenge of the profiles once, under the type of assistance of the first criterion it names; numbers in brackets are the references below.\n\n");
    out.push_str("### Good common practices\n\n");
    themes(out, &c.good_practices.themes);
    let gp = &c.good_practices;
    out.push_str("#### Provided in full in practice by most member states\n\n");
    if gp.met_in_practice.is_empty() {
        out.push_str("No criterion is provided in full in practice by more than half of the member states.\n");
    }
    for m in &gp.met_in_practice {
        let _ = writeln!(out, "- {}", md(&m.text));
    }
    out.push('\n');

    out.push_str("### Challenges\n\n");
    themes(out, &c.challenges.themes);
    out.push_str("#### Largest regional gaps\n\n");
    for g in &c.challenges.largest_gaps {
        let _ = writeln!(out, "- {}", md(&g.text));
    }
    out.push_str("\n#### Implementation gaps shared by two or more member states\n\n");
    if c.challenges.implementation_gaps.is_empty() {
        out.push_str("None.\n");
    }
    for g in &c.challenges.implementation_gaps {
        let _ = writeln!(out, "- {} (`{}`)", md(&g.text), g.code);
    }
}

/// The rank sensitivity, when it was asked for.
fn sensitivity_section(out: &mut String, c: &Comparison) {
    if let Some(sens) = &c.sensitivity {
        out.push_str("\n## Rank sensitivity\n\n");
        let _ = writeln!(out, "{}\n", md(&sens.summary));
        out.push_str(&row(&[
            "Member state",
            "Base rank",
            "Rank range",
            "Runs at base rank",
        ]
        .map(String::from)));
        out.push_str(&rule("lrrr"));
        for s in &sens.states {
            out.push_str(&row(&[
                md(&s.code),
                s.base_rank.to_string(),
                s.label(),
                format!("{}%", s.at_base_rank),
            ]));
        }
        out.push('\n');
        out.push_str(&row(&SOURCE_HEADER.map(String::from)));
        out.push_str(&rule("lrrr"));
        for x in &sens.sources {
            out.push_str(&row(&source_cells(x).map(|x| md(&x))));
        }
        if !sens.pairs.is_empty() {
            out.push('\n');
            out.push_str(&row(&PAIR_HEADER.map(String::from)));
            out.push_str(&rule("lrrl"));
            for p in &sens.pairs {
                out.push_str(&row(&pair_cells(p).map(|x| md(&x))));
            }
        }
    }
}

/// The annex, criterion by criterion, and the references.
fn annex_sections(out: &mut String, c: &Comparison) {
    out.push_str("\n## Annex: criterion by criterion\n\n");
    let _ = writeln!(out, "{}\n", md(&c.summary.note));
    sentences(out, &c.annex);

    out.push_str("## References\n\n");
    if c.references.is_empty() {
        out.push_str("None cited.\n");
    }
    for r in &c.references {
        let _ = writeln!(out, "{}. {}", r.number, md(&reference_text(r)));
    }
}

/// "PH: Anti-Trafficking in Persons Act … (2003). Publisher. URL".
pub(super) fn reference_text(r: &crate::score::summary::Reference) -> String {
    let mut s = format!("{}: {}", r.code, r.title);
    if let Some(p) = &r.publisher {
        s.push_str(&format!(". {p}"));
    }
    if let Some(y) = r.year {
        s.push_str(&format!(", {y}"));
    }
    if let Some(u) = &r.url {
        s.push_str(&format!(". {u}"));
    }
    s
}
