//! The human outputs of `rubric show` (table, Markdown) and `rubric explain` (one criterion, or
//! the scoring method with a worked example on a profile scored by the caller).

use std::fmt::Write as _;

use super::escape;
use super::table::{new_table, pct};
use crate::model::{Level, Rubric, Status};
use crate::score::{Pct, Scorecard};

fn levels_short(levels: &[Level]) -> String {
    levels
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn header(r: &Rubric) -> String {
    let mut out = format!("{} — {} {}\n", r.id, r.title, r.version);
    if !r.extends.is_empty() {
        let _ = writeln!(out, "Extends: {}", r.extends.join(" → "));
    }
    let _ = writeln!(
        out,
        "sha256 {} · {} criteria · level weights {}",
        r.sha256,
        r.criteria.len(),
        level_weights(r, " / ", |w| w.to_string())
    );
    out
}

/// `rubric show` for a terminal.
pub(crate) fn show_table(r: &Rubric) -> String {
    let mut out = header(r);
    out.push('\n');
    let mut t = new_table(&["Principle", "Title", "Criteria"]);
    for p in &r.principles {
        let n = r
            .criteria
            .iter()
            .filter(|c| c.principles.contains(&p.id))
            .count();
        t.add_row(vec![p.id.clone(), p.title.clone(), n.to_string()]);
    }
    let _ = writeln!(out, "{t}\n");
    let mut t = new_table(&["Type of assistance", "Title", "Criteria"]);
    for p in &r.assistance_types {
        let n = r
            .criteria
            .iter()
            .filter(|c| c.assistance_type == p.id)
            .count();
        t.add_row(vec![p.id.clone(), p.title.clone(), n.to_string()]);
    }
    let _ = writeln!(out, "{t}\n");
    let mut t = new_table(&[
        "Criterion",
        "Question",
        "Principles",
        "Weight",
        "Levels",
        "References",
    ]);
    for c in &r.criteria {
        t.add_row(vec![
            c.id.clone(),
            c.question.clone(),
            c.principles.join(", "),
            c.weight.to_string(),
            levels_short(&c.levels),
            c.references.join("; "),
        ]);
    }
    let _ = writeln!(out, "{t}");
    out
}

/// `rubric show --format markdown`, rubric text escaped.
pub(crate) fn show_markdown(r: &Rubric) -> String {
    let e = escape::markdown;
    let mut out = format!("# {} ({} {})\n\n", e(&r.title), e(&r.id), e(&r.version));
    if !r.description.is_empty() {
        let _ = writeln!(out, "{}\n", e(&r.description));
    }
    let _ = writeln!(out, "Rubric sha256: `{}`\n", r.sha256);
    if !r.extends.is_empty() {
        let _ = writeln!(out, "Extends: {}\n", e(&r.extends.join(" → ")));
    }
    let _ = writeln!(
        out,
        "Level weights: {}. Points: full {}, partial {}, none {}, unknown {}.\n",
        level_weights(r, ", ", |w| w.to_string()),
        r.points.full,
        r.points.partial,
        r.points.none,
        r.points.unknown
    );
    out.push_str("Rating bands: ");
    let bands: Vec<String> = r
        .bands
        .iter()
        .map(|b| format!("{} from {}", e(&b.label), b.min))
        .collect();
    let _ = writeln!(out, "{}.\n", bands.join(", "));
    let _ = writeln!(
        out,
        "Least coverage to be rated (`min_coverage`): {}%; under it the rating is `insufficient_evidence`.\n",
        r.min_coverage
    );
    out.push_str("## Fundamental principles\n\n| id | principle |\n|---|---|\n");
    for p in &r.principles {
        let _ = writeln!(out, "| {} | {} |", e(&p.id), e(&p.title));
    }
    out.push_str("\n## Types of assistance\n\n| id | type |\n|---|---|\n");
    for p in &r.assistance_types {
        let _ = writeln!(out, "| {} | {} |", e(&p.id), e(&p.title));
    }
    out.push_str("\n## Criteria\n\n| id | question | principles | type | weight | levels | references |\n|---|---|---|---|---|---|---|\n");
    for c in &r.criteria {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            e(&c.id),
            e(&c.question),
            e(&c.principles.join(", ")),
            e(&c.assistance_type),
            c.weight,
            levels_short(&c.levels),
            e(&c.references.join("; "))
        );
    }
    out
}

