"""The personal report: standalone, offline, escaped; and the ``kit report`` command."""

from __future__ import annotations

import re

import pytest
from test_apps_support import XSS, world_in

from kit.report import personal_report_html


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)



def test_report_is_standalone_and_offline(world):
    page = personal_report_html(world.store, world.pid, today=world.today)
    assert page.startswith("<!DOCTYPE html>")
    # no script, stylesheet or image fetched from anywhere
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=['\"]?https?:", page)
    assert not re.search(r"<img[^>]+src=['\"]?https?:", page)
    assert "vegaEmbed(" in page and page.count("<figure") >= 3  # profile, importance, change
    assert "From Baseline to Midpoint" in page


def test_report_holds_chosen_work_escaped(world):
    page = personal_report_html(world.store, world.pid, today=world.today)
    assert XSS not in page
    assert "I felt &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Visit the hub &lt;script&gt;" in page and "Overdue" in page
    assert "Ann\u2019s partnering report" in page


def test_report_leaves_out_entries_not_chosen(world):
    from kit.content import load_exercises

    ex = load_exercises()[0]
    world.store.save_reflection(world.pid, ex.id, {ex.steps[0].id: "keep me private"},
                                finished=True, include_in_report=False)
    assert "keep me private" not in personal_report_html(world.store, world.pid)


def test_cli_writes_a_personal_report(world, tmp_path, capsys):
    from kit.commands.main import main

    out = tmp_path / "me.html"
    url = world.store.url
    code = main(["report", "--participant", world.visitor.resume_code, "--database", url, str(out)])
    assert code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", "--participant", "AAAA-BBBB-CCCC-DDDD", "--database", url,
                 str(tmp_path / "x.html")]) == 1
    assert main(["report", "--participant", "X", str(tmp_path / "x.docx")]) == 2
    assert "valid formats: .html, .pdf" in capsys.readouterr().err
