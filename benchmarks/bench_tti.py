"""Time to interactive of each app in headless Chromium, beside two baselines, in one run.

For every notebook (the kit's apps from ``notebooks/`` and the two baselines in
``benchmarks/baselines/``) the page is requested and the clock stops when Voila has finished,
the widgets are drawn and every chart has its SVG or canvas. Two modes, one ``kit serve`` each:

* ``preheated``: ``kit serve`` defaults (kernel pools; the page's kernel has already run up to
  ``wait_for_visitor()``, which ``kit serve`` logs as "ready for its visitor"). Before each
  visit the app's pool is full again and the previous visit's replacement kernel has
  started, so the measurement shows a visitor arriving at a server that is not busy.
* ``cold``: ``kit serve --no-preheat`` (a kernel is started for each visit).

Goals (issue 7), printed PASS/FAIL:

1. with ``kit serve`` defaults, each app is interactive no later than the one-slider baseline
   served cold;
2. served cold, no app takes more than 1.5 times the pandas-and-Altair baseline served cold.

Also reports each app's kernel memory (RSS, MB) right after it became interactive.
Apps run on the demo cohort (``KIT_DEMO=1``) in a temporary data folder. Only loopback
traffic. Results go to ``benchmarks/results/tti.json``.

Run::

    .venv/bin/python benchmarks/bench_tti.py [--repeat 3] [--only 01_self_assessment]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BASELINES = HERE / "baselines"
RESULTS = HERE / "results"
CHROMIUM = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ONE_SLIDER = "one_slider.ipynb"
PANDAS_ALTAIR = "pandas_altair.ipynb"
BASELINE_NAMES = (ONE_SLIDER, PANDAS_ALTAIR)

#: True when Voila is done, widgets are drawn and every chart has been painted.
READY_JS = """(needChart) => {
  if (document.querySelector('#loading')) return false;
  const cells = document.querySelector('#rendered_cells');
  if (!cells || cells.style.display === 'none') return false;
  if (!document.querySelector('.jp-OutputArea-output .jupyter-widgets, .jp-OutputArea-output .lm-Widget')) return false;
  const charts = [...document.querySelectorAll('.kit-chart, .vega-embed')];
  if (needChart && charts.length === 0) return false;
  return charts.every(c => c.querySelector('svg, canvas'));
}"""


# ------------------------------------------------------------------------------ serving


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(workdir: Path, only: list[str] | None) -> tuple[Path, dict[str, str], list[str]]:
    """Copy app notebooks and baselines into one folder; seed a demo store; return env."""
    from kit._paths import notebooks_dir

    root = workdir / "notebooks"
    data = workdir / "data"
    root.mkdir()
    data.mkdir()
    apps = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
    if only:
        apps = [a for a in apps if any(o in a for o in only)]
    for name in apps:
        shutil.copy(notebooks_dir() / name, root / name)
    for name in BASELINE_NAMES:
        shutil.copy(BASELINES / name, root / name)
    env = dict(os.environ)
    env.update(KIT_DATA_DIR=str(data), KIT_DEMO="1", KIT_TODAY=env.get("KIT_TODAY", "2026-03-02"))
    env.pop("KIT_DATABASE_URL", None)
    env.pop("JUPYTERHUB_USER", None)
    # Seed the demo cohort and build the Vega bundle cache before any kernel needs them.
    seed = (
        "from kit.store import Store\n"
        "from kit.charts.display import enable_offline\n"
        "enable_offline()\n"
        "try:\n"
        "    from kit.demo import seed_demo\n"
        "except ImportError:\n"
        "    seed_demo = None\n"
        "if seed_demo:\n"
        "    with Store() as s:\n"
        "        seed_demo(s)\n"
    )
    subprocess.run([sys.executable, "-c", seed], env=env, check=True)
    return root, env, apps


class Server:
    """``kit serve`` in a child process, its log in a file."""

    def __init__(self, root: Path, env: dict, extra: list[str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log
        cmd = [sys.executable, "-m", "kit.commands.main", "serve", str(root), "--port", str(self.port),
               *extra]
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kit serve exited:\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"kit serve did not start:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pools_filled(self, notebook: str) -> int:
        """How many kernels of ``notebook``'s pool are ready so far (ever).

        An app's kernel counts once it has run up to its visitor's arrival (``kit serve``
        logs "ready for its visitor"); Voila's own "pool is filled" line comes as soon as the
        kernel process has started, seconds before that. The baselines do not wait for a
        visitor, so for them the "filled" line is all there is.
        """
        log = self.log()
        if notebook in BASELINE_NAMES:
            return len(re.findall(rf"Kernel pool of {re.escape(notebook)} is filled", log))
        return len(re.findall(rf"Kernel \S+ of {re.escape(notebook)} is ready for its visitor",
                              log))

    def wait_pool(self, notebook: str, at_least: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while self.pools_filled(notebook) < at_least:
            if time.monotonic() > deadline:
                raise RuntimeError(f"pool of {notebook} not refilled in {timeout}s")
            time.sleep(0.2)

    def wait_quiet(self, timeout: float = 240) -> None:
        """Wait until every pool has been filled once (start-up is over)."""
        names = [p.name for p in Path(self.root_dir).glob("*.ipynb")]
        for name in names:
            self.wait_pool(name, 1, timeout)

    def pools_full(self) -> bool:
        """True when every app's pool holds as many kernels ready for a visitor as it should."""
        log = self.log()
        ready: dict[str, int] = {}
        for name in re.findall(r"Kernel \S+ of (\S+) is ready for its visitor", log):
            ready[name] = ready.get(name, 0) + 1
        for name in ready:
            sizes = re.findall(rf"Kernel pool of \S*{re.escape(Path(name).name)} is filled with "
                               r"(\d+) kernel", log)
            used = len(re.findall(rf"Using pre-heated kernel: \S+ for \S*{re.escape(Path(name).name)}\b",
                                  log))
            if sizes and ready[name] < int(sizes[0]) + used:
                return False
        return True

    def wait_refilled(self, timeout: float = 180, after: float = 3.5) -> None:
        """Wait until the server is idle again after the last visit: ``after`` seconds since
        it began (``kit serve`` starts a replacement kernel 3 s after a visitor takes one),
        then until ``kit serve`` and its kernels use under a tenth of a core, twice running.
        """
        import psutil

        last = getattr(self, "last_visit", None)
        if last is not None:
            wait = after - (time.monotonic() - last)
            if wait > 0:
                time.sleep(wait)
        deadline = time.monotonic() + timeout
        # every pool full again: each app's kernels ready for a visitor = its pool's size plus
        # the kernels visitors have taken ("Using pre-heated kernel" in Voila's log)
        while not self.pools_full() and time.monotonic() < deadline:
            time.sleep(0.2)
        quiet = 0
        root = psutil.Process(self.proc.pid)
        while quiet < 2 and time.monotonic() < deadline:
            procs = [root, *root.children(recursive=True)]

            def cpu(ps):
                total = 0.0
                for proc in ps:
                    try:
                        t = proc.cpu_times()
                        total += t.user + t.system
                    except psutil.Error:
                        pass
                return total

            before = cpu(procs)
            time.sleep(0.5)
            quiet = quiet + 1 if (cpu(procs) - before) / 0.5 < 0.1 else 0
        self.last_visit = time.monotonic()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._log.close()


