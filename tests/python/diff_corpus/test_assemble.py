"""The corpus assembler walks first-parent history and reassembles from its manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from diffcorpus import __main__ as cli
from diffcorpus import assemble
from history import BUCKET_A, BUCKET_B, BUCKET_RENAMED, NETWORK_NEW, make_history

REPO = "example/templates"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    root = tmp_path_factory.mktemp("history") / "repo"
    return root, make_history(root)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"Resources": {}}', "json"),
        ('\ufeff {"AWSTemplateFormatVersion": "2010-09-09"}', "json"),
        ('{"name": "package", "Resources": 1}', "json"),
        ('{"name": "package"}', None),
        ('{"Resources": ', None),
        ("AWSTemplateFormatVersion: '2010-09-09'\n", "yaml"),
        ("Description: x\n'Resources':\n  A: {}\n", "yaml"),
        ("config:\n  Resources: nested, not a template\n", None),
        ("# Resources: in a comment\nname: x\n", None),
    ],
)
def test_template_format(text: str, expected: object) -> None:
    assert assemble.template_format(text.encode()) == expected


def test_template_format_refuses_bytes_that_are_not_utf8() -> None:
    assert assemble.template_format(b"Resources:\n  \xff\n") is None


def test_walk_pairs_consecutive_versions_on_the_first_parent_line(history: tuple) -> None:
    root, commits = history
    pairs, stats = assemble.walk(REPO, Path(root) / ".git")
    got = [(p.path, p.old_path, p.old_commit, p.new_commit) for p in pairs]
    assert got == [
        ("stack.yaml", "stack.yaml", commits["first"], commits["bucket"]),
        # The side branch's two commits are one change of the main line.
        ("stack.yaml", "stack.yaml", commits["bucket"], commits["merge"]),
        ("app.yaml", "stack.yaml", commits["merge"], commits["rename"]),
        ("network.json", "network.json", commits["network_added"], commits["network"]),
    ]
    # notes.json changed too, but is no template; added files have no pair.
    assert stats["not_templates"] == 1
    assert stats["pairs_found"] == stats["pairs_kept"] == 4
    assert pairs[0].id == assemble.pair_id(REPO, "stack.yaml", commits["first"], commits["bucket"])


def test_cap_spreads_the_kept_pairs_over_the_history(history: tuple) -> None:
    root, _ = history
    everything, _ = assemble.walk(REPO, Path(root) / ".git")
    kept, stats = assemble.walk(REPO, Path(root) / ".git", cap=2)
    assert [p.id for p in kept] == [everything[0].id, everything[2].id]
    assert stats["pairs_found"] == 4 and stats["pairs_kept"] == 2


def test_assemble_writes_the_pairs_and_reassembles_them_from_the_manifest(
    history: tuple, tmp_path: Path
) -> None:
    root, _ = history
    first = tmp_path / "first"
    assert cli.main(["assemble", str(first), f"{REPO}={root}"]) == 0
    manifest = [json.loads(line) for line in (first / "manifest.jsonl").read_text().splitlines()]
    assert len(manifest) == 4
    one = manifest[0]
    assert (first / "pairs" / one["id"] / "old.yaml").read_text() == BUCKET_A
    assert (first / "pairs" / one["id"] / "new.yaml").read_text() == BUCKET_B
    assert (first / "pairs" / manifest[2]["id"] / "new.yaml").read_text() == BUCKET_RENAMED
    assert json.loads((first / "pairs" / manifest[3]["id"] / "new.json").read_text()) == NETWORK_NEW

    again = tmp_path / "again"
    argv = ["assemble", "--manifest", str(first / "manifest.jsonl"), str(again), f"{REPO}={root}"]
    assert cli.main(argv) == 0
    assert (again / "manifest.jsonl").read_text() == (first / "manifest.jsonl").read_text()
    for pair in manifest:
        for name in ("old", "new"):
            suffix = Path(pair["path"]).suffix
            written = (again / "pairs" / pair["id"] / f"{name}{suffix}").read_bytes()
            assert written == (first / "pairs" / pair["id"] / f"{name}{suffix}").read_bytes()


def test_assemble_refuses_a_directory_that_is_not_empty(
    history: tuple, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root, _ = history
    (tmp_path / "mine.txt").write_text("keep me")
    assert cli.main(["assemble", str(tmp_path), f"{REPO}={root}"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_assemble_asks_for_the_name_of_a_clone_without_a_github_remote(
    history: tuple, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root, _ = history
    assert cli.main(["assemble", str(tmp_path / "out"), str(root)]) == 2
    assert f"name it as OWNER/NAME={root}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_assemble_from_a_manifest_needs_every_repository_it_names(
    history: tuple, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root, _ = history
    first = tmp_path / "first"
    assert cli.main(["assemble", str(first), f"{REPO}={root}"]) == 0
    argv = [
        "assemble",
        "--manifest",
        str(first / "manifest.jsonl"),
        str(tmp_path / "b"),
        f"other/x={root}",
    ]
    assert cli.main(argv) == 2
    assert "example/templates: the manifest needs a clone of it" in capsys.readouterr().err
    assert not (tmp_path / "b").exists() and not (tmp_path / "b.partial").exists()


def test_a_manifest_line_whose_id_does_not_match_is_refused(
    history: tuple, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root, commits = history
    first = tmp_path / "first"
    assert cli.main(["assemble", str(first), f"{REPO}={root}"]) == 0
    lines = (first / "manifest.jsonl").read_text().splitlines()
    edited = json.loads(lines[1])
    edited["new_commit"] = commits["rename"]
    (tmp_path / "edited.jsonl").write_text(json.dumps(edited) + "\n")
    argv = [
        "assemble",
        "--manifest",
        str(tmp_path / "edited.jsonl"),
        str(tmp_path / "b"),
        f"{REPO}={root}",
    ]
    assert cli.main(argv) == 2
    assert "edited.jsonl:1: pair " in capsys.readouterr().err
    assert not (tmp_path / "b").exists()
