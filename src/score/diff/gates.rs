//! The CI gates of `check` (pure): finding codes, thresholds ([`Gates`]), accepted
//! regressions, and [`evaluate`], which turns scored profiles, their diagnostics and an
//! optional baseline into a [`CheckReport`].

use super::*;

macro_rules! finding_codes {
    ($( $variant:ident = $code:literal, $desc:literal; )*) => {
        /// The stable code of a `check` finding (beside the diagnostic codes of `diag::Code`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FindingCode {
            $( #[doc = $desc] $variant, )*
        }

        impl FindingCode {
            /// Every code, in documentation order.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant),*];

            /// The code as written in output.
            pub fn as_str(self) -> &'static str {
                match self { $( FindingCode::$variant => $code, )* }
            }

            /// A one-line description of what the code means.
            pub fn description(self) -> &'static str {
                match self { $( FindingCode::$variant => $desc, )* }
            }
        }
    };
}

finding_codes! {
    ScoreBelowThreshold = "score-below-threshold", "An overall, level, principle or assistance-type score is under its --fail-under threshold.";
    CoverageBelowThreshold = "coverage-below-threshold", "A profile's coverage (the share of cell weight not `unknown`) is under its --fail-under threshold.";
    ScoreRegression = "score-regression", "An overall or level score dropped since the baseline.";
    CoverageRegression = "coverage-regression", "A profile's coverage fell since the baseline (with --no-coverage-drop).";
    StatusRegression = "status-regression", "A cell's status earns fewer points than in the baseline.";
    NewGap = "new-gap", "A cell earning less than full points that was not a gap in the baseline (and whose status did not get worse).";
    ProfileRemoved = "profile-removed", "A country scored in the baseline has no valid profile now.";
    StaleEvidence = "stale-evidence", "A cell whose newest cited source is more than --max-evidence-age years older than the profile's as_of.";
    SourceWithoutUrl = "source-without-url", "A source with neither a `url` nor a `note` saying where it can be found (with --require-url).";
}

impl Serialize for FindingCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A gate failure, a regression or a data-quality finding of `check`. Those in
/// `CheckReport::findings` fail the check; `CheckReport::accepted` and
/// `CheckReport::reported` hold the ones that do not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The stable code.
    pub code: FindingCode,
    /// Country code.
    pub country: String,
    /// Level concerned (None for the overall score or the whole profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Criterion concerned (None for scores).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The profile file (as the user named it; in the baseline for a removed profile).
    pub file: PathBuf,
    /// Where in the file (0:0 when the whole file is concerned).
    #[serde(flatten)]
    pub loc: Loc,
}

/// The thresholds `check` applies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Gates {
    /// Lowest overall score accepted (percent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overall: Option<f64>,
    /// Lowest level scores accepted (percent).
    pub levels: BTreeMap<Level, f64>,
    /// Lowest coverage accepted (percent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<f64>,
    /// Lowest principle scores accepted, by principle id (percent).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub principles: BTreeMap<String, f64>,
    /// Lowest assistance-type scores accepted, by type id (percent).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub assistance_types: BTreeMap<String, f64>,
    /// With a baseline: a profile's coverage may not fall.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_coverage_drop: bool,
    /// The evidence rules (stale cells, sources without a URL).
    #[serde(skip_serializing_if = "is_default")]
    pub evidence: EvidenceRules,
    /// Diagnostics of this severity or worse fail the check.
    pub fail_on: Severity,
}

pub(super) fn is_default(e: &EvidenceRules) -> bool {
    *e == EvidenceRules::default()
}

impl Default for Gates {
    fn default() -> Self {
        Gates {
            overall: None,
            levels: BTreeMap::new(),
            coverage: None,
            principles: BTreeMap::new(),
            assistance_types: BTreeMap::new(),
            no_coverage_drop: false,
            evidence: EvidenceRules::default(),
            fail_on: Severity::Error,
        }
    }
}

