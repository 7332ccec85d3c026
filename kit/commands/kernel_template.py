"""The template process behind the forking kernel provisioner (:mod:`kit.voila._forking`).

Run as ``python -m kit.commands.kernel_template <socket path>`` by the provisioner, once per kernel
spec. It imports what every kit kernel imports (ipykernel, numpy, pandas, SQLAlchemy, Altair
with its chart-schema validator built, ipywidgets, every app module), freezes those objects
out of the garbage collector's reach (``gc.freeze()``), then listens on a Unix socket in a
private folder. Each kernel is a ``fork()`` of it, so the imported pages are shared
copy-on-write instead of loaded again by every kernel.

Forking is only safe from a process with one thread and nothing live: so the template starts
no thread, event loop, ZeroMQ context or database connection (OpenBLAS is limited to one
thread before numpy is imported, or it would start a pool), and :func:`fork_problem` checks
this before every fork. It never reads a visitor's request, signs anyone in or opens the
kit's database: a kernel inherits libraries, never another person's state.

The child (:func:`_become_kernel`) takes its own process group, resets signal handlers,
re-seeds ``random`` and numpy, takes the environment and working folder jupyter_client asked
for, and builds ``IPKernelApp`` from the connection file jupyter_client wrote, so it opens its
own sockets.

Protocol: one JSON line per connection, one JSON line back.

* ``{"op": "ping"}`` -> ``{"pid": <template pid>}``
* ``{"op": "fork", "argv": [...], "env": {...}, "cwd": "...", "server_pid": N}`` ->
  ``{"pid": N}`` or ``{"error": "..."}``
* ``{"op": "status", "pid": N}`` -> ``{"returncode": int or null, "known": bool}``
"""

from __future__ import annotations

import os
import sys

__all__ = ["NATIVE_THREAD_LIMITS", "fork_problem", "main", "warm"]

#: Set before numpy is imported: each BLAS library would otherwise start a thread pool in
#: the template, and a fork copies only the forking thread.
NATIVE_THREAD_LIMITS = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}

