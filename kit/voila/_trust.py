"""Trust the kit's own notebooks, so serving them does not log "Notebook ... is not trusted".

Jupyter trusts a notebook whose signature (an HMAC of its content, kept in the user's
``nbsignatures.db``) matches. The kit's notebooks are committed executed, by the kit, so
``kit serve`` signs them with the user's own Jupyter key before starting Voila, exactly as
``jupyter trust`` would. Notebooks that are not the kit's own are left alone.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["trust_kit_notebooks"]


def trust_kit_notebooks(root: str | Path) -> int:
    """Sign every notebook of the kit's own under ``root``; returns how many are trusted now.

    Only does anything when ``root`` is the kit's notebook folder. A signature store that
    cannot be written (a read-only home folder) is not an error: Voila then only logs that
    the notebooks are not trusted, and serves them the same.
    """
    from kit import _paths

    root = Path(root).resolve()
    if root != Path(_paths.notebooks_dir()).resolve():
        return 0
    import sqlite3

    import nbformat
    from nbformat.sign import NotebookNotary

    try:
        notary = NotebookNotary()
        trusted = 0
        for path in sorted(root.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            if not notary.check_signature(nb):
                notary.sign(nb)
            trusted += 1
        return trusted
    except (OSError, sqlite3.Error):
        return 0
