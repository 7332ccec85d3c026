"""Partnering Kit: learning and reflection for leaders who work in partnership.

The public door. Names are loaded lazily on first use, so ``import kit`` stays quick
(nothing imports pandas, Altair or SQLAlchemy until it is needed).

Examples
--------
>>> import kit
>>> fw = kit.load_framework("collaboration-behaviours")   # doctest: +SKIP
>>> with kit.Store("sqlite:///my.db") as store:           # doctest: +SKIP
...     store.list_cohorts()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit._lazy import lazy_exports

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # settings
    "Settings": "kit.config",
    "ConfigError": "kit.config",
    "get_settings": "kit.config",
    # content
    "load_framework": "kit.content",
    "list_frameworks": "kit.content",
    "load_exercises": "kit.content",
    "load_exercise": "kit.content",
    "validate_paths": "kit.content",
    "ContentError": "kit.content",
    "Framework": "kit.content",
    "Exercise": "kit.content",
    # store
    "Store": "kit.store",
    "StoreError": "kit.store",
    # analysis
    "dimension_scores": "kit.analysis.scoring",
    # reports
    "personal_report_html": "kit.report",
    "group_report_html": "kit.report",
}

__all__ = sorted([*_EXPORTS, "__version__"])


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:  # pragma: no cover - names for type checkers; __getattr__ loads them lazily
    from kit.analysis.scoring import dimension_scores  # noqa: F401
    from kit.config import ConfigError, Settings, get_settings  # noqa: F401
    from kit.content import (  # noqa: F401
        ContentError,
        Exercise,
        Framework,
        list_frameworks,
        load_exercise,
        load_exercises,
        load_framework,
        validate_paths,
    )
    from kit.report import group_report_html, personal_report_html  # noqa: F401
    from kit.store import Store, StoreError  # noqa: F401
