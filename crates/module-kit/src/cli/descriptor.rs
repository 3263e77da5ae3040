//! Descriptors the shell opened for synth, named as files: `/dev/stdout`,
//! `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N` and links to them.
//!
//! Opening such a path does not reach the descriptor on Linux: it opens
//! the file behind it anew, with an offset of its own and without the
//! descriptor's `O_APPEND`, and replacing it renames a new file over the
//! one the shell opened. Either way what the shell wrote there (`>>`) or
//! writes after synth (`( synth …; echo after ) > f`) is lost. So the
//! template is written to the descriptor itself, at its offset and with
//! its flags, exactly as through a `>` or `>>` redirection.
//!
//! The standard library reopens a closed stdin, stdout or stderr onto
//! `/dev/null` before `main`, so that a file synth opens cannot take their
//! place; a run with stdout closed (`synth >&-`) would then write its
//! template into `/dev/null` and report success. Which of the three were
//! closed is recorded before that happens, from the executable's
//! initialisers, and a write to one of them is an error.
//!
//! This is the crate's one module with `unsafe` code: a descriptor number
//! becomes a handle only by a promise that it is open (checked just
//! before), and the initialiser is a linker section. Each use says why it
//! holds.
#![allow(unsafe_code)]

use std::fs::{self, File};
use std::os::fd::{BorrowedFd, RawFd};
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};

/// How many symbolic links are followed before giving up, as the kernel does.
const MAX_LINKS: usize = 40;

/// Bit `n` set: descriptor `n` (0, 1 or 2) was closed when the process started.
static CLOSED_AT_START: AtomicU8 = AtomicU8::new(0);

/// Run by the dynamic loader before `main`, and so before the standard
/// library puts `/dev/null` on the closed standard descriptors.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[used]
#[link_section = ".init_array"]
static RECORD_CLOSED_AT_START: extern "C" fn() = record_closed_at_start;

#[cfg(any(target_os = "linux", target_os = "android"))]
extern "C" fn record_closed_at_start() {
    let mut closed = 0;
    for fd in 0..3 {
        // SAFETY: F_GETFD only reads the descriptor's flags; on a closed
        // descriptor it fails with EBADF and touches nothing.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            closed |= 1 << fd;
        }
    }
    CLOSED_AT_START.store(closed, Ordering::Relaxed);
}

/// Whether standard descriptor `fd` was closed when synth started (known
/// on Linux; elsewhere a closed one reads as open onto `/dev/null`).
pub(crate) fn closed_at_start(fd: RawFd) -> bool {
    (0..3).contains(&fd) && CLOSED_AT_START.load(Ordering::Relaxed) & (1 << fd) != 0
}

/// The descriptor of this process that `path` names, if it names one: a
/// path that is, or leads through symbolic links to, an entry of this
/// process's descriptor folder (`/proc/<pid>/fd`, which `/proc/self/fd`,
/// `/dev/fd` and `/dev/stdout` reach on Linux; `/dev/fd` elsewhere).
pub(crate) fn named_by(path: &Path) -> Option<RawFd> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if let Some(fd) = entry_of_own_descriptor_folder(&p) {
            return Some(fd);
        }
        if !fs::symlink_metadata(&p).ok()?.file_type().is_symlink() {
            return None;
        }
        let target = fs::read_link(&p).ok()?;
        p = match p.parent() {
            Some(dir) if target.is_relative() => dir.join(target),
            _ => target,
        };
    }
    None
}

/// The descriptor `p` stands for when it is an entry of this process's
/// descriptor folder. The entry itself is not followed: it is the link to
/// the file that opening it would reopen.
fn entry_of_own_descriptor_folder(p: &Path) -> Option<RawFd> {
    let name = p.file_name()?.to_str()?;
    let fd: RawFd = name.parse().ok()?;
    // The folder lists descriptors in plain decimal only (`01` is no entry).
    if fd.to_string() != name {
        return None;
    }
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    is_own_descriptor_folder(&fs::canonicalize(dir).ok()?).then_some(fd)
}

/// Whether `dir`, a canonical path, is this process's descriptor folder
/// or one of its threads'.
fn is_own_descriptor_folder(dir: &Path) -> bool {
    if dir == Path::new("/dev/fd") {
        return true;
    }
    let pid = std::process::id().to_string();
    let parts: Vec<&str> = dir.iter().filter_map(|c| c.to_str()).collect();
    match parts.as_slice() {
        ["/", "proc", p, "fd"] => *p == pid,
        ["/", "proc", p, "task", _, "fd"] => *p == pid,
        _ => false,
    }
}

/// Why a named descriptor cannot take the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unusable {
    /// It is not open, or it is one synth opened itself.
    Closed(RawFd),
    /// It is open, but not for writing.
    NotForWriting(RawFd),
}

