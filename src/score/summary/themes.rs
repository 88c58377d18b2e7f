//! Good practices and challenges grouped into themes (the type of assistance of the first
//! criterion each names), with their citations numbered in the references.

use super::*;

/// A citation of a profile's source, numbered in the comparison's references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The reference number (None: the profile does not list the source).
    pub number: Option<usize>,
    /// The source id in the profile.
    pub source: String,
    /// Section, article or page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinpoint: Option<String>,
}

impl Citation {
    /// `"[3]"`, `"[3, s.23]"`; the source id when it is not numbered.
    pub fn label(&self) -> String {
        crate::report::citation_label(self.number, &self.source, self.pinpoint.as_deref())
    }
}

/// A numbered reference: one source of one member state's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// Its number, from 1, in order of first citation.
    pub number: usize,
    /// The member state whose profile lists it.
    pub code: String,
    /// The source id in that profile.
    pub source: String,
    /// Its title.
    pub title: String,
    /// Year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Where it can be found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One state's good practice or challenge, once, with its citations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeItem {
    /// Country code.
    pub code: String,
    /// What the profile says.
    pub text: String,
    /// The criteria it concerns.
    pub criteria: Vec<String>,
    /// Its evidence, numbered.
    pub citations: Vec<Citation>,
}

/// Good practices or challenges of one type of assistance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    /// The type of assistance (`general` when a finding names no criterion of the rubric).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The quantifier of the states with an item.
    pub quantifier: Quantifier,
    /// How many states.
    pub n: usize,
    /// The states, in region order.
    pub states: Vec<String>,
    /// The reference numbers the items cite, ascending.
    pub references: Vec<usize>,
    /// Each item once, by state in region order, then in file order.
    pub items: Vec<ThemeItem>,
    /// The line of the summary: `"Appropriate shelter: some member states (3 of 11: PH, SG and TH) [2][5]"`.
    pub text: String,
}

/// Good practices and challenges by theme, and the references they cite.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub(crate) struct Themes {
    /// Good practices.
    pub good_practices: Vec<Theme>,
    /// Challenges.
    pub challenges: Vec<Theme>,
    /// Every source cited, numbered in order of first citation.
    pub references: Vec<Reference>,
}

/// Reference numbers as compact ranges: "[1–4, 7, 9–10]" ("" for none).
pub(crate) fn ranges(numbers: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        let mut end = start;
        while i + 1 < numbers.len() && numbers[i + 1] == end + 1 {
            i += 1;
            end = numbers[i];
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("[{}]", parts.join(", "))
    }
}

/// The theme id of a finding: the type of assistance of its first criterion the rubric knows.
pub(super) fn theme_of(rubric: &Rubric, f: &Finding) -> String {
    f.criteria
        .iter()
        .find_map(|c| rubric.criterion(c))
        .map_or_else(|| "general".to_string(), |c| c.assistance_type.clone())
}

/// Good practices and challenges of the members' profiles (`profiles[i]` is member `i`'s,
/// in region order), each in one theme, each once.
pub(crate) fn themes(rubric: &Rubric, codes: &[String], profiles: &[Option<&Profile>]) -> Themes {
    let total = codes.len();
    let mut refs: Vec<Reference> = Vec::new();
    let mut numbers: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut build = |pick: fn(&Profile) -> &[Finding]| -> Vec<Theme> {
        let mut ids: Vec<(String, String)> = rubric
            .assistance_types
            .iter()
            .map(|t| (t.id.clone(), t.title.clone()))
            .collect();
        ids.push(("general".into(), "Across types of assistance".into()));
        let mut out = Vec::new();
        for (id, title) in ids {
            let mut items = Vec::new();
            let mut states = Vec::new();
            for (code, p) in codes.iter().zip(profiles) {
                let Some(p) = p else { continue };
                let mine: Vec<&Finding> = pick(p)
                    .iter()
                    .filter(|f| theme_of(rubric, f) == id)
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                states.push(code.clone());
                for f in mine {
                    let citations = f
                        .evidence
                        .iter()
                        .map(|e| {
                            let number = p.source(&e.source).map(|s| {
                                *numbers
                                    .entry((code.clone(), s.id.clone()))
                                    .or_insert_with(|| {
                                        refs.push(Reference {
                                            number: refs.len() + 1,
                                            code: code.clone(),
                                            source: s.id.clone(),
                                            title: s.title.clone(),
                                            year: s.year,
                                            publisher: s.publisher.clone(),
                                            url: s.url.clone(),
                                        });
                                        refs.len()
                                    })
                            });
                            Citation {
                                number,
                                source: e.source.clone(),
                                pinpoint: e.pinpoint.clone(),
                            }
                        })
                        .collect();
                    items.push(ThemeItem {
                        code: code.clone(),
                        text: f.text.trim().to_string(),
                        criteria: f.criteria.clone(),
                        citations,
                    });
                }
            }
            if items.is_empty() {
                continue;
            }
            let mut references: Vec<usize> = items
                .iter()
                .flat_map(|i| i.citations.iter().filter_map(|c| c.number))
                .collect();
            references.sort_unstable();
            references.dedup();
            let n = states.len();
            let q = Quantifier::of(n, total);
            let who = if 2 * n > total && n < total {
                let others: Vec<String> = codes
                    .iter()
                    .filter(|c| !states.contains(c))
                    .cloned()
                    .collect();
                format!("{n} of {total}; none recorded by {}", join(&others, "or"))
            } else if n == total {
                format!("{n} of {total}")
            } else {
                format!("{n} of {total}: {}", join(&states, "and"))
            };
            let cites = ranges(&references);
            out.push(Theme {
                text: format!("{title}: {} ({who}) {cites}", lower_first(q.subject()))
                    .trim_end()
                    .to_string(),
                id,
                title,
                quantifier: q,
                n,
                states,
                references,
                items,
            });
        }
        out
    };
    let good_practices = build(|p| &p.good_practices);
    let challenges = build(|p| &p.challenges);
    Themes {
        good_practices,
        challenges,
        references: refs,
    }
}
