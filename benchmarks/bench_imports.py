"""Where a participant kernel's memory goes: resident memory added by each library it imports.

Imports, in a fresh Python process and in the order a kernel meets them, what an app kernel
holds (ipykernel first, the app's own module last), and records the process's resident memory
(RSS) after each. ``rfc3987_syntax`` is marked absent first, as the kit's kernels do
(``kit/voila/_fastimport.py``). Each step counts only what the libraries before it have not
already loaded, so the order matters; it is the order of a real kernel.

Run::

    .venv/bin/python benchmarks/bench_imports.py [--repeat 3]

Results go to ``benchmarks/results/imports.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

#: (label, module) in the order a chart-drawing app kernel imports them.
STEPS = (
    ("ipykernel (the bare kernel's own code)", "ipykernel.ipkernel"),
    ("ipywidgets", "ipywidgets"),
    ("numpy", "numpy"),
    ("pandas", "pandas"),
    ("SQLAlchemy", "sqlalchemy"),
    ("jsonschema (with referencing, rpds)", "jsonschema"),
    ("narwhals (Altair's dataframe layer)", "narwhals"),
    ("Altair's generated Vega-Lite schema classes", "altair.vegalite.v6.schema.core"),
    ("the rest of Altair", "altair"),
    ("the kit's store", "kit.store"),
    ("the self-assessment app", "kit.apps.self_assessment"),
)

CHILD = r"""
import importlib, json, sys
sys.modules["rfc3987_syntax"] = None
import psutil
p = psutil.Process()
out = [("python", p.memory_info().rss)]
for label, module in json.loads(sys.argv[1]):
    importlib.import_module(module)
    out.append((label, p.memory_info().rss))
print(json.dumps(out))
"""


def one_run() -> list[tuple[str, int]]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(STEPS)],
        capture_output=True, text=True, check=True, cwd=HERE.parent,
    )
    return json.loads(result.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=str(RESULTS / "imports.json"))
    args = parser.parse_args(argv)
    runs = [one_run() for _ in range(args.repeat)]
    rows = []
    for i, (label, _rss) in enumerate(runs[0]):
        total = statistics.median(r[i][1] for r in runs) / 1e6
        before = statistics.median(r[i - 1][1] for r in runs) / 1e6 if i else 0.0
        rows.append({"step": label, "added_mb": round(total - before, 1),
                     "total_mb": round(total, 1)})
    print(f"{'step':48s} {'adds':>8s} {'total':>8s}")
    for row in rows:
        print(f"{row['step']:48s} {row['added_mb']:6.1f} MB {row['total_mb']:6.1f} MB")
    Path(args.out).write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "command": "python benchmarks/bench_imports.py " + " ".join(argv or sys.argv[1:]),
        "rows": rows,
    }, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
