"""kit.voila._forking: kernels started as forks of a warm template, and every way that can go
wrong (the template crashes, a fork fails, a kernel is culled or killed, the server dies).

Real kernels through jupyter_client's own ``AsyncKernelManager`` and the kit's kernel spec
(``kit/voila/jupyter/kernels/python3``), as Voila starts them. Linux only.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking kernels is Linux only"),
]

from kit.commands.kernel_template import fork_problem  # noqa: E402
from kit.voila import _forking, jupyter_data_root  # noqa: E402


def wait_until(condition, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def gone(pid: int) -> bool:
    """The process has ended and been reaped (no zombie left)."""
    return not Path(f"/proc/{pid}").exists()


@pytest.fixture(scope="module", autouse=True)
def kit_spec(tmp_path_factory):
    """The kit's kernel spec first on JUPYTER_PATH; every template stopped afterwards."""
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(jupyter_data_root())
    os.environ.pop(_forking.SWITCH_ENV, None)
    yield
    _forking.stop_templates()
    if saved is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = saved


class Kernel:
    """A started kernel with a client: ``run(code)`` returns what the code printed."""

    def __init__(self, km, kc):
        self.km, self.kc = km, kc

    @property
    def provisioner(self):
        return self.km.provisioner

    @property
    def pid(self) -> int:
        return self.km.provisioner.pid

    async def run(self, code: str, timeout: float = 60) -> str:
        out: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("ERROR " + msg["content"]["ename"])

        await self.kc.execute_interactive(code, timeout=timeout, output_hook=hook)
        return "".join(out).strip()

    async def stop(self, now: bool = False):
        self.kc.stop_channels()
        await self.km.shutdown_kernel(now=now)


async def start(tmp_path, name: str, env: dict | None = None) -> Kernel:
    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(kernel_name="python3", transport="ipc")
    km.connection_file = str(tmp_path / f"{name}.json")
    await km.start_kernel(env={**os.environ, **(env or {})}, cwd=str(tmp_path))
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=180)
    return Kernel(km, kc)


def template_pid() -> int:
    [template] = _forking._templates.values()
    return template.process.pid


def test_the_kit_spec_names_the_provisioner_and_it_is_installed():
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.provisioning import KernelProvisionerFactory

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert Path(spec.resource_dir).resolve() == (jupyter_data_root() / "kernels" / "python3").resolve()
    name = spec.metadata["kernel_provisioner"]["provisioner_name"]
    assert name == _forking.PROVISIONER_NAME
    assert KernelProvisionerFactory.instance().is_provisioner_available(spec)


def test_reasons_not_to_fork():
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"]
    assert _forking.fork_unavailable(cmd, {}, "linux") is None
    assert "Linux" in _forking.fork_unavailable(cmd, {}, "darwin")
    for off in ("0", "false", "No", "off"):
        assert "turned off" in _forking.fork_unavailable(cmd, {_forking.SWITCH_ENV: off}, "linux")
    other = ["/usr/bin/R", "--slave", "-e", "IRkernel::main()"]
    assert "not ipykernel" in _forking.fork_unavailable(other, {}, "linux")


def test_fork_refused_while_another_thread_runs():
    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="busy-helper")
    thread.start()
    try:
        assert "busy-helper" in fork_problem()
    finally:
        release.set()
        thread.join()


