"""One person's profile: dimension scores and bands, strongest and weakest areas, where what
matters most meets the lowest self-rating, change since earlier rounds, and partnership-map
figures.

The parts live in :mod:`kit.analysis.profile` (one round's profile),
:mod:`kit.analysis.progress` (across rounds) and :mod:`kit.analysis.network` (the partnership
map's figures); every name stays importable from here.

Pure Python and pandas: no widgets, no Altair. The findings are plain records so that charts,
apps and the report all say the same thing.
"""

from __future__ import annotations

from kit.analysis.network import (
    QUIET_CONTACTS,
    QUIET_DAYS,
    WEAK_TIE_STRENGTH,
    NetworkFigures,
    network_figures,
)
from kit.analysis.profile import (
    COUNT_COLUMNS,
    NOTABLE_CHANGE,
    Change,
    DimensionResult,
    LookingBack,
    Profile,
    dimension_priority_order,
    profile_from_answers,
)
from kit.analysis.progress import (
    HISTORY_COLUMNS,
    NOT_SURE,
    changes,
    commitments_by_area,
    history_from_scores,
    looking_back,
    profile_from_history,
)

__all__ = [
    "DimensionResult",
    "Change",
    "Profile",
    "LookingBack",
    "looking_back",
    "NetworkFigures",
    "profile_from_answers",
    "history_from_scores",
    "profile_from_history",
    "changes",
    "dimension_priority_order",
    "network_figures",
    "commitments_by_area",
    "WEAK_TIE_STRENGTH",
    "QUIET_CONTACTS",
    # module constants, importable from here as before
    "QUIET_DAYS",
    "NOTABLE_CHANGE",
    "NOT_SURE",
    "COUNT_COLUMNS",
    "HISTORY_COLUMNS",
]
