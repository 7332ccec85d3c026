"""Compute time and Vega-Lite spec size of every facilitator view, from 100 to 100,000 people.

Data comes from :func:`kit.demo.synthetic_frames` (the shipped collaboration framework, three
groups, two rounds), without a database. For each size the per-person scores are computed once
(reported as ``scoring``); then each view is timed from those frames to a finished chart spec
(``chart.to_dict()``), on a cold cache so the confidentiality planning is included. Spec size is
``len(json.dumps(spec))``: it stays small because charts only ever get aggregated tables.

Run::

    .venv/bin/python benchmarks/bench_views.py [--quick]

``--quick`` stops at 1,000 people. Results go to ``benchmarks/results/views.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent))

SIZES = (100, 1_000, 10_000, 100_000)
VIEWS = ("participation", "profile", "disagreement", "breakdown", "importance", "change",
         "health", "overview")


def run(sizes) -> list[dict]:
    from kit.analysis.cohort import CohortData
    from kit.analysis.privacy import Rules
    from kit.views import view_charts
    from kit.content import load_framework
    from kit.demo import synthetic_frames

    fw = load_framework("collaboration-behaviours")
    rows = []
    for n in sizes:
        responses, importance = synthetic_frames(n, groups=3, rounds=2, seed=7, framework=fw)
        data = CohortData("Benchmark", fw, responses, importance, health_framework=fw,
                          health_responses=responses, rules=Rules(5, 10, 1.0))
        start = time.perf_counter()
        _ = data.scores, data.items, data.importance_scores, data.health_scores
        rows.append({"participants": n, "view": "scoring", "seconds": time.perf_counter() - start,
                     "spec_bytes": 0, "charts": 0, "answer_rows": len(responses)})
        for view in VIEWS:
            # a fresh CohortData (same per-person frames) so summaries are not reused
            fresh = CohortData("Benchmark", fw, responses, importance, health_framework=fw,
                               health_responses=responses, rules=data.rules)
            fresh.__dict__.update({k: getattr(data, k) for k in
                                   ("scores", "items", "importance_scores", "health_scores")})
            start = time.perf_counter()
            charts = view_charts(fresh, view, group="Group 1", by="all")
            specs = [c.chart.to_dict() for c in charts]
            seconds = time.perf_counter() - start
            rows.append({"participants": n, "view": view, "seconds": seconds,
                         "spec_bytes": sum(len(json.dumps(s)) for s in specs),
                         "charts": len(specs), "answer_rows": len(responses)})
            print(f"{n:>8,} {view:<14} {seconds:8.3f} s {rows[-1]['spec_bytes']:>9,} bytes", flush=True)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 1,000 people only")
    args = parser.parse_args(argv)
    sizes = [s for s in SIZES if not args.quick or s <= 1_000]
    rows = run(sizes)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {
        "benchmark": "views",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "quick": args.quick,
        "rows": rows,
    }
    target = RESULTS / ("views-quick.json" if args.quick else "views.json")
    target.write_text(json.dumps(out, indent=2), encoding="utf-8")
    print("\n participants  view            seconds   spec bytes")
    for r in rows:
        print(f" {r['participants']:>12,}  {r['view']:<14} {r['seconds']:8.3f}  {r['spec_bytes']:>10,}")
    print(f"\nwrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