/// `rubric explain CRITERION`: what the criterion asks and how each status is read.
pub(crate) fn explain_criterion(r: &Rubric, id: &str) -> String {
    let Some(c) = r.criterion(id) else {
        return String::new();
    };
    let mut out = format!("{} — {}\n\n{}\n\n", c.id, c.title, c.question);
    let _ = writeln!(
        out,
        "Principles: {}",
        c.principles
            .iter()
            .map(|p| format!("{} ({})", r.principle_title(p), p))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let _ = writeln!(
        out,
        "Type of assistance: {} ({})",
        r.assistance_type_title(&c.assistance_type),
        c.assistance_type
    );
    let _ = writeln!(out, "Weight: {}", c.weight);
    let _ = writeln!(out, "Levels: {}", levels_short(&c.levels));
    let _ = writeln!(
        out,
        "References: {}",
        if c.references.is_empty() {
            "none".to_string()
        } else {
            c.references.join("; ")
        }
    );
    for l in &c.levels {
        if let Some(g) = r.guidance_for(c, *l) {
            let own = if c.guidance.contains_key(l) {
                ""
            } else {
                " (rubric default)"
            };
            let _ = writeln!(out, "\n{}{own}:", l.heading());
            let _ = writeln!(out, "  full     {}", g.full);
            let _ = writeln!(out, "  partial  {}", g.partial);
            let _ = writeln!(out, "  none     {}", g.none);
        }
    }
    out.push_str("\n  unknown  no public evidence either way (scores 0 and lowers coverage; the note says what is missing)\n");
    out.push_str("  not_applicable  the criterion does not apply to this state (left out of the score; needs a note)\n");
    out
}

fn fmt_num(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The scoring method, with every step computed by the tool on a real profile.
pub(crate) fn explain_method(r: &Rubric, p: &crate::model::Profile, card: &Scorecard) -> String {
    let pts = r.points;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "How frameaudit scores a profile (rubric {} {})\n",
        r.id, r.version
    );
    let _ = writeln!(
        out,
        "1. Status points p: full {}, partial {}, none {}, unknown {} (absence of evidence earns\n   nothing and lowers coverage); not_applicable is left out of numerator and denominator.",
        fmt_num(pts.full),
        fmt_num(pts.partial),
        fmt_num(pts.none),
        fmt_num(pts.unknown)
    );
    out.push_str(
        "2. A cell is a criterion c at a level L. Level score S_L = Σ w_c·p(c,L) / Σ w_c.\n",
    );
    let _ = writeln!(
        out,
        "3. Overall S = Σ W_L·S_L / Σ W_L with level weights W: {}.",
        level_weights(r, ", ", fmt_num)
    );
    out.push_str("4. Principle and type scores: the weighted mean of p over their cells, each cell weighted w_c·W_L.\n");
    out.push_str("5. Coverage: the share of cell weight w_c·W_L whose status is not unknown.\n");
    let _ = writeln!(
        out,
        "6. Rating: the band of S, when coverage is at least {}% (min_coverage); under it,\n   insufficient_evidence (not rated).",
        fmt_num(r.min_coverage)
    );
    out.push_str("7. Bounds of every score: lower with every unknown cell at none, upper with every unknown\n   cell at full. Each cell's contribution to S: 100·w_c·p / Σ w_c × W_L / Σ W_L\n   (`score --explain`).\n");
    let _ = writeln!(
        out,
        "8. Gap severity: w_c·W_L·(1−p) / Σ w_c·W_L over scored cells; implementation gap: law\n   and practice (or policy) differ by at least {} points.\n",
        fmt_num(crate::score::IMPLEMENTATION_GAP)
    );

    let _ = writeln!(
        out,
        "Worked example: {} ({}), as of {}\n",
        p.country.name, p.country.code, p.as_of
    );
    worked_type(&mut out, r, card);
    // Step B: level scores and the overall.
    out.push_str("B. Level scores and the overall:\n");
    let mut parts = Vec::new();
    let mut wsum = 0.0;
    for l in Level::ALL {
        let cells: Vec<_> = card.cells.iter().filter(|x| x.level == l).collect();
        let (mut num, mut den) = (0.0, 0.0);
        for x in &cells {
            if let (Some(pv), Some(c)) = (x.points, r.criterion(&x.criterion)) {
                num += c.weight * pv;
                den += c.weight;
            }
        }
        let counts = Status::ALL
            .iter()
            .map(|s| (s, cells.iter().filter(|x| x.status == *s).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {s}"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "   S_{} = {} / {} = {}%   ({counts})",
            l,
            fmt_num(num),
            fmt_num(den),
            pct(card.score.levels.get(l))
        );
        if let Some(s) = card.score.levels.get(l) {
            let w = r.levels.get(l);
            parts.push(format!("{}·{}", fmt_num(w), s));
            wsum += w;
        }
    }
    let _ = writeln!(
        out,
        "   S = ({}) / {} = {}%  → rating {}",
        parts.join(" + "),
        fmt_num(wsum),
        pct(card.score.overall),
        card.score.rating_words()
    );
    if let Some(b) = card.score.bounds.overall {
        let _ = writeln!(
            out,
            "   bounds of S: {} (every unknown cell at none … at full)",
            b.label()
        );
    }
    let _ = writeln!(
        out,
        "   coverage = {}% ({} of {} scored cells unknown)",
        card.score.coverage,
        card.counts.unknown,
        card.counts.scored()
    );
    if let Some(g) = card.gaps.first() {
        let c = r.criterion(&g.criterion);
        let _ = writeln!(
            out,
            "\nC. Largest gap: {} at the {} level is {} — severity {}% of the total cell weight{}.",
            g.criterion,
            g.level,
            g.status,
            g.severity,
            c.map_or(String::new(), |c| format!(
                " (weight {} × level weight {})",
                fmt_num(c.weight),
                fmt_num(r.levels.get(g.level))
            ))
        );
    }
    out.push_str("\nSee docs/methodology.md for the method in full and how it compares with other indices.\n");
    out
}

/// Step A of the worked example: the first type of assistance, cell by cell.
fn worked_type(out: &mut String, r: &Rubric, card: &Scorecard) {
    // Step A: the first type of assistance, cell by cell.
    if let Some(t) = r.assistance_types.first() {
        let _ = writeln!(out, "A. Type of assistance `{}` ({}):", t.id, t.title);
        let mut tab = new_table(&["Criterion", "Level", "Status", "w_c·W_L", "p", "w·W·p"]);
        let (mut num, mut den) = (0.0, 0.0);
        for cell in card.cells.iter().filter(|x| {
            r.criterion(&x.criterion)
                .is_some_and(|c| c.assistance_type == t.id)
        }) {
            let (pp, prod) = match cell.points {
                Some(pv) => {
                    num += cell.weight * pv;
                    den += cell.weight;
                    (fmt_num(pv), fmt_num(cell.weight * pv))
                }
                None => ("—".into(), "left out".into()),
            };
            tab.add_row(vec![
                cell.criterion.clone(),
                cell.level.to_string(),
                cell.status.to_string(),
                fmt_num(cell.weight),
                pp,
                prod,
            ]);
        }
        let _ = writeln!(out, "{tab}");
        let _ = writeln!(
            out,
            "   score = {} / {} = {}%  (tool: {}%)\n",
            fmt_num(num),
            fmt_num(den),
            Pct::from_fraction(if den > 0.0 { num / den } else { 0.0 }),
            pct(card.score.assistance_types.get(&t.id))
        );
    }
}

/// "law 1, policy 1, practice 1": each level's weight, in level order.
fn level_weights(r: &Rubric, sep: &str, num: fn(f64) -> String) -> String {
    r.levels
        .iter()
        .map(|(l, w)| format!("{l} {}", num(*w)))
        .collect::<Vec<_>>()
        .join(sep)
}
