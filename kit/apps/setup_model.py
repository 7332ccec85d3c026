"""Setting up a cohort: the rules shared by the facilitator set-up app and ``kit cohort``.

No ipywidgets here: :mod:`kit.apps.setup` is the view and :mod:`kit.commands.store` the command
line; both create cohorts and open and close rounds through the functions below, so a cohort
made in a browser and one made in a shell are checked the same way.

Who may use the set-up app: someone who types the set-up key (``KIT_SETUP_KEY``, or the one
``kit serve`` prints when that is not set), or, under JupyterHub, a user listed in
``KIT_FACILITATORS``.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Sequence

import traitlets as T

from kit.apps.errors import Refused
from kit.apps.join_links import (  # re-exported: their home was this module
    JOIN_NOTEBOOK,
    JoinSheetGroup,
    address_problem,
    apps_address,  # noqa: F401 - importable from here, as before
    join_link,
    public_address,
)
from kit.i18n import N_, _

__all__ = [
    "SetupModel",
    "SetupDenied",
    "check_framework",
    "framework_choices",
    "create_cohort",
    "split_names",
    "framework_lenses",
    "join_link",
    "JOIN_NOTEBOOK",
    "JoinSheetGroup",
    "public_address",
    "address_problem",
    "same_name",
]

log = logging.getLogger(__name__)

_LENS_WORDS = {"self": N_("self-assessment"), "team": N_("team health check")}
_LENS_PLURALS = {"self": N_("self-assessments"), "team": N_("team health checks")}


class SetupDenied(Exception):
    """The set-up key or hub user cannot open set-up. The message is safe to show."""

    friendly = True


def split_names(text) -> list[str]:
    """Names typed one per line (or separated by commas), blanks dropped, order kept.

    Examples
    --------
    >>> split_names("North\\n  South \\n\\nEast, West")
    ['North', 'South', 'East', 'West']
    """
    if text is None:
        return []
    if not isinstance(text, str):
        raise Refused(_("Names must be typed as text, one per line."))
    return [part.strip() for part in re.split(r"[\n,]", text) if part.strip()]


def check_framework(framework_id, lens: str):
    """The framework with this id, checked to load, validate and have the expected lens.

    Raises
    ------
    Refused
        With the validation message when the file does not validate, the ids on the search
        path when there is no such framework, or the lens it has when it is the wrong kind.
    """
    from kit.content import ContentError, load_framework

    what = _(_LENS_WORDS[lens])
    if not isinstance(framework_id, str) or not framework_id.strip():
        raise Refused(_("Choose a framework for the {what}.").format(what=what))
    framework_id = framework_id.strip()
    try:
        fw = load_framework(framework_id)
    except ContentError as exc:
        if not any(p.file for p in exc.problems):  # not found: the message lists what there is
            raise Refused(_("The {what} cannot use {framework}: {problem}").format(
                what=what, framework=repr(framework_id), problem=exc)) from None
        raise Refused(
            _("The framework {framework} cannot be used for the {what}: it does not pass "
              "validation. Fix the file and try again (kit validate lists the same problems).")
            .format(framework=repr(framework_id), what=what) + f"\n{exc}"
        ) from None
    if fw.lens != lens:
        raise Refused(
            _("The framework {framework} is a {kind} (lens: {lens}), not a {what}; choose one "
              "whose lens is {wanted}.").format(
                framework=repr(framework_id), kind=_(_LENS_WORDS[fw.lens]), lens=fw.lens,
                what=what, wanted=repr(lens))
        )
    return fw


def framework_choices(lens: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``(title (id), id)`` choices for frameworks with this lens, and problems met on the way.

    A broken file on the search path does not hide the good ones: its problems come back as
    sentences to show beside the chooser.
    """
    from kit.content.loader import scan_frameworks

    frameworks, problems = scan_frameworks()
    choices = [(f"{fw.title} ({fw.id})", fw.id) for fw in frameworks if fw.lens == lens]
    return choices, [str(p) for p in problems]