/// One checked country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CountryCheck {
    /// The country.
    pub country: Country,
    /// The profile file.
    pub file: PathBuf,
    /// The rubric it was scored with.
    pub rubric: RubricRef,
    /// Overall score.
    pub overall: Option<Pct>,
    /// Level scores.
    pub levels: super::LevelScores,
    /// Coverage.
    pub coverage: Pct,
    /// Number of gaps.
    pub gaps: usize,
    /// Whether no failing finding and no failing diagnostic concerns this country's profile.
    pub passed: bool,
    /// Every cell, in rubric order (not in JSON: the scorecard has them).
    #[serde(skip)]
    pub cells: CellStatuses,
}

/// A profile file that does not validate: it has no scores, and fails the check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct InvalidProfile {
    /// The file.
    pub file: PathBuf,
    /// Its errors.
    pub errors: usize,
}

/// A finding that an `[[accept]]` entry of the config accepts: reported with its reason,
/// not failing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct AcceptedFinding {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// Why it is accepted (the entry's reason, or the cells it follows from).
    pub reason: String,
    /// The last day the entry applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The entry, as `file:line:column`.
    pub accepted_by: String,
}

/// The baseline comparison of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BaselineSummary {
    /// What the baseline was (a directory or a git revision, as given).
    pub source: String,
    /// Gap counts.
    pub gaps: GapCounts,
    /// Countries new since the baseline: their codes, after `folder/` for a profile below
    /// the path given.
    pub added: Vec<String>,
    /// Countries gone since the baseline, shown as in `added`.
    pub removed: Vec<String>,
    /// Cells whose status got worse.
    pub worse_cells: usize,
    /// Cells whose status got better.
    pub better_cells: usize,
}

/// The result of `frameaudit check`: the JSON contract of `check --format json`, and the
/// one model every CI format renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CheckReport {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// Whether every gate passed.
    pub passed: bool,
    /// The gates applied.
    pub gates: Gates,
    /// The config file read, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<PathBuf>,
    /// Files examined.
    pub files: usize,
    /// Diagnostic counts.
    pub tally: Tally,
    /// Diagnostics that fail the check under `fail_on`.
    pub failing_diagnostics: usize,
    /// The checked countries, by file.
    pub countries: Vec<CountryCheck>,
    /// Profiles that do not validate (no scores; each fails the check).
    pub invalid: Vec<InvalidProfile>,
    /// The baseline comparison, when one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineSummary>,
    /// Gate failures and regressions: each fails the check.
    pub findings: Vec<Finding>,
    /// Regressions accepted by the config's `[[accept]]` entries, with their reasons: they
    /// do not fail the check.
    pub accepted: Vec<AcceptedFinding>,
    /// Data-quality findings reported without failing (stale evidence, sources without a
    /// URL, unless the evidence rules say `fail`).
    pub reported: Vec<Finding>,
    /// Every diagnostic of the run.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read as input (never written to).
    #[serde(skip)]
    pub inputs: Vec<PathBuf>,
}

impl CheckReport {
    /// Whether `d` fails the check under the gates.
    pub(crate) fn fails(&self, d: &Diagnostic) -> bool {
        fails_on(d.severity, self.gates.fail_on)
    }
}

/// Whether a diagnostic of `severity` fails a check run with `--fail-on threshold`.
pub(crate) fn fails_on(severity: Severity, threshold: Severity) -> bool {
    match threshold {
        Severity::Warning => true,
        Severity::Error => severity == Severity::Error,
    }
}

/// The baseline side of a check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Baseline<'a> {
    /// What it was, as given.
    pub source: &'a str,
    /// Its scored profiles.
    pub scored: &'a [Scored],
}

/// The accepted regressions of a check and the day it runs (entries past their `until`
/// no longer apply).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Accepts<'a> {
    /// The `[[accept]]` entries.
    pub entries: &'a [Accept],
    /// Today.
    pub today: Date,
}

impl Default for Accepts<'_> {
    fn default() -> Self {
        Accepts {
            entries: &[],
            today: Date {
                year: 1970,
                month: 1,
                day: 1,
            },
        }
    }
}

pub(super) fn pct_text(p: f64) -> String {
    format!("{:.1}", (p * 10.0).round() / 10.0)
}

