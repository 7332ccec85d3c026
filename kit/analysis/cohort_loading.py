"""Reading one cohort from the store as its facilitator may see it (read only).

:func:`load_cohort` is :meth:`kit.analysis.cohort.CohortData.from_store`: it reads the
published results of each closed round (or, in the tests' control runs only, the live frames),
the shared prompts' answers that may be shown, where each round stands and the acts that
changed who counts. Nothing here writes: results are published when a round closes and shared
texts released in batches, both by :mod:`kit.publishing`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kit.analysis.free_text import (
    SharedComments,
    shared_comments_from_entries,
    texts_on_view,
)
from kit.analysis.privacy import Rules
from kit.content.models import Framework
from kit.i18n import _, format_date, ngettext

__all__ = ["SharedPrompt", "membership_note", "load_cohort"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SharedPrompt:
    """A shared prompt's title, question and the answers that may be shown."""

    exercise_id: str
    title: str
    prompt: str
    comments: SharedComments


def membership_note(event: dict) -> str:
    """One act that changed who counts, in words, for the dashboard."""
    date = format_date(event["at"])
    if event["kind"] == "import":
        answers = sum((event["detail"] or {}).get("responses", {}).values())
        return ngettext(
            "On {date} the set-up key holder imported {n} counted member ({answers} answers) "
            "from a file.",
            "On {date} the set-up key holder imported {n} counted members ({answers} answers) "
            "from a file.", event["people"]).format(date=date, n=event["people"], answers=answers)
    if event["kind"] == "taken_back":
        return _("On {date} {round} was closed before anyone counted had answered, so it went "
                 "back to not open yet; it counts everyone who has joined when it opens "
                 "again.").format(date=date, round=event["round"])
    group = (event["detail"] or {}).get("group", "")
    if event["kind"] == "join_code_extra":
        return _("On {date} the set-up key holder issued an extra join code for {group}; its "
                 "other codes still join it.").format(date=date, group=group)
    if event["kind"] == "join_code_new":
        return _("On {date} the set-up key holder replaced the join code of {group}; its old "
                 "code no longer joins.").format(date=date, group=group)
    if event["kind"] == "facilitator_key_new":
        return _("On {date} the set-up key holder issued a new facilitator key; the old one no "
                 "longer opens the dashboard.").format(date=date)
    return _("On {date}: {kind}.").format(date=date, kind=event["kind"])


def load_cohort(
    cls,
    store,
    cohort_id: int,
    *,
    framework: Framework | str | None = None,
    health_framework: Framework | str | None | bool = None,
    rules: Rules | None = None,
):
    """An instance of ``cls`` (:class:`~kit.analysis.cohort.CohortData`) for one cohort: see
    :meth:`~kit.analysis.cohort.CohortData.from_store`."""
    from kit.content import load_exercises, load_framework

    info = store.cohort(cohort_id)
    if framework is None:
        framework = info.self_framework
    if health_framework is None:
        health_framework = info.team_framework
    elif health_framework is False:
        health_framework = None
    fw = load_framework(framework) if isinstance(framework, str) else framework
    content_problems: list[str] = []
    hfw = None
    if health_framework is not None:
        hfw = _health_framework(health_framework, content_problems)
    rules = rules or Rules.from_settings()
    exercises = [ex for ex in load_exercises() if getattr(ex, "shared_step", None)]
    rounds = tuple(r.name for r in sorted(info.rounds, key=lambda r: r.position))
    groups = tuple(g.name for g in info.groups)
    read = _live if not rules.hardened else _published
    return cls(name=info.name, framework=fw, health_framework=hfw, groups=groups,
               rounds=rounds, rules=rules, content_problems=tuple(content_problems),
               **read(store, cohort_id, fw, hfw, exercises, rules))


def _health_framework(health_framework: Framework | str, content_problems: list[str]):
    """The health check's framework, or None when it does not load.

    A file that is there but broken is named in ``content_problems`` (so the dashboard says
    why the view is missing); a framework that does not exist at all is optional content, left
    out with a line in the log. Any other failure is raised.
    """
    from kit.content import ContentError, load_framework

    try:
        return (
            load_framework(health_framework)
            if isinstance(health_framework, str)
            else health_framework
        )
    except ContentError as err:
        if any(p.file for p in err.problems):
            # The file is there but broken: say so rather than drop the view quietly.
            log.warning("health-check framework %r does not load:\n%s",
                        health_framework, err)
            first = err.problems[0].compact()
            more = len(err.problems) - 1
            if more:
                detail = _("{first}; and {more} more").format(first=first, more=more)
            else:
                detail = first
            content_problems.append(ngettext(
                "The partnership health check is left out: its framework {name} has "
                "{n} problem ({detail}). Run `kit validate` to see them all and fix "
                "the file.",
                "The partnership health check is left out: its framework {name} has "
                "{n} problems ({detail}). Run `kit validate` to see them all and fix "
                "the file.", len(err.problems)).format(
                name=repr(health_framework), n=len(err.problems), detail=detail))
        else:
            # No such framework at all: the health check is optional content.
            log.info("health-check framework %r is not found, so the health check is left "
                     "out: %s", health_framework, err)
        return None


def _live(store, cohort_id: int, fw: Framework, hfw: Framework | None, exercises,
          rules: Rules) -> dict:
    """The live frames (the tests' control runs only, with ``rules.hardened`` False)."""
    prompts = []
    for ex in exercises:
        entries = store.shared_prompt_entries(cohort_id, ex.id, ex.shared_step)
        prompts.append(SharedPrompt(ex.id, ex.title, ex.step(ex.shared_step).prompt,
                                    shared_comments_from_entries(entries, rules=rules)))
    health = None
    trends = None
    if hfw is not None:
        health = store.responses_frame(cohort_id, hfw.id)
        trends = store.trend_frame(cohort_id, hfw.id)
    return dict(responses=store.responses_frame(cohort_id, fw.id),
                importance=store.importance_frame(cohort_id, fw.id),
                health_responses=health, health_trends=trends,
                participation=store.participation(cohort_id), prompts=tuple(prompts))


def _published(store, cohort_id: int, fw: Framework, hfw: Framework | None, exercises,
               rules: Rules) -> dict:
    """The published snapshots of each closed round, with where each round stands."""
    from kit.analysis import snapshots as snap
    from kit.analysis.rounds import round_statuses

    published = snap.load_published(store, cohort_id, fw)
    hpub = None
    if hfw is not None:
        hpub = snap.load_published(store, cohort_id, hfw)
    prompts = [SharedPrompt(ex.id, ex.title, ex.step(ex.shared_step).prompt,
                            texts_on_view(store, cohort_id, ex.id, ex.shared_step, rules))
               for ex in exercises]
    statuses = tuple(round_statuses(store, cohort_id, fw.id))
    notes = tuple(membership_note(e) for e in store.membership_events(cohort_id))
    empty = store.responses_frame(cohort_id, fw.id, round_id=-1)
    return dict(
        responses=empty,
        importance=None,
        health_responses=None,
        participation=store.participation(cohort_id),
        prompts=tuple(prompts),
        published=published,
        health_published=hpub,
        update_status=statuses,
        membership_notes=notes,
    )
