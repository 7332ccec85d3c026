"""``kit._supervise``: what ``kit serve`` becomes while Voila runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from kit import _supervise


def test_usage_is_explained(capsys):
    assert _supervise.main(["only-one"]) == 2
    assert "usage: python -m kit._supervise" in capsys.readouterr().err


def test_exit_status_is_passed_on_and_the_folder_removed(tmp_path):
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "voila.json").write_text("{}")
    code = _supervise.main([str(folder), str(tmp_path), "--",
                            sys.executable, "-c", "import sys; sys.exit(3)"])
    assert code == 3
    assert not folder.exists()


def test_the_child_runs_in_the_working_folder(tmp_path):
    code = _supervise.main(["-", str(tmp_path), "--", sys.executable, "-c",
                            f"import os, sys; sys.exit(0 if os.getcwd() == {str(tmp_path)!r} "
                            "else 1)"])
    assert code == 0


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_ctrl_c_stops_the_child_cleanly_and_counts_as_success(tmp_path):
    started = tmp_path / "started"
    child = (
        "import pathlib, signal, sys, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        f"pathlib.Path({str(started)!r}).write_text('yes')\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-m", "kit._supervise", str(tmp_path / "gone"),
                             str(tmp_path), "--", sys.executable, "-c", child],
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert time.monotonic() < deadline and proc.poll() is None, "child never started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0  # the child ended by SIGTERM: a clean stop
        assert b"Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_the_supervisor_imports_only_the_standard_library():
    out = subprocess.run(
        [sys.executable, "-c",
         "import sys; import kit._supervise; "
         "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
         "{'altair', 'voila', 'pandas', 'vl_convert', 'tornado', 'sqlalchemy', 'numpy'})))"],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == ""
