"""The choices a participant is offered to describe themselves: sectors and role levels.

Kept in English wherever they are stored and translated where they are shown
(``_(value)``). Written once, here, below every floor that needs them: the store validates
against them (and hands them on as :data:`kit.store.SECTORS`, :data:`kit.store.ROLE_LEVELS`),
the charts and reports translate them.
"""

from __future__ import annotations

from kit.i18n import N_

__all__ = ["SECTORS", "ROLE_LEVELS"]

SECTORS = (
    N_("NHS and health"),
    N_("Adult social care"),
    N_("Children's services"),
    N_("Local council"),
    N_("Police and justice"),
    N_("Fire and rescue"),
    N_("Housing"),
    N_("Education"),
    N_("Voluntary and community"),
    N_("Private sector"),
    N_("Other"),
)
ROLE_LEVELS = (N_("Front line"), N_("Team leader"), N_("Middle manager"), N_("Senior manager"),
               N_("Executive"))
