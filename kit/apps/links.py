"""Links that carry a participant from one app page to the next, closing the learning loop.

* From the journal's last step, "Make this a commitment" opens the action plan with the text
  filled in: ``04_action_plan.ipynb?from_entry=<entry id>``. Only the entry's id travels in
  the address (never the text, which would end up in logs and browser history); the action
  plan reads the entry from the store and checks that it belongs to the visitor.
* From the action plan, a commitment marked done or dropped offers the
  ``reviewing-a-commitment`` exercise:
  ``02_reflection_journal.ipynb?exercise=reviewing-a-commitment&commitment=<id>``.

No widgets here. Each Voila page is its own kernel; the query string reaches it in the
``QUERY_STRING`` environment variable (after :func:`kit.voila.wait_for_visitor` in a
preheated kernel, which ``from_environment`` has already called).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlencode

__all__ = [
    "ACTION_PLAN_PAGE",
    "JOURNAL_PAGE",
    "REVIEW_EXERCISE",
    "query_params",
    "query_int",
    "commitment_from_entry_link",
    "review_commitment_link",
]

ACTION_PLAN_PAGE = "04_action_plan.ipynb"
JOURNAL_PAGE = "02_reflection_journal.ipynb"
#: The exercise offered when a commitment is marked done or dropped.
REVIEW_EXERCISE = "reviewing-a-commitment"


def query_params(query_string: str | None = None) -> dict[str, str]:
    """The page's query parameters (first value of each); ``{}`` when there are none.

    >>> query_params("from_entry=12&x=1&x=2")
    {'from_entry': '12', 'x': '1'}
    """
    if query_string is None:
        query_string = os.environ.get("QUERY_STRING", "")
    parsed = parse_qs(query_string or "", keep_blank_values=False)
    return {k: v[0] for k, v in parsed.items() if v}


def query_int(params: dict[str, str], name: str) -> int | None:
    """A positive whole number from the query, or ``None`` when absent or not a number.

    >>> query_int({"a": "7", "b": "x", "c": "-1"}, "a"), query_int({"b": "x"}, "b")
    (7, None)
    """
    value = params.get(name, "")
    if value.isascii() and value.isdigit() and 0 < len(value) <= 12:
        return int(value)
    return None


def commitment_from_entry_link(entry_id: int) -> str:
    """The action plan's address, set to fill in a commitment from a journal entry.

    >>> commitment_from_entry_link(5)
    '04_action_plan.ipynb?from_entry=5'
    """
    return f"{ACTION_PLAN_PAGE}?{urlencode({'from_entry': int(entry_id)})}"


def review_commitment_link(commitment_id: int) -> str:
    """The journal's address, set to reflect on one commitment.

    >>> review_commitment_link(3)
    '02_reflection_journal.ipynb?exercise=reviewing-a-commitment&commitment=3'
    """
    return f"{JOURNAL_PAGE}?{urlencode({'exercise': REVIEW_EXERCISE, 'commitment': int(commitment_id)})}"
