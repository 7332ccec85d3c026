"""The choices a participant is offered: sectors and role levels, and commitment statuses.

Kept in English wherever they are stored and translated where they are shown
(``_(value)``). Written once, here, below every floor that needs them: the store validates
against them (and hands them on as :data:`kit.store.SECTORS`, :data:`kit.store.ROLE_LEVELS`),
the charts and reports translate them.
"""

from __future__ import annotations

from kit.i18n import N_

__all__ = ["SECTORS", "ROLE_LEVELS", "COMMITMENT_STATUSES", "COMMITMENT_STATUS_LABELS"]

#: Allowed commitment statuses, in the order a commitment usually moves through them.
COMMITMENT_STATUSES = ("open", "in_progress", "done", "dropped")
#: What each status is called where people see it (the action plan, the profile, the personal
#: report): translate with ``_(COMMITMENT_STATUS_LABELS[status])``.
COMMITMENT_STATUS_LABELS = {"open": N_("Not started"), "in_progress": N_("In progress"),
                            "done": N_("Done"), "dropped": N_("Dropped")}

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
