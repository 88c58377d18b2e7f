//! HTML output: the gap report of one country and the index of several, each one
//! self-contained file (inline CSS, no script, nothing fetched from a network) that reads on
//! screen and in print (A4). Accessible: `lang`, real h1–h3 headings, tables with a caption
//! and `<th scope>`, and every status shown as a symbol and a word beside its colour. All user
//! text goes through [`escape::html`]; only http(s) URLs become links.

use std::fmt::Write as _;

use super::cite::{SourceStyle, source_line};
use super::escape::html as esc;
use super::table::pct_range;
use crate::model::{Level, Status};
use crate::report::{Citation, FindingLine, Index, Report, SourceEntry};
use crate::score::{BOUNDS_NOTE, Pct, Range};

/// The style every HTML page of frameaudit shares: the country reports, their index and the
/// regional comparison.
pub(crate) const CSS: &str = r#"
:root { --ink: #1a1a1a; --muted: #4a4a4a; --rule: #c8c8c8; --head: #f2f2f2; --accent: #123f6b; }
* { box-sizing: border-box; }
html { color: var(--ink); background: #fff; font-size: 15px; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 1rem;
  line-height: 1.45; margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; color: var(--accent); }
h2 { font-size: 1.25rem; margin: 1.8rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent);
  color: var(--accent); text-transform: uppercase; letter-spacing: .03em; }
