"""Checking a ``kit import`` file (:func:`check_import`): every problem, by row and column.

The file is read in the order a person reads it - the options (``--round``, ``--group``), the
header, then each row - and every problem is collected before one :class:`InvalidImport` is
raised. :mod:`kit.store.importing` writes a checked :class:`ImportPlan`.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from kit.i18n import _
from kit.store import tables as t
from kit.store.errors import RoundStateError, StoreError
from kit.store.validation import check_text, response_checker

__all__ = [
    "ImportProblem",
    "InvalidImport",
    "ImportPlan",
    "ImportResult",
    "check_import",
    "refuse_unless_not_open",
    "RESERVED_COLUMNS",
    "PROFILE_COLUMNS",
    "IMPORTANCE_PREFIX",
    "NA_WORDS",
]

#: Columns that are not items.
RESERVED_COLUMNS = ("person", "round", "group", "organisation", "sector", "role_level")
PROFILE_COLUMNS = ("organisation", "sector", "role_level")
IMPORTANCE_PREFIX = "importance:"
#: Cell values read as "not applicable" (compared without case), besides the scale's own label.
NA_WORDS = ("na", "n/a", "not applicable")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file: where (row, column), the value found, and what to do."""

    row: int | None
    column: str | None
    value: object
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        place = ", ".join(where) or "file"
        shown = "" if self.value is None else f" (found {self.value!r})"
        return f"{place}: {self.message}{shown}"


class InvalidImport(StoreError, ValueError):
    """The file has problems; ``problems`` lists every one. Nothing was written."""

    def __init__(self, path, problems: list[ImportProblem]):
        self.path = Path(path)
        self.problems = list(problems)
        n = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"{self.path} was not imported: {n} problem{'s' if n != 1 else ''} to fix "
            f"(nothing was written).\n{lines}"
        )


