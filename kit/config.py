"""One settings object, read from ``KIT_*`` environment variables.

Every setting has a documented default. A bad value fails at start-up with a message that
names the variable, the value and the accepted form.

=====================  ==============================================  =========================
variable               meaning                                         default
=====================  ==============================================  =========================
KIT_DATA_DIR           folder for the database and exports              per-user data folder
KIT_DATABASE_URL       SQLAlchemy URL (``postgresql+psycopg://...``)   SQLite file in data folder
KIT_MIN_GROUP_SIZE     fewest people behind any score shown             5 (never below 3)
KIT_MIN_COMMENT_SIZE   fewest people before free text is shown          10 (never below the above)
KIT_SPLIT_THRESHOLD    standard deviation above which a dimension       1.0
                       is flagged "split"
KIT_CONTENT_PATH       extra folders of frameworks and exercises,      none
                       separated by ``os.pathsep``
KIT_FACILITATORS       JupyterHub user names allowed to open the        none
                       facilitator dashboard, comma-separated
KIT_RETENTION_DAYS     ``kit purge`` removes cohorts older than this    none (keep)
KIT_TODAY              pin "today" (YYYY-MM-DD) for demos and tests     the real date
KIT_DEMO               ``1`` makes notebooks run unattended on demo     0
                       data (used by nbval and ``make notebooks``)
KIT_SETUP_KEY          opens the facilitator set-up app (at least 12    none (``kit serve``
                       characters); keep it private                     makes one and prints it)
=====================  ==============================================  =========================
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ConfigError", "ConfigProblem", "Settings", "get_settings", "mask_url", "ENV_VARS"]

ENV_VARS = (
    "KIT_DATA_DIR",
    "KIT_DATABASE_URL",
    "KIT_MIN_GROUP_SIZE",
    "KIT_MIN_COMMENT_SIZE",
    "KIT_SPLIT_THRESHOLD",
    "KIT_CONTENT_PATH",
    "KIT_FACILITATORS",
    "KIT_RETENTION_DAYS",
    "KIT_TODAY",
    "KIT_DEMO",
    "KIT_SETUP_KEY",
)

#: Shortest set-up key accepted: anything shorter could be guessed.
MIN_SETUP_KEY = 12

ABSOLUTE_MIN_GROUP_SIZE = 3


#: ``scheme://user:password@`` in any text: the password part is hidden by :func:`mask_url`.
_PASSWORD_IN_URL = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):(?P<password>[^@\s]*)@")

#: Earliest and latest ``KIT_TODAY`` the kit accepts: dates outside this range would make
#: date arithmetic (retention, due dates, "days ago") overflow.
EARLIEST_TODAY = _dt.date(1970, 1, 1)
LATEST_TODAY = _dt.date(9000, 12, 31)


def mask_url(text: str) -> str:
    """``text`` with the password of any ``scheme://user:password@host`` URL replaced by ``***``.

    Works on URLs too malformed for SQLAlchemy to parse, so an error message about a bad URL
    never shows the password in it.

    Examples
    --------
    >>> mask_url("postgresql+psycopg://kit:s3cret@db.example.org:5432/kit")
    'postgresql+psycopg://kit:***@db.example.org:5432/kit'
    """
    return _PASSWORD_IN_URL.sub(lambda m: f"{m['head']}:***@", str(text))


@dataclass(frozen=True)
class ConfigProblem:
    """One ``KIT_*`` variable whose value the kit cannot use, and the form it accepts."""

    variable: str
    value: str
    accepted: str

    def __str__(self) -> str:
        return f"{self.variable}={mask_url(self.value)!r} is not valid: expected {self.accepted}."


class ConfigError(ValueError):
    """One or more ``KIT_*`` environment variables hold values the kit cannot use.

    ``problems`` lists every bad variable found, so they can all be fixed in one go;
    ``variable``, ``value`` and ``accepted`` describe the first. A database password in a
    value is never part of the message.
    """

    def __init__(self, variable: str | None = None, value: str = "", accepted: str = "", *,
                 problems: list[ConfigProblem] | None = None):
        if problems is None:
            problems = [ConfigProblem(variable or "", value, accepted)]
        if not problems:
            raise ValueError("ConfigError needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        self.variable = first.variable
        self.value = mask_url(first.value)
        self.accepted = first.accepted
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Settings:
    """The kit's settings. Build with :func:`get_settings`, or directly in tests."""

    data_dir: Path
    database_url: str
    min_group_size: int = 5
    min_comment_size: int = 10
    split_threshold: float = 1.0
    content_path: tuple[Path, ...] = ()
    facilitators: frozenset[str] = field(default_factory=frozenset)
    retention_days: int | None = None
    today: _dt.date = field(default_factory=_dt.date.today)
    demo: bool = False
    #: opens the facilitator set-up app; kept out of repr so it never lands in a log
    setup_key: str | None = field(default=None, repr=False)
    #: the address people's phones open the apps at (join links, QR codes), set once
    public_url: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _int(env, name: str, default: int, *, minimum: int, accepted: str, problems: list) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        problems.append(ConfigProblem(name, raw, accepted))
        return default
    if value < minimum:
        problems.append(ConfigProblem(name, raw, accepted))
        return default
    return value


