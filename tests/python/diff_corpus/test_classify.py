"""Both tools' answers are brought to one vocabulary and compared per resource."""

from __future__ import annotations

from diffcorpus import classify, report


def synth_resource(lid: str, kind: str = "modified", impact: str = "update", **extra) -> dict:
    return {
        "logical_id": lid,
        "kind": kind,
        "impact": impact,
        "old_type": "AWS::X::Y",
        "new_type": "AWS::X::Y",
        **extra,
    }


def cdk_resource(change: str = "modified", impact: str = "WILL_UPDATE", **extra) -> dict:
    base = {
        "change": change,
        "old_type": "AWS::X::Y",
        "new_type": "AWS::X::Y",
        "impact": impact,
        "properties": {},
        "attributes": [],
        "iam": {
            "statement_additions": 0,
            "statement_removals": 0,
            "managed_policy_additions": 0,
            "managed_policy_removals": 0,
            "broadens": False,
        },
        "security_groups": {
            "ingress_additions": 0,
            "ingress_removals": 0,
            "egress_additions": 0,
            "egress_removals": 0,
            "broadens": False,
        },
    }
    base.update(extra)
    return base


def test_synth_properties_are_top_level_names_without_follow_on_changes() -> None:
    doc = {
        "resources": [
            synth_resource(
                "Fn",
                impact="may_replace",
                properties=[
                    {
                        "path": "Environment.Variables.A",
                        "pointer": "/properties/Environment/Variables/A",
                    },
                    {"path": "Tags[Key=a].Value", "pointer": "/properties/Tags/0/Value"},
                    {"path": "Role", "pointer": "/properties/Role", "caused_by": "Role"},
                ],
                attributes=[{"attribute": "DependsOn"}],
            )
        ]
    }
    view = classify.synth_views(doc)["Fn"]
    assert view.properties == {"Environment", "Tags", "@DependsOn"}
    assert view.impact == "may_replace"


def test_a_reference_to_a_renamed_resource_is_a_textual_change() -> None:
    doc = {
        "resources": [
            synth_resource("FnV2", kind="renamed", impact="replace", old_logical_id="Fn"),
            synth_resource(
                "Alarm",
                properties=[
                    {
                        "path": "Dimensions[0].Value",
                        "pointer": "/properties/Dimensions/0/Value",
                        "caused_by": "FnV2",
                    },
                    {
                        "path": "AlarmActions[0]",
                        "pointer": "/properties/AlarmActions/0",
                        "caused_by": "Topic",
                    },
                ],
            ),
        ]
    }
    assert classify.synth_views(doc)["Alarm"].properties == {"Dimensions"}


def test_a_synth_rename_is_a_removal_and_an_addition() -> None:
    doc = {
        "resources": [
            synth_resource(
                "New",
                kind="renamed",
                impact="replace",
                old_logical_id="Old",
                orphans={"attribute": "DeletionPolicy", "policy": "Retain", "consequence": "kept"},
            )
        ]
    }
    views = classify.synth_views(doc)
    assert (views["Old"].change, views["Old"].impact, views["Old"].renamed) == (
        "removed",
        "orphan",
        True,
    )
    assert (views["New"].change, views["New"].impact) == ("added", "create")


def test_a_removal_with_a_final_snapshot_destroys_the_resource() -> None:
    snapshot = {"attribute": "DeletionPolicy", "policy": "Snapshot", "consequence": "snapshot kept"}
    retained = {"attribute": "DeletionPolicy", "policy": "RetainExceptOnCreate", "consequence": "x"}
    doc = {
        "resources": [
            synth_resource("Db", kind="removed", impact="destroy", orphans=snapshot),
            synth_resource("Logs", kind="removed", impact="destroy", orphans=retained),
            synth_resource("Queue", kind="removed", impact="destroy"),
        ]
    }
    views = classify.synth_views(doc)
    assert [views[k].impact for k in ("Db", "Logs", "Queue")] == ["destroy", "orphan", "destroy"]


def test_security_findings_become_comparable_tags_and_synth_only_ones() -> None:
    doc = {
        "resources": [synth_resource("Role"), synth_resource("Bucket")],
        "security": [
            {"logical_id": "Role", "category": "policy_statement", "direction": "broadens"},
            {"logical_id": "Role", "category": "policy_attachment", "direction": "narrows"},
            {"logical_id": "Bucket", "category": "encryption", "direction": "broadens"},
            {"logical_id": "Bucket", "category": "tls_only", "direction": "narrows"},
        ],
    }
    views = classify.synth_views(doc)
    assert views["Role"].security == {"iam", "iam_broadens"}
    assert views["Bucket"].security == {"iam"}
    assert views["Bucket"].synth_only == {"encryption"}


def test_cdk_security_counts_become_tags() -> None:
    reply = {
        "resources": {
            "Role": cdk_resource(
                iam={
                    "statement_additions": 1,
                    "statement_removals": 1,
                    "managed_policy_additions": 0,
                    "managed_policy_removals": 0,
                    "broadens": True,
                }
            ),
            "Sg": cdk_resource(
                security_groups={
                    "ingress_additions": 0,
                    "ingress_removals": 1,
                    "egress_additions": 0,
                    "egress_removals": 0,
                    "broadens": False,
                }
            ),
        }
    }
    views = classify.cdk_views(reply)
    assert views["Role"].security == {"iam", "iam_broadens"}
    assert views["Sg"].security == {"sg"}


