"""Scoring one person's answers against a framework.

The rules every score in the kit follows:

* a dimension score is the mean of the scored answers in it (reverse-keyed items flipped,
  "not applicable" left out), and needs at least :data:`MIN_ANSWERED` answered items; with
  fewer the dimension reads "not enough answers" instead of a band;
* a dimension cannot reach the top band ("A strength") from reverse-keyed items alone: not
  doing the unhelpful thing is not the same as doing the helpful thing often, so such a
  score is read one band lower;
* every score says how many statements it rests on: "based on N of M statements";
* "matters more than you rate yourself" (personal priority) and "focus here" (team) use the
  same gap rule, :func:`needs_focus`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kit.content.models import Band, Dimension, Framework
from kit.i18n import N_, ngettext

__all__ = [
    "MIN_ANSWERED",
    "NOT_ENOUGH_ANSWERS",
    "DimensionReading",
    "item_scores",
    "dimension_readings",
    "dimension_scores",
    "band_for_reading",
    "based_on",
    "importance_gap",
    "needs_focus",
]

#: Fewest answered items (not "not applicable") behind a dimension score.
MIN_ANSWERED = 2
#: What a dimension reads when it has fewer than :data:`MIN_ANSWERED` answered items.
NOT_ENOUGH_ANSWERS = N_("Not enough answers")


def based_on(answered: int, total: int) -> str:
    """The words shown beside a score.

    >>> based_on(3, 4)
    'based on 3 of 4 statements'
    >>> based_on(1, 1)
    'based on 1 of 1 statement'
    """
    return ngettext("based on {answered} of {total} statement",
                    "based on {answered} of {total} statements", total).format(
        answered=answered, total=total)


@dataclass(frozen=True)
class DimensionReading:
    """One dimension's score for one person, with what it rests on.

    ``mean`` is the mean of whatever was answered (``None`` when nothing was); ``score`` is
    that mean only when at least :data:`MIN_ANSWERED` items were answered.
    """

    dimension_id: str
    mean: float | None
    answered: int
    total: int
    #: answered items that are not reverse-keyed
    forward_answered: int

    @property
    def enough(self) -> bool:
        return self.answered >= MIN_ANSWERED

    @property
    def score(self) -> float | None:
        return self.mean if self.enough else None

    @property
    def reverse_only(self) -> bool:
        """True when every answered item is reverse-keyed."""
        return self.answered > 0 and self.forward_answered == 0

    @property
    def based_on(self) -> str:
        return based_on(self.answered, self.total)


def item_scores(framework: Framework, answers: Mapping[str, int | None]) -> dict[str, float | None]:
    """Scored value per answered item (reverse-keyed items flipped, "not applicable" -> None)."""
    out: dict[str, float | None] = {}
    for item in framework.items:
        if item.id in answers:
            out[item.id] = framework.scale.score(answers[item.id], item.reverse)
    return out


def _reading(dim: Dimension, scores: Mapping[str, float | None]) -> DimensionReading:
    answered = [i for i in dim.items if scores.get(i.id) is not None]
    vals = [scores[i.id] for i in answered]
    return DimensionReading(
        dimension_id=dim.id,
        mean=sum(vals) / len(vals) if vals else None,
        answered=len(answered),
        total=len(dim.items),
        forward_answered=sum(1 for i in answered if not i.reverse),
    )


def dimension_readings(
    framework: Framework, answers: Mapping[str, int | None]
) -> dict[str, DimensionReading]:
    """A :class:`DimensionReading` per dimension of ``framework``, in framework order."""
    scores = item_scores(framework, answers)
    return {dim.id: _reading(dim, scores) for dim in framework.dimensions}


def dimension_scores(
    framework: Framework, answers: Mapping[str, int | None]
) -> dict[str, float | None]:
    """Mean scored value per dimension over the items answered on the scale.

    A dimension with fewer than :data:`MIN_ANSWERED` answered items (the rest "not
    applicable" or left out) scores ``None``.
    """
    return {d: r.score for d, r in dimension_readings(framework, answers).items()}


def band_for_reading(framework: Framework, score: float | None,
                     forward_answered: int | None = None) -> Band | None:
    """The band for a dimension score, or ``None`` when there is no score.

    When ``forward_answered`` is 0 (only reverse-keyed items were answered) the score cannot
    reach the framework's top band: it is read in the band below. ``None`` means "not known"
    (for example a score kept without its item counts) and applies no cap.
    """
    if score is None:
        return None
    band = framework.band_for(score)
    if forward_answered == 0 and len(framework.bands) > 1:
        ordered = sorted(framework.bands, key=lambda b: b.min, reverse=True)
        if band.id == ordered[0].id:
            return ordered[1]
    return band


def _unit(value: float, lo: float, hi: float) -> float:
    return 0.0 if hi == lo else (float(value) - lo) / (hi - lo)


def importance_gap(importance: float, score: float,
                   importance_range: tuple[float, float],
                   score_range: tuple[float, float]) -> float:
    """How far importance exceeds the score, both put on 0-1 by their own scales.

    >>> importance_gap(5, 2, (1, 5), (1, 5))
    0.75
    """
    return _unit(importance, *importance_range) - _unit(score, *score_range)


def needs_focus(importance: float | None, score: float | None,
                importance_range: tuple[float, float],
                score_range: tuple[float, float]) -> bool:
    """The one rule for "a priority" (a person) and "focus here" (a team).

    True when importance is at or above the middle of its scale and is higher than the score
    (both put on 0-1): the area matters and is done less than it matters.

    >>> needs_focus(4, 2, (1, 5), (1, 5)), needs_focus(2, 1, (1, 5), (1, 5))
    (True, False)
    >>> needs_focus(5, 4.5, (1, 5), (1, 5))
    True
    """
    if importance is None or score is None:
        return False
    return (_unit(importance, *importance_range) >= 0.5
            and importance_gap(importance, score, importance_range, score_range) > 0)
