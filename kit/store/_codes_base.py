"""What the parts that hand out and check codes share: the installation's key and hashing.

Codes (join codes, resume codes, facilitator keys) are kept only as hashes made with this
installation's secret key (:attr:`CodesRepository.code_key`); :mod:`kit.store._cohorts` and
:mod:`kit.store._participants` both build on :class:`CodesRepository`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit.i18n import N_, _
from kit.store import tables as t
from kit.store._base import Repository
from kit.store.codes import LEGACY_KEY, code_hash, new_key

__all__ = ["CodesRepository", "bad_shape", "UNKNOWN_JOIN_CODE"]

_CODE_SHAPE = N_("four groups of four letters and digits, such as K7QF-2MRX-9WZD-HT4P")
UNKNOWN_JOIN_CODE = N_(
    "That join code was not recognised. Check it with your facilitator; each group has its "
    "own code, and a code stops working when its cohort is removed."
)


def bad_shape(what: str) -> str:
    """"That join code is not in the right form: ..." in the current language."""
    sentences = {
        "facilitator": _("That facilitator key is not in the right form: it should be {shape}."),
        "join": _("That join code is not in the right form: it should be {shape}."),
        "resume": _("That resume code is not in the right form: it should be {shape}."),
    }
    return sentences[what].format(shape=_(_CODE_SHAPE))


class CodesRepository(Repository):
    """A part of the store that hashes codes with the installation's key."""

    @property
    def code_key(self) -> str:
        """This installation's secret key for hashing codes: random, made on first use and
        kept in the database (so every server of one database shares it)."""
        key = getattr(self, "_code_key_cache", None)
        if key is None:
            key = self._installation_value("code_key", new_key)
            self._code_key_cache = key
        return key

    def _hash(self, kind: str, code: str) -> str:
        return code_hash(kind, code, self.code_key)

    def _hashes(self, kind: str, code: str) -> list[str]:
        """The hashes a stored code may have: this installation's key, then the first
        release's fixed key (codes issued before the per-installation key keep working)."""
        return [code_hash(kind, code, self.code_key), code_hash(kind, code, LEGACY_KEY)]

    def _installation_value(self, name: str, make) -> str:
        """The installation's setting ``name``, made with ``make()`` and kept on first use."""
        I = t.installation  # noqa: E741
        with self.db.reading() as conn:
            row = conn.execute(sa.select(I.c.value).where(I.c.name == name)).first()
        if row is not None:
            return row[0]

        def work(conn: Connection) -> str:
            found = conn.execute(sa.select(I.c.value).where(I.c.name == name)).first()
            if found is not None:
                return found[0]
            value = make()
            conn.execute(I.insert().values(name=name, value=value))
            return value

        try:
            return self.db.transaction(work, what="set up this installation")
        except sa.exc.IntegrityError:  # another process made it first: use theirs
            with self.db.reading() as conn:
                return conn.execute(sa.select(I.c.value).where(I.c.name == name)).scalar_one()


    def _group_for_code(self, conn: Connection, join_code: str):
        """The groups row a join code opens (the group's own code or an extra one), or None."""
        hashes = self._hashes("join", join_code)
        group = conn.execute(
            sa.select(t.groups).where(t.groups.c.join_code_hash.in_(hashes))).first()
        if group is None:
            group = conn.execute(
                sa.select(t.groups).select_from(t.groups.join(
                    t.extra_join_codes, t.extra_join_codes.c.group_id == t.groups.c.id))
                .where(t.extra_join_codes.c.join_code_hash.in_(hashes))).first()
        return group