/// Evaluates a check: thresholds and evidence rules over `current`, regressions against
/// `baseline` (less those the `accepts` entries accept), and whether the diagnostics fail
/// under `gates.fail_on`. Profiles are paired with the baseline by country code; each
/// pair's scorecards are recomputed, compared and dropped in turn, so memory stays that of
/// the compact [`Scored`] records. Unused and expired `[[accept]]` entries add warnings.
pub(crate) fn evaluate(
    current: Vec<Scored>,
    baseline: Option<Baseline<'_>>,
    mut diagnostics: Vec<Diagnostic>,
    files: usize,
    gates: Gates,
    accepts: Accepts<'_>,
) -> CheckReport {
    let mut findings = Vec::new();
    let mut quality = Vec::new();
    for s in &current {
        score_findings(s, &gates, &mut findings);
        evidence_findings(s, &gates.evidence, &mut quality);
    }
    let reported = if gates.evidence.fail {
        findings.append(&mut quality);
        Vec::new()
    } else {
        quality
    };

    let mut accepted = Vec::new();
    let summary = baseline.map(|b| {
        let mut used = vec![false; accepts.entries.len()];
        let summary = regressions(
            &current,
            b,
            &gates,
            accepts,
            &mut used,
            &mut findings,
            &mut accepted,
        );
        for (a, used) in accepts.entries.iter().zip(used) {
            if a.expired(accepts.today) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ExpiredAccept,
                        &a.file,
                        a.loc,
                        format!(
                            "the accepted regression of {} `{}` {} expired on {}; it no longer applies",
                            a.country,
                            a.criterion,
                            a.level,
                            a.until.map(|d| d.to_string()).unwrap_or_default()
                        ),
                    )
                    .help("fix the cell, or renew the entry with a later `until` and a reason that still holds"),
                );
            } else if !used {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnusedAccept,
                        &a.file,
                        a.loc,
                        format!(
                            "the accepted regression of {} `{}` {} matches no regression",
                            a.country, a.criterion, a.level
                        ),
                    )
                    .help("remove the entry, or check its country, criterion and level"),
                );
            }
        }
        summary
    });
    crate::diag::sort(&mut diagnostics);

    let tally = Tally::of(&diagnostics);
    let failing_diagnostics = diagnostics
        .iter()
        .filter(|d| fails_on(d.severity, gates.fail_on))
        .count();
    let failed: BTreeSet<&str> = findings.iter().map(|f| f.country.as_str()).collect();
    let failing_files: BTreeSet<&PathBuf> = diagnostics
        .iter()
        .filter(|d| fails_on(d.severity, gates.fail_on))
        .map(|d| &d.file)
        .collect();
    let countries = current
        .into_iter()
        .map(|s| CountryCheck {
            passed: !failed.contains(s.country.code.as_str()) && !failing_files.contains(&s.file),
            file: s.file.clone(),
            rubric: RubricRef::of(&s.rubric),
            overall: s.overall,
            levels: s.levels,
            coverage: s.coverage,
            gaps: s.gaps,
            country: s.country.clone(),
            cells: s.into_cells(),
        })
        .collect();
    CheckReport {
        schema_version: SCHEMA_VERSION,
        passed: findings.is_empty() && failing_diagnostics == 0,
        gates,
        config: None,
        files,
        tally,
        failing_diagnostics,
        countries,
        invalid: Vec::new(),
        baseline: summary,
        findings,
        accepted,
        reported,
        diagnostics,
        inputs: Vec::new(),
    }
}

