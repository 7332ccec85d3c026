"""What the Start here page reads and writes, with no widgets (see :mod:`kit.apps.start`)."""

from __future__ import annotations

__all__ = ["remember_language", "reviews_due"]


def remember_language(store, participant_id: int, code: str) -> None:
    """Keep the person's chosen language: every app opens in it from now on."""
    store.set_participant_language(participant_id, code)


def reviews_due(store, participant_id: int, today) -> list:
    """The commitments whose due date has come (:func:`kit.apps.action_plan_model.due_reviews`)."""
    from kit.apps.action_plan_model import due_reviews

    return due_reviews(store, participant_id, today)
