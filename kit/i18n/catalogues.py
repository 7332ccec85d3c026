"""Build the message catalogues with Babel's own API: extract, update, pseudo, compile, check.

Extraction reads the source (``babel.cfg`` at the top of a checkout); the compiled ``.mo``
files are shipped in the package, so an installed kit never needs this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kit.i18n import DOMAIN, LOCALE_DIR, PSEUDO, reload_catalogues

__all__ = ["TEMPLATE", "KEYWORDS", "extract", "update", "make_pseudo", "compile_all", "check",
           "languages"]

TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: The functions whose string arguments are messages.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "N_": None}
_ROOT = Path(__file__).resolve().parents[2]


def _po(lang: str) -> Path:
    return LOCALE_DIR / lang.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(only: str | None = None) -> list[str]:
    """Languages with a ``kit.po`` (the pseudo-language included)."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    if only:
        return [x for x in found if x == only.replace("-", "_")]
    return found


def extract(root: Path | None = None) -> int:
    """Scan ``kit/`` for messages into :data:`TEMPLATE`; return how many were found."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    root = root or _ROOT
    cfg = root / "babel.cfg"
    method_map, options_map = _read_cfg(cfg)
    catalog = Catalog(project="Partnering Kit", version="1", msgid_bugs_address="",
                      copyright_holder="Partnering Kit contributors", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS,
        comment_tags=("Translators:",), strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATE, "wb") as fp:
        write_po(fp, catalog, width=100, omit_header=False, sort_by_file=True)
    return sum(1 for m in catalog if m.id)


def _read_cfg(path: Path):
    from babel.messages.frontend import parse_mapping_cfg

    with open(path, encoding="utf-8") as fp:
        return parse_mapping_cfg(fp, filename=str(path))


def update(only: str | None = None) -> list[str]:
    """Merge the template into every real language's ``kit.po``; return the languages done."""
    from babel.messages.pofile import read_po, write_po

    with open(TEMPLATE, "rb") as fp:
        template = read_po(fp)
    done = []
    for lang in languages(only):
        if lang == PSEUDO:
            continue
        with open(_po(lang), "rb") as fp:
            catalog = read_po(fp, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        with open(_po(lang), "wb") as fp:
            write_po(fp, catalog, width=100, ignore_obsolete=True)
        done.append(lang)
    return done


def make_pseudo() -> int:
    """Write the pseudo-language catalogue from the template."""
    from kit.i18n.pseudo import write_pseudo_catalogue

    return write_pseudo_catalogue(TEMPLATE, _po(PSEUDO))


def compile_all(only: str | None = None) -> list[str]:
    """Compile every ``kit.po`` to ``kit.mo``; return the languages compiled."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    done = []
    for lang in languages(only):
        po = _po(lang)
        with open(po, "rb") as fp:
            catalog = read_po(fp)
        with open(po.with_suffix(".mo"), "wb") as fp:
            write_mo(fp, catalog, use_fuzzy=False)
        done.append(lang)
    reload_catalogues()
    return done


def check(only: str | None = None) -> Iterator[tuple[str, int, int, list[str]]]:
    """Per language: ``(language, translated, total, missing message ids)``."""
    from babel.messages.pofile import read_po

    for lang in languages(only):
        with open(_po(lang), "rb") as fp:
            catalog = read_po(fp)
        messages = [m for m in catalog if m.id]
        missing = [m.id if isinstance(m.id, str) else m.id[0] for m in messages
                   if not (m.string if isinstance(m.string, str) else all(m.string))
                   or m.fuzzy]
        yield lang, len(messages) - len(missing), len(messages), missing
