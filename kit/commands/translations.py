"""``kit translations``: extract the kit's strings, make the pseudo-language, compile catalogues.

``make translations`` runs ``kit translations all`` from a checkout. Steps:

* ``extract``: scan ``kit/`` (``babel.cfg``) into the template ``kit/i18n/locale/kit.pot``;
* ``update``: merge the template into every language's ``kit.po`` (new strings appear empty);
* ``pseudo``: write the pseudo-language ``qps/LC_MESSAGES/kit.po`` from the template;
* ``compile``: turn every ``kit.po`` into the ``kit.mo`` the kit reads;
* ``check``: per language, how many strings are translated, and which are missing;
* ``all``: extract, update, pseudo and compile.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "run_translations"]

STEPS = ("extract", "update", "pseudo", "compile", "check", "all")


def register(subparsers) -> None:
    """Add ``kit translations STEP`` to the ``kit`` command."""
    parser = subparsers.add_parser(
        "translations",
        help="extract, update, pseudo-translate and compile the kit's message catalogues",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("step", choices=STEPS, nargs="?", default="all")
    parser.add_argument("--language", "-l", help="only this language (update, compile, check)")
    parser.set_defaults(func=run_translations)


def run_translations(args: argparse.Namespace) -> int:
    """Handler for ``kit translations``; returns the exit code."""
    from kit.i18n import catalogues

    steps = ("extract", "update", "pseudo", "compile") if args.step == "all" else (args.step,)
    status = 0
    for step in steps:
        if step == "extract":
            n = catalogues.extract()
            print(f"extract: {n} messages in {catalogues.TEMPLATE}")
        elif step == "update":
            for lang in catalogues.update(args.language):
                print(f"update: {lang}")
        elif step == "pseudo":
            n = catalogues.make_pseudo()
            print(f"pseudo: {n} messages transformed")
        elif step == "compile":
            for lang in catalogues.compile_all(args.language):
                print(f"compile: {lang}")
        elif step == "check":
            for lang, done, total, missing in catalogues.check(args.language):
                print(f"{lang}: {done} of {total} strings translated")
                for msgid in missing:
                    print(f"    missing: {msgid!r}")
                if missing:
                    status = 1
    return status