def kernel_rss_mb(server: Server, kernel_id: str) -> float | None:
    """Resident memory of the kernel process whose connection file names ``kernel_id``."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        for child in psutil.Process(server.proc.pid).children(recursive=True):
            try:
                if any(kernel_id in part for part in child.cmdline()):
                    return round(child.memory_info().rss / 2**20, 1)
            except psutil.Error:
                continue
        return None
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if kernel_id.encode() in status.read_bytes():
                for line in (status.parent / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            continue
    return None


# ------------------------------------------------------------------------------ measuring


def measure(browser, server: Server, notebook: str, timeout_ms: int = 120_000) -> dict:
    """Open ``notebook`` once; seconds from request to interactive, and the kernel's RSS."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    remote: list[str] = []

    def on_request(r):
        if not r.url.startswith((server.url, "data:", "blob:")):
            remote.append(r.url)

    page.on("request", on_request)
    need_chart = notebook == PANDAS_ALTAIR
    start = time.perf_counter()
    result: dict = {"notebook": notebook}
    try:
        page.goto(server.url + "voila/render/" + notebook, wait_until="commit",
                  timeout=timeout_ms)
        page.wait_for_function(READY_JS, arg=need_chart, timeout=timeout_ms, polling=50)
        result["tti_s"] = round(time.perf_counter() - start, 3)
        config = page.evaluate(
            "() => JSON.parse(document.querySelector('#jupyter-config-data')?.textContent || '{}')"
        )
        kernel_id = config.get("kernelId")
        result["rss_mb"] = kernel_rss_mb(server, kernel_id) if kernel_id else None
        result["charts"] = page.evaluate("() => document.querySelectorAll('.kit-chart, .vega-embed').length")
    except Exception as exc:  # noqa: BLE001 - a failed visit is a result too
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    result["remote_requests"] = remote
    page.close(run_before_unload=True)  # Voila shuts the kernel down on unload
    context.close()
    return result


