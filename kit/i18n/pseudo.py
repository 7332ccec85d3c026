"""The pseudo-language: every string wrapped in brackets, its letters accented.

Generated from the template catalogue (``kit.pot``) into ``locale/qps/LC_MESSAGES/kit.po`` by
``kit translations pseudo`` (part of ``make translations``). Reading a page in it shows at once
any text that did not go through the translation layer (it stays plain English), and the
brackets show text cut off by a too-narrow box. Placeholders (``{name}``, ``%(n)s``, ``%s``),
HTML tags and entities are kept as they are, so the transformed strings still work.

Examples
--------
>>> pseudo("Step {n} of {total}")
'[Šţéþ {n} öƒ {total}]'
>>> pseudo("<strong>Saved</strong> &amp; done")
'[<strong>Šåvéð</strong> &amp; ðöñé]'
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

__all__ = ["pseudo", "is_pseudo", "PseudoTranslations", "write_pseudo_catalogue"]

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
#: Parts kept as they are: format fields, printf fields, HTML tags and entities, URLs.
_KEEP = re.compile(
    r"\{[^{}]*\}|%\([A-Za-z_]+\)[sdfr]|%[sdfr]|<[^<>]*>|&[#A-Za-z0-9]+;|https?://\S+"
)


def _accent(text: str) -> str:
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(text[last:m.start()].translate(_ACCENTED))
        out.append(m.group(0))
        last = m.end()
    out.append(text[last:].translate(_ACCENTED))
    return "".join(out)


def pseudo(text: str) -> str:
    """``text`` in the pseudo-language (empty text stays empty)."""
    if not text or not text.strip():
        return text
    return f"[{_accent(text)}]"


def is_pseudo(text: str) -> bool:
    """True when ``text`` carries no plain ASCII letters outside kept placeholders and tags."""
    return not re.search(r"[A-Za-z]", _KEEP.sub("", text))


class PseudoTranslations(gettext.NullTranslations):
    """Transform on the fly (used when no compiled ``qps`` catalogue is present)."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)


def write_pseudo_catalogue(template: Path, out_po: Path) -> int:
    """Write ``out_po`` with every message of ``template`` (a ``.pot``) transformed.

    Returns the number of messages written.
    """
    from babel.messages.pofile import read_po, write_po

    with open(template, "rb") as fp:
        catalog = read_po(fp, locale="en")  # English plural rules
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(pseudo(s) for s in message.id)
        else:
            message.string = pseudo(message.id)
    catalog.fuzzy = False
    out_po.parent.mkdir(parents=True, exist_ok=True)
    with open(out_po, "wb") as fp:
        write_po(fp, catalog, width=100)
    return sum(1 for m in catalog if m.id)
