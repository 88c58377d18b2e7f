//! Access to the data as it is or as it was at a git revision: the one place that runs `git`
//! (and `tar`). `check --baseline REV` and `diff OLD NEW` load a [`Version`] and score it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use crate::diag::{self, Code, Diagnostic};
use crate::load::{LoadOptions, LoadSet};
use crate::score::diff::Scored;

/// Whether a diagnostic means input could not be read at all (exit 2, not a finding).
pub(crate) fn unreadable(d: &Diagnostic) -> bool {
    matches!(d.code, Code::Io | Code::NoInput)
}

/// Loads and scores `paths` in one pass: each profile is scored on the worker that checked
/// it and only a compact [`Scored`] record of it is kept (scores, cell statuses and
/// locations), so memory grows with the number of cells, not with the size of every note
/// (`set.profiles` is left empty). Each record's `folder` is set below the path holding it.
pub(crate) fn load_scored(
    paths: &[PathBuf],
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (LoadSet, Vec<Scored>) {
    let (set, kept) = crate::load::set::load_set_map(paths, opts, progress, &|p, r| {
        r.map(|r| {
            let mut s = Scored::new(&p, Arc::clone(r));
            s.folder = folder_below(&s.file, paths);
            s
        })
    });
    (set, kept.into_iter().flatten().collect())
}

/// One version of the data: paths as they are, or as they were at a git revision
/// (materialised into a temporary directory that lives as long as this value).
#[derive(Debug)]
pub(crate) struct Version {
    /// What the user gave (a path or a revision).
    pub label: String,
    /// The paths to load.
    pub paths: Vec<PathBuf>,
    /// For a revision: (materialised path, the user's path) pairs, to show users their own
    /// paths.
    map: Vec<(PathBuf, PathBuf)>,
    tmp: Option<tempfile::TempDir>,
}

impl Version {
    /// `paths` as they are.
    pub(crate) fn here(label: &str, paths: Vec<PathBuf>) -> Version {
        Version {
            label: label.to_string(),
            paths,
            map: Vec::new(),
            tmp: None,
        }
    }

    /// Whether this is a git revision (materialised into a temporary directory).
    pub(crate) fn is_revision(&self) -> bool {
        self.tmp.is_some()
    }

    /// A materialised path shown as the user's path it came from.
    pub(crate) fn user_path(&self, p: &Path) -> PathBuf {
        for (m, u) in &self.map {
            if let Ok(rest) = p.strip_prefix(m) {
                return if rest.as_os_str().is_empty() {
                    u.clone()
                } else {
                    u.join(rest)
                };
            }
        }
        p.to_path_buf()
    }

    /// Loads and scores this version; profile paths are the user's.
    pub(crate) fn load(&self, opts: &LoadOptions) -> (LoadSet, Vec<Scored>) {
        if self.paths.is_empty() {
            return (LoadSet::default(), Vec::new());
        }
        let (mut set, mut scored) = load_scored(&self.paths, opts, &|_, _| {});
        for s in &mut scored {
            s.file = self.user_path(&s.file);
        }
        for d in &mut set.diagnostics {
            d.file = self.user_path(&d.file);
        }
        (set, scored)
    }
}

/// The folder of `file` below the first of `roots` holding it ("" when it lies directly in
/// that root, or is that root), `/`-separated: the folder half of a baseline pairing key.
pub(crate) fn folder_below(file: &Path, roots: &[PathBuf]) -> String {
    let dir = file.parent().unwrap_or(Path::new(""));
    roots
        .iter()
        .find_map(|r| {
            let root = if r.is_file() {
                r.parent().unwrap_or(Path::new(""))
            } else {
                r.as_path()
            };
            dir.strip_prefix(root).ok()
        })
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}

/// `spec` as a version: an existing path as it is, else a git revision of `paths`.
pub(crate) fn resolve(spec: &str, paths: &[PathBuf]) -> Result<Version, String> {
    if Path::new(spec).exists() {
        return Ok(Version::here(spec, vec![PathBuf::from(spec)]));
    }
    at_revision(spec, paths)
}

/// `paths` as they were at git revision `rev`, extracted with `git archive` together with
/// any `rubrics/` folder above them (so the rubric of that revision is used).
pub(crate) fn at_revision(rev: &str, paths: &[PathBuf]) -> Result<Version, String> {
    let not_found = || {
        format!("`{rev}` is neither an existing directory nor a git revision of this repository")
    };
    if rev.is_empty() || rev.starts_with('-') {
        return Err(not_found());
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let top = git(&cwd, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(format!(
            "`{rev}` is not an existing directory, and the current directory is not in a git repository"
        ));
    }
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let top = top.canonicalize().unwrap_or(top);
    let commit = format!("{rev}^{{commit}}");
    if !git(&top, &["rev-parse", "--verify", "--quiet", &commit])?
        .status
        .success()
    {
        return Err(not_found());
    }
    let exists = |rel: &str| -> Result<bool, String> {
        Ok(git(&top, &["cat-file", "-e", &format!("{rev}:{rel}")])?
            .status
            .success())
    };
    let mut wanted = std::collections::BTreeSet::new();
    let mut data = Vec::new();
    for p in paths {
        let abs = if p.exists() {
            p.canonicalize().unwrap_or_else(|_| cwd.join(p))
        } else {
            cwd.join(p)
        };
        let rel = abs.strip_prefix(&top).map_err(|_| {
            format!(
                "{} is outside the git repository at {}",
                diag::display_path(p),
                top.display()
            )
        })?;
        let rel_s = diag::display_path(rel);
        if exists(&rel_s)? {
            wanted.insert(if rel_s.is_empty() {
                ".".to_string()
            } else {
                rel_s.clone()
            });
            data.push((rel.to_path_buf(), p.clone()));
        }
        for anc in rel.ancestors().skip(1) {
            let cand = diag::display_path(&anc.join("rubrics"));
            if exists(&cand)? {
                wanted.insert(cand);
            }
        }
    }
    let tmp = tempfile::Builder::new()
        .prefix("frameaudit-baseline-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    if !data.is_empty() {
        let tar = tmp.path().join(".frameaudit-archive.tar");
        let tar_s = tar.to_string_lossy().into_owned();
        let mut args = vec!["archive", "--format=tar", "-o", tar_s.as_str(), rev, "--"];
        args.extend(wanted.iter().map(String::as_str));
        let out = git(&top, &args)?;
        if !out.status.success() {
            return Err(format!(
                "git archive {rev} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let out = Command::new("tar")
            .arg("-xf")
            .arg(&tar)
            .arg("-C")
            .arg(tmp.path())
            .output()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "extracting {rev} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let _ = std::fs::remove_file(&tar);
    }
    let map: Vec<(PathBuf, PathBuf)> = data
        .iter()
        .map(|(rel, user)| (tmp.path().join(rel), user.clone()))
        .collect();
    Ok(Version {
        label: rev.to_string(),
        paths: map.iter().map(|(m, _)| m.clone()).collect(),
        map,
        tmp: Some(tmp),
    })
}
