"""The optional "about you" questions: organisation, sector and role level.

Shown when joining (:mod:`kit.apps.signin`) and in My data, where they can be changed later.
The rules live in :func:`kit.apps.identity.clean_about_you`; this is only the view.
"""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps.identity import OTHER_ORGANISATION, AboutYou, clean_about_you, who_sees_what
from kit.i18n import N_, _
from kit.store.info import ROLE_LEVELS, SECTORS

__all__ = ["AboutYouFields"]

_BLANK = N_("Prefer not to say")
_STYLE = {"description_width": "initial"}


class AboutYouFields(W.VBox):
    """Three optional drop-downs (and a box for an organisation not on the list).

    Parameters
    ----------
    organisations : sequence of str
        The cohort's partner organisations; "Other" is always offered after them.
    min_group_size : int
        K, for the sentence on who sees what.
    current : AboutYou, optional
        Values to show (My data).
    """

    def __init__(self, organisations=(), *, min_group_size: int = 5, current=None, **kwargs):
        self.note = W.HTML(f"<p class='kit-about-note'>{html.escape(who_sees_what(min_group_size))}</p>")
        self.organisation = W.Dropdown(description=_("Your organisation (optional)"), style=_STYLE)
        self.other = W.Text(description=_("Organisation name"), style=_STYLE,
                            placeholder=_("type your organisation"))
        self.sector = W.Dropdown(description=_("Sector (optional)"), style=_STYLE,
                                 options=[(_(_BLANK), ""), *[(_(s), s) for s in SECTORS]],
                                 value="")
        self.role_level = W.Dropdown(description=_("Role level (optional)"), style=_STYLE,
                                     options=[(_(_BLANK), ""), *[(_(r), r) for r in ROLE_LEVELS]],
                                     value="")
        for w in (self.organisation, self.other, self.sector, self.role_level):
            w.add_class("kit-about-field")
        self.organisation.observe(self._org_changed, names="value")
        self.set_organisations(organisations)
        super().__init__([self.note, self.organisation, self.other, self.sector,
                          self.role_level], **kwargs)
        self.add_class("kit-about-you")
        if current is not None:
            self.show(current)

    def set_organisations(self, organisations) -> None:
        """Offer this cohort's organisations (then "Other"), keeping a value still offered."""
        names = [o for o in organisations if o != OTHER_ORGANISATION]
        keep = self.organisation.value
        options = [(_(_BLANK), ""), *[(o, o) for o in names],
                   (_("Other (type it)"), OTHER_ORGANISATION)]
        self.organisation.options = options
        self.organisation.value = keep if keep in [v for _l, v in options] else ""
        self._org_changed()

    def _org_changed(self, _change=None) -> None:
        self.other.layout.display = None if self.organisation.value == OTHER_ORGANISATION else "none"

    def show(self, about: AboutYou) -> None:
        offered = [v for _l, v in self.organisation.options]
        if about.organisation and about.organisation in offered:
            self.organisation.value = about.organisation
        elif about.organisation:
            self.organisation.value = OTHER_ORGANISATION
            self.other.value = about.organisation
        else:
            self.organisation.value = ""
        self.sector.value = about.sector if about.sector in SECTORS else ""
        self.role_level.value = about.role_level if about.role_level in ROLE_LEVELS else ""
        self._org_changed()

    @property
    def raw(self) -> dict:
        """The values as the widgets hold them (checked again by the model)."""
        return {"organisation": self.organisation.value, "sector": self.sector.value,
                "role_level": self.role_level.value, "other_organisation": self.other.value}

    def value(self) -> AboutYou:
        raw = self.raw
        return clean_about_you(raw["organisation"], raw["sector"], raw["role_level"],
                               other=raw["other_organisation"])