def _default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("partnering-kit", appauthor=False))


_URL_ACCEPTED = (
    "a SQLAlchemy URL such as sqlite:////path/to/kit.db or "
    "postgresql+psycopg://user@host:5432/dbname"
)


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a database URL for the kit, or ``None`` when it can."""
    if "://" not in url or url.split("://", 1)[0].split("+")[0] not in {"sqlite", "postgresql"}:
        return _URL_ACCEPTED
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 - parsing the port is what fails for "[::1:5432"
    except ValueError:  # a port that is not a number, an unclosed "[" around a host
        return f"{_URL_ACCEPTED} (its host or port cannot be read)"
    except Exception:  # noqa: BLE001 - SQLAlchemy's ArgumentError: not a URL at all
        return f"{_URL_ACCEPTED} (it is not in the form scheme://user@host/name)"
    return None


def load_settings(env=None) -> Settings:
    """Read settings from ``env`` (default ``os.environ``).

    Every variable is checked before anything is reported, so one :class:`ConfigError`
    lists every bad value at once. Each setting has its reader in :data:`_READERS`, run in
    order (a reader may use the settings read before it).
    """
    env = os.environ if env is None else env
    problems: list[ConfigProblem] = []
    read: dict = {}
    for name, reader in _READERS:
        read[name] = reader(env, read, problems)
    if problems:
        raise ConfigError(problems=problems)
    return Settings(**read)


# -- one reader per setting: reader(env, settings read so far, problems) -> value ---------------
def _read_data_dir(env, read: dict, problems: list) -> Path:
    raw_dir = env.get("KIT_DATA_DIR", "").strip()
    data_dir = Path(raw_dir).expanduser() if raw_dir else _default_data_dir()
    if raw_dir and data_dir.exists() and not data_dir.is_dir():
        problems.append(ConfigProblem("KIT_DATA_DIR", raw_dir, "a folder, not a file"))
    return data_dir


def _read_database_url(env, read: dict, problems: list) -> str:
    url = env.get("KIT_DATABASE_URL", "").strip()
    if url:
        why = _url_problem(url)
        if why:
            problems.append(ConfigProblem("KIT_DATABASE_URL", url, why))
    else:
        url = f"sqlite:///{read['data_dir'] / 'kit.db'}"
    return url


def _read_min_group_size(env, read: dict, problems: list) -> int:
    return _int(
        env, "KIT_MIN_GROUP_SIZE", 5, minimum=ABSOLUTE_MIN_GROUP_SIZE,
        accepted=f"a whole number of people, {ABSOLUTE_MIN_GROUP_SIZE} or more", problems=problems,
    )


def _read_min_comment_size(env, read: dict, problems: list) -> int:
    min_group = read["min_group_size"]
    return _int(
        env, "KIT_MIN_COMMENT_SIZE", max(10, min_group), minimum=min_group,
        accepted=f"a whole number of people, at least KIT_MIN_GROUP_SIZE ({min_group})",
        problems=problems,
    )


def _read_split_threshold(env, read: dict, problems: list) -> float:
    raw_split = env.get("KIT_SPLIT_THRESHOLD", "").strip()
    split = 1.0
    if raw_split:
        try:
            split = float(raw_split)
        except ValueError:
            split = float("nan")  # reported just below, as any value out of range
        if not 0 < split < float("inf"):
            problems.append(
                ConfigProblem("KIT_SPLIT_THRESHOLD", raw_split, "a positive number such as 1.0")
            )
            split = 1.0
    return split


def _read_content_path(env, read: dict, problems: list) -> tuple[Path, ...]:
    content_path = tuple(
        Path(p).expanduser() for p in env.get("KIT_CONTENT_PATH", "").split(os.pathsep) if p.strip()
    )
    for p in content_path:
        if not p.is_dir():
            problems.append(ConfigProblem(
                "KIT_CONTENT_PATH", str(p), f"existing folders separated by {os.pathsep!r}"
            ))
    return content_path


def _read_facilitators(env, read: dict, problems: list) -> frozenset[str]:
    return frozenset(
        name.strip() for name in env.get("KIT_FACILITATORS", "").split(",") if name.strip()
    )


def _read_retention_days(env, read: dict, problems: list) -> int | None:
    if not env.get("KIT_RETENTION_DAYS", "").strip():
        return None
    return _int(
        env, "KIT_RETENTION_DAYS", 0, minimum=1, accepted="a whole number of days, 1 or more",
        problems=problems,
    ) or None


def _read_today(env, read: dict, problems: list) -> _dt.date:
    raw_today = env.get("KIT_TODAY", "").strip()
    today = _dt.date.today()
    if raw_today:
        accepted = (f"a date written YYYY-MM-DD, from {EARLIEST_TODAY.isoformat()} "
                    f"to {LATEST_TODAY.isoformat()}")
        try:
            pinned = _dt.date.fromisoformat(raw_today)
        except ValueError:
            problems.append(ConfigProblem("KIT_TODAY", raw_today, accepted))
        else:
            if EARLIEST_TODAY <= pinned <= LATEST_TODAY:
                today = pinned
            else:
                problems.append(ConfigProblem("KIT_TODAY", raw_today, accepted))
    return today


def _read_demo(env, read: dict, problems: list) -> bool:
    raw_demo = env.get("KIT_DEMO", "").strip().lower()
    if raw_demo not in {"", "0", "1", "true", "false", "yes", "no"}:
        problems.append(ConfigProblem("KIT_DEMO", raw_demo, "1 or 0"))
    return raw_demo in {"1", "true", "yes"}


def _read_setup_key(env, read: dict, problems: list) -> str | None:
    setup_key = env.get("KIT_SETUP_KEY", "").strip() or None
    if setup_key is not None and (len(setup_key) < MIN_SETUP_KEY or not setup_key.isprintable()):
        # never echo a secret back: say only how long it was
        problems.append(ConfigProblem("KIT_SETUP_KEY", f"<{len(setup_key)} characters>",
                                      f"at least {MIN_SETUP_KEY} printable characters (for "
                                      "example the one `kit serve` prints), or unset"))
    return setup_key


def _read_public_url(env, read: dict, problems: list) -> str | None:
    public_url = env.get("KIT_PUBLIC_URL", "").strip() or None
    if public_url is not None and not re.match(r"^https?://[^/\s]+(/\S*)?$", public_url):
        problems.append(ConfigProblem("KIT_PUBLIC_URL", public_url,
                                      "an address starting http:// or https://, such as "
                                      "https://kit.example.org/voila/render/"))
    return public_url


#: ``(Settings field, reader)`` in the order the variables are read and their problems listed.
_READERS = (
    ("data_dir", _read_data_dir),
    ("database_url", _read_database_url),
    ("min_group_size", _read_min_group_size),
    ("min_comment_size", _read_min_comment_size),
    ("split_threshold", _read_split_threshold),
    ("content_path", _read_content_path),
    ("facilitators", _read_facilitators),
    ("retention_days", _read_retention_days),
    ("today", _read_today),
    ("demo", _read_demo),
    ("setup_key", _read_setup_key),
    ("public_url", _read_public_url),
)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings for this process, read once. Call ``get_settings.cache_clear()`` to re-read."""
    return load_settings()
