"""Draws a CloudWatch dashboard of a synthesized template as SVG: the picture in README.

The picture is the dashboard's layout as the template's ``DashboardBody`` defines it: each
widget at its place on CloudWatch's 24-column grid, with its title, its series (metric, model
and statistic), the alarms it shows and its Logs Insights query. It draws no data, since a
template has none: the plot areas are empty axes.

    UPDATE_GENERATED=1 pytest tests/python/template/test_dashboard_picture.py

rewrites ``docs/dashboard.svg`` from ``templates/monitoring-everything.json``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape

REGION = "us-east-1"
UNIT = 50  # pixels per grid column and per grid row
COLUMNS = 24
MARGIN = 16
FONT = "font-family:Helvetica,Arial,sans-serif"
MONO = "font-family:Menlo,Consolas,monospace"
# CloudWatch's default series colours.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
CHAR = 6.6  # average width of a 12 px character, for wrapping and cutting
MONO_CHAR = 6.0  # width of a 10 px monospace character

_SUB = re.compile(r"\$\{([^}]+)\}")


def dashboard_body(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    """The dashboard's body with ``Fn::Sub``'s names filled in as a deployment in ``REGION``
    would: the region, the log group's name, and each alarm's name for its ARN."""
    resources = template["Resources"]
    body = resources[logical_id]["Properties"]["DashboardBody"]["Fn::Sub"]

    def resolve(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "AWS::Region":
            return REGION
        target, _, attribute = name.partition(".")
        properties = resources[target]["Properties"]
        if resources[target]["Type"] == "AWS::CloudWatch::Alarm" and attribute == "Arn":
            alarm = properties["AlarmName"]["Fn::Sub"].replace("${AWS::Region}", REGION)
            return f"arn:aws:cloudwatch:{REGION}:111122223333:alarm:{alarm}"
        if resources[target]["Type"] == "AWS::Logs::LogGroup" and not attribute:
            return properties["LogGroupName"]["Fn::Sub"].replace("${AWS::Region}", REGION)
        raise ValueError(f"the dashboard reads {name}, which this picture cannot name")

    return json.loads(_SUB.sub(resolve, body))


def cut(text: str, width: float, char: float = CHAR) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` pixels."""
    room = max(int(width / char), 1)
    return text if len(text) <= room else text[: room - 1] + "…"


