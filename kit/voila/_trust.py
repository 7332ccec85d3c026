"""Trust the kit's own notebooks, so serving them does not log "Notebook ... is not trusted".

Jupyter trusts a notebook whose signature (an HMAC of its content, kept in the user's
``nbsignatures.db``) matches. The kit's notebooks are committed executed, by the kit, so
``kit serve`` signs them (and unchanged copies of them) with the user's own Jupyter key before
starting Voila, exactly as ``jupyter trust`` would. Other notebooks are left alone.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["trust_kit_notebooks"]


def trust_kit_notebooks(root: str | Path) -> int:
    """Sign the kit's own notebooks under ``root``; returns how many are trusted now.

    A notebook counts as the kit's own when the kit ships a notebook of the same name with the
    same content (so a copy of the kit's folder is trusted too, and an edited one is not). A
    signature store that cannot be written (a read-only home folder) is not an error: Voila
    then only logs that the notebooks are not trusted, and serves them the same.
    """
    from kit import _paths

    root = Path(root).resolve()
    shipped = Path(_paths.notebooks_dir()).resolve()
    import sqlite3

    import nbformat
    from nbformat.sign import NotebookNotary

    try:
        notary = None
        trusted = 0
        for path in sorted(root.glob("*.ipynb")):
            original = shipped / path.name
            if not original.is_file():
                continue
            nb = nbformat.read(path, as_version=4)
            if path.resolve() != original and nb != nbformat.read(original, as_version=4):
                continue  # edited: only its author can vouch for it
            notary = notary or NotebookNotary()
            if not notary.check_signature(nb):
                notary.sign(nb)
            trusted += 1
        return trusted
    except (OSError, sqlite3.Error):
        return 0
