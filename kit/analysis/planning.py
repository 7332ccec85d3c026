"""Before the day: which facilitator views will be empty or withheld when a round closes.

:func:`plan_views` takes the head counts of a cohort's members as they are now (by group,
organisation, sector and role level: counts, never answers) and forecasts, for every view in
:data:`kit.analysis.views.VIEWS` and every scope it offers, whether it will show once everyone
counted has answered. It runs the same planner the round's publication runs at close
(:func:`kit.analysis.privacy.plan_from_counts`), so a forecast "shows" is what closing gives,
unless everyone in a cell gives the same answer (which nobody can know beforehand).

Each empty forecast carries its true reason (a code) and :func:`forecast_sentences` puts the
empty ones in plain words, the same sentences the facilitator guide gives a fallback for
(``docs/facilitator-guide.md``, "Before the day: views that will be empty").

Examples
--------
>>> import pandas as pd
>>> counts = pd.DataFrame({"group": ["A", "B"], "organisation": ["X", "Y"],
...                        "sector": ["", ""], "role_level": ["", ""], "members": [7, 3]})
>>> f = plan_views(counts, Rules(5, 10), fixed=True)
>>> [(x.view.id, x.scope, x.reason) for x in f if x.view.id == "profile"]
[('profile', 'A', 'shows'), ('profile', 'B', 'below_minimum'), ('profile', 'All groups', 'gives_away')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from kit.analysis.privacy import (
    ALL_GROUPS,
    BREAKDOWNS,
    Plan,
    Rules,
    fill_attributes,
    plan_from_counts,
)
from kit.analysis.views import VIEWS, View
from kit.i18n import _, ngettext

__all__ = ["ViewForecast", "plan_views", "forecast_sentences", "forecast_for_members", "REASONS"]

#: Why a view will be empty, by code (what :attr:`ViewForecast.reason` holds):
REASONS = {
    "shows": "it will show once everyone counted has answered",
    "always": "head counts are always shown",
    "no_members": "the scope has no members yet",
    "below_minimum": "the scope has fewer than K members",
    "gives_away": "the whole cohort's numbers minus the other groups' would give a small group away",
    "protected": "withheld so that no one's answers can be worked out from other numbers shown",
    "no_cell": "no organisation (sector, role level) in the scope has K or more members",
    "cells_protected": "those with K or more members are withheld to protect the rest",
    "no_group": "no group will show (each is below K or withheld)",
    "too_few_for_texts": "the cohort has fewer members than must share before texts appear",
    "texts": "answers appear once enough members have shared one",
}


@dataclass(frozen=True)
class ViewForecast:
    """One view, for one scope (and one breakdown attribute), before the round closes.

    ``scope`` is a group name or :data:`ALL_GROUPS`; ``by`` the attribute for the breakdown
    view (else None); ``members`` how many people the scope has; ``reason`` a key of
    :data:`REASONS`; ``small_groups`` the groups behind a ``"gives_away"``.
    """

    view: View
    scope: str
    by: str | None
    shows: bool
    reason: str
    members: int
    small_groups: tuple[str, ...] = ()


def _atoms(counts: pd.DataFrame) -> pd.Series:
    if counts is None or len(counts) == 0:
        return pd.Series(dtype=int, index=pd.MultiIndex.from_tuples(
            [], names=["group", *BREAKDOWNS]))
    missing = [c for c in ("group", "members") if c not in counts.columns]
    if missing:
        raise ValueError(f"the member counts have no column(s) {missing}; expected group, "
                         f"organisation, sector, role_level, members")
    frame = fill_attributes(counts)
    frame["members"] = pd.to_numeric(frame["members"]).fillna(0).astype(int)
    atoms = frame.groupby(["group", *BREAKDOWNS], sort=True, observed=True)["members"].sum()
    return atoms[atoms > 0]


def plan_views(
    counts: pd.DataFrame,
    rules: Rules,
    *,
    groups: Sequence[str] = (),
    fixed: bool = False,
    views: Iterable[View] = VIEWS,
) -> list[ViewForecast]:
    """Forecast every view's outcome at close from the members as they are now.

    Parameters
    ----------
    counts
        One row per combination of group, organisation, sector and role level with its head
        count in ``members`` (blank attributes count as "Not given"). Counts only.
    rules
        The confidentiality rules in force (minimum group size K, texts' minimum).
    groups
        Every group of the cohort, so a group nobody has joined is forecast too.
    fixed
        True when who counts is fixed (the round is open): a group below K can then never
        reach it. False while the round is not open yet: more people may still join.
    views
        The views to forecast (default: every dashboard view; leave out the health check when
        the cohort has none).

    Returns
    -------
    list[ViewForecast]
        In view order, then scope order (groups, then the whole cohort), then attribute.
    """
    outlook = _Outlook.of(counts, rules, groups)
    total = outlook.total
    out: list[ViewForecast] = []
    for view in views:
        if view.needs == "counts":
            out.append(ViewForecast(view, ALL_GROUPS, None, True, "always", total))
            continue
        if view.needs == "texts":
            enough = total >= rules.min_comment_size
            out.append(ViewForecast(view, ALL_GROUPS, None, enough,
                                    "texts" if enough else "too_few_for_texts", total))
            continue
        if view.needs == "groups":
            any_shown = any(outlook.state(g)[0] for g in outlook.names)
            out.append(ViewForecast(view, ALL_GROUPS, None, any_shown,
                                    "shows" if any_shown else "no_group", total))
            continue
        for scope in [*outlook.names, ALL_GROUPS]:
            n = outlook.members(scope)
            shows, reason = outlook.state(scope)
            gives = outlook.small if reason == "gives_away" else ()
            if view.needs != "breakdown":
                out.append(ViewForecast(view, scope, None, shows, reason, n, gives))
                continue
            out += _breakdown_forecasts(view, scope, reason, n, gives, outlook)
    return out


@dataclass(frozen=True)
class _Outlook:
    """The members as they are now, planned as closing the round will plan them."""

    k: int
    #: every group, in order: those given, then any other with members
    names: list[str]
    size: dict[str, int]
    total: int
    #: the scores' plan (with breakdowns) and the plan of measures without breakdowns
    plan: Plan
    totals: Plan
    #: groups with members but fewer than K
    small: tuple[str, ...]

    @classmethod
    def of(cls, counts: pd.DataFrame, rules: Rules, groups: Sequence[str]) -> _Outlook:
        k = rules.min_group_size
        atoms = _atoms(counts)
        sizes = atoms.groupby(level=0).sum() if len(atoms) else pd.Series(dtype=int)
        names = list(dict.fromkeys([*groups, *sorted(str(g) for g in sizes.index)]))
        size = {g: int(sizes.get(g, 0)) for g in names}
        overlap = rules.hardened
        plan = plan_from_counts(atoms, k, BREAKDOWNS, overlap=overlap) if len(atoms) else Plan(k=k)
        # Measures without breakdowns (statements, importance) are planned over groups alone.
        totals = (plan_from_counts(atoms.groupby(level=0).sum(), k, (), overlap=overlap)
                  if len(atoms) else Plan(k=k))
        small = tuple(g for g in names if 0 < size[g] < k)
        return cls(k, names, size, sum(size.values()), plan, totals, small)

    def members(self, scope: str) -> int:
        return self.total if scope == ALL_GROUPS else self.size[scope]

    def state(self, scope: str) -> tuple[bool, str]:
        """``(shows, reason)`` of a scope's own summary."""
        n = self.members(scope)
        if n == 0:
            return False, "no_members"
        if n < self.k:
            return False, "below_minimum"
        if self.plan.shown(scope) and self.totals.shown(scope):
            return True, "shows"
        if scope == ALL_GROUPS and 0 < sum(self.size[g] for g in self.small) < self.k:
            return False, "gives_away"
        return False, "protected"


def _breakdown_forecasts(view: View, scope: str, reason: str, n: int, gives: tuple[str, ...],
                         outlook: _Outlook) -> list[ViewForecast]:
    """The breakdown view's forecast for one scope, one per attribute; ``reason`` is the
    scope's own (:meth:`_Outlook.state`)."""
    plan, k = outlook.plan, outlook.k
    out = []
    for by in BREAKDOWNS:
        if reason not in ("shows", "protected", "gives_away"):
            out.append(ViewForecast(view, scope, by, False, reason, n))
            continue
        cells = plan.values(scope, by)
        if any(plan.shown(scope, by, v) for v in cells):
            out.append(ViewForecast(view, scope, by, True, "shows", n))
        elif all(plan.size(scope, by, v) < k for v in cells):
            out.append(ViewForecast(view, scope, by, False, "no_cell", n))
        elif reason != "shows":  # the scope's own total is withheld: same reason
            out.append(ViewForecast(view, scope, by, False, reason, n, gives))
        else:
            out.append(ViewForecast(view, scope, by, False, "cells_protected", n))
    return out


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- in words


def _scope(scope: str) -> str:
    return _("the whole cohort") if scope == ALL_GROUPS else scope


def _views(views: list[View]) -> str:
    return ", ".join("\u201c" + v.label + "\u201d" for v in views)


def _no_cell(by: str, view: View, scope: str, k: int) -> str:
    if by == "organisation":
        said = _("{view}, by organisation: no organisation in {scope} has {k} or more members, "
                 "so this view will be empty for {scope}.")
    elif by == "sector":
        said = _("{view}, by sector: no sector in {scope} has {k} or more members, so this view "
                 "will be empty for {scope}.")
    else:
        said = _("{view}, by role level: no role level in {scope} has {k} or more members, so "
                 "this view will be empty for {scope}.")
    return said.format(view="\u201c" + view.label + "\u201d", scope=_scope(scope), k=k)


def _cells_protected(by: str, view: View, scope: str, k: int) -> str:
    if by == "organisation":
        said = _("{view}, by organisation: in {scope} the organisations with {k} or more "
                 "members are hidden, so that no one's answers can be worked out from the other "
                 "numbers shown; this view will be empty for {scope}.")
    elif by == "sector":
        said = _("{view}, by sector: in {scope} the sectors with {k} or more members are "
                 "hidden, so that no one's answers can be worked out from the other numbers "
                 "shown; this view will be empty for {scope}.")
    else:
        said = _("{view}, by role level: in {scope} the role levels with {k} or more members "
                 "are hidden, so that no one's answers can be worked out from the other numbers "
                 "shown; this view will be empty for {scope}.")
    return said.format(view="\u201c" + view.label + "\u201d", scope=_scope(scope), k=k)


def forecast_sentences(forecasts: Sequence[ViewForecast], rules: Rules, *,
                       fixed: bool = False) -> list[str]:
    """The empty forecasts in plain words, one sentence per scope and reason (the sentences
    the facilitator guide explains). Empty when every view will show."""
    k, need = rules.min_group_size, rules.min_comment_size
    out: list[str] = []
    grouped: dict[tuple[str, str], list[ViewForecast]] = {}
    for f in forecasts:
        if f.shows:
            continue
        if f.view.needs == "breakdown" and f.reason in ("no_cell", "cells_protected"):
            words = _no_cell if f.reason == "no_cell" else _cells_protected
            out.append(words(f.by, f.view, f.scope, k))
            continue
        grouped.setdefault((f.scope, f.reason), []).append(f)
    for (scope, reason), fs in grouped.items():
        views = list(dict.fromkeys(f.view for f in fs))
        n = fs[0].members
        where = _scope(scope)
        listed = _views(views)
        if reason == "too_few_for_texts":
            out.append(ngettext(
                "\u201c{view}\u201d needs at least {need} members of the cohort to share an "
                "answer, and the cohort has {n} member so far, so it will be empty.",
                "\u201c{view}\u201d needs at least {need} members of the cohort to share an "
                "answer, and the cohort has {n} members so far, so it will be empty.", n).format(
                view=views[0].label, need=need, n=n))
        elif reason == "no_group":
            out.append(_("\u201c{view}\u201d: no group will have results to show (each has "
                         "fewer than {k} members or is withheld), so it will be empty.").format(
                view=views[0].label, k=k))
        elif reason == "no_members":
            out.append(_("{scope} has no members yet, so these views will be empty for {scope}: "
                         "{views}.").format(scope=where, views=listed))
        elif reason == "below_minimum" and fixed:
            out.append(ngettext(
                "{scope} has {n} counted member and can never reach the minimum of {k}, so "
                "these views will be empty for {scope}: {views}.",
                "{scope} has {n} counted members and can never reach the minimum of {k}, so "
                "these views will be empty for {scope}: {views}.", n).format(
                scope=where, n=n, k=k, views=listed))
        elif reason == "below_minimum":
            out.append(ngettext(
                "{scope} has {n} member so far, fewer than the minimum of {k}: unless {more} "
                "more join before the round opens, these views will be empty for {scope}: "
                "{views}.",
                "{scope} has {n} members so far, fewer than the minimum of {k}: unless {more} "
                "more join before the round opens, these views will be empty for {scope}: "
                "{views}.", n).format(scope=where, n=n, k=k, more=k - n, views=listed))
        elif reason == "gives_away":
            small = fs[0].small_groups
            out.append(ngettext(
                "The whole cohort's results will be withheld in these views: {views}. {groups} "
                "has fewer than {k} members, and the whole cohort's numbers minus the other "
                "groups' would give its results away.",
                "The whole cohort's results will be withheld in these views: {views}. {groups} "
                "have fewer than {k} members each, and the whole cohort's numbers minus the "
                "other groups' would give their results away.", len(small)).format(
                views=listed, groups=", ".join(small), k=k))
        else:  # protected
            out.append(_("The results of {scope} will be withheld in these views, so that no "
                         "one's answers can be worked out from the other numbers shown: "
                         "{views}.").format(scope=where, views=listed))
    return [_first_upper(s) for s in out]


def forecast_for_members(members: dict, rules: Rules, *,
                         views: Iterable[View] = VIEWS) -> tuple[str, list[str]]:
    """The set-up page's and the dashboard's warning: an opening sentence and the empty views.

    ``members`` is ``Store.member_counts(cohort_id)`` (head counts for the open round, else the
    next to open). Returns ``("", [])`` when every round has run.
    """
    if not members.get("round"):
        return "", []
    counts = pd.DataFrame(members.get("counts") or [],
                          columns=["group", *BREAKDOWNS, "members"])
    fixed = bool(members.get("is_open"))
    forecasts = plan_views(counts, rules, groups=members.get("groups") or (), fixed=fixed,
                           views=views)
    sentences = forecast_sentences(forecasts, rules, fixed=fixed)
    n = int(counts["members"].sum()) if len(counts) else 0
    rnd = members["round"]
    if not sentences:
        return _("With the members as they are now, every view can show once everyone counted "
                 "in {round} has answered (unless everyone in a group gives the same "
                 "answer).").format(round=rnd), []
    if fixed:
        intro = ngettext(
            "{round} is open, so who counts is fixed. With its {n} counted member, these views "
            "will be empty or withheld when it closes (the facilitator guide says what to do "
            "instead):",
            "{round} is open, so who counts is fixed. With its {n} counted members, these views "
            "will be empty or withheld when it closes (the facilitator guide says what to do "
            "instead):", n)
    else:
        intro = ngettext(
            "{round} is not open yet. With the {n} member who has joined so far, these views "
            "would be empty or withheld when it closes (the facilitator guide says what to do "
            "instead):",
            "{round} is not open yet. With the {n} members who have joined so far, these views "
            "would be empty or withheld when it closes (the facilitator guide says what to do "
            "instead):", n)
    return intro.format(round=rnd, n=n), sentences
