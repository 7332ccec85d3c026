"""A room arriving: N visitors over a minute, with kernels forked from a template and without.

For each mode (``fork``: the default of ``kit serve`` on Linux; ``spawn``: ``kit serve
--no-fork``, a new Python per kernel) one ``kit serve`` serves the kit's notebooks from a
temporary data folder holding the demo cohort, which ``N`` participants have joined (each with
a resume code, sent as the ``kit_resume`` cookie, as after signing in). Start here and the
self-assessment each keep ``--pool`` kernels warm. Then:

1. **Waiting kernels.** Once both pools are full and the server is quiet, each pooled kernel
   (run up to its visitor's arrival) is measured: USS (memory that is this kernel's alone),
   PSS, RSS, and CPU seconds since it started (psutil). The template's own memory is
   reported apart (it is paid once, not per kernel).

2. **The room.** Visitor ``i`` arrives at ``i * 60 / N`` seconds and opens Start here, then
   the self-assessment, with a light client that speaks to Voila as the page does:

   * ``GET /voila/render/<notebook>``: Voila hands a preheated kernel the visitor's request,
     the kernel runs the rest of the notebook (the app is built for this participant), and
     the page arrives with the widget view's model id and the kernel id;
   * a websocket on ``/api/kernels/<id>/channels``, ``kernel_info_request``, then the
     widget manager's ``comm_open`` on ``jupyter.widget.control`` and its
     ``request_states``; the kernel answers with every widget's state (``update_states``).

   *Time to interactive* is from the request to the widget states having arrived with the
   page's own view among them. What a browser adds is not measured: fetching and parsing the
   scripts (cached after a first visit; ``docs/benchmarks.md``, "Over a workshop's Wi-Fi"),
   drawing the widgets and charts (``bench_tti.py``), and the messages a visitor's clicks
   send afterwards. Websockets stay open until the end, as the visitors' tabs do.

   Every 2 s the server's process tree is sampled (its PSS summed: the whole footprint,
   shared pages counted once); reported: the peak, server CPU seconds (Voila, template,
   kernels) during the room, and per-page p50/p95/max time to interactive.

Run (short while other work shares the machine)::

    .venv/bin/python benchmarks/bench_room.py [--visitors 30 --visitors 60] [--pool 10]
        [--modes fork,spawn] [--over 60] [--spawn-max 60]

Results go to ``benchmarks/results/room.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_tti import Server  # noqa: E402
from bench_visitors import percentile, prepare  # noqa: E402

RESULTS = HERE / "results"
PAGES = ("00_start_here.ipynb", "01_self_assessment.ipynb")
MB = 1024 * 1024
#: ipywidgets' widget control protocol, as the page's widget manager announces it.
CONTROL_PROTOCOL = "1.0.0"


# ------------------------------------------------------------------------ process accounting


def _tree(server: Server):
    import psutil

    root = psutil.Process(server.proc.pid)
    return [root, *root.children(recursive=True)]


def _template_pids(procs) -> set[int]:
    """The template processes: ``kit.voila._template`` started by the Voila process (their
    forks carry the same command line but have a template as parent)."""
    pids = {p.pid for p in procs}
    out = set()
    for p in procs:
        try:
            if "kit.voila._template" in " ".join(p.cmdline()) and p.ppid() not in {
                    q.pid for q in procs if "kit.voila._template" in " ".join(q.cmdline())}:
                out.add(p.pid)
        except Exception:  # noqa: BLE001 - a process that ended meanwhile
            pass
    return out & pids


def _kernels(procs, templates: set[int]):
    out = []
    for p in procs:
        try:
            cmd = " ".join(p.cmdline())
        except Exception:  # noqa: BLE001
            continue
        if p.pid in templates:
            continue
        if "ipykernel_launcher" in cmd or "kit.voila._template" in cmd:
            out.append(p)
    return out


def _usage(p) -> dict | None:
    try:
        full = p.memory_full_info()
        t = p.cpu_times()
        return {"uss_mb": full.uss / MB, "pss_mb": full.pss / MB, "rss_mb": full.rss / MB,
                "cpu_s": t.user + t.system}
    except Exception:  # noqa: BLE001 - ended meanwhile
        return None


def waiting_kernels(server: Server) -> dict:
    procs = _tree(server)
    templates = _template_pids(procs)
    kernels = [u for u in (_usage(p) for p in _kernels(procs, templates)) if u]
    template = [u for u in (_usage(p) for p in procs if p.pid in templates) if u]

    def med(key):
        return round(percentile([k[key] for k in kernels], 0.5), 2) if kernels else None

    return {
        "kernels": len(kernels),
        "uss_mb_p50": med("uss_mb"), "pss_mb_p50": med("pss_mb"), "rss_mb_p50": med("rss_mb"),
        "cpu_s_p50": med("cpu_s"),
        "uss_mb_max": round(max(k["uss_mb"] for k in kernels), 1) if kernels else None,
        "cpu_s_max": round(max(k["cpu_s"] for k in kernels), 2) if kernels else None,
        "template": {k: round(v, 1) for k, v in template[0].items()} if template else None,
        "total_pss_mb": round(sum(u["pss_mb"] for u in
                                  (_usage(p) for p in procs) if u), 0),
    }


class Sampler(threading.Thread):
    """Every ``every`` seconds: the server tree's summed PSS and CPU; keeps the peak."""

    def __init__(self, server: Server, every: float = 2.0):
        super().__init__(daemon=True)
        self.server, self.every = server, every
        self.stop_event = threading.Event()
        self.peak = {"pss_mb": 0.0, "rss_mb": 0.0, "processes": 0, "kernels": 0}
        self.cpu_start = self.cpu_now()

    def cpu_now(self) -> float:
        total = 0.0
        for p in _tree(self.server):
            try:
                t = p.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
            except Exception:  # noqa: BLE001
                pass
        return total

    def run(self) -> None:
        while not self.stop_event.wait(self.every):
            procs = _tree(self.server)
            usage = [u for u in (_usage(p) for p in procs) if u]
            pss = sum(u["pss_mb"] for u in usage)
            if pss > self.peak["pss_mb"]:
                templates = _template_pids(procs)
                self.peak = {"pss_mb": round(pss), "rss_mb": round(sum(u["rss_mb"] for u in usage)),
                             "processes": len(usage),
                             "kernels": len(_kernels(procs, templates))}


