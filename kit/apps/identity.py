"""Who is using this page? Resolve the visitor from the environment, or sign them in.

Each Voila page runs in its own kernel, so who the visitor is must be worked out again on
every page. :func:`resolve_visitor` tries, in order:

1. ``JUPYTERHUB_USER`` (the hub has already signed them in) -> ``store.participant_for_hub_user``;
2. the ``kit_resume`` cookie, which Voila copies into ``HTTP_COOKIE`` when configured with
   ``http_header_envs=['Cookie']`` -> ``store.resume``;
3. ``KIT_DEMO=1`` -> the demo participant (``kit.demo.seed_demo``);
4. otherwise nobody: the app shows a sign-in panel driven by :class:`SignInModel`.

No ipywidgets here; :mod:`kit.apps.signin` is the view.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import unquote

from kit.apps.errors import Refused
from kit.i18n import N_, _

__all__ = [
    "COOKIE_NAME",
    "Visitor",
    "resolve_visitor",
    "resume_code_from_cookie",
    "remember_me_script",
    "session_cookie_script",
    "forget_me_script",
    "SignInModel",
    "private_label",
    "AboutYou",
    "clean_about_you",
    "join_code_from_query",
    "OTHER_ORGANISATION",
    "who_sees_what",
    "served_to_visitors",
]

COOKIE_NAME = "kit_resume"
#: Join and resume codes: letters and digits, with any spaces, hyphens or dashes between them
#: (checked before the store sees them; they are dropped when the code is made canonical).
_CODE = re.compile(r"^(?=(?:.*[A-Za-z0-9]){3})[A-Za-z0-9\s\-\u2010-\u2015_.]{3,100}$")
_MAX_NAME = 200


@dataclass(frozen=True)
class Visitor:
    """The participant using this page and how we know.

    ``how`` is one of ``hub``, ``cookie``, ``demo``, ``join``, ``resume``, ``private``.
    ``resume_code`` is set only straight after joining (the one time it is known in plaintext)
    or when it came from a cookie or the demo.
    """

    participant: object  # kit.store.ParticipantInfo
    how: str
    resume_code: str | None = None

    @property
    def participant_id(self) -> int:
        return self.participant.id

    @property
    def cohort_id(self) -> int | None:
        return getattr(self.participant, "cohort_id", None)


def resume_code_from_cookie(cookie_header: str | None) -> str | None:
    """The ``kit_resume`` value from a ``Cookie`` header, or ``None``.

    Examples
    --------
    >>> resume_code_from_cookie("a=1; kit_resume=K7QF-2MRX-9WZD-HT4P")
    'K7QF-2MRX-9WZD-HT4P'
    >>> resume_code_from_cookie("kit_resume=<script>") is None
    True
    >>> resume_code_from_cookie("kit_resume=k7qf%202mrx%209wzd%20ht4p")
    'K7QF-2MRX-9WZD-HT4P'
    """
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(COOKIE_NAME)
    if morsel is None:
        return None
    # A cookie set by an earlier release may hold the code as typed (lower case, spaces,
    # which the browser sent percent-encoded): read it back in the one canonical spelling.
    value = unquote(morsel.value).strip()
    return canonical_code(value) if _CODE.match(value) else None


def canonical_code(code: str) -> str:
    """The one spelling of a join or resume code (:func:`kit.store.codes.canonical`)."""
    from kit.store.codes import canonical

    return canonical(code)


def _clean_code(code, field: str) -> str:
    if not isinstance(code, str) or not code.strip():
        raise Refused(_("Please type your {field}: it is printed on the card or email you were "
                        "given.").format(field=_(field)))
    code = code.strip()
    if not _CODE.match(code):
        raise Refused(_(
            "That {field} does not look right: codes use letters, numbers and dashes only. "
            "Check it and try again.").format(field=_(field))
        )
    # Case, spaces and hyphens do not matter: keep the one spelling everywhere from here on.
    return canonical_code(code)


def _clean_optional(text, field: str) -> str | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise Refused(_("The {field} must be text.").format(field=_(field)))
    text = text.strip()
    if len(text) > _MAX_NAME:
        raise Refused(_("The {field} is too long ({n} characters); use {most} or fewer.").format(
            field=_(field), n=len(text), most=_MAX_NAME))
    return text or None


#: The organisation choice that lets someone type their own.
OTHER_ORGANISATION = "Other"


@dataclass(frozen=True)
class AboutYou:
    """Who someone is, as far as they choose to say: each field is optional (``None``)."""

    organisation: str | None = None
    sector: str | None = None
    role_level: str | None = None

    def as_fields(self) -> dict[str, str | None]:
        return {"organisation": self.organisation, "sector": self.sector,
                "role_level": self.role_level}


def who_sees_what(min_group_size: int) -> str:
    """The one sentence shown beside the optional questions about who someone is."""
    return _(
        "These three are optional: they let your facilitator compare partner organisations, "
        "sectors and role levels, and they only ever see combined results for groups of "
        "{k} or more people, never your own answers."
    ).format(k=min_group_size)


def clean_about_you(organisation=None, sector=None, role_level=None, *, other=None) -> AboutYou:
    """Check the optional organisation, sector and role level from a form.

    ``organisation`` is a choice from the cohort's list, or :data:`OTHER_ORGANISATION` with
    the name typed in ``other``. Sector and role level must come from the fixed lists
    (:data:`kit.store.SECTORS`, :data:`kit.store.ROLE_LEVELS`). Blank means "not said".

    Examples
    --------
    >>> clean_about_you("Other", "Housing", "Team leader", other=" Riverside Homes ")
    AboutYou(organisation='Riverside Homes', sector='Housing', role_level='Team leader')
    """
    from kit.apps.errors import is_choice
    from kit.store.info import ROLE_LEVELS, SECTORS

    org = _clean_optional(organisation, N_("organisation"))
    if org == OTHER_ORGANISATION:
        org = _clean_optional(other, N_("organisation"))
    sector = _clean_optional(sector, N_("sector"))
    if sector is not None and not is_choice(sector, SECTORS):
        raise Refused(_("{value} is not one of the sectors; choose one from the list "
                        "(or leave it blank).").format(value=repr(sector)))
    role = _clean_optional(role_level, N_("role level"))
    if role is not None and not is_choice(role, ROLE_LEVELS):
        raise Refused(_("{value} is not one of the role levels ({levels}); choose one from "
                        "the list (or leave it blank).").format(
            value=repr(role), levels=", ".join(_(r) for r in ROLE_LEVELS)))
    return AboutYou(org, sector, role)


def join_code_from_query(query: str | None) -> str | None:
    """The ``join`` value of a page's query string (``?join=CODE``), as typed; ``None`` if absent.

    Examples
    --------
    >>> join_code_from_query("join=K7QF-2MRX-9WZD-HT4P&x=1")
    'K7QF-2MRX-9WZD-HT4P'
    >>> join_code_from_query("x=1") is None
    True
    """
    from urllib.parse import parse_qs

    if not query:
        return None
    values = parse_qs(query.lstrip("?"), keep_blank_values=True).get("join")
    if not values:
        return None
    return values[0].strip()[:100]


def served_to_visitors(environ=None) -> bool:
    """True when this page is served by Voila (``kit serve``) to whoever opens it.

    Voila puts ``VOILA_PREHEAT`` (and ``SERVER_SOFTWARE=voila/...``) into every kernel it
    starts. In JupyterLab, nbval or a script on one's own machine neither is set.
    """
    environ = os.environ if environ is None else environ
    return ("VOILA_PREHEAT" in environ or "VOILA_KERNEL_ID" in environ
            or str(environ.get("SERVER_SOFTWARE", "")).startswith("voila"))


def private_label() -> str:
    """The label of this computer's private participant: the operating-system user name.

    Only for one's own machine (JupyterLab): under ``kit serve`` every visitor who works
    privately gets a participant of their own (:meth:`SignInModel.private`)."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        user = "local"
    return f"private:{user}"


