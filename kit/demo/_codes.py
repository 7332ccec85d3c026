"""The demo's codes file, ``<data folder>/demo-codes.json``: one entry per database.

The store keeps only hashes of codes, so the codes made when the demo was seeded are kept
here to be printed again (the demo's data is made up; those codes open nothing else).
"""

from __future__ import annotations

import logging

from kit.demo._cast import DEMO_COHORT, DemoCodes

__all__ = ["find_cohort", "load_codes", "save_codes"]

_log = logging.getLogger(__name__)


def find_cohort(store, name: str):
    """The cohort called ``name`` in ``store``, or ``None``."""
    for c in store.list_cohorts():
        if c.name == name:
            return c
    return None


def _db_key(store) -> str:
    """The store's URL without any password: the key of its entry in the codes file."""
    url = str(getattr(store, "url", "") or "")
    try:
        import sqlalchemy as sa

        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception as exc:  # noqa: BLE001 - an unusual URL is still a usable key
        _log.debug("demo codes: %r is not a URL SQLAlchemy reads (%s); used as it is", url, exc)
        return url


def _read_codes_file(path) -> dict:
    """The entries of the codes file by database key; ``{}`` when there is no usable file."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}  # not seeded yet in this data folder
    except (OSError, ValueError) as exc:
        _log.warning("the demo codes file %s cannot be read (%s): it is treated as empty, and "
                    "rewritten when the demo is next seeded", path, exc)
        return {}
    return data.get("databases", {}) if isinstance(data, dict) else {}


def load_codes(path, store, cohort):
    """The saved codes for this database's demo cohort, checked against the store."""
    entries = _read_codes_file(path)
    candidates = [entries.get(_db_key(store))] + [v for k, v in entries.items() if k != _db_key(store)]
    for data in candidates:
        try:
            codes = DemoCodes(
                data["join_code"], data["resume_code"], data["facilitator_key"],
                int(data["cohort_id"]), int(data["participant_id"]),
                tuple(sorted(data.get("join_codes", {}).items())),
            )
            if store.cohort_by_facilitator_key(codes.facilitator_key).id == cohort.id:
                return codes
        except Exception as exc:  # noqa: BLE001 - not this database's entry
            _log.debug("demo codes: an entry of %s does not open this demo cohort (%s: %s)",
                      path, type(exc).__name__, exc)
            continue
    return None


def save_codes(path, store, codes) -> None:
    """Keep ``codes`` as this database's entry in the codes file (written whole, then moved)."""
    import json

    entries = _read_codes_file(path)
    entries[_db_key(store)] = {
        "cohort": DEMO_COHORT,
        "join_code": codes.join_code,
        "join_codes": dict(codes.join_codes),
        "resume_code": codes.resume_code,
        "facilitator_key": codes.facilitator_key,
        "cohort_id": codes.cohort_id,
        "participant_id": codes.participant_id,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    note = "Codes for the made-up demo cohort, one entry per database. They open nothing else."
    tmp.write_text(json.dumps({"note": note, "databases": entries}, indent=2), encoding="utf-8")
    tmp.replace(path)
