"""The facilitator dashboard's state and rules, with no widgets (testable without a browser).

Who may open a cohort, which view is showing with which group, round and options, and the
facilitated session: four steps that reveal the views one at a time.
"""

from __future__ import annotations

import logging
import os

import traitlets as T

from kit.analysis.cohort import VIEWS, CohortData, view_by_id
from kit.analysis.privacy import ALL_GROUPS, BREAKDOWN_LABELS, BREAKDOWNS
from kit.apps.errors import Refused, is_choice

__all__ = [
    "FacilitatorModel",
    "AccessDenied",
    "SessionStep",
    "SESSION_STEPS",
    "suggested_questions",
    "SORT_LABELS",
]

log = logging.getLogger(__name__)

SORT_LABELS = {
    "framework": "Framework order",
    "mean": "Highest mean first",
    "disagreement": "Most mixed first",
}


class AccessDenied(Exception):
    """The key or user cannot open a cohort. The message is safe to show as it is."""

    friendly = True


class SessionStep:
    """One step of a facilitated session: what to show and what to say."""

    def __init__(self, id: str, title: str, views: tuple[str, ...], minutes: int, guidance: str):
        self.id, self.title, self.views, self.minutes, self.guidance = id, title, views, minutes, guidance

    def __repr__(self) -> str:
        return f"SessionStep({self.id!r})"


SESSION_STEPS: tuple[SessionStep, ...] = (
    SessionStep(
        "status", "1. Private assessment status", ("participation",), 10,
        "Everyone answers privately first. Check that each group has enough responses for its "
        "scores to show, and remind people that nobody's own answers are visible here.",
    ),
    SessionStep(
        "profile", "2. Group profile", ("participation", "profile"), 25,
        "Look at the shape of the group together. Ask what surprises people and what matches "
        "their experience, before anyone explains their own scores.",
    ),
    SessionStep(
        "mixed", "3. Most mixed areas first", ("participation", "profile", "disagreement"), 45,
        "Start with the areas where views differ most. A wide spread is useful: it means "
        "people see the partnership differently. Use the questions below.",
    ),
    SessionStep(
        "commitments", "4. Agree commitments", ("participation", "profile", "disagreement", "importance"), 30,
        "Turn the conversation into action: pick one or two dimensions rated important but "
        "scoring lower, and ask each person for one commitment with a date.",
    ),
)


def suggested_questions(dimension: str, why: str = "") -> list[str]:
    """Questions a facilitator can ask about a dimension where the group is split."""
    qs = [
        f"When you answered about \u201c{dimension}\u201d, which recent situation were you thinking of?",
        "Those who scored it higher: what have you seen that others may not have?",
        "Those who scored it lower: what gets in the way from where you sit?",
        "What would a small, visible step look like before the next round?",
    ]
    if why:
        qs.insert(0, f"Why it matters: {why}")
    return qs


