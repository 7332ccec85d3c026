"""Rules that keep an instrument honest, beyond its shape.

A framework can be well formed and still tell people something false about themselves. These
checks refuse the kinds of content that did so in the kit's second edition:

* a band text that claims a frequency ("most weeks", "rarely") the answers cannot support;
* an area whose score would rest on check items (reverse-keyed habits) or events alone;
* item help that tells people how to score well ("the more often, the lower your score");
* in a self-assessment, item wording bound to one position in the hierarchy ("approval from
  above") that is not tagged with the role levels it is written for;
* count anchors that overlap or leave counts out ("Two or three times" and "Most weeks").

Each check reads the parsed data defensively and returns :class:`Problem` records; none raises.
"""

from __future__ import annotations

import math
import re

from kit.content._yaml import Document
from kit.content.problems import PathParts, Problem

__all__ = [
    "instrument_problems",
    "FREQUENCY_WORDS",
    "RANK_BOUND_PHRASES",
    "SCORING_HINTS",
    "MIN_SCORED_ITEMS",
    "anchor_counts",
]

#: Words and phrases that claim how often something happens. Band texts are read for any
#: answer pattern that lands in the band, so they may not make such a claim.
FREQUENCY_WORDS = (
    "every week", "each week", "most weeks", "weekly", "every day", "daily", "every month",
    "monthly", "now and then", "from time to time", "often", "rarely", "seldom", "never",
    "always", "usually", "sometimes", "occasionally", "regularly", "frequently",
    "most of the time", "times a",
)

#: Wording that assumes one position in the hierarchy. An item that uses one must say which
#: role levels it is written for (``role_levels``), or be reworded to mean the same at every
#: level.
RANK_BOUND_PHRASES = (
    "more senior", "senior people", "senior leader", "senior manager", "from above",
    "approval from", "your manager", "your boss", "your line manager", "your team",
    "your own team", "your staff", "your direct reports", "report to you", "front line",
    "front-line", "frontline", "junior", "chief executive", "your board",
)

#: Item help that tells people how the answer is scored.
SCORING_HINTS = ("your score", "score lower", "score higher", "lower score", "higher score",
                 "scores low", "scores high", "scored")

#: Fewest helpful (scored) items an area needs. (A score rests on at least two answers, so an
#: area with one helpful item always reads "Not enough answers"; docs/content.md says so.)
MIN_SCORED_ITEMS = 1

_NUMBER_WORDS = {
    "no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty": 20,
}
_NUM = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
_TO = r"\s*(?:-|–|—|to|or)\s*"

#: Anchors that name a share of weeks or days: how many times in four weeks each allows at
#: least (the least that anchor can mean), and whether it names no upper limit.
_PERIOD_ANCHORS = (
    (r"\b(every|each) day\b|\bdaily\b", 20),
    (r"\b(every|each) week\b|\bweekly\b", 4),
    (r"\bmost weeks\b", 3),
    (r"\b(every|each) month\b|\bmonthly\b", 1),
)


