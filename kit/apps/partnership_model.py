"""State and rules of the partnership map: the people and organisations you work with."""

from __future__ import annotations

import datetime as dt

from kit.analysis.personal import NetworkFigures, network_figures
from kit.apps.errors import Refused, is_choice
from kit.i18n import N_, _
from kit.store.info import SECTORS

__all__ = ["PartnershipModel", "SECTORS", "CONTACT_CHOICES"]

#: How often you are in touch, as (label, stored value), most to least often.
#: Labels are marked for translation here and translated where they are shown (``_(label)``).
CONTACT_CHOICES = ((N_("Weekly"), "weekly"), (N_("Monthly"), "monthly"),
                   (N_("Every few months"), "quarterly"), (N_("Rarely"), "rarely"))
#: The names fields go by in messages.
_NAMES = {"strength": N_("Strength"), "trust": N_("Trust"), "name": N_("name"),
          "organisation": N_("organisation")}
_FIELDS = ("label", "organisation", "sector", "contact", "strength", "trust")


def _rating(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise Refused(_("{field} must be a whole number from 1 to 5 (got {value}).").format(
            field=_(_NAMES.get(name, name)), value=repr(value)))
    return value


def _text(name: str, value, *, required: bool) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refused(_("The {field} must be text.").format(field=_(_NAMES.get(name, name))))
    value = value.strip()
    if required and not value:
        raise Refused(_("Please give a {field}: a first name, initials or a role is "
                        "enough.").format(field=_(_NAMES.get(name, name))))
    if len(value) > 200:
        raise Refused(_("The {field} is {n} characters; keep it to {most}.").format(
            field=_(_NAMES.get(name, name)), n=len(value), most=200))
    return value or None


class PartnershipModel:
    """Add, edit and remove relationships; the figures beside the map."""

    def __init__(self, store, participant_id: int, today: dt.date):
        self.store = store
        self.participant_id = participant_id
        self.today = today

    def __repr__(self) -> str:
        return "<PartnershipModel>"

    def _clean(self, fields: dict) -> dict:
        out = {}
        for name, value in fields.items():
            if not is_choice(name, _FIELDS):
                raise Refused(_("{field} is not something the map records.").format(
                    field=repr(name)))
            if name == "label":
                out[name] = _text("name", value, required=True)
            elif name == "organisation":
                out[name] = _text("organisation", value, required=False)
            elif name == "sector":
                if not is_choice(value, SECTORS):
                    raise Refused(_("{value} is not one of the sectors; choose one from the "
                                    "list.").format(value=repr(value)))
                out[name] = value
            elif name == "contact":
                if not is_choice(value, {v for _l, v in CONTACT_CHOICES}):
                    raise Refused(_("{value} is not a contact frequency; choose one from the "
                                    "list.").format(value=repr(value)))
                out[name] = value
            else:
                out[name] = _rating(name, value)
        return out

    def add(self, label, organisation, sector, contact, strength, trust) -> int:
        f = self._clean(dict(label=label, organisation=organisation, sector=sector,
                             contact=contact, strength=strength, trust=trust))
        return self.store.add_relationship(self.participant_id, **f)

    def _check_mine(self, rel_id) -> None:
        if not is_choice(rel_id, {r.id for r in self.relationships()}):
            raise Refused(_("There is no one with id {id} on your map.").format(
                id=repr(rel_id)))

    def edit(self, rel_id, **fields) -> None:
        self._check_mine(rel_id)
        self.store.update_relationship(self.participant_id, rel_id, **self._clean(fields))

    def remove(self, rel_id) -> None:
        self._check_mine(rel_id)
        self.store.remove_relationship(self.participant_id, rel_id)

    def relationships(self) -> list:
        return self.store.list_relationships(self.participant_id)

    def figures(self) -> NetworkFigures:
        return network_figures(self.relationships(), self.today)
