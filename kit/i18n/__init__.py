"""One translation layer for every string a participant or facilitator sees.

The kit's own words live in gettext catalogues (``kit/i18n/locale/<lang>/LC_MESSAGES/kit.po``,
compiled to ``kit.mo`` and shipped in the package), read through Babel. Content (frameworks and
exercises) carries its own translations in the YAML; :func:`pick` chooses from those.

* :func:`_` and :func:`ngettext` translate into the current language.
* :func:`lazy_gettext` (``_l``) is for module-level text, translated each time it is used.
* The current language is one per process (each Voila page is its own kernel, so one visitor).
  Apps set it from the person, then their cohort, then the default (:func:`resolve_language`);
  :func:`use_language` switches for a block (a report in someone else's language).
* :data:`PSEUDO` is a pseudo-language generated from the catalogues (:mod:`kit.i18n.pseudo`):
  every string bracketed with accented letters, to show anything left hard-coded in English.

Examples
--------
>>> from kit.i18n import _, use_language
>>> _("Next")
'Next'
>>> with use_language("qps"):
...     _("Next")
'[Ñéxţ]'
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGE_ENV",
    "LOCALE_DIR",
    "PSEUDO",
    "LanguageError",
    "N_",
    "_",
    "available_languages",
    "check_language",
    "default_language",
    "format_date",
    "get_language",
    "html_lang",
    "language_name",
    "lazy_gettext",
    "ngettext",
    "pick",
    "resolve_language",
    "set_language",
    "use_language",
]

DOMAIN = "kit"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The language the kit's own strings are written in (the catalogue's source language).
DEFAULT_LANGUAGE = "en"
#: The pseudo-language code (Microsoft's "qps" pseudo-locale range): never a real language.
PSEUDO = "qps"
#: Environment variable for the server's default language (cohort and person override it).
LANGUAGE_ENV = "KIT_LANGUAGE"

#: A language code: "en", "cy", "pt-BR", "zh-Hant" (BCP 47 shape, letters and hyphens).
_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

#: Names shown in the language switcher, each in its own language.
_NAMES = {
    "en": "English",
    "cy": "Cymraeg",
    "ga": "Gaeilge",
    "gd": "Gàidhlig",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "pl": "Polski",
    "pt": "Português",
    "ur": "اردو",
    "pa": "ਪੰਜਾਬੀ",
    PSEUDO: "[Þšéûðö]",
}

_current: str | None = None


class LanguageError(ValueError):
    """A language code the kit cannot use (not shaped like ``en`` or ``pt-BR``)."""


def check_language(code: object, *, where: str = "language") -> str:
    """Return ``code`` when it is a usable language code, else raise :class:`LanguageError`.

    Examples
    --------
    >>> check_language("cy")
    'cy'
    >>> check_language("Welsh")
    Traceback (most recent call last):
    ...
    kit.i18n.LanguageError: language 'Welsh' is not a language code: use a code such as 'en', 'cy' or 'pt-BR'
    """
    if not isinstance(code, str) or not _CODE.match(code):
        raise LanguageError(
            f"{where} {code!r} is not a language code: use a code such as 'en', 'cy' or 'pt-BR'"
        )
    return code


def default_language() -> str:
    """The server's default: ``KIT_LANGUAGE`` when set, else :data:`DEFAULT_LANGUAGE`."""
    value = os.environ.get(LANGUAGE_ENV, "").strip()
    if not value:
        return DEFAULT_LANGUAGE
    from kit.config import ConfigError

    if not _CODE.match(value):
        raise ConfigError(LANGUAGE_ENV, value, "a language code such as 'en' or 'cy'")
    return value


def get_language() -> str:
    """The language strings are translated into now."""
    return _current or default_language()


def set_language(code: str | None) -> str:
    """Make ``code`` the current language (``None``: back to the default); return it."""
    global _current
    _current = None if code is None else check_language(code)
    return get_language()


@contextmanager
def use_language(code: str | None) -> Iterator[str]:
    """Translate into ``code`` inside the block, then go back to the language before."""
    global _current
    before = _current
    set_language(code)
    try:
        yield get_language()
    finally:
        _current = before


def resolve_language(person: str | None = None, cohort: str | None = None) -> str:
    """The language to use: the person's choice, else their cohort's, else the default."""
    for code in (person, cohort):
        if code:
            return code
    return default_language()


