"""What each tool says about each resource, in one vocabulary, and where they
disagree.

Both diffs are brought to a `View` per logical ID:

- `change`: `added`, `removed`, `modified` or `unchanged`. A rename (synth
  only) is the removal of the old logical ID and the addition of the new one,
  which is what CloudFormation does and what CDK reports.
- `impact`: `create`, `destroy`, `orphan` (removed but kept in the account:
  `DeletionPolicy` `Retain` or `RetainExceptOnCreate`; with `Snapshot` the
  resource is deleted, so it is destroyed),
  `replace`, `may_replace`, `update`, `none`.
- `properties`: the top-level properties whose text differs, and the resource
  attributes that differ as `@DependsOn`, `@Metadata`, ... Values either tool
  lists only because a replaced resource they read gets a new value (synth's
  `caused_by`, CDK's propagated replacements) are left out: the text is the
  same, and the impact says the rest. A reference to a renamed resource is
  kept: it names the new logical ID.
- `security`: `iam` (policy statements or managed policies changed),
  `iam_broadens`, `sg` (security-group rules changed), `sg_broadens`: what
  both tools can say. Synth's other findings (encryption, retention, ...) have
  no counterpart in CDK and are counted apart (`synth_only`).

A resource is compared in four categories, named in `CATEGORIES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Tuple

# The order is the order of the report.
CATEGORIES = {
    "added_removed": "added or removed (or destroyed against orphaned)",
    "replacement": "replacement verdict (at least one says replace or may replace)",
    "update_vs_noop": "updated against nothing happens (no replacement either side)",
    "property_changed": "the set of changed properties and attributes",
    "security": "IAM and security-group findings",
}

_SYNTH_IAM = {"policy_statement", "policy_attachment", "tls_only"}
_CDK_IMPACT = {
    "WILL_CREATE": "create",
    "WILL_DESTROY": "destroy",
    "WILL_ORPHAN": "orphan",
    "WILL_REPLACE": "replace",
    "MAY_REPLACE": "may_replace",
    "WILL_UPDATE": "update",
    "NO_CHANGE": "none",
    "WILL_IMPORT": "import",
}
_REPLACING = {"replace", "may_replace"}


@dataclass(frozen=True)
class View:
    """One tool's verdict on one resource."""

    change: str = "unchanged"
    impact: str = "none"
    type: Optional[str] = None
    properties: FrozenSet[str] = frozenset()
    security: FrozenSet[str] = frozenset()
    synth_only: FrozenSet[str] = frozenset()
    renamed: bool = False

    def to_json(self) -> dict:
        """The view as the per-pair JSON shows it."""
        out = {
            "change": self.change,
            "impact": self.impact,
            "properties": sorted(self.properties),
            "security": sorted(self.security),
        }
        if self.synth_only:
            out["synth_only"] = sorted(self.synth_only)
        if self.renamed:
            out["renamed"] = True
        return out

    def field(self, name: str):
        """The value of a compared field, in the form adjudications record."""
        value = getattr(self, name)
        return sorted(value) if isinstance(value, frozenset) else value


UNCHANGED = View()


def _top_level(pointer: str, path: str) -> str:
    parts = pointer.split("/")
    if len(parts) >= 3 and parts[1] == "properties":
        return parts[2].replace("~1", "/").replace("~0", "~")
    return path.split(".")[0].split("[")[0]


def _security_tags(category: str, direction: str) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """Comparable tags and synth-only tags of one synth finding."""
    if category in _SYNTH_IAM:
        tags = {"iam"} | ({"iam_broadens"} if direction == "broadens" else set())
        return frozenset(tags), frozenset()
    if "security_group" in category or "network" in category:
        tags = {"sg"} | ({"sg_broadens"} if direction == "broadens" else set())
        return frozenset(tags), frozenset()
    return frozenset(), frozenset({category})


def _removal(res: dict) -> str:
    """`orphan` when the removed resource stays in the account, else `destroy`."""
    kept = (res.get("orphans") or {}).get("policy")
    return "orphan" if kept in ("Retain", "RetainExceptOnCreate") else "destroy"


