"""Standalone offline HTML reports: one for a participant, one for a group.

Loaded lazily so ``import kit.report`` stays light.

Examples
--------
>>> from kit.report import personal_report_html   # doctest: +SKIP
>>> page = personal_report_html(store, participant_id)   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

__all__ = ["personal_report_html", "group_report_html"]

_EXPORTS = {
    "personal_report_html": "kit.report.personal",
    "group_report_html": "kit.report.group",
}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:  # pragma: no cover
    from kit.report.group import group_report_html
    from kit.report.personal import personal_report_html
