"""The language switcher: a labelled drop-down of the languages the kit has catalogues for."""

from __future__ import annotations

import ipywidgets as W

from kit.i18n import _, available_languages, get_language, language_name

__all__ = ["LanguagePicker"]


class LanguagePicker(W.Dropdown):
    """Pick the language the apps use for this person.

    Each language is named in its own language ("Cymraeg", not "Welsh"), so a person can find
    theirs whatever the page is showing. ``on_pick(code)`` is called when the choice changes.
    The current language is always offered, even without a catalogue (the pseudo-language in a
    test, or a content-only language).
    """

    def __init__(self, on_pick=None, *, languages=None, value=None, **kwargs):
        codes = list(languages or available_languages())
        current = value or get_language()
        if current not in codes:
            codes.append(current)
        super().__init__(options=[(language_name(c), c) for c in codes], value=current,
                         description=_("Language"), style={"description_width": "initial"},
                         **kwargs)
        self.add_class("kit-language-picker")
        self._on_pick = on_pick
        self.observe(self._picked, names="value")

    def _picked(self, change) -> None:
        if self._on_pick is not None and change["new"] and change["new"] != change["old"]:
            self._on_pick(change["new"])
