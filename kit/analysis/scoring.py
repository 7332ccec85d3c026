"""Scoring one person's answers against a framework."""

from __future__ import annotations

from collections.abc import Mapping

from kit.content.models import Framework

__all__ = ["item_scores", "dimension_scores"]


def item_scores(framework: Framework, answers: Mapping[str, int | None]) -> dict[str, float | None]:
    """Scored value per answered item (reverse-keyed items flipped, "not applicable" -> None)."""
    out: dict[str, float | None] = {}
    for item in framework.items:
        if item.id in answers:
            out[item.id] = framework.scale.score(answers[item.id], item.reverse)
    return out


def dimension_scores(
    framework: Framework, answers: Mapping[str, int | None]
) -> dict[str, float | None]:
    """Mean scored value per dimension over the items answered on the scale.

    A dimension whose items were all "not applicable" or unanswered scores ``None``.

    Examples
    --------
    >>> from kit.content import load_framework  # doctest: +SKIP
    """
    scores = item_scores(framework, answers)
    out: dict[str, float | None] = {}
    for dim in framework.dimensions:
        vals = [scores[i.id] for i in dim.items if scores.get(i.id) is not None]
        out[dim.id] = sum(vals) / len(vals) if vals else None
    return out
