//! Loading a whole run: discovered files → rubrics (resolved by id), profiles (checked against
//! their rubric), regions (checked against the profiles beside them), with every diagnostic
//! of every file collected and sorted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::{Limits, profile, read_text, region, rubric};
use crate::diag::{self, Code, Diagnostic};
use crate::discover::{self, FileKind};
use crate::model::{Date, Loc, Profile, Region, Rubric};

/// What a run loads with.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Resource limits per file.
    pub limits: Limits,
    /// Score every profile against this rubric instead of the one it names (`--rubric`).
    pub rubric: Option<PathBuf>,
    /// Directories searched for `<rubric id>.toml`, after the `rubrics/` folders above each
    /// profile.
    pub rubric_dirs: Vec<PathBuf>,
    /// Today's date (dates after it are errors).
    pub today: Date,
}

/// Everything a run loaded, and every problem found.
#[derive(Debug, Default)]
pub struct LoadSet {
    /// Valid profiles, sorted by file path.
    pub profiles: Vec<Profile>,
    /// Valid rubrics, by id.
    pub rubrics: BTreeMap<String, Rubric>,
    /// Valid regions, sorted by file path.
    pub regions: Vec<Region>,
    /// Every diagnostic, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The files examined.
    pub files: Vec<PathBuf>,
    /// The id of the `--rubric` rubric, when one was given and loaded.
    pub override_rubric: Option<String>,
}

/// A value that may have failed to load, with its diagnostics.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The value, when there was no error.
    pub value: Option<T>,
    /// The problems found.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadSet {
    /// The rubric a profile is scored against (the `--rubric` one, or the one it names).
    pub fn rubric_for(&self, profile: &Profile) -> Option<&Rubric> {
        self.rubrics
            .get(self.override_rubric.as_ref().unwrap_or(&profile.rubric))
    }

    /// Whether any error was found.
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads `paths` (files or directories).
pub fn load_set(paths: &[PathBuf], opts: &LoadOptions) -> LoadSet {
    load_set_with_progress(paths, opts, &|_, _| {})
}

