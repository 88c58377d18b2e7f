//! Loading: the only module that knows YAML and TOML. It reads files under resource limits,
//! parses them into raw structs, validates them into model values and reports every problem
//! as a located [`Diagnostic`]. `yaml.rs` holds the YAML backend; nothing outside `load`
//! names it.

pub(crate) mod config;
pub mod profile;
pub mod region;
pub mod rubric;
pub mod set;
pub mod yaml;
pub(crate) mod yaml_write;

use std::io::Read;
use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::model::Loc;

pub use set::{LoadOptions, LoadSet, Loaded, load_set};

/// The file format version this frameaudit reads and writes.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Resource limits applied to every input file (see docs/security.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes (default 8 MiB; the largest real profile is ~100 KB).
    pub max_file_bytes: usize,
    /// Deepest nesting of YAML collections (default 32; profiles need 5).
    pub max_depth: usize,
    /// Most anchors/aliases in one YAML file (default 64; profiles need none).
    pub max_aliases: usize,
    /// Most YAML nodes in one file (default 200,000).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 8 * 1024 * 1024,
            max_depth: 32,
            max_aliases: 64,
            max_nodes: 200_000,
        }
    }
}

/// Reads a UTF-8 text file, refusing files over the size limit, non-files and binary data.
pub fn read_text(path: &Path, limits: &Limits) -> Result<String, Diagnostic> {
    let io_err = |msg: String| Diagnostic::new(Code::Io, path, Loc::default(), msg);
    let meta = std::fs::metadata(path)
        .map_err(|e| io_err(format!("cannot read: {}", io_reason(&e))).help(io_help(&e)))?;
    if meta.is_dir() {
        return Err(io_err("is a directory, expected a file".into())
            .help("pass the directory where a directory is accepted, or name a file in it"));
    }
    if !meta.is_file() {
        return Err(io_err("is not a regular file".into()).help("pass a regular file"));
    }
    if meta.len() > limits.max_file_bytes as u64 {
        return Err(Diagnostic::new(
            Code::ResourceLimit,
            path,
            Loc::default(),
            format!(
                "file is {} bytes, over the limit of {} bytes",
                meta.len(),
                limits.max_file_bytes
            ),
        )
        .expected("a profile or rubric well under the size limit")
        .help("split the data, or raise the limit with --max-file-size for trusted input"));
    }
    let bytes = read_bounded(path, meta.len(), limits.max_file_bytes)
        .map_err(|e| io_err(format!("cannot read: {}", io_reason(&e))).help(io_help(&e)))?;
    if bytes.len() > limits.max_file_bytes {
        return Err(Diagnostic::new(
            Code::ResourceLimit,
            path,
            Loc::default(),
            format!(
                "file grew over the limit of {} bytes while being read",
                limits.max_file_bytes
            ),
        ));
    }
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // A NUL byte means binary data (an image, an archive, UTF-16): say so before UTF-8,
    // which most binary files also fail. (`contains` is a fast byte search; the position
    // is looked for only when there is one.)
    if bytes.contains(&0)
        && let Some(off) = bytes.iter().position(|&b| b == 0)
    {
        let prefix = String::from_utf8_lossy(&bytes[..off]);
        return Err(Diagnostic::new(
            Code::InvalidUtf8,
            path,
            rubric::line_col(&prefix, prefix.len()),
            "the file contains a NUL byte: it looks binary, not text",
        )
        .expected("a UTF-8 text file")
        .help("check that the right file was named; re-save UTF-16 files as UTF-8"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        Diagnostic::new(
            Code::InvalidUtf8,
            path,
            rubric::line_col(&prefix, valid),
            "the file is not valid UTF-8",
        )
        .expected("a UTF-8 text file")
        .help("re-save the file as UTF-8")
    })
}

/// The bytes of the file at `path`, expected to be `expected` long, reading at most `max + 1`
/// (one more than the limit, to tell a file that grew over it while being read). A file of
/// the expected size takes two reads: its bytes, then the end of file.
fn read_bounded(path: &Path, expected: u64, max: usize) -> std::io::Result<Vec<u8>> {
    let mut f = std::fs::File::open(path)?;
    let cap = max.saturating_add(1);
    let first = usize::try_from(expected).map_or(cap, |n| n.saturating_add(1).min(cap));
    let mut bytes = vec![0u8; first];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            if filled >= cap {
                break;
            }
            // It grew while being read: more room, up to the limit and one byte.
            let more = filled.max(4096).min(cap - filled);
            bytes.resize(filled + more, 0);
        }
        match f.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// How to fix an I/O error, in one sentence.
pub(crate) fn io_help(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            "check the path; run from the repository root or pass the file explicitly"
        }
        std::io::ErrorKind::PermissionDenied => {
            "make the path readable for the user running frameaudit"
        }
        std::io::ErrorKind::NotADirectory => {
            "a part of the path is a file, not a directory; check the path"
        }
        std::io::ErrorKind::IsADirectory => "name a file inside the directory",
        _ if io_reason(e).contains("symbolic links") => {
            "a symbolic link loops back on itself; fix or remove the link"
        }
        _ => "check that the path names a readable file",
    }
}

/// An I/O error in words, without the OS error number.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

/// Whether `id` follows the id syntax: `[a-z0-9][a-z0-9._-]*`.
pub(crate) fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

/// A valid id made from arbitrary text (for suggestions).
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() || "._-".contains(c) {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(|c| "._-".contains(c)).to_string();
    if out.is_empty() { "source".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("shelter.unconditional"));
        assert!(is_valid_id("ra9208"));
        assert!(!is_valid_id("Shelter"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id(""));
        assert_eq!(slug("US TIP 2023"), "us-tip-2023");
    }
}