def available_languages(*, include_pseudo: bool = False) -> list[str]:
    """Languages with a compiled catalogue, the source language first."""
    found = {DEFAULT_LANGUAGE}
    if LOCALE_DIR.is_dir():
        for mo in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"):
            found.add(mo.parent.parent.name.replace("_", "-"))
    if not include_pseudo:
        found.discard(PSEUDO)
    return [DEFAULT_LANGUAGE] + sorted(found - {DEFAULT_LANGUAGE})


def language_name(code: str) -> str:
    """A language's name in that language, for the switcher (the code when unknown)."""
    return _NAMES.get(code) or _NAMES.get(code.split("-")[0]) or code


@functools.lru_cache(maxsize=32)
def _translations(code: str):
    """The catalogue for ``code`` (``pt-BR`` tries ``pt_BR`` then ``pt``); NullTranslations
    when there is none, so the source text shows."""
    import gettext

    names = [code.replace("-", "_")]
    if "-" in code:
        names.append(code.split("-")[0])
    for name in names:
        mo = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if mo.is_file():
            with open(mo, "rb") as fp:
                return gettext.GNUTranslations(fp)
    if code == PSEUDO:
        # Not compiled yet (a fresh checkout before `make translations`): transform on the fly.
        from kit.i18n.pseudo import PseudoTranslations

        return PseudoTranslations()
    return gettext.NullTranslations()


def reload_catalogues() -> None:
    """Forget loaded catalogues (after compiling new ones)."""
    _translations.cache_clear()


def _(message: str) -> str:
    """``message`` in the current language (the English text when it has no translation)."""
    return _translations(get_language()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it yet (for constants that are
    translated where they are shown, with ``_(CONSTANT)``)."""
    return message


def gettext(message: str) -> str:
    """The same as :func:`_`."""
    return _(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language.

    Examples
    --------
    >>> ngettext("{n} person", "{n} people", 3).format(n=3)
    '3 people'
    """
    return _translations(get_language()).ngettext(singular, plural, n)


def lazy_gettext(message: str):
    """``message``, translated each time it is turned into text (for module-level strings).

    Examples
    --------
    >>> title = lazy_gettext("Next")
    >>> with use_language("qps"):
    ...     str(title)
    '[Ñéxţ]'
    """
    from babel.support import LazyProxy

    return LazyProxy(_, message, enable_cache=False)


_l = lazy_gettext


def pick(text: str | Mapping[str, str] | None, language: str | None = None,
         default: str | None = None) -> str | None:
    """One language's text from a content field that is a string or ``{language: text}``.

    Falls back to ``default`` (the content's own default language), then to any text there is,
    and never fails on a missing language. In the pseudo-language the default text is
    transformed, so untranslated content shows up as well.

    Examples
    --------
    >>> pick({"en": "Trust", "cy": "Ymddiriedaeth"}, "cy")
    'Ymddiriedaeth'
    >>> pick({"en": "Trust"}, "cy", default="en")
    'Trust'
    >>> pick("Trust", "cy")
    'Trust'
    """
    if text is None or isinstance(text, str):
        chosen = text
        found = False
    else:
        language = language or get_language()
        default = default or DEFAULT_LANGUAGE
        chosen = None
        found = False
        for code in (language, language.split("-")[0]):
            if text.get(code):
                chosen, found = text[code], True
                break
        if chosen is None:
            chosen = text.get(default) or next((v for v in text.values() if v), None)
    if chosen is not None and not found and (language or get_language()) == PSEUDO:
        from kit.i18n.pseudo import pseudo

        return pseudo(chosen)
    return chosen


def format_date(day, form: str = "d MMMM y") -> str:
    """A date written out in the current language ("2 March 2026", "2 Mawrth 2026").

    Babel's CLDR data names the months; the pseudo-language transforms the English form.
    ``form`` is a CLDR pattern (``"d MMM y"`` for short month names).
    """
    from babel.core import UnknownLocaleError
    from babel.dates import format_date as _format

    language = get_language()
    if language == PSEUDO:
        from kit.i18n.pseudo import pseudo

        return pseudo(_format(day, form, locale="en_GB"))
    locale = language.replace("-", "_")
    if locale == "en":
        locale = "en_GB"
    try:
        return _format(day, form, locale=locale)
    except (UnknownLocaleError, ValueError):
        return _format(day, form, locale="en_GB")


def html_lang() -> str:
    """The value for an HTML ``lang`` attribute for the current language."""
    language = get_language()
    if language == DEFAULT_LANGUAGE:
        return "en-GB"
    if language == PSEUDO:
        return "en-GB"  # the pseudo-language is English underneath, for screen readers too
    return language
