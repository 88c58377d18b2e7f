//! Writing outputs safely: to stdout, or to a file written atomically (a temporary file in
//! the same directory, then a rename), never onto one of the run's input files, with parent
//! directories created as needed.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output could not be written.
#[derive(Debug)]
pub(crate) struct OutputError {
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
pub(crate) fn write_atomic(
    path: &Path,
    bytes: &[u8],
    inputs: &[PathBuf],
) -> Result<(), OutputError> {
    let mut file = AtomicFile::create(path, inputs)?;
    file.write_all(bytes).map_err(|e| file.error(&e))?;
    file.commit()
}

/// A file being written atomically: the bytes go to a temporary file in the target's
/// directory, which [`AtomicFile::commit`] moves into place. Dropped without a commit, the
/// temporary file is removed and the target is untouched, so a run that fails half-way
/// leaves no partial output. A device or pipe (`-o /dev/null`, a FIFO) is written in place.
pub(crate) struct AtomicFile {
    path: PathBuf,
    inner: AtomicInner,
}

enum AtomicInner {
    Temp(std::io::BufWriter<tempfile::NamedTempFile>),
    Device(std::io::BufWriter<std::fs::File>),
}

impl AtomicFile {
    /// Opens `path` for an atomic write; refuses a directory or one of `inputs`, and creates
    /// missing parent directories.
    pub(crate) fn create(path: &Path, inputs: &[PathBuf]) -> Result<AtomicFile, OutputError> {
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
        // A device or pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place:
        // renaming a temporary file over it would replace the device node itself.
        if let Ok(meta) = std::fs::metadata(path)
            && !meta.is_file()
        {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| err(format!("cannot write: {e}"), None))?;
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                inner: AtomicInner::Device(std::io::BufWriter::new(f)),
            });
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
        let tmp = builder.tempfile_in(&dir).map_err(|e| {
            err(
                format!("cannot create a temporary file in {}: {e}", dir.display()),
                None,
            )
        })?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            inner: AtomicInner::Temp(std::io::BufWriter::with_capacity(1 << 16, tmp)),
        })
    }

    /// The error to report when writing failed with `e`.
    pub(crate) fn error(&self, e: &std::io::Error) -> OutputError {
        OutputError {
            path: self.path.clone(),
            message: format!("cannot write: {e}"),
            help: None,
        }
    }

    /// Flushes everything to disk and moves the file into place.
    pub(crate) fn commit(self) -> Result<(), OutputError> {
        let path = self.path;
        let err = |message: String| OutputError {
            path: path.clone(),
            message,
            help: None,
        };
        match self.inner {
            AtomicInner::Device(mut f) => f.flush().map_err(|e| err(format!("cannot write: {e}"))),
            AtomicInner::Temp(w) => {
                let tmp = w
                    .into_inner()
                    .map_err(|e| err(format!("cannot write: {}", e.error())))?;
                tmp.as_file()
                    .sync_all()
                    .map_err(|e| err(format!("cannot write: {e}")))?;
                tmp.persist(&path)
                    .map_err(|e| err(format!("cannot move the output into place: {}", e.error)))?;
                Ok(())
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.inner {
            AtomicInner::Temp(w) => w.write(buf),
            AtomicInner::Device(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match &mut self.inner {
            AtomicInner::Temp(w) => w.write_all(buf),
            AtomicInner::Device(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.inner {
            AtomicInner::Temp(w) => w.flush(),
            AtomicInner::Device(w) => w.flush(),
        }
    }
}

/// An output opened for streaming: standard output, or a file written atomically. Write to
/// it as the output is rendered, then [`Sink::finish`] it.
pub(crate) enum Sink<'a> {
    /// Standard output. A closed pipe (`frameaudit … | head`) is the reader's choice: the
    /// rest of the output is dropped quietly.
    Stdout {
        /// The stream, buffered.
        out: std::io::BufWriter<&'a mut dyn Write>,
        /// Whether the reader has gone.
        closed: bool,
    },
    /// A file, moved into place by `finish`.
    File(AtomicFile),
}

impl Sink<'_> {
    /// The error to report when writing failed with `e`.
    pub(crate) fn error(&self, e: &std::io::Error) -> OutputError {
        match self {
            Sink::Stdout { .. } => OutputError {
                path: PathBuf::from("<stdout>"),
                message: e.to_string(),
                help: None,
            },
            Sink::File(f) => f.error(e),
        }
    }

    /// Ends the output: flushes standard output, or moves the file into place.
    pub(crate) fn finish(self) -> Result<(), OutputError> {
        match self {
            Sink::Stdout { mut out, closed } => {
                if closed {
                    return Ok(());
                }
                match out.flush() {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    r => r.map_err(|e| OutputError {
                        path: PathBuf::from("<stdout>"),
                        message: e.to_string(),
                        help: None,
                    }),
                }
            }
            Sink::File(f) => f.commit(),
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout { closed: true, .. } => Ok(buf.len()),
            Sink::Stdout { out, closed } => match out.write(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(buf.len())
                }
                r => r,
            },
            Sink::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout { closed: true, .. } => Ok(()),
            Sink::Stdout { out, closed } => match out.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(())
                }
                r => r,
            },
            Sink::File(f) => f.flush(),
        }
    }
}

/// Where a command's main output goes.
#[derive(Debug, Clone, Default)]
pub(crate) enum Target {
    /// Standard output.
    #[default]
    Stdout,
    /// A file, written atomically.
    File(PathBuf),
}

impl Target {
    /// From an optional `-o` path (`-` means stdout).
    pub(crate) fn from_option(p: Option<&PathBuf>) -> Target {
        match p {
            Some(p) if p.as_os_str() != "-" => Target::File(p.clone()),
            _ => Target::Stdout,
        }
    }

    /// Writes `bytes` to the target.
    pub(crate) fn write(
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

    /// Opens the target for streaming output; see [`Sink`].
    pub(crate) fn open<'a>(
        &self,
        out: &'a mut dyn Write,
        inputs: &[PathBuf],
    ) -> Result<Sink<'a>, OutputError> {
        match self {
            Target::Stdout => Ok(Sink::Stdout {
                out: std::io::BufWriter::with_capacity(1 << 16, out),
                closed: false,
            }),
            Target::File(p) => AtomicFile::create(p, inputs).map(Sink::File),
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
    fn an_uncommitted_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.xml");
        std::fs::write(&p, "previous").unwrap();
        {
            let mut f = AtomicFile::create(&p, &[]).unwrap();
            f.write_all(b"half of an output").unwrap();
            // Dropped without commit: the run failed half-way.
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "previous");
        let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(entries.len(), 1, "the temporary file is removed");
        let mut f = AtomicFile::create(&p, &[]).unwrap();
        for _ in 0..1000 {
            f.write_all(b"0123456789").unwrap();
        }
        f.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap().len(), 10_000);
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