/// The score and coverage thresholds `s` falls under.
fn score_findings(s: &Scored, gates: &Gates, out: &mut Vec<Finding>) {
    let code = &s.country.code;
    let at = |level: Option<Level>, f: FindingCode, m: String| Finding {
        code: f,
        country: code.clone(),
        level,
        criterion: None,
        message: m,
        file: s.file.clone(),
        loc: s.country_loc,
    };
    if let (Some(min), Some(score)) = (gates.overall, s.overall)
        && score.rounded() < min
    {
        out.push(at(
            None,
            FindingCode::ScoreBelowThreshold,
            format!(
                "{code} overall score {score} is under the threshold {}",
                pct_text(min)
            ),
        ));
    }
    for (&level, &min) in &gates.levels {
        if let Some(score) = s.levels.get(level)
            && score.rounded() < min
        {
            out.push(at(
                Some(level),
                FindingCode::ScoreBelowThreshold,
                format!(
                    "{code} {level} score {score} is under the threshold {}",
                    pct_text(min)
                ),
            ));
        }
    }
    let groups = if gates.principles.is_empty() && gates.assistance_types.is_empty() {
        Default::default()
    } else {
        s.group_scores()
    };
    for (what, gates, scores) in [
        ("principle", &gates.principles, &groups.0),
        ("assistance type", &gates.assistance_types, &groups.1),
    ] {
        for (id, &min) in gates {
            if let Some(score) = scores.get(id)
                && score.rounded() < min
            {
                out.push(at(
                    None,
                    FindingCode::ScoreBelowThreshold,
                    format!(
                        "{code} {what} `{id}` score {score} is under the threshold {}",
                        pct_text(min)
                    ),
                ));
            }
        }
    }
    if let Some(min) = gates.coverage
        && s.coverage.rounded() < min
    {
        out.push(at(
            None,
            FindingCode::CoverageBelowThreshold,
            format!(
                "{code} coverage {} is under the threshold {}",
                s.coverage,
                pct_text(min)
            ),
        ));
    }
}

/// The evidence rules `s` breaks: cells whose newest source is too old, sources without a URL.
fn evidence_findings(s: &Scored, rules: &EvidenceRules, out: &mut Vec<Finding>) {
    let code = &s.country.code;
    if let Some(max) = rules.max_age {
        for (i, (criterion, level)) in rubric_cells(&s.rubric).enumerate() {
            let Some(year) = s.newest.get(i).copied().flatten() else {
                continue;
            };
            let age = s.as_of.year - year;
            if age > i32::try_from(max).unwrap_or(i32::MAX) {
                out.push(Finding {
                    code: FindingCode::StaleEvidence,
                    country: code.clone(),
                    level: Some(level),
                    criterion: Some(criterion.to_string()),
                    message: format!(
                        "{code} `{criterion}` {level}: the newest source cited is from {year}, {age} years before as_of {} (more than {max})",
                        s.as_of
                    ),
                    file: s.file.clone(),
                    loc: s.locs.get(i).copied().unwrap_or(s.country_loc),
                });
            }
        }
    }
    if rules.require_url {
        for (id, loc) in &s.unsourced {
            out.push(Finding {
                code: FindingCode::SourceWithoutUrl,
                country: code.clone(),
                level: None,
                criterion: None,
                message: format!(
                    "{code} source `{id}` has neither a url nor a note saying where it can be found"
                ),
                file: s.file.clone(),
                loc: *loc,
            });
        }
    }
}

/// A (folder, code) pairing key as shown in lists: the code, after its folder when it has one.
pub(super) fn shown_key((folder, code): &(String, String)) -> String {
    if folder.is_empty() {
        code.clone()
    } else {
        format!("{folder}/{code}")
    }
}

