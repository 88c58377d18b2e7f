//! The regional statements (pure): the executive summary in the form of the ACWC key findings,
//! the criterion-by-criterion annex, and good practices and challenges grouped into themes
//! with numbered references. No I/O, no printing.
//!
//! Every statement counts the N member states on the comparison date against one subject (a
//! criterion, or any of a group of criteria, at one level), and sorts each state into one
//! [`Class`]: *provided, fully or partly* when any of the subject's cells is `full` or
//! `partial`; else *not provided* when any is `none`; else *no public information* when any
//! is `unknown` or the state has no profile; else *not applicable*. "Fully or partly" are
//! counted together; "no public information" is never counted as "not provided". A
//! statement names the states it counts when they are at most half, and otherwise names the
//! others with their class — never "all but X" where X does better.

use std::collections::BTreeMap;

use serde::Serialize;

use super::region::Quantifier;
use crate::model::{Finding, HighlightKind, Level, Profile, Rubric, Status};
use crate::suggest::join;

mod themes;

pub use themes::*;

/// How many criteria a summary's "no member state provides" sentence names before it points
/// to the annex.
pub(crate) const GAPS_NAMED: usize = 5;

/// The most sentences the summary gives a level.
pub(crate) const MAX_SENTENCES: usize = 4;

/// What one member state's cells say of a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Some cell is `full` or `partial`.
    Provided,
    /// No cell is `full` or `partial`, and some cell is `none`.
    NotProvided,
    /// Every cell that applies is `unknown`, or the state has no profile.
    NoInformation,
    /// No cell applies (`not_applicable`).
    NotApplicable,
}

impl Class {
    /// The class as a note names it ("no public information").
    pub fn label(self) -> &'static str {
        match self {
            Class::Provided => "provided fully or partly",
            Class::NotProvided => "not provided",
            Class::NoInformation => "no public information",
            Class::NotApplicable => "not applicable",
        }
    }

    /// The class of a state whose cells of a subject have these statuses (`None`: the state
    /// has no profile).
    pub(crate) fn of(statuses: impl IntoIterator<Item = Option<Status>>) -> Class {
        let (mut provided, mut none, mut unknown) = (false, false, false);
        for s in statuses {
            match s {
                Some(Status::Full | Status::Partial) => provided = true,
                Some(Status::None) => none = true,
                Some(Status::Unknown) | None => unknown = true,
                Some(Status::NotApplicable) => {}
            }
        }
        if provided {
            Class::Provided
        } else if none {
            Class::NotProvided
        } else if unknown {
            Class::NoInformation
        } else {
            Class::NotApplicable
        }
    }
}

/// The statuses of the member states, by state (region order), criterion and level; a state
/// with no profile has none.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matrix {
    /// Member codes, in region order.
    pub codes: Vec<String>,
    /// Per state: `None` without a profile, else its statuses (an absent cell is `unknown`).
    pub cells: Vec<Option<BTreeMap<(String, Level), Status>>>,
}

impl Matrix {
    /// The status of state `i` at `criterion` × `level` (`None`: no profile).
    pub(crate) fn status(&self, i: usize, criterion: &str, level: Level) -> Option<Status> {
        let cells = self.cells.get(i)?.as_ref()?;
        Some(
            cells
                .get(&(criterion.to_string(), level))
                .copied()
                .unwrap_or(Status::Unknown),
        )
    }

    fn class(&self, i: usize, criteria: &[String], level: Level) -> Class {
        Class::of(criteria.iter().map(|c| self.status(i, c, level)))
    }

    fn any_full(&self, i: usize, criteria: &[String], level: Level) -> bool {
        criteria
            .iter()
            .any(|c| self.status(i, c, level) == Some(Status::Full))
    }
}

/// The states of one class that a statement does not count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Others {
    /// Their class.
    pub class: Class,
    /// Their codes, in region order.
    pub states: Vec<String>,
}

/// One counted claim: n of the N member states are in `claim`'s class for a subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// The level.
    pub level: Level,
    /// The subject's criteria (a state is counted on any of them).
    pub criteria: Vec<String>,
    /// The subject in words.
    pub subject: String,
    /// The class counted.
    pub claim: Class,
    /// The quantifier of n over N.
    pub quantifier: Quantifier,
    /// n.
    pub n: usize,
    /// N: the member states on the comparison date.
    pub total: usize,
    /// The n states, in region order.
    pub states: Vec<String>,
    /// Of those, the states with a `full` cell (claim `provided` only).
    pub in_full: Vec<String>,
    /// The other states, by class (best first).
    pub others: Vec<Others>,
    /// The subject with its count and named states: "Medical care (3 of 11: ID, PH and VN)".
    pub text: String,
}