def wrap(text: str, width: float, char: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` pixels, at spaces where it can."""
    room = max(int(width / char), 1)
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while len(word) > room:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:room])
            word = word[room:]
        candidate = f"{line} {word}" if line else word
        if len(candidate) > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def series_labels(properties: dict[str, Any]) -> list[str]:
    """A legend entry for each series of a metric widget."""
    labels = []
    for metric in properties["metrics"]:
        options = metric[-1] if isinstance(metric[-1], dict) else {}
        if "expression" in options:
            found = re.search(r'MetricName="([^"]+)"', options["expression"])
            what = found.group(1) if found else options["expression"]
            labels.append(f"{what} by model and operation (Sum)")
            continue
        names = [part for part in metric if isinstance(part, str)]
        label = options.get("label") or " ".join(names[1:])
        stat = options.get("stat", properties.get("stat", "Average"))
        labels.append(f"{label} ({stat})")
    return labels


def query_columns(query: str) -> list[str]:
    """The columns a Logs Insights ``stats ... by ...`` query returns."""
    found = re.search(r"\|\s*stats\s+(.*?)(?:\|\s*sort|\|\s*limit|$)", query)
    if not found:
        return []
    aggregates, _, groups = found.group(1).partition(" by ")
    names = [a.rsplit(" as ", 1)[-1].strip() for a in aggregates.split(",")]
    names += [g.rsplit(" as ", 1)[-1].strip() for g in groups.split(",") if g.strip()]
    return names


class Picture:
    """SVG elements, appended in drawing order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.clips = 0

    def text(self, x: float, y: float, content: str, style: str) -> None:
        self.parts.append(f'<text x="{x:g}" y="{y:g}" style="{style}">{escape(content)}</text>')

    def rect(self, x: float, y: float, w: float, h: float, style: str) -> None:
        self.parts.append(
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" style="{style}"/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, style: str) -> None:
        self.parts.append(
            f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" style="{style}"/>'
        )

    def clipped(self, x: float, y: float, w: float, h: float) -> str:
        """Opens a group drawn only inside the box; the caller closes it with ``</g>``."""
        self.clips += 1
        self.parts.append(
            f'<clipPath id="c{self.clips}"><rect x="{x:g}" y="{y:g}" width="{w:g}" '
            f'height="{h:g}"/></clipPath><g clip-path="url(#c{self.clips})">'
        )
        return "</g>"


def draw_metric(p: Picture, x: float, y: float, w: float, h: float, props: dict[str, Any]) -> None:
    labels = series_labels(props)
    legend_height = 14 * len(labels) + 6
    plot_top, plot_bottom = y + 34, y + h - legend_height - 10
    left = x + 34
    p.line(left, plot_top, left, plot_bottom, "stroke:#aab7b8")
    p.line(left, plot_bottom, x + w - 12, plot_bottom, "stroke:#aab7b8")
    for tick in range(1, 4):
        ty = plot_bottom - (plot_bottom - plot_top) * tick / 4
        p.line(left, ty, x + w - 12, ty, "stroke:#eaeded")
    period = props.get("period", 300)
    p.text(
        left + 6,
        plot_top + 14,
        f"no data in a template · period {period} s",
        f"{FONT};font-size:11px;fill:#879596",
    )
    for i, label in enumerate(labels):
        ly = plot_bottom + 18 + 14 * i
        p.rect(x + 12, ly - 8, 10, 3, f"fill:{PALETTE[i % len(PALETTE)]}")
        p.text(x + 28, ly, cut(label, w - 40, 6.0), f"{FONT};font-size:11px;fill:#16191f")


def draw_alarms(p: Picture, x: float, y: float, w: float, props: dict[str, Any]) -> None:
    names = [arn.rsplit(":", 1)[1] for arn in props["alarms"]]
    columns = 3
    column_width = (w - 24) / columns
    for i, name in enumerate(names):
        cx = x + 12 + column_width * (i % columns)
        cy = y + 42 + 16 * (i // columns)
        p.rect(cx, cy - 10, 10, 10, "fill:#aab7b8")
        p.text(
            cx + 16, cy, cut(name, column_width - 22, 6.0), f"{FONT};font-size:11px;fill:#16191f"
        )


def draw_log(p: Picture, x: float, y: float, w: float, h: float, props: dict[str, Any]) -> None:
    query = props["query"]
    lines = wrap(query, w - 24, MONO_CHAR)
    for i, line in enumerate(lines):
        p.text(x + 12, y + 48 + 13 * i, line, f"{MONO};font-size:10px;fill:#545b64")
    columns = query_columns(query)
    top = y + 48 + 13 * len(lines) + 10
    if columns and top + 40 < y + h:
        p.rect(x + 12, top, w - 24, 22, "fill:#f2f3f3")
        width = (w - 24) / len(columns)
        for i, column in enumerate(columns):
            p.text(
                x + 18 + width * i,
                top + 15,
                column,
                f"{FONT};font-size:12px;font-weight:bold;fill:#16191f",
            )
        p.text(
            x + 18,
            top + 40,
            "rows from the log group when the query runs",
            f"{FONT};font-size:11px;fill:#879596",
        )


def render(body: dict[str, Any]) -> str:
    """The dashboard ``body`` as an SVG document."""
    widgets = body["widgets"]
    rows = max(w["y"] + w["height"] for w in widgets)
    width, height = COLUMNS * UNIT + 2 * MARGIN, rows * UNIT + 2 * MARGIN
    p = Picture()
    p.rect(0, 0, width, height, "fill:#f2f3f3")
    for widget in widgets:
        props = widget["properties"]
        x = MARGIN + widget["x"] * UNIT + 3
        y = MARGIN + widget["y"] * UNIT + 3
        w, h = widget["width"] * UNIT - 6, widget["height"] * UNIT - 6
        if widget["type"] == "text":
            heading = props["markdown"].lstrip("# ").strip()
            p.text(
                x + 4, y + h - 12, heading, f"{FONT};font-size:20px;font-weight:bold;fill:#16191f"
            )
            continue
        p.rect(x, y, w, h, "fill:#ffffff;stroke:#d5dbdb")
        close = p.clipped(x, y, w, h)
        p.text(
            x + 12,
            y + 22,
            cut(props.get("title", ""), w - 24, 7.2),
            f"{FONT};font-size:13px;font-weight:bold;fill:#16191f",
        )
        if widget["type"] == "metric":
            draw_metric(p, x, y, w, h, props)
        elif widget["type"] == "alarm":
            draw_alarms(p, x, y, w, props)
        elif widget["type"] == "log":
            draw_log(p, x, y, w, h, props)
        else:
            raise ValueError(f"no drawing for a {widget['type']} widget")
        p.parts.append(close)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
    )
    return "\n".join([head, *p.parts, "</svg>"]) + "\n"