/// The regressions of `current` against the baseline `b`, pushed onto `findings` (what
/// [`diff`] would find, one country at a time) or, when an `[[accept]]` entry accepts them,
/// onto `accepted`; and the summary of the comparison. A score or coverage drop that the
/// accepted cells alone explain is accepted with them.
pub(super) fn regressions(
    current: &[Scored],
    b: Baseline<'_>,
    gates: &Gates,
    accepts: Accepts<'_>,
    used: &mut [bool],
    findings: &mut Vec<Finding>,
    accepted: &mut Vec<AcceptedFinding>,
) -> BaselineSummary {
    let (old_ix, new_ix) = (pairing(b.scored), pairing(current));
    let mut gaps = GapCounts::default();
    let (mut worse, mut better) = (0, 0);
    let mut added = Vec::new();
    for (key, &i) in &new_ix {
        let Some(&j) = old_ix.get(key) else {
            added.push(shown_key(key));
            continue;
        };
        let code = &key.1;
        let s = &current[i];
        let old = &b.scored[j];
        let old_card = old.scorecard();
        let cd = diff_country(&old_card, &s.scorecard());
        gaps.new += cd.gaps_added.len();
        gaps.fixed += cd.gaps_removed.len();
        gaps.persisting += cd.gaps_persisting;
        let mk = |level: Option<Level>, criterion: Option<&str>, f: FindingCode, m: String| {
            finding_at(s, level, criterion, f, m)
        };
        let entry = |criterion: &str, level: Level| accepting(&accepts, code, criterion, level);
        let mut reverted: BTreeMap<(String, Level), Status> = BTreeMap::new();
        let mut reverted_names: Vec<String> = Vec::new();
        let mut cell_findings: Vec<(Finding, Option<usize>)> = Vec::new();
        let rubric_note = if cd.comparable {
            String::new()
        } else {
            format!(
                " (rubric changed: {} {} → {} {})",
                cd.old_rubric.id, cd.old_rubric.version, cd.new_rubric.id, cd.new_rubric.version
            )
        };
        let mut regressed = BTreeSet::new();
        for c in &cd.cells {
            match c.direction {
                Direction::Worse => {
                    worse += 1;
                    regressed.insert((c.criterion.as_str(), c.level));
                    let f = mk(
                        Some(c.level),
                        Some(&c.criterion),
                        FindingCode::StatusRegression,
                        format!(
                            "{code} `{}` {} got worse: {} → {}{}",
                            c.criterion,
                            c.level,
                            c.old,
                            c.new,
                            c.effect
                                .map(|e| format!(
                                    " ({} points on the {} score)",
                                    signed(e),
                                    c.level
                                ))
                                .unwrap_or_default()
                        ),
                    );
                    cell_findings.push((f, entry(&c.criterion, c.level)));
                }
                Direction::Better => better += 1,
                Direction::Neutral => {}
            }
        }
        for g in &cd.gaps_added {
            if regressed.contains(&(g.criterion.as_str(), g.level)) {
                continue;
            }
            let f = mk(
                Some(g.level),
                Some(&g.criterion),
                FindingCode::NewGap,
                format!(
                    "{code} `{}` {} is a new gap ({})",
                    g.criterion, g.level, g.status
                ),
            );
            cell_findings.push((f, entry(&g.criterion, g.level)));
        }
        for (mut f, k) in cell_findings {
            let Some(k) = k else {
                findings.push(f);
                continue;
            };
            let a = &accepts.entries[k];
            used[k] = true;
            let shown = crate::diag::position(&a.file, a.loc);
            if a.expired(accepts.today) {
                f.message.push_str(&format!(
                    " (the accepted regression at {shown} expired on {})",
                    a.until.map(|d| d.to_string()).unwrap_or_default()
                ));
                findings.push(f);
                continue;
            }
            if let (Some(l), Some(c)) = (f.level, f.criterion.clone()) {
                reverted.insert((c.clone(), l), old.status(&c, l));
                reverted_names.push(format!("`{c}` {l}"));
            }
            accepted.push(AcceptedFinding {
                finding: f,
                reason: a.reason.clone(),
                until: a.until,
                accepted_by: shown,
            });
        }
        // Score and coverage drops: accepted when the accepted cells alone explain them.
        let without = (!reverted.is_empty()).then(|| s.scorecard_with(&reverted));
        let follows = |dropped_without: bool| !reverted.is_empty() && !dropped_without;
        let because = format!(
            "follows from the accepted regression{} of {}",
            if reverted_names.len() == 1 { "" } else { "s" },
            reverted_names.join(" and ")
        );
        let score_findings =
            score_drops(&cd, s, old, gates, without.as_ref(), &follows, &rubric_note);
        for (f, is_accepted) in score_findings {
            if is_accepted {
                accepted.push(AcceptedFinding {
                    finding: f,
                    reason: because.clone(),
                    until: None,
                    accepted_by: "the accepted regressions above".to_string(),
                });
            } else {
                findings.push(f);
            }
        }
    }
    let removed = removed_profiles(&old_ix, &new_ix, b.scored, findings);
    BaselineSummary {
        source: b.source.to_string(),
        gaps,
        added,
        removed,
        worse_cells: worse,
        better_cells: better,
    }
}

