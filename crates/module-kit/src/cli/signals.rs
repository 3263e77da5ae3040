//! Temporary files and folders that an interrupted run removes: SIGINT,
//! SIGTERM or SIGHUP during a write leave no `.synth-XXXXXX.tmp`, and no
//! staging folder, behind.
//!
//! A thread of signal-hook's iterator receives the signals (outside any
//! signal handler, so it may take locks and remove files), removes the
//! temporary files still registered, then ends the process the way the
//! signal would have. Registration and the final rename hold the same
//! lock, so a signal never removes a file that was just put in place, and
//! a temporary file is never left unregistered.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use tempfile::NamedTempFile;

/// Something to remove if a signal ends the run.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    File(PathBuf),
    /// A folder, removed with everything in it.
    Dir(PathBuf),
}

/// What to remove if a signal ends the run, in the order registered.
static PENDING: Mutex<Vec<Pending>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<Pending>> {
    PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes what a signal or a failed run leaves: files first, then
/// folders, the innermost (registered last) first.
fn remove_all(items: &[Pending]) {
    for item in items {
        if let Pending::File(f) = item {
            let _ = std::fs::remove_file(f);
        }
    }
    for item in items.iter().rev() {
        if let Pending::Dir(d) = item {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// Starts the thread that cleans up on a signal, once per process.
#[cfg(unix)]
fn watch() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    static STARTED: OnceLock<Result<(), String>> = OnceLock::new();
    let started = STARTED.get_or_init(|| {
        let mut signals =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]).map_err(|e| e.to_string())?;
        std::thread::Builder::new()
            .name("synth-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process ends: no new temporary file after this.
                    let items = pending();
                    remove_all(&items);
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            })
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    started.clone().map_err(io::Error::other)
}

#[cfg(not(unix))]
fn watch() -> io::Result<()> {
    Ok(())
}

/// A temporary file beside the file it will replace, removed if the run
/// fails or is interrupted by a signal.
pub struct TempFile {
    file: Option<NamedTempFile>,
    path: PathBuf,
}

impl TempFile {
    /// Creates `.synth-XXXXXX.tmp` in `dir`.
    pub fn create_in(dir: &Path) -> io::Result<TempFile> {
        watch()?;
        let mut files = pending();
        let file =
            tempfile::Builder::new().prefix(".synth-").suffix(".tmp").rand_bytes(6).tempfile_in(dir)?;
        let path = file.path().to_path_buf();
        files.push(Pending::File(path.clone()));
        Ok(TempFile { file: Some(file), path })
    }

    /// The open file.
    pub fn as_file(&self) -> &std::fs::File {
        self.file.as_ref().expect("present until persisted").as_file()
    }

    /// Renames the file onto `target`, atomically.
    pub fn persist(mut self, target: &Path) -> io::Result<()> {
        let mut files = pending();
        let file = self.file.take().expect("persisted once");
        let result = file.persist(target).map(|_| ()).map_err(|e| e.error);
        files.retain(|p| p != &Pending::File(self.path.clone()));
        result
    }
}

impl io::Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("present until persisted").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("present until persisted").flush()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let mut files = pending();
        // NamedTempFile removes the file as it drops.
        drop(self.file.take());
        files.retain(|p| p != &Pending::File(self.path.clone()));
    }
}

/// Signals held off: while it lives, a SIGINT, SIGTERM or SIGHUP waits, and
/// is acted on (cleanup, then the end of the process) once it drops. Work
/// that must not be cut in half, such as moving a set of files into place,
/// runs while one is held; [`TempDir::keep`] and [`TempDir::remove`] take
/// it, so that a folder is never removed by a signal after it was kept.
pub struct Held(MutexGuard<'static, Vec<Pending>>);

/// Holds signals off until the returned [`Held`] drops.
pub fn hold() -> Held {
    Held(pending())
}

/// A folder the run creates and fills, removed with all it holds if the run
/// fails (it drops) or a signal ends it, unless it is kept.
pub struct TempDir {
    path: Option<PathBuf>,
}

impl TempDir {
    /// Creates a new folder `<prefix>XXXXXX` in `parent`.
    pub fn create_in(parent: &Path, prefix: &str) -> io::Result<TempDir> {
        watch()?;
        let mut items = pending();
        let path = tempfile::Builder::new().prefix(prefix).rand_bytes(6).tempdir_in(parent)?.keep();
        items.push(Pending::Dir(path.clone()));
        Ok(TempDir { path: Some(path) })
    }

    /// Creates the folder `path`, which must not exist: a folder the run
    /// makes for its output, removed again if the run does not finish.
    pub fn create(path: &Path) -> io::Result<TempDir> {
        watch()?;
        let mut items = pending();
        std::fs::create_dir(path)?;
        items.push(Pending::Dir(path.to_path_buf()));
        Ok(TempDir { path: Some(path.to_path_buf()) })
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or_else(|| Path::new(""))
    }

    /// Keeps the folder: no signal or drop removes it from now on.
    pub fn keep(mut self, held: &mut Held) -> PathBuf {
        let path = self.path.take().unwrap_or_default();
        held.0.retain(|p| p != &Pending::Dir(path.clone()));
        path
    }

    /// Removes the folder and what it holds now.
    pub fn remove(mut self, held: &mut Held) -> io::Result<()> {
        let path = self.path.take().unwrap_or_default();
        held.0.retain(|p| p != &Pending::Dir(path.clone()));
        std::fs::remove_dir_all(&path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let mut items = pending();
            let _ = std::fs::remove_dir_all(&path);
            items.retain(|p| p != &Pending::Dir(path.clone()));
        }
    }
}