def _demo_visitor(store) -> Visitor:
    from kit.demo import seed_demo

    codes = seed_demo(store)
    participant = store.resume(codes.resume_code)
    return Visitor(participant, "demo", codes.resume_code)


def resolve_visitor(store, environ=None, settings=None) -> Visitor | None:
    """Who is visiting, from the environment; ``None`` when they still need to sign in.

    Parameters
    ----------
    store : kit.store.Store
    environ : mapping, optional
        Defaults to ``os.environ`` (Voila copies chosen request headers there).
    settings : kit.config.Settings, optional
    """
    environ = os.environ if environ is None else environ
    if settings is None:
        from kit.config import get_settings

        settings = get_settings()
    hub_user = (environ.get("JUPYTERHUB_USER") or "").strip()
    if hub_user:
        return Visitor(store.participant_for_hub_user(hub_user), "hub")
    code = resume_code_from_cookie(environ.get("HTTP_COOKIE"))
    if code:
        from kit.store.errors import StoreError

        try:
            return Visitor(store.resume(code), "cookie", code)
        except StoreError:
            pass  # a stale cookie (erased or purged): fall through to signing in
    if settings.demo:
        return _demo_visitor(store)
    return None


def remember_me_script(resume_code: str, *, days: int | None = 180) -> str:
    """JavaScript that stores the resume code in the ``kit_resume`` cookie on this browser.

    The cookie is ``SameSite=Strict`` and scoped to the whole site (``path=/``) so every app
    page sends it. The code is checked and JSON-quoted, so nothing else can be injected.
    ``days=None`` makes a session cookie, which the browser drops when it is closed.
    """
    code = _clean_code(resume_code, N_("resume code"))
    age = "" if days is None else f"; Max-Age={int(days) * 24 * 3600}"
    secure = "(location.protocol === 'https:' ? '; Secure' : '')"
    return (
        f"document.cookie = {json.dumps(COOKIE_NAME)} + '=' + encodeURIComponent({json.dumps(code)})"
        f" + '{age}; Path=/; SameSite=Strict' + {secure};"
    )