/// The profiles of the baseline with no valid profile now: one finding each; their keys.
fn removed_profiles(
    old_ix: &BTreeMap<(String, String), usize>,
    new_ix: &BTreeMap<(String, String), usize>,
    old_scored: &[Scored],
    findings: &mut Vec<Finding>,
) -> Vec<String> {
    let mut removed = Vec::new();
    for (key, &j) in old_ix {
        if new_ix.contains_key(key) {
            continue;
        }
        let code = &key.1;
        let old = &old_scored[j];
        removed.push(shown_key(key));
        findings.push(Finding {
            code: FindingCode::ProfileRemoved,
            country: code.clone(),
            level: None,
            criterion: None,
            message: format!(
                "{} ({}) was scored in the baseline but has no valid profile now",
                code, old.country.name
            ),
            file: old.file.clone(),
            loc: old.country_loc,
        });
    }
    removed
}

/// The finding of a check at a cell (level and criterion) of `s`, or at its country.
fn finding_at(
    s: &Scored,
    level: Option<Level>,
    criterion: Option<&str>,
    f: FindingCode,
    m: String,
) -> Finding {
    let loc = match (level, criterion) {
        (Some(l), Some(c)) => s.loc(c, l),
        _ => s.country_loc,
    };
    Finding {
        code: f,
        country: s.country.code.clone(),
        level,
        criterion: criterion.map(str::to_string),
        message: m,
        file: s.file.clone(),
        loc,
    }
}

/// The `[[accept]]` entry accepting a cell of country `code`, if any: an active one first.
fn accepting(accepts: &Accepts<'_>, code: &str, criterion: &str, level: Level) -> Option<usize> {
    let matching = |a: &&Accept| {
        a.country.eq_ignore_ascii_case(code) && a.criterion == criterion && a.level == level
    };
    let all: Vec<usize> = accepts
        .entries
        .iter()
        .enumerate()
        .filter(|(_, a)| matching(a))
        .map(|(k, _)| k)
        .collect();
    all.iter()
        .copied()
        .find(|&k| !accepts.entries[k].expired(accepts.today))
        .or(all.first().copied())
}

/// The overall, level and (with `no_coverage_drop`) coverage drops of one country, each with
/// whether the accepted cells alone explain it (`without`: the scorecard with them reverted).
#[allow(clippy::too_many_arguments)]
fn score_drops(
    cd: &CountryDiff,
    s: &Scored,
    old: &Scored,
    gates: &Gates,
    without: Option<&Scorecard>,
    follows: &dyn Fn(bool) -> bool,
    rubric_note: &str,
) -> Vec<(Finding, bool)> {
    let code = &s.country.code;
    let mut score_findings: Vec<(Finding, bool)> = Vec::new();
    if cd.overall.dropped() {
        let still = without
            .as_ref()
            .is_none_or(|w| Delta::of(cd.overall.old, w.score.overall).dropped());
        score_findings.push((
            finding_at(
                s,
                None,
                None,
                FindingCode::ScoreRegression,
                format!(
                    "{code} overall score dropped from {} to {}{rubric_note}",
                    fmt_opt(cd.overall.old),
                    fmt_opt(cd.overall.new)
                ),
            ),
            follows(still),
        ));
    }
    for level in Level::ALL {
        let ld = cd.levels.get(level);
        if ld.dropped() {
            let still = without
                .as_ref()
                .is_none_or(|w| Delta::of(ld.old, w.score.levels.get(level)).dropped());
            score_findings.push((
                finding_at(
                    s,
                    Some(level),
                    None,
                    FindingCode::ScoreRegression,
                    format!(
                        "{code} {level} score dropped from {} to {}{rubric_note}",
                        fmt_opt(ld.old),
                        fmt_opt(ld.new)
                    ),
                ),
                follows(still),
            ));
        }
    }
    if gates.no_coverage_drop {
        let cov = Delta::of(Some(old.coverage), Some(s.coverage));
        if cov.dropped() {
            let still = without
                .as_ref()
                .is_none_or(|w| Delta::of(Some(old.coverage), Some(w.score.coverage)).dropped());
            score_findings.push((
                finding_at(
                    s,
                    None,
                    None,
                    FindingCode::CoverageRegression,
                    format!(
                        "{code} coverage fell from {} to {}",
                        old.coverage, s.coverage
                    ),
                ),
                follows(still),
            ));
        }
    }
    score_findings
}