# ------------------------------------------------------------------------------ light client


def _message(session: str, msg_type: str, content: dict, channel: str = "shell",
             metadata: dict | None = None) -> str:
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "username": "room", "session": session,
                   "msg_type": msg_type, "version": "5.3",
                   "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())},
        "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": channel,
        "buffers": [],
    })


def _decode(frame) -> dict:
    """A kernel message from the server's websocket: JSON text, or the binary form (buffer
    count, offsets, then the JSON message) used when a message carries buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    import struct

    n = struct.unpack("!I", frame[:4])[0]
    offsets = struct.unpack(f"!{n}I", frame[4:4 + 4 * n])
    end = offsets[1] if n > 1 else len(frame)
    return json.loads(frame[offsets[0]:end].decode())


async def open_page(base: str, notebook: str, cookie: str, sockets: list) -> dict:
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    started = time.monotonic()
    response = await AsyncHTTPClient().fetch(HTTPRequest(
        f"{base}voila/render/{notebook}", headers={"Cookie": cookie}, request_timeout=600))
    page_s = time.monotonic() - started
    html = response.body.decode()
    kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
    views = re.findall(r'"model_id": "([0-9a-f]+)"', html)
    if not kernel or not views:
        raise RuntimeError(f"{notebook}: the page has no kernel id or widget view "
                           f"(page-failed: {'could not start' in html})")
    session = uuid.uuid4().hex
    ws_url = base.replace("http", "ws", 1) + f"api/kernels/{kernel.group(1)}/channels?session_id={session}"
    ws = await websocket_connect(HTTPRequest(ws_url, headers={"Cookie": cookie}),
                                 max_message_size=1 << 30)
    sockets.append(ws)
    await ws.write_message(_message(session, "kernel_info_request", {}))
    comm = uuid.uuid4().hex
    await ws.write_message(_message(session, "comm_open", {
        "comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": CONTROL_PROTOCOL}))
    await ws.write_message(_message(session, "comm_msg", {
        "comm_id": comm, "data": {"method": "request_states"}}))
    got_info = None
    while True:
        frame = await asyncio.wait_for(ws.read_message(), 600)
        if frame is None:
            raise RuntimeError(f"{notebook}: the kernel websocket closed")
        msg = _decode(frame)
        kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        if kind == "kernel_info_reply":
            got_info = time.monotonic() - started
        data = msg.get("content", {}).get("data", {}) if kind == "comm_msg" else {}
        if data.get("method") == "update_states":
            states = data.get("states", {})
            if not all(v in states for v in views):
                raise RuntimeError(f"{notebook}: widget states lack the page's view")
            return {"page_s": round(page_s, 3), "kernel_info_s": got_info and round(got_info, 3),
                    "tti_s": round(time.monotonic() - started, 3), "widgets": len(states)}


async def one_visitor(base: str, code: str, delay: float, sockets: list) -> dict:
    await asyncio.sleep(delay)
    out: dict = {"arrived_s": round(delay, 2)}
    cookie = f"kit_resume={code}"
    for notebook in PAGES:
        try:
            out[notebook] = await open_page(base, notebook, cookie, sockets)
        except Exception as exc:  # noqa: BLE001 - recorded, the room carries on
            out.setdefault("errors", []).append(f"{notebook}: {exc!r}"[:300])
    return out


async def room(base: str, codes: list[str], over: float) -> list[dict]:
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=1000)
    sockets: list = []
    n = len(codes)
    try:
        return await asyncio.gather(*(one_visitor(base, c, i * over / n, sockets)
                                      for i, c in enumerate(codes)))
    finally:
        for ws in sockets:
            ws.close()


# ------------------------------------------------------------------------------ one mode


def run_mode(mode: str, visitors: int, pool: int, over: float, workdir: Path, info, root, env):
    extra = ["--pool-size", "0", *[a for p in PAGES for a in ("--pool", f"{p}={pool}")]]
    if mode == "spawn":
        extra.append("--no-fork")
    server = Server(root, env, extra, workdir / f"serve-{mode}-{visitors}.log")
    server.root_dir = root
    try:
        for page in PAGES:
            server.wait_pool(page, pool, timeout=900)
        server.wait_refilled(after=0)
        waiting = waiting_kernels(server)
        print(f"[{mode}] {waiting['kernels']} waiting kernels: USS p50 "
              f"{waiting['uss_mb_p50']} MB, CPU p50 {waiting['cpu_s_p50']} s", flush=True)
        result = {"mode": mode, "visitors": visitors, "pool": pool, "waiting": waiting}
        if visitors:
            codes = [c for _, c in info["people"][:visitors]]
            sampler = Sampler(server)
            sampler.start()
            started = time.monotonic()
            runs = asyncio.run(room(server.url, codes, over))
            wall = time.monotonic() - started
            sampler.stop_event.set()
            sampler.join()
            cpu = sampler.cpu_now() - sampler.cpu_start
            result.update(room_summary(runs, wall, cpu, sampler.peak))
            print(f"[{mode}] {visitors} visitors: " + json.dumps(
                {k: result[k] for k in ("self_assessment", "errors", "server_cpu_s",
                                        "peak")}), flush=True)
        return result
    finally:
        server.stop()
        RESULTS.mkdir(parents=True, exist_ok=True)  # the log, for a failure (gitignored)
        (RESULTS / f"room-serve-{mode}-{visitors}.log.tmp").write_text(server.log(),
                                                                       encoding="utf-8")


def room_summary(runs: list[dict], wall: float, cpu: float, peak: dict) -> dict:
    def pages(notebook):
        tti = [r[notebook]["tti_s"] for r in runs if notebook in r]
        page = [r[notebook]["page_s"] for r in runs if notebook in r]
        return {"ok": len(tti), "tti_p50_s": percentile(tti, 0.5),
                "tti_p95_s": percentile(tti, 0.95), "tti_max_s": max(tti) if tti else None,
                "page_p50_s": percentile(page, 0.5), "page_p95_s": percentile(page, 0.95)}

    return {
        "start_here": pages(PAGES[0]),
        "self_assessment": pages(PAGES[1]),
        "errors": sum(len(r.get("errors", [])) for r in runs),
        "error_examples": [e for r in runs for e in r.get("errors", [])][:5],
        "wall_s": round(wall, 1),
        "server_cpu_s": round(cpu, 1),
        "peak": peak,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, action="append", default=None,
                        help="visitors arriving (repeatable; default 30, 60 and 100; 0 "
                        "measures the waiting kernels only)")
    parser.add_argument("--over", type=float, default=60.0, help="seconds they arrive over")
    parser.add_argument("--pool", type=int, default=10,
                        help="kernels kept warm for Start here and for the self-assessment")
    parser.add_argument("--modes", default="fork,spawn")
    parser.add_argument("--spawn-max", type=int, default=60, metavar="N",
                        help="run the spawn mode only up to N visitors (default 60: 100 "
                        "visitors' spawned kernels need about 20 GB)")
    parser.add_argument("--out", type=Path, default=RESULTS / "room.json")
    args = parser.parse_args(argv)
    counts = args.visitors or [30, 60, 100]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    results = []
    with tempfile.TemporaryDirectory(prefix="kit-room-") as tmp:
        workdir = Path(tmp)
        root, env, info = prepare(workdir, max(counts))
        for n in counts:
            for mode in modes:
                if mode == "spawn" and n > args.spawn_max:
                    print(f"[spawn] {n} visitors skipped (--spawn-max {args.spawn_max})")
                    continue
                results.append(run_mode(mode, n, args.pool, args.over, workdir, info, root, env))
    out = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
                    "note": "machine shared with other work while measured"},
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