def _num(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def anchor_counts(label: str) -> tuple[float, float] | None:
    """The counts (lowest, highest) an anchor label allows, or ``None`` when it is not a count.

    Periods ("most weeks", "weekly or more") are read as counts in four weeks.

    Examples
    --------
    >>> anchor_counts("Not at all"), anchor_counts("Once"), anchor_counts("2–3 times")
    ((0, 0), (1, 1), (2, 3))
    >>> anchor_counts("4 times or more")
    (4, inf)
    >>> anchor_counts("Most weeks")
    (3, inf)
    >>> anchor_counts("Strongly agree") is None
    True
    """
    text = label.strip().lower()
    if re.fullmatch(r"(never|not at all|none|no times|not once)", text):
        return (0, 0)
    if re.fullmatch(r"once", text):
        return (1, 1)
    if re.fullmatch(r"twice", text):
        return (2, 2)
    if m := re.fullmatch(_NUM + _TO + _NUM + r" times", text):
        return (_num(m.group(1)), _num(m.group(2)))
    if m := re.fullmatch(_NUM + r" times? or more|" + r"more than " + _NUM + r" times", text):
        if m.group(1) is not None:
            return (_num(m.group(1)), math.inf)
        return (_num(m.group(2)) + 1, math.inf)
    if m := re.fullmatch(r"(once|twice|" + _NUM + r" times)", text):
        n = 1 if m.group(1) == "once" else 2 if m.group(1) == "twice" else _num(m.group(2))
        return (n, n)
    for pattern, least in _PERIOD_ANCHORS:
        if re.search(pattern, text):
            return (least, math.inf)
    return None


def _phrases(text: object, phrases) -> list[str]:
    if isinstance(text, dict):
        text = " ".join(str(v) for v in text.values())
    if not isinstance(text, str):
        return []
    low = " " + re.sub(r"\s+", " ", text.lower()) + " "
    return [p for p in phrases if re.search(r"(?<![a-z])" + re.escape(p) + r"(?![a-z])", low)]


def _entries(doc: Document, parts: PathParts) -> list[tuple[PathParts, dict]]:
    value = doc.get(parts)
    if not isinstance(value, list):
        return []
    return [(parts + (i,), v) for i, v in enumerate(value) if isinstance(v, dict)]


def _band_claims(doc: Document) -> list[Problem]:
    out = []
    for parts, band in _entries(doc, ("bands",)):
        for key in ("label", "description"):
            found = _phrases(band.get(key), FREQUENCY_WORDS)
            if found:
                out.append(doc.problem(
                    parts + (key,),
                    f"the band {key} claims a frequency ({', '.join(repr(f) for f in found)}) "
                    "that the answers in this band cannot support: a mean can land here from "
                    "many different patterns of answers. Say what to do next instead (for "
                    "example 'Look for the situations where it slips'), without saying how "
                    "often anything happens",
                    value=band.get(key),
                ))
    return out


def _areas(doc: Document, lens: object) -> list[Problem]:
    out = []
    for parts, _dim in _entries(doc, ("dimensions",)):
        items = _entries(doc, parts + ("items",))
        if not items:
            continue
        scored = [e for _, e in items if not e.get("reverse") and not e.get("event")]
        if len(scored) < MIN_SCORED_ITEMS:
            kinds = "check (reverse) or event items" if len(scored) < len(items) else "items"
            out.append(doc.problem(
                parts + ("items",),
                f"this area has no helpful item to score: all its items are {kinds}, which are "
                "shown beside a score, never averaged into it. Add at least two helpful items "
                "(without 'reverse' or 'event') so the area can be scored",
                value=len(scored),
            ))
        for item_parts, item in items:
            hints = _phrases(item.get("help"), SCORING_HINTS)
            if hints:
                out.append(doc.problem(
                    item_parts + ("help",),
                    f"the help tells people how the answer is scored "
                    f"({', '.join(repr(h) for h in hints)}), which invites them to answer for "
                    "the score; say only what to count",
                    value=item.get("help"),
                ))
            if item.get("role_levels") or lens != "self":
                continue  # "we" statements speak for the partnership, not from one rank
            for key in ("text", "help"):
                bound = _phrases(item.get(key), RANK_BOUND_PHRASES)
                if bound:
                    out.append(doc.problem(
                        item_parts + (key,),
                        f"the wording assumes one position in the hierarchy "
                        f"({', '.join(repr(b) for b in bound)}), so it would not mean the same "
                        "for a chief executive and a front-line lead; reword it so it does "
                        "(for example 'people with more say over the decision than you' or "
                        "'the colleagues you work with'), or add 'role_levels: [...]' naming "
                        "the levels it is written for",
                        value=item.get(key),
                    ))
    return out


def _anchors(doc: Document) -> list[Problem]:
    points = _entries(doc, ("scale", "points"))
    labelled = []
    for parts, point in points:
        label = point.get("label")
        if isinstance(label, dict):
            label = next(iter(label.values()), None)
        if isinstance(label, str) and (counts := anchor_counts(label)) is not None:
            labelled.append((parts, label, counts))
    if len(labelled) < 2:
        return []
    out = []
    ordered = sorted(labelled, key=lambda e: (e[2][0], e[2][1]))
    for (_p1, l1, (_lo1, hi1)), (p2, l2, (lo2, _hi2)) in zip(ordered, ordered[1:], strict=False):
        if lo2 <= hi1:
            out.append(doc.problem(
                p2 + ("label",),
                f"the anchors '{l1}' and '{l2}' overlap (the same number of times fits both), "
                "so people answering the same behaviour can choose either; use counts that "
                "cannot overlap, such as 'Not at all', 'Once', '2–3 times', '4 times or more'",
                value=l2,
            ))
        elif lo2 > hi1 + 1:
            out.append(doc.problem(
                p2 + ("label",),
                f"no anchor fits {hi1 + 1:g} time(s): '{l1}' stops at {hi1:g} and '{l2}' "
                f"starts at {lo2:g}; make the counts follow on without a gap",
                value=l2,
            ))
    top_parts, top_label, (_lo, top_hi) = ordered[-1]
    if len(labelled) == len(points) and top_hi != math.inf:
        out.append(doc.problem(
            top_parts + ("label",),
            f"the highest anchor '{top_label}' has an upper limit, so a count above "
            f"{top_hi:g} fits no answer; end it with 'or more'",
            value=top_label,
        ))
    return out


def instrument_problems(doc: Document) -> list[Problem]:
    """Every honesty problem in a framework file (see the module docstring)."""
    return _band_claims(doc) + _areas(doc, doc.get(("lens",))) + _anchors(doc)