def test_kernels_are_forks_that_share_nothing_of_each_other(tmp_path):
    """Two kernels forked from one template: each its own process group, seeds, settings and
    module state; no thread beyond its own, no database connection or file inherited."""

    async def scenario():
        a = await start(tmp_path, "a", {"KIT_DATA_DIR": str(tmp_path / "a-data")})
        b = None
        try:
            assert a.provisioner.forked
            assert isinstance(a.provisioner.process, _forking.ForkedProcess)
            info_a = json.loads(await a.run(textwrap.dedent("""
                import json, os, random, sys
                import numpy as np
                import kit
                from kit.config import get_settings
                kit._visitor_secret = "Alice's answers"
                sys.modules["__main__"].__dict__["secret"] = 42
                print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(),
                                  "pgid": os.getpgid(0), "r": random.random(),
                                  "np": float(np.random.random()),
                                  "data": str(get_settings().data_dir)}))
            """)))
            assert info_a["ppid"] == template_pid()
            assert info_a["pgid"] == info_a["pid"] == a.pid
            assert info_a["data"] == str(tmp_path / "a-data")

            b = await start(tmp_path, "b", {"KIT_DATA_DIR": str(tmp_path / "b-data")})
            assert b.provisioner.forked
            info_b = json.loads(await b.run(textwrap.dedent("""
                import json, os, random
                import numpy as np
                import psutil
                import kit
                from kit.config import get_settings
                me = psutil.Process()
                print(json.dumps({
                    "pid": os.getpid(), "r": random.random(), "np": float(np.random.random()),
                    "leak": hasattr(kit, "_visitor_secret") or "secret" in globals(),
                    "data": str(get_settings().data_dir),
                    # connections to somewhere (a database); ipykernel's own listener aside
                    "inet": [str(c) for c in me.net_connections("inet") if c.raddr],
                    "files": [f.path for f in me.open_files()],
                    "preheat_handler": "kit.voila" in __import__("sys").modules,
                }))
            """)))
            assert info_b["pid"] != info_a["pid"]
            assert info_b["leak"] is False
            assert info_b["data"] == str(tmp_path / "b-data")
            assert (info_b["r"], info_b["np"]) != (info_a["r"], info_a["np"])
            assert info_b["inet"] == []  # no database (or any network) connection inherited
            # the kernel's own files only (IPython's history); a database file of the kit's
            # would be a connection inherited or opened before a visitor arrived
            assert not [f for f in info_b["files"] if "history.sqlite" not in f]
            # and the template, which every kernel copies, holds no file or connection at all
            import psutil

            template = psutil.Process(template_pid())
            assert template.open_files() == []
            assert template.net_connections("inet") == []
            assert template.num_threads() == 1
        finally:
            await a.stop()
            if b is not None:
                await b.stop()

    asyncio.run(scenario())


def test_an_interrupt_reaches_a_forked_kernel(tmp_path):
    async def scenario():
        k = await start(tmp_path, "int")
        try:
            assert k.provisioner.forked
            running = asyncio.ensure_future(k.run("import time; time.sleep(60)", timeout=120))
            await asyncio.sleep(1.0)  # let the cell start; the interrupt must then end it
            started = time.monotonic()
            await k.km.interrupt_kernel()
            assert await running == "ERROR KeyboardInterrupt"
            assert time.monotonic() - started < 30
            assert await k.run("print(1 + 1)") == "2"
        finally:
            await k.stop()

    asyncio.run(scenario())


def test_shutdown_and_cull_leave_no_process_or_zombie(tmp_path):
    """A polite shutdown (the culler's) and an immediate one both end and reap the kernel."""

    async def scenario():
        for now in (False, True):
            k = await start(tmp_path, f"cull-{now}")
            pid = k.pid
            assert k.provisioner.forked
            await k.stop(now=now)
            assert not k.km.has_kernel
            wait_until(lambda pid=pid: gone(pid), what=f"kernel {pid} reaped")

    asyncio.run(scenario())


def test_a_kernel_killed_from_outside_is_seen_dead(tmp_path):
    async def scenario():
        k = await start(tmp_path, "killed")
        pid = k.pid
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while await k.km.is_alive():
            assert time.monotonic() < deadline, "the provisioner never saw the kernel die"
            await asyncio.sleep(0.05)
        assert await k.provisioner.poll() == -signal.SIGKILL
        await k.stop(now=True)
        wait_until(lambda: gone(pid), what="the killed kernel reaped")

    asyncio.run(scenario())


def test_template_crash_kernels_live_on_and_the_next_one_still_starts(tmp_path, caplog):
    async def scenario():
        a = await start(tmp_path, "before-crash")
        assert a.provisioner.forked
        [template] = _forking._templates.values()
        old = template.process.pid
        os.kill(old, signal.SIGKILL)
        wait_until(lambda: template.process.poll() is not None, what="the template to die")
        # the visitor's kernel carries on without its template
        assert await a.run("print('still here')") == "still here"
        b = await start(tmp_path, "after-crash")
        try:
            assert b.provisioner.forked  # by fork again, from a new template
            assert template_pid() != old
            assert await b.run("print(2 * 3)") == "6"
        finally:
            pid_a = a.pid
            await a.stop()
            await b.stop()
        # the orphaned kernel was reaped here (this process is its subreaper): no zombie
        wait_until(lambda: gone(pid_a), what="the orphaned kernel reaped")

    with caplog.at_level("WARNING"):
        asyncio.run(scenario())
    assert any("ended with code -9" in r.getMessage() for r in caplog.records)


