"""The top floor: the ``kit`` command and its subcommands, one module per family.

Each module exposes ``register(subparsers)`` and imports only :mod:`argparse` at the top, so
``kit --help`` stays quick; the heavy imports happen inside the handler. Commands check their
arguments and delegate to the floors below; nothing below imports them (an import-linter
contract in ``pyproject.toml`` says so).
"""
