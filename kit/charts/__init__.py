"""Altair chart builders. Each returns a :class:`ChartWithText`: a chart and its description.

Names load lazily, so importing one builder does not import every chart module.
"""

from __future__ import annotations

from kit._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "ChartWithText": "kit.charts._theme",
    "OKABE_ITO": "kit.charts._theme",
    "BAND_COLOURS": "kit.charts._theme",
    "FONT": "kit.charts._theme",
    "group_profile_chart": "kit.charts.team_profile",
    "disagreement_chart": "kit.charts.team_profile",
    "item_disagreement_chart": "kit.charts.team_profile",
    "breakdown_heatmap": "kit.charts.team_compare",
    "importance_performance_chart": "kit.charts.team_compare",
    "change_over_rounds_chart": "kit.charts.team_rounds",
    "health_chart": "kit.charts.team_rounds",
    "overview_chart": "kit.charts.team_rounds",
    "participation_chart": "kit.charts.team_participation",
    "chart_widget": "kit.charts.display",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