def framework_lenses(ids: Sequence[str], self_framework=None, team_framework=None):
    """Sort ``--frameworks`` ids into ``(self_framework, team_framework)`` by their lens.

    Explicit ``self_framework``/``team_framework`` win; two of one kind are refused.
    """
    from kit.content import ContentError, load_framework

    found: dict[str, str] = {}
    for fid in ids:
        try:
            lens = load_framework(fid).lens
        except ContentError as exc:
            raise Refused(_("The framework {framework} cannot be used: {problem}").format(
                framework=repr(fid), problem=exc)) from None
        if lens in found:
            raise Refused(_("{first} and {second} are both {kinds}; a cohort uses one of each "
                            "(--self-framework, --team-framework).").format(
                first=repr(found[lens]), second=repr(fid), kinds=_(_LENS_PLURALS[lens])))
        found[lens] = fid
    return self_framework or found.get("self"), team_framework or found.get("team")


def create_cohort(
    store,
    name,
    groups: Sequence[str],
    rounds: Sequence[str],
    *,
    organisations: Sequence[str] = (),
    self_framework=None,
    team_framework=None,
):
    """Check the frameworks, then create the cohort; returns the store's ``CreatedCohort``.

    ``None`` for a framework means the shipped one. A framework that does not validate, or is
    of the wrong kind, is refused with the validation message before anything is written.
    """
    from kit.store.info import DEFAULT_SELF_FRAMEWORK, DEFAULT_TEAM_FRAMEWORK

    self_fw = check_framework(self_framework or DEFAULT_SELF_FRAMEWORK, "self")
    team_fw = check_framework(team_framework or DEFAULT_TEAM_FRAMEWORK, "team")
    if not groups:
        raise Refused(_("Give at least one group, one name per line."))
    if not rounds:
        raise Refused(_("Give at least one round, one name per line (for example Baseline, "
                        "End)."))
    return store.create_cohort(
        name, groups=list(groups), rounds=list(rounds), organisations=list(organisations),
        self_framework=self_fw.id, team_framework=team_fw.id,
    )


def same_name(a: str, b: str) -> bool:
    """Two cohort names that people would read as the same (case and spacing aside).

    Examples
    --------
    >>> same_name(" Spring  2026 ", "spring 2026")
    True
    """
    def key(s):
        return " ".join(str(s).split()).casefold()

    return key(a) == key(b)