impl Statement {
    /// Counts the states of `m` in `claim`'s class for `criteria` at `level`.
    pub(crate) fn count(
        m: &Matrix,
        level: Level,
        criteria: Vec<String>,
        subject: String,
        claim: Class,
    ) -> Statement {
        let total = m.codes.len();
        let mut states = Vec::new();
        let mut in_full = Vec::new();
        let mut others: BTreeMap<Class, Vec<String>> = BTreeMap::new();
        for (i, code) in m.codes.iter().enumerate() {
            let class = m.class(i, &criteria, level);
            if class == claim {
                states.push(code.clone());
                if claim == Class::Provided && m.any_full(i, &criteria, level) {
                    in_full.push(code.clone());
                }
            } else {
                others.entry(class).or_default().push(code.clone());
            }
        }
        let others: Vec<Others> = others
            .into_iter()
            .map(|(class, states)| Others { class, states })
            .collect();
        let n = states.len();
        let mut s = Statement {
            level,
            criteria,
            quantifier: Quantifier::of(n, total),
            n,
            total,
            states,
            in_full,
            others,
            text: String::new(),
            subject,
            claim,
        };
        s.text = format!("{} {}", s.subject, s.note(true));
        s
    }

    /// The same statement with a brief note (without the states in full), as the summary
    /// prints it.
    pub(crate) fn brief(mut self) -> Statement {
        self.text = format!("{} {}", self.subject, self.note(false));
        self
    }

    /// "(3 of 11: ID, PH and VN; in full: PH)", or for a majority the others by class:
    /// "(8 of 11; not provided: BN; no public information: LA and TL)".
    pub(crate) fn note(&self, in_full: bool) -> String {
        let (n, total) = (self.n, self.total);
        let mut s = format!("({n} of {total}");
        if n > 0 && 2 * n <= total {
            s.push_str(": ");
            s.push_str(&join(&self.states, "and"));
        }
        if in_full && self.claim == Class::Provided && !self.in_full.is_empty() {
            if self.in_full.len() == n {
                s.push_str(if n == 1 { ", in full" } else { "; all in full" });
            } else {
                s.push_str("; in full: ");
                s.push_str(&join(&self.in_full, "and"));
            }
        }
        if 2 * n > total {
            for o in &self.others {
                s.push_str(&format!(
                    "; {}: {}",
                    o.class.label(),
                    join(&o.states, "and")
                ));
            }
        }
        s.push(')');
        s
    }
}

/// What a sentence of the summary says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SentenceKind {
    /// How many states provide, fully or partly, for each type of assistance.
    Types,
    /// A rubric highlight: two groups contrasted.
    Contrast,
    /// A rubric highlight: groups stated each on its own.
    Each,
    /// The criteria no member state provides, even partly.
    Gaps,
    /// Criteria grouped by their quantifier (the annex).
    Criteria,
    /// Criteria for which most states have no public information (the annex).
    NoInformation,
}

/// One sentence: its statements and its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    /// What it says.
    pub kind: SentenceKind,
    /// The counted claims it makes, in the order it makes them.
    pub statements: Vec<Statement>,
    /// The sentence.
    pub text: String,
}

/// The sentences at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelSentences {
    /// The level.
    pub level: Level,
    /// "In law", "In policies", "In practice".
    pub heading: &'static str,
    /// The sentences.
    pub sentences: Vec<Sentence>,
}

/// "in law", "in policies", "in practice".
pub(crate) fn level_words(level: Level) -> String {
    lower_first(level.heading())
}

/// The string with its first letter in lower case.
pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn provide(q: Quantifier) -> &'static str {
    if q.singular() { "provides" } else { "provide" }
}

/// Clauses sharing the claim "provide, fully or partly, for": the first with its subject and
/// verb, the next ones with their subject only, joined by `sep`.
fn provide_clauses(level: Level, groups: &[(Quantifier, Vec<&Statement>)], sep: &str) -> String {
    let mut parts = Vec::new();
    for (k, (q, items)) in groups.iter().enumerate() {
        let list: Vec<String> = items.iter().map(|s| s.text.clone()).collect();
        let list = join(&list, "and");
        if k == 0 {
            parts.push(format!(
                "{} {} {}, {}, for {list}",
                q.subject(),
                provide(*q),
                level_words(level),
                if *q == Quantifier::No {
                    "even partly"
                } else {
                    "fully or partly"
                },
            ));
        } else {
            parts.push(format!("{} for {list}", lower_first(q.subject())));
        }
    }
    format!("{}.", parts.join(sep))
}