/// Loads `paths`, calling `progress(done, total)` from worker threads as each profile is
/// checked; the library itself never prints progress.
pub(crate) fn load_set_with_progress(
    paths: &[PathBuf],
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> LoadSet {
    let (mut set, kept) = load_set_map(paths, opts, progress, &|p, _| p);
    set.profiles = kept;
    set
}

/// Loads `paths` like `load_set_with_progress`, but hands each valid profile, with the
/// rubric it is scored against (the `--rubric` one, else the one it was checked against;
/// shared, not copied, between profiles), to `keep` on the worker thread that checked it, and returns what `keep` made of them, sorted
/// by profile path; `set.profiles` is left empty. A run that needs only scorecards thus
/// never holds every profile at once.
pub fn load_set_map<T: Send>(
    paths: &[PathBuf],
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
    keep: &(dyn Fn(Profile, Option<&Arc<Rubric>>) -> T + Sync),
) -> (LoadSet, Vec<T>) {
    let mut kept = Vec::new();
    let set = load_set_each(paths, opts, progress, keep, &mut |t| kept.push(t));
    (set, kept)
}

/// How many profiles are checked in parallel before what was kept of them is handed on in
/// order: enough to keep every core busy, few enough that a run streaming large outputs
/// holds only this many rendered reports at once.
const CHUNK: usize = 128;

/// Loads `paths` like [`load_set_map`], but hands what `keep` made of each valid profile to
/// `consume` as soon as its chunk of [`CHUNK`] profiles is checked, in profile-path order (the
/// order of [`load_set_map`]'s result), instead of collecting them: a run can write each
/// result out and hold only one chunk at a time. `consume` runs on the calling thread.
pub(crate) fn load_set_each<T: Send>(
    paths: &[PathBuf],
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
    keep: &(dyn Fn(Profile, Option<&Arc<Rubric>>) -> T + Sync),
    consume: &mut dyn FnMut(T),
) -> LoadSet {
    let mut set = LoadSet::default();
    let mut diags = Vec::new();
    let found = discover::discover(paths, &mut diags);
    let limits = &opts.limits;

    let mut cache = RubricCache::default();
    let explicit = opts.rubric.as_ref().map(|p| {
        let r = cache.load(p, limits, &mut diags);
        (p.clone(), r)
    });

    // Rubric files named among the inputs.
    for f in found.iter().filter(|f| f.kind == FileKind::Rubric) {
        set.files.push(f.path.clone());
        cache.load(&f.path, limits, &mut diags);
    }

    // Profiles: read, parse, resolve the rubric and check each file in parallel, dropping
    // the raw struct as soon as it is checked (memory stays bounded by the validated
    // profiles). Each chunk's results are taken in input order (discover sorts by path),
    // so the output is that of a sequential run.
    let profiles: Vec<&discover::Found> = found
        .iter()
        .filter(|f| f.kind == FileKind::Profile)
        .collect();
    debug_assert!(profiles.windows(2).all(|w| w[0].path <= w[1].path));
    let shared = Mutex::new((cache, std::mem::take(&mut diags)));
    let done = AtomicUsize::new(0);
    let mut by_code: BTreeMap<(PathBuf, String), PathBuf> = BTreeMap::new();
    // (path, country code, where it is written) of each valid profile, for the region
    // checks.
    let mut valid: Vec<(PathBuf, String, Loc)> = Vec::new();
    let mut checked_diags = Vec::new();
    for chunk in profiles.chunks(CHUNK) {
        let checked: Vec<Checked<T>> = chunk
            .par_iter()
            .map(|f| {
                let c = load_profile(&f.path, opts, explicit.as_ref(), &shared, keep);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, profiles.len());
                c
            })
            .collect();
        for c in checked {
            take_checked(
                c,
                &mut set,
                &mut by_code,
                &mut valid,
                &mut checked_diags,
                consume,
            );
        }
    }
    let (cache, shared_diags) = shared.into_inner().unwrap_or_else(PoisonError::into_inner);
    diags = shared_diags;
    diags.extend(checked_diags);

    // Regions, checked against the profiles in their folder.
    for f in found.iter().filter(|f| f.kind == FileKind::Region) {
        set.files.push(f.path.clone());
        let text = match read_text(&f.path, limits) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let Some(r) = region::load(&text, &f.path, limits, &mut diags) else {
            continue;
        };
        let dir = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let members: BTreeSet<&str> = r.members.iter().map(|m| m.code.as_str()).collect();
        let mut present = BTreeSet::new();
        for (path, code, code_loc) in valid
            .iter()
            .filter(|(path, _, _)| path.parent() == Some(dir.as_path()))
        {
            present.insert(code.clone());
            if !members.contains(code.as_str()) {
                diags.push(
                    Diagnostic::new(
                        Code::NotAMember,
                        path,
                        *code_loc,
                        format!("`{code}` is not a member of region `{}`", r.id),
                    )
                    .expected(format!(
                        "one of the members listed in {}",
                        diag::display_path(&r.path)
                    ))
                    .help("`compare` leaves it out; add the country to region.yaml with the date it joined, or move the profile to another folder"),
                );
            }
        }
        // Members whose profile failed to load are not "missing": they have their own errors.
        let attempted: BTreeSet<String> = by_code
            .keys()
            .filter(|(d, _)| *d == dir)
            .map(|(_, c)| c.clone())
            .collect();
        for m in &r.members {
            if !present.contains(&m.code) && !attempted.contains(&m.code) {
                diags.push(
                    Diagnostic::new(
                        Code::MissingProfile,
                        &r.path,
                        r.member_locs.get(&m.code).copied().unwrap_or_default(),
                        format!("member `{}` ({}) has no profile", m.code, m.name),
                    )
                    .expected(format!(
                        "a file `{}.yaml` beside region.yaml",
                        m.code.to_lowercase()
                    ))
                    .help(format!("run `frameaudit init {}` to scaffold one", m.code)),
                );
            }
        }
        set.regions.push(r);
    }

    set.rubrics = cache.into_valid();
    if let Some((_, Some(r))) = explicit {
        set.override_rubric = Some(r.id.clone());
        set.rubrics.insert(r.id.clone(), Arc::unwrap_or_clone(r));
    }
    set.files.sort();
    set.files.dedup();
    diag::sort(&mut diags);
    diags.dedup();
    set.diagnostics = diags;
    set
}

/// Takes one checked profile, in input order: records its file and problems, reports a
/// second profile for the same country in the same folder, and hands what was kept of a
/// valid profile to `consume`.
fn take_checked<T>(
    c: Checked<T>,
    set: &mut LoadSet,
    by_code: &mut BTreeMap<(PathBuf, String), PathBuf>,
    valid: &mut Vec<(PathBuf, String, Loc)>,
    diags: &mut Vec<Diagnostic>,
    consume: &mut dyn FnMut(T),
) {
    set.files.push(c.path.clone());
    diags.extend(c.resolve);
    if let Some((code, code_loc)) = c.code.clone() {
        let dir = c.path.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(first) = by_code.get(&(dir.clone(), code.clone())) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    &c.path,
                    code_loc,
                    format!("a second profile for `{code}` in the same folder"),
                )
                .help(format!(
                    "the first is {}; keep one profile per country",
                    diag::display_path(first)
                )),
            );
        } else {
            by_code.insert((dir, code), c.path.clone());
        }
    }
    diags.extend(c.check);
    if let (Some((code, code_loc)), Some(t)) = (c.code, c.kept) {
        valid.push((c.path, code, code_loc));
        consume(t);
    }
}

