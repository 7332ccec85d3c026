"""One person's profile: dimension scores and bands, strongest and weakest areas, where what
matters most meets the lowest self-rating, change since earlier rounds, and partnership-map
figures.

Pure Python and pandas: no widgets, no Altair. The findings are plain records so that charts,
apps and the report all say the same thing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from kit.analysis.scoring import (
    MIN_ANSWERED,
    NOT_ENOUGH_ANSWERS,
    band_for_reading,
    based_on,
    dimension_readings,
    needs_focus,
)
from kit.content.models import Band, Framework
from kit.i18n import N_, _, ngettext

__all__ = [
    "DimensionResult",
    "Change",
    "Profile",
    "LookingBack",
    "looking_back",
    "NetworkFigures",
    "profile_from_answers",
    "history_from_scores",
    "profile_from_history",
    "changes",
    "dimension_priority_order",
    "network_figures",
    "commitments_by_area",
    "WEAK_TIE_STRENGTH",
    "QUIET_CONTACTS",
]

#: A relationship of this strength (1-5) or lower counts as a weak tie.
WEAK_TIE_STRENGTH = 2
#: Contact frequencies that mean "not in touch recently".
QUIET_CONTACTS = ("quarterly", "rarely")
#: Without a recorded contact date, a relationship not touched for this many days is quiet.
QUIET_DAYS = 90
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


#: what a then-test answer of ``None`` reads as
NOT_SURE = N_("Not sure")


def looking_back(framework: Framework, then: Mapping[str, int | None] | None,
                 history: pd.DataFrame | None = None,
                 latest_round: str | None = None) -> tuple[LookingBack, ...]:
    """The then-test answers of one submission in framework order, each beside the first score
    the person gave that area in an earlier round under the same edition (from ``history``,
    leaving out ``latest_round``). Areas not answered are left out; answers off the scale are
    ignored (the store refuses them).

    Examples
    --------
    >>> from kit.content import load_framework
    >>> fw = load_framework("collaboration-behaviours")
    >>> [b.label for b in looking_back(fw, {fw.dimensions[0].id: 2})]
    ['Once']
    """
    then = dict(then or {})
    scale = framework.scale
    out = []
    for d in framework.dimensions:
        if d.id not in then:
            continue
        value = then[d.id]
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value not in scale.values):
            continue
        label = _(NOT_SURE) if value is None else scale.label(value)
        earlier_round = earlier = None
        if history is not None and not history.empty:
            part = history[(history["dimension_id"] == d.id) & history["score"].notna()]
            if latest_round is not None:
                part = part[part["round"].astype(str) != str(latest_round)]
            if "version" in part.columns:
                part = part[part["version"].fillna(framework.version).astype(int)
                            == framework.version]
            if len(part):
                first = part.sort_values("round_position", kind="stable").iloc[0]
                earlier_round, earlier = str(first["round"]), float(first["score"])
        out.append(LookingBack(d.id, d.title, value, label, earlier_round, earlier))
    return tuple(out)


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


HISTORY_COLUMNS = ["round_id", "round", "round_position", "dimension_id", "score",
                   "forward_answered", "version", *COUNT_COLUMNS]


def _edition(framework: Framework, version) -> Framework | None:
    if version is None or (isinstance(version, float) and math.isnan(version)):
        return framework
    version = int(version)
    if version == framework.version:
        return framework
    from kit.content import load_edition

    return load_edition(framework, version)


def history_from_scores(framework: Framework, frame: pd.DataFrame) -> pd.DataFrame:
    """Dimension scores per round from the store's ``participant_scores`` frame.

    Accepts an item-level long frame (``item_id`` and ``value``: raw answers, NaN = not
    applicable; optionally ``framework_version``, the edition each answer was given to) or a
    dimension-level one (``dimension_id`` and ``score``). Each round is scored under the edition
    it answered, never re-read under another. Returns :data:`HISTORY_COLUMNS` sorted by round
    position (the counts are missing for a dimension-level frame).
    """
    if frame is None or len(frame) == 0:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    df = frame.copy()
    for col, default in (("round_id", None), ("round", _("This round")), ("round_position", 0)):
        if col not in df.columns:
            df[col] = default
    df["round"] = df["round"].fillna(_("Private"))
    df["round_position"] = df["round_position"].fillna(0)
    if "framework_version" not in df.columns:
        df["framework_version"] = framework.version
    keys = ["round_id", "round", "round_position"]
    if "dimension_id" in df.columns and "score" in df.columns and "item_id" not in df.columns:
        out = df[keys + ["dimension_id", "score"]].copy()
        out["version"] = df["framework_version"]
        for col in ("forward_answered", *COUNT_COLUMNS):
            out[col] = df[col] if col in df.columns else np.nan
    else:
        if "item_id" not in df.columns or "value" not in df.columns:
            raise ValueError(
                "participant scores need either item_id and value columns or dimension_id and "
                f"score columns; got {sorted(df.columns)}"
            )
        rows = []
        for key, part in df.groupby(["round", "round_position", "framework_version"],
                                    dropna=False, sort=False):
            edition = _edition(framework, key[2])
            if edition is None:
                continue  # an edition no longer kept: its answers cannot be read
            answers = {}
            for item_id, value in zip(part["item_id"], part["value"], strict=True):
                try:
                    edition.item(item_id)
                except KeyError:
                    continue  # an item retired from the framework since
                answers[item_id] = None if pd.isna(value) else int(value)
            round_id = part["round_id"].iloc[0]
            for dim_id, r in dimension_readings(edition, answers).items():
                c = _counts(r)
                rows.append((round_id, key[0], key[1], dim_id, r.score, r.answered,
                             edition.version, *(c[k] for k in COUNT_COLUMNS)))
        out = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    out["score"] = pd.to_numeric(out["score"], errors="coerce")
    return out.sort_values(["round_position", "dimension_id"], kind="stable").reset_index(drop=True)


def changes(framework: Framework, history: pd.DataFrame,
            version: int | None = None) -> tuple[Change, ...]:
    """Change per dimension from the first round to the latest round that scored it, among the
    rounds answered under ``version`` (default: every round); scores made under different
    editions are never compared."""
    if history is None or history.empty:
        return ()
    if version is not None and "version" in history.columns:
        history = history[history["version"].fillna(version).astype(int) == int(version)]
    out = []
    for d in framework.dimensions:
        part = history[(history["dimension_id"] == d.id) & history["score"].notna()]
        part = part.sort_values("round_position", kind="stable")
        if part["round"].nunique() < 2:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        out.append(Change(d.id, d.title, str(first["round"]), str(last["round"]),
                          float(first["score"]), float(last["score"])))
    return tuple(out)


def profile_from_history(framework: Framework, history: pd.DataFrame,
                         importance: Mapping[str, int] | None = None,
                         then: Mapping[str, int | None] | None = None) -> Profile | None:
    """The latest round's profile, with change since the first round answered under the same
    edition, and the latest round's then-test (``then``, see :func:`looking_back`). ``None``
    with no data.

    When the latest round answered an earlier edition, the profile is that edition's, and says
    so (:attr:`Profile.edition_note`).
    """
    if history is None or history.empty or history["score"].notna().sum() == 0:
        return None
    scored = history[history["score"].notna()]
    latest_pos = scored["round_position"].max()
    latest = history[history["round_position"] == latest_pos]
    round_name = str(latest["round"].iloc[0])
    version = latest["version"].iloc[0] if "version" in latest.columns else None
    edition = _edition(framework, version) or framework
    scores = dict(zip(latest["dimension_id"], latest["score"], strict=True))
    counts = {d: {k: row.get(k) for k in COUNT_COLUMNS}
              for d, row in zip(latest["dimension_id"], latest.to_dict("records"), strict=True)}
    others = ()
    if "version" in history.columns:
        v = history["version"].fillna(edition.version).astype(int)
        other = history[v != edition.version].drop_duplicates("round")
        others = tuple((str(r), int(n)) for r, n in zip(
            other["round"], other["version"].fillna(edition.version), strict=True))
    profile = _make_profile(edition, round_name, scores, dict(importance or {}),
                            changes(edition, history, edition.version), counts=counts,
                            current_version=framework.version, other_editions=others)
    if then:
        profile = replace(profile, looking_back=looking_back(edition, then, history, round_name))
    return profile


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


def commitments_by_area(framework: Framework, commitments: Iterable) -> list[tuple[str, list]]:
    """``[(area title, [commitment, ...]), ...]`` in framework order, then commitments with no
    area (under "Other"), each list oldest first: what the person committed to in each area, to
    read beside how the area changed."""
    by: dict[str | None, list] = {}
    for c in commitments:
        by.setdefault(_field(c, "dimension_id"), []).append(c)
    out = []
    for d in framework.dimensions:
        if d.id in by:
            out.append((d.title, sorted(by.pop(d.id), key=lambda c: _field(c, "id"))))
    rest = [c for cs in by.values() for c in cs]
    if rest:
        out.append((_("Other"), sorted(rest, key=lambda c: _field(c, "id"))))
    return out


@dataclass(frozen=True)
class NetworkFigures:
    """The figures shown beside the partnership map."""

    people: int
    sectors: int
    sector_names: tuple[str, ...]
    weak_ties: int
    quiet: tuple[str, ...]  # labels of people not in touch recently

    @property
    def weak_share(self) -> float | None:
        return self.weak_ties / self.people if self.people else None

    def sentences(self) -> list[str]:
        if not self.people:
            return [_("Your map is empty so far. Add the people you work with across "
                      "organisations.")]
        people = ngettext("{n} person", "{n} people", self.people).format(n=self.people)
        sectors = ngettext("{n} sector", "{n} sectors", self.sectors).format(n=self.sectors)
        if self.sector_names:
            out = [_("You have {people} on your map, across {sectors} ({names}).").format(
                people=people, sectors=sectors,
                names=", ".join(_(s) for s in self.sector_names))]
        else:
            out = [_("You have {people} on your map, across {sectors}.").format(
                people=people, sectors=sectors)]
        share = round(100 * (self.weak_share or 0))
        out.append(_("{n} of them ({share}%) are weak ties (strength {most} or less).").format(
            n=self.weak_ties, share=share, most=WEAK_TIE_STRENGTH))
        if self.quiet:
            out.append(_("Not in touch recently: {names}.").format(names=", ".join(self.quiet)))
        else:
            out.append(_("You have been in touch with everyone on your map recently."))
        return out


def _field(rel, name):
    return rel.get(name) if isinstance(rel, Mapping) else getattr(rel, name, None)


def network_figures(relationships: Iterable, today: dt.date | None = None) -> NetworkFigures:
    """Count sectors, weak ties and quiet contacts in a list of relationships.

    A contact is quiet when its usual frequency is quarterly or rarer, or when its last
    recorded contact is more than 90 days before ``today``.
    """
    rels = list(relationships)
    sectors = sorted({s for s in (_field(r, "sector") for r in rels) if s})
    weak = sum(1 for r in rels if int(_field(r, "strength") or 0) <= WEAK_TIE_STRENGTH)
    quiet = []
    for r in rels:
        last = _field(r, "last_contact")
        stale = (today is not None and isinstance(last, dt.date)
                 and (today - last).days > QUIET_DAYS)
        if _field(r, "contact") in QUIET_CONTACTS or stale:
            quiet.append(str(_field(r, "label")))
    return NetworkFigures(len(rels), len(sectors), tuple(sectors), weak, tuple(quiet))
