"""Each chart's data as an HTML table, one click away (a ``<details>`` under the chart).

The table is read from the chart's own Vega-Lite spec: the rows of its data set and the fields
its encodings use, headed by the encodings' titles. So the table always shows what the chart
draws, for every chart builder, without a second copy of the numbers to keep in step.
"""

from __future__ import annotations

import html
import logging
import math

from kit.i18n import _

_log = logging.getLogger(__name__)

__all__ = ["spec_table", "data_table_html", "MAX_ROWS"]

MAX_ROWS = 500
_CHANNELS = ("y", "x", "row", "column", "color", "shape", "size", "text", "x2", "y2", "detail",
             "tooltip")


def _encodings(spec: dict):
    yield spec.get("encoding") or {}
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key) or ():
            yield from _encodings(sub)
    if isinstance(spec.get("spec"), dict):
        yield from _encodings(spec["spec"])


def _fields(spec: dict) -> list[tuple[str, str]]:
    """``(field, heading)`` for every field an encoding uses, in reading order, no repeats."""
    seen: dict[str, str] = {}
    for enc in _encodings(spec):
        for channel in _CHANNELS:
            defs = enc.get(channel)
            for d in defs if isinstance(defs, list) else [defs]:
                if not isinstance(d, dict) or not isinstance(d.get("field"), str):
                    continue
                field = d["field"]
                title = d.get("title")
                if not isinstance(title, str) or not title:
                    title = field
                if field not in seen or seen[field] == field:
                    seen[field] = title
    return list(seen.items())


def _rows(spec: dict) -> list[dict]:
    datasets = spec.get("datasets") or {}
    rows: list[dict] = []

    def collect(s: dict) -> None:
        data = s.get("data") or {}
        if "values" in data and isinstance(data["values"], list):
            rows.extend(r for r in data["values"] if isinstance(r, dict))
        elif "name" in data and data["name"] in datasets:
            rows.extend(datasets[data["name"]])

    collect(spec)
    if not rows:
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for sub in spec.get(key) or ():
                collect(sub)
                if rows:
                    return rows
    return rows


def spec_table(spec: dict) -> tuple[list[str], list[list[str]]]:
    """The headings and rows (as text) of a Vega-Lite spec's data, for the fields it draws."""
    fields = _fields(spec)
    rows = _rows(spec)
    if not fields and rows:
        fields = [(k, k) for k in rows[0]]
    fields = [(f, h) for f, h in fields if any(f in r for r in rows)]
    body = []
    seen = set()
    for r in rows:
        cells = tuple(_cell(r.get(f)) for f, _h in fields)
        if cells in seen:  # layers repeat the same rows
            continue
        seen.add(cells)
        body.append(list(cells))
    return [h for _f, h in fields], body


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


def data_table_html(chart, caption: str = "") -> str:
    """A ``<details>`` holding the chart's data as a table; empty when it has no rows."""
    try:
        spec = chart.to_dict()
    except Exception:  # noqa: BLE001 - a chart that cannot serialise shows no table, not an error
        # Logged with what is lost: the chart's data table (the accessible copy of its data).
        _log.warning("the chart %r cannot be written out, so the table of its data is not "
                     "shown", caption or type(chart).__name__, exc_info=True)
        return ""
    headings, rows = spec_table(spec)
    if not headings or not rows:
        return ""
    more = ""
    if len(rows) > MAX_ROWS:
        more = "<p>" + html.escape(_("The first {n} rows are shown.").format(n=MAX_ROWS)) + "</p>"
        rows = rows[:MAX_ROWS]
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in headings)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    summary = _("Show the data as a table")
    return (
        f"<details class='kit-chart-data'><summary>{html.escape(summary)}"
        f"</summary><table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"{more}</details>"
    )
