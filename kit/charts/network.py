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

from kit.charts._theme import FONT, ChartWithText
from kit.i18n import N_, _, ngettext

__all__ = ["network_layout", "network_chart", "sector_colour", "SECTOR_COLOURS"]

YOU = N_("You")
#: Not given: a person on the map with no sector.
NOT_GIVEN = N_("Not given")
#: How often in touch, as the map stores it, with the words shown.
_CONTACT = {"weekly": N_("Weekly"), "monthly": N_("Monthly"),
            "quarterly": N_("Every few months"), "rarely": N_("Rarely")}


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


#: One colour per sector, fixed (the sectors offered in the partnership map, in order); a
#: sector outside the list gets one chosen from its name, so it too never changes.
SECTOR_COLOURS = {
    "NHS and health": "#0072B2",
    "Adult social care": "#E69F00",
    "Children's services": "#009E73",
    "Local council": "#CC79A7",
    "Police and justice": "#56B4E9",
    "Fire and rescue": "#D55E00",
    "Housing": "#882255",
    "Education": "#117733",
    "Voluntary and community": "#44AA99",
    "Private sector": "#AA4499",
    "Other": "#999999",
    "Not given": "#BBBBBB",
}
_SPARE = ("#332288", "#DDCC77", "#88CCEE", "#661100", "#6699CC", "#AA4466")


def sector_colour(sector: str) -> str:
    """The fixed colour of a sector on the partnership map."""
    if sector in SECTOR_COLOURS:
        return SECTOR_COLOURS[sector]
    import zlib

    return _SPARE[zlib.crc32(str(sector).encode("utf-8")) % len(_SPARE)]


def _map_rows(rels: list, pos: dict, you: str) -> tuple[list, list, dict]:
    """The map's dots (you first, at the centre), its ties from you to each person, and each
    sector as shown mapped to its stored name (which fixes its colour)."""
    nodes = [{"id": "you", "label": you, "sector": you, "x": 0.0, "y": 0.0, "strength": None,
              "trust": None, "organisation": "", "contact": ""}]
    keys = {}  # the sector as shown -> as stored (its colour is fixed by the stored name)
    edges = []
    for r in rels:
        x, y = pos[_get(r, "id")]
        key = _get(r, "sector") or NOT_GIVEN
        sector = _(key)
        keys[sector] = key
        contact = _get(r, "contact") or ""
        nodes.append({"id": str(_get(r, "id")), "label": str(_get(r, "label")), "sector": sector,
                      "x": x, "y": y, "strength": _get(r, "strength"), "trust": _get(r, "trust"),
                      "organisation": _get(r, "organisation") or "",
                      "contact": _(_CONTACT[contact]) if contact in _CONTACT else contact})
        edges.append({"x": 0.0, "y": 0.0, "x2": x, "y2": y, "strength": _get(r, "strength"),
                      "label": str(_get(r, "label"))})
    return nodes, edges, keys


def _name_layers(node_df: pd.DataFrame, nodes: list, ext: float, xs, ys) -> list:
    """Each person's name as text layers, one per side of its dot."""
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
        .mark_text(fontSize=11, **opts).encode(x=xs, y=ys,
                                               text=alt.Text("label:N", title=_("Name")))
        for side, opts in placements.items()
    ]
    return names


def _describe_map(rels: list, sectors: list, figures=None) -> str:
    """The map in words: ``figures``' sentences, else how many relationships and sectors."""
    if figures is not None:
        return " ".join(figures.sentences())
    if rels:
        return ngettext("Your map shows {n} relationship across {sectors}.",
                        "Your map shows {n} relationships across {sectors}.", len(rels)).format(
            n=len(rels), sectors=ngettext("{n} sector", "{n} sectors", len(sectors)).format(
                n=len(sectors)))
    return _("Your map is empty so far.")


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
    you = _(YOU)
    nodes, edges, keys = _map_rows(rels, pos, you)
    node_df = pd.DataFrame(nodes)
    edge_df = pd.DataFrame(edges, columns=["x", "y", "x2", "y2", "strength", "label"])
    sectors = sorted({n["sector"] for n in nodes if n["id"] != "you"})
    domain = [you] + sectors
    # Each sector keeps its colour however many others are on the map.
    palette = ["#000000"] + [sector_colour(keys.get(sec, sec)) for sec in sectors]
    ext = max([1.0] + [abs(v) for n in nodes for v in (n["x"], n["y"])]) * 1.25
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    xs = alt.X("x:Q", scale=alt.Scale(domain=[-ext, ext]), axis=axis, title=_("Across"))
    ys = alt.Y("y:Q", scale=alt.Scale(domain=[-ext, ext]), axis=axis, title=_("Up"))
    lines = alt.Chart(edge_df).mark_rule(color="#888", opacity=0.7).encode(
        x=xs, y=ys, x2=alt.X2("x2:Q", title=_("Across")), y2=alt.Y2("y2:Q", title=_("Up")),
        strokeWidth=alt.StrokeWidth("strength:Q", scale=alt.Scale(domain=[1, 5], range=[0.5, 5]),
                                    title=_("Strength"),
                                    legend=alt.Legend(
                                        title=_("Strength of the tie (1 weak, 5 strong)"),
                                        orient="bottom", values=[1, 3, 5],
                                        labelLimit=0, titleLimit=0)),
        tooltip=[alt.Tooltip("label:N", title=_("With")),
                 alt.Tooltip("strength:Q", title=_("Strength"))],
    )
    node_df["trust_size"] = node_df["trust"].fillna(5)
    # Sectors differ by shape as well as colour (one legend shows both).
    dots = alt.Chart(node_df).mark_point(opacity=1, filled=True, stroke="#1b1b1b",
                                         strokeWidth=1).encode(
        x=xs, y=ys,
        size=alt.Size("trust_size:Q", scale=alt.Scale(domain=[1, 5], range=[60, 420]),
                      title=_("Trust"),
                      legend=alt.Legend(title=_("Trust (1 little, 5 complete)"), orient="bottom",
                                        values=[1, 3, 5], labelLimit=0, titleLimit=0)),
        color=alt.Color("sector:N", scale=alt.Scale(domain=domain, range=palette),
                        title=_("Sector"),
                        legend=alt.Legend(title=_("Sector"), orient="right", labelLimit=0)),
        shape=alt.Shape("sector:N", scale=alt.Scale(domain=domain), title=_("Sector"),
                        legend=alt.Legend(title=_("Sector"), orient="right", labelLimit=0)),
        tooltip=[alt.Tooltip("label:N", title=_("Name")),
                 alt.Tooltip("organisation:N", title=_("Organisation")),
                 alt.Tooltip("sector:N", title=_("Sector")),
                 alt.Tooltip("strength:Q", title=_("Strength")),
                 alt.Tooltip("trust:Q", title=_("Trust")),
                 alt.Tooltip("contact:N", title=_("Contact"))],
    )
    names = _name_layers(node_df, nodes, ext, xs, ys)
    chart = alt.layer(lines, dots, *names).properties(width=440, height=440).resolve_legend(
        size="independent", strokeWidth="independent").configure(
        font=FONT).configure_view(stroke=None)
    return ChartWithText(chart, _describe_map(rels, sectors, figures), title=_("Your partnership map"), how_to_read=_(
        "You are the black dot in the middle. Each other dot is a person, coloured by sector "
        "and larger the more you trust them; thicker lines are stronger ties."))
