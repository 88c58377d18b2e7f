//! The comparison as one self-contained HTML page in the style of the country reports: inline
//! CSS, no script, no network resource, printable on A4 (the executive summary on the first
//! page, no forced page breaks). Accessible: one `h1`, sections with `h2`/`h3`, tables with
//! captions and `<th scope>`. The matrices are heat maps shaded by the rubric's rating bands
//! (one blue hue in clearly different lightness, which greyscale print and colour-blind
//! readers tell apart), and every cell prints its number (or "no profile") with its bounds on
//! a second line, so shading is never the only signal. All user and rubric text goes through
//! [`escape::html`](crate::render::escape::html).

use std::fmt::Write as _;

use super::{
    PAIR_HEADER, SOURCE_HEADER, as_of_text, caveat_lines, coverage_text, level_bounds, level_score,
    pair_cells, pct, rank_label, ranking_note, rating_short, source_cells,
};
use crate::model::{Band, Level};
use crate::render::escape::html as h;
use crate::score::region::Comparison;
use crate::score::summary::{Citation, LevelSentences, Theme};
use crate::score::{Pct, Range};

/// What the comparison adds to the shared style: compact matrices and the heat-map legend.
const CSS: &str = r#"
table.matrix { font-size: .85rem; }
table.matrix td.num { min-width: 2.6rem; }
.range { display: block; font-size: .75rem; white-space: nowrap; }
.legend span { display: inline-block; padding: 0 .5rem; margin-right: .3rem; border: 1px solid var(--rule); }
.summary h3 { margin-top: .6rem; }
.summary ul.items li { margin: .15rem 0; }
ul.items ul { font-size: 1em; }
@page { size: A4; margin: 12mm 11mm; }
@media print {
  html { font-size: 8.5pt; }
  body { line-height: 1.3; }
  .heat { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table.matrix { font-size: .9rem; }
  th, td { padding: .1rem .25rem; }
  h2 { margin: 1rem 0 .4rem; }
  h3 { margin: .5rem 0 .2rem; }
  h4 { margin: .4rem 0 .1rem; }
  ul.items { margin: .1rem 0 .3rem; }
  ul.items li { margin: .1rem 0; }
  .columns { columns: 2; column-gap: 1.2rem; }
  h1 { font-size: 1.5rem; }
  .summary .side { gap: .8rem; }
  .summary .side section { border: 0; padding: 0; break-inside: auto; font-size: .95em; }
  .columns h3, .columns h4 { break-after: avoid; }
  .refs ol.sources { font-size: .78rem; line-height: 1.15; padding-left: 2.2rem; overflow-wrap: anywhere; }
  .refs ol.sources.columns { columns: 3; column-gap: 2.6rem; }
  .refs ol.sources li { margin: .05rem 0; }
}
"#;

/// Hue and saturation of the heat maps (one blue), and the lightness of the darkest and the
/// lightest band, in percent.
const HUE: f64 = 212.0;
const SATURATION: f64 = 55.0;
const DARKEST: f64 = 22.0;
const LIGHTEST: f64 = 98.0;

/// Relative luminance (WCAG) of `hsl(HUE, SATURATION, l%)`.
fn luminance(l: f64) -> f64 {
    let (s, l) = (SATURATION / 100.0, l / 100.0);
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((HUE / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    // HUE lies between 180 and 240: (r, g, b) = (0, x, c).
    let lin = |u: f64| {
        let u = u + m;
        if u <= 0.039_28 {
            u / 12.92
        } else {
            ((u + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(0.0) + 0.7152 * lin(x) + 0.0722 * lin(c)
}

/// The lightness (percent) of band `i` of `n` (0 = highest score, darkest): neighbouring
/// bands are equal steps apart in contrast ratio, so that they differ clearly in greyscale
/// print and for every kind of colour blindness (one hue; lightness alone tells them apart).
fn band_lightness(i: usize, n: usize) -> f64 {
    if n <= 1 {
        return 85.0;
    }
    let (lo, hi) = (luminance(DARKEST) + 0.05, luminance(LIGHTEST) + 0.05);
    let target = lo * (hi / lo).powf(i as f64 / (n - 1) as f64) - 0.05;
    let (mut a, mut b) = (DARKEST, LIGHTEST);
    for _ in 0..40 {
        let mid = (a + b) / 2.0;
        if luminance(mid) < target {
            a = mid;
        } else {
            b = mid;
        }
    }
    (a + b) / 2.0
}

/// The fill and text colour of band `i` of `n` (0 = highest).
fn band_colours(i: usize, n: usize) -> (String, &'static str) {
    let l = band_lightness(i, n);
    let text = if luminance(l) < 0.2 {
        "#fff"
    } else {
        "#1a1a1a"
    };
    (format!("hsl({HUE:.0}, {SATURATION:.0}%, {l:.0}%)"), text)
}

/// The CSS classes of the rubric's bands: `.b0` for the highest.
fn band_css(bands: &[Band]) -> String {
    let mut s = String::new();
    for i in 0..bands.len() {
        let (bg, fg) = band_colours(i, bands.len());
        let _ = writeln!(s, ".b{i} {{ background: {bg}; color: {fg}; }}");
    }
    s.push_str(".na { background: repeating-linear-gradient(135deg, #fff, #fff 4px, #e4e4e4 4px, #e4e4e4 8px); color: #333; font-style: italic; }\n");
    s
}

/// The heat-map class of a score: the rubric band its printed value falls in, "na" when
/// undefined.
fn heat(bands: &[Band], p: Option<Pct>) -> String {
    match p {
        None => "na".into(),
        Some(p) => {
            let v = p.rounded();
            bands
                .iter()
                .position(|b| v >= b.min)
                .map_or_else(|| "na".to_string(), |i| format!("b{i}"))
        }
    }
}

/// A heat-map cell: the score, shaded by the rubric's band, and below it its bounds when
/// unknown cells move it.
fn heat_cell(c: &Comparison, p: Option<Pct>, b: Option<Range>) -> String {
    let range = match b {
        Some(b) if p.is_some() && !b.is_point() => {
            format!("<span class=\"range\">{}</span>", b.label())
        }
        _ => String::new(),
    };
    format!(
        "<td class=\"num heat {}\">{}{range}</td>",
        heat(&c.bands, p),
        pct(p)
    )
}

fn legend(c: &Comparison) -> String {
    let mut s = String::from("<p class=\"legend\">Shading by the rubric's rating bands: ");
    let mut upper = 100.0;
    for (i, b) in c.bands.iter().enumerate() {
        let range = if i == 0 {
            format!("{}–100", b.min)
        } else {
            format!("{}–{:.1}", b.min, upper - 0.1)
        };
        let _ = write!(
            s,
            "<span class=\"heat b{i}\">{} {range}</span>",
            h(&b.label)
        );
        upper = b.min;
    }
    s.push_str("<span class=\"heat na\">no profile / n/a</span> Every cell also prints its score in percent.</p>\n");
    s
}

fn cites(c: &[Citation]) -> String {
    crate::render::cite::html_cites(c.iter().map(|x| (x.number, x.label())), "ref")
}

fn themes(out: &mut String, items: &[Theme]) {
    if items.is_empty() {
        out.push_str("<p>None recorded in the profiles.</p>\n");
        return;
    }
    for t in items {
        let _ = writeln!(out, "<h4>{}</h4>\n<ul class=\"items\">", h(&t.title));
        for i in &t.items {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>: {}{}</li>",
                h(&i.code),
                h(&i.text),
                cites(&i.citations)
            );
        }
        out.push_str("</ul>\n");
    }
}

fn list(out: &mut String, items: impl IntoIterator<Item = String>, empty: &str) {
    let items: Vec<String> = items.into_iter().collect();
    if items.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", h(empty));
        return;
    }
    out.push_str("<ul class=\"items\">\n");
    for i in items {
        let _ = writeln!(out, "<li>{i}</li>");
    }
    out.push_str("</ul>\n");
}

fn sentences(out: &mut String, levels: &[LevelSentences]) {
    for lf in levels {
        let _ = writeln!(out, "<h3>{}</h3>", lf.heading);
        list(
            out,
            lf.sentences.iter().map(|s| h(&s.text)),
            "No criterion applies at this level.",
        );
    }
}

/// Renders the comparison as a self-contained HTML page.
pub(crate) fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let title = format!("Regional comparison: {}", c.region.name);
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", h(&title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">Region <code>{}</code> · compared as of {} · rubric <code>{}</code> {} · sha256 <code>{}</code></p>",
        h(&c.region.id),
        c.as_of,
        h(&c.rubric.id),
        h(&c.rubric.version),
        h(&c.rubric.sha256)
    );
    let _ = writeln!(
        out,
        "<p><strong>Member states:</strong> {}.</p>",
        h(&c.members.summary)
    );
    for k in caveat_lines(c) {
        let _ = writeln!(
            out,
            "<p class=\"caveat\"><strong>Status:</strong> {}</p>",
            h(&k)
        );
    }
    out.push_str("</header>\n");

    summary_section(&mut out, c);

    ranking_section(&mut out, c);

    category_sections(&mut out, c);

    findings_section(&mut out, c);

    sensitivity_section(&mut out, c);

    annex_sections(&mut out, c);

    let _ = writeln!(
        out,
        "<footer>frameaudit regional comparison · region {} · as of {} · rubric {} {} · sha256 {}{}</footer>",
        h(&c.region.id),
        c.as_of,
        h(&c.rubric.id),
        h(&c.rubric.version),
        h(&c.rubric.sha256),
        caveat_lines(c)
            .iter()
            .map(|k| format!(" · {}", h(k)))
            .collect::<String>()
    );
    crate::render::html::page_with(&h(&title), &out, &format!("{CSS}{}", band_css(&c.bands)))
}

/// The executive summary: the level sentences, good practices and challenges side by side.
fn summary_section(out: &mut String, c: &Comparison) {
    out.push_str("<section class=\"summary\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">Executive summary</h2>\n");
    let _ = writeln!(out, "<p class=\"note\">{}</p>", h(&c.summary.note));
    sentences(out, &c.summary.levels);
    out.push_str("<div class=\"side\">\n");
    for (heading, items) in [
        ("Good common practices", &c.good_practices.themes),
        ("Challenges", &c.challenges.themes),
    ] {
        let _ = writeln!(out, "<section>\n<h3>{heading}</h3>");
        list(
            out,
            items.iter().map(|t| h(&t.text)),
            "None recorded in the profiles.",
        );
        out.push_str("</section>\n");
    }
    out.push_str("</div>\n</section>\n");
}

/// The ranking with each state's overall and level scores, shaded by band.
fn ranking_section(out: &mut String, c: &Comparison) {
    // Ranking and level scores.
    out.push_str(
        "<section aria-labelledby=\"ranking\">\n<h2 id=\"ranking\">Ranking and scores</h2>\n",
    );
    out.push_str(&legend(c));
    out.push_str("<table class=\"matrix\">\n<caption>Member states by overall score (percent); tied states share a rank (=) and are listed by code.</caption>\n<thead><tr>");
    for col in [
        "Rank",
        "Member state",
        "As of",
        "Overall",
        "Rating",
        "Coverage",
    ]
    .into_iter()
    .chain(Level::ALL.map(Level::heading))
    {
        let _ = write!(out, "<th scope=\"col\">{col}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for e in &c.ranking {
        let Some(s) = c.states.iter().find(|s| s.country.code == e.code) else {
            continue;
        };
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><th scope=\"row\">{} {}</th><td>{}</td>",
            rank_label(c, e),
            h(&e.code),
            h(&e.name),
            as_of_text(s)
        );
        match &s.score {
            Some(score) => {
                out.push_str(&heat_cell(c, score.overall, score.bounds.overall));
                let _ = write!(
                    out,
                    "<td>{}</td><td class=\"num\">{}</td>",
                    h(&rating_short(score)),
                    coverage_text(s)
                );
                for l in Level::ALL {
                    out.push_str(&heat_cell(
                        c,
                        level_score(s, Some(l)),
                        level_bounds(s, Some(l)),
                    ));
                }
            }
            None => out.push_str("<td class=\"heat na\" colspan=\"6\">no profile</td>"),
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    let _ = writeln!(out, "<p class=\"note\">{}</p>", h(&ranking_note(c, false)));
    out.push_str("</section>\n");
}

/// The scores by fundamental principle and by type of assistance.
fn category_sections(out: &mut String, c: &Comparison) {
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
            "<table class=\"matrix\">\n<caption>{heading}, percent, one column per member state.</caption>\n<thead><tr><th scope=\"col\">{first}</th>"
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
                            c,
                            score.principles.get(&cat.id),
                            score.bounds.principles.get(&cat.id),
                        )
                    } else {
                        heat_cell(
                            c,
                            score.assistance_types.get(&cat.id),
                            score.bounds.assistance_types.get(&cat.id),
                        )
                    }),
                    None => out.push_str("<td class=\"heat na\">no profile</td>"),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
}

/// Good common practices and challenges.
fn findings_section(out: &mut String, c: &Comparison) {
    out.push_str("<section aria-labelledby=\"findings\">\n<h2 id=\"findings\">Good common practices and challenges</h2>\n");
    out.push_str("<p class=\"note\">Each good practice and challenge of the profiles once, under the type of assistance of the first criterion it names; numbers in brackets are the references at the end.</p>\n");
    out.push_str("<div class=\"columns\">\n<h3>Good common practices</h3>\n");
    themes(out, &c.good_practices.themes);
    out.push_str("<h4>Provided in full in practice by most member states</h4>\n");
    list(
        out,
        c.good_practices.met_in_practice.iter().map(|m| h(&m.text)),
        "No criterion is provided in full in practice by more than half of the member states.",
    );
    out.push_str("<h3>Challenges</h3>\n");
    themes(out, &c.challenges.themes);
    out.push_str("<h4>Largest regional gaps</h4>\n");
    list(
        out,
        c.challenges.largest_gaps.iter().map(|g| h(&g.text)),
        "None.",
    );
    out.push_str("<h4>Implementation gaps shared by two or more member states</h4>\n");
    list(
        out,
        c.challenges
            .implementation_gaps
            .iter()
            .map(|g| format!("{} (<code>{}</code>)", h(&g.text), g.code)),
        "None.",
    );
    out.push_str("</div>\n</section>\n");
}

/// The rank sensitivity, when it was asked for.
fn sensitivity_section(out: &mut String, c: &Comparison) {
    if let Some(sens) = &c.sensitivity {
        out.push_str("<section aria-labelledby=\"sensitivity\">\n<h2 id=\"sensitivity\">Rank sensitivity</h2>\n");
        let _ = writeln!(out, "<p>{}</p>", h(&sens.summary));
        out.push_str("<table>\n<caption>Rank of each member state across the runs.</caption>\n<thead><tr><th scope=\"col\">Member state</th><th scope=\"col\">Base rank</th><th scope=\"col\">Rank range</th><th scope=\"col\">Runs at base rank</th></tr></thead>\n<tbody>\n");
        for s in &sens.states {
            let range = s.label();
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
}

/// The annex, criterion by criterion, and the references.
fn annex_sections(out: &mut String, c: &Comparison) {
    out.push_str(
        "<section aria-labelledby=\"annex\">\n<h2 id=\"annex\">Annex: criterion by criterion</h2>\n",
    );
    let _ = writeln!(out, "<p class=\"note\">{}</p>", h(&c.summary.note));
    out.push_str("<div class=\"columns\">\n");
    sentences(out, &c.annex);
    out.push_str("</div>\n</section>\n");

    out.push_str(
        "<section class=\"refs\" aria-labelledby=\"references\">\n<h2 id=\"references\">References</h2>\n",
    );
    if c.references.is_empty() {
        out.push_str("<p>None cited.</p>\n");
    } else {
        out.push_str("<ol class=\"sources columns\">\n");
        for r in &c.references {
            let _ = writeln!(
                out,
                "<li id=\"ref-{}\">{}</li>",
                r.number,
                h(&super::markdown::reference_text(r))
            );
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands() -> Vec<Band> {
        [
            ("strong", 75.0),
            ("substantial", 50.0),
            ("limited", 25.0),
            ("minimal", 0.0),
        ]
        .map(|(l, m)| Band {
            label: l.into(),
            min: m,
        })
        .to_vec()
    }

    #[test]
    fn heat_uses_the_rubric_bands_and_the_printed_value() {
        let b = bands();
        assert_eq!(heat(&b, None), "na");
        assert_eq!(heat(&b, Some(Pct(24.96))), "b2");
        assert_eq!(heat(&b, Some(Pct(24.94))), "b3");
        assert_eq!(heat(&b, Some(Pct(100.0))), "b0");
        let two = vec![b[1].clone(), b[3].clone()];
        assert_eq!(heat(&two, Some(Pct(60.0))), "b0");
        assert_eq!(heat(&two, Some(Pct(49.0))), "b1");
    }

    /// Neighbouring bands differ in luminance by a contrast ratio of at least 1.5 (for up to
    /// six bands), so they stay apart in greyscale print and for any colour vision (one hue,
    /// lightness only); the text on each band is legible (contrast 4.5 or more).
    #[test]
    fn neighbouring_bands_differ_clearly_in_lightness() {
        assert!((luminance(100.0) - 1.0).abs() < 1e-9 && luminance(0.0) < 1e-9);
        for n in 2..=6 {
            // As printed: the lightness rounded to a whole percent.
            let lum: Vec<f64> = (0..n)
                .map(|i| luminance(band_lightness(i, n).round()))
                .collect();
            for (i, l) in lum.iter().enumerate() {
                let (_, fg) = band_colours(i, n);
                let text = if fg == "#fff" { 1.0 } else { 0.011 };
                let (a, b) = (l.max(text) + 0.05, l.min(text) + 0.05);
                assert!(
                    a / b >= 4.5,
                    "{n} bands, band {i}: text contrast {:.2}",
                    a / b
                );
            }
            for w in lum.windows(2) {
                let ratio = (w[1] + 0.05) / (w[0] + 0.05);
                assert!(ratio >= 1.5, "{n} bands: ratio {ratio:.2} between {w:?}");
            }
        }
    }
}
