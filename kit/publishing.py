"""Publishing: the one home of every write that changes what a facilitator's view shows.

Two writes have a business meaning of their own, so they live here, above the analysis (which
decides and reads, and never writes) and the store (which saves what it is told):

* **a round's results**, published once, when the round closes, and final. Closing a round
  (set-up, the facilitator dashboard, ``kit cohort round close``, ``kit demo``) calls
  :func:`close_round`, which closes it in the store and saves one snapshot of it per framework
  (:func:`publish_snapshot`; :func:`kit.analysis.snapshots.plan_snapshot` plans what each cell
  may show);
* **a batch of shared texts** ("In their words"), released by :func:`release_texts` on the
  write that changes sharing (the journal saving a shared answer or a change to one, My data
  and ``kit erase`` erasing a member) and at every round close
  (:func:`kit.analysis.free_text.decide_batch` decides whether a batch may form).

Opening the dashboard, building :class:`kit.analysis.cohort.CohortData` or any view or CSV
never writes: it reads what was published and released.

* A closed round's results never change. Erasing a person afterwards removes their data; the
  anonymous summary already published stays (anonymous information is outside data
  protection law: docs/confidentiality.md, "Published results are final").
* While a round is open nothing of it is published: the dashboard shows how many have
  answered, and says results appear when the round closes.
* A group whose member said "This does not match my group" about its count, and whose
  objection is not resolved when the round closes, has its results *held*: its cells, and
  the whole cohort's, say why. When the set-up key holder resolves the objection
  (:func:`resolve_objection`), the held cells are published, once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kit.analysis.privacy import Rules
from kit.analysis.rounds import STATE_WORDS
from kit.i18n import _, ngettext

__all__ = ["Closed", "close_round", "publish_closed", "publish_snapshot", "release_texts",
           "resolve_objection"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Closed:
    """What closing a round did: ``published`` snapshots written, or ``taken_back`` when
    nobody counted had answered (the round is not open again, and nothing was published)."""

    round: str
    taken_back: bool
    published: int
    held: tuple[str, ...] = ()
    #: Why publishing did not finish (the round is closed all the same), or "".
    failed: str = ""

    @property
    def message(self) -> str:
        if self.failed:
            return _("{round} is closed, but publishing its results did not finish ({why}). "
                     "Close it again to publish them: nothing else changes.").format(
                round=self.round, why=self.failed)
        if self.taken_back:
            return _("Nobody counted in {round} had answered, so nothing was published: the "
                     "round is back to not open yet. When it opens again it counts everyone "
                     "who has joined by then.").format(round=self.round)
        said = _("{round} is closed. Its results are published and final: they will not "
                 "change, and answers to it are no longer taken.").format(round=self.round)
        if self.held:
            said += " " + _("Results for {groups} are held: a member said the count does not "
                            "match their group; the set-up key holder must resolve it.").format(
                groups=", ".join(self.held))
        return said


def _frameworks(store, cohort_id: int, frameworks=None):
    """The cohort's frameworks that load (or ``frameworks`` as given), with the shared-prompt
    exercises for the first."""
    from kit.content import ContentError, load_exercises, load_framework

    exercises = [ex for ex in load_exercises() if getattr(ex, "shared_step", None)]
    if frameworks is not None:
        return list(frameworks), exercises
    info = store.cohort(cohort_id)
    out = [load_framework(info.self_framework)]
    try:
        out.append(load_framework(info.team_framework))
    except ContentError:
        log.warning("team framework %r does not load; its results are not published",
                    info.team_framework)
    return out, exercises


def publish_closed(store, cohort_id: int, round_name, *, rules: Rules | None = None,
                   reason: str = "round closed", frameworks=None) -> int:
    """Publish a closed round's results where they are not published yet (or held cells whose
    objection was resolved); returns how many snapshots were written.

    Publishing twice writes nothing the second time: a closed round's results are final. Refused
    (:class:`kit.store.RoundStateError`) for a round that is not closed. ``frameworks`` (default:
    the cohort's self-assessment and health check) are the frameworks published.
    """
    from kit.analysis import snapshots
    from kit.store.errors import RoundStateError

    rules = rules or Rules.from_settings()
    row = next((r for r in store.round_details(cohort_id)
                if r["name"] == round_name or r["id"] == round_name), None)
    if row is None:
        raise KeyError(f"cohort {cohort_id} has no round {round_name!r}")
    if row["state"] != "closed":
        raise RoundStateError(_("Round {name} is {state}: results are published when a round "
                                "closes, once and final.").format(
            name=repr(row["name"]), state=_(STATE_WORDS[row["state"]])))
    held = store.held_groups(cohort_id, row["id"])
    frameworks, exercises = _frameworks(store, cohort_id, frameworks)
    written = 0
    for fw in frameworks:
        heads = store.snapshot_heads(cohort_id, fw.id, row["id"])
        if heads:
            last = snapshots.held_in(store.snapshot_payload(heads[-1]["id"]))
            if not last or set(last) <= set(held):
                continue  # final: nothing was held, or what was held still is
            reason = "objection resolved"
        publish_snapshot(store, cohort_id, row["name"], fw, rules, reason=reason,
                         require_changes=False, held=tuple(held))
        written += 1
    for ex in exercises:  # shared texts travel in their own batches, given a chance at close
        release_texts(store, cohort_id, ex.id, ex.shared_step, rules=rules)
    return written


def publish_snapshot(store, cohort_id: int, round_name, framework, rules: Rules | None = None,
                     *, reason: str = "round closed", require_changes: bool = True,
                     held: tuple[str, ...] = ()) -> int:
    """Save one new snapshot of a round of ``framework``, planned against its earlier ones by
    :func:`kit.analysis.snapshots.plan_snapshot`; returns its id.

    :func:`publish_closed` calls it with ``require_changes=False`` (a round's one publication,
    at close). With ``require_changes`` (the tests of the planner's history),
    :class:`kit.analysis.snapshots.SnapshotRefused` when fewer than K answers changed since the
    last snapshot, and nothing is written.
    """
    from kit.analysis.snapshots import plan_snapshot

    plan = plan_snapshot(store, cohort_id, round_name, framework, rules,
                         require_changes=require_changes, held=held)
    return store.save_snapshot(cohort_id, plan.round_id, plan.framework_id, reason, plan.payload,
                               plan.slots)


def _shared_prompts(exercise_id: str | None, step_id: str | None) -> list[tuple[str, str]]:
    """``(exercise id, shared step id)`` of one exercise, or of every exercise with one."""
    if exercise_id is not None and step_id is not None:
        return [(exercise_id, step_id)]
    from kit.content import load_exercises

    return [(ex.id, ex.shared_step) for ex in load_exercises()
            if getattr(ex, "shared_step", None) and exercise_id in (None, ex.id)]


def release_texts(store, cohort_id: int, exercise_id: str | None = None,
                  step_id: str | None = None, *, rules: Rules | None = None) -> int:
    """Release a new batch of a prompt's shared answers where the rules allow; returns how many
    batches were released (the one place batches are written).

    Called after every write that changes what a cohort shares (a member shares, un-shares or
    edits a shared answer, or erases their data) and at every round close, so the facilitator's
    view, which only reads (:func:`kit.analysis.free_text.texts_on_view`), always finds the
    batch the rules allow. ``exercise_id`` and ``step_id`` name one prompt; without them every
    exercise with a shared step is looked at (with ``exercise_id`` alone, that exercise's).
    """
    from kit.analysis.free_text import decide_batch

    rules = rules or Rules.from_settings()
    released = 0
    for ex_id, step in _shared_prompts(exercise_id, step_id):
        live = store.shared_texts(cohort_id, ex_id, step)
        last = store.text_batch(cohort_id, ex_id)
        decision = decide_batch(live, last, rules)
        if decision.release and store.release_text_batch(
                cohort_id, ex_id, decision.show, last["id"] if last else None) is not None:
            released += 1
    return released


def close_round(store, cohort_id: int, round_name, *, rules: Rules | None = None,
                frameworks=None) -> Closed:
    """Close a round and publish its results, once and final: the one way results are published.

    A round that is already closed but whose results were not published (publishing was
    interrupted) is published now. A round in which nobody counted had answered goes back to
    not open (the store records it) and nothing is published.
    """
    row = next((r for r in store.round_details(cohort_id)
                if r["name"] == round_name or r["id"] == round_name), None)
    if row is not None and row["state"] == "closed":
        written = publish_closed(store, cohort_id, row["name"], rules=rules,
                                 frameworks=frameworks)
        return Closed(row["name"], False, written, tuple(store.held_groups(cohort_id, row["id"])))
    closed = store.close_round(cohort_id, round_name)
    import sqlalchemy as sa

    from kit.store.errors import StoreError

    if closed.state == "not open":
        try:  # nothing to publish, but shared texts still get their chance at a close
            release_texts(store, cohort_id, rules=rules)
        except (StoreError, sa.exc.SQLAlchemyError, OSError):
            log.warning("round %r taken back; releasing a batch of shared answers failed (it "
                        "is released at the next change to sharing or close)", closed.name,
                        exc_info=True)
        return Closed(closed.name, True, 0)

    try:
        written = publish_closed(store, cohort_id, closed.name, rules=rules,
                                 frameworks=frameworks)
    except (StoreError, sa.exc.SQLAlchemyError, OSError) as exc:  # the round is closed all the same
        log.warning("round %r closed; publishing its results failed", closed.name, exc_info=True)
        return Closed(closed.name, False, 0, failed=f"{type(exc).__name__}: {exc}")
    return Closed(closed.name, False, written, tuple(store.held_groups(cohort_id, closed.id)))


def resolve_objection(store, cohort_id: int, group: str, round_name, resolution: str, *,
                      rules: Rules | None = None, frameworks=None) -> str:
    """Resolve a group's objection to its count (set-up key holder; the caller checks the key),
    then publish the held results if the round has closed. Returns a sentence."""
    n = store.resolve_objections(cohort_id, group, round_name, resolution)
    row = next(r for r in store.round_details(cohort_id)
               if r["name"] == round_name or r["id"] == round_name)
    said = ngettext("Resolved {n} objection for {group} in {round}.",
                    "Resolved {n} objections for {group} in {round}.", n).format(
        n=n, group=group, round=row["name"])
    if row["state"] == "closed":
        publish_closed(store, cohort_id, row["name"], rules=rules, frameworks=frameworks)
        if store.held_groups(cohort_id, row["id"]):
            said += " " + _("Other groups' objections still hold part of the results.")
        else:
            said += " " + _("The held results are now published, once and final.")
    else:
        said += " " + _("The group's results will be published when the round closes.")
    return said