h3 { font-size: 1.02rem; margin: 1rem 0 .3rem; }
p { margin: .4rem 0; }
.meta { color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
.headline { display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0; padding: 0; list-style: none; }
.headline li { border: 1px solid var(--rule); border-radius: 4px; padding: .35rem .7rem; min-width: 8rem; }
.headline .k { display: block; font-size: .78rem; color: var(--muted); text-transform: uppercase; }
.headline .v { font-size: 1.15rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
caption { text-align: left; font-weight: bold; padding: .2rem 0 .4rem; color: var(--muted); }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: var(--head); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.st { white-space: nowrap; }
.st-full { background: #dcf1e3; color: #0b4a26; }
.st-partial { background: #fff0c2; color: #4d3800; }
.st-none { background: #f9d9d9; color: #6e0e0e; }
.st-unknown { background: #e9e9e9; color: #333; }
.st-not_applicable { background: #f6f6f6; color: #4a4a4a; }
.badge { display: inline-block; border-radius: 3px; padding: 0 .3rem; font-size: .85rem; white-space: nowrap; }
.levels-summary { color: var(--muted); }
.counts { display: block; font-size: .8rem; white-space: normal; }
.bar { display: block; position: relative; height: .45rem; margin-top: .25rem; background: #f1f1f1;
  border: 1px solid var(--rule); }
.bar .lo { position: absolute; left: 0; top: 0; bottom: 0; background: var(--accent); }
.bar .hi { position: absolute; top: 0; bottom: 0;
  background: repeating-linear-gradient(135deg, #b9c7d6, #b9c7d6 3px, #fff 3px, #fff 6px); }
ul.items { padding-left: 1.2rem; margin: .2rem 0 .6rem; }
ul.items li { margin: .25rem 0; }
.cite { color: var(--accent); font-size: .85rem; white-space: nowrap; }
a { color: var(--accent); }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2rem; }
.side section { border: 1px solid var(--rule); border-radius: 4px; padding: .2rem .9rem .5rem; }
.side h3 { margin-top: .5rem; }
ol.sources { padding-left: 2rem; font-size: .9rem; }
ol.sources li { margin: .3rem 0; overflow-wrap: anywhere; }
.note { color: var(--muted); }
.caveat { border-left: 4px solid var(--accent); background: var(--head); padding: .3rem .6rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule); padding-top: .5rem;
  overflow-wrap: anywhere; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  html { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  .headline li { min-width: 0; padding: .25rem .55rem; }
  .side section { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .st-full, .st-partial, .st-none, .st-unknown, .st-not_applicable, thead th, .bar, .bar span {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@media (max-width: 40rem) { .side { grid-template-columns: 1fr; } }
"#;

fn page(title: &str, body: &str) -> String {
    page_with(title, body, "")
}

/// A complete page in the shared style, with `extra` CSS after it; `title` is already escaped.
pub(crate) fn page_with(title: &str, body: &str, extra: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"frameaudit\">\n<title>{title}</title>\n\
         <style>{CSS}{extra}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
}

/// A bar of the score (solid) and of what its unknown cells could add (hatched), with the
/// numbers in words for screen readers; empty without bounds.
fn bar(score: Option<Pct>, bounds: Option<Range>) -> String {
    let (Some(s), Some(b)) = (score, bounds) else {
        return String::new();
    };
    let lo = b.lower.rounded().clamp(0.0, 100.0);
    let hi = b.upper.rounded().clamp(lo, 100.0);
    format!(
        "<span class=\"bar\" role=\"img\" aria-label=\"score {s}, bounds {} to {}\"><span class=\"lo\" style=\"width:{lo}%\"></span><span class=\"hi\" style=\"left:{lo}%;width:{:.1}%\"></span></span>",
        b.lower,
        b.upper,
        hi - lo
    )
}

/// A status as a badge: symbol (hidden from screen readers) and word, never colour alone.
fn badge(s: Status) -> String {
    format!(
        "<span class=\"badge st-{}\"><span aria-hidden=\"true\">{}</span> {}</span>",
        s.as_str(),
        s.symbol(),
        s.as_str().replace('_', " ")
    )
}

fn cites(c: &[Citation]) -> String {
    super::cite::html_cites(c.iter().map(|x| (x.number, x.label())), "src")
}

const SOURCE: SourceStyle = SourceStyle {
    esc,
    url: |u, linkable| {
        if linkable {
            format!("<a href=\"{0}\">{0}</a>", esc(u))
        } else {
            format!("<span class=\"url\">{}</span>", esc(u))
        }
    },
    note: Some(|n| format!("<span class=\"note\">{}</span>", esc(n))),
};

fn source_item(s: &SourceEntry) -> String {
    format!(
        "<li id=\"src-{}\">{}</li>\n",
        s.number,
        source_line(s, &SOURCE)
    )
}

fn findings(out: &mut String, heading: &str, items: &[FindingLine]) {
    let _ = writeln!(out, "<section>\n<h3>{heading}</h3>");
    if items.is_empty() {
        out.push_str("<p>None recorded.</p>\n");
    } else {
        out.push_str("<ul class=\"items\">\n");
        for f in items {
            let _ = writeln!(out, "<li>{}{}</li>", esc(&f.text), cites(&f.citations));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// One country's gap report, as a complete HTML document.
pub(crate) fn report(r: &Report) -> String {
    let mut b = String::new();
    let h = &r.headline;
    let name = format!("{} ({})", esc(&r.country.name), esc(&r.country.code));
    let _ = writeln!(b, "<header>\n<h1>{name}: gap report</h1>");
    let _ = writeln!(
        b,
        "<p class=\"meta\">As of {} · rubric {} {} ({}) · sha256 <code>{}</code></p>",
        r.as_of,
        esc(&r.rubric.id),
        esc(&r.rubric.version),
        esc(&r.rubric.title),
        esc(&r.rubric.sha256)
    );
    if let Some(s) = &r.status {
        let _ = writeln!(
            b,
            "<p class=\"caveat\"><strong>Status:</strong> {}</p>",
            esc(s)
        );
    }
    b.push_str("<ul class=\"headline\">\n");
    let lv = |l: Level| {
        format!(
            "{}{}",
            pct_range(h.levels.get(l), h.bounds.levels.get(l)),
            bar(h.levels.get(l), h.bounds.levels.get(l))
        )
    };
    let mut items = vec![
        (
            "Overall",
            format!(
                "{} / 100{}",
                pct_range(h.overall, h.bounds.overall),
                bar(h.overall, h.bounds.overall)
            ),
        ),
        ("Rating", esc(&h.rating_words())),
        ("Coverage", format!("{}%", h.coverage)),
    ];
    items.extend(Level::ALL.map(|l| (l.heading(), lv(l))));
    for (k, v) in items {
        let _ = writeln!(
            b,
            "<li><span class=\"k\">{k}</span> <span class=\"v\">{v}</span></li>"
        );
    }
    b.push_str("</ul>\n");
    let _ = writeln!(
        b,
        "<p class=\"meta\">{} of {} scored cells unknown: coverage is the share of cell weight with a known status. {} The bar: solid up to the score, hatched up to the upper bound.</p>",
        h.counts.unknown,
        h.counts.scored(),
        BOUNDS_NOTE
    );
    if let Some(s) = &r.summary {
        let _ = writeln!(b, "<p>{}</p>", esc(s));
    }
    if let Some(c) = &r.compiled_from {
        let _ = writeln!(
            b,
            "<p class=\"meta\"><strong>Compiled from:</strong> {}</p>",
            esc(c)
        );
    }
    b.push_str("</header>\n");

    types_section(&mut b, r);

    principles_section(&mut b, r);

    level_sections(&mut b, r);

    implementation_gaps_section(&mut b, r);

    b.push_str(
        "<section>\n<h2 id=\"findings\">Good practices and challenges</h2>\n<div class=\"side\">\n",
    );
    findings(&mut b, "Good common practices", &r.good_practices);
    findings(&mut b, "Challenges", &r.challenges);
    b.push_str("</div>\n</section>\n");

    b.push_str("<section>\n<h2 id=\"sources\">Sources</h2>\n");
    if r.sources.is_empty() {
        b.push_str("<p>None listed.</p>\n");
    } else {
        b.push_str("<ol class=\"sources\">\n");
        for s in &r.sources {
            b.push_str(&source_item(s));
        }
        b.push_str("</ol>\n");
    }
    b.push_str("</section>\n");
    let _ = writeln!(
        b,
        "<footer>frameaudit gap report · rubric {} {} · sha256 {}{}</footer>",
        esc(&r.rubric.id),
        esc(&r.rubric.version),
        esc(&r.rubric.sha256),
        r.status
            .as_deref()
            .map(|s| format!(" · {}", esc(s)))
            .unwrap_or_default()
    );
    page(&format!("{name}: gap report"), &b)
}

/// The types of assistance: each one's score at each level and its cells by status.
fn types_section(b: &mut String, r: &Report) {
    b.push_str("<section>\n<h2 id=\"types\">Types of assistance</h2>\n<table>\n");
    b.push_str(
        "<caption>Score (0–100, with its bounds) of each type of assistance at each level, and its cells by status</caption>\n",
    );
    let levels: String = Level::ALL
        .map(|l| format!("<th scope=\"col\">{}</th>", l.heading()))
        .concat();
    let _ = write!(
        b,
        "<thead><tr><th scope=\"col\">Type of assistance</th>{levels}\
         <th scope=\"col\" class=\"num\">All levels</th></tr></thead>\n<tbody>\n",
    );
    for t in &r.assistance_types {
        let _ = write!(b, "<tr><th scope=\"row\">{}</th>", esc(&t.title));
        for l in &t.levels {
            if l.status == Status::NotApplicable {
                b.push_str("<td class=\"st st-not_applicable\">n/a</td>");
                continue;
            }
            let _ = write!(
                b,
                "<td class=\"st st-{}\">{}<span class=\"counts\">{}</span></td>",
                l.status.as_str(),
                pct_range(l.score, l.bounds),
                // A no-break space keeps each count ("3 unknown") on one line.
                l.counts
                    .words()
                    .replace(' ', "&nbsp;")
                    .replace("&nbsp;·&nbsp;", " · ")
            );
        }
        let _ = writeln!(
            b,
            "<td class=\"num\">{}</td></tr>",
            pct_range(t.score, t.bounds)
        );
    }
    b.push_str("</tbody>\n</table>\n</section>\n");
}

/// The fundamental principles: each one's score and weakest criteria.
fn principles_section(b: &mut String, r: &Report) {
    b.push_str("<section>\n<h2 id=\"principles\">Fundamental principles</h2>\n<table>\n");
    b.push_str(
        "<caption>Score of each fundamental principle, with its weakest criteria</caption>\n",
    );
    b.push_str(
        "<thead><tr><th scope=\"col\">Fundamental principle</th><th scope=\"col\" class=\"num\">Score</th>\
         <th scope=\"col\">Weakest criteria</th></tr></thead>\n<tbody>\n",
    );
    for p in &r.principles {
        let weakest = p
            .weakest
            .iter()
            .map(|c| {
                format!(
                    "{}&nbsp;({})",
                    esc(&c.title),
                    esc(&c.label()).replace(' ', "&nbsp;")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            b,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&p.title),
            pct_range(p.score, p.bounds),
            if weakest.is_empty() {
                "–".to_string()
            } else {
                weakest
            }
        );
    }
    b.push_str("</tbody>\n</table>\n</section>\n");
}

/// One section per level: its score and its gaps.
fn level_sections(b: &mut String, r: &Report) {
    for sec in &r.levels {
        let _ = writeln!(
            b,
            "<section>\n<h2 id=\"{}\">{}</h2>",
            sec.level.as_str(),
            esc(&sec.heading)
        );
        let _ = writeln!(b, "<p class=\"levels-summary\">{}</p>", esc(&sec.summary()));
        for (heading, items) in sec.groups() {
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(
                b,
                "<h3>{heading} ({})</h3>\n<ul class=\"items\">",
                items.len()
            );
            for st in items {
                let _ = writeln!(
                    b,
                    "<li>{} <strong>{}</strong>: {}{}</li>",
                    badge(st.status),
                    esc(&st.title),
                    esc(&st.text),
                    cites(&st.citations)
                );
            }
            b.push_str("</ul>\n");
        }
        b.push_str("</section>\n");
    }
}

/// The implementation gaps, in groups.
fn implementation_gaps_section(b: &mut String, r: &Report) {
    b.push_str("<section>\n<h2 id=\"gaps\">Implementation gaps</h2>\n");
    let g = &r.implementation_gaps;
    if g.is_empty() {
        b.push_str("<p>None: no criterion's law differs from its practice or policy by half a point or more.</p>\n");
    }
    for (heading, items) in g.groups() {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            b,
            "<h3>{heading} ({})</h3>\n<ul class=\"items\">",
            items.len()
        );
        for x in items {
            let _ = writeln!(
                b,
                "<li><strong>{}</strong>: law {}, {} {}{}</li>",
                esc(&x.title),
                badge(x.law),
                x.other_level,
                badge(x.other),
                cites(&x.citations)
            );
        }
        b.push_str("</ul>\n");
    }
    b.push_str("</section>\n");
}

/// The index of several reports, as a complete HTML document linking each country's file.
pub(crate) fn index(idx: &Index) -> String {
    let mut b = String::new();
    b.push_str("<header>\n<h1>Gap reports</h1>\n");
    for r in &idx.rubrics {
        let _ = writeln!(
            b,
            "<p class=\"meta\">Rubric {} {} ({}) · sha256 <code>{}</code></p>",
            esc(&r.id),
            esc(&r.version),
            esc(&r.title),
            esc(&r.sha256)
        );
    }
    for s in &idx.caveats {
        let _ = writeln!(
            b,
            "<p class=\"caveat\"><strong>Status:</strong> {}</p>",
            esc(s)
        );
    }
    if let Some(f) = &idx.comparison {
        let _ = writeln!(
            b,
            "<p><a href=\"{}\">Regional comparison of these countries</a></p>",
            esc(f)
        );
    }
    b.push_str("</header>\n<section>\n<h2 id=\"countries\">Countries</h2>\n<table>\n");
    let _ = writeln!(
        b,
        "<caption>{} countries: overall score, rating and coverage</caption>",
        idx.countries.len()
    );
    b.push_str(
        "<thead><tr><th scope=\"col\">Country</th><th scope=\"col\">As of</th>\
         <th scope=\"col\" class=\"num\">Overall</th><th scope=\"col\">Rating</th>\
         <th scope=\"col\" class=\"num\">Coverage</th></tr></thead>\n<tbody>\n",
    );
    for c in &idx.countries {
        let name = format!("{} ({})", esc(&c.country.name), esc(&c.country.code));
        let name = match &c.file {
            Some(f) => format!("<a href=\"{}\">{name}</a>", esc(f)),
            None => name,
        };
        let _ = writeln!(
            b,
            "<tr><th scope=\"row\">{name}</th><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}%</td></tr>",
            c.as_of,
            pct_range(c.overall, c.bounds),
            esc(&crate::score::rating_words(
                c.rating.as_deref(),
                c.coverage,
                c.min_coverage
            )),
            c.coverage
        );
    }
    b.push_str("</tbody>\n</table>\n</section>\n");
    page("Gap reports", &b)
}
