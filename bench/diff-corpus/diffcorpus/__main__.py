"""Command line: `python -m diffcorpus assemble|compare|reclassify|report|sample ...`
(run.sh runs them in turn)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional

from . import assemble, compare, gitrepo, report

HERE = Path(__file__).resolve().parent.parent
REPO_ROOT = HERE.parent.parent


def _assemble(args: argparse.Namespace) -> int:
    repos = assemble.parse_repo_args(args.repos)
    pairs = assemble.assemble(
        args.out, repos, manifest=args.manifest, cap_per_repo=args.cap_per_repo
    )
    print(f"{len(pairs)} pairs in {args.out}", file=sys.stderr)
    return 0


def _compare(args: argparse.Namespace) -> int:
    records = compare.compare_corpus(
        args.corpus,
        args.out,
        synth=args.synth,
        cdk_script=args.cdk_script,
        schema_path=args.schema,
        source=REPO_ROOT,
        timeout=args.timeout,
        limit=args.limit,
    )
    print(f"{len(records)} pairs compared into {args.out}", file=sys.stderr)
    return 0


def _reclassify(args: argparse.Namespace) -> int:
    records = compare.reclassify(args.results)
    print(f"{len(records)} pairs classified again in {args.results}", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    records = report.read_results(args.results)
    with open(args.results / "run.json", encoding="utf-8") as f:
        run = json.load(f)
    summary = report.summarize(records, run, report.read_adjudications(args.adjudications))
    text = report.markdown(summary)
    for path, content in (
        (args.json, json.dumps(summary, indent=2) + "\n"),
        (args.markdown, text),
    ):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    sys.stdout.write(text)
    return 0


def _sample(args: argparse.Namespace) -> int:
    records = report.read_results(args.results)
    picked = report.sample(records, report.read_adjudications(args.adjudications), args.count)
    for item in picked:
        print(json.dumps(item))
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line's parser."""
    p = argparse.ArgumentParser(
        prog="diffcorpus",
        description="Compare `synth diff` with CDK's template diff on real template history.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("assemble", help="gather pairs of consecutive template versions")
    a.add_argument("out", type=Path, help="the corpus directory to create (new or empty)")
    a.add_argument(
        "repos",
        nargs="+",
        metavar="OWNER/NAME=CLONE",
        help="a clone (or bare mirror) of a public repository, with its GitHub name",
    )
    a.add_argument("--manifest", type=Path, help="take exactly the pairs of this manifest")
    a.add_argument(
        "--cap-per-repo",
        type=int,
        help="keep at most N pairs of each repository, spread over its history",
    )
    a.set_defaults(run=_assemble)

    c = sub.add_parser("compare", help="run both diffs on every pair of a corpus")
    c.add_argument("corpus", type=Path)
    c.add_argument("out", type=Path, help="the results directory (replaced)")
    c.add_argument("--synth", type=Path, required=True, help="the synth binary to measure")
    c.add_argument("--cdk-script", type=Path, default=HERE / "cdk" / "cdk-diff.js")
    c.add_argument(
        "--schema",
        type=Path,
        default=REPO_ROOT / "crates" / "cfn-diff" / "schema" / "diff.schema.json",
    )
    c.add_argument("--timeout", type=float, default=60.0, help="seconds per pair and tool")
    c.add_argument("--limit", type=int, help="compare only the first N pairs")
    c.set_defaults(run=_compare)

    rc = sub.add_parser(
        "reclassify", help="classify a results directory again from the saved tool outputs"
    )
    rc.add_argument("results", type=Path)
    rc.set_defaults(run=_reclassify)

    r = sub.add_parser("report", help="the figures of a results directory")
    r.add_argument("results", type=Path)
    r.add_argument("--adjudications", type=Path, default=HERE / "adjudications.jsonl")
    r.add_argument("--json", type=Path, help="also write the summary as JSON here")
    r.add_argument("--markdown", type=Path, help="also write the Markdown here")
    r.set_defaults(run=_report)

    s = sub.add_parser("sample", help="disagreements to adjudicate next, as JSON lines")
    s.add_argument("results", type=Path)
    s.add_argument("--adjudications", type=Path, default=HERE / "adjudications.jsonl")
    s.add_argument("-n", "--count", type=int, default=40)
    s.set_defaults(run=_sample)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    """Runs one command; errors are printed, not raised."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (assemble.AssemblyError, gitrepo.GitError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