fn by_quantifier(statements: &[Statement]) -> Vec<(Quantifier, Vec<&Statement>)> {
    Quantifier::ALL
        .into_iter()
        .map(|q| {
            (
                q,
                statements
                    .iter()
                    .filter(|s| s.quantifier == q)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// The executive summary at each level the rubric has criteria: types of assistance, the
/// rubric's highlights for that level, and the criteria no member state provides.
pub(crate) fn summary(rubric: &Rubric, m: &Matrix) -> Vec<LevelSentences> {
    let mut out = Vec::new();
    for level in Level::ALL {
        let at: Vec<&crate::model::Criterion> = rubric
            .criteria
            .iter()
            .filter(|c| c.applies(level))
            .collect();
        if at.is_empty() {
            continue;
        }
        let mut sentences = Vec::new();

        // Types of assistance.
        let types: Vec<Statement> = rubric
            .assistance_types
            .iter()
            .filter_map(|t| {
                let criteria: Vec<String> = at
                    .iter()
                    .filter(|c| c.assistance_type == t.id)
                    .map(|c| c.id.clone())
                    .collect();
                (!criteria.is_empty()).then(|| {
                    Statement::count(m, level, criteria, lower_first(&t.title), Class::Provided)
                        .brief()
                })
            })
            .collect();
        if !types.is_empty() {
            let text = provide_clauses(level, &by_quantifier(&types), "; ");
            sentences.push(Sentence {
                kind: SentenceKind::Types,
                statements: types,
                text,
            });
        }

        // The rubric's highlights.
        for h in rubric
            .highlights
            .iter()
            .filter(|h| h.levels.contains(&level))
        {
            let st: Vec<Statement> = h
                .groups
                .iter()
                .map(|g| {
                    let criteria: Vec<String> = g
                        .criteria
                        .iter()
                        .filter(|c| rubric.criterion(c).is_some_and(|x| x.applies(level)))
                        .cloned()
                        .collect();
                    (g, criteria)
                })
                .filter(|(_, c)| !c.is_empty())
                .map(|(g, c)| {
                    Statement::count(m, level, c, g.label.clone(), Class::Provided).brief()
                })
                .collect();
            let (kind, text) = match h.kind {
                HighlightKind::Contrast if st.len() >= 2 => {
                    let first = &st[0];
                    let mut text = provide_clauses(level, &[(first.quantifier, vec![first])], "");
                    text.pop();
                    for s in &st[1..] {
                        let q = lower_first(s.quantifier.subject());
                        let link = match s.n.cmp(&first.n) {
                            std::cmp::Ordering::Less if s.n == 0 => format!(", but {q}"),
                            std::cmp::Ordering::Less if s.quantifier != first.quantifier => {
                                format!(", but only {q}")
                            }
                            std::cmp::Ordering::Less => format!(", and fewer (still {q})"),
                            std::cmp::Ordering::Equal => format!(", and as many ({q})"),
                            std::cmp::Ordering::Greater => format!(", and more ({q})"),
                        };
                        text.push_str(&format!("{link} for {}", s.text));
                    }
                    text.push('.');
                    (SentenceKind::Contrast, text)
                }
                HighlightKind::Each if !st.is_empty() => {
                    let groups: Vec<(Quantifier, Vec<&Statement>)> =
                        st.iter().map(|s| (s.quantifier, vec![s])).collect();
                    (SentenceKind::Each, provide_clauses(level, &groups, "; "))
                }
                _ => continue,
            };
            sentences.push(Sentence {
                kind,
                statements: st,
                text,
            });
        }

        // Criteria no member state provides, even partly.
        let mut gaps: Vec<Statement> = at
            .iter()
            .map(|c| {
                Statement::count(
                    m,
                    level,
                    vec![c.id.clone()],
                    c.title.clone(),
                    Class::Provided,
                )
            })
            .filter(|s| s.n == 0)
            .collect();
        // At most four sentences a level: the gaps sentence gives way to the highlights.
        if !gaps.is_empty() && !m.codes.is_empty() && sentences.len() < MAX_SENTENCES {
            let count = gaps.len();
            gaps.truncate(GAPS_NAMED);
            let titles: Vec<String> = gaps.iter().map(|s| lower_first(&s.subject)).collect();
            let mut text = format!(
                "{} {} {}, even partly, for {}",
                Quantifier::No.phrase(0, m.codes.len()),
                provide(Quantifier::No),
                level_words(level),
                if count > gaps.len() {
                    format!(
                        "{} of the {} criteria, among them {}",
                        count,
                        at.len(),
                        join(&titles, "and")
                    )
                } else {
                    join(&titles, "and")
                }
            );
            text.push('.');
            sentences.push(Sentence {
                kind: SentenceKind::Gaps,
                statements: gaps,
                text,
            });
        }
        out.push(LevelSentences {
            level,
            heading: level.heading(),
            sentences,
        });
    }
    out
}

/// The annex: at each level, every criterion in a sentence with the others of its
/// quantifier ("provide, fully or partly"), then the criteria for which all or most member
/// states have no public information.
pub(crate) fn annex(rubric: &Rubric, m: &Matrix) -> Vec<LevelSentences> {
    let mut out = Vec::new();
    for level in Level::ALL {
        let at: Vec<&crate::model::Criterion> = rubric
            .criteria
            .iter()
            .filter(|c| c.applies(level))
            .collect();
        if at.is_empty() {
            continue;
        }
        let weight = |id: &str| rubric.criterion(id).map_or(0.0, |c| c.weight);
        let order = |v: &mut Vec<Statement>| {
            // Most important first (weight), then the larger count, then rubric order.
            let pos = |id: &str| rubric.criteria.iter().position(|c| c.id == id);
            v.sort_by(|a, b| {
                weight(&b.criteria[0])
                    .total_cmp(&weight(&a.criteria[0]))
                    .then_with(|| b.n.cmp(&a.n))
                    .then_with(|| pos(&a.criteria[0]).cmp(&pos(&b.criteria[0])))
            });
        };
        let mut sentences = Vec::new();
        let provided: Vec<Statement> = at
            .iter()
            .map(|c| {
                Statement::count(
                    m,
                    level,
                    vec![c.id.clone()],
                    c.title.clone(),
                    Class::Provided,
                )
            })
            .collect();
        for (q, _) in by_quantifier(&provided) {
            let mut items: Vec<Statement> = provided
                .iter()
                .filter(|s| s.quantifier == q)
                .cloned()
                .collect();
            order(&mut items);
            let list: Vec<String> = items.iter().map(|s| s.text.clone()).collect();
            let text = format!(
                "{} {} {}, {}: {}.",
                q.subject(),
                provide(q),
                level_words(level),
                if q == Quantifier::No {
                    "even partly"
                } else {
                    "fully or partly"
                },
                list.join("; ")
            );
            sentences.push(Sentence {
                kind: SentenceKind::Criteria,
                statements: items,
                text,
            });
        }
        for q in [Quantifier::All, Quantifier::MostButNotAll] {
            let mut items: Vec<Statement> = at
                .iter()
                .map(|c| {
                    Statement::count(
                        m,
                        level,
                        vec![c.id.clone()],
                        c.title.clone(),
                        Class::NoInformation,
                    )
                })
                .filter(|s| s.quantifier == q)
                .collect();
            if items.is_empty() {
                continue;
            }
            order(&mut items);
            let list: Vec<String> = items.iter().map(|s| s.text.clone()).collect();
            let text = format!(
                "For {} there is no public information {} on: {}.",
                lower_first(q.subject()),
                level_words(level),
                list.join("; ")
            );
            sentences.push(Sentence {
                kind: SentenceKind::NoInformation,
                statements: items,
                text,
            });
        }
        out.push(LevelSentences {
            level,
            heading: level.heading(),
            sentences,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level::*;
    use crate::model::Status::*;

    type Cells<'a> = &'a [(&'a str, Level, Status)];

    fn matrix(rows: &[Option<Cells<'_>>]) -> Matrix {
        Matrix {
            codes: (0..rows.len())
                .map(|i| format!("X{}", (b'A' + i as u8) as char))
                .collect(),
            cells: rows
                .iter()
                .map(|r| {
                    r.map(|cells| {
                        cells
                            .iter()
                            .map(|(c, l, s)| ((c.to_string(), *l), *s))
                            .collect()
                    })
                })
                .collect(),
        }
    }

    /// The test rubric with one law-level contrast: "group a" (criterion `a`) against
    /// "group b" (criterion `b`).
    fn contrast_rubric() -> crate::model::Rubric {
        let mut r = crate::score::tests::rubric();
        r.highlights = vec![crate::model::Highlight {
            kind: HighlightKind::Contrast,
            levels: vec![Law],
            groups: vec![
                crate::model::HighlightGroup {
                    label: "group a".into(),
                    criteria: vec!["a".into()],
                },
                crate::model::HighlightGroup {
                    label: "group b".into(),
                    criteria: vec!["b".into()],
                },
            ],
        }];
        r
    }

    /// A contrast and the types sentence, computed by hand: of XA (a full, b none), XB (a
    /// partial, b unknown), XC (a none, b full) and XD (no profile), two provide for `a` in law
    /// and one for `b`.
    #[test]
    fn summary_sentences_by_hand() {
        let r = contrast_rubric();
        let m = matrix(&[
            Some(&[("a", Law, Full), ("b", Law, None)]),
            Some(&[("a", Law, Partial)]),
            Some(&[("a", Law, None), ("b", Law, Full)]),
            Option::None,
        ]);
        let levels = summary(&r, &m);
        let law = &levels[0];
        assert_eq!(law.level, Law);
        let texts: Vec<&str> = law.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                // t1 = {a}: XA, XB; t2 = {b, c}: XC (b full); XA has b none → not provided.
                "Half of the member states provide in law, fully or partly, for t1 (2 of 4: XA and XB); one member state for t2 (1 of 4: XC).",
                "Half of the member states provide in law, fully or partly, for group a (2 of 4: XA and XB), but only one member state for group b (1 of 4: XC).",
                "No member state (0 of 4) provides in law, even partly, for c.",
            ]
        );
    }

    /// A contrast whose second group is counted under the same quantifier says "fewer" and
    /// repeats the quantifier in brackets: of seven members, five provide for `a` in law and
    /// four for `b`, both "most but not all".
    #[test]
    fn a_contrast_under_one_quantifier_says_fewer() {
        let r = contrast_rubric();
        let both: &[(&str, Level, Status)] = &[("a", Law, Full), ("b", Law, Full)];
        let a_only: &[(&str, Level, Status)] = &[("a", Law, Full), ("b", Law, None)];
        let neither: &[(&str, Level, Status)] = &[("a", Law, None), ("b", Law, None)];
        let m = matrix(&[
            Some(both),
            Some(both),
            Some(both),
            Some(both),
            Some(a_only),
            Some(neither),
            Some(neither),
        ]);
        let levels = summary(&r, &m);
        let contrast = levels[0]
            .sentences
            .iter()
            .find(|s| s.text.contains("group a"))
            .expect("the contrast");
        assert!(
            contrast
                .text
                .starts_with("Most but not all member states provide in law, fully or partly, for group a (5 of 7"),
            "{}",
            contrast.text
        );
        assert!(
            contrast.text.contains(
                "), and fewer (still most but not all member states) for group b (4 of 7"
            ),
            "{}",
            contrast.text
        );
    }

    #[test]
    fn reference_ranges() {
        assert_eq!(ranges(&[]), "");
        assert_eq!(ranges(&[3]), "[3]");
        assert_eq!(ranges(&[1, 2, 3, 4, 7, 9, 10]), "[1–4, 7, 9–10]");
    }

    #[test]
    fn classes_keep_no_information_apart_from_not_provided() {
        assert_eq!(Class::of([Some(None), Some(Partial)]), Class::Provided);
        assert_eq!(Class::of([Some(None), Some(Unknown)]), Class::NotProvided);
        assert_eq!(
            Class::of([Some(Unknown), Option::None]),
            Class::NoInformation
        );
        assert_eq!(Class::of([Some(NotApplicable)]), Class::NotApplicable);
        assert_eq!(
            Class::of([Some(NotApplicable), Some(Unknown)]),
            Class::NoInformation
        );
    }

    /// The example: six partly provide, one (XD here) provides in full. Counting
    /// fully or partly together, seven provide; the others are named with their class, and
    /// the one in full is never among them.
    #[test]
    fn a_majority_names_the_others_with_their_class() {
        let p: &[(&str, Level, Status)] = &[("a", Law, Partial)];
        let f: &[(&str, Level, Status)] = &[("a", Law, Full)];
        let n: &[(&str, Level, Status)] = &[("a", Law, None)];
        let m = matrix(&[
            Some(n),
            Some(p),
            Some(p),
            Some(f),
            Some(p),
            Some(p),
            Some(p),
            Some(p),
            Some(&[]),
            Option::None,
        ]);
        let s = Statement::count(&m, Law, vec!["a".into()], "A".into(), Class::Provided);
        assert_eq!(s.n, 7);
        assert_eq!(s.quantifier, Quantifier::MostButNotAll);
        assert_eq!(
            s.text,
            "A (7 of 10; in full: XD; not provided: XA; no public information: XI and XJ)"
        );
        assert_eq!(
            s.clone().brief().text,
            "A (7 of 10; not provided: XA; no public information: XI and XJ)"
        );
        let one = matrix(&[Some(f), Some(n), Some(&[])]);
        let s = Statement::count(&one, Law, vec!["a".into()], "A".into(), Class::Provided);
        assert_eq!(s.text, "A (1 of 3: XA, in full)");
    }
}
