"""The busy-machine harness (tests/cpu_burn.py): ``make test-busy`` relies on it to run the
suite several times in a row with every core kept busy, and to stop at the first failure."""

from __future__ import annotations

import os
import sys

import pytest
from cpu_burn import CpuBurner, burner_count, main


def test_burner_count_reads_the_setting():
    assert burner_count("") == 0 and burner_count(None) == 0
    assert burner_count("auto") == (os.cpu_count() or 2) == burner_count("0")
    assert burner_count("3") == 3
    for bad in ("many", "-1"):
        with pytest.raises(ValueError, match="cpu-burn"):
            burner_count(bad)


def test_burners_spin_while_inside_and_are_gone_after():
    with CpuBurner(2) as burner:
        assert len(burner.procs) == 2 and all(p.poll() is None for p in burner.procs)
        procs = list(burner.procs)
    assert all(p.poll() is not None for p in procs)


def test_runs_the_command_each_time_and_stops_at_the_first_failure(tmp_path, capsys):
    counter = tmp_path / "count"
    script = (f"import pathlib, sys; p = pathlib.Path({str(counter)!r}); "
              "n = int(p.read_text()) + 1 if p.exists() else 1; p.write_text(str(n)); "
              "sys.exit(3 if n == 2 else 0)")
    rc = main(["--burners", "1", "--runs", "3", "--", sys.executable, "-c", script])
    assert rc == 3 and counter.read_text() == "2"  # the third run never started
    out = capsys.readouterr().out
    assert "busy run 2 of 3: exit 3" in out and "busy run 3" not in out
    assert main(["--burners", "1", "--runs", "2", "--", sys.executable, "-c", "pass"]) == 0
