"""A quiet start: the kit's notebooks are trusted, and JupyterLab does not ask about news."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kit import _paths
from kit.voila._trust import trust_kit_notebooks

ROOT = Path(__file__).resolve().parents[1]


def test_kit_notebooks_are_signed_so_voila_trusts_them(tmp_path, monkeypatch):
    import nbformat
    from nbformat.sign import NotebookNotary

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    notebooks = sorted(Path(_paths.notebooks_dir()).glob("*.ipynb"))
    assert notebooks
    before = [NotebookNotary().check_signature(nbformat.read(p, as_version=4)) for p in notebooks]
    assert not all(before)  # a fresh Jupyter data folder trusts nothing yet
    assert trust_kit_notebooks(_paths.notebooks_dir()) == len(notebooks)
    notary = NotebookNotary()
    assert all(notary.check_signature(nbformat.read(p, as_version=4)) for p in notebooks)


def test_other_notebooks_and_edited_copies_are_not_signed(tmp_path, monkeypatch):
    import shutil

    import nbformat
    from nbformat.sign import NotebookNotary

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    folder = tmp_path / "served"
    folder.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), folder / "theirs.ipynb")
    assert trust_kit_notebooks(folder) == 0
    assert not (tmp_path / "jupyter" / "nbsignatures.db").exists()
    shipped = sorted(Path(_paths.notebooks_dir()).glob("*.ipynb"))[:2]
    shutil.copy(shipped[0], folder / shipped[0].name)  # an unchanged copy: the kit's own
    edited = nbformat.read(shipped[1], as_version=4)
    edited.cells.append(nbformat.v4.new_code_cell("print('mine')"))
    nbformat.write(edited, folder / shipped[1].name)
    assert trust_kit_notebooks(folder) == 1
    notary = NotebookNotary()
    assert notary.check_signature(nbformat.read(folder / shipped[0].name, as_version=4))
    assert not notary.check_signature(nbformat.read(folder / shipped[1].name, as_version=4))


def test_the_lab_config_turns_news_and_update_checks_off():
    config = json.loads((ROOT / "jupyter-config" / "jupyter_lab_config.json").read_text())
    assert config["LabApp"]["news_url"] is None
    assert config["LabApp"]["check_for_updates_class"].endswith("NeverCheckForUpdate")
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"jupyter-config/jupyter_lab_config.json" = "etc/jupyter/jupyter_lab_config.json"' \
        in pyproject


def test_jupyterlab_does_not_ask_about_news(tmp_path):
    """JupyterLab, started as a trainer would, tells its page that news is switched off."""
    installed = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_lab_config.json"
    if not installed.exists():
        pytest.skip("the kit is not installed in this environment (pip install -e .)")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=quiet", "--ServerApp.port_retries=0",
         str(_paths.notebooks_dir())],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        page = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=quiet",
                                            timeout=10) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("JupyterLab stopped before answering")
                time.sleep(0.5)
        assert page is not None, "JupyterLab did not answer"
        assert '"news": {"disabled": true}' in page
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _wait_for_line(log: Path, proc: subprocess.Popen, text: str, timeout: float = 300) -> str:
    """Poll the server's log until ``text`` appears; fail with the log if it stops first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = log.read_text(encoding="utf-8", errors="replace")
        if text in output:
            return output
        if proc.poll() is not None:
            pytest.fail(f"kit serve exited with {proc.returncode} before {text!r}:\n{output}")
        time.sleep(0.2)
    pytest.fail(f"kit serve did not print {text!r} within {timeout}s:\n{log.read_text()}")


@pytest.mark.skipif(os.name != "posix", reason="Ctrl+C is a signal to the process group")
def test_kit_serve_starts_and_stops_with_ctrl_c_quietly(tmp_path):
    """The console shows the address and nothing that looks like a fault, from start to a
    Ctrl+C that reaches the whole process group (as in a terminal), with a pooled kernel
    waiting for its visitor at that moment."""
    import signal
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "KIT_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_DATA_DIR": str(tmp_path / "jupyter"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    env.pop("PYTHONWARNINGS", None)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kit.commands.main", "serve", "--port", str(port), "--pool-size", "0",
             "--pool", "00_start_here.ipynb=1"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
    try:
        _wait_for_line(log, proc, f"http://127.0.0.1:{port}/")
        _wait_for_line(log, proc, "is ready for its visitor")
        # Once Voila runs, kit serve has become the small supervisor: it no longer holds the
        # libraries it loaded to check the patches and write the chart bundle.
        import psutil

        supervisor = psutil.Process(proc.pid)
        assert "kit._supervise" in supervisor.cmdline(), supervisor.cmdline()
        assert supervisor.memory_info().rss < 60 * 1024 * 1024, supervisor.memory_info()
        # The landing page lists the apps (the catalogue reached Voila through voila.json),
        # gzipped (the fenced network patches are installed).
        import gzip

        request = urllib.request.Request(f"http://127.0.0.1:{port}/",
                                         headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.headers.get("Content-Encoding") == "gzip"
            assert "Start here" in gzip.decompress(response.read()).decode("utf-8")
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl+C in a terminal
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    output = log.read_text(encoding="utf-8", errors="replace")
    for fault in ("Warning", "Traceback", "not trusted", "Error"):
        assert fault not in output, output
    assert "Kernel shutdown" in output  # the pooled kernel was stopped, not left behind
