"""What one participant's kernel costs, per app: memory and the CPU it takes to get ready.

For every app notebook in ``notebooks/`` a fresh kernel is started (the kit's own kernel spec,
Unix sockets, as under ``kit serve``) in a fresh copy of the demo data folder, and the
notebook's cells are run in it, which builds the app for the demo participant (or the demo
facilitator). Recorded per app, from the kernel process itself (psutil):

* ``bare``: the kernel just started, before any cell (ipykernel, the interpreter);
* ``imports``: after the notebook's import lines alone, which is what a preheated pool
  kernel has done before its visitor arrives;
* ``ready``: after the last cell, the app built and shown: resident memory (RSS and USS,
  the memory that is this kernel's alone), and CPU seconds (user + system) since start.

CPU seconds, unlike wall-clock time, hardly depend on what else the machine is doing, so
these figures are comparable between runs; the wall-clock time and the load average are
recorded beside them. Each app is run once unmeasured (building the chart bundle that a
served kit keeps in its data folder for every kernel), then measured ``--repeat`` times
(median shown).

Run::

    .venv/bin/python benchmarks/bench_kernels.py [--repeat 3] [--only 02_reflection_journal]

Results go to ``benchmarks/results/kernels.json``.
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
ROOT = HERE.parent
RESULTS = HERE / "results"
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024


def _usage(proc) -> dict:
    """CPU seconds, RSS and USS (MB) of a kernel process and any children it started."""
    import psutil

    procs = [proc, *proc.children(recursive=True)]
    cpu = rss = uss = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            cpu += t.user + t.system
            full = p.memory_full_info()
            rss += full.rss / MB
            uss += full.uss / MB
        except psutil.NoSuchProcess:
            pass
    return {"cpu_s": round(cpu, 2), "rss_mb": round(rss, 1), "uss_mb": round(uss, 1)}


def measure(notebook: Path, env: dict[str, str]) -> dict:
    """Run one app notebook in a fresh kernel and read the kernel's costs at each stage."""
    import nbformat
    import psutil
    from nbclient import NotebookClient

    from kit.notebooks import KERNEL_NAME

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(notebook.parent.resolve())}},
        record_timing=False,
        store_widget_state=False,
    )
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="kit-kernel-") as sockets:
        km = client.create_kernel_manager()
        km.transport = "ipc"
        km.connection_file = str(Path(sockets) / "kernel.json")
        started = time.perf_counter()
        with client.setup_kernel(env={**os.environ, **env}):
            proc = psutil.Process(km.provisioner.process.pid)
            out["forked"] = bool(getattr(km.provisioner, "forked", False))
            out["bare"] = _usage(proc)
            code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
            # first the notebook's import lines alone: what a pooled kernel has done before
            # its visitor arrives (running them again in their own cell costs nothing)
            imports = "\n".join(line for _, c in code for line in c.source.splitlines()
                                if line.startswith(("import ", "from ")))
            nb.cells.append(nbformat.v4.new_code_cell(imports))
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
            out["imports"] = _usage(proc)
            for index, cell in code:
                client.execute_cell(cell, index)
            out["ready"] = _usage(proc)
            out["ready_wall_s"] = round(time.perf_counter() - started, 2)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None, help="notebook name stems")
    parser.add_argument("--no-fork", action="store_true",
                        help="start each kernel as a new Python (default: as kit serve does, "
                             "a fork of the warm template on Linux)")
    parser.add_argument("--output", default=None,
                        help="results file name in benchmarks/results (default kernels.json, "
                             "or kernels-forked.json when kernels were forked)")
    args = parser.parse_args(argv)
    if args.no_fork:
        os.environ["KIT_FORK_KERNELS"] = "0"
    # the kit's own kernel spec (its provisioner forks kernels), as kit serve puts it first
    from kit.voila import jupyter_data_root

    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(jupyter_data_root()), os.environ.get("JUPYTER_PATH")) if p)

    from kit.notebooks.environment import DemoData
    from kit.notebooks.paths import notebook_paths

    # the apps are the numbered notebooks (the others are guides for JupyterLab)
    notebooks = [p for p in notebook_paths() if p.stem[:2].isdigit()
                 and (args.only is None or p.stem in args.only)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="kit-bench-kernels-") as tmp:
        data = DemoData(tmp)
        for path in notebooks:
            # one unmeasured run first: it builds what a served kit keeps in its data folder
            # once for every kernel (the chart bundle) and warms the disk cache
            measure(path, data.fresh_env())
            runs = [measure(path, data.fresh_env()) for _ in range(args.repeat)]

            def med(stage, key, runs=runs):
                return round(statistics.median(r[stage][key] for r in runs), 2)

            row = {
                "notebook": path.stem,
                "bare_rss_mb": med("bare", "rss_mb"),
                "imports_rss_mb": med("imports", "rss_mb"),
                "imports_cpu_s": med("imports", "cpu_s"),
                "ready_rss_mb": med("ready", "rss_mb"),
                "ready_uss_mb": med("ready", "uss_mb"),
                "ready_cpu_s": med("ready", "cpu_s"),
                "ready_wall_s": round(statistics.median(r["ready_wall_s"] for r in runs), 2),
                # what building the app costs once the visitor has arrived (a pooled kernel
                # has done the imports before)
                "visitor_cpu_s": round(statistics.median(
                    r["ready"]["cpu_s"] - r["imports"]["cpu_s"] for r in runs), 2),
                "visitor_uss_mb": round(statistics.median(
                    r["ready"]["uss_mb"] - r["imports"]["uss_mb"] for r in runs), 1),
                "forked": all(r.get("forked") for r in runs),
                "load": round(os.getloadavg()[0], 1),
                "runs": runs,
            }
            rows.append(row)
            print(f"  {row['notebook']:<26} ready: {row['ready_rss_mb']:>6.1f} MB RSS "
                  f"({row['ready_uss_mb']:.1f} USS), {row['ready_cpu_s']:.2f} s CPU, "
                  f"{row['ready_wall_s']:.2f} s wall; after imports {row['imports_rss_mb']:.1f}"
                  f" MB, {row['imports_cpu_s']:.2f} s; after the visitor arrived "
                  f"+{row['visitor_cpu_s']:.2f} s CPU, +{row['visitor_uss_mb']:.1f} MB; "
                  f"{'forked' if row['forked'] else 'spawned'}; load {row['load']}", flush=True)

    header = (f"{'notebook':<26} {'bare MB':>8} {'imports MB':>10} {'imports CPU':>11} "
              f"{'ready MB':>9} {'USS MB':>7} {'ready CPU':>9} {'wall':>6}")
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        print(f"{r['notebook']:<26} {r['bare_rss_mb']:>8.1f} {r['imports_rss_mb']:>10.1f} "
              f"{r['imports_cpu_s']:>10.2f}s {r['ready_rss_mb']:>9.1f} {r['ready_uss_mb']:>7.1f} "
              f"{r['ready_cpu_s']:>8.2f}s {r['ready_wall_s']:>5.2f}s")
    RESULTS.mkdir(exist_ok=True)
    forked = bool(rows) and all(r["forked"] for r in rows)
    target = RESULTS / (args.output or ("kernels-forked.json" if forked else "kernels.json"))
    target.write_text(json.dumps({
        "benchmark": "kernels",
        "repeat": args.repeat,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "results": rows,
    }, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