def synth_views(doc: dict) -> Dict[str, View]:
    """The views of `synth diff --format json` output."""
    security: Dict[str, set] = {}
    only: Dict[str, set] = {}
    for finding in doc.get("security", []):
        tags, extra = _security_tags(finding.get("category", ""), finding.get("direction", ""))
        security.setdefault(finding["logical_id"], set()).update(tags)
        only.setdefault(finding["logical_id"], set()).update(extra)

    # A reference to a renamed resource names its new logical ID: its text
    # changes, though synth lists it as following the rename (`caused_by`).
    renamed = {r["logical_id"] for r in doc.get("resources", []) if r["kind"] == "renamed"}
    views: Dict[str, View] = {}
    for res in doc.get("resources", []):
        lid, kind, impact = res["logical_id"], res["kind"], res["impact"]
        sec = frozenset(security.get(lid, ()))
        extra = frozenset(only.get(lid, ()))
        if kind == "renamed":
            old_id = res.get("old_logical_id", lid)
            views[old_id] = View(
                change="removed",
                impact=_removal(res),
                type=res.get("old_type"),
                renamed=True,
            )
            views[lid] = View(
                change="added",
                impact="create",
                type=res.get("new_type"),
                security=sec,
                synth_only=extra,
                renamed=True,
            )
            continue
        if kind == "added":
            views[lid] = View(
                "added", "create", res.get("new_type"), security=sec, synth_only=extra
            )
        elif kind == "removed":
            orphan = _removal(res)
            views[lid] = View(
                "removed", orphan, res.get("old_type"), security=sec, synth_only=extra
            )
        else:
            props = set()
            if kind == "modified":
                for prop in res.get("properties", []):
                    if prop.get("caused_by") and prop["caused_by"] not in renamed:
                        continue
                    props.add(_top_level(prop.get("pointer", ""), prop.get("path", "")))
                for attr in res.get("attributes", []):
                    props.add("@" + attr["attribute"])
            views[lid] = View(
                "modified",
                impact,
                res.get("new_type") or res.get("old_type"),
                frozenset(props),
                sec,
                extra,
            )
    return views


def _cdk_tags(counts: dict, tag: str) -> set:
    """`tag` when CDK counts any addition or removal, and `tag_broadens` when
    it says the change broadens."""
    tags = set()
    if any(n for key, n in counts.items() if key.endswith(("_additions", "_removals"))):
        tags.add(tag)
    if counts.get("broadens"):
        tags.update({tag, f"{tag}_broadens"})
    return tags


def cdk_views(reply: dict) -> Dict[str, View]:
    """The views of the CDK worker's answer for one pair."""
    views: Dict[str, View] = {}
    for lid, res in reply.get("resources", {}).items():
        tags = _cdk_tags(res.get("iam", {}), "iam") | _cdk_tags(
            res.get("security_groups", {}), "sg"
        )
        impact = _CDK_IMPACT.get(res["impact"], res["impact"].lower())
        props = frozenset()
        if res["change"] == "modified" and res.get("old_type") == res.get("new_type"):
            textual = set(res.get("properties", {})) - set(res.get("follow_on", []))
            props = frozenset(textual | {"@" + a for a in res.get("attributes", [])})
        views[lid] = View(
            res["change"],
            impact,
            res.get("new_type") or res.get("old_type"),
            props,
            frozenset(tags),
        )
    return views


@dataclass
class ResourceComparison:
    """Both verdicts on one resource and the categories they differ in."""

    logical_id: str
    synth: View
    cdk: View
    categories: List[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The comparison as the per-pair JSON shows it."""
        return {
            "logical_id": self.logical_id,
            "type": self.synth.type or self.cdk.type,
            "agree": not self.categories,
            "categories": self.categories,
            "synth": self.synth.to_json(),
            "cdk": self.cdk.to_json(),
        }


# The field of a `View` each category is about, for adjudications.
CATEGORY_FIELD = {
    "added_removed": "change",
    "replacement": "impact",
    "update_vs_noop": "impact",
    "property_changed": "properties",
    "security": "security",
}


def categories(synth: View, cdk: View) -> List[str]:
    """The categories in which two views of one resource disagree."""
    found = []
    ends = {"added", "removed"}
    if synth.change in ends or cdk.change in ends:
        if synth.change != cdk.change or synth.impact != cdk.impact:
            found.append("added_removed")
    else:
        if synth.impact != cdk.impact:
            replacing = synth.impact in _REPLACING or cdk.impact in _REPLACING
            found.append("replacement" if replacing else "update_vs_noop")
        if synth.properties != cdk.properties:
            found.append("property_changed")
    if synth.security != cdk.security:
        found.append("security")
    return found


def compare(synth: Dict[str, View], cdk: Dict[str, View]) -> List[ResourceComparison]:
    """Every resource either tool reports, with where they disagree, in the
    order of the logical IDs."""
    out = []
    for lid in sorted(set(synth) | set(cdk)):
        s, c = synth.get(lid, UNCHANGED), cdk.get(lid, UNCHANGED)
        out.append(ResourceComparison(lid, s, c, categories(s, c)))
    return out
