"""A ledger of the copies the kit itself writes: exports, personal reports and backups.

Erasing a participant removes them from the database, but a file the kit wrote earlier
(``kit export``, ``kit report``, ``kit backup``) still holds their data. So every such file is
noted in ``copies.json`` in the data folder, and ``kit erase`` (and the My data app) can say
which copies still exist and offer to delete the exports and reports that are the
participant's own. Backups hold everyone's data: they are listed for the operator, never
deleted by the kit.

Kit-made exports and reports found in the data folder are listed even when the ledger has lost
track of them: an export folder holds ``participant-<id>.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Copy", "record_copy", "copies_of", "delete_copies", "ledger_path", "KINDS"]

#: What the kit writes: a participant's export folder, their personal report, a database backup.
KINDS = ("export", "report", "backup")


@dataclass(frozen=True)
class Copy:
    """One file or folder the kit wrote that may hold a participant's data."""

    path: Path
    kind: str
    participant_id: int | None
    written_at: str = ""

    @property
    def theirs(self) -> bool:
        """An export or report of one participant (a backup holds everyone)."""
        return self.kind in ("export", "report")

    def describe(self) -> str:
        what = {"export": "export", "report": "personal report", "backup": "backup of the database"}
        when = f", written {self.written_at[:10]}" if self.written_at else ""
        return f"{self.path} ({what[self.kind]}{when})"


def ledger_path() -> Path:
    from kit.config import get_settings

    return get_settings().data_dir / "copies.json"


def _database_key(url: str) -> str:
    """Which database a copy came from, without any password."""
    from kit.config import mask_url

    try:
        from kit.store.engine import sqlite_path

        path = sqlite_path(url)
    except Exception:  # noqa: BLE001 - an odd URL is still a usable key
        path = None
    return str(Path(path).expanduser().resolve()) if path is not None else mask_url(url)


def _read(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return []  # a damaged ledger is not a reason to refuse an erase
    entries = data.get("copies") if isinstance(data, dict) else None
    return [e for e in entries or [] if isinstance(e, dict)]


def record_copy(
    path: str | os.PathLike,
    kind: str,
    database: str,
    participant_id: int | None = None,
    files: list[Path] | None = None,
) -> None:
    """Note that the kit wrote ``path`` (a file, or an export folder holding ``files``).

    Never fails the command that wrote the copy: when the ledger cannot be written, the copy
    is simply not remembered.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    ledger = ledger_path()
    entry = {
        "path": str(Path(path).expanduser().resolve()),
        "kind": kind,
        "database": _database_key(database),
        "participant_id": participant_id,
        "files": [str(Path(f).resolve()) for f in files or []],
        "written_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    try:
        entries = [e for e in _read(ledger) if e.get("path") != entry["path"]]
        entries.append(entry)
        ledger.parent.mkdir(parents=True, exist_ok=True)
        partial = ledger.with_name(ledger.name + ".partial")
        partial.write_text(
            json.dumps({"note": "Files the kit wrote that may hold participants' data. "
                                "Used by kit erase.", "copies": entries}, indent=1),
            encoding="utf-8",
        )
        os.replace(partial, ledger)
    except OSError:
        pass


def _scan_data_folder(participant_id: int) -> list[Copy]:
    """Export folders in the data folder holding this participant's JSON, ledger or not."""
    from kit.config import get_settings

    root = get_settings().data_dir
    found = []
    try:
        for json_file in root.glob(f"**/participant-{participant_id}.json"):
            if "cache" in json_file.relative_to(root).parts:
                continue
            found.append(Copy(json_file.parent, "export", participant_id))
    except OSError:
        pass
    return found


def copies_of(participant_id: int, database: str) -> list[Copy]:
    """Copies still on disk that hold this participant's data: their exports and reports, and
    every backup of this database."""
    key = _database_key(database)
    out: dict[Path, Copy] = {}
    for e in _read(ledger_path()):
        if e.get("database") != key or e.get("kind") not in KINDS:
            continue
        if e["kind"] != "backup" and e.get("participant_id") != participant_id:
            continue
        path = Path(str(e.get("path")))
        if path.exists():
            out[path] = Copy(path, e["kind"], e.get("participant_id"), e.get("written_at", ""))
    for c in _scan_data_folder(participant_id):
        out.setdefault(c.path.resolve(), c)
    return sorted(out.values(), key=lambda c: (KINDS.index(c.kind), str(c.path)))


def delete_copies(copies: list[Copy]) -> list[Path]:
    """Delete the exports and reports among ``copies`` (never a backup); returns what went.

    An export folder loses only the files the kit writes there (``participant-<id>.json`` and
    its CSV files); the folder itself goes only when that leaves it empty.
    """
    gone = []
    for c in copies:
        if not c.theirs:
            continue
        try:
            if c.path.is_dir():
                for name in (f"participant-{c.participant_id}.json", "answers.csv",
                             "importance.csv", "looking_back.csv", "reflections.csv",
                             "commitments.csv",
                             "relationships.csv"):
                    (c.path / name).unlink(missing_ok=True)
                if not any(c.path.iterdir()):
                    shutil.rmtree(c.path)
            else:
                c.path.unlink(missing_ok=True)
            gone.append(c.path)
        except OSError:
            continue
    return gone