#: Exit statuses of finished kernels kept for the provisioner to collect (oldest dropped).
MAX_STATUSES = 4096

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask Linux to end the template when the server that started it ends (not its kernels:
    a crash of the template must not end the visitors' kernels)."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _native_threads() -> int:
    """Threads of this process as the kernel sees them (Python's and native libraries')."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def fork_problem() -> str | None:
    """Why forking now would be unsafe, or ``None``: a second thread (Python or native)."""
    import threading

    if threading.active_count() != 1:
        names = ", ".join(t.name for t in threading.enumerate())
        return f"the template has {threading.active_count()} Python threads ({names})"
    native = _native_threads()
    if native != 1:
        return f"the template has {native} native threads"
    return None


def warm() -> list[str]:
    """Import what a kit kernel imports and build what every app builds the same way.

    Returns the names of imports that failed (each then costs the kernel that needs it).
    """
    import importlib
    import pkgutil

    from kit.voila._fastimport import skip_slow_optional_imports

    skip_slow_optional_imports()
    failed = []
    for name in ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.comm",
                 # what IPKernelApp.initialize imports on its way (the debugger, magics)
                 "ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib",
                 "IPython.extensions.storemagic", "tornado.gen", "tornado.locks",
                 "tornado.queues", "tornado.platform.asyncio", "IPython.core.oinspect",
                 "IPython.core.logger", "IPython.utils.wildcard", "faulthandler", "runpy",
                 "resource", "setproctitle",
                 "numpy", "pandas", "sqlalchemy", "altair", "ipywidgets", "websockets",
                 "kit", "kit.voila", "kit.voila._pool", "kit.store", "kit.analysis",
                 "kit.charts", "kit.charts.display", "kit.forms", "kit.content"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional library is the kernel's to find
            failed.append(name)
    try:
        import kit.apps

        for info in pkgutil.iter_modules(kit.apps.__path__):
            try:
                importlib.import_module(f"kit.apps.{info.name}")
            except Exception:  # noqa: BLE001 - as above
                failed.append(f"kit.apps.{info.name}")
    except Exception:  # noqa: BLE001
        failed.append("kit.apps")
    try:  # the kit's content, parsed once (cached by file path, time and size)
        from kit.apps._base import DEFAULT_FRAMEWORK
        from kit.content import load_exercises, load_framework

        load_framework(DEFAULT_FRAMEWORK)
        load_exercises()
    except Exception:  # noqa: BLE001 - each kernel then parses it for itself
        failed.append("content")
    try:
        _warm_charts()
    except Exception:  # noqa: BLE001 - each kernel then does it on its first chart
        failed.append("chart warm-up")
    return failed


def _warm_charts() -> None:
    """The chart class and Altair's Vega-Lite validator, built once for every kernel.

    Building the offline chart bundle (when it is not cached yet) runs vl-convert, which
    starts threads: it is built in a separate process first, then only read here.
    """
    import subprocess

    import altair as alt
    import pandas as pd

    from kit.charts import display

    if not os.environ.get(display.BUNDLE_URL_ENV, "").strip():
        cached = display._cache_dir() / f"jupyterchart-{display._versions()}.js"
        if not cached.exists():
            subprocess.run([sys.executable, "-c",
                            "from kit.charts.display import chart_bundle; chart_bundle()"],
                           stdin=subprocess.DEVNULL, timeout=600, check=False)
        if not cached.exists():
            return  # not writable: each kernel builds it for itself, as without a template
    display.chart_class()
    # The first to_dict() builds the Vega-Lite JSON Schema validator (hundreds of ms).
    alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()


def _reap(statuses: dict) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        statuses[pid] = os.waitstatus_to_exitcode(status)
        while len(statuses) > MAX_STATUSES:
            statuses.pop(next(iter(statuses)))


def _reply(conn, payload: dict) -> None:
    import json

    try:
        conn.sendall((json.dumps(payload) + "\n").encode())
    except OSError:
        pass


def _read_request(conn) -> dict:
    import json

    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return json.loads(data or b"{}")


def _serve(listener, parent_pid: int) -> None:
    import select

    statuses: dict[int, int] = {}
    while True:
        ready, _, _ = select.select([listener], [], [], 0.25)
        _reap(statuses)
        if os.getppid() != parent_pid:  # the server has gone: nobody will ask for kernels
            return
        if not ready:
            continue
        try:
            conn, _ = listener.accept()
        except OSError:
            continue
        try:
            conn.settimeout(10)
            request = _read_request(conn)
            op = request.get("op")
            if op == "ping":
                _reply(conn, {"pid": os.getpid()})
            elif op == "status":
                _reap(statuses)
                pid = int(request["pid"])
                known = pid in statuses
                _reply(conn, {"returncode": statuses.get(pid), "known": known})
            elif op == "fork":
                _fork(listener, conn, request)
            else:
                _reply(conn, {"error": f"unknown request {op!r}"})
        except (OSError, ValueError, KeyError) as exc:
            _reply(conn, {"error": f"bad request: {exc}"})
        finally:
            conn.close()


def _fork(listener, conn, request: dict) -> None:
    problem = fork_problem()
    if problem:
        _reply(conn, {"error": f"cannot fork safely: {problem}"})
        return
    try:
        pid = os.fork()
    except OSError as exc:
        _reply(conn, {"error": f"fork failed: {exc}"})
        return
    if pid == 0:
        code = 1
        try:
            _become_kernel(listener, conn, request)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 - report, then leave without the template's cleanup
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    try:
        os.setpgid(pid, pid)  # also done by the child: whichever runs first, no signal race
    except OSError:
        pass
    _reply(conn, {"pid": pid})


def _reset_signals() -> None:
    import signal

    for name in ("SIGTERM", "SIGHUP", "SIGCHLD", "SIGUSR1", "SIGUSR2", "SIGQUIT", "SIGALRM"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a fresh interpreter


def _reseed() -> None:
    import random

    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def _watch_server(server_pid: int) -> None:
    """End this kernel when the server that asked for it ends (ipykernel's own parent poller
    watches the process's parent, which for a forked kernel is the template)."""
    import threading

    def watch() -> None:
        import select
        import time

        try:
            fd = os.pidfd_open(server_pid)
        except (OSError, AttributeError):
            fd = None
        while True:
            if fd is not None:
                poller = select.poll()
                poller.register(fd, select.POLLIN)
                poller.poll()
                break
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="kit-server-watch", daemon=True).start()


def _become_kernel(listener, conn, request: dict) -> None:
    """In the forked child: become a fresh kernel for ``request`` (never returns normally
    before the kernel ends)."""
    listener.close()
    conn.close()
    os.setpgid(0, 0)
    _reset_signals()
    env = {str(k): str(v) for k, v in request["env"].items()}
    server_pid = int(request.get("server_pid") or 0)
    if server_pid > 1:
        # As jupyter_client's launcher sets it. ipykernel's parent poller, seeing that this
        # is not our parent (the template is), then ends the kernel only if it is orphaned
        # to init; _watch_server ends it when the server ends.
        env["JPY_PARENT_PID"] = str(server_pid)
    os.environ.clear()
    os.environ.update(env)
    cwd = request.get("cwd")
    if cwd:
        os.chdir(cwd)
    _reseed()
    config = sys.modules.get("kit.config")
    if config is not None:  # settings come from this kernel's environment, not the template's
        config.get_settings.cache_clear()
    argv = [str(a) for a in request["argv"]]
    sys.argv = [argv[0], *argv[3:]]
    _title(argv)
    if server_pid > 1:
        _watch_server(server_pid)
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    # The trait's default was read from the template's environment when ipykernel was imported.
    app.parent_handle = server_pid if server_pid > 1 else 0
    app.initialize(argv[3:])
    _replay_import_hooks()
    app.start()


def _title(argv: list[str]) -> None:
    """Show this kernel in ``ps`` (and to anything that finds kernels by their connection
    file) with the command line a spawned kernel would have, not the template's."""
    setproctitle = sys.modules.get("setproctitle")
    if setproctitle is not None:  # imported by the template, before any fork
        setproctitle.setproctitle(" ".join(argv))


def _replay_import_hooks() -> None:
    """Do again, now that this process is a kernel, what modules do on import only when they
    find a kernel (the template imported them without one)."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:  # the jupyter.widget and jupyter.widget.control comm targets
        widgets._handle_ipython()
    voila = sys.modules.get("kit.voila")
    if voila is not None:  # imported in the template, before this kernel's VOILA_PREHEAT
        voila._quiet_interrupts_before_visitor()


def main(argv: list[str] | None = None) -> int:
    import gc
    import socket

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m kit.commands.kernel_template <socket path>", file=sys.stderr)
        return 2
    path = args[0]
    parent_pid = os.getppid()
    _die_with_parent()
    for name, value in NATIVE_THREAD_LIMITS.items():
        os.environ.setdefault(name, value)
    if sys.path and (sys.path[0] in ("", os.getcwd())):
        del sys.path[0]  # as ipykernel_launcher does; the kernel app adds '' back
    failed = warm()
    setproctitle = sys.modules.get("setproctitle")
    if setproctitle is not None:
        # Find the memory of the command line now, while the environment that follows it is
        # intact: a child clears its environment before it takes a kernel's title.
        setproctitle.setproctitle(setproctitle.getproctitle())
    if failed:
        print(f"kit kernel template: could not import {', '.join(failed)}", file=sys.stderr)
    problem = fork_problem()
    if problem:
        print(f"kit kernel template: will not fork: {problem}", file=sys.stderr)
        return 3
    gc.collect()
    gc.freeze()  # collections in the kernels never touch (and so never copy) these objects
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".tmp")
    os.chmod(path + ".tmp", 0o600)
    listener.listen(128)
    os.rename(path + ".tmp", path)  # the path appears only once the template can answer
    _serve(listener, parent_pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
