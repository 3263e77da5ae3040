"""Reading a git repository's history and objects with the git command."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

# How a template is named in the five repositories and their kind: the
# extension, not the content, decides which files are worth reading at all.
TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")


class GitError(Exception):
    """A git command failed; the message holds its error output."""


@dataclass(frozen=True)
class FileChange:
    """A file modified by one commit of the first-parent history."""

    old_commit: str
    new_commit: str
    old_path: str
    path: str
    old_blob: str
    new_blob: str


def _git(git_dir: Path, *args: str) -> bytes:
    done = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {' '.join(args)} in {git_dir}: {message}")
    return done.stdout


def git_dir_of(clone: Path) -> Path:
    """The git directory of a clone (its `.git`) or of a bare repository."""
    done = subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "--absolute-git-dir"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise GitError(f"{clone}: not a git repository ({done.stderr.strip()})")
    return Path(done.stdout.strip())


def head(git_dir: Path) -> str:
    """The commit HEAD points at."""
    return _git(git_dir, "rev-parse", "HEAD").decode().strip()


def origin_name(git_dir: Path) -> Optional[str]:
    """`owner/name` from the `origin` remote's GitHub URL, when there is one."""
    try:
        url = _git(git_dir, "config", "--get", "remote.origin.url").decode().strip()
    except GitError:
        return None
    found = re.search(r"github\.com[:/]([^/]+/[^/]+?)(?:\.git)?/?$", url)
    return found.group(1) if found else None


def _is_candidate(path: str) -> bool:
    return path.lower().endswith(TEMPLATE_SUFFIXES)


def modifications(git_dir: Path, rev: str = "HEAD") -> Iterator[FileChange]:
    """Every modification of a file that may be a template, along the
    first-parent history of `rev`, oldest first.

    A commit on the first-parent line is compared with its first parent, so
    each change pairs two consecutive versions of the file as the main branch
    saw them. A rename with edits counts as a modification of the new path; an
    added or deleted file has no previous or next version and is left out.
    """
    out = _git(
        git_dir,
        "log",
        "--first-parent",
        "--reverse",
        "-M",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=%x01%H %P",
        rev,
    )
    for chunk in out.split(b"\x01")[1:]:
        header, _, body = chunk.partition(b"\x00")
        ids = header.decode().split()
        if len(ids) < 2:
            continue  # the root commit only adds files
        new_commit, old_commit = ids[0], ids[1]
        tokens = body.lstrip(b"\n").split(b"\x00")
        i = 0
        while i < len(tokens):
            meta = tokens[i].decode()
            if not meta.startswith(":"):
                i += 1
                continue
            fields = meta[1:].split()
            old_blob, new_blob, status = fields[2], fields[3], fields[4]
            if status[0] in "RC":
                src, dst = tokens[i + 1].decode(), tokens[i + 2].decode()
                i += 3
            else:
                src = dst = tokens[i + 1].decode()
                i += 2
            if status[0] not in "MR" or old_blob == new_blob:
                continue
            if not _is_candidate(dst):
                continue
            yield FileChange(
                old_commit=old_commit,
                new_commit=new_commit,
                old_path=src,
                path=dst,
                old_blob=old_blob,
                new_blob=new_blob,
            )


class BlobReader:
    """Reads blobs through one `git cat-file --batch` process."""

    def __init__(self, git_dir: Path):
        self._proc = subprocess.Popen(
            ["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def read(self, blob: str) -> bytes:
        """The content of a blob, named by its id or as `COMMIT:PATH`;
        `GitError` when the repository lacks it."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(blob.encode() + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().decode().split()
        if len(header) != 3 or header[1] != "blob":
            raise GitError(f"{blob}: not a file in this repository ({' '.join(header[1:])})")
        data = self._proc.stdout.read(int(header[2]))
        self._proc.stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        """Ends the git process."""
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
