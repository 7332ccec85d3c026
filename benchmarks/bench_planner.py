"""The disclosure planner alone: CPU time of one plan (one score, every breakdown), by cohort size.

People are spread as ``kit demo --participants N --groups 200 --seed 7`` spreads them (six
organisations in five sectors, three role levels; one group per five people up to 200 groups,
or ``--groups``). Small cohorts of small groups are the planner's hardest case: nearly every
atom holds one person, so the exact combination check (:mod:`kit.analysis._combinations`)
has the most to search. Timed:
``kit.analysis.privacy._plan`` (the planner in use) and, up to ``--original-max`` people, the
original planner kept in ``tests/_plan_reference.py`` (pure Python, O(cells^2)).

Run::

    .venv/bin/python benchmarks/bench_planner.py [--sizes 1000 10000 100000]

Results go to ``benchmarks/results/planner.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _atoms(n: int, groups: int, seed: int = 7):
    import numpy as np
    import pandas as pd

    from kit.analysis.privacy import BREAKDOWNS
    from kit.demo import ORGANISATIONS, ROLE_LEVELS

    rng = np.random.default_rng(seed)
    org = rng.integers(0, len(ORGANISATIONS), n)
    role = rng.integers(0, len(ROLE_LEVELS), n)
    people = pd.DataFrame({
        "group": [f"Group {i % groups + 1}" for i in range(n)],
        "organisation": [ORGANISATIONS[x][0] for x in org],
        "sector": [ORGANISATIONS[x][1] for x in org],
        "role_level": [ROLE_LEVELS[x] for x in role],
    })
    atoms = people.groupby(["group", *BREAKDOWNS]).size()
    return [(key,) for key in atoms.index], atoms.to_numpy(dtype=float)


def main(argv=None) -> int:
    from kit.analysis import privacy
    from kit.analysis.privacy import BREAKDOWNS
    from tests._plan_reference import _plan as original

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--original-max", type=int, default=1_000)
    parser.add_argument("--groups", type=int, default=None,
                        help="groups in every cohort (default: one per five people, at most 200)")
    parser.add_argument("--out", default=str(HERE / "results" / "planner.json"))
    args = parser.parse_args(argv)
    rows = []
    for n in args.sizes:
        groups = args.groups or max(1, min(200, n // 5))
        sigs, counts = _atoms(n, groups)
        for name, plan in (("planner", privacy._plan), ("original", original)):
            if name == "original" and n > args.original_max:
                continue
            cpu = time.process_time()
            result = plan(sigs, counts, 5, BREAKDOWNS)
            rows.append({"participants": n, "groups": groups, "planner": name, "atoms": len(sigs),
                         "cells": len(result.sizes), "shown": len(result.published),
                         "cpu_s": round(time.process_time() - cpu, 3)})
            print(json.dumps(rows[-1]), flush=True)
    Path(args.out).write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "command": "python benchmarks/bench_planner.py " + " ".join(
            sys.argv[1:] if argv is None else argv),
        "results": rows,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
