//! The comparison as one self-contained HTML page: inline CSS, no script, no network
//! resource, printable on A4. Accessible: one `h1`, sections with `h2`/`h3`, tables with
//! captions and `<th scope>`. The matrices are heat maps in which every cell prints its
//! number (or "no profile"), so colour is never the only signal. All user and rubric text
//! goes through [`escape::html`](crate::render::escape::html).

use std::fmt::Write as _;

use super::{
    PAIR_HEADER, SOURCE_HEADER, level_bounds, level_score, pair_cells, pct, rank_label,
    ranking_note, rating_short, source_cells,
};
use crate::model::Level;
use crate::render::escape::html as h;
use crate::score::region::{Comparison, SharedFinding};
use crate::score::{Pct, Range};

const CSS: &str = r#"
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.2rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-size: .85rem; color: #444; padding-bottom: .3rem; caption-side: top; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; vertical-align: top; }
thead th { background: #eee; }
th[scope=row] { text-align: left; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.h0 { background: #f3f6fa; }
.h1 { background: #c6dbef; }
.h2 { background: #6baed6; }
.h3 { background: #1f5f9e; color: #fff; }
.na { background: repeating-linear-gradient(135deg, #fff, #fff 4px, #e4e4e4 4px, #e4e4e4 8px); color: #333; font-style: italic; }
.range { display: block; font-size: .75rem; white-space: nowrap; }
.legend span { display: inline-block; padding: 0 .5rem; margin-right: .3rem; border: 1px solid #bbb; }
ul.findings li { margin-bottom: .35rem; }
ul.texts { font-size: .9rem; color: #333; }
.note { color: #444; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  table, li { break-inside: avoid; }
}
"#;

/// The heat-map class of a score: quarters of 0–100, "na" when undefined.
fn heat(p: Option<Pct>) -> &'static str {
    match p.map(|p| p.rounded()) {
        None => "na",
        Some(v) if v < 25.0 => "h0",
        Some(v) if v < 50.0 => "h1",
        Some(v) if v < 75.0 => "h2",
        Some(_) => "h3",
    }
}

/// A heat-map cell: the score, and below it its bounds when unknown cells move it.
fn heat_cell(p: Option<Pct>, b: Option<Range>) -> String {
    let range = match b {
        Some(b) if p.is_some() && !b.is_point() => {
            format!("<span class=\"range\">{}</span>", b.label())
        }
        _ => String::new(),
    };
    format!("<td class=\"num {}\">{}{range}</td>", heat(p), pct(p))
}

const LEGEND: &str = "<p class=\"legend\">Shading: <span class=\"h0\">0–24.9</span><span class=\"h1\">25–49.9</span><span class=\"h2\">50–74.9</span><span class=\"h3\">75–100</span><span class=\"na\">no profile / n/a</span> Every cell also prints its score in percent.</p>\n";

fn shared(out: &mut String, items: &[SharedFinding]) {
    if items.is_empty() {
        out.push_str("<p>None.</p>\n");
        return;
    }
    out.push_str("<ul class=\"findings\">\n");
    for s in items {
        let _ = write!(out, "<li>{}<ul class=\"texts\">", h(&s.text));
        for t in &s.texts {
            let _ = write!(
                out,
                "<li><strong>{}</strong>: {}</li>",
                h(&t.code),
                h(&t.text)
            );
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul>\n");
}

fn list(out: &mut String, items: impl IntoIterator<Item = String>, empty: &str) {
    let items: Vec<String> = items.into_iter().collect();
    if items.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", h(empty));
        return;
    }
    out.push_str("<ul class=\"findings\">\n");
    for i in items {
        let _ = writeln!(out, "<li>{i}</li>");
    }
    out.push_str("</ul>\n");
}

/// Renders the comparison as a self-contained HTML page.
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let title = format!("Regional comparison: {}", c.region.name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"frameaudit\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        h(&title)
    );
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", h(&title));
    let _ = writeln!(
        out,
        "<dl class=\"meta\">\n<dt>Region</dt><dd><code>{}</code></dd>\n\
         <dt>Rubric</dt><dd><code>{}</code> version {}</dd>\n\
         <dt>Rubric SHA-256</dt><dd><code>{}</code></dd>\n\
         <dt>Member states</dt><dd>{}</dd>\n</dl>\n</header>\n<main>",
        h(&c.region.id),
        h(&c.rubric.id),
        h(&c.rubric.version),
        h(&c.rubric.sha256),
        h(&c.members.summary)
    );

    // Ranking and level scores.
    out.push_str(
        "<section aria-labelledby=\"ranking\">\n<h2 id=\"ranking\">Ranking and scores</h2>\n",
    );
    out.push_str(LEGEND);
    out.push_str("<table>\n<caption>Member states by overall score (percent); tied states share a rank (=) and are listed by code.</caption>\n<thead><tr>");
    for col in [
        "Rank",
        "Member state",
        "Overall",
        "Rating",
        "Coverage",
        "In law",
        "In policies",
        "In practice",
    ] {
        let _ = write!(out, "<th scope=\"col\">{col}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for e in &c.ranking {
        let Some(s) = c.states.iter().find(|s| s.country.code == e.code) else {
            continue;
        };
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><th scope=\"row\">{} {}</th>",
            rank_label(c, e),
            h(&e.code),
            h(&e.name)
        );
        match &s.score {
            Some(score) => {
                out.push_str(&heat_cell(score.overall, score.bounds.overall));
                let _ = write!(
                    out,
                    "<td>{}</td><td class=\"num\">{}%</td>",
                    h(&rating_short(score)),
                    score.coverage
                );
                for l in Level::ALL {
                    out.push_str(&heat_cell(
                        level_score(s, Some(l)),
                        level_bounds(s, Some(l)),
                    ));
                }
            }
            None => out.push_str("<td class=\"na\" colspan=\"7\">no profile</td>"),
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>\n</section>",
        h(&ranking_note(c, false))
    );

    for (id, heading, first, cats, principles) in [
        (
            "principles",
            "Scores by fundamental principle",
            "Principle",
            &c.principles,
            true,
        ),
        (
            "types",
            "Scores by type of assistance",
            "Type of assistance",
            &c.assistance_types,
            false,
        ),
    ] {
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>"
        );
        let _ = write!(
            out,
            "<table>\n<caption>{heading}, percent, one column per member state.</caption>\n<thead><tr><th scope=\"col\">{first}</th>"
        );
        for s in &c.states {
            let _ = write!(
                out,
                "<th scope=\"col\"><abbr title=\"{}\">{}</abbr></th>",
                h(&s.country.name),
                h(&s.country.code)
            );
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for cat in cats {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", h(&cat.title));
            for s in &c.states {
                match &s.score {
                    Some(score) => out.push_str(&if principles {
                        heat_cell(
                            score.principles.get(&cat.id),
                            score.bounds.principles.get(&cat.id),
                        )
                    } else {
                        heat_cell(
                            score.assistance_types.get(&cat.id),
                            score.bounds.assistance_types.get(&cat.id),
                        )
                    }),
                    None => out.push_str("<td class=\"na\">no profile</td>"),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    out.push_str(
        "<section aria-labelledby=\"key-findings\">\n<h2 id=\"key-findings\">Key findings</h2>\n",
    );
    let _ = writeln!(out, "<p class=\"note\">{}</p>", h(&c.key_findings.note));
    for lf in &c.key_findings.levels {
        let _ = writeln!(out, "<h3>{}</h3>", lf.heading);
        list(
            &mut out,
            lf.statements.iter().map(|s| h(&s.text)),
            "No criterion applies at this level.",
        );
    }
    out.push_str("</section>\n");

    out.push_str("<section aria-labelledby=\"good-practices\">\n<h2 id=\"good-practices\">Good common practices</h2>\n<h3>Shared by two or more member states</h3>\n");
    shared(&mut out, &c.good_practices.shared);
    out.push_str("<h3>Provided in practice by most member states</h3>\n");
    list(
        &mut out,
        c.good_practices.met_in_practice.iter().map(|m| h(&m.text)),
        "No criterion is provided in full in practice by more than half of the member states.",
    );
    out.push_str("</section>\n");

    out.push_str("<section aria-labelledby=\"challenges\">\n<h2 id=\"challenges\">Challenges</h2>\n<h3>Largest regional gaps</h3>\n");
    list(
        &mut out,
        c.challenges.largest_gaps.iter().map(|g| h(&g.text)),
        "None.",
    );
    out.push_str("<h3>Implementation gaps shared by two or more member states</h3>\n");
    list(
        &mut out,
        c.challenges
            .implementation_gaps
            .iter()
            .map(|g| format!("{} (<code>{}</code>)", h(&g.text), g.code)),
        "None.",
    );
    out.push_str("<h3>Challenges two or more member states report</h3>\n");
    shared(&mut out, &c.challenges.shared);
    out.push_str("</section>\n");

    if let Some(sens) = &c.sensitivity {
        out.push_str("<section aria-labelledby=\"sensitivity\">\n<h2 id=\"sensitivity\">Rank sensitivity</h2>\n");
        let _ = writeln!(out, "<p>{}</p>", h(&sens.summary));
        out.push_str("<table>\n<caption>Rank of each member state across the runs.</caption>\n<thead><tr><th scope=\"col\">Member state</th><th scope=\"col\">Base rank</th><th scope=\"col\">Rank range</th><th scope=\"col\">Runs at base rank</th></tr></thead>\n<tbody>\n");
        for s in &sens.states {
            let range = if s.min_rank == s.max_rank {
                s.min_rank.to_string()
            } else {
                format!("{}–{}", s.min_rank, s.max_rank)
            };
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{range}</td><td class=\"num\">{}%</td></tr>",
                h(&s.code),
                s.base_rank,
                s.at_base_rank
            );
        }
        out.push_str("</tbody>\n</table>\n");
        out.push_str("<table>\n<caption>Runs drawing one source of uncertainty at a time.</caption>\n<thead><tr>");
        for col in SOURCE_HEADER {
            let _ = write!(out, "<th scope=\"col\">{col}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for x in &sens.sources {
            let [what, shift, moved, apart] = source_cells(x).map(|x| h(&x));
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{what}</th><td class=\"num\">{shift}</td><td class=\"num\">{moved}</td><td class=\"num\">{apart}</td></tr>"
            );
        }
        out.push_str("</tbody>\n</table>\n");
        if !sens.pairs.is_empty() {
            out.push_str("<table>\n<caption>Pairs of member states whose order differs from the base ranking in some runs, or who tie in it.</caption>\n<thead><tr>");
            for col in PAIR_HEADER {
                let _ = write!(out, "<th scope=\"col\">{col}</th>");
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for p in &sens.pairs {
                let [pair, ahead, differs, apart] = pair_cells(p).map(|x| h(&x));
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{pair}</th><td class=\"num\">{ahead}</td><td class=\"num\">{differs}</td><td>{apart}</td></tr>"
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</section>\n");
    }

    let _ = writeln!(
        out,
        "</main>\n<footer><p class=\"note\">Generated by frameaudit from region <code>{}</code> and rubric <code>{}</code> {} (sha256 <code>{}</code>).</p></footer>\n</body>\n</html>",
        h(&c.region.id),
        h(&c.rubric.id),
        h(&c.rubric.version),
        h(&c.rubric.sha256)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_uses_the_printed_value() {
        assert_eq!(heat(None), "na");
        assert_eq!(heat(Some(Pct(24.96))), "h1");
        assert_eq!(heat(Some(Pct(24.94))), "h0");
        assert_eq!(heat(Some(Pct(100.0))), "h3");
    }
}