@dataclass
class ImportPlan:
    """A checked file, ready to write: the people to add and the responses per round."""

    cohort_id: int
    cohort_name: str
    framework: object  # kit.content.Framework
    new_people: dict[str, dict] = field(default_factory=dict)  # person -> person row
    known_people: dict[str, int] = field(default_factory=dict)  # person -> participant id
    rounds: dict[int, list[tuple[str, dict, dict]]] = field(default_factory=dict)
    round_names: dict[int, str] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(len(v) for v in self.rounds.values())


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: responses per round name and people added."""

    responses: dict[str, int]
    people_added: int


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _listing(names) -> str:
    names = list(names)
    shown = ", ".join(repr(n) for n in names[:8])
    return shown + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StoreError(f"There is no file {str(path)!r} to import. Check the path.") from None
    except UnicodeDecodeError:
        raise StoreError(
            f"{path} is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8' and try again."
        ) from None
    rows = [r for r in csv.reader(text.splitlines()) if any(cell.strip() for cell in r)]
    if not rows:
        return [], []
    return [h.strip() for h in rows[0]], rows[1:]


def check_import(
    store,
    path: str | Path,
    cohort_id: int,
    framework=None,
    *,
    round_name: str | None = None,
    group: str | None = None,
) -> ImportPlan:
    """Check a CSV file against the framework and the cohort; every problem, then raise once.

    Returns an :class:`ImportPlan` for :func:`import_csv` to write; raises
    :class:`InvalidImport` listing every problem by row and column.
    """
    from kit.content import DEFAULT_SELF_FRAMEWORK
    from kit.store._responses import resolve_framework

    path = Path(path)
    cohort = store.cohort(cohort_id)
    if framework is None:
        framework = (cohort.frameworks or (DEFAULT_SELF_FRAMEWORK,))[0]
    fw = resolve_framework(framework)
    header, body = _read_rows(path)
    check = _FileCheck(path, cohort_id, cohort, fw, round_name, group)
    check.options(header)
    check.header(header)
    check.known, check.answered = _imported_before(store, cohort_id, fw)
    plan = ImportPlan(cohort_id, cohort.name, fw)
    for k, values in enumerate(body):
        check.row(plan, k + 2, header, values)
    if not body:
        check.problem(None, None, None, "the file has a header but no rows to import")
    if check.problems:
        raise InvalidImport(path, check.problems)
    plan.known_people = check.known
    refuse_unless_not_open([r for r in cohort.rounds if r.id in plan.rounds])
    return plan


def _imported_before(store, cohort_id: int, fw) -> tuple[dict[str, int], set[tuple[int, int]]]:
    """The cohort's people with a reference (reference -> id), and the (person, round) pairs
    that already have a current response to ``fw``."""
    with store.reading() as conn:
        known = dict(
            conn.execute(
                sa.select(t.participants.c.external_ref, t.participants.c.id).where(
                    t.participants.c.cohort_id == cohort_id,
                    t.participants.c.external_ref.is_not(None),
                )
            ).all()
        )
        answered = set(
            conn.execute(
                sa.select(t.submissions.c.participant_id, t.submissions.c.round_id)
                .select_from(t.submissions.join(t.participants))
                .where(
                    t.participants.c.cohort_id == cohort_id,
                    t.participants.c.external_ref.is_not(None),
                    t.submissions.c.framework_id == fw.id,
                    t.submissions.c.superseded.is_(False),
                )
            ).all()
        )
    return known, answered


class _FileCheck:
    """One file being checked: the problems found so far, in the order a reader meets them
    (the options, the header, then each row)."""

    def __init__(self, path: Path, cohort_id: int, cohort, fw, round_name: str | None,
                 group: str | None):
        self.path, self.cohort_id, self.cohort, self.fw = path, cohort_id, cohort, fw
        self.round_name, self.group = round_name, group
        self.problems: list[ImportProblem] = []
        self.rounds = {r.name: r for r in cohort.rounds}
        self.groups = {g.name: g for g in cohort.groups}
        self.columns: dict[str, int] = {}
        self.items = [i.id for i in fw.items]
        self.known: dict[str, int] = {}
        self.answered: set[tuple[int, int]] = set()
        self.seen: dict[tuple[str, int], int] = {}
        scale = fw.scale
        self.na_words = set(NA_WORDS) | (
            {scale.not_applicable.lower()} if scale.not_applicable else set())
        self.check = response_checker(fw)

    def problem(self, row, column, value, message) -> None:
        self.problems.append(ImportProblem(row, column, value, message))

    def options(self, header: list[str]) -> None:
        """``--round`` and ``--group`` name a round and a group of the cohort; a header exists."""
        cohort, rounds, groups = self.cohort, self.rounds, self.groups
        if self.round_name is not None and self.round_name not in rounds:
            self.problem(
                None,
                None,
                self.round_name,
                f"--round names no round of {cohort.name!r}"
                f"{_did_you_mean(self.round_name, rounds)} Its rounds are {_listing(rounds)}",
            )
        if self.group is not None and self.group not in groups:
            self.problem(
                None,
                None,
                self.group,
                f"--group names no group of {cohort.name!r}{_did_you_mean(self.group, groups)} "
                f"Its groups are {_listing(groups)}",
            )
        if not header:
            self.problem(None, None, None, "the file is empty: the first row should name the columns")
            raise InvalidImport(self.path, self.problems)

    def header(self, header: list[str]) -> None:
        """Each column named once and known; the columns the rows need are there. Without a
        sound header the rows cannot be read column by column: raise."""
        for n, name in enumerate(header):
            if name in self.columns:
                self.problem(
                    1,
                    name,
                    None,
                    f"this column appears twice (columns {self.columns[name] + 1} and {n + 1})",
                )
                continue
            self.columns[name] = n
            self._column(n, name)
        self._needed_columns()
        if self.problems and any(p.row == 1 or p.row is None for p in self.problems):
            raise InvalidImport(self.path, self.problems)
        self.item_cols = [c for c in self.columns if c in self.items]
        self.imp_cols = [c for c in self.columns if c.startswith(IMPORTANCE_PREFIX)]

    def _column(self, n: int, name: str) -> None:
        fw, items = self.fw, self.items
        if name in RESERVED_COLUMNS or name in items:
            return
        if name.startswith(IMPORTANCE_PREFIX):
            dim = name[len(IMPORTANCE_PREFIX) :]
            dims = [d.id for d in fw.dimensions]
            if fw.importance_scale is None:
                self.problem(
                    1, name, None, f"framework {fw.id!r} does not ask how important dimensions are"
                )
            elif dim not in dims:
                self.problem(
                    1,
                    name,
                    None,
                    f"{dim!r} is not a dimension of framework {fw.id!r}{_did_you_mean(dim, dims)} "
                    f"Its dimensions are {_listing(dims)}",
                )
            return
        if not name:
            self.problem(1, f"column {n + 1}", None, "this column has no name: name it or delete it")
            return
        self.problem(
            1,
            name,
            None,
            f"is neither an item of framework {fw.id!r} nor one of {_listing(RESERVED_COLUMNS)}"
            f"{_did_you_mean(name, [*items, *RESERVED_COLUMNS])}",
        )

    def _needed_columns(self) -> None:
        columns = self.columns
        if "person" not in columns:
            self.problem(1, "person", None, "the file needs a 'person' column: each person's reference")
        if "round" not in columns and self.round_name is None:
            self.problem(
                1, "round", None, "say which round the rows belong to: a 'round' column or --round NAME"
            )
        if "group" not in columns and self.group is None and len(self.groups) != 1:
            self.problem(
                1,
                "group",
                None,
                f"{self.cohort.name!r} has several groups: add a 'group' column or give --group NAME",
            )
        for item in self.fw.items:
            if item.required and item.id not in columns:
                self.problem(1, item.id, None, "this item is required, so the file needs a column for it")

    def cell(self, values, name) -> str:
        n = self.columns.get(name)
        return values[n].strip() if n is not None and n < len(values) else ""

    def row(self, plan: ImportPlan, row: int, header: list[str], values: list[str]) -> None:
        """Check one row; a sound one goes into ``plan``."""
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            self.problem(
                row,
                None,
                None,
                f"this row has {len(values)} cells but the header names {len(header)} columns",
            )
        person = self.cell(values, "person")
        if not person:
            self.problem(row, "person", None, "every row needs the person's reference")
        else:
            self.problems.extend(
                ImportProblem(row, "person", person, p.message)
                for p in check_text("person", person, limit=200)
            )
        rnd = self._round(row, values)
        gname = self._group(row, values)
        profile = {}
        for name in PROFILE_COLUMNS:
            value = self.cell(values, name) or None
            for p in check_text(name, value, required=False, limit=200):
                self.problem(row, name, value, p.message)
            profile[name] = value
        answers, importance = self._answers(row, values)
        if not person or rnd is None:
            return
        if self._seen_before(row, person, rnd):
            return
        if person not in self.known and person not in plan.new_people and gname in self.groups:
            plan.new_people[person] = {
                "cohort_id": self.cohort_id,
                "group_id": self.groups[gname].id,
                "external_ref": person,
                "display_name": None,
                **profile,
            }
        plan.rounds.setdefault(rnd.id, []).append((person, answers, importance))
        plan.round_names[rnd.id] = rnd.name

    def _round(self, row: int, values):
        """The row's round (its ``round`` cell, else ``--round``), or ``None``."""
        rounds, round_name = self.rounds, self.round_name
        rname = self.cell(values, "round") or round_name if "round" in self.columns else round_name
        rnd = rounds.get(rname) if rname else None
        if "round" in self.columns and rnd is None:
            if rname:
                self.problem(
                    row,
                    "round",
                    rname,
                    f"is not a round of {self.cohort.name!r}{_did_you_mean(rname, rounds)} "
                    f"Its rounds are {_listing(rounds)}",
                )
            else:
                self.problem(
                    row, "round", None, "give the round's name (or --round NAME for empty cells)"
                )
        return rnd

    def _group(self, row: int, values) -> str | None:
        """The row's group name (its ``group`` cell, else ``--group``, else the only group)."""
        groups, group = self.groups, self.group
        gname = (self.cell(values, "group") or group) if "group" in self.columns else group
        if gname is None and len(groups) == 1:
            gname = next(iter(groups))
        if "group" in self.columns and gname not in groups:
            if gname:
                self.problem(
                    row,
                    "group",
                    gname,
                    f"is not a group of {self.cohort.name!r}{_did_you_mean(gname, groups)} "
                    f"Its groups are {_listing(groups)}",
                )
            else:
                self.problem(
                    row, "group", None, "give the person's group (or --group NAME for empty cells)"
                )
        return gname

    def _answers(self, row: int, values) -> tuple[dict[str, int | None], dict[str, int]]:
        """The row's answers and importance, read from their cells and checked."""
        scale = self.fw.scale
        answers: dict[str, int | None] = {}
        importance: dict[str, int] = {}
        for name in self.item_cols + self.imp_cols:
            raw = self.cell(values, name)
            target = importance if name in self.imp_cols else answers
            key = name[len(IMPORTANCE_PREFIX) :] if name in self.imp_cols else name
            if raw == "":
                continue
            if name in self.item_cols and raw.lower() in self.na_words:
                target[key] = None
                continue
            try:
                number = float(raw)
            except ValueError:
                number = None
            if number is None or not number.is_integer():
                valid = f"a whole number from {scale.min} to {scale.max}"
                if name in self.item_cols and scale.not_applicable:
                    valid += " or NA"
                self.problem(row, name, raw, f"is not {valid}")
                continue
            target[key] = int(number)
        for p in self.check(answers, importance):
            # p.field is answers['item'] or importance['dimension']
            key = p.field.split("[", 1)[1].rstrip("]").strip("'\"")
            column = key if p.field.startswith("answers") else IMPORTANCE_PREFIX + key
            message = p.message
            if p.field.startswith("answers") and "required" in message:
                message = "this item is required: the cell must not be empty"
            elif p.field.startswith("answers") and message.startswith("must be"):
                message = f"must be a whole number from {scale.min} to {scale.max}"
                if scale.not_applicable:
                    message += f", or NA for {scale.not_applicable!r}"
            self.problem(row, column, self.cell(values, column) or None, message)
        return answers, importance

    def _seen_before(self, row: int, person: str, rnd) -> bool:
        """Is the person's row for this round a second one, in the file or in the store?"""
        if (person, rnd.id) in self.seen:
            self.problem(
                row,
                "person",
                person,
                f"appears twice for round {rnd.name!r} (also row {self.seen[(person, rnd.id)]}): "
                "one row per person and round",
            )
            return True
        self.seen[(person, rnd.id)] = row
        if person in self.known and (self.known[person], rnd.id) in self.answered:
            self.problem(
                row,
                "person",
                person,
                f"already has a response in round {rnd.name!r} in the store (imported before?)",
            )
            return True
        return False


def refuse_unless_not_open(rounds) -> None:
    """:class:`RoundStateError` unless every round (``RoundInfo`` or row) is not open yet."""
    for r in rounds:
        state = ("open" if r.is_open else "closed" if r.opened_at is not None else "not open")
        if state == "not open":
            continue
        said = (_("Round {name} is open") if state == "open"
                else _("Round {name} is closed and its results are final")).format(
            name=repr(r.name))
        raise RoundStateError(said + _(
            ": counted members can be imported, with the set-up key, only into a round that is "
            "not open yet, so nobody can be added once answers are coming in. Nothing was "
            "written."))
