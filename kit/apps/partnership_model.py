"""State and rules of the partnership map: the people and organisations you work with."""

from __future__ import annotations

import datetime as dt

from kit.analysis.personal import NetworkFigures, network_figures
from kit.apps.errors import Refused, is_choice
from kit.store.info import SECTORS

__all__ = ["PartnershipModel", "SECTORS", "CONTACT_CHOICES"]

#: How often you are in touch, as (label, stored value), most to least often.
CONTACT_CHOICES = (("Weekly", "weekly"), ("Monthly", "monthly"),
                   ("Every few months", "quarterly"), ("Rarely", "rarely"))
_FIELDS = ("label", "organisation", "sector", "contact", "strength", "trust")


def _rating(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise Refused(f"{name.capitalize()} must be a whole number from 1 to 5 (got {value!r}).")
    return value


def _text(name: str, value, *, required: bool) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refused(f"The {name} must be text.")
    value = value.strip()
    if required and not value:
        raise Refused(f"Please give a {name}: a first name, initials or a role is enough.")
    if len(value) > 200:
        raise Refused(f"The {name} is {len(value)} characters; keep it to 200.")
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
                raise Refused(f"{name!r} is not something the map records.")
            if name == "label":
                out[name] = _text("name", value, required=True)
            elif name == "organisation":
                out[name] = _text("organisation", value, required=False)
            elif name == "sector":
                if not is_choice(value, SECTORS):
                    raise Refused(f"{value!r} is not one of the sectors; choose one from the list.")
                out[name] = value
            elif name == "contact":
                if not is_choice(value, {v for _l, v in CONTACT_CHOICES}):
                    raise Refused(f"{value!r} is not a contact frequency; choose one from the list.")
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
            raise Refused(f"There is no one with id {rel_id!r} on your map.")

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
