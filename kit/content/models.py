"""Typed content objects: frameworks and exercises.

These are plain frozen dataclasses with no I/O. :mod:`kit.content.loader` builds them from
validated YAML; tests and other modules may also build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kit.i18n import N_, _, ngettext

__all__ = [
    "ScalePoint",
    "Scale",
    "Band",
    "Item",
    "Dimension",
    "Framework",
    "ExerciseStep",
    "Exercise",
    "REFLECTION_STAGES",
    "DEFAULT_EXERCISE_FRAMEWORK",
    "ROLE_LEVEL_IDS",
]

#: The stages of each reflective model, in order, as ``(stage id, label shown to people)``.
REFLECTION_STAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "driscoll": (("what", N_("What?")), ("so-what", N_("So what?")), ("now-what", N_("Now what?"))),
    "gibbs": (
        ("description", N_("Description")),
        ("feelings", N_("Feelings")),
        ("evaluation", N_("Evaluation")),
        ("analysis", N_("Analysis")),
        ("conclusion", N_("Conclusion")),
        ("action-plan", N_("Action plan")),
    ),
}

#: The shipped framework used when nothing names one: the self-assessment's. With
#: :data:`DEFAULT_TEAM_FRAMEWORK`, the one place in the code where these ids are written
#: (``tests/test_structure.py`` checks).
DEFAULT_SELF_FRAMEWORK = "collaboration-behaviours"
#: The shipped framework of the team health check, used when nothing names one.
DEFAULT_TEAM_FRAMEWORK = "partnership-health-check"
#: The framework whose dimension ids an exercise's ``dimensions`` refer to, unless it says otherwise.
DEFAULT_EXERCISE_FRAMEWORK = DEFAULT_SELF_FRAMEWORK


@dataclass(frozen=True)
class ScalePoint:
    """One labelled point on a rating scale."""

    value: int
    label: str


@dataclass(frozen=True)
class Scale:
    """A rating scale of 3 to 10 labelled points, with an optional "not applicable" choice.

    Examples
    --------
    >>> s = Scale(tuple(ScalePoint(v, str(v)) for v in range(1, 6)), not_applicable="No chance to do this")
    >>> s.score(2, reverse=True)
    4.0
    >>> s.score(None, reverse=False) is None
    True
    """

    points: tuple[ScalePoint, ...]
    not_applicable: str | None = None

    @property
    def min(self) -> int:
        return min(p.value for p in self.points)

    @property
    def max(self) -> int:
        return max(p.value for p in self.points)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(p.value for p in self.points)

    def label(self, value: int | None) -> str:
        if value is None:
            return self.not_applicable or "No answer"
        for p in self.points:
            if p.value == value:
                return p.label
        raise KeyError(value)

    def is_valid(self, value: int | None) -> bool:
        """True for a value on the scale, or ``None`` when the scale allows "not applicable"."""
        if value is None:
            return self.not_applicable is not None
        return isinstance(value, int) and not isinstance(value, bool) and value in self.values

    def score(self, value: int | None, reverse: bool = False) -> float | None:
        """The scored value: ``None`` for not applicable; ``max + min - value`` when reversed."""
        if value is None:
            return None
        if not self.is_valid(value):
            raise ValueError(f"{value!r} is not on the scale {self.min}-{self.max}")
        return float(self.max + self.min - value if reverse else value)


@dataclass(frozen=True)
class Band:
    """A reading of a mean score: the band applies from ``min`` (inclusive) upwards."""

    id: str
    label: str
    min: float
    description: str = ""


#: Role levels an item's wording may be tied to (``role_levels`` in a framework file).
ROLE_LEVEL_IDS = ("front-line", "team-leader", "middle-manager", "senior-manager", "executive")


@dataclass(frozen=True)
class Item:
    """One question. ``reverse`` makes it a check item (a habit to watch) and ``event`` a
    rare-by-nature act: neither is averaged into its area's score (see :attr:`scored`)."""

    id: str
    text: str
    help: str | None = None
    reverse: bool = False
    required: bool = True
    event: bool = False
    #: role levels the wording is written for; ``()`` means every level
    role_levels: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        """True for a helpful act whose answers make up the area's score."""
        return not self.reverse and not self.event


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    why: str
    items: tuple[Item, ...]
    ask_importance: bool = False
    #: one short line on what the dimension does not mean ("" when the framework gives none)
    what_it_is_not: str = ""
    #: examples of the dimension going well and going badly (health checks; "" when none)
    good_looks_like: str = ""
    poor_looks_like: str = ""

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """The helpful acts behind the area's score (not check items, not events)."""
        return tuple(i for i in self.items if i.scored)

    @property
    def watch_items(self) -> tuple[Item, ...]:
        """Check items: habits to watch, counted beside the score."""
        return tuple(i for i in self.items if i.reverse)

    @property
    def event_items(self) -> tuple[Item, ...]:
        """Rare-by-nature acts, counted beside the score."""
        return tuple(i for i in self.items if i.event and not i.reverse)


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    description: str
    lens: Literal["self", "team"]
    scale: Scale
    bands: tuple[Band, ...]
    dimensions: tuple[Dimension, ...]
    importance_scale: Scale | None = None
    schema_version: int = 1
    source: Path | None = field(default=None, compare=False)
    #: the language its texts are in, and the file's own language (used for missing ones)
    language: str = field(default="en", compare=False)
    default_language: str = field(default="en", compare=False)
    #: the edition of the questions; answers are always read under the edition they answered
    version: int = 1

    @property
    def top_band(self) -> Band:
        return max(self.bands, key=lambda b: b.min)

    @property
    def lowest_band(self) -> Band:
        return min(self.bands, key=lambda b: b.min)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for d in self.dimensions for i in d.items)

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(f"framework {self.id!r} has no item {item_id!r}")

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(f"framework {self.id!r} has no dimension {dimension_id!r}")

    def dimension_of(self, item_id: str) -> Dimension:
        for d in self.dimensions:
            if any(i.id == item_id for i in d.items):
                return d
        raise KeyError(f"framework {self.id!r} has no item {item_id!r}")

    def band_for(self, mean: float) -> Band:
        """The band a mean score falls in (bands are read from the highest cut-off down)."""
        for band in sorted(self.bands, key=lambda b: b.min, reverse=True):
            if mean >= band.min:
                return band
        return min(self.bands, key=lambda b: b.min)


