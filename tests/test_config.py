from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kit.config import ConfigError, get_settings, load_settings


def test_defaults(tmp_path):
    s = load_settings({"KIT_DATA_DIR": str(tmp_path)})
    assert s.data_dir == tmp_path
    assert s.database_url == f"sqlite:///{tmp_path / 'kit.db'}"
    assert s.min_group_size == 5 and s.min_comment_size == 10
    assert s.split_threshold == 1.0 and s.content_path == () and not s.demo
    assert s.today == dt.date.today()
    assert s.is_sqlite


def test_default_data_dir_is_per_user():
    s = load_settings({})
    assert "partnering-kit" in str(s.data_dir)


def test_values_are_read(tmp_path):
    s = load_settings({
        "KIT_DATA_DIR": str(tmp_path), "KIT_DATABASE_URL": "postgresql+psycopg://u@h:5432/db",
        "KIT_MIN_GROUP_SIZE": "7", "KIT_MIN_COMMENT_SIZE": "12", "KIT_SPLIT_THRESHOLD": "1.25",
        "KIT_CONTENT_PATH": f"{tmp_path}{os.pathsep}{tmp_path}", "KIT_FACILITATORS": "ann, bo ,",
        "KIT_RETENTION_DAYS": "365", "KIT_TODAY": "2026-01-31", "KIT_DEMO": "1",
    })
    assert s.database_url.startswith("postgresql") and not s.is_sqlite
    assert (s.min_group_size, s.min_comment_size, s.split_threshold) == (7, 12, 1.25)
    assert s.content_path == (tmp_path, tmp_path)
    assert s.facilitators == frozenset({"ann", "bo"})
    assert s.retention_days == 365 and s.today == dt.date(2026, 1, 31) and s.demo


def test_comment_minimum_follows_a_larger_group_minimum():
    assert load_settings({"KIT_MIN_GROUP_SIZE": "12"}).min_comment_size == 12


@pytest.mark.parametrize(
    ("var", "value", "fragment"),
    [
        ("KIT_MIN_GROUP_SIZE", "2", "3 or more"),
        ("KIT_MIN_GROUP_SIZE", "five", "whole number"),
        ("KIT_MIN_COMMENT_SIZE", "4", "at least KIT_MIN_GROUP_SIZE"),
        ("KIT_SPLIT_THRESHOLD", "-1", "positive number"),
        ("KIT_SPLIT_THRESHOLD", "wide", "positive number"),
        ("KIT_DATABASE_URL", "mysql://x", "SQLAlchemy URL"),
        ("KIT_DATABASE_URL", "kit.db", "SQLAlchemy URL"),
        ("KIT_CONTENT_PATH", "/no/such/folder", "existing folders"),
        ("KIT_RETENTION_DAYS", "0", "1 or more"),
        ("KIT_TODAY", "02/03/2026", "YYYY-MM-DD"),
        ("KIT_DEMO", "maybe", "1 or 0"),
    ],
)
def test_bad_values_name_the_variable_and_the_accepted_form(var, value, fragment):
    with pytest.raises(ConfigError) as exc:
        load_settings({var: value})
    message = str(exc.value)
    assert message.startswith(f"{var}=") and value in message and fragment in message
    assert exc.value.variable == var


def test_get_settings_is_cached_and_refreshable(monkeypatch, tmp_path):
    monkeypatch.setenv("KIT_MIN_GROUP_SIZE", "6")
    get_settings.cache_clear()
    try:
        assert get_settings() is get_settings()
        assert get_settings().min_group_size == 6
    finally:
        monkeypatch.delenv("KIT_MIN_GROUP_SIZE")
        get_settings.cache_clear()


def test_cli_reports_bad_configuration(monkeypatch, capsys):
    from kit.commands.main import main

    monkeypatch.setenv("KIT_MIN_GROUP_SIZE", "1")
    get_settings.cache_clear()
    try:
        def boom(args):
            get_settings()

        import argparse

        from kit.commands import main as cli

        parser = cli.build_parser()
        ns = argparse.Namespace(func=boom)
        monkeypatch.setattr(cli, "build_parser", lambda: type("P", (), {"parse_args": lambda self, a: ns})())
        assert main([]) == 2
        assert "KIT_MIN_GROUP_SIZE" in capsys.readouterr().err
        assert parser is not None
    finally:
        monkeypatch.delenv("KIT_MIN_GROUP_SIZE")
        get_settings.cache_clear()


def test_data_dir_path_expands_user(monkeypatch):
    s = load_settings({"KIT_DATA_DIR": "~/kitdata"})
    assert s.data_dir == Path("~/kitdata").expanduser()
