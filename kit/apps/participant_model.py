"""What every participant app reads from the store before it builds its page: the framework
its visitor answers and the language they read. No widgets here: the app base
(:mod:`kit.apps._base`) calls these, so every store call an app makes lives in a model."""

from __future__ import annotations

from kit.content import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK
from kit.i18n import _

__all__ = ["DEFAULT_FRAMEWORK", "cohort_framework", "apply_language"]

#: The framework participant apps open outside a cohort, unless told otherwise.
DEFAULT_FRAMEWORK = DEFAULT_SELF_FRAMEWORK


def cohort_framework(store, participant, lens: str = "self"):
    """The framework this participant answers: their cohort's choice, else the shipped one.

    ``lens`` is ``"self"`` (the self-assessment) or ``"team"`` (the team health check).

    Raises
    ------
    Refused
        When the cohort's framework no longer loads (its file was removed or broken), with
        the content problems and what to do.
    """
    from kit.apps.errors import Refused
    from kit.content import ContentError, load_framework

    cohort_id = getattr(participant, "cohort_id", None)
    if cohort_id is None:
        fid = DEFAULT_FRAMEWORK if lens == "self" else DEFAULT_TEAM_FRAMEWORK
    else:
        info = store.cohort(cohort_id)
        fid = info.self_framework if lens == "self" else info.team_framework
    try:
        return load_framework(fid)
    except ContentError as exc:
        raise Refused(
            _("Your cohort uses the framework {fid}, which cannot be loaded on this server "
              "right now. Please tell your facilitator; nothing you saved is lost.").format(
                fid=repr(fid)) + f"\n{exc}"
        ) from None


def apply_language(store, visitor) -> str:
    """Translate into the visitor's language (theirs, else their cohort's, else the default)
    from now on in this kernel; return it. With no visitor, the default."""
    from kit.i18n import set_language

    if visitor is None:
        return set_language(None)
    return set_language(store.language_for(visitor.participant_id))
