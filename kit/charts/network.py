"""The partnership map: you at the centre, the people you work with around you.

Layout is computed in Python with networkx (a fixed seed, so the same map always looks the
same); nodes are coloured by sector with the Okabe-Ito palette; lines are thicker for
stronger relationships.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import altair as alt
import networkx as nx
import pandas as pd

from kit.charts._theme import FONT, OKABE_ITO, ChartWithText

__all__ = ["network_layout", "network_chart"]

YOU = "You"


def _get(rel, name):
    return rel.get(name) if isinstance(rel, Mapping) else getattr(rel, name, None)


def network_layout(relationships: Iterable, *, seed: int = 7) -> dict[object, tuple[float, float]]:
    """Positions keyed by relationship id (and ``"you"`` at ``(0, 0)``).

    Stronger relationships sit closer to the centre: the spring weight is the strength.
    """
    rels = list(relationships)
    g = nx.Graph()
    g.add_node("you")
    for r in rels:
        g.add_edge("you", _get(r, "id"), weight=float(_get(r, "strength") or 1))
    if len(rels) == 0:
        return {"you": (0.0, 0.0)}
    # Start on a circle so the result does not depend on set ordering, then relax.
    start = {"you": (0.0, 0.0)}
    for i, r in enumerate(sorted(rels, key=lambda r: (str(_get(r, "sector")), _get(r, "id")))):
        angle = 2 * math.pi * i / len(rels)
        radius = 1.6 - 0.2 * float(_get(r, "strength") or 1)
        start[_get(r, "id")] = (radius * math.cos(angle), radius * math.sin(angle))
    pos = nx.spring_layout(g, pos=start, fixed=["you"], seed=seed, weight="weight",
                           iterations=60, k=0.8)
    return {k: (float(v[0]), float(v[1])) for k, v in pos.items()}


def network_chart(relationships: Iterable, *, figures=None, seed: int = 7) -> ChartWithText:
    """The partnership map as an Altair chart, with a description from ``figures``.

    Parameters
    ----------
    relationships : iterable of RelationshipInfo or mappings
        Each with ``id, label, organisation, sector, strength, trust, contact``.
    figures : kit.analysis.personal.NetworkFigures, optional
        Used for the text description.
    """
    rels = list(relationships)
    pos = network_layout(rels, seed=seed)
    nodes = [{"id": "you", "label": YOU, "sector": YOU, "x": 0.0, "y": 0.0, "strength": None,
              "trust": None, "organisation": "", "contact": ""}]
    edges = []
    for r in rels:
        x, y = pos[_get(r, "id")]
        sector = _get(r, "sector") or "Not given"
        nodes.append({"id": str(_get(r, "id")), "label": str(_get(r, "label")), "sector": sector,
                      "x": x, "y": y, "strength": _get(r, "strength"), "trust": _get(r, "trust"),
                      "organisation": _get(r, "organisation") or "", "contact": _get(r, "contact") or ""})
        edges.append({"x": 0.0, "y": 0.0, "x2": x, "y2": y, "strength": _get(r, "strength"),
                      "label": str(_get(r, "label"))})
    node_df = pd.DataFrame(nodes)
    edge_df = pd.DataFrame(edges, columns=["x", "y", "x2", "y2", "strength", "label"])
    sectors = sorted({n["sector"] for n in nodes if n["id"] != "you"})
    domain = [YOU] + sectors
    palette = ["#000000"] + [OKABE_ITO[i % 7] for i in range(len(sectors))]
    ext = max([1.0] + [abs(v) for n in nodes for v in (n["x"], n["y"])]) * 1.25
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    xs = alt.X("x:Q", scale=alt.Scale(domain=[-ext, ext]), axis=axis)
    ys = alt.Y("y:Q", scale=alt.Scale(domain=[-ext, ext]), axis=axis)
    lines = alt.Chart(edge_df).mark_rule(color="#888", opacity=0.7).encode(
        x=xs, y=ys, x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("strength:Q", scale=alt.Scale(domain=[1, 5], range=[0.5, 5]),
                                    legend=alt.Legend(title="Strength", orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title="With"), alt.Tooltip("strength:Q", title="Strength")],
    )
    # Sectors differ by shape as well as colour (one legend shows both).
    dots = alt.Chart(node_df).mark_point(size=260, opacity=1, filled=True, stroke="#1b1b1b",
                                         strokeWidth=1).encode(
        x=xs, y=ys,
        color=alt.Color("sector:N", scale=alt.Scale(domain=domain, range=palette),
                        legend=alt.Legend(title="Sector", orient="right")),
        shape=alt.Shape("sector:N", scale=alt.Scale(domain=domain),
                        legend=alt.Legend(title="Sector", orient="right")),
        tooltip=[alt.Tooltip("label:N", title="Name"), alt.Tooltip("organisation:N", title="Organisation"),
                 alt.Tooltip("sector:N", title="Sector"), alt.Tooltip("strength:Q", title="Strength"),
                 alt.Tooltip("trust:Q", title="Trust"), alt.Tooltip("contact:N", title="Contact")],
    )
    # Labels sit on the far side of each dot from "you", so they do not cross the ties or the
    # centre: right of dots on the right, left of dots on the left, above or below the rest.
    near = 0.2 * ext

    def _side(n) -> str:
        if n["id"] == "you":
            return "below"
        if n["x"] > near:
            return "right"
        if n["x"] < -near:
            return "left"
        return "above" if n["y"] >= 0 else "below"

    node_df["side"] = [_side(n) for n in nodes]
    placements = {"right": {"align": "left", "dx": 11}, "left": {"align": "right", "dx": -11},
                  "above": {"dy": -15}, "below": {"dy": 17}}
    names = [
        alt.Chart(node_df).transform_filter(alt.datum.side == side)
        .mark_text(fontSize=11, **opts).encode(x=xs, y=ys, text="label:N")
        for side, opts in placements.items()
    ]
    chart = alt.layer(lines, dots, *names).properties(width=440, height=440).configure(
        font=FONT).configure_view(stroke=None)
    if figures is not None:
        desc = " ".join(figures.sentences())
    elif rels:
        desc = f"Your map shows {len(rels)} relationships across {len(sectors)} sectors."
    else:
        desc = "Your map is empty so far."
    return ChartWithText(chart, desc, title="Your partnership map")
