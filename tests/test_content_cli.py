"""``kit validate``: output and exit codes, called through ``kit.commands.main.main``."""

from __future__ import annotations

from pathlib import Path

from kit.commands.main import main

CASES = Path(__file__).parent / "content_cases"

GOOD = """\
schema_version: 1
id: quick-check
title: Quick check
model: driscoll
purpose: A quick look back.
minutes: 5
dimensions: [getting-to-know-people]
steps:
  - {id: what, stage: what, prompt: What happened?}
  - {id: so-what, stage: so-what, prompt: So what?}
  - {id: now-what, stage: now-what, prompt: Now what?}
facilitator_notes: For tests.
"""


def test_validate_shipped_content_passes(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out
    assert "files checked" in out


def test_validate_good_folder_passes(tmp_path, capsys):
    (tmp_path / "quick-check.yaml").write_text(GOOD)
    assert main(["validate", str(tmp_path)]) == 0
    assert "All good: 1 file checked" in capsys.readouterr().out


def test_validate_broken_files_fails_and_lists_every_problem(capsys):
    files = [CASES / "band-outside-scale.yaml", CASES / "unknown-key-typo.yaml"]
    assert main(["validate", *map(str, files)]) == 1
    out = capsys.readouterr().out
    assert f"{files[0]}:18: bands[0].min ('high'): band cut-off 6 is outside the scale 1-5" in out
    assert f"{files[1]}:4: titel: unknown key 'titel'; did you mean 'title'?" in out
    assert "2 problems in 2 files (2 files checked)." in out


def test_validate_whole_corpus_fails(capsys):
    assert main(["validate", str(CASES)]) == 1
    out = capsys.readouterr().out
    assert out.count("content_cases/") >= 32


def test_validate_missing_path_fails(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file or folder" in capsys.readouterr().out
