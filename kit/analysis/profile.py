"""One person's profile for one round: each area's score and band, the strongest and weakest
areas, and where what matters most meets the lowest self-rating.

The records (:class:`Profile`, :class:`DimensionResult`, :class:`Change`,
:class:`LookingBack`) are plain data, so charts, apps and the report all say the same thing.
Reading a profile across rounds is :mod:`kit.analysis.progress`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from kit.analysis.scoring import (
    MIN_ANSWERED,
    NOT_ENOUGH_ANSWERS,
    band_for_reading,
    based_on,
    dimension_readings,
    needs_focus,
)
from kit.content.models import Band, Framework
from kit.i18n import _, ngettext

__all__ = [
    "DimensionResult",
    "Change",
    "Profile",
    "LookingBack",
    "profile_from_answers",
    "dimension_priority_order",
    "COUNT_COLUMNS",
    "NOTABLE_CHANGE",
]

#: Smallest change in a dimension score (scale points) worth calling a change.
NOTABLE_CHANGE = 0.25


@dataclass(frozen=True)
class DimensionResult:
    """One dimension's reading for one round."""

    dimension_id: str
    title: str
    score: float | None
    band: Band | None
    importance: int | None = None
    #: items answered on the scale and items in the dimension (``None`` when not known)
    answered: int | None = None
    total: int | None = None
    #: the dimension's "what it is not" line ("" when the framework has none)
    what_it_is_not: str = ""
    #: check items (habits to watch): how many happened at least once, were answered, exist
    watch_happened: int | None = None
    watch_answered: int | None = None
    watch_total: int = 0
    #: events (rare by nature): how many happened at least once, were answered, exist
    events_happened: int | None = None
    events_answered: int | None = None
    events_total: int = 0
    #: True when the band is the framework's top band
    top: bool = False

    @property
    def watch_text(self) -> str:
        """``"Habits to watch: 1 of 1 happened at least once"``, or ``""`` when there are none."""
        if not self.watch_total or self.watch_answered is None:
            return ""
        if not self.watch_answered:
            return ngettext("Habit to watch: not answered", "Habits to watch: not answered",
                            self.watch_total)
        return ngettext("Habit to watch: {n} of {total} happened at least once",
                        "Habits to watch: {n} of {total} happened at least once",
                        self.watch_answered).format(n=self.watch_happened,
                                                    total=self.watch_answered)

    @property
    def events_text(self) -> str:
        """``"Occasional events: 1 of 2 happened (not scored: rare by nature)"``, or ``""``."""
        if not self.events_total or not self.events_answered:
            return ""
        return ngettext("Occasional event: {n} of {total} happened (rare by nature, so not "
                        "scored)",
                        "Occasional events: {n} of {total} happened (rare by nature, so not "
                        "scored)", self.events_answered).format(
            n=self.events_happened, total=self.events_answered)

    @property
    def last_time_prompt(self) -> str:
        """A private counterweight for an area in the top band, ``""`` for any other."""
        if not self.top:
            return ""
        return _("When was the last time? Name the day and what you did. If nothing comes to "
                 "mind, look at this area again.")

    @property
    def notes(self) -> tuple[str, ...]:
        """The lines shown beside the score: habits to watch, events, the last-time prompt."""
        return tuple(t for t in (self.watch_text, self.events_text, self.last_time_prompt) if t)

    @property
    def band_label(self) -> str:
        return self.band.label if self.band else _(NOT_ENOUGH_ANSWERS)

    @property
    def based_on(self) -> str:
        """``"based on N of M statements"``, or ``""`` when the counts are not known."""
        if self.answered is None or self.total is None:
            return ""
        return based_on(self.answered, self.total)


@dataclass(frozen=True)
class Change:
    """How one dimension moved between two rounds."""

    dimension_id: str
    title: str
    earlier_round: str
    later_round: str
    earlier: float
    later: float

    @property
    def delta(self) -> float:
        return self.later - self.earlier

    @property
    def direction(self) -> str:
        if self.delta >= NOTABLE_CHANGE:
            return "up"
        if self.delta <= -NOTABLE_CHANGE:
            return "down"
        return "steady"