def session_cookie_script(resume_code: str) -> str:
    """JavaScript that keeps the visitor signed in on every app of the kit until the browser
    is closed (a session cookie; "remember me" makes it last longer)."""
    return remember_me_script(resume_code, days=None)


def forget_me_script() -> str:
    """JavaScript that removes the ``kit_resume`` cookie from this browser."""
    return f"document.cookie = {json.dumps(COOKIE_NAME)} + '=; Max-Age=0; Path=/; SameSite=Strict';"


class SignInModel:
    """Join with a join code, continue with a resume code, or work privately.

    Each method checks its input, asks the store, and returns a :class:`Visitor`; a bad code
    raises :class:`~kit.apps.errors.Refused` or the store's ``CodeError`` (both friendly).
    """

    def __init__(self, store):
        self.store = store
        self.visitor: Visitor | None = None

    def join(self, join_code, display_name=None, organisation=None, sector=None,
             role_level=None, *, other_organisation=None) -> Visitor:
        code = _clean_code(join_code, N_("join code"))
        name = _clean_optional(display_name, N_("name"))
        about = clean_about_you(organisation, sector, role_level, other=other_organisation)
        joined = self.store.join(code, display_name=name, **about.as_fields())
        participant = self.store.resume(joined.resume_code)
        self.visitor = Visitor(participant, "join", joined.resume_code)
        return self.visitor

    def preview(self, join_code):
        """``(cohort, group)`` a join code opens, before joining: the form offers the cohort's
        organisations. Raises :class:`Refused` or the store's ``CodeError`` for a bad code."""
        code = _clean_code(join_code, N_("join code"))
        return self.store.cohort_for_join_code(code)

    def resume(self, resume_code) -> Visitor:
        code = _clean_code(resume_code, N_("resume code"))
        self.visitor = Visitor(self.store.resume(code), "resume", code)
        return self.visitor

    def private(self, label: str | None = None, *, environ=None) -> Visitor:
        """Work without a group.

        Served to visitors (``kit serve``), each call makes a participant of their own with
        their own resume code, so no visitor ever sees another's work. On one's own machine
        (or with an explicit ``label``) it is the one private participant of that label,
        by default the operating-system user's.
        """
        if label is None and served_to_visitors(environ):
            made = self.store.new_private_participant()
            self.visitor = Visitor(self.store.resume(made.resume_code), "private", made.resume_code)
            return self.visitor
        self.visitor = Visitor(self.store.private_participant(label or private_label()), "private")
        return self.visitor
