"""The dashboard picture in README (docs/dashboard.svg) is drawn from the committed template.

``UPDATE_GENERATED=1`` rewrites the picture; otherwise it must equal what the template draws,
so a change of the dashboard that leaves the picture behind fails here.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from dashboard_svg import dashboard_body, render

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "templates" / "monitoring-everything.json"
PICTURE = REPO / "docs" / "dashboard.svg"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def template() -> dict:
    return json.loads(TEMPLATE.read_text(encoding="utf-8"))


def test_picture_is_drawn_from_the_committed_template(template: dict) -> None:
    drawn = render(dashboard_body(template, "InvocationsDashboard"))
    if os.environ.get("UPDATE_GENERATED") == "1":
        PICTURE.write_text(drawn, encoding="utf-8")
    assert PICTURE.read_text(encoding="utf-8") == drawn, (
        "docs/dashboard.svg is stale: run with UPDATE_GENERATED=1 and review it"
    )


def test_picture_shows_every_widget_and_every_alarm(template: dict) -> None:
    body = dashboard_body(template, "InvocationsDashboard")
    root = ElementTree.fromstring(render(body))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    titles = [w["properties"]["title"] for w in body["widgets"] if w["type"] != "text"]
    assert titles and all(title in texts for title in titles)
    alarms = {
        p["AlarmName"]["Fn::Sub"].replace("${AWS::Region}", "us-east-1")
        for r in template["Resources"].values()
        if r["Type"] == "AWS::CloudWatch::Alarm"
        for p in [r["Properties"]]
    }
    # An alarm name too long for its column is cut with an ellipsis; its start still shows.
    shown = [t for t in texts if re.match(r"^[a-z0-9-]+(…)?$", t)]
    for alarm in alarms:
        assert any(alarm == s or (s.endswith("…") and alarm.startswith(s[:-1])) for s in shown), (
            alarm
        )
    # One box per widget that is not a heading, inside the picture's width.
    boxes = [r for r in root.iter(f"{SVG}rect") if "stroke:#d5dbdb" in r.get("style", "")]
    assert len(boxes) == len(titles)
    assert all(float(r.get("x")) + float(r.get("width")) <= float(root.get("width")) for r in boxes)
