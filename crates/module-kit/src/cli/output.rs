//! `--output`: writing a template without destroying what synth does not own.
//!
//! - A regular file (or a new one) is replaced atomically: the template is
//!   written to a temporary file in the same folder and renamed over it, so
//!   a reader sees the old file or the new one, never half of either. The
//!   replacement gets the old file's permission bits without setuid,
//!   setgid and sticky (0644 when new), and its owner and group where the
//!   running user may give them.
//! - A symbolic link is followed; its target is replaced.
//! - A descriptor synth was given (`/dev/stdout`, `/dev/stderr`,
//!   `/dev/fd/N`, `/proc/self/fd/N`, or a link to one) is written to
//!   itself, at its offset and with its flags, exactly as through the
//!   shell's `>` or `>>`: nothing before or after the template is lost.
//!   A closed one, or one open for reading only, is an error.
//! - Onto a FIFO or a character device (`/dev/null`, a terminal) the
//!   template is written through, as a shell redirection would; the node
//!   itself is never replaced.
//! - Directories, block devices and sockets are refused, and so is the
//!   configuration file itself, by any path, symbolic or hard link, or
//!   descriptor.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::escape;

#[cfg(unix)]
use super::descriptor;
use super::input::{FileKind, Identity};
use super::signals::TempFile;
use super::wait::with_notice;

/// Why an output was not written.
#[derive(Debug)]
pub enum OutputError {
    /// Writing failed.
    Io(PathBuf, io::Error),
    /// The path is something synth does not write onto.
    Refused(PathBuf, String),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Io(p, e) => write!(f, "error: {}: cannot write the template: {e}", escape::path(p)),
            OutputError::Refused(p, why) => write!(f, "error: {}: {why}", escape::path(p)),
        }
    }
}

impl std::error::Error for OutputError {}

/// The file `path` names, following symbolic links, with its metadata
/// when it exists. The kernel follows the links of an existing file (so
/// `/dev/stdout` and `/proc/self/fd/N` reach the pipe or file they stand
/// for); a dangling chain is followed here to the file it would create.
fn resolve(path: &Path) -> io::Result<(PathBuf, Option<fs::Metadata>)> {
    match fs::metadata(path) {
        Ok(m) if m.is_file() => return Ok((fs::canonicalize(path)?, Some(m))),
        Ok(m) => return Ok((path.to_path_buf(), Some(m))),
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        Err(_) => {}
    }
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(m) => return Ok((p, Some(m))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((p, None)),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// How the output is to be written.
enum Plan {
    Replace(Option<fs::Metadata>),
    WriteThrough(FileKind),
}

fn plan(path: &Path, meta: Option<fs::Metadata>, protect: &[Identity]) -> Result<Plan, OutputError> {
    let refuse = |why: &str| Err(OutputError::Refused(path.to_path_buf(), why.to_string()));
    let Some(meta) = meta else { return Ok(Plan::Replace(None)) };
    match FileKind::of(&meta) {
        FileKind::Regular if Identity::of(&meta).is_some_and(|id| protect.contains(&id)) => {
            refuse("this is the configuration file being read; write the template to another file")
        }
        FileKind::Regular => Ok(Plan::Replace(Some(meta))),
        kind @ (FileKind::Fifo | FileKind::CharDevice) => Ok(Plan::WriteThrough(kind)),
        FileKind::Directory => refuse("is a directory; give a file name for the template"),
        FileKind::BlockDevice => refuse("is a block device; synth does not write templates onto disks"),
        FileKind::Socket => {
            refuse("is a socket; synth writes templates to files, FIFOs and character devices")
        }
        FileKind::Other => refuse("is not a regular file"),
    }
}

/// Writes `body` to `path` as described in this module's documentation.
/// `protect` lists the inputs that must not be overwritten.
pub(crate) fn write(path: &Path, body: &[u8], protect: &[Identity]) -> Result<(), OutputError> {
    let io_err = |e| OutputError::Io(path.to_path_buf(), e);
    #[cfg(unix)]
    if let Some(fd) = descriptor::named_by(path) {
        return write_to_descriptor(path, fd, body, protect);
    }
    let (target, meta) = resolve(path).map_err(io_err)?;
    match plan(path, meta, protect)? {
        Plan::WriteThrough(kind) => {
            let work = || -> io::Result<()> {
                let mut f = OpenOptions::new().write(true).open(path)?;
                f.write_all(body)?;
                f.flush()
            };
            if kind == FileKind::Fifo {
                with_notice(
                    || {
                        eprintln!(
                            "synth: waiting for a reader of {} (a FIFO) to take the template",
                            escape::path(path)
                        )
                    },
                    work,
                )
            } else {
                work()
            }
            .map_err(io_err)
        }
        Plan::Replace(existing) => replace(&target, body, existing.as_ref()).map_err(io_err),
    }
}

/// Writes `body` to descriptor `fd`, which `path` names, where the
/// descriptor writes: appended under `>>`, at the shared offset under `>`.
#[cfg(unix)]
fn write_to_descriptor(
    path: &Path,
    fd: std::os::fd::RawFd,
    body: &[u8],
    protect: &[Identity],
) -> Result<(), OutputError> {
    let refuse = |why: String| Err(OutputError::Refused(path.to_path_buf(), why));
    let mut file = match descriptor::open(fd) {
        Ok(f) => f,
        Err(unusable) => return refuse(unusable.describe()),
    };
    let meta = file.metadata().map_err(|e| OutputError::Io(path.to_path_buf(), e))?;
    match FileKind::of(&meta) {
        FileKind::Regular if Identity::of(&meta).is_some_and(|id| protect.contains(&id)) => refuse(format!(
            "descriptor {fd} is open on the configuration file being read; write the template to another file"
        )),
        FileKind::BlockDevice => refuse(format!(
            "descriptor {fd} is open on a block device; synth does not write templates onto disks"
        )),
        // A descriptor open for writing is a file, FIFO, pipe, character
        // device or socket: what the shell's redirection would write to.
        _ => file
            .write_all(body)
            .and_then(|()| file.flush())
            .map_err(|e| OutputError::Io(path.to_path_buf(), e)),
    }
}

/// The folder a file is in (`.` for a bare file name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Replaces (or creates) the regular file `target` atomically.
fn replace(target: &Path, body: &[u8], existing: Option<&fs::Metadata>) -> io::Result<()> {
    let dir = folder(target);
    let mut tmp = TempFile::create_in(dir)?;
    tmp.write_all(body)?;
    tmp.as_file().sync_all()?;
    carry_over(tmp.as_file(), existing)?;
    tmp.persist(target)?;
    // The rename is durable once the folder is; a failure here loses nothing.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The replaced file's owner, group and permission bits, without setuid,
/// setgid and sticky; 0644 for a new file.
#[cfg(unix)]
fn carry_over(file: &fs::File, existing: Option<&fs::Metadata>) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mode = match existing {
        Some(m) => {
            // Owner and group where the running user may set them (root, or
            // a member of the group); otherwise the running user's.
            if std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid())).is_err() {
                let _ = std::os::unix::fs::fchown(file, None, Some(m.gid()));
            }
            m.mode() & 0o777
        }
        None => 0o644,
    };
    file.set_permissions(fs::Permissions::from_mode(mode))
}

/// Elsewhere a temporary file already has a new file's permissions.
#[cfg(not(unix))]
fn carry_over(file: &fs::File, existing: Option<&fs::Metadata>) -> io::Result<()> {
    if let Some(m) = existing {
        file.set_permissions(m.permissions())?;
    }
    Ok(())
}
