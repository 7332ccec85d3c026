"""Scoring one person's answers against a framework.

The rules every score in the kit follows:

* a dimension score is the mean of the answers to its **helpful acts** only ("not applicable"
  left out), and needs at least :data:`MIN_ANSWERED` of them answered; with fewer the
  dimension reads "not enough answers" instead of a band;
* **check items** (reverse-keyed: unhelpful habits) are never averaged into the score: not
  doing the unhelpful thing is not the same as doing the helpful thing. They are shown beside
  it as "habits to watch", with their own count. **Events** (acts rare by nature) are counted
  beside it too, and kept out of the score and its band;
* every score says how many statements it rests on: "based on N of M statements";
* "Where to focus" (a person) and "Focus here" (a team) have one meaning and one rule,
  :func:`needs_focus`: the area matters a lot (importance at or above the second-highest point
  of its scale) and its score is below the top band. Importance and frequency are different
  quantities, so neither is ever subtracted from the other; each is read against its own line.
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
    "matters_a_lot",
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

    ``mean`` is the mean of the answered helpful acts (``None`` when none was answered);
    ``score`` is that mean only when at least :data:`MIN_ANSWERED` were answered. Check items
    and events are kept apart in ``watch`` and ``events``, as ``(item id, answer)`` pairs of
    the ones answered on the scale.
    """

    dimension_id: str
    mean: float | None
    answered: int
    total: int
    #: answered items that are not reverse-keyed (all of ``answered``: only helpful acts score)
    forward_answered: int
    watch: tuple[tuple[str, int], ...] = ()
    watch_total: int = 0
    events: tuple[tuple[str, int], ...] = ()
    events_total: int = 0
    #: the lowest point of the scale: an answer above it means the act happened
    floor: int = 1

    @property
    def enough(self) -> bool:
        return self.answered >= MIN_ANSWERED

    @property
    def score(self) -> float | None:
        return self.mean if self.enough else None

    @property
    def reverse_only(self) -> bool:
        """True when nothing but check items was answered."""
        return self.answered == 0 and bool(self.watch)

    @property
    def watch_happened(self) -> int:
        """How many habits to watch happened at least once."""
        return sum(1 for _i, v in self.watch if v > self.floor)

    @property
    def events_happened(self) -> int:
        """How many of the rare-by-nature acts happened at least once."""
        return sum(1 for _i, v in self.events if v > self.floor)

    @property
    def based_on(self) -> str:
        return based_on(self.answered, self.total)


def item_scores(framework: Framework, answers: Mapping[str, int | None]) -> dict[str, float | None]:
    """Scored value per answered item (reverse-keyed items flipped, "not applicable" -> None).

    Kept for item-level views; dimension scores use the helpful acts only.
    """
    out: dict[str, float | None] = {}
    for item in framework.items:
        if item.id in answers:
            out[item.id] = framework.scale.score(answers[item.id], item.reverse)
    return out


def _reading(dim: Dimension, answers: Mapping[str, int | None], scale) -> DimensionReading:
    def given(items):
        out = []
        for i in items:
            value = answers.get(i.id)
            if value is not None:
                if not scale.is_valid(value):
                    raise ValueError(f"{value!r} is not on the scale {scale.min}-{scale.max}")
                out.append((i.id, int(value)))
        return tuple(out)

    scored = given(dim.scored_items)
    vals = [v for _i, v in scored]
    return DimensionReading(
        dimension_id=dim.id,
        mean=sum(vals) / len(vals) if vals else None,
        answered=len(scored),
        total=len(dim.scored_items),
        forward_answered=len(scored),
        watch=given(dim.watch_items),
        watch_total=len(dim.watch_items),
        events=given(dim.event_items),
        events_total=len(dim.event_items),
        floor=scale.min,
    )


def dimension_readings(
    framework: Framework, answers: Mapping[str, int | None]
) -> dict[str, DimensionReading]:
    """A :class:`DimensionReading` per dimension of ``framework``, in framework order."""
    return {dim.id: _reading(dim, answers, framework.scale) for dim in framework.dimensions}


def dimension_scores(
    framework: Framework, answers: Mapping[str, int | None]
) -> dict[str, float | None]:
    """Mean answer per dimension over its helpful acts answered on the scale.

    A dimension with fewer than :data:`MIN_ANSWERED` answered helpful acts (the rest "not
    applicable" or left out) scores ``None``. Check items and events never count.
    """
    return {d: r.score for d, r in dimension_readings(framework, answers).items()}


def band_for_reading(framework: Framework, score: float | None) -> Band | None:
    """The band for a dimension score, or ``None`` when there is no score.

    Scores rest on helpful acts only, so no band can be reached from check items.
    """
    if score is None:
        return None
    return framework.band_for(score)


def matters_a_lot(importance: float | None, importance_range: tuple[float, float]) -> bool:
    """True when importance is at or above the second-highest point of its scale.

    On the shipped 1-5 scale that is "Matters a lot" or "Central to my role now"; for a group,
    the mean rating. On a scale of two points, only the top point counts.

    >>> matters_a_lot(4, (1, 5)), matters_a_lot(3.9, (1, 5)), matters_a_lot(2, (1, 2))
    (True, False, True)
    """
    if importance is None or importance != importance:  # None or NaN
        return False
    lo, hi = importance_range
    line = hi - 1 if hi - lo >= 2 else hi
    return float(importance) >= line


def needs_focus(importance: float | None, score: float | None,
                importance_range: tuple[float, float], top_band_min: float) -> bool:
    """The one rule for "Where to focus" (a person) and "Focus here" (a team).

    True when the area matters a lot (:func:`matters_a_lot`) and its score is below the top
    band. Importance and frequency are never subtracted: each is read against its own line, so
    nothing in the top band is ever called a gap.

    >>> needs_focus(4, 2, (1, 5), 3.5), needs_focus(5, 3.6, (1, 5), 3.5), needs_focus(3, 1, (1, 5), 3.5)
    (True, False, False)
    """
    if score is None or score != score:
        return False
    return matters_a_lot(importance, importance_range) and float(score) < top_band_min