def test_a_failed_fork_falls_back_to_a_new_process(tmp_path, monkeypatch, caplog):
    async def refuse(self, cmd, env, cwd):
        raise _forking.TemplateError("fork failed: [Errno 12] Cannot allocate memory")

    monkeypatch.setattr(_forking.Template, "fork", refuse)

    async def scenario():
        k = await start(tmp_path, "fallback")
        try:
            assert not k.provisioner.forked
            assert isinstance(k.provisioner.process, subprocess.Popen)
            assert await k.run("print('spawned')") == "spawned"
        finally:
            await k.stop()

    with caplog.at_level("INFO"):
        asyncio.run(scenario())
    assert any("Cannot allocate memory" in r.getMessage() for r in caplog.records)


def test_a_template_that_cannot_start_falls_back(tmp_path, monkeypatch, caplog):
    _forking.stop_templates()
    broken = [sys.executable, "-c", "import sys; sys.exit(5)"]
    original = subprocess.Popen

    def popen(args, **kwargs):
        if "kit.commands.kernel_template" in args:
            args = broken
        return original(args, **kwargs)

    monkeypatch.setattr(_forking.subprocess, "Popen", popen)

    async def scenario():
        k = await start(tmp_path, "no-template")
        try:
            assert not k.provisioner.forked
            assert await k.run("print('ok')") == "ok"
        finally:
            await k.stop()

    with caplog.at_level("INFO"):
        asyncio.run(scenario())
    assert any("ended while starting (code 5)" in r.getMessage() for r in caplog.records)
    _forking.stop_templates()


def test_turned_off_starts_new_processes(tmp_path, monkeypatch):
    monkeypatch.setenv(_forking.SWITCH_ENV, "0")

    async def scenario():
        k = await start(tmp_path, "off")
        try:
            assert not k.provisioner.forked
            assert await k.run("print('spawned')") == "spawned"
        finally:
            await k.stop()

    asyncio.run(scenario())