def test_cdk_follow_on_properties_are_not_textual_changes() -> None:
    reply = {
        "resources": {
            "Instance": cdk_resource(
                impact="WILL_REPLACE",
                properties={"SubnetId": "WILL_REPLACE", "Tags": "WILL_UPDATE"},
                follow_on=["SubnetId"],
            )
        }
    }
    view = classify.cdk_views(reply)["Instance"]
    assert (view.impact, view.properties) == ("replace", frozenset({"Tags"}))


def test_cdk_type_change_has_no_property_set() -> None:
    reply = {
        "resources": {
            "A": cdk_resource(
                impact="WILL_REPLACE", new_type="AWS::X::Z", properties={"P": "WILL_UPDATE"}
            )
        }
    }
    view = classify.cdk_views(reply)["A"]
    assert (view.impact, view.properties) == ("replace", frozenset())


def test_categories() -> None:
    view = classify.View
    upd = view("modified", "update", properties=frozenset({"P"}))
    assert classify.categories(upd, upd) == []
    assert classify.categories(
        view("modified", "may_replace", properties=frozenset({"P"})), upd
    ) == ["replacement"]
    assert classify.categories(
        view("modified", "none", properties=frozenset({"@Metadata"})),
        view("modified", "update", properties=frozenset({"@Metadata"})),
    ) == ["update_vs_noop"]
    assert classify.categories(view("removed", "orphan"), view("removed", "destroy")) == [
        "added_removed"
    ]
    assert classify.categories(view("added", "create"), classify.UNCHANGED) == ["added_removed"]
    # A resource only synth reports, because a replaced resource it reads gets a new value.
    assert classify.categories(view("modified", "may_replace"), classify.UNCHANGED) == [
        "replacement"
    ]
    assert classify.categories(
        view("modified", "update", properties=frozenset({"P"}), security=frozenset({"iam"})),
        view("modified", "update", properties=frozenset({"P", "Q"})),
    ) == ["property_changed", "security"]


def test_compare_covers_every_resource_either_tool_reports() -> None:
    synth = classify.synth_views({"resources": [synth_resource("A"), synth_resource("B")]})
    cdk = classify.cdk_views({"resources": {"B": cdk_resource(), "C": cdk_resource()}})
    got = [(r.logical_id, r.categories) for r in classify.compare(synth, cdk)]
    assert got == [("A", ["update_vs_noop"]), ("B", []), ("C", ["update_vs_noop"])]


def record(pair: str, repo: str, resources: list) -> dict:
    return {
        "id": pair,
        "repo": repo,
        "path": "t.yaml",
        "synth": {"status": "ok", "seconds": 0.01},
        "cdk": {"status": "ok", "seconds": 0.02, "parse_ms": 1.0, "diff_ms": 2.0},
        "resources": [r.to_json() for r in resources],
        "agree": all(not r.categories for r in resources),
    }


def test_score_on_adjudicated_truths() -> None:
    view = classify.View
    records = [
        record(
            "p1",
            "a/x",
            classify.compare(
                {"Asg": view("modified", "may_replace"), "Fn": view("modified", "update")},
                {"Asg": view("modified", "update")},
            ),
        )
    ]
    adjudications = [
        {
            "pair": "p1",
            "resource": "Asg",
            "category": "replacement",
            "truth": "update",
            "reason": "rolling update policy",
        },
        {
            "pair": "p1",
            "resource": "Fn",
            "category": "update_vs_noop",
            "truth": "update",
            "reason": "reads a replaced role",
        },
        {"pair": "gone", "resource": "A", "category": "security", "truth": [], "reason": "x"},
    ]
    got = report.score(records, adjudications)
    assert (got["only_cdk_right"], got["only_synth_right"], got["not_measured"]) == (1, 1, 1)
    assert got["by_category"] == {"replacement": {"cdk": 1}, "update_vs_noop": {"synth": 1}}
    assert got["lines"][0]["synth"] == "may_replace" and got["lines"][0]["cdk"] == "update"


def test_sample_takes_each_category_and_repository_in_turn() -> None:
    view = classify.View
    records = []
    for n in range(4):
        for repo in ("a/x", "b/y"):
            records.append(
                record(
                    f"{repo}{n}",
                    repo,
                    classify.compare(
                        {"R": view("modified", "replace"), "S": view("modified", "none")},
                        {"R": view("modified", "update"), "S": view("modified", "update")},
                    ),
                )
            )
    picked = report.sample(records, [], 4)
    assert [p["category"] for p in picked] == ["replacement", "update_vs_noop"] * 2
    assert {p["repo"] for p in picked if p["category"] == "replacement"} == {"a/x", "b/y"}
    done = [
        {"pair": p["pair"], "resource": p["resource"], "category": p["category"]} for p in picked
    ]
    again = report.sample(records, done, 100)
    assert len(again) == 12 and not {(p["pair"], p["resource"]) for p in again} & {
        (p["pair"], p["resource"]) for p in picked
    }
