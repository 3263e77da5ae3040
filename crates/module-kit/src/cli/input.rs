//! Reading the files synth is given (the configuration, the template to
//! `--check`), bounded in size and never blocking in silence.
//!
//! Regular files, FIFOs and pipes (`<(…)`, `/dev/stdin`) and character
//! devices are read; at most [`MAX_CONFIG_BYTES`] are taken, so
//! `/dev/zero` is refused at once. A FIFO without a writer, or a terminal,
//! blocks as a shell redirection would, and after a second synth says on
//! stderr what it waits for. Directories, block devices and sockets are
//! refused.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use crate::escape;
use crate::limits::{bytes, MAX_CONFIG_BYTES};

use super::wait::with_notice;

/// Which file an input is, to tell whether an output would overwrite it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Identity {
    device: u64,
    inode: u64,
}

impl Identity {
    /// The identity of a regular file, from its metadata.
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Option<Identity> {
        use std::os::unix::fs::MetadataExt;
        meta.is_file().then(|| Identity { device: meta.dev(), inode: meta.ino() })
    }

    /// Elsewhere files are told apart by path only.
    #[cfg(not(unix))]
    pub fn of(_: &fs::Metadata) -> Option<Identity> {
        None
    }
}

/// What was read.
pub(crate) struct Input {
    pub bytes: Vec<u8>,
    pub identity: Option<Identity>,
}

/// Why an input was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading it failed.
    Io(io::Error),
    /// It is a kind of file that is not read (the kind in words: `a directory`).
    Refused(&'static str),
    /// It holds more than the bound, given in bytes; nothing beyond the
    /// bound was read.
    TooLarge(usize),
}

impl ReadError {
    /// The message, naming the path and what it was to hold.
    pub fn describe(&self, path: &Path, what: &str) -> String {
        let shown = escape::path(path);
        match self {
            ReadError::Io(e) => format!("error: {shown}: cannot read {what}: {e}"),
            ReadError::Refused(kind) => format!(
                "error: {shown}: cannot read {what}: it is {kind}; synth reads files, pipes, FIFOs and terminals"
            ),
            ReadError::TooLarge(max) => format!(
                "error: {shown}: {what} is over {}, more than any configuration or template; refused without reading further",
                bytes(*max)
            ),
        }
    }
}

/// What a path is, as far as reading and writing it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A regular file.
    Regular,
    /// A directory.
    Directory,
    /// A FIFO (named pipe) or a pipe.
    Fifo,
    /// A character device (`/dev/zero`, a terminal).
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A Unix socket.
    Socket,
    /// Anything else.
    Other,
}

impl FileKind {
    /// The kind of the file `meta` describes.
    pub fn of(meta: &fs::Metadata) -> FileKind {
        let ft = meta.file_type();
        if ft.is_file() {
            return FileKind::Regular;
        }
        if ft.is_dir() {
            return FileKind::Directory;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if ft.is_fifo() {
                return FileKind::Fifo;
            }
            if ft.is_char_device() {
                return FileKind::CharDevice;
            }
            if ft.is_block_device() {
                return FileKind::BlockDevice;
            }
            if ft.is_socket() {
                return FileKind::Socket;
            }
        }
        FileKind::Other
    }

    /// The kind in words, after "it is".
    pub fn words(self) -> &'static str {
        match self {
            FileKind::Regular => "a file",
            FileKind::Directory => "a directory",
            FileKind::Fifo => "a FIFO",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
            FileKind::Socket => "a socket",
            FileKind::Other => "a special file",
        }
    }
}

/// Reads at most [`MAX_CONFIG_BYTES`] of `path`. `what` says what it is to
/// hold (`the configuration`), for the notice while waiting.
pub(crate) fn read(path: &Path, what: &str) -> Result<Input, ReadError> {
    read_limited(path, MAX_CONFIG_BYTES, what)
}

/// Reads `path` (a file, a pipe, a FIFO or a character device), refusing it
/// once it holds more than `max` bytes: at most `max + 1` bytes are ever
/// read, so `/dev/zero` is refused at once. Directories, block devices and
/// sockets are refused as what they are. `what` says what the file is to
/// hold (`the mdaa.yaml`), for the notice while waiting on a FIFO.
pub fn read_bytes(path: &Path, max: usize, what: &str) -> Result<Vec<u8>, ReadError> {
    read_limited(path, max, what).map(|i| i.bytes)
}

fn read_limited(path: &Path, max: usize, what: &str) -> Result<Input, ReadError> {
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    let kind = FileKind::of(&meta);
    match kind {
        FileKind::Directory | FileKind::BlockDevice | FileKind::Socket => {
            return Err(ReadError::Refused(kind.words()));
        }
        FileKind::Regular if meta.len() > max as u64 => return Err(ReadError::TooLarge(max)),
        _ => {}
    }
    let work = || -> io::Result<Input> {
        let file = File::open(path)?;
        let identity = Identity::of(&file.metadata()?);
        let mut bytes = Vec::new();
        file.take(max as u64 + 1).read_to_end(&mut bytes)?;
        Ok(Input { bytes, identity })
    };
    let input = match kind {
        FileKind::Regular => work(),
        _ => with_notice(
            || {
                eprintln!(
                    "synth: waiting for {} ({}) to deliver {what} and close: it is read to its end",
                    escape::path(path),
                    kind.words()
                )
            },
            work,
        ),
    }
    .map_err(ReadError::Io)?;
    if input.bytes.len() > max {
        return Err(ReadError::TooLarge(max));
    }
    Ok(input)
}