impl Unusable {
    /// The message and a suggestion, after the path.
    pub fn describe(self) -> String {
        match self {
            Unusable::Closed(fd @ 0..=2) => format!(
                "{} (descriptor {fd}) is closed, so the template has nowhere to go\n  help: give --output a file, or run synth with {} open (without `{}>&-`)",
                standard_name(fd),
                standard_name(fd),
                if fd == 1 { String::new() } else { fd.to_string() }
            ),
            Unusable::Closed(fd) => format!(
                "descriptor {fd} is not open: the shell opened no descriptor {fd} for synth\n  help: open it in the command line (`{fd}>>FILE` appends, `{fd}>FILE` replaces), or give --output a file name"
            ),
            Unusable::NotForWriting(fd) => format!(
                "descriptor {fd} is open for reading only, so the template cannot be written to it\n  help: open it for writing (`{fd}>>FILE` appends, `{fd}>FILE` replaces), or give --output a file name"
            ),
        }
    }
}

/// The usual name of standard descriptor `fd`.
fn standard_name(fd: RawFd) -> &'static str {
    match fd {
        0 => "stdin",
        1 => "stdout",
        _ => "stderr",
    }
}

/// A handle on descriptor `fd` that writes where it writes: a duplicate,
/// sharing its offset and its flags (`O_APPEND` among them).
///
/// Only descriptors synth was given count: one closed when synth started
/// (the standard library has since put `/dev/null` there) or opened by
/// synth itself (close-on-exec, as every file the standard library opens)
/// is [`Unusable::Closed`].
pub(crate) fn open(fd: RawFd) -> Result<File, Unusable> {
    if closed_at_start(fd) {
        return Err(Unusable::Closed(fd));
    }
    // SAFETY: F_GETFD only reads the descriptor's flags; EBADF if closed.
    let fd_flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if fd_flags == -1 || fd_flags & libc::FD_CLOEXEC != 0 {
        return Err(Unusable::Closed(fd));
    }
    // SAFETY: as above, F_GETFL only reads the open file's status flags.
    let status = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if status == -1 {
        return Err(Unusable::Closed(fd));
    }
    if status & libc::O_ACCMODE == libc::O_RDONLY || opened_for_path_only(status) {
        return Err(Unusable::NotForWriting(fd));
    }
    // SAFETY: the descriptor is open (F_GETFD succeeded just above), and
    // nothing in synth closes a descriptor it did not open, so it stays
    // open while borrowed for the duplication.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    borrowed.try_clone_to_owned().map(File::from).map_err(|_| Unusable::Closed(fd))
}

/// Whether the descriptor was opened with `O_PATH`, for neither reading nor writing.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn opened_for_path_only(status: libc::c_int) -> bool {
    status & libc::O_PATH != 0
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn opened_for_path_only(_: libc::c_int) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::{named_by, open, Unusable};
    use std::path::Path;

    #[test]
    fn the_paths_of_descriptors_name_them() {
        assert_eq!(named_by(Path::new("/dev/stdout")), Some(1));
        assert_eq!(named_by(Path::new("/dev/stderr")), Some(2));
        assert_eq!(named_by(Path::new("/dev/stdin")), Some(0));
        assert_eq!(named_by(Path::new("/dev/fd/7")), Some(7));
        assert_eq!(named_by(Path::new("/proc/self/fd/3")), Some(3));
        let own = format!("/proc/{}/fd/5", std::process::id());
        assert_eq!(named_by(Path::new(&own)), Some(5));
        assert_eq!(named_by(Path::new("/proc/thread-self/fd/1")), Some(1));
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out");
        std::os::unix::fs::symlink("/dev/stderr", &link).unwrap();
        assert_eq!(named_by(&link), Some(2), "a link to a descriptor names it");
    }

    #[test]
    fn other_paths_name_no_descriptor() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("1");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(named_by(&file), None, "a file named like a descriptor is a file");
        assert_eq!(named_by(&dir.path().join("missing")), None);
        assert_eq!(named_by(Path::new("/dev/null")), None);
        assert_eq!(named_by(Path::new("/proc/self/fd/01")), None, "no such entry");
        assert_eq!(named_by(Path::new("/proc/1/fd/1")), None, "another process's descriptor");
    }

    #[test]
    fn only_descriptors_open_for_writing_and_given_to_the_process_are_used() {
        // Every file the standard library opens is close-on-exec: synth's own.
        let dir = tempfile::tempdir().unwrap();
        let own = std::fs::File::create(dir.path().join("f")).unwrap();
        let n = std::os::fd::AsRawFd::as_raw_fd(&own);
        assert_eq!(open(n).unwrap_err(), Unusable::Closed(n));
        assert_eq!(open(9999).unwrap_err(), Unusable::Closed(9999));
    }
}
