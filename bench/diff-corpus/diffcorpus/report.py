"""The figures of a comparison run, and the correctness of both tools on the
adjudicated sample.

An adjudication (one JSON object a line) records, for one resource of one
pair and one category, what is true by CloudFormation's documented behaviour
(`truth`, in the vocabulary of `classify.View`) and why (`reason`). Because it
records the truth rather than a winner, it scores both tools again on every
later run, whatever their output has become.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from . import classify

SYNTH_FAILURES = ("refused", "crash", "timeout", "invalid_json")
CDK_FAILURES = ("refused", "crash", "timeout")


def read_results(results: Path) -> List[dict]:
    """The per-pair records of a results directory."""
    with open(results / "results.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_adjudications(path: Optional[Path]) -> List[dict]:
    """The adjudications of a file; none when there is no file."""
    if path is None or not path.exists():
        return []
    entries = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            missing = {"pair", "resource", "category", "truth", "reason"} - set(entry)
            if missing:
                raise ValueError(f"{path}:{number}: missing {', '.join(sorted(missing))}")
            if entry["category"] not in classify.CATEGORY_FIELD:
                raise ValueError(f"{path}:{number}: unknown category {entry['category']!r}")
            entries.append(entry)
    return entries


def _pct(part: int, whole: int) -> Optional[float]:
    return round(100.0 * part / whole, 1) if whole else None


def _timing(values: List[float]) -> dict:
    if not values:
        return {}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "pairs": len(values),
        "median_ms": round(statistics.median(values) * 1000, 1),
        "p90_ms": round(at(0.9) * 1000, 1),
        "p99_ms": round(at(0.99) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "total_s": round(sum(values), 1),
    }


def _view(record: dict, logical_id: str, tool: str) -> classify.View:
    for res in record.get("resources", []):
        if res["logical_id"] == logical_id:
            v = res[tool]
            return classify.View(
                change=v["change"],
                impact=v["impact"],
                properties=frozenset(v["properties"]),
                security=frozenset(v["security"]),
            )
    return classify.UNCHANGED


def _normal(value):
    return sorted(value) if isinstance(value, list) else value


def score(records: Iterable[dict], adjudications: List[dict]) -> dict:
    """Both tools scored against the adjudicated truths."""
    by_id = {r["id"]: r for r in records}
    lines = []
    tally: Counter = Counter()
    per_category: Dict[str, Counter] = {}
    for entry in adjudications:
        record = by_id.get(entry["pair"])
        if record is None or "resources" not in record:
            tally["not_measured"] += 1
            continue
        name = classify.CATEGORY_FIELD[entry["category"]]
        truth = _normal(entry["truth"])
        synth = _view(record, entry["resource"], "synth").field(name)
        cdk = _view(record, entry["resource"], "cdk").field(name)
        who = {(True, True): "both", (True, False): "synth", (False, True): "cdk"}.get(
            (synth == truth, cdk == truth), "neither"
        )
        tally[who] += 1
        per_category.setdefault(entry["category"], Counter())[who] += 1
        lines.append(
            {
                "pair": entry["pair"],
                "repo": record["repo"],
                "path": record["path"],
                "resource": entry["resource"],
                "category": entry["category"],
                "right": who,
                "truth": truth,
                "synth": synth,
                "cdk": cdk,
                "reason": entry["reason"],
            }
        )
    measured = sum(tally[k] for k in ("both", "synth", "cdk", "neither"))
    return {
        "entries": len(adjudications),
        "measured": measured,
        "synth_right": tally["synth"] + tally["both"],
        "cdk_right": tally["cdk"] + tally["both"],
        "only_synth_right": tally["synth"],
        "only_cdk_right": tally["cdk"],
        "both_right": tally["both"],
        "neither_right": tally["neither"],
        "not_measured": tally["not_measured"],
        "by_category": {k: dict(v) for k, v in sorted(per_category.items())},
        "lines": lines,
    }


def _transitions(records: List[dict], category: str, limit: int = 8) -> List[list]:
    """The most frequent (synth, CDK) pairs of values in one category."""
    name = classify.CATEGORY_FIELD[category]
    counts: Counter = Counter()
    for record in records:
        for res in record.get("resources", []):
            if category in res["categories"]:
                s, c = res["synth"][name], res["cdk"][name]
                if isinstance(s, list):
                    only_s = sorted(set(s) - set(c))
                    only_c = sorted(set(c) - set(s))
                    s, c = "+".join(only_s) or "-", "+".join(only_c) or "-"
                counts[(s, c)] += 1
    return [[s, c, n] for (s, c), n in counts.most_common(limit)]


def summarize(records: List[dict], run: dict, adjudications: List[dict]) -> dict:
    """Every figure of a run."""
    compared = [r for r in records if "resources" in r]
    synth_status = Counter(r["synth"]["status"] for r in records)
    cdk_status = Counter(r["cdk"]["status"] for r in records)
    resources = [res for r in compared for res in r["resources"]]
    agreeing = sum(1 for res in resources if res["agree"])
    categories = {}
    for cat, meaning in classify.CATEGORIES.items():
        hit = [r for r in compared if any(cat in res["categories"] for res in r["resources"])]
        categories[cat] = {
            "meaning": meaning,
            "resources": sum(1 for res in resources if cat in res["categories"]),
            "pairs": len(hit),
            "most_frequent": _transitions(compared, cat),
        }
    synth_only: Counter = Counter()
    for res in resources:
        for cat in res["synth"].get("synth_only", []):
            synth_only[cat] += 1
    by_repo = {}
    for repo in sorted({r["repo"] for r in records}):
        mine = [r for r in records if r["repo"] == repo]
        both = [r for r in mine if "resources" in r]
        by_repo[repo] = {
            "pairs": len(mine),
            "compared": len(both),
            "agree": sum(1 for r in both if r["agree"]),
            "agree_pct": _pct(sum(1 for r in both if r["agree"]), len(both)),
        }
    schema_invalid = [r["id"] for r in records if r["synth"].get("schema_valid") is False]
    failures = {
        "synth": {
            k: [r["id"] for r in records if r["synth"]["status"] == k] for k in SYNTH_FAILURES
        },
        "cdk": {k: [r["id"] for r in records if r["cdk"]["status"] == k] for k in CDK_FAILURES},
    }
    synth_times = [r["synth"]["seconds"] for r in records if r["synth"]["status"] == "ok"]
    cdk_times = [
        (r["cdk"]["parse_ms"] + r["cdk"]["diff_ms"]) / 1000
        for r in records
        if r["cdk"]["status"] == "ok"
    ]
    cdk_round = [r["cdk"]["seconds"] for r in records if r["cdk"]["status"] == "ok"]
    renamed = sum(1 for res in resources if res["synth"].get("renamed"))
    return {
        "run": run,
        "pairs": {
            "total": len(records),
            "compared": len(compared),
            "agree": sum(1 for r in compared if r["agree"]),
            "agree_pct": _pct(sum(1 for r in compared if r["agree"]), len(compared)),
            "with_changes": sum(1 for r in compared if r["resources"]),
        },
        "resources": {
            "compared": len(resources),
            "agree": agreeing,
            "agree_pct": _pct(agreeing, len(resources)),
            "renamed_by_synth": renamed,
        },
        "categories": categories,
        "synth_only_findings": dict(synth_only.most_common()),
        "status": {"synth": dict(synth_status), "cdk": dict(cdk_status)},
        "failures": failures,
        "schema_invalid": schema_invalid,
        "timing": {
            "synth_process": _timing(synth_times),
            "cdk_in_process": _timing(cdk_times),
            "cdk_round_trip": _timing(cdk_round),
            "cdk_startup_ms": run.get("cdk_startup_ms", []),
        },
        "by_repo": by_repo,
        "adjudication": score(records, adjudications),
    }


def _fmt(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    return str(value)


def markdown(summary: dict) -> str:
    """The summary as Markdown, for the README."""
    run, pairs, res = summary["run"], summary["pairs"], summary["resources"]
    out = [
        f"Measured on {run['date']}: sources at `{run['source_commit']}`, "
        f"`{run['synth_version']}`, @aws-cdk/cloudformation-diff {run['cloudformation_diff']} "
        f"(aws-service-spec {run['aws_service_spec']}), Node.js {run['node']}, {run['machine']}.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| pairs | {pairs['total']} |",
        f"| pairs both tools read | {pairs['compared']} |",
        f"| pairs in full agreement | {pairs['agree']} ({pairs['agree_pct']} %) |",
        f"| resources either tool reports changed | {res['compared']} |",
        f"| resources in agreement | {res['agree']} ({res['agree_pct']} %) |",
        f"| resources synth pairs as renames | {res['renamed_by_synth']} |",
        f"| synth JSON outputs that break the schema | {len(summary['schema_invalid'])} |",
    ]
    for tool, kinds in summary["failures"].items():
        for kind, ids in kinds.items():
            out.append(f"| {tool}: {kind.replace('_', ' ')} | {len(ids)} |")
    out += [
        "",
        "| disagreement | resources | pairs | most frequent (synth / CDK: resources) |",
        "|---|---|---|---|",
    ]
    for c in summary["categories"].values():
        freq = "; ".join(f"{s} / {k}: {n}" for s, k, n in c["most_frequent"][:4])
        out.append(f"| {c['meaning']} | {c['resources']} | {c['pairs']} | {freq} |")
    if summary["synth_only_findings"]:
        found = ", ".join(f"{k} {v}" for k, v in summary["synth_only_findings"].items())
        out += ["", f"Resources with findings only synth makes (no CDK counterpart): {found}."]
    t = summary["timing"]
    out += ["", "| time per pair | median | p90 | p99 | max | total |", "|---|---|---|---|---|---|"]
    for label, key in (
        ("`synth diff --format json`, whole process", "synth_process"),
        ("CDK `fullDiff`, parse and diff inside a warm Node.js", "cdk_in_process"),
    ):
        x = t[key]
        if x:
            out.append(
                f"| {label} | {x['median_ms']} ms | {x['p90_ms']} ms | {x['p99_ms']} ms "
                f"| {x['max_ms']} ms | {x['total_s']} s |"
            )
    if t["cdk_startup_ms"]:
        first = t["cdk_startup_ms"][0] / 1000
        out.append(f"\nCDK's worker took {first:.1f} s to start (loading its database), once.")
    out += ["", "| repository | pairs | read by both | in full agreement |", "|---|---|---|---|"]
    for repo, r in summary["by_repo"].items():
        out.append(
            f"| {repo} | {r['pairs']} | {r['compared']} | {r['agree']} ({r['agree_pct']} %) |"
        )
    a = summary["adjudication"]
    if a["entries"]:
        out += [
            "",
            f"Adjudicated sample: {a['measured']} disagreements (of {a['entries']} adjudicated). "
            f"synth right on {a['synth_right']}, CDK right on {a['cdk_right']} "
            f"(only synth {a['only_synth_right']}, only CDK {a['only_cdk_right']}, "
            f"both {a['both_right']}, neither {a['neither_right']}).",
            "",
            "| category | only synth right | only CDK right | both | neither |",
            "|---|---|---|---|---|",
        ]
        for cat, c in a["by_category"].items():
            counts = " | ".join(str(c.get(k, 0)) for k in ("synth", "cdk", "both", "neither"))
            out.append(f"| {cat} | {counts} |")
        out += [
            "",
            "| pair | resource | right | truth | synth | CDK | why |",
            "|---|---|---|---|---|---|---|",
        ]
        for line in a["lines"]:
            where = f"`{line['pair']}` | `{line['resource']}`"
            values = " | ".join(_fmt(line[k]) for k in ("truth", "synth", "cdk"))
            out.append(f"| {where} | {line['right']} | {values} | {line['reason']} |")
    return "\n".join(out) + "\n"


def sample(records: List[dict], adjudications: List[dict], count: int) -> List[dict]:
    """Disagreements to adjudicate next: taken in turn from each category and,
    within one, from each repository, in an order fixed by a hash of the pair
    and resource, leaving out those already adjudicated."""
    done = {(a["pair"], a["resource"], a["category"]) for a in adjudications}
    pools: Dict[str, Dict[str, List[dict]]] = {}
    for record in records:
        for res in record.get("resources", []):
            for cat in res["categories"]:
                if (record["id"], res["logical_id"], cat) in done:
                    continue
                name = classify.CATEGORY_FIELD[cat]
                key = hashlib.sha256(
                    f"{record['id']}/{res['logical_id']}/{cat}".encode()
                ).hexdigest()
                item = {
                    "pair": record["id"],
                    "resource": res["logical_id"],
                    "category": cat,
                    "type": res["type"],
                    "synth": res["synth"][name],
                    "cdk": res["cdk"][name],
                    "repo": record["repo"],
                    "path": record["path"],
                    "_key": key,
                }
                pools.setdefault(cat, {}).setdefault(record["repo"], []).append(item)
    for by_repo in pools.values():
        for items in by_repo.values():
            items.sort(key=lambda i: i["_key"])
    picked: List[dict] = []
    queues = {cat: [list(v) for _, v in sorted(r.items())] for cat, r in pools.items()}
    turn = {cat: 0 for cat in queues}
    while len(picked) < count and any(any(q) for q in queues.values()):
        for cat in classify.CATEGORIES:
            repos = queues.get(cat, [])
            if not any(repos) or len(picked) >= count:
                continue
            while not repos[turn[cat] % len(repos)]:
                turn[cat] += 1
            item = repos[turn[cat] % len(repos)].pop(0)
            turn[cat] += 1
            item.pop("_key")
            picked.append(item)
    return picked
