"""The kit's one chart theme: a colour-blind-safe palette and the chart-plus-text pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ChartWithText", "OKABE_ITO", "BAND_COLOURS", "ROUND_COLOURS", "FONT", "SIZE_PRESETS"]

#: Okabe-Ito palette, safe for the common forms of colour blindness.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Band colours, from strength to priority (blue, sky blue, orange): distinct without red/green.
BAND_COLOURS = ("#0072B2", "#56B4E9", "#E69F00", "#D55E00")

#: Rounds, first to last, in every chart that shows rounds (sky blue, blue, orange, ...).
ROUND_COLOURS = tuple(OKABE_ITO[i] for i in (4, 0, 1, 2, 3, 5, 7))

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

#: Named size presets for where a chart is shown (applied by :mod:`kit.charts.sizes`).
#: "projector": session mode on a 1280x720 screen read from the back of a room; every
#: text at least ``text`` px, titles ``title`` px, labels wrapped at ``wrap`` characters,
#: each row ``row`` px, plots at most ``width`` px wide (``panel`` px side by side), and a
#: wide plot of many columns
#: (a heatmap) at most ``wide`` px, its column labels turned upright.
SIZE_PRESETS: dict[str, dict[str, int]] = {
    "projector": {"text": 18, "title": 20, "row": 31, "wrap": 40, "width": 380,
                  "panel": 130, "wide": 760},
}


@dataclass(frozen=True)
class ChartWithText:
    """An Altair chart and the plain-English description shown beside it."""

    chart: Any  # altair.TopLevelMixin; typed loosely so this module imports without altair
    description: str
    title: str = ""
    #: one line on how to read the chart (what the marks mean), shown above it
    how_to_read: str = ""

    def to_dict(self) -> dict:
        return self.chart.to_dict()