class FacilitatorModel(T.HasTraits):
    """The dashboard's state. Set ``data`` (via one of the ``open_*`` methods) to unlock it."""

    cohort_name = T.Unicode("")
    view = T.Unicode("participation")
    group = T.Unicode(ALL_GROUPS)
    round = T.Unicode("")
    sort = T.Unicode("framework")
    by = T.Unicode("organisation")
    filter = T.Unicode("")            # "attribute=value" or "" for everyone
    session = T.Bool(False)
    step = T.Int(0)
    message = T.Unicode("")

    def __init__(self, **kw):
        super().__init__(**kw)
        self.data: CohortData | None = None
        self.cohort_id: int | None = None
        self.store = None

    # ------------------------------------------------------------------ access

    @property
    def is_open(self) -> bool:
        return self.data is not None

    def open_data(self, data: CohortData, cohort_id: int | None = None, store=None) -> None:
        """Unlock the dashboard on already-loaded data."""
        self.data = data
        self.cohort_id = cohort_id
        self.store = store
        self.round = data.answered_rounds[-1] if data.answered_rounds else (data.rounds[0] if data.rounds else "")
        self.group = data.groups[0] if data.groups else ALL_GROUPS
        self.message = ""
        self.cohort_name = data.name  # last: observers see a complete state

    def open_with_key(self, store, key: str) -> None:
        """Open the cohort whose facilitator key is ``key``; :class:`AccessDenied` if none."""
        key = (key or "").strip()
        if not key:
            raise AccessDenied("Enter the facilitator key you were given when the cohort was created.")
        from kit.store.errors import CodeError, NotFound

        try:
            info = store.cohort_by_facilitator_key(key)
        except (CodeError, NotFound) as exc:  # a busy or unreachable database is not a bad key
            log.info("facilitator key refused: %s", type(exc).__name__)
            raise AccessDenied(
                "That key does not open a cohort. Check it against the one you were given "
                "(letters and digits in groups of four)."
            ) from None
        self.open_data(CohortData.from_store(store, info.id), info.id, store)

    def open_for_hub_user(self, store, user: str, facilitators, cohort_id: int | None = None) -> None:
        """Open a cohort for a JupyterHub user listed in ``KIT_FACILITATORS``.

        Without ``cohort_id``, the most recently created cohort opens.
        """
        if not user or user not in facilitators:
            raise AccessDenied(f"The JupyterHub user {user!r} is not listed as a facilitator (KIT_FACILITATORS).")
        cohorts = store.list_cohorts()
        if not cohorts:
            raise AccessDenied("There are no cohorts yet. Create one with `kit cohort create`.")
        if cohort_id is None:
            cohort_id = max(cohorts, key=lambda c: (c.created_at, c.id)).id
        self.open_data(CohortData.from_store(store, cohort_id), cohort_id, store)

    def open_demo(self, store) -> None:
        """Seed the demo cohort if needed and open it."""
        from kit.demo import seed_demo

        codes = seed_demo(store)
        self.open_data(CohortData.from_store(store, codes.cohort_id), codes.cohort_id, store)

    # ------------------------------------------------------------------ choices

    def _need(self) -> CohortData:
        if self.data is None:
            raise AccessDenied("Open a cohort first.")
        return self.data

    @property
    def views(self):
        """Views unlocked now: all of them, or in a facilitated session those of the step so far."""
        if not self.session:
            return VIEWS
        allowed = SESSION_STEPS[self.step].views
        return tuple(v for v in VIEWS if v.id in allowed)

    def group_choices(self) -> list[tuple[str, str]]:
        d = self._need()
        return [(g if g != ALL_GROUPS else "All groups (whole cohort)", g) for g in d.scopes]

    def round_choices(self) -> list[tuple[str, str]]:
        d = self._need()
        answered = set(d.answered_rounds)
        return [(r if r in answered else f"{r} (no answers yet)", r) for r in d.rounds]

    def by_choices(self) -> list[tuple[str, str]]:
        return [(BREAKDOWN_LABELS[b], b) for b in BREAKDOWNS] + [("All three", "all")]

    def filter_choices(self) -> list[tuple[str, str]]:
        """Everyone, plus each organisation/sector/role level that may be shown on its own."""
        d = self._need()
        out = [("Everyone", "")]
        if not self.round:
            return out
        for by, value in d.filter_options(self.group, self.round):
            table = d.breakdown(by, self.group, self.round)
            if table[(table["value"] == value) & table["shown"]].empty:
                continue  # only filters whose cell may be shown
            out.append((f"{BREAKDOWN_LABELS[by]}: {value}", f"{by}={value}"))
        return out

    @property
    def filter_pair(self) -> tuple[str, str] | None:
        if not self.filter:
            return None
        by, _, value = self.filter.partition("=")
        return (by, value)

    @T.validate("view")
    def _check_view(self, proposal):
        value = proposal["value"]
        if not is_choice(value, {v.id for v in VIEWS}):
            raise Refused(f"There is no view {value!r}; choose one of "
                          f"{', '.join(v.id for v in VIEWS)}.")
        return value

    @T.validate("sort")
    def _check_sort(self, proposal):
        if not is_choice(proposal["value"], SORT_LABELS):
            raise Refused(f"The order {proposal['value']!r} is not one of {', '.join(SORT_LABELS)}.")
        return proposal["value"]

    # Picker values arrive over the widget channel, so each is checked against the choices
    # the dashboard offers (a forged filter must not reach a cell the rules withhold).
    @T.validate("group")
    def _check_group(self, proposal):
        value = proposal["value"]
        if self.data is not None and not is_choice(value, self.data.scopes):
            raise Refused(f"There is no group {value!r} in this cohort; choose one from the list.")
        return value

    @T.validate("round")
    def _check_round(self, proposal):
        value = proposal["value"]
        if self.data is not None and value != "" and not is_choice(value, self.data.rounds):
            raise Refused(f"There is no round {value!r} in this cohort; choose one from the list.")
        return value

    @T.validate("by")
    def _check_by(self, proposal):
        value = proposal["value"]
        if not is_choice(value, {b for _label, b in self.by_choices()}):
            raise Refused(f"Scores cannot be broken down by {value!r}; choose one from the list.")
        return value

    @T.validate("filter")
    def _check_filter(self, proposal):
        value = proposal["value"]
        if value == "":
            return value
        if self.data is None or not is_choice(value, {v for _l, v in self.filter_choices()}):
            raise Refused("That filter is not one of the choices offered (too few people to "
                          "show on their own, or not in this group); choose one from the list.")
        return value

    @T.validate("step")
    def _check_step(self, proposal):
        return max(0, min(len(SESSION_STEPS) - 1, proposal["value"]))

    @T.observe("group", "round")
    def _reset_filter(self, _change):
        self.filter = ""

    # ------------------------------------------------------------------ session

    def start_session(self) -> None:
        self.step = 0
        self.session = True
        self.view = SESSION_STEPS[0].views[-1]

    def end_session(self) -> None:
        self.session = False

    def next_step(self) -> None:
        if self.step < len(SESSION_STEPS) - 1:
            self.step += 1
        self.view = SESSION_STEPS[self.step].views[-1]

    def previous_step(self) -> None:
        if self.step > 0:
            self.step -= 1
        self.view = SESSION_STEPS[self.step].views[-1]

    @property
    def current_step(self) -> SessionStep:
        return SESSION_STEPS[self.step]

    def session_questions(self, top: int = 3) -> list[tuple[str, list[str]]]:
        """The most mixed dimensions that may be shown, with questions for each."""
        d = self._need()
        table = d.disagreement(self.group, self.round or None)
        table = table[table["shown"]].head(top)
        why = {dim.id: dim.why for dim in d.framework.dimensions}
        return [(r.dimension, suggested_questions(r.dimension, why.get(r.dimension_id, "")))
                for r in table.itertuples()]

    def focus_dimensions(self) -> list[str]:
        """Dimensions rated important but scoring lower: candidates for commitments."""
        d = self._need()
        table = d.importance_performance(self.group, self.round or None)
        return table.loc[table["quadrant"] == "Focus here", "dimension"].tolist()

    # ------------------------------------------------------------------ content

    def charts(self):
        """ChartWithText items for the current view and choices."""
        from kit.charts.team_views import view_charts

        d = self._need()
        if self.view not in {v.id for v in self.views}:
            return []
        return view_charts(d, self.view, group=self.group, round=self.round or None, sort=self.sort,
                           by=self.by, filter=self.filter_pair)

    def tables(self) -> dict[str, object]:
        """Suppressed tables behind the current view, by file name (for CSV downloads)."""
        from kit.report.group import view_tables

        d = self._need()
        return view_tables(d, self.view, group=self.group, round=self.round or None,
                           by=self.by, filter=self.filter_pair)

    def view_title(self) -> str:
        return view_by_id(self.view).title

    # ------------------------------------------------------------------ published results

    def status_lines(self) -> list[str]:
        """Why numbers may be missing or not updated yet, in plain words, one per round."""
        d = self._need()
        lines = [s.message for s in d.update_status]
        if self.store is not None and self.cohort_id is not None:
            for g in self.store.membership_summary(self.cohort_id):
                line = f"{g['group']}: {g['members']} members"
                if g["joined_after"]:
                    line += (f"; {g['joined_after']} joined after {g['round']} opened and count "
                             "from the next round")
                lines.append(line + ".")
        return lines + list(d.membership_notes)

    def publish_update(self) -> str:
        """Publish the current round's results now (if enough has changed); returns a sentence.

        Raises :class:`~kit.analysis.snapshots.SnapshotRefused` (its message is for people)
        when fewer than K answers changed since the last update.
        """
        from kit.analysis import snapshots
        from kit.content import load_exercises

        d = self._need()
        if self.store is None or self.cohort_id is None:
            raise AccessDenied("Only a cohort opened from the store can publish results.")
        rnd = self.round or (d.rounds[0] if d.rounds else "")
        exercises = [ex for ex in load_exercises() if getattr(ex, "shared_step", None)]
        snapshots.publish(self.store, self.cohort_id, rnd, d.framework, d.rules,
                          exercises=exercises)
        kept = (self.view, self.group, self.session, self.step)
        self.open_data(CohortData.from_store(self.store, self.cohort_id, framework=d.framework,
                                             health_framework=d.health_framework or False,
                                             rules=d.rules), self.cohort_id, self.store)
        self.view, self.group, self.session, self.step = kept
        self.round = rnd
        return f"Published the results of {rnd} as they stand now."


def hub_user() -> str:
    """The JupyterHub user name, or ``""`` outside JupyterHub."""
    return os.environ.get("JUPYTERHUB_USER", "")