class SetupModel(T.HasTraits):
    """The set-up app's state: locked until the key (or hub user) is accepted.

    :attr:`unlocked` and :attr:`cohort_id` are traits: the set-up page follows them
    (``observe``) rather than being told.

    Parameters
    ----------
    store : kit.store.Store
    settings : kit.config.Settings, optional
    """

    #: whether the set-up key (or a hub facilitator) has opened set-up
    unlocked = T.Bool(False)
    #: the cohort made or opened here, whose rounds are managed (None: none yet)
    cohort_id = T.Int(None, allow_none=True)

    def __init__(self, store, settings=None):
        super().__init__()
        if settings is None:
            from kit.config import get_settings

            settings = get_settings()
        self.store = store
        self.settings = settings
        self.created = None  # the CreatedCohort made in this session (codes shown once)

    # -- access ----------------------------------------------------------------------------
    def unlock_with_key(self, key) -> None:
        expected = self.settings.setup_key
        if not expected:
            raise SetupDenied(_(
                "Set-up is not switched on for this server: it has no set-up key. Ask "
                "whoever runs the kit to give it one (the kit shows a key when it starts on a "
                "server for a workshop).")
            )
        given = key.strip() if isinstance(key, str) else ""
        if not given:
            raise SetupDenied(_("Type the set-up key: whoever runs the kit was shown it when "
                                "the kit started."))
        if not hmac.compare_digest(given.encode(), expected.encode()):
            log.info("set-up key refused")
            raise SetupDenied(_(
                "That set-up key is not right. Check it with whoever runs the kit and try "
                "again.")
            )
        self.unlocked = True

    def unlock_for_hub_user(self, user: str) -> None:
        if not user or user not in self.settings.facilitators:
            raise SetupDenied(_(
                "Your account {user} is not on the list of facilitators, so it cannot set up "
                "cohorts. Ask whoever runs the kit to add you.").format(user=repr(user))
            )
        self.unlocked = True

    def _need(self) -> None:
        if not self.unlocked:
            raise SetupDenied(_("Open set-up with the set-up key first."))

    # -- cohorts ---------------------------------------------------------------------------
    def create(self, name, groups_text, organisations_text, rounds_text, self_framework,
               team_framework):
        """Create a cohort from the form's text boxes (names one per line). A name already
        used (in any case or spacing) is refused: a second press makes no second cohort."""
        self._need()
        if isinstance(name, str) and name.strip():
            taken = next((c.name for c in self.store.list_cohorts() if same_name(c.name, name)),
                         None)
            if taken is not None:
                raise Refused(_(
                    "There is already a cohort called \u201c{name}\u201d. Give this one another "
                    "name, or manage that one below with its facilitator key.").format(
                    name=taken))
        created = create_cohort(
            self.store, name, split_names(groups_text), split_names(rounds_text),
            organisations=split_names(organisations_text), self_framework=self_framework,
            team_framework=team_framework,
        )
        self.created = created
        self.cohort_id = created.cohort_id
        return created

    def open_cohort_with_key(self, facilitator_key) -> None:
        """Manage an existing cohort: its facilitator key opens it here."""
        self._need()
        from kit.store.errors import CodeError

        try:
            info = self.store.cohort_by_facilitator_key((facilitator_key or "").strip())
        except CodeError as exc:
            raise Refused(str(exc)) from None
        self.created = None
        self.cohort_id = info.id

    @property
    def cohort(self):
        if self.cohort_id is None:
            raise Refused(_("Create a cohort first, or open one with its facilitator key."))
        return self.store.cohort(self.cohort_id)

    def open_round(self, round_name):
        """Open a round: everyone who has joined by now is counted in it, and who counts is
        fixed from now on (people joining later count from the next round)."""
        self._need()
        return self.store.open_round(self.cohort.id, self._round(round_name))

    def close_round(self, round_name):
        """Close the round and publish its results, once and final
        (:func:`kit.publishing.close_round`); returns what happened
        (:class:`~kit.publishing.Closed`, whose ``message`` says it in words).

        If publishing fails part-way, the round stays closed and closing it again publishes.
        """
        from kit.analysis.privacy import Rules
        from kit.publishing import close_round

        self._need()
        return close_round(self.store, self.cohort.id, self._round(round_name),
                           rules=Rules.from_settings(self.settings))

    def round_statuses(self):
        """Each round's :class:`~kit.analysis.rounds.RoundStatus`: what happens next and
        who counts."""
        from kit.analysis.rounds import round_statuses

        cohort = self.cohort
        return round_statuses(self.store, cohort.id, cohort.self_framework)

    def view_forecast(self) -> tuple[str, list[str]]:
        """Before the day: which facilitator views will be empty or withheld when the open
        round (else the next) closes, with the groups and members as they are now
        (:func:`kit.analysis.planning.forecast_for_members`): an opening sentence and one
        sentence per empty view, as the facilitator guide words them."""
        from kit.analysis.cohort import VIEWS
        from kit.analysis.planning import forecast_for_members
        from kit.analysis.privacy import Rules

        cohort = self.cohort
        views = [v for v in VIEWS if not v.id.startswith("health") or cohort.team_framework]
        return forecast_for_members(self.store.member_counts(cohort.id),
                                    Rules.from_settings(self.settings), views=views)

    def objections(self) -> list[dict]:
        """Members' unresolved objections to their group's count (no names)."""
        self._need()
        return self.store.objections(self.cohort.id, unresolved_only=True)

    def resolve_objection(self, group, round_name, resolution) -> str:
        """Resolve a group's objection (the set-up key holder's act) and publish what it held
        if the round has closed; returns a sentence. ``resolution`` says what was checked."""
        from kit.analysis.privacy import Rules
        from kit.publishing import resolve_objection

        self._need()
        if not isinstance(resolution, str) or not resolution.strip():
            raise Refused(_("Say what you checked (for example \u201cmembers checked against "
                            "the programme list\u201d) before resolving the objection."))
        return resolve_objection(self.store, self.cohort.id, group, self._round(round_name),
                                 resolution, rules=Rules.from_settings(self.settings))

    def _round(self, round_name) -> str:
        names = [r.name for r in self.cohort.rounds]
        if round_name not in names:
            raise Refused(_("There is no round {name}; choose one of {names}.").format(
                name=repr(round_name), names=", ".join(names)))
        return round_name

    # -- recovery, with the set-up key: a lost facilitator key or join sheet ------------------
    def cohort_choices(self) -> list[tuple[str, int]]:
        """``(name, id)`` of every cohort, newest first, for the recovery drop-down."""
        self._need()
        return [(c.name, c.id) for c in sorted(self.store.list_cohorts(),
                                               key=lambda c: (c.created_at, c.id), reverse=True)]

    def group_names(self, cohort_id) -> list[str]:
        self._need()
        return [g.name for g in self.store.cohort(self._cohort_id(cohort_id)).groups]

    def _cohort_id(self, cohort_id) -> int:
        ids = {cid for _name, cid in self.cohort_choices()}
        if cohort_id not in ids or isinstance(cohort_id, bool):
            raise Refused(_("Choose a cohort from the list."))
        return cohort_id

    def new_facilitator_key(self, cohort_id) -> str:
        """A new facilitator key for a cohort whose key is lost; the old one stops working."""
        self._need()
        return self.store.new_facilitator_key(self._cohort_id(cohort_id))

    def new_join_code(self, cohort_id, group, apps_url: str) -> JoinSheetGroup:
        """A new join code (and link) for one group whose sheet is lost; the old code stops
        working and everyone who joined stays in the group."""
        self._need()
        cid = self._cohort_id(cohort_id)
        if group not in self.group_names(cid):
            raise Refused(_("Choose a group of that cohort from the list."))
        code = self.store.new_join_code(cid, group)
        return JoinSheetGroup(group, code, join_link(apps_url, code))

    def extra_join_code(self, cohort_id, group, apps_url: str) -> JoinSheetGroup:
        """One more join code (and link) for a group: its other codes keep working, so a sheet
        already handed out still joins."""
        self._need()
        cid = self._cohort_id(cohort_id)
        if group not in self.group_names(cid):
            raise Refused(_("Choose a group of that cohort from the list."))
        code = self.store.extra_join_code(cid, group)
        return JoinSheetGroup(group, code, join_link(apps_url, code))

    def code_counts(self, cohort_id) -> dict[str, int]:
        """How many codes join each group of a cohort (its own and any extra ones)."""
        self._need()
        return self.store.join_code_counts(self._cohort_id(cohort_id))

    def code_history(self, cohort_id) -> list[str]:
        """Every code and key issued with the set-up key for a cohort, oldest first, in
        words (which group and when, never the code itself)."""
        from kit.analysis.cohort import membership_note

        self._need()
        kinds = {"join_code_new", "join_code_extra", "facilitator_key_new"}
        return [membership_note(e) for e in self.store.membership_events(self._cohort_id(cohort_id))
                if e["kind"] in kinds]

    def join_sheet_groups(self, apps_url: str) -> list[JoinSheetGroup]:
        """Each group's code and link; only while the codes are known (the session that made them)."""
        if self.created is None:
            raise Refused(_(
                "Join codes are shown only when the cohort is created: the database keeps "
                "scrambled copies. Make the join sheet straight after creating the cohort."
            ))
        return [JoinSheetGroup(g, code, join_link(apps_url, code))
                for g, code in self.created.join_codes.items()]