/// One profile after the parallel phase.
struct Checked<T> {
    path: PathBuf,
    /// The country code as written and where, when the file parsed (for the duplicate
    /// check).
    code: Option<(String, Loc)>,
    /// Problems resolving the rubric (reported before the duplicate check, as before).
    resolve: Vec<Diagnostic>,
    /// Problems reading, parsing or checking the profile.
    check: Vec<Diagnostic>,
    /// What `keep` made of the valid profile.
    kept: Option<T>,
}

type SharedCache = Mutex<(RubricCache, Vec<Diagnostic>)>;

/// Reads, parses and checks one profile against its rubric; rubric files are loaded once,
/// through the shared cache, and their problems go to the cache's list.
fn load_profile<T>(
    path: &Path,
    opts: &LoadOptions,
    explicit: Option<&(PathBuf, Option<Arc<Rubric>>)>,
    shared: &SharedCache,
    keep: &(dyn Fn(Profile, Option<&Arc<Rubric>>) -> T + Sync),
) -> Checked<T> {
    let limits = &opts.limits;
    let mut out = Checked {
        path: path.to_path_buf(),
        code: None,
        resolve: Vec::new(),
        check: Vec::new(),
        kept: None,
    };
    let text = match read_text(path, limits) {
        Ok(t) => t,
        Err(d) => {
            out.check.push(d);
            return out;
        }
    };
    let cached = |rp: &Path| {
        let mut guard = shared.lock().unwrap_or_else(PoisonError::into_inner);
        let (cache, diags) = &mut *guard;
        cache.load(rp, limits, diags)
    };
    let find = |id: &str| {
        let mut guard = shared.lock().unwrap_or_else(PoisonError::into_inner);
        guard.0.find(id, path, opts)
    };
    let scored_against = |rubric: &Option<Arc<Rubric>>| match explicit {
        Some((_, Some(r))) => Some(Arc::clone(r)),
        _ => rubric.clone(),
    };
    // The quick path: most locations are skipped, and its result is used only when the
    // profile resolves and checks without any diagnostic (each would need its location).
    // Anything else is read again, located, below, and reports exactly what it would have.
    if let Some(raw) = profile::parse_quick(&text, limits) {
        let mut diags = Vec::new();
        let rubric = resolve_rubric(&raw, path, explicit, &find, &cached, &mut diags);
        if diags.is_empty() {
            let code = (raw.country_code().to_string(), raw.country_code_loc());
            let valid = profile::check(raw, path, rubric.as_deref(), opts.today, &mut diags);
            if let (Some(p), true) = (valid, diags.is_empty()) {
                out.code = Some(code);
                out.kept = Some(keep(p, scored_against(&rubric).as_ref()));
                return out;
            }
        }
    }
    // A profile whose shape check failed is still checked as far as it could be read
    // (`salvaged`), for its other problems; it is never kept.
    let (raw, shape) = match profile::parse_salvaged(&text, path, limits) {
        Ok(raw) => (raw, None),
        Err((ds, Some(raw))) => (*raw, Some(ds)),
        Err((ds, None)) => {
            out.check.extend(ds);
            return out;
        }
    };
    let rubric = resolve_rubric(&raw, path, explicit, &find, &cached, &mut out.resolve);
    if let Some(shape) = shape {
        // Only the errors of the rest: warnings such as an unused source may come from
        // what was cut out.
        let mut rest = Vec::new();
        let _ = profile::check(raw, path, rubric.as_deref(), opts.today, &mut rest);
        out.check.extend(shape);
        out.check
            .extend(rest.into_iter().filter(Diagnostic::is_error));
        return out;
    }
    out.code = Some((raw.country_code().to_string(), raw.country_code_loc()));
    let valid = profile::check(raw, path, rubric.as_deref(), opts.today, &mut out.check);
    out.kept = valid.map(|p| keep(p, scored_against(&rubric).as_ref()));
    out
}