@dataclass(frozen=True)
class LookingBack:
    """A later round's then-test for one area: "Looking back, how often did you do this before
    the programme?" beside the score the person gave in their first round."""

    dimension_id: str
    title: str
    #: the answer on the framework's scale, or ``None`` for "Not sure"
    value: int | None
    #: the answer's words ("Once", "Not sure")
    label: str
    #: the person's first round scoring this area (same edition), and that score
    earlier_round: str | None = None
    earlier_score: float | None = None

    @property
    def text(self) -> str:
        """The sentence for the profile and the report."""
        if self.value is None:
            then = _("Looking back, you were not sure how often you did this before the "
                     "programme.")
        else:
            then = _("Looking back, you rated your starting point “{answer}”: how "
                     "often you did this before the programme.").format(answer=self.label)
        if self.earlier_score is None:
            return then
        return then + " " + _("Your score in {round}, your first round, was {score}.").format(
            round=self.earlier_round, score=f"{self.earlier_score:.1f}")



@dataclass(frozen=True)
class Profile:
    """A person's reading of one framework in one round, with the findings drawn from it."""

    framework_id: str
    round_name: str | None
    dimensions: tuple[DimensionResult, ...]
    changes: tuple[Change, ...] = ()
    #: (lowest, highest) of the rating scale and of the importance scale
    score_range: tuple[float, float] = (1.0, 5.0)
    importance_range: tuple[float, float] = (1.0, 5.0)
    #: where the top band starts: nothing at or above it is ever called a gap
    top_band_min: float = math.inf
    #: the edition these scores were made under, and the framework's current edition
    version: int = 1
    current_version: int = 1
    #: earlier rounds answered under another edition: ``(round, edition)``, not compared
    other_editions: tuple[tuple[str, int], ...] = ()
    #: the latest round's then-test, per area answered ("looking back, how often ...?")
    looking_back: tuple[LookingBack, ...] = ()

    @property
    def earlier_edition(self) -> bool:
        """True when the latest scores were made under an earlier edition of the framework."""
        return self.version != self.current_version

    @property
    def edition_note(self) -> str:
        """What the person needs to know about editions, or ``""`` when nothing."""
        notes = []
        if self.earlier_edition:
            notes.append(_("These scores were made under edition {old} of these questions; the "
                           "current edition is {new}. Your answers are kept and read under the "
                           "edition you answered, and your next self-assessment will use the "
                           "new one.").format(old=self.version, new=self.current_version))
        if self.other_editions:
            each = _("{round} (edition {n})")
            rounds = ", ".join(each.format(round=r, n=v) for r, v in self.other_editions)
            notes.append(_("Not compared with these scores, because the questions or the scale "
                           "changed between editions: {rounds}.").format(rounds=rounds))
        return " ".join(notes)

    @property
    def scored(self) -> tuple[DimensionResult, ...]:
        return tuple(d for d in self.dimensions if d.score is not None)

    def _extreme(self, highest: bool) -> tuple[DimensionResult, ...]:
        scored = self.scored
        if not scored:
            return ()
        target = (max if highest else min)(d.score for d in scored)
        return tuple(d for d in scored if math.isclose(d.score, target))

    @property
    def strongest(self) -> tuple[DimensionResult, ...]:
        """The dimension(s) with the highest score (ties kept)."""
        return self._extreme(True)

    @property
    def weakest(self) -> tuple[DimensionResult, ...]:
        """The dimension(s) with the lowest score (ties kept)."""
        return self._extreme(False)

    @property
    def priorities(self) -> tuple[DimensionResult, ...]:
        """Where to focus: areas that matter a lot in the person's role and are not (yet) in
        the top band; the ones that matter most first, then the lowest score.

        The rule is :func:`kit.analysis.scoring.needs_focus`, the same one that puts a team's
        area in "Focus here". Nothing in the top band is ever listed.
        """
        out = [d for d in self.scored
               if needs_focus(d.importance, d.score, self.importance_range, self.top_band_min)]
        out.sort(key=lambda d: (-d.importance, d.score, d.title))
        return tuple(out)


    def result(self, dimension_id: str) -> DimensionResult:
        for d in self.dimensions:
            if d.dimension_id == dimension_id:
                return d
        raise KeyError(f"profile has no dimension {dimension_id!r}")


