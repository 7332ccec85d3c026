"""A participant's profile, read from the store.

Shared by the apps (self-assessment, journal) and the personal report; it lives here, below
both, so that neither imports the other. It only calls the store object it is given.
"""

from __future__ import annotations

from kit.analysis.personal import Profile, history_from_scores, profile_from_history

__all__ = ["load_profile"]


def load_profile(store, participant_id: int, framework) -> tuple[Profile | None, object]:
    """``(profile, history)`` for one participant: the latest round's profile with change
    since the first, and the per-round dimension scores (a DataFrame).

    Importance ratings and the then-test ("looking back, how often did you do this before the
    programme?") come from the latest round's submission.
    """
    scores = store.participant_scores(participant_id, framework)
    history = history_from_scores(framework, scores)
    importance, then = {}, {}
    if len(scores):
        latest = scores.sort_values(["round_position", "submitted_at"]).iloc[-1]
        _answers, importance = store.submission_answers(int(latest["submission_id"]))
        then = store.submission_then(int(latest["submission_id"]))
    return profile_from_history(framework, history, importance, then), history
