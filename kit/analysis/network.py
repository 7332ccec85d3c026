"""The figures shown beside a person's partnership map: how many people, across how many
sectors, how many weak ties, and who has gone quiet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kit.i18n import _, ngettext

__all__ = ["NetworkFigures", "network_figures", "WEAK_TIE_STRENGTH", "QUIET_CONTACTS",
           "QUIET_DAYS"]

#: A relationship of this strength (1-5) or lower counts as a weak tie.
WEAK_TIE_STRENGTH = 2
#: Contact frequencies that mean "not in touch recently".
QUIET_CONTACTS = ("quarterly", "rarely")
#: Without a recorded contact date, a relationship not touched for this many days is quiet.
QUIET_DAYS = 90


@dataclass(frozen=True)
class NetworkFigures:
    """The figures shown beside the partnership map."""

    people: int
    sectors: int
    sector_names: tuple[str, ...]
    weak_ties: int
    quiet: tuple[str, ...]  # labels of people not in touch recently

    @property
    def weak_share(self) -> float | None:
        return self.weak_ties / self.people if self.people else None

    def sentences(self) -> list[str]:
        if not self.people:
            return [_("Your map is empty so far. Add the people you work with across "
                      "organisations.")]
        people = ngettext("{n} person", "{n} people", self.people).format(n=self.people)
        sectors = ngettext("{n} sector", "{n} sectors", self.sectors).format(n=self.sectors)
        if self.sector_names:
            out = [_("You have {people} on your map, across {sectors} ({names}).").format(
                people=people, sectors=sectors,
                names=", ".join(_(s) for s in self.sector_names))]
        else:
            out = [_("You have {people} on your map, across {sectors}.").format(
                people=people, sectors=sectors)]
        share = round(100 * (self.weak_share or 0))
        out.append(_("{n} of them ({share}%) are weak ties (strength {most} or less).").format(
            n=self.weak_ties, share=share, most=WEAK_TIE_STRENGTH))
        if self.quiet:
            out.append(_("Not in touch recently: {names}.").format(names=", ".join(self.quiet)))
        else:
            out.append(_("You have been in touch with everyone on your map recently."))
        return out


def _field(rel, name):
    return rel.get(name) if isinstance(rel, Mapping) else getattr(rel, name, None)


def network_figures(relationships: Iterable, today: dt.date | None = None) -> NetworkFigures:
    """Count sectors, weak ties and quiet contacts in a list of relationships.

    A contact is quiet when its usual frequency is quarterly or rarer, or when its last
    recorded contact is more than 90 days before ``today``.
    """
    rels = list(relationships)
    sectors = sorted({s for s in (_field(r, "sector") for r in rels) if s})
    weak = sum(1 for r in rels if int(_field(r, "strength") or 0) <= WEAK_TIE_STRENGTH)
    quiet = []
    for r in rels:
        last = _field(r, "last_contact")
        stale = (today is not None and isinstance(last, dt.date)
                 and (today - last).days > QUIET_DAYS)
        if _field(r, "contact") in QUIET_CONTACTS or stale:
            quiet.append(str(_field(r, "label")))
    return NetworkFigures(len(rels), len(sectors), tuple(sectors), weak, tuple(quiet))
