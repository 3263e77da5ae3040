"""The corpus: pairs of consecutive versions of CloudFormation templates.

A corpus directory holds `manifest.jsonl` (one pair a line: its id, the
repository, the path, and the two commits), `assembly.json`
(what each repository gave) and `pairs/<id>/old<ext>`, `pairs/<id>/new<ext>`.
The manifest is enough to assemble the same corpus again from clones of the
same repositories, whatever their branches have become since.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Dict, Iterable, List, Optional

from . import gitrepo

# A YAML template names one of these at the top level (column 0); JSON ones
# are parsed, as their keys may be anywhere on a line.
_TOP_KEYS = "AWSTemplateFormatVersion|Resources"
_YAML_TOP_KEY = re.compile(
    rf"""^(?:{_TOP_KEYS}|(['"])(?:{_TOP_KEYS})\1)[ \t]*:""",
    re.MULTILINE,
)


class AssemblyError(Exception):
    """The corpus cannot be assembled as asked; the message says why."""


@dataclass(frozen=True)
class Pair:
    """Two consecutive versions of one template, as the manifest records them."""

    id: str
    repo: str
    path: str
    old_path: str
    old_commit: str
    new_commit: str

    @staticmethod
    def from_json(line: str) -> "Pair":
        """A pair from its manifest line; `ValueError` when the line is not one."""
        fields = json.loads(line)
        fields.setdefault("old_path", fields.get("path"))
        try:
            pair = Pair(**fields)
        except TypeError as e:
            raise ValueError(f"not a manifest line: {e}") from None
        if pair.id != pair_id(pair.repo, pair.path, pair.old_commit, pair.new_commit):
            raise ValueError(
                f"pair {pair.id}: its id does not match its repository, path and commits"
            )
        return pair

    def to_json(self) -> str:
        """The pair's manifest line (without the newline); `old_path` only
        when the file was renamed."""
        fields = asdict(self)
        if self.old_path == self.path:
            del fields["old_path"]
        return json.dumps(fields, separators=(",", ":"))

    @property
    def suffix(self) -> str:
        """The extension both files of the pair are written with."""
        return PurePosixPath(self.path).suffix.lower() or ".template"


def pair_id(repo: str, path: str, old_commit: str, new_commit: str) -> str:
    """A short, stable id: the same pair gets the same id on every assembly."""
    key = f"{repo}\n{path}\n{old_commit}\n{new_commit}".encode()
    return hashlib.sha256(key).hexdigest()[:12]


def template_format(data: bytes) -> Optional[str]:
    """`json` or `yaml` when the bytes are a CloudFormation template (a JSON
    object, or YAML text, with a top-level `AWSTemplateFormatVersion` or
    `Resources`), otherwise None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        try:
            doc = json.loads(text.lstrip("\ufeff"))
        except ValueError:
            return None
        if isinstance(doc, dict) and ("Resources" in doc or "AWSTemplateFormatVersion" in doc):
            return "json"
        return None
    return "yaml" if _YAML_TOP_KEY.search(text) else None


def parse_repo_args(args: Iterable[str]) -> Dict[str, Path]:
    """`owner/name=CLONE` arguments (or a bare CLONE whose `origin` remote is
    on GitHub) as a mapping of repository name to git directory."""
    repos: Dict[str, Path] = {}
    for arg in args:
        name, sep, where = arg.partition("=")
        if not sep:
            where, name = arg, ""
        if not Path(where).is_dir():
            raise AssemblyError(f"{where}: no such directory (expected a clone of the repository)")
        git_dir = gitrepo.git_dir_of(Path(where))
        if not name:
            name = gitrepo.origin_name(git_dir) or ""
        if not name:
            raise AssemblyError(
                f"{where}: cannot tell which repository this is; name it as OWNER/NAME={where}"
            )
        if name in repos:
            raise AssemblyError(f"{name}: given twice")
        repos[name] = git_dir
    return repos


def _spread(items: List[Pair], cap: Optional[int]) -> List[Pair]:
    """At most `cap` of `items`, evenly spaced over the history so that a
    capped repository still spans its years."""
    if cap is None or len(items) <= cap:
        return items
    if cap <= 0:
        return []
    step = len(items) / cap
    return [items[int(i * step)] for i in range(cap)]


def walk(repo: str, git_dir: Path, cap: Optional[int] = None) -> tuple:
    """The pairs of one repository's first-parent history, and what the walk
    found (counts for `assembly.json`)."""
    found: List[Pair] = []
    seen = set()
    stats = {"head": gitrepo.head(git_dir), "changes": 0, "not_templates": 0, "duplicates": 0}
    with gitrepo.BlobReader(git_dir) as blobs:
        for change in gitrepo.modifications(git_dir):
            stats["changes"] += 1
            if template_format(blobs.read(change.old_blob)) is None or (
                template_format(blobs.read(change.new_blob)) is None
            ):
                stats["not_templates"] += 1
                continue
            # The same edit of a template copied under several paths is one pair.
            if (change.old_blob, change.new_blob) in seen:
                stats["duplicates"] += 1
                continue
            seen.add((change.old_blob, change.new_blob))
            found.append(
                Pair(
                    id=pair_id(repo, change.path, change.old_commit, change.new_commit),
                    repo=repo,
                    path=change.path,
                    old_path=change.old_path,
                    old_commit=change.old_commit,
                    new_commit=change.new_commit,
                )
            )
    stats["pairs_found"] = len(found)
    kept = _spread(found, cap)
    stats["pairs_kept"] = len(kept)
    return kept, stats


def read_manifest(path: Path) -> List[Pair]:
    """The pairs of a manifest file."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    pairs.append(Pair.from_json(line))
                except ValueError as e:
                    raise AssemblyError(f"{path}:{number}: {e}") from None
    return pairs


def write_corpus(out: Path, pairs: List[Pair], repos: Dict[str, Path], stats: dict) -> None:
    """Writes the pair files, the manifest and `assembly.json` into `out`,
    which must be empty or absent; nothing is left behind on failure."""
    if out.exists() and any(out.iterdir()):
        raise AssemblyError(f"{out}: not empty; give a new directory for the corpus")
    staging = out.with_name(out.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "pairs").mkdir(parents=True)
    try:
        by_repo: Dict[str, List[Pair]] = {}
        for pair in pairs:
            by_repo.setdefault(pair.repo, []).append(pair)
        for repo, repo_pairs in by_repo.items():
            if repo not in repos:
                raise AssemblyError(f"{repo}: the manifest needs a clone of it (OWNER/NAME=CLONE)")
            with gitrepo.BlobReader(repos[repo]) as blobs:
                for pair in repo_pairs:
                    folder = staging / "pairs" / pair.id
                    folder.mkdir()
                    old = blobs.read(f"{pair.old_commit}:{pair.old_path}")
                    (folder / f"old{pair.suffix}").write_bytes(old)
                    new = blobs.read(f"{pair.new_commit}:{pair.path}")
                    (folder / f"new{pair.suffix}").write_bytes(new)
        with open(staging / "manifest.jsonl", "w", encoding="utf-8") as f:
            for pair in pairs:
                f.write(pair.to_json() + "\n")
        with open(staging / "assembly.json", "w", encoding="utf-8") as f:
            json.dump(stats, f, indent=2, sort_keys=True)
            f.write("\n")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        out.rmdir()
    staging.rename(out)


def assemble(
    out: Path,
    repos: Dict[str, Path],
    *,
    manifest: Optional[Path] = None,
    cap_per_repo: Optional[int] = None,
) -> List[Pair]:
    """Assembles a corpus into `out`: from a manifest (the same pairs again),
    or by walking the history of every repository."""
    if manifest is not None:
        pairs = read_manifest(manifest)
        stats = {"from_manifest": True, "pairs": len(pairs)}
    else:
        pairs = []
        stats = {"from_manifest": False, "cap_per_repo": cap_per_repo, "repositories": {}}
        for repo, git_dir in repos.items():
            kept, repo_stats = walk(repo, git_dir, cap_per_repo)
            pairs.extend(kept)
            stats["repositories"][repo] = repo_stats
        stats["pairs"] = len(pairs)
    write_corpus(out, pairs, repos, stats)
    return pairs