@dataclass(frozen=True)
class ExerciseStep:
    id: str
    stage: str
    prompt: str
    help: str | None = None
    #: part of the exercise's short path
    essential: bool = False


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    model: Literal["driscoll", "gibbs"]
    purpose: str
    minutes: int
    steps: tuple[ExerciseStep, ...]
    dimensions: tuple[str, ...] = ()
    facilitator_notes: str = ""
    schema_version: int = 1
    source: Path | None = field(default=None, compare=False)
    #: id of the framework that ``dimensions`` refers to
    framework: str = DEFAULT_EXERCISE_FRAMEWORK
    #: id of the step whose finished answers may be pooled, unattributed, in a group session
    shared_step: str | None = None
    #: the language its texts are in, and the file's own language (used for missing ones)
    language: str = field(default="en", compare=False)
    default_language: str = field(default="en", compare=False)

    #: minutes the short path (the essential steps only) takes; ``None`` when there is none
    short_minutes: int | None = None

    @property
    def has_short_path(self) -> bool:
        return self.short_minutes is not None and any(s.essential for s in self.steps)

    @property
    def short_steps(self) -> tuple[ExerciseStep, ...]:
        """The steps of the short path, in order (all steps when there is no short path)."""
        if not self.has_short_path:
            return self.steps
        return tuple(s for s in self.steps if s.essential)

    def duration_text(self) -> str:
        """How long the exercise takes, e.g. ``"about 25 minutes, or 10 on the short path"``."""
        text = ngettext("about {n} minute", "about {n} minutes", self.minutes).format(
            n=self.minutes)
        if self.has_short_path:
            text = _("{time}, or {n} on the short path").format(time=text, n=self.short_minutes)
        return text

    @property
    def shareable(self) -> bool:
        """True when the exercise offers a step for a group's shared prompt."""
        return self.shared_step is not None

    def step(self, step_id: str) -> ExerciseStep:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(f"exercise {self.id!r} has no step {step_id!r}")

    def stage_label(self, stage: str) -> str:
        """The label people see for a stage id, e.g. ``"so-what"`` -> ``"So what?"``."""
        label = dict(REFLECTION_STAGES[self.model]).get(stage)
        return _(label) if label else stage
