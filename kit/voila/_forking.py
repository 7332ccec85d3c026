"""Kernels forked from a warm template: each visitor costs megabytes, not a fresh Python.

A kit kernel spends about a second of CPU and 140 MB of its memory importing the same
libraries as every other kernel (ipykernel, numpy, pandas, SQLAlchemy, Altair's schema
classes, the kit's apps). :class:`ForkingProvisioner` is a jupyter_client kernel provisioner
(named by the kit's kernel spec, ``kit/voila/jupyter/kernels/python3/kernel.json``, so it
applies under ``kit serve``, its preheated pools and JupyterHub alike) that keeps one
template process per kernel spec (:mod:`kit.commands.kernel_template`) with all of that imported and
frozen, and starts each kernel as a ``fork()`` of it. The imported pages are then shared
copy-on-write between all kernels.

The template's kernels are not this process's children, so the provisioner follows each one
by a pid file descriptor (``os.pidfd_open``, which cannot be fooled by a reused pid), signals
its process group with ``os.killpg``, and asks the template (which reaps it) for its exit
status. This process is made a "child subreaper" (Linux ``prctl``), so when a template
crashes its kernels become children of this process, which reaps them: no zombies.

Kernels are started the normal way (a new Python, as ``LocalProvisioner`` does) with the
reason in the log when forking is unavailable: not Linux, turned off (``kit serve --no-fork``
sets :data:`SWITCH_ENV` to ``0``), a kernel command that is not ipykernel's, or a template
that failed to start or to fork. A template that has died is started again for the next
kernel.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

__all__ = [
    "PROVISIONER_NAME",
    "SWITCH_ENV",
    "ForkedProcess",
    "ForkingProvisioner",
    "Template",
    "TemplateError",
    "fork_unavailable",
    "forking_enabled",
    "stop_templates",
]

#: The entry point name (group ``jupyter_client.kernel_provisioners``) in pyproject.toml and
#: in the kit's kernel spec.
PROVISIONER_NAME = "kit-forking-provisioner"

#: ``0`` (or ``false``, ``no``, ``off``) in the server's environment turns forking off.
SWITCH_ENV = "KIT_FORK_KERNELS"

#: Seconds a template may take to import everything before kernels fall back to spawning.
TEMPLATE_START_TIMEOUT = 180.0
#: Seconds after a template failed to start before another is tried.
RETRY_AFTER = 60.0
#: Seconds one request to the template may take.
REQUEST_TIMEOUT = 30.0

_PR_SET_CHILD_SUBREAPER = 36


class TemplateError(RuntimeError):
    """The template could not start a kernel; the message says why."""


def forking_enabled(environ=None) -> bool:
    """False when :data:`SWITCH_ENV` turns forking off."""
    env = os.environ if environ is None else environ
    return env.get(SWITCH_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


def fork_unavailable(cmd: list[str], environ=None, platform: str | None = None) -> str | None:
    """Why a kernel for ``cmd`` cannot be forked here, or ``None`` when it can."""
    platform = sys.platform if platform is None else platform
    if not forking_enabled(environ):
        return f"forking is turned off ({SWITCH_ENV}=0)"
    if not platform.startswith("linux"):
        return f"forking kernels needs Linux (this is {platform})"
    if not hasattr(os, "fork"):
        return "this Python cannot fork"
    if len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return f"the kernel command is not ipykernel's ({' '.join(cmd[:3])})"
    return None


def _become_subreaper() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Template:
    """One template process (:mod:`kit.commands.kernel_template`) and its private socket."""

    def __init__(self, python: str, env: dict[str, str], log=None):
        self.python = python
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None
        self.folder: str | None = None
        self.started_at = 0.0
        self.restarts = 0
        self.failed: tuple[str, float] | None = None
        self.announced = False

    @property
    def socket_path(self) -> str | None:
        return None if self.folder is None else os.path.join(self.folder, "template.sock")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _start(self) -> None:
        if self.process is not None:  # it died: say so and clean up before starting again
            code = self.process.poll()
            self.restarts += 1
            self._warn(f"the kernel template (pid {self.process.pid}) ended with code {code}; "
                       "starting a new one")
            self._remove_folder()
        _become_subreaper()
        self.folder = tempfile.mkdtemp(prefix="kit-template-")  # mode 0700
        self.announced = False
        self.process = subprocess.Popen(
            [self.python, "-m", "kit.commands.kernel_template", self.socket_path],
            env=self.env, cwd=self.folder, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        self.started_at = time.monotonic()

    def _remove_folder(self) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def _warn(self, message: str) -> None:
        if self.log is not None:
            self.log.warning("kit: %s", message)

    async def ready(self, timeout: float = TEMPLATE_START_TIMEOUT) -> None:
        """Start the template if it is not running; wait until it answers.

        A template that failed while starting is not tried again for
        :data:`RETRY_AFTER` seconds (kernels are spawned meanwhile); one that died after
        starting is replaced at once.
        """
        if self.failed is not None:
            reason, when = self.failed
            if time.monotonic() - when < RETRY_AFTER:
                raise TemplateError(f"{reason}; trying again {RETRY_AFTER:g} s after that")
            self.failed = None
        if not self.alive():
            self._start()
        deadline = self.started_at + timeout
        while not os.path.exists(self.socket_path):
            if not self.alive():
                self._failed(f"the kernel template ended while starting "
                             f"(code {self.process.poll()})")
            if time.monotonic() > deadline:
                self.stop()
                self._failed(f"the kernel template did not start in {timeout:g} s")
            await asyncio.sleep(0.05)
        if not self.announced:
            self.announced = True
            if self.log is not None:
                self.log.info("kit: kernel template (pid %s) ready in %.1f s; kernels start "
                              "as its forks", self.process.pid,
                              time.monotonic() - self.started_at)

    def _failed(self, reason: str):
        self.failed = (reason, time.monotonic())
        self._remove_folder()
        self.process = None  # not "died after starting": no restart warning next time
        raise TemplateError(reason)

    async def request(self, payload: dict, timeout: float = REQUEST_TIMEOUT) -> dict:
        async def exchange() -> dict:
            reader, writer = await asyncio.open_unix_connection(self.socket_path)
            try:
                writer.write((json.dumps(payload) + "\n").encode())
                await writer.drain()
                line = await reader.readline()
            finally:
                writer.close()
            if not line:
                raise TemplateError("the kernel template closed the connection")
            return json.loads(line)

        try:
            return await asyncio.wait_for(exchange(), timeout)
        except (TimeoutError, OSError, ValueError) as exc:
            raise TemplateError(f"no answer from the kernel template: {exc!r}") from exc

    def request_sync(self, payload: dict, timeout: float = 5.0) -> dict | None:
        """The same request without an event loop (for :class:`ForkedProcess`); ``None`` when
        the template cannot answer."""
        import socket

        if not self.alive() or not self.socket_path:
            return None
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(timeout)
                s.connect(self.socket_path)
                s.sendall((json.dumps(payload) + "\n").encode())
                data = b""
                while not data.endswith(b"\n"):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            return json.loads(data) if data else None
        except (OSError, ValueError):
            return None

    async def fork(self, cmd: list[str], env: dict[str, str], cwd: str) -> int:
        await self.ready()
        answer = await self.request({"op": "fork", "argv": cmd, "env": env, "cwd": cwd,
                                     "server_pid": os.getpid()})
        if "pid" not in answer:
            raise TemplateError(answer.get("error", "the kernel template gave no pid"))
        return int(answer["pid"])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._remove_folder()


#: One template per kernel spec (and interpreter) in this server process.
_templates: dict[tuple[str, str], Template] = {}


def _template_for(key: tuple[str, str], python: str, env: dict[str, str], log) -> Template:
    template = _templates.get(key)
    if template is None:
        template = _templates[key] = Template(python, env, log)
    return template


def stop_templates() -> None:
    """Stop every template this process started (their kernels carry on)."""
    for template in list(_templates.values()):
        template.stop()
    _templates.clear()


atexit.register(stop_templates)


class ForkedProcess:
    """A forked kernel as ``LocalProvisioner`` expects its ``subprocess.Popen``: poll, wait,
    send_signal, kill, terminate, pid and returncode, for a process that is not ours."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, template: Template):
        self.pid = pid
        self.template = template
        self.returncode: int | None = None
        try:
            self.pidfd: int | None = os.pidfd_open(pid)
        except (OSError, AttributeError):
            self.pidfd = None

    def _exited(self) -> bool:
        if self.pidfd is not None:
            import select

            # poll, not select: a busy server has file descriptors above select's 1024
            poller = select.poll()
            poller.register(self.pidfd, select.POLLIN)
            return bool(poller.poll(0))
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        try:  # a zombie not yet reaped by the template has exited too
            with open(f"/proc/{self.pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] == "Z"
        except (OSError, IndexError):
            return True

    def _collect(self) -> int:
        """The exit status of an exited kernel: reaped here when the kernel became this
        process's child (its template crashed), else asked of the template."""
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                return os.waitstatus_to_exitcode(status)
        except ChildProcessError:
            pass
        for _ in range(20):
            answer = self.template.request_sync({"op": "status", "pid": self.pid})
            if answer is None:
                break
            if answer.get("known"):
                return int(answer["returncode"])
            time.sleep(0.05)  # the template reaps it on its next turn
        return -signal.SIGKILL if not os.path.exists(f"/proc/{self.pid}") else 1

    def poll(self) -> int | None:
        if self.returncode is None and self._exited():
            self.returncode = self._collect()
            self.close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is not None:
            return  # never signal a pid that may now belong to someone else
        if self.pidfd is not None:
            signal.pidfd_send_signal(self.pidfd, signum)
        else:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def close(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


class ForkingProvisioner(LocalProvisioner):
    """Start each kernel as a fork of a warm template; otherwise as ``LocalProvisioner`` does.

    Named ``kit-forking-provisioner`` in a kernel spec's ``metadata.kernel_provisioner``.
    Everything but the start (ports and connection file in ``pre_launch``, shutdown, restart,
    cleanup) is ``LocalProvisioner``'s, acting on :class:`ForkedProcess`.
    """

    forked = False
    _memory_task: asyncio.Task | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        info = await self._launch(cmd, **kwargs)
        self._guard_memory()
        return info

    def _guard_memory(self) -> None:
        """Check this kernel's own memory from now on (:mod:`kit.voila._memory_guard`)."""
        from kit.voila._memory_guard import limits

        try:
            limit, interval = limits()
        except ValueError as exc:
            self.log.warning("kit: %s. Kernels' memory is not checked.", exc)
            return
        if limit is not None and self.pid:
            self._memory_task = asyncio.ensure_future(self._watch_memory(limit, interval))

    async def _watch_memory(self, limit: float, interval: float) -> None:
        from kit.voila._memory_guard import LIMIT_ENV, private_mb

        pid = self.pid
        while self.process is not None and await self.poll() is None:
            used = private_mb(pid)
            if used is not None and used > limit:
                self.log.warning(
                    "kit: kernel %s used %.0f MB of its own memory, over the limit of %g MB "
                    "(%s); stopped it. Its visitor's answers were saved as they typed; "
                    "reloading the page starts a new kernel.", pid, used, limit, LIMIT_ENV)
                await self.kill()
                return
            await asyncio.sleep(interval)

    async def _launch(self, cmd: list[str], **kwargs: Any):
        reason = fork_unavailable(cmd)
        if reason is None and any(kwargs.get(k) is not None for k in ("stdout", "stderr")):
            reason = "the kernel's output is redirected, which a fork cannot honour"
        if reason is None:
            env = dict(kwargs.get("env") or os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            spec = getattr(self, "kernel_spec", None)
            key = (str(getattr(spec, "resource_dir", "") or ""), cmd[0])
            base = {**os.environ, **dict(getattr(spec, "env", None) or {})}
            template = _template_for(key, cmd[0], base, self.log)
            try:
                pid = await template.fork(cmd, env, cwd)
            except TemplateError as exc:
                reason = str(exc)
            else:
                self.process = ForkedProcess(pid, template)
                self.pid = self.pgid = pid
                self.cwd = cwd
                self.forked = True
                self.log.debug("kit: kernel started as fork %s of template %s", pid,
                               template.process.pid)
                return self.connection_info
        self.forked = False
        self.log.info("kit: kernel started as a new process: %s", reason)
        return await super().launch_kernel(cmd, **kwargs)

    async def send_signal(self, signum: int) -> None:
        if isinstance(self.process, ForkedProcess) and self.process.poll() is not None:
            return
        await super().send_signal(signum)

    async def cleanup(self, restart: bool = False) -> None:
        if self._memory_task is not None and self._memory_task is not asyncio.current_task():
            self._memory_task.cancel()
        self._memory_task = None
        if isinstance(self.process, ForkedProcess):
            self.process.close()
        await super().cleanup(restart=restart)
