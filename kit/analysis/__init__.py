"""Scoring, group summaries and confidentiality rules (pandas only: no widgets, no charts).

Individual answers go in; only suppressed group summaries come out. See
`kit.analysis.privacy` for the rules. Names load lazily, so importing one submodule stays light.
"""

from __future__ import annotations

from kit._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "CohortData": "kit.analysis.cohort",
    "VIEWS": "kit.analysis.views",
    "View": "kit.analysis.views",
    "cell_table": "kit.analysis.team",
    "ALL_GROUPS": "kit.analysis.privacy",
    "BREAKDOWNS": "kit.analysis.privacy",
    "BREAKDOWN_LABELS": "kit.analysis.privacy",
    "NOT_GIVEN": "kit.analysis.privacy",
    "Plan": "kit.analysis.privacy",
    "Rules": "kit.analysis.privacy",
    "SharedComments": "kit.analysis.free_text",
    "breakdown": "kit.analysis.team",
    "change_over_rounds": "kit.analysis.team",
    "cohort_overview": "kit.analysis.team",
    "dimension_scores": "kit.analysis.scoring",
    "disagreement": "kit.analysis.team",
    "group_profile": "kit.analysis.team",
    "health_check": "kit.analysis.health",
    "importance_performance": "kit.analysis.importance",
    "item_disagreement": "kit.analysis.team",
    "item_frame": "kit.analysis.people",
    "item_scores": "kit.analysis.scoring",
    "participation_from_responses": "kit.analysis.participation",
    "participation_table": "kit.analysis.participation",
    "person_importance": "kit.analysis.people",
    "person_scores": "kit.analysis.people",
    "plan_publication": "kit.analysis.privacy",
    "round_order": "kit.analysis.people",
    "score_distribution": "kit.analysis.team",
    "shared_comments": "kit.analysis.free_text",
    "shared_comments_from_entries": "kit.analysis.free_text",
    "suppressed_note": "kit.analysis.privacy",
    "trend_word": "kit.analysis.health",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
