//! Temporary files that an interrupted run removes: SIGINT, SIGTERM or
//! SIGHUP during a write leave no `.synth-XXXXXX.tmp` behind.
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

/// Temporary files to remove if a signal ends the run.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
                    let files = pending();
                    for f in files.iter() {
                        let _ = std::fs::remove_file(f);
                    }
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
        files.push(path.clone());
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
        files.retain(|p| p != &self.path);
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
        files.retain(|p| p != &self.path);
    }
}
