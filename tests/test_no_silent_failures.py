"""Only the expected failure is caught; anything else shows as what it is.

* A facilitator key is refused only when the store says the key is wrong: a busy or
  unreachable database is reported as that, never as "That key does not open a cohort".
* A health-check framework that exists but does not load is named on the dashboard instead
  of silently dropping its view; one that does not exist at all is simply optional.
* Settings report every bad ``KIT_*`` value at once, and no message shows a database password.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from kit.analysis.cohort import CohortData
from kit.apps.facilitator_model import AccessDenied, FacilitatorModel
from kit.config import ConfigError, get_settings, load_settings, mask_url
from kit.content import ContentError, Problem
from kit.content.loader import clear_cache
from kit.demo import seed_demo
from kit.store import Store, StoreBusy
from kit.store.errors import describe_database_error


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('silent') / 'kit.db'}")
    codes = seed_demo(store)
    yield store, codes
    store.close()


class _FailingKeyStore:
    """A store whose key look-up fails the way a busy or unreachable database does."""

    def __init__(self, store, exc):
        self._store, self._exc = store, exc

    def cohort_by_facilitator_key(self, key):
        raise self._exc

    def __getattr__(self, name):
        return getattr(self._store, name)


_DOWN = sa.exc.OperationalError(
    "SELECT 1", {}, Exception('connection to server at "db" failed: Connection refused')
)


@pytest.mark.parametrize("exc", [StoreBusy("The database was too busy to check it."), _DOWN],
                         ids=["busy", "down"])
def test_a_database_fault_is_not_reported_as_a_wrong_key(demo, exc):
    store, codes = demo
    model = FacilitatorModel()
    with pytest.raises(type(exc)):
        model.open_with_key(_FailingKeyStore(store, exc), codes.facilitator_key)
    assert not model.is_open


@pytest.mark.parametrize("exc", [StoreBusy("The database was too busy to check it."), _DOWN],
                         ids=["busy", "down"])
def test_the_dashboard_shows_a_database_fault_as_such(demo, exc):
    from kit.apps.facilitator import FacilitatorDashboard

    store, codes = demo
    app = FacilitatorDashboard(_FailingKeyStore(store, exc))
    app.key.value = codes.facilitator_key
    app._open_with_key()
    shown = app.messages.text
    assert "does not open a cohort" not in shown
    assert ("too busy" in shown) if isinstance(exc, StoreBusy) else ("database" in shown.lower())


def test_a_wrong_key_is_still_refused_as_a_wrong_key(demo):
    store, _ = demo
    for key in ("AAAA-BBBB-CCCC-DDDD", "not a key", "2222-3333-4444-5555"):
        with pytest.raises(AccessDenied, match="does not open a cohort"):
            FacilitatorModel().open_with_key(store, key)


@pytest.fixture
def content_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_CONTENT_PATH", str(tmp_path))
    get_settings.cache_clear()
    clear_cache()
    yield tmp_path
    monkeypatch.undo()
    get_settings.cache_clear()
    clear_cache()


def _broken_health_framework(folder, ident="team-health"):
    from kit import _paths

    text = (_paths.frameworks_dir() / "partnership-health-check.yaml").read_text(encoding="utf-8")
    text = text.replace("id: partnership-health-check", f"id: {ident}", 1)
    text = text.replace("lens: team", "lens: teem", 1)  # the trainer's typo
    path = folder / f"{ident}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_health_check_framework_is_named_not_dropped(demo, content_folder):
    store, codes = demo
    path = _broken_health_framework(content_folder)
    data = CohortData.from_store(store, codes.cohort_id, health_framework="team-health")
    assert data.health_framework is None
    assert len(data.content_problems) == 1
    problem = data.content_problems[0]
    assert "team-health" in problem and path.name in problem and "kit validate" in problem


def test_a_missing_health_check_framework_is_simply_optional(demo, content_folder):
    store, codes = demo
    data = CohortData.from_store(store, codes.cohort_id, health_framework="no-such-check")
    assert data.health_framework is None and data.content_problems == ()


def test_other_failures_while_loading_the_health_check_are_not_swallowed(demo, monkeypatch):
    store, codes = demo
    import kit.content

    collaboration = kit.content.load_framework("collaboration-behaviours")

    def broken(name):
        raise PermissionError(13, "Permission denied", f"{name}.yaml")

    monkeypatch.setattr(kit.content, "load_framework", broken)
    with pytest.raises(PermissionError):
        CohortData.from_store(store, codes.cohort_id, framework=collaboration)


def test_the_dashboard_says_why_the_health_view_is_missing(demo, monkeypatch):
    from kit.apps.facilitator import FacilitatorDashboard
    from kit.content import loader

    store, codes = demo
    real = loader.load_framework

    def health_broken(name):
        if name == "partnership-health-check":
            raise ContentError([Problem("partnership-health-check.yaml", 12, "lens", "teem",
                                        "must be one of 'self', 'team'")])
        return real(name)

    import kit.content

    monkeypatch.setattr(kit.content, "load_framework", health_broken)
    app = FacilitatorDashboard(store)
    app.key.value = codes.facilitator_key
    app._open_with_key()
    assert repr(app) == "<Facilitator dashboard: Demo cohort>"
    assert "health check is left out" in app.messages.text
    assert "partnership-health-check.yaml" in app.messages.text


# -- settings ----------------------------------------------------------------------------------
def test_every_bad_setting_is_reported_in_one_error(tmp_path):
    env = {
        "KIT_DATA_DIR": str(tmp_path / "a-file"),
        "KIT_DATABASE_URL": "postgresql+psycopg://kit:s3cr3t-pw@[::1:5432/kit",
        "KIT_MIN_GROUP_SIZE": "2",
        "KIT_MIN_COMMENT_SIZE": "many",
        "KIT_SPLIT_THRESHOLD": "-1",
        "KIT_CONTENT_PATH": str(tmp_path / "missing"),
        "KIT_RETENTION_DAYS": "0",
        "KIT_TODAY": "31/12/2026",
        "KIT_DEMO": "perhaps",
    }
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ConfigError) as exc:
        load_settings(env)
    named = [p.variable for p in exc.value.problems]
    assert sorted(named) == sorted(env)
    message = str(exc.value)
    for variable in env:
        assert variable in message
    assert "s3cr3t-pw" not in message and "kit:***@" in message


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://kit:pw-1@db.example.org:5432/kit",
        "postgresql://u:p%40ss@[::1:5432/x",
        "sqlite:///kit.db?password=no",  # no user:password part: unchanged
    ],
)
def test_mask_url_hides_only_the_password(url):
    masked = mask_url(url)
    if "@" in url.split("?")[0]:
        secret = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
        assert secret not in masked and ":***@" in masked
    else:
        assert masked == url


def test_database_errors_never_show_the_password():
    url = "postgresql+psycopg://kit:hunter2@127.0.0.1:1/kit"
    exc = sa.exc.OperationalError(
        "select", {}, Exception(f"could not connect using {url}: Connection refused")
    )
    text = describe_database_error(exc, url)
    assert "hunter2" not in text and "could not be used" in text


# -- a help that cannot be given is said, with what was lost ------------------------------------
class _ScoresFailStore:
    """A store whose score read fails the way a busy database does."""

    def __init__(self, store):
        self._store = store

    def participant_scores(self, *args, **kwargs):
        raise StoreBusy("The database was too busy to read the scores.")

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_the_journal_logs_why_it_suggests_nothing_and_still_opens(demo, caplog):
    import logging

    from kit.apps.identity import SignInModel
    from kit.apps.journal import JournalApp

    store, codes = demo
    visitor = SignInModel(store).resume(codes.resume_code)
    with caplog.at_level(logging.WARNING, logger="kit.apps"):
        app = JournalApp(_ScoresFailStore(store), visitor)
    assert app.model is not None and app.model.suggested_ids in ((), [], set(), frozenset())
    assert not any("suggested for you" in label for label, _ in app.choice.options)
    warned = [r for r in caplog.records if "suggests no exercises" in r.getMessage()]
    assert len(warned) == 1 and str(codes.participant_id) in warned[0].getMessage()
    assert warned[0].exc_info[0] is StoreBusy


def test_a_chart_whose_data_table_cannot_be_made_says_so_in_the_log(caplog):
    import logging

    from kit.charts._table import data_table_html

    class Broken:
        def to_dict(self):
            raise ValueError("not a valid spec")

    with caplog.at_level(logging.WARNING, logger="kit.charts._table"):
        assert data_table_html(Broken(), "Group profile") == ""
    warned = [r for r in caplog.records if "table of its data is not shown" in r.getMessage()]
    assert len(warned) == 1 and "Group profile" in warned[0].getMessage()
    assert warned[0].exc_info[0] is ValueError


def test_a_missing_command_module_is_named_and_the_others_still_work(monkeypatch, capsys):
    from kit.commands import main as cli

    monkeypatch.setattr(cli, "COMMAND_MODULES", ("kit.no_such_commands", *cli.COMMAND_MODULES))
    parser = cli.build_parser()
    err = capsys.readouterr().err
    assert "kit.no_such_commands" in err and "reinstall" in err
    assert parser.parse_args(["validate"]).command == "validate"