def _count(value) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


#: the per-dimension counts a profile shows beside each score
COUNT_COLUMNS = ("answered", "watch_happened", "watch_answered", "events_happened",
                 "events_answered")


def _make_profile(framework: Framework, round_name, scores: Mapping[str, float | None],
                  importance: Mapping[str, int], changes=(),
                  counts: Mapping[str, Mapping[str, int | None]] | None = None, *,
                  current_version: int | None = None, other_editions=()) -> Profile:
    """``counts`` maps a dimension id to its :data:`COUNT_COLUMNS` (missing when unknown).

    ``framework`` is the edition the scores were made under; ``current_version`` the current
    edition (default: the same).
    """
    dims = []
    counts = counts or {}
    top = framework.top_band if framework.bands else None
    for d in framework.dimensions:
        s = scores.get(d.id)
        s = None if s is None or (isinstance(s, float) and math.isnan(s)) else float(s)
        imp = importance.get(d.id)
        imp = None if imp is None or (isinstance(imp, float) and math.isnan(imp)) else int(imp)
        c = {k: _count(v) for k, v in (counts.get(d.id) or {}).items()}
        answered = c.get("answered")
        if answered is not None and answered < MIN_ANSWERED:
            s = None
        band = band_for_reading(framework, s)
        dims.append(DimensionResult(
            d.id, d.title, s, band, imp,
            answered=answered, total=len(d.scored_items) if answered is not None else None,
            what_it_is_not=d.what_it_is_not,
            watch_happened=c.get("watch_happened"), watch_answered=c.get("watch_answered"),
            watch_total=len(d.watch_items),
            events_happened=c.get("events_happened"), events_answered=c.get("events_answered"),
            events_total=len(d.event_items),
            top=band is not None and top is not None and band.id == top.id,
        ))
    imp_scale = framework.importance_scale or framework.scale
    return Profile(
        framework.id, round_name, tuple(dims), tuple(changes),
        score_range=(float(framework.scale.min), float(framework.scale.max)),
        importance_range=(float(imp_scale.min), float(imp_scale.max)),
        top_band_min=top.min if top is not None else math.inf,
        version=framework.version,
        current_version=framework.version if current_version is None else current_version,
        other_editions=tuple(other_editions),
    )


def _counts(r) -> dict[str, int]:
    return {"answered": r.answered, "watch_happened": r.watch_happened,
            "watch_answered": len(r.watch), "events_happened": r.events_happened,
            "events_answered": len(r.events)}


def profile_from_answers(framework: Framework, answers: Mapping[str, int | None],
                         importance: Mapping[str, int] | None = None,
                         round_name: str | None = None) -> Profile:
    """A profile straight from one set of answers (for example just after submitting).

    Examples
    --------
    >>> from kit.content import load_framework
    >>> fw = load_framework("collaboration-behaviours")
    >>> p = profile_from_answers(fw, {i.id: 4 for i in fw.items if i.scored})
    >>> p.strongest[0].band.id
    'strength'
    """
    readings = dimension_readings(framework, answers)
    return _make_profile(framework, round_name, {d: r.score for d, r in readings.items()},
                         dict(importance or {}),
                         counts={d: _counts(r) for d, r in readings.items()})


def dimension_priority_order(framework: Framework, profile: Profile | None) -> list[str]:
    """Dimension ids, the ones most worth developing first.

    Priorities (high importance, low self-rating) come first, then the rest from lowest score
    up; dimensions without a score go last in framework order. With no profile, framework order.
    """
    if profile is None:
        return [d.id for d in framework.dimensions]
    first = [d.dimension_id for d in profile.priorities]
    rest = sorted((d for d in profile.scored if d.dimension_id not in first),
                  key=lambda d: (d.score, -(d.importance or 0)))
    order = first + [d.dimension_id for d in rest]
    order += [d.id for d in framework.dimensions if d.id not in order]
    return order


