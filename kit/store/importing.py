"""``kit import``: bring a programme's earlier rounds into a cohort from a CSV file.

The file has one row per person and round. Its columns:

* ``person`` (required): the programme's own reference for the person, such as ``P0042``. The
  same reference in a later file (or a later round) is the same participant;
* ``round`` (optional): the round's name; without it every row goes to the round named with
  ``--round``;
* ``group`` (optional): a group of the cohort; without it ``--group``, or the cohort's only group;
* ``organisation``, ``sector``, ``role_level`` (optional): kept on the person when first imported;
* one column per item id of the framework, holding a whole number on its scale, or ``NA``
  (also ``n/a``, ``not applicable`` or the scale's own label, such as ``Not observed``) for
  "not applicable", or empty when the item is optional and was not answered;
* ``importance:DIMENSION_ID`` (optional): how important that dimension is, on the importance scale.

Importing adds people who are counted, so it is for the set-up key holder (``kit import
--setup-key``), never the facilitator key, and only into rounds that are not open yet: nobody
can be added to a round once answers are coming in, or to a closed round's final results.
Each import is recorded and shown on the facilitator dashboard.

Everything is checked first, against the framework and the cohort, and **every** problem is
listed with its row (as a spreadsheet numbers them: the header is row 1) and column. Only a
file with no problems is written, in one transaction, through the store's bulk path
(:mod:`kit.store._bulk`): a failed or interrupted import writes nothing.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from kit.i18n import _
from kit.store import tables as t
from kit.store._bulk import BulkResponse, _insert_people, _insert_responses
from kit.store.errors import RoundStateError, StoreError
from kit.store.validation import check_text, response_checker

__all__ = [
    "ImportProblem",
    "InvalidImport",
    "ImportPlan",
    "ImportResult",
    "check_import",
    "import_csv",
    "RESERVED_COLUMNS",
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
    problems: list[ImportProblem] = []

    def problem(row, column, value, message):
        problems.append(ImportProblem(row, column, value, message))

    rounds = {r.name: r for r in cohort.rounds}
    groups = {g.name: g for g in cohort.groups}
    if round_name is not None and round_name not in rounds:
        problem(
            None,
            None,
            round_name,
            f"--round names no round of {cohort.name!r}{_did_you_mean(round_name, rounds)} "
            f"Its rounds are {_listing(rounds)}",
        )
    if group is not None and group not in groups:
        problem(
            None,
            None,
            group,
            f"--group names no group of {cohort.name!r}{_did_you_mean(group, groups)} "
            f"Its groups are {_listing(groups)}",
        )
    if not header:
        problem(None, None, None, "the file is empty: the first row should name the columns")
        raise InvalidImport(path, problems)

    items = [i.id for i in fw.items]
    dims = [d.id for d in fw.dimensions]
    columns: dict[str, int] = {}
    for n, name in enumerate(header):
        if name in columns:
            problem(
                1,
                name,
                None,
                f"this column appears twice (columns {columns[name] + 1} and {n + 1})",
            )
            continue
        columns[name] = n
        if name in RESERVED_COLUMNS or name in items:
            continue
        if name.startswith(IMPORTANCE_PREFIX):
            dim = name[len(IMPORTANCE_PREFIX) :]
            if fw.importance_scale is None:
                problem(
                    1, name, None, f"framework {fw.id!r} does not ask how important dimensions are"
                )
            elif dim not in dims:
                problem(
                    1,
                    name,
                    None,
                    f"{dim!r} is not a dimension of framework {fw.id!r}{_did_you_mean(dim, dims)} "
                    f"Its dimensions are {_listing(dims)}",
                )
            continue
        if not name:
            problem(1, f"column {n + 1}", None, "this column has no name: name it or delete it")
            continue
        problem(
            1,
            name,
            None,
            f"is neither an item of framework {fw.id!r} nor one of {_listing(RESERVED_COLUMNS)}"
            f"{_did_you_mean(name, [*items, *RESERVED_COLUMNS])}",
        )
    if "person" not in columns:
        problem(1, "person", None, "the file needs a 'person' column: each person's reference")
    if "round" not in columns and round_name is None:
        problem(
            1, "round", None, "say which round the rows belong to: a 'round' column or --round NAME"
        )
    if "group" not in columns and group is None and len(groups) != 1:
        problem(
            1,
            "group",
            None,
            f"{cohort.name!r} has several groups: add a 'group' column or give --group NAME",
        )
    for item in fw.items:
        if item.required and item.id not in columns:
            problem(1, item.id, None, "this item is required, so the file needs a column for it")
    if problems and any(p.row == 1 or p.row is None for p in problems):
        # without a sound header the rows cannot be read column by column
        raise InvalidImport(path, problems)

    scale = fw.scale
    na_words = set(NA_WORDS) | ({scale.not_applicable.lower()} if scale.not_applicable else set())
    check = response_checker(fw)
    item_cols = [c for c in columns if c in items]
    imp_cols = [c for c in columns if c.startswith(IMPORTANCE_PREFIX)]

    with store._read() as conn:
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

    plan = ImportPlan(cohort_id, cohort.name, fw)
    seen: dict[tuple[str, int], int] = {}

    def cell(values, name):
        n = columns.get(name)
        return values[n].strip() if n is not None and n < len(values) else ""

    for k, values in enumerate(body):
        row = k + 2
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            problem(
                row,
                None,
                None,
                f"this row has {len(values)} cells but the header names {len(header)} columns",
            )
        person = cell(values, "person")
        if not person:
            problem(row, "person", None, "every row needs the person's reference")
        else:
            problems.extend(
                ImportProblem(row, "person", person, p.message)
                for p in check_text("person", person, limit=200)
            )
        rname = cell(values, "round") or round_name if "round" in columns else round_name
        rnd = rounds.get(rname) if rname else None
        if "round" in columns and rnd is None:
            if rname:
                problem(
                    row,
                    "round",
                    rname,
                    f"is not a round of {cohort.name!r}{_did_you_mean(rname, rounds)} Its rounds "
                    f"are {_listing(rounds)}",
                )
            else:
                problem(
                    row, "round", None, "give the round's name (or --round NAME for empty cells)"
                )
        gname = (cell(values, "group") or group) if "group" in columns else group
        if gname is None and len(groups) == 1:
            gname = next(iter(groups))
        if "group" in columns and gname not in groups:
            if gname:
                problem(
                    row,
                    "group",
                    gname,
                    f"is not a group of {cohort.name!r}{_did_you_mean(gname, groups)} Its groups "
                    f"are {_listing(groups)}",
                )
            else:
                problem(
                    row, "group", None, "give the person's group (or --group NAME for empty cells)"
                )
        profile = {}
        for name in PROFILE_COLUMNS:
            value = cell(values, name) or None
            for p in check_text(name, value, required=False, limit=200):
                problem(row, name, value, p.message)
            profile[name] = value

        answers: dict[str, int | None] = {}
        importance: dict[str, int] = {}
        for name in item_cols + imp_cols:
            raw = cell(values, name)
            target = importance if name in imp_cols else answers
            key = name[len(IMPORTANCE_PREFIX) :] if name in imp_cols else name
            if raw == "":
                continue
            if name in item_cols and raw.lower() in na_words:
                target[key] = None
                continue
            try:
                number = float(raw)
            except ValueError:
                number = None
            if number is None or not number.is_integer():
                valid = f"a whole number from {scale.min} to {scale.max}"
                if name in item_cols and scale.not_applicable:
                    valid += " or NA"
                problem(row, name, raw, f"is not {valid}")
                continue
            target[key] = int(number)
        for p in check(answers, importance):
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
            problem(row, column, cell(values, column) or None, message)

        if not person or rnd is None:
            continue
        if (person, rnd.id) in seen:
            problem(
                row,
                "person",
                person,
                f"appears twice for round {rnd.name!r} (also row {seen[(person, rnd.id)]}): one row "
                "per person and round",
            )
            continue
        seen[(person, rnd.id)] = row
        if person in known and (known[person], rnd.id) in answered:
            problem(
                row,
                "person",
                person,
                f"already has a response in round {rnd.name!r} in the store (imported before?)",
            )
            continue
        if person not in known and person not in plan.new_people and gname in groups:
            plan.new_people[person] = {
                "cohort_id": cohort_id,
                "group_id": groups[gname].id,
                "external_ref": person,
                "display_name": None,
                **profile,
            }
        plan.rounds.setdefault(rnd.id, []).append((person, answers, importance))
        plan.round_names[rnd.id] = rnd.name

    if not body:
        problem(None, None, None, "the file has a header but no rows to import")
    if problems:
        raise InvalidImport(path, problems)
    plan.known_people = known
    refuse_unless_not_open([r for r in cohort.rounds if r.id in plan.rounds])
    return plan


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


def import_csv(
    store,
    path: str | Path,
    cohort_id: int,
    framework=None,
    *,
    round_name: str | None = None,
    group: str | None = None,
    progress: Callable[[str], Callable[[int, int], None]] | None = None,
) -> ImportResult:
    """Check the file (:func:`check_import`), then write it all in one transaction.

    Examples
    --------
    >>> import_csv(store, "data/import-example.csv", cohort_id, round_name="Baseline")  # doctest: +SKIP
    ImportResult(responses={'Baseline': 12}, people_added=12)
    """
    from kit.store._base import now

    plan = check_import(store, path, cohort_id, framework, round_name=round_name, group=group)
    fw = plan.framework

    def work(conn) -> ImportResult:
        refuse_unless_not_open(conn.execute(
            sa.select(t.rounds).where(t.rounds.c.id.in_(list(plan.rounds)))).all())
        stamp = now()
        refs = list(plan.new_people)
        rows = [{"created_at": stamp, **plan.new_people[ref]} for ref in refs]
        ids = _insert_people(
            conn, plan.cohort_id, plan.cohort_name, rows, {ref: n for n, ref in enumerate(refs)}
        )
        pid = {**plan.known_people, **dict(zip(refs, ids, strict=True))}
        written = {}
        for round_id, entries in plan.rounds.items():
            batch = [
                BulkResponse(pid[person], answers, importance, _key(round_id, person))
                for person, answers, importance in entries
            ]
            bar = progress(plan.round_names[round_id]) if progress else None
            written[plan.round_names[round_id]] = _insert_responses(
                conn, fw, round_id, batch, bar
            ).written
        store.record_membership_event(
            conn, plan.cohort_id, None, "import", len(refs),
            {"responses": written, "file": Path(path).name})
        return ImportResult(written, len(refs))

    return store._write(work, what="import the file")


def _key(round_id: int, person: str) -> str:
    digest = hashlib.sha256(person.encode()).hexdigest()[:32]
    return f"import-r{round_id}-{digest}"
