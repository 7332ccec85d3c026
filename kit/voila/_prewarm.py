"""The work behind :func:`kit.voila.prewarm` (kept apart so ``import kit.voila`` stays light)."""

from __future__ import annotations

import logging

__all__ = ["run"]

_log = logging.getLogger(__name__)
_done = False


def run() -> None:
    """Import the heavy libraries and build what a first chart needs; once per process."""
    global _done
    if _done:
        return
    try:
        from kit.voila._fastimport import skip_slow_optional_imports

        skip_slow_optional_imports()
        import altair as alt
        import ipywidgets  # noqa: F401
        import pandas as pd

        from kit.charts.display import chart_class

        chart_class()  # the offline bundle inline, or the loader under kit serve
        # The first to_dict() builds the Vega-Lite JSON Schema validator (hundreds of ms).
        alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    except Exception:  # noqa: BLE001 - warming is an optimisation, never a failure
        _log.debug("kit.voila.prewarm failed; the first chart will be slower", exc_info=True)
    _done = True
