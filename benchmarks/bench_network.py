"""Bytes on the wire and time to interactive per app over an emulated workshop Wi-Fi.

Headless Chromium with the network throttled through the Chrome DevTools Protocol
(``Network.emulateNetworkConditions``: 10 Mbit/s down and up, 40 ms round trip), against one
``kit serve`` with its defaults (preheated kernels) on the demo cohort. For every app:

* **cold**: a fresh browser context (empty cache) opens the app;
* **warm**: in the same context, after that app, a *second* app is opened (the next one in
  the list; the last app is followed by Start here), as a participant moving from one app to
  the next does.

Counted per visit: HTTP bytes on the wire (``encodedDataLength`` of every finished request,
headers included, so compression shows), requests, requests served from the browser's cache,
bytes carried by the kernel's websocket (frame payloads, before any websocket compression:
an upper bound), and seconds from the request until the widgets and charts are drawn.

Goals (issue 17), printed PASS/FAIL: first visit to any app at most 1.6 MB on the wire; a
second app in the same browser at most 0.3 MB; interactive within 2.5 s for every app.

Run::

    .venv/bin/python benchmarks/bench_network.py [--only 01_self 10_facil] [--repeat 1]

Results go to ``benchmarks/results/network.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_tti import CHROMIUM, CHROMIUM_ARGS, READY_JS, Server, prepare  # noqa: E402

RESULTS = HERE / "results"
MBIT = 10
RTT_MS = 40
GOAL_FIRST_MB = 1.6
GOAL_SECOND_MB = 0.3
GOAL_TTI_S = 2.5


class Visit:
    """Counts what one page moves, through a CDP session on that page."""

    def __init__(self, context, page):
        self.http_bytes = 0
        self.requests = 0
        self.cached = 0
        self.ws_bytes = 0
        self.by_type: dict[str, int] = {}
        self.by_encoding: dict[str, int] = {}
        self.full_urls: list[tuple[int, str]] = []
        self.uncompressed: list[tuple[str, int]] = []
        self.fetched: list[tuple[str, int, str]] = []
        self._urls: dict[str, tuple[str, str, bool]] = {}
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": RTT_MS,
                "downloadThroughput": MBIT * 1_000_000 / 8,
                "uploadThroughput": MBIT * 1_000_000 / 8,
            },
        )
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketFrameSent", self._frame)
        self.cdp = cdp

    def _response(self, event):
        r = event["response"]
        headers = {k.lower(): v for k, v in r.get("headers", {}).items()}
        self._urls[event["requestId"]] = (
            r["url"],
            headers.get("content-type", "").split(";")[0],
            headers.get("content-encoding", ""),
            headers.get("cache-control", ""),
        )
        if r.get("fromDiskCache") or r.get("fromMemoryCache"):
            self.cached += 1

    def _from_cache(self, event):
        self.cached += 1

    def _finished(self, event):
        size = int(event.get("encodedDataLength", 0))
        self.requests += 1
        self.http_bytes += size
        url, ctype, encoded, cache = self._urls.get(event["requestId"], ("?", "?", "", ""))
        self.fetched.append((url.split("?")[0][-90:], size, cache))
        self.full_urls.append((size, url))
        self.by_type[ctype] = self.by_type.get(ctype, 0) + size
        self.by_encoding[encoded or "none"] = self.by_encoding.get(encoded or "none", 0) + size
        if not encoded and size > 2048 and (ctype.startswith("text/") or "javascript" in ctype
                                             or "json" in ctype):
            self.uncompressed.append((url, size))

    def _frame(self, event):
        self.ws_bytes += len(event["response"].get("payloadData", ""))

    def summary(self) -> dict:
        return {
            "http_mb": round(self.http_bytes / 1e6, 3),
            "ws_mb": round(self.ws_bytes / 1e6, 3),
            "requests": self.requests,
            "from_cache": self.cached,
            "by_type_kb": {k: round(v / 1e3) for k, v in sorted(self.by_type.items())},
            "by_encoding_kb": {k: round(v / 1e3) for k, v in sorted(self.by_encoding.items())},
            "uncompressed_text": self.uncompressed[:10],
            "largest": sorted(self.fetched, key=lambda f: -f[1])[:12],
            "largest_urls": [u for _s, u in sorted(self.full_urls, reverse=True)[:12]],
        }


PRELOADS_JS = "() => document.querySelectorAll('link[rel=preload], link[rel=modulepreload]').length"
MODULE_PRELOADS_JS = "() => [...document.querySelectorAll('link[rel=modulepreload]')].map(l => l.href)"


def open_app(context, server: Server, notebook: str, timeout_ms: int = 180_000) -> dict:
    """One visit; waits first until the server is not busy refilling its pools."""
    server.wait_refilled()
    page = context.new_page()
    visit = Visit(context, page)
    start = time.perf_counter()
    out = {"notebook": notebook}
    try:
        page.goto(server.url + "voila/render/" + notebook, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function(READY_JS, arg=False, timeout=timeout_ms, polling=50)
        out["tti_s"] = round(time.perf_counter() - start, 3)
        out["preloads"] = page.evaluate(PRELOADS_JS)
        out["module_preloads"] = page.evaluate(MODULE_PRELOADS_JS)  # the chart bundle
        page.wait_for_timeout(300)  # late requests (fonts, source maps) finish counting
    except Exception as exc:  # noqa: BLE001 - a failed visit is a result too
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    out.update(visit.summary())
    page.close(run_before_unload=True)
    return out


def visit_first(browser, server: Server, apps: list[str], timeout_s: float = 600,
                args_no_preload: bool = False) -> list:
    """The first visitor to each app on a just-started server (gzip: nothing kept as Brotli
    yet); then wait, by condition, until the server sends the largest files as Brotli."""
    out, largest = [], set()
    for app in apps:
        # Until a page arrives naming its scripts at the top (kit/voila/_preload.py): the
        # server learns them from its first visitors, and a preheated pool renders its pages
        # ahead, so the first one or two pages of an app carry no list.
        for _ in range(6):
            server.wait_pool(app, 1)
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            visit = open_app(context, server, app)
            context.close()
            out.append(visit)
            print(f"first visitor {app:34s} {visit['http_mb']:.2f} MB "
                  f"{visit['by_encoding_kb']} {visit.get('tti_s', visit.get('error'))} s, "
                  f"{visit.get('preloads')} preloads", flush=True)
            for url in visit["largest_urls"]:
                if url.split("?")[0].endswith(".js"):
                    largest.add(url)
            if visit.get("preloads") or args_no_preload:
                break
    probe = browser.new_context()
    waiting = set(largest)
    start = time.monotonic()
    while waiting and time.monotonic() - start < timeout_s:
        for url in sorted(waiting):
            r = probe.request.get(url, headers={"Accept-Encoding": "gzip, br"})
            if r.headers.get("content-encoding") == "br":
                waiting.discard(url)
        if waiting:
            time.sleep(0.5)
    probe.close()
    print(f"server kept its files as Brotli after {time.monotonic() - start:.1f} s more"
          + (f"; still gzip: {sorted(waiting)}" if waiting else ""), flush=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="app names containing any of these")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", default=str(RESULTS / "network.json"))
    parser.add_argument("--serve-arg", action="append", default=[])
    parser.add_argument(
        "--no-first-visitors", action="store_true",
        help="skip the first visit to every app on a just-started server (whose static files "
             "the server has not yet kept as Brotli) and measure straight away",
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results = []
    first_visitors = []
    with tempfile.TemporaryDirectory(prefix="kit-bench-net-") as tmp:
        workdir = Path(tmp)
        root, env, apps = prepare(workdir, args.only)
        for name in ("one_slider.ipynb", "pandas_altair.ipynb"):
            (root / name).unlink()
        server = Server(root, env, list(args.serve_arg), workdir / "serve.log")
        server.root_dir = root
        try:
            server.wait_quiet()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                if not args.no_first_visitors:
                    first_visitors = visit_first(
                        browser, server, apps,
                        args_no_preload="--no-preload" in args.serve_arg,
                    )
                for n, app in enumerate(apps):
                    second = apps[(n + 1) % len(apps)] if len(apps) > 1 else app
                    for _ in range(args.repeat):
                        context = browser.new_context(viewport={"width": 1200, "height": 900})
                        cold = open_app(context, server, app)
                        time.sleep(1.0)
                        warm = open_app(context, server, second)
                        context.close()
                        results.append({"app": app, "second": second, "cold": cold, "warm": warm})
                        print(
                            f"{app:34s} cold {cold['http_mb']:.2f} MB + ws {cold['ws_mb']:.2f} MB, "
                            f"{cold['requests']} requests, {cold.get('tti_s', cold.get('error'))} s | "
                            f"then {second}: {warm['http_mb']:.2f} MB, {warm['from_cache']} from "
                            f"cache, {warm.get('tti_s', warm.get('error'))} s",
                            flush=True,
                        )
                        if cold["uncompressed_text"]:
                            print("   uncompressed:", cold["uncompressed_text"][:5], flush=True)
                browser.close()
        finally:
            server.stop()

    def worst(key, part):
        values = [r[part][key] for r in results if key in r[part]]
        return max(values) if values else None

    first_mb = worst("http_mb", "cold")
    second_mb = worst("http_mb", "warm")
    tti = max(
        [r[p].get("tti_s", float("inf")) for r in results for p in ("cold", "warm")] or [None]
    )
    goals = {
        "first_visit_mb": (first_mb, GOAL_FIRST_MB),
        "second_app_mb": (second_mb, GOAL_SECOND_MB),
        "tti_s": (tti, GOAL_TTI_S),
    }
    print()
    for name, (value, goal) in goals.items():
        ok = value is not None and value <= goal
        print(f"{'PASS' if ok else 'FAIL'}  worst {name} = {value} (goal <= {goal})")
    medians = {
        app: statistics.median(r["cold"].get("tti_s", float("inf")) for r in results
                               if r["app"] == app)
        for app in apps
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({
        "network": {"mbit_s": MBIT, "rtt_ms": RTT_MS},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "command": "python benchmarks/bench_network.py " + " ".join(
            sys.argv[1:] if argv is None else argv),
        "goals": {k: {"worst": v, "goal": g} for k, (v, g) in goals.items()},
        "median_cold_tti_s": medians,
        "first_visitors_after_start": first_visitors,
        "visits": results,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