SERVER = """
import asyncio, json, os, sys
os.environ["JUPYTER_PATH"] = sys.argv[2]
from jupyter_client.manager import AsyncKernelManager
from kit.voila import _forking

async def main():
    km = AsyncKernelManager(kernel_name="python3", transport="ipc")
    km.connection_file = sys.argv[1]
    await km.start_kernel()
    kc = km.client(); kc.start_channels()
    await kc.wait_for_ready(timeout=180)
    [t] = _forking._templates.values()
    print(json.dumps({"kernel": km.provisioner.pid, "forked": km.provisioner.forked,
                      "template": t.process.pid}), flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


def test_a_server_that_dies_takes_its_template_and_kernels_with_it(tmp_path):
    """A server killed mid-session leaves nothing running; a new server starts kernels."""
    for run in range(2):
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(tmp_path / f"server{run}.json"),
             str(jupyter_data_root())],
            stdout=subprocess.PIPE, text=True,
        )
        try:
            line = server.stdout.readline()
            assert line, "the server printed nothing"
            pids = json.loads(line)
            assert pids["forked"]
        finally:
            server.kill()
            server.wait()
        # Both end; whoever inherits them reaps them (this test process, when an earlier test
        # made it a subreaper, so it reaps them here).
        for role in ("template", "kernel"):
            wait_until(lambda pid=pids[role]: ended(pid), what=f"the {role} to end with its server")


def ended(pid: int) -> bool:
    """``pid`` has exited: gone, or a zombie (reaped here if it is this process's child)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] == "Z"
    except OSError:
        return True


def test_a_forked_kernel_is_set_up_like_a_new_one(tmp_path, monkeypatch):
    """What libraries do on import only inside a kernel (ipywidgets registering its comm
    targets, the kit arming its pooled-kernel interrupt handler) is done in a fork too."""
    probe = textwrap.dedent("""
        import json, ipywidgets, kit.voila
        from comm import get_comm_manager
        shell = get_ipython()
        print(json.dumps({
            "targets": sorted(get_comm_manager().targets),
            "pre_run_cell": len(shell.events.callbacks["pre_run_cell"]),
        }))
    """)

    async def scenario():
        env = {"VOILA_PREHEAT": "True"}
        forked = await start(tmp_path, "fork-probe", env)
        try:
            assert forked.provisioner.forked
            got_fork = json.loads(await forked.run(probe))
        finally:
            await forked.stop()
        monkeypatch.setenv(_forking.SWITCH_ENV, "0")
        spawned = await start(tmp_path, "spawn-probe", env)
        try:
            assert not spawned.provisioner.forked
            got_spawn = json.loads(await spawned.run(probe))
        finally:
            await spawned.stop()
        return got_fork, got_spawn

    got_fork, got_spawn = asyncio.run(scenario())
    assert {"jupyter.widget", "jupyter.widget.control"} <= set(got_fork["targets"])
    assert got_fork == got_spawn


def test_a_kernel_is_followed_on_a_file_descriptor_above_1024(tmp_path):
    """A server with many kernels and visitors holds more than 1024 file descriptors; the
    provisioner must still see its kernels (select() cannot watch those, poll() can)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this system allows only {hard} open files")
    if soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1200, hard))
    filler = []
    try:
        while True:  # occupy descriptors until the next one is above 1024
            fd = os.open(os.devnull, os.O_RDONLY)
            filler.append(fd)
            if fd > 1030:
                break

        async def scenario():
            k = await start(tmp_path, "high-fd")
            try:
                assert k.provisioner.forked
                assert k.provisioner.process.pidfd > 1024
                assert await k.km.is_alive()
                assert await k.run("print('seen')") == "seen"
            finally:
                await k.stop()

        asyncio.run(scenario())
    finally:
        for fd in filler:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_kernel_that_keeps_growing_is_stopped_and_the_next_one_works(tmp_path, monkeypatch,
                                                                       caplog):
    """A leak over a long session (here: one cell holding 400 MB) cannot take the server's
    memory: the kernel is stopped with the figures in the log; a new kernel still starts."""
    import logging

    from kit.voila import _memory_guard

    monkeypatch.setenv(_memory_guard.LIMIT_ENV, "250")
    monkeypatch.setenv(_memory_guard.INTERVAL_ENV, "0.2")
    caplog.set_level(logging.WARNING)

    async def scenario():
        k = await start(tmp_path, "grows")
        pid = k.pid
        try:
            assert k.provisioner.forked
            assert await k.run("print('small')") == "small"
            running = asyncio.ensure_future(
                k.run("held = b'x' * (400 * 1024 * 1024); import time; time.sleep(120)",
                      timeout=150))
            deadline = time.monotonic() + 60
            while await k.provisioner.poll() is None:
                assert time.monotonic() < deadline, "the growing kernel was never stopped"
                await asyncio.sleep(0.05)
            running.cancel()
        finally:
            await k.stop(now=True)
        wait_until(lambda: gone(pid), what="the stopped kernel reaped")
        assert any("over the limit of 250 MB" in r.getMessage() and str(pid) in r.getMessage()
                   for r in caplog.records)
        again = await start(tmp_path, "after-growth")
        try:
            assert await again.run("print(6 * 7)") == "42"
        finally:
            await again.stop()

    asyncio.run(scenario())


def test_memory_settings_read_and_refuse_nonsense():
    from kit.voila._memory_guard import DEFAULT_LIMIT_MB, LIMIT_ENV, limits, private_mb

    assert limits({}) == (DEFAULT_LIMIT_MB, 30.0)
    assert limits({LIMIT_ENV: "0"})[0] is None
    with pytest.raises(ValueError, match="KIT_KERNEL_MEMORY_MB='lots' is not a number"):
        limits({LIMIT_ENV: "lots"})
    with pytest.raises(ValueError, match="use 0 to turn the check off"):
        limits({LIMIT_ENV: "-1"})
    assert private_mb(os.getpid()) > 1
    assert private_mb(2**22 + 12345) is None
