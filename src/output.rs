//! Writing outputs safely: to stdout, or to a file written atomically (a temporary file in
//! the same directory, then a rename), never onto one of the run's input files, with parent
//! directories created as needed.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output could not be written.
#[derive(Debug)]
pub struct OutputError {
    /// The path concerned.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            crate::diag::display_path(&self.path),
            self.message
        )?;
        if let Some(h) = &self.help {
            write!(f, "\n   = help: {h}")?;
        }
        Ok(())
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes `bytes` to `path` atomically. Refuses to write onto any of `inputs`.
pub fn write_atomic(path: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), OutputError> {
    let err = |message: String, help: Option<&str>| OutputError {
        path: path.to_path_buf(),
        message,
        help: help.map(str::to_string),
    };
    if inputs.iter().any(|i| same_file(i, path)) {
        return Err(err(
            "is one of this run's input files; refusing to overwrite it".into(),
            Some("write the output somewhere else with -o"),
        ));
    }
    if path.is_dir() {
        return Err(err(
            "is a directory".into(),
            Some("name a file, e.g. -o report.html"),
        ));
    }
    // A device or pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place: renaming
    // a temporary file over it would replace the device node itself.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
            .map_err(|e| err(format!("cannot write: {e}"), None));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        err(
            format!("cannot create directory {}: {e}", dir.display()),
            None,
        )
    })?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".frameaudit-").suffix(".tmp");
    // The usual permissions of a new file (0666 less the umask: 0644 under 022), so that
    // colleagues and web servers can read a report; tempfile's own default is 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(|e| {
        err(
            format!("cannot create a temporary file in {}: {e}", dir.display()),
            None,
        )
    })?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| err(format!("cannot write: {e}"), None))?;
    tmp.persist(path).map_err(|e| {
        err(
            format!("cannot move the output into place: {}", e.error),
            None,
        )
    })?;
    Ok(())
}

/// Where a command's main output goes.
#[derive(Debug, Clone, Default)]
pub enum Target {
    /// Standard output.
    #[default]
    Stdout,
    /// A file, written atomically.
    File(PathBuf),
}

impl Target {
    /// From an optional `-o` path (`-` means stdout).
    pub fn from_option(p: Option<&PathBuf>) -> Target {
        match p {
            Some(p) if p.as_os_str() != "-" => Target::File(p.clone()),
            _ => Target::Stdout,
        }
    }

    /// Writes `bytes` to the target.
    pub fn write(
        &self,
        out: &mut dyn Write,
        bytes: &[u8],
        inputs: &[PathBuf],
    ) -> Result<(), OutputError> {
        match self {
            // A closed pipe (`frameaudit … | head`) is the reader's choice, not an error.
            Target::Stdout => match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r,
            }
            .map_err(|e| OutputError {
                path: PathBuf::from("<stdout>"),
                message: e.to_string(),
                help: None,
            }),
            Target::File(p) => write_atomic(p, bytes, inputs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_creates_parents() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/out.txt");
        write_atomic(&p, b"hello", &[]).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "hello");
        write_atomic(&p, b"again", &[]).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "again");
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    }

    /// Reads the process umask (it can only be read by setting it) and puts it back.
    #[cfg(unix)]
    fn umask() -> u32 {
        let out = std::process::Command::new("sh")
            .args(["-c", "umask"])
            .output()
            .unwrap();
        u32::from_str_radix(String::from_utf8_lossy(&out.stdout).trim(), 8).unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_usual_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.html");
        write_atomic(&p, b"<p>x</p>", &[]).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !umask(), "mode {mode:o}");
    }

    #[test]
    fn writes_devices_in_place() {
        write_atomic(Path::new("/dev/null"), b"discarded", &[]).unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null is still a device");
    }

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ph.yaml");
        std::fs::write(&p, "data").unwrap();
        let e = write_atomic(&p, b"x", std::slice::from_ref(&p)).unwrap_err();
        assert!(e.message.contains("input"));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "data");
    }
}
