"""Standalone offline HTML reports: one for a participant, one for a group.

Loaded lazily so ``import kit.report`` stays light.

Examples
--------
>>> from kit.report import personal_report_html   # doctest: +SKIP
>>> page = personal_report_html(store, participant_id)   # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["personal_report_html", "group_report_html"]

_EXPORTS = {
    "personal_report_html": "kit.report.personal",
    "group_report_html": "kit.report.group",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kit.report' has no attribute {name!r}; "
                             f"public names: {', '.join(__all__)}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover
    from kit.report.group import group_report_html
    from kit.report.personal import personal_report_html
