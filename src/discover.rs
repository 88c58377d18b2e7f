//! Discovery: turning the paths a user names into the list of files to load, walking
//! directories in sorted order (walkdir) and classifying each file as a profile, region or
//! rubric. Missing paths and folders with nothing to load are diagnostics, not panics.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic};
use crate::load::{io_help, io_reason};
use crate::model::Loc;

/// What a discovered file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// A country profile (`*.yaml`, `*.yml`).
    Profile,
    /// A region file (`region.yaml`).
    Region,
    /// A rubric (`*.toml`).
    Rubric,
}

/// A file to load.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// Its path, as reached from the user's path.
    pub path: PathBuf,
    /// What it is.
    pub kind: FileKind,
}

/// Classifies a file by name, or `None` for files frameaudit does not read.
pub(crate) fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name == "region.yaml" || name == "region.yml" {
        return Some(FileKind::Region);
    }
    match path.extension()?.to_str()? {
        "yaml" | "yml" => Some(FileKind::Profile),
        "toml" => Some(FileKind::Rubric),
        _ => None,
    }
}

/// Expands `paths` into files, sorted and without duplicates. A file named explicitly is
/// read whatever its extension (as a profile unless it ends in `.toml`); directories are
/// walked for YAML files and, inside folders named `rubrics`, TOML files. Hidden entries
/// and `target/` are skipped; symlinks are not followed into directories, so loops are
/// harmless.
pub fn discover(paths: &[PathBuf], diags: &mut Vec<Diagnostic>) -> Vec<Found> {
    let mut out = Vec::new();
    for p in paths {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                let help = if e.kind() == std::io::ErrorKind::NotFound {
                    "check the path; with no path, frameaudit uses the bundled frameworks/asean"
                } else {
                    io_help(&e)
                };
                diags.push(
                    Diagnostic::new(
                        Code::Io,
                        p,
                        Loc::default(),
                        format!("cannot read: {}", io_reason(&e)),
                    )
                    .help(help),
                );
                continue;
            }
        };
        if !meta.is_dir() {
            let kind = classify(p).unwrap_or(FileKind::Profile);
            out.push(Found {
                path: p.clone(),
                kind,
            });
            continue;
        }
        let before = out.len();
        let walker = WalkDir::new(p)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || {
                    let n = e.file_name().to_string_lossy();
                    !n.starts_with('.') && n != "target"
                }
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map_or_else(|| p.clone(), Path::to_path_buf);
                    let (reason, help) = match e.io_error() {
                        Some(io) => (io_reason(io), io_help(io)),
                        None => (e.to_string(), "check the directory's permissions"),
                    };
                    diags.push(
                        Diagnostic::new(
                            Code::Io,
                            &path,
                            Loc::default(),
                            format!("cannot read: {reason}"),
                        )
                        .help(help),
                    );
                    continue;
                }
            };
            let path = entry.path();
            if entry.file_type().is_dir() {
                continue;
            }
            let Some(kind) = classify(path) else { continue };
            // Symlinks to files are read; symlinks to directories are not followed. A link
            // that leads nowhere (dangling, or a loop) named like an input is reported, not
            // silently skipped.
            if entry.path_is_symlink() {
                match std::fs::metadata(path) {
                    Ok(m) if m.is_file() => {}
                    Ok(_) => continue,
                    Err(e) => {
                        diags.push(
                            Diagnostic::new(
                                Code::Io,
                                path,
                                Loc::default(),
                                format!("cannot read: {}", io_reason(&e)),
                            )
                            .help(io_help(&e)),
                        );
                        continue;
                    }
                }
            }
            let in_rubrics = path
                .parent()
                .and_then(|d| d.file_name())
                .is_some_and(|n| n == "rubrics");
            if kind == FileKind::Rubric && !in_rubrics {
                continue;
            }
            out.push(Found {
                path: path.to_path_buf(),
                kind,
            });
        }
        if out.len() == before {
            diags.push(
                Diagnostic::new(
                    Code::NoInput,
                    p,
                    Loc::default(),
                    "the directory holds no profile, region or rubric file",
                )
                .expected("`*.yaml` profiles, a `region.yaml` or rubrics in a `rubrics/` folder")
                .help("point frameaudit at a folder such as frameworks/asean"),
            );
        }
    }
    out.sort();
    out.dedup();
    out
}
