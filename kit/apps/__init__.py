"""The participant apps, one module per app.

Each ``<app>.py`` builds an ipywidgets view bound to a model in ``<app>_model.py`` (no widget
import there, so the rules are tested without a browser). Every app has
``from_environment()``, which works out who the visitor is (:mod:`kit.apps.identity`).

Names load lazily: ``import kit.apps`` does not import ipywidgets or Altair. It does mark
the optional ``rfc3987_syntax`` package as absent before anything imports ``jsonschema``
(:mod:`kit.voila._fastimport`): that saves close to a second in every app kernel.
"""

from __future__ import annotations

from kit._lazy import lazy_exports
from kit.voila._fastimport import skip_slow_optional_imports

skip_slow_optional_imports()

__all__ = [
    "StartApp",
    "SelfAssessmentApp",
    "JournalApp",
    "PartnershipApp",
    "ActionPlanApp",
    "MyReportApp",
    "MyDataApp",
]

_EXPORTS = {
    "StartApp": "kit.apps.start",
    "SelfAssessmentApp": "kit.apps.self_assessment",
    "JournalApp": "kit.apps.journal",
    "PartnershipApp": "kit.apps.partnership",
    "ActionPlanApp": "kit.apps.action_plan",
    "MyReportApp": "kit.apps.my_report",
    "MyDataApp": "kit.apps.my_data",
}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