def run_mode(browser, root: Path, env: dict, notebooks: list[str], mode: str, repeat: int,
             workdir: Path, serve_args: list[str] = ()) -> dict[str, list[dict]]:
    extra = ["--no-preheat"] if mode == "cold" else list(serve_args)
    server = Server(root, env, extra, workdir / f"serve-{mode}.log")
    server.root_dir = root
    out: dict[str, list[dict]] = {}
    try:
        if mode == "preheated":
            server.wait_quiet()
        for nb in notebooks:
            runs = []
            for _ in range(repeat):
                if mode == "preheated":
                    filled = server.pools_filled(nb)
                    server.wait_pool(nb, max(filled, 1))
                    time.sleep(0.5)  # let the refill of the previous app settle
                runs.append(measure(browser, server, nb))
                if mode == "preheated":
                    server.wait_pool(nb, filled + 1)
                print(f"  {mode:9s} {nb:34s} {runs[-1].get('tti_s', runs[-1].get('error'))}",
                      flush=True)
            out[nb] = runs
    finally:
        server.stop()
    return out


def median_tti(runs: list[dict]) -> float | None:
    values = [r["tti_s"] for r in runs if "tti_s" in r]
    return round(statistics.median(values), 3) if values else None


def summarise(results: dict, apps: list[str]) -> dict:
    pre, cold = results["preheated"], results["cold"]
    slider_cold = median_tti(cold.get(ONE_SLIDER, []))
    pa_cold = median_tti(cold.get(PANDAS_ALTAIR, []))
    table = {}
    for nb in [*BASELINE_NAMES, *apps]:
        rss = [r.get("rss_mb") for r in pre.get(nb, []) + cold.get(nb, []) if r.get("rss_mb")]
        table[nb] = {
            "preheated_s": median_tti(pre.get(nb, [])),
            "cold_s": median_tti(cold.get(nb, [])),
            "rss_mb": max(rss) if rss else None,
            "errors": [r["error"] for r in pre.get(nb, []) + cold.get(nb, []) if "error" in r],
            "remote_requests": sorted({u for r in pre.get(nb, []) + cold.get(nb, [])
                                       for u in r["remote_requests"]}),
        }
    goals = []
    for nb in apps:
        t = table[nb]["preheated_s"]
        goals.append({
            "goal": f"{nb} with kit serve defaults <= one-slider cold ({slider_cold}s)",
            "value": t,
            "limit": slider_cold,
            "pass": t is not None and slider_cold is not None and t <= slider_cold,
        })
    for nb in apps:
        t = table[nb]["cold_s"]
        limit = round(1.5 * pa_cold, 3) if pa_cold else None
        goals.append({
            "goal": f"{nb} cold <= 1.5 x pandas-altair cold ({limit}s)",
            "value": t,
            "limit": limit,
            "pass": t is not None and limit is not None and t <= limit,
        })
    offline = all(not row["remote_requests"] for row in table.values())
    goals.append({"goal": "no request left the machine", "value": offline, "limit": True,
                  "pass": offline})
    return {"table": table, "goals": goals}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="visits per notebook and mode")
    parser.add_argument("--only", nargs="*", help="only apps whose file name contains these")
    parser.add_argument("--out", type=Path, default=RESULTS / "tti.json")
    parser.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                        help="extra kit serve option for the preheated run, e.g. "
                        "--serve-arg=--refill-delay=1 (repeatable); goal 1 is about the "
                        "defaults, so leave it out for the record")
    parser.add_argument("--modes", nargs="+", choices=("cold", "preheated"),
                        default=["cold", "preheated"], help="which runs to make")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kit-tti-") as tmp:
        workdir = Path(tmp)
        root, env, apps = prepare(workdir, args.only)
        notebooks = [*BASELINE_NAMES, *apps]
        print(f"Time to interactive: {len(apps)} apps and 2 baselines, {args.repeat} visits each")
        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for mode in ("cold", "preheated"):
                    if mode in args.modes:
                        results[mode] = run_mode(browser, root, env, notebooks, mode,
                                                 args.repeat, workdir, args.serve_arg)
                    else:
                        results[mode] = {}
            finally:
                browser.close()
    summary = summarise(results, apps)

    print()
    print(f"{'notebook':34s} {'preheated s':>12s} {'cold s':>8s} {'RSS MB':>8s}")
    for nb, row in summary["table"].items():
        fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
        print(f"{nb:34s} {fmt(row['preheated_s']):>12s} {fmt(row['cold_s']):>8s} "
              f"{fmt(row['rss_mb']):>8s}" + (f"  errors: {row['errors']}" if row["errors"] else ""))
    print()
    for g in summary["goals"]:
        print(f"{'PASS' if g['pass'] else 'FAIL'}  {g['goal']}: {g['value']}")
    if not apps:
        print("NOTE: no app notebooks in notebooks/ yet; only the baselines were measured.")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "repeat": args.repeat,
        "serve_args": args.serve_arg,
        "runs": results,
        **summary,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0 if all(g["pass"] for g in summary["goals"]) else 1


if __name__ == "__main__":
    sys.exit(main())