/// The rubric `raw` is checked against: the `--rubric` one (when it is or extends the one
/// the profile names), else the one it names, found above the profile or in the rubric
/// dirs (`find`, see [`find_rubric`]) and loaded through `cached`. Problems resolving it go
/// to `diags`.
fn resolve_rubric(
    raw: &profile::RawProfile,
    path: &Path,
    explicit: Option<&(PathBuf, Option<Arc<Rubric>>)>,
    find: &dyn Fn(&str) -> Option<PathBuf>,
    cached: &dyn Fn(&Path) -> Option<Arc<Rubric>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<Rubric>> {
    let (named, named_loc) = raw.rubric();
    let named = named.to_string();
    match explicit {
        Some((rpath, r)) => {
            let r = r.clone();
            if let Some(r) = &r
                && !r.accepts(&named)
            {
                diags.push(
                    Diagnostic::new(
                        Code::RubricMismatch,
                        path,
                        named_loc,
                        format!(
                            "profile answers rubric `{named}`, but is scored against `{}` ({}), which neither is nor extends it",
                            r.id,
                            diag::display_path(rpath)
                        ),
                    )
                    .expected(format!("a rubric with id `{named}` or one that extends it"))
                    .help(format!("drop --rubric, or pass a rubric whose `[extends]` names `{named}`")),
                );
                None
            } else if r.as_ref().is_some_and(|r| r.id != named) {
                // Scored against an extension: the profile is checked against the rubric
                // it names, so assessments of criteria the extension leaves out are
                // accepted (and ignored by scoring).
                find(&named).and_then(|rp| cached(&rp)).or(r)
            } else {
                r
            }
        }
        None => {
            match find(&named) {
                Some(rp) => cached(&rp),
                None => {
                    diags.push(
                    Diagnostic::new(
                        Code::RubricNotFound,
                        path,
                        named_loc,
                        format!("rubric `{named}` not found"),
                    )
                    .expected(format!("a file `rubrics/{named}.toml` above the profile or in the bundled rubrics"))
                    .help("check the rubric id, or pass the rubric file with --rubric"),
                );
                    None
                }
            }
        }
    }
}

/// Finds `<id>.toml`: in a `rubrics/` folder above the profile, then in the given dirs.
fn find_rubric(id: &str, profile: &Path, opts: &LoadOptions) -> Option<PathBuf> {
    if !super::is_valid_id(id) {
        return None;
    }
    let name = format!("{id}.toml");
    let mut dirs: Vec<PathBuf> = Vec::new();
    let abs = std::path::absolute(profile).unwrap_or_else(|_| profile.to_path_buf());
    for anc in abs.ancestors().skip(1) {
        dirs.push(anc.join("rubrics"));
    }
    dirs.extend(opts.rubric_dirs.iter().cloned());
    dirs.into_iter()
        .map(|d| d.join(&name))
        .find(|p| p.is_file())
}

/// The rubrics of a run, each loaded once, and where each folder's profiles find theirs.
#[derive(Default)]
struct RubricCache {
    /// By canonical path.
    by_path: BTreeMap<PathBuf, Option<Arc<Rubric>>>,
    /// The canonical path of each path asked for (profiles of one folder ask for the same
    /// path: resolving it once spares a system call per path component per profile).
    canonical: BTreeMap<PathBuf, PathBuf>,
    /// [`find_rubric`]'s answer per (profile folder, rubric id).
    found: BTreeMap<(PathBuf, String), Option<PathBuf>>,
}

impl RubricCache {
    fn load(
        &mut self,
        path: &Path,
        limits: &Limits,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Rubric>> {
        let key = match self.canonical.get(path) {
            Some(k) => k.clone(),
            None => {
                let k = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
                self.canonical.insert(path.to_path_buf(), k.clone());
                k
            }
        };
        if let Some(r) = self.by_path.get(&key) {
            return r.clone();
        }
        let shown = display_rel(path);
        let r = rubric::load(&shown, limits, diags).map(Arc::new);
        self.by_path.insert(key, r.clone());
        r
    }

    /// [`find_rubric`], asked once per profile folder and rubric id.
    fn find(&mut self, id: &str, profile: &Path, opts: &LoadOptions) -> Option<PathBuf> {
        let dir = profile.parent().map(Path::to_path_buf).unwrap_or_default();
        self.found
            .entry((dir, id.to_string()))
            .or_insert_with(|| find_rubric(id, profile, opts))
            .clone()
    }

    fn into_valid(self) -> BTreeMap<String, Rubric> {
        let mut out = BTreeMap::new();
        for r in self.by_path.into_values().flatten() {
            out.entry(r.id.clone())
                .or_insert_with(|| Arc::unwrap_or_clone(r));
        }
        out
    }
}

/// A path relative to the current directory when it lies inside it (for messages).
fn display_rel(path: &Path) -> PathBuf {
    if path.is_relative() {
        return path.to_path_buf();
    }
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
